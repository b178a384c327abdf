"""``backprop plot``: a run folder's pictures as PNG files, drawn with matplotlib (optional).

``loss.png``: the train, test and (when held out) validation cost per epoch from ``metrics.csv``
(log y axis when the cost spans more than two decades), and with early stopping the epoch whose
weights were kept. ``boundary.png``, for 2-D classification data: the decision regions of the
saved model (a tint and a hatch per class) with the training points (filled), the validation
points (half-filled) and the test points (hollow), the data rebuilt from the model's stored
config. Same colours, glyph shapes and rules as the terminal pictures in ``render/plots.py``. A
run still training, interrupted or diverged has metrics (from its checkpoints) but no model: it
gets loss.png alone, and a note why. A folder whose model and
checkpoint come from two different runs is refused, rather than drawn as a mix of both.

matplotlib is the ``plot`` extra; it is imported here only, lazily, through its Agg canvas
(no pyplot, no global backend switch).
"""

import math
import shlex
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Optional

import typer

from ..names import shown
from .common import boundary, readable, stderr, typed_path, writable_folder

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from ..experiment import Experiment

MISSING_MATPLOTLIB = "backprop plot needs matplotlib: pip install matplotlib (from a checkout: pip install -e '.[plot]')"
DPI = 120
HUGE_COST = 1e100  # above this a cost is drawn on the log axis, whatever its span


def plot(
    run_dir: Annotated[
        Path,
        typer.Argument(help="A run folder written by `backprop train --out DIR` (metrics.csv, model.npz).",
                       show_default=False, metavar="RUN_DIR", parser=typed_path),
    ],
    out: Annotated[
        Optional[Path], typer.Option("--out", "-o", help="Folder for the PNG files (default: RUN_DIR); a loss.png "
                                     "and boundary.png already there are replaced.", parser=typed_path)
    ] = None,
) -> None:
    """Draw a training run as PNG files: loss.png and, for 2-D data, boundary.png.

    Says what it wrote on stderr (stdout stays empty). loss.png is the train cost (the mean during each epoch, each batch before its step), the test and (when held out) validation cost per epoch (log scale when it spans decades), with early stopping a ▲ at the epoch whose weights were kept; boundary.png the decision regions of the saved model (a tint and a hatch per class) with the training (filled), validation (half-filled) and test (hollow) points (2-D classification data only). Where early stopping kept an earlier epoch's weights, both titles say "(weights of epoch N)". A run not finished (still training or interrupted: no model.npz) gets loss.png up to its last checkpoint, a diverged one up to the epoch it diverged in.

    Needs matplotlib: pip install matplotlib (from a checkout: pip install -e '.\\[plot]').

    Example:
      [bold]backprop train configs/circles.yaml --out runs/circles[/]
      [bold]backprop plot runs/circles[/]
    """
    with boundary():
        from ..model_io import atomic_write, write_target
        from ..render import soft_wrap

        metrics, model = _run_files(run_dir)
        history = read_metrics(metrics)
        described, l2, exp, skipped, kept = _experiment(run_dir, model, history)
        out_dir = run_dir if out is None else out
        _check_out(out_dir)
        figure_cls = _matplotlib()
        if out is None:  # the run folder itself: named as such, with the way out (no --out was typed)
            writable_folder(out_dir, "", what="the run folder",
                            hint=f"draw the pictures elsewhere: backprop plot {shlex.quote(str(run_dir))} --out DIR")
        else:
            writable_folder(out_dir)
        for name in ("loss.png", "boundary.png"):  # named as typed: --out's, or the path in RUN_DIR
            write_target(out_dir / name, None if out is None else f"--out {out_dir}: {name}")

        last = max(int(e) for e in history["epoch"] if e is not None)
        weights = f" (weights of epoch {kept:,})" if kept is not None and kept != last else ""
        figures = {"loss.png": loss_figure(figure_cls, history,
                                           f"{readable(run_dir.resolve().name)}: {described}{weights}",
                                           l2=l2, best_epoch=kept)}
        if exp is not None:
            figures["boundary.png"] = boundary_figure(figure_cls, exp, weights=weights)
        console = stderr()  # what was written, not data: stdout stays empty (as for predict --out, init)
        for name, fig in figures.items():
            atomic_write(out_dir / name, _saver(fig))
            console.print(f"wrote {out_dir / name}", highlight=False, markup=False, soft_wrap=True)
        if skipped:
            stale = out_dir / "boundary.png"
            if stale.is_file():  # an earlier plot's, of another model: the folder's pictures show one run
                stale.unlink()
                skipped += f"; removed the older {stale}"
            console.print(f"no boundary.png: {skipped}", highlight=False, markup=False,
                          soft_wrap=soft_wrap(console))


# -----------------------------------------------------------------------------------------
# Reading the run


def _run_files(run_dir: Path) -> tuple[Path, Path | None]:
    """(metrics.csv, model.npz or None when the run has not finished: it is still training, or it
    was interrupted or diverged, and its checkpoints wrote the metrics so far)."""
    from ..errors import ConfigError, ModelFileError

    if str(run_dir) == "-" and not run_dir.exists():  # as a model given as '-' is told (model_io.load_model)
        raise ConfigError("-: a run folder cannot be read from standard input ('-' reads it only for a CSV of rows, "
                          "predict's INPUT_CSV and evaluate --data, and for a CONFIG); give the run's folder",
                          "backprop train CONFIG --out DIR makes one: backprop plot DIR")
    if not run_dir.exists():
        from ..model_io import missing_run_hint

        raise ConfigError(f"{run_dir}: run folder not found (make one with: backprop train CONFIG --out {shlex.quote(str(run_dir))})",
                          missing_run_hint(run_dir, ("metrics.csv", "model.npz", "checkpoint.npz")))
    if not run_dir.is_dir():
        parent = run_dir.parent
        inside = any((parent / name).is_file() for name in ("metrics.csv", "model.npz", "checkpoint.npz"))
        raise ConfigError(f"{run_dir}: is not a folder; give the folder of a run (backprop train --out DIR)",
                          f"the run folder is {parent}: backprop plot {shlex.quote(str(parent))}" if inside
                          else None)  # its model.npz, say
    metrics, model = run_dir / "metrics.csv", run_dir / "model.npz"
    from ..model_io import not_a_model_file, odd_model_hint
    from ..wording import not_a_file

    if (odd := not_a_file(metrics)) is not None:  # a folder there said 'no metrics.csv'; a FIFO would be waited on
        from ..errors import DataError

        raise DataError(f"{metrics}: is {odd}, not the metrics file loss.png is drawn from (backprop train --out "
                        "writes it, one row per epoch)", _odd_metrics_hint(run_dir, odd))
    if (odd := not_a_model_file(model)) is not None:  # not 'the run has not finished' (no model.npz), nor waited on
        raise ModelFileError(f"{model}: is {odd}, not a model .npz file", odd_model_hint(model, odd))
    if not metrics.is_file():
        from ..runs import lock_holder

        if not model.is_file() and (pid := lock_holder(run_dir)) is not None:  # a first run before its first checkpoint
            raise ModelFileError(
                f"{run_dir}: a backprop train (pid {pid}) is writing this run and has saved no epochs yet: "
                f"metrics.csv comes with its first checkpoint (--checkpoint-every, or when it ends)"
            )
        if not model.is_file():
            from ..model_io import (
                model_folder_hint,
                model_folder_kind,
                runs_inside_hint,
            )

            # `plot runs`: the folder of the runs; `train --out DIR/model.npz`'s DIR, as load_model says it
            hint = runs_inside_hint(run_dir, ("metrics.csv", "model.npz")) or model_folder_hint(run_dir)
            # its model.npz there, a run's folder: not 'no model.npz' beside 'it holds a run: DIR/model.npz'
            kind = model_folder_kind(run_dir)
            raise ModelFileError(
                f"{run_dir}: not a training run: no metrics.csv"
                + (f", and its model.npz is {kind}, not a model .npz file" if kind else " and no model.npz")
                + ("" if hint else f" (a run folder is written by backprop train CONFIG --out {shlex.quote(str(run_dir))})"),
                hint,
            )
        raise ModelFileError(
            f"{run_dir}: no metrics.csv, the per-epoch costs loss.png is drawn from "
            f"(backprop train --out writes it beside model.npz)"
        )
    return metrics, (model if model.is_file() else None)


def _odd_metrics_hint(run_dir: Path, odd: str) -> str:
    """How to get a run's metrics.csv back where that name holds a folder, a FIFO or a broken link
    (``odd``): train refuses to replace what is there, so it goes first; a ``--resume`` then writes
    the file from the checkpoint's history where the run has no model.npz yet (even with no epochs
    left), else only when it trains more epochs, which a run early stopping ended never does (it has
    nothing to train, whatever --epochs); without a checkpoint, or so ended, the run is trained again."""
    from ..runs import checkpoint_stopped_early, run_epochs

    # a link: its file put back, or the link gone and the file written anew ("restore …, or remove the link,
    # then train …" read as if restoring needed training again)
    link = odd.startswith("a broken link")
    cleared, then = ("restore the file it pointed to; or remove the link", " and") if link else ("remove it", ", then")
    config = run_dir / "config.yaml"
    named, folder = shlex.quote(str(config)) if config.is_file() else "CONFIG", shlex.quote(str(run_dir))
    again = f"backprop train {named} --out {folder} --overwrite"
    if not (run_dir / "checkpoint.npz").is_file():
        return f"{cleared}{then} train the run again: {again}"
    resume = f"backprop train {named} --out {folder} --resume"
    if not (run_dir / "model.npz").is_file():
        return f"{cleared}{then} finish the run, which writes it from its checkpoint: {resume}"
    if (stopped := checkpoint_stopped_early(run_dir / "checkpoint.npz")) is not None:
        # '--resume --epochs 301' said "nothing saved: the run's files … are left as they were"
        return (f"{cleared}{then} train the run again (early stopping ended it at epoch {stopped:,}: a resume has "
                f"nothing to train and writes nothing): {again}")
    had = run_epochs(config)  # the epochs the run was last asked for, named where its config.yaml says them
    more = f"--epochs N, N above the run's{f' {had}' if had is not None else ''}"
    return (f"{cleared}{', then' if link else ';'} a resume writes it from the run's checkpoint when it trains more "
            f"epochs ({resume} {more}), or train the run again: {again}")


def read_metrics(path: Path) -> dict[str, list[float | None]]:
    """``metrics.csv`` as columns: ``epoch``, ``train_cost``, ``test_cost``, ``val_cost``
    (None for empty cells and for columns an older file lacks).

    Epochs must be 1, 2, 3, … (one row each, as train writes them) and costs 0 or more (NaN and
    infinite costs, a diverged run's, are drawn as gaps). Every problem is a one-line DataError
    naming the file, the line and the column.
    """
    import csv

    from ..errors import DataError

    try:
        raw = path.read_bytes()
    except OSError as e:
        raise DataError(f"{path}: cannot be read ({e.strerror or e})") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:  # as a data file's (it said "cannot read ('utf-8' codec can't decode …)")
        from ..data import binary_kind

        binary = binary_kind(path)  # a binary file, a zip: said as such
        if binary is not None:
            raise DataError(f"{path}: {binary}") from None
        at = e.start + (3 if raw.startswith(b"\xef\xbb\xbf") else 0)  # utf-8-sig counts after its BOM
        line = raw.count(b"\n", 0, at) + 1
        raise DataError(f"{path}: line {line}: is not UTF-8 text (byte 0x{raw[at]:02x} cannot be decoded); "
                        "save it as UTF-8 CSV") from None
    rows = list(csv.reader(text.splitlines()))
    if not rows:
        raise DataError(f"{path}: empty file; expected a header row and one row per epoch")
    header = [h.strip() for h in rows[0]]
    for needed in ("epoch", "train_cost"):
        if needed not in header:
            raise DataError(f"{path}: line 1: no {needed} column (columns: {', '.join(header)})")
    cols: dict[str, list[float | None]] = {"epoch": [], "train_cost": [], "test_cost": [], "val_cost": []}
    for line_no, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            raise DataError(f"{path}: line {line_no}: {len(row)} cells, expected {len(header)}")
        cells = dict(zip(header, row))
        for name in cols:
            raw = cells.get(name, "").strip()
            if raw == "" and name in ("epoch", "train_cost"):
                raise DataError(f"{path}: line {line_no}: column {name}: empty cell")
            try:
                value = float(raw) if raw else None
            except ValueError:
                raise DataError(f"{path}: line {line_no}: column {name}: {shown(raw)} is not a number") from None
            if name == "epoch" and value != len(cols["epoch"]) + 1:  # train writes epochs 1, 2, 3, …
                raise DataError(f"{path}: line {line_no}: column epoch: {shown(raw)}, expected "
                                f"{len(cols['epoch']) + 1} (one row per epoch, counting from 1)")
            if name != "epoch" and value is not None and value < 0:  # NaN and inf: a diverged run's
                raise DataError(f"{path}: line {line_no}: column {name}: {shown(raw)} is negative; a cost is 0 or more")
            cols[name].append(value)
    if not cols["epoch"]:
        raise DataError(f"{path}: no epochs (only a header row)")
    return cols


def _experiment(
    run_dir: Path, model: Path | None, history: dict[str, list[float | None]] | None = None
) -> "tuple[str, float, Experiment | None, str | None, int | None]":
    """(the network's description, its L2 λ (the costs in metrics.csv include (λ/2)Σ‖w‖²), the
    saved model with its data rebuilt when boundary.png applies or None, why boundary.png does
    not apply or None, the epoch whose weights the model holds when early stopping kept an
    earlier one's or None).

    A folder's model and checkpoint must come from one run (the same config, but for what
    ``--resume`` may change); otherwise the pictures would mix two runs.
    """
    from ..errors import DataError, ModelFileError
    from ..model_io import load_model
    from ..network import Network
    from ..render.plots import boundary_unavailable
    from ..experiment import prepare
    from ..runs import CHECKPOINT, check_same_data, config_differences, trained_on, load_checkpoint

    checkpoint = run_dir / CHECKPOINT
    run_cfg, state, _ = load_checkpoint(checkpoint) if checkpoint.is_file() else (None, None, None)
    if model is None:  # true while the run is still training too (plot of a run in progress)
        if run_cfg is None and (run_dir / "config.yaml").is_file():  # a run that diverged before its first checkpoint
            from ..config import load_config
            from ..errors import ConfigError

            try:
                run_cfg = load_config(run_dir / "config.yaml")
            except (ConfigError, OSError):
                run_cfg = None
        net = Network.from_config(run_cfg) if run_cfg else None
        costs = (history or {}).get("train_cost") or [0.0]
        # train writes a diverging epoch's cost last (a folder from before, or a full disk, has none: "or diverged" below)
        if costs[-1] is not None and not math.isfinite(costs[-1]):
            epoch = (history or {}).get("epoch", [None])[-1]
            described = f"{net.describe()} (diverged)" if net else "diverged run"
            return (described, net.l2 if net else 0.0, None,
                    f"no model.npz in {run_dir}: the run diverged at epoch {epoch:,.0f}; loss.png shows its epochs "
                    f"up to that one", None)
        described = f"{net.describe()} (unfinished)" if net else "unfinished run"
        return (described, net.l2 if net else 0.0, None,
                f"no model.npz in {run_dir}: the run has not finished (it is still training, or it was "
                f"interrupted or diverged); loss.png shows its epochs up to the last checkpoint", None)
    saved = load_model(model)
    diffs = [] if run_cfg is None else config_differences(saved.config, run_cfg)
    if diffs:
        differ = ", ".join(f"{k} {shown(a)} vs {shown(b)}" for k, a, b in diffs[:3]) + (", …" if len(diffs) > 3 else "")
        raise ModelFileError(
            f"{run_dir}: model.npz and {CHECKPOINT} are from different runs ({differ}); its pictures would "
            f"mix them: train again with --out {run_dir} --overwrite, or into a new folder"
        )
    described = saved.net.describe()
    kept = _kept_epoch(saved.config, state, history)
    if saved.net.sizes[0] != 2:
        return (described, saved.net.l2, None, f"decision regions need 2 inputs; this model has {saved.net.sizes[0]}",
                kept)
    try:
        from ..evaluation import as_trained

        # a model that fit one-hot target columns as numbers (data.task: auto before Dec 2026): its data read so
        what, hint = "cannot draw boundary.png", "restore the file as it was when the run trained, or train again on the new data"
        exp = prepare(as_trained(saved.config, saved.task, saved.net.sizes[-1]), net=saved.net,
                      standardizer=saved.standardizer, digest=saved.data_digest is not None,
                      trained_on=trained_on(saved.data_digest, saved.net.sizes, what, model, hint))
        check_same_data(saved.data_digest, exp.data_digest, exp.train.source, what, model, hint)
    except DataError as e:  # moved or changed since training: loss.png needs no data, boundary.png is skipped
        return described, saved.net.l2, None, e.message + (f" ({e.hint})" if e.hint else ""), kept
    why = boundary_unavailable(exp)
    return (described, saved.net.l2, None, why, kept) if why else (described, saved.net.l2, exp, None, kept)


def _kept_epoch(config: Any, state: dict[str, Any] | None, history: dict[str, list[float | None]] | None) -> int | None:
    """The epoch whose weights a finished run's model.npz holds, when ``training.early_stopping``
    put the best epoch's back (None without early stopping, or when it cannot be told).

    The run's checkpoint.npz (a finished run keeps it) records it as ``best_epoch``; without one,
    it is found again in metrics.csv by early stopping's own rule: the first epoch whose watched
    cost (validation, else test) fell below the best so far by more than ``training.min_delta``.
    """
    if not config.training.early_stopping:
        return None
    if state is not None and "best_epoch" in state:
        best = int(state["best_epoch"])
        return best if best >= 1 else None
    if history is None:
        return None
    watched = history["val_cost"] if any(v is not None for v in history["val_cost"]) else history["test_cost"]
    best_cost, best = math.inf, None
    for epoch, cost in zip(history["epoch"], watched):
        if cost is not None and cost < best_cost - config.training.min_delta:
            best_cost, best = cost, int(epoch)  # type: ignore[arg-type]
    return best


def _check_out(out_dir: Path) -> None:
    from ..errors import ConfigError

    if out_dir.exists() and not out_dir.is_dir():
        raise ConfigError(f"--out {out_dir}: exists and is not a folder")


# -----------------------------------------------------------------------------------------
# Drawing


def _matplotlib() -> "type[Figure]":
    """matplotlib's ``Figure`` class, or the one-line error naming the extra."""
    from ..errors import BackpropError

    try:
        from matplotlib.figure import Figure
    except ImportError:
        raise BackpropError(MISSING_MATPLOTLIB) from None
    return Figure


def _saver(fig: "Figure") -> Callable[[Any], None]:
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(fig)  # the Agg canvas: a PNG with no display and no global state
    return lambda f: fig.savefig(f, format="png", dpi=DPI, bbox_inches="tight", pad_inches=0.15)


def loss_figure(
    figure_cls: "type[Figure]", history: dict[str, list[float | None]], title: str, l2: float = 0.0,
    best_epoch: int | None = None,
) -> "Figure":
    """Train, test (and validation, when the run held one out) cost per epoch; log y axis when
    the costs span more than two decades. With ``l2`` (the run's λ) not 0 the y axis says the
    costs include the L2 penalty. The train series is labelled as what it is, the mean over each
    epoch's batches, each measured before its step (test and validation are measured after the
    epoch). ``best_epoch``, the epoch whose weights early stopping kept: a vertical line with a ▲
    on the x axis (as the terminal curve's), its legend entry giving that epoch's validation and
    test costs (the summary's, where the legend's other values are the last epoch's).

    The log axis is drawn as the terminal curve draws it: log10 of the cost on a linear axis,
    labelled in powers of ten. matplotlib's own log axis overflows for a diverging run's costs
    near the largest float (~1.8e308): its margins and tick decades go past it, the axis
    collapses to 1..10, the curve vanishes and a RuntimeWarning leaks. Its linear axis fails
    there too, so costs above ``HUGE_COST`` get the log axis even when they span few decades.
    """
    from ..render.plots import TEST_COLOR, TRAIN_COLOR, VAL_COLOR, log_scale_wanted

    fig = figure_cls(figsize=(7.5, 4.5), layout="constrained")
    ax = fig.add_subplot()
    epochs, train, test, val = (history[k] for k in ("epoch", "train_cost", "test_cost", "val_cost"))
    costs = list(train) + list(test) + list(val)
    finite = [v for v in _drawn(costs) if math.isfinite(v)]
    log = log_scale_wanted(costs) or (bool(finite) and max(finite) > HUGE_COST)
    y = _log10 if log else _drawn
    _series(ax, epochs, y(train), color=TRAIN_COLOR, lw=1.4,
            label=f"train, mean during each epoch (last {_last(train)})")
    if any(v is not None for v in test):
        _series(ax, epochs, y(test), color=TEST_COLOR, lw=1.4, ls="--", label=f"test, after each epoch (last {_last(test)})")
    if any(v is not None for v in val):
        _series(ax, epochs, y(val), color=VAL_COLOR, lw=1.2, ls=":",
                label=f"validation, after each epoch (last {_last(val)})")
    if best_epoch is not None and best_epoch in epochs:
        i = epochs.index(best_epoch)
        costs_then = [f"{name} {v:.4g}" for name, series in (("validation", val), ("test", test))
                      if (v := series[i]) is not None and math.isfinite(v)]
        ax.axvline(best_epoch, color="0.2", lw=1.0, ls="-.", marker="^", markersize=9, markevery=[0],
                   clip_on=False, zorder=4,
                   label=f"epoch {best_epoch:,}: weights kept" + (f" ({', '.join(costs_then)})" if costs_then else ""))
    if log:
        _decades_axis(ax, [v for v in _log10(costs) if math.isfinite(v)])
    ax.set_xlabel("epoch")
    cost = "cost (+ L2 penalty)" if l2 else "cost"  # as the summary's "cost (… + L2)" row
    ax.set_ylabel(f"{cost} (log scale)" if log else cost)
    first, last = min(e for e in epochs if e is not None), max(e for e in epochs if e is not None)
    if last > first:
        ax.set_xlim(first, last)
    else:  # one epoch: its point in the middle, under the one tick it has
        ax.set_xlim(first - 0.5, first + 0.5)
        ax.set_xticks([first], [f"{first:g}"])
    ax.grid(True, which="major", alpha=0.3)
    ax.legend(frameon=True, framealpha=0.9, edgecolor="none")  # over a curve or the kept epoch's line: still read
    ax.set_title(_plain(title), fontsize=11)
    return fig


def _series(ax: Any, epochs: list[float | None], values: list[float], **style: Any) -> None:
    """One cost per epoch as a line, and as a dot where a cost has no drawn neighbour to join (a
    one-epoch run's, or one between gaps): a line of one point is invisible, and loss.png of
    ``backprop train configs/hand_worked.yaml --epochs 1`` showed empty axes."""
    drawn = [not math.isnan(v) for v in values]
    alone = [i for i, here in enumerate(drawn)
             if here and (i == 0 or not drawn[i - 1]) and (i == len(drawn) - 1 or not drawn[i + 1])]
    if alone:
        style.update(marker="o", markersize=4, markevery=alone, clip_on=False)  # whole on the frame too
    ax.plot(epochs, values, **style)


def _plain(text: str) -> str:
    """``text`` as matplotlib shows it literally: a ``$`` in a folder, column or class name no longer
    starts mathtext (``run$\\frac$``: a ParseSyntaxException while saving, a traceback)."""
    return text.replace("$", r"\$")


def _drawn(values: list[float | None]) -> list[float]:
    """The values to draw: NaN (a gap in the line) for empty cells and for NaN or infinite costs,
    which the terminal curve skips too."""
    return [v if v is not None and math.isfinite(v) else math.nan for v in values]


def _log10(values: list[float | None]) -> list[float]:
    """log10 of each positive finite cost, NaN (a gap) for the rest."""
    return [math.log10(v) if v > 0 else math.nan for v in _drawn(values)]


def _decades_axis(ax: Any, logs: list[float]) -> None:
    """A y axis of log10(cost) from the decade below the lowest cost to the one above the highest,
    major ticks labelled 10^k, minor ticks at 2..9 × 10^k while the decades are few enough to see."""
    from matplotlib.ticker import FixedLocator, FuncFormatter, MaxNLocator

    lo, hi = math.floor(min(logs)), math.ceil(max(logs))
    if lo == hi:  # every cost one power of ten (1e300): the decades on either side, not a flat axis
        lo, hi = lo - 1, hi + 1
    ax.set_ylim(lo, hi)
    ax.yaxis.set_major_locator(MaxNLocator(nbins=8, steps=[1, 2, 5, 10], integer=True))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"$10^{{{round(v)}}}$"))
    if hi - lo <= 8:
        ax.yaxis.set_minor_locator(FixedLocator([k + math.log10(m) for k in range(lo, hi) for m in range(2, 10)]))


def _last(values: list[float | None]) -> str:
    finite = [v for v in values if v is not None]
    return f"{finite[-1]:.4g}" if finite else "—"


#: A hatch per predicted class's region (cycled past ten), so the regions differ by more than their
#: tint, which a colour-blind reader may not tell apart; class 0's region is plain, as its terminal
#: texture is blank.
REGION_HATCHES = ("", "..", "//", "--", "\\\\", "xx", "++", "||", "oo", "**")


def boundary_figure(figure_cls: "type[Figure]", exp: "Experiment", resolution: int = 400,
                    weights: str = "") -> "Figure":
    """Decision regions of ``exp.net`` over the data (a tint and a hatch per predicted class), the
    training points filled, the validation points half-filled (``data.validation_fraction``, the
    rows early stopping watches) and the test points hollow; each class its own marker shape.
    ``weights``: what the title adds about the weights drawn (" (weights of epoch 42)")."""
    import numpy as np
    from matplotlib import rc_context
    from matplotlib.patches import Patch

    from ..render.plots import (
        POINT_MARKERS, class_color, class_tint, grid_bounds, predicted_classes, raw_inputs, raw_predictor,
    )

    predict = raw_predictor(exp)
    sets = [("train", exp.train)] + [(name, ds) for name, ds in (("validation", exp.val), ("test", exp.test))
                                     if ds is not None]
    raw = {name: raw_inputs(exp, ds.X) for name, ds in sets}
    points = np.vstack(list(raw.values()))
    spans = np.ptp(points, axis=0)
    shape = float(np.clip(spans[0] / spans[1], 0.6, 1.8)) if spans.all() else 1.0
    x0, x1, y0, y1 = grid_bounds(points, aspect=shape)  # equal units on both axes, unless the scales differ
    equal_units = math.isclose((x1 - x0) / (y1 - y0), shape, rel_tol=1e-6)
    gx, gy = np.meshgrid(np.linspace(x0, x1, resolution), np.linspace(y0, y1, resolution))
    grid = predicted_classes(predict(np.column_stack([gx.ravel(), gy.ravel()]))).reshape(gx.shape)
    names = exp.train.class_names or ("0", "1")
    rgb = np.array([[int(class_tint(k)[i:i + 2], 16) / 255 for i in (1, 3, 5)] for k in range(len(names))])

    fig = figure_cls(figsize=(7.4, 5.6), layout="constrained")
    ax = fig.add_subplot()
    ax.imshow(rgb[grid], origin="lower", extent=(x0, x1, y0, y1), interpolation="nearest",
              aspect="equal" if equal_units else "auto")
    hatch_style = {"hatch.color": "0.45", "hatch.linewidth": 0.6}
    present = np.unique(grid)
    with rc_context(hatch_style):  # read when the hatched areas are made
        ax.contourf(gx, gy, grid, levels=np.arange(len(names) + 1) - 0.5, colors="none",
                    hatches=[REGION_HATCHES[k % len(REGION_HATCHES)] for k in range(len(names))])
    if len(present) > 1:
        ax.contour(gx, gy, grid, levels=np.arange(len(names)) + 0.5, colors="0.35", linewidths=0.8)
    size = float(np.clip(4000 / max(1, exp.train.n_samples), 28, 120))  # 4 XOR points: big ones
    accs = []
    for name, ds in sets:
        true = predicted_classes(ds.Y)
        accs.append(f"{name} accuracy {100 * float(np.mean(predicted_classes(predict(raw[name])) == true)):.1f}%")
        for k, label in enumerate(names):
            pts = raw[name][true == k]
            if len(pts) == 0:
                continue
            marker, color = POINT_MARKERS[k % len(POINT_MARKERS)], class_color(k)
            if name == "train":
                ax.scatter(pts[:, 0], pts[:, 1], s=size, marker=marker, c=color, edgecolors="white",
                           linewidths=0.6, label=_plain(f"class {label}"), zorder=3)
            elif name == "validation":  # half-filled: neither the training points' fill nor the test's ring
                ax.plot(pts[:, 0], pts[:, 1], ls="none", marker=marker, markersize=math.sqrt(size * 1.2),
                        fillstyle="left", markerfacecolor=color, markerfacecoloralt="white", markeredgecolor=color,
                        markeredgewidth=1.0, label=_plain(f"class {label} (validation)"), zorder=3)
            else:
                ax.scatter(pts[:, 0], pts[:, 1], s=size * 1.2, marker=marker, facecolors="none", edgecolors=color,
                           linewidths=1.2, label=_plain(f"class {label} (test)"), zorder=3)
    with rc_context(hatch_style):
        regions = [Patch(facecolor=class_tint(k), edgecolor="0.45", lw=0.6, hatch=REGION_HATCHES[k % len(REGION_HATCHES)],
                         label=_plain(f"predicted {label}")) for k, label in enumerate(names)]
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    fx, fy = (exp.train.feature_names + ("", ""))[:2]
    ax.set_xlabel(_plain(fx))
    ax.set_ylabel(_plain(fy))
    handles, _ = ax.get_legend_handles_labels()
    ax.legend(handles=handles + regions, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False, fontsize=9)
    ax.set_title(_plain(f"decision regions: {exp.net.describe()}{weights}") + "\n" + " · ".join(accs), fontsize=10)
    return fig
