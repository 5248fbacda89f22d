"""Aliases: CreateAlias, GetAlias, UpdateAlias, DeleteAlias, ListAliases, Invoke through an
alias, and weighted routing between two versions."""

from __future__ import annotations

import json
from typing import Any

import pytest

from conftest import error_of
from lambda_.conftest import FunctionFactory, make_zip

pytestmark = pytest.mark.aws_documented

_SOURCE = "def handler(event, context):\n    return [%r, context.invoked_function_arn]\n"


def _versions(lam: Any, make_function: FunctionFactory, count: int) -> tuple[str, str]:
    """A function with versions 1..count, each returning its number; (name, ARN)."""
    created = make_function(Code={"ZipFile": make_zip(_SOURCE % "1")}, Publish=True)
    name = created["FunctionName"]
    for number in range(2, count + 1):
        code = make_zip(_SOURCE % str(number))
        lam.update_function_code(FunctionName=name, ZipFile=code, Publish=True)
    return name, created["FunctionArn"]


def test_create_and_get_alias(lam: Any, make_function: FunctionFactory) -> None:
    name, arn = _versions(lam, make_function, 1)
    created = lam.create_alias(
        FunctionName=name, Name="live", FunctionVersion="1", Description="production"
    )
    assert created["ResponseMetadata"]["HTTPStatusCode"] == 201
    del created["ResponseMetadata"]
    assert created == {
        "AliasArn": f"{arn}:live",
        "Name": "live",
        "FunctionVersion": "1",
        "Description": "production",
        "RevisionId": created["RevisionId"],
    }
    got = lam.get_alias(FunctionName=name, Name="live")
    del got["ResponseMetadata"]
    assert got == created
    # an alias of $LATEST, without a description
    latest = lam.create_alias(FunctionName=arn, Name="edge", FunctionVersion="$LATEST")
    assert (latest["FunctionVersion"], latest["Description"]) == ("$LATEST", "")


def test_create_alias_errors(lam: Any, make_function: FunctionFactory) -> None:
    name, arn = _versions(lam, make_function, 2)
    lam.create_alias(FunctionName=name, Name="live", FunctionVersion="1")
    with pytest.raises(lam.exceptions.ResourceConflictException) as exc:
        lam.create_alias(FunctionName=name, Name="live", FunctionVersion="2")
    assert error_of(exc)[1] == f"Alias already exists: {arn}:live"
    assert exc.value.response["ResponseMetadata"]["HTTPStatusCode"] == 409
    with pytest.raises(lam.exceptions.ResourceNotFoundException) as exc:
        lam.create_alias(FunctionName=name, Name="other", FunctionVersion="9")
    assert error_of(exc)[1] == f"Function not found: {arn}:9"
    with pytest.raises(lam.exceptions.ResourceNotFoundException) as exc:
        lam.create_alias(FunctionName=name + "-missing", Name="other", FunctionVersion="1")
    assert error_of(exc)[1] == f"Function not found: {arn}-missing:1"
    # alias names: not only digits, letters, digits, - and _
    for bad in ("123", "has space", "$LATEST"):
        with pytest.raises(lam.exceptions.ClientError) as exc:
            lam.create_alias(FunctionName=name, Name=bad, FunctionVersion="1")
        assert error_of(exc)[0] == "ValidationException"
        assert exc.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400


def test_routing_config_errors(lam: Any, make_function: FunctionFactory) -> None:
    name, arn = _versions(lam, make_function, 3)
    cases: list[tuple[str, dict[str, float], str, str]] = [
        (
            "$LATEST",
            {"1": 0.5},
            "InvalidParameterValueException",
            "$LATEST is not supported for an alias pointing to more than 1 version",
        ),
        (
            "1",
            {"1": 0.5},
            "InvalidParameterValueException",
            "Invalid function version 1. Function version 1 is already included in routing "
            "configuration.",
        ),
        (
            "1",
            {"2": 0.2, "3": 0.2},
            "InvalidParameterValueException",
            "Number of items in AdditionalVersionWeights cannot be greater than 1",
        ),
        ("1", {"8": 0.5}, "ResourceNotFoundException", f"Function not found: {arn}:8"),
    ]
    for version, weights, code, message in cases:
        with pytest.raises(lam.exceptions.ClientError) as exc:
            lam.create_alias(
                FunctionName=name,
                Name="routed",
                FunctionVersion=version,
                RoutingConfig={"AdditionalVersionWeights": weights},
            )
        assert error_of(exc) == (code, message)
    with pytest.raises(lam.exceptions.ClientError) as exc:
        lam.create_alias(
            FunctionName=name,
            Name="routed",
            FunctionVersion="1",
            RoutingConfig={"AdditionalVersionWeights": {"2": 1.5}},
        )
    assert error_of(exc)[0] == "ValidationException"


def test_update_alias(lam: Any, make_function: FunctionFactory) -> None:
    name, arn = _versions(lam, make_function, 2)
    created = lam.create_alias(FunctionName=name, Name="live", FunctionVersion="1")
    updated = lam.update_alias(
        FunctionName=name,
        Name="live",
        FunctionVersion="2",
        Description="moved",
        RoutingConfig={"AdditionalVersionWeights": {"1": 0.25}},
        RevisionId=created["RevisionId"],
    )
    assert updated["FunctionVersion"] == "2"
    assert updated["Description"] == "moved"
    assert updated["RoutingConfig"] == {"AdditionalVersionWeights": {"1": 0.25}}
    assert updated["RevisionId"] != created["RevisionId"]
    with pytest.raises(lam.exceptions.PreconditionFailedException) as exc:
        lam.update_alias(FunctionName=name, Name="live", RevisionId=created["RevisionId"])
    assert exc.value.response["ResponseMetadata"]["HTTPStatusCode"] == 412
    # an empty routing configuration removes it; the rest stays
    cleared = lam.update_alias(FunctionName=name, Name="live", RoutingConfig={})
    assert "RoutingConfig" not in cleared
    assert (cleared["FunctionVersion"], cleared["Description"]) == ("2", "moved")
    with pytest.raises(lam.exceptions.ResourceNotFoundException) as exc:
        lam.update_alias(FunctionName=name, Name="live", FunctionVersion="5")
    assert error_of(exc)[1] == f"Function not found: {arn}:5"
    with pytest.raises(lam.exceptions.ResourceNotFoundException) as exc:
        lam.update_alias(FunctionName=name, Name="nope", FunctionVersion="1")
    assert error_of(exc)[1] == f"Alias not found: {arn}:nope"


def test_get_and_delete_unknown_alias(lam: Any, make_function: FunctionFactory) -> None:
    name, arn = _versions(lam, make_function, 1)
    with pytest.raises(lam.exceptions.ResourceNotFoundException) as exc:
        lam.get_alias(FunctionName=name, Name="nope")
    assert error_of(exc)[1] == f"Cannot find alias arn: {arn}:nope"
    assert exc.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404
    lam.create_alias(FunctionName=name, Name="live", FunctionVersion="1")
    response = lam.delete_alias(FunctionName=name, Name="live")
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 204
    with pytest.raises(lam.exceptions.ResourceNotFoundException):
        lam.get_alias(FunctionName=name, Name="live")
    # deleting an alias that is not there succeeds
    response = lam.delete_alias(FunctionName=name, Name="live")
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 204


def test_list_aliases(lam: Any, make_function: FunctionFactory) -> None:
    name, arn = _versions(lam, make_function, 2)
    for alias, version in (("c", "1"), ("a", "2"), ("b", "1"), ("d", "$LATEST")):
        lam.create_alias(FunctionName=name, Name=alias, FunctionVersion=version)
    listed = lam.list_aliases(FunctionName=name)
    assert [a["Name"] for a in listed["Aliases"]] == ["a", "b", "c", "d"]
    assert listed["Aliases"][0]["AliasArn"] == f"{arn}:a"
    assert "NextMarker" not in listed
    only_one = lam.list_aliases(FunctionName=name, FunctionVersion="1")
    assert [a["Name"] for a in only_one["Aliases"]] == ["b", "c"]
    page = lam.list_aliases(FunctionName=name, MaxItems=3)
    assert [a["Name"] for a in page["Aliases"]] == ["a", "b", "c"]
    rest = lam.list_aliases(FunctionName=name, MaxItems=3, Marker=page["NextMarker"])
    assert [a["Name"] for a in rest["Aliases"]] == ["d"]
    assert "NextMarker" not in rest


def test_alias_qualifiers(lam: Any, make_function: FunctionFactory) -> None:
    name, arn = _versions(lam, make_function, 2)
    lam.create_alias(FunctionName=name, Name="live", FunctionVersion="1")
    response = lam.invoke(FunctionName=name, Qualifier="live")
    assert response["ExecutedVersion"] == "1"
    assert json.loads(response["Payload"].read()) == ["1", f"{arn}:live"]
    response = lam.invoke(FunctionName=f"{arn}:live")
    assert response["ExecutedVersion"] == "1"
    configuration = lam.get_function_configuration(FunctionName=name, Qualifier="live")
    assert configuration["Version"] == "1"
    assert configuration["FunctionArn"] == f"{arn}:live"
    assert lam.get_function(FunctionName=f"{name}:live")["Configuration"]["Version"] == "1"
    lam.update_alias(FunctionName=name, Name="live", FunctionVersion="2")
    assert lam.invoke(FunctionName=name, Qualifier="live")["ExecutedVersion"] == "2"
    with pytest.raises(lam.exceptions.ResourceNotFoundException) as exc:
        lam.invoke(FunctionName=name, Qualifier="unknown")
    assert error_of(exc)[1] == f"Function not found: {arn}:unknown"


def test_weighted_routing(lam: Any, make_function: FunctionFactory) -> None:
    name, _arn = _versions(lam, make_function, 2)
    lam.create_alias(
        FunctionName=name,
        Name="canary",
        FunctionVersion="1",
        RoutingConfig={"AdditionalVersionWeights": {"2": 0.3}},
    )
    runs = 200
    executed: list[str] = []
    for _ in range(runs):
        response = lam.invoke(FunctionName=name, Qualifier="canary")
        ran = json.loads(response["Payload"].read())[0]
        assert response["ExecutedVersion"] == ran
        executed.append(ran)
    # binomial(200, 0.3): mean 60, standard deviation 6.5; these bounds fail once in ~10^6
    assert 28 <= executed.count("2") <= 92
    assert executed.count("1") + executed.count("2") == runs
