"""The detailed pass: every constraint a request breaks, worded and ordered as Coral does.

It runs only once the compiled checks (:mod:`gureum.wire.shape_checks`) have met a violation. It
goes over the body again in document order, raising the same SerializationException they would
for a wrong JSON type, and records each violation with a sort key: a structure's members in the
iteration order of Coral's ``HashMap`` of their lower-camel names, list elements by index, map
entries in document order; a node's own violations before its children's. A list's or map's
elements do not report their own constraints: the container words them as a bracketed
complaint (``Member must satisfy constraint: [...]``, ``Map value must ...``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import orjson

from gureum.core.errors import ServiceError
from gureum.wire import shape_messages as msg
from gureum.wire.shape_model import (
    K_ANY,
    K_BLOB,
    K_BOOL,
    K_DOUBLE,
    K_INT,
    K_LIST,
    K_LONG,
    K_MAP,
    K_STR,
    K_STRUCT,
    K_TIMESTAMP,
)
from gureum.wire.shape_types import ELEMENT, FIELD, TOP, scalar, type_error, utf16_len
from gureum.wire.shape_walk import walk

if TYPE_CHECKING:
    from gureum.wire.shape_model import Shape

# Ranks of one node's own violations (pattern before length is recorded), then the bracketed
# complaints about its members, then its children.
_R_PATTERN, _R_LENGTH, _R_ENUM, _R_VALUE, _R_MEMBERS, _R_VALUES = 0, 1, 2, 3, 5, 6

_Found = list[tuple[tuple[int, ...], str]]  # (sort key, text) of each violation


def violations(shape: Shape, body: dict[str, Any]) -> list[str]:
    """The texts of the constraint violations of ``body`` (the input of ``shape``), in Coral's
    order; raises the SerializationException of the first value of a wrong JSON type."""
    found: _Found = []
    _detail(shape, body, TOP, "", (), found)
    found.sort(key=lambda entry: entry[0])
    return [text for _, text in found]


def _own_violations(shape: Shape, value: Any) -> list[tuple[int, str]]:
    """The own constraints ``value`` (of the right type) breaks, with their ranks."""
    found: list[tuple[int, str]] = []
    kind = shape.kind
    if kind == K_STR and shape.regex is not None and shape.regex.fullmatch(value) is None:
        found.append((_R_PATTERN, msg.pattern(shape.pattern)))
    if kind in (K_STR, K_LIST, K_MAP) and (shape.min is not None or shape.max is not None):
        size = utf16_len(value) if kind == K_STR else len(value)
        if shape.min is not None and size < shape.min:
            found.append((_R_LENGTH, msg.min_length(shape.min)))
        if shape.max is not None and size > shape.max:
            found.append((_R_LENGTH, msg.max_length(shape.max)))
    if kind == K_STR and shape.enum is not None and value not in shape.enum:
        found.append((_R_ENUM, shape.enum_phrase))
    if kind in (K_INT, K_LONG, K_DOUBLE):
        if shape.min is not None and value < shape.min:
            found.append((_R_VALUE, msg.min_value(shape.min)))
        if shape.max is not None and value > shape.max:
            found.append((_R_VALUE, msg.max_value(shape.max)))
    return found


def _detail(
    shape: Shape, value: Any, ctx: int, path: str, key: tuple[int, ...], found: _Found
) -> bool:
    """Type-check ``value`` in document order (raising as the compiled checks do) and record
    every violation under it with its sort ``key``. Returns whether the value's own constraints
    are broken; the caller reports that for elements, which Coral words as a bracketed complaint
    about the enclosing list or map."""
    kind = shape.kind
    if kind == K_ANY:
        return False
    if shape.types_only:
        walk(value, shape, ctx)
        return False
    if kind == K_STRUCT:
        if type(value) is not dict:
            raise type_error(value, shape, ctx)
        for name, x in value.items():
            member = shape.members.get(name)
            if member is not None and x is not None:
                member_path = _join(path, shape.lower[name])
                _detail(member, x, FIELD, member_path, (*key, 1, *shape.order[name]), found)
        for name in shape.required:
            if value.get(name) is None:
                text = msg.violation(None, _join(path, shape.lower[name]), msg.NOT_NULL)
                found.append(((*key, 1, *shape.order[name], 0, 0, 0), text))
        return False
    if kind in (K_LIST, K_MAP):
        return _detail_collection(shape, value, ctx, path, key, found)
    coerced = scalar(value, shape)
    own = _own_violations(shape, coerced)
    if own and ctx != ELEMENT:  # an element's own violations are its container's to word
        _record(coerced, shape, path, key, own, found)
    return bool(own)


def _detail_collection(
    shape: Shape, value: Any, ctx: int, path: str, key: tuple[int, ...], found: _Found
) -> bool:
    is_map = shape.kind == K_MAP
    container: type[Any] = dict if is_map else list  # (so that mypy keeps value Any)
    if type(value) is not container:
        raise type_error(value, shape, ctx)
    member = shape.member
    assert member is not None
    bad_members = False
    entries = value.items() if is_map else enumerate(value)
    for position, (name, x) in enumerate(entries):
        if x is None:
            continue
        where = f"{path}.{name}.member" if is_map else f"{path}.{name + 1}.member"
        if _detail(member, x, ELEMENT, where, (*key, 1, position, 0), found):
            bad_members = True
    complaints = [] if ctx == ELEMENT else _own_violations(shape, value)
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
        _record(value, shape, path, key, complaints, found)
    # an element's own violations are its container's to word
    return ctx == ELEMENT and bool(_own_violations(shape, value))


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def _record(
    value: Any,
    shape: Shape,
    path: str,
    key: tuple[int, ...],
    ranked: list[tuple[int, str]],
    found: _Found,
) -> None:
    """Record the (rank, phrase) violations of ``value``, at ``path``."""
    rendered = _render(value, shape)
    found.extend(((*key, 0, rank, 0), msg.violation(rendered, path, p)) for rank, p in ranked)


def _render(value: Any, shape: Shape) -> str:
    """``value`` as Coral prints it: Java's ``toString()`` of the deserialized object."""
    if value is None:
        return "null"
    kind = shape.kind
    try:
        if kind == K_STRUCT:
            if shape.types_only:  # AWS prints these as Object.toString(): class@hash
                return f"{shape.java}@{msg.identity_hash(value)}"
            fields = ", ".join(
                f"{shape.lower[m]}={_render(value.get(m), s)}" for m, s in shape.members.items()
            )
            return f"{shape.name}({fields})"
        if kind == K_LIST and shape.member is not None:
            return f"[{', '.join(_render(x, shape.member) for x in value)}]"
        if kind == K_MAP and shape.member is not None:
            shown = (f"{k}={_render(x, shape.member)}" for k, x in value.items())
            return "{" + ", ".join(shown) + "}"
        if kind == K_BOOL:
            return "true" if scalar(value, shape) else "false"
        if kind in (K_INT, K_LONG):
            return str(scalar(value, shape))
        if kind == K_DOUBLE:
            return msg.java_double(float(value))
        if kind == K_TIMESTAMP:
            return msg.java_date(float(value))
        if kind == K_BLOB:
            return msg.byte_buffer(value)
    except (ServiceError, AttributeError, TypeError, ValueError, OverflowError):
        pass
    return value if type(value) is str else orjson.dumps(value).decode()
