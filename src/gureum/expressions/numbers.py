"""DynamoDB numbers: validation, canonical form and exact arithmetic on canonical strings.

A DynamoDB number has at most 38 significant decimal digits and a magnitude of 1E-130 up to
9.9999999999999999999999999999999999999E+125 (or is zero). The canonical form is plain decimal
notation: no exponent, no '+', no leading zeros, no trailing fractional zeros, no '-0'.
"""

from __future__ import annotations

import re
from decimal import Context, Decimal

from .errors import ExpressionError

MAX_DIGITS = 38
MAX_EXPONENT = 125  # power of ten of the most significant digit
MIN_EXPONENT = -130

OVERFLOW = (
    "Number overflow. Attempting to store a number with magnitude larger than supported range"
)
UNDERFLOW = (
    "Number underflow. Attempting to store a number with magnitude smaller than supported range"
)
TOO_PRECISE = "Attempting to store more than 38 significant digits in a Number"

# Already canonical; with at most 38 characters also within every limit.
_CANONICAL = re.compile(r"-?(?:[1-9][0-9]*|0)(?:\.[0-9]*[1-9])?")
_INTEGER = re.compile(r"-?[1-9][0-9]{0,37}|0")
_NUMBER = re.compile(r"([+-]?)([0-9]*)(?:\.([0-9]*))?(?:[eE]([+-]?[0-9]+))?")
# Exact for any sum of two canonical numbers (digits span at most 126 + 130 + 1 places).
_EXACT = Context(prec=400, Emax=1000, Emin=-1000)


def _invalid(text: str) -> ExpressionError:
    if text == "":
        return ExpressionError("The parameter cannot be converted to a numeric value")
    return ExpressionError(f"The parameter cannot be converted to a numeric value: {text}")


def _canonical(negative: bool, digits: str, exponent: int) -> str:
    """Canonical text of ``(-1)**negative * int(digits) * 10**exponent`` after range checks.

    ``digits`` has no leading or trailing zeros and is not empty.
    """
    if len(digits) > MAX_DIGITS:
        raise ExpressionError(TOO_PRECISE)
    magnitude = exponent + len(digits) - 1
    if magnitude > MAX_EXPONENT:
        raise ExpressionError(OVERFLOW)
    if magnitude < MIN_EXPONENT:
        raise ExpressionError(UNDERFLOW)
    if exponent >= 0:
        text = digits + "0" * exponent
    elif -exponent >= len(digits):
        text = "0." + "0" * (-exponent - len(digits)) + digits
    else:
        text = digits[:exponent] + "." + digits[exponent:]
    return "-" + text if negative else text


def normalize_number(text: str) -> str:
    """Validate a DynamoDB number and return its canonical text.

    Raises ``ExpressionError`` with DynamoDB's message text.
    """
    if len(text) <= MAX_DIGITS and _CANONICAL.fullmatch(text) is not None and text != "-0":
        return text
    match = _NUMBER.fullmatch(text)
    if match is None:
        raise _invalid(text)
    sign, whole, fraction, exp_text = match.groups()
    fraction = fraction or ""
    if not whole and not fraction:
        raise _invalid(text)
    digits = (whole + fraction).lstrip("0")
    if not digits:
        return "0"
    stripped = digits.rstrip("0")
    exponent = len(digits) - len(stripped) - len(fraction)
    if exp_text:
        # A huge written exponent can only overflow or underflow: never build the number.
        if len(exp_text.lstrip("+-").lstrip("0")) > 9:
            raise ExpressionError(UNDERFLOW if exp_text.startswith("-") else OVERFLOW)
        exponent += int(exp_text)
    return _canonical(sign == "-", stripped, exponent)


def _from_decimal(value: Decimal) -> str:
    """Canonical text of an exact arithmetic result; too many digits count as overflow
    (DynamoDB's observed message for e.g. 1E50 + 1)."""
    if not value:
        return "0"
    sign, digit_tuple, exponent = value.as_tuple()
    assert isinstance(exponent, int)
    digits = "".join(map(str, digit_tuple))
    stripped = digits.rstrip("0")
    exponent += len(digits) - len(stripped)
    if len(stripped) > MAX_DIGITS:
        raise ExpressionError(OVERFLOW)
    return _canonical(bool(sign), stripped, exponent)


def add_numbers(a: str, b: str) -> str:
    """Exact sum of two canonical numbers, checked against DynamoDB's limits."""
    if _INTEGER.fullmatch(a) and _INTEGER.fullmatch(b):
        total = int(a) + int(b)
        result = str(total)
        if len(result) - (total < 0) <= MAX_DIGITS:
            return result
    return _from_decimal(_EXACT.add(Decimal(a), Decimal(b)))


def subtract_numbers(a: str, b: str) -> str:
    """Exact difference ``a - b`` of two canonical numbers, checked against the limits."""
    if _INTEGER.fullmatch(a) and _INTEGER.fullmatch(b):
        total = int(a) - int(b)
        result = str(total)
        if len(result) - (total < 0) <= MAX_DIGITS:
            return result
    return _from_decimal(_EXACT.subtract(Decimal(a), Decimal(b)))
