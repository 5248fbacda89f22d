"""Deployment packages: the zip of each function's ``$LATEST`` and of each published version,
in item storage of a catalog record of its own (kind ``lambda-code``), so a function's
configuration record stays small and loads fast. A version keeps its own copy: UpdateFunctionCode
replaces ``$LATEST``'s zip only."""

from __future__ import annotations

import base64
import hashlib
from typing import TYPE_CHECKING

from gureum.services.lambda_.functions import LATEST

if TYPE_CHECKING:
    from gureum.storage.engine import Engine, Key

CODE_KIND = "lambda-code"
_PREFIX = "lambda:code:"
_ZIP_KEY: Key = (0, b"zip", b"")

# (account, region, function name, version)
CodeKey = tuple[str, str, str, str]


def code_sha256(data: bytes) -> str:
    """Lambda's CodeSha256: the base64 of the package's SHA-256."""
    return base64.b64encode(hashlib.sha256(data).digest()).decode("ascii")


def _record_name(name: str, version: str) -> str:
    # $LATEST keeps the record name it had before versions existed
    return _PREFIX + name if version == LATEST else f"{_PREFIX}{name}:{version}"


def _key_of(account: str, region: str, record: str) -> CodeKey:
    name, _, version = record.removeprefix(_PREFIX).partition(":")
    return account, region, name, version or LATEST


class CodeStore:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._ids: dict[CodeKey, int] = {
            _key_of(e.account, e.region, e.name): e.id for e in engine.records(CODE_KIND)
        }

    def put(self, account: str, region: str, name: str, data: bytes, version: str = LATEST) -> None:
        """Store (or replace) the package of a function's version."""
        key = (account, region, name, version)
        entry_id = self._ids.get(key)
        if entry_id is None:
            entry_id = self._engine.create_record(
                CODE_KIND, account, region, _record_name(name, version), b"{}", with_items=True
            )
            self._ids[key] = entry_id
        with self._engine.transaction() as tx:
            tx.put(entry_id, _ZIP_KEY, len(data), data)

    def get(self, account: str, region: str, name: str, version: str = LATEST) -> bytes | None:
        entry_id = self._ids.get((account, region, name, version))
        if entry_id is None:
            return None
        row = self._engine.get(entry_id, _ZIP_KEY)
        return None if row is None else bytes(row[1])

    def delete(self, account: str, region: str, name: str, version: str | None = None) -> None:
        """Drop the package of one version, or (``version`` None) of every version."""
        keys = [
            k
            for k in self._ids
            if k[:3] == (account, region, name) and (version is None or k[3] == version)
        ]
        for key in keys:
            self._engine.drop_entry(self._ids.pop(key))
