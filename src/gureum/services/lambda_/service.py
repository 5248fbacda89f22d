"""The Lambda service: its operation table (CreateFunction, GetFunction,
GetFunctionConfiguration, ListFunctions, DeleteFunction, UpdateFunctionCode,
UpdateFunctionConfiguration, and Invoke, which runs the function through the runner).
Requests arrive as dicts built by the REST-JSON wire layer, with ``Code.ZipFile`` already
decoded to bytes."""

from __future__ import annotations

import dataclasses
import math
import re
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import urlencode

from gureum.core.context import RequestContext, new_request_id
from gureum.services.lambda_ import errors, invoke, limits, local_code
from gureum.services.lambda_.aliases import Alias, Aliases, AliasStore, select
from gureum.services.lambda_.async_invocations import AsyncInvocations
from gureum.services.lambda_.code_store import CodeStore, code_sha256
from gureum.services.lambda_.concurrency import Concurrency
from gureum.services.lambda_.event_invoke_config import EventInvokeConfigs, EventInvokeConfigStore
from gureum.services.lambda_.function_settings import FunctionSettings
from gureum.services.lambda_.functions import (
    LATEST,
    AttachedLayer,
    Function,
    FunctionStore,
    function_arn,
)
from gureum.services.lambda_.layer_store import LayerStore
from gureum.services.lambda_.layers import Layers
from gureum.services.lambda_.packages import unzipped_size
from gureum.services.lambda_.paging import marker_page
from gureum.services.lambda_.permissions import Permissions, PolicyStore
from gureum.services.lambda_.provisioned import ProvisionedConcurrency, ProvisionedStore
from gureum.services.lambda_.references import split_reference
from gureum.services.lambda_.tags import Tags, check_count
from gureum.services.lambda_.versions import Versions, VersionStore

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable, Mapping

    from gureum.core.clock import Clock
    from gureum.services.lambda_.runner import Outcome, Runner
    from gureum.services.lambda_.tags import Tagged
    from gureum.storage.engine import Engine

    Handler = Callable[[RequestContext, dict[str, Any]], dict[str, Any] | Awaitable[dict[str, Any]]]

# botocore's model of the API (service name, API version)
MODEL = ("lambda", "2015-03-31")
# DeleteFunction answers 204 No Content (the model's responseCode says 200)
STATUS_OVERRIDES = {"DeleteFunction": 204}

# where GetFunction's Code.Location points (gureum's own URL; AWS's is a presigned S3 URL)
_DOWNLOAD = re.compile(r"/2015-03-31/functions/([a-zA-Z0-9_.-]+)/code-download")


class _Extension(Protocol):
    """A part of the API kept in a module of its own: its operation table."""

    @property
    def operations(self) -> Mapping[str, Callable[..., Any]]: ...


class LambdaService:
    max_request_bytes = limits.MAX_REQUEST_BYTES

    def __init__(
        self,
        engine: Engine,
        clock: Clock,
        runner: Runner,
        async_retry_delay: float = limits.ASYNC_RETRY_DELAY_SECONDS,
    ) -> None:
        self._clock = clock
        self._runner = runner
        self._functions = FunctionStore(engine)
        self._folder_checks: dict[tuple[str, str, str], float] = {}  # hot reload: last looks
        self._code = CodeStore(engine)
        self._versions = VersionStore(engine)
        self._aliases = AliasStore(engine)
        self._event_configs = EventInvokeConfigStore(engine)
        self._policies = PolicyStore(engine)
        provisioned = ProvisionedStore(engine)
        self._publisher = Versions(self._functions, self._versions, self._code, self._latest)

        def alias_deleted(alias: Alias) -> None:
            self._event_configs.forget(alias.account, alias.region, alias.function, alias.name)
            self._policies.forget(alias.account, alias.region, alias.function, alias.name)
            self._provisioned.alias_deleted(alias)

        self.tags = Tags()  # other taggable kinds (event source mappings) register themselves
        self.tags.register("function", self._function_tags)
        concurrency = Concurrency(
            self._functions, self._versions, provisioned, runner, self._latest
        )
        self._provisioned = ProvisionedConcurrency(
            provisioned,
            concurrency,
            runner,
            clock,
            self._latest,
            self._versions,
            self._aliases,
            self._code.get,
        )
        extensions: list[_Extension] = [
            self._publisher,
            Aliases(
                self._versions,
                self._aliases,
                self._latest,
                alias_deleted,
                self._provisioned,
            ),
            concurrency,
            self._provisioned,
            Permissions(self._policies, self._versions, self._aliases, self._latest),
            self.tags,
            FunctionSettings(self._functions, self._latest),
        ]
        self.operations: dict[str, Handler] = {
            "CreateFunction": self.create_function,
            "GetFunction": self.get_function,
            "GetFunctionConfiguration": self.get_function_configuration,
            "ListFunctions": self.list_functions,
            "DeleteFunction": self.delete_function,
            "UpdateFunctionCode": self.update_function_code,
            "UpdateFunctionConfiguration": self.update_function_configuration,
            "Invoke": self.invoke,
        }
        for extension in extensions:
            self.operations.update(extension.operations)
        layer_store = LayerStore(engine)
        self._layers = Layers(layer_store, clock, self._attached_layers)
        self.operations.update(self._layers.operations)
        runner.use_layers(layer_store.content)
        # asynchronous invocation: event invoke configs, the event queue, retries, destinations
        self._events = AsyncInvocations(
            engine,
            clock,
            self._event_configs,
            self.resolve,
            self.invoke_function,
            runner.background,
            async_retry_delay,
        )
        configs = EventInvokeConfigs(self._event_configs, clock, self.resolve)
        self.operations.update(configs.operations)

    def resume(self) -> None:
        """Resume the asynchronous invocations a previous run left queued (once the event
        loop runs), and start the provisioned workers of every provisioned concurrency config."""
        self._events.resume()
        self._provisioned.resume()

    def function_count(self) -> int:
        return len(self._functions)

    def download(self, path: str, query: dict[str, list[str]]) -> bytes | None:
        """The deployment package behind a GetFunction ``Code.Location`` URL (or the zip
        behind a layer version's ``Content.Location``), or None."""
        layer = self._layers.download(path, query)
        if layer is not None:
            return layer
        found = _DOWNLOAD.fullmatch(path)
        account, region = query.get("account", [""])[-1], query.get("region", [""])[-1]
        if found is None:
            return None
        function = self._functions.get(account, region, found.group(1))
        version = query.get("version", [LATEST])[-1]
        if function is not None and version != LATEST:
            function = self._versions.get(account, region, function.name, version)
        if function is None or function.code_sha256 != query.get("sha256", [""])[-1]:
            return None
        if function.code_folder is not None:
            return local_code.zip_folder(Path(function.code_folder))
        return self._code.get(account, region, function.name, version)

    # --- operations

    def create_function(self, ctx: RequestContext, request: dict[str, Any]) -> dict[str, Any]:
        name = _new_function_name(ctx, request["FunctionName"])
        _check_limits(request)
        check_count(request.get("Tags") or {})
        runtime, handler = request.get("Runtime"), request.get("Handler")
        if runtime is None or handler is None:
            raise errors.runtime_required()
        _check_runtime(runtime)
        code = request.get("Code") or {}
        folder = local_code.folder_of(code)
        data = None if folder is not None else _zip_of(code)
        if self._functions.get(ctx.account, ctx.region, name) is not None:
            raise errors.function_exists(name)
        environment = request.get("Environment")
        function = Function(
            account=ctx.account,
            region=ctx.region,
            name=name,
            runtime=runtime,
            role=request["Role"],
            handler=handler,
            code_sha256="",
            code_size=0,
            last_modified=self._clock.now(),
            description=request.get("Description", ""),
            timeout=request.get("Timeout", limits.DEFAULT_TIMEOUT_SECONDS),
            memory_size=request.get("MemorySize", limits.DEFAULT_MEMORY_MB),
            environment=_variables(environment),
            tags=dict(request.get("Tags") or {}),
            architectures=list(request.get("Architectures") or ["x86_64"]),
            ephemeral_storage=(request.get("EphemeralStorage") or {}).get(
                "Size", limits.DEFAULT_EPHEMERAL_STORAGE_MB
            ),
            tracing_mode=(request.get("TracingConfig") or {}).get("Mode", "PassThrough"),
        )
        function.configure_logging(request.get("LoggingConfig") or {})
        _set_code(function, folder, data)
        function.layers = self._attach_layers(ctx, request.get("Layers") or [], function, data)
        self._functions.add(function)
        if data is not None:
            self._code.put(ctx.account, ctx.region, name, data)
        if request.get("Publish"):
            # AWS answers with the version's configuration under the unqualified ARN
            version = self._publisher.publish(function)
            return dataclasses.replace(version, invoked_as=function.arn).configuration()
        return function.configuration()

    def get_function(self, ctx: RequestContext, request: dict[str, Any]) -> dict[str, Any]:
        function = self._find(ctx, request["FunctionName"], request.get("Qualifier"))
        latest = self._latest(ctx, function.name)
        out: dict[str, Any] = {
            "Configuration": function.configuration(),
            "Code": {"RepositoryType": "S3", "Location": _code_location(ctx, function)},
        }
        if latest.tags:
            out["Tags"] = dict(latest.tags)
        if latest.reserved_concurrency is not None:
            out["Concurrency"] = {"ReservedConcurrentExecutions": latest.reserved_concurrency}
        return out

    def get_function_configuration(
        self, ctx: RequestContext, request: dict[str, Any]
    ) -> dict[str, Any]:
        return self._find(ctx, request["FunctionName"], request.get("Qualifier")).configuration()

    def list_functions(self, ctx: RequestContext, request: dict[str, Any]) -> dict[str, Any]:
        """Every function's $LATEST by name (with FunctionVersion ALL, each followed by its
        published versions); "a maximum of 50 items in each response, even if you set the
        number higher"."""
        every_version = request.get("FunctionVersion") == "ALL"
        entries: list[Function] = []
        for name in self._functions.names(ctx.account, ctx.region):
            latest = self._functions.get(ctx.account, ctx.region, name)
            if latest is not None:
                entries.append(latest)
            if every_version:
                entries += self._versions.of(ctx.account, ctx.region, name)
        limit = min(request.get("MaxItems") or limits.DEFAULT_LIST_ITEMS, limits.DEFAULT_LIST_ITEMS)
        page, next_marker = marker_page(
            entries, _list_marker, {**request, "MaxItems": limit}, limit
        )
        out: dict[str, Any] = {"Functions": [f.configuration() for f in page]}
        if next_marker is not None:
            out["NextMarker"] = next_marker
        return out

    def delete_function(self, ctx: RequestContext, request: dict[str, Any]) -> dict[str, Any]:
        """The whole function, or (with a version number as qualifier) that version only."""
        reference, qualifier = request["FunctionName"], request.get("Qualifier")
        suffix = split_reference(reference)[3]
        if qualifier and suffix and qualifier != suffix:
            raise errors.qualifier_mismatch()
        qualifier = qualifier or suffix
        if qualifier is not None and qualifier != LATEST and not qualifier.isdigit():
            raise errors.alias_not_deletable()
        if qualifier == LATEST:
            raise errors.latest_not_deletable()
        function = self._latest(ctx, reference, reload=False)
        account, region, name = function.account, function.region, function.name
        if qualifier is not None:
            self._delete_version(function, qualifier)
            return {"StatusCode": 204}
        self._functions.remove(function)
        self._versions.remove_all(account, region, name)
        self._aliases.remove_all(account, region, name)
        self._code.delete(account, region, name)
        self._runner.retire(account, region, name)
        self._runner.reserve(account, region, name, None)
        self._event_configs.forget(account, region, name)
        self._events.forget(account, region, name)
        self._policies.forget(account, region, name)
        self._provisioned.forget(account, region, name)
        return {"StatusCode": 204}

    def _delete_version(self, function: Function, qualifier: str) -> None:
        account, region, name = function.account, function.region, function.name
        version = self._versions.get(account, region, name, qualifier)
        if version is None:  # nothing to delete, as on AWS
            return
        users = [
            a.name
            for a in self._aliases.of(account, region, name)
            if a.function_version == qualifier or qualifier in a.weights
        ]
        if users:
            raise errors.version_in_use(users)
        self._versions.remove(version)
        self._code.delete(account, region, name, qualifier)
        self._runner.retire(account, region, name, qualifier)
        self._event_configs.forget(account, region, name, qualifier)
        self._policies.forget(account, region, name, qualifier)
        self._provisioned.forget(account, region, name, qualifier)

    def update_function_code(self, ctx: RequestContext, request: dict[str, Any]) -> dict[str, Any]:
        folder = local_code.folder_of(request)
        data = None if folder is not None else _zip_of(request)
        function = self._latest(ctx, request["FunctionName"], reload=False)
        _check_revision(function, request)
        if function.layers:
            own = local_code.fingerprint(folder)[1] if folder else unzipped_size(data or b"")
            self._layers.check_new_code(function.account, function.region, function.layers, own)
        if request.get("DryRun"):
            return function.configuration()
        _set_code(function, folder, data)
        if "Architectures" in request:
            function.architectures = list(request["Architectures"])
        function.touched(self._clock.now())
        if data is not None:
            self._code.put(ctx.account, ctx.region, function.name, data)
        self._functions.save(function)
        self._runner.retire(ctx.account, ctx.region, function.name, LATEST)
        if request.get("Publish"):
            return self._publisher.publish(function).configuration()
        return function.configuration()

    def update_function_configuration(
        self, ctx: RequestContext, request: dict[str, Any]
    ) -> dict[str, Any]:
        _check_limits(request)
        if "Runtime" in request:
            _check_runtime(request["Runtime"])
        function = self._latest(ctx, request["FunctionName"])
        _check_revision(function, request)
        layers = request.get("Layers")
        attached = None if layers is None else self._attach_layers(ctx, layers, function)
        if "LoggingConfig" in request:
            function.configure_logging(request["LoggingConfig"])
        if "Role" in request:
            function.role = request["Role"]
        if "Handler" in request:
            function.handler = request["Handler"]
        if "Runtime" in request:
            function.runtime = request["Runtime"]
        if "Description" in request:
            function.description = request["Description"]
        if "Timeout" in request:
            function.timeout = request["Timeout"]
        if "MemorySize" in request:
            function.memory_size = request["MemorySize"]
        if "Environment" in request:
            function.environment = _variables(request["Environment"]) or {}
        if "EphemeralStorage" in request:
            function.ephemeral_storage = request["EphemeralStorage"].get(
                "Size", function.ephemeral_storage
            )
        if "TracingConfig" in request:
            function.tracing_mode = request["TracingConfig"].get("Mode", function.tracing_mode)
        if attached is not None:
            function.layers = attached
        function.touched(self._clock.now())
        self._functions.save(function)
        self._runner.retire(ctx.account, ctx.region, function.name, LATEST)
        if attached is not None:
            self._layers.collect()  # the content of a deleted layer version it dropped
        return function.configuration()

    def invoke(
        self, ctx: RequestContext, request: dict[str, Any]
    ) -> dict[str, Any] | Awaitable[dict[str, Any]]:
        function = self._find(ctx, request["FunctionName"], request.get("Qualifier"), route=True)

        def code() -> bytes | None:
            return self._code.get(*_code_key(function))

        return invoke.start(self._runner, function, code, ctx, request, self._events)

    # --- for other services (event source mappings, destinations)

    def resolve(self, account: str, region: str, reference: str) -> Function:
        """The function a name, partial ARN or ARN (maybe qualified) names in this account and
        region (for an alias, the version its routing picks); ResourceNotFoundException if there
        is none."""
        ctx = RequestContext(account, region, new_request_id())
        return self._find(ctx, reference, None, route=True)

    async def invoke_function(
        self, account: str, region: str, reference: str, payload: bytes, request_id: str
    ) -> Outcome:
        """A synchronous invocation made by gureum itself (an event source mapping, an
        asynchronous invocation's destination); TooManyRequestsException when the function has
        no free slot, ResourceNotFoundException when it is gone."""
        function = self.resolve(account, region, reference)

        def code() -> bytes | None:
            return self._code.get(*_code_key(function))

        return await self._runner.invoke(function, code, payload, request_id)

    # --- helpers

    def _function_tags(self, account: str, region: str, name: str, arn: str) -> Tagged:
        """A function's tags for TagResource, UntagResource and ListTags."""
        function = self._functions.get(account, region, name)
        if function is None:
            raise errors.function_not_found(arn)
        return function.tags, lambda: self._functions.save(function)

    def _attach_layers(
        self, ctx: RequestContext, arns: list[str], function: Function, data: bytes | None = None
    ) -> list[AttachedLayer]:
        """The layers ``arns`` name, checked for ``function`` (whose zip is ``data`` when it
        is not stored yet)."""
        if not arns:
            return []
        if function.code_folder is not None:
            size = function.code_size  # a hot-reload folder's size is its files' total
        else:
            data = data if data is not None else self._code.get(*_code_key(function))
            size = unzipped_size(data or b"")
        return self._layers.attach(ctx, arns, size)

    def _attached_layers(self) -> set[tuple[str, str, str]]:
        """(account, region, CodeSha256) of every layer a function version uses."""
        every = [*self._functions.all(), *self._versions.all()]
        return {(f.account, f.region, layer.code_sha256) for f in every for layer in f.layers}

    def _find(
        self, ctx: RequestContext, reference: str, qualifier: str | None, route: bool = False
    ) -> Function:
        """The version a FunctionName (name, partial ARN or ARN, maybe qualified) and Qualifier
        name, in the caller's account and region: ``$LATEST`` itself when unqualified, else a
        copy whose FunctionArn is the qualified ARN (see :func:`aliases.select`)."""
        suffix = split_reference(reference)[3]
        if qualifier and suffix and qualifier != suffix:
            raise errors.qualifier_mismatch()
        qualifier = qualifier or suffix
        function = self._latest(ctx, reference, qualifier)
        if qualifier is None:
            return function
        return select(function, qualifier, self._versions, self._aliases, route=route)

    def _latest(
        self, ctx: RequestContext, reference: str, shown: str | None = None, reload: bool = True
    ) -> Function:
        """The function ($LATEST) a FunctionName names, whatever qualifier it carries; the
        not-found error names the ARN qualified with ``shown``. Operations that discard or
        replace the code pass ``reload=False``: a hot-reload folder grown past the package
        limit must not stop them."""
        account, region, name, _suffix = split_reference(reference)
        account, region = account or ctx.account, region or ctx.region
        function = None
        if account == ctx.account and region == ctx.region:
            function = self._functions.get(account, region, name)
        if function is None:
            arn = function_arn(region, account, name)
            raise errors.function_not_found(arn if shown is None else f"{arn}:{shown}")
        if reload and function.code_folder is not None:
            self._reload(function)
        return function

    def _reload(self, function: Function) -> None:
        """A hot-reload function whose folder changed since it was last looked at (at most
        every ``limits.FOLDER_CHECK_SECONDS``) gets a new CodeSha256 and RevisionId, so its
        next invocation starts fresh workers."""
        key = (function.account, function.region, function.name)
        now = time.monotonic()
        if now - self._folder_checks.get(key, -math.inf) < limits.FOLDER_CHECK_SECONDS:
            return
        self._folder_checks[key] = now
        assert function.code_folder is not None
        sha256, size = local_code.fingerprint(Path(function.code_folder))
        if sha256 != function.code_sha256:
            function.code_sha256, function.code_size = sha256, size
            function.touched(self._clock.now())
            self._functions.save(function)


def _list_marker(function: Function) -> str:
    """ListFunctions' marker of an entry: the name, then ("!" sorts before every character of
    a name) the version number for a published version, so markers order as entries do."""
    if function.version == LATEST:
        return function.name
    return f"{function.name}!{int(function.version):010d}"


def _code_key(function: Function) -> tuple[str, str, str, str]:
    return function.account, function.region, function.name, function.version


def _new_function_name(ctx: RequestContext, reference: str) -> str:
    """The name CreateFunction's FunctionName gives (a name, an ARN or a partial ARN), in the
    caller's account and Region."""
    account, region, name, qualifier = split_reference(reference)
    if region is not None and region != ctx.region:
        raise errors.function_in_other_region(region, ctx.region)
    if account is not None and account != ctx.account:
        raise errors.access_denied()
    if qualifier is not None:
        raise errors.qualified_new_function(reference)
    if len(name) > limits.MAX_FUNCTION_NAME_LENGTH:
        raise errors.function_name_too_long(name, limits.MAX_FUNCTION_NAME_LENGTH)
    return name


def _check_limits(request: dict[str, Any]) -> None:
    timeout = request.get("Timeout")
    if timeout is not None and timeout > limits.MAX_TIMEOUT_SECONDS:
        raise errors.value_too_high(timeout, "timeout", limits.MAX_TIMEOUT_SECONDS)
    memory = request.get("MemorySize")
    if memory is not None and memory > limits.MAX_MEMORY_MB:
        raise errors.value_too_high(memory, "memorySize", limits.MAX_MEMORY_MB)  # [gureum]


def _check_runtime(runtime: str) -> None:
    if runtime in limits.BLOCKED_RUNTIMES:
        raise errors.runtime_blocked(runtime)
    if runtime not in limits.SUPPORTED_RUNTIMES:
        raise errors.runtime_unsupported(runtime, limits.SUPPORTED_RUNTIMES)


def _check_revision(function: Function, request: dict[str, Any]) -> None:
    revision = request.get("RevisionId")
    if revision is not None and revision != function.revision_id:
        raise errors.revision_mismatch()


def _zip_of(code: dict[str, Any]) -> bytes:
    """The package of a Code structure (or UpdateFunctionCode request), checked to be a zip
    whose files fit the unzipped size limit."""
    data = code.get("ZipFile")
    if data is None:
        if any(k in code for k in ("S3Bucket", "S3Key", "S3ObjectVersion", "ImageUri")):
            raise errors.code_source_unsupported()
        raise errors.code_required()
    if not isinstance(data, bytes):
        raise errors.not_a_zip()
    if unzipped_size(data) >= limits.CODE_SIZE_UNZIPPED_BYTES:
        raise errors.code_too_large_unzipped(limits.CODE_SIZE_UNZIPPED_BYTES)
    return data


def _set_code(function: Function, folder: Path | None, data: bytes | None) -> None:
    """Make a zip, or a local folder (hot reload), the code of ``function`` ($LATEST)."""
    if folder is not None:
        function.code_folder = str(folder)
        function.code_sha256, function.code_size = local_code.fingerprint(folder)
    else:
        assert data is not None
        function.code_folder = None
        function.code_sha256, function.code_size = code_sha256(data), len(data)


def _variables(environment: dict[str, Any] | None) -> dict[str, str] | None:
    if environment is None:
        return None
    return dict(environment.get("Variables") or {})


def _code_location(ctx: RequestContext, function: Function) -> str:
    host = ctx.host or "localhost:4566"
    query = urlencode(
        {
            "account": function.account,
            "region": function.region,
            "sha256": function.code_sha256,
            "version": function.version,
        }
    )
    return f"http://{host}/2015-03-31/functions/{function.name}/code-download?{query}"
