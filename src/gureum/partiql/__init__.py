"""DynamoDB's PartiQL: statements parsed into typed trees (a leaf package; see README.md)."""

from . import ast
from .errors import PartiQLError, Position
from .statements import ParsedStatement, parse_statement

__all__ = ["ParsedStatement", "PartiQLError", "Position", "ast", "parse_statement"]
