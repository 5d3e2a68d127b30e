"""Scoring and item statistics, as pure functions so they can be checked against hand computations.

- An item is worth one point. Single choice and true/false: right when the chosen key is the right
  one. Multiple choice is all-or-nothing: right only when exactly the right keys are chosen (partial
  credit would reward ticking every box). A short answer is right or wrong as the trainer marks it.
- Difficulty of an item = the proportion of the takers who got it right (classical p value; a high
  value is an easy item).
- Discrimination = the point-biserial correlation between the item (1 right, 0 wrong) and the
  taker's total points on the test, item included:
  r = (M1 − M0) / s × √(p·q), with M1 and M0 the mean totals of those who got it right and wrong,
  s the population standard deviation of the totals, p the difficulty and q = 1 − p.
  Undefined (None) when everybody or nobody got it right, or every total is the same.
  Below 0.2 an item separates those who know from those who do not poorly: worth reviewing."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

WEAK_DISCRIMINATION = 0.2
TOO_EASY = 0.9
TOO_HARD = 0.2
MIN_TAKERS = 4  # below this, an item's figures say nothing about the item


def is_correct(kind: str, correct: Iterable[str], response: Iterable[str]) -> bool | None:
    """Whether a response is right; None for a short answer (the trainer marks it)."""
    if kind == "short":
        return None
    return set(response) == set(correct) and bool(set(correct))


def percentage(points: int, max_points: int) -> Decimal | None:
    if max_points <= 0:
        return None
    return (Decimal(100) * points / max_points).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class ItemStatistics:
    takers: int
    right: int
    difficulty: float | None
    discrimination: float | None

    @property
    def is_weak(self) -> bool:
        if self.difficulty is None or self.takers < MIN_TAKERS:
            return False
        if self.difficulty > TOO_EASY or self.difficulty < TOO_HARD:
            return True
        return self.discrimination is not None and self.discrimination < WEAK_DISCRIMINATION


def item_statistics(item: Sequence[bool], totals: Sequence[float]) -> ItemStatistics:
    """``item[i]``: whether taker i got the item right; ``totals[i]``: taker i's total points."""
    if len(item) != len(totals):
        raise ValueError("one total per taker")
    takers = len(item)
    right = sum(1 for value in item if value)
    if not takers:
        return ItemStatistics(0, 0, None, None)
    p = right / takers
    mean = sum(totals) / takers
    sd = math.sqrt(sum((total - mean) ** 2 for total in totals) / takers)
    if right in (0, takers) or sd == 0:
        return ItemStatistics(takers, right, p, None)
    m1 = sum(total for value, total in zip(item, totals, strict=True) if value) / right
    m0 = sum(total for value, total in zip(item, totals, strict=True) if not value) / (takers - right)
    return ItemStatistics(takers, right, p, (m1 - m0) / sd * math.sqrt(p * (1 - p)))


def mean(values: Iterable[Decimal]) -> Decimal | None:
    found = list(values)
    if not found:
        return None
    return (sum(found, Decimal(0)) / len(found)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
