"""``gradcheck --layer L`` / ``check_gradients(layers=...)``: one layer's w^(l) and b^(l) only.

Only the chosen tensors are perturbed and judged; the analytic gradient is still one backward
pass. The verdict, counts, global ratio and diagnoses cover the checked tensors alone, and the
output says so (a projected PASS must not read as the whole network's)."""

from __future__ import annotations

import json

import numpy as np
import pytest
from typer.testing import CliRunner

from backprop_cli import Network, check_gradients
from backprop_cli import gradcheck as gc
from backprop_cli.cli import app
from backprop_cli.errors import ConfigError
from backprop_cli.gradcheck import convergence_sweep

runner = CliRunner()


def invoke(*args):
    return runner.invoke(app, [str(a) for a in args])


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def backward(prime_at_1: bool = True, prime_of_a: bool = False):
    """An independent sigmoid / squared_error backprop; ``prime_at_1=False`` plants a bug in layer
    1 alone (σ'(z^(1)) left out of δ^(1)), ``prime_of_a`` one in every layer (σ'(z) as σ(a)(1 − σ(a)))."""

    def fn(weights, biases, X, Y, config):
        a = [X]
        for w, b in zip(weights, biases):
            a.append(sigmoid(a[-1] @ w.T + b))
        L, n = len(weights), len(X)

        def prime(l):
            return sigmoid(a[l]) * (1 - sigmoid(a[l])) if prime_of_a else a[l] * (1 - a[l])

        delta = 2 * (a[L] - Y) * prime(L) / n
        dw, db = [None] * L, [None] * L
        for l in range(L, 0, -1):
            dw[l - 1], db[l - 1] = delta.T @ a[l - 1], delta.sum(axis=0)
            if l > 1:
                delta = delta @ weights[l - 1]
                delta = delta * prime(l - 1) if (prime_at_1 or l - 1 != 1) else delta
        return dw, db

    return fn


@pytest.fixture
def net3():
    """3-4-5-2 sigmoid / squared_error, three layers of different shapes."""
    rng = np.random.default_rng(3)
    net = Network([3, 4, 5, 2], activation="sigmoid", cost="squared_error", init="normal", seed=3)
    return net, rng.normal(size=(4, 3)), rng.uniform(size=(4, 2))


def _layers_perturbed(monkeypatch) -> list[int]:
    seen: list[int] = []
    for name in ("_entry_evaluator", "_direction_evaluator"):
        real = getattr(gc, name)

        def spy(base, l, kind, *args, _real=real):
            seen.append(l)
            return _real(base, l, kind, *args)

        monkeypatch.setattr(gc, name, spy)
    return seen


@pytest.mark.parametrize("mode", ["full", "sample", "fast"])
def test_only_the_chosen_layer_is_perturbed_and_judged(net3, monkeypatch, mode):
    net, X, Y = net3
    seen = _layers_perturbed(monkeypatch)
    for layer, l in ((1, 1), ("L-1", 2), ("L", 3)):
        seen.clear()
        calls: list[tuple[int, int]] = []
        report = check_gradients(net, X, Y, mode=mode, params=3, rng=0, layers=layer,
                                 progress=lambda d, t: calls.append((d, t)))
        assert set(seen) == {l}, (layer, seen)
        assert [t.label for t in report.tensors] == [f"w^({l})", f"b^({l})"]
        assert report.layers == (l,) and report.n_layers == 3 and report.restricted
        assert report.status == "pass" and report.n_checked == sum(t.n_checked for t in report.tensors)
        if mode != "fast":  # two evaluations per entry of layer l, none of the others', and no more expected
            assert calls[-1] == (2 * report.n_checked, 2 * report.n_checked)
        if mode == "full":
            assert report.n_checked == net.weights[l - 1].size + net.biases[l - 1].size
    whole = check_gradients(net, X, Y, mode=mode, params=3, rng=0)
    assert whole.layers == (1, 2, 3) and not whole.restricted
    both = check_gradients(net, X, Y, mode=mode, params=3, rng=0, layers=[3, "1", 1])
    assert both.layers == (1, 3) and [t.layer for t in both.tensors] == [1, 1, 3, 3]


def test_layer_1_of_784_32_10_perturbs_only_its_25120_entries():
    """The big-network use: layer 2 of 784-32-10 costs 660 evaluations, not 50,900."""
    net = Network([784, 32, 10], activation="sigmoid", cost="squared_error", seed=0)
    rng = np.random.default_rng(0)
    X, Y = rng.normal(size=(2, 784)), rng.uniform(size=(2, 10))
    for layer, entries in ((1, 784 * 32 + 32), (2, 32 * 10 + 10)):
        calls: list[tuple[int, int]] = []
        report = check_gradients(net, X, Y, layers=layer, progress=lambda d, t: calls.append((d, t)))
        assert report.passed and report.n_checked == entries
        assert calls[-1] == (2 * entries, 2 * entries)


@pytest.mark.parametrize("mode", ["full", "sample", "fast"])
def test_a_bug_in_layer_1_is_found_by_layer_1_and_not_reported_by_layer_2(net3, mode):
    net, X, Y = net3
    bug = backward(prime_at_1=False)
    whole = check_gradients(net, X, Y, gradients=bug, mode=mode, rng=0)
    assert {t.label for t in whole.failing} == {"w^(1)", "b^(1)"}
    one = check_gradients(net, X, Y, gradients=bug, mode=mode, rng=0, layers=1)
    assert one.status == "fail" and {t.label for t in one.failing} == {"w^(1)", "b^(1)"}
    for layer in (2, "L"):  # the layers above it are right, and their check says only that
        other = check_gradients(net, X, Y, gradients=bug, mode=mode, rng=0, layers=layer)
        assert other.status == "pass" and other.n_failed == 0 and other.band in ("excellent", "good")
        assert all(t.layer == other.layers[0] for t in other.tensors)
    assert check_gradients(net, X, Y, gradients=backward(), mode=mode, rng=0, layers=1).passed


@pytest.mark.parametrize("mode", ["sample", "fast"])
def test_a_restricted_check_draws_the_entries_and_directions_of_a_whole_one(net3, mode):
    """--seed picks the same entries (sample) and directions v (fast) of layer 2 with or without
    --layer 2: the restricted rows are the whole check's rows."""
    net, X, Y = net3
    whole = check_gradients(net, X, Y, mode=mode, params=4, rng=5)
    one = check_gradients(net, X, Y, mode=mode, params=4, rng=5, layers=2)
    assert one.tensors == tuple(t for t in whole.tensors if t.layer == 2)


def test_global_ratio_and_counts_cover_the_checked_layer_only(net3):
    net, X, Y = net3
    bug = backward(prime_at_1=False)
    whole = check_gradients(net, X, Y, gradients=bug)
    top = check_gradients(net, X, Y, gradients=bug, layers=[2, 3])
    assert whole.global_ratio > 1e-2 and top.global_ratio < 1e-7
    assert top.n_checked == sum(net.weights[l].size + net.biases[l].size for l in (1, 2))


def test_a_mistake_at_every_layer_seen_in_one_does_not_speak_for_the_others(net3):
    """σ'(z) computed as σ(a)(1 − σ(a)) is a mistake "in every sigmoid layer's δ": checked on
    layer 1 alone, the diagnosis says it was seen there only."""
    net, X, Y = net3
    bug = backward(prime_of_a=True)
    one = check_gradients(net, X, Y, gradients=bug, layers=1)
    lines = [line for t in one.failing for line in t.diagnosis]
    assert lines and all("in every sigmoid layer's δ" in line for line in lines)
    assert all(line.endswith("— seen in layer 1 only: the other layers were not checked") for line in lines)
    two = check_gradients(net, X, Y, gradients=bug, layers=[1, 2])
    assert any("seen in layers 1 and 2 only" in line for t in two.failing for line in t.diagnosis)
    whole = check_gradients(net, X, Y, gradients=bug)
    assert not any("seen in" in line for t in whole.failing for line in t.diagnosis)
    # a mistake at one layer names that layer already: nothing to add
    assert not any("seen in" in line for t in check_gradients(net, X, Y, gradients=backward(prime_at_1=False),
                                                                 layers=1).failing for line in t.diagnosis)


def test_a_ratio_read_as_one_slip_for_every_layer_says_the_unchecked_layers_tell_it_apart(net3):
    """`--layer 1` on a sign flipped in layer 1 alone said 'e.g. y − a written for a − y', which would fail layer 2
    too, with nothing of the layers not checked: unlike a classic mistake's diagnosis, it did not say that those
    layers tell it from a slip in layer 1's own formulas. It says so; once they are checked it needs no such line."""
    net, X, Y = net3

    def flipped(weights, biases, X_, Y_, config):
        dw, db = net.gradients(X_, Y_)
        return [-dw[0], *dw[1:]], [-db[0], *db[1:]]

    one = check_gradients(net, X, Y, gradients=flipped, layers=1)
    for t in one.failing:
        assert t.diagnosis[0].startswith("sign flip:") and "y − a written for a − y" in t.diagnosis[0], t.diagnosis
        assert t.diagnosis[1].endswith("w^(2), b^(2), w^(3) and b^(3), not checked, tell them apart: check layers 2 "
                                       "and 3 too"), t.diagnosis
        assert "would fail layers 2 and 3 too; one in layer 1's own formulas" in t.diagnosis[1], t.diagnosis
    two = check_gradients(net, X, Y, gradients=flipped, layers=[1, 2])
    for t in two.failing:
        assert len(t.diagnosis) == 1 and "in layer 1's own formulas" in t.diagnosis[0], t.diagnosis
    assert not any("not checked" in line for t in two.failing for line in t.diagnosis)


def test_convergence_sweep_of_one_layer(net3):
    net, X, Y = net3
    bug = backward(prime_at_1=False)
    one = convergence_sweep(net, X, Y, gradients=bug, layers=1)
    assert one.status == "fail" and one.layers == (1,) and one.n_layers == 3 and one.restricted
    top = convergence_sweep(net, X, Y, gradients=bug, layers="L")
    assert top.status == "pass" and top.layers == (3,)
    whole = convergence_sweep(net, X, Y, gradients=bug)
    assert whole.layers == (1, 2, 3) and not whole.restricted


@pytest.mark.parametrize("bad", [0, 4, "L+1", "L-3", "x", 2.5, True, []])
def test_a_layer_that_is_not_one_is_refused_in_explains_words(net3, bad):
    net, X, Y = net3
    with pytest.raises(ConfigError, match=r"^layers: "):  # the Python argument's name; the CLI says --layer
        check_gradients(net, X, Y, layers=bad)
    with pytest.raises(ConfigError, match=r"^layers: "):
        convergence_sweep(net, X, Y, layers=bad)


def test_a_numpy_scalar_layer_is_one_layer_and_bytes_are_one_name(net3):
    """layers=np.array(2) (a 0-d array, as indexing an array of layers gives) raised numpy's
    TypeError 'iteration over a 0-d array'; b"L" was read as the list [76] ('76 is not a layer')."""
    net, X, Y = net3
    assert check_gradients(net, X, Y, layers=np.array(2), mode="fast").layers == (2,)
    assert convergence_sweep(net, X, Y, layers=np.array(2)).layers == (2,)
    with pytest.raises(ConfigError, match=r"^layers: b'L' is not a layer of this network"):
        check_gradients(net, X, Y, layers=b"L")


# --- the command -------------------------------------------------------------------------------


def test_cli_layer_json_lists_the_checked_layers_and_only_their_tensors():
    r = invoke("gradcheck", "--layer", "2", "--json")
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert data["layers"] == [2] and data["n_layers"] == 2
    assert [t["name"] for t in data["tensors"]] == ["w^(2)", "b^(2)"] and data["n_checked"] == 4
    data = json.loads(invoke("gradcheck", "--json").stdout)
    assert data["layers"] == [1, 2] and data["n_layers"] == 2 and len(data["tensors"]) == 4
    data = json.loads(invoke("gradcheck", "-l", "L-1", "--json", "--convergence").stdout)
    assert data["report"] == "convergence" and data["layers"] == [1] and data["n_layers"] == 2


def test_cli_layer_says_which_layer_in_the_header_and_the_verdict_panel():
    r = invoke("gradcheck", "--layer", "L")
    assert r.exit_code == 0, r.output
    only = "layer 2 (L) only: w^(2), b^(2); layer 1 (L-1) not checked"
    header = r.output.splitlines()[0]
    assert header.startswith("checking backprop on 2-3-1") and header.endswith(f"; {only}")
    assert "gradcheck: PASS (layer 2 only)" in r.output
    assert r.output.count(only) == 2  # the header, and the panel's first line
    assert "w^(2)[" in r.output and "w^(1)" not in r.output.replace(only, "")
    # every layer named is every layer: the whole check's output, with nothing said of layers
    every = invoke("gradcheck", "--layer", "1", "--layer", "L")
    assert every.exit_code == 0 and every.output == invoke("gradcheck").output


@pytest.mark.parametrize("extra", [["--mode", "fast"], ["--mode", "sample", "--params", "2"], ["--fixed-eps"],
                                   ["--convergence"], ["--convergence", "--mode", "sample"]])
def test_cli_layer_in_every_mode(extra):
    r = invoke("gradcheck", "--layer", "1", *extra)
    assert r.exit_code == 0, r.output
    assert "(layer 1 only)" in r.output and "layer 1 (L-1) only: w^(1), b^(1); layer 2 (L) not checked" in r.output
    data = json.loads(invoke("gradcheck", "--layer", "1", *extra, "--json").stdout)
    assert data["layers"] == [1]
    if "--convergence" not in extra:
        assert {t["layer"] for t in data["tensors"]} == {1}


def test_cli_layer_with_a_planted_bug_in_layer_1(tmp_path):
    f = tmp_path / "mine.py"
    f.write_text("""
import numpy as np


def sig(z):
    return 1 / (1 + np.exp(-z))


def backward(weights, biases, X, Y, config):
    a = [X]
    for w, b in zip(weights, biases):
        a.append(sig(a[-1] @ w.T + b))
    delta = 2 * (a[2] - Y) * a[2] * (1 - a[2]) / len(X)
    dw2, db2 = delta.T @ a[1], delta.sum(axis=0)
    delta = delta @ weights[1]  # σ'(z^(1)) left out: layer 1's bug
    return [delta.T @ a[0], dw2], [delta.sum(axis=0), db2]
""")
    spec = f"{f}:backward"
    r = invoke("gradcheck", "--backward", spec, "--layer", "1")
    assert r.exit_code == 1, r.output
    assert "gradcheck: FAIL (layer 1 only)" in r.output and "σ'(z^(1)) left out of δ^(1)" in r.output
    for mode in ("full", "fast", "sample"):
        r = invoke("gradcheck", "--backward", spec, "--layer", "2", "--mode", mode)
        assert r.exit_code == 0 and "gradcheck: PASS (layer 2 only)" in r.output, r.output
    assert invoke("gradcheck", "--backward", spec, "--layer", "2", "--convergence").exit_code == 0
    assert invoke("gradcheck", "--backward", spec, "--layer", "1", "--convergence").exit_code == 1


@pytest.mark.parametrize("bad", ["0", "3", "x", "L+1", "L-2"])
def test_cli_a_bad_layer_is_one_line_exit_2(bad):
    r = invoke("gradcheck", "--layer", bad)
    assert r.exit_code == 2 and r.stdout == "" and "Traceback" not in r.output
    assert r.stderr == (f"error: --layer: {bad} is not a layer of this network (L = 2: layer 0 is the input, "
                        "layer 2 the output); use one of: L or L-1, or a number from 1 to 2\n")
    # the same words as explain's
    assert invoke("explain", "--layer", bad).stderr == r.stderr


def test_cli_help_documents_layer():
    r = invoke("gradcheck", "--help")
    assert r.exit_code == 0 and "--layer" in r.output and "every layer" in r.output


def test_cli_layer_with_a_trained_model(tmp_path):
    run = tmp_path / "run"
    assert invoke("train", "--epochs", "5", "--out", run, "--quiet").exit_code == 0
    r = invoke("gradcheck", "--model", run, "--layer", "L", "--json")
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert data["layers"] == [2] and [t["name"] for t in data["tensors"]] == ["w^(2)", "b^(2)"]
    r = invoke("gradcheck", "--model", run, "--layer", "L+1")
    assert r.exit_code == 2 and r.stderr.startswith("error: --layer: L+1 is not a layer of this network"), r.stderr
