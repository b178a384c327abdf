"""The chain rule of one layer, for one training example, as plain data.

``explain_layer`` answers the seeds' question "how does the cost C0 of this one example
change when I nudge w_jk^(l)?" with every factor of the chain rule and its value:

    ∂C0/∂w_jk^(l) = ∂z_j^(l)/∂w_jk^(l) · ∂a_j^(l)/∂z_j^(l) · ∂C0/∂a_j^(l)
                  = a_k^(l−1)          · σ'(z_j^(l))       · ∂C0/∂a_j^(l)      (seed 000, eqs. 3–6)
    ∂C0/∂b_j^(l)  = 1 · σ'(z_j^(l)) · ∂C0/∂a_j^(l)                           (eq. 7)
    ∂C0/∂a_k^(l−1) = Σ_j w_jk^(l) · σ'(z_j^(l)) · ∂C0/∂a_j^(l)               (eq. 8, handed back)

Before that, the forward pass of each shown neuron with the numbers plugged in (``ForwardSum``):
z_j^(l) = Σ_k w_jk^(l) a_k^(l−1) + b_j^(l) (eq. 2) term by term, and a_j^(l) = σ(z_j^(l)).

The numbers are not recomputed here: z, a come from ``Network.forward`` and δ, ∂C/∂a,
∂C/∂w, ∂C/∂b from ``Network.backward``, the very passes the trainer uses. Each product
of factors is then checked twice: against the backward pass, and against a central
finite difference of ``Network.cost`` with one parameter perturbed (eps = 1e-6,
float64). A float32 network is explained through a float64 copy (noted).

Choices made here (documented for the renderers and the CLI help):

- Neurons and inputs are numbered from 0, as in seed 000 (Σ_{j=0}^{n_L−1}).
- At l = 1 the hand-back ∂C0/∂a_k^(0) is omitted: a^(0) is the input x, which is data,
  not a parameter, and the backward pass stops there. A note says so.
- Softmax (output only, with cross-entropy) has no element-wise σ': ∂C0/∂a_j = −y_j / a_j
  is shown, but the output rule is the single fused δ_j = a_j − y_j (the softmax Jacobian
  applied to it, for targets that sum to 1), and the products have two factors, a_k · δ_j.
  Sigmoid + cross-entropy shows the generic three-factor chain where it is finite and
  states that the backward pass uses the fused δ = a − y.
- Wide layers are truncated to the first ``max_rows`` neurons / inputs (default 8,
  so at most 8 × 8 weight products); ``full=True`` keeps all.

No printing here: ``render/explain.py`` turns a ``LayerExplanation`` into rich output,
Markdown with LaTeX, or JSON.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import cached_property

import numpy as np
from numpy.typing import NDArray

from .activations import LEAKY_SLOPE
from .arrays import real_array
from .costs import beyond_unit_message, first_target_beyond_unit
from .errors import ConfigError, DataError, InputError
from .names import OPTION_NAMES, shown, typed
from .network import NOISE_ULPS, BackwardResult, ForwardCache, Network, norm
from .wording import plural

Array = NDArray[np.float64]

EPS = 1e-6  # central-difference step
REL_TOL = 1e-5  # a check passes when the relative error is below this ...
ABS_TOL = 1e-9  # ... or the absolute difference is below this (or the difference's rounding noise)
SATURATED_PRIME = 0.01  # σ'(z) below this: a saturated sigmoid/tanh unit
#: Activations whose σ' fades to 0 as |z| (elu, softplus, silu: −z) grows: a unit there is saturated.
#: silu's σ' also crosses 0 at its minimum z ≈ −1.28, where the unit is not saturated: it counts
#: only in its tail z < SILU_TAIL (|σ'| < 0.01 from z ≈ −6.3 on), by |σ'| (σ' < 0 there). Not the ReLUs.
SATURATING = ("sigmoid", "tanh", "elu", "softplus", "silu")
SILU_TAIL = -2.0


def _saturated(name: str, z: Array, sp: Array | None) -> Array:
    """Which units of a layer with activation ``name`` are saturated: σ'(z) < SATURATED_PRIME
    (silu: |σ'(z)| < SATURATED_PRIME in its tail z < SILU_TAIL); none for the others."""
    if name not in SATURATING or sp is None:
        return np.zeros(np.shape(z), dtype=bool)
    if name == "silu":
        return (np.abs(sp) < SATURATED_PRIME) & (z < SILU_TAIL)
    return sp < SATURATED_PRIME
VANISHING_RATIO = 1e-3  # a layer's ‖∂C0/∂w‖ below this × the largest: vanishing
MAX_ENUMERATED_PATHS = 200_000  # --expand sums the paths one by one up to this many
DEFAULT_MAX_ROWS = 8

_LAYER_RE = re.compile(r"^\s*L\s*(?:-\s*(\d+)\s*)?$", re.IGNORECASE)


# --------------------------------------------------------------------------------------
# Data
# --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Term:
    """One named quantity: ``symbol`` = ``formula`` = ``value``.

    ``symbol`` and ``formula`` are in seed 000's notation as Unicode text
    (e.g. ``∂z_0^(2)/∂w_01^(2)`` = ``a_1^(1)``); ``latex``/``formula_latex`` are the same in
    LaTeX. ``alias`` is the name of the factor in seed 001's notation where one applies
    (e.g. ``dZ_2/dH_1``), else "".
    """

    symbol: str
    formula: str
    value: float
    latex: str
    formula_latex: str
    alias: str = ""


@dataclass(frozen=True)
class Check:
    """A product of factors compared with the backward pass and a finite difference.

    ``numeric`` is (C0(p + eps) − C0(p − eps)) / (2 eps) with one parameter p perturbed
    (``difference`` = ``central``). Where a step moves some ReLU unit's z across 0 the
    central difference straddles the kink, so ``numeric`` is a one-sided difference on a
    side where no unit moves across (``one-sided``), or, when both sides do, the central
    difference kept for the record (``kink``: no finite difference can judge this entry).
    ``rel_err_*`` = |value − other| / max(|value|, |other|) (0 when both are 0).
    ``status``: ``pass`` when, for both comparisons, rel err < 1e-5 or the absolute
    difference < 1e-9 (for the finite difference: or < ``numeric_noise``, how far rounding of
    the two costs alone can move it, ~u·|C0|/ε); ``fail`` when a judged comparison does not;
    ``kink`` when the backward pass agrees but the finite difference cannot judge; ``noise``
    when the backward pass agrees but the value and the finite difference are both within
    ``numeric_noise`` of 0 (a cost far larger than this gradient: the difference cannot tell
    the value from 0, so it cannot judge either); ``steep`` when the backward pass agrees but
    the cost bends too sharply for any step the difference can take (weights or inputs so large
    that ±ε moves z far: smaller steps are tried first, see _smaller_steps). ``passed`` = ``pass``.
    """

    value: float
    backprop: float
    numeric: float
    rel_err_backprop: float
    rel_err_numeric: float
    abs_err_backprop: float
    abs_err_numeric: float
    passed: bool
    difference: str = "central"
    status: str = "pass"
    numeric_noise: float = 0.0

    @property
    def on_noise(self) -> bool:
        """Did the finite-difference comparison pass only within ``numeric_noise`` (rel err ≥ 1e-5
        and the absolute difference ≥ 1e-9): the costs' rounding hides the difference, so the
        finite difference agrees no closer than that noise (a cost far larger than this gradient)?"""
        return (self.status == "pass" and self.rel_err_numeric >= REL_TOL
                and self.abs_err_numeric >= ABS_TOL)

    def __post_init__(self) -> None:
        if self.passed != (self.status == "pass"):
            raise ValueError(f"Check: passed={self.passed} contradicts status={self.status!r}")


@dataclass(frozen=True)
class Equation:
    """A rule written out symbolically: a short ``label``, Unicode ``text`` and ``latex``."""

    label: str
    text: str
    latex: str


@dataclass(frozen=True)
class ChainProduct:
    """One chain-rule product: ``symbol`` = factor₁ · factor₂ · … = ``value``.

    ``kind``: ``weight`` (index (j, k)), ``bias`` (j), ``term`` (one j of a hand-back sum,
    index (j, k)), ``forward`` (one k of the forward sum w_jk^(l) · a_k^(l−1), index (j, k)),
    ``seed001`` (the same product in seed 001's notation).
    ``value`` is the product of the factor values; ``check`` compares it with the backward
    pass and a finite difference (None for a term of a sum, checked as a whole, and for a
    forward term).
    ``rule``: ``chain`` (the generic product), ``fused`` (δ = a − y used as one factor),
    ``forward`` (a forward term: no derivative in it) or ``difference`` (seed 001's E_o[j] under a
    fused output rule: ``factors`` are the operands ŷ_j and y_j, or ŷ_j, Σ_i y_i and y_j for softmax
    targets that do not sum to 1, and ``value`` = ŷ_j − y_j, or ŷ_j Σ_i y_i − y_j, the backward pass's δ_j:
    the product of all factors but the last, minus the last).
    """

    kind: str
    index: tuple[int, ...]
    symbol: str
    latex: str
    factors: tuple[Term, ...]
    value: float
    check: Check | None
    rule: str = "chain"


@dataclass(frozen=True)
class HandBack:
    """∂C0/∂a_k^(l−1) = Σ_j w_jk^(l) σ'(z_j^(l)) ∂C0/∂a_j^(l): what layer l hands back.

    ``terms`` are the shown j (all of them unless truncated), ``n_terms`` = n_l is how many
    the sum has; ``value`` is the full sum, checked as a whole.
    """

    k: int
    symbol: str
    latex: str
    terms: tuple[ChainProduct, ...]
    n_terms: int
    value: float
    check: Check


@dataclass(frozen=True)
class ForwardSum:
    """Neuron j's forward pass with the numbers plugged in (seed 000 eqs. 2 and 1):
    z_j^(l) = Σ_k w_jk^(l) a_k^(l−1) + b_j^(l) = w_j0 · a_0 + w_j1 · a_1 + … + b_j, and
    a_j^(l) = σ(z_j^(l)) (softmax: e^(z_j) / Σ_i e^(z_i), which takes every z_i of the layer).

    ``terms`` are the shown k (all of them unless truncated, as a hand-back sum's j), one
    ``ChainProduct`` of kind ``forward`` each, factors (w_jk^(l), a_k^(l−1)); ``n_terms`` =
    n_{l−1} is how many the sum has. ``inputs``, ``w`` and ``a_prev`` repeat the shown k, their
    w_jk^(l) (the network's ``weights[l−1][j, k]``) and a_k^(l−1), in the order of ``terms``.
    ``b`` is b_j^(l) (``biases[l−1][j]``); ``z`` and ``a`` come from the forward pass the
    rest of the explanation uses (``Network.forward``), not re-added here: with every term
    shown, the terms plus b give z up to rounding.
    """

    j: int
    symbol: str
    latex: str
    terms: tuple[ChainProduct, ...]
    n_terms: int
    inputs: tuple[int, ...]
    w: tuple[float, ...]
    a_prev: tuple[float, ...]
    b: float
    z: float
    a: float


@dataclass(frozen=True)
class GradSource:
    """Where ∂C0/∂a^(l) comes from.

    ``kind``: ``cost`` (output layer, the cost's derivative), ``fused`` (sigmoid +
    cross-entropy: the generic chain plus the fused rule δ = a − y), ``softmax`` (softmax +
    cross-entropy: one output rule δ = a − y), ``memoized`` (a hidden layer: the value
    layer l+1 computed and handed back, reused).
    """

    kind: str
    equations: tuple[Equation, ...]
    notes: tuple[str, ...]


@dataclass(frozen=True)
class NeuronRow:
    """One neuron j of layer l for this example (None where a quantity does not exist).

    ``dead``: a relu unit with z ≤ 0 (inactive for this example); ``near_kink``: a relu or
    leaky_relu unit whose z is 0 up to rounding but not exactly 0 (``_near_kink``), where σ'
    follows rounding's sign while by hand z = 0 and σ'(0) takes the rule's else-branch.

    ``sigma_prime`` is None for softmax (not element-wise); ``grad_a`` may be ±inf/nan for
    sigmoid + cross-entropy when a rounds to 0 or 1, and −inf for softmax where a_j underflows
    to 0 and y_j > 0 (δ = a − y is still exact). For one example ∂C0/∂b_j = δ_j.
    """

    j: int
    z: float
    a: float
    sigma_prime: float | None
    grad_a: float | None
    delta: float
    grad_b: float
    saturated: bool
    dead: bool
    near_kink: bool = False  # relu/leaky_relu: z is 0 up to rounding, not exactly (see _near_kink)


@dataclass(frozen=True)
class WeightGradients:
    """∂C0/∂w^(l) = δ^(l) (a^(l−1))ᵀ, the rank-one outer product, possibly truncated.

    ``rows`` (neurons j) and ``cols`` (inputs k) are the shown indices; ``delta`` has the
    δ_j of ``rows``, ``a_prev`` the a_k^(l−1) of ``cols``, ``dw[r][c]`` = δ_rows[r] · a_cols[c].
    ``shape`` = (n_l, n_{l−1}) is the full shape; ``norm`` = ‖∂C0/∂w^(l)‖ (Frobenius, full).
    """

    rows: tuple[int, ...]
    cols: tuple[int, ...]
    delta: tuple[float, ...]
    a_prev: tuple[float, ...]
    dw: tuple[tuple[float, ...], ...]
    shape: tuple[int, int]
    truncated: bool
    norm: float


@dataclass(frozen=True)
class Seed001View:
    """The same layer in seed 001's notation (ml-cheatsheet): layer error E = ∂C/∂Z.

    Names: X = H_0 is the input, H_m the output of layer m, ŷ = H_L, Z_m its weighted input,
    W_m its weights (our w^(m), shape (n_m, n_{m−1})), E_m its layer error; E_o is the
    output layer's, E_h a hidden layer's. ``error`` holds E_l for the neurons in
    ``error_index``, ``upstream`` E_{l+1} for the neurons of layer l+1 in ``upstream_index``
    (hidden layers only: its first ``max_rows``, all of them with ``full``), ``layer_input``
    H_{l−1} for ``input_index``. ``error_example`` is one E_j as a product (under a fused
    output rule the difference ŷ_j − y_j), ``weight_example`` one C'(w_jk) = E_j · H_k ("layer
    error × layer input").
    """

    error_name: str
    equations: tuple[Equation, ...]
    error_index: tuple[int, ...]
    error: tuple[float, ...]
    upstream_name: str | None
    upstream: tuple[float, ...] | None
    input_name: str
    input_index: tuple[int, ...]
    layer_input: tuple[float, ...]
    error_example: ChainProduct
    weight_example: ChainProduct
    notes: tuple[str, ...]
    #: the neurons i of layer l+1 whose E_{l+1}[i] ``upstream`` holds (None at the output layer):
    #: the JSON's E_2 of a digits network was 8 numbers of 10 with no word of which
    upstream_index: tuple[int, ...] | None = None


@dataclass(frozen=True)
class ExampleOrigin:
    """Where a training example (--example i, row i of the shuffled training split) comes from, so
    that a learner can find it in the data: ``file`` (the data file as given, or a built-in set's
    name), ``line`` (its 1-based line in a CSV file, the header being line 1; None for a built-in
    set or an .npz), ``raw_x`` (x in the data's own units where the header's x is standardized;
    None where x is as written) and ``class_name`` (the class of a one-hot or 0/1 y; None for
    regression)."""

    file: str | None = None
    line: int | None = None
    raw_x: tuple[float, ...] | None = None
    class_name: str | None = None


@dataclass(frozen=True)
class ParameterSource:
    """Whose weights and biases are explained, for the header and JSON: ``kind`` is ``init`` (a
    fresh, untrained initialisation: ``init`` the config's network.init, drawn with ``seed``),
    ``config`` (the config ``path``'s network.weights, and its network.biases where ``given``
    names them too; what it does not give is drawn as for ``init``; ``set_by``: those of ``given``
    a --set gave, not the file) or ``model`` (the trained model file ``path``, a run folder's
    model.npz included)."""

    kind: str
    seed: int | None = None
    init: str | None = None
    path: str | None = None
    given: tuple[str, ...] = ()
    set_by: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.kind not in ("init", "config", "model"):
            raise ValueError(f"ParameterSource: kind {self.kind!r} is none of init, config, model")


@dataclass(frozen=True)
class LearnerWarning:
    """Something a learner should notice: ``kind`` is ``saturated``, ``dead_relu``,
    ``near_kink`` (a relu/leaky_relu z that is 0 up to rounding), ``nonfinite``, ``zero_input`` (the layer's input a^(l−1) is all zeros, so ∂C0/∂w^(l) = 0) or
    ``vanishing`` (a hidden layer's ‖∂C0/∂w‖ below 1e-3 × the largest) or ``small_input`` (the
    output layer's is, from an input a^(L−1) near 0, its δ not small); ``layer`` and ``neurons`` say where (``neurons`` is empty for ``zero_input``;
    for ``vanishing``, ``layers`` lists the affected layers and ``layer`` is the lowest)."""

    kind: str
    layer: int
    neurons: tuple[int, ...]
    message: str
    layers: tuple[int, ...] = ()


@dataclass(frozen=True)
class LayerNorm:
    """‖∂C0/∂w^(l)‖ and ‖∂C0/∂b^(l)‖ (Frobenius / Euclidean) of one layer, for this example."""

    layer: int
    label: str
    activation: str
    weight_norm: float
    bias_norm: float


@dataclass(frozen=True)
class MultiplicationCount:
    """How much work the memoized layer errors save, counting multiplications only.

    Expanding every path (no memoization), for one weight w_jk^(l): each of the P paths
    from the cost to w_jk is a product of F factors (F = 2 for the cost's derivative and
    σ' at the output, or 1 when the fused δ = a − y is used; + 2 per layer crossed, w and
    σ'; + 1 for a_k^(l−1)), so it costs P·(F − 1) multiplications. Doing so for every
    weight of the layer costs n_l·n_{l−1} times that.

    Memoized (the backward pass): δ^(L) = ∂C0/∂a^(L) ⊙ σ'(z^(L)) costs n_L (0 when fused;
    1 when l = L and only δ_j^(L) is needed); each layer m = L … l+2 crossed costs
    n_m·n_{m−1} for (w^(m))ᵀ δ^(m) plus n_{m−1} for ⊙ σ'; the last step to layer l costs
    n_{l+1} + 1 for the single δ_j^(l) this weight needs (n_{l+1}·n_l + n_l for the whole
    layer); then δ_j · a_k is 1 more (n_l·n_{l−1} for the whole layer).

    The evaluation of ∂C0/∂a^(L) itself (e.g. 2(a − y)) and all additions are not
    counted, in either column.

    Example, 3-6-7-5-4, l = 1: P = 7·5·4 = 140 paths of F = 9 factors, so 1 120
    multiplications expanded vs 4 + (20 + 5) + (35 + 7) + (7 + 1) + 1 = 80 memoized.
    """

    expanded_weight: int
    memoized_weight: int
    expanded_layer: int
    memoized_layer: int
    #: every weight of every layer: where seed 001's memoization saves even in a chain of single
    #: neurons, each layer's error reused by the layer before it (one backward pass; expanded, each
    #: weight's paths anew). 1-1-1-1 sigmoid, C0: 2 + 4 + 6 = 12 vs 1 + 2 + 2 + 3 = 8.
    expanded_network: int = 0
    memoized_network: int = 0

    @property
    def saved_network(self) -> int:
        return self.expanded_network - self.memoized_network

    @property
    def saved_weight(self) -> int:
        return self.expanded_weight - self.memoized_weight

    @property
    def saved_layer(self) -> int:
        return self.expanded_layer - self.memoized_layer


@dataclass(frozen=True)
class PathTerm:
    """One path of an expanded chain: ``path`` (neuron indices from layer L down to layer l, the last
    one being j, as ``Expansion.path``) and ``value``, the product of its factors."""

    path: tuple[int, ...]
    value: float


@dataclass(frozen=True)
class Expansion:
    """The whole chain from the cost back to one weight w_jk^(l), unmemoized.

    With several neurons per layer ∂C0/∂w_jk^(l) is a sum over ``n_paths`` paths
    (one neuron chosen in each of the layers L … l+1). ``path`` is the single path with the
    largest |contribution| (neuron indices from layer L down to layer l, the last one
    being j), ``factors`` its chain in order from the cost (seed 001's order: dC/dŷ ·
    dŷ/dZ_L · dZ_L/dH_{L−1} · … · dZ_l/dW_l), ``path_value`` their product.
    ``total`` is the sum over all paths: enumerated one by one (``enumerated`` True) when
    there are at most 200 000 paths, otherwise taken from the memoized recurrence.
    ``check`` compares ``total`` with the backward pass and a finite difference.
    ``paths`` lists paths with their products, the largest (``path``) first, the rest by |value|: all
    of them when there are at most ``MAX_ROWS`` (8), else the 8 largest; with ``full``, every one
    up to the 200 000 enumerated (past that only ``path``: the total is the memoized one).
    ``all_zero``: picked without --weight while every shown ∂C0/∂w of the layer is 0 for this
    example (a tie: every chain ends in 0); the notes say why and which weight was taken.
    """

    layer: int
    j: int
    k: int
    chain: Equation
    path_sum: Equation
    n_paths: int
    path: tuple[int, ...]
    factors: tuple[Term, ...]
    path_value: float
    total: float
    enumerated: bool
    check: Check
    multiplications: MultiplicationCount
    notes: tuple[str, ...]
    all_zero: bool = False
    paths: tuple[PathTerm, ...] = ()


@dataclass(frozen=True, repr=False)
class LayerExplanation:
    """Everything ``backprop explain --layer l`` shows, for one example C0.

    Shapes: ``x`` (n_0,), ``y`` (n_L,) are the example; ``neurons`` holds the shown rows of
    layer l (n_l in all: ``n_neurons``), ``inputs_shown`` the shown k of layer l−1;
    ``forward`` the forward sum z_j = Σ_k w_jk a_k + b_j of each shown neuron, in the order
    of ``neurons``. ``hand_back`` holds ∂C0/∂a_k^(l−1) for the shown k (eq. 8, l ≥ 2);
    ``received`` (l < L) the value this layer gets, ∂C0/∂a_j^(l) of each shown neuron j as
    layer l+1's eq. 8 sum over its neurons i (each term's ``index`` is (i, j) and its symbol
    "i = …"; the sum's ``k`` field is j, and JSON names it ``j``).
    """

    layer: int
    label: str
    n_layers: int
    sizes: tuple[int, ...]
    architecture: str
    activation: str
    activation_formula: str
    activation_prime: str
    cost: str
    is_output: bool
    x: tuple[float, ...]
    y: tuple[float, ...]
    cost_value: float
    neuron: int | None
    weight: tuple[int, int] | None
    rules: tuple[Equation, ...]
    source: GradSource
    n_neurons: int
    n_inputs: int
    forward: tuple[ForwardSum, ...]
    neurons: tuple[NeuronRow, ...]
    inputs_shown: tuple[int, ...]
    weight_gradients: WeightGradients
    weight_products: tuple[ChainProduct, ...]
    bias_products: tuple[ChainProduct, ...]
    hand_back: tuple[HandBack, ...]
    received: tuple[HandBack, ...]
    seed001: Seed001View
    warnings: tuple[LearnerWarning, ...]
    gradient_norms: tuple[LayerNorm, ...]
    expansion: Expansion | None
    truncated: bool
    notes: tuple[str, ...]
    row: int | None = None  # which example: its row of the training split, None for one given
    standardized: bool = False  # x is the data's row standardized (data.standardize), not as written
    origin: ExampleOrigin | None = None  # where row ``row`` comes from (file, line, raw x, class)
    parameters: ParameterSource | None = None  # whose weights: a fresh init, a config's, a trained model's

    def __repr__(self) -> str:
        """Short, as ``TrainResult``'s: the whole dataclass was 14,714 characters for a 2-3-1 network's
        layer (278,305 for every layer of a 4-16-16-3), flooding a notebook cell. The fields hold it all;
        ``render.explain.to_markdown((ex,))`` is the report as a notebook shows Markdown."""
        return (f"LayerExplanation(layer={self.layer} ({self.label}) of {self.architecture}, "
                f"example={'yours' if self.row is None else self.row}, C0={self.cost_value:.6g}, "
                f"status={self.status!r}, products={len(self.weight_products) + len(self.bias_products)})")

    @property
    def checks(self) -> tuple[Check, ...]:
        """Every check of this explanation (products, hand-backs, the expansion)."""
        out = [p.check for p in self.weight_products + self.bias_products if p.check]
        out += [h.check for h in self.hand_back + self.received]
        if self.expansion is not None:
            out.append(self.expansion.check)
        return tuple(out)

    @property
    def passed(self) -> bool:
        """True when every check passed."""
        return all(c.passed for c in self.checks)

    @property
    def status(self) -> str:
        """``fail`` if some check failed, else ``inconclusive`` if some sit on a ReLU kink
        that no finite difference can judge, else ``pass`` (the CLI exits 1 / 3 / 0)."""
        return overall_status(self.checks)


def overall_status(checks: tuple[Check, ...] | list[Check]) -> str:
    """``fail``, ``inconclusive`` or ``pass`` for a set of checks (see ``LayerExplanation``)."""
    statuses = {c.status for c in checks}
    if "fail" in statuses:
        return "fail"
    return "inconclusive" if statuses & {"kink", "noise", "steep"} else "pass"


# --------------------------------------------------------------------------------------
# Layer names: L, L-1, … or 1 … L
# --------------------------------------------------------------------------------------
def layer_label(l: int, n_layers: int) -> str:
    """The seeds' name of layer l in a network whose output layer is L = ``n_layers``."""
    return "L" if l == n_layers else f"L-{n_layers - l}"


def layer_choices(n_layers: int) -> str:
    """The names ``--layer`` takes in a network of ``n_layers`` layers: ``L or L-1, or a number from 1 to 2``
    (``L or 1`` for one layer), as a missing ``--layer`` and one that is no layer list them."""
    names = [layer_label(i, n_layers) for i in range(n_layers, 0, -1)]
    listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + f" or {names[-1]}"
    return "L or 1" if n_layers == 1 else f"{listed}, or a number from 1 to {n_layers}"


def parse_layer(text: str | int, n_layers: int) -> int:
    """``"L"``, ``"L-1"`` (or ``"L−1"``, a Unicode minus), …, or ``"1"`` … ``"L"`` -> the layer
    number l (1..L).

    Raises ``ConfigError`` listing the valid choices for this network otherwise
    (``"L+1"``, ``"0"``, ``"L-9"`` on a 3-layer net, ``"x"``).
    """
    s = str(text).strip()
    l: int | None = None
    # the minus sign as the seeds (and this tool's output) print it, U+2212, or a dash
    m = _LAYER_RE.match(s.translate({0x2212: "-", 0x2013: "-"}))
    if m:
        l = n_layers - int(m.group(1) or 0)
    elif re.fullmatch(r"[+]?\d+", s):
        l = int(s)
    if l is not None and 1 <= l <= n_layers:
        return l
    # the choices as a missing --layer lists them (``L or 1`` for one layer, not "from 1 to 1")
    raise ConfigError(
        f"{OPTION_NAMES.get()['layer']}: {typed(text) if isinstance(text, str) else shown(text)} is not a layer of this network "
        f"(L = {n_layers}: layer 0 is the input, layer {n_layers} the output); use one of: {layer_choices(n_layers)}"
    )


# --------------------------------------------------------------------------------------
# Notation helpers: each returns (Unicode text, LaTeX)
# --------------------------------------------------------------------------------------
Sym = tuple[str, str]


def _ix(*idx: int | str) -> str:
    """Subscript indices: ``10`` for (1, 0), ``12,3`` once any index has two digits."""
    if len(idx) == 1:  # the common cases first (~60,000 calls for a --full layer of 2,048 weights)
        return str(idx[0])
    if len(idx) == 2:
        j, k = idx
        return f"{j},{k}" if (isinstance(j, int) and j >= 10) or (isinstance(k, int) and k >= 10) else f"{j}{k}"
    sep = "," if any(isinstance(i, int) and i >= 10 for i in idx) else ""
    return sep.join(str(i) for i in idx)


def _a(k: int | str, l: int) -> Sym:
    return f"a_{_ix(k)}^({l})", rf"a_{{{_ix(k)}}}^{{({l})}}"


def _z(j: int | str, l: int) -> Sym:
    return f"z_{_ix(j)}^({l})", rf"z_{{{_ix(j)}}}^{{({l})}}"


def _w(j: int | str, k: int | str, l: int) -> Sym:
    return f"w_{_ix(j, k)}^({l})", rf"w_{{{_ix(j, k)}}}^{{({l})}}"


def _b(j: int | str, l: int) -> Sym:
    return f"b_{_ix(j)}^({l})", rf"b_{{{_ix(j)}}}^{{({l})}}"


def _y(j: int | str) -> Sym:
    return f"y_{_ix(j)}", rf"y_{{{_ix(j)}}}"


def _delta(j: int | str, l: int) -> Sym:
    return f"δ_{_ix(j)}^({l})", rf"\delta_{{{_ix(j)}}}^{{({l})}}"


def _d(num: Sym, den: Sym) -> Sym:
    """∂num/∂den."""
    return f"∂{num[0]}/∂{den[0]}", rf"\frac{{\partial {num[1]}}}{{\partial {den[1]}}}"


def _dC(den: Sym) -> Sym:
    return _d(("C0", "C_0"), den)


def _sp(j: int | str, l: int) -> Sym:
    z = _z(j, l)
    return f"σ'({z[0]})", rf"\sigma'\left({z[1]}\right)"


def _term(symbol: Sym, formula: Sym, value: float, alias: str = "") -> Term:
    return Term(symbol[0], formula[0], float(value), symbol[1], formula[1], alias)


def _eq(label: str, *parts: Sym) -> Equation:
    return Equation(label, " = ".join(p[0] for p in parts), " = ".join(p[1] for p in parts))


def _dot(*syms: Sym) -> Sym:
    return " · ".join(s[0] for s in syms), r" \cdot ".join(s[1] for s in syms)


def _minus(u: Sym, v: Sym) -> Sym:
    return f"{u[0]} − {v[0]}", f"{u[1]} - {v[1]}"


# The cost's C0 and ∂C0/∂a_j in LaTeX; "@j" is the neuron index, "@L" the output layer.
_COST_LATEX: dict[str, tuple[str, str]] = {
    "squared_error": (
        r"\sum_{j} \left(a_{j}^{(@L)} - y_{j}\right)^{2}",
        r"2\left(a_{@j}^{(@L)} - y_{@j}\right)",
    ),
    "half_squared_error": (
        r"\frac{1}{2} \sum_{j} \left(a_{j}^{(@L)} - y_{j}\right)^{2}",
        r"a_{@j}^{(@L)} - y_{@j}",
    ),
    "cross_entropy": (
        r"-\sum_{j} \left[y_{j} \ln a_{j}^{(@L)} + \left(1 - y_{j}\right) \ln\left(1 - a_{j}^{(@L)}\right)\right]",
        r"\frac{a_{@j}^{(@L)} - y_{@j}}{a_{@j}^{(@L)} \left(1 - a_{@j}^{(@L)}\right)}",
    ),
}

_COST_CONVENTION: dict[str, str] = {
    "squared_error": "seed 000's convention C0 = Σ_j (a_j − y_j)², so the derivative carries "
    "the factor 2: ∂C0/∂a_j = 2(a_j − y_j) (seed 001 halves the cost and gets ŷ − y)",
    "half_squared_error": "seed 001's convention C = ½(ŷ − y)², so ∂C0/∂a_j = a_j − y_j "
    "(seed 000 has no ½ and gets 2(a − y))",
    # the derivative is the equation above it: the note says only which cross-entropy (it repeated
    # "∂C0/∂a_j = (a_j − y_j) / (a_j (1 − a_j))", the line above without its superscripts)
    "cross_entropy": "binary cross-entropy, one term per output unit",
}


def _cost_grad_sym(cost_name: str, grad_formula: str, j: int | str, L: int) -> Sym:
    """∂C0/∂a_j^(L) written out for neuron j, from the cost registry's formula."""
    text = grad_formula.replace("a_j", _a(j, L)[0]).replace("y_j", _y(j)[0])
    if cost_name in _COST_LATEX:
        latex = _COST_LATEX[cost_name][1].replace("@j", _ix(j)).replace("@L", str(L))
    else:  # a cost without a LaTeX template: fall back to its text formula
        latex = rf"\text{{{text}}}"
    return text, latex


def _cost_sym(cost_name: str, formula: str, L: int) -> Sym:
    text = formula.replace("a_j", f"a_j^({L})")
    if cost_name in _COST_LATEX:
        return text, _COST_LATEX[cost_name][0].replace("@L", str(L))
    return text, rf"\text{{{text}}}"


# --------------------------------------------------------------------------------------
# The shared forward/backward pass of one example
# --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Pass:
    """One example through a float64 copy of the network: the trainer's forward and
    backward passes, done once and reused by every layer's explanation."""

    net: Network
    X: Array  # (1, n_0)
    Y: Array  # (1, n_L)
    cache: ForwardCache
    back: BackwardResult
    notes: tuple[str, ...]
    row: int | None = None  # the example's row of the training split; None: one given (--x, --y, Python)
    standardized: bool = False  # recorded for the header: x as standardized, not the data's own numbers
    origin: ExampleOrigin | None = None  # recorded for the header: where the example comes from
    parameters: ParameterSource | None = None  # recorded for the header: whose weights and biases

    # per-layer views of row 0 (the one example) -------------------------------------
    def z(self, l: int) -> Array:
        """z^(l), shape (n_l,)."""
        z = self.cache.z[l]
        assert z is not None
        return z[0]

    def a(self, l: int) -> Array:
        """a^(l), shape (n_l,); a^(0) = x."""
        return self.cache.a[l][0]

    def prime(self, l: int) -> Array | None:
        """σ'(z^(l)), shape (n_l,), or None for softmax."""
        act = self.net.activations[l - 1]
        if act.prime is None:
            return None
        return act.slope(self.cache.z[l], self.cache.a[l])[0]  # type: ignore[arg-type]

    def delta(self, l: int) -> Array:
        """δ^(l) = ∂C0/∂z^(l), shape (n_l,) (from the backward pass)."""
        d = self.back.delta[l]
        assert d is not None
        return d[0]

    def grad_a(self, l: int) -> Array | None:
        """∂C0/∂a^(l), shape (n_l,), from the backward pass (at a softmax output −y/a, which
        enters δ through the softmax Jacobian, not a σ' factor)."""
        g = self.back.grad_a[l]
        return None if g is None else g[0]

    def fused(self, l: int) -> bool:
        """Does layer l use a fused output rule (δ = a − y)?"""
        return l == self.net.L and self.net.activations[-1].name in self.net.cost_fn.fused

    def generic_ok(self, l: int, j: int) -> bool:
        """Can neuron j of layer l be shown as the generic chain σ'(z_j) · ∂C0/∂a_j?"""
        sp, g = self.prime(l), self.grad_a(l)
        if sp is None or g is None:
            return False
        with np.errstate(invalid="ignore", over="ignore"):
            return bool(np.isfinite(g[j]) and np.isfinite(g[j] * sp[j]))

    # finite differences -----------------------------------------------------------------
    def numeric_param(self, arr: Array, index: tuple[int, ...]) -> Numeric:
        """Finite difference of C0 with ``arr[index]`` (a weight or a bias) perturbed."""
        orig = arr[index]

        def cost_at(h: float) -> tuple[float, float, bool]:
            arr[index] = orig + h
            moved = float(arr[index]) - float(orig)
            try:
                cost, flipped = _cost_and_flips(self.net, self.X, self.Y, self.cache.z)
                return cost, moved, flipped
            finally:
                arr[index] = orig

        return replace(_difference(cost_at), coarse=self.coarse)

    def numeric_grad_a(self, l_prev: int, k: int) -> Numeric:
        """Finite difference of C0 with a_k^(l_prev) perturbed, l_prev ≥ 1.

        Runs the tail of the network (layers l_prev+1 … L, same weights and
        activations) with a^(l_prev) as its input.
        """
        tail = _tail(self.net, l_prev + 1)
        ref_z = [None] + list(self.cache.z[l_prev + 1 :])
        a = self.a(l_prev).copy()[None, :]
        orig = a[0, k]

        def cost_at(h: float) -> tuple[float, float, bool]:
            a[0, k] = orig + h
            moved = float(a[0, k]) - float(orig)
            try:
                cost, flipped = _cost_and_flips(tail, a, self.Y, ref_z)
                return cost, moved, flipped
            finally:
                a[0, k] = orig

        return replace(_difference(cost_at), coarse=self.coarse)

    @cached_property
    def coarse(self) -> bool:
        """Is some |z^(l)| of this example ≥ 2^52 · EPS, where z ± EPS rounds back to z (and
        a finite difference may not move the cost at all however small its step)?"""
        return any(float(np.max(np.abs(z))) >= 2.0**52 * EPS for z in self.cache.z[1:] if z is not None)


@dataclass(frozen=True)
class Numeric:
    """A finite-difference estimate of ∂C0/∂p and how it was taken (``Check.difference``)."""

    value: float
    difference: str  # "central", "one-sided" or "kink"
    noise: float = 0.0  # how far rounding of the costs alone can move ``value`` (see _difference)
    eps: float = 0.0  # the step asked for (EPS, or grown until it moved the parameter)
    # C0 at a moved parameter (see _difference), for a retry at smaller steps; None: no retry
    cost_at: Callable[[float], tuple[float, float, bool]] | None = field(default=None, compare=False, repr=False)
    coarse: bool = False  # some |z| of the pass is so large that a step of EPS rounds away in it


def _cost_and_flips(net: Network, X: Array, Y: Array, ref_z: list) -> tuple[float, bool]:
    """C0 of ``net`` at X, and whether some ReLU unit's side of its kink (z > 0 or not)
    differs from ``ref_z`` (the z^(l) of the unperturbed pass, same layer numbering). ``Y`` is
    the float64 (1, n_L) array of ``_one_example``: the costs are taken without checking it and
    the cache again (``example_costs`` would hand them on unchanged; ~8 µs of each of the 4,000+
    costs of a --full layer)."""
    cache = net.forward(X)
    cost = float(np.mean(net._example_costs(cache, Y)))
    flipped = any(
        bool(np.any((cache.z[m] > 0) != (ref_z[m] > 0)))
        for m in range(1, net.L + 1)
        if net.activations[m - 1].kink
    )
    return cost, flipped


def _difference(cost_at: Callable[[float], tuple[float, float, bool]], eps: float = EPS) -> Numeric:
    """The central difference (C(+ε) − C(−ε)) / 2ε, unless a step moves some ReLU unit's z
    across its kink: then the central difference straddles the kink and says nothing about
    the derivative the backward pass uses, so the estimate is one-sided, on a side whose
    steps (ε and 2ε) move no unit, and second order like the central one:
    f'(θ) ≈ −(h1+h2)/(h1 h2) C0 + h2/(h1 (h2−h1)) C1 − h1/(h2 (h2−h1)) C2, which is
    (−3 C0 + 4 C1 − C2) / 2h for h2 = 2 h1 = 2h. ``kink`` when both sides move a unit.

    ``cost_at(h)`` -> (C0 with the parameter moved by about h, the step actually taken,
    did a unit cross its kink). Steps are measured as taken, so rounding of θ + h cancels.
    A parameter so large that θ ± ε rounds back to θ (|θ| ≳ 1e10) gets a step grown by
    factors of 16 until it moves θ, rather than a division by zero. ``eps``: the first step
    tried (smaller ones are tried by make_check where the usual one bends too much).
    """
    while True:
        c_plus, h_plus, f_plus = cost_at(eps)
        c_minus, h_minus, f_minus = cost_at(-eps)
        if h_plus != h_minus or not math.isfinite(eps):
            break
        eps *= 16.0
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        central = float(np.float64(c_plus - c_minus) / np.float64(h_plus - h_minus))
        # each C comes from sums of many rounded terms (784 inputs: its error reached ~5 u|C|),
        # so a difference of two costs is uncertain by ~ u|C| · NOISE_ULPS / |h+ − h−|: on a
        # cost of 2.3, 1e-9 and more, above ABS_TOL alone (false ✗ on a 784-input layer)
        noise = float(NOISE_ULPS * 2.0**-52 * max(abs(c_plus), abs(c_minus)) / abs(h_plus - h_minus))
    if not (f_plus or f_minus):
        return Numeric(central, "central", noise, eps, cost_at)
    c0, _, _ = cost_at(0.0)
    for sign, c1, h1, f1 in ((1.0, c_plus, h_plus, f_plus), (-1.0, c_minus, h_minus, f_minus)):
        if f1:
            continue
        c2, h2, f2 = cost_at(2.0 * sign * eps)
        if f2 or h1 == 0.0 or h2 == h1:  # a step rounded away (θ near 1e10 and past): no estimate
            continue
        est = -(h1 + h2) / (h1 * h2) * c0 + h2 / (h1 * (h2 - h1)) * c1 - h1 / (h2 * (h2 - h1)) * c2
        return Numeric(est, "one-sided", 4.0 * noise, eps, cost_at)  # weights up to 3/2h on three costs
    return Numeric(central, "kink", noise, eps)


def _tail(net: Network, l: int) -> Network:
    """The sub-network of layers l … L: its input is layer l−1 of ``net``."""
    tail = net.copy()
    tail.sizes = net.sizes[l - 1 :]
    tail.activations = net.activations[l - 1 :]
    tail.weights = net.weights[l - 1 :]
    tail.biases = net.biases[l - 1 :]
    return tail


def _one_example(net: Network, x: object, y: object) -> tuple[Array, Array]:
    """x -> (1, n_0), y -> (1, n_L), float64; DataError naming the shapes otherwise."""
    n_in, n_out = net.sizes[0], net.sizes[-1]
    X = np.array(real_array(x, "explain: x", np.float64, f"({n_in},)"), dtype=np.float64)
    Y = np.array(real_array(y, "explain: y", np.float64, f"({n_out},)"), dtype=np.float64)
    if X.ndim == 1:
        X = X.reshape(1, -1)
    if Y.ndim <= 1:
        Y = Y.reshape(1, -1)
    if X.shape != (1, n_in):
        raise DataError(
            f"explain: x has shape {np.shape(x)}; expected ONE example, shape ({n_in},) or (1, {n_in})"
        )
    if Y.shape != (1, n_out):
        raise DataError(
            f"explain: y has shape {np.shape(y)}; expected ONE target, shape ({n_out},) or (1, {n_out})"
        )
    if not (np.all(np.isfinite(X)) and np.all(np.isfinite(Y))):
        raise DataError("explain: the example contains NaN or infinite values")
    return X, Y


def _run(net: Network, x: object, y: object, target_names: tuple[str, ...] | None = None,
         row: int | None = None) -> _Pass:
    notes: list[str] = []
    if net.dtype != np.float64:
        notes.append(
            f"The network is {net.dtype.name}; explain works on a float64 copy, so its numbers "
            "can differ from the trainer's in the last ~7 significant digits."
        )
    net64 = net.astype("float64")  # always a copy: finite differences perturb it in place
    if net64.l2:  # the chain rule of C0: the penalty's λw is not one of its factors (nor in C0)
        notes.append(
            f"training.l2 = {net64.l2:g}: training adds λ·w_jk to every ∂C/∂w_jk, from the penalty "
            "(λ/2)·Σ‖w‖², which is not part of C0; the products and their checks here are those of "
            "C0 alone."
        )
        net64.l2 = 0.0
    X, Y = _one_example(net64, x, y)
    if first_target_beyond_unit(net64.cost_fn.name, Y, net64.activations[-1].name) is not None:  # as Network.cost refuses it
        raise InputError(beyond_unit_message("y", Y, 0, net64.activations[-1].name))
    cache = net64.forward(X)
    _refuse_overflow_forward(net64, cache, Y, target_names, row)
    back = net64.backward(cache, Y)
    _refuse_overflow_backward(net64, back)
    return _Pass(net64, X, Y, cache, back, tuple(notes), row)


_OVERFLOW_HINT = ("explain needs finite numbers: use smaller weights (network.weights or a smaller init), "
                  "standardized inputs (data.standardize: true), or a model whose training did not diverge")


def _largest(arr: Array) -> str:
    """max |arr| over its finite entries, as a message writes it (0 when there are none)."""
    finite = np.abs(arr[np.isfinite(arr)])
    return f"{float(finite.max()) if finite.size else 0.0:.3g}"


def _refuse_overflow_forward(net: Network, cache: ForwardCache, Y: Array,
                             target_names: tuple[str, ...] | None = None, row: int | None = None) -> None:
    """A DataError naming the first layer whose z or a is NaN or infinite (and the sizes of its
    weights and inputs), or the cost when only C0 overflows: past an overflow every product and
    finite difference is inf or NaN, and a ✗ would blame the backward pass for the arithmetic.
    A cost that overflows because the target is larger than every output (y = 1e200 in a CSV)
    names the target, its column (``target_names``) and ``row`` of the training split when
    given: smaller weights or standardized inputs could not help it."""
    L = net.L
    for l in range(1, L + 1):
        for name, v in (("z", cache.z[l]), ("a", cache.a[l])):
            assert v is not None
            bad = np.flatnonzero(~np.isfinite(v[0]))
            if bad.size:
                j = int(bad[0])
                raise DataError(
                    f"explain: the forward pass overflows at layer {l} ({layer_label(l, L)}): "
                    f"{name}_{j}^({l}) = {float(v[0, j])} for this example "
                    f"(|w^({l})| up to {_largest(net.weights[l - 1])}, |b^({l})| up to "
                    f"{_largest(net.biases[l - 1])}, |a^({l - 1})| up to {_largest(cache.a[l - 1][0])}), "
                    f"so no product or finite difference of it is a number",
                    _OVERFLOW_HINT,
                )
    cost = float(np.mean(net._example_costs(cache, Y)))
    if not math.isfinite(cost):
        target = _huge_target(cache.a[L][0], Y[0], target_names)
        if target is not None:
            column, value = target
            where = column + ("" if row is None else f", row {row} of the training split")
            raise DataError(
                f"explain: the cost C0 of this example is {cost}: its target {value:g} ({where}) is too "
                f"large for the cost {net.cost_fn.name} (|a^({L})| up to {_largest(cache.a[L][0])}); "
                "the weights and inputs are not the cause",
                f"scale {column if column.startswith('column') else 'the targets'} down (divide by a power "
                "of ten until |y| is far below 1e+150), or explain another example",
            )
        raise DataError(
            f"explain: the cost C0 of this example is {cost}: it overflows at the output "
            f"(|a^({L})| up to {_largest(cache.a[L][0])}, |y| up to {_largest(Y[0])})",
            _OVERFLOW_HINT,
        )


def _huge_target(a: Array, y: Array, target_names: tuple[str, ...] | None) -> tuple[str, float] | None:
    """(the target's name, its value) when it is the target, not the outputs, that made the
    cost overflow (``costs.huge_target``): 'column NAME' from ``target_names``, else 'output j'."""
    from .costs import huge_target

    j = huge_target(a, y)
    if j is None:
        return None
    names = tuple(target_names or ())
    return (f"column {shown(names[j])}" if j < len(names) else f"output {j}"), float(y[j])


def _refuse_overflow_backward(net: Network, back: BackwardResult) -> None:
    """A DataError naming the first layer, from L down, whose δ, ∂C0/∂w, ∂C0/∂b or the
    ∂C0/∂a it hands back is NaN or infinite (the forward pass was finite). ∂C0/∂a at the output
    may be infinite where a fused rule δ = a − y stands in for it (shown as such)."""
    L = net.L
    for l in range(L, 0, -1):
        parts = [("δ", back.delta[l]), ("∂C0/∂w", back.dw[l - 1]), ("∂C0/∂b", back.db[l - 1])]
        if l < L:
            parts.append(("∂C0/∂a", back.grad_a[l]))
        for name, v in parts:
            if v is not None and not np.all(np.isfinite(v)):
                raise DataError(
                    f"explain: the backward pass overflows at layer {l} ({layer_label(l, L)}): "
                    f"{name}^({l}) is not finite for this example (|w^({l})| up to "
                    f"{_largest(net.weights[l - 1])}), so no product of it is a number",
                    _OVERFLOW_HINT,
                )


# --------------------------------------------------------------------------------------
# Checks
# --------------------------------------------------------------------------------------
def _rel(u: float, v: float) -> float:
    s = max(abs(u), abs(v))
    return 0.0 if s == 0.0 else abs(u - v) / s


def _close(u: float, v: float, atol: float = ABS_TOL) -> bool:
    return math.isfinite(u) and math.isfinite(v) and (_rel(u, v) < REL_TOL or abs(u - v) < atol)


#: How many times make_check divides the step by 16 (1e-6 down to 2e-16) before it calls a
#: disagreeing finite difference ``steep``.
SMALLER_STEPS = 8


def _smaller_steps(value: float, first: Numeric) -> tuple[Numeric, str]:
    """Re-judge a finite difference that disagrees with an agreeing backward pass at steps
    ε/16, ε/256, …: with weights or inputs so large that the cost bends sharply within ±1e-6
    (z moves by |w| · ε), the usual step measures the bend, not the slope. ``pass`` at the
    first step that agrees; ``fail`` when two successive steps agree with each other but not
    with the value (the difference has converged elsewhere: a real mismatch); ``steep`` when
    no step small enough exists: the step was grown to move the parameter at all, a smaller
    one no longer moves it, the costs' rounding noise outgrows the value first, or (some |z|
    past 4.5e9, where z ± 1e-6 rounds to z) the cost did not move at all at two steps."""
    assert first.cost_at is not None
    if first.eps > EPS:  # |θ| so large that ±1e-6 rounded away: no smaller step moves it
        return first, "steep"
    prev, eps = first, first.eps
    for _ in range(SMALLER_STEPS):
        eps /= 16.0
        est = _difference(first.cost_at, eps)
        if est.eps > eps or est.difference == "kink" or est.noise >= abs(value):
            break  # θ ± eps rounds to θ, a kink in the way, or the noise swamps the value
        if _close(value, est.value, max(ABS_TOL, est.noise)):
            return est, "pass"
        if _close(est.value, prev.value, max(ABS_TOL, est.noise, prev.noise)):
            if (first.coarse or first.value != 0.0) and est.value == prev.value == 0.0:
                # the cost did not move at either step, though it did at ε (or z is so large that
                # z ± ε rounds back to z): the steps rounded away in the costs, not a 0 slope (a
                # 1e6 − 1e6 in z left a 1e3-weight ELU net no step that both resolves and agrees)
                break
            return first, "fail"
        prev = est
    return first, "steep"


def make_check(value: float, backprop: float, numeric: Numeric | float) -> Check:
    """Compare a product with the backward pass and a finite difference (tolerances above).

    A plain float ``numeric`` is a central difference.
    """
    if not isinstance(numeric, Numeric):
        numeric = Numeric(float(numeric), "central")
    value, backprop, fd = float(value), float(backprop), float(numeric.value)
    if not _close(value, backprop):
        status = "fail"
    elif numeric.difference == "kink":
        status = "kink"
    elif max(abs(value), abs(fd)) <= numeric.noise and not _close(value, fd):
        status = "noise"  # both within the costs' rounding noise of 0: the difference cannot tell
    else:
        status = "pass" if _close(value, fd, max(ABS_TOL, numeric.noise)) else "fail"
        if status == "fail" and numeric.cost_at is not None:
            numeric, status = _smaller_steps(value, numeric)
            fd = float(numeric.value)
    return Check(
        value=value,
        backprop=backprop,
        numeric=fd,
        rel_err_backprop=_rel(value, backprop),
        rel_err_numeric=_rel(value, fd),
        abs_err_backprop=abs(value - backprop),
        abs_err_numeric=abs(value - fd),
        passed=status == "pass",
        difference=numeric.difference,
        status=status,
        numeric_noise=numeric.noise,
    )


def _product(factors: tuple[Term, ...]) -> float:
    """The factors' product, their mantissas and powers of 2 multiplied apart, so that no partial
    product underflows or overflows where the whole does not: a_k · σ'(z_j) · ∂C0/∂a_j with a tiny a_k
    and σ' beside a huge ∂C0/∂a_j (a saturated sigmoid under cross-entropy) came out 0 where δ_j a_k
    is -5.7e-101. Where nothing underflows or overflows, the same bits as multiplying left to right."""
    mantissa, exponent = 1.0, 0
    for f in factors:
        m, e = math.frexp(f.value)
        mantissa, shift = math.frexp(mantissa * m)
        exponent += e + shift
    if not math.isfinite(mantissa) or not mantissa:
        return mantissa
    try:
        return math.ldexp(mantissa, exponent)
    except OverflowError:  # the whole overflows: inf, as the product itself gives (ldexp raises)
        return math.copysign(math.inf, mantissa)


# --------------------------------------------------------------------------------------
# The factors of one neuron j: σ'(z_j) · ∂C0/∂a_j, or the fused δ_j
# --------------------------------------------------------------------------------------
def _grad_a_formula(p: _Pass, l: int, j: int | str) -> Sym:
    """What ∂C0/∂a_j^(l) is: the cost's derivative at L, the handed-back sum below."""
    net = p.net
    if l == net.L and p.prime(l) is None:  # softmax + cross-entropy: ∂/∂a_j of −Σ_j y_j ln a_j
        (y, y_lx), (a, a_lx) = _y(j), _a(j, l)
        return f"−{y} / {a}", rf"-\frac{{{y_lx}}}{{{a_lx}}}"
    if l == net.L:
        return _cost_grad_sym(net.cost_fn.name, net.cost_fn.grad_formula, j, l)
    nxt = l + 1
    if p.prime(nxt) is None or p.fused(nxt):
        text = f"Σ_i w_{_ix('i', j)}^({nxt}) δ_i^({nxt})"
        latex = rf"\sum_{{i}} w_{{{_ix('i', j)}}}^{{({nxt})}} \delta_{{i}}^{{({nxt})}}"
    else:
        text = f"Σ_i w_{_ix('i', j)}^({nxt}) σ'(z_i^({nxt})) ∂C0/∂a_i^({nxt})"
        latex = (
            rf"\sum_{{i}} w_{{{_ix('i', j)}}}^{{({nxt})}} \sigma'\left(z_{{i}}^{{({nxt})}}\right) "
            rf"\frac{{\partial C_0}}{{\partial a_{{i}}^{{({nxt})}}}}"
        )
    return text, latex


def _neuron_factors(p: _Pass, l: int, j: int) -> tuple[tuple[Term, ...], str]:
    """The factors after ∂z_j/∂(·): (σ'(z_j), ∂C0/∂a_j) or, fused, (δ_j,); and the rule."""
    if p.generic_ok(l, j):
        sp, g = p.prime(l), p.grad_a(l)
        assert sp is not None and g is not None
        return (
            _term(_d(_a(j, l), _z(j, l)), _sp(j, l), sp[j]),
            _term(_dC(_a(j, l)), _grad_a_formula(p, l, j), g[j]),
        ), "chain"
    return _fused_factors(p, l, j)


def _unnormalized(p: _Pass, l: int) -> bool:
    """Softmax at layer l with targets that do not sum to 1 (the Python API takes them): its output rule is
    δ_j = a_j Σ_i y_i − y_j, as the backward pass computes it, not a_j − y_j."""
    return p.net.activations[l - 1].name == "softmax" and not _sums_to_one(p.Y[0])


def _sums_to_one(y: Array) -> bool:
    """Whether targets sum to 1 up to float64's rounding of the sum: only then is a Σ y − y the a − y shown.
    (The CLI takes rows within 1e-6 of 1, and δ = a Σ y − y differs from a − y by a(Σy − 1), which can
    flip δ's sign where a ≈ y: such a row is shown with its Σ_i y_i.)"""
    return abs(float(np.sum(y)) - 1.0) <= 8 * np.finfo(np.float64).eps * max(1, np.size(y))


def _output_rule(p: _Pass, l: int, j: int | str) -> tuple[str, str]:
    """δ_j's formula in a fused output rule: a_j − y_j, or a_j Σ_i y_i − y_j (``_unnormalized``)."""
    if _unnormalized(p, l):
        return f"{_a(j, l)[0]} Σ_i y_i − {_y(j)[0]}", rf"{_a(j, l)[1]} \sum_{{i}} y_{{i}} - {_y(j)[1]}"
    return _minus(_a(j, l), _y(j))


def _fused_factors(p: _Pass, l: int, j: int) -> tuple[tuple[Term, ...], str]:
    """Neuron j's factor δ_j = a_j − y_j of a fused output rule (``_output_rule``), and the rule."""
    formula = _output_rule(p, l, j)
    return (_term(_dC(_z(j, l)), formula, p.delta(l)[j]),), "fused"


def _hand_back_factors(p: _Pass, l: int, j: int) -> tuple[tuple[Term, ...], str]:
    """Neuron j's factors after w_jk in a hand-back term: δ_j of a fused output layer, as its
    rule Σ_j w_jk · δ_j says and the backward pass computes (the weight products may show the
    generic chain σ'(z_j) · ∂C0/∂a_j there: that left the sums' terms with a factor more than
    the rule and the table's legend named), else ``_neuron_factors``."""
    return _fused_factors(p, l, j) if p.fused(l) else _neuron_factors(p, l, j)


# --------------------------------------------------------------------------------------
# Products: weights, biases, the hand-back
# --------------------------------------------------------------------------------------
def _weight_product(p: _Pass, l: int, j: int, k: int,
                    factors_j: tuple[tuple[Term, ...], str] | None = None) -> ChainProduct:
    """∂C0/∂w_jk; ``factors_j``: neuron j's ``_neuron_factors``, the same for every k (made
    once per neuron: for each of a --full layer's 2,048 weights they took ~20 µs)."""
    rest, rule = _neuron_factors(p, l, j) if factors_j is None else factors_j
    first = _term(_d(_z(j, l), _w(j, k, l)), _a(k, l - 1), p.a(l - 1)[k])
    factors = (first,) + rest
    value = _product(factors)
    backprop = p.back.dw[l - 1][j, k]
    numeric = p.numeric_param(p.net.weights[l - 1], (j, k))
    sym = _dC(_w(j, k, l))
    return ChainProduct("weight", (j, k), sym[0], sym[1], factors, value,
                        make_check(value, backprop, numeric), rule)


def _bias_product(p: _Pass, l: int, j: int, factors_j: tuple[tuple[Term, ...], str] | None = None) -> ChainProduct:
    rest, rule = _neuron_factors(p, l, j) if factors_j is None else factors_j
    factors = (_term(_d(_z(j, l), _b(j, l)), ("1", "1"), 1.0),) + rest
    value = _product(factors)
    numeric = p.numeric_param(p.net.biases[l - 1], (j,))
    sym = _dC(_b(j, l))
    return ChainProduct("bias", (j,), sym[0], sym[1], factors, value,
                        make_check(value, p.back.db[l - 1][j], numeric), rule)


def _hand_back(
    p: _Pass, l: int, k: int, term_js: tuple[int, ...], rests: list[tuple[tuple[Term, ...], str]],
    letter: str = "j",
) -> HandBack:
    """∂C0/∂a_k^(l−1) = Σ_j w_jk^(l) · σ'(z_j^(l)) · ∂C0/∂a_j^(l) (eq. 8); l ≥ 2. ``rests``: each
    neuron j's factors after w_jk (``_neuron_factors``), the same for every k, made once.
    ``letter`` names the summed neuron in each term's symbol: "j = 0" in layer l's hand-back,
    "i = 0" where layer l−1 shows the sum it received (its own neurons being j there)."""
    w = p.net.weights[l - 1]

    def term(j: int) -> ChainProduct:
        rest, rule = rests[j]
        factors = (_term(_d(_z(j, l), _a(k, l - 1)), _w(j, k, l), w[j, k]),) + rest
        label = f"{letter} = {j}"
        return ChainProduct("term", (j, k), label, label, factors, _product(factors), None, rule)

    def term_value(j: int) -> float:  # term(j).value, without building the shown form
        out = 1.0 * float(w[j, k])
        for f in rests[j][0]:
            out *= f.value
        return out

    n_terms = w.shape[0]
    value = math.fsum(term_value(j) for j in range(n_terms))
    g = p.back.grad_a[l - 1]
    assert g is not None
    sym = _dC(_a(k, l - 1))
    return HandBack(
        k=k,
        symbol=sym[0],
        latex=sym[1],
        terms=tuple(term(j) for j in term_js),
        n_terms=n_terms,
        value=value,
        check=make_check(value, g[0, k], p.numeric_grad_a(l - 1, k)),
    )


def _forward_sum(p: _Pass, l: int, j: int, term_ks: tuple[int, ...]) -> ForwardSum:
    """z_j^(l) = Σ_k w_jk^(l) a_k^(l−1) + b_j^(l) (eq. 2) for the shown k; z, a from the cache."""
    w, a_prev = p.net.weights[l - 1][j], p.a(l - 1)

    def term(k: int) -> ChainProduct:
        a_sym = _a(k, l - 1)
        a_formula = (f"x_{_ix(k)}", rf"x_{{{_ix(k)}}}") if l == 1 else a_sym  # a^(0) is the input x
        factors = (_term(_w(j, k, l), _w(j, k, l), w[k]), _term(a_sym, a_formula, a_prev[k]))
        return ChainProduct("forward", (j, k), f"k = {k}", f"k = {k}", factors, _product(factors), None,
                            "forward")

    sym = _z(j, l)
    return ForwardSum(
        j=j, symbol=sym[0], latex=sym[1],
        terms=tuple(term(k) for k in term_ks),
        n_terms=int(w.shape[0]),
        inputs=term_ks,
        w=tuple(float(w[k]) for k in term_ks),
        a_prev=tuple(float(a_prev[k]) for k in term_ks),
        b=float(p.net.biases[l - 1][j]),
        z=float(p.z(l)[j]), a=float(p.a(l)[j]),
    )


# --------------------------------------------------------------------------------------
# Rules, the source of ∂C0/∂a^(l), seed 001's view
# --------------------------------------------------------------------------------------
def _rules(p: _Pass, l: int) -> tuple[Equation, ...]:
    """The symbolic rules of layer l in seed 000's notation (j, k symbolic, l a number)."""
    j, k = "j", "k"
    out = [
        _eq("forward", _z(j, l), (f"Σ_k w_jk^({l}) a_k^({l - 1}) + b_j^({l})",
                                  rf"\sum_{{k}} w_{{jk}}^{{({l})}} a_{{k}}^{{({l - 1})}} + b_{{j}}^{{({l})}}")),
        _eq("activation", _a(j, l), (f"σ({_z(j, l)[0]})", rf"\sigma\left({_z(j, l)[1]}\right)")),
    ]
    if p.prime(l) is None:  # softmax: a_j depends on every z_i
        out[1] = _eq("activation (softmax)", _a(j, l),
                     (f"e^(z_j^({l})) / Σ_i e^(z_i^({l}))",
                      rf"\frac{{e^{{z_{{j}}^{{({l})}}}}}}{{\sum_{{i}} e^{{z_{{i}}^{{({l})}}}}}}"))
    dw, db = _dC(_w(j, k, l)), _dC(_b(j, l))
    dzdw, dzdb = _d(_z(j, l), _w(j, k, l)), _d(_z(j, l), _b(j, l))
    dadz, dCda, dCdz = _d(_a(j, l), _z(j, l)), _dC(_a(j, l)), _dC(_z(j, l))
    if p.prime(l) is None or p.fused(l):  # the output rule δ_j = a_j − y_j
        delta = _output_rule(p, l, j)
        out.append(_eq("output error (fused)", _delta(j, l), dCdz, delta))
        out.append(_eq("weight", dw, _dot(dzdw, dCdz), _dot(_a(k, l - 1), _delta(j, l))))
        out.append(_eq("bias", db, _dot(dzdb, dCdz), _dot(("1", "1"), _delta(j, l))))
    if p.prime(l) is not None:
        out.append(_eq("weight" + (" (generic chain)" if p.fused(l) else ""), dw,
                       _dot(dzdw, dadz, dCda), _dot(_a(k, l - 1), _sp(j, l), dCda)))
        out.append(_eq("bias" + (" (generic chain)" if p.fused(l) else ""), db,
                       _dot(dzdb, dadz, dCda), _dot(("1", "1"), _sp(j, l), dCda)))
    if l >= 2:
        sum_t = ("Σ_j ", r"\sum_{j} ")
        if p.prime(l) is None or p.fused(l):
            chain, vals = _dot(_d(_z(j, l), _a(k, l - 1)), dCdz), _dot(_w(j, k, l), _delta(j, l))
        else:
            chain = _dot(_d(_z(j, l), _a(k, l - 1)), dadz, dCda)
            vals = _dot(_w(j, k, l), _sp(j, l), dCda)
        out.append(_eq("hand-back to layer " + str(l - 1), _dC(_a(k, l - 1)),
                       (sum_t[0] + chain[0], sum_t[1] + chain[1]), (sum_t[0] + vals[0], sum_t[1] + vals[1])))
    return tuple(out)


def _source(p: _Pass, l: int) -> GradSource:
    """Where ∂C0/∂a^(l) comes from (seed 000 eq. 4 at L; eq. 8 of layer l+1 below)."""
    net, L = p.net, p.net.L
    cost = net.cost_fn
    out_act = net.activations[-1].name
    if l < L:
        nxt = l + 1
        received = _eq("from layer " + str(nxt), _dC(_a("j", l)), _grad_a_formula(p, l, "j"))
        # the sum names layer l+1's δ_i where that layer has a fused output rule (softmax or sigmoid with
        # cross-entropy): δ_i is defined here, under its first use, as the output layer's panel defines it
        # (the received sums' terms and the bias products' (Σ_i w_ij δ_i) named it without saying what it was)
        delta = ((_eq(f"where (layer {nxt}'s output rule)", _delta("i", nxt), _dC(_z("i", nxt)),
                      _output_rule(p, nxt, "i")),)
                 if p.prime(nxt) is None or p.fused(nxt) else ())
        return GradSource(
            "memoized",
            (received, *delta),
            (
                f"∂C0/∂a^({l}) is not recomputed: layer {nxt} computed it as its hand-back "
                f"(seed 000 eq. 8) and it is reused here, the seeds' memoization.",
                "It replaces the cost's derivative (eq. 4) for every layer before L; the trainer's "
                "backward pass computes each layer's error once and hands it down the same way.",
            ),
        )
    c_eq = _eq("cost", ("C0", "C_0"), _cost_sym(cost.name, cost.formula, L))
    if out_act == "softmax":
        c_eq = _eq("cost", ("C0", "C_0"), (f"−Σ_j y_j ln a_j^({L})", rf"-\sum_{{j}} y_{{j}} \ln a_{{j}}^{{({L})}}"))
        total = float(p.Y[0].sum())
        one = _sums_to_one(p.Y[0])  # the CLI's targets always; the Python API takes others (its numbers are δ = a Σy − y)
        rule = _minus(_a("j", L), _y("j")) if one else (
            f"a_j^({L}) Σ_i y_i − y_j", rf"a_{{j}}^{{({L})}} \sum_{{i}} y_{{i}} - y_{{j}}")
        derived = ("= a_j Σ_i y_i − y_j = a_j − y_j, the targets summing to 1." if one else
                   f"= a_j Σ_i y_i − y_j, here with Σ_i y_i = {total:.10g} (targets that do not sum to 1: not a_j − y_j).")
        return GradSource(
            "softmax",
            (c_eq, _eq("cost derivative (in eq. 4's place)", _dC(_a("j", L)), _grad_a_formula(p, L, "j")),
             _eq("output rule", _delta("j", L), _dC(_z("j", L)), rule)),
            (
                "Softmax is not element-wise: every a_i^(L) depends on every z_j^(L) "
                "(∂a_i/∂z_j = a_i (1[i = j] − a_j)), so there is no single σ'(z_j) factor: "
                "δ_j = Σ_i ∂a_i/∂z_j · ∂C0/∂a_i = Σ_i a_i (1[i = j] − a_j) (−y_i / a_i) " + derived,
                f"Softmax + cross-entropy is therefore treated as ONE output rule, δ_j = {rule[0].replace(f'^({L})', '')}, "
                "and each product below has two factors: ∂z_j/∂w_jk · δ_j = a_k^(L−1) · δ_j.",
            ),
        )
    # eq. 4 is C0 = (a − y)²'s 2(a − y): another cost's derivative takes its place (a − y under ½, read as eq. 4)
    label = "cost derivative (eq. 4)" if cost.name == "squared_error" else "cost derivative (in eq. 4's place)"
    grad = _eq(label, _dC(_a("j", L)), _cost_grad_sym(cost.name, cost.grad_formula, "j", L))
    notes = [_COST_CONVENTION.get(cost.name, f"{cost.name}: ∂C0/∂a_j = {cost.grad_formula}")]
    if p.fused(L):
        fused = _eq("fused output rule", _delta("j", L), _dot(_dC(_a("j", L)), _sp("j", L)),
                    _minus(_a("j", L), _y("j")))
        notes.append(
            f"{out_act} + {cost.name}: σ'(z) = a(1 − a) cancels the denominator, so "
            "δ_j = a_j − y_j. The backward pass uses this fused rule (exact even when a rounds "
            "to 0 or 1); the generic chain is shown where it is finite."
        )
        if out_act in SATURATING:
            sp = p.prime(L)
            assert sp is not None
            sat = tuple(int(j) for j in np.flatnonzero(_saturated(out_act, p.z(L), sp)))
            if sat:  # not a learner warning: the fused rule does not slow these units
                notes.append(
                    f"{_neurons(sat).capitalize()} {'is' if len(sat) == 1 else 'are'} saturated "
                    f"(σ'(z) < {SATURATED_PRIME}), but the fused δ = a − y cancels σ' ≈ 0, so this "
                    "does not slow learning here.")
        return GradSource("fused", (c_eq, grad, fused), tuple(notes))
    return GradSource("cost", (c_eq, grad), tuple(notes))


_SEED001_COST_PRIME: dict[str, Sym] = {
    "squared_error": ("2(ŷ − y)", r"2\left(\hat{y} - y\right)"),
    "half_squared_error": ("(ŷ − y)", r"\left(\hat{y} - y\right)"),
}


def _E(l: int) -> Sym:
    return f"E_{l}", f"E_{{{l}}}"


def _seed001_prime(activation: str | None) -> Sym:
    """The derivative's name in seed 001's rules: its own R' where the layer is a ReLU (R = max(0, Z)), else
    σ', R' generalised (a leaky ReLU is not seed 001's R)."""
    return ("R'", "R'") if activation == "relu" else ("σ'", r"\sigma'")


def seed001_output_rule(net: Network, unnormalized: bool = False, seed_names: bool = False) -> Equation:
    """Seed 001's E_o for ``net``'s cost and output activation: E_o = E_L = C'(ŷ) · σ'(Z_L) = 2(ŷ − y) ·
    σ'(Z_L) for squared_error, or the one fused rule ŷ − y (no σ' factor) for softmax or sigmoid with
    cross-entropy (``unnormalized``: softmax targets that do not sum to 1, ŷ Σ_i y_i − y). Explain's
    seed-001 view and gradcheck's legend under its diagnoses both write it so; ``seed_names`` (explain's
    view): R'(Z_L) for a ReLU output, as seed 001 writes it (see :func:`_seed001_prime`)."""
    l, act = net.L, net.activations[-1]
    E, E_lx = _E(l)
    if act.prime is None or act.name in net.cost_fn.fused:
        own, own_lx = ("ŷ Σ_i y_i − y", r"\hat{y} \sum_{i} y_{i} - y") if unnormalized else ("ŷ − y", r"\hat{y} - y")
        return Equation("output layer error (E_o)", f"E_o = {E} = C'(Z_{l}) = {own}",
                        rf"E_{{o}} = {E_lx} = C'\left(Z_{{{l}}}\right) = {own_lx}")
    cp = _SEED001_COST_PRIME.get(net.cost_fn.name, ("C'(ŷ)", r"C'\left(\hat{y}\right)"))
    d, d_lx = _seed001_prime(act.name if seed_names else None)
    return Equation("output layer error (E_o)",
                    f"E_o = {E} = C'(ŷ) · {d}(Z_{l}) = {cp[0]} · {d}(Z_{l})",
                    rf"E_{{o}} = {E_lx} = C'\left(\hat{{y}}\right) \cdot {d_lx}\left(Z_{{{l}}}\right)"
                    rf" = {cp[1]} \cdot {d_lx}\left(Z_{{{l}}}\right)")


def seed001_hidden_rule(l: int | None = None, activation: str | None = None) -> Equation:
    """Seed 001's E_h = E_o · W_o · R'(Z_h) at hidden layer ``l``, R' generalised to its σ': E_h = E_l =
    E_{l+1} · W_{l+1} · σ'(Z_l); ``l`` None: any hidden layer, written E_l = E_(l+1) · W_(l+1) · σ'(Z_l).
    ``activation`` (explain's view gives the layer's): R'(Z_l) for a ReLU layer, as seed 001 writes it."""
    if l is None:
        return Equation("hidden layer error (E_h)", "E_h = E_l = E_(l+1) · W_(l+1) · σ'(Z_l)",
                        r"E_{h} = E_{l} = E_{l+1} \cdot W_{l+1} \cdot \sigma'\left(Z_{l}\right)")
    (E, E_lx), (up, up_lx) = _E(l), _E(l + 1)
    d, d_lx = _seed001_prime(activation)
    return Equation(
        "hidden layer error (E_h)",
        f"E_h = {E} = {up} · W_{l + 1} · {d}(Z_{l})",
        rf"E_{{h}} = {E_lx} = {up_lx} \cdot W_{{{l + 1}}} \cdot {d_lx}\left(Z_{{{l}}}\right)",
    )


def seed001_rules(net: Network, Y: Array | None = None) -> tuple[str, ...]:
    """The text of seed 001's E_o for ``net`` (``seed001_output_rule``; ``Y``, the targets, for softmax's
    ŷ Σ_i y_i − y), then of its E_h where it has a hidden layer (E_1's with one, any E_l's with several)."""
    unnormalized = (Y is not None and net.activations[-1].name == "softmax"
                    and not all(_sums_to_one(y) for y in np.atleast_2d(Y)))
    rules = [seed001_output_rule(net, unnormalized).text]
    if net.L > 1:
        rules.append(seed001_hidden_rule(1 if net.L == 2 else None).text)
    return tuple(rules)


def _seed001_output(p: _Pass, l: int, j0: int) -> tuple[Equation, tuple[Term, ...], list[str], str]:
    """E_o = C'(ŷ) · σ'(Z_o), and E_o[j0] as a product of factors (rule ``chain``); under a fused output rule
    (sigmoid or softmax with cross-entropy) E_o = ŷ − y, and E_o[j0] as the difference of its operands ŷ_j0
    and y_j0 (ŷ_j0, Σ_i y_i and y_j0 for softmax targets that do not sum to 1; rule ``difference``): the
    panel's rule said ŷ − y (no σ' factor) while its worked line read C'(ŷ_0) · σ'(Z_2)_0, the generic
    chain the backward pass does not use, wherever that was finite."""
    net = p.net
    notes: list[str] = []
    act = net.activations[-1].name
    rule = seed001_output_rule(net, _unnormalized(p, l), seed_names=True)
    d, d_lx = _seed001_prime(act)
    if p.prime(l) is None or p.fused(l):
        own = "ŷ Σ_i y_i − y" if _unnormalized(p, l) else "ŷ − y"
        notes.append(f"{net.activations[-1].name} + {net.cost_fn.name}: one output rule, E_o = {own} "
                     "(no σ' factor).")
        operands = [_term((f"ŷ_{j0}", rf"\hat{{y}}_{{{j0}}}"), _a(j0, l), p.a(l)[j0])]
        if _unnormalized(p, l):
            operands.append(_term(("Σ_i y_i", r"\sum_{i} y_{i}"), ("Σ_i y_i", r"\sum_{i} y_{i}"),
                                  float(np.sum(p.Y[0]))))
        operands.append(_term(_y(j0), _y(j0), p.Y[0][j0]))
        return rule, tuple(operands), notes, "difference"
    if net.cost_fn.name == "squared_error":
        notes.append("Seed 001 writes E_o = (ŷ − y) · R'(Z_o) for C = ½(ŷ − y)²; this network "
                     "uses seed 000's C0 = Σ(a − y)², hence the 2.")
    g, sp = p.grad_a(l), p.prime(l)
    assert g is not None and sp is not None  # an output without a fused rule is element-wise, its C' finite
    factors: tuple[Term, ...] = (
        _term((f"C'(ŷ_{j0})", rf"C'\left(\hat{{y}}_{{{j0}}}\right)"), _dC(_a(j0, l)), g[j0]),
        _term((f"{d}(Z_{l})_{j0}", rf"{d_lx}\left(Z_{{{l}}}\right)_{{{j0}}}"), _sp(j0, l), sp[j0]),
    )
    return rule, factors, notes, "chain"


def _seed001_hidden(p: _Pass, l: int, j0: int, above: bool = True,
                    received: bool = True) -> tuple[Equation, tuple[Term, ...], list[str]]:
    """E_h = E_{l+1} · W_{l+1} · σ'(Z_l) (R'(Z_l) for ReLU, as seed 001 writes it), and E_h[j0] as a product of
    factors. ``above``: the sum ∂C0/∂a_j0^(l) is shown above seed 001's panel, in the received sums
    (``received``) or in layer l+1's hand-back just before this layer (--all-layers)."""
    net, (up, up_lx) = p.net, _E(l + 1)
    act = net.activations[l - 1].name
    rule = seed001_hidden_rule(l, act)
    d, d_lx = _seed001_prime(act)
    seed = ("Seed 001's E_h = E_o · W_o · R'(Z_h), R' the ReLU's derivative as here." if act == "relu" else
            f"Seed 001's E_h = E_o · W_o · R'(Z_h) with R' generalised to σ' = {act}'.")
    notes = [
        f"{seed} Shapes: {up} is a row (1 × {net.sizes[l + 1]}), W_{l + 1} is our w^({l + 1}) "
        f"({net.sizes[l + 1]} × {net.sizes[l]}; seed 001's Z = XW stores its transpose), and · {d}(Z_{l}) is "
        f"element-wise."
    ]
    g, sp = p.grad_a(l), p.prime(l)
    assert g is not None and sp is not None  # hidden layers are element-wise
    sigma = _term((f"{d}(Z_{l})_{j0}", rf"{d_lx}\left(Z_{{{l}}}\right)_{{{j0}}}"), _sp(j0, l), sp[j0])
    if net.sizes[l + 1] == 1:
        # one neuron above, as in seed 001's toy network: (E_o · W_o)_j is the one product
        # E_o[0] · W_o[0, j], so write its two numbers, not only their product, and every
        # factor of E_h = E_o · W_o · R'(Z_h) is on screen
        w = net.weights[l][0, j0]
        factors: tuple[Term, ...] = (
            _term((f"{up}[0]", rf"{up_lx}\left[0\right]"), _delta(0, l + 1), p.delta(l + 1)[0]),
            _term((f"W_{l + 1}[0,{j0}]", rf"W_{{{l + 1}}}\left[0,{j0}\right]"), _w(0, j0, l + 1), w),
            sigma,
        )
        return rule, factors, notes
    factors = (
        _term((f"({up} · W_{l + 1})_{j0}", rf"\left({up_lx} \cdot W_{{{l + 1}}}\right)_{{{j0}}}"),
              _dC(_a(j0, l)), g[j0]),
        sigma,
    )
    # the product's first factor is eq. 8's sum, which the received sums (or layer l+1's hand-back) write out
    # term by term: said, with its value there (the line showed 0.2704277 unlinked to the 0.270428 above)
    # (no Σ: an ASCII stream's "sum" would lay the panel out narrower than the UTF-8 one)
    shown = (f"the sum received from layer {l + 1}" if received else f"the sum layer {l + 1} hands back") + \
        (" above" if above else "")
    notes.insert(0, f"({up} · W_{l + 1})_{j0}, row {up} times column {j0} of W_{l + 1}, is ∂C0/∂a_{j0}^({l}) = "
                    f"{g[j0] + 0.0:.6g}, {shown} (eq. 8).")
    return rule, factors, notes


def _seed001(p: _Pass, l: int, js: tuple[int, ...], ks: tuple[int, ...], jk: tuple[int, int],
             n_upstream: int = DEFAULT_MAX_ROWS, received: bool = True) -> Seed001View:
    """Layer l in seed 001's notation: E_l = ∂C/∂Z_l and C'(W_l) = E_l · H_{l−1}; E_{l+1}'s first
    ``n_upstream`` entries (all of them when it has no more)."""
    net, L = p.net, p.net.L
    j0, k0 = jk
    (E, E_lx), delta = _E(l), p.delta(l)
    H, H_lx = ("X", "X") if l == 1 else (f"H_{l - 1}", f"H_{{{l - 1}}}")
    ex_rule = "chain"
    if l == L:
        rule, ex_factors, notes, ex_rule = _seed001_output(p, l, j0)
        upstream_name, upstream, upstream_index = None, None, None
    else:
        rule, ex_factors, notes = _seed001_hidden(p, l, j0, j0 in js, received)
        upstream_name = f"E_{l + 1}"
        upstream_index = tuple(range(min(net.sizes[l + 1], n_upstream)))
        upstream = tuple(float(p.delta(l + 1)[i]) for i in upstream_index)
    weight_rule = Equation(
        "cost-weight derivative",
        f"C'(W_{l}) = {E} · {H}   (layer error × layer input)",
        rf"C'\left(W_{{{l}}}\right) = {E_lx} \cdot {H_lx}",
    )
    notes.append(
        f"In our layout C'(W_{l}) is the outer product {E}ᵀ {H}, shape "
        f"({net.sizes[l]}, {net.sizes[l - 1]}): entry [j, k] = {E}[j] · {H}[k] = δ_j^({l}) a_k^({l - 1})."
    )
    # a difference's value is the backward pass's δ_j0 (a − y, or a Σ_i y_i − y, as the fused rule computes it)
    error_example = ChainProduct("seed001", (j0,), f"{E}[{j0}]", rf"{E_lx}\left[{j0}\right]", ex_factors,
                                 float(delta[j0]) if ex_rule == "difference" else _product(ex_factors), None, ex_rule)
    wf = (
        _term((f"{E}[{j0}]", rf"{E_lx}\left[{j0}\right]"), _delta(j0, l), delta[j0]),
        _term((f"{H}[{k0}]", rf"{H_lx}\left[{k0}\right]"), _a(k0, l - 1), p.a(l - 1)[k0]),
    )
    weight_example = ChainProduct("seed001", (j0, k0), f"C'(W_{l})[{j0},{k0}]",
                                  rf"C'\left(W_{{{l}}}\right)\left[{j0},{k0}\right]", wf, _product(wf), None)
    return Seed001View(
        error_name=f"{E} ({'E_o' if l == L else 'E_h'})",
        equations=(rule, weight_rule),
        error_index=js,
        error=tuple(float(delta[j]) for j in js),
        upstream_name=upstream_name,
        upstream=upstream,
        input_name=H,
        input_index=ks,
        layer_input=tuple(float(p.a(l - 1)[k]) for k in ks),
        error_example=error_example,
        weight_example=weight_example,
        notes=tuple(notes),
        upstream_index=upstream_index,
    )


# --------------------------------------------------------------------------------------
# Learner warnings and gradient norms (every layer)
# --------------------------------------------------------------------------------------
def _gradient_norms(p: _Pass) -> tuple[LayerNorm, ...]:
    L = p.net.L
    return tuple(
        LayerNorm(l, layer_label(l, L), p.net.activations[l - 1].name,
                  norm(p.back.dw[l - 1]), norm(p.back.db[l - 1]))
        for l in range(L, 0, -1)
    )


#: A ReLU-family z within this many units of rounding of its forward sum's terms is 0 up to
#: rounding (0.5 · 1 + (−0.3) · 2 + 0.1 = 2.8e-17 in float64, 0 on paper).
KINK_ROUNDING_UNITS = 8


def _near_kink(p: _Pass, l: int) -> Array:
    """Which units of layer l (relu or leaky_relu) have a z that is 0 up to rounding but not
    exactly 0: 0 < |z_j| ≤ KINK_ROUNDING_UNITS · u · (Σ_k |w_jk a_k| + |b_j|), u the unit
    roundoff of z's dtype. By hand such a z is 0, and σ'(0) is the rule's else-branch (0, or
    leaky_relu's slope), while the computed σ' follows rounding's sign."""
    z = p.z(l)
    if not p.net.activations[l - 1].kink:
        return np.zeros(np.shape(z), dtype=bool)
    w, b = p.net.weights[l - 1], p.net.biases[l - 1]
    size = np.abs(w * p.a(l - 1)[None, :]).sum(axis=1) + np.abs(b)
    u = np.finfo(z.dtype).eps / 2
    return (z != 0) & (np.abs(z) <= KINK_ROUNDING_UNITS * u * size)


def _neurons(js: tuple[int, ...]) -> str:
    """``neuron 0`` or ``neurons 0, 2``: the units a warning names."""
    return f"neuron {js[0]}" if len(js) == 1 else f"neurons {_list(js)}"


def _warnings(p: _Pass, norms: tuple[LayerNorm, ...]) -> tuple[LearnerWarning, ...]:
    """Saturated sigmoid/tanh/elu/softplus units, dead ReLUs, vanishing gradients, non-finite chains."""
    net, L = p.net, p.net.L
    out: list[LearnerWarning] = []
    for l in range(L, 0, -1):
        name = net.activations[l - 1].name
        if name in SATURATING:
            sp = p.prime(l)
            assert sp is not None
            sat = tuple(int(j) for j in np.flatnonzero(_saturated(name, p.z(l), sp)))
            if sat:
                why = (f"z < {SILU_TAIL:g}, |σ'(z)| < {SATURATED_PRIME}" if name == "silu" else
                       f"σ'(z) < {SATURATED_PRIME}")
                msg = (f"layer {l} ({layer_label(l, L)}): {len(sat):,} of {net.sizes[l]:,} {name} units saturated "
                       f"({why}): {_neurons(sat)}. Every gradient through "
                       f"{'it' if len(sat) == 1 else 'them'} is scaled by σ' ≈ 0, so "
                       f"{'it learns' if len(sat) == 1 else 'they learn'} slowly.")
                if not p.fused(l):  # the fused δ = a − y cancels σ': a note of layer L's source instead
                    out.append(LearnerWarning("saturated", l, sat, msg))
        if name == "relu":
            dead = tuple(int(j) for j in np.flatnonzero(p.z(l) <= 0))
            if dead:
                out.append(LearnerWarning(
                    "dead_relu", l, dead,
                    f"layer {l} ({layer_label(l, L)}): {len(dead):,} of {net.sizes[l]:,} ReLU units inactive for "
                    f"this example (z ≤ 0, so R'(z) = 0): {_neurons(dead)}. {'Its' if len(dead) == 1 else 'Their'} "
                    f"weights get no gradient "
                    f"from this example; a unit inactive for EVERY example is dead and never recovers.",
                ))
        act = net.activations[l - 1]
        near = tuple(int(j) for j in np.flatnonzero(_near_kink(p, l)))
        if near:
            z, sp = p.z(l), p.prime(l)
            assert sp is not None
            at_zero = LEAKY_SLOPE if name == "leaky_relu" else 0.0
            each = ", ".join(f"{j} (z = {z[j]:.2g}, σ' = {sp[j]:g})" for j in near)
            one = len(near) == 1
            out.append(LearnerWarning(
                "near_kink", l, near,
                f"layer {l} ({layer_label(l, L)}): {name} {'neuron' if one else 'neurons'} {each}: "
                f"z is 0 up to rounding (within a few units of rounding of its terms). By hand z = 0, "
                f"and σ'(0) = {at_zero:g} by the rule shown (σ'(z) = {act.prime_formula}); the value "
                f"shown follows rounding's sign. At the kink z = 0 the derivative is one-sided "
                f"(1 from the right, {at_zero:g} from the left): both are right, each on its side.",
            ))
        g = p.grad_a(l)
        if g is not None and not np.all(np.isfinite(g)):
            bad = tuple(int(j) for j in np.flatnonzero(~np.isfinite(g)))
            which = f"neuron {bad[0]}" if len(bad) == 1 else f"neurons {_list(bad)}"
            if name == "softmax":  # no generic chain to stand in for: its output rule is δ = a − y
                tail = "(a rounds to 0); the output rule δ = a − y does not use it."
            else:
                tail = "(a rounds to 0 or 1); the fused rule δ = a − y is shown instead of the generic chain."
            out.append(LearnerWarning(
                "nonfinite", l, bad,
                f"layer {l} ({layer_label(l, L)}): ∂C0/∂a is not finite for {which} {tail}",
            ))
    biggest = max(n.weight_norm for n in norms)
    # A layer whose input a^(l−1) is all zeros for this example (e.g. x = (0, 0)) has
    # ∂C0/∂w^(l) = δ aᵀ = 0 whatever δ is: that is the example, not a vanishing gradient.
    zero_input = tuple(n.layer for n in norms if not np.any(p.a(n.layer - 1)))
    for l in zero_input:
        out.append(LearnerWarning(
            "zero_input", l, (),
            f"layer {l} ({layer_label(l, L)}): its input a^({l - 1}) is all zeros for this example, so "
            f"∂C0/∂w^({l}) = δ^({l}) (a^({l - 1}))ᵀ = 0 whatever the error{_who_learns(p, l)} "
            f"({ZERO_INPUT_TRY if p.row is not None else _zero_input_try_x(l, p.standardized)}).",
        ))
    if biggest > 0:
        small = tuple(n.layer for n in norms
                      if n.weight_norm < VANISHING_RATIO * biggest and n.layer not in zero_input)
        # The output layer's gradient has vanished through nothing: ∂C0/∂w^(L) = δ^(L) (a^(L−1))ᵀ is
        # small where its input a^(L−1) is near 0 (dead or at-kink ReLUs: 2.8e-17) while δ^(L) is not,
        # which is that input, said so; or where δ^(L) is small too, the example is nearly fitted.
        out_norm = next((n for n in norms if n.layer == L), None)
        if L in small and out_norm is not None:
            small = tuple(m for m in small if m != L)
            if out_norm.bias_norm >= VANISHING_RATIO * biggest:
                a_in = float(norm(p.a(L - 1)))
                out.append(LearnerWarning(
                    "small_input", L, (),
                    f"layer {L} (L): ‖∂C0/∂w^({L})‖ = {out_norm.weight_norm:.3g} is small because its input "
                    f"a^({L - 1}) is near 0 (‖a^({L - 1})‖ = {a_in:.2g}), not a vanishing gradient: "
                    f"∂C0/∂w^({L}) = δ^({L}) (a^({L - 1}))ᵀ, and its error is not small "
                    f"(‖∂C0/∂b^({L})‖ = ‖δ^({L})‖ = {out_norm.bias_norm:.3g}).",
                ))
        if small:
            out.append(LearnerWarning(
                "vanishing", min(small), (),
                f"vanishing gradient: ‖∂C0/∂w‖ of layer(s) {_list(small)} is below {VANISHING_RATIO:g} × the "
                f"largest layer's ({biggest:.3g}); those layers barely move on this example.",
                layers=small,
            ))
    return tuple(out)


def _who_learns(p: _Pass, l: int) -> str:
    """What of layer l learns from an example whose input a^(l−1) is all zeros (no weight does), the clause
    that follows the zero_input warning's '= 0 whatever the error': the biases b_j^(l) whose δ_j^(l) is not 0,
    as ∂C0/∂b_j = δ_j, or nothing. 'Only the biases learn from it' was said where every δ_j was 0 too (relu
    units inactive at x = 0 with biases 0), and no bias did."""
    nonzero = tuple(int(j) for j in np.flatnonzero(p.delta(l)))
    if not nonzero:
        return (f", and here every δ_j^({l}) is 0 too, so ∂C0/∂b^({l}) = δ^({l}) = 0: neither its weights nor "
                "its biases learn from it")
    if len(nonzero) == p.net.sizes[l]:
        return "; only the biases learn from it"
    one = len(nonzero) == 1
    return (f"; only the {'bias' if one else 'biases'} of {_neurons(nonzero)}, whose δ_j^({l}) "
            f"{'is' if one else 'are'} not 0, {'learns' if one else 'learn'} from it")


def _zero_input_try_x(l: int, standardized: bool = False) -> str:
    """The zero_input warning's suggestion for an example given with --x and --y (or in Python), whose
    'try another --example, or your own with --x and --y' told a user doing just that to do it."""
    if l == 1 and standardized:  # a^(0) is x standardized: an x at the training split's mean gives 0
        return "try an x away from the training split's mean, which standardizes to all zeros"
    return "try an x that is not all zeros" if l == 1 else f"try an x for which a^({l - 1}) is not all zeros"


def _list(items: tuple[int, ...], limit: int = 12) -> str:
    shown = ", ".join(map(str, items[:limit]))
    return shown + (f", … (+{len(items) - limit})" if len(items) > limit else "")


# --------------------------------------------------------------------------------------
# --expand: the whole chain to one weight, as a sum over paths
# --------------------------------------------------------------------------------------
def _head(p: _Pass) -> tuple[Array, bool]:
    """The output factor of every path, shape (n_L,): ∂C0/∂a_o · σ'(z_o), or δ_o when fused."""
    L = p.net.L
    generic = all(p.generic_ok(L, o) for o in range(p.net.sizes[L]))
    if generic:
        g, sp = p.grad_a(L), p.prime(L)
        assert g is not None and sp is not None
        return g * sp, True
    return p.delta(L), False


def _link(p: _Pass, m: int) -> Array:
    """The factor of stepping from layer m down to m−1 along edge (i, i'), shape (n_m, n_{m−1}):
    w_ii'^(m) · σ'(z_i'^(m−1))."""
    sp = p.prime(m - 1)
    assert sp is not None
    return p.net.weights[m - 1] * sp[None, :]


def _best_path(p: _Pass, l: int, j: int, head: Array) -> tuple[int, ...]:
    """Neuron indices (layer L, L−1, …, l) of the path to neuron j with the largest
    |product|: a max-product dynamic programme over |factors| (works for any width)."""
    L = p.net.L
    if l == L:
        return (j,)
    best = np.abs(head)  # best |partial product| ending at each neuron of layer m
    pointers: list[NDArray[np.intp]] = []
    for m in range(L, l + 1, -1):
        cand = best[:, None] * np.abs(_link(p, m))  # (n_m, n_{m−1})
        pointers.append(np.argmax(cand, axis=0))
        best = cand.max(axis=0)
    last = best * np.abs(p.net.weights[l][:, j])  # into neuron j of layer l via w^(l+1)
    path = [j, int(np.argmax(last))]
    for ptr in reversed(pointers):
        path.append(int(ptr[path[-1]]))
    return tuple(reversed(path))


def _enumerate_paths(p: _Pass, l: int, j: int, k: int, head: Array) -> Array:
    """Every path's contribution, one axis per layer crossed: shape (n_L, …, n_{l+1})."""
    L = p.net.L
    if l == L:
        return np.array(head[j] * p.a(l - 1)[k])
    sp_l = p.prime(l)
    assert sp_l is not None
    P = head
    for m in range(L, l + 1, -1):
        P = P[..., :, None] * _link(p, m)
    return P * (p.net.weights[l][:, j] * sp_l[j] * p.a(l - 1)[k])


def _path_factors(p: _Pass, l: int, k: int, path: tuple[int, ...], generic_head: bool) -> tuple[Term, ...]:
    """The factors along one path, from the cost down to w_jk^(l), in seed 001's order."""
    L = p.net.L
    o = path[0]
    factors: list[Term] = []
    if generic_head:
        g, sp = p.grad_a(L), p.prime(L)
        assert g is not None and sp is not None
        factors.append(_term(_dC(_a(o, L)), _grad_a_formula(p, L, o), g[o], "dC/dŷ"))
        factors.append(_term(_d(_a(o, L), _z(o, L)), _sp(o, L), sp[o], f"dŷ/dZ_{L}"))
    else:
        factors.append(_term(_dC(_z(o, L)), _output_rule(p, L, o), p.delta(L)[o], f"dC/dZ_{L}"))
    for step, m in enumerate(range(L, l, -1)):
        hi, lo = path[step], path[step + 1]
        H = "X" if m - 1 == 0 else f"H_{m - 1}"
        sp = p.prime(m - 1)
        assert sp is not None
        factors.append(_term(_d(_z(hi, m), _a(lo, m - 1)), _w(hi, lo, m), p.net.weights[m - 1][hi, lo],
                             f"dZ_{m}/d{H}"))
        factors.append(_term(_d(_a(lo, m - 1), _z(lo, m - 1)), _sp(lo, m - 1), sp[lo], f"d{H}/dZ_{m - 1}"))
    j = path[-1]
    factors.append(_term(_d(_z(j, l), _w(j, k, l)), _a(k, l - 1), p.a(l - 1)[k], f"dZ_{l}/dW_{l}"))
    return tuple(factors)


def _chain_equation(L: int, l: int, generic_head: bool, n_paths: int = 1, entry: tuple[int, int] = (0, 0)) -> Equation:
    """Seed 001's long chain, dC/dŷ · dŷ/dZ_L · dZ_L/dH_{L−1} · … · dZ_l/dW_l: with several paths to the
    weight (``n_paths``), a sum of such products, one a path, ``Σ_paths dC/dŷ · …`` (the chain alone is one
    path's term, not C'(W_l): '= Σ over 3 paths' under it said so), of the weight's own entry
    (``C'(W_1)[1,0]``, as seed 001's worked C'(W_2)[0,0]: a sum over one weight's paths is not the matrix)."""
    text = ["dC/dŷ", f"dŷ/dZ_{L}"] if generic_head else [f"dC/dZ_{L}"]
    latex = [r"\frac{dC}{d\hat{y}}", rf"\frac{{d\hat{{y}}}}{{dZ_{{{L}}}}}"] if generic_head else [
        rf"\frac{{dC}}{{dZ_{{{L}}}}}"]
    for m in range(L, l, -1):
        H, Hl = ("X", "X") if m - 1 == 0 else (f"H_{m - 1}", f"H_{{{m - 1}}}")
        text += [f"dZ_{m}/d{H}", f"d{H}/dZ_{m - 1}"]
        latex += [rf"\frac{{dZ_{{{m}}}}}{{d{Hl}}}", rf"\frac{{d{Hl}}}{{dZ_{{{m - 1}}}}}"]
    text.append(f"dZ_{l}/dW_{l}")
    latex.append(rf"\frac{{dZ_{{{l}}}}}{{dW_{{{l}}}}}")
    paths = ("Σ_paths ", r"\sum_{\text{paths}} ") if n_paths > 1 else ("", "")
    at = (f"[{entry[0]},{entry[1]}]", rf"\left[{entry[0]},{entry[1]}\right]") if n_paths > 1 else ("", "")
    return Equation("chain (seed 001)", f"C'(W_{l}){at[0]} = {paths[0]}" + " · ".join(text),
                    rf"C'\left(W_{{{l}}}\right){at[1]} = {paths[1]}" + r" \cdot ".join(latex))


def count_multiplications(sizes: tuple[int, ...] | list[int], l: int, fused_head: bool) -> MultiplicationCount:
    """Multiplications to get ∂C0/∂w_jk^(l) by expanding every path vs with memoized layer
    errors; see ``MultiplicationCount`` for how both are counted. ``sizes`` = (n_0, …, n_L)."""
    L = len(sizes) - 1

    def expanded_at(m: int) -> int:  # one weight of layer m: its paths, each of F factors
        return math.prod(sizes[m + 1 :]) * ((1 if fused_head else 2) + 2 * (L - m))

    expanded = expanded_at(l)
    per_unit = 0 if fused_head else 1  # ∂C0/∂a_o · σ'(z_o) per output unit o
    n_weights = sizes[l] * sizes[l - 1]
    if l == L:  # only δ_j^(L) is needed for one weight, all of δ^(L) for the layer
        memo_weight = per_unit + 1
        memo_layer = per_unit * sizes[L] + n_weights
    else:
        head = per_unit * sizes[L]
        middle = sum(sizes[m] * sizes[m - 1] + sizes[m - 1] for m in range(L, l + 1, -1))
        memo_weight = head + middle + (sizes[l + 1] + 1) + 1  # δ_j^(l) alone, then δ_j a_k
        memo_layer = head + middle + (sizes[l + 1] * sizes[l] + sizes[l]) + n_weights
    every = [sizes[m] * sizes[m - 1] for m in range(1, L + 1)]  # the weights of each layer m = 1 … L
    expanded_network = sum(n * expanded_at(m) for m, n in enumerate(every, start=1))
    memoized_network = ((0 if fused_head else 1) * sizes[L]  # δ^(L), then each δ^(m−1) from δ^(m), then δ a each
                        + sum(sizes[m] * sizes[m - 1] + sizes[m - 1] for m in range(L, 1, -1)) + sum(every))
    return MultiplicationCount(expanded, memo_weight, n_weights * expanded, memo_layer,
                               expanded_network, memoized_network)


def _listed_paths(contributions: Array, j: int, best: tuple[int, ...], best_value: float,
                  limit: int | None) -> tuple[PathTerm, ...]:
    """The paths of ``contributions`` (one axis per layer L … l+1, from ``_enumerate_paths``) with
    their products: ``best`` first (with ``best_value``, its factors' product as the panel shows them),
    then by |value|, largest first (ties in index order); at most ``limit`` of them (None: all)."""
    if contributions.ndim == 0:  # l = L: the one path
        return (PathTerm(best, best_value),)
    flat = contributions.reshape(-1)
    order = np.argsort(-np.abs(flat), kind="stable")
    best_at = int(np.ravel_multi_index(best[:-1], contributions.shape))
    rest = order[order != best_at][: None if limit is None else limit - 1]
    return (PathTerm(best, best_value),) + tuple(
        PathTerm((*(int(i) for i in np.unravel_index(int(o), contributions.shape)), j), float(flat[o])) for o in rest)


def _expand(p: _Pass, l: int, j: int, k: int, chosen: bool, zero_why: str = "", full: bool = False,
            max_rows: int = DEFAULT_MAX_ROWS) -> Expansion:
    L, sizes = p.net.L, p.net.sizes
    head, generic_head = _head(p)
    n_paths = math.prod(sizes[l + 1 :])
    path = _best_path(p, l, j, head)
    factors = _path_factors(p, l, k, path, generic_head)
    backprop = float(p.back.dw[l - 1][j, k])
    enumerated = n_paths <= MAX_ENUMERATED_PATHS
    if enumerated:
        contributions = _enumerate_paths(p, l, j, k, head)
        total = float(np.sum(contributions))
        paths = _listed_paths(contributions, j, path, _product(factors), None if full else max_rows)
    else:
        total, paths = backprop, (PathTerm(path, _product(factors)),)
    numeric = p.numeric_param(p.net.weights[l - 1], (j, k))
    wsym = _dC(_w(j, k, l))
    if n_paths == 1:  # the output layer's weights, and any under layers of one neuron each: one wording
        path_sum = _eq("one path", wsym, ("the chain below (no sum: one path)", r"\text{one path}"))
    else:
        layers = ", ".join(f"i_{m} = 0" if sizes[m] == 1 else f"i_{m} from 0 to {sizes[m] - 1}"  # not 'from 0 to 0'
                           for m in range(L, l, -1))
        # i_m is defined where it is first used: '(i_3 from 0 to 0, i_2 from 0 to 1)' named no i
        where = "i_m: the neuron the path goes through in layer m" if L - l > 1 else \
            f"i_{L}: the neuron the path goes through in layer {L}"
        path_sum = Equation(
            "sum over paths",
            f"{wsym[0]} = Σ over {plural(n_paths, 'path')} ({layers}; {where}) of the product along the path",
            rf"{wsym[1]} = \sum_{{\text{{{plural(n_paths, 'path')}}}}} \prod_{{\text{{path}}}} \text{{factors}}",
        )
    notes = []
    if chosen and zero_why:
        notes.append(f"No --weight given, and {zero_why}")
    elif chosen:
        notes.append(f"No --weight given: expanding w_{_ix(j, k)}^({l}), the weight with the largest "
                     "|∂C0/∂w| shown.")
    if not enumerated:
        notes.append(f"{n_paths:,} paths are too many to add one by one; the total is the memoized backward pass's.")
    if l < L and n_paths > 1:
        notes.append(f"The factors shown are the path of the largest |contribution| of the {n_paths:,}; "
                     "the total adds all of them.")
    # the chain's names are those of seed 001's 10-hidden-layer chain (Z_1, H_1 the first hidden layer, as our
    # layer 1); its memoization example, C'(W_0) … C'(W_3), counts from 0, its H_0 the first hidden layer
    notes.append("Seed 001's memoization example counts from 0: its W_0, Z_0, H_0 are W_1, Z_1, H_1 here.")
    return Expansion(
        layer=l, j=j, k=k,
        chain=_chain_equation(L, l, generic_head, n_paths, (j, k)),
        path_sum=path_sum,
        n_paths=n_paths,
        path=path,
        factors=factors,
        path_value=_product(factors),
        total=total,
        enumerated=enumerated,
        check=make_check(total, backprop, numeric),
        multiplications=count_multiplications(sizes, l, not generic_head),
        notes=tuple(notes),
        all_zero=bool(zero_why),
        paths=paths,
    )


# --------------------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------------------
def example_with_gradient(net: Network, X: object, Y: object, layer: int, rows: tuple[int, ...],
                          cols: tuple[int, ...], after: int) -> int | None:
    """The first example of ``X``, ``Y`` after ``after`` (then from 0) whose ∂C0/∂w_jk^(layer) is not
    0 for some j in ``rows`` and k in ``cols`` (δ_j and a_k both non-zero), or None: where --expand
    found every chain of one example ending in 0, the example a learner may try instead."""
    net64 = net.astype("float64")
    X64 = np.asarray(X, dtype=np.float64)[:MAX_SEARCHED_EXAMPLES]
    Y64 = np.asarray(Y, dtype=np.float64)[:MAX_SEARCHED_EXAMPLES]
    with np.errstate(all="ignore"):
        cache = net64.forward(X64)
        back = net64.backward(cache, Y64)
    delta, a_in = back.delta[layer], cache.a[layer - 1]
    assert delta is not None
    ok = (delta[:, list(rows)] != 0).any(axis=1) & (a_in[:, list(cols)] != 0).any(axis=1)
    n = len(ok)
    return next((i % n for i in range(after + 1, after + n) if ok[i % n]), None)


#: The zero_input warning's suggestion for a training example, which the command makes a training example's
#: number where one has a weight gradient (the core sees one example, not the data); an example given with --x
#: and --y gets :func:`_zero_input_try_x`'s.
ZERO_INPUT_TRY = "try another --example, or your own with --x and --y"
#: How many examples :func:`example_with_gradient` looks through (a forward and backward pass of them).
MAX_SEARCHED_EXAMPLES = 20_000


def _check_index(value: object, size: int, what: str, flag: str, l: int) -> int:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        raise ConfigError(f"{flag}: {shown(value)} is not a whole number; use a number from 0 to {size - 1} "
                          f"({what} of layer {l})")
    if not 0 <= int(value) < size:
        if size == 1:  # "has 1 neuron, use 0", not "has 1 neurons, use a number from 0 to 0"
            first, _, rest = what.partition(" ")
            what = " ".join(filter(None, [first.removesuffix("s"), rest]))
        allowed = "0" if size == 1 else f"a number from 0 to {size - 1}"
        raise ConfigError(f"{flag}: {value} is out of range; layer {l} has {size:,} {what}, use {allowed}")
    return int(value)


def _selection(
    net: Network, l: int, neuron: int | None, weight: tuple[int, int] | None
) -> tuple[int | None, tuple[int, int] | None]:
    """Validate --neuron j / --weight j,k for layer l (ConfigError naming the valid range)."""
    n_l, n_prev = net.sizes[l], net.sizes[l - 1]
    names = OPTION_NAMES.get()
    j = None if neuron is None else _check_index(neuron, n_l, "neurons", names["neuron"], l)
    jk = None
    if weight is not None:
        try:
            wj, wk = weight
        except (TypeError, ValueError):
            raise ConfigError(f"{names['weight']}: {shown(weight)} must be two indices j,k") from None
        jk = (
            _check_index(wj, n_l, "neurons (j)", names["weight"], l),
            _check_index(wk, n_prev, f"inputs (k, the neurons of layer {l - 1})", names["weight"], l),
        )
        if j is not None and j != jk[0]:
            raise ConfigError(f"{names['neuron']} {j} and {names['weight']} {jk[0]},{jk[1]} disagree: the weight's j "
                              "must be the neuron")
    return j, jk


def _explain(
    p: _Pass, l: int, neuron: int | None, weight: tuple[int, int] | None,
    expand: bool, full: bool, max_rows: int, with_received: bool = True,
) -> LayerExplanation:
    net, L = p.net, p.net.L
    if isinstance(max_rows, (bool, np.bool_)) or not isinstance(max_rows, (int, np.integer)) or max_rows < 1:
        raise ConfigError(f"max_rows: {shown(max_rows)} must be a whole number, at least 1")
    j_sel, jk = _selection(net, l, neuron, weight)
    n_l, n_prev = net.sizes[l], net.sizes[l - 1]
    cap = (lambda n: n) if full else (lambda n: min(n, max_rows))
    if jk is not None:
        js, ks = (jk[0],), (jk[1],)
    elif j_sel is not None:
        js, ks = (j_sel,), tuple(range(cap(n_prev)))
    else:
        js, ks = tuple(range(cap(n_l))), tuple(range(cap(n_prev)))
    notes = list(p.notes)
    truncated = (j_sel is None and jk is None and len(js) < n_l) or (jk is None and len(ks) < n_prev)
    if truncated:
        notes.append(
            f"Showing {len(js):,} of {n_l:,} neurons and {len(ks):,} of {n_prev:,} inputs "
            f"(at most {max_rows} × {max_rows} weights); use --full to show all."
        )

    sp, g, delta, z, a = p.prime(l), p.grad_a(l), p.delta(l), p.z(l), p.a(l)
    act = net.activations[l - 1]
    sat = _saturated(act.name, z, sp)
    near = _near_kink(p, l)
    rows = tuple(
        NeuronRow(
            j=j, z=float(z[j]), a=float(a[j]),
            sigma_prime=None if sp is None else float(sp[j]),
            grad_a=None if g is None else float(g[j]),
            delta=float(delta[j]), grad_b=float(p.back.db[l - 1][j]),
            saturated=bool(sat[j]),
            dead=act.name == "relu" and bool(z[j] <= 0),
            near_kink=bool(near[j]),
        )
        for j in js
    )
    dw = p.back.dw[l - 1]
    wg = WeightGradients(
        rows=js, cols=ks,
        delta=tuple(float(delta[j]) for j in js),
        a_prev=tuple(float(p.a(l - 1)[k]) for k in ks),
        dw=tuple(tuple(float(dw[j, k]) for k in ks) for j in js),
        shape=(n_l, n_prev), truncated=len(js) < n_l or len(ks) < n_prev,
        norm=norm(dw),
    )
    # each forward sum's terms: the shown inputs k; with --weight j,k (one input shown) the first
    # max_rows and k, as a hand-back sum shows its first max_rows terms and the chosen j
    term_ks = ks
    if jk is not None:
        term_ks = tuple(range(min(n_prev, max_rows)))
        if jk[1] not in term_ks:
            term_ks += (jk[1],)
    forward = tuple(_forward_sum(p, l, j, term_ks) for j in js)
    factors = {j: _neuron_factors(p, l, j) for j in js}
    weight_products = tuple(_weight_product(p, l, j, k, factors[j]) for j in js for k in ks)
    bias_products = tuple(_bias_product(p, l, j, factors[j]) for j in js)
    if l >= 2:
        # each sum's terms: all with --full of the whole layer; with --neuron or --weight the
        # first max_rows and the chosen neuron's (--neuron j --full widens the inputs k only,
        # not every sum to the layer's n_l × n_{l−1} terms: 200,704 on a 256 × 784 layer)
        term_js = tuple(range(cap(n_l) if j_sel is None and jk is None else min(n_l, max_rows)))
        if j_sel is not None and j_sel not in term_js:
            term_js += (j_sel,)
        if jk is not None and jk[0] not in term_js:
            term_js += (jk[0],)
        rests = [_hand_back_factors(p, l, j) for j in range(n_l)]
        hand_back = tuple(_hand_back(p, l, k, term_js, rests) for k in ks)
    else:
        hand_back = ()
        notes.append(
            "Layer 1 hands nothing back: a^(0) is the input x, data rather than a parameter, "
            "so the backward pass stops here (∂C0/∂x is not computed)."
        )
    if l < L and with_received:
        # ∂C0/∂a_j^(l) of each shown neuron j as layer l+1 computed it, eq. 8's sum over the neurons
        # i of layer l+1 with its numbers: the memoized value (0.0363503 in w1's product of the
        # hand-worked example) was shown here only as Σ_i w_ij σ'(z_i) ∂C0/∂a_i, its terms only
        # under --layer l+1. The sums show their first max_rows terms; all with --full of the whole
        # layer while they are no more than the layer's own weights (which the CLI bounds), as the
        # hand-back's sums are: a wide layer l+1 would print n_l × n_(l+1) terms.
        n_next = net.sizes[l + 1]
        whole = full and j_sel is None and jk is None and len(js) * n_next <= n_l * n_prev
        term_is = tuple(range(n_next if whole else min(n_next, max_rows)))
        rests_next = [_hand_back_factors(p, l + 1, i) for i in range(n_next)]
        received = tuple(_hand_back(p, l + 1, j, term_is, rests_next, letter="i") for j in js)
    else:
        received = ()
    zero_why = ""
    if jk is not None:
        target, chosen = jk, False
    else:
        sub = np.abs(dw[np.ix_(js, ks)])
        r, c = np.unravel_index(int(np.argmax(sub)), sub.shape)
        target, chosen = (js[r], ks[c]), True
        if expand and not sub.any():  # a tie at 0: take the chain that is 0 at as few factors as may be
            delta = np.abs(p.back.delta[l][0, list(js)])
            a_in = np.abs(p.cache.a[l - 1][0, list(ks)])
            target = (js[int(np.argmax(delta))], ks[int(np.argmax(a_in))])
            inputs = "its inputs x are all 0" if l == 1 else f"its input a^({l - 1}) is all 0"
            if not a_in.any() and not delta.any():  # (a dead ReLU layer fed zeros)
                why, pick = f"{inputs} and every δ_j^({l}) is 0", "the first (every chain has both a_k and δ_j 0)"
            elif not a_in.any():
                why, pick = inputs, "the weight of the largest |δ_j| (a_k is its chain's only 0)"
            elif not delta.any():
                why, pick = f"every δ_j^({l}) is 0", "the weight of the largest |a_k|"
            else:
                why, pick = "each weight's a_k or δ_j is 0", "the weight of the largest |δ_j| and |a_k|"
            zero_why = (f"every ∂C0/∂w of layer {l}{'' if len(js) * len(ks) == n_l * n_prev else ' shown'} "
                        f"is 0 for this example ({why}), so every chain ends in 0. Expanding "
                        f"w_{_ix(*target)}^({l}), {pick}.")
    norms = _gradient_norms(p)
    return LayerExplanation(
        layer=l, label=layer_label(l, L), n_layers=L, sizes=tuple(net.sizes),
        architecture=net.describe(), activation=act.name, activation_formula=act.formula,
        activation_prime=act.prime_formula,
        cost=net.cost_fn.name, is_output=l == L,
        x=tuple(float(v) for v in p.X[0]), y=tuple(float(v) for v in p.Y[0]),
        cost_value=float(net.example_costs(p.cache, p.Y)[0]),
        neuron=j_sel, weight=jk,
        rules=_rules(p, l), source=_source(p, l),
        n_neurons=n_l, n_inputs=n_prev, forward=forward, neurons=rows, inputs_shown=ks,
        weight_gradients=wg, weight_products=weight_products, bias_products=bias_products,
        hand_back=hand_back, received=received,
        seed001=_seed001(p, l, js, ks, target, net.sizes[l + 1] if full and l < L else max_rows, with_received),
        warnings=_warnings(p, norms), gradient_norms=norms,
        expansion=_expand(p, l, target[0], target[1], chosen, zero_why, full, max_rows) if expand else None,
        truncated=truncated, notes=tuple(notes), row=p.row, standardized=p.standardized, origin=p.origin,
        parameters=p.parameters,
    )


def explain_layer(
    net: Network,
    x: object,
    y: object,
    layer: int | str,
    neuron: int | None = None,
    weight: tuple[int, int] | None = None,
    expand: bool = False,
    full: bool = False,
    max_rows: int = DEFAULT_MAX_ROWS,
    *,
    target_names: tuple[str, ...] | None = None,
    row: int | None = None,
    standardized: bool = False,
    origin: ExampleOrigin | None = None,
    parameters: ParameterSource | None = None,
) -> LayerExplanation:
    """Explain layer ``layer`` of ``net`` for ONE example (x, y), C0 in the seeds.

    ``x`` has shape (n_0,) or (1, n_0), ``y`` (n_L,) or (1, n_L). ``layer`` is a number
    1..L or a name parsed by ``parse_layer`` ("L", "L-1", …). ``neuron=j`` narrows to
    neuron j of layer l, ``weight=(j, k)`` to w_jk^(l) (0-based). ``expand`` adds the
    unmemoized chain from the cost to one weight (the chosen one, else the largest).
    ``full`` disables truncation past ``max_rows`` neurons / inputs. ``target_names`` (the
    columns of y) name them when the cost overflows because the target is huge; ``row`` (the
    example's row of the training split, a whole number ≥ 0) does too, and is recorded (None: an
    example of your own), as is ``standardized`` (True or False: x is the data's row scaled by
    data.standardize, and the header says so); any other ``row`` or ``standardized`` is a ConfigError.
    ``origin`` (an ExampleOrigin, or None): where the example comes from, for the header and JSON;
    ``parameters`` (a ParameterSource, or None where unknown): whose weights and biases ``net`` holds.

    Example (the 1-1-1 network of ``Network``'s docstring)::

        ex = explain_layer(net, [1.0], [0.0], layer="L")
        ex.weight_products[0].value        # ∂C0/∂w_00^(2) = a_0^(1) σ'(z_0^(2)) 2(a_0^(2) − y_0)
    """
    l = parse_layer(layer, net.L) if isinstance(layer, str) else _layer_number(layer, net.L)
    row, standardized = _row_given(row), _standardized_given(standardized)
    p = replace(_run(net, x, y, target_names, row), standardized=standardized, origin=_origin_given(origin),
                parameters=_parameters_given(parameters))
    return _explain(p, l, neuron, weight, expand, full, max_rows)


def explain_all_layers(
    net: Network,
    x: object,
    y: object,
    expand: bool = False,
    full: bool = False,
    max_rows: int = DEFAULT_MAX_ROWS,
    *,
    target_names: tuple[str, ...] | None = None,
    row: int | None = None,
    standardized: bool = False,
    origin: ExampleOrigin | None = None,
    parameters: ParameterSource | None = None,
) -> tuple[LayerExplanation, ...]:
    """Every layer from L down to 1, from one forward and one backward pass: the error
    flowing back layer by layer. ``expand`` expands each layer's largest weight. A layer's
    ``received`` is empty here: its sums are the hand-back of the layer explained just before."""
    row, standardized = _row_given(row), _standardized_given(standardized)
    p = replace(_run(net, x, y, target_names, row), standardized=standardized, origin=_origin_given(origin),
                parameters=_parameters_given(parameters))
    return tuple(_explain(p, l, None, None, expand, full, max_rows, with_received=False) for l in range(net.L, 0, -1))


def _row_given(row: object) -> int | None:
    """``row=`` as recorded (a plain int, so that ``to_json`` can write it), or a ConfigError: it is
    printed as the header's 'example i' and --format json's ``row``, so 1.5, -1, True or "3" is no row."""
    if row is None:
        return None
    if isinstance(row, (int, np.integer)) and not isinstance(row, (bool, np.bool_)) and row >= 0:
        return int(row)
    raise ConfigError(f"row: {shown(row)} is not a row of the training split; give its 0-based index "
                      "(a whole number ≥ 0), or None for an example of your own")


def _origin_given(origin: object) -> ExampleOrigin | None:
    """``origin=`` as recorded, or a ConfigError: it is printed in the header."""
    if origin is None or isinstance(origin, ExampleOrigin):
        return origin
    raise ConfigError(f"origin: {shown(origin)} must be an ExampleOrigin (where the example comes from) or None")


def _parameters_given(parameters: object) -> ParameterSource | None:
    """``parameters=`` as recorded, or a ConfigError: it is printed in the header."""
    if parameters is None or isinstance(parameters, ParameterSource):
        return parameters
    raise ConfigError(f"parameters: {shown(parameters)} must be a ParameterSource (whose weights these are) or None")


def _standardized_given(standardized: object) -> bool:
    """``standardized=`` as a bool, or a ConfigError: ``bool("false")`` would be True."""
    if isinstance(standardized, (bool, np.bool_)):
        return bool(standardized)
    raise ConfigError(f"standardized: {shown(standardized)} must be True or False (whether x is the data's "
                      "row scaled by data.standardize)")


def _layer_number(layer: object, n_layers: int) -> int:
    if isinstance(layer, (bool, np.bool_)) or not isinstance(layer, (int, np.integer)):
        return parse_layer(str(layer), n_layers)
    return parse_layer(str(int(layer)), n_layers)


__all__: list[str] = [
    "Check", "ChainProduct", "Equation", "Expansion", "ForwardSum", "GradSource", "HandBack",
    "ExampleOrigin", "LayerExplanation", "LayerNorm", "LearnerWarning", "MultiplicationCount", "NeuronRow", "Numeric",
    "ParameterSource", "PathTerm",
    "Seed001View", "Term",
    "WeightGradients", "count_multiplications", "explain_all_layers", "explain_layer",
    "seed001_hidden_rule", "seed001_output_rule", "seed001_rules",
    "layer_choices", "layer_label", "make_check", "overall_status", "parse_layer",
]
