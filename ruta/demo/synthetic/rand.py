"""Deterministic randomness: each (seed, entity, batch) has its own generator, so a batch's rows do
not depend on which batches ran before in this process — the basis of resuming."""

from __future__ import annotations

import bisect
import hashlib
import itertools
import random
from collections.abc import Mapping, Sequence
from typing import Generic, TypeVar

T = TypeVar("T")


def batch_rng(seed: int, entity: str, batch: int) -> random.Random:
    # Synthetic data, not secrets; str seeds are hashed with SHA-512, so the stream is stable.
    return random.Random(f"ruta-synthetic/{seed}/{entity}/{batch}")  # noqa: S311


def unit(seed: int, stream: str, index: int) -> float:
    """A uniform number in [0, 1) fixed by (seed, stream, index): attributes other stages must agree on."""
    digest = hashlib.blake2b(f"{seed}/{stream}/{index}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") / 2**64


class Weighted(Generic[T]):
    """Fast weighted choice over a fixed table."""

    def __init__(self, weights: Mapping[T, float] | Sequence[tuple[T, float]]) -> None:
        items = list(weights.items()) if isinstance(weights, Mapping) else list(weights)
        self.values = [value for value, _weight in items]
        self.cumulative = list(itertools.accumulate(weight for _value, weight in items))
        self.total = self.cumulative[-1]

    def pick(self, rng: random.Random) -> T:
        return self.values[bisect.bisect_right(self.cumulative, rng.random() * self.total)]

    def at(self, u: float) -> T:
        """The value for a given uniform number (with ``unit``)."""
        return self.values[min(bisect.bisect_right(self.cumulative, u * self.total), len(self.values) - 1)]
