"""The trainer's buffered hot path (engine.py) against the readable Network.backward."""

from __future__ import annotations

import numpy as np
import pytest

from backprop_cli import Network
from backprop_cli.activations import ACTIVATIONS
from backprop_cli.config import TrainingConfig
from backprop_cli.costs import supported_pairs
from backprop_cli.data import Dataset
from backprop_cli.engine import Engine
from backprop_cli.training import Trainer
from helpers import targets_for

PAIRS = supported_pairs()

HIDDEN = sorted(n for n, a in ACTIVATIONS.items() if a.hidden_ok)
@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("hidden", HIDDEN)
@pytest.mark.parametrize("out,cost", PAIRS)
def test_engine_gradients_equal_network_gradients(dtype, hidden, out, cost, input_path):
    rng = np.random.default_rng(5)
    net = Network([3, 5, 4, 3], activation=hidden, output_activation=out, cost=cost, seed=2, dtype=dtype)
    X = rng.normal(size=(7, 3)).astype(dtype)
    Y = targets_for(out, cost, 7, 3, rng).astype(dtype)
    eng = Engine(net, batch_size=10, gathered=True)  # larger than the batch: the buffers are sliced
    assert eng.plain_input == (input_path == "plain")
    eng.forward(X)
    total = eng.backward(X, Y, scale=1.0 / 7)
    dw, db = net.gradients(X, Y)
    tol = dict(rtol=1e-10, atol=1e-13) if dtype == "float64" else dict(rtol=2e-4, atol=1e-6)
    for got, want in zip(eng.gradients(), [*dw, *db]):
        assert got.dtype == np.dtype(dtype)
        np.testing.assert_allclose(got, want, **tol)
    assert total / 7 == pytest.approx(net.cost(X, Y), rel=1e-9 if dtype == "float64" else 1e-4)


@pytest.mark.parametrize("optimizer", ["sgd", "momentum", "adam"])
@pytest.mark.parametrize("l2", [0.0, 0.1])
@pytest.mark.parametrize("targets", ["one-hot", "soft", "mixed"])
def test_trainer_matches_a_plain_loop_over_network_gradients(optimizer, l2, targets, gather_path, monkeypatch):
    """Several epochs of the buffered trainer = the same updates written with Network.gradients,
    whichever way the batches reach the first layer, with one-hot targets and with soft ones whose
    rows do not sum to 1 (softmax + cross-entropy's δ is then a Σ_j y_j − y, not a − y), also when
    only some rows do not (mixed: a − y is right for none of the data set then)."""
    from backprop_cli import training
    from backprop_cli.optimizers import OPTIMIZERS

    copies = []
    real_prefaulted = training.prefaulted

    def prefaulted(shape, dtype):
        copies.append(shape)
        return real_prefaulted(shape, dtype)

    monkeypatch.setattr(training, "prefaulted", prefaulted)

    rng = np.random.default_rng(0)
    X, labels = rng.normal(size=(23, 4)), rng.integers(0, 3, 23)
    Y = np.eye(3)[labels] if targets == "one-hot" else rng.uniform(0.0, 1.0, (23, 3))
    if targets == "mixed":  # one-hot rows, every third one soft
        Y, Y[::3] = np.eye(3)[labels], Y[::3]
    # soft rows are no class labels (a classification Dataset holds one-hot rows, as the loaders make
    # them): they train as a regression set, the same Trainer and engine
    ds = (Dataset(X, Y, "classification", ("a", "b", "c"), ("p", "q", "r", "s"), ("t",), "test") if targets == "one-hot"
          else Dataset(X, Y, "regression", None, ("p", "q", "r", "s"), ("t0", "t1", "t2"), "test"))
    settings = TrainingConfig(learning_rate=0.2, epochs=3, batch_size=5, optimizer=optimizer, l2=l2)
    net = Network([4, 6, 3], activation="tanh", output_activation="softmax", cost="cross_entropy",
                  seed=1, l2=l2)
    slow = net.copy()
    trainer = Trainer(net, ds, None, settings, np.random.default_rng(9))
    trainer.run()
    assert trainer.engine.plain_input == (gather_path == "plain")
    assert trainer.engine.targets_sum_to_one == (targets == "one-hot")  # a − y only where it is right
    assert copies == ([(23, 5)] if gather_path == "ones copy" else [])  # [X 1]: 4 inputs and the 1
    order_rng = np.random.default_rng(9)
    params = [*slow.weights, *slow.biases]
    opt = OPTIMIZERS[optimizer](params)
    for _ in range(3):
        order = order_rng.permutation(23)
        for lo in range(0, 23, 5):
            idx = order[lo:lo + 5]
            dw, db = slow.gradients(X[idx], Y[idx])
            opt.step(params, [*dw, *db], 0.2)
    for a, b in zip([*net.weights, *net.biases], params):
        np.testing.assert_allclose(a, b, rtol=1e-11, atol=1e-13)


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_in_place_rules_do_not_depend_on_the_buffer(name):
    """into() writes the whole output: stale values in a reused buffer never leak."""
    act = ACTIVATIONS[name]
    z = np.random.default_rng(0).normal(size=(4, 3))
    out = np.full_like(z, 123.0)
    np.testing.assert_array_equal(act.into(z, out), act.fn(z))
    if act.prime_into is not None:
        buf = np.full_like(z, -7.0)
        np.testing.assert_array_equal(act.prime_into(z, act.fn(z), buf), act.prime(z, act.fn(z)))
    if act.into_with_prime is not None:  # a and σ' in one visit of z: the same numbers
        z[0, 0], z[1, 1], z[2, 2] = 0.0, np.nan, np.inf  # the kink, a NaN (kept), +inf (kept)
        a, p = np.full_like(z, 123.0), np.full_like(z, -7.0)
        with np.errstate(invalid="ignore", over="ignore"):  # silu'(inf) = 0 · inf, as the trainer runs it
            assert act.into_with_prime(z, a, p) is a
            np.testing.assert_array_equal(a, act.fn(z))
            np.testing.assert_array_equal(p, act.prime(z, act.fn(z)))


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("lr_l2", [0.0, 0.01])
def test_sgd_step_is_step_then_the_update(update_path, input_path, dtype, lr_l2):
    """sgd_step = gradients from step(), then w ← w − (dw + ηλ w) and b ← b − db, for a batch
    smaller than the buffers (strided views of them) and a ReLU and a sigmoid layer, the
    first layer reading [x 1] or a plain x."""
    rng = np.random.default_rng(3)
    net = Network([6, 5, 4, 3], activation="relu", output_activation="sigmoid", seed=4, dtype=dtype)
    X = rng.normal(size=(7, 6)).astype(dtype)
    Y = (rng.random((7, 3)) > 0.5).astype(dtype)
    expected = net.copy()
    eng_ref = Engine(expected, batch_size=9)
    eng_ref.forward(X)
    eng_ref.backward(X, Y, scale=0.3 / 7)
    for w, b, dw, db in zip(expected.weights, expected.biases, eng_ref.gradients()[:3], eng_ref.gradients()[3:]):
        w -= dw + lr_l2 * w
        b -= db

    cost_before = net.cost(X, Y)
    eng = Engine(net, batch_size=9, gathered=True)
    assert eng.plain_input == (input_path == "plain")
    np.copyto(eng.input(7), X)
    total, a = eng.sgd_step(7, Y, 0.3 / 7, lr_l2)
    uses_blas = [v[5] is not None for v in eng.views(7)]  # (inp, a, z, δ, σ', fused, ...)
    assert uses_blas == [update_path == "fused"] * 3
    # L2 in float64: w ← (1 − ηλ) w − η ∂C/∂w as one product per layer (GEMM's β), b apart;
    # in float32 β would round (engine.py), so λ w joins the gradient instead
    decayed = bool(lr_l2) and update_path == "fused" and dtype == "float64"
    assert (eng._decayed.get(7) is not None) == decayed
    assert total / 7 == pytest.approx(cost_before, rel=1e-9 if dtype == "float64" else 1e-4)  # before the update
    tol = dict(rtol=1e-12, atol=1e-15) if dtype == "float64" else dict(rtol=1e-5, atol=1e-7)
    for got, want in zip([*net.weights, *net.biases], [*expected.weights, *expected.biases]):
        assert got.dtype == np.dtype(dtype)
        np.testing.assert_allclose(got, want, **tol)
    # and the step did move the weights (the comparison above is not between two no-ops)
    assert max(float(np.abs(w - w0).max()) for w, w0 in zip(net.weights, Network([6, 5, 4, 3], activation="relu",
               output_activation="sigmoid", seed=4, dtype=dtype).weights)) > 1e-3


def test_sgd_step_leaves_the_weights_alone_when_the_cost_is_not_finite(update_path):
    """A diverged step is reported from the weights that produced it, so it must not update them."""
    net = Network([2, 3, 1], activation="linear", output_activation="linear", seed=0)
    net.weights = [np.full((3, 2), 1e200), np.full((1, 3), 1e200)]
    before = [w.copy() for w in [*net.weights, *net.biases]]
    eng = Engine(net, batch_size=4)
    np.copyto(eng.input(4), np.ones((4, 2)))
    with np.errstate(over="ignore", invalid="ignore"):  # as the trainer runs it
        total, _ = eng.sgd_step(4, np.zeros((4, 1)), 0.1, 0.0)
    assert not np.isfinite(total)
    for got, want in zip([*net.weights, *net.biases], before):
        np.testing.assert_array_equal(got, want)


@pytest.mark.parametrize("outputs", [1, 3])
@pytest.mark.parametrize("stop_after", [None, 2, 7])
def test_epoch_metrics_are_the_batches_measured_before_their_steps(outputs, stop_after):
    """train_cost and train_accuracy of each epoch = Σ of the batch costs and right predictions,
    each measured on the weights before its own step, over the epoch's rows (written straight
    from that definition here); also when the run is interrupted and resumed mid-epoch."""
    from backprop_cli.data import accuracy

    rng = np.random.default_rng(4)
    n, bs, epochs, lr = 23, 5, 3, 0.5
    X, labels = rng.normal(size=(n, 4)), rng.integers(0, max(outputs, 2), n)
    Y = labels[:, None].astype(float) if outputs == 1 else np.eye(outputs)[labels]
    ds = Dataset(X, Y, "classification", tuple("abc"[:max(outputs, 2)]), ("p", "q", "r", "s"), ("t",), "test")
    settings = TrainingConfig(learning_rate=lr, epochs=epochs, batch_size=bs, l2=0.01)
    net = Network([4, 6, outputs], activation="tanh", output_activation="sigmoid", seed=1, l2=0.01)
    slow = net.copy()
    trainer = Trainer(net, ds, None, settings, np.random.default_rng(9))
    if stop_after is not None:
        calls = iter(range(10**6))
        assert trainer.run(should_stop=lambda: next(calls) + 1 >= stop_after).interrupted
        state = {k: np.array(v, copy=True) for k, v in trainer.state_dict().items()}
        trainer = Trainer(net, ds, None, settings, np.random.default_rng(123))
        trainer.load_state_dict(state)
    history = trainer.run().history
    order_rng = np.random.default_rng(9)
    for stats in history:
        order = order_rng.permutation(n)
        cost = correct = 0.0
        for lo in range(0, n, bs):
            idx = order[lo:lo + bs]
            cache = slow.forward(X[idx])
            cost += float(slow.example_costs(cache, Y[idx]).sum())
            correct += accuracy(Y[idx], cache.output) * len(idx)
            dw, db = slow.gradients(X[idx], Y[idx])
            for p, g in zip([*slow.weights, *slow.biases], [*dw, *db]):
                p -= lr * g
        assert stats.train_accuracy == pytest.approx(correct / n, abs=1e-12)
        assert stats.train_cost == pytest.approx(cost / n + slow.penalty(), rel=1e-9)
    assert [s.epoch for s in history] == list(range(1, epochs + 1))


def _l2_run(dtype, l2, lr):
    """Weights (as float64) after 30 epochs of plain SGD on a small fixed problem."""
    rng = np.random.default_rng(4)
    X, labels = rng.normal(size=(64, 4)), rng.integers(0, 3, 64)
    ds = Dataset(X.astype(dtype), np.eye(3, dtype=dtype)[labels], "classification", ("a", "b", "c"),
                 ("p", "q", "r", "s"), ("t",), "test")
    net = Network([4, 6, 3], activation="tanh", output_activation="sigmoid", seed=1, l2=l2, dtype=dtype)
    settings = TrainingConfig(learning_rate=lr, epochs=30, batch_size=8, l2=l2)
    Trainer(net, ds, None, settings, np.random.default_rng(9)).run()
    return [w.astype(np.float64) for w in net.weights]


def test_l2_in_float32_sgd_is_not_lost_to_rounding():
    """Plain SGD's L2 in float32: a small ηλ (1e-8, where a float32 factor 1 − ηλ is exactly 1)
    still decays the weights as float64 does, and a large one (2e-4) leaves float32 as close to
    float64 as a run without L2 is (the factor's rounding made it 7x farther)."""
    def effect(dtype):
        return [a - b for a, b in zip(_l2_run(dtype, 1e-6, 0.01), _l2_run(dtype, 0.0, 0.01))]
    e32, e64 = effect("float32"), effect("float64")
    assert max(float(np.abs(e).max()) for e in e64) > 1e-6  # L2 does move float64's weights
    for got, want in zip(e32, e64):
        assert float(np.abs(got - want).max()) < 0.5 * float(np.abs(want).max())

    def distance(l2):
        return max(float(np.abs(a - b).max()) for a, b in zip(_l2_run("float32", l2, 0.02), _l2_run("float64", l2, 0.02)))
    assert distance(0.01) < 3 * distance(0.0)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("sizes", [[2, 3, 1], [784, 16, 10]])
def test_engine_buffers_start_on_a_cache_line(dtype, sizes):
    """The hot loop's buffers are 64-byte aligned (numpy's own arrays start 16 bytes into a
    line at random, and whole epochs ran 2-5% slower so); the weights stay the network's."""
    from backprop_cli.engine import ALIGN

    net = Network(sizes, seed=0, dtype=dtype)
    w0 = [w.copy() for w in net.weights]
    eng = Engine(net, batch_size=5, gathered=True)
    buffers = [eng.X1, eng._ones, *eng.A1, eng.A_out, *eng.Z, *eng.D, *eng.P, *eng.Wt, *eng.dWt]
    assert all(b.ctypes.data % ALIGN == 0 and b.flags.c_contiguous and b.dtype == np.dtype(dtype)
               for b in buffers)
    for w, w_before, wt in zip(net.weights, w0, eng.Wt):
        assert np.shares_memory(w, wt) and np.array_equal(w, w_before)


@pytest.mark.parametrize("optimizer", ["momentum", "adam"])
def test_optimizer_state_is_laid_out_like_the_parameters_it_updates(optimizer):
    """The engine makes the network's weights transposed views of its [w | b]ᵀ arrays; the
    optimizer's state, made from the network's row-major arrays, is remade alike (values kept:
    the resume tests check those), so no update walks one array across the other's rows (that
    made momentum's step 8x slower on a 784-256 layer)."""
    rng = np.random.default_rng(0)
    X, Y = rng.normal(size=(40, 30)), np.eye(3)[rng.integers(0, 3, 40)]
    ds = Dataset(X, Y, "classification", ("a", "b", "c"), tuple(f"x{i}" for i in range(30)), ("t",), "test")
    net = Network([30, 20, 3], activation="relu", output_activation="softmax", cost="cross_entropy", seed=1)
    trainer = Trainer(net, ds, None, TrainingConfig(learning_rate=0.01, epochs=1, batch_size=8,
                                                    optimizer=optimizer), np.random.default_rng(2))
    trainer.run()
    params = [*net.weights, *net.biases]
    assert not params[0].flags.c_contiguous  # the engine's transposed view
    opt = trainer.optimizer
    for name in opt.per_param:
        for p, a in zip(params, getattr(opt, name)):
            assert a.shape == p.shape and a.strides == p.strides, name
