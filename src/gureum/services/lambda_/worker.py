"""The worker: one sandbox of a Python function, run as a script
(``python .../lambda_/worker.py <address-space limit in bytes> <layers folder>``, so it needs
gureum on no path) by :mod:`gureum.services.lambda_.runner`, with the function's code unpacked
in its working folder (``LAMBDA_TASK_ROOT``), its layers in the layers folder (what ``/opt`` is
on AWS; empty without layers) and Lambda's environment variables set.

It imports the handler (``_HANDLER``: ``module.function``), reports ``ready`` (or the init
error), then serves invocations one at a time over stdin/stdout: each message is a 4-byte
big-endian length and a JSON document. What the function prints, and what it logs through the
root logger (AWS's format), is captured per invocation and returned with the result; stray
writes to file descriptor 1 go to stderr, never into the protocol.

Only the standard library is imported here, so a worker starts fast.
"""

from __future__ import annotations

import importlib
import io
import json
import logging
import os
import resource
import struct
import sys
import time
import traceback
from typing import IO, Any

_HEADER = struct.Struct(">I")
# LoggingConfig's JSON format: the runtime's logging and error lines become JSON objects
_JSON_FORMAT = os.environ.get("AWS_LAMBDA_LOG_FORMAT", "").upper() == "JSON"
# the LogRecord attributes that are not extra fields of a JSON log line
_RECORD_FIELDS = frozenset(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {
    "message",
    "asctime",
    "aws_request_id",
}


class LambdaContext:
    """The context object a handler receives (the Python runtime's attribute names)."""

    def __init__(self, message: dict[str, Any]) -> None:
        self.aws_request_id: str = message["request_id"]
        self.invoked_function_arn: str = message["invoked_arn"]
        self.function_name = os.environ.get("AWS_LAMBDA_FUNCTION_NAME", "")
        self.function_version = os.environ.get("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST")
        self.memory_limit_in_mb = os.environ.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "128")
        self.log_group_name = os.environ.get("AWS_LAMBDA_LOG_GROUP_NAME", "")
        self.log_stream_name = os.environ.get("AWS_LAMBDA_LOG_STREAM_NAME", "")
        self.client_context: Any = message.get("client_context")
        self.identity: Any = None
        self._deadline_ms: int = message["deadline_ms"]

    def get_remaining_time_in_millis(self) -> int:
        return max(self._deadline_ms - int(time.time() * 1000), 0)


class _RequestIdFilter(logging.Filter):
    request_id = ""

    def filter(self, record: logging.LogRecord) -> bool:
        record.aws_request_id = self.request_id
        return True


class _CurrentStdout(io.TextIOBase):
    """A stream that writes to whatever ``sys.stdout`` is now (the capture of the invocation)."""

    def write(self, text: str) -> int:
        return sys.stdout.write(text)


class _JsonFormatter(logging.Formatter):
    """A log record as the Python runtime writes it with the JSON log format: timestamp,
    level, message, logger, the exception's stackTrace / errorType / errorMessage, requestId,
    location (with an exception), then the record's extra fields; members without a value are
    left out."""

    def format(self, record: logging.LogRecord) -> str:
        level = min(50, max(0, record.levelno)) // 10 * 10
        stamp = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created))
        exc = record.exc_info
        line: dict[str, Any] = {
            "timestamp": f"{stamp}.{int(record.msecs):03d}Z",
            "level": logging.getLevelName(level),
            "message": record.getMessage(),
            "logger": record.name,
        }
        if exc and exc[0] is not None:
            line["stackTrace"] = traceback.format_tb(exc[2])
            line["errorType"] = exc[0].__name__
            line["errorMessage"] = str(exc[1])
        line["requestId"] = getattr(record, "aws_request_id", None)
        if exc:
            line["location"] = f"{record.pathname}:{record.funcName}:{record.lineno}"
        line.update((k, v) for k, v in vars(record).items() if k not in _RECORD_FIELDS)
        present = {k: v for k, v in line.items() if v is not None}
        return json.dumps(present, default=str, ensure_ascii=False) + "\n"


def _install_logging(request_ids: _RequestIdFilter) -> None:
    """The root logger as AWS's Python runtime sets it up: one handler writing to stdout
    ``[LEVEL]\\t<time>Z\\t<request id>\\t<message>`` at level WARNING, or with the JSON log
    format a JSON object per record at the ApplicationLogLevel (``AWS_LAMBDA_LOG_LEVEL``;
    TRACE is DEBUG)."""
    handler = logging.StreamHandler(_CurrentStdout())
    root = logging.getLogger()
    if _JSON_FORMAT:
        handler.setFormatter(_JsonFormatter())
        level = os.environ.get("AWS_LAMBDA_LOG_LEVEL", "INFO").upper()
        root.setLevel({"TRACE": "DEBUG"}.get(level, level))
    else:
        formatter = logging.Formatter(
            "[%(levelname)s]\t%(asctime)s.%(msecs)03dZ\t%(aws_request_id)s\t%(message)s\n",
            "%Y-%m-%dT%H:%M:%S",
        )
        formatter.converter = time.gmtime
        handler.setFormatter(formatter)
        root.setLevel(logging.WARNING)
    handler.addFilter(request_ids)
    handler.terminator = ""
    root.addHandler(handler)


def _stack(tb: Any) -> list[str]:
    """The traceback's frames as the runtime lists them, without the worker's own frames."""
    frames = [f for f in traceback.extract_tb(tb) if f.filename != __file__]
    return traceback.format_list(frames)


def _error(message: str, kind: str, request_id: str, stack: list[str]) -> dict[str, Any]:
    return {
        "errorMessage": message,
        "errorType": kind,
        "requestId": request_id,
        "stackTrace": stack,
    }


def _error_log(error: dict[str, Any]) -> str:
    if _JSON_FORMAT:  # the runtime's JSON error line: its timestamp has no milliseconds
        stamp = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime())
        return json.dumps({"timestamp": stamp, "level": "ERROR", **error}) + "\n"
    # [gureum] the runtime's error log line, with plain newlines
    lines = f"[ERROR] {error['errorType']}: {error['errorMessage']}\n"
    if error["stackTrace"]:
        lines += "Traceback (most recent call last):\n" + "".join(error["stackTrace"])
    return lines


def _load_handler(spec: str) -> tuple[Any, dict[str, Any] | None]:
    """The handler function, or the error the runtime reports for it."""
    module_name, dot, function_name = spec.rpartition(".")
    if not dot or not module_name:
        message = f"Bad handler '{spec}': not enough values to unpack (expected 2, got 1)"
        return None, _error(message, "Runtime.MalformedHandlerName", "", [])
    try:
        module = importlib.import_module(module_name.replace("/", "."))
    except ImportError as exc:
        return None, _error(
            f"Unable to import module '{module_name}': {exc}", "Runtime.ImportModuleError", "", []
        )
    except SyntaxError as exc:
        return None, _error(
            f"Syntax error in module '{module_name}': {exc}", "Runtime.UserCodeSyntaxError", "", []
        )
    except Exception as exc:
        return None, _error(str(exc), type(exc).__name__, "", _stack(exc.__traceback__))
    handler = getattr(module, function_name, None)
    if handler is None:
        return None, _error(
            f"Handler '{function_name}' missing on module '{module_name}'",
            "Runtime.HandlerNotFound",
            "",
            [],
        )
    return handler, None


def _layer_paths(opt: str) -> list[str]:
    """Where the Python runtime looks for modules in the layers, after the function's own code
    and in its order (the sys.path of AWS's runtime: ``/opt/python/lib/python3.X/site-packages``,
    then ``/opt/python``)."""
    if not opt:
        return []
    python = os.path.join(opt, "python")
    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    return [os.path.join(python, "lib", version, "site-packages"), python]


def _read(stream: IO[bytes]) -> dict[str, Any] | None:
    header = stream.read(_HEADER.size)
    if len(header) < _HEADER.size:
        return None
    (size,) = _HEADER.unpack(header)
    message: dict[str, Any] = json.loads(stream.read(size))
    return message


def _write(stream: IO[bytes], message: dict[str, Any]) -> None:
    # lone surrogates (print("\udcff")) become "?": the server's JSON parser refuses them
    data = json.dumps(message, ensure_ascii=False).encode("utf-8", "replace")
    stream.write(_HEADER.pack(len(data)) + data)
    stream.flush()


def _max_memory_mb() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024


def _invoke(handler: Any, message: dict[str, Any], request_ids: _RequestIdFilter) -> dict[str, Any]:
    request_id: str = message["request_id"]
    request_ids.request_id = request_id
    capture = io.StringIO()
    sys.stdout = sys.stderr = capture
    try:
        event = json.loads(message["event"])
        result = handler(event, LambdaContext(message))
        try:
            reply: dict[str, Any] = {"result": json.dumps(result)}
        except (TypeError, ValueError) as exc:
            text = f"Unable to marshal response: {exc}"
            error = _error(text, "Runtime.MarshalError", request_id, [])
            capture.write(_error_log(error))
            reply = {"error": error}
    except Exception as exc:
        error = _error(str(exc), type(exc).__name__, request_id, _stack(exc.__traceback__))
        capture.write(_error_log(error))
        reply = {"error": error}
    finally:
        sys.stdout = sys.stderr = sys.__stderr__
    reply["log"] = capture.getvalue()
    reply["max_memory_mb"] = _max_memory_mb()
    return reply


def main() -> None:
    limit = int(sys.argv[1]) if len(sys.argv) > 1 else 0
    if limit > 0:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    requests = sys.stdin.buffer
    replies = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # stray writes to fd 1 go to stderr
    sys.stdout = sys.stderr
    task_root = os.environ.get("LAMBDA_TASK_ROOT", os.getcwd())
    here = os.path.dirname(os.path.abspath(__file__))  # sys.path[0] of a script
    sys.path[:] = [task_root, *_layer_paths(sys.argv[2] if len(sys.argv) > 2 else "")] + [
        p for p in sys.path if p not in ("", task_root, here)
    ]
    request_ids = _RequestIdFilter()
    _install_logging(request_ids)
    started = time.perf_counter()
    capture = io.StringIO()
    sys.stdout = sys.stderr = capture
    try:
        handler, init_error = _load_handler(os.environ.get("_HANDLER", ""))
    finally:
        sys.stdout = sys.stderr = sys.__stderr__
    if init_error is not None:
        capture.write(_error_log(init_error))
    _write(
        replies,
        {
            "ready": True,
            "init_ms": (time.perf_counter() - started) * 1000,
            "error": init_error,
            "log": capture.getvalue(),
        },
    )
    if init_error is not None:
        return
    while True:
        message = _read(requests)
        if message is None:
            return
        _write(replies, _invoke(handler, message, request_ids))


if __name__ == "__main__":
    main()
