"""The README's "Reproducing a run elsewhere" rules, written again in plain numpy from the README
alone, give the data, splits, standardization, initial weights and shuffled orders that
``backprop train`` uses (``experiment.prepare`` and the trainer's shuffle stream)."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest

from backprop_cli.config import load_config
from backprop_cli.experiment import prepare

ROOT = Path(__file__).resolve().parents[1]
STREAMS = ("data", "split", "init", "shuffle")


def stream(seed, name):
    return np.random.default_rng(np.random.SeedSequence(seed).spawn(4)[STREAMS.index(name)])


def circles(rng, n, noise):
    n0, n1 = (n + 1) // 2, n // 2
    t0 = np.linspace(0, 2 * np.pi, n0, endpoint=False)
    t1 = np.linspace(0, 2 * np.pi, n1, endpoint=False)
    X = np.vstack([np.c_[np.cos(t0), np.sin(t0)], 0.5 * np.c_[np.cos(t1), np.sin(t1)]])
    X = X + noise * rng.standard_normal(X.shape)
    labels = np.repeat([0, 1], [n0, n1])
    order = rng.permutation(n)
    return X[order], labels[order]


def sine(rng, n, noise):
    x = rng.uniform(-np.pi, np.pi, size=(n, 1))
    return x, np.sin(x) + noise * rng.standard_normal(x.shape)


def split(labels, n, f, rng):
    """(train rows, test rows); labels None for regression."""
    n_test = min(max(round(f * n), 1), n - 1)
    if labels is None:
        test = rng.permutation(n)[:n_test]
    else:
        classes, counts = np.unique(labels, return_counts=True)
        take = [n_test * c // n for c in counts]  # ⌊n_test·n_c/n⌋
        remainder = [n_test * c / n - t for c, t in zip(counts, take)]
        has_room = [t + 1 < c for t, c in zip(take, counts)]
        ranked = sorted(range(len(classes)), key=lambda c: (not has_room[c], -remainder[c], c))
        for c in ranked[:n_test - sum(take)]:
            take[c] += 1
        test = np.concatenate([rng.permutation(np.flatnonzero(labels == c))[:t] for c, t in zip(classes, take)])
    in_test = np.isin(np.arange(n), test)
    return rng.permutation(np.flatnonzero(~in_test)), rng.permutation(np.flatnonzero(in_test))


def glorot_or_he(rng, sizes, activations):
    W, B = [], []
    for l in range(1, len(sizes)):
        fan_in, fan_out = sizes[l - 1], sizes[l]
        if activations[l - 1] == "relu":
            W.append(rng.normal(0, np.sqrt(2 / fan_in), (fan_out, fan_in)))
            B.append(np.full(fan_out, 0.01))
        else:
            r = np.sqrt(6 / (fan_in + fan_out))
            W.append(rng.uniform(-r, r, (fan_out, fan_in)))
            B.append(np.zeros(fan_out))
    return W, B


def standardize(train, *others):
    mean, scale = train.mean(axis=0), train.std(axis=0)
    scale = np.where(train.max(axis=0) == train.min(axis=0), 1.0, scale)
    return [(x - mean) / scale for x in (train, *others)]


def assert_same(exp, Xtr, Ytr, Xte, Yte, W, B, seed, epochs_to_check=2):
    assert np.array_equal(exp.train.X, Xtr) and np.array_equal(exp.train.Y, Ytr)
    assert np.array_equal(exp.test.X, Xte) and np.array_equal(exp.test.Y, Yte)
    for a, b in zip(exp.net.weights + exp.net.biases, W + B):
        assert np.array_equal(a, b)
    mine = stream(seed, "shuffle")
    for _ in range(epochs_to_check):  # each epoch's order: permutation(n_train)
        assert np.array_equal(exp.streams.shuffle.permutation(len(Xtr)), mine.permutation(len(Xtr)))


def test_circles_as_documented():
    seed, n = 5, 45  # odd n: 23 outer, 22 inner; test 0.25·45 = 11.25 -> 11, stratified 6 + 5
    cfg = load_config(ROOT / "configs" / "circles.yaml", {
        "seed": seed, "data.n_samples": n, "data.test_fraction": 0.25, "data.standardize": True,
        "network.layers": [2, 4, 3, 1], "network.activation": ["relu", "tanh"]})
    X, labels = circles(stream(seed, "data"), n, 0.1)
    train, test = split(labels, n, 0.25, stream(seed, "split"))
    Xtr, Xte = standardize(X[train], X[test])
    W, B = glorot_or_he(stream(seed, "init"), [2, 4, 3, 1], ["relu", "tanh", "sigmoid"])
    Y = labels[:, None].astype(float)
    assert_same(prepare(cfg), Xtr, Y[train], Xte, Y[test], W, B, seed)


def test_sine_as_documented_rounding_half_to_even():
    seed, n = 3, 10  # test 0.25·10 = 2.5 -> 2 (half to even)
    cfg = load_config(ROOT / "configs" / "sine.yaml", {"seed": seed, "data.n_samples": n,
                                                        "data.test_fraction": 0.25})
    X, Y = sine(stream(seed, "data"), n, 0.1)
    train, test = split(None, n, 0.25, stream(seed, "split"))
    assert len(test) == 2
    W, B = glorot_or_he(stream(seed, "init"), [1, 16, 1], ["tanh", "linear"])
    assert_same(prepare(cfg), X[train], Y[train], X[test], Y[test], W, B, seed)


@pytest.mark.parametrize("seed", [0, 4])
def test_iris_csv_with_a_validation_split_as_documented(seed):
    with open(ROOT / "data" / "iris.csv", newline="") as f:
        rows = list(csv.reader(f))[1:]
    X = np.array([[float(v) for v in r[:4]] for r in rows])
    names = sorted({r[4] for r in rows})  # text classes by code point
    labels = np.array([names.index(r[4]) for r in rows])
    Y = np.eye(3)[labels]
    cfg = load_config(ROOT / "configs" / "iris.yaml", {"seed": seed, "data.validation_fraction": 0.3})
    rng = stream(seed, "split")
    train, test = split(labels, 150, 0.2, rng)
    kept, val = split(labels[train], 120, 0.3, rng)  # the same rule on the training split, same stream
    val, train = train[val], train[kept]
    Xtr, Xte, Xva = standardize(X[train], X[test], X[val])  # without the validation rows
    W, B = glorot_or_he(stream(seed, "init"), [4, 8, 3], ["tanh", "softmax"])
    exp = prepare(cfg)
    assert np.array_equal(exp.val.X, Xva) and np.array_equal(exp.val.Y, Y[val])
    assert_same(exp, Xtr, Y[train], Xte, Y[test], W, B, seed)
