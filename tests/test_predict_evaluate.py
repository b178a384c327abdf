"""`backprop predict` and `backprop evaluate` through typer's CliRunner, and the metrics core."""

from __future__ import annotations

import csv
import io
import json
import math
import os
import re
import tempfile
import warnings
from pathlib import Path

import numpy as np
import pytest
from rich.text import Text
from typer.testing import CliRunner

from backprop_cli.cli import app
from backprop_cli.evaluation import classification_metrics, confusion_matrix, regression_metrics
from backprop_cli.model_io import load_model, save_model
from helpers import printed_refusal, run_on_one_hot_columns_as_numbers, run_on_three_classes

ROOT = Path(__file__).resolve().parents[1]
IRIS_CSV = ROOT / "data" / "iris.csv"
IRIS_CLASSES = ("setosa", "versicolor", "virginica")
runner = CliRunner()


def invoke(*args):
    return runner.invoke(app, [str(a) for a in args])


def ok_json(*args):
    r = invoke(*args)
    assert r.exit_code == 0, r.output
    return json.loads(r.stdout)


def rows_of(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


@pytest.fixture(scope="module")
def iris(tmp_path_factory):
    """configs/iris.yaml trained with its defaults: (model.npz, the `train --json` summary)."""
    out = tmp_path_factory.mktemp("runs") / "iris"
    summary = ok_json("train", ROOT / "configs" / "iris.yaml", "--out", out, "--json")
    return out / "model.npz", summary


@pytest.fixture(scope="module")
def sine(tmp_path_factory):
    """A briefly trained sine regression model (the result does not matter)."""
    out = tmp_path_factory.mktemp("runs") / "sine"
    cfg = out.parent / "sine.yaml"
    cfg.write_text("data: {dataset: sine, n_samples: 100}\nnetwork: {layers: [1, 8, 1], activation: tanh, "
                   "output_activation: linear}\ncost: half_squared_error\n"
                   "training: {epochs: 20, learning_rate: 0.05, batch_size: 16}\n")
    assert invoke("train", cfg, "--out", out, "--quiet").exit_code == 0
    return out / "model.npz"


# --- evaluate -----------------------------------------------------------------------


def test_evaluate_reproduces_the_training_runs_test_figures(iris):
    model, summary = iris
    ev = ok_json("evaluate", model, "--json")
    assert ev["split"] == "test" and ev["n_samples"] == summary["n_test"] == 30
    assert ev["accuracy"] == summary["test_accuracy"]
    assert ev["cost"] == pytest.approx(summary["test_cost"], rel=1e-12)
    # the same split again, through the config given as --data
    again = ok_json("evaluate", model, "--data", ROOT / "configs" / "iris.yaml", "--json")
    assert again["accuracy"] == summary["test_accuracy"] and again["n_samples"] == 30


def test_evaluate_tables(iris):
    r = invoke("evaluate", iris[0])
    assert r.exit_code == 0, r.output
    for needle in ("test split", "accuracy", "precision", "recall", "F1", "support", "confusion matrix",
                   "true \\ predicted", *IRIS_CLASSES):
        assert needle in r.output


def test_predict_then_evaluate_on_a_file_agree(iris):
    model, _ = iris
    r = invoke("predict", model, IRIS_CSV)
    assert r.exit_code == 0, r.output
    rows = rows_of(r.stdout)
    assert list(rows[0]) == ["species", "p_setosa", "p_versicolor", "p_virginica"]
    assert len(rows) == 150
    P = np.array([[float(row[f"p_{c}"]) for c in IRIS_CLASSES] for row in rows])
    assert np.allclose(P.sum(axis=1), 1.0) and np.all((P >= 0) & (P <= 1))
    predicted = [row["species"] for row in rows]
    assert predicted == [IRIS_CLASSES[i] for i in P.argmax(axis=1)]
    truth = [row["species"] for row in csv.DictReader(IRIS_CSV.open())]

    ev = ok_json("evaluate", model, "--data", IRIS_CSV, "--json")
    assert ev["split"] == "file" and ev["n_samples"] == 150
    assert ev["accuracy"] == pytest.approx(np.mean([p == t for p, t in zip(predicted, truth)]))
    M = np.array(ev["confusion_matrix"]["counts"])
    expected = np.zeros((3, 3), dtype=int)
    for t, p in zip(truth, predicted):
        expected[IRIS_CLASSES.index(t), IRIS_CLASSES.index(p)] += 1
    assert (M == expected).all()
    assert M.sum() == 150 and np.trace(M) / 150 == pytest.approx(ev["accuracy"])
    assert [c["support"] for c in ev["classes"]] == [50, 50, 50]


def test_regression_metrics_match_numpy(sine, tmp_path):
    rng = np.random.default_rng(7)
    x = rng.uniform(-3, 3, 40)
    y = np.sin(x) + 0.1 * rng.standard_normal(40)
    data = tmp_path / "points.csv"
    data.write_text("x,y\n" + "".join(f"{a!r},{b!r}\n" for a, b in zip(x.tolist(), y.tolist())))
    r = invoke("predict", sine, data)
    assert r.exit_code == 0, r.output
    rows = rows_of(r.stdout)
    assert list(rows[0]) == ["y"]
    a = np.array([float(row["y"]) for row in rows])

    ev = ok_json("evaluate", sine, "--data", data, "--json")
    (out,) = ev["outputs"]
    assert out["name"] == "y"
    assert out["mse"] == pytest.approx(np.mean((a - y) ** 2), rel=1e-9)
    assert out["mae"] == pytest.approx(np.mean(np.abs(a - y)), rel=1e-9)
    assert out["r2"] == pytest.approx(1 - np.sum((a - y) ** 2) / np.sum((y - y.mean()) ** 2), rel=1e-9)
    assert ev["cost"] == pytest.approx(0.5 * np.mean((a - y) ** 2), rel=1e-9)  # half_squared_error
    assert "accuracy" not in ev
    r = invoke("evaluate", sine)
    assert r.exit_code == 0 and "R²" in r.output and "MAE" in r.output


def test_evaluate_says_when_it_uses_the_training_split(tmp_path):
    assert invoke("train", "--epochs", "5", "--out", tmp_path, "--quiet").exit_code == 0  # xor: no test split
    r = invoke("evaluate", tmp_path / "model.npz")
    assert r.exit_code == 0 and "training split" in r.output and "no test split" in r.output
    assert ok_json("evaluate", tmp_path / "model.npz", "--json")["split"] == "train"


def test_evaluate_json_has_every_field_the_readme_documents_and_no_other(iris, sine):
    """The README said only "`--json` prints one object": a pipeline had to guess its fields."""
    import re

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    start = readme.index("`--json` schema: `{\"model\"")
    paragraph = readme[start:readme.index("\n\n", start)]
    documented = set(re.findall(r'"([a-z_0-9]+)"', paragraph))
    documented -= {"classification", "regression", "test", "train", "file"}  # values, not fields
    classifier = ok_json("evaluate", iris[0], "--json")
    regression = ok_json("evaluate", sine, "--json")
    inner = set(classifier["classes"][0]) | set(classifier["macro_avg"]) | set(classifier["confusion_matrix"])
    got = set(classifier) | set(regression) | inner | set(regression["outputs"][0])
    assert got == documented, got ^ documented
    assert classifier["split"] in ("test", "train", "file") and isinstance(classifier["n_samples"], int)


# --- predict ------------------------------------------------------------------------


def test_predict_out_file_and_json(iris, tmp_path):
    model, _ = iris
    out = tmp_path / "new" / "predictions.csv"
    r = invoke("predict", model, IRIS_CSV, "--out", out)
    assert r.exit_code == 0, r.output
    assert "wrote 150 predictions" in r.stderr and str(out) in r.stderr and r.stdout == ""
    assert out.read_text() == invoke("predict", model, IRIS_CSV).stdout
    assert [p.name for p in out.parent.iterdir()] == ["predictions.csv"]  # no temporary file left
    one = tmp_path / "one.csv"
    one.write_text(IRIS_CSV.read_text().split("\n", 2)[0] + "\n" + IRIS_CSV.read_text().split("\n", 2)[1] + "\n")
    r = invoke("predict", model, one, "--out", tmp_path / "one_out.csv")
    assert r.exit_code == 0 and r.stderr.startswith("wrote 1 prediction (species, "), r.output  # not "1 predictions"

    records = json.loads(invoke("predict", model, IRIS_CSV, "--json").stdout)
    assert len(records) == 150 and set(records[0]) == {"species", "p_setosa", "p_versicolor", "p_virginica"}
    assert records[0]["species"] in IRIS_CLASSES and isinstance(records[0]["p_setosa"], float)
    assert invoke("predict", model, IRIS_CSV, "--json", "--out", tmp_path / "p.json").exit_code == 0
    assert json.loads((tmp_path / "p.json").read_text()) == records


def test_predict_ignores_other_columns_and_reads_by_name(iris, tmp_path):
    model, _ = iris
    lines = IRIS_CSV.read_text().splitlines()
    header = lines[0].split(",")
    order = [4, 3, 0, 2, 1]  # target first, features shuffled, plus an id column
    text = "id," + ",".join(header[i] for i in order) + "\n"
    text += "".join(f"{k}," + ",".join(line.split(",")[i] for i in order) + "\n"
                    for k, line in enumerate(lines[1:]))
    shuffled = tmp_path / "shuffled.csv"
    shuffled.write_text(text)
    assert invoke("predict", model, shuffled).stdout == invoke("predict", model, IRIS_CSV).stdout


def test_predict_never_writes_two_columns_of_one_name(tmp_path):
    """A target named p_b with classes a and b gave the columns p_b, p_a, p_b: the CSV had two
    p_b columns and each --json record lost its predicted class under the probability's key."""
    rows = [(x, y, "ab"[int(x > 0)]) for x in (-2, -1, 1, 2) for y in (-1.0, 0.0, 1.0)]
    (tmp_path / "d.csv").write_text("u,v,p_b\n" + "".join(f"{x},{y},{c}\n" for x, y, c in rows))
    cfg = tmp_path / "d.yaml"
    cfg.write_text("data: {path: d.csv, target: p_b}\nnetwork: {layers: [2, 3, 2], output_activation: softmax}\n"
                   "cost: cross_entropy\ntraining: {epochs: 2}\n")
    assert invoke("train", cfg, "--out", tmp_path / "run", "--quiet").exit_code == 0
    r = invoke("predict", tmp_path / "run" / "model.npz", tmp_path / "d.csv")
    assert r.exit_code == 0, r.output
    header = r.stdout.splitlines()[0].split(",")
    assert header == ["class", "p_a", "p_b"]
    records = ok_json("predict", tmp_path / "run" / "model.npz", tmp_path / "d.csv", "--json")
    assert len(records) == 12 and all(set(rec) == {"class", "p_a", "p_b"} and rec["class"] in ("a", "b")
                                      for rec in records)


def test_binary_and_non_probability_outputs(tmp_path):
    circles = tmp_path / "circles.yaml"
    circles.write_text("data: {dataset: circles, n_samples: 40}\nnetwork: {layers: [2, 4, 1], "
                       "activation: tanh, output_activation: sigmoid}\ncost: cross_entropy\n"
                       "training: {epochs: 3}\n")
    assert invoke("train", circles, "--out", tmp_path / "c", "--quiet").exit_code == 0
    points = tmp_path / "points.csv"
    points.write_text("x1,x0\n0.1,0.2\n1.0,0.0\n")
    rows = rows_of(invoke("predict", tmp_path / "c" / "model.npz", points).stdout)
    assert list(rows[0]) == ["label", "p_0", "p_1"]
    for row in rows:  # single sigmoid output: p of class 1 and its complement
        assert float(row["p_0"]) + float(row["p_1"]) == pytest.approx(1.0)
        assert row["label"] == ("1" if float(row["p_1"]) > 0.5 else "0")
    records = ok_json("predict", tmp_path / "c" / "model.npz", points, "--json")
    assert [rec["label"] for rec in records] == [row["label"] for row in rows]  # a class name: "1", not 1

    r = invoke("train", ROOT / "configs" / "xor_relu.yaml", "--epochs", "3", "--out", tmp_path / "x", "--quiet")
    assert r.exit_code == 0, r.output
    rows = rows_of(invoke("predict", tmp_path / "x" / "model.npz", points).stdout)
    assert list(rows[0]) == ["label", "score_1"]  # a linear output is a score, not a probability


def _iris_run_on_a_copy(tmp_path):
    """A 3-epoch iris run trained on a copy of data/iris.csv in ``tmp_path``: (the copy, the run folder)."""
    data = tmp_path / "iris.csv"
    data.write_text(IRIS_CSV.read_text())
    out = tmp_path / "run"
    r = invoke("train", ROOT / "configs" / "iris.yaml", "--set", f"data.path={data}", "--epochs", "3",
               "--out", out, "--quiet")
    assert r.exit_code == 0, r.output
    return data, out


def test_a_model_whose_data_digest_is_malformed_is_said_to_be_damaged_not_its_data_changed(tmp_path):
    """A model.npz whose data_digest is not the 32 hex digits train writes (emptied, cut short, edited:
    a damaged file) made evaluate say 'the data in iris.csv are not the ones it was trained on (the file
    has changed since)', of a file unchanged. It is refused as the model's other malformed fields are,
    naming the file and the field; the same digest in capitals is the same fingerprint."""
    data, out = _iris_run_on_a_copy(tmp_path)
    model = out / "model.npz"
    arrays = dict(np.load(model, allow_pickle=False))
    digest = str(arrays["data_digest"])
    for bad, said in (("", "''"), ("abc", "abc"), ("z" * 32, "z" * 32), (digest + "0", digest + "0")):
        np.savez(model, **{**arrays, "data_digest": np.array(bad)})
        for args in (("evaluate", model), ("predict", model, data)):
            r = invoke(*args)
            assert r.exit_code == 2 and r.stdout == "", (bad, args, r.output)
            assert r.stderr.splitlines() == [
                f"error: {model}: data_digest {said} is not a data file's fingerprint (32 hex digits)"], (bad, r.stderr)
    np.savez(model, **{**arrays, "data_digest": np.array(digest.upper())})
    assert ok_json("evaluate", model, "--json")["n_samples"] == 30


def test_a_data_file_changed_so_that_the_network_no_longer_fits_is_said_to_have_changed(tmp_path):
    """A model's training CSV cut to two of its three classes: evaluate said '… (stored config):
    network.layers[-1]: 3 does not match the data: … has 2 inputs and 2 outputs; use layers: [2, …, 1] …',
    advice a trained network cannot take (explain, gradcheck and train --resume alike, evaluate --data's
    note 'its training data cannot be read (network.layers[-1]: …)'); an edited cell was said to be the
    file changed since. Now both are, the fingerprint compared before the layers."""
    csv, run = run_on_three_classes(tmp_path, invoke)
    model = run / "model.npz"
    other = tmp_path / "other.csv"
    other.write_text(csv.read_text())
    csv.write_text("".join(line for line in csv.read_text().splitlines(True) if not line.endswith(",c\n")))
    changed = (f"the data in {csv} are not the ones it was trained on (the file has changed since: it now has 2 "
               "inputs and 2 outputs, the network 2-3-3)")
    r = invoke("evaluate", model)
    assert r.exit_code == 2 and r.stderr.splitlines() == [
        f"error: {model}: cannot rebuild its test split: {changed}",
        ("hint: its test split would not be the rows held out in training; evaluate on a file with --data FILE.csv "
         "(every row of which counts)")], r.output
    for command in (("explain", "--layer", "1"), ("gradcheck",)):
        r = invoke(*command, "--model", run)
        assert r.exit_code == 2 and r.stderr.splitlines() == [
            f"error: {model}: cannot take examples from its data: {changed}",
            ("hint: give the data it was trained on with --set data.path=FILE.csv, or an example of your own with "
             "--x and --y, which needs no data")], (command, r.output)
        assert invoke(*command, "--model", run, "--set", f"data.path={other}").exit_code == 0
    other.write_text("".join(other.read_text().splitlines(True)[:7]))  # not a copy of the data either
    r = invoke("evaluate", model, "--data", other)
    assert r.exit_code == 0 and r.stderr == (f"note: cannot tell how many of these 6 rows the model was trained "
                                             f"on: {csv} has changed since it was trained on it\n"), r.output
    r = invoke("train", tmp_path / "flowers.yaml", "--out", run, "--epochs", "2", "--resume", "--quiet")
    assert r.exit_code == 2 and r.stderr.splitlines() == [
        f"error: {run / 'checkpoint.npz'}: cannot resume: {changed}",
        "hint: resume with the data the run started with, or start a new run (--overwrite)"], r.output


def test_evaluate_refuses_to_rebuild_the_split_of_a_data_file_changed_since_training(tmp_path):
    """A row appended to the training file: the rebuilt "test split" would be other rows, some
    of them trained on. Refused, naming the model and the file; --data FILE.csv still works."""
    data, out = _iris_run_on_a_copy(tmp_path)
    model = out / "model.npz"
    assert ok_json("evaluate", model, "--json")["n_samples"] == 30
    data.write_text(data.read_text() + "5.0,3.4,1.5,0.2,setosa\n")
    r = invoke("evaluate", model, "--json")
    assert r.exit_code == 2 and printed_refusal(r.stdout, r.stderr), r.output
    assert r.stderr.splitlines()[0] == (f"error: {model}: cannot rebuild its test split: the data in {data} are "
                                        "not the ones it was trained on (the file has changed since)")
    assert "--data FILE.csv" in r.stderr.splitlines()[1]
    # explain and gradcheck --model took their examples from it, row i of a split it was never trained on
    for command in (("explain", "--layer", "1"), ("gradcheck",)):
        r = invoke(*command, "--model", out)
        assert r.exit_code == 2 and r.stderr.splitlines() == [
            (f"error: {model}: cannot take examples from its data: the data in {data} are not the ones it was "
             "trained on (the file has changed since)"),
            ("hint: give the data it was trained on with --set data.path=FILE.csv, or an example of your own with "
             "--x and --y, which needs no data")], (command, r.output)
        assert invoke(*command, "--model", out, "--x", "5,3.4,1.5,0.2", "--y", "setosa").exit_code == 0
    r = invoke("evaluate", model, "--data", data, "--json")
    assert r.exit_code == 0 and json.loads(r.stdout)["n_samples"] == 151
    # which of these rows were trained on cannot be told from a changed file: said, and null
    assert json.loads(r.stdout)["n_seen_in_training"] is None
    assert r.stderr == (f"note: cannot tell how many of these 151 rows the model was trained on: {data} has "
                        "changed since it was trained on it\n")
    data.unlink()  # moved away: the hint does not send the user to the current folder
    r = invoke("evaluate", model)
    # nor to --data FILE.csv first (every row, 120 of them trained on): to a config of the moved copy
    assert r.exit_code == 2 and r.stderr.splitlines() == [
        f"error: {model} (stored config): data.path: {data}: no such file",
        "hint: a model stores the absolute path of the file it was trained on; the file has moved or been "
        f"removed since; evaluate its test split, from the moved copy: backprop config show {out / 'config.yaml'} "
        f"--set data.path=COPY.csv > copy.yaml, then backprop evaluate {model} --data copy.yaml (--data COPY.csv "
        "evaluates every row, the rows it was trained on too)"]


def test_evaluate_warns_of_rows_the_model_was_trained_on(iris, tmp_path):
    """`evaluate runs/iris --data data/iris.csv` reported 98.7% on every row, and 120 of those 150
    rows were trained on; a config of another seed (`--set seed=7`) gave a "test split" of 30 rows,
    24 of them trained on, and a cost of 0.026 against the true 0.040. Both said nothing."""
    model = iris[0]
    r = invoke("evaluate", model, "--data", IRIS_CSV, "--json")
    assert r.exit_code == 0, r.output
    ev = json.loads(r.stdout)
    assert (ev["n_samples"], ev["n_seen_in_training"], ev["n_seen_in_validation"]) == (150, 120, 0)
    from backprop_cli.scaffold import display_path

    assert r.stderr.startswith("warning: 120 of these 150 rows are in the model's training split (its training "
                               f"rows: {display_path(str(IRIS_CSV))}, seed 0, test_fraction 0.2; matched on inputs and target): "
                               "these figures are not held-out; "), r.stderr
    assert r.stderr.rstrip().endswith(f"`backprop evaluate {model}` alone evaluates its own test split")
    seed7 = tmp_path / "s7.yaml"
    seed7.write_text(invoke("config", "show", ROOT / "configs" / "iris.yaml", "--set", "seed=7").stdout)
    r = invoke("evaluate", model.parent, "--data", seed7, "--json")
    ev = json.loads(r.stdout)
    assert (ev["split"], ev["n_samples"], ev["n_seen_in_training"]) == ("test", 30, 24)
    assert r.stderr.startswith("warning: 24 of these 30 rows are in the model's training split"), r.stderr
    assert f"`backprop evaluate {model.parent}` alone" in r.stderr  # MODEL as given
    # the rows piped in, or a copy elsewhere under another name: the same rows, the same count
    r = runner.invoke(app, ["evaluate", str(model), "--data", "-", "--json"], input=IRIS_CSV.read_text())
    assert json.loads(r.stdout)["n_seen_in_training"] == 120 and r.stderr.startswith("warning: 120 of these 150")
    shuffled = tmp_path / "other.csv"
    lines = IRIS_CSV.read_text().splitlines()
    shuffled.write_text("\n".join([lines[0], *reversed(lines[1:])]) + "\n")
    assert ok_json("evaluate", model, "--data", shuffled, "--json")["n_seen_in_training"] == 120
    # its own test split (also through its own config): nothing trained on, nothing said
    for extra in ([], ["--data", ROOT / "configs" / "iris.yaml"]):
        r = invoke("evaluate", model, *extra, "--json")
        assert r.exit_code == 0 and r.stderr == "", r.output
        assert json.loads(r.stdout)["n_seen_in_training"] == 0
    held_out = tmp_path / "held_out.csv"  # rows the model never saw: no warning
    held_out.write_text(lines[0] + "\n5.05,3.35,1.45,0.25,setosa\n")
    r = invoke("evaluate", model, "--data", held_out)
    assert r.exit_code == 0 and r.stderr == "", r.output


def test_a_runs_own_config_as_data_says_its_duplicate_row_as_plain_evaluate_does(tmp_path):
    """iris holds one row twice; with seed 1 it lands in both splits. `evaluate RUN --data
    RUN/config.yaml` draws the model's own test split, yet warned "these figures are not held-out;
    `backprop evaluate RUN` alone evaluates its own test split": the same 30 rows."""
    run = tmp_path / "iris_s1"
    # 3 epochs: the warnings are the split's (seed 1's), whatever the weights
    r = invoke("train", ROOT / "configs" / "iris.yaml", "--set", "seed=1", "--epochs", "3", "--out", run, "--quiet")
    assert r.exit_code == 0, r.output
    alone = invoke("evaluate", run)
    assert alone.exit_code == 0 and "the data holds that row more than once" in alone.stderr, alone.output
    own = invoke("evaluate", run, "--data", run / "config.yaml")
    assert own.exit_code == 0 and own.stderr == alone.stderr and own.stdout == alone.stdout, own.output
    other = tmp_path / "s3.yaml"  # another seed's split of the same file: not the model's own
    other.write_text(invoke("config", "show", run / "config.yaml", "--set", "seed=3").stdout)
    r = invoke("evaluate", run, "--data", other)
    assert r.exit_code == 0 and "these figures are not held-out" in r.stderr, r.output


def test_rows_trained_on_count_the_validation_split_and_builtin_sets(tmp_path):
    """The validation split (held out of training, choosing the early-stopping epoch) is counted
    apart; a built-in generator with the same seed makes the same rows; a model saved from arrays
    has no training rows to compare with (null, and nothing said)."""
    out = tmp_path / "val"
    r = invoke("train", ROOT / "configs" / "iris.yaml", "--epochs", "3", "--set", "data.validation_fraction=0.25",
               "--set", "training.early_stopping=true", "--out", out, "--quiet")
    assert r.exit_code == 0, r.output
    r = invoke("evaluate", out, "--data", IRIS_CSV, "--json")
    ev = json.loads(r.stdout)
    # 90 rows trained on and 30 watched; iris holds one row twice, once in each split: once in each count
    # (it said 91 and 29, the validation copy counted as trained on, though the training split has 90 rows)
    assert ev["n_seen_in_training"] == 90 and ev["n_seen_in_validation"] == 30, ev
    assert ("90 of these 150 rows are in the model's training split and 30 in its validation split, which chose "
            "the epoch kept by early stopping (its training rows:") in r.stderr, r.stderr
    assert ok_json("evaluate", out, "--json")["n_seen_in_validation"] == 0
    xor = tmp_path / "xor"
    assert invoke("train", ROOT / "configs" / "xor.yaml", "--epochs", "2", "--out", xor, "--quiet").exit_code == 0
    r = invoke("evaluate", xor, "--data", ROOT / "configs" / "xor.yaml", "--json")
    assert json.loads(r.stdout)["n_seen_in_training"] == 4 and "4 of these 4 rows" in r.stderr
    assert "the model has no test split of its own (test_fraction 0)" in r.stderr
    r = invoke("evaluate", xor, "--json")  # its own training split: the header says so already
    assert json.loads(r.stdout)["n_seen_in_training"] == 4 and r.stderr == ""
    from backprop_cli.network import Network

    net = Network([2, 3, 1], activation="tanh", output_activation="sigmoid", cost="cross_entropy", seed=0)
    save_model(tmp_path / "arrays.npz", net, class_names=("0", "1"))
    (tmp_path / "a.csv").write_text("x0,x1,y\n0,0,0\n1,1,1\n")
    r = invoke("evaluate", tmp_path / "arrays.npz", "--data", tmp_path / "a.csv", "--json")
    ev = json.loads(r.stdout)
    assert r.exit_code == 0 and r.stderr == "" and ev["n_seen_in_training"] is ev["n_seen_in_validation"] is None


def test_evaluates_labels_match_the_class_names_as_the_readme_says(tmp_path):
    """The README said labels "match the stored class names exactly", but numeric labels compare as
    numbers (as training names them): each spelling it gives is that class; text is matched exactly."""
    import re

    from backprop_cli.network import Network

    readme = " ".join((ROOT / "README.md").read_text(encoding="utf-8").split())
    said = re.search(r"a numeric label matches by value, as training named its classes: (.*?)\)", readme)
    assert said, "README.md no longer says how evaluate matches numeric labels: update this test with the text"
    cases = {name: re.findall(r"`([^`]+)`", spellings)
             for spellings, name in re.findall(r"((?:`[^`]+`(?:, | and )?)+) (?:are )?class `(\w+)`", said.group(1))}
    assert cases == {"1": ["1.0", "01", "+1", "1e0"], "0": ["-0", "0.0"]}, said.group(1)
    net = Network([2, 3, 1], activation="tanh", output_activation="sigmoid", cost="cross_entropy", seed=0)
    save_model(tmp_path / "m.npz", net, class_names=("0", "1"))
    labels = [(label, name) for name, spellings in cases.items() for label in spellings]
    (tmp_path / "a.csv").write_text("x0,x1,y\n" + "".join(f"0.5,0.5,{label}\n" for label, _ in labels))
    r = invoke("evaluate", tmp_path / "m.npz", "--data", tmp_path / "a.csv", "--json")
    support = {c["name"]: c["support"] for c in json.loads(r.stdout)["classes"]}
    assert r.exit_code == 0 and support == {"0": 2, "1": 4}, r.output
    m = re.search(r"a text label matches a stored class name exactly, letter case included: `(\w+)` gets a hint", readme)
    assert m, "README.md no longer says how evaluate matches text labels"
    (tmp_path / "a.csv").write_text(f"x0,x1,y\n0,0,{m.group(1)}\n")
    save_model(tmp_path / "t.npz", net, class_names=("other", m.group(1).lower()))
    r = invoke("evaluate", tmp_path / "t.npz", "--data", tmp_path / "a.csv")
    assert r.exit_code == 2 and f"hint: did you mean {m.group(1).lower()}?" in r.stderr, r.output


def test_a_moved_training_file_its_copy_and_the_hinted_config(tmp_path):
    """The moved file's hint sends to a config whose data.path is the copy, which rebuilds the true
    test split; --data COPY.csv is known for the model's data by its fingerprint, and warned of."""
    data, out = _iris_run_on_a_copy(tmp_path)
    before = ok_json("evaluate", out, "--json")
    copy = tmp_path / "moved" / "copy.csv"
    copy.parent.mkdir()
    data.rename(copy)
    assert "--set data.path=COPY.csv > copy.yaml" in invoke("evaluate", out).stderr
    shown = invoke("config", "show", out / "config.yaml", "--set", f"data.path={copy}")
    assert shown.exit_code == 0, shown.output
    (tmp_path / "copy.yaml").write_text(shown.stdout)
    r = invoke("evaluate", out, "--data", tmp_path / "copy.yaml", "--json")
    after = json.loads(r.stdout)
    assert r.stderr == "" and after["n_seen_in_training"] == 0
    assert (after["cost"], after["n_samples"], after["split"]) == (before["cost"], 30, "test")  # the true test split
    r = invoke("evaluate", out, "--data", copy, "--json")
    assert json.loads(r.stdout)["n_seen_in_training"] == 120
    assert r.stderr.startswith(f"warning: 120 of these 150 rows are in the model's training split (its training "
                               f"rows: {copy}, seed 0"), r.stderr
    assert f"--set data.path={copy}`" in r.stderr  # not `evaluate run` alone, which cannot read the data
    (tmp_path / "few.csv").write_text(IRIS_CSV.read_text().splitlines()[0] + "\n5.1,3.5,1.4,0.2,setosa\n")
    r = invoke("evaluate", out, "--data", tmp_path / "few.csv", "--json")  # no copy to go by: said so
    assert json.loads(r.stdout)["n_seen_in_training"] is None
    assert r.stderr == (f"note: cannot tell how many of these 1 row the model was trained on: its training data "
                        f"cannot be read (data.path: {data}: no such file)\n")


def test_rows_in_compares_rows_exactly_whatever_their_hashes():
    from backprop_cli import evaluation

    X = np.array([[0.0, 1.0], [-0.0, 1.0], [2.0, 3.0], [2.0, 3.0000000000000004]])
    Y = np.array([[1.0], [1.0], [0.0], [0.0]])
    ref_X, ref_Y = np.array([[0.0, 1.0], [2.0, 3.0]]), np.array([[1.0], [1.0]])
    assert evaluation.rows_in(X, Y, ref_X, ref_Y).tolist() == [True, True, False, False]
    original = evaluation._row_hashes
    try:  # every row one hash: candidates all, counted only when equal
        evaluation._row_hashes = lambda W: np.zeros(len(W), dtype=np.uint64)
        assert evaluation.rows_in(X, Y, ref_X, ref_Y).tolist() == [True, True, False, False]
    finally:
        evaluation._row_hashes = original


def test_rows_matched_pairs_each_reference_row_with_one_row_at_most():
    from backprop_cli import evaluation

    X = np.array([[1.0, 2.0], [3.0, 4.0], [1.0, 2.0], [-0.0, 5.0], [0.0, 5.0], [1.0, 2.0], [7.0, 7.0]])
    Y = np.ones((7, 1))
    ref_X = np.array([[0.0, 5.0], [1.0, 2.0], [9.0, 9.0], [1.0, 2.0], [0.0, 5.0], [0.0, 5.0]])
    ref_Y = np.ones((6, 1))
    # (1, 2) held three times, twice in the reference: its first two; (0, 5) twice (−0.0 is 0.0), three
    # times there: both; (3, 4) and (7, 7) are not in it
    expected = [True, False, True, True, True, False, False]
    assert evaluation.rows_matched(X, Y, ref_X, ref_Y).tolist() == expected
    assert evaluation.rows_in(X, Y, ref_X, ref_Y).tolist() == [True, False, True, True, True, True, False]
    assert not evaluation.rows_matched(X, np.zeros((7, 1)), ref_X, ref_Y).any()  # another target
    original = evaluation._row_hashes
    try:  # every row one hash: paired only when equal
        evaluation._row_hashes = lambda W: np.zeros(len(W), dtype=np.uint64)
        assert evaluation.rows_matched(X, Y, ref_X, ref_Y).tolist() == expected
    finally:
        evaluation._row_hashes = original


def test_rows_trained_on_are_counted_once_each_when_the_data_repeats_them(tmp_path):
    """Six rows, each held twice: 9 train and 3 test rows. Evaluated on the whole file it said "12 of
    these 12 rows are in the model's training split", which has 9 (a test row equal to a training row
    was counted beside that training row); the test split alone: its 3 rows equal training rows."""
    rows = ["0,0,0", "0,1,1", "1,0,1", "1,1,0", "2,2,0", "2,3,1"]
    data = tmp_path / "twice.csv"
    data.write_text("a,b,y\n" + "\n".join(rows + rows) + "\n")
    config = tmp_path / "twice.yaml"
    config.write_text("data: {path: twice.csv, test_fraction: 0.25}\nnetwork: {layers: [2, 3, 1]}\n"
                      "training: {epochs: 1}\n")
    out = tmp_path / "run"
    assert invoke("train", config, "--out", out, "--quiet").exit_code == 0
    r = invoke("evaluate", out, "--data", data, "--json")
    ev = json.loads(r.stdout)
    assert (ev["n_samples"], ev["n_seen_in_training"], ev["n_seen_in_validation"]) == (12, 9, 0), ev
    assert r.stderr.startswith("warning: 9 of these 12 rows are in the model's training split"), r.stderr
    r = invoke("evaluate", out, "--json")
    ev = json.loads(r.stdout)
    assert (ev["split"], ev["n_samples"], ev["n_seen_in_training"]) == ("test", 3, 3), ev
    assert "the data holds those rows more than once" in r.stderr, r.stderr


def test_models_saved_without_column_names_still_work(iris, tmp_path):
    saved = load_model(iris[0])
    old = tmp_path / "old.npz"
    save_model(old, saved.net, saved.config, saved.standardizer, saved.class_names)
    assert load_model(old).feature_names is None
    assert invoke("predict", old, IRIS_CSV).stdout == invoke("predict", iris[0], IRIS_CSV).stdout


@pytest.mark.parametrize(
    "make,needle",
    [
        (lambda d: (d / "in.csv", "sepal_length,sepal_width,petal_length\n1,2,3\n"),
         "in.csv: column petal_width not found"),
        (lambda d: (d / "in.csv", "sepal_length,sepal_width,petal_length,petal_width\n1,2,3,4\n1,abc,3,4\n"),
         "in.csv row 3, column sepal_width: abc is not a number"),
        (lambda d: (d / "in.csv", "sepal_length,sepal_width,petal_length,petal_width\n1,2,,4\n"),
         "in.csv row 2, column petal_length: the cell is empty"),
        (lambda d: ("MODEL:missing", None), "nope.npz: model file not found"),
        (lambda d: ("MODEL:folder", None), "is a folder, expected a model .npz file"),
    ],
    ids=["missing-column", "bad-cell", "empty-cell", "missing-model", "model-is-a-folder"],
)
def test_predict_errors_name_the_place(iris, tmp_path, make, needle):
    model = iris[0]
    target, text = make(tmp_path)
    data = tmp_path / "ok.csv"
    data.write_text(IRIS_CSV.read_text())
    if text is not None:
        target.write_text(text)
        data = target
    elif target == "MODEL:missing":
        model = tmp_path / "nope.npz"
    else:
        model = tmp_path / "empty_folder"
        model.mkdir()
    out = tmp_path / "p.csv"
    r = invoke("predict", model, data, "--out", out)
    assert r.exit_code == 2
    assert needle in r.output and r.output.startswith("error: ")
    assert "Traceback" not in r.output and not out.exists()


def test_a_run_folder_stands_for_its_model(iris):
    """`backprop train --out runs/iris` makes a folder; `predict runs/iris …` was refused with
    "did you mean runs/iris/model.npz?". The folder holding model.npz now reads it, for predict,
    evaluate and the --model of explain and gradcheck."""
    model = iris[0]
    assert invoke("predict", model.parent, IRIS_CSV).stdout == invoke("predict", model, IRIS_CSV).stdout != ""
    folder, file = (json.loads(invoke("evaluate", m, "--json").stdout) for m in (model.parent, model))
    # "model" is MODEL as given (what a script passed, as the README says); "model_file" the file read
    assert folder["model"] == str(model.parent) and file["model"] == str(model)
    assert folder["model_file"] == file["model_file"] == str(model) and file["n_samples"] > 0
    assert {**folder, "model": None} == {**file, "model": None}
    for command in (["explain", "--layer", "2", "--format", "json"], ["gradcheck", "--json"]):
        by_folder = invoke(*command, "--model", model.parent)
        assert by_folder.exit_code == 0, by_folder.output
        assert by_folder.stdout == invoke(*command, "--model", model).stdout


@pytest.mark.parametrize("kind", ["folder", "broken-link", "fifo"])
def test_a_run_folders_model_npz_that_is_no_file_is_named_as_such(tmp_path, kind):
    """A run folder whose model.npz was a folder or a broken link was said to be the problem ('rf/x:
    is a folder, expected a model .npz file …', with an interrupted run's hint); a FIFO there was
    waited on for ever. model.npz itself is named, and what it is, for predict, evaluate and the
    --model of explain and gradcheck; nothing is written."""
    if kind == "fifo" and not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs here")
    run = tmp_path / "rf" / "x"
    run.mkdir(parents=True)
    (run / "checkpoint.npz").write_bytes(b"")  # an interrupted run's: the hint finishes it once model.npz is gone
    model = run / "model.npz"
    if kind == "folder":
        model.mkdir()
        said = "is a folder, not a model .npz file"
    elif kind == "broken-link":
        model.symlink_to(tmp_path / "gone.npz")
        said = f"is a broken link (to {tmp_path / 'gone.npz'}, which does not exist), not a model .npz file"
    else:
        os.mkfifo(model)
        said = "is a FIFO (named pipe), not a model .npz file"
    hint = ("hint: restore the file it pointed to, or give the model's file itself" if kind == "broken-link" else
            f"hint: remove it (backprop train writes model.npz as a file), then finish the run: backprop train "
            f"CONFIG --out {run} --resume")
    rows = tmp_path / "rows.csv"
    rows.write_text("x1,x2\n0,1\n")
    out = tmp_path / "p.csv"
    for args in (["predict", run, rows, "--out", out], ["predict", model, rows], ["evaluate", run],
                 ["explain", "--layer", "L", "--model", run], ["gradcheck", "--model", run]):
        r = invoke(*args)
        assert r.exit_code == 2 and "Traceback" not in r.output, (args, r.output)
        assert r.stderr.splitlines() == [f"error: {model}: {said}", hint], (args, r.stderr)
    assert not out.exists() and sorted(p.name for p in run.iterdir()) == ["checkpoint.npz", "model.npz"]


def test_a_run_folder_named_model_npz_is_still_said_to_be_a_run(tmp_path):
    """`train --out x/model.npz` interrupted: that folder is a run's, said as such (not 'a model.npz
    that is a folder, remove it')."""
    run = tmp_path / "model.npz"
    run.mkdir()
    (run / "checkpoint.npz").write_bytes(b"")
    r = invoke("evaluate", run)
    assert r.exit_code == 2 and r.stderr.splitlines()[0] == (
        f"error: {run}: is a folder, expected a model .npz file (or a run folder holding model.npz)"), r.stderr
    assert "is an interrupted run's folder" in r.stderr, r.stderr


@pytest.mark.parametrize("state", ["finished", "interrupted"])
def test_the_folder_of_a_run_named_model_npz_is_said_to_hold_it(tmp_path, state):
    """`train --out y/model.npz`: `predict y` and `evaluate y` stepped into y/model.npz, then into
    y/model.npz/model.npz (resolved twice), and used that run's model without a word, --json naming
    the folder y/model.npz as its model_file; interrupted, y/model.npz was said to be the interrupted
    run. y is the folder of a run: said so, with the run to give."""
    y = tmp_path / "y"
    r = invoke("train", ROOT / "configs" / "xor.yaml", "--epochs", "2", "--out", y / "model.npz", "-q")
    assert r.exit_code == 0, r.output
    if state == "interrupted":
        (y / "model.npz" / "model.npz").unlink()  # its checkpoint, metrics and config.yaml are left
    rows = tmp_path / "in.csv"
    rows.write_text("0,0\n1,1\n")
    for args in (["predict", y, rows], ["evaluate", y], ["evaluate", y, "--json"]):
        r = invoke(*args)
        assert r.exit_code == 2, (args, r.output)
        assert printed_refusal(r.stdout, r.stderr) if "--json" in args else r.stdout == "", (args, r.output)
        assert r.stderr.splitlines() == [
            f"error: {y}: is a folder, expected a model .npz file (or a run folder holding model.npz)",
            f"hint: it holds a run: {y / 'model.npz'}; give it"], (args, r.stderr)
    if state == "finished":
        assert ok_json("evaluate", y / "model.npz", "--json")["model_file"] == str(y / "model.npz" / "model.npz")


def test_the_folder_of_the_runs_names_the_runs_it_holds(iris, tmp_path):
    """`backprop evaluate runs` (the folder train --out DIR's live in, not a run) said only 'is a
    folder, expected a model .npz file (or a run folder holding model.npz)': it now names them."""
    import shutil

    model = iris[0]
    runs = model.parent.parent
    r = invoke("evaluate", runs)
    assert r.exit_code == 2 and f"hint: it holds a run: {model.parent}; give it" in r.output, r.output
    for name in ("a", "b", "c", "d", "e"):
        (tmp_path / name).mkdir()
        shutil.copy(model, tmp_path / name / "model.npz")
    (tmp_path / "f").mkdir()  # no model: not a run
    for args in (["predict", tmp_path, IRIS_CSV], ["explain", "--layer", "L", "--model", tmp_path],
                 ["gradcheck", "--model", tmp_path]):
        r = invoke(*args)
        assert r.exit_code == 2 and "Traceback" not in r.output, r.output
        assert f"hint: it holds runs: {tmp_path / 'a'}, {tmp_path / 'b'}, {tmp_path / 'c'}, {tmp_path / 'd'}, " \
               "… (5 in all); give one of them" in " ".join(r.output.split()), r.output


def test_a_config_or_a_runs_other_file_given_for_the_model_hints_what_to_give(iris, tmp_path, monkeypatch):
    """`evaluate configs/iris.yaml`, `predict runs/iris/config.yaml …` and `evaluate runs/iris/metrics.csv`
    said only 'is not an .npz archive …; expected a model file': a config is trained first, a run's
    other file names the run's model. The arguments swapped with the model as a run folder
    (`predict data/iris.csv runs/iris`) get the hint the .npz form had."""
    import shutil

    monkeypatch.chdir(tmp_path)
    run = Path("runs") / "iris"
    run.mkdir(parents=True)
    for name in ("model.npz", "config.yaml", "metrics.csv"):
        shutil.copy(iris[0].parent / name, run / name)
    Path("configs").mkdir()
    shutil.copy(ROOT / "configs" / "iris.yaml", "configs/iris.yaml")
    shutil.copy(IRIS_CSV, "iris.csv")
    not_npz = "is not an .npz archive (it does not start like one); expected a model file written by backprop train --out"
    cases = [
        (["evaluate", "configs/iris.yaml"], "configs/iris.yaml",  # (its data.path is ./data/iris.csv, the run's not)
         "a config is not a model; train it first: backprop train configs/iris.yaml --out runs/iris-2, then give "
         "runs/iris-2 (runs/iris holds a run of another config)"),
        (["predict", "runs/iris/config.yaml", "iris.csv"], "runs/iris/config.yaml",
         "the model of that run is runs/iris/model.npz: give it, or the run folder runs/iris"),
        (["evaluate", "runs/iris/metrics.csv"], "runs/iris/metrics.csv",
         "the model of that run is runs/iris/model.npz: give it, or the run folder runs/iris"),
        (["predict", "iris.csv", "runs/iris"], "iris.csv", "the model comes first: backprop predict runs/iris iris.csv"),
        (["predict", "iris.csv", "runs/iris/model.npz"], "iris.csv",
         "the model comes first: backprop predict runs/iris/model.npz iris.csv"),
    ]
    for args, file, hint in cases:
        r = invoke(*args)
        assert r.exit_code == 2 and r.stderr.splitlines() == [f"error: {file}: {not_npz}", f"hint: {hint}"], r.output
    (run / "model.npz").unlink()  # an interrupted run: its config names what to do with the run
    shutil.copy(iris[0].parent / "checkpoint.npz", run / "checkpoint.npz")
    r = invoke("evaluate", "runs/iris/config.yaml")
    assert r.exit_code == 2 and r.stderr.splitlines()[1].startswith(
        "hint: runs/iris is an interrupted run's folder: it has a checkpoint but no model yet"), r.output


def test_a_config_given_for_the_model_names_the_run_of_it_already_there(iris, tmp_path, monkeypatch):
    """`train configs/iris.yaml --out runs/iris` then `predict configs/iris.yaml data/iris.csv` hinted
    'train it first: backprop train configs/iris.yaml --out runs/iris, then give runs/iris', a train that
    is refused (runs/iris already holds a run). A run whose stored config is this config's is named; one of
    another config, or one that cannot be read, is not called its run, and the train goes to a free folder."""
    import shutil

    monkeypatch.chdir(tmp_path)
    run = Path("runs") / "iris"
    run.mkdir(parents=True)
    shutil.copy(iris[0], run / "model.npz")
    Path("configs").mkdir()
    shutil.copy(iris[0].parent / "config.yaml", "configs/iris.yaml")  # the run's resolved config: the same config

    def hint(*args):
        r = invoke(*args)
        assert r.exit_code == 2 and r.stderr.splitlines()[0].startswith("error: configs/iris.yaml: is not an .npz"), \
            r.output
        return r.stderr.splitlines()[1]

    ran = "hint: a config is not a model; runs/iris holds a run of it: give runs/iris"
    assert hint("predict", "configs/iris.yaml", IRIS_CSV) == ran
    assert hint("evaluate", "configs/iris.yaml") == ran
    # a run of it with train's own options (--seed 3, --epochs 200 where the file has 20) is still its run: it was
    # called 'a run of another config', and the hint trained again into runs/iris-2
    written = Path("configs/iris.yaml").read_text()
    assert "epochs: 200" in written and "seed: 0" in written and "batch_size: 16" in written
    Path("configs/iris.yaml").write_text(written.replace("epochs: 200", "epochs: 20").replace("seed: 0", "seed: 3"))
    assert hint("evaluate", "configs/iris.yaml") == (
        "hint: a config is not a model; runs/iris holds a run of it (with seed 0, training.epochs 200): give runs/iris")
    exact = Path("runs") / "iris-2"  # an exact run of it in a later folder is named before that near one
    assert invoke("train", "configs/iris.yaml", "--out", exact, "-q").exit_code == 0
    assert hint("evaluate", "configs/iris.yaml") == "hint: a config is not a model; runs/iris-2 holds a run of it: give runs/iris-2"
    shutil.rmtree(exact)
    Path("configs/iris.yaml").write_text(written.replace("batch_size: 16", "batch_size: 8"))
    assert hint("evaluate", "configs/iris.yaml") == (
        "hint: a config is not a model; train it first: backprop train configs/iris.yaml --out runs/iris-2, then "
        "give runs/iris-2 (runs/iris holds a run of another config)")
    (Path("runs") / "iris-2").mkdir()  # a run of it in the next folder is found there
    shutil.copy(iris[0], Path("runs") / "iris-2" / "model.npz")
    shutil.copy(iris[0].parent / "config.yaml", "configs/iris.yaml")
    (run / "model.npz").write_bytes(b"PK\x03\x04 not a model")
    assert hint("evaluate", "configs/iris.yaml") == "hint: a config is not a model; runs/iris-2 holds a run of it: give runs/iris-2"
    (Path("runs") / "iris-2" / "model.npz").unlink()  # runs/iris's model cannot be read: not said to be another config's
    (Path("runs") / "iris-2" / "metrics.csv").write_text("epoch\n")
    assert hint("evaluate", "configs/iris.yaml") == (
        "hint: a config is not a model; train it first: backprop train configs/iris.yaml --out runs/iris-3, then "
        "give runs/iris-3 (runs/iris already holds a run)")


def test_evaluate_errors(iris, tmp_path):
    model, _ = iris
    bad = tmp_path / "bad.csv"
    bad.write_text("sepal_length,sepal_width,petal_length,petal_width,species\n1,2,3,4,setosa\n1,2,3,4,rose\n")
    r = invoke("evaluate", model, "--data", bad)
    assert r.exit_code == 2 and "bad.csv row 3, column species: rose is not a class the model knows" in r.output
    assert "did you mean" not in r.output  # no class is rose in another case
    bad.write_text("sepal_length,sepal_width,petal_length,petal_width,species\n1,2,3,4,setosa\n1,2,3,4,Setosa\n")
    r = invoke("evaluate", model, "--data", bad)
    assert r.exit_code == 2 and "row 3, column species: Setosa is not a class the model knows" in r.output
    assert "hint: did you mean setosa? class names are matched exactly, letter case included" in r.output
    r = invoke("evaluate", model, "--data", ROOT / "configs" / "sine.yaml")
    assert r.exit_code == 2 and "does not fit the model" in r.output
    r = invoke("evaluate", model, "--data", tmp_path / "x.json")
    assert r.exit_code == 2 and "expected a YAML config" in r.output
    r = invoke("evaluate", tmp_path / "nope.npz")
    assert r.exit_code == 2 and "model file not found" in r.output
    checkpoint = model.with_name("checkpoint.npz")  # the file beside model.npz, easily mistaken
    for args in (["evaluate", checkpoint], ["predict", checkpoint, IRIS_CSV]):
        r = invoke(*args)
        assert r.exit_code == 2 and "checkpoint.npz: is a training checkpoint, not a model" in r.output
        assert f"use {model}" in " ".join(r.output.split()), r.output


@pytest.mark.parametrize("value", [0.0, -1.5])
def test_a_model_whose_input_scale_is_not_above_zero_names_x_scale_its_index_and_value(iris, tmp_path, value):
    """A model file whose x_scale (the inputs' standardizer, x ↦ (x − x_mean) / x_scale) holds a 0
    said only "standardizer: mean (4,) and scale (4,) must be 1-D arrays …, with every scale > 0"."""
    arrays = dict(np.load(iris[0]))
    arrays["x_scale"] = arrays["x_scale"].copy()
    arrays["x_scale"][2] = value
    bad = tmp_path / "bad_scale.npz"
    np.savez(bad, **arrays)
    for args in (["evaluate", bad], ["predict", bad, IRIS_CSV]):
        r = invoke(*args)
        assert r.exit_code == 2 and r.stdout == "", r.output
        assert r.stderr == (f"error: {bad}: array 'x_scale' at [2] is {value}; the input standardizer's scales "
                            "(the training columns' standard deviations, 1 for a constant column) must be numbers "
                            "above 0\n"), r.stderr


# --- the metrics core ---------------------------------------------------------------


def test_classification_metrics_by_hand():
    # true: 0 0 0 1 1 2; predicted: 0 0 1 1 1 1 (class 2 is never predicted)
    Y = np.eye(3)[[0, 0, 0, 1, 1, 2]]
    A = np.eye(3)[[0, 0, 1, 1, 1, 1]] * 0.8 + 0.05
    m = classification_metrics(Y, A, ("a", "b", "c"))
    assert m.confusion.tolist() == [[2, 1, 0], [0, 2, 0], [0, 1, 0]]
    assert m.accuracy == pytest.approx(4 / 6)
    a, b, c = m.classes
    assert (a.precision, a.recall, a.support) == (1.0, pytest.approx(2 / 3), 3)
    assert (b.precision, b.recall) == (0.5, 1.0) and b.f1 == pytest.approx(2 / 3)
    # never predicted: no precision, but F1 = 2 TP / (predicted + support) = 0 / (0 + 1)
    assert c.precision is None and c.recall == 0.0 and c.f1 == 0.0 and c.support == 1
    assert a.f1 == pytest.approx(2 * 2 / (2 + 3))  # = 2 p r / (p + r) with p = 1, r = 2/3
    assert m.macro.precision == pytest.approx(0.75) and m.macro.support == 6  # c left out
    assert m.macro.f1 == pytest.approx((0.8 + 2 / 3 + 0.0) / 3)
    # a class neither present nor predicted: nothing to divide by, F1 undefined too
    (_, _, absent) = classification_metrics(np.eye(3)[[0, 1]], np.eye(3)[[0, 1]], ("a", "b", "c")).classes
    assert absent.precision is None and absent.recall is None and absent.f1 is None


def test_the_class_table_says_what_a_dash_means_only_when_one_is_shown():
    from rich.console import Console

    from backprop_cli.render.evaluate import _class_table

    def shown(m):
        console = Console(width=100, record=True)
        console.print(_class_table(m))
        return console.export_text()

    never_predicted = classification_metrics(np.eye(2)[[0, 0, 1, 1]], np.eye(2)[[1, 1, 1, 1]], ("no", "yes"))
    text = shown(never_predicted)
    assert "— nothing to divide by; the macro avg skips it" in text
    assert [line.split("│")[4].strip() for line in text.splitlines() if line.startswith("│ macro avg")] == ["33.3%"]
    all_found = classification_metrics(np.eye(2)[[0, 1]], np.eye(2)[[0, 1]], ("no", "yes"))
    assert "nothing to divide by" not in shown(all_found)


def test_the_regression_table_says_what_a_dash_means_only_when_one_is_shown():
    from rich.console import Console

    from backprop_cli.render.evaluate import _regression_table

    def shown(outputs):
        console = Console(width=100, record=True)
        console.print(_regression_table(outputs))
        return console.export_text()

    Y = np.array([[0.1, 1.0], [0.1, 2.0], [0.1, 3.0]])
    text = shown(regression_metrics(Y, Y + 0.5, ("flat", "y")))
    assert [line.split("│")[4].strip() for line in text.splitlines() if line.startswith("│ flat")] == ["—"]
    assert "— targets all equal: no R²" in text
    assert "no R²" not in shown(regression_metrics(Y[:, 1:], Y[:, 1:] + 0.5, ("y",)))


@pytest.mark.parametrize("width", [50, 44, 40])
def test_the_class_table_never_cuts_a_class_name_or_a_figure_on_a_narrow_console(width):
    """At 50 columns (a projector's large font) the table read 'versic…', 'virgin…' and 'precisi…':
    two classes sharing a start could not be told apart. Headers shorten (spelled out below), the
    borders go (44), and where the names still do not fit, each class is stacked on lines of its own
    (40): every name whole on one line (folded, 'versicolor' read 'vers' / 'icol' / 'or'), every figure too."""
    import re

    from rich.console import Console

    from backprop_cli.render.evaluate import SHORT_CAPTION, _class_table

    names = ("versicolor_long", "versicolor_wide", "setosa")
    m = classification_metrics(np.eye(3)[[0, 1, 2, 2]], np.eye(3)[[0, 1, 2, 1]], names)
    console = Console(width=width, record=True)
    console.print(_class_table(m, width))
    text = console.export_text()
    assert "…" not in text, text
    assert max(len(line) for line in text.splitlines()) <= width
    words = re.findall(r"[\w.%]+", text)
    for name in (*names, "macro"):
        assert name in words, text
    for figure in ("100.0%", "50.0%", "66.7%"):
        assert figure in words, text
    if width > 40:
        assert SHORT_CAPTION in " ".join(text.split())
    else:  # stacked: each figure named in whole words
        assert "versicolor_long: precision 100.0%" in text and "support 1" in text, text
    wide = Console(width=80, record=True)
    wide.print(_class_table(m, 80))
    assert "precision" in wide.export_text() and SHORT_CAPTION not in wide.export_text()


def test_single_output_metrics_and_confusion():
    Y = np.array([[0.0], [1.0], [1.0], [0.0]])
    A = np.array([[0.2], [0.9], [0.4], [0.7]])
    m = classification_metrics(Y, A, ("0", "1"))
    assert m.confusion.tolist() == [[1, 1], [1, 1]] and m.accuracy == 0.5
    assert confusion_matrix(np.array([1, 1, 0]), np.array([1, 0, 0]), 2).tolist() == [[1, 0], [1, 1]]


def test_regression_metrics_constant_target_has_no_r2():
    (o,) = regression_metrics(np.ones((3, 1)), np.array([[1.0], [2.0], [0.0]]), ("y",))
    assert o.mse == pytest.approx(2 / 3) and o.mae == pytest.approx(2 / 3) and o.r2 is None


def test_regression_metrics_constant_target_whose_mean_rounds_has_no_r2():
    """Three targets of 0.1: their float64 mean is 0.10000000000000002, so Σ(y − ȳ)² was 5.8e-34
    and R² = 1 − 2/5.8e-34 = −3.5e33 (evaluate printed it). Constant targets have no R²."""
    Y = np.full((3, 1), 0.1)
    assert np.sum((Y - Y.mean()) ** 2) > 0  # the rounding this is about
    (o,) = regression_metrics(Y, Y + np.array([[1.0], [-1.0], [0.0]]), ("y",))
    assert o.mse == pytest.approx(2 / 3) and o.mae == pytest.approx(2 / 3) and o.r2 is None
    # a spread so small that Σ(y − ȳ)² underflows to 0 is still a spread: not 'constant', but an
    # R² beyond float64 (1 − 1/(1.25e-341)), as for a spread of 1e-160
    (o,) = regression_metrics(np.array([[0.0], [1e-170]]), np.array([[1.0], [1.0]]), ("y",))
    assert o.r2 == -math.inf


def test_predict_never_replaces_a_file_without_overwrite(iris, tmp_path):
    model, _ = iris
    keep = tmp_path / "keep.csv"
    keep.write_text("precious\n")
    r = invoke("predict", model, IRIS_CSV, "--out", keep)
    assert r.exit_code == 2 and "already exists" in r.output and "--overwrite" in r.output, r.output
    assert keep.read_text() == "precious\n"
    r = invoke("predict", model, IRIS_CSV, "--out", keep, "--overwrite")
    assert r.exit_code == 0, r.output
    assert len(rows_of(keep.read_text())) == len(rows_of(IRIS_CSV.read_text()))


def test_predict_reads_standard_input_given_as_dash(iris, tmp_path, monkeypatch):
    model, _ = iris
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # where the spooled copy goes
    r = runner.invoke(app, ["predict", str(model), "-"], input=IRIS_CSV.read_text())
    assert r.exit_code == 0, r.output
    assert r.stdout == invoke("predict", model, IRIS_CSV).stdout
    r = runner.invoke(app, ["predict", str(model), "-"], input="a,b\n1,2\n")
    assert r.exit_code == 2 and "<stdin>: columns" in r.output and "not found" in r.output
    assert list(tmp_path.iterdir()) == []  # the spooled copies are gone


@pytest.mark.parametrize("command", ["predict", "evaluate"])
def test_a_config_piped_in_for_rows_is_said_to_look_like_yaml(command, iris, tmp_path, monkeypatch):
    """`cat configs/iris.yaml | backprop predict MODEL -` said '<stdin>: columns … not found (…); the file has:
    # Iris (Fisher 1936): 150 flowers, …', the config's first comment line as the header, where a .yaml path
    is said to look like a YAML config."""
    model, _ = iris
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    args = [str(model), "-"] if command == "predict" else [str(model), "--data", "-"]
    r = runner.invoke(app, [command, *args], input=(ROOT / "configs" / "iris.yaml").read_text())
    assert r.exit_code == 2 and r.stdout == "", r.output
    lines = r.stderr.splitlines()
    assert lines[0] == ("error: <stdin>: looks like a YAML config (keys seed, data, network, cost, training), not a CSV "
                        "file of rows"), r.stderr
    assert len(lines) == 2 and lines[1].startswith("hint: ") and "--data CONFIG.yaml" in lines[1], r.stderr
    r = runner.invoke(app, [command, *args], input="time: s,value\n1,2\n")  # a header with a colon: CSV's words
    assert r.exit_code == 2 and "<stdin>: column" in r.stderr and "YAML" not in r.stderr, r.stderr


@pytest.mark.parametrize("command", ["predict", "evaluate"])
@pytest.mark.parametrize("as_folder", [True, False], ids=["folder", "model.npz"])
def test_a_piped_config_hint_names_the_model_as_typed(command, as_folder, iris, tmp_path, monkeypatch):
    """Given the run folder, predict's hint said 'backprop evaluate RUN/model.npz --data CONFIG.yaml' where
    evaluate's said 'backprop evaluate RUN --data CONFIG.yaml': both now name the model as typed."""
    model = iris[0].parent if as_folder else iris[0]
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    args = [str(model), "-"] if command == "predict" else [str(model), "--data", "-"]
    r = runner.invoke(app, [command, *args], input=(ROOT / "configs" / "iris.yaml").read_text())
    assert r.exit_code == 2, r.output
    assert r.stderr.splitlines()[1].endswith(f": backprop evaluate {model} --data CONFIG.yaml"), r.stderr
    if command == "predict":  # a config's path given for the rows: the same
        config = ROOT / "configs" / "iris.yaml"
        r = invoke("predict", model, config)
        assert r.exit_code == 2 and r.stderr.splitlines()[1].endswith(
            f": backprop evaluate {model} --data {config}"), r.stderr


def test_predict_of_a_header_without_rows_writes_the_header_only(iris, tmp_path):
    """A batch filtered down to nothing (a header, no rows) was an error (exit 2), which broke
    the pipeline it ran in: it gives the columns a non-empty batch would, and no rows."""
    model, _ = iris
    header = IRIS_CSV.read_text().splitlines()[0]
    empty = tmp_path / "empty_batch.csv"
    empty.write_text(header + "\n\n")  # a trailing blank line too
    want = invoke("predict", model, IRIS_CSV).stdout.splitlines()[0] + "\n"
    r = invoke("predict", model, empty)
    assert r.exit_code == 0, r.output
    assert r.stdout == want and want.startswith("species,p_setosa,")
    assert r.stderr == f"note: {empty} has no data rows; wrote the header row only\n"
    r = invoke("predict", model, empty, "--json")
    assert r.exit_code == 0 and json.loads(r.stdout) == [] and "an empty JSON list" in r.stderr, r.output
    r = runner.invoke(app, ["predict", str(model), "-"], input=header + "\n")
    assert r.exit_code == 0 and r.stdout == want and "<stdin> has no data rows" in r.stderr, r.output
    out = tmp_path / "p.csv"
    r = invoke("predict", model, empty, "--out", out)
    assert r.exit_code == 0 and r.stderr.startswith("wrote 0 predictions (species, "), r.output
    assert out.read_text() == want and r.stdout == "" and "no data rows" not in r.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty_batch.csv", "p.csv"]  # no temporary left
    # its columns are still checked; no header at all stays an error (nothing says it is the right file)
    (tmp_path / "wrong.csv").write_text("a,b\n")
    r = invoke("predict", model, tmp_path / "wrong.csv")
    assert r.exit_code == 2 and r.stdout == "" and "wrong.csv: columns sepal_length, " in r.stderr, r.output
    (tmp_path / "zero.csv").write_text("")
    (tmp_path / "blank.csv").write_text("\n \r\n\n")
    for name, what in (("zero.csv", "the file is empty"), ("blank.csv", "the file is empty (only blank lines)")):
        r = invoke("predict", model, tmp_path / name)
        assert r.exit_code == 2 and r.stdout == "", r.output
        assert r.stderr == f"error: {tmp_path / name}: {what}; a header row with column names is required\n"
    # evaluate has nothing to measure: one line naming the file, exit 2
    labelled = tmp_path / "labelled.csv"
    labelled.write_text(header + "\n")
    for args in (["--data", labelled], ["--data", labelled, "--json"]):
        r = invoke("evaluate", model, *args)
        assert r.exit_code == 2, r.output
        assert printed_refusal(r.stdout, r.stderr) if "--json" in args else r.stdout == "", r.output
        assert r.stderr == (f"error: {labelled}: has a header but no data rows; there is nothing to evaluate "
                            "the model on (at least one row is required)\n")


def test_evaluate_reads_standard_input_given_as_dash(iris, tmp_path, monkeypatch):
    model, _ = iris
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # where the spooled copy goes
    r = runner.invoke(app, ["evaluate", str(model), "--data", "-", "--json"], input=IRIS_CSV.read_text())
    assert r.exit_code == 0, r.output
    got, want = json.loads(r.stdout), json.loads(invoke("evaluate", model, "--data", IRIS_CSV, "--json").stdout)
    assert got["data"] == "<stdin>" and got["split"] == "file"
    assert {k: v for k, v in got.items() if k != "data"} == {k: v for k, v in want.items() if k != "data"}
    bad = IRIS_CSV.read_text().replace("setosa", "rose", 1)
    r = runner.invoke(app, ["evaluate", str(model), "--data", "-"], input=bad)
    assert r.exit_code == 2 and "<stdin> row 2, column species: rose" in r.output, r.output
    assert list(tmp_path.iterdir()) == []  # the spooled copies are gone


def test_two_class_csv_trains_a_one_output_network(tmp_path):
    """A two-class label column and layers [..., 1]: one 0/1 target, 1 for the second class
    (sorted), as the built-in two-class sets have it; predict and evaluate read it back."""
    from backprop_cli.config import load_config
    from backprop_cli.experiment import prepare

    data = tmp_path / "bin.csv"
    data.write_text("a,b,y\n" + "".join(f"{a},{b},{'yes' if a != b else 'no'}\n"
                                         for a, b in [(0, 0), (0, 1), (1, 0), (1, 1)] * 3))
    cfg = tmp_path / "bin.yaml"
    cfg.write_text("network: {layers: [2, 4, 1]}\ndata: {path: bin.csv, test_fraction: 0}\n"
                   "training: {epochs: 2000, learning_rate: 2, batch_size: 12}\n")
    ex = prepare(load_config(cfg))
    assert ex.train.Y.shape == (12, 1) and ex.train.class_names == ("no", "yes")
    np.testing.assert_array_equal(ex.train.Y[:, 0], (ex.train.X[:, 0] != ex.train.X[:, 1]).astype(float))
    summary = ok_json("train", cfg, "--out", tmp_path / "run", "--json")
    assert summary["train_accuracy"] == 1.0
    rows = rows_of(invoke("predict", tmp_path / "run" / "model.npz", data).stdout)
    assert list(rows[0]) == ["y", "p_no", "p_yes"] and [r["y"] for r in rows] == [
        "yes" if a != b else "no" for a, b in [(0, 0), (0, 1), (1, 0), (1, 1)] * 3]
    ev = ok_json("evaluate", tmp_path / "run" / "model.npz", "--data", data, "--json")
    assert ev["accuracy"] == 1.0 and ev["cost"] == pytest.approx(summary["train_cost"], rel=1e-9)
    # with 3 outputs the message offers both encodings
    cfg.write_text(cfg.read_text().replace("[2, 4, 1]", "[2, 4, 3]"))
    r = invoke("train", cfg)
    assert r.exit_code == 2 and ("use layers: [2, …, 1] for one 0/1 output, or [2, …, 2] for the one-hot pair "
                                 "(2 classes: no, yes)") in r.output


@pytest.mark.parametrize("dataset", ["circles", "xor", "xor_relu"])
def test_a_built_in_two_class_set_trains_a_two_output_softmax(tmp_path, dataset):
    """The built-in two-class sets give one 0/1 column; a network with two outputs gets the
    one-hot pair [1 − y, y] instead (it was refused), with the same rows, split and classes."""
    from backprop_cli.config import load_config
    from backprop_cli.experiment import prepare

    sets = {"network.layers": [2, 8, 2], "network.output_activation": "softmax", "cost": "cross_entropy"}
    one = prepare(load_config(ROOT / "configs" / f"{dataset}.yaml"))
    two = prepare(load_config(ROOT / "configs" / f"{dataset}.yaml", overrides=sets))
    for a, b in ((one.train, two.train), (one.test, two.test)):
        if a is None:
            assert b is None
            continue
        np.testing.assert_array_equal(a.X, b.X)
        assert a.Y.shape[1] == 1 and b.Y.shape[1] == 2 and b.class_names == a.class_names == ("0", "1")
        np.testing.assert_array_equal(b.Y, np.hstack([1 - a.Y, a.Y]))
    out = tmp_path / "run"
    summary = ok_json("train", ROOT / "configs" / f"{dataset}.yaml", "--out", out, "--json", "--set",
                      "network.layers=[2,8,2]", "--set", "network.output_activation=softmax", "--set", "cost=cross_entropy")
    assert summary["train_accuracy"] >= 0.9
    ev = ok_json("evaluate", out / "model.npz", "--json")
    assert ev["cost"] == pytest.approx(summary["test_cost"] if summary["test_cost"] is not None
                                       else summary["train_cost"], rel=1e-9)


@pytest.fixture(scope="module")
def relu_iris(tmp_path_factory):
    """An iris model with a ReLU hidden layer: huge inputs overflow it (tanh would saturate)."""
    out = tmp_path_factory.mktemp("runs") / "relu"
    r = invoke("train", ROOT / "configs" / "iris.yaml", "--epochs", "5", "--set", "network.activation=relu",
               "--out", out, "--quiet")
    assert r.exit_code == 0, r.output
    return out / "model.npz"


HUGE_ROWS = ("sepal_length,sepal_width,petal_length,petal_width,species\n5.1,3.5,1.4,0.2,setosa\n"
             "1e308,1e308,-1e308,1e308,setosa\n1e308,1e308,1e308,1e308,virginica\n")


def _no_runtime_warnings(*args):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        r = invoke(*args)
    assert not [w for w in caught if issubclass(w.category, RuntimeWarning)], [str(w.message) for w in caught]
    return r


@pytest.mark.parametrize("json_out", [False, True], ids=["csv", "json"])
def test_predict_refuses_a_row_whose_outputs_overflow(relu_iris, tmp_path, json_out):
    big = tmp_path / "big.csv"
    big.write_text(HUGE_ROWS)
    out = tmp_path / "p.csv"
    r = _no_runtime_warnings("predict", relu_iris, big, *(["--json"] if json_out else []), "-o", out)
    assert r.exit_code == 2, r.output
    assert r.stdout == "" and "NaN" not in r.output and "nan" not in r.output
    assert r.stderr.splitlines() == [
        f"error: {big} row 3: the model's outputs for this row are not finite numbers: its inputs are too large "
        "for the network's arithmetic (it overflows); its largest input is sepal_length = 1e308 "
        "(2 rows are affected)"]
    assert not out.exists()
    assert _no_runtime_warnings("predict", relu_iris, IRIS_CSV, "--json").exit_code == 0


def test_evaluate_refuses_a_row_whose_outputs_or_cost_overflow(relu_iris, sine, tmp_path):
    big = tmp_path / "big.csv"
    big.write_text(HUGE_ROWS)
    r = _no_runtime_warnings("evaluate", relu_iris, "--data", big, "--json")
    assert r.exit_code == 2 and printed_refusal(r.stdout, r.stderr), r.output
    assert r.stderr == (  # its largest input named, as predict names it (in the file's units, not standardized)
        f"error: {big} row 3: the model's outputs for this row are not finite numbers: its inputs are too large "
        "for the network's arithmetic (it overflows); its largest input is sepal_length = 1e308 (2 rows are affected)\n")
    far = tmp_path / "far.csv"
    far.write_text("x,y\n0.5,0.4\n1,1e200\n")  # a finite output, a target (a − y)² overflows on
    r = _no_runtime_warnings("evaluate", sine, "--data", far, "--json")
    assert r.exit_code == 2 and printed_refusal(r.stdout, r.stderr), r.output
    assert re.fullmatch(rf"error: {re.escape(str(far))} row 3: the cost of this row is not a finite number: its target, "
                        r"y = 1e200, is too far from the model's output \(a = -?[0-9.]+\) for the arithmetic \(it "
                        r"overflows\)\n", r.stderr), r.stderr


def test_evaluate_blames_the_input_where_a_huge_output_overflows_the_cost(tmp_path):
    """x = 1e308 on a ReLU sine model gave an output of 1.1e307 for y = 1, and evaluate said 'its target is
    too far from the model's output', where predict named the input: the target is not the cause."""
    cfg = tmp_path / "c.yaml"  # a = 2 relu(x) + 0, whatever one epoch at a tiny rate changes
    cfg.write_text("data: {dataset: sine, n_samples: 8}\nnetwork: {layers: [1, 2, 1], activation: relu, "
                   "output_activation: linear, weights: [[[1], [1]], [[1, 1]]], biases: [[0, 0], [0]]}\n"
                   "training: {epochs: 1, learning_rate: 1e-6}\n")
    assert invoke("train", cfg, "--out", tmp_path / "run", "--quiet").exit_code == 0
    huge = tmp_path / "huge.csv"
    huge.write_text("x,y\n0.5,0.4\n1e200,1\n")
    r = _no_runtime_warnings("evaluate", tmp_path / "run", "--data", huge)
    assert r.exit_code == 2 and r.stdout == "", r.output
    assert r.stderr == (f"error: {huge} row 3: the cost of this row is not a finite number: its inputs are too large "
                        "for the network's arithmetic, and its output, a = 2e200, overflows the cost; its largest "
                        "input is x = 1e200\n"), r.stderr
    # the first bad row in the file is named, whichever way it is bad: row 4's outputs (2 relu(1e308) = inf)
    # were said before row 2's cost
    both = tmp_path / "both.csv"
    both.write_text("x,y\n1e200,1\n0.5,0.4\n1e308,1\n")
    r = _no_runtime_warnings("evaluate", tmp_path / "run", "--data", both)
    assert r.exit_code == 2 and r.stdout == "", r.output
    assert r.stderr == (f"error: {both} row 2: the cost of this row is not a finite number: its inputs are too large "
                        "for the network's arithmetic, and its output, a = 2e200, overflows the cost; its largest "
                        "input is x = 1e200 (2 rows are affected)\n"), r.stderr


def test_evaluate_sums_that_overflow_give_finite_figures_or_one_line(sine, tmp_path):
    """Every row's cost finite, but the sums of (a − y)² past 1.8e308: the MSE and R² are the
    same means taken scaled (JSON has no Infinity or NaN); an R² that is itself beyond float64
    (targets constant but for 1e-160) is refused with its reason."""
    far = tmp_path / "far.csv"
    far.write_text("x,y\n1,1.3e154\n2,-1.3e154\n")
    r = _no_runtime_warnings("evaluate", sine, "--data", far, "--json")
    assert r.exit_code == 0, r.output
    ev = json.loads(r.stdout, parse_constant=lambda c: pytest.fail(f"{c} in the JSON"))
    out = ev["outputs"][0]
    assert out["mse"] == pytest.approx(1.69e308, rel=1e-9) and out["mae"] == pytest.approx(1.3e154)
    assert out["r2"] == pytest.approx(0.0, abs=1e-9)  # the outputs (near ±1) explain nothing of y
    assert ev["cost"] == pytest.approx(out["mse"] / 2, rel=1e-9)  # half_squared_error
    tiny = tmp_path / "tiny.csv"
    tiny.write_text("x,y\n1,0\n2,1e-160\n")
    r = _no_runtime_warnings("evaluate", sine, "--data", tiny, "--json")
    assert r.exit_code == 2 and printed_refusal(r.stdout, r.stderr), r.output
    assert r.stderr.startswith(f"error: {tiny}: the R² of output y is not a finite number: its targets are "
                               "constant but for a spread of 1e-160")
    assert len(r.stderr.splitlines()) == 1
    tinier = tmp_path / "tinier.csv"  # Σ(y − ȳ)² underflows to 0: was shown as constant (R² —)
    tinier.write_text("x,y\n1,0\n2,1e-170\n")
    r = _no_runtime_warnings("evaluate", sine, "--data", tinier, "--json")
    assert r.exit_code == 2 and printed_refusal(r.stdout, r.stderr), r.output
    assert r.stderr.startswith(f"error: {tinier}: the R² of output y is not a finite number: its targets are "
                               "constant but for a spread of 1e-170")
    tenths = tmp_path / "tenths.csv"  # constant, though their float64 mean is not 0.1
    tenths.write_text("x,y\n1,0.1\n2,0.1\n3,0.1\n")
    r = _no_runtime_warnings("evaluate", sine, "--data", tenths, "--json")
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["outputs"][0]["r2"] is None


def _pipe_with(text, request):
    """/dev/fd/N of a pipe that a thread fills with ``text`` and closes: what bash's
    ``<(cat file)`` passes (e.g. /dev/fd/63). Its bytes can be read once."""
    import threading

    r, w = os.pipe()
    request.addfinalizer(lambda: os.close(r))

    def feed():
        with open(w, "w") as f:
            f.write(text)

    threading.Thread(target=feed, daemon=True).start()
    return f"/dev/fd/{r}"


NO_DEV_FD = not Path("/dev/fd").is_dir() or not hasattr(os, "pipe")


@pytest.mark.skipif(NO_DEV_FD, reason="needs /dev/fd")
def test_predict_and_evaluate_read_a_pipe_like_a_file(iris, request):
    model, _ = iris
    text = IRIS_CSV.read_text()
    r = invoke("predict", model, _pipe_with(text, request))
    assert r.exit_code == 0, r.output
    assert r.stdout == invoke("predict", model, IRIS_CSV).stdout
    # no .csv suffix to go by: a pipe holds CSV
    r = invoke("evaluate", model, "--data", _pipe_with(text, request), "--json")
    assert r.exit_code == 0, r.output
    want = json.loads(invoke("evaluate", model, "--data", IRIS_CSV, "--json").stdout)
    assert {k: v for k, v in json.loads(r.stdout).items() if k != "data"} == \
        {k: v for k, v in want.items() if k != "data"}


@pytest.mark.skipif(NO_DEV_FD, reason="needs /dev/fd")
def test_a_large_csv_through_a_pipe_grows_its_rows(iris, request, tmp_path):
    model, _ = iris
    rows = IRIS_CSV.read_text().splitlines()
    text = "\n".join([rows[0], *rows[1:] * 120]) + "\n"  # 18,000 rows: past a block of 8192
    r = invoke("predict", model, _pipe_with(text, request))
    assert r.exit_code == 0, r.output
    big = tmp_path / "big.csv"
    big.write_text(text)
    # the same rows from a file, bit for bit (against iris.csv's own 150 rows the numbers may differ
    # in the last digit: a BLAS can round a row differently in a larger product, as numpy 1.23's does)
    assert r.stdout == invoke("predict", model, big).stdout
    labels = [line.split(",")[0] for line in r.stdout.splitlines()[1:]]
    assert labels == [line.split(",")[0] for line in invoke("predict", model, IRIS_CSV).stdout.splitlines()[1:]] * 120


def test_a_model_saved_with_a_built_in_sets_contradicting_task_still_loads(tmp_path):
    """Before Dec 2026 `data.task: classification` on the sine set was silently ignored and saved
    in the model's config; the config check now refuses it, but such a model still loads."""
    out = tmp_path / "sine"
    assert invoke("train", ROOT / "configs" / "sine.yaml", "--epochs", "3", "--out", out, "--quiet").exit_code == 0
    with np.load(out / "model.npz") as z:
        arrays = dict(z)
    text = str(arrays["config_yaml"])
    assert "task: auto" in text
    arrays["config_yaml"] = np.array(text.replace("task: auto", "task: classification"))
    np.savez(out / "model.npz", **arrays)
    r = invoke("evaluate", out / "model.npz", "--json")
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["task"] == "regression"


def test_evaluate_cost_is_trains_figure_bit_for_bit_over_several_chunks(tmp_path):
    """evaluate() makes one chunked forward pass; its cost is training.evaluate's, exactly, on
    more rows than one chunk (EVAL_ROWS)."""
    from backprop_cli.evaluation import evaluate as evaluate_model
    from backprop_cli.evaluation import stored_split
    from backprop_cli.prediction import model_schema
    from backprop_cli.training import EVAL_ROWS
    from backprop_cli.training import evaluate as cost_and_accuracy

    out = tmp_path / "sine"
    n = 2 * EVAL_ROWS + 37
    r = invoke("train", ROOT / "configs" / "sine.yaml", "--epochs", "2", "--set", f"data.n_samples={n}",
               "--set", "data.test_fraction=0", "--out", out, "--quiet")
    assert r.exit_code == 0, r.output
    saved = load_model(out / "model.npz")
    ds, split = stored_split(saved)
    assert ds.n_samples > 2 * EVAL_ROWS
    ev = evaluate_model(saved, model_schema(saved), ds, split)
    assert ev.cost == cost_and_accuracy(saved.net, ds)[0]


def test_confusion_matrix_of_many_classes_stays_readable():
    """50 classes cannot fit 80 columns: rich squeezed every cell to nothing (a wall of │ with
    no count or name left). The table is kept when it fits, else the largest confusions are
    listed by name."""
    from rich.console import Console

    from backprop_cli.render.evaluate import _print_confusion

    k = 50
    true = np.arange(2 * k) % k
    pred = true.copy()
    pred[:3] = [7, 7, 9]  # c0 → c7, c1 → c7, c2 → c9
    pred[k] = 7  # c0 → c7 again: the largest confusion, 2
    m = classification_metrics(np.eye(k)[true], np.eye(k)[pred], tuple(f"c{i}" for i in range(k)))
    out = io.StringIO()
    _print_confusion(Console(file=out, width=80, highlight=False), m)
    text = out.getvalue()
    assert "│ │ │" not in text and max(map(len, text.splitlines())) <= 80
    assert "50 classes, too wide" in text and "--json" in text
    lines = text.splitlines()
    assert lines[2].strip() == "c0 → c7: 2" and "c1 → c7: 1" in text and "c2 → c9: 1" in text
    # three classes still get the table
    small = classification_metrics(np.eye(3)[[0, 1, 2]], np.eye(3)[[0, 1, 1]], ("a", "b", "c"))
    out = io.StringIO()
    _print_confusion(Console(file=out, width=80, highlight=False), small)
    assert "true \\ predicted" in out.getvalue()


@pytest.mark.parametrize("width", [50, 44, 40])
def test_the_confusion_matrix_too_wide_line_fits_a_narrow_console(width):
    """At COLUMNS=50 the line saying the matrix is too wide for 50 columns was itself 78 characters
    (and the list's heading 51): the terminal cut it, or a pipe's line ran past its width. Both are
    broken between phrases into lines that fit, each phrase whole."""
    from rich.console import Console

    from backprop_cli.render.evaluate import _print_confusion

    k = 30
    true = np.arange(2 * k) % k
    pred = (true + 1) % k  # 30 confusions: more than the 20 listed
    m = classification_metrics(np.eye(k)[true], np.eye(k)[pred], tuple(f"c{i}" for i in range(k)))
    out = io.StringIO()
    _print_confusion(Console(file=out, width=width, highlight=False, soft_wrap=True), m)
    lines = out.getvalue().splitlines()
    assert max(map(len, lines)) <= width, lines
    text = "\n".join(lines)
    for phrase in ("confusion matrix: 30 classes,", f"too wide for {width} columns", "(--json has every count)",
                   "most frequent confusions", "(true → predicted: count),", "the first 20 of 30:"):
        assert phrase in text, text
    assert lines[-20:] == [f"  c{i} → c{i + 1}: 2" for i in range(20)]
    out = io.StringIO()  # at 80 columns, one line each, as before
    _print_confusion(Console(file=out, width=80, highlight=False, soft_wrap=True), m)
    assert out.getvalue().splitlines()[:2] == [
        "confusion matrix: 30 classes, too wide for 80 columns (--json has every count)",
        "most frequent confusions (true → predicted: count), the first 20 of 30:"]


@pytest.mark.parametrize("width", [50, 40])
def test_evaluate_at_50_columns_prints_no_line_wider(relu_iris, width):
    """The real command at COLUMNS=50 (a pipe reads the width from it): the tables and every line
    from the confusion matrix's on fit (the first line's model path is one word, kept whole). Its
    3×3 matrix fits there with its corner shortened to ``true\\pred`` (it was 'too wide for 50
    columns', the corner ``true \\ predicted`` taking 18 of them); at 40 it is too wide even so."""
    from backprop_cli.render.evaluate import SHORT_CORNER_CAPTION

    r = runner.invoke(app, ["evaluate", str(relu_iris)], env={"COLUMNS": str(width)})
    assert r.exit_code == 0, r.output
    lines = r.output.splitlines()
    assert max(map(len, lines[2:])) <= width, r.output
    if width == 50:
        assert "too wide" not in r.output and "true\\pred " in r.output and SHORT_CORNER_CAPTION in r.output, r.output
    else:
        assert "too wide for 40 columns" in r.output, r.output


@pytest.mark.parametrize("output, header, good, bad", [
    ("sigmoid", "x,y", "{x!r},{y!r}", "0.5,1.5"),  # binary cross-entropy: y in [0, 1]
    ("softmax", "x,p,q", "{x!r},{y!r},{z!r}", "0.5,0.7,0.7"),  # a row summing to 1.4
])
def test_evaluate_refuses_targets_beyond_a_cross_entropy_models_cost(tmp_path, output, header, good, bad):
    """As training refuses them (experiment.check_shapes): the cost of such a target is no cost."""
    rng = np.random.default_rng(3)
    x = rng.uniform(-3, 3, 30)
    rows = [good.format(x=a, y=(math.sin(a) + 1) / 2, z=(1 - math.sin(a)) / 2) for a in x.tolist()]
    data = tmp_path / "train.csv"
    data.write_text(header + "\n" + "\n".join(rows) + "\n")
    n_out = header.count(",")
    cfg = tmp_path / "c.yaml"
    target = header.split(",", 1)[1]
    cfg.write_text(f"data: {{path: {data}, task: regression, target: [{target}]}}\nnetwork: {{layers: [1, 4, {n_out}], "
                   f"output_activation: {output}}}\ncost: cross_entropy\ntraining: {{epochs: 3}}\n")
    out = tmp_path / "run"
    r = invoke("train", cfg, "--out", out, "--quiet")
    assert r.exit_code == 0, r.output
    assert ok_json("evaluate", out / "model.npz", "--data", data, "--json")["n_samples"] == 30
    other = tmp_path / "other.csv"
    other.write_text(header + "\n" + rows[0] + "\n" + bad + "\n")
    r = invoke("evaluate", out / "model.npz", "--data", other)
    assert r.exit_code == 2
    line = r.stderr.strip().splitlines()[0]
    assert f"{other} row 3: targets" in line and "beyond the model's cost" in line, r.stderr
    assert ("in [0, 1]" if output == "sigmoid" else "summing to 1") in line and "Traceback" not in r.output


def test_save_model_refuses_a_network_its_config_does_not_describe(tmp_path):
    """A 2-3-1 net saved with the iris config wrote a file that failed to load; a float32 net
    (or another λ) with a float64 config loaded back as a float64 network, silently."""
    from backprop_cli.config import load_config
    from backprop_cli.errors import ConfigError
    from backprop_cli.model_io import load_model, save_model
    from backprop_cli.network import Network

    cfg = load_config(Path(__file__).parent.parent / "configs" / "iris.yaml")
    good = Network.from_config(cfg)
    save_model(tmp_path / "ok.npz", good, cfg)
    back = load_model(tmp_path / "ok.npz").net
    assert repr(back) == repr(good) and all((a == b).all() for a, b in zip(back.weights, good.weights))
    l2 = Network.from_config(cfg)
    l2.l2 = 0.5
    for net, says in ((Network([2, 3, 1]), "network.layers is [2, 3, 1] but the config's is [4, 8, 3]"),
                      (good.astype("float32"), "training.dtype is float32 but the config's is float64"),
                      (l2, "training.l2 is 0.5 but the config's is 0.0")):
        with pytest.raises(ConfigError) as err:
            save_model(tmp_path / "bad.npz", net, cfg)
        assert says in err.value.message
    assert not (tmp_path / "bad.npz").exists()


def test_save_model_checks_its_network_without_building_a_second_one(tmp_path):
    """The check drew a whole second network from the config at every save (a 2-4000-4000-1
    net: 128 MB and half a second more, beyond what the memory check allows for); its peak now
    stays below the weights' size (np.savez copies one array at a time). Activations are still compared."""
    import tracemalloc

    from backprop_cli.config import config_from_dict, load_config
    from backprop_cli.errors import ConfigError
    from backprop_cli.model_io import save_model
    from backprop_cli.network import Network

    cfg = config_from_dict({"data": {"dataset": "xor"}, "network": {"layers": [2, 1000, 1000, 1000, 1]}}, "s",
                          tmp_path)
    net = Network.from_config(cfg)
    weights = sum(w.nbytes for w in net.weights)
    tracemalloc.start()
    try:
        save_model(tmp_path / "big.npz", net, cfg)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 0.75 * weights, (peak, weights)  # np.savez copies one array at a time
    iris = load_config(Path(__file__).parent.parent / "configs" / "iris.yaml")
    relu = Network([4, 8, 3], activation="relu", output_activation="softmax", cost="cross_entropy")
    with pytest.raises(ConfigError, match=r"activations .* is \[relu, softmax\] but the config's is "
                                          r"\[tanh, softmax\]"):
        save_model(tmp_path / "bad.npz", relu, iris)


MIXED_LABELS = "a,b,y\n0.1,1,2\n0.5,2,2.5\n0.9,1,2.0\n0.3,2,3\n0.7,1,2.5\n0.2,3,3\n0.6,0,2\n0.8,1,3\n"


def _mixed_label_model(tmp_path: Path) -> Path:
    (tmp_path / "mixed.csv").write_text(MIXED_LABELS)
    (tmp_path / "mixed.yaml").write_text(
        "data: {path: mixed.csv, target: y, task: classification, test_fraction: 0.25}\n"
        "network: {layers: [2, 4, 3], output_activation: softmax}\ncost: cross_entropy\ntraining: {epochs: 3}\n")
    r = invoke("train", tmp_path / "mixed.yaml", "--out", tmp_path / "run", "--quiet")
    assert r.exit_code == 0, r.output
    return tmp_path / "run" / "model.npz"


def _classes_shown(tmp_path: Path, model: Path) -> None:
    """Every output names the classes 2, 2.5 and 3 as written, never 2.0 or 3.0."""
    r = invoke("evaluate", model, "--json")
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert [c["name"] for c in data["classes"]] == data["confusion_matrix"]["labels"] == ["2", "2.5", "3"]
    r = invoke("evaluate", model, "--data", tmp_path / "mixed.csv")
    assert r.exit_code == 0 and "2.0" not in r.output and "3.0" not in r.output, r.output
    r = invoke("predict", model, tmp_path / "mixed.csv")
    assert r.exit_code == 0 and r.stdout.splitlines()[0] == "y,p_2,p_2.5,p_3", r.stdout
    assert set(row["y"] for row in rows_of(r.stdout)) <= {"2", "2.5", "3"}
    (tmp_path / "seven.csv").write_text("a,b,y\n0.1,1,7\n")
    r = invoke("evaluate", model, "--data", tmp_path / "seven.csv")
    assert r.exit_code == 2 and "'7' is not a class the model knows (classes: 2, 2.5, 3)" in r.output


def test_whole_number_labels_beside_fractional_ones_are_named_as_written(tmp_path):
    """Labels 2, 2.5 and 3 were named 2.0, 2.5 and 3.0 (every one as a float as soon as one was
    not whole): in the model file, evaluate's tables, predict's columns and the messages."""
    model = _mixed_label_model(tmp_path)
    assert load_model(model).class_names == ("2", "2.5", "3")
    assert np.load(model)["class_names"].tolist() == ["2", "2.5", "3"]
    _classes_shown(tmp_path, model)


def test_a_model_file_of_an_older_version_with_float_named_labels_still_loads(tmp_path):
    """A model saved before the fix stores class_names 2.0, 2.5, 3.0 and the data digest of those
    names: it loads with the names 2, 2.5, 3, and evaluate still rebuilds its test split (the
    digest is unchanged, so the data are not taken for changed) and resume still resumes."""
    model = _mixed_label_model(tmp_path)
    arrays = dict(np.load(model, allow_pickle=False))
    arrays["class_names"] = np.array(["2.0", "2.5", "3.0"])
    np.savez(model, **arrays)
    assert load_model(model).class_names == ("2", "2.5", "3")
    _classes_shown(tmp_path, model)
    r = invoke("train", tmp_path / "mixed.yaml", "--out", tmp_path / "run", "--resume", "--epochs", "5", "--quiet")
    assert r.exit_code == 0, r.output


def test_a_data_digest_of_mixed_labels_is_the_one_older_versions_stored():
    """Models and checkpoints store data_digest; hashing the new names would have made every older
    model of mixed labels 'trained on other data'. The hash is of the names older versions used."""
    from backprop_cli.data import Dataset, data_digest

    Y = np.eye(3)[[0, 1, 2]]
    new = Dataset(np.zeros((3, 1)), Y, "classification", ("2", "2.5", "3"), ("a",), ("y",), "t")
    old = Dataset(np.zeros((3, 1)), Y, "classification", ("2.0", "2.5", "3.0"), ("a",), ("y",), "t")
    assert data_digest(new) == data_digest(old)
    text = Dataset(np.zeros((3, 1)), Y, "classification", ("a", "b", "c"), ("a",), ("y",), "t")
    assert data_digest(text) != data_digest(new)


def test_evaluate_says_to_write_decimals_with_a_point_in_a_target(sine, tmp_path):
    """A regression model's target cell 1,5 said only "'1,5' is not a finite number"; the feature
    cells and train's targets said how to write it."""
    model = sine
    names, (target,) = load_model(model).feature_names, load_model(model).target_names
    path = tmp_path / "comma.csv"
    path.write_text(";".join([*names, target]) + "\n" + ";".join(["0.5"] * len(names) + ["0,25"]) + "\n")
    r = invoke("evaluate", model, "--data", path)
    assert r.exit_code == 2, r.output
    assert f"comma.csv row 2, column {target}: '0,25' is not a finite number (write decimals with '.': 0.25)" in r.output


def test_evaluate_says_to_leave_out_commas_that_group_digits(sine, tmp_path):
    """A target cell "1,000,000" groups digits; it was told to write decimals with '.' as
    1.000.000, which is no number at all: it says 1000000."""
    names, (target,) = load_model(sine).feature_names, load_model(sine).target_names
    path = tmp_path / "comma.csv"
    path.write_text(",".join([*names, target]) + "\n" + ",".join(["0.5"] * len(names) + ['"1,000,000"']) + "\n")
    r = invoke("evaluate", sine, "--data", path)
    assert r.exit_code == 2, r.output
    assert "'1,000,000' is not a finite number (write it without ',': 1000000)" in r.output, r.output


def test_the_missing_columns_of_a_wide_model_are_named_in_one_short_line(tmp_path):
    """A 3000-input model given a file with one of its columns: the error listed all 2999 missing
    names, a 20 KB 'line'. Now the first ten, the last three and the count, as the needed list."""
    n = 3000
    names = [f"x{i}" for i in range(n)]
    rng = np.random.default_rng(0)
    rows = [",".join(f"{v:.2f}" for v in rng.normal(size=n)) + f",{i % 2}" for i in range(6)]
    (tmp_path / "wide.csv").write_text(",".join([*names, "y"]) + "\n" + "\n".join(rows) + "\n")
    (tmp_path / "c.yaml").write_text(f"data: {{path: wide.csv, target: y, test_fraction: 0}}\n"
                                     f"network: {{layers: [{n}, 2, 1]}}\ntraining: {{epochs: 1}}\n")
    assert invoke("train", tmp_path / "c.yaml", "--out", tmp_path / "run", "--quiet").exit_code == 0
    (tmp_path / "one.csv").write_text("x0\n1\n")
    for args, tail in ((["predict", tmp_path / "run" / "model.npz", tmp_path / "one.csv"], "x2997, x2998, x2999 (2999"),
                       (["evaluate", tmp_path / "run" / "model.npz", "--data", tmp_path / "one.csv"], "x2998, x2999, y (3000")):
        r = invoke(*args)
        assert r.exit_code == 2, r.output
        line = r.stderr.splitlines()[0]
        assert f"columns x1, x2, x3, x4, x5, x6, x7, x8, x9, x10, ..., {tail} in all) not found" in line, line[:300]
        assert len(line) < 400, len(line)


def test_predict_given_a_config_for_its_rows_says_it_looks_like_one(relu_iris, tmp_path):
    """`backprop predict MODEL configs/iris.yaml`: the error listed the config's first comment line as
    its columns ('the file has: # Iris (Fisher 1936): …'); a YAML config is named as one, keys and all.
    CSV text in a .yml file is still read (and its columns told) as before."""
    config = ROOT / "configs" / "iris.yaml"
    r = invoke("predict", relu_iris, config)
    lines = r.stderr.splitlines()
    assert r.exit_code == 2 and r.stdout == "" and len(lines) == 2, r.output
    assert lines[0] == (f"error: {config}: looks like a YAML config (keys seed, data, network, cost, training), "
                        "not a CSV file of rows"), r.output
    assert lines[1].startswith("hint: predict reads the rows of a CSV file") and "# Iris" not in r.output
    for missing in ("gone.yml", "gone.YAML"):  # no config there to evaluate on: evaluate is not offered
        r = invoke("predict", relu_iris, tmp_path / missing)
        assert r.exit_code == 2 and r.stderr.splitlines() == [
            f"error: {tmp_path / missing}: no such file",
            f"hint: predict reads the rows of a CSV file; a {Path(missing).suffix.lower()} file is a config, not rows of inputs",
        ], r.output
    (tmp_path / "runs.yaml").mkdir()  # a folder named like a config: neither rows nor a config
    r = invoke("predict", relu_iris, tmp_path / "runs.yaml")
    assert r.exit_code == 2 and "is a folder" in r.stderr and "evaluate" not in r.stderr, r.output
    rows = tmp_path / "rows.yml"
    rows.write_text("a,b\n1,2\n")
    r = invoke("predict", relu_iris, rows)
    assert r.exit_code == 2 and "the file has: a, b" in r.stderr and "YAML config" not in r.stderr, r.output
    (tmp_path / "iris.yml").write_text((ROOT / "data" / "iris.csv").read_text())
    assert invoke("predict", relu_iris, tmp_path / "iris.yml").exit_code == 0


# --- predict --keep -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def priced(tmp_path_factory):
    """A regression model of `price` from size, age and temp (data.features), trained on a CSV
    with an `id` column it does not read: (model.npz, the CSV)."""
    root = tmp_path_factory.mktemp("priced")
    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 3))
    rows = "".join(f"row{i + 1},{a:.4f},{b:.4f},{c:.4f},{a - b + 0.5 * c:.4f}\n" for i, (a, b, c) in enumerate(X))
    (root / "regid.csv").write_text("id,size,age,temp,price\n" + rows)
    (root / "c.yaml").write_text("data: {path: regid.csv, target: price, features: [size, age, temp]}\n"
                                 "network: {layers: [3, 4, 1], output_activation: linear}\n"
                                 "cost: half_squared_error\ntraining: {epochs: 3}\n")
    assert invoke("train", root / "c.yaml", "--out", root / "run", "--quiet").exit_code == 0
    return root / "run" / "model.npz", root / "regid.csv"


def test_predict_keep_copies_columns_as_text_before_the_predictions(priced, tmp_path):
    """The ids beside the predictions: each kept cell as the file has it (007 not 7, 1.50 not 1.5,
    an empty cell, a quoted note with a comma and a line break), in the order --keep gives."""
    model, _ = priced
    rows = tmp_path / "rows.csv"
    rows.write_text('temp,id,size,note,age\n0.5, 007 ,1.50,"a, b\nc",2\n-1,x-2,0,,1e-1\n')
    plain = rows_of(invoke("predict", model, rows).stdout)
    assert list(plain[0]) == ["price"]  # without --keep: the predictions alone, as before
    r = invoke("predict", model, rows, "--keep", "note", "-k", "id", "--keep", "size")
    assert r.exit_code == 0 and r.stderr == "", r.output
    got = list(csv.reader(io.StringIO(r.stdout)))
    assert got[0] == ["note", "id", "size", "price"]
    assert [row[:3] for row in got[1:]] == [["a, b\nc", "007", "1.50"], ["", "x-2", "0"]]
    assert [row[3] for row in got[1:]] == [row["price"] for row in plain]  # the predictions unchanged
    records = ok_json("predict", model, rows, "--json", "-k", "id", "-k", "size")
    assert [list(rec) for rec in records] == [["id", "size", "price"]] * 2
    assert [(rec["id"], rec["size"]) for rec in records] == [("007", "1.50"), ("x-2", "0")]  # strings
    out = tmp_path / "p.csv"
    r = invoke("predict", model, rows, "--keep", "id", "--out", out)
    assert r.exit_code == 0 and r.stderr.startswith("wrote 2 predictions (id, price) to "), r.output
    assert out.read_text().splitlines()[:2] == ["id,price", f"007,{plain[0]['price']}"]


def test_predict_keep_of_a_prediction_columns_name_writes_it_as_name_kept(priced, iris, tmp_path):
    """--keep price beside the predicted price (the true value to compare with): two columns
    'price' would be one key in a --json record, and a DictReader's second overwrites the first."""
    model, data = priced
    r = invoke("predict", model, data, "--keep", "id", "--keep", "price")
    assert r.exit_code == 0, r.output
    assert r.stderr == "note: --keep price: written as price_kept, beside the prediction column price\n"
    got = rows_of(r.stdout)
    assert list(got[0]) == ["id", "price_kept", "price"] and len(got) == 40
    want = list(csv.DictReader(io.StringIO(data.read_text())))
    assert [(g["id"], g["price_kept"]) for g in got] == [(w["id"], w["price"]) for w in want]
    assert [g["price"] for g in got] == [row["price"] for row in rows_of(invoke("predict", model, data).stdout)]
    records = ok_json("predict", model, data, "--json", "-k", "price")
    assert list(records[0]) == ["price_kept", "price"] and records[0]["price_kept"] == want[0]["price"]
    # a classifier's predicted class is named after its target
    r = invoke("predict", iris[0], IRIS_CSV, "-k", "species")
    assert r.exit_code == 0 and "written as species_kept" in r.stderr, r.output
    assert r.stdout.splitlines()[0] == "species_kept,species,p_setosa,p_versicolor,p_virginica"
    # the _kept name taken too: refused before the rows are read (a bad cell is not reached), nothing written
    both = tmp_path / "both.csv"
    both.write_text("size,age,temp,price,price_kept\n1,2,3,4,5\nx,2,3,4,5\n")
    out = tmp_path / "p.csv"
    r = invoke("predict", model, both, "-k", "price", "-k", "price_kept", "--out", out)
    assert r.exit_code == 2 and r.stdout == "" and not out.exists(), r.output
    assert r.stderr == ("error: --keep price: is a prediction column's name, and price_kept, the name its copy "
                        "would be written under, is a column kept too; keep one of price and price_kept\n")


def test_predict_keep_of_a_column_the_file_lacks_names_it_and_writes_nothing(priced, tmp_path):
    model, data = priced
    out = tmp_path / "p.csv"
    r = invoke("predict", model, data, "--keep", "id", "--keep", "nmae", "-k", "ID", "--out", out)
    assert r.exit_code == 2 and r.stdout == "" and not out.exists(), r.output
    assert r.stderr == (f"error: {data}: columns nmae, ID (--keep) not found; the file has: id, size, age, temp, "
                        "price\nhint: names must match exactly, letter case too: the file has id for ID\n")
    r = invoke("predict", model, data, "--keep", "id,price")
    assert r.exit_code == 2 and r.stderr.endswith("hint: repeat --keep for several columns: --keep id --keep price\n")
    for bad, said in ((["-k", ""], "--keep: '' is empty; give the name of a column of INPUT_CSV, e.g. --keep id"),
                      (["-k", "id", "-k", "id "], "--keep id: is given twice; a column is kept once")):
        r = invoke("predict", model, data, *bad)
        assert r.exit_code == 2 and r.stdout == "" and r.stderr == f"error: {said}\n", r.output
    # a missing input column is still told first, as without --keep
    (tmp_path / "no_temp.csv").write_text("id,size,age\nr1,1,2\n")
    r = invoke("predict", model, tmp_path / "no_temp.csv", "--keep", "nope")
    assert r.exit_code == 2 and "column temp not found (needed: size, age, temp)" in r.stderr, r.output


def test_predict_keep_of_a_header_without_rows_writes_the_header(priced, tmp_path):
    model, _ = priced
    empty = tmp_path / "empty.csv"
    empty.write_text("id,size,age,temp\n")
    r = invoke("predict", model, empty, "--keep", "id")
    assert r.exit_code == 0 and r.stdout == "id,price\n" and "has no data rows" in r.stderr, r.output
    r = invoke("predict", model, empty, "--keep", "id", "--json")
    assert r.exit_code == 0 and json.loads(r.stdout) == [], r.output
    r = invoke("predict", model, empty, "--keep", "price")  # still checked: the file has no price
    assert r.exit_code == 2 and "column price (--keep) not found" in r.stderr, r.output


@pytest.mark.skipif(NO_DEV_FD, reason="needs /dev/fd")
def test_predict_keep_follows_the_rows_through_a_pipe_and_standard_input(iris, request, tmp_path, monkeypatch):
    """Kept cells are read with the inputs, block by block: past a block of 8192 rows from a
    pipe (whose array grows) each id stays beside its own row's prediction."""
    model, _ = iris
    rows = IRIS_CSV.read_text().splitlines()
    n = len(rows) - 1
    text = "id," + rows[0] + "\n" + "".join(f"r{k}," + rows[1 + k % n] + "\n" for k in range(n * 60))  # 9,000 rows
    r = invoke("predict", model, _pipe_with(text, request), "--keep", "id")
    assert r.exit_code == 0, r.output
    lines = r.stdout.splitlines()
    assert lines[0] == "id,species,p_setosa,p_versicolor,p_virginica" and len(lines) == n * 60 + 1
    assert [line.split(",")[0] for line in lines[1:]] == [f"r{k}" for k in range(n * 60)]
    big = tmp_path / "big.csv"
    big.write_text(text)
    plain = invoke("predict", model, big).stdout.splitlines()
    assert [line.split(",", 1)[1] for line in lines] == plain  # each prediction its row's, in order
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    r = runner.invoke(app, ["predict", str(model), "-", "-k", "id"], input=text)
    assert r.exit_code == 0 and r.stdout == "\n".join(lines) + "\n", r.output


def test_text_cells_keep_each_cell_as_given_across_blocks():
    from backprop_cli.data import TextCells

    cells = TextCells()
    cells.add(["a", "", "é, ü\nz"])
    cells.add([])
    cells.add(["x" * 10_000, "7"])
    assert len(cells) == 5 and cells.tolist() == ["a", "", "é, ü\nz", "x" * 10_000, "7"]


def test_a_network_trained_on_arrays_saves_without_a_config_and_has_no_data_of_its_own(tmp_path):
    """``save_model`` needed a Config; the only one a notebook had, config_from_dict's, recorded
    data.dataset xor, so `backprop evaluate m.npz` evaluated on xor, a set the model never saw,
    and ``save_model(path, net, None)`` was an AttributeError. Without a config the file records
    the network and that it was trained from arrays: evaluate asks for --data, predict reads the
    columns x0, x1 (not xor's), and --data evaluates as for any model."""
    from backprop_cli.network import Network

    X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    net = Network([2, 3, 1], activation="tanh", output_activation="sigmoid", seed=0)
    with pytest.warns(UserWarning, match=r"^save_model: no class_names, so the network is saved as a regression"):
        save_model(tmp_path / "m.npz", net)  # a sigmoid output without classes: a warning (below)
    saved = load_model(tmp_path / "m.npz")
    assert not saved.has_data and saved.task == "regression" and saved.class_names is None
    assert (saved.feature_names, saved.target_names) == (("x0", "x1"), ("y",))
    np.testing.assert_array_equal(saved.predict(X), net.predict(X))
    r = invoke("evaluate", tmp_path / "m.npz")
    assert r.exit_code == 2 and "Traceback" not in r.output and "xor" not in r.output, r.output
    assert r.stderr.splitlines() == [
        f"error: {tmp_path / 'm.npz'}: was saved from Python without a config (save_model(path, net)), trained on "
        "arrays: it has no data of its own to evaluate on",
        "hint: give data: --data FILE.csv (with the columns x0, x1, y), or --data CONFIG.yaml for a config's test split"]
    (tmp_path / "d.csv").write_text("x0,x1,y\n0,0,0\n0,1,1\n1,0,1\n1,1,0\n", encoding="utf-8")
    r = invoke("evaluate", tmp_path / "m.npz", "--data", tmp_path / "d.csv", "--json")
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["n_samples"] == 4
    r = invoke("predict", tmp_path / "m.npz", tmp_path / "d.csv")
    assert r.exit_code == 0 and r.stdout.splitlines()[0] == "y", r.output
    r = invoke("gradcheck", "--model", tmp_path / "m.npz")
    assert r.exit_code == 2 and "has no data of its own to take examples from" in r.stderr, r.output
    r = invoke("gradcheck", "--model", tmp_path / "m.npz", "--set", f"data.path={tmp_path / 'd.csv'}")
    assert r.exit_code == 0, r.output
    # a classifier's names and task are stored as given
    save_model(str(tmp_path / "c.npz"), net, class_names=("no", "yes"), feature_names=("a", "b"))
    c = load_model(tmp_path / "c.npz")
    assert (c.task, c.class_names, c.feature_names, c.has_data) == ("classification", ("no", "yes"), ("a", "b"), False)
    # a model trained from a config still has its data
    assert load_model(_config_model(tmp_path)).has_data


def test_target_names_that_do_not_fit_the_outputs_are_refused_when_saved_and_loaded(tmp_path):
    """save_model(path, net, target_names=("a", "b", "c")) of a 1-output net was accepted (feature_names
    and class_names of the wrong length were refused); `evaluate bad.npz --data abc.csv` then said
    'abc.csv: the model has 1 outputs but names 3 target columns (a, b, c)', blaming the CSV file.
    save_model refuses it; load_model refuses a file written by other means, naming the .npz."""
    from backprop_cli.errors import ConfigError, ModelFileError
    from backprop_cli.network import Network

    one = Network([2, 3, 1], activation="tanh", output_activation="linear", seed=0)
    with pytest.raises(ConfigError, match=r"^save_model: 3 target names for 1 output; expected 1$"):
        save_model(tmp_path / "m.npz", one, target_names=("a", "b", "c"))
    three = Network([2, 3, 3], activation="tanh", output_activation="softmax", cost="cross_entropy", seed=0)
    with pytest.raises(ConfigError, match=r"^save_model: 2 target names for 3 outputs; expected 1 \(the label "
                                          r"column\) or 3 \(one-hot columns, one per output\)$"):
        save_model(tmp_path / "m.npz", three, class_names=("p", "q", "r"), target_names=("a", "b"))
    linear = Network([2, 3, 3], activation="tanh", output_activation="linear", seed=0)
    with pytest.raises(ConfigError, match=r"^save_model: 1 target name for 3 outputs; expected 3 \(one per output\)$"):
        save_model(tmp_path / "m.npz", linear, target_names=("a",))
    assert not (tmp_path / "m.npz").exists()
    for net, names, classes in ((three, ("a",), ("p", "q", "r")), (three, ("a", "b", "c"), ("p", "q", "r")),
                                (linear, ("a", "b", "c"), None)):  # the lengths that fit
        save_model(tmp_path / "ok.npz", net, class_names=classes, target_names=names)
        assert load_model(tmp_path / "ok.npz").target_names == names
    # a file written by other means: the model is named, not the CSV evaluate reads
    save_model(tmp_path / "m.npz", one, target_names=("a",))
    with np.load(tmp_path / "m.npz") as f:
        arrays = dict(f)
    np.savez(tmp_path / "bad.npz", **{**arrays, "target_names": np.array(["a", "b", "c"])})
    with pytest.raises(ModelFileError, match=r"bad.npz: target_names has 3 names for 1 output; expected 1$"):
        load_model(tmp_path / "bad.npz")
    (tmp_path / "abc.csv").write_text("x0,x1,a,b,c\n0,0,0,0,0\n", encoding="utf-8")
    r = invoke("evaluate", tmp_path / "bad.npz", "--data", tmp_path / "abc.csv")
    assert r.exit_code == 2 and r.stderr.splitlines() == [
        f"error: {tmp_path / 'bad.npz'}: target_names has 3 names for 1 output; expected 1"], r.output
    save_model(tmp_path / "lin.npz", linear, target_names=("a", "b", "c"))
    with np.load(tmp_path / "lin.npz") as f:
        arrays = dict(f)
    np.savez(tmp_path / "bad.npz", **{**arrays, "target_names": np.array(["a"])})
    with pytest.raises(ModelFileError, match=r"bad.npz: target_names has 1 name for 3 outputs; expected 3 \(one per "
                                             r"output\)$"):
        load_model(tmp_path / "bad.npz")
    np.savez(tmp_path / "bad.npz", **{**arrays, "feature_names": np.array(["x0"])})  # "for 2 inputs", "has 1 names"
    with pytest.raises(ModelFileError, match=r"bad.npz: feature_names has 1 name for 2 inputs$"):
        load_model(tmp_path / "bad.npz")


def test_text_targets_for_a_regression_model_say_it_is_one_and_how_to_save_a_classifier(tmp_path, sine):
    """A model saved from Python without class_names is a regression model; `evaluate nocls.npz --data
    xorab.csv` (labels a, b) said 'row 2, column y: a is not a finite number': not why a number was
    wanted, and 'finite' is no word for text. It now says the model is a regression model, and how to
    save a classifier; NaN is still 'not a finite number'. A sigmoid or softmax output saved without
    class_names warns at save_model (task="regression" says it is meant: no warning)."""
    from backprop_cli.network import Network

    net = Network([2, 3, 1], activation="tanh", output_activation="sigmoid", seed=0)
    with pytest.warns(UserWarning, match=r"a sigmoid output layer is most often a classifier's: .* Give class_names="
                                         r"\(…\) \(two, the class of an output of 0 and of 1\) to save a classifier, "
                                         r"or task=\"regression\""):
        save_model(tmp_path / "nocls.npz", net)
    (tmp_path / "xorab.csv").write_text("x0,x1,y\n0,0,a\n0,1,b\n1,0,b\n1,1,a\n", encoding="utf-8")
    r = invoke("evaluate", tmp_path / "nocls.npz", "--data", tmp_path / "xorab.csv")
    assert r.exit_code == 2 and r.stderr.splitlines() == [
        f"error: {tmp_path / 'xorab.csv'} row 2, column y: a is not a number; {tmp_path / 'nocls.npz'} is a "
        "regression model (saved from Python without class_names), so its target must be numbers",
        "hint: to save a classifier, give its classes: save_model(path, net, class_names=(…)) with the class of an "
        "output of 0 and of 1"], r.output
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no warning: regression is what was asked for, and a softmax's classes
        save_model(tmp_path / "reg.npz", net, task="regression")
        soft = Network([2, 3, 3], activation="tanh", output_activation="softmax", cost="cross_entropy", seed=0)
        save_model(tmp_path / "cls.npz", soft, class_names=("p", "q", "r"))
        save_model(tmp_path / "lin.npz", Network([2, 3, 1], output_activation="linear", seed=0))
    with pytest.warns(UserWarning, match=r"Give class_names=\(…\) \(one for each of the 3 outputs, in their order\)"):
        save_model(tmp_path / "soft.npz", soft)
    # a model trained from a config: a regression model, with no word of save_model
    names, (target,) = load_model(sine).feature_names, load_model(sine).target_names
    rows = tmp_path / "rows.csv"
    rows.write_text(f"{','.join([*names, target])}\n{','.join(['0.5'] * len(names))},high\n", encoding="utf-8")
    r = invoke("evaluate", sine, "--data", rows)
    assert r.exit_code == 2 and r.stderr.splitlines() == [
        f"error: {rows} row 2, column {target}: high is not a number; {sine} is a regression model, so its target "
        "must be numbers"], r.output
    rows.write_text(f"{','.join([*names, target])}\n{','.join(['0.5'] * len(names))},nan\n", encoding="utf-8")
    r = invoke("evaluate", sine, "--data", rows)
    assert r.exit_code == 2 and f"row 2, column {target}: nan is not a finite number" in r.stderr, r.output


def _config_model(tmp_path: Path) -> Path:
    """A model saved with its config (xor's): it has its data."""
    from backprop_cli.config import load_config
    from backprop_cli.network import Network

    cfg = load_config(Path(__file__).parent.parent / "configs" / "xor.yaml")
    save_model(tmp_path / "cfg.npz", Network.from_config(cfg), cfg)
    return tmp_path / "cfg.npz"


def test_save_model_refuses_what_is_not_a_config_with_a_type_error(tmp_path):
    """README: an object of the wrong kind where a Config is expected is a TypeError; a dict was an
    AttributeError ('dict' object has no attribute 'network')."""
    from backprop_cli.errors import ConfigError
    from backprop_cli.network import Network

    net = Network([2, 3, 1])
    with pytest.raises(TypeError, match=r"^config: a dict; expected a backprop_cli.config.Config .* or None for a "
                                        r"network trained on your own arrays$"):
        save_model(tmp_path / "m.npz", net, {"network": {"layers": [2, 3, 1]}})
    with pytest.raises(ConfigError, match=r"^save_model: 3 class names for 1 output; expected 2"):
        save_model(tmp_path / "m.npz", net, class_names=("a", "b", "c"))
    assert not (tmp_path / "m.npz").exists()


@pytest.mark.parametrize("links", [True, False])
def test_predict_out_written_meanwhile_by_another_run_is_left_alone(iris, tmp_path, monkeypatch, links):
    """Two `predict --out pp.csv` at once both said `wrote …` (exit 0, no --overwrite): the check
    is at start, and the final rename replaced the other's file. The final step now refuses a
    file that exists, atomically (a hard link; without hard links, a name claimed with O_EXCL)."""
    import errno

    from backprop_cli.prediction import Predictions

    out = tmp_path / "pp.csv"
    to_csv = Predictions.to_csv

    def other_writer_finishes_first(self):
        out.write_text("the other run's predictions\n")
        return to_csv(self)

    monkeypatch.setattr(Predictions, "to_csv", other_writer_finishes_first)
    if not links:
        def no_hard_links(src, dst):
            raise OSError(errno.EPERM, "Operation not permitted")
        monkeypatch.setattr(os, "link", no_hard_links)
    r = invoke("predict", iris[0], IRIS_CSV, "--out", out)
    assert r.exit_code == 2 and r.stdout == "", r.output
    assert r.stderr.splitlines() == [f"error: --out {out}: already exists; refusing to overwrite it",
                                     "hint: pass --overwrite to replace it, or choose another file name"]
    assert out.read_text() == "the other run's predictions\n"
    assert [p.name for p in tmp_path.iterdir()] == ["pp.csv"]  # no temporary file left
    monkeypatch.setattr(Predictions, "to_csv", to_csv)
    out.unlink()
    r = invoke("predict", iris[0], IRIS_CSV, "--out", out)
    assert r.exit_code == 0 and out.read_text() == invoke("predict", iris[0], IRIS_CSV).stdout, r.output
    assert [p.name for p in tmp_path.iterdir()] == ["pp.csv"]
    mode = out.stat().st_mode & 0o777
    assert mode == 0o666 & ~_umask(), oct(mode)  # the permissions of a new file, not mkstemp's 0600
    monkeypatch.setattr(Predictions, "to_csv", other_writer_finishes_first)
    r = invoke("predict", iris[0], IRIS_CSV, "--out", out, "--overwrite")  # asked for: replaced
    assert r.exit_code == 0 and out.read_text().startswith("species,"), r.output


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_the_moved_data_advice_quotes_its_paths(tmp_path):
    """The model's data file moved, evaluated from its copy: the warning's `backprop config show RUN/config.yaml
    --set data.path=COPY` named 'run 1/config.yaml' and 'iris copia.csv' bare, which the shell splits."""
    import shlex
    import shutil

    (tmp_path / "data").mkdir()
    shutil.copy(IRIS_CSV, tmp_path / "data" / "iris.csv")
    cfg = tmp_path / "c.yaml"
    cfg.write_text("data: {path: data/iris.csv, target: species, standardize: true}\nnetwork: {layers: [4, 3], "
                   "output_activation: softmax}\ncost: cross_entropy\ntraining: {epochs: 2}\n")
    run = tmp_path / "Clase de Año" / "run 1"
    assert invoke("train", cfg, "--out", run, "-q").exit_code == 0
    (tmp_path / "x y").mkdir()
    copy = tmp_path / "x y" / "iris copia.csv"
    shutil.move(tmp_path / "data" / "iris.csv", copy)
    r = invoke("evaluate", run, "--data", copy)
    assert r.exit_code == 0 and "its own test split: --data with the config `" in r.stderr, r.output
    command = r.stderr.split("--data with the config `")[1].split("`")[0]
    words = shlex.split(command)
    assert words[:4] == ["backprop", "config", "show", str(run / "config.yaml")], command
    assert words[4] == "--set" and words[5].startswith("data.path=") and words[5].endswith("iris copia.csv"), command


def test_a_model_of_one_hot_columns_as_numbers_evaluates_on_a_config_reading_them_as_classes(tmp_path):
    """A model trained before data.task: auto read one-hot target columns as classes (its files say data.task: auto):
    evaluate RUN --data RUN/config.yaml said 'the data is classification but the model … does regression', with
    no word of data.task: regression; it reads the config's columns as numbers, as the model fit them. Targets
    that still read as another task than the model's are refused naming the field that reads them as it does."""
    config, run = run_on_one_hot_columns_as_numbers(tmp_path, invoke)
    own = ok_json("evaluate", run, "--json")
    given = ok_json("evaluate", run, "--data", run / "config.yaml", "--json")
    assert given["task"] == "regression" and given["n_samples"] == own["n_samples"] == 6
    assert given["cost"] == pytest.approx(own["cost"], rel=1e-12) and given["outputs"] == own["outputs"]
    # one column of 0s and 1s, which data.task: auto reads as two classes, one output
    np.savez(tmp_path / "w.npz", X=np.random.default_rng(1).normal(size=(30, 2)), y=np.arange(30) % 2)
    config.write_text(json.dumps({"data": {"path": str(tmp_path / "w.npz"), "test_fraction": 0.2, "task": "regression"},
                                  "network": {"layers": [2, 4, 1], "output_activation": "linear"},
                                  "cost": "half_squared_error", "training": {"epochs": 2}}))
    assert invoke("train", config, "--out", tmp_path / "whole", "--quiet").exit_code == 0
    auto = tmp_path / "auto.yaml"
    auto.write_text(config.read_text().replace('"task": "regression"', '"task": "auto"'))
    r = invoke("evaluate", tmp_path / "whole", "--data", auto)
    assert r.exit_code == 2, r.output
    assert f"error: {auto}: the data is classification but the model" in r.output, r.output
    assert f"hint: set data.task: regression in {auto} to read its targets as numbers, as the model does" in r.output


def _whole_words(text: str) -> list[str]:
    import re

    return re.findall(r"[^\s│┃:]+", text)


@pytest.mark.parametrize("width", range(40, 47))
def test_the_regression_table_never_cuts_a_figure_on_a_narrow_console(width):
    """At COLUMNS=40 evaluate of sine read '│ y │ 0.0131… │ 0.0898… │ 0.9719… │' (and '0.01310…' at 42):
    below 44 columns the boxed table is too wide for its figures. It loses its borders (37 columns), then
    stacks each output on lines of its own; a figure is never cut."""
    from rich.console import Console

    from backprop_cli.render.evaluate import _regression_table

    Y = np.array([[0.1, 1.0], [0.3, 2.0], [0.7, 3.0]])
    A = Y + np.array([[0.0131054, 0.05], [-0.2, 0.1], [0.1, -0.0898923]])
    for names in (("y",), ("y", "petal_width_in_cm")):
        outputs = regression_metrics(Y[:, :len(names)], A[:, :len(names)], names)
        console = Console(width=width, record=True)
        console.print(_regression_table(outputs, width))
        text = console.export_text()
        assert "…" not in text and max(map(len, text.splitlines())) <= width, text
        words = _whole_words(text)
        for o in outputs:
            for figure in (o.name, f"{o.mse:.6g}", f"{o.mae:.6g}", f"{o.r2:.6g}"):
                assert figure in words, text


@pytest.mark.parametrize("width", [28, 30, 32, 33, 34, 40])
def test_evaluates_cost_line_never_cuts_its_label_on_a_narrow_console(sine, width):
    """At 30-32 columns evaluate of sine read 'cost (half_squared_err…': the cost's table, left to rich
    below the width of '(half_squared_error)' and its figure, cut the label. It stacks there
    ('cost (half_squared_error):' / '  0.00655269'), as the other tables do; every word whole."""
    r = runner.invoke(app, ["evaluate", str(sine)], env={"COLUMNS": str(width)})
    assert r.exit_code == 0, r.output
    lines = r.output.splitlines()  # (the first two, the model's path and the data's, wrap as the terminal does)
    assert "…" not in r.output and max(map(len, lines[2:])) <= width, r.output
    cost = ok_json("evaluate", sine, "--json")["cost"]
    words = _whole_words(r.output)
    assert "(half_squared_error)" in words and f"{cost:.6g}" in words, r.output


@pytest.mark.parametrize("width", [24, 30, 36])
def test_evaluates_cost_and_penalty_rows_stack_whole_under_l2(width):
    from rich.console import Console

    from backprop_cli.render import SUB_ROW
    from backprop_cli.render.evaluate import _summary
    from backprop_cli.render.train import PENALTY_LABEL

    rows = [("cost (cross_entropy + L2)", "0.0358123", None), (PENALTY_LABEL, "0.0115123", SUB_ROW),
            ("accuracy", "98.3%", None)]
    console = Console(width=width, record=True)
    console.print(_summary(rows, width))
    text = console.export_text()
    assert "…" not in text and max(map(len, text.splitlines())) <= width, text
    words = _whole_words(text)
    assert all(w in words for w in ("(cross_entropy", "L2)", "0.0358123", "0.0115123", "accuracy", "98.3%")), text


@pytest.mark.parametrize("how", ["missing", "changed"])
def test_fit_columns_falls_back_to_the_next_layout_without_richs_internals(monkeypatch, how):
    """render.fit_columns reads rich's private Table._measure_column (and _extra_width, _get_padding_width,
    Column._index) under an unbounded rich>=14.3.2: a rich without them, or with another signature, gets the
    next layout (each row stacked), not a traceback. A table-like renderable without them is measured by
    rich's public Measurement: it fits where its widest line does."""
    from rich.measure import Measurement
    from rich.table import Table

    from backprop_cli.render import fit_columns
    from backprop_cli.render.evaluate import _class_table, _summary

    if how == "missing":
        monkeypatch.delattr(Table, "_measure_column")
    else:
        def changed(self, *args, **kwargs):
            raise TypeError("_measure_column() takes 2 positional arguments but 4 were given")
        monkeypatch.setattr(Table, "_measure_column", changed)
    table = Table()
    table.add_column("a")
    assert fit_columns(table, 200) is False
    assert isinstance(_summary([("cost (cross_entropy)", "0.0404084", None)], 200), Text)
    m = classification_metrics(np.eye(3)[[0, 1, 2, 2]], np.eye(3)[[0, 1, 2, 1]], IRIS_CLASSES)
    stacked = _class_table(m, 200)
    assert not isinstance(stacked, Table) and "setosa: precision 100.0%" in _plain(stacked, 200), _plain(stacked, 200)

    class Plain:  # no private internals at all: rich's public measure alone
        columns: list = []

        def __rich_console__(self, console, options):
            yield "x" * 50

        def __rich_measure__(self, console, options):
            return Measurement(10, 50)

    assert fit_columns(Plain(), 50) is True and fit_columns(Plain(), 49) is False


def _plain(renderable, width: int) -> str:
    from rich.console import Console

    console = Console(width=width, record=True)
    console.print(renderable)
    return console.export_text()


@pytest.mark.parametrize("width", [40, 44, 48])
def test_the_class_table_never_folds_a_class_name_inside_a_word(width):
    """At COLUMNS=40 evaluate of iris folded its names mid-word: 'clas' / 's', 'seto' / 'sa', 'vers' /
    'icol' / 'or', 'macr' / 'o avg'. Without its borders the table fits them whole."""
    from rich.console import Console

    from backprop_cli.render.evaluate import _class_table

    m = classification_metrics(np.eye(3)[[0, 1, 2, 2]], np.eye(3)[[0, 1, 2, 1]], ("setosa", "versicolor", "virginica"))
    console = Console(width=width, record=True)
    console.print(_class_table(m, width))
    text = console.export_text()
    assert "…" not in text and max(map(len, text.splitlines())) <= width, text
    assert any(line.lstrip("│ ").startswith("macro avg ") for line in text.splitlines()), text
    words = _whole_words(text)
    for word in ("class", "setosa", "versicolor", "virginica", "macro", "avg", "100.0%", "66.7%"):
        assert word in words, text


@pytest.mark.parametrize("width, layout", [(54, "true \\ predicted"), (53, "true\\pred"), (48, "true\\pred"),
                                           (41, "true\\pred"), (40, "too wide")])
def test_a_3_by_3_confusion_matrix_fits_down_to_41_columns_with_a_short_corner(width, layout):
    """At COLUMNS=53 iris's confusion matrix was 'too wide for 53 columns': its corner cell
    ``true \\ predicted`` took 18 of the 54 the table needed. Below that the corner is ``true\\pred``,
    said in the caption (48 columns boxed, 41 without borders); every count and name whole."""
    import io

    from rich.console import Console

    from backprop_cli.render.evaluate import SHORT_CORNER_CAPTION, _print_confusion

    names = ("setosa", "versicolor", "virginica")
    m = classification_metrics(np.eye(3)[[0] * 50 + [1] * 50 + [2] * 50],
                               np.eye(3)[[0] * 50 + [1] * 49 + [2] + [1] + [2] * 49], names)
    out = io.StringIO()
    _print_confusion(Console(file=out, width=width, highlight=False), m)
    text = out.getvalue()
    assert layout in text and max(map(len, text.splitlines())) <= width, text
    if layout != "too wide":
        words = _whole_words(text)
        assert all(w in words for w in (*names, "50", "49", "1")), text
        assert (SHORT_CORNER_CAPTION in text) == (layout == "true\\pred"), text


@pytest.mark.parametrize("args", [["predict", "-", "-"], ["evaluate", "-"], ["explain", "--model", "-", "--layer", "1"],
                                  ["gradcheck", "--model", "-"]])
def test_a_model_given_as_standard_input_is_told_where_dash_reads(args, tmp_path, monkeypatch):
    """`predict - -` said '-: model file not found (make one with: backprop train CONFIG --out -)', a run
    folder named '-' that no one means: '-' reads standard input for rows and configs, never for a model."""
    monkeypatch.chdir(tmp_path)
    r = invoke(*args)
    assert r.exit_code == 2 and r.stdout == "" and r.stderr.splitlines() == [
        "error: -: a model cannot be read from standard input ('-' reads it only for a CSV of rows, predict's "
        "INPUT_CSV and evaluate --data, and for a CONFIG); give the model's file or its run folder",
        "hint: backprop train CONFIG --out DIR makes one: give DIR (or DIR/model.npz)"], r.stderr


def test_a_mistyped_run_folder_or_model_is_offered_its_look_alike(iris, tmp_path, monkeypatch):
    """`predict runs/housee house.csv`, `evaluate runs/moon`, `gradcheck --model runs/iris3` said only
    'runs/housee: model file not found': as plot says of a run folder, how one is made, and the run or
    model file beside it whose name is nearest, `did you mean runs/iris?`."""
    import shutil

    runs = tmp_path / "runs"
    shutil.copytree(iris[0].parent, runs / "iris")
    monkeypatch.chdir(tmp_path)
    for args in (["predict", "runs/irs", IRIS_CSV], ["evaluate", "runs/iriss"], ["gradcheck", "--model", "runs/iris3"],
                 ["explain", "--model", "runs/Iris", "--layer", "1"]):
        r = invoke(*args)
        typed = next(str(a) for a in args if str(a).startswith("runs/"))
        assert r.exit_code == 2 and r.stdout == ""
        assert r.stderr.splitlines() == [
            f"error: {typed}: model file not found (make one with: backprop train CONFIG --out {typed})",
            "hint: did you mean runs/iris?"], r.stderr
    r = invoke("evaluate", "runs/irs/model.npz")  # the run's folder mistyped: its model offered
    assert r.stderr.splitlines() == [
        "error: runs/irs/model.npz: model file not found (make one with: backprop train CONFIG --out runs/irs)",
        "hint: did you mean runs/iris/model.npz?"], r.stderr
    r = invoke("evaluate", "runs/iris/modle.npz")  # a model file beside it
    assert r.stderr.splitlines() == ["error: runs/iris/modle.npz: model file not found",
                                     "hint: did you mean runs/iris/model.npz?"], r.stderr
    r = invoke("evaluate", "runs/house")  # nothing near: how a run is made, no guess
    assert r.stderr.splitlines() == [
        "error: runs/house: model file not found (make one with: backprop train CONFIG --out runs/house)"], r.stderr
    unfinished = runs / "unf"  # an interrupted run (a checkpoint, no model yet): its model.npz gets the folder's way
    unfinished.mkdir()
    shutil.copy(runs / "iris" / "checkpoint.npz", unfinished / "checkpoint.npz")
    folder, model = invoke("evaluate", "runs/unf"), invoke("evaluate", "runs/unf/model.npz")
    assert folder.exit_code == model.exit_code == 2
    assert model.stderr.splitlines() == ["error: runs/unf/model.npz: model file not found",
                                         folder.stderr.splitlines()[1]], model.stderr  # not 'make one with: …'
    assert "--out runs/unf --resume" in folder.stderr.splitlines()[1], folder.stderr
    r = invoke("plot", "runs/irsi")  # plot's run folder not found names the look-alike too
    assert r.exit_code == 2 and r.stderr.splitlines() == [
        "error: runs/irsi: run folder not found (make one with: backprop train CONFIG --out runs/irsi)",
        "hint: did you mean runs/iris?"], r.stderr


def test_predict_on_a_file_whose_header_row_is_missing_says_so(iris, tmp_path):
    """iris.csv without its header line: the first row, four numbers and a class name, was listed as
    the columns the file has; most of its cells are numbers, so the hint says the header looks missing."""
    headless = tmp_path / "headless.csv"
    headless.write_text("".join(IRIS_CSV.read_text().splitlines(keepends=True)[1:]))
    r = invoke("predict", iris[0], headless)
    assert r.exit_code == 2 and r.stdout == ""
    lines = r.stderr.splitlines()
    assert lines[0].startswith(f"error: {headless}: columns sepal_length, sepal_width, petal_length, petal_width not "
                               "found"), r.stderr
    assert lines[1:] == ["hint: the header row looks missing: most of the first row's cells are numbers, data rather "
                         "than column names; add a line with the column names above it"], r.stderr


def test_evaluate_names_a_float32_model_in_its_header(tmp_path):
    """A float32 model computes its outputs and cost in float32: evaluate's header line names it, as
    train's summary line does ('· float32'); a float64 model's says nothing of it."""
    out = tmp_path / "f32"
    assert invoke("train", "--set", "training.dtype=float32", "--epochs", "2", "--out", out, "-q").exit_code == 0
    r = invoke("evaluate", out)
    assert r.exit_code == 0 and r.stdout.splitlines()[0] == (
        f"{out / 'model.npz'} · 2-3-1 sigmoid/sigmoid, squared_error · float32"), r.stdout


def test_a_float32_models_predictions_are_written_with_float32_digits(tmp_path):
    """A float32 model's predict wrote -0.050623685121536255, the float64 digits of a float32 value: each
    number is written with the shortest digits that read back as the same float32 (numpy's float32
    repr), in the CSV and as --json numbers, classification (p_0 = 1 − a too) and regression alike."""
    import numpy as np

    from backprop_cli.model_io import load_model
    from backprop_cli.prediction import model_schema, predict

    inputs = tmp_path / "in.csv"
    inputs.write_text("x0,x1\n0,1\n1,1\n0.3,0.7\n")
    for name, sets in (("xor", []), ("sine", ["--set", "data.dataset=sine", "--set", "network.layers=[1, 4, 1]",
                                              "--set", "network.output_activation=linear",
                                              "--set", "cost=half_squared_error"])):
        out = tmp_path / name
        r = invoke("train", "--set", "training.dtype=float32", *sets, "--epochs", "3", "--out", out, "-q")
        assert r.exit_code == 0, r.output
        data = inputs if name == "xor" else tmp_path / "x.csv"
        if name == "sine":
            data.write_text("x\n0.1\n-2.5\n3\n")
        saved = load_model(out)
        schema = model_schema(saved)
        X = np.loadtxt(data, delimiter=",", skiprows=1, ndmin=2)
        exact = predict(saved, schema, X).values  # the float32 numbers themselves
        assert exact.dtype == np.float32
        r = invoke("predict", out, data)
        assert r.exit_code == 0, r.output
        rows = list(csv.reader(io.StringIO(r.stdout)))[1:]
        cells = [row[1:] if name == "xor" else row for row in rows]
        for row, numbers in zip(cells, exact):
            assert [np.float32(float(c)) for c in row] == list(numbers)  # reads back the same
            assert row == [repr(float(str(v))) for v in numbers]  # the shortest digits that do
            assert all(len(c.lstrip("-").replace(".", "").lstrip("0").split("e")[0]) <= 9 for c in row), row
        records = json.loads(invoke("predict", out, data, "--json").stdout)
        numbers_json = [[rec[c] for c in rec if isinstance(rec[c], float)] for rec in records]
        assert numbers_json == [[float(c) for c in row] for row in cells]
