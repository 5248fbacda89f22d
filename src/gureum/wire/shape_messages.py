"""The texts of the AWS JSON front end (Coral) for malformed input, and how it renders values.

Companion of the shape validator (:mod:`gureum.wire.shapes` and its ``shape_*`` modules), which
decides *when* a message applies; this module only knows *what* Coral says. Sources (real
DynamoDB answers, recorded by others):

* dynalite's test suite (``mhart/dynalite`` ``test/helpers.js`` ``assertType``, last re-recorded
  against production in May 2020) for every SerializationException text;
* dynalite's validation tests and the dynamodb-conformance suite (``nubo-db``, 2026) for the
  ``N validation error(s) detected`` texts, map key/value and collection-member phrasing;
* AWS answers quoted in public issues for the bracketed ``Member must satisfy constraint: [...]``
  form and its constraint order.
"""

from __future__ import annotations

import binascii
import datetime
import zlib
from decimal import Decimal
from typing import Any, Final

import orjson

# --- SerializationException texts (the JSON value has the wrong type) -----------------------

UNEXPECTED_FIELD: Final = "Unexpected field type"
UNEXPECTED_VALUE: Final = "Unexpected value type in payload"
START_OF_STRUCTURE: Final = "Start of structure or map found where not expected"
BAD_BOOLEAN_TOKEN: Final = "Unexpected token received from parser"
NOT_BASE64: Final = "only base-64-encoded strings are convertible to bytes"
# A list or map nested directly in a list or map (e.g. a BatchWriteItem table's request list)
# given a scalar: Coral leaks a ClassCastException from its reflection code.
PARAMETERIZED_CAST: Final = (
    "class sun.reflect.generics.reflectiveObjects.ParameterizedTypeImpl cannot be cast to class "
    "java.lang.Class (sun.reflect.generics.reflectiveObjects.ParameterizedTypeImpl and "
    "java.lang.Class are in module java.base of loader 'bootstrap')"
)

# Coral's names for the JSON token it found where a scalar was expected.
_NUMBER_TOKEN: Final = "NUMBER_VALUE"
_DECIMAL_TOKEN: Final = "DECIMAL_VALUE"


def token_name(value: Any) -> str:
    """The parser token Coral names for a JSON scalar (a float means a literal with . or e)."""
    if value is True:
        return "TRUE_VALUE"
    if value is False:
        return "FALSE_VALUE"
    if type(value) is int:
        return _NUMBER_TOKEN
    if type(value) is float:
        return _DECIMAL_TOKEN
    return "STRING_VALUE"


def not_convertible(value: Any, simple_type: str) -> str:
    """``NUMBER_VALUE cannot be converted to String`` and its siblings."""
    return f"{token_name(value)} cannot be converted to {simple_type}"


def unrecognized_collection(java_type: str) -> str:
    """A JSON array where Coral expected ``java_type`` (a class, or a ``java.util.Map<...>``)."""
    return f"Unrecognized collection type {java_type}"


_B64_VALUE: Final = {
    c: i for i, c in enumerate("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
}


def base64_problem(text: str) -> str | None:
    """Coral's complaint about a blob's base64 text, or None when it decodes canonically.

    The length and last-character texts are recorded (dynalite); the text for any other bad
    character is not, and is a guess in the style of Coral's older message.
    """
    n = len(text)
    if n % 4:
        return f"Base64 encoded length is expected a multiple of 4 bytes but found: {n}"
    if not n:
        return None
    try:
        binascii.a2b_base64(text, strict_mode=True)
        decoded = True
    except (binascii.Error, ValueError):
        decoded = False
    pads = len(text) - len(text.rstrip("="))
    last = text[n - 1 - pads] if pads < n else "="
    # With padding, the unused low bits of the last data character must be zero ("Yh==" is
    # not canonical): Coral checks this before anything else ("=+/=" fails this way too).
    if pads in (1, 2) and last in _B64_VALUE and _B64_VALUE[last] & (3 if pads == 1 else 15):
        return "Invalid last non-pad Base64 character dectected"
    if decoded and pads <= 2:
        return None
    for ch in text.rstrip("="):
        if ch not in _B64_VALUE:
            return f"Invalid Base64 character: '{ch}'"
    return "Invalid Base64 character: '='"


# --- ValidationException texts ----------------------------------------------------------------

NOT_NULL: Final = "Member must not be null"
MAX_ERRORS: Final = 10  # Coral lists (and counts) at most ten violations


def min_length(n: object) -> str:
    return f"Member must have length greater than or equal to {n}"


def max_length(n: object) -> str:
    return f"Member must have length less than or equal to {n}"


def min_value(n: object) -> str:
    return f"Member must have value greater than or equal to {n}"


def max_value(n: object) -> str:
    return f"Member must have value less than or equal to {n}"


def pattern(p: str) -> str:
    return f"Member must satisfy regular expression pattern: {p}"


def enum(values: list[str]) -> str:
    return f"Member must satisfy enum value set: [{', '.join(values)}]"


def list_member(phrases: list[str]) -> str:
    """A list whose scalar members break their shape's constraints: all of them are listed."""
    return f"Member must satisfy constraint: [{', '.join(phrases)}]"


def map_keys(phrases: list[str]) -> str:
    return f"Map keys must satisfy constraint: [{', '.join(phrases)}]"


def map_value(phrases: list[str]) -> str:
    return f"Map value must satisfy constraint: [{', '.join(phrases)}]"


def violation(rendered: str | None, path: str, phrase: str) -> str:
    """One violation; ``rendered`` is the value's Java rendering, None for a null value."""
    shown = "null" if rendered is None else f"'{rendered}'"
    return f"Value {shown} at '{path}' failed to satisfy constraint: {phrase}"


def summary(violations: list[str]) -> str:
    """The ValidationException message for violations already in Coral's order."""
    shown = violations[:MAX_ERRORS]
    n = len(shown)
    return f"{n} validation error{'s' if n > 1 else ''} detected: {'; '.join(shown)}"


# Coral's enum listings are in the order of its own model, not botocore's. Recorded orders
# (dynalite tests); used only while the value set still equals botocore's.
CORAL_ENUM_ORDER: Final[dict[str, tuple[str, ...]]] = {
    "Select": ("SPECIFIC_ATTRIBUTES", "COUNT", "ALL_ATTRIBUTES", "ALL_PROJECTED_ATTRIBUTES"),
    "ComparisonOperator": (
        "IN",
        "NULL",
        "BETWEEN",
        "LT",
        "NOT_CONTAINS",
        "EQ",
        "GT",
        "NOT_NULL",
        "NE",
        "LE",
        "BEGINS_WITH",
        "GE",
        "CONTAINS",
    ),
    "ReturnConsumedCapacity": ("INDEXES", "TOTAL", "NONE"),
    "ScalarAttributeType": ("B", "N", "S"),
    "ConditionalOperator": ("OR", "AND"),
    "ReturnValue": ("ALL_NEW", "UPDATED_OLD", "ALL_OLD", "NONE", "UPDATED_NEW"),
    "ProjectionType": ("ALL", "INCLUDE", "KEYS_ONLY"),
    "ReturnItemCollectionMetrics": ("SIZE", "NONE"),
    "KeyType": ("HASH", "RANGE"),
    "BillingMode": ("PROVISIONED", "PAY_PER_REQUEST"),
}


# --- ordering ---------------------------------------------------------------------------------


def java_hash(text: str) -> int:
    """``String.hashCode()`` (over UTF-16 code units), as an unsigned 32-bit int."""
    h = 0
    for ch in text:
        code = ord(ch)
        if code > 0xFFFF:  # a surrogate pair: two code units
            code -= 0x10000
            h = (31 * h + 0xD800 + (code >> 10)) & 0xFFFFFFFF
            code = 0xDC00 + (code & 0x3FF)
        h = (31 * h + code) & 0xFFFFFFFF
    return h


def hashmap_order(names: list[str]) -> list[tuple[int, int]]:
    """Sort keys putting ``names`` in the iteration order of a ``java.util.HashMap`` holding
    them: by bucket index, for a table grown from 16 buckets as the names were put in.

    Coral reports a structure's violations in that order of its lower-camel member names: the
    recorded Query and Scan answers (dynalite, 2018; 17 and 16 members, so 32 buckets) follow the
    buckets exactly. Within a bucket the order is Coral's insertion order, which is not known;
    reversed model order matches two of the three recorded ties (forward order one).
    """
    capacity = 16
    while len(names) > capacity * 3 // 4:
        capacity *= 2
    keys = []
    for index, name in enumerate(names):
        h = java_hash(name)
        keys.append((((h ^ (h >> 16)) & (capacity - 1)), -index))
    return keys


# --- rendering values as Java's toString() does -------------------------------------------------


def java_double(value: float) -> str:
    """``Double.toString``: plain between 10^-3 and 10^7, else ``d.dddE<n>``."""
    if value != value:
        return "NaN"
    if value in (float("inf"), float("-inf")):
        return "Infinity" if value > 0 else "-Infinity"
    if value == 0 or 1e-3 <= abs(value) < 1e7:
        text = repr(float(value))
        return text if "e" not in text else format(Decimal(text), "f")
    sign, digits, exponent = Decimal(repr(value)).normalize().as_tuple()
    assert isinstance(exponent, int)
    shown = "".join(map(str, digits))
    adjusted = len(digits) + exponent - 1
    return f"{'-' if sign else ''}{shown[0]}.{shown[1:] or '0'}E{adjusted}"


def java_date(seconds: float) -> str:
    """``java.util.Date.toString`` in UTC."""
    moment = datetime.datetime.fromtimestamp(seconds, datetime.UTC)
    return moment.strftime("%a %b %d %H:%M:%S UTC %Y")


def identity_hash(value: Any) -> str:
    """A stand-in for a Java identity hash code (AWS's differ on every request anyway)."""
    return format(zlib.crc32(orjson.dumps(value, option=orjson.OPT_SORT_KEYS)), "x")


def byte_buffer(text: str) -> str:
    try:
        size = len(binascii.a2b_base64(text))
    except (binascii.Error, ValueError):
        size = len(text) * 3 // 4
    return f"java.nio.HeapByteBuffer[pos=0 lim={size} cap={size}]"
