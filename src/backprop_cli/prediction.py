"""Applying a saved model to new rows: the columns it reads and writes, and its predictions.

The core of ``backprop predict`` (and the column bookkeeping ``evaluation`` shares):
plain data and text, no printing.

A model reads its input columns *by name* (``feature_names``, stored by ``backprop
train --out``), applies the standardization it was trained with, and writes:

- classification: the predicted class (column named after the target, e.g. ``species``;
  ``class`` for several target columns, or for a target named like a class's ``p_<class>``)
  and one column per class: ``p_<class>`` when the output layer gives probabilities
  (softmax; sigmoid, where a single output a is p of the second class and 1 − a the
  first's), ``score_<class>`` (the raw output) for any other output activation;
- regression: one column per output, named after the target column(s);

and, before them, the input columns ``predict --keep`` names (an id), copied as text
(:func:`read_inputs_keeping`, :func:`keep_columns`).

Example::

    saved = load_model("runs/iris/model.npz")
    schema = model_schema(saved)
    X, lines = read_inputs("data/iris.csv", schema)
    pred = predict(saved, schema, X, "data/iris.csv", lines)
    pred.columns   # ('species', 'p_setosa', 'p_versicolor', 'p_virginica')
    X, lines, kept = read_inputs_keeping("data/iris.csv", schema, ("species",))
    pred = keep_columns(predict(saved, schema, X, "data/iris.csv", lines), ("species",), kept)
    pred.header    # ('species_kept', 'species', 'p_setosa', 'p_versicolor', 'p_virginica')
"""

from __future__ import annotations

import csv
import io
import itertools
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np
from numpy.typing import NDArray

from .data import TextCells, class_indices, read_csv_columns, read_csv_keeping
from .errors import BackpropError, ConfigError, DataError, ModelFileError
from .model_io import SavedModel
from .names import shown

FloatArray = NDArray[np.float64]

#: Output activations whose outputs are class probabilities.
PROBABILITY_OUTPUTS = ("sigmoid", "softmax")


@dataclass(frozen=True)
class ModelSchema:
    """What a model reads and writes, by name.

    Attributes:
        feature_names: the input columns, one per input neuron, in the network's order.
        target_names: the target column(s) of the training data (``("species",)``).
        task: ``"classification"`` or ``"regression"``.
        class_names: classification: the class of each output column in order (for a single
            0/1 output: the classes of a 0 and of a 1); ``None`` for regression.
        n_outputs: size of the output layer.
    """

    feature_names: tuple[str, ...]
    target_names: tuple[str, ...]
    task: str
    class_names: tuple[str, ...] | None
    n_outputs: int

    @property
    def label_column(self) -> str:
        """Name of the predicted-class column: the target's name, or ``class`` for several."""
        return self.target_names[0] if len(self.target_names) == 1 else "class"

    @property
    def output_names(self) -> tuple[str, ...]:
        """Regression: one name per output (the target columns, or ``y0, y1, ...``)."""
        if len(self.target_names) == self.n_outputs:
            return self.target_names
        return tuple(f"y{j}" for j in range(self.n_outputs))


def model_schema(saved: SavedModel) -> ModelSchema:
    """The model's columns: stored in the file, or, for files written before the names were
    stored, recovered from the training data its stored config names.

    Raises:
        ModelFileError: an old file whose training data can no longer be read.
    """
    n_out = saved.net.sizes[-1]
    features, targets, task = saved.feature_names, saved.target_names, saved.task
    class_names = saved.class_names
    if features is None or targets is None or task is None:
        from .experiment import Streams, load_dataset

        try:
            ds = load_dataset(saved.config, Streams.from_seed(saved.config.seed).data)
        except BackpropError as e:
            raise ModelFileError(
                f"{saved.path}: stores no column names (written by an older backprop-cli) and its "
                f"training data cannot be read to recover them: {e.message}",
                "retrain it with `backprop train CONFIG --out DIR`",
            ) from None
        features = features or ds.feature_names
        targets = targets or ds.target_names
        task = task or ds.task
        class_names = class_names or ds.class_names
    if task == "classification" and class_names is None:
        class_names = tuple(str(c) for c in range(2 if n_out == 1 else n_out))
    return ModelSchema(tuple(features), tuple(targets), task,
                       class_names if task == "classification" else None, n_out)


def read_inputs(path: Path | str | BinaryIO, schema: ModelSchema, name: str | None = None
                ) -> tuple[FloatArray, list[int]]:
    """The model's feature columns of a CSV file, shape (n_rows, n_inputs), unscaled, and the
    1-based file line of each row (for messages).

    Other columns (the target, ids) are ignored. ``path`` may be a pipe, or a binary stream
    (standard input's); ``name``: what messages call the file. A header row without data rows
    (a batch filtered down to nothing) gives X of shape (0, n_inputs): no predictions, not an
    error; a file without a header row is one.

    Raises:
        DataError: naming the file, and the missing columns or the row and column of a bad cell.
    """
    X, _, lines = read_csv_columns(path, schema.feature_names, name=name, allow_no_rows=True)
    return X, lines


def read_inputs_keeping(path: Path | str | BinaryIO, schema: ModelSchema, keep: tuple[str, ...],
                        name: str | None = None) -> tuple[FloatArray, list[int], tuple[TextCells, ...]]:
    """:func:`read_inputs`, and the columns ``keep`` names (an id, a name; a feature or the target
    too) as text, read in the same pass over the file, one cell per row of X.

    Raises:
        DataError: as :func:`read_inputs`; a column of ``keep`` the file does not have, naming
            the file, the column and the columns it has.
    """
    X, kept, lines = read_csv_keeping(path, schema.feature_names, keep, name=name, allow_no_rows=True)
    return X, lines, tuple(kept)


#: What a kept column named as a prediction column (--keep price beside the prediction price) is
#: written as: its name and this suffix, the prediction keeping its own name.
KEPT_SUFFIX = "_kept"


def kept_names(keep: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    """The column names of ``predict --keep``, stripped as a header's are; a ConfigError for an
    empty one or one given twice."""
    names = []
    for raw in keep:
        name = raw.strip()
        if not name:
            raise ConfigError(f"--keep: {shown(raw)} is empty; give the name of a column of INPUT_CSV, "
                              "e.g. --keep id")
        if name in names:
            raise ConfigError(f"--keep {name}: is given twice; a column is kept once")
        names.append(name)
    return tuple(names)


def refuse_nonfinite(bad: NDArray[np.bool_], where: str, lines: list[int] | None = None,
                     X: FloatArray | None = None, feature_names: tuple[str, ...] = (),
                     cost: bool = False, A: FloatArray | None = None, Y: FloatArray | None = None,
                     affected: int | None = None) -> None:
    """Raise for the first row flagged in ``bad`` (shape (n_rows,)): the model's outputs for it
    (or, with ``cost``, its cost) are not finite numbers, which finite weights give only when
    the inputs (or, for the cost, the targets) are so large that the arithmetic overflows.

    ``lines``: the file line of each row (else rows are counted from 1 as examples); ``X``
    (n_rows, n_inputs) the raw inputs and ``feature_names`` their columns, to show the row's
    largest input. With ``cost``, ``A`` and ``Y`` (n_rows, n_outputs), the outputs and targets: a
    cost that overflows on an output larger than the target (x = 1e308 gives a = 1.1e307 for y = 1)
    is the inputs', said as such; on a target larger than the output (y = 1e200), the target's.

    The row named is the first in the file (the smallest line); ``affected``, the rows to count as
    affected when more than ``bad``'s (outputs and costs that are not finite, one error for both).

    Raises:
        DataError: naming ``where``, the row, and how many rows are affected.
    """
    if not np.any(bad):
        return
    flagged = np.flatnonzero(bad)
    r = int(flagged[np.argmin([lines[i] for i in flagged])]) if lines is not None else int(flagged[0])
    row = f"{where} row {lines[r]}" if lines is not None else f"{where} example {r + 1}"
    k = int(np.count_nonzero(bad)) if affected is None else affected
    others = f" ({k} rows are affected)" if k > 1 else ""
    largest = ""
    if X is not None and X.shape[1]:
        j = int(np.argmax(np.abs(X[r])))
        name = feature_names[j] if j < len(feature_names) else f"input {j}"
        largest = f"; its largest input is {name} = {shown(float(X[r, j]))}"
    if cost and A is not None and Y is not None and float(np.max(np.abs(A[r]))) > float(np.max(np.abs(Y[r]))):
        j = int(np.argmax(np.abs(A[r])))
        problem = (f"the cost of this row is not a finite number: its inputs are too large for the network's "
                   f"arithmetic, and its output, a = {shown(float(f'{A[r, j]:.3g}'))}, overflows the cost")
    elif cost:
        target = ""
        if A is not None and Y is not None:
            j = int(np.argmax(np.abs(Y[r])))
            target = f", y = {shown(float(Y[r, j]))},"
            problem = (f"the cost of this row is not a finite number: its target{target} is too far from the model's "
                       f"output (a = {shown(float(f'{A[r, j]:.3g}'))}) for the arithmetic (it overflows)")
        else:
            problem = ("the cost of this row is not a finite number: its target is too far from the "
                       "model's output for the arithmetic (it overflows)")
        largest = ""
    else:
        problem = ("the model's outputs for this row are not finite numbers: its inputs are too "
                   "large for the network's arithmetic (it overflows)")
    raise DataError(f"{row}: {problem}{largest}{others}")


@dataclass(frozen=True)
class Predictions:
    """A table of predictions, one row per input row.

    Attributes:
        columns: the prediction columns' names, in order.
        labels: classification: the predicted class of each row (the first column); else None.
        values: the numeric columns (all columns after ``labels``), shape
            (n_rows, len(columns) - 1) for classification, (n_rows, n_outputs) for regression; float32
            for a float32 model (its outputs as computed), else float64.
        kept_columns: the columns copied from the input (``predict --keep``), written before the
            predictions: their names as written (see :func:`keep_columns`).
        kept: their cells, as text, one :class:`~backprop_cli.data.TextCells` per kept column.
    """

    columns: tuple[str, ...]
    labels: tuple[str, ...] | None
    values: FloatArray
    kept_columns: tuple[str, ...] = ()
    kept: tuple[TextCells, ...] = ()

    @property
    def n_rows(self) -> int:
        return int(self.values.shape[0])

    @property
    def header(self) -> tuple[str, ...]:
        """Every column written, in order: the kept ones, then the predictions."""
        return (*self.kept_columns, *self.columns)

    def _kept_rows(self) -> Iterator[tuple[str, ...]]:
        return zip(*self.kept) if self.kept else itertools.repeat(())

    def _written(self) -> list[list[float]]:
        """The numbers as written, row by row: a float64 model's as they are (``repr``: the shortest
        digits that read back as the same float64); a float32 model's as the float64 of the shortest
        digits that read back as the same float32, numpy's float32 repr (``0.43491596``, not
        ``0.4349159598350525``, the float64 digits of the same value), in the CSV and in --json alike."""
        if self.values.dtype == np.float32:
            return self.values.astype(str).astype(np.float64).tolist()
        return self.values.tolist()

    def records(self) -> list[dict[str, Any]]:
        """One dict per row, column name -> kept text, class name or float (the ``--json`` list)."""
        numeric = self.columns[1:] if self.labels is not None else self.columns
        out = []
        for i, (kept, row) in enumerate(zip(self._kept_rows(), self._written())):
            rec: dict[str, Any] = dict(zip(self.kept_columns, kept))
            if self.labels is not None:
                rec[self.columns[0]] = self.labels[i]
            rec.update(zip(numeric, row))
            out.append(rec)
        return out

    def to_csv(self) -> str:
        """CSV text with a header row; kept cells as read, floats written in full (``repr``) precision."""
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(self.header)
        for i, (kept, row) in enumerate(zip(self._kept_rows(), self._written())):
            cells = [repr(v) for v in row]
            writer.writerow([*kept, self.labels[i], *cells] if self.labels is not None else [*kept, *cells])
        return buf.getvalue()


def keep_columns(pred: Predictions, keep: tuple[str, ...], cells: tuple[TextCells, ...]) -> Predictions:
    """``pred`` with the input's columns ``keep`` (their ``cells``) written before the predictions,
    under the names :func:`kept_columns` gives them.

    Raises:
        ConfigError: as :func:`kept_columns`.
    """
    assert all(len(c) == pred.n_rows for c in cells)
    return replace(pred, kept_columns=kept_columns(keep, pred.columns), kept=cells)


def kept_columns(keep: tuple[str, ...], columns: tuple[str, ...]) -> tuple[str, ...]:
    """The names the kept columns ``keep`` are written under beside the prediction ``columns``.

    A kept column named as a prediction column (``--keep price`` of a model predicting ``price``,
    ``--keep species`` of an iris classifier) is written as ``price_kept``: the prediction keeps
    the name it always has, which scripts read, and the CSV and the ``--json`` records never hold
    two columns of one name.

    Raises:
        ConfigError: that ``_kept`` name is itself taken (by a prediction column, or a column kept too).
    """
    written = []
    for name in keep:
        if name in columns:
            renamed = name + KEPT_SUFFIX
            if renamed in columns or renamed in keep:
                taken = "a prediction column" if renamed in columns else "a column kept too"
                raise ConfigError(f"--keep {name}: is a prediction column's name, and {renamed}, the name its "
                                  f"copy would be written under, is {taken}; keep one of {name} and {renamed}")
            name = renamed
        written.append(name)
    return tuple(written)


def prediction_columns(saved: SavedModel, schema: ModelSchema) -> tuple[str, ...]:
    """The columns :func:`predict` writes for this model (see the module docstring), known
    before any row is read."""
    if schema.task == "regression":
        return schema.output_names
    names = schema.class_names
    assert names is not None  # model_schema fills them for classification
    probabilities = saved.net.activations[-1].name in PROBABILITY_OUTPUTS
    if schema.n_outputs == 1:
        # a = P(second class), the first class getting 1 − a; or one raw score of the second class
        prob_columns = tuple(f"p_{c}" for c in names) if probabilities else (f"score_{names[1]}",)
    else:
        prob_columns = tuple(f"{'p' if probabilities else 'score'}_{c}" for c in names)
    label = schema.label_column
    if label in prob_columns:  # a target named p_b with a class b: two p_b columns, one record key
        label = "class"
    return (label, *prob_columns)


def predict(saved: SavedModel, schema: ModelSchema, X: FloatArray, where: str = "input",
            lines: list[int] | None = None) -> Predictions:
    """Apply the model to raw (unscaled) inputs.

    Args:
        saved: the model; its standardization (if any) is applied to ``X`` first.
        schema: from :func:`model_schema`.
        X: shape (n_rows, n_inputs), columns in ``schema.feature_names`` order.
        where: what messages call the input (the file); ``lines``: each row's file line.

    Returns:
        The prediction table (see the module docstring for its columns).

    Raises:
        DataError: a row whose outputs are not finite (inputs so large that the arithmetic
            overflows), naming ``where`` and the row: no NaN is ever written as a prediction.
    """
    raw = X
    with np.errstate(all="ignore"):  # overflow shows up as a non-finite output, refused below
        if saved.standardizer is not None:
            X = saved.standardizer.transform(X)
        out = np.asarray(saved.net.predict(X))
        A = out.astype(np.float64)  # (n_rows, n_outputs)
    refuse_nonfinite(~np.isfinite(A).all(axis=1), where, lines, raw, schema.feature_names)
    columns = prediction_columns(saved, schema)
    # a float32 model's numbers stay float32, written with float32's digits (Predictions._written)
    written = np.float32 if out.dtype == np.float32 else np.float64
    if schema.task == "regression":
        return Predictions(columns, None, A.astype(written))
    names = schema.class_names
    assert names is not None  # model_schema fills them for classification
    labels = tuple(names[i] for i in class_indices(A))
    if A.shape[1] == 1 and saved.net.activations[-1].name in PROBABILITY_OUTPUTS:  # a = P(second class)
        values = np.column_stack([1.0 - A[:, 0], A[:, 0]])
    else:
        values = A
    return Predictions(columns, labels, values.astype(written))  # 1 − a: taken in float64, then rounded
