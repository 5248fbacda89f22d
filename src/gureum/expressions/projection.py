"""ProjectionExpression / AttributesToGet: keep only the requested paths of an item.

The result keeps the nested structure (``a.b[2]`` gives ``{"a": {"M": {"b": {"L": [e]}}}}``);
list elements keep their original order; missing paths are omitted, and so is a container
left with nothing in it. Unchanged values are shared with the input, never modified.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Callable

    from .values import AV, Item

BoundPath = tuple[str | int, ...]
Trie = dict[Any, "Trie | None"]  # None marks a requested leaf


def _build(paths: list[BoundPath]) -> Trie:
    root: Trie = {}
    for path in paths:
        node = root
        for elem in path[:-1]:
            child = node.get(elem, {})
            if child is None:  # an ancestor is already requested whole
                break
            node[elem] = child
            node = child
        else:
            node[path[-1]] = None
    return root


def _pick(value: AV, trie: Trie) -> AV | None:
    if any(type(key) is int for key in trie):
        elements = value.get("L")
        if elements is None:
            return None
        picked_list = []
        for index in sorted(trie):
            if index < len(elements):
                sub = trie[index]
                element = elements[index] if sub is None else _pick(elements[index], sub)
                if element is not None:
                    picked_list.append(element)
        return {"L": picked_list} if picked_list else None
    members = value.get("M")
    if members is None:
        return None
    picked: dict[str, AV] = {}
    for key, sub in trie.items():
        member = members.get(key)
        if member is not None and sub is not None:
            member = _pick(member, sub)
        if member is not None:
            picked[key] = member
    return {"M": picked} if picked else None


def compile_projection(paths: list[BoundPath]) -> Callable[[Item], Item]:
    """A function returning the projection of an item on the given (non-overlapping) paths."""
    if all(len(path) == 1 for path in paths):
        names = tuple(dict.fromkeys(str(path[0]) for path in paths))

        def top_level(item: Item) -> Item:
            return {name: item[name] for name in names if name in item}

        return top_level
    trie = _build(paths)

    def nested(item: Item) -> Item:
        result: Item = {}
        for name, sub in trie.items():
            value = item.get(name)
            if value is not None and sub is not None:
                value = _pick(value, sub)
            if value is not None:
                result[name] = value
        return result

    return nested
