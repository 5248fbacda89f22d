"""Provisioned concurrency: how many execution environments a published version or an alias
keeps initialized in advance, stored as catalog records of kind
``lambda-provisioned-concurrency``; PutProvisionedConcurrencyConfig,
GetProvisionedConcurrencyConfig, DeleteProvisionedConcurrencyConfig,
ListProvisionedConcurrencyConfigs.

A config names its qualifier; the workers belong to the version it resolves to (an alias's
``FunctionVersion``), which the runner keeps started (:meth:`Runner.provision`). The status is
the runner's progress: IN_PROGRESS until every worker is started, then READY, FAILED when an
init failed. Configs are applied again when the server starts (:meth:`resume`)."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from gureum.core.errors import ServiceError
from gureum.services.lambda_ import errors, limits
from gureum.services.lambda_.functions import LATEST, function_arn
from gureum.services.lambda_.paging import marker_page
from gureum.services.lambda_.qualified_store import QualifiedStore
from gureum.services.lambda_.references import split_reference

if TYPE_CHECKING:
    from collections.abc import Callable

    from gureum.core.clock import Clock
    from gureum.core.context import RequestContext
    from gureum.services.lambda_.aliases import Alias, AliasStore
    from gureum.services.lambda_.concurrency import Concurrency
    from gureum.services.lambda_.functions import Function
    from gureum.services.lambda_.runner import Runner
    from gureum.services.lambda_.versions import Finder, VersionStore
    from gureum.storage.engine import Engine

    # the zip of a version: (account, region, function name, version)
    CodeSource = Callable[[str, str, str, str], bytes | None]

PROVISIONED_CONCURRENCY_KIND = "lambda-provisioned-concurrency"
_PREFIX = "lambda:provisioned-concurrency:"


@dataclass(slots=True)
class ProvisionedConfig:
    account: str
    region: str
    function: str
    qualifier: str  # a version number or an alias name
    requested: int
    last_modified: float
    entry_id: int = 0

    @property
    def arn(self) -> str:
        return f"{function_arn(self.region, self.account, self.function)}:{self.qualifier}"


class ProvisionedStore(QualifiedStore[ProvisionedConfig]):
    """Every config, by (account, region, function name, qualifier), in the engine's catalog."""

    def __init__(self, engine: Engine) -> None:
        super().__init__(engine, PROVISIONED_CONCURRENCY_KIND, _PREFIX, ProvisionedConfig)

    def total(self, account: str, region: str, name: str) -> int:
        """The function's provisioned concurrency: its configs' together."""
        return sum(c.requested for c in self.of(account, region, name))


class ProvisionedConcurrency:
    """The four operations, and the upkeep of the runner's provisioned workers."""

    def __init__(
        self,
        store: ProvisionedStore,
        concurrency: Concurrency,
        runner: Runner,
        clock: Clock,
        find: Finder,
        versions: VersionStore,
        aliases: AliasStore,
        code: CodeSource,
    ) -> None:
        self._store = store
        self._concurrency = concurrency
        self._runner = runner
        self._clock = clock
        self._find = find
        self._versions = versions
        self._aliases = aliases
        self._code = code
        self.operations = {
            "PutProvisionedConcurrencyConfig": self.put_provisioned_concurrency_config,
            "GetProvisionedConcurrencyConfig": self.get_provisioned_concurrency_config,
            "DeleteProvisionedConcurrencyConfig": self.delete_provisioned_concurrency_config,
            "ListProvisionedConcurrencyConfigs": self.list_provisioned_concurrency_configs,
        }

    def put_provisioned_concurrency_config(
        self, ctx: RequestContext, request: dict[str, Any]
    ) -> dict[str, Any]:
        function, qualifier = self._target(ctx, request, errors.provisioned_on_latest)
        account, region, name = function.account, function.region, function.name
        alias = self._aliases.get(account, region, name, qualifier)
        if alias is not None and alias.function_version == LATEST:  # AWS: the same text
            raise errors.provisioned_on_latest()
        wanted: int = request["ProvisionedConcurrentExecutions"]
        old = self._store.get(account, region, name, qualifier)
        own = old.requested if old is not None else 0
        if function.reserved_concurrency is not None:
            others = self._store.total(account, region, name) - own
            if others + wanted > function.reserved_concurrency:
                raise errors.provisioned_above_reserved()
        else:
            unreserved = self._concurrency.unreserved(account, region) + own
            if wanted > unreserved:
                raise errors.provisioned_above_unreserved(unreserved)
            if unreserved - wanted < limits.MIN_UNRESERVED_CONCURRENCY:
                raise errors.provisioned_below_minimum(limits.MIN_UNRESERVED_CONCURRENCY)
        self._check_conflicts(function, qualifier)
        config = ProvisionedConfig(account, region, name, qualifier, wanted, self._clock.now())
        self._store.put(config)
        version = self._version_of(config)
        assert version is not None  # _target checked the alias
        self._apply(account, region, name, version)
        # AWS answers before any environment is allocated
        return _description(config, 0, "IN_PROGRESS", None)

    def get_provisioned_concurrency_config(
        self, ctx: RequestContext, request: dict[str, Any]
    ) -> dict[str, Any]:
        function, qualifier = self._target(ctx, request, errors.provisioned_needs_alias_or_version)
        config = self._store.get(function.account, function.region, function.name, qualifier)
        if config is None:
            raise errors.provisioned_config_not_found()
        return self._describe(config)

    def delete_provisioned_concurrency_config(
        self, ctx: RequestContext, request: dict[str, Any]
    ) -> dict[str, Any]:
        function, qualifier = self._target(ctx, request, errors.provisioned_needs_alias_or_version)
        account, region, name = function.account, function.region, function.name
        config = self._store.get(account, region, name, qualifier)
        if config is not None:  # deleting a config that is not there succeeds, as on AWS
            version = self._version_of(config)
            self._store.forget(account, region, name, qualifier)
            if version is not None:
                self._apply(account, region, name, version)
        return {}

    def list_provisioned_concurrency_configs(
        self, ctx: RequestContext, request: dict[str, Any]
    ) -> dict[str, Any]:
        function = self._find(ctx, request["FunctionName"])
        configs = self._store.of(function.account, function.region, function.name)
        page, next_marker = marker_page(
            configs,
            lambda c: c.qualifier,
            request,
            limits.MAX_PROVISIONED_CONCURRENCY_LIST_ITEMS,
        )
        items = [{"FunctionArn": c.arn, **self._describe(c)} for c in page]
        out: dict[str, Any] = {"ProvisionedConcurrencyConfigs": items}
        if next_marker is not None:
            out["NextMarker"] = next_marker
        return out

    # --- upkeep

    def resume(self) -> None:
        """Start the provisioned workers of every config again (once the event loop runs)."""
        for account, region, name in {(c.account, c.region, c.function) for c in self._store.all()}:
            self._apply_function(account, region, name)

    def forget(self, account: str, region: str, name: str, qualifier: str | None = None) -> None:
        """A function (``qualifier`` None) or one of its versions was deleted: its configs
        go (the runner has retired the workers already)."""
        self._store.forget(account, region, name, qualifier)

    def alias_deleted(self, alias: Alias) -> None:
        """An alias was deleted: its config goes, and its version keeps only the workers of
        other configs."""
        if self._store.get(alias.account, alias.region, alias.function, alias.name) is not None:
            self._store.forget(alias.account, alias.region, alias.function, alias.name)
            self._apply(alias.account, alias.region, alias.function, alias.function_version)

    def alias_moving(self, alias: Alias, version: str) -> None:
        """An alias with a config cannot move to ``$LATEST`` ([gureum] PutProvisioned-
        ConcurrencyConfig's text: AWS's answer to this UpdateAlias is not recorded)."""
        config = self._store.get(alias.account, alias.region, alias.function, alias.name)
        if config is not None and version == LATEST:
            raise errors.provisioned_on_latest()

    def alias_updated(self, alias: Alias) -> None:
        """An alias was updated: the workers of its config follow it to its version."""
        if self._store.get(alias.account, alias.region, alias.function, alias.name) is not None:
            # every version: the one the alias left keeps only other configs' workers
            self._apply_function(alias.account, alias.region, alias.function)

    # --- helpers

    def _apply_function(self, account: str, region: str, name: str) -> None:
        """Apply every config of one function (each of its versions' totals)."""
        for version in self._versions.of(account, region, name):
            self._apply(account, region, name, version.version)

    def _target(
        self,
        ctx: RequestContext,
        request: dict[str, Any],
        on_latest: Callable[[], ServiceError],
    ) -> tuple[Function, str]:
        """The function ($LATEST) and the existing version or alias a request names."""
        reference = request["FunctionName"]
        account, region, name, suffix = split_reference(reference)
        qualifier = request.get("Qualifier") or None
        if suffix and qualifier and suffix != qualifier:
            raise errors.qualifier_mismatch()
        qualifier = qualifier or suffix or LATEST
        if qualifier == LATEST:
            raise on_latest()
        is_alias = not qualifier.isdigit()
        arn = f"{function_arn(region or ctx.region, account or ctx.account, name)}:{qualifier}"
        try:
            function = self._find(ctx, reference, qualifier)
        except ServiceError as error:
            if is_alias and error.code == "ResourceNotFoundException":
                raise errors.alias_not_found_get(arn) from None
            raise
        account, region, name = function.account, function.region, function.name
        if is_alias and self._aliases.get(account, region, name, qualifier) is None:
            raise errors.alias_not_found_get(arn)
        if not is_alias and self._versions.get(account, region, name, qualifier) is None:
            raise errors.function_not_found(arn)
        return function, qualifier

    def _check_conflicts(self, function: Function, qualifier: str) -> None:
        """A version's workers come from its own config or from its aliases', never both."""
        account, region, name = function.account, function.region, function.name
        if not qualifier.isdigit():
            alias = self._aliases.get(account, region, name, qualifier)
            assert alias is not None
            if self._store.get(account, region, name, alias.function_version) is not None:
                raise errors.alias_on_provisioned_version()
            return
        for alias in self._aliases.of(account, region, name):
            if alias.function_version == qualifier and self._store.get(
                account, region, name, alias.name
            ):
                raise errors.version_of_provisioned_alias()

    def _version_of(self, config: ProvisionedConfig) -> str | None:
        """The version a config's workers belong to (None: its alias is gone)."""
        if config.qualifier.isdigit():
            return config.qualifier
        alias = self._aliases.get(config.account, config.region, config.function, config.qualifier)
        return alias.function_version if alias is not None else None

    def _apply(self, account: str, region: str, name: str, version: str) -> None:
        """Tell the runner how many workers the version keeps: its configs' together."""
        function = self._versions.get(account, region, name, version)
        if function is None:
            return
        total = sum(
            c.requested
            for c in self._store.of(account, region, name)
            if self._version_of(c) == version
        )

        def code() -> bytes | None:
            return self._code(account, region, name, version)

        self._runner.provision(function, code, total)

    def _describe(self, config: ProvisionedConfig) -> dict[str, Any]:
        version = self._version_of(config)
        if version is None:
            return _description(config, 0, "IN_PROGRESS", None)
        live, wanted, failure = self._runner.provisioned_state(
            config.account, config.region, config.function, version
        )
        allocated = min(live, config.requested)
        if failure is not None:
            return _description(config, allocated, "FAILED", failure)
        status = "READY" if wanted and live >= wanted else "IN_PROGRESS"
        return _description(config, allocated, status, None)


def _description(
    config: ProvisionedConfig, allocated: int, status: str, reason: str | None
) -> dict[str, Any]:
    """The shape Put and Get answer (a list item adds FunctionArn)."""
    out: dict[str, Any] = {
        "RequestedProvisionedConcurrentExecutions": config.requested,
        "AvailableProvisionedConcurrentExecutions": allocated,
        "AllocatedProvisionedConcurrentExecutions": allocated,
        "Status": status,
    }
    if reason is not None:
        out["StatusReason"] = reason
    out["LastModified"] = _timestamp(config.last_modified)
    return out


def _timestamp(seconds: float) -> str:
    """This API's LastModified: ``2019-12-31T20:28:49+0000``, whole seconds (FunctionConfiguration's
    has milliseconds), as the AWS CLI's examples show it."""
    return time.strftime("%Y-%m-%dT%H:%M:%S+0000", time.gmtime(seconds))
