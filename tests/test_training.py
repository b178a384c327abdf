"""The trainer: it learns, it is deterministic, it stops cleanly on divergence."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from backprop_cli.config import config_from_dict, load_config
from backprop_cli.data import generate
from backprop_cli.errors import DivergedError
from backprop_cli.experiment import prepare
from backprop_cli.network import Network
from backprop_cli.training import train

ROOT = Path(__file__).resolve().parents[1]


def run(cfg):
    exp = prepare(cfg)
    t = cfg.training
    result = train(exp.net, exp.train, exp.test, learning_rate=t.learning_rate, epochs=t.epochs,
                   batch_size=t.batch_size, shuffle=t.shuffle, rng=exp.streams.shuffle)
    return exp, result


def run_unwarned(name):
    """Train the shipped config ``name`` as written, as ``backprop train`` does; its summary must warn
    of nothing (a stall, a cost that grew, ...): no false alarm on the examples users start from."""
    from backprop_cli.render.train import warnings
    from backprop_cli.training import cost_before_training

    cfg = load_config(ROOT / "configs" / name)
    untrained = prepare(cfg)
    before = cost_before_training(untrained.net, untrained.train)
    exp, result = run(cfg)
    assert warnings(exp, result, before) == []
    return exp, result


@pytest.mark.parametrize("name", ["xor.yaml", "xor_relu.yaml"])
def test_xor_configs_reach_full_accuracy(name):
    _, result = run_unwarned(name)
    assert result.train_accuracy == 1.0


def test_xor_relu_says_where_it_departs_from_seed_001():
    """Its comment said "E_o = (ŷ − y) … exactly seed 001's equations" over a linear output, where seed 001's
    output is a ReLU, E_o = (ŷ − y) · R'(Z_o): the departure is named, with the equations that do hold."""
    path = ROOT / "configs" / "xor_relu.yaml"
    comment = " ".join(line.lstrip("# ") for line in path.read_text(encoding="utf-8").splitlines()
                       if line.startswith("#"))
    cfg = load_config(path)
    assert cfg.network.resolved_output_activation == "linear" and cfg.cost == "half_squared_error"
    assert "exactly seed 001" not in comment
    assert "seed 001's output unit is a ReLU too, E_o = (ŷ − y) · R'(Z_o); here it is linear" in comment
    assert "E_o = ŷ − y" in comment and "E_h = E_o · W_o · R'(Z_h)" in comment


def test_iris_reaches_93_percent_test_accuracy():
    _, result = run_unwarned("iris.yaml")
    assert result.test_accuracy >= 0.93


def test_digits_reaches_93_percent_test_accuracy():
    _, result = run_unwarned("digits.yaml")
    assert result.test_accuracy >= 0.93


@pytest.mark.parametrize("name", ["circles.yaml", "spirals.yaml", "hand_worked.yaml"])
def test_the_other_shipped_configs_train_without_a_warning(name):
    run_unwarned(name)


def test_sine_fits():
    exp, result = run_unwarned("sine.yaml")
    # half_squared_error: test MSE = 2 · cost; the noise alone gives MSE 0.01, a flat line ~0.5.
    assert 2 * result.test_cost < 0.03
    # the README's tables give the test cost train prints (0.00655), and the MSE evaluate prints, twice it
    # (they said "test MSE 0.013" beside a summary's half_squared_error 0.00655)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    claim = (f"test cost {result.test_cost:.3g} (`half_squared_error`, ½(a − y)²: a test MSE of "
             f"{2 * result.test_cost:.3g}, as `backprop evaluate` prints it")
    assert readme.count(claim) == 2, claim  # the starter's row and configs/sine.yaml's


def test_same_config_and_seed_give_bit_identical_weights():
    cfg = load_config(ROOT / "configs" / "circles.yaml", {"training.epochs": 5})
    a, _ = run(cfg)
    b, _ = run(cfg)
    assert all(np.array_equal(x, y) for x, y in zip(a.net.weights, b.net.weights))
    c, _ = run(load_config(ROOT / "configs" / "circles.yaml", {"training.epochs": 5, "seed": 1}))
    assert not np.array_equal(a.net.weights[0], c.net.weights[0])


def test_float32_training_learns_xor():
    exp, result = run(load_config(None, {"training.dtype": "float32"}))
    assert exp.net.weights[0].dtype == np.float32
    assert result.train_accuracy == 1.0


def test_one_full_batch_step_is_w_minus_eta_grad():
    """W ← W − η ∂C/∂W, the seeds' update, checked against the gradient before the step."""
    ds = generate("xor", np.random.default_rng(0))
    net = Network([2, 3, 1], seed=4)
    before = net.copy()
    dw, db = before.gradients(ds.X, ds.Y)
    train(net, ds, None, learning_rate=0.7, epochs=1, batch_size=None, shuffle=False,
          rng=np.random.default_rng(0))
    for l in range(2):
        np.testing.assert_allclose(net.weights[l], before.weights[l] - 0.7 * dw[l], rtol=1e-15)
        np.testing.assert_allclose(net.biases[l], before.biases[l] - 0.7 * db[l], rtol=1e-15)


def test_history_and_callback():
    cfg = load_config(ROOT / "configs" / "iris.yaml", {"training.epochs": 3})
    exp = prepare(cfg)
    seen = []
    result = train(exp.net, exp.train, exp.test, learning_rate=0.1, epochs=3, batch_size=16,
                   shuffle=True, rng=exp.streams.shuffle, callback=seen.append)
    assert [s.epoch for s in seen] == [1, 2, 3] and result.history == tuple(seen)
    assert all(s.test_cost is not None and 0 <= s.train_accuracy <= 1 for s in seen)


def test_divergence_names_the_epoch():
    cfg = config_from_dict(
        {"data": {"dataset": "sine"}, "network": {"layers": [1, 8, 1], "activation": "relu",
                                                  "output_activation": "linear"},
         "cost": "squared_error", "training": {"learning_rate": 1e6, "epochs": 50}},
        "d.yaml", ROOT,
    )
    with pytest.raises(DivergedError, match=r"diverged at epoch \d+") as info:
        run(cfg)
    assert "smaller learning rate" in info.value.hint and info.value.exit_code == 1



def test_divergence_names_the_layer_or_parameter_that_blew_up_biases_included():
    from backprop_cli.training import diverged

    net = Network([2, 3, 1], seed=0)
    net.biases[1][...] = 1e149  # the output bias dwarfs every weight
    assert "the largest parameters are b^(2)'s (|b| up to 1e+149)" in str(diverged(net, 3, 0.5))
    net.biases[1][...] = 0.0
    net.weights[0][...] = -7e21
    assert "the largest parameters are w^(1)'s (|w| up to 7e+21)" in str(diverged(net, 3, 0.5))
    net.biases[1][...] = np.inf  # only a bias is no longer finite
    assert "the parameters of layer 2 blew up first" in str(diverged(net, 3, 0.5))


@pytest.mark.parametrize("epochs", [2, 7])
def test_float32_training_on_float32_data_equals_casting_float64_data(epochs, update_path, gather_path):
    """`backprop train` holds the splits in the training dtype; a float32 run on them must be
    bit for bit the run on float64 data that the trainer casts (per batch for 2 epochs, once
    for 7: training.CAST_ONCE_EPOCHS), with the same metrics."""
    from backprop_cli.training import CAST_ONCE_EPOCHS, Trainer

    assert 2 < CAST_ONCE_EPOCHS <= 7
    cfg = load_config(ROOT / "configs" / "iris.yaml", {
        "training.epochs": epochs, "training.optimizer": "sgd", "training.dtype": "float32"})
    exp64, exp32 = prepare(cfg), prepare(cfg, training_dtype=True)
    assert exp64.train.X.dtype == exp64.test.X.dtype == np.float64
    assert exp32.train.X.dtype == exp32.train.Y.dtype == exp32.test.X.dtype == np.float32
    assert np.array_equal(exp32.train.X, exp64.train.X.astype(np.float32))
    runs = [Trainer(e.net, e.train, e.test, cfg.training, e.streams.shuffle).run() for e in (exp64, exp32)]
    assert exp32.net.weights[0].dtype == np.float32
    for a, b in zip(exp64.net.weights + exp64.net.biases, exp32.net.weights + exp32.net.biases):
        assert np.array_equal(a, b)
    assert [h._replace(seconds=0) for h in runs[0].history] == [h._replace(seconds=0) for h in runs[1].history]
    assert (runs[0].train_cost, runs[0].test_accuracy) == (runs[1].train_cost, runs[1].test_accuracy)


def test_train_command_holds_the_splits_in_the_training_dtype(monkeypatch):
    """The CLI's float32 run keeps no float64 data: the trainer is handed float32 splits."""
    from typer.testing import CliRunner

    from backprop_cli import training
    from backprop_cli.cli import app

    seen = []
    real = training.Trainer.__init__

    def spy(self, net, train_set, test_set, *args, **kwargs):
        seen.append((train_set.X.dtype, test_set.X.dtype if test_set is not None else None))
        real(self, net, train_set, test_set, *args, **kwargs)

    monkeypatch.setattr(training.Trainer, "__init__", spy)
    for dtype in ("float32", "float64"):
        r = CliRunner().invoke(app, ["train", str(ROOT / "configs" / "iris.yaml"), "--epochs", "2", "--quiet",
                                     "--set", f"training.dtype={dtype}"])
        assert r.exit_code == 0, r.output
        assert seen[-1] == (np.dtype(dtype), np.dtype(dtype))


def _one_step(net, ds, lr):
    """The parameters after one full-batch SGD step from ``net``'s: W − η ∂C/∂W."""
    dw, db = net.gradients(ds.X, ds.Y)
    return [w - lr * g for w, g in zip(net.weights, dw)], [b - lr * g for b, g in zip(net.biases, db)]


def _trainer(net, ds, epochs, optimizer="sgd"):
    from backprop_cli.config import TrainingConfig
    from backprop_cli.training import Trainer

    settings = TrainingConfig(learning_rate=0.7, epochs=epochs, batch_size=None, shuffle=False, optimizer=optimizer)
    return Trainer(net, ds, None, settings, np.random.default_rng(0))


def _assert_params(net, weights, biases):
    for got, want in zip([*net.weights, *net.biases], [*weights, *biases]):
        np.testing.assert_allclose(got, want, rtol=1e-14, atol=1e-16)


MINE = [np.full((3, 2), 0.5), np.array([[1.0, -1.0, 0.5]])]


def _assign(net, how):
    """Set w to MINE and b^(2) to 0.25: as a whole list, one layer at a time, or written into the
    network's own arrays (``[...] =``, which always reached the trainer: the reference)."""
    if how == "list":
        net.weights = MINE
    elif how == "item":
        net.weights[0], net.weights[1] = MINE
    else:
        for w, mine in zip(net.weights, MINE):
            w[...] = mine
    if how == "in place":
        net.biases[1][...] = 0.25
    else:
        net.biases[1] = [0.25]


@pytest.mark.parametrize("optimizer", ["sgd", "momentum"])
@pytest.mark.parametrize("how", ["list", "item"])
def test_training_goes_on_from_weights_assigned_between_runs(how, optimizer):
    """The trainer's engine keeps the parameters in buffers of its own and made net.weights views
    of them; weights assigned between two runs replaced those views, so the second run trained
    the engine's stale copy and left the assigned values untouched (momentum: moved them by the
    stale copy's gradients): net.weights never moved as they should and the result's cost was
    that of other values. Now a run starts from them, as from values written in place."""
    from dataclasses import replace

    ds = generate("xor", np.random.default_rng(0))
    nets = []
    for way in (how, "in place"):
        net = Network([2, 3, 1], seed=4)
        trainer = _trainer(net, ds, epochs=1, optimizer=optimizer)
        trainer.run()
        _assign(net, way)
        if optimizer == "sgd":
            expected = _one_step(net, ds, 0.7)
        trainer.s = replace(trainer.s, epochs=2)
        result = trainer.run()
        assert result.train_cost == net.cost(ds.X, ds.Y)
        nets.append(net)
    if optimizer == "sgd":
        _assert_params(nets[0], *expected)
    _assert_params(nets[0], nets[1].weights, nets[1].biases)


def test_two_trainers_on_one_network_each_go_on_from_where_the_other_left_it():
    from dataclasses import replace

    ds = generate("xor", np.random.default_rng(0))
    net = Network([2, 3, 1], seed=4)
    first, second = _trainer(net, ds, epochs=1), _trainer(net, ds, epochs=1)
    alone = net.copy()
    _trainer(alone, ds, epochs=3).run()
    first.run()
    second.run()
    first.s = replace(first.s, epochs=2)
    first.run()
    _assert_params(net, alone.weights, alone.biases)


@pytest.mark.parametrize("optimizer", ["sgd", "momentum"])
def test_weights_assigned_in_an_epoch_callback_are_trained_on(optimizer):
    ds = generate("xor", np.random.default_rng(0))
    nets = []
    for way in ("list", "in place"):
        net = Network([2, 3, 1], seed=4)
        _trainer(net, ds, epochs=3, optimizer=optimizer).run(
            lambda stats, net=net, way=way: _assign(net, way) if stats.epoch == 1 else None)
        nets.append(net)
    assert not np.allclose(nets[0].weights[0], 0.5)
    _assert_params(nets[0], nets[1].weights, nets[1].biases)


@pytest.mark.parametrize("how", ["element", "list"])
def test_weights_edited_after_early_stopping_are_what_the_next_run_starts_from(how):
    """An early-stopped run puts the best epoch's weights back and keeps where training stood for
    a longer run; that run put those back over a weight edited in place meanwhile
    (``net.weights[0][0, 0] = 5.0`` was silently lost), unlike an assigned list."""
    from dataclasses import replace

    from backprop_cli.config import TrainingConfig
    from backprop_cli.training import Trainer

    ds = generate("xor", np.random.default_rng(0))
    net = Network([2, 3, 1], seed=4)
    settings = TrainingConfig(learning_rate=0.7, epochs=3, batch_size=None, shuffle=False,
                              early_stopping=True, patience=100)
    trainer = Trainer(net, ds, ds, settings, np.random.default_rng(0))
    trainer.run()
    assert trainer.last_params is not None
    if how == "element":
        net.weights[0][0, 0] = 5.0
    else:
        net.weights = [np.full((3, 2), 5.0), net.weights[1]]
    expected = _one_step(net, ds, 0.7)
    trainer.s = replace(settings, epochs=4)
    trainer.run()
    stood = trainer.last_params or [*net.weights, *net.biases]  # before any best epoch was put back
    for got, want in zip(stood, [*expected[0], *expected[1]]):
        np.testing.assert_allclose(got, want, rtol=1e-14, atol=1e-16)


@pytest.mark.parametrize("how", ["element", "list"])
def test_a_checkpoint_after_an_edit_holds_what_the_next_run_goes_on_from(how):
    """After an early-stopped run, state_dict() saved where training had stood (last_params) even
    when the weights had been edited or assigned since, which run() goes on from: resuming from
    the checkpoint lost the edit, and trained other weights than going on in the same process."""
    from dataclasses import replace

    from backprop_cli.config import TrainingConfig
    from backprop_cli.training import Trainer

    ds = generate("xor", np.random.default_rng(0))
    settings = TrainingConfig(learning_rate=0.7, epochs=3, batch_size=None, shuffle=False,
                              early_stopping=True, patience=100)
    net = Network([2, 3, 1], seed=4)
    trainer = Trainer(net, ds, ds, settings, np.random.default_rng(0))
    trainer.run()
    unedited = trainer.state_dict()
    np.testing.assert_array_equal(unedited["param0"], trainer.last_params[0])  # where training stood
    if how == "element":
        net.weights[0][0, 0] = 5.0
    else:
        net.weights = [np.full((3, 2), 5.0), net.weights[1]]
    state = trainer.state_dict()
    np.testing.assert_array_equal(state["param0"], net.weights[0])
    resumed_net = Network([2, 3, 1], seed=9)
    resumed = Trainer(resumed_net, ds, ds, replace(settings, epochs=4), np.random.default_rng(0))
    resumed.load_state_dict(state)
    resumed.run()
    trainer.s = replace(settings, epochs=4)
    trainer.run()
    _assert_params(resumed_net, net.weights, net.biases)
    for got, want in zip(resumed.last_params or [], trainer.last_params or []):
        np.testing.assert_array_equal(got, want)


def test_the_cost_before_training_is_every_row_of_a_small_split_or_every_kth_of_a_large_one():
    """The warning's reference point: the untrained network's mean cost (L2 penalty included),
    on an even sample of a large split (one sorted by class must not give a biased start)."""
    from backprop_cli.training import BEFORE_ROWS, cost_before_training

    small = generate("circles", np.random.default_rng(0), n_samples=300)
    net = Network([2, 5, 1], seed=3, l2=0.01)
    cost, rows = cost_before_training(net, small)
    assert rows == 300 and cost == pytest.approx(net.cost(small.X, small.Y), rel=1e-12)
    large = generate("circles", np.random.default_rng(0), n_samples=2 * BEFORE_ROWS + 1)
    cost, rows = cost_before_training(net, large)
    assert rows == len(range(0, large.n_samples, 3)) <= BEFORE_ROWS
    assert cost == pytest.approx(net.cost(large.X[::3], large.Y[::3]), rel=1e-12)


def test_a_cost_grown_tenfold_from_the_lower_start_is_flagged():
    from backprop_cli.training import EpochStats, TrainResult, cost_growth

    def result(epoch_1: float, final: float) -> TrainResult:
        return TrainResult(history=(EpochStats(1, epoch_1, None, None, None, 0.1),), train_cost=final,
                           train_accuracy=None, test_cost=None, test_accuracy=None, epochs=1, seconds=0.1)

    assert cost_growth(result(30.0, 117.0), 0.77) == (0.77, "before training")  # blew up in epoch 1
    assert cost_growth(result(0.5, 6.0), 0.7) == (0.5, "epoch 1")  # the lower start counts
    assert cost_growth(result(0.5, 4.9), None) is None
    assert cost_growth(result(0.5, 5.0), None) is None  # exactly 10×: the warning is for more than 10×
    # above the untrained cost at all: worse than not training (adam at η = 2 on the default xor)
    assert cost_growth(result(0.5, 4.9), 0.7) == (0.7, "before training")
    assert cost_growth(result(0.3, 0.5), 0.2747) == (0.2747, "before training")
    assert cost_growth(result(0.3, 0.2746), 0.2747) is None
    # measured on a sample of the rows (more than 4,096), the untrained cost is off by its sampling
    # error: only the 10× rule speaks (a healthy circles run of 6,750 rows was told η was too large)
    assert cost_growth(result(0.75, 0.7497), 0.7467, every_row=False) is None
    assert cost_growth(result(0.5, 6.0), 0.7, every_row=False) == (0.5, "epoch 1")
    assert cost_growth(result(0.5, 6.0), None) == (0.5, "epoch 1")  # a resumed run: epoch 1 only
    assert cost_growth(result(0.0, 1.0), float("nan")) is None  # no usable start
    assert cost_growth(result(0.8, 0.01), 0.77) is None  # training worked


def test_the_json_summary_stays_valid_json_when_the_untrained_cost_is_not_finite():
    """An untrained network whose cost overflows must not write `Infinity` (not JSON) into --json."""
    import json

    from backprop_cli.render.train import summary_dict
    from backprop_cli.training import EpochStats, TrainResult

    exp = prepare(load_config(None))
    result = TrainResult(history=(EpochStats(1, 0.3, 0.5, None, None, 0.1, 0.5),), train_cost=0.2,
                         train_accuracy=0.5, test_cost=None, test_accuracy=None, epochs=1, seconds=0.1)
    for before in ((float("inf"), 4), (float("nan"), 4)):
        summary = json.loads(json.dumps(summary_dict(exp, result, None, before), allow_nan=False))
        assert summary["cost_before_training"] is None and summary["warnings"] == []
    assert summary_dict(exp, result, None, (0.25, 4))["cost_before_training"] == 0.25


@pytest.mark.parametrize("settings, says", [
    ({"learning_rate": -0.5}, "training.learning_rate: -0.5 must be greater than 0"),  # trained uphill, silently
    ({"batch_size": 0}, 'training.batch_size: 0 must be a positive whole number or "full"'),  # was range()'s ValueError
    ({"optimizer": "rmsprop"}, "training.optimizer: rmsprop is not one of: sgd, momentum, adam"),  # KeyError
    ({"schedule": "cosine"}, "training.schedule: cosine is not one of"),  # KeyError
    ({"learning_rate": float("nan")}, "training.learning_rate: .nan must be a finite number"),  # "diverged"
    ({"l2": 0.1}, "training.l2: 0.1, but the network's own λ is 0"),  # ignored: trained without L2
])
def test_a_trainer_refuses_settings_a_config_file_could_not_hold(settings, says):
    """A TrainingConfig built in Python is checked as a config file's training section is."""
    from backprop_cli.config import TrainingConfig
    from backprop_cli.errors import ConfigError
    from backprop_cli.training import Trainer

    ds = generate("xor", np.random.default_rng(0))
    net = Network([2, 3, 1], seed=0)
    before = [w.copy() for w in net.weights]
    with pytest.raises(ConfigError) as err:
        Trainer(net, ds, None, TrainingConfig(**settings), np.random.default_rng(0)).run()
    assert says in err.value.message
    assert all(np.array_equal(w, w0) for w, w0 in zip(net.weights, before))


def test_a_trainer_takes_numpy_numbers_and_the_networks_own_l2():
    from backprop_cli.config import TrainingConfig
    from backprop_cli.training import Trainer

    ds = generate("xor", np.random.default_rng(0))
    settings = TrainingConfig(learning_rate=np.float32(0.5), epochs=np.int64(3), batch_size=np.int32(2), l2=0.01)
    result = Trainer(Network([2, 3, 1], seed=0, l2=0.01), ds, None, settings, np.random.default_rng(0)).run()
    assert result.epochs == 3
    unset = TrainingConfig(epochs=2)  # l2 0, the default: the network's λ is trained
    assert Trainer(Network([2, 3, 1], seed=0, l2=0.01), ds, None, unset, np.random.default_rng(0)).run().epochs == 2


def test_a_trainer_refuses_data_that_do_not_fit_the_network():
    """These were numpy's broadcasting ValueError, or a ZeroDivisionError, from inside the loop."""
    from backprop_cli.config import TrainingConfig
    from backprop_cli.data import Dataset
    from backprop_cli.errors import InputError
    from backprop_cli.training import Trainer

    xor = generate("xor", np.random.default_rng(0))
    two_outputs = Dataset(xor.X, np.hstack([xor.Y, 1 - xor.Y]), "regression", None, ("a", "b"), ("y", "z"), "t")
    empty = Dataset(np.zeros((0, 2)), np.zeros((0, 1)), "regression", None, ("a", "b"), ("y",), "t")
    cases = [
        (Network([3, 2, 1]), xor, None, "train_set: X has 2 columns and Y 1, but the 3-2-1 network has 3 inputs "
                                        "and 1 output"),
        (Network([2, 2, 1]), two_outputs, None, "train_set: X has 2 columns and Y 2, but the 2-2-1 network"),
        (Network([2, 2, 1]), xor, two_outputs, "test_set: X has 2 columns and Y 2"),
        (Network([2, 2, 1]), empty, None, "train_set: no examples"),
        (Network([2, 2, 1]), (xor.X, xor.Y), None, "train_set: a tuple; expected a data.Dataset"),
    ]
    for net, train_set, test_set, says in cases:
        with pytest.raises(InputError) as err:
            Trainer(net, train_set, test_set, TrainingConfig(), np.random.default_rng(0)).run()
        assert says in err.value.message


def test_nan_in_a_data_set_is_named_not_reported_as_divergence():
    """A Dataset built in Python with a NaN or inf (the loaders refuse them) made training 'diverge
    at epoch 1' with a smaller learning rate to try; a NaN test set gave NaN test costs, silently."""
    from backprop_cli.config import TrainingConfig
    from backprop_cli.data import Dataset
    from backprop_cli.errors import InputError
    from backprop_cli.training import Trainer

    def data(X, Y):
        return Dataset(np.array(X, float), np.array(Y, float), "regression", None, ("a", "b"), ("y",), "t")

    good = data([[1, 0], [0, 1]], [[0], [1]])
    cases = [(data([[1, 0], [np.nan, 1]], [[0], [1]]), None, "train_set.X: row 1 holds NaN or an infinite value"),
             (data([[1, 0], [0, 1]], [[np.inf], [1]]), None, "train_set.Y: row 0 holds NaN or an infinite value"),
             (good, data([[1, 0], [0, 1]], [[0], [np.nan]]), "test_set.Y: row 1 holds NaN or an infinite value")]
    for train_set, test_set, says in cases:
        with pytest.raises(InputError) as err:
            Trainer(Network([2, 2, 1], seed=0), train_set, test_set, TrainingConfig(epochs=3),
                    np.random.default_rng(0)).run()
        assert says in err.value.message
    with pytest.raises(DivergedError):  # real divergence, finite data: still reported as such
        Trainer(Network([2, 2, 1], seed=0, activation="linear"), data([[1e3, 0], [0, 1e3]], [[0], [1]]), None,
                TrainingConfig(epochs=50, learning_rate=10.0), np.random.default_rng(0)).run()


@pytest.mark.parametrize("batch_size, epochs", [(None, 2), (2, 2), (2, 10)])  # full batch; cast per batch; once
def test_float64_data_beyond_float32s_range_is_named_for_a_float32_network(batch_size, epochs):
    """It was 'training diverged at epoch 2' after a numpy RuntimeWarning (overflow in cast)."""
    import warnings

    from backprop_cli.config import TrainingConfig
    from backprop_cli.data import Dataset
    from backprop_cli.errors import InputError
    from backprop_cli.training import Trainer

    X = np.array([[0, 0], [0, 1], [1, 0], [1e39, 1]]); Y = np.array([[0.0], [1], [1], [0]])
    ds = Dataset(X, Y, "classification", ("0", "1"), ("a", "b"), ("y",), "t")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(InputError) as err:
            Trainer(Network([2, 3, 1], seed=0, dtype="float32"), ds, None,
                    TrainingConfig(epochs=epochs, batch_size=batch_size), np.random.default_rng(0)).run()
    assert err.value.message == ("train_set.X: row 3 holds values beyond float32's range (|x| above 3.4e+38); "
                                 "this network computes in float32")


@pytest.mark.parametrize("dtype, name", [(np.float32, "float32"), (np.dtype("float32"), "float32"),
                                         (float, "float64"), ("f8", "float64")])
def test_a_trainer_takes_the_dtypes_a_network_takes(dtype, name):
    """TrainingConfig(dtype=np.float32) was a TypeError ('unbound method generic.item() needs an
    argument'), np.dtype('float32') "training.dtype: 'float32' is not one of: float64, float32"."""
    from backprop_cli.config import TrainingConfig
    from backprop_cli.training import Trainer

    ds = generate("xor", np.random.default_rng(0)).astype(name)
    net = Network([2, 3, 1], seed=0, dtype=dtype)
    settings = TrainingConfig(epochs=2, dtype=dtype)
    assert Trainer(net, ds, None, settings, np.random.default_rng(0)).run().epochs == 2


def test_a_trainer_refuses_a_dtype_a_network_refuses():
    from backprop_cli.config import TrainingConfig
    from backprop_cli.errors import ConfigError
    from backprop_cli.training import Trainer

    ds = generate("xor", np.random.default_rng(0))
    with pytest.raises(ConfigError, match="training.dtype: .*float16.* is not one of: float64, float32"):
        Trainer(Network([2, 3, 1], seed=0), ds, None, TrainingConfig(dtype=np.float16), np.random.default_rng(0))


def test_a_trainer_trains_with_the_checked_settings():
    """A whole float where a count belongs passes the check, as in a config file (batch_size: 2.0),
    but the Trainer went on with the float: a TypeError from numpy at the first batch."""
    from backprop_cli.config import TrainingConfig
    from backprop_cli.training import Trainer

    ds = generate("xor", np.random.default_rng(0))
    floats = TrainingConfig(epochs=3.0, batch_size=2.0, patience=2.0, early_stopping=True)
    ints = TrainingConfig(epochs=3, batch_size=2, patience=2, early_stopping=True)
    runs = [Trainer(Network([2, 3, 1], seed=0), ds, ds, s, np.random.default_rng(0)).run() for s in (floats, ints)]
    assert [s.train_cost for s in runs[0].history] == [s.train_cost for s in runs[1].history]
    assert runs[0].epochs == 3


def test_a_trainer_refuses_early_stopping_with_nothing_to_watch():
    """A config file without a held-out split is refused; in Python it ran every epoch and
    reported no best epoch, silently."""
    from backprop_cli.config import TrainingConfig
    from backprop_cli.errors import ConfigError
    from backprop_cli.training import Trainer

    ds = generate("xor", np.random.default_rng(0))
    settings = TrainingConfig(epochs=30, patience=2, early_stopping=True)
    with pytest.raises(ConfigError, match="training.early_stopping: needs a held-out cost to watch; pass a val_set"):
        Trainer(Network([2, 3, 1], seed=0), ds, None, settings, np.random.default_rng(0))
    for test_set, val_set in ((ds, None), (None, ds)):
        trainer = Trainer(Network([2, 3, 1], seed=0), ds, test_set, settings, np.random.default_rng(0), val_set=val_set)
        assert trainer.run().best_epoch is not None


@pytest.mark.parametrize("extra", [{}, {"optimizer": "adam", "l2": 0.01}, {"l2": 0.01}])
def test_a_trainer_keeps_at_most_29_attributes(extra):
    """CPython 3.11 keeps up to 29 attributes in an instance's compact shared layout; with a 30th
    every self.<name> of the training loop got slower (xor +1%, benchmarks/README.md). Per-run
    state that needs a new name belongs to the engine or a grouped attribute."""
    from backprop_cli.training import Trainer

    raw = {"data": {"dataset": "xor", "test_fraction": 0}, "network": {"layers": [2, 3, 1]},
           "training": {"epochs": 3, "batch_size": 2, **extra}}
    exp = prepare(config_from_dict(raw, "t.yaml", ROOT))
    trainer = Trainer(exp.net, exp.train, exp.test, exp.config.training, exp.streams.shuffle)
    trainer.run()
    assert len(vars(trainer)) <= 29, sorted(vars(trainer))


def test_a_penalty_that_overflows_is_divergence_at_that_epoch():
    """η·λ = 2.5 > 2: plain SGD's decay w ← (1 − ηλ) w grows the weights 1.5× a step, whatever the
    data. The sigmoid outputs saturate, so the data cost stays finite, but (λ/2) Σ‖w‖² overflows
    long before w does. The reported cost (with the penalty) was inf for ~900 epochs while training
    went on (metrics and checkpoints full of inf), and the error came only at the end, naming the
    last epoch; the README says training stops at the epoch the cost becomes infinite."""
    import math

    from backprop_cli.config import TrainingConfig
    from backprop_cli.training import Trainer

    cfg = config_from_dict({"network": {"layers": [2, 3, 1]}}, "x.yaml", ROOT)
    exp = prepare(cfg)
    net = Network([2, 3, 1], seed=0, l2=5.0)
    settings = TrainingConfig(learning_rate=0.5, epochs=2000, batch_size=None, l2=5.0)
    seen: list[float] = []
    with pytest.raises(DivergedError, match=r"diverged at epoch (\d+)") as info:
        Trainer(net, exp.train, None, settings, np.random.default_rng(0)).run(
            lambda s: seen.append(s.train_cost))
    assert seen and all(math.isfinite(c) for c in seen)  # no epoch reported with an infinite cost
    assert info.value.epoch == len(seen) + 1 < 2000  # the first epoch whose cost was not finite
    # the message says it was the penalty, and the hint names η·λ, not only the learning rate
    assert "the L2 penalty (λ/2) Σ‖w‖² (λ = 5) overflowed while the data's cost stayed finite" in info.value.message
    # (it said 'η·λ = 2.5: above 2 … lower training.l2 or the learning rate (e.g. --lr 0.05)' in the hint alone)
    assert "training.l2 = 5 is too large for η = 0.5: η·λ = 2.5, above 2" in info.value.message
    assert info.value.hint.startswith("lower training.l2 below 2/η = 4 (e.g. --set training.l2=2)"), info.value.hint


@pytest.mark.parametrize("batch_size", [None, 40, 100])
def test_one_batch_of_every_row_is_not_shuffled_and_draws_nothing(batch_size):
    """README (training.shuffle): with one batch of every row the order is 0, 1, 2, … and nothing
    is drawn. shuffle: true then trains exactly as shuffle: false, and leaves the shuffle stream
    where it was (a drawn permutation changed the order of the batch's sums, so the weights'
    last digits, and the stream a resumed run or a reproduction elsewhere goes on from)."""
    from backprop_cli.config import TrainingConfig
    from backprop_cli.training import Trainer

    ds = generate("circles", np.random.default_rng(0), n_samples=40)
    trained = {}
    for shuffle in (True, False):
        rng = np.random.default_rng(9)
        net = Network([2, 5, 1], seed=1)
        Trainer(net, ds, None, TrainingConfig(epochs=3, batch_size=batch_size, shuffle=shuffle), rng).run()
        assert rng.bit_generator.state == np.random.default_rng(9).bit_generator.state
        trained[shuffle] = [*net.weights, *net.biases]
    assert all(np.array_equal(a, b) for a, b in zip(trained[True], trained[False]))


def test_a_held_out_cost_that_stays_exactly_the_same_is_no_improvement():
    """README (Early stopping): an epoch improves when its watched cost is below the best so far
    minus min_delta (0 here). A network already at the minimum of its data (y = 2x + 1, w = 2,
    b = 1: every gradient exactly 0) keeps its validation cost at exactly 0: epoch 1 improves on
    nothing, epochs 2 and 3 do not, so with patience 2 it stops after epoch 3 keeping epoch 1 (an
    equal cost counted as better would never stop, and keep the last epoch)."""
    from backprop_cli.config import TrainingConfig
    from backprop_cli.data import Dataset
    from backprop_cli.training import Trainer

    x = np.arange(8.0).reshape(-1, 1)
    ds = Dataset(x, 2 * x + 1, "regression", None, ("x",), ("y",), "line")
    net = Network([1, 1], output_activation="linear", cost="half_squared_error")
    net.weights, net.biases = [np.array([[2.0]])], [np.array([1.0])]
    settings = TrainingConfig(epochs=10, batch_size=4, early_stopping=True, patience=2)
    result = Trainer(net, ds, None, settings, np.random.default_rng(0), val_set=ds).run()
    assert [s.val_cost for s in result.history] == [0.0, 0.0, 0.0]
    assert result.stopped_early and result.epochs == 3 and result.best_epoch == 1


def test_an_output_of_exactly_one_half_is_the_first_class_in_training_as_in_evaluation():
    """README (Accuracy): for one output the second class where a > 0.5, in training, evaluate and
    predict alike. A sigmoid output with w = 0 and b = 0 is exactly σ(0) = 0.5 for every row: the
    first class. Epoch 1's train accuracy counts the predictions made before its (one) step."""
    from backprop_cli.config import TrainingConfig
    from backprop_cli.data import Dataset, accuracy
    from backprop_cli.training import Trainer

    X, Y = np.random.default_rng(0).normal(size=(3, 2)), np.array([[0.0], [0.0], [1.0]])
    ds = Dataset(X, Y, "classification", ("no", "yes"), ("p", "q"), ("t",), "test")
    net = Network([2, 1], output_activation="sigmoid", cost="cross_entropy")
    net.weights, net.biases = [np.zeros((1, 2))], [np.zeros(1)]
    assert np.all(net.predict(X) == 0.5)
    assert accuracy(Y, net.predict(X)) == pytest.approx(2 / 3)
    result = Trainer(net, ds, None, TrainingConfig(epochs=1, batch_size=None), np.random.default_rng(0)).run()
    assert result.history[0].train_accuracy == pytest.approx(2 / 3)


def test_the_held_out_and_final_costs_carry_the_l2_penalty():
    """README (Accuracy): the test and validation figures of an epoch (and their costs, with the L2
    penalty) use the weights at the end of the epoch; the summary's are on the final weights. Each
    is the network's cost, written out here: the mean of Σ_j (a_j − y_j)² plus (λ/2) Σ_l ‖w^(l)‖²."""
    from backprop_cli.config import TrainingConfig
    from backprop_cli.training import Trainer

    ds = generate("circles", np.random.default_rng(0), n_samples=60)
    train_set, test_set, val_set = ds.subset(np.arange(40)), ds.subset(np.arange(40, 50)), ds.subset(np.arange(50, 60))
    lam = 0.05
    net = Network([2, 5, 1], seed=1, l2=lam)
    result = Trainer(net, train_set, test_set, TrainingConfig(epochs=3, batch_size=8, l2=lam),
                     np.random.default_rng(0), val_set=val_set).run()
    penalty = 0.5 * lam * sum(float(np.sum(w ** 2)) for w in net.weights)
    assert penalty > 1e-3

    def cost(part):
        return float(np.mean(np.sum((net.predict(part.X) - part.Y) ** 2, axis=1))) + penalty

    last = result.history[-1]
    assert last.test_cost == pytest.approx(cost(test_set), rel=1e-12)
    assert last.val_cost == pytest.approx(cost(val_set), rel=1e-12)
    assert result.test_cost == pytest.approx(cost(test_set), rel=1e-12)
    assert result.val_cost == pytest.approx(cost(val_set), rel=1e-12)
    assert result.train_cost == pytest.approx(cost(train_set), rel=1e-12)


def test_a_cost_not_finite_before_the_first_step_blames_the_initial_weights_not_the_learning_rate():
    """Given weights of 1e300 overflow the very first forward pass: 'try a smaller learning rate than 0.1
    (e.g. --lr 0.01)' could not help, as no step had been taken; the weights (or inputs) are to blame."""
    from backprop_cli.config import TrainingConfig
    from backprop_cli.data import Dataset
    from backprop_cli.training import Trainer

    ds = Dataset(X=np.array([[0.5], [1.0], [-1.0]]), Y=np.array([[0.1], [0.2], [0.3]]), task="regression")
    for optimizer, batch_size in (("sgd", None), ("sgd", 2), ("adam", 2)):
        net = Network([1, 1], output_activation="linear", cost="half_squared_error")
        net.weights[0][...] = 1e300
        settings = TrainingConfig(learning_rate=0.1, epochs=3, batch_size=batch_size, optimizer=optimizer,
                                  shuffle=False)
        with pytest.raises(DivergedError) as info:
            Trainer(net, ds, None, settings, np.random.default_rng(0)).run()
        e = info.value
        assert "already NaN or infinite before the first step, on the initial weights (|w|, |b| up to 1e+300)" \
            in e.message, e.message
        assert "learning rate plays no part" in e.message and "--lr" not in e.hint, e.hint
        assert "network.weights" in e.hint and "data.standardize" in e.hint and e.exit_code == 1
    # once a step was taken, the learning rate is the suspect again
    from backprop_cli.training import diverged

    assert diverged(Network([1, 1]), 2, 0.1).hint == "try a smaller learning rate than 0.1 (e.g. --lr 0.01)"


@pytest.mark.parametrize("eta, suggested", [(1e300, "1"), (100, "1"), (10, "1"), (5, "0.5"), (0.5, "0.05"),
                                            (1 / 3, "0.033"), (2e-7, "2e-08")])
def test_a_smaller_learning_rate_to_try_is_a_tenth_at_most_1_in_two_digits(eta, suggested):
    """η = 1e300 diverged with 'e.g. --lr 1e+299', no more use than 1e+300 was; 1/3 suggested 0.0333333."""
    from backprop_cli.training import diverged, smaller_rate

    assert f"{smaller_rate(eta):g}" == suggested
    assert diverged(Network([1, 1]), 2, eta).hint.endswith(f"(e.g. --lr {suggested})")


def _stats(costs, accuracies=None):
    from backprop_cli.training import EpochStats

    accuracies = accuracies or [None] * len(costs)
    return tuple(EpochStats(e, c, a, None, None, 0.1 * e) for e, (c, a) in enumerate(zip(costs, accuracies), 1))


def _ten_classes(n=100):
    from backprop_cli.data import Dataset

    labels = np.arange(n) % 10
    return Dataset(X=np.zeros((n, 2)), Y=np.eye(10)[labels], task="classification",
                   class_names=tuple(str(k) for k in range(10)))


def test_a_cost_stuck_from_an_early_epoch_at_chance_accuracy_is_a_stall():
    """digits at η = 50: the cost went 2.708 → 1.82036 → 1.79972 and stayed there to epoch 40 at 10%
    accuracy, chance among 10 classes; the run ended with exit 0 and no word."""
    from backprop_cli.training import Stall, TrainResult, stalled

    ds, net = _ten_classes(), Network([2, 10], seed=0)
    costs = [1.82036] + [1.79972] * 39

    def result(accuracy, costs=costs):
        return TrainResult(history=_stats(costs), train_cost=costs[-1], train_accuracy=accuracy, test_cost=None,
                           test_accuracy=None, epochs=len(costs), seconds=1.0)

    # above the 0.9 of always answering the class shares (0.1 each): stuck where no constant output would be
    assert stalled(result(0.1), net, ds, 2.708) == Stall(2, 1.79972, 2.708, "before training", 0.1, 0.1,
                                                         pytest.approx(0.9), True, ())
    assert stalled(result(0.1), net, ds, None) == Stall(2, 1.79972, 1.82036, "epoch 1", 0.1, 0.1,
                                                        pytest.approx(0.9), True, ())  # resumed
    assert stalled(result(0.11), net, ds, 2.708) is not None  # within 1 point of chance
    assert stalled(result(0.3), net, ds, 2.708) is None  # stuck, but learnt something: not this finding
    slow = [1.8 - 0.001 * e for e in range(40)]  # still moving: a slow run, not a stall
    assert stalled(result(0.1, slow), net, ds, 2.708) is None
    never = [2.708] * 40  # never moved from the untrained cost (η far too small): not "η too large"
    assert stalled(result(0.1, never), net, ds, 2.708) is None
    late = [2.0 - 0.01 * e for e in range(25)] + [1.79972] * 15  # the cost moved until past half the run
    assert stalled(result(0.1, late), net, ds, 2.708) is None
    assert stalled(result(0.1, costs[:4]), net, ds, 2.708) is None  # too few epochs to tell


def _plateau(costs, final, accuracy=None):
    from backprop_cli.training import TrainResult

    return TrainResult(history=_stats(costs), train_cost=final, train_accuracy=accuracy, test_cost=None,
                       test_accuracy=None, epochs=len(costs), seconds=1.0)


def test_a_regression_stuck_at_the_constant_outputs_cost_is_a_stall_only_with_its_units_stuck():
    """A plateau at the cost of the targets' mean is the best there is when the inputs say nothing of the targets
    (here all 0): it was warned about, 'η is likely too large', with no unit stuck, even with no hidden layer.
    Only a layer whose every unit is saturated (or dead) explains it, and is named."""
    from backprop_cli.data import Dataset
    from backprop_cli.training import StuckLayer, stalled

    Y = np.array([[0.0], [1.0], [2.0], [3.0]])
    ds = Dataset(X=np.zeros((4, 1)), Y=Y, task="regression")
    constant = 0.5 * float(np.mean((Y - Y.mean()) ** 2))  # 0.625: the mean's cost
    stuck = _plateau([3.0] + [constant] * 9, constant)
    assert stalled(stuck, Network([1, 1], output_activation="linear", cost="half_squared_error"), ds, 5.0) is None
    live = Network([1, 4, 1], activation="tanh", output_activation="linear", cost="half_squared_error", seed=0)
    assert stalled(stuck, live, ds, 5.0) is None
    saturated = live.copy()
    saturated.biases = [np.array([9.0, -9.0, 8.0, 3.0]), saturated.biases[1]]  # tanh' = 1 − tanh² < 0.01 at |z| ≥ 3
    found = stalled(stuck, saturated, ds, 5.0)
    assert found is not None and found.since == 2 and found.accuracy is None
    assert found.chance == pytest.approx(constant) and found.constant == pytest.approx(constant)
    assert found.stuck == (StuckLayer(1, "tanh", 4, 4, False, False),)
    partly = live.copy()
    partly.biases = [np.array([9.0, -9.0, 8.0, 0.0]), partly.biases[1]]  # one unit still live: not explained
    assert stalled(stuck, partly, ds, 5.0) is None
    fit = _plateau([3.0] + [0.01] * 9, 0.01)
    assert stalled(fit, saturated, ds, 5.0) is None  # converged early to a good fit: no finding


def test_a_classification_stuck_at_the_class_shares_cost_is_a_stall_only_with_a_layer_stuck():
    """Inputs that say nothing of the labels: the best answer is the class shares, at chance accuracy, and a run
    that reaches it is not stuck (it was told 'η = 0.5 is likely too large (try --lr 0.05)', and at 0.05 to try
    0.005). Its cost above that (digits at η = 50: 1.8 against 0.9), or every unit of a layer dead, still is."""
    from backprop_cli.data import Dataset
    from backprop_cli.training import StuckLayer, constant_cost, stalled

    labels = np.array([0] * 5 + [1] * 3 + [2] * 2)
    ds = Dataset(X=np.ones((10, 2)), Y=np.eye(3)[labels], task="classification", class_names=("x", "y", "z"))
    shares = np.array([0.5, 0.3, 0.2])
    entropy = float(-(shares * np.log(shares)).sum())
    net = Network([2, 8, 3], activation="tanh", output_activation="softmax", cost="cross_entropy", seed=0)
    assert constant_cost(net, ds.Y) == pytest.approx(entropy, rel=1e-12)
    assert stalled(_plateau([1.3] + [entropy] * 20, entropy, 0.5), net, ds, 1.41) is None
    assert stalled(_plateau([1.3] + [entropy] * 20, entropy * 1.0005, 0.5), net, ds, 1.41) is None  # within 0.1%
    above = stalled(_plateau([1.3] + [1.5] * 20, 1.5, 0.5), net, ds, 1.41)
    assert above is not None and above.above_constant and above.stuck == ()
    relu = Network([2, 8, 3], activation="relu", output_activation="softmax", cost="cross_entropy", seed=0)
    relu.biases = [np.full(8, -100.0), relu.biases[1]]
    dead = stalled(_plateau([1.3] + [entropy] * 20, entropy, 0.5), relu, ds, 1.41)
    assert dead is not None and not dead.above_constant
    assert dead.stuck == (StuckLayer(1, "relu", 8, 8, False, True),)  # softmax + cross_entropy: its σ' cancels
    # the other costs' best constant output is the class shares too
    sse = Network([2, 3], activation="sigmoid", cost="squared_error")
    assert constant_cost(sse, ds.Y) == pytest.approx(float((shares * (1 - shares)).sum()), rel=1e-12)
    bce = Network([2, 3], activation="sigmoid", cost="cross_entropy")
    assert constant_cost(bce, ds.Y) == pytest.approx(
        float(-(shares * np.log(shares) + (1 - shares) * np.log(1 - shares)).sum()), rel=1e-12)


def _train_warnings(tmp_path, csv, config, overrides=None):
    from backprop_cli.render.train import warnings
    from backprop_cli.training import cost_before_training

    (tmp_path / "d.csv").write_text(csv)
    (tmp_path / "c.yaml").write_text(config)
    cfg = load_config(tmp_path / "c.yaml", overrides)
    untrained = prepare(cfg)
    before = cost_before_training(untrained.net, untrained.train)
    exp, result = run(cfg)
    return warnings(exp, result, before)


def test_inputs_that_say_nothing_of_the_targets_get_no_stall_warning(tmp_path):
    """90 rows '1,2,<a random x, y or z>', 2-8-3 tanh/softmax, cross_entropy, full batch, η = 0.5, 300 epochs: the
    cost settles on the class shares' at chance accuracy, the best answer there is; it was told the first steps
    saturated its sigmoids, 'η = 0.5 is likely too large (try --lr 0.05)', and at η = 0.05 'try --lr 0.005'.
    Its regression twin (a constant input, 1-8-1 tanh/linear, η = 0.1) was warned too."""
    rng = np.random.default_rng(1)
    rows = "".join(f"1,2,{label}\n" for label in rng.choice(list("xyz"), 90))
    config = ("data:\n  path: d.csv\n  target: label\n  test_fraction: 0\nnetwork:\n  layers: [2, 8, 3]\n"
              "  activation: tanh\n  output_activation: softmax\ncost: cross_entropy\n"
              "training:\n  learning_rate: 0.5\n  epochs: 300\n  batch_size: 90\n")
    assert _train_warnings(tmp_path, "a,b,label\n" + rows, config) == []
    assert _train_warnings(tmp_path, "a,b,label\n" + rows, config, {"training.learning_rate": 0.05}) == []
    values = "".join(f"1,{v:.4f}\n" for v in rng.normal(size=90))
    config = ("data:\n  path: d.csv\n  target: t\n  test_fraction: 0\nnetwork:\n  layers: [1, 8, 1]\n"
              "  activation: tanh\n  output_activation: linear\ncost: half_squared_error\n"
              "training:\n  learning_rate: 0.1\n  epochs: 300\n  batch_size: 90\n")
    assert _train_warnings(tmp_path, "a,t\n" + values, config) == []
    # the same network with its tanh units saturated on every row (given weights): warned, naming them
    saturated = config.replace("  output_activation: linear\n", "  output_activation: linear\n"
                                  "  weights: [[[9], [-9], [8], [7], [9], [-9], [8], [7]], [[1, 1, 1, 1, 1, 1, 1, 1]]]\n")
    [warning] = _train_warnings(tmp_path, "a,t\n" + values, saturated)
    assert "the network does no better than a constant output, the training targets' mean" in warning, warning
    assert ("the first steps likely drove units where their gradients vanish (all 8 tanh units of layer 1 "
            "saturated: σ'(z) ≈ 0 on 99% or more of the training rows); η = 0.1 is likely too large") in warning
    assert "sigmoid" not in warning and "ReLU" not in warning


def test_a_stall_with_units_stuck_names_eta_and_the_schedule_that_kept_them_there(tmp_path):
    """Units stuck where their gradients vanish, and a schedule that took η to ~0 by the plateau (γ = 0.001 every
    epoch): η is named as before, and the schedule too; a schedule that leaves η to train on is not named."""
    rng = np.random.default_rng(1)
    values = "".join(f"1,{v:.4f}\n" for v in rng.normal(size=90))
    config = ("data:\n  path: d.csv\n  target: t\n  test_fraction: 0\nnetwork:\n  layers: [1, 8, 1]\n"
              "  activation: tanh\n  output_activation: linear\n"
              "  weights: [[[9], [-9], [8], [7], [9], [-9], [8], [7]], [[1, 1, 1, 1, 1, 1, 1, 1]]]\n"
              "cost: half_squared_error\ntraining:\n  learning_rate: 0.1\n  epochs: 30\n  batch_size: 90\n")
    from backprop_cli.render.train import warnings
    from backprop_cli.training import Trainer, cost_before_training

    (tmp_path / "d.csv").write_text("a,t\n" + values)
    (tmp_path / "c.yaml").write_text(config)

    def summary_warnings(gamma):
        cfg = load_config(tmp_path / "c.yaml", {"training.schedule": "step", "training.step_size": 1,
                                                "training.gamma": gamma})
        exp = prepare(cfg)
        before = cost_before_training(exp.net, exp.train)
        result = Trainer(exp.net, exp.train, exp.test, cfg.training, exp.streams.shuffle).run()  # as scheduled
        return warnings(exp, result, before)

    [warning] = summary_warnings(0.001)
    assert ("saturated: σ'(z) ≈ 0 on 99% or more of the training rows); η = 0.1 is likely too large (try --lr "
            "0.01), and the step schedule had taken η to ") in warning, warning
    assert warning.endswith(", too small to move them back: raise training.gamma (0.001) or training.step_size (1)")
    [warning] = summary_warnings(0.9)
    assert warning.endswith("η = 0.1 is likely too large (try --lr 0.01)"), warning


def test_an_l2_penalty_infinite_on_the_initial_weights_blames_them_not_the_learning_rate():
    """hand_worked with w^(1) of 1e200 and training.l2 = 0.01: the data's cost is finite but (λ/2) Σ‖w‖² overflows
    before any step; 'training diverged at epoch 1 … lower training.l2 or the learning rate (e.g. --lr 0.05)' could
    not help (a smaller λ overflows alike, η plays no part): training could not start, on the initial weights."""
    from backprop_cli.config import TrainingConfig
    from backprop_cli.data import Dataset
    from backprop_cli.training import Trainer

    ds = Dataset(X=np.array([[0.05, 0.1]]), Y=np.array([[0.01, 0.99]]), task="regression")
    for optimizer in ("sgd", "adam"):
        net = Network([2, 2, 2], l2=0.01)
        net.weights = [np.array([[1e200, 1e200], [1.0, 1.0]]), np.ones((2, 2))]
        with pytest.raises(DivergedError) as info:
            Trainer(net, ds, None, TrainingConfig(learning_rate=0.5, epochs=3, optimizer=optimizer, l2=0.01),
                    np.random.default_rng(0)).run()
        e = info.value
        assert e.message.startswith("training could not start: the L2 penalty (λ/2) Σ‖w‖² (λ = 0.01) is already "
                                    "infinite before the first step, on the initial weights (|w| up to 1e+200)"), e.message
        assert "learning rate plays no part" in e.message and "--lr" not in e.hint, e.hint
        assert "network.weights" in e.hint and "training.l2: 0" in e.hint and e.exit_code == 1
        assert net.weights[0][0, 0] == 1e200  # no step was taken


def test_an_oversized_l2_on_ordinary_weights_is_named_not_the_weights():
    """training.l2 = 1e308 on weights network.init drew (|w| < 1): λ·½Σ‖w‖² overflows only because λ is huge;
    the error names training.l2 and its value and the hint says to lower it, not to give smaller weights. A λ
    whose decay η·λ is above 2 blows the weights up within the first epoch: its hint names η·λ too, not the
    learning rate alone (1e300 was told only 'try a smaller learning rate than 0.1 (e.g. --lr 0.01)')."""
    from backprop_cli.config import TrainingConfig
    from backprop_cli.data import Dataset
    from backprop_cli.training import Trainer

    ds = Dataset(X=np.array([[0.05, 0.1], [0.3, 0.2]]), Y=np.array([[0.01, 0.99], [0.5, 0.5]]), task="regression")
    net = Network([2, 2, 2], l2=1e308, seed=0)
    with pytest.raises(DivergedError) as info:
        Trainer(net, ds, None, TrainingConfig(learning_rate=0.5, epochs=3, l2=1e308), np.random.default_rng(0)).run()
    e = info.value
    assert e.message.startswith("training could not start: training.l2 = 1e+308 is too large: the L2 penalty "
                                "λ·½Σ‖w‖² is infinite on the initial weights"), e.message
    assert "initial weights are too large" not in e.message and "network.weights" not in e.hint, e.hint
    assert e.hint.startswith("lower training.l2") and "λ well below 2" in e.hint and "training.l2: 0" in e.hint
    assert "e.g. --set training.l2=0.2" in e.hint, e.hint  # η·λ = 0.1
    net = Network([2, 2, 2], l2=1e300, seed=0)
    with pytest.raises(DivergedError) as info:
        Trainer(net, ds, None, TrainingConfig(learning_rate=0.1, epochs=3, l2=1e300), np.random.default_rng(0)).run()
    # the λ named in the message; the hint's λ makes η·λ below 2 (it suggested --lr 0.01: η·λ still 1e+298)
    assert "training.l2 = 1e+300 is too large for η = 0.1: η·λ = 1e+299, above 2" in info.value.message
    assert info.value.hint == "lower training.l2 below 2/η = 20 (e.g. --set training.l2=10)", info.value.hint


@pytest.mark.parametrize("eta, l2, product, lam, rate", [
    (2.0, 1e308, "2e+308", 0.5, None),  # η·λ overflows: named in log space, not 'inf'
    (2.0, 1e300, "2e+300", 0.5, None),
    (2.0, 1e10, "2e+10", 0.5, None),  # 1/λ = 1e-10: no learning rate that small is suggested
    (0.1, 30.0, "3", 10.0, 0.03),
    (0.3, 7.0, "2.1", 3.0, 0.1),
    (3.0, 1.0, "3", 0.3, 1.0),  # 1/λ = 1: at most MAX_SUGGESTED_RATE
    (100.0, 0.05, "5", 0.01, 1.0),
])
def test_decay_advice_suggests_values_that_bring_eta_lambda_below_2(eta, l2, product, lam, rate):
    """Plain SGD's w ← (1 − ηλ) w grows the weights whatever the data once η·λ > 2: the advice names η·λ
    readably and suggests a λ, and a learning rate where it is at least 1e-6, each making η·λ < 2 (at
    most 1) as the user would type them (the suggestions used to be a tenth of η: λ = 1e300 got --lr 0.2)."""
    import re

    from backprop_cli.training import decay_advice

    why, todo = decay_advice(eta, l2)
    assert f"training.l2 = {l2:g} is too large for η = {eta:g}: η·λ = {product}, above 2" in why
    assert "inf" not in why
    typed_l2 = float(re.search(r"--set training\.l2=(\S+)\)", todo).group(1))
    assert typed_l2 == lam and eta * typed_l2 < 2
    typed_lr = re.search(r"--lr (\S+)\)", todo)
    assert (typed_lr and float(typed_lr.group(1))) == rate or (typed_lr is None and rate is None), todo
    if typed_lr:
        assert float(typed_lr.group(1)) * l2 < 2
    # no advice below η·λ = 2, for a zero λ, or for momentum and adam, whose steps are not (1 − ηλ) w
    assert decay_advice(0.1, 19.0) is None and decay_advice(2.0, 0.0) is None
    assert decay_advice(eta, l2, "adam") is None and decay_advice(eta, l2, "momentum") is None


def test_epoch_numbers_in_prose_count_with_thousands_separators():
    """An epoch past 999 is said as the progress and the Ctrl-C line say it, 1,234, in a divergence and a
    checkpoint's position (a command's --epochs value stays as typed: 1234)."""
    from backprop_cli.commands.train import _position
    from backprop_cli.training import diverged

    net = Network([2, 2, 1], seed=0)
    net.weights[0][0, 0] = np.inf
    assert diverged(net, 1234, 0.5).message.startswith("training diverged at epoch 1,234: ")
    assert _position(1234, 0) == "epoch 1,234"
    assert _position(1234, 5) == "epoch 1,235, after batch 5"


def test_a_cost_that_never_moved_is_warned_of_naming_eta_or_the_stuck_units(tmp_path):
    """η = 1e-20 (or 1e-320) on xor: 50 epochs at 0.274747 throughout, exit 0 without a word, where a cost that
    moved and then stopped is warned of. Now the summary says it did not move and names η; a network whose every
    unit is dead from its given weights on is told so instead; an η that moves the cost, however little, is not."""
    rows = "a,b,y\n0,0,0\n0,1,1\n1,0,1\n1,1,0\n"
    config = ("data:\n  path: d.csv\n  target: y\n  test_fraction: 0\nnetwork:\n  layers: [2, 3, 1]\n"
              "training:\n  learning_rate: 1.0e-20\n  epochs: 50\n")
    [warning] = _train_warnings(tmp_path, rows, config)
    assert warning.startswith("the training cost did not move in 50 epochs ("), warning
    assert " before training, " in warning and warning.endswith("η = 1e-20 is likely far too small to move the weights")
    before, after = (float(v) for v in re.findall(r"([0-9.]+) (?:before training|at the end)", warning))
    assert before == after > 0
    assert _train_warnings(tmp_path, rows, config, {"training.learning_rate": 1e-320})[0].endswith(
        "η = 9.99989e-321 is likely far too small to move the weights")
    assert _train_warnings(tmp_path, rows, config, {"training.learning_rate": 1e-7}) == []
    # too few epochs to tell: no word
    assert _train_warnings(tmp_path, rows, config, {"training.epochs": 4}) == []
    dead = config.replace("layers: [2, 3, 1]\n", "layers: [2, 2, 1]\n  activation: relu\n  output_activation: relu\n"
                          "  weights: [[[1, 1], [1, 1]], [[1, 1]]]\n  biases: [[-5, -5], [-1]]\n").replace(
                          "1.0e-20", "0.5")
    [warning] = _train_warnings(tmp_path, rows, dead)
    assert warning == ("the training cost did not move in 50 epochs (0.5 before training, 0.5 at the end): the "
                       "gradients vanish (all 2 relu units of layer 1 dead and the relu unit of layer 2, the output, "
                       "dead: σ'(z) ≈ 0 on 99% or more of the training rows): try other initial weights "
                       "(network.weights and network.biases)")  # given: another seed would change nothing
    # a least-squares fit given as the initial weights: the gradient is 0 there, nothing for η to move, no word
    # (it said 'η = 0.05 is likely far too small to move the weights')
    fitted = ("data:\n  path: d.csv\n  target: y\n  task: regression\n  test_fraction: 0\n  standardize: false\n"
              "network:\n  layers: [1, 1]\n  output_activation: linear\n  weights: [[[1.0]]]\n  biases: [[0.0]]\n"
              "cost: half_squared_error\ntraining:\n  learning_rate: 0.05\n  epochs: 50\n")
    assert _train_warnings(tmp_path, "x,y\n0,1\n1,0\n2,1\n3,4\n", fitted) == []
    away = fitted.replace("[[[1.0]]]", "[[[1.0000001]]]")  # a step from it, at the same η: the cost moves
    assert _train_warnings(tmp_path, "x,y\n0,1\n1,0\n2,1\n3,4\n", away) == []
    tiny = fitted.replace("0.05", "1.0e-20").replace("[[[1.0]]]", "[[[0.5]]]")  # off the fit, η tiny: said
    [warning] = _train_warnings(tmp_path, "x,y\n0,1\n1,0\n2,1\n3,4\n", tiny)
    assert warning.endswith("η = 1e-20 is likely far too small to move the weights"), warning
