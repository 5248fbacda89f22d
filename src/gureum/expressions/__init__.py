"""DynamoDB's expression language: conditions, filters, key conditions, projections, updates,
and the legacy parameters that predate them. See README.md for the phases."""

from .compiler import Compiled, compile_expressions
from .errors import ExpressionError
from .keycondition import KeyCondition
from .legacy import compile_legacy
from .numbers import add_numbers, normalize_number, subtract_numbers
from .update import UpdateProgram

__all__ = [
    "Compiled",
    "ExpressionError",
    "KeyCondition",
    "UpdateProgram",
    "add_numbers",
    "compile_expressions",
    "compile_legacy",
    "normalize_number",
    "subtract_numbers",
]
