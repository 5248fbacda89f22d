"""The event source mapping API for DynamoDB streams: CreateEventSourceMapping,
GetEventSourceMapping, ListEventSourceMappings, UpdateEventSourceMapping,
DeleteEventSourceMapping — shapes, defaults, validation errors, paging."""

from __future__ import annotations

import contextlib
import re
import time
from typing import Any

import pytest

from conftest import TableFactory, error_with_status, unique_name
from lambda_.conftest import FunctionFactory

pytestmark = pytest.mark.aws_documented

UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


@pytest.fixture
def stream_arn(ddb: Any, make_table: TableFactory) -> str:
    name = make_table(
        StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"}
    )
    arn: str = ddb.describe_table(TableName=name)["Table"]["LatestStreamArn"]
    return arn


@pytest.fixture
def function_name(make_function: FunctionFactory) -> str:
    name: str = make_function()["FunctionName"]
    return name


@pytest.fixture
def mappings(lam: Any) -> Any:
    """UUIDs created by a test, deleted afterwards."""
    created: list[str] = []
    yield created
    for mapping_uuid in created:
        with contextlib.suppress(lam.exceptions.ResourceNotFoundException):
            lam.delete_event_source_mapping(UUID=mapping_uuid)


def _create(lam: Any, mappings: list[str], **params: Any) -> dict[str, Any]:
    params.setdefault("StartingPosition", "TRIM_HORIZON")
    out: dict[str, Any] = lam.create_event_source_mapping(**params)
    mappings.append(out["UUID"])
    return out


def test_create_defaults(lam: Any, stream_arn: str, function_name: str, mappings: Any) -> None:
    out = _create(lam, mappings, EventSourceArn=stream_arn, FunctionName=function_name)
    assert out["ResponseMetadata"]["HTTPStatusCode"] == 202
    del out["ResponseMetadata"]
    assert UUID.fullmatch(out["UUID"])
    function_arn = f"arn:aws:lambda:us-east-1:000000000000:function:{function_name}"
    assert isinstance(out.pop("LastModified").timestamp(), float)
    assert out == {
        "UUID": out["UUID"],
        "StartingPosition": "TRIM_HORIZON",
        "BatchSize": 100,
        "MaximumBatchingWindowInSeconds": 0,
        "ParallelizationFactor": 1,
        "EventSourceArn": stream_arn,
        "FunctionArn": function_arn,
        "LastProcessingResult": "No records processed",
        "State": "Creating",
        "StateTransitionReason": "User action",
        "DestinationConfig": {"OnFailure": {}},
        "MaximumRecordAgeInSeconds": -1,
        "BisectBatchOnFunctionError": False,
        "MaximumRetryAttempts": -1,
        "TumblingWindowInSeconds": 0,
        "FunctionResponseTypes": [],
        "EventSourceMappingArn": (
            f"arn:aws:lambda:us-east-1:000000000000:event-source-mapping:{out['UUID']}"
        ),
    }
    got = lam.get_event_source_mapping(UUID=out["UUID"])
    assert got["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert got["State"] == "Enabled"
    assert got["FunctionArn"] == function_arn


def test_create_with_settings(
    lam: Any, stream_arn: str, function_name: str, make_function: FunctionFactory, mappings: Any
) -> None:
    destination = make_function()["FunctionArn"]
    criteria = {"Filters": [{"Pattern": '{"eventName": ["INSERT"]}'}]}
    out = _create(
        lam,
        mappings,
        EventSourceArn=stream_arn,
        FunctionName=function_name,
        StartingPosition="LATEST",
        BatchSize=10000,
        MaximumBatchingWindowInSeconds=300,
        ParallelizationFactor=10,
        MaximumRetryAttempts=3,
        MaximumRecordAgeInSeconds=60,
        BisectBatchOnFunctionError=True,
        FunctionResponseTypes=["ReportBatchItemFailures"],
        DestinationConfig={"OnFailure": {"Destination": destination}},
        FilterCriteria=criteria,
        TumblingWindowInSeconds=120,
        Enabled=False,
    )
    assert out["StartingPosition"] == "LATEST"
    assert out["BatchSize"] == 10000
    assert out["MaximumBatchingWindowInSeconds"] == 300
    assert out["ParallelizationFactor"] == 10
    assert out["MaximumRetryAttempts"] == 3
    assert out["MaximumRecordAgeInSeconds"] == 60
    assert out["BisectBatchOnFunctionError"] is True
    assert out["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
    assert out["DestinationConfig"] == {"OnFailure": {"Destination": destination}}
    assert out["FilterCriteria"] == criteria
    assert out["TumblingWindowInSeconds"] == 120
    assert lam.get_event_source_mapping(UUID=out["UUID"])["State"] == "Disabled"


def test_function_by_arn_and_partial_arn(
    lam: Any, stream_arn: str, function_name: str, mappings: Any
) -> None:
    arn = f"arn:aws:lambda:us-east-1:000000000000:function:{function_name}"
    out = _create(lam, mappings, EventSourceArn=stream_arn, FunctionName=arn)
    assert out["FunctionArn"] == arn


@pytest.mark.parametrize(
    ("params", "message"),
    [
        (
            {"StartingPosition": None},
            "1 validation error detected: Value null at 'startingPosition' failed to satisfy "
            "constraint: Member must not be null.",
        ),
        (
            {"StartingPosition": "AT_TIMESTAMP"},
            "Unsupported starting position for arn type: {arn}",
        ),
        (
            {
                "DestinationConfig": {
                    "OnSuccess": {"Destination": "arn:aws:sqs:us-east-1:000000000000:q"}
                }
            },
            "Unsupported DestinationConfig parameter for given event source mapping type.",
        ),
    ],
)
def test_create_invalid_parameter(
    lam: Any,
    stream_arn: str,
    function_name: str,
    params: dict[str, Any],
    message: str,
) -> None:
    request: dict[str, Any] = {
        "EventSourceArn": stream_arn,
        "FunctionName": function_name,
        "StartingPosition": "TRIM_HORIZON",
    }
    request.update(params)
    request = {k: v for k, v in request.items() if v is not None}
    with pytest.raises(lam.exceptions.InvalidParameterValueException) as excinfo:
        lam.create_event_source_mapping(**request)
    assert error_with_status(excinfo) == (
        "InvalidParameterValueException",
        message.format(arn=stream_arn),
        400,
    )


def test_missing_event_source(lam: Any, function_name: str) -> None:
    with pytest.raises(lam.exceptions.InvalidParameterValueException) as excinfo:
        lam.create_event_source_mapping(FunctionName=function_name, StartingPosition="LATEST")
    assert error_with_status(excinfo) == (
        "InvalidParameterValueException",
        "Unrecognized event source.",
        400,
    )


@pytest.mark.parametrize(
    ("member", "value", "constraint"),
    [
        ("BatchSize", 10001, "Member must have value less than or equal to 10000"),
        ("BatchSize", 0, "Member must have value greater than or equal to 1"),
        (
            "MaximumBatchingWindowInSeconds",
            301,
            "Member must have value less than or equal to 300",
        ),
        ("ParallelizationFactor", 11, "Member must have value less than or equal to 10"),
        ("MaximumRetryAttempts", 10001, "Member must have value less than or equal to 10000"),
        ("MaximumRetryAttempts", -2, "Member must have value greater than or equal to -1"),
        (
            "MaximumRecordAgeInSeconds",
            604801,
            "Member must have value less than or equal to 604800",
        ),
    ],
)
def test_create_out_of_range(
    lam: Any, stream_arn: str, function_name: str, member: str, value: int, constraint: str
) -> None:
    with pytest.raises(lam.exceptions.ClientError) as excinfo:
        lam.create_event_source_mapping(
            EventSourceArn=stream_arn,
            FunctionName=function_name,
            StartingPosition="LATEST",
            **{member: value},
        )
    code, message, status = error_with_status(excinfo)
    assert (code, status) == ("ValidationException", 400)
    wire = member[0].lower() + member[1:]
    assert message == (
        f"1 validation error detected: Value '{value}' at '{wire}' failed to satisfy "
        f"constraint: {constraint}"
    )


@pytest.mark.gureum_own
def test_record_age_below_minimum(lam: Any, stream_arn: str, function_name: str) -> None:
    with pytest.raises(lam.exceptions.InvalidParameterValueException) as excinfo:
        lam.create_event_source_mapping(
            EventSourceArn=stream_arn,
            FunctionName=function_name,
            StartingPosition="LATEST",
            MaximumRecordAgeInSeconds=59,
        )
    assert error_with_status(excinfo)[0] == "InvalidParameterValueException"


@pytest.mark.gureum_own
@pytest.mark.parametrize(
    "destination", ["arn:aws:sqs:us-east-1:000000000000:q", "arn:aws:sns:us-east-1:000000000000:t"]
)
def test_on_failure_destination_not_a_function(
    lam: Any, stream_arn: str, function_name: str, destination: str
) -> None:
    with pytest.raises(lam.exceptions.InvalidParameterValueException) as excinfo:
        lam.create_event_source_mapping(
            EventSourceArn=stream_arn,
            FunctionName=function_name,
            StartingPosition="LATEST",
            DestinationConfig={"OnFailure": {"Destination": destination}},
        )
    code, message, status = error_with_status(excinfo)
    assert (code, status) == ("InvalidParameterValueException", 400)
    assert message.startswith("[gureum]")


def test_unknown_function(lam: Any, stream_arn: str) -> None:
    with pytest.raises(lam.exceptions.InvalidParameterValueException) as excinfo:
        lam.create_event_source_mapping(
            EventSourceArn=stream_arn, FunctionName=unique_name("nofn"), StartingPosition="LATEST"
        )
    assert error_with_status(excinfo) == (
        "InvalidParameterValueException",
        "Function does not exist",
        400,
    )


def test_unknown_stream(lam: Any, stream_arn: str, function_name: str) -> None:
    missing = stream_arn.replace("/table/", "/table/x").replace(":table/", ":table/gone-")
    with pytest.raises(lam.exceptions.InvalidParameterValueException) as excinfo:
        lam.create_event_source_mapping(
            EventSourceArn=missing, FunctionName=function_name, StartingPosition="LATEST"
        )
    assert error_with_status(excinfo) == (
        "InvalidParameterValueException",
        f"Stream not found: {missing}",
        400,
    )


def test_duplicate_mapping(lam: Any, stream_arn: str, function_name: str, mappings: Any) -> None:
    first = _create(lam, mappings, EventSourceArn=stream_arn, FunctionName=function_name)
    with pytest.raises(lam.exceptions.ResourceConflictException) as excinfo:
        lam.create_event_source_mapping(
            EventSourceArn=stream_arn, FunctionName=function_name, StartingPosition="LATEST"
        )
    assert error_with_status(excinfo) == (
        "ResourceConflictException",
        f'The event source arn (" {stream_arn} ") and function (" {function_name} ") provided '
        "mapping already exists. Please update or delete the existing mapping with UUID "
        f"{first['UUID']}",
        409,
    )


@pytest.mark.parametrize("operation", ["get", "update", "delete"])
def test_unknown_uuid(lam: Any, operation: str) -> None:
    missing = "8b1e4a40-0000-4000-8000-000000000000"
    call = getattr(lam, f"{operation}_event_source_mapping")
    with pytest.raises(lam.exceptions.ResourceNotFoundException) as excinfo:
        call(UUID=missing)
    assert error_with_status(excinfo) == (
        "ResourceNotFoundException",
        "The resource you requested does not exist.",
        404,
    )


def test_update(lam: Any, stream_arn: str, function_name: str, mappings: Any) -> None:
    created = _create(lam, mappings, EventSourceArn=stream_arn, FunctionName=function_name)
    out = lam.update_event_source_mapping(
        UUID=created["UUID"], BatchSize=5, MaximumRetryAttempts=2, BisectBatchOnFunctionError=True
    )
    assert out["ResponseMetadata"]["HTTPStatusCode"] == 202
    assert out["State"] == "Updating"
    assert (out["BatchSize"], out["MaximumRetryAttempts"]) == (5, 2)
    assert out["BisectBatchOnFunctionError"] is True
    assert out["LastModified"] >= created["LastModified"]
    got = lam.get_event_source_mapping(UUID=created["UUID"])
    assert (got["State"], got["BatchSize"]) == ("Enabled", 5)
    # disabling, then enabling
    out = lam.update_event_source_mapping(UUID=created["UUID"], Enabled=False)
    assert out["State"] == "Disabling"
    assert lam.get_event_source_mapping(UUID=created["UUID"])["State"] == "Disabled"
    out = lam.update_event_source_mapping(UUID=created["UUID"], Enabled=True)
    assert out["State"] == "Enabling"
    assert lam.get_event_source_mapping(UUID=created["UUID"])["State"] == "Enabled"


def test_update_validates(lam: Any, stream_arn: str, function_name: str, mappings: Any) -> None:
    created = _create(lam, mappings, EventSourceArn=stream_arn, FunctionName=function_name)
    with pytest.raises(lam.exceptions.InvalidParameterValueException) as excinfo:
        lam.update_event_source_mapping(UUID=created["UUID"], FunctionName=unique_name("nofn"))
    assert error_with_status(excinfo) == (
        "InvalidParameterValueException",
        "Function does not exist",
        400,
    )
    with pytest.raises(lam.exceptions.InvalidParameterValueException) as excinfo:
        lam.update_event_source_mapping(
            UUID=created["UUID"],
            DestinationConfig={
                "OnSuccess": {"Destination": "arn:aws:sqs:us-east-1:000000000000:q"}
            },
        )
    assert error_with_status(excinfo)[1] == (
        "Unsupported DestinationConfig parameter for given event source mapping type."
    )


def test_delete(lam: Any, stream_arn: str, function_name: str, mappings: Any) -> None:
    created = _create(lam, mappings, EventSourceArn=stream_arn, FunctionName=function_name)
    out = lam.delete_event_source_mapping(UUID=created["UUID"])
    assert out["ResponseMetadata"]["HTTPStatusCode"] == 202
    assert out["State"] == "Deleting"
    assert out["UUID"] == created["UUID"]
    with pytest.raises(lam.exceptions.ResourceNotFoundException):
        lam.get_event_source_mapping(UUID=created["UUID"])
    # the pair may be mapped again
    _create(lam, mappings, EventSourceArn=stream_arn, FunctionName=function_name)


def test_list_filters_and_paging(
    lam: Any,
    ddb: Any,
    make_table: TableFactory,
    make_function: FunctionFactory,
    stream_arn: str,
    mappings: Any,
) -> None:
    functions = [make_function()["FunctionName"] for _ in range(3)]
    other = make_table(StreamSpecification={"StreamEnabled": True, "StreamViewType": "KEYS_ONLY"})
    other_arn = ddb.describe_table(TableName=other)["Table"]["LatestStreamArn"]
    mine = {
        _create(lam, mappings, EventSourceArn=stream_arn, FunctionName=name)["UUID"]
        for name in functions
    }
    extra = _create(lam, mappings, EventSourceArn=other_arn, FunctionName=functions[0])["UUID"]

    by_source = lam.list_event_source_mappings(EventSourceArn=stream_arn)["EventSourceMappings"]
    assert {m["UUID"] for m in by_source} == mine
    by_function = lam.list_event_source_mappings(FunctionName=functions[0])
    assert {m["UUID"] for m in by_function["EventSourceMappings"]} == {
        extra,
        *(m["UUID"] for m in by_source if m["FunctionArn"].endswith(functions[0])),
    }
    both = lam.list_event_source_mappings(EventSourceArn=other_arn, FunctionName=functions[0])
    assert [m["UUID"] for m in both["EventSourceMappings"]] == [extra]

    seen: list[str] = []
    marker: str | None = None
    while True:
        params: dict[str, Any] = {"EventSourceArn": stream_arn, "MaxItems": 2}
        if marker:
            params["Marker"] = marker
        page = lam.list_event_source_mappings(**params)
        assert len(page["EventSourceMappings"]) <= 2
        seen += [m["UUID"] for m in page["EventSourceMappings"]]
        marker = page.get("NextMarker")
        if not marker:
            break
    assert sorted(seen) == sorted(mine)
    assert len(seen) == 3


def test_update_to_a_mapped_function_conflicts(
    lam: Any, stream_arn: str, make_function: FunctionFactory, mappings: Any
) -> None:
    first, second = (make_function()["FunctionName"] for _ in range(2))
    one = _create(lam, mappings, EventSourceArn=stream_arn, FunctionName=first)
    two = _create(lam, mappings, EventSourceArn=stream_arn, FunctionName=second)
    with pytest.raises(lam.exceptions.ResourceConflictException) as excinfo:
        lam.update_event_source_mapping(UUID=two["UUID"], FunctionName=first)
    assert error_with_status(excinfo)[1] == (
        f'The event source arn (" {stream_arn} ") and function (" {first} ") provided '
        "mapping already exists. Please update or delete the existing mapping with UUID "
        f"{one['UUID']}"
    )


def test_tags(lam: Any, stream_arn: str, function_name: str, mappings: Any) -> None:
    """Tags given at creation and TagResource / UntagResource / ListTags on the mapping's ARN
    (the configuration itself shows no tags, as on AWS)."""
    created = _create(
        lam, mappings, EventSourceArn=stream_arn, FunctionName=function_name, Tags={"team": "a"}
    )
    arn = created["EventSourceMappingArn"]
    assert "Tags" not in created
    assert lam.list_tags(Resource=arn)["Tags"] == {"team": "a"}
    lam.tag_resource(Resource=arn, Tags={"stage": "dev", "team": "b"})
    lam.untag_resource(Resource=arn, TagKeys=["stage"])
    assert lam.list_tags(Resource=arn)["Tags"] == {"team": "b"}
    lam.delete_event_source_mapping(UUID=created["UUID"])
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:  # deletion completes in the background
        try:
            lam.get_event_source_mapping(UUID=created["UUID"])
        except lam.exceptions.ResourceNotFoundException:
            break
        time.sleep(0.05)
    with pytest.raises(lam.exceptions.ResourceNotFoundException) as raised:
        lam.list_tags(Resource=arn)
    assert error_with_status(raised) == (
        "ResourceNotFoundException",
        f"Event source mapping not found: {arn}",
        404,
    )
    with pytest.raises(lam.exceptions.InvalidParameterValueException) as raised:
        _create(
            lam,
            mappings,
            EventSourceArn=stream_arn,
            FunctionName=function_name,
            Tags={f"k{n}": "v" for n in range(51)},
        )
    assert error_with_status(raised)[1] == "Number of tags exceeds resource tag limit."
