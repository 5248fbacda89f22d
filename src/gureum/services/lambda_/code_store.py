"""Deployment packages: each function's zip, in item storage of a catalog record of its own
(kind ``lambda-code``), so a function's configuration record stays small and loads fast."""

from __future__ import annotations

import base64
import hashlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from gureum.storage.engine import Engine, Key

CODE_KIND = "lambda-code"
_ZIP_KEY: Key = (0, b"zip", b"")


def code_sha256(data: bytes) -> str:
    """Lambda's CodeSha256: the base64 of the package's SHA-256."""
    return base64.b64encode(hashlib.sha256(data).digest()).decode("ascii")


class CodeStore:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        # (account, region, function name) -> record id
        self._ids: dict[tuple[str, str, str], int] = {
            (e.account, e.region, e.name.removeprefix("lambda:code:")): e.id
            for e in engine.records(CODE_KIND)
        }

    def put(self, account: str, region: str, name: str, data: bytes) -> None:
        """Store (or replace) the package of a function."""
        entry_id = self._ids.get((account, region, name))
        if entry_id is None:
            entry_id = self._engine.create_record(
                CODE_KIND, account, region, f"lambda:code:{name}", b"{}", with_items=True
            )
            self._ids[account, region, name] = entry_id
        with self._engine.transaction() as tx:
            tx.put(entry_id, _ZIP_KEY, len(data), data)

    def get(self, account: str, region: str, name: str) -> bytes | None:
        entry_id = self._ids.get((account, region, name))
        if entry_id is None:
            return None
        row = self._engine.get(entry_id, _ZIP_KEY)
        return None if row is None else bytes(row[1])

    def delete(self, account: str, region: str, name: str) -> None:
        entry_id = self._ids.pop((account, region, name), None)
        if entry_id is not None:
            self._engine.drop_entry(entry_id)
