"""Cost functions C, their derivative ∂C/∂a, and fused output rules, as a registry.

Every cost is per example i and summed over the output units j; the cost of a set
of examples is the mean of the C_i, and every gradient is of that mean.

- ``squared_error``      C_i = Σ_j (a_j − y_j)²      ∂C_i/∂a_j = 2(a_j − y_j)   (seed 000)
- ``half_squared_error`` C_i = ½ Σ_j (a_j − y_j)²    ∂C_i/∂a_j = a_j − y_j      (seed 001)
- ``cross_entropy``      with a sigmoid output: binary per unit,
                         C_i = −Σ_j [y_j ln a_j + (1 − y_j) ln(1 − a_j)];
                         with a softmax output: categorical, C_i = −Σ_j y_j ln a_j.

Cross-entropy is only defined for outputs in (0, 1), so it pairs with sigmoid or
softmax. For sigmoid the product ∂C/∂a ⊙ σ'(z) simplifies to δ^(L) = a − y; softmax has no
element-wise σ' (each a_j depends on every z_i), and its Jacobian's product with ∂C/∂a gives
δ^(L) = a Σ_j y_j − y (a − y for targets that sum to 1, as one-hot classes do), and
the cost is evaluated from z (log-sum-exp / softplus) so that it stays exact even
where a rounds to 0 or 1. Each such pair is one ``FusedRule``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from .errors import ConfigError
from .names import shown

Array = NDArray[np.floating]


@dataclass(frozen=True)
class FusedRule:
    """Output activation + cost treated as one rule.

    ``fn_z(z, y) -> (n_samples,)`` per-example cost computed from the output z;
    ``delta(a, y) -> (n_samples, n_outputs)`` the per-example ∂C_i/∂z^(L) = a − y
    (softmax: a Σ_j y_j − y);
    ``grad_a(a, y)`` the per-example ∂C_i/∂a for this pair (for reports only);
    ``scales_by_target_sum``: δ is a Σ_j y_j − y, which is a − y only where a row's targets
    sum to 1 (the trainer's engine checks its targets once and takes a − y when they do).
    """

    fn_z: Callable[[Array, Array], Array]
    delta: Callable[[Array, Array], Array]
    formula: str
    grad_a: Callable[[Array, Array], Array]
    scales_by_target_sum: bool = False


@dataclass(frozen=True)
class Cost:
    """One cost: ``fn(a, y) -> (n_samples,)`` per-example C_i, ``grad_a(a, y)`` = ∂C_i/∂a.

    ``a`` and ``y`` have shape (n_samples, n_outputs). ``fused`` maps an output
    activation name to the rule that replaces the generic chain for that pair;
    ``outputs`` lists the output activations the cost is defined for (None: any).
    """

    name: str
    fn: Callable[[Array, Array], Array]
    grad_a: Callable[[Array, Array], Array]
    formula: str  # C_i, for explain/README
    grad_formula: str  # ∂C_i/∂a_j
    seed: str
    fused: dict[str, FusedRule] = field(default_factory=dict)
    outputs: tuple[str, ...] | None = None
    # Optional fast form for the trainer: (a, y, out) -> (Σ_i C_i, k), writing into out
    # an array g with ∂C_i/∂a = k · g (so a constant factor rides along a later scaling).
    sum_and_grad_into: Callable[[Array, Array, Array], tuple[float, float]] | None = None

    def sum_and_grad(self, a: Array, y: Array, out: Array) -> tuple[float, float]:
        """(Σ_i C_i over the rows of a batch, k), with ∂C_i/∂a = k · ``out`` afterwards."""
        if self.sum_and_grad_into is not None:
            return self.sum_and_grad_into(a, y, out)
        np.copyto(out, self.grad_a(a, y))
        return float(self.fn(a, y).sum()), 1.0


def _se(a: Array, y: Array) -> Array:
    d = a - y
    return np.einsum("ij,ij->i", d, d)


def _se_grad(a: Array, y: Array) -> Array:
    return 2.0 * (a - y)  # seed 000 eq. (4): ∂C0/∂a = 2(a − y)


def _se_sum_grad(a: Array, y: Array, out: Array) -> tuple[float, float]:
    d = np.subtract(a, y, out=out)  # a − y, computed once for the cost and its derivative
    return float(np.vdot(d, d)), 2.0  # Σ_i Σ_j (a_j − y_j)², and ∂C/∂a = 2 · (a − y)


def _half_se_sum_grad(a: Array, y: Array, out: Array) -> tuple[float, float]:
    d = np.subtract(a, y, out=out)
    return 0.5 * float(np.vdot(d, d)), 1.0  # ∂C/∂a = 1 · (a − y)


def _half_se(a: Array, y: Array) -> Array:
    return 0.5 * _se(a, y)


def _half_se_grad(a: Array, y: Array) -> Array:
    return a - y  # seed 001: C'(ŷ) = ŷ − y


def _bce(a: Array, y: Array) -> Array:
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = y * np.log(a) + (1.0 - y) * np.log1p(-a)
    return -terms.sum(axis=1)


def _bce_grad(a: Array, y: Array) -> Array:
    with np.errstate(divide="ignore", invalid="ignore"):
        return (a - y) / (a * (1.0 - a))


def _bce_from_z(z: Array, y: Array) -> Array:
    # −[y ln σ(z) + (1 − y) ln(1 − σ(z))] = softplus(z) − y z, written without overflow, and
    # with max(z, 0) − y z first: for a confident right answer (y = 1, z ≫ 0) that is exactly 0,
    # and the cost is the small log1p(e^(−|z|)) alone, not what is left of 30 + 9e-14 − 30.
    return ((np.maximum(z, 0.0) - y * z) + np.log1p(np.exp(-np.abs(z)))).sum(axis=1)


def _cce_from_z(z: Array, y: Array) -> Array:
    # −Σ_j y_j ln softmax(z)_j = Σ_j y_j (logsumexp(z) − z_j), with logsumexp(z) − z_j =
    # (m − z_j) + log1p(Σ_{i ≠ argmax} e^(z_i − m)), m = max z: the top term's e^0 = 1 is kept
    # out of the sum, so a confident right answer costs log1p(small), not ln(1 + small) rounded.
    m = z.max(axis=1, keepdims=True)
    rest = np.exp(z - m)
    rest[np.arange(z.shape[0]), z.argmax(axis=1)] = 0.0
    return (y * ((m - z) + np.log1p(rest.sum(axis=1, keepdims=True)))).sum(axis=1)


def _a_minus_y(a: Array, y: Array) -> Array:
    return a - y


def _softmax_ce_delta(a: Array, y: Array) -> Array:
    # ∂/∂z_j of −Σ_i y_i ln softmax(z)_i = Σ_i y_i (a_j − 1[i = j]) = a_j Σ_i y_i − y_j: a − y
    # for targets that sum to 1 (bit for bit: a · 1.0 is a), and still right when they do not
    return a * y.sum(axis=1, keepdims=True) - y


def _cce_grad(a: Array, y: Array) -> Array:
    # ∂/∂a_j of −Σ_j y_j ln a_j = −y_j / a_j; 0 (not −0, nor 0/0 where a_j underflows) for y_j = 0
    out = np.zeros(np.broadcast_shapes(a.shape, y.shape), np.result_type(a, y))
    with np.errstate(divide="ignore", invalid="ignore"):
        np.divide(-y, a, out=out, where=y != 0)
    return out


COSTS: dict[str, Cost] = {
    c.name: c
    for c in (
        Cost("squared_error", _se, _se_grad, "Σ_j (a_j − y_j)²", "2(a_j − y_j)", "seed 000",
             sum_and_grad_into=_se_sum_grad),
        Cost("half_squared_error", _half_se, _half_se_grad, "½ Σ_j (a_j − y_j)²", "a_j − y_j", "seed 001",
             sum_and_grad_into=_half_se_sum_grad),
        Cost(
            "cross_entropy",
            _bce,
            _bce_grad,
            "−Σ_j [y_j ln a_j + (1 − y_j) ln(1 − a_j)]",
            "(a_j − y_j) / (a_j (1 − a_j))",
            "binary per output (sigmoid), categorical (softmax)",
            fused={
                "sigmoid": FusedRule(_bce_from_z, _a_minus_y, "δ = a − y", _bce_grad),
                "softmax": FusedRule(_cce_from_z, _softmax_ce_delta, "δ = a Σ_j y_j − y (a − y when Σ_j y_j = 1)",
                                     _cce_grad, scales_by_target_sum=True),
            },
            outputs=("sigmoid", "softmax"),
        ),
    )
}


#: Other libraries' names below are spelled with their word boundaries and read by ``names.lookup``
#: (``binary_cross_entropy`` is read as binary_crossentropy, BinaryCrossentropy, binary cross entropy).
#: Other libraries' squared-error costs: never taken for one of ours, which one they mean (with or
#: without ½, summed or averaged over the outputs) is for the user.
SQUARED_ELSEWHERE = ("mse", "mean_squared_error", "mse_loss", "l2", "l2_loss", "quadratic", "quadratic_cost",
                     "quadratic_loss", "squared_loss", "sse", "sum_squared_error", "sum_of_squared_errors",
                     "mean_squared_loss", "mean_squared", "mean_square_error", "mean_square")
#: Other libraries' cross-entropies: what each needs of the output layer.
BINARY_CE = ("bce", "binary_cross_entropy", "bce_loss", "bce_with_logits", "bce_with_logits_loss",
             "binary_log_loss")
CATEGORICAL_CE = ("categorical_cross_entropy", "cce", "softmax_cross_entropy", "cross_entropy_loss",
                  "categorical_log_loss")
EITHER_CE = ("log_loss", "logistic_loss")
#: Cross-entropies that apply the output's softmax or sigmoid themselves, to a linear output (logits):
#: here that function is the output layer's, and each is the library's name for it.
SOFTMAX_LOGITS = {"cross_entropy_loss": "PyTorch's CrossEntropyLoss",
                  "softmax_cross_entropy": "TensorFlow's softmax_cross_entropy"}
SIGMOID_LOGITS = {"bce_with_logits": "PyTorch's BCEWithLogitsLoss",
                  "bce_with_logits_loss": "PyTorch's BCEWithLogitsLoss"}
#: The library's name of a binary cross-entropy that averages over the outputs, for its hint.
_BINARY_NAMED = {"bce_loss": "PyTorch's BCELoss", "binary_cross_entropy": "Keras' binary_crossentropy",
                 **SIGMOID_LOGITS}
def _output_field(listed: bool) -> str:
    """The output's activation as a hint names it: network.output_activation, or where network.activation
    is a list of names, one per layer (``listed``: output_activation is refused beside it), its last name."""
    return "the output's activation (the last name of network.activation)" if listed else "network.output_activation"


def _with_output(act: str, listed: bool) -> str:
    """The output's activation ``act`` after "with": ``network.output_activation: softmax``, or for a list
    (``listed``) ``softmax as the last name of network.activation``."""
    return f"{act} as the last name of network.activation" if listed else f"network.output_activation: {act}"


def _write_output_and_cost(acts: str, listed: bool) -> str:
    """What to write for an output activation of ``acts`` with cost: cross_entropy, the output's named as
    ``_output_field`` names it."""
    return (f"make the last name of network.activation {acts} and write cost: cross_entropy" if listed
            else f"write network.output_activation: {acts} and cost: cross_entropy")


def _sparse_hint(listed: bool) -> str:
    return ("sparse categorical cross-entropy is categorical cross-entropy on class labels (0, 1, 2, …): here "
            f"write cost: cross_entropy with {_with_output('softmax', listed)}; a classification target column's "
            "labels are one-hot encoded by the tool itself")


def _nll_hint(listed: bool) -> str:
    here = (f"write cost: cross_entropy with {_with_output('softmax', listed)}" if listed
            else "write network.output_activation: softmax with cost: cross_entropy")
    return f"PyTorch's NLLLoss on log_softmax outputs is categorical cross-entropy: here {here} (the same numbers)"


#: Other libraries' names for categorical cross-entropy on another form of the targets or outputs:
#: never read as ours, the hint (of whether the output's activation is a list's last name) says what to
#: write here.
OTHER_FORM_CE: dict[str, Callable[[bool], str]] = {
    "sparse_categorical_cross_entropy": _sparse_hint,
    "nll_loss": _nll_hint,
}
OTHER_FORM_CE["nll"] = OTHER_FORM_CE["negative_log_likelihood"] = OTHER_FORM_CE["nll_loss"]
OTHER_FORM_CE["sparse_cce"] = OTHER_FORM_CE["sparse_categorical_cross_entropy"]
#: Other libraries' mean squared error: the mean over examples and outputs of (a_j − y_j)², which is
#: exactly squared_error (summed over the outputs) when there is one output, and read as it there.
MEAN_SQUARED = ("mse", "mean_squared_error", "mse_loss", "mean_squared_loss", "mean_squared", "mean_square_error",
                "mean_square")
_OTHER_COSTS = tuple(dict.fromkeys(SQUARED_ELSEWHERE + BINARY_CE + CATEGORICAL_CE + EITHER_CE + tuple(OTHER_FORM_CE)))


def _cross_entropy_alias(name: str, output_activation: str | None, n_outputs: int | None,
                         listed: bool = False) -> str | None:
    """Why another library's cross-entropy ``name`` is not exactly ours for this output layer,
    or None when it is (then it is read as cross_entropy); ``listed``: the output's activation is the
    last name of network.activation's list (``_output_field``)."""
    binary_ok = output_activation == "sigmoid" and n_outputs == 1
    if name in BINARY_CE and binary_ok or name in CATEGORICAL_CE and output_activation == "softmax" \
            or name in EITHER_CE and (binary_ok or output_activation == "softmax"):
        return None
    if output_activation is None:
        return ("cost: cross_entropy is binary per output with sigmoid outputs, categorical with a softmax "
                "output; another library's name for it is read as it only where it is exactly that")
    logits = SOFTMAX_LOGITS.get(name) or SIGMOID_LOGITS.get(name)
    if output_activation == "linear" and logits is not None:  # PyTorch's usual setup: a linear last layer
        act = "softmax" if name in SOFTMAX_LOGITS else "sigmoid"
        same = "the same numbers" if act == "softmax" or n_outputs == 1 else \
            f"summed over the {n_outputs} outputs, where it averages them: {n_outputs} times its value"
        return (f"{logits} applies {act} to linear outputs (logits) itself; here the {act} is the output "
                f"layer's: {_write_output_and_cost(act, listed)} ({same})")
    if output_activation not in ("sigmoid", "softmax"):
        return (f"cross-entropy needs a sigmoid or softmax output, and {_output_field(listed)} is "
                f"{output_activation}: "
                f"{_write_output_and_cost('sigmoid (binary per output) or softmax (categorical)', listed)}")
    if name in CATEGORICAL_CE:
        return (f"categorical cross-entropy, −Σ_j y_j ln a_j, is cost: cross_entropy with "
                f"{_with_output('softmax', listed)}; with a sigmoid output cross_entropy is binary per output, "
                "−Σ_j [y_j ln a_j + (1 − y_j) ln(1 − a_j)]")
    if output_activation == "softmax":
        return ("binary cross-entropy is cost: cross_entropy with a sigmoid output; with the softmax output here "
                "cross_entropy is categorical, −Σ_j y_j ln a_j: write cross_entropy for that")
    theirs = _BINARY_NAMED.get(name)
    theirs = f"{theirs} averages" if theirs else "Keras' binary_crossentropy and PyTorch's BCELoss average"
    return (f"here cross_entropy sums the binary cross-entropy over the {n_outputs} sigmoid outputs, "
            f"−Σ_j [y_j ln a_j + (1 − y_j) ln(1 − a_j)]; {theirs} over them (1/{n_outputs} of it): write "
            "cross_entropy for the sum")


def _squared_hint(name: str, n_outputs: int | None) -> str:
    one = ("with one output, Keras' and PyTorch's MSE is squared_error" if n_outputs == 1
           # two outputs: Σ_j / 2 is ½ Σ_j, the very cost half_squared_error: say so, not only "/ 2"
           else "with this network's 2 outputs, Keras' and PyTorch's MSE is squared_error / 2, which is "
           "exactly half_squared_error" if n_outputs == 2
           else f"with this network's {n_outputs} outputs, Keras' and PyTorch's MSE is squared_error / "
           f"{n_outputs}" if n_outputs else "with one output, Keras' and PyTorch's MSE is squared_error")
    l2 = "; training.l2 is the weight penalty λ, not a cost" if name in ("l2", "l2_loss") else ""
    return ("here squared_error is C0 = Σ_j (a_j − y_j)² (seed 000) and half_squared_error is C = ½ Σ_j "
            "(a_j − y_j)² (seed 001), both summed over the outputs (a set's cost is the mean over its "
            f"examples); Keras' and PyTorch's MSE also divide by the number of outputs: {one}{l2}")


def cost_name(value: object, field: str = "cost", output_activation: str | None = None,
              n_outputs: int | None = None, output_listed: bool = False) -> str:
    """The registry's name for ``value`` under ``names.choose``'s rule (``Cross Entropy`` ->
    ``cross_entropy``), or a ConfigError naming ``field``. Another library's name is read as ours
    only where it is exactly the same cost for the network's output layer (``output_activation``,
    ``n_outputs``): ``bce`` for one sigmoid output, ``categorical_crossentropy`` for a softmax,
    ``mse`` for one output; elsewhere (and for the squared errors that name no single cost:
    ``l2``, ``quadratic``, ``sse``) the error's hint says which of ours means what; ``output_listed``: the
    output's activation is the last name of network.activation's list, which the hint names (it refuses
    network.output_activation beside it)."""
    from .names import canonical_name, choose

    allowed = tuple(sorted(COSTS))
    other = canonical_name(value, _OTHER_COSTS)  # another library's name, as spelled in the tables
    aliases = {}
    if other in BINARY_CE + CATEGORICAL_CE + EITHER_CE and "cross_entropy" in COSTS \
            and _cross_entropy_alias(other, output_activation, n_outputs) is None:
        aliases[other] = "cross_entropy"
    if other in MEAN_SQUARED and n_outputs == 1 and "squared_error" in COSTS:
        aliases[other] = "squared_error"

    def explain(_: str) -> tuple[str | None, str | None]:
        if other in SQUARED_ELSEWHERE:
            return "which squared error? see the hint", _squared_hint(other, n_outputs)
        if other in OTHER_FORM_CE:
            return "not exactly cross_entropy; see the hint", OTHER_FORM_CE[other](output_listed)
        if other in BINARY_CE + CATEGORICAL_CE + EITHER_CE:
            logits = SOFTMAX_LOGITS.get(other) or SIGMOID_LOGITS.get(other)
            note = f"{logits} takes linear outputs; see the hint" if logits and output_activation == "linear" \
                else "not exactly cross_entropy here; see the hint"
            return note, _cross_entropy_alias(other, output_activation, n_outputs, output_listed)
        return None, None

    return choose(value, field, allowed, aliases=aliases, explain=explain)


def get_cost(name: str, field: str = "cost") -> Cost:
    """Look up a cost by name (``cost_name``'s rule, without another library's names, which need the
    output layer); ``field`` names the config path for the error."""
    return COSTS[cost_name(name, field)]


def check_pair(cost: Cost, output_activation: str, n_outputs: int | None = None, default_cost: bool = False
               ) -> None:
    """Refuse an output activation / cost pair the math does not support (and a softmax over
    ``n_outputs`` = 1, when given). ``default_cost``: the user did not write the cost (a config
    without one), so the message calls it the default rather than name it as if they had."""
    if cost.outputs is not None and output_activation not in cost.outputs:
        raise ConfigError(
            f"network.output_activation: {shown(output_activation)} cannot be used with "
            f"{'the default cost' if default_cost else 'cost'} {shown(cost.name)}; allowed: {', '.join(cost.outputs)}",
            depends_on=("cost",))
    if output_activation == "softmax" and "softmax" not in cost.fused:
        raise ConfigError(
            f"network.output_activation: softmax needs cost cross_entropy, not {'the default ' if default_cost else ''}"
            f"{shown(cost.name)}", depends_on=("cost",))
    if output_activation == "softmax" and n_outputs == 1:
        raise ConfigError(
            "network.output_activation: softmax over a single output is always 1 (e^z / e^z), so the cost "
            "never changes and every gradient is 0; use 2 or more outputs (layers: [..., 2] for two "
            "classes) or a sigmoid output for one", depends_on=("network.layers",))


def rows_outside_domain(cost_name: str, output_activation: str, Y: Any) -> tuple[NDArray[np.bool_], str] | None:
    """Cross-entropy is a cost (≥ 0, least at a = y) only for targets in its domain: each row a
    probability distribution for a softmax output (where δ^(L) = a − y also needs it), each
    value in [0, 1] for sigmoid outputs (beyond, −[y ln a + (1 − y) ln(1 − a)] falls without
    end). For ``Y`` (n, k): the mask of the rows outside it and the rule, for messages; None
    for the other costs, which take any finite target."""
    if cost_name != "cross_entropy":
        return None
    Y = np.asarray(Y, dtype=np.float64)
    if output_activation == "softmax":
        return ((np.abs(Y.sum(axis=1) - 1.0) > 1e-6) | (Y < 0).any(axis=1),
                "softmax with cross_entropy needs targets that are probability distributions (entries ≥ 0, "
                "each row summing to 1)")
    return ((Y < 0) | (Y > 1)).any(axis=1), "cross_entropy with a sigmoid output needs targets in [0, 1]"


def first_target_beyond_unit(cost_name: str, Y: Any, output_activation: str | None = None) -> int | None:
    """For cross-entropy, the first row of ``Y`` (n, k) holding a target where the cost is not one,
    else None (also for the other costs, which take any finite target): below 0 or above 1 under a
    sigmoid output, where −[y ln a + (1 − y) ln(1 − a)] falls without end (a label 2 trained to −17);
    below 0 under softmax, where −Σ_j y_j ln a_j does (a y_j > 1 keeps it ≥ 0, as does a row that
    does not sum to 1: the Python API's δ = a Σ_j y_j − y is their gradient). Soft targets inside
    [0, 1] are valid; ``rows_outside_domain`` is the stricter rule the command line holds a data set
    to. Two reductions over ``Y`` and no temporary, so a loop of ``Network.cost`` pays little for it;
    NaN passes (the finite checks name it)."""
    if cost_name != "cross_entropy":
        return None
    Y = np.asarray(Y)
    top = np.inf if output_activation == "softmax" else 1
    if Y.size == 0 or (Y.min() >= 0 and Y.max() <= top):  # NaN fails this test and compares False below
        return None
    bad = ((Y < 0) | (Y > top)).any(axis=1)
    return int(np.argmax(bad)) if bad.any() else None


def beyond_unit_message(where: str, Y: Any, row: int, output_activation: str) -> str:
    """The message for ``first_target_beyond_unit``'s row ``row`` of ``Y``, named ``where``
    (``Y: row 2``, ``train_set Y row 2``)."""
    values = np.asarray(Y, dtype=np.float64)[row]
    if output_activation == "softmax":
        return (f"{where} holds {shown(float(values[values < 0][0]))}; cross_entropy with a softmax output needs "
                "targets ≥ 0 (one-hot rows or probabilities): below 0, −Σ y ln a is not a cost (it falls without "
                "end); for other targets use cost squared_error with a linear output")
    bad = values[(values < 0) | (values > 1)]
    return (f"{where} holds {shown(float(bad[0]))}; cross_entropy needs targets in [0, 1] (0/1 labels or "
            "probabilities): beyond, its cost is not one (it falls below 0 without end); for other targets use "
            "cost squared_error with a linear output, or scale the targets into [0, 1]")


def huge_target(a: Any, y: Any) -> int | None:
    """For one example whose cost overflowed (outputs ``a`` finite, targets ``y``): the output
    j whose target is the cause, when the largest |y_j| is at least every |a|: then the error
    a − y that overflowed is at most 2|y_j| and no change of weights or inputs could help it.
    None when an output is the larger (huge weights or inputs: the outputs' doing)."""
    a, y = np.abs(np.asarray(a, dtype=np.float64)), np.abs(np.asarray(y, dtype=np.float64))
    j = int(np.argmax(y))
    return j if y.size and float(y[j]) >= float(np.max(a, initial=0.0)) else None


def supported_pairs() -> list[tuple[str, str]]:
    """Every (output activation, cost) pair the registries allow, sorted by name."""
    from .activations import ACTIVATIONS

    pairs = []
    for out in sorted(ACTIVATIONS):
        for name in sorted(COSTS):
            try:
                check_pair(COSTS[name], out)
            except ConfigError:
                continue
            pairs.append((out, name))
    return pairs
