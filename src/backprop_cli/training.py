"""The training loop: mini-batch gradient descent, W ← W − η ∂C/∂W (the seeds' update).

The trainer computes and reports through callbacks; it never prints or writes files.
Each finished epoch yields an ``EpochStats``; the final figures are recomputed on the
final weights.

``train_cost`` of an epoch is the mean over the epoch's examples of the costs C_i measured
during the epoch, each in its batch before that batch's step (free: it comes out of the
forward pass the step needs anyway; Σ C_i / n, so a smaller last batch weighs by its rows).
The summary's final train cost is exact, on the final weights.

Everything the loop depends on (weights, optimizer state, epoch and batch position,
the epoch's shuffled order, the RNG state, early-stopping bookkeeping, history) is in
``Trainer.state_dict()``, so a run interrupted at any batch and resumed from that
state ends with bit-identical weights to an uninterrupted run.
"""

from __future__ import annotations

import json
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np
from numpy.typing import NDArray

from .costs import beyond_unit_message, first_target_beyond_unit
from .data import Dataset, accuracy, epoch_order
from .engine import Engine, prefaulted, reads_plain_input
from .errors import ConfigError, DivergedError, InputError
from .names import shown
from .network import Network, finite_rows
from .optimizers import OPTIMIZERS, SCHEDULES
from .wording import plural


class StateError(ValueError):
    """A trainer state (``Trainer.state_dict()``, e.g. read back from a checkpoint) that cannot be
    restored. ``key`` names the entry; ``problem`` says what is wrong and what was expected."""

    def __init__(self, key: str, problem: str) -> None:
        super().__init__(f"{key!r} {problem}")
        self.key, self.problem = key, problem


class EpochStats(NamedTuple):
    """Figures of one finished epoch (1-based ``epoch``).

    Immutable like the other reports; a NamedTuple rather than a frozen dataclass
    because one is made every epoch and a frozen dataclass costs ~2 µs to build, a
    tenth of a whole XOR epoch.
    """

    epoch: int
    train_cost: float
    train_accuracy: float | None
    test_cost: float | None
    test_accuracy: float | None
    seconds: float  # wall time since training started
    learning_rate: float = math.nan  # η used in this epoch (after the schedule)
    val_cost: float | None = None
    val_accuracy: float | None = None


STAT_FIELDS = EpochStats._fields


@dataclass(frozen=True, repr=False)
class TrainResult:
    """The history and the final figures, computed on the weights the network is left with: the
    last epoch's, or with early stopping the best epoch's (``best_epoch``), put back at the end.
    ``history``: one ``EpochStats`` per epoch, whose ``train_cost`` is the mean of the epoch's
    batches' costs, each before its step (plus the L2 penalty at the epoch's end) and whose
    ``seconds`` count from the start of training (a resumed run's earlier parts included).
    ``epochs``: the epochs trained; ``interrupted``: stopped on request (Ctrl-C) before the last;
    ``val_cost``/``val_accuracy``: on the validation split, when there is one (None otherwise).

    Its repr is short (the figures and ``len(history)``), not every epoch's ``EpochStats``:
    2000 epochs made a 389,223-character repr that flooded a notebook cell."""

    history: tuple[EpochStats, ...]
    train_cost: float
    train_accuracy: float | None
    test_cost: float | None
    test_accuracy: float | None
    epochs: int  # epochs completed
    seconds: float
    interrupted: bool = False  # stopped on request (Ctrl-C) before the last epoch
    stopped_early: bool = False  # early stopping ended the run
    best_epoch: int | None = None  # with early stopping: the epoch whose weights were kept
    val_cost: float | None = None  # on the validation split (``data.validation_fraction``), if any
    val_accuracy: float | None = None

    def __repr__(self) -> str:
        def figure(value: float | None) -> str:
            return "None" if value is None else f"{value:.6g}"

        parts = [f"epochs={self.epochs}", f"train_cost={figure(self.train_cost)}",
                 f"train_accuracy={figure(self.train_accuracy)}", f"test_cost={figure(self.test_cost)}",
                 f"test_accuracy={figure(self.test_accuracy)}"]
        if self.val_cost is not None or self.val_accuracy is not None:
            parts += [f"val_cost={figure(self.val_cost)}", f"val_accuracy={figure(self.val_accuracy)}"]
        parts.append(f"stopped_early={self.stopped_early}")
        if self.best_epoch is not None:
            parts.append(f"best_epoch={self.best_epoch}")
        if self.interrupted:
            parts.append("interrupted=True")
        parts.append(f"len(history)={len(self.history)}")
        return f"TrainResult({', '.join(parts)})"


EVAL_ROWS = 2048  # evaluate() runs the forward pass in chunks of this many rows (bounded memory)
#: Training in float32 from float64 data casts the inputs once when at least this many epochs
#: remain (the one-off copy repays itself after about 6 epochs; see _prepare_data), else per batch.
CAST_ONCE_EPOCHS = 6
#: Mini-batches for a first layer with a ones column are gathered from a copy of the inputs that
#: has it, made once per run when it takes at most this many bytes (ones_copy_bytes).
ONES_COPY_MAX_BYTES = 1 << 25


def ones_copy_bytes(n_rows: int, sizes: list[int] | tuple[int, ...], batch_size: int | None,
                    dtype: Any) -> int:
    """Bytes of the copy [X 1] of the training inputs that ``Trainer`` makes (0: none).

    Gathering a batch's rows of [X 1] straight into the first layer's input replaces a
    gather and a copy in beside the ones column: 0.4 against 1.1 µs on digits (64 inputs,
    batch 32), 2-3% of a step. Only for mini-batches whose first layer has a ones column
    (``Engine.plain_input`` false) and only up to ``ONES_COPY_MAX_BYTES``, so a large data
    set is never doubled in memory.
    """
    gathered = batch_size is not None and batch_size < n_rows
    if not gathered or reads_plain_input(sizes, gathered):
        return 0
    nbytes = n_rows * (sizes[0] + 1) * np.dtype(dtype).itemsize
    return nbytes if nbytes <= ONES_COPY_MAX_BYTES else 0


def evaluate(net: Network, ds: Dataset) -> tuple[float, float | None]:
    """(mean cost incl. any L2 penalty, accuracy or None for regression) of ``net`` on ``ds``.

    The forward pass goes in chunks of ``EVAL_ROWS`` rows, so memory stays bounded
    whatever the size of the data set.
    """
    n = ds.n_samples
    classify = ds.task == "classification"
    total = correct = 0.0
    for lo in range(0, n, EVAL_ROWS):
        yb = ds.Y[lo:lo + EVAL_ROWS]
        cache = net.forward(ds.X[lo:lo + EVAL_ROWS])
        total += float(np.sum(net.example_costs(cache, yb)))
        if classify:
            correct += accuracy(yb, cache.output) * len(yb)
    return total / n + net.penalty(), (correct / n if classify else None)


BEFORE_ROWS = 4096  # cost_before_training() measures at most this many rows, evenly spaced
GREW = 10  # a final training cost this many times above where training started gets a warning


def cost_before_training(net: Network, ds: Dataset) -> tuple[float, int]:
    """(mean cost incl. any L2 penalty, rows measured) of ``net`` as it stands on ``ds``.

    Every row up to ``BEFORE_ROWS``, else every k-th row (k = ⌈n / BEFORE_ROWS⌉): an even
    sample of a split that may be sorted by class, and at most one forward pass of 4,096 rows
    for a large data set. ``backprop train`` compares the trained cost with it
    (``cost_growth``): a run whose η blows it up within the first epoch starts its history
    with an epoch-1 cost that is already large.
    """
    k = -(-ds.n_samples // BEFORE_ROWS)
    X, Y = ds.X[::k], ds.Y[::k]
    total = 0.0
    for lo in range(0, len(X), EVAL_ROWS):
        total += float(np.sum(net.example_costs(net.forward(X[lo:lo + EVAL_ROWS]), Y[lo:lo + EVAL_ROWS])))
    return total / len(X) + net.penalty(), len(X)


def cost_growth(result: TrainResult, before: float | None, every_row: bool = True) -> tuple[float, str] | None:
    """(start, "before training" or "epoch 1") when the final training cost is more than
    ``GREW`` times the lower of the cost before training (``before``; None when unknown, as on
    a resumed run) and epoch 1's mean cost, or above the cost before training at all when that
    was measured on every training row (``every_row``: on a sample of the rows its own sampling
    error, 0.004 on circles' 6,750 rows, decided it); else None. Such a run usually had η too
    large without overflowing to NaN (which stops training with DivergedError)."""
    starts = [(c, when) for c, when in ((before, "before training"),
                                        (result.history[0].train_cost if result.history else None, "epoch 1"))
              if c is not None and math.isfinite(c) and c > 0]
    if not starts:
        return None
    start = min(starts, key=lambda s: s[0])
    if result.train_cost > GREW * start[0]:
        return start
    # above the untrained network's cost at all: training made it worse (adam at η = 2 ended the
    # default xor at 0.5 from 0.2747, accuracy 50%, without a word)
    if every_row and before is not None and math.isfinite(before) and result.train_cost > before:
        return before, "before training"
    return None


#: ``stalled``: the training cost counts as having stopped moving when every epoch from one on stays
#: within this relative distance of the last epoch's cost (digits at η = 50: 1.79972 to 1e-11 from
#: epoch 2 to 40), for at least ``STALL_EPOCHS`` epochs and at least the second half of the run.
STALL_RTOL = 1e-4
STALL_EPOCHS = 5
#: ``stalled``: a final train accuracy at most this far above the largest class's share is chance level.
CHANCE_MARGIN = 0.01
#: ``stalled``: a final train cost within this relative distance of the best constant output's
#: (``constant_cost``) is that output's: the best there is when the inputs say nothing of the targets.
CONSTANT_RTOL = 1e-3
#: ``stuck_units``: a unit is stuck when its σ'(z) is ~0 (explain's saturated units: σ'(z) < 0.01, silu's
#: in its tail; a ReLU's z ≤ 0, dead) on at least this share of the training rows.
STUCK_ROWS = 0.99


class StuckLayer(NamedTuple):
    """``stuck_units``' finding for one layer: ``stuck`` of its ``units`` units, of activation
    ``activation``, have σ'(z) ≈ 0 on (almost) every training row; ``layer`` is l (1-based), the output
    when it is the network's last. ``dead``: ReLUs (z ≤ 0), else saturated units."""

    layer: int
    activation: str
    stuck: int
    units: int
    output: bool
    dead: bool


def stuck_units(net: Network, ds: Dataset) -> tuple[StuckLayer, ...]:
    """The layers of ``net`` with units whose gradient vanishes on at least ``STUCK_ROWS`` of the rows of
    ``ds`` (every row up to ``BEFORE_ROWS``, else every k-th, as ``cost_before_training``): saturated
    sigmoid, tanh, elu, softplus or silu units (σ'(z) < 0.01, as explain flags them) and dead ReLUs
    (z ≤ 0). An output layer whose σ' the cost's fused δ = a − y cancels (sigmoid or softmax with
    cross_entropy) is left out, as are activations that do not saturate (linear, leaky_relu)."""
    from .explain import SATURATING, _saturated

    k = -(-ds.n_samples // BEFORE_ROWS)
    X = ds.X[::k]
    if len(X) == 0:
        return ()
    cache = net.forward(X)
    found = []
    for l, act in enumerate(net.activations, 1):
        if l == net.L and act.name in net.cost_fn.fused:
            continue
        z, a = cache.z[l], cache.a[l]
        if act.name == "relu":
            flat = z <= 0
        elif act.name in SATURATING:
            with np.errstate(all="ignore"):
                flat = _saturated(act.name, z, act.prime(z, a))  # type: ignore[misc]
        else:
            continue
        stuck = int(np.count_nonzero(flat.mean(axis=0) >= STUCK_ROWS))
        if stuck:
            found.append(StuckLayer(l, act.name, stuck, z.shape[1], l == net.L, act.name == "relu"))
    return tuple(found)


def constant_cost(net: Network, Y: NDArray[np.floating]) -> float:
    """The mean cost of ``net``'s cost function for the best constant output on targets ``Y``: every row
    answered with the targets' column means (a one-hot classification's class shares), the least a
    squared error or a cross-entropy can reach with inputs that say nothing of the targets (a softmax
    output's means are normalised to sum to 1). NaN where it is not defined."""
    Y = np.asarray(Y, dtype=np.float64)
    m = Y.mean(axis=0)
    with np.errstate(all="ignore"):
        if net.cost_name == "cross_entropy":  # 0 · ln 0 = 0: a class no row has costs nothing
            def ylna(y: Any, a: Any) -> Any:
                return np.where(y == 0, 0.0, y * np.log(np.where(y == 0, 1.0, a)))

            if net.activations[-1].name == "softmax":
                costs = -ylna(Y, m / m.sum()).sum(axis=1)
            else:
                costs = -(ylna(Y, m) + ylna(1.0 - Y, 1.0 - m)).sum(axis=1)
        else:
            costs = net.cost_fn.fn(np.broadcast_to(m, Y.shape), Y)
        return float(np.mean(costs))


class Stall(NamedTuple):
    """``stalled``'s finding: training went nowhere, its cost stuck from an early epoch at a level no
    better than chance. ``since``: the first epoch of the plateau; ``cost``: the last epoch's train cost;
    ``start``/``start_when``: where the cost had moved from, the cost before training ("before
    training") when known, else epoch 1's ("epoch 1"); ``accuracy``: the final train accuracy (classification) or None;
    ``chance``: the largest class's share of the training rows (classification), or the cost of the best
    constant output, the training targets' mean (regression); ``constant``: the best constant output's
    cost (``constant_cost``; the class shares' for classification) and ``above_constant``: whether the
    final cost is above it (by more than ``CONSTANT_RTOL``), else at it; ``stuck``: the layers with units
    stuck where their gradient vanishes (``stuck_units``), on the final weights."""

    since: int
    cost: float
    start: float
    start_when: str
    accuracy: float | None
    chance: float
    constant: float = math.nan
    above_constant: bool = False
    stuck: tuple[StuckLayer, ...] = ()


def stalled(result: TrainResult, net: Network, train_set: Dataset, before: float | None) -> Stall | None:
    """A ``Stall`` when the training cost stopped moving early and the network ends no better than
    chance, after the cost had first moved, stuck where the first steps drove units whose gradients
    vanish (sigmoids saturated, ReLUs dead), as a learning rate far too large does (digits at η = 50
    stuck at cost 1.79972 and 10% accuracy from epoch 2, exit 0 without a word). Else None.

    All of: at least ``STALL_EPOCHS`` epochs, the last of them (and at least half the run) with a cost
    within ``STALL_RTOL`` of the last epoch's; the cost before the plateau (``before``, the untrained
    network's, else epoch 1's when the plateau starts later) differing from it by more than that; and
    for classification, the final train accuracy at most ``CHANCE_MARGIN`` above the largest class's
    share with the final cost (without its L2 penalty) above the best constant output's
    (``constant_cost``, the class shares': digits' 1.8 against 0.9) by more than ``CONSTANT_RTOL``, or
    at it with every unit of a layer stuck (``stuck_units``: the output cannot vary); for regression,
    the final cost at least 99% of the best constant output's with every unit of a layer stuck.
    A run that learns slowly, or converges to a low cost, moves or beats chance: no finding; nor does
    one that settles on the best constant output with live units, the best there is when the inputs say
    nothing of the targets (a smaller η would end there too)."""
    costs = [s.train_cost for s in result.history]
    n = len(costs)
    if n < STALL_EPOCHS or not all(math.isfinite(c) for c in costs) or train_set.n_samples < 2:
        return None
    last = costs[-1]
    tol = STALL_RTOL * max(abs(last), 1e-12)
    since = n
    while since > 1 and abs(costs[since - 2] - last) <= tol:
        since -= 1
    if n - since + 1 < max(STALL_EPOCHS, n / 2):
        return None
    starts = [(c, when) for c, when in ((before, "before training"),
                                        (costs[0] if since > 1 else None, "epoch 1"))
              if c is not None and math.isfinite(c)]
    moved = [(c, when) for c, when in starts if abs(c - last) > tol]
    if not moved:  # it never moved (η far too small, or units dead from the start): not this finding
        return None
    start, when = moved[0]  # the untrained network's cost, when known and the cost moved from it
    Y = np.asarray(train_set.Y, dtype=np.float64)
    constant = constant_cost(net, Y)
    if not math.isfinite(constant):
        return None
    cost = result.train_cost - net.penalty()
    if train_set.task == "classification":
        if result.train_accuracy is None:
            return None
        counts = np.bincount((Y[:, 0] > 0.5).astype(np.intp) if Y.shape[1] == 1 else Y.argmax(axis=1))
        chance = float(counts.max()) / len(Y)
        if result.train_accuracy > chance + CHANCE_MARGIN:
            return None
        above = cost > constant * (1 + CONSTANT_RTOL)
    else:
        chance = constant
        if constant <= 0 or cost < 0.99 * constant:
            return None
        above = cost > constant * (1 + CONSTANT_RTOL)
    stuck = stuck_units(net, train_set)
    # the best constant output reached with live units: no η to blame; nor, for regression, a cost no unit
    # explains (every unit of a layer stuck: the output cannot vary from row to row)
    if not any(s.stuck == s.units for s in stuck) and (not above or train_set.task != "classification"):
        return None
    return Stall(since, last, start, when, result.train_accuracy if train_set.task == "classification" else None,
                 chance, constant, above, stuck)


#: ``unmoved``: a training cost that stayed within this share of itself from before training to the end,
#: every epoch, did not move at all (η = 1e-20 on the default xor: 0.274747 throughout, exit 0 without a word).
UNMOVED_RTOL = 1e-9


def unmoved(result: TrainResult, before: float | None) -> tuple[float, str] | None:
    """(start, "before training" or "epoch 1") when the training cost never moved: the cost before
    training (``before``; None when unknown, as on a resumed run, then epoch 1's), every epoch's and the
    final one all within ``UNMOVED_RTOL`` of it, over at least ``STALL_EPOCHS`` epochs, the start above 0
    (a cost of 0 has nowhere to go). ``stalled`` leaves such a run out (its cost never moved to a
    plateau). Else None."""
    if len(result.history) < STALL_EPOCHS:
        return None
    start, when = (before, "before training") if before is not None and math.isfinite(before) else \
        (result.history[0].train_cost, "epoch 1")
    if not (math.isfinite(start) and start > 0):
        return None
    costs = [s.train_cost for s in result.history] + [result.train_cost]
    if all(math.isfinite(c) and abs(c - start) <= UNMOVED_RTOL * start for c in costs):
        return start, when
    return None


#: ``at_rest``: weights where a step of η = 1 would lower the cost by at most this share of it (to first order,
#: ‖∂C/∂θ‖² ≤ this · C) are where the cost is flat (a least-squares fit given as the initial weights, or a point
#: a hair from it): nothing there for η to move.
REST_RTOL = 1e-9


def at_rest(net: Network, ds: Dataset) -> bool:
    """Is the cost flat at ``net``'s weights, ‖∂C/∂θ‖² (summed over every weight and bias) at most
    ``REST_RTOL`` · C, on the rows of ``ds`` (every row up to ``BEFORE_ROWS``, else every k-th, as
    ``cost_before_training``)? A step of η moves the cost by about η‖∂C/∂θ‖², so ``unmoved``'s run is then
    no fault of a small η. False where it cannot tell."""
    k = -(-ds.n_samples // BEFORE_ROWS)
    X, Y = ds.X[::k], ds.Y[::k]
    if len(X) == 0:
        return False
    try:
        with np.errstate(all="ignore"):
            dw, db = net.gradients(X, Y)
            cost = float(net.cost(X, Y))
    except (ValueError, FloatingPointError, ArithmeticError):
        return False
    squared = math.fsum(float(np.sum(np.square(g, dtype=np.float64))) for g in (*dw, *db))
    return math.isfinite(squared) and math.isfinite(cost) and squared <= REST_RTOL * abs(cost)


#: ``vanished_rate``: a schedule that takes η below this share of η0 has as good as stopped training (γ = 0.5
#: every 10 epochs does by epoch 401); ``schedule_warning`` says so before training.
VANISHED_RATE = 1e-12
#: ``schedule_stopped``: the η of the epochs from a stalled cost's plateau on, summed, at most this share of
#: η0 (all of them together less than a hundredth of one first step) is the schedule's doing, not η0's.
SPENT_RATE = 0.01


def _schedule_knobs(settings: Any) -> tuple[bool, str]:
    """(raise them, the fields with their values) that make ``settings``' (a ``TrainingConfig``'s) schedule
    take η down more slowly: (True, "training.gamma (0.5) or training.step_size (10)"), (False,
    "training.power_t (2)")."""
    if settings.schedule == "step":
        return True, f"training.gamma ({settings.gamma:.3g}) or training.step_size ({settings.step_size:,})"
    return False, f"training.power_t ({settings.power_t:g})"


def _schedule_fix(settings: Any) -> str:
    """What to change of ``settings``' (a ``TrainingConfig``'s) schedule for η to fall more slowly."""
    up, what = _schedule_knobs(settings)
    return f"{'raise' if up else 'lower'} {what}"


def vanished_rate(settings: Any) -> tuple[int, float] | None:
    """(the first epoch whose η is below ``VANISHED_RATE``·η0, that η) where ``settings``' (a
    ``TrainingConfig``'s) schedule takes η there by its last epoch (γ = 1e-320 every epoch: epoch 2's
    2e-320; power_t = 100 over 2,000 epochs: epoch 2's η0/2^100); None where it does not (constant). η
    never grows along a schedule (γ ≤ 1, power_t ≥ 0): the first such epoch is found by bisection."""
    schedule = SCHEDULES[settings.schedule]
    given = {"gamma": settings.gamma, "step_size": settings.step_size, "power_t": settings.power_t}

    def rate(epoch: int) -> float:
        return schedule.rate(settings.learning_rate, epoch, given)

    floor = VANISHED_RATE * settings.learning_rate
    if not rate(settings.epochs) < floor:
        return None
    good, low = 1, settings.epochs  # rate(1) = η0 ≥ floor > rate(low)
    while low - good > 1:
        mid = (good + low) // 2
        good, low = (good, mid) if rate(mid) < floor else (mid, low)
    return low, rate(low)


def schedule_warning(settings: Any, done: int = 0, trained: bool = False) -> str | None:
    """A warning (without "warning: ") where ``settings``' (a ``TrainingConfig``'s) schedule takes η below
    ``VANISHED_RATE``·η0 by its last epoch (``vanished_rate``): the epochs from then on barely move the
    weights, and a run that stalls there looks like one whose η0 is too large. None otherwise.
    ``done``: the epochs a resumed run's checkpoint has finished; None too where η ran out by then (said
    when those epochs were asked for), and the fix is a resume's: fewer --epochs, or a new run (a resume
    refuses another training.gamma, step_size or power_t). ``trained``: said after the resume trained past
    that epoch (the summary's), where fewer --epochs is no longer a fix (a later resume refuses fewer
    epochs than the run has trained): only the new run."""
    found = vanished_rate(settings)
    if found is None or found[0] <= done:
        return None
    epoch, rate = found
    rest, floor = settings.epochs - epoch + 1, VANISHED_RATE * settings.learning_rate
    left = "that epoch barely moves" if rest == 1 else f"the {plural(rest, 'epoch')} from it on barely move"
    fix = _schedule_fix(settings)
    if done:
        up, what = _schedule_knobs(settings)
        fix = (f"resume with --epochs {epoch - 1} or fewer, or " if epoch - 1 > done and not trained else "") + (
            f"start a new run (--overwrite) with a {'larger' if up else 'smaller'} {what}")
    return (f"the {settings.schedule} schedule takes η from {settings.learning_rate:g} to {rate:.3g} by epoch "
            f"{epoch:,} of {settings.epochs:,}, below {VANISHED_RATE:g}·η0 = {floor:.3g}: {left} the weights; "
            f"{fix}")


def schedule_stopped(result: TrainResult, since: int, settings: Any) -> tuple[float, str] | None:
    """(η at epoch ``since``, what to change of the schedule) where a cost that stopped moving at epoch
    ``since`` did so under a schedule of ``settings`` (a ``TrainingConfig``) that had taken η to ~0: the η
    of the epochs from ``since`` on (as trained, ``result.history``) summing to at most ``SPENT_RATE``·η0
    (γ = 1e-320 every epoch: 2e-320 and then 0; "raise training.gamma (1e-320) or training.step_size (1)").
    None otherwise (a constant η; or one the schedule left large enough to train on, which is η0's doing)."""
    if settings.schedule == "constant" or not 1 <= since <= len(result.history):
        return None
    if not math.fsum(s.learning_rate for s in result.history[since - 1:]) <= SPENT_RATE * settings.learning_rate:
        return None
    return result.history[since - 1].learning_rate, _schedule_fix(settings)


class Trainer:
    """Mini-batch training of ``net`` in place.

    ``settings`` is a ``config.TrainingConfig`` (learning_rate, epochs, batch_size,
    shuffle, optimizer and its parameters, schedule, early stopping), checked as a config
    file's ``training`` section is (ConfigError). The L2 λ is the network's own, ``net.l2``
    (``Network.from_config`` sets it from ``training.l2``, as ``backprop train`` does), so the
    cost the network reports and the one trained agree: a ``settings.l2`` other than 0 must be
    that λ (ConfigError, rather than being ignored), and a ``settings.dtype`` other than float64 the
    network's dtype. The data sets must fit the network, and
    a NaN or ±inf in one is named (InputError) when it makes a cost non-finite, rather than
    reported as divergence. ``rng``, a ``np.random.Generator``, drives the shuffling only (an int
    seed or None is refused, ConfigError, when ``shuffle`` is on with batches smaller than the
    training set; ``Trainer`` makes no generator of its own). ``val_set`` (or, without it, ``test_set``) is the cost early
    stopping watches. The data sets are best in the network's dtype (``Dataset.astype``;
    ``backprop train`` does that); float64 data for a float32 network are cast as
    batches are gathered, or once for long runs (``CAST_ONCE_EPOCHS``), same numbers.
    """

    def __init__(
        self,
        net: Network,
        train_set: Dataset,
        test_set: Dataset | None,
        settings: Any,
        rng: np.random.Generator,
        val_set: Dataset | None = None,
    ) -> None:
        settings = _check_setting(net, settings, train_set, test_set, val_set)
        _check_rng(rng, settings, train_set.n_samples)
        # At most 29 attributes: CPython 3.11 keeps that many in its fast shared layout; with a
        # 30th every self.<name> in the loop got slower (+1% on xor, benchmarks/README.md).
        self.net, self.train_set, self.test_set, self.val_set = net, train_set, test_set, val_set
        self.s = settings
        self.rng = rng
        s = settings
        self.optimizer = OPTIMIZERS[s.optimizer](
            self._params(), momentum=s.momentum, nesterov=s.nesterov,
            beta1=s.beta1, beta2=s.beta2, epsilon=s.epsilon,
        )
        self._schedule = (SCHEDULES[s.schedule], {"gamma": s.gamma, "step_size": s.step_size, "power_t": s.power_t})
        self.classify = train_set.task == "classification"
        self.engine: Engine | None = None  # buffers, made when the loop starts
        self._batches: Callable[[int], tuple[int, Any, Any]] = lambda i: (0, None, None)
        # position: epochs completed, batches done in the current epoch, its order
        self.epoch = 0
        self.batch = 0
        self.order: NDArray[np.intp] | None = None
        self.cost_sum = 0.0
        self.correct = 0.0  # right predictions in the first ``_counted`` positions of the order
        self._counted = 0
        # per run (_prepare_data): the order (a copy the batches' index slices view) and the
        # targets in it, the classes, the order they follow, and each position's predicted
        # class (counted against them in _count_correct)
        self._ordered: Any = None  # (order, targets)
        self._classes: Any = None  # (the data's order, the epoch's order)
        self._pred: Any = None
        self._follows: NDArray[np.intp] | None = None
        self.history: list[EpochStats] = []
        self.elapsed = 0.0  # seconds spent before this process (resumed runs)
        # early stopping
        self.best_cost = math.inf
        self.best_epoch: int | None = None
        self.best_params: list[NDArray[np.floating]] | None = None
        # the weights where training stood when run() put the best epoch's back (checkpoints
        # keep these, so a longer resumed run continues from them), else None
        self.last_params: list[NDArray[np.floating]] | None = None
        self.bad_epochs = 0
        self.stopped_early = False

    def _params(self) -> list[NDArray[np.floating]]:
        # a list concatenation (a new plain list): unpacking [*w, *b] takes CPython's slow path for
        # the Parameters list subclass, 180 against 74 ns, and _step asks every step (momentum, adam)
        return self.net.weights + self.net.biases

    def _stood_still_applies(self) -> bool:
        """Whether ``last_params`` (where training stood when an early-stopped run put the best
        epoch's weights back) is still what training goes on from: the network still holds this
        trainer's arrays (``Engine.holds_parameters``) and they are still the best epoch's, not
        assigned or edited since (``net.weights[0][j, k] = v``). One comparison, O(parameters)."""
        if self.last_params is None or self.engine is None or not self.engine.holds_parameters():
            return False
        return all(np.array_equal(p, best) for p, best in zip(self._params(), self.best_params or ()))

    def _restore_last(self) -> None:
        for p, last in zip(self._params(), self.last_params or []):
            p[...] = last
        self.last_params = None

    @property
    def ending_epoch(self) -> int | None:
        """The (1-based) epoch whose batches are all done while ``run`` counts, measures and reports it
        (its callback: a checkpoint), until the next epoch begins (``_counted`` set back to 0, before
        its shuffle): what a stop asked for now waits for, rather than a batch; None within an epoch.
        Read only by a stop signal's handler: the steps pay nothing for it. Right after an epoch's
        last step, ``batch`` is the number of batches and ``epoch`` not yet counted up."""
        if self.batch == 0:
            return self.epoch if self._counted > 0 else None
        return self.epoch + 1 if self.batch >= -(-self.train_set.n_samples // self.batch_size) else None

    @property
    def batch_size(self) -> int:
        n = self.train_set.n_samples
        return n if self.s.batch_size is None else min(self.s.batch_size, n)

    def learning_rate(self, epoch: int) -> float:
        """η for a 1-based epoch, after the schedule."""
        schedule, settings = self._schedule
        return schedule.rate(self.s.learning_rate, epoch, settings)

    # -- the loop ------------------------------------------------------------------
    def run(
        self,
        callback: Callable[[EpochStats], None] | None = None,
        should_stop: Callable[[], bool] | None = None,
    ) -> TrainResult:
        """Train until ``settings.epochs`` epochs are done, early stopping fires, or
        ``should_stop()`` returns True (asked after every batch; after an epoch's last batch,
        once that epoch is counted and reported, and only if another epoch would follow, so a
        stop asked for during the run's last batch lets it finish). With early stopping the
        best epoch's weights are put back at the end (``last_params`` keeps where training
        stood). Called again with more epochs (after ``load_state_dict`` or not), it goes on
        from where training stood, or from the network's weights and biases if they were
        assigned or changed since."""
        start = time.perf_counter() - self.elapsed
        if self.last_params is not None:  # run again for more epochs: from where training stood,
            if self._stood_still_applies():
                self._restore_last()
            else:  # unless the weights were assigned or edited since: then from the network's
                self.last_params = None
        if self.engine is not None and not self.engine.holds_parameters():
            # net.weights / net.biases assigned since the last run, or another trainer trained the
            # network: training goes on from the network's values, not from this engine's copy
            self.engine.take_parameters()
        n, bs = self.train_set.n_samples, self.batch_size
        if self.engine is None:
            with np.errstate(over="ignore"):  # float64 data beyond float32's range: a non-finite
                self._prepare_data(bs)  # cost, then named by _check_finite_data, not a warning
        eng = self.engine
        batches = self._batches
        n_batches = -(-n // bs)
        if self.epoch == 0 and self.batch == 0 and not math.isfinite(self.net.penalty()):
            # (λ/2) Σ‖w‖² of the weights as given already overflows: no step, no learning rate to blame
            raise diverged(self.net, 1, self.s.learning_rate, penalty=True, cost=math.inf, before_any_step=True)
        # Overflow and 0·inf show up as a non-finite cost (DivergedError) instead of warnings.
        with np.errstate(over="ignore", invalid="ignore"):
            while self.epoch < self.s.epochs and not self.stopped_early:
                e = self.epoch + 1
                if self.batch == 0:
                    # before the shuffle: the epoch before is no longer ending (ending_epoch), the
                    # next stop check comes after this epoch's first batch
                    self.cost_sum = self.correct = 0.0
                    self._counted = 0
                    # One batch holding every example: its mean gradient does not depend on
                    # the order, so there is nothing to shuffle (and no RNG draw).
                    if bs < n or self.order is None:
                        self.order = epoch_order(n, self.rng if self.s.shuffle and bs < n else None)
                if self.order is not self._follows:
                    self._follow(self.order)
                lr = self.learning_rate(e)
                for i in range(self.batch, n_batches):
                    self._step(*batches(i), lr, e)
                    self.batch += 1
                    # after an epoch's last batch, asked below, once the epoch is counted
                    if should_stop is not None and i + 1 < n_batches and should_stop():
                        self.elapsed = time.perf_counter() - start
                        return self._result(interrupted=True)
                self._count_correct(n)
                self.epoch, self.batch = e, 0
                stats = self._epoch_stats(e, lr, time.perf_counter() - start)
                self.history.append(stats)
                self._watch(stats)
                self.elapsed = time.perf_counter() - start
                if callback is not None:
                    callback(stats)
                    if not eng.holds_parameters():  # the callback assigned the weights: go on from them
                        eng.take_parameters()
                if (should_stop is not None and self.epoch < self.s.epochs and not self.stopped_early
                        and should_stop()):  # asked for during the epoch's last batch, more to come
                    self.elapsed = time.perf_counter() - start
                    return self._result(interrupted=True)
        if self.s.early_stopping and self.best_params is not None:
            self.last_params = [p.copy() for p in self._params()]
            for p, best in zip(self._params(), self.best_params):
                p[...] = best  # keep the best epoch's weights
        self.elapsed = time.perf_counter() - start
        return self._result(interrupted=False)

    def _prepare_data(self, bs: int) -> None:
        """The engine and ``self._batches(i)`` -> (m, yb, where its predicted classes go, or
        None) for the i-th batch of the epoch's order, its m inputs written into the engine.

        The inputs of each batch are gathered into reused buffers (the rows stay in cache for
        the matrix products, and no shuffled copy of the whole data set is made). A single full
        batch is copied in once. The targets and classes, a few numbers per row, are put in the
        epoch's order once per epoch (``_follow``): a batch's are then a slice, not three more
        gathers per step (7% of a digits step). Every batch's slices (its indices, targets,
        predictions and buffers) are made here once: the loop only looks them up.
        """
        X, Y = self.train_set.X, self.train_set.Y
        dt = self.net.dtype
        n, n_in = X.shape
        eng = self.engine = Engine(self.net, bs, gathered=bs < n)
        self.optimizer.relayout(self._params())  # the engine's transposed views: state alike
        if eng.fused is not None and eng.fused.scales_by_target_sum:  # checked once: then δ = a − y
            eng.targets_sum_to_one = bool(np.all(Y.astype(dt).sum(axis=1) == 1.0))
        order, y = self._ordered = (np.empty(n, np.intp), np.empty(Y.shape, dt))
        if self.classify:
            # the class of every row: above 0.5 for a single output, else the argmax
            # (data.accuracy); kept (n, 1) for a single output, so it compares with a > 0.5
            classes = Y > 0.5 if Y.shape[1] == 1 else Y.argmax(axis=1)
            self._classes = (classes, np.empty_like(classes))
            self._pred = np.empty_like(classes)
        self._follows = None
        pred = self._pred
        if bs >= n:
            np.copyto(eng.input(n), X)
            whole = (n, y, pred)
            self._batches = lambda i: whole
            return
        # Training in another dtype (float32) for long enough casts the inputs once. Casting
        # every batch instead re-reads the float64 rows (2x the bytes) and copies twice: on wide
        # (784 inputs, batch 128) 122 vs 61 us per batch, ~5 ms per epoch of 20,000 rows,
        # against ~30 ms once for the copy (benchmarks/).
        cast = X.dtype != dt and self.s.epochs - self.epoch >= CAST_ONCE_EPOCHS
        # A first layer with a ones column gets [X 1] to gather from (see ones_copy_bytes),
        # when the copy is small or the inputs are copied to be cast anyway.
        ones = not eng.plain_input and (cast or ones_copy_bytes(n, self.net.sizes, bs, dt) > 0)
        source = X
        if cast or ones:
            source = prefaulted((n, n_in + ones), dt)
            if ones:
                source[:, n_in] = 1.0
            np.copyto(source[:, :n_in], X)
        # Each batch is gathered straight into the engine's input when that is contiguous ([X 1]
        # rows, or the plain x of a large first layer: Engine.plain_input) and the rows are in
        # the training dtype; else into a contiguous buffer, then copied in beside the ones
        # column (casting if need be; numpy's take into a strided buffer goes through a
        # temporary, slower than the copy).
        direct = ones or (eng.plain_input and source.dtype == dt)
        x_rows = None if direct else np.empty((bs, n_in), source.dtype)
        plan = []
        for lo in range(0, n, bs):
            m = min(bs, n - lo)
            plan.append((m, order[lo:lo + m], eng.input(m, with_ones=ones), None if direct else x_rows[:m],
                         y[lo:lo + m], None if pred is None else pred[lo:lo + m]))

        def batches(i: int) -> tuple[int, Any, Any]:
            m, idx, inp, rows, yb, pb = plan[i]
            # mode="clip": the indices are valid, and "raise" would copy through a temporary
            if rows is None:
                source.take(idx, axis=0, out=inp, mode="clip")
            else:
                np.copyto(inp, source.take(idx, axis=0, out=rows, mode="clip"))
            return m, yb, pb

        self._batches = batches

    def _follow(self, order: NDArray[np.intp]) -> None:
        """Put the targets and the classes in ``order`` (one gather each per epoch), and the
        order itself where the batches' index slices look."""
        ordered, y = self._ordered
        np.copyto(ordered, order)
        self.train_set.Y.take(order, axis=0, out=y, mode="clip")  # casts to the training dtype
        if self._classes is not None:
            classes, ordered = self._classes
            classes.take(order, axis=0, out=ordered, mode="clip")
        self._follows = order

    def _count_correct(self, done: int) -> None:
        """Add the right predictions at positions ``_counted`` to ``done`` of the epoch's order
        (the batches done since the last count) to ``correct``."""
        lo = self._counted
        if done <= lo:
            return
        if self._pred is not None:
            pred, classes = self._pred, self._classes[1]
            if done - lo < len(pred):  # part of the order (whole: no slicing, XOR's every epoch)
                pred, classes = pred[lo:done], classes[lo:done]
            self.correct += int(np.count_nonzero(pred == classes))  # numpy 2: a numpy integer
        self._counted = done

    def _step(self, m: int, yb: NDArray[np.floating], pred: Any, lr: float, epoch: int) -> None:
        eng = self.engine
        sgd = self.s.optimizer == "sgd"
        # The mean's 1/m, and for plain SGD η too, ride along δ (engine docstring).
        if sgd:  # θ ← θ − η ∂C/∂θ, done layer by layer inside the backward pass
            total, a = eng.sgd_step(m, yb, lr / m, lr * self.net.l2)  # type: ignore[union-attr]
        else:
            total, a = eng.step(m, yb, 1.0 / m)  # type: ignore[union-attr]
        if not math.isfinite(total):
            self._check_finite_data()  # a NaN in the data is not divergence
            # the run's first batch, its cost measured before any step: the weights as given overflow
            first = self.epoch == 0 and self.batch == 0
            raise diverged(self.net, epoch, self.s.learning_rate, cost=total, before_any_step=first,
                           optimizer=self.s.optimizer)
        self.cost_sum += total
        if pred is not None:  # the predicted classes, counted once per epoch (_count_correct)
            if a.shape[1] == 1:
                np.greater(a, 0.5, out=pred)
            else:
                a.argmax(axis=1, out=pred)  # the method: np.argmax(out=) costs 3x more here
        if not sgd:
            l2 = self.net.l2
            grads = eng.gradients()  # type: ignore[union-attr]
            if l2:
                eng.add_l2(l2)  # type: ignore[union-attr]  # ∂C/∂w += λ w, ∂/∂w of (λ/2)||w||²
            self.optimizer.step(self._params(), grads, lr)

    def _epoch_stats(self, epoch: int, lr: float, seconds: float) -> EpochStats:
        n = self.train_set.n_samples
        test_cost = test_acc = val_cost = val_acc = None
        if self.test_set is not None:
            test_cost, test_acc = evaluate(self.net, self.test_set)
        if self.val_set is not None:
            val_cost, val_acc = evaluate(self.net, self.val_set)
        if not all(c is None or math.isfinite(c) for c in (test_cost, val_cost)):
            self._check_finite_data()
        train_cost = self.cost_sum / n + self.net.penalty()  # the penalty of the epoch-end weights (README)
        if not math.isfinite(train_cost):  # the batches' costs were finite, but (λ/2) Σ‖w‖² overflowed
            # (or their sum did): divergence at this epoch, not an epoch reported with an infinite cost
            raise diverged(self.net, epoch, self.s.learning_rate, penalty=math.isfinite(self.cost_sum),
                           cost=train_cost, optimizer=self.s.optimizer)
        return EpochStats(
            epoch=epoch,
            train_cost=train_cost,
            train_accuracy=self.correct / n if self.classify else None,
            test_cost=test_cost,
            test_accuracy=test_acc,
            seconds=seconds,
            learning_rate=lr,
            val_cost=val_cost,
            val_accuracy=val_acc,
        )

    def _watch(self, stats: EpochStats) -> None:
        """Early stopping: remember the best weights; stop after ``patience`` bad epochs."""
        if not self.s.early_stopping:
            return
        watched = stats.val_cost if self.val_set is not None else stats.test_cost
        if watched is None:
            return
        if watched < self.best_cost - self.s.min_delta:
            self.best_cost, self.best_epoch, self.bad_epochs = watched, stats.epoch, 0
            self.best_params = [p.copy() for p in self._params()]
        else:
            self.bad_epochs += 1
            if self.bad_epochs >= self.s.patience:
                self.stopped_early = True

    def _check_finite_data(self) -> None:
        """InputError naming the data set and row holding NaN or ±inf, if one does: asked only when
        a cost came out non-finite, so that such data (a ``Dataset`` built in Python; the loaders
        refuse them) is not reported as divergence with a smaller learning rate to try."""
        for name, ds in (("train_set", self.train_set), ("test_set", self.test_set), ("val_set", self.val_set)):
            if ds is not None:
                for part, values in (("X", ds.X), ("Y", ds.Y)):
                    finite_rows(values, f"{name}.{part}", self.net.dtype)

    def _result(self, interrupted: bool) -> TrainResult:
        train_cost, train_acc = evaluate(self.net, self.train_set)
        if not math.isfinite(train_cost):
            self._check_finite_data()
            raise diverged(self.net, max(self.epoch, 1), self.s.learning_rate, cost=train_cost,
                           optimizer=self.s.optimizer)
        test_cost = test_acc = None
        if self.test_set is not None:
            test_cost, test_acc = evaluate(self.net, self.test_set)
        val_cost = val_acc = None
        if self.val_set is not None:
            val_cost, val_acc = evaluate(self.net, self.val_set)
        return TrainResult(
            history=tuple(self.history),
            train_cost=train_cost,
            train_accuracy=train_acc,
            test_cost=test_cost,
            test_accuracy=test_acc,
            epochs=self.epoch,
            seconds=self.elapsed,
            interrupted=interrupted,
            stopped_early=self.stopped_early,
            best_epoch=self.best_epoch if self.s.early_stopping else None,
            val_cost=val_cost,
            val_accuracy=val_acc,
        )

    # -- checkpoints -------------------------------------------------------------------
    def state_dict(self) -> dict[str, Any]:
        """Everything needed to continue exactly where the loop is (plain arrays)."""
        self._count_correct(min(self.batch * self.batch_size, self.train_set.n_samples))
        state: dict[str, Any] = {
            "epoch": np.array(self.epoch),
            "batch": np.array(self.batch),
            "order": self.order if self.order is not None else np.zeros(0, dtype=np.intp),
            "cost_sum": np.array(self.cost_sum),
            "correct": np.array(self.correct),
            "elapsed": np.array(self.elapsed),
            "rng_state": np.array(json.dumps(self.rng.bit_generator.state)),
            "best_cost": np.array(self.best_cost),
            "best_epoch": np.array(-1 if self.best_epoch is None else self.best_epoch),
            "bad_epochs": np.array(self.bad_epochs),
            "stopped_early": np.array(self.stopped_early),
        }
        # where training stands, not the best epoch's put back; what run() would go on from (the
        # network's weights when they were assigned or edited since)
        stood = self.last_params if self._stood_still_applies() else None
        for i, p in enumerate(stood or self._params()):
            state[f"param{i}"] = p
        for i, p in enumerate(self.best_params or []):
            state[f"best{i}"] = p
        for k, v in self.optimizer.state().items():
            state[f"opt_{k}"] = v
        # one (epochs, fields) conversion in numpy, None → NaN (per field and epoch in Python, it
        # took ~1 ms per 1,000 epochs at every checkpoint: quadratic with --checkpoint-every 1)
        hist = np.array(self.history, dtype=float).reshape(-1, len(STAT_FIELDS))
        for i, name in enumerate(STAT_FIELDS):
            state[f"hist_{name}"] = hist[:, i].copy()
        return state

    def check_state(self, state: dict[str, Any]) -> None:
        """Refuse a state this trainer cannot continue from, before anything is changed.

        Every entry of ``state_dict()`` must be there with the type, shape and range this
        trainer's network, optimizer and training data give: the position (``check_position``),
        ``order`` a permutation of the training rows, ``param*`` and ``best*`` finite with the
        parameters' shapes, the optimizer's state likewise, ``rng_state`` a state of the
        shuffling generator, the history one entry per finished epoch.

        Raises:
            StateError: naming the first bad entry, what it holds and what was expected.
        """
        epoch, batch = check_position(state)
        n, bs = self.train_set.n_samples, self.batch_size
        n_batches = -(-n // bs)
        # batch == n_batches: every batch of the epoch done, the epoch not yet counted (what a
        # Ctrl-C during an epoch's last batch saved before Dec 2026; resuming counts it)
        if batch > n_batches:
            raise StateError("batch", f"is {batch}; expected 0 to {n_batches} (an epoch has "
                                      f"{n_batches} batches: {n} training rows in batches of {bs})")
        order = _entry(state, "order")
        if order.ndim != 1 or order.dtype.kind not in "iu":
            raise StateError("order", f"is {_described(order)}; expected a 1-D array of row numbers")
        if (batch > 0 or order.size) and not (
                order.size == n and np.array_equal(np.sort(order), np.arange(n))):
            raise StateError("order", f"is not an order of the {n} training rows (it has "
                                      f"{order.size} entries; expected each of 0 to {n - 1} once)")
        correct = _real(state, "correct")
        if not 0 <= correct <= n:
            raise StateError("correct", f"is {correct}; expected 0 to {n} (right predictions so far)")
        self._check_rng_state(state)
        params = self._params()
        names = [f"the weights of layer {l}" for l in range(1, self.net.L + 1)] + \
                [f"the biases of layer {l}" for l in range(1, self.net.L + 1)]
        why = f"network.layers {list(self.net.sizes)}"
        _check_arrays(state, "param", [p.shape for p in params], names, why, required=True)
        _check_arrays(state, "best", [p.shape for p in params], names, why, required=False)
        for key, a in self.optimizer.state().items():
            got = _entry(state, f"opt_{key}")
            if a.shape == ():
                if got.shape != () or got.dtype.kind not in "iu" or int(got) < 0:
                    raise StateError(f"opt_{key}", f"is {_described(got)}; expected a whole number >= 0 "
                                                   f"(the {self.s.optimizer} optimizer's step count)")
                continue
            _check_finite(f"opt_{key}", got, a.shape, f"({self.s.optimizer}'s state for {why})")
            if key.startswith("v") and self.s.optimizer == "adam" and np.any(got < 0):
                raise StateError(f"opt_{key}", "has a negative entry; adam's second moments are >= 0")
        for name in STAT_FIELDS:
            column = _entry(state, f"hist_{name}")
            if column.shape != (epoch,) or column.dtype.kind not in "fiu":
                raise StateError(f"hist_{name}", f"is {_described(column)}; expected {epoch} numbers "
                                                 "(one per finished epoch)")
        epochs = _entry(state, "hist_epoch")
        if not np.array_equal(epochs, np.arange(1, epoch + 1)):
            raise StateError("hist_epoch", f"does not count the epochs 1 to {epoch}")

    def _check_rng_state(self, state: dict[str, Any]) -> None:
        text = _entry(state, "rng_state")
        kind = type(self.rng.bit_generator)
        expected = f"the JSON state of a {kind.__name__} generator (numpy's bit_generator.state)"
        if text.shape != () or text.dtype.kind != "U":
            raise StateError("rng_state", f"is {_described(text)}; expected {expected}")
        try:
            kind().state = json.loads(str(text))  # a spare generator: nothing changes yet
        except (ValueError, TypeError, KeyError, OverflowError) as e:
            detail = f"missing {e}" if isinstance(e, KeyError) else " ".join(str(e).split())[:100]
            raise StateError("rng_state", f"is not {expected} ({detail})") from None

    def load_state_dict(self, state: dict[str, Any]) -> None:
        """Restore a ``state_dict()`` (the network must have the same architecture).

        The state is checked first (``check_state``): a bad one raises StateError and leaves
        the trainer as it was.
        """
        self.check_state(state)
        self.epoch = int(state["epoch"])
        self.batch = int(state["batch"])
        self.order = np.asarray(state["order"], dtype=np.intp) if self.batch > 0 else None
        self.cost_sum = float(state["cost_sum"])
        self.correct = float(state["correct"])
        self._counted = self.batch * self.batch_size
        self.elapsed = float(state["elapsed"])
        self.rng.bit_generator.state = json.loads(str(state["rng_state"]))
        self.best_cost = float(state["best_cost"])
        self.best_epoch = None if int(state["best_epoch"]) < 0 else int(state["best_epoch"])
        self.bad_epochs = int(state["bad_epochs"])
        self.stopped_early = bool(state["stopped_early"])
        params = self._params()
        for i, p in enumerate(params):
            p[...] = state[f"param{i}"]
        self.last_params = None
        self.best_params = [np.array(state[f"best{i}"]) for i in range(len(params))] if "best0" in state else None
        self.optimizer.load_state({k[4:]: v for k, v in state.items() if k.startswith("opt_")})
        columns = [state[f"hist_{name}"] for name in STAT_FIELDS]
        self.history = []
        for row in zip(*columns):
            values = {name: (None if math.isnan(v) else float(v)) for name, v in zip(STAT_FIELDS, row)}
            values["epoch"] = int(values["epoch"])  # type: ignore[arg-type]
            values["learning_rate"] = float(row[STAT_FIELDS.index("learning_rate")])
            self.history.append(EpochStats(**values))  # type: ignore[arg-type]


def check_position(state: dict[str, Any]) -> tuple[int, int]:
    """The scalar entries of a trainer state that need no trainer to check; returns
    (epochs finished, batches done in the next epoch).

    Raises:
        StateError: an entry missing, of the wrong type, or out of its range.
    """
    epoch = _whole(state, "epoch", "the epochs finished")
    batch = _whole(state, "batch", "the batches done in the current epoch")
    _real(state, "cost_sum")
    elapsed = _real(state, "elapsed")
    if elapsed < 0:
        raise StateError("elapsed", f"is {elapsed}; expected seconds >= 0")
    best_cost = _entry(state, "best_cost")
    if best_cost.shape != () or best_cost.dtype.kind not in "fiu" or np.isnan(best_cost):
        raise StateError("best_cost", f"is {_described(best_cost)}; expected a number (inf before "
                                      "the first watched epoch)")
    best_epoch = _entry(state, "best_epoch")
    if best_epoch.shape != () or best_epoch.dtype.kind not in "iu" or not (
            int(best_epoch) == -1 or 1 <= int(best_epoch) <= epoch):
        raise StateError("best_epoch", f"is {_described(best_epoch)}; expected -1 (none yet) or an "
                                       f"epoch from 1 to {epoch}")
    _whole(state, "bad_epochs", "epochs without improvement")
    stopped = _entry(state, "stopped_early")
    if stopped.shape != () or stopped.dtype.kind != "b":
        raise StateError("stopped_early", f"is {_described(stopped)}; expected True or False")
    return epoch, batch


def _described(a: np.ndarray) -> str:
    """A short description of an unexpected entry for a message."""
    if a.size <= 4 and a.dtype.kind in "biufU":
        return shown(a.tolist())
    return f"an array of {a.dtype} with shape {a.shape}"


def _entry(state: dict[str, Any], key: str) -> np.ndarray:
    if key not in state:
        raise StateError(key, "is missing")
    return np.asarray(state[key])


def _whole(state: dict[str, Any], key: str, meaning: str) -> int:
    a = _entry(state, key)
    if a.shape != () or a.dtype.kind not in "iu" or int(a) < 0:
        raise StateError(key, f"is {_described(a)}; expected a whole number >= 0 ({meaning})")
    return int(a)


def _real(state: dict[str, Any], key: str) -> float:
    a = _entry(state, key)
    if a.shape != () or a.dtype.kind not in "fiu" or not np.isfinite(a):
        raise StateError(key, f"is {_described(a)}; expected a finite number")
    return float(a)


def _check_finite(key: str, a: np.ndarray, shape: tuple[int, ...], why: str) -> None:
    if a.dtype.kind not in "fiu":
        raise StateError(key, f"has dtype {a.dtype}; real numbers are required")
    if a.shape != shape:
        raise StateError(key, f"has shape {a.shape}, expected {shape} {why}")
    if a.dtype.kind == "f" and not np.all(np.isfinite(a)):
        at = tuple(int(i) for i in np.argwhere(~np.isfinite(a))[0])
        raise StateError(key, f"at {list(at)} is {a[at]}; a checkpoint's numbers must be finite")


def _check_arrays(state: dict[str, Any], prefix: str, shapes: list[tuple[int, ...]], names: list[str],
                  why: str, required: bool) -> None:
    """``{prefix}0`` … one per parameter, with its shape and finite (all or, unless ``required``,
    none of them), and no more."""
    keys = [f"{prefix}{i}" for i in range(len(shapes))]
    extra = sorted((k for k in state if k.startswith(prefix) and k[len(prefix):].isdigit()
                    and k not in keys), key=lambda k: int(k[len(prefix):]))
    if extra:
        raise StateError(extra[0], f"is one array too many: {why} has {len(shapes)} parameter arrays "
                                   f"({prefix}0 to {prefix}{len(shapes) - 1})")
    if not required and not any(k in state for k in keys):
        return
    for key, shape, name in zip(keys, shapes, names):
        if key not in state:
            raise StateError(key, f"is missing ({name}; {why} needs {prefix}0 to {prefix}{len(shapes) - 1})")
        _check_finite(key, np.asarray(state[key]), shape, f"({name} for {why})")


def _check_setting(net: Network, settings: Any, train_set: Dataset, test_set: Dataset | None,
                   val_set: Dataset | None) -> Any:
    """What a config file's checks and ``experiment.prepare`` ensure for ``backprop train``, for a
    Trainer built in Python: ConfigError for settings a config could not hold (η ≤ 0, batch size
    0, ...), an L2 λ other than the network's (which would be ignored) or early stopping with no
    held-out set to watch (it would never stop), InputError for data sets
    that do not fit the network (or no training examples) instead of numpy's errors mid-run.
    Returns the settings to train with: a TrainingConfig as checked (``check_training``: a
    batch size of 2.0 passes its check, and is 2), other settings objects as given."""
    from .config import TrainingConfig, check_training

    if isinstance(settings, dict) or not all(hasattr(settings, f) for f in TrainingConfig.__dataclass_fields__):
        missing = "" if isinstance(settings, dict) else next(
            f" (it has no {f!r})" for f in TrainingConfig.__dataclass_fields__ if not hasattr(settings, f))
        raise ConfigError(f"settings: a {type(settings).__name__}{missing}; expected a config.TrainingConfig, e.g. "
                          "TrainingConfig(learning_rate=0.5, epochs=100), TrainingConfig(**d) for a dict d of "
                          "training fields, or a loaded config's .training")
    l2 = getattr(settings, "l2", 0.0)  # as given: np.float32(0.01) is the λ of Network(l2=np.float32(0.01))
    if isinstance(settings, TrainingConfig):
        settings = check_training(settings)
    if l2 and l2 != net.l2:
        raise ConfigError(
            f"training.l2: {l2:g}, but the network's own λ is {net.l2:g}, which is what is trained (its cost is "
            f"the one reported): build the network with Network(..., l2={l2:g}), or Network.from_config(config)")
    dtype = getattr(settings, "dtype", "float64")  # the default says nothing: a float32 network trains as it is
    if dtype != "float64" and dtype != net.dtype.name:  # it trained in float64, silently
        raise ConfigError(
            f"training.dtype: {dtype}, but the network is {net.dtype.name}, which is what is trained: build it with "
            f"Network(..., dtype={dtype!r}), or Network.from_config(config), or cast a copy: net = net.astype({dtype!r})")
    for name, ds in (("train_set", train_set), ("test_set", test_set), ("val_set", val_set)):
        if ds is None and name != "train_set":
            continue
        X, Y = getattr(ds, "X", None), getattr(ds, "Y", None)
        if not isinstance(X, np.ndarray) or not isinstance(Y, np.ndarray):
            raise InputError(f"{name}: a {type(ds).__name__}; expected a data.Dataset (its X and Y one example "
                             "per row)")
        layers = "-".join(map(str, net.sizes))
        if X.shape[1] != net.sizes[0] or Y.shape[1] != net.sizes[-1]:
            raise InputError(f"{name}: X has {plural(X.shape[1], 'column')} and Y {Y.shape[1]}, but the {layers} "
                             f"network has {plural(net.sizes[0], 'input')} and {plural(net.sizes[-1], 'output')}")
        if name == "train_set" and X.shape[0] == 0:
            raise InputError("train_set: no examples; training needs at least one")
        row = first_target_beyond_unit(net.cost_fn.name, Y, net.activations[-1].name)  # once per Trainer, not per step
        if row is not None:
            where = ds.row_name(row) if hasattr(ds, "row_name") else f"row {row}"
            raise InputError(beyond_unit_message(f"{name}: Y {where}", Y, row, net.activations[-1].name))
    if getattr(settings, "early_stopping", False) and test_set is None and val_set is None:
        # as a config with no held-out split is refused: it would never stop, nor keep a best epoch
        raise ConfigError("training.early_stopping: needs a held-out cost to watch; pass a val_set or a test_set")
    return settings


def _check_rng(rng: Any, settings: Any, n_train: int) -> None:
    """ConfigError for an ``rng`` that cannot shuffle (an int seed, None) when the settings shuffle
    (``shuffle`` on, batches smaller than the training set): it failed mid-run with numpy's
    AttributeError, or, for None, trained in the data's order with ``shuffle`` on."""
    batch_size = settings.batch_size
    if not settings.shuffle or batch_size is None or batch_size >= n_train or hasattr(rng, "permutation"):
        return
    given = "None" if rng is None else shown(rng)  # np.int64(3) as 3, as every message shows numbers
    raise ConfigError(f"rng: {given}, but training.shuffle is on (batches of {batch_size} of {n_train} "
                      "examples): pass a numpy Generator, np.random.default_rng(seed), or shuffle=False "
                      "to visit the examples in their order")


def train(
    net: Network,
    train_set: Dataset,
    test_set: Dataset | None,
    *,
    learning_rate: float,
    epochs: int,
    batch_size: int | None,
    shuffle: bool,
    rng: np.random.Generator,
    callback: Callable[[EpochStats], None] | None = None,
) -> TrainResult:
    """Plain mini-batch SGD in one call (the seeds' rule, no extras)."""
    from .config import TrainingConfig

    settings = TrainingConfig(learning_rate=learning_rate, epochs=epochs, batch_size=batch_size, shuffle=shuffle)
    return Trainer(net, train_set, test_set, settings, rng).run(callback)


#: The largest learning rate ``smaller_rate`` suggests: above it a tenth of a huge η (1e+300) was
#: still absurd (--lr 1e+299); the shipped configs train with η from 0.05 to 2.
MAX_SUGGESTED_RATE = 1.0


def smaller_rate(learning_rate: float) -> float:
    """The learning rate to suggest after ``learning_rate`` proved too large: a tenth of it, at
    most ``MAX_SUGGESTED_RATE``, to 2 significant digits (0.0333333 is 0.033). Format it with
    ``:g``: 0.1, 0.033, 1, 1e-05."""
    return float(f"{min(learning_rate / 10, MAX_SUGGESTED_RATE):.2g}")


#: The smallest learning rate ``decay_advice`` suggests to bring η·λ below 2: where 1/λ is smaller
#: (λ = 1e10), only a smaller λ is suggested.
MIN_SUGGESTED_RATE = 1e-6


def _round_down(x: float) -> float:
    """``x`` > 0 rounded down to one significant digit, the value as ``:g`` prints it (0.0333 is 0.03,
    1 is 1, 0.5 is 0.5): never above ``x``."""
    exp = math.floor(math.log10(x))
    for e in (exp + 1, exp, exp - 1):  # log10 may be off by one at a power of ten
        for digit in range(9, 0, -1):
            if (value := float(f"{digit}e{e}")) <= x:
                return value
    return x  # not reached


def decay_product(learning_rate: float, l2: float) -> str:
    """η·λ to 3 digits, computed in log space where the product overflows (2e+308, never 'inf')."""
    product = learning_rate * l2
    if math.isfinite(product):
        return f"{product:.3g}"
    e = math.log10(learning_rate) + math.log10(l2)
    mantissa, exp = 10.0 ** (e - math.floor(e)), math.floor(e)
    return f"{mantissa:.3g}e+{exp}"


def decay_advice(learning_rate: float, l2: float, optimizer: str = "sgd") -> tuple[str, str] | None:
    """(why, what to do) where plain SGD's weight decay alone makes the weights grow: η·λ above 2, the
    factor of w ← (1 − ηλ) w − η ∂C0/∂w being below −1, whatever the data; else None (and for
    momentum and adam, whose steps are not that factor). ``why`` names η·λ (readably: 2e+308, not inf);
    ``what to do`` a λ below 2/η (a round one at most 1/η) and, where it is a sensible one (at least
    ``MIN_SUGGESTED_RATE``), a learning rate below 2/λ (a round one at most 1/λ and at most
    ``MAX_SUGGESTED_RATE``): each makes η·λ at most 1."""
    if optimizer != "sgd" or not l2 > 0 or not learning_rate * l2 > 2:
        return None
    why = (f"training.l2 = {l2:g} is too large for η = {learning_rate:g}: η·λ = {decay_product(learning_rate, l2)}, "
           "above 2, where the weight decay alone, w ← (1 − ηλ) w, makes the weights grow whatever the data")
    todo = f"lower training.l2 below 2/η = {2 / learning_rate:.3g} (e.g. --set training.l2={_round_down(1 / learning_rate):g})"
    rate = _round_down(min(1 / l2, MAX_SUGGESTED_RATE))
    if rate >= MIN_SUGGESTED_RATE:
        todo += f", or the learning rate below 2/λ = {2 / l2:.3g} (e.g. --lr {rate:g})"
    return why, todo


def diverged(net: Network, epoch: int, learning_rate: float, penalty: bool = False,
             cost: float = math.nan, before_any_step: bool = False, optimizer: str = "sgd") -> DivergedError:
    """The error for a NaN/infinite cost, naming the epoch and the first layer that blew up;
    ``penalty``: it was the L2 penalty (λ/2) Σ‖w‖² that overflowed, the data's cost being finite;
    ``cost``: the non-finite cost seen (a diverged run's metrics.csv writes it for its last epoch);
    ``before_any_step``: the cost was NaN or infinite on the weights as training got them, before its
    first step (huge given weights, or inputs; with ``penalty``, their L2 penalty): no learning rate is
    to blame, and none is suggested. ``optimizer``: the run's (plain SGD's η·λ above 2 names training.l2:
    ``decay_advice``)."""
    params = [(f"w^({l})", w) for l, w in enumerate(net.weights, 1)] + [
        (f"b^({l})", b) for l, b in enumerate(net.biases, 1)]
    bad = [l for l, (w, b) in enumerate(zip(net.weights, net.biases), 1)
           if not (np.isfinite(w).all() and np.isfinite(b).all())]
    if bad:
        where = f"; the parameters of layer {bad[0]} blew up first (no longer finite)"
    else:
        name, p = max(params, key=lambda item: float(np.abs(item[1]).max()))
        where = f"; the largest parameters are {name}'s (|{name[0]}| up to {np.abs(p).max():.3g})"
    if before_any_step and penalty:  # (λ/2) Σ‖w‖² of the weights as given overflows, whatever η
        largest = max(float(np.abs(p).max()) for _, p in params)
        with np.errstate(over="ignore"):
            half_sq = 0.5 * sum(float(np.vdot(w, w)) for w in net.weights)
        if math.isfinite(half_sq):  # ½Σ‖w‖² is a number: only λ times it overflows, λ is to blame
            return DivergedError(
                f"training could not start: training.l2 = {net.l2:g} is too large: the L2 penalty λ·½Σ‖w‖² is "
                f"infinite on the initial weights (½Σ‖w‖² = {half_sq:.3g}, |w| up to {largest:.3g}) before the "
                "first step, so the learning rate plays no part",
                hint=f"lower training.l2, keeping η·λ well below 1 (η = {learning_rate:g}: λ well below "
                     f"{1 / learning_rate:.3g}, e.g. --set training.l2={_round_down(0.1 / learning_rate):g}), "
                     "or train without the penalty (training.l2: 0)",
                epoch=epoch,
                cost=float(cost),
                before_any_step=True,
                fields=("training.l2",),
            )
        return DivergedError(
            f"training could not start: the L2 penalty (λ/2) Σ‖w‖² (λ = {net.l2:g}) is already infinite before "
            f"the first step, on the initial weights (|w| up to {largest:.3g}), so the learning rate plays no "
            "part: the initial weights are too large",
            hint="give smaller initial weights (network.weights, or leave them out for network.init to draw "
                 "them), or train without the penalty (training.l2: 0)",
            epoch=epoch,
            cost=float(cost),
            before_any_step=True,
            fields=("network.weights",),
        )
    if before_any_step:  # "try --lr 0.01" could not help: the weights had not moved yet
        largest = max(float(np.abs(p).max()) for _, p in params)
        return DivergedError(
            f"training could not start: the cost is already NaN or infinite before the first step, on the initial "
            f"weights (|w|, |b| up to {largest:.3g}), so the learning rate plays no part: the initial weights or "
            "the inputs are too large, and the forward pass or the cost overflows",
            hint="give smaller initial weights (network.weights and network.biases, or leave them out for "
                 "network.init to draw them), or scale the inputs down (data.standardize: true)",
            epoch=epoch,
            cost=float(cost),
            before_any_step=True,
            fields=("network.weights", "network.biases"),
        )
    hint = f"try a smaller learning rate than {learning_rate:g} (e.g. --lr {smaller_rate(learning_rate):g})"
    if penalty:
        where += f"; the L2 penalty (λ/2) Σ‖w‖² (λ = {net.l2:g}) overflowed while the data's cost stayed finite"
        hint = f"lower training.l2 or the learning rate (e.g. --lr {smaller_rate(learning_rate):g})"
    decay = decay_advice(learning_rate, net.l2, optimizer)
    if decay is not None:  # a huge λ blows the weights up (then the data's cost) as well as the penalty
        return DivergedError(
            f"training diverged at epoch {epoch:,}: {decay[0]}; the cost became NaN or infinite{where}",
            hint=decay[1],
            epoch=epoch,
            cost=float(cost),
        )
    return DivergedError(
        f"training diverged at epoch {epoch:,}: the cost became NaN or infinite{where}",
        hint=hint,
        epoch=epoch,
        cost=float(cost),
    )
