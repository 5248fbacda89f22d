"""Request members DynamoDB checks itself, ahead of the front end's model-driven constraints.

The wire layer's shape validator runs these (``service_checks``) once the JSON types are right
and before it reports any constraint violation, so that DynamoDB's own wording wins where AWS
answers in it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from gureum.core.errors import ServiceError, constraint_violations
from gureum.services.dynamodb import errors, limits

if TYPE_CHECKING:
    from collections.abc import Callable


def _table_name_given(value: Any) -> ServiceError | None:
    return errors.missing_parameter("TableName") if value is None else None


def _write_items_given(value: Any) -> ServiceError | None:
    return errors.request_items_required("BatchWriteItem") if value == {} else None


def _get_items_given(value: Any) -> ServiceError | None:
    if value == {}:
        return errors.request_items_required("BatchGetItem")
    too_many = [
        f"Value at 'RequestItems.{table}.member.Keys' failed to satisfy constraint: "
        f"Member must have length less than or equal to {limits.MAX_BATCH_GET_KEYS}"
        for table, entry in (value or {}).items()
        if len((entry or {}).get("Keys") or ()) > limits.MAX_BATCH_GET_KEYS
    ]
    return constraint_violations(too_many) if too_many else None


def _query_limit(value: Any) -> ServiceError | None:
    if value is None or value >= 1:
        return None
    return constraint_violations(
        [
            "Value at 'Limit' failed to satisfy constraint: Member must have value greater than or "
            "equal to 1"
        ]
    )


# Input members DynamoDB checks itself, ahead of the front end's constraints and in its own
# words: a missing TableName of the table operations (the model's TableArn would be reported as
# "Value null at 'tableName'", which the item operations still answer), an empty RequestItems
# of the batches (below the model's minimum of one entry), and more than 100 keys for one table
# in BatchGetItem and a Limit below 1 in Query (reported without the value, by the member's
# own name; Scan's Limit is still the front end's).
SERVICE_CHECKS: dict[str, Callable[[Any], ServiceError | None]] = {
    "CreateTableInput.TableName": _table_name_given,
    "DescribeTableInput.TableName": _table_name_given,
    "UpdateTableInput.TableName": _table_name_given,
    "DeleteTableInput.TableName": _table_name_given,
    "BatchGetItemInput.RequestItems": _get_items_given,
    "BatchWriteItemInput.RequestItems": _write_items_given,
    "QueryInput.Limit": _query_limit,
}
