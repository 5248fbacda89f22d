"""The one error type every service raises, and the AWS error families it comes in.

A ``ServiceError`` carries what AWS puts on the wire: the error code, the message text, the HTTP
status and the namespace prefix of its ``__type``. Services build them through the named
constructors of their own ``errors`` module (which hold AWS's exact message texts); only the wire
layer turns an error into bytes, and only the wire layer turns an unexpected exception into an
InternalServerError.
"""

from __future__ import annotations

from typing import Any

# DynamoDB's own errors carry this namespace; input validation done by the AWS front end
# (coral) carries the second. boto3 strips the part before '#', raw HTTP clients see it.
DYNAMODB_NAMESPACE = "com.amazonaws.dynamodb.v20120810"
CORAL_VALIDATE_NAMESPACE = "com.amazon.coral.validate"
CORAL_SERVICE_NAMESPACE = "com.amazon.coral.service"


class ServiceError(Exception):
    """An error AWS would return: ``code`` (e.g. ``ResourceNotFoundException``), ``message``,
    HTTP ``status``, the ``__type`` namespace, and optional extra response members (for example
    the ``Item`` of a ConditionalCheckFailedException)."""

    __slots__ = ("code", "extra", "message", "namespace", "status")

    def __init__(
        self,
        code: str,
        message: str,
        status: int = 400,
        namespace: str = DYNAMODB_NAMESPACE,
        extra: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.status = status
        self.namespace = namespace
        self.extra = extra

    @property
    def type(self) -> str:
        """The ``__type`` member of a JSON-protocol error body."""
        return f"{self.namespace}#{self.code}" if self.namespace else self.code


def validation_error(message: str) -> ServiceError:
    """A ValidationException as the AWS front end raises it (``com.amazon.coral.validate``)."""
    return ServiceError("ValidationException", message, 400, CORAL_VALIDATE_NAMESPACE)


def serialization_error(message: str | None = None) -> ServiceError:
    """The request body is not JSON of the operation's input shape (wrong JSON types)."""
    return ServiceError("SerializationException", message or "", 400, CORAL_SERVICE_NAMESPACE)


def internal_error() -> ServiceError:
    return ServiceError("InternalServerError", "Internal server error", 500, DYNAMODB_NAMESPACE)


def constraint_violations(violations: list[str]) -> ServiceError:
    """The front end's ValidationException listing failed member constraints, e.g.
    ``1 validation error detected: Value 'ab' at 'tableName' failed to satisfy constraint:
    Member must have length greater than or equal to 3``."""
    count = len(violations)
    noun = "error" if count == 1 else "errors"
    return validation_error(f"{count} validation {noun} detected: {'; '.join(violations)}")
