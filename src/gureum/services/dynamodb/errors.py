"""DynamoDB's errors, with the exact message texts DynamoDB returns."""

from __future__ import annotations

from typing import Any

from gureum.core.errors import CORAL_SERVICE_NAMESPACE, ServiceError, validation_error


def invalid(message: str) -> ServiceError:
    """A ValidationException (DynamoDB's own checks share the front end's namespace)."""
    return validation_error(message)


INVALID_PARAMETERS = "One or more parameter values were invalid: "


def invalid_parameters(detail: str) -> ServiceError:
    return validation_error(INVALID_PARAMETERS + detail)


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


def item_collection_too_large() -> ServiceError:
    # [gureum] DynamoDB's text is not public; the code is (API reference, PutItem errors)
    return ServiceError(
        "ItemCollectionSizeLimitExceededException", "Item collection size limit exceeded."
    )


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


def empty_index_key(index: str, name: str, kind: str, updating: bool) -> ServiceError:
    """An empty S or B value of a secondary index key: an UpdateItem's result has its own
    text, which names neither the index nor the key."""
    what = "string" if kind == "S" else "binary"
    lead = "One or more parameter values are not valid."
    if updating:
        return validation_error(
            f"{lead} The update expression attempted to update a secondary index key to a value "
            "that is not supported. The AttributeValue for a key attribute cannot contain an "
            f"empty {what} value."
        )
    return validation_error(
        f"{lead} A value specified for a secondary index key is not supported. The "
        f"AttributeValue for a key attribute cannot contain an empty {what} value. IndexName: "
        f"{index}, IndexKey: {name}"
    )


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
    return invalid_parameters(f"Cannot update attribute {name}. This attribute is part of the key")


def deletion_protected() -> ServiceError:
    return validation_error(
        "Resource cannot be deleted as it is currently protected against deletion. "
        "Disable deletion protection first."
    )


def access_denied() -> ServiceError:
    """A request naming a resource of another account (by ARN)."""
    return ServiceError("AccessDeniedException", "Access is denied", 400, CORAL_SERVICE_NAMESPACE)


def invalid_region(arn: str) -> ServiceError:
    """A TableName ARN of another region than the request's."""
    return validation_error(f"1 validation error detected: Invalid AWS region in '{arn}'")


# --- parameters DynamoDB checks itself, ahead of the front end's constraints


def missing_parameter(name: str) -> ServiceError:
    return validation_error(
        f"The parameter '{name}' is required but was not present in the request"
    )


def request_items_required(operation: str) -> ServiceError:
    return validation_error(f"The requestItems parameter is required for {operation}")


# --- CreateTable and UpdateTable


def stream_view_type_required(creating: bool) -> ServiceError:
    if creating:
        return invalid_parameters(
            "Table is being created with a stream enabled, UpdateViewType is required"
        )
    return invalid_parameters("If stream is being enabled then UpdateViewType is required")


def stream_view_type_forbidden(creating: bool) -> ServiceError:
    if creating:
        return invalid_parameters(
            "Table is being created with a stream disabled, UpdateViewType should not be specified"
        )
    return invalid_parameters(
        "If stream is being disabled, then UpdateViewType must not be specified"
    )


def stream_already_enabled(table: str) -> ServiceError:
    return validation_error(f"Table already has an enabled stream: TableName: {table}")


def no_stream_to_disable(table: str) -> ServiceError:
    return validation_error(f"Table has no stream to disable: TableName: {table}")


def nothing_to_update(names: list[str]) -> ServiceError:
    return validation_error(f"At least one of {', '.join(names[:-1])} or {names[-1]} is required")


def must_be_alone(what: str) -> ServiceError:
    """``what`` is one of the changes UpdateTable makes only on their own."""
    return invalid_parameters(f"{what} must be the only operation in the request")


def throughput_unchanged(
    current: tuple[int, int], requested: tuple[int, int], index: str = ""
) -> ServiceError:
    """UpdateTable with the capacity the table (or global index ``index``) already has."""
    target, where = (f"index {index}", f"index {index}") if index else ("table", "the table")
    (read, write), (new_read, new_write) = current, requested
    return validation_error(
        f"The provisioned throughput for the {target} will not change. The requested value "
        f"equals the current value. Current ReadCapacityUnits provisioned for {where}: {read}. "
        f"Requested ReadCapacityUnits: {new_read}. Current WriteCapacityUnits provisioned for "
        f"{where}: {write}. Requested WriteCapacityUnits: {new_write}. Refer to the Amazon "
        "DynamoDB Developer Guide for current limits and how to request higher limits."
    )


def index_not_found(index: str, table: str) -> ServiceError:
    return resource_not_found(f"Requested resource not found: Index {index} for table {table}")


def online_index_limit() -> ServiceError:
    return limit_exceeded(
        "Subscriber limit exceeded: Only 1 online index can be created or deleted simultaneously "
        "per table"
    )


# --- UpdateTable's GlobalSecondaryIndexUpdates


def empty_index_update() -> ServiceError:
    return invalid_parameters(
        "One of GlobalSecondaryIndexUpdate.Update, GlobalSecondaryIndexUpdate.Create, "
        "GlobalSecondaryIndexUpdate.Delete must not be null"
    )


def several_index_actions() -> ServiceError:
    return invalid_parameters(
        "Only one global secondary index action is allowed per GlobalSecondaryIndexUpdate object"
    )


def repeated_index_update(index: str) -> ServiceError:
    return invalid_parameters(
        "Only one global secondary index update per index is allowed simultaneously. "
        f"Index: {index}"
    )


def index_exists() -> ServiceError:
    return validation_error("Attempting to create an index which already exists")


def not_a_global_index(action: str, index: str) -> ServiceError:
    """``action``: "update" or "delete"."""
    return validation_error(f"Cannot {action} an index that is not a GlobalSecondaryIndex: {index}")


def index_definitions_missing(index: str) -> ServiceError:
    return invalid_parameters(f"AttributeDefinitions is not specified for index: {index}")


def attribute_redefined(existing: str, new: str) -> ServiceError:
    """``existing``, ``new``: one key element each, as ``name:type:KEYTYPE``."""
    return invalid_parameters(
        "Attributes cannot be redefined. Please check that your attribute has the same type as "
        f"previously defined. Existing schema: Schema:[SchemaElement: key{{{existing}}}] "
        f"New schema: Schema:[SchemaElement: key{{{new}}}]"
    )


def empty_index_updates() -> ServiceError:
    return invalid_parameters("List of GlobalSecondaryIndexUpdates is empty")


def index_throughput_required(indexes: list[str]) -> ServiceError:
    """A switch to PROVISIONED without the throughput of every global index."""
    return invalid_parameters(
        f"ProvisionedThroughput must be specified for index: {','.join(indexes)}"
    )


def index_capacity_required(index: str) -> ServiceError:
    """A Create of an index, on a provisioned table, without its ProvisionedThroughput."""
    return invalid_parameters(
        f"Both ReadCapacityUnits and WriteCapacityUnits must be specified for index: {index}"
    )


def index_throughput_on_demand(index: str) -> ServiceError:
    return invalid_parameters(
        f"Neither ReadCapacityUnits nor WriteCapacityUnits can be specified for index: {index} "
        "when BillingMode is PAY_PER_REQUEST"
    )


def on_demand_index_update(index: str) -> ServiceError:
    return invalid_parameters(
        f"The only Updates for index: {index} when TableThroughputMode is PAY_PER_REQUEST can be "
        "to OnDemandThroughput, WarmThroughput"
    )


def too_many_global_indexes(limit: int) -> ServiceError:
    return limit_exceeded(
        f"Subscriber limit exceeded: Number of global secondary indexes exceeds per-table limit "
        f"of {limit}"
    )


# --- tags


def no_tags() -> ServiceError:
    return validation_error("Atleast one Tag needs to be provided as Input.")


def no_tag_keys() -> ServiceError:
    return validation_error("Atleast one Tag Key needs to be provided as Input.")


def reserved_tag_key(key: str) -> ServiceError:
    return validation_error(f"Tag Key cannot be prefixed with aws:, Key: {key}")


def duplicate_tag_key(key: str) -> ServiceError:
    return validation_error(f"Duplicate Tag Keys provided as input: Duplicate Tag Key found {key}")


def tagged_resource_not_found(arn: str) -> ServiceError:
    return resource_not_found(f"Requested resource not found: ResourceArn: {arn} not found")


def not_an_arn(value: str) -> ServiceError:
    return invalid_parameters(f"ARNs must start with 'arn:': {value}")


def not_a_dynamodb_arn(arn: str) -> ServiceError:
    return invalid_parameters(f"Provided Arn is not a DynamoDB resource arn: {arn}")


def invalid_table_arn(arn: str) -> ServiceError:
    return validation_error(f"Invalid TableArn: Invalid ResourceArn provided as input {arn}")


def not_table_or_stream_arn(arn: str) -> ServiceError:
    return invalid_parameters(
        "Invalid resource arn provided, only table or stream is accepted. Provided resource "
        f"arn: {arn}"
    )


def too_many_tags() -> ServiceError:
    return validation_error("Number of Tags exceed the current limit for the provided ResourceArn")


# --- UpdateTimeToLive


def ttl_already_enabled() -> ServiceError:
    return validation_error("TimeToLive is already enabled")


def ttl_already_disabled() -> ServiceError:
    return validation_error("TimeToLive is already disabled")


def ttl_other_attribute(current: str) -> ServiceError:
    """Enabling or disabling TTL on another attribute than the one it is enabled on."""
    return validation_error(
        f"TimeToLive is active on a different AttributeName: current AttributeName is {current}"
    )


def ttl_changed_recently() -> ServiceError:
    """A second change within the window after a successful one."""
    return validation_error("Time to live has been modified multiple times within a fixed interval")


# --- backups and point-in-time recovery


def backup_not_found(arn: str) -> ServiceError:
    return ServiceError("BackupNotFoundException", f"Backup not found: {arn}")


def source_table_not_found(name: str) -> ServiceError:
    """The table of a backup or continuous-backups operation does not exist (these name it
    TableNotFoundException, not ResourceNotFoundException)."""
    return ServiceError("TableNotFoundException", f"Table not found: {name}")


def target_table_exists(name: str) -> ServiceError:
    """A restore's TargetTableName is taken."""
    return ServiceError("TableAlreadyExistsException", f"Table already exists: {name}")


def pitr_unavailable() -> ServiceError:
    # [gureum] the API reference's description of the exception; AWS's text not confirmed
    return ServiceError(
        "PointInTimeRecoveryUnavailableException",
        "Point in time recovery has not yet been enabled for this source table.",
    )


def invalid_restore_time() -> ServiceError:
    # [gureum] the API reference's description of the exception; AWS's text not confirmed
    return ServiceError(
        "InvalidRestoreTimeException",
        "An invalid restore time was specified. RestoreDateTime must be between "
        "EarliestRestorableDateTime and LatestRestorableDateTime.",
    )


def restore_source_missing() -> ServiceError:
    # [gureum]
    return invalid_parameters("Either SourceTableName or SourceTableArn must be specified")


def restore_source_twice() -> ServiceError:
    # [gureum]
    return invalid_parameters("Only one of SourceTableName or SourceTableArn can be specified")


def restore_time_twice() -> ServiceError:
    # [gureum]
    return invalid_parameters(
        "Only one of RestoreDateTime or UseLatestRestorableTime can be specified"
    )


def unknown_override_index(index: str) -> ServiceError:
    """An index override naming an index the source table does not have."""
    # [gureum]
    return invalid_parameters(f"Index {index} does not exist in the source table")


def recovery_period_when_disabled() -> ServiceError:
    # [gureum]
    return invalid_parameters(
        "RecoveryPeriodInDays can only be specified when PointInTimeRecoveryEnabled is true"
    )


# --- TransactWriteItems and TransactGetItems

TRANSACTION_CANCELLED = (
    "Transaction cancelled, please refer cancellation reasons for specific reasons"
)


def transaction_cancelled(reasons: list[dict[str, Any]]) -> ServiceError:
    """TransactionCanceledException: one reason per action, in request order (``{"Code":
    "None"}`` for the actions that were fine), their codes listed in the message."""
    codes = ", ".join(reason["Code"] for reason in reasons)
    return ServiceError(
        "TransactionCanceledException",
        f"{TRANSACTION_CANCELLED} [{codes}]",
        extra={"CancellationReasons": reasons},
    )


def transaction_conflict() -> ServiceError:
    """A single-item write on an item a transaction holds (TransactionConflictException)."""
    return ServiceError("TransactionConflictException", "Transaction is ongoing for the item")


def idempotent_parameter_mismatch() -> ServiceError:
    # [gureum] DynamoDB Local's text; AWS's own is not on public record
    return ServiceError(
        "IdempotentParameterMismatchException",
        "Specified idempotent token was used with different request parameters within the "
        "idempotency window",
    )


def transaction_same_item() -> ServiceError:
    return validation_error("Transaction request cannot include multiple operations on one item")


def transaction_no_action() -> ServiceError:
    # [gureum] DynamoDB Local's text for an element with no action
    return validation_error(
        "Invalid Request: TransactWriteRequest should contain Delete or Put or Update request"
    )


def transaction_several_actions() -> ServiceError:
    # [gureum] DynamoDB Local's (and moto's) text for an element with more than one action
    return validation_error("TransactItems can only contain one of Check, Put, Update or Delete")


def transaction_payload_too_large(size: int) -> ServiceError:
    # [gureum] the sentence as a client's fixture of an AWS answer has it (repeated after a
    # colon); DynamoDB Local says it once. The size is gureum's own measure of the request.
    sentence = "Transaction payload size cannot exceed 4MB. Payload Size: "
    return validation_error(f"{sentence}: {sentence}{size}")


def transaction_response_too_large(size: int) -> ServiceError:
    # [gureum] DynamoDB Local's text for a TransactGetItems answer over 4 MB
    return validation_error(f"Payload in response is too large. Payload Size: {size}")
