"""Settings kept per function qualifier ($LATEST, a version or an alias), one catalog record
each: event invoke configs, provisioned concurrency configs."""

from __future__ import annotations

from dataclasses import asdict
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar

import orjson

if TYPE_CHECKING:
    from collections.abc import Callable

    from gureum.storage.engine import Engine

Key = tuple[str, str, str, str]  # (account, region, function name, qualifier)


class Qualified(Protocol):
    """A dataclass with these fields (``entry_id`` is its record's, not stored in it)."""

    account: str
    region: str
    function: str
    qualifier: str
    entry_id: int


T = TypeVar("T", bound=Qualified)


class QualifiedStore(Generic[T]):
    """The records of one catalog ``kind``, named ``<prefix><function>:<qualifier>``, held in
    memory by (account, region, function, qualifier)."""

    def __init__(self, engine: Engine, kind: str, prefix: str, load: Callable[..., T]) -> None:
        """``load(**fields, entry_id=...)`` makes an entry from its stored fields."""
        self._engine = engine
        self._kind = kind
        self._prefix = prefix
        self._entries: dict[Key, T] = {}
        for record in engine.records(kind):
            fields: dict[str, Any] = orjson.loads(record.document)
            entry = load(**fields, entry_id=record.id)
            self._entries[_key(entry)] = entry

    def get(self, account: str, region: str, name: str, qualifier: str) -> T | None:
        return self._entries.get((account, region, name, qualifier))

    def of(self, account: str, region: str, name: str) -> list[T]:
        """A function's entries, ordered by qualifier."""
        found = [e for k, e in self._entries.items() if k[:3] == (account, region, name)]
        return sorted(found, key=lambda e: e.qualifier)

    def all(self) -> list[T]:
        return list(self._entries.values())

    def put(self, entry: T) -> None:
        """Store ``entry``, replacing the one of its qualifier."""
        old = self._entries.get(_key(entry))
        document = _document(entry)
        if old is not None:
            entry.entry_id = old.entry_id
            self._engine.update_entry(entry.entry_id, document)
        else:
            name = f"{self._prefix}{entry.function}:{entry.qualifier}"
            entry.entry_id = self._engine.create_record(
                self._kind, entry.account, entry.region, name, document, with_items=False
            )
        self._entries[_key(entry)] = entry

    def forget(self, account: str, region: str, name: str, qualifier: str | None = None) -> None:
        """Drop the entry of one qualifier, or (``qualifier`` None) every entry of the
        function (it was deleted)."""
        keys = [
            k
            for k in self._entries
            if k[:3] == (account, region, name) and (qualifier is None or k[3] == qualifier)
        ]
        for key in keys:
            self._engine.drop_entry(self._entries.pop(key).entry_id)


def _key(entry: Qualified) -> Key:
    return entry.account, entry.region, entry.function, entry.qualifier


def _document(entry: Any) -> bytes:
    document = asdict(entry)
    del document["entry_id"]
    return orjson.dumps(document)
