"""The tables of every account and region: an in-memory map over the engine's catalog.

The engine holds the truth; this map holds the parsed definitions the request path needs,
so finding a table costs one dict lookup.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from gureum.core.arns import parse_arn
from gureum.core.errors import constraint_violations
from gureum.services.dynamodb import errors, limits
from gureum.services.dynamodb.model import Table

if TYPE_CHECKING:
    from gureum.core.context import RequestContext
    from gureum.storage.engine import Engine

_TABLE_NAME = re.compile(r"[a-zA-Z0-9_.-]+")
_TABLE_ARN = re.compile(r"table/([^/]+)")

TableKey = tuple[str, str, str]  # (account, region, name)


def table_name_violations(name: str, member: str = "tableName") -> list[str]:
    """The front end's constraint texts for a bad table name (empty list: the name is fine)."""
    out = []
    if len(name) < limits.MIN_TABLE_NAME_LENGTH:
        out.append(
            f"Value '{name}' at '{member}' failed to satisfy constraint: "
            f"Member must have length greater than or equal to {limits.MIN_TABLE_NAME_LENGTH}"
        )
    if len(name) > limits.MAX_TABLE_NAME_LENGTH:
        out.append(
            f"Value '{name}' at '{member}' failed to satisfy constraint: "
            f"Member must have length less than or equal to {limits.MAX_TABLE_NAME_LENGTH}"
        )
    if not _TABLE_NAME.fullmatch(name):
        out.append(
            f"Value '{name}' at '{member}' failed to satisfy constraint: "
            "Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+"
        )
    return out


class TableCatalog:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._tables: dict[TableKey, Table] = {}
        for entry in engine.catalog():
            table = Table.from_document(
                entry.id, entry.account, entry.region, entry.name, entry.document
            )
            self._tables[entry.account, entry.region, entry.name] = table

    def locate(self, ctx: RequestContext, name_or_arn: str) -> TableKey:
        """Where a TableName parameter points (a name in the caller's region, or an ARN of a
        table of the caller's account and region); raises the front end's ValidationException
        for a malformed name, and AWS's errors for an ARN of another region or account."""
        if name_or_arn.startswith("arn:"):
            parsed = parse_arn(name_or_arn)
            match = _TABLE_ARN.fullmatch(parsed[3]) if parsed else None
            if parsed is None or parsed[0] != "dynamodb" or match is None:
                raise errors.invalid_table_arn(name_or_arn)
            name = match.group(1)
            if violations := table_name_violations(name):
                raise constraint_violations(violations)
            if parsed[1] != ctx.region:
                raise errors.invalid_region(name_or_arn)
            if parsed[2] != ctx.account:
                raise errors.access_denied()
            return parsed[2], parsed[1], name
        if violations := table_name_violations(name_or_arn):
            raise constraint_violations(violations)
        return ctx.account, ctx.region, name_or_arn

    def lookup(self, ctx: RequestContext, name_or_arn: str) -> Table | None:
        """The table a request names, or None; a malformed name is refused."""
        table = self._tables.get((ctx.account, ctx.region, name_or_arn))
        if table is not None:
            return table
        return self._tables.get(self.locate(ctx, name_or_arn))

    def find(self, ctx: RequestContext, name_or_arn: str, *, name_missing: bool = False) -> Table:
        """The table a request names; ResourceNotFoundException if there is none (naming the
        table in the message, as the table operations do, with ``name_missing``)."""
        table = self.lookup(ctx, name_or_arn)
        if table is None:
            name = self.locate(ctx, name_or_arn)[2]
            raise errors.table_not_found(name if name_missing else None)
        return table

    def get(self, key: TableKey) -> Table | None:
        return self._tables.get(key)

    def names(self, account: str, region: str) -> list[str]:
        return sorted(n for a, r, n in self._tables if a == account and r == region)

    def count(self, account: str, region: str) -> int:
        return sum(1 for a, r, _ in self._tables if a == account and r == region)

    def all(self) -> list[Table]:
        return list(self._tables.values())

    def add(self, table: Table) -> None:
        self._tables[table.account, table.region, table.name] = table

    def save(self, table: Table) -> None:
        """Persist a changed definition (and drop what was derived from the old one)."""
        table.index_plans = None
        self._engine.update_entry(table.id, table.to_document())

    def remove(self, table: Table) -> None:
        self._engine.drop_entry(table.id)
        self._tables.pop((table.account, table.region, table.name), None)
