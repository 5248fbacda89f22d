"""TagResource, UntagResource, ListTagsOfResource (tables are the taggable resources)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from gureum.core.arns import parse_arn
from gureum.core.errors import constraint_violations
from gureum.services.dynamodb import errors, limits

if TYPE_CHECKING:
    from gureum.core.context import RequestContext
    from gureum.services.dynamodb.catalog import TableCatalog
    from gureum.services.dynamodb.model import Table

_TAG_PATTERN = r"[\p{L}\p{Z}\p{N}_.:/=+\-@]*"
_TAG_PUNCTUATION = frozenset("_.:/=+-@")


def _tag_text_ok(text: str) -> bool:
    """Letters, separators (whitespace), numbers and ``_.:/=+-@``, as AWS allows in tags."""
    return all(c.isalpha() or c.isnumeric() or c.isspace() or c in _TAG_PUNCTUATION for c in text)


def check_tags(tags: list[dict[str, Any]], member: str = "tags") -> dict[str, str]:
    """Validate a TagList (lengths and presence are shape-checked) and return it as a dict."""
    violations = []
    for i, tag in enumerate(tags, 1):
        for field, value in (("key", tag["Key"]), ("value", tag["Value"])):
            if not _tag_text_ok(value):
                violations.append(
                    f"Value '{value}' at '{member}.{i}.member.{field}' failed to satisfy "
                    f"constraint: Member must satisfy regular expression pattern: {_TAG_PATTERN}"
                )
    if violations:
        raise constraint_violations(violations)
    out = {tag["Key"]: tag["Value"] for tag in tags}
    if len(out) > limits.MAX_TAGS_PER_RESOURCE:
        raise errors.invalid_parameters(
            f"The number of tags exceeds the limit of {limits.MAX_TAGS_PER_RESOURCE}"
        )
    return out


class TagOperations:
    def __init__(self, catalog: TableCatalog) -> None:
        self._catalog = catalog

    def _resource(self, ctx: RequestContext, arn: str) -> Table:
        if not arn.startswith("arn:"):
            raise errors.invalid(f"Invalid TableArn: ARNs must start with 'arn:': {arn}")
        parsed = parse_arn(arn)
        resource = parsed[3] if parsed else ""
        name = resource.removeprefix("table/")
        if (
            parsed is None
            or parsed[0] != "dynamodb"
            or not resource.startswith("table/")
            or not name
            or "/" in name
        ):
            raise errors.invalid(f"Invalid TableArn: Invalid ResourceArn provided as input {arn}")
        table = self._catalog.get((parsed[2], parsed[1], name))
        if table is None:
            raise errors.resource_not_found(
                f"Requested resource not found: ResourcArn: {arn} not found"
            )
        return table

    # TagResource and UntagResource answer with an empty body, as DynamoDB does.

    def tag_resource(self, ctx: RequestContext, request: dict[str, Any]) -> bytes:
        table = self._resource(ctx, request["ResourceArn"])
        tags = request.get("Tags")
        if tags is None:
            raise constraint_violations(
                ["Value null at 'tags' failed to satisfy constraint: Member must not be null"]
            )
        if not tags:
            raise errors.invalid("Atleast one Tag needs to be provided as Input.")
        merged = dict(table.tags)
        merged.update(check_tags(tags))
        if len(merged) > limits.MAX_TAGS_PER_RESOURCE:
            raise errors.invalid_parameters(
                f"The number of tags exceeds the limit of {limits.MAX_TAGS_PER_RESOURCE}"
            )
        table.tags = merged
        self._catalog.save(table)
        return b""

    def untag_resource(self, ctx: RequestContext, request: dict[str, Any]) -> bytes:
        table = self._resource(ctx, request["ResourceArn"])
        keys = request["TagKeys"]
        if not keys:
            raise errors.invalid("Atleast one Tag Key needs to be provided as Input.")
        table.tags = {k: v for k, v in table.tags.items() if k not in set(keys)}
        self._catalog.save(table)
        return b""

    def list_tags_of_resource(self, ctx: RequestContext, request: dict[str, Any]) -> dict[str, Any]:
        table = self._resource(ctx, request["ResourceArn"])
        return {"Tags": [{"Key": k, "Value": v} for k, v in table.tags.items()]}
