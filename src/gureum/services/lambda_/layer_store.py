"""Layer versions and where they are kept: each version is a catalog record of kind
``lambda-layer-version``; a layer's last version number is kept by a ``lambda-layer`` record
(numbers are never handed out twice, even after every version is deleted, as on AWS). The zips
live apart, one ``lambda-layer-content`` record per CodeSha256, so a function keeps the content
of a layer version deleted after it was attached ("a copy of the version remains in Lambda
until no functions refer to it"); content nothing refers to any more is dropped by
:meth:`LayerStore.collect`.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

import orjson

from gureum.core.arns import make_arn
from gureum.services.lambda_.functions import lambda_timestamp

if TYPE_CHECKING:
    from gureum.storage.engine import Engine, Key

LAYER_KIND = "lambda-layer"
LAYER_VERSION_KIND = "lambda-layer-version"
LAYER_CONTENT_KIND = "lambda-layer-content"
_LAYER_PREFIX = "lambda:layer:"
_CONTENT_PREFIX = "lambda:layer-content:"
_ZIP_KEY: Key = (0, b"zip", b"")
LayerKey = tuple[str, str, str]  # (account, region, layer name)
ContentKey = tuple[str, str, str]  # (account, region, CodeSha256)


def layer_arn(region: str, account: str, name: str) -> str:
    return make_arn("lambda", region, account, f"layer:{name}")


@dataclass(slots=True)
class LayerVersion:
    account: str
    region: str
    name: str
    version: int
    created: float
    code_sha256: str
    code_size: int
    unzipped_size: int
    description: str = ""
    # None when the request did not give them (AWS then leaves them out of its answers)
    compatible_runtimes: list[str] | None = None
    compatible_architectures: list[str] | None = None
    license_info: str | None = None
    entry_id: int = 0

    @property
    def layer_arn(self) -> str:
        return layer_arn(self.region, self.account, self.name)

    @property
    def arn(self) -> str:
        return f"{self.layer_arn}:{self.version}"

    def item(self) -> dict[str, Any]:
        """The version as ListLayerVersions and ListLayers show it (LayerVersionsListItem)."""
        out: dict[str, Any] = {
            "LayerVersionArn": self.arn,
            "Version": self.version,
            "Description": self.description,
            "CreatedDate": lambda_timestamp(self.created),
        }
        if self.compatible_runtimes is not None:
            out["CompatibleRuntimes"] = list(self.compatible_runtimes)
        if self.compatible_architectures is not None:
            out["CompatibleArchitectures"] = list(self.compatible_architectures)
        if self.license_info is not None:
            out["LicenseInfo"] = self.license_info
        return out

    def details(self, location: str) -> dict[str, Any]:
        """The answer of PublishLayerVersion and GetLayerVersion(ByArn)."""
        return {
            "Content": {
                "Location": location,
                "CodeSha256": self.code_sha256,
                "CodeSize": self.code_size,
            },
            "LayerArn": self.layer_arn,
            **self.item(),
        }

    def matches(self, runtime: str | None, architecture: str | None) -> bool:
        """Whether the version says it is compatible with the runtime and architecture asked
        for (a filter not given matches every version)."""
        if runtime is not None and runtime not in (self.compatible_runtimes or []):
            return False
        return architecture is None or architecture in (self.compatible_architectures or [])

    def to_document(self) -> bytes:
        document = asdict(self)
        del document["entry_id"]
        return orjson.dumps(document)

    @classmethod
    def from_document(cls, entry_id: int, document: bytes) -> LayerVersion:
        return cls(**orjson.loads(document), entry_id=entry_id)


class LayerStore:
    """Every layer version by (account, region, name, number), each layer's last number, and
    the zips by CodeSha256, kept in the engine's catalog."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._versions: dict[LayerKey, dict[int, LayerVersion]] = {}
        for entry in engine.records(LAYER_VERSION_KIND):
            version = LayerVersion.from_document(entry.id, entry.document)
            self._versions.setdefault(_key(version), {})[version.version] = version
        # a layer's record id and the last number handed out
        self._last: dict[LayerKey, tuple[int, int]] = {}
        for entry in engine.records(LAYER_KIND):
            name = entry.name.removeprefix(_LAYER_PREFIX)
            last: int = orjson.loads(entry.document)["last_version"]
            self._last[entry.account, entry.region, name] = (entry.id, last)
        self._content: dict[ContentKey, int] = {
            (e.account, e.region, e.name.removeprefix(_CONTENT_PREFIX)): e.id
            for e in engine.records(LAYER_CONTENT_KIND)
        }

    def get(self, account: str, region: str, name: str, number: int) -> LayerVersion | None:
        return self._versions.get((account, region, name), {}).get(number)

    def of(self, account: str, region: str, name: str) -> list[LayerVersion]:
        """A layer's versions, newest first."""
        versions = self._versions.get((account, region, name), {})
        return [versions[n] for n in sorted(versions, reverse=True)]

    def names(self, account: str, region: str) -> list[str]:
        return sorted(n for a, r, n in self._versions if (a, r) == (account, region))

    def add(self, version: LayerVersion, data: bytes) -> LayerVersion:
        """Store a new version of a layer (its number is set here) and its zip."""
        key = _key(version)
        entry_id, last = self._last.get(key, (0, 0))
        version.version = last + 1
        document = orjson.dumps({"last_version": version.version})
        if entry_id:
            self._engine.update_entry(entry_id, document)
        else:
            entry_id = self._engine.create_record(
                LAYER_KIND, *key[:2], _LAYER_PREFIX + key[2], document, with_items=False
            )
        self._last[key] = (entry_id, version.version)
        content_key = (version.account, version.region, version.code_sha256)
        if content_key not in self._content:
            content_id = self._engine.create_record(
                LAYER_CONTENT_KIND,
                version.account,
                version.region,
                _CONTENT_PREFIX + version.code_sha256,
                b"{}",
                with_items=True,
            )
            with self._engine.transaction() as tx:
                tx.put(content_id, _ZIP_KEY, len(data), data)
            self._content[content_key] = content_id
        version.entry_id = self._engine.create_record(
            LAYER_VERSION_KIND,
            version.account,
            version.region,
            f"{_LAYER_PREFIX}{version.name}:{version.version}",
            version.to_document(),
            with_items=False,
        )
        self._versions.setdefault(key, {})[version.version] = version
        return version

    def remove(self, version: LayerVersion) -> None:
        self._engine.drop_entry(version.entry_id)
        versions = self._versions.get(_key(version), {})
        versions.pop(version.version, None)
        if not versions:
            self._versions.pop(_key(version), None)

    def content(self, account: str, region: str, sha256: str) -> bytes | None:
        """The zip of a layer version (or of one deleted since) by its CodeSha256."""
        entry_id = self._content.get((account, region, sha256))
        if entry_id is None:
            return None
        row = self._engine.get(entry_id, _ZIP_KEY)
        return None if row is None else bytes(row[1])

    def collect(self, attached: set[ContentKey]) -> None:
        """Drop the zips that neither a layer version nor a function (``attached``) uses."""
        used = attached | {
            (v.account, v.region, v.code_sha256)
            for versions in self._versions.values()
            for v in versions.values()
        }
        for key in [k for k in self._content if k not in used]:
            self._engine.drop_entry(self._content.pop(key))


def _key(version: LayerVersion) -> LayerKey:
    return version.account, version.region, version.name
