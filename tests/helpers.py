"""Shared by several test modules: targets that suit an output activation and cost; a config of
extreme weights."""

from __future__ import annotations

from pathlib import Path

import numpy as np


def targets_for(out: str, cost: str, n: int, m: int, rng: np.random.Generator) -> np.ndarray:
    """Y of shape (n, m): one-hot for softmax, 0/1 for cross-entropy, real numbers otherwise."""
    if out == "softmax":
        return np.eye(m)[rng.integers(0, m, n)]
    if cost == "cross_entropy":
        return rng.integers(0, 2, (n, m)).astype(float)
    return rng.normal(size=(n, m))


def extreme_config(tmp_path: Path, activation: str, w: str, cost: str = "squared_error") -> Path:
    """XOR, 2-2-1, every weight ±w, zero biases: z^(1) up to 2w and z^(2) up to (2w)·w."""
    path = tmp_path / f"{activation}_{w}.yaml"
    path.write_text(
        "seed: 0\ndata: {dataset: xor, test_fraction: 0}\n"
        f"network: {{layers: [2, 2, 1], activation: {activation}, weights: [[[{w}, {w}], [{w}, -{w}]], "
        f"[[{w}, -{w}]]], biases: [[0, 0], [0]]}}\n"
        f"cost: {cost}\ntraining: {{learning_rate: 1, epochs: 1}}\n")
    return path
