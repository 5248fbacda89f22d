"""Published versions: snapshots of a function's ``$LATEST`` configuration and code, numbered
1, 2, ... per function (a number is never handed out twice, even after its version is
deleted). Each is a :class:`Function` with ``version`` set, stored as a catalog record of kind
``lambda-version``; its zip is a copy in the :class:`CodeStore`. PublishVersion and
ListVersionsByFunction live here."""

from __future__ import annotations

import dataclasses
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from gureum.services.lambda_ import errors, limits
from gureum.services.lambda_.code_store import code_sha256
from gureum.services.lambda_.functions import LATEST, Function
from gureum.services.lambda_.local_code import zip_folder

if TYPE_CHECKING:
    from gureum.core.context import RequestContext
    from gureum.services.lambda_.code_store import CodeStore
    from gureum.services.lambda_.functions import FunctionStore
    from gureum.storage.engine import Engine

VERSION_KIND = "lambda-version"
_PREFIX = "lambda:version:"

FunctionKey = tuple[str, str, str]  # (account, region, function name)


class Finder(Protocol):
    """The function ($LATEST) a FunctionName names; its not-found error names the ARN
    qualified with ``shown`` when given."""

    def __call__(
        self, ctx: RequestContext, reference: str, shown: str | None = None, /
    ) -> Function: ...


class VersionStore:
    """Every published version, by function and number, kept in the engine's catalog."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._versions: dict[FunctionKey, dict[int, Function]] = {}
        for entry in engine.records(VERSION_KIND):
            version = Function.from_document(entry.id, entry.document)
            self._versions.setdefault(_key(version), {})[int(version.version)] = version

    def get(self, account: str, region: str, name: str, number: str) -> Function | None:
        if not (number.isascii() and number.isdigit() and len(number) <= 12):
            return None  # no version has such a number (and int() of 4,300 digits fails)
        return self._versions.get((account, region, name), {}).get(int(number))

    def of(self, account: str, region: str, name: str) -> list[Function]:
        """A function's versions, oldest first."""
        versions = self._versions.get((account, region, name), {})
        return [versions[n] for n in sorted(versions)]

    def all(self) -> list[Function]:
        return [v for versions in self._versions.values() for v in versions.values()]

    def add(self, version: Function) -> None:
        version.entry_id = self._engine.create_record(
            VERSION_KIND,
            version.account,
            version.region,
            f"{_PREFIX}{version.name}:{version.version}",
            version.to_document(),
            with_items=False,
        )
        self._versions.setdefault(_key(version), {})[int(version.version)] = version

    def remove(self, version: Function) -> None:
        self._engine.drop_entry(version.entry_id)
        versions = self._versions.get(_key(version), {})
        versions.pop(int(version.version), None)
        if not versions:
            self._versions.pop(_key(version), None)

    def remove_all(self, account: str, region: str, name: str) -> None:
        for version in self.of(account, region, name):
            self.remove(version)


def _key(function: Function) -> FunctionKey:
    return function.account, function.region, function.name


class Versions:
    """PublishVersion and ListVersionsByFunction (and publishing for CreateFunction and
    UpdateFunctionCode with ``Publish``)."""

    def __init__(
        self,
        functions: FunctionStore,
        versions: VersionStore,
        code: CodeStore,
        find: Finder,
    ) -> None:
        self._functions = functions
        self._versions = versions
        self._code = code
        self._find = find
        self.operations = {
            "PublishVersion": self.publish_version,
            "ListVersionsByFunction": self.list_versions_by_function,
        }

    def publish_version(self, ctx: RequestContext, request: dict[str, Any]) -> dict[str, Any]:
        function = self._find(ctx, request["FunctionName"])
        revision = request.get("RevisionId")
        if revision is not None and revision != function.revision_id:
            raise errors.revision_mismatch()
        sha256 = request.get("CodeSha256")
        if sha256 is not None and sha256 != function.code_sha256:
            raise errors.code_sha256_mismatch(sha256, function.code_sha256)
        return self.publish(function, request.get("Description")).configuration()

    def publish(self, function: Function, description: str | None = None) -> Function:
        """A new version of ``function`` ($LATEST), or its last version when $LATEST has not
        changed since that was published."""
        if function.published_revision == function.revision_id:
            last = self._versions.get(
                function.account, function.region, function.name, str(function.last_version)
            )
            if last is not None:
                return last
        if function.code_folder is not None:  # a version of a hot-reload function: a snapshot
            data: bytes | None = zip_folder(Path(function.code_folder))
        else:
            data = self._code.get(function.account, function.region, function.name)
        if data is None:  # deleted meanwhile
            raise errors.function_not_found(function.arn)
        number = str(function.last_version + 1)
        version = dataclasses.replace(
            function,
            code_folder=None,
            code_sha256=code_sha256(data),
            code_size=len(data),
            version=number,
            description=function.description if description is None else description,
            revision_id=str(uuid.uuid4()),
            last_version=0,
            published_revision="",
            reserved_concurrency=None,
            invoked_as="",
            environment=None if function.environment is None else dict(function.environment),
            tags={},
            architectures=list(function.architectures),
            layers=list(function.layers),
            entry_id=0,
        )
        self._code.put(function.account, function.region, function.name, data, number)
        self._versions.add(version)
        # publishing gives $LATEST a new RevisionId, as on AWS
        function.last_version = int(number)
        function.revision_id = str(uuid.uuid4())
        function.published_revision = function.revision_id
        self._functions.save(function)
        return version

    def list_versions_by_function(
        self, ctx: RequestContext, request: dict[str, Any]
    ) -> dict[str, Any]:
        function = self._find(ctx, request["FunctionName"])
        limit: int = request.get("MaxItems", limits.DEFAULT_LIST_ITEMS)
        latest = dataclasses.replace(function, invoked_as=f"{function.arn}:{LATEST}")
        everything = [latest, *self._versions.of(function.account, function.region, function.name)]
        marker = request.get("Marker")
        if marker:
            names = [v.version for v in everything]
            if marker not in names:
                raise errors.invalid_marker()
            everything = everything[names.index(marker) + 1 :]
        page = everything[:limit]
        out: dict[str, Any] = {"Versions": [v.configuration() for v in page]}
        if len(everything) > limit:
            out["NextMarker"] = page[-1].version
        return out
