"""DynamoDB's errors, with the exact message texts DynamoDB returns."""

from __future__ import annotations

from typing import Any

from gureum.core.errors import ServiceError, validation_error


def invalid(message: str) -> ServiceError:
    """A ValidationException (DynamoDB's own checks share the front end's namespace)."""
    return validation_error(message)


def invalid_parameters(detail: str) -> ServiceError:
    return validation_error(f"One or more parameter values were invalid: {detail}")


def table_not_found(name: str | None = None) -> ServiceError:
    message = "Requested resource not found"
    if name is not None:
        message += f": Table: {name} not found"
    return ServiceError("ResourceNotFoundException", message)


def resource_not_found(message: str) -> ServiceError:
    return ServiceError("ResourceNotFoundException", message)


def table_in_use(message: str) -> ServiceError:
    return ServiceError("ResourceInUseException", message)


def table_exists(name: str) -> ServiceError:
    return table_in_use(f"Table already exists: {name}")


def limit_exceeded(message: str) -> ServiceError:
    return ServiceError("LimitExceededException", message)


def conditional_check_failed(item: dict[str, Any] | None = None) -> ServiceError:
    return ServiceError(
        "ConditionalCheckFailedException",
        "The conditional request failed",
        extra=None if item is None else {"Item": item},
    )


def key_mismatch() -> ServiceError:
    return validation_error("The provided key element does not match the schema")


def missing_key_in_item(name: str) -> ServiceError:
    return invalid_parameters(f"Missing the key {name} in the item")


def key_type_mismatch(name: str, expected: str, actual: str) -> ServiceError:
    return invalid_parameters(f"Type mismatch for key {name} expected: {expected} actual: {actual}")


def empty_key_value(name: str, kind: str, in_item: bool) -> ServiceError:
    """An empty S or B key value: PutItem's text (a whole item) differs from the text of the
    operations taking a ``Key``."""
    what = "string" if kind == "S" else "binary"
    lead = (
        "One or more parameter values are not valid."
        if in_item
        else "One or more parameter values were invalid:"
    )
    return validation_error(
        f"{lead} The AttributeValue for a key attribute cannot contain an empty {what} value. "
        f"Key: {name}"
    )


def item_too_large() -> ServiceError:
    return validation_error("Item size has exceeded the maximum allowed size")


def update_too_large() -> ServiceError:
    return validation_error("Item size to update has exceeded the maximum allowed size")


def cannot_update_key(name: str) -> ServiceError:
    return validation_error(
        f"One or more parameter values were invalid: Cannot update attribute {name}. "
        "This attribute is part of the key"
    )


def deletion_protected() -> ServiceError:
    return validation_error(
        "Resource cannot be deleted as it is currently protected against deletion. "
        "Disable deletion protection first."
    )
