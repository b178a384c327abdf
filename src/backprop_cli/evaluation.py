"""Evaluating a trained model: the data to evaluate on, and the metrics, as plain dataclasses.

The core of ``backprop evaluate``; it never prints (``render/evaluate.py`` draws the tables).

Classification, from the true classes t_i and the predicted classes p_i of n examples
(predicted class = argmax of the outputs, or output > 0.5 for a single output):

- confusion matrix M, shape (k, k): M[i, j] = #{examples of true class i predicted as j};
  rows sum to the supports, the whole matrix to n, and accuracy = trace(M) / n;
- per class c: precision = M[c, c] / Σ_i M[i, c], recall = M[c, c] / Σ_j M[c, j],
  F1 = 2 · precision · recall / (precision + recall) = 2 M[c, c] / (Σ_i M[i, c] + Σ_j M[c, j]),
  support = Σ_j M[c, j].
  A ratio whose denominator is 0 is undefined (``None``), not silently 0. F1, in its second
  form, is defined whenever the class is a true or a predicted class of some example: a class
  that has examples but is never predicted gets precision ``None``, recall 0 and F1 0.

Regression, per output j with targets y and outputs a over n examples:
MSE = mean (a − y)², MAE = mean |a − y|, R² = 1 − Σ (a − y)² / Σ (y − ȳ)²
(``None`` when the targets are constant).

The cost is the network's own (the mean of C_i, as ``backprop train`` reports it).
"""

from __future__ import annotations

import math
import os
import stat
from dataclasses import dataclass, replace
from pathlib import Path
from collections.abc import Callable
from typing import TYPE_CHECKING, BinaryIO

import numpy as np
from numpy.typing import NDArray

from .costs import rows_outside_domain
from .data import (CSV_SUFFIXES, Dataset, Standardizer, class_indices, comma_fix, comma_number, label_name, nfc,
                   read_csv_columns)
from .errors import DataError
from .model_io import SavedModel
from .names import shown
from .wording import plural
from .prediction import ModelSchema, refuse_nonfinite

FloatArray = NDArray[np.float64]

if TYPE_CHECKING:
    from .config import Config
    from .experiment import Experiment

#: What a data set evaluated on is: the stored config's test split, its training split (the
#: config has no test split), or every row of a file.
SPLITS = ("test", "train", "file")


# --------------------------------------------------------------------------------------------
# Metrics


@dataclass(frozen=True)
class ClassMetrics:
    """Precision, recall and F1 of one class (``None`` where a denominator is 0)."""

    name: str
    precision: float | None  # of the examples predicted as this class, the share that are
    recall: float | None  # of the examples of this class, the share predicted as it
    f1: float | None  # harmonic mean of precision and recall: 2 TP / (predicted + support)
    support: int  # number of examples of this class


@dataclass(frozen=True)
class ClassificationMetrics:
    """Accuracy, per-class figures and the confusion matrix.

    Attributes:
        accuracy: share of examples whose predicted class is the true class.
        classes: one entry per class, in the model's class order.
        confusion: shape (k, k), integers: ``confusion[i, j]`` = examples of true class i
            predicted as class j.
        macro: the unweighted mean over classes of precision, recall and F1 (classes where
            a figure is undefined are left out of its mean); support = all examples.
    """

    accuracy: float
    classes: tuple[ClassMetrics, ...]
    confusion: NDArray[np.int64]
    macro: ClassMetrics

    @property
    def class_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.classes)


@dataclass(frozen=True)
class OutputMetrics:
    """Regression figures of one output."""

    name: str
    mse: float  # mean (a − y)²
    mae: float  # mean |a − y|
    r2: float | None  # 1 − SS_res / SS_tot; None when the targets are constant (all equal)


@dataclass(frozen=True)
class Evaluation:
    """One model on one data set.

    Attributes:
        model: the model file, as given.
        network: e.g. ``4-8-3 tanh/softmax, cross_entropy``.
        cost_name: the cost function, e.g. ``cross_entropy``.
        data: where the examples came from (a file or ``circles (built-in)``).
        split: one of :data:`SPLITS`.
        n_samples: number of examples.
        task: ``classification`` or ``regression``.
        cost: the mean cost C over the examples (with the L2 penalty if the model has one).
        l2: the model's λ (0.0 without L2 regularization).
        penalty: (λ/2) Σ_l ||w^(l)||² of the model's weights, included in ``cost`` (0.0 when λ is 0).
        classification / regression: the metrics of the task (the other is None).
        seen: how many of the examples the model was trained on (:class:`TrainingOverlap`; None
            for a model saved from arrays, or where it was not counted).
        dtype: the model's arithmetic, ``float64`` or ``float32``.
    """

    model: str
    network: str
    cost_name: str
    data: str
    split: str
    n_samples: int
    task: str
    cost: float
    classification: ClassificationMetrics | None = None
    regression: tuple[OutputMetrics, ...] | None = None
    l2: float = 0.0
    penalty: float = 0.0
    seen: TrainingOverlap | None = None
    #: the arithmetic the model computes in, its training.dtype (the header names float32, as train's summary does)
    dtype: str = "float64"


def confusion_matrix(true: NDArray[np.intp], pred: NDArray[np.intp], k: int) -> NDArray[np.int64]:
    """Counts of (true class, predicted class) pairs.

    Args:
        true, pred: class indices, shape (n,), integers in 0..k-1.
        k: number of classes.

    Returns:
        shape (k, k); entry [i, j] = #{examples with true class i and predicted class j}.
    """
    flat = np.bincount(np.asarray(true) * k + np.asarray(pred), minlength=k * k)
    return flat.reshape(k, k).astype(np.int64)


def _ratio(num: float, den: float) -> float | None:
    return float(num / den) if den > 0 else None


def _f1(tp: int, predicted: int, support: int) -> float | None:
    # 2 p r / (p + r) with p = tp / predicted and r = tp / support, multiplied out: defined
    # when either count is (a class never predicted but with examples has F1 0, not None)
    return _ratio(2 * tp, predicted + support)


def _mean(values: list[float | None]) -> float | None:
    defined = [v for v in values if v is not None]
    return float(np.mean(defined)) if defined else None


def classification_metrics(Y: FloatArray, A: FloatArray, class_names: tuple[str, ...]
                           ) -> ClassificationMetrics:
    """Accuracy, per-class precision/recall/F1/support and the confusion matrix.

    Args:
        Y: true targets, shape (n, k) one-hot, or (n, 1) holding 0/1 (then k = 2 classes).
        A: network outputs, same shape as Y.
        class_names: one per class (2 for a single 0/1 column).
    """
    k = len(class_names)
    M = confusion_matrix(class_indices(Y), class_indices(A), k)
    n = int(M.sum())
    tp = np.diag(M)
    predicted = M.sum(axis=0)  # column sums: examples predicted as each class
    support = M.sum(axis=1)  # row sums: examples of each class
    classes = []
    for c, name in enumerate(class_names):
        p = _ratio(tp[c], predicted[c])
        r = _ratio(tp[c], support[c])
        classes.append(ClassMetrics(name, p, r, _f1(int(tp[c]), int(predicted[c]), int(support[c])),
                                    int(support[c])))
    macro = ClassMetrics(
        "macro avg",
        _mean([c.precision for c in classes]),
        _mean([c.recall for c in classes]),
        _mean([c.f1 for c in classes]),
        n,
    )
    accuracy = float(tp.sum() / n) if n else math.nan
    return ClassificationMetrics(accuracy, tuple(classes), M, macro)


def regression_metrics(Y: FloatArray, A: FloatArray, names: tuple[str, ...]
                       ) -> tuple[OutputMetrics, ...]:
    """MSE, MAE and R² of each output.

    Args:
        Y: targets, shape (n, n_outputs); A: outputs, same shape.
        names: one per output.
    """
    err = A - Y
    out = []
    with np.errstate(over="ignore", invalid="ignore"):  # sums past 1.8e308: recomputed scaled below
        ss_res = np.sum(err**2, axis=0)
        ss_tot = np.sum((Y - Y.mean(axis=0)) ** 2, axis=0)
        for j, name in enumerate(names):
            e = err[:, j]
            mse, mae = float(np.mean(e**2)), float(np.mean(np.abs(e)))
            # constant targets have no R², whatever the rounding of their mean leaves in Σ(y − ȳ)²
            # (0.1 three times: ȳ one ulp off, a sum of 6e-34 and an R² of −1e32)
            constant = not np.max(Y[:, j]) > np.min(Y[:, j])
            r2 = None if constant else float(1.0 - ss_res[j] / ss_tot[j]) if ss_tot[j] > 0 else None
            if not math.isfinite(mse):  # every (a − y)² finite, their sum not: the same mean, scaled
                mse = _scaled_mean_square(e)
            if not math.isfinite(mae):
                mae = _scaled_mean(np.abs(e))
            if not constant and not (math.isfinite(ss_res[j]) and math.isfinite(ss_tot[j]) and ss_tot[j] > 0):
                # a sum past 1.8e308, or Σ(y − ȳ)² underflowing to 0 (a spread below 1e-162): scaled
                d = Y[:, j] - _scaled_mean(Y[:, j])
                s = max(float(np.max(np.abs(e))), float(np.max(np.abs(d))))
                tot = float(np.sum((d / s) ** 2))
                # tot still 0: the errors dwarf the targets' spread beyond float64, R² below −1.8e308
                r2 = float(1.0 - np.sum((e / s) ** 2) / tot) if tot > 0 else -math.inf
            out.append(OutputMetrics(name, mse, mae, r2))
    return tuple(out)


def _scaled_mean(v: FloatArray) -> float:
    """The mean of finite numbers whose sum overflows: max|v| · mean(v / max|v|)."""
    s = float(np.max(np.abs(v)))
    return s * float(np.mean(v / s)) if s > 0 else 0.0


def _scaled_mean_square(v: FloatArray) -> float:
    """mean(v²) where the squares' sum overflows: s · (s · mean((v / s)²)), s = max|v|
    (still inf when the mean itself is beyond float64)."""
    s = float(np.max(np.abs(v)))
    with np.errstate(over="ignore"):
        return s * (s * float(np.mean((v / s) ** 2))) if s > 0 else 0.0


def evaluate(saved: SavedModel, schema: ModelSchema, ds: Dataset, split: str,
             model_name: str | None = None, lines: list[int] | None = None,
             seen: TrainingOverlap | None = None, raw: FloatArray | None = None) -> Evaluation:
    """Cost and metrics of the model on ``ds`` (inputs already standardized as the model expects).

    Args:
        ds: X (n, n_inputs), Y (n, n_outputs), in the model's class order.
        split: one of :data:`SPLITS`, recorded in the result.
        lines: the file line of each example (a CSV file), for messages.
        seen: how many of them the model was trained on (:func:`training_overlap`), recorded.
        raw: the inputs as read, before the model's standardization (``EvaluationData.raw``), for a
            message naming a row's largest input; None: ``ds.X``'s, where the model standardizes none.

    Raises:
        DataError: no examples, or an example whose outputs or cost are not finite (inputs so
            large that the arithmetic overflows), naming the data and the row.
    """
    from .training import EVAL_ROWS

    n = ds.n_samples
    if n == 0:
        raise DataError(f"{ds.source}: no examples to evaluate on")
    net = saved.net
    where = ds.source
    outputs, costs, total = [], [], 0.0
    with np.errstate(all="ignore"):  # overflow shows up as non-finite numbers, refused below
        # one forward pass, in training.evaluate's chunks and order of sums: the cost is the
        # figure `backprop train` reports, bit for bit, and memory stays bounded
        for lo in range(0, n, EVAL_ROWS):
            cache = net.forward(ds.X[lo:lo + EVAL_ROWS])
            outputs.append(np.asarray(cache.output, dtype=np.float64))
            costs.append(net.example_costs(cache, ds.Y[lo:lo + EVAL_ROWS]))
            total += float(np.sum(costs[-1]))
        A = np.concatenate(outputs)
        if raw is None and saved.standardizer is None:
            raw = ds.X
        # the row's largest input named, as predict names it; the first bad row in the file, whether its
        # outputs or only its cost are not finite (row 4's outputs were said before row 2's cost)
        every = np.concatenate(costs)
        out_bad, cost_bad = ~np.isfinite(A).all(axis=1), ~np.isfinite(every)
        either = out_bad | cost_bad
        if np.any(either):
            flagged = np.flatnonzero(either)
            first = int(flagged[np.argmin([lines[i] for i in flagged])]) if lines is not None else int(flagged[0])
            k = int(np.count_nonzero(either))
            if out_bad[first]:
                refuse_nonfinite(out_bad, where, lines, raw, schema.feature_names, affected=k)
            refuse_nonfinite(cost_bad, where, lines, raw, schema.feature_names, cost=True, A=A, Y=ds.Y, affected=k)
        penalty = net.penalty()
        cost = total / n + penalty
        if not math.isfinite(cost):  # every row's cost is finite, their sum is not: the mean, scaled
            cost = _scaled_mean(every.astype(np.float64)) + penalty
    common = dict(
        model=model_name or str(saved.path), network=net.describe(), cost_name=net.cost_name,
        data=ds.source, split=split, n_samples=ds.n_samples, task=schema.task, cost=cost,
        l2=net.l2, penalty=penalty, seen=seen, dtype=net.dtype.name,
    )
    if schema.task == "classification":
        assert schema.class_names is not None
        return Evaluation(**common, classification=classification_metrics(ds.Y, A, schema.class_names))
    outputs = regression_metrics(ds.Y, A, schema.output_names)
    _refuse_overflowing(cost, outputs, ds.Y, A, where, lines)
    return Evaluation(**common, regression=outputs)


def _refuse_overflowing(cost: float, outputs: tuple[OutputMetrics, ...], Y: FloatArray, A: FloatArray,
                        where: str, lines: list[int] | None) -> None:
    """A regression figure beyond float64 is refused with the reason, rather than reported as
    inf or NaN (which is not JSON): an MSE above 1.8e308 (errors near 1e154), or an R² below
    −1.8e308 (targets constant but for a difference near 1e-160)."""
    for j, o in enumerate(outputs):
        figures = [("the cost", cost), (f"the MSE of output {shown(o.name)}", o.mse),
                   (f"the MAE of output {shown(o.name)}", o.mae)]
        bad = next((what for what, v in figures if not math.isfinite(v)), None)
        with np.errstate(over="ignore", invalid="ignore"):
            err = np.abs(A[:, j] - Y[:, j])
        r = int(np.argmax(err))
        row = f"row {lines[r]}" if lines is not None else f"example {r + 1}"
        largest = f"the largest error is {row}: |a − y| = {err[r]:.6g}"
        if bad is not None:
            raise DataError(f"{where}: {bad} is not a finite number: the targets are too far from the "
                            f"model's outputs for the arithmetic (it overflows); {largest}")
        if o.r2 is not None and not math.isfinite(o.r2):
            spread = float(np.max(Y[:, j]) - np.min(Y[:, j]))
            raise DataError(f"{where}: the R² of output {shown(o.name)} is not a finite number: its targets "
                            f"are constant but for a spread of {spread:.3g}, and 1 − Σ(a − y)² / Σ(y − ȳ)² "
                            f"overflows; {largest}")


# --------------------------------------------------------------------------------------------
# The data to evaluate on


def _scaled(ds: Dataset, scaler: Standardizer | None) -> Dataset:
    return ds if scaler is None else replace(ds, X=scaler.transform(ds.X))


def as_trained(config: Config, task: str | None, n_targets: int) -> Config:
    """``config`` with ``data.task: regression`` where a model of ``task`` "regression" with ``n_targets``
    outputs (several) was trained on its data under ``data.task: auto``: before that read target columns
    whose every row is one-hot as classes (Dec 2026, ``experiment.one_hot_note``), it fit them as numbers,
    and its data is read so again (its splits, its fingerprint, rows it can evaluate). Several target columns
    that are not one-hot read as numbers under ``auto`` anyway. Else ``config`` itself."""
    if task == "regression" and config.data.task == "auto" and n_targets > 1:
        return replace(config, data=replace(config.data, task="regression"))
    return config


def model_splits(saved: SavedModel, data_path: str | None = None,
                 trained_on: Callable[[str, Dataset], None] | None = None) -> Experiment:
    """The model's own splits (training, test, validation), rebuilt from its stored config and seed
    as training drew them, *unscaled* (the raw rows, as read); ``data_path``: read the data from
    this file instead of the stored ``data.path`` (a copy of it). Its ``data_digest`` is set when
    the model stores one (to compare). ``trained_on``: ``prepare``'s, for data that no longer fit
    the model's network (``runs.trained_on``).

    Raises:
        DataError, ConfigError: the data cannot be read (a file moved or removed since).
    """
    from .experiment import prepare

    config = as_trained(saved.config, saved.task, saved.net.sizes[-1])  # one-hot columns fit as numbers
    data = replace(config.data, standardize=False)
    if data_path is not None:
        data = replace(data, path=data_path)
    return prepare(replace(config, data=data), net=saved.net, digest=saved.data_digest is not None,
                   trained_on=trained_on)


def _moved_hint(saved: SavedModel) -> str:
    """What to do when the model's data file has moved: its test split, from a config whose data.path
    is the copy (the same seed and fractions draw the same rows); not --data FILE.csv first, which
    evaluates every row, the training rows with them."""
    import shlex

    config = saved.path.with_name("config.yaml")
    source = shlex.quote(str(config)) if config.is_file() else "a config with the model's data section"
    return (f"its test split, from the moved copy: backprop config show {source} --set data.path=COPY.csv "
            f"> copy.yaml, then backprop evaluate {shlex.quote(str(saved.path))} --data copy.yaml (--data COPY.csv evaluates "
            "every row, the rows it was trained on too)")


def _stored_experiment(saved: SavedModel) -> Experiment:
    """:func:`model_splits` of a model with data of its own, refused when its file has changed."""
    from .model_io import no_data_message
    from .runs import check_same_data, trained_on

    if not saved.has_data:  # its config's data section is the default (xor), not what it was trained on
        columns = ", ".join((saved.feature_names or ()) + (saved.target_names or ()))
        raise DataError(no_data_message(saved.path, "to evaluate on"),
                        f"give data: --data FILE.csv (with the columns {columns}), or --data CONFIG.yaml for a "
                        "config's test split")
    what = "cannot rebuild its test split"
    hint = ("its test split would not be the rows held out in training; evaluate on a file with --data FILE.csv "
            "(every row of which counts)")
    try:  # a file changed so that the network no longer fits it is said to be changed, not the network
        exp = model_splits(saved, trained_on=trained_on(saved.data_digest, saved.net.sizes, what, saved.path, hint))
    except DataError as e:
        if e.hint is not None and e.hint.startswith("a model stores the absolute path"):
            e.hint += "; evaluate " + _moved_hint(saved)
        raise
    check_same_data(saved.data_digest, exp.data_digest, exp.train.source, what, saved.path, hint)
    return exp


def stored_split(saved: SavedModel) -> tuple[Dataset, str]:
    """The model's own held-out data: rebuilt from its stored config and seed (the same rows as
    in training), standardized with the model's stored scaler.

    Raises:
        DataError: the model's data file has changed since training (its stored fingerprint).

    Returns:
        ``(test split, "test")``, or ``(training split, "train")`` when the config has none.
    """
    ds, split, _ = _stored_rows(saved)
    return _scaled(ds, saved.standardizer), split


def _stored_rows(saved: SavedModel) -> tuple[Dataset, str, TrainingOverlap]:
    exp = _stored_experiment(saved)
    ds, split = (exp.test, "test") if exp.test is not None else (exp.train, "train")
    return ds, split, _overlap(saved, exp, ds.X, ds.Y)


def _config_rows(saved: SavedModel, schema: ModelSchema, config_path: Path) -> tuple[Dataset, str, str | None]:
    """:func:`config_split`'s rows, unscaled, and the config's data file (None for a built-in set)."""
    from .config import load_config
    from .experiment import prepare

    cfg = load_config(config_path)
    sizes = saved.net.sizes
    if (cfg.network.layers[0], cfg.network.layers[-1]) != (sizes[0], sizes[-1]):
        raise DataError(
            f"{config_path}: network.layers {list(cfg.network.layers)} does not fit the model "
            f"{saved.path} ({'-'.join(map(str, sizes))}); its data must have {plural(sizes[0], 'input')} "
            f"and {plural(sizes[-1], 'output')}"
        )
    cfg = as_trained(cfg, saved.task, sizes[-1])  # one-hot target columns the model fit as numbers
    exp = prepare(replace(cfg, data=replace(cfg.data, standardize=False)), net=saved.net)
    ds, split = (exp.test, "test") if exp.test is not None else (exp.train, "train")
    # whole-number targets read as classes under data.task: auto, for a model that fit them as numbers
    numbers = f"set data.task: regression in {config_path} to read its targets as numbers, as the model does"
    _check_same_columns(ds, schema, saved.path, str(config_path),
                        numbers if cfg.data.task == "auto" and schema.task == "regression" else None)
    return ds, split, cfg.data.path


def config_split(saved: SavedModel, schema: ModelSchema, config_path: Path) -> tuple[Dataset, str]:
    """The test split (or, without one, the training split) of another config's data.

    Only the config's data section and seed matter; its ``network.layers`` must start and end
    with the model's input and output sizes, and its data must have the model's features
    (when the model stores their names), task and classes. Inputs get the model's scaling.
    """
    ds, split, _ = _config_rows(saved, schema, config_path)
    return _scaled(ds, saved.standardizer), split


# --------------------------------------------------------------------------------------------
# Rows the model was trained on


@dataclass(frozen=True)
class TrainingOverlap:
    """How many of the rows evaluated on are rows the model was trained on: equal, raw inputs and
    target alike, to a row of its training split (or of its validation split, held out of training
    but watched during it: with training.early_stopping it chose the epoch kept). Exact equality
    holds whatever file the rows come from: another seed's split of the same file, the whole file,
    a copy. Each row of those splits stands for one row evaluated on at most, so the whole file
    counts as many rows as the training split has, however often a row repeats; a row the data
    holds twice, once in each split, counts on the test split alone (it equals a training row).

    Attributes:
        n_train: rows paired with an equal row of the model's training split (:func:`rows_matched`);
            None when it cannot tell.
        n_validation: rows of the rest paired with an equal row of its validation split; 0 without
            a validation split, None when it cannot tell.
        source: the model's training data (its file, or ``circles (built-in)``).
        seed, test_fraction, validation_fraction: how its splits were drawn from ``source``.
        early_stopping: the validation split chose the epoch kept.
        reason: why it cannot tell (the training data cannot be read, or has changed since).
        copy: the splits were drawn from ``source``, a copy of the model's training data (its
            fingerprint the model's) found where the stored data.path could not be read.
    """

    n_train: int | None
    n_validation: int | None
    source: str
    seed: int
    test_fraction: float
    validation_fraction: float = 0.0
    early_stopping: bool = False
    reason: str | None = None
    copy: bool = False


#: An odd 64-bit multiplier (2⁶⁴/φ) mixing a row's words into its hash.
_MIX = np.uint64(0x9E3779B97F4A7C15)


def _row_words(X: FloatArray, Y: FloatArray) -> NDArray[np.uint64]:
    """Each row's raw inputs and target as 64-bit words: equal rows, equal words (−0.0 as 0.0)."""
    R = np.hstack([np.asarray(X, dtype=np.float64), np.asarray(Y, dtype=np.float64)]) + 0.0
    return np.ascontiguousarray(R).view(np.uint64)


def _row_hashes(W: NDArray[np.uint64]) -> NDArray[np.uint64]:
    h = np.zeros(len(W), dtype=np.uint64)
    with np.errstate(over="ignore"):
        for j in range(W.shape[1]):
            h = (h ^ W[:, j]) * _MIX
            h ^= h >> np.uint64(29)
    return h


def rows_in(X: FloatArray, Y: FloatArray, X_ref: FloatArray, Y_ref: FloatArray) -> NDArray[np.bool_]:
    """Which rows of (X, Y) equal, inputs and target, a row of (X_ref, Y_ref): shape (n,).

    A 64-bit hash of each row finds the candidates (one pass, vectorized: a million rows take
    about a second); the candidates are then compared exactly, so a hash collision never counts."""
    found = np.zeros(len(X), dtype=bool)
    if not len(X) or not len(X_ref) or X.shape[1] + Y.shape[1] != X_ref.shape[1] + Y_ref.shape[1]:
        return found
    W, V = _row_words(X, Y), _row_words(X_ref, Y_ref)
    hw, hv = _row_hashes(W), _row_hashes(V)
    candidate = np.isin(hw, hv)
    if candidate.any():
        row = np.dtype((np.void, W.shape[1] * 8))
        ref = np.ascontiguousarray(V[np.isin(hv, hw[candidate])]).view(row).ravel()
        found[candidate] = np.isin(np.ascontiguousarray(W[candidate]).view(row).ravel(), ref)
    return found


def rows_matched(X: FloatArray, Y: FloatArray, X_ref: FloatArray, Y_ref: FloatArray) -> NDArray[np.bool_]:
    """Which rows of (X, Y) are paired, one to one, with a row of (X_ref, Y_ref) equal to it (inputs
    and target): shape (n,). Each reference row pairs with one row at most, so a row that (X, Y)
    holds twice and the reference once counts once, and never more rows than the reference has;
    of equal rows, the first ones are the paired ones. (:func:`rows_in` marks every equal row.)

    Rows are grouped by their 64-bit hash; a group whose rows are not all equal (a collision) sends
    the pairing to an exact comparison of the rows' bytes, so a collision never pairs two rows."""
    found = np.zeros(len(X), dtype=bool)
    if not len(X) or not len(X_ref) or X.shape[1] + Y.shape[1] != X_ref.shape[1] + Y_ref.shape[1]:
        return found
    W, V = _row_words(X, Y), _row_words(X_ref, Y_ref)
    hw, hv = _row_hashes(W), _row_hashes(V)
    at = np.flatnonzero(np.isin(hw, hv))
    if not at.size:
        return found
    V = V[np.isin(hv, hw[at])]  # the reference rows that may equal one here
    W, hw, hv = W[at], hw[at], hv[np.isin(hv, hw[at])]
    keys, first, group = np.unique(hw, return_index=True, return_inverse=True)
    group = group.ravel()
    ref_group = np.searchsorted(keys, hv)
    if (W == W[first][group]).all() and (V == W[first][ref_group]).all():  # no collision: a hash is a row
        in_ref = np.bincount(ref_group, minlength=len(keys))
    else:  # the rows themselves, compared as bytes
        row = np.dtype((np.void, W.shape[1] * 8))
        mine = np.ascontiguousarray(W).view(row).ravel()
        ref = np.ascontiguousarray(V).view(row).ravel()
        distinct, group = np.unique(mine, return_inverse=True)
        group = group.ravel()
        ref_at = np.searchsorted(distinct, ref)
        equal = ref_at < len(distinct)
        equal[equal] = distinct[ref_at[equal]] == ref[equal]
        in_ref = np.bincount(ref_at[equal], minlength=len(distinct))
    order = np.argsort(group, kind="stable")  # each group's rows in their order
    start = np.searchsorted(group[order], group[order])  # where each row's group starts in that order
    rank = np.empty(len(at), dtype=np.intp)
    rank[order] = np.arange(len(at)) - start  # 0 for a row's first copy, 1 for its second, …
    found[at] = rank < in_ref[group]
    return found


def _overlap(saved: SavedModel, exp: Experiment, X: FloatArray, Y: FloatArray) -> TrainingOverlap:
    """The rows (X, Y), raw, counted against ``exp``'s (:func:`model_splits`) training and validation
    splits, each of their rows standing for one row of (X, Y) at most (:func:`rows_matched`)."""
    in_train = rows_matched(X, Y, exp.train.X, exp.train.Y)
    n_val = 0
    if exp.val is not None:
        rest = ~in_train
        n_val = int(np.count_nonzero(rows_matched(X[rest], Y[rest], exp.val.X, exp.val.Y)))
    cfg = saved.config
    return TrainingOverlap(int(np.count_nonzero(in_train)), n_val, exp.train.source, cfg.seed,
                           cfg.data.effective_test_fraction, cfg.data.validation_fraction,
                           cfg.training.early_stopping)


def training_overlap(saved: SavedModel, X: FloatArray, Y: FloatArray, copy: str | Path | None = None
                     ) -> TrainingOverlap | None:
    """How many of the raw rows (X, Y) (inputs unscaled, targets in the model's class order) are
    rows the model was trained on, its splits rebuilt from its stored config and seed.

    ``copy``: a data file that may be a copy of the model's training data (the file evaluated on,
    a config's data.path); used when the stored data.path cannot be read or has changed since,
    if its fingerprint is the one the model stores.

    Returns:
        None for a model saved from arrays (no data of its own: there is nothing to compare with);
        counts of None, with the reason, when its training data cannot be read or has changed.
    """
    from .errors import BackpropError

    if not saved.has_data:
        return None
    cfg = saved.config
    source = cfg.data.path if cfg.data.path is not None else str(cfg.data.dataset)
    class Changed(Exception):
        """Data that no longer fit the model's network, changed since (not 'network.layers[-1]: …')."""

    def changed(digest: str, ds: Dataset) -> None:
        if saved.data_digest is not None and digest != saved.data_digest:
            raise Changed(ds.source)

    try:
        exp = model_splits(saved, trained_on=changed)
        reason = None
        if saved.data_digest is not None and exp.data_digest != saved.data_digest:
            reason = f"{exp.train.source} has changed since it was trained on it"
    except Changed as e:
        reason = f"{e.args[0]} has changed since it was trained on it"
    except BackpropError as e:  # 'runs/x/model.npz (stored config): data.path: /a/b.csv: no such file'
        prefix = f"{saved.path} (stored config): "
        reason = f"its training data cannot be read ({e.message.removeprefix(prefix)})"
    if reason is not None and copy is not None and saved.data_digest is not None:
        try:
            other = model_splits(saved, str(Path(copy).resolve()))
        except BackpropError:
            pass
        else:
            if other.data_digest == saved.data_digest:  # the same rows: a copy of its data
                return replace(_overlap(saved, other, X, Y), copy=True)
    if reason is not None:
        return TrainingOverlap(None, None, source, cfg.seed, cfg.data.effective_test_fraction,
                               cfg.data.validation_fraction, cfg.training.early_stopping, reason)
    return _overlap(saved, exp, X, Y)


def _check_same_columns(ds: Dataset, schema: ModelSchema, model: Path, where: str,
                        task_hint: str | None = None) -> None:
    """The data must mean what the model's inputs and outputs mean; ``task_hint``: the hint of data of
    another task than the model's."""
    if ds.feature_names != schema.feature_names:
        raise DataError(f"{where}: the data's features ({', '.join(ds.feature_names)}) are not the "
                        f"model's ({', '.join(schema.feature_names)}, from {model})")
    if ds.task != schema.task:
        raise DataError(f"{where}: the data is {ds.task} but the model {model} does {schema.task}", task_hint)
    if ds.class_names != schema.class_names:
        raise DataError(f"{where}: the data's classes ({', '.join(ds.class_names or ())}) are not "
                        f"the model's ({', '.join(schema.class_names or ())}, from {model})")


def csv_dataset(saved: SavedModel, schema: ModelSchema, path: Path | BinaryIO, name: str | None = None,
                scale: bool = True) -> tuple[Dataset, list[int]]:
    """Every row of a CSV file holding the model's feature and target columns (by name),
    inputs standardized with the model's scaler, targets encoded in the model's class order;
    and the file line of each row (for messages).
    ``name``: what messages and the report call the file (default: the path as given);
    ``scale`` False: the inputs as read.

    Raises:
        DataError: naming the file, row and column of a missing column or a bad cell, or a
            class label the model does not know; a file without data rows.
    """
    where = str(path) if name is None else name
    X, cells, lines = read_csv_columns(path, schema.feature_names, schema.target_names, name=where,
                                       allow_no_rows=True)
    if not lines:  # after its columns were checked: a file that lacks them says so first
        raise DataError(f"{where}: has a header but no data rows; there is nothing to evaluate the "
                        "model on (at least one row is required)")
    Y = _targets(cells, lines, schema, where, saved)
    _check_cost_domain(saved, Y, lines, where)
    ds = Dataset(X=X, Y=Y, task=schema.task, class_names=schema.class_names,
                 feature_names=schema.feature_names, target_names=schema.target_names,
                 source=where)
    if not scale:
        return ds, lines
    with np.errstate(all="ignore"):  # an overflow is refused by evaluate(), naming the row
        return _scaled(ds, saved.standardizer), lines


def _check_cost_domain(saved: SavedModel, Y: FloatArray, lines: list[int], where: str) -> None:
    """Targets beyond a cross-entropy model's cost (``costs.rows_outside_domain``), which
    training refuses (experiment.check_shapes): beyond, the cost is no cost (it can be < 0)."""
    found = rows_outside_domain(saved.config.cost, saved.net.activations[-1].name, Y) if len(Y) else None
    if found is not None and found[0].any():
        mask, rule = found
        r = int(np.argmax(mask))
        raise DataError(f"{where} row {lines[r]}: targets {Y[r].tolist()} are beyond the model's cost "
                        f"({rule}; model {saved.path})")


def _number(cell: str, where: str, line: int, column: str, saved: SavedModel | None = None,
            task: str | None = None) -> float:
    """A target cell as a finite number; else the error naming the cell. ``saved`` and ``task``:
    the model and what it does, to say why a cell of text must be a number."""
    place = f"{where} row {line}, column {shown(column)}"
    if not cell:
        raise DataError(f"{place}: the target cell is empty; a number is required")
    try:
        value = float(cell)
    except ValueError:
        value = None
    if value is None or not math.isfinite(value) or "_" in cell:
        if comma_number(cell):
            words, number = comma_fix(cell)
            raise DataError(f"{place}: {shown(cell)} is not a finite number ({words}{f': {number}' if number else ''})")
        if value is not None and "_" not in cell:  # nan, inf
            raise DataError(f"{place}: {shown(cell)} is not a finite number")
        if saved is None or task != "regression":
            raise DataError(f"{place}: {shown(cell)} is not a number")
        # text where a regression model needs numbers: a classifier saved without its classes, often
        if saved.has_data:
            raise DataError(f"{place}: {shown(cell)} is not a number; {saved.path} is a regression model, so its "
                            "target must be numbers")
        n_out = saved.net.sizes[-1]
        classes = ("the class of an output of 0 and of 1" if n_out == 1 else
                   f"one for each of the {n_out} outputs, in their order")
        raise DataError(f"{place}: {shown(cell)} is not a number; {saved.path} is a regression model (saved from "
                        "Python without class_names), so its target must be numbers",
                        f"to save a classifier, give its classes: save_model(path, net, class_names=(…)) with "
                        f"{classes}")
    return value


def _label_key(text: str) -> str:
    """A label as the class names spell it: whole numbers without a decimal point ("3.0" ->
    "3"), other numbers in shortest form, text as it is."""
    try:
        value = float(text)
    except ValueError:
        return text
    if not math.isfinite(value) or "_" in text:
        return text
    return label_name(value)


def _targets(cells: list[list[str]], lines: list[int], schema: ModelSchema, where: str,
             saved: SavedModel | None = None) -> FloatArray:
    """Target cells (text, one list per row) -> Y (n, n_outputs) in the model's encoding
    (``saved``: the model, which messages name)."""
    names = schema.target_names
    if schema.task == "regression" or len(names) > 1:
        if len(names) != schema.n_outputs:  # load_model refuses such a file: the model's fault, not the data's
            model = saved.path if saved is not None else "the model"
            raise DataError(f"{model}: has {plural(schema.n_outputs, 'output')} but names "
                            f"{plural(len(names), 'target column')} ({', '.join(names)})")
        Y = np.array([[_number(c, where, lines[r], names[j], saved, schema.task) for j, c in enumerate(row)]
                      for r, row in enumerate(cells)], dtype=np.float64).reshape(len(cells), len(names))
        if schema.task == "classification":
            bad = ~np.all((Y == 0.0) | (Y == 1.0), axis=1) | (Y.sum(axis=1) != 1.0)
            if np.any(bad):
                r = int(np.argmax(bad))
                raise DataError(f"{where} row {lines[r]}: targets {Y[r].tolist()} are not one-hot "
                                "(one 1 and 0 elsewhere)")
        return Y
    classes = schema.class_names
    assert classes is not None
    index = {nfc(name): i for i, name in enumerate(classes)}  # "café" matched however it is composed
    codes = np.empty(len(cells), dtype=np.intp)
    for r, (label,) in enumerate(cells):
        label = nfc(label)
        code = index.get(label, index.get(_label_key(label)))
        if code is None:
            what = "the target cell is empty" if not label else f"{shown(label)} is not a class the model knows"
            # class names are matched exactly, as the model stored them: say which one differs in case
            alike = [c for c in classes if label and c.casefold() == label.casefold()]
            raise DataError(f"{where} row {lines[r]}, column {shown(names[0])}: {what} "
                            f"(classes: {', '.join(classes)})",
                            f"did you mean {shown(alike[0])}? class names are matched exactly, "
                            "letter case included" if alike else None)
        codes[r] = code
    if schema.n_outputs == 1:  # a single 0/1 output: class index 1 is y = 1
        return codes.reshape(-1, 1).astype(np.float64)
    return np.eye(len(classes))[codes]


@dataclass(frozen=True)
class EvaluationData:
    """What ``backprop evaluate`` evaluates on: the rows (inputs scaled as the model expects), their
    split (one of :data:`SPLITS`), each row's file line (a CSV file; else None), and how many of
    them the model was trained on (:func:`training_overlap`; None for a model saved from arrays)."""

    ds: Dataset
    split: str
    lines: list[int] | None
    seen: TrainingOverlap | None
    own: bool = False  # the rows are the model's own test split (a config drawing it as the model's did)
    raw: FloatArray | None = None  # the inputs as read, before the model's standardization (for messages)


def evaluation_rows(saved: SavedModel, schema: ModelSchema, data: Path | None,
                    stdin: BinaryIO | None = None) -> EvaluationData:
    """The data ``backprop evaluate`` uses: ``None`` -> :func:`stored_split`; a ``.yaml``/``.yml``
    config -> :func:`config_split`; a ``.csv`` (``.tsv``, ``.txt``) file, a pipe or a FIFO ->
    :func:`csv_dataset` (split ``"file"``); ``stdin``: the CSV rows of standard input (``--data -``).
    The rows are counted against the model's own training rows (:func:`training_overlap`)."""
    if data is None and stdin is None:
        ds, split, seen = _stored_rows(saved)
        return EvaluationData(_scaled(ds, saved.standardizer), split, None, seen, raw=ds.X)
    lines: list[int] | None = None
    copy: str | Path | None = None
    if stdin is not None:
        (ds, lines), split = csv_dataset(saved, schema, stdin, name="<stdin>", scale=False), "file"
    else:
        assert data is not None
        if data.is_dir():  # 'expected a YAML config or a CSV file' did not say what was wrong with it
            raise DataError(f"--data {data}: is a folder; give a YAML config (.yaml, .yml) or a CSV file (.csv) in it")
        suffix = data.suffix.lower()
        if suffix in (".yaml", ".yml"):
            ds, split, copy = _config_rows(saved, schema, data)
        elif suffix in CSV_SUFFIXES or _is_pipe(data):  # <(cut -d, -f1-5 data.csv) names /dev/fd/63
            (ds, lines), split = csv_dataset(saved, schema, data, scale=False), "file"
            copy = data if data.is_file() else None
        else:
            raise DataError(f"--data {data}: expected a YAML config (.yaml, .yml) or a CSV file "
                            f"({', '.join(CSV_SUFFIXES)}); a pipe or FIFO is read as CSV")
    seen = training_overlap(saved, ds.X, ds.Y, copy)
    own = False
    if split == "test" and suffix_of(data) in (".yaml", ".yml") and seen is not None and (seen.n_train or seen.n_validation):
        # a run's own config.yaml draws the model's own test split: rows its file holds twice, once in each
        # split, are then said as such, not as "these figures are not held-out; evaluate … alone"
        try:
            stored, stored_split, _ = _stored_rows(saved)
            own = stored_split == "test" and np.array_equal(stored.X, ds.X) and np.array_equal(stored.Y, ds.Y)
        except (ValueError, OSError):  # (DataError and ConfigError are ValueErrors) the message above, then
            own = False
    with np.errstate(all="ignore"):  # an overflow is refused by evaluate(), naming the row
        return EvaluationData(_scaled(ds, saved.standardizer), split, lines, seen, own, raw=ds.X)


def suffix_of(path: Path | None) -> str:
    """``path``'s suffix in lower case ('' for None: standard input)."""
    return "" if path is None else path.suffix.lower()


def _is_pipe(path: Path) -> bool:
    """A FIFO, or a process substitution's /dev/fd/N: it has no name to tell CSV from YAML by,
    and a config in one could not name its data relative to itself, so it holds CSV."""
    try:
        return stat.S_ISFIFO(os.stat(path).st_mode)
    except (OSError, ValueError):
        return False
