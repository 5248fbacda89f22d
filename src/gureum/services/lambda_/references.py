"""What a FunctionName names: a name, a partial ARN (``account:function:name``) or an ARN,
each maybe with a qualifier (a version, an alias or ``$LATEST``)."""

from __future__ import annotations

import re

from gureum.core.arns import parse_arn

_PARTIAL = re.compile(r"(\d{12}):function:([a-zA-Z0-9_.-]+)(?::(.+))?")
_NAME = re.compile(r"([a-zA-Z0-9_.-]+)(?::(.+))?")


def split_reference(reference: str) -> tuple[str | None, str | None, str, str | None]:
    """(account, region, name, qualifier) of a FunctionName; None where it does not say."""
    parsed = parse_arn(reference)
    if parsed is not None:
        _service, region, account, resource = parsed
        kind, _, rest = resource.partition(":")
        if kind == "function":
            name, _, suffix = rest.partition(":")
        else:  # the model's pattern makes "function:" optional: name[:qualifier]
            name, suffix = kind, rest
        return account, region, name, suffix or None
    partial = _PARTIAL.fullmatch(reference)
    if partial is not None:
        return partial.group(1), None, partial.group(2), partial.group(3)
    plain = _NAME.fullmatch(reference)
    if plain is not None:
        return None, None, plain.group(1), plain.group(2)
    return None, None, reference, None
