"""Functions: their configuration (a typed record, stored as a catalog record of kind
``lambda-function``), and the store that keeps them by (account, region, name). A published
version is the same record with ``version`` set to its number (kept by
:mod:`gureum.services.lambda_.versions`)."""

from __future__ import annotations

import time
import uuid
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

import orjson

from gureum.core.arns import make_arn
from gureum.services.lambda_ import errors, limits

if TYPE_CHECKING:
    from gureum.storage.engine import Engine

FUNCTION_KIND = "lambda-function"
_RECORD_PREFIX = "lambda:function:"  # no table name has a colon: no clash in the catalog
LATEST = "$LATEST"


def lambda_timestamp(seconds: float, zone: str = "+0000") -> str:
    """Lambda's LastModified format, ``2024-01-01T00:00:00.000+0000``; with ``zone="Z"`` the
    format of its log lines and invocation records, ``2024-01-01T00:00:00.000Z``."""
    millis = round(seconds * 1000)
    base = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(millis // 1000))
    return f"{base}.{millis % 1000:03d}{zone}"


def function_arn(region: str, account: str, name: str) -> str:
    return make_arn("lambda", region, account, f"function:{name}")


@dataclass(frozen=True, slots=True)
class AttachedLayer:
    """A layer version a function uses (FunctionConfiguration's ``Layers``); its content is
    found by CodeSha256, so the function keeps it after the layer version is deleted."""

    arn: str
    code_size: int
    code_sha256: str


@dataclass(slots=True)
class Function:
    account: str
    region: str
    name: str
    runtime: str
    role: str
    handler: str
    code_sha256: str
    code_size: int
    last_modified: float
    description: str = ""
    timeout: int = limits.DEFAULT_TIMEOUT_SECONDS
    memory_size: int = limits.DEFAULT_MEMORY_MB
    environment: dict[str, str] | None = None
    tags: dict[str, str] = field(default_factory=dict)
    recursive_loop: str = "Terminate"  # PutFunctionRecursionConfig's ($LATEST only)
    architectures: list[str] = field(default_factory=lambda: ["x86_64"])
    ephemeral_storage: int = limits.DEFAULT_EPHEMERAL_STORAGE_MB
    tracing_mode: str = "PassThrough"
    layers: list[AttachedLayer] = field(default_factory=list)
    # LoggingConfig: the levels are set with the JSON format only; None: /aws/lambda/<name>
    log_format: str = "Text"
    application_log_level: str | None = None
    system_log_level: str | None = None
    log_group: str | None = None
    revision_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    version: str = LATEST
    # $LATEST only: the last version number handed out (never reused), the RevisionId $LATEST
    # had when it was published, and the function's reserved concurrency
    last_version: int = 0
    published_revision: str = ""
    reserved_concurrency: int | None = None
    # $LATEST of a hot-reload function: the folder that is its code (see local_code.py)
    code_folder: str | None = None
    # not stored: the qualified ARN a request named this version by (a version, an alias or
    # $LATEST), which is its FunctionArn in replies and the invoked ARN of its invocations
    invoked_as: str = ""
    entry_id: int = 0

    @property
    def arn(self) -> str:
        """The function's ARN, qualified with the version for a published version."""
        arn = function_arn(self.region, self.account, self.name)
        return arn if self.version == LATEST else f"{arn}:{self.version}"

    @property
    def unqualified_arn(self) -> str:
        return function_arn(self.region, self.account, self.name)

    @property
    def invoked_arn(self) -> str:
        return self.invoked_as or self.arn

    @property
    def log_group_name(self) -> str:
        """The CloudWatch Logs group of the function's invocations."""
        return self.log_group or f"/aws/lambda/{self.name}"

    def configure_logging(self, config: dict[str, Any]) -> None:
        """Apply a LoggingConfig: the members given replace the stored ones; the JSON format
        defaults both levels to INFO, and the Text format has none (InvalidParameterValue
        when the request gives one)."""
        log_format = config.get("LogFormat", self.log_format)
        levels = {k: config[k] for k in ("ApplicationLogLevel", "SystemLogLevel") if k in config}
        if log_format == "Text" and levels:
            raise errors.log_level_with_text_format()
        if log_format == "JSON" and self.log_format == "JSON":
            application = self.application_log_level
            system = self.system_log_level
        else:
            application = system = limits.DEFAULT_LOG_LEVEL if log_format == "JSON" else None
        self.log_format = log_format
        self.application_log_level = levels.get("ApplicationLogLevel", application)
        self.system_log_level = levels.get("SystemLogLevel", system)
        if "LogGroup" in config:
            self.log_group = config["LogGroup"]

    def logging_config(self) -> dict[str, str]:
        """FunctionConfiguration's LoggingConfig: the levels appear with the JSON format only."""
        if self.log_format == "Text":
            return {"LogFormat": "Text", "LogGroup": self.log_group_name}
        return {
            "LogFormat": self.log_format,
            "ApplicationLogLevel": self.application_log_level or limits.DEFAULT_LOG_LEVEL,
            "SystemLogLevel": self.system_log_level or limits.DEFAULT_LOG_LEVEL,
            "LogGroup": self.log_group_name,
        }

    def touched(self, now: float) -> None:
        """Note a change: a new LastModified and RevisionId."""
        self.last_modified = now
        self.revision_id = str(uuid.uuid4())

    def configuration(self) -> dict[str, Any]:
        """The FunctionConfiguration of this version."""
        out: dict[str, Any] = {
            "FunctionName": self.name,
            "FunctionArn": self.invoked_arn,
            "Runtime": self.runtime,
            "Role": self.role,
            "Handler": self.handler,
            "CodeSize": self.code_size,
            "Description": self.description,
            "Timeout": self.timeout,
            "MemorySize": self.memory_size,
            "LastModified": lambda_timestamp(self.last_modified),
            "CodeSha256": self.code_sha256,
            "Version": self.version,
        }
        if self.environment is not None:
            out["Environment"] = {"Variables": dict(self.environment)}
        if self.layers:
            out["Layers"] = [{"Arn": la.arn, "CodeSize": la.code_size} for la in self.layers]
        out.update(
            {
                "TracingConfig": {"Mode": self.tracing_mode},
                "RevisionId": self.revision_id,
                "State": "Active",
                "LastUpdateStatus": "Successful",
                "PackageType": "Zip",
                "Architectures": list(self.architectures),
                "EphemeralStorage": {"Size": self.ephemeral_storage},
                "SnapStart": {"ApplyOn": "None", "OptimizationStatus": "Off"},
                "LoggingConfig": self.logging_config(),
            }
        )
        return out

    def to_document(self) -> bytes:
        document = asdict(self)
        del document["entry_id"], document["invoked_as"]
        return orjson.dumps(document)

    @classmethod
    def from_document(cls, entry_id: int, document: bytes) -> Function:
        fields: dict[str, Any] = orjson.loads(document)
        fields["layers"] = [AttachedLayer(**layer) for layer in fields.get("layers", [])]
        return cls(**fields, entry_id=entry_id)


class FunctionStore:
    """Every function, by (account, region, name), kept in the engine's catalog."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._functions: dict[tuple[str, str, str], Function] = {}
        for entry in engine.records(FUNCTION_KIND):
            function = Function.from_document(entry.id, entry.document)
            self._functions[function.account, function.region, function.name] = function

    def get(self, account: str, region: str, name: str) -> Function | None:
        return self._functions.get((account, region, name))

    def all(self) -> list[Function]:
        return list(self._functions.values())

    def in_region(self, account: str, region: str) -> list[Function]:
        return [f for (a, r, _), f in self._functions.items() if (a, r) == (account, region)]

    def names(self, account: str, region: str) -> list[str]:
        return sorted(n for a, r, n in self._functions if a == account and r == region)

    def __len__(self) -> int:
        return len(self._functions)

    def add(self, function: Function) -> None:
        """Store a new function (the caller checked that the name is free)."""
        function.entry_id = self._engine.create_record(
            FUNCTION_KIND,
            function.account,
            function.region,
            _RECORD_PREFIX + function.name,
            function.to_document(),
            with_items=False,
        )
        self._functions[function.account, function.region, function.name] = function

    def save(self, function: Function) -> None:
        self._engine.update_entry(function.entry_id, function.to_document())

    def remove(self, function: Function) -> None:
        self._engine.drop_entry(function.entry_id)
        del self._functions[function.account, function.region, function.name]
