"""The types-only check, without recursion: JSON types of a value against a shape, constraints
ignored, depth-first in document order with an explicit stack (any nesting depth is safe).

Shapes marked ``types_only`` (DynamoDB's ``AttributeValue``, and shapes on a cycle of the model)
are checked this way by both passes of :class:`gureum.wire.shapes.ShapeValidator`. Like the rest
of the validation it normalizes what it checks in place: coercions are stored back and members
whose value is ``null`` are removed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from gureum.wire.shape_model import K_BOOL, K_LIST, K_MAP, K_STR, K_STRUCT
from gureum.wire.shape_types import ELEMENT, FIELD, scalar, scalar_error, type_error

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    from gureum.wire.shape_model import Shape

    # What is left of a structure's members, or of a list's or map's values: (kind, iterator,
    # shape, the container).
    _Frame = tuple[int, Iterator[Any], Shape, Any]
    _Nulls = list[tuple[dict[str, Any], str]]  # (structure, member) given null, removed at the end

_F_STRUCT, _F_ELEMENTS = 0, 1


def walk(root: Any, shape: Shape, ctx: int) -> None:
    """Check the JSON types of ``root`` against ``shape`` (``ctx``: where it sits)."""
    frame = _open(root, shape, ctx)
    if frame is not None:
        _run(frame)


def walk_elements(elements: Iterator[Any], shape: Shape, container: Any) -> None:
    """Check the rest of the values of a list or map of ``shape`` (its own type already checked),
    ``elements`` being an iterator over them."""
    _run((_F_ELEMENTS, elements, shape, container))


def _run(frame: _Frame) -> None:
    """Walk from an open container frame until everything under it is checked."""
    nulls: _Nulls = []
    stack = [frame]
    while stack:
        kind, it, frame_shape, obj = stack[-1]
        if kind == _F_STRUCT:
            pushed = _struct_rest(it, frame_shape, obj, stack, nulls)
        else:
            pushed = _elements_rest(it, frame_shape, stack, nulls)
        if not pushed:
            stack.pop()
    for obj, name in nulls:
        if name in obj and obj[name] is None:
            del obj[name]


def _leaf_members(
    entries: Iterable[tuple[Any, Any]], member: Shape, container: dict[Any, Any] | list[Any]
) -> None:
    """Check the leaf elements of a list or map, storing coercions back."""
    if member.kind == K_STR:
        for _, x in entries:
            if type(x) is not str and x is not None:
                raise scalar_error(x, member)
        return
    for slot, x in entries:
        if x is not None:
            coerced = scalar(x, member)
            if coerced is not x:
                container[slot] = coerced


def _open(value: Any, shape: Shape, ctx: int) -> _Frame | None:
    """Type-check a container and return the frame to walk its contents (None if nothing is left
    to walk: leaf members are checked here and now)."""
    kind = shape.kind
    if kind == K_STRUCT:
        if type(value) is not dict:
            raise type_error(value, shape, ctx)
        return (_F_STRUCT, iter(value.items()), shape, value)
    # Lists and maps apart: one branch for both costs a warm PutItem some 3%.
    if kind == K_LIST:
        if type(value) is not list:
            raise type_error(value, shape, ctx)
        member = shape.member
        assert member is not None
        if member.kind < K_STRUCT:
            _leaf_members(enumerate(value), member, value)
            return None
        return (_F_ELEMENTS, iter(value), shape, value) if value else None
    if kind == K_MAP:
        if type(value) is not dict:
            raise type_error(value, shape, ctx)
        member = shape.member
        assert member is not None
        if member.kind < K_STRUCT:
            _leaf_members(value.items(), member, value)
            return None
        return (_F_ELEMENTS, iter(value.values()), shape, value) if value else None
    scalar(value, shape)  # a leaf root: nowhere to store a coercion
    return None


def _struct_rest(
    it: Iterator[Any], shape: Shape, obj: dict[str, Any], stack: list[_Frame], nulls: _Nulls
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
        if kind == K_STR:
            if type(x) is not str:
                raise scalar_error(x, member)
        elif kind == K_BOOL and type(x) is bool:
            pass
        elif kind < K_STRUCT:
            coerced = scalar(x, member)
            if coerced is not x:
                obj[name] = coerced
        else:
            frame = _open(x, member, FIELD)
            if frame is not None:
                stack.append(frame)
                return True
    return False


def _element_struct(value: Any, shape: Shape, stack: list[_Frame], nulls: _Nulls) -> bool:
    """A structure inside a list or map, walked in place; only pushed when it must suspend."""
    if type(value) is not dict:
        raise type_error(value, shape, ELEMENT)
    it = iter(value.items())
    if _struct_rest(it, shape, value, stack, nulls):
        stack.insert(len(stack) - 1, (_F_STRUCT, it, shape, value))
        return True
    return False


def _elements_rest(it: Iterator[Any], shape: Shape, stack: list[_Frame], nulls: _Nulls) -> bool:
    """Go on through a list's or map's values, as :func:`_struct_rest` does a structure's."""
    member = shape.member
    assert member is not None
    if member.kind == K_STRUCT:
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
            frame = _open(x, member, ELEMENT)
            if frame is not None:
                stack.append(frame)
                return True
    return False
