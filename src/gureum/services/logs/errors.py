"""The errors of the CloudWatch Logs API, with their texts.

CloudWatch Logs answers the front end's constraint violations as InvalidParameterException
(with the front end's "1 validation error detected: ..." text), not as ValidationException.
Its errors' ``__type`` carries no namespace. Texts marked ``[gureum]`` were not confirmed
against AWS; the others are AWS's.
"""

from __future__ import annotations

from gureum.core.errors import ServiceError

NAMESPACE = ""


def _error(code: str, message: str) -> ServiceError:
    return ServiceError(code, message, 400, NAMESPACE)


def invalid_parameter(message: str) -> ServiceError:
    return _error("InvalidParameterException", message)


def group_not_found() -> ServiceError:
    return _error("ResourceNotFoundException", "The specified log group does not exist.")


def stream_not_found() -> ServiceError:
    return _error("ResourceNotFoundException", "The specified log stream does not exist.")


def group_exists() -> ServiceError:
    return _error("ResourceAlreadyExistsException", "The specified log group already exists")


def stream_exists() -> ServiceError:
    return _error("ResourceAlreadyExistsException", "The specified log stream already exists")


def invalid_retention(days: int, allowed: tuple[int, ...]) -> ServiceError:
    # [gureum] (the front end's enum text, for a set the model does not carry)
    values = ", ".join(str(d) for d in allowed)
    return invalid_parameter(
        f"1 validation error detected: Value '{days}' at 'retentionInDays' failed to satisfy "
        f"constraint: Member must satisfy enum value set: [{values}]"
    )


def group_name_required() -> ServiceError:
    # [gureum]
    return invalid_parameter("Should provide either name or identifier")


def name_and_identifier() -> ServiceError:
    # [gureum]
    return invalid_parameter("LogGroup name and LogGroup ARN are mutually exclusive parameters.")


def prefix_and_pattern() -> ServiceError:
    # [gureum]
    return invalid_parameter(
        "LogGroupNamePrefix and LogGroupNamePattern are mutually exclusive parameters."
    )


def order_by_with_prefix() -> ServiceError:
    # [gureum]
    return invalid_parameter("Cannot order by LastEventTime with a logStreamNamePrefix.")


def names_and_prefix() -> ServiceError:
    # [gureum]
    return invalid_parameter(
        "logStreamNames and logStreamNamePrefix are mutually exclusive parameters."
    )


def not_chronological() -> ServiceError:
    # [gureum]
    return invalid_parameter(
        "Log events in a single PutLogEvents request must be in chronological order."
    )


def span_too_long() -> ServiceError:
    # [gureum]
    return invalid_parameter(
        "The batch of log events in a single PutLogEvents request cannot span more than 24 hours."
    )


def batch_too_large(size: int, limit: int) -> ServiceError:
    # [gureum]
    return invalid_parameter(f"Upload too large: {size} bytes exceeds limit of {limit}")


def invalid_token() -> ServiceError:
    # [gureum]
    return invalid_parameter("The specified nextToken is invalid.")


def invalid_filter_pattern() -> ServiceError:
    # [gureum]
    return invalid_parameter("Invalid filter pattern")
