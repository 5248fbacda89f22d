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


def invalid_zip_file() -> ServiceError:
    # a package that passed the upload check but cannot be unpacked; the model's description
    return _error("InvalidZipFileException", "Lambda could not unzip the deployment package.", 502)


def code_too_large_unzipped(limit: int) -> ServiceError:
    return invalid_parameter(f"Unzipped size must be smaller than {limit} bytes")


def hot_reload_folder_gone(folder: str) -> ServiceError:
    # [gureum] a hot-reload function's folder was removed after CreateFunction
    return invalid_parameter(f"The function's hot-reload folder is gone: {folder}")


def code_source_unsupported() -> ServiceError:
    # [gureum] gureum takes the code inline or as a local folder (no S3, no container images)
    return invalid_parameter(
        "gureum accepts function code as Code.ZipFile, or as a local folder with "
        "S3Bucket 'hot-reload' and S3Key its absolute path"
    )


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


def too_many_requests(reserved: bool = False) -> ServiceError:
    """Throttled: past the function's reserved concurrency, or the account's unreserved pool."""
    reason = (
        "ReservedFunctionConcurrentInvocationLimitExceeded"
        if reserved
        else "ConcurrentInvocationLimitExceeded"
    )
    return _error("TooManyRequestsException", "Rate Exceeded.", 429, extra={"Reason": reason})


# --- versions, aliases, concurrency


def code_sha256_mismatch(given: str, current: str) -> ServiceError:
    return invalid_parameter(
        f"CodeSHA256 ({given}) is different from current CodeSHA256 in $LATEST ({current}). "
        "Please try again with the CodeSHA256 in $LATEST."
    )


def latest_not_deletable() -> ServiceError:
    return invalid_parameter("$LATEST version cannot be deleted without deleting the function.")


def alias_not_deletable() -> ServiceError:
    return invalid_parameter("Deletion of aliases is not currently supported.")


def version_in_use(aliases: list[str]) -> ServiceError:
    # the list's format is [gureum]
    return _error(
        "ResourceConflictException",
        "Unable to delete version because the following aliases reference it: "
        f"[{', '.join(aliases)}]",
        409,
    )


def alias_exists(arn: str) -> ServiceError:
    return _error("ResourceConflictException", f"Alias already exists: {arn}", 409)


def alias_not_found_get(arn: str) -> ServiceError:
    return _error("ResourceNotFoundException", f"Cannot find alias arn: {arn}", 404)


def alias_not_found(arn: str) -> ServiceError:
    # UpdateAlias of an unknown alias (DeleteAlias of one succeeds)
    return _error("ResourceNotFoundException", f"Alias not found: {arn}", 404)


def too_many_weights() -> ServiceError:
    return invalid_parameter("Number of items in AdditionalVersionWeights cannot be greater than 1")


def version_already_routed(version: str) -> ServiceError:
    return invalid_parameter(
        f"Invalid function version {version}. Function version {version} is already included "
        "in routing configuration."
    )


def latest_with_routing() -> ServiceError:
    return invalid_parameter(
        "$LATEST is not supported for an alias pointing to more than 1 version"
    )


def invalid_marker() -> ServiceError:
    # [gureum]
    return invalid_parameter("Invalid marker.")


def function_only() -> ServiceError:
    return invalid_parameter(
        "This operation is permitted on Lambda functions only. Aliases and versions do not "
        "support this operation. Please specify either a function name or an unqualified "
        "function ARN."
    )


def reservation_too_large(minimum: int) -> ServiceError:
    return invalid_parameter(
        "Specified ReservedConcurrentExecutions for function decreases account's "
        f"UnreservedConcurrentExecution below its minimum value of [{minimum}]."
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


def invalid_filter_pattern() -> ServiceError:
    # every pattern Lambda refuses gets this text
    return invalid_parameter("Invalid filter pattern definition.")


def too_many_filters(count: int, maximum: int) -> ServiceError:
    # [gureum]
    return invalid_parameter(
        f"The number of filters ({count}) exceeds the limit of {maximum} filters "
        "for an event source mapping."
    )


# --- layers


def layer_version_not_found() -> ServiceError:
    return _error("ResourceNotFoundException", "The resource you requested does not exist.", 404)


def layer_version_below_one() -> ServiceError:
    return invalid_parameter("Layer Version Cannot be less than 1")


def layer_content_missing() -> ServiceError:
    # [gureum] moto's text for a Content with nothing in it
    return invalid_parameter("Missing Content")


def layer_content_unsupported() -> ServiceError:
    # [gureum] gureum takes layer content inline only (no S3)
    return invalid_parameter("gureum accepts layer content as Content.ZipFile only")


def layer_not_ours() -> ServiceError:
    # [gureum] publishing under the ARN of another account or Region
    return invalid_parameter("gureum publishes layers in the caller's account and Region only")


def too_many_layers(maximum: int) -> ServiceError:
    return invalid_parameter(f"Cannot reference more than {maximum} layers.")


def layer_version_missing(arn: str) -> ServiceError:
    # CreateFunction / UpdateFunctionConfiguration naming a layer version there is not
    return invalid_parameter(f"Layer version {arn} does not exist.")


def layer_in_other_region(region: str) -> ServiceError:
    return invalid_parameter(
        "Layers are not in the same region as the function. "
        f"Layers are expected to be in region {region}."
    )


def layer_referenced_twice(first: str, second: str) -> ServiceError:
    return invalid_parameter(
        "Two different versions of the same layer are not allowed to be referenced in the "
        f"same function. {first} and {second} are versions of the same layer."
    )


def code_with_layers_too_large(limit: int, size: int) -> ServiceError:
    return invalid_parameter(
        f"Function code combined with layers exceeds the maximum allowed size of {limit} "
        f"bytes. The actual size is {size} bytes."
    )


# --- asynchronous invocation: event invoke configs and destinations


def function_does_not_exist() -> ServiceError:
    return _error("ResourceNotFoundException", "The function doesn't exist.", 404)


def event_invoke_config_not_found(arn: str) -> ServiceError:
    return _error(
        "ResourceNotFoundException", f"The function {arn} doesn't have an EventInvokeConfig", 404
    )


def no_event_invoke_settings() -> ServiceError:
    return invalid_parameter(
        "You must specify at least one of error handling or destination setting."
    )


def qualifier_mismatch() -> ServiceError:
    return invalid_parameter(
        "The derived qualifier from the function name does not match the specified qualifier."
    )


def destination_invalid(arn: str) -> ServiceError:
    return invalid_parameter(f"The destination ARN {arn} is invalid.")


def destination_is_self() -> ServiceError:
    return invalid_parameter("You can't specify the function as a destination for itself.")


def destination_config_invalid(on_success: str | None, on_failure: str | None) -> ServiceError:
    success = f"OnSuccess(destination={on_success})" if on_success else "null"
    failure = f"OnFailure(destination={on_failure})" if on_failure else "null"
    return invalid_parameter(
        f"The provided destination config DestinationConfig(onSuccess={success}, "
        f"onFailure={failure}) is invalid."
    )


def destination_unsupported(service: str, arn: str) -> ServiceError:
    # [gureum] AWS takes SQS, SNS, EventBridge and S3 destinations; gureum has no such service
    return invalid_parameter(
        f"gureum cannot deliver invocation records to {service} destinations ({arn}); "
        "use a Lambda function as the destination."
    )


# --- resource-based policies (texts as recorded on AWS by LocalStack's parity tests)


def latest_policy() -> ServiceError:
    return invalid_parameter("We currently do not support adding policies for $LATEST.")


def invalid_principal() -> ServiceError:
    return invalid_parameter(
        "The provided principal was invalid. Please check the principal and try again."
    )


def statement_exists(sid: str) -> ServiceError:
    return _error(
        "ResourceConflictException",
        f"The statement id ({sid}) provided already exists. Please provide a new statement id, "
        "or remove the existing statement.",
        409,
    )


def statement_not_found(sid: str) -> ServiceError:
    return _error(
        "ResourceNotFoundException", f"Statement {sid} is not found in resource policy.", 404
    )


def no_policy() -> ServiceError:
    return _error(
        "ResourceNotFoundException", "No policy is associated with the given resource.", 404
    )


def no_policy_found(arn: str) -> ServiceError:
    # RemovePermission on a function that does not exist
    return _error("ResourceNotFoundException", f"No policy found for: {arn}", 404)


def resource_not_found() -> ServiceError:
    # GetPolicy of a missing function, version or policy
    return _error("ResourceNotFoundException", "The resource you requested does not exist.", 404)


def policy_revision_mismatch() -> ServiceError:
    return _error(
        "PreconditionFailedException",
        "The Revision Id provided does not match the latest Revision Id. "
        "Call the GetPolicy API to retrieve the latest Revision Id",
        412,
    )


# --- tags


def tags_on_qualified_arn() -> ServiceError:
    return invalid_parameter(
        "Tags on function aliases and versions are not supported. Please specify a function ARN."
    )


def too_many_tags() -> ServiceError:
    return invalid_parameter("Number of tags exceeds resource tag limit.")


def no_tags_given() -> ServiceError:
    # TagResource with an empty Tags map
    return invalid_parameter("An error occurred and the request cannot be processed.")


_TAGGABLE_NAMES = {
    "event-source-mapping": "Event source mapping",
    "capacity-provider": "Capacity provider",
    "code-signing-config": "Code signing config",  # [gureum]
    "network-connector": "Network connector",  # [gureum]
}


def taggable_not_found(kind: str, arn: str) -> ServiceError:
    """The not-found error of a tagging request, in the words of the resource's kind."""
    if kind == "function":
        return function_not_found(arn)
    return _error(
        "ResourceNotFoundException", f"{_TAGGABLE_NAMES.get(kind, kind)} not found: {arn}", 404
    )


# --- logging config


def log_level_with_text_format() -> ServiceError:
    # [gureum] LocalStack's provider words it so; not confirmed against AWS
    return invalid_parameter(
        'LogLevel is not supported when LogFormat is set to "Text". Remove LogLevel from your '
        'request or change the LogFormat to "JSON" and try again.'
    )


# --- provisioned concurrency (texts as LocalStack's tests recorded them on AWS)


def provisioned_on_latest() -> ServiceError:
    # PutProvisionedConcurrencyConfig with $LATEST
    return invalid_parameter(
        "Provisioned Concurrency Configs cannot be applied to unpublished function versions."
    )


def provisioned_needs_alias_or_version() -> ServiceError:
    # GetProvisionedConcurrencyConfig / DeleteProvisionedConcurrencyConfig with $LATEST
    return invalid_parameter(
        "The function resource provided must be an alias or a published version."
    )


def provisioned_config_not_found() -> ServiceError:
    return _error(
        "ProvisionedConcurrencyConfigNotFoundException",
        "No Provisioned Concurrency Config found for this function",
        404,
    )


def provisioned_above_reserved() -> ServiceError:
    return invalid_parameter(
        "Requested Provisioned Concurrency should not be greater than the "
        "reservedConcurrentExecution for function"
    )


def provisioned_above_unreserved(unreserved: int) -> ServiceError:
    return invalid_parameter(
        "Specified ConcurrentExecutions for function is greater than account's unreserved "
        f"concurrency [{unreserved}]."
    )


def provisioned_below_minimum(minimum: int) -> ServiceError:
    return invalid_parameter(
        "Specified ConcurrentExecutions for function decreases account's "
        f"UnreservedConcurrentExecution below its minimum value of [{minimum}]."
    )


def alias_on_provisioned_version() -> ServiceError:
    return _error(
        "ResourceConflictException",
        "Alias can't be used for Provisioned Concurrency configuration on an already "
        "Provisioned version",
        409,
    )


def version_of_provisioned_alias() -> ServiceError:
    return _error(
        "ResourceConflictException", "Version is pointed by a Provisioned Concurrency alias", 409
    )


def reservation_below_provisioned(reserved: int, provisioned: int) -> ServiceError:
    # PutFunctionConcurrency below the function's provisioned concurrency (AWS's spacing)
    return invalid_parameter(
        f" ReservedConcurrentExecutions  {reserved} should not be lower than function's total "
        f"provisioned concurrency [{provisioned}]."
    )


# --- CreateFunction's FunctionName (texts as recorded on AWS by LocalStack's parity tests)


def function_in_other_region(region: str, here: str) -> ServiceError:
    return _error(
        "ResourceNotFoundException",
        f"Functions from '{region}' are not reachable in this region ('{here}')",
        404,
    )


def access_denied() -> ServiceError:
    # AWS's answer has no message
    return _error("AccessDeniedException", "", 403)


def qualified_new_function(reference: str) -> ServiceError:
    # [gureum] a new function's name cannot carry a version or alias
    return invalid_parameter(f"A new function cannot be named with a qualifier: {reference}")


def function_name_too_long(name: str, maximum: int) -> ServiceError:
    return invalid_parameter(
        f"1 validation error detected: Value '{name}' at 'functionName' failed to satisfy "
        f"constraint: Member must have length less than or equal to {maximum}"
    )


def code_signing_config_not_found(arn: str) -> ServiceError:
    return _error(
        "CodeSigningConfigNotFoundException",
        "The code signing configuration cannot be found. Check that the provided configuration "
        f"is not deleted: {arn}.",
        404,
    )
