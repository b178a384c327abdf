"""Activation functions σ and their derivatives σ', as a registry.

Each entry keeps the forward rule and its local derivative side by side. ``prime``
receives both z and a = σ(z) (same shape, ``(n_samples, n_units)``) so each rule can
use whichever is cheaper: the sigmoid's σ'(z) = a(1 − a) (tanh's 1 − a²) reuses the
cached activation instead of recomputing σ. The formula is exact, but it starts from a
rounded a: in deep saturation (|z| ≳ 15 in float64, ≳ 5 in float32) σ' keeps fewer
correct digits than from z, and it is exactly 0 once a rounds to 1 (z ≳ 37 in float64,
≳ 17 in float32). Its absolute error stays below a's rounding, which is what gradient
descent and the gradient checker's tolerances see.

The rest of the ReLU family takes σ' from whichever of z and a keeps every digit: leaky_relu
and elu from z (ELU's a + 1 would lose e^z once a rounds to −1), softplus from a
(σ' = 1 − e^(−a), exact where a ≈ e^z ≪ 1 and never overflowing), silu from z. At z = 0
exactly, relu and leaky_relu use the z ≤ 0 branch (R'(0) = 0, leaky_relu'(0) = α, as
PyTorch); elu's branches agree there (α = 1).

Softmax is not element-wise (its Jacobian is not diagonal), so it has no ``prime``:
it is allowed only as the output activation together with ``cross_entropy``, where
the pair has the single output rule δ^(L) = a − y (see ``costs.py``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from numpy.typing import NDArray

from .errors import ConfigError

Array = NDArray[np.floating]


@dataclass(frozen=True)
class Activation:
    """One activation σ, written once as in-place rules that the trainer's hot path uses.

    ``into(z, out) -> out`` writes a = σ(z); ``prime_into(z, a, out) -> out`` writes
    σ'(z) (None when σ is not element-wise). ``fn(z)`` and ``prime(z, a)`` are the
    allocating forms of the same rules. ``identity_prime``: σ' ≡ 1, so the hot path
    can skip the multiplication. ``kink``: σ has a kink at z = 0 (relu, leaky_relu), so a finite
    difference whose step moves some z across 0 says nothing there (gradcheck and explain
    re-check such entries one-sided). ``bend``: σ is C¹ but σ'' jumps at z = 0 (elu: e^z below,
    0 above), so a central difference whose step moves some z across 0 converges only as ε, not
    ε² (the convergence sweep leaves such steps out of its order, as it does kink crossings).
    ``into_with_prime(z, out, p) -> out``, when given, writes
    a = σ(z) and σ'(z) (into ``p``) in one visit of z, for the trainer's forward pass.
    ``he_init``: the ReLU family (relu, leaky_relu, elu, softplus, silu) starts from He's normal
    draw with variance ``he_init`` / n_(l−1) under ``init: auto`` (2, or 2/(1 + α²) for a
    leaky ReLU of slope α, as He et al. 2015 derive); None: Glorot uniform.
    ``low``, ``high``: the closed bounds of σ's values over every real z (−∞ and ∞ when it has
    none); ``range_text`` writes that range for messages, open where a bound is never reached
    (sigmoid's ``(0, 1)``). A target beyond [low, high] is one an output of σ cannot reach
    (``outside_range``).
    """

    name: str
    into: Callable[[Array, Array], Array]
    prime_into: Callable[[Array, Array, Array], Array] | None
    formula: str  # σ(z), written for explain/README
    prime_formula: str  # σ'(z)
    hidden_ok: bool = True  # may be used on hidden layers
    identity_prime: bool = False
    kink: bool = False
    bend: bool = False
    into_with_prime: Callable[[Array, Array, Array], Array] | None = None
    he_init: float | None = None  # init auto: w ~ N(0, he_init / n_(l−1)) (He), None: Glorot uniform
    low: float = -np.inf
    high: float = np.inf
    range_text: str = "(−∞, ∞)"
    exact_prime: Callable[[Array], Array] | None = None  # σ'(z) from z, where the form from a loses digits

    @property
    def bounded(self) -> bool:
        """σ's values do not cover every real number (an output cannot take every target)."""
        return bool(np.isfinite(self.low) or np.isfinite(self.high))

    def fn(self, z: Array) -> Array:
        """a = σ(z), a new array shaped like z."""
        with np.errstate(over="ignore"):  # see _sigmoid; the trainer sets this once per run
            return self.into(z, np.empty_like(z))

    @property
    def prime(self) -> Callable[[Array, Array], Array] | None:
        """σ'(z) as ``prime(z, a)`` (a new array), or None if σ is not element-wise."""
        into = self.prime_into
        if into is None:
            return None
        return lambda z, a: into(z, a, np.empty_like(z))

    def slope(self, z: Array, a: Array) -> Array:
        """σ'(z) to full precision (a new array), for the reference backward pass and explain.

        ``prime`` (and the trainer) take sigmoid's σ(z)(1 − σ(z)) and tanh's 1 − tanh²(z) from the
        cached a, as PyTorch does: where a rounds near ±1 they keep only the digits the rounding of a
        leaves (σ'(30) = 9.348e-14 for 9.358e-14, σ'(40) = 0 for 4.2e-18), an error below 1e-16 in
        absolute terms but not in the digits explain prints. ``exact_prime`` computes them from z."""
        if self.exact_prime is not None:
            return self.exact_prime(z)
        prime = self.prime
        assert prime is not None
        return prime(z, a)


def _sigmoid(z: Array, out: Array) -> Array:
    # σ(z) = 1 / (1 + e^(−z)). For z below about −709 (−88 in float32) e^(−z) overflows
    # to inf and the quotient is the correctly rounded 0: callers silence that warning.
    np.negative(z, out=out)
    np.exp(out, out=out)
    out += 1.0
    return np.reciprocal(out, out=out)


def _sigmoid_prime(z: Array, a: Array, out: Array) -> Array:
    np.subtract(1.0, a, out=out)
    return np.multiply(out, a, out=out)  # σ'(z) = σ(z)(1 − σ(z)), from the cached a


def _sigmoid_slope(z: Array) -> Array:
    # σ(z)σ(−z) = t / (1 + t)² with t = e^(−|z|) ≤ 1: no 1 − σ(z) to cancel, no overflow
    t = np.exp(-np.abs(z))
    return t / ((1.0 + t) * (1.0 + t))


@lru_cache(maxsize=64)
def _zeros(shape: tuple[int, ...], dtype: np.dtype) -> Array:
    zeros = np.zeros(shape, dtype)
    zeros.flags.writeable = False
    return zeros


def _relu(z: Array, out: Array) -> Array:
    # max(z, 0) against an array of zeros: numpy's maximum has a SIMD loop for two arrays
    # but not for an array and a scalar, which measured 4x slower (benchmarks/README.md)
    return np.maximum(z, _zeros(z.shape, z.dtype), out=out)


def _relu_prime(z: Array, a: Array, out: Array) -> Array:
    return np.greater(z, 0.0, out=out)  # R'(z) = 1 for z > 0, else 0 (so R'(0) = 0, seed 001)


def _relu_with_prime(z: Array, out: Array, p: Array) -> Array:
    # R'(z) = [z > 0] while z is still in cache from its product, then a = z · R'(z), the same
    # numbers as max(z, 0) (−0 for z < 0; NaN stays NaN, and −inf, only after an overflow,
    # becomes NaN: reported as divergence). The backward pass then only multiplies by p:
    # whole `wide` epochs ~1% faster (float32) than recomputing R' from z there
    # (benchmarks/README.md).
    np.greater(z, 0.0, out=p)
    return np.multiply(z, p, out=out)


def _tanh(z: Array, out: Array) -> Array:
    return np.tanh(z, out=out)


def _tanh_prime(z: Array, a: Array, out: Array) -> Array:
    np.multiply(a, a, out=out)
    return np.subtract(1.0, out, out=out)  # tanh'(z) = 1 − tanh²(z)


def _tanh_slope(z: Array) -> Array:
    # 1 − tanh²(z) = sech²(z) = 4t / (1 + t)² with t = e^(−2|z|) ≤ 1: no cancellation, no overflow
    t = np.exp(-2.0 * np.abs(z))
    return 4.0 * t / ((1.0 + t) * (1.0 + t))


def _linear(z: Array, out: Array) -> Array:
    np.copyto(out, z)
    return out


def _linear_prime(z: Array, a: Array, out: Array) -> Array:
    out.fill(1.0)
    return out


# --- the ReLU family beyond ReLU (PyTorch's defaults: leaky slope 0.01, ELU α = 1) -------------
# Every rule below is exact to a few ulps at every finite z in float32 and float64, never
# overflows (silu's σ excepted, as _sigmoid's: callers silence it) and writes only ``out``.

LEAKY_SLOPE = 0.01  # α of leaky_relu, torch.nn.functional.leaky_relu's default negative_slope


def _leaky_relu(z: Array, out: Array) -> Array:
    # max(z, αz): z for z ≥ 0, αz for z < 0 (0 < α < 1); αz is rounded once, in z's dtype
    np.multiply(z, LEAKY_SLOPE, out=out)
    return np.maximum(z, out, out=out)


def _leaky_relu_prime(z: Array, a: Array, out: Array) -> Array:
    # σ'(z) = 1 for z > 0, else α (so σ'(0) = α: the z ≤ 0 branch, as R'(0) = 0 and as PyTorch)
    np.greater(z, 0.0, out=out)
    return np.maximum(out, LEAKY_SLOPE, out=out)


def _leaky_relu_with_prime(z: Array, out: Array, p: Array) -> Array:
    # σ'(z) first, then a = z · σ'(z): the same numbers as max(z, αz) (z · 1 = z, z · α = αz)
    _leaky_relu_prime(z, z, p)
    return np.multiply(z, p, out=out)


def _elu(z: Array, out: Array) -> Array:
    # z for z > 0, e^z − 1 for z ≤ 0 (α = 1): max(e^min(z, 0) − 1, z), the −1 by expm1 (exact
    # for small |z|); e^z − 1 ≥ z, so the max picks e^z − 1 for z ≤ 0 and z for z > 0
    np.minimum(z, _zeros(z.shape, z.dtype), out=out)
    np.expm1(out, out=out)
    return np.maximum(out, z, out=out)


def _elu_prime(z: Array, a: Array, out: Array) -> Array:
    # σ'(z) = 1 for z > 0, e^z for z ≤ 0 (= 1 at 0: with α = 1 ELU is C¹, no kink) as e^min(z, 0),
    # from z: a + 1 would lose every digit of e^z once a rounds to −1 (z ≲ −37 in float64)
    np.minimum(z, _zeros(z.shape, z.dtype), out=out)
    return np.exp(out, out=out)


SOFTPLUS_LINEAR_ABOVE = 40.0  # beyond, ln(1 + e^z) = z + e^(−z) rounds to z in float32 and float64


def _softplus(z: Array, out: Array) -> Array:
    # ln(1 + e^z) as max(ln(1 + e^min(z, 40)), z): e^z never overflows, and above 40 the true
    # value rounds to z in both dtypes (e^(−40) < half an ulp of 40 in float64)
    np.minimum(z, SOFTPLUS_LINEAR_ABOVE, out=out)
    np.exp(out, out=out)
    np.log1p(out, out=out)
    return np.maximum(out, z, out=out)


def _softplus_prime(z: Array, a: Array, out: Array) -> Array:
    # σ'(z) = 1/(1 + e^(−z)) (the sigmoid) = 1 − e^(−a), from the cached a = ln(1 + e^z):
    # −expm1(−a), exact to a few ulps at every z (e^z for z ≪ 0, where a ≈ e^z) and never overflows
    np.negative(a, out=out)
    np.expm1(out, out=out)
    return np.negative(out, out=out)


def _silu(z: Array, out: Array) -> Array:
    # z · σ(z); σ(z) overflows to the correct 0 as in _sigmoid (callers silence the warning)
    _sigmoid(z, out)
    return np.multiply(out, z, out=out)


def _silu_prime(z: Array, a: Array, out: Array) -> Array:
    # σ'(z) = σ(z) (1 + z (1 − σ(z))), with 1 − σ(z) = σ(−z) (exact where σ(z) rounds to 1); one
    # temporary, outside the trainer's hot path (which gets σ' from _silu_with_prime)
    s = np.empty_like(out)
    with np.errstate(over="ignore"):
        _sigmoid(z, s)
        np.negative(z, out=out)
        _sigmoid(out, out)
    out *= z
    out += 1.0
    return np.multiply(out, s, out=out)


def _silu_with_prime(z: Array, out: Array, p: Array) -> Array:
    # the forward pass's two buffers: out = σ(z), p = σ(−z), p ← σ(z) (1 + z σ(−z)), out ← z σ(z)
    _sigmoid(z, out)
    np.negative(z, out=p)
    _sigmoid(p, p)
    p *= z
    p += 1.0
    p *= out
    return np.multiply(out, z, out=out)


def _softmax(z: Array, out: Array) -> Array:
    # Row-wise: a_j = e^{z_j} / Σ_i e^{z_i}; shifting by the row max avoids overflow.
    np.subtract(z, z.max(axis=1, keepdims=True), out=out)
    np.exp(out, out=out)
    out /= out.sum(axis=1, keepdims=True)
    return out


#: silu's least value, z s(z) at its one minimum z ≈ −1.278464542761074 (where 1 + e^(−z) + z e^(−z) = 0),
#: −0.27846454276107380…, rounded down a few ulps: silu computed there gives −0.27846454276107385
SILU_MIN = -0.278464542761074

ACTIVATIONS: dict[str, Activation] = {
    a.name: a
    for a in (
        Activation("sigmoid", _sigmoid, _sigmoid_prime, "1 / (1 + e^(−z))", "σ(z)(1 − σ(z))",
                   low=0.0, high=1.0, range_text="(0, 1)", exact_prime=_sigmoid_slope),
        Activation("relu", _relu, _relu_prime, "max(0, z)", "1 if z > 0 else 0", kink=True,
                   into_with_prime=_relu_with_prime, he_init=2.0, low=0.0, range_text="[0, ∞)"),
        Activation("leaky_relu", _leaky_relu, _leaky_relu_prime, f"max(z, {LEAKY_SLOPE:g} z)",
                   f"1 if z > 0 else {LEAKY_SLOPE:g}", kink=True, into_with_prime=_leaky_relu_with_prime,
                   he_init=2.0 / (1.0 + LEAKY_SLOPE**2)),
        Activation("elu", _elu, _elu_prime, "z if z > 0 else e^z − 1", "1 if z > 0 else e^z", bend=True,
                   he_init=2.0, low=-1.0, range_text="(−1, ∞)"),
        Activation("softplus", _softplus, _softplus_prime, "ln(1 + e^z)", "1 / (1 + e^(−z))", he_init=2.0,
                   low=0.0, range_text="(0, ∞)"),
        Activation("silu", _silu, _silu_prime, "z / (1 + e^(−z))",
                   "(1 + (1 + z) e^(−z)) / (1 + e^(−z))²",
                   into_with_prime=_silu_with_prime, he_init=2.0, low=SILU_MIN, range_text="[≈ −0.278, ∞)"),
        Activation("tanh", _tanh, _tanh_prime, "tanh(z)", "1 − tanh²(z)", low=-1.0, high=1.0,
                   range_text="(−1, 1)", exact_prime=_tanh_slope),
        Activation("linear", _linear, _linear_prime, "z", "1", identity_prime=True),
        Activation(
            "softmax", _softmax, None, "e^(z_j) / Σ_i e^(z_i)", "(not element-wise)", hidden_ok=False,
            low=0.0, high=1.0, range_text="(0, 1), each row summing to 1"
        ),
    )
}


def outside_range(activation: Activation, Y: Array) -> NDArray[np.bool_]:
    """The targets of ``Y`` that no output of ``activation`` can reach: those strictly beyond its
    closed range [low, high] (a target of exactly 0 or 1 under sigmoid, as one-hot labels are, is
    approached, not beyond). All False for an activation whose values cover every real number."""
    Y = np.asarray(Y)
    return (Y < activation.low) | (Y > activation.high)


HIDDEN_ACTIVATIONS = tuple(sorted(n for n, a in ACTIVATIONS.items() if a.hidden_ok))


#: Other libraries' names (read by ``names.lookup``) for an activation here that is exactly the same
#: function: the logistic function is σ; the identity is ``linear``. Used only while the named
#: activation is in the registry.
ALIASES = {"logistic": "sigmoid", "expit": "sigmoid", "identity": "linear", "swish": "silu"}  # swish: β = 1

#: Activations of other libraries (Keras, PyTorch, scikit-learn), spelled with their word boundaries
#: (``names.lookup``): named as not available (instead of a "did you mean relu?" for 'elu') while not
#: in the registry.
ELSEWHERE = {"leaky_relu": "leaky_relu", "lrelu": "leaky_relu", "prelu": "prelu", "rrelu": "rrelu",
             "elu": "elu", "selu": "selu", "celu": "celu", "gelu": "gelu", "softplus": "softplus",
             "softsign": "softsign", "swish": "swish", "silu": "silu", "mish": "mish",
             "hard_sigmoid": "hard_sigmoid", "hard_tanh": "hardtanh", "hard_swish": "hard_swish",
             "exponential": "exponential", "log_softmax": "log_softmax",
             "softmin": "softmin", "log_sigmoid": "log_sigmoid", "tanh_shrink": "tanhshrink",
             "sin": "sin", "sine": "sine", "step": "step", "heaviside": "heaviside"}


def _explain(value: str) -> tuple[str | None, str | None]:
    from .names import canonical_name, lookup, shown

    if canonical_name(value, ("none",)):  # Keras' activation=None is linear, but YAML's null is not the word none
        return ("for no activation, σ(z) = z, write linear; to leave the field at its default, leave "
                "it out", None)
    other = lookup(value, ELSEWHERE)
    if other is not None and other not in ACTIVATIONS:
        return f"{other} is not available here", None
    if other is not None:  # another library's short name for one of ours ('lrelu'): not a "did you mean relu?"
        return f"did you mean {shown(other)}?", None
    return None, None


def hidden_only_output(value: object) -> bool:
    """``value`` names an output-only activation (softmax, however it is spelled)."""
    from .names import canonical_name, lookup

    name = canonical_name(value, ACTIVATIONS)
    if name is None:
        name = lookup(value, ALIASES)
    return name in ACTIVATIONS and not ACTIVATIONS[name].hidden_ok


def activation_name(value: object, field: str = "activation", hidden: bool = False) -> str:
    """The registry's name for ``value`` under ``names.choose``'s rule (``ReLU`` -> ``relu``,
    ``logistic`` -> ``sigmoid``), or a ConfigError naming ``field``: a softmax on a hidden layer
    is refused as such, an activation of another library as not available."""
    from .names import choose, shown

    allowed = HIDDEN_ACTIVATIONS if hidden else tuple(sorted(ACTIVATIONS))
    if hidden and hidden_only_output(value):
        raise ConfigError(f"{field}: {shown(value)} is not one of: {', '.join(allowed)} ({shown(value)} is "
                          "allowed only as the output activation)")
    return choose(value, field, allowed, aliases=ALIASES, explain=_hidden_explain if hidden else _explain)


def _hidden_explain(value: str) -> tuple[str | None, str | None]:
    """``_explain``, and for a hidden layer's name nearest an output-only one ('softmaxx'), that
    name and where it is allowed: the plain "did you mean" looked among the hidden names alone
    and found none."""
    from .names import did_you_mean, loose_key

    note, hint = _explain(value)
    if note is not None or did_you_mean(value, HIDDEN_ACTIVATIONS) is not None or any(
            loose_key(a) == loose_key(value) for a in HIDDEN_ACTIVATIONS):
        return note, hint
    near = did_you_mean(value, sorted(ACTIVATIONS))
    if near is None:
        return None, None
    return f"{near} it is allowed only as the output activation", None


def get_activation(name: str, field: str = "activation", hidden: bool = False) -> Activation:
    """Look up an activation by name (``activation_name``'s rule); ``field`` names the config
    path for the error."""
    return ACTIVATIONS[activation_name(name, field, hidden)]
