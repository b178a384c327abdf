"""Activation functions σ and their derivatives σ', as a registry.

Each entry keeps the forward rule and its local derivative side by side. ``prime``
receives both z and a = σ(z) (same shape, ``(n_samples, n_units)``) so each rule can
use whichever is cheaper and exact: the sigmoid's σ'(z) = a(1 − a) reuses the
cached activation instead of recomputing σ.

Softmax is not element-wise (its Jacobian is not diagonal), so it has no ``prime``:
it is allowed only as the output activation together with ``cross_entropy``, where
the pair has the single output rule δ^(L) = a − y (see ``costs.py``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from .errors import ConfigError

Array = NDArray[np.floating]


@dataclass(frozen=True)
class Activation:
    """One activation: ``fn(z) -> a`` and ``prime(z, a) -> σ'(z)`` (None if not element-wise)."""

    name: str
    fn: Callable[[Array], Array]
    prime: Callable[[Array, Array], Array] | None
    formula: str  # σ(z), written for explain/README
    prime_formula: str  # σ'(z)
    hidden_ok: bool = True  # may be used on hidden layers


def _sigmoid(z: Array) -> Array:
    # Split on the sign so exp never overflows: for z < 0, σ(z) = e^z / (1 + e^z).
    out = np.empty_like(z)
    pos = z >= 0
    out[pos] = 1.0 / (1.0 + np.exp(-z[pos]))
    ez = np.exp(z[~pos])
    out[~pos] = ez / (1.0 + ez)
    return out


def _sigmoid_prime(z: Array, a: Array) -> Array:
    return a * (1.0 - a)  # σ'(z) = σ(z)(1 − σ(z)), from the cached a


def _relu(z: Array) -> Array:
    return np.maximum(z, 0.0)


def _relu_prime(z: Array, a: Array) -> Array:
    return (z > 0).astype(z.dtype)  # R'(z) = 1 for z > 0, else 0 (so R'(0) = 0, seed 001)


def _tanh(z: Array) -> Array:
    return np.tanh(z)


def _tanh_prime(z: Array, a: Array) -> Array:
    return 1.0 - a * a  # tanh'(z) = 1 − tanh²(z)


def _linear(z: Array) -> Array:
    return z.copy()


def _linear_prime(z: Array, a: Array) -> Array:
    return np.ones_like(z)


def _softmax(z: Array) -> Array:
    # Row-wise: a_j = e^{z_j} / Σ_i e^{z_i}; shifting by the row max avoids overflow.
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


ACTIVATIONS: dict[str, Activation] = {
    a.name: a
    for a in (
        Activation("sigmoid", _sigmoid, _sigmoid_prime, "1 / (1 + e^(−z))", "σ(z)(1 − σ(z))"),
        Activation("relu", _relu, _relu_prime, "max(0, z)", "1 if z > 0 else 0"),
        Activation("tanh", _tanh, _tanh_prime, "tanh(z)", "1 − tanh²(z)"),
        Activation("linear", _linear, _linear_prime, "z", "1"),
        Activation(
            "softmax", _softmax, None, "e^(z_j) / Σ_i e^(z_i)", "(not element-wise)", hidden_ok=False
        ),
    )
}

HIDDEN_ACTIVATIONS = tuple(sorted(n for n, a in ACTIVATIONS.items() if a.hidden_ok))


def get_activation(name: str, field: str = "activation", hidden: bool = False) -> Activation:
    """Look up an activation by name; ``field`` names the config path for the error."""
    allowed = HIDDEN_ACTIVATIONS if hidden else tuple(sorted(ACTIVATIONS))
    if not isinstance(name, str) or name not in allowed:
        extra = " (softmax is allowed only as the output activation)" if name == "softmax" else ""
        raise ConfigError(f"{field}: {name!r} is not one of: {', '.join(allowed)}{extra}")
    return ACTIVATIONS[name]
