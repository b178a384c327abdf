"""Rendering of ``backprop train``: live progress, the final summary, its JSON."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from rich.console import Console, Group
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from ..experiment import Experiment
from ..training import (STUCK_ROWS, EpochStats, StuckLayer, TrainResult, cost_growth, decay_advice,
                        at_rest, schedule_stopped, schedule_warning, smaller_rate, stalled, stuck_units,
                        unmoved, vanished_rate)
from ..wording import optimizer_name, plural, rate_text, settings_text
from . import NARROW_FRAME, OK, RESULT, SUB_ROW, WARN_STRONG, as_written, fit_columns, print_parts, soft_wrap, stacked

#: The progress bar's styles, rich's own replaced: its pink bar became bright red in 16 colours
#: (red is for failures), its green finished bar the same grey as the empty track (the final
#: frame, "3000/3000", read as a bar that never started), and its track near-black in 256.
#: The part done is in the terminal's own colour, bold (as results are), green once finished (as
#: a pass is); the track is the palette's grey, mid between a dark and a light background.
BAR_STYLES = {"style": "bright_black", "complete_style": RESULT, "finished_style": OK, "pulse_style": RESULT}


def _fmt(v: float | None, pct: bool = False) -> str:
    if v is None:
        return "—"
    return f"{100 * v:.1f}%" if pct else f"{v:.6g}"


#: Width of a cost figure in the progress lines: the widest ``.6g`` of a cost (0.000836509,
#: 1.23457e-05), so that the columns after it stay put from line to line (a projected log).
COST_WIDTH = 11


def epoch_parts(s: EpochStats, epochs: int) -> list[str]:
    """The figures of one plain progress line: ``epoch  200/2000``, ``train cost 0.2481``, …,
    each but the last padded to a fixed width, so that lines of a log line up."""
    width = len(str(epochs))
    parts = [f"epoch {s.epoch:>{width}}/{epochs}", f"train cost {s.train_cost:<{COST_WIDTH}.6g}"]
    if s.train_accuracy is not None:
        parts.append(f"train acc {_fmt(s.train_accuracy, True):>6}")
    if s.val_cost is not None:
        parts.append(f"val cost {s.val_cost:<{COST_WIDTH}.6g}")
    if s.val_accuracy is not None:
        parts.append(f"val acc {_fmt(s.val_accuracy, True):>6}")
    if s.test_cost is not None:
        parts.append(f"test cost {s.test_cost:<{COST_WIDTH}.6g}")
    if s.test_accuracy is not None:
        parts.append(f"test acc {_fmt(s.test_accuracy, True):>6}")
    parts[-1] = parts[-1].rstrip()  # no trailing blanks
    return parts


class TrainProgress:
    """The trainer's callback: a rich progress bar on a terminal, plain lines otherwise.

    Plain mode prints every ``every`` epochs (default: about ten lines per run)
    and always the first and the last epoch trained: the last of ``epochs``, or, printed as the
    progress ends, the one a run stopped at early, on Ctrl-C or SIGTERM, or before it diverged.
    """

    def __init__(
        self, console: Console, epochs: int, bar: bool, every: int | None = None, start: int = 0
    ) -> None:
        self.console = console
        self.epochs = epochs
        self.every = every or max(1, math.ceil(epochs / 10))
        self.unprinted: EpochStats | None = None  # the last epoch reported, if its line is not printed
        self.progress: Progress | None = None
        if bar:
            self.progress = Progress(
                TextColumn("[bold]training"),
                BarColumn(**BAR_STYLES),
                MofNCompleteColumn(),
                TextColumn("cost {task.fields[cost]}"),
                TimeElapsedColumn(),
                console=console,
                transient=False,
            )
            self.task = self.progress.add_task("train", total=epochs, completed=start, cost="…")

    def __enter__(self) -> TrainProgress:
        if self.progress is not None:
            self.progress.start()
        return self

    def __exit__(self, kind: Any, *exc: Any) -> None:
        if self.progress is not None:
            self.progress.stop()
        # A run stopped early (or on Ctrl-C/SIGTERM, or diverging in the next epoch) ended between two
        # lines: the log ended at `epoch 100/500` for a run trained to 138. Not after an error of the
        # output itself (a closed pipe, a full disk), which a line would only repeat.
        from ..errors import DivergedError

        if self.unprinted is not None and (kind is None or issubclass(kind, DivergedError)):
            self._print(self.unprinted)

    def __call__(self, s: EpochStats) -> None:
        if self.progress is not None:
            self.progress.update(self.task, completed=s.epoch, cost=f"{s.train_cost:.5g}")
        elif s.epoch % self.every == 0 or s.epoch == self.epochs or s.epoch == 1:
            self._print(s)
        else:
            self.unprinted = s

    def _print(self, s: EpochStats) -> None:
        self.unprinted = None
        # a log keeps one line per epoch; a terminal breaks it between figures, never in one
        print_parts(self.console, epoch_parts(s, self.epochs), "  ", "  ", highlight=False, markup=False)


def summary_dict(exp: Experiment, result: TrainResult, out_dir: Path | None,
                 before: tuple[float, int] | None = None, saved: bool = True, resumed: int = 0) -> dict[str, Any]:
    """The final summary as plain JSON-able data (the ``--json`` object); ``before`` and ``resumed`` as for
    ``warnings``; ``saved``: False when the run in ``out_dir`` had nothing left to train (its
    files were left as they were: "saved" false, as without --out). A figure that is not finite (a test cost that overflows on a row of huge inputs
    while the training split trains) is None: JSON has no Infinity or NaN."""
    cfg = exp.config
    figures = {
        "config": cfg.source,
        "network": exp.net.describe(),
        "layers": list(exp.net.sizes),
        "cost_function": cfg.cost,
        "l2": exp.net.l2,  # λ: the costs below include (λ/2) Σ‖w‖², "l2_penalty"
        "l2_penalty": exp.net.penalty(),  # of the weights the figures are on (0.0 when λ is 0)
        "task": exp.train.task,
        "epochs": result.epochs,
        "learning_rate": cfg.training.learning_rate,  # as configured: η0 of a schedule
        "schedule": cfg.training.schedule,
        "final_learning_rate": result.history[-1].learning_rate if result.history else cfg.training.learning_rate,
        "batch_size": cfg.training.batch_size or "full",  # as configured (may exceed n_train)
        "batch_size_used": "full" if _batch(exp) == "full" else int(_batch(exp)),  # as trained
        "n_train": exp.train.n_samples,
        "n_test": exp.test.n_samples if exp.test is not None else 0,
        "n_val": exp.val.n_samples if exp.val is not None else 0,
        "train_cost": result.train_cost,
        "test_cost": result.test_cost,
        "train_accuracy": result.train_accuracy,
        "test_accuracy": result.test_accuracy,
        "val_cost": result.val_cost,
        "val_accuracy": result.val_accuracy,
        "seconds": result.seconds,
        "optimizer": cfg.training.optimizer,
        "nesterov": cfg.training.optimizer == "momentum" and bool(cfg.training.nesterov),  # Nesterov's momentum
        "dtype": cfg.training.dtype,  # the training arithmetic's (a float32 run was said nowhere)
        "stopped_early": result.stopped_early,
        "best_epoch": result.best_epoch,
        "out": str(out_dir) if out_dir is not None else None,
        "saved": out_dir is not None and saved,  # the run's files written in "out" by this command
        "cost_before_training": before[0] if before is not None and math.isfinite(before[0]) else None,
        "warnings": warnings(exp, result, before, resumed),
    }
    return {k: None if isinstance(v, float) and not math.isfinite(v) else v for k, v in figures.items()}


#: The row under the cost with training.l2 (λ > 0): the penalty's share of each split's cost.
PENALTY_LABEL = "of which L2 penalty (λ/2)Σ‖w‖²"


def cost_label(cost: str, l2: float) -> str:
    """``cost (cross_entropy)``, or ``cost (cross_entropy + L2)`` when λ > 0: the costs reported
    then include the penalty (λ/2) Σ‖w‖² (an MSE of 0.0243 beside a cost of 0.0358 was a puzzle)."""
    return f"cost ({cost} + L2)" if l2 else f"cost ({cost})"


def _batch(exp: Experiment) -> str:
    """The batch size as trained: "full" when one batch holds the whole training split."""
    bs, n = exp.config.training.batch_size, exp.train.n_samples
    return "full" if bs is None or bs >= n else str(bs)


def _rate(exp: Experiment, result: TrainResult) -> str:
    """The optimizer, η and the settings not at their defaults, e.g. ``sgd η = 0.3, λ = 0.01`` or
    ``momentum (Nesterov) η = 0.3 → 0.0375 (step schedule), μ = 0.95``."""
    t = exp.config.training
    final = result.history[-1].learning_rate if result.history else None
    return f"{optimizer_name(t.optimizer, t.nesterov)} {rate_text(t.learning_rate, t.schedule, final)}{settings_text(t)}"


def _stuck_text(stuck: tuple[StuckLayer, ...]) -> str:
    """Why a stalled run's gradients vanished, from the units measured stuck on the final weights: "the
    first steps likely drove units where their gradients vanish (all 8 relu units of layer 1 dead, …)"."""
    if not stuck:
        return "the first steps likely drove units where their gradients vanish"
    return (f"the first steps likely drove units where their gradients vanish ({_stuck_parts(stuck)}: σ'(z) ≈ 0 on "
            f"{STUCK_ROWS:.0%} or more of the training rows)")


def _stuck_parts(stuck: tuple[StuckLayer, ...] | list[StuckLayer]) -> str:
    """"all 8 relu units of layer 1 dead and the sigmoid unit of layer 2, the output, saturated"."""
    parts = []
    for s in stuck:
        count = (f"the {s.activation} unit" if s.units == 1 else f"all {s.units} {s.activation} units"
                 if s.stuck == s.units else f"{s.stuck} of {s.units} {s.activation} units")
        where = f"layer {s.layer}, the output," if s.output else f"layer {s.layer}"
        parts.append(f"{count} of {where} {'dead' if s.dead else 'saturated'}")
    return " and ".join(parts)


def warnings(exp: Experiment, result: TrainResult, before: tuple[float, int] | None,
             resumed: int = 0) -> list[str]:
    """What the summary warns about, without "warning: ". ``before``: ``cost_before_training``'s
    (cost, rows measured), None when unknown (a resumed run); ``resumed``: the epochs a ``--resume``'s
    checkpoint had finished (0: a new run). The schedule that takes η to ~0 is warned of where the
    epochs this command trained reached the epoch it does so (``schedule_warning``): not after early
    stopping before it, nor on a resume that started past it (said then); a resume's with only the fix
    still open once those epochs are trained, a new run (not fewer --epochs, said before training)."""
    from ..experiment import target_range_warning

    unreachable = target_range_warning(exp.config, exp.train)  # also on stderr before training
    vanished = vanished_rate(exp.config.training)
    vanishing = (schedule_warning(exp.config.training, resumed, trained=True)
                 if vanished is not None and vanished[0] <= result.epochs else None)
    out = [w for w in (unreachable, vanishing) if w is not None]
    grew = cost_growth(result, None if before is None else before[0],
                       every_row=before is not None and before[1] >= exp.train.n_samples)
    if grew is not None:
        start, when = grew
        if when == "before training" and before is not None and before[1] < exp.train.n_samples:
            when += f" (on {before[1]:,} of its {exp.train.n_samples:,} examples)"
        t = exp.config.training
        decay = decay_advice(t.learning_rate, t.l2, t.optimizer)  # η·λ above 2: λ is as much to blame as η
        advice = (f"{decay[0]}: {decay[1]}" if decay is not None else
                  f"η = {t.learning_rate:g} is likely too large (try --lr {smaller_rate(t.learning_rate):g})")
        out.append(f"the training cost grew from {start:.4g} {when} to {result.train_cost:.4g}: {advice}"
                   + _NEW_RUN * bool(resumed))
    elif (stall := stalled(result, exp.net, exp.train, None if before is None else before[0])) is not None:
        # digits at η = 50: stuck at 1.79972 and 10% accuracy from epoch 2, exit 0 without a word
        eta = exp.config.training.learning_rate
        if stall.accuracy is not None:
            at = "above" if stall.above_constant else "at"
            level = (f"the train accuracy, {_fmt(stall.accuracy, True)}, is at chance level (the largest class "
                     f"is {_fmt(stall.chance, True)} of the training rows), its cost {at} the {stall.constant:.4g} "
                     f"of always answering the class shares")
        else:
            level = (f"the network does no better than a constant output, the training targets' mean (its cost: "
                     f"{stall.chance:.4g})")
        why = f"{_stuck_text(stall.stuck)}; η = {eta:g} is likely too large (try --lr {smaller_rate(eta):g})"
        # a schedule that took η to ~0 (γ = 1e-320 every epoch) stops the cost too: with no unit stuck, η0 is
        # not to blame ("η = 2 is likely too large" it said, beside "η = 2 → 0 (step schedule)")
        if (spent := schedule_stopped(result, stall.since, exp.config.training)) is not None:
            rate, fix = spent
            if vanishing is not None:  # said below with what it did, and the same fix: once is enough
                out.remove(vanishing)
            schedule = exp.config.training.schedule
            why = (f"{why}, and the {schedule} schedule had taken η to {rate:.3g} by epoch {stall.since:,}, too small "
                   f"to move them back: {fix}" if stall.stuck else
                   f"the {schedule} schedule is the likely cause, η having fallen from {eta:g} to {rate:.3g} by epoch "
                   f"{stall.since:,}, too small to move the weights: {fix}")
        out.append(f"the training cost stopped moving at epoch {stall.since:,} ({stall.start:.4g} {stall.start_when}, "
                   f"{stall.cost:.6g} from then on) and {level}: {why}" + _NEW_RUN * bool(resumed))
    elif (still := unmoved(result, None if before is None else before[0])) is not None:
        # η = 1e-20 (or 1e-320) trained 50 epochs at 0.274747 throughout, exit 0 without a word
        start, when = still
        dead = [s for s in stuck_units(exp.net, exp.train) if s.stuck == s.units]
        given = exp.config.network.weights is not None or exp.config.network.biases is not None
        if dead:
            why = (f"the gradients vanish ({_stuck_parts(dead)}: σ'(z) ≈ 0 on {STUCK_ROWS:.0%} or more of the "
                   f"training rows): try other initial weights "
                   f"({'network.weights and network.biases' if given else 'another seed or init'})")
        elif at_rest(exp.net, exp.train):  # at (or a hair from) a least-squares fit: nothing for η to move
            why = None
        else:
            eta = exp.config.training.learning_rate
            why = f"η = {eta:g} is likely far too small to move the weights"
        if why is not None:
            out.append(f"the training cost did not move in {result.epochs:,} epochs ({start:.6g} {when}, "
                       f"{result.train_cost:.6g} at the end): {why}" + _NEW_RUN * bool(resumed))
    # a held-out row whose cost overflows (inputs of 1e160 where the training rows' are ~1) made the
    # table read "inf" with no word of why, where evaluate refuses the row naming it
    for split, cost, named in (("validation", result.val_cost, ""),
                               ("test", result.test_cost, "; backprop evaluate on the saved model names it")):
        if cost is not None and math.isinf(cost):
            out.append(f"the {split} cost is {cost}: the cost of a {split} row overflows (its inputs or target far "
                       f"beyond the training rows'?){named}")
    return out


#: After a resumed run's advice to change η, λ or the schedule: a resume refuses a changed config ("cannot resume:
#: the config differs from the checkpoint's"), so the change is a new run's.
_NEW_RUN = "; a resume keeps the run's settings: change them in a new run (--overwrite)"


#: How the line under the summary's table begins: the last epoch's train cost above (its progress line, or on a
#: terminal the bar's and the curve's) is not the table's.
LAST_LINE_NOTE = "the last epoch's train cost above,"
#: How it begins when only the last epoch line's train accuracy differs from the table's.
LAST_ACCURACY_NOTE = "the last epoch's train accuracy above,"


def _last_epoch_note(exp: Experiment, result: TrainResult, last: EpochStats | None, epoch_lines: bool) -> str | None:
    """The line under the table saying why the last epoch's train cost above (and, in the epoch lines, its
    train accuracy) differ from the table's, on the final weights; None where they agree as shown."""
    if last is None or last.epoch != result.epochs:
        return None
    full = _batch(exp) == "full"
    cost = _fmt(last.train_cost) != _fmt(result.train_cost)
    acc = (epoch_lines and last.train_accuracy is not None and result.train_accuracy is not None
           and _fmt(last.train_accuracy, True) != _fmt(result.train_accuracy, True))
    shown_acc = _fmt(last.train_accuracy, True)
    if not cost:
        if not acc:
            return None
        when = "was measured before the epoch's step" if full \
            else "counts each batch's predictions during the epoch, before its step"
        return f"{LAST_ACCURACY_NOTE} {shown_acc}, {when}"
    when = "was measured before the epoch's step" if full else "is the mean during the epoch, each batch before its step"
    if exp.net.l2:  # the penalty is the end-of-epoch weights' (the 0.324174 read as the write-up's 0.326621)
        when += ", plus the L2 penalty of the weights at the epoch's end"
    if acc:
        when += (f"; its train accuracy, {shown_acc}, too" if full else
                 f"; its train accuracy, {shown_acc}, likewise counts each batch's predictions before its step")
    return f"{LAST_LINE_NOTE} {_fmt(last.train_cost)}, {when}"


def _summary_stacked(title: str, splits: list[tuple[str, int]], rows: list[tuple[str, list[str], str | None]],
                     width: int) -> Group:
    """The summary's table too wide for ``width`` even without borders (a validation split, costs of
    1.23457e-05): each split on lines of its own, ``train: 120 examples · cost (cross_entropy)
    0.0502584 · accuracy 98.3%``, broken before a ``·``, as gradcheck stacks its entries."""
    body = Text()
    for i, (split, n) in enumerate(splits):
        if not n:  # no test split: nothing else to say of it
            parts = ["— (no test split)"]
        else:
            # the penalty's row as "of which L2 0.0996728": its formula put the figure on a line of its own at 40
            parts = [plural(n, "example"), *(f"{'of which L2' if label.startswith('of which') else label} {cells[i]}"
                                             for label, cells, _ in rows[1:])]
        lines = stacked(split, parts, width)
        if i:
            body.append("\n")
        body.append(lines[0][:len(split)], style="bold")
        body.append("\n".join([lines[0][len(split):], *lines[1:]]))
    return Group(Text(title, style="bold"), body)


def print_summary(console: Console, exp: Experiment, result: TrainResult, out_dir: Path | None,
                  before: tuple[float, int] | None = None, saved: bool = True, epoch_lines: bool = True,
                  resumed: int = 0) -> None:
    """The summary table printed after training; ``before`` and ``resumed`` as for ``warnings``; ``saved``: False when
    the run in ``out_dir`` had nothing left to train (its files were not written again); ``epoch_lines``:
    the progress was plain lines, which show each epoch's train accuracy (a bar shows only the cost)."""
    cfg = exp.config
    # "on the final weights": the progress lines and the curve give each epoch's cost measured before
    # its updates, a little above the summary's (0.000836509 and 0.00083593): which one is it?
    # With early stopping the weights kept are the best epoch's (118 of a run stopped at 138): said so.
    best = result.best_epoch if cfg.training.early_stopping else None
    weights = "the final weights" if best is None or best == result.epochs \
        else f"the weights of epoch {best:,} (the best)"
    title = f"training summary, on {weights}"
    splits = [("train", exp.train.n_samples, result.train_cost, result.train_accuracy)]
    if exp.val is not None:
        splits.append(("validation", exp.val.n_samples, result.val_cost, result.val_accuracy))
    n_test = exp.test.n_samples if exp.test is not None else 0
    splits.append(("test", n_test, result.test_cost, result.test_accuracy))
    rows = [("examples", [f"{n:,}" if n else "— (no test split)" for _, n, _, _ in splits], None),
            (cost_label(cfg.cost, exp.net.l2), [_fmt(cost) for _, _, cost, _ in splits], None)]
    if exp.net.l2:  # the cost 0.0358 of an MSE of 0.0243: the rest is the penalty, the same on every split
        penalty = _fmt(exp.net.penalty())
        rows.append((as_written(console, PENALTY_LABEL), [penalty if n else "—" for _, n, _, _ in splits], SUB_ROW))
    if result.train_accuracy is not None:
        rows.append(("accuracy", [_fmt(acc, True) for _, _, _, acc in splits], None))
    # boxed; else without borders (a label wrapping between its words, never a figure cut: at 40 columns
    # the label read "(cross_entr…"); else each split on lines of its own
    shown: Table | Group
    for frame in ({}, NARROW_FRAME):
        shown = table = Table(title=title, show_header=True, header_style="bold", **frame)
        table.add_column("", style="bold")
        for name, *_ in splits:
            table.add_column(name, justify="right")
        for label, cells, style in rows:
            table.add_row(label, *cells, style=style)
        if fit_columns(table, console.width):
            break
    else:
        shown = _summary_stacked(title, [(name, n) for name, n, *_ in splits], rows, console.width)
    console.print(shown)
    # The epoch lines, the bar and the curve end on the last epoch's train cost measured during it,
    # each batch before its step: 0.0553285 above a table's 0.0502584 read as a mismatch. So does the
    # epoch lines' train accuracy: 97.5% above a table's 98.3%.
    if best is None or best == result.epochs:
        note = _last_epoch_note(exp, result, result.history[-1] if result.history else None, epoch_lines)
        if note is not None:
            console.print(note, highlight=False, markup=False, soft_wrap=soft_wrap(console))
    for warning in warnings(exp, result, before, resumed):
        console.print(f"warning: {warning}", style=WARN_STRONG, highlight=False, markup=False,
                      soft_wrap=soft_wrap(console))
    if cfg.training.early_stopping:
        watched = "validation" if exp.val is not None else "test"
        how = "stopped early" if result.stopped_early else "ran all epochs"
        console.print(
            f"early stopping on the {watched} cost: {how}; kept the weights of epoch {result.best_epoch:,}",
            highlight=False, soft_wrap=soft_wrap(console),
        )
    dtype = [] if exp.config.training.dtype == "float64" else [exp.config.training.dtype]  # float32: said
    print_parts(console, [f"network {exp.net.describe()}", plural(result.epochs, 'epoch'), _rate(exp, result),
                          f"batch {_batch(exp)}", *dtype, f"{result.seconds:.2f} s"], highlight=False)
    if out_dir is not None and saved:
        console.print(f"saved model.npz, checkpoint.npz, metrics.csv, metrics.jsonl and config.yaml in {out_dir}",
                      highlight=False, markup=False, soft_wrap=soft_wrap(console))
    elif out_dir is not None:  # --resume of a run with nothing left to train: nothing was written
        console.print(f"nothing saved: the run's files in {out_dir} are left as they were",
                      highlight=False, markup=False, soft_wrap=soft_wrap(console))
