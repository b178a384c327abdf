"""Data for the trainer: built-in generators, CSV/NPZ loading, splits and mini-batches.

Every public array holds one example per row (the README's "Notation" section):

- ``X`` has shape ``(n_samples, n_inputs)``,
- ``Y`` has shape ``(n_samples, n_outputs)``; for classification it is one-hot, one column per
  class, except for the built-in two-class generators, which give a single 0/1 column.

Randomness only comes from the ``np.random.Generator`` passed in. Every problem a user can cause
raises :class:`~backprop_cli.errors.DataError` with a one-line message naming the place (the file,
row and column, or the config field such as ``data.n_samples``), the bad value and what is allowed.

Example::

    >>> rng = np.random.default_rng(0)
    >>> ds = generate("xor", rng)
    >>> ds.X.tolist(), ds.Y.ravel().tolist()
    ([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]], [0.0, 1.0, 1.0, 0.0])
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import itertools
import json
import math
import operator
import os
import re
import stat
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, BinaryIO, NoReturn, TextIO

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .arrays import real_array
from .errors import DataError, InputError
from .names import nearest_name, shown
from .wording import not_a_file, plural

TASKS = ("auto", "classification", "regression")
#: Under ``task="auto"`` a whole-number target with more distinct values than this is refused
#: (it looks like a quantity, not a label); the user must choose the task explicitly.
AUTO_MAX_CLASSES = 100
#: Largest one-hot target we build (n_samples * n_classes cells, 800 MB of float64).
MAX_ONE_HOT_CELLS = 100_000_000
_DELIMITERS = (",", ";", "\t")

FloatArray = NDArray[np.float64]
_DATA_DTYPES = (np.dtype(np.float64), np.dtype(np.float32))
#: Standardizer.fit: a std below this (≈ 1.5e-154) came from squares below float64's smallest
#: normal number, which keep fewer digits (none at all once they round to 0)
_SQRT_TINY = float(np.sqrt(np.finfo(np.float64).tiny))


# --------------------------------------------------------------------------------------------
# The data set


@dataclass(frozen=True, eq=False)
class Dataset:
    """Examples and targets, one example per row, with the names needed to report on them.

    Attributes:
        X: inputs, shape ``(n_samples, n_inputs)``, float64 (or float32: ``astype``).
        Y: targets, shape ``(n_samples, n_outputs)``, the dtype of X. Classification: one-hot
            ``(n_samples, n_classes)``, or one 0/1 column ``(n_samples, 1)`` for two classes;
            other values are an InputError naming ``Dataset Y`` and the row (labels 0 … k−1:
            ``np.eye(k)[labels]``; probabilities: task ``"regression"``).
        task: ``"classification"`` or ``"regression"``.
        class_names: classification only (required there): the class of each column of ``Y`` in
            order, or ``("0", "1")`` (class of a 0 and of a 1) for a single 0/1 column; ``None`` (the
            default) for regression.
        feature_names: one name per column of ``X``; left out, ``x0``, ``x1``, … as an .npz file's.
        target_names: the source column(s) the targets came from, e.g. ``("species",)`` for a
            label column that became 3 one-hot columns of ``Y``; left out, ``y`` for one column or
            classes, ``y0``, ``y1``, … for several regression targets.
        source: where the data came from, e.g. ``"xor (built-in)"`` or a resolved file path; left
            out, ``"arrays"``.
        lines: for rows read from a CSV file, each row's 1-based file line (the header being line
            1), shape ``(n_samples,)``, so that a message about a row names it as the file's other
            errors do; ``None`` for a built-in set or an .npz (whose rows are named by index).

    Equality is identity (``eq=False``): comparing arrays element-wise is never what ``==``
    on a data set should mean.
    """

    X: FloatArray
    Y: FloatArray
    task: str
    class_names: tuple[str, ...] | None = None
    feature_names: tuple[str, ...] = ()  # () (not given): x0, x1, …
    target_names: tuple[str, ...] = ()  # () (not given): y, or y0, y1, …
    source: str = ""  # "" (not given): "arrays"
    lines: NDArray[np.int64] | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        # X and Y come from users of the Python API too: anything but real numbers (text, None,
        # ragged rows, complex numbers) is the InputError Network's methods give, naming the
        # argument, not numpy's bare "could not convert string to float". float32 X (and Y) stay
        # float32, the dtype a float32 run trains in; anything else becomes float64. Y follows X.
        # The checks after these are internal invariants (a failure there is a caller's bug).
        X = self.X
        dtype = X.dtype if isinstance(X, np.ndarray) and X.dtype in _DATA_DTYPES else np.dtype(np.float64)
        X = real_array(X, "Dataset X", dtype, "(n_samples, n_inputs)")
        Y = real_array(self.Y, "Dataset Y", X.dtype, "(n_samples, n_outputs)")
        object.__setattr__(self, "X", X)
        object.__setattr__(self, "Y", Y)
        _check_shapes(X.shape, Y.shape)
        if self.task not in ("classification", "regression"):
            raise InputError(f"Dataset task: {shown(self.task)} is not one of: classification, regression")
        if not self.feature_names and X.shape[1]:  # left out: named as an .npz file's columns are
            object.__setattr__(self, "feature_names", tuple(f"x{j}" for j in range(X.shape[1])))
        if not self.target_names:
            several = self.task == "regression" and Y.shape[1] > 1
            object.__setattr__(self, "target_names", tuple(f"y{j}" for j in range(Y.shape[1])) if several else ("y",))
        if not self.source:
            object.__setattr__(self, "source", "arrays")
        if len(self.feature_names) != X.shape[1]:
            raise InputError(f"Dataset: {len(self.feature_names)} feature names for {X.shape[1]} columns")
        if self.task == "classification":
            expected = 2 if Y.shape[1] == 1 else Y.shape[1]
            if self.class_names is None:
                which = ('("0", "1"), the class of a 0 and of a 1, for the single 0/1 column of Y' if Y.shape[1] == 1
                         else f"one per column of Y ({expected}), in order")
                raise InputError(f"Dataset: task 'classification' needs class_names: {which}")
            if len(self.class_names) != expected:
                # one column of labels 0..k-1 with k names: a one-hot Y is what the k classes need
                hint = (f": with {len(self.class_names)} classes Y has one column per class, one-hot, e.g. "
                        f"Y = np.eye({len(self.class_names)})[labels] for labels 0..{len(self.class_names) - 1}"
                        if Y.shape[1] == 1 and len(self.class_names) > 2 else "")
                raise InputError(f"Dataset: classification with {Y.shape[1]} column{'s' if Y.shape[1] > 1 else ''} "
                                 f"of Y needs {expected} class names, got {self.class_names}{hint}")
        elif self.class_names is not None:
            raise InputError("Dataset: regression data has no class names")
        if self.lines is not None:
            lines = np.asarray(self.lines, dtype=np.int64)
            if lines.shape != (X.shape[0],):
                raise InputError(f"Dataset lines has shape {lines.shape}, expected ({X.shape[0]},)")
            object.__setattr__(self, "lines", lines)
        if self.task == "classification":  # as the loaders make them, also for a Dataset built in Python
            check_class_targets(Y, lambda i: f"Dataset Y {self.row_name(i)}", InputError)

    def row_name(self, i: int) -> str:
        """Row ``i`` as a message names it: ``row 7`` by its file line for a CSV's rows, else by
        its 0-based index (an .npz array's, a built-in set's)."""
        return f"row {int(self.lines[i]) if self.lines is not None else i}"

    @property
    def n_samples(self) -> int:
        """Number of examples (rows of X and Y)."""
        return int(self.X.shape[0])

    @property
    def n_inputs(self) -> int:
        """Number of input features (columns of X)."""
        return int(self.X.shape[1])

    @property
    def n_outputs(self) -> int:
        """Number of target columns (columns of Y), the size the output layer must have."""
        return int(self.Y.shape[1])

    def astype(self, dtype: Any) -> Dataset:
        """The same data set with X and Y in ``dtype`` (float32 or float64); itself when
        they already are. ``backprop train`` holds its splits in the training dtype, so a
        float32 run keeps no float64 data and casts nothing per batch."""
        dt = np.dtype(dtype)
        if dt not in _DATA_DTYPES:
            raise InputError(f"Dataset.astype: float32 or float64, got {dt}")
        if self.X.dtype == dt:
            return self
        return replace(self, X=self.X.astype(dt), Y=self.Y.astype(dt))

    def subset(self, idx: ArrayLike) -> Dataset:
        """The rows ``idx`` (an index array, shape ``(k,)``, or a boolean mask ``(n_samples,)``)
        as a new data set with the same names, task and source."""
        rows = np.asarray(idx)
        if rows.ndim == 0:
            rows = rows.reshape(1)
        return replace(self, X=self.X[rows], Y=self.Y[rows],
                       lines=None if self.lines is None else self.lines[rows])


def _check_shapes(x: tuple[int, ...], y: tuple[int, ...]) -> None:
    """X (n, n_inputs) and Y (n, n_outputs), both 2-D with a row per example; an InputError naming
    ``Dataset X`` or ``Dataset Y`` and the reshape that says what a 1-D array means otherwise (a
    Dataset, unlike ``Network.cost``, does not guess it: one example, or one value per example?)."""
    if len(x) != 2:
        hint = f"; for {x[0]} examples of one input each pass X.reshape(-1, 1), for one example X.reshape(1, -1)" \
            if len(x) == 1 else ""
        raise InputError(f"Dataset X: shape {x}, expected (n_samples, n_inputs), one row per example{hint}")
    if len(y) != 2:
        hint = ""
        if len(y) == 1 and y[0] == x[0]:
            hint = f"; for one target per example pass Y.reshape(-1, 1) (shape ({x[0]}, 1))"
        elif len(y) == 1 and x[0] and y[0] % x[0] == 0:
            k = y[0] // x[0]
            hint = (f"; for {x[0]} rows of {k} targets given one after the other pass Y.reshape({x[0]}, {k}), "
                    f"for {k} columns of {x[0]} Y.reshape({k}, {x[0]}).T")
        raise InputError(f"Dataset Y: shape {y}, expected ({x[0]}, n_outputs), one row per example of X{hint}")
    if x[0] != y[0]:
        raise InputError(f"Dataset Y: {plural(y[0], 'row')}, but X has {x[0]}; one row of targets per example "
                         f"(X {x}, Y {y})")


def data_digest(ds: Dataset) -> str:
    """A fingerprint of a data set: its numbers (X and Y in float64), shapes, task and names, as
    32 hex digits (BLAKE2b). A model or checkpoint stores it for data read from a file, so that
    rebuilding its splits from a file changed since training is noticed."""
    h = hashlib.blake2b(digest_size=16)
    for a in (ds.X, ds.Y):
        a = np.ascontiguousarray(a, dtype=np.float64)  # no copy for float64 data
        h.update(repr(a.shape).encode())
        h.update(memoryview(a).cast("B"))
    # mixed numeric labels hashed as versions before Dec 2026 named them ("2.0", "2.5"), so that
    # their models and checkpoints still match their data
    names = (legacy_label_names(ds.class_names) if ds.class_names else None) or ds.class_names
    h.update(json.dumps([ds.task, names, ds.feature_names, ds.target_names]).encode())
    return h.hexdigest()


def read_data_digest(text: str) -> str | None:
    """A ``data_digest`` read from a model or checkpoint file as ``data_digest`` writes it (32 hex
    digits; lower case, as upper case names the same fingerprint), or None where the text is none:
    an empty, short or non-hex one is a damaged file, not data changed since training."""
    if len(text) == 32 and all(c in "0123456789abcdefABCDEF" for c in text):
        return text.lower()
    return None


def class_indices(Y: ArrayLike) -> NDArray[np.intp]:
    """The class index of each row of a classification target.

    Args:
        Y: one-hot ``(n, k)`` with k > 1 (index = argmax of the row), or one 0/1 column
            ``(n, 1)`` / ``(n,)`` (index 1 where the value is above 0.5).

    Returns:
        shape ``(n,)``, integers in ``0..k-1`` (``0..1`` for a single column).
    """
    Y = np.asarray(Y, dtype=np.float64)
    if Y.ndim == 1:
        Y = Y.reshape(-1, 1)
    if Y.shape[1] == 1:
        return (Y[:, 0] > 0.5).astype(np.intp)
    return np.argmax(Y, axis=1).astype(np.intp)


# --------------------------------------------------------------------------------------------
# Built-in generators


@dataclass(frozen=True)
class DatasetGenerator:
    """One built-in data set: how to make it and its defaults.

    ``make(rng, n_samples, noise, classes)`` receives validated values with defaults filled in
    (``n_samples`` is ``None`` only for the xor truth table).
    """

    name: str
    description: str
    make: Callable[[np.random.Generator, int | None, float, int], Dataset] = field(repr=False)
    default_n_samples: int | None
    min_n_samples: int
    default_noise: float
    task: str = "classification"
    #: ``None``: the generator has a fixed number of classes and refuses ``classes``.
    default_classes: int | None = None
    fixed_classes: int = 2


def _balanced_counts(n: int, k: int) -> list[int]:
    """Split n into k counts as evenly as possible (earlier classes get the extra one)."""
    return [n // k + (1 if i < n % k else 0) for i in range(k)]


def _classification_set(
    rng: np.random.Generator, X: FloatArray, labels: NDArray[np.intp], k: int, name: str
) -> Dataset:
    """Shuffle rows of X (n, 2) and labels (n,) with rng and wrap them; Y is one 0/1 column for
    k == 2 and one-hot (n, k) otherwise."""
    order = rng.permutation(X.shape[0])
    X, labels = X[order], labels[order]
    Y = labels.reshape(-1, 1).astype(np.float64) if k == 2 else _one_hot(labels, k, "data.classes")
    return Dataset(
        X=X,
        Y=Y,
        task="classification",
        class_names=tuple(str(c) for c in range(k)),
        feature_names=("x0", "x1"),
        target_names=("label",),
        source=f"{name} (built-in)",
    )


def _make_xor(rng: np.random.Generator, n: int | None, noise: float, classes: int) -> Dataset:
    """XOR. ``n is None``: the truth table [[0,0],[0,1],[1,0],[1,1]] -> [0,1,1,0] in that order
    (gaussian noise is added to X only if a positive noise was given).
    Otherwise n points uniform in [-1, 1]^2, half of them (as evenly as possible) in the
    opposite-sign quadrants (label 1, x0*x1 < 0) and half in the same-sign ones (label 0),
    then noise * N(0, 1) added to X (labels are those of the clean points), rows shuffled."""
    if n is None:
        X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
        if noise > 0:
            X = X + noise * rng.standard_normal(X.shape)
        return Dataset(X, np.array([[0.0], [1.0], [1.0], [0.0]]), "classification", ("0", "1"),
                       ("x0", "x1"), ("label",), "xor (built-in)")
    n0, n1 = _balanced_counts(n, 2)
    # Magnitudes in (0, 1], so no point lies on an axis and x0*x1 is never 0.
    mag = 1.0 - rng.random((n, 2))
    sign = rng.choice(np.array([-1.0, 1.0]), size=n)
    second = np.concatenate([sign[:n0], -sign[n0:]])  # same sign for class 0, opposite for 1
    X = mag * np.column_stack([sign, second])
    if noise > 0:
        X = X + noise * rng.standard_normal(X.shape)
    labels = np.repeat(np.arange(2), [n0, n1])
    return _classification_set(rng, X, labels, 2, "xor")


def _make_circles(rng: np.random.Generator, n: int | None, noise: float, classes: int) -> Dataset:
    """Two concentric circles, evenly spaced angles: outer radius 1.0 is class 0, inner radius
    0.5 is class 1; noise * N(0, 1) added to both coordinates; rows shuffled."""
    n0, n1 = _balanced_counts(int(n or 0), 2)
    t0 = np.linspace(0.0, 2 * np.pi, n0, endpoint=False)
    t1 = np.linspace(0.0, 2 * np.pi, n1, endpoint=False)
    X = np.vstack([np.column_stack([np.cos(t0), np.sin(t0)]),
                   0.5 * np.column_stack([np.cos(t1), np.sin(t1)])])
    X = X + noise * rng.standard_normal(X.shape)
    return _classification_set(rng, X, np.repeat(np.arange(2), [n0, n1]), 2, "circles")


def _make_moons(rng: np.random.Generator, n: int | None, noise: float, classes: int) -> Dataset:
    """Two interleaving half circles as in scikit-learn's ``make_moons``: class 0 is
    (cos t, sin t), class 1 is (1 - cos t, 0.5 - sin t), t evenly spaced in [0, pi];
    noise * N(0, 1) added; rows shuffled."""
    n0, n1 = _balanced_counts(int(n or 0), 2)
    t0 = np.linspace(0.0, np.pi, n0)
    t1 = np.linspace(0.0, np.pi, n1)
    X = np.vstack([np.column_stack([np.cos(t0), np.sin(t0)]),
                   np.column_stack([1.0 - np.cos(t1), 0.5 - np.sin(t1)])])
    X = X + noise * rng.standard_normal(X.shape)
    return _classification_set(rng, X, np.repeat(np.arange(2), [n0, n1]), 2, "moons")


def _make_spirals(rng: np.random.Generator, n: int | None, noise: float, classes: int) -> Dataset:
    """``classes`` spiral arms as in CS231n (Karpathy): arm k has radius r = linspace(0, 1)
    and angle t = linspace(0, 4) + 2*pi*k/K + noise * N(0, 1), point (r sin t, r cos t).
    The arms start evenly spread around the circle (CS231n uses an offset of 4k radians,
    which crowds some arms together when K > 3). Rows shuffled."""
    counts = _balanced_counts(int(n or 0), classes)
    parts = []
    for k, n_k in enumerate(counts):
        r = np.linspace(0.0, 1.0, n_k)
        t = np.linspace(0.0, 4.0, n_k) + 2 * np.pi * k / classes + noise * rng.standard_normal(n_k)
        parts.append(np.column_stack([r * np.sin(t), r * np.cos(t)]))
    X = np.vstack(parts)
    return _classification_set(rng, X, np.repeat(np.arange(classes), counts), classes, "spirals")


def _make_sine(rng: np.random.Generator, n: int | None, noise: float, classes: int) -> Dataset:
    """1-D regression: x uniform in [-pi, pi], shape (n, 1); y = sin(x) + noise * N(0, 1), (n, 1)."""
    x = rng.uniform(-np.pi, np.pi, size=(int(n or 0), 1))
    y = np.sin(x) + noise * rng.standard_normal(x.shape)
    return Dataset(x, y, "regression", None, ("x",), ("y",), "sine (built-in)")


GENERATORS: dict[str, DatasetGenerator] = {
    g.name: g
    for g in (
        DatasetGenerator("circles", "two concentric circles (inner = class 1), 2 inputs, 1 output",
                         _make_circles, 200, 2, 0.1),
        DatasetGenerator("moons", "two interleaving half moons, 2 inputs, 1 output",
                         _make_moons, 200, 2, 0.1),
        DatasetGenerator("sine", "y = sin(x) + noise for x in [-pi, pi], 1 input, 1 output (regression)",
                         _make_sine, 200, 1, 0.1, task="regression", fixed_classes=0),
        DatasetGenerator("spirals", "K interleaved spiral arms (data.classes, default 2), 2 inputs, "
                         "1 output for 2 arms, K one-hot outputs otherwise",
                         _make_spirals, 300, 2, 0.2, default_classes=2),
        DatasetGenerator("xor", "the 4-row XOR truth table, or n noisy points in [-1,1]^2 labelled "
                         "by x0*x1 < 0, 2 inputs, 1 output", _make_xor, None, 4, 0.0),
    )
}


def _is_whole(value: Any) -> bool:
    return isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_))


def _is_real(value: Any) -> bool:
    return isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(
        value, (bool, np.bool_)
    )


def generate(
    name: str,
    rng: np.random.Generator,
    n_samples: int | None = None,
    noise: float | None = None,
    classes: int | None = None,
) -> Dataset:
    """Make the built-in data set ``name`` (a key of :data:`GENERATORS`).

    Args:
        name: ``circles``, ``moons``, ``sine``, ``spirals`` or ``xor``.
        rng: the only source of randomness; the same seed gives the same data.
        n_samples: number of rows; ``None`` = the generator's default (for xor: the 4-row
            truth table). Classes get ``n_samples`` split as evenly as possible, so it must be
            at least the number of classes (4 for xor).
        noise: standard deviation of the gaussian noise (spirals: of the angle); ``None`` =
            default. Must be >= 0.
        classes: number of spiral arms (spirals only, >= 2).

    Returns:
        A :class:`Dataset`: ``X`` (n_samples, n_inputs), ``Y`` (n_samples, n_outputs).

    Raises:
        DataError: naming ``data.dataset``, ``data.n_samples``, ``data.noise`` or ``data.classes``.
    """
    from .names import choose

    name = choose(name, "data.dataset", sorted(GENERATORS), error=DataError)
    gen = GENERATORS[name]

    if classes is not None:
        if gen.default_classes is None:
            takes = ", ".join(g.name for g in GENERATORS.values() if g.default_classes is not None)
            raise DataError(f"data.classes: the {name} data set has a fixed number of classes and "
                            f"takes no data.classes (given {shown(classes)}); only {takes} does")
        if not _is_whole(classes) or classes < 2:
            raise DataError(f"data.classes: {shown(classes)} is not allowed; use a whole number >= 2")
    k = int(classes) if classes is not None else (gen.default_classes or gen.fixed_classes)

    if noise is None:
        noise_value = gen.default_noise
    elif not _is_real(noise) or not math.isfinite(float(noise)) or noise < 0:
        raise DataError(f"data.noise: {shown(noise)} is not allowed; use a number >= 0")
    else:
        noise_value = float(noise)

    if n_samples is None:
        n = gen.default_n_samples
    else:
        least = max(gen.min_n_samples, k)
        if not _is_whole(n_samples) or n_samples < least:
            why = f" (at least one per class for {k} classes)" if least == k and k > 1 else ""
            raise DataError(f"data.n_samples: {shown(n_samples)} is not allowed for {name}; "
                            f"use a whole number >= {least}{why}", depends_on=("data.classes",) if why else ())
        n = int(n_samples)
    if n is not None and n < k:  # default n with many spiral arms
        raise DataError(f"data.classes: {k} classes need data.n_samples >= {k}, it is {n}", depends_on=("data.n_samples",))
    with np.errstate(over="ignore", invalid="ignore"):
        ds = gen.make(rng, n, noise_value, k)
    if not (np.isfinite(ds.X).all() and np.isfinite(ds.Y).all()):  # noise * N(0, 1) overflowed
        raise DataError(f"data.noise: {shown(noise_value)} is too large for {name}: the generated data are "
                        "not finite numbers (they overflow); use a smaller data.noise")
    return ds


# --------------------------------------------------------------------------------------------
# Files: shared helpers


def _show(value: object) -> str:
    """A cell or column name for a one-line message: as text, by ``names.shown`` (bare, or quoted as
    YAML would quote it: ``''``, ``'1,5'``, ``"a\\nb"``), shortened if long; bytes that are not UTF-8
    (read as surrogates, \\udcXX) shown as the bytes they are, \\xXX."""
    text = shown(value if isinstance(value, str) else str(value))
    return re.sub(r"\\udc([89a-f][0-9a-f])", r"\\x\1", text)


def _show_cell(cell: str) -> str:
    """A cell that should hold a number, as its error and that error's hint show it: by ``_show``,
    and quoted where ``_show`` leaves a blank inside it bare (``'1 2'``: 'replace 1 2 in row 7 with a
    number' read as two cells)."""
    text = _show(cell)
    if not text.startswith(("'", '"')) and any(c.isspace() for c in text):
        # as names.shown quotes: "it's 1" in double quotes, not YAML's 'it''s 1' (a quote the file lacks)
        return f'"{text}"' if "'" in text and '"' not in text and "\\" not in text else "'" + text.replace("'", "''") + "'"
    return text


def _one_line(exc: object, limit: int = 120) -> str:
    """An exception's text for a one-line message."""
    text = " ".join(str(exc).split())
    return text if len(text) <= limit else text[:limit] + "..."


def _name_list(names: Sequence[str], limit: int = 20) -> str:
    """Column names for a message, e.g. ``a, b, c``; long lists are shortened."""
    listed = [n if n.isprintable() and n else _show(n) for n in names]
    if len(listed) > limit:
        listed = listed[:10] + ["..."] + listed[-3:]
        return ", ".join(listed) + f" ({len(names)} columns)"
    return ", ".join(listed)


def _check_task(task: object) -> str:
    from .names import choose

    return choose(task, "data.task", TASKS, error=DataError)


def npz_kind(path: Path) -> str:
    """What a file that should be an ``.npz`` archive is, from its first bytes: ``"zip"`` (an
    archive, maybe still corrupt), ``"npy"`` (a single array, ``numpy.save``), ``"pickle"``,
    ``"empty"`` or ``"other"``. ``numpy.load`` calls everything that is neither zip nor npy
    "pickled data", which misleads for a text file or a truncated download."""
    with path.open("rb") as f:
        head = f.read(8)
    if not head:
        return "empty"
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return "zip"
    if head.startswith(b"\x93NUMPY"):
        return "npy"
    if head[:1] == b"\x80":
        return "pickle"
    return "other"


def file_problem(path: Path) -> str | None:
    """Why ``path`` cannot be read as a file ("no such file", "is a folder, not a data file",
    or the system's reason: no permission, a name too long), or None."""
    try:
        if not path.exists():
            if path.is_symlink():  # a broken link, there in `ls`: said as one, as a model's is
                return f"is {not_a_file(path) or 'a broken link'}, not a data file"
            return "no such file"
        if path.is_dir():
            return "is a folder, not a data file"
    except (OSError, ValueError) as e:
        return f"cannot be read ({getattr(e, 'strerror', None) or e})"
    return None


def _check_file(path: Path) -> None:
    """Refuse a missing path or a folder with a message naming it."""
    problem = file_problem(path)
    if problem is not None:
        raise DataError(f"{path}: {problem}")


def _as_whole_numbers(values: FloatArray) -> bool:
    """True when every value of a finite float array is a whole number."""
    return bool(np.all(values == np.round(values)))


def _one_hot(codes: NDArray[np.intp], k: int, where: str) -> FloatArray:
    """One-hot matrix (n, k) with a 1 in column codes[i] of row i."""
    if codes.shape[0] * k > MAX_ONE_HOT_CELLS:
        raise _of_target(DataError(f"{where}: {k} classes for {codes.shape[0]} rows make a one-hot target of "
                                   f"{codes.shape[0] * k} cells; at most {MAX_ONE_HOT_CELLS} are allowed"))
    Y = np.zeros((codes.shape[0], k))
    Y[np.arange(codes.shape[0]), codes] = 1.0
    return Y


def label_name(value: float) -> str:
    """The name of a numeric class label, as a user writes it: a whole number without a decimal
    point (2.0 -> "2"), any other in its shortest form (2.50 -> "2.5")."""
    v = float(value)
    return str(int(v)) if v.is_integer() else repr(v)


def _numeric_name(name: str) -> float | None:
    try:
        v = float(name)
    except ValueError:
        return None
    return v if math.isfinite(v) and "_" not in name else None


def legacy_label_names(names: Sequence[str]) -> tuple[str, ...] | None:
    """The names versions before Dec 2026 gave numeric labels ``names`` (as ``label_name`` spells
    them) when whole numbers stood beside fractional ones: every one as a float, "2.0" beside "2.5".
    None when those versions named them alike (all whole, or not all numbers)."""
    values = [_numeric_name(n) for n in names]
    if any(v is None or label_name(v) != n for v, n in zip(values, names)):
        return None
    if all(v.is_integer() for v in values) or not any(v.is_integer() for v in values):  # type: ignore[union-attr]
        return None
    return tuple(repr(float(v)) for v in values)  # type: ignore[arg-type]


def modern_label_names(names: tuple[str, ...]) -> tuple[str, ...]:
    """A model file's class names as ``label_name`` spells them, where an older version wrote
    mixed numeric labels as floats ("2.0", "2.5" -> "2", "2.5"); other names unchanged."""
    values = [_numeric_name(n) for n in names]
    if any(v is None or repr(v) != n for v, n in zip(values, names)):
        return names
    modern = tuple(label_name(v) for v in values)  # type: ignore[arg-type]
    return modern if legacy_label_names(modern) == names and len(set(modern)) == len(modern) else names


def _encode_numeric_labels(values: FloatArray) -> tuple[NDArray[np.intp], tuple[str, ...]]:
    """Class codes (n,) and names for numeric labels (n,), sorted numerically, each named by
    ``label_name``: whole numbers without a decimal point ("3", not "3.0"), beside fractional
    ones too ("2", "2.5")."""
    uniq, codes = np.unique(values, return_inverse=True)
    names = tuple(label_name(v) for v in uniq.tolist())
    return codes.reshape(-1).astype(np.intp, copy=False), names


_EXACT = 2.0**53  # from here on, float64 holds only some whole numbers: 2**53 + 1 reads as 2**53


def _merged_labels(exact: Sequence[Any], values: FloatArray) -> tuple[int, int] | None:
    """The first two positions whose labels differ as written (``exact``: ints, Decimals) but are
    one float64 value in ``values`` (2**53 + 1 and 2**53: read by value, they would be one class),
    else None."""
    seen: dict[float, tuple[Any, int]] = {}
    for i, (e, v) in enumerate(zip(exact, values.tolist())):
        first = seen.setdefault(v, (e, i))
        if first[0] != e:
            return first[1], i
    return None


def _merged_message(place: str, first: tuple[str, str], second: tuple[str, str], value: float) -> str:
    """``place``, the two labels and where they are (``(label, where)``), and what to do."""
    return (f"{place}: the labels {first[0]} ({first[1]}) and {second[0]} ({second[1]}) differ but are one "
            f"float64, {label_name(value)} (beyond 2^53 not every whole number is one), so they would be one "
            f"class; write such labels as text, e.g. id{second[0]}")


def _encode_text_labels(values: Sequence[str] | NDArray[Any]) -> tuple[NDArray[np.intp], tuple[str, ...]]:
    """Class codes (n,) and names for text labels, sorted as text (by code point).

    ``values``: strings, or an array of them (``U``, or ``S`` holding UTF-8, whose byte order
    is the code point order).
    """
    uniq, codes = np.unique(np.asarray(values), return_inverse=True)
    names = tuple(u.decode("utf-8") if isinstance(u, bytes) else str(u) for u in uniq.tolist())
    return codes.reshape(-1).astype(np.intp, copy=False), names


def _check_class_count(names: tuple[str, ...], task: str, where: str) -> None:
    """At least 2 classes; under auto, not so many that the column looks like a quantity."""
    if len(names) < 2:
        # under auto only whole numbers get here (text is always labels): a hand-worked
        # example's single target y = 3 is a quantity far more often than a lone class
        hint = ("data.task is auto, which reads a column of whole numbers as class labels; if the "
                "target is a quantity (a regression target, as a hand-worked example's y), set "
                "data.task: regression" if task == "auto" else None)
        raise _of_target(DataError(f"{where}: the target has only one class ({_show(names[0])}); "
                                   "classification needs at least 2", hint=hint))
    if task == "auto" and len(names) > AUTO_MAX_CLASSES:  # data.task auto's reading of the column
        raise _of_target(DataError(f"{where}: {len(names)} distinct whole numbers look like a quantity, not "
                                   f"class labels (auto allows at most {AUTO_MAX_CLASSES} classes); set "
                                   "data.task to 'regression' or 'classification'", depends_on=("data.task",)))


def _check_one_hot(Y: FloatArray, describe_row: Callable[[int], str],
                   error: type[DataError] = DataError) -> None:
    """Y (n, k) must hold only 0 and 1 with exactly one 1 per row (``error`` otherwise)."""
    bad = ~np.all((Y == 0.0) | (Y == 1.0), axis=1) | (Y.sum(axis=1) != 1.0)
    if np.any(bad):
        i = int(np.argmax(bad))
        e = error(f"{describe_row(i)}: targets {Y[i].tolist()} are not one-hot; with several "
                  "target columns and task classification every row needs exactly one 1 "
                  "and 0 elsewhere")
        e.depends_on = ("data.task",)  # its reading of the columns (under auto they would be numbers)
        raise _of_target(e)


def one_hot_rows(Y: FloatArray) -> bool:
    """Whether ``Y`` (n, k), k ≥ 2 and n ≥ 1, is one-hot: only 0 and 1, exactly one 1 per row. Under
    ``task="auto"`` the loaders read several such target columns as classes, one per column (they were
    fit as numbers: no accuracy, no class report, the split not stratified, under a softmax output with
    cross-entropy too); ``"regression"`` keeps them numbers."""
    if Y.ndim != 2 or Y.shape[1] < 2 or Y.shape[0] == 0:
        return False
    return bool(np.all((Y == 0.0) | (Y == 1.0)) and np.all(Y.sum(axis=1) == 1.0))


def check_class_targets(Y: FloatArray, describe_row: Callable[[int], str],
                        error: type[DataError] = DataError) -> None:
    """Classification targets as the loaders make them: one-hot rows over k > 1 columns
    (``_check_one_hot``), or a single column of 0 and 1 (two classes: the class of a 0 and of
    a 1). ``error`` naming the first other row: a label 2 in one column was trained as class 1
    (above 0.5) under a cost that is not one, and a row [1, 1, 0] or [0, 0, 0] as no class."""
    if Y.shape[1] != 1:
        _check_one_hot(Y, describe_row, error)
        return
    bad = (Y[:, 0] != 0.0) & (Y[:, 0] != 1.0)
    if np.any(bad):
        i = int(np.argmax(bad))
        k = int(np.count_nonzero(bad))
        raise error(f"{describe_row(i)}: target {label_name(float(Y[i, 0]))} is not 0 or 1"
                    f"{f' ({k} rows hold other values)' if k > 1 else ''}; a single target column of task "
                    "classification holds 0 (the first class) or 1 (the second); for more classes "
                    "give one-hot rows, one column per class (np.eye(k)[labels] for labels 0 … k−1), "
                    "and one class name per column")


# --------------------------------------------------------------------------------------------
# CSV


def _split_line(line: str, delimiter: str) -> int:
    """Number of cells csv finds in one physical line with this delimiter (1 on failure)."""
    try:
        return len(next(csv.reader([line], delimiter=delimiter), [""]))
    except csv.Error:
        return 1


def _sniff_delimiter(header: str, first_row: str | None) -> str:
    """Choose ',', ';' or tab from the header line and the first data line.

    A delimiter is *consistent* when it splits both lines into the same number (> 1) of cells;
    the consistent one with the most cells wins (so ``a;b`` / ``5,1;3,2`` is ';'). If none is
    consistent, the one giving the header the most cells wins; ties and one-column files go
    to ','.
    """
    best, best_key = ",", (False, 1)
    for d in _DELIMITERS:
        n_head = _split_line(header, d)
        same = first_row is not None and _split_line(first_row, d) == n_head
        key = (same and n_head > 1, n_head)
        if key > best_key:
            best, best_key = d, key
    return best


#: The longest line a CSV file may have, in characters (64 Mi: a million columns of 60-digit
#: numbers). Python reads a whole line before csv's limit on one cell (128 Ki characters) can
#: apply, so a file without line breaks (``/dev/zero``, a binary file) was read until memory ran out.
MAX_CSV_LINE = 2**26


def _lines(f: TextIO, where: str) -> Iterator[str]:
    """The lines of ``f``; one longer than :data:`MAX_CSV_LINE` is refused, naming its row."""
    readline = f.readline
    number = 0
    while True:
        line = readline(MAX_CSV_LINE + 1)
        if not line:
            return
        number += 1
        if len(line) > MAX_CSV_LINE:
            raise DataError(f"{where} row {number}: is not valid CSV (a line longer than {MAX_CSV_LINE:,} "
                            "characters, the most allowed); is it a CSV file?")
        yield line


#: Stands for a NUL in a header line while csv splits it (a noncharacter, in no column name)
_NUL_MASK = "\ufffe"


def _peek_lines(f: Iterator[str]) -> tuple[list[str], str | None, str | None]:
    """Read lines up to and including the first two non-blank ones (lines of separators alone,
    ',,,', skipped: they are no header or row to tell the separator by).

    Returns (lines read, header line or None, first data line or None); the lines read are
    chained back in front of the file so the csv reader sees the whole file once.
    """
    lines: list[str] = []
    found: list[str] = []
    separators: str | None = None  # the first line of separators alone (',,,'), if no other comes
    for line in f:
        lines.append(line)
        if line.strip():
            if not line.strip(_SEPARATOR_CHARS):  # an export's empty row: it says nothing of the separator
                separators = separators or line  # (',,' above 'a;b;y' made ',' the separator)
                continue
            found.append(line)
            if len(found) == 2:
                break
    if not found and separators is not None:
        found.append(separators)
    return lines, (found[0] if found else None), (found[1] if len(found) > 1 else None)


#: What a line of separators alone holds (``_peek_lines``, ``_find_header``): ',', ';', tabs and spaces.
_SEPARATOR_CHARS = ",;\t \r\n"


def _blank(row: list[str]) -> bool:
    return not any(map(str.strip, row))


def _blank_line(row: list[str], delimiter: str) -> bool:
    """Is ``row`` a blank line (empty, or spaces and tabs alone), as opposed to one of separators alone
    (``,,,,``, see :func:`_find_header`) or of empty quoted names (``"",""``)?"""
    return _blank(row) and (len(row) <= 1 or delimiter.isspace())


class _HeadLines:
    """The lines of ``source`` a csv reader reads while it looks for the header row, kept in ``lines``
    (a row's raw text: ``,,`` from ``"",""``); after :meth:`stop` it ends, and the reader, chained on to
    ``source``, reads the rest of the file straight from it."""

    def __init__(self, source: Iterator[str]) -> None:
        self.source = source
        self.lines: list[str] = []
        self.on = True

    def __iter__(self) -> _HeadLines:
        return self

    def __next__(self) -> str:
        if not self.on:
            raise StopIteration
        line = next(self.source)
        self.lines.append(line)
        return line

    def stop(self) -> None:
        self.on = False
        self.lines = []


def _looks_like_data(row: list[str], named: Sequence[str] = ()) -> bool:
    """Does ``row`` read as a row of data rather than column names: at least one of its non-empty cells a
    number, and at least half of them (``5.1,3.5,1.4,0.2,setosa``), unless it holds every column the caller
    asks for by name (see :func:`_read_header`)?"""
    cells = [nfc(cell.strip()) for cell in row if cell.strip()]
    numbers = sum(1 for cell in cells if _finite_number(cell) or comma_number(cell))
    return numbers >= 1 and 2 * numbers >= len(cells) and not (named and set(named) <= set(cells))


def _no_names(where: str, line: int, n: int, separators_alone: bool) -> DataError:
    """The error for a header row of ``n`` columns whose every name is empty."""
    why = "the line holds separators alone" if separators_alone else 'every name is empty: "" or spaces in quotes'
    return DataError(f"{where} row {line}: every column ({n}) has an empty name ({why}); every column needs a "
                     "name in the header row",
                     "write the column names on that line or, if they are on a later one, remove the lines above them")


def _find_header(rows: Iterator[list[str]], reader: Any, head: _HeadLines, delimiter: str, where: str,
                 named: Sequence[str] = ()) -> list[str] | None:
    """The header row: the first row that is not blank (empty, spaces, tabs) nor of separators alone
    (``,,,,``, an empty row as Excel exports write it: skipped), or None; ``reader.line_num`` is then its
    line. A line of separators alone is refused (at the first such line) when the row that would be the
    header after it looks like data (:func:`_looks_like_data`), or when none follows: that line is where
    the column names belong, and a header of numbers would take the first example (iris with ``,,,,`` for
    its header line)."""
    separators: tuple[int, int] | None = None  # (line, cells) of the first line of separators alone
    header = None
    for row in rows:
        raw = "".join(head.lines)
        head.lines.clear()
        if _blank_line(row, delimiter):
            continue
        # (any of the separators: ',,' above a header of 'a;b;y' is one cell under ';', an empty row still)
        if (_blank(row) and not raw.replace(delimiter, "").strip()) or not raw.strip(_SEPARATOR_CHARS):
            cells = max(len(row), *(_split_line(raw.strip("\r\n"), d) for d in _DELIMITERS))  # ',,': 3 under ';' too
            separators = separators or (reader.line_num, cells)
            continue
        header = row
        break
    head.stop()
    if separators is not None and (header is None or _looks_like_data(header, named)):
        raise _no_names(where, *separators, separators_alone=True)
    return header


#: Cells that spreadsheets, pandas and R write for a missing value (compared case-insensitively):
#: in a target column they are refused as an empty cell is, not read as a class of their own.
MISSING_MARKERS = ("na", "n/a", "#n/a", "nan", "null", "none", "?", "-", "--")


def missing_marker(text: str) -> bool:
    """Is ``text`` (stripped) one of the :data:`MISSING_MARKERS`?"""
    return text.strip().casefold() in MISSING_MARKERS


def _bad_number(where: str, line: int, column: str, cell: str, delimiter: str) -> DataError:
    """The error for a cell that should hold a finite number."""
    place = f"{where} row {line}, column {_show(column)}"
    text = cell.strip()
    if not text:
        return _in_column(DataError(f"{place}: the cell is empty; a number is required"), column)
    try:
        number = float(text)
    except ValueError:
        number = None
    if number is not None and "_" not in text:
        return DataError(f"{place}: {_show_cell(cell)} is not allowed; NaN and infinite values are not "
                         "supported, use a finite number")
    hint = ""
    text_cell = number is None and not comma_number(text) and not ("," in text and delimiter != ",")
    if "," in text and delimiter != ",":
        sep = "tab" if delimiter == "\t" else repr(delimiter)
        words = comma_fix(text, delimiter)[0] if comma_number(text) else "write decimals with '.'"
        hint = f" (this file uses {sep} as separator; {words})"
    elif comma_number(text):  # quoted "1,5" in a ',' file
        words, number = comma_fix(text, delimiter)
        hint = f" ({words}{f': {number}' if number else ''})"
    if not hint and missing_marker(text):
        hint = " (it reads as a missing value)"
    elif not hint and "\u2212" in text and _finite_number(text.replace("\u2212", "-")):
        hint = " (it uses the Unicode minus '\u2212'; write '-')"
        text_cell = False
    error = DataError(f"{place}: {_show_cell(cell)} is not a number{hint}")
    return _in_column(error, column) if text_cell else error


def _of_target(error: DataError) -> DataError:
    """``error`` marked as one about the column(s) data.target chose as a whole (not one of its cells): too
    few or too many classes, several target columns not all numbers or not one-hot (data.task's reading
    of them): ``prepare`` names data.target's --set (``target_choice``)."""
    error.target_choice = True  # type: ignore[attr-defined]
    return error


def _in_column(error: DataError, column: str) -> DataError:
    """``error`` marked as a cell of ``column`` that is text or empty, not a mistyped number:
    :func:`load_csv` then hints that the column may not be an input at all (an id, notes)."""
    error.text_column = column  # type: ignore[attr-defined]
    return error


#: Data rows parsed per block: the csv module hands over text cells, and every block of rows
#: becomes numbers at once, so the whole file's text is never held (nor a Python float per cell).
CSV_BLOCK_ROWS = 8192
#: ... and at most this many cells a block: a file of 3,000 columns held 8,192 rows × 3,000 cells as
#: Python strings at once (2.4 GB to read a 145 MB file)
CSV_BLOCK_CELLS = 8192 * 16


def _finite_number(cell: str) -> bool:
    """True when ``float`` reads the cell as a finite number (underscores, which ``float``
    accepts in ``1_0``, are refused)."""
    try:
        return math.isfinite(float(cell)) and "_" not in cell
    except ValueError:
        return False


class _TextColumn:
    """One column kept as text (a target, whose meaning depends on the task), stored compactly:
    blocks of UTF-8 bytes (``numpy`` ``S`` arrays, one byte per ASCII character) and, for
    blocks whose every cell is a number (NaN/inf included), the numbers as float64."""

    def __init__(self) -> None:
        self._text: list[NDArray[np.bytes_]] = []
        self._numbers: list[FloatArray | None] = []

    def add(self, cells: list[str]) -> None:
        """Append a block of stripped cells."""
        self._text.append(np.array([c.encode("utf-8") for c in cells], dtype=np.bytes_))
        numbers: FloatArray | None
        try:
            numbers = np.fromiter(map(float, cells), dtype=np.float64, count=len(cells))
        except ValueError:
            numbers = None
        if numbers is not None and "_" in "".join(cells):  # float() accepts "1_0"; we do not
            numbers = None
        self._numbers.append(numbers)

    def text(self) -> NDArray[np.bytes_]:
        """Every cell as UTF-8 bytes, shape (n,)."""
        return np.concatenate(self._text) if self._text else np.zeros(0, dtype=np.bytes_)

    def numbers(self) -> FloatArray | None:
        """Every cell as a float, shape (n,), when all are numbers (NaN/inf included), else None."""
        if any(block is None for block in self._numbers):
            return None
        blocks = [b for b in self._numbers if b is not None]
        return np.concatenate(blocks) if blocks else np.zeros(0)

    @property
    def n_blocks(self) -> int:
        return len(self._text)

    def bad_in_block(self, b: int) -> NDArray[np.bool_]:
        """Block b's cells that are not finite numbers, shape (rows of the block,)."""
        numbers = self._numbers[b]
        if numbers is not None:
            return ~np.isfinite(numbers)
        return np.array([not _finite_number(bytes(c).decode("utf-8")) for c in self._text[b]], dtype=bool)

    def cell(self, row: int) -> str:
        """The text of one cell (for messages)."""
        for block in self._text:
            if row < block.shape[0]:
                return bytes(block[row]).decode("utf-8")
            row -= block.shape[0]
        raise IndexError(row)


class TextCells:
    """One column's cells as text, as the CSV reader gives them (quotes undone, spaces around a
    cell dropped), in file order: what ``backprop predict --keep`` copies to its output.

    Stored per block of rows as one string and the end offset of each cell, so a column of short
    ids costs about its text plus 8 bytes a row, and a long note in one row widens nothing else
    (a numpy ``S``/``U`` array pads every cell to the longest).
    """

    def __init__(self) -> None:
        self._blocks: list[tuple[str, NDArray[np.int64]]] = []
        self._n = 0

    def add(self, cells: list[str]) -> None:
        """Append a block of cells."""
        ends = np.cumsum(np.fromiter(map(len, cells), dtype=np.int64, count=len(cells)))
        self._blocks.append(("".join(cells), ends))
        self._n += len(cells)

    def __len__(self) -> int:
        return self._n

    def __iter__(self) -> Iterator[str]:
        for text, ends in self._blocks:
            start = 0
            for end in ends.tolist():
                yield text[start:end]
                start = end

    def tolist(self) -> list[str]:
        return list(self)


@dataclass
class _CsvTable:
    """What one pass over a CSV file collects.

    Attributes:
        X: the numeric columns, shape (n_rows, len(feature_idx)).
        texts: one :class:`_TextColumn` per index of ``text_idx``.
        lines: the 1-based file line of each row, shape (n_rows,), for messages.
        kept: one :class:`TextCells` per column kept as it is (``predict --keep``).
    """

    names: list[str]
    feature_idx: list[int]
    text_idx: list[int]
    delimiter: str
    X: FloatArray
    texts: list[_TextColumn]
    lines: NDArray[np.int64]
    kept: list[TextCells] = field(default_factory=list)

    @property
    def n_rows(self) -> int:
        return int(self.lines.shape[0])


def nfc(name: str) -> str:
    """``name`` in Unicode's composed form (NFC): "é" typed as e + a combining accent (NFD, as macOS
    file names and some exports write it) is the same name as the one-character "é" a config or
    another file writes, where the two looked alike in an error and did not match."""
    return name if name.isascii() else unicodedata.normalize("NFC", name)


def _nfc_labels(text: NDArray[np.bytes_]) -> NDArray[np.bytes_]:
    """Label cells (UTF-8 bytes) in NFC (see :func:`nfc`): "café" written two ways is one class."""
    uniq, inverse = np.unique(text, return_inverse=True)
    fixed = [nfc(u.decode("utf-8")).encode("utf-8") for u in uniq.tolist()]
    if fixed == uniq.tolist():
        return text
    return np.array(fixed, dtype=np.bytes_)[inverse.reshape(-1)]


def _read_header(row: list[str], line: int, where: str, named: Sequence[str] = ()) -> list[str]:
    """Column names (stripped) of the header row at file line ``line``: non-empty, unique, and
    not all numbers (a file without a header row would lose its first example to it), unless
    it holds every column in ``named``, the columns the caller asks for by name (a model's
    features ``1`` and ``2``: the row is their header)."""
    names = [nfc(cell.strip()) for cell in row]
    if all(_finite_number(name) for name in names) and not (named and set(named) <= set(names)):
        raise DataError(f"{where} row {line}: the header row holds only numbers ({_name_list(names, 6)}); "
                        "the file seems to have no header row; add one with the column names (at least "
                        "one name that is not a number)")
    if len(names) > 1 and not any(names):  # `"",""` (a line of separators alone, `,,,,`, is skipped or refused
        raise _no_names(where, line, len(names), separators_alone=False)  # before: _find_header)
    for i, name in enumerate(names):
        if not name:
            hint = None
            if names[0].casefold().startswith("sep=") and len(names) <= 2:
                hint = "the first line is Excel's sep= line, which names the separator: remove it"
            elif i == len(names) - 1 and len(names) > 1:
                hint = ("the header ends with a separator: if every line does, remove the separator at the end of "
                        "each line (or name the column)")
            elif i == 0 and len(names) > 1:
                hint = ("a first column without a name is what pandas' DataFrame.to_csv() writes for the index: "
                        "save with index=False (or name the column)")
            raise DataError(f"{where} row {line}: column {i + 1} has an empty name; every column needs "
                            "a name in the header row", hint)
    seen: set[str] = set()
    for name in names:
        if name in seen:
            raise DataError(f"{where}: the header names column {_show(name)} more than once; "
                            "column names must be unique")
        seen.add(name)
    return names


def _resolve_targets(names: list[str], target: str | Sequence[str] | None, where: str) -> list[int]:
    """Indices of the target columns (default: the last column)."""
    if target is None:
        return [len(names) - 1]
    wanted = [target] if isinstance(target, str) else list(target)
    if not wanted or not all(isinstance(t, str) for t in wanted):
        raise DataError(f"data.target: {shown(target)} is not allowed; give a column name or a list of "
                        "column names")
    wanted = [nfc(t.strip()) for t in wanted]
    if len(set(wanted)) != len(wanted):
        raise DataError(f"data.target: {shown(target)} names a column more than once")
    index = {name: i for i, name in enumerate(names)}
    for t in wanted:
        if t not in index:
            raise DataError(f"{where}: target column {_show(t)} (data.target) not found; columns are: "
                            f"{_name_list(names)}", _column_hint([t], names))
    return [index[t] for t in wanted]


def _feature_names(features: str | Sequence[str]) -> list[str]:
    """``load_csv``'s ``features`` as a list of stripped names (as a header's are); a DataError for
    anything but a column name or a non-empty list of distinct, non-empty ones."""
    wanted = [features] if isinstance(features, str) else list(features)
    if not wanted or not all(isinstance(f, str) and f.strip() for f in wanted):
        raise DataError(f"data.features: {shown(features)} is not allowed; give a column name or a list of "
                        "column names")
    wanted = [nfc(f.strip()) for f in wanted]
    if len(set(wanted)) != len(wanted):
        raise DataError(f"data.features: {shown(features)} names a column more than once")
    return wanted


def _resolve_features(names: list[str], wanted: list[str], target_idx: list[int], default_target: bool,
                      where: str) -> list[int]:
    """Indices of the input columns ``data.features`` lists, in its order: each must be in the
    header, and none a target column."""
    index = {name: i for i, name in enumerate(names)}
    missing = [f for f in wanted if f not in index]
    if missing:
        what = "column" if len(missing) == 1 else "columns"
        raise DataError(f"{where}: input {what} {', '.join(_show(f) for f in missing[:10])}"
                        f"{f', … ({len(missing)} in all)' if len(missing) > 10 else ''} (data.features) not found; "
                        f"columns are: {_name_list(names)}",
                        _column_hint(missing, names, [*wanted, *(names[i] for i in target_idx)]))
    both = next((f for f in wanted if index[f] in target_idx), None)
    if both is not None:
        which = ("the target (the last column, as data.target is not given)" if default_target
                 else "a target (data.target)")
        raise DataError(f"{where}: column {_show(both)} is in data.features and is {which}; a column is an input "
                        "or a target, not both",
                        "name the target column with data.target" if default_target else None)
    return [index[f] for f in wanted]


_ID_NAME = re.compile(r"(.*[ _.\-])?(id|ids|idx|index|uuid|key)|row([ _]?(id|no|num|number))?|unnamed: ?\d+|#|no\.?",
                      re.IGNORECASE)
_CAMEL_ID = re.compile(r"[a-z][A-Za-z]*(ID|Id)")  # customerID, userId (not paid, grid, humid)


def id_like(name: str) -> bool:
    """Does a column's name say it holds row ids (``id``, ``row_id``, ``customerID``, ``index``,
    pandas' ``Unnamed: 0``), which are no input nor target to learn?"""
    name = name.strip()
    return _ID_NAME.fullmatch(name) is not None or _CAMEL_ID.fullmatch(name) is not None


def _features_hint(column: str, names: list[str], feature_idx: list[int], target_idx: list[int],
                   default_target: bool) -> str:
    """The hint for a text or empty cell in an input column when ``data.features`` is not given:
    the column may be an id or notes, which data.features leaves out (with any column whose name
    says it holds ids). When the target is the last column by default and its name says it is an id,
    the text column may be the labels: data.target names it. Under a header of mostly numbers, that the
    header row looks missing."""
    if _mostly_numbers(names):  # `tail -n +2 house.csv`: 'list the inputs with data.features: ['0.1257', …]'
        return ("the header row looks missing: most of the first row's cells are numbers, data rather than "
                "column names; add a line with the column names above it")
    targets = ", ".join(_show(names[i]) for i in target_idx)
    but = f"the target ({targets}, the last column)" if default_target else f"data.target ({targets})"
    rest = [names[i] for i in feature_idx if names[i] != column]
    ids = [c for c in rest if id_like(c)]
    rest = [c for c in rest if c not in ids]
    if not rest:
        return f"every column but {but} is an input"
    listed = shown(rest)
    listed += f" ({len(rest)} columns)" if "..." in listed else ""
    if default_target and len(target_idx) == 1 and id_like(names[target_idx[0]]):
        # label,a,b,c,id: the id was the target and the labels "not a number"; data.task: regression would train on the id
        return (f"the target is the last column, {targets}, as data.target is not given, and its name says it holds "
                f"ids; if column {_show(column)} holds the labels, set data.target: {shown(column)} and "
                f"data.features: {listed}")
    left = ""
    if ids:
        left = (f", and {', '.join(_show(c) for c in ids)} too (its name says it holds ids)" if len(ids) == 1 else
                f", and {', '.join(_show(c) for c in ids)} too (their names say they hold ids)")
    return (f"every column but {but} is an input; to leave column {_show(column)} out (ids, names, notes){left}, "
            f"list the inputs with data.features: {listed}")


def _space_separated(names: Sequence[str]) -> str | None:
    """The hint for a header read as one column whose name is several words (``x1 x2 y``: numpy's
    ``np.savetxt`` separates by spaces), else None: the separators are ',', ';' and tab only."""
    if len(names) != 1 or len(names[0].split()) < 2:
        return None
    return (f"the header is one column, {_show(names[0])}: the file looks separated by spaces (as np.savetxt "
            "writes by default), but the separators read are ',', ';' and tab: save it with delimiter=',' "
            "(or convert it: tr -s ' ' ',' < old > new.csv)")


def _mostly_numbers(names: Sequence[str]) -> bool:
    """Are most (more than half) of a header's non-empty cells numbers, one of them not a whole number,
    a row of data where the column names belong (an id or text column beside numbers: ``h0, 0.0473,
    0.2482``)? Whole numbers alone name columns as often (``region, 2019, 2020, 2021, growth``: years),
    so they do not count as data. A header of numbers alone is refused before (:func:`_read_header`)."""
    cells = [name.strip() for name in names if name]
    numbers = [cell for cell in cells if _finite_number(cell) or comma_number(cell)]
    return 2 * len(numbers) > len(cells) and any(_WHOLE.fullmatch(cell) is None for cell in numbers)


#: A whole number as a column's name may be written: ``2019``, ``-1``, ``+3``.
_WHOLE = re.compile(r"[+-]?[0-9]+")


def _column_hint(missing: Sequence[str], names: Sequence[str], needed: Sequence[str] = ()) -> str | None:
    """A hint for wanted column names that the file has in another letter case or misspelled
    (``Petal_Width``, ``petal_widht``, ``petal width`` for ``petal_width``: the nearest column the
    file has that no other needed name is, each offered once), else None; for a header of one
    column named with spaces, :func:`_space_separated`'s; for a header of mostly numbers, that the
    header row looks missing, when no name is near."""
    if (spaces := _space_separated(names)) is not None:
        return spaces
    folded = {name.casefold(): name for name in names}
    spare = [n for n in names if n not in needed and n.casefold() not in {m.casefold() for m in missing}]
    near, case = [], False
    for c in missing:
        if c.casefold() in folded:
            near.append(f"{_show(folded[c.casefold()])} for {_show(c)}")
            case = True
        elif (close := nearest_name(c, spare)) is not None:
            near.append(f"{_show(close)} for {_show(c)}")
            spare.remove(close)  # one column is offered for one name
    if not near:
        if _mostly_numbers(names):  # `tail -n +2 house.csv`: 'columns are: h0, 0.0473, 0.2482, -0.1671' said no more
            return ("the header row looks missing: most of the first row's cells are numbers, data rather than "
                    "column names; add a line with the column names above it")
        return None
    return f"names must match exactly{', letter case too' if case else ''}: the file has {', '.join(near)}"


def _capacity(f: BinaryIO) -> int:
    """The rows to allocate for the CSV open in ``f`` (binary, at its start).

    A regular file: an upper bound on its number of lines (``\\n``, ``\\r\\n`` or ``\\r``
    endings), counted in 1 MiB chunks, then ``f`` is put back where it was, so the rows are parsed
    into an array of the right size. Anything else (a pipe, a FIFO, ``<(...)``, standard input)
    can be read only once: a block's worth, which the parser grows by doubling.
    """
    try:
        regular = stat.S_ISREG(os.fstat(f.fileno()).st_mode) and f.seekable()
    except (OSError, AttributeError, ValueError):  # no file descriptor (an in-memory stream)
        regular = False
    if not regular:
        return CSV_BLOCK_ROWS
    start = f.tell()  # standard input may be a file a shell has already read part of
    ends = 0
    while chunk := f.read(1 << 20):
        # a CRLF split by a chunk boundary counts twice: still an upper bound
        ends += chunk.count(b"\n") + chunk.count(b"\r") - chunk.count(b"\r\n")
    f.seek(start)
    return ends + 1


class _BlockParser:
    """Turns blocks of CSV rows into the rows of a preallocated float array (X), text columns
    and line numbers; the first bad cell in file order raises its DataError."""

    def __init__(self, names: list[str], feature_idx: list[int], text_idx: list[int],
                 delimiter: str, capacity: int, where: str, keep_idx: Sequence[int] = ()) -> None:
        self.names, self.feature_idx, self.text_idx = names, feature_idx, text_idx
        # the columns parsed: features, then targets; a kept column is copied as text, so it may
        # hold line breaks and separators in quotes, as a column not read at all may
        self.named = [*feature_idx, *text_idx]
        self.keep_idx = list(keep_idx)
        self.kept = [TextCells() for _ in self.keep_idx]
        self.delimiter, self.where = delimiter, where
        self.X = np.empty((capacity, len(feature_idx)))
        self.lines = np.empty(capacity, dtype=np.int64)
        self.texts = [_TextColumn() for _ in text_idx]
        self.n = 0
        self._pick = (operator.itemgetter(*feature_idx) if len(feature_idx) > 1
                      else (lambda row: (row[feature_idx[0]],)) if feature_idx else (lambda row: ()))

    def add(self, rows: list[list[str]], lines: list[int]) -> None:
        m = len(rows)
        if m == 0:
            return
        if self.n + m > self.X.shape[0]:  # a pipe, or the file grew since its lines were counted
            grow = max(2 * self.X.shape[0], self.n + m)
            self.X = np.concatenate([self.X[: self.n], np.empty((grow - self.n, self.X.shape[1]))])
            self.lines = np.concatenate([self.lines[: self.n], np.empty(grow - self.n, dtype=np.int64)])
        cells = [c for row in rows for c in self._pick(row)]
        values: FloatArray | None
        try:
            values = np.fromiter(map(float, cells), dtype=np.float64, count=len(cells))
        except ValueError:
            values = None
        if values is None or not np.isfinite(values).all() or "_" in "".join(cells):
            self._raise_first_bad(rows, lines)
        self.X[self.n : self.n + m] = values.reshape(m, len(self.feature_idx))
        self.lines[self.n : self.n + m] = lines
        for column, i in zip(self.texts, self.text_idx):
            column.add([row[i].strip() for row in rows])
        for kept, i in zip(self.kept, self.keep_idx):
            kept.add([row[i].strip() for row in rows])
        self.n += m

    def _raise_first_bad(self, rows: list[list[str]], lines: list[int]) -> NoReturn:
        for row, line in zip(rows, lines):
            if [nfc(cell.strip()) for cell in row] == self.names:  # `cat a.csv b.csv`: b's header too
                raise DataError(f"{self.where} row {line}: repeats the header row; a CSV file has one "
                                "header row, then data rows",
                                "to join CSV files, leave out the header rows of all but the first: "
                                "(cat a.csv; tail -n +2 b.csv)")
            for i in self.feature_idx:
                if not _finite_number(row[i]):
                    error = _bad_number(self.where, line, self.names[i], row[i], self.delimiter)
                    # the rows read so far are numbers in this column; of this block's, how many?
                    numbers = self.n + sum(_finite_number(r[i]) for r in rows)
                    error.mostly_numbers = 2 * numbers > self.n + len(rows)  # type: ignore[attr-defined]
                    error.line = line  # type: ignore[attr-defined]
                    error.cell = row[i]  # type: ignore[attr-defined]  # as the message shows it
                    raise error
        raise AssertionError("a block failed to parse but no cell is bad")  # pragma: no cover

    def table(self) -> _CsvTable:
        n = self.n
        X, lines = self.X[:n], self.lines[:n]
        if self.X.shape[0] > n + n // 8 + 1024:  # many blank lines: give the spare rows back
            X, lines = X.copy(), lines.copy()
        return _CsvTable(self.names, self.feature_idx, self.text_idx, self.delimiter, X,
                         self.texts, lines, self.kept)


def _read_rows(rows: Iterator[list[str]], reader: Any, parser: _BlockParser, where: str) -> None:
    """Stream the data rows into ``parser`` in blocks of :data:`CSV_BLOCK_ROWS` (fewer for wide files:
    at most :data:`CSV_BLOCK_CELLS` cells), skipping blank
    rows; a row with the wrong number of cells is reported after the rows before it."""
    n_cols = len(parser.names)
    block_rows = max(64, min(CSV_BLOCK_ROWS, CSV_BLOCK_CELLS // max(1, n_cols)))
    block: list[list[str]] = []
    lines: list[int] = []
    start = reader.line_num + 1  # the line the next row starts on
    for row in rows:
        if _blank(row):
            start = reader.line_num + 1
            continue
        if len(row) != n_cols:
            line = reader.line_num
            parser.add(block, lines)  # an earlier bad cell is reported first
            if len(row) < n_cols and any(_swallowed(c, parser.delimiter) for c in row):
                # a quote left open: csv reads on, line breaks and separators and all, to the next
                # quote or the end of the file, and the row came up short of cells
                raise _open_quote(where, start, line, f", so the row has {plural(len(row), 'cell')}, "
                                  f"the header has {n_cols}")
            span = f" (lines {start}-{line})" if line > start else ""  # a quoted cell held line breaks
            raise DataError(f"{where} row {start}{span} has {plural(len(row), 'cell')}, the header has {n_cols}",
                            _split_number_hint(row, n_cols, parser.delimiter))
        if reader.line_num > start:  # a row over several lines: a quoted cell holds line breaks
            # the same in a column read, where the row keeps its count (a quote opened in its last
            # cell): a feature said "row 5, column 'x2': '1\n1,1,0\n…' is not a number", at the
            # wrong row, and a target took the rest of the file as one class label, silently
            bad = next((i for i in parser.named if _swallowed(row[i], parser.delimiter)), None)
            if bad is None:  # a column not read (an id, notes): only where whole rows went into it,
                # lines with the header's number of cells (predict returned fewer rows, exit 0);
                # a quoted note may hold line breaks and separators of its own
                bad = next((i for i, c in enumerate(row) if _holds_rows(c, parser.delimiter, n_cols)), None)
            if bad is not None:
                parser.add(block, lines)  # an earlier bad cell is reported first
                raise _open_quote(where, start, reader.line_num, f", in column {_show(parser.names[bad])}")
        block.append(row)
        lines.append(start)  # a row is named by the line it starts on (the end's, over several lines)
        start = reader.line_num + 1
        if len(block) == block_rows:
            parser.add(block, lines)
            block, lines = [], []
    parser.add(block, lines)


def _split_number_hint(row: list[str], n_cols: int, delimiter: str) -> str | None:
    """For a row of a ',' file whose extra cells are numbers written with decimal commas (``0,5`` in
    a file of one column x; every cell of a row twice as long, ``1,5,2,5`` for a, b): the hint that
    they are decimal commas, else None (a row merely one cell too long says nothing of commas)."""
    if delimiter != "," or len(row) <= n_cols:
        return None

    def joined(j: int) -> bool:
        return row[j].strip()[-1:].isdigit() and row[j + 1].strip()[:1].isdigit()

    if n_cols == 1:
        j = next((j for j in range(len(row) - 1) if joined(j)), None)
    elif len(row) == 2 * n_cols and all(joined(j) for j in range(0, len(row), 2)):
        j = 0
    else:
        j = None
    if j is None:
        return None
    cell = f"{row[j].strip()},{row[j + 1].strip()}"
    return (f"{cell} reads as two cells, as a ',' separates them: a decimal comma? write decimals with '.' "
            f"({cell.replace(',', '.')}), or quote the cell (\"{cell}\")")


def _swallowed(cell: str, delimiter: str) -> bool:
    """Does ``cell`` hold a line break and a separator: other rows, read into it by an open quote?"""
    return ("\n" in cell or "\r" in cell) and delimiter in cell


def _holds_rows(cell: str, delimiter: str, n_cols: int) -> bool:
    """Does ``cell`` hold a whole line of the header's number of cells (an open quote read rows in)?"""
    return n_cols > 1 and _swallowed(cell, delimiter) and any(
        line.count(delimiter) == n_cols - 1 for line in cell.splitlines()[1:])


def _open_quote(where: str, start: int, line: int, detail: str) -> DataError:
    return DataError(f"{where} row {start}: a quote (\") opened in this row seems not to be closed: "
                     f"its cell runs on to row {line}{detail}")


def _read_csv(source: Path | BinaryIO, where: str,
              columns: Callable[[list[str]], tuple[list[int], ...]], named: Sequence[str] = (),
              allow_no_rows: bool = False) -> _CsvTable:
    """One pass over a CSV file (a path, or a binary stream such as standard input's, which is
    read and not closed): detect the separator, read the header, let ``columns(names)`` choose
    the numeric and the text columns (and, as a third list, columns kept as they are), and parse
    the data rows in blocks (``named``: the columns
    the caller names, see :func:`_read_header`). The file is opened once, so a pipe or FIFO (``<(cat data.csv)``) reads as well as a regular file.
    ``allow_no_rows``: a header without data rows gives an empty table instead of an error.

    Raises:
        DataError: naming the file, and the row and column where one is to blame.
    """
    if isinstance(source, Path):
        _check_file(source)
    try:
        raw = source.open("rb") if isinstance(source, Path) else contextlib.nullcontext(source)
        with raw as b:
            capacity = _capacity(b)
            f = io.TextIOWrapper(b, encoding="utf-8-sig", newline="")
            try:
                table = _parse_csv(f, where, columns, capacity, named, allow_no_rows)
            finally:
                f.detach()  # the binary file is closed by its own ``with`` (or left to its owner)
    except UnicodeDecodeError as exc:
        byte = exc.object[exc.start]
        binary = binary_kind(source) if isinstance(source, Path) else _nul_kind(bytes(exc.object[:4096]))
        if binary is not None:  # a workbook saved as .xlsx: 'row 1, column 1: "PK\x03\x04…"' said nothing useful
            raise DataError(f"{where}: {binary}") from None
        wide = _wide_text(source, exc)
        if wide is not None:  # Excel's "Unicode Text": 'row 1, column 1: "\xff\xfex" is not UTF-8 text'
            raise DataError(f"{where}: is {wide} text (it starts with {wide}'s byte-order mark), not UTF-8",
                            _to_utf8(where, wide)) from None
        # a stream's first chunk (stdin): what failed to decode, from its start when the file is small
        guess = _wide_guess(_head(source) if isinstance(source, Path) else bytes(exc.object[:4096]))
        if guess is not None:  # UTF-16 with no byte-order mark and an accent ('café') was sent to iconv -f WINDOWS-1252
            raise DataError(f"{where}: is not UTF-8 text (it reads as {guess} text, with no byte-order mark)",
                            _to_utf8(where, guess)) from None
        place = _locate_bad_utf8(source, where) if isinstance(source, Path) else None
        raise DataError(f"{place or where + ':'} is not UTF-8 text (byte 0x{byte:02x} cannot be "
                        "decoded); save it as UTF-8 CSV",
                        "a spreadsheet's plain 'CSV' is most often Windows-1252 (Latin-1) text: "
                        + _to_utf8(where, "WINDOWS-1252")) from None
    except csv.Error as exc:
        line = f" row {exc.line_num}" if hasattr(exc, "line_num") else ""
        raise DataError(f"{where}{line}: is not valid CSV ({_one_line(exc)})") from None
    except OSError as exc:
        raise DataError(f"{where}: cannot be read ({_one_line(exc.strerror or exc)})") from None
    return table


#: The first bytes of files that are not text and are given for a CSV by mistake, and what to say of them.
_BINARY_FORMATS = (
    (b"PK\x03\x04", "is a zip archive, not CSV text"),  # .xlsx, .ods, .npz, .zip
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "is an Excel 97-2003 workbook (.xls), not CSV text"),
    (b"\x1f\x8b", "is gzip-compressed, not CSV text"),
)
_WORKBOOKS = {".xlsx": "an Excel workbook (.xlsx)", ".xlsm": "an Excel workbook (.xlsm)",
              ".ods": "a LibreOffice spreadsheet (.ods)", ".numbers": "a Numbers spreadsheet (.numbers)"}


_BYTE_ORDER_MARKS = ((b"\xff\xfe\x00\x00", "UTF-32"), (b"\x00\x00\xfe\xff", "UTF-32"),
                     (b"\xff\xfe", "UTF-16"), (b"\xfe\xff", "UTF-16"))


def _wide_text(source: Path | BinaryIO, exc: UnicodeDecodeError) -> str | None:
    """'UTF-16' or 'UTF-32' when a CSV that failed to decode as UTF-8 starts with that encoding's
    byte-order mark (its first bytes: the file's, or of a stream the failing chunk's when it is the
    first); None otherwise. Only on that error path."""
    head = b""
    if isinstance(source, Path):
        try:
            with source.open("rb") as f:
                head = f.read(4) if source.is_file() else b""
        except OSError:
            pass
    elif exc.start == 0:
        head = bytes(exc.object[:4])
    return next((name for mark, name in _BYTE_ORDER_MARKS if head.startswith(mark)), None)


def _head(path: Path, size: int = 4096) -> bytes:
    """The first ``size`` bytes of the file at ``path`` (b"" where it cannot be read); on error paths only."""
    try:
        with path.open("rb") as f:
            return f.read(size)
    except OSError:
        return b""


def _to_utf8(where: str, encoding: str) -> str:
    """The hint for a CSV in UTF-16 or UTF-32 (``where``: the file as messages name it): how to save
    or convert it as UTF-8."""
    import shlex

    path = None if where.startswith("<") else Path(where)  # <stdin>
    name, stem = (path.name, path.stem) if path is not None else ("FILE.csv", "FILE")
    return (f"save it as CSV UTF-8 (Excel: 'CSV UTF-8 (Comma delimited)'), or convert it: "
            f"iconv -f {encoding} -t UTF-8 {shlex.quote(name)} > {shlex.quote(stem + '-utf8.csv')}")


def _wide_guess(head: bytes) -> str | None:
    """UTF-32LE/BE or UTF-16LE/BE for ``head`` (a file's first bytes, a few KB, no byte-order mark) that
    reads as text in that encoding: decoded strictly, every character printable or a line break or tab
    but one in a hundred (a stray control character, U+001A in a column name; ASCII as UTF-16 has a NUL
    in every other byte, 'Año' and CJK text their own high bytes); None otherwise (a binary file, a file
    of NULs, 8-bit text with a stray NUL)."""
    if len(head) < 4 or head.count(0) * 10 < len(head):  # a stray NUL in 8-bit text is no UTF-16 (its lines,
        return None                                       # spaces and digits put a NUL in every other byte)
    import codecs

    for name in ("UTF-32LE", "UTF-32BE", "UTF-16LE", "UTF-16BE"):
        try:  # not final: a unit or surrogate pair cut at the end of ``head`` is left out, not an error
            text = codecs.getincrementaldecoder(name.lower())().decode(head, final=False)
        except UnicodeDecodeError:
            continue
        odd = sum(1 for c in text if not (c.isprintable() or c in "\r\n\t"))
        if text and odd <= len(text) // 100 and any(not c.isspace() for c in text):
            return name
    return None


#: Bytes no text file holds (C0 controls but tab, line breaks, form feed, DOS's end-of-file 0x1a and ESC):
#: with a NUL, a binary file's.
_CONTROL_BYTES = frozenset(range(1, 9)) | frozenset(range(0x0E, 0x1A)) | frozenset(range(0x1C, 0x20))


def _nul_kind(head: bytes) -> str | None:
    """What a file whose first bytes ``head`` (a few KB) hold NUL bytes is, when they are not UTF-16 or
    UTF-32 text (with or without a byte-order mark): a file of NULs, or a binary file (a program, an
    image), with what a CSV file is; None otherwise, and for text with a stray NUL: a binary file's NULs
    are more than one in a hundred bytes, or come with other control bytes (a Windows-1252 file with a
    NUL in a quoted cell is told of its encoding, a UTF-8 one of the cell)."""
    if b"\x00" not in head or any(head.startswith(mark) for mark, _ in _BYTE_ORDER_MARKS):
        return None
    if _wide_guess(head) is not None:
        return None
    if not head.strip(b"\x00"):
        return "holds only NUL bytes (as a crash or a full disk can leave a file), not CSV text"
    nuls = head.count(0)
    if (nuls > 1 and nuls * 100 > len(head)) or not _CONTROL_BYTES.isdisjoint(head):
        return "is a binary file (it holds NUL bytes), not CSV text; a CSV file is plain text with a header row"
    return None


def binary_kind(path: Path) -> str | None:
    """What a file that failed to decode as UTF-8 is, when its first bytes say it is a spreadsheet
    workbook, a zip or a gzip file, with what to do (``is an Excel workbook (.xlsx), not CSV text;
    save the sheet as CSV (UTF-8) …``), or a binary file (NUL bytes, :func:`_nul_kind`); None for
    anything else. Only on that error path, and only for a regular file (a pipe cannot be read
    again)."""
    try:
        if not path.is_file():
            return None
        with path.open("rb") as f:
            head = f.read(4096)
    except OSError:
        return None
    for magic, what in _BINARY_FORMATS:
        if head.startswith(magic):
            break
    else:
        return _nul_kind(head)
    if magic == b"\x1f\x8b":
        return f"{what}; decompress it first (gunzip -k {path.name})"
    workbook = _WORKBOOKS.get(path.suffix.lower())
    if workbook is not None or magic != b"PK\x03\x04":
        what = f"is {workbook}, not CSV text" if workbook is not None else what
        return f"{what}; save the sheet as CSV (UTF-8) from the spreadsheet program and give that file"
    if path.suffix.lower() == ".npz":
        return "is an .npz archive, not CSV text; a CSV file is plain text with a header row"
    return f"{what} (an .xlsx workbook or an .npz, for instance); a CSV file is plain text with a header row"


def _locate_bad_utf8(path: Path, where: str) -> str | None:
    """Where the first byte that is not UTF-8 sits in a CSV file that failed to decode, as
    ``"FILE row N, column 'c': 'caf\\xe9'"``; None if it cannot be told. Only on that error
    path: the file is read again, its bad bytes kept as surrogates (``surrogateescape``)."""
    try:
        with path.open("rb") as b:
            f = io.TextIOWrapper(b, encoding="utf-8-sig", errors="surrogateescape", newline="")
            source = _lines(f, where)
            peeked, header_line, first_row = _peek_lines(source)
            delimiter = _sniff_delimiter(header_line or "", first_row)
            # without NULs (UTF-16 text is full of them): Python 3.10's csv refuses a line holding one
            lines = (line.replace("\0", "") for line in itertools.chain(peeked, source))
            reader = csv.reader(lines, delimiter=delimiter, skipinitialspace=True)
            header: list[str] | None = None
            for row in reader:
                for j, cell in enumerate(row):
                    if _has_bad_byte(cell):
                        name = header[j] if header is not None and j < len(header) else None
                        column = _show(name) if name and not _has_bad_byte(name) else str(j + 1)
                        return f"{where} row {reader.line_num}, column {column}: {_show(cell.strip())}"
                if header is None and not _blank(row):  # (a line of separators alone is no header)
                    header = [cell.strip() for cell in row]
    except (OSError, csv.Error, UnicodeError, DataError):
        return None
    return None


def _has_bad_byte(text: str) -> bool:
    return any("\udc80" <= ch <= "\udcff" for ch in text)


def _parse_csv(f: TextIO, where: str, columns: Callable[[list[str]], tuple[list[int], ...]],
               capacity: int, named: Sequence[str] = (), allow_no_rows: bool = False) -> _CsvTable:
    """The parsing half of :func:`_read_csv`, from an open text stream; a ``csv.Error`` leaves
    with the reader's line number as ``line_num``."""
    reader: Any = None
    try:
        source = _lines(f, where)
        peeked, header_line, first_row = _peek_lines(source)
        if header_line is None:
            what = "is empty (only blank lines)" if peeked else "is empty"
            raise DataError(f"{where}: the file {what}; a header row with column names is required")
        if "\0" in header_line:  # UTF-16 without its byte-order mark: every other byte 0
            head = _first_bytes(peeked, source)  # (the header alone, 'y\0\n\0', is too short to tell)
            binary = _nul_kind(head)
            if binary is not None:  # a file of NULs, or binary bytes that happen to be UTF-8
                raise DataError(f"{where}: {binary}")
            wide = _wide_guess(head)
            if wide is not None:
                raise DataError(f"{where}: is not UTF-8 text (its header row holds NUL bytes, 0x00, as {wide[:6]} "
                                "text does)", _to_utf8(where, wide))
            # else text with a stray NUL in its header: the cell that holds it is named below (read with its NULs
            # masked: Python 3.10's csv refuses a line that holds one, 'line contains NUL')
            peeked = [line.replace("\0", _NUL_MASK) if line is header_line else line for line in peeked]
        delimiter = _sniff_delimiter(header_line, first_row)
        lines = itertools.chain(peeked, source)
        head = _HeadLines(lines)
        reader = csv.reader(itertools.chain(head, lines), delimiter=delimiter, skipinitialspace=True)
        rows: Iterator[list[str]] = iter(reader)
        header = _find_header(rows, reader, head, delimiter, where, named)
        if header is None:
            raise DataError(f"{where}: the header row is blank; a header row with column names "
                            "is required")
        header = [cell.replace(_NUL_MASK, "\0") for cell in header]
        nul = next((j for j, cell in enumerate(header) if "\0" in cell), None)
        if nul is not None:  # one NUL in a text file (binary and UTF-16 files were told above)
            raise DataError(f"{where} row {reader.line_num}, column {nul + 1}: {_show(header[nul].strip())} holds a "
                            "NUL byte (0x00), which no column name may; remove it from the header row")
        names = _read_header(header, reader.line_num, where, named)
        feature_idx, text_idx, *keep = columns(names)
        parser = _BlockParser(names, feature_idx, text_idx, delimiter, capacity, where, keep[0] if keep else ())
        _read_rows(rows, reader, parser, where)
    except csv.Error as exc:
        if reader is not None:
            exc.line_num = reader.line_num  # type: ignore[attr-defined]
        raise
    if parser.n == 0 and not allow_no_rows:
        raise DataError(f"{where}: has a header but no data rows; at least one row is required")
    return parser.table()


def _first_bytes(peeked: list[str], source: Iterator[str], size: int = 4096) -> bytes:
    """A CSV's first ``size`` bytes (about), as read so far (``peeked``) and on from ``source``, for
    telling UTF-16 text from a binary file on the error path (the rest of the file is not read)."""
    text = "".join(peeked)
    try:
        while len(text) < size:
            line = next(source, None)
            if line is None:
                break
            text += line
    except (UnicodeDecodeError, DataError):  # bytes beyond: what was read is enough
        pass
    return text.encode("utf-8", "surrogateescape")[:size]


def _first_bad_target(table: _CsvTable, where: str, why: str) -> DataError:
    """The error for the first target cell (in file order) that is not a finite number.

    Blocks are searched in order and only up to the first bad one; a block that parsed as
    numbers is checked at once, others cell by cell.
    """
    start = 0
    for b in range(table.texts[0].n_blocks):
        bad = np.column_stack([column.bad_in_block(b) for column in table.texts])
        if bad.any():
            r, j = (int(i) for i in np.argwhere(bad)[0])
            row = start + r
            err = _bad_number(where, int(table.lines[row]), table.names[table.text_idx[j]],
                              table.texts[j].cell(row), table.delimiter)
            return DataError(f"{err.message}{why}")
        start += bad.shape[0]
    raise AssertionError("no bad target cell")  # pragma: no cover - callers saw one


def _numeric_targets(table: _CsvTable, where: str, why: str) -> FloatArray:
    """All target cells as finite numbers, shape (n, n_targets); else the error naming the cell."""
    columns = [column.numbers() for column in table.texts]
    if any(c is None or not np.all(np.isfinite(c)) for c in columns):
        raise _first_bad_target(table, where, why)
    return np.column_stack([c for c in columns if c is not None])


#: A number written with a decimal comma (``1,5``, ``-0,25``), comma-grouped digits (``1,000``), or
#: thousands separators beside a decimal point (``1,100.5``, and the European ``1.234,5``):
#: spreadsheets write all of them, and none is a number to ``float``.
_COMMA_NUMBER = re.compile(
    rb"\s*[+-]?(\d+(,\d+)+|\d*,\d+|\d{1,3}(,\d{3})+\.\d+|\d{1,3}(\.\d{3})+,\d+)([eE][+-]?\d+)?\s*")


def comma_number(text: str) -> bool:
    """Is ``text`` a number written with a comma (``1,5``, ``-0,25``, ``1,000``, ``1,100.5``, ``1.234,5``)?"""
    return _COMMA_NUMBER.fullmatch(text.encode("utf-8", "replace")) is not None


def comma_fix(text: str, delimiter: str | None = None) -> tuple[str, str | None]:
    """What to write instead of ``text``, a :func:`comma_number`: (the words, the number or None).
    ``("write decimals with '.'", "1.5")`` for one comma (a decimal comma, as a ';' file's
    writer means it); ``("write it without ','", "1000000")`` for commas that group digits in
    threes (``1,000,000``: more than one comma, so none is a decimal point, or ``1,100.5``);
    ``("write thousands without '.' and decimals with '.'", "1234.5")`` for ``1.234,5``. One comma
    before three digits (``1,200``) outside a ';' or tab file (``delimiter`` ',' or None: a quoted
    cell of a ',' file, an .npz label, a cell whose file's separator is not known) is most likely a
    thousands separator, and may be a decimal comma: both readings, and no number. For other
    commas (``1,5,3``) the first words alone."""
    cell = text.strip()
    mantissa = re.split(r"[eE]", cell, maxsplit=1)[0].lstrip("+-")
    if "." in mantissa:
        if mantissa.index(".") < mantissa.index(","):  # 1.234,5: '.' groups thousands, ',' is the decimal point
            return "write thousands without '.' and decimals with '.'", cell.replace(".", "").replace(",", ".")
        return "write it without ','", cell.replace(",", "")  # 1,100.5
    groups = mantissa.split(",")
    if len(groups) == 2:
        if delimiter not in (";", "\t") and 1 <= len(groups[0]) <= 3 and len(groups[1]) == 3:
            return (f"{cell.replace(',', '')} or {cell.replace(',', '.')}? Write it as {cell.replace(',', '')} "
                    f"if ',' groups thousands, or {cell.replace(',', '.')} if it is a decimal comma"), None
        return "write decimals with '.'", cell.replace(",", ".")
    if groups[0] and len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:]):
        return "write it without ','", cell.replace(",", "")
    return "write decimals with '.'", None


def _refuse_comma_numbers(text: NDArray[np.bytes_], table: _CsvTable, where: str, column: str) -> None:
    """Under task auto, a target column whose every cell is a number, some written with a comma
    (``1,5`` in a ';' file, or quoted \"1,5\" in a ',' file), is numbers to its writer, not class
    labels: a DataError naming the first such cell, rather than classes '0,5', '1,5', '2'."""
    uniq = np.unique(text)
    comma = [u for u in uniq.tolist() if _COMMA_NUMBER.fullmatch(u)]
    if not comma or not all(u in comma or _finite_number(u.decode("utf-8", "replace")) for u in uniq.tolist()):
        return
    r = int(np.flatnonzero(np.isin(text, comma))[0])
    cell = text[r].decode("utf-8").strip()
    words, number = comma_fix(cell, table.delimiter)
    raise DataError(
        f"{where} row {table.lines[r]}, column {_show(column)}: {_show(cell)} is a number written with a "
        f"comma; data.task auto would read the column as class labels, not numbers. "
        f"{words[:1].upper() + words[1:]}{f' ({number})' if number else ''}, or set data.task: classification if these "
        f"are labels",
    )


def _missing_message(place: str, cell: str) -> str:
    return (f"{place}: {_show(cell)} reads as a missing value, refused as an empty cell is; every row needs a "
            "target value: fill it in or remove the row")


def _refuse_missing_markers(text: NDArray[np.bytes_], table: _CsvTable, where: str, column: str) -> None:
    """A target cell that is a missing-value marker (``NA``, ``N/A``, ``?``, ``null``, …: the
    :data:`MISSING_MARKERS`) is refused, naming its row, whatever the task: it was read as a class of
    its own, and it turned a column of numbers into text (``2`` and ``2.0`` two classes). A class
    literally named ``NA`` is rarer than a missing value written so; rename such a class."""
    uniq = np.unique(text)
    marked = [u for u in uniq.tolist() if missing_marker(u.decode("utf-8", "replace"))]
    if not marked:
        return
    r = int(np.flatnonzero(np.isin(text, marked))[0])
    raise DataError(_missing_message(f"{where} row {table.lines[r]}, column {_show(column)}",
                                     text[r].decode("utf-8")))


def _csv_targets(table: _CsvTable, task: str, where: str
                 ) -> tuple[FloatArray, str, tuple[str, ...] | None]:
    """Decide the task and build Y (n, n_outputs) and the class names from the target cells."""
    target_names = [table.names[i] for i in table.text_idx]
    if len(target_names) > 1:
        try:
            Y = _numeric_targets(table, where, " (several target columns must be numeric)")
        except DataError as e:
            raise _of_target(e) from None
        if task == "classification" or (task == "auto" and one_hot_rows(Y)):  # one class per column
            _check_one_hot(Y, lambda i: f"{where} row {table.lines[i]}")
            return Y, "classification", tuple(target_names)
        return Y, "regression", None

    column, cells = target_names[0], table.texts[0]
    text = cells.text()
    empty = text == b""
    if np.any(empty):
        r = int(np.argmax(empty))
        raise DataError(f"{where} row {table.lines[r]}, column {_show(column)}: the target cell "
                        "is empty; every row needs a target value")
    numeric = cells.numbers()
    if numeric is None:  # text: NA, N/A, ?, null were classes of their own (1, 2, NA, 3: 2 and 2.0 two classes)
        _refuse_missing_markers(text, table, where, column)
    if numeric is not None and not np.all(np.isfinite(numeric)):
        raise _first_bad_target(table, where, "")
    if task == "regression" and numeric is None:
        raise _first_bad_target(table, where, " (task regression needs numeric targets)")
    whole = numeric is not None and _as_whole_numbers(numeric)
    if numeric is not None and (task == "regression" or (task == "auto" and not whole)):
        return numeric.reshape(-1, 1), "regression", None

    place = f"{where}, column {_show(column)}"
    if numeric is not None:  # whole numbers, or fractional ones forced to classification
        big = np.flatnonzero(np.abs(numeric) >= _EXACT)
        if big.size:  # labels read by value: refuse two that float64 cannot tell apart
            import decimal

            written = [bytes(c).decode("utf-8").strip() for c in text[big]]
            merged = _merged_labels([decimal.Decimal(w) for w in written], numeric[big])
            if merged is not None:
                (i, j), rows = merged, table.lines[big[list(merged)]]
                raise DataError(_merged_message(place, (written[i], f"row {rows[0]}"), (written[j], f"row {rows[1]}"),
                                                float(numeric[big[i]])))
        codes, names = _encode_numeric_labels(numeric)
    else:
        if task == "auto":
            _refuse_comma_numbers(text, table, where, column)
        codes, names = _encode_text_labels(_nfc_labels(text))
    _check_class_count(names, task if whole else "classification", place)
    return _one_hot(codes, len(names), place), "classification", names


def load_csv(path: Path | str, target: str | Sequence[str] | None = None, task: str = "auto",
             features: Sequence[str] | None = None) -> Dataset:
    """Load a comma-separated file with a header row; one example per row.

    The separator is detected among ',', ';' and tab from the header and the first data line
    (European spreadsheets write ``a;b`` with decimal commas); numbers must use '.' for
    decimals, so ``5,1`` in a ';' file is an error naming the cell. The file is read as UTF-8
    (a byte-order mark is skipped), any line endings; rows whose cells are all blank are
    skipped.

    Memory: rows are streamed with :mod:`csv` and parsed in blocks of :data:`CSV_BLOCK_ROWS`
    straight into a float64 array sized from a first, cheap pass that counts the file's lines
    (a regular file; a pipe or FIFO is read once, into an array grown by doubling); target
    cells are kept as UTF-8 bytes until the task is known. The file's text is never held
    whole, so the peak is about the size of ``X`` and ``Y`` plus the target text.

    Args:
        path: the file. Messages name it as given; ``Dataset.source`` holds the resolved path.
        target: the target column name, or several names; ``None`` = the last column. Every
            other column is a feature and must hold finite numbers, unless ``features`` is given.
        features: the input columns, in this order (``data.features``); other columns (ids,
            notes) are not read, so they may hold anything. ``None``: every column but the target(s).
            A column may not be both an input and a target.
        task: ``"auto"``: one target column holding text or whole numbers -> classification,
            other numbers -> regression, several columns -> classification when every row is
            one-hot (``one_hot_rows``: the columns' names are the class names), else regression. ``"classification"``
            or ``"regression"`` force it; several columns under classification must already be
            one-hot (0/1, one 1 per row), and their names are the class names.

    Returns:
        ``X`` (n_samples, n_features); classification: ``Y`` one-hot (n_samples, n_classes),
        one column per class even for 2 classes, classes sorted (by value when they are all
        numbers, so ``1.5`` and ``1.50`` are one class; else as text); regression: ``Y`` (n_samples, n_targets).

    Raises:
        DataError: a one-line message naming the file, and the row (1-based file line, the header
            being line 1) and column where one is to blame.
    """
    path = Path(path)
    where = str(path)
    task = _check_task(task)

    wanted = None if features is None else _feature_names(features)
    read: dict[str, Any] = {}  # the header and the columns chosen, for the hint on a text cell

    def columns(names: list[str]) -> tuple[list[int], list[int]]:
        target_idx = _resolve_targets(names, target, where)
        if wanted is not None:
            feature_idx = _resolve_features(names, wanted, target_idx, target is None, where)
        else:
            feature_idx = [i for i in range(len(names)) if i not in target_idx]
        if not feature_idx:
            raise DataError(f"{where}: no feature columns left; every column "
                            f"({_name_list(names)}) is a target", _space_separated(names))
        read.update(names=names, feature_idx=feature_idx, target_idx=target_idx)
        return feature_idx, target_idx

    named = [] if target is None else [target] if isinstance(target, str) else list(target)
    try:
        table = _read_csv(path, where, columns, [*named, *(wanted or ())])
    except DataError as e:
        column = getattr(e, "text_column", None)
        if column is not None and e.hint is None and getattr(e, "mostly_numbers", False):
            # one NA, text or empty cell in a column of numbers: the row wants fixing, not the column leaving out;
            # in words for the cell it is ('fill in the cell' read as if a cell holding 'abc' were empty)
            cell = getattr(e, "cell", "")  # shown as the message shows it (' abc ' is 'abc ' there, not abc)
            fix = (f"replace {_show_cell(cell)} in row {e.line} with a number" if cell.strip()  # type: ignore[attr-defined]
                   else f"put a number in the empty cell of row {e.line}")  # type: ignore[attr-defined]
            e.hint = f"column {_show(column)} holds numbers in most rows: {fix} or remove the row"
        elif wanted is None and column is not None and e.hint is None and read:
            e.hint = _features_hint(column, read["names"], read["feature_idx"], read["target_idx"], target is None)
        if column is not None and read:  # the header: would the column be an input with another data.target?
            e.columns = tuple(read["names"])  # type: ignore[attr-defined]
        raise
    Y, final_task, class_names = _csv_targets(table, task, where)
    return Dataset(
        X=table.X,
        Y=Y,
        task=final_task,
        class_names=class_names,
        feature_names=tuple(table.names[i] for i in table.feature_idx),
        target_names=tuple(table.names[i] for i in table.text_idx),
        source=str(path.resolve()),
        lines=table.lines,
    )


def read_csv_columns(path: Path | str | BinaryIO, features: Sequence[str], texts: Sequence[str] = (),
                     name: str | None = None, allow_no_rows: bool = False
                     ) -> tuple[FloatArray, list[tuple[str, ...]], list[int]]:
    """Read named columns of a CSV file (a model's inputs, for ``backprop predict``/``evaluate``).

    Same file rules as :func:`load_csv` (header row, detected separator, UTF-8, blank rows
    skipped, parsed in blocks); columns not named are ignored, so a file may carry ids or its
    target column.

    Args:
        path: the file (a path, which may be a pipe or FIFO, or a binary stream such as
            ``sys.stdin.buffer``, read once and left open).
        features: columns that must hold finite numbers, in the order wanted.
        texts: columns returned as stripped text (e.g. targets, parsed by the caller).
        name: what messages call the file (default: the path as given), e.g. ``<stdin>``.
        allow_no_rows: a header row without data rows (a batch filtered down to nothing) gives
            no rows instead of an error; its columns are still checked.

    Returns:
        ``(X, T, lines)``: ``X`` shape (n_rows, len(features)); ``T`` one tuple of
        len(texts) cells per row; ``lines`` the 1-based file line of each row (for messages).

    Raises:
        DataError: naming the file, and the row and column of a bad cell, or the columns
            that are missing.
    """
    table = _read_named(path, features, texts, (), name, allow_no_rows)
    cells = [np.char.decode(column.text(), "utf-8").tolist() for column in table.texts]
    rows: list[tuple[str, ...]] = list(zip(*cells)) if cells else [()] * table.n_rows
    return table.X, rows, table.lines.tolist()


def read_csv_keeping(path: Path | str | BinaryIO, features: Sequence[str], keep: Sequence[str],
                     name: str | None = None, allow_no_rows: bool = False
                     ) -> tuple[FloatArray, list[TextCells], list[int]]:
    """:func:`read_csv_columns`'s numeric columns, and columns kept as they are (``backprop predict
    --keep id``): their cells as text, read in the same pass and blocks.

    A kept column may be one of ``features`` too, and may hold anything, text, empty cells,
    line breaks and separators in quotes (a cell is stripped of the spaces around it, as every
    cell is). ``keep`` names a column at most once.

    Returns:
        ``(X, kept, lines)``: ``kept`` one :class:`TextCells` per name of ``keep``, each with a cell
        per row of ``X``.

    Raises:
        DataError: as :func:`read_csv_columns`; a kept column the file lacks is named with the
            columns it has (and a near name, or, for ``id,name`` typed as one, that --keep repeats).
    """
    table = _read_named(path, features, (), keep, name, allow_no_rows)
    return table.X, table.kept, table.lines.tolist()


def _read_named(path: Path | str | BinaryIO, features: Sequence[str], texts: Sequence[str], keep: Sequence[str],
                name: str | None, allow_no_rows: bool) -> _CsvTable:
    source = path if hasattr(path, "read") else Path(path)  # type: ignore[arg-type]
    where = (str(path) if isinstance(source, Path) else "<stream>") if name is None else name
    # the header's names are NFC (_read_header); so are those asked for, a model's stored before NFC too
    features, texts, keep = ([nfc(c) for c in cols] for cols in (features, texts, keep))

    def columns(names: list[str]) -> tuple[list[int], list[int], list[int]]:
        index = {name: i for i, name in enumerate(names)}
        missing = [c for c in [*features, *texts] if c not in index]
        if missing:
            what = "column" if len(missing) == 1 else "columns"
            shown_missing = [_show(c) for c in missing]
            if len(shown_missing) > 20:  # a wide model's file: the line stays a line, as _name_list's
                shown_missing = shown_missing[:10] + ["..."] + shown_missing[-3:]
                shown_missing[-1] += f" ({len(missing)} in all)"
            raise DataError(f"{where}: {what} {', '.join(shown_missing)} not found (needed: "
                            f"{_name_list([*features, *texts])}); the file has: {_name_list(names)}",
                            _column_hint(missing, names, [*features, *texts]))
        _check_kept(keep, names, where)
        return [index[c] for c in features], [index[c] for c in texts], [index[c] for c in keep]

    return _read_csv(source, where, columns, [*features, *texts, *keep], allow_no_rows)


def _check_kept(keep: Sequence[str], names: list[str], where: str) -> None:
    """Every column of ``keep`` is in the header ``names``, else the error naming those that are not."""
    missing = [c for c in keep if c not in names]
    if not missing:
        return
    what = "column" if len(missing) == 1 else "columns"
    hint = _column_hint(missing, names, [c for c in keep if c in names])
    joined = next((c for c in missing if "," in c and all(p.strip() in names for p in c.split(","))), None)
    if joined is not None:  # --keep id,name: one option per column, as --layer takes them
        hint = ("repeat --keep for several columns: "
                + " ".join(f"--keep {p.strip()}" for p in joined.split(",")))
    raise DataError(f"{where}: {what} {', '.join(_show(c) for c in missing)} (--keep) not found; the file "
                    f"has: {_name_list(names)}", hint)


# --------------------------------------------------------------------------------------------
# NPZ


def _npz_array(archive: Any, key: str, where: str) -> NDArray[Any]:
    """Read one array of an open archive, turning every failure into a DataError."""
    try:
        return np.asarray(archive[key])
    except ValueError as exc:
        if "pickle" in str(exc) or "object" in str(exc).lower():
            raise DataError(f"{where}: array {key!r} holds Python objects; only numeric (or, for "
                            "'y', text) arrays are allowed") from None
        raise DataError(f"{where}: array {key!r} cannot be read ({_one_line(exc)})") from None
    except Exception as exc:  # noqa: BLE001 - zipfile/zlib/lzma raise many kinds on corrupt members
        raise DataError(f"{where}: array {key!r} cannot be read, the file seems corrupt "
                        f"({type(exc).__name__}: {_one_line(exc)})") from None


def _first_nonfinite(a: FloatArray) -> tuple[int, ...] | None:
    bad = ~np.isfinite(a)
    if not np.any(bad):
        return None
    return tuple(int(i) for i in np.argwhere(bad)[0])


def _npz_X(raw: NDArray[Any], where: str) -> FloatArray:
    if raw.dtype.kind not in "biuf":
        raise DataError(f"{where}: array 'X' has dtype {raw.dtype}; an array of real numbers is required")
    if raw.ndim != 2 or raw.shape[0] == 0 or raw.shape[1] == 0:
        raise DataError(f"{where}: array 'X' has shape {raw.shape}; a 2-D array (n_samples, n_inputs) "
                        "with at least one row and one column is required")
    X = raw.astype(np.float64)
    bad = _first_nonfinite(X)
    if bad is not None:
        raise DataError(f"{where}: array 'X' at {list(bad)} is {X[bad]}; NaN and infinite values are "
                        "not supported")
    return X


def _npz_label(value: str | bytes, row: int, place: str) -> str:
    """One text label of an .npz (``str``, or ``bytes`` holding UTF-8), stripped and not empty."""
    if isinstance(value, bytes):
        try:
            value = value.decode("utf-8")
        except UnicodeDecodeError as exc:
            text = _show(value.decode("utf-8", "surrogateescape"))
            raise DataError(f"{place} row {row}: {text} is not UTF-8 text (byte "
                            f"0x{value[exc.start]:02x} cannot be decoded); text labels must be UTF-8") from None
    label = value.strip()
    if not label:
        raise DataError(f"{place} row {row}: the label is empty; every row needs a label")
    if missing_marker(label):
        raise DataError(_missing_message(f"{place} row {row}", label))
    return label


def _refuse_npz_comma_numbers(labels: list[str], key: str, place: str) -> None:
    """Under task auto, text labels that are all numbers, some written with a comma (``"1,5"``,
    as a European spreadsheet exports them), are numbers to their writer: a DataError naming the
    first such entry, as a CSV target column of them gets (``_refuse_comma_numbers``), rather
    than classes '0,5', '1,5', '2'. Text labels of any other kind are classes as before."""
    uniq = set(labels)
    comma = {u for u in uniq if comma_number(u)}
    if not comma or not all(u in comma or _finite_number(u) for u in uniq):
        return
    r = next(i for i, label in enumerate(labels) if label in comma)
    words, number = comma_fix(labels[r])
    raise DataError(
        f"{place} row {r}: {_show(labels[r])} is a number written with a comma; data.task auto would read "
        f"the array as class labels, not numbers. {words[:1].upper() + words[1:]}{f' ({number})' if number else ''} "
        f"and save {key!r} as numbers, or set data.task: classification if these are labels",
    )


def _npz_targets(raw: NDArray[Any], key: str, task: str, where: str
                 ) -> tuple[FloatArray, str, tuple[str, ...] | None, tuple[str, ...]]:
    """Y (n, n_outputs), task, class names and target names from the label array."""
    if raw.ndim not in (1, 2):
        raise DataError(f"{where}: array {key!r} has shape {raw.shape}; a 1-D label array (n_samples,) "
                        "or a 2-D target array (n_samples, n_outputs) is required")
    place = f"{where}: array {key!r}"
    if raw.ndim == 2 and raw.shape[1] == 1 and task == "classification":
        raw = raw[:, 0]  # one column of labels, read as a 1-D label array
    if raw.dtype.kind in "US":
        if raw.ndim != 1 or task == "regression":
            raise DataError(f"{place} holds text; only a 1-D label array may hold text, and only for "
                            "classification")
        labels = [_npz_label(v, i, place) for i, v in enumerate(raw.tolist())]
        if task == "auto":
            _refuse_npz_comma_numbers(labels, key, place)
        codes, names = _encode_text_labels(labels)
        _check_class_count(names, "classification", place)
        return _one_hot(codes, len(names), place), "classification", names, (key,)
    if raw.dtype.kind not in "biuf":
        raise DataError(f"{place} has dtype {raw.dtype}; an array of real numbers (or of text labels) is required")
    Y = raw.astype(np.float64)
    bad = _first_nonfinite(Y)
    if bad is not None:
        raise DataError(f"{place} at {list(bad)} is {Y[bad]}; NaN and infinite values are not supported")
    if Y.ndim == 2:
        names = tuple(f"{key}{j}" for j in range(Y.shape[1]))
        if task == "classification" or (task == "auto" and one_hot_rows(Y)):  # np.eye(k)[labels]: classes 0 … k−1
            _check_one_hot(Y, lambda i: f"{place} row {i}")
            return Y, "classification", tuple(str(j) for j in range(Y.shape[1])), names
        return Y, "regression", None, names
    if task == "regression" or (task == "auto" and not _as_whole_numbers(Y)):
        return Y.reshape(-1, 1), "regression", None, (key,)
    if raw.dtype.kind in "iu" and np.any(np.abs(Y) >= _EXACT):  # int64 labels float64 cannot all hold
        merged = _merged_labels(raw.tolist(), Y)
        if merged is not None:
            i, j = merged
            raise DataError(_merged_message(place, (str(raw[i]), f"row {i}"), (str(raw[j]), f"row {j}"), float(Y[i])))
    codes, names = _encode_numeric_labels(Y)
    _check_class_count(names, task, place)
    return _one_hot(codes, len(names), place), "classification", names, (key,)


def load_npz(path: Path | str, task: str = "auto") -> Dataset:
    """Load a NumPy ``.npz`` archive holding ``X`` and ``y`` (``Y`` is accepted too).

    Loading never unpickles (``allow_pickle=False``), so object arrays are refused.

    Args:
        path: the archive.
        task: ``"auto"``: a 1-D ``y`` of text, booleans or whole numbers -> classification
            (one-hot), other 1-D numbers -> regression (one column), a 2-D ``y`` -> classification
            when every row is one-hot (``np.eye(k)[labels]``: classes ``"0"`` … ``"k-1"``), else regression.
            ``"classification"`` / ``"regression"`` force it; a 2-D ``y`` under classification
            must already be one-hot, except a single column ``(n_samples, 1)``, read as labels.
            Text labels (``str``, or ``bytes`` holding UTF-8) are stripped and must not be empty;
            under ``"auto"``, text labels that are all numbers, some written with a comma
            (``"1,5"``), are refused as a CSV target column of them is.

    Arrays:
        ``X``: numeric, shape (n_samples, n_inputs). ``y``: shape (n_samples,) labels or
        (n_samples, n_outputs) targets.

    Returns:
        A :class:`Dataset`; features are named ``x0, x1, ...``.

    Raises:
        DataError: naming the file and the array: missing arrays, wrong shapes or dtypes, row
            counts that differ, NaN/inf, a file that is not a readable archive.
    """
    path = Path(path)
    where = str(path)
    task = _check_task(task)
    _check_file(path)
    try:
        kind = npz_kind(path)
    except OSError as exc:
        raise DataError(f"{where}: cannot be read ({_one_line(exc.strerror or exc)})") from None
    if kind in ("empty", "pickle", "other"):
        what = {"empty": "is empty", "pickle": "is a Python pickle, which is never loaded",
                "other": "is not an .npz archive (it does not start like one)"}[kind]
        raise DataError(f"{where}: {what}; expected an .npz archive with arrays 'X' and 'y' "
                        "(save it with numpy.savez)")
    with open(path, "rb") as f:  # ours to close: numpy leaves its own open on a corrupt archive
        try:
            loaded = np.load(f, allow_pickle=False)
        except Exception as exc:  # noqa: BLE001 - numpy/zipfile raise many kinds on a corrupt file
            raise DataError(f"{where}: is not a readable .npz archive ({type(exc).__name__}: "
                            f"{_one_line(exc)})") from None
        if not isinstance(loaded, np.lib.npyio.NpzFile):
            raise DataError(f"{where}: holds a single array, not an .npz archive with arrays 'X' and 'y' "
                            "(save it with numpy.savez)")
        with loaded as archive:
            keys = list(archive.files)
            label_keys = [k for k in ("y", "Y") if k in keys]
            missing = [k for k in ("X",) if k not in keys] + ([] if label_keys else ["y"])
            if missing:
                have = _name_list(keys) if keys else "no arrays"
                raise DataError(f"{where}: array {missing[0]!r} is missing; the archive has: {have}")
            if len(label_keys) > 1:
                raise DataError(f"{where}: has both arrays 'y' and 'Y'; keep one of them")
            key = label_keys[0]
            X = _npz_X(_npz_array(archive, "X", where), where)
            raw_y = _npz_array(archive, key, where)
    if raw_y.ndim >= 1 and raw_y.shape[0] != X.shape[0]:
        raise DataError(f"{where}: array {key!r} has {raw_y.shape[0]} rows but 'X' has {X.shape[0]}; "
                        "they must match")
    Y, final_task, class_names, target_names = _npz_targets(raw_y, key, task, where)
    return Dataset(
        X=X,
        Y=Y,
        task=final_task,
        class_names=class_names,
        feature_names=tuple(f"x{j}" for j in range(X.shape[1])),
        target_names=target_names,
        source=str(path.resolve()),
    )


#: .tsv and .txt are delimited text as a .csv is (its separator is detected): Excel's "Text (Tab
#: delimited)" saves .txt, and predict, which reads any name, took them where train refused them.
_LOADERS: dict[str, Callable[..., Dataset]] = {".csv": load_csv, ".npz": load_npz, ".tsv": load_csv, ".txt": load_csv}
DATA_SUFFIXES = tuple(sorted(_LOADERS))  # the data files load_file reads
CSV_SUFFIXES = tuple(sorted(k for k, f in _LOADERS.items() if f is load_csv))  # .csv, .tsv, .txt


def load_file(path: Path | str, target: str | Sequence[str] | None = None, task: str = "auto",
              features: Sequence[str] | None = None) -> Dataset:
    """Load a ``.csv`` (also ``.tsv``, ``.txt``; see :func:`load_csv`) or ``.npz`` (see
    :func:`load_npz`) file by suffix.

    Raises:
        DataError: missing file, a folder, another suffix, or a ``target`` or ``features`` for an
            ``.npz`` file.
    """
    path = Path(path)
    _check_file(path)
    suffix = path.suffix.lower()
    if suffix not in _LOADERS:
        what = f"files ending in {suffix!r} are not supported" if suffix else \
            "the name has no suffix to tell the file's kind"
        raise DataError(f"{path}: {what}; use one of: {', '.join(sorted(_LOADERS))}")
    if suffix == ".npz":
        if target is not None:
            raise DataError(f"data.target: {shown(target)} cannot be used with {path}; an .npz file has "
                            "no named columns, its targets are the array 'y'")
        if features is not None:
            raise DataError(f"data.features: {shown(features)} cannot be used with {path}; an .npz file has "
                            "no named columns, its inputs are the array 'X', every column of it")
        return load_npz(path, task=task)
    return load_csv(path, target=target, task=task, features=features)


# --------------------------------------------------------------------------------------------
# Splits, scaling, batches, accuracy


def stratified_shares(counts: Sequence[int], n_test: int) -> list[int]:
    """How many of ``n_test`` test rows each class gives, classes of ``counts`` rows (all ≥ 1,
    n_test < their sum n): the largest-remainder apportionment, in exact integer arithmetic.

    Class c's exact share is q_c = n_test·n_c / n. It gets ⌊q_c⌋ rows; the rows still missing go
    one each, in this order, to: classes that keep a training row after the extra one first
    (⌊q_c⌋ + 1 < n_c: a class of 1 row, or whose last training row it would take, stays in the
    training split while another class can give the row instead), then the larger remainder
    q_c − ⌊q_c⌋ (compared as the integers n_test·n_c mod n, so equal remainders are equal: no
    rounding decides a tie), then the lower class index. Every class gets ⌊q_c⌋ or ⌊q_c⌋ + 1, and
    the shares add up to n_test.
    """
    counts = [int(c) for c in counts]
    n = sum(counts)
    if not 0 <= n_test < n or any(c < 1 for c in counts):
        raise ValueError(f"stratified_shares: n_test = {n_test} must be in [0, {n}) and every class count ≥ 1")
    take = [n_test * c // n for c in counts]
    remainder = [n_test * c % n for c in counts]  # the remainders, × n
    extra = n_test - sum(take)
    order = sorted(range(len(counts)), key=lambda c: (take[c] + 1 >= counts[c], -remainder[c], c))
    for c in order[:extra]:
        take[c] += 1
    return take


def _stratified_test_rows(labels: NDArray[np.intp], n_test: int, rng: np.random.Generator
                          ) -> NDArray[np.intp]:
    """Pick n_test rows so each class gets its proportional share (``stratified_shares``), then, class
    by class in index order, ``permutation(rows of c)[:t_c]``."""
    classes, counts = np.unique(labels, return_counts=True)
    take = stratified_shares(counts.tolist(), n_test)
    picked = [rng.permutation(np.flatnonzero(labels == c))[:t] for c, t in zip(classes, take)]
    return np.concatenate(picked).astype(np.intp)


def held_out_rows(n: int, fraction: float) -> int:
    """Rows ``train_test_split`` holds out of ``n`` (n ≥ 2) for ``fraction`` in (0, 1):
    round(fraction · n), at least 1, leaving at least 1."""
    return min(max(int(round(float(fraction) * n)), 1), n - 1)


def train_test_split(ds: Dataset, test_fraction: float, rng: np.random.Generator
                     ) -> tuple[Dataset, Dataset | None]:
    """Split rows into a training and a test set.

    Args:
        ds: the data, n_samples rows.
        test_fraction: share of rows for the test set, in [0, 1). 0 -> ``(ds, None)`` unchanged.
            Otherwise the test set has round(fraction * n) rows, at least 1, and the training
            set keeps at least 1.
        rng: picks the rows and shuffles each part.

    Classification is stratified: each class contributes its proportional share of test rows.

    Returns:
        ``(train, test)``; their rows together are exactly ``ds``'s rows.
    """
    if not _is_real(test_fraction) or not 0.0 <= float(test_fraction) < 1.0:
        raise DataError(f"data.test_fraction: {shown(test_fraction)} is not allowed; use a number in [0, 1)")
    if test_fraction == 0:
        return ds, None
    n = ds.n_samples
    if n < 2:
        raise DataError(f"data.test_fraction: {shown(test_fraction)} asks for a test set, but {ds.source} "
                        f"has only {n} row; use 0 or more data")
    n_test = held_out_rows(n, test_fraction)
    if ds.task == "classification":
        test_rows = _stratified_test_rows(class_indices(ds.Y), n_test, rng)
    else:
        test_rows = rng.permutation(n)[:n_test]
    in_test = np.zeros(n, dtype=bool)
    in_test[test_rows] = True
    train_rows = rng.permutation(np.flatnonzero(~in_test))
    test_rows = rng.permutation(np.flatnonzero(in_test))
    return ds.subset(train_rows), ds.subset(test_rows)


@dataclass(frozen=True, eq=False)
class Standardizer:
    """Per-feature affine scaling x -> (x - mean) / scale, fit on training inputs.

    Attributes:
        mean: shape (n_inputs,), the column means.
        scale: shape (n_inputs,), the column standard deviations, 1.0 for constant columns
            (so they map to 0 instead of dividing by zero).
    """

    mean: FloatArray
    scale: FloatArray

    def __post_init__(self) -> None:
        mean = np.asarray(self.mean, dtype=np.float64)
        scale = np.asarray(self.scale, dtype=np.float64)
        if (mean.ndim != 1 or mean.shape != scale.shape or not np.all(np.isfinite(mean))
                or not np.all(np.isfinite(scale)) or np.any(scale <= 0)):
            raise DataError(f"standardizer: mean {mean.shape} and scale {scale.shape} must be 1-D "
                            "arrays of equal length, finite, with every scale > 0")
        object.__setattr__(self, "mean", mean)
        object.__setattr__(self, "scale", scale)

    @classmethod
    def fit(cls, X: ArrayLike) -> Standardizer:
        """Column means and standard deviations of X, shape (n_samples, n_inputs), n_samples >= 1.

        A column is constant when its max equals its min (an exact test: the computed std of a
        constant column can be a tiny non-zero number); its scale is 1.0.
        """
        X = np.asarray(X, dtype=np.float64)
        if X.ndim != 2 or X.shape[0] == 0:
            raise DataError(f"cannot standardize inputs of shape {X.shape}; need (n_samples >= 1, n_inputs)")
        constant = X.max(axis=0) == X.min(axis=0)
        with np.errstate(over="ignore", under="ignore"):
            mean, std = X.mean(axis=0), X.std(axis=0)
            bad = ~constant & ~(np.isfinite(mean) & np.isfinite(std) & (std >= _SQRT_TINY))
            if bad.any():  # |x| near 1e300 (the squares overflow) or 1e-300 (they underflow; from
                # a std below √tiny on they are subnormal and lose digits: 1% of it at 1e-161):
                cols = X[:, bad]  # the same figures from the columns divided by their largest |x|
                big = np.abs(cols).max(axis=0)
                mean[bad] = (cols / big).mean(axis=0) * big
                std[bad] = (cols / big).std(axis=0) * big
            # a constant column's mean is its value (exactly; the sum of n values near 1e308
            # overflows to inf, which was refused as an invalid standardizer)
            mean = np.where(constant, X[0], mean)
        return cls(mean=mean, scale=np.where(constant, 1.0, std))

    def transform(self, X: ArrayLike) -> FloatArray:
        """(X - mean) / scale for X of shape (n_samples, n_inputs); returns the same shape."""
        X = np.asarray(X, dtype=np.float64)
        if X.ndim != 2 or X.shape[1] != self.mean.shape[0]:
            raise DataError(f"inputs have shape {X.shape} but the standardizer was fit on "
                            f"{self.mean.shape[0]} columns")
        with np.errstate(over="ignore", invalid="ignore"):
            Z = X - self.mean
            Z /= self.scale  # in place: one array of X's size, not two
            if not np.isfinite(Z).all():  # x − mean overflowed (|x| and |mean| near 1e308, opposite signs)
                cols = np.flatnonzero(~np.isfinite(Z).all(axis=0) & np.isfinite(X).all(axis=0))
                if cols.size:  # the same figure as x/scale − mean/scale, which stays finite there (or
                    # overflows, an x beyond scale × 1.8e308: inf, with no numpy warning; the caller says so)
                    Z[:, cols] = X[:, cols] / self.scale[cols] - self.mean[cols] / self.scale[cols]
        return Z


def epoch_order(n_samples: int, rng: np.random.Generator | None) -> NDArray[np.intp]:
    """The order in which one epoch visits the examples: ``rng.permutation``, or 0, 1, 2, …

    ``minibatches`` cuts this order into batches; the trainer uses it directly.
    """
    if rng is None:
        return np.arange(n_samples, dtype=np.intp)
    return rng.permutation(n_samples).astype(np.intp, copy=False)


def minibatches(n_samples: int, batch_size: int, rng: np.random.Generator | None
                ) -> Iterator[NDArray[np.intp]]:
    """Index arrays of one epoch's mini-batches.

    Every index in ``range(n_samples)`` appears exactly once; batches have ``batch_size``
    indices (the last may be smaller). ``rng`` shuffles the order; ``None`` keeps 0, 1, 2, ...

    Yields:
        shape (batch,) integer arrays; use them as ``X[idx]``, ``Y[idx]``.
    """
    if not _is_whole(batch_size) or batch_size < 1:
        raise DataError(f"training.batch_size: {shown(batch_size)} is not allowed; use a whole number >= 1")
    if not _is_whole(n_samples) or n_samples < 0:
        raise ValueError(f"n_samples must be a whole number >= 0, got {n_samples!r}")
    order = epoch_order(int(n_samples), rng)
    for start in range(0, int(n_samples), int(batch_size)):
        yield order[start:start + batch_size]


def accuracy(Y_true: ArrayLike, A: ArrayLike) -> float:
    """Share of rows whose predicted class is the true class.

    Args:
        Y_true: shape (n, k): one-hot (k > 1), or one 0/1 column (k = 1); (n,) is read as (n, 1).
        A: network outputs of the same shape. k > 1: predicted class = argmax of the row;
            k = 1: class 1 where the output is above 0.5.

    Returns:
        A number in [0, 1]; NaN for zero rows.
    """
    Y_true = np.asarray(Y_true, dtype=np.float64)
    A = np.asarray(A, dtype=np.float64)
    Y_true = Y_true.reshape(-1, 1) if Y_true.ndim == 1 else Y_true
    A = A.reshape(-1, 1) if A.ndim == 1 else A
    if Y_true.shape != A.shape:
        raise ValueError(f"accuracy needs equal shapes, got targets {Y_true.shape} and outputs {A.shape}")
    if Y_true.shape[0] == 0:
        return float("nan")
    return float(np.mean(class_indices(Y_true) == class_indices(A)))


__all__ = [
    "AUTO_MAX_CLASSES",
    "GENERATORS",
    "TASKS",
    "Dataset",
    "DatasetGenerator",
    "Standardizer",
    "TextCells",
    "accuracy",
    "binary_kind",
    "check_class_targets",
    "class_indices",
    "data_digest",
    "file_problem",
    "generate",
    "label_name",
    "load_csv",
    "load_file",
    "load_npz",
    "minibatches",
    "npz_kind",
    "read_csv_columns",
    "read_csv_keeping",
    "stratified_shares",
    "train_test_split",
]

