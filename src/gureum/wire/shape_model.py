"""botocore's service model, read and prepared for checking requests against it.

:func:`load_service_model` reads a service's ``service-2.json``; :class:`ShapeModel` turns its
shapes into :class:`Shape` objects on demand: a kind, Coral's Java type names, the constraints
(Java ``pattern`` regexes translated to Python), the phrases Coral words them with, and for a
structure its members' Coral path segments and violation order. The checks themselves are in
:mod:`gureum.wire.shape_checks` (fast) and :mod:`gureum.wire.shape_violations` (detailed).
"""

from __future__ import annotations

import gzip
import importlib.util
import os
import re
from functools import cache
from typing import TYPE_CHECKING, Any, Final

import orjson

from gureum.wire import shape_messages as msg

if TYPE_CHECKING:
    from collections.abc import Iterable

# Shape kinds; every kind below K_STRUCT is a leaf (see shape_types.scalar).
K_STR, K_BOOL, K_INT, K_LONG, K_DOUBLE, K_TIMESTAMP, K_BLOB, K_ANY = range(8)
K_STRUCT, K_LIST, K_MAP = 8, 9, 10
_KINDS: Final = {
    "string": K_STR, "boolean": K_BOOL, "integer": K_INT, "long": K_LONG,
    "double": K_DOUBLE, "float": K_DOUBLE, "timestamp": K_TIMESTAMP, "blob": K_BLOB,
    "structure": K_STRUCT, "list": K_LIST, "map": K_MAP,
}  # fmt: skip
# Coral's Java types: simple name (conversion texts) and class name (collection texts).
_JAVA: Final = {
    "string": ("String", "java.lang.String"), "boolean": ("Boolean", "java.lang.Boolean"),
    "integer": ("Integer", "java.lang.Integer"), "long": ("Long", "java.lang.Long"),
    "double": ("Double", "java.lang.Double"), "float": ("Float", "java.lang.Float"),
    "timestamp": ("Date", "java.util.Date"), "blob": ("ByteBuffer", "java.nio.ByteBuffer"),
}  # fmt: skip


class Shape:
    """One botocore shape, prepared for checking."""

    __slots__ = (
        "enum", "enum_phrase", "java", "key", "kind", "lower", "max", "member", "members",
        "min", "name", "order", "pattern", "phrases", "regex", "required", "simple", "strings",
        "types_only",
    )  # fmt: skip

    def __init__(self, name: str, kind: int) -> None:
        self.name = name
        self.kind = kind
        self.simple = ""
        self.java = ""
        self.members: dict[str, Shape] = {}
        self.lower: dict[str, str] = {}  # member name -> Coral's path segment
        self.order: dict[str, tuple[int, int]] = {}  # member name -> Coral's sort key
        self.required: tuple[str, ...] = ()
        self.strings: frozenset[str] = frozenset()  # members of string kind
        self.member: Shape | None = None  # list member or map value
        self.key: Shape | None = None
        self.min: int | float | None = None
        self.max: int | float | None = None
        self.regex: re.Pattern[str] | None = None
        self.pattern = ""
        self.enum: frozenset[str] | None = None
        self.enum_phrase = ""
        self.phrases: list[str] = []  # all own constraints, in Coral's bracketed order
        self.types_only = False


@cache
def _load(service: str, version: str) -> bytes:
    spec = importlib.util.find_spec("botocore")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("botocore is not installed")
    root = next(iter(spec.submodule_search_locations))
    path = os.path.join(root, "data", service, version, "service-2.json.gz")
    with gzip.open(path, "rb") as f:
        return f.read()


def load_service_model(service: str, version: str) -> dict[str, Any]:
    """botocore's ``service-2.json`` for a service and API version (read without importing
    botocore's loaders, which are slow to import). Each call returns a fresh dict."""
    model: dict[str, Any] = orjson.loads(_load(service, version))
    return model


class ShapeModel:
    """The shapes of one service model, built once each on first use (see ``ShapeValidator``
    for ``types_only``, ``unchecked`` and ``java_package``)."""

    def __init__(
        self,
        model: dict[str, Any],
        *,
        types_only: Iterable[str],
        unchecked: Iterable[str],
        java_package: str | None,
    ) -> None:
        self._operations: dict[str, Any] = model.get("operations", {})
        self._shapes_json: dict[str, Any] = model.get("shapes", {})
        self._types_only = frozenset(types_only)
        self._unchecked = frozenset(unchecked)
        if java_package is None:
            meta = model.get("metadata", {})
            version = str(meta.get("apiVersion", "")).replace("-", "")
            java_package = f"com.amazonaws.{meta.get('endpointPrefix', 'unknown')}.v{version}"
        self._package = java_package
        self._shapes: dict[str, Shape] = {}

    def input_shape(self, operation: str) -> Shape | None:
        """The input shape of ``operation``, its cycles broken (see :meth:`_break_cycles`);
        None when the model has no such operation or it takes no input."""
        op = self._operations.get(operation)
        name = (op or {}).get("input", {}).get("shape")
        if name is None:
            return None
        shape = self._shape(name)
        self._break_cycles(shape)
        return shape

    def _shape(self, name: str) -> Shape:
        shape = self._shapes.get(name)
        if shape is not None:
            return shape
        spec = self._shapes_json[name]
        kind = K_ANY if name in self._unchecked else _KINDS[spec["type"]]
        shape = self._shapes[name] = Shape(name, kind)
        shape.types_only = name in self._types_only
        shape.simple, shape.java = _JAVA.get(spec["type"], ("", f"{self._package}.{name}"))
        shape.min, shape.max = spec.get("min"), spec.get("max")
        if kind == K_ANY:
            return shape
        if kind == K_STRUCT:
            members: dict[str, Any] = spec.get("members", {})
            shape.members = {m: self._shape(ref["shape"]) for m, ref in members.items()}
            shape.lower = {m: m[:1].lower() + m[1:] for m in members}
            keys = msg.hashmap_order(list(shape.lower.values()))
            shape.order = dict(zip(members, keys, strict=True))
            shape.required = tuple(m for m in spec.get("required", ()) if m in members)
            shape.strings = frozenset(m for m, s in shape.members.items() if s.kind == K_STR)
        elif kind == K_LIST:
            shape.member = self._shape(spec["member"]["shape"])
            shape.java = f"java.util.List<{shape.member.java}>"
        elif kind == K_MAP:
            shape.key = self._shape(spec["key"]["shape"])
            shape.member = self._shape(spec["value"]["shape"])
            shape.java = f"java.util.Map<java.lang.String, {shape.member.java}>"
        _constraints(shape, spec)
        return shape

    @staticmethod
    def _break_cycles(root: Shape) -> None:
        """Make a shape on a cycle types-only, so compiled checks (which recurse) stay finite."""
        state: dict[str, int] = {}  # 1: on the current path, 2: done

        def visit(shape: Shape) -> None:
            state[shape.name] = 1
            children: Iterable[Shape | None] = (
                shape.members.values() if shape.kind == K_STRUCT else (shape.key, shape.member)
            )
            for child in children:
                if child is None or child.types_only or state.get(child.name) == 2:
                    continue
                if state.get(child.name) == 1:
                    child.types_only = True
                    continue
                visit(child)
            state[shape.name] = 2

        if not root.types_only:
            visit(root)


def _constraints(shape: Shape, spec: dict[str, Any]) -> None:
    """Set ``shape``'s constraints from its botocore ``spec``, with Coral's phrases for them."""
    phrases: list[str] = []
    if shape.kind in (K_STR, K_LIST, K_MAP):
        if shape.max is not None:
            phrases.append(msg.max_length(shape.max))
        if shape.min is not None:
            phrases.append(msg.min_length(shape.min))
    if shape.kind == K_STR and "pattern" in spec:
        shape.regex = _java_regex(spec["pattern"])
        if shape.regex is not None:
            shape.pattern = spec["pattern"]
            phrases.append(msg.pattern(shape.pattern))
    if shape.kind == K_STR and "enum" in spec:
        values = list(spec["enum"])
        coral = msg.CORAL_ENUM_ORDER.get(shape.name)
        if coral is not None and set(coral) == set(values):
            values = list(coral)
        shape.enum = frozenset(values)
        shape.enum_phrase = msg.enum(values)
        phrases.append(shape.enum_phrase)
    if shape.kind in (K_INT, K_LONG, K_DOUBLE):
        if shape.max is not None:
            phrases.append(msg.max_value(shape.max))
        if shape.min is not None:
            phrases.append(msg.min_value(shape.min))
    elif shape.kind not in (K_STR, K_LIST, K_MAP):
        shape.min = shape.max = None  # no length/range on other kinds
    shape.phrases = phrases


_POSIX_CLASSES: Final = {
    "Print": r"\x20-\x7E", "Graph": r"\x21-\x7E", "Alnum": "a-zA-Z0-9", "Alpha": "a-zA-Z",
    "Digit": "0-9", "Upper": "A-Z", "Lower": "a-z", "XDigit": "0-9a-fA-F", "ASCII": r"\x00-\x7F",
    "Space": r" \t\n\x0B\f\r", "Blank": r" \t", "Cntrl": r"\x00-\x1F\x7F",
    "Punct": r"!-/:-@\[-`{-~",
}  # fmt: skip
_HEX4: Final = re.compile(r"[0-9a-fA-F]{4}")


def _java_regex(pattern: str) -> re.Pattern[str] | None:
    """A Java regex as a Python one (POSIX ``\\p{...}`` classes, UTF-16 surrogate pairs), or
    None when it cannot be translated (the pattern is then not checked)."""
    out: list[str] = []
    i, depth, n = 0, 0, len(pattern)
    while i < n:
        ch = pattern[i]
        if ch == "\\" and i + 1 < n:
            nxt = pattern[i + 1]
            if nxt == "p" and pattern.startswith("{", i + 2):
                end = pattern.find("}", i)
                ranges = _POSIX_CLASSES.get(pattern[i + 3 : end])
                if end < 0 or ranges is None:
                    return None
                out.append(ranges if depth else f"[{ranges}]")
                i = end + 1
                continue
            if nxt == "u" and _HEX4.fullmatch(pattern, i + 2, i + 6):
                code = int(pattern[i + 2 : i + 6], 16)
                if (
                    0xD800 <= code < 0xDC00
                    and pattern.startswith("\\u", i + 6)
                    and _HEX4.fullmatch(pattern, i + 8, i + 12)
                ):
                    low = int(pattern[i + 8 : i + 12], 16)
                    code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                    out.append(f"\\U{code:08x}")
                    i += 12
                    continue
                out.append(pattern[i : i + 6])
                i += 6
                continue
            out.append(pattern[i : i + 2])
            i += 2
            continue
        if ch == "[":
            depth += 1
        elif ch == "]" and depth:
            depth -= 1
        out.append(ch)
        i += 1
    try:
        return re.compile("".join(out))
    except re.error:
        return None
