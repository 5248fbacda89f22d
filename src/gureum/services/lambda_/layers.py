"""Lambda layers' operations (PublishLayerVersion, GetLayerVersion, GetLayerVersionByArn,
ListLayerVersions, ListLayers, DeleteLayerVersion), the check of a function's ``Layers``, and
the download behind a layer version's ``Content.Location``. The versions and their zips are
kept by :mod:`gureum.services.lambda_.layer_store`.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from gureum.core.arns import parse_arn
from gureum.services.lambda_ import errors, limits
from gureum.services.lambda_.code_store import code_sha256
from gureum.services.lambda_.functions import AttachedLayer
from gureum.services.lambda_.layer_store import ContentKey, LayerKey, LayerVersion
from gureum.services.lambda_.packages import unzipped_size
from gureum.services.lambda_.paging import marker_page

if TYPE_CHECKING:
    from collections.abc import Callable

    from gureum.core.clock import Clock
    from gureum.core.context import RequestContext
    from gureum.services.lambda_.layer_store import LayerStore

# where Content.Location points (gureum's own URL; AWS's is a presigned S3 URL)
_DOWNLOAD = re.compile(
    r"/2018-10-31/layers/([a-zA-Z0-9_-]+)/versions/([0-9]{1,12})/content-download"
)


class Layers:
    """The layer operations, the check of a function's ``Layers``, and the download behind
    ``Content.Location``. ``attached`` lists the content every function version uses."""

    def __init__(
        self, store: LayerStore, clock: Clock, attached: Callable[[], set[ContentKey]]
    ) -> None:
        self._store = store
        self._clock = clock
        self._attached = attached
        self.operations = {
            "PublishLayerVersion": self.publish_layer_version,
            "GetLayerVersion": self.get_layer_version,
            "GetLayerVersionByArn": self.get_layer_version_by_arn,
            "ListLayerVersions": self.list_layer_versions,
            "ListLayers": self.list_layers,
            "DeleteLayerVersion": self.delete_layer_version,
        }
        store.collect(attached())  # content left over from functions deleted meanwhile

    # --- operations

    def publish_layer_version(self, ctx: RequestContext, request: dict[str, Any]) -> dict[str, Any]:
        account, region, name = _layer(ctx, request["LayerName"])
        if (account, region) != (ctx.account, ctx.region):
            raise errors.layer_not_ours()
        content = request["Content"]
        data = content.get("ZipFile")
        if data is None:
            if any(k in content for k in ("S3Bucket", "S3Key", "S3ObjectVersion")):
                raise errors.layer_content_unsupported()
            raise errors.layer_content_missing()
        size = unzipped_size(data)
        if size >= limits.CODE_SIZE_UNZIPPED_BYTES:
            raise errors.code_too_large_unzipped(limits.CODE_SIZE_UNZIPPED_BYTES)
        version = LayerVersion(
            account=account,
            region=region,
            name=name,
            version=0,
            created=self._clock.now(),
            code_sha256=code_sha256(data),
            code_size=len(data),
            unzipped_size=size,
            description=request.get("Description", ""),
            compatible_runtimes=_copy(request.get("CompatibleRuntimes")),
            compatible_architectures=_copy(request.get("CompatibleArchitectures")),
            license_info=request.get("LicenseInfo"),
        )
        added = self._store.add(version, data)
        return added.details(_location(ctx, added))

    def get_layer_version(self, ctx: RequestContext, request: dict[str, Any]) -> dict[str, Any]:
        number = _number(request["VersionNumber"])
        version = self._find(ctx, *_layer(ctx, request["LayerName"]), number)
        return version.details(_location(ctx, version))

    def get_layer_version_by_arn(
        self, ctx: RequestContext, request: dict[str, Any]
    ) -> dict[str, Any]:
        found = _version_arn(request["Arn"])
        if found is None:  # the AWS-owned ``awslayer`` form: gureum has none of those
            raise errors.layer_version_not_found()
        version = self._find(ctx, *found)
        return version.details(_location(ctx, version))

    def list_layer_versions(self, ctx: RequestContext, request: dict[str, Any]) -> dict[str, Any]:
        """A layer's versions, newest first (none for a layer there is not)."""
        runtime, architecture = _filters(request)
        versions = [
            v
            for v in self._store.of(*_layer(ctx, request["LayerName"]))
            if (v.account, v.region) == (ctx.account, ctx.region)
            and v.matches(runtime, architecture)
        ]
        page, next_marker = marker_page(
            versions, _newest_first, request, limits.MAX_LAYER_LIST_ITEMS
        )
        out: dict[str, Any] = {"LayerVersions": [v.item() for v in page]}
        if next_marker is not None:
            out["NextMarker"] = next_marker
        return out

    def list_layers(self, ctx: RequestContext, request: dict[str, Any]) -> dict[str, Any]:
        """Every layer by name with its newest version matching the filters (a layer none of
        whose versions match is left out)."""
        runtime, architecture = _filters(request)
        latest: list[LayerVersion] = []
        for name in self._store.names(ctx.account, ctx.region):
            versions = self._store.of(ctx.account, ctx.region, name)
            matching = [v for v in versions if v.matches(runtime, architecture)]
            if matching:
                latest.append(matching[0])
        page, next_marker = marker_page(
            latest, lambda v: v.name, request, limits.MAX_LAYER_LIST_ITEMS
        )
        layers = [
            {"LayerName": v.name, "LayerArn": v.layer_arn, "LatestMatchingVersion": v.item()}
            for v in page
        ]
        out: dict[str, Any] = {"Layers": layers}
        if next_marker is not None:
            out["NextMarker"] = next_marker
        return out

    def delete_layer_version(self, ctx: RequestContext, request: dict[str, Any]) -> dict[str, Any]:
        """Idempotent, as on AWS: a version there is not is deleted already."""
        number = _number(request["VersionNumber"])
        account, region, name = _layer(ctx, request["LayerName"])
        version = self._store.get(account, region, name, number)
        if version is not None and (account, region) == (ctx.account, ctx.region):
            self._store.remove(version)
            self.collect()
        return {}

    # --- for functions

    def attach(self, ctx: RequestContext, arns: list[str], code_size: int) -> list[AttachedLayer]:
        """The layers a CreateFunction or UpdateFunctionConfiguration names, checked as AWS
        checks them; ``code_size`` is the unzipped size of the function's own code."""
        if len(arns) > limits.MAX_LAYERS_PER_FUNCTION:
            raise errors.too_many_layers(limits.MAX_LAYERS_PER_FUNCTION)
        seen: dict[str, str] = {}  # layer ARN -> the version ARN naming it
        chosen: list[LayerVersion] = []
        for arn in arns:
            found = _version_arn(arn)
            if found is not None and found[0] == ctx.account and found[1] != ctx.region:
                raise errors.layer_in_other_region(ctx.region)
            # [gureum] another account's layers are never found (gureum keeps no layer
            # permissions), where AWS answers AccessDeniedException without a policy
            version = None
            if found is not None and found[:2] == (ctx.account, ctx.region):
                version = self._store.get(*found)
            if version is None:
                raise errors.layer_version_missing(arn)
            if version.layer_arn in seen:
                raise errors.layer_referenced_twice(seen[version.layer_arn], arn)
            seen[version.layer_arn] = arn
            chosen.append(version)
        _check_total(code_size + sum(v.unzipped_size for v in chosen))
        return [AttachedLayer(v.arn, v.code_size, v.code_sha256) for v in chosen]

    def check_new_code(
        self, account: str, region: str, attached: list[AttachedLayer], code_size: int
    ) -> None:
        """UpdateFunctionCode's check: new code of ``code_size`` bytes unzipped, with the
        layers the function has (deleted versions included), within the unzipped limit."""
        layers = (self._store.content(account, region, a.code_sha256) for a in attached)
        _check_total(code_size + sum(unzipped_size(data or b"") for data in layers))

    def collect(self) -> None:
        """Drop layer content no layer version and no function uses any more."""
        self._store.collect(self._attached())

    def download(self, path: str, query: dict[str, list[str]]) -> bytes | None:
        """The zip behind a ``Content.Location`` URL, or None."""
        found = _DOWNLOAD.fullmatch(path)
        if found is None:
            return None
        account, region = query.get("account", [""])[-1], query.get("region", [""])[-1]
        version = self._store.get(account, region, found.group(1), int(found.group(2)))
        if version is None or version.code_sha256 != query.get("sha256", [""])[-1]:
            return None
        return self._store.content(account, region, version.code_sha256)

    def _find(
        self, ctx: RequestContext, account: str, region: str, name: str, number: int
    ) -> LayerVersion:
        version = None
        if (account, region) == (ctx.account, ctx.region):
            version = self._store.get(account, region, name, number)
        if version is None:
            raise errors.layer_version_not_found()
        return version


def _check_total(size: int) -> None:
    if size > limits.CODE_SIZE_UNZIPPED_BYTES:
        raise errors.code_with_layers_too_large(limits.CODE_SIZE_UNZIPPED_BYTES, size)


def _layer(ctx: RequestContext, reference: str) -> LayerKey:
    """(account, region, name) of a LayerName: a name (the caller's) or a layer ARN."""
    parsed = parse_arn(reference)
    if parsed is None:
        return ctx.account, ctx.region, reference
    _service, region, account, resource = parsed
    return account, region, resource.removeprefix("layer:")


def _version_arn(arn: str) -> tuple[str, str, str, int] | None:
    """(account, region, name, number) of a layer version ARN, else None."""
    parsed = parse_arn(arn)
    if parsed is None:
        return None
    _service, region, account, resource = parsed
    parts = resource.split(":")
    if len(parts) != 3 or parts[0] != "layer" or not re.fullmatch("[0-9]{1,12}", parts[2]):
        return None
    _kind, name, number = parts
    return account, region, name, int(number)


def _filters(request: dict[str, Any]) -> tuple[str | None, str | None]:
    return request.get("CompatibleRuntime"), request.get("CompatibleArchitecture")


def _number(value: int) -> int:
    if value < 1:
        raise errors.layer_version_below_one()
    return value


def _newest_first(version: LayerVersion) -> str:
    """ListLayerVersions' marker of a version: it grows as the numbers fall, so markers
    order as the (newest first) entries do."""
    return f"{10**12 - version.version:012d}"


def _copy(values: list[str] | None) -> list[str] | None:
    return None if values is None else list(values)


def _location(ctx: RequestContext, version: LayerVersion) -> str:
    """Content.Location: gureum's URL of the zip (see :meth:`Layers.download`)."""
    query = urlencode(
        {"account": version.account, "region": version.region, "sha256": version.code_sha256}
    )
    host = ctx.host or "localhost:4566"
    return (
        f"http://{host}/2018-10-31/layers/{version.name}/versions/{version.version}"
        f"/content-download?{query}"
    )
