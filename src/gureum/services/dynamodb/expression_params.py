"""The expression parameters of a request: DynamoDB's checks on how they are combined, the
validation of ExpressionAttributeValues as attribute values, then compilation through
:mod:`gureum.expressions` (which checks the placeholder maps and caches by expression text)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from gureum.expressions import Compiled, ExpressionError, compile_expressions, compile_legacy
from gureum.services.dynamodb import errors

if TYPE_CHECKING:
    from gureum.services.dynamodb.model import Table

from gureum.services.dynamodb.attributes import EMPTY_NAME, check_expression_values, check_value

# Request member -> compile_expressions keyword
_EXPRESSION_ARGS = {
    "ConditionExpression": "condition",
    "FilterExpression": "filter",
    "KeyConditionExpression": "key_condition",
    "ProjectionExpression": "projection",
    "UpdateExpression": "update",
}
_LEGACY_ARGS = {
    "Expected": "expected",
    "ConditionalOperator": "conditional_operator",
    "AttributeUpdates": "attribute_updates",
    "KeyConditions": "key_conditions",
    "QueryFilter": "query_filter",
    "ScanFilter": "scan_filter",
    "AttributesToGet": "attributes_to_get",
}


class ExpressionParams:
    """Which expression and legacy members an operation accepts."""

    __slots__ = ("expressions", "legacy", "members", "value_expressions")

    def __init__(self, expressions: tuple[str, ...], legacy: tuple[str, ...]) -> None:
        self.expressions = expressions
        self.legacy = legacy
        self.value_expressions = tuple(e for e in expressions if e != "ProjectionExpression")
        self.members = frozenset(
            (*expressions, *legacy, "ExpressionAttributeNames", "ExpressionAttributeValues")
        )

    def compile(
        self,
        request: dict[str, Any],
        key_schema: tuple[str, str | None] | None = None,
        table: Table | None = None,
    ) -> Compiled | None:
        """Check and compile the request's expressions; None when it has none. Given the
        ``table`` (None while it is not known to exist, so that the request's own errors still
        come before ResourceNotFoundException), paths that look inside its key attributes are
        refused too."""
        if self.members.isdisjoint(request):
            return None
        used = [e for e in self.expressions if request.get(e) is not None]
        names = request.get("ExpressionAttributeNames")
        values = request.get("ExpressionAttributeValues")
        if not used and names is None and values is None:
            legacy = [p for p in self.legacy if request.get(p) is not None]
            return self._compile_legacy(request, legacy, key_schema) if legacy else None
        if used:
            legacy = [p for p in self.legacy if request.get(p) is not None]
            if "KeyConditions" in legacy and request.get("KeyConditionExpression") is None:
                legacy.remove("KeyConditions")
            if legacy:
                raise errors.invalid(
                    "Can not use both expression and non-expression parameters in the same "
                    f"request: Non-expression parameters: {{{', '.join(legacy)}}} "
                    f"Expression parameters: {{{', '.join(used)}}}"
                )
        if names is not None and not used:
            raise errors.invalid(
                "ExpressionAttributeNames can only be specified when using expressions"
            )
        if values is not None and not any(
            request.get(e) is not None for e in self.value_expressions
        ):
            verb = "are" if len(self.value_expressions) > 1 else "is"
            raise errors.invalid(
                "ExpressionAttributeValues can only be specified when using expressions: "
                f"{' and '.join(self.value_expressions)} {verb} null"
            )
        if values:
            check_expression_values(values)  # also puts their numbers in canonical form
        return self._compile(request, used, key_schema, table)

    @staticmethod
    def _compile(
        request: dict[str, Any],
        used: list[str],
        key_schema: tuple[str, str | None] | None,
        table: Table | None,
    ) -> Compiled:
        kwargs: dict[str, Any] = {_EXPRESSION_ARGS[e]: request[e] for e in used}
        if table is not None:
            kwargs["key_names"] = table.key.names
            kwargs["index_key_names"] = _index_key_names(table)
        try:
            return compile_expressions(
                names=request.get("ExpressionAttributeNames"),
                values=request.get("ExpressionAttributeValues"),
                key_schema=key_schema,
                **kwargs,
            )
        except ExpressionError as exc:
            raise errors.invalid(exc.message) from None

    def _compile_legacy(
        self,
        request: dict[str, Any],
        present: list[str],
        key_schema: tuple[str, str | None] | None,
    ) -> Compiled:
        check_legacy_values(request)
        kwargs: dict[str, Any] = {_LEGACY_ARGS[p]: request[p] for p in present}
        try:
            return compile_legacy(key_schema=key_schema, **kwargs)
        except ExpressionError as exc:
            raise errors.invalid(exc.message) from None


def _index_key_names(table: Table) -> tuple[str, ...]:
    """Key attributes of the table's indexes: local ones first, hash then range."""
    names: list[str] = []
    for index in (*table.local_indexes, *table.global_indexes):
        for name in index.key.names:
            if name not in names:
                names.append(name)
    return tuple(names)


def check_legacy_values(request: dict[str, Any]) -> None:
    """Validate the attribute values and names inside the legacy parameters."""
    for name in request.get("AttributesToGet") or ():
        if name == "":
            raise errors.invalid(EMPTY_NAME)
    for name, update in (request.get("AttributeUpdates") or {}).items():
        if name == "":
            raise errors.invalid(EMPTY_NAME)
        if update is not None and update.get("Value") is not None:
            check_value(update["Value"])
    for member in ("Expected", "QueryFilter", "ScanFilter", "KeyConditions"):
        for condition in (request.get(member) or {}).values():
            if condition is None:
                continue
            if condition.get("Value") is not None:
                check_value(condition["Value"])
            for value in condition.get("AttributeValueList") or ():
                if value is not None:
                    check_value(value)


GET_ITEM = ExpressionParams(("ProjectionExpression",), ("AttributesToGet",))
PUT_ITEM = ExpressionParams(("ConditionExpression",), ("Expected", "ConditionalOperator"))
DELETE_ITEM = PUT_ITEM
UPDATE_ITEM = ExpressionParams(
    ("UpdateExpression", "ConditionExpression"),
    ("AttributeUpdates", "Expected", "ConditionalOperator"),
)
QUERY = ExpressionParams(
    ("ProjectionExpression", "FilterExpression", "KeyConditionExpression"),
    ("AttributesToGet", "QueryFilter", "ConditionalOperator", "KeyConditions"),
)
SCAN = ExpressionParams(
    ("ProjectionExpression", "FilterExpression"),
    ("AttributesToGet", "ScanFilter", "ConditionalOperator"),
)
