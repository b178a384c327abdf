"""Benchmark: ``check_gradients`` full mode on a 784-32-10 sigmoid network, 4 examples.

Compares the batched numeric side with the obvious per-parameter loop (two
``net.cost`` calls per parameter, the same step convention), checks that both give
the same numbers, and, only when torch is importable, times
``torch.autograd.gradcheck`` on the same function. Run::

    PYTHONPATH=src python benchmarks/gradcheck_bench.py [--repeat 7] [--threads-note]
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections.abc import Callable
from typing import Any

import numpy as np

from backprop_cli import Network
from backprop_cli.gradcheck import check_gradients, numeric_gradients


def timed(fn: Callable[[], Any], repeat: int) -> tuple[float, float, Any]:
    """(best, median) wall time in seconds over ``repeat`` runs after one warm-up, and a result."""
    result = fn()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return min(times), statistics.median(times), result


def loop_numeric(net: Network, X: np.ndarray, Y: np.ndarray, eps: float = 1e-5) -> list[np.ndarray]:
    """Per-parameter loop: θ ± ε, two full forward passes (``net.cost``) per parameter."""
    out = []
    for l in range(1, net.L + 1):
        for t in (net.weights[l - 1], net.biases[l - 1]):
            flat = t.reshape(-1)
            g = np.empty(flat.size)
            for i in range(flat.size):
                theta = flat[i]
                tp, tm = theta + eps, theta - eps
                flat[i] = tp
                cp = net.cost(X, Y)
                flat[i] = tm
                cm = net.cost(X, Y)
                flat[i] = theta
                g[i] = (cp - cm) / (tp - tm)
            out.append(g.reshape(t.shape))
    return out


def torch_gradcheck(net: Network, X: np.ndarray, Y: np.ndarray) -> float | None:
    """Seconds for torch.autograd.gradcheck on the same mean cost, or None without torch."""
    try:
        import torch
    except ImportError:
        return None
    Xt, Yt = torch.tensor(X), torch.tensor(Y)
    params = []
    for w, b in zip(net.weights, net.biases):
        params += [torch.tensor(w, requires_grad=True), torch.tensor(b, requires_grad=True)]

    def cost(*ps: Any) -> Any:
        a = Xt
        for w, b in zip(ps[0::2], ps[1::2]):
            a = torch.sigmoid(a @ w.T + b)
        return ((a - Yt) ** 2).sum(dim=1).mean()

    start = time.perf_counter()
    ok = torch.autograd.gradcheck(cost, tuple(params), eps=1e-6, atol=1e-8, rtol=1e-5)
    elapsed = time.perf_counter() - start
    print(f"torch.autograd.gradcheck: {'pass' if ok else 'FAIL'} in {elapsed:.3f} s")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=" ".join(__doc__.split("\n\n")[0].split()))
    parser.add_argument("--repeat", type=int, default=7, help="timed runs (after one warm-up)")
    parser.add_argument("--examples", type=int, default=4)
    args = parser.parse_args()

    rng = np.random.default_rng(0)
    net = Network([784, 32, 10], activation="sigmoid", cost="squared_error", seed=0)
    X = rng.uniform(size=(args.examples, 784))  # pixel-like inputs in [0, 1]
    Y = np.eye(10)[rng.integers(0, 10, args.examples)]
    print(f"network {net.describe()}, {net.n_params:,} parameters, {args.examples} examples, "
          f"{os.cpu_count()} CPUs, numpy {np.__version__}")

    best, med, report = timed(lambda: check_gradients(net, X, Y), args.repeat)
    print(f"check_gradients full: best {best:.3f} s, median {med:.3f} s "
          f"({report.status}, {report.n_checked:,} entries, global ratio {report.global_ratio:.2e})")
    nbest, nmed, (dw, db) = timed(lambda: numeric_gradients(net, X, Y), args.repeat)
    print(f"numeric_gradients (batched numeric side only): best {nbest:.3f} s, median {nmed:.3f} s")
    for mode in ("sample", "fast"):
        b, m, r = timed(lambda: check_gradients(net, X, Y, mode=mode), args.repeat)
        print(f"check_gradients {mode}: best {b * 1e3:.1f} ms, median {m * 1e3:.1f} ms ({r.status})")

    start = time.perf_counter()
    slow = loop_numeric(net, X, Y)
    loop_s = time.perf_counter() - start
    batched = [g for pair in zip(dw, db) for g in pair]
    diff = max(float(np.abs(a - b).max()) for a, b in zip(batched, slow))
    print(f"per-parameter loop (2 × net.cost each): {loop_s:.3f} s; "
          f"max |batched − loop| = {diff:.2e}")
    print(f"speed-up: full check {loop_s / best:.1f}× the loop; numeric side {loop_s / nbest:.1f}×")
    if torch_gradcheck(net, X, Y) is None:
        print("torch not importable: torch.autograd.gradcheck skipped")


if __name__ == "__main__":
    main()
