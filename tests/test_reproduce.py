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
    constant = train.max(axis=0) == train.min(axis=0)  # scale 1, and its value as mean
    mean, scale = np.where(constant, train[0], mean), np.where(constant, 1.0, scale)
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


def moons_or_spirals(rng, n, noise, arms):
    """Two moons (arms None) or spirals of ``arms`` arms, noise drawn even at 0, then permuted."""
    sizes = [n // (arms or 2) + (k < n % (arms or 2)) for k in range(arms or 2)]
    parts = []
    if arms is None:
        t0, t1 = (np.linspace(0, np.pi, m) for m in sizes)
        X = np.vstack([np.c_[np.cos(t0), np.sin(t0)], np.c_[1 - np.cos(t1), 0.5 - np.sin(t1)]])
        X = X + noise * rng.standard_normal((n, 2))
    else:
        for k, m in enumerate(sizes):
            r = np.linspace(0, 1, m)
            t = np.linspace(0, 4, m) + 2 * np.pi * k / arms + noise * rng.standard_normal(m)
            parts.append(np.c_[r * np.sin(t), r * np.cos(t)])
        X = np.vstack(parts)
    labels = np.repeat(np.arange(len(sizes)), sizes)
    order = rng.permutation(n)
    return X[order], labels[order]


@pytest.mark.parametrize("dataset, arms", [("moons", None), ("spirals", 3)])
def test_moons_and_spirals_draw_their_noise_at_zero_too(dataset, arms):
    seed, n = 7, 11
    raw = {"seed": seed, "data.dataset": dataset, "data.n_samples": n, "data.noise": 0.0,
           "data.test_fraction": 0.3, "network.layers": [2, 3, arms or 1]}
    if arms:
        raw["data.classes"] = arms
    cfg = load_config(ROOT / "configs" / "circles.yaml", raw)
    X, labels = moons_or_spirals(stream(seed, "data"), n, 0.0, arms)
    train, test = split(labels, n, 0.3, stream(seed, "split"))
    Y = np.eye(arms)[labels] if arms else labels[:, None].astype(float)
    exp = prepare(cfg)
    assert np.array_equal(exp.train.X, X[train]) and np.array_equal(exp.train.Y, Y[train])
    assert np.array_equal(exp.test.X, X[test]) and np.array_equal(exp.test.Y, Y[test])
    assert exp.train.class_names == tuple(str(k) for k in range(arms or 2))


def test_a_csv_of_uneven_classes_as_documented(tmp_path):
    # ';' detected; spaces around cells and blank lines dropped; numeric labels by value, whole ones
    # named as integers (007, +7, 7.0 are one class '7'); classes of 1, 2, 3 and 39 rows; test
    # 0.7·45 = 31.499999999999996 in float64 -> 31 rows (not 31.5 -> 32), the 1-row class among
    # them (one extra row each: the 39-row class takes one, the largest remainder the other);
    # validation: the same rule on the training split's positions; column c is constant in the
    # training split only (scale 1, its value as mean)
    rng = np.random.default_rng(1)
    labels = np.repeat([0, 1, 2, 3], [1, 2, 3, 39])
    rng.shuffle(labels)
    split_rng = stream(2, "split")
    train, test = split(labels, 45, 0.7, split_rng)
    assert len(test) == 31 and 0 not in labels[train]
    kept, val = split(labels[train], 14, 0.25, split_rng)
    val, train = train[val], train[kept]
    X = np.c_[rng.normal(3, 2, 45), np.round(rng.normal(0, 5, 45)), rng.normal(0, 1, 45)]
    X[train, 2] = 0.1
    spelled = [["-1"], ["2", "2.0"], ["7", "007", "+7", "7.0"], ["10", "1e1", "10.0"]]
    lines = ["a ; b ;c;label"]
    for i, c in enumerate(labels):
        lines.append(" " + ";".join(repr(float(v)) for v in X[i]) + f" ; {spelled[c][i % len(spelled[c])]}")
        if i % 10 == 0:
            lines.append("")
    (tmp_path / "d.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    cfg = load_config(ROOT / "configs" / "iris.yaml", {
        "seed": 2, "data.path": str(tmp_path / "d.csv"), "data.target": "label", "data.test_fraction": 0.7,
        "data.validation_fraction": 0.25, "data.standardize": True, "network.layers": [3, 8, 4]})
    Y = np.eye(4)[labels]
    Xtr, Xte, Xva = standardize(X[train], X[test], X[val])
    exp = prepare(cfg)
    assert exp.train.class_names == ("-1", "2", "7", "10")
    assert exp.standardizer.mean[2] == 0.1 and exp.standardizer.scale[2] == 1.0
    assert np.array_equal(exp.train.X, Xtr) and np.array_equal(exp.train.Y, Y[train])
    assert np.array_equal(exp.val.X, Xva) and np.array_equal(exp.val.Y, Y[val])
    assert np.array_equal(exp.test.X, Xte) and np.array_equal(exp.test.Y, Y[test])
