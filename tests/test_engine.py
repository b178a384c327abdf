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
def test_engine_gradients_equal_network_gradients(dtype, hidden, out, cost):
    rng = np.random.default_rng(5)
    net = Network([3, 5, 4, 3], activation=hidden, output_activation=out, cost=cost, seed=2, dtype=dtype)
    X = rng.normal(size=(7, 3)).astype(dtype)
    Y = targets_for(out, cost, 7, 3, rng).astype(dtype)
    eng = Engine(net, batch_size=10)  # larger than the batch: the buffers are sliced
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
def test_trainer_matches_a_plain_loop_over_network_gradients(optimizer, l2):
    """Several epochs of the buffered trainer = the same updates written with Network.gradients."""
    from backprop_cli.optimizers import OPTIMIZERS

    rng = np.random.default_rng(0)
    X, labels = rng.normal(size=(23, 4)), rng.integers(0, 3, 23)
    Y = np.eye(3)[labels]
    ds = Dataset(X, Y, "classification", ("a", "b", "c"), ("p", "q", "r", "s"), ("t",), "test")
    settings = TrainingConfig(learning_rate=0.2, epochs=3, batch_size=5, optimizer=optimizer, l2=l2)
    net = Network([4, 6, 3], activation="tanh", output_activation="softmax", cost="cross_entropy",
                  seed=1, l2=l2)
    slow = net.copy()
    Trainer(net, ds, None, settings, np.random.default_rng(9)).run()
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
