"""The gradient checker: correct gradients pass, planted bugs are caught and located.

Planted bugs are user backward functions ``(weights, biases, X, Y, config) -> (dw, db)``
built from ``make_backward`` below, an independent sigmoid / squared-error backprop
(seed 000) with one switch per classic mistake.
"""

from __future__ import annotations

import io
import math
from fractions import Fraction
import warnings
import json
import sys

import numpy as np
import pytest
from rich.console import Console

from backprop_cli import Network
from backprop_cli.activations import ACTIVATIONS, HIDDEN_ACTIVATIONS
from backprop_cli.errors import ConfigError, DataError
from backprop_cli.gradcheck import (
    ConvergenceReport,
    LEAF_SIZE,
    GradcheckReport,
    TensorResult,
    check_gradients,
    check_finite_cost,
    convergence_sweep,
    load_user_backward,
    numeric_gradients,
    ratio_band,
    shared_diagnosis,
    _ratio_span,
)
from backprop_cli.render.gradcheck import render_convergence, render_gradcheck, to_json
from backprop_cli.costs import supported_pairs
from helpers import targets_for


def sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-z))


def make_backward(
    factor2: bool = True,
    output_prime: bool = True,
    transpose_at: int | None = None,
    bias_mean: bool = True,
    a_offset_at: int | None = None,
    bad_entry: tuple[int, tuple[int, int], float] | None = None,
):
    """A sigmoid / squared_error backward pass with optional mistakes (all off: correct)."""

    def backward(weights, biases, X, Y, config):
        a, z = [X], [None]
        for w, b in zip(weights, biases):
            z.append(a[-1] @ w.T + b)
            a.append(sigmoid(z[-1]))
        n, L = X.shape[0], len(weights)
        grad_a = (2.0 if factor2 else 1.0) * (a[L] - Y)  # seed 000 eq. 4
        delta = grad_a * (a[L] * (1 - a[L]) if output_prime else 1.0)  # BP1
        dw, db = [None] * L, [None] * L
        for l in range(L, 0, -1):
            a_in = a[l] if a_offset_at == l else a[l - 1]
            dw[l - 1] = delta.T @ a_in / n  # BP4
            db[l - 1] = delta.sum(axis=0) / (n if bias_mean else 1)  # BP3
            if l > 1:
                w = weights[l - 1].T if transpose_at == l else weights[l - 1]
                delta = (delta @ w) * a[l - 1] * (1 - a[l - 1])  # BP2
        if bad_entry is not None:
            layer, index, amount = bad_entry
            dw[layer - 1][index] += amount
        return dw, db

    return backward


@pytest.fixture
def sig_net():
    """3-4-4-2 sigmoid / squared_error (w^(2) square, so transposition bugs type-check)."""
    rng = np.random.default_rng(7)
    net = Network([3, 4, 4, 2], activation="sigmoid", cost="squared_error", init="normal", seed=7)
    X = rng.normal(size=(4, 3))
    Y = rng.uniform(size=(4, 2))
    return net, X, Y


def failing(report: GradcheckReport) -> set[str]:
    return {t.label for t in report.tensors if t.status == "fail"}


def tensor(report: GradcheckReport, label: str) -> TensorResult:
    return next(t for t in report.tensors if t.label == label)


def slow_numeric(net: Network, X, Y, eps: float = 1e-5):
    """Reference: two ``net.cost`` calls per parameter, same step convention."""
    out = []
    for l in range(1, net.L + 1):
        for t in (net.weights[l - 1], net.biases[l - 1]):
            g = np.empty(t.size)
            flat = t.reshape(-1)
            for i in range(t.size):
                theta = flat[i]
                tp, tm = theta + eps, theta - eps
                flat[i] = tp
                cp = net.cost(X, Y)
                flat[i] = tm
                cm = net.cost(X, Y)
                flat[i] = theta
                g[i] = (cp - cm) / (tp - tm)
            out.append(g.reshape(t.shape))
    return out


# --- correct gradients pass --------------------------------------------------------------


@pytest.mark.parametrize("out,cost", supported_pairs())
@pytest.mark.parametrize("hidden", HIDDEN_ACTIVATIONS)
@pytest.mark.parametrize("layers", [[3, 4, 2], [2, 5, 3, 2]])
def test_every_supported_pair_passes(hidden, out, cost, layers):
    rng = np.random.default_rng(len(layers))
    net = Network(layers, activation=hidden, output_activation=out, cost=cost, seed=3)
    X = rng.normal(size=(4, layers[0]))
    Y = targets_for(out, cost, 4, layers[-1], rng)
    report = check_gradients(net, X, Y)
    assert report.status == "pass", [(t.label, t.diagnosis) for t in report.tensors]
    assert report.passed and report.n_failed == 0
    assert report.n_checked == net.n_params
    assert report.global_ratio < 1e-7 and report.band == "excellent"


def test_single_output_network_passes():
    rng = np.random.default_rng(0)
    net = Network([2, 5, 3, 1], activation="tanh", output_activation="sigmoid", cost="cross_entropy")
    report = check_gradients(net, rng.normal(size=(4, 2)), rng.integers(0, 2, (4, 1)))
    assert report.status == "pass"


@pytest.mark.parametrize("hidden,out,cost", [
    ("sigmoid", "sigmoid", "squared_error"),
    ("relu", "softmax", "cross_entropy"),
    ("tanh", "linear", "half_squared_error"),
    ("relu", "relu", "squared_error"),
])
def test_batched_numeric_equals_slow_loop(hidden, out, cost):
    rng = np.random.default_rng(2)
    net = Network([3, 5, 4, 3], activation=hidden, output_activation=out, cost=cost, seed=5)
    X = rng.normal(size=(4, 3))
    Y = targets_for(out, cost, 4, 3, rng)
    dw, db = numeric_gradients(net, X, Y)
    ref = slow_numeric(net, X, Y)
    fast = [g for pair in zip(dw, db) for g in pair]
    assert max(np.abs(f - r).max() for f, r in zip(fast, ref)) <= 1e-10
    # and both are the real gradient, to the accuracy of central differences
    gw, gb = net.gradients(X, Y)
    assert max(np.abs(f - g).max() for f, g in zip(fast, [g for p in zip(gw, gb) for g in p])) < 1e-8


def test_own_backprop_equals_user_backward_of_same_math(sig_net):
    net, X, Y = sig_net
    report = check_gradients(net, X, Y, gradients=make_backward())
    assert report.status == "pass"


def test_a_backward_that_changes_the_weights_it_is_given_is_warned_and_judged_on_them_before(sig_net):
    """A learner's backward that updates w in place (seed 001's code does, inside backprop) is
    handed copies: the finite differences still perturb the network as it was, and the report
    warns. Here the update comes after its gradients, which are right: the check passes, and
    would not on the updated w^(2); a backward that changes nothing gets no warning."""
    net, X, Y = sig_net
    before = [w.copy() for w in net.weights] + [b.copy() for b in net.biases]
    right = make_backward()

    def updating(weights, biases, X, Y, config):
        dw, db = right(weights, biases, X, Y, config)
        weights[1] -= 0.5 * dw[1]
        biases[2] = biases[2] + 1.0  # an entry of the list rebound counts too
        return dw, db

    report = check_gradients(net, X, Y, gradients=updating)
    assert report.status == "pass", report
    assert report.warnings == (
        "your backward changed weights[1] and biases[2] (w^(2), b^(3)) in place: an error handed back after such an "
        "update (δ^(l) @ w^(l)) uses the updated w; compute all gradients before any update (and update outside "
        "the backward). The check itself used the values before the call",)
    assert all(np.array_equal(a, b) for a, b in zip(net.weights + net.biases, before))
    assert check_gradients(net, X, Y, gradients=right).warnings == ()
    assert convergence_sweep(net, X, Y, gradients=updating).warnings == report.warnings
    assert to_json(report)["warnings"] == list(report.warnings)


# --- planted bugs: caught, located, diagnosed ------------------------------------------------


def test_missing_factor_two_is_half(sig_net):
    net, X, Y = sig_net
    report = check_gradients(net, X, Y, gradients=make_backward(factor2=False))
    assert report.status == "fail" and not report.passed
    assert failing(report) == {t.label for t in report.tensors}
    for t in report.tensors:
        assert "×½" in t.diagnosis[0] and "cost-derivative" in t.diagnosis[0]
    assert report.global_ratio == pytest.approx(1 / 3, rel=1e-4)
    assert ratio_band(report.global_ratio) == "almost surely a bug"


def test_missing_output_sigma_prime(sig_net):
    net, X, Y = sig_net
    report = check_gradients(net, X, Y, gradients=make_backward(output_prime=False))
    assert {"w^(3)", "b^(3)"} <= failing(report)
    for label in ("w^(3)", "b^(3)"):
        text = " ".join(tensor(report, label).diagnosis)
        assert "σ'(z^(3)) left out of δ^(3)" in text and "BP1" in text


def test_transposed_weight_in_backward_pass(sig_net):
    net, X, Y = sig_net
    report = check_gradients(net, X, Y, gradients=make_backward(transpose_at=2))
    # w^(2) is used to pass δ^(2) back to layer 1: only layer 1 is wrong
    assert failing(report) == {"w^(1)", "b^(1)"}
    assert "w^(2) where (w^(2))ᵀ belongs" in " ".join(tensor(report, "w^(1)").diagnosis)


def test_bias_summed_instead_of_averaged(sig_net):
    net, X, Y = sig_net
    report = check_gradients(net, X, Y, gradients=make_backward(bias_mean=False))
    assert failing(report) == {"b^(1)", "b^(2)", "b^(3)"}
    for label in failing(report):
        assert "×n (n = 4 examples)" in tensor(report, label).diagnosis[0]


def test_off_by_one_layer_in_bp4(sig_net):
    net, X, Y = sig_net
    report = check_gradients(net, X, Y, gradients=make_backward(a_offset_at=2))
    assert failing(report) == {"w^(2)"}
    text = " ".join(tensor(report, "w^(2)").diagnosis)
    assert "a^(2) where a^(1) belongs, off by one layer" in text


def test_transposed_gradient_pattern():
    rng = np.random.default_rng(4)
    net = Network([3, 3, 3], activation="tanh", cost="half_squared_error", seed=1)
    X, Y = rng.normal(size=(4, 3)), rng.normal(size=(4, 3))

    def backward(weights, biases, X_, Y_, config):
        dw, db = net.gradients(X_, Y_)
        return [dw[0].T, dw[1]], db

    report = check_gradients(net, X, Y, gradients=backward)
    assert failing(report) == {"w^(1)"}
    assert tensor(report, "w^(1)").diagnosis[0].startswith("transposed")


def test_a_transposed_square_gradient_points_at_the_product_to_write():
    """A square w^(l) transposed (seed 001's Z = XW: a_prev.T @ delta) has w's shape, so no shape error
    says `delta.T @ a_prev`, as a non-square one's does: the diagnosis says it, in full and sample mode."""
    rng = np.random.default_rng(4)
    net = Network([2, 2, 1], activation="sigmoid", seed=1)
    X, Y = rng.normal(size=(4, 2)), rng.uniform(size=(4, 1))

    def backward(weights, biases, X_, Y_, config):
        dw, db = net.gradients(X_, Y_)
        return [dw[0].T.copy(), dw[1]], db

    for mode in ("full", "sample"):
        report = check_gradients(net, X, Y, gradients=backward, mode=mode, params=4, rng=0)
        assert failing(report) == {"w^(1)"}, mode
        text = tensor(report, "w^(1)").diagnosis[0]
        assert text.startswith("transposed") and "delta.T @ a_prev, not a_prev.T @ delta" in text, (mode, text)


def test_a_ratio_on_one_tensor_whose_partner_passes_is_not_blamed_on_delta():
    """w^(2) negated alone: the sign flip offered 'e.g. y − a written for a − y', and the line under it said
    'b^(2) passes, so δ^(2) is right'; y − a would flip δ^(2), failing b^(2) too. Where the layer's other
    tensor passes, a ratio is placed in this tensor's own formula; a ratio on every tensor keeps the
    readings through ∂C/∂a."""
    rng = np.random.default_rng(4)
    net = Network([2, 3, 1], activation="sigmoid", seed=1)
    X, Y = rng.normal(size=(4, 2)), rng.uniform(size=(4, 1))

    def scaled(which, factor):
        def backward(weights, biases, X_, Y_, config):
            grads = net.gradients(X_, Y_)
            out = [list(g) for g in grads]
            for kind, l in which:
                out[kind][l] = factor * out[kind][l]
            return out[0], out[1]
        return backward

    flip = check_gradients(net, X, Y, gradients=scaled([(0, 1)], -1.0))
    assert failing(flip) == {"w^(2)"}
    first, *rest = tensor(flip, "w^(2)").diagnosis
    assert first.startswith("sign flip") and "in ∂C/∂w^(2) alone" in first, first
    assert "e.g. y − a" not in first and "y − a written for a − y would fail b^(2) too" in first, first
    assert "b^(2) passes, so δ^(2) is right" in " ".join(rest)
    bias = check_gradients(net, X, Y, gradients=scaled([(1, 1)], -1.0))
    assert "in ∂C/∂b^(2) alone (y − a written for a − y would fail w^(2) too)" in tensor(bias, "b^(2)").diagnosis[0]
    half = check_gradients(net, X, Y, gradients=scaled([(0, 0)], 0.5))
    text = tensor(half, "w^(1)").diagnosis[0]
    assert text.startswith("×½") and "missing in ∂C/∂w^(1) alone" in text and "cost-derivative" not in text, text
    every = check_gradients(net, X, Y, gradients=scaled([(0, 0), (0, 1), (1, 0), (1, 1)], -1.0))
    assert all("e.g. y − a written for a − y" in t.diagnosis[0] and "alone" not in t.diagnosis[0]
               for t in every.tensors), [t.diagnosis for t in every.tensors]


def test_a_failing_sweep_names_the_plain_checks_pattern():
    """`--convergence` on a backward without the 2 said the gradient is wrong, never the ×½ the plain check
    names: its panel gives the plain check's words where every entry shares one ratio."""
    rng = np.random.default_rng(4)
    net = Network([2, 3, 1], activation="sigmoid", seed=1)
    X, Y = rng.normal(size=(4, 2)), rng.uniform(size=(4, 1))

    def half(weights, biases, X_, Y_, config):
        dw, db = net.gradients(X_, Y_)
        return [0.5 * d for d in dw], [0.5 * d for d in db]

    report = convergence_sweep(net, X, Y, gradients=half)
    assert report.status == "fail", report
    assert report.diagnosis and report.diagnosis[0].startswith("×½: analytic/numeric = 0.5 on all 13 entries"), report
    assert "∂C/∂a = 2(a − y)" in report.diagnosis[0]
    console = Console(file=io.StringIO(), width=100, color_system=None)
    render_convergence(console, report)
    text = " ".join(console.file.getvalue().replace("│", " ").split())
    assert "• ×½: analytic/numeric = 0.5" in text, text
    assert convergence_sweep(net, X, Y).diagnosis == ()  # a passing sweep has none


def _backward_with(net, which, factor):
    """Backprop's own gradients with ``factor`` on the tensors ``which``: (0 for w, 1 for b, index)."""
    def backward(weights, biases, X_, Y_, config):
        out = [list(g) for g in net.gradients(X_, Y_)]
        for kind, l in which:
            out[kind][l] = factor * out[kind][l]
        return out[0], out[1]
    return backward


def test_a_partner_that_passes_on_a_gradient_of_0_is_no_evidence_that_delta_is_right():
    """b^(2) of a linear output whose mean error is 0 has a gradient of ~0 (rel err —): it passes whatever
    δ^(2) is, y − a for a − y included. Every tensor negated, w^(2) was told 'in ∂C/∂w^(2) alone (y − a
    written for a − y would fail b^(2) too)' and 'b^(2) passes, so δ^(2) is right', both false."""
    net = Network([2, 2, 1], activation="sigmoid", output_activation="linear", cost="half_squared_error", seed=1)
    X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    Y = np.array([[0.0], [1.0], [1.0], [0.0]])
    net.biases[1] = net.biases[1] - np.mean(net.predict(X) - Y)  # ∂C/∂b^(2) = mean(a − y) = 0
    report = check_gradients(net, X, Y, gradients=_backward_with(net, [(0, 0), (0, 1), (1, 0), (1, 1)], -1.0))
    assert tensor(report, "b^(2)").status == "pass" and failing(report) == {"w^(1)", "b^(1)", "w^(2)"}
    first, *rest = tensor(report, "w^(2)").diagnosis
    assert "alone" not in first and "e.g. y − a written for a − y" in first, first
    assert "passes, so δ^(2) is right" not in " ".join(rest), rest
    assert any("b^(2) passes only on a gradient of ~0" in line for line in rest), rest


def test_a_ratio_under_a_later_layer_that_passes_is_not_blamed_on_the_cost_derivative():
    """w^(1) negated and b^(1) halved: w^(1) was told 'e.g. y − a written for a − y', b^(1) 'for
    squared_error ∂C/∂a = 2(a − y)', beside 'layer 2 passes, so δ^(2) is right', which rules out both:
    a mistake in ∂C/∂a would fail the output layer too. A ratio w^(1) and b^(1) share is placed in layer 1's own
    formulas; two ratios, which no one δ^(1) gives both, each in its tensor's own formula, with no BP2 bullet."""
    rng = np.random.default_rng(4)
    for sizes, act in (([2, 3, 1], "sigmoid"), ([2, 4, 4, 4, 4, 1], "tanh")):
        net = Network(sizes, activation=act, seed=1)
        X, Y = rng.normal(size=(4, 2)), rng.uniform(size=(4, 1))
        L = len(sizes) - 1
        report = check_gradients(net, X, Y, gradients=lambda *a: (
            lambda dw, db: ([-dw[0], *dw[1:]], [db[0] / 2, *db[1:]]))(*net.gradients(a[2], a[3])))
        assert failing(report) == {"w^(1)", "b^(1)"}
        w, b = tensor(report, "w^(1)").diagnosis[0], tensor(report, "b^(1)").diagnosis[0]
        assert w.startswith("sign flip") and "e.g. y − a" not in w, w
        assert ("in ∂C/∂w^(1) alone (y − a written for a − y would give b^(1) this ratio too, where it shows ×0.5): "
                "e.g. a minus in dw") in w, w
        assert b.startswith("×½") and "cost-derivative" not in b and "2(a − y)" not in b, b
        assert "missing in ∂C/∂b^(1) alone (one in ∂C/∂a would give w^(1) this ratio too, where it shows ×-1)" in b, b
        for t in ("w^(1)", "b^(1)"):  # no "the error handed back to layer 1 is wrong": no one δ^(1) gives both
            assert not any("handed back to layer 1 is wrong" in d for d in tensor(report, t).diagnosis), report
        # both halved: one finding, said alike for w^(1) and b^(1) (one box), in layer 1's own formulas
        both = check_gradients(net, X, Y, gradients=_backward_with(net, [(0, 0), (1, 0)], 0.5))
        assert shared_diagnosis(tensor(both, "w^(1)").diagnosis) == shared_diagnosis(tensor(both, "b^(1)").diagnosis)
        said = tensor(both, "w^(1)").diagnosis[0]
        assert f"missing in layer 1's own formulas (one in ∂C/∂a would fail layer {L} too, which passes)" in said, said
        # every tensor halved: the cost derivative is still the reading
        every = check_gradients(net, X, Y, gradients=_backward_with(
            net, [(k, i) for k in (0, 1) for i in range(L)], 0.5))
        assert all("cost-derivative" in t.diagnosis[0] for t in every.tensors), [t.diagnosis for t in every.tensors]


@pytest.mark.parametrize("factor", [0.5, -1.0])
def test_a_ratio_over_a_layer_that_passes_is_not_blamed_on_the_cost_derivative(factor):
    """Only the output layer's w and b × ½ (or negated), every layer below passing: it was told 'a cost-derivative
    or averaging bug, a factor 2 missing — for squared_error ∂C/∂a = 2(a − y)' (or 'e.g. y − a written for a − y'),
    but BP2 hands δ^(L) down, and layer 1 would fail with it. A middle layer's was told, beside that, 'the error
    handed back to layer 2 is wrong'. Both are placed in the layer's BP4 and BP3, after δ^(l) is handed down."""
    rng = np.random.default_rng(4)
    net = Network([2, 3, 3, 1], activation="tanh", seed=1)
    X, Y = rng.normal(size=(4, 2)), rng.uniform(size=(4, 1))
    for l, below in ((3, 2), (2, 1)):
        report = check_gradients(net, X, Y, gradients=_backward_with(net, [(0, l - 1), (1, l - 1)], factor))
        assert failing(report) == {f"w^({l})", f"b^({l})"}, report
        w, b = tensor(report, f"w^({l})").diagnosis, tensor(report, f"b^({l})").diagnosis
        assert shared_diagnosis(w) == shared_diagnosis(b) and len(w) == 1, w  # one box
        said = w[0]
        assert "cost-derivative" not in said and "2(a − y)" not in said and "e.g. y − a" not in said, said
        assert (f"in layer {l}'s BP4 and BP3, ∂C/∂w^({l}) and ∂C/∂b^({l}) as taken from δ^({l}) "
                f"({'one in ∂C/∂a' if factor == 0.5 else 'y − a written for a − y'} would fail layer {below} too, "
                f"which passes, as would any such slip in δ^({l}), which BP2 hands down to it)") in said, said
    # the whole gradient × ½: every layer fails, and the cost derivative is the reading still
    every = check_gradients(net, X, Y, gradients=_backward_with(net, [(k, i) for k in (0, 1) for i in range(3)], 0.5))
    assert all("cost-derivative" in t.diagnosis[0] for t in every.tensors), [t.diagnosis for t in every.tensors]


@pytest.mark.parametrize("mode", ["full", "fast"])
def test_a_ratio_its_failing_partner_does_not_show_is_placed_in_its_own_formula_not_in_delta(mode):
    """w^(1) negated, b^(1) off with no pattern, layer 2 passing: w^(1) was told 'in layer 1's own formulas: e.g. a
    minus in δ^(1) as BP2 hands it back', both 'the error handed back to layer 1 is wrong. Look at BP2', where a minus
    in δ^(1), which BP3 takes too, would have negated b^(1): a ratio that b^(1) does not show is w^(1)'s own (BP4's
    other factor, a^(0), or the formula), and alike with w and b the other way round."""
    rng = np.random.default_rng(4)
    net = Network([2, 3, 1], activation="sigmoid", seed=1)
    X, Y = rng.normal(size=(4, 2)), rng.uniform(size=(4, 1))
    off_b, off_w = np.array([1.3, -0.4, 2.2]), np.array([[1.3, -0.4], [2.2, 0.7], [0.1, 3.0]])
    for kind, other, (ratio_w, ratio_b) in (("w", "b", (-1.0, off_b)), ("b", "w", (off_w, -1.0))):
        report = check_gradients(net, X, Y, mode=mode, rng=0, gradients=lambda *a: (
            lambda dw, db: ([ratio_w * dw[0], dw[1]], [ratio_b * db[0], db[1]]))(*net.gradients(a[2], a[3])))
        assert failing(report) == {"w^(1)", "b^(1)"}, report
        said, *rest = tensor(report, f"{kind}^(1)").diagnosis
        m = 3 if other == "b" else 6
        assert said.startswith("sign flip") and "δ^(1)" not in said and "e.g. y − a" not in said, said
        assert (f"in ∂C/∂{kind}^(1) alone (y − a written for a − y would give {other}^(1) this ratio too, where none "
                f"of its {m} entries shows it): e.g. a minus in d{kind}") in said, said
        assert rest == [f"{other}^(1) fails, but not with this ratio, which a factor in δ^(1) would give it too " + (
            "(BP3: ∂C/∂b^(1) is δ^(1) averaged over the examples): look at BP4's other factor, the layer input a^(0) = x "
            "used in ∂C/∂w^(1) = δ^(1) (a^(0))ᵀ, or a factor of that formula's own; b^(1)'s failure is a finding of its own"
            if kind == "w" else
            "(BP4: ∂C/∂w^(1) = δ^(1) (a^(0))ᵀ): look at BP3's own step, ∂C/∂b^(1) = δ^(1) averaged over the examples (the "
            "rows), one value per unit; w^(1)'s failure is a finding of its own")], rest
        assert tensor(report, f"{other}^(1)").diagnosis[0].startswith("no simple pattern"), report
        for t in ("w^(1)", "b^(1)"):
            assert not any("handed back to layer 1 is wrong" in d for d in tensor(report, t).diagnosis), report


def test_a_passing_tensor_that_would_pass_with_the_ratio_too_does_not_clear_delta():
    """Layer 1 × 1.2 under an atol that ×1.2 of b^(1) and of layer 2 stays within (entries of at least atol, so
    they pass on evidence): w^(1) was told 'b^(1) passes, so δ^(1) is right … look at the layer input a^(0)', but a
    ×1.2 in δ^(1) would pass b^(1) too. A passing tensor rules a ratio out of δ only where it would fail with it."""
    rng = np.random.default_rng(4)
    net = Network([2, 3, 1], activation="tanh", output_activation="linear", cost="half_squared_error", seed=1)
    X, Y = 30 * rng.normal(size=(4, 2)), rng.uniform(size=(4, 1))
    net.weights[0] = net.weights[0] / 100  # ∂C/∂w^(1) up to ~11, the rest below 0.7
    dw, db = net.gradients(X, Y)
    atol = 0.5 * max(np.abs(dw[1]).max(), np.abs(db[1]).max())
    assert np.abs(db[0]).max() > atol and 0.2 * np.abs(db[0]).max() < atol  # b^(1) has evidence, and ×1.2 passes
    report = check_gradients(net, X, Y, atol=atol, gradients=_backward_with(net, [(0, 0), (1, 0)], 1.2))
    assert failing(report) == {"w^(1)"}, report
    said, *rest = tensor(report, "w^(1)").diagnosis
    assert said.startswith("constant ratio ×1.2") and "alone" not in said and "own formulas" not in said, said
    assert rest == ["b^(1) passes, but would pass with this ratio too (its values × 1.2 stay within rtol and atol): "
                    "it does not show δ^(1) free of it"], rest


def _l2_backward(net, lam, which, factor, whole=False):
    """Backprop's own gradients under training.l2 = ``lam`` with ``factor`` on the tensors ``which`` (0 for w, 1 for
    b, index): on a w^(l)'s δ part alone, λ w^(l) left as it is (as a slip in δ^(l) or ∂C/∂a leaves it), or,
    ``whole``, on all of it."""
    def backward(weights, biases, X_, Y_, config):
        dw, db = [list(g) for g in net.gradients(X_, Y_)]
        for kind, i in which:
            if kind == 1:
                db[i] = factor * db[i]
            else:
                pen = 0.0 if whole else lam * net.weights[i]
                dw[i] = factor * (dw[i] - pen) + pen
        return dw, db
    return backward


@pytest.mark.parametrize("mode", ["full", "fast"])
@pytest.mark.parametrize("lam", [0.001, 0.01, 0.1])
def test_a_cost_derivative_slip_under_l2_is_the_cost_derivative(lam, mode):
    """A hand-written 2-3-1 backward with ∂C/∂a = a − y (the factor 2 left out) and + λw in dw: every δ is halved,
    so b^(l) shows ×½, while ∂C/∂w^(l) = ½ (δ part) + λ w^(l) shows no one ratio. b^(1) and b^(2) were told 'a factor
    2 missing in ∂C/∂b^(1) alone (one in ∂C/∂a would give w^(1) this ratio too, where none of its 6 entries shows it)'
    and 'w^(1) fails, but not with this ratio …': λ w^(l), which δ does not give, is taken out of both sides of a
    w^(l) before it is asked whether it shows a factor in δ, and the w^(l) are told their ratio so read."""
    def backward(weights, biases, X, Y, config):
        sig = lambda z: 1 / (1 + np.exp(-z))  # noqa: E731
        a1 = sig(X @ weights[0].T + biases[0])
        a2 = sig(a1 @ weights[1].T + biases[1])
        d2 = (a2 - Y) * a2 * (1 - a2)  # should be 2 (a2 − Y) ⊙ σ'
        d1 = (d2 @ weights[1]) * a1 * (1 - a1)
        n, lam_ = len(X), config.training.l2
        return ([d1.T @ X / n + lam_ * weights[0], d2.T @ a1 / n + lam_ * weights[1]],
                [d1.mean(axis=0), d2.mean(axis=0)])

    rng = np.random.default_rng(4)
    net = Network([2, 3, 1], activation="sigmoid", seed=1, l2=lam)
    X, Y = rng.normal(size=(4, 2)), rng.uniform(size=(4, 1))
    report = check_gradients(net, X, Y, gradients=backward, mode=mode, rng=0)
    assert failing(report) == {"w^(1)", "b^(1)", "w^(2)", "b^(2)"}, report
    cost = "a cost-derivative or averaging bug, a factor 2 missing — for squared_error ∂C/∂a = 2(a − y) (seed 000, eq. 4)"
    for l in (1, 2):
        b, w = tensor(report, f"b^({l})").diagnosis, tensor(report, f"w^({l})").diagnosis
        assert len(b) == 1 and b[0].startswith("×½: analytic/numeric = 0.5 ") and b[0].endswith(cost), b
        assert len(w) == 1 and w[0].startswith("×½: (analytic − λw)/(numeric − λw) = 0.5 "), w
        assert w[0].endswith(cost), w


@pytest.mark.parametrize("lam", [0.01, 0.1])
def test_a_ratio_in_one_tensor_or_layer_under_l2_is_placed_there(lam):
    """Under training.l2, a factor on w^(2)'s δ part alone (λ w^(2) as it is), or on layer 2's w and b over a layer 1
    that passes, is placed in ∂C/∂w^(2) alone, or in layer 2's BP4 and BP3, as without L2: w^(2) was told 'no simple
    pattern' with, under it, 'the error handed back to layer 2 is wrong. Look at BP2', which layer 1 passing rules out;
    and a passing w^(l) rules a ratio out by its δ part alone (λ w^(l) × ½ is no part of a slip in δ)."""
    rng = np.random.default_rng(4)
    net = Network([2, 3, 3, 1], activation="sigmoid", seed=1, l2=lam)
    X, Y = rng.normal(size=(4, 2)), rng.uniform(size=(4, 1))
    for whole in (False, True):
        head = "×½: analytic/numeric = 0.5 " if whole else "×½: (analytic − λw)/(numeric − λw) = 0.5 "
        report = check_gradients(net, X, Y, gradients=_l2_backward(net, lam, [(0, 1)], 0.5, whole))
        assert failing(report) == {"w^(2)"}, report
        said, *rest = tensor(report, "w^(2)").diagnosis
        assert said.startswith(head) and "missing in ∂C/∂w^(2) alone (one in ∂C/∂a would fail b^(2) too)" in said, said
        assert rest[0].startswith("b^(2) passes, so δ^(2) is right"), rest
        report = check_gradients(net, X, Y, gradients=_l2_backward(net, lam, [(0, 1), (1, 1)], 0.5, whole))
        assert failing(report) == {"w^(2)", "b^(2)"}, report
        w, b = tensor(report, "w^(2)").diagnosis, tensor(report, "b^(2)").diagnosis
        assert len(w) == len(b) == 1 and w[0].startswith(head), (w, b)
        for said in (w[0], b[0]):
            assert ("a factor 2 missing in layer 2's BP4 and BP3, ∂C/∂w^(2) and ∂C/∂b^(2) as taken from δ^(2) (one in "
                    "∂C/∂a would fail layer 1 too, which passes") in said, said
    # the whole gradient × ½, λ w^(l) too: every tensor shows it, and the cost derivative (or averaging) is the reading
    every = check_gradients(net, X, Y, gradients=_l2_backward(
        net, lam, [(k, i) for k in (0, 1) for i in range(3)], 0.5, whole=True))
    assert all("cost-derivative" in t.diagnosis[0] for t in every.tensors), [t.diagnosis for t in every.tensors]


def test_a_sign_flip_in_the_delta_part_of_w_under_l2_is_read_with_the_l2_term_taken_out():
    """w^(1)'s δ part negated (λ w^(1) as it is) and b^(1) halved, under training.l2: w^(1)'s ratio, −1 once λ w^(1)
    is taken out of both sides, is named so, without 'dw negated for the update', which would negate λ w^(1) too,
    and b^(1), in its own formula, says what w^(1) shows and how it is read."""
    rng = np.random.default_rng(4)
    net = Network([2, 3, 1], activation="sigmoid", seed=1, l2=0.1)
    X, Y = rng.normal(size=(4, 2)), rng.uniform(size=(4, 1))
    report = check_gradients(net, X, Y, gradients=lambda *a: (lambda dw, db: (
        [_l2_backward(net, 0.1, [(0, 0)], -1.0)(*a)[0][0], dw[1]], [0.5 * db[0], db[1]]))(*net.gradients(a[2], a[3])))
    assert failing(report) == {"w^(1)", "b^(1)"}, report
    w, b = tensor(report, "w^(1)").diagnosis[0], tensor(report, "b^(1)").diagnosis[0]
    assert w == ("sign flip: (analytic − λw)/(numeric − λw) = -1 on all 6 entries, analytic − λw = "
                 "−(numeric − λw), in ∂C/∂w^(1) alone (y − a written for a − y would give b^(1) this ratio too, "
                 "where it shows ×0.5): e.g. a minus in dw"), w
    assert ("missing in ∂C/∂b^(1) alone (one in ∂C/∂a would give w^(1) this ratio too, where it shows ×-1 with λw "
            "taken out)") in b, b


@pytest.mark.parametrize("k, term, off", [
    (2.0, "2λw (λw added twice)", "+λw"), (-1.0, "−λw (its sign flipped", "−2λw"), (0.5, "½λw (the ½ of", "−½λw"),
    (0.25, "λw/n (divided by the n = 4 examples", "−0.75·λw"), (0.0, "0 (λw left out)", "−λw"),
    (1.5, "1.5·λw (×1.5)", "+0.5·λw")])
@pytest.mark.parametrize("layers", [(0,), (0, 1)])
@pytest.mark.parametrize("mode", ["full", "fast"])
def test_a_slip_in_the_l2_term_is_named_as_such(k, term, off, layers, mode):
    """λw written 2λw, −λw, ½λw or λw/n, or left out of one layer only, with δ right (b^(l) passes): each was 'no simple
    pattern … analytic/numeric ranges …' over 'b^(1) passes, so δ^(1) is right …: look at the layer input a^(0) = x
    used in BP4', where the input is fine. analytic − numeric is one multiple of λw: the L2 term is named, in that
    layer, and no BP4 line follows. λw left out of every layer keeps its own diagnosis (a classic mistake)."""
    rng = np.random.default_rng(4)
    net = Network([2, 3, 1], activation="sigmoid", seed=1, l2=0.1)
    X, Y = rng.normal(size=(4, 2)), rng.uniform(size=(4, 1))

    def backward(weights, biases, X_, Y_, config):
        dw, db = [list(g) for g in net.gradients(X_, Y_)]
        return [d + (k - 1) * 0.1 * w if i in layers else d for i, (d, w) in enumerate(zip(dw, weights))], db

    report = check_gradients(net, X, Y, gradients=backward, mode=mode, rng=0)
    assert failing(report) == {f"w^({i + 1})" for i in layers}, report
    for i in layers:
        said = tensor(report, f"w^({i + 1})").diagnosis
        if k == 0.0 and layers == (0, 1):
            assert "L2 term λ w^(l) left out of every ∂C/∂w^(l)" in said[0], said
            continue
        assert len(said) == 1 and said[0].startswith(f"the L2 term in ∂C/∂w is written as {term}"), said
        assert f"analytic − numeric = {off} on every failing entry" in said[0] and "layer input" not in said[0], said


@pytest.mark.parametrize("k, head, term", [(-1.0, "sign flip: analytic/numeric = -1 on all 6 entries", "−λw (its sign"),
                                           (0.5, "×½: analytic/numeric = 0.5 on all 6 entries", "½λw (the ½"),
                                           (2.0, "×2: analytic/numeric = 2 on all 6 entries", "2λw (λw added twice)")])
def test_a_whole_dw_scaled_where_the_l2_term_rules_it_is_not_blamed_on_the_l2_term_alone(k, head, term):
    """λ = 1 and inputs of 1e-6: λw rules ∂C/∂w^(1), its δ part below tolerance. The whole dw^(1) negated, halved or
    doubled was 'the L2 term … written as −λw (½λw, 2λw) … the slip is in the L2 term, not in BP4's δ (a)ᵀ', which the
    numbers cannot tell from the ratio: the ratio is read, and the L2 term named as the other reading."""
    rng = np.random.default_rng(4)
    net = Network([2, 3, 1], activation="sigmoid", seed=1, l2=1.0)
    X, Y = 1e-6 * rng.normal(size=(4, 2)), rng.uniform(size=(4, 1))

    def backward(weights, biases, X_, Y_, config):
        dw, db = [list(g) for g in net.gradients(X_, Y_)]
        dw[0] = k * dw[0]
        return dw, db

    report = check_gradients(net, X, Y, gradients=backward)
    assert failing(report) == {"w^(1)"}, report
    said = tensor(report, "w^(1)").diagnosis
    assert said[0].startswith(head) and "in ∂C/∂w^(1) alone" in said[0], said
    assert not any("the slip is in the L2 term" in line for line in said), said
    assert said[-1].startswith(f"or the L2 term in ∂C/∂w^(1) is written as {term}"), said
    assert "too small on every failing entry" in said[-1], said


@pytest.mark.parametrize("k, term", [
    (0.5, "½λw (the ½ of (λ/2)‖w‖² kept: d/dw (λ/2)w² = λw) or λw/n (divided by the n = 2 examples"),
    (2.0, "2λw (λw added twice) or nλw (added once per example, n = 2")])
def test_an_l2_term_slip_with_two_examples_names_both_readings(k, term):
    """With n = 2 examples ½λw is λw/n and 2λw is nλw: only the first was named ('½λw (the ½ … kept …)', '2λw (λw
    added twice)'); both are, as the ratio's '×2 (= ×n, n = 2 examples)' is."""
    rng = np.random.default_rng(4)
    net = Network([2, 3, 1], activation="sigmoid", seed=1, l2=0.1)
    X, Y = rng.normal(size=(2, 2)), rng.uniform(size=(2, 1))

    def backward(weights, biases, X_, Y_, config):
        dw, db = [list(g) for g in net.gradients(X_, Y_)]
        dw[0] = dw[0] + (k - 1) * 0.1 * weights[0]
        return dw, db

    said = tensor(check_gradients(net, X, Y, gradients=backward), "w^(1)").diagnosis
    assert len(said) == 1 and said[0].startswith(f"the L2 term in ∂C/∂w is written as {term}"), said


def test_a_slip_in_one_row_of_w_is_not_an_l2_term():
    """λw left out of one row of w^(1) alone: analytic − numeric is −λw there and 0 elsewhere, no one multiple of λw
    over every entry, so the L2 term as a whole is not blamed."""
    rng = np.random.default_rng(4)
    net = Network([2, 3, 1], activation="sigmoid", seed=1, l2=0.1)
    X, Y = rng.normal(size=(4, 2)), rng.uniform(size=(4, 1))

    def backward(weights, biases, X_, Y_, config):
        dw, db = net.gradients(X_, Y_)
        dw = [d.copy() for d in dw]
        dw[0][1] -= 0.1 * weights[0][1]
        return dw, db

    said = tensor(check_gradients(net, X, Y, gradients=backward), "w^(1)").diagnosis
    assert not any("L2 term in ∂C/∂w" in line for line in said), said


@pytest.mark.parametrize("mode", ["full", "fast"])
@pytest.mark.parametrize("lam", [0.0, 0.1])
def test_a_ratio_on_one_row_of_w_under_l2_is_read_with_the_l2_term_taken_out(lam, mode):
    """The δ part of row 1 of dw^(1) halved, λw as it is, on a 2-4-1 net: without L2 'every failing entry is in row
    j = 1 … ×0.5 on this row alone'; with training.l2 = 0.1 it was 'only 2 of 8 checked entries fail … a bug local to
    these entries', the row's ratio hidden by λw, which a slip in δ leaves as it is."""
    rng = np.random.default_rng(4)
    net = Network([2, 4, 1], activation="sigmoid", seed=1, l2=lam)
    X, Y = rng.normal(size=(4, 2)), rng.uniform(size=(4, 1))

    def backward(weights, biases, X_, Y_, config):
        dw, db = net.gradients(X_, Y_)
        dw = [d.copy() for d in dw]
        pen = lam * weights[0][1]
        dw[0][1] = 0.5 * (dw[0][1] - pen) + pen
        return dw, db

    said = tensor(check_gradients(net, X, Y, gradients=backward, mode=mode, rng=0), "w^(1)").diagnosis
    ratio = "(analytic − λw)/(numeric − λw) = 0.5: ×0.5 on this row alone, λw as it is (" if lam else (
        "analytic/numeric = 0.5: ×0.5 on this row alone (")
    assert said[0].startswith("every failing entry") and "is in row j = 1" in said[0] and ratio in said[0], said


def test_the_sweeps_pattern_under_l2_is_read_with_the_l2_term_taken_out():
    """--convergence on a backward with ∂C/∂a's factor 2 left out and + λw in dw: the sweep named no pattern under
    training.l2, as no one analytic/numeric ratio spans w (½ δ part + λw) and b (½ δ part); the plain check named ×½."""
    rng = np.random.default_rng(4)
    net = Network([2, 3, 1], activation="sigmoid", seed=1, l2=0.1)
    X, Y = rng.normal(size=(4, 2)), rng.uniform(size=(4, 1))
    report = convergence_sweep(net, X, Y, gradients=_l2_backward(net, 0.1, [(k, i) for k in (0, 1) for i in (0, 1)], 0.5))
    assert report.status == "fail" and len(report.diagnosis) == 1, report.diagnosis
    assert report.diagnosis[0].startswith("×½: (analytic − λw)/(numeric − λw) = 0.5 on all 13 entries (λw: each weight's "
                                          "L2 term, 0 for the biases): a cost-derivative"), report.diagnosis


@pytest.mark.parametrize("mode", ["full", "fast"])
def test_a_cost_derivative_slip_with_the_l2_term_left_out_is_read_so(mode):
    """∂C/∂a = a − y (the factor 2 left out) and λw left out of dw: b^(1), b^(2) show ×½, and the w^(l) were 'no simple
    pattern', so each b was told 'a factor 2 missing in ∂C/∂b^(1) alone (… where none of its 6 entries shows it)'. A
    w^(l) reads analytic/(numeric − λw) = ½: the cost-derivative slip, and λw left out besides."""
    rng = np.random.default_rng(4)
    net = Network([2, 3, 1], activation="sigmoid", seed=1, l2=0.1)
    X, Y = rng.normal(size=(4, 2)), rng.uniform(size=(4, 1))

    def backward(weights, biases, X_, Y_, config):
        dw, db = net.gradients(X_, Y_)
        return [0.5 * (d - 0.1 * w) for d, w in zip(dw, weights)], [0.5 * d for d in db]

    report = check_gradients(net, X, Y, gradients=backward, mode=mode, rng=0)
    cost = "a cost-derivative or averaging bug, a factor 2 missing — for squared_error ∂C/∂a = 2(a − y) (seed 000, eq. 4)"
    for l in (1, 2):
        b, w = tensor(report, f"b^({l})").diagnosis, tensor(report, f"w^({l})").diagnosis
        assert b == (f"×½: analytic/numeric = 0.5 on {'all 3 entries' if l == 1 else 'its entry'}: {cost}",), b
        assert len(w) == 1 and w[0].startswith("×½: analytic/(numeric − λw) = 0.5 on all ") and w[0].endswith(
            f"{cost}; and λw, the L2 term the penalty (λ/2)‖w‖² adds to ∂C/∂w, is left out: the analytic values hold "
            f"none of it"), w
    assert shared_diagnosis(tensor(report, "w^(1)").diagnosis) == shared_diagnosis(tensor(report, "w^(2)").diagnosis)


def test_a_ratio_every_layers_b_shows_is_not_placed_in_one_b_alone():
    """Every ∂C/∂b^(l) halved and every w^(l) wrong with no pattern besides: each b^(l) shows ×½, and was told 'a factor
    2 missing in ∂C/∂b^(1) alone (one in ∂C/∂a would give w^(1) this ratio too, where none of its 6 entries shows it)',
    'alone' in each layer at once: it is placed in the ∂C/∂b of every layer."""
    rng = np.random.default_rng(4)
    net = Network([2, 3, 1], activation="sigmoid", seed=1)
    X, Y = rng.normal(size=(4, 2)), rng.uniform(size=(4, 1))

    def backward(weights, biases, X_, Y_, config):
        dw, db = net.gradients(X_, Y_)
        return [d + 0.05 * np.arange(d.size).reshape(d.shape) + 0.01 for d in dw], [0.5 * d for d in db]

    report = check_gradients(net, X, Y, gradients=backward)
    for l in (1, 2):
        b = tensor(report, f"b^({l})").diagnosis
        assert b[0].startswith("×½: analytic/numeric = 0.5 ") and "alone" not in b[0], b
        assert (f"a factor 2 missing in ∂C/∂b of every layer, each b^(l) showing it (one in ∂C/∂a would give w^({l}) "
                f"this ratio too, where none of its ") in b[0], b


def test_a_ratio_a_w_shows_is_not_placed_in_the_b_of_every_layer():
    """∂C/∂a's factor 2 left out (every δ halved) and a BP4 slip in w^(1) besides: b^(1), b^(2) and w^(2) show ×½, and
    b^(1) was told 'a factor 2 missing in ∂C/∂b of every layer, each b^(l) showing it' while the w^(2), b^(2) box
    named ∂C/∂a: w^(2) shows the ratio, so it is not placed in the ∂C/∂b of every layer."""
    rng = np.random.default_rng(4)
    net = Network([2, 3, 1], activation="sigmoid", seed=1)
    X, Y = rng.normal(size=(4, 2)), rng.uniform(size=(4, 1))

    def backward(weights, biases, X_, Y_, config):
        dw, db = net.gradients(X_, Y_)
        dw = [0.5 * d for d in dw]
        dw[0] = dw[0] + 0.05 * np.arange(dw[0].size).reshape(dw[0].shape) + 0.01
        return dw, [0.5 * d for d in db]

    report = check_gradients(net, X, Y, gradients=backward)
    said = [line for t in report.tensors for line in t.diagnosis]
    assert any("∂C/∂a = 2(a − y)" in line for line in said), said
    assert not any("of every layer" in line for line in said), said
    assert tensor(report, "b^(1)").diagnosis[0].startswith("×½: analytic/numeric = 0.5 on all 3 entries: a factor 2 "
                                                           "missing in ∂C/∂b^(1) alone"), report.diagnosis


def test_a_passing_w_under_l2_rules_out_a_ratio_by_its_delta_part_alone():
    """b^(1) × 1.2 under training.l2 = 1 with inputs of 1e-6: ∂C/∂w^(1) is ~λ w^(1), its δ part ~1e-6 of it, so a ×1.2
    in δ^(1) would pass w^(1) too. It was told 'w^(1) passes, so δ^(1) is right … look at BP3', from w^(1)'s whole
    values × 1.2, λ w^(1) included, which no slip in δ^(1) scales."""
    rng = np.random.default_rng(4)
    net = Network([2, 3, 1], activation="tanh", seed=1, l2=1.0)
    X, Y = 1e-6 * rng.normal(size=(4, 2)), rng.uniform(size=(4, 1))
    report = check_gradients(net, X, Y, gradients=_l2_backward(net, 1.0, [(1, 0)], 1.2))
    assert failing(report) == {"b^(1)"}, report
    said, *rest = tensor(report, "b^(1)").diagnosis
    assert said.startswith("constant ratio ×1.2") and "alone" not in said, said
    assert rest == ["w^(1) passes, but would pass with this ratio too (λ w^(1) aside, its values × 1.2 stay within "
                    "rtol and atol): it does not show δ^(1) free of it"], rest


@pytest.mark.parametrize("hidden", [3, 1])
def test_a_failing_partner_with_entries_of_0_counts_the_entries_that_could_show_the_ratio(hidden):
    """b^(1) negated, w^(1) off with no pattern, an input column of zeros (its weights' gradient 0, where r × 0 is 0
    too): the count is of the entries large enough to show the ratio ('none of the 3 of its entries large enough to
    show it does', 'the 1 of its entries large enough to show it does not'; it was '…large enough to show it shows
    it')."""
    rng = np.random.default_rng(4)
    net = Network([2, hidden, 1], activation="sigmoid", seed=1)
    X, Y = rng.normal(size=(4, 2)), rng.uniform(size=(4, 1))
    X[:, 1] = 0.0
    off = np.array([[1.3, -0.4], [2.2, 0.7], [0.1, 3.0]])[:hidden]
    report = check_gradients(net, X, Y, gradients=lambda *a: (
        lambda dw, db: ([off * dw[0], dw[1]], [-db[0], db[1]]))(*net.gradients(a[2], a[3])))
    assert failing(report) == {"w^(1)", "b^(1)"}, report
    said = tensor(report, "b^(1)").diagnosis[0]
    where = ("none of the 3 of its entries large enough to show it does" if hidden == 3
             else "the 1 of its entries large enough to show it does not")
    assert f"in ∂C/∂b^(1) alone (y − a written for a − y would give w^(1) this ratio too, where {where}): " in said, said


def test_a_layer_of_zeros_over_a_layer_that_passes_is_not_blamed_on_a_delta_of_0():
    """w^(l) and b^(l) all 0, the layers below passing: the output layer was told 'or δ^(3) itself is 0', a middle one
    'or the error δ^(2) never reached layer 2 (not propagated back)'; BP2 hands δ^(l) down, and a δ^(l) of 0 would
    give the passing layer below zeros too."""
    rng = np.random.default_rng(4)
    net = Network([2, 3, 3, 1], activation="tanh", seed=1)
    X, Y = rng.normal(size=(4, 2)), rng.uniform(size=(4, 1))
    for l in (3, 2):
        report = check_gradients(net, X, Y, gradients=_backward_with(net, [(0, l - 1), (1, l - 1)], 0.0))
        assert failing(report) == {f"w^({l})", f"b^({l})"}, report
        said = tensor(report, f"w^({l})").diagnosis[0]
        assert "itself is 0" not in said and "never reached" not in said, said
        assert (f"∂C/∂w^({l}) was never computed (left at 0), or zeroed in layer {l}'s BP4 after BP2 handed δ^({l}) down "
                f"(e.g. an integer 1 // n as the mean's factor): δ^({l}) is not 0 there, for layer {l - 1}, which passes, "
                f"would fail with a δ^({l}) of 0") in said, said
        said = tensor(report, f"b^({l})").diagnosis[0]  # BP3 gives ∂C/∂b^(l) from the δ^(l) handed down
        assert f"∂C/∂b^({l}) was never computed (left at 0), or zeroed in layer {l}'s BP3 after BP2 handed" in said, said


def test_zero_and_sign_flip_diagnoses(sig_net):
    net, X, Y = sig_net
    good = make_backward()

    def zero_first(*args):
        dw, db = good(*args)
        return [np.zeros_like(dw[0])] + dw[1:], db

    def flipped(*args):
        dw, db = good(*args)
        return dw, [-db[0]] + db[1:]

    zero = check_gradients(net, X, Y, gradients=zero_first)
    assert failing(zero) == {"w^(1)"}
    assert "exactly 0" in tensor(zero, "w^(1)").diagnosis[0]
    flip = check_gradients(net, X, Y, gradients=flipped)
    assert failing(flip) == {"b^(1)"}
    assert tensor(flip, "b^(1)").diagnosis[0].startswith("sign flip")


def hidden_prime_backward(prime_of):
    """Sigmoid / squared_error backprop on one hidden layer, σ'(z^(1)) replaced by prime_of(z, a)."""

    def backward(weights, biases, X, Y, config):
        z1 = X @ weights[0].T + biases[0]
        a1 = sigmoid(z1)
        a2 = sigmoid(a1 @ weights[1].T + biases[1])
        delta2 = 2 * (a2 - Y) * a2 * (1 - a2) / X.shape[0]
        delta1 = (delta2 @ weights[1]) * prime_of(z1, a1)
        return [delta1.T @ X, delta2.T @ a1], [delta1.sum(axis=0), delta2.sum(axis=0)]

    return backward


@pytest.fixture
def wide_net():
    """6-12-3 sigmoid: fewer examples (4) than inputs, so δ^(1) per example is recoverable."""
    rng = np.random.default_rng(1)
    net = Network([6, 12, 3], activation="sigmoid", cost="squared_error", init="normal", seed=2)
    return net, rng.normal(size=(4, 6)), rng.uniform(size=(4, 3))


def test_sigma_prime_of_z_instead_of_a_is_flagged(wide_net):
    net, X, Y = wide_net
    assert check_gradients(net, X, Y, gradients=hidden_prime_backward(lambda z, a: a * (1 - a))).passed
    report = check_gradients(net, X, Y, gradients=hidden_prime_backward(lambda z, a: z * (1 - z)))
    assert failing(report) == {"w^(1)", "b^(1)"}
    text = " ".join(tensor(report, "w^(1)").diagnosis)
    # the hidden layer's slip alone is now named as the mistake it is (it read 'errors concentrate where
    # σ'(z^(1)) matters … the error enters through δ^(1)')
    assert text.startswith("the analytic values match backprop with σ'(z) computed as z(1 − z)"), text
    assert "(in δ^(1) alone, layer 1's)" in text, text


def test_error_in_delta_unrelated_to_sigma_prime(wide_net):
    net, X, Y = wide_net
    scale = np.linspace(0.5, 3.0, 12)[np.random.default_rng(0).permutation(12)]  # per unit
    report = check_gradients(net, X, Y,
                             gradients=hidden_prime_backward(lambda z, a: scale * a * (1 - a)))
    text = " ".join(tensor(report, "w^(1)").diagnosis)
    assert "the error enters through δ^(1)" in text and "concentrate" not in text


def test_worst_entries_carry_both_values(sig_net):
    net, X, Y = sig_net
    report = check_gradients(net, X, Y, gradients=make_backward(bad_entry=(2, (1, 3), 0.05)))
    assert failing(report) == {"w^(2)"}
    t = tensor(report, "w^(2)")
    assert t.n_failed == 1 and t.worst.label == "w^(2)[1,3]" == t.failures[0].label
    e = t.failures[0]
    assert e.analytic - e.numeric == pytest.approx(0.05, rel=1e-6)
    assert e.status == "fail" and e.index == (1, 3)
    assert "only 1 of 16" in t.diagnosis[0]


# --- sample and fast modes ---------------------------------------------------------------


BUGS = {
    "factor2": (dict(factor2=False), {"w^(1)", "b^(1)", "w^(2)", "b^(2)", "w^(3)", "b^(3)"}),
    "transpose": (dict(transpose_at=2), {"w^(1)", "b^(1)"}),
    "bias_sum": (dict(bias_mean=False), {"b^(1)", "b^(2)", "b^(3)"}),
    "off_by_one": (dict(a_offset_at=2), {"w^(2)"}),
}


@pytest.mark.parametrize("mode", ["sample", "fast"])
@pytest.mark.parametrize("bug", sorted(BUGS))
def test_sample_and_fast_modes_catch_planted_bugs(sig_net, mode, bug):
    net, X, Y = sig_net
    kwargs, expected = BUGS[bug]
    report = check_gradients(net, X, Y, gradients=make_backward(**kwargs), mode=mode, params=3, rng=0)
    assert report.status == "fail"
    assert failing(report) == expected
    if mode == "sample":
        assert all(t.n_checked == min(3, int(np.prod(t.shape))) for t in report.tensors)


def test_sample_mode_is_reproducible_and_correct_nets_pass(sig_net):
    net, X, Y = sig_net
    a = check_gradients(net, X, Y, mode="sample", params=2, rng=11)
    b = check_gradients(net, X, Y, mode="sample", params=2, rng=11)
    assert a.status == "pass" and a.n_checked == 12 and a.settings["seed"] == 11
    assert [t.worst for t in a.tensors] == [t.worst for t in b.tensors]
    assert check_gradients(net, X, Y, mode="fast", rng=3).status == "pass"


def test_fast_mode_bisection_finds_the_single_bad_entry():
    rng = np.random.default_rng(9)
    net = Network([12, 20, 3], activation="sigmoid", cost="squared_error", init="normal", seed=2)
    X, Y = rng.normal(size=(4, 12)), rng.uniform(size=(4, 3))
    backward = make_backward(bad_entry=(1, (13, 7), 1e-3))
    report = check_gradients(net, X, Y, gradients=backward, mode="fast", rng=5)
    assert failing(report) == {"w^(1)"}
    t = tensor(report, "w^(1)")
    assert [e.label for e in t.failures] == ["w^(1)[13,7]"]
    # 240 entries: the full check costs 480 evaluations; bisection far fewer
    assert t.directional.status == "fail" and t.directional.n_evaluations < 120
    assert all(tensor(report, x).directional.n_evaluations == 2 for x in ("b^(1)", "w^(2)", "b^(2)"))



def test_fast_modes_unpatterned_failure_names_its_entry_and_a_ratio_that_is_not_1():
    """One bias entry ×1.001 in fast mode (3 entries of b^(1) checked) read
    'no simple pattern: 1 of 3 checked entries fails; analytic/numeric ranges 1 … 1': neither which
    entry, nor a ratio told apart from a correct one's 1. (One failing bias entry among agreeing ones
    is now local to that entry, as a weight's is, with its ratio beside its name.)"""
    rng = np.random.default_rng(3)
    net = Network([4, 5, 3], activation="sigmoid", output_activation="sigmoid", cost="cross_entropy", seed=1)
    X, Y = rng.normal(size=(10, 4)), (rng.random((10, 3)) > 0.5) * 1.0

    def one_off(W, B, X, Y, config):
        dw, db = net.gradients(X, Y)
        db = [b.copy() for b in db]
        db[0][2] *= 1.001
        return dw, db

    report = check_gradients(net, X, Y, gradients=one_off, mode="fast")
    assert failing(report) == {"b^(1)"}
    first = tensor(report, "b^(1)").diagnosis[0]
    assert first.startswith("only 1 of the 3 entries checked one by one fails (b^(1)[2], analytic/numeric = 1.001); "
                            "the other 2 agree, and its error makes up the random direction's (vᵀ∇C)"), first
    assert "a bug local to this entry" in first, first


# --- kinks ---------------------------------------------------------------------------------------


def relu_net():
    rng = np.random.default_rng(3)
    net = Network([3, 4, 2], activation="relu", output_activation="linear",
                  cost="half_squared_error", seed=4)
    X = rng.normal(size=(4, 3))
    X[:, 0] = [1.0, -1.0, 0.5, -0.5]  # inputs of both signs
    Y = rng.normal(size=(4, 2))
    return net, X, Y


def test_relu_pre_activation_exactly_zero_is_a_kink_not_a_failure():
    net, X, Y = relu_net()
    s = (X @ net.weights[0].T)[0, 0]
    net.biases[0][0] = -s  # z_0^(1) of example 0 is exactly 0
    assert (X @ net.weights[0].T + net.biases[0])[0, 0] == 0.0
    report = check_gradients(net, X, Y)
    assert report.status in ("pass", "inconclusive") and report.n_failed == 0
    assert report.n_kinks > 0
    w1 = tensor(report, "w^(1)")
    assert w1.n_kinks > 0 and w1.status != "fail"
    # the plain central difference straddles the kink and disagrees with backprop
    dw, db = net.gradients(X, Y)
    central_b = numeric_gradients(net, X, Y)[1][0][0]
    assert abs(central_b - db[0][0]) > 1e-3


def test_dead_unit_on_kink_is_inconclusive():
    net, X, Y = relu_net()
    net.weights[0][0] = 0.0
    net.biases[0][0] = 0.0  # z_0^(1) = 0 for every example
    report = check_gradients(net, X, Y)
    assert report.status == "inconclusive" and not report.passed
    w1 = tensor(report, "w^(1)")
    assert w1.status == "inconclusive" and w1.n_failed == 0 and w1.diagnosis
    # the bias moves z_0 the same way for all examples: the minus side is smooth
    b1 = tensor(report, "b^(1)")
    assert b1.status == "pass" and b1.n_kinks == 1



def _spread_over_400(off: float):
    """A 400-1 linear network, its gradients and a backward whose every w^(1) entry is off by ``off`` with the sign
    of fast mode's direction v at rng=5 (an error spread over the tensor): (net, X, Y, dw, db, that backward)."""
    P = 400
    net = Network([P, 1], output_activation="linear", cost="half_squared_error", seed=0)
    rng = np.random.default_rng(1)
    X, Y = rng.normal(size=(6, P)), rng.normal(size=(6, 1))
    dw, db = net.gradients(X, Y)
    draw = np.random.default_rng(5)
    v = draw.choice(np.array([-1.0, 1.0]), size=P) * draw.uniform(0.5, 1.5, size=P)
    return net, X, Y, dw, db, returning(dw, db, lambda dw, db: dw[0].__iadd__(off * np.sign(v).reshape(1, P)))


def returning(dw, db, wrong=None):
    """A user backward that returns copies of (dw, db), ``wrong(dw, db)`` applied first."""

    def backward(weights, biases, X, Y, config):
        out = [d.copy() for d in dw], [d.copy() for d in db]
        if wrong is not None:
            wrong(*out)
        return out

    return backward


def test_a_wrong_value_beside_a_kink_fails():
    """z_0^(1) of example 0 sits 3e-6 above 0: the −ε step crosses the kink, the + side is
    smooth, and C is differentiable at θ, so the smooth side's slope is the derivative."""
    net, X, Y = relu_net()
    net.biases[0][0] = -(X @ net.weights[0].T)[0, 0] + 3e-6
    dw, db = net.gradients(X, Y)
    right = check_gradients(net, X, Y, gradients=returning(dw, db))
    assert right.status == "pass" and tensor(right, "b^(1)").n_kinks >= 1

    def off(dw, db):
        db[0][0] = 3 * db[0][0] + 0.5

    report = check_gradients(net, X, Y, gradients=returning(dw, db, off))
    b1 = tensor(report, "b^(1)")
    assert report.status == "fail" and b1.status == "fail" and b1.n_failed == 1
    (entry,) = b1.failures
    assert entry.index == (0,) and entry.analytic == 3 * db[0][0] + 0.5
    assert entry.numeric == pytest.approx(db[0][0], rel=1e-6)  # the smooth side's slope


def test_n_kinks_counts_the_kink_entries_as_the_readme_says():
    """README, gradcheck's --json schema: n_kinks holds the entries at a kink that end kink-ok or
    kink; one the one-sided difference fails is in n_failed only; the report's is its tensors' sum."""
    net, X, Y = relu_net()
    net.biases[0][0] = -(X @ net.weights[0].T)[0, 0] + 3e-6  # b_0^(1): its −ε step crosses the kink
    dw, db = net.gradients(X, Y)

    def off(dw, db):
        db[0][0] = 3 * db[0][0] + 0.5

    for wrong, n_kinks, n_failed in ((None, 1, 0), (off, 0, 1)):  # kink-ok; failed by the one-sided difference
        report = check_gradients(net, X, Y, gradients=returning(dw, db, wrong))
        b1 = tensor(report, "b^(1)")
        assert (b1.n_kinks, b1.n_failed) == (n_kinks, n_failed), [e.status for e in (*b1.failures, *b1.kinks)]
        assert report.n_kinks == sum(t.n_kinks for t in report.tensors)
        assert to_json(report)["n_kinks"] == report.n_kinks


def test_exactly_on_one_kink_a_value_outside_both_slopes_fails_either_convention_passes():
    """z_0^(1) of example 0 is exactly 0. R'(0) = 0 (ours) gives one side's slope, R'(0) = 1
    the other's: neither fails. A value outside both does."""
    net, X, Y = relu_net()
    net.biases[0][0] = -(X @ net.weights[0].T)[0, 0]
    assert np.count_nonzero(X @ net.weights[0].T + net.biases[0] == 0) == 1
    dw, db = net.gradients(X, Y)
    on = net.copy()
    on.biases[0][0] = np.nextafter(on.biases[0][0], np.inf)  # z = the smallest float above 0: R'(0) = 1
    dw1, db1 = on.gradients(X, Y)
    assert abs(db1[0][0] - db[0][0]) > 1e-3  # the two conventions differ here
    for grads in ((dw, db), (dw1, db1)):
        report = check_gradients(net, X, Y, gradients=returning(*grads))
        assert report.n_failed == 0 and report.status in ("pass", "inconclusive")
    lo, hi = sorted((db[0][0], db1[0][0]))

    def outside(dw, db):
        db[0][0] = hi + (hi - lo)

    report = check_gradients(net, X, Y, gradients=returning(dw, db, outside))
    b1 = tensor(report, "b^(1)")
    assert b1.status == "fail" and [e.index for e in b1.failures] == [(0,)]


def test_several_zs_exactly_on_kinks_are_never_failed_for_another_r_prime_of_0():
    """A dead unit, z_0^(1) = 0 for every example: R'(0) = 1 applied to all of them need not
    lie between any two one-sided slopes, so such entries stay unjudged, and are named."""
    net, X, Y = relu_net()
    net.weights[0][0] = 0.0
    net.biases[0][0] = 0.0
    on = net.copy()
    on.biases[0][0] = np.nextafter(0.0, 1.0)
    report = check_gradients(net, X, Y, gradients=returning(*on.gradients(X, Y)))
    assert report.n_failed == 0 and report.status == "inconclusive"
    w1 = tensor(report, "w^(1)")
    assert w1.n_unjudged > 0 and [e.status for e in w1.kinks] == ["kink"] * len(w1.kinks)
    assert {e.index for e in w1.kinks} <= {(0, k) for k in range(3)}
    data = to_json(report)["tensors"][0]
    assert data["n_unjudged"] == w1.n_unjudged and data["kinks"][0]["label"] == w1.kinks[0].label
    console = Console(width=120, record=True)
    render_gradcheck(console, report)
    text = console.export_text()
    assert "not judged" in text and w1.kinks[0].label in text


# --- dtype, options, user files ------------------------------------------------------------------


def test_float32_network_is_checked_in_float64(sig_net):
    net, X, Y = sig_net
    net32 = net.astype("float32")
    report = check_gradients(net32, X, Y)
    assert report.cast_from == "float32" and report.settings["cast_from"] == "float32"
    assert report.settings["dtype"] == "float64"
    assert report.status == "pass" and report.global_ratio < 1e-7
    assert net32.dtype == np.float32  # the caller's network is untouched
    assert check_gradients(net, X, Y).cast_from is None


@pytest.mark.parametrize("kwargs,field", [
    (dict(eps=0.0), "gradcheck.eps"),
    (dict(eps=-1e-5), "gradcheck.eps"),
    (dict(eps=float("nan")), "gradcheck.eps"),
    (dict(rtol=-1.0), "gradcheck.rtol"),
    (dict(mode="slow"), "gradcheck.mode"),
    (dict(mode="sample", params=0), "gradcheck.params"),
])
def test_bad_options_are_config_errors(sig_net, kwargs, field):
    net, X, Y = sig_net
    with pytest.raises(ConfigError, match=field):
        check_gradients(net, X, Y, **kwargs)


def test_bad_data_is_a_data_error(sig_net):
    net, X, Y = sig_net
    with pytest.raises(DataError, match="X: shape"):
        check_gradients(net, X[:, :2], Y)
    with pytest.raises(DataError, match="Y: shape"):
        check_gradients(net, X, Y[:3])


def test_a_1d_x_is_named_by_the_shape_given():
    """The message quoted the (1, n) a 1-D X had been reshaped to, not the (n,) passed."""
    net = Network([1, 2, 1], seed=0)
    with pytest.raises(DataError) as err:
        check_gradients(net, [0.0, 1.0, 2.0], [[1.0], [0.0], [1.0]])
    assert "gradcheck X: shape (3,), expected (n_examples ≥ 1, 1)" in err.value.message
    assert "X.reshape(-1, 1)" in err.value.message
    with pytest.raises(DataError, match=r"gradcheck Y: shape \(3,\), expected \(1, 1\)"):
        check_gradients(net, [0.0], [1.0, 0.0, 1.0])


def test_a_flat_y_for_several_examples_of_several_outputs_is_refused():
    """As Network.cost reads a 1-D Y: n·k values in a row for n > 1 examples and k > 1 outputs
    were reshaped row by row, silently."""
    net = Network([2, 3, 2], seed=0)
    X, Y = [[0.0, 1.0], [1.0, 0.0]], np.array([[1.0, 0.0], [0.3, 0.7]])
    with pytest.raises(DataError, match=r"gradcheck Y: shape \(4,\), expected \(2, 2\); .*Y.reshape\(2, 2\)"):
        check_gradients(net, X, Y.ravel())
    assert check_gradients(net, X[0], Y[0]).passed  # one example's targets
    assert check_gradients(Network([2, 3, 1], seed=0), X, [1.0, 0.0]).passed  # one target per example


@pytest.mark.parametrize("bad, says", [
    ([["a", "b", "c"]], "X: holds text; real numbers are required"),
    ([[1.0, 2.0, 3.0], [1.0]], "X: not an array of numbers (rows of different lengths?)"),
    ({"x": 1}, "X: holds Python objects"),
    (np.array([[1 + 1j, 2.0, 3.0]]), "X: holds complex numbers"),  # numpy would drop the imaginary part
])
def test_inputs_that_are_not_real_numbers_are_a_data_error(sig_net, bad, says):
    net, _, Y = sig_net
    with pytest.raises(DataError) as err:
        check_gradients(net, bad, Y[:1])
    assert says in err.value.message


@pytest.mark.parametrize("rng", ["abc", 1.5, -1, True])
def test_a_seed_that_is_not_a_whole_number_is_refused(sig_net, rng):
    net, X, Y = sig_net
    with pytest.raises(ConfigError, match="rng: .* must be a numpy Generator, a whole-number seed"):
        check_gradients(net, X, Y, rng=rng)


GOOD_FILE = '''
import sys

import numpy as np

def sigmoid(z):
    return 1 / (1 + np.exp(-z))

def backward(weights, biases, X, Y, config):
    a = [X]
    for w, b in zip(weights, biases):
        a.append(sigmoid(a[-1] @ w.T + b))
    n, L = X.shape[0], len(weights)
    delta = 2 * (a[L] - Y) * a[L] * (1 - a[L]) / n
    dw, db = [None] * L, [None] * L
    for l in range(L, 0, -1):
        dw[l - 1] = delta.T @ a[l - 1]
        db[l - 1] = delta.sum(axis=0)
        if l > 1:
            delta = (delta @ weights[l - 1]) * a[l - 1] * (1 - a[l - 1])
    return dw, db

def raises(weights, biases, X, Y, config):
    raise ValueError("boom\\nsecond line")

def wrong_shape(weights, biases, X, Y, config):
    return [w.T for w in weights], biases

def too_few(weights, biases, X, Y, config):
    return weights[:-1], biases

def four_args(weights, biases, X, Y):
    return weights, biases

not_a_function = 3
'''


@pytest.fixture
def user_file(tmp_path):
    path = tmp_path / "mine.py"
    path.write_text(GOOD_FILE)
    return path


def test_load_user_backward_happy_path(sig_net, user_file):
    net, X, Y = sig_net
    fn = load_user_backward(f"{user_file}:backward")
    assert fn.spec.endswith("mine.py:backward")
    assert check_gradients(net, X, Y, gradients=fn).status == "pass"


@pytest.mark.parametrize("spec,message", [
    ("{dir}/nope.py:backward", "not found"),
    ("{file}", "FILE.py:FUNCTION"),
    # no name near: the functions that can be a backward (four_args cannot), none offered by its place
    ("{file}:missing", "has no function missing (the functions there that can be a backward, taking (weights, "
                       "biases, X, Y, config): backward, raises, wrong_shape, too_few)"),
    ("{file}:backwards", "has no function backwards (did you mean backward?)"),
    ("{file}:Backward", "has no function Backward (did you mean backward?)"),
    ("{file}:not_a_function", "is a int, not a function"),
    ("{file}:four_args", "must accept (weights, biases, X, Y, config)"),
])
def test_load_user_backward_errors(user_file, spec, message):
    spec = spec.format(dir=user_file.parent, file=user_file)
    with pytest.raises(ConfigError) as info:
        load_user_backward(spec)
    assert message.format(file=user_file) in info.value.message


def test_user_backward_import_error(tmp_path):
    path = tmp_path / "broken.py"
    path.write_text("def backward(:\n")
    with pytest.raises(ConfigError, match="importing .* raised SyntaxError"):
        load_user_backward(f"{path}:backward")


def test_user_backward_imports_a_module_beside_it(sig_net, tmp_path):
    """As `python mine.py` could: the file's own folder is importable while it loads, and
    sys.path is as it was afterwards."""
    net, X, Y = sig_net
    (tmp_path / "mine_helpers_beside.py").write_text(GOOD_FILE)
    (tmp_path / "mine.py").write_text("from mine_helpers_beside import backward\n")
    before = list(sys.path)
    fn = load_user_backward(f"{tmp_path / 'mine.py'}:backward")
    assert sys.path == before
    assert check_gradients(net, X, Y, gradients=fn).status == "pass"


def test_user_backward_exception_and_shapes(sig_net, user_file):
    net, X, Y = sig_net
    with pytest.raises(ConfigError) as info:
        check_gradients(net, X, Y, gradients=load_user_backward(f"{user_file}:raises"))
    assert "raised ValueError: boom" in info.value.message and "\n" not in info.value.message
    line = GOOD_FILE.splitlines().index('    raise ValueError("boom\\nsecond line")') + 1
    assert info.value.message.endswith(f" at mine.py:{line}")  # where the learner's code raised
    with pytest.raises(ConfigError) as info:
        check_gradients(net, X, Y, gradients=load_user_backward(f"{user_file}:wrong_shape"))
    assert "dw[0] (∂C/∂w^(1)) has shape (3, 4), expected (4, 3)" in info.value.message
    with pytest.raises(ConfigError, match=r"dw has 2 arrays, expected 3 \(layers 1 to 3\)"):
        check_gradients(net, X, Y, gradients=load_user_backward(f"{user_file}:too_few"))


@pytest.mark.parametrize("convert, said", [
    (lambda d: d + 5j, "is complex; return real arrays (its imaginary parts, up to 5, would be dropped)"),
    (lambda d: d.astype(complex), "is complex; return real arrays (its imaginary parts are all 0: take .real)"),
    (lambda d: (d + 1j).tolist(), "is complex; return real arrays (its imaginary parts, up to 1, would be dropped)"),
    (lambda d: (d + 2j).astype(object), "is complex; return real arrays (its imaginary parts, up to 2, would be dropped)"),
    (lambda d: d > 0, ("holds booleans (True/False); return real arrays (a mask such as z > 0 enters a gradient as "
                       "numbers: (z > 0) * 1.0)")),
    (lambda d: d.astype(str), "holds text; return real arrays (numbers, not strings)"),
    (lambda d: np.full(d.shape, None, dtype=object), "holds None (never filled in?); return real arrays (numbers, not None)"),
    (lambda d: (d * 1e6).astype("timedelta64[ns]"),
     "holds timedelta64 values (durations), not real numbers; return real arrays (float64)"),
    (lambda d: np.zeros(d.shape, dtype=[("a", "f8")]),
     "is a structured array (fields a), not of real numbers; return real arrays (float64)"),
], ids=["complex", "complex_real", "complex_list", "complex_object", "bool", "text", "none", "timedelta", "structured"])
def test_a_backward_returning_complex_booleans_or_text_is_refused_not_judged(sig_net, convert, said):
    """The right gradient + 5j passed ('gradcheck: PASS', exit 0) under numpy's ComplexWarning: the
    imaginary part was dropped; text such as '0.0123' was parsed silently, a mask read as 0 and 1.
    Each is refused in one line naming the array, with no numpy warning."""
    net, X, Y = sig_net

    def backward(weights, biases, X_, Y_, config):
        dw, db = net.gradients(X_, Y_)
        return [convert(d) for d in dw], db

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(ConfigError) as info:
            check_gradients(net, X, Y, gradients=backward)
    assert info.value.message == f"backward backward: dw[0] (∂C/∂w^(1)) {said}"


@pytest.mark.parametrize("convert", [lambda d: d.astype(object), lambda d: d.tolist(), lambda d: d.astype(np.longdouble),
                                     lambda d: d.astype(np.float32)], ids=["object", "list", "longdouble", "float32"])
def test_a_backward_returning_real_numbers_of_any_kind_is_judged(sig_net, convert):
    net, X, Y = sig_net

    def backward(weights, biases, X_, Y_, config):
        dw, db = net.gradients(X_, Y_)
        return [convert(d) for d in dw], [convert(d) for d in db]

    assert check_gradients(net, X, Y, gradients=backward, rtol=1e-3).status == "pass"
    whole = check_gradients(net, X, Y, gradients=lambda *a: ([np.zeros(w.shape, dtype=int) for w in net.weights],
                                                               [np.zeros(b.shape, dtype=np.float16) for b in net.biases]))
    assert whole.status == "fail"  # integers and float16 are numbers: judged (here wrong), not refused


def test_a_backward_returning_float16_is_told_its_rounding(sig_net):
    """float16 gradients failed with 'no simple pattern … 0.9997 … 0.9998', float16 unsaid: a warning names
    the arrays and the ~3 digits it keeps (float32 gets none)."""
    net, X, Y = sig_net

    def backward(dtype):
        def fn(weights, biases, X_, Y_, config):
            dw, db = net.gradients(X_, Y_)
            return [d.astype(dtype) for d in dw], db
        return fn

    report = check_gradients(net, X, Y, gradients=backward(np.float16))
    names = ", ".join(f"dw[{i}]" for i in range(len(net.weights)))
    said = (f"your backward returned float16 ({names}), which keeps about 3 significant digits: relative errors "
            "up to ~5e-4 are its rounding; return float64")
    assert report.warnings == (said,)
    assert check_gradients(net, X, Y, gradients=backward(np.float32)).warnings == ()


def test_user_backward_receives_config_and_copies(sig_net):
    net, X, Y = sig_net
    seen = {}

    def backward(weights, biases, X_, Y_, config):
        seen["config"] = config
        weights[0][:] = 99.0  # must not touch the network
        return net.gradients(X_, Y_)

    check_gradients(net, X, Y, gradients=backward, config="the-config")
    assert seen["config"] == "the-config" and not np.any(net.weights[0] == 99.0)


# --- convergence sweep -----------------------------------------------------------------------------


def test_convergence_correct_gradient_is_second_order(sig_net):
    net, X, Y = sig_net
    report = convergence_sweep(net, X, Y)
    assert isinstance(report, ConvergenceReport)
    assert report.passed and 1.7 <= report.order <= 2.3
    assert report.best_error < 1e-8 and "correct" in report.verdict
    assert report.eps_values[0] == 1e-1 and len(report.global_ratios) == 8


def test_convergence_planted_bug_levels_off(sig_net):
    net, X, Y = sig_net
    report = convergence_sweep(net, X, Y, gradients=make_backward(factor2=False), mode="sample",
                               params=4, rng=1)
    assert not report.passed and "levels off" in report.verdict
    assert report.order is None or abs(report.order) < 0.5
    assert min(report.median_rel_errors) > 0.4  # ×½: |a − n| / |n| = ½ at every ε


def test_convergence_cannot_judge_a_cost_that_overflows_next_to_theta():
    """w^(2) = 1.3e154 behind a saturated σ: the cost (z²/2 = 8.5e307) is finite at θ, but a step
    of w^(2) grown to 0.1·|θ| overflows it, so that ε is left out. The sweep said no order can be
    measured, yet failed (exit 1) a correct backprop; the ε left, it cannot judge either."""
    net = Network([1, 1, 1], activation="sigmoid", output_activation="linear", cost="half_squared_error")
    net.weights, net.biases = [np.array([[50.0]]), np.array([[1.3e154]])], [np.zeros(1), np.zeros(1)]
    with np.errstate(invalid="ignore"):
        report = convergence_sweep(net, np.array([[1.0]]), np.array([[0.0]]))
    assert report.status == "inconclusive" and not report.passed, report.verdict
    assert "ε = 1e-01 left out: the cost is not finite next to θ there" in report.verdict
    # what the other ε show: an entry whose steps move the cost of 8.5e307 within its rounding
    assert "change the cost by no more than its rounding" in report.verdict
    assert json.loads(json.dumps(to_json(report)))["status"] == "inconclusive"


def test_convergence_judges_the_eps_whose_cost_is_finite_when_only_the_largest_overflow():
    """Linear 1-1-1, w^(1) = 5e153, w^(2) = 2.6, x = 1, y = 0: C = ½(1.3e154)² = 8.45e307 is
    finite, and so is every step at ε ≤ 1e-2, but w^(2) + 0.1 puts z² = (1.35e154)² past the float
    maximum. The sweep was 'cannot judge' (before: FAIL) for a correct backprop and for a wrong one
    alike; the seven finite ε now judge: the cost is quadratic in w^(2), so its central difference
    is exact (ratio at rounding level), and ∂C/∂w^(2) × 1.5 levels off at a ratio of
    |1.5 − 1| / (1.5 + 1) = 0.2 (FAIL). The ε left out is named, its row not banded as a bug.
    The correct backprop was a PASS; but the biases' ∂C = 1.3e154 is blurred by the rounding of a cost of 8e307
    (~1e292) at every ε, which the plain check marks unresolved (exit 3): the sweep is inconclusive too, naming
    them, rather than 'the gradient is correct' over the weights alone."""
    net = Network([1, 1, 1], activation="linear", cost="half_squared_error")
    net.weights, net.biases = [np.array([[5e153]]), np.array([[2.6]])], [np.zeros(1), np.zeros(1)]
    X, Y = np.array([[1.0]]), np.array([[0.0]])
    dw, db = net.gradients(X, Y)
    assert dw[1][0, 0] == pytest.approx(1.3e154 * 5e153)  # ∂C/∂w^(2) = z^(2) a^(1)
    with np.errstate(invalid="ignore", over="ignore"):
        right = convergence_sweep(net, X, Y)
        wrong = convergence_sweep(net, X, Y, gradients=returning(dw, db, lambda w, b: w[1].__imul__(1.5)))
    for report in (right, wrong):
        assert not math.isfinite(report.global_ratios[0]) and report.eps_values[0] == 0.1
        assert all(math.isfinite(r) for r in report.global_ratios[1:])
        assert "(ε = 1e-01 left out: the cost is not finite next to θ there" in report.verdict
    assert right.status == "inconclusive" and not right.passed and right.best_error < 1e-13, right.verdict
    assert right.unresolved_entries == {"b^(1)": 1, "b^(2)": 1}, right.verdict
    assert "cannot say the gradient is correct (or wrong)" in right.verdict, right.verdict
    assert check_gradients(net, X, Y).status == "inconclusive"  # as the plain check
    assert wrong.status == "fail" and not wrong.passed, wrong.verdict
    assert wrong.global_ratios[3] == pytest.approx(0.2, rel=1e-6)
    out = io.StringIO()
    render_convergence(Console(file=out, width=120, no_color=True), wrong)
    row = next(line for line in out.getvalue().splitlines() if line.strip().startswith("1e-01"))
    assert "left out: cost not finite" in row and "bug" not in row


def test_convergence_relu_leaves_kink_steps_out():
    rng = np.random.default_rng(0)
    net = Network([8, 16, 3], activation="relu", output_activation="softmax", cost="cross_entropy")
    X, Y = rng.normal(size=(4, 8)), np.eye(3)[[0, 1, 2, 0]]
    report = convergence_sweep(net, X, Y)
    assert report.kink_crossings[0] > 0 and report.kink_crossings[-1] == 0
    assert report.passed and "cross ReLU kinks" in report.verdict
    assert report.order is None or 1.5 <= report.order <= 2.5
    text = rendered(render_convergence, report)
    assert "steps across a kink" in text


def test_convergence_elu_at_its_bend_is_not_called_wrong():
    """ELU is C¹ but σ'' jumps at z = 0 (e^z below, 0 above): a step across it converges only as
    ε (σ(h) − σ(−h) = 2h − h²/2 + …), so with z exactly 0 (an input row of zeros and the zero
    biases of init auto) a correct gradient measured first order, "slightly wrong". Such steps are
    left out of the order as kink crossings are; a wrong gradient there still fails."""
    net = Network([2, 3, 1], activation="elu", output_activation="linear", seed=0)
    X, Y = np.zeros((1, 2)), np.array([[0.5]])
    assert (net.forward(X).z[1] == 0).all()
    report = convergence_sweep(net, X, Y)
    assert report.passed, report.verdict
    assert "ELU's bend" in report.verdict and "ReLU" not in report.verdict
    assert report.kink_crossings[0] > 0

    def wrong_bias(W, B, X, Y, config):
        dw, db = net.gradients(X, Y)
        return dw, [db[0] * 1.001] + list(db[1:])  # b^(1)'s gradient 0.1% off

    assert np.abs(net.gradients(X, Y)[1][0]).max() > 1e-3
    bad = convergence_sweep(net, X, Y, gradients=wrong_bias)
    assert not bad.passed, bad.verdict


def test_convergence_judges_steps_across_elus_bend_where_relu_units_are_there_too():
    """Steps across ELU's bend alone still converge (as ε), so the sweep judges the quotients they
    give: a wrong gradient there fails. With ReLU units in the network as well (ELU first, ReLU
    second), the bend's crossings were counted as kink crossings and the same wrong gradient got
    "cannot judge"."""
    net = Network([2, 3, 3, 1], activation=["elu", "relu"], output_activation="linear", seed=0)
    net.biases = [np.zeros(3), np.full(3, 0.3), np.zeros(1)]  # ELU units at z = 0, ReLU ones off it
    X, Y = np.zeros((1, 2)), np.array([[0.5]])

    def wrong_bias(W, B, X, Y, config):
        dw, db = net.gradients(X, Y)
        return dw, [db[0] * 1.001] + list(db[1:])  # b^(1)'s gradient 0.1% off

    assert np.abs(net.gradients(X, Y)[1][0]).max() > 1e-3
    right = convergence_sweep(net, X, Y)
    assert right.passed and all(c > 0 for c in right.kink_crossings), right.verdict
    bad = convergence_sweep(net, X, Y, gradients=wrong_bias)
    assert bad.status == "fail" and not bad.passed, bad.verdict


def test_convergence_says_every_step_crosses_when_a_unit_sits_exactly_at_its_bend():
    """With z exactly 0 (a row of zeros, init auto's zero biases: xor's first row) a step of every
    size crosses ELU's bend, as the table's crossings column shows at every ε. The verdict said
    "steps of ε ≥ 1e-04 cross ELU's bend at z = 0 (where σ'' jumps): left out of the order", as if
    the smaller ones did not, and named the bend twice with parentheses inside parentheses."""
    net = Network([2, 3, 1], activation="elu", seed=0)
    X, Y = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]), np.array([[0.0], [1.0], [1.0], [0.0]])
    report = convergence_sweep(net, X, Y)
    assert all(c > 0 for c in report.kink_crossings)
    assert report.passed, report.verdict
    assert "the steps of every ε cross ELU's bend at z = 0" in report.verdict, report.verdict
    assert "ε ≥" not in report.verdict and report.verdict.count("ELU's bend") == 1, report.verdict


@pytest.mark.parametrize("activation,named", [
    ("leaky_relu", "leaky ReLU kinks"), ("relu", "ReLU kinks"), (["leaky_relu", "relu"], "ReLU and leaky ReLU kinks"),
])
def test_convergence_names_the_kinks_of_the_network_s_own_activations(activation, named):
    """A leaky_relu network's verdict said its steps "cross ReLU kinks", an activation it does not
    use: the kinks are named after the hidden layers' activations."""
    net = Network([2, 4, 4, 1], activation=activation, seed=0)
    X, Y = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]), np.array([[0.0], [1.0], [1.0], [0.0]])
    report = convergence_sweep(net, X, Y)
    assert report.passed and any(report.kink_crossings), report.verdict
    assert f"cross {named}" in report.verdict, report.verdict


@pytest.mark.parametrize("mode", ["full", "fast"])
@pytest.mark.parametrize("activation,named", [("relu", "a ReLU kink"), ("leaky_relu", "a leaky ReLU kink")])
def test_entries_at_a_kink_are_said_to_sit_on_the_network_s_own_kink(activation, named, mode):
    """Hidden units exactly at z = 0 (zero biases, a row of zeros) and steps of 0.5: the entries
    (or fast mode's direction) whose steps cross are inconclusive, and the note names the kink of
    the activation the network uses (a leaky_relu network's said "a ReLU kink")."""
    net = Network([2, 3, 1], activation=activation, seed=0)
    net.biases[0][...] = 0.0
    X, Y = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]), np.array([[0.0], [1.0], [1.0], [0.0]])
    notes = [note for t in check_gradients(net, X, Y, eps=0.5, mode=mode).tensors for note in t.diagnosis]
    assert notes and all(f"sit on {named}:" in n or f"sits on {named}:" in n for n in notes), notes


def test_convergence_judges_a_curve_at_rounding_level_right_after_the_kinks():
    """Steps ≥ 1e-3 cross kinks and the first kink-free ε is already at rounding level (the
    sweep of configs/spirals.yaml): no order can be measured, and the verdict is a pass; the
    same shape at a large ratio still fails."""
    from backprop_cli.gradcheck import _order, _sweep_verdict

    eps = [10.0**-k for k in range(1, 9)]
    crossings = [628, 98, 1, 0, 0, 0, 0, 0]
    for scale, passes in ((1.0, True), (1e5, False)):
        ratios = [s * scale for s in (8.9e-2, 2.7e-2, 3.8e-3, 1.8e-10, 1.3e-10, 1.3e-9, 1.3e-8, 1.4e-7)]
        ratios[:3] = [8.9e-2, 2.7e-2, 3.8e-3]  # the kink-crossing steps, left out either way
        order, best, first = _order(eps, ratios, crossings)
        assert (first, best) == (3, 4)
        passed, verdict = _sweep_verdict(order, ratios[first if order is None else best],
                                         eps[first if order is None else best], True)
        assert passed is passes, verdict
        assert ("rounding level (1.800e-10) already at ε = 1e-04" in verdict) if passes else "levels off" in verdict


def _central_differences_at(net, X, Y, h):
    """A learner's 'backward': central differences of the mean cost at one fixed step h (wrong by O(h²))."""
    def diffs(params):
        out = []
        for p in params:
            g = np.zeros_like(p)
            for i in np.ndindex(p.shape):
                o = p[i]
                p[i] = o + h
                up = net.cost(X, Y)
                p[i] = o - h
                down = net.cost(X, Y)
                p[i] = o
                g[i] = (up - down) / (2 * h)
            out.append(g)
        return out
    dw, db = diffs(net.weights), diffs(net.biases)
    return lambda w, b, X_, Y_, c: ([d.copy() for d in dw], [d.copy() for d in db])


@pytest.mark.parametrize("h", [0.1, 0.01])
def test_convergence_fails_finite_differences_at_one_of_its_own_steps(sig_net, h):
    """Central differences at a fixed step H match the sweep's quotients at ε = H to rounding level (8.9e-17
    at ε = 1e-1 on XOR for H = 0.1) and miss every other ε by O(H²), flat: the sweep judged the best ratio
    alone ('at rounding level already at ε = 1e-01 … the gradient is correct', exit 0) where the plain
    check fails it. Every smaller ε must stay within what rounding and the larger ε's truncation allow."""
    net, X, Y = sig_net
    report = convergence_sweep(net, X, Y, gradients=_central_differences_at(net, X, Y, h))
    assert report.status == "fail" and not report.passed, report.verdict
    assert report.best_eps == h and report.best_error < 1e-12  # the match at ε = H is there, and named
    assert f"at ε = {h:.0e} alone" in report.verdict and "a floor no ε goes below" in report.verdict
    assert "the gradient is correct" not in report.verdict and "analytic gradient is wrong" in report.verdict
    # the allowance as the code reads it: truncation falling at least as ε^1.5 (TRUNCATION_SLOPE), not as ε²
    assert "falling at least as ε^1.5)" in report.verdict and "falling as ε²)" not in report.verdict


def test_convergence_calls_a_flat_floor_a_floor_not_rounding(sig_net):
    """One ∂C/∂w off by 1e-7 (~1e-5 relative) holds the ratio flat from ε = 1e-3 to 1e-8, smallest at 1e-8,
    under the costs' rounding there: the sweep said 'the rounding level of a cost of … there: the gradient is
    correct', where at ε = 1e-3 that rounding is ~1e-11. A correct gradient's error is flat over no three ε."""
    net, X, Y = sig_net
    dw, db = net.gradients(X, Y)
    dw[0][0, 0] += 1e-7 * 4  # sig_net's gradient is ~4× XOR's: about the same ratio
    report = convergence_sweep(net, X, Y, gradients=lambda *a: ([d.copy() for d in dw], [d.copy() for d in db]))
    assert report.status == "fail", report.verdict
    assert "a floor, not rounding" in report.verdict and "rounding level of a cost" not in report.verdict
    assert "at w^(1)[0,0]" in report.verdict
    good = convergence_sweep(net, X, Y)  # the correct one, as before
    assert good.status == "pass" and "floor" not in good.verdict


def _fitted_net(activation: str, l2: float, seed: int):
    """A [3, 6, 4, 2] net with weights × 100 and targets its own outputs (Y = net.predict(X)): C's data part is
    exactly 0 in float64, so is backprop's a − y, while the exact residual is a few ulps of outputs up to ~1e7."""
    net = Network([3, 6, 4, 2], activation=activation, output_activation="linear", cost="squared_error", seed=seed,
                  l2=l2)
    for w in net.weights:
        w *= 100
    X = np.random.default_rng(seed).normal(size=(8, 3))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return net, X, np.asarray(net.predict(X), dtype=float)


def test_gradcheck_cannot_judge_a_network_fitted_to_its_own_rounding():
    """A relu/linear net fitted to its own outputs of ~7e6: backprop's gradient is exactly 0 (its a − y is),
    the exact one ~1e-3 (a − y a few ulps), and the quotients hold that level at every ε, the rounding of
    a^(L) (~u·|a|·|∂a/∂θ|) no ε removes. The sweep said FAIL (ratio 1.0 at every ε, 'the analytic gradient
    is wrong'), the plain check failed 20 entries: float64 cannot judge this gradient, exit 3."""
    net, X, Y = _fitted_net("relu", 0.0, 0)
    sweep = convergence_sweep(net, X, Y)
    assert sweep.status == "inconclusive" and not sweep.passed, sweep.verdict
    assert "forward pass's rounding of a^(L)" in sweep.verdict and "a network fitted to its targets" in sweep.verdict
    plain = check_gradients(net, X, Y)
    assert plain.status == "inconclusive" and plain.n_failed == 0, [t.diagnosis for t in plain.tensors]
    assert any(t.unresolved_reasons.get("fitted") for t in plain.tensors)
    assert any("forward pass's rounding of a^(L)" in d for t in plain.tensors for d in t.diagnosis)


def test_convergence_flat_ratio_of_a_fitted_network_is_no_floor():
    """softplus/linear under L2, fitted to its own outputs of ~7e6: the ratio stays at ~1e-6 from ε = 1e-5 to
    1e-7, the rounding of a^(L) (a long-double reference puts float64 backprop itself 3.8e-6 off), not a
    wrong gradient's floor: the sweep said 'a floor, not rounding … off by about 1e+00 relative in 7 of 57
    entries' (FAIL), the plain check failed it (global ratio 1.1e-6). Both cannot judge it now; a layer × 2,
    far beyond that rounding, still fails both."""
    net, X, Y = _fitted_net("softplus", 0.01, 2)
    sweep = convergence_sweep(net, X, Y)
    assert sweep.status == "inconclusive", sweep.verdict
    assert "floor" not in sweep.verdict and "forward pass's rounding of a^(L)" in sweep.verdict
    assert check_gradients(net, X, Y).status == "inconclusive"
    dw, db = net.gradients(X, Y)
    dw[0] = dw[0] * 2.0
    wrong = lambda *a: ([d.copy() for d in dw], [d.copy() for d in db])  # noqa: E731
    assert convergence_sweep(net, X, Y, gradients=wrong).status == "fail"
    assert check_gradients(net, X, Y, gradients=wrong).status == "fail"


def test_convergence_cannot_judge_an_entry_off_by_the_rounding_of_its_fitted_outputs():
    """relu/linear under L2 fitted to its own outputs of ~1e6: b^(1)[0]'s quotients settle off backprop's 0 by
    less than the rounding of a^(L) moves them (and backprop's own δ^(L)), while the rest agree to 3e-8: the
    sweep said '1 entry of b^(1) (1 of 6) is wrong' (FAIL). Leaving it out of what settles would pass it on
    rounding, which no allowance may: the sweep cannot judge it, named (exit 3)."""
    net, X, Y = _fitted_net("relu", 0.01, 1)
    sweep = convergence_sweep(net, X, Y)
    assert sweep.status == "inconclusive" and sweep.unresolved_entries == {"b^(1)": 1}, sweep.verdict
    assert "b^(1)[0]" in sweep.verdict and "rounding of a^(L)" in sweep.verdict and not sweep.wrong_entries


def test_convergence_consistency_leaves_a_correct_curve_alone():
    """``_inconsistent`` and ``_flat_floor`` on ratios: a correct gradient's curve (ε² down to 3e-11, then
    rounding as 1/ε, a huge cost's rounding of 1e-5 at ε = 1e-8) is consistent; the same curve after a
    match at ε = 1e-1 (finite differences at that step) or flat at 5e-7 from ε = 1e-3 on is not."""
    from backprop_cli.gradcheck import _flat_floor, _inconsistent

    eps = [10.0**-k for k in range(1, 9)]
    correct = [1.07e-3, 1.07e-5, 1.07e-7, 1.07e-9, 3.2e-11, 3.3e-10, 4.1e-9, 2.5e-8]
    rounding = [9.1e-14 * 10**k for k in range(8)]  # 16·u·|C|/2ε over the gradient: 9.1e-7 at 1e-8
    big = [1e-12 * 10**k for k in range(8)]  # a cost of 1e12: its rounding reaches 1e-5 at ε = 1e-8
    judged, kinks = [True] * 8, [0] * 8
    assert _inconsistent(eps, correct, kinks, rounding, judged, 0) is None
    assert _inconsistent(eps, [1e-3, 1e-5, 1e-7, 1e-9, 1e-10, 1e-9, 1e-8, 2e-5], kinks, big, judged, 0) is None
    assert _inconsistent(eps, [8.9e-17] + [1.06e-3] * 7, kinks, rounding, judged, 0)[:2] == (0, 1)
    assert _inconsistent(eps, [1.06e-3, 2.5e-14] + [1.06e-5] * 6, kinks, rounding, judged, 0)[:2] == (1, 2)
    flat = [1.07e-3, 1.07e-5, 5.3e-7, 5.2e-7, 5.2e-7, 5.2e-7, 5.2e-7, 5.13e-7]
    assert _flat_floor(eps, correct, kinks, rounding, judged, 4) is None
    assert _flat_floor(eps, flat, kinks, rounding, judged, 7) == (2, 7)
    assert _flat_floor(eps, [r / 10 for r in flat], kinks, rounding, judged, 7) is None  # ≤ 1e-7: rounding level


def test_convergence_rejects_fast_mode(sig_net):
    net, X, Y = sig_net
    with pytest.raises(ConfigError, match="full or sample"):
        convergence_sweep(net, X, Y, mode="fast")


# --- rendering and JSON ---------------------------------------------------------------------------


def rendered(fn, report) -> str:
    console = Console(file=io.StringIO(), width=160, color_system=None)
    fn(console, report)
    return console.file.getvalue()


def test_render_and_json_of_a_failure(sig_net):
    net, X, Y = sig_net
    report = check_gradients(net.astype("float32"), X, Y, gradients=make_backward(bias_mean=False))
    text = rendered(render_gradcheck, report)
    for needle in ("gradcheck: FAIL", "b^(2)", "×n (n = 4 examples)", "rtol 1e-05", "atol auto = ",
                   "almost surely a bug", "float32", "analytic", "numeric"):
        assert needle in text
    data = json.loads(json.dumps(to_json(report)))
    assert data["status"] == "fail" and data["settings"]["mode"] == "full"
    assert len(data["tensors"]) == 6 and data["cast_from"] == "float32"
    b1 = data["tensors"][1]
    assert b1["name"] == "b^(1)" and b1["status"] == "fail" and b1["failures"][0]["label"].startswith("b^(1)[")
    assert data["tensors"][0]["worst"]["index"] == list(tensor(report, "w^(1)").worst.index)


def test_render_fast_and_convergence(sig_net):
    net, X, Y = sig_net
    fast = check_gradients(net, X, Y, mode="fast")
    assert "via v" in rendered(render_gradcheck, fast) and "gradcheck: PASS" in rendered(render_gradcheck, fast)
    sweep = convergence_sweep(net, X, Y, mode="sample", params=3)
    text = rendered(render_convergence, sweep)
    assert "convergence: PASS" in text and "1e-05" in text
    assert json.loads(json.dumps(to_json(sweep)))["report"] == "convergence"


def test_full_mode_checks_every_entry_of_a_mnist_sized_net():
    # its speed (≤ 0.3 s) is the benchmark's to measure (benchmarks/run.py), not a test's
    rng = np.random.default_rng(0)
    net = Network([784, 32, 10], activation="sigmoid", cost="squared_error", seed=0)
    X, Y = rng.uniform(size=(4, 784)), np.eye(10)[rng.integers(0, 10, 4)]
    report = check_gradients(net, X, Y)
    assert report.status == "pass" and report.n_checked == 25_450


def test_l2_regularized_cost_is_checked():
    """With λ > 0 the numeric side differentiates the regularized cost: our backprop passes,
    a backward that forgets the λ w term fails on the weights (not on the biases)."""
    rng = np.random.default_rng(3)
    net = Network([3, 4, 2], activation="tanh", output_activation="sigmoid", seed=2, l2=0.5)
    X, Y = rng.normal(size=(4, 3)), rng.uniform(size=(4, 2))
    assert check_gradients(net, X, Y).passed
    plain = Network([3, 4, 2], activation="tanh", output_activation="sigmoid", seed=2)

    def forgets_l2(weights, biases, X, Y, config):
        plain.weights, plain.biases = weights, biases
        return plain.gradients(X, Y)

    report = check_gradients(net, X, Y, gradients=forgets_l2)
    assert not report.passed
    assert {(t.layer, t.kind) for t in report.tensors if t.status == "fail"} == {(1, "w"), (2, "w")}
    for mode in ("sample", "fast"):
        assert check_gradients(net, X, Y, mode=mode, rng=0).passed  # the penalty moves with v in fast mode
        assert not check_gradients(net, X, Y, gradients=forgets_l2, mode=mode, rng=0).passed


def test_l2_diagnosis_names_the_forgotten_penalty_not_a_backprop_mistake():
    """With λ > 0 the classic-mistake variants are the regularized cost's backprop with one
    mistake: a backward that only forgets λ w is told so (it was told 'σ'(z^(1)) left out of
    δ^(1)' about w^(2), whose gradient does not involve δ^(1)), and one that keeps λ w but leaves
    σ' out of BP2 is still recognized."""
    X = np.array([[0, 0], [0, 1], [1, 0], [1, 1.0]])
    Y = np.array([[0], [1], [1], [0.0]])
    net = Network([2, 3, 1], activation="sigmoid", cost="squared_error", seed=0, l2=0.1)
    plain = Network([2, 3, 1], activation="sigmoid", cost="squared_error")

    def forgets_l2(weights, biases, X, Y, config):
        plain.weights, plain.biases = weights, biases
        return plain.gradients(X, Y)

    report = check_gradients(net, X, Y, gradients=forgets_l2)
    failing = [t for t in report.tensors if t.status == "fail"]
    assert {(t.layer, t.kind) for t in failing} == {(1, "w"), (2, "w")}
    for t in failing:
        assert "L2 term λ w^(l) left out" in t.diagnosis[0], t.diagnosis
        assert "σ'" not in t.diagnosis[0]

    def omits_prime(weights, biases, X, Y, config):  # δ^(1) = (w^(2))ᵀ δ^(2), no σ'(z^(1)); λ w kept
        reg = Network([2, 3, 1], activation="sigmoid", cost="squared_error", l2=0.1)
        reg.weights, reg.biases = weights, biases
        cache = reg.forward(X)
        delta2 = reg.output_error(cache, Y) / len(X)
        delta1 = delta2 @ weights[1]
        dw = [delta1.T @ X + 0.1 * weights[0], delta2.T @ cache.a[1] + 0.1 * weights[1]]
        return dw, [delta1.sum(axis=0), delta2.sum(axis=0)]

    report = check_gradients(net, X, Y, gradients=omits_prime)
    w1 = next(t for t in report.tensors if (t.layer, t.kind) == (1, "w"))
    assert w1.status == "fail"
    assert any("σ'(z^(1)) left out of δ^(1)" in d for d in w1.diagnosis), w1.diagnosis


@pytest.mark.parametrize("mode", ["full", "sample"])
def test_a_parameter_too_large_for_the_step_gets_a_relative_step(mode):
    """b = 1e13: b ± 1e-5 rounds back to b (its spacing is 0.002), so the central difference was
    0/0 = NaN and the entry failed as "the cost is not finite". With a step relative to b the
    difference of this quadratic cost is 2(b − y) = −6 again, as backprop says."""
    net = Network([1, 1], output_activation="linear", cost="squared_error", seed=0)
    net.weights = [np.array([[0.5]])]
    net.biases = [np.array([1e13])]
    X, Y = np.zeros((1, 1)), np.array([[1e13 + 3.0]])
    res = check_gradients(net, X, Y, mode=mode, params=1)
    assert res.status == "pass"
    b = next(t for t in res.tensors if t.kind == "b")
    assert b.worst is not None and b.worst.analytic == -6.0
    assert b.worst.numeric == pytest.approx(-6.0, rel=1e-6)


def test_a_nan_in_your_backward_is_not_an_excellent_ratio():
    """A learner's backward that returns NaN for one entry (a division by zero, say): the global
    ratio and the tensor's relative error are NaN, in the worst band, not 0 "excellent" with the
    NaN entry skipped."""
    net = Network([2, 3, 1], seed=0)
    X, Y = np.random.default_rng(0).normal(size=(4, 2)), np.ones((4, 1))

    def backward(weights, biases, X, Y, config=None):
        dw, db = net.gradients(X, Y)
        dw[0][0, 0] = np.nan
        return dw, db

    res = check_gradients(net, X, Y, gradients=backward)
    assert res.status == "fail"
    assert np.isnan(res.global_ratio) and res.band == "almost surely a bug"
    w1 = res.tensors[0]
    assert (w1.layer, w1.kind, w1.status) == (1, "w", "fail")
    assert np.isnan(w1.max_rel_error) and np.isnan(w1.max_abs_error)
    assert w1.worst is not None and w1.worst.index == (0, 0)
    sweep = convergence_sweep(net, X, Y, gradients=backward)
    assert not sweep.passed and sweep.order is None
    assert sweep.verdict.startswith("1 entry of the analytic gradient is NaN or infinite")
    assert all(np.isnan(r) for r in sweep.global_ratios + sweep.max_rel_errors)


@pytest.mark.parametrize("mode", ["full", "sample", "fast"])
@pytest.mark.parametrize("bad", [np.inf, -np.inf])
def test_an_infinite_entry_in_your_backward_fails(mode, bad):
    """|inf − n| ≤ rtol·max(inf, |n|) holds (inf ≤ inf), so an entry whose analytic value was
    infinite passed, and a learner's backward dividing by zero got "gradcheck: PASS" (exit 0),
    beside a global ratio of NaN. Like NaN, it fails, and fast mode locates it."""
    net = Network([2, 3, 1], seed=0)
    X, Y = np.random.default_rng(0).normal(size=(4, 2)), np.ones((4, 1))

    def backward(weights, biases, X, Y, config=None):
        dw, db = net.gradients(X, Y)
        dw[0][0, 0] = bad
        return dw, db

    res = check_gradients(net, X, Y, gradients=backward, mode=mode, params=6, rng=0)
    assert res.status == "fail" and failing(res) == {"w^(1)"}, [t.status for t in res.tensors]
    assert [e.index for e in tensor(res, "w^(1)").failures] == [(0, 0)]


@pytest.mark.parametrize("bad", [np.inf, np.nan])
def test_fast_mode_bisects_towards_a_non_finite_entry_only(bad):
    """vᵀ∇C of a half without the bad entry was 0 · inf (or 0 · NaN) = NaN there, so every half
    failed and the bisection followed up to MAX_BRANCHES of them per level (13 entries checked one
    by one on a 784-32-10 network, not the 1 to LEAF_SIZE of the bad entry's own group)."""
    rng = np.random.default_rng(1)
    net = Network([40, 16, 3], seed=0)
    X, Y = rng.normal(size=(4, 40)), rng.uniform(size=(4, 3))

    def backward(weights, biases, X, Y, config=None):
        dw, db = net.gradients(X, Y)
        dw[0][5, 30] = bad
        return dw, db

    with np.errstate(invalid="raise"):  # no 0 · inf left to warn of
        res = check_gradients(net, X, Y, gradients=backward, mode="fast", rng=0)
    w1 = tensor(res, "w^(1)")
    assert res.status == "fail" and [e.index for e in w1.failures] == [(5, 30)]
    assert w1.directional is not None and w1.directional.n_located <= LEAF_SIZE, w1.directional


def test_fast_mode_reads_only_a_directions_support_to_see_if_rounding_bent_its_step(monkeypatch):
    """Whether the tensor's rounding bent a direction's step (``_direction_bend``) was measured
    over the whole tensor for every half, quarter, … of v that bisection re-judges: 1 s more on a
    784-32-10 network with one wrong entry in fast mode (0.19 s before that check). Off v's support
    nothing moves, so only the support is read: a half of the numbers or fewer, on average."""
    from types import SimpleNamespace

    from backprop_cli import gradcheck as gc

    read, inside = [], [False]
    make = gc._direction_bend

    class Counted(np.ndarray):  # the tensor as the bend reads it: the size of every read noted
        def __getitem__(self, key):
            out = super().__getitem__(key)
            if inside[0]:
                read.append(np.size(out))
            return out

    def watched(base, l, kind, V, g, supports=None):
        seen = SimpleNamespace(tensor=lambda l, kind: base.tensor(l, kind).view(Counted))
        bend = make(seen, l, kind, V, g, supports)

        def measured(sel, steps):
            inside[0] = True
            try:
                return bend(sel, steps)
            finally:
                inside[0] = False
        return measured

    monkeypatch.setattr(gc, "_direction_bend", watched)
    rng = np.random.default_rng(1)
    net = Network([200, 16, 3], seed=0)
    X, Y = rng.normal(size=(4, 200)), rng.uniform(size=(4, 3))
    dw, db = net.gradients(X, Y)

    def backward(weights, biases, X, Y, config=None):
        wrong = [w.copy() for w in dw]
        wrong[0][5, 30] *= 1.5
        return wrong, db

    res = check_gradients(net, X, Y, gradients=backward, mode="fast", rng=0)
    assert failing(res) == {"w^(1)"} and [e.index for e in tensor(res, "w^(1)").failures] == [(5, 30)]
    assert read and sum(read) <= len(read) * 3200 / 2, (len(read), sum(read))  # w^(1): 3,200 entries


@pytest.mark.parametrize("mode", ["full", "fast"])
@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_a_non_finite_entry_fails_where_no_step_resolves_the_slope(mode, bad):
    """σ, weights ±1e155: ∂C/∂b^(1) is a slope no step measures (its entries are unresolved, exit
    3). A backward returning NaN or inf there was re-judged on the steps like them, and ended
    unresolved too (exit 3, "ε is too large or too small for it"): it fails, as it does anywhere."""
    w = 1e155
    net = Network([2, 2, 1], activation="sigmoid", cost="squared_error")
    net.weights = [np.array([[w, w], [w, -w]]), np.array([[w, -w]])]
    net.biases = [np.zeros(2), np.zeros(1)]
    X, Y = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]), np.array([[0.0], [1.0], [1.0], [0.0]])
    dw, db = net.gradients(X, Y)

    def backward(weights, biases, X, Y, config=None):
        wrong = [b.copy() for b in db]
        wrong[0][0] = bad
        return dw, wrong

    assert check_gradients(net, X, Y, mode=mode, rng=0).status == "inconclusive"
    res = check_gradients(net, X, Y, gradients=backward, mode=mode, rng=0)
    b1 = tensor(res, "b^(1)")
    assert res.status == "fail" and b1.status == "fail", (res.status, b1.status)
    if mode == "full":
        assert [(e.index, e.status, e.step) for e in b1.failures] == [((0,), "fail", None)]
        assert b1.n_stepped == 0


def test_a_cost_that_overflows_at_theta_is_refused_in_one_line(tmp_path):
    """No gradient check at parameters where the forward pass overflows: a DataError naming the
    cost, from the API, and one line naming the model file, exit 2, from the CLI."""
    net = Network([1, 1], output_activation="linear", cost="squared_error", seed=0)
    net.biases = [np.array([1e160])]
    X, Y = np.zeros((2, 1)), np.zeros((2, 1))
    with pytest.raises(DataError, match=r"the cost of the 2 checked examples is inf at these parameters"):
        check_gradients(net, X, Y)
    with pytest.raises(DataError, match="no gradient to check"):
        convergence_sweep(net, X, Y)
    with pytest.raises(DataError, match=r"\(the cost squared_error of checked example 0 overflows at the output: "
                                         r"\|a\^\(1\)\| up to 1e\+160, \|y\| up to 0\)"):
        check_gradients(net, X, Y)
    with pytest.raises(DataError, match=r"\(the cost squared_error overflows at the output: \|a\^\(1\)\| up to "
                                         r"1e\+160\)"):  # no targets given: every example's outputs
        check_finite_cost(net.cost(X, Y), 2, net=net, X=X)


def test_progress_counts_every_perturbed_evaluation_of_full_and_sample_modes():
    """A full check of a 784-256-128-10 network on 64 examples takes minutes; the CLI shows a
    bar with the time left from ``progress(done, total)``: two evaluations per checked entry,
    rising to total, and the report is the same with or without it."""
    from backprop_cli import Network
    from backprop_cli.gradcheck import check_gradients as check

    net = Network([3, 5, 4, 2], activation="tanh", output_activation="sigmoid", cost="cross_entropy", seed=1)
    rng = np.random.default_rng(0)
    X, Y = rng.normal(size=(6, 3)), rng.integers(0, 2, size=(6, 2)).astype(float)
    for mode, params, entries in (("full", None, 3 * 5 + 5 + 5 * 4 + 4 + 4 * 2 + 2),
                                  ("sample", 3, 5 * 3 + 2)):  # 3 per tensor; b^(3) has 2
        calls: list[tuple[int, int]] = []
        with_bar = check(net, X, Y, mode=mode, params=params, rng=0, progress=lambda d, t: calls.append((d, t)))
        plain = check(net, X, Y, mode=mode, params=params, rng=0)
        assert calls and {t for _, t in calls} == {2 * entries}
        done = [d for d, _ in calls]
        assert done == sorted(done) and done[-1] == 2 * entries
        assert with_bar.n_checked == plain.n_checked == entries and with_bar.global_ratio == plain.global_ratio


def test_an_overflowing_l2_penalty_is_named_not_the_forward_pass():
    """x = 0, so the forward pass is finite; only (λ/2) w² = inf: the refusal names the penalty."""
    net = Network([1, 1], output_activation="linear", cost="squared_error", seed=0, l2=0.1)
    net.weights = [np.array([[1e160]])]
    X, Y = np.zeros((2, 1)), np.zeros((2, 1))
    with pytest.raises(DataError, match=r"is inf at these parameters \(the L2 penalty"):
        check_gradients(net, X, Y)


def _learner(hidden="sigmoid", out="sigmoid", cost="squared_error", l2=0.0, mistake=None):
    """A learner's generic backward (one σ' helper, as learners write it) with one classic
    mistake made wherever the helper or the rule is used."""
    f = {"sigmoid": lambda z: 1 / (1 + np.exp(-z)), "tanh": np.tanh,
         "relu": lambda z: np.maximum(z, 0), "linear": lambda z: z,
         "leaky_relu": lambda z: np.where(z > 0, z, 0.01 * z), "elu": lambda z: np.where(z > 0, z, np.expm1(z)),
         "softplus": lambda z: np.logaddexp(0, z), "silu": lambda z: z / (1 + np.exp(-z)),
         "softmax": lambda z: np.exp(z - z.max(1, keepdims=True)) / np.exp(z - z.max(1, keepdims=True)).sum(1, keepdims=True)}

    def prime(name, z, a):
        if mistake == "prime_of_a" and name in ("sigmoid", "tanh"):
            z, a = a, f[name](a)  # σ(a)(1 − σ(a)): σ applied twice
        if mistake == "prime_z_for_a":
            a = z  # a(1 − a) fed z
        s = 1 / (1 + np.exp(-z))
        if mistake == "wrong_prime" and name in ("leaky_relu", "elu", "softplus", "silu"):
            return {"leaky_relu": (z > 0) * 1.0,  # ReLU's derivative: slope α left out
                    "elu": a + 1,  # e^z = a + 1, but only where z ≤ 0
                    "softplus": 1 / (1 + np.exp(-a)),  # the sigmoid fed a instead of z
                    "silu": s}[name]  # silu's sigmoid factor alone: the product rule forgotten
        return {"sigmoid": a * (1 - a), "tanh": 1 - a ** 2, "relu": (z > 0) * 1.0,
                "linear": np.ones_like(z), "leaky_relu": np.where(z > 0, 1.0, 0.01),
                "elu": np.where(z > 0, 1.0, np.exp(z)), "softplus": s, "silu": s * (1 + z * (1 - s))}[name]

    def backward(weights, biases, X, Y, config):
        L = len(weights)
        names = [hidden] * (L - 1) + [out]
        a, z = [X], [None]
        for l in range(L):
            z.append(a[-1] @ weights[l].T + biases[l])
            a.append(f[names[l]](z[-1]))
        if cost == "cross_entropy" and mistake == "softmax_diag":
            delta = (-Y / a[L]) * a[L] * (1 - a[L])  # the generic chain, softmax' taken as diagonal
        elif cost == "cross_entropy":
            delta = a[L] - Y
        else:
            at_out = hidden if mistake == "hidden_prime_out" else out  # the hidden layers' σ' at the output
            delta = (2 if cost == "squared_error" else 1) * (a[L] - Y) * prime(at_out, z[L], f[at_out](z[L]))
        delta = delta / len(X)
        dw, db = [None] * L, [None] * L
        for l in range(L, 0, -1):
            inp = z[l - 1] if mistake == "z_input" and l >= 2 else a[l - 1]  # z^(l−1) for a^(l−1) in BP4
            dw[l - 1] = delta.T @ inp + l2 * weights[l - 1]
            db[l - 1] = delta.sum(0) + (l2 * biases[l - 1] if mistake == "l2_on_bias" else 0)
            if l > 1:
                delta = delta @ weights[l - 1]
                if mistake != "omit_prime_hidden":
                    delta = delta * prime(names[l - 2], z[l - 1], a[l - 1])
        return dw, db

    return backward


@pytest.mark.parametrize("sizes, hidden, out, cost, mistake, words", [
    # XOR's 2-3-1 (the built-in default): too few inputs to recover δ from BP4, so these were
    # "no simple pattern" on every tensor
    ([2, 3, 1], "sigmoid", "sigmoid", "squared_error", "prime_of_a", "σ(a)(1 − σ(a))"),
    ([2, 3, 1], "sigmoid", "sigmoid", "squared_error", "prime_z_for_a", "z(1 − z)"),
    ([4, 8, 3], "tanh", "softmax", "cross_entropy", "prime_z_for_a", "1 − z² for σ'(z) = 1 − a²"),
    ([4, 8, 3], "tanh", "softmax", "cross_entropy", "softmax_diag", "diag(a) − a aᵀ"),
    # two ReLU hidden layers, σ' forgotten in both: layer 1 was "no simple pattern"
    ([2, 6, 5, 3], "relu", "softmax", "cross_entropy", "omit_prime_hidden", "at every hidden layer"),
    # the rest of the ReLU family: a forgotten σ' is named as for ReLU (leaky_relu's kink too)
    ([2, 6, 5, 3], "leaky_relu", "softmax", "cross_entropy", "omit_prime_hidden", "at every hidden layer"),
    ([2, 6, 5, 3], "elu", "softmax", "cross_entropy", "omit_prime_hidden", "at every hidden layer"),
    ([2, 6, 5, 3], "softplus", "softmax", "cross_entropy", "omit_prime_hidden", "at every hidden layer"),
    ([2, 6, 5, 3], "silu", "softmax", "cross_entropy", "omit_prime_hidden", "at every hidden layer"),
    # their classic wrong σ' (one helper, every layer): each was "no simple pattern" on every tensor
    ([2, 6, 5, 1], "leaky_relu", "leaky_relu", "squared_error", "wrong_prime", "the slope α = 0.01 of the z ≤ 0 side left out"),
    ([2, 6, 5, 1], "elu", "elu", "squared_error", "wrong_prime", "a + 1 = e^z only where z ≤ 0"),
    ([2, 6, 5, 1], "softplus", "softplus", "squared_error", "wrong_prime", "the logistic sigmoid fed a^(l)"),
    ([2, 6, 5, 1], "silu", "silu", "squared_error", "wrong_prime", "the product rule's z · s(z)(1 − s(z)) was left out"),
    ([2, 6, 5, 3], "elu", "softmax", "cross_entropy", "wrong_prime", "(in every elu layer's δ)"),
    ([2, 6, 5, 3], "silu", "softmax", "cross_entropy", "wrong_prime", "silu's logistic factor s(z) alone"),
    # the hidden layers' σ' at an output whose own differs (seed 001's R'(Z_o) on a linear output)
    ([2, 6, 5, 1], "relu", "linear", "half_squared_error", "hidden_prime_out",
     "R'(z^(3)): ReLU's derivative applied at the output, whose activation is linear (σ' = 1)"),
    ([2, 6, 5, 1], "tanh", "linear", "squared_error", "hidden_prime_out",
     "tanh'(z^(3)): tanh's derivative applied at the output, whose activation is linear (σ' = 1)"),
    ([2, 6, 5, 1], "relu", "sigmoid", "squared_error", "hidden_prime_out",
     "R'(z^(3)): ReLU's derivative applied at the output, whose activation is sigmoid"),
    # z^(l−1) for a^(l−1) in every BP4 of the loop
    ([2, 6, 5, 1], "tanh", "tanh", "squared_error", "z_input", "belongs in every ∂C/∂w^(l), l = 2…3"),
    ([2, 6, 5, 3], "relu", "softmax", "cross_entropy", "z_input", "belongs in every ∂C/∂w^(l), l = 2…3"),
])
def test_a_learners_classic_mistakes_are_named_on_every_failing_tensor(sizes, hidden, out, cost, mistake,
                                                                         words):
    rng = np.random.default_rng(3)
    net = Network(sizes, activation=hidden, output_activation=out, cost=cost, seed=3)
    X = rng.normal(size=(4, sizes[0]))
    Y = np.eye(sizes[-1])[rng.integers(0, sizes[-1], 4)] if cost == "cross_entropy" else rng.uniform(size=(4, sizes[-1]))
    assert check_gradients(net, X, Y, gradients=_learner(hidden, out, cost)).status == "pass"
    report = check_gradients(net, X, Y, gradients=_learner(hidden, out, cost, mistake=mistake))
    assert report.status == "fail"
    for t in report.tensors:
        if t.status == "fail":
            assert any(words in d for d in t.diagnosis), (t.label, t.diagnosis)


def test_lambda_b_on_the_biases_is_named_when_the_biases_are_not_zero():
    net = Network([2, 8, 1], activation="relu", output_activation="linear", cost="half_squared_error",
                  seed=0, l2=0.1)
    for b in net.biases:
        b += 0.1
    X = np.array([[0.0, 0], [0, 1], [1, 0], [1, 1]]); Y = np.array([[0.0], [1], [1], [0]])
    learner = _learner("relu", "linear", "half_squared_error", l2=0.1)
    assert check_gradients(net, X, Y, gradients=learner).status == "pass"
    report = check_gradients(net, X, Y, gradients=_learner("relu", "linear", "half_squared_error", l2=0.1,
                                                           mistake="l2_on_bias"))
    bad = [t for t in report.tensors if t.status == "fail"]
    assert bad and all(t.kind == "b" and "covers the weights only" in " ".join(t.diagnosis) for t in bad)


def test_sigma_prime_left_out_near_z_0_is_not_called_an_averaging_bug(sig_net):
    """Tiny weights put every z near 0, where σ'(z) ≈ 1/4: leaving σ' out of BP1 then multiplies
    the output layer's gradient by ~4 = n on 4 examples, a near-constant ratio. The specific
    mistake (σ' left out, matched by recomputing backprop with it) is named, not "×n: summed
    instead of averaged"."""
    net, X, Y = sig_net
    net.weights = [0.01 * w for w in net.weights]
    net.biases = [0.0 * b for b in net.biases]
    report = check_gradients(net, X, Y, gradients=make_backward(output_prime=False))
    text = " ".join(tensor(report, "w^(3)").diagnosis)
    assert "σ'(z^(3)) left out of δ^(3)" in text and "×n" not in text


def test_zeros_where_the_numeric_gradient_is_large_count_against_a_constant_ratio(sig_net):
    """r09's w^(1) read 'constant ratio ×-1.83399 on all 6 entries not near 0 (of 16 checked)' while 8 of its
    entries were exactly 0 where numeric was up to 0.448: an analytic 0 was taken for an entry near 0
    whatever n. Only n decides what is near 0; a 0 where n is large is no ratio of -1.83."""
    net, X, Y = sig_net

    def backward(weights, biases, X_, Y_, config=None):
        dw, db = net.gradients(X_, Y_)
        w = -1.83 * dw[0]
        big = np.argsort(-np.abs(dw[0]).ravel())[:4]  # the largest entries
        w.ravel()[big] = 0.0
        dw[0] = w
        return dw, db

    w1 = tensor(check_gradients(net, X, Y, gradients=backward), "w^(1)")
    assert w1.status == "fail" and not any("ratio" in d and "-1.83" in d for d in w1.diagnosis), w1.diagnosis
    # the same ratio without the zeros is still one
    w1 = tensor(check_gradients(net, X, Y, gradients=lambda *a: ([-1.83 * net.gradients(X, Y)[0][0]]
                                                                + net.gradients(X, Y)[0][1:], net.gradients(X, Y)[1])),
                "w^(1)")
    assert w1.diagnosis[0].startswith("constant ratio ×-1.83: analytic/numeric = -1.83 on all 12 entries"), w1.diagnosis


def test_a_small_error_on_a_1x1_weight_is_not_called_transposed():
    """A 1×1 w equals its own transpose: an error small enough to pass the diagnosis' looser
    tolerance (10·rtol) as it stands must not read "transposed: analytic ≈ numeric.T"."""
    net = Network([1, 1, 1], seed=3)
    X, Y = np.array([[0.4], [-1.2], [0.9]]), np.array([[1.0], [0.0], [1.0]])

    def backward(weights, biases, X, Y, config=None):
        dw, db = net.gradients(X, Y)
        dw[0] = dw[0] * (1 + 5e-5)  # fails rtol 1e-5, within 10·rtol
        return dw, db

    report = check_gradients(net, X, Y, gradients=backward)
    w1 = tensor(report, "w^(1)")
    assert w1.status == "fail" and not any("transposed" in d for d in w1.diagnosis), w1.diagnosis


def test_something_other_than_a_network_is_a_type_error_naming_net(sig_net):
    """check_gradients(None, …) raised AttributeError: 'NoneType' object has no attribute 'dtype'."""
    _, X, Y = sig_net
    for bad in (None, "net", {"weights": []}):
        with pytest.raises(TypeError, match=r"^net: a \w+; expected a backprop_cli Network$"):
            check_gradients(bad, X, Y)


def test_no_simple_pattern_shows_a_ratio_range_whose_ends_differ():
    """Ratios from 1.001 to 1.005 read 'analytic/numeric ranges 1 … 1' (3 digits): as many
    digits as tell the two ends apart."""
    net = Network([3, 4, 2], seed=0)
    X = np.random.default_rng(1).normal(size=(4, 3))
    Y = np.random.default_rng(2).uniform(size=(4, 2))

    def backward(weights, biases, X, Y, config):
        own = Network([3, 4, 2], seed=0)
        own.weights, own.biases = weights, biases
        dw, db = own.gradients(X, Y)
        dw[0] = dw[0] * (1.001 + 0.004 * np.random.default_rng(5).uniform(size=dw[0].shape))
        return dw, db

    (failing,) = [t for t in check_gradients(net, X, Y, gradients=backward).tensors if t.status == "fail"]
    line, b_passes = failing.diagnosis  # b^(1) passes: the second line says so
    assert b_passes.startswith("b^(1) passes, so δ^(1) is right"), b_passes
    lo, hi = line.split("analytic/numeric ranges ")[1].split(" … ")
    assert lo != hi and 1.001 <= float(lo) < float(hi) <= 1.005, line



@pytest.mark.parametrize("settings", [dict(rtol=1e-9, atol=0.0), dict(eps=3e-2)], ids=["tight-rtol", "large-eps"])
def test_a_correct_gradient_failing_a_tolerance_finer_than_the_differences_is_not_called_a_mistake(
        sig_net, settings):
    """With a tolerance finer than central differences resolve (--rtol 1e-9, or --eps 3e-2 at the
    default rtol) and every entry judged at ε (``adapt_step=False``, --fixed-eps), correct
    gradients fail on rounding or truncation. Each failing tensor was
    told "the analytic values match backprop with σ'(z^(1)) left out of δ^(1)" and the like, a
    mistake that leaves w^(3) (and every later tensor) as it is, so it "matched" the correct
    values: the user's correct backward, or backprop itself, was blamed for a mistake."""
    net, X, Y = sig_net
    for gradients in (None, make_backward()):  # backprop's own, and a user's correct one
        report = check_gradients(net, X, Y, gradients=gradients, adapt_step=False, **settings)
        bad = [t for t in report.tensors if t.status == "fail"]
        assert bad, "the setting must make correct gradients fail"
        for t in bad:
            text = " ".join(t.diagnosis)
            assert "match backprop with" not in text and "bug" not in text, (t.label, text)
            assert "backprop's own (correct) gradient" in text and "tolerance" in text, (t.label, text)


def test_a_mistake_that_leaves_the_failing_tensor_unchanged_is_not_named(sig_net):
    """A user's backward whose only error is in w^(3) fails just w^(3): the diagnosis may not
    name a mistake at layers 1 or 2 (σ' left out of δ^(1), …), which leaves w^(3) unchanged."""
    net, X, Y = sig_net
    correct = make_backward()

    def backward(weights, biases, X, Y, config):
        dw, db = correct(weights, biases, X, Y, config)
        dw[2] = dw[2] * (1 + 5 * rtol)  # fails rtol, within the diagnosis' looser 10·rtol
        return dw, db

    for rtol in (1e-5, 1e-9):  # at 1e-9 the differences' own error adds in, as it does to backprop's
        report = check_gradients(net, X, Y, gradients=backward, rtol=rtol, atol=0.0)
        text = " ".join(tensor(report, "w^(3)").diagnosis)
        assert tensor(report, "w^(3)").status == "fail"
        assert "δ^(1)" not in text and "δ^(2)" not in text and "a^(1)" not in text, text


def test_the_convergence_verdict_gives_the_smallest_ratio_with_the_digits_of_its_table():
    """The verdict's "down to …" is the figure the table and the line below it show (3.158e-11),
    not a rounding of it (3.2e-11) that reads as another number on a projector."""
    from backprop_cli.gradcheck import _sweep_verdict

    assert "down to 3.158e-11 at ε = 1e-05" in _sweep_verdict(2.0, 3.158e-11, 1e-5, False)[1]
    assert "levels off at 4.217e-02" in _sweep_verdict(0.1, 4.217e-2, 1e-5, False)[1]


def test_a_mistake_that_changes_the_failing_entries_by_less_than_ten_rtol_is_still_named():
    """A user's backward that forgets the L2 term λ w: with a small λ each failing entry of
    w^(3) is off by 1-5 × rtol. The check that a mistake changes the tensor at all used the
    diagnosis' loose 10·rtol, so "the L2 term λ w^(l) left out" was skipped as "no change"
    and the failure was put down to "a bug local to these entries" or "no simple pattern"."""
    rng = np.random.default_rng(7)
    X, Y = rng.normal(size=(4, 3)), rng.uniform(size=(4, 2))
    plain = Network([3, 4, 4, 2], activation="sigmoid", cost="squared_error", init="normal", seed=7)
    dw = plain.gradients(X, Y)[0]
    rtol = 1e-5
    # λ such that the largest |λ w| / |∂C/∂w| over w^(3) is 5·rtol: every failing entry is off by ≤ 5·rtol
    lam = 5 * rtol / float(np.max(np.abs(plain.weights[2]) / np.abs(dw[2])))
    net = Network([3, 4, 4, 2], activation="sigmoid", cost="squared_error", init="normal", seed=7, l2=lam)

    def backward(weights, biases, X, Y, config):
        plain.weights, plain.biases = weights, biases
        return plain.gradients(X, Y)

    report = check_gradients(net, X, Y, gradients=backward, rtol=rtol)
    w3 = tensor(report, "w^(3)")
    assert w3.status == "fail"
    assert "the analytic values match backprop with the L2 term λ w^(l) left out" in " ".join(w3.diagnosis), \
        w3.diagnosis


def test_a_step_too_large_for_the_tolerance_is_told_to_take_a_smaller_eps(sig_net):
    """--eps 3e-2: the differences' own error (~ε²) fails correct gradients at the default rtol.
    The diagnosis told the user to loosen --rtol/--atol, when the option they changed is --eps."""
    net, X, Y = sig_net
    for settings, smaller_eps in ((dict(eps=3e-2), True), (dict(rtol=1e-9, atol=0.0), False)):
        report = check_gradients(net, X, Y, **settings)
        for t in (t for t in report.tensors if t.status == "fail"):
            text = " ".join(t.diagnosis)
            assert ("a smaller --eps" in text) is smaller_eps, (settings, text)


# --- far from unit scale: a step ε that does not suit an entry is no verdict on it ----------------


def _scaled_case(hidden, out, cost, scale, x_scale, huge_targets, seed=0):
    """A 3-4-2 network with every parameter ~ scale, inputs ~ x_scale, targets ~ 1e6 (a cost
    of ~1e12) or in [0, 1]."""
    rng = np.random.default_rng(seed)
    net = Network([3, 4, 2], activation=hidden, output_activation=out, cost=cost)
    net.weights = [rng.normal(size=w.shape) * scale for w in net.weights]
    net.biases = [rng.normal(size=b.shape) * scale for b in net.biases]
    X = rng.normal(size=(4, 3)) * x_scale
    Y = rng.normal(size=(4, 2)) * 1e6 if huge_targets else rng.uniform(size=(4, 2))
    return net, X, Y


def _scaled_backward(net, X, Y, factor):
    """A backward function with ∂C/∂w^(1) × factor (a planted bug), the rest backprop's."""
    dw, db = net.gradients(X, Y)

    def backward(weights, biases, X_, Y_, config):
        return [dw[0] * factor, dw[1]], [db[0], db[1]]
    return backward


def test_a_huge_cost_is_no_false_fail():
    # C ≈ 1e12: rounding of the two costs (~u·C/ε ≈ 20) buried the true quotients; every one
    # of the 26 correct entries failed (n = 0 for some: θ ± ε did not change the cost at all)
    net, X, Y = _scaled_case("tanh", "sigmoid", "half_squared_error", 0.01, 1.0, True)
    assert net.cost(X, Y) > 1e11
    report = check_gradients(net, X, Y)
    assert report.n_failed == 0 and report.status in ("pass", "inconclusive")
    assert report.n_stepped > 0
    # a planted ×2 in ∂C/∂w^(1) still fails, at these scales
    bad = check_gradients(net, X, Y, gradients=_scaled_backward(net, X, Y, 2.0))
    assert bad.status == "fail" and bad.tensors[0].status == "fail"


def test_large_inputs_are_judged_at_a_step_that_suits_them():
    # x ~ 1e3: a step of 1e-5 in w^(1) moves z by ~1e-2, and the ε² truncation of the central
    # difference (2.6e-4 relative) failed 5 correct entries of w^(1)
    net, X, Y = _scaled_case("tanh", "sigmoid", "squared_error", 0.01, 1e3, False)
    report = check_gradients(net, X, Y)
    assert report.status == "pass" and report.n_stepped == 5
    for t in report.tensors:
        assert t.status == "pass"
    # the step is chosen from the numeric values alone: a 0.1% error in w^(1) still fails
    bad = check_gradients(net, X, Y, gradients=_scaled_backward(net, X, Y, 1.001))
    assert bad.tensors[0].status == "fail" and bad.tensors[0].n_failed == 12


def test_a_relu_kink_crossed_by_a_too_large_step_is_no_false_fail():
    # x ~ 1e6: ε moves z^(2) by ~10 and crosses the output ReLU's kink; the one-sided difference
    # at ε is as far off (truncation), and 8 correct entries failed. Small steps cross nothing.
    net, X, Y = _scaled_case("tanh", "relu", "squared_error", 1e-4, 1e6, False)
    report = check_gradients(net, X, Y)
    assert report.n_failed == 0 and report.status in ("pass", "inconclusive")
    bad = check_gradients(net, X, Y, gradients=_scaled_backward(net, X, Y, 2.0))
    assert bad.tensors[0].status == "fail"


def test_a_step_or_tolerance_the_differences_cannot_meet_is_no_fail_unless_asked(sig_net):
    """--eps 3e-2 (truncation ~1e-4) failed 25 correct entries; it now re-judges them at a step
    that suits them, and says how many. --rtol 1e-12, finer than any step resolves, leaves them
    unjudged (inconclusive), not failed. ``adapt_step=False`` keeps the verdicts at ε alone."""
    net, X, Y = sig_net
    large = check_gradients(net, X, Y, eps=3e-2, atol=1e-8)
    assert large.status == "pass" and large.n_stepped == 25 and large.settings["adapt_step"] is True
    tight = check_gradients(net, X, Y, rtol=1e-12, atol=0.0)
    assert tight.status == "inconclusive" and tight.n_failed == 0 and tight.n_unresolved > 0
    unresolved = [e for t in tight.tensors for e in t.kinks]
    assert unresolved and {e.status for e in unresolved} == {"unresolved"}
    assert any("too inaccurate to judge" in line for t in tight.tensors for line in t.diagnosis)
    text = rendered(render_gradcheck, tight)
    assert "gradcheck: INCONCLUSIVE" in text and "unresolved" in text and "best-agreeing quotient" in text
    fixed = check_gradients(net, X, Y, eps=3e-2, adapt_step=False, atol=1e-8)
    assert fixed.status == "fail" and fixed.n_stepped == 0


def _counting(monkeypatch) -> list[int]:
    """Count every perturbed cost evaluation of the entry checks (the copies ``_entry_costs`` runs)."""
    from backprop_cli import gradcheck as gc

    made = [0]
    real = gc._entry_costs

    def counted(base, l, kind, flat, steps):
        made[0] += len(flat)
        return real(base, l, kind, flat, steps)

    monkeypatch.setattr(gc, "_entry_costs", counted)
    return made


def test_progress_counts_the_look_at_other_steps_and_is_never_full_before_the_end(sig_net, monkeypatch):
    """--eps 3e-2: 25 entries fail at ε and are looked at again at other steps, 46 evaluations
    each, all made after ``done`` had reached ``total`` (two per entry, ``done`` capped there): the
    CLI's bar sat at 100% while the work went on. Now ``total`` grows with the look (by the most it
    can take, given back where it ends early), ``done`` counts every evaluation made and meets
    ``total`` at the end, and a third argument tells the look's own part of both."""
    net, X, Y = sig_net
    made = _counting(monkeypatch)
    two: list[tuple[int, int]] = []
    report = check_gradients(net, X, Y, eps=3e-2, atol=1e-8, progress=lambda done, total: two.append((done, total)))
    evaluations, (done, total) = made[0], two[-1]
    assert report.n_stepped == 25 and evaluations > 2 * report.n_checked
    assert done == total == evaluations, (done, total, evaluations)
    assert all(d <= t for d, t in two) and [d for d, _ in two] == sorted(d for d, _ in two)
    calls: list = []  # a three-argument callback: the same counts, and the look's own part of them
    check_gradients(net, X, Y, eps=3e-2, atol=1e-8, progress=lambda done, total, again: calls.append((done, total, again)))
    assert [(d, t) for d, t, _ in calls] == two
    again = calls[-1][2]
    assert all(a.done <= a.total for _, _, a in calls)
    failed_at_eps = check_gradients(net, X, Y, eps=3e-2, atol=1e-8, adapt_step=False).n_failed
    assert again.entries == failed_at_eps and again.done == again.total == evaluations - 2 * report.n_checked


def test_the_look_at_other_steps_stops_at_the_first_pair_that_agrees(sig_net):
    """An entry in doubt was differenced at all 21 steps ε·1e-6 … ε·1e4 (42 evaluations, the one at
    ε made twice) after its 4 at 2ε and ε/2, wherever the pair that judged it was. The pairs are
    now taken outwards from ε in the order they are preferred, and an entry stops at the first
    that agrees (so at the same pair): judged at the pair k half-decades out it needs at most
    4 + 4k evaluations (2k below ε and, where rounding matters, 2k above)."""
    from backprop_cli import gradcheck as gc

    net, X, Y = sig_net
    base = gc._make_base(net, X, Y)
    dw, db = net.gradients(X, Y)
    at = int(np.argmin(np.abs(np.log(gc.LADDER))))
    spent = bound = 0
    for l in range(1, net.L + 1):
        for kind, grad in (("w", dw[l - 1]), ("b", db[l - 1])):
            flat = np.arange(grad.size)
            chk = gc._check_entries(base, l, kind, grad, flat, 3e-2, 1e-5, 1e-8)
            stepped = np.isfinite(chk.step)
            assert set(chk.status[stepped]) <= {"step-ok"} and set(chk.status[~stepped]) <= {"pass"}
            rung = np.rint(np.log10(chk.step[stepped] / 3e-2) / 0.5).astype(int) + at  # its pair: rungs r, r + 1
            k = np.where(rung < at, at - rung, rung - at + 1)
            spent += chk.n_evaluations
            bound += 2 * len(flat) + int(np.sum(4 + 4 * k))
    assert spent <= bound, (spent, bound)
    assert spent < 2 * 46 + 25 * 12  # 46 entries; the 25 in doubt took 46 more each (1,242 in all)


def _every_look(evaluate, out, theta, idx, eps, rtol, atol, rounding, tally, bend=None):
    """``_in_doubt`` as it was: both looks (``_LOOK_AGAIN``: 3ε, ε/3) for every item, in doubt or
    not already (a direction's step bent by the tensor's rounding left out, the bend of the others
    taken off, as ``_in_doubt`` does)."""
    from backprop_cli import gradcheck as gc

    n, err = out.numeric[idx], rounding
    for factor in gc._LOOK_AGAIN:
        hp, hm = gc._steps(theta[idx], np.full(len(idx), factor * eps))
        (cp, fp), (cm, fm) = evaluate(idx, hp), evaluate(idx, hm)
        shift = np.zeros(len(idx)) if bend is None else bend(idx, hp)
        with np.errstate(all="ignore"):
            err = np.fmax(err, np.abs(n - ((cp - cm) / (hp - hm) - shift)))
        err[fp | fm] = np.inf
        err[np.isnan(shift)] = np.inf
    with np.errstate(all="ignore"):
        return ~(err <= 0.5 * (atol + rtol * np.abs(n)))


def _every_rung(evaluate, out, theta, idx, eps, rtol, atol, up, at_eps, tally, stuck=None, bend=None):
    """``_ladder`` as it was: every step ε·1e-6 … ε·1e4 for every item, ε itself evaluated again
    (a grown step of an item whose step at ε was grown left out, and a direction's step bent by
    the tensor's rounding, the bend of the others taken off, as ``_ladder`` does)."""
    from backprop_cli import gradcheck as gc

    stuck = np.zeros(len(idx), dtype=bool) if stuck is None else stuck
    rungs, noise = [], []
    for factor in gc.LADDER:
        hp, hm = gc._steps(theta[idx], np.full(len(idx), factor * eps))
        (cp, fp), (cm, fm) = evaluate(idx, hp), evaluate(idx, hm)
        with np.errstate(all="ignore"):
            n = (cp - cm) / (hp - hm) - (0.0 if bend is None else bend(idx, hp))  # rough: NaN
        n[fp | fm | (hp == hm) | (stuck & gc._enlarged(hp, hm, factor * eps))] = np.nan
        rungs.append(n)
        noise.append(gc._noise(np.fmax(np.abs(cp), np.abs(cm)), hp, hm, gc.LADDER_ULPS))
    return np.array(rungs), np.array(noise)


def _scaled_sample(seed):
    """A random network far from unit scale (parameters 1e-4 … 1e2, inputs 1e-3 … 1e6, costs up to
    ~1e16), a random step and tolerance, sometimes a planted bug: the cases the ladder is for."""
    r = np.random.default_rng(seed)
    hidden = str(r.choice(["tanh", "sigmoid", "relu", "leaky_relu", "softplus"]))
    out, cost = [("sigmoid", "squared_error"), ("linear", "half_squared_error"), ("softmax", "cross_entropy"),
                 ("relu", "squared_error")][r.integers(4)]
    net = Network([3, 4, 2], activation=hidden, output_activation=out, cost=cost)
    scale = 10 ** r.uniform(-4, 2)
    net.weights = [r.normal(size=w.shape) * scale for w in net.weights]
    net.biases = [r.normal(size=b.shape) * scale for b in net.biases]
    X = r.normal(size=(int(r.integers(1, 5)), 3)) * 10 ** r.uniform(-3, 6)
    n = len(X)
    Y = (np.eye(2)[r.integers(0, 2, n)] if out == "softmax" else
         r.normal(size=(n, 2)) * 10 ** r.uniform(4, 8) if r.random() < 0.4 else r.uniform(size=(n, 2)))
    kw = dict(eps=float(r.choice([1e-7, 1e-5, 1e-3, 1e-1])), mode=str(r.choice(["full", "full", "fast"])), rng=seed)
    kw["rtol"], kw["atol"] = [(1e-5, 1e-8), (1e-5, 1e-8), (1e-8, 0.0), (1e-12, 0.0)][r.integers(4)]
    factor = [1.0, 1.0, 2.0, 1.001][r.integers(4)]
    if factor != 1.0:
        kw["gradients"] = _scaled_backward(net, X, Y, factor)
    return net, X, Y, kw


def test_the_early_stops_change_no_verdict_on_a_broad_sample(monkeypatch):
    """The look at other steps stops early (a first look already in doubt, the ladder at its first
    agreeing pair, no rungs above ε where they do not count, ε's own costs reused): every entry's
    status, numeric value and step, and every directional check's, are those of the exhaustive
    look, on 40 random cases far from unit scale (kinks, huge costs, planted bugs, --rtol 1e-12,
    fast mode), with far fewer evaluations. Each copy is evaluated alone, so that BLAS' choice of
    kernel by batch size cannot move a cost by an ulp between the two runs; and so its cost is the
    same whenever it is asked for: a copy the first run evaluated is handed to the exhaustive run
    as it was, not evaluated again (``made`` counts every evaluation asked for)."""
    from backprop_cli import gradcheck as gc

    real_costs, made = gc._entry_costs, [0]
    known: dict = {}  # (the base's network and rows, layer, kind, entry or direction, step) -> its (cost, flip)
    prints: dict = {}

    def alone(evaluate, base, l, kind, items, steps, name):
        """evaluate(...) of each copy alone, once for each distinct copy."""
        if id(base) not in prints:  # the base kept, so that its id stays its own
            net, arrays = base.net, (*base.net.weights, *base.net.biases, base.X, base.Y)
            prints[id(base)] = (base, (tuple(net.sizes), tuple(a.name for a in net.activations), net.cost_fn.name,
                                       net.l2, tuple((a.shape, a.tobytes()) for a in arrays)))
        parts = []
        for i in range(len(steps)):
            key = (prints[id(base)][1], l, kind, name(items[i]), steps[i].tobytes())
            if key not in known:
                known[key] = evaluate(base, l, kind, items[i : i + 1], steps[i : i + 1])
            parts.append(known[key])
        return np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts])

    def one_by_one(base, l, kind, flat, steps):
        made[0] += len(flat)
        return alone(real_costs, base, l, kind, flat, steps, int)

    real_directions = gc._direction_costs

    def directions_one_by_one(base, l, kind, V, steps):
        return alone(real_directions, base, l, kind, V, steps, lambda v: (v.shape, v.tobytes()))

    seen: list = []
    real_result = gc._tensor_result

    def recorded(ctx, l, kind, chk, directional=None, **kw):
        seen.append((chk.status.tolist(), chk.numeric.tolist(), chk.step.tolist(), directional))
        return real_result(ctx, l, kind, chk, directional, **kw)

    monkeypatch.setattr(gc, "_entry_costs", one_by_one)
    monkeypatch.setattr(gc, "_direction_costs", directions_one_by_one)
    monkeypatch.setattr(gc, "_tensor_result", recorded)
    spent = {}
    for exhaustive in (False, True):
        if exhaustive:
            monkeypatch.setattr(gc, "_in_doubt", _every_look)
            monkeypatch.setattr(gc, "_ladder", _every_rung)
        runs, made[0] = [], 0
        for seed in range(40):
            net, X, Y, kw = _scaled_sample(seed)
            seen.clear()
            with np.errstate(all="ignore"):
                report = check_gradients(net, X, Y, **kw)
            dirs = [(d.status, d.numeric, d.step) if d is not None else None for *_, d in seen]
            runs.append((report.status, report.n_stepped, report.n_unresolved, report.n_failed,
                         [s[:3] for s in seen], dirs))
        spent[exhaustive] = made[0]
        if not exhaustive:
            early = runs
    statuses = [t for run in early for s in run[4] for t in s[0]]
    assert {"step-ok", "unresolved", "fail", "pass"} <= set(statuses) and "kink-ok" in statuses
    assert {run[0] for run in early} == {"pass", "fail", "inconclusive"}
    for seed, (a, b) in enumerate(zip(early, runs)):
        assert repr(a) == repr(b), seed  # repr: NaN equals NaN
    assert spent[False] < spent[True], spent  # (unresolved entries, many here, take every rung still)


def test_convergence_allows_for_a_huge_costs_rounding():
    # C ≈ 1e12: the ratio bottoms out at 9e-7 where the costs' own rounding is ~2e-5 of the
    # gradient; the sweep called that "a small error in the gradient". A ×2 still fails.
    # It then said PASS; but b^(1)[2] is blurred by more than 1e-3 at every ε, which the plain check
    # marks unresolved with 20 others (exit 3): the sweep is inconclusive on that entry, not "correct"
    net, X, Y = _scaled_case("tanh", "sigmoid", "half_squared_error", 0.01, 1.0, True)
    sweep = convergence_sweep(net, X, Y)
    assert sweep.status == "inconclusive" and "small error" not in sweep.verdict, sweep.verdict
    assert sweep.unresolved_entries == {"b^(1)": 1} and "b^(1)[2]" in sweep.verdict, sweep.verdict
    assert "the other 25 entries agree (global ratio 9.025e-07 at ε = 1e-03)" in sweep.verdict, sweep.verdict
    assert check_gradients(net, X, Y).status == "inconclusive"
    dw, db = net.gradients(X, Y)
    bad = convergence_sweep(net, X, Y, gradients=lambda w, b, X_, Y_, c: ([d * 2 for d in dw], db))
    assert not bad.passed


def test_convergence_leaves_out_entries_below_atol_as_documented():
    # a trained network (targets = its outputs) of tiny weights: every gradient entry is below
    # 1e-8, its differences rounding noise; the global ratio counted them all, read 1.0 at every
    # ε, and the sweep said "the analytic gradient is wrong"
    rng = np.random.default_rng(0)
    net = Network([3, 4, 2], activation="tanh", output_activation="linear", cost="squared_error")
    net.weights = [rng.normal(size=w.shape) * 1e-8 for w in net.weights]
    net.biases = [rng.normal(size=b.shape) * 1e-8 for b in net.biases]
    X = rng.normal(size=(4, 3)) * 1e-6
    Y = net.predict(X)
    sweep = convergence_sweep(net, X, Y)
    assert sweep.passed and "reaches atol" in sweep.verdict, sweep.verdict
    assert "(auto, 1.0e-08 at every ε)" in sweep.verdict, sweep.verdict  # not "1.0e-08 to 1.0e-08 over the ε"
    assert check_gradients(net, X, Y).status == "pass"  # as the plain check, which passes them on atol


def test_convergence_does_not_pass_a_gradient_the_costs_rounding_swamps():
    # C ≈ 1e12 and inputs of 1e6: the costs' rounding alone reaches a ratio above 1e-3 of the
    # gradient at every ε; a ×2 there is no "rounding level"
    net, X, Y = _scaled_case("tanh", "tanh", "half_squared_error", 100.0, 1e6, True)
    dw, db = net.gradients(X, Y)
    bad = convergence_sweep(net, X, Y, gradients=lambda w, b, X_, Y_, c: ([d * 2 for d in dw], [d * 2 for d in db]))
    assert not bad.passed


def test_convergence_far_below_rounding_level_is_a_correct_gradient_whatever_the_slope():
    # inputs of 1e6: steps of 1e-1 … 1e-3 move z^(1) by 1e5 … 1e3, outside the ε² regime (ratios
    # 0.09, 0.6, 0.9), then 1.1e-11 at ε = 1e-4; the median slope came out -0.2 and the sweep said
    # "the analytic gradient is wrong". A ×2 still fails.
    rng = np.random.default_rng(0)
    net = Network([3, 4, 2], activation="sigmoid", output_activation="softmax", cost="cross_entropy")
    net.weights = [rng.normal(size=w.shape) * 0.01 for w in net.weights]
    net.biases = [rng.normal(size=b.shape) * 0.01 for b in net.biases]
    X = rng.normal(size=(4, 3)) * 1e6
    Y = np.eye(2)[rng.integers(0, 2, 4)]
    sweep = convergence_sweep(net, X, Y)
    assert min(sweep.global_ratios) < 1e-9 and sweep.order is not None and sweep.order < 1.5
    assert sweep.passed and "far below rounding level" in sweep.verdict, sweep.verdict
    dw, db = net.gradients(X, Y)
    bad = convergence_sweep(net, X, Y, gradients=lambda w, b, X_, Y_, c: ([d * 2 for d in dw], db))
    assert not bad.passed


def test_the_order_is_not_measured_between_ratios_at_rounding_level():
    """Ratios all below 1e-7 (5e-9 at ε = 1e-1 down to 3e-11) are rounding, not truncation: a slope
    between them is noise (it read ε^1.0, "first order, as when steps cross a kink")."""
    from backprop_cli.gradcheck import _order, _sweep_verdict

    eps = [1e-1, 1e-2, 1e-3, 1e-4]
    ratios = [5e-9, 6e-10, 4e-11, 3e-11]
    order, best, first = _order(eps, ratios, [0, 0, 0, 0])
    assert order is None and first == 0
    passed, verdict = _sweep_verdict(order, ratios[first], eps[first], False)
    assert passed and "rounding level" in verdict


def test_fast_mode_catches_a_transposed_square_gradient_whatever_the_seed():
    """With ±1 directions alone, a transposed 2 × 2 gradient moves g_01 and g_10 by opposite
    amounts that cancel whenever both carry the same sign: fast mode passed it for 21 of 40 seeds."""
    net = Network([2, 2, 2], activation="tanh", output_activation="sigmoid", seed=1)
    ref = net.copy()
    rng = np.random.default_rng(0)
    X, Y = rng.normal(size=(4, 2)), rng.uniform(size=(4, 2))

    def transposed(weights, biases, X, Y, config):
        ref.weights, ref.biases = weights, biases
        dw, db = ref.gradients(X, Y)
        return [dw[0].T.copy(), dw[1]], db

    for seed in range(40):
        report = check_gradients(net, X, Y, gradients=transposed, mode="fast", rng=seed)
        failing = {(t.layer, t.kind) for t in report.tensors if t.status == "fail"}
        assert failing == {(1, "w")}, seed


def test_a_passing_check_of_gradients_below_atol_has_no_global_ratio_rather_than_a_bug_band():
    """Seed 001's 1-1-1 ReLU network with its hidden z exactly 0: every analytic gradient is 0,
    the one-sided differences rounding noise of ~1e-11. Every entry passed on atol, yet the
    global ratio of that noise against 0 was 1.0, "almost surely a bug", under a PASS, and
    each tensor's max rel err 1.00e+00. Like --convergence's ratios, the ratio and the relative
    errors now count only entries of at least atol, and are undefined (NaN, said why) without one."""
    net = Network([1, 1, 1], activation="relu", cost="half_squared_error", seed=0)
    net.weights = [np.array([[0.5]]), np.array([[1.5]])]
    net.biases = [np.array([-1.0]), np.array([0.0])]
    X, Y = np.array([[2.0]]), np.array([[3.0]])
    report = check_gradients(net, X, Y)
    assert report.status == "pass" and report.n_kinks >= 1
    assert np.isnan(report.global_ratio) and report.band == "below atol"
    assert all(np.isnan(t.max_rel_error) and t.max_abs_error < 1e-8 for t in report.tensors)
    data = to_json(report)
    assert data["global_ratio"] is None and data["band"] == "below atol"


def test_an_inconclusive_check_with_no_entry_judged_shows_no_perfect_ratio():
    """--rtol 1e-12 --atol 0 leaves every entry unresolved: the verdict was INCONCLUSIVE beside
    a global ratio of 0.000e+00, "excellent", and max errors of 0.00e+00 in every row, from
    the empty set of judged entries."""
    net = Network([2, 3, 1], seed=0)
    X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
    Y = np.array([[0], [1], [1], [0]], dtype=float)
    report = check_gradients(net, X, Y, rtol=1e-12, atol=0.0)
    assert report.status == "inconclusive" and report.n_unresolved == report.n_checked
    assert np.isnan(report.global_ratio) and report.band == "none judged"
    assert all(np.isnan(t.max_abs_error) and np.isnan(t.max_rel_error) for t in report.tensors)
    buf = io.StringIO()
    render_gradcheck(Console(file=buf, width=100), report)
    out = buf.getvalue()
    assert "0.00e+00" not in out and "excellent  " not in out and "no entry could be judged" in out, out
    assert "1 entry fails at ε" in out and "1 entry fail at" not in out, out


def test_fast_mode_says_which_directions_were_judged_at_another_step_or_not_at_all():
    """Targets of 1e7 make a cost of ~1e14, whose rounding swamps the difference at ε: the random
    directions are re-judged at other steps, some unresolved. The report was INCONCLUSIVE with the
    counts 'failed 0 · at kinks 0' and nothing else, and no direction said at which step its numeric
    value was taken."""
    net = Network([2, 3, 1], activation="tanh", output_activation="linear", cost="squared_error", seed=0)
    X = np.array([[0.1, 0.2], [0.3, -0.5], [-0.4, 0.7]])
    Y = np.array([[1.0], [2.0], [-1.0]]) * 1e7
    report = check_gradients(net, X, Y, mode="fast", rng=0)
    dirs = [t.directional for t in report.tensors]
    unjudged = [d for d in dirs if d.status == "unresolved"]
    stepped = [d for d in dirs if d.status == "pass" and d.step is not None]
    assert report.status == "inconclusive" and unjudged and stepped
    assert all(d.step is not None and d.step != 1e-5 for d in unjudged + stepped)
    out = io.StringIO()
    render_gradcheck(Console(file=out, width=120), report)
    text = out.getvalue()
    assert f"(covering all 13 entries; {len(stepped)} re-judged at another step, {len(unjudged)} not judged)" in text
    assert "at step 1e-0" in text or "at step 3e-0" in text
    assert to_json(report)["tensors"][0]["directional"]["step"] == dirs[0].step


def test_quotients_that_merely_disagree_keep_the_advice_of_convergence_and_tolerances(sig_net):
    """Where --convergence or looser tolerances can help, the note still says so: an --rtol of 1e-12
    finer than any step resolves, and targets of 1e7 whose cost's rounding swamps small steps (fast
    mode), are unresolved because their quotients disagree; with entries (or directions) left
    unjudged the "—" ratio says they are not in it, and suggests a lower --atol only without them."""
    net, X, Y = sig_net
    tight = check_gradients(net, X, Y, rtol=1e-12, atol=0.0)
    unresolved = [t for t in tight.tensors if t.n_unresolved]
    assert unresolved and all(t.unresolved_reasons == {"disagree": t.n_unresolved} for t in unresolved)
    assert {e.reason for t in unresolved for e in t.kinks} == {"disagree"}
    assert all(t.diagnosis[-1].endswith("judge by --convergence, or loosen --rtol/--atol") for t in unresolved)
    assert {e["reason"] for e in to_json(tight)["tensors"][0]["kinks"]} == {"disagree"}
    net = Network([2, 3, 1], activation="tanh", output_activation="linear", cost="squared_error", seed=0)
    X = np.array([[0.1, 0.2], [0.3, -0.5], [-0.4, 0.7]])
    Y = np.array([[1.0], [2.0], [-1.0]]) * 1e7
    report = check_gradients(net, X, Y, mode="fast", rng=0)
    dirs = [t.directional for t in report.tensors if t.directional.status == "unresolved"]
    assert dirs and {d.reason for d in dirs} == {"disagree"}
    assert all("judge by --convergence" in t.diagnosis[-1] for t in report.tensors if t.status == "inconclusive")
    from dataclasses import replace

    below = replace(report, global_ratio=float("nan"), ratio_undefined="below atol")  # as when all judged are tiny
    judged = replace(below, tensors=tuple(t for t in below.tensors if t.directional.status != "unresolved"))
    for shown, ahead in ((below, f"the {len(dirs)} directions not judged are not in the ratio"),
                         (judged, "lower --atol to judge them")):
        out = io.StringIO()
        render_gradcheck(Console(file=out, width=300), shown)
        assert ahead in out.getvalue() and "or numeric, reaches atol = 1e-08" in out.getvalue(), out.getvalue()


def test_a_tensor_with_reasons_of_both_kinds_is_told_which_advice_is_for_which_entries():
    """Grouped by reason, with counts; the scale advice for the entries whose steps cannot measure the
    slope, --convergence and the tolerances for those whose quotients merely disagree."""
    from backprop_cli.gradcheck import _step_note

    note = _step_note({"grown": 1, "near-step": 2, "disagree": 3}, 1e12)
    assert note.startswith("6 entries fail at ε, but no step from ε·1e-6 to ε·1e4 can judge them: the steps of 1 "
                           "entry (|θ| up to 1e+12) had to be grown"), note
    assert "; the steps of 2 entries change the cost by the same amount" in note and "so their quotients" in note
    assert note.endswith("Try weights nearer 1 (a fresh init, standardized inputs) for the first 3 entries; for the "
                         "other 3 entries, judge by --convergence, or loosen --rtol/--atol"), note
    one = _step_note({"flat": 1}, 1.0)
    assert "1 entry fails at ε, but no step from ε·1e-6 to ε·1e4 can judge it: its steps change the cost" in one


def test_fast_modes_table_says_which_tensors_direction_was_re_judged_or_unresolved():
    """The case above: the table's rows read "inconclusive" and "pass", and only the counts line
    said that two directions were judged at another step and two not at all. Each row now says
    which, on its line or under it."""
    net = Network([2, 3, 1], activation="tanh", output_activation="linear", cost="squared_error", seed=0)
    X = np.array([[0.1, 0.2], [0.3, -0.5], [-0.4, 0.7]])
    Y = np.array([[1.0], [2.0], [-1.0]]) * 1e7
    report = check_gradients(net, X, Y, mode="fast", rng=0)
    want = {t.label: ("v unresolved" if t.directional.status == "unresolved" else "v re-judged") for t in report.tensors}
    assert sorted(want.values()) == ["v re-judged"] * 2 + ["v unresolved"] * 2
    for width in (120, 60):
        out = io.StringIO()
        render_gradcheck(Console(file=out, width=width), report)
        lines = out.getvalue().split("╭")[0].splitlines()
        for label, note in want.items():
            i = next(i for i, line in enumerate(lines) if line.strip().startswith(label))
            # the row's lines, to the next tensor's (at 60 columns its status wraps under it)
            end = next((k for k in range(i + 1, len(lines)) if lines[k].strip().startswith(tuple(want))
                        or not lines[k].strip()), len(lines))
            row = " ".join(" ".join(lines[i:end]).split())
            # last in the row's parentheses (a tensor this small also has its entries checked one by one)
            assert f"{note})" in row, (width, lines)


@pytest.mark.parametrize("name", ["sigmoid", "elu", "softplus", "silu"])
def test_a_sigma_prime_squared_at_one_layer_is_told_with_that_activations_own_derivative(name):
    """σ'(z^(2)) squared in a learner's BP2 (errors tracking σ'): the hint gives the layer's own σ';
    'a(1 − a) needs a = σ(z)' (the sigmoid's) was told to elu, softplus and silu learners too."""
    s = lambda z: 1 / (1 + np.exp(-z))  # noqa: E731
    f = {"sigmoid": s, "elu": lambda z: np.where(z > 0, z, np.expm1(np.minimum(z, 0))),
         "softplus": lambda z: np.logaddexp(0, z), "silu": lambda z: z * s(z)}[name]
    p = {"sigmoid": lambda z: s(z) * (1 - s(z)), "elu": lambda z: np.where(z > 0, 1.0, np.exp(np.minimum(z, 0))),
         "softplus": s, "silu": lambda z: s(z) * (1 + z * (1 - s(z)))}[name]

    def backward(W, B, X, Y, config):
        L, a, z = len(W), [X], [None]
        for l in range(L):
            z.append(a[-1] @ W[l].T + B[l])
            a.append(f(z[-1]) if l < L - 1 else z[-1])
        d, dw, db = 2 * (a[L] - Y) / len(X), [None] * L, [None] * L
        for l in range(L, 0, -1):
            dw[l - 1], db[l - 1] = d.T @ a[l - 1], d.sum(0)
            if l > 1:
                d = (d @ W[l - 1]) * p(z[l - 1]) ** (2 if l - 1 == 2 else 1)  # squared at layer 2
        return dw, db

    net = Network([3, 12, 8, 1], activation=name, output_activation="linear", cost="squared_error", seed=1)
    rng = np.random.default_rng(0)
    X, Y = 2 * rng.normal(size=(4, 3)), rng.normal(size=(4, 1))
    text = " ".join(tensor(check_gradients(net, X, Y, gradients=backward), "w^(2)").diagnosis)
    assert "errors concentrate where σ'(z^(2)) matters" in text
    assert f"{name}'s σ'(z) = {ACTIVATIONS[name].prime_formula}" in text
    assert ("a(1 − a) needs a = σ(z)" in text) == (name == "sigmoid")


# --- the verdict's own rules, at their edges (mutation testing found them unchecked) -------------


def test_the_entry_rule_measures_the_error_against_the_larger_value(sig_net):
    """An entry passes when |a − n| ≤ atol + rtol · max(|a|, |n|) (README). An analytic gradient
    1.5 × the numeric one is off by 0.5 |n| = |a| / 3: it passes at rtol 0.34 (0.34 · 1.5 |n| = 0.51 |n|)
    and fails at rtol 0.33 (0.495 |n|). Against min(|a|, |n|) = |n| it would fail at both."""
    net, X, Y = sig_net
    dw, db = net.gradients(X, Y)
    off = returning([1.5 * d for d in dw], [1.5 * d for d in db])
    assert check_gradients(net, X, Y, gradients=off, rtol=0.34, atol=0.0).status == "pass"
    report = check_gradients(net, X, Y, gradients=off, rtol=0.33, atol=0.0)
    assert failing(report) == {t.label for t in report.tensors}


def test_entries_exactly_0_on_both_sides_pass_at_atol_0_with_relative_error_0():
    """An input that is 0 in every example (a digits pixel never inked) gives its weights
    ∂C/∂w = 0, and moving them changes no cost: a = n = 0 exactly. At --atol 0 the rule
    |a − n| ≤ atol + rtol · max(|a|, |n|) holds with equality (0 ≤ 0): they pass, and their relative
    error is 0 ("0 where both are 0"), not 0/0 = NaN spoiling the tensor's max rel err."""
    net = Network([3, 4, 2], activation="tanh", output_activation="sigmoid", seed=1)
    rng = np.random.default_rng(0)
    X, Y = rng.normal(size=(5, 3)), rng.uniform(size=(5, 2))
    X[:, 1] = 0.0
    assert np.all(net.gradients(X, Y)[0][0][:, 1] == 0.0)  # the column of that input: exactly 0
    report = check_gradients(net, X, Y, atol=0.0)
    assert report.status == "pass", [(t.label, t.status) for t in report.tensors]
    w1 = tensor(report, "w^(1)")
    assert 0.0 <= w1.max_rel_error <= 1e-5


def test_the_bands_edges_belong_to_the_better_band():
    """README: ≤ 1e-7 excellent · ≤ 1e-5 good · ≤ 1e-3 suspicious · ≤ 1e-2 likely a bug · > 1e-2
    almost surely a bug."""
    ratios = [0.0, 1e-7, 1.01e-7, 1e-5, 1.01e-5, 5e-5, 1e-3, 1.01e-3, 1e-2, 1.01e-2, 1.0, float("nan")]
    assert [ratio_band(r) for r in ratios] == [
        "excellent", "excellent", "good", "good", "suspicious", "suspicious", "suspicious", "likely a bug",
        "likely a bug", "almost surely a bug", "almost surely a bug", "almost surely a bug"]


def _huge_weight_net(w: float) -> tuple[Network, np.ndarray, np.ndarray]:
    """A 1-1 linear net, ½(z − y)², w huge and b = 0.3 − w, x = 1: z = 0.3 (exactly fl(w + b)),
    so ∂C/∂w = ∂C/∂b = (z − y) x = z for y = 0, and C is quadratic in each (central differences
    are exact but for rounding)."""
    net = Network([1, 1], output_activation="linear", cost="half_squared_error", seed=0)
    net.weights = [np.array([[w]])]
    net.biases = [np.array([0.3 - w])]
    return net, np.ones((1, 1)), np.zeros((1, 1))


@pytest.mark.parametrize("w", [1e10, 1e12])
def test_a_huge_parameter_is_differenced_over_the_step_actually_taken(w):
    """w = 1e10: w ± 1e-5 rounds to w ± 9.54e-6 (its spacing is 1.9e-6), so dividing by 2ε was 4.6%
    off; the quotient divides by the step actually taken (module docstring), which costs nothing.
    w = 1e12: w ± 1e-5 rounds back to w (0/0); it is stepped by ε·|w| instead (README, Edge
    cases). Both hold at ε alone (--fixed-eps, numeric_gradients), not only once a wrong quotient
    has been re-judged at another step."""
    net, X, Y = _huge_weight_net(w)
    z = float(net.predict(X)[0, 0])
    assert abs(z - 0.3) < 1e-3
    dw, db = numeric_gradients(net, X, Y)
    assert dw[0][0, 0] == pytest.approx(z, rel=1e-9) and db[0][0] == pytest.approx(z, rel=1e-9)
    for adapt in (False, True):
        report = check_gradients(net, X, Y, adapt_step=adapt)
        assert report.status == "pass" and report.n_stepped == 0
        assert tensor(report, "w^(1)").worst.numeric == pytest.approx(z, rel=1e-9)


def test_fast_mode_fails_an_error_spread_too_thinly_for_any_one_entry_to_fail():
    """Every entry of w^(1) is off by 0.9 atol (rtol 0), each with the sign of its entry in the
    random direction v: each entry passes alone, but vᵀ∇C is off by 0.9 atol · ‖v‖₁ ≈ 3 atol. The
    direction's failure is the tensor's (README: fast mode compares vᵀ∇C), even though the
    bisection pins it on no entry: the report says so instead of passing. v is the first draw of
    check_gradients' generator (w^(1) is checked first): random signs times sizes in [0.5, 1.5]."""
    net = Network([20, 1], output_activation="linear", cost="half_squared_error", seed=0)
    rng = np.random.default_rng(1)
    X, Y = rng.normal(size=(6, 20)), rng.normal(size=(6, 1))
    dw, db = net.gradients(X, Y)
    draw = np.random.default_rng(5)
    v = draw.choice(np.array([-1.0, 1.0]), size=20) * draw.uniform(0.5, 1.5, size=20)
    atol = 1e-6
    spread = returning(dw, db, lambda dw, db: dw[0].__iadd__(0.9 * atol * np.sign(v).reshape(1, 20)))
    report = check_gradients(net, X, Y, gradients=spread, mode="fast", rng=5, rtol=0.0, atol=atol)
    w1 = tensor(report, "w^(1)")
    assert w1.directional.status == "fail" and w1.n_failed == 0
    assert report.status == "fail" and w1.status == "fail"
    assert "spread thinly over many entries" in w1.diagnosis[0]
    full = check_gradients(net, X, Y, gradients=spread, rtol=0.0, atol=atol)
    assert full.status == "pass"  # entry by entry every one is within atol


def _cancelling_net(P: int = 40, seed: int = 0, small: int | None = None):
    """A P-1 linear net, one example x, whose fast-mode direction v for w^(1) (the first draw of check_gradients'
    generator at ``seed``) has halves that cancel: vᵀ∇C ≈ 0, each half's ~5. ``small``: an entry whose x, and so
    gradient, is 1000× smaller than its neighbours'. Returns (net, X, Y, v's unnormalized signs)."""
    draw = np.random.default_rng(seed)
    s = draw.choice(np.array([-1.0, 1.0]), size=P) * draw.uniform(0.5, 1.5, size=P)
    x = np.sign(s)
    if small is not None:
        x[small] *= 1e-3
    h = P // 2
    x[h:] *= -np.dot(s[:h], x[:h]) / np.dot(s[h:], x[h:])
    net = Network([P, 1], output_activation="linear", cost="half_squared_error", seed=0)
    net.weights[0][:] = 0.0
    net.biases[0][:] = 0.0
    return net, x[None, :], np.array([[1.0]]), s


def test_fast_mode_follows_the_half_that_carries_the_error_when_its_own_tolerance_passes_it():
    """784-64-10, w^(1)[1,0] × 1.01: the direction failed (off 1.65e-7, tolerance 6.7e-9), but the half of
    v holding the entry has a vᵀ∇C 160× larger (9.4e-2, tolerance 9.4e-7), which passed its error of 3.3e-7, so
    bisection stopped: 'entries located 0 … it is spread thinly over many entries', of a one-entry bug. Here
    v's halves cancel (vᵀ∇C ≈ 0) and the entry's gradient is 1000× below its neighbours': the half holding it
    passes on its own tolerance. Bisection follows the half whose |a − n| carries the parent's error."""
    net, X, Y, _ = _cancelling_net(small=1)
    dw, db = net.gradients(X, Y)
    wrong = returning(dw, db, lambda dw, db: dw[0].__setitem__((0, 1), dw[0][0, 1] * 1.01))
    report = check_gradients(net, X, Y, gradients=wrong, mode="fast", rng=0)
    w1 = tensor(report, "w^(1)")
    assert w1.status == "fail" and w1.directional.status == "fail", w1
    assert [f.label for f in w1.failures] == ["w^(1)[0,1]"] and w1.n_failed == 1, w1
    text = " ".join(w1.diagnosis)
    assert "spread thinly" not in text and "w^(1)[0,1], analytic/numeric = 1.01" in text, text


def test_fast_mode_says_spread_only_where_bisection_shows_it_else_could_not_be_located():
    """Bisection that pins a failing direction on no entry said 'it is spread thinly over many entries' whatever
    it saw. A correct backward on a σ output at ε = 1e-2 without re-judging (--fixed-eps): the direction fails
    by its truncation (ε²·∂³C/∂v³, v along x), which does not split over v's halves as an error of the gradient
    does (each half has 1/2√2 of it, not 1/2): nothing shows an error spread over entries, and none is; it says
    bisection could not locate the error. 400 entries each off by 1e-7 with the sign of their entry in v: the
    halves each carry half of the direction's error, no entry fails alone: that is still said spread."""
    draw = np.random.default_rng(0)
    s = draw.choice(np.array([-1.0, 1.0]), size=40) * draw.uniform(0.5, 1.5, size=40)
    net = Network([40, 1], output_activation="sigmoid", cost="half_squared_error", seed=0)
    net.weights[0][:] = 0.0
    net.biases[0][:] = 0.3
    X, Y = (s / np.linalg.norm(s))[None, :], np.zeros((1, 1))
    w1 = tensor(check_gradients(net, X, Y, mode="fast", rng=0, eps=1e-2, adapt_step=False), "w^(1)")
    assert w1.directional.status == "fail" and w1.n_failed == 0, w1
    assert "spread thinly" not in w1.diagnosis[0], w1.diagnosis
    assert w1.diagnosis[0].startswith("the random-direction check vᵀ∇C failed, but bisection could not locate "
                                      "the error"), w1.diagnosis
    assert "run --mode full on this tensor" in w1.diagnosis[0], w1.diagnosis

    net, X, Y, dw, db, spread = _spread_over_400(1e-7)
    w1 = tensor(check_gradients(net, X, Y, gradients=spread, mode="fast", rng=5), "w^(1)")
    assert w1.status == "fail" and w1.n_failed == 0, w1
    assert "spread thinly over many entries" in w1.diagnosis[0], w1.diagnosis


def test_two_wrong_entries_of_a_tensor_are_told_as_a_local_bug(sig_net):
    """Two of w^(2)'s 16 entries off (different rows and columns), the rest right: the diagnosis
    names them as a bug local to those entries, not "no simple pattern"."""
    net, X, Y = sig_net
    dw, db = net.gradients(X, Y)

    def two(dw, db):
        dw[1][0, 1] += 0.1
        dw[1][2, 3] -= 0.1

    w2 = tensor(check_gradients(net, X, Y, gradients=returning(dw, db, two)), "w^(2)")
    assert w2.status == "fail" and w2.n_failed == 2
    assert w2.diagnosis[0].startswith("only 2 of 16 checked entries fail (w^(2)[0,1], w^(2)[2,3])"), w2.diagnosis


def test_a_factor_two_beside_gradients_that_are_exactly_0_is_not_called_never_computed():
    """An input that is 0 in both examples makes a column of ∂C/∂w^(1) exactly 0, analytic and
    numeric. A backward that sums over the 2 examples instead of averaging is off by ×2 on every
    other entry: the diagnosis is the ×2, not "∂C/∂w was never computed" for the zeros."""
    net = Network([3, 4, 2], activation="tanh", output_activation="sigmoid", seed=1)
    rng = np.random.default_rng(0)
    X, Y = rng.normal(size=(2, 3)), rng.uniform(size=(2, 2))
    X[:, 1] = 0.0
    dw, db = net.gradients(X, Y)
    report = check_gradients(net, X, Y, gradients=returning([2 * d for d in dw], [2 * d for d in db]))
    w1 = tensor(report, "w^(1)")
    assert w1.status == "fail"
    assert w1.diagnosis[0].startswith("×2 (= ×n, n = 2 examples)"), w1.diagnosis


@pytest.mark.parametrize("seed", range(4))
def test_a_learners_float32_backward_is_still_matched_to_its_mistake(seed):
    """A learner's numpy backward on float32 arrays (σ' left out at the output) differs from the
    float64 mistake by float32 rounding, up to a few rtol on small entries: the mistake is named
    on every tensor (seed 2's b^(1) was "no simple pattern" when matched at rtol itself)."""
    def backward(W, B, X, Y, config):
        W, B = [w.astype(np.float32) for w in W], [b.astype(np.float32) for b in B]
        X, Y = X.astype(np.float32), Y.astype(np.float32)
        a = [X]
        for w, b in zip(W, B):
            a.append(sigmoid(a[-1] @ w.T + b))
        n, L = len(X), len(W)
        d = 2 * (a[L] - Y)  # BP1 without σ'(z^(L))
        dw, db = [None] * L, [None] * L
        for l in range(L, 0, -1):
            dw[l - 1], db[l - 1] = (d.T @ a[l - 1] / n).astype(np.float64), (d.sum(0) / n).astype(np.float64)
            if l > 1:
                d = (d @ W[l - 1]) * a[l - 1] * (1 - a[l - 1])
        return dw, db

    rng = np.random.default_rng(seed)
    net = Network([3, 4, 4, 2], activation="sigmoid", cost="squared_error", init="normal", seed=seed)
    X, Y = rng.normal(size=(4, 3)), rng.uniform(size=(4, 2))
    report = check_gradients(net, X, Y, gradients=backward)
    for t in report.tensors:
        assert t.status == "fail" and "σ'(z^(3)) left out of δ^(3)" in t.diagnosis[0], (t.label, t.diagnosis)


def test_sample_mode_checks_params_different_entries():
    """--params N: N random entries per tensor (README), each once. With every entry off by ×2 all
    11 of the 12 (w^(1)) or 16 (w^(2)) fail, and the worst ones listed are 5 different entries."""
    rng = np.random.default_rng(7)
    net = Network([3, 4, 4, 2], activation="sigmoid", cost="squared_error", init="normal", seed=7)
    X, Y = rng.normal(size=(4, 3)), rng.uniform(size=(4, 2))
    dw, db = net.gradients(X, Y)
    report = check_gradients(net, X, Y, gradients=returning([2 * d for d in dw], [2 * d for d in db]),
                             mode="sample", params=11, rng=0)
    for label in ("w^(1)", "w^(2)"):
        t = tensor(report, label)
        assert t.n_checked == t.n_failed == 11
        assert len({e.index for e in t.failures}) == len(t.failures) == 5, [e.label for e in t.failures]


def _judged(a, quotient, rtol=0.0, atol=0.0):
    """``_judge``'s status for one item with analytic ``a`` whose quotient at the step h = LADDER·ε
    (up to ε; none above) is quotient(h); no rounding noise. rtol = atol = 0: no pair agrees, so
    what is judged is whether a lies 'far' outside the quotients."""
    from backprop_cli import gradcheck as gc

    eps = 1e-5
    steps = gc.LADDER * eps
    N = np.where(gc.LADDER <= 1.0, quotient(steps), np.nan)[:, None]
    out = gc._Checked(np.arange(1), np.array([float(a)]), np.array([np.nan]), np.array(["fail"], dtype="<U10"))
    gc._judge(out, np.arange(1), N, np.zeros_like(N), np.array([False]), eps, rtol, atol)
    return str(out.status[0])


def test_quotients_that_grow_as_the_step_shrinks_cannot_say_a_steep_slope_is_wrong():
    """A cost that changes by 0.25 whatever the step (a near-step: σ saturated by weights of 1e155
    behind a bias) gives quotients 0.25/2h: 1.25e4 at h = 1e-5 … 1.25e10 at 1e-11. The slope at θ
    lies beyond the smallest step's quotient, on the side they grow to; a = 1.6e153 there was
    judged 'far' from them and failed. On the other side (a = −1e6, beyond the quotients' range by
    more than twice their closest pair's disagreement, 2.7e4: they move away from it) a is still
    shown wrong; so is a far from quotients that converge (2 + h·1e5: moves that
    shrink ×√10 per rung), on either side."""
    saturated = lambda h: 0.25 / (2 * h)  # noqa: E731
    assert _judged(1.5625e153, saturated) == "unresolved"
    assert _judged(-1e6, saturated) == "fail"
    converging = lambda h: 2.0 + h * 1e5  # noqa: E731
    assert _judged(1.0, converging) == "fail" and _judged(10.0, converging) == "fail"
    assert _judged(2.0, converging) == "unresolved"  # within the quotients' reach: not judged


def test_quotients_that_scatter_as_the_step_shrinks_still_bound_the_slope():
    """Only quotients that grow on the way to the smallest step (n2 → n1 → n0 one way, each move
    at least as large as the one before: ∝ 1/h) leave any value beyond them unjudgeable. Moves
    that flip sign (rounding's scatter, here ±1 about 3 at the smallest steps) allow the last move
    more, |n0 − n1| = 2, not any amount: a = 1e6 beyond quotients of 2 to 4 is still wrong."""
    scatter = lambda h: 3.0 + np.where(np.arange(len(h)) % 2 == 0, 1.0, -1.0)  # noqa: E731
    assert _judged(1e6, scatter) == "fail" and _judged(-1e6, scatter) == "fail"
    growing = lambda h: 3.0 + 1e-5 / h  # noqa: E731 - every move larger than the last, one way
    assert _judged(1e9, growing) == "unresolved"  # beyond them all (1e6 + 3 at the smallest step)


def test_a_wrong_gradient_on_a_steep_but_measurable_network_still_fails():
    """σ, weights ±1e5 (z^(2) moves by 2.5e4·h for a step h of b^(1)): steep, yet small steps
    follow it, so backprop passes and a ∂C/∂b^(1) or ∂C/∂w^(2) × 1.5 still fails, in full and
    fast mode, after quotients that grow as the step shrinks stopped counting as evidence."""
    X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    Y = np.array([[0.0], [1.0], [1.0], [0.0]])
    net = Network([2, 2, 1], activation="sigmoid", cost="squared_error")
    w = 1e5
    net.weights = [np.array([[w, w], [w, -w]]), np.array([[w, -w]])]
    net.biases = [np.zeros(2), np.zeros(1)]
    dw, db = net.gradients(X, Y)
    assert abs(db[0][0]) == pytest.approx(1562.5)  # δ^(2)·w^(2)·σ'(0) = (2·(½ − 0)·¼/4)·1e5·¼

    def times(factor, kind, layer):
        def backward(weights, biases, X_, Y_, config):
            w_, b_ = [x.copy() for x in dw], [x.copy() for x in db]
            (b_ if kind == "b" else w_)[layer] *= factor
            return w_, b_
        return backward

    for mode in ("full", "fast"):
        assert check_gradients(net, X, Y, mode=mode, rng=0).status == "pass"
        for kind, layer, label in (("b", 0, "b^(1)"), ("w", 1, "w^(2)")):
            bad = check_gradients(net, X, Y, mode=mode, rng=0, gradients=times(1.5, kind, layer))
            assert bad.status == "fail" and failing(bad) == {label}, (mode, label)


# --------------------------------------------------------------------------------------
# The pieces of the unresolved / cannot-judge verdicts, on hand-made quotients
# --------------------------------------------------------------------------------------
def _rungs(*columns, noise=None):
    """(N, noise) of ``len(LADDER)`` rungs: column i holds the quotients {rung: value} of item i,
    NaN elsewhere; ``noise`` the same shape of {rung: value} (0 elsewhere), or none."""
    from backprop_cli import gradcheck as gc

    N = np.full((len(gc.LADDER), len(columns)), np.nan)
    R = np.zeros_like(N)
    for i, col in enumerate(columns):
        for rung, v in col.items():
            N[rung, i] = v
        for rung, v in ((noise or [{}] * len(columns))[i]).items():
            R[rung, i] = v
    return N, R


def test_heading_allows_one_more_move_where_the_quotients_shrink_and_any_where_they_grow():
    """_heading reads the three smallest rungs up to ε (n0 the smallest step): n1 → n0 moving
    towards a by more than the two costs' rounding, a slope beyond n0 by |n0 − n1| where the moves
    do not grow (shrinking, |n0 − n1| ≤ ½|n1 − n2|, or merely slower: 0.7 after 1.0), by any amount
    (inf) where they grow one way (1.0 after 0.5, and a steady 1.0 per rung); 0 where they move
    away from a or by no more than their rounding; |n0 − n1| where a third rung is missing."""
    from backprop_cli import gradcheck as gc

    at = gc._AT_EPS
    assert at == 12 and len(gc.LADDER) == 21
    halving = {0: 2.0, 1: 2.5, 2: 3.5}  # moves 0.5 then 1.0: exactly ½
    rest = {k: 3.5 + (k - 2) for k in range(3, at + 1)}  # then 1.0 per rung
    slow = {0: 2.0, 1: 2.7, 2: 3.7}  # moves 0.7 then 1.0: slower, not growing
    growing = {0: 2.0, 1: 3.0, 2: 3.5}  # moves 1.0 then 0.5: growing towards a
    steady = {0: 2.0, 1: 3.0, 2: 4.0}  # 1.0 then 1.0: ∝ 1/h's limit case, a move as large as the last
    N, R = _rungs({**halving, **rest}, {**halving, **rest}, slow, halving,
                  {10: 2.0, 11: 2.5, 12: 3.5},  # only the three rungs up to ε
                  {11: 2.0, 12: 2.5, 13: 3.5},  # two up to ε, the third above it: not read
                  growing, steady,
                  noise=[{}, {}, {}, {0: 0.3, 1: 0.3}, {}, {}, {}, {}])  # item 3: 0.5 within 0.3 + 0.3
    a = np.array([1.0, 3.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0])
    h = gc._heading(a, N, R)
    assert h.tolist() == [0.5, 0.0, pytest.approx(0.7), 0.0, 0.5, 0.5, np.inf, np.inf], h


def test_judge_allows_twice_the_closest_pairs_disagreement_beyond_the_quotients():
    """Quotients 2 + 1e5·h (h = 1e-11 … 1e-5): the closest pair (the two smallest steps) disagree
    by e* = 1e5·(10^-10.5 − 1e-11) = 2.16e-6, the largest quotient is 3. An a above them (the
    quotients head away from it: no _heading allowance) is 'far' only beyond 3 + 2e* = 3 + 4.3e-6."""
    converging = lambda h: 2.0 + h * 1e5  # noqa: E731
    assert _judged(3.0 + 3e-6, converging) == "unresolved"
    assert _judged(3.0 + 5e-6, converging) == "fail"


def _sweep(N, a, noise=None, crossed=None, grown=None, theta=None):
    from backprop_cli.gradcheck import _Sweep

    N = np.array(N, dtype=float)
    E, m = N.shape
    return _Sweep(10.0 ** -np.arange(1.0, E + 1), np.array(a, dtype=float),
                  np.ones(m) if theta is None else np.array(theta, dtype=float), N,
                  np.zeros((E, m)) if noise is None else np.array(noise, dtype=float),
                  np.zeros((E, m), bool) if crossed is None else np.array(crossed, bool),
                  np.zeros((E, m), bool) if grown is None else np.array(grown, bool))


def test_plateau_needs_three_settling_usable_quotients_that_miss_a_by_twice_the_first_move():
    """_plateau, per entry, at three neighbouring ε: the second move at most half the first (plus
    the two costs' rounding r), and |a − n(ε3)| more than 2·(first move + r) and more than atol."""
    from backprop_cli.gradcheck import _plateau

    settle = [3.0, 2.5, 2.25]  # moves 0.5, 0.25: exactly half
    cols = [  # (quotients at the three ε, a, expected)
        (settle, 10.0, True),
        ([3.0, 2.3, 1.8], 10.0, False),  # 0.7, 0.5: more than half
        ([3.0, 2.0, 1.7], 10.0, True),  # 1.0, 0.3
        (settle, 2.25 + 0.8, False),  # misses by 0.8 < 2·0.5
        (settle, 2.25 + 3.0, True),  # by 3 > 2·0.5
        ([3.0, 2.1, 2.05], 2.05 + 1.82, True),  # by 1.82 > 2·0.9 from the last (1.77 from the middle)
        ([3.0, 2.3, 1.8], 10.0, True),  # 0.5 ≤ 0.35 + r = 0.2 (noise below), misses by 8.2 > 2·0.9
        (settle, 10.0, False),  # the last step grown (below)
        (settle, 10.0, False),  # the last step crossed a kink (below)
    ]
    N = np.array([c[0] for c in cols]).T
    noise = np.zeros_like(N)
    noise[1:, 6] = 0.1
    grown, crossed = np.zeros(N.shape, bool), np.zeros(N.shape, bool)
    grown[2, 7] = crossed[2, 8] = True
    shown = _plateau(_sweep(N, [c[1] for c in cols], noise, crossed, grown), atol=1e-8)
    assert shown.tolist() == [c[2] for c in cols]
    # a miss of 3 (> 2·0.5) that is within atol = 5 shows nothing
    assert _plateau(_sweep(np.array([settle]).T, [5.25]), atol=5.0).tolist() == [False]


def test_cannot_judge_counts_each_entry_under_the_first_reason_that_holds():
    """Four ε (1e-1 … 1e-4), judged at the last: one entry grown at every ε (|θ| = 1e155), one
    crossing a kink at every ε, one whose cost moves by less than its rounding, three whose cost
    changes by amounts within ×3 of each other (quotients ∝ 1/ε, a zero left out), four others
    (changes ×5 apart, two moving ε only, a kink at one ε, an error of 1e-4 relative), and one
    within 1e-5 of a, not counted. |θ| is said of the grown entries only (another has 1e200)."""
    from backprop_cli.gradcheck import _TRY, _cannot_judge

    cols = [  # (quotients at 1e-1 … 1e-4, a)
        ([1, 1, 1, 1], 5),  # 0: grown
        ([1, 2, 3, 4], 9),  # 1: crossed at every ε
        ([0, 0, 0, 0], 1),  # 2: noise 0.6 ≥ ½·|1 − 0|
        ([10, 100, 1000, 10000], 1),  # 3: changes 1, 1, 1, 1
        ([10, 200, 1200, 10000], 1),  # 4: 1, 2, 1.2, 1 (×2)
        ([10, 500, 1000, 10000], 1),  # 5: 1, 5, 1, 1 (×5); θ = 1e200
        ([10, 100, 0, 0], 1),  # 6: two moving ε only
        ([10, 100, 1000, 0], 1),  # 7: three, the zero left out
        ([1, 2, 3, 4], 9),  # 8: crossed at the first ε only
        ([1, 1, 1, 1], 1.0001),  # 9: off by 1e-4
        ([1, 1, 1, 1], 1 + 1e-7),  # 10: within 1e-5: not off
    ]
    N = np.array([c[0] for c in cols], dtype=float).T
    noise, crossed, grown = np.zeros(N.shape), np.zeros(N.shape, bool), np.zeros(N.shape, bool)
    grown[:, 0] = crossed[:, 1] = crossed[0, 8] = True
    noise[:, 2] = 0.6
    theta = np.ones(len(cols))
    theta[0], theta[5] = 1e155, 1e200
    sw = _sweep(N, [c[1] for c in cols], noise, crossed, grown, theta)
    said = _cannot_judge(sw, 1.0, 3, 1e-8, "ReLU kinks")
    assert said == (
        "the error levels off at 1.000e+00, but the numeric gradient never settles on a value the analytic one "
        "misses, so this sweep cannot say it is wrong (or right): the steps of 1 entry (|θ| up to 1e+155) had "
        "to be grown to ε·|θ| to move θ at all (θ ± ε rounds back to θ); the steps of 1 entry cross ReLU kinks "
        "at every ε (a unit at z = 0); the steps of 1 entry change the cost by no more than its rounding "
        "(~u·|C|/ε) at every ε; the steps of 3 entries change the cost by the same amount at every ε, so their "
        "quotients grow ∝ 1/ε (a move smaller than any ε saturates a unit); the steps of 4 entries give "
        f"quotients that keep moving as ε shrinks. Try weights nearer 1 (a fresh init, standardized inputs), "
        f"or {_TRY}"), said
    # every entry within 1e-5 of a at the ε judged: then every entry of at least atol is counted
    close = _sweep(np.array([[10.0, 100.0, 1000.0, 10000.0]]).T, [10000.0 * (1 + 1e-7)])
    assert "the steps of 1 entry change the cost by the same amount" in _cannot_judge(close, 1e-6, 3, 1e-8, "x")


def test_a_direction_step_is_rough_where_the_tensor_rounds_it_by_more_than_1e_3():
    """w = 2^30 (a unit in the last place u = 2^-22 above it, u/2 below): a move of ±10.5u lands
    on 2^30 + 10u (the tie to even) and 2^30 − 10.5u, 20.5u apart where 21u was asked: 2.4%
    off, rough; ±1000.5u gives 2000.5u for 2001u, 2.5e-4 off, not rough (ROUGH = 1e-3). A move
    whose difference is not finite (b = 0 moved by ±1e308: inf − inf) is rough too."""
    from backprop_cli import gradcheck as gc

    net = Network([1, 1, 1], activation="tanh", output_activation="linear", cost="squared_error")
    net.weights, net.biases = [np.array([[2.0 ** 30]]), np.array([[1.0]])], [np.zeros(1), np.zeros(1)]
    base = gc._make_base(net, np.array([[0.0]]), np.array([[0.0]]))
    u = 2.0 ** -22
    bend = gc._direction_bend(base, 1, "w", np.ones((1, 1, 1)), np.zeros(1))  # rough: NaN
    assert np.isnan(bend(np.array([0, 0]), np.array([10.5 * u, 1000.5 * u]))).tolist() == [True, False]
    bend_b = gc._direction_bend(base, 1, "b", np.ones((1, 1)), np.zeros(1))
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no RuntimeWarning of the overflow reaches the user
        assert np.isnan(bend_b(np.array([0, 0]), np.array([1e308, 1e-3]))).tolist() == [True, False]


def _steep_xor(activation, w):
    """XOR 2-2-1, every weight ±w, zero biases (as helpers.extreme_config), and its 4 examples."""
    net = Network([2, 2, 1], activation=activation, cost="squared_error")
    net.weights = [np.array([[w, w], [w, -w]]), np.array([[w, -w]])]
    net.biases = [np.zeros(2), np.zeros(1)]
    return net, np.array([[0.0, 0], [0, 1], [1, 0], [1, 1]]), np.array([[0.0], [1], [1], [0]])


@pytest.mark.parametrize("activation, eps", [("sigmoid", 1e-10), ("tanh", 1e-11)])
def test_fast_mode_does_not_fail_a_correct_backprop_whose_direction_steps_the_weights_round(activation, eps):
    """Weights of ±1e3 moved along v by h = 1e-10: fl(w + h·v) − w is h·v to an ulp of 1e3 (1.1e-13),
    so the move made is 5e-4 off the one asked for (under ROUGH, kept) and the quotient [C(θ + d+) −
    C(θ + d−)] / 2h is off vᵀ∇C by as much: 50× the default rtol. Two such steps could agree with each
    other, off alike: FAIL (exit 1) for a correct backprop at rng 0 (1 draw in 6). g·(d+ − d− − 2h·v)
    / 2h, what backprop's gradient says the bend adds, is now taken off each direction's quotient."""
    net, X, Y = _steep_xor(activation, 1e3)
    for seed in range(6):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            res = check_gradients(net, X, Y, mode="fast", eps=eps, rng=seed)
        assert res.status != "fail", [(t.label, t.directional) for t in res.tensors]


def test_a_random_directions_bent_steps_are_told_as_such():
    """A direction (count 0) whose every step the tensor's rounding bends: its note says so."""
    from backprop_cli.gradcheck import _step_note

    note = _step_note({"bent": 0}, 1e10)
    assert note.startswith("the random direction fails at ε, but no step from ε·1e-6 to ε·1e4 can judge it: its "
                           "steps move the tensor's entries (|θ| up to 1e+10) by a few units in their last place "
                           "or less, so their rounding bends the direction at every step h. Try weights nearer 1"), note


@pytest.mark.parametrize("seed, eps", [(5, 1e-6), (23, 1e-5), (29, 1e-5)])
def test_fast_mode_judges_a_small_tensor_by_its_entries_where_no_half_confirms_its_direction(seed, eps):
    """σ with weights of ±1e10: the forward pass rounds σ(z) to an ulp of ½, times 1e10, so a
    direction of b^(1) can fail a correct backprop by chance, and neither half of it fails: nothing
    located, yet FAIL (exit 1) on the direction alone. A tensor no larger than bisection's leaves is
    then checked entry by entry, as full mode does, and judged by its entries: unresolved, as full
    mode has them."""
    net, X, Y = _steep_xor("sigmoid", 1e10)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fast = check_gradients(net, X, Y, mode="fast", eps=eps, rng=seed)
        full = check_gradients(net, X, Y, mode="full", eps=eps, rng=seed)
    b1 = next(t for t in fast.tensors if t.label == "b^(1)")
    assert fast.status != "fail" and b1.status == "inconclusive", [(t.label, t.status) for t in fast.tensors]
    # the direction failed there (on numpy 1.23 seed 23's is left unjudged instead): either way no half
    # confirms it, and both entries are checked one by one
    assert b1.n_checked == 2 and b1.n_unresolved == 2 and b1.directional.status in ("fail", "unresolved")
    assert next(t for t in full.tensors if t.label == "b^(1)").status == "inconclusive"


def test_fast_mode_fails_a_small_tensor_by_its_entries_where_no_half_confirms_its_direction():
    """The same fallback keeps a wrong gradient failed where its entries show it: σ, weights ±1e5,
    --eps 1e-8, w^(2) × 1.5: the direction failed and neither half did (nothing located: FAIL on the
    direction alone); now both entries are checked and fail, as in full mode."""
    net, X, Y = _steep_xor("sigmoid", 1e5)
    dw, db = net.gradients(X, Y)
    wrong = returning(dw, db, lambda w, b: w[1].__imul__(1.5))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        statuses = []
        for seed in range(8):
            res = check_gradients(net, X, Y, gradients=wrong, mode="fast", eps=1e-8, rng=seed)
            w2 = next(t for t in res.tensors if t.label == "w^(2)")
            statuses.append((res.status, w2.n_failed))
    assert all(s == ("fail", 2) for s in statuses), statuses


@pytest.mark.parametrize("layer, kind, factor", [(2, "w", 1.01), (1, "b", 1.5)])
def test_fast_mode_still_fails_a_wrong_gradient_on_weights_that_bend_its_steps(layer, kind, factor):
    """The bend taken off a direction's quotient is backprop's own gradient's account of it: a wrong
    gradient is off the cost's change as much as before (a − n = (g − ∇C)·(d+ − d−) / 2h). σ, weights
    ±1e3, --eps 1e-10: w^(2) × 1.01 and b^(1) × 1.5 (w^(1) and b^(2) are 0 there, saturated) fail."""
    net, X, Y = _steep_xor("sigmoid", 1e3)
    dw, db = net.gradients(X, Y)

    def backward(weights, biases, X_, Y_, config=None):
        w, b = [d.copy() for d in dw], [d.copy() for d in db]
        (w if kind == "w" else b)[layer - 1] *= factor
        return w, b

    for seed in range(6):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            res = check_gradients(net, X, Y, gradients=backward, mode="fast", eps=1e-10, rng=seed)
        assert res.status == "fail" and failing(res) == {f"{kind}^({layer})"}, seed


def test_a_directions_bend_is_backprops_gradient_on_the_move_rounding_added():
    """w = 2^30 (u = 2^-22 above it, u/2 below) moved by ±1000.5u: 2000.5u apart where 2001u was asked
    (not rough, 2.5e-4 off), so the bend is g·(−0.5u) / 2001u: −1 for g = 4002; 0 where the move
    is exact (w = 0.5 moved by ±2^-30)."""
    from backprop_cli import gradcheck as gc

    net = Network([1, 1, 1], activation="tanh", output_activation="linear", cost="squared_error")
    net.weights, net.biases = [np.array([[2.0 ** 30]]), np.array([[1.0]])], [np.zeros(1), np.zeros(1)]
    base = gc._make_base(net, np.array([[0.0]]), np.array([[0.0]]))
    u = 2.0 ** -22
    bend = gc._direction_bend(base, 1, "w", np.ones((1, 1, 1)), np.array([4002.0]))
    assert bend(np.array([0]), np.array([1000.5 * u])).tolist() == [-1.0]
    net.weights = [np.array([[0.5]]), np.array([[1.0]])]
    base = gc._make_base(net, np.array([[0.0]]), np.array([[0.0]]))
    bend = gc._direction_bend(base, 1, "w", np.ones((1, 1, 1)), np.array([4002.0]))
    assert bend(np.array([0]), np.array([2.0 ** -30])).tolist() == [0.0]


def test_the_first_look_and_the_ladder_leave_out_steps_a_direction_bends():
    """_in_doubt: quotients that agree at 2ε and ε/2 settle nothing where those steps were bent
    by the tensor's rounding (``bend`` NaN, rough): in doubt. _resolve: a verdict never rests on the step at
    ε when it was bent: judged at another rung (the cost here is exactly linear, slope 2)."""
    from backprop_cli import gradcheck as gc

    eps = 1e-5

    def evaluate(sel, h):
        return 2.0 * np.asarray(h, dtype=float), np.zeros(len(sel), bool)

    def fresh():
        return gc._Checked(np.arange(1), np.array([3.0]), np.array([2.0]), np.array(["fail"], dtype="<U10"))

    always = lambda sel, h: np.full(len(sel), np.nan)  # noqa: E731
    at_eps = lambda sel, h: np.where(np.isclose(np.abs(h), eps, rtol=1e-12, atol=0), np.nan, 0.0)  # noqa: E731
    args = (np.zeros(1), np.arange(1), eps, 1e-6, 1e-8, np.zeros(1), gc._Tally())
    assert gc._in_doubt(evaluate, fresh(), *args).tolist() == [False]
    assert gc._in_doubt(evaluate, fresh(), *args, always).tolist() == [True]
    plus = (np.array([eps]), np.array([2 * eps]), np.array([False]))
    minus = (np.array([-eps]), np.array([-2 * eps]), np.array([False]))
    out = fresh()
    gc._resolve(evaluate, out, np.zeros(1), np.arange(1), eps, 1e-6, 1e-8, plus, minus, gc._Tally(), at_eps)
    # judged at a ladder rung (a step NaN would be ε's own, as _differences leaves it)
    assert out.status[0] == "fail" and out.numeric[0] == pytest.approx(2.0), out
    assert out.step[0] in gc.LADDER * eps and out.step[0] != eps, out.step


def test_largest_is_the_largest_finite_magnitude():
    from backprop_cli.gradcheck import _largest

    assert _largest(np.array([3.0, -1e160, np.inf, np.nan])) == "1e+160"
    assert _largest(np.array([np.inf])) == "0"


def test_convergence_below_atol_everywhere_is_a_pass_not_a_verdict_withheld():
    """Every entry below atol at every ε: nothing is judged, as the plain check passes them: the
    sweep's status is pass (exit 0), not inconclusive."""
    rng = np.random.default_rng(0)
    net = Network([2, 2, 1], activation="tanh", output_activation="linear", cost="squared_error")
    net.weights = [rng.normal(size=w.shape) * 1e-8 for w in net.weights]
    net.biases = [rng.normal(size=b.shape) * 1e-8 for b in net.biases]
    X = rng.normal(size=(3, 2)) * 1e-6
    sweep = convergence_sweep(net, X, net.predict(X))
    assert (sweep.passed, sweep.status) == (True, "pass"), sweep.verdict


@pytest.mark.parametrize("status", ["inconclusive", "fail"])
def test_convergence_table_title_stays_on_one_line_without_the_band(status):
    """Without its band column (a sweep that cannot judge) the table's columns are narrower than
    its title: the title must still be one line, not wrapped under them."""
    from backprop_cli.gradcheck import ConvergenceReport

    eps = (1e-1, 1e-2, 1e-3)
    report = ConvergenceReport(eps, (1.0,) * 3, (1.0,) * 3, (1.0,) * 3, (0,) * 3, None, 1e-3, 1.0, False, status,
                               "why", {})
    buf = io.StringIO()
    render_convergence(Console(file=buf, width=100, color_system=None), report)
    lines = buf.getvalue().splitlines()
    assert "convergence: error as ε shrinks (central differences: ∝ ε²)" in [line.strip() for line in lines], lines
    title = "convergence: CANNOT JUDGE" if status == "inconclusive" else "convergence: FAIL"
    assert any(title in line for line in lines), lines


def test_cannot_judge_gives_the_reasons_of_the_entries_off_at_the_best_eps(monkeypatch):
    """σ, XOR 2-2-1, weights ±1e10: the sweep cannot judge, its smallest ratio at ε = 1e-8 (the
    last); the entries whose reasons it gives are those that disagree there, not at ε = 1e-1."""
    from backprop_cli import gradcheck as gc

    told = []
    real = gc._cannot_judge
    monkeypatch.setattr(gc, "_cannot_judge", lambda sw, best, i, *rest: told.append((best, i)) or real(sw, best, i, *rest))
    net = Network([2, 2, 1], activation="sigmoid", cost="squared_error")
    w = 1e10
    net.weights, net.biases = [np.array([[w, w], [w, -w]]), np.array([[w, -w]])], [np.zeros(2), np.zeros(1)]
    X, Y = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]), np.array([[0.0], [1.0], [1.0], [0.0]])
    with np.errstate(all="ignore"):
        report = convergence_sweep(net, X, Y)
    assert report.status == "inconclusive" and report.best_eps == 1e-8, report.verdict
    assert told == [(report.best_error, report.eps_values.index(report.best_eps))]


def test_a_constant_ratio_names_the_entries_it_holds_on_in_words_a_learner_can_check():
    """'analytic/numeric = 0.5 on all 6 significant entries' did not say which entries count: all of
    them, or those not near 0 (below 1e-3 of the largest |n|), out of how many checked."""
    from backprop_cli.gradcheck import _name_ratio

    net = Network([2, 3, 1], activation="sigmoid", cost="squared_error", seed=0)
    X, Y = np.array([[0.0, 0], [0, 1], [1, 0], [1, 1]]), np.array([[0.0], [1], [1], [0]])
    dw, db = net.gradients(X, Y)
    report = check_gradients(net, X, Y, gradients=returning([w / 2 for w in dw], [b / 2 for b in db]))
    w1 = next(t for t in report.tensors if t.label == "w^(1)")
    assert w1.diagnosis[0].startswith("×½: analytic/numeric = 0.5 on all 6 entries: "), w1.diagnosis
    assert _name_ratio(0.5, 4, "squared_error", 3, 5).startswith(
        "×½: analytic/numeric = 0.5 on all 3 entries not near 0 (of 5 checked): ")
    assert "on its only entry not near 0 (of 5 checked)" in _name_ratio(0.5, 4, "squared_error", 1, 5)


@pytest.mark.parametrize("cost, factor, named", [("squared_error", 1.0 / 5, "×1/n_L"),
                                                 ("half_squared_error", 2.0 / 5, "×2/n_L")])
def test_a_cost_averaged_over_the_output_units_is_named(cost, factor, named):
    """PyTorch's MSELoss() divides by the n_L output units as well as the examples: a learner's
    backward built on it read 'constant ratio ×0.2: a constant factor is missing or extra'."""
    rng = np.random.default_rng(4)
    net = Network([3, 4, 5], activation="tanh", output_activation="linear", cost=cost, seed=2)
    X, Y = rng.normal(size=(6, 3)), rng.normal(size=(6, 5))

    def mse_mean(W, B, X, Y, config):
        dw, db = net.gradients(X, Y)
        return [w * factor for w in dw], [b * factor for b in db]

    report = check_gradients(net, X, Y, gradients=mse_mean)
    assert failing(report) == {"w^(1)", "b^(1)", "w^(2)", "b^(2)"}
    for t in report.tensors:
        assert t.diagnosis[0].startswith(f"{named} (n_L = 5 output units): analytic/numeric = {factor:.6g} "), t.diagnosis
        assert "averaged over the output units" in t.diagnosis[0]


@pytest.mark.parametrize("out, cost, named, said", [
    ("linear", "half_squared_error", "×1/n_L", "½ of the squared error averaged over the output units"),
    ("sigmoid", "cross_entropy", "×1/n_L", "binary cross-entropy averaged over the output units (as PyTorch's BCELoss()"),
    ("softmax", "cross_entropy", "×1/n_L", "categorical cross-entropy sums over them")])
def test_a_gradient_averaged_over_the_output_units_is_named_for_every_cost(out, cost, named, said):
    """A gradient divided by the n_L output units as well as the examples was named ×1/n_L for squared_error alone:
    under half_squared_error (½ of PyTorch's MSELoss()), sigmoid + cross_entropy (PyTorch's BCELoss() averages over
    the outputs) or softmax + cross_entropy (np.mean of −y ln a) it read 'constant ratio ×0.333333: a constant factor
    is missing or extra'."""
    net = Network([3, 4, 3], activation="tanh", output_activation=out, cost=cost, seed=1, init="normal")
    rng = np.random.default_rng(0)
    X, Y = rng.normal(size=(4, 3)), np.eye(3)[[0, 1, 2, 1]]

    def mean_over_outputs(W, B, X_, Y_, config):
        dw, db = net.gradients(X_, Y_)
        return [d / 3 for d in dw], [d / 3 for d in db]

    report = check_gradients(net, X, Y, gradients=mean_over_outputs)
    assert failing(report) == {"w^(1)", "b^(1)", "w^(2)", "b^(2)"}
    for t in report.tensors:
        first = t.diagnosis[0]
        assert first.startswith(f"{named} (n_L = 3 output units): analytic/numeric = 0.333333 "), t.diagnosis
        assert said in first and "constant factor is missing or extra" not in first, first


@pytest.mark.parametrize("activation", ["sigmoid", ["relu", "elu"]])
def test_the_convergence_sweep_counts_its_evaluations_for_a_progress_bar(activation):
    """`gradcheck --convergence` had no progress (a large network's sweep ran minutes unsaid). It is told as
    check_gradients tells it: done never above total, and meeting it at the end (a ReLU and ELU network's
    second look at kinks counted too)."""
    from pathlib import Path

    from backprop_cli.config import load_config
    from backprop_cli.experiment import prepare
    from backprop_cli.gradcheck import convergence_sweep

    spirals = Path(__file__).resolve().parents[1] / "configs" / "spirals.yaml"
    exp = prepare(load_config(spirals, {"network.activation": activation}))
    seen = []
    report = convergence_sweep(exp.net, exp.train.X[:3], exp.train.Y[:3], progress=lambda d, t: seen.append((d, t)))
    assert report.status == "pass" and seen, report.verdict
    assert all(d <= t for d, t in seen) and seen[-1][0] == seen[-1][1] > 0, seen[-5:]


# --- a failing row of w^(l): δ_j^(l) or BP4's product, told by b^(l)[j] ------------------------------


def _row_slip(delta_too: bool):
    """make_backward's correct gradient with row 1 of ∂C/∂w^(1) taken from the inputs reversed (BP4 with
    the wrong a^(0)), and with ``delta_too`` row 1 and b^(1)[1] both scaled by 1.7 (a wrong δ_1^(1))."""
    good = make_backward()

    def backward(weights, biases, X, Y, config):
        dw, db = good(weights, biases, X, Y, config)
        if delta_too:
            dw[0][1] *= 1.7
            db[0][1] *= 1.7
        else:
            dw[0][1] = dw[0][1][::-1].copy()
        return dw, db

    return backward


@pytest.mark.parametrize("mode", ["full", "fast"])
def test_a_failing_row_whose_bias_passes_points_at_bp4_not_at_delta(sig_net, mode):
    """BP3: ∂C/∂b_j is δ_j averaged over the examples, so a passing b^(l)[j] clears δ_j^(l): the
    row's failure is BP4's product a_k^(l−1) δ_j^(l) (it said 'that unit's error δ_1^(1) is wrong'). Fast mode
    judged b^(1) by one direction: b^(1)[1] is checked one by one for this, and said so."""
    net, X, Y = sig_net
    r = check_gradients(net, X, Y, gradients=_row_slip(False), mode=mode, rng=0)
    assert failing(r) == {"w^(1)"}
    text = " ".join(tensor(r, "w^(1)").diagnosis)
    how = " (checked one by one)" if mode == "fast" else ""
    assert f"b^(1)[1] passes{how}, so δ_1^(1) is right" in text and "look at BP4" in text, text
    assert "a_k^(0) δ_j^(1)" in text and "a^(0) = x" in text, text
    assert "δ_1^(1) is wrong" not in text, text


def test_fast_mode_reads_a_bias_entry_by_its_own_check_not_its_tensors_passing_direction(sig_net):
    """Fast mode judged b^(1) by one random direction, which passed, and read that as 'b^(1)[1] passes, so
    δ_1^(1) is right … look at BP4', an entry-level claim nothing measured. w^(1)'s row 1 × 1.7 and b^(1)[1] ×
    1.0001 (a wrong δ_1^(1) whose errors nearly cancel over the examples): b^(1)[1]'s error of 1e-4 is 1/25 of
    rtol·|vᵀ∇C| for b^(1), so its direction passes, but on its own b^(1)[1] fails. Checked one by one for the
    diagnosis, it is told as full mode tells it: δ_1^(1) is wrong."""
    net, X, Y = sig_net
    good = make_backward()

    def backward(weights, biases, X_, Y_, config):
        dw, db = good(weights, biases, X_, Y_, config)
        dw[0][1] *= 1.7
        db[0][1] *= 1.0001
        return dw, db

    r = check_gradients(net, X, Y, gradients=backward, mode="fast", rng=0)
    assert failing(r) == {"w^(1)"} and tensor(r, "b^(1)").directional.status == "pass", r
    text = " ".join(tensor(r, "w^(1)").diagnosis)
    assert "so δ_1^(1) is right" not in text and "look at BP4" not in text, text
    assert "b^(1)[1] fails too (checked one by one), so that unit's error δ_1^(1) is wrong" in text, text
    full = " ".join(tensor(check_gradients(net, X, Y, gradients=backward), "w^(1)").diagnosis)
    assert "b^(1)[1] fails too, so that unit's error δ_1^(1) is wrong" in full, full


def test_a_failing_row_whose_bias_fails_too_points_at_delta(sig_net):
    net, X, Y = sig_net
    r = check_gradients(net, X, Y, gradients=_row_slip(True))
    assert {"w^(1)", "b^(1)"} <= failing(r)
    text = " ".join(tensor(r, "w^(1)").diagnosis)
    assert "b^(1)[1] fails too, so that unit's error δ_1^(1) is wrong" in text, text
    assert "look at BP4" not in text, text


@pytest.mark.parametrize("mode", ["full", "fast"])
def test_a_row_whose_bias_passes_on_a_gradient_of_0_is_not_told_its_delta_is_right(mode):
    """A linear output whose mean error is 0 per unit (its bias fitted) has ∂C/∂b^(2) ~0: a learner's δ_1^(2)
    × 2 gives b^(2)[1] 2 × ~0, which passes. w^(2)'s row 1, ×2, was told 'b^(2)[1] passes, so δ_1^(2) is
    right … look at BP4', where δ_1^(2) is what is wrong: a bias entry below atol is no evidence."""
    net = Network([2, 3, 2], activation="sigmoid", output_activation="linear", cost="half_squared_error", seed=1)
    rng = np.random.default_rng(0)
    X, Y = rng.normal(size=(4, 2)), rng.uniform(size=(4, 2))
    net.biases[1] = net.biases[1] - np.mean(net.predict(X) - Y, axis=0)  # ∂C/∂b^(2) = mean(a − y) = 0

    def backward(weights, biases, X_, Y_, config):
        a1 = sigmoid(X_ @ weights[0].T + biases[0])
        d2 = a1 @ weights[1].T + biases[1] - Y_  # δ^(2) = a − y (linear output, ½(a − y)²)
        d2[:, 1] *= 2  # the slip: unit 1's error doubled, handed back as such
        d1 = (d2 @ weights[1]) * a1 * (1 - a1)
        return [d1.T @ X_ / len(X_), d2.T @ a1 / len(X_)], [d1.mean(axis=0), d2.mean(axis=0)]

    r = check_gradients(net, X, Y, gradients=backward, mode=mode, rng=0)
    assert tensor(r, "w^(2)").status == "fail" and tensor(r, "b^(2)").status == "pass", r
    text = " ".join(tensor(r, "w^(2)").diagnosis)
    assert "row j = 1" in text and "analytic/numeric = 2" in text, text
    assert "so δ_1^(2) is right" not in text and "look at BP4" not in text, text
    how = " (checked one by one)" if mode == "fast" else ""
    assert ("δ_1^(2) is wrong, or BP4's product for this row" in text and f"b^(2)[1] passes{how} only on a gradient of "
            "~0 (below atol), which any δ_1^(2) that averages ~0 over the examples gives it (BP3): it does not show "
            "δ_1^(2) right") in text, text


def test_one_failing_entry_is_not_called_a_row_and_its_bias_is_consulted(sig_net):
    """One entry is a row and a column alike: 'every failing entry is in row j = 1 … δ_1 is wrong'
    blamed δ for a single slip; it is named, and its bias b^(l)[j] (passing) points at BP4."""
    net, X, Y = sig_net
    r = check_gradients(net, X, Y, gradients=make_backward(bad_entry=(2, (1, 2), 0.01)), mode="fast", rng=0)
    text = " ".join(tensor(r, "w^(2)").diagnosis)
    assert "w^(2)[1,2]" in text and "row j =" not in text, text
    assert "b^(2)[1] passes (checked one by one), so δ_1^(2) is right" in text, text  # fast mode: not located


@pytest.mark.parametrize("kind", ["w", "b"])
def test_an_output_layer_gradient_of_zeros_beside_a_passing_partner_is_not_blamed_on_delta(sig_net, kind):
    """∂C/∂w^(L) all 0 while b^(L) passes: δ^(L) is right, so 'δ^(3) never reached layer 3 (not
    propagated back)' was wrong twice over (the output's error is handed back from nowhere)."""
    net, X, Y = sig_net
    good = make_backward()

    def backward(weights, biases, X, Y, config):
        dw, db = good(weights, biases, X, Y, config)
        (dw if kind == "w" else db)[-1] = np.zeros_like((dw if kind == "w" else db)[-1])
        return dw, db

    r = check_gradients(net, X, Y, gradients=backward)
    name, other = f"{kind}^(3)", f"{'b' if kind == 'w' else 'w'}^(3)"
    assert failing(r) == {name}
    text = " ".join(tensor(r, name).diagnosis)
    assert f"{other} passes, so δ^(3) is right: ∂C/∂{name} was never computed" in text, text
    assert "not propagated back" not in text, text


# --- what max rel err leaves out is said ------------------------------------------------------------


def _rendered(report, width=100):
    buf = io.StringIO()
    render_gradcheck(Console(file=buf, width=width, color_system=None), report)
    return buf.getvalue()


def test_max_rel_err_marks_what_it_leaves_out_a_kink_s_relative_error_of_1():
    """A unit at z = 0 for every example: w^(1)'s entries on its row are not judged, with a relative
    error of 1, while the table said 'max rel err 1e-10' (and the ratio 'excellent') with nothing to
    say those were left out. The cell is marked and the caption names them with their largest error."""
    net, X, Y = relu_net()
    net.weights[0][0] = 0.0
    net.biases[0][0] = 0.0
    report = check_gradients(net, X, Y)
    w1 = tensor(report, "w^(1)")
    assert w1.n_unjudged and w1.max_rel_unjudged is not None and w1.max_rel_unjudged > 0.1
    assert w1.max_rel_error < 1e-6  # over the judged entries of at least atol, as before
    out = _rendered(report)
    row = next(line for line in out.splitlines() if line.strip().startswith("w^(1)"))
    assert f"{w1.max_rel_error:.2e}*" in row, out
    caption = " ".join(out.split("* max rel err")[1].split("╭")[0].split())
    assert caption.startswith("and the global ratio leave out entries not judged"), caption
    assert f"w^(1) {w1.n_unjudged} not judged, rel err up to {w1.max_rel_unjudged:.1e}" in caption, caption
    t = next(t for t in to_json(report)["tensors"] if t["name"] == "w^(1)")
    assert t["max_rel_unjudged"] == w1.max_rel_unjudged and "n_below_atol" in t and "max_rel_below_atol" in t


def test_max_rel_err_marks_a_gradient_below_atol_with_a_relative_error_of_1():
    """The smallest entry of ∂C/∂b^(1) returned as 0, under an atol just above it: it passes on atol,
    and its relative error of 1 is left out of 'max rel err' and the ratio; that is said, with atol,
    not left silent beside a small max rel err."""
    net, X, Y = sig_net_plain()
    dw, db = net.gradients(X, Y)
    i = int(np.argmin(np.abs(db[0])))
    atol = abs(db[0][i]) * 1.01
    assert np.sort(np.abs(db[0]))[1] > 1.5 * atol  # the others are above it

    def zeroed(dw, db):
        db[0][i] = 0.0

    report = check_gradients(net, X, Y, gradients=returning(dw, db, zeroed), atol=atol)
    b1 = tensor(report, "b^(1)")
    assert b1.status == "pass" and b1.n_below_atol == 1 and b1.max_rel_below_atol == 1.0
    assert b1.max_rel_error < 1e-6
    out = " ".join(_rendered(report).split())
    assert f"{b1.max_rel_error:.2e}*" in out, out
    # what judges it is |a − n| against atol, not its relative error of 1 ('rel err up to 1.0e+00' read as a failure)
    assert b1.max_abs_below_atol == pytest.approx(abs(db[0][i]), rel=1e-3) and b1.max_abs_below_atol <= atol
    assert (f"entries below atol (|a| and |n| < {atol:.1e}: their relative error is rounding noise, and |a − n| "
            f"against atol judges them): b^(1) 1 below atol, |a − n| up to {abs(db[0][i]):.1e}") in out, out
    assert "rel err up to" not in out, out


def sig_net_plain():
    rng = np.random.default_rng(7)
    net = Network([3, 4, 2], activation="sigmoid", cost="squared_error", init="normal", seed=7)
    return net, rng.normal(size=(4, 3)), rng.uniform(size=(4, 2))


# --- a backward called from Python gets a real config ------------------------------------------------


@pytest.mark.parametrize("sweep", [False, True])
def test_a_backward_reading_config_gets_one_derived_from_the_network(sweep):
    """check_gradients(net, X, Y, gradients=fn) with no config= called fn(…, config=None): a backward
    reading config.cost or config.training.l2 (as the README says it may) raised AttributeError. It now
    gets a Config describing the network: layers, activations, cost, λ and dtype."""
    rng = np.random.default_rng(1)
    net = Network([3, 4, 2], activation="tanh", output_activation="sigmoid", cost="squared_error", seed=1, l2=0.5)
    X, Y = rng.normal(size=(4, 3)), rng.uniform(size=(4, 2))
    seen = {}

    def backward(weights, biases, X, Y, config):
        seen.update(cost=config.cost, l2=config.training.l2, layers=config.network.layers,
                    hidden=config.network.activation, out=config.network.resolved_output_activation,
                    dtype=config.training.dtype)
        assert config.cost == "squared_error"
        dw, db = net.gradients(X, Y)  # the λ w term included: the checked cost is the regularized one
        return dw, db

    report = (convergence_sweep if sweep else check_gradients)(net, X, Y, gradients=backward)
    assert report.status == "pass"
    assert seen == {"cost": "squared_error", "l2": 0.5, "layers": (3, 4, 2), "hidden": "tanh", "out": "sigmoid",
                    "dtype": "float64"}


# --- huge weights: the tool's words, not numpy's warnings -------------------------------------------


@pytest.mark.parametrize("hidden", ["relu", "tanh"])
@pytest.mark.parametrize("how", ["full", "fast", "sweep"])
def test_weights_of_1e308_raise_no_numpy_overflow_warning(hidden, how):
    """XOR 2-2-1 with weights ±1e308: the perturbed forward passes overflow, and numpy printed
    'RuntimeWarning: overflow encountered in matmul' on stderr (gradcheck.py's own lines) before the
    report. The overflow is the check's to word (steps grown, unresolved entries); numpy stays quiet."""
    net = Network([2, 2, 1], activation=hidden, output_activation="sigmoid", cost="squared_error", seed=0)
    net.weights = [np.array([[1e308, -1e308], [-1e308, 1e308]]), np.array([[1e308, 1e308]])]
    net.biases = [np.zeros(2), np.zeros(1)]
    X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    Y = np.array([[0.0], [1.0], [1.0], [0.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # any RuntimeWarning fails the test
        report = (convergence_sweep(net, X, Y) if how == "sweep" else check_gradients(net, X, Y, mode=how, rng=0))
    assert report.status in ("pass", "inconclusive")


def test_a_correct_backprop_never_fails_on_large_cancelling_weights():
    """XOR 2-2-1 whose two hidden units are equal and whose output weights are ±s: z^(2) sums terms of
    ~s² that cancel, rounded to ~u·s². With s = 1e10 or 1e20 every hidden activation got FAIL somewhere
    (a linear or σ output; 62 of 576 such checks with zero biases, 1e5 included), though backprop is
    correct: the forward pass's rounding of those terms made the quotients agree, off a. Now no scale
    (1, 1e5, 1e10, 1e20) and no activation fails it: pass, or unresolved (inconclusive)."""
    X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    Y = np.array([[0.0], [1.0], [1.0], [0.0]])
    failed = []
    for act in ("sigmoid", "tanh", "relu", "leaky_relu", "elu", "softplus", "silu", "linear"):
        for out, cost in (("sigmoid", "cross_entropy"), ("linear", "squared_error")):
            for s in (1.0, 1e5, 1e10, 1e20):
                net = Network([2, 2, 1], act, output_activation=out, cost=cost)
                net.weights = [np.full((2, 2), s), np.array([[s, -s]])]
                net.biases = [np.array([0.1, -0.2]), np.array([0.05])]
                report = check_gradients(net, X, Y)
                if report.status == "fail":
                    failed.append((act, out, s, [t.label for t in report.failing]))
    assert not failed, failed


@pytest.mark.parametrize("act, out, cost, w1", [
    ("relu", "linear", "squared_error", [[1.0, 1.0], [1.0, -1.0]]),
    ("relu", "linear", "squared_error", [[1.0, -1.0], [-1.0, 1.0]]),
    ("leaky_relu", "sigmoid", "cross_entropy", [[1.0, 1.0], [1.0, -1.0]])])
def test_a_kink_crossed_by_a_step_grown_to_move_theta_is_no_failure(act, out, cost, w1):
    """ReLU behind weights of 1e20, biases 0.1, −0.2, 0.05: w^(1) ± ε rounds back to w^(1), so its
    step is grown to 1e15, which flips a unit at z = −0.2; the one-sided difference at that step is as
    meaningless as the central one, but its failure stood, and backprop's correct w^(1) FAILED (exit 1).
    Unresolved (reason 'grown'), as a grown central difference is."""
    X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    Y = np.array([[0.0], [1.0], [1.0], [0.0]])
    net = Network([2, 2, 1], act, output_activation=out, cost=cost)
    net.weights = [1e20 * np.array(w1), np.array([[1e20, -1e20]] if w1[0][1] > 0 else [[1e20, 1e20]])]
    net.biases = [np.array([0.1, -0.2]), np.array([0.05])]
    report = check_gradients(net, X, Y)
    assert report.status == "inconclusive", [(t.label, t.status) for t in report.tensors]
    w = report.tensors[0]
    assert w.label == "w^(1)" and w.status == "inconclusive" and set(w.unresolved_reasons) == {"grown"}, w


def test_convergence_of_a_gradient_off_by_5e_4_says_the_error_floors_not_first_order():
    """A backward returning 0.9995 × the gradient: truncation at ε = 1e-1 partly offsets that error, so the ratio
    falls from 1e-1 to 1e-2 and then stays at ~2.5e-4 down to 1e-8. The verdict said 'the error falls only as
    ε^0.6 … first order, as when steps cross a kink', a muddle; it now says the error stops falling, a floor,
    and that the gradient is wrong by about 5e-4 relative."""
    from backprop_cli.config import load_config
    from pathlib import Path

    net = Network.from_config(load_config(Path(__file__).resolve().parents[1] / "configs" / "xor.yaml"))
    X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    Y = np.array([[0.0], [1.0], [1.0], [0.0]])
    dw, db = net.gradients(X, Y)
    sweep = convergence_sweep(net, X, Y, gradients=lambda w, b, X_, Y_, c: ([0.9995 * d for d in dw],
                                                                            [0.9995 * d for d in db]))
    assert sweep.status == "fail", sweep.verdict
    assert "stops falling" in sweep.verdict and "off by about 5e-04 relative" in sweep.verdict, sweep.verdict
    assert "first order, as when" not in sweep.verdict, sweep.verdict
    assert "off by about 5e-04 relative in all 13 checked entries" in sweep.verdict, sweep.verdict
    correct = convergence_sweep(net, X, Y)  # a correct gradient still falls as ε² to rounding: no floor
    assert correct.passed and "stops falling" not in correct.verdict, correct.verdict


@pytest.mark.parametrize("layer, factor, size", [(0, 0.995, "5e-03"), (1, 0.999, "1e-03")])
def test_convergence_floor_of_one_wrong_entry_says_its_error_and_names_it_not_the_median(layer, factor, size):
    """A backward right but for w^(l)[0,0] × 0.995 (or × 0.999): the table's max rel error reads 5.000e-03 (1e-3) at
    every ε from 1e-3 down, but the floor verdict said 'median relative error 8.4e-08 … off by about 8e-08
    relative', the 12 right entries' median. It now says the wrong entry's error, and which entry it is;
    and a ratio the same at every ε of the floor (to the digits shown) 'stays at', not 'between' it and itself."""
    from backprop_cli.config import load_config
    from pathlib import Path

    net = Network.from_config(load_config(Path(__file__).resolve().parents[1] / "configs" / "xor.yaml"))
    X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    Y = np.array([[0.0], [1.0], [1.0], [0.0]])
    dw, db = net.gradients(X, Y)
    wrong = [d.copy() for d in dw]
    wrong[layer][0, 0] *= factor
    sweep = convergence_sweep(net, X, Y, gradients=lambda w, b, X_, Y_, c: (wrong, db))
    assert sweep.status == "fail" and "stops falling" in sweep.verdict, sweep.verdict
    assert f"off by about {size} relative at w^({layer + 1})[0,0] (the other 12 checked entries agree" in sweep.verdict, \
        sweep.verdict
    assert "median" not in sweep.verdict and "e-08 relative" not in sweep.verdict, sweep.verdict
    import re

    same = re.search(r"stays between (\S+) and (\S+) from", sweep.verdict)
    assert same is None or same.group(1) != same.group(2), sweep.verdict
    if layer == 0:  # 1.019e-04 from ε = 1e-3 to 1e-8
        assert "the global ratio stays at 1.019e-04 from ε = 1e-03 to 1e-08" in sweep.verdict, sweep.verdict


@pytest.mark.parametrize("scaled, said", [
    ({(0, 0, 0): 0.99, (0, 1, 1): 0.995, (1, 0, 0): 0.993, (2, 0, None): 0.991},
     "off by about 1e-02 relative in 4 of 13 checked entries, the worst w^(1)[0,0]"),
    ({(1, 0, 0): 0.995}, "off by about 5e-03 relative at w^(2)[0,0] (the other 12 checked entries agree")], ids=["four", "one"])
def test_convergence_that_levels_off_names_the_wrong_entries_and_their_size_as_a_floor_does(scaled, said):
    """A backward right but for four entries × 0.99–0.995 (or w^(2)[0,0] × 0.995 alone): the ratio levels off
    (slope 0.1) and the verdict said only 'the error levels off at 1.331e-03 (slope 0.1)', naming no entry and
    no size, where a floor's verdict names them. It now says how far off and where, in the floor's words."""
    from backprop_cli.config import load_config
    from pathlib import Path

    net = Network.from_config(load_config(Path(__file__).resolve().parents[1] / "configs" / "xor.yaml"))
    X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    Y = np.array([[0.0], [1.0], [1.0], [0.0]])
    dw, db = net.gradients(X, Y)
    wrong = [d.copy() for d in dw] + [d.copy() for d in db]  # w^(1), w^(2), b^(1), b^(2)
    for (t, j, k), factor in scaled.items():
        wrong[t][(j,) if k is None else (j, k)] *= factor
    sweep = convergence_sweep(net, X, Y, gradients=lambda w, b, X_, Y_, c: (wrong[:2], wrong[2:]))
    assert sweep.status == "fail" and "levels off" in sweep.verdict, sweep.verdict
    assert said in sweep.verdict, sweep.verdict


@pytest.mark.parametrize("factor", [1.01, 0.99])
def test_convergence_that_levels_off_at_its_smallest_eps_still_says_the_size_and_the_entry(factor):
    """w^(1)[0,0] × 1.01 on XOR 2-3-1: the ratio levels off at 2.038e-04 from ε = 1e-2 to 1e-8 (slope 0.0), smallest
    by its last digits at 1e-8, with no ε below it to make a floor of: the verdict said only 'the error levels off at
    2.038e-04 (slope 0.0) … wrong', where × 0.99 (smallest at 1e-3, slope 0.4) said 'off by about 1e-02 relative at
    w^(1)[0,0] (the other 12 checked entries agree …)'. README: an error that levels off is said with the same size
    and names; both now are."""
    from backprop_cli.config import load_config
    from pathlib import Path

    net = Network.from_config(load_config(Path(__file__).resolve().parents[1] / "configs" / "xor.yaml"))
    X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    Y = np.array([[0.0], [1.0], [1.0], [0.0]])
    dw, db = net.gradients(X, Y)
    wrong = [d.copy() for d in dw]
    wrong[0][0, 0] *= factor
    sweep = convergence_sweep(net, X, Y, gradients=lambda w, b, X_, Y_, c: (wrong, db))
    assert sweep.status == "fail" and "levels off at 2.038e-04" in sweep.verdict, sweep.verdict
    assert "off by about 1e-02 relative at w^(1)[0,0] (the other 12 checked entries agree" in sweep.verdict, \
        sweep.verdict


def _huge_cost_net(x2: float = 1e-6) -> tuple[Network, np.ndarray, np.ndarray]:
    """A 2-1 linear net, x = (1, x2), y = 1e6: C = (a − y)² ≈ 1e12, whose ulp (1.2e-4) is larger than what a
    step of ε = 1e-5 moves it by along w_01 (∂C/∂w_01 = 2(a − y)·x2 = −2): C(θ + ε) = C(θ − ε), a quotient of 0."""
    net = Network([2, 1], activation="linear", output_activation="linear", cost="squared_error", seed=0)
    net.weights = [np.array([[0.5, 0.5]])]
    net.biases = [np.array([0.0])]
    return net, np.array([[1.0, x2]]), np.array([[1e6]])


def _zeroed_backward(*entries: tuple[int, ...]):
    """The network's own gradient with the w^(1) entries ``entries`` left at 0 (all of w^(1) for none)."""
    def backward(weights, biases, X, Y, config):
        net, _, _ = _huge_cost_net()
        dw, db = net.gradients(X, Y)
        for idx in entries or (np.s_[:],):
            dw[0][idx] = 0.0
        return dw, db
    return backward


def test_a_gradient_left_at_0_does_not_pass_on_a_cost_the_step_does_not_move():
    """A backward that leaves ∂C/∂w_01 (−2) at 0 PASSED: at ε the cost of 1e12 did not move at all, so the numeric
    value was exactly 0 too. Such a 0 is no evidence: the entry is judged at the larger steps that move the cost
    (full, sample, the sweep), and fails; a correct backward is not made to fail by it."""
    net, X, Y = _huge_cost_net()
    for mode in ("full", "sample"):
        report = check_gradients(net, X, Y, gradients=_zeroed_backward((0, 1)), mode=mode, rng=0)
        assert report.status == "fail", (mode, [(t.label, t.status) for t in report.tensors])
        (bad,) = tensor(report, "w^(1)").failures
        assert bad.index == (0, 1) and bad.analytic == 0.0 and abs(bad.numeric + 2.0) < 0.1, bad
        assert check_gradients(net, X, Y, mode=mode, rng=0).status != "fail"
    sweep = convergence_sweep(net, X, Y, gradients=_zeroed_backward((0, 1)))
    assert sweep.status == "fail" and sweep.wrong_entries == {"w^(1)": 1}, sweep.verdict
    assert convergence_sweep(net, X, Y).status != "fail"  # inconclusive, as the plain check: see the next test


@pytest.mark.parametrize("x2, gradient", [(1e-6, -2.0), (0.0, 0.0)])
def test_a_sweep_does_not_call_correct_an_entry_no_eps_resolves(x2, gradient):
    """A correct backprop on the 2-1 linear net of a cost of 1e12: ∂C/∂w_01 (−2, or 0 with x2 = 0) is blurred by
    the costs' rounding (~2e-2 at ε = 1e-1, more below) at every ε, or not moved at all. The plain check marks it
    unresolved (exit 3); the sweep said 'PASS … the gradient is correct' on the other two entries. It is now
    inconclusive, naming the entry and why, and a gradient that is wrong there still fails."""
    net, X, Y = _huge_cost_net(x2)
    dw, db = net.gradients(X, Y)
    assert dw[0][0, 1] == pytest.approx(gradient, abs=1e-3)
    sweep = convergence_sweep(net, X, Y)
    assert sweep.status == "inconclusive" and not sweep.passed, sweep.verdict
    assert sweep.unresolved_entries == {"w^(1)": 1} and sweep.wrong_entries == {}, sweep
    assert "1 checked entry of 3 (w^(1)[0,1]) cannot be judged at any ε" in sweep.verdict, sweep.verdict
    assert "this sweep cannot say the gradient is correct (or wrong)" in sweep.verdict, sweep.verdict
    assert sweep.verdict.count("correct") == 1, sweep.verdict  # not the passing verdict's 'the gradient is correct'
    assert check_gradients(net, X, Y).status == "inconclusive"
    wrong = convergence_sweep(net, X, Y, gradients=returning(dw, db, lambda w, b: w[0].__imul__(2.0)))
    assert wrong.status == "fail", wrong.verdict


def test_a_random_direction_left_at_0_does_not_pass_on_a_cost_the_step_does_not_move():
    """Fast mode: all of w^(1) left at 0 (true −2, −2), so vᵀ∇C = 0, and the cost of 1e12 does not move along v at
    ε: the direction passed. It is judged at the steps that move the cost, and the tensor fails."""
    net, X, Y = _huge_cost_net(1e-6)
    X[0, 0] = 1e-6
    report = check_gradients(net, X, Y, gradients=_zeroed_backward(), mode="fast", rng=0)
    w1 = tensor(report, "w^(1)")
    assert report.status == "fail" and w1.status == "fail", [(t.label, t.status) for t in report.tensors]
    assert w1.directional is not None and w1.directional.analytic == 0.0 and w1.directional.status == "fail"
    assert check_gradients(net, X, Y, mode="fast", rng=0).status != "fail"


def test_an_entry_that_matches_0_only_because_the_cost_does_not_move_is_said_so():
    """A correct 0 on a cost of 1e12 that no step moves is unresolved, and its note says it matched its quotient
    only because the cost did not move at ε, not that it failed there."""
    net, X, Y = _huge_cost_net()
    net.weights = [np.array([[0.5, 0.5]])]
    X = np.array([[1.0, 0.0]])  # ∂C/∂w_01 = 0 exactly, and no step moves the cost along it
    report = check_gradients(net, X, Y)
    w1 = tensor(report, "w^(1)")
    assert w1.status == "inconclusive" and report.status == "inconclusive", [(t.label, t.status) for t in report.tensors]
    (note,) = w1.diagnosis
    assert note.startswith("1 entry matches its quotient at ε only because the cost does not move there"), note
    assert "fails at ε" not in note


def test_one_bias_entry_off_is_local_to_that_entry_as_a_weight_entry_is():
    """×1.01 on b^(1)[0] of three biases was "no simple pattern" where the same on one weight was "a bug local to
    this entry": a single failing bias entry among agreeing ones is named local too."""
    net = Network([2, 3, 2], activation="tanh", output_activation="sigmoid", seed=0)
    rng = np.random.default_rng(0)
    X, Y = rng.normal(size=(4, 2)), rng.uniform(size=(4, 2))
    for l, m in ((1, 3), (2, 2)):
        def backward(weights, biases, X_, Y_, config, l=l):
            dw, db = net.gradients(X_, Y_)
            db[l - 1][m - 1] *= 1.01
            return dw, db
        b = tensor(check_gradients(net, X, Y, gradients=backward), f"b^({l})")
        assert b.status == "fail" and b.diagnosis[0].startswith(
            f"only 1 of {m} checked entries fails (b^({l})[{m - 1}], analytic/numeric = 1.01); the other"), b.diagnosis
        assert "a bug local to this entry" in b.diagnosis[0] and "no simple pattern" not in " ".join(b.diagnosis)


def test_a_gradient_averaged_over_2_output_units_names_both_readings_of_its_factor():
    """With 2 output units, PyTorch's MSELoss()-style ×1/n_L is ×½, the factor 2 of squared_error's ∂C/∂a missing
    too: the diagnosis said only the latter. Both are named."""
    net = Network([3, 4, 2], activation="tanh", output_activation="linear", cost="squared_error", seed=0)
    rng = np.random.default_rng(1)
    X, Y = rng.normal(size=(5, 3)), rng.normal(size=(5, 2))

    def averaged(weights, biases, X_, Y_, config):
        dw, db = net.gradients(X_, Y_)
        return [d / 2 for d in dw], [d / 2 for d in db]

    report = check_gradients(net, X, Y, gradients=averaged)
    for t in report.tensors:
        first = t.diagnosis[0]
        assert first.startswith("×½") and "a factor 2 missing — for squared_error ∂C/∂a = 2(a − y)" in first, first
        assert "×1/n_L" in first and "MSELoss()" in first, first


def _offbyone_case() -> tuple[Network, np.ndarray, np.ndarray]:
    """5-4-2-4-6 tanh/sigmoid, weights ~0.05 (σ' near 1 everywhere, so slips of σ' move values little), L2 0.1."""
    net = Network([5, 4, 2, 4, 6], activation="tanh", output_activation="sigmoid", cost="half_squared_error",
                  l2=0.1, seed=0)
    rng = np.random.default_rng(0)
    net.weights = [0.05 * rng.normal(size=w.shape) for w in net.weights]
    net.biases = [0.03 * rng.normal(size=b.shape) for b in net.biases]
    return net, rng.normal(size=(6, 5)), rng.uniform(size=(6, 6))


def _hand_back(net: Network, X: np.ndarray, Y: np.ndarray, before_w_at: int = 0, omit_prime_at: int = 0):
    """BP1-BP4 by hand, with σ'(z^(l)) applied before w^(l) at the hand-back from layer ``before_w_at`` alone, or
    σ' left out of δ^(``omit_prime_at``)."""
    c = net.forward(X)
    delta = net.output_error(c, Y) / X.shape[0]
    dw, db = [None] * net.L, [None] * net.L
    for l in range(net.L, 0, -1):
        dw[l - 1] = delta.T @ c.a[l - 1] + net.l2 * net.weights[l - 1]
        db[l - 1] = delta.sum(axis=0)
        if l > 1:
            W = net.weights[l - 1]
            if l == before_w_at:
                delta = (delta * net.activations[l - 1].prime(c.z[l], c.a[l])) @ W
            else:
                delta = delta @ W
                if l - 1 != omit_prime_at:
                    delta = delta * net.activations[l - 2].prime(c.z[l - 1], c.a[l - 1])
    return dw, db


def test_a_sigma_prime_slip_at_one_hand_back_is_named_and_a_near_miss_is_not_said_to_match():
    """δ^(1) = (δ^(2) ⊙ σ'(z^(2))) W^(2) at that one hand-back was said to 'match σ'(z^(1)) left out of δ^(1)', which
    differs from it by ~5e-5 relative (above rtol), and the slip itself was ruled out as if made at every layer. The
    one-hand-back slip is a candidate of its own and named, in w^(1) and b^(1) alike; a candidate that comes only
    within 10·rtol is said to come close, by how much, not to match."""
    net, X, Y = _offbyone_case()
    report = check_gradients(net, X, Y, gradients=lambda w, b, X_, Y_, c: _hand_back(net, X_, Y_, before_w_at=2))
    assert failing(report) == {"w^(1)", "b^(1)"}, failing(report)
    for name in ("w^(1)", "b^(1)"):
        said = " ".join(tensor(report, name).diagnosis)
        assert said.startswith("the analytic values match backprop with σ'(z^(2)), of layer 2 handing the error "
                               "back, where σ'(z^(1)), of layer 1 it is handed to, belongs, at that hand-back alone"), said
        assert "match backprop with σ'(z^(1)) left out" not in said, said

    def near(w, b, X_, Y_, c):  # σ' left out of δ^(1), off by 5e-5 relative: within 10·rtol of it, not rtol
        dw, db = _hand_back(net, X_, Y_, omit_prime_at=1)
        return [d * (1 + 5e-5) if i == 0 else d for i, d in enumerate(dw)], db
    w1 = tensor(check_gradients(net, X, Y, gradients=near), "w^(1)")
    assert w1.status == "fail"
    assert w1.diagnosis[0].startswith("the analytic values come close to (within 5.0e-05 relative, above rtol) "
                                      "backprop with σ'(z^(1)) left out of δ^(1)"), w1.diagnosis


def test_sigma_prime_as_z_times_1_minus_z_in_the_hidden_layer_alone_is_recognised():
    """README names σ'(z) computed as z(1 − z) among the mistakes recognised; written in xor's hidden layer alone
    (its output's σ' right) w^(1) and b^(1) got 'no simple pattern'. The one-layer slip is a candidate and named."""
    net = Network([2, 3, 1], activation="sigmoid", output_activation="sigmoid", cost="squared_error", seed=0)
    X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], float)
    Y = np.array([[0], [1], [1], [0]], float)

    def hidden_z_form(weights, biases, X_, Y_, config):
        c = net.forward(X_)
        delta = net.output_error(c, Y_) / X_.shape[0]
        dw, db = [delta.T @ c.a[1]], [delta.sum(axis=0)]
        delta = (delta @ net.weights[1]) * c.z[1] * (1 - c.z[1])
        return [delta.T @ c.a[0]] + dw, [delta.sum(axis=0)] + db

    report = check_gradients(net, X, Y, gradients=hidden_z_form)
    assert failing(report) == {"w^(1)", "b^(1)"}
    for name in ("w^(1)", "b^(1)"):
        (said,) = tensor(report, name).diagnosis
        assert said.startswith("the analytic values match backprop with σ'(z) computed as z(1 − z)"), said
        assert said.endswith("(in δ^(1) alone, layer 1's)"), said


def _dead_unit_case(seed: int) -> tuple[Network, np.ndarray, np.ndarray]:
    """A random relu net whose hidden unit 0 is dead (its weights 0, its bias −1) and whose last input is 0 in
    every example: gradients of exactly 0 in w^(1), b^(1) and w^(2); targets of 300 to 1000, a cost of ~1e4 to 1e6.
    The other units' z stay 0.1 or more from their kink (a unit dead by z = −0.001 leaves only steps below 1e-3,
    which cannot bound the slope below atol on such a cost: unresolved, rightly)."""
    r = np.random.default_rng(seed)
    sizes = [int(r.integers(2, 5)), int(r.integers(2, 6)), int(r.integers(1, 3))]
    net = Network(sizes, activation="relu", output_activation="linear",
                  cost=("squared_error", "half_squared_error")[seed % 2], seed=seed)
    while True:
        W = [r.standard_normal(w.shape) for w in net.weights]
        B = [r.standard_normal(b.shape) * 0.1 for b in net.biases]
        W[0][0], B[0][0] = 0.0, -1.0
        X = r.standard_normal((int(r.integers(2, 6)), sizes[0]))
        X[:, -1] = 0.0
        if np.abs(X @ W[0].T + B[0]).min() >= 0.1:
            break
    net.weights, net.biases = W, B
    return net, X, r.standard_normal((len(X), sizes[-1])) * 10 ** r.uniform(2.5, 3.0)


def test_correct_gradients_of_exactly_0_pass_on_costs_of_1e4_to_1e6():
    """Dead ReLU units and an input always 0 give a correct backprop gradients of exactly 0. On costs of 1e4 to
    1e6 the cost does not move at ε (its rounding is above atol there), so those 0s are judged at other steps:
    they went INCONCLUSIVE ('no step … can judge'), where the largest step bounds the slope below atol."""
    for seed in range(12):  # seeds 0 and 6 (C = 6e5, 1.5e6) went inconclusive
        net, X, Y = _dead_unit_case(seed)
        cost = net.cost(X, Y)
        assert 1e4 < cost < 3e6, (seed, cost)
        for mode in ("full", "fast")[: 1 + (seed % 3 == 0)]:
            report = check_gradients(net, X, Y, mode=mode, rng=seed)
            assert report.status == "pass", (seed, mode, cost, [(t.label, t.status, t.diagnosis) for t in report.tensors])


def test_a_0_no_step_can_settle_names_the_cost_and_what_makes_it_large():
    """A true 0 on a cost of 1e12 that no step moves is unresolved: its note said 'Try weights nearer 1' where
    the weights are 0.5 and the targets 1e6. It names the cost and the targets; where large weights make the
    cost (outputs of 1e6, targets of 1), the weights."""
    net, X, Y = _huge_cost_net()
    X = np.array([[1.0, 0.0]])  # ∂C/∂w_01 = 0 exactly
    (note,) = tensor(check_gradients(net, X, Y), "w^(1)").diagnosis
    assert ("the cost, C = 1e+12, is so large that this stays above the tolerance even at the largest step, "
            "h = ε·1e4 = 0.1 (~2e-03). Try smaller targets (rescale the target column(s) in the data, whose values "
            "reach 1e+06") in note, note
    assert "weights nearer 1" not in note, note
    net.weights = [np.array([[1e6, 0.5]])]
    (note,) = tensor(check_gradients(net, X, np.array([[1.0]])), "w^(1)").diagnosis
    assert "the cost, C = 1e+12, is so large" in note and note.endswith("Try weights nearer 1 (a fresh init, "
                                                                        "standardized inputs)"), note


def test_the_verdict_panel_tells_an_entry_that_matched_at_eps_on_an_unmoved_cost_from_one_that_failed_there():
    """'1 entry failed at ε because ε is too large or too small for it: re-judged …' was said of an entry that
    matched at ε (analytic 0 = numeric 0) only because the cost of 1e12 did not move there: it is counted
    and said apart."""
    net, X, Y = _huge_cost_net()
    report = check_gradients(net, X, Y, gradients=_zeroed_backward((0, 1)))
    assert report.n_stepped == 1 and report.n_unmoved == 1 and tensor(report, "w^(1)").n_unmoved == 1
    console = Console(file=io.StringIO(), width=200, color_system=None)
    render_gradcheck(console, report, "your backward")
    text = " ".join(line.strip("│ ") for line in console.file.getvalue().splitlines())
    assert ("1 entry matched at ε only because the cost did not move there (its rounding, ~u·|C|/ε, is above the "
            "tolerance): judged at the step from ε·1e-6 to ε·1e4 where the cost moves or its rounding bounds the "
            "slope within the tolerance") in text, text
    assert "failed at ε because" not in text, text
    from backprop_cli.render.gradcheck import to_json  # --json tells them apart too (it had n_stepped alone)

    data = to_json(report)
    w1 = next(t for t in data["tensors"] if t["name"] == "w^(1)")
    assert (data["n_stepped"], data["n_unmoved"], w1["n_unmoved"]) == (1, 1, 1), data
    # an entry that is wrong (×0.5), failing at ε and again where it is re-judged, was said to have failed
    # "because ε is too large or too small for it": the sentence no longer gives ε as the cause
    def halved(weights, biases, X_, Y_, config):
        dw, db = net.gradients(X_, Y_)
        dw[0][0, 0] *= 0.5
        return dw, db

    wrong = check_gradients(net, X, Y, gradients=halved)
    console = Console(file=io.StringIO(), width=200, color_system=None)
    render_gradcheck(console, wrong, "your backward")
    text = " ".join(line.strip("│ ") for line in console.file.getvalue().splitlines())
    assert wrong.status == "fail" and "because ε is too large or too small" not in text, text
    if wrong.n_stepped > wrong.n_unmoved:
        assert "one that fails there too is wrong" in text, text


def test_a_failing_analytic_0_is_said_against_its_numeric_value_not_as_a_ratio_of_minus_0():
    """'only 1 of 2 checked entries fails (w^(1)[0,1], analytic/numeric = -0)': a ratio of 0 says no more than
    'left at 0', and its sign is the numeric value's. It says the two values."""
    net, X, Y = _huge_cost_net()
    report = check_gradients(net, X, Y, gradients=_zeroed_backward((0, 1)))
    note = tensor(report, "w^(1)").diagnosis[0]
    assert "(w^(1)[0,1], analytic 0 where numeric is -2.003); the other agrees" in note, note
    assert "-0" not in note and "analytic/numeric" not in note, note
    assert _ratio_span(np.array([0.0, 0.0]), np.array([-2.0, 3.0])) == "; analytic 0 where numeric ranges -2 … 3"
    assert _ratio_span(np.array([0.0, 2.0]), np.array([-2.0, 1.0])) == "; analytic/numeric ranges 0 … 2"


def test_a_backward_of_the_wrong_kind_is_told_why_in_one_line(tmp_path):
    """A backward named exactly that takes config as keyword-only was told only 'must accept (weights,
    biases, X, Y, config)', which its signature seems to; an async def was called, its coroutine
    refused as 'returned coroutine', and Python then warned on two more lines that it was never
    awaited. Each is told why when it is loaded, before any call."""
    path = tmp_path / "kinds.py"
    path.write_text("def keyword(weights, biases, X, Y, *, config):\n    return None\n\n"
                    "async def backward(weights, biases, X, Y, config):\n    return None\n")
    with pytest.raises(ConfigError) as info:
        load_user_backward(f"{path}:keyword")
    assert info.value.message.endswith("keyword(weights, biases, X, Y, *, config) must accept (weights, biases, X, "
                                       "Y, config): it takes config as keyword-only")
    with pytest.raises(ConfigError) as info:
        load_user_backward(f"{path}:backward")
    assert info.value.message == (f"backward: {path}:backward is an async def: gradcheck calls it and needs (dw, db) "
                                  "back, not a coroutine; make it a plain def")
    with pytest.raises(ConfigError) as info:  # a name near it: offered, with why it cannot be one
        load_user_backward(f"{path}:backwards")
    assert "(did you mean backward? it is an async def;" in info.value.message


def test_a_plain_def_wrapping_an_async_def_is_loaded_and_a_wrapper_loop_does_not_crash(tmp_path):
    """A functools.wraps wrapper that runs an async def (asyncio.run) is a plain def: it was refused as an
    async def, its __wrapped__ followed. A function whose __wrapped__ is itself ended in 'ValueError: wrapper
    loop' at loading; it loads (no line number to give). A partial of an async def is still one."""
    path = tmp_path / "wrapped.py"
    path.write_text("import asyncio, functools\n\n"
                    "async def _backward(weights, biases, X, Y, config):\n    return weights, biases\n\n"
                    "def run(f):\n    @functools.wraps(f)\n    def ran(*a):\n        return asyncio.run(f(*a))\n"
                    "    return ran\n\n"
                    "backward = run(_backward)\n\n"
                    "def looped(weights, biases, X, Y, config):\n    return weights, biases\n\n"
                    "looped.__wrapped__ = looped\n\n"
                    "async def _six(extra, weights, biases, X, Y, config):\n    return weights, biases\n\n"
                    "half = functools.partial(_six, None)\n")
    assert load_user_backward(f"{path}:backward").fn(1, 2, 3, 4, 5) == (1, 2)
    assert load_user_backward(f"{path}:looped").fn(1, 2, 3, 4, 5) == (1, 2)
    with pytest.raises(ConfigError) as info:
        load_user_backward(f"{path}:half")
    assert info.value.message.endswith(":half is an async def: gradcheck calls it and needs (dw, db) back, not a "
                                       "coroutine; make it a plain def")
    assert getattr(info.value, "line", None) is None


def test_a_wrong_bias_gradient_on_an_unstandardized_regression_is_failed_not_read_as_fitted():
    """The fitted-network rule (cannot judge within the rounding of a^(L)) opened on the terms of z^(L): a
    linear regression on a Unix time (x ≈ 1.7e9, w = 10, b = −1.7e10, outputs 0 to 100, residuals of 1)
    looked fitted, and a b^(L) × 2 or × 1.1 was 'inconclusive' where it had failed. The rule reads the
    outputs themselves; the correct gradient passes."""
    r = np.random.default_rng(0)
    net = Network([1, 1], activation="linear", output_activation="linear", seed=0)
    X = 1.7e9 + r.uniform(0, 10, size=(8, 1))
    net.weights[0][:] = 10.0
    net.biases[0][:] = -10.0 * 1.7e9
    Y = np.asarray(net.predict(X), float) + r.normal(size=(8, 1))
    dw, db = net.gradients(X, Y)
    assert check_gradients(net, X, Y).status == "pass"
    for factor in (2.0, 1.1):
        wrong = check_gradients(net, X, Y, gradients=lambda *a, f=factor: ([dw[0].copy()], [db[0] * f]))
        assert wrong.status == "fail", (factor, wrong.status)


def test_a_wrapper_that_returns_an_async_defs_coroutine_is_one_line_without_pythons_warning(sig_net, tmp_path):
    """A plain functools.wraps decorator around an async def loads (it cannot be told from one that runs
    it with asyncio.run), and its call returns a coroutine: refused with what to do, the coroutine closed,
    where Python added 'coroutine … was never awaited' on two more lines at exit."""
    net, X, Y = sig_net
    path = tmp_path / "deco.py"
    path.write_text("import functools\n\ndef logged(f):\n    @functools.wraps(f)\n    def wrapper(*a, **k):\n"
                    "        return f(*a, **k)\n    return wrapper\n\n@logged\n"
                    "async def backward(weights, biases, X, Y, config):\n    return weights, biases\n")
    with pytest.raises(ConfigError) as info:
        check_gradients(net, X, Y, gradients=load_user_backward(f"{path}:backward"))
    assert "returned a coroutine: it calls an async def without running it; run that with asyncio.run(…)" \
        in info.value.message
    made = []

    async def inner():
        return None

    def backward(weights, biases, X_, Y_, config):
        made.append(inner())
        return made[-1]

    with pytest.raises(ConfigError, match="returned a coroutine"):
        check_gradients(net, X, Y, gradients=backward)
    assert made and made[0].cr_frame is None  # closed: nothing left for Python to warn of at exit


def test_a_wrapped_async_generator_is_said_to_be_one_as_an_unwrapped_one_is(sig_net, tmp_path):
    """An async def that yields, behind a functools.wraps wrapper, loads (as a wrapped async def does) and
    was refused at its call as 'returned async_generator; expected a pair …', where unwrapped it is said to
    be an async def at loading: both say it is an async generator."""
    net, X, Y = sig_net
    path = tmp_path / "deco.py"
    path.write_text("import functools\n\ndef logged(f):\n    @functools.wraps(f)\n    def wrapper(*a, **k):\n"
                    "        return f(*a, **k)\n    return wrapper\n\n"
                    "async def agen(weights, biases, X, Y, config):\n    yield weights, biases\n\n"
                    "wrapped = logged(agen)\n")
    with pytest.raises(ConfigError) as info:
        check_gradients(net, X, Y, gradients=load_user_backward(f"{path}:wrapped"))
    assert info.value.message == (f"backward {path}:wrapped: returned an async generator: it calls an async def that "
                                  "yields (dw, db) instead of returning them; make it a plain def that returns "
                                  "them: return dw, db, not yield"), info.value.message
    with pytest.raises(ConfigError) as info:
        load_user_backward(f"{path}:agen")
    assert info.value.message == (f"backward: {path}:agen is an async def: gradcheck calls it and needs (dw, db) back, "
                                  "not an async generator (it yields); make it a plain def that returns them: "
                                  "return dw, db, not yield"), info.value.message


def test_a_backward_that_yields_its_pair_is_told_to_return_it(sig_net, tmp_path):
    """A plain def that yields (dw, db), wrapped or not, was refused as 'returned generator; expected a
    pair …', the bare type's name: it is said to yield where it should return."""
    net, X, Y = sig_net
    path = tmp_path / "gen.py"
    path.write_text("import functools\n\ndef logged(f):\n    @functools.wraps(f)\n    def wrapper(*a, **k):\n"
                    "        return f(*a, **k)\n    return wrapper\n\n"
                    "def gen(weights, biases, X, Y, config):\n    yield weights, biases\n\n"
                    "wrapped = logged(gen)\n"
                    "genexp = lambda weights, biases, X, Y, config: (w for w in weights)\n")
    for name in ("gen", "wrapped", "genexp"):
        with pytest.raises(ConfigError) as info:
            check_gradients(net, X, Y, gradients=load_user_backward(f"{path}:{name}"))
        assert info.value.message == (f"backward {path}:{name}: returned a generator (a def that yields, or a "
                                      "generator expression), not the pair (dw, db) of lists of arrays: return dw, "
                                      "db"), info.value.message


@pytest.mark.parametrize("seed", range(6))
def test_an_unstandardized_regression_fitted_exactly_does_not_fail_its_own_correct_gradient(seed):
    """The other side of the fitted-network rule's opening: the Unix-time regression (x ≈ 1.7e9, w = 10,
    b = −1.7e10) with targets the exact line, each rounded once, fits to within the rounding of z^(L)'s
    terms of 3.4e10 (residuals ~1e-6), far above 1e-8 of its outputs (up to 10). Read on the outputs
    alone it was not fitted, and backprop's own correct gradient failed ('almost surely a bug') in 9 of
    12 such draws; within the rounding of a^(L) nothing can be judged: never a fail, plain or swept."""
    r = np.random.default_rng(seed)
    net = Network([1, 1], activation="linear", output_activation="linear", seed=0)
    X = 1.7e9 + r.uniform(0, 1, size=(8, 1))
    net.weights[0][:] = 10.0
    net.biases[0][:] = -1.7e10
    Y = np.array([[float(Fraction(10) * Fraction(float(x)) - Fraction(17 * 10**9))] for x in X[:, 0]])
    assert 0 < np.abs(np.asarray(net.predict(X), float) - Y).max() < 1e-5  # fitted to the rounding, not exactly
    plain = check_gradients(net, X, Y)
    assert plain.status in ("pass", "inconclusive"), plain.status
    swept = convergence_sweep(net, X, Y)
    assert swept.status in ("pass", "inconclusive"), swept.status


@pytest.mark.parametrize("seed", range(3))
def test_an_unstandardized_regression_is_judged_within_backprops_own_rounding_at_every_residual(seed):
    """The Unix-time regression (x ≈ 1.7e9, w = 10, b = −1.7e10: z^(L) cancels terms of 3.4e10 to outputs
    of 0 to 10) rounds a^(L) to ~1e-5, so any float64 backprop's own value is off by that rounding carried
    to ∂C/∂θ, ~10% of a gradient at a residual of 1e-4, whatever its code. Its correct gradient FAILED
    ('almost surely a bug') at residuals of 1e-2 to 1, and at 1e-6 to 1e-3 before 89a3953, which then let
    planted bugs go 'inconclusive' there instead. A bound on that rounding per entry
    (``_Base.analytic_rounding``) judges both: the correct gradient never fails, plain or swept, and a
    b^(L) × 2 at a residual of 1e-4 fails (its 1e-4 is far above its bound of ~2e-5)."""
    for residual in (1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1.0):
        r = np.random.default_rng(seed)
        net = Network([1, 1], activation="linear", output_activation="linear", seed=0)
        X = 1.7e9 + r.uniform(0, 1, size=(8, 1))
        net.weights[0][:] = 10.0
        net.biases[0][:] = -1.7e10
        Y = np.asarray(net.predict(X), float) + residual * r.normal(size=(8, 1))
        plain = check_gradients(net, X, Y)
        assert plain.status in ("pass", "inconclusive"), (residual, plain.status)
        swept = convergence_sweep(net, X, Y)
        assert swept.status in ("pass", "inconclusive"), (residual, swept.status)
        if residual == 1e-4:
            dw, db = net.gradients(X, Y)
            wrong = check_gradients(net, X, Y, gradients=lambda *a, dw=dw, db=db: ([dw[0].copy()], [db[0] * 2.0]))
            assert wrong.status == "fail", wrong.status


def test_quotients_near_1_that_differ_as_much_as_they_stand_from_1_are_no_constant_ratio(sig_net):
    """A factor within 1e-3 of 1 is one ratio only where the quotients agree to their rounding (every entry ×
    1.0001: ×1.0001); quotients from 1.00005 to 1.00015 stay 'no simple pattern', with their range, and a
    factor on the one entry of b^(3) that no other tensor shares is no ratio of its own."""
    net, X, Y = sig_net
    report = check_gradients(net, X, Y, gradients=_backward_with(net, [(0, 0), (1, 0)], 1.0001))
    for label in ("w^(1)", "b^(1)"):
        assert tensor(report, label).diagnosis[0].startswith("constant ratio ×1.0001: analytic/numeric = 1.0001 on "
                                                             "all "), report
    # said to the digits that tell it from 1 (it read "×1: analytic/numeric = 1")
    report = check_gradients(net, X, Y, gradients=_backward_with(net, [(0, 0)], 1.000001), rtol=1e-8)
    assert tensor(report, "w^(1)").diagnosis[0].startswith("constant ratio ×1.000001: analytic/numeric = 1.000001 on "
                                                           "all "), report
    rng = np.random.default_rng(0)

    def spread(weights, biases, X_, Y_, config):
        dw, db = net.gradients(X_, Y_)
        return ([d * (1 + 1e-4 * rng.uniform(0.5, 1.5, d.shape)) for d in dw],
                [d * (1 + 1e-4 * rng.uniform(0.5, 1.5, d.shape)) for d in db])
    report = check_gradients(net, X, Y, gradients=spread)
    assert failing(report) == {t.label for t in report.tensors}, report
    for t in report.tensors:
        if t.label != "b^(3)":
            assert t.diagnosis[0].startswith("no simple pattern: all "), t
            assert "; analytic/numeric ranges 1.0000" in t.diagnosis[0] or "ranges 1.0001" in t.diagnosis[0], t
    one = Network([2, 3, 1], activation="sigmoid", cost="squared_error", seed=1)
    X1, Y1 = np.array([[0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]), np.array([[1.0], [1.0], [0.0]])
    report = check_gradients(one, X1, Y1, gradients=_backward_with(one, [(1, 1)], 1.0001))
    assert failing(report) == {"b^(2)"}, report
    assert tensor(report, "b^(2)").diagnosis[0] == ("no simple pattern: the 1 checked entry fails; analytic/numeric = "
                                                     "1.0001"), report


def test_a_few_entries_checked_one_by_one_are_not_said_to_show_a_bug_local_to_the_one_that_fails():
    """Fast mode checks one by one only the entries bisection locates, sample mode the ones it draws. 400 entries of
    w^(1) each off by 1e-6 (an error spread over the tensor), fast mode located and failed one of them and said 'only
    1 of 14 checked entries fails …; the others agree: a bug local to this entry'; its error made up 0.23% of the
    failing direction's. 40 of 400 × 1.01, sample mode drew one of them and said the same. Now the entries checked
    are said to be those checked one by one, and a bug is called local only where the failing entries make up the
    direction's error; one entry × 1.01 still is."""
    P = 400
    net, X, Y, dw, db, spread = _spread_over_400(1e-6)
    w1 = tensor(check_gradients(net, X, Y, gradients=spread, mode="fast", rng=5), "w^(1)")
    assert w1.status == "fail" and w1.n_failed == 1 and w1.n_checked < P, w1
    said = w1.diagnosis[0]
    assert said.startswith(f"only 1 of the {w1.n_checked} entries checked one by one fails (w^(1)[0,"), said
    assert (f"the other {w1.n_checked - 1} agree, but its share of the random direction's error (vᵀ∇C) is 0.23%: the "
            f"rest lies in the {P - w1.n_checked} entries not checked one by one, so the error may be spread over many "
            f"of them, not local to this entry; run --mode full on this tensor") in said, said
    assert "a bug local" not in " ".join(w1.diagnosis), w1.diagnosis

    many = returning(dw, db, lambda dw, db: dw[0][:, :40].__imul__(1.01))
    w1 = tensor(check_gradients(net, X, Y, gradients=many, mode="sample", rng=1), "w^(1)")
    assert w1.n_failed == 1 and w1.n_checked == 10, w1
    assert w1.diagnosis[0].startswith("only 1 of the 10 entries checked one by one fails (w^(1)[0,"), w1.diagnosis
    assert w1.diagnosis[0].endswith("analytic/numeric = 1.01); the other 9 agree, but 390 were not drawn: it "
                                    "may be a bug local to this entry (an index or a special case), or one shared by "
                                    "entries not checked; run --mode full on this tensor"), w1.diagnosis

    one = returning(dw, db, lambda dw, db: dw[0][:, 7:8].__imul__(1.01))
    w1 = tensor(check_gradients(net, X, Y, gradients=one, mode="fast", rng=0), "w^(1)")
    assert w1.diagnosis[0] == (f"only 1 of the {w1.n_checked} entries checked one by one fails (w^(1)[0,7], "
                               f"analytic/numeric = 1.01); the other {w1.n_checked - 1} agree, and its error makes up "
                               f"the random direction's (vᵀ∇C): a bug local to this entry (an index or a special "
                               f"case), not in the whole formula"), w1.diagnosis


def test_fast_mode_names_a_row_only_where_the_other_rows_are_cleared_not_where_its_few_located_entries_share_one():
    """Bisection follows the halves of v that carry the error down to runs of a row, so the failing entries it
    locates of an error spread over the whole tensor can all lie in one row. Noise of 1e-6 on every entry of an 8 × 16
    w^(1) (full mode: 104 of 128 fail, over many rows): fast mode located 13 failing entries, all in row 4, and said
    'every failing entry located is in row j = 4 … b^(1)[4] passes (checked one by one), so δ_4^(1) is right … look at
    BP4 for this row'; their share of the direction's error was 67%. With 1e-7 (32 of 128 failing) the 8 it located,
    all in row 5, made up 99% of it, but only as the errors of the halves it did not follow (73% of it taken one by
    one) cancelled. Now the row is named only where the other rows are cleared: by halves that pass on their own, or
    by the located entries' error making up the direction's with the other halves carrying no more than its
    tolerance. Row 4 × 1.7 is still named, with its factor and its passing bias."""
    net = Network([16, 8, 2], activation="sigmoid", output_activation="linear", cost="half_squared_error", seed=0)
    rng = np.random.default_rng(1)
    X, Y = rng.normal(size=(4, 16)), rng.normal(size=(4, 2))
    dw, db = net.gradients(X, Y)
    noise = np.random.default_rng(3).normal(size=(8, 16))

    spread = returning(dw, db, lambda dw, db: dw[0].__iadd__(1e-6 * noise))
    assert tensor(check_gradients(net, X, Y, gradients=spread), "w^(1)").n_failed == 104
    w1 = tensor(check_gradients(net, X, Y, gradients=spread, mode="fast", rng=16), "w^(1)")
    assert w1.status == "fail" and (w1.n_failed, w1.n_checked) == (13, 16), w1
    text = " ".join(w1.diagnosis)
    assert "is in row j" not in text and "look at BP4 for this row" not in text, text
    assert w1.diagnosis[0].startswith("13 of the 16 entries checked one by one fail, all in row j = 4 (the weights "
                                      "into unit 4 of layer 1); analytic/numeric ranges "), w1.diagnosis
    assert w1.diagnosis[0].endswith("; but their share of the random direction's error (vᵀ∇C) is 67%: the rest lies "
                                    "in the 112 entries not checked one by one, so the error may be spread over many "
                                    "of them, not confined to row j = 4; run --mode full on this tensor"), w1.diagnosis

    cancelling = returning(dw, db, lambda dw, db: dw[0].__iadd__(1e-7 * noise))
    w1 = tensor(check_gradients(net, X, Y, gradients=cancelling, mode="fast", rng=14), "w^(1)")
    assert w1.status == "fail" and (w1.n_failed, w1.n_checked) == (8, 12), w1
    assert "is in row j" not in " ".join(w1.diagnosis), w1.diagnosis
    assert w1.diagnosis[0].startswith("8 of the 12 entries checked one by one fail, all in row j = 5 "), w1.diagnosis
    assert w1.diagnosis[0].endswith("and their share of the random direction's error (vᵀ∇C) is 99%, but the halves of "
                                    "v bisection did not follow carry errors of their own, 73% of it taken one by one "
                                    "(beyond the direction's tolerance, 7.4% of it): some of the error lies in the 116 "
                                    "entries not checked one by one, so it may be spread over many of them, not "
                                    "confined to row j = 5; run --mode full on this tensor"), w1.diagnosis

    row = returning(dw, db, lambda dw, db: dw[0][4].__imul__(1.7))
    for seed in (14, 16):
        w1 = tensor(check_gradients(net, X, Y, gradients=row, mode="fast", rng=seed), "w^(1)")
        assert w1.diagnosis[0].startswith("every failing entry located is in row j = 4, the weights into unit 4 of "
                                          "layer 1, and all 16 share one ratio, analytic/numeric = 1.7: ×1.7 on this "
                                          "row alone (bisection's passing halves clear the other rows)"), w1.diagnosis
        assert "b^(1)[4] passes (checked one by one), so δ_4^(1) is right" in w1.diagnosis[0], w1.diagnosis


def test_fast_mode_names_a_row_too_long_to_clear_where_its_ratio_on_the_whole_row_gives_the_directions_error():
    """A row of w^(1) longer than bisection can follow (4 halves a level): row 1 of a 4 × 32 w^(1) × 1.7 failed the
    direction, bisection located 16 of its 32 entries, all × 1.7, and, following more halves than it may, cleared no
    other row; the box said 'constant ratio ×1.7: analytic/numeric = 1.7 on all 16 entries: a constant factor is
    missing or extra', a whole tensor's factor (so on 784-64-10, every row and seed tried). The reading is now weighed
    against the direction: row 1 × 1.7, the rest right, gives its error, Σ s_i (a_i − n_i) = (1 − 1/1.7) Σ_{row 1}
    s_i a_i, to the tolerance it was judged by, so the row is named. The whole w^(1) × 1.7 gives it no such match: a
    constant factor still."""
    net = Network([32, 4, 2], activation="sigmoid", output_activation="linear", cost="half_squared_error", seed=0)
    rng = np.random.default_rng(1)
    X, Y = rng.normal(size=(4, 32)), rng.normal(size=(4, 2))
    dw, db = net.gradients(X, Y)
    row = returning(dw, db, lambda dw, db: dw[0][1].__imul__(1.7))
    for seed in (0, 1):
        w1 = tensor(check_gradients(net, X, Y, gradients=row, mode="fast", rng=seed), "w^(1)")
        assert (w1.n_failed, w1.n_checked) == (16, 16), w1
        assert w1.diagnosis[0].startswith(
            "every failing entry located is in row j = 1, the weights into unit 1 of layer 1, and all 16 share one "
            "ratio, analytic/numeric = 1.7: ×1.7 on this row alone (×1.7 on every entry of this row gives the random "
            "direction's error (vᵀ∇C), to its tolerance: the other rows' error, if any, is within that tolerance), "
            "not a factor of the whole formula; b^(1)[1] passes (checked one by one), so δ_1^(1) is right"), w1.diagnosis
        assert "a constant factor is missing or extra" not in " ".join(w1.diagnosis), w1.diagnosis
    whole = returning(dw, db, lambda dw, db: dw[0].__imul__(1.7))
    w1 = tensor(check_gradients(net, X, Y, gradients=whole, mode="fast", rng=0), "w^(1)")
    assert w1.diagnosis[0] == ("constant ratio ×1.7: analytic/numeric = 1.7 on all 16 entries: a constant factor is "
                               "missing or extra"), w1.diagnosis


def test_a_share_just_under_100_percent_is_written_as_a_percentage():
    """A share of the direction's error from 99.5% up to 100% read '1e+02%' ('.2g' of 99.6)."""
    from backprop_cli.gradcheck import _percent

    assert [_percent(x) for x in (0.9949, 0.995, 0.996, 1.0, 1.4, 0.0023)] == ["99%", "100%", "100%", "100%", "140%",
                                                                                "0.23%"]


def test_fast_mode_reads_a_whole_tensors_factor_only_where_it_gives_the_directions_error():
    """Rows 1 and 2 of a 4 × 32 w^(1) × 1.7 failed the direction, and bisection located 16 entries of those rows, all
    × 1.7: the box said 'constant ratio ×1.7: analytic/numeric = 1.7 on all 16 entries: a constant factor is missing or
    extra', a whole tensor's factor read from 16 of its 128 entries (so on 784-64-10 and 64-32-10, every seed tried, and
    for half the rows × 1.5). ×1.7 on every entry gives the direction's error, (1 − 1/1.7) Σ s_i a_i, only where the
    whole tensor carries it: not here, and the box says what was found. Row 1 × 1.5 with one more entry off, or with
    1e-6 of noise on every entry, read the same whole tensor's factor from 16 entries of row 1, whose row reading gives
    the direction's error no better: neither is claimed now. The whole w^(1) × 1.7 stays a constant factor."""
    net = Network([32, 4, 2], activation="sigmoid", output_activation="linear", cost="half_squared_error", seed=0)
    rng = np.random.default_rng(1)
    X, Y = rng.normal(size=(4, 32)), rng.normal(size=(4, 2))
    dw, db = net.gradients(X, Y)
    rows = returning(dw, db, lambda dw, db: dw[0][1:3].__imul__(1.7))
    for seed in (0, 1):
        w1 = tensor(check_gradients(net, X, Y, gradients=rows, mode="fast", rng=seed), "w^(1)")
        assert (w1.n_failed, w1.n_checked) == (16, 16), w1
        assert w1.diagnosis[0] == (
            "all 16 entries checked one by one fail, in rows j = 1 and 2, and all 16 share one ratio, analytic/numeric "
            "= 1.7; but ×1.7 on the whole tensor does not give the random direction's error (vᵀ∇C), to its tolerance, "
            "so it is no factor of the whole formula: entries not checked one by one are off by other amounts, or not "
            "at all; run --mode full on this tensor"), w1.diagnosis
    noise = 1e-6 * np.random.default_rng(5).standard_normal(dw[0].shape)

    def row_and_entry(dw, db):
        dw[0][1] *= 1.5
        dw[0][3, 3] += 1e-3

    def row_and_noise(dw, db):
        dw[0] += noise
        dw[0][1] *= 1.5

    for wrong in (row_and_entry, row_and_noise):
        w1 = tensor(check_gradients(net, X, Y, gradients=returning(dw, db, wrong), mode="fast", rng=0), "w^(1)")
        assert w1.diagnosis[0] == (
            "all 16 entries checked one by one fail, all in row j = 1 (the weights into unit 1 of layer 1), and all 16 "
            "share one ratio, analytic/numeric = 1.5; but neither ×1.5 on this row alone nor ×1.5 on the whole tensor "
            "gives the random direction's error (vᵀ∇C), to its tolerance: more than one row, or entries not checked "
            "one by one, are off; run --mode full on this tensor"), (wrong.__name__, w1.diagnosis)
        assert "a constant factor is missing or extra" not in " ".join(w1.diagnosis), w1.diagnosis
    whole = returning(dw, db, lambda dw, db: dw[0].__imul__(1.7))
    w1 = tensor(check_gradients(net, X, Y, gradients=whole, mode="fast", rng=1), "w^(1)")
    assert w1.diagnosis[0] == ("constant ratio ×1.7: analytic/numeric = 1.7 on all 16 entries: a constant factor is "
                               "missing or extra"), w1.diagnosis


def test_fast_mode_reads_a_factor_of_the_whole_tensor_where_its_row_gives_the_directions_error_no_better():
    """A ReLU 32-4-2 net, the whole w^(1) × 1.0001: the direction failed (rng=4), bisection located 16 entries of row
    3, and row 3 × 1.0001, the rest right, gave the direction's error to its tolerance (the other rows' part of it 1.4%,
    the tolerance 10%), so the box said '×1.0001 on this row alone (…), not a factor of the whole formula'. ×1.0001 on
    every entry gives it too, to 2e-5 of that tolerance: the row is no better a reading, and the whole formula's factor
    is read, as full mode reads it. ×2 and ×1.7 on the same draw read so as before."""
    rng = np.random.default_rng(0)
    X, Y = rng.normal(size=(8, 32)), np.eye(2)[rng.integers(0, 2, 8)]
    net = Network([32, 4, 2], activation="relu", output_activation="sigmoid", cost="squared_error", seed=0)
    dw, db = net.gradients(X, Y)
    for factor, said in ((1.0001, ("constant ratio ×1.0001: analytic/numeric = 1.0001 on all 16 entries: a constant "
                                   "factor is missing or extra")),
                         (1.7, ("constant ratio ×1.7: analytic/numeric = 1.7 on all 16 entries: a constant factor is "
                                "missing or extra")),
                         (2.0, "×2: analytic/numeric = 2 on all 16 entries: a factor 2 too many in ∂C/∂w^(1) alone")):
        wrong = returning(dw, db, lambda dw, db, k=factor: dw[0].__imul__(k))
        w1 = tensor(check_gradients(net, X, Y, gradients=wrong, mode="fast", rng=4), "w^(1)")
        assert w1.diagnosis[0].startswith(said), (factor, w1.diagnosis)
        assert "row alone" not in " ".join(w1.diagnosis), (factor, w1.diagnosis)


def test_fast_mode_names_located_entries_that_make_up_the_error_with_a_ratio_the_whole_tensor_does_not_carry():
    """Half of a 32-entry b^(1) × 1.5 (64-32-10): bisection located the 16 wrong entries, all × 1.5, and their error
    makes up the direction's, the halves of v not followed carrying no more than its tolerance; the box said 'constant
    ratio ×1.5: … a constant factor is missing or extra'. ×1.5 on every entry does not give the direction's error: the
    factor is said to be these entries', not the whole formula's."""
    rng = np.random.default_rng(0)
    X, Y = rng.normal(size=(8, 64)), np.eye(10)[rng.integers(0, 10, 8)]
    net = Network([64, 32, 10], activation="sigmoid", output_activation="sigmoid", cost="squared_error", seed=0)
    dw, db = net.gradients(X, Y)
    half = returning(dw, db, lambda dw, db: db[0][:16].__imul__(1.5))
    b1 = tensor(check_gradients(net, X, Y, gradients=half, mode="fast", rng=0), "b^(1)")
    assert b1.diagnosis[0] == (
        "all 16 entries checked one by one fail, and all 16 share one ratio, analytic/numeric = 1.5; their error makes "
        "up the random direction's (vᵀ∇C), the halves of v not followed carrying no more than its tolerance: ×1.5 on "
        "these entries alone, not a factor of the whole formula (×1.5 on every entry would not give that error)"), \
        b1.diagnosis


class _TrackedTensor:
    """A stand-in for a torch tensor that requires grad: its __array__ raises RuntimeError, as torch's does."""

    requires_grad = True

    def __init__(self, values):
        self.values = values
        self.dtype = "fake.float64"

    def __array__(self, dtype=None, copy=None):
        raise RuntimeError("Can't call numpy() on Tensor that requires grad. Use tensor.detach().numpy() instead.")

    def detach(self):
        return self.values


class _HalfTensor(_TrackedTensor):
    """A stand-in for a torch bfloat16 tensor: numpy has no such type (torch raises TypeError)."""

    requires_grad = False

    def __init__(self, values):
        super().__init__(values)
        self.dtype = "fake.bfloat16"

    def __array__(self, dtype=None, copy=None):
        raise TypeError("Got unsupported ScalarType BFloat16")

    def float(self):
        return self.values


class _Raising:
    def __init__(self, values):
        self.values = values

    def __array__(self, dtype=None, copy=None):
        raise KeyError("no")


@pytest.mark.parametrize("wrap, said", [
    (_TrackedTensor, ("is a test_gradcheck._TrackedTensor of dtype fake.float64 that requires grad, which numpy "
                      "cannot read; call .detach() first (return d.detach(), or d.detach().numpy())")),
    (_HalfTensor, ("is a test_gradcheck._HalfTensor of dtype fake.bfloat16, which numpy cannot read (TypeError: "
                   "Got unsupported ScalarType BFloat16); convert it with .float()")),
    (_Raising, ("is not a numeric array: a test_gradcheck._Raising, which numpy cannot read as float64 "
                "(KeyError: 'no')")),
], ids=["requires_grad", "bfloat16", "raises"])
def test_a_backward_returning_an_array_numpy_cannot_read_is_refused_in_one_line(sig_net, wrap, said):
    """A torch tensor that requires grad ended in a traceback, 'RuntimeError: Can't call numpy() on
    Tensor that requires grad' (exit 1, no JSON); a bfloat16 one was 'not a numeric array'. Each is
    refused, naming what it is and the conversion that reads it."""
    net, X, Y = sig_net

    def backward(weights, biases, X_, Y_, config):
        dw, db = net.gradients(X_, Y_)
        return [wrap(d) for d in dw], db

    with pytest.raises(ConfigError) as info:
        check_gradients(net, X, Y, gradients=backward)
    assert info.value.message == f"backward backward: dw[0] (∂C/∂w^(1)) {said}"
