"""Tests of ``backprop_cli.explain`` and its renderers (``render/explain.py``).

The hand-worked networks assert values computed BY HAND (written out below as literals
with their arithmetic), never by calling the code under test. The registry sweep checks
that the product of the shown factors equals ``Network.gradients`` for every allowed
activation × cost pair.
"""

from __future__ import annotations

import dataclasses
import functools
import io
import itertools
import json
import math
import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console

from backprop_cli.activations import ACTIVATIONS, HIDDEN_ACTIVATIONS
from backprop_cli.costs import COSTS, check_pair
from backprop_cli.errors import ConfigError, DataError
from backprop_cli.explain import (
    LayerExplanation,
    count_multiplications,
    explain_all_layers,
    explain_layer,
    parse_layer,
)
from backprop_cli.network import Network
from backprop_cli.render.explain import render_rich, to_json, to_markdown

TIGHT = dict(rel=1e-12, abs=1e-15)


def _prod(factors) -> float:
    out = 1.0
    for f in factors:
        out *= f.value
    return out


# --------------------------------------------------------------------------------------
# Hand-worked networks
# --------------------------------------------------------------------------------------
@pytest.fixture
def net111() -> Network:
    """1-1-1 sigmoid, squared_error (seed 000): w^(1) = 0.5, b^(1) = 0, w^(2) = −1, b^(2) = 0.25."""
    net = Network([1, 1, 1], activation="sigmoid", cost="squared_error")
    net.weights = [np.array([[0.5]]), np.array([[-1.0]])]
    net.biases = [np.array([0.0]), np.array([0.25])]
    return net


# By hand, x = 1, y = 0:
#   z^(1) = 0.5·1 + 0 = 0.5;  a^(1) = σ(0.5) = 1/(1 + e^−0.5) = 0.6224593312018546
#   σ'(z^(1)) = a(1 − a) = 0.6224593312018546 · 0.3775406687981454 = 0.2350037122015945
#   z^(2) = −1·0.6224593312018546 + 0.25 = −0.3724593312018546
#   a^(2) = σ(−0.3724593312018546) = 0.40794689437972853
#   σ'(z^(2)) = 0.40794689437972853 · 0.5920531056202715 = 0.24152622574566315
#   ∂C0/∂a^(2) = 2(a − y) = 2 · 0.40794689437972853 = 0.8158937887594571
#   δ^(2) = 0.24152622574566315 · 0.8158937887594571 = 0.19705974740840104
#   ∂C0/∂w^(2) = a^(1) δ^(2) = 0.6224593312018546 · 0.19705974740840104 = 0.12266167857863972
#   ∂C0/∂a^(1) = w^(2) δ^(2) = −0.19705974740840104
#   δ^(1) = −0.19705974740840104 · 0.2350037122015945 = −0.046309772166482785 = ∂C0/∂w^(1) (x = 1)
A1, SP1 = 0.6224593312018546, 0.2350037122015945
A2, SP2, G2, D2 = 0.40794689437972853, 0.24152622574566315, 0.8158937887594571, 0.19705974740840104
DW2, GA1, D1 = 0.12266167857863972, -0.19705974740840104, -0.046309772166482785


def test_one_one_one_output_layer_by_hand(net111: Network) -> None:
    ex = explain_layer(net111, [1.0], [0.0], layer="L")
    assert ex.layer == 2 and ex.label == "L" and ex.is_output
    (w,) = ex.weight_products
    assert [f.value for f in w.factors] == pytest.approx([A1, SP2, G2], **TIGHT)
    assert [f.formula for f in w.factors] == ["a_0^(1)", "σ'(z_0^(2))", "2(a_0^(2) − y_0)"]
    assert w.value == pytest.approx(DW2, **TIGHT)
    assert w.check is not None and w.check.passed
    (b,) = ex.bias_products
    assert [f.value for f in b.factors] == pytest.approx([1.0, SP2, G2], **TIGHT)
    assert b.value == pytest.approx(D2, **TIGHT)
    (h,) = ex.hand_back
    assert h.value == pytest.approx(GA1, **TIGHT)
    assert [f.value for f in h.terms[0].factors] == pytest.approx([-1.0, SP2, G2], **TIGHT)
    row = ex.neurons[0]
    assert (row.z, row.a, row.sigma_prime, row.grad_a, row.delta, row.grad_b) == pytest.approx(
        (-0.3724593312018546, A2, SP2, G2, D2, D2), **TIGHT
    )
    assert ex.source.kind == "cost"
    assert "2(a_j − y_j)" in ex.source.notes[0] and "seed 000" in ex.source.notes[0]
    # seed 001: E_o = C'(ŷ)·σ'(Z_o), C'(W_o) = E_o · H
    assert ex.seed001.error == pytest.approx((D2,), **TIGHT)
    assert ex.seed001.weight_example.value == pytest.approx(DW2, **TIGHT)
    assert "E_o" in ex.seed001.equations[0].text


def test_one_one_one_hidden_layer_by_hand(net111: Network) -> None:
    ex = explain_layer(net111, np.array([[1.0]]), np.array([0.0]), layer="L-1")
    assert ex.layer == 1 and not ex.is_output
    (w,) = ex.weight_products
    # a^(0) = x = 1, σ'(z^(1)) = 0.2350037122015945, ∂C0/∂a^(1) = −0.19705974740840104 (from layer 2)
    assert [f.value for f in w.factors] == pytest.approx([1.0, SP1, GA1], **TIGHT)
    assert w.value == pytest.approx(D1, **TIGHT)
    assert ex.source.kind == "memoized"
    assert any("reused" in n and "memoization" in n for n in ex.source.notes)
    assert ex.hand_back == ()  # layer 1 hands nothing back (x is data)
    assert any("Layer 1 hands nothing back" in n for n in ex.notes)
    assert "E_h" in ex.seed001.equations[0].text and ex.seed001.upstream == pytest.approx((D2,))
    # W_2 is our w^(2); seed 001's own code (Z = XW) holds its transpose: said, as a learner porting it met
    assert any("W_2 is our w^(2) (1 × 1; seed 001's Z = XW stores its transpose)" in n for n in ex.seed001.notes)


@pytest.fixture
def net221() -> Network:
    """2-2-1 sigmoid, half_squared_error (seed 001's cost)."""
    net = Network([2, 2, 1], activation="sigmoid", cost="half_squared_error")
    net.weights = [np.array([[1.0, -1.0], [0.5, 0.5]]), np.array([[1.0, -2.0]])]
    net.biases = [np.array([0.0, 0.25]), np.array([0.5])]
    return net


# By hand, x = (1, 0.5), y = 1:
#   z^(1) = (1·1 − 1·0.5 + 0, 0.5·1 + 0.5·0.5 + 0.25) = (0.5, 1.0)
#   a^(1) = (σ(0.5), σ(1)) = (0.6224593312018546, 0.7310585786300049)
#   σ'(z^(1)) = (0.2350037122015945, 0.7310585786300049 · 0.2689414213699951 = 0.19661193324148185)
#   z^(2) = 0.6224593312018546 − 2·0.7310585786300049 + 0.5 = −0.3396578260581552
#   a^(2) = σ(−0.3396578260581552) = 0.41589259759975533;  σ' = 0.2429259448614833
#   ∂C0/∂a^(2) = a − y = −0.5841074024002446 (seed 001: C'(ŷ) = ŷ − y)
#   δ^(2) = 0.2429259448614833 · −0.5841074024002446 = −0.14189484262866606
#   ∂C0/∂w_01^(2) = a_1^(1) δ^(2) = 0.7310585786300049 · −0.14189484262866606 = −0.10373344196704083
#   ∂C0/∂a^(1) = w^(2)ᵀ δ^(2) = (−0.14189484262866606, 0.2837896852573321)
#   δ_1^(1) = 0.2837896852573321 · 0.19661193324148185 = 0.05579643865243573
#   ∂C0/∂w_10^(1) = x_0 δ_1 = 0.05579643865243573;  ∂C0/∂w_11^(1) = 0.5 · δ_1 = 0.027898219326217864
def test_two_two_one_by_hand(net221: Network) -> None:
    x, y = [1.0, 0.5], [1.0]
    out = explain_layer(net221, x, y, layer="L", weight=(0, 1))
    (w,) = out.weight_products
    assert w.index == (0, 1)
    assert [f.value for f in w.factors] == pytest.approx(
        [0.7310585786300049, 0.2429259448614833, -0.5841074024002446], **TIGHT
    )
    assert w.value == pytest.approx(-0.10373344196704083, **TIGHT)
    assert "a_0^(2) − y_0" == w.factors[2].formula
    assert [h.value for h in out.hand_back] == pytest.approx([0.2837896852573321], **TIGHT)  # k = 1 only
    assert "(ŷ − y)" in out.seed001.equations[0].text  # half SE: seed 001's own convention

    hid = explain_layer(net221, x, y, layer=1, neuron=1)
    assert [p.index for p in hid.weight_products] == [(1, 0), (1, 1)]
    assert [p.value for p in hid.weight_products] == pytest.approx(
        [0.05579643865243573, 0.027898219326217864], **TIGHT
    )
    assert [f.value for f in hid.weight_products[1].factors] == pytest.approx(
        [0.5, 0.19661193324148185, 0.2837896852573321], **TIGHT
    )
    assert hid.neurons[0].delta == pytest.approx(0.05579643865243573, **TIGHT)
    assert hid.passed


# --------------------------------------------------------------------------------------
# Every allowed activation × cost pair: product of factors == Network.gradients
# --------------------------------------------------------------------------------------
def _allowed() -> list[tuple[str, str, str]]:
    out = []
    for hidden, output, cost in itertools.product(HIDDEN_ACTIVATIONS, ACTIVATIONS, COSTS):
        try:
            check_pair(COSTS[cost], output)
        except ConfigError:
            continue
        out.append((hidden, output, cost))
    return out


def _example(sizes: list[int], output: str, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    x = rng.normal(size=sizes[0])
    y = rng.uniform(0.05, 0.95, size=sizes[-1])
    if output == "softmax":
        y = y / y.sum()
    return x, y


@functools.lru_cache(maxsize=None)
def _swept(sizes: tuple[int, ...], hidden: str, output: str, cost: str):
    """The registry sweep's network, its example and its --all-layers --full explanation, made
    once for the tests that read them (the products' and the forward sums' of 3-4-5-2)."""
    net = Network(list(sizes), activation=hidden, output_activation=output, cost=cost, seed=1, init="normal")
    x, y = _example(list(sizes), output)
    return net, x, y, explain_all_layers(net, x, y, full=True)


@pytest.mark.parametrize(("hidden", "output", "cost"), _allowed())
@pytest.mark.parametrize("sizes", [[1, 1, 1], [2, 3, 2], [3, 4, 5, 2]], ids=lambda s: "-".join(map(str, s)))
def test_product_of_factors_equals_gradients(hidden: str, output: str, cost: str, sizes: list[int]) -> None:
    if output == "softmax" and sizes[-1] == 1:
        pytest.skip("softmax needs at least 2 outputs")  # refused: always 1, every gradient 0
    net, x, y, exs = _swept(tuple(sizes), hidden, output, cost)
    dw, db = net.gradients(x.reshape(1, -1), y.reshape(1, -1))
    assert [ex.layer for ex in exs] == list(range(net.L, 0, -1))
    for ex in exs:
        l = ex.layer
        assert len(ex.weight_products) == sizes[l] * sizes[l - 1]
        for p in ex.weight_products:
            j, k = p.index
            assert _prod(p.factors) == pytest.approx(dw[l - 1][j, k], rel=1e-9, abs=1e-12)
        for p in ex.bias_products:
            assert _prod(p.factors) == pytest.approx(db[l - 1][p.index[0]], rel=1e-9, abs=1e-12)
        for h in ex.hand_back:  # Σ_j w_jk δ_j, independently: (w^(l))ᵀ δ^(l)
            delta = db[l - 1]
            assert h.value == pytest.approx(float(net.weights[l - 1][:, h.k] @ delta), rel=1e-9, abs=1e-12)
        assert ex.passed, [c for c in ex.checks if not c.passed]
        norms = {n.layer: n.weight_norm for n in ex.gradient_norms}
        assert norms == pytest.approx({m: float(np.linalg.norm(dw[m - 1])) for m in range(1, net.L + 1)})


@pytest.mark.parametrize(("hidden", "output", "cost"), _allowed())
def test_hand_back_terms_have_the_factors_their_rule_names(hidden: str, output: str, cost: str) -> None:
    # Σ_j w_jk · δ_j where the output rule is fused (sigmoid + cross_entropy, softmax +
    # cross_entropy), Σ_j w_jk σ'(z_j) ∂C0/∂a_j elsewhere: each term shows the rule's factors,
    # in the sums handed back (--layer 2) and received (--layer 1) alike. Sigmoid + cross_entropy's
    # terms showed the generic chain's three numbers under the legend "w_ij^(2) · δ_i^(2)".
    net = Network([2, 3, 2], activation=hidden, output_activation=output, cost=cost, seed=1, init="normal")
    x, y = _example([2, 3, 2], output)
    fused = output in net.cost_fn.fused or output == "softmax"
    handed = explain_layer(net, x, y, layer=2, full=True)
    received = explain_layer(net, x, y, layer=1, full=True)
    for sums in (handed.hand_back, received.received):
        assert sums
        for h in sums:
            for t in h.terms:
                names = [f.symbol for f in t.factors]
                assert len(names) == (2 if fused else 3), names
                if fused:
                    assert names[1].startswith("∂C0/∂z_"), names
    rule = next(e.text for e in handed.rules if e.label.startswith("hand-back"))
    assert ("δ_j^(2)" in rule.split(" = ")[-1]) == fused
    legend = _rich(received)
    assert ("w_ij^(2) · δ_i^(2) = term" in legend) == fused


# --------------------------------------------------------------------------------------
# The forward pass with the numbers plugged in: z_j = Σ_k w_jk a_k + b_j, a_j = σ(z_j)
# --------------------------------------------------------------------------------------
def _rich(ex, width: int = 200) -> str:
    out = io.StringIO()
    render_rich(ex, Console(file=out, width=width, no_color=True))
    return out.getvalue()


def test_forward_sum_one_one_one_by_hand(net111: Network) -> None:
    """z^(1) = 0.5·1 + 0 = 0.5, a^(1) = σ(0.5); z^(2) = (−1)·0.6224593312018546 + 0.25."""
    out = explain_layer(net111, [1.0], [0.0], layer="L")
    (f,) = out.forward
    assert (f.j, f.inputs, f.w, f.n_terms) == (0, (0,), (-1.0,), 1) and f.a_prev == pytest.approx((A1,), **TIGHT)
    assert [t.value for t in f.terms] == pytest.approx([-A1], **TIGHT)
    assert [x.formula for x in f.terms[0].factors] == ["w_00^(2)", "a_0^(1)"]
    assert (f.b, f.z, f.a) == pytest.approx((0.25, -0.3724593312018546, A2), **TIGHT)
    (f1,) = explain_layer(net111, [1.0], [0.0], layer=1).forward  # layer 1: the weights never showed before
    assert (f1.w, f1.a_prev, f1.b, f1.z) == ((0.5,), (1.0,), 0.0, 0.5) and f1.a == pytest.approx(A1, **TIGHT)
    assert [x.formula for x in f1.terms[0].factors] == ["w_00^(1)", "x_0"]  # a^(0) is the input x


def test_forward_sum_two_two_one_by_hand(net221: Network) -> None:
    """x = (1, 0.5): z_0^(1) = 1·1 + (−1)·0.5 + 0 = 0.5, z_1^(1) = 0.5·1 + 0.5·0.5 + 0.25 = 1;
    z^(2) = 1·0.6224593312018546 + (−2)·0.7310585786300049 + 0.5 = −0.3396578260581552."""
    x, y = [1.0, 0.5], [1.0]
    hid = explain_layer(net221, x, y, layer=1)
    assert [f.j for f in hid.forward] == [0, 1]
    assert [[t.value for t in f.terms] for f in hid.forward] == [[1.0, -0.5], [0.5, 0.25]]
    assert [(f.w, f.a_prev, f.b) for f in hid.forward] == [((1.0, -1.0), (1.0, 0.5), 0.0), ((0.5, 0.5), (1.0, 0.5), 0.25)]
    assert [f.z for f in hid.forward] == pytest.approx([0.5, 1.0], **TIGHT)
    assert [f.a for f in hid.forward] == pytest.approx([0.6224593312018546, 0.7310585786300049], **TIGHT)
    (out,) = explain_layer(net221, x, y, layer="L").forward
    assert [t.value for t in out.terms] == pytest.approx([0.6224593312018546, -1.4621171572600098], **TIGHT)
    assert (out.b, out.z, out.a) == pytest.approx((0.5, -0.3396578260581552, 0.41589259759975533), **TIGHT)

    text = _rich(hid, 120)
    assert "Forward pass of layer 1 (eq. 2): z_j^(1) = Σ_k w_jk^(1) a_k^(0) + b_j^(1)" in text
    rows = [re.sub(r"\s+", " ", line.replace("│", " ")).strip() for line in text.splitlines() if "k=" in line and "│" in line]
    assert rows[:4] == ["0 k=0: 1 · 1 = 1 0 0.5 0.622459", "k=1: (-1) · 0.5 = -0.5",
                        "1 k=0: 0.5 · 1 = 0.5 0.25 1 0.731059", "k=1: 0.5 · 0.5 = 0.25"]
    # layer 2: with 6-digit terms 0.622459 − 1.46212 + 0.5 = −0.339661, not the −0.339658 shown: 7 digits
    assert "k=0: 1 · 0.6224593 = 0.6224593" in _rich(explain_layer(net221, x, y, layer=2), 120)

    md = to_markdown(hid)
    assert "### Forward pass of layer 1 (eq. 2)\n" in md and "neurons shown" not in md  # both shown: nothing to say
    # one aligned block a neuron (KaTeX and MathJax never break a display line): the rule, the numbers, a
    assert ("$$\n\\begin{aligned}\nz_{0}^{(1)} &= \\sum_{k} w_{0k}^{(1)} a_{k}^{(0)} + b_{0}^{(1)} \\\\\n"
            "&= 1 \\cdot 1 + \\left(-1\\right) \\cdot 0.5 + 0 = 0.5 \\\\\n"
            "a_{0}^{(1)} &= \\sigma\\left(z_{0}^{(1)}\\right) = 0.622459\n\\end{aligned}\n$$") in md
    assert ("z_{0}^{(2)} &= \\sum_{k} w_{0k}^{(2)} a_{k}^{(1)} + b_{0}^{(2)} \\\\\n&= 1 \\cdot 0.6224593 + \\left(-2\\right) "
            "\\cdot 0.7310586 + 0.5 = -0.339658") in to_markdown(explain_layer(net221, x, y, layer=2))
    assert md.index("### Forward pass") < md.index("### Where") < md.index("### Per neuron")  # forward, then backward
    assert text.index("Forward pass") < text.index("Where ∂C0/∂a^(1)") < text.index("per neuron")


def test_forward_sum_softmax_says_so() -> None:
    net = Network([2, 3, 3], activation="tanh", output_activation="softmax", cost="cross_entropy", seed=2)
    ex = explain_layer(net, [0.5, -1.0], [0.0, 0.0, 1.0], layer="L")
    assert sum(f.a for f in ex.forward) == pytest.approx(1.0, rel=1e-12)
    assert "then a_j^(2) = e^(z_j^(2)) / Σ_i e^(z_i^(2))" in re.sub(r"\s+", " ", _rich(ex, 200))
    assert r"a_{2}^{(2)} &= \frac{e^{z_{2}^{(2)}}}{\sum_{i} e^{z_{i}^{(2)}}}" in to_markdown(ex)


@pytest.mark.parametrize(("hidden", "output", "cost"), _allowed())
def test_forward_sum_is_the_networks_weights_biases_and_forward_cache(hidden: str, output: str, cost: str) -> None:
    """w, b straight from the network; z, a from its forward pass; the terms plus b give z."""
    net, x, _, exs = _swept((3, 4, 5, 2), hidden, output, cost)
    cache = net.forward(x.reshape(1, -1))
    for ex in exs:
        l = ex.layer
        assert [f.j for f in ex.forward] == [r.j for r in ex.neurons] == list(range(net.sizes[l]))
        for f in ex.forward:
            assert f.inputs == tuple(range(net.sizes[l - 1])) and f.n_terms == net.sizes[l - 1]
            assert f.w == tuple(net.weights[l - 1][f.j]) and f.b == net.biases[l - 1][f.j]
            assert f.a_prev == tuple(cache.a[l - 1][0]) and (f.z, f.a) == (cache.z[l][0, f.j], cache.a[l][0, f.j])
            assert math.fsum([t.value for t in f.terms] + [f.b]) == pytest.approx(f.z, rel=1e-12, abs=1e-14)


def test_forward_sums_follow_narrowing_and_truncation() -> None:
    """As the hand-back: 8 of 10 terms per sum unless --full; --neuron j narrows the rows (and
    with --full shows its every term); --weight j,k shows the first 8 terms and k's."""
    net = Network([10, 12, 3], activation="sigmoid", seed=0)
    x, y = np.linspace(-1, 1, 10), np.array([0.0, 1.0, 0.0])

    def shape(**kw):
        ex = explain_layer(net, x, y, layer=1, **kw)
        return [(f.j, f.inputs, f.n_terms) for f in ex.forward], _rich(ex)

    first8 = tuple(range(8))
    rows, text = shape()
    assert rows == [(j, first8, 10) for j in range(8)] and text.count("… 2 more terms (--full)") == 8
    rows, text = shape(full=True)
    assert rows == [(j, tuple(range(10)), 10) for j in range(12)] and "more terms" not in text
    rows, text = shape(neuron=9)
    assert rows == [(9, first8, 10)] and "… 2 more terms (--neuron 9 --full)" in text
    rows, text = shape(neuron=9, full=True)
    assert rows == [(9, tuple(range(10)), 10)] and "more terms" not in text
    for full in (False, True):
        rows, text = shape(weight=(9, 9), full=full)
        assert rows == [(9, first8 + (9,), 10)] and text.count("… 1 more term (--neuron 9 --full)") == 1
    md = to_markdown(explain_layer(net, x, y, layer=1))
    assert md.count(r"+ \dots\ (\text{2 more}) + ") == 8


# --------------------------------------------------------------------------------------
# Output rules: softmax + CE, sigmoid + CE (generic where finite, fused otherwise)
# --------------------------------------------------------------------------------------
def test_softmax_is_one_output_rule() -> None:
    net = Network([2, 3, 3], activation="tanh", output_activation="softmax", cost="cross_entropy", seed=4)
    ex = explain_layer(net, [0.3, -0.2], [0.0, 1.0, 0.0], layer="L")
    assert ex.source.kind == "softmax"
    assert any("not element-wise" in n for n in ex.source.notes)
    assert all(len(p.factors) == 2 and p.rule == "fused" for p in ex.weight_products)
    assert all(r.sigma_prime is None for r in ex.neurons)
    a = np.array([r.a for r in ex.neurons])
    assert [r.delta for r in ex.neurons] == pytest.approx(list(a - [0.0, 1.0, 0.0]))
    # ∂C0/∂a_j = −y_j / a_j of C0 = −Σ_j y_j ln a_j, shown though it enters δ through the Jacobian:
    # a central difference of C0 in a (a treated as free, not as softmax's output), and the
    # Jacobian ∂a_i/∂z_j = a_i (1[i = j] − a_j) applied to it gives the δ shown
    y = np.array([0.0, 1.0, 0.0])
    g = np.array([r.grad_a for r in ex.neurons])
    h = 1e-7
    numeric = [(-(y * np.log(a + h * e)).sum() + (y * np.log(a - h * e)).sum()) / (2 * h) for e in np.eye(3)]
    assert g == pytest.approx(numeric, rel=1e-7)
    assert g[0] == 0.0 and math.copysign(1.0, g[0]) == 1.0  # a 0 target gives 0, not −0
    jacobian = np.diag(a) - np.outer(a, a)
    assert list(jacobian.T @ g) == pytest.approx([r.delta for r in ex.neurons], abs=1e-12)
    assert any("cost derivative" in e.label and "−y_j / a_j^(2)" in e.text for e in ex.source.equations)


def test_sigmoid_cross_entropy_generic_chain_then_fused_when_infinite() -> None:
    net = Network([1, 1, 1], activation="sigmoid", cost="cross_entropy")
    net.weights = [np.array([[1.0]]), np.array([[2.0]])]
    net.biases = [np.array([0.0]), np.array([0.0])]
    ex = explain_layer(net, [0.0], [1.0], layer="L")
    # a^(1) = σ(0) = 0.5, z^(2) = 1, a^(2) = σ(1) = 0.7310585786300049; δ = a − y = −0.2689414213699951
    (w,) = ex.weight_products
    assert ex.source.kind == "fused" and len(w.factors) == 3 and w.rule == "chain"
    assert w.value == pytest.approx(0.5 * -0.2689414213699951, rel=1e-12)
    assert any("δ_j = a_j − y_j" in n for n in ex.source.notes)
    # saturate: z^(2) = 2·0.5 + 40 = 41, σ(41) rounds to 1.0 -> ∂C0/∂a = (1 − 0)/(1·0) = inf
    net.biases = [np.array([0.0]), np.array([40.0])]
    ex = explain_layer(net, [0.0], [0.0], layer="L")
    (w,) = ex.weight_products
    assert w.rule == "fused" and len(w.factors) == 2
    assert w.value == pytest.approx(0.5 * 1.0, rel=1e-12) and w.check is not None and w.check.passed
    kinds = {lw.kind for lw in ex.warnings}
    assert "nonfinite" in kinds
    # the saturated output unit does not learn slowly (the fused δ cancels σ'): a note, not a warning
    assert not any(lw.kind == "saturated" and lw.layer == 2 for lw in ex.warnings)
    assert any("Neuron 0 is saturated" in n and "cancels σ'" in n for n in ex.source.notes), ex.source.notes


# --------------------------------------------------------------------------------------
# --expand
# --------------------------------------------------------------------------------------
def test_expand_single_path_chain_equals_gradient() -> None:
    net = Network([1, 1, 1, 1], activation="tanh", output_activation="sigmoid", cost="squared_error",
                  seed=0, init="normal")
    x, y = [0.7], [0.2]
    dw, _ = net.gradients(np.array([x]), np.array([y]))
    ex = explain_layer(net, x, y, layer=1, weight=(0, 0), expand=True)
    e = ex.expansion
    assert e is not None and e.n_paths == 1 and e.path == (0, 0, 0)
    # dC/dŷ · dŷ/dZ_3 · dZ_3/dH_2 · dH_2/dZ_2 · dZ_2/dH_1 · dH_1/dZ_1 · dZ_1/dW_1: 7 factors
    assert [f.alias for f in e.factors] == ["dC/dŷ", "dŷ/dZ_3", "dZ_3/dH_2", "dH_2/dZ_2", "dZ_2/dH_1",
                                            "dH_1/dZ_1", "dZ_1/dW_1"]
    assert _prod(e.factors) == pytest.approx(dw[0][0, 0], rel=1e-12)
    assert e.path_value == pytest.approx(dw[0][0, 0], rel=1e-12)
    assert e.total == pytest.approx(dw[0][0, 0], rel=1e-12) and e.check.passed
    assert "dZ_3/dH_2" in e.chain.text
    m = e.multiplications  # one path: 6 multiplications either way (no reuse possible)
    assert (m.expanded_weight, m.memoized_weight) == (6, 1 + (1 + 1) + (1 + 1) + 1)


def test_expand_path_sum_wide() -> None:
    sizes = [2, 3, 4, 2]
    net = Network(sizes, activation="tanh", output_activation="linear", cost="half_squared_error",
                  seed=5, init="normal")
    x, y = np.array([0.4, -0.9]), np.array([0.1, 0.3])
    dw, _ = net.gradients(x[None], y[None])
    ex = explain_layer(net, x, y, layer=1, weight=(1, 0), expand=True)
    e = ex.expansion
    assert e is not None and e.n_paths == 4 * 2 and e.enumerated
    assert e.total == pytest.approx(dw[0][1, 0], rel=1e-12) and e.check.passed
    # the index ranges in words, as messages say a range (it was "i_3 ∈ 0..1, i_2 ∈ 0..3"), and what
    # i_3, i_2 are, where first used (they were never said)
    assert ("Σ over 8 paths (i_3 from 0 to 1, i_2 from 0 to 3; i_m: the neuron the path goes through in "
            "layer m) of the product") in e.path_sum.text, e.path_sum.text
    one = explain_layer(net, x, y, layer=2, weight=(1, 0), expand=True).expansion
    assert one is not None and ("Σ over 2 paths (i_3 from 0 to 1; i_3: the neuron the path goes through in "
                                "layer 3) of the product") in one.path_sum.text, one.path_sum.text
    # the chain is one path's term, not C'(W_1): with several paths it is summed over them ('C'(W_1) = dC/dŷ ·
    # … · dZ_1/dW_1' stood over '= Σ over 8 paths'), in Markdown too; the sum is the weight's entry of the
    # matrix, as seed 001's worked C'(W_2)[0,0] ('C'(W_1) = Σ_paths …' equated the matrix with one entry's sum)
    assert e.chain.text == ("C'(W_1)[1,0] = Σ_paths dC/dŷ · dŷ/dZ_3 · dZ_3/dH_2 · dH_2/dZ_2 · dZ_2/dH_1 · dH_1/dZ_1 "
                            "· dZ_1/dW_1")
    assert e.chain.latex.startswith(r"C'\left(W_{1}\right)\left[1,0\right] = \sum_{\text{paths}} \frac{dC}{d\hat{y}} \cdot")
    assert ex.seed001.weight_example.symbol.startswith("C'(W_1)[")  # the panel's own form for an entry
    assert f"$$\n{e.chain.latex}\n$$" in to_markdown(ex)
    # a layer of one neuron has one index ('i_3 from 0 to 0' read as a range); one path in all is said as the
    # output layer's one path is, not 'Σ over 1 path (i_2 = 0; …)' there and 'no sum: one path' here
    thin = Network([2, 3, 1], activation="tanh", output_activation="linear", cost="half_squared_error", seed=5)
    for layer in (1, 2):
        e1 = explain_layer(thin, x, np.array([0.1]), layer=layer, weight=(1, 0) if layer == 1 else (0, 1),
                           expand=True).expansion
        assert e1 is not None and e1.n_paths == 1, layer
        assert e1.path_sum.text == f"∂C0/∂w_{'10' if layer == 1 else '01'}^({layer}) = the chain below (no sum: one path)"
        assert "Σ" not in e1.chain.text, e1.chain.text
    # independent enumeration, path by path, from the raw weights and a fresh forward pass
    cache = net.forward(x[None])
    tp = lambda z: 1.0 - np.tanh(z) ** 2  # noqa: E731
    w1, w2, w3 = net.weights
    a0, z1, z2 = x, cache.z[1][0], cache.z[2][0]
    out = cache.a[3][0]
    contributions = {}
    for o in range(2):
        for i in range(4):
            c = (out[o] - y[o]) * 1.0 * w3[o, i] * tp(z2[i]) * w2[i, 1] * tp(z1[1]) * a0[0]
            contributions[(o, i, 1)] = c
    assert sum(contributions.values()) == pytest.approx(dw[0][1, 0], rel=1e-12)
    best = max(contributions, key=lambda p: abs(contributions[p]))
    assert e.path == best
    assert e.path_value == pytest.approx(contributions[best], rel=1e-12)
    assert _prod(e.factors) == pytest.approx(contributions[best], rel=1e-12)
    assert "8 paths" in e.path_sum.text


def test_count_multiplications_by_hand() -> None:
    # 3-6-7-5-4, layer 1: P = 7·5·4 = 140 paths, F = 2 + 2·3 + 1 = 9 factors -> 140·8 = 1120;
    # memoized: δ^(4) 4, layer 4→3: 4·5 + 5, 3→2: 5·7 + 7, δ_j^(1): 7 + 1, δ_j a_k: 1 -> 80
    m = count_multiplications([3, 6, 7, 5, 4], 1, fused_head=False)
    assert (m.expanded_weight, m.memoized_weight) == (1120, 80)
    assert m.expanded_layer == 18 * 1120
    assert m.memoized_layer == 4 + 25 + 42 + (7 * 6 + 6) + 18
    assert m.saved_weight == 1040
    # every weight of every layer: layer 1 as above, 2: 42 weights × 20 paths × 6, 3: 35 × 4 × 4, 4: 20 × 1 × 2;
    # one backward pass: δ^(4), 4→3, 3→2, 2→1 as above (48 for all of δ^(1)), then δ a for the 115 weights
    assert m.expanded_network == 20160 + 5040 + 560 + 40
    assert m.memoized_network == 4 + 25 + 42 + (42 + 6) + (18 + 42 + 35 + 20)


def test_memoization_saves_across_the_layers_of_a_chain_of_single_neurons() -> None:
    """Seed 001's memoization example is a chain (C'(W_3) … C'(W_0)): each weight has one path, so
    the per-weight and per-layer counts are 'the same: one path, nothing to reuse', and a student
    read that memoization only helps wide layers. Over every layer: 2 + 4 + 6 = 12 expanded vs
    δ^(3) 1, δ^(2) 1 + 1, δ^(1) 1 + 1, three δ·a 3 = 8."""
    m = count_multiplications([1, 1, 1, 1], 1, fused_head=False)
    assert (m.expanded_weight, m.memoized_weight, m.expanded_layer, m.memoized_layer) == (6, 6, 6, 6)
    assert (m.expanded_network, m.memoized_network, m.saved_network) == (12, 8, 4)
    net = Network([1, 1, 1, 1], activation="sigmoid", cost="squared_error", seed=0)
    e = explain_layer(net, [0.7], [1.0], layer=1, expand=True).expansion
    assert e is not None and e.multiplications == m
    text = _rich(explain_layer(net, [0.7], [1.0], layer=1, expand=True))
    assert to_json(explain_layer(net, [0.7], [1.0], layer=1, expand=True))["expansion"][
        "multiplications"]["saved_network"] == 4
    assert ("multiplications, all weights of all layers: 12 vs 8 (saves 4: each layer's error is computed once, "
            "for all its weights and the layer before it)") in " ".join(text.split())


# --------------------------------------------------------------------------------------
# Learner warnings
# --------------------------------------------------------------------------------------
def test_warning_saturated_sigmoid(net111: Network) -> None:
    net111.weights = [np.array([[20.0]]), np.array([[-1.0]])]  # z^(1) = 20: σ' ≈ 2e−9
    ex = explain_layer(net111, [1.0], [0.0], layer=2)
    sat = [w for w in ex.warnings if w.kind == "saturated"]
    assert [(w.layer, w.neurons) for w in sat] == [(1, (0,))]
    assert "σ'(z) < 0.01" in sat[0].message
    # the norm of every layer is reported, and layer 1's is tiny: vanishing
    assert [n.layer for n in ex.gradient_norms] == [2, 1]
    assert any(w.kind == "vanishing" and w.layers == (1,) for w in ex.warnings)


def test_warning_dead_relu() -> None:
    net = Network([2, 3, 1], activation="relu", output_activation="linear", cost="squared_error")
    net.weights = [np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]]), np.array([[1.0, 1.0, 1.0]])]
    net.biases = [np.array([0.0, -5.0, -10.0]), np.array([0.0])]
    ex = explain_layer(net, [1.0, 1.0], [0.0], layer=1)  # z^(1) = (1, −4, −8)
    dead = [w for w in ex.warnings if w.kind == "dead_relu"]
    assert [(w.layer, w.neurons) for w in dead] == [(1, (1, 2))]
    assert [r.dead for r in ex.neurons] == [False, True, True]
    assert all(p.value == 0.0 for p in ex.weight_products if p.index[0] in (1, 2))


def _relu2(activation: str = "relu", w00: tuple[float, float] = (0.5, -0.3), b0: float = 0.1) -> Network:
    """The teacher's 2-3-2-1 relu/relu/linear net: with x = (1, 2), neuron 0 of layer 1 has
    z = 0.5·1 + (−0.3)·2 + 0.1 = 0 on paper, 2.77556e-17 in float64."""
    net = Network([2, 3, 2, 1], activation=activation, output_activation="linear", cost="half_squared_error")
    net.weights = [np.array([list(w00), [0.2, 0.4], [-0.6, 0.1]]), np.array([[0.7, -0.2, 0.3], [0.1, 0.5, -0.4]]),
                   np.array([[1.0, -0.5]])]
    net.biases = [np.array([b0, 0.0, 0.2]), np.array([0.0, 0.1]), np.array([0.05])]
    return net


@pytest.mark.parametrize(("activation", "at_zero"), [("relu", "0"), ("leaky_relu", "0.01")])
def test_warning_relu_z_zero_up_to_rounding(activation: str, at_zero: str) -> None:
    """z = 0.5·1 + (−0.3)·2 + 0.1 is 0 by hand, 2.8e-17 in float: σ' = 1 and a gradient of 0.0375
    where a student using the rule shown (σ'(0) = 0, leaky 0.01) gets 0 (0.000375), with no word."""
    ex = explain_layer(_relu2(activation), [1.0, 2.0], [0.5], layer=1, neuron=0)
    assert 0 < ex.neurons[0].z < 1e-16 and ex.neurons[0].sigma_prime == 1.0
    assert ex.neurons[0].near_kink and not ex.neurons[0].dead
    near = [w for w in ex.warnings if w.kind == "near_kink"]
    assert [(w.layer, w.neurons) for w in near] == [(1, (0,))]
    msg = near[0].message
    assert "z = 2.8e-17" in msg and "By hand z = 0" in msg and f"σ'(0) = {at_zero} by the rule shown" in msg, msg
    assert "rounding" in msg and "one-sided" in msg, msg
    # only that unit: the others of the net are far from their kink
    assert [r.near_kink for r in explain_layer(_relu2(activation), [1.0, 2.0], [0.5], layer=1).neurons] == \
        [True, False, False]
    assert not any(r.near_kink for r in explain_layer(_relu2(activation), [1.0, 2.0], [0.5], layer=2).neurons)


def test_relu_z_exactly_zero_is_inactive_not_near_kink() -> None:
    """0.5·1 + (−0.25)·2 + 0 is 0 in float too: the unit reads 'inactive (z ≤ 0)' as before."""
    ex = explain_layer(_relu2(w00=(0.5, -0.25), b0=0.0), [1.0, 2.0], [0.5], layer=1)
    assert ex.neurons[0].z == 0.0 and ex.neurons[0].dead and not ex.neurons[0].near_kink
    assert not any(w.kind == "near_kink" for w in ex.warnings)
    assert "inactive (z ≤ 0)" in _rich(ex) and "at kink" not in _rich(ex)
    assert "| inactive |" in to_markdown(ex)


def test_relu_z_zero_up_to_rounding_is_flagged_in_rich_and_markdown() -> None:
    ex = explain_layer(_relu2(), [1.0, 2.0], [0.5], layer=1, neuron=0)
    for width in (200, 80, 60):
        text = _rich(ex, width)
        assert "at kink" in text and "(z ≈ 0)" in text and "By hand z = 0" in " ".join(text.split()), width
    md = to_markdown(ex)
    assert "| at kink (z ≈ 0) |" in md and "By hand z = 0" in md
    assert to_json(ex)["neurons"][0]["near_kink"] is True


def test_gradient_norm_log10_never_prints_negative_zero() -> None:
    """‖∂C0/∂w^(1)‖ = 0.96 has log10 −0.018, which printed as '-0.0' beside its bar."""
    net = Network([1, 1, 1], activation="relu", cost="half_squared_error")
    net.weights, net.biases = [np.array([[1.5]]), np.array([[0.8]])], [np.array([0.0]), np.array([0.0])]
    exs = explain_all_layers(net, [2.0], [3.0])
    assert [round(n.weight_norm, 12) for n in exs[0].gradient_norms] == [1.8, 0.96]
    for width in (200, 80, 40):  # 40: the stacked form
        text = _rich(exs, width)
        bars = [line for line in text.splitlines() if "█" in line]
        assert len(bars) == 2 and "█ 0.0" in bars[1] and "-0.0" not in text, (width, bars)


def test_no_warnings_for_a_healthy_net(net111: Network) -> None:
    assert explain_layer(net111, [1.0], [0.0], layer=1).warnings == ()


# --------------------------------------------------------------------------------------
# Selection, truncation, dtype, input checks
# --------------------------------------------------------------------------------------
def test_truncation_and_full() -> None:
    net = Network([10, 12, 3], activation="sigmoid", seed=0)
    x, y = np.linspace(-1, 1, 10), np.array([0.0, 1.0, 0.0])
    ex = explain_layer(net, x, y, layer=1)
    assert ex.truncated and len(ex.neurons) == 8 and len(ex.weight_products) == 64
    assert ex.weight_gradients.truncated and ex.weight_gradients.shape == (12, 10)
    assert any("--full" in n for n in ex.notes)
    full = explain_layer(net, x, y, layer=1, full=True)
    assert not full.truncated and len(full.neurons) == 12 and len(full.weight_products) == 120
    hb = explain_layer(net, x, y, layer=2)
    assert all(h.n_terms == 3 and len(h.terms) == 3 for h in hb.hand_back)
    assert len(hb.hand_back) == 8  # k of layer 1, truncated to 8 of 12


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        # the Python arguments' names (it said --neuron, --weight: the CLI's, which boundary() sets)
        ({"neuron": 3}, r"^neuron: 3 is out of range; layer 1 has 3 neurons, use a number from 0 to 2$"),
        ({"neuron": -1}, r"use a number from 0 to 2$"),
        ({"weight": (0, 2)}, r"^weight: 2 is out of range.*use a number from 0 to 1$"),
        ({"weight": (3, 0)}, r"^weight: 3 is out of range"),
        ({"neuron": 1, "weight": (0, 0)}, "disagree"),
        ({"neuron": "a"}, r"^neuron: a is not a whole number; use a number from 0 to 2 \(neurons of layer 1\)$"),
        ({"neuron": 1, "weight": (0, 0)}, r"^neuron 1 and weight 0,0 disagree"),
    ],
)
def test_bad_selection_names_the_range(kwargs: dict, match: str) -> None:
    net = Network([2, 3, 1], seed=0)
    with pytest.raises(ConfigError, match=match):
        explain_layer(net, [0.0, 1.0], [1.0], layer=1, **kwargs)


def test_a_one_neuron_layer_is_named_in_the_singular() -> None:
    net = Network([2, 3, 1], seed=0)
    with pytest.raises(ConfigError, match=r"^neuron: 5 is out of range; layer 2 has 1 neuron, use 0$"):
        explain_layer(net, [0.0, 1.0], [1.0], layer=2, neuron=5)
    with pytest.raises(ConfigError, match=r"layer 1 has 1 input \(k, the neurons of layer 0\), use 0$"):
        explain_layer(Network([1, 3, 1], seed=0), [0.0], [1.0], layer=1, weight=(0, 4))


def test_bad_example_shapes() -> None:
    net = Network([2, 3, 1], seed=0)
    with pytest.raises(DataError, match="ONE example"):
        explain_layer(net, np.zeros((2, 2)), [1.0], layer=1)
    with pytest.raises(DataError, match="ONE target"):
        explain_layer(net, [0.0, 1.0], [1.0, 0.0], layer=1)


def test_float32_network_is_explained_in_float64_and_not_modified(net111: Network) -> None:
    net32 = net111.astype("float32")
    before = [w.copy() for w in net32.weights]
    ex = explain_layer(net32, [1.0], [0.0], layer="L", expand=True)
    assert any("float64" in n for n in ex.notes)
    assert ex.passed
    assert net32.dtype == np.float32
    assert all(np.array_equal(a, b) for a, b in zip(before, net32.weights))


# --------------------------------------------------------------------------------------
# parse_layer
# --------------------------------------------------------------------------------------
@pytest.mark.parametrize(("text", "l"), [("L", 3), ("L-1", 2), ("L-2", 1), ("l - 1", 2), ("1", 1), ("3", 3), (2, 2),
                                        ("L\u22121", 2), ("L \u2212 2", 1), ("L\u20131", 2)])
def test_parse_layer(text: str, l: int) -> None:
    assert parse_layer(text, n_layers=3) == l


@pytest.mark.parametrize("text", ["L+1", "0", "L-9", "L-3", "4", "x", "", "-1", "1.5"])
def test_parse_layer_errors_list_the_choices(text: str) -> None:
    with pytest.raises(ConfigError) as err:
        parse_layer(text, n_layers=3)
    assert err.value.message.endswith("; use one of: L, L-1 or L-2, or a number from 1 to 3"), err.value.message


@settings(max_examples=60, deadline=None)
@given(n=st.integers(1, 30), data=st.data())
def test_parse_layer_property(n: int, data: st.DataObject) -> None:
    i = data.draw(st.integers(0, n - 1))
    assert parse_layer(f"L-{i}" if i else "L", n) == n - i == parse_layer(str(n - i), n)
    bad = data.draw(st.integers(n, n + 50))
    with pytest.raises(ConfigError):
        parse_layer(f"L-{bad}", n)


# --------------------------------------------------------------------------------------
# Renderers
# --------------------------------------------------------------------------------------
def _wide_examples() -> list[tuple[LayerExplanation, ...]]:
    nets = [
        (Network([2, 3, 2], activation="relu", output_activation="sigmoid", cost="cross_entropy", seed=2),
         [0.5, -1.0], [1.0, 0.0]),
        (Network([2, 3, 3], activation="tanh", output_activation="softmax", cost="cross_entropy", seed=2),
         [0.5, -1.0], [0.0, 0.0, 1.0]),
        (Network([3, 11, 2], activation="sigmoid", cost="squared_error", seed=3),
         [0.1, 1e-8, -3.0], [1.0, 0.0]),
    ]
    return [explain_all_layers(net, x, y, expand=True) for net, x, y in nets]


def _balanced(latex: str) -> bool:
    depth = 0
    for ch in latex.replace(r"\{", "").replace(r"\}", ""):
        depth += {"{": 1, "}": -1}.get(ch, 0)
        if depth < 0:
            return False
    return depth == 0 and latex.count(r"\left") == latex.count(r"\right")


def test_markdown_has_balanced_latex_blocks() -> None:
    for exs in _wide_examples():
        for doc in (to_markdown(exs), to_markdown(exs[0])):
            lines = doc.splitlines()
            fences = [i for i, ln in enumerate(lines) if ln.strip() == "$$"]
            assert fences and len(fences) % 2 == 0
            assert doc.count("$$") == len(fences)  # every $$ sits alone on its line
            for start, end in zip(fences[::2], fences[1::2]):
                block = "\n".join(lines[start + 1 : end])
                assert block.strip() and _balanced(block), block
            assert r"\frac{\partial C_0}" in doc and r"\sigma'" in doc and "^{(1)}" in doc
            assert "e-" not in "".join(lines[i] for i in range(len(lines)) if i - 1 in fences)
            assert "✓ all" in doc


def test_json_round_trips_with_every_term() -> None:
    for exs in _wide_examples():
        d = to_json(exs)
        assert json.loads(json.dumps(d, allow_nan=False)) == d
        assert d["passed"] is True and len(d["layers"]) == len(exs)
        layer = d["layers"][0]
        for p in layer["weight_products"]:
            assert all(isinstance(f["value"], float) for f in p["factors"])
            assert isinstance(p["check"]["numeric"], float) and p["check"]["passed"] is True
            assert set(p["factors"][0]) >= {"symbol", "formula", "value", "latex"}
        assert layer["expansion"]["multiplications"]["saved_layer"] >= 0
        single = to_json(exs[-1])
        assert single["layer"] == 1 and json.loads(json.dumps(single)) == single


def test_json_non_finite_becomes_null() -> None:
    net = Network([1, 1, 1], activation="sigmoid", cost="cross_entropy")
    net.weights = [np.array([[1.0]]), np.array([[2.0]])]
    net.biases = [np.array([0.0]), np.array([40.0])]
    d = to_json(explain_layer(net, [0.0], [0.0], layer="L"))
    assert d["neurons"][0]["grad_a"] is None
    json.dumps(d, allow_nan=False)


def test_rich_render_marks_checks() -> None:
    exs = _wide_examples()[0]
    console = Console(record=True, width=140, color_system=None)
    render_rich(exs, console)
    text = console.export_text()
    assert "✓" in text and "✗" not in text
    assert "Where ∂C0/∂a^(2) comes from" in text and "Seed 001" in text and "--expand" in text
    assert "learner warnings" in text  # the ReLU net has an inactive unit for this example

    ex = exs[0]
    p = ex.weight_products[0]
    assert p.check is not None
    bad = dataclasses.replace(p, check=dataclasses.replace(p.check, passed=False, status="fail"))
    broken = dataclasses.replace(ex, weight_products=(bad,) + ex.weight_products[1:])
    assert not broken.passed
    console = Console(record=True, width=140, color_system=None)
    render_rich(broken, console)
    text = console.export_text()
    assert "✗ FAIL" in text and "checks FAILED" in text


def test_rich_render_single_layer_with_selection(net221: Network) -> None:
    console = Console(record=True, width=120, color_system=None)
    render_rich(explain_layer(net221, [1.0, 0.5], [1.0], layer=1, weight=(1, 1)), console)
    text = console.export_text()
    assert "∂C0/∂w_11^(1)" in text and re.search(r"0\.0278982", text)
    assert "note: layer 1 hands nothing back: a^(0) is the input x" in text  # lower case, as every note: line


def test_numbers_are_float64_and_finite_difference_agrees() -> None:
    net = Network([4, 5, 5, 3], activation="tanh", output_activation="linear", cost="squared_error", seed=7)
    ex = explain_layer(net, [0.1, 0.2, -0.3, 0.4], [0.0, 0.5, 1.0], layer="L-1")
    for c in ex.checks:
        assert c.passed and (c.rel_err_numeric < 1e-5 or c.abs_err_numeric < 1e-9)
        assert math.isfinite(c.numeric)


def test_zero_input_is_not_called_a_vanishing_gradient():
    """x = (0, 0): ∂C0/∂w^(1) = δ aᵀ = 0 because of the example, not because δ vanished."""
    net = Network([2, 3, 1], seed=0)
    ex = explain_layer(net, [0.0, 0.0], [0.0], layer=1)
    kinds = {w.kind for w in ex.warnings}
    assert "zero_input" in kinds and "vanishing" not in kinds


def test_l2_is_not_a_factor_of_c0s_chain_rule():
    """A network trained with L2 explains C0's chain rule: the same products as without the
    penalty, every check passing, and a note on the λw that training adds."""
    rng = np.random.default_rng(3)
    plain = Network([3, 4, 2], activation="tanh", cost="squared_error", rng=rng)
    penalised = plain.copy()
    penalised.l2 = 0.3
    x, y = rng.standard_normal(3), np.array([0.2, 0.9])
    for layer in ("L", "L-1"):
        a, b = explain_layer(plain, x, y, layer=layer), explain_layer(penalised, x, y, layer=layer)
        assert b.passed and all(p.check is not None and p.check.passed for p in b.weight_products)
        assert [p.value for p in a.weight_products] == [p.value for p in b.weight_products]
        assert any("training.l2 = 0.3" in n for n in b.notes) and not any("l2" in n for n in a.notes)
    assert penalised.l2 == 0.3  # explained on a copy


def test_a_backward_pass_at_odds_with_the_chain_rule_fails_though_the_difference_agrees(monkeypatch):
    """Each product of factors is checked against the backward pass and against a finite difference
    (module docstring): a backward pass whose ∂C/∂w^(L) came out doubled (the trainer's own code
    gone wrong) fails every weight product, though each still agrees with its difference."""
    net = Network([3, 4, 2], activation="tanh", cost="squared_error", seed=0)
    backward = Network.backward

    def doubled(self, cache, Y):
        result = backward(self, cache, Y)
        result.dw[-1] = 2.0 * result.dw[-1]
        return result

    monkeypatch.setattr(Network, "backward", doubled)
    e = explain_layer(net, np.array([0.5, -1.0, 2.0]), np.array([0.2, 0.9]), layer="L")
    assert e.status == "fail"
    for p in e.weight_products:
        assert p.check.status == "fail", p.check
        assert p.check.rel_err_numeric < 1e-6 and p.check.rel_err_backprop == pytest.approx(0.5)
    assert all(p.check.passed for p in e.bias_products)  # ∂C/∂b untouched


# --------------------------------------------------------------------------------------
# ReLU units at exactly z = 0: the central difference straddles the kink
# --------------------------------------------------------------------------------------
def _relu_zero_net() -> Network:
    """2-2-1 ReLU/linear; for x = (1, 2), hidden unit 0 sits exactly on the kink, z = 0."""
    net = Network([2, 2, 1], activation="relu", output_activation="linear", cost="squared_error")
    net.weights = [np.array([[0.0, 0.0], [1.0, -1.0]]), np.array([[1.0, 1.0]])]
    net.biases = [np.zeros(2), np.zeros(1)]
    return net


def test_a_relu_unit_at_exactly_zero_is_checked_one_sided() -> None:
    # The trainer uses R'(0) = 0, so ∂C0/∂w_0k^(1) = 0. The central difference averages the
    # slopes of both sides (0 and −2 x_k) and used to report FAIL; the side where the unit
    # stays off (the minus side: ∂z_0/∂w_0k = x_k > 0) confirms 0.
    ex = explain_layer(_relu_zero_net(), [1.0, 2.0], [1.0], layer=1)
    assert ex.neurons[0].z == 0.0
    sides = {p.index: p.check.difference for p in ex.weight_products + ex.bias_products}
    assert sides == {(0, 0): "one-sided", (0, 1): "one-sided", (1, 0): "central",
                     (1, 1): "central", (0,): "one-sided", (1,): "central"}
    for p in ex.weight_products + ex.bias_products:
        assert p.value == 0.0 and p.check.status == "pass"
        assert abs(p.check.numeric) < 1e-9  # the one-sided estimate of the off side
    assert ex.passed and ex.status == "pass"
    # the same entry, approached from the other side, has the slope of the active unit:
    net = _relu_zero_net()
    net.biases = [np.array([1e-3, 0.0]), np.zeros(1)]  # z_0 = 1e-3: active, no kink within ±ε
    ex = explain_layer(net, [1.0, 2.0], [1.0], layer=1, weight=(0, 1))
    (w,) = ex.weight_products
    assert w.check.difference == "central" and w.value == pytest.approx(2 * 2 * (1e-3 - 1.0))


def test_both_sides_crossing_a_kink_is_inconclusive_not_failed() -> None:
    # 1-1-2-1: a^(1) = 1 feeds two ReLU units with z^(2) = (a − 1, 1 − a) = (0, 0). Moving
    # w^(1) either way switches one of them on: the true one-sided slopes are −2 and +2,
    # so no finite difference can judge the backward pass's 0 (R'(0) = 0 for both).
    net = Network([1, 1, 2, 1], activation="relu", output_activation="linear", cost="squared_error")
    net.weights = [np.array([[1.0]]), np.array([[1.0], [-1.0]]), np.array([[1.0, 1.0]])]
    net.biases = [np.zeros(1), np.array([-1.0, 1.0]), np.zeros(1)]
    ex = explain_layer(net, [1.0], [1.0], layer=1)
    (w,) = ex.weight_products
    assert (w.value, w.check.backprop) == (0.0, 0.0)
    assert w.check.difference == "kink" and w.check.status == "kink"
    assert not w.check.passed and not ex.passed and ex.status == "inconclusive"
    # layer 2: each weight moves one unit's z, and only on one side
    ex2 = explain_layer(net, [1.0], [1.0], layer=2)
    assert {p.check.difference for p in ex2.weight_products} == {"one-sided"}
    assert ex2.status == "inconclusive"  # its hand-back to a^(1) crosses both kinks
    assert [h.check.status for h in ex2.hand_back] == ["kink"]
    # every format says so
    assert to_json(ex)["status"] == "inconclusive" and to_json((ex2, ex))["status"] == "inconclusive"
    md = to_markdown(ex)
    assert "inconclusive" in md and "FAIL" not in md
    console = Console(record=True, width=120)
    render_rich(ex, console)
    text = console.export_text()
    # the weight, the bias, and ∂C0/∂a_0^(1) received from layer 2 (the hand-back above, both kinks)
    assert [h.check.status for h in ex.received] == ["kink"]
    assert "? 3 of 3 checks inconclusive" in text and "FAIL" not in text


def test_a_wrong_derivative_at_a_kink_still_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    # A backward pass that took R'(0) = 1 disagrees with the off side the forward pass is on.
    relu = ACTIVATIONS["relu"]

    def prime_one_at_zero(z, a, out):
        return np.greater_equal(z, 0.0, out=out)

    monkeypatch.setitem(ACTIVATIONS, "relu", dataclasses.replace(relu, prime_into=prime_one_at_zero))
    ex = explain_layer(_relu_zero_net(), [1.0, 2.0], [1.0], layer=1)
    bad = {p.index for p in ex.weight_products + ex.bias_products if p.check.status == "fail"}
    assert bad == {(0, 0), (0, 1), (0,)}
    assert ex.status == "fail" and not ex.passed


def test_a_check_passing_on_its_absolute_difference_shows_that_difference_not_a_100_percent_error():
    """Backprop says 0 and the finite difference −9e-13: relative error 1, absolute 9e-13 <
    1e-9, so ✓; the cell must not read "✓ 0 / 1e+00" (a 100% error) on a projector."""
    from backprop_cli.explain import Numeric, make_check
    from backprop_cli.render.explain import _check_cell_md, _check_md, _check_text

    c = make_check(0.0, 0.0, Numeric(-9e-13, "one-sided"))
    assert c.status == "pass" and c.rel_err_numeric == 1.0
    assert _check_text(c).plain == "✓ 0 / abs 9e-13 one-sided"
    assert _check_cell_md(c) == "✓ 0 / abs 9e-13 one-sided"
    assert _check_md(c).endswith("-9e-13 (abs 9e-13)") and "|" not in _check_md(c)
    big = make_check(0.5, 0.5, Numeric(0.5 + 2e-7, "central"))  # a real relative error stays one
    assert _check_text(big).plain == "✓ 0 / 4e-07"


def test_a_parameter_too_large_for_the_step_still_gets_a_finite_difference() -> None:
    """|w| = 1e11: w ± 1e-6 rounds back to w, so the step grows until it moves w (this was a
    ZeroDivisionError traceback, e.g. from ``backprop explain --model`` of such a model). At that
    scale a step of one ulp of w is all there is, so only the difference's existence is tested."""
    net = Network([2, 2, 1], activation="tanh", output_activation="sigmoid", cost="squared_error", seed=0)
    net.weights = [np.array([[0.3, -0.2], [0.1, 0.4]]), np.array([[1e11, 0.5]])]
    exs = explain_all_layers(net, [1.0, 0.5], [1.0])
    checks = [c for ex in exs for c in ex.checks]
    assert checks and all(math.isfinite(c.numeric) for c in checks)
    assert "w_{00}^{(2)}" in to_markdown(exs)


def test_a_finite_difference_is_judged_within_its_rounding_noise() -> None:
    """C0 ≈ 9940 and ∂C0/∂w ≈ −2e-4 (x = 1e-6): rounding of the two costs alone moves the
    central difference by ~u·C0/2ε ≈ 1e-6, 0.6% of the value. That is no disagreement (it
    showed ✗); a factor-2 mistake of the same size is still far outside the noise."""
    from backprop_cli.explain import Numeric, make_check

    net = Network([1, 1], output_activation="linear", cost="squared_error", seed=0)
    net.weights, net.biases = [np.array([[0.7]])], [np.array([0.3])]
    ex = explain_layer(net, [1e-6], [100.0], layer="L")
    (w,), (b,) = ex.weight_products, ex.bias_products
    assert w.check.value == pytest.approx(2 * (0.7e-6 + 0.3 - 100.0) * 1e-6, rel=1e-12)
    assert 1e-7 < w.check.abs_err_numeric < 1e-5 and w.check.rel_err_numeric > 1e-3
    assert w.check.status == "pass" and b.check.status == "pass"
    noise = 16 * 2.0**-52 * 9940.0 / 2e-6
    assert make_check(w.check.value, w.check.value, Numeric(w.check.numeric, "central", noise)).passed
    wrong = make_check(2 * w.check.value, 2 * w.check.value, Numeric(w.check.numeric, "central", noise))
    assert wrong.status == "fail"


def test_neuron_full_widens_the_inputs_not_every_hand_back_sum() -> None:
    """--neuron j --full: every weight of neuron j and the hand-back of every input k, each sum
    showing its first max_rows terms and neuron j's (not all n_l: that was the whole layer's
    n_l × n_{l−1} terms again, 200,704 on 256 × 784), its value still the sum over all j."""
    net = Network([3, 12, 20, 1], activation="tanh", seed=0)
    ex = explain_layer(net, [0.3, -0.2, 0.5], [1.0], layer=2, neuron=15, full=True)
    assert [p.index for p in ex.weight_products] == [(15, k) for k in range(12)]
    assert [h.k for h in ex.hand_back] == list(range(12))
    cache = net.forward(np.array([[0.3, -0.2, 0.5]]))
    grad_a1 = net.backward(cache, np.array([[1.0]])).grad_a[1][0]
    for h in ex.hand_back:
        assert [t.index[0] for t in h.terms] == [*range(8), 15] and h.n_terms == 20
        assert h.value == pytest.approx(grad_a1[h.k], rel=1e-12, abs=1e-15)


@pytest.mark.parametrize("x, y, says", [
    (["a", "b"], [1.0], "explain: x: holds text; real numbers are required"),
    (None, [1.0], "explain: x: None"),
    ([0.0, 1.0], [[1.0], [2.0, 3.0]], "explain: y: not an array of numbers"),
])
def test_explain_inputs_that_are_not_numbers_are_a_data_error(x, y, says):
    """Text was numpy's 'could not convert string to float' ValueError."""
    from backprop_cli.errors import DataError
    from backprop_cli.explain import explain_layer
    from backprop_cli.network import Network

    with pytest.raises(DataError) as err:
        explain_layer(Network([2, 3, 1]), x, y, "L")
    assert says in err.value.message


@pytest.mark.parametrize("max_rows", ["3", 2.5, True, 0])
def test_explain_max_rows_must_be_a_whole_number(max_rows):
    """A string was a TypeError ('<' not supported between 'str' and 'int')."""
    from backprop_cli.errors import ConfigError
    from backprop_cli.explain import explain_layer
    from backprop_cli.network import Network

    with pytest.raises(ConfigError, match="max_rows: .* must be a whole number, at least 1"):
        explain_layer(Network([2, 3, 1]), [0.0, 1.0], [1.0], "L", max_rows=max_rows)


def test_a_value_within_the_finite_differences_noise_is_inconclusive_not_a_pass() -> None:
    """C0 ≈ 9940 and ∂C0/∂w ≈ −2e-7 (x = 1e-9): the central difference's rounding noise
    (~1e-5) is far larger than the value, so the difference cannot tell it from 0. That check
    showed ✓ (within the noise allowance); now it is inconclusive like a ReLU kink (exit 3),
    while the bias (∂C0/∂b ≈ −199) still passes, and so does a value the noise is small against."""
    from backprop_cli.explain import overall_status
    from backprop_cli.render.explain import render_rich, to_markdown

    net = Network([1, 1], output_activation="linear", cost="squared_error", seed=0)
    net.weights, net.biases = [np.array([[0.7]])], [np.array([0.3])]
    ex = explain_layer(net, [1e-9], [100.0], layer="L")
    (w,), (b,) = ex.weight_products, ex.bias_products
    assert abs(w.check.value) < w.check.numeric_noise and w.check.status == "noise" and not w.check.passed
    assert w.check.rel_err_backprop < 1e-12  # the backward pass agrees
    assert b.check.status == "pass" and overall_status(ex.checks) == "inconclusive"
    out = io.StringIO()
    render_rich(ex, Console(file=out, width=120, no_color=True))
    text = out.getvalue()
    assert "below finite diff's noise" in text and "✓ all" not in text
    assert "1 of 2 checks inconclusive" in text and "rounding noise of 0" in text
    assert "? **inconclusive** (within the finite difference's rounding noise)" in to_markdown(ex)
    big = explain_layer(net, [1e-6], [100.0], layer="L")  # −2e-4 against noise ~1e-5: judged, passes
    assert big.weight_products[0].check.status == "pass"


# --------------------------------------------------------------------------------------
# What a learner's calculator sees: the shown operands give the shown result
# --------------------------------------------------------------------------------------
def _shown(text: str) -> float:
    return float(text.strip("()"))


def _within_half_unit(got: float, shown: str) -> bool:
    """Does ``got`` round to ``shown`` (6 significant digits, or as many as it shows)?"""
    want = _shown(shown)
    digits = max(6, len(shown.strip("()-").split("e")[0].replace(".", "").lstrip("0")))
    half = 0.5 * 10 ** (math.floor(math.log10(abs(want))) - digits + 1) if want else 0.5e-6
    return abs(got - want) <= half * (1 + 1e-9)


def _sine_net() -> tuple[Network, list[float], list[float]]:
    """A 1-4-3 tanh/linear net whose factors, rounded to 6 digits, multiply to other 6-digit
    products (x = 1.444436 shows as 1.44444), and whose hand-back sums cancel."""
    net = Network([1, 4, 3], activation="tanh", output_activation="linear", cost="half_squared_error")
    net.weights = [np.array([[0.437], [-0.611], [0.139], [-0.532]]),
                   np.array([[-0.71, 0.38, 0.52, -0.27], [0.64, -0.33, 0.41, 0.58], [0.12, 0.45, -0.93, 0.36]])]
    net.biases = [np.array([-0.05, 0.17, 0.003, -0.21]), np.array([0.1, -0.2, 0.05])]
    return net, [1.4444360016651192], [1.03602, -0.4, 0.2]


def test_shown_factors_multiply_to_the_shown_product_and_terms_add_up_to_the_shown_sum() -> None:
    """A learner recomputes each written-out product (and hand-back sum) from the numbers on
    screen: with every factor rounded to 6 digits, '1.44444 · 0.623682 · 0.00468944 =
    0.00422456' was 2 units off in its last digit and a hand-back Σ with cancellation 9 units
    off. The factors (and terms) now carry the digits it takes: rich and Markdown."""
    net, x, y = _sine_net()
    exs = explain_all_layers(net, x, y)
    out = io.StringIO()
    render_rich(exs, Console(file=out, width=200, no_color=True))
    text = out.getvalue()
    n_products = n_sums = 0
    for m in re.finditer(r"^    = ((?:\S+ · )+\S+) = (\S+)   ", text, re.M):  # the long forms
        factors = m.group(1).split(" · ")
        assert _within_half_unit(math.prod(_shown(f) for f in factors), m.group(2)), m.group(0)
        n_products += 1
    for row in re.finditer(r"^│ \d+ │((?:.*\n│\s+│)*.*)$", text, re.M):  # hand-back rows
        lines = row.group(0).splitlines()
        terms = [re.search(r"j=\d+: ((?:\S+ · )+\S+) = (\S+) │", line) for line in lines]
        if not all(terms):
            continue
        for t in terms:
            assert _within_half_unit(math.prod(_shown(f) for f in t.group(1).split(" · ")), t.group(2)), t.group(0)
        total = lines[0].split("│")[3].strip()
        assert _within_half_unit(math.fsum(_shown(t.group(2)) for t in terms), total), row.group(0)
        n_sums += 1
    assert n_products == 1 + 3 + 8 and n_sums == 4  # layer 2: its largest of 12 weights, its 3 biases; layer 1: 4 + 4
    md = _md_one_line(to_markdown(exs))
    n_md = 0
    num = r"(?:\\left\()?-?[\d.]+(?:\\right\))?"
    for m in re.finditer(rf"= ((?:{num} \\cdot )+{num}(?: \+ (?:{num} \\cdot )+{num})*) = ({num})$", md, re.M):
        plain = m.group(1).replace(r"\left(", "").replace(r"\right)", "")
        got = math.fsum(math.prod(float(f) for f in t.split(r" \cdot ")) for t in plain.split(" + "))
        assert _within_half_unit(got, m.group(2).replace(r"\left(", "").replace(r"\right)", "")), m.group(0)
        n_md += 1
    assert n_md >= 14


def test_terms_that_cancel_to_a_rounding_residue_keep_their_plain_digits() -> None:
    """A teacher's hand-made net with round numbers: the hand-back terms 0.1 · 0.3 and 0.03 · (−1)
    cancel to 6.9e-18, floating-point residue. No number of digits short of 17 makes the shown
    terms add up to that, and '0.10000000000000001 · …' would only confuse: they stay as typed."""
    net = Network([1, 1, 2], activation="linear", output_activation="linear", cost="half_squared_error")
    net.weights = [np.array([[1.0]]), np.array([[0.1], [0.03]])]
    net.biases = [np.array([0.0]), np.array([0.0, 0.0])]
    out = io.StringIO()
    render_rich(explain_all_layers(net, [1.0], [-0.2, 1.03]), Console(file=out, width=120, no_color=True))
    text = out.getvalue()
    assert "j=0: 0.1 · 1 · 0.3 = 0.03 " in text and "j=1: 0.03 · 1 · (-1) = -0.03 " in text
    assert "6.93889e-18" in text  # the sum itself, as computed


def _md_one_line(md: str) -> str:
    """Markdown's aligned blocks as one line each (rows joined with a space, no ``&``, ``\\quad``,
    ``\\begin``/``\\end``): their numbers in the order a learner reads them."""
    md = re.sub(r" \\\\\n&(?:\\quad )?", " ", md)
    md = re.sub(r" \\\\\n", " ", md)
    return md.replace("\\begin{aligned}\n", "").replace("\n\\end{aligned}", "").replace(" &= ", " = ")


def _forward_rows(text: str) -> list[tuple[list[str], str, str, str]]:
    """Each forward table's rows in a rich output: (term lines, b, z, a)."""
    rows: list[tuple[list[str], str, str, str]] = []
    lines = iter(text.splitlines())
    for line in lines:
        if "Forward pass of layer" not in line:
            continue
        for row in lines:
            if row.startswith("└"):
                break
            cells = [c.strip() for c in row.split("│")[1:-1]]
            if len(cells) != 5 or not cells[1].startswith(("k=", "…")):
                continue
            if cells[0]:
                rows.append(([cells[1]], cells[2], cells[3], cells[4]))
            else:
                rows[-1][0].append(cells[1])
    return rows


def test_shown_forward_terms_add_up_to_the_shown_z_and_give_the_shown_a() -> None:
    """A learner redoes the forward pass from the numbers on screen: each w · a gives its term,
    the terms plus b give z (every term shown), σ(z) gives a. With every number at 6 digits the
    sine net's layer 2 was off in z's last digit (rich and Markdown)."""
    from backprop_cli.activations import ACTIVATIONS

    net, x, y = _sine_net()
    cases = [(explain_all_layers(net, x, y), "tanh", "linear")]
    for hidden, output in (("sigmoid", "sigmoid"), ("relu", "linear"), ("tanh", "tanh")):
        other = Network([3, 5, 4, 2], activation=hidden, output_activation=output, cost="squared_error",
                        seed=7, init="normal")
        cases.append((explain_all_layers(other, [0.31, -1.7, 0.052], [0.2, 0.9]), hidden, output))
    n_sums = 0
    for exs, hidden, output in cases:
        rows = _forward_rows(_rich(exs))
        assert len(rows) == sum(len(ex.forward) for ex in exs)
        for (terms, b, z, a), ex in zip(rows, [ex for ex in exs for _ in ex.forward]):
            values = []
            for t in terms:
                m = re.fullmatch(r"k=\d+: (\S+) · (\S+) = (\S+)", t)
                assert m, t
                assert _within_half_unit(_shown(m.group(1)) * _shown(m.group(2)), m.group(3)), t
                values.append(_shown(m.group(3)))
            assert _within_half_unit(math.fsum(values + [_shown(b)]), z), (terms, b, z)
            act = ACTIVATIONS[hidden if ex.layer < ex.n_layers else output]
            assert _within_half_unit(float(act.fn(np.array([_shown(z)]))[0]), a), (z, a)
            n_sums += 1
    assert n_sums == (4 + 3) + 3 * (5 + 4 + 2)
    md = _md_one_line(to_markdown(cases[0][0]))
    num = r"(?:\\left\()?-?[\d.]+(?:\\right\))?"
    n_md = 0
    for m in re.finditer(r"\+ b_\{\d\}\^\{\(\d\)\} = " + rf"((?:{num} \\cdot {num} \+ )+)({num}) = ({num}) a_", md):
        plain = m.group(1).replace(r"\left(", "").replace(r"\right)", "")
        got = math.fsum([math.prod(float(f) for f in t.split(r" \cdot ")) for t in plain.split(" + ")[:-1]]
                        + [_shown(m.group(2).replace(r"\left(", "").replace(r"\right)", ""))])
        assert _within_half_unit(got, m.group(3)), m.group(0)
        n_md += 1
    assert n_md == 4 + 3


def _on_paper(*shown: str, digits: int = 6) -> str:
    """The product of shown numbers as a learner gets it: exact decimal arithmetic, rounded half
    up to ``digits`` significant digits (no floating point to break a tie either way)."""
    from decimal import ROUND_HALF_UP, Decimal, localcontext

    with localcontext() as ctx:
        ctx.prec = 100
        got = math.prod(Decimal(s.strip("()")) for s in shown)
        if got == 0:
            return "0"
        return f"{got.quantize(Decimal(1).scaleb(got.adjusted() - digits + 1), rounding=ROUND_HALF_UP).normalize():f}"


def test_shown_operands_do_not_multiply_to_a_tie_at_the_last_digit() -> None:
    """The default XOR's first forward table said 'k=0: 0.373299 · 0.5 = 0.186649': on paper
    0.373299 · 0.5 = 0.1866495, which rounds (half up) to 0.18665. In floating point the product
    of the shown numbers fell just below the tie, so the extra digits were not given."""
    from backprop_cli.render.explain import _operand_digits

    assert _operand_digits([0.37329898817030616, 0.5], 0.18664949408515308) > 6
    net = Network([1, 1, 1], activation="sigmoid", cost="squared_error")  # a^(1) = σ(0) = 0.5
    net.weights = [np.array([[0.0]]), np.array([[0.37329898817030616]])]
    net.biases = [np.array([0.0]), np.array([0.0])]
    (terms, _, _, _), = _forward_rows(_rich([explain_layer(net, [1.0], [0.0], layer="L")]))
    m = re.fullmatch(r"k=0: (\S+) · (\S+) = (\S+)", terms[0])
    assert m and m.group(2) == "0.5", terms
    assert _on_paper(m.group(1), m.group(2)) == m.group(3), terms


def test_a_saturated_units_long_terms_multiply_to_what_they_show() -> None:
    """A sigmoid unit at z = −303.7 (a = 1.2e-132) shows z with 9 digits so that σ of it gives a,
    and its terms as many: 'k=3: 0.157365417 · 39.8500736 = 6.27102343' was off by 2 units
    (0.157365417 · 39.8500736 = 6.271023450), its factors capped at 10 digits where 6.2710234338
    lies near a tie at 9. Found by an independent check of the shown products on random networks."""
    w = [-1.7957591358565237, 1.2285570823490708, 2.0021631900253856, 0.1573654165605474]
    x = [143.10796958016834, 38.776787229581664, -51.11409912775291, 39.85007361095767]
    net = Network([4, 1, 1], activation="sigmoid", cost="squared_error")
    net.weights = [np.array([w]), np.array([[1.0]])]
    net.biases = [np.array([1.6737796319953933]), np.array([0.0])]
    (terms, b, z, a), = _forward_rows(_rich([explain_layer(net, x, [0.0], layer=1)]))
    assert len(z.strip("()-").replace(".", "")) >= 9, z  # the z a learner needs for σ(z) = a
    values = []
    for t in terms:
        m = re.fullmatch(r"k=\d+: (\S+) · (\S+) = (\S+)", t)
        assert m, t
        digits = len(m.group(3).strip("()-").replace(".", "").lstrip("0"))
        assert _on_paper(m.group(1), m.group(2), digits=digits) == m.group(3).strip("()"), t
        values.append(_shown(m.group(3)))
    assert _within_half_unit(math.fsum(values + [_shown(b)]), z), (terms, b, z)


def test_received_sums_match_the_backward_pass_and_stay_bounded_under_full() -> None:
    """A hidden layer's received ∂C0/∂a_j^(l) is layer l+1's eq. 8 sum: its terms add up to the
    backward pass's value. Under --full they are all shown while no more than the layer's own
    weights; a wide layer l+1 keeps its first 8 terms, with where to see the rest (not '--full',
    which was given)."""
    net = Network([2, 3, 4, 1], activation="tanh", output_activation="linear", cost="squared_error", seed=1)
    x, y = [0.3, -0.7], [0.2]
    cache = net.forward(np.array([x]))
    grad_a = net.backward(cache, np.array([[0.2]])).grad_a[1][0]
    ex = explain_layer(net, x, y, layer=1, full=True)
    assert [r.k for r in ex.received] == [0, 1, 2]
    for r in ex.received:
        assert r.value == pytest.approx(grad_a[r.k], rel=1e-12) and r.check.status == "pass"
        assert [t.index for t in r.terms] == [(i, r.k) for i in range(4)]  # all 4 (fewer than 8)
    wide = Network([1, 2, 30, 1], activation="tanh", output_activation="linear", cost="squared_error", seed=1)
    ex = explain_layer(wide, [0.5], [0.1], layer=1, full=True)
    assert all(len(r.terms) == 8 and r.n_terms == 30 for r in ex.received)
    console = Console(record=True, width=120)
    render_rich(ex, console)
    assert "… 22 more terms (all: --layer 2 --full)" in console.export_text()


def test_all_layers_shows_each_eq8_sum_once() -> None:
    """--all-layers prints layer l+1's hand-back just before layer l: a received table under layer
    l repeated the same sums (and counted their checks twice). Explained alone, layer l keeps them."""
    net = Network([2, 3, 4, 1], activation="tanh", output_activation="linear", cost="squared_error", seed=1)
    x, y = [0.3, -0.7], [0.2]
    exs = explain_all_layers(net, x, y)
    assert [ex.layer for ex in exs] == [3, 2, 1] and all(ex.received == () for ex in exs)
    above = {ex.layer: ex for ex in exs}
    for l in (1, 2):
        alone = explain_layer(net, x, y, layer=l)
        assert [r.value for r in alone.received] == [h.value for h in above[l + 1].hand_back]
    console = Console(record=True, width=120)
    render_rich(exs, console)
    assert "received from layer" not in console.export_text()


def test_a_cost_overflowing_on_a_huge_target_names_the_target_in_the_python_api():
    """explain_layer(net, x, y=1e200): the hint named smaller weights and standardized inputs;
    the target is the cause (output j without names; column and row when the CLI gives them)."""
    net = Network([2, 3, 1], output_activation="linear")
    with pytest.raises(DataError) as err:
        explain_layer(net, [1.0, 2.0], [1e200], layer="L")
    assert "its target 1e+200 (output 0) is too large for the cost squared_error" in err.value.message
    assert err.value.hint.startswith("scale the targets down") and "weights" not in err.value.hint
    with pytest.raises(DataError) as err:
        explain_all_layers(net, [1.0, 2.0], [1e200], target_names=("price",), row=7)
    assert "its target 1e+200 (column price, row 7 of the training split)" in err.value.message


def test_row_and_standardized_are_checked_and_a_numpy_row_writes_as_json():
    """row= is the header's 'example i' and --format json's row: np.int64(3) (a row index from numpy)
    made to_json's json.dumps fail ('int64 is not JSON serializable'); -1, 1.5, True and "3" were
    printed as 'example -1' …; standardized="false" was bool("false"), True: each is a ConfigError."""
    net = Network([2, 3, 1], seed=0)
    for fn in (lambda **kw: explain_layer(net, [0.1, 0.2], [0.5], layer="L", **kw),
               lambda **kw: explain_all_layers(net, [0.1, 0.2], [0.5], **kw)):
        ex = fn(row=np.int64(3), standardized=np.bool_(True))
        one = ex if isinstance(ex, LayerExplanation) else ex[0]
        assert type(one.row) is int and one.row == 3 and one.standardized is True
        json.dumps(to_json(ex))
        for bad in (-1, 1.5, True, "3"):
            with pytest.raises(ConfigError, match=r"^row: .* is not a row of the training split; give its 0-based index"):
                fn(row=bad)
        for bad in ("false", None, 2):
            with pytest.raises(ConfigError, match=r"^standardized: .* must be True or False"):
                fn(standardized=bad)


def test_hand_back_delta_of_sigmoid_cross_entropy_reads_a_minus_y_with_its_value():
    """Sigmoid + cross_entropy: each hand-back term is w_jk · δ_j with δ_j = a_j − y_j (not
    y_j − a_j), its value a_j − y_j of the forward pass computed here by hand."""
    net = Network([2, 3, 2], activation="tanh", output_activation="sigmoid", cost="cross_entropy", seed=1,
                  init="normal")
    x, y = np.array([0.5, -1.0]), np.array([1.0, 0.0])
    a1 = np.tanh(net.weights[0] @ x + net.biases[0])
    a2 = 1.0 / (1.0 + np.exp(-(net.weights[1] @ a1 + net.biases[1])))
    ex = explain_layer(net, x, y, layer=2, full=True)
    for h in ex.hand_back:
        for t in h.terms:
            w, delta = t.factors
            j, k = t.index
            assert (delta.symbol, delta.formula) == (f"∂C0/∂z_{j}^(2)", f"a_{j}^(2) − y_{j}"), delta
            assert delta.value == pytest.approx(a2[j] - y[j], rel=1e-12)
            assert (w.formula, w.value) == (f"w_{j}{k}^(2)", net.weights[1][j, k]), w


def test_explain_from_python_refuses_a_cross_entropy_target_outside_0_1():
    """Network.cost and the CLI's --y refuse y = 2 under cross-entropy (its "cost" falls below 0
    without end); explain_layer explained C0 = −1.2 for it, as if it were a cost."""
    from backprop_cli.errors import InputError

    net = Network([2, 3, 1], cost="cross_entropy", seed=0)
    with pytest.raises(InputError, match=r"^y holds 2\.0; cross_entropy needs targets in \[0, 1\]"):
        explain_layer(net, [1.0, 2.0], [2.0], layer=2)
    with pytest.raises(InputError, match=r"^y holds -0\.5; "):
        explain_all_layers(net, [1.0, 2.0], [-0.5])
    assert explain_layer(net, [1.0, 2.0], [0.3], layer=2).cost_value > 0  # a soft target is a cost


def test_a_small_output_layer_gradient_from_a_near_zero_input_is_not_called_vanishing() -> None:
    """2-3-1 relu/linear with x = (1, 2): z^(1) = (2.8e-17, 0, -0.4), so a^(1) ≈ 2.8e-17 and
    ‖∂C0/∂w^(2)‖ = ‖δ^(2)‖ ‖a^(1)‖ = 2.5e-17, while ‖∂C0/∂b^(2)‖ = 0.9. explain called layer 2, the
    output, a 'vanishing gradient'; the cause is its input, and the warning now says that."""
    net = Network([2, 3, 1], activation="relu", output_activation="linear", cost="squared_error")
    net.weights = [np.array([[0.5, -0.3], [1.0, -0.5], [0.2, 0.1]]), np.array([[1.5, -2.0, 0.7]])]
    net.biases = [np.array([0.1, 0.0, -0.4]), np.array([0.05])]
    ex = explain_layer(net, [1.0, 2.0], [0.5], layer=1)
    assert not any(w.kind == "vanishing" for w in ex.warnings), [w.message for w in ex.warnings]
    (w,) = [w for w in ex.warnings if w.kind == "small_input"]
    assert w.layer == 2 and "is small because its input a^(1) is near 0 (‖a^(1)‖ = 2.8e-17), not a " \
        "vanishing gradient" in w.message and "‖∂C0/∂b^(2)‖ = ‖δ^(2)‖ = 0.9" in w.message, w.message


def test_a_non_finite_softmax_cost_derivative_names_its_layer_and_one_neuron_without_a_generic_chain() -> None:
    """softmax + cross_entropy with a_1 = e^(−2000)/… = 0 and y_1 = 1: ∂C0/∂a_1 = −y/a = −inf. The
    warning read 'layer 2: … for neurons 1 (a rounds to 0 or 1); … shown instead of the generic
    chain', though softmax has no generic chain and 1 is one neuron."""
    net = Network([1, 2, 2], activation="tanh", output_activation="softmax", cost="cross_entropy")
    net.weights = [np.eye(2, 1), np.array([[1000.0, 0.0], [-1000.0, 0.0]])]
    net.biases = [np.zeros(2), np.zeros(2)]
    ex = explain_layer(net, [5.0], [0.0, 1.0], layer="L")
    (w,) = [w for w in ex.warnings if w.kind == "nonfinite"]
    assert w.message == ("layer 2 (L): ∂C0/∂a is not finite for neuron 1 (a rounds to 0); the output rule "
                         "δ = a − y does not use it."), w.message
    net = Network([1, 1, 1], activation="sigmoid", cost="cross_entropy")
    net.weights = [np.array([[1.0]]), np.array([[2.0]])]
    net.biases = [np.array([0.0]), np.array([40.0])]
    (w,) = [w for w in explain_layer(net, [0.0], [0.0], layer="L").warnings if w.kind == "nonfinite"]
    assert w.message == ("layer 2 (L): ∂C0/∂a is not finite for neuron 0 (a rounds to 0 or 1); the fused "
                         "rule δ = a − y is shown instead of the generic chain."), w.message


def test_expand_without_weight_on_a_zero_input_says_every_chain_is_0_and_takes_a_non_zero_one() -> None:
    """xor's example 0 is x = (0, 0): every ∂C0/∂w of layer 1 is 0, a tie that argmax broke at
    w_00^(1), whose chain ended '· 0 = 0' as if that weight were special. Now the note says every
    chain of the layer is 0 and why (the inputs), and the weight taken has the largest |δ_j|, so
    a_k = 0 is its chain's only 0."""
    net = Network([2, 3, 1], activation="sigmoid", cost="squared_error", seed=0)
    ex = explain_layer(net, [0.0, 0.0], [0.0], layer=1, expand=True)
    e = ex.expansion
    assert e is not None and e.all_zero
    assert not np.any([p.value for p in ex.weight_products])  # all 0: a tie
    j = int(np.argmax([abs(r.delta) for r in ex.neurons]))
    assert (e.j, e.k) == (j, 0) and ex.neurons[j].delta != 0
    assert [f.value == 0 for f in e.factors] == [False] * (len(e.factors) - 1) + [True]  # only a_k
    assert e.notes[0] == (
        "No --weight given, and every ∂C0/∂w of layer 1 is 0 for this example (its inputs x are all 0), "
        f"so every chain ends in 0. Expanding w_{j}0^(1), the weight of the largest |δ_j| (a_k is its "
        "chain's only 0).")
    # a non-zero gradient: the largest |∂C0/∂w| as before, not flagged
    e = explain_layer(net, [0.0, 1.0], [0.0], layer=1, expand=True).expansion
    assert e is not None and not e.all_zero and e.path_value != 0
    assert e.notes[0].startswith("No --weight given: expanding w_")


def test_expand_on_a_dead_layer_fed_zeros_says_both_factors_are_0() -> None:
    """A 2-3-1 ReLU net with hidden biases of −10 at x = (0, 0): the inputs and every δ_j are 0,
    yet the note said 'the weight of the largest |δ_j| (a_k is its chain's only 0)'."""
    net = Network([2, 3, 1], activation="relu", output_activation="sigmoid", cost="squared_error", seed=0)
    net.biases = [np.full(3, -10.0), np.array([0.0])]
    ex = explain_layer(net, [0.0, 0.0], [1.0], layer=1, expand=True)
    e = ex.expansion
    assert e is not None and e.all_zero and not any(r.delta for r in ex.neurons)
    assert (e.j, e.k) == (0, 0)
    assert e.notes[0] == (
        "No --weight given, and every ∂C0/∂w of layer 1 is 0 for this example (its inputs x are all 0 and every "
        "δ_j^(1) is 0), so every chain ends in 0. Expanding w_00^(1), the first (every chain has both a_k and δ_j 0).")


def test_only_seed_000s_own_cost_labels_its_derivative_eq_4() -> None:
    """Under ½(a − y)² the line read 'cost derivative (eq. 4): ∂C0/∂a_j = a_j − y_j', and seed
    000's eq. 4 is 2(a − y): the other costs' derivatives take eq. 4's place."""
    for cost, label in (("squared_error", "cost derivative (eq. 4)"),
                        ("half_squared_error", "cost derivative (in eq. 4's place)"),
                        ("cross_entropy", "cost derivative (in eq. 4's place)")):
        net = Network([1, 1, 1], activation="tanh", output_activation="sigmoid", cost=cost, seed=0)
        labels = [e.label for e in explain_layer(net, [0.5], [1.0], layer="L").source.equations]
        assert label in labels and [x for x in labels if x.startswith("cost derivative")] == [label], (cost, labels)


def test_softmax_targets_that_do_not_sum_to_1_are_explained_with_the_rule_their_numbers_follow():
    """From Python, explain_layer takes softmax targets that do not sum to 1 (0.2, 0.2, 0.2): its numbers
    were δ = a Σy − y (the backward pass's, right by finite differences) while every formula beside them
    said δ_j = a_j − y_j, 'the targets summing to 1'. The formulas now say what is computed."""
    import io

    from rich.console import Console

    from backprop_cli.render.explain import render_layer

    net = Network([4, 5, 3], activation="tanh", output_activation="softmax", cost="cross_entropy", seed=0)
    y = np.array([0.2, 0.2, 0.2])
    ex = explain_layer(net, [1.0, 2.0, 3.0, 4.0], y, layer="L")
    a = net.forward(np.array([[1.0, 2.0, 3.0, 4.0]])).a[2][0]
    assert [p.value for p in ex.bias_products] == pytest.approx(a * y.sum() - y, rel=1e-12)
    assert ex.source.equations[-1].text.endswith("= a_j^(2) Σ_i y_i − y_j")
    assert "here with Σ_i y_i = 0.6" in ex.source.notes[0] and "= a_j − y_j" not in ex.source.notes[0]
    console = Console(file=io.StringIO(), width=120)
    render_layer(ex, console)
    out = console.file.getvalue()
    assert "δ^(L) = a Σ_i y_i − y" in out and "E_o = E_2 = C'(Z_2) = ŷ Σ_i y_i − y" in out
    assert "a_0^(2) − y_0" not in out and "δ_j^(2) = a_j − y_j" not in out, out
    # seed 001's worked E_o[j] is the same rule with its numbers: ŷ_j Σ_i y_i − y_j = a_j · 0.6 − 0.2
    e = ex.seed001.error_example
    j = e.index[0]
    assert e.rule == "difference" and [f.value for f in e.factors] == pytest.approx([a[j], 0.6, 0.2], rel=1e-12)
    assert e.value == next(n.delta for n in ex.neurons if n.j == j)  # the backward pass's δ_j
    assert f"E_2[{j}] = ŷ_{j} Σ_i y_i − y_{j} = {a[j]:.6g} · 0.6 − 0.2 = {a[j] * 0.6 - 0.2:.6g}" in out, out
    one_hot = explain_layer(net, [1.0, 2.0, 3.0, 4.0], [0.0, 1.0, 0.0], layer="L")  # as before
    assert one_hot.source.equations[-1].text.endswith("= a_j^(2) − y_j")
    # targets within the CLI's 1e-6 of summing to 1 keep the rule their numbers follow (a − y there flipped a
    # δ's sign where a ≈ y), with the sum shown to its digits (float32's 0.1, 0.1, 0.8 read 'Σ_i y_i = 1 (… do
    # not sum to 1)')
    f32 = explain_layer(net, [1.0, 2.0, 3.0, 4.0], np.array([0.1, 0.1, 0.8], dtype=np.float32), layer="L")
    assert f32.source.equations[-1].text.endswith("= a_j^(2) Σ_i y_i − y_j")
    assert "Σ_i y_i = 1.000000015" in f32.source.notes[0]
    exact = explain_layer(net, [1.0, 2.0, 3.0, 4.0], [0.1, 0.2, 0.7], layer="L")  # 1 up to float64's rounding
    assert exact.source.equations[-1].text.endswith("= a_j^(2) − y_j")
    # --expand's path from a hidden weight: its dC/dZ factor too (it kept a_1 − y_1 beside a Σy − y's value)
    deep = Network([2, 3, 3], output_activation="softmax", cost="cross_entropy", seed=0)
    ex = explain_layer(deep, [1.0, 2.0], [0.2, 0.3, 0.2], layer=1, expand=True)
    head = ex.expansion.factors[0]
    assert "Σ_i y_i" in head.formula and head.value == pytest.approx(deep.backward(deep.forward(np.array([[1.0, 2.0]])), np.array([[0.2, 0.3, 0.2]])).delta[2][0][ex.expansion.path[0]], rel=1e-12)


def test_counts_in_the_explanation_have_thousands_separators():
    """`--expand` on a 2-64-64-64-64-3 network headed `786,432 paths` but noted `786432 paths are
    too many …`; the verdict said `all 1202 products agree`, the forward pass `\\text{1198 more}`, the
    seed 001 notes and the Showing note `of 1200`. Every count now has its separators."""
    net = Network([2, 64, 64, 64, 64, 3], activation="relu", output_activation="softmax",
                  cost="cross_entropy", seed=0)
    ex = explain_layer(net, [0.1, -0.9], [1.0, 0.0, 0.0], layer=1, expand=True, max_rows=2)
    notes = " ".join(ex.expansion.notes)
    assert "786,432 paths are too many to add one by one" in notes and "786432" not in notes, notes
    wide = Network([1200, 1, 1], seed=0)
    x = np.linspace(-1, 1, 1200)
    ex = explain_layer(wide, x, [0.5], layer=1, max_rows=2)
    md = to_markdown(ex)
    assert r"\dots\ (\text{1,198 more}) + " in md and "and 2 of 1,200 inputs" in md
    assert "(inputs 0 to 1 of 1,200, … 1,198 more)" in md
    console = Console(file=io.StringIO(), width=100, record=True)
    render_rich(ex, console)
    text = " ".join(console.export_text().replace("│", " ").split())
    assert "… 1,198 more terms (--full)" in text and "(inputs 0 to 1 of 1,200, … 1,198 more (--full))" in text
    full = explain_layer(wide, x, [0.5], layer=1, full=True)
    assert "all 1,202 products agree" in to_markdown(full, brief=True)
    counts = re.findall(r"(?:of|all|more|Showing) [\d,]+", (md + text).replace("1200-1-1", ""))  # not the architecture
    assert counts and not re.search(r"\d{4}", " ".join(counts)), counts


def test_a_written_out_product_does_not_underflow_where_its_value_does_not():
    """a_1^(1) · σ'(z_1^(2)) · ∂C0/∂a_1^(2) = 2.3e-100 · 4.0e-293 · (−6.3e+291) under a saturated sigmoid and
    cross-entropy: the first two multiplied first underflowed to 0, so the product read 0 (−0.0 in --json)
    where δ_1 a_1 and backprop give −5.7e-101; its check passed on the absolute floor. An outside check
    against torch found it."""
    w1 = [[-16.89744247988404, -16.156805931029627], [32.71060375201618, -67.88494237944444],
          [30.45676991329995, 44.510619324048584], [18.100268464736953, -18.42994788779701]]
    w2 = [[-6.133178683284875, -1.457705419277083, 29.975685435046334, 16.01355925500996],
          [-24.218089633535786, 9.83950345072409, -12.875497401599931, 9.381084478787622]]
    b = [[0.03798560083022033, 0.08612384734158386, 0.3325330213840884, 0.4417069558640127],
         [0.06299940609433664, 0.04565116205933694]]
    net = Network([2, 4, 2], activation="softplus", output_activation="sigmoid", cost="cross_entropy")
    net.weights[0], net.weights[1] = np.array(w1), np.array(w2)
    net.biases[0], net.biases[1] = np.array(b[0]), np.array(b[1])
    x, y = [-1.8982396218793618, 2.4662820935026994], [0.7747152805196774, 0.24872006653771184]
    ex = explain_layer(net, x, y, layer="L")
    dw = net.gradients(np.array([x]), np.array([y]))[0][1]
    for p in ex.weight_products:
        j, k = p.index
        assert p.value == pytest.approx(dw[j, k], rel=1e-12, abs=0), (p.index, p.value, dw[j, k])
    assert any(p.value != 0 and 0 < abs(p.value) < 1e-90 for p in ex.weight_products)
    from backprop_cli.explain import _product

    def product(*values):
        return _product(tuple(dataclasses.replace(ex.weight_products[0].factors[0], value=v) for v in values))

    # a product that does overflow or underflow as a whole is inf or 0, as multiplying gives, never an error
    assert product(1e300, 1e10) == math.inf and product(-1e300, 1e10) == -math.inf and product(1e-300, 1e-300) == 0
    assert math.isnan(product(math.nan, 2.0)) and product(0.0, 1e300) == 0
    # where nothing under- or overflows, the same bits as multiplying the factors left to right
    for p in ex.weight_products + ex.bias_products:
        naive = functools.reduce(lambda acc, f: acc * f.value, p.factors, 1.0)
        if naive != 0 and math.isfinite(naive) and abs(naive) > 1e-290:
            assert p.value == naive, (p.index, p.value, naive)


def test_notes_of_the_rich_render_are_said_as_the_other_note_lines() -> None:
    """`explain --model` of a float32 run printed 'note: The network is float32; explain works on a float64
    copy, … digits.' where every other note: line of the tool starts lower case and ends without a full
    stop; markdown and JSON keep the sentence."""
    net = Network([2, 2, 1], seed=0, dtype="float32")
    ex = explain_layer(net, [1.0, 0.5], [1.0], layer=1)
    console = Console(record=True, width=400, color_system=None)
    render_rich(ex, console)
    notes = [line for line in console.export_text().splitlines() if line.startswith("note: ")]
    assert notes == ["note: the network is float32; explain works on a float64 copy, so its numbers can differ "
                     "from the trainer's in the last ~7 significant digits",
                     "note: layer 1 hands nothing back: a^(0) is the input x, data rather than a parameter, so the "
                     "backward pass stops here (∂C0/∂x is not computed)"], notes
    assert ex.notes[0].startswith("The network is float32;")  # the sentence itself, as markdown writes it


# --- each neuron's σ' and ∂C0/∂a worked out with its numbers --------------------------------------------
#: A worked line under the per-neuron table: its symbol, then " = "-separated stages, the last the value.
_WORKED = re.compile(r"^(σ'\(z_(\d+)\^\((\d+)\)\)|∂C0/∂a_(\d+)\^\((\d+)\)|∂C0/∂z_(\d+)\^\((\d+)\)) = ")


def _by_hand(numbers: str) -> float:
    """A worked line's numbers as a learner types them into a calculator: · is ×, ² a square, e^(x) exp."""
    expr = numbers.replace("·", "*").replace("−", "-").replace("²", "**2")
    expr = re.sub(r"(\d)\(", r"\1*(", re.sub(r"e\^\(", "exp(", expr))
    return float(eval(expr, {"__builtins__": {}, "exp": math.exp}))  # our own printed digits


def _worked_lines(exs, width: int = 400) -> list[str]:
    console = Console(record=True, width=width, color_system=None)
    render_rich(exs, console)
    return [line for line in console.export_text().splitlines() if _WORKED.match(line)]


def _hand_prime(name: str, z: float) -> float:
    s = 1 / (1 + math.exp(-z)) if z > -700 else 0.0
    return {"sigmoid": math.exp(-abs(z)) / (1 + math.exp(-abs(z))) ** 2,
            "tanh": 4 * math.exp(-2 * abs(z)) / (1 + math.exp(-2 * abs(z))) ** 2,
            "relu": 1.0 if z > 0 else 0.0, "leaky_relu": 1.0 if z > 0 else 0.01, "linear": 1.0,
            "elu": 1.0 if z > 0 else math.exp(z), "softplus": s, "silu": s * (1 + z * (1 - s))}[name]


@pytest.mark.parametrize("hidden", sorted(HIDDEN_ACTIVATIONS))
@pytest.mark.parametrize(("output", "cost"), [("linear", "squared_error"), ("tanh", "half_squared_error"),
                                              ("sigmoid", "cross_entropy"), ("softmax", "cross_entropy")])
def test_each_neurons_sigma_prime_and_cost_derivative_are_worked_out_and_multiply_out(hidden, output, cost):
    """`explain --layer L --example 1` showed `= 0.286588 · 0.229894 · (-0.716408)` but never that 0.229894 =
    σ'(z) = a(1 − a) = 0.641796 · (1 − 0.641796), nor that -0.716408 = ∂C0/∂a = 2(a − y) = 2(0.641796 − 1).
    Under the per-neuron table each shown neuron's σ' (every layer) and ∂C0/∂a (the output; a fused rule's
    δ = a − y instead) is worked out: its numbers, computed by hand, give the value shown, which is the
    factor the products use and what the activation's and cost's derivative give by hand."""
    net = Network([2, 3, 2], activation=hidden, output_activation=output, cost=cost, seed=3, init="normal")
    y = [1.0, 0.0] if output in ("sigmoid", "softmax") else [0.5, -0.2]
    exs = explain_all_layers(net, [0.3, -0.7], y)
    lines = _worked_lines(exs)
    seen = set()
    for line in lines:
        m = _WORKED.match(line)
        assert m is not None
        head, _, aside = line.partition(", ")
        stages = head.split(" = ")
        shown = float(stages[-1])
        if m.group(2):
            kind, j, l = "σ'", int(m.group(2)), int(m.group(3))
        elif m.group(4):
            kind, j, l = "∂C0/∂a", int(m.group(4)), int(m.group(5))
        else:
            kind, j, l = "δ", int(m.group(6)), int(m.group(7))
        ex = next(e for e in exs if e.layer == l)
        r = next(r for r in ex.neurons if r.j == j)
        product = next(p for p in ex.bias_products if p.index == (j,))
        if kind == "σ'":
            assert product.factors[1].value == r.sigma_prime  # the factor its products multiply
            assert shown == pytest.approx(_hand_prime(ex.activation, r.z), rel=5e-6), line
            assert f"{shown:.6g}" == f"{r.sigma_prime:.6g}", line
        elif kind == "∂C0/∂a":
            a, t = r.a, y[j]
            by_hand = {"squared_error": 2 * (a - t), "half_squared_error": a - t,
                       "cross_entropy": (a - t) / (a * (1 - a))}[cost]
            assert shown == pytest.approx(by_hand, rel=5e-6) and f"{shown:.6g}" == f"{r.grad_a:.6g}", line
            assert product.factors[2].value == r.grad_a
        else:
            assert shown == pytest.approx(r.a - y[j], rel=5e-6) and f"{shown:.6g}" == f"{r.delta:.6g}", line
        numbers = stages[-2] if len(stages) >= 3 and not re.search(r"[azy]_\d", stages[-2]) else None
        if numbers is not None:
            assert f"{_by_hand(numbers):.6g}" == stages[-1], line  # the numbers multiply out as shown
        else:  # no numbers: a ReLU's (or linear's) σ' read off z's sign
            assert ex.activation in ("relu", "leaky_relu", "linear", "elu") and aside.startswith("as "), line
            if aside.startswith("as z"):
                assert (float(aside.split(" = ")[1].split()[0]) > 0) == (" > 0" in aside) == (shown == 1), line
        seen.add((kind, l, j))
    fused = output == "softmax"
    want = {("σ'", 1, j) for j in range(3)} | {("δ" if fused else "σ'", 2, j) for j in range(2)}
    want |= set() if fused else {("∂C0/∂a", 2, j) for j in range(2)}
    assert seen == want, lines


def test_the_worked_lines_read_as_the_teacher_asked_and_brief_leaves_them_out() -> None:
    """The default network's --layer L --example 1 (README's sample): the two lines, word for word; Markdown
    has them as a $$ block, --brief (no per-neuron table) neither; JSON's numbers are the ones they use."""
    from backprop_cli.config import load_config
    from backprop_cli.experiment import prepare

    exp = prepare(load_config(None))
    ex = explain_layer(exp.net, exp.train.X[1], exp.train.Y[1], layer="L")
    assert _worked_lines(ex, 100) == [
        "σ'(z_0^(2)) = a_0^(2) (1 − a_0^(2)) = 0.641796 · (1 − 0.641796) = 0.229894",
        "∂C0/∂a_0^(2) = 2(a_0^(2) − y_0) = 2(0.641796 − 1) = -0.716408"]
    console = Console(record=True, width=60, color_system=None)
    render_rich(ex, console)  # narrow: the numbers on a line of their own, never beside the formula (σ' = a)
    text = console.export_text()
    assert ("σ'(z_0^(2)) = a_0^(2) (1 − a_0^(2))\n    = 0.641796 · (1 − 0.641796) = 0.229894\n"
            "∂C0/∂a_0^(2) = 2(a_0^(2) − y_0)\n    = 2(0.641796 − 1) = -0.716408\n") in text, text
    md = to_markdown(ex)
    assert ("$$\n\\begin{aligned}\n\\sigma'\\left(z_{0}^{(2)}\\right) &= a_{0}^{(2)} \\left(1 - a_{0}^{(2)}\\right) "
            "= 0.641796 \\cdot \\left(1 - 0.641796\\right) = 0.229894 \\\\\n\\frac{\\partial C_0}{\\partial a_{0}^{(2)}} "
            "&= 2\\left(a_{0}^{(2)} - y_{0}\\right) = 2\\left(0.641796 - 1\\right) = -0.716408\n\\end{aligned}\n$$") in md
    assert md.index("### Per neuron") < md.index("0.641796 \\cdot") < md.index("### Products, each checked")
    assert "0.641796 \\cdot" not in to_markdown(ex, brief=True)
    console = Console(record=True, width=100, color_system=None)
    render_rich(ex, console, brief=True)
    assert "(1 − 0.641796)" not in console.export_text()
    n, y = to_json(ex)["neurons"][0], to_json(ex)["y"][0]  # JSON carries no lines, the numbers they are of
    assert [f"{v:.6g}" for v in (n["a"], y, n["sigma_prime"], n["grad_a"])] == ["0.641796", "1", "0.229894", "-0.716408"]


@pytest.mark.parametrize(("activation", "z", "form"), [
    ("sigmoid", 40.4, "e^(-40.4) / (1 + e^(-40.4))² = 2.84776e-18"),
    ("sigmoid", 30.0, "e^(-30) / (1 + e^(-30))² = 9.35762e-14"),
    ("tanh", 20.0, "4 / (e^(20) + e^(-20))² = 1.69934e-17"),
    ("tanh", -20.0, "4 / (e^(-20) + e^(20))² = 1.69934e-17"),
    ("sigmoid", -30.0, "9.35762e-14 · (1 − 9.35762e-14) = 9.35762e-14"),  # a near 0 keeps its digits
])
def test_a_saturated_units_sigma_prime_is_worked_out_from_z_as_explain_computes_it(activation, z, form):
    """explain computes sigmoid's and tanh's σ' from z (README, "σ' of sigmoid and tanh"): σ'(30) = 9.35762e-14,
    where a(1 − a) of the rounded a gives 9.34808e-14, and σ'(40.4) = 2.84776e-18 where it gives 0. A line
    a(1 − a) = 1 · (1 − 1) = 2.84776e-18 would not multiply out: there σ' is worked out from z, and says so."""
    net = Network([1, 1], activation=activation, seed=0)
    net.weights[0] = np.array([[z]])
    net.biases[0] = np.array([0.0])
    ex = explain_layer(net, [1.0], [0.0], layer=1)
    (line, _), = [_worked_lines(ex)]
    assert line.split(" = ", 1)[1].split(" = ")[-3 if "from z" in line else -2:] and form in line, line
    if z > 0:
        assert line.endswith(", from z, as 1 − a_0^(1) would lose its digits" if activation == "sigmoid" else
                             ", from z, as 1 − (a_0^(1))² would lose its digits"), line
    assert f"{ex.neurons[0].sigma_prime:.6g}" == line.split(" = ")[-1].split(",")[0]


@pytest.mark.parametrize("z", [15.0, 20.0, 36.0])
@pytest.mark.parametrize("y", [0.0, 1.0])
def test_a_sigmoid_output_near_1_under_cross_entropy_works_out_its_cost_derivative(z, y):
    """A sigmoid output at z from 15 to 36 under cross_entropy (not yet the fused rule) crashed explain with
    ZeroDivisionError: its a = 1 − 3e-7 … 2e-16, rounded to 6 digits, is 1, and (a − y) / (a (1 − a)) divided by
    0 (a trained circles model hit it on every third example). Its digits are now sought as for any line."""
    net = Network([1, 1], activation="sigmoid", cost="cross_entropy", seed=0)
    net.weights[0] = np.array([[z]])
    net.biases[0] = np.array([0.0])
    ex = explain_layer(net, [1.0], [y], layer=1)
    line = [line for line in _worked_lines(ex) if line.startswith("∂C0/∂a_0^(1)")]
    assert len(line) == 1 and line[0].endswith(f" = {ex.neurons[0].grad_a:.6g}"), line
    a = float(line[0].split(" = ")[-2].split(" − ")[0].strip("( "))  # the shown a multiplies out
    assert a != 1.0 and f"{(a - y) / (a * (1 - a)):.6g}" == f"{ex.neurons[0].grad_a:.6g}", line


def test_a_wide_layer_works_out_the_neurons_of_its_written_out_products() -> None:
    """Past 8 neurons shown (--full) one line each would be a second table: the neurons of the products written
    out are worked out, and a line says so."""
    net = Network([3, 12, 1], seed=1)
    ex = explain_layer(net, [0.5, -1.0, 2.0], [1.0], layer=1, full=True)
    lines = _worked_lines(ex)
    written = {p.index[0] for p in ex.weight_products if abs(p.value) == max(abs(q.value) for q in ex.weight_products)}
    written |= {p.index[0] for p in ex.bias_products if abs(p.value) == max(abs(q.value) for q in ex.bias_products)}
    assert [int(line[len("σ'(z_"):].split("^")[0]) for line in lines] == sorted(written)
    console = Console(record=True, width=200, color_system=None)
    render_rich(ex, console)
    which = f"neuron {min(written)}" if len(written) == 1 else f"neurons {min(written)} and {max(written)}"
    assert f"worked out for {which} only, whose products are written out below; the table has every neuron's" \
        in console.export_text()
