"""Aliases: named pointers to a version of a function (optionally sending a share of the
invocations to a second version: ``RoutingConfig.AdditionalVersionWeights``), stored as catalog
records of kind ``lambda-alias``; CreateAlias, GetAlias, UpdateAlias, DeleteAlias, ListAliases;
and :func:`select`, which turns a Qualifier (version, alias or ``$LATEST``) into the version it
names."""

from __future__ import annotations

import dataclasses
import random
import uuid
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

import orjson

from gureum.services.lambda_ import errors, limits
from gureum.services.lambda_.functions import LATEST, Function
from gureum.services.lambda_.paging import marker_page

if TYPE_CHECKING:
    from collections.abc import Callable

    from gureum.core.context import RequestContext
    from gureum.services.lambda_.versions import Finder, VersionStore
    from gureum.storage.engine import Engine

ALIAS_KIND = "lambda-alias"
_PREFIX = "lambda:alias:"


@dataclass(slots=True)
class Alias:
    account: str
    region: str
    function: str
    name: str
    function_version: str
    description: str = ""
    weights: dict[str, float] = field(default_factory=dict)
    revision_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    entry_id: int = 0

    def arn(self, function: Function) -> str:
        return f"{function.unqualified_arn}:{self.name}"

    def configuration(self, function: Function) -> dict[str, Any]:
        out: dict[str, Any] = {
            "AliasArn": self.arn(function),
            "Name": self.name,
            "FunctionVersion": self.function_version,
            "Description": self.description,
        }
        if self.weights:
            out["RoutingConfig"] = {"AdditionalVersionWeights": dict(self.weights)}
        out["RevisionId"] = self.revision_id
        return out

    def pick(self) -> str:
        """The version an invocation through this alias runs: the additional version with
        its weight's probability, else the alias's own."""
        for version, weight in self.weights.items():
            if random.random() < weight:
                return version
        return self.function_version

    def to_document(self) -> bytes:
        document = asdict(self)
        del document["entry_id"]
        return orjson.dumps(document)


class AliasStore:
    """Every alias, by function and name, kept in the engine's catalog."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._aliases: dict[tuple[str, str, str], dict[str, Alias]] = {}
        for entry in engine.records(ALIAS_KIND):
            alias = Alias(**orjson.loads(entry.document), entry_id=entry.id)
            self._aliases.setdefault(_key(alias), {})[alias.name] = alias

    def get(self, account: str, region: str, function: str, name: str) -> Alias | None:
        return self._aliases.get((account, region, function), {}).get(name)

    def of(self, account: str, region: str, function: str) -> list[Alias]:
        """A function's aliases, by name."""
        aliases = self._aliases.get((account, region, function), {})
        return [aliases[n] for n in sorted(aliases)]

    def add(self, alias: Alias) -> None:
        alias.entry_id = self._engine.create_record(
            ALIAS_KIND,
            alias.account,
            alias.region,
            f"{_PREFIX}{alias.function}:{alias.name}",
            alias.to_document(),
            with_items=False,
        )
        self._aliases.setdefault(_key(alias), {})[alias.name] = alias

    def save(self, alias: Alias) -> None:
        self._engine.update_entry(alias.entry_id, alias.to_document())

    def remove(self, alias: Alias) -> None:
        self._engine.drop_entry(alias.entry_id)
        aliases = self._aliases.get(_key(alias), {})
        aliases.pop(alias.name, None)
        if not aliases:
            self._aliases.pop(_key(alias), None)

    def remove_all(self, account: str, region: str, function: str) -> None:
        for alias in self.of(account, region, function):
            self.remove(alias)


def _key(alias: Alias) -> tuple[str, str, str]:
    return alias.account, alias.region, alias.function


def select(
    function: Function,
    qualifier: str,
    versions: VersionStore,
    aliases: AliasStore,
    *,
    route: bool,
) -> Function:
    """The version ``qualifier`` names of ``function`` ($LATEST), as a copy whose FunctionArn
    is the qualified ARN; for an alias, its own version, or with ``route`` (an invocation) the
    one its routing configuration picks."""
    arn = f"{function.unqualified_arn}:{qualifier}"
    alias = None
    target = qualifier
    if not qualifier.isdigit() and qualifier != LATEST:
        alias = aliases.get(function.account, function.region, function.name, qualifier)
        if alias is None:
            raise errors.function_not_found(arn)
        target = alias.pick() if route else alias.function_version
    version = _version(function, target, versions)
    if version is None:
        raise errors.function_not_found(arn)
    return dataclasses.replace(version, invoked_as=arn)


def _version(function: Function, number: str, versions: VersionStore) -> Function | None:
    if number == LATEST:
        return function
    return versions.get(function.account, function.region, function.name, number)


class AliasWatcher(Protocol):
    """What follows aliases (provisioned concurrency): told before an alias moves to another
    version (it may refuse) and after each update."""

    def alias_moving(self, alias: Alias, version: str) -> None: ...

    def alias_updated(self, alias: Alias) -> None: ...


class Aliases:
    """CreateAlias, GetAlias, UpdateAlias, DeleteAlias, ListAliases."""

    def __init__(
        self,
        versions: VersionStore,
        aliases: AliasStore,
        find: Finder,
        deleted: Callable[[Alias], None],
        watcher: AliasWatcher,
    ) -> None:
        """``deleted`` is told of each deleted alias (its event invoke config goes too),
        ``watcher`` of each update (provisioned workers follow the alias)."""
        self._versions = versions
        self._aliases = aliases
        self._find = find
        self._deleted = deleted
        self._watcher = watcher
        self.operations = {
            "CreateAlias": self.create_alias,
            "GetAlias": self.get_alias,
            "UpdateAlias": self.update_alias,
            "DeleteAlias": self.delete_alias,
            "ListAliases": self.list_aliases,
        }

    def create_alias(self, ctx: RequestContext, request: dict[str, Any]) -> dict[str, Any]:
        target = request["FunctionVersion"]
        function = self._find(ctx, request["FunctionName"], target)
        self._check_version(function, target)
        name = request["Name"]
        existing = self._aliases.get(function.account, function.region, function.name, name)
        if existing is not None:
            raise errors.alias_exists(existing.arn(function))
        alias = Alias(
            account=function.account,
            region=function.region,
            function=function.name,
            name=name,
            function_version=target,
            description=request.get("Description") or "",
            weights=self._weights(function, target, request.get("RoutingConfig")),
        )
        self._aliases.add(alias)
        return alias.configuration(function)

    def get_alias(self, ctx: RequestContext, request: dict[str, Any]) -> dict[str, Any]:
        function = self._find(ctx, request["FunctionName"])
        alias = self._aliases.get(function.account, function.region, function.name, request["Name"])
        if alias is None:
            raise errors.alias_not_found_get(f"{function.unqualified_arn}:{request['Name']}")
        return alias.configuration(function)

    def update_alias(self, ctx: RequestContext, request: dict[str, Any]) -> dict[str, Any]:
        function = self._find(ctx, request["FunctionName"])
        alias = self._existing(function, request["Name"])
        revision = request.get("RevisionId")
        if revision is not None and revision != alias.revision_id:
            raise errors.revision_mismatch()
        target = request.get("FunctionVersion", alias.function_version)
        if "FunctionVersion" in request:
            self._check_version(function, target)
            self._watcher.alias_moving(alias, target)
        weights = alias.weights
        if "RoutingConfig" in request:
            weights = self._weights(function, target, request["RoutingConfig"])
        elif weights:
            weights = self._weights(function, target, {"AdditionalVersionWeights": weights})
        alias.function_version = target
        alias.weights = weights
        if "Description" in request:
            alias.description = request["Description"]
        alias.revision_id = str(uuid.uuid4())
        self._aliases.save(alias)
        self._watcher.alias_updated(alias)
        return alias.configuration(function)

    def delete_alias(self, ctx: RequestContext, request: dict[str, Any]) -> dict[str, Any]:
        function = self._find(ctx, request["FunctionName"])
        alias = self._aliases.get(function.account, function.region, function.name, request["Name"])
        if alias is not None:  # deleting an alias that is not there succeeds, as on AWS
            self._aliases.remove(alias)
            self._deleted(alias)
        return {}

    def list_aliases(self, ctx: RequestContext, request: dict[str, Any]) -> dict[str, Any]:
        function = self._find(ctx, request["FunctionName"])
        aliases = self._aliases.of(function.account, function.region, function.name)
        wanted = request.get("FunctionVersion")
        if wanted is not None:
            aliases = [a for a in aliases if a.function_version == wanted]
        page, next_marker = marker_page(
            aliases, lambda a: a.name, request, limits.DEFAULT_LIST_ITEMS
        )
        out: dict[str, Any] = {"Aliases": [a.configuration(function) for a in page]}
        if next_marker is not None:
            out["NextMarker"] = next_marker
        return out

    # --- checks

    def _existing(self, function: Function, name: str) -> Alias:
        alias = self._aliases.get(function.account, function.region, function.name, name)
        if alias is None:
            raise errors.alias_not_found(f"{function.unqualified_arn}:{name}")
        return alias

    def _check_version(self, function: Function, number: str) -> None:
        if _version(function, number, self._versions) is None:
            raise errors.function_not_found(f"{function.unqualified_arn}:{number}")

    def _weights(
        self, function: Function, target: str, routing: dict[str, Any] | None
    ) -> dict[str, float]:
        weights: dict[str, float] = dict((routing or {}).get("AdditionalVersionWeights") or {})
        if len(weights) > limits.MAX_ALIAS_ADDITIONAL_VERSIONS:
            raise errors.too_many_weights()
        for version in weights:
            if version == target:
                raise errors.version_already_routed(version)
            if target == LATEST:
                raise errors.latest_with_routing()
            self._check_version(function, version)
        return weights
