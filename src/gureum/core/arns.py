"""Amazon Resource Names, shaped as AWS shapes them."""

from __future__ import annotations

PARTITION = "aws"


def make_arn(service: str, region: str, account: str, resource: str) -> str:
    return f"arn:{PARTITION}:{service}:{region}:{account}:{resource}"


def parse_arn(arn: str) -> tuple[str, str, str, str] | None:
    """(service, region, account, resource) of a well-formed ARN, else None."""
    parts = arn.split(":", 5)
    if len(parts) != 6 or parts[0] != "arn" or not parts[1]:
        return None
    return parts[2], parts[3], parts[4], parts[5]
