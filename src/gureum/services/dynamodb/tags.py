"""TagResource, UntagResource, ListTagsOfResource (tables are the taggable resources)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from gureum.core.arns import parse_arn
from gureum.core.errors import constraint_violations
from gureum.services.dynamodb import errors, limits

if TYPE_CHECKING:
    from gureum.core.context import RequestContext
    from gureum.services.dynamodb.catalog import TableCatalog, TableKey
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
    out: dict[str, str] = {}
    for tag in tags:
        key = tag["Key"]
        if key[:4].lower() == "aws:":  # reserved for AWS, in any case
            raise errors.reserved_tag_key(key)
        if key in out:
            raise errors.duplicate_tag_key(key)
        out[key] = tag["Value"]
    if len(out) > limits.MAX_TAGS_PER_RESOURCE:
        raise errors.too_many_tags()
    return out


class TagOperations:
    def __init__(self, catalog: TableCatalog) -> None:
        self._catalog = catalog

    @staticmethod
    def _locate(ctx: RequestContext, arn: str) -> TableKey:
        """The table a ResourceArn names, checked as DynamoDB checks it before it looks the
        table up (which the tag operations do after checking the rest of the request)."""
        if not arn.startswith("arn:"):
            raise errors.not_an_arn(arn)
        parsed = parse_arn(arn)
        if parsed is not None and parsed[0] != "dynamodb":
            raise errors.not_a_dynamodb_arn(arn)
        if parsed is None or not parsed[3].startswith("table/"):
            raise errors.invalid_table_arn(arn)
        _, region, account, resource = parsed
        name, _, rest = resource.removeprefix("table/").partition("/")
        if not name:
            raise errors.invalid_table_arn(arn)
        if rest and not rest.startswith("stream/"):
            raise errors.not_table_or_stream_arn(arn)
        if region != ctx.region:
            raise errors.invalid_table_arn(arn)
        if account != ctx.account:
            raise errors.access_denied()
        if rest:  # a stream: gureum keeps no tags of streams, so there is none to find
            name = ""
        return account, region, name

    def _table(self, key: TableKey, arn: str) -> Table:
        table = self._catalog.get(key) if key[2] else None
        if table is None:
            raise errors.tagged_resource_not_found(arn)
        return table

    # TagResource and UntagResource answer with an empty body, as DynamoDB does.

    def tag_resource(self, ctx: RequestContext, request: dict[str, Any]) -> bytes:
        arn = request["ResourceArn"]
        key = self._locate(ctx, arn)
        if not request["Tags"]:
            raise errors.no_tags()
        tags = check_tags(request["Tags"])
        table = self._table(key, arn)
        merged = {**table.tags, **tags}
        if len(merged) > limits.MAX_TAGS_PER_RESOURCE:
            raise errors.too_many_tags()
        table.tags = merged
        self._catalog.save(table)
        return b""

    def untag_resource(self, ctx: RequestContext, request: dict[str, Any]) -> bytes:
        arn = request["ResourceArn"]
        key = self._locate(ctx, arn)
        keys = request["TagKeys"]
        if not keys:
            raise errors.no_tag_keys()
        table = self._table(key, arn)
        removed = set(keys)
        table.tags = {k: v for k, v in table.tags.items() if k not in removed}
        self._catalog.save(table)
        return b""

    def list_tags_of_resource(self, ctx: RequestContext, request: dict[str, Any]) -> dict[str, Any]:
        arn = request["ResourceArn"]
        table = self._table(self._locate(ctx, arn), arn)
        return {"Tags": [{"Key": k, "Value": v} for k, v in table.tags.items()]}
