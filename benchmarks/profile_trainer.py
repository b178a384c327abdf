#!/usr/bin/env python
"""Profile our trainer on one benchmark workload, run exactly as benchmarks/run.py runs it.

    python benchmarks/profile_trainer.py [xor|digits|wide] [float32|float64] [--lines] [--quick]

Default: cProfile, sorted by own time. ``--lines``: per-line times of the trainer's hot
functions with line_profiler (``pip install line_profiler``; it is not a project
dependency). Both add overhead per call/line, so read the shares, not the absolute times.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import run  # noqa: E402  (benchmarks/run.py)


def main() -> int:
    p = argparse.ArgumentParser(description=" ".join(__doc__.split("\n\n")[0].split()))
    p.add_argument("workload", nargs="?", default="wide", choices=("xor", "digits", "wide"))
    p.add_argument("dtype", nargs="?", default=None, choices=("float32", "float64"))
    p.add_argument("--lines", action="store_true", help="per-line times (line_profiler)")
    p.add_argument("--quick", action="store_true", help="the --quick workload sizes")
    p.add_argument("--top", type=int, default=20)
    args = p.parse_args()
    wl = run.workloads(args.quick)[args.workload]
    s = run.make_setup(wl, args.dtype or wl.dtypes[0])
    run.run_ours(s)  # warm-up
    plain = sorted(run.run_ours(s)[0] for _ in range(3))[1]  # median of 3, without a profiler
    print(f"{wl.describe()} {s.dtype}: {run.fmt_time(plain)}/epoch without a profiler")
    if args.lines:
        from line_profiler import LineProfiler

        from backprop_cli import training

        targets = [getattr(training.Trainer, n) for n in ("run", "_step", "_gather", "_epoch_stats")
                   if hasattr(training.Trainer, n)]
        try:
            from backprop_cli import engine

            targets += [getattr(engine.Engine, n) for n in ("_forward", "_backward")
                        if hasattr(engine.Engine, n)]
        except ImportError:
            pass
        lp = LineProfiler(*targets)
        lp.enable_by_count()
        t, _ = run.run_ours(s)
        lp.disable_by_count()
        print(f"under line_profiler: {run.fmt_time(t)}/epoch")
        lp.print_stats(output_unit=1e-6, stripzeros=True)
    else:
        prof = cProfile.Profile()
        prof.enable()
        t, _ = run.run_ours(s)
        prof.disable()
        print(f"under cProfile: {run.fmt_time(t)}/epoch")
        pstats.Stats(prof).sort_stats("tottime").print_stats(args.top)
    return 0


if __name__ == "__main__":
    sys.exit(main())
