"""Who is asking, where, and under which request id: passed to every service operation."""

from __future__ import annotations

import os
from itertools import count

DEFAULT_ACCOUNT = "000000000000"
DEFAULT_REGION = "us-east-1"

_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
# A per-process random prefix plus a counter: unique, AWS-shaped (52 characters), and far
# cheaper than a uuid4 per request.
_PREFIX = "".join(_ALPHABET[b % 36] for b in os.urandom(40))
_counter = count(1)


def new_request_id() -> str:
    return f"{_PREFIX}{next(_counter):012d}"


class RequestContext:
    """The account and region a request acts in, its request id, and the host it was sent to."""

    __slots__ = ("account", "host", "region", "request_id")

    def __init__(self, account: str, region: str, request_id: str, host: str = "") -> None:
        self.account = account
        self.region = region
        self.request_id = request_id
        self.host = host  # the Host header: where the caller reached gureum
