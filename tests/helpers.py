"""Shared by several test modules: targets that suit an output activation and cost."""

from __future__ import annotations

import numpy as np


def targets_for(out: str, cost: str, n: int, m: int, rng: np.random.Generator) -> np.ndarray:
    """Y of shape (n, m): one-hot for softmax, 0/1 for cross-entropy, real numbers otherwise."""
    if out == "softmax":
        return np.eye(m)[rng.integers(0, m, n)]
    if cost == "cross_entropy":
        return rng.integers(0, 2, (n, m)).astype(float)
    return rng.normal(size=(n, m))
