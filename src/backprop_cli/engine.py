"""The trainer's hot path: the forward pass, BP1–BP4 and the update, in preallocated buffers.

The same equations as ``network.py`` (``Network.forward``/``backward`` stay the
readable reference; tests check that a step here equals W − η ∂C/∂W computed there),
written for speed. Layout as everywhere: one example per row, so for a batch of m rows
z^(l) is the (m, n_l) array Z = A_prev wᵀ + b.

Speed tricks, each for a measured reason (benchmarks/):
- Every array is allocated once per run and reused through ``out=``, and the views of
  the buffers for a batch size are made once: no allocation inside the loop, and few
  Python operations per numpy call (on tiny networks the calls are the whole cost).
- For plain SGD the factor η/m is folded into the small δ^(L) (every later δ and every
  dW inherits it, the equations being linear in δ), so W −= dW needs no pass over W
  to scale the gradient. The cost's own constant (the 2 of 2(a − y)) rides along too.
- σ' of sigmoid and tanh comes from the cached a (``Activation.prime_into``), and the
  cost hands back Σ C_i and ∂C/∂a from one subtraction (``Cost.sum_and_grad``).
- A linear layer's σ' ≡ 1 is skipped instead of multiplied.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from .network import Network

Array = NDArray[np.floating]


def _touched(shape: tuple[int, ...], dtype: np.dtype[Any]) -> Array:
    buf = np.empty(shape, dtype=dtype)
    buf.fill(0.0)  # map the pages now, not inside the timed loop
    return buf


class Engine:
    """Buffers for batches of up to ``batch_size`` rows of ``net`` (updated in place).

    ``net.weights``/``net.biases`` are read at every step, so in-place changes (the
    optimizer, a restored checkpoint) are seen; replace them only between runs.
    """

    def __init__(self, net: Network, batch_size: int) -> None:
        self.net = net
        dt = net.dtype
        sizes = net.sizes
        self.L = net.L
        # per layer l = 1..L (list index l − 1): z^(l), a^(l), δ^(l) (first ∂C/∂a^(l)), σ'(z^(l))
        self._buffers = [tuple(_touched((batch_size, n), dt) for _ in range(4)) for n in sizes[1:]]
        self.dW = [_touched((sizes[l], sizes[l - 1]), dt) for l in range(1, len(sizes))]
        self.db = [_touched((sizes[l],), dt) for l in range(1, len(sizes))]
        self.acts = net.activations
        self.fused = net.cost_fn.fused.get(net.activations[-1].name)
        self.cost = net.cost_fn
        self._views: dict[int, list[tuple[Array, Array, Array, Array]]] = {}
        # (into, prime_into or None when σ' ≡ 1) per layer
        self._rules = [(act.into, None if act.identity_prime else act.prime_into) for act in self.acts]

    def views(self, m: int) -> list[tuple[Array, Array, Array, Array]]:
        """(Z, A, D, P) of every layer for a batch of m rows (made once per m)."""
        v = self._views.get(m)
        if v is None:
            v = self._views[m] = [tuple(buf[:m] for buf in layer) for layer in self._buffers]  # type: ignore[misc]
        return v

    def step(self, xb: Array, yb: Array, scale: float) -> tuple[float, Array]:
        """Forward and backward for one batch: (Σ_i C_i before the update, a^(L)).

        Afterwards dW, db hold ``scale`` · Σ_i ∂C_i/∂θ (with scale = η/m for plain SGD).
        """
        views = self.views(xb.shape[0])
        a = self.forward(xb, views)
        return self.backward(xb, yb, scale, views), a

    def forward(self, xb: Array, views: list[Any] | None = None) -> Array:
        """Fill Z and A for the batch xb (m, n_0); return a^(L) (a view, m rows)."""
        views = views or self.views(xb.shape[0])
        a = xb
        for w, b, (into, _), (z, a_out, _, _) in zip(self.net.weights, self.net.biases, self._rules, views):
            np.matmul(a, w.T, out=z)  # eq. 2: z = w a + b, one row per example
            z += b
            a = into(z, a_out)  # eq. 1: a = σ(z)
        return a

    def backward(self, xb: Array, yb: Array, scale: float, views: list[Any] | None = None) -> float:
        """BP1–BP4 after ``forward`` of the same batch; dW, db hold ``scale`` · Σ_i ∂C_i/∂θ.

        Returns Σ_i C_i of the batch (before any update).
        """
        views = views or self.views(xb.shape[0])
        z, a, delta, p = views[-1]
        if self.fused is not None:  # sigmoid/softmax + cross-entropy: δ = a − y
            total, k = float(self.fused.fn_z(z, yb).sum()), 1.0
            np.subtract(a, yb, out=delta)
        else:
            total, k = self.cost.sum_and_grad(a, yb, delta)  # ∂C/∂a^(L) = k · delta (eq. 4)
            prime = self._rules[-1][1]
            if prime is not None:
                delta *= prime(z, a, p)  # BP1: ⊙ σ'(z^(L)) (eq. 5)
        delta *= scale * k  # the 1/m of the mean (and η for plain SGD), carried by δ
        weights = self.net.weights
        for l in range(self.L, 0, -1):
            a_prev = views[l - 2][1] if l > 1 else xb
            np.matmul(delta.T, a_prev, out=self.dW[l - 1])  # BP4: ∂C/∂w^(l) = δ^(l) (a^(l−1))ᵀ
            np.add.reduce(delta, axis=0, out=self.db[l - 1])  # BP3: ∂C/∂b^(l) = δ^(l)
            if l > 1:
                z, a, prev, p = views[l - 2]
                np.matmul(delta, weights[l - 1], out=prev)  # eq. 8: Σ_j w_jk δ_j
                prime = self._rules[l - 2][1]
                if prime is not None:
                    prev *= prime(z, a, p)  # BP2: ⊙ σ'(z^(l−1))
                delta = prev
        return total

    def sgd_update(self, lr_l2: float) -> None:
        """W ← W − dW, b ← b − db with η already folded into dW/db; L2 as W ← (1 − ηλ) W first."""
        for w, b, dw, db in zip(self.net.weights, self.net.biases, self.dW, self.db):
            if lr_l2:
                w *= 1.0 - lr_l2  # − η λ w, the L2 term of the gradient
            w -= dw
            b -= db

    def gradients(self) -> list[Array]:
        """[dW…, db…] of the last backward (with the L2 term added by the caller)."""
        return [*self.dW, *self.db]
