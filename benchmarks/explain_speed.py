#!/usr/bin/env python
"""``backprop explain`` as a user runs it (whole processes): this checkout's time against another
revision's, and its output, byte for byte.

    python benchmarks/explain_speed.py [--baseline main] [--rounds 7] [--only full,json]
    python benchmarks/explain_speed.py --save DIR [--rev REV] [--quick]   # every case's output
    python benchmarks/explain_speed.py --check DIR [--quick]              # ... the same, byte for byte?

Timing: each case (below) is one whole ``python -m backprop_cli explain …`` process, its output
to /dev/null (a pipe's 80 columns, or ``COLUMNS``), run with this checkout's ``src`` and with
``git archive REV src``'s on ``PYTHONPATH``. After one untimed warm-up round (bytecode written:
an installed package has it), every round runs each case under both, back to back, in an order
that rotates; printed are each side's median and the median of the per-round ratios (a slow
phase of a shared machine hits both sides of a ratio alike). Other processes change the
absolute times: run it on a quiet machine, or read the ratios.

Outputs: 27 invocations (several networks and layers, ``--full`` or not, ``--expand``,
``--weight``, ``--neuron``, ``--all-layers``, kinks of ReLU units, softmax) at 40, 50, 60, 80,
100, 110 and 150 columns, coloured (``FORCE_COLOR``), ``NO_COLOR`` and in an ASCII locale
(``LC_ALL=C PYTHONUTF8=0``) at 40, 80 and 150, and as ``--format json`` and ``markdown``: 486
runs, ~5 minutes on 2 cores (``--quick``: 40, 80 and 150 columns, the others at 80; 216 runs).
Each run's stdout, stderr and exit status go to DIR; ``--check`` runs them again and names every
file that differs. Save before changing how explain prints, check after every change.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DIGITS = "configs/digits.yaml"

#: name: (explain's arguments, COLUMNS, extra environment)
TIMED: dict[str, tuple[list[str], int, dict[str, str]]] = {
    "digits L1 --full (2,048 weights), 80 columns": ([DIGITS, "--layer", "1", "--full"], 80, {}),
    "the same in colour (a terminal's FORCE_COLOR)": ([DIGITS, "--layer", "1", "--full"], 80, {"FORCE_COLOR": "1"}),
    "the same at 150 columns": ([DIGITS, "--layer", "1", "--full"], 150, {}),
    "the same at 40 columns (a projector: stacked)": ([DIGITS, "--layer", "1", "--full"], 40, {}),
    "digits --all-layers --full (2,368 weights)": ([DIGITS, "--all-layers", "--full"], 80, {}),
    "spirals L2 --full (4,096 weights, relu)": (["configs/spirals.yaml", "--layer", "2", "--full"], 80, {}),
    "64-128-10 L1 --full (8,192 weights)": ([DIGITS, "--layer", "1", "--full", "--set", "network.layers=[64,128,10]"],
                                            80, {}),
    "digits L1 --full --format json": ([DIGITS, "--layer", "1", "--full", "--format", "json"], 80, {}),
    "digits L1 (8 x 8 shown)": ([DIGITS, "--layer", "1"], 80, {}),
}

#: name: explain's arguments, for --save and --check
OUTPUTS: dict[str, list[str]] = {
    "def_L": ["--layer", "L", "--example", "1"],
    "def_1": ["--layer", "1"],
    "def_all": ["--all-layers"],
    "def_L_expand": ["--layer", "L", "--expand", "--weight", "0,1"],
    "xor_1_expand": ["configs/xor.yaml", "--layer", "1", "--expand", "--example", "1"],
    "hw_L_w00": ["configs/hand_worked.yaml", "--layer", "L", "--weight", "0,0"],
    "hw_1_w00_exp": ["configs/hand_worked.yaml", "--layer", "1", "--weight", "0,0", "--expand"],
    "iris_L_n2": ["configs/iris.yaml", "--layer", "L", "--neuron", "2"],
    "iris_1_full": ["configs/iris.yaml", "--layer", "1", "--full"],
    "iris_all_full": ["configs/iris.yaml", "--all-layers", "--full"],
    "dig_1": [DIGITS, "--layer", "1"],
    "dig_2": [DIGITS, "--layer", "2", "--example", "3"],
    "dig_1_full": [DIGITS, "--layer", "1", "--full"],
    "dig_2_full": [DIGITS, "--layer", "2", "--full"],
    "dig_1_n3_full": [DIGITS, "--layer", "1", "--neuron", "3", "--full"],
    "dig_2_n3_full": [DIGITS, "--layer", "L", "--neuron", "3", "--full"],
    "dig_1_w_exp": [DIGITS, "--layer", "1", "--weight", "5,20", "--expand"],
    "dig_all_full": [DIGITS, "--all-layers", "--full"],
    "dig_softmax_1_full": [DIGITS, "--layer", "1", "--full", "--set", "cost=cross_entropy",
                           "--set", "network.output_activation=softmax", "--example", "7"],
    "dig128_1_full": [DIGITS, "--layer", "1", "--full", "--set", "network.layers=[64,128,10]"],
    "dig_tanh_1_full": [DIGITS, "--layer", "1", "--full", "--set", "network.activation=tanh",
                        "--set", "network.init=normal"],
    "spir_2_full": ["configs/spirals.yaml", "--layer", "2", "--full"],
    "spir_L_full": ["configs/spirals.yaml", "--layer", "L", "--full", "--example", "2"],
    "spir_1_full": ["configs/spirals.yaml", "--layer", "1", "--full"],
    "xr_1_full": ["configs/xor_relu.yaml", "--layer", "1", "--full"],
    "sine_1_full": ["configs/sine.yaml", "--layer", "1", "--full"],
    "circ_all_full": ["configs/circles.yaml", "--all-layers", "--full"],
}

_ENV_DROP = ("COLUMNS", "LINES", "FORCE_COLOR", "NO_COLOR", "TERM", "LC_ALL", "LANG", "PYTHONUTF8",
             "PYTHONIOENCODING", "PYTHONPATH", "CI")


def _env(src: Path, extra: dict[str, str], bytecode: bool = False) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in _ENV_DROP}
    if bytecode:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.update({"LANG": "C.UTF-8", "PYTHONPATH": str(src)}, **extra)
    return env


def _run(args: list[str], env: dict[str, str], stdout: int | None = subprocess.PIPE) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "backprop_cli", "explain", *args], cwd=ROOT, env=env,
                          stdout=stdout, stderr=subprocess.PIPE)


def _source(rev: str | None, folder: str) -> Path:
    """This checkout's src, or git's at ``rev`` unpacked into ``folder``."""
    if rev is None:
        return ROOT / "src"
    archive = Path(folder) / "src.tar"
    with archive.open("wb") as f:
        subprocess.run(["git", "archive", rev, "src"], cwd=ROOT, stdout=f, check=True)
    with tarfile.open(archive) as tar:
        try:
            tar.extractall(folder, filter="data")
        except TypeError:  # a Python without extraction filters (before 3.10.12 / 3.11.4)
            tar.extractall(folder)
    return Path(folder) / "src"


def _output_cases(quick: bool) -> list[tuple[str, list[str], dict[str, str]]]:
    cases = []
    for name, args in OUTPUTS.items():
        for width in ((40, 80, 150) if quick else (40, 50, 60, 80, 100, 110, 150)):
            cases.append((f"{name}.w{width}.plain", args, {"COLUMNS": str(width)}))
        for width in ((80,) if quick else (40, 80, 150)):
            cases.append((f"{name}.w{width}.color", args, {"COLUMNS": str(width), "FORCE_COLOR": "1",
                                                           "TERM": "xterm-256color"}))
            cases.append((f"{name}.w{width}.nocolor", args, {"COLUMNS": str(width), "FORCE_COLOR": "1",
                                                             "NO_COLOR": "1"}))
            cases.append((f"{name}.w{width}.ascii", args, {"COLUMNS": str(width), "LC_ALL": "C", "PYTHONUTF8": "0"}))
        cases.append((f"{name}.json", args + ["--format", "json"], {"COLUMNS": "80"}))
        cases.append((f"{name}.md", args + ["--format", "markdown"], {"COLUMNS": "80"}))
    return cases


def outputs(folder: Path, src: Path, quick: bool, check: bool, jobs: int) -> int:
    """--save (check False): write every case's output into ``folder``; --check: compare with it."""
    cases = _output_cases(quick)
    folder.mkdir(parents=True, exist_ok=True)

    def one(case: tuple[str, list[str], dict[str, str]]) -> str | None:
        name, args, extra = case
        r = _run(args, _env(src, extra))
        got = {f"{name}.out": r.stdout, f"{name}.err": r.stderr + f"\n[exit {r.returncode}]\n".encode()}
        for file, data in got.items():
            if not check:
                (folder / file).write_bytes(data)
            elif not (folder / file).is_file() or (folder / file).read_bytes() != data:
                return file
        return None

    start = time.perf_counter()
    with ThreadPoolExecutor(jobs) as pool:
        differ = [f for f in pool.map(one, cases) if f is not None]
    for file in differ:
        print(f"differs: {folder / file}")
    verb = "checked against" if check else "saved in"
    print(f"{len(cases)} runs {verb} {folder} in {time.perf_counter() - start:.0f} s"
          + (f": {len(differ)} differ" if check else ""))
    return 1 if differ else 0


def timings(baseline: str, rounds: int, only: list[str]) -> None:
    cases = {name: case for name, case in TIMED.items() if not only or any(o in name for o in only)}
    with tempfile.TemporaryDirectory() as folder:
        trees = {"baseline": _source(baseline, folder), "this checkout": ROOT / "src"}
        times: dict[tuple[str, str], list[float]] = {(c, t): [] for c in cases for t in trees}
        loads = []
        for r in range(rounds + 1):  # round 0: the warm-up
            names = list(trees)
            order = names[r % 2:] + names[:r % 2]
            for case, (args, columns, extra) in cases.items():
                for tree in order:
                    env = _env(trees[tree], {"COLUMNS": str(columns), **extra}, bytecode=True)
                    start = time.perf_counter()
                    p = _run(args, env, stdout=subprocess.DEVNULL)
                    if p.returncode not in (0, 1, 3):
                        raise SystemExit(f"{tree}: {case}: exit {p.returncode}\n{p.stderr.decode()}")
                    if r:
                        times[(case, tree)].append(time.perf_counter() - start)
            loads.append(os.getloadavg()[0])
    print(f"backprop explain, whole processes: baseline {baseline} vs this checkout; medians of {rounds} "
          f"rounds (ratio: median of the per-round ratios); load average {min(loads):.1f}-{max(loads):.1f}")
    for case in cases:
        old, new = (statistics.median(times[(case, t)]) for t in trees)
        ratio = statistics.median(n / o for o, n in zip(times[(case, "baseline")], times[(case, "this checkout")]))
        print(f"  {case:48s} {old:6.2f} s -> {new:5.2f} s  ({ratio:.2f}x)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--baseline", default="main", help="git revision to time against (main)")
    ap.add_argument("--rounds", type=int, default=7)
    ap.add_argument("--only", default="", help="comma-separated pieces of case names")
    ap.add_argument("--save", type=Path, metavar="DIR", help="save every output case in DIR")
    ap.add_argument("--check", type=Path, metavar="DIR", help="compare every output case with DIR's")
    ap.add_argument("--rev", default=None, help="with --save: the outputs of this git revision, not of the checkout")
    ap.add_argument("--quick", action="store_true", help="with --save/--check: 216 runs, not 486")
    ap.add_argument("--jobs", type=int, default=1, help="with --save/--check: processes at a time (1)")
    args = ap.parse_args()
    if args.save or args.check:
        with tempfile.TemporaryDirectory() as folder:
            src = _source(args.rev if args.save else None, folder)
            raise SystemExit(outputs(args.save or args.check, src, args.quick, args.check is not None, args.jobs))
    timings(args.baseline, args.rounds, [o.strip() for o in args.only.split(",") if o.strip()])


if __name__ == "__main__":
    main()
