"""Gradient checking: backprop's ∂C/∂w and ∂C/∂b against central finite differences.

For every checked parameter θ (one entry w_jk^(l) or b_j^(l)) the checker compares

    analytic  a = ∂C/∂θ from backprop (the network's own ``gradients``, or a user's
                  backward function, see ``load_user_backward``)
    numeric   n = [C(θ + ε) − C(θ − ε)] / 2ε

where C is the network's own mean cost over the examples, evaluated by a real
forward pass with θ moved (never derived from the gradient). The step actually
taken, fl(θ + ε) − fl(θ − ε), is the divisor, so rounding of θ ± ε costs nothing.
Everything runs in float64: a float32 network is cast first (``cast_from``).

Verdicts
    entry     passes when |a − n| ≤ atol + rtol · max(|a|, |n|)   (defaults "auto", 1e-5; ``auto_atol``:
              the rounding of the costs at ε, 16·u·|C|/ε, at least 16·u·ε, at most 1e-8; 1e-8 for a
              fitted network, √|C| < ``FITTED`` · its output scale)
    relative  error |a − n| / max(|a|, |n|), 0 when both are 0
    global    ratio (Ng) ‖a − n‖ / (‖a‖ + ‖n‖) over every checked entry, read in bands (a passing
              check whose ratio is above 1e-7 but within what the costs' rounding alone gives, tiny
              gradients against 16·u·|C|/2ε, is at ``ROUNDING_BAND`` instead):

        ≤ 1e-7   excellent
        ≤ 1e-5   good
        ≤ 1e-3   suspicious (fine near kinks, e.g. ReLU)
        ≤ 1e-2   likely a bug
        > 1e-2   almost surely a bug

Why ε = 1e-5: the central difference errs by O(ε²) (truncation, the C''' term) plus
O(u·|C|/ε) (rounding, u = 2.2e-16); 1e-5 keeps both near 1e-10.

Modes
    full    every entry of every tensor.
    sample  ``params`` random entries per tensor (default 10; all when the tensor is
            smaller), drawn from ``rng``.
    fast    per tensor, one random unit direction v (random signs times random magnitudes
            in [0.5, 1.5], normalized; see ``_check_fast``): compare
            vᵀ∇C with [C(θ + εv) − C(θ − εv)] / 2ε, two cost evaluations whatever the
            size P (less g·(d+ − d− − 2εv) / 2ε, what backprop's gradient g says the tensor's
            rounding of the moves d± = fl(θ ± εv) − θ adds: ``_direction_bend``). When it
            fails, bisect v's support (halves, recursing into the failing halves, at most
            ``MAX_BRANCHES`` per level; where neither half of a group fails on its own
            tolerance, into those whose |a − n| exceeds the tolerance the group's error was
            seen above: a half's vᵀ∇C can be far larger than its parent's) down to groups of
            at most ``LEAF_SIZE`` entries, which are then checked one by one as in full mode:
            O(log P) evaluations to locate a bad entry. A tensor of at most
            ``MAX_BRANCHES · LEAF_SIZE`` entries whose direction fails with no half failing,
            or is not judged, is checked whole, entry by entry, and judged by its entries as
            full mode judges them. A failing direction whose error bisection locates on no
            entry is said spread over many entries only where its halves were seen to share
            it (``_Checked.spread``), else not located.

Kinks (relu and leaky_relu units, ``Activation.kink``; R'(0) = 0, leaky_relu'(0) = α)
    When moving θ by ±ε flips any such unit across z = 0 (its mask z > 0 at θ ± ε
    differs from the mask at θ), the central difference straddles a kink and says
    nothing. Such an entry is re-checked with a second-order one-sided difference on
    the side where no unit flips (points θ, θ ± ε, θ ± 2ε): status ``kink-ok`` if
    that passes. If it does not: where no z is exactly 0 (C is differentiable and its
    derivative is that side's slope) the entry fails; where exactly one z is 0, the
    other side's slope is estimated too, and the entry fails when backprop's value lies
    outside the range of the two (a correct gradient never does, whatever its R'(0)).
    Otherwise, and when both sides flip a unit, it is ``kink`` (unjudgeable).
    Unjudged entries are listed by name.

Steps that do not suit an entry (``_resolve``)
    Far from unit scale no single ε suits every entry: too large for one (inputs of 1e3, large
    weights downstream: truncation; a ReLU kink crossed), too small for the cost (a cost of
    1e12: rounding). An entry that fails at ε keeps its ``fail`` when n(ε/3), n(ε), n(3ε)
    (``_LOOK_AGAIN``) agree to half its tolerance (ε suits it); otherwise it is judged at the step of
    ``LADDER`` · ε where neighbouring quotients agree (``step-ok`` or ``fail``, with that
    ``step``), or ``unresolved`` (not judged) when none do, with why (``UNRESOLVED_REASONS``). ``adapt_step=False``: ε alone.
    An entry that passes at ε on a quotient of exactly 0 where the costs' rounding exceeds the tolerance
    (and 1e-8) is no evidence (``_unmoved``: a cost of 1e12 that ε does not move) and is re-judged the same way.
    The steps are taken outwards from ε and an entry stops at the first agreeing pair, the
    nearest: no evaluation is made that could not change its verdict (``_ladder``).

Report status: ``fail`` if any entry (or fast-mode direction) fails; else
``inconclusive`` if some entries are ``kink`` or ``unresolved``; else ``pass``. (CLI exit 1 / 3 / 0.)

How the numeric side is fast: all the perturbed copies of the network for one
tensor are evaluated together, each by a real forward pass from layer l on. Layers
before l are not touched, so a^(l−1) is reused. Moving w_jk^(l) only touches row j
of w^(l), so z_j^(l) is recomputed from the moved row (eq. 2) and, for an
element-wise σ, only a_j^(l) changes; z^(l+1) and every later layer are then
recomputed in full, as one matrix product over (copies × examples) rows, in chunks
of about ``CHUNK_ELEMENTS`` values. With L2 regularization the penalty
(λ/2) Σ ||w||² of the moved weights is part of every cost.
"""

from __future__ import annotations

import functools
import importlib.util
import inspect
import math
import os
import re
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np
from numpy.typing import NDArray

from .activations import ACTIVATIONS
from .arrays import real_array
from .costs import FusedRule
from .errors import BackpropError, BackwardError, ConfigError, DataError, InputError, SignalExit
from .names import OPTION_NAMES, choose, nearest_name, shown
from .network import NOISE_ULPS, ForwardCache, Network, finite_rows, flat_targets_hint, norm, one_example_hint
from .wording import one_number_hint, plural

if TYPE_CHECKING:
    import ast  # imported where a file is read: startup time

Array = NDArray[np.float64]
Index = NDArray[np.intp]
# (weights, biases, X, Y, config) -> (dw, db); arrays shaped like net.weights / net.biases.
GradientsFn = Callable[[list[Array], list[Array], Array, Array, Any], tuple[Sequence[Any], Sequence[Any]]]

MODES = ("full", "sample", "fast")
RATIO_BANDS: tuple[tuple[float, str], ...] = (
    (1e-7, "excellent"),
    (1e-5, "good"),
    (1e-3, "suspicious"),
    (1e-2, "likely a bug"),
    (math.inf, "almost surely a bug"),
)
ROUNDING_BAND = "rounding level"  # a passing check's ratio within what the costs' rounding alone gives
UNJUDGED = ("kink", "unresolved")  # entry statuses that are not a verdict
# why no step judges an ``unresolved`` entry or direction (``_why_unresolved``), first that holds:
#   grown      its step had to be grown to move θ at all (θ ± ε rounds back to θ: |θ| ≳ 1e11)
#   bent       a direction: the tensor's rounding bends (or swallows) its steps (weights of 1e10)
#   unusable   no step gives a usable quotient (each crosses a kink, or the cost is not finite)
#   terms      a failure no larger than the forward pass's rounding of its terms can make it: z = w a + b
#              sums terms |w_jk a_k| so large (weights of 1e20: 1e40, cancelling to z ~ 0) that their
#              rounding, ~u·Σ|w_jk a_k| carried to C by |δ|, exceeds the costs' own (``_swamped``)
#   fitted     a failure no larger than the forward pass's rounding of a^(L) can make it, in the quotients and in
#              backprop's own δ^(L): a network fitted to its targets with outputs A of 7e6 (C ≈ 0) rounds a to
#              ~u·A, which moves each quotient by ~u·A·|∂a/∂θ| whatever the step (``_fitted``); or, fitted or
#              not, no larger than that rounding carried to backprop's own value (``_Base.analytic_rounding``)
#   flat       the cost does not change beyond its rounding at any step (quotients 0, or noise)
#   near-step  the cost changes by the same amount at every step: quotients ∝ 1/h (a move smaller
#              than any step saturates a unit: weights of 1e155 behind a bias)
#   rounded    the cost does not move at all at ε/√10 or ε, and does at the next step up (``_quantized``): the
#              forward pass rounds small moves away (a saturated σ behind a weight of 1e4), no step resolves it
#   disagree   the quotients move from step to step, none two agreeing to the tolerance (truncation
#              and rounding, or a tolerance finer than any step resolves): the one --convergence or
#              looser --rtol/--atol can help
UNRESOLVED_REASONS = ("grown", "bent", "unusable", "terms", "fitted", "flat", "near-step", "rounded", "disagree")
DEFAULT_SAMPLE = 10
N_WORST = 5  # failing (and unjudged) entries kept per tensor
MAX_BRANCHES = 4  # fast mode: failing halves followed per bisection level
LEAF_SIZE = 4  # fast mode: groups this small are checked entry by entry
CHUNK_ELEMENTS = 1 << 21  # bound on the values of one batched z array
LADDER_ULPS = 2.0  # on the ladder, the spread measures the scatter; this floor: unchanged costs (0 = 0)
LADDER = 10.0 ** np.arange(-6.0, 4.5, 0.5)  # the steps, × ε, tried on a failure in doubt (_resolve)
DEFAULT_SWEEP = (1e-1, 1e-2, 1e-3, 1e-4, 1e-5, 1e-6, 1e-7, 1e-8)


AUTO_ATOL_CAP = 1e-8  # ``atol="auto"`` never exceeds the old fixed default: above it (a huge cost) the step ladder judges


#: The forward pass's rounding allowed for each quotient under atol "auto", in units of
#: ``_Base.forward_noise``'s bound with one u (a fitted network's own gradient reached 0.38 of it).
FORWARD_ULPS = 4.0


#: The forward pass's rounding of its terms allowed for in each quotient, in units of
#: ``_Base.term_rounding``'s first-order figure (one u per term): twice it, one for each of the two costs.
TERM_ULPS = 2.0


#: A cost whose root is below this share of the output's own scale, √|C| < FITTED · A, is a network
#: fitted to its data: the forward pass's rounding of a (~u·A) is then ≳ 1e-6 of a − y, so of every
#: gradient (∝ a − y), beyond what ``_Base.forward_noise`` bounds reliably: auto keeps the fixed 1e-8
#: there. Above it, the per-entry allowance does. Measured (3-4-2 tanh/linear fits, targets off by
#: 1e-11 … 1e-7, 200 each): 1e-8 failed no correct gradient; 1e-9 failed 5 of 200 at 1e-8 and 1e-10
#: 17 of 200 at 1e-9, though they caught a sign flip of xor_relu trained 700 epochs that 1e-8
#: passes (as the old fixed 1e-8 did: its gradients are ~3e-9).
FITTED = 1e-8


#: Backprop's own rounding allowed for in its value, in units of ``_Base.analytic_rounding``'s first-order
#: bound (one u per rounding, absolute values throughout): a failure within the tolerance plus this many of
#: it is ``unresolved`` (``fitted``), never a pass. Measured against long-double gradients (30 draws × 10
#: residuals, 1e-12 … 1, of the Unix-time regression, a tanh net fed Unix times, two hidden units
#: cancelling at ±1e8, and ordinary tanh/sigmoid nets): errors reached at most 0.64 of the bound; twice it
#: leaves room for what the first-order figure leaves out (the sums' own accumulation, σ'(z)'s rounding).
ANALYTIC_ULPS = 2.0


def auto_atol(cost: float, eps: float, output_scale: float | None = None) -> float:
    """The absolute tolerance ``atol="auto"`` (the default) uses at step ε for a cost C: what central
    differences at ε can resolve, the rounding of the two costs, ``NOISE_ULPS`` · u · |C| / ε (twice
    ``_noise``'s figure for one entry's quotient), floored at ``NOISE_ULPS`` · u · ε (the rounding of
    the move itself) and capped at ``AUTO_ATOL_CAP``. A fixed 1e-8 passed a ×2 error on gradients of
    1e-9 (deep sigmoid layers, a trained network, data of 1e-4), whose rounding at ε = 1e-5 is ~1e-11.
    With ``output_scale`` A (``_Base.output_scale``): a fitted network, √|C| < ``FITTED`` · A, gets
    ``AUTO_ATOL_CAP``, the old fixed 1e-8 (its own correct gradient failed 20 of 400 random fitted
    cases against the costs' rounding alone, and 15 of 33 entries of configs/xor_relu.yaml trained)."""
    if output_scale is not None and math.sqrt(abs(float(cost))) < FITTED * float(output_scale):
        return AUTO_ATOL_CAP
    u = float(np.finfo(np.float64).eps)
    with np.errstate(over="ignore", invalid="ignore"):
        level = NOISE_ULPS * u * abs(float(cost)) / float(eps)
    if not math.isfinite(level):
        return AUTO_ATOL_CAP
    return min(AUTO_ATOL_CAP, max(NOISE_ULPS * u * float(eps), level))


def _is_auto(atol: Any) -> bool:
    return isinstance(atol, str) and atol.strip().lower() == "auto"


def ratio_band(ratio: float) -> str:
    """The band name of a global ratio (see the module docstring)."""
    if not math.isfinite(ratio):
        return RATIO_BANDS[-1][1]
    return next(name for limit, name in RATIO_BANDS if ratio <= limit)


# --- report dataclasses --------------------------------------------------------------


@dataclass(frozen=True)
class EntryResult:
    """One checked entry: ``index`` is (j, k) for w^(l), (j,) for b^(l); 0-based j, k.

    ``status``: ``pass``, ``fail``, ``kink`` (at a ReLU kink, unjudgeable),
    ``kink-ok`` (at a kink, but the one-sided difference agrees; ``numeric`` is then
    that one-sided estimate), ``step-ok`` (fails at ε, but ε is too large or too small for
    this entry, and the central difference at the step ``step`` that suits it agrees) or
    ``unresolved`` (the same, but no step resolves it to the tolerance: not judged).
    ``step``: the step of ``numeric`` when it is not ε (``step-ok``, ``unresolved``, or a
    ``fail`` confirmed at another step), else None. ``reason``: why an ``unresolved`` entry's
    steps cannot judge it (one of ``UNRESOLVED_REASONS``), else None.
    """

    layer: int
    kind: str
    index: tuple[int, ...]
    analytic: float
    numeric: float
    abs_error: float
    rel_error: float
    status: str
    step: float | None = None
    reason: str | None = None

    @property
    def label(self) -> str:
        """E.g. ``w^(2)[0,1]`` or ``b^(1)[2]`` (1-based layer, 0-based j, k)."""
        return f"{self.kind}^({self.layer})[{','.join(map(str, self.index))}]"

    @property
    def passed(self) -> bool:
        return self.status in ("pass", "kink-ok", "step-ok")


@dataclass(frozen=True)
class DirectionalResult:
    """Fast mode: vᵀ∇C (backprop) against [C(θ + εv) − C(θ − εv)] / 2ε for one tensor.

    ``n_evaluations`` counts every cost evaluation spent on the tensor, bisection and
    the entry checks of the ``n_located`` located entries included. ``status``: ``pass``,
    ``fail``, ``kink`` or ``unresolved`` (the last two not judged); ``step``: the step of
    ``numeric`` when it is not ε (the direction re-judged there, ``_resolve``), else None;
    ``reason``: why an ``unresolved`` direction's steps cannot judge it (``UNRESOLVED_REASONS``).
    """

    analytic: float
    numeric: float
    abs_error: float
    rel_error: float
    status: str
    n_evaluations: int
    n_located: int
    step: float | None = None
    reason: str | None = None
    unmoved: bool = False  # passed at ε only on a cost that did not move there (``_unmoved``)


@dataclass(frozen=True)
class TensorResult:
    """The check of one tensor, w^(l) (``kind`` "w") or b^(l) ("b").

    ``n_checked`` entries were compared one by one (in fast mode: only the located
    ones; the direction covers all). ``max_rel_error`` skips entries where both
    values are below ``atol`` (their relative error is rounding noise); both maxima are
    NaN when there is nothing to take them over (no judged entry, none of at least
    ``atol`` for the relative error). In fast mode
    the two maxima are those of the directional check (the relative error NaN, and the direction
    counted in ``n_below_atol``, where it passed with vᵀ∇C and its quotient below ``atol``). ``worst`` is the judged entry with
    the largest |a − n| / (atol + rtol·max(|a|, |n|)), nearest to (or furthest past) its
    tolerance (taken over every entry when all of them sit on unjudged kinks), None when
    no entry was compared; ``failures`` the few worst failing entries, same order.
    """

    layer: int
    kind: str
    shape: tuple[int, ...]
    n_checked: int
    max_abs_error: float
    max_rel_error: float
    worst: EntryResult | None
    failures: tuple[EntryResult, ...]
    n_failed: int
    n_kinks: int
    status: str
    diagnosis: tuple[str, ...]
    directional: DirectionalResult | None = None
    kinks: tuple[EntryResult, ...] = ()  # the first few entries no difference could judge ("kink", "unresolved")
    n_unjudged: int = 0  # how many there are in all
    n_stepped: int = 0  # entries judged at a step other than ε ("step-ok", or a fail confirmed there)
    n_unresolved: int = 0  # of the unjudged, those whose difference no step resolves ("unresolved")
    # how many of those for each reason their steps cannot judge them, in ``UNRESOLVED_REASONS`` order
    unresolved_reasons: dict[str, int] = field(default_factory=dict)
    # passing entries (and a passing fast-mode direction) of at least atol (those ``max_rel_error`` counts)
    # whose |a − n| exceeds rtol·max(|a|, |n|): they passed on atol alone (``max_rel_on_atol``, the largest)
    n_on_atol: int = 0
    max_rel_on_atol: float | None = None  # None where none passed so (not NaN: NaN != NaN in results compared)
    # what ``max_rel_error`` (and the global ratio) leave out, entry by entry (in fast mode, whose maxima are
    # the direction's, only a passing direction below atol: n_below_atol 1 and its relative error): the largest relative error of the entries not judged (``kinks``, of
    # ``n_unjudged``), and the count and largest relative error of the judged entries below atol, |a| and
    # |n| < atol (rounding noise: a gradient of 0 against a quotient of 1e-12 has a relative error of 1)
    max_rel_unjudged: float | None = None
    n_below_atol: int = 0
    max_rel_below_atol: float | None = None
    # of ``n_stepped``, those re-judged because they matched at ε only on a cost that did not move (``_unmoved``),
    # not because they failed there
    n_unmoved: int = 0
    # the largest |a − n| of the judged entries below atol (``n_below_atol``; in fast mode, of a passing direction
    # below atol): what judges them, against atol, where their relative error is rounding noise
    max_abs_below_atol: float | None = None

    @property
    def label(self) -> str:
        """E.g. ``w^(2)``."""
        return f"{self.kind}^({self.layer})"

    @property
    def passed(self) -> bool:
        """Whether this tensor's check passed (``status == "pass"``)."""
        return self.status == "pass"


@dataclass(frozen=True, repr=False)
class GradcheckReport:
    """The whole check. ``status``: ``pass`` | ``fail`` | ``inconclusive``.

    ``settings``: eps, rtol, atol, mode, params, n_examples, seed, dtype (always
    float64), cast_from (None or "float32"). ``n_kinks`` counts entries at a kink,
    resolved (``kink-ok``) or not (``kink``). ``global_ratio`` is taken over the judged
    entries of at least ``atol``, NaN when there is none (``ratio_undefined`` says why).
    """

    passed: bool
    status: str
    tensors: tuple[TensorResult, ...]
    global_ratio: float
    settings: dict[str, Any]
    n_checked: int
    n_failed: int
    n_kinks: int
    cast_from: str | None
    n_stepped: int = 0  # entries judged at a step other than ε (see ``TensorResult``)
    n_unmoved: int = 0  # of those, the ones that matched at ε only on a cost that did not move (``_unmoved``)
    n_unresolved: int = 0  # entries no step could resolve (not judged)
    # why ``global_ratio`` is NaN with nothing wrong: "none judged" (every entry at a kink or
    # unresolved), "below atol" (every judged entry, analytic and numeric, below atol)
    ratio_undefined: str | None = None
    # the layers whose w^(l) and b^(l) were checked (``layers=``), ascending, of the network's
    # ``n_layers``: every layer unless ``check_gradients`` was given ``layers``; the status, counts,
    # global ratio and diagnoses cover those tensors only
    layers: tuple[int, ...] = ()
    n_layers: int = 0
    # about the backward checked, not its gradients: a user's backward that changed the weights or
    # biases it was handed in place (the check used the values before its call)
    warnings: tuple[str, ...] = ()
    n_on_atol: int = 0  # passing entries whose |a − n| only atol covers (see ``TensorResult``)
    # the ratio the costs' rounding alone can give (16·u·|C|/2ε per entry, over the same entries: tiny
    # gradients make it large); a passing check whose ratio is within it is at ``ROUNDING_BAND``
    rounding_ratio: float = 0.0
    kinked: bool = True  # the network has ReLU-like kinks ("suspicious" is fine near them)
    # seed 001's E_o and E_h for this network's cost and activations, as explain writes them
    # (``explain.seed001_rules``), and each layer's activation (1 to L): what a diagnosis's δ^(l) is
    layer_errors: tuple[str, ...] = ()
    activations: tuple[str, ...] = ()
    # every bias of the checked layers is 0 (init auto starts them there): λ b^(l), an L2 term wrongly added to
    # ∂C/∂b^(l), is 0 too, and no check at these parameters can show it
    zero_biases: bool = False

    def __repr__(self) -> str:
        """Short: the whole dataclass was 2.7K characters for a passing check, 7.6K for a failing one, in
        a notebook cell. The fields hold it all; ``render.gradcheck.render_gradcheck`` draws the report."""
        return (f"GradcheckReport(status={self.status!r}, checked={self.n_checked}, failed={self.n_failed}, "
                f"kinks={self.n_kinks}, unresolved={self.n_unresolved}, global_ratio={self.global_ratio:.3e}, "
                f"mode={self.settings.get('mode')!r})")

    @property
    def restricted(self) -> bool:
        """Whether only some layers were checked (``layers`` short of all ``n_layers``)."""
        return 0 < len(self.layers) < self.n_layers

    @property
    def band(self) -> str:
        """The band of ``global_ratio``: excellent, good, suspicious, ...; or, where it is not
        defined, why (``ratio_undefined``)."""
        if self.ratio_undefined:
            return self.ratio_undefined
        if self.status == "pass" and _ROUNDING_LEVEL < self.global_ratio <= self.rounding_ratio:
            return ROUNDING_BAND
        return ratio_band(self.global_ratio)

    @property
    def failing(self) -> tuple[TensorResult, ...]:
        """The tensors whose check failed (``status == "fail"``), in ``tensors`` order; empty
        when the check passed or is only inconclusive."""
        return tuple(t for t in self.tensors if t.status == "fail")


@dataclass(frozen=True, repr=False)
class ConvergenceReport:
    """The error of the check as ε shrinks, one value per ``eps_values`` entry.

    ``global_ratios`` drive the verdict: ``order`` is the median local slope of
    log ratio against log ε over the steps from the largest ε down to ``best_eps``
    (where the ratio is smallest, i.e. before rounding takes over). A correct
    gradient shows order ≈ 2 down to a tiny ratio; a wrong one levels off (order ≈ 0)
    at a large ratio. ``order`` is None when there is no slope to measure: the smallest
    ratio is at the first kink-free ε (e.g. the largest), or the kink-free ε are at rounding
    level from the first one on (≤ 1e-7, none truncation-dominated).
    ``kink_crossings``: entries whose ±ε steps flip a ReLU unit; the order is measured only
    over the run of kink-free ε down to ``best_eps`` (however short: spirals keeps 1e-4 and
    1e-5), never over an ε whose steps cross a kink (see ``_order``).
    """

    eps_values: tuple[float, ...]
    max_rel_errors: tuple[float, ...]
    median_rel_errors: tuple[float, ...]
    global_ratios: tuple[float, ...]
    kink_crossings: tuple[int, ...]
    order: float | None
    best_eps: float
    best_error: float
    passed: bool
    status: str  # pass, fail, or inconclusive: the sweep cannot judge (``_plateau``); CLI exit 0 / 1 / 3
    verdict: str
    settings: dict[str, Any]
    layers: tuple[int, ...] = ()  # the layers whose entries the sweep took, as ``GradcheckReport``'s
    n_layers: int = 0
    warnings: tuple[str, ...] = ()  # as ``GradcheckReport``'s
    # per tensor (``w^(1)``: count), the entries whose quotients settle away from the analytic value and
    # never come near it at any ε (``_settled_off``): wrong, whatever the global ratio says
    wrong_entries: dict[str, int] = field(default_factory=dict)
    # per ε, how many entries are of at least its atol (|a| or |n|): those its errors and ratio are taken
    # over; where none is, nothing is judged at that ε and its figures are 0 by convention, not a measurement
    n_judged: tuple[int, ...] = ()
    # per tensor, the entries no ε could judge (``_never_resolved``: the costs' rounding blurs their quotients
    # at every ε), or that settle off their analytic values by no more than the forward pass's rounding of a^(L)
    # (``_fitted_off_verdict``): a sweep that would pass is inconclusive then, as the plain check is on them
    unresolved_entries: dict[str, int] = field(default_factory=dict)
    # a failing sweep's pattern, as the plain check names it (``_sweep_pattern``): ×½ on every entry, a sign flip
    diagnosis: tuple[str, ...] = ()

    def __repr__(self) -> str:
        """Short, as ``GradcheckReport``'s; ``render.gradcheck.render_convergence`` draws the report."""
        order = "None" if self.order is None else f"{self.order:.2f}"
        return (f"ConvergenceReport(status={self.status!r}, order={order}, best_eps={self.best_eps:.3g}, "
                f"best_error={self.best_error:.3e}, eps_values={len(self.eps_values)})")

    @property
    def restricted(self) -> bool:
        """Whether only some layers were checked (``layers`` short of all ``n_layers``)."""
        return 0 < len(self.layers) < self.n_layers


# --- progress ---------------------------------------------------------------------------------


class StepProgress(NamedTuple):
    """The part of a check's progress spent looking again, at other steps than ε, at entries that
    fail at ε (``_resolve``): how many ``entries`` so far, and their perturbed cost evaluations,
    ``done`` of at most ``total`` (the most those entries can need: a look ends early where its
    answer is settled, and ``total`` then shrinks by what it did not need)."""

    entries: int
    done: int
    total: int


class _Tally:
    """Perturbed cost evaluations done and to come, told to ``check_gradients``' ``progress`` as
    ``progress(done, total)``, or ``progress(done, total, again)`` (a ``StepProgress``, the part of
    both spent looking at other steps) when it takes three arguments.

    ``total`` starts at two per checked entry and grows when an entry needs more: a one-sided
    difference at a kink, or a look at other steps, counted at the most it can take and given back
    where less will do. So ``done`` never passes ``total``, and meets it when the check ends."""

    def __init__(self, progress: Callable[..., None] | None = None, total: int = 0) -> None:
        self.tell = _with_steps(progress)
        self.done, self.total = 0, total
        self.entries = self.again_done = self.again_total = 0
        self.again = False  # within ``_resolve``: its evaluations are the "again" part

    def evaluated(self, n: int) -> None:
        """``n`` perturbed cost evaluations were just made."""
        self.done += n
        self.again_done += n if self.again else 0
        self._tell()

    def expect(self, n: int, entries: int = 0) -> None:
        """``n`` more evaluations to come (fewer when negative); ``entries`` more looked at again."""
        if n or entries:
            self.total += n
            self.again_total += n if self.again else 0
            self.entries += entries
            self._tell()

    def _tell(self) -> None:
        if self.tell is not None:
            self.tell(self.done, self.total, StepProgress(self.entries, self.again_done, self.again_total))


def _with_steps(progress: Callable[..., None] | None) -> Callable[[int, int, StepProgress], None] | None:
    """``progress`` as a three-argument callback: a two-argument one (done, total) is called without
    the ``StepProgress``."""
    if progress is None:
        return None
    try:
        inspect.signature(progress).bind(0, 0, None)
    except (TypeError, ValueError):  # ValueError: no signature to read (a builtin): the documented two
        return lambda done, total, again: progress(done, total)
    return progress


# --- the unperturbed network -----------------------------------------------------------


@dataclass
class _Base:
    """The float64 network, its examples and its cached forward pass.

    ``z[l]``, ``a[l]`` have shape (n_samples, n_l); ``kinked[l]`` says whether layer
    l's activation has a kink (index 0 unused); ``cost`` is C at θ.
    """

    net: Network
    X: Array
    Y: Array
    cache: ForwardCache
    cost: float
    kinked: list[bool]
    fused: FusedRule | None
    penalty: float  # (λ/2) Σ ||w||² at θ, part of C
    tally: _Tally | None = None  # ``check_gradients``' progress: the evaluations done and to come
    adapt_step: bool = True  # re-judge failures whose step ε does not suit them (``_resolve``)
    # atol "auto": each quotient's tolerance also allows for the forward pass's own rounding
    # (``forward_noise``), which the costs' rounding 16·u·|C|/ε misses where C is near 0
    forward_rounding: bool = False

    def forward_noise(self, cp: Array, cm: Array, hp: Array, hm: Array) -> Array:
        """How far the forward pass's rounding of the output a^(L) can move each difference quotient
        (C(θ+h) − C(θ−h)) / (h+ − h−), from the costs at θ ± h. A fitted network's C is ~1e-22, so the
        costs' own rounding allows ~1e-20, but each a is rounded to ~u·|terms of z^(L)| whatever C is:
        under a squared error that moves C(θ±h) by up to 2·u·A·√(c·n_L·C(θ±h)) (Cauchy-Schwarz over
        the output units, A ``output_scale``, c = ½ or 1), under
        cross-entropy by ~u·(1 + A). ``FORWARD_ULPS`` of that: a fitted 2-8-1 ReLU net's quotients
        were off by at most 0.38 of it with 1 u."""
        u = float(np.finfo(np.float64).eps)
        name, scale = self.net.cost_fn.name, self.output_scale
        with np.errstate(invalid="ignore", over="ignore", divide="ignore"):
            if name in ("squared_error", "half_squared_error"):
                c = 0.5 if name == "half_squared_error" else 1.0
                n_out = self.net.sizes[-1]
                each = 2.0 * u * scale * (np.sqrt(c * n_out * np.abs(cp)) + np.sqrt(c * n_out * np.abs(cm)))
            else:  # cross-entropy: −Σ y ln a moves by the relative rounding of a, ~u·(1 + |z|)
                each = np.full(np.shape(cp), 2.0 * u * (1.0 + scale))
            # capped as auto's atol is: above 1e-8 (a cost of 9e3) the step ladder judges, it does not pass
            return np.minimum(FORWARD_ULPS * each / np.abs(hp - hm), AUTO_ATOL_CAP)

    def fitted_noise(self, dp: Array, dm: Array, hp: Array, hm: Array) -> Array:
        """``forward_noise``'s bound uncapped and from the data costs D(θ ± h), the L2 penalty taken out
        (``dp``, ``dm``: ``_data_costs``), under a squared error; 0 under cross-entropy. Not an allowance
        that passes (the cap keeps that at 1e-8): a failure within twice it is ``unresolved`` (``_fitted``),
        and the sweep reads no level within it as settled (``_plateau``). A network fitted to its targets
        (C ≈ 0, outputs A of 7e6) has D(θ ± h) ≈ c·|J h|²/n, J = ∂a^(L)/∂θ, so the rounding of a^(L), ~u·A,
        moves each quotient by ~u·A·|J|, whatever ε (a flat level, not the costs' 1/ε), and backprop's own
        δ^(L) = ∂C/∂a^(L) by as much: at θ its a − y is exactly 0 where the exact residual is a few ulps of A,
        so its gradient is 0 where the exact one is 1.5e-3. To first order in h that error, (2c/n)·Σ e·J with
        |e| ≤ u·A, is at most 2·u·A·c·√(n_L/n)·|J|, and √D(θ + h) + √D(θ − h) ≥ 2h·√(c/n)·|J| (the triangle
        inequality), so the bound covers the analytic value's error as well as the quotient's. With the L2
        penalty left in, √C(θ ± h) is √penalty, far above the data's residual (a bound of 1e-1 on gradients
        of 1e-3)."""
        if self.net.cost_fn.name not in ("squared_error", "half_squared_error"):
            return np.zeros(np.shape(dp))
        u = float(np.finfo(np.float64).eps)
        c = 0.5 if self.net.cost_fn.name == "half_squared_error" else 1.0
        n_out = self.net.sizes[-1]
        with np.errstate(invalid="ignore", over="ignore", divide="ignore"):
            each = 2.0 * u * self.output_scale * (np.sqrt(c * n_out * np.abs(dp)) + np.sqrt(c * n_out * np.abs(dm)))
            return FORWARD_ULPS * each / np.abs(hp - hm)

    @functools.cached_property
    def fitted(self) -> bool:
        """A network fitted to its targets under a squared error: the data part of C (the L2 penalty taken
        out) below (``FITTED`` · max |a^(L)|)². Only there does ``fitted_noise`` judge anything (a bound that
        loose elsewhere, weights of 1e10 say, hid a × 1.01). The outputs themselves, not ``output_scale``: a z^(L)
        that cancels large terms (a Unix time times 10, less 1.7e10) made an ordinary residual look fitted, and
        a b^(L) × 2 went unjudged. Backprop's own rounding there, fitted or not, is ``analytic_rounding``'s."""
        if self.net.cost_fn.name not in ("squared_error", "half_squared_error"):
            return False
        with np.errstate(invalid="ignore", over="ignore"):
            outputs = float(np.max(np.abs(self.a[-1]), initial=0.0))  # |a^(L)|, not the terms of z^(L)
            return bool(math.sqrt(max(self.cost - self.penalty, 0.0)) < FITTED * outputs)

    def data_costs(self, l: int, kind: str, theta: Array) -> Callable[..., Array]:
        """``fitted_noise`` for the entries at values ``theta`` of w^(l) or b^(l), called with their costs
        C(θ ± h) and steps h± (and ``sel``, which of them, all by default): the L2 penalty at θ ± h
        (``_entry_costs``' own sum) taken off each cost, to within the rounding of that subtraction, ~u·|C|
        (added: D is not under-estimated)."""
        u = float(np.finfo(np.float64).eps)
        lam = self.net.l2 if kind == "w" else 0.0

        def penalty(t: Array, h: Array) -> Array:
            return (0.5 * lam * ((t + h) ** 2 - t**2) if lam else 0.0) + self.penalty

        def noise(cp: Array, cm: Array, hp: Array, hm: Array, sel: Index | None = None) -> Array:
            t = theta if sel is None else theta[sel]
            with np.errstate(invalid="ignore", over="ignore"):
                dp = np.maximum(cp - penalty(t, hp), 0.0) + (2.0 * u * np.abs(cp) if self.penalty else 0.0)
                dm = np.maximum(cm - penalty(t, hm), 0.0) + (2.0 * u * np.abs(cm) if self.penalty else 0.0)
            return self.fitted_noise(dp, dm, hp, hm)

        return noise

    @functools.cached_property
    def output_scale(self) -> float:  # once: the forward pass at θ does not change
        """What a rounding of the output a^(L) is relative to, the largest over the examples and units
        of |a| + |σ'(z)|·(Σ_k |w_jk a_k| + |b_j|): z^(L) is rounded to ~u·its terms, which σ' passes
        on (a linear output's cancelling terms: a fitted tanh/linear net's quotients were off by 1e-5
        of gradients of 1e-12 where |a| alone allowed 2e-8), a saturated σ not (weights of 1e4 made a
        bound on the terms alone so loose that it passed a ×2). Softmax's σ' is taken as a(1 − a)."""
        out, a, z = self.net.activations[-1], self.a[-1], self.z[-1]
        w, b = self.net.weights[-1], self.net.biases[-1]
        with np.errstate(over="ignore", invalid="ignore"):  # weights of 1e308: an inf scale, left out below
            terms = np.abs(self.a[-2]) @ np.abs(w).T + np.abs(b)
            slope = np.abs(out.prime(z, a)) if out.prime is not None else a * (1.0 - a)
            scale = np.abs(a) + slope * terms
        finite = scale[np.isfinite(scale)]
        return float(finite.max()) if finite.size else float(np.max(np.abs(a)))

    @functools.cached_property
    def term_rounding(self) -> list[tuple[Array, Array, float, float]]:
        """Per layer l (index 0 unused): how far the forward pass's rounding, where a move of a parameter
        of layer l changes it, can move C, to first order, as (own_w, own_b, below, terms). z_j^(m) =
        Σ_k w_jk a_k + b_j is rounded to ~u·T_j, T_j = Σ_k |w_jk a_k| + |b_j|, however small z is
        (weights of 1e20 make terms of 1e40 that cancel to z ~ 0, rounded to ~1e24), and a_j = σ(z_j) to
        ~u·|a_j|; C moves by |δ_j| = |∂C/∂z_j| times the first, by |∂C/∂a_j| times the second. Rounding
        the same in C(θ + h) and C(θ − h) cancels in their difference: a move of b_j^(l) leaves the sum
        Σ_k w_jk a_k as it was and rounds z_j only to ~u·|z_j| when adding b_j ± h (``own_b[j]``), a move
        of w_jk^(l) changes a term of the sum itself (``own_w[j]``); both with a_j's rounding, summed over
        the examples (δ carries the 1/n of the mean). ``below``: every unit of the layers after l, whose
        inputs a^(l) the move changes; ``terms``: the largest T from layer l on. δ is propagated in
        absolute values, |δ^(l)| = (|δ^(l+1)| |w^(l+1)|) ⊙ |σ'(z^(l))|, so no cancellation hides a
        path. Where that overflows (weights of 1e300) NaN counts 0."""
        net, u = self.net, float(np.finfo(np.float64).eps)
        L = net.L
        rows: list[tuple[Array, Array, float, float]] = [(np.zeros(0), np.zeros(0), 0.0, 0.0)] * (L + 1)
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            D = np.abs(net.output_error(self.cache, self.Y)) / self.n  # |δ^(L)|, with the mean's 1/n
            G: Array | None = None  # |∂C/∂a^(l)| by absolute paths, below the output layer
            below, terms_after = 0.0, 0.0
            for l in range(L, 0, -1):
                w, b = np.abs(net.weights[l - 1]), np.abs(net.biases[l - 1])
                T = np.abs(self.a[l - 1]) @ w.T + b  # (n, n_l)
                own_a = u * np.nansum(G * np.abs(self.a[l]), axis=0) if G is not None else 0.0
                own_w = u * np.nansum(D * T, axis=0) + own_a
                own_b = u * np.nansum(D * np.abs(self.z[l]), axis=0) + own_a
                terms_after = max(float(np.nanmax(T, initial=0.0)), terms_after)
                rows[l] = (own_w, own_b, below, terms_after)
                below += float(np.nansum(own_w))
                if l > 1:
                    G = D @ w
                    act = net.activations[l - 2]
                    D = G * np.abs(act.prime(self.z[l - 1], self.a[l - 1])) if act.prime is not None else G
        return rows

    @functools.cached_property
    def analytic_rounding(self) -> list[tuple[Array, Array]]:
        """Per layer l (index 0 unused): (B_w, B_b), shaped as w^(l) and b^(l), a first-order estimate of how
        far a float64 backprop's own value of ∂C/∂w^(l), ∂C/∂b^(l) can lie from the exact one through the
        forward pass's rounding, under a squared error (0 under cross-entropy, whose δ^(L) = a − y is not
        near-cancelling where it matters). Not a rigorous bound: it leaves out σ' computed from a rounded a
        (1 − a² cancelling where saturated), L2's λw and a dot product's accumulation (one rounding per z);
        those only make it smaller, ~1e-10 of the gradient, and it can only withhold a verdict, never pass.
        The forward pass rounds each a^(m) to within E^(m), carried forward in absolute values:
        z = Σ_k w_jk a_k + b_j is rounded to ~u·(T_j + |z_j|) (T_j = Σ_k |w_jk a_k| + |b_j|, as
        ``output_scale``), its inputs' own errors add |w| E^(m−1), and σ passes |σ'(z)| of that on, plus
        u·|a| of its own. Backprop's δ^(L) = (2c/n)(a − y)σ'(z) then carries (2c/n)·E^(L)·|σ'(z^(L))| of it,
        propagated as |δ^(l)| = (|δ^(l+1)| |w^(l+1)|) ⊙ |σ'(z^(l))| (no cancellation hides a path, as
        ``term_rounding``), and dw^(l) = δ^(l)ᵀ a^(l−1) gains Σ_i |Δ_ij| |a_ik| + |δ_ij| E_ik. A z^(L) that
        cancels terms far larger than the outputs (a Unix time × 10 less 1.7e10: terms of 3.4e10) rounds a
        to ~1e-5, so a residual a − y of 1e-4 is off by ~10% in every backprop, however correct: its value
        is unresolved within ``ANALYTIC_ULPS`` of this (``_fitted``), not a failure. NaN (overflow) counts 0."""
        net, u = self.net, float(np.finfo(np.float64).eps)
        L = net.L
        name = net.cost_fn.name
        rows: list[tuple[Array, Array]] = [(np.zeros(0), np.zeros(0))] * (L + 1)
        if name not in ("squared_error", "half_squared_error"):
            return [(np.zeros(0), np.zeros(0))] + [(np.zeros_like(w), np.zeros_like(b))
                                                   for w, b in zip(net.weights, net.biases)]
        c, half = (0.5 if name == "half_squared_error" else 1.0), 0.5 * u  # half: the unit roundoff
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            E = [np.zeros_like(self.a[0])]  # E^(m): the forward pass's rounding of a^(m)
            slopes: list[Array] = [np.zeros(0)]  # |σ'(z^(m))|
            bends: list[Array] = [np.zeros(0)]  # how far σ'(z^(m)) moves within z's rounding, ~|σ''|·ez
            for m in range(1, L + 1):
                w, act, z = np.abs(net.weights[m - 1]), net.activations[m - 1], self.z[m]
                ez = half * (np.abs(self.a[m - 1]) @ w.T + np.abs(z)) + E[m - 1] @ w.T
                slope = np.abs(act.prime(z, self.a[m]))
                slopes.append(slope)
                bends.append(0.5 * np.abs(act.prime(z + ez, act.fn(z + ez)) - act.prime(z - ez, act.fn(z - ez))))
                E.append(slope * ez + half * np.abs(self.a[m]))
            # backprop's δ^(L) = (2c/n)(a − y)σ'(z): a's rounding, and σ'(z)'s from z's
            R = (2.0 * c / self.n) * E[L] * slopes[L] + np.abs(net.cost_fn.grad_a(self.a[L], self.Y)) / self.n * bends[L]
            D = np.abs(net.output_error(self.cache, self.Y)) / self.n  # |δ^(L)|, with the mean's 1/n
            for l in range(L, 0, -1):
                bw = np.nan_to_num(R.T @ np.abs(self.a[l - 1]) + D.T @ E[l - 1], nan=0.0, posinf=0.0)
                bb = np.nan_to_num(R.sum(axis=0), nan=0.0, posinf=0.0)
                rows[l] = (bw, bb)
                if l > 1:
                    w = np.abs(net.weights[l - 1])
                    G = D @ w
                    R = (R @ w) * slopes[l - 1] + G * bends[l - 1]
                    D = G * slopes[l - 1]
        return rows

    def analytic_floor(self, l: int, kind: str, flat: Index) -> Array:
        """``analytic_rounding``'s bound for the entries ``flat`` of w^(l) or b^(l)."""
        return self.analytic_rounding[l][0 if kind == "w" else 1].ravel()[flat]

    def term_floor(self, l: int, kind: str, flat: Index | None = None) -> Array:
        """``term_rounding``'s figure for the entries ``flat`` of w^(l) or b^(l) (each recomputes its
        unit j of layer l and every later layer), or, ``flat`` None, for a move of the whole tensor."""
        own_w, own_b, below, _ = self.term_rounding[l]
        own = own_w if kind == "w" else own_b
        if flat is None:
            return np.array([float(np.nansum(own)) + below])
        j = flat // self.net.sizes[l - 1] if kind == "w" else flat
        return own[j] + below

    @property
    def n(self) -> int:
        return self.X.shape[0]

    @property
    def z(self) -> list[Any]:
        return self.cache.z

    @property
    def a(self) -> list[Array]:
        return self.cache.a

    def tensor(self, l: int, kind: str) -> Array:
        """w^(l) or b^(l)."""
        return self.net.weights[l - 1] if kind == "w" else self.net.biases[l - 1]

    def exact_kinks(self, l: int) -> int:
        """How many z_j of an example are exactly 0 at θ in kinked layers l..L (those a
        parameter of layer l can move): 0 means C is differentiable in that parameter."""
        return sum(int(np.count_nonzero(self.z[m] == 0)) for m in range(l, len(self.kinked)) if self.kinked[m])


def _make_base(net: Network, X: Array, Y: Array, bends: bool = False) -> _Base:
    """The unperturbed network's values. ``bends``: ELU's bend at z = 0 (σ'' jumps there) counts
    as a kink for the crossings found (the convergence sweep's order; the check itself does not
    need it: a step across the bend is still accurate to O(ε))."""
    for name, arrays in (("weights", net.weights), ("biases", net.biases)):
        for i, p in enumerate(arrays):  # assigning refuses NaN; editing an array in place does not
            if not np.isfinite(p).all():
                raise InputError(f"net.{name}[{i}] (layer {i + 1}): holds NaN or infinite values (changed in "
                                 "place since it was assigned?); the cost and its gradient need finite parameters")
    with np.errstate(over="ignore", invalid="ignore"):
        cache = net.forward(X)
        penalty = net.penalty()
        cost = float(np.mean(net.example_costs(cache, Y))) + penalty
    check_finite_cost(cost, len(X), penalty=penalty, net=net, X=X, Y=Y)
    kinked = [False] + [act.kink or (bends and act.bend) for act in net.activations]
    fused = net.cost_fn.fused.get(net.activations[-1].name)
    return _Base(net, X, Y, cache, cost, kinked, fused, penalty)


def check_finite_cost(cost: float, n_examples: int, where: str = "", penalty: float = 0.0,
                      net: Network | None = None, X: Array | None = None, rows: Any = None,
                      Y: Array | None = None, target_names: Sequence[str] | None = None) -> None:
    """Raise a DataError (``where``: what to name first, e.g. the model file) when the cost of
    the checked examples is not finite at θ: then the forward pass (or the L2 ``penalty``)
    overflows and neither side of a gradient check means anything. Given ``net`` and the
    examples ``X``, the message names the first layer whose z or a is not finite, and the
    example's row of the training split when ``rows`` (one per example of ``X``) gives it.
    Given the targets ``Y`` too, a cost that overflows because a target is larger than every
    output (y = 1e200 in a CSV) names that target (its column from ``target_names``) as the
    cause, with a hint to scale it: smaller weights or standardized inputs could not help."""
    if not math.isfinite(cost):
        hint = "check a model whose cost is finite on its data (smaller weights, standardized inputs)"
        if not math.isfinite(penalty):
            why = "the L2 penalty (λ/2) Σ ||w||² overflows"
        elif net is None or X is None:
            why = "the forward pass overflows"
        else:
            at = _overflow_at(net, X, rows)
            target = _huge_target(net, X, Y, rows, target_names) if at is None else None
            if at is not None:
                why = "the forward pass overflows" + at
            elif target is not None:
                why, hint = target
            else:
                why = _output_overflow(net, X, Y, rows)
        raise DataError(
            f"{where + ': ' if where else ''}the cost of the {plural(n_examples, 'checked example')} "
            f"is {cost} at these parameters ({why}), so there is no gradient to check",
            hint,
        )


def _huge_target(net: Network, X: Array, Y: Array | None, rows: Any,
                 target_names: Sequence[str] | None) -> tuple[str, str] | None:
    """(why, hint) when the first example whose cost overflows (its forward pass finite) does so
    because its target is larger than every output (``costs.huge_target``); None otherwise."""
    from .costs import huge_target

    if Y is None:
        return None
    with np.errstate(over="ignore", invalid="ignore"):
        cache = net.forward(X)
        costs = net.example_costs(cache, Y)
    bad = np.flatnonzero(~np.isfinite(costs))
    if not bad.size:
        return None
    i = int(bad[0])
    j = huge_target(cache.output[i], np.asarray(Y)[i])
    if j is None:
        return None
    names = tuple(target_names or ())
    column = f"column {shown(names[j])}" if j < len(names) else "the targets"
    row = "" if rows is None else f", row {int(rows[i])} of the training split"
    return (f"the cost {net.cost_fn.name} of checked example {i}{row}{',' if row else ''} overflows: its target "
            f"{'in ' + column if j < len(names) else f'for output {j}'} is {float(np.asarray(Y)[i, j]):g}; the weights "
            "and inputs are not the cause",
            f"scale {column} down (divide by a power of ten until |y| is far "
            "below 1e+150)")


def _overflow_at(net: Network, X: Array, rows: Any = None) -> str | None:
    """' at layer l of L: z_j^(l) = inf for checked example i, row r of the training split' for the
    first layer and example whose z or a is not finite (the row when ``rows`` gives it: the CLI
    checks rows it draws, so "example 1" alone named no row the user knows); None when every
    one is finite (then it is the cost that overflows: ``_huge_target``, ``_output_overflow``)."""
    with np.errstate(over="ignore", invalid="ignore"):
        cache = net.forward(X)
    for l in range(1, net.L + 1):
        for name, v in (("z", cache.z[l]), ("a", cache.a[l])):
            bad = np.argwhere(~np.isfinite(np.asarray(v)))
            if len(bad):
                i, j = (int(t) for t in bad[0])
                row = "" if rows is None else f", row {int(rows[i])} of the training split"
                return (f" at layer {l} of {net.L}: {name}_{j}^({l}) = {float(np.asarray(v)[i, j])} for checked "
                        f"example {i}{row}")
    return None


def _output_overflow(net: Network, X: Array, Y: Array | None, rows: Any = None) -> str:
    """Why the cost overflows when every z and a is finite and no target is to blame: 'the cost
    NAME of checked example i, row r of the training split, overflows at the output: |a^(L)| up
    to …, |y| up to …' for the first example whose own cost is not finite (as explain says it of
    its one example); the outputs of all the examples when only their mean overflows, or no Y."""
    L, name = net.L, net.cost_fn.name
    with np.errstate(over="ignore", invalid="ignore"):
        cache = net.forward(X)
        costs = net.example_costs(cache, Y) if Y is not None else None
    a = np.asarray(cache.output)
    bad = np.flatnonzero(~np.isfinite(costs)) if costs is not None else np.array([], dtype=int)
    if not bad.size:
        ys = "" if Y is None else f", |y| up to {_largest(np.asarray(Y))}"
        return f"the cost {name} overflows at the output: |a^({L})| up to {_largest(a)}{ys}"
    i = int(bad[0])
    row = "" if rows is None else f", row {int(rows[i])} of the training split,"
    return (f"the cost {name} of checked example {i}{row} overflows at the output: |a^({L})| up to "
            f"{_largest(a[i])}, |y| up to {_largest(np.asarray(Y)[i])}")


def _largest(arr: Array) -> str:
    """max |arr| over its finite entries, as explain's messages write it (0 when there are none)."""
    finite = np.abs(arr[np.isfinite(arr)])
    return f"{float(finite.max()) if finite.size else 0.0:.3g}"


def _as_examples(net: Network, X: Any, Y: Any) -> tuple[Array, Array]:
    """X (n_samples, n_inputs) and Y (n_samples, n_outputs) as float64, checked."""
    X, Y = _real_array(X, "X"), _real_array(Y, "Y")
    x_shape, y_shape = X.shape, Y.shape  # as given, for the messages
    if X.ndim == 1:
        X = X.reshape(1, -1)
    if X.ndim != 2 or X.shape[1] != net.sizes[0] or X.shape[0] < 1:
        raise InputError(f"gradcheck X: shape {x_shape}, expected (n_examples ≥ 1, {net.sizes[0]})"
                        f"{one_example_hint(x_shape, net.sizes[0])}")
    n, k = X.shape[0], net.sizes[-1]
    if Y.ndim == 1 and Y.size == n * k and (n == 1 or k == 1):  # as Network.cost reads a 1-D Y
        Y = Y.reshape(n, k)
    if Y.shape != (n, k):
        raise InputError(f"gradcheck Y: shape {y_shape}, expected ({n}, {k}){flat_targets_hint(y_shape, n, k)}")
    finite_rows(X, "gradcheck X")  # InputError naming the first row with NaN or ±inf, as Network.cost's
    finite_rows(Y, "gradcheck Y")
    return X, Y


def _real_array(values: Any, name: str) -> Array:
    """``values`` as a float64 array, or an InputError (a DataError) saying why it cannot be one
    (None, text, ragged rows, complex numbers: numpy would raise its own error or drop the
    imaginary part)."""
    return real_array(values, f"gradcheck {name}")


# --- batched cost evaluation -------------------------------------------------------------


#: The perturbed forward passes overflow quietly (weights of 1e308: "RuntimeWarning: overflow encountered in
#: matmul" on stderr, numpy's words, not the tool's): an inf or NaN cost they give is what the check reads and
#: words itself (an entry not finite next to θ, steps grown to move θ, ``unresolved`` with its reason)
#: (a fresh errstate at each call: numpy < 1.25 keeps one instance's saved state on the instance, so a shared
#: decorator nested in itself restored the inner state on the way out and left np.geterr() changed)
def _OVERFLOW_QUIET(f: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(f)
    def quiet(*args: Any, **kwargs: Any) -> Any:
        with np.errstate(over="ignore", invalid="ignore"):
            return f(*args, **kwargs)

    return quiet


def _flipped(z: Array, z0: Array) -> NDArray[np.bool_]:
    """Per copy: does any unit's mask z > 0 differ from the unperturbed z0? z (K, n, m)."""
    return ((z > 0) != (z0 > 0)).reshape(z.shape[0], -1).any(axis=1)


def _output_costs(base: _Base, z: Array) -> Array:
    """Mean cost of each copy from its output z^(L), shape (K, n, n_L) -> (K,)."""
    K, n, m = z.shape
    net = base.net
    z2 = z.reshape(K * n, m)
    Y = np.tile(base.Y, (K, 1))
    if base.fused is not None:  # same rule as Network.example_costs: exact from z
        c = base.fused.fn_z(z2, Y)
    else:
        c = net.cost_fn.fn(net.activations[-1].fn(z2), Y)
    return c.reshape(K, n).mean(axis=1)


@_OVERFLOW_QUIET
def _propagate(base: _Base, l: int, z: Array) -> tuple[Array, NDArray[np.bool_]]:
    """Costs and kink flips of K copies whose z^(l) is ``z`` (K, n, n_l), layers l..L."""
    net = base.net
    K, n = z.shape[:2]
    flips = np.zeros(K, dtype=bool)
    for m in range(l, net.L + 1):
        if base.kinked[m]:
            flips |= _flipped(z, base.z[m])
        if m == net.L:
            break
        a = net.activations[m - 1].fn(z.reshape(K * n, -1))  # eq. 1
        z = (a @ net.weights[m].T + net.biases[m]).reshape(K, n, -1)  # eq. 2, layer m+1
    return _output_costs(base, z), flips


@_OVERFLOW_QUIET
def _entry_costs(
    base: _Base, l: int, kind: str, flat: Index, steps: Array
) -> tuple[Array, NDArray[np.bool_]]:
    """Cost with entry ``flat[i]`` of w^(l) or b^(l) moved by ``steps[i]``; shapes (K,).

    A real forward pass of each perturbed copy from layer l on: row j of w^(l) (or
    b_j^(l)) is copied and moved, z_j^(l) recomputed from it (eq. 2), a^(l) is the
    cached one with column j replaced by σ(z_j^(l)), and every later layer is
    recomputed in full. Only the layers before l are reused.
    """
    net = base.net
    K = len(flat)
    n_prev = net.sizes[l - 1]
    j = flat // n_prev if kind == "w" else flat
    rows = np.arange(K)
    w_rows = net.weights[l - 1][j]  # (K, n_{l-1}): a copy of row j for each copy
    b_j = net.biases[l - 1][j]  # (K,)
    if kind == "w":
        w_rows[rows, flat % n_prev] += steps  # w_jk ← w_jk + step
    else:
        b_j = b_j + steps  # b_j ← b_j + step
    zj = w_rows @ base.a[l - 1].T + b_j[:, None]  # (K, n): eq. 2 for unit j with the moved row
    z_j = base.z[l][:, j].T
    flips = ((zj > 0) != (z_j > 0)).any(axis=1) if base.kinked[l] else np.zeros(K, bool)
    act = net.activations[l - 1]
    if l == net.L or act.prime is None:  # output layer (softmax is not element-wise): full z
        z = np.repeat(base.z[l][None], K, axis=0)
        z[rows, :, j] = zj
        costs, more = _propagate(base, l, z)
    else:
        a = np.repeat(base.a[l][None], K, axis=0)  # (K, n, n_l)
        a[rows, :, j] = act.fn(zj)  # eq. 1: only unit j's input moved
        # eq. 2 for layer l+1, recomputed: one product of K·n rows, as _propagate's, not K stacked ones
        # (stacked, K = 524 copies of 4 rows through a 1000-1000 layer took 200 ms, 53 ms as one)
        z = (a.reshape(K * base.n, -1) @ net.weights[l].T + net.biases[l]).reshape(K, base.n, -1)
        costs, more = _propagate(base, l + 1, z)
    if kind == "w" and net.l2:
        w = net.weights[l - 1].ravel()[flat]
        costs = costs + 0.5 * net.l2 * ((w + steps) ** 2 - w**2)  # change of (λ/2)||w||²
    return costs + base.penalty, flips | more


@_OVERFLOW_QUIET
def _direction_costs(
    base: _Base, l: int, kind: str, V: Array, steps: Array
) -> tuple[Array, NDArray[np.bool_]]:
    """Cost with the whole tensor moved by steps[i] · V[i]; V (K, *shape), steps (K,).

    z^(l) of each copy is recomputed from the moved tensor (eq. 2); later layers too.
    """
    net = base.net
    w, b = net.weights[l - 1], net.biases[l - 1]
    moved = (w if kind == "w" else b)[None] + steps.reshape(-1, *([1] * (V.ndim - 1))) * V
    if kind == "w":
        z = base.a[l - 1] @ moved.transpose(0, 2, 1) + b  # (K, n, n_l)
    else:
        z = (base.a[l - 1] @ w.T)[None] + moved[:, None, :]
    costs, flips = _propagate(base, l, z)
    if kind == "w" and net.l2:
        costs = costs + 0.5 * net.l2 * (np.einsum("kij,kij->k", moved, moved) - np.vdot(w, w))
    return costs + base.penalty, flips


def _chunk_size(base: _Base, l: int, per_copy: int = 0) -> int:
    width = max(base.net.sizes[l:])
    return max(1, CHUNK_ELEMENTS // (base.n * width + per_copy))


Evaluate = Callable[[Index, Array], tuple[Array, NDArray[np.bool_]]]
# bend(sel, steps): how far the tensor's rounding of item sel[i]'s move by ±steps[i] shifts its
# quotient, by backprop's gradient; NaN where the move is not the one asked for (directions)
Bend = Callable[[Index, Array], Array]


def _chunked(one: Evaluate, size: int) -> Evaluate:
    """``one`` applied to slices of at most ``size`` items, results concatenated."""

    def evaluate(sel: Index, steps: Array) -> tuple[Array, NDArray[np.bool_]]:
        if len(sel) == 0:
            return np.zeros(0), np.zeros(0, dtype=bool)
        parts = [one(sel[s : s + size], steps[s : s + size]) for s in range(0, len(sel), size)]
        return np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts])

    return evaluate


def _counted(base: _Base, one: Evaluate) -> Evaluate:
    """``one``, reporting each chunk's size to ``base.tally`` (progress) when set."""
    tally = base.tally
    if tally is None:
        return one

    def evaluate(sel: Index, steps: Array) -> tuple[Array, NDArray[np.bool_]]:
        out = one(sel, steps)
        tally.evaluated(len(sel))
        return out

    return evaluate


def _entry_evaluator(base: _Base, l: int, kind: str, flat: Index) -> Evaluate:
    """evaluate(sel, steps): costs and flips with entry flat[sel[i]] moved by steps[i]."""
    return _chunked(_counted(base, lambda sel, steps: _entry_costs(base, l, kind, flat[sel], steps)),
                    _chunk_size(base, l))


def _direction_evaluator(base: _Base, l: int, kind: str, V: Array) -> Evaluate:
    """evaluate(sel, steps): costs and flips with the tensor moved by steps[i] · V[sel[i]]."""
    return _chunked(lambda sel, steps: _direction_costs(base, l, kind, V[sel], steps),
                    _chunk_size(base, l, V[0].size))


ROUGH = 1e-3  # a direction's move rounded in the tensor by more than this, relative: not v's (_direction_bend)


def _direction_bend(base: _Base, l: int, kind: str, V: Array, g: Array,
                    supports: Sequence[Index] | None = None) -> Bend:
    """bend(sel, steps): for the tensor θ moved by ±h along v (h = steps[i], v = V[sel[i]]), how far
    the tensor's rounding of those moves shifts the quotient [C(θ + d+) − C(θ + d−)] / 2h from the
    one along v, by backprop's gradient ``g`` (flat): g·(d+ − d− − 2h·v) / 2h, where d± = fl(θ ± h·v)
    − θ are the moves made. Each quotient has it taken off (``_bent``): an entry's step is the one
    actually taken (``_steps``), a direction's divisor cannot be, and entries of 1e3 moved by
    h = 1e-10 are 5e-4 off, relative, 50× the default rtol: a correct backprop failed. What is left,
    a − n = (g − ∇C)·(d+ − d−) / 2h, is the check of the direction the tensor actually moved, as
    close to v as the bend is small. g's NaN or inf entries count 0 (such a gradient fails anyway).

    NaN (rough) where the tensor moved by more than ``ROUGH`` (relative) otherwise than 2h·v
    between the two: entries so large that the step is a few units in their last place (weights
    of 1e10 and a step of 1e-5: 20%), or none at all (both costs then equal: a quotient of 0 that
    two steps "agree" on). Such a step measures another direction than v, and mostly g's own
    values through the shift: it is no evidence on vᵀ∇C. ``supports``: where each v is not 0, if
    known (sorted; found otherwise)."""
    t = base.tensor(l, kind).ravel()
    flat = V.reshape(len(V), -1)
    # off its support v moves no entry (t ± 0 = t): only the support is read, a half, a quarter, …
    # of the tensor as bisection goes down (the whole tensor each time cost 1 s on 784-32-10); a
    # support of consecutive entries (bisection's halves are) as a slice, read without a copy
    on = [_consecutive(s) for s in supports] if supports is not None else [
        _consecutive(np.flatnonzero(row)) for row in flat]
    vv = [float(np.dot(flat[k, s], flat[k, s])) for k, s in enumerate(on)]  # ‖v‖²
    # scratch reused for every move: a fresh tensor-sized array each time cost more than the arithmetic
    buf = np.empty((3, max((flat[k, s].size for k, s in enumerate(on)), default=0)))

    def bend(sel: Index, steps: Array) -> Array:
        out = np.full(len(sel), np.nan)
        with np.errstate(invalid="ignore", over="ignore"):  # a step near 1e308: inf, rough
            for i, (k, h) in enumerate(zip(sel, steps)):
                s = on[k]
                tk, vk = t[s], flat[k, s]
                hv, off, scratch = buf[0, : vk.size], buf[1, : vk.size], buf[2, : vk.size]
                np.multiply(vk, h, out=hv)
                np.add(tk, hv, out=off)
                off -= np.subtract(tk, hv, out=scratch)  # the move made, d+ − d−
                hv *= 2.0
                off -= hv  # … less the one asked for, 2h·v
                # rough: ‖off‖ > ROUGH · ‖2h·v‖ (NaN or inf anywhere: rough; no support: 0, not rough),
                # by the squares where neither side under- or overflows, else by ``norm``
                off2, asked2 = float(np.dot(off, off)), 4.0 * h * h * vv[k]
                if 1e-280 < asked2 < 1e280 and off2 < 1e280:  # off2 may underflow: far below
                    if not off2 <= ROUGH * ROUGH * asked2:
                        continue
                elif not norm(off) <= ROUGH * norm(hv):
                    continue
                shift = float(np.dot(g[s], off))
                if not math.isfinite(shift):  # g's NaN or inf entries count 0
                    shift = float(np.dot(np.where(np.isfinite(g[s]), g[s], 0.0), off))
                out[i] = shift / (2.0 * h)
        return out

    return bend


def _consecutive(s: Index) -> slice | Index:
    """Sorted distinct indices ``s`` as a slice where they are consecutive (no copy to read them)."""
    if len(s) and s[-1] - s[0] + 1 == len(s):
        return slice(int(s[0]), int(s[-1]) + 1)
    return s


def _bent(n: Array, sel: Index, steps: Array, bend: Bend | None) -> tuple[Array, NDArray[np.bool_]]:
    """Quotients ``n`` of items ``sel`` at ``steps`` with the tensor's bend of each step taken off
    (``_direction_bend``), and which steps were rough (their quotient then NaN). No ``bend``
    (entries): ``n`` as it is, none rough."""
    if bend is None:
        return n, np.zeros(len(n), dtype=bool)
    shift = bend(sel, steps)  # finite, or NaN: n − shift warns of nothing
    return n - shift, np.isnan(shift)


# --- finite differences and verdicts -----------------------------------------------------


def _close(a: Array, n: Array, rtol: float, atol: float) -> NDArray[np.bool_]:
    """|a − n| ≤ atol + rtol · max(|a|, |n|), element-wise, both finite: NaN never passes, nor
    does an infinite value (|inf − n| ≤ rtol · inf holds: a backward's inf passed as close)."""
    with np.errstate(invalid="ignore", over="ignore"):
        return np.isfinite(a) & np.isfinite(n) & (np.abs(a - n) <= atol + rtol * np.maximum(np.abs(a), np.abs(n)))


def _rel_error(a: Array, n: Array) -> Array:
    """|a − n| / max(|a|, |n|), 0 where both are 0, NaN where either is NaN."""
    scale = np.maximum(np.abs(a), np.abs(n))
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        return np.where(scale == 0, 0.0, np.abs(a - n) / scale)


@dataclass
class _Checked:
    """Per-entry results of one tensor (or of a list of directions), as arrays (m,)."""

    flat: Index
    analytic: Array
    numeric: Array
    status: NDArray[np.str_]
    n_evaluations: int = 0
    crossed: NDArray[np.bool_] | None = None  # the central difference flipped a ReLU unit
    step: Array = field(default_factory=lambda: np.zeros(0))  # per item: the step of ``numeric``
    # the central difference at ε (before any re-check): its costs' rounding noise (``_noise``; under
    # atol "auto" at least the forward pass's, ``_Base.forward_noise``), and whether its step was grown to move θ at all (``_enlarged``); for the convergence sweep
    noise: Array = field(default_factory=lambda: np.zeros(0))
    grown: NDArray[np.bool_] = field(default_factory=lambda: np.zeros(0, dtype=bool))
    # the central difference at ε: how far the forward pass's rounding of a^(L) can move it (``_Base.fitted_noise``,
    # uncapped; 0 without it), for the convergence sweep
    output: Array = field(default_factory=lambda: np.zeros(0))
    # per item: why no step judges an ``unresolved`` one (``UNRESOLVED_REASONS``), else ""
    why: NDArray[np.str_] = field(default_factory=lambda: np.zeros(0, dtype="<U9"))
    # per item: passed at ε only on a cost that did not move there (``_unmoved``), so re-judged at other steps
    unmoved: NDArray[np.bool_] = field(default_factory=lambda: np.zeros(0, dtype=bool))
    # fast mode's located entries: False where bisection left a failing (or unjudged) half unfollowed (over
    # ``MAX_BRANCHES`` of a level), so failing entries may lie outside ``flat``; True where every half it did not
    # follow passed, which clears the entries outside ``flat``
    complete: bool = True
    # fast mode: True where bisection showed the direction's error spread (``_check_fast``): some group's error split
    # between its halves or its entries, none of them carrying it alone; a failing direction whose error bisection
    # locates on no entry is otherwise said not located, not spread (``_diagnose``)
    spread: bool = False
    # fast mode: each entry's unnormalized sign s_i in v (v = s/‖s‖), and the failing direction's error along s,
    # Σ_i s_i (a_i − n_i) over the whole tensor ((a − n)·‖s‖ of vᵀ∇C): how much of it the located entries carry
    # (``_located_share``); empty and NaN elsewhere
    along: Array = field(default_factory=lambda: np.zeros(0))
    whole: float = math.nan
    # fast mode: the error along s that the halves bisection measured and did not follow carry, each taken whole,
    # Σ over them of |Σ_i s_i (a_i − n_i)| (NaN where one was not judged): where it is within ``slack``, the located
    # entries carry the error, not a share that the others' errors, cancelling, leave them (``_made_up``)
    unfollowed: float = math.nan
    # fast mode: every entry's unnormalized sign s_i in v (``along`` is its located entries'), to weigh what a reading
    # of the located entries predicts for the whole direction (``_predicts``); empty elsewhere
    signs: Array = field(default_factory=lambda: np.zeros(0))
    # fast mode: the tolerance the failing direction was judged by, along s (as ``whole``); NaN elsewhere
    slack: float = math.nan

    def __post_init__(self) -> None:
        if len(self.step) != len(self.flat):
            self.step = np.full(len(self.flat), np.nan)  # NaN: the step ε asked for
        if len(self.why) != len(self.flat):
            self.why = np.full(len(self.flat), "", dtype="<U9")
        if len(self.unmoved) != len(self.flat):
            self.unmoved = np.zeros(len(self.flat), dtype=bool)
        if len(self.output) != len(self.flat):
            self.output = np.zeros(len(self.flat))


def _differences(
    evaluate: Evaluate,
    theta: Array,
    analytic: Array,
    base_cost: float,
    eps: float,
    rtol: float,
    atol: float,
    kinks: bool = True,
    exact_kinks: int = 0,
    resolve: bool = True,
    tally: _Tally | None = None,
    bend: Bend | None = None,
    forward: Callable[[Array, Array, Array, Array], Array] | None = None,
    floor: Array | None = None,
    output: Callable[..., Array] | None = None,
    rounded: Callable[[], Array] | None = None,
) -> _Checked:
    """Central differences for m items at values ``theta`` (m,), with kink handling
    (``exact_kinks``: see ``_Base.exact_kinks``) and, with ``resolve``, the failing items whose
    step ε is too large or too small for them re-judged at a step that suits them (``_resolve``).
    ``tally``: told of the evaluations beyond the two per item (progress). ``bend``: for
    directions, how the tensor's rounding shifts each quotient, and which steps do not move the
    tensor as asked (``_direction_bend``): taken off each quotient, at ε too where not rough (a
    rough step at ε is left as it is, and re-judged as bent). ``forward``: the forward pass's
    rounding of each quotient (``_Base.forward_noise``, atol "auto"), added to its tolerance and
    to its noise: within it, a difference is not resolved, so the item passes (on atol). ``floor``:
    each item's ``_Base.term_floor``, the forward pass's rounding of its terms: a failure that rounding
    can explain is ``unresolved``, not a verdict (``_swamped``). ``output``: the forward pass's rounding of
    a^(L) in each quotient, uncapped (``_Base.data_costs``): a failure within twice it, at ε or at the
    step that judged it (that step's own bound, two more evaluations), is ``unresolved`` too (``_fitted``).
    ``rounded``: each item's bound on backprop's own rounding (``_Base.analytic_rounding``), asked for only
    where an item fails: a failure within the tolerance plus ``ANALYTIC_ULPS`` of it is ``unresolved`` (``_fitted``)."""
    tally = tally or _Tally()
    m = len(theta)
    hp, hm = _steps(theta, np.full(m, eps))
    every = np.arange(m)
    cp, fp = evaluate(every, hp)
    cm, fm = evaluate(every, hm)
    with np.errstate(invalid="ignore", over="ignore"):  # a cost that overflows: NaN, diagnosed
        numeric = (cp - cm) / (hp - hm)
    fitted = output(cp, cm, hp, hm) if output is not None else np.zeros(m)
    if bend is not None:  # a direction's: its bend taken off where not rough
        unbent, rough = _bent(numeric, every, hp, bend)
        numeric = np.where(rough, numeric, unbent)
    status = np.where(_close(analytic, numeric, rtol, atol), "pass", "fail").astype("<U10")
    kink = fp | fm
    noise = _noise(np.fmax(np.abs(cp), np.abs(cm)), hp, hm)
    if forward is not None:
        fwd = forward(cp, cm, hp, hm)
        noise = np.fmax(noise, fwd)
        with np.errstate(invalid="ignore", over="ignore"):
            within = (status == "fail") & ~kink & np.isfinite(analytic) & (np.abs(analytic - numeric) <= atol + fwd)
        status[within] = "pass"
    out = _Checked(every, analytic, numeric.copy(), status, 2 * m, kink, noise=noise, grown=_enlarged(hp, hm, eps),
                   output=fitted)
    out.unmoved = _unmoved(out, _noise(np.fmax(np.abs(cp), np.abs(cm)), hp, hm), rtol, atol)
    if out.unmoved.any():  # a pass on no evidence: judged at the steps that move the cost, or not at all
        out.status[out.unmoved] = "fail" if resolve else "unresolved"
        out.why[out.unmoved] = "" if resolve else "flat"
    if kinks and kink.any():
        # (−3 C0 + 4 C1 − C2) / 2h: the three costs' rounding weighs 8/2 = 4 times the central one's
        _one_sided(evaluate, out, theta, np.flatnonzero(kink), (hp, cp, fp), (hm, cm, fm),
                   base_cost, rtol, atol, exact_kinks, tally, slack=4.0 * fwd if forward is not None else None)
    if resolve:  # at a kink too, where C is differentiable: the one-sided difference at ε can be as far off
        # (not a NaN or infinite analytic value: no step can make it right, nor unresolved)
        doubt = np.flatnonzero((out.status == "fail") & (~kink | (exact_kinks == 0)) & np.isfinite(analytic))
        if len(doubt):
            tally.again = True
            try:
                _resolve(evaluate, out, theta, doubt, eps, rtol, atol, (hp, cp, fp), (hm, cm, fm), tally,
                         bend)
            finally:
                tally.again = False
    if floor is not None:
        swamped = _swamped(out, floor, np.abs(hp - hm), np.fmax(np.abs(cp), np.abs(cm)), eps, rtol, atol)
        out.status[swamped] = "unresolved"
        out.why[swamped] = "terms"
    own = rounded() if rounded is not None and (out.status == "fail").any() else None
    if output is not None or own is not None:
        # the bound at the step that judged a doubtful item, where not ε: its own costs (the bound is flat in h
        # near a fit, where the step's quotients carry it; from ε's alone it would be scaled by ε/h)
        redo = np.flatnonzero((out.status == "fail") & np.isfinite(out.step) & (out.step != eps))
        at_step = out.output.copy()
        if len(redo) and output is not None:
            tally.expect(2 * len(redo))
            sp, sm = _steps(theta[redo], out.step[redo])
            c1p, _ = evaluate(redo, sp)
            c1m, _ = evaluate(redo, sm)
            out.n_evaluations += 2 * len(redo)
            at_step[redo] = output(c1p, c1m, sp, sm, redo)
        blurred = _fitted(out, numeric, at_step, kink, rtol, atol, own)
        out.status[blurred] = "unresolved"
        out.why[blurred] = "fitted"
    return out


def _unmoved(out: _Checked, rounding: Array, rtol: float, atol: float) -> NDArray[np.bool_]:
    """Per item of ``out``: a ``pass`` at ε that is no evidence? Its quotient is exactly 0 (the cost did
    not move at all) where the costs' ``rounding`` (``_noise``) exceeds both the tolerance and
    ``AUTO_ATOL_CAP``: the move at ε is below what the cost can show (C = 1e12, whose ulp is 1.2e-4:
    C(θ + ε) = C(θ − ε)), so an analytic 0 matched a cost that did not move, not a slope of 0 (a backward
    that left ∂C/∂θ = −2 at 0 passed). Such an item is re-judged at larger steps (``_resolve``), which can
    move the cost. A cost near 1 (rounding ~1e-10) that does not move at all bounds the slope below the
    default atol: such a 0 (an input 0 in every example) passes, at --atol 0 too. A quotient that moved,
    however little, fails an analytic 0 it is far from (and is re-judged) or is within atol of it."""
    a, n = out.analytic, out.numeric
    with np.errstate(invalid="ignore", over="ignore"):
        return ((out.status == "pass") & ~out.crossed & np.isfinite(a) & (n == 0) & (rounding > AUTO_ATOL_CAP)
                & (rounding > atol + rtol * np.abs(a)))


def _swamped(out: _Checked, floor: Array, dh: Array, costs: Array, eps: float, rtol: float,
             atol: float) -> NDArray[np.bool_]:
    """Per item of ``out``: a ``fail`` that the forward pass's rounding of its terms can explain, so no
    verdict? Each quotient (C(θ+h) − C(θ−h)) / (h+ − h−) carries up to q = ``TERM_ULPS`` · floor /
    |h+ − h−| of that rounding (``floor``: ``_Base.term_floor``; the step h its numeric value's, from
    ε's actual one ``dh``). Such a failure: |a − n| within the tolerance plus 2q, where that rounding
    exceeds the costs' own, ``NOISE_ULPS`` · u · |C(θ ± ε)| (``costs``), which the verdict and the
    step ladder already allow for. XOR with weights of 1e20, a linear hidden layer and a σ output:
    z^(2) sums w^(2) a^(1) terms of ±1e40 to ~0, rounded to ±3e23, a cost step no ε moves and
    the same at every step, so the quotients agreed (1.25e19) and a correct ∂C/∂b^(1) FAILED."""
    a, n = out.analytic, out.numeric
    with np.errstate(invalid="ignore", over="ignore", divide="ignore"):
        scale = np.where(np.isfinite(out.step), out.step / eps, 1.0)  # n's step, relative to ε
        q = _term_noise(floor, dh * scale, costs)
        within = np.abs(a - n) <= atol + rtol * np.maximum(np.abs(a), np.abs(n)) + 2.0 * q
    return (out.status == "fail") & np.isfinite(a) & np.isfinite(n) & within & (q > 0)


def _fitted(out: _Checked, at_eps: Array, at_step: Array, kink: NDArray[np.bool_], rtol: float,
            atol: float, own: Array | None = None) -> NDArray[np.bool_]:
    """Per item of ``out``: a ``fail`` that the forward pass's rounding of a^(L) can explain, so no verdict?
    ``out.output`` q (``_Base.fitted_noise``) bounds how far that rounding moves the quotient at ε and, as
    much, backprop's own value: a failure within the tolerance plus 2q of the value that judged it
    (``out.numeric``; at a step of the ladder, with that step's bound ``at_step``; one-sided at a kink, 4q, its
    three costs weighing 4 times the central two) and, judged at ε itself, of the quotient there (``at_eps``).
    A step of the ladder is chosen where ε's quotient is shown too inaccurate (truncation: a softplus net's
    1.6e-5 at ε = 1e-5 falls to 7.8e-8 at 3e-9, within a bound of 1.1e-5), so it alone counts there. A network fitted to its own outputs of 7e6
    (Y = net.predict(X)): backprop's a − y is exactly 0, so is its gradient, and the quotients hold ~1e-3 at
    every ε (the exact residual, a few ulps of a): no float64 evaluation resolves the gradient, and a
    correct backprop FAILED. ``own``: backprop's own rounding of each value (``_Base.analytic_rounding``),
    ``ANALYTIC_ULPS`` of it allowed beside 2q, fitted or not: a regression on Unix times (terms of 3.4e10,
    outputs of 100) rounds a to ~1e-5, so a correct gradient at a residual of 1e-2 was off by ~1e-5 of
    itself, and FAILED."""
    a, n, q = out.analytic, out.numeric, out.output
    r = np.zeros(len(a)) if own is None else ANALYTIC_ULPS * own
    with np.errstate(invalid="ignore", over="ignore", divide="ignore"):
        stepped = np.isfinite(out.step)
        bound = np.where(stepped, at_step, np.where(kink, 4.0 * q, q))

        def within(x: Array, b: Array) -> NDArray[np.bool_]:
            return np.abs(a - x) <= atol + rtol * np.maximum(np.abs(a), np.abs(x)) + 2.0 * b + r

        ok = within(n, bound) & (stepped | kink | within(at_eps, q))
    return (out.status == "fail") & np.isfinite(a) & np.isfinite(n) & ok & ((q > 0) | (r > 0))


def _term_noise(floor: Array, dh: Array, costs: Array | float) -> Array:
    """How far the forward pass's rounding of its terms (``floor``, ``_Base.term_floor``) can move a
    quotient of step |h+ − h−| = ``dh``, ``TERM_ULPS`` · floor / dh, where it exceeds the costs'
    own rounding, ``NOISE_ULPS`` · u · |C| (``costs``: the costs at θ ± h), which the verdicts
    already allow for; else 0 (a network of weights near 1: no change there)."""
    u = float(np.finfo(np.float64).eps)
    with np.errstate(invalid="ignore", over="ignore", divide="ignore"):
        beyond = TERM_ULPS * floor > NOISE_ULPS * u * np.abs(costs)
        return np.where(beyond, TERM_ULPS * floor / dh, 0.0)


def _steps(theta: Array, step: Array) -> tuple[Array, Array]:
    """The steps actually taken, fl(θ + h) − θ and fl(θ − h) − θ, for the intended steps h.
    Where θ ± h rounds back to θ (|θ| ≳ 1e11 for h = 1e-5) the step is h relative to θ
    instead (at least one unit in the last place), not 0/0."""
    step = step.copy()
    stuck = theta + step == theta - step
    if stuck.any():
        big = np.abs(theta[stuck])
        step[stuck] = np.maximum(step[stuck] * big, np.spacing(big))
    return (theta + step) - theta, (theta - step) - theta


def _enlarged(hp: Array, hm: Array, h: float) -> NDArray[np.bool_]:
    """Were the steps of an intended ±h grown by ``_steps`` (θ ± h rounded back to θ)? Rounding
    alone keeps |h+ − h−| within 2h + 2 ulp(θ) < 6h; a grown step is h · |θ| or an ulp of θ."""
    return np.abs(hp - hm) > 8.0 * h


def _noise(costs: Array, hp: Array, hm: Array, ulps: float = NOISE_ULPS) -> Array:
    """How far rounding of the two costs alone can move their difference quotient:
    ``ulps`` · u · max(|C(θ + h)|, |C(θ − h)|) / |h+ − h−| (16 u, as ``explain`` allows for)."""
    with np.errstate(invalid="ignore", over="ignore", divide="ignore"):
        return ulps * np.finfo(np.float64).eps * costs / np.abs(hp - hm)


def _resolve(
    evaluate: Evaluate, out: _Checked, theta: Array, idx: Index, eps: float, rtol: float, atol: float,
    plus: tuple[Array, Array, NDArray[np.bool_]], minus: tuple[Array, Array, NDArray[np.bool_]],
    tally: _Tally, bend: Bend | None = None,
) -> None:
    """Re-judge items ``idx``, which fail at ε, where the difference quotient itself is shown to
    be too inaccurate at ε to judge them: a step too large for the parameter (truncation, the
    third-derivative term C‴·ε²/6: large inputs, large weights downstream) or too small for the
    cost (rounding, ~u·|C|/ε: a cost of 1e12, or a θ so large that ε is a few units in its last
    place). ``plus``/``minus``: (steps, costs, flips) of the central difference at ε, all items.

    First, for each item, an estimate of the numeric value's own error at ε: the largest of the
    cost's rounding noise (``_noise``), |n(ε) − n(3ε)| and |n(ε) − n(ε/3)| (together above the
    truncation error of n(ε), also far from the ε² regime, and carrying its rounding scatter: not
    2ε and ε/2, whose steps keep ε's mantissa and so can round the forward pass as ε does).
    An item where that estimate is at most half the tolerance of n keeps its ``fail``: its
    numeric value is good enough to judge it (a wrong gradient, as a rule).

    The others (and the items at a kink that failed one-sided) are differenced on the ladder of
    steps ``LADDER`` · ε (kink-crossing or non-finite rungs left out; steps above ε only where
    the cost's rounding at ε is a quarter of the tolerance or more: a saturating σ makes the
    quotients of large steps agree falsely, near 0). An adjacent pair of rungs whose quotients
    agree, counting the cost's rounding at the smaller step (``LADDER_ULPS``; two quotients of
    costs that do not change at all agree, at 0), marks where neither truncation nor rounding
    dominates: the pair nearest ε whose disagreement e* is within half the tolerance, else the
    pair that agrees best; n* is the quotient at its smaller step. Where e* is at most half the
    tolerance of n*, the item is judged against n*: ``step-ok`` or ``fail``, its ``numeric``
    then n* and its ``step`` that rung's. Where no pair gets that close, it is ``unresolved``
    (not judged) unless a lies outside the range of every usable rung's quotient by more than
    its tolerance and 2 e* (then ``fail``; e* not from rungs below the smallest step that moved
    the cost at all, whose 0s agree whatever the slope), and further still on the side the smallest steps'
    quotients head for (``_heading``: on a near-step, any distance); where no rung is usable for an item whose step
    crossed a kink (each crosses one), the ``fail`` of its one-sided difference at ε stands.
    Never judged against the analytic value: the step is chosen by the numeric values alone.

    No evaluation is made that cannot change that answer (``_LOOK_AGAIN`` and ``_ladder``): an
    item already in doubt (its error estimate above the bound: it only grows) skips the rest of
    the first look; the rung at ε is the central difference's own; the rungs above ε are left
    out where they do not count; and the ladder is climbed outwards from ε, pair by pair in the
    order of preference, each item stopping at its first agreeing pair, which is then the
    nearest. Only unresolved items take every rung."""
    hp, cp, fp = (x[idx] for x in plus)
    hm, cm, fm = (x[idx] for x in minus)
    below, above = _AT_EPS, len(LADDER) - 1 - _AT_EPS  # rungs below and above ε
    tally.expect(len(idx) * (2 * len(_LOOK_AGAIN) + 2 * (below + above)), entries=len(idx))
    costs = np.fmax(np.abs(cp), np.abs(cm))
    rounding = _noise(costs, hp, hm)
    doubt = _in_doubt(evaluate, out, theta, idx, eps, rtol, atol, rounding, tally, bend)
    # a step grown to move θ at all (|θ| ≳ 1e11) is no smaller at 2ε or ε/2: their quotients
    # agree whatever the curvature, so they cannot show that n(ε) is good (weights of 1e155);
    # nor does a direction's step that the tensor's rounding bent (``_direction_bend``)
    grown = _enlarged(hp, hm, eps)
    with np.errstate(invalid="ignore", over="ignore", divide="ignore"):
        at_eps = (cp - cm) / (hp - hm)  # the rung of ε itself: the central difference's own costs
    at_eps, bent = _bent(at_eps, idx, hp, bend)
    stuck = grown | bent
    doubt |= stuck
    n = out.numeric[idx]
    with np.errstate(invalid="ignore"):  # larger steps only against rounding: where they are not needed,
        up = ~(rounding <= 0.25 * (atol + rtol * np.abs(n)))  # a saturating σ gives a false plateau (n ≈ 0)
    # a cost that did not move at all at ε, where backprop says it should: the forward pass may round
    # the move away (σ at z = 25 behind a weight of 1e4): its 0s at ε/3, ε, 3ε agree falsely, so look again
    # at every step, larger ones too, and let the steps that move it say (``_quantized``)
    still = (n == 0) & (out.analytic[idx] != 0) & ~stuck
    doubt |= still
    up |= still
    # what the first look settled needs no ladder, and an item not ``up`` no rung above ε
    tally.expect(-2 * (below + above) * int(np.count_nonzero(~doubt)) - 2 * above * int(np.count_nonzero(doubt & ~up)))
    if not doubt.any():
        return
    at_eps[fp | fm | (hp == hm) | stuck] = np.nan
    idx, up = idx[doubt], up[doubt]
    N, noise = _ladder(evaluate, out, theta, idx, eps, rtol, atol, up,
                       (at_eps[doubt], _noise(costs, hp, hm, LADDER_ULPS)[doubt]), tally, stuck[doubt], bend)
    _judge(out, idx, N, noise, up, eps, rtol, atol)
    # a kink's one-sided fail that no rung overturned stands, but not where its steps were grown to move θ
    # at all (ReLU behind weights of 1e20: a step of 1e15 flips units as far as z = −0.2): no evidence either
    out.status[idx[(out.status[idx] == "fail") & np.isnan(out.step[idx]) & grown[doubt]]] = "unresolved"
    left = out.status[idx] == "unresolved"
    out.why[idx[left]] = _why_unresolved(N[:, left], noise[:, left], up[left], grown[doubt][left], bent[doubt][left])


def _in_doubt(
    evaluate: Evaluate, out: _Checked, theta: Array, idx: Index, eps: float, rtol: float, atol: float,
    rounding: Array, tally: _Tally, bend: Bend | None = None,
) -> NDArray[np.bool_]:
    """``_resolve``'s first look: for items ``idx``, is n(ε) too inaccurate to judge them? Its error
    estimate, the largest of the costs' ``rounding`` and |n(ε) − n(fε)| for f in ``_LOOK_AGAIN``
    (inf where that step crosses a kink), above half the tolerance of n(ε) (NaN: in doubt). The
    estimate only grows, so an item already above stops looking (``tally``: 2 evaluations fewer)."""
    n = out.numeric[idx]
    err = rounding.copy()
    with np.errstate(invalid="ignore", over="ignore"):
        bound = 0.5 * (atol + rtol * np.abs(n))
    for factor in _LOOK_AGAIN:
        with np.errstate(invalid="ignore"):  # in doubt for good (NaN bound: in doubt whatever err is)
            todo = np.flatnonzero(~(np.isnan(bound) | (err > bound)))
        tally.expect(-2 * (len(idx) - len(todo)))
        if len(todo) == 0:
            continue
        hp, hm = _steps(theta[idx[todo]], np.full(len(todo), factor * eps))
        cp, fp = evaluate(idx[todo], hp)
        cm, fm = evaluate(idx[todo], hm)
        out.n_evaluations += 2 * len(todo)
        with np.errstate(invalid="ignore", over="ignore", divide="ignore"):
            q, rough = _bent((cp - cm) / (hp - hm), idx[todo], hp, bend)
            e2 = np.fmax(err[todo], np.abs(n[todo] - q))
        e2[fp | fm] = np.inf  # a step that crosses a kink says nothing of n(ε)'s error
        e2[rough] = np.inf  # nor does a direction's step bent by the tensor's rounding
        err[todo] = e2
    with np.errstate(invalid="ignore", over="ignore"):
        return ~(err <= bound)  # NaN: in doubt


def _judge(out: _Checked, idx: Index, N: Array, noise: Array, up: NDArray[np.bool_], eps: float,
           rtol: float, atol: float) -> None:
    """``_resolve``'s verdict on items ``idx`` from their quotients ``N`` at the steps ``LADDER`` · ε
    and those quotients' rounding ``noise`` (both (rungs, m), NaN where not usable or not needed),
    ``up``: whether the rungs above ε count for the item. Sets status, numeric and step."""
    a = out.analytic[idx]
    noise = _quantized(N, noise, eps, up)
    with np.errstate(invalid="ignore", over="ignore"):
        spread = _spread(N, noise, up)
        ok = spread <= 0.5 * (atol + rtol * np.abs(N[:-1]))
        # the resolved pair nearest ε (the smaller step on a tie), else the best agreeing one
        nearest = np.argmin(np.where(ok, _PAIR_DISTANCE[:, None], np.inf), axis=0)
    best = np.where(ok.any(axis=0), nearest, np.argmin(spread, axis=0))
    cols = np.arange(len(idx))
    e_star, n_star = spread[best, cols], N[best, cols]
    found = np.isfinite(e_star)
    with np.errstate(invalid="ignore", over="ignore"):
        resolved = ok[best, cols]
        # unresolved, but no usable step's quotient comes near a (a saturating σ makes the quotients
        # of large steps agree falsely near 0, so one pair's agreement is no evidence)
        rungs = np.arange(len(LADDER))[:, None]
        usable = np.isfinite(N) & ((rungs <= _AT_EPS) | up[None, :])
        # steps below the smallest that moved the cost at all, where a larger one did: costs that do
        # not change there are no evidence of a slope of 0 but of a move the forward pass rounded
        # away (σ(h) = ½ to an ulp, or C = 1e12 moved by less than its ulp): two such rungs "agree" on 0
        # whatever the slope, so their pairs (and the one up to the first rung that moved) do not bound
        # how far the slope may lie, nor do their 0s widen the range of the quotients a is held to
        moved = np.where((usable & (N != 0)).any(axis=0), np.argmax(usable & (N != 0), axis=0), 0)
        swallowed = (N == 0) & (rungs < moved[None, :])
        lo = np.min(np.where(usable & ~swallowed, N, np.inf), axis=0)
        hi = np.max(np.where(usable & ~swallowed, N, -np.inf), axis=0)
        e_far = np.min(np.where(swallowed[:-1] | swallowed[1:], np.inf, spread), axis=0)
        tol = atol + rtol * np.maximum(np.abs(a), np.fmax(np.abs(lo), np.abs(hi))) + 2.0 * np.fmax(e_star, e_far)
        tol += _heading(a, N, noise)
        far = (a < lo - tol) | (a > hi + tol)
        # a cost that no usable step moves by more than its rounding (every quotient within its ``noise``, ~u·|C|/h,
        # of 0; exactly 0 where the cost did not move at all): |slope| is at most |n| + that rounding at any step h,
        # least at the largest; where a, give or take that bound, is within a's tolerance, every slope it allows
        # passes a (a dead ReLU unit's 0 on a cost of 6e5: no pair agrees to half the tolerance, but h = ε·1e4
        # bounds the slope to 2e-9 < atol). A wrong 0 on such a cost is not so: the large steps move it (−2 ≫ 2e-3)
        still = usable.any(axis=0) & np.all(~usable | (np.abs(N) <= noise), axis=0) & ~resolved
        bound = np.where(usable, np.abs(N) + noise, np.inf)
        tightest = np.argmin(bound, axis=0)
        settled = still & (np.abs(a) + bound[tightest, cols] <= atol + rtol * np.abs(a))
    close = _close(a, n_star, rtol, atol)
    at_kink = out.crossed[idx] if out.crossed is not None else np.zeros(len(idx), bool)
    out.status[idx] = np.where(resolved, np.where(close, "step-ok", "fail"),
                               np.where((~found & at_kink) | (found & far), "fail",
                                        np.where(settled, "step-ok", "unresolved")))
    out.numeric[idx[found]] = n_star[found]
    out.step[idx[found]] = LADDER[best[found]] * eps
    out.numeric[idx[settled]] = N[tightest[settled], cols[settled]]
    out.step[idx[settled]] = LADDER[tightest[settled]] * eps


def _heading(a: Array, N: Array, noise: Array) -> Array:
    """How much further than the smallest steps' quotient the slope may lie in the direction of
    ``a``, for ``_judge``'s ``far`` (0 where the quotients do not head for ``a``). N, noise (rungs,
    m) as in ``_judge``; only the rungs up to ε are read, the three smallest usable ones: n0 (the
    smallest step), n1, n2. Where n1 → n0 moves towards a by more than the two costs' rounding,
    the slope at θ lies beyond n0 on a's side: by about |n0 − n1| more where the moves shrink
    (|n0 − n1| ≤ ½|n1 − n2|, as a quotient converging to the slope does, ∝ h²), and by any amount
    where they grow instead (n2 → n1 → n0 one way, |n0 − n1| ≥ |n1 − n2|): a cost that changes by
    the same amount at every step (a near-step: weights of 1e155 behind a bias, where a move of
    1e-155 saturates σ) gives quotients ∝ 1/h, as large as the step is small, and however far a
    lies beyond them, they cannot say it is wrong (inf). Moves that do neither (rounding's scatter)
    allow |n0 − n1| too, not any amount."""
    m = N.shape[1]
    small = np.isfinite(N[: _AT_EPS + 1])
    # the three smallest usable rungs per item (an index past the end where an item has fewer)
    order = np.argsort(~small, axis=0, kind="stable")[:3]
    have = np.take_along_axis(small, order, axis=0)
    if len(order) < 3:  # a ladder too short to hold three rungs up to ε
        return np.zeros(m)
    cols = np.arange(m)
    n0, n1, n2 = (np.where(have[k], N[order[k], cols], np.nan) for k in range(3))
    r0, r1 = (np.where(have[k], noise[order[k], cols], np.nan) for k in range(2))
    with np.errstate(invalid="ignore", over="ignore"):
        d0, d1 = n0 - n1, n1 - n2
        towards = (d0 * (a - n0) > 0) & (np.abs(d0) > r0 + r1)
        growing = (d0 * d1 > 0) & (np.abs(d0) >= np.abs(d1))  # NaN (no n2): not shown to grow
        return np.where(towards, np.where(growing, np.inf, np.abs(d0)), 0.0)


def _why_unresolved(N: Array, noise: Array, up: NDArray[np.bool_], grown: NDArray[np.bool_],
                    bent: NDArray[np.bool_]) -> NDArray[np.str_]:
    """Why no step judges the items ``_judge`` left ``unresolved``: the first of
    ``UNRESOLVED_REASONS`` that holds for each. N, noise (rungs, m) and ``up`` as in ``_judge``;
    ``grown``: the step at ε had to be grown to move θ (``_enlarged``); ``bent``: a direction's step
    at ε bent by the tensor's rounding (``_direction_bend``). As the sweep's ``_cannot_judge``
    tells its entries apart: quotients within the costs' rounding (16 ulps, ``NOISE_ULPS``) of 0 at
    every usable step; cost changes |n|·h within a factor of 3 of each other at ε and the two steps
    below it (a change that does not shrink with the step: smaller steps may still follow the slope,
    as behind weights of 1e10, but never to the tolerance, or the item would not be unresolved)."""
    rungs = np.arange(len(LADDER))[:, None]
    usable = np.isfinite(N) & ((rungs <= _AT_EPS) | up[None, :])
    with np.errstate(invalid="ignore", over="ignore"):
        flat = np.all(~usable | (np.abs(N) <= NOISE_ULPS / LADDER_ULPS * noise), axis=0)
        # ε and the two steps below it move the cost by the same amount (within 3×), however far the
        # smaller steps go on doing so: quotients ∝ 1/h there (smaller steps may follow the slope again)
        below = np.abs(N[_AT_EPS - 2 : _AT_EPS + 1]) * LADDER[_AT_EPS - 2 : _AT_EPS + 1, None]
        moved = np.all(usable[_AT_EPS - 2 : _AT_EPS + 1] & (below > 0), axis=0)
        near = moved & (np.max(below, axis=0) <= 3.0 * np.min(below, axis=0))
    none = ~usable.any(axis=0)
    rounded = _quantum(N, up, 1.0) > 0
    return np.select([grown, bent, none, flat, near, rounded],
                     ["grown", "bent", "unusable", "flat", "near-step", "rounded"], "disagree").astype("<U9")


# × ε: the steps whose quotients say whether ε suits an entry (``_resolve``); not 2 and ½, which keep
# ε's mantissa: σ(ε) and σ(2ε) round alike, so a forward pass's rounding can look like agreement
_LOOK_AGAIN = (3.0, 1.0 / 3.0)
_AT_EPS = int(np.argmin(np.abs(np.log(LADDER))))  # the rung of ε itself, LADDER[_AT_EPS] = 1
_PAIR = np.arange(len(LADDER) - 1)  # pair p: rungs p and p + 1
# how far pair p is from ε, in half-decades: the pair below ε first on a tie (the smaller step)
_PAIR_DISTANCE = np.abs(_PAIR + 0.5 - _AT_EPS) + 1e-3 * (_PAIR >= _AT_EPS)


def _quantum(N: Array, up: NDArray[np.bool_], eps: float) -> Array:
    """Per item, the cost change q = |n|·2h the forward pass rounded away (see ``_quantized``), 0 where
    the rungs next to ε show none."""
    rungs = [r for r in (_AT_EPS - 1, _AT_EPS, _AT_EPS + 1) if 0 <= r < N.shape[0]]
    q = np.zeros(N.shape[1])
    with np.errstate(invalid="ignore", over="ignore"):
        zero_below = np.zeros(N.shape[1], dtype=bool)
        for r in rungs:
            counts = np.isfinite(N[r]) & (up if r > _AT_EPS else True)
            moved = counts & (N[r] != 0) & zero_below & (q == 0)
            q[moved] = np.abs(N[r][moved]) * 2.0 * LADDER[r] * eps
            zero_below |= counts & (N[r] == 0)
    return q


def _quantized(N: Array, noise: Array, eps: float, up: NDArray[np.bool_]) -> Array:
    """``noise`` (rungs, m) raised where the forward pass moves the cost in quanta: an item whose cost
    does not move at all (quotient exactly 0) at ε/√10 or ε, but does at the next step up (ε or
    √10·ε, the latter where ``up``), had a change of up to q = |n|·2h rounded away (n, h: that
    step's quotient and step), so every quotient carries up to q/h of it (σ(25) is 1 − 1.4e-11, kept
    to an ulp of 1, 1.1e-16, and a weight of 1e4 downstream makes that 1.1e-12 of cost: quotients at
    1e-3 off by 1e-9, which agreed by chance to 5e-11 and failed a correct gradient). Only the three
    rungs next to ε are read, which ``_ladder`` takes before it lets any item stop. Others: as given."""
    q = _quantum(N, up, eps)
    if not (q > 0).any():
        return noise
    with np.errstate(invalid="ignore", over="ignore"):
        return np.where((q > 0)[None, :], np.fmax(noise, q[None, :] / (LADDER[:, None] * eps)), noise)


def _spread(N: Array, noise: Array, up: NDArray[np.bool_]) -> Array:
    """How far the quotients of each pair of adjacent rungs disagree, at least the rounding of the
    smaller step's costs; inf where a rung is missing (NaN: crossed a kink, not finite, or not
    evaluated) and, for items not ``up``, for the pairs above ε. N, noise (rungs, m), up (m,)."""
    spread = np.abs(np.diff(N, axis=0))
    spread = np.where(np.isfinite(spread), np.fmax(spread, noise[:-1]), np.inf)
    spread[(_PAIR[:, None] >= _AT_EPS) & ~up[None, :]] = np.inf  # above ε: only against rounding
    return spread


def _ladder(
    evaluate: Evaluate, out: _Checked, theta: Array, idx: Index, eps: float, rtol: float, atol: float,
    up: NDArray[np.bool_], at_eps: tuple[Array, Array], tally: _Tally, stuck: NDArray[np.bool_] | None = None,
    bend: Bend | None = None,
) -> tuple[Array, Array]:
    """The quotients of items ``idx`` at the steps ``LADDER`` · ε, and the rounding noise of each
    (both (rungs, m); NaN where a rung was not needed), for ``_resolve``. ``at_eps``: the quotient
    and noise at ε itself, already known. The rungs are taken outwards from ε in the order
    ``_resolve`` prefers their pairs (ε·10^−½, ε·10^½, ε·10^−1, …; above ε only for items ``up``),
    and an item stops at its first pair that agrees: any pair still to come is further from ε.
    Items that never agree take every rung (``_resolve`` then needs them all). ``stuck``: items
    whose step at ε was grown to move θ (``_enlarged``); their rungs grown too are left out, as
    are the rungs ``bend`` says the tensor's rounding bent (directions; the others' quotients have
    their bend taken off)."""
    m = len(idx)
    stuck = np.zeros(m, dtype=bool) if stuck is None else stuck
    N, noise = np.full((len(LADDER), m), np.nan), np.full((len(LADDER), m), np.nan)
    N[_AT_EPS], noise[_AT_EPS] = at_eps
    below, above = _AT_EPS, len(LADDER) - 1 - _AT_EPS
    open_ = np.ones(m, dtype=bool)  # no agreeing pair yet
    taken = np.zeros((2, m), dtype=np.intp)  # rungs taken below and above ε, per item
    have = np.zeros((len(LADDER), m), dtype=bool)

    def take(side: int, rung: int, sel: Index) -> None:
        hp, hm = _steps(theta[idx[sel]], np.full(len(sel), LADDER[rung] * eps))
        cp, fp = evaluate(idx[sel], hp)
        cm, fm = evaluate(idx[sel], hm)
        out.n_evaluations += 2 * len(sel)
        taken[side, sel] += 1
        have[rung, sel] = True
        with np.errstate(invalid="ignore", over="ignore", divide="ignore"):
            n_k, _ = _bent((cp - cm) / (hp - hm), idx[sel], hp, bend)  # rough: NaN
        n_k[fp | fm | (hp == hm) | (stuck[sel] & _enlarged(hp, hm, LADDER[rung] * eps))] = np.nan
        N[rung, sel] = n_k
        noise[rung, sel] = _noise(np.fmax(np.abs(cp), np.abs(cm)), hp, hm, LADDER_ULPS)

    # the rungs next to ε on both sides before any item stops: ``_quantized`` reads them
    for side, rung, who in ((0, _AT_EPS - 1, open_), (1, _AT_EPS + 1, up)):
        if 0 <= rung < len(LADDER) and who.any():
            take(side, rung, np.flatnonzero(who))
    for k in range(1, max(below, above) + 1):
        # the pair completed below ε, then the one above (further from ε by the tie-break alone)
        for side, rung, pair, who in ((0, _AT_EPS - k, _AT_EPS - k, open_),
                                      (1, _AT_EPS + k, _AT_EPS + k - 1, open_ & up)):
            sel = np.flatnonzero(who)
            if not 0 <= rung < len(LADDER) or len(sel) == 0:
                continue
            need = sel[~have[rung, sel]]
            if len(need):
                take(side, rung, need)
            with np.errstate(invalid="ignore", over="ignore"):  # as ``_judge``'s ``ok``
                spread = _spread(N[:, sel], _quantized(N[:, sel], noise[:, sel], eps, up[sel]), up[sel])[pair]
                agree = spread <= 0.5 * (atol + rtol * np.abs(N[pair, sel]))
            done = sel[agree]
            open_[done] = False
            left = (below - taken[0, done]) + np.where(up[done], above - taken[1, done], 0)
            tally.expect(-2 * int(left.sum()))
    return N, noise


def _one_sided(
    evaluate: Evaluate,
    out: _Checked,
    theta: Array,
    idx: Index,
    plus: tuple[Array, Array, NDArray[np.bool_]],
    minus: tuple[Array, Array, NDArray[np.bool_]],
    base_cost: float,
    rtol: float,
    atol: float,
    exact_kinks: int,
    tally: _Tally,
    slack: Array | None = None,
) -> None:
    """Re-check the kink items ``idx`` on their smooth side, from θ, θ + h1, θ + h2.
    ``slack``: each item's added tolerance (all items; the forward pass's rounding of the
    one-sided formula's three costs under atol "auto"), or None.

    ``plus``/``minus`` hold (steps, costs, flips) of the central difference. The
    smooth side is the one whose step flips no unit (the plus side first); there
    f'(θ) ≈ −(h1+h2)/(h1 h2) C0 + h2/(h1 (h2−h1)) C1 − h1/(h2 (h2−h1)) C2, second
    order like the central difference (h2 = 2 h1: (−3 C0 + 4 C1 − C2) / 2h1).

    Agreeing: ``kink-ok``. Disagreeing, with no z exactly 0 at θ (``exact_kinks`` 0): C
    is differentiable there, its derivative is the smooth side's slope, so ``fail``.
    With exactly one z exactly 0, any convention for R'(0) gives a value between the two
    sides' slopes: the other side's is estimated the same way, and the entry fails when
    backprop's value lies outside their range (with the tolerance). With more, a
    convention can land outside it (two examples at 0 moving opposite ways): ``kink``.
    """
    out.status[idx] = "kink"
    use_plus = ~plus[2][idx]
    has_side = use_plus | ~minus[2][idx]
    idx, use_plus = idx[has_side], use_plus[has_side]
    if len(idx) == 0:
        return
    est, smooth = _one_side(evaluate, out, theta, idx, use_plus, plus, minus, base_cost, tally)
    out.numeric[idx[smooth]] = est[smooth]
    if slack is not None:
        atol = atol + slack[idx]  # type: ignore[assignment]  # per item from here on
    ok = smooth & _close(out.analytic[idx], est, rtol, atol)
    out.status[idx[ok]] = "kink-ok"
    odd = smooth & ~ok
    if not odd.any() or exact_kinks > 1:
        return
    if exact_kinks == 0:
        out.status[idx[odd]] = "fail"
        return
    idx, est, use_plus = idx[odd], est[odd], use_plus[odd]
    if slack is not None:
        atol = atol[odd]  # type: ignore[index]
    other, _ = _one_side(evaluate, out, theta, idx, ~use_plus, plus, minus, base_cost, tally)
    a = out.analytic[idx]
    lo, hi = np.minimum(est, other), np.maximum(est, other)
    tol = atol + rtol * np.maximum(np.abs(a), np.maximum(np.abs(lo), np.abs(hi)))
    outside = (a < lo - tol) | (a > hi + tol)  # NaN in ``other`` leaves it a kink
    out.status[idx[outside]] = "fail"


@_OVERFLOW_QUIET
def _one_side(
    evaluate: Evaluate,
    out: _Checked,
    theta: Array,
    idx: Index,
    use_plus: NDArray[np.bool_],
    plus: tuple[Array, Array, NDArray[np.bool_]],
    minus: tuple[Array, Array, NDArray[np.bool_]],
    base_cost: float,
    tally: _Tally,
) -> tuple[Array, NDArray[np.bool_]]:
    """The one-sided second-order slopes of items ``idx`` on the plus side (``use_plus``) or
    the minus side, and whether the step to θ + 2 h1 (h1 the central difference's step on
    that side) flips no unit (one cost evaluation each)."""
    h1 = np.where(use_plus, plus[0][idx], minus[0][idx])
    c1 = np.where(use_plus, plus[1][idx], minus[1][idx])
    t2 = theta[idx] + 2.0 * h1
    h2 = t2 - theta[idx]
    tally.expect(len(idx))
    c2, f2 = evaluate(idx, h2)
    out.n_evaluations += len(idx)
    est = (-(h1 + h2) / (h1 * h2) * base_cost + h2 / (h1 * (h2 - h1)) * c1
           - h1 / (h2 * (h2 - h1)) * c2)
    return est, ~f2


# --- checking one tensor -------------------------------------------------------------------


def _select(mode: str, size: int, params: int, rng: np.random.Generator) -> Index:
    """Flat indices of the entries to check: all (full) or ``params`` random ones (sample)."""
    if mode == "sample" and params < size:
        return np.sort(rng.choice(size, size=params, replace=False)).astype(np.intp)
    return np.arange(size, dtype=np.intp)


def _check_entries(
    base: _Base, l: int, kind: str, grad: Array, flat: Index, eps: float, rtol: float, atol: float,
    kinks: bool = True, resolve: bool = True,
) -> _Checked:
    """Central differences for the entries ``flat`` of w^(l) or b^(l); grad is ∂C/∂ that tensor."""
    theta = base.tensor(l, kind).ravel()[flat]
    chk = _differences(_entry_evaluator(base, l, kind, flat), theta, grad.ravel()[flat], base.cost,
                       eps, rtol, atol, kinks, base.exact_kinks(l), resolve and base.adapt_step, base.tally,
                       forward=base.forward_noise if base.forward_rounding else None,
                       floor=base.term_floor(l, kind, flat),
                       output=base.data_costs(l, kind, theta) if base.fitted else None,
                       rounded=lambda: base.analytic_floor(l, kind, flat))
    chk.flat = flat
    return chk


def _directions(
    base: _Base, l: int, kind: str, supports: list[Index], signs: Array, g: Array,
    eps: float, rtol: float, atol: float,
) -> _Checked:
    """Directional checks, one per support: v = signs on the support / ‖signs on the support‖."""
    shape = base.tensor(l, kind).shape
    V = np.zeros((len(supports), g.size))
    for i, s in enumerate(supports):
        V[i, s] = signs[s] / math.sqrt(float(np.dot(signs[s], signs[s])))
    with np.errstate(over="ignore", invalid="ignore"):  # vᵀ∇C over v's support alone: g's inf or NaN off it
        analytic = np.array([float(np.dot(V[i, s], g[s])) for i, s in enumerate(supports)])  # is no 0·inf = NaN
    V = V.reshape(len(supports), *shape)
    evaluate = _direction_evaluator(base, l, kind, V)
    return _differences(evaluate, np.zeros(len(supports)), analytic, base.cost, eps, rtol, atol,
                        exact_kinks=base.exact_kinks(l), resolve=base.adapt_step,
                        bend=_direction_bend(base, l, kind, V, g, supports),
                        forward=base.forward_noise if base.forward_rounding else None,
                        floor=np.repeat(base.term_floor(l, kind), len(supports)),
                        rounded=lambda: np.abs(V).reshape(len(supports), -1) @ base.analytic_floor(l, kind, slice(None)))


def _fast_signs(rng: np.random.Generator, P: int) -> Array:
    """Fast mode's direction for a tensor of ``P`` entries, before normalizing: the only draws it
    takes from ``rng`` (a tensor that ``layers=`` leaves out draws them too, and discards them, so
    the checked tensors get the directions a check of every layer gives them)."""
    # ±1 signs alone (Rademacher) let errors cancel exactly: a transposed 2 × 2 gradient moves
    # g_01 and g_10 by opposite amounts, invisible whenever both carry the same sign (half of all
    # draws passed it). Magnitudes in [0.5, 1.5] make a cancellation a zero-probability event while
    # every entry keeps at least a third of the largest one's weight.
    return rng.choice(np.array([-1.0, 1.0]), size=P) * rng.uniform(0.5, 1.5, size=P)


def _check_fast(
    base: _Base, l: int, kind: str, grad: Array, eps: float, rtol: float, atol: float,
    rng: np.random.Generator,
) -> tuple[_Checked, _Checked, int, Array]:
    """Fast mode for one tensor: (top directional check, located entries, evaluations, its direction v).

    Bisection follows the halves that fail; where neither half of a followed group fails by its own
    tolerance, those whose |a − n| still exceeds the tolerance the error was first seen above (the
    failing ancestor's, ``atol + rtol·max(|a|, |n|)``): a half's vᵀ∇C can be far larger than its
    parent's (v normalized on fewer entries, fewer signs cancelling), so its own tolerance can pass the
    whole of the parent's error (784-64-10, w^(1)[1,0] × 1.01: the top direction fails by 1.65e-7 on a
    tolerance of 6.7e-9, the half of 12,544 holding the entry is off by 3.3e-7 on its own tolerance of
    9.4e-7). Each group's error along the unnormalized signs s, Σ s_i (a_i − n_i), adds up over its
    halves: where it splits between them with neither carrying it alone, or a group of located entries
    carries it with each of them passing, the error is shown spread (``_Checked.spread``)."""
    g = grad.ravel()
    P = g.size
    signs = _fast_signs(rng, P)
    top = _directions(base, l, kind, [np.arange(P)], signs, g, eps, rtol, atol)
    n_evals = top.n_evaluations

    def size(s: Index) -> float:  # ‖s‖ on the support s: a direction's error times it is that group's share
        return math.sqrt(float(np.dot(signs[s], signs[s])))

    def tolerance(res: _Checked, i: int) -> float:
        return atol + rtol * max(abs(float(res.analytic[i])), abs(float(res.numeric[i])))

    def share(res: _Checked, i: int, s: Index) -> float:
        return float(res.analytic[i] - res.numeric[i]) * size(s)

    # each group followed: its entries, the tolerance its error was seen above, and its share of the error
    branches = [(np.arange(P), tolerance(top, 0), share(top, 0, np.arange(P)))] if top.status[0] == "fail" else []
    located: list[tuple[Index, float]] = []  # the groups checked entry by entry, with their shares
    complete = True  # every half not followed passed, its error within the tolerance its group's was seen above
    unfollowed = 0.0  # Σ |error along s| over the halves measured and not followed
    spread = False  # some group's error split between its halves (or its entries), none carrying it alone
    carried = False  # some half followed on its error alone, with no half of its group failing
    while branches:  # bisection: O(log P) levels, at most 2·MAX_BRANCHES checks each
        children = [half for br, _, _ in branches for half in np.array_split(br, 2)]
        res = _directions(base, l, kind, children, signs, g, eps, rtol, atol)
        n_evals += res.n_evaluations
        with np.errstate(invalid="ignore", over="ignore"):
            err = np.abs(res.analytic - res.numeric)
        follow: list[tuple[float, Index, float, float]] = []  # (|a − n|, half, tolerance, share)
        for k, (_, tol, parent) in enumerate(branches):
            pair = (2 * k, 2 * k + 1)
            if any(res.status[i] in UNJUDGED for i in pair):
                complete = False
            failing = [i for i in pair if res.status[i] == "fail"]
            carrying = failing or [i for i in pair if res.status[i] not in UNJUDGED and err[i] > tol]
            carried |= bool(carrying) and not failing
            for i in carrying:
                follow.append((float(err[i]), children[i], min(tol, tolerance(res, i)), share(res, i, children[i])))
            complete &= all(err[i] <= tol for i in pair if i not in carrying and res.status[i] not in UNJUDGED)
            unfollowed += sum(abs(share(res, i, children[i])) for i in pair if i not in carrying)
            if not carrying:  # the group's error is in neither half beyond its tolerance: not located here
                complete = False
                if not any(res.status[i] in UNJUDGED for i in pair):
                    spread |= _split(parent, [share(res, i, children[i]) for i in pair])
        follow.sort(key=lambda f: (math.isnan(f[0]), -f[0]))  # stable: the largest errors first, NaN last
        complete &= len(follow) <= MAX_BRANCHES
        unfollowed += sum(abs(part) for _, _, _, part in follow[MAX_BRANCHES:])
        branches = []
        for _, half, tol, part in follow[:MAX_BRANCHES]:
            if len(half) <= LEAF_SIZE:
                located.append((half, part))
            else:
                branches.append((half, tol, part))
    if top.status[0] in ("fail", *UNJUDGED) and (not located or carried) and P <= MAX_BRANCHES * LEAF_SIZE:
        # a direction that failed with no half failing is unconfirmed (σ with weights of 1e10, whose
        # forward pass rounds a direction's quotients of b^(1) 1e-4 off, failed a correct backprop
        # on some draws of v), and one left unjudged judges nothing (σ at 1e5, w^(2) × 1.5, --eps
        # 1e-8: inconclusive for 5 draws in 8, where full mode fails both entries). A tensor no
        # larger than the leaves bisection may check is then checked whole, entry by entry as in
        # full mode, and judged by its entries as full mode judges them (``_tensor_result``); so is
        # one where bisection followed a half on its error alone (its own tolerance passing it)
        located = [(np.arange(P), math.nan)]
    flat = np.unique(np.concatenate([s for s, _ in located])).astype(np.intp) if located else np.arange(0)
    entries = _check_entries(base, l, kind, grad, flat, eps, rtol, atol)
    entries.complete = complete or len(flat) == P
    judged = ~np.isin(entries.status, UNJUDGED)
    if not (entries.status == "fail").any():  # a group whose entries, each passing, add up to its error
        for s, part in located:
            at = np.searchsorted(entries.flat, s)
            if math.isfinite(part) and judged[at].all():
                spread |= _split(part, list(signs[s] * (entries.analytic[at] - entries.numeric[at])))
    entries.spread = spread
    if top.status[0] == "fail":
        entries.along, entries.whole = signs[entries.flat], share(top, 0, np.arange(P))
        entries.unfollowed, entries.signs, entries.slack = unfollowed, signs, tolerance(top, 0) * size(np.arange(P))
    return top, entries, n_evals + entries.n_evaluations, signs / math.sqrt(float(np.dot(signs, signs)))


SPLIT_SHARE = 0.25  # ``_split``: the parts must add up to the whole within this fraction of it


def _split(whole: float, parts: Sequence[float]) -> bool:
    """Do ``parts`` (each group's error along the unnormalized signs) add up to ``whole`` (their parent's, within
    ``SPLIT_SHARE`` of it) with none carrying it alone, each less than it (fast mode's evidence of an error spread
    over many entries, ``_check_fast``)? Not where they do not add up: a failure the parts do not reproduce is
    not shown spread."""
    if not (math.isfinite(whole) and whole != 0 and all(math.isfinite(p) for p in parts)):
        return False
    return abs(sum(parts) - whole) <= SPLIT_SHARE * abs(whole) and max(abs(p) for p in parts) < abs(whole)


# --- from arrays to results ---------------------------------------------------------------------


@dataclass
class _Context:
    """What every tensor's verdict and diagnosis needs; ``variants`` is filled lazily."""

    base: _Base
    eps: float
    rtol: float
    atol: float
    variants: list[_Variant] | None = field(default=None)
    checked: dict[tuple[int, str], _Checked] = field(default_factory=dict)
    correct: tuple[list[Array], list[Array]] | None = field(default=None)
    layers: tuple[int, ...] = ()  # the layers checked, when ``layers=`` left some out; () for all
    mode: str = "full"
    # every checked tensor's analytic gradient (the whole tensor, whatever the mode) and its status,
    # filled before any diagnosis: the other tensors' evidence that tells apart mistakes one matches
    analytic: dict[tuple[int, str], Array] = field(default_factory=dict)
    statuses: dict[tuple[int, str], str] = field(default_factory=dict)
    # every checked tensor's entries checked one by one (in fast mode the located ones): an entry's verdict
    # (b^(l)[j] passing clears δ_j^(l), ``_entry_verdict``)
    found: dict[tuple[int, str], _Checked] = field(default_factory=dict)
    # fast mode: entries (l, kind, flat) not located, checked one by one where a diagnosis reads them (``_entry_check``)
    measured: dict[tuple[int, str, int], _Checked] = field(default_factory=dict)
    # every checked tensor: has it a judged entry (fast mode: its direction) of at least atol? One that passes
    # with none passes on a gradient of ~0 (rel err "—"), whatever its δ is: no evidence (``_passes_on_evidence``)
    evident: dict[tuple[int, str], bool] = field(default_factory=dict)
    # every checked tensor's judged (analytic, numeric) pairs (fast mode: its direction and located entries), with
    # the L2 term λ w^(l) each holds (``_l2_term``): would a factor r in the δ it takes have failed it (``_rules_out``)?
    judged: dict[tuple[int, str], tuple[Array, Array, Array]] = field(default_factory=dict)

    def get_variants(self) -> list[_Variant]:
        if self.variants is None:
            self.variants = _variants(self.base)
        return self.variants

    def get_correct(self) -> tuple[list[Array], list[Array]]:
        """Backprop's own (dw, db), without a mistake: what each variant is told apart from."""
        if self.correct is None:
            self.correct = _backprop_variant(self.base, "none", 0)
        return self.correct


def _scores(a: Array, n: Array, rtol: float, atol: float) -> Array:
    """How many times each |a − n| exceeds its tolerance (NaN counts as infinitely bad)."""
    err = np.abs(a - n)
    tol = atol + rtol * np.maximum(np.abs(a), np.abs(n))
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        s = np.where(tol > 0, err / np.where(tol > 0, tol, 1.0), np.where(err > 0, np.inf, 0.0))
    s[~np.isfinite(err) | np.isnan(tol)] = np.inf  # a NaN or inf on either side: worst of all
    return s


def _entry_result(l: int, kind: str, shape: tuple[int, ...], chk: _Checked, i: int) -> EntryResult:
    a, n = float(chk.analytic[i]), float(chk.numeric[i])
    index = tuple(int(v) for v in np.unravel_index(int(chk.flat[i]), shape))
    rel = float(_rel_error(np.array([a]), np.array([n]))[0])
    step = float(chk.step[i]) if np.isfinite(chk.step[i]) else None
    return EntryResult(l, kind, index, a, n, abs(a - n), rel, str(chk.status[i]), step, str(chk.why[i]) or None)


def _max_errors(chk: _Checked, atol: float) -> tuple[float, float]:
    """(max |a − n|, max relative error) over judged entries; see ``TensorResult``. NaN where
    there is nothing to take it over: no judged entry (both), no judged entry of at least
    ``atol`` (the relative error; a gradient of 1e-20 against its rounding noise of 1e-11 read
    as a relative error of 1 in a passing tensor)."""
    judged = ~np.isin(chk.status, UNJUDGED)
    a, n = chk.analytic[judged], chk.numeric[judged]
    if a.size == 0:
        return math.nan, math.nan
    big = _at_least_atol(a, n, atol)
    abs_err = np.abs(a - n)
    return float(abs_err.max()), float(_rel_error(a[big], n[big]).max()) if big.any() else math.nan


def _at_least_atol(a: Array, n: Array, atol: float) -> NDArray[np.bool_]:
    """The entries where |a| or |n| reaches ``atol`` (NaN counts: its error is not rounding
    noise): those whose relative error, and share of the global ratio, mean something."""
    return ~(np.maximum(np.abs(a), np.abs(n)) < atol)


def _tensor_result(
    ctx: _Context, l: int, kind: str, chk: _Checked, directional: DirectionalResult | None = None,
    diagnose: bool = True,
) -> TensorResult:
    """The verdict on one tensor; ``diagnose``: False leaves a failure's diagnosis empty, to be
    filled once every tensor is checked (``check_gradients``)."""
    shape = ctx.base.tensor(l, kind).shape
    st = chk.status
    score = _scores(chk.analytic, chk.numeric, ctx.rtol, ctx.atol)
    unjudged = np.isin(st, UNJUDGED)
    judged = np.flatnonzero(~unjudged)
    pool = judged if len(judged) else np.arange(len(st))
    worst = _entry_result(l, kind, shape, chk, int(pool[np.argmax(score[pool])])) if len(pool) else None
    failing = np.flatnonzero(st == "fail")
    failing = failing[np.argsort(-score[failing], kind="stable")]
    failures = tuple(_entry_result(l, kind, shape, chk, int(i)) for i in failing[:N_WORST])
    kinks = tuple(_entry_result(l, kind, shape, chk, int(i)) for i in np.flatnonzero(unjudged)[:N_WORST])
    n_failed = len(failing)
    n_at_kink = int(np.count_nonzero(st == "kink"))
    n_noisy = int(np.count_nonzero(st == "unresolved"))
    n_unresolved = n_at_kink + n_noisy
    n_kinks = n_at_kink + int(np.count_nonzero(st == "kink-ok"))
    stepped = (st == "step-ok") | (np.isfinite(chk.step) & (st == "fail"))
    n_stepped, n_unmoved = int(np.count_nonzero(stepped)), int(np.count_nonzero(stepped & chk.unmoved))
    reasons = _unresolved_reasons(chk)
    theta = ctx.base.tensor(l, kind)
    max_abs, max_rel = _max_errors(chk, ctx.atol)
    if directional is not None:
        max_abs, max_rel = directional.abs_error, directional.rel_error
    dir_status = directional.status if directional is not None else "pass"
    if directional is not None and len(st) == theta.size:
        # every entry checked alone (located, or a small tensor whose direction no half confirmed or
        # that was not judged: ``_check_fast``): the entries' verdict is the tensor's, full mode's
        dir_status = "pass"
    if dir_status == "fail" and len(st) and not n_failed and unjudged.all():
        # bisection located the direction's error on entries that no step can judge alone (a weight
        # of 1e300, where every step is grown to move it): the direction is no better placed to judge
        dir_status = "unresolved"
    if n_failed or dir_status == "fail":
        status = "fail"
        diagnosis = _diagnose(ctx, l, kind, shape, chk) if diagnose else ()
    elif n_unresolved or dir_status in UNJUDGED:
        status = "inconclusive"
        diagnosis = tuple(note for note in (
            _kink_note(n_at_kink, n_kinks, directional, _kinked(ctx.base.net),
                       [_entry_result(l, kind, shape, chk, int(i)).label for i in np.flatnonzero(st == "kink")[:3]],
                       ctx.eps, ctx.base.exact_kinks(l),
                       _kink_free_eps(ctx.base, l, kind, chk.flat[st == "kink"] if n_at_kink else None, ctx.eps))
            if n_at_kink or dir_status == "kink" else None,
            _step_note(reasons or {(directional.reason if directional else None) or "disagree": 0},
                       float(np.max(np.abs(theta), initial=0.0)), ctx.base.term_rounding[l][3],
                       int(np.count_nonzero(chk.unmoved & (st == "unresolved"))) if reasons else
                       int(directional is not None and directional.unmoved), _large_cost(ctx.base, ctx.eps, ctx.atol),
                       ctx.base.output_scale)
            if n_noisy or dir_status == "unresolved" else None) if note)
    else:
        status, diagnosis = "pass", ()
    on_atol = _on_atol(chk.analytic, chk.numeric, np.isin(st, ("pass", "kink-ok", "step-ok"))
                       & _at_least_atol(chk.analytic, chk.numeric, ctx.atol), ctx.rtol)
    rel_on_atol = [float(_rel_error(chk.analytic[on_atol], chk.numeric[on_atol]).max())] if on_atol.any() else []
    n_on_atol = int(np.count_nonzero(on_atol))
    if directional is not None and directional.status == "pass" and abs(directional.analytic) >= ctx.atol and _on_atol(
            np.array([directional.analytic]), np.array([directional.numeric]), np.array([True]), ctx.rtol)[0]:
        n_on_atol += 1
        rel_on_atol.append(directional.rel_error)
    left_out = _left_out(chk, ctx.atol) if directional is None else (None, 0, None)
    if (directional is not None and directional.status == "pass"
            and not _at_least_atol(np.array([directional.analytic]), np.array([directional.numeric]), ctx.atol)[0]):
        # a passing direction whose vᵀ∇C and quotient are both below atol: its relative error is rounding noise
        # (rel err 1 beside "pass"), left out of the max as full mode leaves out such entries, and of the ratio
        max_rel = math.nan
        left_out = (None, 1, directional.rel_error)
    abs_below = _abs_below_atol(chk, ctx.atol) if directional is None else None
    if left_out[1] and directional is not None:
        abs_below = directional.abs_error
    return TensorResult(l, kind, tuple(shape), len(st), max_abs, max_rel, worst, failures, n_failed,
                        n_kinks, status, diagnosis, directional, kinks, n_unresolved, n_stepped, n_noisy, reasons,
                        n_on_atol, max(rel_on_atol) if rel_on_atol else None, *left_out, n_unmoved,
                        max_abs_below_atol=abs_below)


def _abs_below_atol(chk: _Checked, atol: float) -> float | None:
    """The largest |a − n| of the judged entries below atol (``TensorResult.max_abs_below_atol``), None for none."""
    below = ~np.isin(chk.status, UNJUDGED) & ~_at_least_atol(chk.analytic, chk.numeric, atol)
    if not below.any():
        return None
    return float(np.max(np.abs(chk.analytic[below] - chk.numeric[below])))


def _left_out(chk: _Checked, atol: float) -> tuple[float | None, int, float | None]:
    """What a tensor's max relative error leaves out (``TensorResult.max_rel_unjudged``, ``n_below_atol``,
    ``max_rel_below_atol``): the entries not judged, and the judged ones below atol."""
    unjudged = np.isin(chk.status, UNJUDGED)
    below = ~unjudged & ~_at_least_atol(chk.analytic, chk.numeric, atol)

    def largest(which: NDArray[np.bool_]) -> float | None:
        if not which.any():
            return None
        rel = _rel_error(chk.analytic[which], chk.numeric[which])
        return float(np.nanmax(rel)) if np.isfinite(rel).any() else None

    return largest(unjudged), int(np.count_nonzero(below)), largest(below)


def _on_atol(a: Array, n: Array, passed: NDArray[np.bool_], rtol: float) -> NDArray[np.bool_]:
    """The ``passed`` items whose |a − n| exceeds rtol·max(|a|, |n|): atol alone let them pass."""
    with np.errstate(invalid="ignore", over="ignore"):
        return passed & (np.abs(a - n) > rtol * np.maximum(np.abs(a), np.abs(n)))


def _unresolved_reasons(chk: _Checked) -> dict[str, int]:
    """How many of ``chk``'s unresolved items have each reason, in ``UNRESOLVED_REASONS`` order."""
    why = chk.why[chk.status == "unresolved"]
    counts = {r: int(np.count_nonzero(why == r)) for r in UNRESOLVED_REASONS}
    return {r: c for r, c in counts.items() if c}


# What the steps of unresolved entries do, by reason (``UNRESOLVED_REASONS``), in the words of both the plain
# check and the sweep (``_cannot_judge``): {step} a step ("step h" / "ε"), {h} its size ("h" / "ε"), {near}
# the steps a near-step shows at ("ε and the next steps below it" / "every ε"), {under} what a move is
# smaller than ("those steps" / "any ε"); {their}, {them}: the entries' pronouns; {big}: the largest |θ|;
# {terms}: the largest Σ_k |w_jk a_k| + |b_j| the moves reach (``_Base.term_rounding``); {outputs}: the output's
# scale (``_Base.output_scale``).
_WHY_STEPS = {
    "grown": "(|θ| up to {big:.0e}) had to be grown to ε·|θ| to move θ at all (θ ± ε rounds back to θ)",
    "bent": ("move the tensor's entries (|θ| up to {big:.0e}) by a few units in their last place or less, so their "
             "rounding bends the direction at every {step}"),
    "unusable": "give no usable quotient at any {step} (each crosses a kink, or the cost is not finite there)",
    "terms": ("give quotients that miss a by no more than the forward pass's own rounding can shift them: "
              "z = w a + b sums terms |w_jk a_k| up to {terms:.0e}, rounded to ~u·Σ_k |w_jk a_k| however much "
              "they cancel (C moves by |δ| times that), far more than the costs' own rounding"),
    "fitted": ("give quotients that miss a by no more than the forward pass's rounding of a^(L) can shift them: "
               "a^(L), at an output scale of {outputs:.2g} (|a| and the terms of z^(L)), is rounded to ~u times that, which moves each quotient, and backprop's own "
               "δ^(L) = ∂C/∂a^(L), by ~u·|a|·|∂a/∂θ| whatever the {step}, as much as they miss (against a − y "
               "near 0, a network fitted to its targets, or terms of z^(L) far larger than its outputs), so float64 "
               "cannot resolve {them}"),
    "flat": "change the cost by no more than its rounding (~u·|C|/{h}) at every {step}",
    "near-step": ("change the cost by the same amount at {near}, so {their} quotients grow ∝ 1/{h} (a move "
                  "smaller than {under} saturates a unit)"),
    "rounded": ("do not move the cost at all at ε/√10 or ε, and move it at the next step up: the forward pass "
                "rounds a small move away (a saturated unit behind a large weight), so the quotients of every "
                "{step} carry that rounding and none resolves {them} to the tolerance"),
    "disagree": ("give quotients no two neighbouring steps agree on to within the tolerance: ε is too large for "
                 "{them} (truncation, ~C‴ε²/6) or too small for the cost (rounding, ~u·|C|/ε)"),
}
_CHECK_WORDS = {"step": "step h", "h": "h", "near": "ε and the next steps below it", "under": "those steps"}
_SWEEP_WORDS = {"step": "ε", "h": "ε", "near": "every ε", "under": "any ε"}
_SCALE_FIX = "weights nearer 1 (a fresh init, standardized inputs)"  # what a step cannot fix: the scale
_TOLERANCE_FIX = "judge by --convergence, or loosen --rtol/--atol"  # what can help quotients that disagree


def _at_eps(n: int, unmoved: int) -> str:
    """What ``n`` unresolved items did at ε, ``unmoved`` of them passing there on a cost that did not move
    (``_unmoved``); n = 0: the random direction (unmoved 1 where it passed so)."""
    moved = (f"{'match' if unmoved > 1 else 'matches'} {'their' if unmoved > 1 else 'its'} quotient at ε only "
             "because the cost does not move there (its rounding, ~u·|C|/ε, is above the tolerance)")
    if not n:
        return f"the random direction {moved}" if unmoved else "the random direction fails at ε"
    if not unmoved:
        return f"{plural(n, 'entry fails', 'entries fail')} at ε"
    if unmoved == n:
        return f"{plural(n, 'entry', 'entries')} {moved}"
    return f"{plural(n - unmoved, 'entry fails', 'entries fail')} at ε and {unmoved} {moved}"


def _large_cost(base: _Base, eps: float, atol: float) -> tuple[str, str] | None:
    """Why a cost no step moves leaves its 0s unresolved, and what to try, where its size is the cause: its
    rounding at the largest step h = ε·1e4, ~u·|C|/h (as ``_judge`` bounds the slope), above atol. The fix
    names the targets where they set that size (|y| beyond 10 and every output: y of 1500 against outputs
    near 1 give C = 7e5, whose weights are not the trouble), else the weights. None: the cost is not."""
    h = float(LADDER[-1]) * eps
    bound = float(np.finfo(np.float64).eps) * abs(base.cost) / h
    if not bound > atol:
        return None
    cause = (f"the cost, C = {base.cost:.0e}, is so large that this stays above the tolerance even at the largest "
             f"step, h = ε·1e4 = {h:g} (~{bound:.0e})")
    with np.errstate(invalid="ignore", over="ignore"):
        y, out = float(np.nanmax(np.abs(base.Y), initial=0.0)), float(np.nanmax(np.abs(base.a[-1]), initial=0.0))
    if y > 10.0 and y >= out:
        return cause, (f"smaller targets (rescale the target column(s) in the data, whose values reach {y:.2g}: C grows "
                       "as (a − y)²; data.standardize scales the inputs only)")
    return cause, _SCALE_FIX


def _step_note(reasons: dict[str, int], big: float, terms: float = 0.0, unmoved: int = 0,
               large: tuple[str, str] | None = None, outputs: float = 0.0) -> str:
    """The note on a tensor's ``unresolved`` entries, ``reasons`` their counts by reason (a count of 0:
    the random direction's), ``big`` the largest |θ| of the tensor, ``terms`` the largest sum of terms
    its moves recompute (``_Base.term_rounding``), ``outputs`` the output's scale (``_Base.output_scale``),
    ``large`` (``_large_cost``) why and what to try where
    the cost's size leaves the ``flat`` ones unjudged (its targets', not the weights'): why no step judges them, grouped
    by reason, and what can: weights nearer 1 where the steps cannot measure the slope at this scale
    (grown, bent, no usable step, no move, a near-step), --convergence or looser tolerances only
    where the quotients merely disagree."""
    n = sum(reasons.values())
    one = n <= 1
    it, its = ("it", "its") if one else ("them", "their")
    if set(reasons) == {"disagree"}:  # ordinary truncation or rounding trouble: the words it always had
        what = ("the random direction's difference quotient" if not n and not unmoved else
                f"{_at_eps(n, unmoved)}, but {its} difference quotient")
        return (f"{what} is too inaccurate to judge: at ε the step is too large for {it} (truncation, ~C‴ε²/6) "
                f"or too small for the cost (rounding, ~u·|C|/ε), and at no step from ε·1e-6 to ε·1e4 do two "
                f"neighbouring quotients agree to within the tolerance; {_TOLERANCE_FIX}")
    words = {**_CHECK_WORDS, "big": big, "terms": terms, "outputs": outputs}
    large = large if "flat" in reasons else None
    why = {r: _WHY_STEPS[r] + (f": {large[0]}" if large and r == "flat" else "") for r in reasons}
    if len(reasons) == 1:
        parts = [f"{its} steps " + why[r].format(their=its, them=it, **words) for r in reasons]
    else:
        parts = [f"the steps of {plural(c, 'entry', 'entries')} "
                 + why[r].format(their="its" if c == 1 else "their", them="it" if c == 1 else "them", **words)
                 for r, c in reasons.items()]
    scale = n - reasons.get("disagree", 0)
    # the cost's size is what its flat entries need changed; the other scale reasons' entries, the weights
    remedy = (_SCALE_FIX if not large or large[1] == _SCALE_FIX else large[1] if set(reasons) <= {"flat", "disagree"}
              else f"{large[1]}, and {_SCALE_FIX}")
    fix = (f"Try {remedy}" if "disagree" not in reasons else
           f"Try {remedy} for the first {plural(scale, 'entry', 'entries')}; for the other "
           f"{plural(reasons['disagree'], 'entry', 'entries')}, {_TOLERANCE_FIX}")
    return f"{_at_eps(n, unmoved)}, but no step from ε·1e-6 to ε·1e4 can judge {it}: {'; '.join(parts)}. {fix}"


KINK_SAFETY = 10.0  # the suggested --eps is this far below the first-order distance to the nearest kink


def _kink_free_eps(base: _Base, l: int, kind: str, flat: Index | None, eps: float) -> float | None:
    """A step that crosses no kink for the entries ``flat`` of w^(l) or b^(l) (None: fast mode's random
    direction over the whole tensor), for ``_kink_note``'s suggested --eps: the smallest first-order distance
    |z| / |∂z/∂θ| to z = 0 over the kinked units of layers l…L and the examples (∂z_j^(l)/∂w_jk^(l) = a_k^(l−1),
    ∂z_j^(l)/∂b_j^(l) = 1, carried on to the later layers by w and σ'), over ``KINK_SAFETY``, rounded down to
    one significant digit. A direction v (‖v‖ = 1) moves z by at most ‖∂z/∂θ‖ ≤ √P · max_i |∂z/∂θ_i|: its
    distance is bounded by the entries' over √P. None where there is nothing to go by, or the distance is not
    below ε (the step crossed a kink further than first order says)."""
    net = base.net
    n, size = base.n, net.sizes[l]
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        a_prev = np.abs(base.a[l - 1])
        if flat is None:  # per unit j: the largest ∂z_j/∂θ of its entries, example by example
            rows = np.arange(size)
            scale = a_prev.max(axis=1, initial=0.0)[None, :].repeat(size, 0) if kind == "w" else np.ones((size, n))
        else:
            flat = np.asarray(flat, dtype=np.intp)
            rows = flat // net.sizes[l - 1] if kind == "w" else flat
            scale = a_prev[:, flat % net.sizes[l - 1]].T if kind == "w" else np.ones((len(flat), n))
        if not len(rows):
            return None
        dz = np.zeros((len(rows), n, size))
        dz[np.arange(len(rows)), :, rows] = scale
        best = math.inf
        for m in range(l, net.L + 1):
            if base.kinked[m]:
                dist = np.abs(base.z[m])[None] / np.abs(dz)
                dist = dist[np.isfinite(dist) & (dz != 0)]
                best = min(best, float(dist.min())) if dist.size else best
            if m == net.L:
                break
            act = net.activations[m - 1]
            if act.prime is None:
                break
            dz = (dz * act.prime(base.z[m], base.a[m])[None]) @ net.weights[m].T
        if flat is None:
            best /= math.sqrt(base.tensor(l, kind).size)
    step = best / KINK_SAFETY
    if not (0 < step and best < eps):
        return None
    step *= 1 + 1e-9  # 1e-7 / 10 is 9.999999999999999e-09: one significant digit of 1e-08, not 9e-09
    e = math.floor(math.log10(step))
    return float(f"{math.floor(step / 10.0 ** e)}e{e}")


def _kink_note(n_unresolved: int, n_kinks: int, directional: DirectionalResult | None, kinked: str = "ReLU",
               labels: Sequence[str] = (), eps: float = 1e-5, exact: int = 1, smaller: float | None = None) -> str:
    """The note on a tensor's entries at a kink (``kink``: not judged), ``labels`` the first few.
    ``exact``: how many z the tensor's layer and the later kinked ones hold exactly at 0 at θ
    (``_Base.exact_kinks``). With none, each such entry's steps merely cross z = 0, both ways: a
    smaller --eps stops that, and is what to try (not another seed, which it said alone): ``smaller``
    (``_kink_free_eps``, from the distance to the nearest kink), else ε/100. With
    some, no step avoids a unit sitting on the kink."""
    one = n_unresolved == 1
    it = "it" if one or not n_unresolved else "them"
    if exact == 0:
        named = (f"{', '.join(labels[:3])}{', …' if n_unresolved > 3 else ''}" if labels and n_unresolved
                 else "the direction" if not n_unresolved else it)
        why = (f"moving {it} by ±ε = {eps:g} flips a unit across z = 0 on both sides, though no z is exactly 0 "
               f"at θ: the step is larger than the distance to the kink, so neither difference can judge {it}; "
               f"try a smaller --eps for {named}, e.g. --eps {smaller if smaller is not None else eps / 100:g}"
               + (f" (the nearest kink is about {smaller * KINK_SAFETY:g} away in θ)" if smaller is not None else ""))
    else:
        why = (f"moving {it} by ±ε flips a unit across z = 0 on both sides, or the one-sided difference "
               f"disagrees where several z are exactly 0 (there the value depends on the choice of R'(0)), "
               f"so no finite difference can judge {it}; {plural(exact, 'z sits', 'z sit')} exactly at 0, which "
               f"no smaller --eps avoids: try other examples (another --seed)")
    if not n_unresolved:
        return f"the random direction sits on a {kinked} kink: {why}"
    if n_kinks > n_unresolved:  # the others at a kink agreed with a one-sided difference ("kink-ok")
        agree = n_kinks - n_unresolved
        return (f"{n_kinks} entries sit on a {kinked} kink: {agree} {'agrees' if agree == 1 else 'agree'} with "
                f"a one-sided difference; for the other {n_unresolved}, {why}")
    return f"{n_unresolved} {'entry sits' if one else 'entries sit'} on a {kinked} kink: {why}"


def _directional_result(top: _Checked, n_evals: int, n_located: int) -> DirectionalResult:
    a, n = float(top.analytic[0]), float(top.numeric[0])
    rel = float(_rel_error(top.analytic[:1], top.numeric[:1])[0])
    status = {"kink-ok": "pass", "step-ok": "pass"}.get(str(top.status[0]), str(top.status[0]))
    step = float(top.step[0]) if np.isfinite(top.step[0]) else None
    return DirectionalResult(a, n, abs(a - n), rel, status, n_evals, n_located, step, str(top.why[0]) or None,
                             bool(top.unmoved[0]))


def _global_ratio(a: Array, n: Array) -> float:
    """‖a − n‖ / (‖a‖ + ‖n‖), 0 when both are 0 (Ng's relative difference); NaN when a value
    is not finite (a NaN on either side must not read as a perfect 0)."""
    with np.errstate(over="ignore", invalid="ignore"):
        den = norm(a) + norm(n)
        if not math.isfinite(den):
            return math.nan
        return norm(a - n) / den if den > 0 else 0.0


# --- diagnosis ------------------------------------------------------------------------------------
# Each rule looks at the judged entries of a failing tensor, (flat, a, n, status) arrays,
# and returns its finding as lines of text, or None. The first rule that fires wins.


@dataclass
class _Entries:
    """The judged entries of one failing tensor; ``fail`` marks the failing ones."""

    l: int
    kind: str
    shape: tuple[int, ...]
    flat: Index
    a: Array
    n: Array
    fail: NDArray[np.bool_]
    checked: int = -1  # entries checked one by one, judged or not (unjudged at a kink too); -1: len(flat)

    @property
    def name(self) -> str:
        return f"{self.kind}^({self.l})"

    @property
    def n_checked(self) -> int:
        return len(self.flat) if self.checked < 0 else self.checked

    def labels(self, which: Index) -> str:
        return ", ".join(
            f"{self.name}[{','.join(str(int(v)) for v in np.unravel_index(int(self.flat[i]), self.shape))}]"
            for i in which
        )


def _diagnose(ctx: _Context, l: int, kind: str, shape: tuple[int, ...], chk: _Checked) -> tuple[str, ...]:
    keep = ~np.isin(chk.status, UNJUDGED)
    e = _Entries(l, kind, tuple(shape), chk.flat[keep], chk.analytic[keep], chk.numeric[keep],
                 chk.status[keep] == "fail", len(chk.flat))
    if not e.fail.any():
        if chk.spread:  # shown: a group's error split between its halves or entries, none carrying it alone
            return (("the random-direction check vᵀ∇C failed, but bisection pinned the error on no single "
                     "entry: it is spread thinly over many entries (parts of v each carried a share of it, "
                     "none failing alone); run --mode full on this tensor"),)
        m, unjudged = len(chk.flat), int(np.count_nonzero(~keep))
        checked = ("no half of v carried it" if not m else
                   f"the {plural(m, 'entry', 'entries')} it checked one by one {'passes' if m == 1 else 'pass'}"
                   if not unjudged else f"none of the {plural(m, 'entry', 'entries')} it checked one by one fails, "
                   f"{unjudged} not judged")
        return (f"the random-direction check vᵀ∇C failed, but bisection could not locate the error "
                f"({checked}); run --mode full on this tensor",)
    for rule in (_diag_nonfinite, _diag_zero, _diag_tolerance, _diag_variants, _diag_l2_term, _diag_row_ratio, _diag_ratio,
                 _diag_unpredicted_ratio, _diag_transposed, _diag_localized, _diag_sigma_prime):
        found = rule(ctx, e)
        if found and rule is _diag_ratio:  # a factor at layer l alone, the layers above passing: where
            return found + _where_from_the_others(ctx, l, kind, _own_ratio(ctx, e)[0])
        if found:
            return found
    span = _ratio_span(e.a[e.fail], e.n[e.fail])
    fail = np.flatnonzero(e.fail)
    # a few failing among the checked (fast mode checks few, so _diag_localized does not apply): named
    which = f" ({e.labels(fail)})" if len(fail) <= 3 and len(fail) < len(e.flat) else ""
    found = (f"no simple pattern: {_failing_count(len(fail), len(e.flat), _a_few(ctx, e))}{which}{span}",)
    return found + _where_from_the_others(ctx, l, kind)


def _ratio_span(a: Array, n: Array) -> str:
    """"; analytic/numeric = r" (or "ranges lo … hi") over failing entries, with as many digits as tell the
    ends apart, and a single value from 1; "" where no ratio is finite. Where every one is an analytic 0's
    (a ratio of 0, "-0" against a negative numeric value), "; analytic 0 where numeric is n" (or "ranges")."""
    with np.errstate(invalid="ignore", over="ignore", divide="ignore"):
        ratio = a / np.where(n != 0, n, np.nan)
    zero = (a == 0) & np.isfinite(ratio)
    if zero.any() and np.count_nonzero(zero) == np.count_nonzero(np.isfinite(ratio)):
        lo, hi = float(np.min(n[zero])), float(np.max(n[zero]))
        d = 4
        while d < 12 and lo != hi and f"{lo:.{d}g}" == f"{hi:.{d}g}":
            d += 1
        return (f"; analytic 0 where numeric is {lo:.{d}g}" if f"{lo:.{d}g}" == f"{hi:.{d}g}" else
                f"; analytic 0 where numeric ranges {lo:.{d}g} … {hi:.{d}g}")
    ratio = np.where(zero, 0.0, ratio)  # not -0 beside the other ratios: no sign to read in it
    span = ""
    if np.isfinite(ratio).any():
        lo, hi = float(np.nanmin(ratio)), float(np.nanmax(ratio))
        d = 3  # as many digits as tell the ends apart: 1.001 … 1.002 read "1 … 1" with 3
        while d < 12 and lo != hi and f"{lo:.{d}g}" == f"{hi:.{d}g}":
            d += 1
        if f"{lo:.{d}g}" == f"{hi:.{d}g}":  # one value, or all alike: as many digits as tell it from 1
            while d < 12 and lo != 1 and f"{lo:.{d}g}" == "1":  # (a failing 1.000999 read "= 1")
                d += 1
            span = f"; analytic/numeric = {lo:.{d}g}"
        else:
            span = f"; analytic/numeric ranges {lo:.{d}g} … {hi:.{d}g}"
    return span


def _passes_on_evidence(ctx: _Context, key: tuple[int, str]) -> bool:
    """Tensor ``key`` passes with a judged entry of at least atol (in fast mode: its direction or a located
    entry): evidence that its δ^(l) is right. One whose every entry is below atol (rel err "—": b^(2) of a
    network whose mean output error is 0) passes whatever δ^(l) is, y − a written for a − y included."""
    return ctx.statuses.get(key) == "pass" and ctx.evident.get(key, False)


def _passing_above(ctx: _Context, l: int, r: float) -> tuple[int, str] | None:
    """(m, who) for the highest layer m > l with a tensor that rules out a factor r in its δ (``_rules_out``):
    δ^(m) is free of it, so ∂C/∂a, whose mistakes reach every δ below the output (y − a for a − y, its factor 2),
    is too; who: "layer m" where both its tensors rule it out, else the one that does. None where none does."""
    for m in range(ctx.base.net.L, l, -1):
        keys = [(m, k) for k in ("w", "b") if _rules_out(ctx, (m, k), r)]
        if keys:
            return m, f"layer {m}" if len(keys) == 2 else f"{keys[0][1]}^({m})"
    return None


def _l2_term(base: _Base, l: int, kind: str) -> Array:
    """The L2 term of ∂C/∂w^(l), λ w^(l), flat (zeros for b^(l), or where training.l2 is 0): the part of the
    gradient that does not come through δ^(l), so that a factor in δ^(l) (or in ∂C/∂a) leaves it as it is."""
    t = base.tensor(l, kind).ravel()
    return base.net.l2 * t if kind == "w" and base.net.l2 else np.zeros(t.size)


def _rules_out(ctx: _Context, key: tuple[int, str], r: float) -> bool:
    """Tensor ``key`` passes, and with a factor ``r`` in the δ it takes (its own, or one BP2 hands down to it)
    would fail: its analytic values × r, bar the L2 term λ w^(l) that does not come through δ (``_l2_term``),
    which stays. One whose entries are ~0 (below atol), or whose values so changed still pass (r near 1 under a
    loose --rtol; a δ part small beside λ w^(l)), rules out nothing."""
    judged = ctx.judged.get(key)
    if ctx.statuses.get(key) != "pass" or judged is None or judged[0].size == 0:
        return False
    a, n, p = judged
    with np.errstate(over="ignore", invalid="ignore"):
        return not bool(_close(r * (a - p) + p, n, ctx.rtol, ctx.atol).all())


def _passing_below(ctx: _Context, l: int, r: float) -> tuple[int, str] | None:
    """(m, who) for the highest layer m < l with a tensor that rules out a factor r in its δ (``_rules_out``):
    BP2 hands δ^(l) down to δ^(m), so a factor r in δ^(l) (y − a for a − y, ∂C/∂a's factor 2 at the output)
    would give layer m's gradients that factor too: it is in layer l's own BP3/BP4, after δ^(l) was handed
    down. who: "layer m" where both its tensors rule it out, else the one that does. None where none does."""
    for m in range(l - 1, 0, -1):
        keys = [(m, k) for k in ("w", "b") if _rules_out(ctx, (m, k), r)]
        if keys:
            return m, f"layer {m}" if len(keys) == 2 else f"{keys[0][1]}^({m})"
    return None


def _where_from_the_others(ctx: _Context, l: int, kind: str, ratio: tuple[float, float, int] | None = None
                           ) -> tuple[str, ...]:
    """Which of BP2-BP4 a failure with no named mistake points at, from the pass/fail pattern of
    the other tensors: b^(l) passing leaves BP4's input, w^(l) passing BP3, and w^(l), b^(l) failing
    under layers that all pass the error handed back to layer l (BP2). A tensor that passes on a
    gradient of ~0 alone (every entry below atol) clears nothing (``_passes_on_evidence``). ``ratio``: the
    failure's constant ratio (``_constant_ratio``): a passing tensor clears δ^(l) of it only where it would fail
    with it (``_rules_out``), a layer below that passes rules it out of δ^(l) as BP2 hands it back and down
    (``_passing_below``), and a failing partner that does not show it where it would (``_not_shown``) leaves
    this tensor's own formula, not BP2."""
    st, L = ctx.statuses, ctx.base.net.L
    other = "b" if kind == "w" else "w"
    if st.get((l, other)) == "pass" and not _passes_on_evidence(ctx, (l, other)):
        return (f"{other}^({l}) passes only on a gradient of ~0 (every entry below atol), "
                f"which any δ^({l}) gives it: it does not show δ^({l}) right",)
    if ratio is not None and st.get((l, other)) == "pass" and not _rules_out(ctx, (l, other), ratio[0]):
        # ×1.2 under a loose --atol: b^(l) × 1.2 would pass as well, so its passing does not clear δ^(l) of it
        aside = f"λ w^({l}) aside, " if other == "w" and ctx.base.net.l2 else ""  # which δ^(l) does not give it
        return (f"{other}^({l}) passes, but would pass with this ratio too ({aside}its values × {_ratio_text(ratio[0])} stay "
                f"within rtol and atol): it does not show δ^({l}) free of it",)
    if kind == "w" and st.get((l, "b")) == "pass":
        # BP3 gives ∂C/∂b^(l) from δ^(l) alone, BP4 ∂C/∂w^(l) from δ^(l) and the layer's input
        return (f"b^({l}) passes, so δ^({l}) is right (BP3: ∂C/∂b^({l}) is δ^({l}) averaged over the "
                f"examples): look at the layer input a^({l - 1}){' = x' if l == 1 else ''} used in BP4, "
                f"∂C/∂w^({l}) = δ^({l}) (a^({l - 1}))ᵀ",)
    if kind == "b" and st.get((l, "w")) == "pass":
        return (f"w^({l}) passes, so δ^({l}) is right (BP4: ∂C/∂w^({l}) = δ^({l}) (a^({l - 1}))ᵀ): look at "
                f"BP3, ∂C/∂b^({l}) = δ^({l}): layer {l}'s own error, each example's δ^({l}) averaged over the "
                f"examples (the rows), one value per unit",)
    above = [(m, k) for m in range(l + 1, L + 1) for k in ("w", "b")]
    found = {k: _ratio_of(ctx, (l, k)) for k in ("w", "b")}
    ratios = [None if f is None else f[0] for f in found.values()]
    # w^(l) and b^(l) fail with two constant ratios (×−1 and ×½): no one δ^(l), which both take, gives both
    split = None not in ratios and abs(ratios[0] - ratios[1]) > 1e-3 * abs(ratios[1])  # type: ignore[operator]
    # or one fails with a ratio that the other, failing, does not show where it would (``_not_shown``)
    unshared = [k for k, f in found.items()
                if f is not None and _not_shown(ctx, (l, "b" if k == "w" else "w"), f[0], f[1]) is not None]
    if kind in unshared and kind == "w":
        return (f"b^({l}) fails, but not with this ratio, which a factor in δ^({l}) would give it too (BP3: "
                f"∂C/∂b^({l}) is δ^({l}) averaged over the examples): look at BP4's other factor, the layer input "
                f"a^({l - 1}){' = x' if l == 1 else ''} used in ∂C/∂w^({l}) = δ^({l}) (a^({l - 1}))ᵀ, or a factor of "
                f"that formula's own; b^({l})'s failure is a finding of its own",)
    if kind in unshared:
        return (f"w^({l}) fails, but not with this ratio, which a factor in δ^({l}) would give it too (BP4: "
                f"∂C/∂w^({l}) = δ^({l}) (a^({l - 1}))ᵀ): look at BP3's own step, ∂C/∂b^({l}) = δ^({l}) averaged "
                f"over the examples (the rows), one value per unit; w^({l})'s failure is a finding of its own",)
    split = split or bool(unshared)
    # a ratio that a passing layer below rules out of δ^(l): the error handed back to layer l is right
    handed_down = ratio is not None and _passing_below(ctx, l, ratio[0]) is not None
    if (l < L and st.get((l, "w")) == st.get((l, "b")) == "fail" and not split and not handed_down
            and all(st.get(key) == "pass" for key in above)
            and any(_passes_on_evidence(ctx, (l + 1, k)) if ratio is None else _rules_out(ctx, (l + 1, k), ratio[0])
                    for k in ("w", "b"))):
        from .explain import seed001_hidden_rule  # not at import: the CLI's start-up

        # seed 001's E_h as the legend under the boxes writes it for this network (``explain.seed001_rules``)
        seed = f"; seed 001: {seed001_hidden_rule(l).text}" if l + 1 == L else ""
        layers = f"layer {l + 1} passes" if l + 1 == L else f"layers {l + 1}…{L} pass"
        return (f"{layers}, so δ^({l + 1}) is right: the error handed back to layer {l} is wrong. Look at "
                f"BP2, δ^({l}) = ((w^({l + 1}))ᵀ δ^({l + 1})) ⊙ σ'(z^({l})), factor by factor: (w^({l + 1}))ᵀ, "
                f"δ^({l + 1}) (its σ'(z^({l + 1})) included), σ' at layer {l}'s own z^({l}), element-wise{seed}",)
    return ()


def _failing_count(k: int, m: int, one_by_one: bool = False) -> str:
    """``3 of 8 checked entries fail``, ``1 of 8 checked entries fails``, ``all 8 checked entries
    fail``, ``both checked entries fail``, ``the 1 checked entry fails``. ``one_by_one``: the entries checked are
    a few of the tensor's (fast mode's located ones, sample mode's drawn ones), said so: ``1 of the 14 entries
    checked one by one fails``, ``all 3 entries checked one by one fail``."""
    if one_by_one:
        if k == m:
            return ("the 1 entry checked one by one fails" if m == 1 else "both entries checked one by one fail"
                    if m == 2 else f"all {m} entries checked one by one fail")
        return f"{k} of the {m} entries checked one by one {'fails' if k == 1 else 'fail'}"
    if k == m:
        return ("the 1 checked entry fails" if m == 1 else "both checked entries fail" if m == 2
                else f"all {m} checked entries fail")
    return f"{k} of {m} checked entries {'fails' if k == 1 else 'fail'}"


def _on_all(m: int, what: str = "entries") -> str:
    """``on all 6 entries``, ``on both entries``, ``on the 1 entry`` (``what`` in the plural)."""
    one = what.replace("entries", "entry", 1)
    return f"on the 1 {one}" if m == 1 else f"on both {what}" if m == 2 else f"on all {m} {what}"


def _diag_nonfinite(ctx: _Context, e: _Entries) -> tuple[str, ...] | None:
    bad = ~np.isfinite(e.a)
    if bad.any():
        return (f"the analytic gradient has {plural(int(bad.sum()), 'NaN or infinite entry', 'NaN or infinite entries')}: an overflow or a "
                f"division by zero in the backward pass",)
    if not np.isfinite(e.n).all():
        return ("the cost is not finite next to θ (the numeric side is NaN or infinite): the forward "
                "pass overflows at these parameter values",)
    return None


def _diag_zero(ctx: _Context, e: _Entries) -> tuple[str, ...] | None:
    if np.all(e.a == 0) and np.any(np.abs(e.n) > ctx.atol):
        # zeros that a classic mistake gives (leaky_relu's σ' taken as ReLU's on negative z) are named
        # as that mistake, not as a gradient never computed
        named = _diag_variants(ctx, e)
        if named:
            return named
        l, L = e.l, ctx.base.net.L
        other = "b" if e.kind == "w" else "w"
        if _passes_on_evidence(ctx, (l, other)):  # δ^(l) is right: BP3 and BP4 both take it
            why = (f"{other}^({l}) passes, so δ^({l}) is right: ∂C/∂{e.name} was never computed (left at 0)"
                   + (f", or BP4's product δ^({l}) (a^({l - 1}))ᵀ took a layer input{' x' if l == 1 else ''} of zeros"
                      if e.kind == "w"
                      else f": BP3 gives it as δ^({l}) averaged over the examples"))
        elif (below := _passing_below(ctx, l, 0.0)) is not None:  # δ^(l) reached a layer below, which passes
            # so δ^(l) was not 0 when BP2 handed it down; what BP3/BP4 did with it after that the pass can't tell
            bp = "BP4" if e.kind == "w" else "BP3"
            why = (f"∂C/∂{e.name} was never computed (left at 0), or zeroed in layer {l}'s {bp} after BP2 handed "
                   f"δ^({l}) down (e.g. an integer 1 // n as the mean's factor): δ^({l}) is not 0 there, for "
                   f"{below[1]}, which passes, would fail with a δ^({l}) of 0")
        elif l == L:  # the output layer's error is not handed back from anywhere
            why = (f"∂C/∂{e.name} was never computed, or δ^({L}) itself is 0 (BP1: δ^({L}) = "
                   f"∂C/∂a^({L}) ⊙ σ'(z^({L})))")
        else:
            why = (f"∂C/∂{e.name} was never computed, or the error δ^({l}) never reached layer {l} (not "
                   f"propagated back)")
        return (f"the analytic gradient is exactly 0 {_on_all(len(e.a), 'checked entries')} while the "
                f"numeric one is not (largest |numeric| {np.abs(e.n).max():.3g}): {why}; a missing σ' "
                f"would give wrong values, not zeros",)
    return None


def _diag_ratio(ctx: _Context, e: _Entries) -> tuple[str, ...] | None:
    """A constant analytic/numeric ratio over the entries not near 0 (``big``); for a w^(l) under L2 with none, one
    of (analytic − λ w^(l))/(numeric − λ w^(l)), as a factor in δ^(l) gives it (``_ratio_reading``)."""
    found, aside = _own_ratio(ctx, e)
    if found is None:
        return None
    fit, spread, m = found
    if _unpredicted(ctx, e, fit, spread, aside):  # a few located entries' ratio, not the whole tensor's
        return None
    other = f"{'b' if e.kind == 'w' else 'w'}^({e.l})"
    alone: tuple[str, ...] | None = (e.name, other) if _rules_out(ctx, (e.l, other[0]), fit) else None
    theirs = _other_ratio(ctx, (e.l, other[0])) if alone is None else None
    if theirs is not None and abs(theirs - fit) > max(1e-3, spread) * abs(fit):
        # the partner fails with another ratio: no one slip in δ^(l), which both take, gives both
        # a w^(l) under L2's ratio, read as ``_ratio_reading`` does
        read = {"aside": " with λw taken out", "missing": " against numeric − λw"}.get(
            _read_without_l2(ctx, (e.l, other[0])), "")
        alone = (e.name, other, f"would give {other} this ratio too, where it shows ×{_ratio_text(theirs)}{read}")
    elif alone is None and (off := _not_shown(ctx, (e.l, other[0]), fit, spread)) is not None:
        # the partner fails with no ratio (or not this one) where this one would show: nor does δ^(l) carry it; where
        # every layer's b^(l) shows it, in the ∂C/∂b they all take, not in this one's alone
        alone = (e.name, other, f"would give {other} this ratio too, where {off}",
                 "every" if e.kind == "b" and _every_b_shows(ctx, fit, spread) else "")
    below = None if alone is not None else _passing_below(ctx, e.l, fit)
    passing = None if alone is not None or below is not None else _passing_above(ctx, e.l, fit)
    above = None if passing is None else (e.l, passing[1], _sharing_above(ctx, e.l, fit, spread))
    # a b^(l) whose w^(l) shows the ratio only with λ w^(l) taken out: a whole gradient negated (or scaled) would
    # have scaled λ w^(l) too, which w^(l) shows as it is, so no such reading is offered for either
    whole = not aside and not (e.kind == "b" and _read_without_l2(ctx, (e.l, "w")))
    said = (_name_ratio(fit, ctx.base.n, ctx.base.net.cost_name, m, len(e.n), outputs=ctx.base.net.sizes[-1],
                        spread=spread, alone=alone, above=above, below=None if below is None else (e.l, below[1]),
                        l2=aside, whole=whole, out=ctx.base.net.activations[-1].name),)
    return said if alone is not None or below is not None or above is not None else said + _unchecked_above(ctx, e.l)


def _unpredicted(ctx: _Context, e: _Entries, r: float, spread: float, reading: str) -> bool:
    """Fast mode, the entries of ``e`` checked one by one a few of its tensor's (``_a_few``): is ×``r``, the ratio its
    located entries share, no factor of the whole tensor, ×r on every entry not giving the direction's error along v
    to its tolerance (``_predicts``)? Rows 1 and 2 of a 32 × 64 w^(1) × 1.7 (64-32-10), or half the rows × 1.5 on
    784-64-10, failed the direction, and bisection located entries of those rows alone, all sharing the ratio: the box
    said 'constant ratio ×1.7: … a constant factor is missing or extra', a whole tensor's factor read from a few
    entries of it."""
    return ctx.mode == "fast" and _a_few(ctx, e) and not _predicts(ctx, e, r, spread, reading)


def _diag_unpredicted_ratio(ctx: _Context, e: _Entries) -> tuple[str, ...] | None:
    """Fast mode's failing located entries, two or more, sharing one ratio r that neither their row
    (``_diag_row_ratio``, all in one row) nor the whole tensor (``_diag_ratio``) carries, ×r there not giving the
    random direction's error (``_unpredicted``): what was found, and that the error is neither, so more than one row,
    or entries not checked one by one, are off; or, where the located entries' error makes up the direction's
    (``_made_up``: half of a 32-entry b^(1) × 1.5, its 16 located entries all of the wrong ones), that the factor is
    theirs. Left to ``_diag_localized`` where one entry fails alone, two or three make the error up (local to them), or
    the row holding them is cleared of the others (``_failing_row``)."""
    found, aside = _own_ratio(ctx, e)
    if found is None or not _unpredicted(ctx, e, found[0], found[1], aside):
        return None
    fit, spread, _ = found
    fail = np.flatnonzero(e.fail)
    k, m = len(fail), len(e.flat)
    made_up = _made_up(ctx, e, fail)
    if k < 2 or (made_up and k <= 3 and m >= 4 * k) or _failing_row(ctx, e) is not None:
        return None
    rv = _ratio_text(fit, spread)
    q = {"aside": L2_QUOTIENT, "missing": "analytic/(numeric − λw)"}.get(aside, "analytic/numeric")
    blur = f" to ±{100 * spread:.2g}% (the costs' rounding blurs quotients this small)" if spread > 1e-3 else ""
    share = "both share" if k == 2 else f"all {k} share"
    j = _located_row(ctx, e) if aside != "missing" and not made_up else None  # "missing": no row reading weighed
    rows = sorted({int(v) for v in np.unravel_index(e.flat[fail], e.shape)[0]}) if e.kind == "w" else []
    listed = f"{', '.join(map(str, rows[:-1]))} and {rows[-1]}" if rows else ""
    where = (f", {'both' if k == 2 else 'all'} in row j = {j} (the weights into unit {j} of layer {e.l}),"
             if j is not None else f", in rows j = {listed}," if 1 < len(rows) <= 4
             else f", in {len(rows)} rows," if rows else f" ({e.labels(fail)})," if k <= 3 else ",")
    found_ = f"{_failing_count(k, m, True)}{where} and {share} one ratio, {q} = {rv}{blur}"
    if made_up:
        said = (f"{found_}; their error makes up the random direction's (vᵀ∇C), the halves of v not followed "
                f"carrying no more than its tolerance: ×{rv} on these entries alone, not a factor of the whole formula "
                f"(×{rv} on every entry would not give that error)")
    elif j is not None:
        said = (f"{found_}; but neither ×{rv} on this row alone nor ×{rv} on the whole tensor gives the random "
                f"direction's error (vᵀ∇C), to its tolerance: more than one row, or entries not checked one by one, "
                f"are off; run --mode full on this tensor")
    else:
        said = (f"{found_}; but ×{rv} on the whole tensor does not give the random direction's error (vᵀ∇C), to its "
                f"tolerance, so it is no factor of the whole formula: entries not checked one by one are off by other "
                f"amounts, or not at all; run --mode full on this tensor")
    return (said,) + _where_from_the_others(ctx, e.l, e.kind)


def _unchecked_above(ctx: _Context, l: int) -> tuple[str, ...]:
    """Under ``layers=``, after a ratio read as one slip made for every layer (y − a for a − y in ∂C/∂a, the
    averaging, a step up the gradient), where the layers above every checked one were not checked: they would fail
    with the same ratio, where a slip in layer ``l``'s own formulas would leave them passing (``_passing_above``'s
    evidence, missing here). Said as a classic mistake's ``_told_apart`` says which unchecked tensors tell apart."""
    if not ctx.layers:
        return ()
    unchecked = list(range(max(ctx.layers) + 1, ctx.base.net.L + 1))
    if not unchecked:
        return ()
    tensors = [(k, kind) for k in unchecked for kind in ("w", "b")]
    them = _layers_text(unchecked)
    own = (f"layer {l}'s own formulas would leave it passing" if unchecked == [l + 1]
           else f"layer {l}'s own formulas, or in a later layer's δ that BP2 hands down to it, would leave layer "
                f"{unchecked[-1]} passing")
    said = (f"a slip made for every layer (in ∂C/∂a, or in how every layer's gradient is averaged or signed) would "
            f"fail {them} too; one in {own}: {_tensor_names(tensors)}, not checked, tell them apart: check {them} too")
    return (said,)


def _diag_l2_term(ctx: _Context, e: _Entries) -> tuple[str, ...] | None:
    """A w^(l) under training.l2 whose b^(l) passes (on evidence: δ^(l) is right) and whose failing entries are off by
    one multiple of its L2 term, analytic − numeric = c·λw, with every judged entry passing once c·λw is taken off:
    the L2 term written (1 + c)·λw, in this ∂C/∂w's own code (λw left out, 2λw, −λw, ½λw, λw/n), not the layer input
    BP4 takes, which δ^(l) (a^(l−1))ᵀ right and λw right would leave nothing for; and only where some failing entry
    is not k × numeric (k = 1 + c), whose δ part is large enough to tell the L2 term from the whole ∂C/∂w scaled by k.
    λw left out of every layer is a classic mistake of its own (``_variants``' omit_l2), named before this."""
    if e.kind != "w" or not ctx.base.net.l2 or not _passes_on_evidence(ctx, (e.l, "b")):
        return None
    p = _l2_term(ctx.base, e.l, e.kind)[e.flat]
    d, pf = (e.a - e.n)[e.fail], p[e.fail]
    if not np.all(np.isfinite(d)) or not np.any(pf):
        return None
    c = float(np.dot(d, pf) / np.dot(pf, pf))
    if not np.isfinite(c) or abs(c) < 1e-3 or not _close(e.a - c * p, e.n, ctx.rtol, ctx.atol).all():
        return None
    judged = ctx.judged.get((e.l, e.kind))  # in fast mode its direction too: vᵀ(analytic − c·λw) against vᵀ∇C
    if judged is not None and not _close(judged[0] - c * judged[2], judged[1], ctx.rtol, ctx.atol).all():
        return None
    k, n = 1.0 + c, ctx.base.n
    # (what the L2 term is, as written; analytic − numeric), for the factors a slip gives
    named = [(0.0, "0 (λw left out)", "−λw"), (2.0, "2λw (λw added twice)", "+λw"),
             (-1.0, "−λw (its sign flipped: the penalty (λ/2)‖w‖² adds +λw to ∂C/∂w)", "−2λw"),
             (0.5, "½λw (the ½ of (λ/2)‖w‖² kept: d/dw (λ/2)w² = λw)", "−½λw")]
    if n > 1:
        named += [(1.0 / n, f"λw/n (divided by the n = {n} examples: the penalty is added once to the mean cost, not "
                            f"to each example's C_i)", f"−{1 - 1 / n:.6g}·λw"),
                  (float(n), f"{'n' if n == 2 else n}λw (added once per example, n = {n}: the mean cost carries the penalty once)",
                   f"+{n - 1}·λw")]
    tol = max(1e-3, 10 * ctx.rtol)
    # every reading the factor fits, as with n = 2 examples ½λw is λw/n and 2λw is nλw: both named
    fits = [(t, o) for x, t, o in named if abs(k - x) <= tol * max(1.0, abs(x))]
    term, off = ((" or ".join(t for t, _ in fits), fits[0][1]) if fits else
                 (f"{k:.6g}·λw (×{k:.6g})", f"{c:+.6g}·λw".replace("-", "−")))
    # the whole ∂C/∂w scaled by k (dw negated, halved, doubled) gives analytic − numeric = c·(δ part + λw): told apart
    # from c·λw only on a failing entry whose c·(δ part), c·(numeric − λw), is above tolerance, where analytic is not
    # k × numeric; where every one is, the numbers cannot tell the two apart: the ratio is read (``_diag_ratio``),
    # and the L2 term named as the other reading
    if _close(e.a, k * e.n, ctx.rtol, ctx.atol)[e.fail].all():
        said = _diag_ratio(ctx, e)
        return None if said is None else said + _where_from_the_others(ctx, e.l, e.kind, _own_ratio(ctx, e)[0]) + (
            f"or the L2 term in ∂C/∂w^({e.l}) is written as {term}: its δ part, numeric − λw, is too small on every "
            f"failing entry (λw rules ∂C/∂w^({e.l}), λ = training.l2 = {ctx.base.net.l2:g}) for the numbers to tell "
            f"that from the whole ∂C/∂w^({e.l}) scaled by {k:.6g}".replace("-", "−"),)
    return (f"the L2 term in ∂C/∂w is written as {term}: analytic − numeric = {off} on every failing entry, where the "
            f"penalty (λ/2)‖w‖² gives λw (λ = training.l2 = {ctx.base.net.l2:g}); with λw in its place every checked "
            f"entry passes, and b of the same layer passes, so δ there is right: the slip is in the L2 term, not in "
            f"BP4's δ (a)ᵀ",)


def _every_b_shows(ctx: _Context, fit: float, spread: float) -> bool:
    """Every layer's b^(l) is checked and fails with the ratio ``fit``, and every layer's w^(l) fails with none of its
    entries showing it (``_not_shown``): a factor in δ^(L) (or ∂C/∂a), which BP2 hands down to every layer, would
    have given the w^(l) the ratio too, so the slip is in the ∂C/∂b every layer takes, not in each ∂C/∂b^(l)'s own
    formula alone. Where some w^(l) shows the ratio (or passes), its box reads it as ∂C/∂a's, and this is not said."""
    L = ctx.base.net.L
    ratios = [_other_ratio(ctx, (m, "b")) for m in range(1, L + 1)]
    return (L > 1 and all(r is not None and abs(r - fit) <= max(1e-3, spread) * abs(fit) for r in ratios)
            and all(_not_shown(ctx, (m, "w"), fit, spread) is not None for m in range(1, L + 1)))


def _read_without_l2(ctx: _Context, key: tuple[int, str]) -> str:
    """How failing tensor ``key`` shows a constant ratio where its values show none (``_ratio_reading``): "aside",
    its L2 term λw taken out of both sides, "missing", λw taken out of the numeric side alone; else ""."""
    judged = _judged_entries(ctx, key)
    return "" if judged is None else _ratio_reading(ctx, key[1], *judged)[1]


def _own_ratio(ctx: _Context, e: _Entries) -> tuple[tuple[float, float, int] | None, str]:
    """``_ratio_reading`` of failing tensor ``e``'s entries."""
    return _ratio_reading(ctx, e.kind, e.a, e.n, _l2_term(ctx.base, e.l, e.kind)[e.flat])


def _sharing_above(ctx: _Context, l: int, fit: float, spread: float) -> int:
    """The highest layer m ≥ l up to which every layer above l fails with the ratio ``fit`` in every
    tensor and passes in none: a slip in δ^(m) reaches δ^(l) through BP2 and gives them all that ratio.
    A layer with a passing tensor (its δ is then right, or its w or b formula has the slip) or another
    ratio ends the walk."""
    top = l
    for k in range(l + 1, ctx.base.net.L + 1):
        ratios = [_other_ratio(ctx, (k, t)) for t in ("w", "b")]
        if any(r is None or abs(r - fit) > max(1e-3, spread) * abs(fit) for r in ratios):
            break
        top = k
    return top


def _other_ratio(ctx: _Context, key: tuple[int, str]) -> float | None:
    """The constant analytic/numeric ratio of tensor ``key`` where it fails with one, over its entries
    judged one by one (``_constant_ratio``; a w^(l) under L2's with λ w^(l) taken out, ``_ratio_of``), else None."""
    found = _ratio_of(ctx, key)
    return None if found is None else found[0]


def _ratio_of(ctx: _Context, key: tuple[int, str]) -> tuple[float, float, int] | None:
    """``_other_ratio`` with its spread and count (``_ratio_reading``)."""
    found = _judged_entries(ctx, key)
    return None if found is None else _ratio_reading(ctx, key[1], *found)[0]


def _ratio_reading(ctx: _Context, kind: str, a: Array, n: Array, p: Array
                   ) -> tuple[tuple[float, float, int] | None, str]:
    """(``_constant_ratio`` of entries ``a``, ``n``, whether it is read with their L2 term ``p`` taken out): of the
    values, else, for a w^(l) under L2, of the values less λ w^(l) (``_l2_term``), which a factor in δ^(l) leaves
    as it is (∂C/∂a's factor 2 left out gives b^(l) ×½, but ∂C/∂w^(l) = ½ (δ part) + λ w^(l), of no one ratio); else
    of the values against the numeric ones less λw, where the analytic side has no L2 term at all (λw left out as well
    as a factor in δ: analytic = ½ δ part). The reading: "" (the values), "aside" (λw taken out of both sides),
    "missing" (λw taken out of the numeric side alone), or "" with no ratio found."""
    found = _constant_ratio(ctx, a, n)
    if found is not None or kind != "w" or not p.any():
        return found, ""
    found = _constant_ratio(ctx, a - p, n - p)
    if found is not None:
        return found, "aside"
    found = _constant_ratio(ctx, a, n - p)
    return found, "missing" if found is not None else ""


def _judged_entries(ctx: _Context, key: tuple[int, str]) -> tuple[Array, Array, Array] | None:
    """Failing tensor ``key``'s entries judged one by one: (analytic, numeric, their L2 term, ``_l2_term``)."""
    chk = ctx.found.get(key)
    if ctx.statuses.get(key) != "fail" or chk is None:
        return None
    keep = ~np.isin(chk.status, UNJUDGED)
    if not keep.any():
        return None
    return chk.analytic[keep], chk.numeric[keep], _l2_term(ctx.base, *key)[chk.flat[keep]]


def _not_shown(ctx: _Context, key: tuple[int, str], r: float, spread: float) -> str | None:
    """Tensor ``key`` fails, and none of its entries judged one by one where a factor r in δ^(l) would show (its
    numeric value so changed fails against it) shows it (a within max(1e-3, spread, rtol) of it): a factor r in the
    δ^(l) it shares with its layer's other tensor, which shows r, would have given it r too. A factor in δ^(l) leaves
    a w^(l)'s L2 term λ w^(l) as it is (``_l2_term``): an entry shows r where a − λw is r × (n − λw), or, the whole
    gradient scaled (λ w^(l) too), where a is r × n, or, λw left out besides, where a is r × (n − λw). Said as "none of its 3 entries shows it"; None where it passes,
    where an entry shows r, or where no entry would (its gradient ~0: r × ~0 is ~0 as well)."""
    found = _judged_entries(ctx, key)
    if found is None:
        return None
    a, n, p = found
    tol = max(1e-3, spread, ctx.rtol)
    with np.errstate(over="ignore", invalid="ignore"):
        rd, rn = r * (n - p), r * n  # the δ part × r, and the whole gradient × r
        would = ~_close(rd + p, n, ctx.rtol, ctx.atol)
        shows = np.abs((a - p) - rd) <= ctx.atol + tol * np.abs(rd)
        whole = ~_close(rn, n, ctx.rtol, ctx.atol) & (np.abs(a - rn) <= ctx.atol + tol * np.abs(rn))
        # or λw left out besides (``_ratio_reading``'s "missing"): a is r × (n − λw)
        bare = p.any() & (np.abs(a - rd) <= ctx.atol + tol * np.abs(rd))
    m = int(would.sum())
    if m == 0 or (would & shows).any() or whole.any() or (would & bare).any():
        return None
    if m < len(a):  # some entries ~0, where r × n passes against n as well
        return ("the 1 of its entries large enough to show it does not" if m == 1
                else f"none of the {m} of its entries large enough to show it does")
    return ("its entry does not show it" if m == 1 else "neither of its entries shows it" if m == 2
            else f"none of its {m} entries shows it")


#: How closely quotients within 1e-3 of 1 must agree to be one factor (``_constant_ratio_of``), beyond their rounding:
#: this share of the factor's distance from 1 (×1.0001: to 1e-6).
NEAR_ONE = 1e-2


def _constant_ratio(ctx: _Context, a: Array, n: Array) -> tuple[float, float, int] | None:
    """(ratio, its relative spread, entries it is over) where analytic/numeric is one constant over
    the entries ``a``, ``n`` not near 0 (``_diag_ratio``), else None; over one such entry, besides the telltale
    factors, the ratio another failing tensor shows (``_shared_ratio``)."""
    found = _constant_ratio_of(a, n, ctx.atol, ctx.base.n, ctx.base.cost, ctx.eps)
    return found if found is not None else _shared_ratio(ctx, a, n)


def _shared_ratio(ctx: _Context, a: Array, n: Array) -> tuple[float, float, int] | None:
    """(ratio, its spread, 1) where the entries ``a``, ``n`` have one not near 0 (``_constant_ratio_of``'s), whose
    quotient is, to both ones' rounding and 1e-6, the constant ratio another failing tensor shows over several of its
    entries judged one by one (as they are, or a w^(l)'s with λw taken out: ``_ratio_reading``): every dw and db ×
    1.0001 gave b^(2) of one output "no simple pattern" beside the others' ×1.0001. A lone quotient is a ratio of its
    own only where it is a telltale factor (×2, ×½, …); one that another tensor shares to 1e-6 is no coincidence."""
    if not n.size:
        return None
    small = max(ctx.atol, 1e-3 * float(np.abs(n).max()))
    big = np.abs(n) > small
    if big.sum() != 1:
        return None
    r = float(a[big][0] / n[big][0])
    if r == 0 or not math.isfinite(r) or np.any(np.abs(a[~big]) > 2 * abs(r) * small + ctx.atol):
        return None
    blur = 3 * auto_atol(ctx.base.cost, ctx.eps) / float(np.abs(n[big][0]))
    for key in ctx.found:
        judged = _judged_entries(ctx, key)
        if judged is None:
            continue
        x, y, p = judged
        for pair in ((x, y), (x - p, y - p)) if p.any() else ((x, y),):
            other = _constant_ratio_of(*pair, ctx.atol, ctx.base.n, ctx.base.cost, ctx.eps)
            if other is not None and other[2] > 1 and abs(r - other[0]) <= (blur + other[1] + 1e-6) * abs(other[0]):
                return r, blur, 1
    return None


def _constant_ratio_of(a: Array, n: Array, atol: float, n_examples: int, cost: float, eps: float
                       ) -> tuple[float, float, int] | None:
    """``_constant_ratio`` at step ``eps`` with that ``atol``, ``n_examples`` examples and a cost of ``cost``
    (--convergence's sweep names the plain check's pattern with it)."""
    # an entry near 0 is near 0 on the numeric side: a 0 (or any value) from the analytic side where
    # n is large counts against the ratio (r09: w^(1) exactly 0 where n is the tensor's largest)
    small = max(atol, 1e-3 * np.abs(n).max())
    big = np.abs(n) > small
    if big.sum() == 0:
        return None
    r = a[big] / n[big]
    med = float(np.median(r))
    if med == 0 or np.any(np.abs(a[~big]) > 2 * abs(med) * small + atol):
        return None  # and a large analytic value where n is near 0 fits no ratio either
    if big.sum() == 1:
        # One entry (e.g. the bias of a single output) is a constant ratio only when it is
        # one of the telltale factors, to well within the check's precision.
        n_ex = n_examples
        named = [-1.0, 2.0, 0.5] + ([float(n_ex), 1.0 / n_ex] if n_ex > 1 else [])
        if not any(abs(med - x) <= 1e-6 * abs(x) for x in named):
            return None
    # Each quotient n carries the costs' rounding at ε (auto_atol's figure), so a ratio over a tiny
    # n is known only to noise/|n|: a ×2 in gradients of 1e-9 read "ranges 1.99 … 2.03". Three
    # times that is allowed around 1e-3, and the ratio named is the least-squares one, a ≈ r·n,
    # which the largest entries set, known to noise/‖n‖; too loosely known (over 10%), none is named.
    nb, noise = np.abs(n[big]), auto_atol(cost, eps)  # the costs' rounding (not the fitted 1e-8)
    blur, off = 3 * noise / nb, abs(med - 1.0)
    if off <= 1e-3:
        # A factor within 1e-3 of 1 (every dw and db × 1.0001): the 1e-3 the others are allowed would take in
        # quotients that differ as much as they stand from 1 (1.00005 … 1.00014, no simple pattern). One only where
        # they agree to their rounding (1.0000999996 … 1.0001000005), two or more of them told from 1 by ten times it
        if not (np.all(np.abs(r - med) <= (blur + NEAR_ONE * off) * abs(med)) and np.sum(10 * blur < off) >= 2):
            return None
    elif not np.all(np.abs(r - med) <= (1e-3 + blur) * abs(med)):
        return None
    spread = 3 * noise / float(np.sqrt(np.sum(nb * nb)))
    if spread > 0.1:
        return None
    fit = float(np.dot(a[big], n[big]) / np.dot(n[big], n[big])) if spread > 1e-3 else med
    return fit, spread, int(big.sum())


#: A w^(l)'s ratio read with its L2 term λ w^(l) taken out of both sides (``_ratio_reading``), in words that name no
#: layer (the box's w is the one meant), so that one slip in ∂C/∂a, shown by every w^(l) so and by every b^(l) as
#: analytic/numeric, is one box (``shared_diagnosis``); and its sign flip's equation.
L2_QUOTIENT = "(analytic − λw)/(numeric − λw)"
L2_FLIP = "analytic − λw = −(numeric − λw)"

#: The count in a constant ratio's words (_name_ratio): "on all 6 entries", "on its entry", "on both
#: entries not near 0 (of 3 checked)", … (group 2: " not near 0" where some entries are near 0).
_RATIO_COUNT = re.compile(r"((?:analytic/numeric|\(analytic − λw\)/\(numeric − λw\)|analytic/\(numeric − λw\)) = \S+) "
                          r"(?:on its (?:only )?entry|on the 1 entry|on both entries"
                          r"|on all [\d,]+ entries)( not near 0)?(?: \(of [\d,]+ checked\))?")


#: Why a ratio is known to no more than ±x% (_name_ratio): said after it, "(to ±7%: {BLURRED})"; tensors that share a
#: diagnosis but for their ±x% share one box, which says each one's (``shared_words``).
BLURRED = "the costs' rounding blurs quotients of gradients this small"
#: A shared diagnosis's count (``shared_words``), and the λw note after it: where each tensor's ±x% goes.
_SHARED_COUNT = re.compile(r" = \S+ on every entry(?: not near 0)?(?: \(λw: [^()]*(?:\([^()]*\)[^()]*)*\))?")
_RATIO_SPREAD = re.compile(r" \(to ±([^%]+)%: " + re.escape(BLURRED) + r"\)")


#: How a diagnosis line rules out a mistake that gives a failing tensor's values but not the other checked
#: tensors' (``_told_apart``): ``not {mistake}{RULED_OUT}{why}``, ``why`` naming the tensors that rule it out.
RULED_OUT = ": that gives these same values, but "


def ruled_out(line: str) -> str | None:
    """The mistake a diagnosis line rules out (``RULED_OUT``), or None where the line is a finding: the
    CLI says the mistakes ruled out in one line of a box; ``--json`` keeps each in its own words."""
    if line.startswith("not ") and RULED_OUT in line:
        return line[len("not "):line.index(RULED_OUT)]
    return None


def shared_diagnosis(diagnosis: Sequence[str]) -> tuple[str, ...]:
    """A diagnosis without its tensor's own count, for several tensors that share it: ×½ on all 6
    entries of w^(1), on all 3 of b^(1) and on the 1 of b^(2) are one finding, "analytic/numeric =
    0.5 on every entry". Lines with no such count are kept as they are. Under training.l2 a w^(l) read with
    λw taken out (``L2_QUOTIENT``) shares it with the b^(l) read plainly, whose L2 term is 0: the key the CLI
    groups tensors by (``box_key``); ``shared_words`` says the group's diagnosis."""
    return tuple(_RATIO_COUNT.sub(r"\1 on every entry\2", line).replace(L2_QUOTIENT, "analytic/numeric")
                 .replace(L2_FLIP, "analytic = −numeric") for line in diagnosis)


def box_key(diagnosis: Sequence[str]) -> tuple[str, ...]:
    """The key the CLI groups failing tensors by: ``shared_diagnosis``, and without what a ratio's words say of one
    tensor's entries alone, how well the costs' rounding lets it be known (``BLURRED``) and that some entries, near 0,
    are left out: ×2 known to ±7% on w^(1), two of whose entries are near 0, and to ±5.3% on b^(1) is one finding
    (two boxes said it), ``shared_words`` saying each one's ±x%."""
    return tuple(_RATIO_SPREAD.sub("", line).replace(" on every entry not near 0", " on every entry")
                 for line in shared_diagnosis(diagnosis))


def read_without_l2(diagnosis: Sequence[str]) -> bool:
    """Is this a w^(l)'s ratio read with its L2 term λw taken out of both sides (``L2_QUOTIENT``)?"""
    return any(L2_QUOTIENT in line for line in diagnosis)


def shared_words(diagnoses: Sequence[Sequence[str]], names: Sequence[str]) -> tuple[str, ...]:
    """The diagnosis said once for tensors ``names`` that share it (``shared_diagnosis``): as they all say it, but
    for their counts; where some w^(l) read it with λw taken out and the rest (biases, whose L2 term is 0) plainly,
    in the first one's words, with what λw is for the others: "(analytic − λw)/(numeric − λw) = 0.5 on every entry
    (λw: the L2 term, 0 for b^(1), b^(2))"."""
    read = [read_without_l2(d) for d in diagnoses]
    mixed = any(read) and not all(read)
    zero = ", ".join(name for name, r in zip(names, read) if not r)
    note = f" (λw: the L2 term, 0 for {zero})" if mixed else ""
    out = []
    for i, line in enumerate(diagnoses[read.index(True)] if mixed else diagnoses[0]):
        # "not near 0" where some tensor had entries near 0: every entry of the others is not
        near = " not near 0" if any(i < len(d) and (m := _RATIO_COUNT.search(d[i])) is not None and m[2]
                                    for d in diagnoses) else ""
        out.append(_RATIO_COUNT.sub(lambda m, near=near: f"{m[1]} on every entry{near}{note if L2_QUOTIENT in m[1] else ''}",
                                    line))
    return _spreads(tuple(out), diagnoses, names)


def _spreads(lines: tuple[str, ...], diagnoses: Sequence[Sequence[str]], names: Sequence[str]) -> tuple[str, ...]:
    """``lines``, one tensor's words for tensors ``names`` that share them, with each one's ±x% (``BLURRED``) where
    they differ: "(to ±7% on w^(1), ±5.3% on b^(1): the costs' rounding blurs …)", the others' ratios being known
    to 1e-3. Where ``lines`` has no such clause but another's has, it goes after the ratio's count."""
    out = []
    for i, line in enumerate(lines):
        known = [(name, m[1]) for name, d in zip(names, diagnoses)
                 if i < len(d) and (m := _RATIO_SPREAD.search(d[i])) is not None]
        if not known or len({x for _, x in known}) == 1 and len(known) == len(names):
            out.append(line)
            continue
        each = ", ".join(f"±{x}% on {name}" for name, x in known)
        clause = f" (to {each}: {BLURRED})"
        if _RATIO_SPREAD.search(line):
            line = _RATIO_SPREAD.sub(lambda _, clause=clause: clause, line, count=1)
        elif (m := _SHARED_COUNT.search(line)) is not None:
            line = line[:m.end()] + clause + line[m.end():]
        out.append(line)
    return tuple(out)


def _ratio_text(r: float, spread: float = 0.0) -> str:
    """A ratio as the words say it: 6 significant digits (3 where the costs' rounding blurs it past 1e-3), and as
    many more as tell it from 1 (×1.000001 read "×1")."""
    d = 6 if spread <= 1e-3 else 3
    while d < 12 and r != 1 and float(f"{r:.{d}g}") == 1:
        d += 1
    return f"{r:.{d}g}"


def _name_ratio(r: float, n: int, cost: str, m: int, total: int | None = None, outputs: int = 1,
                spread: float = 0.0, alone: tuple[str, ...] | None = None,
                above: tuple[int, str] | None = None, near_note: str = "",
                below: tuple[int, str] | None = None, l2: str = "", whole: bool = True, l2_note: str = "",
                out: str = "") -> str:
    """Words for a constant ratio analytic/numeric = r, with n examples, ``outputs`` output units
    and cost ``cost`` (output activation ``out``), over the ``m`` entries of ``total`` checked that are not near 0
    (``_diag_ratio``'s ``big``), known to a relative ``spread`` (0: to 1e-3) where the gradients
    are so small that the costs' rounding blurs their quotients. ``alone``: (this tensor, its layer's
    other one) where that other one passes: δ^(l) is right, so a mistake in ∂C/∂a or δ (y − a for
    a − y, the factor 2 of ∂C/∂a) would fail both and is not offered; the factor is in this tensor's own
    formula (``_alone_ratio``). ``above``: (layer l, who) where no such partner passes but a later layer's
    tensor does (``_passing_above``): a mistake in ∂C/∂a would fail it too, so the factor is placed in
    layer l's own formulas (``_layer_ratio``). ``below``: (layer l, who) where no such partner passes but an
    earlier layer's tensor ``who`` rules the ratio out (``_passing_below``): a factor in δ^(l) or ∂C/∂a would
    reach it through BP2, so the factor is placed in layer l's BP3/BP4 (``_below_ratio``). ``near_note``: said
    after "(of N checked" where some entries are near 0 (--convergence's sweep: what near 0 is, beside a verdict
    that counts the entries reaching atol). ``l2``: "aside", the ratio is a w^(l)'s read with its L2 term λ w^(l) taken
    out of both sides (``_ratio_reading``), said as (analytic − λw)/(numeric − λw), λw being the box's own w's;
    "missing", of analytic/(numeric − λw), λw left out of the analytic side, said so after the rest; ``whole``
    False (and with either reading): no reading that scales the whole gradient, λw with it (dw negated for the update, a step
    taken up the gradient), as a slip in δ or ∂C/∂a leaves λw as it is; ``l2_note``: said after the count, what λw is
    where no box of one w^(l) says it (--convergence's sweep over every tensor)."""
    said = _ratio_words(r, n, cost, m, total, outputs, spread, alone, above, near_note, below, l2,
                        whole and not l2, l2_note, out)
    if l2 == "missing":
        said += ("; and λw, the L2 term the penalty (λ/2)‖w‖² adds to ∂C/∂w, is left out: the analytic values hold "
                 "none of it")
    return said


def _ratio_words(r: float, n: int, cost: str, m: int, total: int | None, outputs: int, spread: float,
                 alone: tuple[str, ...] | None, above: tuple[int, str] | None, near_note: str,
                 below: tuple[int, str] | None, l2: str, whole: bool, l2_note: str, out: str = "") -> str:
    """``_name_ratio``'s words but for the "missing" reading's last clause."""
    tol = max(1e-3, spread)
    q = {"aside": L2_QUOTIENT, "missing": "analytic/(numeric − λw)"}.get(l2, "analytic/numeric")

    def near(x: float) -> bool:
        return abs(r - x) <= tol * abs(x)

    # "significant entries" said nothing a learner could check: the others are ~0 (below 1e-3 of the
    # largest |n|, or atol), where a ratio means nothing
    rv = _ratio_text(r, spread)
    if total is not None and m == total:
        head = (f"{q} = {rv} {_on_all(m)}" if m > 1
                else f"{q} = {rv} on its entry")
    else:
        head = (f"{q} = {rv} {_on_all(m, 'entries not near 0')}" if m > 1
                else f"{q} = {rv} on its only entry not near 0")
        head += f" (of {total} checked{near_note})" if total is not None else ""
    head += l2_note if l2 else ""
    if spread > 1e-3:
        head += f" (to ±{100 * spread:.2g}%: {BLURRED})"
    # A cost averaged over the output units as well as the examples, where every cost here sums over them
    # (``_output_means``): ×1/n_L, ×2/n_L against half_squared_error's ½Σ_j. Where that is the factor another
    # reading gives too (×½ with 2 outputs), both are said
    mse = next(((f, words) for per_unit, f, words in _output_means(cost, out)
                if per_unit != outputs and near(per_unit / outputs)), None) if outputs > 1 else None
    factor, averaged = mse if mse is not None else ("", "")
    also = f"; or, the same factor with n_L = {outputs} output units, {factor}: {averaged}" if mse else ""
    if alone is not None:
        return _alone_ratio(r, n, head, near, *alone, whole=whole, l2=l2)
    if below is not None:
        return _below_ratio(r, n, head, near, *below, whole=whole, l2=l2)
    if above is not None:
        return _layer_ratio(r, n, head, near, *above, whole=whole, l2=l2)
    if near(-1.0):
        return (f"sign flip: {head}, {_flip_words(l2)}: e.g. y − a written for a − y"
                f"{', or a step taken up the gradient' if whole else ''}")
    if near(2.0) and n == 2:
        return (f"×2 (= ×n, n = 2 examples): {head}: a cost-derivative or averaging bug, either a "
                f"factor 2 too many in ∂C/∂a or a sum over the examples instead of the mean{also}")
    if near(0.5) and n == 2:
        return (f"×½ (= ×1/n, n = 2 examples): {head}: a cost-derivative or averaging bug, either "
                f"the factor 2 of ∂C/∂a is missing or the gradient is divided by n twice{also}")
    if near(0.5):
        where = (" — for squared_error ∂C/∂a = 2(a − y) (seed 000, eq. 4)" if cost == "squared_error"
                 else "")
        return f"×½: {head}: a cost-derivative or averaging bug, a factor 2 missing{where}{also}"
    if near(2.0):
        where = (" — for half_squared_error ∂C/∂a = a − y, without the 2" if cost == "half_squared_error"
                 else "")
        return f"×2: {head}: a cost-derivative or averaging bug, a factor 2 too many{where}{also}"
    if n > 1 and near(float(n)):
        return (f"×n (n = {n} examples): {head}: a cost-derivative or averaging bug — summed over "
                f"the examples instead of averaged (the cost is the mean of C_i, so the gradient "
                f"carries 1/n){also}")
    if n > 1 and near(1.0 / n):
        return (f"×1/n (n = {n} examples): {head}: a cost-derivative or averaging bug — divided by "
                f"n twice (the mean taken of an already averaged gradient){also}")
    if mse:
        return f"{factor} (n_L = {outputs} output units): {head}: {averaged}"
    return f"constant ratio ×{_ratio_text(r)}: {head}: a constant factor is missing or extra"


def _output_means(cost: str, out: str) -> tuple[tuple[float, str, str], ...]:
    """(per_unit, factor, words) for each way of averaging cost ``cost`` (output activation ``out``) over the n_L
    output units as well as the examples, where C0 here sums over them: the gradient comes out ×per_unit/n_L."""
    carries = "∂C/∂a_j carries no 1/n_L"
    mse = "the cost averaged over the output units (as PyTorch's MSELoss() and Keras' mean_squared_error do)"
    if cost == "squared_error":
        return ((1.0, "×1/n_L", f"{mse}, where squared_error sums over them (C0 = Σ_j (a_j − y_j)²): {carries}"),)
    if cost == "half_squared_error":
        sums = f"where half_squared_error sums over them (C0 = Σ_j ½(a_j − y_j)²): {carries}"
        half = f"½ of the squared error averaged over the output units as well as the examples, {sums}"
        return (2.0, "×2/n_L", f"{mse}, {sums}"), (1.0, "×1/n_L", half)
    if cost == "cross_entropy" and out == "sigmoid":
        bce = ("the binary cross-entropy averaged over the output units (as PyTorch's BCELoss() and Keras' "
               "binary_crossentropy do), where cross_entropy sums over them (C0 = −Σ_j [y_j ln a_j + (1 − y_j) "
               f"ln(1 − a_j)]): {carries}")
        return ((1.0, "×1/n_L", bce),)
    if cost == "cross_entropy" and out == "softmax":
        cce = ("the mean taken over the output units as well as the examples (np.mean of the n × n_L terms "
               "−y_j ln a_j), where categorical cross-entropy sums over them (C0 = −Σ_j y_j ln a_j, as PyTorch's "
               f"CrossEntropyLoss() does): {carries}")
        return ((1.0, "×1/n_L", cce),)
    return ()


def _flip_words(l2: str) -> str:
    """A sign flip's equation in ``_name_ratio``'s reading ``l2``."""
    return {"aside": L2_FLIP, "missing": "analytic = −(numeric − λw)"}.get(l2, "analytic = −numeric")


def _alone_ratio(r: float, n: int, head: str, near: Callable[[float], bool], name: str, other: str,
                 both: str | None = None, every: str = "", *, whole: bool = True, l2: str = "") -> str:
    """``_name_ratio``'s words where ``other``, the same layer's other tensor, passes: the mistake is in
    ∂C/∂``name``'s own formula (BP4's for w, BP3's for b), not in δ^(l), which ``other`` shares: "y − a
    written for a − y" or a factor 2 missing from ∂C/∂a would fail both (and contradicted the line under
    it, "b^(2) passes, so δ^(2) is right"). ``both``: why not in δ^(l) where ``other`` fails with another
    ratio (a slip there would give it this one too). ``every``: "every" where every layer's b^(l) shows the ratio,
    which is then placed in the ∂C/∂b of every layer, not in this one's alone."""
    d, w = "d" + name[0], name[0]  # dw, db; w, b
    both = f"would fail {other} too" if both is None else both
    where = f"∂C/∂{name[0]} of every layer, each {name[0]}^(l) showing it" if every else f"∂C/∂{name} alone"
    return _placed_ratio(r, n, head, near, where, both, minus=d, whole=whole, l2=l2,
                         negated=f"{d} negated for the update ({w} ← {w} + η·{d})", after="",
                         rest="a constant factor is missing or extra")  # the line under it says where


def _layer_ratio(r: float, n: int, head: str, near: Callable[[float], bool], l: int, who: str,
                 top: int | None = None, *, whole: bool = True, l2: str = "") -> str:
    """``_name_ratio``'s words for a tensor of layer ``l`` whose partner fails too (or passes on ~0 alone) while
    ``who``, at a later layer, passes: ∂C/∂a is right (y − a for a − y, or its factor 2, would fail ``who``
    too), so the factor is in layer l's own formulas: δ^(l) as BP2 hands it back, or BP3/BP4 for this tensor;
    or, where layers up to ``top`` above it fail too, in one of theirs, whose δ BP2 hands down to δ^(l) (one
    slip in δ^(2) fails layers 1 and 2 alike: layer 1's formulas can be right). Said alike for w^(l) and
    b^(l), so that where they share a ratio one box holds both."""
    top = l if top is None else top
    if top == l:
        own = f"layer {l}'s own formulas"
        there = f"δ^({l}) as BP2 hands it back, or in ∂C/∂w^({l}) or ∂C/∂b^({l}) taken from it (BP4, BP3)"
    else:
        above = f"layer {top}, which fails" if top == l + 1 else f"layers {l + 1}-{top}, which fail"
        own = f"layer {l}'s own formulas or those of {above} too"
        there = (f"δ^(k) as BP2 hands it back for a layer k from {l} to {top} (BP2 carries it down to δ^({l})), "
                 f"or in ∂C/∂w^({l}) or ∂C/∂b^({l}) taken from δ^({l}) (BP4, BP3)")
    return _placed_ratio(r, n, head, near, own, f"would fail {who} too, which passes", minus=there, whole=whole, l2=l2,
                         negated="the gradient negated for the update (w ← w + η·dw)", after=f": in {there}",
                         rest=f"a constant factor is missing or extra in {own} ({who} passes)")


def _below_ratio(r: float, n: int, head: str, near: Callable[[float], bool], l: int, who: str, *,
                 whole: bool = True, l2: str = "") -> str:
    """``_name_ratio``'s words for a tensor of layer ``l`` whose partner fails too (or passes on ~0 alone) while
    ``who``, at an earlier layer, passes and would fail with this ratio: BP2 hands δ^(l) down to it, so a slip
    in δ^(l), or in ∂C/∂a (y − a for a − y, its factor 2: a cost derivative at the output), would give it the
    ratio too; the factor is in what layer l's BP4 and BP3 take from δ^(l) after it was handed down. Said alike
    for w^(l) and b^(l), so that where they share a ratio one box holds both."""
    where = f"layer {l}'s BP4 and BP3, ∂C/∂w^({l}) and ∂C/∂b^({l}) as taken from δ^({l})"
    both = f"would fail {who} too, which passes, as would any such slip in δ^({l}), which BP2 hands down to it"
    return _placed_ratio(r, n, head, near, where, both, whole=whole, l2=l2,
                         minus=f"∂C/∂w^({l}) or ∂C/∂b^({l}) after BP2 has handed δ^({l}) down",
                         negated="the gradient negated for the update (w ← w + η·dw)", after="",
                         rest=f"a constant factor is missing or extra in {where} (one in δ^({l}), which BP2 hands "
                              f"down, would fail {who} too, which passes)")


def _placed_ratio(r: float, n: int, head: str, near: Callable[[float], bool], where: str, both: str, *,
                  minus: str, negated: str, after: str, rest: str, whole: bool = True, l2: str = "") -> str:
    """A ratio placed ``where`` (a tensor's own formula, or a layer's), not in ∂C/∂a, which ``both`` says
    would fail more: a sign flip (a ``minus`` there, or, ``whole``, ``negated``), ×2 or ×½ (a factor 2 there,
    ``after`` saying where), ×n or ×1/n (an averaging bug), else ``rest``; ``l2`` as ``_name_ratio``'s."""
    if near(-1.0):
        return (f"sign flip: {head}, {_flip_words(l2)}, in {where} (y − a written for a − y "
                f"{both}): e.g. a minus in {minus}{f', or {negated}' if whole else ''}")
    if (near(2.0) or near(0.5)) and n == 2:
        more = near(2.0)
        return (f"{'×2 (= ×n' if more else '×½ (= ×1/n'}, n = 2 examples): {head}: in {where}, "
                f"{'a sum over the examples instead of the mean' if more else 'divided by n twice'} or a "
                f"factor 2 {'too many' if more else 'missing'} there (one in ∂C/∂a {both}){after}")
    if near(0.5) or near(2.0):
        return (f"×{'2' if near(2.0) else '½'}: {head}: a factor 2 {'too many' if near(2.0) else 'missing'} in "
                f"{where} (one in ∂C/∂a {both}){after}")
    if n > 1 and near(float(n)):
        return (f"×n (n = {n} examples): {head}: an averaging bug in {where} — summed over the examples instead "
                f"of averaged (the cost is the mean of C_i, so the gradient carries 1/n)")
    if n > 1 and near(1.0 / n):
        return (f"×1/n (n = {n} examples): {head}: an averaging bug in {where} — divided by n twice (the mean "
                f"taken of an already averaged gradient)")
    return f"constant ratio ×{_ratio_text(r)}: {head}: {rest}"


#: A square w^(l)'s transpose has its shape, so no shape error points at the fix: said as the shape error
#: of a non-square one says it (seed 001's Z = XW stores W as our wᵀ, so its X^T E is our gradient's transpose)
_TRANSPOSE_FIX = " (with examples as rows: delta.T @ a_prev, not a_prev.T @ delta as seed 001's Z = XW takes it)"


def _diag_transposed(ctx: _Context, e: _Entries) -> tuple[str, ...] | None:
    """Analytic values that equal the numeric ones at transposed positions."""
    if e.kind != "w":
        return None
    rows, cols = e.shape
    tol = (10 * ctx.rtol, ctx.atol)
    if len(e.flat) == rows * cols:  # every entry checked: compare whole matrices
        order = np.argsort(e.flat)
        A, N = e.a[order].reshape(rows, cols), e.n[order].reshape(rows, cols)
        if _close(A, N, *tol).all():  # a small error, within the loose tolerance as it stands: the
            return None  # transposition explains nothing (a 1×1 or symmetric w would "match" it)
        if rows == cols and _close(A, N.T, *tol).all():
            return (f"transposed: analytic ≈ numeric.T, {e.name}[j,k] holds the value of [k,j]: BP4 "
                    f"is ∂C/∂w^({e.l}) = δ^({e.l}) (a^({e.l - 1}))ᵀ, rows j = units of layer {e.l}{_TRANSPOSE_FIX}",)
        if rows != cols and _close(A.ravel(), N.T.ravel(), *tol).all():
            return (f"transposed order: the analytic values are numeric.T read row by row, e.g. "
                    f"(a^({e.l - 1}))ᵀ δ^({e.l}) of shape ({cols}, {rows}) reshaped to ({rows}, "
                    f"{cols}); BP4 is δ^({e.l}) (a^({e.l - 1}))ᵀ",)
        return None
    if rows != cols:
        return None
    where = {int(f): i for i, f in enumerate(e.flat)}
    pairs = [(i, where[(int(f) % cols) * cols + int(f) // cols]) for i, f in enumerate(e.flat)
             if int(f) // cols != int(f) % cols and (int(f) % cols) * cols + int(f) // cols in where]
    if len(pairs) >= 2:
        i, t = np.array(pairs).T
        if _close(e.a[i], e.n[t], *tol).all() and not _close(e.a[i], e.n[i], *tol).all():
            return (f"transposed: on the {len(pairs)} checked pairs, {e.name}[j,k] holds the numeric "
                    f"value of [k,j]: BP4 is δ^({e.l}) (a^({e.l - 1}))ᵀ{_TRANSPOSE_FIX}",)
    return None


DEFAULT_EPS = 1e-5  # check_gradients' and --eps's default step
_SAME_AS_BACKPROP = 1e-12  # relative: a variant this close to backprop's own values leaves them as they are


def _correct_values(ctx: _Context, e: _Entries) -> Array:
    dw, db = ctx.get_correct()
    return (dw if e.kind == "w" else db)[e.l - 1].ravel()[e.flat]


def _diag_tolerance(ctx: _Context, e: _Entries) -> tuple[str, ...] | None:
    """The analytic values are backprop's own, which fails the same entries: the finite
    differences cannot resolve the tolerance asked for (a tight --rtol, a large --eps)."""
    right = _correct_values(ctx, e)
    if not _close(e.a, right, ctx.rtol, ctx.atol).all() or _close(right, e.n, ctx.rtol, ctx.atol)[e.fail].any():
        return None
    # A step above the default: its ~ε² error is what fails them, and the option to change is --eps.
    fix = (f"take a smaller --eps (the default {DEFAULT_EPS:g}), loosen --rtol/--atol" if ctx.eps > DEFAULT_EPS
           else "loosen --rtol/--atol")
    return (f"the analytic values are backprop's own (correct) gradient, which fails these entries "
            f"too: the tolerance (rtol {ctx.rtol:g}, atol {ctx.atol:g}) is finer than central "
            f"differences with ε = {ctx.eps:g} resolve (their error: ~ε² from the step, ~1e-16·C/ε "
            f"from rounding); {fix}, or judge by --convergence",)


def _diag_variants(ctx: _Context, e: _Entries) -> tuple[str, ...] | None:
    """Backprop recomputed with one classic mistake: does the analytic gradient match it?

    A mistake that leaves these entries as backprop's own (σ' left out at layer 1 does not
    change w^(L)) cannot explain their failure, and is not named. "As backprop's own" is to
    rounding (the variants share its arithmetic), not to the loose 10·rtol of the match: a
    mistake that moves the entries by 1-10 × rtol (a small λ's λ w left out) explains a failure.
    Several that match are told apart by the other checked tensors (``_told_apart``). A mistake that gives
    the analytic values only to that 10·rtol, not to rtol, is said to come close (by how much), not to
    match, and only where none matches to rtol (σ'(z^(1)) left out of δ^(1) came within 4.6e-5 of a slip
    that gave them exactly and was said to match)."""
    right = _correct_values(ctx, e)
    matched, off = [], {}
    for v in ctx.get_variants():
        vals = (v.dw if e.kind == "w" else v.db)[e.l - 1].ravel()[e.flat]
        if _close(vals, right, _SAME_AS_BACKPROP, 0.0).all():
            continue
        if _close(e.a, vals, 10 * ctx.rtol, ctx.atol).all() and not _close(vals, e.n, ctx.rtol, ctx.atol).all():
            matched.append(v)
            if not _close(e.a, vals, ctx.rtol, ctx.atol).all():
                off[v.short] = float(np.max(_rel_error(e.a, vals)))
    if len(off) < len(matched):  # the ones that match to rtol: the near misses are no explanation beside them
        matched = [v for v in matched if v.short not in off]
    if not matched:
        return None
    if all(_contradicted(ctx, e, v)[0] for v in matched):
        # each would change a tensor that passes (σ'(z^(2)) left out of δ^(2) gives w^(1) the values
        # of ∂C/∂a^(2) handed back, but would fail w^(2)): none is the mistake, whatever it matches here
        return None
    kept, notes = _told_apart(ctx, e, matched) if len(matched) > 1 else (matched, [])
    found = []
    for v in kept:
        # a mistake made at every layer, seen where only some were checked: what it says of the
        # others is untested
        seen = (f" — seen in {_layers_text(ctx.layers)} only: the other layers were not checked"
                if v.every and ctx.layers else "")
        verb = (f"come close to (within {off[v.short]:.1e} relative, above rtol)" if v.short in off else "match")
        found.append(f"the analytic values {verb} backprop with {v.text}{seen}")
    return tuple(found + notes)


def _variant_values(v: _Variant, key: tuple[int, str]) -> Array:
    return (v.dw if key[1] == "w" else v.db)[key[0] - 1]


def _tensor_names(keys: Iterable[tuple[int, str]]) -> str:
    """``w^(1)``, ``w^(1) and b^(1)``, ``w^(1), b^(1) and w^(3)``, in the report's order."""
    names = [f"{kind}^({l})" for l, kind in sorted(keys, key=lambda k: (k[0], k[1] == "b"))]
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def _contradicted(ctx: _Context, e: _Entries, v: _Variant) -> tuple[bool, list[tuple[int, str]]]:
    """The other checked tensors whose analytic values ``v`` does not give (to the match's loose
    10·rtol), and whether one of them passes: a mistake that would fail a passing tensor is not made."""
    tol = (10 * ctx.rtol, ctx.atol)
    keys = [key for key in ctx.analytic if key != (e.l, e.kind)
            and not _close(ctx.analytic[key].ravel(), _variant_values(v, key).ravel(), *tol).all()]
    return any(ctx.statuses.get(key) == "pass" for key in keys), keys


def _told_apart(ctx: _Context, e: _Entries, matched: list[_Variant]) -> tuple[list[_Variant], list[str]]:
    """Several mistakes give the failing entries' values (σ' left out of δ^(L) alone, or of every
    δ^(l)): keep those the other checked tensors' analytic values contradict least, and say why
    the others are ruled out (w^(1) passes, and σ' left out of δ^(1) too would change it). When
    none is ruled out, keep them all and say which tensor's check would tell them apart."""
    tol = (10 * ctx.rtol, ctx.atol)
    against = [_contradicted(ctx, e, v)[1] for v in matched]
    # a tensor that passes rules a mistake out before any number of failing ones it does not fit
    rank = [(sum(ctx.statuses.get(key) == "pass" for key in a), len(a)) for a in against]
    best = min(rank)
    kept = [v for v, r in zip(matched, rank) if r == best]
    notes = []
    if len(kept) < len(matched):
        for v, a, r in zip(matched, against, rank):
            if r == best:
                continue
            # the tensors where a kept mistake fits and this one does not
            told = [key for key in a if any(key not in b for b, q in zip(against, rank) if q == best)]
            passing = [key for key in told if ctx.statuses.get(key) == "pass"]
            failing = [key for key in told if key not in passing]
            why = []
            if passing:
                why.append(f"would change {_tensor_names(passing)}, which "
                           f"{'passes' if len(passing) == 1 else 'pass'}")
            if failing:
                why.append(f"not the analytic values of {_tensor_names(failing)}")
            notes.append(f"not {v.short}{RULED_OUT}{', and '.join(why)}")
        return kept, notes
    # none ruled out: the tensors of the network where they differ, checked or not
    everywhere = [(l, kind) for l in range(1, ctx.base.net.L + 1) for kind in ("w", "b")]
    differ = [key for key in everywhere
              if any(not _close(_variant_values(v, key).ravel(), _variant_values(u, key).ravel(), *tol).all()
                     for i, v in enumerate(matched) for u in matched[i + 1:])]
    who = "both mistakes give" if len(matched) == 2 else f"these {len(matched)} mistakes give"
    unchecked = [key for key in differ if key not in ctx.analytic]
    if unchecked:
        layers = sorted({l for l, _ in unchecked})
        notes.append(f"{who} the same {e.name} here; {_tensor_names(unchecked)}, not checked, "
                     f"{'tells' if len(unchecked) == 1 else 'tell'} them apart: check "
                     f"{_layers_text(layers)} too")
    elif differ:
        notes.append(f"{who} the same {e.name} here; where they differ ({_tensor_names(differ)}) the "
                     f"analytic values fit none of them better: more than one mistake may be at work")
    else:
        notes.append(f"{who} the same values in every tensor of this network: here they are one mistake")
    return kept, notes


def _layers_text(layers: Sequence[int]) -> str:
    """``layer 2``, ``layers 1 and 3``, ``layers 1, 2 and 4``."""
    if len(layers) == 1:
        return f"layer {layers[0]}"
    return f"layers {', '.join(map(str, layers[:-1]))} and {layers[-1]}"


def _failing_row(ctx: _Context, e: _Entries) -> int | None:
    """The row j of w^(l) that holds every failing entry, where that says something: two or more fail (one
    entry is a row and a column alike), and entries of other rows pass: checked, or in fast mode, which checks one
    by one a few entries bisection located, cleared on the evidence ``_others_cleared`` asks for. Else None."""
    if e.kind != "w" or e.shape[0] < 2 or int(e.fail.sum()) < 2:
        return None
    rows = np.unravel_index(e.flat, e.shape)[0]
    j = np.unique(rows[e.fail])
    if len(j) != 1:
        return None
    if ctx.mode == "fast" and _a_few(ctx, e):  # a few located entries of other rows passing clear no row
        return int(j[0]) if _others_cleared(ctx, e) is not None else None
    return int(j[0]) if np.any(rows[~e.fail] != j[0]) else None


def _others_cleared(ctx: _Context, e: _Entries) -> str | None:
    """Fast mode, its failing located entries of ``e`` all in one row: what clears the entries outside
    them, so that the row holds the error and not a few entries of it: "halves" where every half bisection did not
    follow passed on its own (``_Checked.complete``), "made up" where the failing entries' error makes up the
    direction's (``_made_up``); None where neither shows it. 1e-7 of noise on every entry of a 32 × 64 w^(1) failed
    its direction, and the 10 failing entries bisection located, 17% of its error, were all in row 26: the box said
    'every failing entry located is in row j = 26 … look at BP4 for this row', where full mode found 979 of 2048
    failing all over the tensor."""
    chk = ctx.found.get((e.l, e.kind))
    if chk is not None and chk.complete:
        return "halves"
    return "made up" if _made_up(ctx, e, np.flatnonzero(e.fail)) else None


def _confined_unshown(ctx: _Context, e: _Entries, j: int) -> tuple[str, ...]:
    """Fast mode's failing located entries of ``e``, two or more, all in row ``j`` where ``_others_cleared`` finds
    nothing clearing the rest: what was found, not that the error is confined to the row (bisection follows the
    halves that carry the error, down to runs of a row, so a few entries of one row can be all it located of an error
    spread over the tensor), with what their share of the direction's error leaves to the others."""
    fail = np.flatnonzero(e.fail)
    k, m = len(fail), len(e.flat)
    said = _not_shown_local(ctx, e, fail, f"confined to row j = {j}")
    found = (f"{_failing_count(k, m, True)}, {'both' if k == 2 else 'all'} in row j = {j} (the weights into unit {j} "
             f"of layer {e.l}){_ratio_span(e.a[fail], e.n[fail])}; {said}")
    return (found,) + _where_from_the_others(ctx, e.l, e.kind)


def _diag_row_ratio(ctx: _Context, e: _Entries) -> tuple[str, ...] | None:
    """Failures confined to one row of w^(l) (``_failing_row``) that share one analytic/numeric ratio: both
    said, the row and the factor (full mode named only the row, fast mode only the ratio, as if the whole
    tensor carried it), with what the row's bias tells (``_row_cause``)."""
    j = _failing_row(ctx, e)
    # fast mode, its failing located entries all in one row, the other rows not cleared (``_others_cleared``): the
    # row is named where its ratio, taken for the whole row, gives the direction's error (``_predicts``)
    fast_row = _located_row(ctx, e) if j is None else None
    if j is None and fast_row is None:
        return None
    # under training.l2, read as _diag_ratio reads a w^(l): with λw taken out where the whole values show no ratio
    found, aside = _ratio_reading(ctx, e.kind, e.a[e.fail], e.n[e.fail], _l2_term(ctx.base, e.l, e.kind)[e.flat][e.fail])
    if found is None or aside == "missing":
        return None
    fit, spread, _ = found
    predicted = j is None
    if j is None:
        # the row must give the direction's error, and the whole tensor × r not: where both do, the other rows' part
        # of it is within the tolerance (1.4% of it, against 10%, for w^(1) × 1.0001 on a ReLU 32-4-2 net), the row
        # no better a reading than the whole formula's factor, which is read (``_diag_ratio``), as full mode reads it
        if not _predicts(ctx, e, fit, spread, aside, row=fast_row) or _predicts(ctx, e, fit, spread, aside):
            return None
        j = fast_row
    k = int(e.fail.sum())
    rv = _ratio_text(fit, spread)
    blur = f" to ±{100 * spread:.2g}% (the costs' rounding blurs quotients this small)" if spread > 1e-3 else ""
    fast = ctx.mode == "fast"
    # fast mode: what cleared the other rows (``_failing_row`` asks ``_others_cleared`` for it)
    others = ("the other rows agree" if not (fast and _a_few(ctx, e)) else
              f"×{rv} on every entry of this row gives the random direction's error (vᵀ∇C), to its tolerance: the "
              f"other rows' error, if any, is within that tolerance" if predicted else
              "bisection's passing halves clear the other rows" if _others_cleared(ctx, e) == "halves" else
              "their error makes up the random direction's (vᵀ∇C), the halves of v not followed carrying no more "
              "than its tolerance")
    share = "both share" if k == 2 else f"all {k} share"
    return (f"every failing entry{' located' if fast else ''} is in row j = {j}, the weights into unit {j} of "
            f"layer {e.l}, and {share} one ratio, {L2_QUOTIENT if aside else 'analytic/numeric'} = {rv}{blur}: ×{rv} "
            f"on this row alone{', λw as it is' if aside else ''} ({others}), not a factor of the whole formula; {_row_cause(ctx, e.l, [j], k)}",)


def _located_row(ctx: _Context, e: _Entries) -> int | None:
    """Fast mode: the row j of w^(l) that holds every failing entry bisection located, two or more, a few of the
    tensor's (``_a_few``), whatever clears the other rows or not; else None."""
    if e.kind != "w" or ctx.mode != "fast" or not _a_few(ctx, e) or e.shape[0] < 2 or int(e.fail.sum()) < 2:
        return None
    j = np.unique(np.unravel_index(e.flat[e.fail], e.shape)[0])
    return int(j[0]) if len(j) == 1 else None


def _predicts(ctx: _Context, e: _Entries, r: float, spread: float, reading: str, row: int | None = None) -> bool:
    """Fast mode: does ×``r`` (its located failing entries' ratio, to its relative ``spread``; ``reading`` as
    ``_ratio_reading``'s: "aside", of the values less λw; "missing", of the values against the numeric ones less λw)
    on every entry of row ``row`` of w^(l), the other rows right, or, ``row`` None, on every entry of the tensor, give
    the failing direction's error along s, Σ_i s_i (a_i − n_i) = (1 − 1/r) Σ_i s_i a_i over those entries (less λw
    where "aside"; less Σ_i s_i λw_i where "missing", λw left out besides), from the analytic gradient and v alone, to
    within the tolerance the direction was judged by (and what ``spread`` leaves of r)? The evidence that a ratio read
    from a few located entries is the row's, or the whole tensor's. 784-64-10 with row 1 of ∂C/∂w^(1) × 1.7 failed the
    direction, and bisection, following more halves than it may, located 12 entries of row 1, all × 1.7; the box said
    'constant ratio ×1.7 … a constant factor is missing or extra', where the direction's own quotient was 2.04 (seed
    0), 0.91, 0.92: the row predicts its error, the whole tensor does not. The whole w^(1) × 1.7, or rows 2 and 3,
    match row 1's prediction only by chance, within a quarter of it for some seeds: the prediction must hold to the
    tolerance. For the whole tensor the test is the direction's own quotient against r."""
    chk = ctx.found.get((e.l, e.kind))
    grad = ctx.analytic.get((e.l, e.kind))
    if chk is None or grad is None or not chk.signs.size or not (math.isfinite(chk.whole) and math.isfinite(chk.slack)):
        return False
    if not math.isfinite(r) or r == 0 or not math.isfinite(spread):
        return False
    at = (np.arange(grad.size) if row is None else
          np.ravel_multi_index((np.full(e.shape[1], row), np.arange(e.shape[1])), e.shape))
    l2 = _l2_term(ctx.base, e.l, e.kind)[at]
    values = grad.ravel()[at] - (l2 if reading == "aside" else 0.0)
    with np.errstate(invalid="ignore", over="ignore"):
        along = float(np.dot(chk.signs[at], values))
        left = float(np.dot(chk.signs[at], l2)) if reading == "missing" else 0.0  # λw, in n but not in a
        off = abs((1 - 1 / r) * along - left - chk.whole)
        return bool(off <= chk.slack + abs(along) * spread / abs(r))


def _diag_localized(ctx: _Context, e: _Entries) -> tuple[str, ...] | None:
    """Failures confined to a few entries, one row (unit j) or one column (input k). For w^(l), the
    row's bias b^(l)[j] tells where: BP3 gives ∂C/∂b_j^(l) from δ_j^(l) alone, so a passing b^(l)[j]
    clears δ_j^(l) and leaves BP4's product for that row (``_row_cause``)."""
    fail = np.flatnonzero(e.fail)
    k, m = len(fail), len(e.flat)
    j, c = np.unravel_index(e.flat[fail], e.shape) if e.kind == "w" else (None, None)
    if k <= 3 and (m >= 4 * k or (k == 1 and k < m)):
        # one entry is a row and a column alike (fast mode locates 1-3): named, its row's bias consulted; one
        # bias entry of two or three alike (a b^(1)[0] × 1.01 was "no simple pattern" where w's was local)
        ratio = _ratio_span(e.a[fail], e.n[fail]).replace("; ", ", ", 1) if k == 1 else ""
        few = _a_few(ctx, e)
        others = ("the other agrees" if m - k == 1 else "the others agree") if not few else \
            ("the other agrees" if m - k == 1 else f"the other {m - k} agree")
        local = (f"a bug local to {'this entry' if k == 1 else 'these entries'} (an index or a special case), not "
                 f"in the whole formula")
        # the entries checked are a few of the tensor's: the others, not checked one by one, are not said to agree,
        # nor the bug local, but where the failing ones make up the direction's error
        unlocal = _not_shown_local(ctx, e, fail) if few else None
        said = (f"{others}, {unlocal}" if unlocal is not None else
                f"{others}, and {'its' if k == 1 else 'their'} error makes up the random direction's (vᵀ∇C): {local}"
                if few else f"{others}: {local}")
        only = (f"only {_failing_count(k, m, few)} ({e.labels(fail)}{ratio}); {said}",)
        return only + ((_row_cause(ctx, e.l, sorted({int(v) for v in j}), k),) if j is not None else
                       _where_from_the_others(ctx, e.l, e.kind))
    if e.kind != "w":
        return None
    # fast mode checks one by one only the entries bisection located, and its leaves are runs of a row: failing
    # ones all in one row say the error is confined there only where the rest is cleared (``_others_cleared``). (Ones
    # in one column lie in leaves of several rows, whose other entries pass: that is no run's doing.)
    row = len(np.unique(j)) == 1 and e.shape[0] > 1
    if row and ctx.mode == "fast" and _a_few(ctx, e) and k >= 2 and _others_cleared(ctx, e) is None:
        return _confined_unshown(ctx, e, int(j[0]))
    located = _failing_row(ctx, e) if k == m else None  # fast mode: its located entries, all failing, in one row
    if k == m and located is None:
        return None
    if row:
        return (f"every failing entry{' located' if ctx.mode == 'fast' else ''} is in row j = {int(j[0])}, the "
                f"weights into unit {int(j[0])} of layer {e.l}: {_row_cause(ctx, e.l, [int(j[0])], k)}",)
    if len(np.unique(c)) == 1 and e.shape[1] > 1:
        return (f"every failing entry{' located' if ctx.mode == 'fast' else ''} is in column k = {int(c[0])}, the "
                f"weights from unit {int(c[0])} of layer {e.l - 1}: the input a_{int(c[0])}^({e.l - 1}) used in BP4 is "
                f"wrong",)
    return None


def _a_few(ctx: _Context, e: _Entries) -> bool:
    """Are the entries of ``e`` judged one by one a few of its tensor's, fast mode's located ones or sample mode's
    drawn ones (not every entry, as in full mode or where fast mode checked a small tensor whole)? The others were
    not checked one by one: the words say which were."""
    return ctx.mode in ("fast", "sample") and e.n_checked < math.prod(e.shape)


def _located_share(ctx: _Context, e: _Entries, which: Index) -> float:
    """Fast mode: the share of the failing direction's error along v (``_Checked.whole``) that entries ``which`` of
    ``e`` carry, Σ s_i (a_i − n_i) over them against it; NaN where there is none to weigh (sample mode, a passing
    direction)."""
    chk = ctx.found.get((e.l, e.kind))
    if chk is None or not chk.along.size or not (math.isfinite(chk.whole) and chk.whole != 0):
        return math.nan
    where = {int(f): i for i, f in enumerate(chk.flat)}
    at = np.array([where[int(f)] for f in e.flat[which]], dtype=np.intp)
    with np.errstate(invalid="ignore", over="ignore"):
        return float(np.dot(chk.along[at], e.a[which] - e.n[which]) / chk.whole)


def _made_up(ctx: _Context, e: _Entries, which: Index) -> bool:
    """Fast mode: do entries ``which`` of ``e`` carry the failing direction's error, their share of it
    (``_located_share``) 1 to ``SPLIT_SHARE``, and the halves of v bisection did not follow next to none, their
    errors taken one by one (``_Checked.unfollowed``) within the tolerance the direction was judged by (``slack``)?
    A share near 1 alone can be the others' errors cancelling: 1e-7 of noise on every entry of an 8 × 16 w^(1) (32 of
    128 failing), 8 located entries of one row made up 99% of the direction's error, where the halves not followed
    carried 73% of it (its tolerance: 7.4%); and a second error a fifth the size of the first is within a quarter
    (row 2 × 1.7 and row 5 × 1.3: row 2's entries made up 92% of it, the halves not followed carried 21%, the
    tolerance 0.015%). A one-entry bug leaves the halves ~1e-4 of it, below a tolerance of 0.4% to 47% (w^(1)[1,0] ×
    1.01 on 784-64-10)."""
    chk = ctx.found.get((e.l, e.kind))
    share = _located_share(ctx, e, which)
    return (chk is not None and math.isfinite(share) and abs(share - 1) <= SPLIT_SHARE
            and chk.unfollowed <= chk.slack)


def _not_shown_local(ctx: _Context, e: _Entries, fail: Index, unsaid: str = "") -> str | None:
    """Where the failing entries ``fail`` of ``e``, a few of its tensor's checked one by one (``_a_few``), are not
    shown to be all there is wrong with it, what is said after "the others agree" in their place; None where they are:
    fast mode's failing direction vᵀ∇C, whose error is the whole tensor's, is made up by theirs (``_made_up``).
    400 entries each off by 1e-6, one of them located and failing, read "only 1 of 14 checked entries fails …: a bug
    local to this entry"; its error made up 3% of the direction's. ``unsaid``: what is not shown, in place of "local
    to these entries" ("confined to row j = 26", ``_confined_unshown``)."""
    rest = math.prod(e.shape) - e.n_checked  # not checked one by one (an entry unjudged at a kink was)
    one = len(fail) == 1
    it, them = ("it", "this entry") if one else ("they", "these entries")
    unsaid = unsaid or f"local to {them}"
    unchecked = "the entry not checked one by one" if rest == 1 else f"the {rest:,} entries not checked one by one"
    if ctx.mode == "sample":
        return (f"but {rest:,} {'was' if rest == 1 else 'were'} not drawn: {it} may be a bug local to {them} (an "
                f"index or a special case), or one shared by entries not checked; run --mode full on this tensor")
    if _made_up(ctx, e, fail):
        return None
    share = _located_share(ctx, e, fail)
    chk = ctx.found.get((e.l, e.kind))
    whose = "its" if one else "their"
    if math.isfinite(share) and abs(share - 1) <= SPLIT_SHARE and chk is not None:  # the others carry errors too
        return (f"and {whose} share of the random direction's error (vᵀ∇C) is {_percent(share)}, but the halves of v "
                f"bisection did not follow carry errors of their own, {_percent(chk.unfollowed / abs(chk.whole))} of "
                f"it taken one by one (beyond the direction's tolerance, {_percent(chk.slack / abs(chk.whole))} of it): "
                f"some of the error lies in {unchecked}, so it may be spread over {'it' if rest == 1 else 'many of them'}, "
                f"not {unsaid}; run --mode full on this tensor")
    if not math.isfinite(share):
        part = f"but {whose} share of the random direction's error (vᵀ∇C) is not known"
    else:
        part = f"but {whose} share of the random direction's error (vᵀ∇C) is {_percent(share)}"
    where = ("the rest lies in" if math.isfinite(share) and 0 <= share < 1 else "the rest of it lies in or is offset by")
    return (f"{part}: {where} {unchecked}, so the error may {'lie there' if rest == 1 else 'be spread over many of them'}, "
            f"not {unsaid}; run --mode full on this tensor")


def _percent(x: float) -> str:
    """A share as a percentage, to two significant digits: 3%, 0.25%, 140%."""
    return f"{100 * x:.2g}%" if abs(100 * x) < 99.5 else f"{100 * x:.0f}%"  # .2g writes 99.6 as 1e+02


def _entry_verdict(ctx: _Context, l: int, kind: str, i: int) -> str | None:
    """Entry ``i`` (flat) of w^(l) or b^(l): "pass", "fail", or None where it was not judged (not
    drawn in sample mode, at a kink, unresolved). In fast mode an entry not located is checked one by one
    here (``_entry_check``): its tensor's passing direction is no verdict on it."""
    chk, at = _entry_check(ctx, l, kind, i)
    if chk is None:
        return None
    status = str(chk.status[at])
    return "fail" if status == "fail" else None if status in UNJUDGED else "pass"


def _entry_check(ctx: _Context, l: int, kind: str, i: int) -> tuple[_Checked | None, int]:
    """Where entry ``i`` (flat) of w^(l) or b^(l) was checked one by one: (its checked entries, its place
    there), or (None, 0) where it was not. Fast mode checks an entry it did not locate here, once
    (``_Context.measured``), whatever its tensor's direction said: a diagnosis that reads b^(l)[j] as
    passing (δ_j^(l) is right) takes it from that entry's own difference, not from a random direction
    over the whole tensor, in which the entry's error can be far below rtol·|vᵀ∇C|."""
    for chk in (ctx.found.get((l, kind)), ctx.measured.get((l, kind, i))):
        at = np.flatnonzero(chk.flat == i) if chk is not None else np.empty(0, dtype=int)
        if len(at):
            return chk, int(at[0])
    grad = ctx.analytic.get((l, kind))
    if ctx.mode != "fast" or grad is None:
        return None, 0
    flat = np.array([i], dtype=np.intp)
    ctx.measured[(l, kind, i)] = _check_entries(ctx.base, l, kind, grad, flat, ctx.eps, ctx.rtol, ctx.atol)
    return ctx.measured[(l, kind, i)], 0


def _entry_evident(ctx: _Context, l: int, kind: str, i: int) -> bool:
    """Entry ``i`` (flat) of w^(l) or b^(l), passing (``_entry_verdict``), reaches atol: its |a| or |n| where it
    was judged one by one (``_entry_check``). One below atol passes whatever its δ_j^(l) is, if that averages ~0
    over the examples (``_passes_on_evidence``)."""
    chk, at = _entry_check(ctx, l, kind, i)
    return chk is not None and bool(_at_least_atol(chk.analytic[at:at + 1], chk.numeric[at:at + 1], ctx.atol)[0])


def _row_cause(ctx: _Context, l: int, rows: list[int], k: int) -> str:
    """What failing entries of w^(l) in ``rows`` point at, from those rows' biases: δ_j^(l) when
    b^(l)[j] fails too, BP4's product a_k^(l−1) δ_j^(l) for the row when it passes (BP3: ∂C/∂b_j^(l)
    is δ_j^(l) averaged over the examples, so δ_j^(l) is right), either when it was not judged or passes
    only on a gradient of ~0 (below atol: a wrong δ_j^(l) that averages ~0 over the examples passes too)."""
    verdicts = [_entry_verdict(ctx, l, "b", j) for j in rows]
    verdicts = ["~0" if v == "pass" and not _entry_evident(ctx, l, "b", j) else v for j, v in zip(rows, verdicts)]
    js = ", ".join(map(str, rows))
    one = len(rows) == 1
    b = f"b^({l})[{rows[0]}]" if one else f"b^({l})[{js}]"
    d = f"δ_{rows[0]}^({l})" if one else f"δ_j^({l}) (j = {js})"
    these = ("this entry" if k == 1 else "these entries") if not one or k < 2 else "this row"
    a_prev = f"a^({l - 1}){' = x' if l == 1 else ''}"
    # fast mode: bias entries it did not locate, checked one by one for this (``_entry_check``), said so: the
    # table shows b^(l) judged by its random direction alone
    how = " (checked one by one)" if any((l, "b", j) in ctx.measured for j in rows) else ""
    if "fail" in verdicts:
        whose = "that unit's error" if one else "the error"
        return f"{b} {'fails' if one else 'fail'} too{how}, so {whose} {d} is wrong (BP3 and BP4 both take it)"

    if all(v == "pass" for v in verdicts):
        return (f"{b} {'passes' if one else 'pass'}{how}, so {d} is right (BP3: ∂C/∂b_j^({l}) is δ_j^({l}) "
                f"averaged over the examples): look at BP4 for {these}, ∂C/∂w_jk^({l}) = a_k^({l - 1}) "
                f"δ_j^({l}): the layer input {a_prev} used there, or an index (j and k swapped, a shifted row)")
    either = (f"{d} is wrong, or BP4's product for {these}, ∂C/∂w_jk^({l}) = a_k^({l - 1}) δ_j^({l}) "
              f"(the layer input {a_prev} used, an index)")
    zero = [j for j, v in zip(rows, verdicts) if v == "~0"]
    if not zero:
        return f"{either}; {b}, not judged here, tells them apart"
    # b^(2)[1] of a linear output whose mean error is 0: δ_1^(2) × 2 gives it 2 × ~0, and it passes
    bz = f"b^({l})[{zero[0]}]" if len(zero) == 1 else f"b^({l})[{', '.join(map(str, zero))}]"
    dz = f"δ_{zero[0]}^({l})" if len(zero) == 1 else f"δ_j^({l}) (j = {', '.join(map(str, zero))})"
    return (f"{either}; {bz} {'passes' if len(zero) == 1 else 'pass'}{how} only on a gradient of ~0 (below atol), "
            f"which any {dz} that averages ~0 over the examples gives {'it' if len(zero) == 1 else 'them'} (BP3): "
            f"{'it does' if len(zero) == 1 else 'they do'} not show {dz} right")


def _implied_deltas(ctx: _Context, l: int) -> tuple[Array, Array] | None:
    """δ^(l) per example as the analytic and the numeric ∂C/∂w^(l) imply it, (n, n_l) each.

    BP4 says ∂C/∂w^(l) = δᵀ a^(l−1) with a^(l−1) of shape (n, n_{l−1}). When there are
    fewer examples than inputs (n < n_{l−1}) and a^(l−1) has rank n, δ = (G pinv(a^(l−1)))ᵀ
    is unique, and a gradient G that is not of that form is flagged by the residual.
    Needs every entry of w^(l) checked. None when the system says nothing.
    """
    chk = ctx.checked.get((l, "w"))
    a_prev = ctx.base.a[l - 1]
    n, n_prev = a_prev.shape
    if chk is None or len(chk.flat) != ctx.base.net.weights[l - 1].size or n >= n_prev:
        return None
    if np.linalg.matrix_rank(a_prev) < n or np.isin(chk.status, UNJUDGED).any():
        return None
    order = np.argsort(chk.flat)
    shape = ctx.base.net.weights[l - 1].shape
    A, N = chk.analytic[order].reshape(shape), chk.numeric[order].reshape(shape)
    if not (np.isfinite(A).all() and np.isfinite(N).all()):
        return None
    pinv = np.linalg.pinv(a_prev)  # (n_prev, n)
    d_a, d_n = (A @ pinv).T, (N @ pinv).T
    E = A - N
    resid = np.linalg.norm(E - (d_a - d_n).T @ a_prev) / (np.linalg.norm(E) + 1e-300)
    return (d_a, d_n) if resid <= 1e-6 else None


def _diag_sigma_prime(ctx: _Context, e: _Entries) -> tuple[str, ...] | None:
    """Errors in δ^(l) that grow where σ'(z^(l)) is far from its typical value.

    From the full w^(l) check, recover δ^(l) per example and unit twice (analytic and
    numeric, see ``_implied_deltas``); their ratio q_ij shows how δ_ij is off. Report
    when log|q_ij| follows log σ'(z_ij) (|Spearman ρ| ≥ 0.7 over at least 12
    significant (example, unit) pairs): the error factor tracks σ' (a missing σ' gives
    q = 1/σ', a squared one q = σ'). Otherwise, when the error still fits the BP4
    form, say that it enters through δ^(l).
    """
    implied = _implied_deltas(ctx, e.l)
    if implied is None:
        return None
    d_a, d_n = implied
    where = (f"the error enters through δ^({e.l}): ∂C/∂w^({e.l}) keeps the form δᵀ a^({e.l - 1}) "
             f"of BP4 with a wrong δ^({e.l}) (its ∂C/∂a^({e.l}) or σ'(z^({e.l})) factor), "
             f"not a wrong a^({e.l - 1})") if e.kind == "w" else (
        f"the error enters through δ^({e.l}): ∂C/∂b^({e.l}) is δ^({e.l}) averaged over the examples "
        f"(BP3), and w^({e.l})'s failure keeps the form δᵀ a^({e.l - 1}) of BP4 with a wrong δ^({e.l}) "
        f"(its ∂C/∂a^({e.l}) or σ'(z^({e.l})) factor)")
    act = ctx.base.net.activations[e.l - 1]
    big = np.abs(d_n) > 1e-3 * np.abs(d_n).max()
    if act.prime is None or act.name == "linear":
        return (where,)
    prime = act.prime(ctx.base.z[e.l], ctx.base.a[e.l])
    ok = big & (prime > 0) & (d_a != 0)
    if ok.sum() < 12:
        return (where,)
    rho = _spearman(np.log(np.abs(d_a[ok] / d_n[ok])), np.log(prime[ok]))
    if rho is None or abs(rho) < 0.7:
        return (where,)
    trend = "grows" if rho < 0 else "shrinks"
    return (f"errors concentrate where σ'(z^({e.l})) matters: recovered per example from BP4, "
            f"δ^({e.l}) is off by a factor that {trend} as σ'(z) gets smaller (Spearman ρ = "
            f"{rho:.2f} between log|analytic/numeric| and log σ'(z) over {int(ok.sum())} "
            f"example-unit pairs); check how σ'(z^({e.l})) is computed ({_PRIME_HINT.get(act.name, '')}"
            f"{act.name}'s σ'(z) = {act.prime_formula}) and where it is applied", where)


_PRIME_HINT = {"sigmoid": "a(1 − a) needs a = σ(z), not z: ", "tanh": "1 − a² needs a = tanh(z), not z: "}


def _spearman(x: Array, y: Array) -> float | None:
    rx, ry = np.argsort(np.argsort(x)), np.argsort(np.argsort(y))
    if np.std(rx) == 0 or np.std(ry) == 0:
        return None
    return float(np.corrcoef(rx, ry)[0, 1])


# --- backprop with one classic mistake, for the diagnosis ------------------------------------------


_PRIME_OF_A = {  # σ'(z) evaluated at a = σ(z) instead of z: the activation applied twice
    "sigmoid": "σ(a)(1 − σ(a)) for σ'(z) = σ(z)(1 − σ(z)), σ applied twice: a^(l) is already "
               "σ(z^(l)), so σ'(z^(l)) = a(1 − a)",
    "tanh": "1 − tanh²(a) for σ'(z) = 1 − tanh²(z), tanh applied twice: a^(l) is already "
            "tanh(z^(l)), so σ'(z^(l)) = 1 − a²",
}
_PRIME_Z_FOR_A = {  # the a-form of σ' fed z
    "sigmoid": "z(1 − z) for σ'(z) = a(1 − a): the form in a fed z^(l) instead of a^(l) = σ(z^(l))",
    "tanh": "1 − z² for σ'(z) = 1 − a²: the form in a fed z^(l) instead of a^(l) = tanh(z^(l))",
}


def _logistic(x: Array) -> Array:
    with np.errstate(over="ignore"):
        return 1.0 / (1.0 + np.exp(-x))


#: The classic wrong σ' of each activation of the ReLU family beyond ReLU, as a learner's one σ'
#: helper writes it: (what the diagnosis says, the wrong σ' from z and a).
_WRONG_PRIME: dict[str, tuple[str, Callable[[Array, Array], Array]]] = {
    "leaky_relu": ("1 if z > 0 else 0 (ReLU's derivative) for σ'(z) = 1 if z > 0 else 0.01: the slope "
                   "α = 0.01 of the z ≤ 0 side left out, so no error flows back through a negative z",
                   lambda z, a: (z > 0).astype(z.dtype)),
    "elu": ("a + 1 at every z for σ'(z) = 1 if z > 0 else e^z: a + 1 = e^z only where z ≤ 0 (a = e^z − 1); "
            "where z > 0, a = z and σ'(z) = 1, not z + 1",
            lambda z, a: a + 1.0),
    "softplus": ("1 / (1 + e^(−a)) for σ'(z) = 1 / (1 + e^(−z)): the logistic sigmoid fed a^(l) = "
                 "ln(1 + e^(z^(l))) instead of z^(l)",
                 lambda z, a: _logistic(a)),
    "silu": ("1 / (1 + e^(−z)), silu's logistic factor s(z) alone, for σ'(z) = s(z)(1 + z(1 − s(z))): "
             "σ(z) = z · s(z) is a product, and the product rule's z · s(z)(1 − s(z)) was left out",
             lambda z, a: _logistic(z)),
}


class _Variant(NamedTuple):
    """Backprop recomputed with one classic mistake (``_variants``)."""

    text: str  # what the diagnosis says of it
    dw: list[Array]
    db: list[Array]
    every: bool  # made at every layer it concerns (σ' miscomputed in every sigmoid layer), not at one
    short: str  # its name alone, to say it is ruled out or shares its values with another


def _hidden_prime_name(name: str) -> str:
    """σ' of a hidden activation as a learner's helper names it: seed 001's R' for ReLU."""
    return "R'" if name == "relu" else f"{name}'"


def _variants(base: _Base) -> list[_Variant]:
    """Each mistake the architecture allows (shapes must fit); ``every``: the mistake is made at
    every layer it concerns (σ' miscomputed in every sigmoid layer, λ w left out of every
    ∂C/∂w^(l)), not at one."""
    from .explain import seed001_hidden_rule, seed001_output_rule  # not at import: the CLI's start-up

    net, L, sizes = base.net, base.net.L, base.net.sizes
    # seed 001's E_h as the legend under the boxes writes it (``explain.seed001_rules``): E_1's with one hidden
    # layer, any E_l's with several
    hidden_rule = seed001_hidden_rule(1 if L == 2 else None)
    elementwise = [None] + [a.prime is not None and a.name != "linear" for a in net.activations]
    out = net.activations[-1]
    fused = net.cost_fn.fused.get(out.name)
    specs: list[tuple[str, int, str, str | None, str]] = []  # (kind, m, text, which, short)
    for m in range(1, L + 1):
        if elementwise[m]:
            rule = (f"BP1: δ^({L}) = ∂C/∂a^({L}) ⊙ σ'(z^({L}))" if m == L else
                    f"BP2: δ^({m}) = (w^({m + 1}))ᵀ δ^({m + 1}) ⊙ σ'(z^({m}))")
            short = f"σ'(z^({m})) left out of δ^({m})"
            specs.append(("omit_prime", m, f"{short} ({rule})", None, short))
    hidden = [m for m in range(1, L) if elementwise[m]]
    if len(hidden) >= 2:  # one helper forgotten in the loop: every hidden layer at once
        short = f"σ'(z^(l)) left out of δ^(l) at every hidden layer l = 1…{L - 1}"
        specs.append(("omit_prime_hidden", 0, f"{short} (BP2: δ^(l) = (w^(l+1))ᵀ δ^(l+1) ⊙ σ'(z^(l)))",
                      None, short))
    if hidden and elementwise[L] and fused is None:
        short = f"σ'(z^(l)) left out of every δ^(l), l = 1…{L}"
        specs.append(("omit_prime_all", 0, f"{short} (BP1 and BP2 both multiply by σ'(z^(l)))", None, short))
    # the hidden layers' σ' helper applied at an output of another element-wise activation (or a
    # linear one, σ' = 1): seed 001's E_o = (ŷ − y) · R'(Z_o), copied onto a linear output
    if fused is None and (elementwise[L] or out.name == "linear"):
        for name in sorted({net.activations[m - 1].name for m in hidden} - {out.name}):
            p = f"{_hidden_prime_name(name)}(z^({L}))"
            whose = ("linear (σ' = 1)" if out.name == "linear"
                     else f"{out.name} (σ'(z) = {out.prime_formula})")
            seed = ("; seed 001 writes E_o = (ŷ − y) · R'(Z_o) for its own ReLU output" if name == "relu" else "")
            specs.append(("hidden_prime_out", L, f"δ^({L}) = ∂C/∂a^({L}) ⊙ {p}: "
                          f"{'ReLU' if name == 'relu' else name}'s derivative applied at the output, whose "
                          f"activation is {whose}{seed}", name, f"δ^({L}) = ∂C/∂a^({L}) ⊙ {p}"))
    # σ'(z) miscomputed in the learner's one σ' helper: wrong at every layer that applies it
    used = {net.activations[m - 1].name for m in hidden} | (
        {out.name} if elementwise[L] and fused is None else set())
    for name in sorted(used):
        every = f"(in every {name} layer's δ)"
        if name in _PRIME_OF_A:
            specs.append(("prime_of_a", 0, f"σ'(z) computed as {_PRIME_OF_A[name]} {every}", name,
                          f"σ'(z) computed as {_PRIME_OF_A[name].split(' for ')[0]} {every}"))
        if name in _PRIME_Z_FOR_A:
            specs.append(("prime_z_for_a", 0, f"σ'(z) computed as {_PRIME_Z_FOR_A[name]} {every}", name,
                          f"σ'(z) computed as {_PRIME_Z_FOR_A[name].split(' for ')[0]} {every}"))
        if name in _WRONG_PRIME:
            specs.append(("wrong_prime", 0, f"σ'(z) computed as {_WRONG_PRIME[name][0]} {every}", name,
                          f"σ'(z) computed as {_WRONG_PRIME[name][0].split(' for ')[0].rstrip(', ')} {every}"))
        # the same slip written in one layer's δ alone (xor's hidden σ' as z(1 − z), its output's right)
        at = [m for m in hidden if net.activations[m - 1].name == name] + (
            [L] if elementwise[L] and fused is None and out.name == name else [])
        for m in at if len(at) >= 2 else ():
            for kind, forms in (("prime_of_a", _PRIME_OF_A), ("prime_z_for_a", _PRIME_Z_FOR_A)):
                if name in forms:
                    one = f"(in δ^({m}) alone, layer {m}'s)"
                    specs.append((kind, m, f"σ'(z) computed as {forms[name]} {one}", name,
                                  f"σ'(z) computed as {forms[name].split(' for ')[0]} {one}"))
        if name != "sigmoid":  # the sigmoid's a(1 − a), learnt first, used for another σ'
            own = _hidden_prime_name(name) if name == "relu" else "σ'"
            specs.append(("sigmoid_form", 0, f"σ'(z) computed as a(1 − a), the sigmoid's derivative, for "
                          f"{name}'s {own}(z) = {ACTIVATIONS[name].prime_formula} {every}", name,
                          f"σ'(z) computed as a(1 − a) {every}"))
    if fused is not None:  # sigmoid/softmax + cross-entropy: δ^(L) = a − y, σ' already cancelled
        specs.append(("fused_times_prime", L, f"δ^({L}) = (a − y) ⊙ a(1 − a): the {out.name} + "
                      f"cross-entropy rule δ^({L}) = a − y multiplied by σ'(z^({L})) again (σ' already "
                      f"cancelled against ∂C/∂a there)", None, f"δ^({L}) = (a − y) ⊙ a(1 − a)"))
        if out.name == "softmax":
            specs.append(("softmax_diag", L, f"the generic chain δ^({L}) = ∂C/∂a ⊙ a(1 − a) with ∂C/∂a = "
                          f"−y/a: softmax's derivative taken as the diagonal a_j(1 − a_j) of a sigmoid, "
                          f"but every a_j depends on every z_k (its Jacobian is diag(a) − a aᵀ), which "
                          f"turns −y/a into δ^({L}) = a − y", None,
                          "softmax's derivative taken as the diagonal a_j(1 − a_j)"))
    for m in range(2, L + 1):
        if sizes[m] == sizes[m - 1]:
            short = f"w^({m}) where (w^({m}))ᵀ belongs in passing the error back"
            specs.append(("transpose_w", m, f"{short} (BP2: δ^({m - 1}) = (w^({m}))ᵀ δ^({m}) ⊙ "
                          f"σ'(z^({m - 1})))", None, short))
    square = [m for m in range(2, L + 1) if sizes[m] == sizes[m - 1]]
    if len(square) >= 2:  # the loop's one line, wrong at every layer it hands the error back from
        short = (f"w^(l) where (w^(l))ᵀ belongs in passing the error back from every layer l = "
                 f"{', '.join(map(str, square))}")
        specs.append(("transpose_w", 0, f"{short} (BP2: δ^(l−1) = (w^(l))ᵀ δ^(l) ⊙ σ'(z^(l−1)))", None, short))
    # ∂C/∂a^(m), the error before its σ'(z^(m)), handed back to layer m − 1 in place of δ^(m): δ^(m)
    # itself (w^(m), b^(m)) right, every layer below wrong (t10: `(2*(a[L] - Y) if l == L else delta) @ W`)
    for m in range(2, L + 1):
        if elementwise[m] and (m < L or fused is None):
            grad = (f"∂C/∂a^({m}){' = 2(a − y)' if m == L and net.cost_name == 'squared_error' else ''}"
                    if m == L else f"∂C/∂a^({m}) = (w^({m + 1}))ᵀ δ^({m + 1})")
            # seed 001's E_o and E_h as the legend under the boxes writes them for this network
            seed = (f"; seed 001's {seed001_hidden_rule(m - 1).text} takes {seed001_output_rule(net).text}: "
                    f"C'(ŷ) times σ'(Z_{m}), not C'(ŷ) alone" if m == L else "")
            short = f"∂C/∂a^({m}) handed back to layer {m - 1} in place of δ^({m})"
            specs.append(("handback_grad_a", m, f"{grad} handed back to layer {m - 1} in place of δ^({m}) = "
                          f"∂C/∂a^({m}) ⊙ σ'(z^({m})): the error passed back through w^({m}) lacks σ'(z^({m})) "
                          f"(BP2: δ^({m - 1}) = (w^({m}))ᵀ δ^({m}) ⊙ σ'(z^({m - 1})){seed})", None, short))
    # σ' of the layer handing the error back, σ'(z^(l)), where the receiving layer's σ'(z^(l−1)) belongs, at
    # every hand-back: before w^(l) (r09: `delta = (delta * relu_prime(zs[l])) @ W`) or, with one output
    # unit, after it, the same values (s09: `(delta @ W) * sig_prime(zs[L])`)
    if hidden and len(hidden) == L - 1:
        p = "R'" if {net.activations[m - 1].name for m in hidden} == {"relu"} else "σ'"
        short = f"{p}(z^(l)) where {p}(z^(l−1)) belongs in passing the error back from layer l"
        specs.append(("prime_before_w", 0, f"{p}(z^(l)), of the layer handing the error back, where "
                      f"{p}(z^(l−1)), of the layer it is handed to, belongs (BP2: δ^(l−1) = ((w^(l))ᵀ δ^(l)) ⊙ "
                      f"σ'(z^(l−1)); seed 001's {hidden_rule.text} takes σ' at the receiving layer's own "
                      f"{'Z_1, not at Z_2' if L == 2 else 'Z_l, not at Z_(l+1)'})",
                      None, short))
    if L > 2:  # the same slip at one hand-back alone (``(delta * sigma_prime(z[l])) @ W`` written once): its own σ'
        for m in range(2, L + 1):
            if elementwise[m] and elementwise[m - 1] and (m < L or fused is None):
                short = f"σ'(z^({m})) where σ'(z^({m - 1})) belongs in passing the error back from layer {m} alone"
                specs.append(("prime_before_w", m, f"σ'(z^({m})), of layer {m} handing the error back, where "
                              f"σ'(z^({m - 1})), of layer {m - 1} it is handed to, belongs, at that hand-back alone "
                              f"(BP2: δ^({m - 1}) = ((w^({m}))ᵀ δ^({m})) ⊙ σ'(z^({m - 1})), not "
                              f"(w^({m}))ᵀ (δ^({m}) ⊙ σ'(z^({m}))))", None, short))
    for m in range(1, L + 1):
        if sizes[m] == sizes[m - 1]:
            short = f"a^({m}) where a^({m - 1}) belongs, off by one layer"
            specs.append(("a_offset", m, f"{short} (BP4: ∂C/∂w^({m}) = δ^({m}) (a^({m - 1}))ᵀ)", None, short))
    # the weighted input z^(l−1) for the activation a^(l−1) in BP4 (seed 001: "Input refers to the
    # activation from the previous layer, not the weighted input, Z"), at one layer or, as a loop
    # would make it, at every layer l ≥ 2 (layer 1's input is x either way)
    z_in = [m for m in range(2, L + 1) if net.activations[m - 2].name != "linear"]
    for m in z_in:
        short = f"z^({m - 1}) where a^({m - 1}) belongs in ∂C/∂w^({m})"
        specs.append(("z_input", m, f"{short} (BP4: ∂C/∂w^({m}) = δ^({m}) (a^({m - 1}))ᵀ, the layer's "
                      f"input is the previous layer's activation a^({m - 1}) = σ(z^({m - 1})), not its "
                      f"weighted input z^({m - 1}))", None, short))
    if len(z_in) >= 2:
        short = f"z^(l−1) where a^(l−1) belongs in every ∂C/∂w^(l), l = 2…{L}"
        specs.append(("z_input", 0, f"{short} (BP4: ∂C/∂w^(l) = δ^(l) (a^(l−1))ᵀ, each layer's input is "
                      f"the previous layer's activation, not its weighted input)", None, short))
    for m in range(1, L):
        if sizes[m + 1] == sizes[m] and elementwise[m + 1] and elementwise[m]:
            short = f"σ'(z^({m + 1})) where σ'(z^({m})) belongs in δ^({m})"
            specs.append(("prime_next", m, f"{short}, off by one layer", None, short))
        if m >= 2 and sizes[m - 1] == sizes[m] and elementwise[m - 1] and elementwise[m]:
            short = f"σ'(z^({m - 1})) where σ'(z^({m})) belongs in δ^({m})"
            specs.append(("prime_prev", m, f"{short}, off by one layer", None, short))
    if net.l2:  # the penalty's λ w, forgotten in every ∂C/∂w^(l) (the biases have none)
        short = "the L2 term λ w^(l) left out of every ∂C/∂w^(l)"
        specs.append(("omit_l2", 0, f"{short} (training.l2 = λ = {net.l2:g}: the checked cost includes "
                      f"(λ/2) Σ_l ||w^(l)||², whose gradient is λ w)", None, short))
        if any(np.any(b != 0) for b in net.biases):
            specs.append(("l2_on_bias", 0, f"λ b^(l) added to ∂C/∂b^(l): the L2 penalty (λ/2) Σ_l "
                          f"||w^(l)||² covers the weights only, so ∂C/∂b^(l) = δ^(l) has no λ term "
                          f"(training.l2 = λ = {net.l2:g})", None, "λ b^(l) added to ∂C/∂b^(l)"))
    variants = [_Variant(text, *_backprop_variant(base, kind, m, which), m == 0, short)
                for kind, m, text, which, short in specs]
    # a list filled in as backprop goes, layer L first, returned as it is: where the shapes let the reversed
    # list through (2-2-2, seed 001's), only its numbers tell (it read 'no simple pattern', or 'transposed')
    if L >= 2:
        good_w, good_b = net.gradients(base.a[0], base.Y)
        w_fits = all(good_w[i].shape == good_w[L - 1 - i].shape for i in range(L))
        b_fits = all(good_b[i].shape == good_b[L - 1 - i].shape for i in range(L))
        reversed_both = "dw and db in reverse order, layer L first (a list filled in as backprop goes)"
        for name, dw, db, fits in (("dw and db", good_w[::-1], good_b[::-1], w_fits and b_fits),
                                   ("dw", good_w[::-1], good_b, w_fits), ("db", good_w, good_b[::-1], b_fits)):
            if fits:
                short = reversed_both if name == "dw and db" else f"{name} in reverse order, layer L first"
                variants.append(_Variant(f"{short}: return {name} from layer 1 to {L}, e.g. "
                                         f"{', '.join(n + '[::-1]' for n in name.split(' and '))}",
                                         list(dw), list(db), True, short))
    return variants


def _backprop_variant(base: _Base, mistake: str, m: int, which: str | None = None
                      ) -> tuple[list[Array], list[Array]]:
    """BP1–BP4 as in ``Network.backward`` (with its L2 term λ w in ∂C/∂w), with ``mistake`` made
    at layer m (the mistakes with m = 0 are made at every layer they concern; ``which`` names the
    activation whose σ' is miscomputed)."""
    net, L, n = base.net, base.net.L, base.n
    z, a, Y = base.z, base.a, base.Y

    def prime(l: int) -> Array | float:  # σ'(z^(l)) as the mistaken code would use it at layer l
        act = net.activations[l - 1]
        if (l == m and mistake == "omit_prime") or mistake == "omit_prime_all" or (
                mistake == "omit_prime_hidden" and l < L):
            return 1.0
        if mistake == "prime_of_a" and act.name == which and m in (0, l):
            return act.prime(a[l], act.fn(a[l]))
        if mistake == "prime_z_for_a" and act.name == which and m in (0, l):
            return act.prime(z[l], z[l])
        if mistake == "wrong_prime" and act.name == which:
            return _WRONG_PRIME[which][1](z[l], a[l])
        if mistake == "sigmoid_form" and act.name == which:
            return a[l] * (1.0 - a[l])
        src = l + 1 if (l == m and mistake == "prime_next") else l - 1 if (
            l == m and mistake == "prime_prev") else l
        return net.activations[src - 1].prime(z[src], a[src])

    def w_square(l: int) -> bool:
        return net.sizes[l] == net.sizes[l - 1]

    out = net.activations[-1]
    fused = net.cost_fn.fused.get(out.name)
    delta_in: Array = np.empty(0)  # ∂C/∂a^(l) of the layer last handed an error, before its σ'
    with np.errstate(all="ignore"):
        aL = a[L]
        if (mistake == "omit_prime" and m == L) or mistake == "omit_prime_all":
            delta = net.cost_fn.grad_a(aL, Y) / n  # BP1 without σ'
        elif mistake == "hidden_prime_out" and which is not None:  # BP1 with a hidden layer's σ'
            delta = net.cost_fn.grad_a(aL, Y) * ACTIVATIONS[which].prime(z[L], ACTIVATIONS[which].fn(z[L])) / n
        elif (mistake in ("prime_of_a", "prime_z_for_a", "wrong_prime", "sigmoid_form") and fused is None
              and out.name == which and m in (0, L)):
            delta = net.cost_fn.grad_a(aL, Y) * prime(L) / n  # BP1 with the miscomputed σ'
        elif mistake == "fused_times_prime" and fused is not None:
            delta = fused.delta(aL, Y) * aL * (1.0 - aL) / n
        elif mistake == "softmax_diag":
            delta = -Y * (1.0 - aL) / n  # (−y/a) ⊙ a(1 − a)
        else:
            delta = net.output_error(base.cache, Y) / n  # BP1
        dw: list[Array] = [np.empty(0)] * L
        db: list[Array] = [np.empty(0)] * L
        for l in range(L, 0, -1):
            a_in = a[l] if (mistake == "a_offset" and l == m) else z[l - 1] if (
                mistake == "z_input" and l >= 2 and (l == m or m == 0)) else a[l - 1]
            dw[l - 1] = delta.T @ a_in  # BP4
            if net.l2 and mistake != "omit_l2":
                dw[l - 1] += net.l2 * net.weights[l - 1]  # + λ w, as Network.backward: only the
                # mistake itself may differ from the gradient of the (regularized) checked cost
            db[l - 1] = delta.sum(axis=0)  # BP3
            if mistake == "l2_on_bias":
                db[l - 1] = db[l - 1] + net.l2 * net.biases[l - 1]
            if l > 1:
                w = net.weights[l - 1].T if (mistake == "transpose_w" and (l == m or m == 0)
                                             and w_square(l)) else net.weights[l - 1]
                if mistake == "handback_grad_a" and l == m:  # ∂C/∂a^(l): δ^(l) without its σ'(z^(l))
                    grad_a = net.cost_fn.grad_a(aL, Y) / n if l == L else delta_in
                    delta = (grad_a @ w) * prime(l - 1)
                elif mistake == "prime_before_w" and m == 0:  # the receiving layer's σ' at z^(l), before w^(l)
                    act = net.activations[l - 2]
                    delta = (delta * act.prime(z[l], act.fn(z[l]))) @ w
                elif mistake == "prime_before_w" and l == m:  # at this hand-back alone: layer l's own σ'
                    delta = (delta * net.activations[l - 1].prime(z[l], a[l])) @ w
                else:
                    delta_in = delta @ w  # ∂C/∂a^(l−1)
                    delta = delta_in * prime(l - 1)  # BP2
    return dw, db


# --- the public entry points --------------------------------------------------------------------------


def check_gradients(
    net: Network,
    X: Any,
    Y: Any,
    gradients: GradientsFn | None = None,
    eps: float = DEFAULT_EPS,
    rtol: float = 1e-5,
    atol: float | str = "auto",
    mode: str = "full",
    params: int | None = None,
    rng: np.random.Generator | int | None = None,
    config: Any = None,
    progress: Callable[..., None] | None = None,
    adapt_step: bool = True,
    layers: int | str | Sequence[int | str] | None = None,
) -> GradcheckReport:
    """Check ∂C/∂w^(l) and ∂C/∂b^(l) of every layer against central finite differences.

    ``X`` (n_examples, n_inputs), ``Y`` (n_examples, n_outputs): the examples whose mean
    cost C is differentiated. ``atol``: a number ≥ 0, or ``"auto"`` (the default): the rounding level
    of central differences at ε for this cost (``auto_atol``), recorded in ``settings["atol"]``. ``gradients``: None checks ``net.gradients``; otherwise a
    callable ``(weights, biases, X, Y, config) -> (dw, db)`` (lists shaped like
    ``net.weights`` / ``net.biases``, float64 copies are passed in) called once with
    ``config``: the run's Config, or, when None, one describing ``net`` (``config_of``: its layers,
    activations, cost, ``training.l2`` and dtype), so a backward may read ``config.cost``. ``mode``: full | sample | fast (module docstring); ``params``: entries per
    tensor in sample mode (default 10). ``rng``: a Generator, or an int seed (recorded
    in ``settings``), or None (seed 0). ``progress``: called as ``progress(done, total)`` while
    the full and sample modes run, counted in perturbed cost evaluations: two per entry, ``total``
    growing when entries need more (one-sided re-checks at ReLU kinks; the look at other steps,
    counted at the most it can take and given back where it ends early), so that ``done`` never
    passes ``total`` and meets it at the end; a callback that takes three arguments is also given
    a ``StepProgress``, the part of both spent looking at other steps (``_Tally``). A large
    network's full check takes minutes. ``adapt_step``: an entry that fails at ε is
    re-judged at the step that suits it when ε is shown too large or too small for it
    (``_resolve``; status ``step-ok`` or ``unresolved``); False judges every entry at ε alone.
    ``layers``: None checks every layer; a layer (1 … L, or ``"L"``, ``"L-1"``, … as ``explain``
    takes it) or several check only their w^(l) and b^(l): only those entries are perturbed, and
    the status, counts, global ratio and diagnoses cover them alone (``report.layers``). The
    analytic gradient is still one backward pass; sample and fast mode draw what a check of every
    layer draws, so the checked tensors get the same entries and directions. A ``gradients`` that
    changes the weights or biases it is handed is named in ``report.warnings``. Raises ConfigError for bad
    options, BackwardError (a ConfigError) for a broken backward function, InputError (a DataError and a ValueError, as ``Network.cost``
    raises) for X / Y that are not real finite numbers of those shapes, or for a NaN or ±inf
    written into ``net.weights`` / ``net.biases`` in place.
    """
    mode = _check_options(eps, rtol, atol, mode, params)
    params_used = (params or DEFAULT_SAMPLE) if mode == "sample" else params
    gen, seed = _generator(rng)
    net64, cast_from = _float64(net)
    config = config if config is not None else config_of(net)
    X, Y = _as_examples(net64, X, Y)
    base = _make_base(net64, X, Y)
    base.adapt_step = bool(adapt_step)
    atol_auto = _is_auto(atol)
    atol = auto_atol(base.cost, eps, base.output_scale) if atol_auto else float(atol)
    base.forward_rounding = atol_auto
    chosen = _chosen_layers(layers, net64.L)
    dw, db, warnings = _analytic(net64, X, Y, gradients, config)
    ctx = _Context(base, eps, rtol, atol, layers=chosen if len(chosen) < net64.L else (), mode=mode)
    ctx.analytic = {(l, kind): np.asarray(grad, dtype=np.float64) for l in chosen
                    for kind, grad in (("w", dw[l - 1]), ("b", db[l - 1]))}
    tensors: list[TensorResult] = []
    found: dict[tuple[int, str], _Checked] = {}  # each tensor's entries, for its diagnosis
    evidence: dict[tuple[int, str], tuple[Array, Array]] = {}  # each one's judged (a, n): ``_Context.evident``
    penalty: dict[tuple[int, str], Array] = {}  # the L2 term λ w^(l) in each of those (0 for b^(l), or without L2)
    pairs: list[tuple[Array, Array, Array]] = []  # (a, n, the rounding noise of n) of the judged
    # drawn for every tensor, then kept for the chosen layers': the entries a check of all would take
    selected = {(l, kind): _select(mode, grad.size, params_used or 0, gen)
                for l in range(1, net64.L + 1) for kind, grad in (("w", dw[l - 1]), ("b", db[l - 1]))
                } if mode != "fast" else {}
    selected = {key: flat for key, flat in selected.items() if key[0] in chosen}
    if progress is not None and mode != "fast":
        base.tally = _Tally(progress, 2 * sum(len(f) for f in selected.values()))
    for l in range(1, net64.L + 1):
        for kind, grad in (("w", dw[l - 1]), ("b", db[l - 1])):
            if l not in chosen:
                if mode == "fast":
                    _fast_signs(gen, grad.size)  # its direction, discarded: the next tensor's as in a whole check
                continue
            if mode == "fast":
                top, chk, n_evals, v = _check_fast(base, l, kind, grad, eps, rtol, atol, gen)
                directional = _directional_result(top, n_evals, len(chk.flat))
                tensors.append(_tensor_result(ctx, l, kind, chk, directional, diagnose=False))
                found[(l, kind)] = chk
                keep = ~np.isin(top.status, UNJUDGED)
                pairs.append((top.analytic[keep], top.numeric[keep], top.noise[keep]))
                located = ~np.isin(chk.status, UNJUDGED)
                evidence[(l, kind)] = (np.concatenate([top.analytic[keep], chk.analytic[located]]),
                                       np.concatenate([top.numeric[keep], chk.numeric[located]]))
                term = _l2_term(base, l, kind)  # the direction's vᵀ(λw), then each located entry's λw
                penalty[(l, kind)] = np.concatenate([np.repeat(float(np.dot(v, term)), keep.sum()),
                                                     term[chk.flat[located]]])
                continue
            flat = selected[(l, kind)]
            chk = _check_entries(base, l, kind, grad, flat, eps, rtol, atol)
            ctx.checked[(l, kind)] = chk
            tensors.append(_tensor_result(ctx, l, kind, chk, diagnose=False))
            found[(l, kind)] = chk
            keep = ~np.isin(chk.status, UNJUDGED)
            pairs.append((chk.analytic[keep], chk.numeric[keep], chk.noise[keep]))
            evidence[(l, kind)] = (chk.analytic[keep], chk.numeric[keep])
            penalty[(l, kind)] = _l2_term(base, l, kind)[chk.flat[keep]]
    base.tally = None  # the diagnosis of a failure evaluates more: not part of the count
    # diagnosed once every tensor is checked: a failure's diagnosis weighs the others' verdicts
    ctx.statuses = {(t.layer, t.kind): t.status for t in tensors}
    ctx.found = found
    ctx.evident = {key: bool(_at_least_atol(*judged, atol).any()) for key, judged in evidence.items()}
    ctx.judged = {key: (a, n, penalty[key]) for key, (a, n) in evidence.items()}
    tensors = [replace(t, diagnosis=_diagnose(ctx, t.layer, t.kind, t.shape, found[(t.layer, t.kind)]))
               if t.status == "fail" else t for t in tensors]
    a_all, n_all = np.concatenate([p[0] for p in pairs]), np.concatenate([p[1] for p in pairs])
    big = _at_least_atol(a_all, n_all, atol)  # as the relative errors and --convergence's ratios
    ratio = _global_ratio(a_all[big], n_all[big]) if big.any() else math.nan
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):  # as the sweep's rounding floor
        den = norm(a_all[big]) + norm(n_all[big]) if big.any() else 0.0
        rounding = (NOISE_ULPS * np.finfo(np.float64).eps * abs(base.cost) / (2 * eps)
                    * math.sqrt(int(big.sum())) / den) if den > 0 else 0.0
        if atol_auto and den > 0:  # and the forward pass's (a fitted network: C near 0, gradients ~1e-13)
            rounding = max(rounding, float(norm(np.concatenate([p[2] for p in pairs])[big])) / den)
    undefined = None if big.any() else "none judged" if a_all.size == 0 else "below atol"
    statuses = {t.status for t in tensors}
    status = "fail" if "fail" in statuses else "inconclusive" if "inconclusive" in statuses else "pass"
    from .explain import seed001_rules  # not at import: the CLI's start-up

    settings = {"eps": eps, "rtol": rtol, "atol": atol, "atol_auto": atol_auto, "mode": mode, "params": params_used,
                "n_examples": int(X.shape[0]), "seed": seed, "dtype": "float64", "cast_from": cast_from,
                "adapt_step": bool(adapt_step), "l2": net64.l2}
    return GradcheckReport(
        passed=status == "pass",
        status=status,
        tensors=tuple(tensors),
        global_ratio=ratio,
        settings=settings,
        n_checked=sum(t.n_checked for t in tensors),
        n_failed=sum(t.n_failed for t in tensors),
        n_kinks=sum(t.n_kinks for t in tensors),
        cast_from=cast_from,
        n_stepped=sum(t.n_stepped for t in tensors),
        n_unmoved=sum(t.n_unmoved for t in tensors),
        n_unresolved=sum(t.n_unresolved for t in tensors),
        ratio_undefined=undefined,
        layers=chosen,
        n_layers=net64.L,
        warnings=warnings,
        n_on_atol=sum(t.n_on_atol for t in tensors),
        rounding_ratio=float(rounding) if math.isfinite(rounding) else 0.0,
        kinked=any(act.kink for act in net64.activations),
        layer_errors=seed001_rules(net64, Y),
        activations=tuple(act.name for act in net64.activations),
        zero_biases=not any(np.any(net64.biases[l - 1]) for l in chosen),
    )


def _chosen_layers(layers: int | str | Sequence[int | str] | None, n_layers: int) -> tuple[int, ...]:
    """The layers to check, 1-based and ascending, from ``layers=`` (None: all); each given as
    ``explain --layer`` takes it, and refused with its words (``explain.parse_layer``)."""
    if layers is None:
        return tuple(range(1, n_layers + 1))
    from .explain import parse_layer  # not at import: the CLI's start-up

    if isinstance(layers, np.ndarray) and layers.ndim == 0:  # np.array(2): one layer, not a list of them
        layers = layers.item()
    # bytes (b"L") are one name, as a str is, not a list of byte values
    given = list(layers) if isinstance(layers, Iterable) and not isinstance(layers, (str, bytes)) else [layers]
    if not given:
        raise ConfigError("layers: no layer given; name one or more (L, L-1, … or a number from 1 to "
                          f"{n_layers}), or leave layers=None to check every layer")
    # what is no layer (2.5, True, "x") is refused by parse_layer, which reads each as text, naming
    # the argument as the caller typed it: the CLI's --layer, else this function's layers=
    names = OPTION_NAMES.get()
    token = OPTION_NAMES.set({**names, "layer": "layers"}) if names["layer"] == "layer" else None
    try:
        return tuple(sorted({parse_layer(v, n_layers) for v in given}))
    finally:
        if token is not None:
            OPTION_NAMES.reset(token)


def numeric_gradients(
    net: Network, X: Any, Y: Any, eps: float = DEFAULT_EPS
) -> tuple[list[Array], list[Array]]:
    """Central-difference (dw, db) of the mean cost for every entry, batched, in float64.

    Shapes as ``net.weights`` / ``net.biases``; X (n_examples, n_inputs), Y
    (n_examples, n_outputs). No kink handling: the plain central difference.
    """
    _check_options(eps, 0.0, 0.0, "full", None)
    net64, _ = _float64(net)
    X, Y = _as_examples(net64, X, Y)
    base = _make_base(net64, X, Y)
    out: dict[str, list[Array]] = {"w": [], "b": []}
    for l in range(1, net64.L + 1):
        for kind in ("w", "b"):
            t = base.tensor(l, kind)
            chk = _check_entries(base, l, kind, np.zeros_like(t), np.arange(t.size), eps, 0.0, 0.0,
                                 kinks=False, resolve=False)
            out[kind].append(chk.numeric.reshape(t.shape))
    return out["w"], out["b"]


def _check_options(eps: float, rtol: float, atol: float | str, mode: str, params: int | None) -> str:
    """ConfigError for a bad option; the mode by its canonical name (``names.choose``: ``Sample``)."""
    for name, value, low in (("eps", eps, "> 0"), ("rtol", rtol, "≥ 0"), ("atol", atol, "≥ 0")):
        if name == "atol" and _is_auto(value):
            continue
        ok = isinstance(value, (int, float, np.floating)) and not isinstance(value, bool) and math.isfinite(value)
        if not ok or (value <= 0 if low == "> 0" else value < 0):
            raise ConfigError(f"gradcheck.{name}: {shown(value)} must be a finite number {low}"
                              + (' or "auto"' if name == "atol" else ""))
    mode = choose(mode, "gradcheck.mode", MODES)
    if params is not None and (not isinstance(params, (int, np.integer)) or isinstance(params, bool)
                               or params < 1):
        raise ConfigError(f"gradcheck.params: {shown(params)} must be an integer ≥ 1")
    return mode


def _generator(rng: np.random.Generator | int | None) -> tuple[np.random.Generator, int | None]:
    if isinstance(rng, np.random.Generator):
        return rng, None
    if rng is not None and (isinstance(rng, (bool, np.bool_)) or not isinstance(rng, (int, np.integer))
                            or rng < 0):
        raise ConfigError(f"gradcheck rng: {shown(rng)} must be a numpy Generator, a whole-number seed ≥ 0, or None")
    seed = 0 if rng is None else int(rng)
    return np.random.default_rng(seed), seed


def _float64(net: Network) -> tuple[Network, str | None]:
    """The network in float64 (a copy when it was float32) and the dtype it was cast from."""
    if not isinstance(net, Network):
        raise TypeError(f"net: a {type(net).__name__}; expected a backprop_cli Network")
    if net.dtype == np.float64:
        return net, None
    return net.astype("float64"), net.dtype.name


def _analytic(
    net: Network, X: Array, Y: Array, gradients: GradientsFn | None, config: Any
) -> tuple[list[Array], list[Array], tuple[str, ...]]:
    """(dw, db) from the network's backprop or from the user's backward function, and the warnings
    about that function's call (weights or biases it changed in place: ``_changed_in_place``). It
    is handed copies, so the finite differences still perturb the untouched network."""
    if gradients is None:
        dw, db = net.gradients(X, Y)
        return dw, db, ()
    if isinstance(gradients, (str, os.PathLike)):  # the CLI's FILE.py:FUNCTION, or a file
        raise BackwardError(f"gradients: {'the text ' + shown(gradients) if isinstance(gradients, str) else 'a path, ' + str(gradients)}, "
                            "not a function; load a FILE.py:FUNCTION with gradcheck.load_user_backward(spec), or pass "
                            "the function itself")
    if not callable(gradients):  # gradients=my_backward(w, b, X, Y, c): its result, printed whole in the message
        raise BackwardError(f"gradients: a {type(gradients).__name__}, not a function; pass the function itself "
                            "(check_gradients(net, X, Y, gradients=my_backward)), not what calling it returned")
    named = getattr(gradients, "func", gradients)  # functools.partial: its function's name, not its bound arrays
    label = getattr(gradients, "spec", None) or getattr(named, "__name__", None) or type(gradients).__name__
    if isinstance(gradients, UserBackward):  # FILE.py:FUNCTION: its errors name the file
        gradients = gradients.fn
    weights, biases = [w.copy() for w in net.weights], [b.copy() for b in net.biases]
    narrow: list[str] = []
    dw, db = _call_backward(gradients, label, weights, biases, X.copy(), Y.copy(), config, narrow)
    changed = _changed_in_place(net, weights, biases)  # the lists as they are now: `weights[0] = …` too
    half = (f"your backward returned float16 ({', '.join(narrow)}), which keeps about 3 significant digits: "
            f"relative errors up to ~5e-4 are its rounding; return float64") if narrow else ""
    return dw, db, tuple(w for w in (changed, half) if w)


def config_of(net: Network) -> Any:
    """A Config describing ``net``, for a backward function called without the run's config (the Python
    API's ``config=None``): its ``network.layers``, ``network.activation`` (the hidden layers': one name,
    or one per hidden layer) and ``network.output_activation``, ``cost``, ``training.l2`` (λ) and
    ``training.dtype`` are the network's; everything else (data, the other training fields) is the
    default, as a config that does not set it reads. ``source`` says it was derived."""
    from .config import Config, NetworkConfig, TrainingConfig  # not at import: the CLI's start-up

    names = [act.name for act in net.activations]
    hidden = names[:-1]
    activation: str | tuple[str, ...] = (hidden[0] if len(set(hidden)) == 1 else tuple(hidden)) if hidden else names[-1]
    return Config(network=NetworkConfig(layers=tuple(net.sizes), activation=activation, output_activation=names[-1]),
                  cost=net.cost_name, training=TrainingConfig(l2=net.l2, dtype=net.dtype.name),
                  source="<derived from the network>")


def _changed_in_place(net: Network, weights: list[Array], biases: list[Array]) -> str:
    """The warning for a backward that changed the weights or biases it was handed (seed 001's
    code updates w inside backprop, ``weights[l-1] -= eta * dw[l-1]`` before δ^(l) @ w^(l) hands
    the error back, so that hand-back used the updated w); "" when it changed none. ``weights``
    and ``biases``: the lists it was given, as they are after the call."""
    def differs(after: Any, before: Array) -> bool:
        return not (isinstance(after, np.ndarray) and after.shape == before.shape
                    and np.array_equal(after, before, equal_nan=True))

    changed = [(f"weights[{i}]", f"w^({i + 1})") for i, w in enumerate(net.weights)
               if i >= len(weights) or differs(weights[i], w)]
    changed += [(f"biases[{i}]", f"b^({i + 1})") for i, b in enumerate(net.biases)
                if i >= len(biases) or differs(biases[i], b)]
    if not changed:
        return ""

    def listed(words: list[str]) -> str:
        return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"

    return (f"your backward changed {listed([c[0] for c in changed])} ({', '.join(c[1] for c in changed)}) in "
            f"place: an error handed back after such an update (δ^(l) @ w^(l)) uses the updated w; compute all "
            f"gradients before any update (and update outside the backward). The check itself used the values "
            f"before the call")


# --- a user's backward function ------------------------------------------------------------------------


def _one_line(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {lines[0]}" if lines else type(exc).__name__


def _raised_at(exc: BaseException, fn: Callable[..., Any]) -> tuple[str, int] | None:
    """(file, line) of the innermost line of the user's own file (the function's file) in the
    exception's traceback, where a learner looks first; None when there is none."""
    import traceback

    code = getattr(_unwrapped(fn), "__code__", None)
    if code is None:
        return None
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename == code.co_filename]
    return (frames[-1].filename, frames[-1].lineno or 0) if frames else None


def _where_raised(exc: BaseException, fn: Callable[..., Any]) -> str:
    """`` at mine.py:12`` (``_raised_at``); "" when there is none."""
    at = _raised_at(exc, fn)
    return f" at {Path(at[0]).name}:{at[1]}" if at else ""


def _file_of(fn: Callable[..., Any]) -> str | None:
    """The file the function ``fn`` was defined in, None when it has none (a builtin)."""
    code = getattr(_unwrapped(fn), "__code__", None)
    return code.co_filename if code is not None else None


def _imported_at(exc: BaseException, path: Path) -> int | None:
    """The line of the user's file where its import failed: a SyntaxError's own, else the innermost
    line of that file in the traceback (an ``import`` it makes, a top-level statement)."""
    import traceback

    if isinstance(exc, SyntaxError):
        return exc.lineno
    target = path.resolve()
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if Path(f.filename).resolve() == target]
    return frames[-1].lineno if frames else None


def _where_imported(exc: BaseException, path: Path) -> str:
    """`` at mine.py:3`` (``_imported_at``); "" for a SyntaxError, whose message has it."""
    line = None if isinstance(exc, SyntaxError) else _imported_at(exc, path)
    return f" at {path.name}:{line}" if line else ""


def _shapes(values: Any) -> list[tuple[int, ...]] | None:
    """The shapes of the arrays in a returned dw or db, None when it is not a list of arrays."""
    try:
        return [np.shape(v) for v in values]
    except (TypeError, ValueError):  # not iterable, or a ragged entry
        return None


def _layout_hint(result: Any, name: str, i: int, weights: list[Array], biases: list[Array]) -> str:
    """The hint for a returned pair whose shapes fit the weights and biases, if laid out otherwise:
    ``(db, dw)`` where ``(dw, db)`` is meant, or a list from layer L down to layer 1 (its entries filled
    in as backprop goes, from L). ``name``: dw or db, the first wrong one, at ``i``; "" for neither."""
    w_shapes, b_shapes = [w.shape for w in weights], [b.shape for b in biases]
    got = [_shapes(result[0]), _shapes(result[1])]
    if got == [b_shapes, w_shapes]:
        return "; it looks like (db, dw): return dw, db, in that order"
    mine, refs = (got[0], w_shapes) if name == "dw" else (got[1], b_shapes)
    transposed = [r[::-1] for r in refs]
    if mine == refs[::-1] and (mine != transposed or (got[1] == b_shapes[::-1] != b_shapes)):
        which = ["dw", "db"] if got == [w_shapes[::-1], b_shapes[::-1]] else [name]
        return (f"; the layers look reversed (layer {len(refs)} first): return {' and '.join(which)} from "
                f"layer 1 to {len(refs)}, e.g. {', '.join(f'{n}[::-1]' for n in which)}")
    if name == "dw" and mine == refs[::-1] == transposed and len(refs) > 1:  # 2-3-3-2: either reading fits the shapes
        return (f"; either the layers are reversed (layer {len(refs)} first: dw[::-1]) or each ∂C/∂w^(l) is "
                f"transposed (it has the shape of w^(l), (n_l, n_(l−1)): delta.T @ a_prev, not a_prev.T @ delta)")
    return ""


def _bias_mean(axis: int = 0) -> str:
    """How a bias gradient averages δ over the examples, for a δ with or without the mean cost's 1/n
    (the tool's own δ^(L) carries it, as README's Notation says, so its BP3 is a plain sum)."""
    return f"delta.mean(axis={axis}), or delta.sum(axis={axis}) if your δ already carries the mean's 1/n"


def _bias_hint(shape: tuple[int, ...], ref: tuple[int, ...], n_examples: int = 0) -> str:
    """The hint for a bias gradient of shape (1, n) (a sum with keepdims=True) or (n, 1) (the
    column-vector convention's b^(l)) where (n,) is expected; "" otherwise. Refused, not taken:
    the learner's own ``b -= η·db`` would make b (n, n) or (1, n) (see the README)."""
    n = ref[0]
    if len(ref) == 1 and n_examples > 1 and shape in ((n_examples, n), (n, n_examples)):
        if n == n_examples:  # square: rows or columns may be the examples
            return (f": one row (or column) per example ({n_examples}), not averaged over them: average over "
                    f"the examples' axis, {_bias_mean()} with examples as rows")
        axis = 0 if shape == (n_examples, n) else 1  # examples as rows, or as columns (the column-vector convention)
        return (f": one {'row' if axis == 0 else 'column'} per example ({n_examples}), not averaged over them: "
                f"{_bias_mean(axis)}")
    if len(ref) != 1 or shape not in ((1, n), (n, 1)):
        return ""
    if n == 1:
        return f": .ravel() it (b^(l) is 1-D here: {_bias_mean()}, without keepdims)"
    if shape == (1, n):
        return ": a row, as sum(axis=0, keepdims=True) gives: sum without keepdims, or .ravel() it (b^(l) is 1-D here)"
    return (": a column, as in the column-vector convention: .ravel() it (b^(l) is 1-D here, and δ^(l) has "
            f"one row per example: {_bias_mean()})")


def _one_of_the_pair(result: Any, weights: list[Array], biases: list[Array]) -> str:
    """"dw (3 arrays shaped as w^(1) … w^(3))" when ``result`` is a list of arrays shaped as
    the weights (or the biases) in order: half of the pair, not the pair; "" otherwise."""
    if not isinstance(result, (tuple, list)) or not all(isinstance(v, np.ndarray) for v in result):
        return ""
    shapes = [v.shape for v in result]
    for name, sym, refs in (("dw", "w", weights), ("db", "b", biases)):
        if shapes == [r.shape for r in refs] and (name == "db" or shapes != [r.shape for r in biases]):
            L = len(refs)
            named = {1: f"{sym}^(1)", 2: f"{sym}^(1) and {sym}^(2)"}.get(L, f"{sym}^(1) … {sym}^({L})")
            return f"{name} ({L} {'array' if L == 1 else 'arrays'} shaped as {named})"
    return ""


def _not_real(value: Any) -> str:
    """Why a backward's ``value`` is not a gradient though float64 would take it: "is complex; return
    real arrays (…)" (numpy drops the imaginary part, with only a warning), "holds booleans …" (a mask,
    read as 0 and 1), "holds text …" ('0.5' parsed silently), "holds None …" (read as NaN), "holds
    timedelta64 …", "is a structured array …"; in an object array too. "" for real numbers of any width
    (integers, float16, longdouble) and for what float64 refuses (said after)."""
    import warnings

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            raw = np.asarray(value)
    except Exception:  # noqa: BLE001 - a user's object (an __array__ that raises): 'not a numeric array'
        return ""
    kind = raw.dtype.kind
    if kind == "O":  # each element as itself: a list mixing floats and complex numbers, Python bools, text
        kinds = {"c" if isinstance(x, (complex, np.complexfloating)) else "b" if isinstance(x, (bool, np.bool_))
                 else "U" if isinstance(x, (str, bytes, np.str_, np.bytes_)) else "N" if x is None else ""
                 for x in raw.flat}
        kind = next((k for k in "cUbN" if k in kinds), "")
        if kind == "c":
            try:
                raw = raw.astype(np.complex128)
            except (TypeError, ValueError):
                return "is complex; return real arrays"
    if kind == "c":
        imag = np.abs(raw.imag)
        if not np.any(imag):
            return "is complex; return real arrays (its imaginary parts are all 0: take .real)"
        with warnings.catch_warnings():  # all NaN: 'nan', without numpy's 'All-NaN slice encountered'
            warnings.simplefilter("ignore")
            top = float(np.nanmax(imag))
        return f"is complex; return real arrays (its imaginary parts, up to {top:.3g}, would be dropped)"
    if kind == "b":
        return ("holds booleans (True/False); return real arrays (a mask such as z > 0 enters a gradient as "
                "numbers: (z > 0) * 1.0)")
    if kind in ("U", "S"):
        return "holds text; return real arrays (numbers, not strings)"
    if kind == "N":  # float64 reads None as NaN: 'an overflow or a division by zero', which it is not
        return "holds None (never filled in?); return real arrays (numbers, not None)"
    if kind in ("m", "M"):
        what = "timedelta64 values (durations)" if kind == "m" else "datetime64 values (dates)"
        return f"holds {what}, not real numbers; return real arrays (float64)"
    if kind == "V":
        fields = f" (fields {', '.join(raw.dtype.names)})" if raw.dtype.names else ""
        return f"is a structured array{fields}, not of real numbers; return real arrays (float64)"
    return ""


def _unreadable(value: Any, exc: BaseException) -> str:
    """Why numpy could not read ``value`` (a user's object, a torch tensor) as float64, ``exc`` what
    reading it raised: "is a torch.Tensor that requires grad …: call .detach() first", "is a
    torch.Tensor of dtype torch.bfloat16, which numpy cannot read (TypeError: …): convert it with
    .float()"; "" for what is said 'not a numeric array' as before (a ragged list, text objects)."""
    kind = type(value)
    if kind.__module__ in ("builtins", "numpy") or isinstance(value, np.ndarray):
        return ""
    what = f"{kind.__module__.partition('.')[0]}.{kind.__qualname__}"
    dtype = getattr(value, "dtype", None)
    if dtype is not None:
        what += f" of dtype {dtype}"
    if hasattr(value, "detach") and (getattr(value, "requires_grad", False) is True or "detach" in str(exc)):
        return (f"is a {what} that requires grad, which numpy cannot read; call .detach() first (return "
                f"d.detach(), or d.detach().numpy())")
    if hasattr(value, "float") and "bfloat16" in str(dtype).lower():
        return f"is a {what}, which numpy cannot read ({_one_line(exc)}); convert it with .float()"
    return f"is not a numeric array: a {what}, which numpy cannot read as float64 ({_one_line(exc)})"


def _call_backward(
    fn: Callable[..., Any], label: str, weights: list[Array], biases: list[Array], X: Array, Y: Array,
    config: Any, narrow: list[str] | None = None,
) -> tuple[list[Array], list[Array]]:
    """Call fn(weights, biases, X, Y, config); its errors and bad shapes become BackwardError (a
    ConfigError), naming fn's file and, for a raise, the line. ``narrow``, if given, gets the names of
    the arrays it returned as float16 (``dw[0]``), whose rounding a check at float64 would fail."""
    file = _file_of(fn)
    typed = label.rpartition(":")[0]  # FILE.py:FUNCTION's file as typed, as its import errors name it
    try:
        if file is not None and typed.endswith(".py") and Path(typed).resolve() == Path(file).resolve():
            file = typed  # not the absolute /x/repo/../st/mine.py a grading loop would group apart
    except OSError:
        pass

    def refused(message: str, line: int | None = None) -> BackwardError:
        return BackwardError(f"backward {label}: {message}", file=file, line=line)

    try:
        result = fn(weights, biases, X, Y, config)
    except (BackpropError, SignalExit):  # SignalExit: SIGTERM or SIGHUP came meanwhile (the tool's exit, not fn's)
        raise
    except (Exception, SystemExit) as exc:  # a user's code: any failure in one line, and where
        shapes = ""
        if isinstance(exc, ValueError) and ("matmul" in str(exc) or "broadcast" in str(exc)
                                            or "not aligned" in str(exc)):
            sizes = "-".join(str(w.shape[1]) for w in weights[:1]) + "".join(f"-{w.shape[0]}" for w in weights)
            shapes = (f" (a shape mismatch; for this {sizes} network on {X.shape[0]} examples, w^(l) is (n_l, n_{{l−1}}), "
                      f"b^(l) (n_l,), and a^(l), z^(l), δ^(l) are (n_examples, n_l), one row per example: "
                      f"the hand-back is δ^(l) @ w^(l) and BP4 δ^(l)ᵀ @ a^(l−1))")
        at = _raised_at(exc, fn)
        error = refused(f"raised {_one_line(exc)}{_where_raised(exc, fn)}{shapes}", at[1] if at else None)
        if at and at[0] != _file_of(fn):  # raised in another file it imports: that one (fn's own: as typed)
            error.file = at[0]
        raise error from exc
    if inspect.iscoroutine(result):  # a plain wrapper that hands back an async def's call: closed, so Python
        result.close()                # does not add two lines of 'coroutine … was never awaited' to the error
        raise refused("returned a coroutine: it calls an async def without running it; run that with "
                      "asyncio.run(…) inside, or make it a plain def; expected a pair (dw, db) of lists of arrays")
    if inspect.isasyncgen(result):  # a plain wrapper around an async def that yields: said what it is, as unwrapped
        raise refused("returned an async generator: it calls an async def that yields (dw, db) instead of returning "
                      "them; make it a plain def that returns them: return dw, db, not yield")
    if inspect.isgenerator(result):  # a def that yields: the pair once returned, not a generator of it
        result.close()
        raise refused("returned a generator (a def that yields, or a generator expression), not the pair (dw, db) "
                      "of lists of arrays: return dw, db")
    alone = _one_of_the_pair(result, weights, biases)
    if alone:  # a list of L arrays is a pair when L = 2: said as what it is, not "dw has 3 arrays"
        raise refused(f"returned {alone} alone; expected a pair (dw, db) of lists of arrays: return dw, db")
    if not isinstance(result, (tuple, list)) or len(result) != 2:
        what = (f"a {type(result).__name__} of {len(result)} values" if isinstance(result, (tuple, list))
                else "None (no return statement?)" if result is None else type(result).__name__)
        raise refused(f"returned {what}; expected a pair (dw, db) of lists of arrays: return dw, db")
    out = []
    for name, values, refs, sym in (("dw", result[0], weights, "w"), ("db", result[1], biases, "b")):
        try:
            values = list(values)
        except TypeError:
            raise refused(f"{name} is a {type(values).__name__}, expected a list of {len(refs)} arrays") from None
        if len(values) != len(refs):
            raise refused(f"{name} has {plural(len(values), 'array')}, expected {len(refs)} (layers 1 to {len(refs)})")
        arrays = []
        for i, (v, ref) in enumerate(zip(values, refs)):
            if v is None:
                raise refused(f"{name}[{i}] (∂C/∂{sym}^({i + 1})) is None: never filled in, expected an "
                              f"array of shape {ref.shape}")
            not_real = _not_real(v)  # complex: numpy would drop the imaginary part, a warning on stderr, and pass
            if not_real:
                raise refused(f"{name}[{i}] (∂C/∂{sym}^({i + 1})) {not_real}")
            if narrow is not None and str(getattr(v, "dtype", "")) in ("float16", "torch.float16"):
                narrow.append(f"{name}[{i}]")
            try:
                with np.errstate(over="ignore"):  # a longdouble beyond float64's range: inf, judged as any inf is
                    arr = np.array(v, dtype=np.float64)
            except (TypeError, ValueError) as exc:
                unread = _unreadable(v, exc)
                raise refused(f"{name}[{i}] (∂C/∂{sym}^({i + 1})) {unread or 'is not a numeric array'}") from None
            except Exception as exc:  # noqa: BLE001 - a user's object whose __array__ raises anything: one line
                unread = _unreadable(v, exc) or f"is not a numeric array: reading it as one raised {_one_line(exc)}"
                raise refused(f"{name}[{i}] (∂C/∂{sym}^({i + 1})) {unread}") from None
            if arr.shape != ref.shape:
                transposed = sym == "w" and len(ref.shape) == 2 and arr.shape == ref.shape[::-1]
                hint = (_layout_hint(result, name, i, weights, biases)
                        or (f": transposed; ∂C/∂w^({i + 1}) has the shape of w^({i + 1}), (n_{i + 1}, "
                            f"n_{i}) with rows j = units of layer {i + 1}, and BP4 is δ^({i + 1}) "
                            f"(a^({i}))ᵀ (with examples as rows: delta.T @ a_prev, not a_prev.T @ delta)"
                            if transposed else "")
                        or (_bias_hint(arr.shape, ref.shape, len(X)) if sym == "b" else "")
                        or one_number_hint(arr.shape, ref.shape))
                raise refused(f"{name}[{i}] (∂C/∂{sym}^({i + 1})) has shape {arr.shape}, expected "
                              f"{ref.shape}{hint}")
            arrays.append(arr)
        out.append(arrays)
    return out[0], out[1]


@dataclass(frozen=True)
class UserBackward:
    """A backward function loaded from ``FILE.py:FUNCTION``; calling it checks what it does."""

    fn: Callable[..., Any]
    spec: str

    def __call__(
        self, weights: list[Array], biases: list[Array], X: Array, Y: Array, config: Any = None
    ) -> tuple[list[Array], list[Array]]:
        return _call_backward(self.fn, self.spec, weights, biases, X, Y, config)


#: What a function must take to be a backward, as the hints name it.
_BACKWARD_ARGS = "(weights, biases, X, Y, config)"


def _not_a_file(path: Path) -> str:
    """Why ``path``, which is there, is no file to import: "is a folder, not a file", "is a device,
    not a regular file" (/dev/null), "is a FIFO (named pipe), not a regular file", "is a broken link
    (to T, which does not exist)" (as a model's is said: ``model_io.not_a_file``; it was said 'not
    found'), …; "" for a regular file (through links) or a path that is not there (or cannot be looked
    at)."""
    import stat

    try:
        mode = path.stat().st_mode
    except (OSError, ValueError):
        from .wording import not_a_file

        link = not_a_file(path)  # a link there whose target is not: broken, or a loop of links
        return f"is {link}" if link else ""
    if stat.S_ISREG(mode):
        return ""
    if stat.S_ISDIR(mode):
        return "is a folder, not a file"
    kind = ("a FIFO (named pipe)" if stat.S_ISFIFO(mode) else "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode)
            else "a socket" if stat.S_ISSOCK(mode) else "")
    return f"is {kind}, not a regular file" if kind else "is not a regular file"


def _name_hint(spec: str, typed: str | None = None) -> str:
    """The end of the one-line error for FILE.py given without :FUNCTION (or with an empty one,
    ``typed`` None or ""): the functions it defines (``def`` and ``name = lambda …``, at its top level
    or inside an ``if`` or ``try`` there), read without running it, in ``_candidates_hint``'s words,
    said to be defined there; where none can be a backward, the names it imports, which reading does
    not see into. "" when it does not parse or holds none of these. (A FILE.py:FUNCTION it lacks is
    named by the imported module's namespace: ``_module_candidates``.)"""
    import ast

    path = Path(spec[:-1] if spec.endswith(":") else spec)
    if not os.path.lexists(path):  # (a broken link is there: said to be one below)
        return f"; there is no file {shown(str(path))} either"
    not_file = _not_a_file(path)
    if not_file:  # a FIFO is not read: with no writer, reading it would wait for ever
        return f"; {shown(str(path))} {not_file}"
    try:
        tree = ast.parse(path.read_bytes())  # bytes: a '# -*- coding: latin-1 -*-' line is honoured
    except (OSError, ValueError, SyntaxError, RecursionError, MemoryError):
        return ""
    functions: list[tuple[str, str]] = []
    imported: list[str] = []

    def read(body: list[ast.stmt]) -> None:
        for s in body:
            if isinstance(s, ast.FunctionDef):
                functions.append((s.name, "" if _takes_five(s.args) else "?"))
            elif isinstance(s, (ast.Assign, ast.AnnAssign)) and isinstance(s.value, ast.Lambda):
                targets = s.targets if isinstance(s, ast.Assign) else [s.target]
                functions.extend((n.id, "" if _takes_five(s.value.args) else "?") for n in targets
                                 if isinstance(n, ast.Name))
            elif isinstance(s, ast.ImportFrom):
                if s.module not in ("__future__", "typing", "typing_extensions"):
                    imported.extend(a.asname or a.name for a in s.names if a.name != "*")
            elif not isinstance(s, (ast.ClassDef, ast.AsyncFunctionDef)):
                # an if, try, with or loop at the top level: what it defines is the module's too, but for
                # an `if __name__ == "__main__":` or `if TYPE_CHECKING:` body, which an import does not run
                unrun = isinstance(s, ast.If) and any(
                    isinstance(n, ast.Name) and n.id in ("__name__", "TYPE_CHECKING")
                    or isinstance(n, ast.Attribute) and n.attr == "TYPE_CHECKING" for n in ast.walk(s.test))
                for block in ("orelse", "finalbody") if unrun else ("body", "orelse", "finalbody"):
                    inner = getattr(s, block, None)
                    if isinstance(inner, list):
                        read(inner)
                for handler in getattr(s, "handlers", []):
                    read(handler.body)

    read(tree.body)
    once: dict[str, str] = {}
    for name, why in functions:  # a def in both arms of an if or try: once, as the one that can be a backward if any
        once[name] = "" if not why or once.get(name) == "" else why
    functions = list(once.items())
    imported = list(dict.fromkeys(imported))
    hint = _candidates_hint(str(path), functions, typed, what=("function defined", "functions defined"))
    if imported and not any(not why for _, why in functions):
        names = f"imported there, not read: {', '.join(imported)}"
        hint = hint[:-1] + f"; {names})" if hint.endswith(")") else f" (no function defined there; {names})"
    return hint


def _candidates_hint(path: str, functions: list[tuple[str, str]], typed: str | None,
                     what: tuple[str, str] = ("function", "functions")) -> str:
    """The end of the one-line error for FILE.py given without :FUNCTION (``typed`` None or "") or
    with a :FUNCTION it lacks (``typed``). ``functions``: the file's, in its order, each with ""
    where it can be a backward (called with five positional arguments), else why not (``it takes
    config as keyword-only``). The function nearest the name typed, ``(did you mean backward?)``,
    with why it cannot be a backward where it cannot (``def backward(weights, biases, X, Y, *,
    config)`` is what ``:backwards`` meant, not a ``backward2(*args)`` beside it); private helpers
    (``_sigmoid``) are matched only as a backward or for a name typed with its ``_``. Else the
    functions that can be a backward, said to be so (the one there as the example, ``e.g.
    bw.py:my_backprop``), never one picked by its place in the file (``examples/backward.py``
    ends in its deliberate slip, which was offered for ``:backwards``); else the file's public
    functions, none of them a backward. ``what``: how one of them and several are called ("function
    defined" where the file was read, not run, and its imports not seen into)."""
    fits = [name for name, why in functions if not why]
    if typed:
        why_not = {name: why for name, why in functions
                   if why and (typed.startswith("_") or not name.startswith("_"))}
        near = nearest_name(typed, fits + list(why_not))
        if near is not None and near in why_not and why_not[near] != "?":
            return (f" (did you mean {shown(near)}? {why_not[near]}; a backward is called with five "
                    f"positional arguments {_BACKWARD_ARGS})")
        if near is not None and near in fits:
            return f" (did you mean {shown(near)}?)"
    if len(fits) == 1:
        return f", e.g. {path}:{fits[0]} (the one {what[0]} there that can be a backward, taking {_BACKWARD_ARGS})"
    if fits:
        return f" (the {what[1]} there that can be a backward, taking {_BACKWARD_ARGS}: {', '.join(fits)})"
    if not functions:
        return ""
    public = [name for name, _ in functions if not name.startswith("_")]
    return (f" (no {what[0]} there can be a backward, taking {_BACKWARD_ARGS}"
            f"{f'; {what[1]} there: ' + ', '.join(public) if public else ''})")


def _why_not_five(fn: Any) -> str:
    """"" when ``fn`` can be called with 5 positional arguments, as ``load_user_backward`` requires
    (one with no signature to read is given the benefit of the doubt, as there); else why not, in
    a clause of ``_candidates_hint``'s (``it takes config as keyword-only``)."""
    if _is_async(fn):
        return "it is an async def"
    try:
        sig = inspect.signature(fn)
    except (ValueError, TypeError):  # no signature to read (a __call__ of 5, a __signature__ of 1)
        return ""
    try:
        sig.bind(None, None, None, None, None)
    except TypeError:
        kinds = inspect.Parameter
        params = list(sig.parameters.values())
        keyword = [p.name for p in params if p.kind == kinds.KEYWORD_ONLY and p.default is kinds.empty]
        positional = [p for p in params if p.kind in (kinds.POSITIONAL_ONLY, kinds.POSITIONAL_OR_KEYWORD)]
        needed = sum(p.default is kinds.empty for p in positional)
        if keyword:
            return f"it takes {', '.join(keyword)} as keyword-only"
        if needed > 5:
            return f"it needs {needed} arguments {sig}"
        if len(positional) < 5 and not any(p.kind == kinds.VAR_POSITIONAL for p in params):
            return f"it takes only {sig}"
        return f"it takes {sig}"
    return ""


@functools.lru_cache(maxsize=1)
def _library_folders() -> tuple[Path, ...]:
    """Where Python's standard library and installed packages live."""
    import site
    import sysconfig

    folders = [sysconfig.get_paths().get(k) for k in ("stdlib", "platstdlib", "purelib", "platlib")]
    folders += list(getattr(site, "getsitepackages", list)()) + [site.getusersitepackages()]
    return tuple({Path(f).resolve() for f in folders if f})


def _from_a_library(obj: Any) -> bool:
    """Is ``obj`` (a callable) defined in the standard library or an installed package, or built
    in? (``from numpy import zeros_like``, ``from typing import Callable``: callable with five
    arguments, but no one's backward.) A function is judged by its code's file (through
    ``functools.wraps`` and ``partial``), anything else by its class's."""
    target = obj
    for _ in range(100):  # a partial of a wrapped function of a partial …
        if isinstance(target, functools.partial):
            target = target.func
        elif getattr(target, "__wrapped__", None) is not None and not isinstance(target, type):
            target = target.__wrapped__
        else:
            break
    code = getattr(getattr(target, "__func__", target), "__code__", None)
    if code is not None:
        file = code.co_filename
        if file.startswith("<"):  # made by exec or typed at a prompt: the user's
            return False
    else:
        try:
            file = inspect.getfile(type(target))
        except (TypeError, OSError):  # built in
            return True
    try:
        where = Path(file).resolve()
    except (OSError, ValueError, RuntimeError):
        return False
    return any(where.is_relative_to(folder) for folder in _library_folders())


def _module_candidates(module: Any) -> list[tuple[str, str]]:
    """The functions in an imported FILE.py's namespace, in its order, for ``_candidates_hint``:
    each callable there but classes, modules and ``__dunder__`` names, whether defined there, a
    lambda or imported (``from backward import backward as my_backward``), but not one from the
    standard library or an installed package (``_from_a_library``)."""
    return [(name, _why_not_five(value)) for name, value in vars(module).items()
            if not name.startswith("__") and callable(value) and not isinstance(value, type)
            and not inspect.ismodule(value) and not _from_a_library(value)]


def _import_hint(spec: str) -> str:
    """``_candidates_hint`` for FILE.py given without :FUNCTION: its top-level ``def``s, read without
    running it (``_name_hint``). A mistyped option does not run the user's file: importing it here ran
    its prints, sleeps and exits before the one-line error."""
    return _name_hint(spec)


def _takes_five(args: ast.arguments) -> bool:
    """Can a function with these parameters be called with 5 positional arguments? (one with a
    default after them, ``def backward(w, b, X, Y, config, verbose=False)``, can; one with a
    required keyword-only parameter cannot)"""
    positional = len(args.posonlyargs + args.args)
    required = positional - len(args.defaults)
    kw_required = any(d is None for d in args.kw_defaults)
    return required <= 5 and (positional >= 5 or args.vararg is not None) and not kw_required


def _import_user_module(path_text: str) -> Any:
    """Import the file ``path_text`` (one that exists) as ``load_user_backward`` does, its folder on
    ``sys.path`` meanwhile. Raises ConfigError when it is no Python file, BackwardError when
    importing it fails."""
    path = Path(path_text)
    module_name = f"_backprop_user_backward_{abs(hash(str(path.resolve())))}"
    found = importlib.util.spec_from_file_location(module_name, path)
    if found is None or found.loader is None:
        raise ConfigError(f"backward: {shown(path_text)} cannot be imported (is it a .py file?)")
    module = importlib.util.module_from_spec(found)
    sys.modules[module_name] = module
    folder = str(path.resolve().parent)
    sys.path.insert(0, folder)  # as `python FILE.py` would: a module beside it can be imported
    try:
        found.loader.exec_module(module)
    except SignalExit:  # SIGTERM or SIGHUP while it ran: the tool's own exit, not the module's sys.exit
        del sys.modules[module_name]
        raise
    except (Exception, SystemExit) as exc:  # a user's module: any failure in one line (sys.exit too)
        del sys.modules[module_name]
        raise BackwardError(f"backward: importing {shown(path_text)} raised {_one_line(exc)}"
                            f"{_where_imported(exc, path)}", file=path_text, line=_imported_at(exc, path)) from exc
    finally:
        sys.path.remove(folder)  # the first occurrence: the one inserted above
    return module


def load_user_backward(spec: str) -> UserBackward:
    """Import ``FILE.py:FUNCTION``, a function (weights, biases, X, Y, config) -> (dw, db).

    The file's folder is on ``sys.path`` while it is imported, so its top-level imports
    find modules beside it. ``weights[l-1]`` has shape (n_l, n_{l-1}), ``biases[l-1]`` (n_l,), X (n_examples,
    n_inputs), Y (n_examples, n_outputs); ``config`` is the run's Config (``check_gradients``
    derives one from the network when given none: ``config_of``). dw and
    db must be the gradient of the *mean* cost, shaped like weights and biases. Raises
    ConfigError when ``spec`` is not FILE.py:FUNCTION or the file is missing (the command's
    fault), BackwardError (a ConfigError) when the file fails to import or the function is
    missing, not callable or takes other arguments (the code's); calling the result raises
    BackwardError when the function raises or returns wrong shapes.
    """
    path_text, sep, name = str(spec).rpartition(":")
    if not sep or not path_text or not name:
        raise ConfigError(f"backward: {shown(spec)} must look like FILE.py:FUNCTION{_import_hint(str(spec))}")
    path = Path(path_text)
    not_file = _not_a_file(path)
    if not_file:
        hint = "restore the file it pointed to, or give the Python file itself" if not_file.startswith("is a broken link") else None
        raise ConfigError(f"backward: {shown(path_text)} {not_file}", hint)
    if not path.is_file():
        raise ConfigError(f"backward: file {shown(path_text)} not found")
    module = _import_user_module(path_text)
    if not hasattr(module, name):
        # the same candidates, in the same words, as FILE.py given without :FUNCTION (``_import_hint``),
        # the one nearest the name typed first
        also = _candidates_hint(path_text, _module_candidates(module), name)
        raise BackwardError(f"backward: {shown(path_text)} has no function {shown(name)}{also}", file=path_text)
    fn = getattr(module, name)
    if not callable(fn):
        raise BackwardError(f"backward: {path_text}:{name} is a {type(fn).__name__}, not a function",
                            file=path_text)
    try:
        signature = inspect.signature(fn)
    except (ValueError, TypeError):  # no introspectable signature (a builtin, a __signature__ of 1): the call decides
        signature = None
    line = getattr(getattr(_unwrapped(fn), "__code__", None), "co_firstlineno", None)
    try:
        if signature is not None:
            signature.bind(None, None, None, None, None)
    except TypeError:
        kinds = inspect.Parameter  # why not, as the hint for a mistyped name says it of the others
        keyword = [p.name for p in signature.parameters.values() if p.kind == kinds.KEYWORD_ONLY and p.default is kinds.empty]
        why = f": it takes {', '.join(keyword)} as keyword-only" if keyword else ""
        raise BackwardError(f"backward: {path_text}:{name}{signature} must accept "
                            f"(weights, biases, X, Y, config){why}", file=path_text, line=line) from None
    if _is_async(fn):  # its call returns a coroutine, never (dw, db), and Python warns of it un-awaited at exit
        got = "an async generator (it yields)" if inspect.isasyncgenfunction(fn) else "a coroutine"
        fix = "make it a plain def that returns them: return dw, db, not yield" if inspect.isasyncgenfunction(fn) \
            else "make it a plain def"
        raise BackwardError(f"backward: {path_text}:{name} is an async def: gradcheck calls it and needs (dw, db) "
                            f"back, not {got}; {fix}", file=path_text, line=line)
    return UserBackward(fn, f"{path_text}:{name}")


def _is_async(fn: Any) -> bool:
    """Is a call of ``fn`` itself an ``async def``'s, returning a coroutine (``partial`` of one too)? A plain
    def wrapping one (``functools.wraps``, calling ``asyncio.run(f(*a))``) is not: its ``__wrapped__`` is
    not followed."""
    return inspect.iscoroutinefunction(fn) or inspect.isasyncgenfunction(fn)


def _unwrapped(fn: Any) -> Any:
    """``inspect.unwrap(fn)``: the function under its ``functools.wraps`` wrappers; None where their
    ``__wrapped__`` go round in a loop (``fn.__wrapped__ = fn``: ValueError 'wrapper loop')."""
    try:
        return inspect.unwrap(fn)
    except ValueError:
        return None


# --- the convergence sweep ---------------------------------------------------------------------------


def convergence_sweep(
    net: Network,
    X: Any,
    Y: Any,
    gradients: GradientsFn | None = None,
    eps_values: Sequence[float] = DEFAULT_SWEEP,
    mode: str = "full",
    params: int | None = None,
    rng: np.random.Generator | int | None = None,
    config: Any = None,
    atol: float | str = "auto",
    layers: int | str | Sequence[int | str] | None = None,
    progress: Callable[..., None] | None = None,
) -> ConvergenceReport:
    """The check's error for each ε (largest first) on the same entries, and a verdict.

    ``mode`` full or sample (the same random entries for every ε). ``layers``: as
    ``check_gradients`` takes it, the entries of those layers' w^(l) and b^(l) only. Per ε: the max and
    median relative error over entries where max(|a|, |n|) ≥ atol, and the global ratio;
    see ``ConvergenceReport`` for the order estimate and the verdict. ``atol="auto"`` (the default):
    at each ε the rounding level of central differences there (``auto_atol``), listed in
    ``settings["atol_values"]``. ``progress``: as ``check_gradients`` calls it, over every ε's
    evaluations (a sweep of a large network takes minutes).
    """
    eps_list = sorted({float(e) for e in eps_values}, reverse=True) if len(eps_values) else []
    if len(eps_list) < 2:
        raise ConfigError(f"gradcheck.eps_values: {shown(list(eps_values))} needs at least 2 distinct values")
    for e in eps_list:
        mode = _check_options(e, 0.0, atol, mode, params)
    if mode == "fast":
        raise ConfigError("gradcheck.mode: the convergence sweep runs in full or sample mode, not fast")
    params_used = (params or DEFAULT_SAMPLE) if mode == "sample" else params
    gen, seed = _generator(rng)
    net64, cast_from = _float64(net)
    config = config if config is not None else config_of(net)
    X, Y = _as_examples(net64, X, Y)
    base = _make_base(net64, X, Y, bends=True)
    atol_auto = _is_auto(atol)
    atols = [auto_atol(base.cost, e, base.output_scale) if atol_auto else float(atol) for e in eps_list]
    base.forward_rounding = atol_auto
    # ELU's bend alone (σ' continuous) leaves quotients that converge, if as ε only: ``_plateau``
    # judges them. Where ReLU kinks are there too, a second look tells which steps cross a kink
    kinks = any(act.kink for act in net64.activations)
    kink_base = _make_base(net64, X, Y) if kinks and any(act.bend for act in net64.activations) else None
    checked = _chosen_layers(layers, net64.L)
    dw, db, warnings = _analytic(net64, X, Y, gradients, config)
    crossed = _what_steps_cross(net64)
    chosen = [(l, kind, grad, _select(mode, grad.size, params_used or 0, gen))
              for l in range(1, net64.L + 1) for kind, grad in (("w", dw[l - 1]), ("b", db[l - 1]))]
    chosen = [c for c in chosen if c[0] in checked]  # drawn for all: the entries a sweep of all takes
    if progress is not None:  # two evaluations per entry and ε, twice where kinks get their second look
        base.tally = _Tally(progress, 2 * sum(len(f) for *_, f in chosen) * len(eps_list) * (2 if kink_base else 1))
        if kink_base is not None:
            kink_base.tally = base.tally
    max_rel, med_rel, ratios, crossings, floors, n_big, roundings = [], [], [], [], [], [], []
    rels = []  # per ε, per entry: its relative error where judged (of at least atol), else NaN: ``_floor_after``
    quotients, noises, crossing, grown, terms, outputs = [], [], [], [], [], []  # per ε, per entry: ``_plateau``
    thetas = np.concatenate([base.tensor(l, k).ravel()[f] for l, k, _, f in chosen])
    term_floor = np.concatenate([base.term_floor(l, k, f) for l, k, _, f in chosen])
    for eps, at in zip(eps_list, atols):
        hp, hm = _steps(thetas, np.full(len(thetas), eps))
        terms.append(_term_noise(term_floor, np.abs(hp - hm), base.cost))
        checks = [_check_entries(base, l, k, g, f, eps, 0.0, at, kinks=False, resolve=False) for l, k, g, f in chosen]
        crossings.append(sum(int(np.count_nonzero(c.crossed)) for c in checks))
        a = np.concatenate([c.analytic for c in checks])
        n = np.concatenate([c.numeric for c in checks])
        quotients.append(n)
        noises.append(np.concatenate([c.noise for c in checks]))
        outputs.append(np.concatenate([c.output for c in checks]))
        if kink_base is not None:
            checks = [_check_entries(kink_base, l, k, g, f, eps, 0.0, at, kinks=False, resolve=False)
                      for l, k, g, f in chosen]
        crossing.append(np.concatenate([c.crossed for c in checks]) & kinks)
        grown.append(np.concatenate([c.grown for c in checks]))
        big = ~(np.maximum(np.abs(a), np.abs(n)) < at)  # NaN counts
        n_big.append(int(big.sum()))
        rel = _rel_error(a[big], n[big]) if big.any() else np.zeros(1)
        rels.append(np.where(big, _rel_error(a, n), np.nan))
        max_rel.append(float(rel.max()))
        med_rel.append(float(np.median(rel)))
        # over the entries --atol keeps, as the relative errors: a trained network's gradient of
        # ~1e-20 against its rounding noise read as a ratio of 1, "the gradient is wrong"
        ratios.append(_global_ratio(a[big], n[big]) if big.any() else 0.0)
        # the ratio rounding of the costs alone gives (NOISE_ULPS · u · |C| / 2ε per entry): far
        # above 1e-7 for a cost of 1e12, which stalled a correct gradient's curve there
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            noise = NOISE_ULPS * np.finfo(np.float64).eps * abs(base.cost) / (2 * eps) * math.sqrt(int(big.sum()))
            if atol_auto and big.any():  # and the forward pass's, where C is near 0 (a fitted network)
                noise = max(noise, float(norm(noises[-1][big])))
            den = norm(a[big]) + norm(n[big]) if big.any() else 0.0
            floors.append(float(noise / den) if den > 0 else 0.0)
            # for ``_inconsistent``: the forward pass's rounding of its terms too (steep weights), never a cap
            shifts = max(noise, float(norm(terms[-1][big]))) if big.any() else noise
            roundings.append(float(shifts / den) if den > 0 else 0.0)
    labels = np.concatenate([np.full(len(f), f"{k}^({l})") for l, k, _, f in chosen])
    names = [f"{k}^({l})[{','.join(str(int(v)) for v in np.unravel_index(int(i), g.shape))}]"
             for l, k, g, f in chosen for i in f]
    wrong: dict[str, int] = {}
    sweep = _Sweep(np.array(eps_list), np.concatenate([g.ravel()[f] for _, _, g, f in chosen]), thetas,
                   np.array(quotients), np.array(noises), np.array(crossing), np.array(grown),
                   np.array(terms), max(base.term_rounding[l][3] for l in checked), np.array(outputs),
                   base.output_scale, ANALYTIC_ULPS * np.concatenate([base.analytic_floor(l, k, f) for l, k, _, f in chosen]))
    n_judged = tuple(n_big)  # every ε's, before the overflowing ones are set aside below
    not_finite = [e for e, r in zip(eps_list, ratios) if not math.isfinite(r)]
    bad = sum(int(np.count_nonzero(~np.isfinite(g.ravel()[f]))) for _, _, g, f in chosen)
    # where only the largest ε overflow the cost next to θ (huge weights), the rest still make a
    # sweep of three or more: judged on those, the overflowing ones named and left out
    skip = len(not_finite) if not bad and not_finite == eps_list[: len(not_finite)] else 0
    if skip and len(eps_list) - skip >= 3:
        left_out, whole = not_finite, (eps_list, ratios, crossings)
        eps_list, ratios, crossings, floors = eps_list[skip:], ratios[skip:], crossings[skip:], floors[skip:]
        roundings = roundings[skip:]
        n_big, atols = n_big[skip:], atols[skip:]
        sweep = _Sweep(sweep.eps[skip:], sweep.a, sweep.theta, sweep.N[skip:], sweep.noise[skip:],
                       sweep.crossed[skip:], sweep.grown[skip:], np.array(terms)[skip:], sweep.term_sum,
                       np.array(outputs)[skip:], base.output_scale, sweep.own)
        not_finite = []
    else:
        left_out, skip = [], 0
    diagnosis: tuple[str, ...] = ()  # a failing sweep's pattern (``_sweep_pattern``)
    fitted_off = np.zeros(len(sweep.a), dtype=bool)  # entries off by the rounding of a^(L) alone (``_fitted_off_verdict``)
    if not_finite:  # no order to measure: say why instead
        order, i_best, passed = None, len(eps_list) - 1, False
        status = "fail" if bad else "inconclusive"
        verdict = (f"{plural(bad, 'entry', 'entries')} of the analytic gradient {'is' if bad == 1 else 'are'} "
                   "NaN or infinite (a division by zero or an overflow in the backward pass): wrong at every ε"
                   if bad else
                   f"the cost is not finite next to θ for ε = "
                   f"{', '.join(f'{e:.0e}' for e in not_finite)} (the forward pass overflows there), so no order "
                   f"can be measured; try weights nearer 1, or {_TRY}")
    elif not any(n_big):  # a trained network's gradient, or tiny parameters: all below --atol
        order, i_best, passed, status = None, 0, True, "pass"
        lo, hi = f"{min(atols):.1e}", f"{max(atols):.1e}"  # not "1.0e-08 to 1.0e-08" where they print alike
        given = (f"{atol:g}" if not atol_auto else f"auto, {lo} at every ε" if lo == hi
                 else f"auto, {lo} to {hi} over the ε")
        verdict = (f"no checked entry, analytic or numeric, reaches atol ({given}) at any ε: each passes on atol, "
                   "as in the plain check, with nothing to judge beyond that (a ratio would compare rounding "
                   "noise); lower --atol to judge them")
    else:
        # a cost's rounding that reaches 1e-3 of the gradient leaves nothing to measure: no allowance
        level = [max(_ROUNDING_LEVEL, f) if f <= 1e-3 else _ROUNDING_LEVEL for f in floors]
        order, i_best, i_first = _order(eps_list, ratios, crossings, level)
        i_shown = i_first if order is None else i_best  # no order: "at rounding level already at ε"
        every = all(c > 0 for c in crossings)  # a unit exactly at z = 0: steps of every size cross it
        # the first kink-free ε is the best one: it may cross as well (xor_relu's 1e-2)
        k = (i_first if crossings[i_first] else i_first - 1) if i_first > 0 else None
        i_said = i_best  # the ε whose ratio a failing verdict speaks of (``_cannot_judge``)
        floor = _floor_after(eps_list, ratios, np.array(rels[skip:]), crossings, i_shown, names)
        if floor is None and (order is None or order < 0.5):  # an error that levels off: its size and entries
            # from the ε around the best one where too few lie below it (the best at the smallest ε)
            floor = _floor_after(eps_list, ratios, np.array(rels[skip:]), crossings, i_shown, names, upward=True)
        passed, verdict = _sweep_verdict(order, ratios[i_shown], eps_list[i_shown], i_first > 0 or every,
                                         level[i_shown], base.cost, atols[i_shown], crossed, every,
                                         None if k is None else eps_list[k], _piecewise_quadratic(net64), floor)
        if passed:  # every ε, not the best alone: a ratio a correct gradient cannot give below it, or a floor
            rel_all = np.array(rels[skip:])
            judged = [m > 0 for m in n_big]
            clash = _inconsistent(eps_list, ratios, crossings, roundings, judged, i_first)
            i_floor = i_best  # the best ε of the part that passed: after a clash, of the ε judged afresh
            while clash is not None:  # from the clashing ε on, the sweep judged afresh (``_after_clash``)
                j = clash[1]
                passed, verdict, clash, i_said = _after_clash(eps_list, ratios, crossings, roundings, judged, level,
                                                              base.cost, atols, crossed, net64, rel_all, names, clash)
                i_floor = j + int(np.argmin(ratios[j:]))
            if passed:
                floor = _flat_floor(eps_list, ratios, crossings, roundings, judged, i_floor)
                if floor is not None:
                    passed, verdict = False, _flat_floor_verdict(eps_list, ratios, roundings, floor,
                                                                 _floor_after(eps_list, ratios, rel_all,
                                                                              crossings, floor[0], names))
        if not passed and min(floors) > 1e-3:  # at every ε: one that resolves it says the error is real
            verdict += (f" (but the rounding of a cost of {base.cost:.3g} alone reaches a ratio of "
                        f"{floors[i_best]:.1e} at ε = {eps_list[i_best]:.0e}: no ε resolves this gradient in float64)")
        if every and crossed not in verdict:
            verdict += f" (the steps of every ε cross {crossed})"
        elif k is not None and not every and f"ε ≥ {eps_list[k]:.0e} cross" not in verdict:
            verdict += f" (steps of ε ≥ {eps_list[k]:.0e} cross {crossed}: left out of the order)"
        off = _settled_off(sweep, np.asarray(atols)) if passed else np.zeros(len(sweep.a), dtype=bool)
        # settled off by no more than the rounding of a^(L) can shift them: no verdict on them, not a pass
        fitted_off = (_settled_off(replace(sweep, output=None, own=None), np.asarray(atols)) & ~off if passed
                      else np.zeros(len(sweep.a), dtype=bool))
        if off.any():  # the ratio is a norm: tensors of tiny gradients weigh nothing in it
            passed = False
            wrong = {name: int(np.count_nonzero(off & (labels == name))) for name in dict.fromkeys(labels[off])}
            verdict = _entries_off_verdict(sweep, off, labels, wrong, ratios[i_best], eps_list[i_best],
                                           np.asarray(atols))
        status = "pass" if passed else "fail"
        if not passed and not off.any() and not _plateau(sweep, np.asarray(atols)).any():  # a level the numeric side never shows
            status, verdict = "inconclusive", _cannot_judge(sweep, ratios[i_said], i_said, atols[i_said], crossed)
        if status == "fail" and not off.any():
            diagnosis = _sweep_pattern(sweep, atols, base.n, base.cost, net64,
                                       np.concatenate([_l2_term(base, l, k)[f] for l, k, _, f in chosen]))
    unresolved: dict[str, int] = {}
    if passed and fitted_off.any():
        passed, status = False, "inconclusive"
        unresolved = {str(name): int(np.count_nonzero(fitted_off & (labels == name)))
                      for name in dict.fromkeys(labels[fitted_off])}
        verdict = _fitted_off_verdict(fitted_off, labels, names, unresolved, base.output_scale, ratios[i_best],
                                      eps_list[i_best])
    if passed:  # the others' agreement says nothing of entries no ε could judge: as the plain check, inconclusive
        blurred = _never_resolved(sweep, np.asarray(atols))
        if blurred.any():
            passed, status = False, "inconclusive"
            unresolved = {str(name): int(np.count_nonzero(blurred & (labels == name)))
                          for name in dict.fromkeys(labels[blurred])}
            verdict = _never_resolved_verdict(blurred, labels, names, unresolved, base.cost, any(n_big),
                                              ratios[i_best], eps_list[i_best])
    if left_out:  # the whole sweep again, the ε left out first
        verdict += (f" (ε = {', '.join(f'{e:.0e}' for e in left_out)} left out: the cost is not finite next "
                    "to θ there, the forward pass overflows)")
        (eps_list, ratios, crossings), i_best = whole, i_best + skip
    if left_out:
        atols = [auto_atol(base.cost, e, base.output_scale) if atol_auto else float(atol) for e in eps_list]
    settings = {"eps_values": eps_list, "mode": mode, "params": params_used,
                "atol": "auto" if atol_auto else float(atol), "atol_values": atols,
                "n_examples": int(X.shape[0]), "seed": seed, "dtype": "float64", "cast_from": cast_from,
                "l2": net64.l2}
    return ConvergenceReport(tuple(eps_list), tuple(max_rel), tuple(med_rel), tuple(ratios),
                             tuple(crossings), order, eps_list[i_best], ratios[i_best], passed, status,
                             verdict, settings, checked, net64.L, warnings, wrong, n_judged, unresolved, diagnosis)


def _sweep_pattern(sw: _Sweep, atols: Sequence[float], n_examples: int, cost: float, net: Network,
                   penalty: Array | None = None) -> tuple[str, ...]:
    """The plain check's words for one analytic/numeric ratio shared by every checked entry (×½, a sign flip,
    ×n, …: ``_name_ratio``), read at the ε nearest the plain check's own (1e-5) whose quotients show one (steps
    that cross a kink or were grown left out); () where none does. The sweep said the gradient is wrong, not how.
    ``penalty``: each entry's L2 term (``_l2_term``: λw for a weight, 0 for a bias): where the values show no ratio,
    one of (analytic − λw)/(numeric − λw), as a slip in δ or ∂C/∂a gives it (``_ratio_reading``)."""
    order = sorted(range(len(sw.eps)), key=lambda k: abs(math.log10(sw.eps[k] / DEFAULT_EPS)))
    for k in order:
        usable = np.isfinite(sw.N[k]) & ~sw.crossed[k] & ~sw.grown[k]
        if not usable.any():
            continue
        found = _constant_ratio_of(sw.a[usable], sw.N[k][usable], float(atols[k]), n_examples, cost, float(sw.eps[k]))
        p = None if penalty is None else penalty[usable]
        aside = found is None and p is not None and bool(p.any())
        if aside:
            found = _constant_ratio_of(sw.a[usable] - p, sw.N[k][usable] - p, float(atols[k]), n_examples, cost,
                                       float(sw.eps[k]))
        if found is not None:
            fit, spread, m = found
            # near 0 is not below atol, what the verdict's count of entries leaves out: said, with its ε
            near = f"; near 0: |n| under atol or under 1e-3 of the largest |n|, at ε = {sw.eps[k]:.0e}"
            return (_name_ratio(fit, n_examples, net.cost_name, m, int(usable.sum()), outputs=net.sizes[-1],
                                spread=spread, near_note=near, l2="aside" if aside else "",
                                l2_note=" (λw: each weight's L2 term, 0 for the biases)",
                                out=net.activations[-1].name),)
    return ()


def _piecewise_quadratic(net: Network) -> bool:
    """Is the cost (piecewise) quadratic in each parameter: linear or ReLU-like units only, and a squared
    error (the L2 penalty is quadratic too)? Then central differences are exact, bar rounding."""
    return (all(a.name in ("linear", "relu", "leaky_relu") for a in net.activations)
            and net.cost_fn.name in ("squared_error", "half_squared_error"))


def _what_steps_cross(net: Network) -> str:
    """What a step across z = 0 crosses in ``net``'s hidden and output units, for the sweep's words."""
    kinks = f"{_kinked(net, ' and ')} kinks"
    if any(a.bend for a in net.activations):
        return f"{kinks} or ELU's bend at z = 0" if any(a.kink for a in net.activations) else "ELU's bend at z = 0"
    return kinks


def _kinked(net: Network, joined: str = " or ") -> str:
    """The network's activations with a kink at z = 0 as the messages name them: ReLU, leaky ReLU
    (ReLU's where none has one: the generic word)."""
    kinked = sorted({a.name.replace("relu", "ReLU").replace("_", " ") for a in net.activations if a.kink})
    return joined.join(kinked) or "ReLU"


def _order(eps: list[float], ratios: list[float], crossings: list[int], level: list[float] | None = None
           ) -> tuple[float | None, int, int]:
    """(order, index of the best ε, index of the first kink-free ε).

    Steps that flip a ReLU unit (or move an ELU one across its bend) converge only to first order, so only the kink-free ε
    down to the best one are used. Of those, the ones whose ratio is ≥ 10× the best and above
    rounding level (``level``, 1e-7 unless a huge cost raises it) are truncation-dominated; the order is the median local slope of log ratio vs log ε
    from the first of them to the ε after the last of them. With none, the median slope
    over all kink-free ε down to the best (≈ 0 for a flat, wrong curve), or None when
    the best ε is the first kink-free one or every kink-free ε is already at rounding
    level (≤ 1e-7: e.g. spirals, whose steps ≥ 1e-3 cross kinks and whose ratio at 1e-4
    is 1.8e-10; the slope between two rounding-level ratios measures only noise).
    """
    r = np.maximum(np.asarray(ratios), 1e-300)
    le = np.log10(np.asarray(eps))
    best = int(np.argmin(r))
    first = best
    while first > 0 and crossings[first - 1] == 0:
        first -= 1
    lvl = level if level else [_ROUNDING_LEVEL] * len(r)
    # a ratio already at rounding level is not truncation-dominated, however far above the best
    # (1e-9 over 1e-11 measured a slope of noise, -0.2: "the gradient is wrong")
    trunc = [i for i in range(first, best) if r[i] >= 10 * r[best] and r[i] > lvl[i]]
    stop = trunc[-1] + 1 if trunc else best
    if stop - first < 1 or (not trunc and r[first] <= lvl[first]):
        return None, best, first  # no truncation-dominated ε: at rounding level from the first
    slopes = np.diff(np.log10(r[first : stop + 1])) / np.diff(le[first : stop + 1])
    return float(np.median(slopes)), best, first


@dataclass
class _Sweep:
    """The sweep's per-entry figures, (ε, m) with the largest ε first: the quotients ``N``, their
    costs' rounding ``noise`` (``_noise``), whether the step crossed a ReLU kink (``crossed``) or had to
    be grown to move θ at all (``grown``, ``_enlarged``), how far the forward pass's rounding of its terms
    can shift them (``terms``, ``_term_noise``), how far its rounding of a^(L) can shift them and backprop's own
    value (``output``, ``_Base.fitted_noise``, uncapped); (m,): the analytic values ``a``, the
    parameters ``theta``; ``eps`` (ε,); ``term_sum``: the largest sum of terms Σ_k |w_jk a_k| + |b_j|
    the checked entries' moves recompute (``_Base.term_rounding``)."""

    eps: Array
    a: Array
    theta: Array
    N: Array
    noise: Array
    crossed: NDArray[np.bool_]
    grown: NDArray[np.bool_]
    terms: Array | None = None  # None: 0 throughout
    term_sum: float = 0.0
    output: Array | None = None  # (ε, m): the forward pass's rounding of a^(L) in each quotient (``_Base.fitted_noise``)
    output_scale: float = 0.0  # ``_Base.output_scale``
    own: Array | None = None  # (m,): ``ANALYTIC_ULPS`` · backprop's own rounding of ``a`` (``_Base.analytic_rounding``)


def _plateau(sw: _Sweep, atol: float | Array) -> NDArray[np.bool_]:
    """Per entry: do the sweep's own quotients show its analytic value wrong? Yes where, at three
    neighbouring ε whose steps neither cross a kink nor were grown, the quotients settle (the
    second move at most half the first, give or take their rounding: they converge, to within about
    that second move) and ``a`` lies further from the last of them than twice the first move plus
    the rounding, and than ``atol`` and twice the forward pass's rounding of its terms (``terms``: that
    rounding is deterministic, quotients can settle on it) and of a^(L) (``output``: a network fitted to its
    targets, outputs of 7e6, rounds each quotient, and backprop's own δ^(L), by ~u·|a|·|∂a/∂θ| at every ε, a
    level the quotients settle on): they settled, and not on ``a``. Quotients that
    keep moving as ε shrinks (a cost that changes by the same amount at every ε: ∝ 1/ε) settle
    nothing, nor does a cost that does not move (quotients of 0) where its rounding could hide a
    change as large as ``a``'s. Judged by the numeric values alone, as ``_resolve`` chooses a step."""
    N, noise = sw.N, sw.noise
    terms = np.zeros_like(N) if sw.terms is None else sw.terms
    out = np.zeros_like(N) if sw.output is None else sw.output
    own = np.zeros(N.shape[1]) if sw.own is None else sw.own
    atols = np.broadcast_to(np.asarray(atol, dtype=np.float64), (N.shape[0],))  # one per ε
    shown = np.zeros(N.shape[1], dtype=bool)
    with np.errstate(invalid="ignore", over="ignore"):
        usable = np.isfinite(N) & ~sw.crossed & ~sw.grown
        for k in range(N.shape[0] - 2):
            d0, d1 = np.abs(N[k] - N[k + 1]), np.abs(N[k + 1] - N[k + 2])
            r = noise[k + 1] + noise[k + 2]
            miss = np.abs(sw.a - N[k + 2])
            shown |= (usable[k] & usable[k + 1] & usable[k + 2] & (d1 <= 0.5 * d0 + r)
                      & (miss > 2.0 * (d0 + r)) & (miss > atols[k + 2]) & (miss > 2.0 * terms[k + 2])
                      & (miss > 2.0 * out[k + 2] + own))
    return shown


_NEVER_NEAR = 1e-4  # relative: an entry this far from its quotient at every ε never agrees with it (``_settled_off``)


def _settled_off(sw: _Sweep, atol: Array) -> NDArray[np.bool_]:
    """Per entry: shown wrong by the sweep's own quotients, whatever the global ratio says? Where
    they settle away from ``a`` (``_plateau``) and ``a`` comes within ``_NEVER_NEAR`` (relative),
    atol and twice the costs' rounding of none of its usable quotients at an ε whose atol and
    rounding are at most half the value (an ε that resolves it): a correct entry
    meets its quotient somewhere between truncation and rounding (a saturating σ's false plateau of
    large steps near 0 does not keep it from meeting the small steps' quotients)."""
    N = sw.N
    with np.errstate(invalid="ignore", over="ignore"):
        usable = np.isfinite(N) & ~sw.crossed & ~sw.grown
        size = np.maximum(np.abs(sw.a), np.abs(N))
        blur = atol[:, None] + 2.0 * sw.noise  # what the ε cannot tell apart: only an ε that resolves half
        resolves = blur <= 0.5 * size  # of the value can show the two meet (at 1e-8 everything is "near")
        near = np.abs(sw.a - N) <= blur + _NEVER_NEAR * size
        settled = _plateau(sw, atol) | _plateau_before_unmoved(sw, atol, usable & resolves)
        return settled & ~np.any(usable & resolves & near, axis=0) & np.isfinite(sw.a)


def _plateau_before_unmoved(sw: _Sweep, atol: Array, resolves: NDArray[np.bool_]) -> NDArray[np.bool_]:
    """Per entry: quotients that settle away from ``a`` at two neighbouring ε that resolve them
    (``resolves``, (ε, m)), where every smaller ε says nothing, at least one of them because the cost
    does not move at all there (a quotient of exactly 0, its rounding above atol and ``AUTO_ATOL_CAP``:
    a cost of 1e12, whose ulp is 1.2e-4), the others because their rounding swamps the value. ``_plateau``
    needs a third ε to see them converge; here no smaller ε can show one, and an analytic 0 matched
    those 0s (a backward that left ∂C/∂b^(L) at 0 passed the sweep). Settled: the second move at most
    half the value, and ``a`` further from it than twice that move plus the two ε's rounding."""
    N, noise = sw.N, sw.noise
    terms = np.zeros_like(N) if sw.terms is None else sw.terms
    out = np.zeros_like(N) if sw.output is None else sw.output
    own = np.zeros(N.shape[1]) if sw.own is None else sw.own
    atols = np.broadcast_to(np.asarray(atol, dtype=np.float64), (N.shape[0],))
    shown = np.zeros(N.shape[1], dtype=bool)
    with np.errstate(invalid="ignore", over="ignore"):
        unmoved = (N == 0) & (noise > np.maximum(atols, AUTO_ATOL_CAP)[:, None]) & ~sw.crossed & ~sw.grown
        silent = unmoved | ~resolves
        for k in range(N.shape[0] - 2):
            d = np.abs(N[k] - N[k + 1])
            miss = np.abs(sw.a - N[k + 1])
            shown |= (resolves[k] & resolves[k + 1] & np.all(silent[k + 2:], axis=0) & np.any(unmoved[k + 2:], axis=0)
                      & (d <= 0.5 * np.abs(N[k + 1])) & (miss > 2.0 * (d + noise[k] + noise[k + 1]))
                      & (miss > atols[k + 1]) & (miss > 2.0 * terms[k + 1]) & (miss > 2.0 * out[k + 1] + own))
    return shown


def _entries_off_verdict(sw: _Sweep, off: NDArray[np.bool_], labels: NDArray[np.str_], wrong: dict[str, int],
                         best: float, best_eps: float, atol: Array) -> str:
    """The sweep's FAIL where its global ratio looked correct but entries settle off (``_settled_off``):
    which, how far off at the ε that resolve them, and why the ratio did not show it."""
    k = int(np.count_nonzero(off))
    totals = {name: int(np.count_nonzero(labels == name)) for name in wrong}
    where = ", ".join(f"{name} ({c} of {totals[name]})" for name, c in wrong.items())
    a, N = sw.a[off], sw.N[:, off]
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        size = np.maximum(np.abs(a), np.abs(N))
        resolves = (np.isfinite(N) & ~sw.crossed[:, off] & ~sw.grown[:, off]
                    & (atol[:, None] + 2.0 * sw.noise[:, off] <= 0.5 * size))
        rel = np.where(resolves, np.abs(a - N) / size, np.nan)
    shown = rel[np.isfinite(rel)]
    lo, hi = (f"{f(shown):.2g}" for f in (np.min, np.max)) if shown.size else ("large", "large")
    span = lo if lo == hi else f"{lo} to {hi}"
    big = float(np.max(np.where(resolves, size, 0.0), initial=0.0))
    they = "it" if k == 1 else "they"
    return (f"{plural(k, 'entry', 'entries')} of {where} {'is' if k == 1 else 'are'} wrong: the numeric values settle "
            f"as ε shrinks and stay off the analytic ones (relative error {span} at every ε that resolves "
            f"{'it' if k == 1 else 'them'}), though the global ratio falls to {best:.3e} at ε = {best_eps:.0e}: "
            f"{they} {'is' if k == 1 else 'are'} too small (up to {big:.1e}) to move a ratio over a gradient of "
            f"norm {norm(sw.a):.1e}")


# an ε judges an entry whose quotient the costs' rounding blurs by less than this, relative: where the ratio's
# rounding reaches it, "no ε resolves the gradient in float64" (the sweep's verdict) too
RESOLVE_REL = 1e-3


def _never_resolved(sw: _Sweep, atol: Array) -> NDArray[np.bool_]:
    """Per entry: can no ε of the sweep judge it? At every ε its quotient is not finite, or the costs'
    rounding there (``noise``, ~u·|C|/ε) exceeds both atol (and ``AUTO_ATOL_CAP``) and ``RESOLVE_REL`` of its
    value: no ε resolves it in float64, so an analytic value matching the quotient (a 0 matching a cost that did
    not move) is no evidence. A cost of 1e12 (a 2-1 linear net, x = (1, 1e-6),
    y = 1e6: ∂C/∂w_01 = −2, blurred by ~2e-2 at ε = 1e-1) or a softmax net of weights ~1e3 passed the sweep
    on its other entries, where the plain check marks these unresolved (exit 3)."""
    N = sw.N
    atols = np.maximum(np.asarray(atol, dtype=np.float64), AUTO_ATOL_CAP)[:, None]
    # a quotient of exactly 0 (the two costs rounded to one double) bounds the slope by their spacing,
    # ~u·|C|/ε, as the plain check's step ladder reads it, not by 16 ulps of C: a dead ReLU unit's 0 on a
    # cost of 7e5 is bounded to 2e-9 < atol at ε = 0.1, and the plain check passed what the sweep could not judge
    noise = np.where(N == 0, sw.noise * (2.0 / NOISE_ULPS), sw.noise)
    with np.errstate(invalid="ignore", over="ignore"):
        size = np.maximum(np.abs(sw.a), np.abs(N))
        judged = np.isfinite(N) & (noise <= atols + RESOLVE_REL * size)
    return ~judged.any(axis=0) & np.isfinite(sw.a)


def _entries_named(mask: NDArray[np.bool_], labels: NDArray[np.str_], names: Sequence[str],
                   unresolved: dict[str, int]) -> str:
    """The entries of ``mask`` as a verdict names them: each (``w^(1)[0,1] and b^(2)[0]``) up to
    ``FLOOR_NAMED``, else counted by tensor (``w^(1) (3 of 6)``)."""
    k = int(np.count_nonzero(mask))
    if k <= FLOOR_NAMED:
        listed = [names[i] for i in np.flatnonzero(mask)]
        return listed[0] if k == 1 else f"{', '.join(listed[:-1])} and {listed[-1]}"
    return ", ".join(f"{name} ({c} of {int(np.count_nonzero(labels == name))})" for name, c in unresolved.items())


def _never_resolved_verdict(blurred: NDArray[np.bool_], labels: NDArray[np.str_], names: Sequence[str],
                            unresolved: dict[str, int], cost: float, judged: bool, best: float,
                            best_eps: float) -> str:
    """The sweep's CANNOT JUDGE where entries no ε resolves (``_never_resolved``) sit beside agreeing ones:
    which (named up to ``FLOOR_NAMED``, else counted by tensor), why, and what the others showed."""
    k, total = int(np.count_nonzero(blurred)), len(blurred)
    where = _entries_named(blurred, labels, names, unresolved)
    others = total - k
    rest = ("" if not others else
            f"; the other {plural(others, 'entry', 'entries')} " + (f"agree{'s' if others == 1 else ''} (global "
                                                                   f"ratio {best:.3e} at ε = {best_eps:.0e})" if judged
                                                                   else f"{'stays' if others == 1 else 'stay'} below atol"))
    return (f"{plural(k, 'checked entry', 'checked entries')} of {total:,} ({where}) cannot be judged at any ε: "
            f"the rounding of a cost of {cost:.3g} (~u·|C|/ε) blurs {'its quotient' if k == 1 else 'their quotients'} "
            f"by more than {RESOLVE_REL:.0e} of {'its' if k == 1 else 'their'} value (and atol) at every ε, so no ε "
            f"resolves {'it' if k == 1 else 'them'} in float64{rest}; this sweep cannot say the gradient is correct "
            f"(or wrong). Try {_SCALE_FIX}")


def _fitted_off_verdict(off: NDArray[np.bool_], labels: NDArray[np.str_], names: Sequence[str],
                        unresolved: dict[str, int], outputs: float, best: float, best_eps: float) -> str:
    """The sweep's CANNOT JUDGE where entries settle off their analytic values (``_settled_off``) by no more
    than the forward pass's rounding of a^(L) can shift them and backprop's own value (``_Sweep.output``): a
    network fitted to its targets, where that rounding is no evidence either way. Which, why, and the rest."""
    k, total = int(np.count_nonzero(off)), len(off)
    where = _entries_named(off, labels, names, unresolved)
    one = k == 1
    rest = ("" if k == total else f"; the other {plural(total - k, 'entry', 'entries')} "
            f"agree{'s' if total - k == 1 else ''} (global ratio {best:.3e} at ε = {best_eps:.0e})")
    return (f"{plural(k, 'checked entry', 'checked entries')} of {total:,} ({where}) cannot be judged: "
            f"{'its quotients settle' if one else 'their quotients settle'} off the analytic "
            f"{'value' if one else 'values'} by no more than the forward pass's rounding of a^(L) can shift them "
            f"and backprop's own δ^(L) (a^(L), at an output scale of {outputs:.2g} (|a| and the terms of z^(L)), rounded to ~u times that, which moves both by "
            f"~u·|a|·|∂a/∂θ| whatever the ε), as much as {'it misses' if one else 'they miss'} (against a − y near 0, "
            f"or terms of z^(L) far larger than the outputs), so float64 cannot resolve {'it' if one else 'them'}{rest}; this sweep cannot say the gradient is correct (or "
            f"wrong). Try {_SCALE_FIX}")


_TRY = ("the check without --convergence, which judges each entry at the step that suits it (one-sided at a "
        "kink) and marks what no step can judge")


def _cannot_judge(sw: _Sweep, best: float, i_best: int, atol: float, crossed: str) -> str:
    """The sweep's verdict where its error levels off but ``_plateau`` finds no entry whose
    quotients settle away from its analytic value: why the quotients cannot judge the entries that
    disagree at the best ε, each counted once, under the first reason that holds for it, and what
    to try instead."""
    a, N = sw.a, sw.N
    with np.errstate(invalid="ignore", over="ignore", divide="ignore"):
        n = N[i_best]
        off = ~(np.abs(a - n) <= atol + 1e-5 * np.maximum(np.abs(a), np.abs(n)))
        if not off.any():  # a small error (a stall below 1e-5): every entry of at least atol
            off = ~(np.maximum(np.abs(a), np.abs(n)) < atol)
        ok = np.isfinite(N) & ~sw.crossed & ~sw.grown
        moves = ok & (N != 0)
        change = np.abs(N) * sw.eps[:, None]  # ∝ the cost's change at each ε
        lo = np.min(np.where(moves, change, np.inf), axis=0)
        hi = np.max(np.where(moves, change, 0.0), axis=0)
        grown = sw.grown.any(axis=0)
        out = np.zeros_like(N) if sw.output is None else sw.output
        own = np.zeros(len(a)) if sw.own is None else sw.own
        big = np.max(np.abs(np.where(grown, sw.theta, 0.0)))
        words = {**_SWEEP_WORDS, "their": "their", "them": "them", "big": big, "terms": sw.term_sum,
                 "outputs": sw.output_scale}
        reasons = (  # in the plain check's words where they are the same reasons (``_WHY_STEPS``)
            (grown, _WHY_STEPS["grown"].format(**words)),
            (sw.crossed.all(axis=0), f"cross {crossed} at every ε (a unit at z = 0)"),
            (np.zeros(len(a), dtype=bool) if sw.terms is None else
             (sw.terms > 0).any(axis=0) & np.all(~ok | (sw.terms >= 0.5 * np.abs(a - N)), axis=0),
             _WHY_STEPS["terms"].format(**words)),
            # from the best ε down: larger ε carry truncation beside it
            ((out > 0).any(axis=0) & np.all((~ok | (out >= 0.5 * np.abs(a - N)))[i_best:], axis=0),
             _WHY_STEPS["fitted"].format(**words)),
            (np.all(~ok | (sw.noise >= 0.5 * np.abs(a - N)), axis=0), _WHY_STEPS["flat"].format(**words)),
            ((moves.sum(axis=0) >= 3) & (hi <= 3.0 * lo), _WHY_STEPS["near-step"].format(**words)),
            # backprop's own rounding (``_Base.analytic_rounding``), after the reasons above: weights of 1e155
            # make it huge, but their quotients ∝ 1/ε say more
            ((own > 0) & np.all((~ok | (out + 0.5 * own >= 0.5 * np.abs(a - N)))[i_best:], axis=0),
             _WHY_STEPS["fitted"].format(**words)),
            (np.ones(len(a), dtype=bool), "give quotients that keep moving as ε shrinks"),
        )
    left, parts, kinks_only = off.copy(), [], True
    for k, (holds, why) in enumerate(reasons):
        count = int(np.count_nonzero(left & holds))
        if count:
            parts.append(f"the steps of {plural(count, 'entry', 'entries')} {why}")
            kinks_only &= k == 1
        left &= ~holds
    fix = ("units off z = 0 (nonzero biases), or " if kinks_only and parts else f"{_SCALE_FIX}, or ")
    return (f"the error levels off at {best:.3e}, but the numeric gradient never settles on a value the analytic "
            f"one misses, so this sweep cannot say it is wrong (or right): {'; '.join(parts)}. Try {fix}{_TRY}")


#: Why a sweep has no order, said once: by a failing verdict (``_sweep_verdict``) or by the panel's order line
NO_SLOPE = "so no slope leads to it"
_ROUNDING_LEVEL = 1e-7  # a global ratio this small is as good as central differences get ("excellent")


FLOOR_RUN = 3  # ε from the best one down whose ratios stay within ``FLOOR_SPREAD`` of it: a floor (``_floor_after``)
FLOOR_SPREAD = 2.0


FLOOR_NAMED = 3  # at most this many entries off at a floor are named, each with its error (``_floor_entries``)


def _floor_after(eps: list[float], ratios: list[float], rel: Array, crossings: list[int], i_best: int,
                 names: Sequence[str], upward: bool = False) -> tuple[float, float, float, str] | None:
    """Where the ratio stays within ``FLOOR_SPREAD`` of the smallest one from ``i_best`` down over ``FLOOR_RUN``
    or more kink-free ε, a floor: (the largest ratio of that run, its last ε, how far off the worst entry
    is, relative, and which entries are off: ``_floor_entries``); else None. ``rel`` (ε, m): each entry's
    relative error where judged, NaN where not; ``names`` its m entries' (``w^(1)[0,0]``). An entry's error
    at the floor is its smallest over the run, what no ε goes below (truncation and rounding only add to
    it). A gradient off by 5e-4 floors at ~2.5e-4 from ε = 1e-2 to 1e-8, where a first-order error (steps
    across a kink) keeps falling down to rounding and then rises as 1/ε. The size said is the worst entry's,
    not a median: one entry × 0.995 among 13 is off by 5e-3, where the median error is ~1e-7. ``upward``: the run
    may take the ε above ``i_best`` too (the largest ratio and the entries' errors then over all of it), for a
    best ε with fewer than ``FLOOR_RUN`` below it: w^(1)[0,0] × 1.01 on a 2-3-1 σ net levels off at 2.038e-4
    from ε = 1e-2 to 1e-8, smallest (by its last digits) at 1e-8, with no ε below."""
    best = ratios[i_best]
    if not (math.isfinite(best) and best > 0):
        return None

    def near(i: int) -> bool:
        return crossings[i] == 0 and math.isfinite(ratios[i]) and ratios[i] <= FLOOR_SPREAD * best

    first = run = i_best
    while run + 1 < len(ratios) and near(run + 1):
        run += 1
    while upward and first > 0 and near(first - 1):
        first -= 1
    if run - first + 1 < FLOOR_RUN:
        return None
    window = rel[first:run + 1]
    with np.errstate(invalid="ignore"):
        judged = np.isfinite(window).any(axis=0)
        low = np.where(judged, np.nanmin(np.where(np.isnan(window), np.inf, window), axis=0), 0.0)
    size = float(low.max(initial=0.0))
    return max(ratios[first:run + 1]), eps[run], size, _floor_entries(low, judged, names, size)


#: At an ε below the first one where a sweep's ratio is at rounding level, what rounding may reach there: the
#: costs' own (16 ulps of C per entry, already 30× what a correct XOR sweep shows at ε = 1e-8) times this, or
#: ``_ROUNDING_LEVEL``, whichever is larger (``_inconsistent``, ``_flat_floor``)
ROUNDING_SLACK = 4.0
TRUNCATION_SLOPE = 1.5  # the least slope a correct gradient's truncation falls at, as ``_sweep_verdict`` reads an order


def _allowed_rounding(rounding: float) -> float:
    return max(_ROUNDING_LEVEL, ROUNDING_SLACK * rounding)


def _inconsistent(eps: list[float], ratios: list[float], crossings: list[int], rounding: list[float],
                  judged: list[bool], start: int) -> tuple[int, int, float] | None:
    """A ratio no correct gradient gives, below the ε where it first reached rounding level: (that ε's index,
    the clashing ε's index, what a correct gradient may reach there), or None.

    From ``start`` on, over the ε whose steps cross no kink and that judge an entry (``judged``): the first
    ε whose ratio is at most ``_allowed_rounding`` of its rounding (``rounding``: the costs' and the forward
    pass's, as a ratio) is at rounding level; every smaller such ε must then stay at or below its own
    rounding allowance plus the truncation the larger ε leave it (each larger ε's ratio × (ε/ε_i)^1.5: a
    truncation falls as ε², read as at least ε^``TRUNCATION_SLOPE``, and no correct error grows from truncation
    as ε shrinks). A central difference
    at a fixed step H taken as the gradient matches the quotients of ε = H to rounding level (8.9e-17 at
    ε = 1e-1 for H = 0.1 on XOR) and is off by O(H²) at every other ε (1.06e-3 from ε = 1e-2 to 1e-8): the
    best ratio alone passed it."""
    usable = [crossings[i] == 0 and judged[i] and math.isfinite(ratios[i]) for i in range(len(eps))]
    i0 = next((i for i in range(start, len(eps)) if usable[i] and ratios[i] <= _allowed_rounding(rounding[i])), None)
    if i0 is None:
        return None
    for j in range(i0 + 1, len(eps)):
        if not usable[j]:
            continue
        truncation = max(ratios[i] * (eps[j] / eps[i]) ** TRUNCATION_SLOPE for i in range(start, j) if usable[i])
        allowed = _allowed_rounding(rounding[j]) + truncation
        if ratios[j] > allowed:
            return i0, j, allowed
    return None


def _after_clash(eps: list[float], ratios: list[float], crossings: list[int], rounding: list[float],
                 judged: list[bool], level: list[float], cost: float, atols: list[float], crossed: str,
                 net: Network, rel: Array, names: Sequence[str], clash: tuple[int, int, float]
                 ) -> tuple[bool, str, tuple[int, int, float] | None, int]:
    """The sweep's verdict where ``_inconsistent`` found a clash (i0, j, allowed): the ε from j on judged
    afresh. Where they pass on their own (and stay consistent), the gradient is correct and the ratio at i0
    lay below the truncation line of the smaller ε (the truncation's terms cancelling there); where they show a floor,
    the gradient is wrong by it; else not correct, the sweep's later look deciding wrong or cannot judge.
    Returns (passed, verdict, a further clash or None, the index of the ε the verdict speaks of)."""
    i0, j, allowed = clash
    head = (f"the error falls to {ratios[i0]:.3e} at ε = {eps[i0]:.0e} but is {ratios[j]:.3e} at ε = {eps[j]:.0e}, "
            f"where a correct gradient's error is at most {allowed:.1e} (the rounding level there, plus the truncation "
            f"the larger ε leave, falling at least as ε^{TRUNCATION_SLOPE:g})")
    if len(eps) - j >= 2:
        order, i_best, i_first = _order(eps[j:], ratios[j:], crossings[j:], level[j:])
        k = j + (i_first if order is None else i_best)
        passed, verdict = _sweep_verdict(order, ratios[k], eps[k], i_first > 0, level[k], cost, atols[k], crossed,
                                         quadratic=_piecewise_quadratic(net))
        if passed:
            again = _inconsistent(eps, ratios, crossings, rounding, judged, j)
            return True, (f"{verdict} (from ε = {eps[j]:.0e} on; at ε = {eps[i0]:.0e} the error, {ratios[i0]:.3e}, "
                          "lies below that truncation line: the truncation's terms cancel there)"), again, k
        floor = _floor_after(eps, ratios, rel, crossings, j, names)
        if floor is not None:
            hi, last, size, where = floor
            stays = (f"stays at {ratios[j]:.3e}" if f"{ratios[j]:.3e}" == f"{hi:.3e}" else
                     f"stays between {min(ratios[j:eps.index(last) + 1]):.3e} and {hi:.3e}")
            return False, (f"{head}, and it {stays} down to ε = {last:.0e}, a floor no ε goes below: the analytic "
                           f"gradient is wrong, off by about {size:.0e} relative{' ' + where if where else ''}, and "
                           f"no choice of ε will fix it. It matches the numeric gradient at ε = {eps[i0]:.0e} alone, "
                           "as a finite difference taken at that one step does"), None, j
    return False, (f"{head}: a correct gradient's error never rises above that below an ε where it was at rounding "
                   "level, so this gradient is not correct"), None, j


def _flat_floor(eps: list[float], ratios: list[float], crossings: list[int], rounding: list[float],
                judged: list[bool], i_best: int) -> tuple[int, int] | None:
    """A passing sweep's smallest ratio as a floor: (first, last) index of the ``FLOOR_RUN`` or more
    neighbouring kink-free ε around ``i_best`` whose ratios stay within ``FLOOR_SPREAD`` of it, where it is
    above ``_ROUNDING_LEVEL`` and above the rounding allowance of the first of them (``_allowed_rounding``);
    else None. A correct gradient's error falls as ε² where truncation leads and rises as 1/ε where rounding
    does: it is never flat over two decades. One entry's ∂C/∂w off by 1e-7 (2.5e-5 relative) on XOR holds
    a ratio of 5.2e-7 from ε = 1e-3 to 1e-8, its smallest at 1e-8, under the rounding level there (9.1e-7):
    the sweep called it 'the rounding level of a cost of 0.275' where at ε = 1e-3 that rounding is 1e-11."""
    best = ratios[i_best]
    if not best > _ROUNDING_LEVEL:
        return None

    def near(i: int) -> bool:
        return crossings[i] == 0 and judged[i] and math.isfinite(ratios[i]) and ratios[i] <= FLOOR_SPREAD * best

    lo = hi = i_best
    while lo > 0 and near(lo - 1):
        lo -= 1
    while hi + 1 < len(eps) and near(hi + 1):
        hi += 1
    if hi - lo + 1 < FLOOR_RUN or best <= _allowed_rounding(rounding[lo]):
        return None
    return lo, hi


def _flat_floor_verdict(eps: list[float], ratios: list[float], rounding: list[float], run: tuple[int, int],
                        floor: tuple[float, float, float, str] | None) -> str:
    """A ``_flat_floor``'s FAIL: where the ratio stays, what rounding allows where it starts, how far off."""
    lo, hi = run
    low, top = min(ratios[lo:hi + 1]), max(ratios[lo:hi + 1])
    stays = f"stays at {low:.3e}" if f"{low:.3e}" == f"{top:.3e}" else f"stays between {low:.3e} and {top:.3e}"
    off = "" if floor is None else f", off by about {floor[2]:.0e} relative{' ' + floor[3] if floor[3] else ''}"
    return (f"the error stops falling at about {low:.1e}: the global ratio {stays} from ε = {eps[lo]:.0e} to "
            f"{eps[hi]:.0e}, a floor, not rounding: rounding reaches {_allowed_rounding(rounding[lo]):.1e} at "
            f"ε = {eps[lo]:.0e} and grows as 1/ε, truncation falls as ε², and a correct gradient's error is never "
            f"flat over {hi - lo + 1} ε: the analytic gradient is wrong{off}, and no choice of ε will fix it")


def _floor_entries(low: Array, judged: NDArray[np.bool_], names: Sequence[str], size: float) -> str:
    """Which entries a floor's error is in, after "off by about 5e-03 relative": ``at w^(1)[0,0] (the other
    12 checked entries agree to within 1e-07)``, ``at w^(1)[0,0] (5.0e-03) and w^(2)[0,1] (1.0e-03) (…)`` (each
    one's error where they differ), ``in all 13 checked entries`` or ``in 9 of 13 checked entries, the worst
    w^(1)[0,0]``; entries off by at least a tenth of the worst one's ``size`` count, "" where none is judged.
    Where some checked entries are below atol at every ε (none judges them), the count is of those that
    reach it, and says so: ``in all 30 entries that reach atol (of 33 checked)`` (it read ``in all 30 checked
    entries`` beside a diagnosis ``on all 28 entries not near 0 (of 33 checked)``)."""
    total = int(np.count_nonzero(judged))
    if not total or size <= 0:
        return ""
    off = np.flatnonzero(judged & (low >= 0.1 * size))  # in the tensors' order, w^(1) first
    k = len(off)
    below = len(low) - total  # checked, but below atol at every ε of the floor
    of = f" (of {len(low):,} checked)" if below else ""
    if k == total:
        if below:
            return (f"in the one entry that reaches atol{of}" if k == 1 else
                    f"in both entries that reach atol{of}" if k == 2 else f"in all {k:,} entries that reach atol{of}")
        return "in the one checked entry" if k == 1 else f"in all {k:,} checked entries"
    if k > FLOOR_NAMED:
        which = f"entries that reach atol{of}" if below else "checked entries"
        return f"in {k:,} of {total:,} {which}, the worst {names[off[int(np.argmax(low[off]))]]}"
    alike = len({f"{low[i]:.1e}" for i in off}) == 1  # each one's error only where they differ
    each = [names[i] if alike else f"{names[i]} ({low[i]:.1e})" for i in off]
    rest = float(np.max(np.where(judged, low, 0.0)[np.setdiff1d(np.arange(len(low)), off)], initial=0.0))
    others = (f"the other {plural(total - k, 'entry that reaches atol', 'entries that reach atol')}{of} "
              if below else f"the other {plural(total - k, 'checked entry', 'checked entries')} ")
    others += f"{'agrees' if total - k == 1 else 'agree'} " + (f"to within {rest:.0e}" if rest > 0 else "exactly")
    return f"at {' and '.join(each) if k < 3 else ', '.join(each[:-1]) + ' and ' + each[-1]} ({others})"


def _sweep_verdict(order: float | None, best: float, best_eps: float, kinks: bool,
                   level: float = _ROUNDING_LEVEL, cost: float = 0.0, atol: float = 0.0,
                   crossed: str = "ReLU kinks", every: bool = False,
                   crossing_from: float | None = None, quadratic: bool = False,
                   floor: tuple[float, float, float, str] | None = None) -> tuple[bool, str]:
    """``level``: the ratio below which the error is rounding, 1e-7, or higher where the cost's
    own rounding (16 u·|C|/2ε, ``cost`` C) is: then the verdict says so. A ratio of exactly 0:
    every entry above ``atol`` agrees exactly (or none is above it) at that ε. ``crossing_from``:
    the smallest ε of the leading steps that cross ``crossed``, when known, named instead of
    "larger steps" (which read as leaving out ``best_eps``, itself crossing at times). ``quadratic``: the
    cost is (piecewise) quadratic in each parameter (linear and ReLU units, a squared-error cost), where
    central differences are exact; said only then (a sigmoid net at rounding level at its largest ε is
    not exact: its entries' errors are merely small beside the gradient's norm)."""
    if best == 0.0:
        return True, (f"at ε = {best_eps:.0e} the numeric gradient equals the analytic one exactly on every "
                      f"entry of at least atol = {atol:g} (or no entry is that large): the gradient is correct")
    if best <= level / 100 and order is not None and order < 1.5:
        # a wrong gradient's error is a floor no ε goes below; larger steps outside the ε² regime
        # (inputs of 1e6: a step of 1e-3 moves z by 1000) made the measured slope meaningless
        return True, (f"the error reaches {best:.3e} at ε = {best_eps:.0e}, far below rounding level ({level:.0e}), "
                      f"which no wrong gradient reaches; the larger ε are outside the ε² regime (slope {order:.1f}): "
                      f"the gradient is correct")
    if best <= level and (order is None or order >= 1.5):
        if level > _ROUNDING_LEVEL:
            return True, (f"error ∝ ε^{order:.1f} down to {best:.3e} at ε = {best_eps:.0e}, the rounding level "
                          f"of a cost of {cost:.3g} there (~16·u·|C|/2ε over the gradient: {level:.1e}): the "
                          f"gradient is correct" if order is not None else
                          f"the error is at the rounding level of a cost of {cost:.3g} ({best:.3e} ≤ {level:.1e}) "
                          f"already at ε = {best_eps:.0e}: the gradient is correct")
        if order is not None:
            return True, (f"error ∝ ε^{order:.1f} (central differences: 2) down to {best:.3e} at ε = "
                          f"{best_eps:.0e}, below which rounding takes over: the gradient is correct")
        steps = ("the steps of every ε" if every else "larger steps" if crossing_from is None
                 else f"steps of ε ≥ {crossing_from:.0e}")
        why = (f"{steps} cross {crossed}, so no order "
               "can be measured" if kinks else
               "the cost is (piecewise) quadratic in each parameter, so central differences are exact" if quadratic
               else "no ε has an error large enough to measure an order from")
        return True, (f"the error is at rounding level ({best:.3e}) already at ε = {best_eps:.0e}: "
                      f"{why}; the gradient is correct")
    # how far off and where, as a floor's verdict says it: "off by about 5e-03 relative at w^(1)[0,0] (…)"
    off = "" if floor is None else f", off by about {floor[2]:.0e} relative{' ' + floor[3] if floor[3] else ''}"
    if order is None:  # the smallest ratio at the first ε that can be used: no two ε to take a slope from
        first = "and the larger ε cross kinks" if kinks else "the largest ε of the sweep"
        return False, (f"the error levels off at {best:.3e} instead of falling as ε²: it is smallest already "
                       f"at ε = {best_eps:.0e}, {first}, {NO_SLOPE} (order —): the analytic "
                       f"gradient is wrong{off}, and no choice of ε will fix it")
    if order < 0.5:
        return False, (f"the error levels off at {best:.3e} (slope {order:.1f}) instead of falling as "
                       f"ε²: the analytic gradient is wrong{off}, and no choice of ε will fix it")
    if order < 1.5 and floor is not None:  # a slope from the largest ε alone, where truncation offsets the error
        hi, last, rel, where = floor
        stays = (f"stays at {best:.3e}" if f"{best:.3e}" == f"{hi:.3e}" else
                 f"stays between {best:.3e} and {hi:.3e}")
        return False, (f"the error stops falling at about {best:.1e}: the global ratio {stays} from ε = {best_eps:.0e} "
                       f"to {last:.0e}, a floor no ε goes below: the analytic gradient is wrong, off by about "
                       f"{rel:.0e} relative{' ' + where if where else ''}, and no choice of ε will fix it (the slope "
                       f"of {order:.1f} above ε = {best_eps:.0e} is truncation offsetting that error, not first-order "
                       "convergence)")
    if order < 1.5:
        return False, (f"the error falls only as ε^{order:.1f} (central differences give ε²), to "
                       f"{best:.3e} at ε = {best_eps:.0e}: first order, as when steps cross a kink "
                       f"(ReLU at z = 0) or when the gradient is slightly wrong")
    return False, (f"error ∝ ε^{order:.1f} at large ε but it stalls at {best:.3e} (ε = {best_eps:.0e}): "
                   f"a small error in the gradient; run a full check to find the entries")
