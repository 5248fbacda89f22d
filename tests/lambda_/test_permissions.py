"""AddPermission, RemovePermission and GetPolicy: statements and errors as AWS gives them
(LocalStack's parity tests recorded them on AWS)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from conftest import aws_cli, error_with_status
from lambda_.conftest import FunctionFactory

S3_BUCKET = "arn:aws:s3:::test-bucket"


def add(lam: Any, name: str, sid: str = "s3", **params: Any) -> dict[str, Any]:
    request = {
        "FunctionName": name,
        "Action": "lambda:InvokeFunction",
        "StatementId": sid,
        "Principal": "s3.amazonaws.com",
        **params,
    }
    response: dict[str, Any] = lam.add_permission(**request)
    return response


def test_add_and_get(lam: Any, make_function: FunctionFactory) -> None:
    created = make_function()
    name, arn = created["FunctionName"], created["FunctionArn"]
    response = add(lam, name, SourceArn=S3_BUCKET)
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 201
    statement = {
        "Sid": "s3",
        "Effect": "Allow",
        "Principal": {"Service": "s3.amazonaws.com"},
        "Action": "lambda:InvokeFunction",
        "Resource": arn,
        "Condition": {"ArnLike": {"AWS:SourceArn": S3_BUCKET}},
    }
    assert response["Statement"] == json.dumps(statement, separators=(",", ":"))
    policy = lam.get_policy(FunctionName=name)
    assert json.loads(policy["Policy"]) == {
        "Version": "2012-10-17",
        "Id": "default",
        "Statement": [statement],
    }
    assert list(json.loads(policy["Policy"])) == ["Version", "Id", "Statement"]
    assert len(policy["RevisionId"]) == 36
    add(lam, name, sid="sqs", Principal="sqs.amazonaws.com")
    again = lam.get_policy(FunctionName=name)
    assert [s["Sid"] for s in json.loads(again["Policy"])["Statement"]] == ["s3", "sqs"]
    assert again["RevisionId"] != policy["RevisionId"]


def test_principals_and_conditions(lam: Any, make_function: FunctionFactory) -> None:
    created = make_function()
    name, arn = created["FunctionName"], created["FunctionArn"]
    account = arn.split(":")[4]

    def statement(**params: Any) -> dict[str, Any]:
        result: dict[str, Any] = json.loads(add(lam, name, **params)["Statement"])
        assert result["Resource"] == arn
        return result

    wildcard = statement(sid="wildcard", Principal="*", SourceAccount=account)
    assert wildcard["Principal"] == "*"
    assert wildcard["Condition"] == {"StringEquals": {"AWS:SourceAccount": account}}
    by_account = statement(sid="account", Principal=account)
    assert by_account["Principal"] == {"AWS": f"arn:aws:iam::{account}:root"}
    assert "Condition" not in by_account
    user = f"arn:aws:iam::{account}:user/dev"
    assert statement(sid="user", Principal=user)["Principal"] == {"AWS": user}
    url = statement(
        sid="url",
        Action="lambda:InvokeFunctionUrl",
        Principal="*",
        SourceArn=S3_BUCKET,
        SourceAccount=account,
        PrincipalOrgID="o-1234567890",
        FunctionUrlAuthType="NONE",
    )
    assert json.dumps(url["Condition"]) == json.dumps(
        {
            "StringEquals": {
                "AWS:SourceAccount": account,
                "lambda:FunctionUrlAuthType": "NONE",
                "aws:PrincipalOrgID": "o-1234567890",
            },
            "ArnLike": {"AWS:SourceArn": S3_BUCKET},
        }
    )
    skill = statement(sid="alexa", Principal="*", EventSourceToken="amzn1.ask.skill.x-1")
    assert skill["Condition"] == {
        "StringEquals": {"lambda:EventSourceToken": "amzn1.ask.skill.x-1"}
    }


def test_errors(lam: Any, make_function: FunctionFactory) -> None:
    created = make_function()
    name, arn = created["FunctionName"], created["FunctionArn"]
    missing = arn.replace(f"function:{name}", "function:doesnotexist")
    cases: list[tuple[Any, tuple[str, str, int]]] = [
        (
            lambda: add(lam, name, sid="example.com"),
            (
                "ValidationException",
                "1 validation error detected: Value 'example.com' at 'statementId' failed to "
                "satisfy constraint: Member must satisfy regular expression pattern: "
                "([a-zA-Z0-9-_]+)",
                400,
            ),
        ),
        (
            lambda: add(lam, f"{name}:alias-not-42", Qualifier="42"),
            (
                "InvalidParameterValueException",
                "The derived qualifier from the function name does not match the specified "
                "qualifier.",
                400,
            ),
        ),
        (
            lambda: add(lam, f"{name}:$LATEST", Qualifier="$LATEST"),
            (
                "InvalidParameterValueException",
                "We currently do not support adding policies for $LATEST.",
                400,
            ),
        ),
        (
            lambda: add(lam, name, sid="x", Principal="invalid.nonaws.com"),
            (
                "InvalidParameterValueException",
                "The provided principal was invalid. Please check the principal and try again.",
                400,
            ),
        ),
        (
            lambda: lam.get_policy(FunctionName="doesnotexist"),
            ("ResourceNotFoundException", "The resource you requested does not exist.", 404),
        ),
        (
            lambda: lam.get_policy(FunctionName=name, Qualifier="77"),
            ("ResourceNotFoundException", "The resource you requested does not exist.", 404),
        ),
        (
            lambda: lam.get_policy(FunctionName=name),
            ("ResourceNotFoundException", "The resource you requested does not exist.", 404),
        ),
        (
            lambda: add(lam, "doesnotexist"),
            ("ResourceNotFoundException", f"Function not found: {missing}", 404),
        ),
        (
            lambda: lam.remove_permission(FunctionName=name, StatementId="s3"),
            ("ResourceNotFoundException", "No policy is associated with the given resource.", 404),
        ),
        (
            lambda: add(lam, f"{name}:alias-doesnotexist"),
            (
                "ResourceNotFoundException",
                f"Cannot find alias arn: {arn}:alias-doesnotexist",
                404,
            ),
        ),
        (
            lambda: add(lam, name, Qualifier="42"),
            ("ResourceNotFoundException", f"Function not found: {arn}:42", 404),
        ),
        (
            lambda: add(lam, name, Qualifier="valid-with-$-but-doesnotexist"),
            (
                "ResourceNotFoundException",
                f"Function not found: {arn}:valid-with-$-but-doesnotexist",
                404,
            ),
        ),
        (
            lambda: lam.remove_permission(FunctionName="doesnotexist", StatementId="s3"),
            ("ResourceNotFoundException", f"No policy found for: {missing}", 404),
        ),
        (
            lambda: lam.remove_permission(
                FunctionName=name, StatementId="s3", Qualifier="alias-doesnotexist"
            ),
            (
                "ResourceNotFoundException",
                f"Cannot find alias arn: {arn}:alias-doesnotexist",
                404,
            ),
        ),
    ]
    for call, expected in cases:
        with pytest.raises(lam.exceptions.ClientError) as raised:
            call()
        assert error_with_status(raised) == expected
    add(lam, name)
    with pytest.raises(lam.exceptions.ResourceConflictException) as raised:
        add(lam, name)
    assert error_with_status(raised) == (
        "ResourceConflictException",
        "The statement id (s3) provided already exists. Please provide a new statement id, "
        "or remove the existing statement.",
        409,
    )
    with pytest.raises(lam.exceptions.ResourceNotFoundException) as raised:
        lam.remove_permission(FunctionName=name, StatementId="non-existent")
    assert error_with_status(raised)[1] == "Statement non-existent is not found in resource policy."


def test_versions_and_aliases_have_their_own_policies(
    lam: Any, make_function: FunctionFactory
) -> None:
    created = make_function()
    name, arn = created["FunctionName"], created["FunctionArn"]
    add(lam, name, SourceArn=S3_BUCKET)
    version = lam.publish_version(FunctionName=name)["Version"]
    # publishing copies nothing
    with pytest.raises(lam.exceptions.ResourceNotFoundException):
        lam.get_policy(FunctionName=name, Qualifier=version)
    add(lam, f"{name}:{version}", Qualifier=version)
    versioned = json.loads(lam.get_policy(FunctionName=name, Qualifier=version)["Policy"])
    assert versioned["Statement"][0]["Resource"] == f"{arn}:{version}"
    alias = lam.create_alias(FunctionName=name, Name="live", FunctionVersion=version)
    with pytest.raises(lam.exceptions.PreconditionFailedException) as raised:
        add(lam, name, Qualifier="live", RevisionId="wrong")
    assert error_with_status(raised) == (
        "PreconditionFailedException",
        "The Revision Id provided does not match the latest Revision Id. Call the GetPolicy API "
        "to retrieve the latest Revision Id",
        412,
    )
    add(lam, f"{name}:live", Qualifier="live", RevisionId=alias["RevisionId"])
    aliased = json.loads(lam.get_policy(FunctionName=f"{name}:live")["Policy"])
    assert aliased["Statement"][0]["Resource"] == f"{arn}:live"
    # the unqualified policy is untouched; its RevisionId guards the next change
    base = lam.get_policy(FunctionName=name)
    assert len(json.loads(base["Policy"])["Statement"]) == 1
    with pytest.raises(lam.exceptions.PreconditionFailedException):
        add(lam, name, sid="s3_2", RevisionId=alias["RevisionId"])
    add(lam, name, sid="s3_2", RevisionId=base["RevisionId"])
    # deleting the alias takes its policy along; a new alias of that name starts empty
    lam.delete_alias(FunctionName=name, Name="live")
    lam.create_alias(FunctionName=name, Name="live", FunctionVersion=version)
    with pytest.raises(lam.exceptions.ResourceNotFoundException):
        lam.get_policy(FunctionName=name, Qualifier="live")


def test_remove_until_empty(lam: Any, make_function: FunctionFactory) -> None:
    name = make_function()["FunctionName"]
    add(lam, name)
    add(lam, name, sid="sqs", Principal="sqs.amazonaws.com", SourceArn=S3_BUCKET)
    response = lam.remove_permission(FunctionName=name, StatementId="sqs")
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 204
    policy = lam.get_policy(FunctionName=name)
    assert [s["Sid"] for s in json.loads(policy["Policy"])["Statement"]] == ["s3"]
    with pytest.raises(lam.exceptions.PreconditionFailedException):
        lam.remove_permission(FunctionName=name, StatementId="s3", RevisionId="wrong")
    lam.remove_permission(FunctionName=name, StatementId="s3", RevisionId=policy["RevisionId"])
    with pytest.raises(lam.exceptions.ResourceNotFoundException) as raised:
        lam.get_policy(FunctionName=name)
    assert error_with_status(raised)[1] == "The resource you requested does not exist."


def test_deleting_the_function_deletes_its_policies(
    lam: Any, make_function: FunctionFactory
) -> None:
    name = make_function()["FunctionName"]
    add(lam, name)
    lam.delete_function(FunctionName=name)
    name = make_function(FunctionName=name)["FunctionName"]
    with pytest.raises(lam.exceptions.ResourceNotFoundException):
        lam.get_policy(FunctionName=name)
    add(lam, name)  # the statement id is free again


def test_aws_cli_add_permission(endpoint: str, make_function: FunctionFactory) -> None:
    name = make_function()["FunctionName"]
    result = aws_cli(
        endpoint,
        "lambda",
        "add-permission",
        "--function-name",
        name,
        "--statement-id",
        "apigw",
        "--action",
        "lambda:InvokeFunction",
        "--principal",
        "apigateway.amazonaws.com",
    )
    assert result.returncode == 0, result.stderr
    statement = json.loads(json.loads(result.stdout)["Statement"])
    assert statement["Principal"] == {"Service": "apigateway.amazonaws.com"}
