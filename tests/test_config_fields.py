"""Every config field and option does what it says: errors name the field and the option
that was given, and no option is silently ignored."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from backprop_cli.cli import app

runner = CliRunner()


def _error(result) -> str:
    assert result.exit_code == 2, result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert lines and lines[0].startswith("error: "), result.output
    return lines[0]


def test_validation_split_of_a_one_row_training_split_names_validation_fraction(tmp_path: Path) -> None:
    cfg = tmp_path / "tiny.yaml"
    cfg.write_text("data: {dataset: xor, test_fraction: 0.75, validation_fraction: 0.5}\n"
                   "network: {layers: [2, 3, 1]}\n")
    for command in (["train", str(cfg)], ["config", "validate", str(cfg)]):
        line = _error(runner.invoke(app, command))
        assert f"{cfg}: data.validation_fraction: 0.5 asks for a validation set" in line
        assert "only 1 row" in line and "data.test_fraction 0.75" in line
        assert "data.test_fraction: 0.5" not in line


def test_a_test_split_error_names_the_config(tmp_path: Path) -> None:
    (tmp_path / "one.csv").write_text("x,y\n1,2.5\n")
    cfg = tmp_path / "one.yaml"
    cfg.write_text("data: {path: one.csv}\nnetwork: {layers: [1, 1]}\n")
    line = _error(runner.invoke(app, ["train", str(cfg)]))
    assert line.startswith(f"error: {cfg}: data.test_fraction: 0.2 asks for a test set"), line


def test_gradcheck_convergence_refuses_the_options_it_would_ignore() -> None:
    for extra, named in ((["--eps", "1e-3"], "--eps 0.001"), (["--rtol", "1e-2"], "--rtol 0.01"),
                         (["--eps", "1e-5"], "--eps 1e-05")):  # typed, even at the default value
        line = _error(runner.invoke(app, ["gradcheck", "--convergence", *extra]))
        assert line.startswith(f"error: {named}: not used with --convergence"), line
    line = _error(runner.invoke(app, ["gradcheck", "--convergence", "--mode", "fast"]))
    assert line == "error: --mode fast: --convergence runs in full or sample mode, not fast"
    assert runner.invoke(app, ["gradcheck", "--convergence", "--atol", "1e-6", "--json"]).exit_code == 0
    assert runner.invoke(app, ["gradcheck", "--eps", "1e-4", "--rtol", "1e-4", "--json"]).exit_code == 0


def test_a_field_the_run_does_not_read_is_noted_not_silently_ignored() -> None:
    from backprop_cli.config import load_config, unused_settings

    r = runner.invoke(app, ["train", "--epochs", "2", "--json", "--set", "training.momentum=0.5",
                            "--set", "training.nesterov=true", "--set", "training.patience=3"])
    assert r.exit_code == 0, r.output
    assert ("note: training.momentum (0.5) and training.nesterov (true) are not used: only with "
            "training.optimizer: momentum (training.optimizer is sgd)") in r.output
    assert ("note: training.patience (3) is not used: only with training.early_stopping: true "
            "(training.early_stopping is false)") in r.output
    for sets, expected in (
        ({"training.optimizer": "momentum", "training.beta2": 0.9},
         ["training.beta2 (0.9) is not used: only with training.optimizer: adam (training.optimizer is momentum)"]),
        ({"training.schedule": "inverse", "training.gamma": 0.9},
         ["training.gamma (0.9) is not used: only with training.schedule: step (training.schedule is inverse)"]),
        ({"training.power_t": 1},
         ["training.power_t (1.0) is not used: only with training.schedule: inverse (training.schedule is constant)"]),
        ({"training.optimizer": "momentum", "training.momentum": 0.5}, []),  # read: no note
        # written at its default value: asked for all the same (it was silent, as if never written)
        ({"training.momentum": 0.9},
         ["training.momentum (0.9) is not used: only with training.optimizer: momentum (training.optimizer is "
          "sgd); PyTorch's SGD(momentum=0.9) is optimizer: momentum here"]),
        ({}, []),  # nothing written: nothing to say
    ):
        assert unused_settings(load_config(None, sets)) == expected
    r = runner.invoke(app, ["config", "validate", str(Path(__file__).parents[1] / "configs" / "iris.yaml"),
                            "--set", "training.epsilon=1e-6"])
    assert r.exit_code == 0 and "note: training.epsilon (1e-6) is not used" in r.output, r.output


def test_readme_states_each_generators_least_n_samples() -> None:
    from backprop_cli.data import GENERATORS

    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    row = next(line for line in readme.splitlines() if line.startswith("| `data.n_samples` |"))
    for name, gen in GENERATORS.items():
        least = "`classes`" if gen.default_classes is not None else str(gen.min_n_samples)
        assert least in row and name in row, (name, row)
        r = runner.invoke(app, ["config", "validate", str(Path(__file__).parents[1] / "configs" / "xor.yaml"),
                                "--set", f"data.dataset={name}", "--set", f"data.n_samples={gen.min_n_samples - 1}",
                                "--set", "network.layers=[2, 1]"])
        assert r.exit_code == 2 and "data.n_samples" in r.output, r.output


def test_an_unused_setting_is_shown_as_set_not_rounded_to_its_default():
    """momentum 0.90000001 (not the default 0.9) and beta2 0.9999999: the note showed them
    rounded to 6 digits, 'training.momentum (0.9)', the default's own value, and 'beta2 (1)'."""
    from backprop_cli.config import load_config, unused_settings

    cfg = load_config(None, {"training.momentum": 0.90000001, "training.beta2": 0.9999999})
    notes = " ".join(unused_settings(cfg))
    assert "training.momentum (0.90000001)" in notes and "training.beta2 (0.9999999)" in notes, notes


def test_a_field_written_at_its_default_that_the_run_does_not_read_is_noted(tmp_path):
    """`--set optimizer=SGD --set momentum=0.9` trained plain SGD without a word: the note came only
    for a value away from the default (0.8), and PyTorch's SGD(momentum=0.9) is momentum SGD. A field
    the user wrote, in the file or by --set, is noted whatever its value; a file that writes every
    field (config show's, a run's config.yaml) only for its --set fields and its values away from
    the defaults."""
    from backprop_cli.config import load_config, unused_settings

    sine = Path(__file__).parents[1] / "configs" / "sine.yaml"
    r = runner.invoke(app, ["config", "validate", str(sine), "--set", "optimizer=SGD", "--set", "momentum=0.9"])
    assert r.exit_code == 0, r.output
    assert ("note: training.momentum (0.9) is not used: only with training.optimizer: momentum (training.optimizer "
            "is sgd); PyTorch's SGD(momentum=0.9) is optimizer: momentum here") in r.stderr.splitlines(), r.stderr
    written = tmp_path / "w.yaml"
    written.write_text("network: {layers: [2, 3, 1]}\ntraining: {gamma: 0.5, patience: 10, beta2: 0.999}\n")
    notes = unused_settings(load_config(written))
    assert notes == ["training.beta2 (0.999) is not used: only with training.optimizer: adam (training.optimizer is sgd)",
                     "training.gamma (0.5) is not used: only with training.schedule: step (training.schedule is constant)",
                     "training.patience (10) is not used: only with training.early_stopping: true "
                     "(training.early_stopping is false)"], notes
    assert unused_settings(load_config(written, {"training.optimizer": "adam", "training.schedule": "step",
                                                 "training.early_stopping": True,
                                                 "data.test_fraction": 0.25})) == []
    # written at the top level, as flat configs do: still the user's
    flat = tmp_path / "flat.yaml"
    flat.write_text("layers: [2, 3, 1]\noptimizer: sgd\nmomentum: 0.9\n")
    assert [n.split(":")[0] for n in unused_settings(load_config(flat))] == ["training.momentum (0.9) is not used"]
    # config show writes every field: none of them was asked for one by one
    shown = tmp_path / "shown.yaml"
    shown.write_text(runner.invoke(app, ["config", "show", str(sine)]).stdout)
    assert unused_settings(load_config(shown)) == []
    assert [n.split(":")[0] for n in unused_settings(load_config(shown, {"training.nesterov": False}))] == [
        "training.nesterov (false) is not used"]


def _line_run(min_delta: float):
    """Full-batch gradient descent of y = 2x + 1 from w = b = 0, η = 0.1, early stopping with
    patience 2 watching a validation split (the training rows): its cost falls every epoch, by less
    each time (1.190, 1.047, 0.925, 0.819, 0.727, …, 0.339 at epoch 12)."""
    import numpy as np

    from backprop_cli.config import TrainingConfig
    from backprop_cli.data import Dataset
    from backprop_cli.network import Network
    from backprop_cli.training import Trainer

    x = np.linspace(-1.0, 1.0, 8).reshape(-1, 1)
    ds = Dataset(x, 2 * x + 1, "regression", None, ("x",), ("y",), "line")
    net = Network([1, 1], output_activation="linear", cost="half_squared_error")
    net.weights, net.biases = [np.array([[0.0]])], [np.array([0.0])]
    settings = TrainingConfig(epochs=12, batch_size=None, learning_rate=0.1, early_stopping=True, patience=2,
                              min_delta=min_delta)
    return Trainer(net, ds, None, settings, np.random.default_rng(0), val_set=ds).run()


def test_min_delta_zero_counts_every_decrease_and_never_stops_a_falling_cost() -> None:
    result = _line_run(0.0)
    costs = [s.val_cost for s in result.history]
    assert len(costs) == 12 and all(b < a for a, b in zip(costs, costs[1:]))
    assert not result.stopped_early and result.best_epoch == 12


def test_min_delta_above_every_decrease_stops_after_patience_epochs_keeping_epoch_1() -> None:
    """Each epoch's decrease (0.14 at most) is below min_delta 1: no epoch after the first improves,
    so with patience 2 the run stops after epoch 3, with epoch 1's weights."""
    result = _line_run(1.0)
    assert result.stopped_early and result.epochs == 3 and result.best_epoch == 1
    assert result.val_cost == result.history[0].val_cost  # the weights kept are epoch 1's


def test_min_delta_measures_from_the_best_epoch_not_the_previous_one() -> None:
    """min_delta 0.2: epoch 2 is 0.143 below epoch 1 (no improvement), epoch 3 is 0.266 below it (an
    improvement: the decreases add up from the best so far); epochs 4 and 5 are less than 0.2 below
    epoch 3, so the run stops after epoch 5 keeping epoch 3. Improvements larger than min_delta
    (min_delta 0.05 here, below every decrease until epoch 10) keep the run going."""
    costs = [s.val_cost for s in _line_run(0.0).history]
    result = _line_run(0.2)
    assert costs[0] - costs[1] < 0.2 < costs[0] - costs[2] and costs[2] - costs[4] < 0.2
    assert result.stopped_early and result.epochs == 5 and result.best_epoch == 3
    assert [s.val_cost for s in result.history] == costs[:5]
    assert result.val_cost == costs[2]
    longer = _line_run(0.05)
    assert not longer.stopped_early and longer.epochs == 12


def test_min_delta_is_a_number_of_at_least_0_used_only_with_early_stopping(tmp_path: Path) -> None:
    cfg = tmp_path / "c.yaml"
    cfg.write_text("network: {layers: [2, 3, 1]}\n")
    for value, said in (("-0.1", "--set training.min_delta=-0.1: -0.1 must be at least 0"),
                        ("abc", "--set training.min_delta=abc: abc is not a number of at least 0 (string)")):
        r = runner.invoke(app, ["config", "validate", str(cfg), "--set", f"training.min_delta={value}"])
        assert said in _error(r), r.output
    r = runner.invoke(app, ["config", "validate", str(cfg), "--set", "training.min_delta=0.1"])
    assert r.exit_code == 0 and ("note: training.min_delta (0.1) is not used: only with training.early_stopping: "
                                 "true") in r.stderr, r.output
