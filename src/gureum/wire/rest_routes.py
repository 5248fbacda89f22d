"""The routing table of a REST protocol: HTTP method + path (+ fixed query keys) to an
operation, compiled from each operation's ``http.method`` and ``http.requestUri`` in botocore's
service model.

A ``requestUri`` such as ``/2015-03-31/functions/{FunctionName}/code`` becomes a pattern whose
``{Name}`` labels match one path segment and whose ``{Name+}`` (greedy) labels match the rest of
the path, slashes included. A ``?key`` or ``?key=value`` tail names query parameters the request
must carry. When several routes match, the one with the most literal characters wins (as AWS's
front ends prefer ``/functions/{Name}/code`` over ``/functions/{Name}``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

_LABEL = re.compile(r"\{([A-Za-z0-9_]+)(\+?)\}")


@dataclass(frozen=True, slots=True)
class Route:
    operation: str
    method: str
    pattern: re.Pattern[str]
    labels: tuple[str, ...]  # the regex group names, in order, as the model names the labels
    fixed_query: tuple[tuple[str, str | None], ...]  # (key, value or None for any value)
    literal_length: int
    prefix: str  # the first path segment, slashes around it: "/2015-03-31/"

    def match(self, path: str, query: dict[str, list[str]]) -> dict[str, str] | None:
        """The (percent-decoded) label values if this route takes the request, else None."""
        found = self.pattern.fullmatch(path)
        if found is None:
            return None
        for key, value in self.fixed_query:
            values = query.get(key)
            if values is None or (value is not None and value not in values):
                return None
        return {label: unquote(found.group(f"g{i}")) for i, label in enumerate(self.labels)}


def compile_route(operation: str, http: dict[str, Any]) -> Route:
    uri: str = http["requestUri"]
    path, _, fixed = uri.partition("?")
    labels: list[str] = []
    parts: list[str] = []
    literal = 0
    position = 0
    for found in _LABEL.finditer(path):
        text = path[position : found.start()]
        parts.append(re.escape(text))
        literal += len(text)
        greedy = found.group(2) == "+"
        parts.append(f"(?P<g{len(labels)}>{'.+' if greedy else '[^/]+'})")
        labels.append(found.group(1))
        position = found.end()
    tail = path[position:]
    parts.append(re.escape(tail))
    literal += len(tail)
    pattern = "".join(parts)
    if pattern.endswith("/") and len(path) > 1:
        pattern += "?"  # a trailing slash is optional
    else:
        pattern += "/?"
    fixed_query: list[tuple[str, str | None]] = []
    for pair in fixed.split("&") if fixed else ():
        key, eq, value = pair.partition("=")
        fixed_query.append((key, value if eq else None))
    return Route(
        operation,
        http.get("method", "POST").upper(),
        re.compile(pattern),
        tuple(labels),
        tuple(fixed_query),
        literal + 100 * len(fixed_query),
        "/" + path.lstrip("/").split("/", 1)[0] + "/",
    )


class RouteTable:
    """The routes of the operations a service implements, by method, most specific first."""

    def __init__(self, model: dict[str, Any], operations: set[str]) -> None:
        routes: dict[str, list[Route]] = {}
        for name, spec in model.get("operations", {}).items():
            http = spec.get("http")
            if name in operations and http is not None and "requestUri" in http:
                route = compile_route(name, http)
                routes.setdefault(route.method, []).append(route)
        for group in routes.values():
            group.sort(key=lambda r: -r.literal_length)
        self._routes = routes
        self.prefixes = frozenset(r.prefix for group in routes.values() for r in group)

    def find(
        self, method: str, path: str, query: dict[str, list[str]]
    ) -> tuple[str, dict[str, str]] | None:
        """(operation, label values) of the route taking this request, or None."""
        for route in self._routes.get(method, ()):
            labels = route.match(path, query)
            if labels is not None:
                return route.operation, labels
        return None
