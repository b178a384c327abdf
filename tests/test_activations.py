"""The ReLU family beyond ReLU: leaky_relu, elu, softplus, silu.

Values and derivatives at hand-computed points and against finite differences in both dtypes,
extreme z without warnings or NaN, the convention at z = 0, ``init: auto``, the CLI end to end,
and a differential check against PyTorch (skipped without torch).
"""

from __future__ import annotations

import json
import math
import warnings

import numpy as np
import pytest
from typer.testing import CliRunner

from backprop_cli import Network
from backprop_cli.activations import ACTIVATIONS, HIDDEN_ACTIVATIONS, get_activation
from backprop_cli.errors import ConfigError
from backprop_cli.network import seed_stream

NEW = ("leaky_relu", "elu", "softplus", "silu")
DTYPES = (np.float64, np.float32)
runner = CliRunner()


def _sig(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z)) if z >= 0 else math.exp(z) / (1.0 + math.exp(z))


#: σ and σ' written straight from their definitions with Python's math (float64)
BY_HAND = {
    "leaky_relu": (lambda z: z if z > 0 else 0.01 * z, lambda z: 1.0 if z > 0 else 0.01),
    "elu": (lambda z: z if z > 0 else math.expm1(z), lambda z: 1.0 if z > 0 else math.exp(z)),
    "softplus": (lambda z: max(z, 0.0) + math.log1p(math.exp(-abs(z))), _sig),
    "silu": (lambda z: z * _sig(z), lambda z: _sig(z) * (1.0 + z * (1.0 - _sig(z)))),
}
POINTS = (-30.0, -5.0, -2.0, -0.5, -1e-3, 1e-3, 0.5, 2.0, 5.0, 30.0)


def _fn_prime(name, z):
    act = ACTIVATIONS[name]
    a = act.fn(z)
    return a, act.prime(z, a)


def test_the_registry_has_the_new_activations_for_hidden_and_output_layers():
    for name in NEW:
        assert name in HIDDEN_ACTIVATIONS and ACTIVATIONS[name].prime_into is not None
    with pytest.raises(ConfigError) as e:
        get_activation("gelu", "network.activation", hidden=True)
    assert "elu, leaky_relu, linear, relu, sigmoid, silu, softplus, tanh" in str(e.value)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("name", NEW)
def test_values_and_derivatives_at_hand_computed_points(name, dtype):
    z = np.array([POINTS], dtype)
    a, p = _fn_prime(name, z)
    assert a.dtype == p.dtype == dtype
    f, fp = BY_HAND[name]
    rtol = 4 * float(np.finfo(dtype).eps)
    for i, zi in enumerate(z[0].astype(float)):  # the dtype's z, computed in float64 by hand
        assert a[0, i] == pytest.approx(f(zi), rel=rtol, abs=1e-300), (zi, a[0, i])
        assert p[0, i] == pytest.approx(fp(zi), rel=rtol if name != "silu" else 40 * rtol, abs=1e-300), (zi, p[0, i])


def test_some_values_written_out():
    """A few values a learner can check with a pocket calculator."""
    z = np.array([[-2.0, 0.0, 3.0]])
    assert _fn_prime("leaky_relu", z)[0].tolist() == [[-0.02, 0.0, 3.0]]
    assert _fn_prime("leaky_relu", z)[1].tolist() == [[0.01, 0.01, 1.0]]
    a, p = _fn_prime("elu", z)
    np.testing.assert_allclose(a, [[math.exp(-2) - 1, 0.0, 3.0]], rtol=1e-15)
    np.testing.assert_allclose(p, [[math.exp(-2), 1.0, 1.0]], rtol=1e-15)
    a, p = _fn_prime("softplus", z)
    np.testing.assert_allclose(a, [[math.log(1 + math.exp(-2)), math.log(2), math.log(1 + math.exp(3))]],
                               rtol=1e-15)
    np.testing.assert_allclose(p, [[1 / (1 + math.exp(2)), 0.5, 1 / (1 + math.exp(-3))]], rtol=1e-15)
    a, p = _fn_prime("silu", z)
    np.testing.assert_allclose(a, [[-2 / (1 + math.exp(2)), 0.0, 3 / (1 + math.exp(-3))]], rtol=1e-15)
    assert p[0, 1] == 0.5


@pytest.mark.parametrize("dtype, h, rtol", [(np.float64, 1e-6, 1e-6), (np.float32, 1e-2, 2e-3)])
@pytest.mark.parametrize("name", NEW)
def test_derivative_matches_finite_difference_in_both_dtypes(name, dtype, h, rtol):
    act = ACTIVATIONS[name]
    z = np.array([[-6.0, -2.5, -1.3, -0.7, -0.05, 0.05, 0.4, 1.0, 2.5, 7.0]], dtype)
    numeric = (act.fn(z + dtype(h)).astype(float) - act.fn(z - dtype(h)).astype(float)) / (2 * h)
    np.testing.assert_allclose(act.prime(z, act.fn(z)), numeric, rtol=rtol, atol=rtol * 1e-2)


def test_the_derivative_at_exactly_zero():
    """leaky_relu'(0) takes the z ≤ 0 branch (α), as ReLU's R'(0) = 0 and PyTorch do; elu's two
    branches agree at 0 (α = 1), softplus' and silu' are σ(0) = 1/2 there."""
    z = np.array([[0.0, -0.0]])
    assert _fn_prime("leaky_relu", z)[1].tolist() == [[0.01, 0.01]]
    assert _fn_prime("elu", z)[1].tolist() == [[1.0, 1.0]]
    assert _fn_prime("softplus", z)[1].tolist() == [[0.5, 0.5]]
    assert _fn_prime("silu", z)[1].tolist() == [[0.5, 0.5]]
    assert ACTIVATIONS["leaky_relu"].kink and ACTIVATIONS["relu"].kink
    assert not any(ACTIVATIONS[n].kink for n in ("elu", "softplus", "silu"))


EXTREME = {np.float64: (1e4, 1e308), np.float32: (1e4, 3e38)}


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("name", NEW)
def test_extreme_z_gives_the_limits_without_warnings_or_nan(name, dtype):
    big = EXTREME[dtype]
    z = np.array([[-big[1], -big[0], -745.0, -100.0, 100.0, big[0], big[1]]], dtype)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        a, p = _fn_prime(name, z)
        act = ACTIVATIONS[name]
        a2, p2 = np.empty_like(z), np.empty_like(z)
        if act.into_with_prime is not None:  # the trainer's form, under the trainer's errstate
            with np.errstate(over="ignore"):
                act.into_with_prime(z, a2, p2)
            np.testing.assert_array_equal(a2, a)
            np.testing.assert_array_equal(p2, p)
    assert np.isfinite(a).all() and np.isfinite(p).all(), (a, p)
    neg, pos = slice(0, 2), slice(5, 7)
    np.testing.assert_array_equal(a[0, pos], z[0, pos])  # every one is z for large z
    np.testing.assert_array_equal(p[0, pos], 1.0)
    if name == "leaky_relu":
        np.testing.assert_array_equal(a[0, neg], z[0, neg] * dtype(0.01))
        np.testing.assert_array_equal(p[0, neg], dtype(0.01))
    else:
        np.testing.assert_array_equal(a[0, neg], -1.0 if name == "elu" else 0.0)
        np.testing.assert_array_equal(p[0, neg], 0.0)
    if name in ("elu", "softplus") and dtype == np.float64:  # e^(−100), kept to the last digit
        assert p[0, 3] == pytest.approx(math.exp(-100), rel=1e-15)
    if name == "softplus" and dtype == np.float64:
        assert a[0, 3] == pytest.approx(math.exp(-100), rel=1e-15)


@pytest.mark.parametrize("dtype", DTYPES)
def test_the_leaky_relus_two_forms_give_the_same_numbers(dtype):
    """into (max(z, αz)) and the trainer's into_with_prime (z · σ'(z)) agree bit for bit."""
    act = ACTIVATIONS["leaky_relu"]
    z = np.random.default_rng(0).normal(scale=10, size=(50, 7)).astype(dtype)
    z[0, :3] = 0.0, -0.0, 1e-45 if dtype == np.float32 else 5e-324
    a, p = np.empty_like(z), np.empty_like(z)
    act.into_with_prime(z, a, p)
    np.testing.assert_array_equal(a, act.fn(z))
    assert np.array_equal(np.signbit(a), np.signbit(act.fn(z)))


def test_init_auto_draws_he_for_the_relu_family_and_glorot_otherwise():
    fan_in, fan_out = 400, 300
    for name in ("relu", "leaky_relu", "elu", "softplus", "silu", "sigmoid", "tanh", "linear"):
        net = Network([fan_in, fan_out, 2], activation=name, output_activation="linear", seed=0)
        w = net.weights[0]
        he = ACTIVATIONS[name].he_init
        if name in ("sigmoid", "tanh", "linear"):
            assert he is None
            limit = math.sqrt(6 / (fan_in + fan_out))
            assert np.abs(w).max() <= limit and w.std() == pytest.approx(limit / math.sqrt(3), rel=0.02)
        else:
            want = 2 / (1 + 0.01 ** 2) if name == "leaky_relu" else 2.0
            assert he == want
            assert w.std() == pytest.approx(math.sqrt(2 / fan_in), rel=0.02), name
        assert net.biases[0].tolist() == [0.01 if name in ("relu", "leaky_relu") else 0.0] * fan_out
    # ReLU's draws are the ones it always had: N(0, √(2/n)) from the init stream, w then b per layer
    net = Network([3, 4, 1], activation="relu", output_activation="linear", rng=seed_stream(5, "init"))
    rng = seed_stream(5, "init")
    np.testing.assert_array_equal(net.weights[0], rng.normal(0.0, np.sqrt(2.0 / 3), (4, 3)))


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("name", NEW)
def test_whole_network_gradients_in_float32_follow_float64(name, dtype):
    """The trainer computes in either dtype: a float32 network's gradients are the float64 ones
    to float32's precision."""
    rng = np.random.default_rng(7)
    net = Network([3, 5, 4, 2], activation=name, output_activation="linear", cost="squared_error",
                  seed=1, dtype=dtype)
    ref = Network([3, 5, 4, 2], activation=name, output_activation="linear", cost="squared_error", seed=1)
    X, Y = rng.normal(size=(6, 3)), rng.normal(size=(6, 2))
    dw, db = net.gradients(X, Y)
    rdw, rdb = ref.gradients(X, Y)
    tol = 1e-12 if dtype == "float64" else 2e-4
    for g, r in zip([*dw, *db], [*rdw, *rdb]):
        np.testing.assert_allclose(g, r, rtol=tol, atol=tol * np.abs(r).max())


# --- the CLI end to end --------------------------------------------------------------


def _invoke(*args):
    from backprop_cli.cli import app
    return runner.invoke(app, [str(a) for a in args])


@pytest.mark.parametrize("name", NEW)
def test_train_predict_evaluate_explain_and_gradcheck_with_each(name, tmp_path):
    cfg = tmp_path / "c.yaml"
    cfg.write_text("seed: 0\ndata: {dataset: circles, n_samples: 60}\n"
                   f"network: {{layers: [2, 6, 1], activation: {name}, output_activation: sigmoid}}\n"
                   "cost: cross_entropy\ntraining: {epochs: 5, batch_size: 16, learning_rate: 0.3}\n")
    shown = _invoke("config", "show", cfg)
    assert shown.exit_code == 0 and f"activation: {name}" in shown.stdout, shown.output
    out = tmp_path / "run"
    r = _invoke("train", cfg, "--out", out)
    assert r.exit_code == 0, r.output
    assert f"2-6-1 {name}/sigmoid" in r.output
    model = out / "model.npz"
    e = _invoke("evaluate", model)
    assert e.exit_code == 0, e.output
    csv = tmp_path / "x.csv"
    csv.write_text("x0,x1\n0.1,0.2\n-0.5,0.7\n")
    p = _invoke("predict", model, csv)
    assert p.exit_code == 0 and len(p.stdout.strip().splitlines()) == 3, p.output
    j = _invoke("explain", "--model", model, "--layer", "1", "--format", "json")
    assert j.exit_code == 0, j.output
    d = json.loads(j.stdout)
    act = ACTIVATIONS[name]
    assert (d["activation"], d["activation_formula"], d["activation_prime"]) == (name, act.formula, act.prime_formula)
    m = _invoke("explain", "--model", model, "--layer", "1", "--format", "markdown")
    assert m.exit_code == 0 and f"Activation {name}: σ(z) = {act.formula}; σ'(z) = {act.prime_formula}." in m.stdout
    blocks = m.stdout.split("$$")[1::2]
    assert blocks and all(b.count("{") == b.count("}") and name not in b for b in blocks)
    rich = _invoke("explain", "--model", model, "--layer", "1")
    assert rich.exit_code == 0 and f"[{name}: σ(z) = {act.formula}]" in rich.stdout, rich.output
    g = _invoke("gradcheck", "--model", model)
    assert g.exit_code == 0, g.output


def test_the_starter_configs_list_every_hidden_activation():
    from backprop_cli import scaffold

    texts = [v for k, v in vars(scaffold).items() if k.startswith("_") and isinstance(v, str) and "activation:" in v]
    assert texts
    for text in texts:
        for line in text.splitlines():
            if line.strip().startswith("activation:") and "# hidden" in line:
                assert all(n in line for n in HIDDEN_ACTIVATIONS), line


def test_explain_flags_saturated_elu_softplus_and_silu_units_not_silus_minimum():
    """silu's tail (z = −10: a ≈ −5e-4, σ' ≈ −4e-4) is saturated as elu's and softplus's are: at
    z = −52 explain said 'no learner warnings (no saturated … units)' with σ' = −1e-21. Near its
    minimum z ≈ −1.2785 its σ' crosses 0 (|σ'| < 0.01 at z = −1.28) but the unit is not saturated."""
    from backprop_cli.explain import explain_layer

    for name, flagged in (("elu", True), ("softplus", True), ("silu", True), ("leaky_relu", False)):
        net = Network([1, 2, 1], activation=name, output_activation="linear", cost="squared_error", seed=0)
        net.weights = [np.array([[10.0], [1.28]]), np.array([[1.0, 1.0]])]
        net.biases = [np.array([0.0, 0.0]), np.array([0.0])]
        ex = explain_layer(net, np.array([[-1.0]]), np.array([[0.0]]), 1)  # z = (−10, −1.28)
        assert [r.saturated for r in ex.neurons] == [flagged, False], name
        assert any(w.kind == "saturated" for w in ex.warnings) == flagged, name
        if name == "silu":
            assert abs(ex.neurons[1].sigma_prime) < 0.01  # the crossing: small σ', not saturated
            text = next(w.message for w in ex.warnings if w.kind == "saturated")
            assert "1 of 2 silu units saturated (z < -2, |σ'(z)| < 0.01): neuron 0." in text, text


# --- against PyTorch --------------------------------------------------------------------


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("name", NEW)
def test_forward_and_gradients_match_pytorch(name, dtype):
    torch = pytest.importorskip("torch")
    F = torch.nn.functional
    fns = {"leaky_relu": F.leaky_relu, "elu": F.elu, "softplus": F.softplus, "silu": F.silu}
    tdt = {"float64": torch.float64, "float32": torch.float32}[dtype]
    rng = np.random.default_rng(len(name))
    for trial, sizes in enumerate(([3, 5, 2], [4, 6, 5, 3], [2, 8, 8, 8, 1])):
        net = Network(sizes, activation=name, output_activation=name if trial == 1 else "linear",
                      cost="squared_error", seed=trial, dtype=dtype, init="normal")
        X = (rng.normal(size=(7, sizes[0])) * 3).astype(dtype)
        X[0, 0] = 0.0
        Y = rng.normal(size=(7, sizes[-1])).astype(dtype)
        ws = [torch.tensor(w, dtype=tdt, requires_grad=True) for w in net.weights]
        bs = [torch.tensor(b, dtype=tdt, requires_grad=True) for b in net.biases]
        a = torch.tensor(X, dtype=tdt)
        for l, (w, b) in enumerate(zip(ws, bs)):
            z = a @ w.T + b
            a = fns[name](z) if l < len(ws) - 1 or trial == 1 else z
        cost = ((a - torch.tensor(Y, dtype=tdt)) ** 2).sum(dim=1).mean()
        cost.backward()
        out = net.predict(X)
        dw, db = net.gradients(X, Y)
        tol = 1e-10 if dtype == "float64" else 1e-5  # sums in another order: a few ulps per layer
        np.testing.assert_allclose(out, a.detach().numpy(), rtol=tol, atol=tol)
        assert net.cost(X, Y) == pytest.approx(cost.item(), rel=tol)
        for mine, theirs in zip([*dw, *db], [*ws, *bs]):
            g = theirs.grad.numpy()
            np.testing.assert_allclose(mine, g, rtol=tol * 10, atol=tol * 10 * np.abs(g).max())


# --- leaky_relu's kink, as ReLU's -----------------------------------------------------


def test_gradcheck_treats_a_leaky_relu_unit_at_exactly_zero_as_a_kink():
    """z = 0 exactly: the central difference averages the slopes 1 and α of both sides and
    disagrees with σ'(0) = α; the checker re-checks such entries one-sided, as for ReLU."""
    from backprop_cli.gradcheck import check_gradients, numeric_gradients

    rng = np.random.default_rng(3)
    net = Network([3, 4, 2], activation="leaky_relu", output_activation="linear", cost="half_squared_error",
                  seed=4)
    X, Y = rng.normal(size=(4, 3)), rng.normal(size=(4, 2))
    net.biases[0][0] = -(X @ net.weights[0].T)[0, 0]  # z_0^(1) of example 0 is exactly 0
    assert (X @ net.weights[0].T + net.biases[0])[0, 0] == 0.0
    report = check_gradients(net, X, Y)
    assert report.n_failed == 0 and report.status in ("pass", "inconclusive") and report.n_kinks > 0
    _, db = net.gradients(X, Y)
    assert abs(numeric_gradients(net, X, Y)[1][0][0] - db[0][0]) > 1e-4  # the straddling difference


@pytest.mark.parametrize("command", [["gradcheck"], ["explain", "--all-layers"]])
def test_a_fresh_leaky_relu_network_on_xor_is_judged_as_relus_is(command):
    """xor's row (0, 0) puts every first-layer z at its bias: with leaky_relu's biases at 0 every
    unit sat exactly on the kink, so a fresh 2-5-4-1 network's check was INCONCLUSIVE (exit 3, "no
    finite difference can judge them"), where relu's 0.01 keeps z off it and passes."""
    for name in ("relu", "leaky_relu"):
        r = _invoke(*command, "--set", f"network.activation={name}", "--set", "network.layers=[2,5,4,1]",
                    "--set", "network.output_activation=sigmoid")
        assert r.exit_code == 0, (name, r.output[-600:])


def test_explain_checks_a_leaky_relu_unit_at_exactly_zero_one_sided():
    from backprop_cli.explain import explain_layer

    net = Network([2, 2, 1], activation="leaky_relu", output_activation="linear", cost="squared_error")
    net.weights = [np.array([[0.0, 0.0], [1.0, -1.0]]), np.array([[1.0, 1.0]])]
    net.biases = [np.zeros(2), np.zeros(1)]
    ex = explain_layer(net, [1.0, 2.0], [1.0], layer=1)
    assert ex.neurons[0].z == 0.0 and ex.neurons[0].sigma_prime == 0.01
    sides = {p.index: p.check.difference for p in ex.weight_products + ex.bias_products}
    assert sides[(0, 0)] == sides[(0, 1)] == sides[(0,)] == "one-sided" and sides[(1,)] == "central"
    assert ex.passed and ex.status == "pass"


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_each_activations_declared_range_holds_its_values_and_its_bounds_are_reached(name):
    """``low``/``high`` (the warning on targets beyond the output's range reads them) are σ's closed
    bounds: every value over a wide z lies in [low, high], and a finite bound is approached (sigmoid
    0 and 1, tanh ±1, elu −1, silu's minimum at z ≈ −1.278); unbounded ones have no finite bound."""
    act = ACTIVATIONS[name]
    z = np.concatenate([np.linspace(-800.0, 800.0, 200_001), [-1.278464542761074]]).reshape(-1, 1)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        a = act.fn(np.hstack([z, -z]) if name == "softmax" else z)
    assert a.min() >= act.low and a.max() <= act.high, (a.min(), a.max())
    for bound, seen in ((act.low, a.min()), (act.high, a.max())):
        if np.isfinite(bound):
            assert abs(seen - bound) < 1e-12, (bound, seen)
        else:
            assert abs(seen) >= 8.0  # leaky_relu's −8 at z = −800, linear's ±800, the rest's 800
    assert act.bounded == (name not in ("leaky_relu", "linear"))
    assert act.range_text == {"sigmoid": "(0, 1)", "tanh": "(−1, 1)", "relu": "[0, ∞)", "softplus": "(0, ∞)",
                              "elu": "(−1, ∞)", "silu": "[≈ −0.278, ∞)", "leaky_relu": "(−∞, ∞)",
                              "linear": "(−∞, ∞)", "softmax": "(0, 1), each row summing to 1"}[name]


def test_every_registered_activation_and_cost_is_known_to_explain_and_gradcheck():
    """A new activation or cost added to its registry alone got no LaTeX and no convention note in
    explain, no saturation warning, no wrong-σ' diagnosis in gradcheck, with nothing to say so (the
    places docs/architecture.md lists). Each must be classified here: adding one fails this test until
    it is, wherever it goes."""
    from backprop_cli import explain, gradcheck
    from backprop_cli.activations import ACTIVATIONS
    from backprop_cli.costs import COSTS

    assert set(explain._COST_LATEX) == set(explain._COST_CONVENTION) == set(COSTS)
    # saturating (σ' → 0 at large |z|: explain warns) or not: every activation is one of the two
    not_saturating = {"relu", "leaky_relu", "linear", "softmax"}
    assert set(explain.SATURATING) | not_saturating == set(ACTIVATIONS)
    assert not set(explain.SATURATING) & not_saturating
    # gradcheck's diagnosis of a learner's wrong σ', in its own way for each activation: sigmoid's and tanh's
    # σ' of a mixed with σ' of z, the others' own classic slip (_WRONG_PRIME); relu's R' only as the sigmoid's
    # a(1 − a) misused, which every activation but sigmoid gets; linear and softmax have no σ' to get wrong
    own = set(gradcheck._PRIME_OF_A) | set(gradcheck._PRIME_Z_FOR_A) | set(gradcheck._WRONG_PRIME)
    assert own | {"relu", "linear", "softmax"} == set(ACTIVATIONS), sorted(set(ACTIVATIONS) - own)


def _exact_slope(name: str, z: float) -> float:
    """σ'(z) with decimal's 800 digits (room for e^(−800)), straight from the definitions: σ(z)(1 − σ(z))
    and 1 − tanh²(z)."""
    from decimal import Decimal, localcontext

    with localcontext() as ctx:
        ctx.prec = 800
        if name == "sigmoid":
            s = 1 / (1 + Decimal(-z).exp())
            return float(s * (1 - s))
        t = (1 - Decimal(-2 * z).exp()) / (1 + Decimal(-2 * z).exp())
        return float(1 - t * t)


@pytest.mark.parametrize("name", ["sigmoid", "tanh"])
def test_the_reference_backward_pass_keeps_every_digit_of_a_saturated_slope(name):
    """σ'(z) of a saturated sigmoid or tanh was taken from the rounded a, as a(1 − a) or 1 − a²:
    σ'(30) = 9.34808e-14 for 9.35762e-14 and σ'(40.4) = 0 for 2.85e-18, printed by explain to 6
    digits with a ✓ (the backward pass used the same numbers). Network's backward pass and explain
    now compute σ' from z; the trainer keeps the cached-a form (an error below 1e-16 absolute)."""
    act = ACTIVATIONS[name]
    z = np.array([[-745.0, -40.4, -30.0, -15.0, -3.0, -0.5, 0.0, 1e-9, 0.7, 4.0, 15.0, 30.0, 40.4, 400.0]])
    got = act.slope(z, act.fn(z))
    want = np.array([[_exact_slope(name, float(v)) for v in z[0]]])
    np.testing.assert_allclose(got, want, rtol=1e-14, atol=0)
    net = Network([1, 1], activation=name, cost="squared_error")
    net.weights, net.biases = [np.array([[30.0]])], [np.array([0.0])]
    (dw,), (db,) = net.gradients(np.array([[1.0]]), np.array([[0.5]]))
    a = float(net.forward(np.array([[1.0]])).output[0, 0])
    assert math.isclose(float(db[0]), 2 * (a - 0.5) * _exact_slope(name, 30.0), rel_tol=1e-13)
    assert math.isclose(float(dw[0, 0]), float(db[0]), rel_tol=1e-15)
    z32 = z.astype(np.float32)
    np.testing.assert_allclose(act.slope(z32, act.fn(z32)), want.astype(np.float32), rtol=1e-5, atol=1e-44)
    assert act.slope(z32, act.fn(z32)).dtype == np.float32
