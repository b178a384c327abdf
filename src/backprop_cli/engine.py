"""The trainer's hot path: the forward pass, BP1–BP4 and the update, in preallocated buffers.

The same equations as ``network.py`` (``Network.forward``/``backward`` stay the
readable reference; tests check that a step here equals W − η ∂C/∂W computed there),
written for speed. Layout as everywhere: one example per row, so for a batch of m rows
z^(l) is the (m, n_l) array Z = A_prev wᵀ + b.

Speed tricks, each for a measured reason (benchmarks/):
- The bias rides in the matrix: each layer keeps [w | b]ᵀ, wᵀ with bᵀ as one more row, in
  one (n_{l-1} + 1, n_l) array, and each layer's input a ones column, so z = [a 1] [w | b]ᵀ
  is one product (no bias pass), BP3 and BP4 are one product [∂C/∂w | ∂C/∂b]ᵀ = [a 1]ᵀ δ
  (no reduction pass), and the update is one subtraction per layer. ``net.weights`` and
  ``net.biases`` become views of these arrays, so everything else sees the same numbers.
- Except a large first layer fed a new batch every step (``gathered``): its input is a
  plain contiguous x, z = x wᵀ (+ b in its own pass) and ∂C/∂b = Σ_rows δ apart. The batch
  is then gathered straight into it, instead of gathered and copied in beside the ones
  column; on wide (784 inputs, batch 128) that copy and the products' odd row stride cost
  ~20 µs a step in float32, the two bias passes ~8 (benchmarks/).
- Transposed storage: OpenBLAS computes the gradient [a 1]ᵀ δ into an (n_{l-1} + 1, n_l)
  array 15-30% faster than δᵀ [a 1] into (n_l, n_{l-1} + 1) (the same numbers); the
  forward product is as fast either way.
- Every array is allocated once per run and reused through ``out=``, and the views of
  the buffers for a batch size are made once: no allocation inside the loop, and few
  Python operations per numpy call (on tiny networks the calls are the whole cost).
- For plain SGD the factor η/m is folded into the small δ^(L) (every later δ and every
  gradient inherits it, the equations being linear in δ), so W −= dW needs no pass to
  scale the gradient. The cost's own constant (the 2 of 2(a − y)) rides along too.
- σ' of sigmoid and tanh comes from the cached a (``Activation.prime_into``), and the
  cost hands back Σ C_i and ∂C/∂a from one subtraction (``Cost.sum_and_grad``). ReLU's
  R'(z) = [z > 0] is made in the forward pass while z is still in cache, and a = z · R'(z)
  (``Activation.into_with_prime``): BP2 then only multiplies (f32 `wide` epochs ~1% faster).
- Every buffer starts on a cache line (``ALIGN``): numpy's arrays start 16-48 bytes into
  one, and whole `wide` epochs ran 5% (float32) and 2.5% (float64) slower so.
- A linear layer's σ' ≡ 1 is skipped instead of multiplied.
- Plain SGD updates each layer as soon as its δ has been passed back (BP2 needs the weights
  before their update), inside the gradient product itself: [w | b]ᵀ ← [w | b]ᵀ − [a 1]ᵀ δ is
  one BLAS call with β = 1 (``blas.py``), so the gradient is never written out and read back
  for a subtraction (a plain input's b ← b − 1ᵀ δ likewise). Without numpy's OpenBLAS, numpy's
  product and a subtraction do it. With L2 in float64 the decay rides in the same product as
  GEMM's β: w ← (1 − ηλ) w − [a^(l−1)]ᵀ δ, b ← b − 1ᵀ δ in a second, small one (the bias is not
  decayed); float32 adds ηλ w to the gradient instead, since its β would round (``_decayed_updates``).
"""

from __future__ import annotations

import math
import mmap
from typing import Any

import numpy as np
from numpy.typing import NDArray

from . import blas
from .network import Network

Array = NDArray[np.floating]

#: A first layer with at least this many parameters reads a gathered batch without a ones
#: column; on small ones the two extra bias calls cost more than the copy they save.
PLAIN_INPUT_MIN_ELEMENTS = 1 << 14


def reads_plain_input(sizes: list[int] | tuple[int, ...], gathered: bool) -> bool:
    """Whether an ``Engine`` for layer sizes ``sizes`` reads a plain x (no ones column)."""
    return gathered and (sizes[0] + 1) * sizes[1] >= PLAIN_INPUT_MIN_ELEMENTS


#: Every buffer starts on a cache line (64 bytes, also an AVX-512 register): numpy's own
#: allocations start 0, 16, 32 or 48 bytes into one, at random, and whole `wide` epochs ran
#: 2.5-5% slower with misaligned buffers than with aligned ones (page alignment: no better).
ALIGN = 64


def aligned(shape: tuple[int, ...], dtype: Any) -> Array:
    """An uninitialised C-contiguous array whose first element starts on a cache line."""
    dt = np.dtype(dtype)
    nbytes = math.prod(shape) * dt.itemsize
    raw = np.empty(nbytes + ALIGN, np.uint8)
    start = -raw.ctypes.data % ALIGN
    return raw[start:start + nbytes].view(dt).reshape(shape)


def _touched(shape: tuple[int, ...], dtype: np.dtype[Any], fill: float = 0.0) -> Array:
    buf = aligned(shape, dtype)
    buf.fill(fill)  # map the pages now, not inside the timed loop
    return buf


def prefaulted(shape: tuple[int, ...], dtype: Any) -> Array:
    """A new array for a large copy made once per run, its memory mapped in one system call.

    On Linux, ``MAP_POPULATE`` maps every page up front; numpy's own large allocations ask
    for transparent huge pages, whose first touch took 10-200 ms for 63 MB on our VM
    (compaction), against a steady ~25 ms here. Elsewhere, or for small arrays, np.empty.
    """
    dt = np.dtype(dtype)
    nbytes = int(np.prod(shape)) * dt.itemsize
    populate = getattr(mmap, "MAP_POPULATE", None)
    if populate is None or nbytes < 1 << 22:
        return np.empty(shape, dt)
    buf = mmap.mmap(-1, nbytes, flags=mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS | populate)
    return np.frombuffer(buf, dt).reshape(shape)


def _both(first: Any, second: Any) -> Any:
    """One call that makes two (a plain input's fused update: wᵀ, then b)."""

    def call() -> None:
        first()
        second()

    return call


def _scaled_both(first: Any, second: Any) -> Any:
    """One call ``(keep)``: ``first(keep)``, then ``second()`` (float64 L2: w with its decay, then b)."""

    def call(keep: float) -> None:
        first(keep)
        second()

    return call


class Engine:
    """Buffers for batches of up to ``batch_size`` rows of ``net``, whose parameters it
    takes over (``net.weights``/``net.biases`` become views of its [w | b]ᵀ arrays and are
    updated in place; assigning new arrays to them, or another engine taking them over,
    detaches them from this one: ``holds_parameters`` tells, ``take_parameters`` copies the
    network's current values back in). ``gathered``: a new batch is written into ``input(m)``
    for every step."""

    def __init__(self, net: Network, batch_size: int, gathered: bool = False) -> None:
        self.net = net
        dt = net.dtype
        sizes = net.sizes
        self.L = net.L
        # [w | b]ᵀ per layer, shared with the network
        self.Wt = [_touched((w.shape[1] + 1, w.shape[0]), dt) for w in net.weights]
        self._w = [wt[:-1].T for wt in self.Wt]  # w (n_l, n_{l−1}) views, made once (BP2 uses them)
        self._b = [wt[-1] for wt in self.Wt]
        self._shared: tuple[Any, Any] = (None, None)  # the lists net.weights, net.biases as shared
        self.take_parameters()
        self.dWt = [_touched(wt.shape, dt) for wt in self.Wt]  # [∂C/∂w | ∂C/∂b]ᵀ
        # inputs with their ones column: [x 1] (or plain x) and [a^(l) 1] for hidden layers
        # (output: plain a^(L))
        self.plain_input = reads_plain_input(sizes, gathered)
        self.X1 = _touched((batch_size, sizes[0] + (not self.plain_input)), dt, 1.0)
        self._ones = _touched((batch_size, 1), dt, 1.0)  # Σ_rows δ = 1ᵀ δ, for a plain input's ∂C/∂b
        self.A1 = [_touched((batch_size, n + 1), dt, 1.0) for n in sizes[1:-1]]
        self.A_out = _touched((batch_size, sizes[-1]), dt)
        # per layer: z^(l), δ^(l) (first ∂C/∂a^(l)), σ'(z^(l))
        self.Z = [_touched((batch_size, n), dt) for n in sizes[1:]]
        self.D = [_touched((batch_size, n), dt) for n in sizes[1:]]
        self.P = [_touched((batch_size, n), dt) for n in sizes[1:]]
        self.fused = net.cost_fn.fused.get(net.activations[-1].name)
        #: softmax + cross-entropy: δ = a Σ_j y_j − y unless the caller has checked that every
        #: row of its targets sums to 1 (one-hot classes), where it is a − y: one call, not three
        self.targets_sum_to_one = False
        self.cost = net.cost_fn
        # per layer: (into, prime_into or None when σ' ≡ 1, into_with_prime or None); a layer
        # with into_with_prime gets σ' in the forward pass (ReLU), and BP2 only multiplies by it
        self._rules = [(act.into, None if act.identity_prime else act.prime_into, act.into_with_prime)
                       for act in net.activations]
        self._views: dict[int, Any] = {}
        self._grads = [g[:-1].T for g in self.dWt] + [g[-1] for g in self.dWt]
        self._l2_scratch: list[Array] | None = None  # η λ w per layer, made at the first L2 step
        self._decayed: dict[int, list[Any] | None] = {}  # per batch size, _decayed_updates
        self._l2_adds: list[Any] | None = None  # add_l2's per-layer calls, made at its first call

    def take_parameters(self) -> None:
        """Copy the network's current w and b into [w | b]ᵀ, and make ``net.weights`` and
        ``net.biases`` views of it again."""
        net = self.net
        for wt, w, b in zip(self.Wt, net.weights, net.biases):
            wt[:-1], wt[-1] = w.T, b
        net._share(self._w, self._b)
        self._shared = (net._weights, net._biases)

    def holds_parameters(self) -> bool:
        """Whether ``net.weights`` and ``net.biases`` are still this engine's arrays: no list or
        item assigned since ``take_parameters``, and no other engine took them over (cheap: a
        trainer asks once per run, and after each epoch's callback)."""
        w, b = self.net._weights, self.net._biases
        return w is self._shared[0] and b is self._shared[1] and not (w.replaced or b.replaced)

    def views(self, m: int) -> list[tuple[Any, ...]]:
        """Every layer's buffers for a batch of m rows, made once per m; per layer a plain tuple
        (faster to unpack than a named one, and the loop unpacks them every step):

        - inp: the input [a^(l−1) 1], or a plain x (first layer, ``plain_input``)
        - a, z, δ (first ∂C/∂a), σ': a^(l) (beside the next layer's ones column), z^(l), ...
        - fused: the fused SGD update of the layer (blas.py; a plain input's b too), or None
        - w: the forward product's right operand, [w | b]ᵀ, or wᵀ for a plain input
        - b: a plain input's b (added in its own pass), else None
        - grad_w: where inpᵀ δ goes: [∂C/∂w | ∂C/∂b]ᵀ, or only its ∂C/∂w rows
        """
        v = self._views.get(m)
        if v is None:
            ins = [self.X1[:m]] + [a[:m] for a in self.A1]
            outs = [a[:m, :-1] for a in self.A1] + [self.A_out[:m]]
            v = self._views[m] = []
            for l, (a1, a, z, d, p, wt, g) in enumerate(zip(ins, outs, self.Z, self.D, self.P, self.Wt, self.dWt)):
                w, b, g = (wt[:-1], wt[-1], g[:-1]) if l == 0 and self.plain_input else (wt, None, g)
                fused = blas.subtract_product(w, a1, d[:m])
                if b is not None and fused is not None:
                    update_w, update_b = fused, blas.subtract_product(wt[-1:], self._ones[:m], d[:m])
                    fused = None if update_b is None else _both(update_w, update_b)
                v.append((a1, a, z[:m], d[:m], p[:m], fused, w, b, g))
        return v

    def input(self, m: int, with_ones: bool = False) -> Array:
        """The (m, n_0) part of the input buffer: write a batch of x here, then ``step(m, …)``
        (contiguous when ``plain_input``). ``with_ones`` (not for a plain input): the whole
        contiguous (m, n_0 + 1) rows [x 1], to write rows that bring their own 1."""
        if with_ones:
            assert not self.plain_input, "a plain input has no ones column"
            return self.X1[:m]
        return self.X1[:m] if self.plain_input else self.X1[:m, :-1]

    def step(self, m: int, yb: Array, scale: float) -> tuple[float, Array]:
        """Forward and backward for the m rows in ``input(m)``: (Σ_i C_i, a^(L)).

        Afterwards ``gradients()`` hold ``scale`` · Σ_i ∂C_i/∂θ (scale = 1/m for the mean).
        """
        views = self.views(m)
        self._forward(views)
        return self._backward(views, yb, scale), views[-1][1]

    def sgd_step(self, m: int, yb: Array, scale: float, lr_l2: float) -> tuple[float, Array]:
        """One plain-SGD step on the m rows in ``input(m)``: forward, backward and
        θ ← θ − scale · Σ_i ∂C_i/∂θ (scale = η/m), with L2 as w ← w − (scale · Σ_i ∂C_i/∂w
        + lr_l2 · w) (lr_l2 = ηλ). Returns (Σ_i C_i before the update, a^(L)). ``gradients()`` are not
        kept (fused layers never write them)."""
        views = self.views(m)
        self._forward(views)
        return self._backward(views, yb, scale, lr_l2), views[-1][1]

    def forward(self, xb: Array) -> Array:
        """Copy xb (m, n_0) in and run the forward pass; a^(L) (a view, m rows)."""
        m = xb.shape[0]
        np.copyto(self.input(m), xb)
        views = self.views(m)
        self._forward(views)
        return views[-1][1]

    def backward(self, xb: Array, yb: Array, scale: float) -> float:
        """BP1–BP4 after ``forward(xb)``: gradients hold ``scale`` · Σ_i ∂C_i/∂θ; returns Σ_i C_i."""
        return self._backward(self.views(xb.shape[0]), yb, scale)

    def _forward(self, views: Any) -> None:
        for (into, _, with_prime), (a1, a, z, _, p, _, w, b, _) in zip(self._rules, views):
            np.matmul(a1, w, out=z)  # eq. 2: z = w a + b = [a 1] [w | b]ᵀ, one row per example
            if b is not None:
                z += b  # a plain input: z = x wᵀ, then + b
            if with_prime is not None:
                with_prime(z, a, p)  # eq. 1 and σ'(z), while z is in cache (ReLU)
            else:
                into(z, a)  # eq. 1: a = σ(z), written beside the next layer's ones column

    def _backward(self, views: Any, yb: Array, scale: float, lr_l2: float | None = None) -> float:
        """BP1–BP4; with ``lr_l2`` not None also the SGD update (see ``sgd_step``)."""
        _, a, z, delta, p, *_ = views[-1]
        if self.fused is not None:  # sigmoid/softmax + cross-entropy: δ = a − y
            total, k = float(self.fused.fn_z(z, yb).sum()), 1.0
            if self.fused.scales_by_target_sum and not self.targets_sum_to_one:
                np.multiply(a, yb.sum(axis=1, keepdims=True), out=delta)  # softmax: a Σ_j y_j − y
                delta -= yb
            else:
                np.subtract(a, yb, out=delta)
        else:
            total, k = self.cost.sum_and_grad(a, yb, delta)  # ∂C/∂a^(L) = k · delta (eq. 4)
            _, prime, with_prime = self._rules[-1]
            if with_prime is not None:
                delta *= p  # BP1: ⊙ σ'(z^(L)) (eq. 5), made in the forward pass
            elif prime is not None:
                delta *= prime(z, a, p)  # BP1: ⊙ σ'(z^(L)) (eq. 5)
        delta *= scale * k  # the 1/m of the mean (and η for plain SGD), carried by δ
        if lr_l2 is not None and not math.isfinite(total):
            lr_l2 = None  # diverged: no update, the caller reports it from the weights as they were
        decayed = self._decayed_updates(len(delta)) if lr_l2 else None
        for l in range(self.L, 0, -1):
            a1, _, _, _, _, fused_update, _, b, grad_w = views[l - 1]
            wt, grad = self.Wt[l - 1], self.dWt[l - 1]
            if lr_l2:  # L2: float64's own products with the decay in them, or the gradient below
                fused_update = None if decayed is None else decayed[l - 1]
            elif lr_l2 is None:
                fused_update = None
            if fused_update is None:
                if b is not None:  # a plain input: ∂C/∂b = 1ᵀ δ apart
                    np.matmul(self._ones[:len(delta), 0], delta, out=grad[-1])
                np.matmul(a1.T, delta, out=grad_w)  # BP3+BP4: [∂C/∂w | ∂C/∂b]ᵀ = [a^(l−1) 1]ᵀ δ
            if l > 1:
                _, a, z, prev, p, *_ = views[l - 2]
                np.matmul(delta, self._w[l - 1], out=prev)  # eq. 8: Σ_j w_jk δ_j
                _, prime, with_prime = self._rules[l - 2]
                if with_prime is not None:
                    prev *= p  # BP2: ⊙ σ'(z^(l−1)), made in the forward pass
                elif prime is not None:
                    prev *= prime(z, a, p)  # BP2: ⊙ σ'(z^(l−1))
            if lr_l2 is not None:  # SGD: this layer's w is no longer needed, update it now
                if fused_update is not None and lr_l2:  # float64 L2: w ← (1 − ηλ) w − η ∂C/∂w with
                    fused_update(1.0 - lr_l2)  # GEMM's β, b ← b − η ∂C/∂b apart (_decayed_updates)
                elif fused_update is not None:
                    fused_update()  # [w | b]ᵀ −= [a^(l−1) 1]ᵀ δ: BP3+BP4 and the update, one product
                else:
                    if lr_l2:  # + η λ w, the L2 term of the gradient (not the bias); added to the
                        # gradient, not applied as w *= 1 − ηλ: in float32 that factor rounds, by up
                        # to 6e-8 (all of ηλ below ~3e-8, where it is exactly 1)
                        if self._l2_scratch is None:  # a buffer, not a temporary per step: SGD + L2
                            # epochs on `wide` 241 → 192 ms (plain SGD: 153)
                            self._l2_scratch = [_touched(w[:-1].shape, w.dtype) for w in self.Wt]
                        decay = np.multiply(wt[:-1], lr_l2, out=self._l2_scratch[l - 1])
                        grad[:-1] += decay
                    wt -= grad  # η is in δ already
            if l > 1:
                delta = prev
        return total

    def _decayed_updates(self, m: int) -> list[Any] | None:
        """Per layer, a call ``(keep)`` doing w ← keep · w − [a^(l−1)]ᵀ δ and b ← b − 1ᵀ δ, one
        GEMM each (blas.py; β = keep = 1 − ηλ: SGD + L2 without writing the gradient out), for
        batches of m rows; made at the first L2 step. None in float32, where β rounds to a float32
        by up to 3e-8, an error of up to 3e-8/ηλ in the decay (all of it for ηλ below ~3e-8), or
        where numpy's OpenBLAS cannot do it."""
        if self.Wt[0].dtype != np.float64:
            return None
        got = self._decayed.get(m, False)
        if got is False:
            got = []
            for (a1, _, _, d, *_), wt in zip(self.views(m), self.Wt):
                x = a1 if a1.shape[1] == wt.shape[0] - 1 else a1[:, :-1]  # a plain input, or [a 1]'s a
                update_w = blas.subtract_product(wt[:-1], x, d, scaled=True)
                update_b = blas.subtract_product(wt[-1:], self._ones[:m], d)
                got.append(None if update_w is None or update_b is None else _scaled_both(update_w, update_b))
            got = self._decayed[m] = None if None in got else got
        return got

    def add_l2(self, l2: float) -> None:
        """∂C/∂w += λ w in every layer's gradient buffer, ∂/∂w of (λ/2)||w||² (momentum and Adam,
        after ``backward``). One BLAS pass per layer (blas.axpby, prepared once for these fixed
        buffers), where numpy's ``dw += l2 * w`` made a temporary of the layer's size and took two
        passes; numpy's, into a scratch array, where blas.axpby cannot."""
        if self._l2_adds is None:
            adds = [blas.axpby(w, dw) for dw, w in zip(self._grads, self._w)]
            self._l2_adds = [(add, None if add is not None else np.empty_like(w)) for add, w in zip(adds, self._w)]
        for dw, w, (add, scratch) in zip(self._grads, self._w, self._l2_adds):
            if add is not None:
                add(l2, 1.0)  # dw ← λ w + dw
            else:
                dw += np.multiply(w, l2, out=scratch)  # dw ← dw + λ w

    def gradients(self) -> list[Array]:
        """[dW…, db…] of the last backward: views of the [dw | db]ᵀ arrays (writable)."""
        return self._grads
