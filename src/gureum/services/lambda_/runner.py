"""The subprocess runner: each function runs in worker processes of its own
(:mod:`gureum.services.lambda_.worker`), never inside the server.

A cold start unpacks the function's zip into a folder named by its CodeSha256 (kept under the
code root and shared by every worker of that code), and its layers, in order, into a folder of
``opt/`` named by their CodeSha256s (gureum's ``/opt``: a later layer's files replace an earlier
one's), starts a worker with Lambda's environment variables, and waits for its handler to be
imported. Each version of a function ($LATEST and
each published one) has a pool of its own. Warm workers are reused, one invocation at a time
each; a function gets as many workers as it has concurrent invocations, up to its reserved
concurrency, or (without a reservation) as the account's unreserved pool allows
(``limits.ACCOUNT_CONCURRENCY`` less every reservation and the provisioned concurrency of
functions without one). A worker past its function's timeout is killed, as is one whose version
changed or was deleted (after its current invocation), and every worker when the server stops.

Provisioned concurrency (:meth:`Runner.provision`): a published version keeps that many workers
started in advance (``AWS_LAMBDA_INITIALIZATION_TYPE=provisioned-concurrency``); an invocation
takes an idle one first (no cold start, no ``Init Duration``) and otherwise runs on demand. They
are carved out of the function's reservation, or out of the account's unreserved pool.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import hashlib
import logging
import math
import os
import signal
import struct
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson

from gureum.core.errors import ServiceError
from gureum.services.lambda_ import errors, limits
from gureum.services.lambda_.functions import lambda_timestamp
from gureum.services.lambda_.packages import unpack

if TYPE_CHECKING:
    from collections.abc import Callable, Coroutine

    from gureum.services.lambda_.functions import Function

    # the zip of a layer version by (account, region, CodeSha256), None when it is gone
    LayerSource = Callable[[str, str, str], bytes | None]

log = logging.getLogger("gureum.lambda")

_HEADER = struct.Struct(">I")
# the worker runs as a script: it imports nothing of gureum
WORKER_SCRIPT = str(Path(__file__).with_name("worker.py"))


@dataclass(frozen=True, slots=True)
class Outcome:
    """What an invocation produced: the payload (the result's JSON, or an error document),
    ``function_error`` ("Unhandled") when the function failed, and its log."""

    payload: bytes
    function_error: str | None
    log: str
    stream: str  # the log stream of the worker that ran it

    def log_tail(self) -> str:
        """``X-Amz-Log-Result``: the base64 of the log's last 4 KB."""
        return base64.b64encode(self.log.encode()[-limits.LOG_TAIL_BYTES :]).decode("ascii")


class _Exited(Exception):
    """The worker's process ended before it answered."""


class _Worker:
    def __init__(self, process: asyncio.subprocess.Process, stream_name: str) -> None:
        self.process = process
        self.stream_name = stream_name
        self.drain = asyncio.ensure_future(self._drain_stderr())

    async def _drain_stderr(self) -> None:
        """What the worker writes outside an invocation's capture goes to gureum's log (in
        chunks: a line longer than readline's limit once stopped the draining, and a worker
        blocked on a full pipe then timed out)."""
        stream = self.process.stderr
        assert stream is not None
        while chunk := await stream.read(65536):
            log.debug("%s: %s", self.stream_name, chunk.decode(errors="replace").rstrip())

    async def receive(self) -> dict[str, Any]:
        stdout = self.process.stdout
        assert stdout is not None
        try:
            (size,) = _HEADER.unpack(await stdout.readexactly(_HEADER.size))
            message: dict[str, Any] = orjson.loads(await stdout.readexactly(size))
        except (asyncio.IncompleteReadError, ConnectionError):
            raise _Exited from None
        except orjson.JSONDecodeError:  # a broken frame: the worker cannot be trusted again
            self.kill()
            raise _Exited from None
        return message

    async def call(self, message: dict[str, Any]) -> dict[str, Any]:
        stdin = self.process.stdin
        assert stdin is not None
        data = orjson.dumps(message)
        try:
            stdin.write(_HEADER.pack(len(data)) + data)
            await stdin.drain()
        except (ConnectionError, BrokenPipeError):
            raise _Exited from None
        return await self.receive()

    def kill(self) -> None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.process.pid, signal.SIGKILL)

    async def exit_status(self) -> str:
        """How the process ended, as Lambda words it (``exit status 1``, ``signal: killed``)."""
        code = await self.process.wait()
        await self.drain
        if code < 0:
            name = {signal.SIGKILL: "killed", signal.SIGSEGV: "segmentation fault"}.get(
                signal.Signals(-code), signal.Signals(-code).name.lower()
            )
            return f"signal: {name}"
        return f"exit status {code}"


# (account, region, function name, version)
PoolKey = tuple[str, str, str, str]
ON_DEMAND = "on-demand"
PROVISIONED = "provisioned-concurrency"
# a provisioned environment's status reason when its init failed (as AWS words it)
INIT_FAILURE = "FUNCTION_ERROR_INIT_FAILURE"


@dataclass(slots=True)
class _Pool:
    """A version's workers: ``idle`` ones wait for an invocation; ``busy`` counts those
    running one. ``revision`` is the version's RevisionId they were started for.

    Provisioned concurrency: ``provisioned`` workers are wanted; ``provisioned_live`` are
    started (idle in ``provisioned_idle`` or busy), ``provisioned_starting`` on their way;
    ``failure`` is set when one's init failed (no more are started until the next
    :meth:`Runner.provision`)."""

    revision: str
    idle: list[_Worker] = field(default_factory=list)
    busy: int = 0
    provisioned: int = 0
    provisioned_idle: list[_Worker] = field(default_factory=list)
    provisioned_live: int = 0
    provisioned_starting: int = 0
    failure: str | None = None


class Runner:
    def __init__(
        self,
        code_root: Path,
        endpoint: str,
        account_concurrency: int = limits.ACCOUNT_CONCURRENCY,
        log_sink: Callable[[Function, Outcome], None] | None = None,
    ) -> None:
        """``log_sink`` receives every finished invocation's log (CloudWatch Logs)."""
        self._code_root = code_root
        self._endpoint = endpoint
        self._account_concurrency = account_concurrency
        self._log_sink = log_sink
        self._pools: dict[PoolKey, _Pool] = {}
        # reserved concurrency by (account, region, function); running invocations by
        # function, and of functions without a reservation by (account, region)
        self._reserved: dict[tuple[str, str, str], int] = {}
        # provisioned concurrency by (account, region, function): its versions' together
        self._provisioned: dict[tuple[str, str, str], int] = {}
        self._running: dict[tuple[str, str, str], int] = {}
        self._unreserved_running: dict[tuple[str, str], int] = {}
        self._tasks: set[asyncio.Task[Any]] = set()
        self._provisioned_starts = asyncio.Semaphore(limits.PROVISIONED_STARTS_AT_ONCE)
        self._workers: set[_Worker] = set()  # every live worker, idle or busy
        self._layer_source: LayerSource = lambda _account, _region, _sha256: None

    def use_layers(self, source: LayerSource) -> None:
        """Where cold starts read the zips of the functions' layers."""
        self._layer_source = source

    # --- lifecycle

    def retire(self, account: str, region: str, name: str, version: str | None = None) -> None:
        """A version of the function (every version when ``version`` is None) changed or is
        gone: its idle workers stop now, busy ones after their current invocation."""
        keys = [
            k
            for k in self._pools
            if k[:3] == (account, region, name) and (version is None or k[3] == version)
        ]
        for key in keys:
            pool = self._pools.pop(key)
            for worker in [*pool.idle, *pool.provisioned_idle]:
                self._stop(worker)
            pool.idle.clear()
            pool.provisioned_idle.clear()
        if keys:
            self._count_provisioned(account, region, name)

    def reserve(self, account: str, region: str, name: str, reserved: int | None) -> None:
        """Set (or with None, remove) a function's reserved concurrency."""
        if reserved is None:
            self._reserved.pop((account, region, name), None)
        else:
            self._reserved[account, region, name] = reserved

    def provision(self, function: Function, code: Callable[[], bytes | None], count: int) -> None:
        """Keep ``count`` workers of this published version started in advance (0: none);
        extra idle ones stop now, busy ones after their invocation, missing ones start in the
        background (a failed init stops that: see :meth:`provisioned_state`)."""
        pool = self._pool(function)
        pool.provisioned, pool.failure = count, None
        while pool.provisioned_live > count and pool.provisioned_idle:
            self._stop(pool.provisioned_idle.pop())
            pool.provisioned_live -= 1
        self._count_provisioned(function.account, function.region, function.name)
        self._fill(pool, function, code)

    def provisioned_state(
        self, account: str, region: str, name: str, version: str
    ) -> tuple[int, int, str | None]:
        """(workers started, workers wanted, failure reason) of a version's provisioned
        concurrency."""
        pool = self._pools.get((account, region, name, version))
        if pool is None:
            return 0, 0, None
        return min(pool.provisioned_live, pool.provisioned), pool.provisioned, pool.failure

    def _count_provisioned(self, account: str, region: str, name: str) -> None:
        function = (account, region, name)
        total = sum(p.provisioned for k, p in self._pools.items() if k[:3] == function)
        if total:
            self._provisioned[account, region, name] = total
        else:
            self._provisioned.pop((account, region, name), None)

    def _fill(self, pool: _Pool, function: Function, code: Callable[[], bytes | None]) -> None:
        """Start the provisioned workers ``pool`` lacks."""
        if pool.failure is not None:
            return
        missing = pool.provisioned - pool.provisioned_live - pool.provisioned_starting
        for _ in range(missing):
            pool.provisioned_starting += 1
            self.background(self._start_provisioned(pool, function, code))

    async def _start_provisioned(
        self, pool: _Pool, function: Function, code: Callable[[], bytes | None]
    ) -> None:
        key = (function.account, function.region, function.name, function.version)
        try:
            # a few at a time: each start forks on the event loop, and a config of hundreds
            # once held every other request up for seconds
            async with self._provisioned_starts:
                if self._pools.get(key) is not pool or pool.provisioned_live >= pool.provisioned:
                    return  # retired or shrunk while waiting
                worker, ready = await self._start(function, code, PROVISIONED)
        except ServiceError as error:
            if error.code != "ResourceNotFoundException":  # (else the version is gone)
                pool.failure = INIT_FAILURE  # such as a package that cannot be unpacked
            return
        except Exception:  # FAILED rather than IN_PROGRESS for ever
            log.exception("provisioned worker of %s failed to start", function.arn)
            pool.failure = INIT_FAILURE
            return
        finally:
            pool.provisioned_starting -= 1
        if ready.get("error") is not None:
            self._stop(worker)
            pool.failure = INIT_FAILURE
        elif self._pools.get(key) is not pool or pool.provisioned_live >= pool.provisioned:
            self._stop(worker)  # retired or shrunk meanwhile
        else:
            pool.provisioned_live += 1
            pool.provisioned_idle.append(worker)

    async def shutdown(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        for worker in self._workers:
            worker.kill()
        self._pools.clear()
        waits = [w.process.wait() for w in self._workers]
        await asyncio.gather(*waits, return_exceptions=True)
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)

    def background(self, work: Coroutine[Any, Any, Any]) -> None:
        """Run ``work`` (an Event invocation) on its own, logging its failure."""
        task = asyncio.ensure_future(work)
        self._tasks.add(task)
        task.add_done_callback(self._finished)

    def _finished(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("background invocation failed", exc_info=task.exception())

    def _stop(self, worker: _Worker) -> None:
        worker.kill()
        self.background(worker.process.wait())

    # --- invocations

    def _throttled(self, function: Function) -> bool | None:
        """None when ``function`` may start one more invocation, else whether its own
        reservation (True) or the account's unreserved pool (False) is full."""
        key = (function.account, function.region, function.name)
        reserved = self._reserved.get(key)
        if reserved is not None:
            limit = reserved - self._provisioned.get(key, 0)
            return True if self._running.get(key, 0) >= limit else None
        pool = self._account_concurrency - sum(
            n for (a, r, _), n in self._reserved.items() if (a, r) == key[:2]
        )
        if self._provisioned:
            pool -= sum(
                n
                for k, n in self._provisioned.items()
                if k[:2] == key[:2] and k not in self._reserved
            )
        return False if self._unreserved_running.get(key[:2], 0) >= pool else None

    def _occupy(self, function: Function, delta: int, shared: bool) -> None:
        """Count an invocation starting (+1) or ending (-1); ``shared``: it runs in the
        account's unreserved pool (as decided when it started)."""
        key = (function.account, function.region, function.name)
        self._running[key] = self._running.get(key, 0) + delta
        if not self._running[key]:
            del self._running[key]
        if shared:
            region = key[:2]
            self._unreserved_running[region] = self._unreserved_running.get(region, 0) + delta

    async def invoke(
        self,
        function: Function,
        code: Callable[[], bytes | None],
        event: bytes,
        request_id: str,
        client_context: Any = None,
    ) -> Outcome:
        """Run one invocation (on an idle provisioned worker of the version first);
        TooManyRequestsException past the concurrency limit."""
        pool = self._pool(function)
        if pool.provisioned_idle:  # its own slot: not counted against the function or account
            worker = pool.provisioned_idle.pop()
            pool.busy += 1
            try:
                outcome = await self._run(
                    function, pool, code, event, request_id, client_context, worker
                )
            finally:
                pool.busy -= 1
        else:
            throttled = self._throttled(function)
            if throttled is not None:
                raise errors.too_many_requests(reserved=throttled)
            shared = (function.account, function.region, function.name) not in self._reserved
            pool.busy += 1
            self._occupy(function, 1, shared)
            try:
                outcome = await self._run(function, pool, code, event, request_id, client_context)
            finally:
                pool.busy -= 1
                self._occupy(function, -1, shared)
        if self._log_sink is not None:
            self._log_sink(function, outcome)
        return outcome

    def _pool(self, function: Function) -> _Pool:
        """The pool of ``function``'s version, a new one when its revision changed."""
        key = (function.account, function.region, function.name, function.version)
        pool = self._pools.get(key)
        if pool is None or pool.revision != function.revision_id:
            self.retire(*key)
            pool = self._pools[key] = _Pool(function.revision_id)
        return pool

    async def _run(
        self,
        function: Function,
        pool: _Pool,
        code: Callable[[], bytes | None],
        event: bytes,
        request_id: str,
        client_context: Any,
        provisioned: _Worker | None = None,
    ) -> Outcome:
        """Run the invocation on ``provisioned`` (a provisioned worker taken for it), else on
        an idle worker of the pool, else on a new one (a cold start)."""
        report = _Report(request_id, function)
        worker = provisioned or (pool.idle.pop() if pool.idle else None)
        if worker is None:
            started = time.perf_counter()
            worker, ready = await self._start(function, code)
            report.stream = worker.stream_name
            report.init_ms = (time.perf_counter() - started) * 1000
            report.init_log = ready.get("log", "")
            if ready.get("error") is not None:
                self._stop(worker)
                return report.outcome(orjson.dumps(ready["error"]), "Unhandled")
        report.stream = worker.stream_name
        message = {
            "request_id": request_id,
            "invoked_arn": function.invoked_arn,
            "deadline_ms": int((time.time() + function.timeout) * 1000),
            "event": event.decode(),
            "client_context": client_context,
        }
        started = time.perf_counter()
        try:
            async with asyncio.timeout(function.timeout):  # not wait_for: see poller.changes
                reply = await worker.call(message)
        except TimeoutError:
            self._stop(worker)
            self._lost(pool, function, code, provisioned)
            report.duration_ms = (time.perf_counter() - started) * 1000
            stamp = lambda_timestamp(time.time(), "Z")
            text = f"{stamp} {request_id} Task timed out after {function.timeout:.2f} seconds"
            report.after.append(text + "\n")
            report.status = "timeout"
            return report.outcome(orjson.dumps({"errorMessage": text}), "Unhandled")
        except asyncio.CancelledError:  # the server is stopping
            self._stop(worker)
            raise
        except _Exited:
            self._lost(pool, function, code, provisioned)
            status = await worker.exit_status()
            report.duration_ms = (time.perf_counter() - started) * 1000
            text = f"RequestId: {request_id} Error: Runtime exited with error: {status}"
            report.lines.append(f"{text}\nRuntime.ExitError\n")
            document = {"errorType": "Runtime.ExitError", "errorMessage": text}
            return report.outcome(orjson.dumps(document), "Unhandled")
        report.duration_ms = (time.perf_counter() - started) * 1000
        report.max_memory_mb = int(reply.get("max_memory_mb", 0))
        report.lines.append(reply.get("log", ""))
        self._release(pool, worker, function, code, provisioned is not None)
        if "error" in reply:
            return report.outcome(orjson.dumps(reply["error"]), "Unhandled")
        result = reply["result"].encode()
        if len(result) > limits.MAX_SYNC_PAYLOAD_BYTES:
            document = {
                # the size AWS names here is 100 bytes more than its documented 6 MB
                "errorMessage": "Response payload size exceeded maximum allowed payload size "
                f"({limits.MAX_SYNC_PAYLOAD_BYTES + 100} bytes).",
                "errorType": "Function.ResponseSizeTooLarge",
            }
            return report.outcome(orjson.dumps(document), "Unhandled")
        return report.outcome(result, None)

    def _release(
        self,
        pool: _Pool,
        worker: _Worker,
        function: Function,
        code: Callable[[], bytes | None],
        provisioned: bool,
    ) -> None:
        """A worker finished an invocation: back to its idle list, or stopped when its version
        changed meanwhile (or, provisioned, when fewer are wanted now)."""
        key = (function.account, function.region, function.name, function.version)
        if self._pools.get(key) is not pool:
            self._stop(worker)
        elif not provisioned:
            pool.idle.append(worker)
        elif pool.provisioned_live <= pool.provisioned:
            pool.provisioned_idle.append(worker)
        else:
            self._stop(worker)
            self._lost(pool, function, code, worker)

    def _lost(
        self,
        pool: _Pool,
        function: Function,
        code: Callable[[], bytes | None],
        provisioned: _Worker | None,
    ) -> None:
        """A provisioned worker stopped (killed at its timeout, exited, or not wanted): one
        fewer is live, and a replacement starts when it is still wanted."""
        if provisioned is not None:
            pool.provisioned_live -= 1
            key = (function.account, function.region, function.name, function.version)
            if self._pools.get(key) is pool:
                self._fill(pool, function, code)

    async def _start(
        self, function: Function, code: Callable[[], bytes | None], initialization: str = ON_DEMAND
    ) -> tuple[_Worker, dict[str, Any]]:
        if function.code_folder is not None:  # hot reload: the folder itself is the code
            folder = Path(function.code_folder)
            if not folder.is_dir():  # removed since (not "function not found", nor recreated)
                raise errors.hot_reload_folder_gone(function.code_folder)
        else:
            folder = self._folder(function.code_sha256)
        if not folder.is_dir():  # the package is read here, on the engine's thread
            data = code()
            if data is None:  # deleted meanwhile
                raise errors.function_not_found(function.arn)
            await asyncio.to_thread(unpack, folder, [data])
        opt = await self._layers(function)
        stream_name = _stream_name(function)
        memory_limit = (function.memory_size + limits.INTERPRETER_ALLOWANCE_MB) * 1024 * 1024
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            WORKER_SCRIPT,
            str(memory_limit),
            str(opt or ""),
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            cwd=str(folder),
            env=self._environment(function, str(folder), stream_name, initialization),
            start_new_session=True,
        )
        worker = _Worker(process, stream_name)
        self._workers.add(worker)
        worker.drain.add_done_callback(lambda _: self._workers.discard(worker))
        try:
            async with asyncio.timeout(limits.INIT_TIMEOUT_SECONDS):
                ready = await worker.receive()
        except (TimeoutError, _Exited):
            self._stop(worker)
            status = await worker.exit_status()
            ready = {
                "error": {
                    "errorType": "Runtime.ExitError",
                    "errorMessage": f"Error: Runtime exited with error: {status}",  # [gureum]
                }
            }
        return worker, ready

    def _folder(self, sha256: str) -> Path:
        """The folder holding the code of this CodeSha256 (shared by its workers)."""
        name = base64.urlsafe_b64encode(base64.b64decode(sha256)).decode().rstrip("=")
        return self._code_root / name

    async def _layers(self, function: Function) -> Path | None:
        """The folder holding the function's layers (unpacked on first use), None without."""
        if not function.layers:
            return None
        shas = [layer.code_sha256 for layer in function.layers]
        digest = hashlib.sha256("\n".join(shas).encode()).digest()
        folder = self._code_root / "opt" / base64.urlsafe_b64encode(digest).decode().rstrip("=")
        if not folder.is_dir():  # the zips are read here, on the engine's thread
            packages = []
            for sha256 in shas:
                data = self._layer_source(function.account, function.region, sha256)
                if data is None:  # its function was deleted meanwhile
                    raise errors.function_not_found(function.arn)
                packages.append(data)
            await asyncio.to_thread(unpack, folder, packages)
        return folder

    def _environment(
        self, function: Function, folder: str, stream_name: str, initialization: str
    ) -> dict[str, str]:
        """The function's variables, then Lambda's reserved ones (which win, as on AWS where
        they cannot be set), and the endpoint of gureum for the SDKs."""
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "LANG": "en_US.UTF-8",
            "TZ": ":UTC",
            "AWS_ENDPOINT_URL": self._endpoint,
        }
        if function.code_folder is not None:  # leave no __pycache__ in the user's folder
            env["PYTHONDONTWRITEBYTECODE"] = "1"
        env.update(function.environment or {})
        env.update(
            {
                "_HANDLER": function.handler,
                "AWS_EXECUTION_ENV": f"AWS_Lambda_{function.runtime}",
                "AWS_LAMBDA_FUNCTION_NAME": function.name,
                "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": str(function.memory_size),
                "AWS_LAMBDA_FUNCTION_VERSION": function.version,
                "AWS_LAMBDA_INITIALIZATION_TYPE": initialization,
                "AWS_LAMBDA_LOG_GROUP_NAME": function.log_group_name,
                "AWS_LAMBDA_LOG_STREAM_NAME": stream_name,
                "AWS_REGION": function.region,
                "AWS_DEFAULT_REGION": function.region,
                "LAMBDA_TASK_ROOT": folder,
                # [gureum] dummy credentials; the key id is the account, so the function's own
                # calls to gureum land in its account
                "AWS_ACCESS_KEY_ID": function.account,
                "AWS_SECRET_ACCESS_KEY": "gureum",
                "AWS_SESSION_TOKEN": "gureum",
            }
        )
        if function.log_format == "JSON":  # what the Python runtime reads to log JSON
            env["AWS_LAMBDA_LOG_FORMAT"] = "JSON"
            env["AWS_LAMBDA_LOG_LEVEL"] = function.application_log_level or "INFO"
        return env


# The level of each platform record, for SystemLogLevel (DEBUG < INFO < WARN)
_SYSTEM_LEVELS = {"DEBUG": 0, "INFO": 1, "WARN": 2}
_RECORD_LEVELS = {
    "platform.initStart": "INFO",
    "platform.start": "INFO",
    "platform.runtimeDone": "DEBUG",
    "platform.report": "INFO",
}


@dataclass(slots=True)
class _Report:
    """An invocation's log, as Lambda writes it in the function's LogFormat: with Text, START,
    the function's output, END, REPORT; with JSON, the platform records (``platform.start``,
    ``platform.report``, ... as far as SystemLogLevel lets them through) around the output."""

    request_id: str
    function: Function
    init_log: str = ""
    lines: list[str] = field(default_factory=list)
    after: list[str] = field(default_factory=list)
    duration_ms: float = 0.0
    init_ms: float | None = None
    max_memory_mb: int = 0
    stream: str = ""
    status: str = "success"  # platform.report's: success, error or timeout
    started: float = field(default_factory=time.time)

    def outcome(self, payload: bytes, function_error: str | None) -> Outcome:
        if function_error is not None and self.status == "success":
            self.status = "error"
        text = self._json() if self.function.log_format == "JSON" else self._text()
        return Outcome(payload, function_error, text, self.stream)

    def _text(self) -> str:
        rid = self.request_id
        report = (
            f"REPORT RequestId: {rid}\tDuration: {self.duration_ms:.2f} ms\t"
            f"Billed Duration: {self._billed_ms()} ms\t"
            f"Memory Size: {self.function.memory_size} MB\t"
            f"Max Memory Used: {self.max_memory_mb} MB\t"
        )
        if self.init_ms is not None:
            report += f"Init Duration: {self.init_ms:.2f} ms\t"
        return "".join(
            [
                f"START RequestId: {rid} Version: {self.function.version}\n",
                self.init_log,
                *self.lines,
                f"END RequestId: {rid}\n",
                report + "\n",
                *self.after,
            ]
        )

    def _json(self) -> str:
        """The platform records of the Python runtime's JSON format (the Telemetry API's
        shapes); the function's output between them as it wrote it."""
        function, rid = self.function, self.request_id
        ended = time.time()
        metrics: dict[str, Any] = {
            "durationMs": round(self.duration_ms, 2),
            "billedDurationMs": self._billed_ms(),
            "memorySizeMB": function.memory_size,
            "maxMemoryUsedMB": self.max_memory_mb,
        }
        parts: list[str] = []
        if self.init_ms is not None:
            metrics["initDurationMs"] = round(self.init_ms, 2)
            # [gureum] without runtimeVersion / runtimeVersionArn (optional in the schema)
            init = {
                "initializationType": ON_DEMAND,
                "phase": "init",
                "functionName": function.name,
                "functionVersion": function.version,
            }
            parts += [self._record("platform.initStart", init, self.started), self.init_log]
        start = {"requestId": rid, "version": function.version}
        parts += [self._record("platform.start", start, self.started), *self.lines]
        done = {
            "requestId": rid,
            "status": self.status,
            "metrics": {"durationMs": round(self.duration_ms, 2)},
        }
        report = {"requestId": rid, "metrics": metrics, "status": self.status}
        parts += [
            self._record("platform.runtimeDone", done, ended),
            self._record("platform.report", report, ended),
        ]
        return "".join(parts)

    def _record(self, kind: str, record: dict[str, Any], at: float) -> str:
        """A platform record's line, or nothing when SystemLogLevel filters it out."""
        wanted = _SYSTEM_LEVELS[self.function.system_log_level or "INFO"]
        if _SYSTEM_LEVELS[_RECORD_LEVELS[kind]] < wanted:
            return ""
        line = {"time": lambda_timestamp(at, "Z"), "type": kind, "record": record}
        return orjson.dumps(line).decode() + "\n"

    def _billed_ms(self) -> int:
        return max(math.ceil(self.duration_ms), 1)


def _stream_name(function: Function) -> str:
    """A log stream name as Lambda gives each execution environment; in a custom log group
    (which several functions may share) the function's name comes first."""
    day = time.strftime("%Y/%m/%d/", time.gmtime())
    name = function.name if function.log_group is not None else ""
    return f"{day}{name}[{function.version}]{uuid.uuid4().hex}"
