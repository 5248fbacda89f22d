"""CloudWatch Logs filter patterns (FilterLogEvents' ``filterPattern``), compiled to predicates
over an event's message.

Two of AWS's pattern kinds:

* **terms**: ``ERROR``, ``"Out of memory"``, ``ERROR -Exiting``, ``?ERROR ?WARN``: every plain
  term must occur in the message, no ``-`` term may, and when there are ``?`` terms at least
  one of them must. Matching is case-sensitive; an empty pattern matches everything;
* **JSON**: ``{ $.level = "error" }``, ``{ ($.latency > 200) || $.user.id = 7 }``, with
  ``= != < > <= >=``, ``IS TRUE|FALSE|NULL``, ``NOT EXISTS``, ``&&``, ``||``, parentheses,
  ``$.a.b`` and ``$.list[0]`` selectors and ``*`` wildcards in string values. A message that is
  not a JSON object matches no JSON pattern.

Space-delimited patterns (``[ip, user, ...]``) are not supported: they are refused.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import orjson

from gureum.services.logs import errors

Predicate = Callable[[str], bool]
_Test = Callable[[Any], bool]

_MISSING = object()

_TERM = re.compile(r'\s*([?-]?)(?:"((?:[^"\\]|\\.)*)"|([^\s"]+))')
_JSON_TOKEN = re.compile(
    r'\s*(?:(?P<string>"(?:[^"\\]|\\.)*")|(?P<op>&&|\|\||!=|<=|>=|=|<|>|\(|\))'
    r"|(?P<selector>\$(?:\.[^\s.\[\]()=!<>&|]+|\[\d+\])*)|(?P<word>[^\s()=!<>&|\"]+))"
)


def compile_pattern(pattern: str) -> Predicate:
    text = pattern.strip()
    if not text:
        return _always
    if text.startswith("{"):
        if not text.endswith("}"):
            raise errors.invalid_filter_pattern()
        return _JsonParser(text[1:-1]).parse()
    if text.startswith("["):
        raise errors.invalid_filter_pattern()
    return _terms(text)


def _always(message: str) -> bool:
    return True


def _terms(text: str) -> Predicate:
    required: list[str] = []
    excluded: list[str] = []
    optional: list[str] = []
    position = 0
    while position < len(text):
        match = _TERM.match(text, position)
        if match is None:
            if text[position:].strip():
                raise errors.invalid_filter_pattern()
            break
        position = match.end()
        mark, quoted, bare = match.groups()
        term = re.sub(r"\\(.)", r"\1", quoted) if quoted is not None else bare
        {"": required, "-": excluded, "?": optional}[mark].append(term)

    def matches(message: str) -> bool:
        return (
            all(t in message for t in required)
            and not any(t in message for t in excluded)
            and (not optional or any(t in message for t in optional))
        )

    return matches


class _JsonParser:
    """A precedence ladder: or -> and -> primary (parenthesized or comparison)."""

    def __init__(self, text: str) -> None:
        self._tokens: list[tuple[str, str]] = []
        position = 0
        while text[position:].strip():
            match = _JSON_TOKEN.match(text, position)
            if match is None or match.end() == position:
                raise errors.invalid_filter_pattern()
            kind = match.lastgroup
            assert kind is not None
            self._tokens.append((kind, match.group(kind)))
            position = match.end()
        self._at = 0

    def parse(self) -> Predicate:
        test = self._or()
        if self._at != len(self._tokens):
            raise errors.invalid_filter_pattern()

        def matches(message: str) -> bool:
            try:
                document = orjson.loads(message)
            except orjson.JSONDecodeError:
                return False
            return isinstance(document, dict) and test(document)

        return matches

    def _peek(self) -> tuple[str, str] | None:
        return self._tokens[self._at] if self._at < len(self._tokens) else None

    def _next(self) -> tuple[str, str]:
        token = self._peek()
        if token is None:
            raise errors.invalid_filter_pattern()
        self._at += 1
        return token

    def _or(self) -> _Test:
        tests = [self._and()]
        while self._peek() == ("op", "||"):
            self._at += 1
            tests.append(self._and())
        return tests[0] if len(tests) == 1 else lambda d: any(t(d) for t in tests)

    def _and(self) -> _Test:
        tests = [self._primary()]
        while self._peek() == ("op", "&&"):
            self._at += 1
            tests.append(self._primary())
        return tests[0] if len(tests) == 1 else lambda d: all(t(d) for t in tests)

    def _primary(self) -> _Test:
        kind, value = self._next()
        if (kind, value) == ("op", "("):
            test = self._or()
            if self._next() != ("op", ")"):
                raise errors.invalid_filter_pattern()
            return test
        if kind != "selector":
            raise errors.invalid_filter_pattern()
        path = _path(value)
        kind, op = self._next()
        if kind == "word" and op.upper() == "IS":
            return _is(path, self._next()[1].upper())
        if kind == "word" and op.upper() == "NOT":
            if self._next()[1].upper() != "EXISTS":
                raise errors.invalid_filter_pattern()
            return lambda d: _resolve(d, path) is _MISSING
        if kind != "op" or op in ("(", ")", "&&", "||"):
            raise errors.invalid_filter_pattern()
        return _comparison(path, op, self._next())


def _path(selector: str) -> list[str | int]:
    steps: list[str | int] = []
    for name, index in re.findall(r"\.([^.\[]+)|\[(\d+)\]", selector[1:]):
        steps.append(int(index) if index else name)
    return steps


def _resolve(document: Any, path: list[str | int]) -> Any:
    value = document
    for step in path:
        if isinstance(step, int):
            if not isinstance(value, list) or step >= len(value):
                return _MISSING
            value = value[step]
        elif isinstance(value, dict) and step in value:
            value = value[step]
        else:
            return _MISSING
    return value


def _is(path: list[str | int], word: str) -> _Test:
    if word == "NULL":
        return lambda d: _resolve(d, path) is None
    if word in ("TRUE", "FALSE"):
        wanted = word == "TRUE"
        return lambda d: _resolve(d, path) is wanted
    raise errors.invalid_filter_pattern()


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _comparison(path: list[str | int], op: str, operand: tuple[str, str]) -> _Test:
    kind, text = operand
    if kind == "string":
        text = orjson.loads(text)
    elif kind != "word":
        raise errors.invalid_filter_pattern()
    number: float | None = None
    if kind == "word":
        try:
            number = float(text)
        except ValueError:
            number = None
    if op in ("<", ">", "<=", ">="):
        if number is None:
            raise errors.invalid_filter_pattern()
        bound = number
        compare: Callable[[float], bool] = {
            "<": lambda v: v < bound,
            ">": lambda v: v > bound,
            "<=": lambda v: v <= bound,
            ">=": lambda v: v >= bound,
        }[op]
        return lambda d: _number(v := _resolve(d, path)) and compare(v)
    glob = re.compile(".*".join(re.escape(part) for part in text.split("*")), re.DOTALL)

    def equal(value: Any) -> bool:
        if number is not None and _number(value):
            return bool(value == number)
        if isinstance(value, str):
            return glob.fullmatch(value) is not None
        return False

    if op == "=":
        return lambda d: equal(_resolve(d, path))
    return lambda d: (v := _resolve(d, path)) is not _MISSING and not equal(v)
