"""TagResource, UntagResource, ListTagsOfResource.

Sources: [dynalite] mhart/dynalite test/tagResource.js, untagResource.js,
listTagsOfResource.js (recorded against production DynamoDB); [alternator] scylladb
test/alternator/test_tag.py and test_manual_requests.py::test_tags_return_empty_body (written
to pass on DynamoDB); [ack-lab] ack-api-quirks DynamoDB lab notes (live AWS probes verified
2026-10-08/09: service facts 'Tag API', DDB-TABLE-071, ResourceNotFoundException catalogue
DDB-TABLE-446 with its live log, ValidationException catalogue DDB-TABLE-442); the DynamoDB
Developer Guide "Tagging restrictions" (50 tags, keys up to 128 and values up to 256 characters).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from botocore.exceptions import ClientError

from conftest import error_of, unique_name

if TYPE_CHECKING:
    from conftest import TableFactory
    from dynamodb.conftest import RawCall

pytestmark = pytest.mark.aws_documented


def arn_of(ddb: Any, name: str) -> str:
    arn: str = ddb.describe_table(TableName=name)["Table"]["TableArn"]
    return arn


def tags_of(ddb: Any, arn: str) -> dict[str, str]:
    return {t["Key"]: t["Value"] for t in ddb.list_tags_of_resource(ResourceArn=arn)["Tags"]}


def tag_error(ddb: Any, operation: str, **params: Any) -> tuple[str, str]:
    with pytest.raises(ClientError) as excinfo:
        getattr(ddb, operation)(**params)
    return error_of(excinfo)


@pytest.fixture
def table_arn(ddb: Any, make_table: TableFactory) -> str:
    return arn_of(ddb, make_table())


def test_untagged_table_has_no_tags(ddb: Any, table_arn: str) -> None:
    out = ddb.list_tags_of_resource(ResourceArn=table_arn)
    out.pop("ResponseMetadata")
    assert out == {"Tags": []}


def test_tag_list_untag(ddb: Any, table_arn: str) -> None:
    ddb.tag_resource(
        ResourceArn=table_arn, Tags=[{"Key": "t1", "Value": "v1"}, {"Key": "t2", "Value": "v2"}]
    )
    assert tags_of(ddb, table_arn) == {"t1": "v1", "t2": "v2"}
    ddb.untag_resource(ResourceArn=table_arn, TagKeys=["t1"])
    assert tags_of(ddb, table_arn) == {"t2": "v2"}


def test_tag_overwrites_value_of_same_key(ddb: Any, table_arn: str) -> None:
    ddb.tag_resource(ResourceArn=table_arn, Tags=[{"Key": "k", "Value": "old"}])
    ddb.tag_resource(ResourceArn=table_arn, Tags=[{"Key": "k", "Value": "new"}])
    assert tags_of(ddb, table_arn) == {"k": "new"}


def test_untag_absent_key_is_a_no_op(ddb: Any, table_arn: str) -> None:
    ddb.tag_resource(ResourceArn=table_arn, Tags=[{"Key": "k", "Value": "v"}])
    ddb.untag_resource(ResourceArn=table_arn, TagKeys=["nope"])
    assert tags_of(ddb, table_arn) == {"k": "v"}


def test_tags_given_at_creation(ddb: Any, make_table: TableFactory) -> None:
    name = make_table(Tags=[{"Key": "team", "Value": "db"}, {"Key": "env", "Value": ""}])
    assert tags_of(ddb, arn_of(ddb, name)) == {"team": "db", "env": ""}


def test_unicode_tags(ddb: Any, table_arn: str) -> None:
    tags = {"키": "값", "ñame": "välue with spaces", "a:b/c=d+e-f@g_h.i": "z"}
    ddb.tag_resource(ResourceArn=table_arn, Tags=[{"Key": k, "Value": v} for k, v in tags.items()])
    assert tags_of(ddb, table_arn) == tags


def test_fifty_tags_allowed(ddb: Any, table_arn: str) -> None:
    tags = {f"k{i}": f"v{i}" for i in range(50)}
    ddb.tag_resource(ResourceArn=table_arn, Tags=[{"Key": k, "Value": v} for k, v in tags.items()])
    assert tags_of(ddb, table_arn) == tags
    # re-tagging existing keys stays within the limit
    ddb.tag_resource(ResourceArn=table_arn, Tags=[{"Key": "k0", "Value": "again"}])
    assert tags_of(ddb, table_arn)["k0"] == "again"


def test_tag_and_untag_answer_empty_body(raw: RawCall, table_arn: str) -> None:
    tagged = raw("TagResource", {"ResourceArn": table_arn, "Tags": [{"Key": "k", "Value": "v"}]})
    assert (tagged.status_code, tagged.content) == (200, b"")
    untagged = raw("UntagResource", {"ResourceArn": table_arn, "TagKeys": ["k"]})
    assert (untagged.status_code, untagged.content) == (200, b"")


def test_tags_need_key_and_value_length(ddb: Any, table_arn: str) -> None:
    key = "k" * 129
    assert tag_error(
        ddb, "tag_resource", ResourceArn=table_arn, Tags=[{"Key": key, "Value": "v"}]
    ) == (
        "ValidationException",
        f"1 validation error detected: Value '{key}' at 'tags.1.member.key' failed to satisfy "
        "constraint: Member must have length less than or equal to 128",
    )


def test_null_tags(ddb: Any) -> None:
    assert tag_error(ddb, "tag_resource", ResourceArn="a:b:c:d:e:f/g") == (
        "ValidationException",
        "1 validation error detected: Value null at 'tags' failed to satisfy constraint: Member "
        "must not be null",
    )


def test_null_tag_keys(ddb: Any) -> None:
    assert tag_error(ddb, "untag_resource", ResourceArn="a:b:c:d:e:f/g") == (
        "ValidationException",
        "1 validation error detected: Value null at 'tagKeys' failed to satisfy constraint: "
        "Member must not be null",
    )


def test_empty_tags(ddb: Any, table_arn: str) -> None:
    assert tag_error(ddb, "tag_resource", ResourceArn=table_arn, Tags=[]) == (
        "ValidationException",
        "Atleast one Tag needs to be provided as Input.",
    )


def test_empty_tag_keys(ddb: Any, table_arn: str) -> None:
    assert tag_error(ddb, "untag_resource", ResourceArn=table_arn, TagKeys=[]) == (
        "ValidationException",
        "Atleast one Tag Key needs to be provided as Input.",
    )


def missing_arn(ddb: Any, table_s: str) -> str:
    return arn_of(ddb, table_s).rsplit("/", 1)[0] + "/" + unique_name("missing")


def test_empty_tags_checked_before_table(ddb: Any, table_s: str) -> None:
    assert tag_error(ddb, "tag_resource", ResourceArn=missing_arn(ddb, table_s), Tags=[]) == (
        "ValidationException",
        "Atleast one Tag needs to be provided as Input.",
    )


def test_empty_tag_keys_checked_before_table(ddb: Any, table_s: str) -> None:
    assert tag_error(ddb, "untag_resource", ResourceArn=missing_arn(ddb, table_s), TagKeys=[]) == (
        "ValidationException",
        "Atleast one Tag Key needs to be provided as Input.",
    )


@pytest.mark.parametrize(
    ("operation", "params"),
    [
        ("tag_resource", {"Tags": [{"Key": "a", "Value": "b"}]}),
        ("untag_resource", {"TagKeys": ["a"]}),
        ("list_tags_of_resource", {}),
    ],
)
def test_table_not_found(ddb: Any, table_s: str, operation: str, params: dict[str, Any]) -> None:
    arn = missing_arn(ddb, table_s)
    assert tag_error(ddb, operation, ResourceArn=arn, **params) == (
        "ResourceNotFoundException",
        f"Requested resource not found: ResourceArn: {arn} not found",
    )


@pytest.mark.parametrize(
    ("operation", "params"),
    [
        ("tag_resource", {"Tags": [{"Key": "a", "Value": "b"}]}),
        ("untag_resource", {"TagKeys": ["a"]}),
        ("list_tags_of_resource", {}),
    ],
)
def test_table_not_found_code(
    ddb: Any, table_s: str, operation: str, params: dict[str, Any]
) -> None:
    arn = missing_arn(ddb, table_s)
    code, message = tag_error(ddb, operation, ResourceArn=arn, **params)
    assert code == "ResourceNotFoundException"
    assert message.startswith("Requested resource not found")


def test_not_an_arn(ddb: Any, table_s: str) -> None:
    assert tag_error(ddb, "list_tags_of_resource", ResourceArn=table_s) == (
        "ValidationException",
        f"One or more parameter values were invalid: ARNs must start with 'arn:': {table_s}",
    )


def test_index_arn_is_not_taggable(ddb: Any, make_table: TableFactory) -> None:
    name = make_table(
        ExtraAttributes=["g:S"],
        GlobalSecondaryIndexes=[
            {
                "IndexName": "gsi",
                "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
                "Projection": {"ProjectionType": "ALL"},
            }
        ],
    )
    index_arn = ddb.describe_table(TableName=name)["Table"]["GlobalSecondaryIndexes"][0]["IndexArn"]
    assert tag_error(ddb, "list_tags_of_resource", ResourceArn=index_arn) == (
        "ValidationException",
        "One or more parameter values were invalid: Invalid resource arn provided, only table or "
        f"stream is accepted. Provided resource arn: {index_arn}",
    )


def test_more_than_fifty_tags_after_merge(ddb: Any, table_arn: str) -> None:
    ddb.tag_resource(
        ResourceArn=table_arn, Tags=[{"Key": f"k{i}", "Value": "v"} for i in range(50)]
    )
    assert tag_error(
        ddb, "tag_resource", ResourceArn=table_arn, Tags=[{"Key": "one-more", "Value": "v"}]
    ) == (
        "ValidationException",
        "Number of Tags exceed the current limit for the provided ResourceArn",
    )


def test_more_than_fifty_tags_rejected_whole(ddb: Any, table_arn: str) -> None:
    ddb.tag_resource(
        ResourceArn=table_arn, Tags=[{"Key": f"k{i}", "Value": "v"} for i in range(50)]
    )
    code, _ = tag_error(
        ddb, "tag_resource", ResourceArn=table_arn, Tags=[{"Key": "one-more", "Value": "v"}]
    )
    assert code == "ValidationException"
    assert len(tags_of(ddb, table_arn)) == 50


def test_aws_prefix_reserved(ddb: Any, table_arn: str) -> None:
    assert tag_error(
        ddb, "tag_resource", ResourceArn=table_arn, Tags=[{"Key": "aws:x", "Value": "v"}]
    ) == ("ValidationException", "Tag Key cannot be prefixed with aws:, Key: aws:x")


def test_duplicate_keys_in_one_request(ddb: Any, table_arn: str) -> None:
    tags = [{"Key": "k", "Value": "1"}, {"Key": "k", "Value": "2"}]
    assert tag_error(ddb, "tag_resource", ResourceArn=table_arn, Tags=tags) == (
        "ValidationException",
        "Duplicate Tag Keys provided as input: Duplicate Tag Key found k",
    )
