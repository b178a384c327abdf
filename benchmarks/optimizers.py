#!/usr/bin/env python
"""Momentum's and Adam's update, this checkout's against another revision's, side by side.

    python benchmarks/optimizers.py [--baseline REV] [--rounds 9] [--only update,wide,small]

The baseline is ``src/backprop_cli/optimizers.py`` as git holds it at REV (default ``main``),
loaded beside the current module in the same process. Every round times each contender once,
back to back, in an order that rotates every round; printed are each contender's median and,
for every ratio, the median of the per-round ratios (a slow phase of a shared machine hits both
sides of a ratio alike; run.py's "Fairness" explains why). Three parts:

- ``update``: ``Optimizer.step`` alone, µs per step, on `wide`'s parameters laid out as the
  engine lays them out (w as the transposed view of an aligned [w | b]ᵀ array, b its last row)
  in float32 and float64; "new, numpy" is the current module with ``blas.axpby`` switched off
  (as ``BACKPROP_CLI_NO_BLAS`` would).
- ``wide``: whole training runs of run.py's `wide` workload (784-256-128-10, batch 128; ``--samples``
  rows, ``--epochs`` epochs) with adam and momentum, ms per epoch (``Trainer`` from start to the last epoch's callback), the
  trainer's ``OPTIMIZERS`` swapped for the baseline's.
- ``small``: xor (2-4-1, full batch) and digits (64-32-10, batch 32) with adam, the same way:
  µs per epoch, where the per-call overhead is the cost.
  (Training runs are timed from ``Trainer(...)`` to the end of ``run()``, its final evaluation
  included.)
- ``l2``: plain SGD with L2 (λ 1e-4) on `wide`, ms per epoch, the engine's float64 update with the
  decay as GEMM's β against the same engine with that switched off (``Engine._decayed_updates``
  giving None: λ w added to a written-out gradient, then a subtraction, as before); float32 as
  a control (it always takes the second way).
- ``level1`` (not in the default set): θ ← θ − η v on `wide`'s layer sizes as ``blas.axpby``
  (β = 1, one thread), as OpenBLAS's ``?axpy`` (which it splits over its threads above 10,000
  elements) and as numpy's two passes, µs per call: why the optimizers use axpby for it.

Other processes change the absolute numbers; the paired ratios are what to read.
"""

from __future__ import annotations

import argparse
import importlib.util
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from backprop_cli import blas, training  # noqa: E402
from backprop_cli import optimizers as current  # noqa: E402
from backprop_cli.config import TrainingConfig  # noqa: E402
from backprop_cli.engine import Engine, aligned  # noqa: E402
from backprop_cli.training import Trainer  # noqa: E402

import run  # noqa: E402  (the benchmark's workloads and data)

ROOT = Path(__file__).resolve().parents[1]
WIDE = (784, 256, 128, 10)


clock: Callable[[], float] = time.perf_counter  # --clock


def set_threads(n: int) -> None:
    """numpy's OpenBLAS to n threads (its own set_num_threads, found as blas.py finds GEMM)."""
    import ctypes

    lib = ctypes.CDLL(blas._libraries()[0])
    for name in ("scipy_openblas_set_num_threads64_", "scipy_openblas_set_num_threads"):
        try:
            lib[name](ctypes.c_int(n))
            return
        except AttributeError:
            continue
    raise SystemExit("--threads: numpy's OpenBLAS has no set_num_threads here")


def load_baseline(rev: str) -> Any:
    """optimizers.py at git revision ``rev``, imported as a module of backprop_cli (its relative
    imports resolve), beside the current one."""
    source = subprocess.run(["git", "show", f"{rev}:src/backprop_cli/optimizers.py"], cwd=ROOT,
                            check=True, capture_output=True, text=True).stdout
    with tempfile.TemporaryDirectory() as folder:  # nothing left behind: the module is in memory once run
        path = Path(folder) / "baseline_optimizers.py"
        path.write_text(source)
        spec = importlib.util.spec_from_file_location("backprop_cli._baseline_optimizers", path)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module  # dataclasses look their module up there
        spec.loader.exec_module(module)
    return module


def paired(contenders: dict[str, Callable[[], float]], rounds: int) -> dict[str, Any]:
    """Each contender once per round (order rotating, one warm-up round): its median, and the
    median per-round ratio of every contender to the first."""
    names = list(contenders)
    times: dict[str, list[float]] = {n: [] for n in names}
    for r in range(rounds + 1):
        order = names[r % len(names):] + names[:r % len(names)]
        got = {n: contenders[n]() for n in order}
        if r:
            for n in names:
                times[n].append(got[n])
    first = names[0]
    return {n: (statistics.median(times[n]),
                statistics.median(t / b for t, b in zip(times[n], times[first]))) for n in names}


def show(title: str, unit: str, result: dict[str, Any]) -> None:
    base = next(iter(result))
    cells = [f"{n} {t:.1f} {unit}" + ("" if n == base else f" ({ratio:.2f}x)") for n, (t, ratio) in result.items()]
    print(f"{title:<34} " + " | ".join(cells))


def wide_params(dtype: str, rng: np.random.Generator) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """`wide`'s parameters and gradients as the engine holds them: [w…] + [b…] views of
    aligned (n_{l−1} + 1, n_l) arrays."""
    wts = [aligned((n_in + 1, n_out), dtype) for n_in, n_out in zip(WIDE[:-1], WIDE[1:])]
    dwts = [aligned(wt.shape, dtype) for wt in wts]
    for a in wts + dwts:
        a[...] = rng.normal(scale=0.05, size=a.shape)
    return ([wt[:-1].T for wt in wts] + [wt[-1] for wt in wts],
            [g[:-1].T for g in dwts] + [g[-1] for g in dwts])


def update_timer(module: Any, name: str, settings: dict[str, Any], dtype: str, numpy_only: bool,
                 steps: int) -> Callable[[], float]:
    rng = np.random.default_rng(0)
    params, grads = wide_params(dtype, rng)
    opt = module.OPTIMIZERS[name](params, **settings)
    opt.relayout(params)
    saved = blas.axpby
    if numpy_only:
        blas.axpby = lambda x, y: None  # the calls are prepared at the first step, numpy's here
    try:
        opt.step(params, grads, 1e-3)
    finally:
        blas.axpby = saved

    def timed() -> float:
        start = clock()
        for _ in range(steps):
            opt.step(params, grads, 1e-3)
        return (clock() - start) / steps * 1e6

    return timed


def training_timer(module: Any, s: run.Setup, settings: TrainingConfig, no_decayed: bool = False
                   ) -> Callable[[], float]:
    def timed() -> float:
        saved, saved_decayed = training.OPTIMIZERS, Engine._decayed_updates
        training.OPTIMIZERS = module.OPTIMIZERS
        if no_decayed:
            Engine._decayed_updates = lambda self, m: None  # type: ignore[method-assign]
        try:
            start = clock()
            trainer = Trainer(s.net0.copy(), s.train, None, settings, np.random.default_rng(run.SEED_SHUFFLE))
            trainer.run()
            end = clock()
        finally:
            training.OPTIMIZERS, Engine._decayed_updates = saved, saved_decayed  # type: ignore[method-assign]
        return (end - start) / settings.epochs

    return timed


def level1_timer(kind: str, n: int, dtype: str, calls: int = 200) -> Callable[[], float]:
    x, y, tmp = np.ones(n, dtype), np.ones(n, dtype), np.empty(n, dtype)
    if kind == "axpby":
        by = blas.axpby(x, y)
        assert by is not None
        step: Callable[[], Any] = lambda: by(-1e-3, 1.0)  # noqa: E731
    elif kind == "axpy":
        import ctypes

        lib = ctypes.CDLL(blas._libraries()[0])
        fn = lib[f"scipy_cblas_{'s' if dtype == 'float32' else 'd'}axpy64_"]
        fn.restype = None
        real = ctypes.c_float if dtype == "float32" else ctypes.c_double
        args = (ctypes.c_int64(n), real(-1e-3), ctypes.c_void_p(x.ctypes.data), ctypes.c_int64(1),
                ctypes.c_void_p(y.ctypes.data), ctypes.c_int64(1))
        step = lambda: fn(*args)  # noqa: E731
    else:
        def step() -> None:
            np.multiply(x, 1e-3, out=tmp)
            y.__isub__(tmp)

    def timed() -> float:
        start = clock()
        for _ in range(calls):
            step()
        return (clock() - start) / calls * 1e6

    return timed


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--baseline", default="main", help="git revision of the optimizers to compare with (main)")
    ap.add_argument("--rounds", type=int, default=9)
    ap.add_argument("--only", default="update,wide,small,l2", help="update, wide, small, l2, level1 (comma-separated)")
    ap.add_argument("--clock", choices=("wall", "cpu"), default="wall",
                    help="wall: time.perf_counter; cpu: this process's CPU time (time.process_time), steadier "
                         "while other processes share the cores, best with --threads 1")
    ap.add_argument("--threads", type=int, default=0, help="OpenBLAS threads (0: its default)")
    ap.add_argument("--samples", type=int, default=20_000, help="wide's training rows (20000)")
    ap.add_argument("--epochs", type=int, default=2, help="wide's epochs per run (2)")
    args = ap.parse_args(argv)
    global clock
    clock = time.process_time if args.clock == "cpu" else time.perf_counter
    if args.threads:
        set_threads(args.threads)
    only = set(args.only.split(","))
    old = load_baseline(args.baseline)
    print(f"baseline: optimizers.py at {args.baseline}; numpy's OpenBLAS axpby: "
          f"{'yes' if blas.axpby(np.ones(2), np.ones(2)) is not None else 'no'}; {args.clock} clock; "
          f"OpenBLAS threads: {args.threads or 'default'}; "
          f"medians of {args.rounds} rounds, (ratio) = median per-round time / baseline's")
    if "level1" in only:
        for dtype in ("float32", "float64"):
            for n in (785 * 256, 257 * 128, 129 * 10):
                show(f"y -= a x, {n} elements, {dtype}", "µs", paired(
                    {kind: level1_timer(kind, n, dtype) for kind in ("axpby", "axpy", "numpy")}, args.rounds))
    cases = [("adam", {}), ("momentum", {}), ("momentum", {"nesterov": True})]
    if "update" in only:
        for name, settings in cases:
            for dtype in ("float32", "float64"):
                label = f"{name}{' nesterov' if settings else ''} step, wide, {dtype}"
                show(label, "µs", paired({
                    "baseline": update_timer(old, name, settings, dtype, False, 50),
                    "new": update_timer(current, name, settings, dtype, False, 50),
                    "new, numpy": update_timer(current, name, settings, dtype, True, 50)}, args.rounds))
    wls = run.workloads(quick=False)
    if "wide" in only:
        for name in ("adam", "momentum"):
            for dtype in ("float32", "float64"):
                s = run.make_setup(replace(wls["wide"], n_samples=args.samples), dtype)
                settings = TrainingConfig(learning_rate=1e-3 if name == "adam" else 0.01, epochs=args.epochs, batch_size=128,
                                          shuffle=True, dtype=dtype, optimizer=name)
                result = paired({"baseline": training_timer(old, s, settings),
                                 "new": training_timer(current, s, settings)}, args.rounds)
                show(f"wide epoch, {name}, {dtype}", "ms", {k: (t * 1e3, r) for k, (t, r) in result.items()})
    if "l2" in only:
        for dtype in ("float64", "float32"):
            s = run.make_setup(replace(wls["wide"], n_samples=args.samples), dtype)
            settings = TrainingConfig(learning_rate=0.05, epochs=args.epochs, batch_size=128, shuffle=True,
                                      dtype=dtype, l2=1e-4)
            s.net0.l2 = 1e-4
            result = paired({"gradient + λw": training_timer(current, s, settings, no_decayed=True),
                             "β = 1 − ηλ": training_timer(current, s, settings)}, args.rounds)
            show(f"wide epoch, sgd + L2, {dtype}", "ms", {k: (t * 1e3, r) for k, (t, r) in result.items()})
    if "small" in only:
        for wl_name, epochs in (("xor", 500), ("digits", 5)):
            wl = wls[wl_name]
            s = run.make_setup(wl, "float64")
            settings = TrainingConfig(learning_rate=0.01, epochs=epochs, batch_size=wl.batch_size, shuffle=True,
                                      dtype="float64", optimizer="adam")
            result = paired({"baseline": training_timer(old, s, settings),
                             "new": training_timer(current, s, settings)}, args.rounds)
            show(f"{wl_name} epoch, adam, float64", "µs", {k: (t * 1e6, r) for k, (t, r) in result.items()})
    return 0


if __name__ == "__main__":
    sys.exit(main())
