"""The trainer's hot path: the forward pass, BP1–BP4 and the update, in preallocated buffers.

The same equations as ``network.py`` (``Network.forward``/``backward`` stay the
readable reference; tests check that one step here equals W − η ∂C/∂W computed there),
written for speed. Layout as everywhere: one example per row, so for a batch of m rows
z^(l) is the (m, n_l) array Z = A_prev wᵀ + b.

Speed tricks, each for a measured reason (benchmarks/):
- Every array is allocated once per run and reused through ``out=``: no allocation or
  first-touch page faults inside the loop (buffers are written once up front).
- For plain SGD the factor η/m is folded into the small δ^(L) (every later δ and every
  dW inherits it, the equations being linear in δ), so W −= dW needs no pass over W
  to scale the gradient.
- σ' of sigmoid and tanh come from the cached a (``Activation.prime_into``), and the
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
    """Buffers for batches of up to ``batch_size`` rows of ``net`` (updated in place)."""

    def __init__(self, net: Network, batch_size: int) -> None:
        self.net = net
        dt = net.dtype
        sizes = net.sizes
        self.L = net.L
        # index l = 1..L (index 0 unused): z^(l), a^(l), δ^(l) (also ∂C/∂a^(l)), σ'(z^(l))
        self.Z = [None] + [_touched((batch_size, n), dt) for n in sizes[1:]]
        self.A = [None] + [_touched((batch_size, n), dt) for n in sizes[1:]]
        self.D = [None] + [_touched((batch_size, n), dt) for n in sizes[1:]]
        self.P = [None] + [_touched((batch_size, n), dt) for n in sizes[1:]]
        self.dW = [_touched((sizes[l], sizes[l - 1]), dt) for l in range(1, len(sizes))]
        self.db = [_touched((sizes[l],), dt) for l in range(1, len(sizes))]
        out = net.activations[-1]
        self.fused = net.cost_fn.fused.get(out.name)
        self.acts = net.activations

    def forward(self, xb: Array) -> Array:
        """Fill Z and A for the batch xb (m, n_0); return a^(L) (a view, m rows)."""
        m = xb.shape[0]
        a = xb
        for l, (w, b, act) in enumerate(zip(self.net.weights, self.net.biases, self.acts), start=1):
            z = np.matmul(a, w.T, out=self.Z[l][:m])  # eq. 2: z = w a + b, one row per example
            z += b
            a = act.into(z, self.A[l][:m])  # eq. 1: a = σ(z)
        return a

    def backward(self, xb: Array, yb: Array, scale: float) -> float:
        """BP1–BP4 for the batch just forwarded; dW, db hold ``scale`` · Σ_i ∂C_i/∂θ.

        Returns Σ_i C_i of the batch (before any update).
        """
        m = xb.shape[0]
        L = self.L
        a, z, delta = self.A[L][:m], self.Z[L][:m], self.D[L][:m]
        if self.fused is not None:  # sigmoid/softmax + cross-entropy: δ = a − y
            total = float(self.fused.fn_z(z, yb).sum())
            np.subtract(a, yb, out=delta)
        else:
            total = self.net.cost_fn.sum_and_grad(a, yb, delta)  # ∂C/∂a^(L) (eq. 4)
            out = self.acts[-1]
            if not out.identity_prime:
                assert out.prime_into is not None
                delta *= out.prime_into(z, a, self.P[L][:m])  # BP1: ⊙ σ'(z^(L)) (eq. 5)
        delta *= scale  # the 1/m of the mean (and η for plain SGD), carried by δ
        weights = self.net.weights
        for l in range(L, 0, -1):
            a_prev = self.A[l - 1][:m] if l > 1 else xb
            np.matmul(delta.T, a_prev, out=self.dW[l - 1])  # BP4: ∂C/∂w^(l) = δ^(l) (a^(l−1))ᵀ
            np.add.reduce(delta, axis=0, out=self.db[l - 1])  # BP3: ∂C/∂b^(l) = δ^(l)
            if l > 1:
                prev = np.matmul(delta, weights[l - 1], out=self.D[l - 1][:m])  # eq. 8: Σ_j w_jk δ_j
                act = self.acts[l - 2]
                if not act.identity_prime:
                    assert act.prime_into is not None
                    prev *= act.prime_into(self.Z[l - 1][:m], self.A[l - 1][:m], self.P[l - 1][:m])  # BP2
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
