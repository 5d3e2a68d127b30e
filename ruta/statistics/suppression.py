"""Small-cell protection: which cells of a table of counts must not be published.

Primary suppression hides every count from 1 to k − 1. Secondary (complementary) suppression then
makes sure no published total reveals a hidden cell: along every dimension, the cells that share the
values of all the other dimensions form a group whose total someone may know (a margin, or the same
figure in a coarser table); a group with exactly one hidden cell would give it away by subtraction,
so its smallest other cell is hidden too. Hiding a cell can leave another group with a single hidden
cell, so the passes repeat until nothing changes (a fixpoint; each pass hides at least one more cell,
so it ends). A group of one hidden cell and nothing else has a margin equal to that cell, under k,
so the coarser table hides it by the primary rule.

Pure functions over ``{key tuple: count}``: no database, no Django, easy to test exhaustively."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

Key = tuple[Any, ...]


def primary(counts: Mapping[Key, int], k: int) -> set[Key]:
    return {key for key, count in counts.items() if 0 < count < k}


def _groups(keys: Iterable[Key], dimension: int) -> dict[Key, list[Key]]:
    """Cells grouped by every position except ``dimension``."""
    groups: dict[Key, list[Key]] = {}
    for key in keys:
        groups.setdefault(key[:dimension] + key[dimension + 1 :], []).append(key)
    return groups


def suppressed_cells(counts: Mapping[Key, int], k: int) -> set[Key]:
    """The cells to hide: primary, then complementary along every dimension until a fixpoint."""
    hidden = primary(counts, k)
    if not hidden:
        return hidden
    width = len(next(iter(counts)))
    changed = True
    while changed:
        changed = False
        for dimension in range(width):
            for members in _groups(counts, dimension).values():
                hidden_here = [key for key in members if key in hidden]
                if len(hidden_here) != 1:
                    continue
                others = sorted((counts[key], repr(key), key) for key in members if key not in hidden)
                if others:
                    hidden.add(others[0][2])
                    changed = True
    return hidden
