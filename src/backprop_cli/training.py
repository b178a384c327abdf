"""The training loop: mini-batch gradient descent, W ← W − η ∂C/∂W (the seeds' update).

The trainer computes and reports through a callback; it never prints. Each epoch
yields an ``EpochStats``; the final figures are recomputed on the final weights.

``train_cost`` of an epoch is the mean of the mini-batch costs measured during the
epoch, each before its own step (free: it comes out of the forward pass the step
needs anyway). The summary's final train cost is exact, on the final weights.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .data import Dataset, accuracy, minibatches
from .errors import DivergedError
from .network import Network


@dataclass(frozen=True)
class EpochStats:
    """Figures of one finished epoch (1-based ``epoch``)."""

    epoch: int
    train_cost: float
    train_accuracy: float | None
    test_cost: float | None
    test_accuracy: float | None
    seconds: float  # wall time since training started


@dataclass(frozen=True)
class TrainResult:
    """The history and the final figures, computed on the final weights."""

    history: tuple[EpochStats, ...]
    train_cost: float
    train_accuracy: float | None
    test_cost: float | None
    test_accuracy: float | None
    epochs: int
    seconds: float


def evaluate(net: Network, ds: Dataset) -> tuple[float, float | None]:
    """(mean cost, accuracy or None for regression) of ``net`` on a whole data set."""
    cache = net.forward(ds.X)
    cost = float(np.mean(net.example_costs(cache, ds.Y)))
    acc = accuracy(ds.Y, cache.output) if ds.task == "classification" else None
    return cost, acc


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
    """Train ``net`` in place with mini-batch SGD and return the history.

    ``batch_size`` None means the whole training set in one batch. ``rng`` drives
    the shuffling only (so the same seed gives bit-identical weights).
    Raises ``DivergedError`` when a cost or a weight becomes NaN or infinite.
    """
    n = train_set.n_samples
    bs = n if batch_size is None else min(batch_size, n)
    classify = train_set.task == "classification"
    X = train_set.X.astype(net.dtype, copy=False)
    Y = train_set.Y.astype(net.dtype, copy=False)
    history: list[EpochStats] = []
    start = time.perf_counter()
    for epoch in range(1, epochs + 1):
        total_cost = 0.0
        correct = 0.0
        for idx in minibatches(n, bs, rng if shuffle else None):
            xb, yb = X[idx], Y[idx]
            cache = net.forward(xb)
            batch_cost = float(np.sum(net.example_costs(cache, yb)))
            if not np.isfinite(batch_cost):
                raise _diverged(net, epoch, learning_rate)
            total_cost += batch_cost
            if classify:
                correct += accuracy(yb, cache.output) * len(idx)
            grads = net.backward(cache, yb)
            for w, b, dw, db in zip(net.weights, net.biases, grads.dw, grads.db):
                w -= learning_rate * dw  # w ← w − η ∂C/∂w
                b -= learning_rate * db  # b ← b − η ∂C/∂b
        test_cost = test_acc = None
        if test_set is not None:
            test_cost, test_acc = evaluate(net, test_set)
        stats = EpochStats(
            epoch=epoch,
            train_cost=total_cost / n,
            train_accuracy=correct / n if classify else None,
            test_cost=test_cost,
            test_accuracy=test_acc,
            seconds=time.perf_counter() - start,
        )
        history.append(stats)
        if callback is not None:
            callback(stats)
    train_cost, train_acc = evaluate(net, train_set)
    if not np.isfinite(train_cost):
        raise _diverged(net, epochs, learning_rate)
    test_cost = test_acc = None
    if test_set is not None:
        test_cost, test_acc = evaluate(net, test_set)
    return TrainResult(
        history=tuple(history),
        train_cost=train_cost,
        train_accuracy=train_acc,
        test_cost=test_cost,
        test_accuracy=test_acc,
        epochs=epochs,
        seconds=time.perf_counter() - start,
    )


def _diverged(net: Network, epoch: int, learning_rate: float) -> DivergedError:
    bad = [l for l, (w, b) in enumerate(zip(net.weights, net.biases), 1)
           if not (np.isfinite(w).all() and np.isfinite(b).all())]
    where = f"; the weights of layer {bad[0]} are no longer finite" if bad else ""
    return DivergedError(
        f"training diverged at epoch {epoch}: the cost became NaN or infinite{where}",
        hint=f"try a smaller learning rate than {learning_rate:g} (e.g. --lr {learning_rate / 10:g})",
        epoch=epoch,
    )
