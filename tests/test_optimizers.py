"""Optimizers, schedules, L2 and early stopping against hand-computed steps."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from backprop_cli import Network
from backprop_cli.config import TrainingConfig, load_config
from backprop_cli.data import Dataset, generate
from backprop_cli.experiment import prepare
from backprop_cli.optimizers import OPTIMIZERS, SCHEDULES
from backprop_cli.training import Trainer

ROOT = Path(__file__).resolve().parents[1]


def two_steps(name, **settings):
    p = [np.array([1.0, -2.0])]
    opt = OPTIMIZERS[name](p, **settings)
    opt.step(p, [np.array([0.5, 1.0])], 0.1)
    first = p[0].copy()
    opt.step(p, [np.array([-1.0, 2.0])], 0.1)
    return first, p[0]


def test_sgd_by_hand():
    first, second = two_steps("sgd")
    np.testing.assert_allclose(first, [1 - 0.05, -2 - 0.1])
    np.testing.assert_allclose(second, [0.95 + 0.1, -2.1 - 0.2])


def test_momentum_by_hand():
    # v1 = g1 = (0.5, 1); θ1 = θ0 − 0.1 v1.  v2 = 0.9 v1 + g2 = (−0.55, 2.9); θ2 = θ1 − 0.1 v2.
    first, second = two_steps("momentum", momentum=0.9)
    np.testing.assert_allclose(first, [0.95, -2.1])
    np.testing.assert_allclose(second, [0.95 + 0.055, -2.1 - 0.29])


def test_nesterov_by_hand():
    # θ1 = θ0 − 0.1 (g1 + 0.9 v1) with v1 = g1: (1 − 0.1·0.95, −2 − 0.1·1.9)
    # v2 = (−0.55, 2.9); θ2 = θ1 − 0.1 (g2 + 0.9 v2) = θ1 − 0.1 (−1.495, 4.61)
    first, second = two_steps("momentum", momentum=0.9, nesterov=True)
    np.testing.assert_allclose(first, [0.905, -2.19])
    np.testing.assert_allclose(second, [0.905 + 0.1495, -2.19 - 0.461])


def test_adam_by_hand():
    # Step 1: m = 0.1 g, v = 0.001 g², m̂ = g, v̂ = g², step = η g/(|g| + ε) ≈ η sign(g).
    first, second = two_steps("adam", beta1=0.9, beta2=0.999, epsilon=1e-8)
    np.testing.assert_allclose(first, [1 - 0.1 * 0.5 / (0.5 + 1e-8), -2 - 0.1 * 1 / (1 + 1e-8)], rtol=1e-12)
    # Step 2, first entry: m = 0.9·0.05 + 0.1·(−1) = −0.055, v = 0.999·0.00025 + 0.001·1 = 0.00124975
    m_hat = -0.055 / (1 - 0.81)
    v_hat = 0.00124975 / (1 - 0.999**2)
    assert second[0] == pytest.approx(first[0] - 0.1 * m_hat / (math.sqrt(v_hat) + 1e-8), rel=1e-12)


@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_optimizer_state_round_trip(name):
    p = [np.ones(3)]
    a = OPTIMIZERS[name](p)
    a.step(p, [np.arange(3.0)], 0.1)
    b = OPTIMIZERS[name]([np.ones(3)])
    b.load_state({k: v.copy() for k, v in a.state().items()})
    pa, pb = [np.ones(3)], [np.ones(3)]
    a.step(pa, [np.ones(3)], 0.1)
    b.step(pb, [np.ones(3)], 0.1)
    assert np.array_equal(pa[0], pb[0])


@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_every_optimizer_learns_xor(name):
    cfg = load_config(None, {"training.optimizer": name,
                             "training.learning_rate": 0.05 if name == "adam" else 1.0})
    exp = prepare(cfg)
    result = Trainer(exp.net, exp.train, exp.test, cfg.training, exp.streams.shuffle).run()
    assert result.train_accuracy == 1.0


def test_schedules_by_hand():
    s = {"gamma": 0.5, "step_size": 10, "power_t": 0.5}
    assert [SCHEDULES["constant"].rate(0.2, e, s) for e in (1, 50)] == [0.2, 0.2]
    assert [SCHEDULES["step"].rate(0.2, e, s) for e in (1, 10, 11, 21)] == [0.2, 0.2, 0.1, 0.05]
    assert SCHEDULES["inverse"].rate(0.2, 4, s) == pytest.approx(0.1)


def test_schedules_underflow_to_0_where_a_power_overflows():
    """The inverse schedule's e^power_t beyond a float (2,000^94 > 1.8e308) raised OverflowError from
    `config validate`'s summary and from the epoch train came to: η is worked out in log space there,
    and is 0 where it underflows; elsewhere it is η0 / e^power_t bit for bit (resume and metrics.csv
    match it). The step schedule's γ^k underflows to 0 without raising."""
    inverse, step = SCHEDULES["inverse"].rate, SCHEDULES["step"].rate
    assert inverse(2.0, 2000, {"power_t": 100}) == 0.0
    assert inverse(2.0, 20, {"power_t": 400}) == 0.0 and inverse(0.1, 2, {"power_t": 1e308}) == 0.0
    assert inverse(2.0, 1, {"power_t": 1e308}) == 2.0  # 1^power_t
    assert inverse(1e308, 1210, {"power_t": 100}) == pytest.approx(int(1e308) / 1210**100, rel=1e-12)
    for lr, e, p in ((2.0, 1209, 100), (0.3, 7, 0.5), (0.2, 4, 0.5), (1.0, 2000, 93)):
        assert inverse(lr, e, {"power_t": p}) == lr / math.pow(e, p)
    assert [step(2.0, e, {"gamma": 1e-320, "step_size": 1}) for e in (1, 2, 3, 1000)] == [2.0, 2.0 * 1e-320, 0.0, 0.0]


def test_trainer_uses_the_schedule_per_epoch():
    cfg = load_config(None, {"training.schedule": "step", "training.step_size": 2, "training.gamma": 0.5,
                             "training.epochs": 5})
    exp = prepare(cfg)
    t = Trainer(exp.net, exp.train, exp.test, cfg.training, exp.streams.shuffle)
    t.run()
    assert [s.learning_rate for s in t.history] == [2.0, 2.0, 1.0, 1.0, 0.5]


def test_l2_cost_and_gradient():
    rng = np.random.default_rng(0)
    X, Y = rng.normal(size=(5, 3)), rng.uniform(size=(5, 2))
    plain = Network([3, 4, 2], seed=1)
    reg = Network([3, 4, 2], seed=1, l2=0.3)
    sq = sum(float((w**2).sum()) for w in plain.weights)
    assert reg.cost(X, Y) == pytest.approx(plain.cost(X, Y) + 0.15 * sq, rel=1e-12)
    for g, gr, w in zip(plain.gradients(X, Y)[0], reg.gradients(X, Y)[0], plain.weights):
        np.testing.assert_allclose(gr, g + 0.3 * w, rtol=1e-12)
    for g, gr in zip(plain.gradients(X, Y)[1], reg.gradients(X, Y)[1]):
        np.testing.assert_allclose(gr, g)  # biases are not penalised
    # and the regularized gradient is the derivative of the regularized cost
    h = 1e-6
    w = reg.weights[0]
    w[1, 2] += h
    up = reg.cost(X, Y)
    w[1, 2] -= 2 * h
    down = reg.cost(X, Y)
    w[1, 2] += h
    assert reg.gradients(X, Y)[0][0][1, 2] == pytest.approx((up - down) / (2 * h), rel=1e-6)


def test_early_stopping_restores_the_best_epoch():
    cfg = load_config(ROOT / "configs" / "sine.yaml", {
        "training.learning_rate": 0.5, "training.epochs": 300, "training.early_stopping": True,
        "training.patience": 5, "data.validation_fraction": 0.2, "data.n_samples": 60})
    exp = prepare(cfg)
    t = Trainer(exp.net, exp.train, exp.test, cfg.training, exp.streams.shuffle, val_set=exp.val)
    result = t.run()
    best = min(t.history, key=lambda s: s.val_cost)
    assert result.best_epoch == best.epoch
    assert result.stopped_early and result.epochs == best.epoch + 5
    from backprop_cli.training import evaluate

    assert evaluate(exp.net, exp.val)[0] == pytest.approx(best.val_cost, rel=1e-12)


def test_early_stopping_needs_a_held_out_set():
    from backprop_cli.errors import ConfigError

    # the built-in default config's test_fraction: 0 is the other side of it
    with pytest.raises(ConfigError, match=r"^--set training\.early_stopping=true with the built-in default config: "
                       r"needs a held-out cost"):
        load_config(None, {"training.early_stopping": True})


def test_default_training_config_is_plain_sgd():
    t = TrainingConfig()
    assert (t.optimizer, t.schedule, t.l2, t.early_stopping) == ("sgd", "constant", 0.0, False)
    assert generate("xor", np.random.default_rng(0)).n_samples == 4


def formula_steps(name, settings, params, grads, rates):
    """The updates straight from their formulas (module docstring), in float64, with fresh
    temporaries: the reference the in-place steps must agree with."""
    mu, b1, b2, eps = settings.get("momentum", 0.9), 0.9, 0.999, 1e-8
    w = [p.astype(np.float64) for p in params]
    v = [np.zeros_like(x) for x in w]
    m = [np.zeros_like(x) for x in w]
    for t, (g, lr) in enumerate(zip(grads, rates), start=1):
        for i, gi in enumerate(g):
            gi = gi.astype(np.float64)
            if name == "momentum":
                v[i] = mu * v[i] + gi
                w[i] = w[i] - lr * (gi + mu * v[i]) if settings.get("nesterov") else w[i] - lr * v[i]
            else:
                m[i] = b1 * m[i] + (1 - b1) * gi
                v[i] = b2 * v[i] + (1 - b2) * gi**2
                m_hat, v_hat = m[i] / (1 - b1**t), v[i] / (1 - b2**t)
                w[i] = w[i] - lr * m_hat / (np.sqrt(v_hat) + eps)
    return w, m, v


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("name,settings", [("momentum", {}), ("momentum", {"nesterov": True}), ("adam", {})])
def test_in_place_steps_agree_with_the_formulas(name, settings, dtype, optimizer_path):
    """60 steps on parameters laid out as the engine lays them out (w as the transposed view of a
    [w | b]ᵀ array, b its last row; the gradients likewise, rewritten in place every step), with
    a schedule's changing η: the weights and the state (what a checkpoint saves) are the
    formulas' up to rounding, through numpy's OpenBLAS or numpy alone."""
    rng = np.random.default_rng(3)
    wt, dwt = rng.normal(size=(7, 5)).astype(dtype), np.empty((7, 5), dtype)  # (n_in + 1, n_out)
    params, grads = [wt[:-1].T, wt[-1]], [dwt[:-1].T, dwt[-1]]
    start = [p.copy() for p in params]
    opt = OPTIMIZERS[name](params, **settings)
    opt.relayout(params)
    drawn, rates = [], []
    for t in range(1, 61):
        dwt[...] = rng.normal(size=dwt.shape) * (0.1 if t % 2 else 1.0)  # steps of two sizes
        drawn.append([g.copy() for g in grads])
        rates.append(0.05 / t**0.5)
        opt.step(params, grads, rates[-1])
    uses_blas = [c is not None for c in opt._calls]
    assert uses_blas == [optimizer_path == "blas"] * 2  # the engine's layout takes the BLAS path
    want, m, v = formula_steps(name, settings, start, drawn, rates)
    rtol = 1e-12 if dtype == "float64" else 1e-5
    state = opt.state()
    assert int(state["t"]) == 60
    for i, (got, w) in enumerate(zip(params, want)):
        assert got.dtype == dtype
        np.testing.assert_allclose(got, w, rtol=rtol, atol=rtol * 1e-3)
        np.testing.assert_allclose(state[f"v{i}"], v[i], rtol=rtol, atol=rtol * 1e-6)
        if name == "adam":
            np.testing.assert_allclose(state[f"m{i}"], m[i], rtol=rtol, atol=rtol * 1e-6)


@pytest.mark.parametrize("name", ["momentum", "adam"])
def test_a_step_given_other_arrays_updates_those(name, optimizer_path):
    """The prepared BLAS calls belong to the arrays they were made for: a step given new
    parameter or gradient arrays (as the by-hand tests give) updates the new ones."""
    first = [np.zeros(3)]
    opt = OPTIMIZERS[name](first)
    opt.step(first, [np.ones(3)], 0.1)
    second = [first[0].copy()]
    opt.step(second, [np.ones(3)], 0.1)
    assert np.all(second[0] < first[0])  # the second step moved the new array on
    before = first[0].copy()
    opt.step(second, [np.ones(3)], 0.1)
    np.testing.assert_array_equal(first[0], before)


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("name", ["momentum", "adam"])
def test_trainer_with_l2_follows_the_regularized_gradient(name, dtype, optimizer_path):
    """Momentum and Adam with L2 in the trainer (λ w added to ∂C/∂w in place, blas.axpby or
    numpy) step as the formulas do on Network.gradients, the regularized cost's gradient."""
    rng = np.random.default_rng(5)
    X, Y = rng.normal(size=(6, 3)).astype(dtype), rng.uniform(size=(6, 2)).astype(dtype)
    ds = Dataset(X, Y, "regression", None, ("a", "b", "c"), ("y", "z"), "test")
    net = Network([3, 4, 2], seed=1, l2=0.05, dtype=dtype)
    ref = Network([3, 4, 2], seed=1, l2=0.05, dtype="float64")
    epochs, lr = 8, 0.05
    trainer = Trainer(net, ds, None, TrainingConfig(learning_rate=lr, epochs=epochs, optimizer=name, l2=0.05,
                                                    dtype=dtype, batch_size=None, shuffle=False), np.random.default_rng(0))
    trainer.run()
    assert [add is not None for add, _ in trainer.engine._l2_adds] == [optimizer_path == "blas"] * 2  # one pass per layer
    for t in range(epochs):  # full batch: one step per epoch
        dws, dbs = ref.gradients(X.astype(np.float64), Y.astype(np.float64))
        params, grads = ref.weights + ref.biases, list(dws) + list(dbs)
        if t == 0:
            state = {"m": [np.zeros_like(p) for p in params], "v": [np.zeros_like(p) for p in params]}
        for i, (p, g) in enumerate(zip(params, grads)):
            if name == "momentum":
                state["v"][i] = 0.9 * state["v"][i] + g
                p -= lr * state["v"][i]
            else:
                state["m"][i] = 0.9 * state["m"][i] + 0.1 * g
                state["v"][i] = 0.999 * state["v"][i] + 0.001 * g**2
                p -= lr * (state["m"][i] / (1 - 0.9 ** (t + 1))) / (np.sqrt(state["v"][i] / (1 - 0.999 ** (t + 1))) + 1e-8)
    tol = 1e-10 if dtype == "float64" else 1e-4
    for got, want in zip(net.weights + net.biases, ref.weights + ref.biases):
        np.testing.assert_allclose(got, want, rtol=tol, atol=tol)


# --- against PyTorch --------------------------------------------------------------------


TORCH_CASES = [  # (optimizer, its settings, output activation, cost)
    ("sgd", {}, "linear", "half_squared_error"),
    ("momentum", {"momentum": 0.7}, "sigmoid", "cross_entropy"),
    ("momentum", {"momentum": 0.7, "nesterov": True}, "tanh", "squared_error"),
    ("adam", {"beta1": 0.8, "beta2": 0.99, "epsilon": 1e-6}, "softmax", "cross_entropy"),
]


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("name,settings,out,cost", TORCH_CASES)
def test_trainer_matches_torch_optim(name, settings, out, cost, dtype, optimizer_path):
    """The README's recipe for training in PyTorch ("Reproducing a run elsewhere": torch.optim's
    SGD or Adam with weight decay on a group of the weights only, η set per epoch, the same
    batches of the shuffled order, the smaller last batch its rows' mean) ends at the trainer's
    weights and per-epoch costs: 37 rows in batches of 10, L2, a step schedule of step_size 2."""
    torch = pytest.importorskip("torch")
    F = torch.nn.functional
    tdt = {"float64": torch.float64, "float32": torch.float32}[dtype]
    rng = np.random.default_rng(11)
    n, lam, lr0, epochs = 37, 0.01, 0.05, 4
    X = rng.normal(size=(n, 3))
    Y = (np.eye(3)[rng.integers(0, 3, n)] if out == "softmax" else rng.uniform(size=(n, 3)))
    ds = Dataset(X, Y, "regression", None, ("a", "b", "c"), ("p", "q", "r"), "test").astype(dtype)
    net = Network([3, 6, 5, 3], activation=["tanh", "elu"], output_activation=out, cost=cost, seed=2, l2=lam,
                  dtype=dtype)
    ws = [torch.tensor(w, requires_grad=True) for w in net.weights]
    bs = [torch.tensor(b, requires_grad=True) for b in net.biases]
    groups = [{"params": ws, "weight_decay": lam}, {"params": bs, "weight_decay": 0.0}]
    if name == "adam":
        opt = torch.optim.Adam(groups, lr=lr0, betas=(settings["beta1"], settings["beta2"]), eps=settings["epsilon"])
    else:
        opt = torch.optim.SGD(groups, lr=lr0, momentum=settings.get("momentum", 0.0), dampening=0,
                              nesterov=settings.get("nesterov", False))
    training = TrainingConfig(learning_rate=lr0, epochs=epochs, batch_size=10, optimizer=name, l2=lam, dtype=dtype,
                              schedule="step", step_size=2, gamma=0.5, **settings)
    result = Trainer(net, ds, None, training, np.random.default_rng(4)).run()
    shuffle = np.random.default_rng(4)  # the same stream: one permutation(n) per epoch
    Xt, Yt = torch.tensor(ds.X, dtype=tdt), torch.tensor(ds.Y, dtype=tdt)
    acts = [torch.tanh, F.elu]
    costs = []
    for e in range(1, epochs + 1):
        for group in opt.param_groups:
            group["lr"] = lr0 * 0.5 ** ((e - 1) // 2)
        order, total = shuffle.permutation(n), 0.0
        for lo in range(0, n, 10):
            idx = torch.as_tensor(order[lo:lo + 10])
            a, y = Xt[idx], Yt[idx]
            for l, (w, b) in enumerate(zip(ws, bs)):
                z = a @ w.T + b
                a = acts[l](z) if l < 2 else z
            if cost == "cross_entropy" and out == "softmax":
                c = -(y * F.log_softmax(z, dim=1)).sum(1)
            elif cost == "cross_entropy":
                c = F.binary_cross_entropy_with_logits(z, y, reduction="none").sum(1)
            else:
                a = {"linear": z, "tanh": torch.tanh(z)}[out]
                c = (1.0 if cost == "squared_error" else 0.5) * ((a - y) ** 2).sum(1)
            total += float(c.detach().double().sum())
            opt.zero_grad()
            c.mean().backward()
            opt.step()
        costs.append(total / n + lam / 2 * sum(float((w.detach().double() ** 2).sum()) for w in ws))
    tol = 1e-10 if dtype == "float64" else 1e-4
    for got, want in zip(net.weights + net.biases, ws + bs):
        want = want.detach().numpy()
        np.testing.assert_allclose(got, want, rtol=0, atol=tol * np.abs(want).max())
    np.testing.assert_allclose([h.train_cost for h in result.history], costs, rtol=tol)
