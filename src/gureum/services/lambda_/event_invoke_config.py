"""Asynchronous invocation settings of a function, version or alias (its *event invoke
config*: MaximumRetryAttempts, MaximumEventAgeInSeconds, OnSuccess / OnFailure destinations),
stored as catalog records of kind ``lambda-event-invoke-config``; and their operations
PutFunctionEventInvokeConfig, UpdateFunctionEventInvokeConfig, GetFunctionEventInvokeConfig,
DeleteFunctionEventInvokeConfig, ListFunctionEventInvokeConfigs.

A config belongs to one qualifier (``$LATEST``, a version number or an alias name) and is used
by the asynchronous invocations made through that qualifier only. Settings left out of a Put
are absent from the replies (AWS answers them so) and take Lambda's defaults when used."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from gureum.core.arns import parse_arn
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
    from gureum.services.lambda_.functions import Function
    from gureum.storage.engine import Engine

    Resolver = Callable[[str, str, str], Function]

EVENT_INVOKE_CONFIG_KIND = "lambda-event-invoke-config"
_PREFIX = "lambda:event-invoke-config:"
# destination services AWS accepts that gureum has no service for
_UNDELIVERABLE = frozenset({"sqs", "sns", "events", "s3"})


@dataclass(slots=True)
class EventInvokeConfig:
    account: str
    region: str
    function: str
    qualifier: str
    last_modified: float
    maximum_retry_attempts: int | None = None
    maximum_event_age: int | None = None
    on_success: str | None = None
    on_failure: str | None = None
    entry_id: int = 0

    @property
    def retries(self) -> int:
        if self.maximum_retry_attempts is None:
            return limits.DEFAULT_ASYNC_RETRY_ATTEMPTS
        return self.maximum_retry_attempts

    @property
    def max_age(self) -> int:
        if self.maximum_event_age is None:
            return limits.DEFAULT_MAX_EVENT_AGE_SECONDS
        return self.maximum_event_age

    def description(self) -> dict[str, Any]:
        """The FunctionEventInvokeConfig shape."""
        out: dict[str, Any] = {
            "LastModified": round(self.last_modified, 3),
            "FunctionArn": f"{function_arn(self.region, self.account, self.function)}:"
            f"{self.qualifier}",
        }
        if self.maximum_retry_attempts is not None:
            out["MaximumRetryAttempts"] = self.maximum_retry_attempts
        if self.maximum_event_age is not None:
            out["MaximumEventAgeInSeconds"] = self.maximum_event_age
        out["DestinationConfig"] = {
            "OnSuccess": {"Destination": self.on_success} if self.on_success else {},
            "OnFailure": {"Destination": self.on_failure} if self.on_failure else {},
        }
        return out


class EventInvokeConfigStore(QualifiedStore[EventInvokeConfig]):
    """Every config, by (account, region, function name, qualifier), in the engine's catalog."""

    def __init__(self, engine: Engine) -> None:
        super().__init__(engine, EVENT_INVOKE_CONFIG_KIND, _PREFIX, EventInvokeConfig)


class EventInvokeConfigs:
    """The five event invoke config operations. ``resolve`` is LambdaService.resolve: it
    tells which functions, versions and aliases exist."""

    def __init__(self, store: EventInvokeConfigStore, clock: Clock, resolve: Resolver) -> None:
        self._store = store
        self._clock = clock
        self._resolve = resolve
        self.operations = {
            "PutFunctionEventInvokeConfig": self.put_function_event_invoke_config,
            "UpdateFunctionEventInvokeConfig": self.update_function_event_invoke_config,
            "GetFunctionEventInvokeConfig": self.get_function_event_invoke_config,
            "DeleteFunctionEventInvokeConfig": self.delete_function_event_invoke_config,
            "ListFunctionEventInvokeConfigs": self.list_function_event_invoke_configs,
        }

    def put_function_event_invoke_config(
        self, ctx: RequestContext, request: dict[str, Any]
    ) -> dict[str, Any]:
        _check_settings(request)
        account, region, name, qualifier = self._target(ctx, request)
        self._check_exists(ctx, account, region, name, qualifier)
        on_success, on_failure = self._destinations(ctx, name, request.get("DestinationConfig"))
        config = EventInvokeConfig(
            account,
            region,
            name,
            qualifier,
            self._clock.now(),
            request.get("MaximumRetryAttempts"),
            request.get("MaximumEventAgeInSeconds"),
            on_success,
            on_failure,
        )
        self._store.put(config)
        return config.description()

    def update_function_event_invoke_config(
        self, ctx: RequestContext, request: dict[str, Any]
    ) -> dict[str, Any]:
        _check_settings(request)
        account, region, name, qualifier = self._target(ctx, request)
        self._check_exists(ctx, account, region, name, qualifier)
        config = self._config(account, region, name, qualifier)
        if "DestinationConfig" in request:
            # [gureum] a DestinationConfig given replaces the whole of the old one
            config.on_success, config.on_failure = self._destinations(
                ctx, name, request["DestinationConfig"]
            )
        if request.get("MaximumRetryAttempts") is not None:
            config.maximum_retry_attempts = request["MaximumRetryAttempts"]
        if request.get("MaximumEventAgeInSeconds") is not None:
            config.maximum_event_age = request["MaximumEventAgeInSeconds"]
        config.last_modified = self._clock.now()
        self._store.put(config)
        return config.description()

    def get_function_event_invoke_config(
        self, ctx: RequestContext, request: dict[str, Any]
    ) -> dict[str, Any]:
        account, region, name, qualifier = self._target(ctx, request)
        return self._config(account, region, name, qualifier).description()

    def delete_function_event_invoke_config(
        self, ctx: RequestContext, request: dict[str, Any]
    ) -> dict[str, Any]:
        account, region, name, qualifier = self._target(ctx, request)
        self._config(account, region, name, qualifier)
        self._store.forget(account, region, name, qualifier)
        return {}

    def list_function_event_invoke_configs(
        self, ctx: RequestContext, request: dict[str, Any]
    ) -> dict[str, Any]:
        account, region, name, _ = _split(ctx, request["FunctionName"])
        self._check_exists(ctx, account, region, name, LATEST)
        configs = self._store.of(account, region, name)
        page, next_marker = marker_page(
            configs, lambda c: c.qualifier, request, limits.DEFAULT_EVENT_INVOKE_CONFIG_LIST_ITEMS
        )
        out: dict[str, Any] = {"FunctionEventInvokeConfigs": [c.description() for c in page]}
        if next_marker is not None:
            out["NextMarker"] = next_marker
        return out

    # --- helpers

    def _target(self, ctx: RequestContext, request: dict[str, Any]) -> tuple[str, str, str, str]:
        """(account, region, name, qualifier) a request's FunctionName and Qualifier name."""
        account, region, name, suffix = _split(ctx, request["FunctionName"])
        qualifier = request.get("Qualifier") or None
        if suffix is not None and qualifier is not None and suffix != qualifier:
            raise errors.qualifier_mismatch()
        return account, region, name, qualifier or suffix or LATEST

    def _check_exists(
        self, ctx: RequestContext, account: str, region: str, name: str, qualifier: str
    ) -> None:
        """ResourceNotFoundException unless the function has that version or alias."""
        reference = f"{function_arn(region, account, name)}:{qualifier}"
        try:
            self._resolve(ctx.account, ctx.region, reference)
        except ServiceError as error:
            if error.code == "ResourceNotFoundException":
                raise errors.function_does_not_exist() from None
            raise

    def _config(self, account: str, region: str, name: str, qualifier: str) -> EventInvokeConfig:
        config = self._store.get(account, region, name, qualifier)
        if config is None:
            arn = f"{function_arn(region, account, name)}:{qualifier}"
            raise errors.event_invoke_config_not_found(arn)
        return config

    def _destinations(
        self, ctx: RequestContext, name: str, config: dict[str, Any] | None
    ) -> tuple[str | None, str | None]:
        """(OnSuccess, OnFailure) destinations of a DestinationConfig, checked."""
        config = config or {}
        on_success = (config.get("OnSuccess") or {}).get("Destination") or None
        on_failure = (config.get("OnFailure") or {}).get("Destination") or None
        valid = True
        for arn in (on_failure, on_success):
            if arn is not None:
                valid = self._check_destination(ctx, name, arn) and valid
        if not valid:
            raise errors.destination_config_invalid(on_success, on_failure)
        return on_success, on_failure

    def _check_destination(self, ctx: RequestContext, name: str, arn: str) -> bool:
        """Whether ``arn`` names a kind of destination Lambda takes; a Lambda function must
        exist and be another function; kinds gureum cannot deliver to are refused."""
        parsed = parse_arn(arn)
        service = parsed[0] if parsed is not None else ""
        if service == "lambda":
            try:
                target = self._resolve(ctx.account, ctx.region, arn)
            except ServiceError:
                raise errors.destination_invalid(arn) from None
            if target.name == name:
                raise errors.destination_is_self()
            return True
        if service in _UNDELIVERABLE:
            raise errors.destination_unsupported(service, arn)
        return False


def _check_settings(request: dict[str, Any]) -> None:
    members = ("MaximumRetryAttempts", "MaximumEventAgeInSeconds", "DestinationConfig")
    if all(request.get(m) is None for m in members):
        raise errors.no_event_invoke_settings()


def _split(ctx: RequestContext, reference: str) -> tuple[str, str, str, str | None]:
    """(account, region, name, qualifier) of a FunctionName; the caller's account and region
    where the reference is silent."""
    account, region, name, qualifier = split_reference(reference)
    return account or ctx.account, region or ctx.region, name, qualifier
