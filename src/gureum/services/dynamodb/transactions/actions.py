"""The actions of a transaction, checked in DynamoDB's order, and what each decides.

What a request gets wrong comes back in one of two ways, as DynamoDB answers it:

* a ValidationException (or ResourceNotFoundException) for the whole request: what the
  request shows by itself, checked before the transaction starts. Each action in order: which
  action it is, its expressions and attribute values, a Put's item size, the running size of
  the request; then every action's table must exist; then an empty key value (table or index
  key) and two actions on one item;
* a TransactionCanceledException whose CancellationReasons carry the code ``ValidationError``:
  a key that does not match the table's schema (wrong type, missing, too long), a Put item's
  index key of the wrong type, an Update of a key attribute. Only the first such action is
  reported, the others say ``None`` and no condition is evaluated.

Then every action decides against the stored item (:func:`deciders`); all their refusals come
back together: ``ConditionalCheckFailed`` (with the item if the action asked for
ReturnValuesOnConditionCheckFailure ALL_OLD), ``ValidationError`` for an Update that cannot be
applied, ``TransactionConflict`` for an item another transaction holds.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import orjson

from gureum.core.errors import ServiceError, constraint_violations
from gureum.expressions import ExpressionError
from gureum.services.dynamodb import errors, limits
from gureum.services.dynamodb.attributes import item_size, name_size
from gureum.services.dynamodb.catalog import table_name_violations
from gureum.services.dynamodb.expression_params import ExpressionParams
from gureum.services.dynamodb.items import updated_item
from gureum.services.dynamodb.keys import check_index_keys, item_key, request_key
from gureum.services.dynamodb.writes import DELETE, KEEP, Decide, Decision, WritePath

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from gureum.core.context import RequestContext
    from gureum.expressions import Compiled
    from gureum.services.dynamodb.catalog import TableCatalog
    from gureum.services.dynamodb.model import Table
    from gureum.storage.engine import Key, Row

Reason = dict[str, Any]

# TransactWriteItem's members, and how the front end names them in its messages
WRITE_KINDS = {
    "ConditionCheck": "conditionCheck",
    "Put": "put",
    "Delete": "delete",
    "Update": "update",
}
_PARAMS = {
    "ConditionCheck": ExpressionParams(("ConditionExpression",), ()),
    "Put": ExpressionParams(("ConditionExpression",), ()),
    "Delete": ExpressionParams(("ConditionExpression",), ()),
    "Update": ExpressionParams(("UpdateExpression", "ConditionExpression"), ()),
    "Get": ExpressionParams(("ProjectionExpression",), ()),
}
# Checked before the transaction starts, whatever the action: an empty key value
_UP_FRONT = "One or more parameter values are not valid."

NO_REASON: Reason = {"Code": "None"}
CONFLICT: Reason = {"Code": "TransactionConflict", "Message": "Transaction is ongoing for the item"}
_CONDITION_FAILED = "The conditional request failed"


def validation_reason(message: str) -> Reason:
    return {"Code": "ValidationError", "Message": message}


def cancelled(position: int, count: int, reason: Reason) -> ServiceError:
    """A cancellation for one action's reason (the others: None)."""
    return errors.transaction_cancelled(
        [reason if i == position else NO_REASON for i in range(count)]
    )


@dataclass(slots=True)
class Action:
    """One action of a transaction (``kind``: Put, Update, Delete, ConditionCheck or Get) and,
    once decided, what it found and wrote."""

    kind: str
    spec: dict[str, Any]
    table: Table | None
    compiled: Compiled | None
    size: int = 0  # a Put's item size
    key: Key = (0, b"", b"")
    old: Row | None = None
    new_item: dict[str, Any] | None = None
    new_size: int = 0

    @property
    def found(self) -> Table:
        assert self.table is not None  # tables are known to exist once keys are resolved
        return self.table

    def key_values(self) -> dict[str, Any]:
        """The request's key attributes (a Put's whole item)."""
        values: dict[str, Any] = self.spec["Item"] if self.kind == "Put" else self.spec["Key"]
        return values


# --- before the transaction: the whole request's errors


def check_members(elements: Sequence[dict[str, Any] | None], kinds: dict[str, str]) -> None:
    """The front end's constraints on the elements and every action's TableName, reported
    together."""
    violations: list[str] = []
    for position, element in enumerate(elements, 1):
        if element is None:
            # [gureum] the front end's wording for a null member of a list
            violations.append(
                f"Value null at 'transactItems.{position}.member' failed to satisfy constraint: "
                "Member must not be null"
            )
            continue
        for kind, member in kinds.items():
            spec = element.get(kind)
            name = spec.get("TableName") if isinstance(spec, dict) else None
            if isinstance(name, str) and not name.startswith("arn:"):
                path = f"transactItems.{position}.member.{member}.tableName"
                violations += table_name_violations(name, path)
    if violations:
        raise constraint_violations(violations)


def write_action(
    ctx: RequestContext, catalog: TableCatalog, element: dict[str, Any]
) -> tuple[Action, int]:
    """One element of TransactWriteItems' TransactItems, checked by itself; returns the action
    and its share of the request's size."""
    present = [kind for kind in WRITE_KINDS if element.get(kind) is not None]
    if len(present) != 1:
        raise errors.transaction_several_actions() if present else errors.transaction_no_action()
    kind = present[0]
    spec: dict[str, Any] = element[kind]
    table = catalog.lookup(ctx, spec["TableName"])
    compiled = _PARAMS[kind].compile(spec, table=table)
    if kind == "Put":
        size = item_size(spec["Item"])  # validates the item's values
        if size > limits.MAX_ITEM_SIZE:
            raise errors.item_too_large()
        action = Action(kind, spec, table, compiled, size)
        return action, size + _expressions_size(spec)
    key_size = item_size(spec["Key"])  # validates the key's values
    return Action(kind, spec, table, compiled), key_size + _expressions_size(spec)


def get_action(ctx: RequestContext, catalog: TableCatalog, element: dict[str, Any]) -> Action:
    """One element of TransactGetItems' TransactItems, checked by itself."""
    spec: dict[str, Any] = element["Get"]
    table = catalog.lookup(ctx, spec["TableName"])
    compiled = _PARAMS["Get"].compile(spec, table=table)
    item_size(spec["Key"])  # validates the key's values
    return Action("Get", spec, table, compiled)


def _expressions_size(spec: dict[str, Any]) -> int:
    size = 0
    for member in ("ConditionExpression", "UpdateExpression"):
        text = spec.get(member)
        if text:
            size += name_size(text)
    values = spec.get("ExpressionAttributeValues")
    if values:
        size += item_size(values)
    return size


def check_tables(actions: list[Action]) -> None:
    for action in actions:
        if action.table is None:
            raise errors.table_not_found()


def resolve_keys(actions: list[Action]) -> None:
    """Every action's key; the whole request's errors (an empty key value, two actions on one
    item) first, then the first action whose key or item does not fit its table
    (TransactionCanceledException)."""
    first: tuple[int, str] | None = None
    seen: set[tuple[int, Key]] = set()
    for position, action in enumerate(actions):
        message = _resolve_key(action)
        if message is not None:
            if first is None:
                first = (position, message)
            continue
        item = (action.found.id, action.key)
        if item in seen:
            raise errors.transaction_same_item()
        seen.add(item)
    if first is not None:
        raise cancelled(first[0], len(actions), validation_reason(first[1]))


def _resolve_key(action: Action) -> str | None:
    """Set the action's key; the message of what does not fit the table (None if all does)."""
    table = action.found
    values = action.key_values()
    for name in table.key.names:
        av = values.get(name)
        if isinstance(av, dict) and len(av) == 1:
            ((kind, value),) = av.items()
            if kind in ("S", "B") and value == "":
                raise errors.empty_key_value(name, kind, in_item=True)
    try:
        if action.kind == "Put":
            action.key = item_key(table, values)
            if table.global_indexes or table.local_indexes:
                check_index_keys(table, values)
        else:
            action.key = request_key(table, values)
    except ServiceError as exc:
        if exc.message.startswith(_UP_FRONT):  # an empty index key value
            raise
        return exc.message
    if action.kind == "Update" and action.compiled is not None:
        program = action.compiled.update
        if program is not None:
            for name in table.key.names:
                if name in program.top_level_names:
                    return errors.cannot_update_key(name).message
    return None


# --- in the transaction: each action's decision


class Refusal(Exception):
    """An action's reason to cancel the transaction."""

    def __init__(self, reason: Reason) -> None:
        super().__init__(reason["Code"])
        self.reason = reason


# [gureum] DynamoDB's text for this reason is not public; the code is (TransactWriteItems)
COLLECTION_TOO_LARGE: Reason = {
    "Code": "ItemCollectionSizeLimitExceeded",
    "Message": "Item collection size limit exceeded.",
}


def deciders(
    actions: list[Action], conflicts: list[bool], writes: WritePath
) -> list[tuple[Table, Key, Decide]]:
    """The writes of a transaction for :meth:`WritePath.write_many`: every action decides
    (recording what it found in its :class:`Action`); the last raises the cancellation if any
    refused, so nothing is written. A write that would outgrow its item collection is
    refused with the reason ItemCollectionSizeLimitExceeded."""
    reasons: list[Reason | None] = [None] * len(actions)
    last = len(actions) - 1

    def decider(position: int, action: Action) -> Decide:
        decide_action = _DECIDE[action.kind]

        def decide(old: Row | None) -> Decision:
            action.old = old
            decision: Decision = KEEP
            if conflicts[position]:
                reasons[position] = CONFLICT
            else:
                try:
                    decision = decide_action(action, old)
                except Refusal as refusal:
                    reasons[position] = refusal.reason
                else:
                    if writes.outgrows_collection(action.found, action.key, old, decision):
                        reasons[position] = COLLECTION_TOO_LARGE
                        decision = KEEP
            if position == last and any(r is not None for r in reasons):
                raise errors.transaction_cancelled([r or NO_REASON for r in reasons])
            return decision

        return decide

    return [(a.found, a.key, decider(i, a)) for i, a in enumerate(actions)]


def _check_condition(action: Action, old_item: dict[str, Any] | None) -> None:
    condition = action.compiled.condition if action.compiled is not None else None
    if condition is None:
        return
    try:
        holds = condition(old_item)
    except ExpressionError as exc:
        raise Refusal(validation_reason(exc.message)) from None
    if not holds:
        reason: Reason = {"Code": "ConditionalCheckFailed", "Message": _CONDITION_FAILED}
        wanted = action.spec.get("ReturnValuesOnConditionCheckFailure") == "ALL_OLD"
        if wanted and old_item is not None:
            reason["Item"] = old_item
        raise Refusal(reason)


def _old_item(old: Row | None) -> dict[str, Any] | None:
    return orjson.loads(old[1]) if old is not None else None


def _decide_check(action: Action, old: Row | None) -> Decision:
    _check_condition(action, _old_item(old))
    return KEEP


def _decide_put(action: Action, old: Row | None) -> Decision:
    if action.compiled is not None and action.compiled.condition is not None:
        _check_condition(action, _old_item(old))
    item: dict[str, Any] = action.spec["Item"]
    action.new_item = item
    action.new_size = action.size
    return action.size, orjson.dumps(item)


def _decide_delete(action: Action, old: Row | None) -> Decision:
    if action.compiled is not None and action.compiled.condition is not None:
        _check_condition(action, _old_item(old))
    return DELETE if old is not None else KEEP


def _decide_update(action: Action, old: Row | None) -> Decision:
    old_item = _old_item(old)
    _check_condition(action, old_item)
    program = action.compiled.update if action.compiled is not None else None
    table = action.found
    try:
        result = updated_item(table, program, action.spec["Key"], old, old_item)
    except (ExpressionError, ServiceError) as exc:
        raise Refusal(validation_reason(exc.message)) from None
    if result is None:
        return KEEP  # an update that only removes attributes does not create the item
    new_item, size = result
    action.new_item = new_item
    action.new_size = size
    return size, orjson.dumps(new_item)


_DECIDE: dict[str, Callable[[Action, Row | None], Decision]] = {
    "ConditionCheck": _decide_check,
    "Put": _decide_put,
    "Delete": _decide_delete,
    "Update": _decide_update,
}
