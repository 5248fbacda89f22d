"""Accounts and regions.

gureum's own rules (README "Accounts and regions"): the account is the access key id when it is
twelve digits, else 000000000000; the region is the one of the SigV4 credential scope;
signatures are not verified. What follows from them is AWS's behaviour: tables are regional and
belong to one account, so a table of one account or region is invisible from another, and ARNs
carry both (arn:aws:dynamodb:<region>:<account>:table/<name>).

Sources for the AWS side: DynamoDB Developer Guide (tables are regional resources of an account;
table ARN format); [ack-lab] ack-api-quirks DynamoDB lab notes, live AWS probes verified
2026-10-08 (DDB-TABLE-011: DescribeTable with the ARN of another region -> ValidationException,
of another account -> AccessDeniedException 'Access is denied'; DDB-TABLE-071: the tag
operations with a foreign-account ARN -> AccessDeniedException 'Access is denied', with an
other-region ARN -> ValidationException 'Invalid TableArn: Invalid ResourceArn provided as input
<ARN>').
"""

from __future__ import annotations

import contextlib
import random
from typing import TYPE_CHECKING, Any

import pytest
from botocore.exceptions import ClientError

from conftest import error_of, new_key, unique_name

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from dynamodb.conftest import ClientFactory, RawCall

Created = list[tuple[Any, str]]


def account_id() -> str:
    return f"{random.randrange(10**11, 10**12)}"


@pytest.fixture
def created() -> Iterator[Created]:
    tables: Created = []
    yield tables
    for client, name in tables:
        with contextlib.suppress(ClientError):
            client.delete_table(TableName=name)


@pytest.fixture
def create(created: Created) -> Callable[[Any, str], dict[str, Any]]:
    def make(client: Any, name: str) -> dict[str, Any]:
        desc: dict[str, Any] = client.create_table(
            TableName=name,
            KeySchema=[{"AttributeName": "p", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "p", "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
        )["TableDescription"]
        created.append((client, name))
        return desc

    return make


@pytest.mark.gureum_own
def test_twelve_digit_key_is_the_account(client_as: ClientFactory, create: Any) -> None:
    account = account_id()
    name = unique_name()
    desc = create(client_as(account, "eu-west-1"), name)
    assert desc["TableArn"] == f"arn:aws:dynamodb:eu-west-1:{account}:table/{name}"


@pytest.mark.gureum_own
@pytest.mark.parametrize("key", ["test", "AKIAIOSFODNN7EXAMPLE", "12345678901", "1234567890123"])
def test_other_keys_use_default_account(client_as: ClientFactory, create: Any, key: str) -> None:
    name = unique_name()
    desc = create(client_as(key), name)
    assert desc["TableArn"] == f"arn:aws:dynamodb:us-east-1:000000000000:table/{name}"


@pytest.mark.gureum_own
def test_signature_is_not_verified(raw: RawCall) -> None:
    # gureum knows no secrets: a request signed with an arbitrary secret is served
    assert raw("ListTables", {"Limit": 1}, access_key="111111111111").status_code == 200


@pytest.mark.aws_documented
def test_region_from_credential_scope(client_as: ClientFactory, create: Any) -> None:
    name = unique_name()
    desc = create(client_as("test", "ap-northeast-2"), name)
    assert desc["TableArn"].startswith("arn:aws:dynamodb:ap-northeast-2:")
    described = client_as("test", "ap-northeast-2").describe_table(TableName=name)["Table"]
    assert described["TableArn"] == desc["TableArn"]


@pytest.mark.aws_documented
def test_tables_are_regional(client_as: ClientFactory, create: Any) -> None:
    account = account_id()
    seoul, dublin = client_as(account, "ap-northeast-2"), client_as(account, "eu-west-1")
    name = unique_name()
    create(seoul, name)
    assert seoul.list_tables()["TableNames"] == [name]
    assert dublin.list_tables()["TableNames"] == []
    with pytest.raises(ClientError) as excinfo:
        dublin.describe_table(TableName=name)
    assert error_of(excinfo) == (
        "ResourceNotFoundException",
        f"Requested resource not found: Table: {name} not found",
    )


@pytest.mark.gureum_own
def test_accounts_are_separate(client_as: ClientFactory, create: Any) -> None:
    alice, bob = client_as(account_id()), client_as(account_id())
    name = unique_name()
    create(alice, name)
    assert alice.list_tables()["TableNames"] == [name]
    assert bob.list_tables()["TableNames"] == []
    with pytest.raises(ClientError) as excinfo:
        bob.put_item(TableName=name, Item={"p": {"S": "x"}})
    assert error_of(excinfo) == ("ResourceNotFoundException", "Requested resource not found")


@pytest.mark.gureum_own
def test_same_name_in_two_accounts_holds_different_items(
    client_as: ClientFactory, create: Any
) -> None:
    alice, bob = client_as(account_id()), client_as(account_id())
    name = unique_name()
    a = create(alice, name)
    b = create(bob, name)
    assert a["TableArn"] != b["TableArn"]
    assert a["TableId"] != b["TableId"]
    key = {"p": {"S": new_key()}}
    alice.put_item(TableName=name, Item={**key, "owner": {"S": "alice"}})
    bob.put_item(TableName=name, Item={**key, "owner": {"S": "bob"}})
    assert alice.get_item(TableName=name, Key=key)["Item"]["owner"] == {"S": "alice"}
    assert bob.get_item(TableName=name, Key=key)["Item"]["owner"] == {"S": "bob"}
    bob.delete_table(TableName=name)
    assert alice.describe_table(TableName=name)["Table"]["TableStatus"] == "ACTIVE"


@pytest.mark.aws_documented
def test_same_name_in_two_regions(client_as: ClientFactory, create: Any) -> None:
    account = account_id()
    east, west = client_as(account, "us-east-1"), client_as(account, "us-west-2")
    name = unique_name()
    create(east, name)
    create(west, name)
    east.put_item(TableName=name, Item={"p": {"S": "k"}, "r": {"S": "east"}})
    assert "Item" not in west.get_item(TableName=name, Key={"p": {"S": "k"}})


@pytest.mark.aws_documented
def test_index_arns_carry_account_and_region(client_as: ClientFactory, created: Created) -> None:
    account = account_id()
    client = client_as(account, "sa-east-1")
    name = unique_name()
    desc = client.create_table(
        TableName=name,
        KeySchema=[{"AttributeName": "p", "KeyType": "HASH"}],
        AttributeDefinitions=[
            {"AttributeName": "p", "AttributeType": "S"},
            {"AttributeName": "g", "AttributeType": "S"},
        ],
        BillingMode="PAY_PER_REQUEST",
        GlobalSecondaryIndexes=[
            {
                "IndexName": "gsi",
                "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
                "Projection": {"ProjectionType": "ALL"},
            }
        ],
        StreamSpecification={"StreamEnabled": True, "StreamViewType": "KEYS_ONLY"},
    )["TableDescription"]
    created.append((client, name))
    arn = f"arn:aws:dynamodb:sa-east-1:{account}:table/{name}"
    assert desc["TableArn"] == arn
    assert desc["GlobalSecondaryIndexes"][0]["IndexArn"] == f"{arn}/index/gsi"
    assert desc["LatestStreamArn"].startswith(f"{arn}/stream/")


@pytest.mark.aws_documented
def test_tags_by_arn_in_own_account(client_as: ClientFactory, create: Any) -> None:
    account = account_id()
    client = client_as(account, "eu-central-1")
    arn = create(client, unique_name())["TableArn"]
    client.tag_resource(ResourceArn=arn, Tags=[{"Key": "k", "Value": "v"}])
    assert client.list_tags_of_resource(ResourceArn=arn)["Tags"] == [{"Key": "k", "Value": "v"}]


@pytest.mark.aws_documented
def test_arn_of_another_account_is_denied(client_as: ClientFactory, create: Any) -> None:
    arn = create(client_as(account_id()), unique_name())["TableArn"]
    with pytest.raises(ClientError) as excinfo:
        client_as(account_id()).describe_table(TableName=arn)
    assert error_of(excinfo) == ("AccessDeniedException", "Access is denied")


@pytest.mark.aws_documented
def test_arn_of_another_region_is_rejected(client_as: ClientFactory, create: Any) -> None:
    account = account_id()
    arn = create(client_as(account, "us-west-2"), unique_name())["TableArn"]
    with pytest.raises(ClientError) as excinfo:
        client_as(account, "us-east-1").describe_table(TableName=arn)
    assert error_of(excinfo)[0] == "ValidationException"


@pytest.mark.aws_documented
def test_tags_of_another_account_are_denied(client_as: ClientFactory, create: Any) -> None:
    arn = create(client_as(account_id()), unique_name())["TableArn"]
    with pytest.raises(ClientError) as excinfo:
        client_as(account_id()).list_tags_of_resource(ResourceArn=arn)
    assert error_of(excinfo) == ("AccessDeniedException", "Access is denied")


@pytest.mark.aws_documented
def test_tags_of_another_region_are_rejected(client_as: ClientFactory, create: Any) -> None:
    account = account_id()
    arn = create(client_as(account, "us-west-2"), unique_name())["TableArn"]
    with pytest.raises(ClientError) as excinfo:
        client_as(account, "us-east-1").list_tags_of_resource(ResourceArn=arn)
    assert error_of(excinfo) == (
        "ValidationException",
        f"Invalid TableArn: Invalid ResourceArn provided as input {arn}",
    )
