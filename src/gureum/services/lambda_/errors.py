"""The errors of the Lambda API, with their texts.

Texts marked ``[gureum]`` were not confirmed against AWS; the others are AWS's (from the API
reference, or observed on AWS as peers' recorded tests show them). The wire layer takes each
error's HTTP status from the model's error shape.
"""

from __future__ import annotations

from gureum.core.errors import ServiceError, constraint_violations


def _error(
    code: str, message: str, status: int, extra: dict[str, str] | None = None
) -> ServiceError:
    return ServiceError(code, message, status, namespace="", extra=extra)


def function_not_found(arn: str) -> ServiceError:
    return _error("ResourceNotFoundException", f"Function not found: {arn}", 404)


def function_exists(name: str) -> ServiceError:
    return _error("ResourceConflictException", f"Function already exist: {name}", 409)


def invalid_parameter(message: str) -> ServiceError:
    return _error("InvalidParameterValueException", message, 400)


def runtime_blocked(runtime: str) -> ServiceError:
    return invalid_parameter(
        f"The runtime parameter of {runtime} is no longer supported for creating or updating "
        "AWS Lambda functions. We recommend you use a supported runtime while creating or "
        "updating functions."
    )


def runtime_unsupported(runtime: str, supported: tuple[str, ...]) -> ServiceError:
    # [gureum] a runtime AWS has but gureum cannot run
    return invalid_parameter(
        f"The runtime parameter of {runtime} is not supported by gureum. "
        f"Supported runtimes: {', '.join(supported)}"
    )


def not_a_zip() -> ServiceError:
    return invalid_parameter(
        "Could not unzip uploaded file. Please check your file, then try to upload again."
    )


def code_source_unsupported() -> ServiceError:
    # [gureum] gureum takes the code inline only (no S3, no container images)
    return invalid_parameter("gureum accepts function code as Code.ZipFile only")


def code_required() -> ServiceError:
    # [gureum]
    return invalid_parameter("Please provide a source for function code.")


def runtime_required() -> ServiceError:
    # [gureum]
    return invalid_parameter(
        "Runtime and Handler are mandatory parameters for functions created with "
        "deployment packages."
    )


def value_too_high(value: int, member: str, maximum: int) -> ServiceError:
    # the front end's text for a maximum the model does not carry (observed for 'timeout')
    return constraint_violations(
        [
            f"Value '{value}' at '{member}' failed to satisfy constraint: "
            f"Member must have value less than or equal to {maximum}"
        ]
    )


def revision_mismatch() -> ServiceError:
    return _error(
        "PreconditionFailedException",
        "The Revision Id provided does not match the latest Revision Id. "
        "Call the GetFunction/GetAlias API to retrieve the latest Revision Id",
        412,
    )


def too_many_requests() -> ServiceError:
    return _error(
        "TooManyRequestsException",
        "Rate Exceeded.",
        429,
        extra={"Reason": "ConcurrentInvocationLimitExceeded"},
    )


def invalid_request_content(detail: str) -> ServiceError:
    # the first sentence is AWS's; the parser's detail after it is gureum's
    return _error(
        "InvalidRequestContentException",
        f"Could not parse request body into json: Could not parse payload into json: {detail}",
        400,
    )


def request_too_large(maximum: int, operation: str) -> ServiceError:
    # the synchronous text is AWS's (``InvokeFunction``); the Event one is [gureum]
    return _error(
        "RequestTooLargeException",
        f"Request must be smaller than {maximum} bytes for the {operation} operation",
        413,
    )
