"""The one error this package raises: a DynamoDB ValidationException message, complete."""

from __future__ import annotations


class ExpressionError(Exception):
    """A request's expressions (or legacy parameters) are invalid.

    ``message`` is DynamoDB's full message text; the service returns it verbatim as a
    ValidationException.
    """

    __slots__ = ("message",)

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
