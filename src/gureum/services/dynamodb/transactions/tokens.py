"""ClientRequestToken: TransactWriteItems' idempotency.

A token is remembered for 10 minutes after the transaction that used it succeeded, with a
digest of its TransactItems. The same token with the same actions within that window succeeds
again without writing anything; with other actions it is refused
(IdempotentParameterMismatchException). Tokens are per account and region, and kept in memory
(a restart forgets them). boto3 sends a fresh token with every call unless given one.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from typing import TYPE_CHECKING, Any

import orjson

from gureum.services.dynamodb import errors, limits

if TYPE_CHECKING:
    from gureum.core.clock import Clock
    from gureum.core.context import RequestContext

# [gureum] At most this many tokens are remembered (the oldest are forgotten first): a bound on
# memory under sustained load, about 330 transactions a second over the 10-minute window.
MAX_REMEMBERED_TOKENS = 200_000

TokenKey = tuple[str, str, str]  # (account, region, token)


def digest(transact_items: list[Any]) -> bytes:
    """What identifies a transaction's actions (the rest of the request may differ)."""
    data = orjson.dumps(transact_items, option=orjson.OPT_SORT_KEYS)
    return hashlib.blake2b(data, digest_size=16).digest()


class IdempotencyTokens:
    __slots__ = ("_clock", "_tokens")

    def __init__(self, clock: Clock) -> None:
        self._clock = clock
        # token -> (digest, expiry time), in order of expiry
        self._tokens: OrderedDict[TokenKey, tuple[bytes, float]] = OrderedDict()

    def seen(self, ctx: RequestContext, token: str, request_digest: bytes) -> bool:
        """Whether a transaction with this token and these actions already succeeded within
        the window; IdempotentParameterMismatchException if the actions differ."""
        self._forget_expired()
        found = self._tokens.get((ctx.account, ctx.region, token))
        if found is None:
            return False
        if found[0] != request_digest:
            raise errors.idempotent_parameter_mismatch()
        return True

    def remember(self, ctx: RequestContext, token: str, request_digest: bytes) -> None:
        tokens = self._tokens
        key = (ctx.account, ctx.region, token)
        tokens.pop(key, None)
        tokens[key] = (request_digest, self._clock.now() + limits.IDEMPOTENCY_WINDOW_SECONDS)
        while len(tokens) > MAX_REMEMBERED_TOKENS:
            tokens.popitem(last=False)

    def _forget_expired(self) -> None:
        tokens = self._tokens
        now = self._clock.now()
        while tokens:
            key, (_, expires) = next(iter(tokens.items()))
            if expires > now:
                break
            del tokens[key]
