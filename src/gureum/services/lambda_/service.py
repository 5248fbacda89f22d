"""The Lambda service: its operation table (CreateFunction, GetFunction,
GetFunctionConfiguration, ListFunctions, DeleteFunction, UpdateFunctionCode,
UpdateFunctionConfiguration, and Invoke, which runs the function through the runner).
Requests arrive as dicts built by the REST-JSON wire layer, with ``Code.ZipFile`` already
decoded to bytes."""

from __future__ import annotations

import io
import re
import zipfile
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from gureum.core.arns import parse_arn
from gureum.core.context import RequestContext, new_request_id
from gureum.services.lambda_ import errors, invoke, limits
from gureum.services.lambda_.code_store import CodeStore, code_sha256
from gureum.services.lambda_.functions import LATEST, Function, FunctionStore, function_arn

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

    from gureum.core.clock import Clock
    from gureum.services.lambda_.runner import Outcome, Runner
    from gureum.storage.engine import Engine

    Handler = Callable[[RequestContext, dict[str, Any]], dict[str, Any] | Awaitable[dict[str, Any]]]

# botocore's model of the API (service name, API version)
MODEL = ("lambda", "2015-03-31")
# DeleteFunction answers 204 No Content (the model's responseCode says 200)
STATUS_OVERRIDES = {"DeleteFunction": 204}

# name, partial ARN (account:function:name) or ARN, each with an optional qualifier
_PARTIAL = re.compile(r"(\d{12}):function:([a-zA-Z0-9_.-]+)(?::(.+))?")
_NAME = re.compile(r"([a-zA-Z0-9_.-]+)(?::(.+))?")
# where GetFunction's Code.Location points (gureum's own URL; AWS's is a presigned S3 URL)
_DOWNLOAD = re.compile(r"/2015-03-31/functions/([a-zA-Z0-9_.-]+)/code-download")


class LambdaService:
    max_request_bytes = limits.MAX_REQUEST_BYTES

    def __init__(self, engine: Engine, clock: Clock, runner: Runner) -> None:
        self._clock = clock
        self._runner = runner
        self._functions = FunctionStore(engine)
        self._code = CodeStore(engine)
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

    def function_count(self) -> int:
        return len(self._functions)

    def download(self, path: str, query: dict[str, list[str]]) -> bytes | None:
        """The deployment package behind a GetFunction ``Code.Location`` URL, or None."""
        found = _DOWNLOAD.fullmatch(path)
        account, region = query.get("account", [""])[-1], query.get("region", [""])[-1]
        if found is None:
            return None
        function = self._functions.get(account, region, found.group(1))
        if function is None or function.code_sha256 != query.get("sha256", [""])[-1]:
            return None
        return self._code.get(account, region, function.name)

    # --- operations

    def create_function(self, ctx: RequestContext, request: dict[str, Any]) -> dict[str, Any]:
        name = request["FunctionName"]
        _check_limits(request)
        runtime, handler = request.get("Runtime"), request.get("Handler")
        if runtime is None or handler is None:
            raise errors.runtime_required()
        _check_runtime(runtime)
        code = request.get("Code") or {}
        data = _zip_of(code)
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
            code_sha256=code_sha256(data),
            code_size=len(data),
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
        self._functions.add(function)
        self._code.put(ctx.account, ctx.region, name, data)
        return function.configuration()

    def get_function(self, ctx: RequestContext, request: dict[str, Any]) -> dict[str, Any]:
        function = self._find(ctx, request["FunctionName"], request.get("Qualifier"))
        out: dict[str, Any] = {
            "Configuration": function.configuration(),
            "Code": {"RepositoryType": "S3", "Location": _code_location(ctx, function)},
        }
        if function.tags:
            out["Tags"] = dict(function.tags)
        return out

    def get_function_configuration(
        self, ctx: RequestContext, request: dict[str, Any]
    ) -> dict[str, Any]:
        return self._find(ctx, request["FunctionName"], request.get("Qualifier")).configuration()

    def list_functions(self, ctx: RequestContext, request: dict[str, Any]) -> dict[str, Any]:
        limit: int = request.get("MaxItems", limits.DEFAULT_LIST_ITEMS)
        marker = request.get("Marker")
        names = self._functions.names(ctx.account, ctx.region)
        if marker:
            names = [n for n in names if n > marker]
        page = names[:limit]
        functions = [self._functions.get(ctx.account, ctx.region, n) for n in page]
        out: dict[str, Any] = {"Functions": [f.configuration() for f in functions if f is not None]}
        if len(names) > limit:
            out["NextMarker"] = page[-1]
        return out

    def delete_function(self, ctx: RequestContext, request: dict[str, Any]) -> dict[str, Any]:
        function = self._find(ctx, request["FunctionName"], request.get("Qualifier"))
        self._functions.remove(function)
        self._code.delete(ctx.account, ctx.region, function.name)
        self._runner.retire(ctx.account, ctx.region, function.name)
        return {"StatusCode": 204}

    def update_function_code(self, ctx: RequestContext, request: dict[str, Any]) -> dict[str, Any]:
        data = _zip_of(request)
        function = self._find(ctx, request["FunctionName"], None)
        _check_revision(function, request)
        if request.get("DryRun"):
            return function.configuration()
        function.code_sha256 = code_sha256(data)
        function.code_size = len(data)
        if "Architectures" in request:
            function.architectures = list(request["Architectures"])
        function.touched(self._clock.now())
        self._code.put(ctx.account, ctx.region, function.name, data)
        self._functions.save(function)
        self._runner.retire(ctx.account, ctx.region, function.name)
        return function.configuration()

    def update_function_configuration(
        self, ctx: RequestContext, request: dict[str, Any]
    ) -> dict[str, Any]:
        _check_limits(request)
        if "Runtime" in request:
            _check_runtime(request["Runtime"])
        function = self._find(ctx, request["FunctionName"], None)
        _check_revision(function, request)
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
        function.touched(self._clock.now())
        self._functions.save(function)
        self._runner.retire(ctx.account, ctx.region, function.name)
        return function.configuration()

    def invoke(
        self, ctx: RequestContext, request: dict[str, Any]
    ) -> dict[str, Any] | Awaitable[dict[str, Any]]:
        function = self._find(ctx, request["FunctionName"], request.get("Qualifier"))

        def code() -> bytes | None:
            return self._code.get(function.account, function.region, function.name)

        return invoke.start(self._runner, function, code, ctx, request)

    # --- for other services (event source mappings, destinations)

    def resolve(self, account: str, region: str, reference: str) -> Function:
        """The function a name, partial ARN or ARN (maybe qualified) names in this account and
        region; ResourceNotFoundException if there is none."""
        return self._find(RequestContext(account, region, new_request_id()), reference, None)

    async def invoke_function(
        self, account: str, region: str, reference: str, payload: bytes, request_id: str
    ) -> Outcome:
        """A synchronous invocation made by gureum itself (an event source mapping, an
        asynchronous invocation's destination); TooManyRequestsException when the function has
        no free slot, ResourceNotFoundException when it is gone."""
        function = self.resolve(account, region, reference)

        def code() -> bytes | None:
            return self._code.get(function.account, function.region, function.name)

        return await self._runner.invoke(function, code, payload, request_id)

    # --- helpers

    def _find(self, ctx: RequestContext, reference: str, qualifier: str | None) -> Function:
        """The function a FunctionName (name, partial ARN or ARN) names, in the caller's
        account and region; only ``$LATEST`` exists as a version."""
        account, region, name, suffix = ctx.account, ctx.region, reference, None
        parsed = parse_arn(reference)
        if parsed is not None:
            _service, region, account, resource = parsed
            kind, _, rest = resource.partition(":")
            name, _, suffix = rest.partition(":")
            if kind != "function":
                name = reference
        else:
            partial = _PARTIAL.fullmatch(reference)
            plain = _NAME.fullmatch(reference)
            if partial is not None:
                account, name, suffix = partial.group(1), partial.group(2), partial.group(3)
            elif plain is not None:
                name, suffix = plain.group(1), plain.group(2)
        arn = function_arn(region, account, name)
        qualifier = qualifier or suffix or None
        function = None
        if account == ctx.account and region == ctx.region:
            function = self._functions.get(account, region, name)
        if function is None:
            raise errors.function_not_found(arn)
        if qualifier is not None and qualifier != LATEST:
            raise errors.function_not_found(f"{arn}:{qualifier}")  # [gureum] no versions yet
        return function


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
    """The package of a Code structure (or UpdateFunctionCode request), checked to be a zip."""
    data = code.get("ZipFile")
    if data is None:
        if any(k in code for k in ("S3Bucket", "S3Key", "S3ObjectVersion", "ImageUri")):
            raise errors.code_source_unsupported()
        raise errors.code_required()
    if not isinstance(data, bytes) or not zipfile.is_zipfile(io.BytesIO(data)):
        raise errors.not_a_zip()
    return data


def _variables(environment: dict[str, Any] | None) -> dict[str, str] | None:
    if environment is None:
        return None
    return dict(environment.get("Variables") or {})


def _code_location(ctx: RequestContext, function: Function) -> str:
    host = ctx.host or "localhost:4566"
    query = urlencode(
        {"account": function.account, "region": function.region, "sha256": function.code_sha256}
    )
    return f"http://{host}/2015-03-31/functions/{function.name}/code-download?{query}"
