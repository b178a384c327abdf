#!/usr/bin/env python
"""Where one training step's time goes: every call of a plain-SGD step, timed inside a real
loop, beside the GEMM floor's step.

    python benchmarks/step_breakdown.py [wide|digits|xor] [float32|float64] [--epochs N]

It runs the calls of ``Engine.sgd_step`` (forward, BP1-BP4 and the fused update; no L2, and no
check for divergence) one by one on the engine's own buffers, with a clock read between them,
over shuffled epochs whose batches are gathered into the engine's input (as the trainer
gathers them for a large first layer, wide's; for a small one it gathers rows of a copy [X 1]
instead, a little faster), and prints the mean µs per step of each piece, largest first, then
the floor's whole step (``run.GemmFloor``, the same matrix products alone). The first epoch is
a warm-up. Reading the clock costs ~0.1 µs a piece, so tiny pieces read a little high.
``tests/test_benchmark_reference.py`` checks that ``step()`` below updates the weights exactly
as ``Engine.sgd_step`` does: when the engine changes, change this copy with it.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from backprop_cli.engine import Engine  # noqa: E402


def step(eng: Engine, m: int, yb: np.ndarray, scale: float, clock: dict[str, float] | None = None) -> float:
    """One plain-SGD step on the m rows in ``eng.input(m)``, as ``Engine.sgd_step(m, yb, scale,
    0.0)`` does it; with ``clock``, the seconds of every piece are added to it by name.
    Returns Σ_i C_i before the update."""
    now = time.perf_counter
    t = now()

    def tick(name: str) -> None:
        nonlocal t
        if clock is not None:
            t2 = now()
            clock[name] += t2 - t
            t = t2

    views = eng.views(m)
    for l, ((into, _, with_prime), (a1, a, z, _, p, _, w, b, _)) in enumerate(zip(eng._rules, views), start=1):
        np.matmul(a1, w, out=z)
        tick(f"forward product, layer {l}")
        if b is not None:
            z += b
            tick(f"forward bias, layer {l}")
        if with_prime is not None:
            with_prime(z, a, p)
        else:
            into(z, a)
        tick(f"activation, layer {l}")
    _, a, z, delta, p, *_ = views[-1]
    if eng.fused is not None:
        total, k = float(eng.fused.fn_z(z, yb).sum()), 1.0
        if eng.fused.scales_by_target_sum and not eng.targets_sum_to_one:
            np.multiply(a, yb.sum(axis=1, keepdims=True), out=delta)
            delta -= yb
        else:
            np.subtract(a, yb, out=delta)
    else:
        total, k = eng.cost.sum_and_grad(a, yb, delta)
        _, prime, with_prime = eng._rules[-1]
        if with_prime is not None:
            delta *= p
        elif prime is not None:
            delta *= prime(z, a, p)
    delta *= scale * k
    tick("cost and BP1 (∂C/∂a ⊙ σ', scaled)")
    for l in range(eng.L, 0, -1):
        a1, _, _, _, _, fused_update, _, b, grad_w = views[l - 1]
        if l > 1:
            _, a, z, prev, p, *_ = views[l - 2]
            np.matmul(delta, eng._w[l - 1], out=prev)
            tick(f"BP2 product, layer {l}")
            _, prime, with_prime = eng._rules[l - 2]
            if with_prime is not None:
                prev *= p
                tick(f"BP2 σ', layer {l - 1}")
            elif prime is not None:
                prev *= prime(z, a, p)
                tick(f"BP2 σ', layer {l - 1}")
        if fused_update is not None:
            fused_update()
        else:
            if b is not None:
                np.matmul(eng._ones[:m, 0], delta, out=eng.dWt[l - 1][-1])
            np.matmul(a1.T, delta, out=grad_w)
            eng.Wt[l - 1] -= eng.dWt[l - 1]
        tick(f"update product, layer {l}")
        if l > 1:
            delta = prev
    return total


def main() -> int:
    import run  # benchmarks/run.py

    p = argparse.ArgumentParser(description=" ".join(__doc__.split("\n\n")[0].split()))
    p.add_argument("workload", nargs="?", default="wide", choices=("xor", "digits", "wide"))
    p.add_argument("dtype", nargs="?", default=None, choices=("float32", "float64"))
    p.add_argument("--epochs", type=int, default=4, help="timed epochs (after one warm-up)")
    args = p.parse_args()
    wl = run.workloads(False)[args.workload]
    s = run.make_setup(wl, args.dtype or wl.dtypes[0])
    bs = s.batch_size
    eng = Engine(s.net0.copy(), bs, gathered=bs < s.n)
    rng = np.random.default_rng(run.SEED_SHUFFLE)
    clock: dict[str, float] = defaultdict(float)
    steps = 0
    for epoch in range(args.epochs + 1):
        order = rng.permutation(s.n)
        y = s.Y[order]
        for lo in range(0, s.n, bs):
            m = min(bs, s.n - lo)
            t = time.perf_counter()
            s.X.take(order[lo:lo + m], axis=0, out=eng.input(m), mode="clip")
            clock["gather the batch"] += time.perf_counter() - t
            step(eng, m, y[lo:lo + m], wl.learning_rate / m, clock)
            steps += 1
        if epoch == 0:  # warm-up
            clock.clear()
            steps = 0
    floor = run.GemmFloor(s)
    floor.run(1)
    floor_step = floor.run(args.epochs) / len(s.batch_sizes())
    print(f"{wl.describe()} {s.dtype}: µs per step ({steps} steps)")
    for name, seconds in sorted(clock.items(), key=lambda kv: -kv[1]):
        print(f"  {seconds / steps * 1e6:9.1f}  {name}")
    products = sum(v for k, v in clock.items() if "product" in k) / steps
    print(f"  {sum(clock.values()) / steps * 1e6:9.1f}  the whole step, of which matrix products "
          f"{products * 1e6:.1f}")
    print(f"  {floor_step * 1e6:9.1f}  the GEMM floor's step (the same products alone)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
