"""The network's forward and backward passes against independent references."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

import reference
from helpers import targets_for
from backprop_cli import Network
from backprop_cli.activations import ACTIVATIONS, get_activation
from backprop_cli.costs import COSTS, supported_pairs
from backprop_cli.errors import ConfigError

ELEMENTWISE = sorted(n for n, a in ACTIVATIONS.items() if a.prime is not None)


# --- activations and costs against central finite differences ------------------------

@pytest.mark.parametrize("name", ELEMENTWISE)
def test_activation_prime_matches_finite_difference(name):
    act = ACTIVATIONS[name]
    z = np.array([[-3.0, -0.7, -0.05, 0.05, 0.4, 2.5]])  # away from ReLU's kink at 0
    h = 1e-6
    numeric = (act.fn(z + h) - act.fn(z - h)) / (2 * h)
    np.testing.assert_allclose(act.prime(z, act.fn(z)), numeric, rtol=1e-6, atol=1e-9)


def test_relu_prime_at_zero_is_zero():
    relu = ACTIVATIONS["relu"]
    z = np.array([[0.0, -0.0, 1e-300]])
    assert relu.prime(z, relu.fn(z)).tolist() == [[0.0, 0.0, 1.0]]


def test_sigmoid_is_stable_for_large_z():
    s = ACTIVATIONS["sigmoid"].fn(np.array([[-1000.0, 0.0, 1000.0]]))
    assert s.tolist() == [[0.0, 0.5, 1.0]]


def test_softmax_rows_sum_to_one_and_are_stable():
    a = ACTIVATIONS["softmax"].fn(np.array([[1000.0, 1000.0], [0.0, math.log(3.0)]]))
    np.testing.assert_allclose(a, [[0.5, 0.5], [0.25, 0.75]])


@pytest.mark.parametrize("name", sorted(COSTS))
def test_cost_grad_matches_finite_difference(name):
    cost = COSTS[name]
    rng = np.random.default_rng(1)
    a = rng.uniform(0.1, 0.9, (3, 4))
    y = rng.integers(0, 2, (3, 4)).astype(float)
    h = 1e-6
    numeric = np.zeros_like(a)
    for idx in np.ndindex(a.shape):
        ap, am = a.copy(), a.copy()
        ap[idx] += h
        am[idx] -= h
        numeric[idx] = (cost.fn(ap, y)[idx[0]] - cost.fn(am, y)[idx[0]]) / (2 * h)
    np.testing.assert_allclose(cost.grad_a(a, y), numeric, rtol=1e-6, atol=1e-9)


@pytest.mark.parametrize("name", sorted(COSTS))
def test_fused_rules_agree_with_the_generic_chain(name):
    """Each fused output rule is the same function and derivative as cost ∘ σ."""
    cost = COSTS[name]
    rng = np.random.default_rng(2)
    for (out, rule), soft in itertools.product(cost.fused.items(), (False, True)):
        act = ACTIVATIONS[out]
        z = rng.normal(size=(3, 4))
        if soft:  # targets in [0, 1] that need not sum to 1: softmax's δ is then a Σ_j y_j − y
            y = rng.uniform(0.0, 1.0, (3, 4))
        else:
            y = np.eye(4)[[0, 2, 3]] if out == "softmax" else rng.integers(0, 2, (3, 4)).astype(float)
        np.testing.assert_allclose(rule.fn_z(z, y), cost.fn(act.fn(z), y) if out != "softmax"
                                   else -(y * np.log(act.fn(z))).sum(axis=1), rtol=1e-12)
        h = 1e-6
        numeric = np.zeros_like(z)
        for idx in np.ndindex(z.shape):
            zp, zm = z.copy(), z.copy()
            zp[idx] += h
            zm[idx] -= h
            numeric[idx] = (rule.fn_z(zp, y)[idx[0]] - rule.fn_z(zm, y)[idx[0]]) / (2 * h)
        np.testing.assert_allclose(rule.delta(act.fn(z), y), numeric, rtol=1e-6, atol=1e-9)


def test_cross_entropy_is_exact_where_sigmoid_saturates():
    net = Network([1, 1], activation="sigmoid", cost="cross_entropy")
    net.weights = [np.array([[1.0]])]
    net.biases = [np.array([0.0])]
    # σ(50) rounds to 1.0 in float64, yet C = −ln(1 − σ(50)) ≈ 50 for y = 0.
    assert net.cost(np.array([[50.0]]), np.array([[0.0]])) == pytest.approx(50.0, rel=1e-12)


# --- the network against the slow scalar reference -------------------------------------

SHAPES = [[1, 1, 1], [2, 3, 1], [3, 4, 2], [2, 5, 3, 4], [4, 3, 3, 2, 3]]


@pytest.mark.parametrize("hidden", ELEMENTWISE)
@pytest.mark.parametrize("out,cost", supported_pairs())
@pytest.mark.parametrize("shape", SHAPES, ids=lambda s: "-".join(map(str, s)))
def test_gradients_match_scalar_reference(hidden, out, cost, shape):
    if out == "softmax" and shape[-1] < 2:
        pytest.skip("softmax needs at least 2 outputs")
    rng = np.random.default_rng(sum(shape) + len(hidden) + len(out))
    net = Network(shape, activation=hidden, output_activation=out, cost=cost, init="normal", seed=3)
    X = rng.normal(size=(5, shape[0]))
    Y = targets_for(out, cost, 5, shape[-1], rng)
    dw, db = net.gradients(X, Y)
    acts = [a.name for a in net.activations]
    W = [w.tolist() for w in net.weights]
    B = [b.tolist() for b in net.biases]
    rdw, rdb = reference.gradients(W, B, acts, cost, X.tolist(), Y.tolist())
    for l in range(net.L):
        np.testing.assert_allclose(dw[l], rdw[l], rtol=1e-9, atol=1e-12, err_msg=f"dw layer {l + 1}")
        np.testing.assert_allclose(db[l], rdb[l], rtol=1e-9, atol=1e-12, err_msg=f"db layer {l + 1}")
    assert net.cost(X, Y) == pytest.approx(reference.mean_cost(W, B, acts, cost, X.tolist(), Y.tolist()),
                                           rel=1e-10)



def test_from_config_cost_and_gradients_carry_training_l2():
    """Network.from_config takes λ from training.l2, so its cost(X, Y) is the regularized cost
    (the mean of C_i plus (λ/2) Σ_l ||w^(l)||², the figure `backprop train` reports) and
    gradients(X, Y) its gradient (+ λ w on the weights, nothing on the biases); the README's
    Python API said "mean over samples of C_i" and did not list l2."""
    from backprop_cli.config import load_config

    cfg = load_config(None, {"network.layers": [2, 3, 2], "network.activation": "tanh",
                             "network.output_activation": "sigmoid", "training.l2": 0.3,
                             "network.init": "normal"})
    net = Network.from_config(cfg)
    rng = np.random.default_rng(4)
    X, Y = rng.normal(size=(5, 2)), rng.uniform(size=(5, 2))
    acts = [a.name for a in net.activations]
    W = [w.tolist() for w in net.weights]
    B = [b.tolist() for b in net.biases]
    squares = sum(v * v for w in W for row in w for v in row)
    plain = reference.mean_cost(W, B, acts, "squared_error", X.tolist(), Y.tolist())
    assert net.cost(X, Y) == pytest.approx(plain + 0.5 * 0.3 * squares, rel=1e-12)
    rdw, rdb = reference.gradients(W, B, acts, "squared_error", X.tolist(), Y.tolist())
    dw, db = net.gradients(X, Y)
    for l in range(net.L):
        np.testing.assert_allclose(dw[l], np.array(rdw[l]) + 0.3 * np.array(W[l]), rtol=1e-10, atol=1e-13)
        np.testing.assert_allclose(db[l], rdb[l], rtol=1e-10, atol=1e-13)

def test_one_one_one_by_hand():
    """A 1-1-1 sigmoid network with squared error, every number written out.

    x = 1, y = 0, w1 = 0.5, b1 = 0, w2 = −1, b2 = 0.25 (values from math.exp by hand).
    z1 = 0.5            a1 = σ(0.5) = 0.6224593312018546
    z2 = −0.6224593312018546 + 0.25 = −0.3724593312018546
    a2 = σ(z2) = 0.40794689437972853
    C0 = a2² = 0.16642066863406538
    ∂C0/∂a2 = 2 a2 = 0.8158937887594571                             (eq. 4)
    σ'(z2) = a2 (1 − a2) = 0.24152622574566315                         (eq. 5)
    ∂C0/∂w2 = a1 · σ'(z2) · ∂C0/∂a2 = 0.1226616785786397                    (eqs. 3, 6)
    ∂C0/∂b2 = σ'(z2) · ∂C0/∂a2 = 0.19705974740840104                            (eq. 7)
    ∂C0/∂a1 = w2 · σ'(z2) · ∂C0/∂a2 = −0.19705974740840104                      (eq. 8)
    σ'(z1) = a1 (1 − a1) = 0.2350037122015945
    ∂C0/∂w1 = x · σ'(z1) · ∂C0/∂a1 = −0.046309772166482785
    """
    net = Network([1, 1, 1], activation="sigmoid", cost="squared_error")
    net.weights = [[[0.5]], [[-1.0]]]
    net.biases = [[0.0], [0.25]]
    X, Y = np.array([[1.0]]), np.array([[0.0]])
    a1 = 0.6224593312018546
    a2 = 0.40794689437972853
    s2 = 0.24152622574566315
    s1 = 0.2350037122015945
    assert net.predict(X)[0, 0] == pytest.approx(a2, rel=1e-15)
    assert net.cost(X, Y) == pytest.approx(0.16642066863406538, rel=1e-14)
    dw, db = net.gradients(X, Y)
    dC_da2 = 0.8158937887594571
    assert dw[1][0, 0] == pytest.approx(a1 * s2 * dC_da2, rel=1e-14)
    assert dw[1][0, 0] == pytest.approx(0.1226616785786397, rel=1e-12)
    assert db[1][0] == pytest.approx(0.19705974740840104, rel=1e-12)
    assert dw[0][0, 0] == pytest.approx(1.0 * s1 * (-1.0) * s2 * dC_da2, rel=1e-14)
    assert dw[0][0, 0] == pytest.approx(-0.046309772166482785, rel=1e-12)
    assert db[0][0] == pytest.approx(dw[0][0, 0], rel=1e-15)  # x = 1


def test_half_squared_error_halves_the_gradient():
    """Seed 001's C = ½(ŷ − y)² gives exactly half of seed 000's (a − y)² gradient."""
    rng = np.random.default_rng(0)
    X, Y = rng.normal(size=(6, 3)), rng.normal(size=(6, 2))
    full = Network([3, 4, 2], activation="relu", output_activation="linear", cost="squared_error", seed=5)
    half = Network([3, 4, 2], activation="relu", output_activation="linear", cost="half_squared_error", seed=5)
    for g, h in zip(full.gradients(X, Y)[0], half.gradients(X, Y)[0]):
        np.testing.assert_allclose(h, g / 2, rtol=1e-12)


def test_backward_keeps_each_layer_error():
    """δ^(l) = (w^(l+1))ᵀ δ^(l+1) ⊙ σ'(z^(l)), and dw = δ aᵀ: the memoized errors are exposed."""
    rng = np.random.default_rng(4)
    net = Network([3, 4, 5, 2], activation="tanh", output_activation="sigmoid", seed=1)
    X, Y = rng.normal(size=(7, 3)), rng.uniform(size=(7, 2))
    cache = net.forward(X)
    res = net.backward(cache, Y)
    for l in (1, 2):
        expected = (res.delta[l + 1] @ net.weights[l]) * (1 - np.tanh(cache.z[l]) ** 2)
        np.testing.assert_allclose(res.delta[l], expected, rtol=1e-12)
        np.testing.assert_allclose(res.grad_a[l], res.delta[l + 1] @ net.weights[l], rtol=1e-12)
    for l in (1, 2, 3):
        np.testing.assert_allclose(res.dw[l - 1], res.delta[l].T @ cache.a[l - 1], rtol=1e-12)


# --- API behaviour -------------------------------------------------------------------

def test_shapes_and_cache():
    net = Network([2, 3, 1])
    assert [w.shape for w in net.weights] == [(3, 2), (1, 3)]
    assert [b.shape for b in net.biases] == [(3,), (1,)]
    cache = net.forward(np.zeros((5, 2)))
    assert cache.z[0] is None and cache.a[0].shape == (5, 2)
    assert [z.shape for z in cache.z[1:]] == [(5, 3), (5, 1)]
    assert net.predict(np.zeros((5, 2))).shape == (5, 1)
    assert net.n_params == 3 * 2 + 3 + 3 + 1


def test_same_seed_same_weights_different_seed_different():
    a, b, c = Network([4, 5, 3], seed=7), Network([4, 5, 3], seed=7), Network([4, 5, 3], seed=8)
    assert all(np.array_equal(x, y) for x, y in zip(a.weights, b.weights))
    assert not np.array_equal(a.weights[0], c.weights[0])


@pytest.mark.parametrize("init", ["auto", "normal", "uniform"])
def test_init_scales(init):
    net = Network([400, 300, 10], activation="relu", init=init, seed=0)
    w = net.weights[0]
    expected_std = {"auto": math.sqrt(2 / 400), "normal": 1.0, "uniform": 1 / math.sqrt(3)}[init]
    assert w.std() == pytest.approx(expected_std, rel=0.02)


def test_glorot_for_sigmoid():
    w = Network([300, 200, 1], activation="sigmoid", seed=0).weights[0]
    limit = math.sqrt(6 / 500)
    assert np.abs(w).max() <= limit and w.std() == pytest.approx(limit / math.sqrt(3), rel=0.02)


def test_float32_gradients_close_to_float64():
    rng = np.random.default_rng(0)
    X, Y = rng.normal(size=(8, 3)), rng.uniform(size=(8, 2))
    n64 = Network([3, 6, 2], activation="tanh", output_activation="sigmoid", seed=2)
    n32 = n64.astype("float32")
    g64, g32 = n64.gradients(X, Y)[0], n32.gradients(X, Y)[0]
    assert g32[0].dtype == np.float32
    for a, b in zip(g64, g32):
        np.testing.assert_allclose(b, a, rtol=2e-4, atol=1e-6)


def test_weights_are_assignable_and_checked():
    net = Network([2, 2, 1])
    net.weights = [np.ones((2, 2)), np.ones((1, 2))]
    assert net.weights[1].tolist() == [[1.0, 1.0]]
    with pytest.raises(ValueError, match=r"layer 2.*expected \(1, 2\)"):
        net.weights = [np.ones((2, 2)), np.ones((2, 1))]
    with pytest.raises(ValueError, match=r"expected 2 arrays \(layers 1 to 2\)"):
        net.biases = [np.ones(2)]


@pytest.mark.parametrize(
    "kwargs,match",
    [
        ({"layers": [2]}, "at least 2"),
        ({"layers": [2, 0, 1]}, "positive"),
        ({"activation": "relu6"}, "relu6 is not one of"),
        ({"activation": "softmax"}, "only as the output"),
        ({"output_activation": "softmax"}, "needs cost cross_entropy"),
        ({"output_activation": "relu", "cost": "cross_entropy"}, "cannot be used with cost"),
        ({"cost": "mse"}, "mse is not one of"),
        ({"init": "zeros"}, "network.init"),
        ({"dtype": "float16"}, "^dtype: float16"),  # the argument (a config's is training.dtype)
        ({"activation": ["relu", "tanh", "sigmoid"]}, r"3 names for 1 hidden layer; give one name, one per hidden "
                                                       r"layer \(1\), or one per layer, the output's last \(2\)"),
        ({"activation": ["relu", "tanh"], "output_activation": "sigmoid"}, "2 names for 1 hidden layer"),
    ],
)
def test_constructor_errors_name_the_field(kwargs, match):
    args = {"layers": [2, 3, 2], **kwargs}
    with pytest.raises(ConfigError, match=match):
        Network(args.pop("layers"), **args)


def test_per_layer_activation_list():
    net = Network([2, 3, 3, 1], activation=["relu", "tanh"], output_activation="linear",
                  cost="half_squared_error")
    assert [a.name for a in net.activations] == ["relu", "tanh", "linear"]
    assert get_activation("tanh").name == "tanh"
    # one name per layer, the output's last, as a config's list may give them (it was refused)
    listed = Network([2, 3, 3, 1], activation=["relu", "tanh", "linear"], cost="half_squared_error")
    assert [a.name for a in listed.activations] == ["relu", "tanh", "linear"]
    assert listed.describe() == net.describe()


@pytest.mark.parametrize("out,cost", supported_pairs())
def test_output_grad_a_is_the_costs_derivative(out, cost):
    """grad_a[L] = ∂C/∂a^(L) of the mean cost, checked by finite differences in a."""
    rng = np.random.default_rng(9)
    net = Network([3, 4, 3], activation="tanh", output_activation=out, cost=cost, seed=1)
    X = rng.normal(size=(4, 3))
    Y = targets_for(out, cost, 4, 3, rng)
    cache = net.forward(X)
    res = net.backward(cache, Y)
    a = cache.output
    per_example = (lambda aa: -(Y * np.log(aa)).sum(axis=1)) if out == "softmax" else (
        lambda aa: COSTS[cost].fn(aa, Y))
    h = 1e-7
    numeric = np.zeros_like(a)
    for idx in np.ndindex(a.shape):
        ap, am = a.copy(), a.copy()
        ap[idx] += h
        am[idx] -= h
        numeric[idx] = (per_example(ap).mean() - per_example(am).mean()) / (2 * h)
    np.testing.assert_allclose(res.grad_a[net.L], numeric, rtol=1e-5, atol=1e-8)


def test_supported_pairs_lists_every_allowed_combination():
    pairs = supported_pairs()
    assert ("softmax", "cross_entropy") in pairs and ("sigmoid", "cross_entropy") in pairs
    assert ("softmax", "squared_error") not in pairs and ("relu", "cross_entropy") not in pairs
    assert len(pairs) == len(set(pairs)) == 8 * 2 + 2  # 8 element-wise outputs × 2 squared costs + 2


@pytest.mark.parametrize("dtype, rtol", [("float64", 1e-15), ("float32", 1e-6)])
def test_cross_entropy_of_a_confident_right_answer_keeps_its_digits(dtype, rtol):
    """C = ln(1 + e^(−z)) for y = 1 (sigmoid) or the top class (softmax): a small number that
    the fused rules compute exactly from z, not as what is left of z + C − z (which lost 1.3% at
    z = 30 and gave 0 from z ≈ 37 in float64, from z ≈ 15 in float32)."""
    sig = Network([1, 1], output_activation="sigmoid", cost="cross_entropy", dtype=dtype)
    sig.weights = [np.ones((1, 1), dtype)]
    sig.biases = [np.zeros(1, dtype)]
    soft = Network([1, 2], output_activation="softmax", cost="cross_entropy", dtype=dtype)
    soft.weights = [np.array([[1.0], [0.0]], dtype)]
    soft.biases = [np.zeros(2, dtype)]
    for z in (10.0, 30.0, 40.0):
        want = math.log1p(math.exp(-z))
        assert sig.cost([[z]], [[1.0]]) == pytest.approx(want, rel=rtol)
        assert soft.cost([[z]], [[1.0, 0.0]]) == pytest.approx(want, rel=rtol)
        assert soft.cost([[z]], [[0.0, 1.0]]) == pytest.approx(z + want, rel=rtol)  # the wrong class
        assert sig.cost([[z]], [[0.0]]) == pytest.approx(z + want, rel=rtol)


def test_softmax_cross_entropy_gradients_leak_no_warning():
    """a_j underflows to a subnormal for a very wrong answer: −y/a (reported ∂C/∂a) overflows,
    silently; δ = a − y, and so the gradients, are exact."""
    import warnings

    net = Network([1, 2], output_activation="softmax", cost="cross_entropy")
    net.weights = [np.array([[1.0], [-1.0]])]
    net.biases = [np.zeros(2)]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        dw, db = net.gradients([[360.0]], [[0.0, 1.0]])
    assert dw[0].tolist() == [[360.0], [-360.0]] and db[0].tolist() == [1.0, -1.0]


@pytest.mark.parametrize("layers", ["21", [2.7, 1], [True, 1], [2, "3", 1]])
def test_layer_sizes_must_be_whole_numbers(layers):
    """"21" used to become [2, 1] and 2.7 a 2, silently."""
    with pytest.raises(ConfigError, match="network.layers: .* must be a list of whole numbers"):
        Network(layers)


@pytest.mark.parametrize("l2", ["x", True, -0.1, float("nan")])
def test_l2_must_be_a_finite_number_at_least_0(l2):
    with pytest.raises(ConfigError, match="training.l2: .* must be a finite number, 0 or more"):
        Network([2, 1], l2=l2)


def test_cost_and_gradients_of_no_examples_are_refused():
    """A mean over zero examples is undefined: not nan with numpy warnings, nor zero gradients."""
    net = Network([2, 3, 1])
    for call in (net.cost, net.gradients):
        with pytest.raises(ValueError, match="X: no examples"):
            call(np.ones((0, 2)), np.ones((0, 1)))
    assert net.predict(np.ones((0, 2))).shape == (0, 1)  # outputs of no rows are just empty


def test_norm_does_not_overflow_in_the_squares():
    from backprop_cli.network import norm

    assert norm(np.array([3e160, 4e160])) == pytest.approx(5e160, rel=1e-15)
    assert norm(np.array([[3.0, 0.0], [0.0, 4.0]])) == 5.0
    assert norm(np.zeros(3)) == 0.0 and norm(np.zeros(0)) == 0.0
    assert math.isnan(norm(np.array([1.0, np.nan]))) and norm(np.array([1.0, -np.inf])) == math.inf


# --- what an engineer passes to the Python API ----------------------------------------------

@pytest.mark.parametrize("bad, says", [
    (None, "X: None; expected an array of real numbers (shape (n_samples, 2))"),
    ("ab", "X: holds text; real numbers are required"),
    ([["1", "2"]], "X: holds text"),  # numpy would parse these silently
    ([[1.0, 2.0], [3.0]], "X: not an array of numbers (rows of different lengths?)"),
    (np.array([[1 + 1j, 2.0]]), "X: holds complex numbers"),  # numpy would drop 1j, with a warning
    ({"x": 1}, "X: holds Python objects"),
    (np.zeros((2, 2, 2)), r"X: shape (2, 2, 2), expected (n_samples, 2), or (2,) for one example"),
])
def test_inputs_that_are_not_real_number_arrays_are_an_input_error(bad, says):
    """They were numpy's ValueError ('could not convert string to float'), a ComplexWarning,
    or accepted as text."""
    from backprop_cli.errors import DataError, InputError

    net = Network([2, 3, 1])
    for call in (net.predict, net.forward, lambda X: net.cost(X, [[0.0]]), lambda X: net.gradients(X, [[0.0]])):
        with pytest.raises(InputError) as err:
            call(bad)
        assert says in err.value.message
        assert isinstance(err.value, DataError) and isinstance(err.value, ValueError)


def test_a_1d_x_of_the_wrong_length_is_named_by_the_shape_given():
    """A 1-D X is one example; the message quoted the (1, n) it had been reshaped to, not the
    (n,) the caller passed, and a one-input network's user was not told how to pass n examples."""
    from backprop_cli.errors import InputError

    one_input = Network([1, 3, 1])
    for call in (one_input.predict, lambda X: one_input.cost(X, [0.0, 1.0, 0.0])):
        with pytest.raises(InputError) as err:
            call([1.0, 2.0, 3.0])
        assert "X: shape (3,), expected (n_samples, 1)" in err.value.message
        assert "X.reshape(-1, 1)" in err.value.message
    with pytest.raises(InputError) as err:
        Network([2, 3, 1]).predict([1.0, 2.0, 3.0])
    assert "X: shape (3,), expected (n_samples, 2), or (2,) for one example" in err.value.message
    assert "reshape" not in err.value.message  # only a one-input network reads n values as n examples
    with pytest.raises(InputError, match=r"X: shape \(0,\)"):
        Network([2, 3, 1]).predict([])


@pytest.mark.parametrize("Y, says", [
    (None, "Y: None"),
    ([["a"], ["b"]], "Y: holds text"),
    ([0.0, 1.0, 1.0], "Y: shape (3,), expected (2, 1)"),
    ([[0.0], [np.nan]], "Y: row 1 holds NaN or an infinite value"),
])
def test_bad_targets_are_an_input_error_naming_y(Y, says):
    from backprop_cli.errors import InputError

    net = Network([2, 3, 1])
    for call in (net.cost, net.gradients):
        with pytest.raises(InputError) as err:
            call([[0.0, 1.0], [1.0, 0.0]], Y)
        assert says in err.value.message


def test_a_flat_y_for_several_examples_of_several_outputs_is_refused():
    """A 1-D Y is one target per example (one output) or one example's targets (the docs); a
    flat Y of n·k values for n > 1 examples and k > 1 outputs was silently read row by row, so
    targets laid out column by column (Y.T.ravel()) trained on the wrong numbers."""
    from backprop_cli.errors import InputError

    net = Network([2, 3, 2], seed=0)
    X, Y = [[0.0, 1.0], [1.0, 0.0]], np.array([[1.0, 0.0], [0.3, 0.7]])
    for call in (net.cost, net.gradients, lambda X, Y: net.backward(net.forward(X), Y)):
        for flat in (Y.ravel(), Y.T.ravel()):
            with pytest.raises(InputError) as err:
                call(X, flat)
            assert "Y: shape (4,), expected (2, 2)" in err.value.message
            assert "pass Y.reshape(2, 2)" in err.value.message
    # the two documented 1-D forms still work
    assert net.cost(X[0], Y[0]) == net.cost([X[0]], [Y[0]])
    one_output = Network([2, 3, 1], seed=0)
    assert one_output.cost(X, [1.0, 0.0]) == one_output.cost(X, [[1.0], [0.0]])


def test_cost_and_gradients_refuse_non_finite_inputs():
    """The cost of a NaN input was NaN, silently."""
    from backprop_cli.errors import InputError

    net = Network([2, 3, 1])
    for call in (net.cost, net.gradients):
        with pytest.raises(InputError, match=r"X: row 1 holds NaN or an infinite value \(2 rows do\)"):
            call([[0.0, 1.0], [np.inf, 0.0], [np.nan, 0.0]], [[0.0], [1.0], [1.0]])


def test_huge_inputs_leak_no_numpy_warnings():
    """A RuntimeWarning 'overflow encountered in matmul' escaped predict."""
    import warnings

    net = Network([2, 3, 1], activation="linear", output_activation="linear")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = net.predict([[1e308, 1e308]])
        net.backward(net.forward([[1e308, 1e308]]), [[0.0]])
    assert out.shape == (1, 1)


@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_any_layout_and_dtype_of_x_gives_the_same_outputs(dtype):
    net = Network([3, 4, 2], seed=1, dtype=dtype)
    X = np.random.default_rng(0).normal(size=(5, 3))
    expected = net.predict(X)
    readonly = X.copy()
    readonly.flags.writeable = False
    wide = np.zeros((5, 6))
    wide[:, ::2] = X
    for variant in (X.tolist(), np.asfortranarray(X), readonly, wide[:, ::2], X.astype(np.float32)):
        np.testing.assert_allclose(net.predict(variant), expected, rtol=1e-6 if dtype == "float32" else 1e-7)
    assert net.predict(X[0]).shape == (1, 2) and net.predict(X).dtype == np.dtype(dtype)
    assert net.predict(np.array([[1, 0, 1]])).dtype == np.dtype(dtype)  # int inputs


def test_backward_names_a_cache_that_is_not_this_networks():
    from backprop_cli.errors import InputError

    net = Network([2, 3, 1])
    with pytest.raises(TypeError, match="cache: a str; expected the ForwardCache"):
        net.backward("cache", [[0.0]])
    with pytest.raises(InputError, match="cache: activations of shapes"):
        net.backward(Network([3, 3, 1]).forward([[0.0, 1.0, 2.0]]), [[0.0]])


@pytest.mark.parametrize("kwargs, says", [
    ({"layers": None}, "network.layers: null must be a list of whole numbers"),
    ({"activation": None}, "network.activation: null must be an activation name or a list"),
    ({"activation": 3}, "network.activation: 3 must be an activation name"),
    ({"seed": "a"}, "seed: a must be a whole number ≥ 0, or None"),
    ({"seed": 1.5}, "seed: 1.5 must be a whole number"),
    ({"seed": -1}, "seed: -1 must be a whole number"),
    ({"rng": 5}, "rng: 5 must be a numpy Generator"),
    ({"dtype": "float16"}, "dtype: float16 is not one of: float64, float32"),
    ({"dtype": None}, "dtype: None is not one of"),
    ({"cost": None}, "cost: None is not one of: cross_entropy, half_squared_error, squared_error; leave cost out "
                     "for its default, squared_error"),
])
def test_bad_constructor_arguments_are_a_config_error_naming_them(kwargs, says):
    """They were TypeErrors from list() or numpy's SeedSequence, an AttributeError for rng."""
    kwargs = {"layers": [2, 3, 1], **kwargs}
    with pytest.raises(ConfigError) as err:
        Network(**kwargs)
    assert says in err.value.message


def test_numpy_dtypes_are_accepted_and_astype_refuses_others():
    """dtype=np.float32 was refused; astype('float16') or astype(None) made a float16 or float64
    network silently."""
    for dtype in (np.float32, np.dtype("float32"), "float32", "single", "f4"):
        assert Network([2, 1], dtype=dtype).dtype == np.float32
    for dtype in (float, np.float64, "double", "f8", "<f8"):  # dtype=float, as numpy takes it, was refused
        assert Network([2, 1], dtype=dtype).dtype == np.float64
    assert Network([2, 1], dtype="float 64").dtype == np.float64  # names.py's rule, as in a config
    net = Network([2, 1])
    assert net.astype(np.float32).weights[0].dtype == np.float32
    for bad in ("float16", None, np.float16, "int64", int, complex, "longdouble", "float 16", list):
        with pytest.raises(ConfigError, match="^dtype: .* is not one of: float64, float32"):
            net.astype(bad)


@pytest.mark.parametrize("values, says", [
    (None, "weights: a NoneType; expected a list of 2 arrays"),
    ("ab", "weights: a str; expected a list of 2 arrays"),
    ([[["a", "b"]] * 3, np.zeros((1, 3))], "weights[0] (layer 1): holds text"),
    ([np.full((3, 2), np.nan), np.zeros((1, 3))], "weights[0] (layer 1): holds NaN or infinite values"),
])
def test_assigning_bad_weights_is_an_input_error(values, says):
    from backprop_cli.errors import InputError

    net = Network([2, 3, 1])
    before = [w.copy() for w in net.weights]
    with pytest.raises(InputError) as err:
        net.weights = values
    assert says in err.value.message
    assert all((a == b).all() for a, b in zip(before, net.weights))  # unchanged


def test_copy_shares_nothing_mutable():
    net = Network([2, 3, 1])
    new = net.copy()
    new.sizes.append(4)
    new.activations.append(new.activations[0])
    new.weights[0][0, 0] = 42.0
    assert net.sizes == [2, 3, 1] and len(net.activations) == 2 and net.weights[0][0, 0] != 42.0


def test_a_softmax_over_one_output_is_refused_in_the_api_and_the_config():
    """It is always 1, so its cost never moves and every gradient is 0: a net that cannot learn
    (it was accepted; the CLI refused it only later, through a confusing check of the targets)."""
    from backprop_cli.config import load_config

    with pytest.raises(ConfigError, match="softmax over a single output is always 1"):
        Network([2, 3, 1], output_activation="softmax", cost="cross_entropy")
    with pytest.raises(ConfigError, match=r"softmax over a single output is always 1 .*layers: \[\.\.\., 2\]"):
        load_config(None, {"network.output_activation": "softmax", "cost": "cross_entropy"})
    assert Network([2, 3, 2], output_activation="softmax", cost="cross_entropy").sizes == [2, 3, 2]


@pytest.mark.parametrize("dtype, big", [("float64", 1e308), ("float32", 1e38)])
def test_gradients_of_huge_finite_inputs_leak_no_numpy_warnings(dtype, big):
    """The finiteness check summed X: finite inputs whose sum overflows raised a RuntimeWarning
    'overflow encountered in reduce' from gradients (an exception under -W error); +inf and
    −inf in one X gave 'invalid value' before the InputError."""
    import warnings

    from backprop_cli.errors import InputError

    net = Network([3, 2, 1], dtype=dtype)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        net.gradients(np.full((4, 3), big), np.zeros((4, 1)))
        with pytest.raises(InputError, match="X: row 0 holds NaN or an infinite value"):
            net.gradients([[np.inf, -np.inf, 0.0]], [[0.0]])
        with pytest.raises(InputError, match="X: row 0 holds NaN or an infinite value"):
            net.cost([[np.nan, np.inf, -np.inf]], [[0.0]])


def test_cost_refuses_an_infinite_input_that_a_saturated_sigmoid_hides():
    """sigmoid(±inf) is 0 or 1, so an inf in X gave a finite cost (0.349 for [inf, 0]) that
    cost() returned, while gradients() refused the same X and the README says both refuse it."""
    from backprop_cli.errors import InputError

    net = Network([2, 3, 1])
    for X in ([[np.inf, 0.0]], [[0.0, 1.0], [-np.inf, 1.0]]):
        for call in (net.cost, net.gradients):
            with pytest.raises(InputError, match="X: row .* holds NaN or an infinite value"):
                call(X, [[0.0]] * len(X))
    big = Network([2, 3, 1], activation="linear", output_activation="sigmoid")
    assert 0 <= big.cost([[1e308, 1e308]], [[0.0]]) < np.inf  # z^(1) overflows: finite X, no refusal


def test_numbers_beyond_float32_are_named_as_such_for_a_float32_network():
    """1e39 is finite in float64 but overflows a float32 network's cast: it was refused as 'holds
    NaN or an infinite value' (after numpy's 'overflow encountered in cast' warning)."""
    import warnings

    from backprop_cli.errors import InputError

    net = Network([2, 3, 1], dtype="float32")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for X, Y, name in (([[1.0, 0.0], [1e39, 0.0]], [[0.0], [1.0]], "X"), (np.ones((2, 2)), np.array([[0.0], [-1e39]]), "Y")):
            for call in (net.cost, net.gradients):
                with pytest.raises(InputError, match=rf"^{name}: row 1 holds values beyond float32's range .*3\.4e\+38"):
                    call(X, Y)
        with pytest.raises(InputError, match=r"weights\[0\] \(layer 1\): holds values beyond float32's range"):
            net.weights = [np.full((3, 2), 1e39), np.zeros((1, 3))]
        with pytest.raises(InputError, match="X: row 0 holds NaN or an infinite value"):
            net.cost([[np.inf, 0.0]], [[0.0]])  # infinite already: not an overflow of the cast
    with pytest.raises(InputError, match="X: row 0 holds NaN or an infinite value"):
        Network([2, 3, 1]).cost([[np.inf, 0.0]], [[0.0]])


def test_assigning_one_layer_checks_and_copies_it_as_assigning_the_list_does():
    """``net.weights[0] = w`` bypassed the setter: the network kept the caller's array itself (not
    a copy), a float32 network then computed in float64, and a wrong shape surfaced later as
    numpy's matmul error. Now an item is checked and copied as the whole list is."""
    import copy
    import pickle

    from backprop_cli.errors import InputError

    net = Network([3, 4, 2], dtype="float32")
    mine = np.ones((4, 3))
    net.weights[0] = mine
    net.biases[-1] = [0.5, -0.5]
    assert net.weights[0] is not mine and net.weights[0].dtype == np.float32
    assert net.biases[1].dtype == np.float32 and net.biases[1].tolist() == [0.5, -0.5]
    mine[0, 0] = 9.0
    assert net.weights[0][0, 0] == 1.0
    assert net.predict(np.ones(3)).dtype == np.float32
    assert net.gradients(np.ones((2, 3)), np.zeros((2, 2)))[0][0].dtype == np.float32
    net.weights[:] = [np.zeros((4, 3)), np.zeros((2, 4))]
    assert [w.dtype for w in net.weights] == [np.float32, np.float32] and not net.weights[1].any()

    before = [w.copy() for w in net.weights]
    with pytest.raises(InputError, match=r"weights\[0\] \(layer 1\): shape \(3, 4\), expected \(4, 3\)"):
        net.weights[0] = np.ones((3, 4))
    with pytest.raises(InputError, match=r"biases\[0\] \(layer 1\): holds NaN"):
        net.biases[0] = [np.nan, 0, 0, 0]
    with pytest.raises(InputError, match=r"weights\[:\]: 1 arrays given for 2 layers"):
        net.weights[:] = [np.ones((4, 3))]
    with pytest.raises(IndexError, match=r"weights\[2\]: the network has 2 layers"):
        net.weights[2] = np.ones((2, 4))
    with pytest.raises(TypeError, match="weights: holds one array per layer"):
        net.weights.append(np.ones((2, 2)))
    with pytest.raises(TypeError, match="biases: holds one array per layer"):
        del net.biases[0]
    assert len(net.weights) == 2 and all((a == b).all() for a, b in zip(before, net.weights))  # unchanged

    for other in (copy.deepcopy(net), pickle.loads(pickle.dumps(net)), net.copy()):
        with pytest.raises(InputError, match="expected"):
            other.weights[1] = np.ones((4, 2))
        other.weights[1] = np.ones((2, 4))
        assert other.weights[1].dtype == np.float32 and not net.weights[1].any()
