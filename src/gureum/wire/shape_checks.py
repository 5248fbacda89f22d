"""The fast pass: shapes compiled into nested closures that only check.

A compiled check raises the SerializationException of a wrong JSON type (in document order, as
the detailed pass would), stores Coral's coercions back, removes structure members given
``null``, and raises :class:`Violation` at the first broken constraint, without saying which:
:mod:`gureum.wire.shape_violations` then goes over the request again to word them all.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from gureum.wire.shape_model import K_ANY, K_BOOL, K_INT, K_LONG, K_MAP, K_STR, K_STRUCT
from gureum.wire.shape_types import (
    ELEMENT,
    FIELD,
    INT_LIMIT,
    scalar,
    scalar_error,
    type_error,
    utf16_len,
)
from gureum.wire.shape_walk import walk, walk_elements

if TYPE_CHECKING:
    from gureum.wire.shape_model import Shape

Checker = Callable[[Any], Any]
"""A compiled check: raises, or returns None, or returns the value coerced (caller stores it)."""


class Violation(Exception):
    """The compiled checks met a constraint violation: explain the request slowly."""


def _accept(value: Any) -> None:
    return None


def _length_bounds(shape: Shape) -> tuple[float, float]:
    """A string's, list's or map's allowed lengths (inclusive)."""
    low = shape.min if shape.min is not None else 0
    high = shape.max if shape.max is not None else float("inf")
    return low, high


class CheckCompiler:
    """Compiles shapes into checks, each shape once for each place (``ctx``) it is found in."""

    def __init__(self) -> None:
        self._checkers: dict[tuple[str, int], Checker] = {}

    def compile(self, shape: Shape, ctx: int) -> Checker:
        cached = self._checkers.get((shape.name, ctx))
        if cached is not None:
            return cached
        kind = shape.kind
        if kind == K_ANY:
            check: Checker = _accept
        elif shape.types_only:
            check = self._compile_types_only(shape, ctx)
        elif kind == K_STRUCT:
            check = self._compile_struct(shape, ctx)
        elif kind > K_STRUCT:  # a list or map
            check = self._compile_collection(shape, ctx)
        else:
            check = self._compile_leaf(shape)
        self._checkers[(shape.name, ctx)] = check
        return check

    @staticmethod
    def _compile_types_only(shape: Shape, ctx: int) -> Checker:
        def check(value: Any) -> None:
            walk(value, shape, ctx)

        return check

    def _compile_struct(self, shape: Shape, ctx: int) -> Checker:
        get = {m: self.compile(s, FIELD) for m, s in shape.members.items()}.get
        required = shape.required

        def check(value: Any) -> None:
            if type(value) is not dict:
                raise type_error(value, shape, ctx)
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
                    raise Violation

        return check

    def _compile_collection(self, shape: Shape, ctx: int) -> Checker:
        """A list or map: its own constraints and its keys here, then its values, walked when
        they are types-only, else each checked by its compiled check."""
        member, key = shape.member, shape.key
        assert member is not None
        is_map = shape.kind == K_MAP
        container: type[Any] = dict if is_map else list  # (so that mypy keeps value Any)
        low, high = _length_bounds(shape)
        keys_ok = self._keys_test(key) if key is not None and key.phrases else None
        walked = member.types_only
        # Walked leaf values have nothing to walk into: the walk checks them all at once.
        leaves = member.kind < K_STRUCT
        strings = member.strings if member.kind == K_STRUCT else frozenset()
        each = _accept if walked else self.compile(member, ELEMENT)
        coerces = member.kind in (K_BOOL, K_INT, K_LONG)  # the kinds whose checks coerce

        def check(value: Any) -> None:
            if type(value) is not container:
                raise type_error(value, shape, ctx)
            if not low <= len(value) <= high:
                raise Violation
            if keys_ok is not None and not keys_ok(value):
                raise Violation
            if walked:
                if leaves:
                    walk(value, shape, ctx)
                    return
                # Spare the walker's set-up while the values are one-string attribute values.
                it = iter(value.values() if is_map else value)
                for x in it:
                    if type(x) is dict and len(x) == 1:
                        [name] = x
                        if name in strings and type(x[name]) is str:
                            continue
                    walk_elements(itertools.chain((x,), it), shape, value)
                    return
            elif coerces:
                for slot, x in value.items() if is_map else enumerate(value):
                    if x is not None:
                        coerced = each(x)
                        if coerced is not None:
                            value[slot] = coerced
            else:
                for x in value.values() if is_map else value:
                    if x is not None:
                        each(x)

        return check

    @classmethod
    def _keys_test(cls, shape: Shape) -> Callable[[dict[str, Any]], bool]:
        """A predicate: every key of a map satisfies the key shape."""
        if shape.regex is None and shape.enum is None and not shape.min:
            # Only a maximum length (an attribute name's 65535): cheap bound, exact when near it.
            high = shape.max if shape.max is not None else float("inf")
            safe = high // 2

            def short_keys(value: dict[str, Any]) -> bool:
                if not value or max(map(len, value)) <= safe:
                    return True
                return all(utf16_len(name) <= high for name in value)

            return short_keys
        ok = cls._string_test(shape)

        def keys(value: dict[str, Any]) -> bool:
            return all(ok(name) for name in value)

        return keys

    @staticmethod
    def _string_test(shape: Shape) -> Callable[[str], bool]:
        """A predicate for a string shape's constraints (cheap length bounds first)."""
        low, high = _length_bounds(shape)
        regex, allowed = shape.regex, shape.enum

        def ok(text: str) -> bool:
            n = len(text)
            # Java counts UTF-16 units, between n and 2n: only compute them near a bound.
            if (n < low or 2 * n > high) and not low <= utf16_len(text) <= high:
                return False
            if regex is not None and regex.fullmatch(text) is None:
                return False
            return allowed is None or text in allowed

        return ok

    def _compile_leaf(self, shape: Shape) -> Checker:
        if shape.kind == K_STR:
            return self._compile_string(shape)
        low = shape.min if shape.min is not None else float("-inf")
        high = shape.max if shape.max is not None else float("inf")
        kind = shape.kind
        if kind == K_BOOL:

            def check_bool(value: Any) -> Any:
                if type(value) is bool:
                    return None
                return scalar(value, shape)  # a word Coral reads as a boolean, or raises

            return check_bool
        if kind in (K_INT, K_LONG):
            # Values needing no coercion nor a closer look: in range and in Java's int/long.
            limit = INT_LIMIT[kind]
            easy_low, easy_high = max(low, -limit), min(high, limit - 1)

            def check_integral(value: Any) -> Any:
                if type(value) is int and easy_low <= value <= easy_high:
                    return None
                coerced = scalar(value, shape)
                if not low <= coerced <= high:
                    raise Violation
                return None if coerced is value else coerced

            return check_integral

        def check_leaf(value: Any) -> Any:
            coerced = scalar(value, shape)
            if shape.phrases and not low <= coerced <= high:
                raise Violation
            return None if coerced is value else coerced

        return check_leaf

    def _compile_string(self, shape: Shape) -> Checker:
        if not shape.phrases:

            def check_str(value: Any) -> None:
                if type(value) is not str:
                    raise scalar_error(value, shape)

            return check_str
        allowed = shape.enum
        if allowed is not None and len(shape.phrases) == 1:

            def check_enum(value: Any) -> None:
                if type(value) is not str:
                    raise scalar_error(value, shape)
                if value not in allowed:
                    raise Violation

            return check_enum
        if shape.regex is None and allowed is None:
            low, high = _length_bounds(shape)

            def check_length(value: Any) -> None:
                if type(value) is not str:
                    raise scalar_error(value, shape)
                n = len(value)
                # As in _string_test, inlined: every request's TableName comes here.
                if (n < low or 2 * n > high) and not low <= utf16_len(value) <= high:
                    raise Violation

            return check_length
        ok = self._string_test(shape)

        def check_constrained(value: Any) -> None:
            if type(value) is not str:
                raise scalar_error(value, shape)
            if not ok(value):
                raise Violation

        return check_constrained
