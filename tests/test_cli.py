"""The command line through typer's CliRunner: exit codes, messages, files written."""

from __future__ import annotations

import csv
import functools
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from backprop_cli.cli import app
from backprop_cli.model_io import load_model
from backprop_cli.render.train import LAST_LINE_NOTE
from helpers import run_on_one_hot_columns_as_numbers

ROOT = Path(__file__).resolve().parents[1]
runner = CliRunner()


def invoke(*args):
    return runner.invoke(app, [str(a) for a in args])


COMMANDS = [[], ["train"], ["gradcheck"], ["explain"], ["predict"], ["evaluate"], ["plot"], ["init"],
            ["config"], ["config", "show"], ["config", "validate"]]


@functools.cache
def _help(command: tuple[str, ...], width: str):
    """`backprop COMMAND --help` at COLUMNS=width, rendered once for all the tests that read it there."""
    return runner.invoke(app, [*command, "--help"], env={"COLUMNS": width})


@pytest.mark.parametrize("cmd", COMMANDS, ids=lambda c: " ".join(c) or "backprop")
def test_help(cmd):
    r = invoke(*cmd, "--help")
    assert r.exit_code == 0 and "Usage" in r.output
    assert "Example" in r.output  # every command's help shows one example, `backprop` and `config` too


@pytest.mark.parametrize("cmd", COMMANDS, ids=lambda c: " ".join(c) or "backprop")
def test_each_help_example_is_one_whole_line_at_80_columns(cmd):
    """The examples were one paragraph joined by '·', wrapped by rich mid-command at 80 columns
    ('… --out' / 'predictions.csv'): a copied first line failed. Each is a line of its own now."""
    lines = _help(tuple(cmd), "80").output.splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip() in ("Example:", "Examples:"))
    examples, indents = [], []
    for line in lines[start + 1:]:
        if not line.strip():
            break
        examples.append(line.strip())
        indents.append(len(line) - len(line.lstrip()))
    assert examples and all(e.startswith("backprop ") for e in examples), examples
    heading = len(lines[start]) - len(lines[start].lstrip())  # indented under it, as every command's are
    assert all(i > heading for i in indents), lines[start:start + len(examples) + 1]  # init's was not
    assert all(len(line) <= 80 for line in lines[start:start + len(examples) + 1])
    import shutil
    import subprocess

    if shutil.which("bash"):  # pasted whole, each parses ('… --brief (about half the lines)' did not)
        for e in examples:
            assert subprocess.run(["bash", "-n", "-c", e], capture_output=True).returncode == 0, e


def _help_examples(output: str) -> tuple[int, list[str]]:
    """The indent of a --help's "Example(s):" heading and the lines of the examples under it."""
    lines = output.splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip() in ("Example:", "Examples:"))
    end = next(i for i in range(start + 1, len(lines)) if not lines[i].strip())
    return len(lines[start]) - len(lines[start].lstrip()), [line.rstrip() for line in lines[start + 1:end]]


@pytest.mark.parametrize("width", ["40", "60", "72"])
@pytest.mark.parametrize("cmd", COMMANDS, ids=lambda c: " ".join(c) or "backprop")
def test_help_examples_break_as_shell_lines_on_a_narrow_terminal(cmd, width):
    """At 72 columns gradcheck --help wrapped its example as prose, `… examples/backward.py:backward --layer`
    over `L` alone at the help's edge, and explain's left `markdown` and `class` alone there (at 60,
    `--params 20` at column 1): a line copied ran another command. An example too wide now breaks
    between its options (an option with its value), each line but the last ending `\\`, the next ones
    indented under it, and a comment that does not fit goes under it as a comment line: every line reads
    as part of its example, and the lines copied together are the example."""
    _, wide = _help_examples(_help(tuple(cmd), "100").output)
    said = [(" ".join(e.split("#")[0].split()), " ".join(e.partition("#")[2].split())) for e in wide]
    heading, lines = _help_examples(_help(tuple(cmd), width).output)
    assert all(len(line) <= int(width) for line in lines), lines
    examples: list[list[str]] = []  # [command, comment], as read line by line
    for line in lines:
        text, indent = line.strip(), len(line) - len(line.lstrip())
        if text.startswith("backprop "):
            assert indent > heading, lines
            command, _, comment = text.partition("#")
            examples.append([command, comment, indent])
        elif text.startswith("#"):  # a comment under its example, of two words at least
            assert examples and indent > examples[-1][2] and len(text[1:].split()) > 1, lines
            examples[-1][1] += " " + text[1:]
        else:  # the command goes on: the line above ends with a backslash, and this one is indented under it
            assert examples and indent > examples[-1][2] and examples[-1][0].endswith(" \\"), lines
            command, _, comment = text.partition("#")
            examples[-1][0], examples[-1][1] = examples[-1][0][:-1] + command, comment
    assert [(" ".join(c.split()), " ".join(m.split())) for c, m, _ in examples] == said, lines
    import shutil
    import subprocess

    if shutil.which("bash"):  # the lines pasted together parse
        r = subprocess.run(["bash", "-n", "-c", "\n".join(lines)], capture_output=True, check=False)
        assert r.returncode == 0, (lines, r.stderr)


@pytest.mark.parametrize("cmd", [["predict"], ["evaluate"], ["plot"]], ids=lambda c: c[0])
def test_the_help_examples_of_the_commands_that_read_a_run_run_as_written(cmd, tmp_path, monkeypatch):
    """predict --help's `backprop predict runs/prices rows.csv --keep id` named a run and a file that
    no README example makes: each example of predict, evaluate and plot now runs as written, in order,
    from a folder holding the repository's configs/ and data/ (a train line with --epochs 1, for speed)."""
    if cmd == ["plot"]:
        pytest.importorskip("matplotlib")
        from backprop_cli.commands import plot as plot_command

        drawn = plot_command.boundary_figure  # drawn coarsely and not rendered: tests/test_pictures.py looks
        monkeypatch.setattr(plot_command, "boundary_figure", lambda *a, **k: drawn(*a, **{**k, "resolution": 8}))
        monkeypatch.setattr(plot_command, "_saver", lambda fig: lambda f: f.write(b"PNG"))
    lines = _help(tuple(cmd), "100").output.splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip() in ("Example:", "Examples:"))
    examples = []
    for line in lines[start + 1:]:
        if not line.strip():
            break
        examples.append(line.split("#")[0].split())
    assert any(e[1] == cmd[0] for e in examples) and all(e[0] == "backprop" for e in examples), examples
    monkeypatch.chdir(tmp_path)
    for folder in ("configs", "data"):
        (tmp_path / folder).symlink_to(ROOT / folder)
    for e in examples:
        r = invoke(*e[1:], *(["--epochs", "1", "--quiet"] if e[1] == "train" else []))
        assert r.exit_code == 0, (e, r.output)


def test_top_level_help_lists_every_command():
    out = invoke("--help").output
    for name in ("train", "gradcheck", "explain", "predict", "evaluate", "plot", "init", "config"):
        assert name in out


def test_version():
    r = invoke("--version")
    assert r.exit_code == 0 and r.output.startswith("backprop-cli ")


def test_default_train_runs_and_summarises():
    r = invoke("train", "--quiet")
    assert r.exit_code == 0, r.output
    assert "epoch 2000/2000" in r.output
    assert "accuracy" in r.output and "100.0%" in r.output


def test_loss_curve_and_decision_regions():
    r = invoke("train", ROOT / "configs" / "circles.yaml", "--epochs", "20", "--quiet", "--show-boundary")
    assert r.exit_code == 0, r.output
    assert "cost per epoch" in r.output and "decision regions" in r.output
    r = invoke("train", ROOT / "configs" / "sine.yaml", "--epochs", "2", "--show-boundary")
    assert r.exit_code == 2 and "--show-boundary" in r.output
    # with --json the picture goes to stderr, beside the progress: it was silently not drawn at all
    r = invoke("train", ROOT / "configs" / "circles.yaml", "--epochs", "2", "--json", "--show-boundary")
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["epochs"] == 2
    assert "decision regions" in r.stderr and "cost per epoch" not in r.stderr


def test_train_json_is_one_object_on_stdout():
    r = runner.invoke(app, ["train", "--json", "--epochs", "50"])
    assert r.exit_code == 0
    data = json.loads(r.stdout)
    assert data["epochs"] == 50 and data["layers"] == [2, 3, 1] and 0 <= data["train_accuracy"] <= 1


def test_train_json_has_the_settings_as_configured_and_as_run():
    """η0 and the batch size as configured, and beside them the η the schedule left and the batch
    size trained with (the text summary's "η = 2 → 0.25" and "batch full")."""
    r = runner.invoke(app, ["train", "--json", "--set", "training.schedule=step", "--set", "training.step_size=500",
                            "--set", "training.batch_size=64"])
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    assert (d["learning_rate"], d["schedule"], d["batch_size"]) == (2.0, "step", 64)
    assert d["final_learning_rate"] == 2.0 * 0.5 ** 3 and d["batch_size_used"] == "full"  # 2000 epochs, 4 rows
    r = runner.invoke(app, ["train", "--json", "--epochs", "3", "--set", "data.noise=0.1", "--set", "data.n_samples=40",
                            "--set", "training.batch_size=8"])
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    assert d["batch_size_used"] == 8 and d["final_learning_rate"] == d["learning_rate"]


def readme_schema(opening: str) -> set[str]:
    """The field names of a JSON schema paragraph of the README (from ``opening`` to the next
    blank line): every quoted lower-case name, less the documented string values."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    start = readme.index(opening)
    paragraph = readme[start:readme.index("\n\n", start)]
    return set(re.findall(r'"([a-z_0-9]+)"', paragraph)) - {"classification", "regression", "full"}


def test_train_json_has_every_field_the_readme_documents_and_no_other():
    """A pipeline reads `train --json` by the README: it named 7 of its 27 fields."""
    documented = readme_schema("`--json` schema, printed once training has ended")
    sets = ["--set", "data.validation_fraction=0.2", "--set", "training.early_stopping=true"]
    for args in (["--epochs", "3"], [ROOT / "configs" / "iris.yaml", "--epochs", "3", *sets],
                 [ROOT / "configs" / "sine.yaml", "--epochs", "3"]):
        r = invoke("train", *args, "--json")
        assert r.exit_code == 0, r.output
        d = json.loads(r.stdout)
        assert set(d) == documented, set(d) ^ documented
        assert all(isinstance(d[k], int) and not isinstance(d[k], bool)
                   for k in ("epochs", "n_train", "n_val", "n_test"))
        assert all(isinstance(d[k], float) for k in ("train_cost", "learning_rate", "final_learning_rate", "seconds"))
        regression = d["task"] == "regression"
        assert (d["train_accuracy"] is None) == regression and (d["val_cost"] is None) == (d["n_val"] == 0)
        assert (d["best_epoch"] is None) == (d["n_val"] == 0)  # early stopping only with the validation split


def test_train_out_writes_a_loadable_run(tmp_path):
    out = tmp_path / "runs" / "iris"
    r = invoke("train", ROOT / "configs" / "iris.yaml", "--out", out, "--epochs", "5", "--quiet")
    assert r.exit_code == 0, r.output
    assert sorted(p.name for p in out.iterdir()) == [
        "checkpoint.npz", "config.yaml", "metrics.csv", "metrics.jsonl", "model.npz"]
    saved = load_model(out / "model.npz")
    assert saved.class_names == ("setosa", "versicolor", "virginica")
    assert saved.standardizer is not None and saved.net.sizes == [4, 8, 3]
    with np.load(out / "model.npz", allow_pickle=False) as z:
        assert int(z["format_version"]) == 1
    rows = list(csv.DictReader((out / "metrics.csv").open()))
    assert [int(r["epoch"]) for r in rows] == [1, 2, 3, 4, 5]
    assert float(rows[-1]["test_accuracy"]) >= 0
    for row in rows:  # plain numbers a spreadsheet reads, in every cell (not "np.float64(0.5)")
        assert all(re.fullmatch(r"(-?\d+(\.\d+)?(e[-+]?\d+)?)?", v) for v in row.values()), row  # or empty
        assert 0 <= float(row["train_accuracy"]) <= 1
    again = invoke("train", out / "config.yaml", "--quiet", "--epochs", "5", "--json")
    assert again.exit_code == 0, again.output


def test_out_refuses_to_overwrite_a_run(tmp_path):
    assert invoke("train", "--epochs", "2", "--out", tmp_path, "--quiet").exit_code == 0
    before = (tmp_path / "model.npz").read_bytes()
    r = invoke("train", "--epochs", "3", "--out", tmp_path, "--quiet")
    assert r.exit_code == 2 and "--overwrite" in r.output and "--resume" in r.output
    assert (tmp_path / "model.npz").read_bytes() == before
    assert invoke("train", "--epochs", "3", "--out", tmp_path, "--quiet", "--overwrite").exit_code == 0


def test_overrides_on_the_command_line():
    r = runner.invoke(app, ["train", "--epochs", "3", "--lr", "0.1", "--seed", "2", "--json"])
    data = json.loads(r.stdout)
    assert data["epochs"] == 3 and data["learning_rate"] == 0.1


@pytest.mark.parametrize(
    "text,needle",
    [
        ("network: {layers: [2, 3, 1], activation: relu6}\n", "network.activation: relu6 is not one of"),
        ("network: {layers: [3, 3, 1]}\n", "network.layers[0]: 3 does not match the data"),
        ("network: {layers: [2, 3, 3]}\n", "network.layers[-1]: 3 does not match the data"),  # 1 or 2 (a one-hot pair) fit xor
        ("network: {layers: [2, 3, 1]}\ntraining: {learning_rate: fast}\n", "training.learning_rate: fast is not a number"),
        ("network: {layers: [2, 3, 1]}\ntraining: {epocs: 3}\n", "did you mean epochs"),
        ("network: {layers: [2, 3, 1]\n", "YAML error (line"),
        ("- a\n", "top level must be a mapping"),
        ("network: {layers: [4, 3]}\ndata: {path: missing.csv}\n", "missing.csv"),
        ("network: {layers: [4, 3]}\ndata: {path: bad.yaml}\n",
         "bad.yaml: data.path: /"),  # names the config and the field, as for a missing file
        ("network: {layers: [2, 3, 1]}\ndata: {dataset: circles, task: regression}\n",
         "data.task: regression does not fit data.dataset circles, a classification set"),
        ("network: {layers: [1, 3, 1]}\ndata: {dataset: sine, task: classification}\n",
         "data.task: classification does not fit data.dataset sine, a regression set"),
    ],
)
def test_config_errors_exit_2_with_one_line_and_no_traceback(tmp_path, text, needle):
    p = tmp_path / "bad.yaml"
    p.write_text(text)
    r = invoke("train", p, "--out", tmp_path / "out")
    assert r.exit_code == 2
    assert needle in r.output
    assert "bad.yaml" in r.output or "missing.csv" in r.output  # names the file
    assert "Traceback" not in r.output
    assert r.output.startswith("error: ")
    assert not (tmp_path / "out").exists()


def test_missing_config_file():
    r = invoke("train", "nope.yaml")
    assert r.exit_code == 2 and "nope.yaml: config file not found" in r.output


def test_divergence_exits_1(tmp_path):
    p = tmp_path / "hot.yaml"
    p.write_text("data: {dataset: sine}\nnetwork: {layers: [1, 8, 1], activation: relu, "
                 "output_activation: linear}\ntraining: {learning_rate: 1.0e6, epochs: 20}\n")
    r = invoke("train", p, "--quiet")
    assert r.exit_code == 1 and "diverged at epoch" in r.output and "Traceback" not in r.output
    # with --out, before any checkpoint: the folders it made are gone, one that existed stays
    r = invoke("train", p, "--quiet", "--out", tmp_path / "new" / "run")
    assert r.exit_code == 1 and not (tmp_path / "new").exists(), r.output
    (tmp_path / "mine").mkdir()
    assert invoke("train", p, "--quiet", "--out", tmp_path / "mine").exit_code == 1
    assert (tmp_path / "mine").is_dir()


def test_python_dash_m_works():
    r = subprocess.run([sys.executable, "-m", "backprop_cli", "--help"], capture_output=True, text=True)
    assert r.returncode == 0 and "train" in r.stdout


def test_set_overrides_with_did_you_mean_and_precedence():
    r = runner.invoke(app, ["train", "--set", "training.epochs=4", "--set", "network.layers=[2, 5, 1]", "--json"])
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert data["epochs"] == 4 and data["layers"] == [2, 5, 1]
    r = runner.invoke(app, ["train", "--set", "training.epochs=4", "--epochs", "6", "--json"])
    assert json.loads(r.stdout)["epochs"] == 6  # the dedicated option wins over --set
    r = invoke("train", "--set", "training.epoch=4")
    assert r.exit_code == 2 and "--set training.epoch: unknown key epoch: did you mean epochs" in r.output
    r = invoke("train", "--set", "training.learning_rate=fast")
    assert r.exit_code == 2 and "error: --set training.learning_rate=fast: fast is not a number" in r.output
    r = invoke("train", "--set", "nonsense")
    assert r.exit_code == 2 and "expected KEY.PATH=VALUE" in r.output
    r = runner.invoke(app, ["train", "--set", "training.epochs=4", "--set", "training.epochs=4", "--json"])
    assert json.loads(r.stdout)["epochs"] == 4  # the same value twice is no conflict


@pytest.mark.parametrize("argv, error, hint", [
    (["train", "--set", "training.epochs=abc", "--epochs", "1"],
     "--set training.epochs=abc: abc is not a whole number from 1 to 1,000,000 (string)", "--epochs 1"),
    (["train", "--set", "training={epochs: 0}", "--epochs", "1"],
     "--set training={epochs: 0}: training.epochs: 0 must be at least 1", "--epochs 1"),
    (["train", "--set", "lr=-1", "--lr", "0.5"], "--set lr=-1: training.learning_rate: -1 must be greater than 0",
     "--lr 0.5"),
    (["explain", "-l", "L", "--set", "seed=abc", "--seed", "1"],
     "--set seed=abc: abc is not a whole number of at least 0 (string)", "--seed 1"),
])
def test_an_invalid_set_is_an_error_though_an_option_replaces_it(argv, error, hint):
    """`--set training.epochs=abc --epochs 1` trained one epoch and never said the --set was invalid."""
    r = invoke(*argv)
    assert r.exit_code == 2 and r.stdout == "", r.output
    assert r.stderr == (f"error: {error}\nhint: {hint} replaces it, but the --set is checked still: drop it, or "
                        "give a valid value\n"), r.stderr


@pytest.mark.parametrize("command", [["train"], ["gradcheck"], ["explain", "-l", "L"]])
def test_an_error_a_set_makes_names_the_set_not_the_built_in_default_or_the_file(command, monkeypatch):
    """`gradcheck --set training.learning_rate=-1` said "<built-in default>: training.learning_rate: -1 must be greater
    than 0 (given on the command line)": the default config has no error of its own. A --set's bad value is named by
    the --set as typed, with a CONFIG too; an error the config's values make with a --set names the --set, and the
    config only where one of its own values is part of it (the --set irrelevant to it left out)."""
    monkeypatch.chdir(ROOT)
    for config in ([], ["configs/xor.yaml"]):
        r = invoke(*command, *config, "--set", "training.learning_rate=-1")
        assert r.exit_code == 2 and r.stdout == "", r.output
        assert r.stderr == "error: --set training.learning_rate=-1: -1 must be greater than 0\n", r.stderr
        r = invoke(*command, *config, "--set", "lr=-1")  # another name of the field: the field is said too
        assert r.stderr == "error: --set lr=-1: training.learning_rate: -1 must be greater than 0\n", r.stderr
        r = invoke(*command, *config, "--set", "network.activation=tanh", "--set", "training.epochs=3",
                   "--set", "cost=cross_entropy")
        assert r.exit_code == 2 and r.stdout == "", r.output
        assert r.stderr.startswith("error: --set network.activation=tanh --set cost=cross_entropy: "
                                   "network.output_activation: tanh (copied from network.activation, as "
                                   "network.output_activation is not set) cannot be used with cost cross_entropy; "
                                   "allowed: sigmoid, softmax\nhint: "), r.stderr
    r = invoke(*command, "configs/iris.yaml", "--set", "training.epochs=3", "--set", "cost=squared_error")
    assert r.stderr == ("error: --set cost=squared_error with configs/iris.yaml: network.output_activation: softmax "
                        "needs cost cross_entropy, not squared_error\n"), r.stderr
    r = invoke(*command, "--set", "data.path=data/iris.csv")
    assert r.stderr.startswith("error: --set data.path=data/iris.csv with the built-in default config: data: give "
                               "either data.dataset (a built-in) or data.path (a file), not both\n"), r.stderr


@pytest.mark.parametrize("args,error", [
    # the clash is between the two --sets: both are named, in the order typed (the early stopping one alone was)
    (["configs/iris.yaml", "--set", "data.test_fraction=0", "--set", "training.early_stopping=true"],
     "--set data.test_fraction=0 --set training.early_stopping=true: training.early_stopping: needs a held-out cost "
     "to watch; set data.validation_fraction or data.test_fraction above 0"),
    # a partner --set of the config's own value is no cause (the built-in default's test_fraction is 0): the config is
    (["--set", "data.test_fraction=0", "--set", "training.early_stopping=true"],
     "--set training.early_stopping=true with the built-in default config: needs a held-out cost to watch; set "
     "data.validation_fraction or data.test_fraction above 0"),
    # the config's own value is the other side (xor.yaml's cost, sine.yaml's layers and dataset, iris.yaml's path
    # and target): it is named, as "--set cost=squared_error with configs/iris.yaml" names it ("with configs/xor.yaml"
    # was left out)
    (["configs/xor.yaml", "--set", "network.output_activation=softmax"],
     "--set network.output_activation=softmax with configs/xor.yaml: softmax needs cost cross_entropy, not "
     "squared_error"),
    (["configs/xor.yaml", "--set", "training.early_stopping=true"],
     "--set training.early_stopping=true with configs/xor.yaml: needs a held-out cost to watch; set "
     "data.validation_fraction or data.test_fraction above 0"),
    (["configs/sine.yaml", "--set", "network.output_activation=softmax", "--set", "cost=cross_entropy"],
     "--set network.output_activation=softmax with configs/sine.yaml: softmax over a single output is always 1"),
    (["configs/sine.yaml", "--set", "data.target=y"],
     "--set data.target=y with configs/sine.yaml: only used with data.path (a CSV file)"),
    (["configs/sine.yaml", "--set", "data.task=classification"],
     "--set data.task=classification with configs/sine.yaml: classification does not fit data.dataset sine"),
    (["configs/iris.yaml", "--set", "data.n_samples=100"],
     "--set data.n_samples=100 with configs/iris.yaml: only used with a built-in data.dataset, not with data.path"),
    (["configs/iris.yaml", "--set", "data.features=species"],
     "--set data.features=species with configs/iris.yaml: [species] names column species, which data.target names "
     "too"),
    # the value alone is wrong: the --set alone is named, the config not (nor a --set the error does not depend on)
    (["configs/xor.yaml", "--set", "training.early_stopping=true", "--set", "lr=-1"],
     "--set lr=-1: training.learning_rate: -1 must be greater than 0"),
    # without --set data.dataset=null the config fails first with another error ('not both'): that says nothing of
    # this one, which it was named a cause of
    (["--set", "data.dataset=null", "--set", "data.path=data/iris.csv", "--set", "network.activation=relu", "--set",
      "cost=cross_entropy"],
     "--set network.activation=relu --set cost=cross_entropy: network.output_activation: relu (copied from "
     "network.activation, as network.output_activation is not set) cannot be used with cost cross_entropy"),
])
def test_a_set_whose_value_clashes_with_another_set_or_the_config_names_them(args, error, monkeypatch):
    monkeypatch.chdir(ROOT)
    r = invoke("train", *args)
    assert r.exit_code == 2 and r.stdout == "", r.output
    assert r.stderr.startswith(f"error: {error}") and r.stderr.count("\n") <= 2, r.stderr


def test_validate_json_names_the_field_of_a_bad_set():
    r = invoke("config", "validate", ROOT / "configs" / "xor.yaml", "--set", "lr=-1", "--json")
    assert r.exit_code == 2
    assert json.loads(r.stdout)["errors"][0]["field"] == "training.learning_rate"
    r = invoke("config", "validate", ROOT / "configs" / "iris.yaml", "--set", "cost=squared_error", "--json")
    assert json.loads(r.stdout)["errors"][0]["field"] == "network.output_activation"


#: The memory these tests' machine has (``experiment.machine_memory``), for whole messages.
_MEMORY = "more than the limit of 8.0 GiB (half of this machine's 16.0 GiB)"


@pytest.mark.parametrize("command, what", [(["train"], "training"), (["gradcheck"], "the gradient check"),
                                           (["explain", "-l", "L"], "explaining this network")])
def test_an_error_found_after_the_config_is_read_names_the_set_that_gave_its_field(command, what, monkeypatch):
    """`train --set 'network.layers=[2, 1000000000, 1]'` said '<built-in default>: network.layers [2, 1000000000, 1]:
    training would need about …', `--set data.path=nope.csv` 'configs/iris.yaml: data.path: …/nope.csv: no such
    file': an error the data or the memory find in a field a --set gave names the --set as typed, as one the config's
    own checks find does; where a --set made it with the config's values, the --set with the config."""
    from backprop_cli import experiment

    monkeypatch.setattr(experiment, "machine_memory", lambda: (16 * 2**30, "this machine's 16.0 GiB"))
    monkeypatch.chdir(ROOT)
    for config in ([], ["configs/xor.yaml"]):
        r = invoke(*command, *config, "--set", "network.layers=[2, 1000000000000, 1]")
        assert r.exit_code == 2 and r.stdout == "", r.output
        assert r.stderr.startswith(f"error: --set network.layers=[2, 1000000000000, 1]: {what} would need about "), \
            r.stderr
        assert _MEMORY in r.stderr and r.stderr.count("\n") == 2, r.stderr
        r = invoke(*command, *config, "--set", "data.dataset=sine")  # the config's layers [2, …, 1] with it
        named = "the built-in default config" if not config else config[0]
        assert r.stderr == (f"error: {named} with --set data.dataset=sine: network.layers[0]: 2 does not match the "
                            "data: sine (built-in) has 1 input and 1 output; use layers: [1, …, 1]\n"), r.stderr
    r = invoke(*command, "configs/iris.yaml", "--set", "training.epochs=3", "--set", "data.path=nope.csv")
    assert r.exit_code == 2 and r.stdout == "", r.output
    assert r.stderr == (f"error: --set data.path=nope.csv: {ROOT}/nope.csv: no such file\nhint: a relative "
                        f"data.path given with --set is read from the current folder ({ROOT})\n"), r.stderr
    r = invoke(*command, "configs/iris.yaml", "--set", "data.path=README.md")
    assert r.stderr == (f"error: --set data.path=README.md: {ROOT}/README.md: files ending in '.md' are not "
                        "supported; use one of: .csv, .npz, .tsv, .txt\n"), r.stderr
    # several --set: those the error depends on, as typed, in their order; network.layers is none of them
    r = invoke(*command, "--set", "cost=cross_entropy", "--set", "network.layers=[1, 4, 1]", "--set",
               "data.dataset=sine")
    assert r.stderr.startswith("error: the built-in default config with --set cost=cross_entropy --set "
                               "data.dataset=sine: cross_entropy with a sigmoid output needs targets in [0, 1], but "), \
        r.stderr
    r = invoke(*command, "configs/spirals.yaml", "--set", "data.dataset=circles")  # the config's classes: 3
    assert r.stderr == ("error: configs/spirals.yaml with --set data.dataset=circles: data.classes: the circles data "
                        "set has a fixed number of classes and takes no data.classes (given 3); only spirals does\n"), \
        r.stderr
    r = invoke(*command, "configs/spirals.yaml", "--set", "data.dataset=circles", "--set", "data.classes=4")
    assert r.stderr.startswith("error: --set data.classes=4: the circles data set has a fixed number of classes "), \
        r.stderr
    # --set data.classes=3 is the config's own: it changed nothing, and is no cause (it was named as one)
    r = invoke(*command, "configs/spirals.yaml", "--set", "data.dataset=circles", "--set", "data.classes=3")
    assert r.stderr == ("error: configs/spirals.yaml with --set data.dataset=circles: data.classes: the circles data "
                        "set has a fixed number of classes and takes no data.classes (given 3); only spirals does\n"), \
        r.stderr


def test_an_error_found_after_the_config_is_read_in_its_own_field_still_names_the_config(tmp_path, monkeypatch):
    """The config's own data.path, data.validation_fraction, layers: named by the config, whatever --set else is given;
    a --set of the field names the --set, and of the data it depends on the --set with the config."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "one.csv").write_text("a,b,y\n1,2,0.5\n")
    (tmp_path / "two.csv").write_text("a,b,y\n1,2,0.5\n3,4,0.25\n")
    config = tmp_path / "c.yaml"
    config.write_text("data: {path: missing.csv, target: y, task: regression, test_fraction: 0, validation_fraction: "
                      "0.5}\nnetwork: {layers: [2, 3, 1], output_activation: linear}\n")
    r = invoke("train", config, "--set", "training.epochs=3", "--epochs", "2")
    assert r.exit_code == 2 and r.stdout == "", r.output
    assert r.stderr.startswith(f"error: {config}: data.path: {tmp_path}/missing.csv: no such file\nhint: a relative "
                               f"data.path is read from the config file's folder ({tmp_path})"), r.stderr
    r = invoke("train", config, "--set", "data.path=one.csv")  # the config's validation_fraction with it
    assert r.stderr == (f"error: {config} with --set data.path=one.csv: data.validation_fraction: 0.5 asks for a "
                        f"validation set, but the training split of {tmp_path}/one.csv has only 1 row; use 0 or more "
                        "data\n"), r.stderr  # (its test_fraction is 0: no smaller one)
    r = invoke("train", config, "--set", "data.path=two.csv", "--set", "data.test_fraction=0.5")
    assert r.stderr.startswith(f"error: {config} with --set data.path=two.csv --set data.test_fraction=0.5: "
                               "data.validation_fraction: 0.5 asks for a validation set, but the training split of "
                               f"{tmp_path}/two.csv has only 1 row left after data.test_fraction 0.5 took 1 test row"), \
        r.stderr
    r = invoke("train", config, "--set", "data={path: one.csv, validation_fraction: 0.25}")
    assert r.stderr.startswith("error: --set data={path: one.csv, validation_fraction: 0.25}: "
                               "data.validation_fraction: 0.25 asks for a validation set"), r.stderr
    r = invoke("train", config, "--set", "data.path=one.csv", "--set", "data.validation_fraction=0",
               "--set", "data.test_fraction=0.5")  # one.csv's 1 row is a cause too: its --set is named
    assert r.stderr == (f"error: --set data.path=one.csv --set data.test_fraction=0.5: data.test_fraction: 0.5 asks for "
                        f"a test set, but {tmp_path}/one.csv has only 1 row; use 0 or more data\n"), r.stderr
    config.write_text("data: {path: two.csv, target: y, task: regression}\nnetwork: {layers: [3, 1]}\n")
    r = invoke("gradcheck", config, "--set", "seed=2", "--set", "training.epochs=3")
    assert r.stderr.startswith(f"error: {config}: network.layers[0]: 3 does not match the data: "), r.stderr


def test_a_data_error_between_two_sets_names_both(monkeypatch):
    """`--set data.test_fraction=0.75 --set data.validation_fraction=0.5` on xor named the validation --set alone,
    though its message says the test split took the rows; `--set data.classes=50 --set data.n_samples=10` on spirals
    the n_samples one alone ('use a whole number >= 50 (at least one per class for 50 classes)'), and layers that do
    not fit the data a --set data.features shaped the layers one alone. Both are named, as typed; a partner the
    config gives is said by the message, as before."""
    monkeypatch.chdir(ROOT)
    r = invoke("train", "configs/xor.yaml", "--set", "data.test_fraction=0.75", "--set", "data.validation_fraction=0.5")
    assert r.exit_code == 2 and r.stderr == (
        "error: --set data.test_fraction=0.75 --set data.validation_fraction=0.5: data.validation_fraction: 0.5 asks "
        "for a validation set, but the training split of xor (built-in) has only 1 row left after data.test_fraction "
        "0.75 took 3 test rows; use 0, a smaller data.test_fraction, or more data\n"), r.stderr
    r = invoke("train", "configs/spirals.yaml", "--set", "data.classes=50", "--set", "data.n_samples=10")
    assert r.exit_code == 2 and r.stderr == (
        "error: --set data.classes=50 --set data.n_samples=10: data.n_samples: 10 is not allowed for spirals; use a "
        "whole number >= 50 (at least one per class for 50 classes)\n"), r.stderr
    r = invoke("train", "configs/spirals.yaml", "--set", "data.n_samples=2")
    assert r.stderr == ("error: --set data.n_samples=2: 2 is not allowed for spirals; use a whole number >= 3 (at "
                        "least one per class for 3 classes)\n"), r.stderr
    r = invoke("train", "configs/spirals.yaml", "--set", "data.n_samples=100", "--set", "data.classes=200")
    assert r.stderr.startswith("error: --set data.n_samples=100 --set data.classes=200: data.n_samples: 100 is not "
                               "allowed for spirals"), r.stderr
    # layers that do not fit the inputs a --set data.features chose (the --set layers alone was named)
    r = invoke("train", "configs/iris.yaml", "--set", "data.features=[sepal_length]", "--set", "network.layers=[4, 9, 3]")
    assert r.stderr == ("error: --set data.features=[sepal_length] --set network.layers=[4, 9, 3]: network.layers[0]: 4 "
                        f"does not match the data: {ROOT}/data/iris.csv has 1 input and 3 outputs; use layers: [1, …, 3]"
                        "\n"), r.stderr
    # iris.yaml's own layers given again: that --set changed nothing, and is no cause; the config's layers are
    r = invoke("train", "configs/iris.yaml", "--set", "data.features=[sepal_length]", "--set", "network.layers=[4, 8, 3]")
    assert r.stderr.startswith("error: configs/iris.yaml with --set data.features=[sepal_length]: network.layers[0]: 4 "
                               "does not match the data: "), r.stderr
    r = invoke("train", "configs/iris.yaml", "--set", "network.layers=[4, 8, 2]", "--set", "training.epochs=1")
    assert r.stderr.startswith("error: --set network.layers=[4, 8, 2]: network.layers[-1]: 2 does not match"), r.stderr


def test_a_data_files_column_a_set_names_that_it_lacks_names_the_set(tmp_path, monkeypatch):
    """`--set data.target=foo` on iris said '…/iris.csv: target column foo (data.target) not found', as the config's
    own data.target would: the --set is named first, as typed, and a --set data.path whose file lacks the config's
    target column with the config; the config's own column still the file's error alone."""
    monkeypatch.chdir(ROOT)
    iris = ROOT / "data" / "iris.csv"
    columns = "columns are: sepal_length, sepal_width, petal_length, petal_width, species"
    for command in (["train"], ["config", "validate"]):
        r = invoke(*command, "configs/iris.yaml", "--set", "data.target=foo")
        assert r.exit_code == 2 and r.stderr.startswith(
            f"error: --set data.target=foo: {iris}: target column foo (data.target) not found; {columns}\n"), r.stderr
        r = invoke(*command, "configs/iris.yaml", "--set", "data.features=[foo]")
        assert r.stderr.startswith(f"error: --set data.features=[foo]: {iris}: input column foo (data.features) not "
                                   f"found; {columns}\n"), r.stderr
        r = invoke(*command, "configs/iris.yaml", "--set", "data.task=regression")
        assert r.stderr.startswith(f"error: --set data.task=regression: {iris} row 2, column species: setosa is not a "
                                   "number (task regression needs numeric targets)\n"), r.stderr
        r = invoke(*command, "configs/digits.yaml", "--set", "data.path=data/iris.csv")
        assert r.stderr.startswith(f"error: configs/digits.yaml with --set data.path=data/iris.csv: {iris}: target "
                                   f"column digit (data.target) not found; {columns}\n"), r.stderr
    config = tmp_path / "c.yaml"
    config.write_text(f"data: {{path: {iris}, target: foo}}\nnetwork: {{layers: [4, 3]}}\n")
    r = invoke("train", config, "--set", "training.epochs=2")
    assert r.stderr.startswith(f"error: {iris}: target column foo (data.target) not found; {columns}\n"), r.stderr


def test_a_data_error_a_set_data_target_or_features_makes_names_the_set(tmp_path, monkeypatch):
    """`--set data.target=sepal_length` on iris said '…/iris.csv row 2, column species: setosa is not a number', and
    `--set data.target=pixel_0` on digits '…/digits.csv, column pixel_0: the target has only one class', neither
    naming the --set that chose the target column (so the inputs: every other column). The --set is named first,
    as typed (`target` or `data.target`); a text column data.features lists names that --set; the config's own
    target or a column with one bad cell in a file of numbers are still the file's error alone."""
    monkeypatch.chdir(ROOT)
    iris, digits = ROOT / "data" / "iris.csv", ROOT / "data" / "digits.csv"
    for command in (["train"], ["config", "validate"]):
        for key in ("data.target", "target"):
            r = invoke(*command, "configs/iris.yaml", "--set", f"{key}=sepal_length")
            assert r.exit_code == 2 and r.stderr.startswith(
                f"error: --set {key}=sepal_length: {iris} row 2, column species: setosa is not a number\nhint: every "
                "column but data.target (sepal_length) is an input; "), r.stderr
            r = invoke(*command, "configs/digits.yaml", "--set", f"{key}=pixel_0")
            assert r.exit_code == 2 and r.stderr.startswith(
                f"error: --set {key}=pixel_0: {digits}, column pixel_0: the target has only one class ('0'); "
                "classification needs at least 2\nhint: data.task is auto, "), r.stderr
        r = invoke(*command, "configs/iris.yaml", "--set", "data.target=[sepal_length, species]")
        assert r.stderr.startswith(f"error: --set data.target=[sepal_length, species]: {iris} row 2, column species: "
                                   "setosa is not a number (several target columns must be numeric)\n"), r.stderr
        r = invoke(*command, "configs/iris.yaml", "--set", "target=petal_length", "--set",
                   "features=[sepal_length, species]")
        assert r.stderr.startswith(f"error: --set features=[sepal_length, species]: {iris} row 2, column species: "
                                   "setosa is not a number\n"), r.stderr
    # the config's own target: the file's error, as before (a --set of another field not named)
    config = tmp_path / "c.yaml"
    config.write_text(f"data: {{path: {iris}, target: sepal_length}}\nnetwork: {{layers: [4, 1]}}\n")
    r = invoke("train", config, "--set", "training.epochs=2")
    assert r.stderr.startswith(f"error: {iris} row 2, column species: setosa is not a number\n"), r.stderr
    # one NA among numbers: the row wants fixing, whatever chose the column
    (tmp_path / "na.csv").write_text("a,b,y\n1,2,3\n4,NA,6\n7,8,9\n1,1,1\n2,2,2\n")
    config.write_text(f"data: {{path: {tmp_path / 'na.csv'}, target: b, task: regression}}\nnetwork: {{layers: [2, 1]}}\n")
    r = invoke("train", config, "--set", "data.target=y")
    assert r.stderr.startswith(f"error: {tmp_path / 'na.csv'} row 3, column b: NA is not a number"), r.stderr


def test_a_text_column_error_names_data_target_only_where_it_made_the_column_an_input(tmp_path, monkeypatch):
    """`--set data.target=y` on a config whose target is y (in `name,a,b,y`) was named as the cause of 'column name: x
    is not a number', which the file gives without it (name is an input either way); and `--json` gave "field":
    "data.target" for that config, null for the same config without a target. data.target (or its --set) is named only
    where the column would not be an input without it: the last column, the default target (species on iris)."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "named.csv").write_text("name,a,b,y\nx,1,2,0\ny,3,4,1\nz,5,6,0\nw,7,8,1\n")
    (tmp_path / "last.csv").write_text("a,b,label\n1,2,cat\n3,4,dog\n5,6,cat\n7,8,dog\n")
    said = f"{tmp_path}/named.csv row 2, column name: x is not a number\n"
    for config, text in (("c5.yaml", "data: {path: named.csv, target: y}\n"), ("c6.yaml", "data: {path: named.csv}\n")):
        (tmp_path / config).write_text(text + "network: {layers: [3, 1]}\n")
        for sets in ([], ["--set", "data.target=y"]):
            r = invoke("config", "validate", config, *sets)
            assert r.exit_code == 2 and r.stderr.startswith(f"error: {said}"), r.stderr
        r = invoke("config", "validate", "--json", config)
        assert json.loads(r.stdout)["errors"][0]["field"] is None, r.stdout
    # the config's own target a makes label (the last column) an input: its field; a --set target=b leaves it one
    (tmp_path / "c7.yaml").write_text("data: {path: last.csv, target: a}\nnetwork: {layers: [2, 1]}\n")
    said = f"{tmp_path}/last.csv row 2, column label: cat is not a number\n"
    for sets in ([], ["--set", "data.target=b"]):
        r = invoke("config", "validate", "c7.yaml", *sets)
        assert r.exit_code == 2 and r.stderr.startswith(f"error: {said}"), r.stderr
        r = invoke("config", "validate", "--json", "c7.yaml", *sets)
        assert json.loads(r.stdout)["errors"][0]["field"] == "data.target", r.stdout
    # a --set that made it an input is named, as before
    (tmp_path / "c8.yaml").write_text("data: {path: last.csv}\nnetwork: {layers: [2, 1]}\n")
    r = invoke("config", "validate", "c8.yaml", "--set", "data.target=b")
    assert r.stderr.startswith(f"error: --set data.target=b: {said}"), r.stderr
    # the config's own target is name (valid alone): --set data.target=y made name an input, though not the last
    # column; it was said without the --set, and --json's field was null
    (tmp_path / "c9.yaml").write_text("data: {path: named.csv, target: name}\nnetwork: {layers: [3, 4]}\n")
    assert invoke("config", "validate", "c9.yaml").exit_code == 0
    said = f"{tmp_path}/named.csv row 2, column name: x is not a number\n"
    r = invoke("config", "validate", "c9.yaml", "--set", "data.target=y")
    assert r.exit_code == 2 and r.stderr.startswith(f"error: --set data.target=y: {said}"), r.stderr
    r = invoke("config", "validate", "--json", "c9.yaml", "--set", "data.target=y")
    assert json.loads(r.stdout)["errors"][0]["field"] == "data.target", r.stdout
    # a no-op --set of the config's own target y (or of the default one) leaves the field null
    for config in ("c5.yaml", "c6.yaml"):
        r = invoke("config", "validate", "--json", config, "--set", "data.target=y")
        assert json.loads(r.stdout)["errors"][0]["field"] is None, r.stdout


@pytest.mark.parametrize("args,error", [
    # each data --set gives what the config has already (iris's target and file, spirals' 3 classes): no cause
    (["configs/iris.yaml", "--set", "data.target=species", "--set", "network.layers=[5,8,3]"],
     "--set network.layers=[5,8,3]: network.layers[0]: 5 does not match the data: "),
    (["configs/iris.yaml", "--set", "data.path=data/iris.csv", "--set", "network.layers=[5,8,3]"],
     "--set network.layers=[5,8,3]: network.layers[0]: 5 does not match the data: "),
    (["configs/spirals.yaml", "--set", "data.classes=3", "--set", "network.layers=[2,8,4]"],
     "--set network.layers=[2,8,4]: network.layers[-1]: 4 does not match the data: "),
    # data.features decide the inputs, not the outputs that do not fit
    (["configs/iris.yaml", "--set", "data.features=[sepal_length, sepal_width, petal_length, petal_width]", "--set",
      "network.layers=[4,8,2]"], "--set network.layers=[4,8,2]: network.layers[-1]: 2 does not match the data: "),
    # a --set that changed the end that does not fit is named, as before
    (["configs/spirals.yaml", "--set", "data.classes=4", "--set", "network.layers=[2,8,3]"],
     "--set data.classes=4 --set network.layers=[2,8,3]: network.layers[-1]: 3 does not match the data: "),
    (["configs/iris.yaml", "--set", "data.features=[sepal_length]", "--set", "network.layers=[5,8,3]"],
     "--set data.features=[sepal_length] --set network.layers=[5,8,3]: network.layers[0]: 5 does not match the data: "),
])
def test_layers_that_do_not_fit_the_data_name_only_the_data_sets_that_are_causes(args, error, monkeypatch):
    """Layers that do not fit the data named every data --set with the layers' one: a --set data.target of iris's own
    target, of its own file, spirals' own 3 classes, data.features under outputs that do not fit."""
    monkeypatch.chdir(ROOT)
    r = invoke("config", "validate", *args)
    assert r.exit_code == 2 and r.stderr.startswith(f"error: {error}"), r.stderr


def test_a_split_error_names_the_data_sets_that_made_the_rows_too_few_not_a_fraction_that_changed_nothing(monkeypatch):
    """`--set data.n_samples=2 --set data.test_fraction=0.1 --set data.validation_fraction=0.5` on sine named the two
    fractions: n_samples=2, the cause, was left out, and test_fraction=0.1 named, where sine.yaml's own 0.2 takes the
    same 1 test row. So for the test split: `--set data.n_samples=1 --set data.test_fraction=0.5` named the fraction
    alone, where sine's 0.2 fails on 1 row too."""
    monkeypatch.chdir(ROOT)
    r = invoke("config", "validate", "configs/sine.yaml", "--set", "data.n_samples=2", "--set", "data.test_fraction=0.1",
               "--set", "data.validation_fraction=0.5")
    assert r.exit_code == 2 and r.stderr == (
        "error: --set data.n_samples=2 --set data.validation_fraction=0.5: data.validation_fraction: 0.5 asks for a "
        "validation set, but the training split of sine (built-in) has only 1 row left after data.test_fraction 0.1 "
        "took 1 test row; use 0, a smaller data.test_fraction, or more data\n"), r.stderr
    r = invoke("config", "validate", "configs/sine.yaml", "--set", "data.test_fraction=0.9", "--set", "data.n_samples=3",
               "--set", "data.validation_fraction=0.5")  # 0.9 takes 2 of 3 rows, sine's 0.2 one: a cause
    assert r.stderr.startswith("error: --set data.test_fraction=0.9 --set data.n_samples=3 --set "
                               "data.validation_fraction=0.5: data.validation_fraction: "), r.stderr
    r = invoke("config", "validate", "configs/sine.yaml", "--set", "data.n_samples=1", "--set", "data.test_fraction=0.5")
    assert r.stderr == ("error: configs/sine.yaml with --set data.n_samples=1: data.test_fraction: 0.5 asks for a test "
                        "set, but sine (built-in) has only 1 row; use 0 or more data\n"), r.stderr
    # no test split: 'a smaller data.test_fraction' was advised of a data.test_fraction of 0
    r = invoke("config", "validate", "configs/sine.yaml", "--set", "data.n_samples=1", "--set", "data.test_fraction=0",
               "--set", "data.validation_fraction=0.5")
    assert r.stderr == ("error: --set data.n_samples=1 --set data.test_fraction=0 --set data.validation_fraction=0.5: "
                        "data.validation_fraction: 0.5 asks for a validation set, but the training split of sine (built-in) has only 1 row; use 0 or "
                        "more data\n"), r.stderr


def test_a_one_hot_target_error_names_the_data_task_set_that_asked_for_classes(tmp_path, monkeypatch):
    """'targets [5.1, 3.5] are not one-hot; with several target columns and task classification …' named the
    data.target --set alone, not the --set data.task=classification without which the columns are numbers; a --set of
    the task the config has already is still no cause."""
    monkeypatch.chdir(ROOT)
    target = ["--set", "data.target=[sepal_length, sepal_width]", "--set", "data.features=[petal_length]"]
    r = invoke("config", "validate", "configs/iris.yaml", target[0], target[1], "--set", "data.task=classification",
               *target[2:])
    assert r.exit_code == 2 and r.stderr == (
        "error: --set data.target=[sepal_length, sepal_width] --set data.task=classification: "
        f"{ROOT}/data/iris.csv row 2: targets [5.1, 3.5] are not one-hot; with several target columns and task "
        "classification every row needs exactly one 1 and 0 elsewhere\n"), r.stderr
    config = tmp_path / "c.yaml"
    config.write_text(f"data: {{path: {ROOT}/data/iris.csv, target: species, task: classification}}\n"
                      "network: {layers: [4, 3]}\n")
    r = invoke("config", "validate", config, *target, "--set", "data.task=classification")
    assert r.stderr.startswith(f"error: --set data.target=[sepal_length, sepal_width]: {ROOT}/data/iris.csv row 2: "
                               "targets [5.1, 3.5] are not one-hot"), r.stderr


def test_a_data_files_errors_on_the_target_column_are_marked_where_they_are_raised(tmp_path):
    """prepare told a data file's errors on the target column(s) as a whole by substrings of their messages (one split
    across source lines); they carry ``target_choice`` from where they are raised, which _file_field reads."""
    from backprop_cli.data import load_file
    from backprop_cli.errors import DataError
    from backprop_cli.experiment import _file_field

    files = {"one.csv": ("a,y\n1,3\n2,3\n", {}), "many.csv": ("a,y\n" + "".join(f"{i},{i}\n" for i in range(101)), {}),
             "text.csv": ("a,y,z\n1,cat,1\n2,dog,0\n", {"target": ["y", "z"]}),
             "hot.csv": ("a,y,z\n1,1,1\n2,0,1\n", {"target": ["y", "z"], "task": "classification"})}
    for name, (text, how) in files.items():
        (tmp_path / name).write_text(text)
        with pytest.raises(DataError) as e:
            load_file(tmp_path / name, **how)
        assert getattr(e.value, "target_choice", False) and _file_field(e.value) == "data.target", (name, e.value)
    assert _file_field(DataError("x.csv, column y: the target has only one class ('3'); …")) is None  # the text alone
    with pytest.raises(DataError) as e:
        load_file(tmp_path / "hot.csv", target=["y", "z"], task="classification")
    assert e.value.depends_on == ("data.task",)


def test_a_models_missing_data_file_is_told_it_moved_under_a_set_too(tmp_path, monkeypatch):
    """A --model run whose stored data file is gone was told 'a model stores the absolute path of the file it was
    trained on; the file has moved or been removed since' with no --set, and with one (the config named '… (stored
    config, changed by --set)') 'an absolute data.path is read as written; …'."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "iris.csv").write_text((ROOT / "data" / "iris.csv").read_text())
    (tmp_path / "c.yaml").write_text("data: {path: iris.csv, target: species}\nnetwork: {layers: [4, 3]}\n")
    assert invoke("train", "c.yaml", "--epochs", "1", "--quiet", "--out", "run").exit_code == 0
    (tmp_path / "iris.csv").unlink()
    moved = ("hint: a model stores the absolute path of the file it was trained on; the file has moved or been removed "
             "since; give its new place with --set data.path=FILE.csv")
    own = ", or an example of your own with --x and --y, which needs no data"
    for sets, more in (([], own), (["--set", "seed=3"], own), (["--set", "data.standardize=false"], "")):
        r = invoke("gradcheck", "--model", "run", *sets)
        assert r.exit_code == 2 and r.stderr.endswith(f"{tmp_path}/iris.csv: no such file\n{moved}{more}\n"), r.stderr


def test_a_missing_absolute_data_path_is_not_told_how_a_relative_one_is_read(tmp_path, monkeypatch):
    """`--set data.path=/nonexistent/x.csv` was told 'a relative data.path given with --set is read from the current
    folder', and a config's own absolute path 'a relative data.path is read from the config file's folder': neither
    path is relative. An absolute one is told the first of its folders that does not exist, else the data files in
    its folder; a relative one is told where it is read from, as before."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "iris.csv").write_text("a,y\n1,2\n")
    (tmp_path / "d" / "notes.md").write_text("")
    (tmp_path / "empty").mkdir()
    absolute = "hint: an absolute data.path is read as written"
    for path, hint in ((tmp_path / "no" / "x.csv", f"{absolute}, and the folder {tmp_path / 'no'} does not exist"),
                       (tmp_path / "d" / "irs.csv", f"{absolute}; the data files in {tmp_path / 'd'}: iris.csv"),
                       (tmp_path / "empty" / "x.csv", f"{absolute}; {tmp_path / 'empty'} holds no data file (.csv, "
                                                      ".npz, .tsv, .txt)")):
        r = invoke("train", ROOT / "configs" / "iris.yaml", "--set", f"data.path={path}")
        assert r.exit_code == 2 and r.stderr == f"error: --set data.path={path}: {path}: no such file\n{hint}\n", r.stderr
    config = tmp_path / "c.yaml"
    config.write_text(f"data: {{path: {tmp_path / 'no' / 'x.csv'}}}\nnetwork: {{layers: [1, 1]}}\n")
    r = invoke("config", "validate", config)
    assert r.stderr == (f"error: {config}: data.path: {tmp_path / 'no' / 'x.csv'}: no such file\n{absolute}, and the "
                        f"folder {tmp_path / 'no'} does not exist\n"), r.stderr
    r = invoke("train", ROOT / "configs" / "iris.yaml", "--set", "data.path=d/irs.csv")  # relative: as before
    assert r.stderr == (f"error: --set data.path=d/irs.csv: {tmp_path / 'd' / 'irs.csv'}: no such file\nhint: a "
                        f"relative data.path given with --set is read from the current folder ({tmp_path})\n"), r.stderr
    r = invoke("train", ROOT / "configs" / "iris.yaml", "--set", "data={path: d/irs.csv}")
    assert r.stderr.endswith(f"hint: a relative data.path given with --set is read from the current folder ({tmp_path})\n")


def test_validate_json_names_the_field_of_an_error_a_set_makes_in_the_data():
    r = invoke("config", "validate", ROOT / "configs" / "iris.yaml", "--set", "data.path=nope.csv", "--json")
    assert r.exit_code == 2 and json.loads(r.stdout)["errors"][0]["field"] == "data.path", r.stdout
    assert json.loads(r.stdout)["errors"][0]["message"].startswith("--set data.path=nope.csv: "), r.stdout
    r = invoke("config", "validate", ROOT / "configs" / "xor.yaml", "--set", "data.dataset=sine", "--json")
    assert json.loads(r.stdout)["errors"][0]["field"] == "network.layers[0]", r.stdout


def test_an_error_a_set_makes_with_a_models_stored_config_names_the_set(tmp_path, monkeypatch):
    """explain --model RUN --set data.dataset=sine: the --set and the model's stored config it met."""
    monkeypatch.chdir(ROOT)
    assert invoke("train", "configs/xor.yaml", "--epochs", "1", "--quiet", "--out", tmp_path / "run").exit_code == 0
    model = tmp_path / "run" / "model.npz"
    r = invoke("explain", "-l", "L", "--model", tmp_path / "run", "--set", "data.dataset=sine")
    assert r.exit_code == 2, r.output
    assert f"error: {model}'s stored config with --set data.dataset=sine: network.layers[0]: 2 " \
           "does not match the data: sine (built-in) has 1 input and 1 output" in r.stderr, r.stderr
    # the stored config's test_fraction 0 is the other side: named as that, not "model.npz (stored config, changed by
    # --set)" (the --set is already named)
    r = invoke("gradcheck", "--model", tmp_path / "run", "--set", "training.early_stopping=true")
    assert r.stderr == (f"error: --set training.early_stopping=true with {model}'s stored config: needs a held-out "
                        "cost to watch; set data.validation_fraction or data.test_fraction above 0\n"), r.stderr
    r = invoke("explain", "-l", "L", "--model", tmp_path / "run", "--set", "data={dataset: sine}")  # as typed
    assert f"error: {model}'s stored config with --set data={{dataset: sine}}: network.layers[0]: " \
           in r.stderr, r.stderr
    r = invoke("gradcheck", "--model", tmp_path / "run", "--set", "data.dataset=null", "--set", "data.path=nope.csv")
    assert r.stderr.startswith("note: data.dataset null (the model's: xor), ") and r.stderr.count("\n") == 3
    assert r.stderr.split("\n", 1)[1] == (f"error: --set data.path=nope.csv: {ROOT}/nope.csv: no such file\nhint: a relative "
                        f"data.path given with --set is read from the current folder ({ROOT})\n"), r.stderr


@pytest.mark.parametrize("text, argv, error, hint", [
    ("training:\n  epochs: abc\n", ["train", "--epochs", "1"],
     "training.epochs: abc is not a whole number from 1 to 1,000,000 (string)", ("--epochs 1", "training.epochs")),
    # the key as the file wrote it, as a --set's hint names it (was 'remove training.learning_rate')
    ("training:\n  lr: -1\n", ["train", "--lr", "0.5"], "training.learning_rate: -1 must be greater than 0",
     ("--lr 0.5", "training.lr")),
    # a whole number typed for a float option is repeated as typed (typer hands over 1.0: it said '--lr 1.0')
    ("training:\n  lr: abc\n", ["train", "--lr", "1"], "training.learning_rate: abc is not a number greater than 0 "
     "(string)", ("--lr 1", "training.lr")),
    # and any number, as typed (it said '--lr 1' for 1.0, '--lr 0.001' for 1e-3)
    ("training:\n  lr: abc\n", ["train", "--lr", "1.0"], "training.learning_rate: abc is not a number greater than 0 "
     "(string)", ("--lr 1.0", "training.lr")),
    ("training:\n  lr: abc\n", ["train", "--lr", "1e-3"], "training.learning_rate: abc is not a number greater than "
     "0 (string)", ("--lr 1e-3", "training.lr")),
    ("training:\n  lr: abc\n", ["train", "--learning-rate", "1E-3"], "training.learning_rate: abc is not a number "
     "greater than 0 (string)", ("--lr 1E-3", "training.lr")),
    ("epochs: 0\n", ["gradcheck", "--set", "seed=1", "--set", "training.epochs=2"],
     "training.epochs: 0 must be at least 1", ("--set training.epochs=2", "epochs (at the top level)")),
    ("epochs: 0\n", ["train", "--epochs", "2"], "training.epochs: 0 must be at least 1",
     ("--epochs 2", "epochs (at the top level)")),
    ("seed: abc\n", ["explain", "-l", "L", "--seed", "1"], "seed: abc is not a whole number of at least 0 (string)",
     ("--seed 1", "seed")),
])
def test_a_config_files_invalid_field_is_an_error_though_an_option_replaces_it(text, argv, error, hint, tmp_path):
    """`train e.yaml --epochs 1` with the file's `epochs: abc` trained, where `config validate e.yaml`
    called the file invalid."""
    p = tmp_path / "e.yaml"
    p.write_text("network:\n  layers: [2, 3, 1]\n" + text)
    r = invoke(argv[0], p, *argv[1:])
    assert r.exit_code == 2 and r.stdout == "", r.output
    assert r.stderr == (f"error: {p}: {error}\nhint: {hint[0]} replaces it, but the config file's value is checked "
                        f"still: correct it, or remove {hint[1]} from the file\n"), r.stderr
    r = invoke("config", "validate", p)
    assert r.exit_code == 2 and f"error: {p}: {error}" in r.stderr  # the same error as config validate's


@pytest.mark.parametrize("text, argv, error, hint", [
    ("training:\n  epochs: abc\n", ["train", "--set", "training.epochs=3"],
     "training.epochs: abc is not a whole number from 1 to 1,000,000 (string)",
     ("--set training.epochs=3", "training.epochs")),
    ("training:\n  epochs: abc\n", ["config", "validate", "--set", "training={epochs: 3}"],
     "training.epochs: abc is not a whole number from 1 to 1,000,000 (string)",
     ("--set training={…}", "training.epochs")),
    ("training:\n  epochs: abc\n", ["train", "--set", "training.epochs=2", "--epochs", "1"],
     "training.epochs: abc is not a whole number from 1 to 1,000,000 (string)",
     ("--set training.epochs=2", "training.epochs")),
    ("seed: abc\n", ["config", "show", "--set", "seed=1"], "seed: abc is not a whole number of at least 0 (string)",
     ("--set seed=1", "seed")),
    # every field a --set replaces, not the seed and training's alone (these were called valid), and the
    # key named as the file wrote it (lr: -1 was told 'remove training.learning_rate from the file')
    ("training:\n  lr: -1\n", ["config", "validate", "--set", "training.learning_rate=0.5"],
     "training.learning_rate: -1 must be greater than 0", ("--set training.learning_rate=0.5", "training.lr")),
    ("lr: -1\n", ["config", "validate", "--set", "training.learning_rate=0.5"],
     "training.learning_rate: -1 must be greater than 0",
     ("--set training.learning_rate=0.5", "lr (at the top level)")),
    ("cost: msee\n", ["config", "validate", "--set", "cost=squared_error"],
     "cost: msee is not one of: cross_entropy, half_squared_error, squared_error", ("--set cost=squared_error", "cost")),
    ("data:\n  test_fraction: abc\n", ["config", "validate", "--set", "data.test_fraction=0"],
     "data.test_fraction: abc is not a number in [0, 1) (string)", ("--set data.test_fraction=0", "data.test_fraction")),
    ("data:\n  standardize: maybe\n", ["train", "--set", "data.standardize=true"],
     "data.standardize: maybe must be true or false", ("--set data.standardize=true", "data.standardize")),
    ("data:\n  dataset: xr\n", ["config", "validate", "--set", "data.dataset=xor"],
     "data.dataset: xr is not one of: circles, moons, sine, spirals, xor (did you mean xor?)",
     ("--set data.dataset=xor", "data.dataset")),
])
def test_a_config_files_invalid_field_is_an_error_though_a_set_replaces_it(text, argv, error, hint, tmp_path):
    """`train e1.yaml --set training.epochs=3` with the file's `epochs: abc` trained silently, and `config
    validate e1.yaml --set training.epochs=3` called it valid, where `--epochs 1` was refused (the test of
    `--set training.epochs=2 --epochs 1`, which expected that run to train, is now this test's third case)."""
    p = tmp_path / "e.yaml"
    p.write_text("network:\n  layers: [2, 3, 1]\n" + text)
    argv = [*argv[:2], p, *argv[2:]] if argv[0] == "config" else [argv[0], p, *argv[1:]]
    r = invoke(*argv)
    assert r.exit_code == 2 and r.stdout == "", r.output
    assert r.stderr == (f"error: {p}: {error}\nhint: {hint[0]} replaces it, but the config file's value is checked "
                        f"still: correct it, or remove {hint[1]} from the file\n"), r.stderr


@pytest.mark.parametrize("network, argv, error", [
    ("  layers: [2, 3, 1]\n  activation: sigmoidd\n", ["--set", "network.activation=tanh"],
     "network.activation: sigmoidd is not one of: elu, leaky_relu, linear, relu, sigmoid, silu, softplus, tanh "
     "(did you mean sigmoid?)"),
    ("  layers: [2, 3, 1]\n  activation: [relu, softmaxx]\n", ["--set", "network.activation=tanh"],
     "network.activation[1]: softmaxx is not one of"),
    ("  layers: [2, 0, 1]\n", ["--set", "network.layers=[2, 3, 1]"], "network.layers[1]: 0 must be at least 1"),
    ("  layers: [2, 3, 1]\n  init: glorott\n", ["--set", "network={init: auto}"],
     "network.init: glorott is not one of: auto, normal, uniform"),
])
def test_a_config_files_invalid_network_field_is_an_error_though_a_set_replaces_it(network, argv, error, tmp_path):
    """`config validate n.yaml --set network.activation=tanh` with the file's `activation: sigmoidd` was valid:
    only the seed and training's fields were checked under a --set."""
    p = tmp_path / "n.yaml"
    p.write_text("network:\n" + network)
    r = invoke("config", "validate", p, *argv)
    assert r.exit_code == 2 and r.stderr.startswith(f"error: {p}: {error}"), r.output
    assert "replaces it, but the config file's value is checked still" in r.stderr, r.stderr


@pytest.mark.parametrize("text, argv", [
    # a list of names whose count fits other layers, and an output the cost's --set no longer needs
    ("network:\n  layers: [2, 3, 3, 1]\n  activation: [relu, softmax]\ncost: mse\n",
     ["--set", "network.activation=tanh", "--set", "cost=squared_error"]),
    ("network:\n  layers: [2, 3, 1]\ncost: mse\n", ["--set", "cost=squared_error"]),  # mse: for one output
    ("data:\n  target: y\nnetwork:\n  layers: [2, 3, 1]\n", ["--set", "data.target=null"]),  # no data.path
    ("data:\n  task: regression\nnetwork:\n  layers: [2, 3, 1]\n", ["--set", "data.task=auto"]),
])
def test_a_files_field_a_set_replaces_is_not_checked_against_the_other_fields(text, argv, tmp_path):
    """Only a field's own type, range and names: rules between fields are the --set's to make fit."""
    p = tmp_path / "f.yaml"
    p.write_text(text)
    r = invoke("config", "validate", p, *argv)
    assert r.exit_code == 0, r.output


def test_a_set_that_makes_a_files_other_fields_fit_is_not_refused(tmp_path):
    """The file's value a --set replaces is checked on its own, not against the rest: early stopping with no
    held-out set, turned off by --set, is no error (the value true is valid; only the combination was not)."""
    p = tmp_path / "e.yaml"
    p.write_text("network:\n  layers: [2, 3, 1]\ntraining:\n  early_stopping: true\n  epochs: 2\n")
    assert invoke("config", "validate", p).exit_code == 2
    r = invoke("config", "validate", p, "--set", "training.early_stopping=false")
    assert r.exit_code == 0, r.output


@pytest.mark.parametrize(
    "sets",
    [
        ["training.optimizer=momentum", "training.nesterov=true", "training.learning_rate=1.0"],
        ["training.optimizer=adam", "training.learning_rate=0.05"],
        ["training.l2=0.001"],
        ["training.schedule=step", "training.step_size=500", "training.gamma=0.5"],
        ["training.schedule=inverse", "training.power_t=0.1"],
    ],
    ids=["nesterov", "adam", "l2", "step", "inverse"],
)
def test_training_options_through_the_cli(sets, tmp_path):
    args = ["train", "--json", "--out", str(tmp_path / "run")]
    for s in sets:
        args += ["--set", s]
    r = runner.invoke(app, args)
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert data["train_accuracy"] == 1.0  # XOR still learns with every option
    saved = (tmp_path / "run" / "config.yaml").read_text()
    for s in sets:
        key, value = s.split("=")
        assert f"{key.split('.')[-1]}: {value}" in saved  # the resolved config records it
    rows = [json.loads(line) for line in (tmp_path / "run" / "metrics.jsonl").read_text().splitlines()]
    assert len(rows) == 2000 and {"epoch", "train_cost", "learning_rate"} <= set(rows[0])


def test_early_stopping_through_the_cli(tmp_path):
    r = runner.invoke(app, ["train", str(ROOT / "configs" / "sine.yaml"), "--json", "--epochs", "300",
                            "--set", "training.early_stopping=true", "--set", "training.patience=5",
                            "--set", "data.validation_fraction=0.2", "--set", "training.learning_rate=0.5"])
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert data["stopped_early"] and data["epochs"] < 300 and data["best_epoch"] == data["epochs"] - 5



def test_the_summary_shows_the_validation_split_and_the_rate_as_trained():
    sets = ["--set", "data.validation_fraction=0.2", "--set", "training.optimizer=momentum",
            "--set", "training.nesterov=true", "--set", "training.schedule=step", "--set", "training.step_size=10",
            "--set", "training.gamma=0.5"]
    r = invoke("train", ROOT / "configs" / "circles.yaml", "--epochs", "25", "--quiet", *sets)
    assert r.exit_code == 0, r.output
    header = next(line for line in r.output.splitlines() if line.startswith("┃"))
    assert "○ validation" in r.output  # the plot's validation markers (its legend)
    assert [c.strip() for c in header.split("┃")[2:5]] == ["train", "validation", "test"]
    examples = next(line for line in r.output.splitlines() if line.startswith("│ examples"))
    assert [c.strip() for c in examples.split("│")[2:5]] == ["240", "60", "100"]  # 400 points: 300/100, then 20%
    # η after epoch 25 of a step schedule halving every 10 epochs: 0.3 · 0.5² (circles.yaml: η 0.3)
    assert "25 epochs · momentum (Nesterov) η = 0.3 → 0.075 (step schedule) · batch 16" in r.output
    data = json.loads(invoke("train", ROOT / "configs" / "circles.yaml", "--epochs", "25", "--json", *sets).stdout)
    assert data["n_val"] == 60 and 0 < data["val_cost"] and 0 <= data["val_accuracy"] <= 1
    line = next(line for line in r.output.splitlines() if line.startswith("epoch 25/25"))
    assert "val cost" in line and "val acc" in line


def _table_rows(output: str) -> dict[str, list[str]]:
    """The summary table's rows: {label: [cell per split]}."""
    rows = {}
    for line in output.splitlines():
        if line.startswith("│"):
            label, *cells = (c.strip() for c in line.strip().strip("│").split("│"))
            rows[label] = cells
    return rows


def test_the_summary_labels_a_cost_with_the_l2_penalty_and_names_lambda(tmp_path):
    """`--set l2=0.01`: the table's `cost (half_squared_error)` of 0.0358, beside evaluate's MSE of
    0.0243 (half of it 0.0122), held a penalty (λ/2)Σ‖w‖² of 0.0237 that no label, no row, no
    `--json` field and not the last line (`sgd η = 0.05`) spoke of."""
    sets = ["--epochs", "30", "--set", "l2=0.01"]
    r = invoke("train", ROOT / "configs" / "sine.yaml", "--quiet", "--out", tmp_path / "run", *sets)
    assert r.exit_code == 0, r.output
    rows = _table_rows(r.stdout)
    assert "cost (half_squared_error)" not in rows and len(rows["cost (half_squared_error + L2)"]) == 2
    penalty = rows["of which L2 penalty (λ/2)Σ‖w‖²"]
    last = next(line for line in r.stdout.splitlines() if line.startswith("network "))
    assert " · 30 epochs · sgd η = 0.05, λ = 0.01 · batch 16 · " in last, last
    data = json.loads(invoke("train", ROOT / "configs" / "sine.yaml", "--json", *sets).stdout)
    net = load_model(tmp_path / "run" / "model.npz").net
    assert data["l2"] == 0.01
    assert data["l2_penalty"] == pytest.approx(0.005 * sum(float(np.sum(w * w)) for w in net.weights), rel=1e-12)
    assert penalty == [f"{data['l2_penalty']:.6g}"] * 2  # the weights', the same in every column
    ev = json.loads(invoke("evaluate", tmp_path / "run", "--json").stdout)
    assert ev["l2"] == 0.01 and ev["l2_penalty"] == pytest.approx(data["l2_penalty"], rel=1e-12)
    assert ev["cost"] == pytest.approx(data["test_cost"], rel=1e-12)
    assert ev["cost"] == pytest.approx(ev["outputs"][0]["mse"] / 2 + ev["l2_penalty"], rel=1e-9)  # ½Σ(a − y)²
    shown = invoke("evaluate", tmp_path / "run")
    assert shown.exit_code == 0, shown.output
    lines = [line.split() for line in shown.stdout.splitlines()]
    assert ["cost", "(half_squared_error", "+", "L2)", f"{ev['cost']:.6g}"] in lines, shown.stdout
    assert ["of", "which", "L2", "penalty", "(λ/2)Σ‖w‖²", f"{ev['l2_penalty']:.6g}"] in lines, shown.stdout


def test_without_l2_the_cost_row_and_the_last_line_are_as_before(tmp_path):
    r = invoke("train", ROOT / "configs" / "sine.yaml", "--quiet", "--epochs", "5", "--out", tmp_path / "run")
    assert r.exit_code == 0, r.output
    assert [label for label in _table_rows(r.stdout) if "cost" in label or "L2" in label] == \
        ["cost (half_squared_error)"]
    assert " · sgd η = 0.05 · batch 16 · " in r.stdout
    data = json.loads(invoke("train", ROOT / "configs" / "sine.yaml", "--json", "--epochs", "5").stdout)
    assert data["l2"] == 0.0 and data["l2_penalty"] == 0.0
    ev = json.loads(invoke("evaluate", tmp_path / "run", "--json").stdout)
    assert ev["l2"] == 0.0 and ev["l2_penalty"] == 0.0
    shown = invoke("evaluate", tmp_path / "run").stdout
    assert "cost (half_squared_error) " in shown and "L2" not in shown


def test_early_stopping_on_the_test_split_notes_that_its_figures_are_not_held_out():
    """`--set early_stopping=true` with no data.validation_fraction: 'early stopping on the test
    cost … kept the weights of epoch 200', the test figures having chosen the epoch, with no word
    that they were then not held-out figures. One note line on stderr, stdout left to --json."""
    iris = ROOT / "configs" / "iris.yaml"
    for extra in ([], ["--json"]):
        r = invoke("train", iris, "--epochs", "5", "--quiet", "--set", "training.early_stopping=true", *extra)
        assert r.exit_code == 0, r.output
        notes = [line for line in r.stderr.splitlines() if "early_stopping" in line]
        assert len(notes) == 1 and notes[0].startswith("note: training.early_stopping watches the test cost"), r.stderr
        assert "not held out" in notes[0] and "data.validation_fraction" in notes[0]
        assert "early_stopping" not in r.stdout if extra else "note:" not in r.stdout
    held = invoke("train", iris, "--epochs", "5", "--quiet", "--set", "training.early_stopping=true",
                  "--set", "data.validation_fraction=0.2")
    assert held.exit_code == 0 and "early_stopping" not in held.stderr, held.stderr


def test_the_summary_says_full_batch_and_one_epoch_in_words():
    r = invoke("train", "--epochs", "1", "--set", "training.batch_size=1000", "--quiet")
    assert r.exit_code == 0, r.output
    assert "· 1 epoch · sgd η = " in r.output and "· batch full ·" in r.output


def test_no_color_is_respected():
    """NO_COLOR (no-color.org) removes colour even where colour is forced."""
    import os
    import re

    base = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    color = re.compile(r"\x1b\[(?:[0-9;]*;)?(?:3[0-7]|9[0-7]|38;)")
    cmd = [sys.executable, "-m", "backprop_cli", "gradcheck"]
    forced = subprocess.run(cmd, capture_output=True, text=True, env={**base, "FORCE_COLOR": "1"})
    assert forced.returncode == 0 and color.search(forced.stdout)  # the check can see colour
    plain = subprocess.run(cmd, capture_output=True, text=True,
                           env={**base, "FORCE_COLOR": "1", "NO_COLOR": "1"})
    assert plain.returncode == 0 and not color.search(plain.stdout)


def _run(*args, **kw):
    return subprocess.run([sys.executable, "-m", "backprop_cli", *map(str, args)], capture_output=True,
                          text=True, timeout=60, env={**os.environ, "COLUMNS": "80"}, **kw)


@pytest.mark.parametrize("args", [
    ["train", ""], ["train", "--out", ""], ["gradcheck", ""], ["explain", "", "-l", "1"],
    ["explain", "--model", "", "-l", "1"], ["config", "validate", ""], ["config", "show", ""],
    ["predict", "", "x.csv"], ["predict", "m.npz", ""], ["evaluate", ""], ["evaluate", "m.npz", "--data", ""],
    ["plot", ""], ["plot", "run", "--out", ""],
], ids=" ".join)
def test_an_empty_path_is_a_usage_error_not_the_current_folder(args, tmp_path, monkeypatch):
    """`--out "$OUT"` with OUT unset: Path("") is ".", so `train --out ""` wrote its run files into
    the current folder and `plot ""` drew the run found there."""
    monkeypatch.chdir(tmp_path)
    r = runner.invoke(app, args)
    assert r.exit_code == 2 and "is empty; give a file or folder name" in r.output, r.output
    assert list(tmp_path.iterdir()) == []


def test_an_empty_out_is_one_line_in_a_real_process(tmp_path):
    r = _run("train", "--out", "", cwd=tmp_path)
    assert r.returncode == 2 and r.stdout == "" and list(tmp_path.iterdir()) == []
    assert r.stderr.splitlines() == ["error: --out: '' is empty; give a file or folder name",
                                     "hint: see python -m backprop_cli train --help"]


@pytest.mark.parametrize("args, says", [
    # the option as typed, the value given and what is allowed, whatever typer's wording (typer ≥ 0.28,
    # pydantic's "Input should be a valid integer"; typer 0.27, click's "'abc' is not a valid int range")
    (["train", "--epochs", "abc"], ("error: --epochs: abc is not a whole number; it must be a whole number of at least 1",)),
    (["train", "--seed=-1"], ("error: --seed: -1 is out of range; it must be a whole number of at least 0",)),
    (["train", "--lr", "fast"], ("error: --lr: fast is not a number; it must be a number greater than 0",)),
    (["train", "--bogus"], ("No such option: --bogus",)),
    (["predict"], ("Missing argument",)),
    (["explain", "--layer", "L", "--format", "html"], ("error: --format: html is not one of: rich, markdown, json",)),
    (["train", "--epochs"], ("'--epochs' requires an argument",)),  # raised while parsing: no context
    (["config", "show", "--set"], ("'--set' requires an argument",)),
])
def test_usage_errors_are_one_line_with_a_hint_and_exit_2(args, says):
    """Typer's own errors (a bad option value, an unknown option) look like every other error."""
    r = _run(*args)
    assert r.returncode == 2, r.stderr
    lines = r.stderr.splitlines()
    assert len(lines) == 2 and lines[0].startswith("error: "), r.stderr
    assert all(part in lines[0] for part in says), r.stderr
    assert "Invalid value for" not in lines[0], r.stderr
    command = " ".join(args[:2] if args[0] == "config" else args[:1])
    assert lines[1] == f"hint: see python -m backprop_cli {command} --help", r.stderr  # as run
    assert "Value error" not in r.stderr and "╭" not in r.stderr and r.stdout == ""


#: Every number option of every command and what it allows, as its errors say it.
NUMBER_OPTIONS = {
    ("train", "--epochs"): "a whole number of at least 1",
    ("train", "--learning-rate"): "a number greater than 0",
    ("train", "--seed"): "a whole number of at least 0",
    ("train", "--checkpoint-every"): "a whole number of at least 1",
    ("gradcheck", "--examples"): "a whole number of at least 1",
    ("gradcheck", "--seed"): "a whole number of at least 0",
    ("gradcheck", "--eps"): "a number greater than 0",
    ("gradcheck", "--rtol"): "a number of at least 0",
    ("gradcheck", "--atol"): "auto or a number of at least 0",  # auto, its default, is allowed too
    ("gradcheck", "--params"): "a whole number of at least 1",
    ("explain", "--example"): "a whole number of at least 0",
    ("explain", "--neuron"): "a whole number of at least 0",
    ("explain", "--seed"): "a whole number of at least 0",
}


def test_the_number_options_are_all_in_the_table():
    """A number option added to a command is added to NUMBER_OPTIONS, and so to the test below."""
    import typer

    found = set()

    def walk(command, words):
        for name, sub in getattr(command, "commands", {}).items():
            walk(sub, [*words, name])
        for p in getattr(command, "params", []):
            if {c.__name__ for c in type(p.type).__mro__} & {"IntParamType", "FloatParamType"}:
                found.add((" ".join(words), p.opts[0]))

    walk(typer.main.get_command(app), [])
    assert found == set(NUMBER_OPTIONS)


@pytest.mark.parametrize("kind", ["text", "fraction or not finite", "out of range"])
@pytest.mark.parametrize("command, option", list(NUMBER_OPTIONS), ids=[" ".join(k) for k in NUMBER_OPTIONS])
def test_every_number_option_says_what_it_allows(command, option, kind, backprop):
    """`gradcheck --examples abc` said "Invalid value for '--examples': 'abc' is not a valid int range."
    (and `--examples 0` "0 is not in the range x>=1."): click's words. Every number option now says, in
    one line, the option, the value and what it allows, as a config's field errors do."""
    allowed = NUMBER_OPTIONS[command, option]
    whole = allowed.startswith("a whole number")
    value, wrong = {
        "text": ("abc", "is not a whole number" if whole else "is not a number"),
        "fraction or not finite": ("2.5", "is not a whole number") if whole else ("nan", "is not a finite number"),
        "out of range": ("0" if "at least 1" in allowed or "greater than 0" in allowed else "-1", "is out of range"),
    }[kind]
    code, out, err = backprop(command, option, value)
    assert code == 2 and out == "", err
    error, hint = err.splitlines()  # the hint names the program as click does: `python -m pytest…` here
    assert error == f"error: {option}: {value} {wrong}; it must be {allowed}"
    assert hint.startswith("hint: see ") and hint.endswith(f" {command} --help"), hint


@pytest.mark.parametrize("args, says", [
    (["train", "--lr", "-0.5"], "--lr: -0.5 is out of range; it must be a number greater than 0"),  # the name typed
    (["train", "--epochs=2.5"], "--epochs: 2.5 is not a whole number; it must be a whole number of at least 1"),
    (["train", "--epochs=0.0"], "--epochs: 0.0 is out of range; it must be a whole number of at least 1"),
    (["gradcheck", "--eps", "-inf"], "--eps: -inf is not a finite number; it must be a number greater than 0"),
    (["train", "--seed", ""], "--seed: '' is not a whole number; it must be a whole number of at least 0"),
    (["gradcheck", "--mode", "Sam ple"], "--mode: Sam ple is not one of: full, sample, fast (did you mean sample?)"),
    (["explain", "--format", "html"], "--format: html is not one of: rich, markdown, json"),
    (["plot", "run", "--out", ""], "--out: '' is empty; give a file or folder name"),
])
def test_option_errors_name_the_option_the_value_and_what_is_allowed(args, says, backprop, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, out, err = backprop(*args)
    assert code == 2 and out == "" and err.splitlines()[0] == f"error: {says}", err
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("args, field, value", [
    (["train", "--epochs", "5.0", "--json"], "epochs", 5),
    (["train", "--epochs", "1e1", "--seed", "2.0", "--json"], "epochs", 10),
    (["gradcheck", "--examples", "2.0", "--seed", "1e0", "--json"], "n_examples", 2),
])
def test_whole_number_options_take_a_whole_number_written_as_a_config_may(args, field, value, backprop, monkeypatch,
                                                                          tmp_path):
    """`epochs: 5.0` in a config is 5 epochs, but --epochs 5.0 was refused, 'is not written as a whole number
    (write 5)': the options take what the config's fields take."""
    monkeypatch.chdir(tmp_path)
    code, out, err = backprop(*args)
    assert code == 0, err
    result = json.loads(out)
    assert (result["settings"] if args[0] == "gradcheck" else result)[field] == value, out


@pytest.mark.parametrize("args, says", [
    (["train", "--epochs", "1e400"], "--epochs: 1e400 is too large; it must be a whole number from 1 to 1,000,000"),
    (["train", "--seed", "1e400"],
     "--seed: 1e400 is too large (more than 1.8e308, the largest number); it must be a whole number of at least 0"),
    (["gradcheck", "--examples", "1e400"], ("--examples: 1e400 is too large (more than 1.8e308, the largest number); "
                                            "it must be a whole number of at least 1")),
    (["explain", "--layer", "1", "--neuron", "1e400"], ("--neuron: 1e400 is too large (more than 1.8e308, the largest "
                                                         "number); it must be a whole number of at least 0")),
    (["train", "--epochs", "-1e400"], "--epochs: -1e400 is out of range; it must be a whole number of at least 1"),
])
def test_a_whole_number_option_beyond_the_largest_float_is_too_large(args, says, backprop, monkeypatch, tmp_path):
    """--epochs 1e400, a whole number that is +inf as a float, said 'is not a whole number'."""
    monkeypatch.chdir(tmp_path)
    code, out, err = backprop(*args)
    assert code == 2 and out == "" and err.splitlines()[0] == f"error: {says}", err


def test_the_epochs_option_says_the_configs_maximum():
    from backprop_cli.commands.train import MAX_EPOCHS_SAID
    from backprop_cli.config import MAX_EPOCHS
    assert MAX_EPOCHS_SAID == MAX_EPOCHS


@pytest.mark.parametrize("text, says", [
    ("training:\n  epochs: 1e400\n", "training.epochs: 1e400 is more than 1,000,000, the most allowed"),
    ("seed: 1e400\n", "seed: 1e400 is too large (more than 1.8e308, the largest number)"),
    ("training:\n  epochs: -1e400\n", "training.epochs: -1e400 must be at least 1"),
])
def test_a_config_whole_number_beyond_the_largest_float_is_too_large(text, says, tmp_path):
    """training.epochs: 1e400 said 'is not a whole number', as --epochs 1e400 did."""
    from backprop_cli.config import ConfigError, load_config
    path = tmp_path / "c.yaml"
    path.write_text(text + "network:\n  layers: [2, 3, 1]\n")
    with pytest.raises(ConfigError) as e:
        load_config(path)
    assert says in str(e.value), str(e.value)


@pytest.mark.parametrize("command", [["train"], ["gradcheck"], ["explain"]])
def test_help_names_a_number_option_as_its_errors_do(command):
    """--help said `<int range> [x>=1]` and `<float>`, click's names, where the errors say 'a whole
    number of at least 1' and 'a number greater than 0'."""
    r = _help(tuple(command), "100")
    assert r.exit_code == 0, r.output
    assert "<whole number> [x>=" in r.output and "int range" not in r.output and "<float" not in r.output
    if command != ["explain"]:
        assert "<number> [x>0]" in r.output  # --lr, --eps
    if command == ["gradcheck"]:  # --atol takes auto, its default, too: `<number> [x>=0]` hid it
        assert "<auto|number> [x>=0]" in r.output, r.output


@pytest.mark.parametrize("width", ["50", "80"])
@pytest.mark.parametrize("command", [[], ["train"], ["gradcheck"], ["explain"], ["config", "validate"], ["init"]])
def test_help_folds_what_does_not_fit_instead_of_cutting_it(command, width):
    """At 50 columns --help read `--learning-…`, `--checkpoin…`, `training.e…` and
    `--install-complet…`; at 80, train's --set help ended `training.learning_rate…`. Every word the
    help has is on screen, folded where it must be; the only ellipses are the help's own (`L-1, L-2, …`)."""
    r = _help(tuple(command), width)
    assert r.exit_code == 0, r.output
    lines = r.output.splitlines()
    assert max(len(line) for line in lines) <= int(width)
    cut = [line for line in lines if "…" in line and not any(own in line for own in ("L-2, …", "σ'(z), …", "(…)"))]
    assert cut == [], "\n".join(cut)
    if command == ["train"] and width == "80":
        assert "training.learning_rate" in r.output


HELP_COMMANDS = [[], ["train"], ["gradcheck"], ["explain"], ["config", "validate"], ["config", "show"], ["init"],
                 ["predict"], ["evaluate"], ["plot"]]


@pytest.mark.parametrize("width", ["80", "100"])
@pytest.mark.parametrize("command", HELP_COMMANDS, ids=lambda c: " ".join(c) or "backprop")
def test_no_help_line_starts_with_punctuation(command, width):
    """At 80 columns train's --set help folded 'training.learning_rate).' and left a line starting
    '. Precedence: config file < …'. No line of any --help starts with punctuation at 80 or 100."""
    r = _help(tuple(command), width)
    assert r.exit_code == 0, r.output
    starts = [line for line in r.output.splitlines() if line.strip().strip("│").strip()[:1] in tuple(".,;:)]}")]
    assert starts == [], "\n".join(starts)


@pytest.mark.parametrize("command, labels", [
    (["explain"], ("LAYER", "j,k")), (["gradcheck"], ("FILE.py:FUNCTION",)), (["init"], ("NAME      <path>", "DATASET")),
    ([], ()), (["train"], ()), (["predict"], ()), (["evaluate"], ()), (["plot"], ()), (["config", "show"], ()),
    (["config", "validate"], ()),
])
def test_help_says_what_each_value_is_not_str(command, labels):
    """--help labelled explain's --layer and --weight, gradcheck's --backward and init's NAME and
    --dataset `<str>`, a programmer's word that says nothing of what to type; they are named as the
    README writes them (`--weight j,k`, `--backward FILE.py:FUNCTION`), NAME a <path> as CONFIG is."""
    r = _help(tuple(command), "100")
    assert r.exit_code == 0, r.output
    assert "<str>" not in r.output, r.output
    for label in labels:
        assert label in r.output, (label, r.output)


def test_a_missing_command_prints_the_help():
    for args in ([], ["config"]):
        r = _run(*args)
        assert r.returncode == 2 and "Usage: " in r.stdout and "Commands" in r.stdout, r.stdout
        assert "error" not in r.stderr


def _read_one_line(*args) -> tuple[int, str]:
    """`backprop ARGS | head -1`: (exit status, stderr)."""
    p = subprocess.Popen([sys.executable, "-m", "backprop_cli", *map(str, args)],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={**os.environ, "COLUMNS": "80"})
    assert p.stdout is not None and p.stderr is not None
    p.stdout.readline()
    p.stdout.close()
    err = p.stderr.read().decode()
    return p.wait(timeout=60), err


def test_a_reader_that_stops_early_gets_exit_141_and_no_traceback():
    """`backprop explain --layer 1 | head -1`: exit 141 (128 + SIGPIPE), not 1 (a failed check)."""
    code, err = _read_one_line("explain", "--layer", "1")
    assert code == 141, err
    assert "Traceback" not in err and "Exception ignored" not in err


def test_a_reader_that_stops_early_does_not_lose_a_run_with_out(tmp_path):
    """`backprop train … --out DIR | head -1`: exit 141, but the run is checkpointed (as for
    Ctrl-C) and the printed command resumes it to the same weights as a straight run."""
    out = tmp_path / "run"
    # 1600 progress lines (~80 kB): more than a pipe's buffer (64 KiB), so the closed pipe is always hit
    args = ["--epochs", "1600", "--set", "training.log_every=1"]
    code, err = _read_one_line("train", *args, "--out", out)
    assert code == 141, err
    assert "standard output was closed; checkpoint saved in" in err and "Traceback" not in err
    assert (out / "checkpoint.npz").is_file() and not (out / "model.npz").exists()
    assert invoke("train", *args, "--out", out, "--resume", "--quiet").exit_code == 0
    assert invoke("train", *args, "--out", tmp_path / "straight", "--quiet").exit_code == 0
    a, b = load_model(out / "model.npz").net, load_model(tmp_path / "straight" / "model.npz").net
    assert all(np.array_equal(x, y) for x, y in zip(a.weights + a.biases, b.weights + b.biases))


def test_an_out_folder_that_cannot_be_written_is_refused_before_training(tmp_path, monkeypatch):
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("")
    r = runner.invoke(app, ["train", "--out", str(not_a_folder / "run")])
    assert r.exit_code == 2 and f"--out {not_a_folder / 'run'}: cannot create the folder" in r.output
    assert "epoch" not in r.output

    import tempfile

    def refused(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(tempfile, "TemporaryFile", refused)  # a read-only folder (root ignores modes)
    r = runner.invoke(app, ["train", "--out", str(tmp_path / "ro")])
    assert r.exit_code == 2, r.output
    assert f"--out {tmp_path / 'ro'}: cannot write into the folder: Permission denied" in r.output
    assert "epoch" not in r.output and ".tmp" not in r.output


@pytest.mark.parametrize("command", [["train"], ["gradcheck"], ["explain"], ["predict"], ["config", "show"]])
def test_help_shows_on_off_flags_without_a_value_label(command, backprop, monkeypatch):
    """`--quiet <bool>` would read as if the flag took a value; valued options keep their label."""
    monkeypatch.setenv("COLUMNS", "80")  # the real entry point in-process: the help a process prints at 80
    code, out, err = backprop(*command, "--help")
    assert code == 0, err
    assert "<bool>" not in out and "--help" in out, out
    assert "<path>" in out or "<int" in out or "<float>" in out or "<text>" in out
    assert "list[str]" not in out  # --set shows what it takes: KEY=VALUE
    if command != ["predict"]:
        assert "KEY=VALUE" in out


def test_softmax_cross_entropy_refuses_targets_that_are_not_distributions(tmp_path):
    """δ = a − y is softmax + cross-entropy's gradient only for rows that sum to 1: other targets
    (multi-label 0/1 rows) are refused with the row, not trained on a wrong gradient."""
    y = np.array([[1.0, 0.0, 0.0], [1.0, 1.0, 0.0], [0.0, 0.0, 1.0]])
    np.savez(tmp_path / "d.npz", X=np.arange(6.0).reshape(3, 2), y=y)
    cfg = tmp_path / "c.yaml"
    cfg.write_text("data: {path: d.npz, task: regression, test_fraction: 0}\n"
                   "network: {layers: [2, 3], output_activation: softmax}\ncost: cross_entropy\n")
    for command in (["train", str(cfg), "--epochs", "1"], ["gradcheck", str(cfg)], ["config", "validate", str(cfg)]):
        r = runner.invoke(app, command)
        assert r.exit_code == 2, r.output
        assert "1 of 3 rows of" in r.output and "row 1 is (1, 1, 0), summing to 2" in r.output, r.output
    np.savez(tmp_path / "d.npz", X=np.arange(6.0).reshape(3, 2), y=y / y.sum(axis=1, keepdims=True))
    assert runner.invoke(app, ["gradcheck", str(cfg)]).exit_code == 0  # probabilities: fine


def test_softmax_cross_entropy_refuses_a_negative_target_in_a_row_that_sums_to_1(tmp_path):
    """y = (1.5, −0.5, 0) sums to 1, but −Σ_j y_j ln a_j is then no cost: a_1 → 0 lowers it without
    end. The rule is entries ≥ 0 and each row summing to 1: refused with the row, as the rows that
    do not sum to 1 are."""
    y = np.array([[1.0, 0.0, 0.0], [1.5, -0.5, 0.0], [0.0, 0.0, 1.0]])
    np.savez(tmp_path / "d.npz", X=np.arange(6.0).reshape(3, 2), y=y)
    cfg = tmp_path / "c.yaml"
    cfg.write_text("data: {path: d.npz, task: regression, test_fraction: 0}\n"
                   "network: {layers: [2, 3], output_activation: softmax}\ncost: cross_entropy\n")
    for command in (["train", str(cfg), "--epochs", "1"], ["gradcheck", str(cfg)], ["config", "validate", str(cfg)]):
        r = runner.invoke(app, command)
        assert r.exit_code == 2, r.output
        assert "(entries ≥ 0, each row summing to 1)" in r.output, r.output
        assert "1 of 3 rows of" in r.output and "row 1 is (1.5, -0.5, 0), summing to 1" in r.output, r.output


def test_sigmoid_cross_entropy_refuses_targets_outside_0_1(tmp_path):
    """Binary cross-entropy −[y ln a + (1 − y) ln(1 − a)] is a cost only for y in [0, 1]: sine's
    targets in [−1, 1] trained to a cost of −204 (a → 0 or 1 with y beyond it lowers it
    without end). Refused with the first such row, as softmax's non-distributions are."""
    cfg = tmp_path / "c.yaml"
    cfg.write_text("data: {dataset: sine, n_samples: 20}\nnetwork: {layers: [1, 3, 1]}\ncost: cross_entropy\n")
    for command in (["train", str(cfg), "--epochs", "1"], ["gradcheck", str(cfg)], ["config", "validate", str(cfg)]):
        r = runner.invoke(app, command)
        assert r.exit_code == 2, r.output
        assert "c.yaml: cross_entropy with a sigmoid output needs targets in [0, 1]" in r.output, r.output
        assert "of 20 rows of sine (built-in) are not: row " in r.output and "Traceback" not in r.output
    y = np.array([0.0, 0.25, 1.0])  # probabilities (soft labels) are fine
    np.savez(tmp_path / "d.npz", X=np.arange(6.0).reshape(3, 2), y=y)
    cfg.write_text("data: {path: d.npz, task: regression, test_fraction: 0}\n"
                   "network: {layers: [2, 1]}\ncost: cross_entropy\n")
    assert runner.invoke(app, ["config", "validate", str(cfg)]).exit_code == 0


def test_the_cross_entropy_domain_error_names_a_csv_row_by_its_file_line(tmp_path):
    """The refusal said 'row 0 is (-4.8179)', a 0-based index, where every other error about a CSV
    row gives its line in the file (the header being line 1): now the file's line, blank lines
    counted, as they are there; an .npz's row stays its index in the array, as its other errors
    name it."""
    (tmp_path / "d.csv").write_text("a,b,y\n1,2,0.5\n\n3,4,1\n5,6,-4.8179\n7,8,2\n")
    cfg = tmp_path / "c.yaml"
    cfg.write_text("data: {path: d.csv, test_fraction: 0}\nnetwork: {layers: [2, 3, 1]}\ncost: cross_entropy\n")
    for command in (["train", str(cfg), "--epochs", "1"], ["gradcheck", str(cfg)], ["config", "validate", str(cfg)]):
        r = runner.invoke(app, command)
        assert r.exit_code == 2, r.output
        assert r.stderr.splitlines()[0] == (
            f"error: {cfg}: cross_entropy with a sigmoid output needs targets in [0, 1], but 2 of 4 rows of "
            f"{tmp_path / 'd.csv'} are not: row 5 is (-4.8179)"), r.stderr
    from backprop_cli.data import load_csv, train_test_split

    ds = load_csv(tmp_path / "d.csv")
    assert ds.lines.tolist() == [2, 4, 5, 6] and [ds.row_name(i) for i in (0, 2)] == ["row 2", "row 5"]
    train, test = train_test_split(ds, 0.5, np.random.default_rng(0))  # each split keeps its rows' lines
    for part in (train, test):
        assert all(ds.lines[np.flatnonzero((ds.X == x).all(axis=1))[0]] == line
                   for x, line in zip(part.X, part.lines))
    np.savez(tmp_path / "d.npz", X=np.arange(8.0).reshape(4, 2), y=np.array([0.5, 1.0, -4.8179, 2.0]))
    cfg.write_text("data: {path: d.npz, task: regression, test_fraction: 0}\nnetwork: {layers: [2, 3, 1]}\n"
                   "cost: cross_entropy\n")
    r = runner.invoke(app, ["config", "validate", str(cfg)])
    assert r.exit_code == 2 and "2 of 4 rows of" in r.output and "are not: row 2 is (-4.8179)" in r.output, r.output


def _regression_csv(path, targets):
    rows = ["size,age,price"] + [f"{i / 7:.4f},{(i * 3) % 5:.1f},{y}" for i, y in enumerate(targets)]
    path.write_text("\n".join(rows) + "\n")


UNREACHABLE = ("training targets (column price) lie outside the output activation {name}'s range {rng}{copied}: "
               "the network cannot reach them; for regression, set network.output_activation: linear")
COPIED = " (copied from network.activation, as network.output_activation is not set)"
LISTED = " (the last name of network.activation, the output layer's)"
LISTED_ADVICE = "for regression, make the last name of network.activation linear"


@pytest.mark.parametrize("network, name, rng, copied, n", [
    ("{layers: [2, 4, 1]}", "sigmoid", "(0, 1)", COPIED, 12),  # the defaults: the output copies sigmoid
    ("{layers: [2, 4, 1], activation: relu}", "relu", "[0, ∞)", COPIED, 8),
    ("{layers: [2, 4, 1], activation: tanh}", "tanh", "(−1, 1)", COPIED, 8),
    ("{layers: [2, 4, 1], activation: relu, output_activation: softplus}", "softplus", "(0, ∞)", "", 8),
    # the list's last: the output's (the advice was to set network.output_activation, refused beside it)
    ("{layers: [2, 4, 1], activation: [relu, elu]}", "elu", "(−1, ∞)", LISTED, 4),
])
def test_regression_targets_beyond_the_output_activations_range_are_warned_of(tmp_path, network, name, rng,
                                                                               copied, n):
    """Prices under the default sigmoid output (or relu, tanh copied to the output) trained to a
    cost of 4.67 where a linear output got 0.013, validated and trained without a word: targets
    beyond the output's range are legal under squared error (so not refused, as cross-entropy's
    are) but warned of, counting the training ones, in config validate and train (stderr before
    training, the summary's warning and --json's warnings)."""
    _regression_csv(tmp_path / "reg.csv", [-2.5, -1.0, -0.5, 0.0, 0.25, 1.0, 1.5, 3.0, 0.5, -4.0] * 2)
    cfg = tmp_path / "c.yaml"
    cfg.write_text(f"data: {{path: reg.csv, test_fraction: 0}}\nnetwork: {network}\n"
                   "training: {epochs: 2}\n")
    expected = f"warning: {n} of 20 " + UNREACHABLE.format(name=name, rng=rng, copied=copied)
    if copied == LISTED:
        expected = expected.replace("for regression, set network.output_activation: linear", LISTED_ADVICE)
    r = runner.invoke(app, ["config", "validate", str(cfg)])
    assert r.exit_code == 0 and r.stdout.startswith(f"{cfg}: valid"), r.output
    assert r.stderr.splitlines() == [expected], r.stderr
    r = runner.invoke(app, ["train", str(cfg), "-q"])
    assert r.exit_code == 0, r.output
    assert r.stderr.splitlines() == [expected], r.stderr
    assert expected in r.stdout.splitlines(), r.stdout  # under the summary's table too
    r = runner.invoke(app, ["train", str(cfg), "--json"])
    assert r.exit_code == 0, r.output
    found = json.loads(r.stdout)["warnings"]  # (elu's 2 epochs also end above the untrained cost: said too)
    assert found[0] == expected.removeprefix("warning: ")
    assert all(w.startswith("the training cost grew from ") for w in found[1:]), found
    for cost in ("half_squared_error", "squared_error"):  # a linear output reaches every target: no warning
        r = runner.invoke(app, ["config", "validate", str(cfg), "--set", "network.activation=relu",
                                "--set", "network.output_activation=linear", "--set", f"cost={cost}"])
        assert r.exit_code == 0 and r.stderr == "", r.output


def test_targets_on_the_output_ranges_bounds_and_one_hot_labels_get_no_range_warning(tmp_path):
    """Only targets strictly outside the closed range are warned of: 0 and 1 under a sigmoid (one-hot
    and 0/1 labels, probabilities), −1 under tanh, 0 under relu; a training split's targets only
    (the test split holds no row beyond); and only under a squared error (cross_entropy refuses)."""
    _regression_csv(tmp_path / "reg.csv", [0.0, 1.0, 0.5, 0.25, 1.0, 0.0, 0.75, 1.0])
    cfg = tmp_path / "c.yaml"
    cfg.write_text("data: {path: reg.csv, test_fraction: 0}\nnetwork: {layers: [2, 3, 1]}\n")
    for sets in ([], ["--set", "cost=half_squared_error"], ["--set", "network.activation=relu"],
                 ["--set", "network.activation=tanh"], ["--set", "cost=cross_entropy"]):
        r = runner.invoke(app, ["config", "validate", str(cfg), *sets])
        assert r.exit_code == 0 and r.stderr == "", (sets, r.output)
    for name in ("iris.yaml", "digits.yaml", "circles.yaml"):  # one-hot and 0/1 class labels
        r = runner.invoke(app, ["config", "validate", str(ROOT / "configs" / name), "--set", "cost=squared_error",
                                "--set", "network.output_activation=sigmoid"])
        assert r.exit_code == 0 and "warning" not in r.output, (name, r.output)


RECODED = ("note: data.target price: whole numbers read as 2 classes ({how}) under data.task: auto; with a {name} "
           "output, write data.task: regression to train on the values as written (data.task: classification "
           "keeps the classes)")


@pytest.mark.parametrize("targets, network, name, how, classes", [
    ([-1, 1], "{layers: [2, 6, 1], activation: tanh}", "tanh", "-1 → 0, 1 → 1", "2 classes: -1, 1"),
    ([100, 200], "{layers: [2, 6, 1], activation: tanh, output_activation: linear}", "linear",
     "100 → 0, 200 → 1", "2 classes: 100, 200"),
])
def test_whole_number_targets_read_as_classes_under_a_non_probability_output_get_a_note(tmp_path, targets, network,
                                                                                          name, how, classes):
    """-1/+1 labels under a tanh output, or prices 100/200 under a linear one, were silently trained as
    0/1 (data.task: auto reads whole numbers as classes), and predict printed score_1: a note on
    stderr in config validate and before training says so and names data.task: regression, and the
    valid line lists the classes. Sigmoid/softmax outputs, 0/1 labels, and a task written out get none."""
    _regression_csv(tmp_path / "pm.csv", targets * 10)
    cfg = tmp_path / "c.yaml"
    cfg.write_text(f"data: {{path: pm.csv, test_fraction: 0}}\nnetwork: {network}\ncost: squared_error\n"
                   "training: {epochs: 2}\n")
    expected = RECODED.format(how=how, name=name)
    r = runner.invoke(app, ["config", "validate", str(cfg)])
    assert r.exit_code == 0 and f"classification ({classes}); network" in r.stdout, r.output
    assert r.stderr.splitlines() == [expected], r.stderr
    r = runner.invoke(app, ["train", str(cfg), "-q"])
    assert r.exit_code == 0, r.output
    assert r.stderr.splitlines() == [expected], r.stderr
    for sets in (["data.task=regression"], ["data.task=classification"], ["network.output_activation=sigmoid"]):
        r = runner.invoke(app, ["config", "validate", str(cfg), *[a for s in sets for a in ("--set", s)]])
        assert r.exit_code == 0 and "note:" not in r.stderr, (sets, r.output)
    _regression_csv(tmp_path / "pm.csv", [0, 1] * 10)  # 0/1 labels in one 0/1 column: no value changes
    r = runner.invoke(app, ["config", "validate", str(cfg)])
    assert r.exit_code == 0 and r.stderr == "", r.output


def test_a_target_with_nearly_a_class_per_row_is_said_to_look_like_a_quantity_or_an_id(tmp_path):
    """A text target with a value per row ('$1 100', ids) was told "use layers: [2, …, 30]" with no word
    that such a column is no label, and with layers [2, 4, 30] it validated as 30 classes for 30 rows:
    the hint and a note say so. Fewer than 10 classes (a toy file, a class a row) get no note."""
    rows = ["a,b,price"] + [f"{i / 7:.3f},{i % 3},${i} 100" for i in range(30)]
    (tmp_path / "t.csv").write_text("\n".join(rows) + "\n")
    cfg = tmp_path / "c.yaml"
    cfg.write_text("data: {path: t.csv}\nnetwork: {layers: [2, 4, 1]}\n")
    said = ("the target column price has 30 distinct values in 30 rows, nearly a class per row: it looks like a "
            "quantity or an id, not class labels; check its cells, or name the label column with data.target")
    r = runner.invoke(app, ["config", "validate", str(cfg)])
    assert r.exit_code == 2 and "use layers: [2, …, 30]" in r.stderr, r.output
    assert r.stderr.splitlines()[-1] == f"hint: {said}", r.stderr
    r = runner.invoke(app, ["config", "validate", str(cfg), "--set", "network.layers=[2, 4, 30]"])
    assert r.exit_code == 0 and r.stderr.splitlines() == [f"note: {said}"], r.output
    rows = ["a,b,y"] + [f"{i},{i % 3},{c}" for i, c in enumerate("abcdef")]
    (tmp_path / "t.csv").write_text("\n".join(rows) + "\n")
    r = runner.invoke(app, ["config", "validate", str(cfg), "--set", "network.layers=[2, 4, 6]"])
    assert r.exit_code == 0 and r.stderr == "", r.output


def test_the_range_warning_names_each_target_column_beyond_it(tmp_path):
    """Several target columns: the count is of target values, and the columns beyond are named."""
    from backprop_cli.config import load_config
    from backprop_cli.experiment import prepare, target_range_warning

    rows = ["x,a,b,c"] + [f"{i},{i / 10},{-i},{i / 20}" for i in range(10)]
    (tmp_path / "m.csv").write_text("\n".join(rows) + "\n")
    cfg = tmp_path / "c.yaml"
    cfg.write_text("data: {path: m.csv, target: [a, b, c], test_fraction: 0}\n"
                   "network: {layers: [1, 3, 3], output_activation: tanh}\n")
    exp = prepare(load_config(cfg))
    assert target_range_warning(exp.config, exp.train) == (
        "8 of 30 training targets (column b) lie outside the output activation tanh's range (−1, 1): the "
        "network cannot reach them; for regression, set network.output_activation: linear")
    cfg.write_text("data: {path: m.csv, target: [a, b, c], test_fraction: 0}\n"
                   "network: {layers: [1, 3, 3], activation: relu}\n")
    exp = prepare(load_config(cfg))
    assert target_range_warning(exp.config, exp.train).startswith(
        "9 of 30 training targets (column b) lie outside the output activation relu's range [0, ∞) (copied")
    rows = ["x,a,b,c"] + [f"{i},{i},{-i},{i / 20}" for i in range(10)]
    (tmp_path / "m.csv").write_text("\n".join(rows) + "\n")
    cfg.write_text("data: {path: m.csv, target: [a, b, c], test_fraction: 0}\n"
                   "network: {layers: [1, 3, 3], output_activation: sigmoid}\n")
    exp = prepare(load_config(cfg))
    assert target_range_warning(exp.config, exp.train).startswith("17 of 30 training targets (columns a, b) lie")


def test_without_a_hidden_layer_the_range_warning_names_network_activation_as_the_outputs(tmp_path):
    """A 2-1 network with activation: tanh has no hidden layer: the name written is the output's own. The
    warning said it was copied from network.activation and to set network.output_activation; it names
    network.activation, and so does its advice. explain's --y warning says the same."""
    _regression_csv(tmp_path / "reg.csv", [-2.5, -1.0, -0.5, 0.0, 0.25, 1.0, 1.5, 3.0, 0.5, -4.0] * 2)
    cfg = tmp_path / "c.yaml"
    cfg.write_text("data: {path: reg.csv, test_fraction: 0}\nnetwork: {layers: [2, 1], activation: tanh}\n")
    r = runner.invoke(app, ["config", "validate", str(cfg)])
    assert r.exit_code == 0 and r.stderr.splitlines() == [
        "warning: 8 of 20 training targets (column price) lie outside the output activation tanh's range (−1, 1) "
        "(network.activation: there is no hidden layer): the network cannot reach them; for regression, set "
        "network.activation: linear"], r.output
    r = runner.invoke(app, ["config", "validate", str(cfg), "--set", "network.activation=linear"])
    assert r.exit_code == 0 and r.stderr == "", r.output
    r = runner.invoke(app, ["explain", str(cfg), "--layer", "L", "--x", "0.5,1", "--y", "3"])
    assert r.exit_code == 0 and ("warning: --y: y = (3) lies outside the output activation tanh's range (−1, 1) "
                                 "(network.activation: there is no hidden layer): the network cannot reach it; for "
                                 "regression, set network.activation: linear") in r.stderr, r.output


@pytest.mark.parametrize("layers, names, fixed", [
    ("[2, 3, 1]", "[relu, relu]", "[relu, linear]"),
    ("[2, 1]", "[relu]", "[linear]"),
])
def test_where_the_outputs_name_is_the_lists_last_the_advice_names_that_entry(tmp_path, layers, names, fixed):
    """One name per layer, the output's last: the range warning said to set network.output_activation, which
    is refused beside such a list ('2 names for 1 hidden layer and network.output_activation is set'); it
    says to make the list's last name linear. cross_entropy's refusal of that name gets the same kind of
    hint (for [2, 1] with [relu] it had none, where activation: relu had 'write network.activation: sigmoid')."""
    _regression_csv(tmp_path / "reg.csv", [-2.5, -1.0, -0.5, 0.0, 0.25, 1.0, 1.5, 3.0, 0.5, -4.0] * 2)
    cfg = tmp_path / "c.yaml"
    cfg.write_text(f"data: {{path: reg.csv, test_fraction: 0}}\nnetwork: {{layers: {layers}, activation: {names}}}\n")
    r = runner.invoke(app, ["config", "validate", str(cfg)])
    assert r.exit_code == 0 and r.stderr.splitlines() == [
        "warning: 8 of 20 " + UNREACHABLE.format(name="relu", rng="[0, ∞)", copied=LISTED).replace(
            "for regression, set network.output_activation: linear", LISTED_ADVICE)], r.output
    r = runner.invoke(app, ["config", "validate", str(cfg), "--set", f"network.activation={fixed}"])
    assert r.exit_code == 0 and r.stderr == "", r.output  # the advice, followed
    cfg.write_text(f"data: {{dataset: xor}}\nnetwork: {{layers: {layers}, activation: {names}}}\ncost: cross_entropy\n")
    r = runner.invoke(app, ["config", "validate", str(cfg)])
    assert r.exit_code == 2 and r.stderr.splitlines()[1:] == [
        "hint: make the last name of network.activation sigmoid"], r.output
    r = runner.invoke(app, ["config", "validate", str(cfg), "--set",
                            f"network.activation={fixed.replace('linear', 'sigmoid')}"])
    assert r.exit_code == 0, r.output


@pytest.mark.parametrize("width", [60, 80])
def test_train_output_fits_the_console(monkeypatch, width):
    """The default train's chart and summary at 60 and 80 columns: no line wraps or is cut
    (the x axis's name used to wrap onto a line of its own at 60)."""
    monkeypatch.setenv("COLUMNS", str(width))
    r = CliRunner().invoke(app, ["train"])
    assert r.exit_code == 0, r.output
    lines = r.output.splitlines()
    # the network line and the note on the last epoch line are records: one line in a pipe,
    # wrapped between words by rich on a terminal
    records = ("network ", LAST_LINE_NOTE)
    assert max(len(line) for line in lines if not line.startswith(records)) <= width, r.output
    assert "…" not in r.output and all(line.strip() != "epoch" for line in lines), r.output
    axis_named = any(re.search(r"\d +epoch$", line.rstrip()) for line in lines)
    assert axis_named == (width == 80)  # "… 2000  epoch" where it fits


def test_checkpoint_every_without_out_is_refused():
    r = invoke("train", "--checkpoint-every", "5", "--epochs", "10")
    assert r.exit_code == 2 and "--checkpoint-every: needs --out DIR" in r.output and "Traceback" not in r.output


def test_a_ctrl_c_while_the_cli_loads_is_one_line_and_exit_130(monkeypatch, capsys):
    """The console script is ``backprop_cli:run``, which imports the CLI inside its own guard:
    a Ctrl-C during those imports (typer and rich take ~0.15 s) gives no traceback."""
    import backprop_cli
    import backprop_cli.cli

    scripts = (ROOT / "pyproject.toml").read_text().split("[project.scripts]")[1].split("[")[0]
    assert scripts.split() == ["backprop", "=", '"backprop_cli:run"']  # (tomllib: Python 3.11+)

    def interrupted():
        raise KeyboardInterrupt

    monkeypatch.setattr(backprop_cli.cli, "main", interrupted)
    with pytest.raises(SystemExit) as stop:
        backprop_cli.run()
    assert stop.value.code == 130 and capsys.readouterr().err == "interrupted\n"


def test_a_cost_that_grows_without_overflowing_is_warned_about():
    """η = 100 on xor_relu: the cost reaches ~5e297, finite, so training "succeeds" (exit 0);
    the summary must still say that training made things worse, and what to try."""
    r = invoke("train", ROOT / "configs" / "xor_relu.yaml", "--lr", "100", "--epochs", "70", "--quiet")
    assert r.exit_code == 0, r.output
    # a tenth of η, at most 1: "--lr 10" was suggested for η = 100, "--lr 1e+299" for 1e300
    assert "warning: the training cost grew from" in r.output and "try --lr 1)" in r.output
    assert "warning" not in invoke("train", ROOT / "configs" / "xor_relu.yaml", "--quiet").output


def test_an_l2_whose_decay_grows_the_weights_is_named_with_values_that_fit():
    """Plain SGD's w ← (1 − ηλ) w grows the weights once η·λ > 2. λ = 1e308 on xor (η = 2) said
    'η·λ = inf' and suggested --lr 0.2 (η·λ still 2e307); λ = 30 at η = 0.1 whose cost grew tenfold was told
    only 'try --lr 0.01'. Both name training.l2 and suggest a λ (and an η) that bring η·λ below 2."""
    xor = ROOT / "configs" / "xor.yaml"
    r = invoke("train", xor, "--set", "training.l2=1e308", "--epochs", "3", "--quiet")
    assert r.exit_code == 1, r.output
    assert "training.l2 = 1e+308 is too large for η = 2: η·λ = 2e+308, above 2" in r.output, r.output
    assert "inf:" not in r.output and "--lr" not in r.output
    lam = float(re.search(r"e\.g\. --set training\.l2=(\S+)\)", r.output).group(1))
    assert 2 * lam < 2
    r = invoke("train", xor, "--set", "training.l2=30", "--lr", "0.1", "--epochs", "100", "--json")
    assert r.exit_code == 0, r.output
    (warning,) = json.loads(r.stdout)["warnings"]
    assert warning.startswith("the training cost grew from"), warning
    assert "training.l2 = 30 is too large for η = 0.1: η·λ = 3, above 2" in warning, warning
    lam = float(re.search(r"--set training\.l2=(\S+)\)", warning).group(1))
    lr = float(re.search(r"--lr (\S+)\)", warning).group(1))
    assert 0.1 * lam < 2 and lr * 30 < 2, warning


def test_training_that_could_not_start_is_refused_as_input_naming_the_field(tmp_path):
    """Biases of 1e308 overflow the cost before the first step: train said 'training could not start: …' with
    exit 1, a diverged run's, where gradcheck and explain refuse the same network with exit 2. It is exit 2, named
    by the --set (or the config's field) holding the value to blame; no run folder is left."""
    big = "network.biases=[[1e308,1e308,1e308],[1e308]]"
    r = invoke("train", "--set", big, "--set", "network.activation=linear", "--epochs", "2", "--out", tmp_path / "run")
    assert r.exit_code == 2 and r.stderr.splitlines() == [
        (f"error: --set {big}: training could not start: the cost is already NaN or infinite before the first step, "
         "on the initial weights (|w|, |b| up to 1e+308), so the learning rate plays no part: the initial weights or "
         "the inputs are too large, and the forward pass or the cost overflows"),
        ("hint: give smaller initial weights (network.weights and network.biases, or leave them out for network.init "
         "to draw them), or scale the inputs down (data.standardize: true)")], r.output
    assert not (tmp_path / "run").exists()
    for command in (("gradcheck",), ("explain", "--layer", "1")):  # as these refuse it
        assert invoke(*command, "--set", big, "--set", "network.activation=linear").exit_code == 2
    cfg = tmp_path / "big.yaml"
    cfg.write_text("network: {layers: [2, 3, 1], activation: linear, weights: [[[1, 1], [1, 1], [1, 1]], [[1, 1, 1]]], "
                   "biases: [[1e308, 1e308, 1e308], [1e308]]}\n")
    r = invoke("train", cfg, "--epochs", "2", "--json")
    assert r.exit_code == 2 and json.loads(r.stdout)["error"].startswith(
        f"{cfg}: network.biases: training could not start: "), r.output
    r = invoke("train", ROOT / "configs" / "digits.yaml", "--set", "training.l2=1e308", "--epochs", "1", "--quiet")
    assert r.exit_code == 2 and r.stderr.startswith(
        "error: --set training.l2=1e308: training could not start: training.l2 = 1e+308 is too large"), r.output
    # inputs of 1e200 overflow beside given biases of 1: the biases are not named, the config is
    data = tmp_path / "bigx.csv"
    data.write_text("a,b,y\n1e200,1e200,1\n2e200,1e200,0\n1e200,3e200,1\n")
    sets = ["data.dataset=null", f"data.path={data}", "data.target=y", "data.standardize=false",
            "data.test_fraction=0", "network.activation=linear", "network.output_activation=linear",
            "network.layers=[2,3,1]", "network.biases=[[1,1,1],[1]]"]
    r = invoke("train", *[a for s in sets for a in ("--set", s)], "--epochs", "2", "--quiet")
    assert r.exit_code == 2 and r.stderr.startswith("error: <built-in default>: training could not start: "), r.output
    assert "network.biases" not in r.stderr.splitlines()[0] and "data.standardize: true" in r.stderr, r.output


def test_a_cost_stuck_at_chance_from_an_early_epoch_is_warned_about():
    """digits at η = 50: cost 1.79972 and 10% accuracy from epoch 2 on, exit 0 with no word; the summary
    says the cost stopped moving at chance level and names η with a smaller one to try."""
    r = invoke("train", ROOT / "configs" / "digits.yaml", "--lr", "50", "--epochs", "12", "--json")
    assert r.exit_code == 0, r.output
    summary = json.loads(r.stdout)
    assert summary["train_accuracy"] < 0.11 and len(summary["warnings"]) == 1, summary["warnings"]
    warning = summary["warnings"][0]
    assert warning.startswith("the training cost stopped moving at epoch 2 (2.708 before training, 1.79972 from "
                              "then on) and the train accuracy, 10.0%, is at chance level (the largest class is "
                              "10.2% of the training rows)"), warning
    assert warning.endswith("η = 50 is likely too large (try --lr 1)"), warning
    assert "warning: the training cost stopped moving" in invoke(
        "train", ROOT / "configs" / "digits.yaml", "--lr", "50", "--epochs", "12", "--quiet").output


@pytest.mark.parametrize("sets, cause", [
    (["training.schedule=step", "training.gamma=1e-320", "training.step_size=1"],
     "the step schedule is the likely cause, η having fallen from 2 to 2e-320 by epoch 2, too small to move the "
     "weights: raise training.gamma (1e-320) or training.step_size (1)"),
    (["training.schedule=inverse", "training.power_t=100"],
     "the inverse schedule is the likely cause, η having fallen from 2 to 1.58e-30 by epoch 2, too small to move "
     "the weights: lower training.power_t (100)"),
])
def test_a_cost_a_schedule_stopped_names_the_schedule_not_eta(sets, cause):
    """xor (η = 2 trains it) with γ = 1e-320 every epoch, or power_t = 100: the cost stops at epoch 2 with η ~0,
    and the summary said 'η = 2 is likely too large (try --lr 0.2)' beside 'η = 2 → 0 (step schedule)'."""
    options = [w for s in sets for w in ("--set", s)]
    r = invoke("train", "--epochs", "20", "--json", *options)
    assert r.exit_code == 0, r.output
    (warning,) = json.loads(r.stdout)["warnings"]
    assert warning.startswith("the training cost stopped moving at epoch 2 ("), warning
    assert warning.endswith(f"its cost above the 0.25 of always answering the class shares: {cause}"), warning
    assert "too large" not in warning
    # said before training too, as config validate says it
    assert "warning: the " + sets[0].split("=")[1] + " schedule takes η from 2 to" in " ".join(r.stderr.split())


def test_a_vanishing_schedule_is_warned_of_as_the_target_range_is_and_not_again_on_resume(tmp_path):
    """γ = 0.5 every 10 epochs of 600 takes η below 1e-12·η0 by epoch 401: train said so on stderr before
    training only, not in the summary's warnings nor in --json's (config validate --json has it; the
    target-range warning goes to all three). And every --resume said it again, even one with nothing to
    train, advising another training.gamma, which the resume then refuses: not on --resume."""
    sets = ["--set", "training.schedule=step", "--set", "training.gamma=0.5", "--set", "training.step_size=10"]
    said = ("the step schedule takes η from 2 to 1.82e-12 by epoch 401 of 600, below 1e-12·η0 = 2e-12: the 200 "
            "epochs from it on barely move the weights; raise training.gamma (0.5) or training.step_size (10)")
    out = tmp_path / "run"
    r = invoke("train", ROOT / "configs" / "xor.yaml", *sets, "--epochs", "600", "--json", "--out", out)
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["warnings"] == [said]
    assert f"warning: {said}" in " ".join(r.stderr.split())  # before training
    table = invoke("train", ROOT / "configs" / "xor.yaml", *sets, "--epochs", "600", "--quiet")
    assert table.exit_code == 0 and " ".join(table.stdout.split()).count(f"warning: {said}") == 1, table.output
    for epochs in ("600", "700"):  # nothing to train, and more epochs
        again = invoke("train", ROOT / "configs" / "xor.yaml", *sets, "--epochs", epochs, "--json", "--out", out,
                       "--resume")
        assert again.exit_code == 0, again.output
        assert json.loads(again.stdout)["warnings"] == [] and "schedule takes" not in again.stderr, again.output


def test_a_resume_whose_epochs_reach_where_the_schedule_runs_out_is_warned_with_a_resume_s_fix(tmp_path):
    """Trained 300 epochs (η at 300 still above 1e-12·η0: no warning), then resumed to 600, past epoch
    401 where γ = 0.5 every 10 epochs takes η below it: nothing was said, on stderr, in the summary or in
    --json. The fix a resume can take before training: fewer --epochs, or a new run (it refuses another
    training.gamma). After training, the summary's and --json's say only the new run: the 600 epochs are
    trained, and a resume with --epochs 400 is refused (it said 'resume with --epochs 400 or fewer' there
    too). Resumed again with nothing left to train: silent."""
    sets = ["--set", "training.schedule=step", "--set", "training.gamma=0.5", "--set", "training.step_size=10"]
    out = tmp_path / "run"
    first = invoke("train", ROOT / "configs" / "xor.yaml", *sets, "--epochs", "300", "--json", "--out", out)
    assert first.exit_code == 0 and json.loads(first.stdout)["warnings"] == [], first.output
    shutil.copytree(out, tmp_path / "copy")
    what = ("the step schedule takes η from 2 to 1.82e-12 by epoch 401 of 600, below 1e-12·η0 = 2e-12: the 200 "
            "epochs from it on barely move the weights; ")
    new_run = "start a new run (--overwrite) with a larger training.gamma (0.5) or training.step_size (10)"
    before = f"{what}resume with --epochs 400 or fewer, or {new_run}"
    r = invoke("train", out / "config.yaml", "--epochs", "600", "--json", "--out", out, "--resume")
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["warnings"] == [what + new_run], r.output
    assert f"warning: {before}" in " ".join(r.stderr.split())  # before training
    table = invoke("train", tmp_path / "copy" / "config.yaml", "--epochs", "600", "--out", tmp_path / "copy",
                   "--resume", "--quiet")
    assert table.exit_code == 0, table.output
    assert f"warning: {what + new_run}" in " ".join(table.stdout.split()), table.output
    assert "--epochs 400" not in table.stdout, table.output
    refused = invoke("train", out / "config.yaml", "--epochs", "400", "--out", out, "--resume")  # what it advised
    assert refused.exit_code == 2 and "already trained 600 epochs" in refused.output, refused.output
    again = invoke("train", out / "config.yaml", "--epochs", "600", "--json", "--out", out, "--resume")
    assert again.exit_code == 0, again.output
    assert json.loads(again.stdout)["warnings"] == [] and "schedule takes" not in again.stderr, again.output
    anew = invoke("train", out / "config.yaml", "--set", "training.gamma=0.9", "--json", "--out", out, "--overwrite")
    assert anew.exit_code == 0 and json.loads(anew.stdout)["warnings"] == [], anew.output  # what it advises


def test_a_vanishing_schedule_is_not_in_the_summary_of_a_run_that_stopped_early_before_it(tmp_path):
    """Early stopping ended iris at epoch 22, long before epoch 401 where the step schedule takes η below
    1e-12·η0: the summary and --json warned of 1,600 epochs never trained. Said on stderr before training
    (the run could have gone on), not in the summary."""
    sets = ["--set", "training.schedule=step", "--set", "training.gamma=0.5", "--set", "training.step_size=10",
            "--set", "training.early_stopping=true", "--set", "training.patience=3", "--set",
            "training.min_delta=0.01", "--set", "data.validation_fraction=0.2"]
    r = invoke("train", ROOT / "configs" / "iris.yaml", *sets, "--epochs", "2000", "--json")
    assert r.exit_code == 0, r.output
    summary = json.loads(r.stdout)
    assert summary["stopped_early"] and summary["epochs"] < 401 and summary["warnings"] == [], r.output
    assert "warning: the step schedule takes η from 0.1 to 9.09e-14 by epoch 401 of 2,000" in r.stderr
    table = invoke("train", ROOT / "configs" / "iris.yaml", *sets, "--epochs", "2000", "--quiet")
    assert table.exit_code == 0 and "schedule takes" not in table.stdout, table.output


def test_a_cost_that_blows_up_within_the_first_epoch_is_warned_about(tmp_path):
    """η = 40 on circles: the cost is already ~30 after epoch 1 and ends at ~117 (accuracy 50%),
    less than 10× epoch 1's, so the warning must compare with the untrained network's cost."""
    from backprop_cli.config import load_config
    from backprop_cli.experiment import prepare
    from backprop_cli.training import evaluate

    r = invoke("train", ROOT / "configs" / "circles.yaml", "--lr", "40", "--json", "--out", tmp_path / "run")
    assert r.exit_code == 0, r.output
    summary = json.loads(r.stdout)
    with open(tmp_path / "run" / "metrics.csv", newline="") as f:
        epoch_1 = float(next(csv.DictReader(f))["train_cost"])
    assert summary["train_accuracy"] == 0.5 and summary["train_cost"] < 10 * epoch_1  # the old rule's blind spot
    untrained = prepare(load_config(ROOT / "configs" / "circles.yaml"), training_dtype=True)
    assert summary["cost_before_training"] == pytest.approx(evaluate(untrained.net, untrained.train)[0], rel=1e-12)
    assert len(summary["warnings"]) == 1 and "before training" in summary["warnings"][0]
    assert "try --lr 1)" in summary["warnings"][0]  # a tenth of η, at most 1 (it said 4)
    out = invoke("train", ROOT / "configs" / "circles.yaml", "--lr", "40", "--quiet").output
    assert "warning: the training cost grew from" in out and "before training" in out


@functools.cache
def _trained_quietly(config: str):
    """`train configs/CONFIG --quiet`, run once for the tests that read its epoch lines and summary."""
    return invoke("train", ROOT / "configs" / config, "--quiet")


def test_the_summary_says_why_the_last_epoch_lines_train_cost_is_not_the_tables():
    """iris: the last epoch line said train cost 0.0553285, the table 0.0502584 on the final
    weights, and an engineer checking one against the other saw a mismatch. Its train accuracy too:
    97.5% in the line, 98.3% in the table (xor's are both 100%: nothing to say of them)."""
    for config, when in (("iris.yaml", "is the mean during the epoch, each batch before its step; its train "
                                       "accuracy, {acc}, likewise counts each batch's predictions before its step"),
                         ("xor.yaml", "was measured before the epoch's step")):
        r = _trained_quietly(config)
        assert r.exit_code == 0, r.output
        last = [line for line in r.stdout.splitlines() if line.startswith("epoch ")][-1]
        shown = last.split("train cost ")[1].split()[0]
        acc = last.split("train acc ")[1].split()[0]
        notes = [line for line in r.stdout.splitlines() if line.startswith(LAST_LINE_NOTE)]
        assert notes == [f"{LAST_LINE_NOTE} {shown}, {when.format(acc=acc)}"], r.stdout
        table = next(line for line in r.stdout.splitlines() if line.startswith("│ cost ("))
        assert shown not in table  # the table's figure is another one, on the final weights
        accuracy = next(line for line in r.stdout.splitlines() if line.startswith("│ accuracy"))
        assert (acc in accuracy) == (config == "xor.yaml")  # iris: 97.5% above, 98.3% in the table


def test_the_last_epoch_note_explains_the_train_accuracy_where_the_epoch_lines_show_it():
    """The accuracy is explained only where it is shown above (the plain epoch lines; a bar shows
    the cost alone), and where it differs from the table's as printed; alone when the costs agree."""
    from rich.console import Console

    from backprop_cli.config import load_config
    from backprop_cli.experiment import prepare
    from backprop_cli.render.train import LAST_ACCURACY_NOTE, print_summary
    from backprop_cli.training import EpochStats, TrainResult

    def note(config, batch, epoch_cost, epoch_acc, epoch_lines=True):
        exp = prepare(load_config(ROOT / "configs" / config, {"training.batch_size": batch}))
        result = TrainResult(history=(EpochStats(1, epoch_cost, epoch_acc, None, None, 0.1),), train_cost=0.05,
                             train_accuracy=0.983333, test_cost=None, test_accuracy=None, epochs=1, seconds=0.1)
        console = Console(record=True, width=400)
        print_summary(console, exp, result, None, epoch_lines=epoch_lines)
        lines = console.export_text().splitlines()
        return next((line for line in lines if line.startswith(("the last epoch's"))), None)

    iris = "iris.yaml"
    assert note(iris, 16, 0.0553, 0.975) == (f"{LAST_LINE_NOTE} 0.0553, is the mean during the epoch, each batch "
                                            "before its step; its train accuracy, 97.5%, likewise counts each "
                                            "batch's predictions before its step")
    assert note(iris, 16, 0.0553, 0.975, epoch_lines=False) == (
        f"{LAST_LINE_NOTE} 0.0553, is the mean during the epoch, each batch before its step")  # a bar: cost only
    assert note(iris, 16, 0.05, 0.975) == (f"{LAST_ACCURACY_NOTE} 97.5%, counts each batch's predictions "
                                          "during the epoch, before its step")
    assert note(iris, "full", 0.05, 0.975) == f"{LAST_ACCURACY_NOTE} 97.5%, was measured before the epoch's step"
    assert note(iris, "full", 0.06, 0.975) == (f"{LAST_LINE_NOTE} 0.06, was measured before the epoch's step; "
                                              "its train accuracy, 97.5%, too")
    assert note(iris, 16, 0.05, 0.9834) is None  # 98.3% either way, as printed
    assert note(iris, 16, 0.05, 0.975, epoch_lines=False) is None



def test_with_l2_the_last_epoch_note_says_its_penalty_is_after_the_step():
    """hand_worked with training.l2 = 0.05: 'train cost 0.324174 … was measured before the epoch's step', but
    the cost before the step, penalty included, is 0.326621 (--json's cost_before_training): 0.324174 is the
    data cost before the step plus the penalty of the weights after it, as metrics.csv documents."""
    import json

    import numpy as np

    from backprop_cli.config import load_config
    from backprop_cli.experiment import prepare

    cfg = ROOT / "configs" / "hand_worked.yaml"
    r = invoke("train", cfg, "--epochs", "1", "--set", "training.l2=0.05", "--quiet")
    assert r.exit_code == 0, r.output
    note = next(line for line in r.stdout.splitlines() if line.startswith(LAST_LINE_NOTE))
    assert note.endswith("was measured before the epoch's step, plus the L2 penalty of the weights at the epoch's end"), note
    shown = float(note.split(LAST_LINE_NOTE)[1].split(",")[0])
    before = prepare(load_config(cfg, {"training.l2": 0.05})).net  # the write-up's weights, before the step
    X, Y = np.array([[0.05, 0.10]]), np.array([[0.01, 0.99]])
    data_cost = before.cost(X, Y) - before.penalty()
    r = invoke("train", cfg, "--epochs", "1", "--set", "training.l2=0.05", "--quiet", "--json")
    after = json.loads(r.stdout)
    assert after["cost_before_training"] == pytest.approx(before.cost(X, Y), rel=1e-12)
    assert abs(shown - before.cost(X, Y)) > 1e-3  # 0.324174 against 0.326621: not the cost before the step
    penalty_after = shown - data_cost
    assert penalty_after < before.penalty()  # the step shrank the weights: the penalty after it is smaller


def test_progress_lines_keep_their_columns_from_line_to_line():
    """A projected log: the cost's width varied (0.274747 / 0.0865774 / 0.000836509) and the
    accuracy's (50.0% / 100.0%), so every later figure moved from line to line."""
    for config, first_after_cost in (("xor.yaml", "train acc"), ("iris.yaml", "train acc"), ("sine.yaml", "test cost")):
        r = _trained_quietly(config)
        assert r.exit_code == 0, r.output
        lines = [line for line in r.stdout.splitlines() if line.startswith("epoch ")]
        assert len(lines) >= 5
        for label in (first_after_cost, "test acc"):
            columns = {line.index(label) for line in lines if label in line}
            assert len(columns) <= 1, (label, lines)
        assert all(line == line.rstrip() for line in lines)
        widths = {len(line) for line in lines}
        assert len(widths) == 1 or config == "sine.yaml", lines  # sine's last figure is a cost, unpadded


def test_a_config_given_as_dash_is_read_from_standard_input(tmp_path):
    """`sed … x.yaml | backprop train -` was "-: config file not found"; relative paths in a piped
    config are taken from the current folder."""
    text = (ROOT / "configs" / "iris.yaml").read_text().replace("../data/iris.csv", "data/iris.csv")
    r = subprocess.run([sys.executable, "-m", "backprop_cli", "config", "validate", "-"], input=text,
                       capture_output=True, text=True, cwd=ROOT, timeout=60)
    # named <stdin>, as its errors, config show's header and train --json's "config" name it (it read "-: valid")
    assert r.returncode == 0 and r.stdout.startswith("<stdin>: valid (data/iris.csv: 150 examples"), r.stdout + r.stderr
    r = subprocess.run([sys.executable, "-m", "backprop_cli", "train", "-", "--epochs", "2", "--json"],
                       input="network: {layers: [2, 0, 1]}\n", capture_output=True, text=True, timeout=60)
    assert r.returncode == 2, r.stderr  # named as predict and evaluate name their standard input
    assert r.stderr.splitlines()[0] == "error: <stdin>: network.layers[1]: 0 must be at least 1", r.stderr


def test_a_config_redirected_into_dash_reads_its_paths_from_the_current_folder(tmp_path):
    """`backprop train - < configs/iris.yaml` read ../data/iris.csv from configs/ (the file behind
    /dev/stdin) but told the user the current folder: '-' reads from the current folder, always."""
    with open(ROOT / "configs" / "iris.yaml", "rb") as f:
        r = subprocess.run([sys.executable, "-m", "backprop_cli", "config", "validate", "-"], stdin=f,
                           capture_output=True, text=True, cwd=ROOT / "configs", timeout=60)
    assert r.returncode == 0 and r.stdout.startswith("<stdin>: valid (") and "iris.csv: 150 examples" in r.stdout, r.stderr
    with open(ROOT / "configs" / "iris.yaml", "rb") as f:
        r = subprocess.run([sys.executable, "-m", "backprop_cli", "config", "validate", "-"], stdin=f,
                           capture_output=True, text=True, cwd=tmp_path, timeout=60)
    assert r.returncode == 2 and r.stderr.splitlines()[1] == (
        f"hint: a relative data.path is read from the current folder ({tmp_path})"), r.stderr


def _help_text(*cmd: str) -> str:
    """A command's --help as one line of words (the box's borders and the wrapping taken out)."""
    return " ".join(invoke(*cmd, "--help").output.replace("│", " ").split())


def test_set_help_says_what_each_commands_own_options_do_beside_it():
    """One --set help served every command: 'Precedence: config file < --set < dedicated options such
    as --seed or --epochs', but gradcheck's --seed picks the examples and leaves the config's seed to
    --set seed=N, and config show/validate have no such options."""
    assert "Precedence: config file < --set < --epochs, --lr, --seed, --checkpoint-every." in _help_text("train")
    assert "Precedence: config file < --set < --seed." in _help_text("explain")
    gradcheck = _help_text("gradcheck")
    assert "The network's seed is --set seed=N: --seed here picks the examples" in gradcheck
    for cmd in (("gradcheck",), ("config", "show"), ("config", "validate")):
        assert "Precedence" not in _help_text(*cmd) and "dedicated options" not in _help_text(*cmd), cmd


def test_outside_the_checkout_a_config_name_is_offered_from_the_checkout_it_is_installed_from(tmp_path, monkeypatch):
    """`backprop train configs/iris.yaml` typed outside the checkout was told the examples are in 'the
    repository's configs/ (run from the checkout)'. Installed from a checkout (pip install -e ., as the
    README does), the hint gives that configs/ by its full path: the very file, or the folder's list;
    installed without one (a wheel), as before."""
    from backprop_cli import config as config_module

    checkout = tmp_path / "checkout" / "configs"
    checkout.mkdir(parents=True)
    for name in ("iris.yaml", "sine.yaml"):
        (checkout / name).write_text("seed: 0\n")
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path / "elsewhere")
    monkeypatch.setattr(config_module, "_checkout_configs", lambda: checkout)
    for typed in ("configs/iris.yaml", "iris.yaml"):
        out = " ".join(invoke("train", typed).output.split())
        assert out.endswith(f"hint: did you mean {checkout / 'iris.yaml'}? a relative path is read from the current "
                            f"folder, {tmp_path / 'elsewhere'}; the shipped examples are in the checkout this "
                            "backprop is installed from"), out
    out = " ".join(invoke("train", "mine.yaml").output.split())  # not offered sine.yaml: no typo of a file here
    assert out.endswith(f"the shipped examples are in {checkout}{os.sep} (iris.yaml, sine.yaml), and `backprop init "
                        "NAME` writes a starter config"), out
    (tmp_path / "elsewhere" / "a.yaml").write_text("seed: 0\n")  # a YAML file here hid the checkout's name
    for typed in ("iris.yaml", "iris", "configs/iris.yaml"):  # the stem too, as in the checkout
        out = " ".join(invoke("train", typed).output.split())
        assert out.endswith(f"hint: did you mean {checkout / 'iris.yaml'}? a relative path is read from the current "
                            f"folder, {tmp_path / 'elsewhere'}; the shipped examples are in the checkout this "
                            "backprop is installed from" + ("; the current folder has: a.yaml" if typed[0] == "i"
                                                            else "")), out
    out = " ".join(invoke("train", "mine.yaml").output.split())
    assert out.endswith("hint: the current folder has: a.yaml"), out
    (tmp_path / "elsewhere" / "a.yaml").unlink()
    (tmp_path / "elsewhere" / "iris2.yaml").write_text("seed: 0\n")  # a look-alike here: the very name first
    out = " ".join(invoke("train", "iris.yaml").output.split())
    assert out.endswith(f"hint: did you mean {checkout / 'iris.yaml'}? a relative path is read from the current "
                        f"folder, {tmp_path / 'elsewhere'}; the shipped examples are in the checkout this backprop is "
                        "installed from; the current folder has: iris2.yaml"), out
    (tmp_path / "elsewhere" / "iris2.yaml").unlink()
    monkeypatch.setattr(config_module, "_checkout_configs", lambda: None)
    out = " ".join(invoke("train", "iris.yaml").output.split())
    assert "the shipped examples are in the repository's configs/ (run from the checkout)" in out, out


def test_the_user_s_own_same_stem_and_a_named_folder_s_look_alike_beat_the_checkout_s_config(tmp_path, monkeypatch):
    """A folder holding iris.yml and experiments/iris_v2.yaml: `train iris.yaml`, `train iris` and `train
    experiments/iris.yaml` were all offered the checkout's configs/iris.yaml since 38abbbb, over the user's
    iris.yml (only the extension differs) and the look-alike in the folder they named. The checkout's very
    name still beats a mere look-alike beside a name alone (iris2.yaml; the test above); in the checkout
    too (configs/ in the current folder), the named folder's look-alike is offered."""
    from backprop_cli import config as config_module

    checkout = tmp_path / "checkout" / "configs"
    checkout.mkdir(parents=True)
    (checkout / "iris.yaml").write_text("seed: 0\n")
    here = tmp_path / "mine"
    (here / "experiments").mkdir(parents=True)
    (here / "iris.yml").write_text("seed: 0\n")
    (here / "experiments" / "iris_v2.yaml").write_text("seed: 0\n")
    monkeypatch.chdir(here)
    monkeypatch.setattr(config_module, "_checkout_configs", lambda: checkout)
    for typed in ("iris.yaml", "iris"):
        out = " ".join(invoke("train", typed).output.split())
        assert out.endswith("hint: did you mean iris.yml? the current folder has: iris.yml"), out
    out = " ".join(invoke("train", "experiments/iris.yaml").output.split())
    assert out.endswith(f"hint: did you mean {Path('experiments', 'iris_v2.yaml')}? experiments has: iris_v2.yaml"), out
    (here / "iris.yml").rename(here / "iris.yaml")
    out = " ".join(invoke("train", "iris.yml").output.split())
    assert out.endswith("hint: did you mean iris.yaml? the current folder has: iris.yaml"), out
    (here / "iris.yaml").unlink()
    (here / "configs").mkdir()  # in the checkout: configs/iris.yaml beside, the named folder's look-alike first
    (here / "configs" / "iris.yaml").write_text("seed: 0\n")
    out = " ".join(invoke("train", "experiments/iris.yaml").output.split())
    assert out.endswith(f"hint: did you mean {Path('experiments', 'iris_v2.yaml')}? experiments has: iris_v2.yaml"), out
    out = " ".join(invoke("train", "iris").output.split())  # a name alone: configs/'s, nothing like it here
    assert f"hint: did you mean {Path('configs', 'iris.yaml')}?" in out, out
    for look_alike in ("iris_mine.yaml", "iris2.yaml"):  # in the checkout, configs/'s stem beats a look-alike
        (here / look_alike).write_text("seed: 0\n")  # here, for `iris` as for `iris.yaml` (it offered iris_mine.yaml)
        for typed in ("iris", "iris.yaml"):
            out = " ".join(invoke("train", typed).output.split())
            assert f"hint: did you mean {Path('configs', 'iris.yaml')}?" in out, (look_alike, typed, out)

def test_the_checkout_configs_are_found_beside_the_installed_package():
    """This test suite runs from the checkout (pip install -e .): its configs/ is found."""
    from backprop_cli.config import _checkout_configs

    found = _checkout_configs()
    if Path(__import__("backprop_cli").__file__).resolve().parent.parent != ROOT / "src":
        pytest.skip("backprop_cli is not imported from this checkout's src/")
    assert found == ROOT / "configs"


def test_a_config_name_typed_in_the_checkout_is_offered_from_its_configs_folder(tmp_path, monkeypatch):
    """`backprop train iris.yaml` typed in the checkout, where configs/iris.yaml is: the hint said
    to run from the checkout; it offers configs/iris.yaml. (Installed without a checkout of its own:
    one it is installed from is offered by full path, the test above.)"""
    from backprop_cli import config as config_module

    monkeypatch.setattr(config_module, "_checkout_configs", lambda: None)
    (tmp_path / "configs").mkdir()
    (tmp_path / "configs" / "iris.yaml").write_text("seed: 0\n")
    monkeypatch.chdir(tmp_path)
    r = invoke("train", "iris.yaml")
    assert r.exit_code == 2
    out = " ".join(r.output.split())
    assert "hint: did you mean configs/iris.yaml? a relative path is read from the current folder" in out, out
    assert "run from the checkout" not in out
    r = invoke("train", "nothing_like_it.yaml")  # no near name there: where they are, not 'run from the checkout'
    out = " ".join(r.output.split())
    assert r.exit_code == 2 and "the shipped examples are in configs/ (iris.yaml)" in out, out
    assert "run from the checkout" not in out, out
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path / "elsewhere")  # outside a checkout (no configs/ here): where to look, as before
    out = " ".join(invoke("train", "nothing_like_it.yaml").output.split())
    assert "the shipped examples are in the repository's configs/ (run from the checkout)" in out, out
    monkeypatch.chdir(tmp_path)
    # once the current folder holds YAML files too (`backprop init` writes backprop.yaml there), the very
    # name under configs/ is still offered, before a look-alike here, and the folder's files are listed
    for name in ("backprop.yaml", "wrong.yaml"):
        (tmp_path / name).write_text("seed: 0\n")
    out = " ".join(invoke("train", "iris.yaml").output.split())
    assert "hint: did you mean configs/iris.yaml? a relative path is read from the current folder" in out, out
    assert out.endswith("the current folder has: backprop.yaml, wrong.yaml"), out
    out = " ".join(invoke("train", "wrng.yaml").output.split())  # a typo of a file here: that file
    assert "hint: did you mean wrong.yaml? the current folder has: backprop.yaml, wrong.yaml" in out, out
    out = " ".join(invoke("train", "nothing.yaml").output.split())  # names alike by their '.yaml' alone
    assert "did you mean" not in out and "the current folder has: backprop.yaml, wrong.yaml" in out, out


@pytest.mark.parametrize("argv, quoted", [
    (["train", "--set", "training={lr:", "0.5,", "epochs:", "20}", "-q"], "--set 'training={lr: 0.5, epochs: 20}'"),
    (["config", "show", "--set", "network.layers=[2,", "5,", "1]"], "--set 'network.layers=[2, 5, 1]'"),
])
def test_an_unquoted_set_value_split_by_the_shell_gets_the_quoted_form(argv, quoted, monkeypatch, capsys):
    """`--set training={lr: 0.5, epochs: 20}` without quotes said only "Got unexpected extra argument(s)
    (epochs: 20})" and "see backprop train --help": the hint now shows it quoted."""
    from backprop_cli import cli

    monkeypatch.setattr(sys, "argv", ["backprop", *argv])
    with pytest.raises(SystemExit) as info:
        cli.main()
    lines = capsys.readouterr().err.splitlines()
    assert info.value.code == 2 and len(lines) == 2 and lines[0].startswith("error: Got unexpected extra argument")
    assert lines[1] == f"hint: a --set value with spaces needs quotes: {quoted}"


@pytest.mark.parametrize("argv, hint", [
    (["train", "--batch-size", "2"], "batch-size is the config field training.batch_size: set it with --set "
                                     "training.batch_size=2"),
    (["train", "--activation=relu", "-q"], "activation is the config field network.activation: set it with --set "
                                           "network.activation=relu"),
    (["gradcheck", "--l2", "0.1"], "l2 is the config field training.l2: set it with --set training.l2=0.1"),
    (["config", "show", "--cost", "half squared error"],
     "cost is the config field cost: set it with --set 'cost=half squared error'"),
    (["explain", "-l", "L", "--layers", "2", "5", "1"],
     "layers is the config field network.layers: set it with --set network.layers=[…], e.g. --set "
     "network.layers=[2,5,1]"),
    (["train", "--lr-schedule"], "lr-schedule is the config field training.schedule: set it with --set "
                                 "training.schedule=VALUE"),
    (["train", "--plot"], "backprop plot DIR draws loss.png (and boundary.png) of a run saved with train --out DIR"),
    # a field the command has an option of its own for: that option first (train --eta 0.5 read only --set)
    (["train", "--eta", "0.5"], "eta is the config field training.learning_rate: set it with --lr 0.5 (or --set "
                                "training.learning_rate=0.5)"),
    (["train", "--num-epochs", "50"], "num-epochs is the config field training.epochs: set it with --epochs 50 (or "
                                      "--set training.epochs=50)"),
    (["train", "--checkpoint_every=5"], "checkpoint_every is the config field training.checkpoint_every: set it with "
                                        "--checkpoint-every 5 (or --set training.checkpoint_every=5)"),
    (["explain", "-l", "L", "--random-seed", "4"], "random-seed is the config field seed: set it with --seed 4 (or "
                                                   "--set seed=4)"),
    # gradcheck's --seed picks the examples, not the network's seed
    (["gradcheck", "--random-seed", "4"], "random-seed is the config field seed: set it with --set seed=4"),
    # ε of gradcheck and explain is the finite-difference step (it pointed at Adam's training.epsilon alone)
    (["gradcheck", "--epsilon", "1e-6"], "the finite-difference step ε is --eps: --eps 1e-6 (Adam's ε is the "
                                         "config field training.epsilon, set with --set training.epsilon=1e-6)"),
    (["explain", "-l", "L", "--epsilon=1e-6"], "explain picks its finite-difference step itself (ε = 1e-6 first); "
     "`backprop gradcheck --eps 1e-6` checks the gradients at a step you choose (Adam's ε is the config field "
     "training.epsilon, set with --set training.epsilon=1e-6)"),
    (["explain", "-l", "L", "--eps", "1e-4"], "explain picks its finite-difference step itself (ε = 1e-6 first); "
     "`backprop gradcheck --eps 1e-4` checks the gradients at a step you choose (Adam's ε is the config field "
     "training.epsilon, set with --set training.epsilon=1e-4)"),
    (["train", "--epsilon", "1e-6"], "epsilon is the config field training.epsilon: set it with --set "
                                     "training.epsilon=1e-6"),  # train's ε is Adam's
    # train --eps got click's "(Possible options: --epochs, …)" alone, where --epsilon named training.epsilon
    (["train", "--eps", "1e-8"], "Adam's ε is the config field training.epsilon: set it with --set "
                                 "training.epsilon=1e-8 (--eps is gradcheck's finite-difference step)"),
    (["config", "validate", "c.yaml", "--eps=1e-7"], "Adam's ε is the config field training.epsilon: set it with "
     "--set training.epsilon=1e-7 (--eps is gradcheck's finite-difference step)"),
])
def test_an_option_that_is_a_config_field_is_shown_as_its_set(argv, hint, monkeypatch, capsys):
    """`train --batch-size 2` said "No such option" and "see backprop train --help", where no option
    sets it: the config field is set with --set, and the hint now writes that --set out."""
    from backprop_cli import cli

    monkeypatch.setattr(sys, "argv", ["backprop", *argv])
    with pytest.raises(SystemExit) as info:
        cli.main()
    lines = capsys.readouterr().err.splitlines()
    assert info.value.code == 2 and len(lines) == 2 and lines[0].startswith("error: No such option: "), lines
    assert lines[1] == f"hint: {hint}"
    assert "Possible options" not in lines[0], lines  # click's '(Possible options: --lr, --out)' for --plot


_PROGRESS = ("train shows its progress by default: a bar on a terminal, else a line every training.log_every "
             "epochs; --quiet (-q) hides the bar")
_RESUME = "(--model is explain's and gradcheck's; predict and evaluate take the model as MODEL)"


@pytest.mark.parametrize("argv, hint", [
    (["train", "c1.yaml", "--verbose"], _PROGRESS),
    (["train", "c1.yaml", "-v"], _PROGRESS),
    (["explain", "-v"], "explain has no --verbose: --full shows every neuron and weight, --expand the full product chain"),
    (["train", "c1.yaml", "--model", "runs/c1"],
     f"train starts from a config; to continue a run: backprop train c1.yaml --out runs/c1 --resume {_RESUME}"),
    (["train", "--model", "runs/c1/model.npz"],
     f"train starts from a config; to continue a run: backprop train runs/c1/config.yaml --out runs/c1 --resume "
     f"{_RESUME}"),
    (["train", "--config", "c1.yaml"], "CONFIG is positional, not an option: backprop train c1.yaml"),
    (["train", "--epochs", "3", "--config=my run.yaml", "-q"],
     "CONFIG is positional, not an option: backprop train 'my run.yaml' --epochs 3 -q"),
    (["explain", "--config", "c1.yaml", "-l", "L"], "CONFIG is positional, not an option: backprop explain c1.yaml -l L"),
    (["gradcheck", "--config"], "CONFIG is positional, not an option: backprop gradcheck CONFIG"),
    (["config", "validate", "--config", "c1.yaml"], "CONFIG is positional, not an option: backprop config validate c1.yaml"),
    (["config", "show", "--config", "c1.yaml"], "CONFIG is positional, not an option: backprop config show c1.yaml"),
    (["evaluate", "runs/c1", "--config", "c1.yaml"],
     "evaluate takes a config as --data (its test split): backprop evaluate runs/c1 --data c1.yaml"),
    (["predict", "rows.csv", "--model", "runs/c1"], "MODEL is positional, not an option: backprop predict runs/c1 rows.csv"),
    # evaluate's --data, or another tool's --input: predict's rows are its second argument
    (["predict", "runs/c1", "--data", "rows.csv"],
     "INPUT_CSV is positional, after MODEL, not an option: backprop predict runs/c1 rows.csv"),
    (["predict", "-o", "p.csv", "--input=my rows.csv", "runs/c1"],
     "INPUT_CSV is positional, after MODEL, not an option: backprop predict -o p.csv runs/c1 'my rows.csv'"),
    (["predict", "--data", "rows.csv"], "INPUT_CSV is positional, after MODEL, not an option: backprop predict MODEL rows.csv"),
])
def test_an_option_other_tools_have_is_told_what_this_one_does_instead(argv, hint, backprop):
    """`train --verbose` offered "Possible options: --overwrite" (which deletes a run), `train --model
    runs/c1` offered --help and `train --config c1.yaml` nothing: each now says what to type."""
    code, out, err = backprop(*argv)
    lines = err.splitlines()
    assert code == 2 and len(lines) == 2 and lines[0].startswith("error: No such option: "), lines
    assert "Possible options" not in lines[0], lines
    assert lines[1] == f"hint: {hint}"


@pytest.mark.parametrize("argv", [
    ["train", "--verbose"], ["predict", "m.npz", "rows.csv", "--verbose"], ["train", "--write"],
    ["init", "--fork"], ["init", "--overview"],
])
def test_an_unknown_option_is_never_offered_an_option_that_deletes_files(argv, backprop):
    """Click's nearest names for `train --verbose` were "--overwrite", which removes the previous run:
    --overwrite and --force are never suggested for an option they are only similar to."""
    code, out, err = backprop(*argv)
    assert code == 2 and err.startswith(f"error: No such option: {argv[-1]}"), err
    assert "--overwrite" not in err and "--force" not in err, err


@pytest.mark.parametrize("argv, meant", [
    (["train", "--overwrit"], "--overwrite"), (["train", "--ovewrite"], "--overwrite"),
    (["init", "--forc"], "--force"), (["init", "--overwirte"], "--overwrite"),
])
def test_a_typo_of_a_destructive_option_is_still_told_its_name(argv, meant, backprop):
    """Who typed `--overwrit` meant --overwrite: a letter or two off, it is still suggested (only
    an option that merely shares letters with it, `--verbose`, is not)."""
    code, out, err = backprop(*argv)
    assert code == 2 and err.startswith(f"error: No such option: {argv[-1]} (Possible options: "), err
    assert meant in err.splitlines()[0], err


def test_clicks_nearest_option_still_stands_for_a_typo(backprop):
    code, out, err = backprop("train", "--epoch", "3")
    lines = err.splitlines()
    assert code == 2 and lines[0] == "error: No such option: --epoch (Possible options: --epochs)", lines
    assert len(lines) == 2 and lines[1].startswith("hint: see ") and lines[1].endswith("train --help"), lines


def test_out_has_the_short_name_o_in_every_command_that_has_it(tmp_path):
    """`predict … -o FILE` worked, `train … -o DIR` was "No such option: -o": every --out is -o too."""
    import typer.main

    command = typer.main.get_command(app)
    outs = {name: opt.opts for name, sub in [*command.commands.items(), *command.commands["config"].commands.items()]
            for opt in getattr(sub, "params", []) if "--out" in opt.opts}
    assert set(outs) == {"train", "predict", "plot"} and all("-o" in opts for opts in outs.values()), outs
    r = invoke("train", "--epochs", "3", "-q", "-o", tmp_path / "run")
    assert r.exit_code == 0, r.output
    assert (tmp_path / "run" / "model.npz").is_file()


@pytest.mark.parametrize("argv, says", [
    (["train", "-o", ""], "-o: '' is empty; give a file or folder name"),
    (["plot", "runs/x", "-o", ""], "-o: '' is empty; give a file or folder name"),
    (["train", "--out", ""], "--out: '' is empty; give a file or folder name"),
])
def test_a_bad_value_of_a_short_option_is_said_in_the_name_typed(argv, says, backprop):
    """`-o ''` read "Invalid value for '--out' / '-o': is empty; …", where `--out ''` reads "--out: '' is
    empty; …": the short name is said as the long one is."""
    code, out, err = backprop(*argv)
    assert code == 2 and out == "" and err.splitlines()[0] == f"error: {says}", err


@pytest.mark.parametrize("argv, key, joined", [
    (["train", "configs/xor.yaml", "--set", "training.epochs", "5"], "training.epochs", "--set training.epochs=5"),
    (["gradcheck", "configs/xor.yaml", "--set", "seed:", "3", "--examples", "2"], "'seed:'", "--set seed=3"),
    (["config", "show", "configs/xor.yaml", "--set=lr", "0.5"], "lr", "--set lr=0.5"),
])
def test_a_set_with_a_space_for_its_equals_sign_says_so(argv, key, joined, monkeypatch, capsys):
    """`--set training.epochs 5` after a CONFIG said only "Got unexpected extra argument(s) (5)" and
    "see backprop train --help": it is --set's missing '=', with the option joined."""
    from backprop_cli import cli

    monkeypatch.chdir(Path(__file__).parent.parent)
    monkeypatch.setattr(sys, "argv", ["backprop", *argv])
    with pytest.raises(SystemExit) as info:
        cli.main()
    lines = capsys.readouterr().err.splitlines()
    assert info.value.code == 2 and len(lines) == 2, lines
    assert lines[0] == f"error: --set {key}: expected KEY.PATH=VALUE, e.g. --set training.epochs=50"
    assert lines[1] == f"hint: KEY and VALUE are one word, joined by '=': {joined}"


@pytest.mark.parametrize("argv, joined", [
    (["train", "--set", "training.epochs", "5"], "--set training.epochs=5"),
    (["config", "show", "--set", "seed:", "3"], "--set seed=3"),
    (["explain", "--set=seed", "3", "--layer", "L"], "--set seed=3"),
    (["explain", "--model", "no.npz", "--set", "seed", "3", "-l", "L"], "--set seed=3"),
    (["train", "--set", "training.epochs", "5", "configs/xor.yaml"], "--set training.epochs=5"),
])
def test_a_set_with_a_space_and_no_config_is_joined_too(argv, joined, backprop, monkeypatch):
    """`backprop train --set training.epochs 5` with no CONFIG: the 5 was taken for the CONFIG, and
    --set's check said 'expected KEY.PATH=VALUE' with no hint; after a CONFIG the same mistake was
    shown joined. Both are now (and a CONFIG after it no longer reads as an extra argument)."""
    monkeypatch.chdir(Path(__file__).parent.parent)
    code, out, err = backprop(*argv)
    lines = err.splitlines()
    assert code == 2 and out == "" and len(lines) == 2, lines
    assert lines[0].startswith("error: --set ") and lines[0].endswith(": expected KEY.PATH=VALUE, e.g. --set "
                                                                       "training.epochs=50"), lines
    assert lines[1] == f"hint: KEY and VALUE are one word, joined by '=': {joined}"
    # a --set missing its VALUE before a config that exists: no made-up joined form
    code, out, err = backprop("train", "--set", "training.epochs", "configs/xor.yaml")
    assert code == 2 and err == ("error: --set training.epochs: expected KEY.PATH=VALUE, e.g. --set "
                                 "training.epochs=50\n"), err


@pytest.mark.parametrize("argv, item, value", [
    (["train", "--set", "training.epochs=", "5"], "training.epochs=", "5"),  # 5 taken for the CONFIG
    (["train", "configs/xor.yaml", "--set", "training.epochs=", "5"], "training.epochs=", "5"),  # an extra argument
    (["train", "--set", "training.epochs=", "5", "configs/xor.yaml"], "training.epochs=", "5"),
    (["config", "validate", "--set=network.activation=", "relu"], "network.activation=", "relu"),
])
def test_a_set_with_a_space_after_its_equals_sign_says_so(argv, item, value, backprop, monkeypatch):
    """bash completes `--set training.epoc<TAB>` to `training.epochs= ` (typer's script adds the space):
    `--set training.epochs= 5` then said `5: config file not found`."""
    monkeypatch.chdir(Path(__file__).parent.parent)
    code, out, err = backprop(*argv)
    key = item.removesuffix("=")
    assert code == 2 and out == "" and err == (
        f"error: --set {item} has no VALUE: {value} is a separate word, after a space\n"
        f"hint: KEY=VALUE is one word, with no space after the '=' (shell completion adds one after KEY=): "
        f"--set {key}={value}\n"), err


def test_a_set_with_nothing_after_its_equals_sign_is_null_and_says_where_the_value_goes(backprop, monkeypatch):
    monkeypatch.chdir(Path(__file__).parent.parent)
    code, out, err = backprop("train", "--set", "training.epochs=", "configs/xor.yaml")
    assert code == 2 and err == (
        "error: --set training.epochs=: null is not a whole number from 1 to 1,000,000 (YAML reads an "
        "empty value, null and ~ as no value)\n"
        "hint: --set training.epochs= gives no VALUE (YAML's null); write it right after the '=', no space "
        "between: --set training.epochs=VALUE\n"), err


@pytest.mark.parametrize("value, error, hint", [
    ("", "no VALUE after the '=' (YAML reads it as null, which would unset data.path)",
     "write the value right after the '=', no space between: --set data.path=VALUE"),
    ("#hash.csv", "YAML reads a VALUE starting with '#' as a comment, so it gives no value (null, which would "
     "unset data.path)", "quote it for YAML inside the shell's quotes: --set \"data.path='#hash.csv'\""),
    ("&x", "YAML reads this VALUE as no value (null, which would unset data.path)",
     "if it is text (a file name), quote it for YAML inside the shell's quotes: --set \"data.path='&x'\""),
])
@pytest.mark.parametrize("config", ["csv", "iris"])
def test_a_set_giving_no_value_to_a_field_that_takes_null_is_refused(value, error, hint, config, backprop, tmp_path,
                                                                       monkeypatch):
    """`--set data.path=$F` with F empty, or `--set data.path=#hash.csv` (a YAML comment), read as null:
    train ran the built-in xor (exit 0) where the config named a CSV, and on iris it said 'data.target:
    only used with data.path (a CSV file)'. A field that takes null is unset by a written null only."""
    (tmp_path / "good.csv").write_text("a,b,y\n0,0,0\n0,1,1\n1,0,1\n1,1,0\n")
    (tmp_path / "good.yaml").write_text("network:\n  layers: [2, 3, 1]\ndata:\n  path: good.csv\n  test_fraction: 0\n")
    path = tmp_path / "good.yaml" if config == "csv" else Path(__file__).parent.parent / "configs" / "iris.yaml"
    monkeypatch.chdir(tmp_path)
    for command in (["train", path, "--epochs", "1", "--out", "run"], ["config", "show", path]):
        code, out, err = backprop(*command, "--set", f"data.path={value}")
        assert code == 2 and out == "" and err == (
            f"error: --set data.path={value}: {error}\n"
            f"hint: {hint}; to unset data.path, write null: --set data.path=null\n"), err
        assert not (tmp_path / "run").exists()
    if config == "csv":  # a written null unsets it, as before
        code, out, err = backprop("config", "show", path, "--set", "data.path=null")
        assert code == 0 and "  path: null\n" in out, err


@pytest.mark.parametrize("value", ["!!null", "!!null ''", "!<tag:yaml.org,2002:null>", "!!null  # unset"])
def test_a_set_of_a_tagged_null_is_a_written_null(value, backprop, monkeypatch):
    """--set data.path=!!null, YAML's explicit null, was refused as 'YAML reads this VALUE as no value' and
    told to quote it, where --set data.path=null unsets the field; where null is refused
    (training.epochs), it was hinted to be 'no VALUE', as an empty one is."""
    monkeypatch.chdir(Path(__file__).parent.parent)
    code, out, err = backprop("config", "show", "configs/xor.yaml", "--set", f"data.path={value}")
    assert code == 0 and "  path: null\n" in out, err
    code, out, err = backprop("train", "configs/xor.yaml", "--set", f"training.epochs={value}")
    assert code == 2 and err == (f"error: --set training.epochs={value}: null is not a whole number from 1 to "
                                 "1,000,000 (YAML reads an empty value, null and ~ as no value)\n"), err


@pytest.mark.parametrize("value", ["@x", "*", "[x].csv", "%x"])
def test_a_set_value_yaml_reads_as_its_syntax_is_told_to_quote_it(value, backprop, monkeypatch):
    monkeypatch.chdir(Path(__file__).parent.parent)
    code, out, err = backprop("config", "show", "configs/xor.yaml", "--set", f"data.path={value}")
    lines = err.splitlines()
    assert code == 2 and len(lines) == 2 and lines[0].startswith("error: --set data.path: YAML error"), err
    assert lines[1] == ("hint: if it is text (a file name), quote it for YAML inside the shell's quotes: "
                        f"--set \"data.path='{value}'\""), err


def test_a_set_of_a_yaml_comment_where_null_is_refused_says_it_is_a_comment(backprop, monkeypatch):
    monkeypatch.chdir(Path(__file__).parent.parent)
    code, out, err = backprop("train", "configs/xor.yaml", "--set", "training.epochs=#5")
    assert code == 2 and err.splitlines()[1] == (
        "hint: --set training.epochs=#5 gives no VALUE (YAML's null): YAML reads a VALUE starting with # as a comment; "
        "write the value itself, quoted for YAML if it is text: --set \"training.epochs='#5'\""), err


@pytest.mark.parametrize("command, vary", [
    (["train"], ", or vary one config with --set (e.g. --set training.epochs=50)"),
    (["explain"], ", or vary one config with --set (e.g. --set network.activation=relu)"),
    (["gradcheck"], ", or vary one config with --set (e.g. --set network.activation=relu)"),
    (["config", "validate"], ""), (["config", "show"], ""),
])
def test_two_configs_for_one_config_says_so_and_how_to_run_both(command, vary, backprop, monkeypatch):
    """`backprop train a.yaml b.yaml` said only "Got unexpected extra argument(s) (b.yaml)" and
    "see backprop train --help": the command takes one CONFIG; run one per config (or --set)."""
    monkeypatch.chdir(Path(__file__).parent.parent)
    code, out, err = backprop(*command, "configs/xor.yaml", "configs/iris.yaml")
    name = " ".join(command)
    assert code == 2 and out == "" and err.splitlines() == [
        f"error: {name} takes one CONFIG, but got 2: configs/xor.yaml and configs/iris.yaml",
        f"hint: run one command per config (backprop {name} configs/xor.yaml, then backprop {name} "
        f"configs/iris.yaml){vary}"], err
    code, _, err = backprop(*command, "configs/xor.yaml", "5")  # not a config: click's words, but train's number
    said = (f"{name} takes one CONFIG; 5 is an extra argument (" if name in ("train", "explain", "gradcheck")
            else "Got unexpected extra argument")
    assert code == 2 and err.startswith(f"error: {said}"), err


@pytest.mark.parametrize("extra, said", [
    (["5"], "5 is an extra argument (meant as --epochs 5 or --seed 5?)"),
    (["0"], "0 is an extra argument (meant as --seed 0?)"),
    (["0.5"], "0.5 is an extra argument (meant as --lr 0.5?)"),
    (["1e3"], "1e3 is an extra argument (meant as --epochs 1000 or --seed 1000?)"),  # --epochs 1e3 is refused
    (["2.0"], "2.0 is an extra argument (meant as --epochs 2 or --seed 2?)"),
    (["1e300"], "1e300 is an extra argument"),  # no option takes it (was --lr 1e300)
    (["--epochs", "3", "5"], "5 is an extra argument (meant as --seed 5?)"),  # an option typed is not offered
    (["--learning-rate=0.1", "0.5"], "0.5 is an extra argument"),
])
def test_a_number_after_trains_config_says_which_option_it_may_be_for(extra, said, backprop, monkeypatch):
    """`backprop train a.yaml 5` said "Got unexpected extra argument(s) (5)": train takes one CONFIG,
    and a number typed alone was most likely --epochs's (or --seed's; a fraction --lr's)."""
    monkeypatch.chdir(Path(__file__).parent.parent)
    code, out, err = backprop("train", "configs/xor.yaml", *extra)
    lines = err.splitlines()
    assert code == 2 and out == "" and len(lines) == 2, err
    assert lines[0] == f"error: train takes one CONFIG; {said}", err
    # the program as click names it: backprop, or "python -m pytest" under plain pytest
    assert lines[1].startswith("hint: see ") and lines[1].endswith(" train --help"), err
    for words in (["oops"], ["5", "6"], ["nan"]):  # not one number: click's words, as before
        code, _, err = backprop("train", "configs/xor.yaml", *words)
        assert code == 2 and err.startswith("error: Got unexpected extra argument(s) ("), err


@pytest.mark.parametrize("command, extra, said", [
    ("explain", ["2"], "2 is an extra argument (meant as --layer 2 or --example 2?)"),
    ("explain", ["0"], "0 is an extra argument (meant as --example 0?)"),  # layers count from 1
    ("explain", ["-l", "1", "2"], "2 is an extra argument (meant as --example 2?)"),  # -l is --layer
    ("explain", ["0.5"], "0.5 is an extra argument"),
    ("gradcheck", ["4"], "4 is an extra argument (meant as --examples 4 or --seed 4?)"),
    ("gradcheck", ["1e-6"], "1e-6 is an extra argument (meant as --eps 1e-6?)"),
    ("gradcheck", ["--eps=1e-6", "1e-7"], "1e-7 is an extra argument"),
    ("gradcheck", ["--convergence", "1e-6"], "1e-6 is an extra argument"),  # --eps is refused with it
    ("explain", ["--all-layers", "2"], "2 is an extra argument (meant as --example 2?)"),  # so is --layer
])
def test_a_number_after_explains_or_gradchecks_config_says_which_option_it_may_be_for(
        command, extra, said, backprop, monkeypatch):
    """As train's: `backprop explain a.yaml 2` said "Got unexpected extra argument(s) (2)"."""
    monkeypatch.chdir(Path(__file__).parent.parent)
    code, out, err = backprop(command, "configs/xor.yaml", *extra)
    lines = err.splitlines()
    assert code == 2 and out == "" and lines[0] == f"error: {command} takes one CONFIG; {said}", err


def test_an_unquoted_set_value_read_in_part_says_to_quote_it():
    """`--set training={lr: 0.5}`: its second word was taken as CONFIG, so the YAML error on 'training={lr:'
    came with no word on why; a value merely missing its bracket gets no such hint."""
    r = runner.invoke(app, ["config", "show", "--set", "training={lr:", "0.5}"])
    lines = r.stderr.splitlines()
    assert r.exit_code == 2 and lines[0].startswith("error: --set training: YAML error"), r.output
    assert lines[1] == ("hint: a --set value with spaces needs quotes, or the shell splits it at each space: "
                        "--set 'training={lr: …'"), r.output
    r = runner.invoke(app, ["config", "show", "--set", "network.layers=[2,3"])
    assert r.exit_code == 2 and len(r.stderr.splitlines()) == 1, r.output


def _regression_config(tmp_path: Path, rows: str, extra: str = "") -> Path:
    (tmp_path / "d.csv").write_text("a,b,y\n" + rows)
    config = tmp_path / "c.yaml"
    config.write_text("data: {path: d.csv, target: y, task: regression, test_fraction: 0" + extra + "}\n"
                      "network: {layers: [2, 3, 1], output_activation: linear}\ncost: squared_error\n"
                      "training: {epochs: 2}\n")
    return config


def test_targets_too_large_in_a_file_a_set_names_are_the_sets_with_the_config(tmp_path, monkeypatch):
    """`--set data.path=huge.csv` whose targets overflow the config's cost: the --set and the config (the cost is
    the config's), not the config alone, which has no such targets; its own such file names it alone."""
    monkeypatch.chdir(tmp_path)
    config = _regression_config(tmp_path, "1,2,0.5\n3,4,-3\n")
    (tmp_path / "huge.csv").write_text("a,b,y\n1,2,0.5\n3,4,1e200\n")
    r = invoke("config", "validate", config, "--set", "data.path=huge.csv")
    assert r.exit_code == 2 and r.stderr.startswith(
        f"error: {config} with --set data.path=huge.csv: the targets of {tmp_path}/huge.csv are too large for the "
        "cost squared_error: summed over its 2 rows it overflows"), r.stderr
    config.write_text(config.read_text().replace("d.csv", "huge.csv"))
    r = invoke("config", "validate", config, "--set", "training.epochs=3")
    assert r.exit_code == 2 and r.stderr.startswith(f"error: {config}: the targets of {tmp_path}/huge.csv are too "
                                                    "large"), r.stderr


def test_targets_whose_squared_error_overflows_are_refused_before_training(tmp_path):
    """y = 1e200: (a − y)² is inf at any output near 0, so the run 'diverged at epoch 1' (exit 1)
    with a hint to lower the learning rate, which no learning rate could satisfy."""
    config = _regression_config(tmp_path, "1,2,0.5\n3,4,1e200\n2,2,-3\n")
    for args in (["train", config, "--lr", "1e-12", "--out", tmp_path / "run"], ["config", "validate", config]):
        r = invoke(*args)
        assert r.exit_code == 2 and "Traceback" not in r.output, r.output
        assert ("the targets of " in r.output and "are too large for the cost squared_error: summed over its "
                "3 rows it overflows even for outputs of 0 (column y holds 1e+200)" in r.output), r.output
        assert "learning rate" not in r.output and not (tmp_path / "run").exists()
    # large but summable targets still train (and cross-entropy's 0/1 targets are never refused)
    assert invoke("train", _regression_config(tmp_path, "1,2,0.5\n3,4,1e100\n"), "--quiet").exit_code in (0, 1)
    assert invoke("config", "validate", ROOT / "configs" / "iris.yaml").exit_code == 0


def test_explain_and_gradcheck_still_take_the_rows_beside_a_huge_target(tmp_path):
    """The refusal of targets whose squared error overflows is train's (and config validate's):
    explain and gradcheck refused every example of such a file 'so training could only diverge',
    though they train nothing and judge only the rows they take, each of its own cost."""
    config = _regression_config(tmp_path, "1,2,0.5\n3,4,1e200\n2,2,-3\n")
    for args in (["explain", config, "--layer", "L", "--example", "0"],
                 ["gradcheck", config, "--examples", "1", "--seed", "0"]):
        r = invoke(*args)
        assert r.exit_code == 0 and "could only diverge" not in r.output, (args, r.output)
    r = invoke("explain", config, "--layer", "L", "--example", "1")  # the row of 1e200 itself: its own cost
    assert r.exit_code == 2 and "the cost C0 of this example is inf" in r.output, r.output
    r = invoke("gradcheck", config)  # every row, that one too
    assert r.exit_code == 2 and "the cost of the 3 checked examples is inf" in r.output, r.output


def test_a_cost_that_overflows_on_a_huge_target_names_the_target_not_the_weights(tmp_path):
    """y = 1e200 on the checked example: explain's and gradcheck's hint said 'smaller weights,
    standardized inputs', which cannot help; the target (column, row) is named as the cause.
    Outputs of 1e200 (huge weights, y small) still get the weights and inputs advice."""
    config = _regression_config(tmp_path, "1,2,0.5\n3,4,1e200\n2,2,-3\n")
    r = invoke("explain", config, "--layer", "L", "--example", "1")
    assert r.exit_code == 2 and "Traceback" not in r.output, r.output
    assert ("its target 1e+200 (column y, row 1 of the training split) is too large for the cost "
            "squared_error" in r.output and "hint: scale column y down" in r.output), r.output
    assert "smaller weights" not in r.output and "standardized" not in r.output, r.output
    r = invoke("gradcheck", config)
    assert r.exit_code == 2 and "Traceback" not in r.output, r.output
    assert ("(the cost squared_error of checked example 1, row 1 of the training split, overflows: its target in "
            "column y is 1e+200; the weights and inputs are not the cause)" in r.output), r.output
    assert "hint: scale column y down" in r.output and "smaller weights" not in r.output, r.output
    big = tmp_path / "w.yaml"  # the outputs overflow the cost: |a| near 1e200, y near 1
    big.write_text("data: {path: d.csv, target: y, task: regression, test_fraction: 0}\n"
                   "network: {layers: [2, 1, 1], output_activation: linear, activation: sigmoid, "
                   "weights: [[[0, 0]], [[1e200]]], biases: [[0], [0]]}\ncost: squared_error\n")
    (tmp_path / "d.csv").write_text("a,b,y\n1,2,0.5\n")
    for args in (["explain", big, "--layer", "L"], ["gradcheck", big]):
        r = invoke(*args)
        assert r.exit_code == 2 and "smaller weights" in r.output and "target" not in r.output, (args, r.output)


@pytest.mark.parametrize("rows,column,value", [("1,2,0.5\n3,4,1e100\n", "target column y", "1e+100"),
                                               ("1,2,0.5\n3,1e50,2\n", "input column b", "1e+50"),
                                               ("1,2,0.5\n3,-1e50,2\n", "input column b", "-1e+50")])
def test_numbers_beyond_float32_are_refused_for_a_float32_run(tmp_path, rows, column, value):
    """training.dtype: float32 cast 1e100 to inf with numpy's RuntimeWarning, then refused it as
    'train_set.Y: row 0 holds NaN or an infinite value' (the Python API's argument, a shuffled
    row); config validate said valid. Both now name the column and the value."""
    config = _regression_config(tmp_path, rows, ", standardize: false")
    for args in (["train", config, "--set", "training.dtype=float32"],
                 ["config", "validate", config, "--set", "training.dtype=float32"]):
        r = invoke(*args)
        assert r.exit_code == 2 and "RuntimeWarning" not in r.output and "train_set" not in r.output, r.output
        # the --set that asked for float32 is named, the field once (it was 'CONFIG: training.dtype: …')
        assert "error: --set training.dtype=float32: float32 cannot hold " in r.output
        assert f"'s {column}: it has {value}" in r.output
        assert "hint: use training.dtype: float64" in r.output
    assert invoke("train", config, "--quiet").exit_code in (0, 1)  # float64 holds them


def test_targets_too_large_for_half_squared_error_are_refused_too(tmp_path):
    """½ (1e200)² is inf as (1e200)² is: half_squared_error's run could only diverge as well."""
    config = _regression_config(tmp_path, "1,2,0.5\n3,4,1e200\n2,2,-3\n")
    config.write_text(config.read_text().replace("cost: squared_error", "cost: half_squared_error"))
    r = invoke("config", "validate", config)
    assert r.exit_code == 2 and "too large for the cost half_squared_error" in r.output, r.output


def test_targets_are_refused_when_only_their_sum_over_the_rows_overflows(tmp_path):
    """(1.3e154)² = 1.69e308 is below float64's 1.797e308, twice it is not: two such rows overflow the
    summed cost though each row's is finite; one such row beside a small one does not."""
    r = invoke("config", "validate", _regression_config(tmp_path, "1,2,1.3e154\n3,4,-1.3e154\n"))
    assert r.exit_code == 2 and "summed over its 2 rows it overflows even for outputs of 0" in r.output, r.output
    r = invoke("config", "validate", _regression_config(tmp_path, "1,2,1.3e154\n3,4,0.5\n"))
    assert r.exit_code == 0, r.output


def test_a_number_beyond_float32_in_the_test_split_is_named_too(tmp_path):
    """The test split is cast to float32 as the training split is: 1e50 there is named, not cast to inf."""
    config = _regression_config(tmp_path, "1,2,0.5\n3,1e50,2\n2,2,1\n4,1,3\n", ", standardize: false")
    config.write_text(config.read_text().replace("test_fraction: 0", "test_fraction: 0.75"))
    for seed in range(4):  # the row of 1e50 lands in the test split for some seeds, in training for others
        r = invoke("config", "validate", config, "--set", "training.dtype=float32", "--set", f"seed={seed}")
        assert r.exit_code == 2 and "RuntimeWarning" not in r.output, r.output
        assert "error: --set training.dtype=float32: float32 cannot hold " in r.output
        assert "'s input column b: it has 1e+50" in r.output


def test_huge_target_blames_the_target_only_when_it_is_at_least_every_output():
    """Hand cases of costs.huge_target: the target is the cause when its |y_j| is at least every |a|
    (then |a − y| ≤ 2|y_j|, nothing the weights do could help); else the outputs are."""
    from backprop_cli.costs import huge_target

    assert huge_target([0.0, 1.0], [3.0, 1e200]) == 1
    assert huge_target([-1e200], [1e200]) == 0               # equal sizes: still the target's (at least)
    assert huge_target([1e300, 1.0], [0.0, 1e200]) is None   # another output is larger: the outputs' doing
    assert huge_target([1e250], [1e200]) is None


def test_a_repeated_number_option_is_judged_by_the_value_used(backprop):
    """click uses the last of `--epochs 5 --epochs abc`: the error names abc, not 5."""
    code, out, err = backprop("train", "--epochs", "5", "--epochs", "abc")
    assert code == 2 and err.splitlines()[0] == ("error: --epochs: abc is not a whole number; it must be a whole "
                                                 "number of at least 1"), err


def test_an_extra_argument_after_a_well_formed_set_does_not_blame_the_set(backprop, monkeypatch):
    monkeypatch.chdir(Path(__file__).parent.parent)
    code, out, err = backprop("train", "configs/xor.yaml", "--set", "training.epochs=5", "oops")
    assert code == 2 and err.startswith("error: Got unexpected extra argument") and "KEY.PATH" not in err, err
    code, out, err = backprop("train", "configs/xor.yaml", "--set=training.epochs=5", "oops")
    assert code == 2 and err.startswith("error: Got unexpected extra argument") and "KEY.PATH" not in err, err


def test_two_configs_the_first_from_standard_input_are_both_listed(backprop, monkeypatch):
    monkeypatch.chdir(Path(__file__).parent.parent)
    code, out, err = backprop("train", "-", "configs/xor.yaml")
    assert code == 2 and err.splitlines()[0] == "error: train takes one CONFIG, but got 2: - and configs/xor.yaml", err


@pytest.mark.parametrize("args, words", [
    ((True, 1, 1_000_000), "a whole number from 1 to 1,000,000"),
    ((False, 0, 1, False, True), "a number of at least 0 and less than 1"),
    ((False, 0, 1, True, False), "a number greater than 0 and at most 1"),
    ((True, None, 5), "a whole number of at most 5"),
    ((False, None, 2.5, False, True), "a number less than 2.5"),
    ((True, 0), "a whole number of at least 0"),
    ((False, 0, None, True), "a number greater than 0"),
    ((True,), "a whole number"),
])
def test_allowed_number_words_every_kind_of_range(args, words):
    """The words of commands.common.allowed_number for each combination of bounds, written by hand."""
    from backprop_cli.commands.common import allowed_number

    assert allowed_number(*args) == words


@pytest.mark.parametrize("command, extra, said", [
    ("gradcheck", ["0"], "error: gradcheck takes one CONFIG; 0 is an extra argument (meant as --seed 0?)"),  # --examples ≥ 1
    ("train", ["1_0"], "error: Got unexpected extra argument(s) (1_0)"),  # a number to Python, not to this tool
])
def test_a_stray_number_offers_only_options_that_accept_it(command, extra, said, backprop, monkeypatch):
    monkeypatch.chdir(Path(__file__).parent.parent)
    code, out, err = backprop(command, "configs/xor.yaml", *extra)
    assert code == 2 and out == "" and err.splitlines()[0] == said, err


@pytest.mark.parametrize("extra, said", [
    (["data/iris.csv"], "error: evaluate takes one MODEL; data/iris.csv is an extra argument (meant as --data data/iris.csv?)"),
    (["configs/iris.yaml"], "error: evaluate takes one MODEL; configs/iris.yaml is an extra argument (meant as --data "
                            "configs/iris.yaml?)"),
    (["data/iris.csv", "--data", "data/iris.csv"], "error: Got unexpected extra argument(s) (data/iris.csv)"),
    (["notes"], "error: Got unexpected extra argument(s) (notes)"),  # no data named: click's words
])
def test_evaluate_with_its_data_typed_as_predict_takes_it_offers_data(extra, said, backprop, tmp_path, monkeypatch):
    """predict takes MODEL CSV, evaluate MODEL --data CSV: the same habit typed for evaluate got only
    click's "Got unexpected extra argument(s) (data/iris.csv)"."""
    model = tmp_path / "model.npz"
    model.write_bytes(b"")  # click checks only that MODEL exists before the extra argument is refused
    monkeypatch.chdir(Path(__file__).parent.parent)
    code, out, err = backprop("evaluate", model, *extra)
    assert code == 2 and out == "" and err.splitlines()[0] == said, err


def test_the_summary_groups_the_thousands_of_its_examples():
    r = invoke("train", str(Path(__file__).parent.parent / "configs" / "digits.yaml"), "--epochs", "1", "--quiet")
    assert r.exit_code == 0, r.output
    row = next(line for line in r.output.splitlines() if "examples" in line)
    assert "1,438" in row and "359" in row, row


def test_a_test_cost_that_overflows_gets_a_warning_naming_where_to_look(tmp_path):
    """A test row of inputs far beyond the training rows' (x = 1e160, a linear network) overflows
    its cost: the table read "test … inf" with no word of why, where evaluate refuses the row."""
    import json
    import random

    r = random.Random(0)
    rows = ["x,y"] + [f"{r.random():.4f},{r.random():.4f}" for _ in range(39)] + ["1e160,0.5"]
    (tmp_path / "rows.csv").write_text("\n".join(rows) + "\n")
    (tmp_path / "c.yaml").write_text(
        "seed: 1\ndata: {path: rows.csv, target: y, test_fraction: 0.5}\n"
        "network: {layers: [1, 4, 1], activation: linear, output_activation: linear}\n"
        "cost: squared_error\ntraining: {epochs: 5, learning_rate: 0.1}\n")
    res = invoke("train", str(tmp_path / "c.yaml"), "--json")
    assert res.exit_code == 0, res.output
    summary = json.loads(res.stdout)
    assert summary["test_cost"] is None and summary["train_cost"] < 1, summary
    assert summary["warnings"] == [
        "the test cost is inf: the cost of a test row overflows (its inputs or target far beyond the training "
        "rows'?); backprop evaluate on the saved model names it"]


def _epoch_lines(output: str) -> list[str]:
    return [line for line in output.splitlines() if line.startswith("epoch ")]


def test_an_early_stopped_runs_log_ends_at_its_last_epoch_and_the_summary_says_whose_weights():
    """A run stopped early at epoch 138 logged `epoch 100/500` last (the README promises the last
    epoch) and titled its table "on the final weights", which were epoch 118's, the best."""
    r = invoke("train", ROOT / "configs" / "sine.yaml", "--quiet", "--epochs", "300", "--set",
               "training.early_stopping=true", "--set", "training.patience=5", "--set", "data.validation_fraction=0.2",
               "--set", "training.learning_rate=0.5")
    assert r.exit_code == 0, r.output
    trained = int(re.search(r" · (\d+) epochs · ", r.stdout).group(1))
    best = int(re.search(r"kept the weights of epoch (\d+)", r.stdout).group(1))
    assert best < trained < 300 and trained % 30 != 0, (best, trained)  # stopped between two log lines
    lines = _epoch_lines(r.stdout)
    assert lines[-1].startswith(f"epoch {trained:>3}/300  train cost "), lines
    assert len(lines) == len(set(lines)) == 1 + trained // 30 + 1, lines
    assert f"training summary, on the weights of epoch {best} (the best)" in r.stdout
    assert "on the final weights" not in r.stdout


def test_a_run_that_ends_on_its_last_epoch_logs_it_once_with_the_final_weights():
    r = invoke("train", "--quiet", "--epochs", "45")
    assert r.exit_code == 0, r.output
    lines = _epoch_lines(r.stdout)
    assert [line.split()[1] for line in lines] == ["1/45", "5/45", *(f"{e}/45" for e in range(10, 46, 5))], lines
    assert "training summary, on the final weights" in r.stdout


def test_a_diverged_runs_log_ends_at_the_last_epoch_before_it_diverged():
    """ηλ = 5 makes the weights grow fourfold an epoch until the L2 penalty overflows at epoch 256:
    the log ended at `epoch 240/400`, fifteen epochs before the error."""
    r = invoke("train", "--quiet", "--epochs", "400", "--lr", "1", "--set", "training.l2=5")
    assert r.exit_code == 1, r.output
    diverged = int(re.search(r"training diverged at epoch (\d+)", r.stderr).group(1))
    assert diverged % 40 not in (0, 1), diverged
    assert _epoch_lines(r.stdout)[-1].startswith(f"epoch {diverged - 1:>3}/400  train cost "), r.stdout


def test_a_diverged_run_draws_its_cost_curve_up_to_the_last_epoch_before_it_diverged():
    """Its log ended at `epoch 12/500  train cost 3.55186e+291` and the error: the blow-up, the curve
    a learner most wants to see, was drawn nowhere (no chart, no files without --out)."""
    r = invoke("train", ROOT / "configs" / "sine.yaml", "--lr", "1", "--quiet")
    assert r.exit_code == 1, r.output
    diverged = int(re.search(r"training diverged at epoch (\d+)", r.stderr).group(1))
    assert "cost per epoch" in r.stdout and "cost (log scale)" in r.stdout, r.stdout
    axis = [line for line in r.stdout.splitlines() if line.rstrip().endswith("epoch")][-1]
    assert axis.split()[-2] == str(diverged - 1), axis  # the last epoch finished
    assert r.stdout.index("cost per epoch") > r.stdout.index(f"epoch {diverged - 1:>3}/500")
    # --json: stdout stays empty (no object for a failed run), the progress alone on stderr
    r = invoke("train", ROOT / "configs" / "sine.yaml", "--lr", "1", "--quiet", "--json")
    assert r.exit_code == 1 and r.stdout == "" and "cost per epoch" not in r.stderr, r.output


def test_an_interrupted_runs_log_ends_at_the_epoch_it_stopped_after(tmp_path, monkeypatch):
    """Ctrl-C (or SIGTERM) after epoch 251 of 2000: the log ended at `epoch 200/2000`."""
    from backprop_cli.commands import train

    asked = iter(range(10**9))
    monkeypatch.setattr(train._StopOnSignal, "requested", lambda self: next(asked) >= 250)  # after epoch 251
    r = invoke("train", "--quiet", "--out", tmp_path / "run")
    assert r.exit_code == 130, r.output
    assert "interrupted (after epoch 251)" in r.stderr, r.stderr
    assert [line.split()[1] for line in _epoch_lines(r.stdout)] == ["1/2000", "200/2000", "251/2000"], r.stdout


def test_a_float32_run_says_so_in_its_summary_and_json():
    """`--set training.dtype=float32` trained in float32, and neither the summary line nor --json said so."""
    iris = ROOT / "configs" / "iris.yaml"
    r = invoke("train", iris, "--set", "training.dtype=float32", "--epochs", "3", "--quiet")
    assert r.exit_code == 0, r.output
    assert r.stdout.splitlines()[-1].startswith("network 4-8-3 tanh/softmax, cross_entropy · 3 epochs · sgd η = 0.1 "
                                                "· batch 16 · float32 · ")
    r = invoke("train", iris, "--epochs", "3", "--quiet")
    assert "float" not in r.stdout.splitlines()[-1]  # float64, the default, is not said
    assert json.loads(invoke("train", iris, "--set", "training.dtype=float32", "--epochs", "3", "--json").stdout)[
        "dtype"] == "float32"


def _completions(words: str) -> list[str]:
    """What bash's completion (typer's, installed by --install-completion) offers for the words typed."""
    cword = len(words.split()) - (0 if words.endswith(" ") else 1)
    r = runner.invoke(app, [], prog_name="backprop", env={"_BACKPROP_COMPLETE": "complete_bash",
                                                           "COMP_WORDS": words, "COMP_CWORD": str(cword)})
    assert r.exit_code == 0, r.output
    return r.stdout.split()


def test_shell_completion_offers_commands_data_sets_and_set_keys():
    """Shell completion was untested, and offered files for `init --dataset` and `--set`."""
    assert _completions("backprop tr") == ["train"]
    assert _completions("backprop config v") == ["validate"]
    assert _completions("backprop init --dataset ") == ["xor", "circles", "moons", "spirals", "sine"]
    assert _completions("backprop init -d s") == ["spirals", "sine"]
    assert _completions("backprop train --set training.ep") == ["training.epochs=", "training.epsilon="]
    assert _completions("backprop config show --set network.l") == ["network.layers="]
    assert _completions("backprop train --set training.epochs=5") == []  # the value is the user's
    assert _completions("backprop gradcheck --mode f") == ["full", "fast"]  # they completed nothing
    assert _completions("backprop explain --format ") == ["rich", "markdown", "json"]
    from backprop_cli.commands.init import DATASET_NAMES
    from backprop_cli.config import DATASETS, canonical_field_path, field_paths

    assert set(DATASET_NAMES) <= set(DATASETS)
    assert all(canonical_field_path(p) == p for p in field_paths())  # each a key --set takes as written
    keys = _completions("backprop gradcheck --set ")
    assert len(keys) == len(field_paths()) and "training.min_delta=" in keys and "seed=" in keys


def test_a_softmax_output_narrower_than_the_datas_classes_is_blamed_on_the_layers_not_softmax(tmp_path):
    """iris (3 classes) with --set network.layers=[4,8,1] was told 'softmax over a single output …; use 2 or more
    outputs (layers: [..., 2] for two classes)': the data's 3 classes decide the width, [4, …, 3]."""
    from backprop_cli.config import load_config
    from backprop_cli.errors import ConfigError

    r = invoke("train", ROOT / "configs" / "iris.yaml", "--set", "network.layers=[4,8,1]", "--quiet")
    assert r.exit_code == 2 and "Traceback" not in r.output, r.output
    said = " ".join(r.output.split())
    assert said.startswith("error: --set network.layers=[4,8,1]: network.layers[-1]: 1 does not match the data"), said
    assert "has 4 inputs and 3 outputs; use layers: [4, …, 3] (3 classes: setosa 50 rows" in said
    assert "softmax" not in said
    r = invoke("train", ROOT / "configs" / "spirals.yaml", "--set", "network.layers=[2,64,1]", "--quiet")
    assert r.exit_code == 2 and "use layers: [2, …, 3]" in r.output and "softmax" not in r.output, r.output
    with pytest.raises(ConfigError, match=r"network\.layers\[-1\]: 1 does not match the data"):
        load_config(ROOT / "configs" / "iris.yaml", {"network.layers": [4, 8, 1]})
    # two classes fit one output: the softmax rule's own advice, [..., 2], stands; so it does when the data
    # cannot be read (its own error comes once the layers are right)
    r = invoke("train", "--set", "network.output_activation=softmax", "--set", "cost=cross_entropy", "--quiet")
    assert r.exit_code == 2 and "softmax over a single output is always 1" in r.output, r.output
    r = invoke("train", ROOT / "configs" / "iris.yaml", "--set", "network.layers=[4,8,1]",
               "--set", f"data.path={tmp_path / 'gone.csv'}", "--quiet")
    assert r.exit_code == 2 and "softmax over a single output is always 1" in r.output, r.output


@pytest.mark.parametrize("kind", ["npz", "csv"])
def test_one_hot_target_columns_train_as_classes_with_a_note(tmp_path, kind):
    """y = np.eye(3)[labels] in an .npz, or a CSV's target: [a, b, c] of 0s and 1s, under a softmax output with
    cross-entropy trained as regression: no accuracy, no class report, no word. Under data.task: auto they are
    the classes they encode, said in a note; data.task: regression keeps them numbers, without the note."""
    rng = np.random.default_rng(0)
    labels = np.arange(30) % 3
    X = rng.normal(size=(30, 2)) + labels[:, None]
    Y = np.eye(3)[labels]
    if kind == "npz":
        np.savez(tmp_path / "d.npz", X=X, y=Y)
        data = {"path": str(tmp_path / "d.npz")}
        where, classes = f"the targets of {tmp_path / 'd.npz'} (y0, y1, y2)", "3 classes (0, 1, 2)"
    else:
        rows = [",".join(f"{v:g}" for v in (*x, *y)) for x, y in zip(X, Y)]
        (tmp_path / "d.csv").write_text("u,v,red,green,blue\n" + "\n".join(rows) + "\n")
        data = {"path": str(tmp_path / "d.csv"), "target": ["red", "green", "blue"]}
        where, classes = "data.target [red, green, blue]", "3 classes (red, green, blue)"
    config = tmp_path / "c.yaml"
    config.write_text(json.dumps({"data": {**data, "test_fraction": 0.2}, "cost": "cross_entropy",
                                  "network": {"layers": [2, 4, 3], "output_activation": "softmax"},
                                  "training": {"epochs": 2, "learning_rate": 0.1}}))
    r = invoke("train", config, "--json")
    assert r.exit_code == 0, r.output
    summary = json.loads(r.stdout)
    assert summary["task"] == "classification" and summary["train_accuracy"] is not None
    assert summary["test_accuracy"] is not None
    note = " ".join(r.stderr.split())
    assert (f"note: {where}: every row is one-hot (a single 1, the rest 0), so data.task: auto reads the 3 columns "
            f"as {classes}, with accuracy and a stratified split; set data.task: regression to fit them as "
            "numbers") in note, r.stderr
    r = invoke("train", config, "--json", "--set", "data.task=regression")
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["task"] == "regression" and "one-hot" not in r.stderr


def test_a_model_trained_on_one_hot_columns_as_numbers_before_is_evaluated_as_it_was_trained(tmp_path):
    """A model saved before data.task: auto read one-hot target columns as classes stores task regression with
    data.task: auto: its own test split is rebuilt from its data read as numbers, as in training (read as classes,
    the data's digest differed and evaluate refused the run as trained on other data)."""
    run_on_one_hot_columns_as_numbers(tmp_path, invoke)
    r = invoke("evaluate", tmp_path / "run")
    assert r.exit_code == 0 and "MSE" in r.output, r.output


@pytest.mark.parametrize("argv, hint", [
    (["train", "--set", "training.epochs=5", "5"],
     "hint: 5 is a number, not a file: CONFIG is a YAML file; an option's value goes right after the option, "
     "and a --set value right after its = (--set KEY=VALUE, no space)\n"),
    (["gradcheck", "--eps", "1e-5", "1e-6"],
     "hint: 1e-6 is a number, not a file: CONFIG is a YAML file; an option's value goes right after the option, "
     "and a --set value right after its = (--set KEY=VALUE, no space)\n"),
    (["train", "training.epochs=5"],
     "hint: training.epochs=5 looks like a setting, not a file: give it as --set training.epochs=5\n"),
])
def test_a_value_taken_for_the_config_is_told_where_it_belongs(argv, hint, backprop, tmp_path, monkeypatch):
    """`--set training.epochs=5 5` (a stray word) or `train training.epochs=5` (--set forgotten) said only
    "5: config file not found", with a listing of the current folder's YAML files."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "mine.yaml").write_text("seed: 1\n")
    code, out, err = backprop(*argv)
    assert code == 2 and out == "" and err == f"error: {argv[-1]}: config file not found\n{hint}", err


def test_a_file_named_like_a_number_or_a_setting_is_read_as_a_config(backprop, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for name in ("5", "training.epochs=3"):
        (tmp_path / name).write_text((ROOT / "configs" / "xor.yaml").read_text())
        code, out, err = backprop("config", "validate", name)
        assert code == 0 and err == "", err


def test_an_error_after_the_config_is_read_puts_no_unchecked_set_before_the_config(tmp_path, monkeypatch):
    """'--set noise=0.05 with s.yaml: cross_entropy with a sigmoid output needs targets in [0, 1]' named a --set the
    config fails without, as its cause; and a memory error named every part's --set, '--set dtype=float32' too, which
    halved the estimate. Where the field at fault is the config's own, the config comes first, changed by the --sets
    its error depends on; a memory error names the largest part's --set, else the config with the other parts'
    --sets (not a float32 one, which only shrinks it)."""
    from backprop_cli import experiment

    monkeypatch.setattr(experiment, "machine_memory", lambda: (16 * 2**30, "this machine's 16.0 GiB"))
    monkeypatch.chdir(tmp_path)
    sine = tmp_path / "s.yaml"
    sine.write_text("data: {dataset: sine}\nnetwork: {layers: [1, 8, 1], output_activation: sigmoid}\n"
                    "cost: cross_entropy\n")
    r = invoke("train", sine, "--set", "noise=0.05", "--epochs", "2")
    assert r.exit_code == 2 and r.stderr.startswith(
        f"error: {sine} with --set noise=0.05: cross_entropy with a sigmoid output needs targets in [0, 1]"), r.stderr
    big = tmp_path / "m.yaml"
    big.write_text("data: {dataset: circles, n_samples: 1000000}\nnetwork: {layers: [2, 4096, 1]}\n"
                   "training: {batch_size: full}\n")
    r = invoke("config", "validate", big, "--set", "dtype=float32", "--set", "layers=[2,8192,1]")
    assert r.exit_code == 2 and r.stderr.startswith(f"error: {big} with --set layers=[2,8192,1]: training.batch_size: "), \
        r.stderr
    r = invoke("train", "--set", "dataset=circles", "--set", "n_samples=1000000", "--set", "layers=[2,100000,1]")
    assert r.stderr.startswith("error: the built-in default config with --set n_samples=1000000 --set "
                               "layers=[2,100000,1]: training.batch_size: training would need about"), r.stderr
    r = invoke("config", "validate", big, "--set", "training.batch_size=900000")
    assert r.stderr.startswith("error: --set training.batch_size=900000: training would need about"), r.stderr
    # the config's own batch_size again: the --set changed nothing and is no cause, the config's field is at fault
    r = invoke("config", "validate", big, "--set", "training.batch_size=full")
    assert r.stderr.startswith(f"error: {big}: training.batch_size: training would need about"), r.stderr


@pytest.mark.parametrize("width", range(40, 61, 4))
def test_the_training_summary_never_cuts_a_label_or_a_figure_on_a_narrow_console(width):
    """At COLUMNS=40 the summary's label read '(cross_entr…' (rich's ellipsis, the table 43 wide): the
    table loses its borders, its labels wrap between words, and where even that is too wide (a validation
    split, the L2 penalty's row, costs of 1.23457e-05) each split is stacked on lines of its own."""
    from rich.console import Console

    from backprop_cli.config import load_config
    from backprop_cli.experiment import prepare
    from backprop_cli.render.train import print_summary
    from backprop_cli.training import EpochStats, TrainResult

    for overrides, val in (({}, None), ({"training.l2": 0.01, "data.validation_fraction": 0.2}, 1.23457e-05)):
        exp = prepare(load_config(ROOT / "configs" / "iris.yaml", overrides))
        result = TrainResult(history=(EpochStats(1, 0.05, 0.975, None, None, 0.1),), train_cost=0.0502584,
                             train_accuracy=0.983333, test_cost=0.0404084, test_accuracy=1.0, epochs=1, seconds=0.1,
                             val_cost=val, val_accuracy=None if val is None else 0.916667)
        console = Console(record=True, width=width)
        print_summary(console, exp, result, None)
        text = console.export_text()
        summary = text[:text.index("the last epoch's")]
        assert "…" not in summary and max(map(len, summary.splitlines())) <= width, summary
        words = re.findall(r"[^\s│┃]+", summary)
        for word in ("(cross_entropy)", "0.0502584", "0.0404084", "98.3%", "100.0%", "examples", "accuracy"):
            assert word in words or (word == "(cross_entropy)" and "(cross_entropy" in words), summary
        if val is not None:
            assert "1.23457e-05" in words and "91.7%" in words and "0.0557918" in words, summary
            if "───" in summary:  # a table: the penalty's label wrapped between its words
                assert "(λ/2)Σ‖w‖²" in words and "penalty" in words, summary
            else:  # stacked, each figure after its label
                assert "train: 96 examples" in summary and "· cost (cross_entropy + L2) 0.0502584" in summary, summary
                assert "· of which L2 0.0557918" in summary, summary
        assert (width < 49) == ("───" not in summary) if val is not None else "───" in summary, summary


def test_a_config_or_data_file_that_is_a_broken_link_is_said_to_be_one(tmp_path, monkeypatch):
    """c.yaml → mid.yaml → gone.yaml said 'c.yaml: config file not found', and predict's d.csv → gone.csv
    'd.csv: no such file', of names `ls` shows: each is said to be a broken link, with the chain to the
    missing name, as a model.npz and a --backward file are; a loop of links as one that cannot be followed."""
    monkeypatch.chdir(tmp_path)
    os.symlink("mid.yaml", "c.yaml")
    os.symlink("gone.yaml", "mid.yaml")
    r = invoke("train", "c.yaml")
    assert r.exit_code == 2 and r.stderr.splitlines() == [
        "error: c.yaml: is a broken link (to mid.yaml → gone.yaml, which does not exist), not a config file",
        "hint: restore the file it pointed to, or give the config file itself"], r.stderr
    os.symlink("loop.yaml", "loop.yaml")
    r = invoke("config", "validate", "loop.yaml")
    assert r.exit_code == 2 and r.stderr.startswith("error: loop.yaml: is a link that cannot be followed (to "
                                                    "loop.yaml: "), r.stderr
    assert "hint:" not in r.stderr, r.stderr
    assert invoke("train", str(ROOT / "configs" / "xor.yaml"), "--epochs", "2", "--out", "run", "--quiet").exit_code == 0
    os.symlink("gone.csv", "d.csv")
    for args in (["predict", "run", "d.csv"], ["evaluate", "run", "--data", "d.csv"]):
        r = invoke(*args)
        assert r.exit_code == 2 and r.stderr.splitlines()[0] == (
            "error: d.csv: is a broken link (to gone.csv, which does not exist), not a data file"), (args, r.stderr)


def test_a_resumed_runs_stall_advice_says_the_change_is_a_new_runs(tmp_path):
    """xor under an inverse schedule, power_t 4, resumed from 800 to 1,500 epochs: its summary said 'lower
    training.power_t (4)' and no more, where a resume with another power_t is refused ('the config differs
    from the checkpoint's'): it says the change is a new run's. A new run's warning stays as it was."""
    out = tmp_path / "R"
    sets = ["--set", "training.schedule=inverse", "--set", "training.power_t=4"]
    r = invoke("train", ROOT / "configs" / "xor.yaml", *sets, "--epochs", "800", "--out", out, "--json")
    assert r.exit_code == 0, r.output
    (fresh,) = [w for w in json.loads(r.stdout)["warnings"] if "stopped moving" in w]
    assert fresh.endswith("lower training.power_t (4)"), fresh
    r = invoke("train", out / "config.yaml", "--epochs", "1500", "--out", out, "--resume", "--json")
    assert r.exit_code == 0, r.output
    (resumed,) = [w for w in json.loads(r.stdout)["warnings"] if "stopped moving" in w]
    assert resumed.endswith("lower training.power_t (4); a resume keeps the run's settings: change them in a new "
                            "run (--overwrite)"), resumed
    r = invoke("train", out / "config.yaml", "--set", "training.power_t=1", "--epochs", "1600", "--out", out,
               "--resume")
    assert r.exit_code == 2 and "the config differs from the checkpoint's" in r.stderr, r.stderr  # as it says
