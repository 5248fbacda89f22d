"""TagResource, UntagResource and ListTags of functions and event source mappings; CreateFunction
Tags. Texts as AWS gives them (LocalStack's parity tests recorded them on AWS)."""

from __future__ import annotations

from typing import Any

import pytest

from conftest import error_with_status
from lambda_.conftest import FunctionFactory

PATTERN = (
    "arn:(aws[a-zA-Z-]*):lambda:(eusc-)?[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\\d{1}:\\d{12}:"
)


def test_lifecycle(lam: Any, make_function: FunctionFactory) -> None:
    created = make_function(Tags={"key_a": "value_a"})
    name, arn = created["FunctionName"], created["FunctionArn"]
    assert lam.list_tags(Resource=arn)["Tags"] == {"key_a": "value_a"}
    assert lam.get_function(FunctionName=name)["Tags"] == {"key_a": "value_a"}
    response = lam.tag_resource(Resource=arn, Tags={"key_b": "value_b", "key_c": "value_c"})
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 204
    lam.tag_resource(Resource=arn, Tags={"key_c": "value_x", "key_d": "value_d"})
    assert lam.list_tags(Resource=arn)["Tags"] == {
        "key_a": "value_a",
        "key_b": "value_b",
        "key_c": "value_x",
        "key_d": "value_d",
    }
    response = lam.untag_resource(Resource=arn, TagKeys=["key_c", "key_d", "nope"])
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 204
    assert lam.get_function(FunctionName=name)["Tags"] == {"key_a": "value_a", "key_b": "value_b"}
    lam.untag_resource(Resource=arn, TagKeys=["key_a", "key_b"])
    assert lam.list_tags(Resource=arn)["Tags"] == {}
    assert "Tags" not in lam.get_function(FunctionName=name)  # AWS leaves it out when empty
    lam.delete_function(FunctionName=name)
    with pytest.raises(lam.exceptions.ResourceNotFoundException) as raised:
        lam.list_tags(Resource=arn)
    assert error_with_status(raised) == (
        "ResourceNotFoundException",
        f"Function not found: {arn}",
        404,
    )


def test_errors(lam: Any, make_function: FunctionFactory) -> None:
    created = make_function()
    name, arn = created["FunctionName"], created["FunctionArn"]
    missing = arn.replace(f"function:{name}", "function:doesnotexist")
    version = lam.publish_version(FunctionName=name)["FunctionArn"]
    qualified = (
        "InvalidParameterValueException",
        "Tags on function aliases and versions are not supported. Please specify a function ARN.",
        400,
    )
    cases: list[tuple[Any, tuple[str, str, int]]] = [
        (
            lambda: lam.tag_resource(Resource=missing, Tags={"a": "b"}),
            ("ResourceNotFoundException", f"Function not found: {missing}", 404),
        ),
        (
            lambda: lam.untag_resource(Resource=missing, TagKeys=["a"]),
            ("ResourceNotFoundException", f"Function not found: {missing}", 404),
        ),
        (lambda: lam.tag_resource(Resource=version, Tags={"a": "b"}), qualified),
        (lambda: lam.tag_resource(Resource=f"{arn}:$LATEST", Tags={"a": "b"}), qualified),
        (lambda: lam.list_tags(Resource=f"{missing}:alias"), qualified),
        (
            lambda: lam.tag_resource(Resource=arn, Tags={}),
            (
                "InvalidParameterValueException",
                "An error occurred and the request cannot be processed.",
                400,
            ),
        ),
        (
            lambda: lam.untag_resource(Resource=arn, TagKeys=[]),
            (
                "ValidationException",
                "1 validation error detected: Value null at 'tagKeys' failed to satisfy "
                "constraint: Member must not be null",
                400,
            ),
        ),
    ]
    for call, expected in cases:
        with pytest.raises(lam.exceptions.ClientError) as raised:
            call()
        assert error_with_status(raised) == expected
    with pytest.raises(lam.exceptions.ClientError) as raised:
        lam.list_tags(Resource="arn:aws:something")
    code, message, status = error_with_status(raised)
    assert (code, status) == ("ValidationException", 400)
    assert message.startswith(
        "1 validation error detected: Value 'arn:aws:something' at 'resource' failed to satisfy "
        f"constraint: Member must satisfy regular expression pattern: {PATTERN}"
    )
    esm = (
        arn.split(":function:")[0]
        + ":event-source-mapping:"
        + "0" * 8
        + "-0000-0000-0000-"
        + "0" * 12
    )
    with pytest.raises(lam.exceptions.ResourceNotFoundException) as raised:
        lam.list_tags(Resource=esm)
    assert error_with_status(raised)[1] == f"Event source mapping not found: {esm}"


def test_fifty_tags_at_most(lam: Any, make_function: FunctionFactory) -> None:
    too_many = "Number of tags exceeds resource tag limit."
    with pytest.raises(lam.exceptions.InvalidParameterValueException) as raised:
        make_function(Tags={f"{k}_key": f"{k}_value" for k in range(51)})
    assert error_with_status(raised)[1] == too_many
    arn = make_function()["FunctionArn"]
    with pytest.raises(lam.exceptions.InvalidParameterValueException) as raised:
        lam.tag_resource(Resource=arn, Tags={f"{k}_key": f"{k}_value" for k in range(51)})
    assert error_with_status(raised)[1] == too_many
    lam.tag_resource(Resource=arn, Tags={f"{k}_key": f"{k}_value" for k in range(50)})
    assert len(lam.list_tags(Resource=arn)["Tags"]) == 50
    with pytest.raises(lam.exceptions.InvalidParameterValueException) as raised:
        lam.tag_resource(Resource=arn, Tags={"a_key": "a_value"})
    assert error_with_status(raised)[1] == too_many
    lam.tag_resource(Resource=arn, Tags={"0_key": "overwritten"})  # replacing stays at 50
    assert lam.list_tags(Resource=arn)["Tags"]["0_key"] == "overwritten"
