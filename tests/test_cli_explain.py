"""``backprop explain`` through the CLI."""

from __future__ import annotations

import dataclasses
import functools
import io
import itertools
import json
import math
import os
import re
from pathlib import Path

import numpy as np
import pytest
from rich.cells import cell_len
from rich.console import Console
from rich.table import Table
from typer.testing import CliRunner

from backprop_cli.activations import ACTIVATIONS
from backprop_cli.cli import app
from backprop_cli.config import load_config
from backprop_cli.experiment import prepare
from backprop_cli.explain import explain_all_layers
from backprop_cli.render import explain as R
from helpers import chain_config, extreme_config, printed_refusal, run_on_three_classes

ROOT = Path(__file__).resolve().parents[1]
runner = CliRunner()


def invoke(*args):
    return runner.invoke(app, [str(a) for a in args])


def shared(*args):
    """``invoke(*args)`` for a command on the repo's configs (no file a test writes, no code a
    test patches) at this COLUMNS and NO_COLOR: run once for all the tests that read the same
    output (xor's --layer 1 at 60 columns is read by five tests of where its lines break)."""
    return _shared(tuple(map(str, args)), os.environ.get("COLUMNS"), os.environ.get("NO_COLOR"), os.getcwd())


@functools.lru_cache(maxsize=None)
def _shared(args: tuple[str, ...], columns: str | None, no_color: str | None, cwd: str):
    return invoke(*args)


def test_help_lists_the_options():
    r = invoke("explain", "--help")
    assert r.exit_code == 0 and "--layer" in r.output and "--all-layers" in r.output


def test_help_says_the_example_may_be_your_own(monkeypatch):
    """--help said 'For layer l and one training example' after --x and --y came to explain one
    of your own."""
    monkeypatch.setenv("COLUMNS", "200")
    text = " ".join(invoke("explain", "--help").output.replace("│", " ").split())
    assert "For layer l and one example (a training one, --example i, or your own, --x and --y)" in text, text


@pytest.mark.parametrize(("command", "own"), [("explain", "--example"), ("gradcheck", "--examples")])
def test_help_of_x_names_the_commands_own_example_option(monkeypatch, command, own):
    """explain's --help said --x goes 'not with --example(s)': explain has no --examples (gradcheck's
    option), gradcheck no --example; each names its own."""
    monkeypatch.setenv("COLUMNS", "400")
    text = " ".join(invoke(command, "--help").output.replace("│", " ").split())
    assert f"with --y, not with {own}." in text and "--example(s)" not in text, text
    if command == "explain":
        assert "--examples" not in text, text


def test_default_output_layer_rich():
    r = invoke("explain", "--layer", "L", "--example", "1")
    assert r.exit_code == 0, r.output
    assert "∂C0/∂w" in r.output and "2(a" in r.output and "✓" in r.output


def test_json_products_equal_network_gradients():
    r = invoke("explain", "--layer", "L-1", "--example", "2", "--format", "json")
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    exp = prepare(load_config(None))
    x, y = exp.train.X[2:3], exp.train.Y[2:3]
    dw, _ = exp.net.gradients(x, y)
    products = {tuple(p["index"]): p["value"] for p in data["weight_products"]}
    for (j, k), value in products.items():
        assert np.isclose(value, dw[0][j, k], rtol=1e-12, atol=1e-15)


def test_json_is_the_json_of_the_other_commands():
    """train, gradcheck, predict and evaluate take --json; explain took only --format json, and a
    user's --json was 'No such option'. A --format it contradicts is refused, not overruled."""
    r = invoke("explain", "--layer", "L-1", "--example", "2", "--json")
    assert r.exit_code == 0 and r.stdout == invoke("explain", "--layer", "L-1", "--example", "2", "--format",
                                                   "json").stdout, r.output
    assert invoke("explain", "--layer", "1", "--json", "--format", "JSON").exit_code == 0
    r = invoke("explain", "--layer", "1", "--json", "--format", "markdown")
    assert r.exit_code == 2 and "--json and --format markdown: give one; --json is --format json" in r.output


def test_your_own_example_is_explained_from_x_and_y():
    """A learner's own example needed a CSV file and a config: --x and --y give it. Seed 001's
    write-up (configs/hand_worked.yaml's weights) by hand: C = ½Σ(a − y)² = 0.298371109 and
    ∂C/∂w5 = 0.082167041 for x = (0.05, 0.10), y = (0.01, 0.99); here another example, checked
    against the network's own gradients, and the same one through --x, equal to --example 0."""
    cfg = ROOT / "configs" / "hand_worked.yaml"
    ours = json.loads(invoke("explain", cfg, "--layer", "L", "--x", "0.05, 0.10,", "--y", "[0.01, 0.99]",
                             "--format", "json").stdout)
    row = json.loads(invoke("explain", cfg, "--layer", "L", "--format", "json").stdout)
    assert (ours["row"], row["row"]) == (None, 0) and ours["origin"] is None
    assert {**ours, "row": 0, "origin": row["origin"]} == row
    r = invoke("explain", cfg, "--layer", "L", "--x", "0.3,-0.2", "--y", "1,0", "--format", "json")
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    from backprop_cli.network import Network

    net = Network.from_config(load_config(cfg))
    dw, _ = net.gradients([[0.3, -0.2]], [[1.0, 0.0]])
    products = {tuple(p["index"]): p["value"] for p in data["weight_products"]}
    assert len(products) == 4 and all(np.isclose(v, dw[1][j, k], rtol=1e-12) for (j, k), v in products.items())
    # a class name is its one-hot row; x is standardized as the training split was, and said so
    iris = ROOT / "configs" / "iris.yaml"
    by_name = invoke("explain", iris, "-l", "L", "--x", "5.1,3.5,1.4,0.2", "--y", "Setosa", "--format", "json")
    by_row = invoke("explain", iris, "-l", "L", "--x", "5.1 3.5 1.4 0.2", "--y", "1,0,0", "--format", "json")
    assert by_name.exit_code == 0 and by_name.stdout == by_row.stdout, by_name.output
    exp = prepare(load_config(iris))
    fed = exp.standardizer.transform([[5.1, 3.5, 1.4, 0.2]])[0]
    assert np.allclose(json.loads(by_name.stdout)["x"], fed, rtol=1e-12)
    assert "note: --x standardized as the training split was (data.standardize): a^(0) = (" in by_name.stderr


def test_the_header_says_x_is_standardized_where_the_config_standardizes():
    """iris's header read x = (1.06, -1.30476, …), numbers a learner could not find in
    data/iris.csv: they are its row standardized (data.standardize), and the header now says so."""
    iris = ROOT / "configs" / "iris.yaml"
    r = invoke("explain", iris, "--layer", "1")
    assert r.exit_code == 0 and "example 0: standardized x = (1.06, " in r.stdout, r.output
    assert json.loads(invoke("explain", iris, "--layer", "1", "--json").stdout)["standardized"] is True
    r = invoke("explain", "--layer", "1", "--format", "markdown")
    assert "Example 0: x = (0, 0), y = (0)" in r.stdout and "standardized" not in r.stdout
    assert json.loads(invoke("explain", "--layer", "1", "--json").stdout)["standardized"] is False


@pytest.mark.parametrize("args, says", [
    (["--x", "1,2,3", "--y", "1"], "--x: 3 numbers for 2 inputs (x0, x1); give 2, separated by commas, e.g. --x 0.5,0.5"),
    (["--x", "1,a", "--y", "1"], "--x: a is not a number; give 2 numbers, one per input (x0, x1)"),
    (["--x", "1,nan", "--y", "1"], "--x: nan is not a finite number"),
    (["--x", "1,,2", "--y", "1"], "--x: '1,,2' has an empty entry (number 2); give 2 numbers separated by commas"),
    (["--x", "1,2"], "--x: needs --y too; an example is its inputs x and its target y"),
    (["--y", "1"], "--y: needs --x too"),
    (["--x", "1,2", "--y", "1", "--example", "2"], "--example picks a training example, --x and --y give your own"),
    (["--x", "1,2", "--y", "1,0"], "--y: 2 numbers for 1 output"),
    # a bracket that pairs with none: '[1,2' and '1]' were taken, '[/]]' was said as '/'
    (["--x", "[1,2", "--y", "1"], "--x: [1,2 has a bracket that does not pair up; give 2 numbers separated by commas, "
     "bare or in one pair of brackets, e.g. --x [0.5,0.5]"),
    (["--x", "1,2", "--y", "1]"], "--y: 1] has a bracket that does not pair up; give 1 number, bare or in one pair of "
     "brackets, e.g. --y [1]"),
    (["--x", "1,2", "--y", "[/]]"], "--y: [/]] has a bracket that does not pair up"),
    (["--x", "(1,2]", "--y", "1"], "--x: (1,2] has a bracket that does not pair up"),
    (["--x", "1,2", "--y", "1.5", "--set", "cost=cross_entropy"],
     "--y: cross_entropy with a sigmoid output needs targets in [0, 1]; (1.5) is not"),
])
def test_a_bad_own_example_is_one_line(args, says):
    r = invoke("explain", "--layer", "1", *args)
    assert r.exit_code == 2 and says in r.stderr and len(r.stderr.splitlines()) <= 2, r.output
    assert "Traceback" not in r.output and r.stdout == ""


@pytest.mark.parametrize("x", ["[1,2]", "(1, 2)", "[[1, 2]]", " [1,2,] "])
def test_an_own_x_in_brackets_that_pair_up_is_taken(x):
    r = invoke("explain", "--layer", "1", "--x", x, "--y", "1", "--json")
    assert r.exit_code == 0 and json.loads(r.stdout)["x"] == [1, 2], r.output


@pytest.mark.parametrize("fmt", [(), ("--json",)])
def test_a_target_the_output_cannot_reach_is_warned_of_as_train_does(tmp_path, fmt):
    """--y -3 under the default sigmoid output explained a C0 of 13.56 that no weights can bring
    below 9, exit 0 and not a word, where train warns of such targets (target_range_warning) and
    cross_entropy refuses them. explain warns on stderr, --json too (its "warnings" are the learner
    warnings' objects): of --y, and of a training example's data where train would."""
    for y, says in (("-3", "--y: y = (-3) lies outside"), ("2", "--y: y = (2) lies outside")):
        r = invoke("explain", "--layer", "L", "--x", "1,1", "--y", y, *fmt)
        assert r.exit_code == 0, r.output
        assert r.stderr == (f"warning: {says} the output activation sigmoid's range (0, 1) (copied from "
                            "network.activation, as network.output_activation is not set): the network cannot "
                            "reach it; for regression, set network.output_activation: linear\n"), r.stderr
        assert "warning: " not in r.stdout and "cannot reach" not in r.stdout
    r = invoke("explain", ROOT / "configs" / "hand_worked.yaml", "--layer", "L", "--x", "1,1", "--y", "0.5,-0.5", *fmt)
    assert r.exit_code == 0 and r.stderr.startswith("warning: --y: 1 of the 2 targets of y = (0.5, -0.5) lies outside "
                                                    "the output activation sigmoid's range (0, 1)"), r.output
    for y in ("1", "0", "0.5"):  # reached, or approached as one-hot labels are
        r = invoke("explain", "--layer", "L", "--x", "1,1", "--y", y, *fmt)
        assert r.exit_code == 0 and r.stderr == "", r.output
    r = invoke("explain", "--layer", "L", "--x", "1,1", "--y", "-3", "--set", "network.output_activation=linear", *fmt)
    assert r.exit_code == 0 and r.stderr == "", r.output
    # a training example: train's own warning, where train gives it
    (tmp_path / "r.csv").write_text("x,y\n" + "".join(f"{i},{i / 2}\n" for i in range(6)))
    cfg = tmp_path / "c.yaml"
    cfg.write_text("data: {path: r.csv, test_fraction: 0, task: regression}\nnetwork: {layers: [1, 2, 1]}\n")
    from backprop_cli.experiment import target_range_warning

    exp = prepare(load_config(cfg))
    warned = target_range_warning(exp.config, exp.train)
    assert warned is not None and warned.startswith("3 of 6 training targets")
    r = invoke("explain", cfg, "--layer", "L", *fmt)
    assert r.exit_code == 0 and r.stderr == f"warning: {warned}\n", r.output
    assert f"warning: {warned}" in " ".join(invoke("train", cfg, "--epochs", "1").stderr.split())
    cfg.write_text("data: {path: r.csv, test_fraction: 0, task: regression}\n"
                   "network: {layers: [1, 2, 1], output_activation: linear}\n")
    r = invoke("explain", cfg, "--layer", "L", *fmt)
    assert r.exit_code == 0 and r.stderr == "", r.output


def test_x_and_y_explain_a_model_saved_from_arrays_without_data(tmp_path):
    """A model saved from Python without a config has no data; explain and gradcheck --model refused it
    ('has no data of its own to take examples from') with --x and --y too, which need none. They take
    the example in the model's own units (its stored scaling), with its input names and classes."""
    from backprop_cli import Network
    from backprop_cli.data import Standardizer
    from backprop_cli.model_io import save_model

    net = Network([2, 3, 2], output_activation="softmax", cost="cross_entropy", seed=1)
    scaler = Standardizer(np.array([1.0, 2.0]), np.array([2.0, 4.0]))
    save_model(tmp_path / "m.npz", net, class_names=("cat", "dog"), feature_names=("h", "w"), standardizer=scaler)
    r = invoke("explain", "--model", tmp_path / "m.npz", "--layer", "L", "--x", "3,6", "--y", "dog", "--json")
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    assert (out["x"], out["y"], out["row"], out["standardized"]) == ([1.0, 1.0], [0.0, 1.0], None, True)
    assert out["origin"] == {"file": None, "line": None, "raw_x": [3.0, 6.0], "class_name": "dog"}
    assert out["cost_value"] == pytest.approx(float(net.cost([[1.0, 1.0]], [[0.0, 1.0]])), rel=1e-12)
    r = invoke("gradcheck", "--model", tmp_path / "m.npz", "--x", "3", "--y", "dog")
    assert r.exit_code == 2 and "--x: 1 number for 2 inputs (h, w); give 2" in r.stderr, r.output
    assert invoke("gradcheck", "--model", tmp_path / "m.npz", "--x", "3,6", "--y", "cat").exit_code == 0
    r = invoke("explain", "--model", tmp_path / "m.npz", "--layer", "L")  # an example of its data: none
    assert r.exit_code == 2 and "has no data of its own to take examples from" in r.stderr
    assert "an example of your own with --x and --y, which needs none" in r.stderr


def test_a_wrong_count_of_numbers_suggests_an_example_that_is_taken():
    """iris's '--y 1,0' said 'give 3, …, e.g. --y 0.5,0.5,0.5', which softmax's rule then refused
    (not a distribution); one output read 'give 1, separated by commas'; and 64 inputs got
    'e.g. --x …'. The example given is now one the command takes."""
    iris, digits = ROOT / "configs" / "iris.yaml", ROOT / "configs" / "digits.yaml"
    r = invoke("explain", iris, "-l", "L", "--x", "5.1,3.5,1.4,0.2", "--y", "1,0")
    assert r.exit_code == 2 and "--y: 2 numbers for 3 outputs (setosa, versicolor, virginica); give 3, separated " \
        "by commas, e.g. --y 1,0,0" in r.stderr, r.output
    assert invoke("explain", iris, "-l", "L", "--x", "5.1,3.5,1.4,0.2", "--y", "1,0,0").exit_code == 0
    r = invoke("explain", "-l", "L", "--x", "1,1", "--y", "1,0")
    assert r.exit_code == 2 and "--y: 2 numbers for 1 output (label); give 1 number, e.g. --y 1\n" in r.stderr, r.output
    assert invoke("explain", "-l", "L", "--x", "1,1", "--y", "1").exit_code == 0
    r = invoke("explain", digits, "-l", "L", "--x", "1,2", "--y", "1")
    assert r.exit_code == 2 and "--x: 2 numbers for 64 inputs (pixel_0 … pixel_63); give 64, separated by commas\n" \
        in r.stderr, r.output


def test_markdown_has_latex_blocks():
    r = invoke("explain", "--layer", "1", "--format", "markdown")
    assert r.exit_code == 0
    assert r.stdout.count("$$") >= 2 and r.stdout.count("$$") % 2 == 0


def test_bad_layer_lists_valid_choices():
    for bad in ("L+1", "0", "L-9", "x"):
        r = invoke("explain", "--layer", bad)
        assert r.exit_code == 2, bad
        assert "use one of: L or L-1, or a number from 1 to 2" in r.stderr and "Traceback" not in r.output


def test_other_errors():
    assert "--layer: missing" in invoke("explain").output
    r = invoke("explain", "--layer", "L", "--example", "99")
    assert r.exit_code == 2 and "--example: 99 is out of range" in r.output
    # a range in words, as every option's errors say one (it was "4 examples (0..3)")
    assert r.stderr.startswith("error: --example: 99 is out of range; the training split has 4 examples, use a "
                               "number from 0 to 3\n"), r.stderr
    r = invoke("explain", "--layer", "9")  # as typed: it was '9' (YAML's quotes for text that reads as a number)
    assert r.exit_code == 2 and r.stderr.startswith("error: --layer: 9 is not a layer of this network "), r.stderr
    assert r.stderr.rstrip().endswith("use one of: L or L-1, or a number from 1 to 2"), r.stderr
    r = invoke("explain", "--layer", "L", "--weight", "1.5")
    assert r.exit_code == 2 and r.stderr.startswith("error: --weight: 1.5 must be two 0-based indices j,k"), r.stderr
    r = invoke("explain", "--layer", "L", "--weight", "a,b")
    assert r.exit_code == 2 and "--weight" in r.output


def test_all_layers_and_model(tmp_path):
    out = tmp_path / "run"
    assert invoke("train", "--epochs", "5", "--out", out, "--quiet").exit_code == 0
    r = invoke("explain", "--all-layers", "--model", out / "model.npz", "--format", "json")
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert [layer["layer"] for layer in data["layers"]] == [2, 1]


def test_a_models_own_example_needs_no_data_file(tmp_path):
    """explain --model run --x … --y CLASS, and gradcheck's, were refused with 'data.path: …: no such file'
    once the training CSV had moved, though the model stores the scaling, names and classes --x and --y
    take from it: the output is now the same with the file gone. Without --x the file is read still,
    and the hint says where to give it, or that --x and --y need none."""
    csv, run = run_on_three_classes(tmp_path, invoke)
    example = ("--x", "3,1.5", "--y", "b")
    before = [invoke("explain", "--model", run, "--layer", "1", *example),
              invoke("gradcheck", "--model", run, *example, "--json")]
    assert [r.exit_code for r in before] == [0, 0], [r.output for r in before]
    csv.rename(tmp_path / "moved.csv")
    after = [invoke("explain", "--model", run, "--layer", "1", *example),
             invoke("gradcheck", "--model", run, *example, "--json")]
    assert [(r.exit_code, r.stdout, r.stderr) for r in after] == [(r.exit_code, r.stdout, r.stderr) for r in before]
    r = invoke("explain", "--model", run, "--layer", "1")
    assert r.exit_code == 2 and r.stderr.splitlines() == [
        f"error: {run / 'model.npz'} (stored config): data.path: {csv}: no such file",
        ("hint: a model stores the absolute path of the file it was trained on; the file has moved or been removed "
         "since; give its new place with --set data.path=FILE.csv, or an example of your own with --x and --y, "
         "which needs no data")], r.output
    assert invoke("explain", "--model", run, "--layer", "1", "--set", f"data.path={tmp_path / 'moved.csv'}"
                  ).exit_code == 0


def _model_at_kinks(tmp_path: Path) -> Path:
    """A trained 1-1-2-1 ReLU model rewritten so that, for example 0 (x = 1), both layer-2
    units sit exactly on their kink: z^(2) = (a^(1) − 1, 1 − a^(1)) = (0, 0)."""
    np.savez(tmp_path / "d.npz", X=np.array([[1.0], [2.0], [0.5]]), y=np.array([[1.0], [0.0], [2.0]]))
    (tmp_path / "c.yaml").write_text(
        "data: {path: d.npz, task: regression, test_fraction: 0}\n"
        "network: {layers: [1, 1, 2, 1], activation: relu, output_activation: linear}\n"
        "cost: squared_error\n"
        "training: {learning_rate: 0.01, epochs: 1, batch_size: full, shuffle: false}\n"
    )
    r = invoke("train", tmp_path / "c.yaml", "--out", tmp_path / "run", "--quiet")
    assert r.exit_code == 0, r.output
    path = tmp_path / "run" / "model.npz"
    arrays = dict(np.load(path, allow_pickle=False))
    arrays.update(w1=np.array([[1.0]]), b1=np.zeros(1), w2=np.array([[1.0], [-1.0]]),
                  b2=np.array([-1.0, 1.0]), w3=np.array([[1.0, 1.0]]), b3=np.zeros(1))
    np.savez(path, **arrays)
    return path


def test_relu_kinks_are_judged_one_sided_or_inconclusive_with_exit_3(tmp_path):
    model = _model_at_kinks(tmp_path)
    # layer L: no ReLU after it, nothing to straddle
    assert invoke("explain", "--model", model, "--layer", "L").exit_code == 0
    # layer L-1's weights each move one unit's z, on one side only: one-sided checks, passed;
    # its hand-back moves a^(1), which switches a unit on whichever side: inconclusive
    r = invoke("explain", "--model", model, "--layer", "L-1", "--format", "json")
    data = json.loads(r.stdout)
    assert r.exit_code == 3 and data["status"] == "inconclusive" and not data["passed"]
    assert {p["check"]["difference"] for p in data["weight_products"]} == {"one-sided"}
    assert all(p["check"]["status"] == "pass" for p in data["weight_products"])
    assert [h["check"]["status"] for h in data["hand_back"]] == ["kink"]
    r = invoke("explain", "--model", model, "--layer", "L-2")
    assert r.exit_code == 3, r.output
    assert "inconclusive" in r.output and "FAIL" not in r.output and "Traceback" not in r.output


def test_narrow_consoles_cut_no_number_or_symbol(monkeypatch):
    """A projector's large font (60 columns) or a pipe (80): every line fits, nothing is cut."""
    for width in (60, 80):
        monkeypatch.setenv("COLUMNS", str(width))
        for args in (["--layer", "L-1"], ["--layer", "1", "--expand"], ["--all-layers"],
                     [ROOT / "configs" / "iris.yaml", "--layer", "L-1"]):
            r = shared("explain", *args)
            assert r.exit_code == 0, r.output
            assert "…" not in r.output, (width, args)
            assert max(len(line) for line in r.output.splitlines()) <= width, (width, args)


def test_the_weight_gradient_title_keeps_its_norm_beside_its_name(monkeypatch):
    """δ aᵀ's title names the norm of ∂C0/∂w^(l); on a table narrower than the title (one output
    neuron, or --weight), rich wrapped it at the table's width and left "‖·‖ =" at the end of one
    line and its number alone on the next (or "rank" and "one" apart). The formula and the facts
    now take a line each, and the value stays beside its name, whatever the width."""
    for width in (60, 80, 100, 120):
        monkeypatch.setenv("COLUMNS", str(width))
        for args in (["--layer", "L"], ["--layer", "1", "--weight", "1,0"],
                     [ROOT / "configs" / "iris.yaml", "--layer", "1"]):
            r = shared("explain", *args, "--format", "json")
            norm = json.loads(r.stdout)["weight_gradients"]["norm"]
            r = shared("explain", *args)
            assert r.exit_code == 0, r.output
            line = next(line for line in r.output.splitlines() if "‖·‖ =" in line)
            shown = line.split("‖·‖ =")[1].split()
            assert shown and float(shown[0]) == pytest.approx(norm, rel=1e-5), (width, args, line)
            # the default's example 0 has x = (0, 0): its layer 1's δ aᵀ is all zero, not rank one
            assert ("rank one" if norm else "all zero, as a^(0) = 0") in r.output, (width, args)


def test_a_table_title_breaks_between_its_phrases_not_inside_a_formula(monkeypatch):
    """A title wider than its table was wrapped by rich at the table's width, at any space: at 60
    columns (a projector) `z_j^(1) =` over `Σ_k w_jk^(1) …`, `then a_j^(1)` over `= σ(z_j^(1))` and
    `δ_j^(2)` over `= ∂C0/∂z_j^(2)`; at 80 (a pipe) the eq. 8 sums ended `· σ'(z_i^(2)) ·` over
    `∂C0/∂a_i^(2)`. A title now breaks only between its phrases, so each formula is whole on a line.
    (The per-neuron table now keeps its ∂C0/∂b_j column at these widths, where its title said
    '∂C0/∂b_j^(l) = δ_j' instead; at 60 the headers drop the superscript, the title's δ_j = ∂C0/∂z_j too.)"""
    for width in (60, 80, 100):
        monkeypatch.setenv("COLUMNS", str(width))
        for layer, formulas in (("1", ["z_j^(1) = Σ_k w_jk^(1) a_k^(0) + b_j^(1)", "then a_j^(1) = σ(z_j^(1))",
                                       "Σ_i w_ij^(2) · σ'(z_i^(2)) · ∂C0/∂a_i^(2)"]),
                                ("2", ["z_j^(2) = Σ_k w_jk^(2) a_k^(1) + b_j^(2)", "then a_j^(2) = σ(z_j^(2))",
                                       "Σ_j w_jk^(2) · σ'(z_j^(2)) · ∂C0/∂a_j^(2)"])):
            r = shared("explain", ROOT / "configs" / "xor.yaml", "--layer", layer)
            assert r.exit_code == 0, r.output
            lines = r.output.splitlines()
            assert max(len(line) for line in lines) <= width, (width, layer)
            for formula in formulas + (["δ_j = ∂C0/∂z_j"] if width == 60 and layer == "1" else []):
                assert any(formula in line for line in lines), (width, layer, formula, r.output)
            assert any(re.search(rf"∂C0/∂b_j(\^\({layer}\))? *[┃│]?$", line) for line in lines), (width, layer, r.output)


def test_two_digit_indices_are_separated_by_a_comma_everywhere(monkeypatch):
    """w_i,11 not w_i11 (which reads as w_(i1)1): in the hand-back sum, --expand and the header."""
    monkeypatch.setenv("COLUMNS", "120")
    r = invoke("explain", ROOT / "configs" / "digits.yaml", "--layer", "1", "--weight", "11,0", "--expand")
    assert r.exit_code == 0, r.output
    assert "Σ_i w_i,11^(2)" in r.output and "w_i11" not in r.output
    assert "the whole chain to w_11,0^(1)" in r.output and "weight w_11,0^(1)" in r.output
    assert "∂C0/∂z_j^(1)" in r.output  # δ's header carries its layer
    md = invoke("explain", ROOT / "configs" / "digits.yaml", "--layer", "1", "--weight", "11,0", "--expand",
                "--format", "markdown").output
    assert "w_{11,0}^{(1)}" in md and "$z_j^{(1)}$" in md and "w_{i,11}^{(2)}" in md


def test_full_on_a_wide_layer_is_refused_with_the_ways_to_narrow_it():
    """--full on a 256 × 784 layer printed 200,704 checked products: 3.5 minutes, 1.4 GB of
    memory and 200,000 lines. Past 10,000 weights it is one error line naming the layer and
    its shape, exit 2; one neuron in full still works."""
    wide = ("--set", "network.layers=[2, 120, 100, 1]")  # layer 2: 100 × 120 = 12,000 weights
    r = invoke("explain", "--layer", "2", "--full", *wide)
    assert r.exit_code == 2, r.output
    assert "layer 2 (L-1) has 12,000 weights (100 × 120)" in r.output and "--neuron" in r.output
    assert "Traceback" not in r.output and "∂C0" not in r.output
    r = invoke("explain", "--all-layers", "--full", *wide)
    assert r.exit_code == 2 and "--all-layers: layer 2 (L-1)" in r.output, r.output
    r = invoke("explain", "--layer", "2", "--neuron", "3", "--full", *wide)
    assert r.exit_code == 0, r.output
    r = invoke("explain", "--layer", "L", "--full", *wide)  # 1 × 100: fine
    assert r.exit_code == 0, r.output


def test_full_json_writes_a_layer_wider_than_the_terminal_shows(monkeypatch):
    """--full --json was refused past the terminal's 10,000 weights (exit 2), though JSON is for a
    program: it takes up to MAX_FULL_JSON_WEIGHTS (MNIST's 784 × 256 layer fits), where each product
    is still checked; the terminal's refusal says --json writes them. (Small limits here: a real
    10,000-weight layer takes seconds.)"""
    from backprop_cli.commands import explain as command

    assert command.MAX_FULL_JSON_WEIGHTS >= 784 * 256 > command.MAX_FULL_WEIGHTS
    monkeypatch.setattr(command, "MAX_FULL_WEIGHTS", 10)
    wide = ("--set", "network.layers=[2,6,1]", "--layer", "1", "--full")  # 6 × 2 = 12 weights
    r = invoke("explain", *wide)
    assert r.exit_code == 2 and "more than the 10 --full shows in the terminal or Markdown" in r.stderr, r.output
    assert "; --json writes them all" in r.stderr and "Traceback" not in r.output
    r = invoke("explain", *wide, "--json")
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert len(data["weight_products"]) == 12 and data["passed"] and not data["truncated"]
    monkeypatch.setattr(command, "MAX_FULL_JSON_WEIGHTS", 10)
    r = invoke("explain", *wide, "--format", "json")
    assert r.exit_code == 2 and printed_refusal(r.stdout, r.stderr), r.output
    assert r.stderr.startswith("error: --full --json: layer 1 (L-1) has 12 weights (6 × 2), more than the 10 it "
                               "writes (each is a checked product"), r.stderr
    assert "--json writes them all" not in r.stderr


def test_full_help_states_the_weight_limit():
    """--full refuses a layer of more than 10,000 weights (commands/explain.py MAX_FULL_WEIGHTS);
    its --help said 'Show every neuron and weight' with no limit."""
    from backprop_cli.commands.explain import MAX_FULL_JSON_WEIGHTS, MAX_FULL_WEIGHTS

    import typer

    explain = typer.main.get_command(app).commands["explain"]  # type: ignore[attr-defined]
    text = next(p.help for p in explain.params if "--full" in p.opts)
    assert f"{MAX_FULL_WEIGHTS:,} weights" in text and "--neuron j --full" in text
    assert f"--json, which writes up to {MAX_FULL_JSON_WEIGHTS:,}" in text


def test_lower_case_layer_names_are_accepted_and_said_so_in_help():
    """parse_layer reads 'l' and 'l-1' as L and L-1 (in any letter case, on purpose); --help and
    the README named only the capital letter, so 'l' looked like a typo that happened to work."""
    import typer

    explain = typer.main.get_command(app).commands["explain"]  # type: ignore[attr-defined]
    text = next(p.help for p in explain.params if "--layer" in p.opts)
    assert "(l, l-1 too)" in text, text
    for lower, upper in (("l", "L"), ("l-1", "L-1")):
        a, b = invoke("explain", "--layer", lower, "--example", "1"), invoke("explain", "--layer", upper, "--example", "1")
        assert a.exit_code == b.exit_code == 0 and a.output == b.output, a.output


def test_a_seed_other_than_the_models_is_noted(tmp_path):
    """explain --model M --seed N draws and splits the data with N: a note on stderr says the
    examples may not be those M was trained on; the model's own seed gives no note."""
    from backprop_cli.config import load_config
    from backprop_cli.experiment import prepare
    from backprop_cli.model_io import save_model

    cfg = load_config(None, {"data.dataset": "circles", "data.n_samples": 40})
    save_model(tmp_path / "m.npz", prepare(cfg).net, cfg)
    other = runner.invoke(app, ["explain", "--model", str(tmp_path / "m.npz"), "--layer", "L", "--seed", "3"])
    assert other.exit_code in (0, 3), other.output
    assert other.stderr.startswith("note: seed 3 (the model's: 0): the data are drawn and split with it")
    same = runner.invoke(app, ["explain", "--model", str(tmp_path / "m.npz"), "--layer", "L", "--seed", "0"])
    assert "note:" not in same.stderr


@pytest.mark.parametrize("narrow", [["--neuron", "9"], ["--neuron", "9", "--full"], ["--weight", "9,11", "--full"]])
def test_hand_back_terms_left_out_name_the_way_to_see_them(monkeypatch, narrow):
    """With --neuron/--weight each hand-back sum shows its first 8 terms and neuron j's, with
    --full too: '… 1 more terms (--full)' pointed at the option already given, which shows no more.
    One term left out is 'term' (it said '… 1 more terms')."""
    r = runner.invoke(app, ["explain", "--set", "network.layers=[2,12,10,1]", "--layer", "2", *narrow],
                      env={"COLUMNS": "200"})
    assert r.exit_code == 0, r.output
    assert "… 1 more term (--full without --neuron/--weight)" in r.stdout and "(--full)" not in r.stdout
    assert "… 1 more terms" not in r.stdout
    monkeypatch.setenv("COLUMNS", "200")
    wide = shared("explain", "--set", "network.layers=[2,12,10,1]", "--layer", "2")  # the same in each case
    assert "… 2 more terms (--full)" in wide.stdout, wide.stdout


def _table_tokens(output: str, title: str) -> list[str]:
    """The whitespace-separated tokens of the table titled ``title`` (up to the next blank line
    after its rows), with the check column's two lines joined."""
    lines = output.splitlines()
    start = next(i for i, line in enumerate(lines) if title in line)
    rule = next(i for i in range(start, len(lines)) if "─" in lines[i] or "━" in lines[i])
    body = []
    for line in lines[rule + 1:]:
        if not line.strip() or "└" in line:
            break
        body.append(line)
    return [tok for line in body for tok in line.replace("│", " ").split()]


@pytest.mark.parametrize("args", [["--layer", "L", "--example", "1"],
                                  [ROOT / "configs" / "digits.yaml", "--layer", "1"]])
def test_products_tables_never_fold_or_cut_a_number(monkeypatch, args):
    """At 60 columns '-0.7164' was folded into '-0.716' over '4' in the each-weight table (and a
    digits layer's '-0.3375' cut to '-0.33…'); every factor and product stays one whole token (a
    product of 4 digits, or 5 near a tie, its factors of 4 or the more it takes for each row to
    multiply out)."""
    data = json.loads(shared("explain", *args, "--format", "json").stdout)
    for width in (60, 72, 80):
        monkeypatch.setenv("COLUMNS", str(width))
        r = shared("explain", *args)
        assert r.exit_code == 0, r.output
        assert max(len(line) for line in r.output.splitlines()) <= width
        for title, key in (("each weight", "weight_products"), ("each bias", "bias_products")):
            tokens = _table_tokens(r.output, title)
            for p in data[key]:
                assert any(R._cell(p["value"], d) in tokens for d in (4, 5)), (width, title, p["value"])
                for v in [f["value"] for f in p["factors"]]:
                    assert any(R._cell(v, d) in tokens for d in range(4, 11)), (width, title, v, sorted(tokens))


def test_the_neuron_table_never_cuts_a_number_or_drops_a_flag(monkeypatch):
    """At 60 columns a ReLU layer's table cut '-0.004909' to '-0.0049…' and dropped the
    'inactive (z ≤ 0)' column; at 80 the flag was cut to 'inacti…'."""
    args = (ROOT / "configs" / "spirals.yaml", "--layer", "L-1")
    data = json.loads(invoke("explain", *args, "--format", "json").stdout)
    n_dead = sum(n["dead"] for n in data["neurons"])
    assert n_dead > 0
    for width in (60, 72, 80, 100):
        monkeypatch.setenv("COLUMNS", str(width))
        r = invoke("explain", *args)
        assert r.exit_code == 0, r.output
        tokens = _table_tokens(r.output, "per neuron")
        for n in data["neurons"]:
            for key in ("z", "a", "sigma_prime", "grad_a", "delta"):
                assert R._cell(n[key], 4) in tokens, (width, key, n[key], sorted(tokens))
        assert tokens.count("inactive") == n_dead and not any("…" in t for t in tokens), (width, tokens)
        assert max(len(line) for line in r.output.splitlines()) <= width


def test_the_gradient_norm_bars_keep_their_log10_on_their_line(monkeypatch):
    """At 60 columns each bar wrapped: '████████' with its '-0.9' on the line below."""
    data = json.loads(shared("explain", "--layer", "L", "--example", "1", "--format", "json").stdout)
    assert all(n["weight_norm"] > 0 for n in data["gradient_norms"])
    for width in (60, 72, 80):
        monkeypatch.setenv("COLUMNS", str(width))
        r = shared("explain", "--layer", "L", "--example", "1")
        bars = [line for line in r.output.splitlines() if "█" in line]
        assert len(bars) == len(data["gradient_norms"]), (width, r.output)
        for line, norm in zip(bars, data["gradient_norms"]):
            assert f"█ {np.log10(norm['weight_norm']):.1f}" in line, (width, line)
        assert max(len(line) for line in r.output.splitlines()) <= width


def test_the_gradient_norm_bars_say_they_are_against_the_largest_layer(monkeypatch):
    """xor_relu's layer 2 has ‖∂C0/∂w‖ = 7.7e-05 and got a full bar, which a class reads as a
    healthy gradient: the bars are relative to the largest layer's, and now say so, boxed or
    stacked (40 columns)."""
    for width in (40, 80, 100):
        monkeypatch.setenv("COLUMNS", str(width))
        r = invoke("explain", ROOT / "configs" / "xor_relu.yaml", "--layer", "1")
        assert r.exit_code == 0, r.output
        assert "bars: against the largest layer's, 1/8 shorter per factor of 10 below it" in " ".join(
            r.output.split()), (width, r.output)


def test_the_gradient_norm_bars_note_breaks_between_its_phrases(monkeypatch, tmp_path):
    """Seed 001's toy network 1-1-1 (relu, W_h = 0.5, W_o = 1.5, x = 2, y = 0.5) at 80 columns: the
    bars note under its norms table (71 wide) wrapped at the table's width and left "it" alone on
    its second line. Wider than its table (or than a narrow console, stacked), it now breaks only
    between its two phrases."""
    (tmp_path / "toy.csv").write_text("x,y\n2,0.5\n")
    (tmp_path / "toy.yaml").write_text(
        "data: {path: toy.csv, target: y, task: regression, test_fraction: 0, standardize: false}\n"
        "network: {layers: [1, 1, 1], activation: relu, weights: [[[0.5]], [[1.5]]], biases: [[0], [0]]}\n"
        "cost: half_squared_error\n")
    whole = "bars: against the largest layer's, 1/8 shorter per factor of 10 below it"
    first, second = "bars: against the largest layer's,", "1/8 shorter per factor of 10 below it"
    broken = 0
    for width in (40, 60, 80, 100, 120):
        monkeypatch.setenv("COLUMNS", str(width))
        for args in ([tmp_path / "toy.yaml", "--all-layers"], [ROOT / "configs" / "xor_relu.yaml", "--layer", "1"]):
            lines = [line.rstrip() for line in invoke("explain", *args).output.splitlines()]
            at = next(i for i, line in enumerate(lines) if line.startswith("bars:"))
            assert lines[at] == whole or lines[at:at + 2] == [first, second], (width, args, lines[at:at + 2])
            broken += lines[at] == first
    assert broken >= 3  # toy's table at 80 and more, and the stacked form at 40


@pytest.mark.parametrize("width", [30, 33, 36])
def test_the_gradient_norm_bars_note_leaves_no_word_alone_below_its_phrases_width(monkeypatch, width):
    """At 34-36 columns the note's second phrase, '1/8 shorter per factor of 10 below it' (37 wide), did not fit
    the stacked form's line, and rich wrapped it at any space: 'it' alone on the note's last line (at 30-33
    'layer's,' alone under 'bars: against the largest'). A phrase wider than the line now breaks between its
    halves ('1/8 shorter' over 'per factor of 10 below it'), every line within the width."""
    whole = "bars: against the largest layer's, 1/8 shorter per factor of 10 below it"
    monkeypatch.setenv("COLUMNS", str(width))
    r = invoke("explain", ROOT / "configs" / "xor_relu.yaml", "--layer", "1")
    assert r.exit_code == 0, r.output
    lines = [line.rstrip() for line in r.output.splitlines()]
    at = next(i for i, line in enumerate(lines) if line.startswith("bars:"))
    note, words = [], 0
    while words < len(whole.split()):
        note.append(lines[at + len(note)])
        words += len(note[-1].split())
    assert " ".join(note) == whole, note
    assert all(len(line) <= width and len(line.split()) > 1 for line in note), note
    if width == 36:  # the first phrase fits: the second breaks between its halves
        assert note == ["bars: against the largest layer's,", "1/8 shorter", "per factor of 10 below it"], note


@pytest.mark.parametrize("width", [60, 80, 120])
def test_the_cross_entropy_panel_states_the_cost_derivative_once(monkeypatch, width):
    """Under a sigmoid output with cross_entropy, "Where ∂C0/∂a^(2) comes from" gave ∂C0/∂a_j twice:
    its equation, `∂C0/∂a_j^(2) = (a_j^(2) − y_j) / (a_j^(2) (1 − a_j^(2)))`, and a note under it,
    `binary cross-entropy per output unit: ∂C0/∂a_j = (a_j − y_j) / (a_j (1 − a_j))`. The note now
    says only what it added: which cross-entropy. Markdown and JSON carry the note too."""
    monkeypatch.setenv("COLUMNS", str(width))
    circles = ROOT / "configs" / "circles.yaml"
    out = shared("explain", circles, "--layer", "L").output
    start = out.index("Where ∂C0/∂a^(")
    panel = " ".join(out[start:out.index("╰", start)].replace("│", " ").split())
    assert len(re.findall(r"/ \(a_j", panel)) == 1, panel
    assert "binary cross-entropy, one term per output unit" in panel, panel
    notes = json.loads(shared("explain", circles, "--layer", "L", "--format", "json").stdout)["source"]["notes"]
    assert notes[0] == "binary cross-entropy, one term per output unit", notes
    assert not any("∂C0/∂a_j =" in n for n in notes), notes
    md = shared("explain", circles, "--layer", "L", "--format", "markdown").stdout
    assert "- binary cross-entropy, one term per output unit\n" in md


def test_markdown_writes_the_cost_as_c0_like_the_rest_of_the_tool():
    """The prose and table headers of --format markdown say C0, as the rich output, the
    notes and the README do (it mixed in C₀); inside $$ … $$ LaTeX keeps C_0."""
    for args in (("--layer", "1"), ("--all-layers",)):
        md = invoke("explain", *args, "--format", "markdown").stdout
        assert "C₀" not in md
        assert "C0 = " in md and "∂C0/∂a^(" in md
    assert "‖∂C0/∂w‖" in invoke("explain", "--layer", "1", "--format", "markdown").stdout


def test_expand_keeps_each_symbol_of_the_path_whole_on_a_narrow_console(monkeypatch):
    """--expand's factor table at 60 columns folded the last symbol, '∂z_2^(1)/∂w_21^(1' over
    ')': the symbols now stay whole and only the formulas wrap at their spaces (or, narrower,
    seed 001's column goes; narrower still, at 46 and 40, where the symbols folded again,
    '∂C0/∂a_0^(2' over ')', each factor is a line of its own)."""
    for width in (40, 46, 60, 72):
        monkeypatch.setenv("COLUMNS", str(width))
        r = invoke("explain", "--layer", "1", "--weight", "2,1", "--expand", "--set", "network.layers=[2,5,4,3,1]")
        assert r.exit_code == 0, r.output
        panel = r.output.split("--expand: the whole chain")[1].split("╰")[0]
        assert max(len(line) for line in panel.splitlines()) <= width, panel
        if width < 50:  # stacked: a factor a line
            lines = [line.strip("│ ") for line in panel.splitlines()]
            assert "∂z_2^(1)/∂w_21^(1) = a_1^(0) = 0" in lines and "seed 000" not in panel, panel
            assert any(line.startswith("∂C0/∂a_0^(4) = 2(a_0^(4) − y_0)") for line in lines), panel
            continue
        for symbol in ("∂z_2^(1)/∂w_21^(1)", "∂a_0^(4)/∂z_0^(4)", "∂z_0^(4)/∂a_2^(3)", "∂C0/∂a_0^(4)"):
            assert symbol in panel, (width, panel)
        assert "dZ_1/dW_1" in panel.split("seed 000")[1], panel


def test_no_panel_ends_with_a_blank_line():
    """The seed 001 panel closed on an empty line (its last note's newline)."""
    for args in (("--layer", "1"), ("--layer", "L"), ("--all-layers",), ("--layer", "1", "--expand", "--weight", "0,1")):
        lines = invoke("explain", *args).stdout.splitlines()
        for i, line in enumerate(lines):
            if line.startswith("╰"):
                assert lines[i - 1].strip("│ "), (args, "\n".join(lines[i - 4:i + 1]))


@pytest.mark.parametrize("config", ["xor.yaml", "iris.yaml", "spirals.yaml"])
def test_from_config_starts_from_the_command_lines_weights(config):
    # An engineer who builds Network.from_config(config) in Python must get the network that
    # `backprop explain/gradcheck/train` start from for that config, not other random weights.
    from backprop_cli import Network

    cfg = load_config(ROOT / "configs" / config)
    net, cli_net = Network.from_config(cfg), prepare(cfg).net
    for mine, cli in zip(net.weights + net.biases, cli_net.weights + cli_net.biases):
        np.testing.assert_array_equal(mine, cli)
    other_seed = Network.from_config(dataclasses.replace(cfg, seed=cfg.seed + 1))
    assert not np.array_equal(net.weights[0], other_seed.weights[0])


def test_from_config_cost_is_the_cost_explain_prints():
    from backprop_cli import Network

    r = invoke("explain", "--layer", "1", "--example", "0", "--format", "json")
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    cost = Network.from_config(load_config(None)).cost([data["x"]], [data["y"]])
    assert cost == pytest.approx(data["cost_value"], rel=1e-15)


_FORWARD_ARGS = [
    ["--layer", "1", "--neuron", "2"],
    [ROOT / "configs" / "iris.yaml", "--layer", "L"],  # softmax
    [ROOT / "configs" / "digits.yaml", "--layer", "1"],  # 8 of 32 neurons, 8 of 64 terms each
    [ROOT / "configs" / "digits.yaml", "--layer", "1", "--weight", "3,20"],  # terms k = 0..7 and 20
    [ROOT / "configs" / "spirals.yaml", "--layer", "2", "--example", "3"],  # ReLU, 8 of 64
]


@pytest.mark.parametrize("args", _FORWARD_ARGS, ids=["xor-neuron", "iris-L", "digits-1", "digits-weight", "spirals-2"])
def test_json_forward_sums_are_the_networks_weights_biases_and_forward_pass(args):
    """Every shown neuron's w row (its shown k), b, z and a: the network's own weights and
    biases and its forward pass, as training computes them."""
    data = json.loads(shared("explain", *args, "--format", "json").stdout)
    config = args[0] if isinstance(args[0], Path) else None
    exp = prepare(load_config(config))
    example = int(args[args.index("--example") + 1]) if "--example" in args else 0
    cache = exp.net.forward(exp.train.X[example:example + 1])
    l, n_prev = data["layer"], data["sizes"][data["layer"] - 1]
    assert [f["j"] for f in data["forward"]] == [n["j"] for n in data["neurons"]] and data["forward"]
    for f in data["forward"]:
        j, ks = f["j"], f["inputs"]
        assert f["w"] == exp.net.weights[l - 1][j, ks].tolist() and f["b"] == exp.net.biases[l - 1][j]
        assert f["a_prev"] == cache.a[l - 1][0, ks].tolist()
        assert (f["z"], f["a"]) == (cache.z[l][0, j], cache.a[l][0, j])
        assert [t["index"] for t in f["terms"]] == [[j, k] for k in ks] and f["n_terms"] == n_prev
        assert [t["value"] for t in f["terms"]] == [w * a for w, a in zip(f["w"], f["a_prev"])]
    if "--weight" in args:
        assert [f["inputs"] for f in data["forward"]] == [[*range(8), 20]]


@pytest.mark.parametrize("args", _FORWARD_ARGS, ids=["xor-neuron", "iris-L", "digits-1", "digits-weight", "spirals-2"])
def test_the_forward_table_fits_and_keeps_its_numbers_whole(monkeypatch, args):
    """The forward pass's table at a projector's 60 columns, a pipe's 80 and 100: every line
    fits, every shown neuron's a and every term is there, and a cut sum says how to see the rest."""
    data = json.loads(shared("explain", *args, "--format", "json").stdout)
    n_terms = sum(len(f["terms"]) for f in data["forward"])
    n_cut = sum(len(f["terms"]) < f["n_terms"] for f in data["forward"])
    for width in (60, 80, 100):
        monkeypatch.setenv("COLUMNS", str(width))
        r = shared("explain", *args)
        assert r.exit_code == 0, r.output
        assert max(len(line) for line in r.output.splitlines()) <= width, width
        tokens = _table_tokens(r.output, "Forward pass of layer")
        for f in data["forward"]:
            assert f"{f['a'] + 0.0:.6g}" in tokens, (width, f["a"], tokens)
        assert sum(t.startswith("k=") for t in tokens) == n_terms, (width, tokens)
        assert tokens.count("more") == n_cut and not any("…" in t for t in tokens if t != "…"), (width, tokens)


@pytest.mark.parametrize("width", [80, 100])
def test_forward_terms_stay_on_one_line_at_a_projectors_width(monkeypatch, width):
    # the default XOR's output layer at 80 columns: with the long column heads the table needed
    # 82 and the third term wrapped its result onto a second line; the heads shorten instead
    monkeypatch.setenv("COLUMNS", str(width))
    r = invoke("explain", "--layer", "L", "--example", "1")
    assert r.exit_code == 0, r.output
    assert "k=2: (-0.389389) · 0.492869 = -0.191918 │" in r.output
    assert ("Σ + b_j ┃" in r.output) == (width >= 82)  # the long heads only where they fit


def test_a_truncated_forward_table_says_how_many_neurons_it_shows(monkeypatch):
    # like the per-neuron table: a class must not read 8 rows as the whole layer of 10
    monkeypatch.setenv("COLUMNS", "200")
    r = invoke("explain", ROOT / "configs" / "digits.yaml", "--layer", "L")
    assert r.exit_code == 0, r.output
    start = r.output.index("Forward pass of layer 2")
    forward_title = " ".join(r.output[start:r.output.index("┏", start)].split())  # the title wraps
    assert "(8 of 10 neurons shown)" in forward_title
    whole = invoke("explain", "--layer", "L")
    assert whole.exit_code == 0 and "neurons shown" not in whole.output


def test_the_weight_gradient_title_keeps_its_norm_and_what_it_shows_at_40_columns(monkeypatch):
    """At 40 columns the facts line ('rank one, shape 8×4, ‖·‖ = 1.81258  [showing 8×1]') is
    itself wider than the table: rich wrapped it, leaving "‖·‖ =" without its number, and
    dropped "[showing 8×1]" (the table lists one of the 4 columns) altogether."""
    monkeypatch.setenv("COLUMNS", "40")
    for args in ([ROOT / "configs" / "iris.yaml", "--layer", "1"], [ROOT / "configs" / "digits.yaml", "--layer", "1"],
                 ["--layer", "1", "--weight", "1,0"]):
        norm = json.loads(shared("explain", *args, "--format", "json").stdout)["weight_gradients"]["norm"]
        r = shared("explain", *args)
        assert r.exit_code == 0, r.output
        line = next(line for line in r.output.splitlines() if "‖·‖ =" in line)
        shown = line.split("‖·‖ =")[1].split()
        assert shown and float(shown[0]) == pytest.approx(norm, rel=1e-5), (args, line)
        assert ("rank one" if norm else "all zero") in r.output
        assert max(len(line) for line in r.output.splitlines()) <= 40
        if "--weight" not in args:
            assert re.search(r"\[showing \d+×1\]", r.output), args
    monkeypatch.setenv("COLUMNS", "100")  # the title was rich markup: "[showing 8×6]" was a tag, at any width
    assert "[showing 8×6]" in shared("explain", ROOT / "configs" / "digits.yaml", "--layer", "1").output


HAND = ROOT / "configs" / "hand_worked.yaml"


def _written_out_products(output: str) -> list[list[str]]:
    """The written-out products (∂C0/∂w_jk = … and its lines "    = …", and any continuation
    "        · …"), each as its lines; a block ends at the first line that is neither."""
    blocks: list[list[str]] = []
    open_ = False
    for line in output.splitlines():
        if re.match(r"∂C0/∂[wb]_\d+\^\(\d\) = ", line):
            blocks.append([line])
            open_ = True
        elif open_ and (line.startswith("    = ") or re.match(r" {8}[·=+−✓]", line)):
            blocks[-1].append(line)
        else:
            open_ = False
    return blocks


def test_written_out_products_break_at_their_operators_on_a_projector(monkeypatch):
    """At 60 columns rich wrapped '∂C0/∂w_00^(1) = … · ∂a_0^(1)/∂z_0^(1) ·' onto a line starting
    at column 0 with '∂C0/∂a_0^(1)', and left the check's '6e-08' alone at the start of the next
    line, where a class reads it as the next line of the derivation. Each line of a written-out
    product now fits, and a continuation starts indented with the operator it continues with."""
    for width in (60, 72, 80):
        monkeypatch.setenv("COLUMNS", str(width))
        for layer in ("1", "L"):
            r = shared("explain", HAND, "--layer", layer)
            assert r.exit_code == 0, r.output
            blocks = _written_out_products(r.output)
            assert len(blocks) == 6, (width, layer, r.output)
            for block in blocks:
                rest = block[1:]
                assert all(len(line) <= width for line in block), (width, block)
                assert len([line for line in rest if line.startswith("    = ")]) == 2, (width, block)
                # the numbers of the product, and the check's two errors, stay on one line each
                numbers = [line for line in rest if line.startswith("    = ")][-1]
                assert re.search(r" = -?\d[\d.e-]*$| = -?\d[\d.e-]*   ✓", numbers), (width, numbers)
                check = next(line for line in block if "✓" in line)
                assert re.search(r"✓ \S+ / \S+", check), (width, check)
    monkeypatch.setenv("COLUMNS", "60")
    r = shared("explain", HAND, "--layer", "1", "--weight", "0,0")
    assert "    = 0.05 · 0.241301 · 0.0363503 = 0.000438568\n        ✓ 1e-16 / 6e-08\n" in r.output, r.output


def _panel(output: str, title: str) -> list[str]:
    """The text lines of the first panel whose top border holds ``title`` (or of the first panel),
    or whose first line starts with it (a title too long for the border, below ~46 columns)."""
    lines = output.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("╭") and (
        title in line or i + 1 < len(lines) and lines[i + 1][2:].startswith(title)))
    end = next(i for i in range(start + 1, len(lines)) if lines[i].startswith("╰"))
    return [line[2:-2].rstrip() for line in lines[start + 1:end]]


def test_panels_break_formulas_between_items_and_operators_on_a_projector(monkeypatch):
    """At 80 columns rich wrapped the header's '[sigmoid: σ'(z) =' over 'σ(z)(1 − σ(z))]', at 60
    'C0 =' over its value, and the chain rule's and seed 001's formulas anywhere, the
    continuation at the panel's left edge like a new equation. A formula now continues on an
    indented line starting with its operator, and the header breaks between its items."""
    for width in (60, 72, 80):
        monkeypatch.setenv("COLUMNS", str(width))
        for args in (["--layer", "L"], ["--layer", "1", "--weight", "0,0"]):
            r = shared("explain", HAND, *args)
            assert r.exit_code == 0, r.output
            head = _panel(r.output, "╭─────")
            assert any("[sigmoid: σ(z) = 1 / (1 + e^(−z))]" in line for line in head), (width, head)
            assert any("[σ'(z) = σ(z)(1 − σ(z))]" in line for line in head), (width, head)
            assert any("C0 = 0.298371" in line for line in head), (width, head)
            labels = ("forward: ", "activation: ", "weight: ", "bias: ", "hand-back to layer 1: ")
            rules = _panel(r.output, "The chain rule for layer")
            for line in rules:
                assert line.startswith(labels) or re.match(r"    [·=] \S", line), (width, rules)
            seed001 = _panel(r.output, "Seed 001's notation")
            example = next(i for i, line in enumerate(seed001) if line.startswith(("E_2[0] =", "E_1[0] =")))
            for line in seed001[example:]:
                if line.startswith("•"):  # the notes: prose, wrapped between words
                    break
                assert re.match(r"(E_\d\[|C'\(W_\d\)\[|    [·=] )", line), (width, seed001)
            assert any("0.741365 · 0.186816" in line or "0.036350306 · 0.24130071" in line for line in seed001), seed001


def test_chain_rule_values_start_their_own_line_when_a_rule_wraps(monkeypatch):
    """At 80 columns the weight rule read 'weight: ∂C0/∂w_jk^(2) = ∂z/∂w · ∂a/∂z' over
    '· ∂C0/∂a_j^(2) = a_k^(1) · σ'(z_j^(2)) · ∂C0/∂a_j^(2)', the chain's last factor and the
    values on one line, while the bias rule under it put its '= 1 · σ'(z_j^(2)) · …' on a line
    of its own (the hand-back too at 60 and 80). A rule that wraps now gives its values a line."""
    starts = {"weight: ": "    = a_k^(", "bias: ": "    = 1 · ", "hand-back to layer 1: ": "    = Σ_j w_jk^("}
    for width in (60, 72, 80, 100):
        monkeypatch.setenv("COLUMNS", str(width))
        for config in (HAND, ROOT / "configs" / "xor.yaml"):
            r = shared("explain", config, "--layer", "L")
            assert r.exit_code == 0, r.output
            rules = _panel(r.output, "The chain rule for layer")
            for label, start in starts.items():
                first = next(i for i, line in enumerate(rules) if line.startswith(label))
                body = rules[first:next((i for i in range(first + 1, len(rules)) if not rules[i].startswith("    ")),
                                        len(rules))]
                if len(body) > 1:  # wrapped: the values are a line of their own
                    assert any(line.startswith(start) for line in body), (width, config, body)
                    assert not any(re.search(r"\S = (a_k|1 ·|Σ_j w_jk)", line) for line in body[1:]), (width, body)


def _table_body(output: str, title: str) -> list[str]:
    """The body lines of the table whose title starts with ``title``: from under its header's rule
    to its bottom border or the blank line that ends it."""
    lines = output.splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip().startswith(title))
    rule = next(i for i in range(start, len(lines)) if re.match(r"^[ ┡]?[━─]{3}", lines[i].strip(" ")))
    body = []
    for line in lines[rule + 1:]:
        if not line.strip() or line.startswith("└"):
            break
        body.append(line)
    return body


@functools.lru_cache(maxsize=None)
def _layer_explanation(config: str | None, layer: str, example: int, sets: tuple | None = None, **kw):
    from backprop_cli.explain import explain_layer
    path = str(ROOT / "configs" / config) if config else None
    exp = prepare(load_config(path, {k: list(v) for k, v in sets}) if sets else load_config(path))
    return explain_layer(exp.net, exp.train.X[example], exp.train.Y[example], layer=layer, **kw)


def _rendered(renderable, width: int, panel: bool = True) -> list[str]:
    """The lines ``renderable`` prints at ``width`` columns; ``panel``: a panel's, without its borders."""
    from rich.console import Console
    console = Console(file=io.StringIO(), width=width, color_system=None, highlight=False, emoji=False)
    console.print(renderable)
    lines = console.file.getvalue().splitlines()
    return [line[2:-2].rstrip() for line in lines[1:-1]] if panel else [line.rstrip() for line in lines]


def _breaks(lines: list[str], whole: str) -> list[int]:
    """Where in ``whole`` (the equation on one line) ``lines`` (it wrapped, each continuation line
    indented) break it: the index of the space each line break took the place of. Asserts that
    joining the lines gives ``whole`` back, no character lost, moved or added."""
    breaks, pos = [], 0
    for n, line in enumerate(lines):
        piece = line.strip()
        if n:
            assert whole[pos] == " ", (whole, lines)
            breaks.append(pos)
            pos += 1
        assert whole.startswith(piece, pos), (whole, lines)
        pos += len(piece)
    assert pos == len(whole), (whole, lines)
    return breaks


SEED001_WRAP_CASES = [(None, "L", 0), (None, "L-1", 3), ("iris.yaml", "L", 0), ("iris.yaml", "L-1", 0),
                      ("spirals.yaml", "L-1", 0), ("spirals.yaml", "L", 1), ("hand_worked.yaml", "L", 0),
                      ("hand_worked.yaml", "L-1", 0), ("xor_relu.yaml", "L", 2), ("xor_relu.yaml", "L-1", 3)]


@pytest.mark.parametrize("config,layer,example", SEED001_WRAP_CASES)
def test_a_seed_001_equation_that_wraps_gives_its_values_a_line_of_their_own(config, layer, example):
    """Seed 001's `E_1[1] = E_2[0] · W_2[0,1] · σ'(Z_1)_1 = 0.2958 · 1.0965 · 0.2216 = 0.0719` broke
    where the line ended: at 40 columns `· σ'(Z_1)_1 = 0.2957971`, which reads as σ'(Z_1)_1 =
    0.2958 (it is E_2[0]; σ'(Z_1)_1 is 0.2216), at 55 hand_worked's `C'(W_2)[0,1] = E_2[0] · H_1[1]
    = 0.13849856` over `· 0.59688438 = 0.0826676`, at 60 iris's `C'(W_1)[1,1] = E_1[1] · X[1] =
    (-0.68413956)`: 40, 52, 55, 58 and 61 columns on every config. Now, at every width from 40 to
    100, each equation is its one-line self with some spaces made line breaks (nothing moved or
    lost), and where it breaks at all it breaks at the `=` before its numbers, so that no line
    holds a symbol and a number; any other break comes before an operator, never inside a number."""
    ex = _layer_explanation(config, layer, example)
    s = ex.seed001  # the panel without its equations and notes (prose, wrapped between words: 2/3 of its time)
    ex = dataclasses.replace(ex, seed001=dataclasses.replace(s, equations=(), notes=()))
    equations = []
    for p in (s.error_example, s.weight_example):
        if p.rule == "difference":  # a fused output rule's E_o[j] = ŷ_j − y_j (iris)
            symbols = f"{p.symbol} = " + " ".join(f.symbol for f in p.factors[:-1]) + " − " + p.factors[-1].symbol
        else:
            symbols = f"{p.symbol} = " + " · ".join(f.symbol for f in p.factors)
        wide = next(line for line in _rendered(R._seed001_panel(ex), 400) if line.startswith(p.symbol + " = "))
        assert wide.startswith(symbols + " = "), wide
        equations.append((p.symbol + " = ", wide, len(symbols)))
    for width in range(40, 101):
        panel = _rendered(R._seed001_panel(ex, width), width)
        for start, wide, values_at in equations:
            first = next(i for i, line in enumerate(panel) if line.startswith(start))
            end = next((i for i in range(first + 1, len(panel)) if not panel[i].startswith("    ")), len(panel))
            lines = panel[first:end]
            assert all(len(line) <= width - 4 for line in lines), (width, lines)
            breaks = _breaks(lines, wide)
            if breaks:  # it wrapped: the values start a line, after every symbol
                assert values_at in breaks, (width, config, layer, lines)
            for at in breaks:  # each line but the first starts with an operator: '· E_2[0]', '= 0.29', '· 1.09'
                assert wide.startswith((" · ", " = ", " − "), at), (width, config, layer, lines)
            numbers = wide[values_at:]  # (a fused output rule's E_o[j] = ŷ_j − y_j: a difference)
            assert re.fullmatch(r"( [=·−] \(?-?[\d.e+-]+\)?)+", numbers), numbers  # numbers alone after it


def test_forward_and_hand_back_terms_break_at_their_operators(monkeypatch):
    """Rich wrapped a term of the hand-back sum wherever its column ended: at 80 columns
    'j=0: 0.4 · 0.1868156 · 0.7413651 =' over '0.0553994', at 60 'j=1: 0.5 · 0.1755101 ·' over
    '(-0.2170715) = -0.0190491', right-aligned, so a class read two lines as two terms (the
    forward sum's 'k=1: 0.45 · 0.5968844 =' over '0.268598' too). A term that does not fit now
    continues under its first factor, the line starting with its operator, and no line of
    either table ends on one."""
    for width in (60, 72, 80):
        monkeypatch.setenv("COLUMNS", str(width))
        r = shared("explain", HAND, "--layer", "L")
        assert r.exit_code == 0, r.output
        for title, whole in (("∂C0/∂a_k^(1) handed back to layer 1", "0.4 · 0.1868156"), ("Forward pass of layer 2", "0.4 · 0.59327")):
            body = _table_body(r.output, title)
            assert body and any(whole in line for line in body), (width, title, body)
            for line in body:
                assert not re.search(r"[·=]\s*(│|$)|[·=] {2,}", line), (width, title, body)
            cells = [c.strip() for line in body for c in re.split(r"│| {2,}", line) if c.strip()]
            for c in cells:
                if c[0] in "·=":
                    assert re.fullmatch(r"[·=] \(?-?\d[\d.e-]*\)?( · \(?-?\d[\d.e-]*\)?)*( = -?\d[\d.e-]*)?", c), (width, c)
        assert max(len(line) for line in r.output.splitlines()) <= width


def _terms_broken_at_operators(body: list[str]) -> None:
    """Every term of a forward or hand-back table body continues on lines that start with its
    operator, and no line ends on one (rich's own wrapping did both)."""
    for line in body:
        assert not re.search(r"[·=]\s*(│|$)|[·=] {2,}", line), body
    cells = [c.strip() for line in body for c in re.split(r"│| {2,}", line) if c.strip()]
    for c in cells:
        if c[0] in "·=":
            assert re.fullmatch(r"[·=] \(?-?\d[\d.e-]*\)?( · \(?-?\d[\d.e-]*\)?)*( = -?\d[\d.e-]*)?", c), (c, body)


def test_hand_back_terms_break_at_their_operators_at_50_columns(monkeypatch):
    """At 50 columns the hand-back table's legend 'terms' over '(j: factors = term)' (19 columns,
    never wrapped) and its one-line checks left the broken terms too little room, so rich wrapped
    them anywhere again: '0.1868156 ·' over '0.7413651 =', right-aligned. The checks now go on two
    lines ('✓ 4e-16' over '/ 5e-10') where that makes the table fit, and the legend on two lines
    where the terms are narrower than it."""
    monkeypatch.setenv("COLUMNS", "50")
    r = invoke("explain", HAND, "--layer", "L")
    assert r.exit_code == 0, r.output
    body = _table_body(r.output, "∂C0/∂a_k^(1) handed back to layer 1")
    # the check's rel err vs backprop is a rounding error (4e-16 or 0 as the backward pass rounds): on
    # one line where it fits ('✓ 0 / 5e-10'), else on two ('✓ 4e-16' or '✓ 0' over '/ 5e-10')
    assert any(line.startswith(" 0  j=0: 0.4 · 0.1868156 ") and re.search(r"✓ (0 / 5e-10|0|\de-1[5-7]) $", line)
               for line in body), body
    assert "         · (-0.2170715)" in [line.rstrip() for line in body], body
    _terms_broken_at_operators(body)
    assert max(len(line) for line in r.output.splitlines()) <= 50


def test_a_factor_wider_than_the_line_breaks_inside_its_brackets(monkeypatch):
    """At 40 columns a piece with no operator to break at was left to rich, which wrapped it at
    column 0 inside its brackets: the hand-back factor '· (Σ_i w_i0^(2) σ'(z_i^(2))' over
    '∂C0/∂a_i^(2))', read as the next equation, and the header's '[sigmoid: σ'(z) = σ(z)(1 −' over
    'σ(z))]'. Such a piece now breaks inside its brackets, at an operator or between two factors,
    and continues under the bracket's first character."""
    monkeypatch.setenv("COLUMNS", "40")
    r = invoke("explain", HAND, "--layer", "1", "--weight", "0,0")
    assert r.exit_code == 0, r.output
    lines = r.output.splitlines()
    assert max(len(line) for line in lines) <= 40
    start = lines.index("∂C0/∂w_00^(1) = ∂z_0^(1)/∂w_00^(1)")
    block = lines[start:start + 8]
    assert block[4:6] == ["        · (Σ_i w_i0^(2) σ'(z_i^(2))", "           ∂C0/∂a_i^(2))"], block
    assert all(line.startswith(" ") for line in block[1:]), block
    head = _panel(r.output, "╭─────")
    # σ broken before its "=", not inside its right-hand side ("σ(z) = 1" over "/ (1 + e^(−z))]")
    assert head[head.index("    [sigmoid: σ(z)") + 1] == "      = 1 / (1 + e^(−z))]", head
    assert "    [σ'(z) = σ(z)(1 − σ(z))]" in head, head
    source = _panel(r.output, "Where ∂C0/∂a^(1) comes from")
    at = source.index("from layer 2: ∂C0/∂a_j^(1)")  # under the title's lines at 40 columns
    assert source[at + 1:at + 3] == ["    = Σ_i w_ij^(2) σ'(z_i^(2))", "      ∂C0/∂a_i^(2)"], source
    r = invoke("explain", ROOT / "configs" / "circles.yaml", "--layer", "L", "--weight", "0,0")
    lines = r.output.splitlines()
    at = lines.index("        · (a_0^(2) − y_0)")  # a quotient: the next line starts with its "/"
    assert lines[at + 1] == "          / (a_0^(2) (1 − a_0^(2)))", lines[at - 4:at + 3]


def test_a_long_hint_for_left_out_terms_does_not_widen_the_terms(monkeypatch):
    """With --neuron j the hand-back sums end with '… 1 more term (--full without
    --neuron/--weight)', whose hint, kept whole, was 37 columns wide: at 60 columns it set the
    terms column's width, the table did not fit, and rich wrapped every term anywhere. The hint
    now breaks between its words, as narrow as the terms."""
    monkeypatch.setenv("COLUMNS", "60")
    r = invoke("explain", "--set", "network.layers=[2,12,10,1]", "--layer", "2", "--neuron", "9")
    assert r.exit_code == 0, r.output
    body = [line.rstrip() for line in _table_body(r.output, "∂C0/∂a_k^(1) handed back to layer 1")]
    assert "      (--full without" in body and "       --neuron/--weight)" in body, body
    _terms_broken_at_operators([line for line in body if "--" not in line])
    assert max(len(line) for line in r.output.splitlines()) <= 60


def test_forward_terms_indent_less_where_under_the_first_factor_does_not_fit(monkeypatch):
    """At 50 columns 'k=1: (-0.344196) · 0.01 = -0.00344196' broken under its first factor was 18
    columns wide, 2 too many for xor_relu's forward table, and rich wrapped every term anywhere
    again. Where that does not fit, the continuation lines are indented by 2 only."""
    monkeypatch.setenv("COLUMNS", "50")
    r = invoke("explain", ROOT / "configs" / "xor_relu.yaml", "--layer", "L")
    assert r.exit_code == 0, r.output
    body = [line.rstrip() for line in _table_body(r.output, "Forward pass of layer 2")]
    assert body[:3] == [" 0  k=0: 0.764132       0  0.00271202  0.00271202", "      · 0.01", "      = 0.00764132"], body
    _terms_broken_at_operators(body)
    assert max(len(line) for line in r.output.splitlines()) <= 50


def test_fitting_a_table_measures_its_rows_without_rendering_them():
    """Fitting a table to the console tried up to ~20 candidates, each rendered whole to learn
    what its frame adds: 5 s for `--layer L --full` of the digits config (a 320-row products
    table). The frame is rendered from the headers alone; the answer is the same as the whole
    table's rendered width."""
    import io

    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from backprop_cli.render import explain as render

    renders = []

    class Counted(Text):
        def __rich_console__(self, console, options):
            renders.append(self.plain)
            yield from super().__rich_console__(console, options)

    for frame in ({}, render._frame(60)):
        table = Table(title="a title", **frame)
        table.add_column("j", no_wrap=True)
        table.add_column("terms")
        table.add_column("check", no_wrap=True)
        for i in range(40):
            table.add_row(Counted(str(i)), Counted("x" * (i % 17) + " y"), Counted("✓ 1e-16 / 5e-10"))
        whole = Console(width=10_000, file=io.StringIO()).measure(table).maximum
        narrowest = whole - len("x" * 16 + " y") + len("x" * 16)  # "terms" wraps between its words
        assert [render._fits(table, w) for w in (narrowest - 1, narrowest)] == [False, True]
        assert renders == []


def test_a_long_vector_in_the_header_breaks_between_its_numbers(monkeypatch):
    """The digits config's header holds x's 64 numbers in one (…): at 40 columns it broke at the
    first space it could, 'one' over 'example: x = (0, -0.337455, …'. A piece too wide for the line
    breaks at the outermost level with a break a third of the way along or further."""
    monkeypatch.setenv("COLUMNS", "40")
    r = invoke("explain", ROOT / "configs" / "digits.yaml", "--layer", "L", "--weight", "0,0")
    assert r.exit_code == 0, r.output
    head = _panel(r.output, "╭─────")
    assert head[5:7] == ["example 0: standardized", "    x = (0, -0.337455, 0.16394,"], head


def test_the_headers_wrapped_lines_go_on_four_columns_in(monkeypatch):
    """At 60 columns the header's 'parameters:' went on 6 columns in, '(network.init auto, seed 0), untrained',
    as did iris's 'x = (…' and 'data/iris.csv: …', where its other lines ('y = …', '[σ'(z) = …]') go on 4 in."""
    monkeypatch.setenv("COLUMNS", "60")
    r = shared("explain", ROOT / "configs" / "iris.yaml", "--layer", "1")
    assert r.exit_code == 0, r.output
    head = _panel(r.output, "╭─────")
    assert head[2:] == ["example 0: standardized", "    x = (1.06, -1.30476, 1.17029, 0.767839),",
                        "    y = (0, 0, 1), C0 = 1.89735", "example 0 is line 110 of",
                        "    data/iris.csv: x = (6.7, 2.5, 5.8, 1.8) before", "    standardizing, class virginica",
                        "parameters: a fresh initialisation", "    (network.init auto, seed 0), untrained"], head


@pytest.mark.parametrize(("width", "args", "lines"), [
    (72, ("--layer", "1"), ["C'(W_1) = dC/dŷ · dŷ/dZ_3 · dZ_3/dH_2 · dH_2/dZ_2 · dZ_2/dH_1",
                            "    · dH_1/dZ_1 · dZ_1/dW_1"]),
    (80, ("--set", "network.layers=[2,3,3,1]", "--layer", "1"),
     ["C'(W_1)[1,0] = Σ_paths dC/dŷ · dŷ/dZ_3 · dZ_3/dH_2 · dH_2/dZ_2 · dZ_2/dH_1", "    · dH_1/dZ_1 · dZ_1/dW_1"]),
    # the sum over the paths under it goes on 4 columns in too (at 50 to 80 it went on at the panel's edge)
    (80, ("--set", "network.layers=[2,3,3,1]", "--layer", "1", "--example", "3"),
     ["C'(W_1)[1,0] = Σ_paths dC/dŷ · dŷ/dZ_3 · dZ_3/dH_2 · dH_2/dZ_2 · dZ_2/dH_1", "    · dH_1/dZ_1 · dZ_1/dW_1",
      "∂C0/∂w_10^(1) = Σ over 3 paths (i_3 = 0, i_2 from 0 to 2; i_m: the neuron",
      "    the path goes through in layer m) of the product along the path"]),
    (55, ("--set", "network.layers=[2,3,3,1]", "--layer", "1", "--example", "3"),
     ["C'(W_1)[1,0] = Σ_paths dC/dŷ · dŷ/dZ_3 · dZ_3/dH_2", "    · dH_2/dZ_2 · dZ_2/dH_1 · dH_1/dZ_1 · dZ_1/dW_1",
      "∂C0/∂w_10^(1) = Σ over 3 paths (i_3 = 0, i_2 from 0", "    to 2; i_m: the neuron the path goes through in",
      "    layer m) of the product along the path"]),
])
def test_the_expand_chain_goes_on_four_columns_in_without_a_lone_factor(monkeypatch, chain, width, args, lines):
    """--expand's chain went on at the panel's edge, '· dH_1/dZ_1 · dZ_1/dW_1' under 'C'(W_1) = …' at 72
    columns (the chain rule's go on 4 in), and at 80 2-3-3-1's ended with '· dZ_1/dW_1' alone."""
    monkeypatch.setenv("COLUMNS", str(width))
    r = invoke("explain", *(() if "--set" in args else (chain,)), *args, "--expand")
    assert r.exit_code == 0, r.output
    panel = _panel(r.output, "--expand")
    assert panel[:len(lines)] == lines, panel


def test_a_term_label_stands_alone_where_its_first_factor_does_not_fit(monkeypatch):
    """A 1-1-1 network's hand-back term 'j=0: (-1.44202) · 1 · 1.94769 = -2.80861' did not fit 40
    columns broken at its operators ('j=0: (-1.44202)' alone is 15), and rich wrapped it into
    '(-1.44202) ·' over '1 · 1.94769' over '= -2.80861', which reads 1 · 1.94769 = -2.80861.
    The label 'j=0:' may stand alone over its first factor."""
    monkeypatch.setenv("COLUMNS", "40")
    r = invoke("explain", ROOT / "configs" / "sine.yaml", "--set", "network.layers=[1,1,1]", "--layer", "L")
    assert r.exit_code == 0, r.output
    body = [line.rstrip() for line in _table_body(r.output, "∂C0/∂a_k^(1) handed back to layer 1")]
    assert body[1:5] == ["      (-1.44202)", "      · 1", "      · 1.94769", "      = -2.80861"], body
    _terms_broken_at_operators(body)


def test_the_hint_for_left_out_terms_breaks_after_a_slash_too(monkeypatch):
    """At 50 columns the hand-back hint's last word, '--neuron/--weight)' under its 3-column
    indent, was 21 columns, wider than the room the terms have: no broken table fitted, and rich
    wrapped every term anywhere ('j=1: 0.315708 ·' over '0.2416083 ·', right-aligned, the hint cut
    to '--neuron/--wei…'). The hint now breaks after its '/' as well."""
    monkeypatch.setenv("COLUMNS", "50")
    r = invoke("explain", ROOT / "configs" / "digits.yaml", "--layer", "2", "--neuron", "3")
    assert r.exit_code == 0, r.output
    body = [line.rstrip() for line in _table_body(r.output, "∂C0/∂a_k^(1) handed back to layer 1")]
    assert "       --neuron/" in body and "       --weight)" in body, body
    # the ✓ figure is a difference at rounding level: its digit depends on the CPU's summation order
    assert any(re.fullmatch(r" 0  j=0: 0\.2651366          0\.185471 +✓ (0|\de-1[5-7])", line) for line in body), body
    _terms_broken_at_operators([line for line in body if "--" not in line])
    assert max(len(line) for line in r.output.splitlines()) <= 50


def test_fitting_measures_text_and_plain_cells_as_rich_does_without_asking_rich(monkeypatch):
    """Fitting a --full table measured each of its cells with rich (2,048 rows, several columns,
    up to 4 tables tried): most of the 2-5 s `--layer 1 --full` of the digits config took to
    render. A Text, or a str without markup or emoji codes, is measured from its plain text, as
    rich's Text measures itself (longest word, widest line); anything else is still rich's."""
    import io

    from rich.console import Console
    from rich.measure import Measurement
    from rich.table import Column, Table
    from rich.text import Text

    from backprop_cli.render import explain as render

    cells = ["0.123456", "", "j=0: 0.4 · 0.19\n  = 0.076", Text("✓ 2e-16 / 8e-09", style="bold green"),
             Text("k=0: 1 ·\n      (-0.5)"), Text(""), "数字 (wide)", "  lead and trail  ", "a\n\nb",
             "[bold]0.5[/]", "x :smile: y", "[not markup"]
    console = Console(width=10_000, file=io.StringIO(), color_system=None)
    want = [tuple(Measurement.get(console, console.options, c)) for c in cells]
    asked = []
    real = Measurement.get.__func__
    monkeypatch.setattr(Measurement, "get", classmethod(lambda cls, con, opt, r: asked.append(r) or real(cls, con, opt, r)))
    header = Text("")  # measures (0, 0): a column of it and one cell measures as the cell
    assert [render._column_extent(console, console.options, Column(header, _cells=[c])) for c in cells] == want
    assert [r for r in asked if r is not header] == ["[bold]0.5[/]", "x :smile: y", "[not markup"]

    asked.clear()
    table = Table(title="t", **render._frame(60))
    for h in ("j", "terms", "check"):
        table.add_column(h, no_wrap=h != "terms")
    for i in range(300):
        table.add_row(str(i), f"k={i}: 0.5 · {i}\n  = {i / 2}", Text("✓ 1e-16 / 5e-10"))
    assert render._fits(table, 60) and not render._fits(table, 20)
    assert 0 < len(asked) < 2 * 20, "rich measures the headers (and the frame), not the 900 cells"


def test_a_term_broken_as_plain_text_is_broken_as_its_rich_text_is():
    """The forward and hand-back terms are broken at every width tried while their table is
    fitted (2,048 terms for `--layer 1 --full` of the digits config): as plain strings, without
    building a rich Text for each, and the same as _break_formula breaks them."""
    from rich.text import Text

    from backprop_cli.render import explain as render

    lines = ["k=12: (-0.0833984) · 0.0137451 = (-0.00114634)", "j=0: 0.4 · 0.1868156 · 0.7413651 = 0.0553994",
             "j=3: (-1.44202) · 1 · 1.94769 = -2.80861", "  (Σ_i w_i0^(2) σ'(z_i^(2)) ∂C0/∂a_i^(2)) · 数字 = 0.5",
             "… 55 more terms (--full)", "k=1: (-0.344196) · 0.01 = -0.00344196"]
    seen = 0
    for line in lines:
        for width in range(6, 50):
            for indent, after in ((line.index(": ") + 2 if ": " in line else 2, ()), (2, (": ",)), (8, render._BREAK_AFTER)):
                got = render._break_plain(line, width, indent=indent, after=after)
                assert got == render._break_formula(Text(line), width, indent=indent, after=after).plain
                seen += got != line
    assert seen > 100
    for line in lines:  # the columns of a slice, from the line's offsets
        off = render._cell_offsets(line)
        assert all(off[b] - off[a] == render.cell_len(line[a:b]) for a in range(len(line)) for b in range(a, len(line) + 1))


def test_the_products_table_works_out_its_rows_once_whatever_tables_it_tries(monkeypatch):
    """At 40 columns the products table is tried with up to 4 headers and frames, and each try
    formatted every row again (2,048 rows for `--layer 1 --full` of the digits config)."""
    from backprop_cli.explain import explain_layer
    from backprop_cli.render import explain as render

    exp = prepare(load_config(ROOT / "configs" / "iris.yaml"))
    ex = explain_layer(exp.net, exp.train.X[0], exp.train.Y[0], layer="1", full=True)
    made = []
    real = render._check_text
    monkeypatch.setattr(render, "_check_text", lambda c: made.append(c) or real(c))
    forms = set()
    for width in range(40, 80):
        made.clear()
        table = render._products_table("w", ex.weight_products, "j,k", 1, width)
        if not isinstance(table, Table) and isinstance(table.renderables[0], Table):
            table = table.renderables[0]  # the factors at the products' digits, a note under it
        stacked = not isinstance(table, Table)  # and the stacked form writes its own lines
        assert len(made) == len(ex.weight_products) * (1 + stacked) == 32 * (1 + stacked), width
        forms.add("stacked" if stacked else table.show_edge)
    assert forms == {"stacked", False, True}, "the narrower forms were tried"


_NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:e[-+]\d+)?")


@pytest.mark.parametrize("config, args", [
    ("xor", ("--layer", "1")), ("xor", ("--layer", "2")), ("circles", ("--layer", "1")),
    ("circles", ("--layer", "2")), ("iris", ("--layer", "2")), ("sine", ("--layer", "1")),
    ("spirals", ("--layer", "2", "--neuron", "0")), ("xor_relu", ("--all-layers",)),
])
def test_at_40_columns_every_number_is_shown_whole(monkeypatch, config, args):
    """Below ~50 columns the forward, per-neuron, products, hand-back and gradient-norm tables did
    not fit in any form: rich cut their numbers ('-0.3018…', '(-0.389…', '0.25…': another number
    to a learner), dropped the products' check column, and wrapped the terms anywhere. They are
    stacked instead, one row after the other, broken at operators: every value of the JSON format
    is shown whole, in the digits its table shows, and no line is wider than the console."""
    from backprop_cli.render.explain import _n

    path = ROOT / "configs" / f"{config}.yaml"
    data = json.loads(shared("explain", path, *args, "--format", "json").stdout)
    monkeypatch.setenv("COLUMNS", "40")
    r = shared("explain", path, *args)
    assert r.exit_code == 0, r.output
    assert not re.search(r"[\w.)]…", r.output), [line for line in r.output.splitlines() if "…" in line]
    assert max(len(line) for line in r.output.splitlines()) <= 40
    shown = set(_NUMBER.findall(r.output))
    for layer in data.get("layers", [data]):
        want = {R._cell(v, 4) for p in layer["weight_products"] + layer["bias_products"] for v in [p["value"]]}
        want |= {R._cell(n[key], 4) for n in layer["neurons"] for key in ("z", "a", "sigma_prime", "grad_a", "delta")
                 if n[key] is not None}  # softmax: no σ'(z_j) of its own, shown as —
        want |= {_n(h["value"]) for h in layer["hand_back"]} | {_n(f["a"]) for f in layer["forward"]}
        want |= {_n(n["weight_norm"]) for n in layer["gradient_norms"]}
        assert want <= shown, sorted(want - shown)


def test_a_stacked_row_keeps_its_check_and_indents_its_second_line():
    """Stacked at 40 columns, a product's or hand-back sum's check stays on its row, and a check's
    second line ('finite diff cannot judge') goes under the row's first item, not at column 0 where
    it reads as the next row."""
    import io

    from rich.console import Console

    from backprop_cli.explain import explain_layer
    from backprop_cli.network import Network
    from backprop_cli.render.explain import render_rich

    net = Network([1, 1, 2, 1], activation="relu", output_activation="linear", cost="squared_error")
    net.weights = [np.array([[1.0]]), np.array([[1.0], [-1.0]]), np.array([[1.0, 1.0]])]
    net.biases = [np.zeros(1), np.array([-1.0, 1.0]), np.zeros(1)]
    console = Console(file=io.StringIO(), width=40, color_system=None)
    render_rich(explain_layer(net, [1.0], [1.0], layer=2), console)
    lines = [line.rstrip() for line in console.file.getvalue().splitlines()]
    at = lines.index("0: Σ = 0   ? 0 / kink")
    assert lines[at + 1:at + 4] == ["   finite diff cannot judge", "  j=0: 1 · 0 · (-2) = 0", "  j=1: (-1) · 0 · (-2) = 0"]
    at = lines.index("0,0: 1 · 0 · (-2) = 0")
    assert lines[at + 1] == "     ✓ 0 / abs 1e-10 one-sided"


def test_a_table_too_wide_in_every_form_is_stacked_without_trying_each(monkeypatch):
    """At 40 columns the forward table of digits' --layer 1 --full was fitted ~20 times, each
    breaking its 2,048 terms anew, and the products table built in all 4 forms, before both were
    stacked. Where the narrowest form cannot fit (the forward table without its terms, the
    products table in its last form), they are stacked at once."""
    from backprop_cli.explain import explain_layer
    from backprop_cli.render import explain as render

    exp = prepare(load_config(ROOT / "configs" / "circles.yaml"))
    ex = explain_layer(exp.net, exp.train.X[0], exp.train.Y[0], layer="1", full=True)
    broken, tables = [], []
    real_break, real_table = render._break_plain, render._products_table_of
    monkeypatch.setattr(render, "_break_plain", lambda *a, **k: broken.append(a) or real_break(*a, **k))
    monkeypatch.setattr(render, "_products_table_of", lambda *a: tables.append(a[5]) or real_table(*a))
    assert not isinstance(render._forward_table(ex, 40), Table) and broken == []
    assert not isinstance(render._products_table("w", ex.weight_products, "j,k", 1, 40), Table)
    assert tables == [3]
    assert isinstance(render._forward_table(ex, 60), Table) and broken, "where it may fit, it is fitted"


def test_eq8_sums_name_their_factors_and_the_hand_back_comes_last(monkeypatch):
    """A classroom read of the hand-worked example: the sums' terms "j=0: 0.4 · 0.1868156 · 0.7413651"
    were headed "(j: factors = term)", leaving which number is w, σ' or ∂C0/∂a to the title; the
    hand-back table was titled "Handed back to layer 1" (the received one "∂C0/∂a_j^(1) received
    from layer 2"), so its rows k were not said to be ∂C0/∂a_k^(1); and it stood between the bias
    products and δ aᵀ, splitting the layer's gradients. Now the legend names the factors where the
    terms are wide enough (never widening the column), the title says what is summed, and the
    hand-back is the layer's last table (Markdown: its own section after the rest)."""
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.setenv("NO_COLOR", "1")
    out = invoke("explain", HAND, "--layer", "L").output
    assert "terms (j: w_jk · σ'(z_j) · ∂C0/∂a_j = term)" in out
    title = "∂C0/∂a_k^(1) handed back to layer 1 (eq. 8): Σ_j w_jk^(2) · σ'(z_j^(2)) · ∂C0/∂a_j^(2)"
    out = " ".join(out.split())  # the title wraps where the table is narrower than it
    assert title in out and "Handed back" not in out
    order = [out.index(s) for s in ("each bias", "δ^(2) (a^(1))ᵀ", "Seed 001's notation", title, "‖∂C0/∂w^(l)‖")]
    assert order == sorted(order), order
    out = invoke("explain", HAND, "--layer", "1").output
    assert ("received from layer 2 (eq. 8 with k → j, j → i): Σ_i w_ij^(2) · σ'(z_i^(2)) · ∂C0/∂a_i^(2)"  # "·" as in
            in " ".join(out.split()))  # its terms; seed 000's letters one layer up (the title wraps before Σ_i)
    assert "terms (i: w_ij · σ'(z_i) · ∂C0/∂a_i = term)" in out
    md = invoke("explain", HAND, "--layer", "L", "--expand", "--format", "markdown").output
    heads = [line for line in md.splitlines() if line.startswith("#")]
    assert heads.index("### ∂C0/∂a_k^(1) handed back to layer 1 (eq. 8)") == \
        heads.index("### Gradient norm of every layer") - 1, heads
    iris = invoke("explain", ROOT / "configs" / "iris.yaml", "--layer", "L").output  # softmax: w · δ
    assert "terms (j: w_jk^(2) · δ_j^(2) = term)" in iris


def test_stacked_eq8_sums_say_which_layer_each_letter_counts(monkeypatch):
    """Stacked (40 columns), a received sum's legend said 'each j … then its terms i: factors =
    term': which layer j and i count, and which factor is which, was left out (the stacked
    products say 'j in layer 1, k in layer 0')."""
    monkeypatch.setenv("COLUMNS", "40")
    monkeypatch.setenv("NO_COLOR", "1")
    flat = " ".join(invoke("explain", HAND, "--layer", "1").output.split())
    assert ("each j (a neuron of layer 1): Σ and its check (rel err vs backprop / finite diff), then its "
            "terms i (layer 2): w_ij^(2) · σ'(z_i^(2)) · ∂C0/∂a_i^(2) = term") in flat
    flat = " ".join(invoke("explain", HAND, "--layer", "L").output.split())
    assert "each k (a neuron of layer 1): Σ" in flat and "terms j (layer 2): w_jk^(2) ·" in flat


def test_panel_titles_are_never_cut_at_a_narrow_console(monkeypatch):
    """At 40 columns rich cut the panels' titles at their border: 'The chain rule for layer 1 (seed
    00', 'layer error E_', 'the whole chain to w_11^(' (another seed, a cut index, on a projector).
    A title that does not fit in the border is now the panel's first line, broken between words."""
    monkeypatch.setenv("COLUMNS", "40")
    monkeypatch.setenv("NO_COLOR", "1")
    out = invoke("explain", HAND, "--layer", "1", "--expand").output
    titles = ("The chain rule for layer 1 (seed 000)", "Where ∂C0/∂a^(1) comes from (memoized)",
              "Seed 001's notation: layer error E_1 (E_h)", "--expand: the whole chain to w_11^(1)")
    flat = " ".join(line.strip("│ ") for line in out.splitlines())
    flat = " ".join(flat.split())
    for t in titles:
        assert t in flat, t
    for line in out.splitlines():
        if line.startswith("╭─ "):  # a title in the border is a whole one
            assert line[3:].split(" ─")[0] in titles, line
    monkeypatch.setenv("COLUMNS", "50")  # where they fit, they stay in the border
    out = invoke("explain", HAND, "--layer", "1", "--expand").output
    assert [line[3:].split(" ─")[0] for line in out.splitlines() if line.startswith("╭─ ")] == list(titles)


@pytest.mark.parametrize("activation", ["relu", "leaky_relu", "elu", "silu", "linear"])
def test_the_header_writes_sigma_and_sigma_prime_side_by_side_on_their_own_line(monkeypatch, activation):
    """At 100 columns relu's header had σ after the architecture and σ' alone under it, while
    leaky_relu's (a longer σ) had both on the second line and linear's all on the first: the
    layout moved with the formulas' lengths. σ and σ' now share the second line, as the README shows."""
    monkeypatch.setenv("COLUMNS", "100")
    r = invoke("explain", "--set", f"activation={activation}", "--layer", "1", "--example", "3")
    assert r.exit_code == 0, r.output
    head = _panel(r.output, "╭─────")
    assert head[0] == f"Layer 1 (L-1) of 2-3-1 {activation}/{activation}, squared_error", head
    assert head[1].startswith(f"    [{activation}: σ(z) = ") and "]   [σ'(z) = " in head[1], head
    assert head[2].startswith("example 3: x = (1, 1), y = (0), C0 = "), head  # which example: --example 3


def test_the_softmax_header_says_it_has_no_sigma_prime_instead_of_writing_one(monkeypatch):
    """'[σ'(z) = (not element-wise)]' read as a formula, and 'σ(z) = e^(z_j) / …' had its j on one side."""
    monkeypatch.setenv("COLUMNS", "100")
    r = invoke("explain", ROOT / "configs" / "iris.yaml", "--layer", "L")
    assert r.exit_code == 0, r.output
    head = _panel(r.output, "╭─────")
    assert head[1] == "    [softmax: σ(z)_j = e^(z_j) / Σ_i e^(z_i)]   [no σ'(z), not element-wise: δ^(L) = a − y]", head
    md = invoke("explain", ROOT / "configs" / "iris.yaml", "--layer", "L", "--format", "markdown").output
    assert "σ'(z) = (not element-wise)" not in md and "no σ'(z), not element-wise" in md


SEED001 = """# seed 001's toy network: X -> W_h -> H = R(Z_h) -> W_o -> ŷ = R(Z_o), C = ½(ŷ − y)²
path: one.csv
target: y
task: regression
test_fraction: 0
layers: [1, 1, 1]
activation: ReLU
weights: [[[0.5]], [[1.5]]]
biases: [[0], [0]]
loss: half_squared_error
"""


def test_seed_001s_hidden_layer_error_shows_every_factor_of_e_h(tmp_path, monkeypatch):
    """Seed 001: E_h = E_o · W_o · R'(Z_h). Its panel wrote E_1[0] = (E_2 · W_2)_0 · σ'(Z_1)_0
    = (-2.25) · 1: W_o's 1.5 appeared nowhere in it, so a learner could not follow the seed's
    product. With one neuron above, (E_o · W_o)_j is E_o[0] · W_o[0, j]: both are written."""
    monkeypatch.setenv("COLUMNS", "100")
    (tmp_path / "one.csv").write_text("x,y\n2,3\n")
    (tmp_path / "seed001.yaml").write_text(SEED001)
    r = invoke("explain", tmp_path / "seed001.yaml", "--layer", "1")
    assert r.exit_code == 0, r.output
    seed001 = _panel(r.output, "Seed 001's notation")
    assert "E_1[0] = E_2[0] · W_2[0,0] · R'(Z_1)_0 = (-1.5) · 1.5 · 1 = -2.25" in seed001, seed001
    assert "C'(W_1)[0,0] = E_1[0] · X[0] = (-2.25) · 2 = -4.5" in seed001, seed001
    out = invoke("explain", tmp_path / "seed001.yaml", "--layer", "L").output
    assert "E_2[0] = C'(ŷ_0) · R'(Z_2)_0 = (-1.5) · 1 = -1.5" in out and "C0 = 1.125" in out, out
    data = json.loads(invoke("explain", tmp_path / "seed001.yaml", "--layer", "1", "--format", "json").output)
    factors = data["seed001"]["error_example"]["factors"]
    assert [f["value"] for f in factors] == [-1.5, 1.5, 1.0], factors


SEED001_FUSED = """data: {path: one.csv, target: y, task: regression, test_fraction: 0, standardize: false}
network:
  layers: [1, 1, 1]
  activation: relu
  output_activation: sigmoid
  weights: [[[0.5]], [[1.5]]]
  biases: [[0], [0]]
cost: cross_entropy
"""


@pytest.mark.parametrize("w_o", ["1.5", "40"])
def test_seed_001s_worked_output_error_under_a_fused_rule_is_y_hat_minus_y(tmp_path, monkeypatch, w_o):
    """relu hidden, sigmoid output, cross_entropy: seed 001's panel said E_o = C'(Z_2) = ŷ − y '(no σ'
    factor)', then worked E_2[0] = C'(ŷ_0) · σ'(Z_2)_0 = 2.16481 · 0.147727, the generic chain the backward
    pass does not use (and saturated, W_o = 40, ŷ_0 − y_0 = 0.5 without its numbers). Under a fused output
    rule the worked line is ŷ_0 − y_0 with its numbers, in the terminal, Markdown and JSON."""
    monkeypatch.setenv("COLUMNS", "100")
    (tmp_path / "one.csv").write_text("x,y\n2,0.5\n")
    (tmp_path / "f.yaml").write_text(SEED001_FUSED.replace("[[1.5]]", f"[[{w_o}]]"))
    y_hat = 1 / (1 + math.exp(-float(w_o)))  # H = R(0.5 · 2) = 1, Z_2 = W_o
    shown = "0.817574 − 0.5 = 0.317574" if w_o == "1.5" else "1 − 0.5 = 0.5"
    r = invoke("explain", tmp_path / "f.yaml", "--layer", "L")
    assert r.exit_code == 0, r.output
    panel = " ".join(_panel(r.output, "Seed 001's notation"))
    assert f"E_2[0] = ŷ_0 − y_0 = {shown} " in panel, panel
    assert "C'(ŷ_0)" not in panel and "σ'(Z_2)" not in panel, panel
    md = invoke("explain", tmp_path / "f.yaml", "--layer", "L", "--format", "markdown").output
    assert rf"E_{{2}}\left[0\right] = \hat{{y}}_{{0}} - y_{{0}} = {shown.replace('−', '-')}" in md, md
    data = json.loads(invoke("explain", tmp_path / "f.yaml", "--layer", "L", "--format", "json").output)
    example = data["seed001"]["error_example"]
    assert example["rule"] == "difference", example
    assert [(f["symbol"], f["value"]) for f in example["factors"]] == [("ŷ_0", pytest.approx(y_hat, rel=1e-15)),
                                                                      ("y_0", 0.5)], example
    assert example["value"] == pytest.approx(y_hat - 0.5, rel=1e-12) == data["neurons"][0]["delta"]
    # softmax + cross_entropy (iris): the same
    iris = shared("explain", ROOT / "configs" / "iris.yaml", "--layer", "L").output
    panel = " ".join(_panel(iris, "Seed 001's notation"))
    assert re.search(r"E_2\[(\d)\] = ŷ_\1 − y_\1 = 0\.\d+ − [01] = -?0\.\d+ ", panel), panel
    assert "C'(ŷ_" not in panel, panel


def test_a_warning_about_one_unit_says_neuron_and_its(tmp_path, monkeypatch):
    """Seed 001's network with z_h = 0 exactly: 'neurons 0. Their weights get no gradient' for
    its one hidden unit."""
    monkeypatch.setenv("COLUMNS", "100")
    (tmp_path / "one.csv").write_text("x,y\n2,3\n")
    (tmp_path / "seed001.yaml").write_text(SEED001.replace("biases: [[0], [0]]", "biases: [[-1], [0]]"))
    r = invoke("explain", tmp_path / "seed001.yaml", "--layer", "1")
    text = " ".join(r.output.replace("│", " ").split())
    assert "(z ≤ 0, so R'(z) = 0): neuron 0. Its weights get no gradient" in text, r.output
    assert "neurons 0." not in text and "Their weights" not in text, r.output
    data = json.loads(invoke("explain", ROOT / "configs" / "spirals.yaml", "--layer", "1", "--format", "json").output)
    many = [w["message"] for w in data["warnings"] if w["kind"] == "dead_relu"]
    assert many and all(": neurons " in m and "Their weights" in m for m in many), many


def test_expand_of_a_one_path_chain_has_one_blank_line_above_its_factors(tmp_path, monkeypatch):
    """Seed 001's network has one path to each weight: its --expand panel had two empty lines
    between the path sum and the factors (one when a 'largest path' line stood between)."""
    monkeypatch.setenv("COLUMNS", "100")
    (tmp_path / "one.csv").write_text("x,y\n2,3\n")
    (tmp_path / "seed001.yaml").write_text(SEED001)
    panel = _panel(invoke("explain", tmp_path / "seed001.yaml", "--layer", "1", "--expand").output, "--expand")
    at = panel.index("∂C0/∂w_00^(1) = the chain below (no sum: one path)")  # as the output layer's says it
    assert panel[at + 1] == "" and panel[at + 2].startswith("seed 001"), panel


def _balanced(text: str) -> bool:
    depth = 0
    for ch in text:
        depth += (ch in "([{") - (ch in ")]}")
        if depth < 0:
            return False
    return depth == 0


def test_expand_never_breaks_a_factors_formula_inside_its_brackets(monkeypatch):
    """`COLUMNS=60 explain --set network.layers=[2,3,3,1] --all-layers --example 3 --expand` wrapped the
    formula `2(a_0^(3) − y_0)` as `2(a_0^(3) −` over `y_0)` to keep seed 001's column: a formula is whole
    on its line, or broken before an operator outside its brackets (cross-entropy's `(a_0^(3) − y_0)` over
    `/ (a_0^(3) (1 − a_0^(3)))`), and where that does not fit beside seed 001's names they give way, said
    under the table, as on narrower consoles; no line is wider than the console."""
    monkeypatch.setenv("COLUMNS", "60")
    r = invoke("explain", "--set", "network.layers=[2,3,3,1]", "--all-layers", "--example", "3", "--expand")
    assert r.exit_code == 0, r.output
    rows = [line for line in r.output.splitlines() if re.match(r"│ (dC/dŷ +)?∂C0/∂a_0\^\(3\) ", line)]
    assert len(rows) == 3 and all("∂C0/∂a_0^(3)" in row and "2(a_0^(3) − y_0)" in row for row in rows), rows
    # seed 001's names kept beside it, one space between the columns, where they fit so (layers 3 and 2);
    # layer 1's ten-digit values leave them no room: they give way, said so
    assert [row.startswith("│ dC/dŷ ") for row in rows] == [True, True, False], rows
    assert "seed 001's names (dC/dŷ, …) left out for width: 61 columns show them" in " ".join(
        _panel_lines(r.output)), r.output
    exp = prepare(load_config(None, {"network.layers": [2, 3, 3, 1], "cost": "cross_entropy"}))
    exs = explain_all_layers(exp.net, exp.train.X[3], exp.train.Y[3], expand=True)
    for width in (40, 50, 56, 60, 64, 66, 70, 71, 72, 80, 87, 100):
        console = Console(file=io.StringIO(), width=width, color_system=None, highlight=False, emoji=False)
        R.render_rich(exs, console)
        lines = [line.strip("│ ").rstrip() for line in console.file.getvalue().splitlines()]
        assert max(map(cell_len, console.file.getvalue().splitlines())) <= width
        for start in (i for i, line in enumerate(lines) if re.match(r"(seed 001 +)?seed 000 +formula", line)):
            rows = list(itertools.takewhile(lambda line: line and not line.startswith(("product along", "seed 001's")),
                                            lines[start + 1:]))
            assert rows and all(_balanced(row) for row in rows), (width, rows)
            if width == 100:
                assert rows[0].startswith("dC/dŷ"), rows
            if width == 72:  # beside them, cross-entropy's derivative broken at its '/'
                assert rows[0].split()[2:4] == ["(a_0^(3)", "−"] and rows[1].strip() == "/ (a_0^(3) (1 − a_0^(3)))", rows


@pytest.mark.parametrize("width", ["80", "50"])
def test_expand_heads_the_column_of_each_factors_formula(monkeypatch, width):
    """--expand's factors table headed the column of what each seed 000 factor is in this network's
    terms (a_0^(2) − y_0, σ'(z_0^(2)), w_00^(2)) with a bare "=": it is headed "formula"."""
    monkeypatch.setenv("COLUMNS", width)
    r = shared("explain", ROOT / "configs" / "hand_worked.yaml", "--layer", "1", "--weight", "0,0", "--expand")
    assert r.exit_code == 0, r.output
    panel = [" ".join(line.split()) for line in _panel(r.output, "--expand")]
    head = panel.index(("seed 001 " if width == "80" else "") + "seed 000 formula value")
    assert panel[head + 1].endswith("∂C0/∂a_0^(2) a_0^(2) − y_0 0.7413651"), panel
    assert not any(line.endswith(" = value") or " = value" in line for line in panel), panel


@pytest.mark.parametrize("width", [80, 60, 40])
def test_expand_names_the_figures_of_its_check(monkeypatch, width):
    """--expand's panel ended 'product along this path = 0   ✓ 0 / 0', with no column header to
    say what the two figures are: on a projector it read as a division. Each is named, on a line of
    its own under the value it checks, broken between the two comparisons where it does not fit."""
    monkeypatch.setenv("COLUMNS", str(width))
    r = invoke("explain", ROOT / "configs" / "xor.yaml", "--layer", "1", "--expand")
    assert r.exit_code == 0, r.output
    panel = _panel(r.output, "--expand")
    at = panel.index("product along this path = 0")
    if width >= 60:
        assert panel[at + 1] == "✓ rel err vs backprop 0, vs finite diff 0", panel
    else:
        assert panel[at + 1:at + 3] == ["✓ rel err vs backprop 0,", "  vs finite diff 0"], panel
    assert not any("✓ 0 / 0" in line for line in panel), panel
    assert all(len(line) <= width for line in r.output.splitlines()), r.output


def test_expand_check_in_words_for_each_status():
    from backprop_cli.explain import Check
    from backprop_cli.render.explain import _check_labelled

    def check(**kw):
        base = dict(value=0.5, backprop=0.5, numeric=0.5, rel_err_backprop=1e-16, rel_err_numeric=5e-10,
                    abs_err_backprop=1e-17, abs_err_numeric=2e-10, passed=True)
        return Check(**{**base, **kw})

    assert _check_labelled(check()).plain == "✓ rel err vs backprop 1e-16, vs finite diff 5e-10"
    # both ~0: the absolute difference, named as such; the one-sided difference said
    tiny = check(value=1e-12, backprop=1e-12, numeric=3e-12, rel_err_numeric=0.7, abs_err_numeric=2e-12,
                 difference="one-sided")
    assert _check_labelled(tiny).plain == "✓ rel err vs backprop 1e-16, abs err vs finite diff 2e-12 (one-sided)"
    kink = check(passed=False, status="kink")
    assert _check_labelled(kink).plain == "? rel err vs backprop 1e-16; finite diff cannot judge (a ReLU kink)"
    assert _check_labelled(kink, 40).plain == "? rel err vs backprop 1e-16;\n  finite diff cannot judge (a ReLU kink)"
    fail = check(backprop=0.75, rel_err_backprop=0.33, rel_err_numeric=0.33, abs_err_backprop=0.25,
                 abs_err_numeric=0.25, passed=False, status="fail")
    assert _check_labelled(fail).plain == ("✗ FAIL rel err vs backprop 3e-01, vs finite diff 3e-01\n"
                                           "backprop 0.75, finite diff 0.5")


def test_the_weight_gradient_matrix_of_a_wide_input_fits_every_width(monkeypatch):
    """δ aᵀ with 9 inputs: the number of k columns was guessed at 12 characters each, and with the
    frame, the padding and the δ_j \\ a_k^(2) header 8 columns took 126 of 120 (7 took 113 of 110,
    6 took 100 of 96): rich cut the last column, '0.09' for 0.09431, and the header to 'a_k^(…'.
    Now as many columns as fit, each number whole and equal to the JSON's, '[showing 1×n]' true."""
    args = ["--set", "network.layers=[2,10,9,1]", "--set", "network.activation=[elu, silu]",
            "--set", "network.output_activation=softplus", "--set", "data.dataset=spirals", "--layer", "L"]
    dw = json.loads(invoke("explain", *args, "--format", "json").stdout)["weight_gradients"]["dw"][0]
    for width in (96, 100, 110, 118, 120, 125, 130):
        monkeypatch.setenv("COLUMNS", str(width))
        r = invoke("explain", *args)
        assert r.exit_code == 0, r.output
        assert max(len(line) for line in r.output.splitlines()) <= width, width
        n = int(re.search(r"\[showing 1×(\d+)\]", r.output).group(1))
        lines = r.output.splitlines()
        head = [i for i, line in enumerate(lines) if "δ_j \\ a_k^(2)" in line]
        assert head, (width, "the δ_j \\ a_k^(2) header was cut")
        row = next(line for line in lines[head[0]:] if line.startswith("│  0 │"))
        cells = [c.strip() for c in row.strip("│").split("│")][2:]
        assert len(cells) == n and n >= (width - 30) // 13, (width, row)  # as many as fit
        for c, v in zip(cells, dw):
            assert float(c) == pytest.approx(v, rel=6e-4), (width, c, v)

def _k_columns(lines: list[str]) -> list[int]:
    """The k of δ aᵀ's columns, from its header ('k=0  k=1' or '│ k=0 │ k=1 │')."""
    head = next(line for line in lines if "k=" in line and "showing" not in line)
    return [int(k) for k in re.findall(r"k=(\d+)", head)]


@pytest.mark.parametrize("config,layer,example,sets", [
    (None, "L-1", 3, None), ("iris.yaml", "L-1", 0, None), ("iris.yaml", "L", 0, (("network.layers", (4, 12, 3)),)),
    ("hand_worked.yaml", "L", 0, None)])
def test_the_weight_gradient_matrix_names_the_columns_it_leaves_out_for_width(config, layer, example, sets):
    """At 40 columns `explain --layer L-1 --example 3` showed δ aᵀ's column k=0 alone under '[showing
    3×1]', with no word of k=1 or of how to see it (gradcheck at that width says '… not shown (--json
    has every figure)'); and its first guess of the columns that fit was never raised: at 69 columns
    iris's k=3 was left out of a table 67 wide with it. At widths from 40 to 120 the columns shown
    and those named as left out are now all of the layer's shown inputs; the width the note gives
    is the least that shows them all (one column narrower the note is still there), and the note
    breaks between its phrases only ('(a' over 'terminal 43 columns wide or --json shows' over 'it)'
    at 40, when it said 'narrow console: … not shown (a terminal 43 columns wide or --json shows it)')."""
    ex = _layer_explanation(config, layer, example, **({"sets": sets} if sets else {}))
    cols, needs = list(ex.weight_gradients.cols), set()
    phrase = re.compile(r"(columns? k=[\d, to]+|left out for width:|[\d,]+ columns show (it|them),|--json every figure)")

    def note_of(lines: list[str]) -> list[str]:
        return lines[next((i for i, line in enumerate(lines) if re.match(r"columns? k=", line)), len(lines)):]

    for width in sorted({*range(40, 121, 3), 42, 43, 68, 69}):  # every third, and either side of the cases
        lines = _rendered(R._weight_matrix(ex, width), width, panel=False)
        shown = _k_columns(lines)
        assert shown == cols[:len(shown)], (width, shown)
        note = note_of(lines)
        if shown == cols:
            assert not note and "left out" not in " ".join(lines), (width, lines)
            continue
        m = re.fullmatch(r"(columns? k=[\d, to]+) left out for width: ([\d,]+) columns show (it|them), --json every figure",
                         " ".join(note))
        assert m, (width, lines)
        assert m.group(1) == R._columns_named("k", cols[len(shown):]), (width, m.group(1))
        assert (m.group(3) == "them") == (len(cols) - len(shown) > 1), (width, m.group(0))
        for line in note:  # whole phrases on each line
            assert re.fullmatch(rf"{phrase.pattern}( {phrase.pattern})*", line), (width, note)
        need = int(m.group(2).replace(",", ""))
        assert need > width, (width, need)
        if need not in needs:
            needs.add(need)
            assert _k_columns(_rendered(R._weight_matrix(ex, need), need, panel=False)) == cols, (width, need)
            short = _rendered(R._weight_matrix(ex, need - 1), need - 1, panel=False)
            assert _k_columns(short) != cols and note_of(short), (need, short)  # the least width that does
        assert max(map(len, lines)) <= width, (width, lines)


def test_the_weight_gradient_matrix_at_40_columns_says_which_column_it_leaves_out(monkeypatch):
    """The audit's case: at 40 columns δ aᵀ of the default XOR's layer 1 shows k=0 only, and says so,
    in two lines broken between phrases."""
    monkeypatch.setenv("COLUMNS", "40")
    r = shared("explain", "--layer", "L-1", "--example", "3")
    assert r.exit_code == 0, r.output
    text = re.sub(r"\s+", " ", r.output)
    assert "[showing 3×1]" in text
    lines = r.output.splitlines()
    at = lines.index("column k=1 left out for width:")
    assert lines[at + 1] == "43 columns show it, --json every figure", r.output
    assert R._columns_named("k", [1, 2]) == "columns k=1, 2"
    assert R._columns_named("k", [3, 4, 5, 6, 7]) == "columns k=3 to 7"
    monkeypatch.setenv("COLUMNS", "43")
    r = shared("explain", "--layer", "L-1", "--example", "3")
    assert "[showing" not in r.output and "left out for width:" not in r.output, r.output


def test_the_note_of_columns_left_out_does_not_call_a_projector_narrow(monkeypatch):
    """At 100 columns spirals' layer 1 under --full said 'narrow console: columns k=6 to 63 not shown
    (a terminal 854 columns wide …)': a projector's 100 columns are not narrow. The note says what is
    left out and what shows it, on one line."""
    monkeypatch.setenv("COLUMNS", "100")
    r = shared("explain", ROOT / "configs" / "spirals.yaml", "--layer", "L-1", "--full")
    assert r.exit_code == 0, r.output
    assert "\ncolumns k=6 to 63 left out for width: 854 columns show them, --json every figure\n" in r.output, r.output
    assert "narrow console" not in r.output


def test_the_expand_panel_says_when_its_seed_001_column_is_left_out_for_width(monkeypatch):
    """--expand's factors table drops its seed 001 column (dC/dŷ, dŷ/dZ_2, …) where the table does not
    fit with it (below 54 columns for hand_worked's w_01^(1), one space between its columns and its
    formula a_0^(2) − y_0 broken before its −), and said nothing of it; it now says so and at which
    width it is shown. Below ~46 columns, where each factor is stacked on lines of its own and no table
    or column is printed, it said 'the seed 001 column not shown': the note names what goes, seed 001's
    names of the factors, in both layouts."""
    for width, shown in ((30, False), (40, False), (45, False), (46, False), (50, False), (53, False), (54, True),
                         (57, True), (80, True)):
        monkeypatch.setenv("COLUMNS", str(width))
        r = shared("explain", HAND, "--layer", "1", "--weight", "0,1", "--expand")
        assert r.exit_code == 0, r.output
        panel = " ".join(_panel(r.output, "--expand"))
        text = re.sub(r"\s+", " ", panel)
        if shown:
            assert "seed 001 seed 000" in text and "left out" not in text, (width, panel)
        else:
            assert "seed 001 seed 000" not in text and "seed 001 column" not in text, (width, panel)
            assert ("seed 001's names (dC/dŷ, …) left out for width: 54 columns show them, --json has them"
                    in text), (width, panel)


@pytest.mark.parametrize("layer,weight", [("L-1", None), ("1", (0, 1))])
def test_the_expand_panels_stacked_factors_give_their_values_and_formulas_lines_of_their_own(layer, weight):
    """Below ~46 columns --expand stacks the largest path's factors, one equation each, `symbol =
    formula = value`, broken where wider than the panel. Broken wherever the line ended, at 30 columns
    hand_worked's `∂C0/∂a_0^(2) = a_0^(2)` stood over `− y_0 = 0.741365`, which reads as y_0 = 0.741365
    (it is ∂C0/∂a_0^(2)'s value), and after that was fixed, `∂C0/∂a_0^(2) = a_0^(2)` over `− y_0` over
    `= 0.741365`, where the first line reads as ∂C0/∂a_0^(2) = a_0^(2). At every width from 30 to 50
    each stacked factor is its one-line self with some spaces made line breaks; where it wraps, its
    value starts a line of its own with its `=`, and where its formula wraps too, the symbol has its
    line alone, the formula starting the next with its `=`."""
    kw = {"weight": weight} if weight else {}
    e = _layer_explanation("hand_worked.yaml", layer, 0, expand=True, **kw).expansion
    d = R._operand_digits([f.value for f in e.factors], e.path_value, digits=R._expansion_digits(e)[1])
    wrapped = formula_wrapped = 0
    for width in range(30, 51):  # stacked below 46 columns, a table from there
        panel = _rendered(R._expansion_panel(e, width), width)
        assert all(len(line) <= width - 4 for line in panel), (width, panel)
        for f in e.factors:
            symbols = f"{f.symbol} = {f.formula}"
            wide = f"{symbols} = {R._n(f.value, d)}"
            first = next((i for i, line in enumerate(panel) if line == f.symbol or line.startswith(f.symbol + " = ")),
                         None)
            if first is None:  # a table: the symbol followed by its columns
                assert any(line.startswith(f.symbol + "  ") or f" {f.symbol}  " in line for line in panel), panel
                continue
            end = next((i for i in range(first + 1, len(panel)) if not panel[i].startswith("  ")), len(panel))
            breaks = _breaks(panel[first:end], wide)
            if breaks:
                wrapped += 1
                assert len(symbols) in breaks, (width, panel[first:end])  # '= 0.741365' a line of its own
            if any(at < len(symbols) for at in breaks):
                formula_wrapped += 1
                assert len(f.symbol) in breaks, (width, panel[first:end])  # '= a_0^(2) − y_0' starts a line
    assert wrapped and formula_wrapped, (wrapped, formula_wrapped)


@pytest.mark.parametrize("activation", sorted(ACTIVATIONS))
def test_the_headers_activation_formulas_break_before_their_equals_sign(activation):
    """At 35 to 41 columns every sigmoid header read `[sigmoid: σ(z) = 1` over `/ (1 + e^(−z))]`, i.e.
    σ(z) = 1; elu's `= z if z > 0 else e^z` over `− 1]`, softmax's `e^(z_j) / Σ_i` over `e^(z_i)]`.
    At every width from 30 to 80, σ's and σ''s brackets are their one-line selves broken at spaces,
    and a line that holds a symbol and its `=` holds the whole right-hand side: where the bracket does
    not fit, it breaks before its `=`, and its right-hand side, where still too wide, at its operators."""
    a = ACTIVATIONS[activation]
    ex = _layer_explanation(None, "L", 0)
    ex = dataclasses.replace(ex, activation=activation, activation_formula=a.formula, activation_prime=a.prime_formula)
    brackets = [f"[{R._sigma_text(ex)}]", f"[{R._sigma_prime_text(ex)}]"]
    for width in range(30, 81):
        lines = _rendered(R._header(ex, width), width, panel=False)
        assert max(map(len, lines)) <= width, (width, lines)
        start = next(i for i, line in enumerate(lines) if line.startswith("    ["))
        stop = next(i for i, line in enumerate(lines) if "example" in line)  # "your example: x = …"
        groups, pieces = [], []  # each bracket's lines
        for line in lines[start:stop]:
            for piece in line.strip().split("   "):  # two brackets side by side
                pieces.append(piece)
                if piece.endswith("]"):
                    groups.append(pieces)
                    pieces = []
        assert [" ".join(g) for g in groups] == brackets, (width, lines[start:stop])
        for g in groups:
            for piece in g[:-1]:  # an "=" after a symbol on a line that does not close the bracket
                assert " = " not in piece, (width, lines[start:stop])


@pytest.mark.parametrize("kw,aside", [({"weight": (0, 1)}, "weight w_01^(2)"), ({"neuron": 0}, "neuron 0")])
def test_the_headers_weight_or_neuron_never_starts_a_line_with_a_dot(kw, aside):
    """At 40 columns `explain configs/circles.yaml --layer L --weight 0,1` printed `C0 = 0.502632`
    over `· weight w_01^(2)`, the separator at the line's start reading as a multiplication. From 30
    to 120 columns the weight (or neuron) follows C0 after `   · ` where it fits, else has the next
    line to itself, without the `·`."""
    ex = _layer_explanation("circles.yaml", "L", 0, **kw)
    for width in range(30, 121):
        lines = [line.strip() for line in _rendered(R._header(ex, width), width, panel=False)]
        assert not any(line.startswith("·") for line in lines), (width, lines)
        at = next(i for i, line in enumerate(lines) if line.endswith(aside))
        assert lines[at] == aside or lines[at].endswith(f"C0 = {R._n(ex.cost_value)}   · {aside}"), (width, lines)
        if lines[at] == aside:
            assert lines[at - 1].endswith(f"C0 = {R._n(ex.cost_value)}"), (width, lines)
            assert len(f"    {lines[at - 1]}   · {aside}") > width, (width, lines)  # it did not fit beside it


def test_an_ascii_stream_gets_no_line_wider_than_the_console():
    """Where the stream takes ASCII alone (PYTHONIOENCODING=ascii, LC_ALL=C) the symbols are written
    as their stand-ins, Σ as `sum` and ŷ as `yhat`, wider than the symbols the lines were laid out
    with: at 57 columns `explain configs/hand_worked.yaml --layer 1 --weight 0,1 --expand` wrote 4
    lines of 59 and 60 columns (`| C'(W_1) = dC/dyhat . dyhat/dZ_2 . dZ_2/dH_1 . dH_1/dZ_1 |`), which
    the terminal wrapped, and --all-layers' rule at 60 `<-` for `←`. As the stream writes it, every
    line now fits; where nothing needs it the layout is the UTF-8 stream's."""
    from rich.console import Console

    from backprop_cli import fit_to_encoding

    class Stream(io.StringIO):
        def __init__(self, encoding: str) -> None:
            super().__init__()
            self._encoding = encoding

        @property
        def encoding(self) -> str:  # type: ignore[override]
            return self._encoding

    ex = _layer_explanation("hand_worked.yaml", "1", 0, weight=(0, 1), expand=True)
    for width in (30, 57, 88):  # (at 84 the chain's 'C'(W_1)[0,1] = sum_paths dC/dyhat . …' is 86 wide: it is fitted)
        out = {}
        for encoding in ("ascii", "utf-8"):
            stream = Stream(encoding)
            R.render_rich(ex, Console(file=stream, width=width, color_system=None, highlight=False, emoji=False))
            out[encoding] = stream.getvalue()
        written = fit_to_encoding(out["ascii"], "ascii").splitlines()
        assert max(map(len, written)) <= width, (width, [line for line in written if len(line) > width])
        assert max(map(cell_len, out["utf-8"].splitlines())) <= width
        if width == 88:  # nothing there to fit: the same layout, every panel the console's width
            assert len(written) == len(out["utf-8"].splitlines())
            borders = [cell_len(line) for line in out["utf-8"].splitlines() if line[:1] in "╭╰┏┗┌└"]
            assert [len(line) for line in written if line.startswith("+")] == borders, written
    stream = Stream("ascii")  # --all-layers' rules: '<-' for '←' ran one a column past the edge
    both = (_layer_explanation(None, "L", 0), _layer_explanation(None, "L-1", 0))
    R.render_rich(both, Console(file=stream, width=60, color_system=None, highlight=False, emoji=False))
    written = fit_to_encoding(stream.getvalue(), "ascii").splitlines()
    assert "----- layer 2 (L)  <-  error flows back from the cost ------" in written, written
    assert max(map(len, written)) <= 60, [line for line in written if len(line) > 60]


@pytest.mark.parametrize("activation", ["relu", "softplus", "elu", "silu", "leaky_relu", "linear"])
def test_a_forward_pass_that_overflows_is_one_error_naming_the_layer(tmp_path, activation):
    """Weights of 1e200: z^(2) = 1e200 · 1e200 is inf (or inf − inf = NaN). This was a
    ValueError traceback from the gradient-norm bars, or ✗ FAIL nan / nan on every product
    (exit 1, blaming the backward pass for the arithmetic); now one line, exit 2."""
    config = extreme_config(tmp_path, activation, "1e200")
    for ex in ("1", "2", "3"):
        for args in (["--layer", "L"], ["--all-layers"], ["--layer", "1", "--format", "json"]):
            r = invoke("explain", config, *args, "--example", ex)
            assert r.exit_code == 2, (ex, args, r.output)
            assert "Traceback" not in r.output and "FAIL" not in r.output
            assert "explain: the forward pass overflows at layer 2 (L): z_0^(2) = " in r.output, r.output
            assert "|w^(2)| up to 1e+200" in r.output and "hint: explain needs finite numbers" in r.output


@pytest.mark.parametrize("activation,w,cost", [
    ("sigmoid", "1e10", "squared_error"), ("sigmoid", "1e155", "squared_error"),
    ("sigmoid", "1e300", "cross_entropy"), ("tanh", "1e300", "squared_error"),
    ("softplus", "1e10", "squared_error"), ("elu", "1e10", "squared_error"),
    ("silu", "1e10", "squared_error"), ("linear", "1e10", "squared_error"),
    ("leaky_relu", "1e10", "squared_error"), ("relu", "1e10", "squared_error"),
    # example 2's output z is 1e6 − 1e6 = 0: the smaller steps never agree (truncation above,
    # the cancellation's rounding below) and the smallest moved no cost, two 0s read as a slope
    ("elu", "1e3", "squared_error"), ("softplus", "1e5", "squared_error"), ("silu", "3e4", "squared_error"),
    ("linear", "1e5", "squared_error"),
])
def test_finite_but_extreme_weights_get_no_false_failure(tmp_path, activation, w, cost):
    """Weights of 1e3 … 1e300 whose passes stay finite: a ±1e-6 step moves z far, so the cost
    bends (or rounds) within it and the central difference is no slope. That showed ✗ FAIL
    (exit 1) against a correct backward pass, or a ZeroDivisionError traceback (relu, a one-sided
    step rounded away). Now smaller steps are tried, and what none can judge is ?."""
    config = extreme_config(tmp_path, activation, w, cost)
    for ex in ("0", "1", "2", "3"):
        r = invoke("explain", config, "--all-layers", "--example", ex, "--format", "json")
        assert r.exit_code in (0, 3), (ex, r.output)
        data = json.loads(r.stdout)
        statuses = {p["check"]["status"] for layer in data["layers"]
                    for key in ("weight_products", "bias_products", "hand_back") for p in layer.get(key) or []}
        assert statuses and "fail" not in statuses, (ex, statuses)
        assert (r.exit_code == 3) == bool(statuses & {"kink", "noise", "steep"}), (ex, statuses)


def test_a_steep_check_is_shown_as_inconclusive_in_every_format(tmp_path):
    config = extreme_config(tmp_path, "sigmoid", "1e155")
    r = invoke("explain", config, "--layer", "L")
    assert r.exit_code == 3 and "? 0 / steep" in r.output and "FAIL" not in r.output, r.output
    assert "bends within it" in " ".join(r.output.split())
    md = invoke("explain", config, "--layer", "L", "--format", "markdown").output
    assert "(the cost bends too sharply within any step)" in md and "FAIL" not in md


def test_smaller_steps_still_fail_a_real_mismatch():
    """A retry at smaller steps must not rescue a wrong value: a finite difference that converges
    (ε and ε/16 agree) to another number is a failure, as before."""
    from backprop_cli.explain import Numeric, make_check

    def cost_at(h):  # C(θ + h) = 3h: slope 3 at every step
        return 3.0 * h, h, False

    first = Numeric(3.0, "central", 0.0, 1e-6, cost_at)
    assert make_check(3.0, 3.0, first).status == "pass"
    wrong = make_check(6.0, 6.0, first)
    assert wrong.status == "fail" and wrong.numeric == 3.0


def _panel_lines(output: str) -> list[str]:
    """The output's lines without panel borders and the padding beside them."""
    return [line.strip().strip("│").strip() for line in output.splitlines()]


def test_prose_panels_do_not_break_inside_a_formula(monkeypatch):
    """The seed 001 panel, the notes and the warnings are prose that rich wrapped at any space: at
    80 columns (a pipe) layer 1's panel read `entry [j,` over `k] = …`, at 60 `δ_j^(1)` over
    `a_k^(0).`, `a row (1 ×` over `1)`, `(neurons 0,` over `1, 2)` and layer 2's note `C = ½(ŷ −`
    over `y)²`; at 40 the chain rule panel's title read `(seed` over `000)`. A line now breaks
    between words outside a formula and outside a short bracket; a formula too wide for the line
    breaks before an operator (`E_1[j] · X[k]` over `= δ_j^(1) a_k^(0).`)."""
    xor = ROOT / "configs" / "xor.yaml"
    for width in (40, 60, 80, 100, 120):
        monkeypatch.setenv("COLUMNS", str(width))
        r = shared("explain", xor, "--layer", "1")
        assert r.exit_code == 0, r.output
        lines = _panel_lines(r.output)
        assert not any(line.endswith(("[j,", "(1 ×", "(seed", "(neurons 0,", "(rel", "= δ_j^(1)")) for line in lines), \
            (width, r.output)
        whole = ["(1 × 1)", "(seed 000)", "(neurons 0, 1, 2)"]
        whole += ["[j, k] = E_1[j] · X[k]", "= δ_j^(1) a_k^(0)."] if width == 40 else \
                 ["[j, k] = E_1[j] · X[k] = δ_j^(1) a_k^(0)."]
        whole += ["(rel err < 1e-5 or abs < 1e-9)"] * (width >= 60)
        for text in whole:
            assert any(text in line for line in lines), (width, text, r.output)
        r = shared("explain", xor, "--layer", "2")
        assert r.exit_code == 0, r.output
        lines = _panel_lines(r.output)
        for text in ("C = ½(ŷ − y)²", "C0 = Σ(a − y)²", "E_o = (ŷ − y) · R'(Z_o)"):
            assert any(text in line for line in lines), (width, text, r.output)


def test_a_wrapped_vector_in_seed_001s_panel_goes_on_under_its_first_number(monkeypatch):
    """iris's H_1 of 8 numbers wrapped at seed 001's panel edge at 80 columns: '-0.434457,
    0.930884]   (inputs 0, …, 7)' began a line as if it were the next item. A vector's numbers now
    go on under its first one, and a short bracket after it stays whole."""
    iris = ROOT / "configs" / "iris.yaml"
    for width in (60, 80):
        monkeypatch.setenv("COLUMNS", str(width))
        for layer in ("L", "1"):
            r = shared("explain", iris, "--layer", layer)
            assert r.exit_code == 0, r.output
            lines = _panel(r.output, "Seed 001's notation")
            for name in ("H_1 = [", "E_1 = [", "X = ["):
                start = next((i for i, line in enumerate(lines) if line.startswith(name)), None)
                if start is None or lines[start].endswith(")"):  # whole on its line
                    continue
                assert lines[start + 1].startswith(" " * len(name)) and lines[start + 1][len(name)] != " ", \
                    (width, layer, lines)
            assert not any(re.match(r"-?\d", line) for line in lines), (width, layer, lines)
            assert any("(inputs 0, 1, 2, 3" in line and line.rstrip().endswith(")") for line in lines), lines


def test_a_wrapped_note_or_warning_hangs_under_its_first_word(monkeypatch):
    """A `• note` or a `⚠ warning` that wraps went on at the panel's edge, under its mark, so that
    on a projector its second line read as the start of something else; its lines now go on under
    its first word, and a wrapped `    = …` line's under its `=`. A panel's bullets come last in
    it: every line after its first one is a bullet's or goes on from one."""
    def inner(output: str) -> list[list[str]]:  # each panel's lines, its border and padding cut off
        panels: list[list[str]] = []
        inside = False
        for line in output.splitlines():
            if line.startswith(("╭", "╰")):
                inside = line.startswith("╭")
                panels += [[]] * inside
            elif inside:
                panels[-1].append(line[2:].rstrip("│").rstrip())
        return panels

    xor = ROOT / "configs" / "xor.yaml"
    seen = 0
    for width in (40, 60, 80):
        monkeypatch.setenv("COLUMNS", str(width))
        for layer in ("1", "2"):
            r = shared("explain", xor, "--layer", layer)  # example 0: layer 1's input is all zeros
            assert r.exit_code == 0, r.output
            for lines in inner(r.output):
                marked = [i for i, line in enumerate(lines) if line.startswith(("• ", "⚠ "))]
                for line in lines[marked[0] + 1:] if marked else []:
                    assert line.startswith(("• ", "⚠ ", "  ")) and not line.startswith("   "), (width, line, r.output)
                    seen += line.startswith("  ")
            out = r.output.rstrip("\n").splitlines()
            verdict = next(i for i, line in enumerate(out) if line.startswith("✓ all "))  # the last lines
            assert all(line.startswith("  ") and line[2] != " " for line in out[verdict + 1:]), (width, r.output)
            seen += len(out) - verdict - 1
    assert seen >= 25

    from rich.console import Console
    from rich.text import Text

    from backprop_cli.render import Prose
    console = Console(width=30, file=io.StringIO(), color_system=None)
    console.print(Prose(Text("    = a_k^(0) · σ'(z_j^(1)) · ∂C0/∂a_j^(1) · w_jk^(2)")))
    assert [line.rstrip() for line in console.file.getvalue().splitlines()] == \
        ["    = a_k^(0) · σ'(z_j^(1))", "    · ∂C0/∂a_j^(1) · w_jk^(2)"]
    console = Console(width=30, file=io.StringIO(), color_system=None)
    console.print(Prose(Text("note: the backward pass stops here (∂C0/∂x is not computed)")))
    assert [line.rstrip() for line in console.file.getvalue().splitlines()] == \
        ["note: the backward pass stops", "      here (∂C0/∂x is not", "      computed)"]
    console = Console(width=12, file=io.StringIO(), color_system=None)  # a hang over half the line is dropped
    console.print(Prose(Text("        = one two three")))
    assert [line.rstrip() for line in console.file.getvalue().splitlines()] == ["        =", "one two", "three"]


def test_prose_wrapping_moves_line_breaks_only(monkeypatch):
    """The words, their order and their styles are rich's; only where the lines break differs from
    rich's own wrapping (``prose_broken`` left out), and only where rich broke inside a formula or
    a short bracket."""
    import backprop_cli.render as render

    def words(text: str) -> str:
        return " ".join(re.sub(r"[│╭╮╰╯─]", " ", text).split())

    changed = 0
    for width in (40, 60, 80, 100, 120):
        monkeypatch.setenv("COLUMNS", str(width))
        for args in ([ROOT / "configs" / "xor.yaml", "--layer", "1"], [ROOT / "configs" / "xor.yaml", "--layer", "2"],
                     [ROOT / "configs" / "hand_worked.yaml", "--layer", "1"],
                     [ROOT / "configs" / "xor_relu.yaml", "--all-layers"], ["--layer", "1", "--expand"]):
            ours = shared("explain", *args)  # rich's own, below, is run here alone
            with monkeypatch.context() as m:
                m.setattr(render, "prose_broken", lambda text, width, hold=None: text, raising=False)
                richs = invoke("explain", *args)
            assert ours.exit_code == richs.exit_code == 0, ours.output
            assert words(ours.output) == words(richs.output), (width, args)
            assert max(map(len, ours.output.splitlines())) <= width, (width, args)
            changed += ours.output != richs.output
    assert changed >= 20  # every command breaks differently at 40, 60 and 80 columns at least


def test_a_zero_weight_gradient_is_called_all_zero_and_why_not_rank_one():
    """δ aᵀ has rank one unless δ or a is 0. The default XOR's example 0 has x = (0, 0), and its
    layer 1 printed "rank one, shape 3×2, ‖·‖ = 0" over a zero matrix, the first table a class
    sees for `explain --layer 1`."""
    r = invoke("explain", "--layer", "1")
    assert r.exit_code == 0 and "all zero, as a^(0) = 0, shape 3×2, ‖·‖ = 0" in r.output, r.output
    assert "rank one" not in r.output
    r = invoke("explain", "--layer", "1", "--example", "3", "--set", "network.weights=[[[1,1],[1,1],[1,1]],[[0,0,0]]]")
    assert r.exit_code == 0 and "all zero, as δ^(1) = 0" in r.output, r.output
    r = invoke("explain", "--layer", "1", "--example", "3")
    assert r.exit_code == 0 and "rank one, shape 3×2" in r.output and "all zero" not in r.output


@pytest.mark.parametrize("width", [40, 80, 120])
def test_a_layer_shown_whole_and_a_1x1_gradient_carry_no_filler(monkeypatch, tmp_path, width):
    """A learner on seed 000's chain of single neurons read "per neuron (1 of 1 shown)" over every
    per-neuron table and "rank one, shape 1×1" under every δ aᵀ: nothing the table does not show.
    They are left out where the whole layer is shown and the matrix is 1×1, and kept where they
    inform: a --neuron table's "(1 of 3 shown)", a 3×2 matrix's rank and shape, a zero one's why."""
    monkeypatch.setenv("COLUMNS", str(width))
    r = invoke("explain", chain_config(tmp_path), "--all-layers")
    assert r.exit_code == 0, r.output
    flat = " ".join(r.output.split())
    assert flat.count("per neuron") == 3 and "shown" not in flat, r.output
    assert flat.count("‖·‖ = ") == 3 and "rank one" not in flat and "1×1" not in flat, r.output
    md = invoke("explain", tmp_path / "chain.yaml", "--layer", "1", "--format", "markdown").stdout
    for heading in ("### Forward pass of layer 1 (eq. 2)\n", "### Per neuron\n", "### Weight gradients: product δ^(1) (a^(0))ᵀ, norm "):
        assert heading in md, heading
    assert "shown" not in md and "1×1" not in md and "rank-one" not in md
    r = shared("explain", "--layer", "1", "--neuron", "1")
    assert r.exit_code == 0 and "(1 of 3 shown)" in " ".join(r.output.split()), r.output
    assert "all zero, as a^(0) = 0" in r.output and "shape 3×2" in r.output
    md = shared("explain", "--layer", "1", "--neuron", "1", "--format", "markdown").stdout
    assert "### Per neuron (1 of 3 shown)\n" in md and "### Forward pass of layer 1 (eq. 2), 1 of 3 neurons shown\n" in md
    assert "### Weight gradients: product δ^(1) (a^(0))ᵀ, all zero, as a^(0) = 0, shape 3×2" in md  # as the title


# --------------------------------------------------------------------------------------
# --brief: one screen for a class
# --------------------------------------------------------------------------------------

#: what plain explain shows and --brief leaves out (titles of its tables and panels)
LEFT_OUT = ("per neuron", "each weight", "each bias", "‖·‖ =", "Seed 001's notation", "of every layer")


@pytest.fixture
def chain(tmp_path: Path) -> Path:
    """Seed 000's 1-1-1-1 chain: one neuron a layer, the same product four times in plain explain."""
    return chain_config(tmp_path)


@pytest.mark.parametrize("layer", ["L", "L-1", "1"])
def test_brief_is_one_screen_of_what_a_class_needs(monkeypatch, chain, layer):
    """explain --layer L of a 1-1-1-1 chain was 106 lines at 80 columns, the same product four times.
    (66 lines at most since the header names the parameters explained, a line of its own.)"""
    monkeypatch.setenv("COLUMNS", "80")
    plain, brief = invoke("explain", chain, "--layer", layer), invoke("explain", chain, "--layer", layer, "--brief")
    assert plain.exit_code == brief.exit_code == 0, brief.output
    assert len(brief.output.splitlines()) <= 66 < 100 <= len(plain.output.splitlines()), brief.output
    assert invoke("explain", chain, "--layer", layer, "-b").output == brief.output
    for kept in ("of 1-1-1-1 sigmoid", "The chain rule for layer", "Forward pass of layer", "Where ∂C0/∂a^(",
                 "= ∂z_0^(", "✓ all"):
        assert kept in plain.output and kept in brief.output, kept
    assert ("received from layer" in brief.output) == (layer != "L")
    assert ("handed back to layer" in brief.output) == (layer != "1")
    # each written-out product once, with its check: w and b of the layer
    assert sum(line.startswith("∂C0/∂") for line in brief.output.splitlines()) == 2
    for gone in LEFT_OUT:
        assert gone in plain.output and gone not in brief.output, gone
    assert " ".join(brief.output.split()).endswith(
        "(rel err < 1e-5 or abs < 1e-9) --brief left out the per-neuron table, the each-weight and each-bias "
        "tables, δ aᵀ, seed 001's notation and the gradient norms; plain explain shows them."), brief.output


def test_brief_with_all_layers_neuron_weight_and_expand(monkeypatch, chain):
    monkeypatch.setenv("COLUMNS", "80")
    r = invoke("explain", chain, "--all-layers", "--brief")
    assert r.exit_code == 0, r.output
    assert r.output.count("Forward pass of layer") == 3 and "the whole network" in r.output
    assert not any(gone in r.output for gone in LEFT_OUT) and "no learner warnings" in r.output
    assert r.output.count("--brief left out") == 1 and len(r.output.splitlines()) < 160
    for args in (("--neuron", "0"), ("--weight", "0,0")):
        r = invoke("explain", chain, "--layer", "L-1", *args, "--brief")
        assert r.exit_code == 0 and "∂C0/∂w_00^(2) =" in r.output and "each weight" not in r.output, r.output
    r = invoke("explain", chain, "--layer", "1", "--expand", "--brief")  # asked for: the expansion stays
    assert r.exit_code == 0 and "--expand: the whole chain to w_00^(1)" in r.output, r.output
    assert not any(gone in r.output for gone in LEFT_OUT)


def test_brief_keeps_the_learner_warnings(tmp_path):
    """A warning (a ReLU unit at its kink up to rounding) is what the left-out per-neuron table flagged."""
    (tmp_path / "r.csv").write_text("x1,x2,y\n1.0,2.0,0.5\n")
    (tmp_path / "r.yaml").write_text(
        "seed: 0\ndata: {path: r.csv, target: y, task: regression, test_fraction: 0, standardize: false}\n"
        "network:\n  layers: [2, 3, 2, 1]\n  activation: relu\n  output_activation: linear\n"
        "  weights: [[[0.5, -0.3], [0.2, 0.4], [-0.6, 0.1]], [[0.7, -0.2, 0.3], [0.1, 0.5, -0.4]], [[1.0, -0.5]]]\n"
        "  biases: [[0.1, 0.0, 0.2], [0.0, 0.1], [0.05]]\ncost: half_squared_error\n")
    for fmt in ("rich", "markdown"):
        r = invoke("explain", tmp_path / "r.yaml", "--layer", "1", "--neuron", "0", "--brief", "--format", fmt)
        assert r.exit_code == 0, r.output
        text = " ".join(r.output.replace("│", " ").split())
        assert "By hand z = 0" in text and "inactive for this example" in text, (fmt, text)


def test_brief_markdown_leaves_out_the_same(chain):
    plain = invoke("explain", chain, "--layer", "L-1", "--format", "markdown").output
    r = invoke("explain", chain, "--layer", "L-1", "--format", "markdown", "--brief")
    assert r.exit_code == 0, r.output
    for kept in ("### The chain rule", "### Forward pass", "### Where ∂C0/∂a^(2)", "received from layer 3",
                 "#### Weights", "#### Biases", "handed back to layer 1", "**✓ all"):
        assert kept in plain and kept in r.output, kept
    for gone in ("### Per neuron", "### Weight gradients", "### Seed 001's notation", "### Gradient norm"):
        assert gone in plain and gone not in r.output, gone
    assert r.output.rstrip().endswith("plain `backprop explain` shows them.*")
    assert r.output.count("$$") % 2 == 0 and len(r.output.splitlines()) < len(plain.splitlines())


@pytest.mark.parametrize("args", [("--layer", "L"), ("--all-layers",), ("--layer", "1")])
def test_markdown_says_there_are_no_learner_warnings_as_the_terminal_does(args):
    """Markdown left out the terminal's "no learner warnings (…)" line (plain and --brief: none read as
    not looked for), and its --brief line wrote --brief in italics where the command is a code span."""
    line = "no learner warnings (no saturated or inactive units that slow learning, no vanishing gradients)"
    own = ("--x", "1,1", "--y", "1")  # x = (1, 1): no all-zero input, nothing to warn of
    for brief in ((), ("--brief",)):
        terminal = " ".join(shared("explain", *args, *own, *brief).stdout.split())
        r = shared("explain", *args, *own, "--format", "markdown", *brief)
        assert r.exit_code == 0 and line in terminal, terminal
        assert r.stdout.count(f"\n\nN{line[1:]}.\n\n") == 1 and "Learner warnings" not in r.stdout, r.stdout
        if args[0] == "--all-layers":
            assert "## The whole network\n\n" in r.stdout, r.stdout
    assert r.stdout.rstrip().endswith("\n\n*`--brief` left out the per-neuron table, the each-weight and each-bias "
                                      "tables, δ aᵀ, seed 001's notation and the gradient norms; plain `backprop "
                                      "explain` shows them.*"), r.stdout
    r = shared("explain", *args, "--format", "markdown", "--brief")  # example 0: x = (0, 0), a warning
    assert "### Learner warnings\n\n- ⚠ layer 1 (L-1): its input a^(0) is all zeros" in r.stdout and line[1:] not in r.stdout


@pytest.mark.parametrize("width", ["80", "40"])
@pytest.mark.parametrize("args", [("--layer", "L"), ("--all-layers",), ("--layer", "L-1"),
                                  (ROOT / "configs" / "hand_worked.yaml", "--layer", "1", "--weight", "0,0"),
                                  (ROOT / "configs" / "iris.yaml", "--layer", "L")])
def test_the_first_check_mark_is_explained_before_it_in_every_mode(monkeypatch, args, width):
    """`✓ 2e-16 / 3e-10` stood after the first written-out product before any column header said what
    its two figures are, and under --brief (no products table) nowhere. The first check of the
    output now has them named before it (a legend line, or a table's column header), in words at
    each product in Markdown."""
    monkeypatch.setenv("COLUMNS", width)
    legend = "each product's check: ✓ rel err vs backprop / finite diff"
    for brief in ((), ("--brief",)):
        r = shared("explain", *args, *brief)
        assert r.exit_code == 0, r.output
        out = r.stdout
        first = out.index("✓")
        line = out[out.rfind("\n", 0, first) + 1:]
        # the legend (whole at 80 columns, wrapped at 40), or a column header (or a stacked table's legend)
        before = " ".join(out[:first].split())
        assert " ".join(line.split()).startswith(legend) or "rel err vs" in before and "finite diff" in before, out
        assert out.count("each product's check") <= 1, out
        if width == "80" and (brief or args == ("--layer", "L")):  # its products come first: the legend,
            assert ("\n" + legend + "\n" in out) != ("received from layer" in out), out  # or the received sums'
    r = shared("explain", *args, "--format", "markdown", "--brief")
    first = next(line for line in r.stdout.splitlines() if "✓" in line)
    assert re.fullmatch(r"✓ backprop \S+ \(rel err \S+\), finite difference \S+ \(rel err \S+\)", first), first


@pytest.mark.parametrize("fmt", [("--format", "json"), ("--json",)])
def test_brief_is_refused_with_json(chain, fmt):
    """JSON is never shortened: --brief there would be ignored in silence. It had said JSON "has every
    field", while under --all-layers a hidden layer's received is [] (its sums are the hand_back above)."""
    r = invoke("explain", chain, "--layer", "L", "--brief", *fmt)
    assert r.exit_code == 2 and printed_refusal(r.stdout, r.stderr), r.output
    assert "Traceback" not in r.output and len(r.stderr.strip().splitlines()) == 1, r.output
    assert (f"--brief shortens the terminal and Markdown output; {' '.join(fmt)} is never shortened, it has every "
            "number plain explain shows, each once (take the keys you need): give one or the other") in r.stderr


def test_brief_writes_out_a_wide_layers_first_product(monkeypatch):
    """iris's layer L has 24 weight products shown: --brief writes out one (as Markdown does) and says
    how many more it checked."""
    monkeypatch.setenv("COLUMNS", "80")
    r = invoke("explain", ROOT / "configs" / "iris.yaml", "--layer", "L", "--brief")
    assert r.exit_code == 0, r.output
    lines = r.output.splitlines()
    assert sum(line.startswith("∂C0/∂w_") for line in lines) == 1 and sum(line.startswith("∂C0/∂b_") for line in lines) == 3
    assert "(23 more products, checked)" in " ".join(r.output.split()) and "✓ all 35 products agree" in r.output


@pytest.mark.parametrize(("config", "layer"), [("iris.yaml", "L"), ("spirals.yaml", "L-1")])
def test_a_wide_layer_writes_out_its_largest_product_in_plain_brief_and_markdown(monkeypatch, config, layer):
    """Plain explain of a layer of more than 8 weights (iris's 3 × 8 output layer, spirals' 8 × 8 shown
    of 64 × 64) wrote no product out in full, only its table, where --brief and Markdown wrote out the
    first, w_00, whatever its size. Each form now writes out the one of the largest |∂C0/∂w| (the
    weight --expand expands), ∂C0/∂w_jk = factors = numbers, and says which and why."""
    monkeypatch.setenv("COLUMNS", "100")
    args = ("explain", ROOT / "configs" / config, "--layer", layer)
    data = json.loads(invoke(*args, "--json").stdout)
    products = data["weight_products"]
    assert len(products) > 8
    top = max(products, key=lambda p: abs(p["value"]))
    assert sum(abs(p["value"]) == abs(top["value"]) for p in products) == 1  # no tie to break
    j, k = top["index"]
    assert top["symbol"] == f"∂C0/∂w_{j}{k}^({data['layer']})"
    values = [f["value"] for f in top["factors"]]
    shown = R._operand_digits(values, top["value"])
    numbers = " · ".join(R._f(v, shown) for v in values) + f" = {R._n(top['value'])}"
    n, m = data["sizes"][data["layer"]], data["sizes"][data["layer"] - 1]
    if n * m == len(products):  # the whole layer shown: its largest is the weight this example moves most
        why = (f"written out above: {top['symbol']}, the largest |∂C0/∂w_jk^({data['layer']})| of the "
               f"{len(products)}, the weight this example moves most; ")
        each, others = "the table below has each", "the others are checked, plain explain tables them"
    else:  # spirals' 8 × 8 of 64 × 64: the largest shown, not called the one it moves most (one of 4,096 is 10x it)
        why = (f"written out above: {top['symbol']}, the largest |∂C0/∂w_jk^({data['layer']})| of the "
               f"{len(products)} shown of {n * m:,} (--full shows them all); ")
        each, others = "the table below has each shown", "the others shown are checked, plain explain tables them"
        assert "moves most" not in " ".join(invoke(*args).output.split())
    for brief, rest in (((), each), (("--brief",), others)):
        r = invoke(*args, *brief)
        assert r.exit_code == 0, r.output
        lines = r.output.splitlines()
        written = [i for i, line in enumerate(lines) if line.startswith("∂C0/∂w_")]
        assert len(written) == 1 and lines[written[0]].startswith(top["symbol"] + " = "), r.output
        assert lines[written[0] + 2].startswith(f"    = {numbers}   ✓ "), lines[written[0]:written[0] + 3]
        assert why + rest in " ".join(r.output.split()), r.output
    md = invoke(*args, "--format", "markdown").output
    assert f"*{why}{each}.*" in md, md
    assert f"{top['latex']} &= " in md and sum(f"{p['latex']} &= " in md for p in products) == 1, md


def test_the_closing_line_names_the_rounding_noise_rule_and_how_many_pass_on_it(monkeypatch):
    """A cost of 9e4 (--y ±300) leaves a finite difference at ε = 1e-6 that agrees with the products
    only to ~1e-4: 5 of layer 1's 8 passed on "below the costs' rounding noise" while the closing line
    stated only "rel err < 1e-5 or abs < 1e-9". It now names that third arm, its size and the count."""
    monkeypatch.setenv("COLUMNS", "200")
    args = ("explain", ROOT / "configs" / "hand_worked.yaml", "--layer", "1", "--x", "0.05,0.1")
    r = invoke(*args, "--y", "300,-300")
    assert r.exit_code == 0, r.output
    last = r.output.strip().splitlines()[-1]
    assert "(rel err < 1e-5 or abs < 1e-9), or within the finite difference's rounding noise " \
           "(16·u·|C0|/2ε ≈ 1.6e-04): 5 of 8" in last, r.output
    r = invoke(*args, "--y", "300,-300", "--format", "markdown")
    assert "rounding noise (16·u·|C0|/2ε ≈ 1.6e-04): 5 of 8.**" in r.output, r.output
    r = invoke(*args, "--y", "1,0")  # an ordinary cost: nothing passes on the noise, nothing added
    assert r.output.strip().endswith("(rel err < 1e-5 or abs < 1e-9)"), r.output


def test_saturated_output_units_under_a_fused_delta_are_a_note_not_a_learn_slowly_warning(monkeypatch):
    """sigmoid + cross_entropy with output biases of 6: explain warned '2 of 2 sigmoid units saturated …
    so they learn slowly. (… the fused δ = a − y cancels σ', so it does not slow learning here.)', a
    warning that took itself back. The fused δ has no σ' factor: a neutral note in the output layer's
    panel, no warning; a saturated hidden layer is still warned about."""
    monkeypatch.setenv("COLUMNS", "200")
    hw = ROOT / "configs" / "hand_worked.yaml"
    args = ("explain", hw, "--set", "cost=cross_entropy", "--layer", "L")
    r = invoke(*args, "--set", "network.biases=[[0.35,0.35],[6,6]]")
    assert r.exit_code == 0, r.output
    assert "learn slowly" not in r.output and "⚠" not in r.output, r.output
    assert "Neurons 0, 1 are saturated (σ'(z) < 0.01), but the fused δ = a − y cancels σ' ≈ 0, so this " \
           "does not slow learning here." in r.output, r.output
    assert "no learner warnings (no saturated or inactive units that slow learning" in r.output
    r = invoke(*args, "--set", "network.biases=[[20,20],[6,6]]")  # hidden units saturated: warned
    assert "⚠ layer 1 (L-1): 2 of 2 sigmoid units saturated" in r.output and "learn slowly" in r.output, r.output
    assert "layer 2 (L): 2 of 2" not in r.output, r.output


_TIE_NET = """seed: 0
data: {dataset: xor, test_fraction: 0}
cost: cross_entropy
network:
  layers: [2, 3, 4, 2]
  activation: relu
  output_activation: softmax
  weights:
  - [[1.59348, -2.251293], [2.35534, 0.168472], [-6.283602, 4.006619]]
  - [[-0.391505, 2.479209, 7.347329], [1.07372, -4.297875, -2.723916], [4.067305, -5.827073, 1.054357],
     [1.501058, -4.601218, 0.677056]]
  - [[2.224889, -3.091161, -1.921956, 2.175098], [-5.195587, -3.520618, 3.815479, 0.342494]]
  biases: [[-2.832321, 0.022752, 3.882469], [-3.026313, 1.631822, 1.517471, -0.35357], [1.210565, -1.348202]]
"""


def test_a_hand_back_sum_at_a_rounding_tie_shows_terms_that_add_to_its_sigma(monkeypatch, tmp_path):
    """Layer 3's δ = (1, −1), so the hand-back Σ for k = 2 is −1.921956 + (−3.815479) = −5.737435
    exactly, a tie at 6 digits that the float (just above it) showed as −5.73743 beside terms
    −1.92196 and −3.81548 that add to −5.73744. The Σ gets a 7th digit, and so do its terms, in the
    terminal and in Markdown."""
    monkeypatch.setenv("COLUMNS", "100")
    cfg = tmp_path / "tie.yaml"
    cfg.write_text(_TIE_NET)
    args = ("explain", cfg, "--layer", "3", "--x", "-1.32,-0.3205", "--y", "0,1")
    r = invoke(*args)
    assert r.exit_code == 0, r.output
    row = re.search(r"│ 2 │ +j=0: \(-1\.921956\) · 1 = -1\.921956 │ +-5\.737435 │", r.output)
    assert row and "j=1: 3.815479 · (-1) = -3.815479" in r.output, r.output
    assert "-5.73743 " not in r.output, r.output
    md = invoke(*args, "--format", "markdown").output
    assert r"= \left(-1.921956\right) \cdot 1 + 3.815479 \cdot \left(-1\right) = -5.737435" in md, md


def test_markdown_forward_sums_keep_the_terminals_extra_digits(monkeypatch, tmp_path):
    """The terminal wrote layer 2's z_1 as 0.060446 · 6.5313670302 = 0.394795012 (+ … + b) =
    0.056613012; Markdown, which shows no term values, rounded every factor alike to 6.531367,
    whose products add to 0.05661301. Markdown now carries the terminal's digits."""
    import yaml

    x = "0.8176,-2.4428,-0.8278,0.695,0.0303,-0.2282,0.6095,-2.8403,-0.0123,1.866,1.7081"
    y = "0.4761,-1.4019,0.0191,0.8121,1.6771,-0.8379"
    (tmp_path / "one.csv").write_text(
        "x0,x1,x2,x3,x4,x5,x6,x7,x8,x9,x10,y0,y1,y2,y3,y4,y5\n" + x + "," + y + "\n")
    cfg = {
        "seed": 0, "cost": "half_squared_error",
        "data": {"path": str(tmp_path / "one.csv"), "standardize": False, "task": "regression",
                 "target": ["y0", "y1", "y2", "y3", "y4", "y5"], "test_fraction": 0},
        "network": {
            "layers": [11, 3, 6], "activation": "relu", "output_activation": "silu",
            "weights": [
                [[0.625729, 2.164325, 0.955541, -1.080232, -0.593675, 0.861219, -0.043934, 1.192486,
                  -1.942233, 2.11292, 1.884983],
                 [-1.448199, -0.295968, -0.603617, -0.368994, 0.995838, -0.486354, -0.889043, 0.757027,
                  1.406224, -0.388149, 0.36029],
                 [-1.389337, 1.079326, 2.390673, 0.686396, 0.017355, -2.000953, -0.242525, -2.022252,
                  0.876538, 1.909386, 1.511018]],
                [[0.251181, 0.585954, -0.616166], [0.31341, 0.312571, 0.060446],
                 [-2.680367, 0.332797, 0.521521], [-0.728977, 0.484917, 0.87182],
                 [-2.189997, 0.955068, -0.519089], [-1.202921, 0.131528, -0.85576]]],
            "biases": [[-0.270005, -0.551832, -0.380409],
                       [-0.659767, -0.338182, -0.596169, -0.729212, 0.523483, -0.010738]]},
    }
    path = tmp_path / "c.yaml"
    path.write_text(yaml.safe_dump(cfg))
    monkeypatch.setenv("COLUMNS", "100")
    term = invoke("explain", path, "--layer", "2", "--example", "0")
    assert term.exit_code == 0, term.output
    assert "k=2: 0.060446 · 6.5313670302 = 0.394795012" in term.output, term.output
    md = invoke("explain", path, "--layer", "2", "--example", "0", "--format", "markdown").output
    assert r"0.060446 \cdot 6.5313670302 + \left(-0.338182\right) = 0.056613012" in md, md


def test_the_header_says_where_a_training_example_comes_from(monkeypatch):
    """--example 0 of iris is row 0 of the shuffled training split, shown standardized: x = (1.06,
    -1.30476, …), y = (0, 0, 1). A learner could not find it in data/iris.csv. The header now gives
    its file line, x in the data's units and its class name; --json has them as ``origin``."""
    monkeypatch.setenv("COLUMNS", "120")
    monkeypatch.chdir(ROOT)
    iris = "configs/iris.yaml"
    r = invoke("explain", iris, "--layer", "1", "--example", "0")
    assert r.exit_code == 0, r.output
    assert "example 0 is line 110 of data/iris.csv: x = (6.7, 2.5, 5.8, 1.8) before standardizing, " \
           "class virginica" in r.output, r.output
    assert (ROOT / "data" / "iris.csv").read_text().splitlines()[109] == "6.7,2.5,5.8,1.8,virginica"
    d = json.loads(invoke("explain", iris, "--layer", "1", "--json").stdout)
    assert d["origin"]["file"] == "data/iris.csv" and d["origin"]["line"] == 110
    assert d["origin"]["class_name"] == "virginica"
    assert d["origin"]["raw_x"] == pytest.approx([6.7, 2.5, 5.8, 1.8], rel=1e-12)
    # the file's numbers as written, not x·scale + mean's 1.3000000000000003 (example 2: line 40)
    e2 = json.loads(invoke("explain", iris, "--layer", "1", "--example", "2", "--json").stdout)["origin"]
    assert e2["line"] == 40 and e2["raw_x"] == [4.4, 3.0, 1.3, 0.2], e2
    assert (ROOT / "data" / "iris.csv").read_text().splitlines()[39].startswith("4.4,3.0,1.3,0.2,")
    md = invoke("explain", iris, "--layer", "1", "--format", "markdown").stdout
    assert "Example 0 is line 110 of `data/iris.csv`: x = (6.7, 2.5, 5.8, 1.8) before standardizing, " \
           "class virginica." in md, md
    # xor (built-in, not standardized, classes 0 and 1): nothing to add
    assert " is line " not in invoke("explain", "--layer", "1").output
    # your own example: no file or line; x as typed and its class (test_your_own_example_shows_x_as_typed…)
    d = json.loads(invoke("explain", iris, "--layer", "1", "--x", "1,2,3,4", "--y", "0,1,0", "--json").stdout)
    assert d["origin"] == {"file": None, "line": None, "raw_x": [1.0, 2.0, 3.0, 4.0], "class_name": "versicolor"}


def test_a_zero_in_the_file_is_0_in_the_header_not_the_rounding_of_x_scale_plus_mean(tmp_path, monkeypatch):
    """x·scale + mean of the file's 0 in a column of mean 0.725 is −0.725 + 0.725 rounded at 0.725's
    digits: the header said `x = (-1.11022e-16, 1) before standardizing` and --json's raw_x that, and
    digits' example 0 had 2.22e-16 where its line holds 0. Each row's x is now the file's, in both."""
    (tmp_path / "d.csv").write_text("a,b,y\n0,1,0\n0.7,2,1\n0.3,3,0\n1.9,4,1\n")
    (tmp_path / "c.yaml").write_text("data: {path: d.csv, target: y, test_fraction: 0, standardize: true}\n"
                                     "network: {layers: [2, 2, 1]}\n")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("COLUMNS", "120")
    rows = [[float(v) for v in line.split(",")[:2]] for line in (tmp_path / "d.csv").read_text().splitlines()[1:]]
    for i in range(4):
        origin = json.loads(invoke("explain", "c.yaml", "--layer", "L", "--example", str(i), "--json").stdout)["origin"]
        assert origin["raw_x"] == rows[origin["line"] - 2], origin
        if rows[origin["line"] - 2][0] == 0:
            r = invoke("explain", "c.yaml", "--layer", "L", "--example", str(i))
            assert f"is line {origin['line']} of d.csv: x = (0, 1) before standardizing" in r.output, r.output
    digits = json.loads(invoke("explain", str(ROOT / "configs" / "digits.yaml"), "--layer", "L", "--json").stdout)
    line = (ROOT / "data" / "digits.csv").read_text().splitlines()[digits["origin"]["line"] - 1]
    assert digits["origin"]["raw_x"] == [float(v) for v in line.split(",")[:64]]

def test_your_own_x_is_shown_as_typed_not_standardized_and_back(tmp_path, monkeypatch):
    """--x's numbers went through the standardizer and back, rounded at the larger of x·scale and mean: a
    typed 1.234e-12 in a column of mean 2.5 was shown as 0 (`your example as given: x = (0.1, 1e+20, 0)`)."""
    (tmp_path / "d.csv").write_text("a,b,c,y\n0.1,1e20,1,0\n0.3,2e20,3,1\n0.5,3e20,2,0\n0.7,1e19,4,1\n")
    (tmp_path / "c.yaml").write_text("data: {path: d.csv, test_fraction: 0, standardize: true}\n"
                                     "network: {layers: [3, 2, 1]}\n")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("COLUMNS", "120")
    args = ("explain", "c.yaml", "--layer", "L", "--x", "0.1, 1e20, 1.234e-12", "--y", "1")
    assert json.loads(invoke(*args, "--json").stdout)["origin"]["raw_x"] == [0.1, 1e20, 1.234e-12]
    r = invoke(*args)
    assert r.exit_code == 0 and "your example as given: x = (0.1, 1e+20, 1.234e-12) before standardizing" in r.output


@pytest.mark.parametrize("command", [("explain", "--layer", "1"), ("gradcheck",)])
@pytest.mark.parametrize("x, entry, more", [("1,1e308", "b = 1e308", ""),
                                            ("-1e308,1e308", "a = -1e308", "; b = 1e308 overflows too")])
def test_an_x_that_overflows_when_standardized_is_named(command, x, entry, more, tmp_path, monkeypatch):
    """--x 1,1e308,1,1 on iris (sepal_width's scale 0.418): numpy's 'RuntimeWarning: overflow encountered in
    divide' and its source line, a note with a^(0) = (…, inf, …), then 'explain: the example contains NaN or
    infinite values' (gradcheck: 'X: row 0 holds NaN or an infinite value', an internal name)."""
    import warnings

    (tmp_path / "d.csv").write_text("a,b,y\n0.1,0.1,0\n0.3,0.2,1\n0.5,0.3,0\n0.7,0.4,1\n")
    (tmp_path / "c.yaml").write_text("data: {path: d.csv, test_fraction: 0, standardize: true}\n"
                                     "network: {layers: [2, 2, 1]}\n")
    monkeypatch.chdir(tmp_path)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # numpy's RuntimeWarning, printed to the user before
        r = invoke(*command, "c.yaml", "--x", x, "--y", "1")
    name = entry.split(" = ")[0]
    scale = {"a": "0.224", "b": "0.112"}[name]
    limit = {"a": "4e307", "b": "2e307"}[name]
    assert r.exit_code == 2 and r.stdout == "" and r.stderr == (
        f"error: --x: {entry} overflows when standardized as the training split was (data.standardize: mean "
        f"{ {'a': '0.4', 'b': '0.25'}[name]}, scale {scale}): (x − mean) / scale is beyond the largest float, 1.8e308; "
        f"allowed: |x − mean| up to {limit} for {name}{more}\n"), r.stderr


def test_help_of_example_says_it_is_a_row_of_the_shuffled_training_split(monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")
    r = invoke("explain", "--help")
    assert "row i of the shuffled training split" in " ".join(r.output.split()), r.output


SATURATED = ("--x", "1,1", "--y", "1", "--set", "network.weights=[[[10,10],[10,10],[-10,-10]],[[15,15,15]]]",
             "--set", "network.biases=[[0,0,0],[0]]")


def _display_blocks(md: str) -> list[str]:
    return re.findall(r"^\$\$\n(.*?)\n\$\$$", md, re.M | re.S)


@pytest.mark.parametrize("args", [
    ("configs/iris.yaml", "--all-layers"),
    ("configs/digits.yaml", "--layer", "1", "--neuron", "4", "--full"),
    ("configs/hand_worked.yaml", "--all-layers"),
    ("configs/spirals.yaml", "--layer", "L-1", "--neuron", "5", "--full"),
    # saturated: σ' worked out from z, with its aside, ran to 115 ex (sigmoid) and 120 ex (tanh) on one row
    ("--layer", "L", *SATURATED),
    ("--layer", "1", *SATURATED, "--set", "network.activation=tanh"),
])
def test_markdown_display_math_is_broken_into_rows_that_fit_a_notebook(args):
    """KaTeX and MathJax never break display math: each forward sum, product and hand-back sum was
    one $$ line (iris's z_1^(2) 284 ex wide, digits' 64-term z_4^(1) 2,833 characters), cut or
    scrolled on a notebook or Obsidian page. Now an aligned block breaks them as the terminal does
    (symbols / formulas / numbers) and a long sum every few terms; every row is short, every
    \\left closes on its own row and braces balance."""
    md = invoke("explain", *(ROOT / a if a.startswith("configs") else a for a in args), "--format", "markdown").output
    blocks = _display_blocks(md)
    assert blocks and any(b.startswith("\\begin{aligned}\n") for b in blocks)
    for b in blocks:
        if b.startswith("\\begin{aligned}"):
            assert b.endswith("\n\\end{aligned}") and b.count("\\begin{") == 1, b
            rows = b.split("\n")[1:-1]
            assert all(r.endswith(" \\\\") for r in rows[:-1]) and not rows[-1].endswith("\\\\"), b
            assert all("&" in r for r in rows), b
        else:
            rows = [b]
        for r in rows:
            # what a row shows, a LaTeX command as one character: 81 at most here (~90 ex in MathJax)
            shown = re.sub(r"[{}&^_\s\\]", "", re.sub(r"\\[a-zA-Z]+", "x", re.sub(r"\\(left|right|quad)", "", r)))
            assert len(shown) <= 90, r
            assert r.count("\\left") == r.count("\\right") and r.count("{") == r.count("}"), r
    if "--x" in args:  # the saturated σ': its formula, then its numbers, then why from z, a row each
        assert re.search(r"^\\sigma'\\left\(z_\{0\}\^\{\((\d)\)\}\\right\) &= [^=]*= \\frac\{[^=]*\\\\\n"
                         r"&= \\frac\{[^=]*\^\{2\}\} = \d\.\d+ \\times 10\^\{-1\d\}, \\\\\n"
                         r"&\\quad \\text\{from \} z\\text\{, as \} 1 - ", md, re.MULTILINE), md


def test_markdown_seed001_section_has_the_terminals_vectors(monkeypatch):
    """The terminal's seed 001 panel lists E_2 = [0.138499, -0.0380982] (neurons 0, 1) and
    H_1 = [0.59327, 0.596884] (inputs 0, 1), at a hidden layer E_2 (from layer 2, reused) first;
    Markdown had only the single-entry equations. Now an aligned block with the same vectors."""
    monkeypatch.setenv("COLUMNS", "100")
    hand = ROOT / "configs" / "hand_worked.yaml"
    term = invoke("explain", hand, "--layer", "L").output
    assert "E_2 = [0.138499, -0.0380982]   (neurons 0, 1)" in term and "H_1 = [0.59327, 0.596884]   (inputs 0, 1)" in term
    md = invoke("explain", hand, "--layer", "L", "--format", "markdown").output
    assert ("\\begin{aligned}\nE_{2} &= [0.138499, -0.0380982] \\quad \\text{(neurons 0, 1)} \\\\\n"
            "H_{1} &= [0.59327, 0.596884] \\quad \\text{(inputs 0, 1)}\n\\end{aligned}") in md, md
    md = invoke("explain", hand, "--layer", "1", "--format", "markdown").output
    assert ("E_{2} &= [0.138499, -0.0380982] \\quad \\text{(from layer 2, reused; neurons 0, 1)} \\\\\n"
            "E_{1} &= [0.00877135, 0.00995425] \\quad \\text{(neurons 0, 1)} \\\\\n"
            "X &= [0.05, 0.1] \\quad \\text{(inputs 0, 1)}") in md, md
    # digits' 8 shown entries wrap onto a second row, the bracket closing there after a \dots for the
    # 24 neurons left out (it ended at -0.0003061] as if E_1 had 8 entries)
    md = invoke("explain", ROOT / "configs" / "digits.yaml", "--layer", "1", "--format", "markdown").output
    assert re.search(r"^E_\{1\} &= \[0\.0413071, .*, \\\\\n&\\quad .*-0\.0003061, \\dots\] \\quad "
                     r"\\text\{\(neurons 0 to 7 of 32, … 24 more\)\} \\\\$", md, re.MULTILINE), md


def test_your_own_example_shows_x_as_typed_and_its_class(monkeypatch):
    """iris --x 5.1,3.5,1.4,0.2 --y setosa showed only 'your example: standardized x = (-0.863627,
    …), y = (1, 0, 0)', while a training example's header gives x before standardizing and its class.
    Now the same line for --x and --y (terminal, Markdown) and JSON's origin (file and line null)."""
    monkeypatch.setenv("COLUMNS", "200")
    iris = ROOT / "configs" / "iris.yaml"
    args = ("explain", iris, "--layer", "L", "--x", "5.1,3.5,1.4,0.2", "--y", "setosa")
    r = invoke(*args)
    assert r.exit_code == 0, r.output
    assert "your example as given: x = (5.1, 3.5, 1.4, 0.2) before standardizing, class setosa" in r.output, r.output
    md = invoke(*args, "--format", "markdown").stdout
    assert "\nYour example as given: x = (5.1, 3.5, 1.4, 0.2) before standardizing, class setosa.\n" in md, md
    d = json.loads(invoke(*args, "--json").stdout)
    assert d["row"] is None
    assert d["origin"] == {"file": None, "line": None, "raw_x": [5.1, 3.5, 1.4, 0.2], "class_name": "setosa"}
    # y as numbers that are not one class: no class named; x as written (not standardized): no line
    soft = json.loads(invoke("explain", iris, "--layer", "L", "--x", "5.1,3.5,1.4,0.2", "--y", "0.2,0.7,0.1",
                             "--json").stdout)["origin"]
    assert soft == {"file": None, "line": None, "raw_x": [5.1, 3.5, 1.4, 0.2], "class_name": None}
    hand = invoke("explain", ROOT / "configs" / "hand_worked.yaml", "--layer", "L", "--x", "0.05,0.1",
                  "--y", "0.01,0.99")
    assert "as given" not in hand.output, hand.output


def test_markdown_puts_file_names_in_code_and_escapes_class_names(monkeypatch, tmp_path):
    """A data file iris*v2*.csv printed 'Example 0 is line 110 of iris*v2*.csv', which CommonMark
    renders iris<em>v2</em>.csv; a class name is the user's text too. Now the file is a code span
    and the class escaped; the terminal prints both as they are."""
    from markdown_it import MarkdownIt

    monkeypatch.setenv("COLUMNS", "200")
    text = (ROOT / "data" / "iris.csv").read_text().replace("virginica", "v*irg_in*ica")
    (tmp_path / "iris*v2*.csv").write_text(text)
    args = ("explain", ROOT / "configs" / "iris.yaml", "--layer", "L",
            "--set", f"data.path={tmp_path / 'iris*v2*.csv'}")
    term = invoke(*args)
    assert term.exit_code == 0, term.output
    assert "example 0 is line 111 of iris*v2*.csv: x = (7.2, 3.6, 6.1, 2.5) before standardizing, " \
           "class v*irg_in*ica" in term.output, term.output
    md = invoke(*args, "--format", "markdown").stdout
    line = next(x for x in md.splitlines() if x.startswith("Example 0 is line"))
    assert line == ("Example 0 is line 111 of `iris*v2*.csv`: x = (7.2, 3.6, 6.1, 2.5) before standardizing, "
                    "class v\\*irg\\_in\\*ica."), line
    html = MarkdownIt("commonmark").render(line)
    assert "<em>" not in html and "<code>iris*v2*.csv</code>" in html and "class v*irg_in*ica." in html, html


def test_expand_names_an_example_whose_chain_is_not_0(monkeypatch):
    """`explain --layer 1 --expand` said it expanded 'the weight with the largest |∂C0/∂w|' of
    example 0, x = (0, 0), where every one is 0 and the chain ends '· 0 = 0'. Now the note says so
    and names a training example to try; that example's default chain is not 0."""
    monkeypatch.setenv("COLUMNS", "200")
    r = invoke("explain", "--layer", "1", "--expand")
    assert r.exit_code == 0, r.output
    text = " ".join(r.output.replace("│", " ").split())
    m = re.search(r"every ∂C0/∂w of layer 1 is 0 for this example \(its inputs x are all 0\), so every chain "
                  r"ends in 0\. Expanding w_\d0\^\(1\), the weight of the largest \|δ_j\| \(a_k is its chain's "
                  r"only 0\)\. For a chain that is not 0, try --example (\d+)\.", text)
    assert m, text
    other = json.loads(invoke("explain", "--layer", "1", "--expand", "--example", m.group(1), "--json").stdout)
    assert other["expansion"]["path_value"] != 0 and not other["expansion"]["all_zero"]
    md = invoke("explain", "--all-layers", "--expand", "--format", "markdown").stdout
    assert f"For a chain that is not 0, try --example {m.group(1)}." in md, md


def test_a_zero_input_warning_names_a_training_example_whose_weight_gradient_is_not_0(monkeypatch):
    """The default `explain --layer 1` explains xor's example 0, x = (0, 0): every ∂C0/∂w^(1) is 0
    and the warning said "try another --example". It now names one, and that example's gradient is
    not 0; a layer whose input is not 0 keeps the old words, --x/--y (no training example) its own."""
    monkeypatch.setenv("COLUMNS", "200")
    r = invoke("explain", "--layer", "1")
    assert r.exit_code == 0, r.output
    text = " ".join(r.output.replace("│", " ").split())
    m = re.search(r"only the biases learn from it \(try --example (\d+), whose ∂C0/∂w\^\(1\) is not 0, or your own "
                  r"with --x and --y\)\.", text)
    assert m, text
    assert m.group(1) != "0"
    other = json.loads(invoke("explain", "--layer", "1", "--example", m.group(1), "--json").stdout)
    assert any(p["value"] != 0 for p in other["weight_products"]), other["weight_products"]
    assert not any(w["kind"] == "zero_input" for w in other["warnings"])
    as_json = json.loads(invoke("explain", "--all-layers", "--json").stdout)
    messages = {w["message"] for ex in as_json["layers"] for w in ex["warnings"] if w["kind"] == "zero_input"}
    assert len(messages) == 1 and f"try --example {m.group(1)}, whose" in messages.pop(), as_json
    own = invoke("explain", "--layer", "1", "--x", "0,0", "--y", "1")
    assert "only the biases learn from it (try an x that is not all zeros)." in " ".join(
        own.output.replace("│", " ").split()), own.output


def test_a_zero_input_warning_says_what_learns_and_to_try_another_x_where_x_was_given(tmp_path, monkeypatch):
    """A relu network with biases 0 at --x 0: both units inactive, every δ 0, so both bias gradients are 0,
    yet the warning said 'only the biases learn from it (try another --example, or your own with --x and
    --y)', the user having given --x and --y. Now it says nothing of the layer learns, and to try an x that
    is not all zeros (a layer above the input: an x for which its input is not all zeros); where some δ_j
    are not 0, the biases of those neurons learn."""
    monkeypatch.setenv("COLUMNS", "200")
    (tmp_path / "one.csv").write_text("x,y\n2,3\n")
    (tmp_path / "seed001.yaml").write_text(SEED001)
    r = invoke("explain", tmp_path / "seed001.yaml", "--layer", "1", "--x", "0", "--y", "0.5")
    text = " ".join(r.output.replace("│", " ").split())
    assert "only the biases" not in text and "try another --example" not in text, text
    for l, want in ((1, "try an x that is not all zeros"), (2, "try an x for which a^(1) is not all zeros")):
        assert (f"∂C0/∂w^({l}) = δ^({l}) (a^({l - 1}))ᵀ = 0 whatever the error, and here every δ_j^({l}) is 0 "
                f"too, so ∂C0/∂b^({l}) = δ^({l}) = 0: neither its weights nor its biases learn from it "
                f"({want}).") in text, text
    data = json.loads(invoke("explain", tmp_path / "seed001.yaml", "--layer", "1", "--x", "0", "--y", "0.5",
                             "--json").stdout)
    assert data["bias_products"][0]["value"] == 0 and data["neurons"][0]["delta"] == 0, data
    # two hidden units at x = 0, one active (b = 0.5), one not (b = −0.5): the active one's bias learns
    two = SEED001.replace("layers: [1, 1, 1]", "layers: [1, 2, 1]").replace(
        "weights: [[[0.5]], [[1.5]]]", "weights: [[[0.5], [0.4]], [[1.5, 1.0]]]").replace(
        "biases: [[0], [0]]", "biases: [[0.5, -0.5], [0]]")
    (tmp_path / "two.yaml").write_text(two)
    r = invoke("explain", tmp_path / "two.yaml", "--layer", "1", "--x", "0", "--y", "0.5")
    text = " ".join(r.output.replace("│", " ").split())
    assert ("= 0 whatever the error; only the bias of neuron 0, whose δ_j^(1) is not 0, learns from it "
            "(try an x that is not all zeros).") in text, text


def test_the_zero_input_warning_s_advice_fits_a_standardized_x_and_data_where_no_example_helps(monkeypatch):
    """Two cases where the zero_input warning's advice did not help: an --x at iris's training mean
    standardizes to a^(0) = 0, and 'try an x that is not all zeros' told the user to do what they
    did; an input zero for every training example kept 'try another --example'."""
    monkeypatch.setenv("COLUMNS", "200")
    mean = load_config(ROOT / "configs" / "iris.yaml")
    exp = prepare(mean)
    x = ",".join(repr(float(v)) for v in exp.standardizer.mean)
    r = invoke("explain", ROOT / "configs" / "iris.yaml", "--layer", "1", "--x", x, "--y", "setosa")
    text = " ".join(r.output.replace("│", " ").split())
    assert "its input a^(0) is all zeros for this example" in text, text
    assert "(try an x away from the training split's mean, which standardizes to all zeros)" in text, text
    dead = ["explain", ROOT / "configs" / "xor_relu.yaml", "--all-layers", "--example", "2",
            "--set", "network.biases=[[0,0,0,0,0,0,0,0],[0]]",
            "--set", "network.weights=[" + ",".join(["[-1,-1]"] * 8).join("[]") + ",[[1,1,1,1,1,1,1,1]]]"]
    text = " ".join(invoke(*dead).output.replace("│", " ").split())
    assert ("(no training example gives a ∂C0/∂w^(2) that is not 0 at these weights; try your own with --x "
            "and --y)") in text, text
    assert "try another --example" not in text, text


def test_the_x_data_hint_without_a_config_speaks_of_the_built_in_default(monkeypatch):
    """With no CONFIG the hint said '--x and --y are held to the data the config names (data.dataset)',
    to a user who named no config, and that 'data.standardize scales it' where nothing is standardized."""
    monkeypatch.setenv("COLUMNS", "200")
    r = invoke("explain", "--set", "network.layers=[1,2,1]", "--layer", "L", "--x", "0.5", "--y", "1")
    assert r.exit_code == 2, r.output
    hint = " ".join(r.output.split("hint:", 1)[1].split())
    assert hint.startswith("--x and --y are held to the built-in default's data (xor) as to a config's"), hint
    assert "the config names" not in hint and "data.standardize" not in hint, hint


def test_markdown_calls_an_all_zero_weight_gradient_so_not_a_rank_one_product():
    """Markdown headed xor's example 0 (x = (0, 0)) 'Weight gradients: rank-one product …, norm 0' over a
    zero matrix, as the terminal's title did before it said 'all zero, as a^(0) = 0'."""
    heads = [line for line in invoke("explain", "--layer", "1", "--format", "markdown").stdout.splitlines()
             if line.startswith("### Weight gradients")]
    assert heads == ["### Weight gradients: product δ^(1) (a^(0))ᵀ, all zero, as a^(0) = 0, shape 3×2, norm 0"], heads
    other = invoke("explain", "--layer", "1", "--example", "1", "--format", "markdown").stdout
    assert "### Weight gradients: rank-one product δ^(1) (a^(0))ᵀ, shape 3×2, norm " in other


def test_expand_groups_the_digits_of_a_path_count_everywhere_it_says_it(monkeypatch):
    """`Σ over 1,000 paths` above `total (summing all 1000 paths)`, and Markdown's `Largest of the
    4782969 paths` under `4,782,969 paths`: one number written two ways."""
    monkeypatch.setenv("COLUMNS", "100")
    args = ["explain", "--set", "network.layers=[2,10,10,10,10,1]", "--layer", "1", "--expand", "--example", "3"]
    for extra in ([], ["--format", "markdown"]):
        r = CliRunner().invoke(app, args + extra)
        assert r.exit_code == 0, r.output
        counts = re.findall(r"(\d[\d,]*) paths", r.stdout)
        assert len(counts) >= 2 and set(counts) == {"1,000"}, counts


def test_an_example_other_than_the_first_is_named_as_seed_000_numbers_its_cost():
    """Seed 000's C_i is the i-th example's cost, and explain wrote `example 2: … C0 = 0.105837`: a learner
    matching it to C_0 (example 0's) was misled. The header names it C_2, then keeps C0 for the example
    explained, as the seed's derivation does for the one at hand."""
    r = invoke("explain", "--layer", "L", "--example", "2")
    assert r.exit_code == 0, r.output
    header = " ".join(r.stdout.split("╰")[0].replace("│", " ").split())
    assert re.search(r"example 2: x = \(1, 0\), y = \(1\), C0 = [0-9.]+ \(seed 000's C_2, called C0 below\)", header)
    r = invoke("explain", "--layer", "L", "--example", "2", "--format", "markdown")
    assert r.exit_code == 0 and "(seed 000's $C_{2}$, called C0 below)." in r.stdout, r.stdout[:600]
    for args in (("--example", "0"), ("--x", "1,0", "--y", "1")):
        r = invoke("explain", "--layer", "L", *args)
        assert r.exit_code == 0 and "called C0 below" not in r.stdout, r.stdout[:400]


def test_seed_001s_vectors_say_which_entries_they_show_and_full_shows_all(monkeypatch):
    """Digits' layer 1: seed 001's panel showed E_2 = [8 numbers] of E_2's 10 with no '…' and no
    word of it, and JSON's seed001.upstream had no index. Now each vector ends in '…' where entries
    are left out, its note names the ones shown and how many --full adds, JSON has upstream_index,
    and --full shows every entry."""
    monkeypatch.setenv("COLUMNS", "100")
    digits = ROOT / "configs" / "digits.yaml"
    out = shared("explain", digits, "--layer", "1").output
    assert re.search(r"E_2 = \[0\.157974, .*, 0\.29409, …\]\s+│\n│\s+\(from layer 2, reused; neurons 0 to 7 of 10, … 2 more "
                     r"\(--full\)\)", out), out
    assert "(neurons 0 to 7 of 32, … 24 more (--full))" in out and "(inputs 0 to 7 of 64, … 56 more (--full))" in out
    exp = prepare(load_config(digits))
    back = exp.net.backward(exp.net.forward(exp.train.X[:1]), exp.train.Y[:1])
    for args, shown in (((), 8), (("--full",), 10)):
        s = json.loads(shared("explain", digits, "--layer", "1", "--json", *args).stdout)["seed001"]
        assert s["upstream_index"] == list(range(shown)), s["upstream_index"]
        assert s["upstream"] == back.delta[2][0, :shown].tolist()
    full = shared("explain", digits, "--layer", "1", "--full").output
    assert "more (--full)" not in full and "(from layer 2, reused; neurons 0, 1, 2, 3, 4, 5, 6, 7, 8, 9)" in full
    # narrowed by --neuron or --weight, E_1 (and X) is the chosen one's: nothing left out to name
    out = shared("explain", digits, "--layer", "1", "--weight", "3,4").output
    assert "E_1 = [0.00336066]   (neuron 3)" in out and "X = [0.966998]   (input 4)" in out
    assert "(from layer 2, reused; neurons 0 to 7 of 10, … 2 more (--weight 3,4 --full))" in out
    out = " ".join(shared("explain", digits, "--layer", "1", "--neuron", "3").output.replace("│", " ").split())
    assert "(inputs 0 to 7 of 64, … 56 more (--neuron 3 --full))" in out, out
    assert json.loads(shared("explain", "--layer", "L", "--json").stdout)["seed001"]["upstream_index"] is None


def test_markdown_seed_001s_vectors_keep_the_option_that_shows_every_entry(monkeypatch):
    """Markdown dropped the terminal's `(--full)` from seed 001's vector notes (`… 2 more)` only): it
    is now in a code span after the $$ block (in \\text, KaTeX sets -- as a dash), with the option
    as given (--neuron 3 --full), and --full leaves nothing to say."""
    monkeypatch.setenv("COLUMNS", "100")
    digits = ROOT / "configs" / "digits.yaml"
    md = invoke("explain", digits, "--layer", "1", "--format", "markdown").output
    block = md.split("### Seed 001's notation", 1)[1].split(r"\end{aligned}", 1)[1]
    after = block.split("$$\n", 1)[1].lstrip("\n").splitlines()[0]
    assert r"\text{(neurons 0 to 7 of 32, … 24 more)}" in md
    assert after == r"*`--full` shows every entry of E\_2, E\_1 and X (the … more left out above).*", after
    md = invoke("explain", digits, "--layer", "1", "--neuron", "3", "--format", "markdown").output
    assert r"*`--neuron 3 --full` shows every entry of E\_2 and X (the … more left out above).*" in md
    md = invoke("explain", digits, "--layer", "1", "--full", "--format", "markdown").output
    assert "shows every entry of" not in md and r"\text{(neurons 0 to 31)}" in md
    assert "--full" not in "".join(re.findall(r"\\text\{[^}]*\}", md))  # never in \text, where KaTeX reads -- as –


def test_expand_lists_every_path_when_few_and_under_full_the_largest_first(monkeypatch):
    """--expand printed only the largest path of a sum over 6 or 24: now up to 8 paths are all
    listed with their products, more are their 8 largest and '… N more (--full lists all)', and
    --full lists every one (JSON expansion.paths too), the largest first, marked as the one whose
    factors follow; the listed products add up to the total."""
    monkeypatch.setenv("COLUMNS", "100")
    net = ("--set", "network.layers=[2,3,4,3,2]", "--example", "3", "--expand")
    e = e2 = json.loads(invoke("explain", *net, "--layer", "2", "--json").stdout)["expansion"]
    assert e["n_paths"] == 6 and len(e["paths"]) == 6 and e["paths"][0]["path"] == e["path"]
    assert e["paths"][0]["value"] == e["path_value"]
    assert sorted({tuple(p["path"]) for p in e["paths"]}) == [(i, h, e["j"]) for i in range(2) for h in range(3)]
    sizes = [abs(p["value"]) for p in e["paths"][1:]]
    assert sizes == sorted(sizes, reverse=True) and abs(e["paths"][0]["value"]) >= sizes[0]
    assert math.fsum(p["value"] for p in e["paths"]) == pytest.approx(e["total"], rel=1e-12)
    out = invoke("explain", *net, "--layer", "2").output
    assert "the 6 paths (neurons, layer L → layer l), largest |product| first:" in out, out
    first = " → ".join(map(str, e["path"]))
    assert re.search(rf"│   {first}  +{e['path_value']:.6g}   \(largest: its factors below\)", out), out
    assert sum(bool(re.search(r"│   \d → \d → \d  ", line)) for line in out.splitlines()) == 6
    # 24 paths: the 8 largest, and how to see the rest; --full: all 24
    e = json.loads(invoke("explain", *net, "--layer", "1", "--json").stdout)["expansion"]
    assert (e["n_paths"], len(e["paths"])) == (24, 8)
    assert "… 16 more (--full lists all)" in invoke("explain", *net, "--layer", "1").output
    e = json.loads(invoke("explain", *net, "--layer", "1", "--full", "--json").stdout)["expansion"]
    assert len(e["paths"]) == 24 and len({tuple(p["path"]) for p in e["paths"]}) == 24
    assert math.fsum(p["value"] for p in e["paths"]) == pytest.approx(e["total"], rel=1e-12)
    out = invoke("explain", *net, "--layer", "1", "--full").output
    assert "the 24 paths (neurons" in out and "more (--full" not in out
    md = invoke("explain", *net, "--layer", "2", "--format", "markdown").output
    assert "The 6 paths (neurons, layer L → layer l), largest |product| first:" in md
    assert f"| {first} | {e2['path_value']:.6g} | largest: its factors below |" in md, md


@pytest.mark.parametrize("width", [80, 100])
def test_the_per_neuron_table_keeps_its_bias_column_at_a_projectors_width(monkeypatch, width):
    """At 80 to 100 columns the per-neuron table dropped its ∂C0/∂b_j column (its title said
    '∂C0/∂b_j = δ_j for one example') though narrower headers leave room for it: it is kept, with
    every neuron's value; where even the narrowed table has no room (a flag column at 80), the title
    says the column is left out and why."""
    monkeypatch.setenv("COLUMNS", str(width))
    for config, layer in (("xor.yaml", "1"), ("iris.yaml", "L"), ("digits.yaml", "1")):
        data = json.loads(shared("explain", ROOT / "configs" / config, "--layer", layer, "--json").stdout)
        out = shared("explain", ROOT / "configs" / config, "--layer", layer).output
        lines = out.splitlines()
        head = next(i for i, line in enumerate(lines) if "per neuron" in line)
        header = next(line for line in lines[head:] if "┃ j ┃" in line)
        assert header.rstrip().endswith("∂C0/∂b_j ┃") or header.rstrip().endswith(f"∂C0/∂b_j^({data['layer']}) ┃"), out
        # the per-neuron table's words (δ aᵀ's note says "k=4 to 7 left out for width: …" of its own)
        assert "(its column left out for width)" not in " ".join(out.split()) and max(map(len, lines)) <= width
        for n in data["neurons"]:
            row = next(line for line in lines[head:] if line.startswith(f"│ {n['j']} │"))
            assert row.split("│")[-2].strip() == R._cell(n["grad_b"], 4), row
    if width == 80:  # spirals' ReLU flags take the room: the title says where ∂C0/∂b went
        out = " ".join(shared("explain", ROOT / "configs" / "spirals.yaml", "--layer", "2").output.split())
        assert "∂C0/∂b_j = δ_j for one example (its column left out for width)" in out, out


def test_the_header_and_json_say_whose_parameters_are_explained(monkeypatch, tmp_path):
    """Neither the header nor JSON said whether the numbers were a fresh initialisation's, a config's
    given weights or a trained model's. Now the header's last line and JSON's parameters say so."""
    from backprop_cli.model_io import save_model

    monkeypatch.setenv("COLUMNS", "100")
    r = invoke("explain", "--layer", "L", "--seed", "4")
    assert "│ parameters: a fresh initialisation (network.init auto, seed 4), untrained " in r.output, r.output
    assert json.loads(invoke("explain", "--layer", "L", "--json").stdout)["parameters"] == {
        "kind": "init", "seed": 0, "init": "auto", "path": None, "given": [], "set_by": []}
    monkeypatch.chdir(ROOT)
    r = invoke("explain", "configs/hand_worked.yaml", "--layer", "L")
    assert "parameters: configs/hand_worked.yaml's network.weights and network.biases, untrained" in r.output
    p = json.loads(invoke("explain", "configs/hand_worked.yaml", "--layer", "L", "--json").stdout)["parameters"]
    assert (p["kind"], p["path"], p["given"]) == ("config", "configs/hand_worked.yaml", ["weights", "biases"])
    # weights a --set gives are the command line's, not the file's (the header credited them to the file)
    r = invoke("explain", "--layer", "L", "--set", "network.weights=[[[1,2],[3,4],[5,6]],[[1,2,3]]]")
    assert ("parameters: network.weights from --set, its biases network.init auto's constant 0, untrained"
            in " ".join(r.output.replace("│", " ").split())), r.output
    r = invoke("explain", "configs/hand_worked.yaml", "--layer", "L", "--set", "network.biases=[[0,0],[0,0]]")
    assert ("parameters: configs/hand_worked.yaml's network.weights; network.biases from --set, untrained"
            in " ".join(r.output.replace("│", " ").split())), r.output
    p = json.loads(invoke("explain", "configs/hand_worked.yaml", "--layer", "L", "--json",
                          "--set", "network.biases=[[0,0],[0,0]]").stdout)["parameters"]
    assert (p["given"], p["set_by"]) == (["weights", "biases"], ["biases"])
    cfg = load_config(None)
    run = tmp_path / "run1"
    run.mkdir()
    save_model(run / "model.npz", prepare(cfg).net, cfg)
    r = invoke("explain", "--model", run, "--layer", "L")
    assert "│ parameters: the trained model …/run1/model.npz " in r.output, r.output
    p = json.loads(invoke("explain", "--model", run, "--layer", "L", "--json").stdout)["parameters"]
    assert (p["kind"], p["path"]) == ("model", str((run / "model.npz").resolve()))
    md = invoke("explain", "--model", run, "--layer", "L", "--format", "markdown").output
    assert "\nParameters: the trained model `…/run1/model.npz`.\n" in md, md


@pytest.mark.parametrize("sets, said, biases", [
    ((), "its biases network.init auto's constant 0,", {1: 0.0, 2: 0.0}),
    (("network.activation=relu",), "its biases network.init auto's constant 0.01,", {1: 0.01, 2: 0.01}),
    (("network.activation=relu", "network.output_activation=sigmoid"),
     "its biases network.init auto's constants 0.01 in layer 1, 0 in layer 2,", {1: 0.01, 2: 0.0}),
    (("network.init=normal",), "its biases drawn by network.init normal, seed 0,", None),
])
def test_the_header_says_biases_network_init_auto_sets_are_constants_the_seed_does_not_draw(
        monkeypatch, sets, said, biases):
    """A config giving network.weights only was said to have `its biases drawn by network.init auto,
    seed 0`, but auto's biases are constants (0, 0.01 in a relu layer) whatever the seed."""
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("COLUMNS", "100")
    args = ["configs/hand_worked.yaml", "--set", "network.biases=null"]
    for s in sets:
        args += ["--set", s]
    for fmt in ("rich", "markdown"):
        out = " ".join(invoke("explain", *args, "--layer", "L", "--brief", "--format", fmt).output
                       .replace("│", " ").split())
        assert f"arameters: configs/hand_worked.yaml's network.weights, {said} untrained" in out.replace("`", ""), out
    for l, b in (biases or {}).items():  # as said: the biases explained are those constants
        data = json.loads(invoke("explain", *args, "--layer", str(l), "--json").stdout)
        assert [f["b"] for f in data["forward"]] == [b] * 2, data["forward"]


def test_the_first_help_example_explains_an_example_whose_products_are_not_0(monkeypatch):
    """--help's first example, `explain --layer L-1`, took example 0, x = (0, 0): every layer-1
    product ∂C0/∂w = a_k · … was 0. It names an example whose inputs are not 0, and runs."""
    monkeypatch.setenv("COLUMNS", "100")
    lines = invoke("explain", "--help").output.splitlines()
    first = lines[next(i for i, line in enumerate(lines) if line.strip() == "Examples:") + 1].strip()
    assert first.startswith("backprop explain --layer L-1 --example 3"), first
    args = first.split("#")[0].split()[2:]
    data = json.loads(invoke("explain", *args, "--json").stdout)
    assert data["x"] == [1.0, 1.0] and f"x = ({data['x'][0]:g}, {data['x'][1]:g})" in first
    assert data["weight_products"] and all(p["value"] != 0 for p in data["weight_products"])


def test_a_missing_layer_lists_this_networks_layers():
    """'--layer: missing; give L, L-1, … or a number from 1 to L' named no network: it lists this
    one's layers, as a --layer that is no layer does."""
    r = invoke("explain", "--set", "network.layers=[2,4,4,1]")
    assert r.exit_code == 2 and "Traceback" not in r.output
    assert r.stderr == ("error: --layer: missing; give one of this 2-4-4-1 network's layers: L, L-1 or L-2, or a "
                        "number from 1 to 3 (or use --all-layers)\n"), r.stderr
    assert "layers: L or L-1, or a number from 1 to 2 (or" in invoke("explain").stderr
    assert "this 2-1 network's layers: L or 1 (or" in invoke("explain", "--set", "network.layers=[2,1]").stderr


@pytest.mark.parametrize("layers, choices", [
    ("[2,1]", "L or 1"), ("[2,3,1]", "L or L-1, or a number from 1 to 2"),
    ("[2,4,4,1]", "L, L-1 or L-2, or a number from 1 to 3"),
])
def test_a_missing_and_an_invalid_layer_list_the_choices_alike(layers, choices):
    """A missing --layer listed `L or L-1, or a number from 1 to 2`, an invalid one `L, L-1 or a number
    from 1 to 2`, and on a one-layer network `L or a number from 1 to 1`: both now say the same,
    `L or 1` for one layer, in explain and gradcheck alike."""
    missing = invoke("explain", "--set", f"network.layers={layers}")
    assert missing.exit_code == 2 and missing.stderr.endswith(f"layers: {choices} (or use --all-layers)\n"), missing.stderr
    for command in ("explain", "gradcheck"):
        r = invoke(command, "--set", f"network.layers={layers}", "--layer", "5")
        assert r.exit_code == 2 and "Traceback" not in r.output
        assert r.stderr.endswith(f" the output); use one of: {choices}\n"), r.stderr
        assert "from 1 to 1" not in r.stderr


class _AsciiStream(io.StringIO):
    """A text stream whose encoding is ASCII (PYTHONIOENCODING=ascii, LC_ALL=C)."""

    encoding = "ascii"  # type: ignore[assignment]


@pytest.mark.parametrize("config,layer,section", [
    ("circles.yaml", "1", "expand"), ("hand_worked.yaml", "1", "expand"), ("digits.yaml", "2", "expand"),
    (None, "1", "matrix"), ("circles.yaml", "1", "matrix"),
])
def test_an_ascii_streams_note_names_the_width_that_stream_shows_it_at(config, layer, section):
    """At 57 to 59 columns, on an ASCII stream, `explain configs/circles.yaml --layer 1 --weight 0,1
    --expand` said "seed 001's names (dC/dyhat, .) left out for width: 57 columns show them": 57 was
    the width measured with the symbols, but the stream's stand-ins (ŷ as yhat) laid the panel out
    narrower, and the names showed from 60. Now each width a note gives is the least at which that
    stream shows everything (one column fewer, the note is there), and `…` is written `...`."""
    from rich.console import Console

    from backprop_cli import fit_to_encoding

    ex = _layer_explanation(config, layer, 0, **({"weight": (0, 1), "expand": True} if section == "expand" else {}))
    build = functools.partial(R._expansion_panel, ex.expansion) if section == "expand" else (
        lambda w: R._weight_matrix(ex, w))
    notes = {}
    for width in [40, *range(56, 72)] if section == "expand" else [30, *range(38, 46)]:
        stream = _AsciiStream()
        R._print_fitted(Console(file=stream, width=width, color_system=None, highlight=False, emoji=False), build)
        lines = fit_to_encoding(stream.getvalue(), "ascii").splitlines()
        assert max(map(len, lines)) <= width, (width, [line for line in lines if len(line) > width])
        text = " ".join(re.sub(r"^\| | \|$", "", line).strip() for line in lines)
        m = re.search(r"left out for width: (\d+) columns show (them|it)", text)
        notes[width] = int(m.group(1)) if m else None
        assert ("left out" in text) == (m is not None), (width, text)
        if m and section == "expand":
            assert "seed 001's names (dC/dyhat, ...) left out" in text, (width, text)
    assert notes[min(notes)] and notes[max(notes)] is None, notes
    for width, need in notes.items():
        if need is not None:  # the same width from each
            assert need > width and notes[need] is None and notes[need - 1] == need, (width, need, notes)


def test_an_ascii_stream_gets_seed_001s_panel_within_the_console():
    """At 92 columns, on an ASCII stream, `explain configs/digits.yaml --layer 2` wrote seed 001's
    panel with a line of 93 (`| * Seed 001 writes E_o = (yhat - y) . R'(Z_o) … this network uses |`):
    four narrower layouts were tried, one column each. Now it is laid out until every line fits."""
    from rich.console import Console

    from backprop_cli import fit_to_encoding

    ex = _layer_explanation("digits.yaml", "2", 0)
    for width in (90, 92, 94):
        stream = _AsciiStream()
        R._print_fitted(Console(file=stream, width=width, color_system=None, highlight=False, emoji=False),
                        lambda w: R._seed001_panel(ex, w))
        lines = fit_to_encoding(stream.getvalue(), "ascii").splitlines()
        assert "Seed 001 writes E_o" in " ".join(lines)
        assert max(map(len, lines)) <= width, (width, [line for line in lines if len(line) > width])


def _table_rows(text: str, title: str) -> list[list[str]]:
    """The cells of each row of the table titled ``title`` (a boxed table, one line a row)."""
    block = text[text.index(title):]
    block = block[:block.index("└")]
    return [[c.strip() for c in line.strip("│ ").split("│")] for line in block.splitlines()
            if line.startswith("│ ") and line.split("│")[1].strip()]


FACTORS_ROUNDED = "factors rounded to 4 digits for width: each product is of the unrounded values"


def _multiplies_out(factors: list[str], product: str, digits: int) -> bool:
    """Whether the shown ``factors`` multiply to the shown ``product`` (of ``digits`` significant
    digits, or one more near a tie) within half its last digit."""
    want = float(product)
    shown = len(product.strip("-").replace(".", "").lstrip("0").split("e")[0])  # (one more near a tie)
    assert shown <= digits + 1, product
    half = 0.5 * 10 ** (math.floor(math.log10(abs(want))) - max(shown, digits) + 1) if want else 0.0
    return abs(math.prod(float(f) for f in factors) - want) <= half * (1 + 1e-9)


@pytest.mark.parametrize(("width", "digits"), [("100", 4), ("120", 6)])
@pytest.mark.parametrize(("config", "layer", "example"), [("iris.yaml", "L", "0"), ("iris.yaml", "L-1", "3"),
                                                          ("spirals.yaml", "L-1", "0"), ("spirals.yaml", "L", "1"),
                                                          ("circles.yaml", "L-1", "2"), ("digits.yaml", "L", "0")])
def test_each_row_of_the_products_table_multiplies_out_at_the_digits_shown(monkeypatch, width, digits, config, layer,
                                                                          example):
    """A student multiplies a row of the each-weight table: with every factor at the product's 4 (or 6)
    digits, 652 of a teacher's 2,150 rows missed the product shown by half a last digit or more
    (`0,1 │ 0.490102 │ 0.244968 │ 0.741867 │ 0.0890682`: 0.0890680). The factors now get the digits it
    takes, one count for the whole table (a column shows a value the same way in each row), the product
    one more digit where its factors land within a rounding of a tie, as the written-out products do.
    At 100 and 120 columns those digits fit: no table falls back to the products' digits (and its note)."""
    monkeypatch.setenv("COLUMNS", width)
    r = shared("explain", ROOT / "configs" / config, "--layer", layer, "--example", example)
    assert r.exit_code == 0, r.output
    assert "factors rounded" not in r.stdout
    rows = _table_rows(r.stdout, "each weight")
    assert len(rows) > 8
    for idx, *factors, product, _check in rows:
        assert _multiplies_out(factors, product, digits), (idx, factors, product)


def _significant(cell: str) -> int:
    """How many significant digits a table cell shows: 4 for 0.1500, 2 for 0.15."""
    return len(cell.strip("()-").split("e")[0].replace(".", "").lstrip("0"))


@pytest.mark.parametrize(("config", "layer"), [("iris.yaml", "L"), ("spirals.yaml", "L-1"), ("xor.yaml", "L-1")])
def test_the_4_digit_tables_keep_the_zeros_of_a_rounding(monkeypatch, config, layer):
    """iris's layer L showed a_2 = 0.149965 as '0.15' and δ_2 = -0.850035 as '-0.85' in the per-neuron
    table, which read as exact values. A rounded value now shows all of its 4 digits, 0.1500 and
    -0.8500; one the digits hold exactly stays as it is (0, 1, 0.5)."""
    monkeypatch.setenv("COLUMNS", "100")
    args = ("explain", ROOT / "configs" / config, "--layer", layer)
    data = json.loads(shared(*args, "--json").stdout)
    r = shared(*args)
    assert r.exit_code == 0, r.output
    neurons = _table_rows(r.stdout, "per neuron")
    assert len(neurons) == len(data["neurons"])
    for row, n in zip(neurons, data["neurons"]):
        for cell, key in zip(row[1:7], ("z", "a", "sigma_prime", "grad_a", "delta", "grad_b")):
            v = n[key]
            if v is None:
                continue
            exact = float(f"{v:.4g}") == v
            assert float(cell) == float(f"{v:.4g}") and (exact or _significant(cell) == 4), (key, v, cell)
    if config == "iris.yaml":
        assert neurons[2][2:3] == ["0.1500"] and neurons[2][5:7] == ["-0.8500", "-0.8500"], neurons
    for row in _table_rows(r.stdout, f"= δ^({data['layer']}) (a^({data['layer'] - 1}))ᵀ"):  # δ aᵀ: δ_j, products
        for cell in row[1:]:
            assert _significant(cell) == 4 or float(cell) == float(f"{float(cell):.3g}"), row
    for row in _table_rows(r.stdout, "each weight"):  # the products (4 digits, 5 near a tie)
        assert _significant(row[-2]) in (4, 5) or float(row[-2]) == 0, row


@pytest.mark.parametrize("config", ["iris.yaml", "circles.yaml"])
def test_a_fused_output_layers_delta_is_defined_where_the_hidden_layer_first_uses_it(monkeypatch, config):
    """`explain configs/iris.yaml --layer L-1` opened its source panel with ∂C0/∂a_j^(1) = Σ_i w_ij^(2)
    δ_i^(2), and its received sums' terms with w_ij^(2) · δ_i^(2), never saying what δ_i^(2) was (softmax
    or sigmoid with cross-entropy: layer 2's output rule); the Markdown's per-neuron header read δ_j^(1)
    alone. Now the panel defines it on the line under the sum, the Markdown too."""
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.setenv("NO_COLOR", "1")
    r = shared("explain", ROOT / "configs" / config, "--layer", "L-1")
    assert r.exit_code == 0, r.output
    panel = r.output[r.output.index("Where ∂C0/∂a^(1)"):r.output.index("received from layer 2")]
    lines = [line.strip("│ ") for line in panel.splitlines()]
    use = next(i for i, line in enumerate(lines) if "Σ_i w_ij^(2) δ_i^(2)" in line)
    assert lines[use + 1] == "where (layer 2's output rule): δ_i^(2) = ∂C0/∂z_i^(2) = a_i^(2) − y_i", lines
    md = shared("explain", ROOT / "configs" / config, "--layer", "L-1", "--format", "markdown").output
    where = md[md.index("### Where"):md.index("#### ")]
    assert r"\delta_{i}^{(2)} = \frac{\partial C_0}{\partial z_{i}^{(2)}} = a_{i}^{(2)} - y_{i}" in where, where
    assert r"| $\delta_j^{(1)} = \partial C_0/\partial z_j^{(1)}$ |" in md
    # a hidden layer whose next layer has a σ' factor names no δ: nothing to define
    plain = shared("explain", ROOT / "configs" / "xor.yaml", "--layer", "L-1").output
    assert "output rule" not in plain[plain.index("Where ∂C0/∂a^(1)"):plain.index("received from layer 2")]


def _seed001_panel_text(output: str) -> str:
    panel = output[output.index("Seed 001's notation"):]
    panel = panel[:panel.index("╰")]
    return " ".join(line.strip("│ ") for line in panel.splitlines())


@pytest.mark.parametrize(("args", "prime"), [
    (("configs/iris.yaml", "--layer", "L-1"), "σ'"),
    (("configs/iris.yaml", "--set", "network.activation=relu", "--layer", "L-1"), "R'"),
])
def test_seed_001s_hidden_layer_error_names_the_received_sum_and_relus_r_prime(monkeypatch, args, prime):
    """Seed 001's panel wrote E_1[3] = (E_2 · W_2)_3 · σ'(Z_1)_3 = 0.2704277 · … without saying that (E_2 ·
    W_2)_3 is the received ∂C0/∂a_3^(1) shown above (0.270428), which README promises; and a ReLU layer
    read σ'(Z_1) where seed 001 writes R'(Z_h). Now a note links the two, with the value the received
    table shows, and a ReLU layer is written with R'."""
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.chdir(ROOT)
    r = shared("explain", *args)
    assert r.exit_code == 0, r.output
    seed = _seed001_panel_text(r.output)
    j = int(re.search(r"E_1\[(\d+)\] = \(E_2 · W_2\)_\1 · " + re.escape(prime) + r"\(Z_1\)_\1 = ", seed).group(1))
    assert f"E_h = E_1 = E_2 · W_2 · {prime}(Z_1)" in seed and f"· {prime}(Z_1) is element-wise" in seed, seed
    other = "σ'(Z_" if prime == "R'" else "R'(Z_1"
    assert other not in seed, seed
    received = r.output[r.output.index("received from layer 2"):r.output.index("Layer 1 (L-1), ")]
    row = next(line for line in received.splitlines() if line.startswith(f"│ {j} │"))
    total = row.split("│")[3].strip()  # j, the terms, Σ
    assert (f"(E_2 · W_2)_{j}, row E_2 times column {j} of W_2, is ∂C0/∂a_{j}^(1) = {total}, the sum received "
            "from layer 2 above (eq. 8).") in seed, (total, seed)


def test_seed_001s_output_layer_error_of_a_relu_output_is_written_with_r_prime(monkeypatch):
    """A ReLU output's E_o read C'(ŷ) · σ'(Z_2); seed 001 writes E_o = (ŷ − y) · R'(Z_o) for its ReLU output."""
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.setenv("NO_COLOR", "1")
    r = shared("explain", ROOT / "configs" / "xor_relu.yaml", "--set", "network.output_activation=relu", "--layer", "L")
    assert r.exit_code == 0, r.output
    seed = _seed001_panel_text(r.output)
    assert "E_o = E_2 = C'(ŷ) · R'(Z_2) = (ŷ − y) · R'(Z_2)" in seed and "· R'(Z_2)_0 = " in seed, seed
    assert "σ'" not in seed, seed


TWO_OUTPUTS = "x1,x2,x3,y1,y2\n0.5,-1.2,0.3,0.2,0.9\n-0.7,0.4,1.1,0.8,0.1\n1.3,0.9,-0.5,0.6,0.4\n0.1,-0.3,0.8,0.3,0.7\n"


@pytest.mark.parametrize(("seed", "sizes", "activation"), [(3, "[3, 4, 3, 2]", "relu"), (2, "[3, 4, 3, 2, 2]", "sigmoid")])
def test_expands_listed_paths_add_up_to_its_total(tmp_path, monkeypatch, seed, sizes, activation):
    """`explain relu2.yaml --layer 1 --expand` listed its paths as -2.39452 and -0.108837 (and four 0s),
    which add to -2.503357, under a total of -2.50335: the written-out sums of explain add up at the
    digits shown, its path list did not. Now the listed products get the digits it takes, in the
    terminal and in Markdown, and the largest path's factors multiply to its product as listed."""
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.setenv("NO_COLOR", "1")
    (tmp_path / "two.csv").write_text(TWO_OUTPUTS)
    (tmp_path / "c.yaml").write_text(
        f"seed: {seed}\ndata: {{path: two.csv, target: [y1, y2], task: regression, test_fraction: 0, "
        f"standardize: false}}\nnetwork: {{layers: {sizes}, activation: {activation}, output_activation: "
        f"{activation}}}\ncost: half_squared_error\n")
    r = invoke("explain", tmp_path / "c.yaml", "--layer", "1", "--expand", "--full")  # every path listed
    assert r.exit_code == 0, r.output
    text = "\n".join(line.strip("│ ") for line in r.output[r.output.index("--expand: the whole"):].splitlines())
    paths = re.findall(r"^\d+(?: → \d+)+ +(\S+)", text, re.MULTILINE)
    total = re.search(r"^total \(summing all (\d+) paths\) = (\S+)$", text, re.MULTILINE)
    assert total and len(paths) == int(total.group(1)) > 1, text
    assert f"{math.fsum(map(float, paths)):.6g}" == total.group(2), (paths, total.group(2))
    factors = [float(line.split()[-1]) for line in text.splitlines() if re.match(r"d[CŷZH]\S*/d", line)]
    largest = re.search(r"^product along the largest path = (\S+)$", text, re.MULTILINE).group(1)
    digits = len(re.sub(r"\D", "", largest).lstrip("0"))
    assert largest == paths[0] and f"{math.prod(factors):.{digits}g}" == largest, (factors, largest)
    md = invoke("explain", tmp_path / "c.yaml", "--layer", "1", "--expand", "--full", "--format", "markdown").output
    md_paths = re.findall(r"^\| \d+(?: → \d+)+ \| (\S+) \|", md, re.MULTILINE)
    md_total = re.search(r"^Total over all \d+ paths: (\S+) ", md, re.MULTILINE).group(1)
    assert md_paths == paths and md_total == total.group(2), (md_paths, md_total)


@pytest.mark.parametrize("width", [60, 80, 100])
def test_softmaxs_note_breaks_its_formula_before_an_equals_not_inside_delta_js_value(monkeypatch, width):
    """`COLUMNS=100 explain configs/iris.yaml --layer L`: the softmax note ended a line with `= a_j Σ_i
    y_i − y_j = a_j` and began the next with `− y_j, the targets summing to 1.`, which reads as δ_j = a_j.
    A formula wider than the line now breaks first before its `=`, between whole formulas."""
    monkeypatch.setenv("COLUMNS", str(width))
    monkeypatch.setenv("NO_COLOR", "1")
    out = shared("explain", ROOT / "configs" / "iris.yaml", "--layer", "L").output
    panel = out[out.index("Softmax is not element-wise"):out.index("Softmax + cross-entropy is")]
    lines = [line.strip("│ ") for line in panel.splitlines()]
    assert all(not line.startswith(("− ", "· ", "/ ")) for line in lines[1:]), lines
    assert not any(line.endswith("= a_j") for line in lines) and any("= a_j − y_j," in line for line in lines), lines


@pytest.mark.parametrize("width", [50, 60])
def test_a_received_tables_title_keeps_its_bracket_whole(monkeypatch, width):
    """At 60 columns `explain configs/circles.yaml --layer L-1` broke the received table's title as `(eq.
    8 with k → j, j →` over `i):`: a phrase wider than the table was left to rich. Now it breaks as prose
    does, its bracket whole on a line."""
    monkeypatch.setenv("COLUMNS", str(width))
    monkeypatch.setenv("NO_COLOR", "1")
    out = shared("explain", ROOT / "configs" / "circles.yaml", "--layer", "L-1").output
    start = out.index("∂C0/∂a_j^(1) received from layer 2")
    rows = [line.strip() for line in out[out.rindex("\n", 0, start) + 1:].splitlines()]
    title = rows[:rows.index("")]  # the title's lines, up to the blank line under it
    assert title == ["∂C0/∂a_j^(1) received from layer 2", *(
        ["(eq. 8 with k → j, j → i): Σ_i w_ij^(2) · δ_i^(2)"] if width == 60 else
        ["(eq. 8 with k → j, j → i):", "Σ_i w_ij^(2) · δ_i^(2)"])], rows[:5]


@pytest.mark.parametrize("width", [40, 44])
def test_softmaxs_note_breaks_before_an_equals_not_after_one_nor_inside_a_bracket(monkeypatch, width):
    """`COLUMNS=40 explain configs/iris.yaml --layer L`: the softmax note read `(∂a_i/∂z_j = a_i` over
    `(1[i = j] − a_j)), so there is no`, which reads as ∂a_i/∂z_j = a_i, and `= Σ_i ∂a_i/∂z_j · ∂C0/∂a_i = Σ_i`
    over `a_i (1[i = j] …`, a break after an `=` where the one before it fits. The bracket's formula now breaks
    before its own `=`, and the chain before each `=` whose formula starts a line."""
    monkeypatch.setenv("COLUMNS", str(width))
    monkeypatch.setenv("NO_COLOR", "1")
    out = shared("explain", ROOT / "configs" / "iris.yaml", "--layer", "L").output
    panel = out[out.index("Softmax is not element-wise"):out.index("Softmax + cross-entropy is")]
    lines = [line.strip("│• ") for line in panel.splitlines()]
    assert not any(line.endswith(("∂a_i/∂z_j = a_i", "= Σ_i", "= Σ_i a_i", "=")) for line in lines), lines
    assert any("= a_i (1[i = j] − a_j))," in line for line in lines), lines
    assert "= Σ_i ∂a_i/∂z_j · ∂C0/∂a_i" in lines and any(line.startswith("= Σ_i a_i (1[i = j] − a_j)")
                                                         for line in lines), lines
    # the line after a broken formula is not read as an equation with its tail ("(−y_i / a_i) = a_j …")
    assert all(line.startswith("=") for line in lines if "= a_j Σ_i y_i" in line), lines


@pytest.mark.parametrize("width", [40, 44])
def test_a_lines_operator_stays_with_the_number_after_it(monkeypatch, width):
    """At 40 columns `explain configs/xor_relu.yaml --layer L --expand` ended a line with `product along
    this path =` over `2.71202e-05`, and the legend of every table's checks `(rel err < 1e-5 or abs <` over
    `1e-9)` at 40 (`(rel err <` over `1e-5 …` at 44): an operator goes with the number after it."""
    monkeypatch.setenv("COLUMNS", str(width))
    monkeypatch.setenv("NO_COLOR", "1")
    out = shared("explain", ROOT / "configs" / "xor_relu.yaml", "--layer", "L", "--expand").output
    lines = [line.strip("│ ") for line in out.splitlines()]
    assert not any(line.endswith((" =", " <")) for line in lines), [line for line in lines if line.endswith((" =", " <"))]
    assert any("< 1e-9)" in line for line in lines) and any("< 1e-5" in line for line in lines)
    if width == 40:
        assert "= 2.71202e-05" in lines, lines


def _narrow_table(text: str, title: str) -> tuple[list[str], str]:
    """(the lines of the unboxed table titled ``title`` under its header rule, up to the first
    that is not a row; its note: the two lines under it, where they start 'factors rounded')."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if title in line)
    rule = next(i for i in range(start, len(lines)) if "─" in lines[i])
    end = next(i for i in range(rule + 1, len(lines)) if not re.match(r"\s*\d+(,\d+)?\s", lines[i]))
    under = [line.strip() for line in lines[end:end + 3] if line.strip()][:2]
    return lines[rule + 1:end], " ".join(under) if under and under[0].startswith("factors rounded") else ""


@pytest.mark.parametrize(("width", "args"), [("58", ["iris.yaml", "--layer", "1"]), ("59", ["iris.yaml", "--layer", "1"]),
                                              ("60", ["iris.yaml", "--layer", "1"]),
                                              ("60", ["circles.yaml", "--layer", "1"]),
                                              ("60", ["digits.yaml", "--layer", "1", "--example", "1"])])
def test_a_narrow_products_table_keeps_one_line_a_row(monkeypatch, width, args):
    """The digits that multiply out (above) made the each-weight table wider: at 58-60 columns iris's
    check went on two lines a row, '0,0   1.06000  0.127340   0.320633   0.04328          ✓ 0' over
    '/ 2e-10', where it read '0,0   1.06  0.1273  0.3206  0.04328  ✓ 0 / 2e-10'. Where those digits do
    not fit the table's form, the factors keep the products' 4 digits, one line a row, and a note under
    the table says so; where they fit, each row multiplies out. (Circles' and digits' tables put their
    checks on two lines below 60 columns before the wider digits too.)"""
    monkeypatch.setenv("COLUMNS", width)
    r = shared("explain", ROOT / "configs" / args[0], *args[1:])
    assert r.exit_code == 0, r.output
    data = json.loads(shared("explain", ROOT / "configs" / args[0], *args[1:], "--format", "json").stdout)
    for title, key in (("each weight", "weight_products"), ("each bias", "bias_products")):
        rows, note = _narrow_table(r.stdout, title)
        assert len(rows) == min(len(data[key]), 64), (title, rows)  # one line a row
        assert note in ("", FACTORS_ROUNDED), (title, note)
        for line in rows:
            _idx, *factors, product, check = re.split(r"\s{2,}", line.strip())
            assert check.startswith(("✓", "✗", "?", "~")) and " / " in check, line
            if note:  # the products' digits
                assert all(len(f.strip("-").replace(".", "").lstrip("0")) <= 4 for f in factors), line
            else:
                assert _multiplies_out(factors, product, 4), line


def test_the_written_out_product_of_one_neurons_row_is_called_its_largest_not_the_layers(monkeypatch):
    """`explain spirals --layer 2 --neuron 0 --full` wrote out neuron 0's largest of its 64 and called it 'the
    largest |∂C0/∂w_jk^(2)| of the 64 shown of 4,096 (--full shows them all)', with --full given and the 64 a
    neuron's row, not a corner; it is neuron 0's largest, not the weight this example moves most. The whole
    layer under --full is the layer's largest, the weight this example moves most."""
    monkeypatch.setenv("COLUMNS", "100")
    args = ("explain", ROOT / "configs" / "spirals.yaml", "--layer", "2", "--full")
    data = json.loads(shared(*args, "--neuron", "0", "--json").stdout)
    top = max(data["weight_products"], key=lambda p: abs(p["value"]))
    for extra in ((), ("--brief",)):
        text = " ".join(shared(*args, "--neuron", "0", *extra).output.split())
        assert f"written out above: {top['symbol']}, the largest |∂C0/∂w_jk^(2)| of neuron 0's 64; " in text, text
        assert "shown of" not in text and "moves most" not in text
    md = shared(*args, "--neuron", "0", "--format", "markdown").output
    assert "of neuron 0's 64; the table below has each.*" in md
    whole = json.loads(shared(*args, "--json").stdout)
    top = max(whole["weight_products"], key=lambda p: abs(p["value"]))
    text = " ".join(shared(*args).output.split())
    assert (f"written out above: {top['symbol']}, the largest |∂C0/∂w_jk^(2)| of the 4,096, the weight this "
            "example moves most; the table below has each") in text


@pytest.mark.parametrize("width", ["64", "69", "70", "72", "79"])
def test_where_a_narrower_one_line_form_fits_the_digits_that_multiply_out_it_is_taken(monkeypatch, width):
    """iris's --layer 1 at 70 columns rounded its factors under 'factors rounded to 4 digits for width' (its
    layer superscripts in the headers) where 69 columns showed every row's digits (headers without them): a
    form whose rows take one line, shorter headers or no blank edges, is tried before the note."""
    monkeypatch.setenv("COLUMNS", width)
    r = shared("explain", ROOT / "configs" / "iris.yaml", "--layer", "1")
    assert r.exit_code == 0, r.output
    rows, note = _narrow_table(r.stdout, "each weight")
    assert note == "" and "factors rounded" not in r.stdout and len(rows) == 32, (width, note, rows)
    for line in rows:
        _idx, *factors, product, _check = re.split(r"\s{2,}", line.strip())
        assert _multiplies_out(factors, product, 4), line


def test_softmax_targets_that_do_not_sum_to_1_show_their_sum_alike_on_every_line(monkeypatch):
    """iris --y 0.5,0.5000005,0 (within the CLI's 1e-6 of summing to 1): the worked δ lines read
    '∂C0/∂z_0^(2) = a_0^(2) Σ_i y_i − y_0 = 0.211811 · 1 − 0.5' beside '0.41705512 · 1.0000005 − 0.5000005'
    for neuron 1: Σ_i y_i shown as 1 hid why it is there. It is one value, shown as the output rule's note
    gives it (Σ_i y_i = 1.0000005) on every neuron's line, seed 001's E_2[j] and in Markdown."""
    monkeypatch.setenv("COLUMNS", "100")
    args = ("explain", ROOT / "configs" / "iris.yaml", "--layer", "L", "--x", "5,3,1,0.2", "--y", "0.5,0.5000005,0")
    out = invoke(*args).output
    assert "Σ_i y_i = 1.0000005 (targets" in out, out
    lines = re.findall(r"∂C0/∂z_(\d)\^\(2\) = a_\d\^\(2\) Σ_i y_i − y_\d = \d\.\d+ · (\S+) − [\d.]+ = -?\d",
                       " ".join(out.split()))
    assert lines == [("0", "1.0000005"), ("1", "1.0000005"), ("2", "1.0000005")], out
    worked = re.search(r"E_2\[(\d)\] = ŷ_\d Σ_i y_i − y_\d = \d\.\d+ · (\S+) − ", out)
    assert worked and worked[2] == "1.0000005", out
    md = invoke(*args, "--format", "markdown").output
    sums = re.findall(r"\\sum_\{i\} y_\{i\} - y_\{?\d\}? = \d\.\d+ \\cdot (\S+) - ", md)
    assert len(sums) == 4 and set(sums) == {"1.0000005"}, md


def test_a_worked_sigma_prime_never_breaks_inside_its_brackets(monkeypatch):
    """At 40 columns silu's worked σ' broke inside its bracket, '= (1 + (1 + z_0^(1))' over
    '   e^(−z_0^(1)))', as the factors table no longer does: its formula now goes on 4 columns in, under the
    numbers' '=', where its first bracket fits whole on a line."""
    monkeypatch.setenv("COLUMNS", "40")
    out = invoke("explain", "--set", "network.activation=silu", "--layer", "1").output
    lines = out.splitlines()
    at = lines.index("σ'(z_0^(1))")
    assert lines[at + 1:at + 4] == ["    = (1 + (1 + z_0^(1)) e^(−z_0^(1)))", "      / (1 + e^(−z_0^(1)))²",
                                    "    = (1 + (1 + 0) · e^(0))"], lines[at:at + 6]
    worked = lines[at:lines.index("σ'(z_1^(1))")]
    assert all(line.count("(") == line.count(")") for line in worked), worked
