"""Published versions: PublishVersion, ListVersionsByFunction, qualifiers on GetFunction,
GetFunctionConfiguration, Invoke and DeleteFunction, and persistence across a restart."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import pytest
import requests

from conftest import GureumProcess, error_of
from lambda_.conftest import FunctionFactory, create_function, make_zip

if TYPE_CHECKING:
    from pathlib import Path

pytestmark = pytest.mark.aws_documented

_SOURCE = (
    "import os\n"
    "def handler(event, context):\n"
    "    return {'code': %r, 'version': context.function_version,\n"
    "            'env': os.environ['AWS_LAMBDA_FUNCTION_VERSION'],\n"
    "            'arn': context.invoked_function_arn}\n"
)


def _package(tag: str) -> bytes:
    return make_zip(_SOURCE % tag)


def _invoke(lam: Any, name: str, **params: Any) -> tuple[dict[str, Any], Any]:
    response: dict[str, Any] = lam.invoke(FunctionName=name, **params)
    return response, json.loads(response["Payload"].read())


def test_publish_version_shape(lam: Any, make_function: FunctionFactory) -> None:
    created = make_function(Description="the function")
    name, arn = created["FunctionName"], created["FunctionArn"]
    response = lam.publish_version(FunctionName=name, Description="first")
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 201
    assert response["Version"] == "1"
    assert response["FunctionArn"] == f"{arn}:1"
    assert response["Description"] == "first"
    assert response["CodeSha256"] == created["CodeSha256"]
    assert response["RevisionId"] != created["RevisionId"]
    for member in ("Runtime", "Handler", "Role", "Timeout", "MemorySize", "CodeSize"):
        assert response[member] == created[member]
    # without a Description, the version takes $LATEST's
    lam.update_function_configuration(FunctionName=name, Timeout=7)
    second = lam.publish_version(FunctionName=name)
    assert (second["Version"], second["Description"], second["Timeout"]) == (
        "2",
        "the function",
        7,
    )
    got = lam.get_function_configuration(FunctionName=name, Qualifier="1")
    assert got["Version"] == "1"
    assert got["FunctionArn"] == f"{arn}:1"
    assert got["Timeout"] == 3
    assert lam.get_function_configuration(FunctionName=f"{name}:2")["Timeout"] == 7
    assert lam.get_function_configuration(FunctionName=f"{arn}:2")["Version"] == "2"


def test_publish_unchanged_returns_last_version(lam: Any, make_function: FunctionFactory) -> None:
    created = make_function()
    name = created["FunctionName"]
    first = lam.publish_version(FunctionName=name)
    # publishing gives $LATEST a new RevisionId
    latest = lam.get_function_configuration(FunctionName=name)["RevisionId"]
    assert latest not in (created["RevisionId"], first["RevisionId"])
    again = lam.publish_version(FunctionName=name, Description="ignored")
    assert again["Version"] == "1"
    assert again["RevisionId"] == first["RevisionId"]
    assert again["Description"] == ""
    assert lam.get_function_configuration(FunctionName=name)["RevisionId"] == latest
    lam.update_function_code(FunctionName=name, ZipFile=_package("v2"))
    assert lam.publish_version(FunctionName=name)["Version"] == "2"


def test_numbers_are_never_reused(lam: Any, make_function: FunctionFactory) -> None:
    name = make_function()["FunctionName"]
    lam.publish_version(FunctionName=name)
    lam.update_function_code(FunctionName=name, ZipFile=_package("v2"))
    lam.publish_version(FunctionName=name)
    lam.delete_function(FunctionName=name, Qualifier="2")
    lam.update_function_code(FunctionName=name, ZipFile=_package("v3"))
    assert lam.publish_version(FunctionName=name)["Version"] == "3"
    versions = lam.list_versions_by_function(FunctionName=name)["Versions"]
    assert [v["Version"] for v in versions] == ["$LATEST", "1", "3"]


def test_publish_preconditions(lam: Any, make_function: FunctionFactory) -> None:
    created = make_function()
    name, sha = created["FunctionName"], created["CodeSha256"]
    wrong = "a" * 43 + "="
    with pytest.raises(lam.exceptions.InvalidParameterValueException) as exc:
        lam.publish_version(FunctionName=name, CodeSha256=wrong)
    assert error_of(exc)[1] == (
        f"CodeSHA256 ({wrong}) is different from current CodeSHA256 in $LATEST ({sha}). "
        "Please try again with the CodeSHA256 in $LATEST."
    )
    with pytest.raises(lam.exceptions.PreconditionFailedException) as exc:
        lam.publish_version(FunctionName=name, RevisionId="not-the-revision")
    assert exc.value.response["ResponseMetadata"]["HTTPStatusCode"] == 412
    assert error_of(exc)[1] == (
        "The Revision Id provided does not match the latest Revision Id. "
        "Call the GetFunction/GetAlias API to retrieve the latest Revision Id"
    )
    published = lam.publish_version(
        FunctionName=name, CodeSha256=sha, RevisionId=created["RevisionId"]
    )
    assert published["Version"] == "1"
    with pytest.raises(lam.exceptions.ResourceNotFoundException):
        lam.publish_version(FunctionName=name + "-missing")


def test_list_versions_by_function(lam: Any, make_function: FunctionFactory) -> None:
    created = make_function()
    name, arn = created["FunctionName"], created["FunctionArn"]
    for tag in ("a", "b", "c"):
        lam.update_function_code(FunctionName=name, ZipFile=_package(tag), Publish=True)
    listed = lam.list_versions_by_function(FunctionName=name)
    assert "NextMarker" not in listed
    versions = listed["Versions"]
    assert [v["Version"] for v in versions] == ["$LATEST", "1", "2", "3"]
    assert [v["FunctionArn"] for v in versions] == [
        f"{arn}:$LATEST",
        f"{arn}:1",
        f"{arn}:2",
        f"{arn}:3",
    ]
    page = lam.list_versions_by_function(FunctionName=name, MaxItems=2)
    assert [v["Version"] for v in page["Versions"]] == ["$LATEST", "1"]
    rest = lam.list_versions_by_function(FunctionName=name, Marker=page["NextMarker"])
    assert [v["Version"] for v in rest["Versions"]] == ["2", "3"]
    assert "NextMarker" not in rest
    with pytest.raises(lam.exceptions.ResourceNotFoundException):
        lam.list_versions_by_function(FunctionName=name + "-missing")


def test_publish_flag(lam: Any, make_function: FunctionFactory) -> None:
    created = make_function(Publish=True)
    name = created["FunctionName"]
    # CreateFunction answers with version 1's configuration, under the unqualified ARN
    assert created["Version"] == "1"
    assert created["FunctionArn"].endswith(f":function:{name}")
    assert lam.publish_version(FunctionName=name)["Version"] == "1"
    assert lam.get_function(FunctionName=name)["Configuration"]["Version"] == "$LATEST"
    updated = lam.update_function_code(FunctionName=name, ZipFile=_package("v2"), Publish=True)
    assert updated["Version"] == "2"
    assert updated["FunctionArn"].endswith(f":function:{name}:2")
    assert updated["CodeSha256"] != created["CodeSha256"]


def test_versions_keep_their_code(lam: Any, make_function: FunctionFactory) -> None:
    one = _package("one")  # a zip holds its files' times: build it once
    created = make_function(Code={"ZipFile": one}, Publish=True)
    name, arn = created["FunctionName"], created["FunctionArn"]
    lam.update_function_code(FunctionName=name, ZipFile=_package("two"))
    response, payload = _invoke(lam, name, Qualifier="1")
    assert response["ExecutedVersion"] == "1"
    assert payload == {"code": "one", "version": "1", "env": "1", "arn": f"{arn}:1"}
    response, payload = _invoke(lam, name)
    assert response["ExecutedVersion"] == "$LATEST"
    assert payload == {"code": "two", "version": "$LATEST", "env": "$LATEST", "arn": arn}
    response, payload = _invoke(lam, f"{name}:$LATEST")
    assert (response["ExecutedVersion"], payload["arn"]) == ("$LATEST", f"{arn}:$LATEST")
    # each version's package stays downloadable
    got = lam.get_function(FunctionName=name, Qualifier="1")
    assert got["Configuration"]["CodeSha256"] == created["CodeSha256"]
    assert requests.get(got["Code"]["Location"], timeout=5).content == one
    # another update of $LATEST leaves version 1's warm workers and code alone
    lam.update_function_code(FunctionName=name, ZipFile=_package("three"))
    assert _invoke(lam, name, Qualifier="1")[1]["code"] == "one"
    assert _invoke(lam, name)[1]["code"] == "three"


def test_unknown_version(lam: Any, make_function: FunctionFactory) -> None:
    created = make_function()
    name, arn = created["FunctionName"], created["FunctionArn"]
    for call in (lam.get_function, lam.get_function_configuration, lam.invoke):
        with pytest.raises(lam.exceptions.ResourceNotFoundException) as exc:
            call(FunctionName=name, Qualifier="7")
        assert error_of(exc)[1] == f"Function not found: {arn}:7"
        assert exc.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404
        # a function that is not there: the qualified ARN too
        with pytest.raises(lam.exceptions.ResourceNotFoundException) as exc:
            call(FunctionName=f"{arn}-gone:$LATEST", Qualifier="$LATEST")
        assert error_of(exc)[1] == f"Function not found: {arn}-gone:$LATEST"


def test_qualifier_mismatch(lam: Any, make_function: FunctionFactory) -> None:
    created = make_function(Publish=True)
    arn = created["FunctionArn"]
    for call in (lam.get_function, lam.get_function_configuration, lam.delete_function):
        with pytest.raises(lam.exceptions.InvalidParameterValueException) as exc:
            call(FunctionName=f"{arn}:1", Qualifier="$LATEST")
        assert error_of(exc)[1] == (
            "The derived qualifier from the function name does not match the specified qualifier."
        )
    assert (
        lam.get_function(FunctionName=f"{arn}:1", Qualifier="1")["Configuration"]["Version"] == "1"
    )


def test_delete_version(lam: Any, make_function: FunctionFactory) -> None:
    created = make_function(Publish=True)
    name = created["FunctionName"]
    with pytest.raises(lam.exceptions.InvalidParameterValueException) as exc:
        lam.delete_function(FunctionName=name, Qualifier="$LATEST")
    assert error_of(exc)[1] == "$LATEST version cannot be deleted without deleting the function."
    lam.create_alias(FunctionName=name, Name="live", FunctionVersion="1")
    with pytest.raises(lam.exceptions.InvalidParameterValueException) as exc:
        lam.delete_function(FunctionName=name, Qualifier="live")
    assert error_of(exc)[1] == "Deletion of aliases is not currently supported."
    with pytest.raises(lam.exceptions.ResourceConflictException) as exc:
        lam.delete_function(FunctionName=name, Qualifier="1")
    assert error_of(exc)[1] == (
        "Unable to delete version because the following aliases reference it: [live]"
    )
    lam.delete_alias(FunctionName=name, Name="live")
    response = lam.delete_function(FunctionName=f"{name}:1")
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 204
    assert lam.get_function(FunctionName=name)["Configuration"]["Version"] == "$LATEST"
    with pytest.raises(lam.exceptions.ResourceNotFoundException):
        lam.get_function(FunctionName=name, Qualifier="1")
    # a version that is not there: nothing to do
    lam.delete_function(FunctionName=name, Qualifier="1")


def test_delete_function_removes_versions(lam: Any, make_function: FunctionFactory) -> None:
    name = make_function(Publish=True)["FunctionName"]
    lam.create_alias(FunctionName=name, Name="live", FunctionVersion="1")
    lam.delete_function(FunctionName=name)
    make_function(FunctionName=name)
    assert [v["Version"] for v in lam.list_versions_by_function(FunctionName=name)["Versions"]] == [
        "$LATEST"
    ]
    assert lam.list_aliases(FunctionName=name)["Aliases"] == []
    assert lam.publish_version(FunctionName=name)["Version"] == "1"


@pytest.mark.gureum_own
def test_versions_survive_restart(tmp_path: Path) -> None:
    server = GureumProcess(tmp_path)
    server.start()
    try:
        client = server.client("lambda")
        create_function(
            client,
            FunctionName="versioned",
            Code={"ZipFile": _package("one")},
            Publish=True,
        )
        client.update_function_code(FunctionName="versioned", ZipFile=_package("two"))
        client.publish_version(FunctionName="versioned")
        client.create_alias(
            FunctionName="versioned",
            Name="live",
            FunctionVersion="1",
            RoutingConfig={"AdditionalVersionWeights": {"2": 0.0}},
        )
        client.put_function_concurrency(FunctionName="versioned", ReservedConcurrentExecutions=5)
        before = client.list_versions_by_function(FunctionName="versioned")["Versions"]
        alias = client.get_alias(FunctionName="versioned", Name="live")
    finally:
        server.stop()
    server = GureumProcess(tmp_path)
    server.start()
    try:
        client = server.client("lambda")
        after = client.list_versions_by_function(FunctionName="versioned")["Versions"]
        assert after == before
        again = client.get_alias(FunctionName="versioned", Name="live")
        assert again == {**alias, "ResponseMetadata": again["ResponseMetadata"]}
        assert (
            client.get_function_concurrency(FunctionName="versioned")[
                "ReservedConcurrentExecutions"
            ]
            == 5
        )
        assert _invoke(client, "versioned", Qualifier="1")[1]["code"] == "one"
        assert _invoke(client, "versioned", Qualifier="live")[1]["code"] == "one"
        assert _invoke(client, "versioned")[1]["code"] == "two"
        client.update_function_code(FunctionName="versioned", ZipFile=_package("three"))
        assert client.publish_version(FunctionName="versioned")["Version"] == "3"
    finally:
        server.stop()
