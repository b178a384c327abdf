"""benchmarks/run.py's verdicts: which targets a run's rounds leave undecided, and the steal share.

The harness marks a target met or missed from the median of the per-round ratios; on a VM with
slow phases the rounds of one run can fall on both sides of a target (Dec 5, 2026: the GEMM
floor's share 79-154% within one run, median 105%), and the run then says so in a note.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

RUN_PATH = Path(__file__).resolve().parents[1] / "benchmarks" / "run.py"


def _load_run():
    """run.py as a module, leaving sys.path and sys.modules["reference"] as they were: run.py
    puts benchmarks/ first on the path and imports its reference.py as ``reference``, the name
    of the tests' scalar reference (tests/reference.py) that other test files import."""
    name = "benchmark_run"
    if name in sys.modules:
        return sys.modules[name]
    path, previous = list(sys.path), sys.modules.pop("reference", None)
    spec = importlib.util.spec_from_file_location(name, RUN_PATH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    finally:
        sys.path[:] = path
        if previous is None:
            sys.modules.pop("reference", None)
        else:
            sys.modules["reference"] = previous
    return module


run = _load_run()
WIDE = run.workloads(quick=True)["wide"]  # targets: ≤ 0.87× the reference, ≥ 85% floor, ≥ 1.3× torch


def measured(**times: list[float]) -> dict[str, dict]:
    return {k.replace("torch", "worker:torch"): {"times": v, "median": sorted(v)[len(v) // 2]}
            for k, v in times.items()}


def test_round_range_is_the_lowest_and_highest_per_round_ratio():
    m = measured(ours=[1.0, 2.0, 3.0], reference=[2.0, 2.0, 2.0])
    assert run.round_range(m, "ours", "reference") == (0.5, 1.5)
    assert run.paired(m, "ours", "reference") == 1.0


def test_rounds_on_both_sides_of_a_target_are_named_with_their_range():
    # run 64's float32 `wide` rounds (ms): the floor's share per round 79-154%, median 105%
    m = measured(ours=[164.8, 126.4, 158.5, 129.2, 131.1], floor=[201.1, 101.0, 166.9, 102.6, 202.4],
                 reference=[237.9, 168.4, 207.9, 241.8, 242.5], torch=[187.3, 199.3, 189.9, 190.1, 186.9])
    out = run.straddled_targets(m, WIDE, "float32")
    assert out == ["wide float32 share of the GEMM floor 79-154% (target 85%)",
                   "wide float32 vs PyTorch 1.14-1.58× (target 1.30×)"]


def test_rounds_all_on_one_side_leave_no_note():
    # every round misses the floor (74-80%) and meets the reference and PyTorch targets
    m = measured(ours=[130.0, 131.0, 135.0], floor=[100.0, 104.0, 105.0], reference=[200.0, 210.0, 205.0],
                 torch=[190.0, 200.0, 195.0])
    assert run.straddled_targets(m, WIDE, "float32") == []


def test_a_contender_that_failed_or_was_skipped_is_left_out():
    m = measured(ours=[1.0, 1.0], reference=[1.0, 1.3], floor=[0.8, 0.9])  # no torch: not installed
    m["floor"] = {"error": "MemoryError"}
    assert run.straddled_targets(m, WIDE, "float64") == ["wide float64 vs the reference 0.77-1.00× (target 0.87×)"]


@pytest.mark.skipif(not Path("/proc/stat").exists(), reason="steal time is read from Linux's /proc/stat")
def test_steal_share_is_a_share_of_the_machine():
    """Steal over the run's time and CPUs; None over less than a second (one 10 ms tick of /proc/stat
    would read as a share far above 1), and never above 1."""
    meter = run.CpuMeter()
    if meter.steal_start is None:
        pytest.skip("this kernel's /proc/stat has no steal column")
    assert meter.steal_share() is None  # just made
    b, o, t = meter.start
    meter.start = (b, o, t - 2.0)  # as if made 2 s ago
    share = meter.steal_share()
    assert share is not None and 0.0 <= share <= 1.0
    meter.steal_start -= 1000.0  # 1000 s of steal in 2 s: a counter read across a reset, or a tick at a bad time
    assert meter.steal_share() == 1.0
