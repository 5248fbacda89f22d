"""Primary keys: from a request's ``Key`` or an item to the engine's :data:`Key`, with
DynamoDB's checks and texts (schema match, empty values, size limits)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from gureum.services.dynamodb import errors, limits
from gureum.services.dynamodb.attributes import check_value
from gureum.storage.keys import ENCODERS, encode_binary, encode_number, partition_hash

if TYPE_CHECKING:
    from gureum.services.dynamodb.model import KeySchema, Table
    from gureum.storage.engine import Key

    AttributeValue = dict[str, Any]


def _hash_too_large() -> Exception:
    return errors.invalid_parameters(
        "Size of hashkey has exceeded the maximum size limit of2048 bytes"
    )


def _range_too_large() -> Exception:
    return errors.invalid_parameters(
        "Aggregated size of all range keys has exceeded the size limit of 1024 bytes"
    )


def _encode(kind: str, value: Any, name: str, is_hash: bool, in_item: bool) -> bytes:
    """Key bytes of an already validated value of the schema's type. An empty value is
    refused with the text of the member it came in (a whole item, or a ``Key``)."""
    if kind == "S":
        if not value:
            raise errors.empty_key_value(name, "S", in_item)
        data: bytes = value.encode("utf-8", "surrogatepass")
    elif kind == "N":
        return encode_number(value)
    else:
        data = encode_binary(value)
        if not data:
            raise errors.empty_key_value(name, "B", in_item)
    if is_hash:
        if len(data) > limits.MAX_PARTITION_KEY_BYTES:
            raise _hash_too_large()
    elif len(data) > limits.MAX_SORT_KEY_BYTES:
        raise _range_too_large()
    return data


def request_key(table: Table, key: dict[str, Any]) -> Key:
    """The engine key of a request's ``Key`` map, which must match the schema exactly."""
    schema = table.key
    for av in key.values():
        if len(av) != 1 or "S" not in av:
            check_value(av)  # a value's own error comes before any schema mismatch
    hash_av = key.get(schema.hash_name)
    if hash_av is None or len(key) != (1 if schema.range_name is None else 2):
        raise errors.key_mismatch()
    hash_value = hash_av.get(schema.hash_type)
    if hash_value is None or len(hash_av) != 1:
        raise errors.key_mismatch()
    pk = _encode(schema.hash_type, hash_value, schema.hash_name, True, False)
    if schema.range_name is None:
        return partition_hash(pk), pk, b""
    range_type: str = schema.range_type  # type: ignore[assignment]
    range_av = key.get(schema.range_name)
    if range_av is None:
        raise errors.key_mismatch()
    range_value = range_av.get(range_type)
    if range_value is None or len(range_av) != 1:
        raise errors.key_mismatch()
    sk = _encode(range_type, range_value, schema.range_name, False, False)
    return partition_hash(pk), pk, sk


def item_key(table: Table, item: dict[str, Any]) -> Key:
    """The engine key of a whole (already validated) item."""
    schema = table.key
    pk = _item_part(item, schema.hash_name, schema.hash_type, True)
    sk = b""
    if schema.range_name is not None:
        sk = _item_part(item, schema.range_name, schema.range_type, False)  # type: ignore[arg-type]
    return partition_hash(pk), pk, sk


def _item_part(item: dict[str, Any], name: str, kind: str, is_hash: bool) -> bytes:
    av = item.get(name)
    if av is None:
        raise errors.missing_key_in_item(name)
    value = av.get(kind)
    if value is None:
        raise errors.key_type_mismatch(name, kind, next(iter(av)))
    return _encode(kind, value, name, is_hash, True)


def key_attributes(schema: KeySchema, item: dict[str, Any]) -> dict[str, Any]:
    """The key attributes of an item, in wire form."""
    out = {schema.hash_name: item[schema.hash_name]}
    if schema.range_name is not None:
        out[schema.range_name] = item[schema.range_name]
    return out


def check_index_keys(table: Table, item: dict[str, Any], updating: bool = False) -> None:
    """The item's values of secondary index key attributes must have the index's types, must
    not be empty and must fit the key size limits (items without them are simply not in the
    index). ``updating``: the item is an UpdateItem's result, which has its own text for an
    empty value."""
    for index in (*table.global_indexes, *table.local_indexes):
        for name, kind, limit in (
            (index.key.hash_name, index.key.hash_type, limits.MAX_PARTITION_KEY_BYTES),
            (index.key.range_name, index.key.range_type, limits.MAX_SORT_KEY_BYTES),
        ):
            if name is None or kind is None:
                continue
            av = item.get(name)
            if av is None:
                continue
            value = av.get(kind)
            if value is None:
                raise errors.invalid_parameters(
                    f"Type mismatch for Index Key {name} Expected: {kind} Actual: "
                    f"{next(iter(av))} IndexName: {index.name}"
                )
            if kind == "N":
                continue
            if not value:
                raise errors.empty_index_key(index.name, name, kind, updating)
            size = len(ENCODERS[kind](value))
            if size > limit:
                raise errors.invalid_parameters(
                    f"Size limit exceeded for Index Key {name} Actual Size: {size} bytes "
                    f"Max Size: {limit} bytes IndexName: {index.name}"
                )
