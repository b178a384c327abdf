"""The shipped ``configs/hand_worked.yaml``: the classic 2-2-2 example (Matt Mazur, "A Step by
Step Backpropagation Example") from its given weights (``network.weights``, ``network.biases``).

Its numbers are worked out here by hand, with ``math`` only, straight from
z = Σ_k w_jk a_k + b_j, a = σ(z), C = ½ Σ_j (a_j − y_j)², and held against what ``explain``,
``Network.gradients``, ``gradcheck`` and one step of ``train`` give; the run's files keep the
given weights through ``--resume``, ``predict``, ``evaluate`` and ``explain --model``.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from backprop_cli import Network
from backprop_cli.cli import app
from backprop_cli.config import load_config
from backprop_cli.experiment import prepare
from backprop_cli.model_io import load_model

ROOT = Path(__file__).resolve().parents[1]
HAND = ROOT / "configs" / "hand_worked.yaml"
runner = CliRunner()


def invoke(*args):
    return runner.invoke(app, [str(a) for a in args])


# --- the classic example, by hand -----------------------------------------------------------

X, Y = (0.05, 0.10), (0.01, 0.99)
W1, B1 = ((0.15, 0.20), (0.25, 0.30)), (0.35, 0.35)
W2, B2 = ((0.40, 0.45), (0.50, 0.55)), (0.60, 0.60)
ETA = 0.5


def sigmoid(z: float) -> float:
    return 1 / (1 + math.exp(-z))


def by_hand():
    """Forward pass, cost and every gradient of the example, one scalar at a time."""
    h = [sigmoid(W1[j][0] * X[0] + W1[j][1] * X[1] + B1[j]) for j in range(2)]
    o = [sigmoid(W2[j][0] * h[0] + W2[j][1] * h[1] + B2[j]) for j in range(2)]
    cost = 0.5 * ((o[0] - Y[0]) ** 2 + (o[1] - Y[1]) ** 2)
    # ∂C/∂z_j^(2) = (a_j − y_j) · σ'(z_j), σ' = a(1 − a)
    d2 = [(o[j] - Y[j]) * o[j] * (1 - o[j]) for j in range(2)]
    dw2 = [[d2[j] * h[k] for k in range(2)] for j in range(2)]
    # ∂C/∂z_k^(1) = Σ_j w_jk^(2) ∂C/∂z_j^(2) · σ'(z_k^(1))
    d1 = [(W2[0][k] * d2[0] + W2[1][k] * d2[1]) * h[k] * (1 - h[k]) for k in range(2)]
    dw1 = [[d1[j] * X[k] for k in range(2)] for j in range(2)]
    return cost, dw1, d1, dw2, d2


def test_the_hand_calculation_gives_the_classic_numbers():
    """The write-up's figures, so the tests below hold the tool to the right values."""
    cost, dw1, _, dw2, _ = by_hand()
    assert cost == pytest.approx(0.298371109, abs=1e-9)
    assert dw2[0][0] == pytest.approx(0.082167041, abs=1e-9)  # ∂C/∂w5
    assert dw1[0][0] == pytest.approx(0.000438568, abs=1e-9)  # ∂C/∂w1
    assert W2[0][0] - ETA * dw2[0][0] == pytest.approx(0.35891648, abs=1e-8)  # w5 after one step


def test_the_shipped_config_holds_the_example():
    cfg = load_config(HAND)
    assert cfg.network.weights == (W1, W2) and cfg.network.biases == (B1, B2)
    assert cfg.network.layers == (2, 2, 2) and cfg.cost == "half_squared_error"
    assert cfg.training.learning_rate == ETA and cfg.training.batch_size is None
    exp = prepare(cfg)
    assert exp.train.X.tolist() == [list(X)] and exp.train.Y.tolist() == [list(Y)] and exp.test is None


def _explain(*args) -> dict:
    r = invoke("explain", HAND, "--format", "json", *args)
    assert r.exit_code == 0, r.output
    return json.loads(r.stdout)


def _product(report: dict, j: int, k: int) -> float:
    (found,) = [p for p in report["weight_products"] if p["index"] == [j, k]]
    assert found["check"]["status"] == "pass"
    return found["value"]


def test_explain_gives_the_hand_calculation():
    cost, dw1, d1, dw2, d2 = by_hand()
    out = _explain("--layer", "L")
    assert out["cost_value"] == pytest.approx(cost, rel=1e-12)
    assert out["forward"][0]["w"] == list(W2[0]) and out["forward"][0]["b"] == B2[0]
    for j in range(2):
        for k in range(2):
            assert _product(out, j, k) == pytest.approx(dw2[j][k], rel=1e-12)
    hidden = _explain("--layer", "1", "--weight", "0,0")
    assert _product(hidden, 0, 0) == pytest.approx(dw1[0][0], rel=1e-12)
    assert _product(hidden, 0, 0) == pytest.approx(0.000438568, abs=1e-9)
    assert [n["delta"] for n in _explain("--layer", "1")["neurons"]] == pytest.approx(d1, rel=1e-12)
    assert [n["delta"] for n in out["neurons"]] == pytest.approx(d2, rel=1e-12)


def test_network_gradients_give_the_hand_calculation():
    cost, dw1, d1, dw2, d2 = by_hand()
    net = Network.from_config(load_config(HAND))
    assert net.cost([X], [Y]) == pytest.approx(cost, rel=1e-12)
    dw, db = net.gradients([X], [Y])
    np.testing.assert_allclose(dw[0], dw1, rtol=1e-12)
    np.testing.assert_allclose(dw[1], dw2, rtol=1e-12)
    np.testing.assert_allclose(db[0], d1, rtol=1e-12)
    np.testing.assert_allclose(db[1], d2, rtol=1e-12)


def test_one_training_step_is_the_hand_update(tmp_path):
    _, dw1, d1, dw2, d2 = by_hand()
    r = invoke("train", HAND, "--epochs", "1", "--out", tmp_path / "run", "--quiet")
    assert r.exit_code == 0, r.output
    model = load_model(tmp_path / "run" / "model.npz")
    w1, w2 = model.net.weights
    b1, b2 = model.net.biases
    assert w2[0, 0] == pytest.approx(0.35891648, abs=1e-8)  # w5, as in the write-up
    np.testing.assert_allclose(w2, [[W2[j][k] - ETA * dw2[j][k] for k in range(2)] for j in range(2)], rtol=1e-13)
    np.testing.assert_allclose(w1, [[W1[j][k] - ETA * dw1[j][k] for k in range(2)] for j in range(2)], rtol=1e-13)
    np.testing.assert_allclose(b1, [B1[j] - ETA * d1[j] for j in range(2)], rtol=1e-13)
    np.testing.assert_allclose(b2, [B2[j] - ETA * d2[j] for j in range(2)], rtol=1e-13)
    # the model keeps the config it started from: the given weights, not the trained ones
    assert model.config.network.weights == (W1, W2)


def test_gradcheck_passes_on_the_example():
    r = invoke("gradcheck", HAND, "--json")
    assert r.exit_code == 0, r.output
    report = json.loads(r.stdout)
    assert report["passed"] and report["settings"]["n_examples"] == 1
    r = invoke("gradcheck", HAND)
    assert r.exit_code == 0 and "mode full, 1 example" in r.output and "1 examples" not in r.output, r.output



# --- the run's files -------------------------------------------------------------------------

def test_the_run_keeps_the_weights_through_config_yaml_resume_and_model_commands(tmp_path):
    out = tmp_path / "run"
    r = invoke("train", HAND, "--epochs", "3", "--out", out, "--quiet")
    assert r.exit_code == 0, r.output
    written = load_config(out / "config.yaml").network
    assert (written.weights, written.biases) == ((W1, W2), (B1, B2))
    r = invoke("train", HAND, "--epochs", "6", "--out", out, "--resume", "--quiet")
    assert r.exit_code == 0, r.output
    straight = invoke("train", HAND, "--epochs", "6", "--out", tmp_path / "straight", "--quiet")
    assert straight.exit_code == 0, straight.output
    resumed, whole = load_model(out / "model.npz"), load_model(tmp_path / "straight" / "model.npz")
    for a, b in zip(resumed.net.weights + resumed.net.biases, whole.net.weights + whole.net.biases):
        np.testing.assert_array_equal(a, b)
    # a resume with other given weights is another run
    r = invoke("train", HAND, "--epochs", "9", "--out", out, "--resume", "--set", "network.biases=[[0, 0], [0, 0]]")
    assert r.exit_code == 2 and "network.biases (checkpoint [[0.35, 0.35], [0.6, 0.6]], now [[0.0, 0.0]" in r.output
    # the trained model, not the config's starting weights
    model = out / "model.npz"
    explained = json.loads(invoke("explain", "--model", model, "--layer", "L", "--format", "json").stdout)
    assert explained["forward"][0]["w"] == resumed.net.weights[1][0].tolist() != list(W2[0])
    predicted = invoke("predict", model, ROOT / "data" / "hand_worked.csv")
    assert predicted.exit_code == 0, predicted.output
    assert predicted.stdout.splitlines()[0] == "y1,y2"
    assert [float(v) for v in predicted.stdout.splitlines()[1].split(",")] == pytest.approx(
        resumed.net.predict([X])[0].tolist(), rel=1e-12)
    evaluated = invoke("evaluate", model, "--json")
    assert evaluated.exit_code == 0, evaluated.output
    assert json.loads(evaluated.stdout)["cost"] == pytest.approx(resumed.net.cost([X], [Y]), rel=1e-12)
    r = invoke("explain", "--model", model, "--layer", "L", "--set", "network.weights=[[[0, 0], [0, 0]], [[0, 0], [0, 0]]]")
    assert r.exit_code == 2
    assert ("--set network.weights=[[[0, 0], [0, 0]], [[0, 0], [0, 0]]]: network.weights cannot change for a trained "
            "model") in " ".join(r.output.split())




# --- the README's section ------------------------------------------------------------------

def _readme_section() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    return readme.split("### Reproduce a hand calculation", 1)[1].split("\n### ", 1)[0]


def test_the_readmes_config_is_the_shipped_one():
    """The block is the shipped file less its opening comments, line for line: it left out seed,
    standardize and epochs, so the "10,000 epochs" the text goes on to name were not in it (a
    reader who trained the block as shown got the default 100)."""
    import yaml

    block = _readme_section().split("```yaml\n", 1)[1].split("```", 1)[0]
    text = HAND.read_text(encoding="utf-8")
    assert yaml.safe_load(block) == yaml.safe_load(text)
    assert block == text[text.index("\nseed:") + 1:]


def test_the_readmes_python_example_prints_what_its_comment_says(monkeypatch, capsys):
    block = _readme_section().split("```python\n", 1)[1].split("```", 1)[0]
    promised = block.strip().splitlines()[-1].split("# ", 1)[1]
    monkeypatch.chdir(ROOT)
    exec(compile(block, "README.md", "exec"), {"__name__": "__readme__"})
    assert capsys.readouterr().out.strip() == promised


def test_the_readmes_explain_lines_are_real(monkeypatch):
    monkeypatch.setenv("COLUMNS", "100")  # the README's panel is 100 columns wide
    monkeypatch.chdir(ROOT)  # the header names data/hand_worked.csv relative to the current folder
    out = invoke("explain", HAND, "--layer", "L", "--weight", "0,0").output.splitlines()
    block = _readme_section().split("$ backprop explain configs/hand_worked.yaml --layer L --weight 0,0\n", 1)[1]
    shown = [line for line in block.split("```", 1)[0].splitlines() if line != "…"]
    assert len(shown) == 9 and all(line in out for line in shown), (shown, out)


def test_the_shipped_config_trains_as_the_readme_says():
    r = invoke("train", HAND, "--json")
    assert r.exit_code == 0, r.output
    result = json.loads(r.stdout)
    assert result["cost_before_training"] == pytest.approx(0.298371109, abs=1e-9)
    assert result["epochs"] == 10000 and result["train_cost"] == pytest.approx(2.45e-06, rel=5e-3)
    assert "cost 0.298371 → 2.45e-06 in 10,000 epochs" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_one_epochs_log_and_summary_are_the_costs_the_readme_names(tmp_path):
    """One step's log says 0.298371 and its summary 0.280471, neither the write-up's error after
    its first step: a class comparing them needs to be told which is which (before the step; after
    it, biases moved), and what holding the biases, as the write-up does, would give."""
    r = invoke("train", HAND, "--epochs", "1", "--quiet")
    assert r.exit_code == 0, r.output
    assert "epoch 1/1  train cost 0.298371" in r.output
    summary = next(line for line in r.output.splitlines() if "cost (half_squared_error)" in line)
    assert "0.280471" in summary
    # the screen says which is which too: the summary's title names the weights it is measured on
    assert "training summary, on the final weights" in r.output
    net = Network.from_config(load_config(HAND))
    dw, _ = net.gradients([X], [Y])
    held = Network.from_config(load_config(HAND))
    for w, g in zip(held.weights, dw):
        w -= ETA * g
    assert f"{held.cost([X], [Y]):.6g}" == "0.291028"
    section = " ".join(_readme_section().split())
    assert ("That run's log line, `epoch 1/1 train cost 0.298371`, is the write-up's starting error" in section
            and "summary's 0.280471 is the cost after the step" in section
            and "with them held, as the write-up does, it would be 0.291028" in section), section


def test_the_configs_comments_name_what_explain_prints(monkeypatch):
    """The config's comment said ∂C/∂w5 = 0.0821670, a figure explain never prints (0.082167)."""
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.chdir(ROOT)  # the comments' paths are the repository's
    comments = [line for line in HAND.read_text(encoding="utf-8").splitlines()
                if line.startswith("#   backprop explain")]
    assert len(comments) == 2
    for line in comments:
        command, promised = line[1:].split("#", 1)
        value = promised.split("=")[1].strip()
        out = invoke(*command.split()[1:]).output
        assert f"= {value}   ✓" in out, (line, out)


def test_a_hidden_layer_shows_the_sum_it_received_with_numbers_to_remultiply(monkeypatch):
    """`explain --layer 1` used ∂C0/∂a_0^(1) = 0.0363503 in w1's product but showed only its symbols,
    Σ_i w_i0^(2) σ'(z_i^(2)) ∂C0/∂a_i^(2): its terms were under --layer 2. Now every shown neuron
    gets seed 000's sum over the neurons of layer 2, numbers in, as a learner re-multiplies it."""
    h = [sigmoid(W1[j][0] * X[0] + W1[j][1] * X[1] + B1[j]) for j in range(2)]
    o = [sigmoid(W2[i][0] * h[0] + W2[i][1] * h[1] + B2[i]) for i in range(2)]
    terms = [[W2[i][j] * o[i] * (1 - o[i]) * (o[i] - Y[i]) for i in range(2)] for j in range(2)]
    report = _explain("--layer", "1")
    assert [r["j"] for r in report["received"]] == [0, 1]
    for r, by_hand_terms in zip(report["received"], terms):
        assert [t["index"] for t in r["terms"]] == [[0, r["j"]], [1, r["j"]]]  # (i, j)
        assert [t["value"] for t in r["terms"]] == pytest.approx(by_hand_terms, rel=1e-12)
        assert r["value"] == pytest.approx(sum(by_hand_terms), rel=1e-12)
        assert r["check"]["status"] == "pass"
    assert report["received"][0]["value"] == pytest.approx(0.0363503, abs=1e-7)
    assert _explain("--layer", "L")["received"] == []  # the output layer's comes from the cost
    monkeypatch.setenv("COLUMNS", "100")
    out = invoke("explain", HAND, "--layer", "1", "--weight", "0,0").output
    assert "∂C0/∂a_j^(1) received from layer 2 (eq. 8 with k → j, j → i)" in out  # seed 000's letters, moved up
    assert "i=0: 0.4 · 0.1868156 · 0.7413651 = 0.0553994" in out
    assert "i=1: 0.5 · 0.1755101 · (-0.2170715) = -0.0190491" in out  # adds up to the Σ shown
    assert 0.0553994 - 0.0190491 == pytest.approx(0.0363503, abs=1e-12) and "0.0363503" in out
    md = invoke("explain", HAND, "--layer", "1", "--format", "markdown").output
    assert r"0.4 \cdot 0.1868156 \cdot 0.7413651 + 0.5 \cdot 0.1755101 \cdot \left(-0.2170715\right)" in md


def test_json_received_letters_its_sums_as_the_table_does():
    """The received table's rows are this layer's j and its terms i=0, i=1 (layer 2's neurons);
    JSON named the row "k" and its terms "j = 0", the letters of layer 2's hand-back, so a handout
    built from it called the hidden neuron k. Now: "j", and terms "i = 0" (index still (i, j));
    the hand-back keeps k and "j = 0"."""
    r = _explain("--layer", "1")["received"]
    assert [list(s)[:1] for s in r] == [["j"], ["j"]] and all("k" not in s for s in r)
    assert [[t["symbol"] for t in s["terms"]] for s in r] == [["i = 0", "i = 1"]] * 2
    assert [[t["latex"] for t in s["terms"]] for s in r] == [["i = 0", "i = 1"]] * 2
    h = _explain("--layer", "L")["hand_back"]
    assert [s["k"] for s in h] == [0, 1] and [t["symbol"] for t in h[0]["terms"]] == ["j = 0", "j = 1"]


def test_markdown_sums_show_their_terms_in_symbols_before_the_numbers():
    """A handout's eq. 8 block went from ∂C0/∂a_0^(1) straight to numbers; a product's block
    shows its factors' formulas first. Now a sum does too: every term for up to 4, else the
    first and \\dots (digits' layer 2 sums 10 terms)."""
    md = invoke("explain", HAND, "--layer", "1", "--format", "markdown").output
    assert (r"\frac{\partial C_0}{\partial a_{0}^{(1)}} &= w_{00}^{(2)} \cdot \sigma'\left(z_{0}^{(2)}\right) "
            r"\cdot \left(a_{0}^{(2)} - y_{0}\right) + w_{10}^{(2)} \cdot \sigma'\left(z_{1}^{(2)}\right) "
            "\\cdot \\left(a_{1}^{(2)} - y_{1}\\right) \\\\\n&= 0.4 \\cdot 0.1868156") in md
    md = invoke("explain", ROOT / "configs" / "digits.yaml", "--layer", "2", "--format", "markdown").output
    assert (r"&= w_{00}^{(2)} \cdot \sigma'\left(z_{0}^{(2)}\right) \cdot 2\left(a_{0}^{(2)} - y_{0}\right) "
            "+ \\dots \\\\\n&= ") in md
    # its 10 terms with numbers in rows of a few, each under ~100 ex (one line ran to 338 ex)
    block = md[md.index(r"\frac{\partial C_0}{\partial a_{0}^{(1)}} &="):]
    block = block[:block.index(r"\end{aligned}")]
    assert block.count(r"&\quad + ") >= 2 and all(len(row) < 200 for row in block.splitlines()), block
