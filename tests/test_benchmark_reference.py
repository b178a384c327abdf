"""The benchmark's reference trainer (benchmarks/reference.py) and our Trainer agree.

benchmarks/run.py times our trainer against that reference and checks their final costs;
this keeps the two comparable: same cost definition, same shuffles, same initial weights,
so the same run ends at the same cost up to rounding.
"""

from __future__ import annotations

import importlib.util
import sys
from collections import defaultdict
from pathlib import Path

import numpy as np
import pytest

from backprop_cli import Network
from backprop_cli.config import TrainingConfig
from backprop_cli.data import Dataset, Standardizer
from backprop_cli.training import CAST_ONCE_EPOCHS, Trainer

REFERENCE_PATH = Path(__file__).resolve().parents[1] / "benchmarks" / "reference.py"


def _load_reference():
    name = "benchmark_reference"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, REFERENCE_PATH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


reference = _load_reference()


def _digits_like(n: int = 300, n_inputs: int = 16, k: int = 5, seed: int = 3) -> Dataset:
    """Small standardized integer 'pixel' inputs with one-hot labels from a linear teacher."""
    rng = np.random.default_rng(seed)
    X = rng.integers(0, 17, size=(n, n_inputs)).astype(np.float64)
    labels = np.argmax(X @ rng.standard_normal((n_inputs, k)), axis=1)
    X = Standardizer.fit(X).transform(X)
    return Dataset(X, np.eye(k)[labels], "classification", tuple(map(str, range(k))),
                   tuple(f"p{j}" for j in range(n_inputs)), ("digit",), "digits-like (test)")


@pytest.mark.parametrize(
    ("layers", "hidden", "output", "cost", "batch_size"),
    [
        ([16, 12, 5], "sigmoid", "sigmoid", "squared_error", 32),
        ([16, 10, 8, 5], "relu", "sigmoid", "squared_error", 7),  # ReLU, 2 hidden, ragged last batch
        ([16, 12, 5], "tanh", "linear", "half_squared_error", None),  # full batch
        ([16, 12, 5], "relu", "sigmoid", "squared_error", 13),  # the last batch has 1 row (300 = 23·13 + 1)
    ],
)
def test_reference_and_trainer_agree(layers, hidden, output, cost, batch_size, update_path, gather_path):
    ds = _digits_like()
    net = Network(layers, activation=hidden, output_activation=output, cost=cost, seed=11)
    w0 = [w.copy() for w in net.weights]
    b0 = [b.copy() for b in net.biases]
    settings = TrainingConfig(learning_rate=0.1, epochs=2, batch_size=batch_size, shuffle=True)
    ours = Trainer(net, ds, None, settings, np.random.default_rng(42)).run()

    acts = [hidden] * (len(layers) - 2) + [output]
    ref = reference.train(w0, b0, acts, ds.X, ds.Y, learning_rate=0.1, epochs=2,
                          batch_size=batch_size or ds.n_samples, rng=np.random.default_rng(42), cost=cost)

    assert ref.final_cost == pytest.approx(ours.train_cost, rel=1e-10, abs=0)
    assert [h.train_cost for h in ours.history] == pytest.approx(ref.epoch_costs, rel=1e-10, abs=0)
    for a, b in zip([*net.weights, *net.biases], [*ref.weights, *ref.biases]):
        np.testing.assert_allclose(a, b, rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("epochs", [CAST_ONCE_EPOCHS - 1, CAST_ONCE_EPOCHS])
def test_reference_and_trainer_agree_in_float32(epochs, update_path, gather_path):
    """float32 from the float64 data set: ours casts each batch, or for a long enough run the
    inputs once (then gathered per batch), the reference casts X and Y; both then do
    float32 arithmetic, so they agree to float32 rounding (the summation orders differ)."""
    ds = _digits_like()
    net = Network([16, 10, 8, 5], activation="relu", output_activation="sigmoid", seed=11, dtype="float32")
    w0 = [w.copy() for w in net.weights]
    b0 = [b.copy() for b in net.biases]
    settings = TrainingConfig(learning_rate=0.1, epochs=epochs, batch_size=7, shuffle=True, dtype="float32")
    ours = Trainer(net, ds, None, settings, np.random.default_rng(42)).run()
    ref = reference.train(w0, b0, ["relu", "relu", "sigmoid"], ds.X, ds.Y, learning_rate=0.1, epochs=epochs,
                          batch_size=7, rng=np.random.default_rng(42), dtype="float32")
    assert net.weights[0].dtype == ref.weights[0].dtype == np.float32
    assert ref.final_cost == pytest.approx(ours.train_cost, rel=1e-5)
    assert [h.train_cost for h in ours.history] == pytest.approx(ref.epoch_costs, rel=1e-5)
    for a, b in zip([*net.weights, *net.biases], [*ref.weights, *ref.biases]):
        np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-5)
    # and it learned something: the weights moved far more than the tolerance
    assert max(float(np.abs(a - b).max()) for a, b in zip(net.weights, w0)) > 1e-2


def test_reference_really_trains():
    """Not a tautology: training lowers the cost, and a different shuffle seed changes the end."""
    ds = _digits_like()
    net = Network([16, 12, 5], seed=11)
    kw = dict(learning_rate=0.5, epochs=5, batch_size=16)
    a = reference.train(net.weights, net.biases, ["sigmoid"] * 2, ds.X, ds.Y, rng=np.random.default_rng(1), **kw)
    b = reference.train(net.weights, net.biases, ["sigmoid"] * 2, ds.X, ds.Y, rng=np.random.default_rng(2), **kw)
    assert a.final_cost < 0.9 * net.cost(ds.X, ds.Y)
    assert a.final_cost != b.final_cost


def _load_benchmark(name: str):
    path = REFERENCE_PATH.parent / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"benchmark_{name}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(
    ("layers", "hidden", "output", "cost"),
    [
        ([16, 10, 8, 5], "relu", "sigmoid", "squared_error"),  # wide's shape of network
        ([16, 12, 5], "tanh", "softmax", "cross_entropy"),  # the fused output rule δ = a − y
        ([16, 12, 5], "sigmoid", "linear", "half_squared_error"),  # σ' ≡ 1 at the output
    ],
)
def test_step_breakdown_steps_as_the_engine_does(layers, hidden, output, cost, update_path, input_path):
    """benchmarks/step_breakdown.py times a copy of Engine.sgd_step's calls: the copy must
    update the weights exactly as the engine does, or its figures describe another step."""
    from backprop_cli.engine import Engine

    breakdown = _load_benchmark("step_breakdown")
    ds = _digits_like()
    net = Network(layers, activation=hidden, output_activation=output, cost=cost, seed=11)
    engines = [Engine(net.copy(), 32, gathered=True) for _ in range(2)]
    rng = np.random.default_rng(5)
    for m in (32, 32, 9):  # two whole batches and a short one
        idx = rng.choice(ds.n_samples, m, replace=False)
        for eng in engines:
            ds.X.take(idx, axis=0, out=eng.input(m))
        yb = ds.Y[idx]
        want, _ = engines[0].sgd_step(m, yb, 0.1 / m, 0.0)
        got = breakdown.step(engines[1], m, yb, 0.1 / m, clock=None)
        assert got == want
        for a, b in zip(engines[0].Wt, engines[1].Wt):
            np.testing.assert_array_equal(a, b)
    clock: defaultdict[str, float] = defaultdict(float)
    breakdown.step(engines[1], 32, ds.Y[:32], 0.1 / 32, clock)
    assert any("update product" in name for name in clock) and all(v >= 0 for v in clock.values())
