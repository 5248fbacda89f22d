"""Lambda's list paging: ``Marker`` (where the previous page ended) and ``MaxItems``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from collections.abc import Callable

T = TypeVar("T")


def marker_page(
    items: list[T], key: Callable[[T], str], request: dict[str, Any], default_limit: int
) -> tuple[list[T], str | None]:
    """The page of ``items`` (ordered by ``key``) after the request's Marker, and the
    NextMarker to answer (None on the last page)."""
    marker = request.get("Marker")
    if marker:
        items = [item for item in items if key(item) > marker]
    limit: int = request.get("MaxItems") or default_limit
    page = items[:limit]
    return page, key(page[-1]) if len(items) > limit else None
