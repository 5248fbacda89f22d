"""Deployment packages that are zips in name only: refused at upload when the zip's directory
shows it (AWS's "Could not unzip" text), InvalidZipFileException at the cold start when only
unpacking shows it (never a 500, never an Event invocation stuck in the queue); null list
elements and map values refused by the front end."""

from __future__ import annotations

import io
import struct
import zipfile
from typing import Any

import pytest
import requests

from conftest import error_with_status, unique_name
from lambda_.conftest import FunctionFactory, make_zip

HANDLER = "def handler(event, context):\n    return 'ok'\n"
NOT_A_ZIP = "Could not unzip uploaded file. Please check your file, then try to upload again."
INVALID_ZIP = (
    "InvalidZipFileException",
    "Lambda could not unzip the deployment package.",
    502,
)


def zip_of(files: dict[str, str], compression: int = zipfile.ZIP_STORED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def patched(data: bytes, local_offset: int, central_offset: int, value: bytes) -> bytes:
    """``data`` with ``value`` written at an offset of every local and central file header."""
    out = bytearray(data)
    for signature, offset in ((b"PK\x03\x04", local_offset), (b"PK\x01\x02", central_offset)):
        at = out.find(signature)
        while at != -1:
            out[at + offset : at + offset + len(value)] = value
            at = out.find(signature, at + 4)
    return bytes(out)


def encrypted() -> bytes:
    """A zip whose entry says it is encrypted (general purpose flag bit 0)."""
    return patched(zip_of({"app.py": HANDLER}), 6, 8, struct.pack("<H", 1))


def unknown_method() -> bytes:
    """A zip whose entry uses compression method 99 (AES), which Python cannot inflate."""
    return patched(zip_of({"app.py": HANDLER}), 8, 10, struct.pack("<H", 99))


def bad_crc() -> bytes:
    """A zip whose directory is sound but whose entry's CRC-32 does not match its data."""
    data = zip_of({"app.py": HANDLER})
    return patched(data, 14, 16, struct.pack("<I", 0xDEADBEEF))


@pytest.mark.parametrize(
    "package",
    [encrypted(), unknown_method(), zip_of({"a" * 256 + ".py": HANDLER})],
    ids=["encrypted", "compression-99", "name-too-long"],
)
def test_refused_at_upload(lam: Any, make_function: FunctionFactory, package: bytes) -> None:
    with pytest.raises(lam.exceptions.InvalidParameterValueException) as raised:
        make_function(Code={"ZipFile": package})
    assert error_with_status(raised) == ("InvalidParameterValueException", NOT_A_ZIP, 400)
    name = make_function()["FunctionName"]
    with pytest.raises(lam.exceptions.InvalidParameterValueException) as raised:
        lam.update_function_code(FunctionName=name, ZipFile=package)
    assert error_with_status(raised)[1] == NOT_A_ZIP
    with pytest.raises(lam.exceptions.InvalidParameterValueException) as raised:
        lam.publish_layer_version(LayerName=unique_name("layer"), Content={"ZipFile": package})
    assert error_with_status(raised)[1] == NOT_A_ZIP


def test_corrupt_code_fails_the_cold_start(lam: Any, make_function: FunctionFactory) -> None:
    name = make_function(Code={"ZipFile": bad_crc()})["FunctionName"]
    for _ in range(2):  # nothing half unpacked is left to run the second time
        with pytest.raises(lam.exceptions.InvalidZipFileException) as raised:
            lam.invoke(FunctionName=name)
        assert error_with_status(raised) == INVALID_ZIP
    accepted = lam.invoke(FunctionName=name, InvocationType="Event")
    assert accepted["StatusCode"] == 202
    lam.update_function_code(FunctionName=name, ZipFile=make_zip(HANDLER))
    assert lam.invoke(FunctionName=name)["Payload"].read() == b'"ok"'


def test_layers_that_cannot_be_unpacked_together(lam: Any, make_function: FunctionFactory) -> None:
    """Each layer is a sound zip, but one has a file where the next one needs a folder."""
    published = [
        lam.publish_layer_version(LayerName=unique_name("layer"), Content={"ZipFile": content})
        for content in (zip_of({"python": "a file"}), zip_of({"python/x.py": "X = 1\n"}))
    ]
    try:
        arns = [p["LayerVersionArn"] for p in published]
        name = make_function(Code={"ZipFile": make_zip(HANDLER)}, Layers=arns)["FunctionName"]
        with pytest.raises(lam.exceptions.InvalidZipFileException) as raised:
            lam.invoke(FunctionName=name)
        assert error_with_status(raised) == INVALID_ZIP
        lam.update_function_configuration(FunctionName=name, Layers=arns[1:])
        assert lam.invoke(FunctionName=name)["Payload"].read() == b'"ok"'
    finally:
        for p in published:
            lam.delete_layer_version(LayerName=p["LayerArn"], VersionNumber=p["Version"])


def test_null_elements_refused(lam: Any, make_function: FunctionFactory) -> None:
    created = make_function()
    name, arn = created["FunctionName"], created["FunctionArn"]
    with pytest.raises(lam.exceptions.ClientError) as raised:
        lam.update_function_configuration(FunctionName=name, Layers=[None])
    assert error_with_status(raised) == (
        "ValidationException",
        "1 validation error detected: Value '[null]' at 'layers' failed to satisfy constraint: "
        "Member must satisfy constraint: [Member must not be null]",
        400,
    )
    with pytest.raises(lam.exceptions.ClientError) as raised:
        lam.tag_resource(Resource=arn, Tags={"a": None, "b": "x"})
    assert error_with_status(raised) == (
        "ValidationException",
        "1 validation error detected: Value '{a=null, b=x}' at 'tags' failed to satisfy "
        "constraint: Map value must satisfy constraint: [Member must not be null]",
        400,
    )
    assert lam.list_tags(Resource=arn)["Tags"] == {}


def test_download_urls_with_huge_numbers(
    lam: Any, make_function: FunctionFactory, endpoint: str
) -> None:
    """A version number of thousands of digits once made int() fail (a 500)."""
    location = lam.get_function(FunctionName=make_function()["FunctionName"])["Code"]["Location"]
    nines = "9" * 5000
    for url in (
        f"{location}&version={nines}",
        f"{endpoint}/2018-10-31/layers/x/versions/{nines}/content-download",
    ):
        assert requests.get(url, timeout=10).status_code == 404, url[:80]
