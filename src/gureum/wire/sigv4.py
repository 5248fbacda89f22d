"""What gureum reads from AWS Signature Version 4: the caller's account and region.

Signatures are not verified (any credentials are accepted); the credential scope of the
``Authorization`` header names the region, and the access key id names the account when it is
twelve digits (so tests can act as several accounts), else the default account.
"""

from __future__ import annotations

from functools import lru_cache

from gureum.core.context import DEFAULT_ACCOUNT, DEFAULT_REGION


@lru_cache(maxsize=1024)
def _scope(credential: str) -> tuple[str, str]:
    parts = credential.split("/")
    access_key = parts[0]
    account = access_key if len(access_key) == 12 and access_key.isdigit() else DEFAULT_ACCOUNT
    region = parts[2] if len(parts) >= 3 and parts[2] else DEFAULT_REGION
    return account, region


def account_and_region(authorization: str | None) -> tuple[str, str]:
    """(account, region) of a request from its ``Authorization`` header."""
    if not authorization:
        return DEFAULT_ACCOUNT, DEFAULT_REGION
    start = authorization.find("Credential=")
    if start < 0:
        return DEFAULT_ACCOUNT, DEFAULT_REGION
    start += 11
    end = authorization.find(",", start)
    credential = authorization[start:end] if end >= 0 else authorization[start:]
    return _scope(credential.strip())
