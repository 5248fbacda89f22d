"""Functions whose code is a local folder (gureum's hot reload: ``Code={"S3Bucket":
"hot-reload", "S3Key": "/absolute/folder"}``): the folder is run in place and an edit is live
at the next invocation. All gureum's own behaviour (the bucket name is LocalStack's)."""

from __future__ import annotations

import io
import json
import os
import time
import zipfile
from pathlib import Path
from typing import Any

import pytest
import requests

from conftest import aws_cli, unique_name
from lambda_.conftest import FunctionFactory, make_zip

pytestmark = pytest.mark.gureum_own

RESULT = "def handler(event, context):\n    return {{'version': {version}, 'cwd': __file__}}\n"


def folder_code(folder: Path) -> dict[str, str]:
    return {"S3Bucket": "hot-reload", "S3Key": str(folder)}


def write_handler(folder: Path, version: int) -> None:
    path = folder / "app.py"
    path.write_text(RESULT.format(version=version))
    # a later modification time than any earlier write, even within the clock's granularity
    stamp = time.time() + version
    os.utime(path, (stamp, stamp))


def invoke(lam: Any, name: str) -> dict[str, Any]:
    response = lam.invoke(FunctionName=name)
    assert "FunctionError" not in response, response["Payload"].read()
    result: dict[str, Any] = json.loads(response["Payload"].read())
    return result


def wait_for_version(lam: Any, name: str, version: int) -> dict[str, Any]:
    deadline = time.monotonic() + 10
    while True:
        result = invoke(lam, name)
        if result["version"] == version or time.monotonic() > deadline:
            return result
        time.sleep(0.1)


def test_folder_runs_in_place_and_reloads(
    lam: Any, make_function: FunctionFactory, tmp_path: Path
) -> None:
    write_handler(tmp_path, 1)
    created = make_function(Code=folder_code(tmp_path))
    name = created["FunctionName"]
    assert created["CodeSize"] == (tmp_path / "app.py").stat().st_size
    first = invoke(lam, name)
    assert first == {"version": 1, "cwd": str(tmp_path / "app.py")}
    write_handler(tmp_path, 2)
    assert wait_for_version(lam, name, 2)["version"] == 2
    configuration = lam.get_function_configuration(FunctionName=name)
    assert configuration["CodeSha256"] != created["CodeSha256"]
    assert configuration["RevisionId"] != created["RevisionId"]
    # the worker writes no bytecode cache into the user's folder
    assert not (tmp_path / "__pycache__").exists()


def test_new_file_is_picked_up(lam: Any, make_function: FunctionFactory, tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text(
        "def handler(event, context):\n"
        "    try:\n"
        "        import extra\n"
        "    except ImportError:\n"
        "        return 'missing'\n"
        "    return extra.VALUE\n"
    )
    name = make_function(Code=folder_code(tmp_path))["FunctionName"]
    assert invoke(lam, name) == "missing"  # type: ignore[comparison-overlap]
    (tmp_path / "extra.py").write_text("VALUE = 'found'\n")
    deadline = time.monotonic() + 10
    result: Any = None
    while time.monotonic() < deadline and result != "found":
        result = invoke(lam, name)
        time.sleep(0.1)
    assert result == "found"


def test_code_download_zips_the_folder(
    lam: Any, make_function: FunctionFactory, tmp_path: Path
) -> None:
    write_handler(tmp_path, 1)
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "helper.py").write_text("X = 1\n")
    name = make_function(Code=folder_code(tmp_path))["FunctionName"]
    location = lam.get_function(FunctionName=name)["Code"]["Location"]
    body = requests.get(location, timeout=10).content
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        assert sorted(archive.namelist()) == ["app.py", "lib/helper.py"]
        assert archive.read("lib/helper.py") == b"X = 1\n"


def test_published_version_keeps_a_snapshot(
    lam: Any, make_function: FunctionFactory, tmp_path: Path
) -> None:
    write_handler(tmp_path, 1)
    name = make_function(Code=folder_code(tmp_path))["FunctionName"]
    version = lam.publish_version(FunctionName=name)["Version"]
    write_handler(tmp_path, 2)
    assert wait_for_version(lam, name, 2)["version"] == 2
    response = lam.invoke(FunctionName=name, Qualifier=version)
    assert json.loads(response["Payload"].read())["version"] == 1
    assert response["ExecutedVersion"] == version


def test_switch_between_zip_and_folder(
    lam: Any, make_function: FunctionFactory, tmp_path: Path
) -> None:
    name = make_function(
        Code={"ZipFile": make_zip("def handler(event, context):\n    return 'zip'\n")}
    )["FunctionName"]
    assert invoke(lam, name) == "zip"  # type: ignore[comparison-overlap]
    write_handler(tmp_path, 3)
    lam.update_function_code(FunctionName=name, **folder_code(tmp_path))
    assert invoke(lam, name)["version"] == 3
    lam.update_function_code(
        FunctionName=name, ZipFile=make_zip("def handler(event, context):\n    return 'zip2'\n")
    )
    assert invoke(lam, name) == "zip2"  # type: ignore[comparison-overlap]


@pytest.mark.parametrize("key", ["relative/path", "/no/such/folder/anywhere"])
def test_folder_must_exist(lam: Any, make_function: FunctionFactory, key: str) -> None:
    with pytest.raises(lam.exceptions.InvalidParameterValueException) as raised:
        make_function(Code={"S3Bucket": "hot-reload", "S3Key": key})
    assert raised.value.response["Error"]["Message"] == (
        "S3Key of the hot-reload bucket must be the absolute path of a folder on the gureum "
        f"machine: {key}"
    )


def test_aws_cli_create_function_from_folder(endpoint: str, lam: Any, tmp_path: Path) -> None:
    """The README's command: the AWS CLI's shorthand for Code with the hot-reload bucket."""
    write_handler(tmp_path, 7)
    name = unique_name("cli-fn")
    created = aws_cli(
        endpoint,
        "lambda",
        "create-function",
        "--function-name",
        name,
        "--runtime",
        "python3.12",
        "--handler",
        "app.handler",
        "--role",
        "arn:aws:iam::000000000000:role/dev",
        "--code",
        f"S3Bucket=hot-reload,S3Key={tmp_path}",
    )
    try:
        assert created.returncode == 0, created.stderr
        assert json.loads(created.stdout)["FunctionName"] == name
        assert invoke(lam, name)["version"] == 7
    finally:
        lam.delete_function(FunctionName=name)


def test_unreadable_and_special_files_are_left_out(
    lam: Any, make_function: FunctionFactory, tmp_path: Path
) -> None:
    """A file whose read fails (/proc's mem: EIO) once made PublishVersion and the code
    download answer 500; a pipe made them hang. Both are left out of the snapshot."""
    write_handler(tmp_path, 1)
    (tmp_path / "mem").symlink_to("/proc/self/mem")
    os.mkfifo(tmp_path / "pipe")
    name = make_function(Code=folder_code(tmp_path))["FunctionName"]
    published = lam.publish_version(FunctionName=name)
    assert published["ResponseMetadata"]["HTTPStatusCode"] == 201
    location = lam.get_function(FunctionName=name)["Code"]["Location"]
    with zipfile.ZipFile(io.BytesIO(requests.get(location, timeout=10).content)) as archive:
        assert archive.namelist() == ["app.py"]
    response = lam.invoke(FunctionName=name, Qualifier=published["Version"])
    assert json.loads(response["Payload"].read())["version"] == 1


TOO_LARGE = "Unzipped size must be smaller than 262144000 bytes"


def test_folder_over_the_unzipped_limit_is_refused(
    lam: Any, make_function: FunctionFactory, tmp_path: Path
) -> None:
    """A folder such as / once had every file of the machine walked (CreateFunction) or read
    into memory (PublishVersion) until the server stalled; the 250 MB unzipped package limit
    now stops the walk early."""
    write_handler(tmp_path, 1)
    big = tmp_path / "big.bin"
    with big.open("wb") as file:  # sparse: the size without the disk space
        file.truncate(262144000)
    with pytest.raises(lam.exceptions.InvalidParameterValueException) as raised:
        make_function(Code=folder_code(tmp_path))
    assert raised.value.response["Error"]["Message"] == TOO_LARGE
    big.unlink()
    name = make_function(Code=folder_code(tmp_path))["FunctionName"]
    with big.open("wb") as file:
        file.truncate(262144000)
    with pytest.raises(lam.exceptions.InvalidParameterValueException) as raised:
        lam.publish_version(FunctionName=name)
    assert raised.value.response["Error"]["Message"] == TOO_LARGE
    with pytest.raises(lam.exceptions.InvalidParameterValueException) as raised:
        lam.update_function_code(FunctionName=name, **folder_code(Path("/")))
    assert raised.value.response["Error"]["Message"] == TOO_LARGE
    time.sleep(0.3)  # past the folder check interval, so the next look re-reads the folder
    with pytest.raises(lam.exceptions.InvalidParameterValueException) as raised:
        lam.get_function_configuration(FunctionName=name)
    assert raised.value.response["Error"]["Message"] == TOO_LARGE
    # an oversized folder must not stop the code being replaced or the function deleted
    # (deleting once failed this test's teardown)
    lam.update_function_code(FunctionName=name, ZipFile=make_zip(), DryRun=True)
    lam.delete_function(FunctionName=name)
    with pytest.raises(lam.exceptions.ResourceNotFoundException):
        lam.get_function_configuration(FunctionName=name)


def test_invoke_after_the_folder_is_removed(
    lam: Any, make_function: FunctionFactory, tmp_path: Path
) -> None:
    """Once answered ResourceNotFoundException "Function not found" for a function that
    GetFunction still showed."""
    folder = tmp_path / "code"
    folder.mkdir()
    write_handler(folder, 1)
    name = make_function(Code=folder_code(folder))["FunctionName"]
    assert invoke(lam, name)["version"] == 1
    (folder / "app.py").unlink()
    folder.rmdir()
    deadline = time.monotonic() + 10
    while True:  # the running worker serves until the next folder check retires it
        try:
            lam.invoke(FunctionName=name)["Payload"].read()
        except lam.exceptions.InvalidParameterValueException as error:
            message = error.response["Error"]["Message"]
            break
        assert time.monotonic() < deadline
        time.sleep(0.1)
    assert message == f"The function's hot-reload folder is gone: {folder}"
    assert lam.get_function(FunctionName=name)["Configuration"]["FunctionName"] == name
