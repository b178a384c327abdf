"""The benchmark's reference trainer: the obvious vectorized numpy implementation.

This is what a competent engineer writes without thinking about speed (issue 5):

- one example per row, so a mini-batch is one matrix product per layer, Z = A Wᵀ + b;
- the forward pass caches every z and a; the backward pass is the delta recursion
  (BP1–BP4), each δ computed once and handed to the layer before;
- plain SGD, ``W -= lr * dW``, after all the gradients of the step are computed;
- no buffer reuse, no fused kernels, no tricks: every temporary is a fresh array.

It follows our definitions exactly, so its final cost can be compared with our trainer's:

- cost ``squared_error``: C_i = Σ_j (a_j − y_j)², the cost of a batch is the mean of C_i
  over its rows and the gradients are of that mean (∂C/∂a = 2(a − y)/n);
- ``half_squared_error``: C_i = ½ Σ_j (a_j − y_j)² (∂C/∂a = (a − y)/n);
- the same shuffles: each epoch's batches come from ``backprop_cli.data.minibatches(n, bs,
  rng)``, the function our ``Trainer`` draws its order from, so a Generator seeded as the
  trainer's consumes the same permutations;
- the same initial weights: the caller passes copies of a ``Network``'s weights and biases
  (``weights[l-1]`` has shape (n_l, n_{l-1}), ``biases[l-1]`` shape (n_l,)).

Like a typical training loop it keeps the mean training cost of every epoch (the mean of
the batch costs, each measured before its own update, as our trainer reports it); it does
not compute accuracies, call callbacks or check for divergence.

Only ``backprop_cli.data.minibatches`` is imported from our package: the arithmetic is
independent of ``network.py``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from backprop_cli.data import minibatches

Array = NDArray[np.floating]


def sigmoid(z: Array) -> Array:
    with np.errstate(over="ignore"):  # exp(-z) overflows to inf for very negative z: σ = 0
        return 1.0 / (1.0 + np.exp(-z))


def sigmoid_prime(z: Array, a: Array) -> Array:
    return a * (1.0 - a)


def relu(z: Array) -> Array:
    return np.maximum(z, 0.0)


def relu_prime(z: Array, a: Array) -> Array:
    return (z > 0).astype(z.dtype)  # R'(0) = 0


def tanh(z: Array) -> Array:
    return np.tanh(z)


def tanh_prime(z: Array, a: Array) -> Array:
    return 1.0 - a * a


def linear(z: Array) -> Array:
    return z


def linear_prime(z: Array, a: Array) -> Array:
    return np.ones_like(z)


ACTIVATIONS = {
    "sigmoid": (sigmoid, sigmoid_prime),
    "relu": (relu, relu_prime),
    "tanh": (tanh, tanh_prime),
    "linear": (linear, linear_prime),
}

# name -> (per-example cost C_i of rows (n,), ∂C_i/∂a)
COSTS = {
    "squared_error": (lambda a, y: np.sum((a - y) ** 2, axis=1), lambda a, y: 2.0 * (a - y)),
    "half_squared_error": (lambda a, y: 0.5 * np.sum((a - y) ** 2, axis=1), lambda a, y: a - y),
}


@dataclass
class ReferenceResult:
    weights: list[Array]
    biases: list[Array]
    epoch_costs: list[float]  # mean training cost of each epoch (batch costs before each update)
    final_cost: float  # the mean cost over all of X, on the final weights


class ReferenceMLP:
    """A fully-connected network trained with plain mini-batch SGD.

    ``weights[l-1]`` (n_l, n_{l-1}) and ``biases[l-1]`` (n_l,) are copied (in ``dtype``);
    ``activations[l-1]`` names σ of layer l (one per weight matrix, the output's last).
    """

    def __init__(self, weights: Sequence[Array], biases: Sequence[Array], activations: Sequence[str],
                 cost: str = "squared_error", dtype: str | np.dtype = "float64") -> None:
        if len(activations) != len(weights) or len(biases) != len(weights):
            raise ValueError("one activation and one bias vector per weight matrix")
        self.dtype = np.dtype(dtype)
        self.W = [np.array(w, dtype=self.dtype) for w in weights]
        self.b = [np.array(b, dtype=self.dtype) for b in biases]
        self.act = [ACTIVATIONS[name] for name in activations]
        self.cost_fn, self.cost_grad = COSTS[cost]

    def forward(self, X: Array) -> tuple[list[Array], list[Array]]:
        """(zs, activations) for X (n, n_0): zs[l-1] = z^(l), activations[l] = a^(l), a^(0) = X."""
        zs, acts = [], [X]
        a = X
        for W, b, (f, _) in zip(self.W, self.b, self.act):
            z = a @ W.T + b
            a = f(z)
            zs.append(z)
            acts.append(a)
        return zs, acts

    def cost(self, X: Array, Y: Array) -> float:
        """Mean over the rows of C_i."""
        return float(np.mean(self.cost_fn(self.forward(X)[1][-1], Y)))

    def step(self, X: Array, Y: Array, lr: float) -> float:
        """One SGD step on the batch X (n, n_0), Y (n, n_L); returns Σ_i C_i before the step."""
        n = X.shape[0]
        zs, acts = self.forward(X)
        batch_cost = float(np.sum(self.cost_fn(acts[-1], Y)))
        L = len(self.W)
        dW: list[Array] = [None] * L  # type: ignore[list-item]
        db: list[Array] = [None] * L  # type: ignore[list-item]
        delta = self.cost_grad(acts[-1], Y) / n * self.act[-1][1](zs[-1], acts[-1])  # BP1
        for l in range(L - 1, -1, -1):  # weight matrix l maps layer l to layer l+1
            dW[l] = delta.T @ acts[l]  # BP4
            db[l] = delta.sum(axis=0)  # BP3
            if l > 0:
                delta = (delta @ self.W[l]) * self.act[l - 1][1](zs[l - 1], acts[l])  # BP2
        for l in range(L):
            self.W[l] -= lr * dW[l]
            self.b[l] -= lr * db[l]
        return batch_cost

    def train(self, X: Array, Y: Array, learning_rate: float, epochs: int, batch_size: int,
              rng: np.random.Generator | None,
              callback: Callable[[int, float], None] | None = None) -> ReferenceResult:
        """Plain mini-batch SGD for ``epochs`` epochs; ``rng`` None means no shuffling.
        ``callback(epoch, mean_cost)`` is called after every epoch (epoch from 1)."""
        X = np.asarray(X, dtype=self.dtype)
        Y = np.asarray(Y, dtype=self.dtype)
        n = X.shape[0]
        bs = min(batch_size, n)
        epoch_costs = []
        for epoch in range(1, epochs + 1):
            total = 0.0
            for idx in minibatches(n, bs, rng):
                total += self.step(X[idx], Y[idx], learning_rate)
            epoch_costs.append(total / n)
            if callback is not None:
                callback(epoch, total / n)
        return ReferenceResult([w.copy() for w in self.W], [b.copy() for b in self.b], epoch_costs,
                               self.cost(X, Y))


def train(weights: Sequence[Array], biases: Sequence[Array], activations: Sequence[str], X: Array,
          Y: Array, *, learning_rate: float, epochs: int, batch_size: int, rng: np.random.Generator | None,
          cost: str = "squared_error", dtype: str | np.dtype = "float64",
          callback: Callable[[int, float], None] | None = None) -> ReferenceResult:
    """Train a ReferenceMLP from the given initial parameters (see the class)."""
    mlp = ReferenceMLP(weights, biases, activations, cost=cost, dtype=dtype)
    return mlp.train(X, Y, learning_rate, epochs, batch_size, rng, callback)
