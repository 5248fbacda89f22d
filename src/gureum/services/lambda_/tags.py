"""Tags of Lambda resources: TagResource, UntagResource, ListTags.

Functions (unqualified ARNs only, as on AWS) and event source mappings are taggable; each kind
of resource registers how to find a resource's tags and save them (:meth:`Tags.register`), so
the tags stay in the resource's own record and go with it. At most 50 tags per resource."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from gureum.core.arns import parse_arn
from gureum.services.lambda_ import errors, limits

if TYPE_CHECKING:
    from collections.abc import Callable

    from gureum.core.context import RequestContext

    # (the resource's tags, how to save them after a change)
    Tagged = tuple[dict[str, str], Callable[[], None]]
    # (account, region, resource id, ARN) -> the resource, raising its not-found error
    Lookup = Callable[[str, str, str, str], Tagged]


class Tags:
    def __init__(self) -> None:
        self._lookups: dict[str, Lookup] = {}
        self.operations = {
            "TagResource": self.tag_resource,
            "UntagResource": self.untag_resource,
            "ListTags": self.list_tags,
        }

    def register(self, kind: str, lookup: Lookup) -> None:
        """Make the resources of ``kind`` (the ARN's resource type, as ``function``)
        taggable."""
        self._lookups[kind] = lookup

    def tag_resource(self, ctx: RequestContext, request: dict[str, Any]) -> dict[str, Any]:
        tags, save = self._resource(ctx, request["Resource"])
        new: dict[str, str] = request["Tags"]
        if not new:
            raise errors.no_tags_given()
        check_count({**tags, **new})
        tags.update(new)
        save()
        return {}

    def untag_resource(self, ctx: RequestContext, request: dict[str, Any]) -> dict[str, Any]:
        tags, save = self._resource(ctx, request["Resource"])
        removed = [key for key in request["TagKeys"] if tags.pop(key, None) is not None]
        if removed:
            save()
        return {}

    def list_tags(self, ctx: RequestContext, request: dict[str, Any]) -> dict[str, Any]:
        tags, _save = self._resource(ctx, request["Resource"])
        return {"Tags": dict(tags)}

    def _resource(self, ctx: RequestContext, arn: str) -> Tagged:
        parsed = parse_arn(arn)
        assert parsed is not None  # the model's pattern let only Lambda ARNs through
        _service, region, account, resource = parsed
        kind, _, rest = resource.partition(":")
        resource_id, _, qualifier = rest.partition(":")
        if qualifier:
            raise errors.tags_on_qualified_arn()
        lookup = self._lookups.get(kind)
        if lookup is None or (account, region) != (ctx.account, ctx.region):
            raise errors.taggable_not_found(kind, arn)
        return lookup(account, region, resource_id, arn)


def check_count(tags: dict[str, str]) -> None:
    """InvalidParameterValueException past the 50 tags a resource may have."""
    if len(tags) > limits.MAX_TAGS:
        raise errors.too_many_tags()
