"""Shared by several test modules: targets that suit an output activation and cost; a config of
extreme weights; seed 000's 1-1-1-1 chain as a class would build it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Callable

import numpy as np


def targets_for(out: str, cost: str, n: int, m: int, rng: np.random.Generator) -> np.ndarray:
    """Y of shape (n, m): one-hot for softmax, 0/1 for cross-entropy, real numbers otherwise."""
    if out == "softmax":
        return np.eye(m)[rng.integers(0, m, n)]
    if cost == "cross_entropy":
        return rng.integers(0, 2, (n, m)).astype(float)
    return rng.normal(size=(n, m))


def extreme_config(tmp_path: Path, activation: str, w: str, cost: str = "squared_error") -> Path:
    """XOR, 2-2-1, every weight ±w, zero biases: z^(1) up to 2w and z^(2) up to (2w)·w."""
    path = tmp_path / f"{activation}_{w}.yaml"
    path.write_text(
        "seed: 0\ndata: {dataset: xor, test_fraction: 0}\n"
        f"network: {{layers: [2, 2, 1], activation: {activation}, weights: [[[{w}, {w}], [{w}, -{w}]], "
        f"[[{w}, -{w}]]], biases: [[0, 0], [0]]}}\n"
        f"cost: {cost}\ntraining: {{learning_rate: 1, epochs: 1}}\n")
    return path


#: Seed 000's picture, one neuron a layer: a^(L) = σ(w^(L) a^(L−1) + b^(L)), with C0 = (a − y)².
CHAIN = """seed: 0
data: {path: chain.csv, target: y, task: regression, test_fraction: 0, standardize: false}
network:
  layers: [1, 1, 1, 1]
  activation: sigmoid
  weights: [[[0.5]], [[-1.2]], [[2.0]]]
  biases: [[0.1], [0.3], [-0.5]]
cost: squared_error
"""


def chain_config(folder: Path) -> Path:
    """CHAIN and its one example (x = 1.5, y = 0.8) written into ``folder``: the config's path."""
    (folder / "chain.csv").write_text("x,y\n1.5,0.8\n")
    (folder / "chain.yaml").write_text(CHAIN)
    return folder / "chain.yaml"


def run_on_one_hot_columns_as_numbers(tmp_path: Path, invoke: Callable[..., Any]) -> tuple[Path, Path]:
    """A run (model, checkpoint, config.yaml) and its CONFIG as written before data.task: auto read target columns
    whose every row is one-hot as classes (Dec 2026): trained on them as numbers, its files say data.task: auto.
    ``invoke`` runs the CLI (the calling module's CliRunner)."""
    labels = np.arange(30) % 3
    np.savez(tmp_path / "d.npz", X=np.random.default_rng(0).normal(size=(30, 2)) + labels[:, None],
             y=np.eye(3)[labels])
    config = tmp_path / "c.yaml"
    written: dict[str, Any] = {"data": {"path": str(tmp_path / "d.npz"), "test_fraction": 0.2, "task": "regression"},
                               "network": {"layers": [2, 4, 3], "output_activation": "linear"},
                               "cost": "half_squared_error", "training": {"epochs": 2}}
    config.write_text(json.dumps(written))
    run = tmp_path / "run"
    assert invoke("train", config, "--out", run, "--quiet").exit_code == 0
    for name in ("model.npz", "checkpoint.npz"):
        arrays = dict(np.load(run / name))
        arrays["config_yaml"] = np.array(str(arrays["config_yaml"]).replace("task: regression", "task: auto"))
        np.savez(run / name, **arrays)
    (run / "config.yaml").write_text((run / "config.yaml").read_text().replace("task: regression", "task: auto"))
    written["data"]["task"] = "auto"
    config.write_text(json.dumps(written))
    return config, run


#: The commands whose --json prints a refused run (exit 2) as an error object on stdout too.
def run_on_three_classes(tmp_path: Path, invoke: Callable[..., Any]) -> tuple[Path, Path]:
    """A 2-3-3 softmax model trained for one epoch on flowers.csv, 12 rows of 3 classes (a, b, c),
    standardized: (the CSV, the run folder)."""
    csv = tmp_path / "flowers.csv"
    rows = [(1.0 + i, 2.0 - 0.5 * i, "abc"[i % 3]) for i in range(12)]
    csv.write_text("h,w,kind\n" + "".join(f"{h},{w},{k}\n" for h, w, k in rows))
    (tmp_path / "flowers.yaml").write_text(
        "data: {path: flowers.csv, target: kind, test_fraction: 0.25, standardize: true}\n"
        "network: {layers: [2, 3, 3], activation: tanh, output_activation: softmax}\ncost: cross_entropy\n"
        "training: {epochs: 1, batch_size: 4}\n")
    run = tmp_path / "run"
    r = invoke("train", tmp_path / "flowers.yaml", "--out", run, "--quiet")
    assert r.exit_code == 0, r.output
    return csv, run


JSON_COMMANDS = ("train", "explain", "gradcheck", "predict", "evaluate")


def refusal_object(stderr: str) -> dict[str, Any]:
    """The object a refused run (exit 2) given --json prints on stdout (``commands.common.refusal_json``),
    as its lines on stderr say it: "error" the ``error:`` line's message, "hint" the ``hint:`` line's."""
    lines = stderr.splitlines()
    assert lines and lines[0].startswith("error: "), stderr
    found: dict[str, Any] = {"status": "error", "source": "input", "error": lines[0].removeprefix("error: ")}
    if len(lines) > 1 and lines[1].startswith("hint: "):
        found["hint"] = lines[1].removeprefix("hint: ")
    return found


def printed_refusal(stdout: str, stderr: str) -> bool:
    """Whether ``stdout`` is a refused --json run's one line, its error object as ``stderr`` says it."""
    return stdout.count("\n") == 1 and stdout.endswith("\n") and json.loads(stdout) == refusal_object(stderr)
