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
- regression: one column per output, named after the target column(s).

Example::

    saved = load_model("runs/iris/model.npz")
    schema = model_schema(saved)
    X, lines = read_inputs("data/iris.csv", schema)
    pred = predict(saved, schema, X, "data/iris.csv", lines)
    pred.columns   # ('species', 'p_setosa', 'p_versicolor', 'p_virginica')
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np
from numpy.typing import NDArray

from .data import class_indices, read_csv_columns
from .errors import BackpropError, DataError, ModelFileError
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


def refuse_nonfinite(bad: NDArray[np.bool_], where: str, lines: list[int] | None = None,
                     X: FloatArray | None = None, feature_names: tuple[str, ...] = (),
                     cost: bool = False) -> None:
    """Raise for the first row flagged in ``bad`` (shape (n_rows,)): the model's outputs for it
    (or, with ``cost``, its cost) are not finite numbers, which finite weights give only when
    the inputs (or, for the cost, the targets) are so large that the arithmetic overflows.

    ``lines``: the file line of each row (else rows are counted from 1 as examples); ``X``
    (n_rows, n_inputs) the raw inputs and ``feature_names`` their columns, to show the row's
    largest input.

    Raises:
        DataError: naming ``where``, the row, and how many rows are affected.
    """
    if not np.any(bad):
        return
    r = int(np.argmax(bad))
    row = f"{where} row {lines[r]}" if lines is not None else f"{where} example {r + 1}"
    k = int(np.count_nonzero(bad))
    others = f" ({k} rows are affected)" if k > 1 else ""
    largest = ""
    if X is not None and X.shape[1]:
        j = int(np.argmax(np.abs(X[r])))
        name = feature_names[j] if j < len(feature_names) else f"input {j}"
        largest = f"; its largest input is {name} = {shown(float(X[r, j]))}"
    if cost:
        problem = ("the cost of this row is not a finite number: its target is too far from the "
                   "model's output for the arithmetic (it overflows)")
    else:
        problem = ("the model's outputs for this row are not finite numbers: its inputs are too "
                   "large for the network's arithmetic (it overflows)")
    raise DataError(f"{row}: {problem}{largest}{others}")


@dataclass(frozen=True)
class Predictions:
    """A table of predictions, one row per input row.

    Attributes:
        columns: all column names, in order.
        labels: classification: the predicted class of each row (the first column); else None.
        values: the numeric columns (all columns after ``labels``), shape
            (n_rows, len(columns) - 1) for classification, (n_rows, n_outputs) for regression.
    """

    columns: tuple[str, ...]
    labels: tuple[str, ...] | None
    values: FloatArray

    @property
    def n_rows(self) -> int:
        return int(self.values.shape[0])

    def records(self) -> list[dict[str, Any]]:
        """One dict per row, column name -> class name or float (the ``--json`` list)."""
        numeric = self.columns[1:] if self.labels is not None else self.columns
        out = []
        for i, row in enumerate(self.values.tolist()):
            rec: dict[str, Any] = {self.columns[0]: self.labels[i]} if self.labels is not None else {}
            rec.update(zip(numeric, row))
            out.append(rec)
        return out

    def to_csv(self) -> str:
        """CSV text with a header row; floats written in full (``repr``) precision."""
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(self.columns)
        for i, row in enumerate(self.values.tolist()):
            cells = [repr(v) for v in row]
            writer.writerow([self.labels[i], *cells] if self.labels is not None else cells)
        return buf.getvalue()


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
        A = np.asarray(saved.net.predict(X), dtype=np.float64)  # (n_rows, n_outputs)
    refuse_nonfinite(~np.isfinite(A).all(axis=1), where, lines, raw, schema.feature_names)
    if schema.task == "regression":
        return Predictions(schema.output_names, None, A)
    names = schema.class_names
    assert names is not None  # model_schema fills them for classification
    labels = tuple(names[i] for i in class_indices(A))
    probabilities = saved.net.activations[-1].name in PROBABILITY_OUTPUTS
    if A.shape[1] == 1:
        if probabilities:  # a = P(second class); the first class gets 1 − a
            values = np.column_stack([1.0 - A[:, 0], A[:, 0]])
            prob_columns = tuple(f"p_{c}" for c in names)
        else:  # one raw output, the second class where it is above 0.5
            values = A
            prob_columns = (f"score_{names[1]}",)
    else:
        values = A
        prob_columns = tuple(f"{'p' if probabilities else 'score'}_{c}" for c in names)
    label = schema.label_column
    if label in prob_columns:  # a target named p_b with a class b: two p_b columns, one record key
        label = "class"
    return Predictions((label, *prob_columns), labels, values)
