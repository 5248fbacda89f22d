"""Lambda event filtering on DynamoDB stream mappings (FilterCriteria), end to end: a table with a
stream, a mapping with filters, and a function recording each record it gets into a sink table.

Each delivery test adds a filter passing a final ``sentinel`` item: once the sentinel has
reached the function, every record written before it has been filtered (a shard is read in
order), so the sink holds exactly what passed.
"""

from __future__ import annotations

import contextlib
import json
import time
from collections.abc import Iterator
from typing import Any

import pytest

from conftest import TableFactory, create_table, unique_name
from lambda_.conftest import create_function, make_zip

SENTINEL = "sentinel"
SENTINEL_FILTER = {"dynamodb": {"Keys": {"p": {"S": [SENTINEL]}}}}
RECORDER = """\
import os
import boto3

client = boto3.client("dynamodb")


def handler(event, context):
    for record in event["Records"]:
        key = record["dynamodb"]["Keys"]["p"]["S"]
        client.put_item(
            TableName=os.environ["SINK"],
            Item={
                "src": {"S": record["eventSourceARN"]},
                "rec": {"S": key + "#" + record["eventName"]},
            },
        )
"""
INVALID = "Invalid filter pattern definition."


@pytest.fixture(scope="module")
def sink(ddb: Any) -> Iterator[str]:
    """The table the recorder writes into: one item per record received (``src`` = stream
    ARN, ``rec`` = ``<key>#<eventName>``)."""
    name = create_table(ddb, "src:S", "rec:S", TableName=unique_name("sink"))
    yield name
    ddb.delete_table(TableName=name)


@pytest.fixture(scope="module")
def recorder(lam: Any, sink: str) -> Iterator[str]:
    name = unique_name("recorder")
    create_function(
        lam,
        FunctionName=name,
        Code={"ZipFile": make_zip(RECORDER)},
        Timeout=30,
        Environment={"Variables": {"SINK": sink}},
    )
    yield name
    lam.delete_function(FunctionName=name)


@pytest.fixture
def source(ddb: Any, make_table: TableFactory) -> tuple[str, str]:
    """A table (hash key ``p``) with a NEW_AND_OLD_IMAGES stream: (name, stream ARN)."""
    name = make_table(
        StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"}
    )
    arn: str = ddb.describe_table(TableName=name)["Table"]["LatestStreamArn"]
    return name, arn


@pytest.fixture
def mappings(lam: Any) -> Iterator[list[str]]:
    """UUIDs of mappings to delete after the test."""
    created: list[str] = []
    yield created
    for uuid in created:
        with contextlib.suppress(lam.exceptions.ResourceNotFoundException):
            lam.delete_event_source_mapping(UUID=uuid)


def criteria(*patterns: Any) -> dict[str, Any]:
    return {
        "Filters": [
            {"Pattern": pattern if isinstance(pattern, str) else json.dumps(pattern)}
            for pattern in patterns
        ]
    }


def create_mapping(
    lam: Any, function: str, stream_arn: str, mappings: list[str], **extra: Any
) -> dict[str, Any]:
    response: dict[str, Any] = lam.create_event_source_mapping(
        FunctionName=function,
        EventSourceArn=stream_arn,
        StartingPosition="TRIM_HORIZON",
        BatchSize=3,
        **extra,
    )
    mappings.append(response["UUID"])
    return response


def delivered(ddb: Any, sink: str, stream_arn: str, timeout: float = 30.0) -> set[str]:
    """What reached the function, once the sentinel has (the sentinel left out)."""
    deadline = time.monotonic() + timeout
    while True:
        items = ddb.query(
            TableName=sink,
            KeyConditionExpression="src = :s",
            ExpressionAttributeValues={":s": {"S": stream_arn}},
            ConsistentRead=True,
        )["Items"]
        got = {item["rec"]["S"] for item in items}
        if f"{SENTINEL}#INSERT" in got:
            return got - {f"{SENTINEL}#INSERT"}
        assert time.monotonic() < deadline, f"the sentinel did not arrive; got {sorted(got)}"
        time.sleep(0.05)


def put(ddb: Any, table: str, key: str, **attributes: Any) -> None:
    ddb.put_item(TableName=table, Item={"p": {"S": key}, **attributes})


def run(
    lam: Any,
    ddb: Any,
    sink: str,
    recorder: str,
    source: tuple[str, str],
    mappings: list[str],
    patterns: list[Any],
    writes: list[tuple[str, dict[str, Any]]],
) -> set[str]:
    """Map the source to the recorder with ``patterns`` (and the sentinel's filter), put the
    items, then the sentinel; the records that reached the function."""
    table, arn = source
    create_mapping(
        lam, recorder, arn, mappings, FilterCriteria=criteria(*patterns, SENTINEL_FILTER)
    )
    for key, attributes in writes:
        put(ddb, table, key, **attributes)
    put(ddb, table, SENTINEL)
    return delivered(ddb, sink, arn)


def s(text: str) -> dict[str, str]:
    return {"S": text}


def new_image(name: str, rules: Any, kind: str = "S") -> dict[str, Any]:
    return {"dynamodb": {"NewImage": {name: {kind: rules}}}}


# (pattern(s), items written as (key, attributes), keys expected at the function)
CASES: dict[str, tuple[list[Any], list[tuple[str, dict[str, Any]]], set[str]]] = {
    "equals": (
        [new_image("color", ["red"])],
        [("a", {"color": s("red")}), ("b", {"color": s("blue")}), ("c", {"color": s("Red")})],
        {"a"},
    ),
    "equals-any-of-values": (
        [new_image("color", ["red", "green"])],
        [("a", {"color": s("red")}), ("b", {"color": s("green")}), ("c", {"color": s("blue")})],
        {"a", "b"},
    ),
    "empty-string": (
        [new_image("note", [""])],
        [("a", {"note": s("")}), ("b", {"note": s("x")})],
        {"a"},
    ),
    "prefix": (
        [new_image("fruit", [{"prefix": "ap"}])],
        [("a", {"fruit": s("apple")}), ("b", {"fruit": s("grape")}), ("c", {"fruit": s("APple")})],
        {"a"},
    ),
    "prefix-ignore-case": (
        [new_image("fruit", [{"prefix": {"equals-ignore-case": "AP"}}])],
        [
            ("a", {"fruit": s("apple")}),
            ("b", {"fruit": s("APRICOT")}),
            ("c", {"fruit": s("grape")}),
        ],
        {"a", "b"},
    ),
    "suffix": (
        [new_image("file", [{"suffix": ".png"}])],
        [("a", {"file": s("x.png")}), ("b", {"file": s("x.jpg")}), ("c", {"file": s("png.x")})],
        {"a"},
    ),
    "equals-ignore-case": (
        [new_image("color", [{"equals-ignore-case": "RED"}])],
        [("a", {"color": s("red")}), ("b", {"color": s("Red")}), ("c", {"color": s("rose")})],
        {"a", "b"},
    ),
    "anything-but-list": (
        [new_image("color", [{"anything-but": ["red", "blue"]}])],
        [
            ("a", {"color": s("red")}),
            ("b", {"color": s("green")}),
            ("c", {"color": s("blue")}),
            ("d", {}),  # no color at all: anything-but needs the field
        ],
        {"b"},
    ),
    "anything-but-value": (
        [new_image("color", [{"anything-but": "red"}])],
        [("a", {"color": s("red")}), ("b", {"color": s("green")})],
        {"b"},
    ),
    "anything-but-prefix": (
        [new_image("name", [{"anything-but": {"prefix": "tmp-"}}])],
        [("a", {"name": s("tmp-1")}), ("b", {"name": s("final")})],
        {"b"},
    ),
    "anything-but-suffix": (
        [new_image("name", [{"anything-but": {"suffix": ".tmp"}}])],
        [("a", {"name": s("x.tmp")}), ("b", {"name": s("x.txt")})],
        {"b"},
    ),
    # DynamoDB numbers reach the filter as strings ({"N": "7"}): numeric never matches them...
    "numeric-on-dynamodb-number": (
        [new_image("n", [{"numeric": [">", 5]}], "N")],
        [("a", {"n": {"N": "7"}}), ("b", {"n": {"N": "3"}})],
        set(),
    ),
    # ... while their string form does
    "number-as-string": (
        [new_image("n", ["7"], "N")],
        [("a", {"n": {"N": "7"}}), ("b", {"n": {"N": "3"}}), ("c", {"n": {"N": "70"}})],
        {"a"},
    ),
    # SizeBytes is a JSON number of the record
    "numeric-range": (
        [{"dynamodb": {"SizeBytes": [{"numeric": [">", 0, "<", 100]}]}}],
        [("a", {"x": s("small")}), ("b", {"x": s("x" * 300)})],
        {"a"},
    ),
    "numeric-lower-bound": (
        [{"dynamodb": {"SizeBytes": [{"numeric": [">=", 100]}]}}],
        [("a", {"x": s("small")}), ("b", {"x": s("x" * 300)})],
        {"b"},
    ),
    "exists": (
        [new_image("tag", [{"exists": True}])],
        [("a", {"tag": s("t")}), ("b", {})],
        {"a"},
    ),
    "does-not-exist": (
        [new_image("tag", [{"exists": False}])],
        [("a", {"tag": s("t")}), ("b", {})],
        {"b"},
    ),
    # exists sees leaves only: "tag" is an object ({"S": ...}), so this matches nothing
    "exists-on-an-intermediate-node": (
        [{"dynamodb": {"NewImage": {"tag": [{"exists": True}]}}}],
        [("a", {"tag": s("t")}), ("b", {})],
        set(),
    ),
    "boolean": (
        [new_image("flag", [True], "BOOL")],
        [("a", {"flag": {"BOOL": True}}), ("b", {"flag": {"BOOL": False}})],
        {"a"},
    ),
    "null-attribute": (
        [new_image("gone", [True], "NULL")],
        [("a", {"gone": {"NULL": True}}), ("b", {"gone": s("no")})],
        {"a"},
    ),
    "key": (
        [{"dynamodb": {"Keys": {"p": {"S": [{"prefix": "keep-"}]}}}}],
        [("keep-1", {}), ("drop-1", {}), ("keep-2", {})],
        {"keep-1", "keep-2"},
    ),
    "nested-map": (
        [{"dynamodb": {"NewImage": {"address": {"M": {"city": {"S": ["Seoul"]}}}}}}],
        [
            ("a", {"address": {"M": {"city": s("Seoul"), "zip": s("1")}}}),
            ("b", {"address": {"M": {"city": s("Busan")}}}),
            ("c", {"city": s("Seoul")}),
        ],
        {"a"},
    ),
    # a list's elements: any of them may match
    "list-element": (
        [{"dynamodb": {"NewImage": {"tags": {"L": {"S": ["x"]}}}}}],
        [
            ("a", {"tags": {"L": [s("y"), s("x")]}}),
            ("b", {"tags": {"L": [s("y")]}}),
            ("c", {"tags": {"SS": ["x"]}}),
        ],
        {"a"},
    ),
    "string-set-element": (
        [new_image("tags", ["x"], "SS")],
        [("a", {"tags": {"SS": ["x", "y"]}}), ("b", {"tags": {"SS": ["y"]}})],
        {"a"},
    ),
    "and": (
        [{"dynamodb": {"NewImage": {"color": {"S": ["red"]}, "size": {"S": ["L"]}}}}],
        [
            ("a", {"color": s("red"), "size": s("L")}),
            ("b", {"color": s("red"), "size": s("S")}),
            ("c", {"color": s("blue"), "size": s("L")}),
        ],
        {"a"},
    ),
    "or": (
        [
            {
                "$or": [
                    {"dynamodb": {"NewImage": {"color": {"S": ["red"]}}}},
                    {"dynamodb": {"NewImage": {"size": {"S": ["L"]}}}},
                ]
            }
        ],
        [
            ("a", {"color": s("red"), "size": s("S")}),
            ("b", {"color": s("blue"), "size": s("L")}),
            ("c", {"color": s("blue"), "size": s("S")}),
        ],
        {"a", "b"},
    ),
    "multiple-filters": (
        [new_image("color", ["red"]), new_image("size", ["L"])],
        [
            ("a", {"color": s("red"), "size": s("S")}),
            ("b", {"color": s("blue"), "size": s("L")}),
            ("c", {"color": s("blue"), "size": s("S")}),
        ],
        {"a", "b"},
    ),
    "metadata": (
        [{"eventSource": ["aws:dynamodb"], "awsRegion": ["us-west-2"]}],
        [("a", {})],
        set(),
    ),
}


@pytest.mark.aws_documented
@pytest.mark.parametrize("case", list(CASES))
def test_filter_delivers_matching_records(
    case: str,
    lam: Any,
    ddb: Any,
    sink: str,
    recorder: str,
    source: tuple[str, str],
    mappings: list[str],
) -> None:
    patterns, writes, expected = CASES[case]
    got = run(lam, ddb, sink, recorder, source, mappings, patterns, writes)
    assert got == {f"{key}#INSERT" for key in expected}


@pytest.mark.aws_documented
def test_event_name_insert_only(
    lam: Any, ddb: Any, sink: str, recorder: str, source: tuple[str, str], mappings: list[str]
) -> None:
    table, arn = source
    create_mapping(lam, recorder, arn, mappings, FilterCriteria=criteria({"eventName": ["INSERT"]}))
    put(ddb, table, "a", v=s("1"))
    put(ddb, table, "a", v=s("2"))  # MODIFY
    put(ddb, table, "b")
    ddb.delete_item(TableName=table, Key={"p": s("a")})  # REMOVE
    put(ddb, table, SENTINEL)
    assert delivered(ddb, sink, arn) == {"a#INSERT", "b#INSERT"}


@pytest.mark.aws_documented
def test_old_and_new_images(
    lam: Any, ddb: Any, sink: str, recorder: str, source: tuple[str, str], mappings: list[str]
) -> None:
    """AWS's own example: ``dynamodb`` named twice in one pattern, both must hold."""
    table, arn = source
    pattern = (
        '{"eventName": ["MODIFY"], "dynamodb": {"NewImage": {"status": {"S": ["closed"]}}},'
        ' "dynamodb": {"OldImage": {"status": {"S": ["open"]}}}}'
    )
    create_mapping(lam, recorder, arn, mappings, FilterCriteria=criteria(pattern, SENTINEL_FILTER))
    put(ddb, table, "a", status=s("open"))
    put(ddb, table, "a", status=s("closed"))  # open -> closed: passes
    put(ddb, table, "b", status=s("open"))
    put(ddb, table, "b", status=s("pending"))
    put(ddb, table, "c", status=s("pending"))
    put(ddb, table, "c", status=s("closed"))
    ddb.delete_item(TableName=table, Key={"p": s("a")})
    put(ddb, table, SENTINEL)
    assert delivered(ddb, sink, arn) == {"a#MODIFY"}


@pytest.mark.aws_documented
def test_removed_items_by_old_image(
    lam: Any, ddb: Any, sink: str, recorder: str, source: tuple[str, str], mappings: list[str]
) -> None:
    table, arn = source
    pattern = {"eventName": ["REMOVE"], "dynamodb": {"OldImage": {"kind": {"S": ["tmp"]}}}}
    create_mapping(lam, recorder, arn, mappings, FilterCriteria=criteria(pattern, SENTINEL_FILTER))
    put(ddb, table, "a", kind=s("tmp"))
    put(ddb, table, "b", kind=s("keep"))
    ddb.delete_item(TableName=table, Key={"p": s("a")})
    ddb.delete_item(TableName=table, Key={"p": s("b")})
    put(ddb, table, SENTINEL)
    assert delivered(ddb, sink, arn) == {"a#REMOVE"}


@pytest.mark.aws_documented
def test_update_changes_the_filter(
    lam: Any, ddb: Any, sink: str, recorder: str, source: tuple[str, str], mappings: list[str]
) -> None:
    table, arn = source
    uuid = create_mapping(
        lam,
        recorder,
        arn,
        mappings,
        Enabled=False,
        FilterCriteria=criteria(new_image("color", ["red"]), SENTINEL_FILTER),
    )["UUID"]
    updated = lam.update_event_source_mapping(
        UUID=uuid,
        Enabled=True,
        FilterCriteria=criteria(new_image("color", ["blue"]), SENTINEL_FILTER),
    )
    assert json.loads(updated["FilterCriteria"]["Filters"][0]["Pattern"]) == new_image(
        "color", ["blue"]
    )
    put(ddb, table, "a", color=s("red"))
    put(ddb, table, "b", color=s("blue"))
    put(ddb, table, SENTINEL)
    assert delivered(ddb, sink, arn) == {"b#INSERT"}


# -- refused patterns --------------------------------------------------------------------

INVALID_PATTERNS = {
    "not-json": "{eventName: INSERT}",
    "empty-text": "",
    "not-an-object": '["INSERT"]',
    "empty-object": "{}",
    "leaf-not-an-array": '{"eventName": "INSERT"}',
    "leaf-a-number": '{"eventName": 5}',
    "empty-array": '{"eventName": []}',
    "nested-empty-object": '{"dynamodb": {}}',
    "array-in-array": '{"eventName": [["INSERT"]]}',
    "unknown-operator": '{"eventName": [{"contains": "INS"}]}',
    "wildcard": '{"eventName": [{"wildcard": "INS*"}]}',
    "two-operators": '{"eventName": [{"prefix": "I", "suffix": "T"}]}',
    "prefix-not-a-string": '{"eventName": [{"prefix": 1}]}',
    "equals-ignore-case-not-a-string": '{"eventName": [{"equals-ignore-case": ["a"]}]}',
    "exists-not-boolean": '{"eventName": [{"exists": "true"}]}',
    "numeric-not-an-array": '{"dynamodb": {"SizeBytes": [{"numeric": 5}]}}',
    "numeric-unknown-operator": '{"dynamodb": {"SizeBytes": [{"numeric": ["!=", 5]}]}}',
    "numeric-string-value": '{"dynamodb": {"SizeBytes": [{"numeric": [">", "5"]}]}}',
    "numeric-missing-value": '{"dynamodb": {"SizeBytes": [{"numeric": [">"]}]}}',
    "numeric-bottom-above-top": '{"dynamodb": {"SizeBytes": [{"numeric": [">", 10, "<", 5]}]}}',
    "numeric-empty-range": '{"dynamodb": {"SizeBytes": [{"numeric": [">=", 5, "<=", 5]}]}}',
    "numeric-two-lower-bounds": '{"dynamodb": {"SizeBytes": [{"numeric": [">", 1, ">", 5]}]}}',
    "numeric-equals-in-a-range": '{"dynamodb": {"SizeBytes": [{"numeric": ["=", 1, "<", 5]}]}}',
    "numeric-out-of-range": '{"dynamodb": {"SizeBytes": [{"numeric": [">", 6e9]}]}}',
    "anything-but-mixed-types": '{"eventName": [{"anything-but": ["INSERT", 5]}]}',
    "anything-but-empty-list": '{"eventName": [{"anything-but": []}]}',
    "anything-but-null": '{"eventName": [{"anything-but": null}]}',
    "anything-but-empty-prefix": '{"eventName": [{"anything-but": {"prefix": ""}}]}',
    "anything-but-unknown": '{"eventName": [{"anything-but": {"numeric": [">", 1]}}]}',
    "or-one-branch": '{"$or": [{"eventName": ["INSERT"]}]}',
    "or-not-an-array": '{"$or": {"eventName": ["INSERT"]}}',
    "or-branch-not-an-object": '{"$or": [{"eventName": ["INSERT"]}, ["MODIFY"]]}',
}


def error_of(excinfo: pytest.ExceptionInfo[Any]) -> tuple[str, str, int]:
    response = excinfo.value.response
    return (
        response["Error"]["Code"],
        response["Error"]["Message"],
        response["ResponseMetadata"]["HTTPStatusCode"],
    )


@pytest.mark.aws_documented
@pytest.mark.parametrize("pattern", list(INVALID_PATTERNS.values()), ids=list(INVALID_PATTERNS))
def test_create_refuses_invalid_pattern(
    pattern: str, lam: Any, recorder: str, source: tuple[str, str], mappings: list[str]
) -> None:
    with pytest.raises(lam.exceptions.InvalidParameterValueException) as excinfo:
        create_mapping(
            lam,
            recorder,
            source[1],
            mappings,
            FilterCriteria=criteria({"eventName": ["INSERT"]}, pattern),
        )
    assert error_of(excinfo) == ("InvalidParameterValueException", INVALID, 400)
    assert lam.list_event_source_mappings(EventSourceArn=source[1])["EventSourceMappings"] == []


@pytest.mark.aws_documented
def test_filter_without_pattern(
    lam: Any, recorder: str, source: tuple[str, str], mappings: list[str]
) -> None:
    with pytest.raises(lam.exceptions.InvalidParameterValueException) as excinfo:
        create_mapping(lam, recorder, source[1], mappings, FilterCriteria={"Filters": [{}]})
    assert error_of(excinfo) == ("InvalidParameterValueException", INVALID, 400)


@pytest.mark.aws_documented
@pytest.mark.parametrize(
    "pattern",
    [INVALID_PATTERNS[name] for name in ("not-json", "numeric-bottom-above-top", "wildcard")],
)
def test_update_refuses_invalid_pattern(
    pattern: str, lam: Any, recorder: str, source: tuple[str, str], mappings: list[str]
) -> None:
    valid = criteria({"eventName": ["INSERT"]})
    uuid = create_mapping(lam, recorder, source[1], mappings, Enabled=False, FilterCriteria=valid)[
        "UUID"
    ]
    with pytest.raises(lam.exceptions.InvalidParameterValueException) as excinfo:
        lam.update_event_source_mapping(UUID=uuid, FilterCriteria=criteria(pattern))
    assert error_of(excinfo) == ("InvalidParameterValueException", INVALID, 400)
    assert lam.get_event_source_mapping(UUID=uuid)["FilterCriteria"] == valid


@pytest.mark.aws_documented
def test_valid_patterns_accepted(
    lam: Any, recorder: str, source: tuple[str, str], mappings: list[str]
) -> None:
    """Every documented form at once, and five filters (the default quota)."""
    patterns = [
        {"eventName": ["INSERT", "MODIFY"], "awsRegion": [{"prefix": "us-"}]},
        {"dynamodb": {"NewImage": {"a": {"S": [{"anything-but": {"equals-ignore-case": "x"}}]}}}},
        {"dynamodb": {"SizeBytes": [{"numeric": ["=", 26]}, {"numeric": ["<=", 5.5e9 / 2]}]}},
        {"$or": [{"eventName": [None, True, 1.5, "x"]}, {"eventID": [{"exists": False}]}]},
        {"dynamodb": {"Keys": {"p": {"S": [{"suffix": {"equals-ignore-case": "X"}}]}}}},
    ]
    response = create_mapping(
        lam, recorder, source[1], mappings, Enabled=False, FilterCriteria=criteria(*patterns)
    )
    assert response["FilterCriteria"] == criteria(*patterns)


@pytest.mark.gureum_own  # the limit is AWS's; the text is gureum's
def test_more_than_five_filters(
    lam: Any, recorder: str, source: tuple[str, str], mappings: list[str]
) -> None:
    with pytest.raises(lam.exceptions.InvalidParameterValueException) as excinfo:
        create_mapping(
            lam,
            recorder,
            source[1],
            mappings,
            FilterCriteria=criteria(*[{"eventName": [str(i)]} for i in range(6)]),
        )
    assert error_of(excinfo) == (
        "InvalidParameterValueException",
        "The number of filters (6) exceeds the limit of 5 filters for an event source mapping.",
        400,
    )


@pytest.mark.aws_documented
def test_pattern_longer_than_4096_characters(
    lam: Any, recorder: str, source: tuple[str, str], mappings: list[str]
) -> None:
    pattern = json.dumps({"eventName": ["x" * 4100]})
    with pytest.raises(lam.exceptions.ClientError) as excinfo:
        create_mapping(lam, recorder, source[1], mappings, FilterCriteria=criteria(pattern))
    assert error_of(excinfo) == (
        "ValidationException",
        f"1 validation error detected: Value '{pattern}' at "
        "'filterCriteria.filters.1.member.pattern' failed to satisfy constraint: "
        "Member must have length less than or equal to 4096",
        400,
    )
