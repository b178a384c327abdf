"""Rendering of ``backprop evaluate``: the metric tables and the confusion matrix, and its JSON."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from rich.console import Console, Group
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from ..evaluation import ClassificationMetrics, ClassMetrics, Evaluation, OutputMetrics
from ..scaffold import display_path
from ..wording import plural
from . import NARROW_FRAME, SUB_ROW, as_written, fit_columns, soft_wrap, stacked
from .train import PENALTY_LABEL, cost_label

def _fmt(v: float | None, pct: bool = False) -> str:
    if v is None:
        return "—"
    return f"{100 * v:.1f}%" if pct else f"{v:.6g}"


def describe_data(ev: Evaluation) -> str:
    """e.g. ``the test split of circles (built-in), 100 examples``."""
    data = display_path(ev.data)
    where = {
        "test": f"the test split of {data}",
        "train": f"the training split of {data}",
        "file": f"every row of {data}",
    }[ev.split]
    why = "; its config has no test split" if ev.split == "train" else ""
    return f"{where}, {plural(ev.n_samples, 'example')}{why}"


def seen_warning(ev: Evaluation, model: str, own: bool) -> str | None:
    """The warning (``warning: …``) for an evaluation whose examples include rows the model was
    trained on (``ev.seen``), or that cannot tell; None when none are, or nothing can be said (a
    model saved from arrays; ``note: cannot tell …`` when its training data cannot be read).
    ``model``: MODEL as given; ``own``: the model's own split (no --data),
    where such rows are rows its data file holds twice."""
    seen = ev.seen
    if seen is None:
        return None
    if seen.n_train is None or seen.n_validation is None:
        return (f"note: cannot tell how many of these {plural(ev.n_samples, 'row')} the model was trained on: "
                f"{seen.reason}")
    if not (seen.n_train or seen.n_validation) or (own and ev.split == "train"):  # the header says so
        return None
    splits = f"its training rows: {display_path(seen.source)}, seed {seen.seed}, test_fraction {seen.test_fraction:g}"
    if seen.validation_fraction:
        splits += f", validation_fraction {seen.validation_fraction:g}"
    n = ev.n_samples
    counted = f"{seen.n_train:,} of these {plural(n, 'row')} {'is' if seen.n_train == 1 else 'are'} in the model's training split"
    if seen.n_validation:
        why = "which chose the epoch kept by early stopping" if seen.early_stopping else "held out of training but watched during it"
        counted += f" and {seen.n_validation:,} in its validation split, {why}"
    if own:
        return (f"warning: {counted} ({splits}): the data holds {'that row' if seen.n_train + seen.n_validation == 1 else 'those rows'} "
                "more than once, so the test figures are not wholly held-out")
    import shlex

    advice = f"`backprop evaluate {shlex.quote(str(model))}` alone evaluates its own test split"
    if not seen.test_fraction:
        advice = "the model has no test split of its own (test_fraction 0)"
    if seen.copy:  # its stored data.path is gone: the test split is drawn from the copy by a config
        config = Path(ev.model).with_name("config.yaml")
        show = (f"backprop config show {shlex.quote(str(config)) if config.is_file() else 'CONFIG'} "
                f"--set {shlex.quote('data.path=' + display_path(seen.source))}")
        advice = f"its own test split: --data with the config `{show}` writes"
    return f"warning: {counted} ({splits}; matched on inputs and target): these figures are not held-out; {advice}"


def evaluation_dict(ev: Evaluation, model: str | None = None) -> dict[str, Any]:
    """The evaluation as plain JSON-able data (the ``--json`` object); undefined ratios are null.

    ``model``: MODEL as given on the command line (a run folder, say), the ``"model"`` field a
    script matches with what it passed; ``"model_file"`` is the file read (default: both ``ev.model``).
    ``n_seen_in_training`` / ``n_seen_in_validation``: how many of the examples equal a row of the
    model's training / validation split, each of its rows standing for one example at most (null: it
    cannot tell, or the model was saved from arrays)."""
    seen = ev.seen
    out: dict[str, Any] = {
        "model": ev.model if model is None else model,
        "model_file": ev.model,
        "network": ev.network,
        "task": ev.task,
        "data": ev.data,
        "split": ev.split,
        "n_samples": ev.n_samples,
        "cost_function": ev.cost_name,
        "cost": ev.cost,
        "l2": ev.l2,
        "l2_penalty": ev.penalty,
        "n_seen_in_training": None if seen is None else seen.n_train,
        "n_seen_in_validation": None if seen is None else seen.n_validation,
    }
    if ev.classification is not None:
        m = ev.classification
        out["accuracy"] = m.accuracy
        out["classes"] = [_class_dict(c) for c in m.classes]
        out["macro_avg"] = _class_dict(m.macro)
        out["confusion_matrix"] = {"labels": list(m.class_names), "rows": "true class",
                                   "columns": "predicted class", "counts": m.confusion.tolist()}
    if ev.regression is not None:
        out["outputs"] = [{"name": o.name, "mse": o.mse, "mae": o.mae, "r2": o.r2} for o in ev.regression]
    return out


def _class_dict(c: ClassMetrics) -> dict[str, Any]:
    return {"name": c.name, "precision": c.precision, "recall": c.recall, "f1": c.f1,
            "support": c.support}


def print_evaluation(console: Console, ev: Evaluation) -> None:
    """The header line, the summary table and the task's tables."""
    dtype = "" if ev.dtype == "float64" else f" · {ev.dtype}"  # as train's summary line: float32 said
    console.print(f"[bold]{escape(ev.model)}[/] · {escape(ev.network)}{dtype}", highlight=False,
                  soft_wrap=soft_wrap(console))
    console.print(f"evaluated on {escape(describe_data(ev))}", highlight=False, soft_wrap=soft_wrap(console))
    rows: list[tuple[str, str, str | None]] = [(cost_label(ev.cost_name, ev.l2), _fmt(ev.cost), None)]
    if ev.l2:  # a cost of 0.0358 beside an MSE of 0.0243 (half of it 0.0122): the rest is the penalty
        rows.append((as_written(console, PENALTY_LABEL), _fmt(ev.penalty), SUB_ROW))
    if ev.classification is not None:
        rows.append(("accuracy", _fmt(ev.classification.accuracy, pct=True), None))
    console.print(_summary(rows, console.width))
    if ev.classification is not None:
        console.print(_class_table(ev.classification, console.width))
        _print_confusion(console, ev.classification)
    if ev.regression is not None:
        console.print(_regression_table(ev.regression, console.width, as_written(console, "R²")))


def _summary(rows: list[tuple[str, str, str | None]], width: int) -> Table | Text:
    """The cost (and accuracy) as a borderless table of (label, figure, style) rows, its labels wrapped
    between their words, never a figure cut; where even that is too wide for ``width`` (sine's
    '(half_squared_error)' and its figure below 34 columns: 'cost (half_squared_err…'), each row on
    lines of its own, ``cost (half_squared_error):`` / ``  0.00655269``, broken as :func:`stacked` breaks
    a row (the penalty's 'of which L2', as train's stacked summary says it)."""
    table = Table(show_header=False, box=None, padding=(0, 2, 0, 0))
    table.add_column(style="bold")
    table.add_column(justify="right")
    for label, figure, style in rows:
        table.add_row(label, figure, style=style)
    if fit_columns(table, width):
        return table
    body = Text()
    for i, (label, figure, style) in enumerate(rows):
        name = "of which L2" if style == SUB_ROW else label
        lines = stacked(name, [figure], width)
        if i:
            body.append("\n")
        body.append(lines[0][:len(name)], style="bold")
        body.append("\n".join([lines[0][len(name):], *lines[1:]]))
    return body


#: The per-class table's headers where the whole words do not fit (a projector's large font), and
#: the caption that spells them out.
SHORT_HEADERS = ("prec.", "rec.", "F1", "n")
SHORT_CAPTION = "prec. precision · rec. recall · n support"


def _class_table(m: ClassificationMetrics, width: int = 80) -> Table | Group:
    """Precision, recall, F1 and support per class, laid out in the first of these that fits ``width``
    with every figure and every word of a class name whole: the table with whole headers; with the
    headers shortened (spelled out in the caption) rather than cut to 'precisi…'; that without its
    borders (explain's narrow frame); else each class on lines of its own (:func:`_rows_stacked`).
    A class name wraps only between its words: folded, 'versicolor' read 'vers' / 'icol' / 'or', and
    cut, 'versic…' and 'versic…' could be two classes."""
    for frame, short in (({}, False), ({}, True), (NARROW_FRAME, True)):
        table = _class_table_of(m, short, frame)
        if fit_columns(table, width):
            return table
    rows = [(c.name, [f"{label} {_fmt(v, True)}" for label, v in
                      (("precision", c.precision), ("recall", c.recall), ("F1", c.f1))] + [f"support {c.support}"])
            for c in (*m.classes, m.macro)]
    return _rows_stacked("per class", rows, _class_captions(m, False), width)


def _class_table_of(m: ClassificationMetrics, short: bool, frame: dict[str, Any]) -> Table:
    headers = SHORT_HEADERS if short else ("precision", "recall", "F1", "support")
    table = Table(title="per class", header_style="bold", **frame)
    table.add_column("class", style="bold", overflow="fold")
    for name in headers:
        table.add_column(name, justify="right", no_wrap=True)
    for c in m.classes:
        table.add_row(escape(c.name), _fmt(c.precision, True), _fmt(c.recall, True), _fmt(c.f1, True),
                      str(c.support))
    table.add_section()
    a = m.macro
    table.add_row(a.name, _fmt(a.precision, True), _fmt(a.recall, True), _fmt(a.f1, True), str(a.support),
                  style=SUB_ROW)
    captions = _class_captions(m, short)
    if captions:
        table.caption = "\n".join(captions)
    return table


def _class_captions(m: ClassificationMetrics, short: bool) -> list[str]:
    captions = [SHORT_CAPTION] if short else []
    if any(v is None for c in m.classes for v in (c.precision, c.recall, c.f1)):
        captions.append("— nothing to divide by; the macro avg skips it")
    return captions


def _rows_stacked(title: str, rows: list[tuple[str, list[str]]], captions: list[str], width: int) -> Group:
    """A table too narrow for ``width`` in every form tried, row after row: ``title`` (bold), each row as
    ``name: figure · figure · …`` broken before a ``·`` (:func:`stacked`), then the captions."""
    body = Text()
    for i, (name, parts) in enumerate(rows):
        lines = stacked(name, parts, width)
        if i:
            body.append("\n")
        body.append(lines[0][:len(name)], style="bold")
        body.append("\n".join([lines[0][len(name):], *lines[1:]]))
    return Group(Text(title, style="bold"), body, *(Text(c, style="italic") for c in captions), Text(""))


#: Most frequent confusions listed when the matrix is too wide for the terminal.
MAX_CONFUSIONS = 20


def _print_confusion(console: Console, m: ClassificationMetrics) -> None:
    """The confusion matrix as a table when it fits the console's width, its corner ``true \\
    predicted`` shortened to ``true\\pred`` (said under it), then without borders, where that is what
    fits; otherwise (many classes: 50 columns cannot fit 80 characters, and rich would squeeze
    every cell to nothing) the most frequent confusions as a list, with where the whole matrix is."""
    for frame, corner in (({}, CORNER), ({}, SHORT_CORNER), (NARROW_FRAME, SHORT_CORNER)):
        table = _confusion_table(m, corner, frame)
        if fit_columns(table, console.width):
            console.print(table)
            return
    k = len(m.class_names)
    for i, line in enumerate(_phrases([f"confusion matrix: {k} classes,", f"too wide for {console.width} columns",
                                       "(--json has every count)"], console.width)):
        console.print(f"[bold]confusion matrix[/]{escape(line[16:])}" if i == 0 else escape(line),
                      highlight=False, soft_wrap=soft_wrap(console))
    off = m.confusion.copy()
    np.fill_diagonal(off, 0)
    pairs = [(int(off[i, j]), i, j) for i, j in zip(*np.nonzero(off))]
    pairs.sort(key=lambda t: (-t[0], t[1], t[2]))
    if not pairs:
        console.print("  no confusions: every example is predicted as its true class", highlight=False)
        return
    shown = pairs[:MAX_CONFUSIONS]
    first = [f"the first {len(shown)} of {len(pairs)}:"] if len(pairs) > len(shown) else []
    for line in _phrases(["most frequent confusions", f"(true → predicted: count){',' if first else ':'}", *first],
                         console.width):
        console.print(escape(line), highlight=False, soft_wrap=soft_wrap(console))
    for n, i, j in shown:
        console.print(f"  {escape(m.class_names[i])} → {escape(m.class_names[j])}: {n}", highlight=False,
                      soft_wrap=True)


def _phrases(phrases: list[str], width: int) -> list[str]:
    """``phrases`` joined by spaces into lines of at most ``width`` cells, broken only between
    phrases: a narrow terminal (COLUMNS=50) gets 'too wide for 50 columns' whole on its next line
    rather than one 78-character line (cut by the terminal, or in a pipe, read past its width)."""
    from rich.cells import cell_len

    lines: list[str] = []
    for phrase in phrases:
        if lines and cell_len(lines[-1]) + 1 + cell_len(phrase) <= width:
            lines[-1] += " " + phrase
        else:
            lines.append(phrase)
    return lines


#: The confusion matrix's corner, and the shorter one of a narrow console (a 3×3 matrix of iris fits
#: 48 columns with it, 54 with the long one), explained in the caption it then has.
CORNER = "true \\ predicted"
SHORT_CORNER = "true\\pred"
SHORT_CORNER_CAPTION = "true\\pred: rows true, columns predicted"


def _confusion_table(m: ClassificationMetrics, corner: str = CORNER, frame: dict[str, Any] | None = None) -> Table:
    table = Table(title="confusion matrix", header_style="bold", **(frame or {}))
    if corner != CORNER:
        table.caption = SHORT_CORNER_CAPTION
    table.add_column(corner, style="bold", no_wrap=corner == CORNER)  # not "true \\" over "predicted"
    for name in m.class_names:
        table.add_column(escape(name), justify="right")
    for i, name in enumerate(m.class_names):
        cells = [f"[bold green]{n}[/]" if i == j and n else str(n) for j, n in enumerate(m.confusion[i].tolist())]
        table.add_row(escape(name), *cells)
    return table


def _regression_table(outputs: tuple[OutputMetrics, ...], width: int = 80, r2: str = "R²") -> Table | Group:
    """MSE, MAE and R² per output: a table, without its borders where they do not fit, else each
    output on lines of its own; every figure whole (at 40 columns rich cut them to ``0.0131…``).
    ``r2``: R² as the stream writes it (``R^2`` in ASCII), measured as such."""
    caption = ["— targets all equal: no R²"] if any(o.r2 is None for o in outputs) else []
    for frame in ({}, NARROW_FRAME):
        table = Table(title="per output", header_style="bold", **frame)
        table.add_column("output", style="bold", overflow="fold")
        for name in ("MSE", "MAE", r2):
            table.add_column(name, justify="right", no_wrap=True)
        for o in outputs:
            table.add_row(escape(o.name), _fmt(o.mse), _fmt(o.mae), _fmt(o.r2))
        if caption:
            table.caption = caption[0]
        if fit_columns(table, width):
            return table
    rows = [(o.name, [f"MSE {_fmt(o.mse)}", f"MAE {_fmt(o.mae)}", f"{r2} {_fmt(o.r2)}"]) for o in outputs]
    return _rows_stacked("per output", rows, caption, width)
