"""Functions and their code survive a restart."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
import requests

from conftest import GureumProcess
from lambda_.conftest import create_function, make_zip

if TYPE_CHECKING:
    from pathlib import Path


@pytest.mark.gureum_own
def test_survives_restart(tmp_path: Path) -> None:
    package = make_zip("def handler(e, c):\n    return 'kept'\n")
    server = GureumProcess(tmp_path)
    server.start()
    try:
        created = create_function(
            server.client("lambda"),
            FunctionName="kept",
            Code={"ZipFile": package},
            Tags={"k": "v"},
        )
    finally:
        server.stop()
    server = GureumProcess(tmp_path)
    server.start()
    try:
        client = server.client("lambda")
        got = client.get_function(FunctionName="kept")
        assert got["Configuration"]["CodeSha256"] == created["CodeSha256"]
        assert got["Configuration"]["RevisionId"] == created["RevisionId"]
        assert got["Tags"] == {"k": "v"}
        assert requests.get(got["Code"]["Location"], timeout=5).content == package
    finally:
        server.stop()
