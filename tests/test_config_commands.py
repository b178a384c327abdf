"""`backprop config show`, `backprop config validate` and `backprop init` through CliRunner."""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path

import numpy as np
import pytest
import yaml
from typer.testing import CliRunner

from backprop_cli.cli import app
from backprop_cli.commands.init import DATASET_NAMES
from backprop_cli.config import DATASETS, DataConfig, NetworkConfig, TrainingConfig, load_config
from backprop_cli.scaffold import STARTERS, resolved_dict

ROOT = Path(__file__).resolve().parents[1]
runner = CliRunner()


def invoke(*args):
    return runner.invoke(app, [str(a) for a in args])


def train_json(*args):
    r = invoke("train", *args, "--json")
    assert r.exit_code == 0, r.output
    return json.loads(r.stdout)


def field_names(cls) -> set[str]:
    return {f.name for f in dataclasses.fields(cls)}


# --- config show --------------------------------------------------------------------


@pytest.mark.parametrize("config", [None, "circles.yaml", "iris.yaml"])
def test_show_prints_every_key_and_round_trips_through_train(tmp_path, config):
    args = [] if config is None else [ROOT / "configs" / config]
    r = invoke("config", "show", *args)
    assert r.exit_code == 0, r.output
    shown = yaml.safe_load(r.stdout)
    assert set(shown) == {"seed", "data", "network", "cost", "training"}
    assert set(shown["data"]) == field_names(DataConfig)
    assert set(shown["network"]) == field_names(NetworkConfig)
    assert set(shown["training"]) == field_names(TrainingConfig)
    saved = tmp_path / "shown.yaml"
    saved.write_text(r.stdout)
    original = load_config(args[0] if args else None)
    assert resolved_dict(load_config(saved)) == resolved_dict(original)  # showing it again: the same
    # training the shown config is training the original one, to the bit
    unstable = ("config", "seconds")
    again, before = train_json(saved, "--epochs", "3"), train_json(*args, "--epochs", "3")
    assert {k: v for k, v in again.items() if k not in unstable} == {
        k: v for k, v in before.items() if k not in unstable}


def test_show_fills_generator_defaults_and_applies_set():
    shown = yaml.safe_load(invoke("config", "show", ROOT / "configs" / "circles.yaml").stdout)
    assert shown["training"]["batch_size"] == 16 and shown["network"]["output_activation"] == "sigmoid"
    default = yaml.safe_load(invoke("config", "show").stdout)
    assert default["data"]["noise"] == 0.0 and default["data"]["n_samples"] is None  # xor truth table
    assert default["data"]["test_fraction"] == 0.0 and default["training"]["batch_size"] == "full"
    r = invoke("config", "show", "--set", "data.dataset=moons", "--set", "training.epochs=7")
    shown = yaml.safe_load(r.stdout)
    assert shown["training"]["epochs"] == 7 and shown["data"]["n_samples"] == 200
    assert shown["data"]["noise"] == 0.1 and shown["data"]["classes"] is None
    r = invoke("config", "show", "--set", "training.epoch=7")
    assert r.exit_code == 2 and "did you mean epochs" in r.output


def test_show_says_what_a_null_default_means():
    """"every default filled in", yet log_every: null: the line says what null stands for."""
    lines = invoke("config", "show").stdout.splitlines()
    assert "  log_every: null  # about ten progress lines per run" in lines
    assert "  checkpoint_every: null  # with --out: about ten checkpoints per run" in lines
    assert "  n_samples: null  # the built-in data set's own size" in lines
    from_file = invoke("config", "show", ROOT / "configs" / "iris.yaml").stdout
    assert "  target: [species]" in from_file and "own size" not in from_file  # no built-in set: no note


def test_show_and_saved_configs_quote_text_that_reads_as_a_number(tmp_path):
    """A column named '1e3' or '0o17' is text; YAML 1.1 (SafeDumper) writes it unquoted, and our
    loader (1e3 a number, as YAML 1.2) read it back as 1000.0: the shown config, the run's
    config.yaml and the model file's stored config all failed to load again."""
    (tmp_path / "t.csv").write_text("a,1e3,0o17\n1,2,x\n2,1,y\n3,3,x\n4,1,y\n5,2,x\n")
    cfg = tmp_path / "t.yaml"
    cfg.write_text('data: {path: t.csv, target: "0o17"}\nnetwork: {layers: [2, 3, 2], output_activation: '
                   'softmax}\ncost: cross_entropy\ntraining: {epochs: 2}\n')
    shown = invoke("config", "show", cfg)
    assert shown.exit_code == 0, shown.output
    (tmp_path / "shown.yaml").write_text(shown.stdout)
    assert resolved_dict(load_config(tmp_path / "shown.yaml")) == resolved_dict(load_config(cfg))
    assert load_config(tmp_path / "shown.yaml").data.target == ("0o17",)
    r = invoke("train", cfg, "--out", tmp_path / "run", "--quiet")
    assert r.exit_code == 0, r.output
    assert load_config(tmp_path / "run" / "config.yaml").data.target == ("0o17",)
    r = invoke("evaluate", tmp_path / "run" / "model.npz")
    assert r.exit_code == 0, r.output
    from backprop_cli.config import Config, parse_yaml

    for text in ("1e3", "+1e5", "-2E-3", "0o17", "010", "1:30", "yes", "0x1F", "-.5", ".5e3", "1:30.0"):
        c = load_config(cfg)
        dumped = Config(c.network, c.data.__class__(path="x.csv", target=(text,)), source="s").to_yaml()
        assert parse_yaml(dumped, "x")["data"]["target"] == [text], dumped


# --- config validate ----------------------------------------------------------------


def test_validate_accepts_a_good_config():
    r = invoke("config", "validate", ROOT / "configs" / "iris.yaml")
    assert r.exit_code == 0, r.output
    assert "iris.yaml: valid (" in r.output
    assert "150 examples (120 train, 30 test)" in r.output and "4-8-3" in r.output
    one = invoke("config", "validate", ROOT / "configs" / "sine.yaml", "--set", "data.n_samples=1",
                 "--set", "data.test_fraction=0")
    assert one.exit_code == 0 and "sine (built-in): 1 example (all for training, no test split)" in one.output


def test_validate_warns_of_a_schedule_that_takes_eta_to_about_0_long_before_the_last_epoch():
    """γ = 0.5 every 10 epochs over xor's 2,000 takes η below 1e-12·η0 by epoch 401, and power_t = 100 by
    epoch 2 (then to 0): validated without a word, trained 1,600 epochs that barely move the weights."""
    xor = ROOT / "configs" / "xor.yaml"
    r = invoke("config", "validate", xor, "--set", "training.schedule=step", "--set", "training.gamma=0.5",
               "--set", "training.step_size=10")
    assert r.exit_code == 0, r.output
    assert " ".join(r.stderr.split()) == (
        "warning: the step schedule takes η from 2 to 1.82e-12 by epoch 401 of 2,000, below 1e-12·η0 = 2e-12: the "
        "1,600 epochs from it on barely move the weights; raise training.gamma (0.5) or training.step_size (10)")
    j = invoke("config", "validate", xor, "--set", "training.schedule=inverse", "--set", "training.power_t=100",
               "--set", "training.epochs=2", "--json")
    assert j.exit_code == 0, j.output
    assert json.loads(j.stdout)["warnings"] == [
        "the inverse schedule takes η from 2 to 1.58e-30 by epoch 2 of 2, below 1e-12·η0 = 2e-12: that epoch barely "
        "moves the weights; lower training.power_t (100)"]
    for sets in (["training.epochs=400", "training.schedule=step", "training.gamma=0.5", "training.step_size=10"],
                 ["training.schedule=step", "training.gamma=0.5"], ["training.schedule=inverse"], []):
        quiet = invoke("config", "validate", xor, *[w for s in sets for w in ("--set", s)])
        assert quiet.exit_code == 0 and "warning" not in quiet.stderr, (sets, quiet.stderr)


@pytest.mark.parametrize("sets, rate", [
    (["training.optimizer=momentum", "training.nesterov=true", "training.learning_rate=0.05"],
     "momentum (Nesterov) η = 0.05"),
    (["training.optimizer=momentum", "training.learning_rate=0.05"], "momentum η = 0.05"),
    (["training.learning_rate=1", "training.schedule=step", "training.step_size=100", "training.gamma=0.5"],
     "sgd η = 1 → 0.125 (step schedule)"),
    (["training.optimizer=adam", "training.learning_rate=0.01"], "adam η = 0.01"),
    # 400^200 overflows a float: OverflowError from the summary; η underflows to 0
    (["training.schedule=inverse", "training.power_t=200"], "sgd η = 2 → 0 (inverse schedule)"),
    # μ, β1, β2, ε when not their defaults, λ when not 0: the line showed none of them
    (["training.optimizer=momentum", "training.nesterov=true", "training.momentum=0.95", "training.learning_rate=0.05"],
     "momentum (Nesterov) η = 0.05, μ = 0.95"),
    (["training.optimizer=adam", "training.learning_rate=0.01", "training.beta2=0.99"], "adam η = 0.01, β2 = 0.99"),
    (["training.optimizer=adam", "training.learning_rate=0.01", "training.beta1=0.8", "training.epsilon=1e-6",
      "training.l2=0.001"], "adam η = 0.01, β1 = 0.8, ε = 1e-06, λ = 0.001"),
    (["training.learning_rate=0.5", "training.l2=0.01"], "sgd η = 0.5, λ = 0.01"),
    (["training.learning_rate=0.5", "training.momentum=0.5", "training.beta2=0.9"], "sgd η = 0.5"),  # not read by sgd
])
def test_validate_names_the_optimizer_and_schedule_as_trains_summary_does(sets, rate):
    """`config validate` of a config with `nesterov: true` read `momentum η = 0.05`, and of a step
    schedule `sgd η = 1`: its summary names them as train's last line does (η at the last epoch)."""
    options = [w for s in ["training.epochs=400", *sets] for w in ("--set", s)]
    r = invoke("config", "validate", ROOT / "configs" / "xor.yaml", *options)
    assert r.exit_code == 0, r.output
    assert f"400 epochs, {rate}, batch " in r.stdout, r.stdout
    trained = invoke("train", ROOT / "configs" / "xor.yaml", "--quiet", *options)
    assert trained.exit_code == 0, trained.output
    assert f" · 400 epochs · {rate} · batch " in trained.stdout.splitlines()[-1], trained.stdout


@pytest.mark.parametrize("sets, nesterov", [
    (["training.optimizer=momentum", "training.nesterov=true"], True),
    (["training.optimizer=momentum", "training.nesterov=false"], False),
    (["training.optimizer=momentum"], False),
    ([], False),
])
def test_train_json_says_whether_nesterov_momentum_trained(sets, nesterov):
    """`train --json` of a `nesterov: true` config gave `"optimizer": "momentum"` alone: scripts could
    not tell Nesterov's momentum from the plain one. "optimizer" keeps its values."""
    data = train_json(ROOT / "configs" / "xor.yaml", "--epochs", "3", *[w for s in sets for w in ("--set", s)])
    assert data["nesterov"] is nesterov
    assert data["optimizer"] == ("momentum" if sets else "sgd")


@pytest.mark.parametrize("sets, batch", [(["training.batch_size=32"], "full"), (["training.batch_size=3"], "3"),
                                         (["data.n_samples=100", "training.batch_size=32"], "32")])
def test_validate_says_the_batch_as_train_does(sets, batch):
    """`config validate` of xor with the default batch_size 32 said `batch 32` where train, over its 4 rows,
    says `batch full`: a batch that holds the whole training split is full in both."""
    options = [w for s in ["training.epochs=2", *sets] for w in ("--set", s)]
    r = invoke("config", "validate", ROOT / "configs" / "xor.yaml", *options)
    assert r.exit_code == 0, r.output
    assert r.stdout.rstrip().endswith(f", batch {batch})"), r.stdout
    trained = invoke("train", ROOT / "configs" / "xor.yaml", "--quiet", *options)
    assert f" · batch {batch} · " in trained.stdout.splitlines()[-1], trained.stdout


def test_validate_groups_the_thousands_as_gradcheck_and_the_readme_write_them():
    """digits read "1797 examples (1438 train, 359 test) … 2410 parameters" where gradcheck says
    "2,410" and the README "10,000 epochs"."""
    r = invoke("config", "validate", ROOT / "configs" / "digits.yaml", "--set", "training.epochs=10000")
    assert r.exit_code == 0, r.output
    text = " ".join(r.output.split())
    assert "1,797 examples (1,438 train, 359 test)" in text and "2,410 parameters; 10,000 epochs" in text, text


@pytest.mark.parametrize(
    "text,needle",
    [
        ("network: {layers: [3, 4, 1]}\n", "network.layers[0]: 3 does not match the data"),  # needs the data
        ("network: {layers: [2, 4, 1]}\ndata: {path: missing.csv}\n", "missing.csv"),
        ("network: {layers: [2, 4, 1]}\ncost: hinge\n", "cost: hinge is not one of"),
        ("network: [2, 4, 1\n", "YAML error"),
    ],
)
def test_validate_reports_the_error(tmp_path, text, needle):
    p = tmp_path / "bad.yaml"
    p.write_text(text)
    r = invoke("config", "validate", p)
    assert r.exit_code == 2 and needle in r.output and r.output.startswith("error: ")
    assert ": valid (" not in r.output and "Traceback" not in r.output


def test_validate_needs_a_file():
    r = invoke("config", "validate")
    assert r.exit_code == 2 and "Missing argument 'CONFIG'" in r.output  # named as in its usage line
    assert "backprop config validate [OPTIONS] CONFIG" in " ".join(invoke("config", "validate", "--help").output.split()).replace("{", "").replace("}", "")
    r = invoke("config", "validate", "nope.yaml")
    assert r.exit_code == 2 and "nope.yaml: config file not found" in r.output


def test_validate_json_of_a_valid_config_has_the_line_s_summary_and_its_notes():
    """`config validate --json` did not exist (train, gradcheck, predict and evaluate have --json)."""
    iris = ROOT / "configs" / "iris.yaml"
    line = invoke("config", "validate", iris, "--set", "training.early_stopping=true")
    r = invoke("config", "validate", iris, "--set", "training.early_stopping=true", "--json")
    assert r.exit_code == 0, r.output
    result = json.loads(r.stdout)
    assert line.stdout.strip() == f"{iris}: valid ({result['summary']})"
    assert (result["valid"], result["file"], result["errors"], result["warnings"]) == (True, str(iris), [], [])
    assert result["layers"] == [4, 8, 3] and result["examples"] == {"train": 120, "validation": None, "test": 30}
    assert len(result["notes"]) == 1 and result["notes"][0].startswith("training.early_stopping watches the test")
    assert r.stderr == line.stderr  # the note on stderr too, as without --json
    assert set(result) == {"valid", "file", "summary", "errors", "notes", "warnings", "layers", "examples"}


def test_validate_notes_one_hot_target_columns_read_as_classes_as_train_does(tmp_path):
    """train's note that several one-hot target columns are read as classes was not given by
    config validate, which gives its sibling note of whole numbers read as classes."""
    from backprop_cli.config import load_config
    from backprop_cli.experiment import one_hot_note, prepare

    labels = np.arange(12) % 3
    X = np.random.default_rng(0).normal(size=(12, 2)) + labels[:, None]
    np.savez(tmp_path / "d.npz", X=X, y=np.eye(3)[labels])
    config = tmp_path / "c.yaml"
    config.write_text(f"data: {{path: {tmp_path / 'd.npz'}}}\ncost: cross_entropy\n"
                      "network: {layers: [2, 4, 3], output_activation: softmax}\n")
    note = one_hot_note(load_config(config), prepare(load_config(config)).train)  # train's note, its words
    assert note is not None and note.startswith(f"the targets of {tmp_path / 'd.npz'} (y0, y1, y2): every row is one-hot")
    r = invoke("config", "validate", config, "--json")
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["notes"] == [note]
    assert " ".join(r.stderr.split()) == f"note: {note}"
    r = invoke("config", "validate", config, "--json", "--set", "data.task=regression")
    assert r.exit_code == 0 and json.loads(r.stdout)["notes"] == [], r.output


@pytest.mark.parametrize("text, field, position", [
    ("network: {layers: [2, 4, 3]}\ndata: {dataset: circles}\n", "network.layers[-1]", None),
    ("network: {layers: [2, '4', 1]}\n", "network.layers[1]", None),
    ("network: {layers: [2, 4, 1]}\ntraining: {learnig_rate: 0.1}\n", "training.learnig_rate", None),
    ("foo: 1\nnetwork: {layers: [2, 4, 1]}\n", "foo", None),  # a top-level unknown key: it was null
    ("network: {layers: [2, 4, 1]}\ncost: hinge\n", "cost", None),
    ("network:\n  layers: [2, 4, 1\n", None, (2, 11)),
])
def test_validate_json_of_an_invalid_config_names_the_field_and_exits_2(tmp_path, text, field, position):
    p = tmp_path / "bad.yaml"
    p.write_text(text)
    r = invoke("config", "validate", p, "--json")
    assert r.exit_code == 2, r.output
    result = json.loads(r.stdout)
    error_line = r.stderr.splitlines()[0]  # the error line is said on stderr as without --json
    assert error_line.startswith("error: ") and not invoke("config", "validate", p).stdout
    assert (result["valid"], result["file"], result["summary"]) == (False, str(p), None)
    assert [e["message"] for e in result["errors"]] == [error_line.removeprefix("error: ")]
    assert result["errors"][0]["field"] == field
    if position is not None:
        assert (result["errors"][0]["line"], result["errors"][0]["column"]) == position


@pytest.mark.parametrize("data, network, sets, field", [
    # a memory error whose largest part is the network's: 'network.layers [2, 100000, 100000, 1]: training …'
    ("{dataset: circles}", "[2, 100000, 100000, 1]", [], "network.layers"),
    ("{dataset: circles}", "[2, 8, 1]", ["network.layers=[2, 100000, 100000, 1]"], "network.layers"),
    # a data file's column the config names and the file lacks: '…/iris.csv: target column foo (data.target) …'
    ("{path: IRIS, target: foo}", "[4, 8, 3]", [], "data.target"),
    ("{path: IRIS, target: species}", "[4, 8, 3]", ["data.target=foo"], "data.target"),
    ("{path: IRIS, target: species, features: [a, b]}", "[2, 8, 3]", [], "data.features"),
    ("{path: IRIS, target: species}", "[2, 8, 3]", ["data.features=[a, b]"], "data.features"),
])
def test_validate_json_names_the_field_of_a_memory_or_a_data_file_column_error(tmp_path, monkeypatch, data,
                                                                                network, sets, field):
    """Errors of one field whose message does not start with it: "field" was null."""
    from backprop_cli import experiment

    monkeypatch.setattr(experiment, "machine_memory", lambda: (16 * 2**30, "this machine's 16.0 GiB"))
    p = tmp_path / "c.yaml"
    p.write_text(f"data: {data.replace('IRIS', str(ROOT / 'data' / 'iris.csv'))}\nnetwork: {{layers: {network}}}\n")
    r = invoke("config", "validate", p, "--json", *(a for s in sets for a in ("--set", s)))
    assert r.exit_code == 2, r.output
    error = json.loads(r.stdout)["errors"][0]
    assert error["message"] == r.stderr.splitlines()[0].removeprefix("error: ")
    assert error["field"] == field, error


def test_validate_json_of_a_usage_error_or_a_bad_set(monkeypatch, capsys):
    """A usage error (no CONFIG, an unknown option) is valid false on stdout too; a bad --set names its key."""
    import sys

    from backprop_cli import cli

    monkeypatch.setattr(sys, "argv", ["backprop", "config", "validate", "--json"])
    with pytest.raises(SystemExit) as info:
        cli.main()
    out, err = capsys.readouterr()
    assert info.value.code == 2 and err.startswith("error: Missing argument 'CONFIG'.")
    assert json.loads(out) == {"valid": False, "file": None, "summary": None, "notes": [], "warnings": [], "errors": [
        {"field": None, "message": "Missing argument 'CONFIG'.", "hint": "see backprop config validate --help"}]}
    r = invoke("config", "validate", ROOT / "configs" / "xor.yaml", "--set", "training.epoch=5", "--json")
    assert r.exit_code == 2 and json.loads(r.stdout)["errors"][0]["field"] == "training.epoch"


@pytest.mark.parametrize("argv, file", [
    (["--set", "training.epochs=", "5"], None),  # KEY= and its VALUE after a space: 5 was taken for the CONFIG
    (["--set", "training.epochs", "5"], None),  # KEY and VALUE apart: it said "file": "5"
    (["--set", "training.epochs=5", "5"], "5"),  # a whole --set: 5 is the CONFIG, not found
])
def test_validate_json_has_no_file_where_a_sets_value_was_taken_for_config(argv, file, monkeypatch, tmp_path,
                                                                            capsys):
    """README: "file" is CONFIG as given, null for a usage error; a --set's VALUE is no CONFIG."""
    import sys

    from backprop_cli import cli

    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "argv", ["backprop", "config", "validate", "--json", *argv])
    with pytest.raises(SystemExit) as info:
        cli.main()
    out, err = capsys.readouterr()
    assert info.value.code == 2 and err.startswith("error: "), err
    assert json.loads(out)["file"] == file, out


@pytest.mark.parametrize("item, field", [
    ("foo", None),  # no KEY=VALUE: foo is no field (it was reported as "field": "foo")
    ("=5", None),
    ("training", None),  # a section, not a field
    ("training.epochs", "training.epochs"),  # a field, its VALUE left out
    ("training.epochs=", "training.epochs"),  # null: not a whole number
    ("foo=1", "foo"),  # an unknown key, named as the config's unknown keys are
])
def test_validate_json_names_a_field_only_where_a_bad_set_names_one(item, field):
    r = invoke("config", "validate", ROOT / "configs" / "xor.yaml", "--set", item, "--json")
    assert r.exit_code == 2, r.output
    assert json.loads(r.stdout)["errors"][0]["field"] == field


# --- config validate: every field's own error in one pass ----------------------------


def _errors(r):
    """The error lines of a run on stderr (without their 'error: '), and its hint lines kept apart."""
    lines = r.stderr.splitlines()
    return [line.removeprefix("error: ") for line in lines if line.startswith("error: ")]


def _iris_with(tmp_path, **training):
    """A full config, configs/iris.yaml with its data path made absolute and the training values given."""
    text = (ROOT / "configs" / "iris.yaml").read_text().replace("../data/iris.csv", str(ROOT / "data" / "iris.csv"))
    for key, value in training.items():
        text = re.sub(rf"(?m)^  {key}: .*$", f"  {key}: {value}", text)
    p = tmp_path / "bad3.yaml"
    p.write_text(text)
    return p


def test_validate_lists_every_field_s_own_error_in_the_file_s_order(tmp_path):
    """`training: {epochs: 10.5, learning_rate: -1}` was told the learning rate alone; once it was fixed, the
    epochs. One run says both, as the file writes them (learning_rate above epochs in iris.yaml)."""
    p = _iris_with(tmp_path, epochs=10.5, learning_rate=-1)
    r = invoke("config", "validate", p)
    assert r.exit_code == 2 and not r.stdout, r.output
    assert _errors(r) == [f"{p}: training.learning_rate: -1 must be greater than 0",
                          f"{p}: training.epochs: 10.5 is not a whole number"]
    r = invoke("config", "validate", p, "--json")
    assert r.exit_code == 2
    result = json.loads(r.stdout)
    assert result["valid"] is False and result["summary"] is None
    assert [(e["field"], e["message"]) for e in result["errors"]] == list(zip(
        ["training.learning_rate", "training.epochs"], _errors(r)))
    # train keeps to the first one, the same line as before: one error line, exit 2
    r = invoke("train", p)
    assert r.exit_code == 2 and _errors(r) == [f"{p}: training.learning_rate: -1 must be greater than 0"]


def test_a_set_into_a_section_that_is_no_mapping_leaves_the_other_errors_listed(tmp_path):
    """`training: 5` and `seed: x` were both listed, but with `--set training.learning_rate=-2` only
    'training: must be a mapping, not an integer', worded unlike the file's own error. That --set alone is
    left out: both errors are listed, the section's as without it."""
    p = tmp_path / "t5.yaml"
    p.write_text("data: {dataset: xor}\nnetwork: {layers: [2, 3, 1]}\ntraining: 5\nseed: x\n")
    said = [f"{p}: training: must be a mapping of keys, not an integer (5)",
            f"{p}: seed: x is not a whole number of at least 0 (string)"]
    for sets in ([], ["--set", "training.learning_rate=-2"], ["--set", "training.epochs=3", "--set", "cost=abc"]):
        r = invoke("config", "validate", p, *sets)
        assert r.exit_code == 2 and _errors(r)[:2] == said, r.output
    assert _errors(r)[2].startswith("--set cost=abc: abc is not one of"), r.output
    r = invoke("config", "validate", p, "--set", "training.learning_rate=-2", "--json")
    assert [(e["field"], e["message"]) for e in json.loads(r.stdout)["errors"]] == list(zip(["training", "seed"], said))
    r = invoke("train", p, "--set", "training.learning_rate=-2")
    assert r.exit_code == 2 and _errors(r) == said[:1], r.output


@pytest.mark.parametrize("text, fields", [
    ("training: {epochs: 0, bogus: 1, learning_rate: abc}\ncost: cross_entroy\n"
     "network: {layers: [2, x, 1], activation: tanhh}\nfoo: 1\ndata: {dataset: circle}\n",
     ["training.epochs", "training.bogus", "training.learning_rate", "cost", "network.layers[1]",
      "network.activation", "foo", "data.dataset"]),
    ("data: {dataset: circle}\nfoo: 1\nnetwork: {activation: tanhh, layers: [2, x, 1]}\n"
     "cost: cross_entroy\ntraining: {learning_rate: abc, bogus: 1, epochs: 0}\n",
     ["data.dataset", "foo", "network.activation", "network.layers[1]", "cost", "training.learning_rate",
      "training.bogus", "training.epochs"]),
    # fields at the top level are where the file writes them, not in their section's place
    ("epochs: 1.5\nnetwork: {layers: [2, 4, 1]}\nseed: -1\nlr: 0\n",
     ["training.epochs", "seed", "training.learning_rate"]),
])
def test_validate_lists_the_errors_in_the_order_the_file_writes_them(tmp_path, text, fields):
    p = tmp_path / "bad.yaml"
    p.write_text(text)
    r = invoke("config", "validate", p, "--json")
    assert r.exit_code == 2, r.output
    errors = json.loads(r.stdout)["errors"]
    assert [e["field"] for e in errors] == fields
    assert [e["message"] for e in errors] == _errors(r)
    assert all(m.startswith(f"{p}: ") for m in _errors(r))


@pytest.mark.parametrize("text, errors", [
    # output_activation set aside for its default (the hidden tanh) would clash with cross_entropy
    ("network: {layers: [2, 4, 3], activation: tanh, output_activation: softmaxx}\ncost: cross_entropy\n"
     "data: {dataset: spirals}\ntraining: {epochs: 1.5}\n",
     ["network.output_activation: softmaxx is not one of", "training.epochs: 1.5 is not a whole number"]),
    # validation_fraction at its default 0, with test_fraction 0, leaves early stopping nothing to watch
    ("network: {layers: [2, 4, 1]}\ndata: {dataset: circles, test_fraction: 0, validation_fraction: 1.5}\n"
     "training: {early_stopping: true, epochs: -3}\n",
     ["data.validation_fraction: 1.5 must be in [0, 1)", "training.epochs: -3 must be at least 1"]),
    # dataset at its default xor (classification) does not fit task: regression (meant for sine)
    ("data: {dataset: sinee, task: regression}\nnetwork: {layers: [1, 8, 1], output_activation: linear}\n"
     "training: {optimizer: adamm}\n",
     ["data.dataset: sinee is not one of", "training.optimizer: adamm is not one of"]),
])
def test_validate_sets_no_field_aside_to_find_a_clash_that_is_not_there(tmp_path, text, errors):
    """Each field's own value is checked alone: an error that only a bad field's stand-in would make
    (its default) is never listed."""
    p = tmp_path / "bad.yaml"
    p.write_text(text)
    r = invoke("config", "validate", p)
    assert r.exit_code == 2, r.output
    found = _errors(r)
    assert len(found) == len(errors) and all(m.startswith(f"{p}: {e}") for m, e in zip(found, errors)), found


def test_validate_gives_a_clash_found_first_with_the_other_fields_own_errors(tmp_path):
    """A clash the whole config's check stops at (every field it reads passed its own check) is listed
    as before, in its place, with the own errors of fields checked after it; a field's own error that
    the whole config says in its own words is said once, in those words."""
    p = tmp_path / "bad.yaml"
    p.write_text("network: {layers: [2, 4, 1], activation: relu}\ncost: cross_entropy\ntraining: {epochs: 1.5}\n")
    found = _errors(invoke("config", "validate", p))
    assert len(found) == 2 and found[0].startswith(f"{p}: network.output_activation: relu (copied from")
    assert found[1] == f"{p}: training.epochs: 1.5 is not a whole number"
    p.write_text("network: {layers: [2, 4, 1], activation: [relu, sigmoidd]}\ntraining: {epochs: 1.5}\n")
    found = _errors(invoke("config", "validate", p))
    assert len(found) == 2 and found[0].startswith(f"{p}: network.activation[1] (the output layer's): sigmoidd ")
    p.write_text("data: {dataset: circles, target: [a, a]}\nnetwork: {layers: [2, 4, 1]}\n")
    assert _errors(invoke("config", "validate", p)) == [
        f"{p}: data.target: only used with data.path (a CSV file)",
        f"{p}: data.target: [a, a] names column a more than once; give each target column once"]
    p.write_text("data: {dataset: circles}\nnetwork: {layers: [2, 4, 1]}\n")  # the same by a --set
    assert _errors(invoke("config", "validate", p, "--set", "data.target=[a, a]", "--set", "epochs=0")) == [
        f"--set data.target=[a, a] with {p}: only used with data.path (a CSV file)",  # its data.dataset
        "--set data.target=[a, a]: [a, a] names column a more than once; give each target column once",
        "--set epochs=0: training.epochs: 0 must be at least 1"]


HIDDEN_NAMES = "elu, leaky_relu, linear, relu, sigmoid, silu, softplus, tanh"
OUTPUT_NAMES = "elu, leaky_relu, linear, relu, sigmoid, silu, softmax, softplus, tanh"


@pytest.mark.parametrize("layers, names, said", [
    # one per hidden layer: [0] was listed twice, the second time with softmax allowed
    ("[2, 3, 1]", "[relux]", ["network.activation[0]: relux is not one of: {h} (did you mean relu?)"]),
    # one per layer: the output's [1] was not listed
    ("[2, 3, 1]", "[relux, relux]", ["network.activation[0]: relux is not one of: {h} (did you mean relu?)",
                                     "network.activation[1] (the output layer's): relux is not one of: {o} "
                                     "(did you mean relu?)"]),
    # one per hidden layer, the last a hidden one: tanhh was not listed
    ("[2, 3, 3, 1]", "[relux, tanhh]", ["network.activation[0]: relux is not one of: {h} (did you mean relu?)",
                                        "network.activation[1]: tanhh is not one of: {h} (did you mean tanh?)"]),
    ("[2, 3, 1]", "[softmax, softmaxx]", [
        "network.activation[0]: softmax is not one of: {h} (softmax is allowed only as the output activation)",
        "network.activation[1] (the output layer's): softmaxx is not one of: {o} (did you mean softmax?)"]),
    # a count that fits neither: said once, then each entry, the last as maybe the output's
    ("[2, 3, 3, 1]", "[relux]", ["network.activation: 1 name for 2 hidden layers; give one name without brackets "
                                 "(relux, for every hidden layer), one per hidden layer (2), or one per layer, the "
                                 "output's last (3)",
                                 "network.activation[0]: relux is not one of: {o} (did you mean relu?)"]),
])
def test_validate_lists_each_bad_name_of_a_list_of_activations_once(tmp_path, layers, names, said):
    """Each entry of network.activation that is no activation is listed, once, with the names its
    layer allows: the output's (the last of one name per layer) softmax too, a hidden layer's not."""
    p = tmp_path / "acts.yaml"
    p.write_text(f"network:\n  layers: {layers}\n  activation: {names}\n")
    expected = [f"{p}: " + line.format(h=HIDDEN_NAMES, o=OUTPUT_NAMES) for line in said]
    r = invoke("config", "validate", p)
    assert r.exit_code == 2 and _errors(r) == expected, r.output
    r = invoke("config", "validate", p, "--json")
    assert [e["message"] for e in json.loads(r.stdout)["errors"]] == expected
    r = invoke("train", p)  # train stops at the first, as before
    assert r.exit_code == 2 and _errors(r) == expected[:1], r.output


def test_validate_lists_each_bad_name_of_a_set_or_replaced_list_of_activations(tmp_path):
    """The same by a --set, and in the file's own list a --set replaces (checked alone: its last may be
    the output's); network.hidden_activation's are all hidden layers'."""
    p = tmp_path / "acts.yaml"
    p.write_text("network:\n  layers: [2, 3, 3, 1]\n  activation: [relux, relux]\n")
    typed = "--set network.activation=[relu, relu]"
    hint = f"hint: {typed} replaces it, but the config file's value is checked still: correct it, or remove"
    r = invoke("config", "validate", p, "--set", "network.activation=[relu, relu]")
    lines = r.stderr.splitlines()
    assert r.exit_code == 2 and len(lines) == 4 and all(h.startswith(hint) for h in lines[1::2]), r.output
    assert lines[::2] == [f"error: {p}: network.activation[0]: relux is not one of: {HIDDEN_NAMES} (did you mean relu?)",
                          f"error: {p}: network.activation[1]: relux is not one of: {OUTPUT_NAMES} (did you mean relu?)"]
    for key, last in (("activation", f"[2] (the output layer's): sigmoidd is not one of: {OUTPUT_NAMES}"),
                      ("hidden_activation", f"[1]: tanhh is not one of: {HIDDEN_NAMES}")):
        value = "[relux, tanhh, sigmoidd]" if key == "activation" else "[relux, tanhh]"
        r = invoke("config", "validate", p, "--set", f"network.{key}={value}", "--set", "network.output_activation="
                   + ("null" if key == "activation" else "sigmoid"))
        found = [line for line in _errors(r) if line.startswith(f"--set network.{key}=")]
        assert r.exit_code == 2 and len(found) == (3 if key == "activation" else 2), r.output
        assert found[-1].startswith(f"--set network.{key}={value}: network.{key}{last}"), found


def test_validate_lists_a_files_bad_name_once_when_a_set_changes_the_layers(tmp_path):
    """A --set of network.layers makes the file's bad name an error of the two together: it was listed so
    ('--set network.layers=… with FILE: …') and again as the file's own, the twin looked for in one source."""
    p = tmp_path / "acts.yaml"
    p.write_text("network:\n  layers: [2, 3, 1]\n  activation: [relu, relux]\n")
    r = invoke("config", "validate", p, "--set", "network.layers=[2,3,3,1]")
    said = f"network.activation[1]: relux is not one of: {HIDDEN_NAMES} (did you mean relu?)"
    assert r.exit_code == 2 and _errors(r) == [f"--set network.layers=[2,3,3,1] with {p}: {said}"], r.output
    r = invoke("train", p, "--set", "network.layers=[2,3,3,1]")  # what train says
    assert r.exit_code == 2 and _errors(r) == [f"--set network.layers=[2,3,3,1] with {p}: {said}"], r.output


def test_validate_names_each_set_as_its_error_alone_would(tmp_path):
    """--set errors are listed after the file's, in the order given, each named by its --set as typed; a
    file's value a --set replaces is still the file's error, with its hint."""
    p = tmp_path / "c.yaml"
    p.write_text("network: {layers: [2, 4, 1]}\ndata: {dataset: circles, validation_fraction: 1.5}\n"
                 "training: {epochs: -3}\n")
    r = invoke("config", "validate", p, "--set", "lr=-1", "--set", "training.epochs=abc", "--set", "foo=1",
               "--set", "training.momentum=2", "--json")
    assert r.exit_code == 2
    assert _errors(r) == [
        f"{p}: data.validation_fraction: 1.5 must be in [0, 1)",
        f"{p}: training.epochs: -3 must be at least 1",
        "--set lr=-1: training.learning_rate: -1 must be greater than 0",
        "--set training.epochs=abc: abc is not a whole number from 1 to 1,000,000 (string)",
        "--set foo: unknown key foo; allowed: seed, data, network, cost, training",
        "--set training.momentum=2: 2 must be in [0, 1)"]
    errors = json.loads(r.stdout)["errors"]
    assert [e["field"] for e in errors] == ["data.validation_fraction", "training.epochs", "training.learning_rate",
                                            "training.epochs", "foo", "training.momentum"]
    assert errors[1]["hint"].startswith("--set training.epochs=abc replaces it, but the config file's value is")
    assert "hint: --set training.epochs=abc replaces it" in r.stderr  # under its own error line
    # a section's mapping: each of its fields' errors names it
    r = invoke("config", "validate", p, "--set", "training={lr: -1, epochs: 0.5}", "--set", "data.validation_fraction=0")
    assert _errors(r)[-2:] == ["--set training={lr: -1, epochs: 0.5}: training.learning_rate: -1 must be greater than 0",
                               "--set training={lr: -1, epochs: 0.5}: training.epochs: 0.5 is not a whole number"]


def test_validate_of_one_error_is_as_before(tmp_path):
    """One error: its line and object as they were; a YAML error or a key given twice stops the reading."""
    p = tmp_path / "bad.yaml"
    p.write_text("network: {layers: [2, 4, 1]}\ntraining: {epochs: 1.5}\n")
    r = invoke("config", "validate", p, "--json")
    assert _errors(r) == [f"{p}: training.epochs: 1.5 is not a whole number"] and len(json.loads(r.stdout)["errors"]) == 1
    p.write_text("network: {layers: [2, 4, 1]\ntraining: {epochs: 1.5}\n")
    assert len(_errors(invoke("config", "validate", p))) == 1
    p.write_text("epochs: 1.5\nlr: -1\ntraining: {epochs: 2}\n")
    found = _errors(invoke("config", "validate", p))
    assert len(found) == 1 and "given twice" in found[0], found
    p.write_text("network: {layers: [2, 4, 1]}\n")  # (its keys were not then read as the file's unknown ones)
    found = _errors(invoke("config", "validate", p, "--set", "training={lr: 1, learning_rate: 2}", "--set", "seed=-1"))
    assert found == ["--set training.learning_rate: given twice, as training.lr and as training.learning_rate; "
                     "give it once"], found


# --- init ---------------------------------------------------------------------------


def test_every_built_in_data_set_has_a_starter():
    assert set(STARTERS) == set(DATASET_NAMES) == set(DATASETS)


@pytest.mark.parametrize("dataset", sorted(STARTERS))
def test_init_writes_a_starter_that_trains_well(tmp_path, monkeypatch, dataset):
    monkeypatch.chdir(tmp_path)
    r = invoke("init", "--dataset", dataset)
    assert r.exit_code == 0, r.output
    assert "next: backprop train backprop.yaml" in r.output
    text = Path("backprop.yaml").read_text()
    assert text.startswith("# backprop-cli starter config") and "backprop train backprop.yaml" in text
    result = train_json("backprop.yaml")
    assert result["warnings"] == []  # a starter does not teach that training makes things worse
    if dataset == "sine":
        assert result["test_cost"] < 0.01  # ½ MSE; the noise alone gives 0.005
    elif dataset == "xor":
        assert result["train_accuracy"] == 1.0
    else:
        assert result["test_accuracy"] >= 0.95


def test_init_refuses_to_overwrite_unless_forced(tmp_path):
    target = tmp_path / "mine"  # ".yaml" is added
    assert invoke("init", target, "-d", "xor").exit_code == 0
    path = tmp_path / "mine.yaml"
    before = path.read_text()
    r = invoke("init", target, "-d", "sine")
    assert r.exit_code == 2 and "already exists" in r.output and "--force" in r.output
    assert path.read_text() == before
    assert invoke("init", target, "-d", "sine", "--force").exit_code == 0
    assert "dataset: sine" in path.read_text()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine.yaml"]  # no temporary file left


def test_init_takes_the_data_set_from_the_name_and_checks_its_input(tmp_path):
    assert invoke("init", tmp_path / "spirals.yml").exit_code == 0
    assert "dataset: spirals" in (tmp_path / "spirals.yml").read_text()
    r = invoke("init", tmp_path / "x.yaml", "--dataset", "mnist")
    assert r.exit_code == 2 and "--dataset: mnist is not one of" in r.output
    # a missing folder is made, as `train --out` makes its folder
    r = invoke("init", tmp_path / "new" / "sub" / "x.yaml")
    assert r.exit_code == 0 and "dataset: circles" in (tmp_path / "new" / "sub" / "x.yaml").read_text()
    (tmp_path / "file").write_text("")
    r = invoke("init", tmp_path / "file" / "x.yaml")  # its "folder" is a file
    assert r.exit_code == 2 and "cannot create the folder" in r.output and "Traceback" not in r.output


def test_init_given_a_folder_or_nothing_says_so(tmp_path, monkeypatch):
    """A folder (existing, ".", or typed with a trailing "/") or an empty name: one line, exit 2,
    nothing written (it used to crash on "." and "", and write /tmp.yaml for /tmp)."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "there").mkdir()
    for name, says in (("", "NAME: is empty"), (".", ".: names a folder"),
                       ("there", "there: names a folder; give a file name such as there/backprop.yaml"),
                       ("new/", "new/: names a folder")):
        r = invoke("init", name)
        assert r.exit_code == 2 and says in r.output and "Traceback" not in r.output, r.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["there"]


def test_a_data_path_given_with_set_is_relative_to_the_current_folder(tmp_path, monkeypatch):
    """Typed on the command line, a relative path means the shell's folder, not the config's."""
    from backprop_cli.config import load_config

    (tmp_path / "cfg").mkdir()
    (tmp_path / "cfg" / "c.yaml").write_text("network: {layers: [4, 3]}\ndata: {path: ../d.csv}\n")
    monkeypatch.chdir(tmp_path / "cfg")
    assert load_config("c.yaml").data.path == str(tmp_path / "d.csv")
    monkeypatch.chdir(tmp_path)
    cfg = load_config("cfg/c.yaml", {"data.path": "here/d.csv"})
    assert cfg.data.path == str(tmp_path / "here" / "d.csv")


def test_whole_number_targets_read_as_classes_get_a_regression_hint(tmp_path):
    """Prices such as 250000 (whole numbers) are class labels under data.task: auto; with one
    output the error said only 'use layers: [1, …, 5]', steering to a 5-class classifier of
    prices. It now names the column, the classes it made and data.task: regression. Text
    labels (iris into one output) get no such hint."""
    (tmp_path / "prices.csv").write_text("a,price\n1,250000\n2,310000\n3,199000\n4,450000\n5,380000\n")
    (tmp_path / "p.yaml").write_text("data: {path: prices.csv, test_fraction: 0}\nnetwork: {layers: [1, 3, 1]}\n")
    r = CliRunner().invoke(app, ["config", "validate", str(tmp_path / "p.yaml")])
    assert r.exit_code == 2 and "Traceback" not in r.output, r.output
    assert "target column price was read as 5 class labels" in r.output and "data.task: regression" in r.output
    r = CliRunner().invoke(app, ["config", "validate", str(tmp_path / "p.yaml"), "--set", "data.task=regression"])
    assert r.exit_code == 0, r.output
    iris = Path(__file__).resolve().parents[1] / "data" / "iris.csv"
    (tmp_path / "i.yaml").write_text(f"data: {{path: {iris}}}\nnetwork: {{layers: [4, 3, 1]}}\n")
    r = CliRunner().invoke(app, ["config", "validate", str(tmp_path / "i.yaml")])
    assert r.exit_code == 2 and "does not match the data" in r.output and "regression" not in r.output


def test_a_quantity_read_as_classes_by_task_classification_gets_a_regression_hint(tmp_path):
    """data.task: classification on prices (-4.8179, 0.7356, …: a distinct value per row) said only
    'reg.csv has 3 inputs and 120 outputs; use layers: [3, …, 120]', and following it trained 120
    "classes" of one row each to 0% test accuracy. The hint now says what the column holds and
    names data.task: regression, as task auto's hint for whole numbers does: for (nearly) a class
    per row, and for many classes that are not whole numbers. Real labels (23 whole-number
    classes in 120 rows, text) get no such hint."""
    rng = np.random.default_rng(0)
    rows = ["size,age,temp,price"] + [f"{a:.4f},{b:.4f},{c:.4f},{y:.4f}" for a, b, c, y in rng.normal(size=(150, 4))]
    (tmp_path / "reg.csv").write_text("\n".join(rows) + "\n")
    (tmp_path / "tc.yaml").write_text("data: {path: reg.csv, task: classification}\nnetwork: {layers: [3, 8, 1]}\n")
    r = runner.invoke(app, ["config", "validate", str(tmp_path / "tc.yaml")])
    assert r.exit_code == 2 and "Traceback" not in r.output, r.output
    assert r.stderr.splitlines() == [
        f"error: {tmp_path / 'tc.yaml'}: network.layers[-1]: 1 does not match the data: {tmp_path / 'reg.csv'} "
        "has 3 inputs and 150 outputs; use layers: [3, …, 150]",
        "hint: the target column price has 150 distinct values in 150 rows (read as 150 classes by data.task: "
        "classification); for a numeric target, set data.task: regression (--set data.task=regression)"]
    # many fractional classes, though fewer than half the rows (prices rounded to quarters)
    rows = ["a,price"] + [f"{i},{(i % 40) / 4 + 0.25}" for i in range(200)]
    (tmp_path / "q.csv").write_text("\n".join(rows) + "\n")
    (tmp_path / "q.yaml").write_text("data: {path: q.csv, task: classification}\nnetwork: {layers: [1, 3, 1]}\n")
    r = runner.invoke(app, ["config", "validate", str(tmp_path / "q.yaml")])
    assert r.exit_code == 2 and "price has 40 distinct values in 200 rows (read as 40 classes" in r.output, r.output
    assert "set data.task: regression" in r.output
    # labels: 23 whole-number classes in 120 rows, and text classes, get the message alone
    rows = ["a,grade"] + [f"{i},{i % 23}" for i in range(120)]
    (tmp_path / "g.csv").write_text("\n".join(rows) + "\n")
    (tmp_path / "g.yaml").write_text("data: {path: g.csv, task: classification}\nnetwork: {layers: [1, 3, 1]}\n")
    r = runner.invoke(app, ["config", "validate", str(tmp_path / "g.yaml")])
    assert r.exit_code == 2 and "use layers: [1, …, 23]" in r.output and "hint" not in r.output, r.output
    iris = Path(__file__).resolve().parents[1] / "data" / "iris.csv"
    (tmp_path / "i.yaml").write_text(f"data: {{path: {iris}, task: classification}}\nnetwork: {{layers: [4, 3, 1]}}\n")
    r = runner.invoke(app, ["config", "validate", str(tmp_path / "i.yaml")])
    assert r.exit_code == 2 and "does not match the data" in r.output and "regression" not in r.output


def test_layers_that_do_not_fit_a_few_classes_list_them_with_their_rows(tmp_path):
    """'has 3 inputs and 4 outputs; use layers: [3, …, 4]' hid a stray 'Cat' beside 'cat': with 3 to 10
    classes the error lists each with its rows, in the outputs' order."""
    rows = ["a,b,c,label"] + [f"{i},{i % 3},{i % 5},{'cat' if i % 2 else 'dog'}" for i in range(20)] + ["9,9,9,Cat"]
    (tmp_path / "d.csv").write_text("\n".join(rows) + "\n")
    (tmp_path / "c.yaml").write_text("data: {path: d.csv}\nnetwork: {layers: [3, 4, 1]}\n")
    r = runner.invoke(app, ["config", "validate", str(tmp_path / "c.yaml")])
    assert r.exit_code == 2 and r.stderr.splitlines()[0].endswith(
        "has 3 inputs and 3 outputs; use layers: [3, …, 3] (3 classes: Cat 1 row, cat 10 rows, dog 10 rows)"), r.output


def test_validate_notes_when_early_stopping_would_watch_the_test_split():
    """Early stopping without data.validation_fraction picks the epoch on the test cost: the test
    figures are then not held out, which validate says before a long run, as train does."""
    r = invoke("config", "validate", ROOT / "configs" / "iris.yaml", "--set", "training.early_stopping=true")
    assert r.exit_code == 0, r.output
    notes = [line for line in r.stderr.splitlines() if "early_stopping" in line]
    assert len(notes) == 1 and notes[0].startswith("note: training.early_stopping watches the test cost"), r.stderr
    assert "not held out" in notes[0] and "data.validation_fraction" in notes[0]
    held = invoke("config", "validate", ROOT / "configs" / "iris.yaml", "--set", "training.early_stopping=true",
                  "--set", "data.validation_fraction=0.2")
    assert held.exit_code == 0 and "early_stopping" not in held.stderr, held.stderr


def test_a_hand_made_network_in_a_config_with_no_data_is_told_how_to_give_its_own(tmp_path):
    """Seed 000's 1-1-1-1 chain with given weights and no data section: 'does not match the data:
    xor (built-in) has 2 inputs …; use layers: [2, …, 1]' told a learner to change the network."""
    from typer.testing import CliRunner

    from backprop_cli.cli import app

    (tmp_path / "chain.yaml").write_text(
        "network:\n  layers: [1, 1, 1, 1]\n  activation: sigmoid\n  weights: [[[0.5]], [[-1.2]], [[0.8]]]\n"
        "  biases: [[0.1], [0.3], [-0.2]]\ncost: squared_error\n")
    r = CliRunner().invoke(app, ["explain", str(tmp_path / "chain.yaml"), "--layer", "L"])
    assert r.exit_code == 2, r.output
    error, hint = r.stderr.splitlines()
    assert error.endswith("network.layers[0]: 1 does not match the data: xor (built-in) has 2 inputs and 1 output; "
                          "use layers: [2, …, 1]")
    assert hint.startswith("hint: xor is the data when a config names none; for your own example give a CSV")
    assert hint.endswith("or a built-in set (data.dataset: sine has 1 input and 1 output); explain and gradcheck "
                         "need no data for an example given with --x and --y")
    # --x and --y need no data (they were refused as not fitting xor): the example alone
    own = CliRunner().invoke(app, ["explain", str(tmp_path / "chain.yaml"), "--layer", "L", "--x", "0.7", "--y", "0.9",
                                   "--json"])
    assert own.exit_code == 0, own.output
    # the hint's own data section, as written, makes it work, with the same numbers
    (tmp_path / "one.csv").write_text("x,y\n0.7,0.9\n")
    (tmp_path / "chain.yaml").write_text((tmp_path / "chain.yaml").read_text() + "data: {path: one.csv, target: y, "
                                         "task: regression, test_fraction: 0, standardize: false}\n")
    r = CliRunner().invoke(app, ["explain", str(tmp_path / "chain.yaml"), "--layer", "L"])
    assert r.exit_code == 0 and "x = (0.7), y = (0.9)" in r.stdout, r.output
    r = CliRunner().invoke(app, ["explain", str(tmp_path / "chain.yaml"), "--layer", "L", "--json"])
    by_row, by_x = json.loads(r.stdout), json.loads(own.stdout)
    assert (by_row["row"], by_row["origin"]["line"], by_x["row"], by_x["origin"]) == (0, 2, None, None)
    assert {k: v for k, v in by_row.items() if k not in ("row", "origin")} == \
        {k: v for k, v in by_x.items() if k not in ("row", "origin")}


def test_the_own_data_hint_writes_a_csv_the_size_of_the_network(tmp_path: Path) -> None:
    """The hint's CSV was always 'x,y then 0.7,0.9', one input and one output, whatever the network:
    a 3-2-2 network given it still did not match. It is written for the network's own sizes, and its
    data section, as written, works."""
    from typer.testing import CliRunner

    from backprop_cli.cli import app

    net = ("network:\n  layers: [3, 2, 2]\n  weights: [[[0.1, 0.2, 0.3], [0.4, 0.5, 0.6]], [[0.4, 0.45], [0.5, 0.55]]]\n"
           "  biases: [[0.35, 0.35], [0.6, 0.6]]\n")
    (tmp_path / "net.yaml").write_text(net)
    r = CliRunner().invoke(app, ["explain", str(tmp_path / "net.yaml"), "--layer", "1"])
    assert r.exit_code == 2, r.output
    hint = r.stderr.splitlines()[1]
    assert ("(one is enough: x1,x2,x3,y1,y2 then 0.05,0.1,0.15,0.01,0.99) as data: {path: one.csv, "
            "target: [y1, y2], task: regression, test_fraction: 0, standardize: false}") in hint, hint
    (tmp_path / "one.csv").write_text("x1,x2,x3,y1,y2\n0.05,0.1,0.15,0.01,0.99\n")
    (tmp_path / "net.yaml").write_text(net + "data: {path: one.csv, target: [y1, y2], task: regression, "
                                       "test_fraction: 0, standardize: false}\n")
    r = CliRunner().invoke(app, ["explain", str(tmp_path / "net.yaml"), "--layer", "1"])
    assert r.exit_code == 0 and "x = (0.05, 0.1, 0.15), y = (0.01, 0.99)" in r.stdout, r.output
    (tmp_path / "wide.yaml").write_text("network:\n  layers: [784, 3, 10]\n  weights: " + str(
        [[[0.0] * 784] * 3, [[0.0] * 3] * 10]) + "\n  biases: " + str([[0.0] * 3, [0.0] * 10]) + "\n")
    # softmax with cross_entropy over 3 outputs: the hint's targets sum to 1, so its row is taken as written
    soft = ("network:\n  layers: [2, 2, 3]\n  output_activation: softmax\n  weights: [[[0.1, 0.2], [0.3, 0.4]], "
            "[[0.1, 0.2], [0.3, 0.4], [0.5, 0.6]]]\n  biases: [[0.1, 0.1], [0.2, 0.2, 0.2]]\ncost: cross_entropy\n")
    (tmp_path / "soft.yaml").write_text(soft)
    r = CliRunner().invoke(app, ["explain", str(tmp_path / "soft.yaml"), "--layer", "1"])
    assert r.exit_code == 2 and "(one is enough: x1,x2,y1,y2,y3 then 0.05,0.1,0.01,0.98,0.01)" in r.stderr, r.output
    (tmp_path / "one.csv").write_text("x1,x2,y1,y2,y3\n0.05,0.1,0.01,0.98,0.01\n")
    (tmp_path / "soft.yaml").write_text(soft + "data: {path: one.csv, target: [y1, y2, y3], task: regression, "
                                        "test_fraction: 0, standardize: false}\n")
    r = CliRunner().invoke(app, ["explain", str(tmp_path / "soft.yaml"), "--layer", "1"])
    assert r.exit_code == 0, r.output
    r = CliRunner().invoke(app, ["train", str(tmp_path / "wide.yaml")])
    assert r.exit_code == 2 and ("(one is enough: x1,x2,…,x784,y1,y2,…,y10 then 794 numbers) as data: {path: one.csv, "
                                 "target: [y1, y2, …, y10]") in r.stderr, r.output


@pytest.mark.parametrize("content", [b"# Configuraci\xf3n\r\nnetwork: {layers: [2, 3, 1]}\r\n",
                                     b"\xef\xbb\xbf# Configuraci\xf3n\nnetwork: {layers: [2, 3, 1]}\n",
                                     "network: {layers: [2, 3, 1]}\n".encode("utf-16-le"),
                                     "network: {layers: [2, 3, 1]}\n".encode("utf-32-be"),
                                     b"\xef\xbb\xbf" + "network: {layers: [2, 3, 1]}\n".encode("utf-16-le"),
                                     b"# \x81\x40 caf\xe9\nnetwork: {layers: [2, 3, 1]}\n",  # 0x81: no cp1252 character
                                     b"# caf\xe9\n# \x81\nnetwork: {layers: [2, 3, 1]}\n",  # and after the first bad byte
                                     "# Clase de Año — configuración\nnetwork: {layers: [2, 3, 1]}\n".encode("utf-16-be"),
                                     "# 配置\nnetwork: {layers: [2, 3, 1]}\n".encode("utf-16-le"),
                                     # a surrogate pair cut by the 4,096 bytes looked at was 'a binary file'
                                     ("# " + "x" * 2045 + "🙂\nnetwork: {layers: [2, 3, 1]}\n").encode("utf-16-le")])
@pytest.mark.parametrize("name", ["sub/c.yaml", "./-c.yaml"])  # iconv read -c.yaml as options
def test_the_iconv_command_of_a_config_that_is_not_utf8_works_as_pasted(tmp_path, monkeypatch, content, name):
    """The hint named the file without its folder (run from elsewhere, iconv found nothing and the shell
    still made an empty output), kept a UTF-8 byte-order mark as 'ï»¿', and took UTF-16 without its mark
    for Windows-1252. Pasted into bash, each command now writes a config that validates."""
    import shutil
    import subprocess

    from typer.testing import CliRunner

    from backprop_cli.cli import app

    if shutil.which("iconv") is None or shutil.which("bash") is None:
        pytest.skip("needs iconv and bash")
    (tmp_path / "sub").mkdir()
    (tmp_path / name).write_bytes(content)
    monkeypatch.chdir(tmp_path)
    r = CliRunner().invoke(app, ["config", "validate", name])
    assert r.exit_code == 2, r.output
    assert "binary" not in r.stderr, r.stderr  # UTF-16 with letters beyond ASCII was called a binary file
    command = r.stderr.splitlines()[1].split(": ", 1)[1]
    command = command[command.index("iconv "):]
    converted = name.replace(".yaml", "-utf8.yaml")
    assert command.endswith(f"> {converted}"), command
    subprocess.run(["bash", "-c", command], check=True, timeout=30)
    r = CliRunner().invoke(app, ["config", "validate", converted])
    assert r.exit_code == 0 and "network 2-3-1" in r.stdout, r.output


def test_validate_names_a_float32_run_as_train_does():
    """train's summary line ends '· batch full · float32 · 0.01 s'; config validate's summary of the same
    config said nothing of float32. It names it after the batch, text and --json alike; float64 unsaid."""
    iris = Path(__file__).resolve().parent.parent / "configs" / "iris.yaml"
    r = invoke("config", "validate", iris, "--set", "training.dtype=float32")
    assert r.exit_code == 0 and r.stdout.rstrip().endswith("sgd η = 0.1, batch 16, float32)"), r.stdout
    r = invoke("config", "validate", iris, "--set", "training.dtype=float32", "--json")
    assert json.loads(r.stdout)["summary"].endswith("batch 16, float32")
    r = invoke("config", "validate", iris)
    assert r.exit_code == 0 and r.stdout.rstrip().endswith("sgd η = 0.1, batch 16)") and "float" not in r.stdout
