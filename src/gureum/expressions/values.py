"""Attribute-value semantics used by conditions and updates.

Values are DynamoDB wire JSON (``{"S": "x"}``, ``{"N": "1.5"}``, ...), already validated by the
service, with every number in canonical form. Canonical numbers make numeric equality plain
string equality (also inside number sets); ordering still goes through ``Decimal``.
"""

from __future__ import annotations

import binascii
from decimal import Decimal
from typing import Any

AV = dict[str, Any]
Item = dict[str, AV]

ORDERABLE = frozenset(("S", "N", "B"))
SET_TYPES = frozenset(("SS", "NS", "BS"))
ALL_TYPES = frozenset(("S", "N", "B", "BOOL", "NULL", "M", "L", "SS", "NS", "BS"))
SET_ELEMENT = {"SS": "S", "NS": "N", "BS": "B"}


def type_of(value: AV) -> str:
    """The one key of an attribute value: its DynamoDB type name."""
    for key in value:
        return key
    raise ValueError("empty attribute value")


def decode_binary(text: str) -> bytes:
    """The bytes of a ``B`` value (base64 text)."""
    return binascii.a2b_base64(text)


def equals(a: AV, b: AV) -> bool:
    """DynamoDB equality: same type and same value; sets unordered, M and L compared deeply."""
    if a == b:
        return True
    kind = type_of(a)
    if kind != type_of(b):
        return False
    x, y = a[kind], b[kind]
    if kind == "M":
        return x.keys() == y.keys() and all(equals(x[k], y[k]) for k in x)
    if kind == "L":
        return len(x) == len(y) and all(equals(p, q) for p, q in zip(x, y, strict=True))
    if kind in SET_TYPES:
        return len(x) == len(y) and set(x) == set(y)
    if kind == "B":
        return decode_binary(x) == decode_binary(y)
    return False


def order_key(value: AV) -> tuple[str, Any] | None:
    """``(type, comparable)`` for S, N and B values (the only ordered types), else None.

    Strings compare by code point, which is UTF-8 byte order; binaries as unsigned bytes.
    """
    if "S" in value:
        return ("S", value["S"])
    if "N" in value:
        return ("N", Decimal(value["N"]))
    if "B" in value:
        return ("B", decode_binary(value["B"]))
    return None


def compare(a: AV, b: AV) -> int | None:
    """-1, 0 or 1 when a and b are both S, both N or both B; None otherwise."""
    ka = order_key(a)
    if ka is None:
        return None
    kb = order_key(b)
    if kb is None or ka[0] != kb[0]:
        return None
    x, y = ka[1], kb[1]
    return -1 if x < y else (1 if x > y else 0)


def size(value: AV) -> int | None:
    """DynamoDB's ``size()``: string length in UTF-16 code units (DynamoDB is Java; verified
    against AWS by others: size("é𝄞") = 3), bytes of a binary, elements of a set, list or map.
    None for N, BOOL and NULL."""
    kind = type_of(value)
    inner = value[kind]
    if kind == "S":
        return len(inner) if inner.isascii() else len(inner.encode("utf-16-le")) // 2
    if kind == "B":
        return len(decode_binary(inner))
    if kind in ("N", "BOOL", "NULL"):
        return None
    return len(inner)


def contains(a: AV, b: AV) -> bool:
    """``contains(a, b)``: substring of a string or binary, element of a set, member of a list."""
    kind = type_of(a)
    inner = a[kind]
    if kind == "S":
        return "S" in b and b["S"] in inner
    if kind == "L":
        return any(equals(element, b) for element in inner)
    if kind in SET_TYPES:
        element_type = SET_ELEMENT[kind]
        return element_type in b and b[element_type] in inner
    if kind == "B":
        return "B" in b and decode_binary(b["B"]) in decode_binary(inner)
    return False


def begins_with(a: AV, b: AV) -> bool:
    """``begins_with(a, b)`` for two strings or two binaries; False for anything else."""
    if "S" in a:
        return "S" in b and a["S"].startswith(b["S"])
    if "B" in a:
        return "B" in b and decode_binary(a["B"]).startswith(decode_binary(b["B"]))
    return False
