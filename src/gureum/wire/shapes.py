"""Input validation of JSON-protocol requests, as the AWS front end (Coral) does it.

Before an AWS service's own code sees a request, Coral deserializes the JSON body into the
operation's input shape and validates it against the shape's constraints. This module repeats
that from botocore's service model (``service-2.json``), failing the way Coral fails:

1. **SerializationException** for the first JSON value of the wrong type, in document order
   (Coral's deserializer stops there): ``NUMBER_VALUE cannot be converted to String``, ``Unexpected
   field type``, ... (texts and their choice in :mod:`gureum.wire.shape_messages`).
2. **ValidationException** listing the violated constraints (``required``, length, value range,
   ``enum``, ``pattern``) of the whole request: ``2 validation errors detected: Value 'ab' at
   'indexName' failed to satisfy constraint: ...; ...``. Coral orders a structure's violations by
   the iteration order of a Java ``HashMap`` of its lower-camel member names, lists elements by
   index and map entries in document order, and lists (and counts) at most ten.

Nothing semantic is checked here: key schemas, expressions and attribute-value rules are the
service's. Shapes named in ``types_only`` (DynamoDB's ``AttributeValue``) get JSON type checks
only, done without recursion so any nesting depth is safe; shapes in ``unchecked`` are not looked
at at all. JSON ``null`` means absent and unknown members are ignored, as on AWS.

Some checks the model describes are no longer the front end's: AWS moved them into the service,
which words them its own way and makes them first (DynamoDB's "The parameter 'TableName' is
required but was not present in the request"). A service names such top-level input members in
``service_checks``; their checks run once the JSON types are known good and before any
constraint is reported.

``validate`` leaves the body as Coral would hand it to the service, changing it in place:
members whose value is ``null`` are removed, integer/long members given a fraction or a number
too large are truncated and wrapped like Java's ``BigDecimal.intValue()``/``longValue()``, and
boolean members given one of the strings Coral accepts (``true``/``false``/``yes``/``no``/``1``/
``0``, any case) hold the bool.

Each operation's input shape is compiled on first use into nested closures that only check (a
warm PutItem costs a few microseconds). When they meet a violation they give up, and a slower
interpretive pass over the same body builds the detailed, ordered messages.
"""

from __future__ import annotations

import gzip
import importlib.util
import itertools
import os
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from functools import cache
from typing import Any, Final

import orjson

from gureum.core.errors import ServiceError, serialization_error, validation_error
from gureum.wire import shape_messages as msg

Checker = Callable[[Any], Any]
"""A compiled check: raises, or returns None, or returns the value coerced (caller stores it)."""
ServiceCheck = Callable[[Any], "ServiceError | None"]
"""A service's own check of one input member: given its value (None when absent), the error to
answer, or None to go on with the model's checks."""
_OwnChecks = tuple[tuple[str, ServiceCheck], ...]

# Shape kinds; every kind below _K_STRUCT is a leaf, checked by _scalar().
_K_STR, _K_BOOL, _K_INT, _K_LONG, _K_DOUBLE, _K_TIMESTAMP, _K_BLOB, _K_ANY = range(8)
_K_STRUCT, _K_LIST, _K_MAP = 8, 9, 10
_KINDS: Final = {
    "string": _K_STR, "boolean": _K_BOOL, "integer": _K_INT, "long": _K_LONG,
    "double": _K_DOUBLE, "float": _K_DOUBLE, "timestamp": _K_TIMESTAMP, "blob": _K_BLOB,
    "structure": _K_STRUCT, "list": _K_LIST, "map": _K_MAP,
}  # fmt: skip
# Coral's Java types: simple name (conversion texts) and class name (collection texts).
_JAVA: Final = {
    "string": ("String", "java.lang.String"), "boolean": ("Boolean", "java.lang.Boolean"),
    "integer": ("Integer", "java.lang.Integer"), "long": ("Long", "java.lang.Long"),
    "double": ("Double", "java.lang.Double"), "float": ("Float", "java.lang.Float"),
    "timestamp": ("Date", "java.util.Date"), "blob": ("ByteBuffer", "java.nio.ByteBuffer"),
}  # fmt: skip
_INT_LIMIT: Final = {_K_INT: 1 << 31, _K_LONG: 1 << 63}
# The strings Coral reads as booleans, in any case (dynalite; {"NULL": "no"} reaches DynamoDB).
_BOOLEAN_WORDS: Final = {
    "TRUE": True,
    "YES": True,
    "1": True,
    "FALSE": False,
    "NO": False,
    "0": False,
}

# Where a value sits decides some texts: a structure member, a list element or map value, or the
# whole body.
_FIELD, _ELEMENT, _TOP = 0, 1, 2

# Ranks of one node's own violations (pattern before length is recorded), then the bracketed
# complaints about its members, then its children.
_R_PATTERN, _R_LENGTH, _R_ENUM, _R_VALUE, _R_MEMBERS, _R_VALUES = 0, 1, 2, 3, 5, 6


class _Violation(Exception):
    """The compiled checks met a constraint violation: explain the request slowly."""


class _Shape:
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
        self.members: dict[str, _Shape] = {}
        self.lower: dict[str, str] = {}  # member name -> Coral's path segment
        self.order: dict[str, tuple[int, int]] = {}  # member name -> Coral's sort key
        self.required: tuple[str, ...] = ()
        self.strings: frozenset[str] = frozenset()  # members of string kind
        self.member: _Shape | None = None  # list member or map value
        self.key: _Shape | None = None
        self.min: int | float | None = None
        self.max: int | float | None = None
        self.regex: re.Pattern[str] | None = None
        self.pattern = ""
        self.enum: frozenset[str] | None = None
        self.enum_phrase = ""
        self.phrases: list[str] = []  # all own constraints, in Coral's bracketed order
        self.types_only = False


def _lower_first(name: str) -> str:
    return name[:1].lower() + name[1:]


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def _utf16_len(text: str) -> int:
    """Java's ``String.length()``: astral characters count twice."""
    if text.isascii():
        return len(text)
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


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


# --- type checks shared by every pass -----------------------------------------------------------


def _scalar_error(value: Any, shape: _Shape) -> ServiceError:
    if type(value) is dict:
        return serialization_error(msg.START_OF_STRUCTURE)
    if type(value) is list:
        return serialization_error(msg.unrecognized_collection(f"class {shape.java}"))
    if shape.kind == _K_BLOB:
        return serialization_error(msg.NOT_BASE64)
    return serialization_error(msg.not_convertible(value, shape.simple))


def _type_error(value: Any, shape: _Shape, ctx: int) -> ServiceError:
    """What Coral says when ``value`` (not null) has the wrong JSON type for ``shape``."""
    kind = shape.kind
    if kind < _K_STRUCT:
        return _scalar_error(value, shape)
    if kind == _K_STRUCT:
        if type(value) is list:
            return serialization_error(msg.unrecognized_collection(f"class {shape.java}"))
        if ctx == _FIELD:
            return serialization_error(msg.UNEXPECTED_FIELD)
        if ctx == _TOP and value is None:
            return serialization_error()
        return serialization_error(msg.UNEXPECTED_VALUE)
    if type(value) is dict:  # a list given an object
        return serialization_error(msg.START_OF_STRUCTURE)
    if type(value) is list:  # a map given an array
        return serialization_error(msg.unrecognized_collection(shape.java))
    if ctx == _ELEMENT:  # a list or map directly inside a list or map
        return serialization_error(msg.PARAMETERIZED_CAST)
    return serialization_error(msg.UNEXPECTED_FIELD)


def _scalar(value: Any, shape: _Shape) -> Any:
    """``value`` itself when it has the leaf shape's type, else its coercion; raises when Coral
    could not deserialize it."""
    kind, t = shape.kind, type(value)
    if kind == _K_STR:
        if t is str:
            return value
    elif kind in (_K_INT, _K_LONG):
        if t is int or t is float:
            number = int(value)  # truncates a fraction toward zero
            limit = _INT_LIMIT[kind]
            if -limit <= number < limit:
                return value if t is int else number
            return (number + limit) % (2 * limit) - limit
    elif kind == _K_BOOL:
        if t is bool:
            return value
        if t is str:
            word = _BOOLEAN_WORDS.get(value.upper())
            if word is None:
                raise serialization_error(msg.BAD_BOOLEAN_TOKEN)
            return word
    elif kind in (_K_DOUBLE, _K_TIMESTAMP):
        if t is int or t is float:
            return value
    elif kind == _K_BLOB:
        if t is str:
            problem = msg.base64_problem(value)
            if problem is not None:
                raise serialization_error(problem)
            return value
    elif kind == _K_ANY:
        return value
    raise _scalar_error(value, shape)


def _own_violations(shape: _Shape, value: Any) -> list[tuple[int, str]]:
    """The own constraints ``value`` (of the right type) breaks, with their ranks."""
    found: list[tuple[int, str]] = []
    kind = shape.kind
    if kind == _K_STR:
        if shape.regex is not None and shape.regex.fullmatch(value) is None:
            found.append((_R_PATTERN, msg.pattern(shape.pattern)))
        if shape.min is not None or shape.max is not None:
            size = _utf16_len(value)
            if shape.min is not None and size < shape.min:
                found.append((_R_LENGTH, msg.min_length(shape.min)))
            if shape.max is not None and size > shape.max:
                found.append((_R_LENGTH, msg.max_length(shape.max)))
        if shape.enum is not None and value not in shape.enum:
            found.append((_R_ENUM, shape.enum_phrase))
    elif kind in (_K_LIST, _K_MAP):
        if shape.min is not None and len(value) < shape.min:
            found.append((_R_LENGTH, msg.min_length(shape.min)))
        if shape.max is not None and len(value) > shape.max:
            found.append((_R_LENGTH, msg.max_length(shape.max)))
    elif kind in (_K_INT, _K_LONG, _K_DOUBLE):
        if shape.min is not None and value < shape.min:
            found.append((_R_VALUE, msg.min_value(shape.min)))
        if shape.max is not None and value > shape.max:
            found.append((_R_VALUE, msg.max_value(shape.max)))
    return found


# --- types-only checking, without recursion ------------------------------------------------------

_F_STRUCT, _F_LIST, _F_MAP = 0, 1, 2
_Frame = tuple[int, Iterator[Any], _Shape, Any]
_Nulls = list[tuple[dict[str, Any], str]]


def _walk(root: Any, shape: _Shape, ctx: int) -> None:
    """Check the JSON types of ``root`` against ``shape`` (constraints ignored) depth-first in
    document order, with an explicit stack: nesting depth costs no Python stack."""
    frame = _open(root, shape, ctx)
    if frame is not None:
        _run(frame)


def _run(frame: _Frame) -> None:
    """Walk from an open container frame until everything under it is checked."""
    nulls: _Nulls = []
    stack = [frame]
    while stack:
        kind, it, frame_shape, obj = stack[-1]
        if kind == _F_STRUCT:
            pushed = _struct_rest(it, frame_shape, obj, stack, nulls)
        elif kind == _F_LIST:
            pushed = _list_rest(it, frame_shape, obj, stack, nulls)
        else:
            pushed = _map_rest(it, frame_shape, obj, stack, nulls)
        if not pushed:
            stack.pop()
    for obj, name in nulls:
        if name in obj and obj[name] is None:
            del obj[name]


def _leaf_members(
    entries: Iterable[tuple[Any, Any]], member: _Shape, container: dict[Any, Any] | list[Any]
) -> None:
    """Check the leaf elements of a list or map, storing coercions back."""
    if member.kind == _K_STR:
        for _, x in entries:
            if type(x) is not str and x is not None:
                raise _scalar_error(x, member)
        return
    for slot, x in entries:
        if x is not None:
            coerced = _scalar(x, member)
            if coerced is not x:
                container[slot] = coerced


def _open(value: Any, shape: _Shape, ctx: int) -> _Frame | None:
    """Type-check a container and return the frame to walk its contents (None if nothing is left
    to walk: leaf members are checked here and now)."""
    kind = shape.kind
    if kind == _K_STRUCT:
        if type(value) is not dict:
            raise _type_error(value, shape, ctx)
        return (_F_STRUCT, iter(value.items()), shape, value)
    if kind == _K_LIST:
        if type(value) is not list:
            raise _type_error(value, shape, ctx)
        member = shape.member
        assert member is not None
        if member.kind < _K_STRUCT:
            _leaf_members(enumerate(value), member, value)
            return None
        return (_F_LIST, iter(value), shape, value) if value else None
    if kind == _K_MAP:
        if type(value) is not dict:
            raise _type_error(value, shape, ctx)
        member = shape.member
        assert member is not None
        if member.kind < _K_STRUCT:
            _leaf_members(value.items(), member, value)
            return None
        return (_F_MAP, iter(value.values()), shape, value) if value else None
    _scalar(value, shape)  # a leaf root: nowhere to store a coercion
    return None


def _struct_rest(
    it: Iterator[Any], shape: _Shape, obj: dict[str, Any], stack: list[_Frame], nulls: _Nulls
) -> bool:
    """Go on through a structure's members; True when a container member was pushed (the walk
    must descend before coming back here)."""
    members = shape.members
    for name, x in it:
        member = members.get(name)
        if member is None:
            continue
        if x is None:
            nulls.append((obj, name))
            continue
        kind = member.kind
        if kind == _K_STR:
            if type(x) is not str:
                raise _scalar_error(x, member)
        elif kind == _K_BOOL and type(x) is bool:
            pass
        elif kind < _K_STRUCT:
            coerced = _scalar(x, member)
            if coerced is not x:
                obj[name] = coerced
        else:
            frame = _open(x, member, _FIELD)
            if frame is not None:
                stack.append(frame)
                return True
    return False


def _element_struct(value: Any, shape: _Shape, stack: list[_Frame], nulls: _Nulls) -> bool:
    """A structure inside a list or map, walked in place; only pushed when it must suspend."""
    if type(value) is not dict:
        raise _type_error(value, shape, _ELEMENT)
    it = iter(value.items())
    if _struct_rest(it, shape, value, stack, nulls):
        stack.insert(len(stack) - 1, (_F_STRUCT, it, shape, value))
        return True
    return False


def _list_rest(
    it: Iterator[Any], shape: _Shape, obj: list[Any], stack: list[_Frame], nulls: _Nulls
) -> bool:
    member = shape.member
    assert member is not None
    if member.kind == _K_STRUCT:
        strings = member.strings
        for x in it:
            # The usual attribute value, one string member ({"S": ...}, {"N": ...}), is done here.
            if type(x) is dict and len(x) == 1:
                [name] = x
                if name in strings and type(x[name]) is str:
                    continue
            if x is not None and _element_struct(x, member, stack, nulls):
                return True
        return False
    for x in it:
        if x is not None:
            frame = _open(x, member, _ELEMENT)
            if frame is not None:
                stack.append(frame)
                return True
    return False


def _map_rest(
    it: Iterator[Any], shape: _Shape, obj: dict[str, Any], stack: list[_Frame], nulls: _Nulls
) -> bool:
    member = shape.member
    assert member is not None
    if member.kind == _K_STRUCT:
        strings = member.strings
        for x in it:
            if type(x) is dict and len(x) == 1:  # see _list_rest
                [name] = x
                if name in strings and type(x[name]) is str:
                    continue
            if x is not None and _element_struct(x, member, stack, nulls):
                return True
        return False
    for x in it:
        if x is not None:
            frame = _open(x, member, _ELEMENT)
            if frame is not None:
                stack.append(frame)
                return True
    return False


# --- the validator ------------------------------------------------------------------------------


def _accept(value: Any) -> None:
    return None


def _run_own(own: _OwnChecks, body: dict[str, Any]) -> None:
    """The service's own checks of top-level members, in order; the first error is raised."""
    for member, check in own:
        error = check(body.get(member))
        if error is not None:
            raise error


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


class ShapeValidator:
    """Checks request bodies of one service against its botocore model, as Coral does.

    ``types_only`` names shapes whose values get JSON type checks but no constraint checks
    (shapes on a cycle of the model are added to them, so no check ever recurses without bound);
    ``unchecked`` names shapes accepted as they are, for a service that validates them itself.
    ``service_checks`` maps ``"<InputShape>.<Member>"`` (a top-level member of an operation's
    input) to the check the service makes of it itself, ahead of the model's constraints: its
    error wins over every constraint violation of the request, and a member it accepts is then
    checked against the model as usual.
    ``java_package`` is the package of Coral's generated classes, which some texts name
    (derived from the model's endpoint prefix and API version when not given).
    """

    def __init__(
        self,
        model: dict[str, Any],
        *,
        types_only: Iterable[str] = ("AttributeValue",),
        unchecked: Iterable[str] = (),
        service_checks: Mapping[str, ServiceCheck] | None = None,
        java_package: str | None = None,
    ) -> None:
        self._model = model
        self._shapes_json: dict[str, Any] = model.get("shapes", {})
        self._types_only = frozenset(types_only)
        self._unchecked = frozenset(unchecked)
        self._service_checks = dict(service_checks or {})
        if java_package is None:
            meta = model.get("metadata", {})
            version = str(meta.get("apiVersion", "")).replace("-", "")
            java_package = f"com.amazonaws.{meta.get('endpointPrefix', 'unknown')}.v{version}"
        self._package = java_package
        self._shapes: dict[str, _Shape] = {}
        self._checkers: dict[tuple[str, int], Checker] = {}
        self._operations: dict[str, tuple[Checker, _Shape, _OwnChecks] | None] = {}

    def validate(self, operation: str, body: Any) -> None:
        """Raise the SerializationException or ValidationException Coral would answer to
        ``body`` (parsed JSON) for ``operation`` (or the error of a service check); otherwise
        normalize it in place and return. Operations the model does not have are not checked."""
        entry = self._operations.get(operation)
        if entry is None:
            if operation in self._operations:
                return
            entry = self._prepare(operation)
            if entry is None:
                return
        check, shape, own = entry
        if type(body) is not dict:
            raise _type_error(body, shape, _TOP)
        try:
            check(body)
        except _Violation:
            pass
        else:
            _run_own(own, body)
            return
        self._explain(shape, body, own)  # outside the handler: no chained _Violation

    # -- model preparation --

    def _prepare(self, operation: str) -> tuple[Checker, _Shape, _OwnChecks] | None:
        op = self._model.get("operations", {}).get(operation)
        name = (op or {}).get("input", {}).get("shape")
        if name is None:
            self._operations[operation] = None
            return None
        shape = self._shape(name)
        self._break_cycles(shape)
        own = tuple(
            (member, check)
            for key, check in self._service_checks.items()
            for owner, _, member in [key.partition(".")]
            if owner == name
        )
        entry = (self._compile(shape, _TOP), shape, own)
        self._operations[operation] = entry
        return entry

    def _shape(self, name: str) -> _Shape:
        shape = self._shapes.get(name)
        if shape is not None:
            return shape
        spec = self._shapes_json[name]
        kind = _K_ANY if name in self._unchecked else _KINDS[spec["type"]]
        shape = self._shapes[name] = _Shape(name, kind)
        shape.types_only = name in self._types_only
        shape.simple, shape.java = _JAVA.get(spec["type"], ("", f"{self._package}.{name}"))
        shape.min, shape.max = spec.get("min"), spec.get("max")
        if kind == _K_ANY:
            return shape
        if kind == _K_STRUCT:
            members: dict[str, Any] = spec.get("members", {})
            shape.members = {m: self._shape(ref["shape"]) for m, ref in members.items()}
            shape.lower = {m: _lower_first(m) for m in members}
            keys = msg.hashmap_order(list(shape.lower.values()))
            shape.order = dict(zip(members, keys, strict=True))
            shape.required = tuple(m for m in spec.get("required", ()) if m in members)
            shape.strings = frozenset(m for m, s in shape.members.items() if s.kind == _K_STR)
        elif kind == _K_LIST:
            shape.member = self._shape(spec["member"]["shape"])
            shape.java = f"java.util.List<{shape.member.java}>"
        elif kind == _K_MAP:
            shape.key = self._shape(spec["key"]["shape"])
            shape.member = self._shape(spec["value"]["shape"])
            shape.java = f"java.util.Map<java.lang.String, {shape.member.java}>"
        self._constraints(shape, spec)
        return shape

    def _constraints(self, shape: _Shape, spec: dict[str, Any]) -> None:
        phrases: list[str] = []
        if shape.kind in (_K_STR, _K_LIST, _K_MAP):
            if shape.max is not None:
                phrases.append(msg.max_length(shape.max))
            if shape.min is not None:
                phrases.append(msg.min_length(shape.min))
        if shape.kind == _K_STR and "pattern" in spec:
            shape.regex = _java_regex(spec["pattern"])
            if shape.regex is not None:
                shape.pattern = spec["pattern"]
                phrases.append(msg.pattern(shape.pattern))
        if shape.kind == _K_STR and "enum" in spec:
            values = list(spec["enum"])
            coral = msg.CORAL_ENUM_ORDER.get(shape.name)
            if coral is not None and set(coral) == set(values):
                values = list(coral)
            shape.enum = frozenset(values)
            shape.enum_phrase = msg.enum(values)
            phrases.append(shape.enum_phrase)
        if shape.kind in (_K_INT, _K_LONG, _K_DOUBLE):
            if shape.max is not None:
                phrases.append(msg.max_value(shape.max))
            if shape.min is not None:
                phrases.append(msg.min_value(shape.min))
        elif shape.kind not in (_K_STR, _K_LIST, _K_MAP):
            shape.min = shape.max = None  # no length/range on other kinds
        shape.phrases = phrases

    def _break_cycles(self, root: _Shape) -> None:
        """Make a shape on a cycle types-only, so compiled checks (which recurse) stay finite."""
        state: dict[str, int] = {}  # 1: on the current path, 2: done

        def visit(shape: _Shape) -> None:
            state[shape.name] = 1
            for child in self._children(shape):
                if child.types_only or state.get(child.name) == 2:
                    continue
                if state.get(child.name) == 1:
                    child.types_only = True
                    continue
                visit(child)
            state[shape.name] = 2

        if not root.types_only:
            visit(root)

    @staticmethod
    def _children(shape: _Shape) -> list[_Shape]:
        if shape.kind == _K_STRUCT:
            return list(shape.members.values())
        return [s for s in (shape.key, shape.member) if s is not None]

    # -- compiled checks (fast path) --

    def _compile(self, shape: _Shape, ctx: int) -> Checker:
        cached = self._checkers.get((shape.name, ctx))
        if cached is not None:
            return cached
        kind = shape.kind
        if kind == _K_ANY:
            check: Checker = _accept
        elif shape.types_only:
            check = self._compile_types_only(shape, ctx)
        elif kind == _K_STRUCT:
            check = self._compile_struct(shape, ctx)
        elif kind == _K_LIST:
            check = self._compile_list(shape, ctx)
        elif kind == _K_MAP:
            check = self._compile_map(shape, ctx)
        else:
            check = self._compile_leaf(shape)
        self._checkers[(shape.name, ctx)] = check
        return check

    @staticmethod
    def _compile_types_only(shape: _Shape, ctx: int) -> Checker:
        def check(value: Any) -> None:
            _walk(value, shape, ctx)

        return check

    def _compile_struct(self, shape: _Shape, ctx: int) -> Checker:
        get = {m: self._compile(s, _FIELD) for m, s in shape.members.items()}.get
        required = shape.required

        def check(value: Any) -> None:
            if type(value) is not dict:
                raise _type_error(value, shape, ctx)
            nulls: list[str] | None = None
            for name, x in value.items():
                member = get(name)
                if member is None:
                    continue
                if x is None:
                    if nulls is None:
                        nulls = []
                    nulls.append(name)
                    continue
                coerced = member(x)
                if coerced is not None:
                    value[name] = coerced
            if nulls is not None:
                for name in nulls:
                    del value[name]
            for name in required:
                if name not in value:
                    raise _Violation

        return check

    def _compile_list(self, shape: _Shape, ctx: int) -> Checker:
        member = shape.member
        assert member is not None
        low = shape.min if shape.min is not None else 0
        high = shape.max if shape.max is not None else float("inf")
        if member.types_only:
            return self._walk_after(shape, ctx, low, high)
        each = self._compile(member, _ELEMENT)
        coerces = member.kind in (_K_BOOL, _K_INT, _K_LONG)

        def check(value: Any) -> None:
            if type(value) is not list:
                raise _type_error(value, shape, ctx)
            if not low <= len(value) <= high:
                raise _Violation
            if coerces:
                for i, x in enumerate(value):
                    if x is not None:
                        coerced = each(x)
                        if coerced is not None:
                            value[i] = coerced
            else:
                for x in value:
                    if x is not None:
                        each(x)

        return check

    def _compile_map(self, shape: _Shape, ctx: int) -> Checker:
        member, key = shape.member, shape.key
        assert member is not None and key is not None
        low = shape.min if shape.min is not None else 0
        high = shape.max if shape.max is not None else float("inf")
        keys_ok = self._keys_test(key) if key.phrases else None
        if member.types_only:
            return self._walk_after(shape, ctx, low, high, keys_ok)
        each = self._compile(member, _ELEMENT)

        def check(value: Any) -> None:
            if type(value) is not dict:
                raise _type_error(value, shape, ctx)
            if not low <= len(value) <= high:
                raise _Violation
            if keys_ok is not None and not keys_ok(value):
                raise _Violation
            for name, x in value.items():
                if x is not None:
                    coerced = each(x)
                    if coerced is not None:
                        value[name] = coerced

        return check

    @staticmethod
    def _walk_after(
        shape: _Shape,
        ctx: int,
        low: float,
        high: float,
        keys_ok: Callable[[Any], bool] | None = None,
    ) -> Checker:
        """A list or map of types-only values: own constraints here, the values walked."""
        is_map = shape.kind == _K_MAP
        container = dict if is_map else list
        member = shape.member
        assert member is not None
        strings = member.strings if member.kind == _K_STRUCT else frozenset()
        frame_kind = _F_MAP if is_map else _F_LIST
        if member.kind < _K_STRUCT:  # leaf values: nothing to walk into

            def check_leaves(value: Any) -> None:
                if type(value) is not container:
                    raise _type_error(value, shape, ctx)
                if not low <= len(value) <= high:
                    raise _Violation
                if keys_ok is not None and not keys_ok(value):
                    raise _Violation
                _walk(value, shape, ctx)

            return check_leaves

        def check(value: Any) -> None:
            if type(value) is not container:
                raise _type_error(value, shape, ctx)
            if not low <= len(value) <= high:
                raise _Violation
            if keys_ok is not None and not keys_ok(value):
                raise _Violation
            # Spare the walker's set-up while the values are one-string attribute values.
            elements: Any = value  # a dict or a list, as checked above
            it = iter(elements.values() if is_map else elements)
            for x in it:
                if type(x) is dict and len(x) == 1:
                    [name] = x
                    if name in strings and type(x[name]) is str:
                        continue
                _run((frame_kind, itertools.chain((x,), it), shape, value))
                return

        return check

    @classmethod
    def _keys_test(cls, shape: _Shape) -> Callable[[dict[str, Any]], bool]:
        """A predicate: every key of a map satisfies the key shape."""
        if shape.regex is None and shape.enum is None and not shape.min:
            # Only a maximum length (an attribute name's 65535): cheap bound, exact when near it.
            high = shape.max if shape.max is not None else float("inf")
            safe = high // 2

            def short_keys(value: dict[str, Any]) -> bool:
                if not value or max(map(len, value)) <= safe:
                    return True
                return all(_utf16_len(name) <= high for name in value)

            return short_keys
        ok = cls._string_test(shape)

        def keys(value: dict[str, Any]) -> bool:
            return all(ok(name) for name in value)

        return keys

    @staticmethod
    def _string_test(shape: _Shape) -> Callable[[str], bool]:
        """A predicate for a string shape's constraints (cheap length bounds first)."""
        low = shape.min if shape.min is not None else 0
        high = shape.max if shape.max is not None else float("inf")
        regex, allowed = shape.regex, shape.enum

        def ok(text: str) -> bool:
            n = len(text)
            # Java counts UTF-16 units, between n and 2n: only compute them near a bound.
            if (n < low or 2 * n > high) and not low <= _utf16_len(text) <= high:
                return False
            if regex is not None and regex.fullmatch(text) is None:
                return False
            return allowed is None or text in allowed

        return ok

    def _compile_leaf(self, shape: _Shape) -> Checker:
        kind = shape.kind
        if kind == _K_STR:
            if not shape.phrases:

                def check_str(value: Any) -> None:
                    if type(value) is not str:
                        raise _scalar_error(value, shape)

                return check_str
            allowed = shape.enum
            if allowed is not None and len(shape.phrases) == 1:

                def check_enum(value: Any) -> None:
                    if type(value) is not str:
                        raise _scalar_error(value, shape)
                    if value not in allowed:
                        raise _Violation

                return check_enum
            if shape.regex is None and allowed is None:
                low_len = shape.min if shape.min is not None else 0
                high_len = shape.max if shape.max is not None else float("inf")

                def check_length(value: Any) -> None:
                    if type(value) is not str:
                        raise _scalar_error(value, shape)
                    n = len(value)
                    # Java counts UTF-16 units, between n and 2n: exact only near a bound.
                    if (n < low_len or 2 * n > high_len) and not (
                        low_len <= _utf16_len(value) <= high_len
                    ):
                        raise _Violation

                return check_length
            ok = self._string_test(shape)

            def check_constrained(value: Any) -> None:
                if type(value) is not str:
                    raise _scalar_error(value, shape)
                if not ok(value):
                    raise _Violation

            return check_constrained
        low = shape.min if shape.min is not None else float("-inf")
        high = shape.max if shape.max is not None else float("inf")
        if kind == _K_BOOL:

            def check_bool(value: Any) -> Any:
                if type(value) is bool:
                    return None
                return _scalar(value, shape)  # a word Coral reads as a boolean, or raises

            return check_bool
        if kind in (_K_INT, _K_LONG):
            # Values needing no coercion nor a closer look: in range and in Java's int/long.
            limit = _INT_LIMIT[kind]
            easy_low, easy_high = max(low, -limit), min(high, limit - 1)

            def check_integral(value: Any) -> Any:
                if type(value) is int and easy_low <= value <= easy_high:
                    return None
                coerced = _scalar(value, shape)
                if not low <= coerced <= high:
                    raise _Violation
                return None if coerced is value else coerced

            return check_integral

        def check_leaf(value: Any) -> Any:
            coerced = _scalar(value, shape)
            if shape.phrases and not low <= coerced <= high:
                raise _Violation
            return None if coerced is value else coerced

        return check_leaf

    # -- detailed pass (a violation was found) --

    def _explain(self, shape: _Shape, body: dict[str, Any], own: _OwnChecks) -> None:
        found: list[tuple[tuple[int, ...], str]] = []
        self._detail(shape, body, _TOP, "", (), found)  # raises on a wrong JSON type
        _run_own(own, body)
        if found:
            found.sort(key=lambda entry: entry[0])
            raise validation_error(msg.summary([text for _, text in found]))

    def _detail(
        self,
        shape: _Shape,
        value: Any,
        ctx: int,
        path: str,
        key: tuple[int, ...],
        found: list[tuple[tuple[int, ...], str]],
    ) -> bool:
        """Type-check ``value`` in document order (raising as the compiled checks do) and record
        every violation under it with its sort ``key``. Returns whether the value's own
        constraints are broken; the caller reports that for elements, which Coral words as a
        bracketed complaint about the enclosing list or map."""
        kind = shape.kind
        if kind == _K_ANY:
            return False
        if shape.types_only:
            _walk(value, shape, ctx)
            return False
        if kind == _K_STRUCT:
            if type(value) is not dict:
                raise _type_error(value, shape, ctx)
            for name, x in value.items():
                member = shape.members.get(name)
                if member is not None and x is not None:
                    member_path = _join(path, shape.lower[name])
                    where = (*key, 1, *shape.order[name])
                    self._detail(member, x, _FIELD, member_path, where, found)
            for name in shape.required:
                if value.get(name) is None:
                    text = msg.violation(None, _join(path, shape.lower[name]), msg.NOT_NULL)
                    found.append(((*key, 1, *shape.order[name], 0, 0, 0), text))
            return False
        if kind in (_K_LIST, _K_MAP):
            return self._detail_collection(shape, value, ctx, path, key, found)
        coerced = _scalar(value, shape)
        own = _own_violations(shape, coerced)
        if own and ctx != _ELEMENT:  # an element's own violations are its container's to word
            rendered = self._render(coerced, shape)
            found.extend(((*key, 0, r, 0), msg.violation(rendered, path, p)) for r, p in own)
        return bool(own)

    def _detail_collection(
        self,
        shape: _Shape,
        value: Any,
        ctx: int,
        path: str,
        key: tuple[int, ...],
        found: list[tuple[tuple[int, ...], str]],
    ) -> bool:
        is_map = shape.kind == _K_MAP
        if type(value) is not (dict if is_map else list):
            raise _type_error(value, shape, ctx)
        member = shape.member
        assert member is not None
        bad_members = False
        entries: Iterable[tuple[Any, Any]]
        entries = value.items() if isinstance(value, dict) else enumerate(value)
        for position, (name, x) in enumerate(entries):
            if x is None:
                continue
            where = f"{path}.{name}.member" if is_map else f"{path}.{name + 1}.member"
            if self._detail(member, x, _ELEMENT, where, (*key, 1, position, 0), found):
                bad_members = True
        complaints = [] if ctx == _ELEMENT else _own_violations(shape, value)
        if is_map:
            key_shape = shape.key
            assert key_shape is not None
            if key_shape.phrases and any(_own_violations(key_shape, name) for name in value):
                complaints.append((_R_MEMBERS, msg.map_keys(key_shape.phrases)))
            if bad_members:
                complaints.append((_R_VALUES, msg.map_value(member.phrases)))
        elif bad_members:
            complaints.append((_R_MEMBERS, msg.list_member(member.phrases)))
        if complaints:
            rendered = self._render(value, shape)
            found.extend(((*key, 0, r, 0), msg.violation(rendered, path, p)) for r, p in complaints)
        # an element's own violations are its container's to word
        return ctx == _ELEMENT and bool(_own_violations(shape, value))

    def _render(self, value: Any, shape: _Shape) -> str:
        """``value`` as Coral prints it: Java's ``toString()`` of the deserialized object."""
        if value is None:
            return "null"
        kind = shape.kind
        try:
            if kind == _K_STRUCT:
                if shape.types_only:  # AWS prints these as Object.toString(): class@hash
                    return f"{shape.java}@{msg.identity_hash(value)}"
                fields = ", ".join(
                    f"{shape.lower[m]}={self._render(value.get(m), s)}"
                    for m, s in shape.members.items()
                )
                return f"{shape.name}({fields})"
            if kind == _K_LIST and shape.member is not None:
                return f"[{', '.join(self._render(x, shape.member) for x in value)}]"
            if kind == _K_MAP and shape.member is not None:
                shown = (f"{k}={self._render(x, shape.member)}" for k, x in value.items())
                return "{" + ", ".join(shown) + "}"
            if kind == _K_BOOL:
                return "true" if _scalar(value, shape) else "false"
            if kind in (_K_INT, _K_LONG):
                return str(_scalar(value, shape))
            if kind == _K_DOUBLE:
                return msg.java_double(float(value))
            if kind == _K_TIMESTAMP:
                return msg.java_date(float(value))
            if kind == _K_BLOB:
                return msg.byte_buffer(value)
        except (ServiceError, AttributeError, TypeError, ValueError, OverflowError):
            pass
        return value if type(value) is str else orjson.dumps(value).decode()
