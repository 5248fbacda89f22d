"""The errors of the event source mapping operations, with their texts.

Texts marked ``[gureum]`` were not confirmed against AWS; the others are AWS's (as peers'
recorded tests show them).
"""

from __future__ import annotations

from gureum.core.errors import ServiceError


def _error(code: str, message: str, status: int) -> ServiceError:
    return ServiceError(code, message, status, namespace="")


def invalid_parameter(message: str) -> ServiceError:
    return _error("InvalidParameterValueException", message, 400)


def mapping_not_found() -> ServiceError:
    return _error("ResourceNotFoundException", "The resource you requested does not exist.", 404)


def mapping_exists(source_arn: str, function_name: str, uuid: str) -> ServiceError:
    return _error(
        "ResourceConflictException",
        f'The event source arn (" {source_arn} ") and function (" {function_name} ") provided '
        f"mapping already exists. Please update or delete the existing mapping with UUID {uuid}",
        409,
    )


def function_missing() -> ServiceError:
    return invalid_parameter("Function does not exist")


def stream_not_found(arn: str) -> ServiceError:
    return invalid_parameter(f"Stream not found: {arn}")


def source_required() -> ServiceError:
    return invalid_parameter("Unrecognized event source.")


def source_unsupported(arn: str) -> ServiceError:
    # [gureum] gureum's mappings read DynamoDB streams only
    return invalid_parameter(
        f"[gureum] event source mappings support DynamoDB stream ARNs only: {arn}"
    )


def starting_position_required() -> ServiceError:
    return invalid_parameter(
        "1 validation error detected: Value null at 'startingPosition' failed to satisfy "
        "constraint: Member must not be null."
    )


def starting_position_unsupported(arn: str) -> ServiceError:
    return invalid_parameter(f"Unsupported starting position for arn type: {arn}")


def record_age_invalid(value: int) -> ServiceError:
    # [gureum]
    return invalid_parameter(
        f"MaximumRecordAgeInSeconds must be -1 or between 60 and 604800, got {value}"
    )


def on_success_unsupported() -> ServiceError:
    return invalid_parameter(
        "Unsupported DestinationConfig parameter for given event source mapping type."
    )


def destination_unsupported(arn: str) -> ServiceError:
    # [gureum] gureum delivers failure records to Lambda functions only
    return invalid_parameter(
        f"[gureum] OnFailure destinations must be Lambda function ARNs in gureum: {arn}"
    )


def destination_invalid(arn: str) -> ServiceError:
    # [gureum]
    return invalid_parameter(f"[gureum] The destination ARN {arn} is invalid.")


def response_type_invalid(value: str) -> ServiceError:
    # [gureum] (the model's enum allows only ReportBatchItemFailures)
    return invalid_parameter(f"Unsupported FunctionResponseType: {value}")
