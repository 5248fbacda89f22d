"""Lambda layers: PublishLayerVersion, GetLayerVersion(ByArn), ListLayerVersions, ListLayers,
DeleteLayerVersion, and functions using layers (CreateFunction / UpdateFunctionConfiguration
``Layers``, the layers' Python paths at Invoke)."""

from __future__ import annotations

import contextlib
import io
import json
import re
import sys
import zipfile
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import pytest
import requests

from conftest import GureumProcess, error_of, unique_name
from lambda_.conftest import FunctionFactory, create_function, make_zip

if TYPE_CHECKING:
    from pathlib import Path

pytestmark = pytest.mark.aws_documented

ACCOUNT = "000000000000"
SITE = f"python/lib/python{sys.version_info.major}.{sys.version_info.minor}/site-packages"
# Lambda's timestamp format, as LastModified's: 2018-11-27T15:10:45.123+0000
STAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000")
LayerFactory = Callable[..., dict[str, Any]]


def layer_zip(files: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return buffer.getvalue()


@pytest.fixture
def publish(lam: Any) -> Iterator[LayerFactory]:
    """``publish(name=None, files=None, **params)``: PublishLayerVersion (a new layer name
    unless given); every version published is deleted after the test."""
    published: list[tuple[str, int]] = []

    def make(name: str | None = None, files: dict[str, str] | None = None, **params: Any) -> Any:
        content = layer_zip(files or {"python/helper.py": "VALUE = 1\n"})
        response = lam.publish_layer_version(
            LayerName=name or unique_name("layer"), Content={"ZipFile": content}, **params
        )
        published.append((response["LayerArn"].rsplit(":", 1)[1], response["Version"]))
        return response

    yield make
    for name, version in published:
        lam.delete_layer_version(LayerName=name, VersionNumber=version)


def _body(response: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in response.items() if k != "ResponseMetadata"}


def _invoke(lam: Any, name: str) -> Any:
    response = lam.invoke(FunctionName=name)
    payload = json.loads(response["Payload"].read())
    assert "FunctionError" not in response, payload
    return payload


# --- the layer operations


def test_publish_shape(lam: Any, publish: LayerFactory) -> None:
    content = layer_zip({"python/helper.py": "VALUE = 1\n"})
    name = unique_name("layer")
    response = publish(
        name,
        Description="helpers",
        CompatibleRuntimes=["python3.12", "python3.13"],
        CompatibleArchitectures=["x86_64"],
        LicenseInfo="MIT",
    )
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 201
    arn = f"arn:aws:lambda:us-east-1:{ACCOUNT}:layer:{name}"
    body = _body(response)
    location = body["Content"].pop("Location")
    created = body.pop("CreatedDate")
    assert STAMP.fullmatch(created)
    assert body == {
        "Content": {"CodeSha256": body["Content"]["CodeSha256"], "CodeSize": len(content)},
        "LayerArn": arn,
        "LayerVersionArn": f"{arn}:1",
        "Description": "helpers",
        "Version": 1,
        "CompatibleRuntimes": ["python3.12", "python3.13"],
        "CompatibleArchitectures": ["x86_64"],
        "LicenseInfo": "MIT",
    }
    # Content.Location returns the zip
    assert requests.get(location, timeout=5).content == content
    got = _body(lam.get_layer_version(LayerName=name, VersionNumber=1))
    assert got["Content"].pop("Location")  # a fresh link
    assert got == {**body, "CreatedDate": created}
    by_arn = lam.get_layer_version_by_arn(Arn=f"{arn}:1")
    assert by_arn["LayerVersionArn"] == f"{arn}:1"
    assert by_arn["CreatedDate"] == created


def test_optional_members_left_out(publish: LayerFactory) -> None:
    """Members the request did not give are not in the answer; empty lists given are."""
    bare = publish()
    assert bare["Description"] == ""
    for member in ("CompatibleRuntimes", "CompatibleArchitectures", "LicenseInfo"):
        assert member not in bare
    empty = publish(CompatibleRuntimes=[], CompatibleArchitectures=[])
    assert empty["CompatibleRuntimes"] == []
    assert empty["CompatibleArchitectures"] == []


def test_version_numbers_never_reused(lam: Any, publish: LayerFactory) -> None:
    name = unique_name("layer")
    assert publish(name)["Version"] == 1
    assert publish(name)["Version"] == 2
    lam.delete_layer_version(LayerName=name, VersionNumber=1)
    lam.delete_layer_version(LayerName=name, VersionNumber=2)
    assert lam.list_layer_versions(LayerName=name)["LayerVersions"] == []
    assert publish(name)["Version"] == 3


def test_missing_versions(lam: Any, publish: LayerFactory) -> None:
    name = publish()["LayerArn"].rsplit(":", 1)[1]
    for params in (
        {"LayerName": name, "VersionNumber": 2},
        {"LayerName": unique_name("nolayer"), "VersionNumber": 1},
    ):
        with pytest.raises(lam.exceptions.ResourceNotFoundException) as excinfo:
            lam.get_layer_version(**params)
        assert error_of(excinfo) == (
            "ResourceNotFoundException",
            "The resource you requested does not exist.",
        )
    with pytest.raises(lam.exceptions.ResourceNotFoundException) as excinfo:
        lam.get_layer_version_by_arn(Arn=f"arn:aws:lambda:us-east-1:{ACCOUNT}:layer:{name}:9")
    assert error_of(excinfo)[1] == "The resource you requested does not exist."
    for version in (0, -1):
        with pytest.raises(lam.exceptions.InvalidParameterValueException) as excinfo:
            lam.get_layer_version(LayerName=name, VersionNumber=version)
        assert error_of(excinfo)[1] == "Layer Version Cannot be less than 1"
    # a layer there is not has no versions
    assert lam.list_layer_versions(LayerName=unique_name("nolayer"))["LayerVersions"] == []


def test_delete_is_idempotent(lam: Any, publish: LayerFactory) -> None:
    name = publish()["LayerArn"].rsplit(":", 1)[1]
    for _ in range(2):
        response = lam.delete_layer_version(LayerName=name, VersionNumber=1)
        assert response["ResponseMetadata"]["HTTPStatusCode"] == 204
    response = lam.delete_layer_version(LayerName=unique_name("nolayer"), VersionNumber=3)
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 204
    with pytest.raises(lam.exceptions.InvalidParameterValueException) as excinfo:
        lam.delete_layer_version(LayerName=name, VersionNumber=0)
    assert error_of(excinfo)[1] == "Layer Version Cannot be less than 1"


def test_list_layer_versions_newest_first_paged_filtered(lam: Any, publish: LayerFactory) -> None:
    name = unique_name("layer")
    publish(name, CompatibleRuntimes=["python3.12"], CompatibleArchitectures=["x86_64"])
    publish(name, CompatibleRuntimes=["python3.13"], CompatibleArchitectures=["arm64"])
    third = publish(name, CompatibleRuntimes=["python3.12", "python3.13"])
    listed = lam.list_layer_versions(LayerName=name)
    assert [v["Version"] for v in listed["LayerVersions"]] == [3, 2, 1]
    assert "NextMarker" not in listed
    assert listed["LayerVersions"][0] == {
        "LayerVersionArn": third["LayerVersionArn"],
        "Version": 3,
        "Description": "",
        "CreatedDate": third["CreatedDate"],
        "CompatibleRuntimes": ["python3.12", "python3.13"],
    }
    first = lam.list_layer_versions(LayerName=name, MaxItems=2)
    assert [v["Version"] for v in first["LayerVersions"]] == [3, 2]
    rest = lam.list_layer_versions(LayerName=name, MaxItems=2, Marker=first["NextMarker"])
    assert [v["Version"] for v in rest["LayerVersions"]] == [1]
    assert "NextMarker" not in rest

    def versions(**filters: str) -> list[int]:
        found = lam.list_layer_versions(LayerName=name, **filters)["LayerVersions"]
        return [v["Version"] for v in found]

    assert versions(CompatibleRuntime="python3.12") == [3, 1]
    assert versions(CompatibleRuntime="python3.11") == []
    assert versions(CompatibleArchitecture="arm64") == [2]
    assert versions(CompatibleRuntime="python3.13", CompatibleArchitecture="arm64") == [2]
    # the layer's ARN names it too
    by_arn = lam.list_layer_versions(LayerName=third["LayerArn"])["LayerVersions"]
    assert [v["Version"] for v in by_arn] == [3, 2, 1]


def test_list_layers_latest_matching_version(lam: Any, publish: LayerFactory) -> None:
    prefix = unique_name("list")
    a, b = f"{prefix}-a", f"{prefix}-b"
    publish(a, CompatibleRuntimes=["python3.12"])
    newest_a = publish(a, CompatibleRuntimes=["python3.13"])
    only_b = publish(b, CompatibleRuntimes=["python3.12"], LicenseInfo="MIT")

    def mine(**params: Any) -> list[dict[str, Any]]:
        layers: list[dict[str, Any]] = []
        while True:
            page = lam.list_layers(**params)
            layers += [item for item in page["Layers"] if item["LayerName"].startswith(prefix)]
            if "NextMarker" not in page:
                return layers
            params["Marker"] = page["NextMarker"]

    everything = mine()
    assert everything == [
        {
            "LayerName": a,
            "LayerArn": newest_a["LayerArn"],
            "LatestMatchingVersion": {
                "LayerVersionArn": newest_a["LayerVersionArn"],
                "Version": 2,
                "Description": "",
                "CreatedDate": newest_a["CreatedDate"],
                "CompatibleRuntimes": ["python3.13"],
            },
        },
        {
            "LayerName": b,
            "LayerArn": only_b["LayerArn"],
            "LatestMatchingVersion": {
                "LayerVersionArn": only_b["LayerVersionArn"],
                "Version": 1,
                "Description": "",
                "CreatedDate": only_b["CreatedDate"],
                "CompatibleRuntimes": ["python3.12"],
                "LicenseInfo": "MIT",
            },
        },
    ]
    assert mine(MaxItems=1) == everything
    matching = mine(CompatibleRuntime="python3.12")
    assert [(i["LayerName"], i["LatestMatchingVersion"]["Version"]) for i in matching] == [
        (a, 1),
        (b, 1),
    ]
    assert mine(CompatibleRuntime="python3.11") == []


@pytest.mark.gureum_own  # the S3 refusal is gureum's; the zip check is AWS's
def test_publish_refuses_s3_content(lam: Any) -> None:
    with pytest.raises(lam.exceptions.InvalidParameterValueException) as excinfo:
        lam.publish_layer_version(
            LayerName=unique_name("layer"), Content={"S3Bucket": "bucket", "S3Key": "key.zip"}
        )
    assert "gureum" in error_of(excinfo)[1]
    with pytest.raises(lam.exceptions.InvalidParameterValueException) as excinfo:
        lam.publish_layer_version(LayerName=unique_name("layer"), Content={"ZipFile": b"no zip"})
    assert error_of(excinfo)[1] == (
        "Could not unzip uploaded file. Please check your file, then try to upload again."
    )


# --- functions with layers


def test_function_imports_from_its_layers(
    lam: Any, publish: LayerFactory, make_function: FunctionFactory
) -> None:
    """A module in ``python/``, a package in ``python/lib/python3.X/site-packages``, and a data
    file found next to a layer's module; a later layer's file replaces an earlier one's."""
    first = publish(
        files={
            "python/plain.py": "WHO = 'first'\n",
            f"{SITE}/sitepkg/__init__.py": "WHERE = 'site-packages'\n",
            "python/shared.py": "WHO = 'first'\n",
            "python/data/words.txt": "from the layer\n",
        }
    )
    second = publish(files={"python/shared.py": "WHO = 'second'\n"})
    source = (
        "import os, plain, sitepkg, shared\n"
        "def handler(event, context):\n"
        "    here = os.path.dirname(plain.__file__)\n"
        "    with open(os.path.join(here, 'data', 'words.txt')) as f:\n"
        "        words = f.read().strip()\n"
        "    return [plain.WHO, sitepkg.WHERE, shared.WHO, words]\n"
    )
    created = make_function(
        Code={"ZipFile": make_zip(source)},
        Layers=[first["LayerVersionArn"], second["LayerVersionArn"]],
    )
    assert created["Layers"] == [
        {"Arn": first["LayerVersionArn"], "CodeSize": first["Content"]["CodeSize"]},
        {"Arn": second["LayerVersionArn"], "CodeSize": second["Content"]["CodeSize"]},
    ]
    name = created["FunctionName"]
    assert _invoke(lam, name) == ["first", "site-packages", "second", "from the layer"]
    # the function's own code comes first on the path
    own = layer_zip({"app.py": source, "shared.py": "WHO = 'function'\n"})
    lam.update_function_code(FunctionName=name, ZipFile=own)
    assert _invoke(lam, name)[2] == "function"


def test_layers_only_when_present(lam: Any, make_function: FunctionFactory) -> None:
    created = make_function()
    assert "Layers" not in created
    assert "Layers" not in lam.get_function_configuration(FunctionName=created["FunctionName"])


def test_layer_refusals(lam: Any, publish: LayerFactory, make_function: FunctionFactory) -> None:
    name = unique_name("layer")
    one, two = publish(name)["LayerVersionArn"], publish(name)["LayerVersionArn"]
    others = [publish()["LayerVersionArn"] for _ in range(5)]

    def refused(layers: list[str]) -> str:
        with pytest.raises(lam.exceptions.InvalidParameterValueException) as excinfo:
            make_function(Layers=layers)
        return error_of(excinfo)[1]

    assert refused([*others, one]) == "Cannot reference more than 5 layers."
    missing = f"arn:aws:lambda:us-east-1:{ACCOUNT}:layer:{name}:9"
    assert refused([missing]) == f"Layer version {missing} does not exist."
    unknown = f"arn:aws:lambda:us-east-1:{ACCOUNT}:layer:{unique_name('nolayer')}:1"
    assert refused([unknown]) == f"Layer version {unknown} does not exist."
    assert refused([one, two]) == (
        "Two different versions of the same layer are not allowed to be referenced in the "
        f"same function. {one} and {two} are versions of the same layer."
    )
    elsewhere = one.replace("us-east-1", "eu-west-1")
    assert refused([elsewhere]) == (
        "Layers are not in the same region as the function. "
        "Layers are expected to be in region us-east-1."
    )
    # a layer version ARN without its version fails the model's pattern
    with pytest.raises(lam.exceptions.ClientError) as excinfo:
        make_function(Layers=[one.rsplit(":", 1)[0]])
    assert error_of(excinfo)[0] == "ValidationException"


def zeros_zip(name: str, size: int) -> bytes:
    """A zip holding ``size`` zero bytes (small compressed, ``size`` unzipped)."""
    buffer = io.BytesIO()
    chunk = bytes(1 << 20)
    with (
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive,
        archive.open(name, "w") as file,
    ):
        for _ in range(size >> 20):
            file.write(chunk)
    return buffer.getvalue()


def test_code_and_layers_within_the_unzipped_limit(
    lam: Any, make_function: FunctionFactory
) -> None:
    """Function code and its layers count together against 250 MB unzipped, at CreateFunction
    and when UpdateFunctionCode brings bigger code."""
    layer_size = 200 << 20
    layer = lam.publish_layer_version(
        LayerName=unique_name("big"), Content={"ZipFile": zeros_zip("python/big.bin", layer_size)}
    )
    try:
        arn = layer["LayerVersionArn"]
        big_code = zeros_zip("big.bin", 60 << 20)

        def too_large(size: int) -> str:
            return (
                "Function code combined with layers exceeds the maximum allowed size of "
                f"262144000 bytes. The actual size is {size} bytes."
            )

        with pytest.raises(lam.exceptions.InvalidParameterValueException) as excinfo:
            make_function(Layers=[arn], Code={"ZipFile": big_code})
        assert error_of(excinfo)[1] == too_large((60 << 20) + layer_size)
        name = make_function(Layers=[arn])["FunctionName"]
        with pytest.raises(lam.exceptions.InvalidParameterValueException) as excinfo:
            lam.update_function_code(FunctionName=name, ZipFile=big_code)
        assert error_of(excinfo)[1] == too_large((60 << 20) + layer_size)
        lam.update_function_code(FunctionName=name, ZipFile=zeros_zip("small.bin", 40 << 20))
    finally:
        lam.delete_layer_version(LayerName=layer["LayerArn"], VersionNumber=layer["Version"])


def test_function_keeps_a_deleted_layer_version(
    lam: Any, publish: LayerFactory, make_function: FunctionFactory
) -> None:
    layer = publish(files={"python/kept.py": "VALUE = 'kept'\n"})
    arn, name = layer["LayerVersionArn"], layer["LayerArn"].rsplit(":", 1)[1]
    source = "import kept\ndef handler(event, context):\n    return kept.VALUE\n"
    function = make_function(Code={"ZipFile": make_zip(source)}, Layers=[arn])["FunctionName"]
    published = lam.publish_version(FunctionName=function)
    assert published["Layers"] == [{"Arn": arn, "CodeSize": layer["Content"]["CodeSize"]}]
    lam.delete_layer_version(LayerName=name, VersionNumber=1)
    # cold starts of $LATEST (after a configuration change) and of the version still find it
    lam.update_function_configuration(FunctionName=function, Description="changed")
    assert _invoke(lam, function) == "kept"
    assert _invoke(lam, f"{function}:{published['Version']}") == "kept"
    config = lam.get_function_configuration(FunctionName=function)
    assert config["Layers"] == [{"Arn": arn, "CodeSize": layer["Content"]["CodeSize"]}]
    # but it can no longer be added to functions
    with pytest.raises(lam.exceptions.InvalidParameterValueException) as excinfo:
        make_function(Layers=[arn])
    assert error_of(excinfo)[1] == f"Layer version {arn} does not exist."


def test_update_configuration_changes_layers(
    lam: Any, publish: LayerFactory, make_function: FunctionFactory
) -> None:
    source = (
        "def handler(event, context):\n"
        "    try:\n"
        "        import swapped\n"
        "    except ImportError:\n"
        "        return None\n"
        "    return swapped.VALUE\n"
    )
    one = publish(files={"python/swapped.py": "VALUE = 1\n"})["LayerVersionArn"]
    two = publish(files={"python/swapped.py": "VALUE = 2\n"})["LayerVersionArn"]
    name = make_function(Code={"ZipFile": make_zip(source)}, Layers=[one])["FunctionName"]
    assert _invoke(lam, name) == 1
    updated = lam.update_function_configuration(FunctionName=name, Layers=[two])
    assert [la["Arn"] for la in updated["Layers"]] == [two]
    assert _invoke(lam, name) == 2  # the warm worker with the old layer was retired
    removed = lam.update_function_configuration(FunctionName=name, Layers=[])
    assert "Layers" not in removed
    assert _invoke(lam, name) is None
    # a refused update changes nothing
    before = _body(lam.get_function_configuration(FunctionName=name))
    with pytest.raises(lam.exceptions.InvalidParameterValueException):
        lam.update_function_configuration(
            FunctionName=name, Description="not applied", Layers=[one, one]
        )
    assert _body(lam.get_function_configuration(FunctionName=name)) == before


@pytest.mark.gureum_own
def test_layers_survive_restart(tmp_path: Path) -> None:
    server = GureumProcess(tmp_path)
    server.start()
    # built once: a zip built again in another second differs (its files' times)
    content = layer_zip({"python/lasting.py": "VALUE = 'lasting'\n"})
    try:
        lam = server.client("lambda")
        layer = lam.publish_layer_version(LayerName="lasting", Content={"ZipFile": content})
        lam.publish_layer_version(LayerName="lasting", Content={"ZipFile": layer_zip({})})
        lam.delete_layer_version(LayerName="lasting", VersionNumber=2)
        source = "import lasting\ndef handler(event, context):\n    return lasting.VALUE\n"
        create_function(
            lam,
            FunctionName="layered",
            Code={"ZipFile": make_zip(source)},
            Layers=[layer["LayerVersionArn"]],
        )
    finally:
        server.stop()
    server = GureumProcess(tmp_path)
    server.start()
    try:
        lam = server.client("lambda")
        got = lam.get_layer_version(LayerName="lasting", VersionNumber=1)
        assert got["CreatedDate"] == layer["CreatedDate"]
        assert requests.get(got["Content"]["Location"], timeout=5).content == content
        assert _invoke(lam, "layered") == "lasting"
        # the number of the version deleted before the restart is not handed out again
        again = lam.publish_layer_version(LayerName="lasting", Content={"ZipFile": layer_zip({})})
        assert again["Version"] == 3
        with contextlib.suppress(lam.exceptions.ResourceNotFoundException):
            lam.delete_function(FunctionName="layered")
    finally:
        server.stop()
