"""CreateTable's input turned into a checked table definition, in DynamoDB's order of checks
and with its texts: billing, key schema against attribute definitions, then indexes; and the
stream and encryption settings CreateTable and UpdateTable share."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from gureum.core.arns import make_arn
from gureum.core.errors import ServiceError, constraint_violations
from gureum.services.dynamodb import errors, limits
from gureum.services.dynamodb.model import (
    ON_DEMAND_WARM,
    PAY_PER_REQUEST,
    PROVISIONED,
    Index,
    KeySchema,
    StreamSpec,
    Throughput,
)

_MAX_CAPACITY_UNITS = 1_000_000_000_000


@dataclass(slots=True)
class TableDefinition:
    key: KeySchema
    attribute_definitions: list[tuple[str, str]]
    billing_mode: str
    throughput: Throughput
    global_indexes: list[Index]
    local_indexes: list[Index]


def _invalid(detail: str) -> ServiceError:
    return errors.invalid_parameters(detail)


def check_throughput_bounds(throughput: dict[str, Any]) -> None:
    for member in ("ReadCapacityUnits", "WriteCapacityUnits"):
        value = throughput.get(member)
        if value is not None and value > _MAX_CAPACITY_UNITS:
            raise errors.invalid(f"Given value {value} for {member} is out of bounds")


def parse_billing(request: dict[str, Any]) -> tuple[str, Throughput]:
    mode = request.get("BillingMode")
    throughput = request.get("ProvisionedThroughput")
    if mode == PAY_PER_REQUEST:
        if throughput is not None:
            raise _invalid(
                "Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when "
                "BillingMode is PAY_PER_REQUEST"
            )
        return PAY_PER_REQUEST, Throughput()
    if (
        throughput is None
        or not throughput.get("ReadCapacityUnits")
        or not throughput.get("WriteCapacityUnits")
    ):
        raise _invalid(
            "ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode "
            "is PROVISIONED"
        )
    check_throughput_bounds(throughput)
    return PROVISIONED, _throughput(throughput)


def _throughput(spec: dict[str, Any]) -> Throughput:
    return Throughput(read=spec["ReadCapacityUnits"], write=spec["WriteCapacityUnits"])


def _key_schema(elements: list[dict[str, Any]], types: dict[str, str]) -> KeySchema:
    """Check one KeySchema (of the table or of an index) whose names are all defined."""
    names = [e["AttributeName"] for e in elements]
    if len(names) == 2 and names[0] == names[1]:
        raise errors.invalid(
            "Both the Hash Key and the Range Key element in the KeySchema have the same name"
        )
    if elements[0]["KeyType"] != "HASH":
        raise errors.invalid("Invalid KeySchema: The first KeySchemaElement is not a HASH key type")
    if len(elements) == 2 and elements[1]["KeyType"] != "RANGE":
        raise errors.invalid(
            "Invalid KeySchema: The second KeySchemaElement is not a RANGE key type"
        )
    hash_name = names[0]
    range_name = names[1] if len(names) == 2 else None
    return KeySchema(
        hash_name,
        types[hash_name],
        range_name,
        types[range_name] if range_name is not None else None,
    )


def check_index_key_length(elements: list[dict[str, Any]], member: str) -> None:
    """An index key has one HASH and at most one RANGE element (the front end's length rule,
    with its rendering of the elements)."""
    if len(elements) <= 2:
        return
    rendered = ", ".join(
        f"KeySchemaElement(attributeName={e.get('AttributeName')}, keyType={e.get('KeyType')})"
        for e in elements
    )
    raise constraint_violations(
        [
            f"Value '[{rendered}]' at '{member}.keySchema' failed to satisfy constraint: "
            "Member must have length less than or equal to 2"
        ]
    )


def check_defined(keys: list[str], types: dict[str, str]) -> None:
    if any(k not in types for k in keys):
        raise _invalid(
            "Some index key attributes are not defined in AttributeDefinitions. "
            f"Keys: [{', '.join(keys)}], AttributeDefinitions: [{', '.join(types)}]"
        )


def _projection(index: dict[str, Any]) -> tuple[str, list[str] | None]:
    projection = index.get("Projection") or {}
    kind = projection.get("ProjectionType")
    non_key = projection.get("NonKeyAttributes")
    if kind is None:
        raise _invalid("Unknown ProjectionType: null")
    if non_key is not None and kind != "INCLUDE":
        raise _invalid(f"ProjectionType is {kind}, but NonKeyAttributes is specified")
    if kind == "INCLUDE" and not non_key:
        raise _invalid("ProjectionType is INCLUDE, but NonKeyAttributes is not specified")
    return kind, non_key


def global_index(spec: dict[str, Any], types: dict[str, str]) -> Index:
    """One global secondary index (of CreateTable, or created by UpdateTable) whose key
    attributes must be among ``types``; its throughput is the caller's to check. Its warm
    throughput starts as a table's: on-demand's initial throughput, or its capacity."""
    elements = spec["KeySchema"]
    check_defined([e["AttributeName"] for e in elements], types)
    index_key = _key_schema(elements, types)
    kind, non_key = _projection(spec)
    throughput = None if (t := spec.get("ProvisionedThroughput")) is None else _throughput(t)
    return Index(
        spec["IndexName"],
        index_key,
        kind,
        non_key,
        throughput,
        ON_DEMAND_WARM if throughput is None else (throughput.read, throughput.write),
    )


def parse_indexes(
    request: dict[str, Any], key: KeySchema, types: dict[str, str], billing_mode: str
) -> tuple[list[Index], list[Index]]:
    seen: set[str] = set()
    local: list[Index] = []
    lsis = request.get("LocalSecondaryIndexes")
    if lsis is not None:
        if not lsis:
            raise _invalid("List of LocalSecondaryIndexes is empty")
        if key.range_name is None:
            raise _invalid(
                "Table KeySchema does not have a range key, which is required when specifying "
                "a LocalSecondaryIndex"
            )
        for position, spec in enumerate(lsis, start=1):
            name = spec["IndexName"]
            elements = spec["KeySchema"]
            check_index_key_length(elements, f"localSecondaryIndexes.{position}.member")
            check_defined([e["AttributeName"] for e in elements], types)
            index_key = _key_schema(elements, types)
            if index_key.range_name is None:
                raise _invalid(f"Index KeySchema does not have a range key for index: {name}")
            if index_key.hash_name != key.hash_name:
                raise _invalid(
                    "Index KeySchema does not have the same leading hash key as table KeySchema "
                    f"for index: {name}. index hash key: {index_key.hash_name}, table hash key: "
                    f"{key.hash_name}"
                )
            kind, non_key = _projection(spec)
            if name in seen:
                raise _invalid(f"Duplicate index name: {name}")
            seen.add(name)
            local.append(Index(name, index_key, kind, non_key))
        if len(lsis) > limits.MAX_LOCAL_SECONDARY_INDEXES:
            raise _invalid(
                "Number of LocalSecondaryIndexes exceeds per-table limit of "
                f"{limits.MAX_LOCAL_SECONDARY_INDEXES}"
            )
    global_: list[Index] = []
    gsis = request.get("GlobalSecondaryIndexes")
    if gsis is not None:
        if not gsis:
            raise _invalid("List of GlobalSecondaryIndexes is empty")
        for position, spec in enumerate(gsis, start=1):
            name = spec["IndexName"]
            check_index_key_length(spec["KeySchema"], f"globalSecondaryIndexes.{position}.member")
            index = global_index(spec, types)
            throughput = spec.get("ProvisionedThroughput")
            if billing_mode == PAY_PER_REQUEST and throughput is not None:
                raise _invalid(
                    f"ProvisionedThroughput should not be specified for index: {name} when "
                    "BillingMode is PAY_PER_REQUEST"
                )
            if billing_mode == PROVISIONED and throughput is None:
                raise _invalid(f"ProvisionedThroughput is not specified for index: {name}")
            if name in seen:
                raise _invalid(f"Duplicate index name: {name}")
            seen.add(name)
            global_.append(index)
        if len(gsis) > limits.MAX_GLOBAL_SECONDARY_INDEXES:
            raise _invalid(
                "GlobalSecondaryIndex count exceeds the per-table limit of "
                f"{limits.MAX_GLOBAL_SECONDARY_INDEXES}"
            )
    projected = sum(len(i.non_key_attributes or ()) for i in local + global_)
    if projected > limits.MAX_PROJECTED_ATTRIBUTES:
        raise _invalid(
            "The sum of the total number of NonKeyAttributes in all LocalSecondaryIndexes and "
            f"GlobalSecondaryIndexes exceeds the maximum of {limits.MAX_PROJECTED_ATTRIBUTES}"
        )
    return global_, local


def parse_table_definition(request: dict[str, Any]) -> TableDefinition:
    missing = [
        f"Value null at '{member}' failed to satisfy constraint: Member must not be null"
        for member, field in (
            ("attributeDefinitions", "AttributeDefinitions"),
            ("keySchema", "KeySchema"),
        )
        if request.get(field) is None
    ]
    if missing:
        raise constraint_violations(missing)
    billing_mode, throughput = parse_billing(request)

    elements = request["KeySchema"]
    if not 1 <= len(elements) <= 2:
        rendered = ", ".join(
            f"KeySchemaElement(attributeName={e.get('AttributeName')}, keyType={e.get('KeyType')})"
            for e in elements
        )
        bound = "less than or equal to 2" if elements else "greater than or equal to 1"
        raise constraint_violations(
            [
                f"Value '[{rendered}]' at 'keySchema' failed to satisfy constraint: "
                f"Member must have length {bound}"
            ]
        )
    definitions = request["AttributeDefinitions"]
    types: dict[str, str] = {}
    for d in definitions:
        name = d["AttributeName"]
        if name in types:
            raise errors.invalid(f"Attribute Name is duplicated: {name}")
        types[name] = d["AttributeType"]
    keys = [e["AttributeName"] for e in elements]
    if len(keys) > len(types):
        raise errors.invalid("Invalid KeySchema: Some index key attribute have no definition")
    check_defined(keys, types)
    key = _key_schema(elements, types)
    global_, local = parse_indexes(request, key, types, billing_mode)

    used = set(keys)
    for index in global_ + local:
        used.update(index.key.names)
    if len(used) != len(types):
        raise _invalid(
            "Number of attributes in KeySchema does not exactly match number of attributes "
            "defined in AttributeDefinitions"
        )
    return TableDefinition(
        key=key,
        attribute_definitions=[(d["AttributeName"], d["AttributeType"]) for d in definitions],
        billing_mode=billing_mode,
        throughput=throughput,
        global_indexes=global_,
        local_indexes=local,
    )


# --- streams and encryption


def stream_label(now: float) -> str:
    """A stream label as DynamoDB makes them: the creation time to the millisecond."""
    return datetime.fromtimestamp(now, UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3]


def check_stream_spec(spec: dict[str, Any], *, creating: bool) -> None:
    """A StreamSpecification (StreamEnabled is present: the front end requires it) names a view
    type exactly when it enables the stream; CreateTable and UpdateTable word it their way."""
    if spec["StreamEnabled"] and spec.get("StreamViewType") is None:
        raise errors.stream_view_type_required(creating)
    if not spec["StreamEnabled"] and spec.get("StreamViewType") is not None:
        raise errors.stream_view_type_forbidden(creating)


def new_stream(spec: dict[str, Any] | None, now: float) -> StreamSpec | None:
    """The stream a checked StreamSpecification enables, if it does."""
    if spec is None or not spec["StreamEnabled"]:
        return None
    return StreamSpec(True, spec["StreamViewType"], stream_label(now))


def sse_description(
    spec: dict[str, Any] | None, region: str, account: str
) -> dict[str, Any] | None:
    """SSESpecification -> SSEDescription (absent for the default AWS-owned key)."""
    if not spec or not spec.get("Enabled"):
        return None
    return {
        "Status": "ENABLED",
        "SSEType": spec.get("SSEType", "KMS"),
        "KMSMasterKeyArn": spec.get(
            "KMSMasterKeyId", make_arn("kms", region, account, "key/aws-dynamodb")
        ),
    }
