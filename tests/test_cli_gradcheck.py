"""``backprop gradcheck`` through the CLI: exit codes 0/1/2/3, JSON, --model, --backward."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from backprop_cli.cli import app
from backprop_cli.config import load_config
from backprop_cli.experiment import prepare
from backprop_cli.model_io import save_model
from backprop_cli.names import shown
from helpers import chain_config, extreme_config

ROOT = Path(__file__).resolve().parents[1]
runner = CliRunner()


def invoke(*args):
    return runner.invoke(app, [str(a) for a in args])


def _checked_once(patch, done):
    """check_gradients and convergence_sweep replaced (``patch``: a MonkeyPatch) by versions that run
    each distinct check once and hand its report back to every later call of it: ``done``, {key:
    report}; the key holds the network's arrays and config, the rows, the settings, the rng's state and
    a --backward by its file and the file's text (another gradients function: not shared)."""
    from backprop_cli import gradcheck as gc

    def key(name, net, X, Y, kw):
        arrays = [*net.weights, *net.biases, np.asarray(X), np.asarray(Y)]
        rng, fn = kw.get("rng"), kw.get("gradients")
        return (name, tuple((a.dtype.str, a.shape, a.tobytes()) for a in arrays), repr(kw.get("config")),
                repr(rng.bit_generator.state if isinstance(rng, np.random.Generator) else rng),
                None if fn is None else (fn.spec, Path(fn.spec.rpartition(":")[0]).read_text()),
                repr(sorted((k, v) for k, v in kw.items() if k not in ("rng", "gradients", "config", "progress"))))

    def once(name, real):
        def check(net, X, Y, **kw):
            if not hasattr(kw.get("gradients"), "spec") and kw.get("gradients") is not None:
                return real(net, X, Y, **kw)  # not a --backward FILE.py:FUNCTION: no key to tell it by
            k = key(name, net, X, Y, kw)
            if k not in done:
                done[k] = real(net, X, Y, **kw)
            return done[k]
        return check

    patch.setattr(gc, "check_gradients", once("check", gc.check_gradients))
    patch.setattr(gc, "convergence_sweep", once("sweep", gc.convergence_sweep))


@pytest.fixture(scope="module")
def _reports():
    return {}


@pytest.fixture
def checked_once(monkeypatch, _reports):
    """For a test that renders one check at several widths (COLUMNS) or as --json too: the check itself
    (check_gradients or convergence_sweep) runs once for each distinct network, rows and settings in this
    module, and later invocations render its report; the width changes the rendering alone (a spirals
    sweep takes ~0.3 s, its rendering ~0.03 s). Everything else each invocation does as ever. Not for a
    test that changes backprop itself (a planted bug in Network.gradients)."""
    _checked_once(monkeypatch, _reports)


@pytest.fixture(scope="module")
def shipped_sweep(_reports):
    """shipped_sweep(name): the result of `gradcheck configs/NAME.yaml --convergence --json`, run once
    for the tests that read it, its sweep shared with ``checked_once``."""
    done = {}

    def sweep(name):
        if name not in done:
            with pytest.MonkeyPatch.context() as patch:
                _checked_once(patch, _reports)
                done[name] = invoke("gradcheck", ROOT / "configs" / f"{name}.yaml", "--convergence", "--json")
        return done[name]

    return sweep


BUGGY = '''
import numpy as np


def sig(z):
    return 1 / (1 + np.exp(-z))

def no_factor_two(weights, biases, X, Y, config):
    """Seed 000's cost with the derivative of seed 001's: 2(a - y) written as (a - y)."""
    a = [X]
    for w, b in zip(weights, biases):
        a.append(sig(a[-1] @ w.T + b))
    n = len(X)
    delta = (a[-1] - Y) * a[-1] * (1 - a[-1]) / n
    dw, db = [None] * len(weights), [None] * len(weights)
    for l in range(len(weights) - 1, -1, -1):
        dw[l] = delta.T @ a[l]
        db[l] = delta.sum(axis=0)
        if l:
            delta = (delta @ weights[l]) * a[l] * (1 - a[l])
    return dw, db
'''


def test_help_documents_bands_and_exit_codes():
    r = invoke("gradcheck", "--help")
    assert r.exit_code == 0
    assert "excellent" in r.output and "inconclusive" in r.output


def test_your_own_example_is_checked_from_x_and_y(tmp_path):
    """gradcheck --x and --y, as explain takes them: the cost of that one example, backprop's and a
    learner's backward checked on it (the ×½ of a missing factor 2 found there too); its --json
    gives the example in place of training rows."""
    cfg = ROOT / "configs" / "hand_worked.yaml"
    r = invoke("gradcheck", cfg, "--x", "0.3,-0.2", "--y", "1,0", "--json")
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert data["settings"]["rows"] is None and data["settings"]["x"] == [0.3, -0.2] and data["settings"]["y"] == [1, 0]
    assert data["settings"]["n_examples"] == 1 and data["status"] == "pass"
    from backprop_cli.network import Network

    net = Network.from_config(load_config(cfg))
    dw, db = net.gradients([[0.3, -0.2]], [[1.0, 0.0]])
    worst = {t["name"]: t["worst"] for t in data["tensors"]}
    w = worst["w^(2)"]
    assert np.isclose(w["analytic"], dw[1][tuple(w["index"])], rtol=1e-12)
    same = json.loads(invoke("gradcheck", cfg, "--x", "0.05,0.10", "--y", "0.01,0.99", "--json").stdout)
    rows = json.loads(invoke("gradcheck", cfg, "--json").stdout)  # its one training example
    assert [t["worst"] for t in same["tensors"]] == [t["worst"] for t in rows["tensors"]]
    mine = tmp_path / "mine.py"
    mine.write_text(BUGGY)
    r = invoke("gradcheck", "--x", "1,0", "--y", "1", "--backward", f"{mine}:no_factor_two")
    assert r.exit_code == 1 and "1 example, your own: x = (1, 0), y = (1)" in " ".join(r.stdout.split()), r.output
    assert "×½" in r.stdout
    r = invoke("gradcheck", "--x", "1,0", "--y", "1", "--examples", "2")
    assert r.exit_code == 2 and "--examples 2 picks training examples, --x and --y give your own" in r.stderr


def test_x_and_y_need_no_data_where_the_config_names_none(tmp_path):
    """Seed 000's 1-1-1-1 chain with no data section, checked on --x 1.5 --y 0.8, was refused as not fitting
    the built-in xor ('network.layers[0]: 1 does not match the data: xor (built-in) has 2 inputs'), though
    --x and --y give all the example there is. It is checked as with a CSV of that one row; a config that
    names data not fitting its network is still refused, and the hint says why; so is data.standardize
    with no data to take its scale from."""
    from helpers import CHAIN

    with_csv = json.loads(invoke("gradcheck", chain_config(tmp_path), "--json").stdout)
    bare = tmp_path / "bare.yaml"
    bare.write_text("\n".join(line for line in CHAIN.splitlines() if not line.startswith("data:")) + "\n")
    r = invoke("gradcheck", bare, "--x", "1.5", "--y", "0.8", "--json")
    assert r.exit_code == 0, r.output
    own = json.loads(r.stdout)
    assert own["status"] == "pass" and (own["settings"]["x"], own["settings"]["y"]) == ([1.5], [0.8])
    assert [t["worst"] for t in own["tensors"]] == [t["worst"] for t in with_csv["tensors"]]
    r = invoke("gradcheck", bare)  # no example: xor's rows, which do not fit, and the hint names --x and --y
    assert r.exit_code == 2 and r.stderr.rstrip().endswith(
        "explain and gradcheck need no data for an example given with --x and --y"), r.output
    named = tmp_path / "named.yaml"
    (tmp_path / "two.csv").write_text("x1,x2,y\n1,2,0.5\n")
    named.write_text(CHAIN.replace("chain.csv", "two.csv"))
    r = invoke("gradcheck", named, "--x", "1.5", "--y", "0.8")
    assert r.exit_code == 2
    assert r.stderr.splitlines() == [
        f"error: {named}: network.layers[0]: 1 does not match the data: {tmp_path / 'two.csv'} has 2 inputs and "
        "1 output; use layers: [2, …, 1]",
        "hint: --x and --y are held to the data the config names (data.path), as --x is in its units and --y may "
        "name its classes; a config that names no data (neither data.path nor data.dataset) needs none for them"]
    (tmp_path / "std.yaml").write_text(CHAIN.replace("chain.csv", "two.csv").replace("standardize: false",
                                                                                   "standardize: true"))
    r = invoke("gradcheck", tmp_path / "std.yaml", "--x", "1.5", "--y", "0.8")
    assert r.exit_code == 2 and "as --x is in its units (data.standardize scales it as the training split was)" \
        in r.stderr, r.output  # said only where the data is standardized
    scaled = tmp_path / "scaled.yaml"
    scaled.write_text(bare.read_text() + "data: {standardize: true}\n")
    r = invoke("gradcheck", scaled, "--x", "1.5", "--y", "0.8")
    assert r.exit_code == 2
    assert r.stderr.splitlines() == [
        f"error: {scaled}: data.standardize: true scales --x as the data's training split was, but the config names "
        "no data (data.path or data.dataset) to take its mean and scale from",
        "hint: name the data, or leave data.standardize out to feed --x to the network as given"]


def test_default_passes_exit_0():
    r = invoke("gradcheck")
    assert r.exit_code == 0, r.output
    assert "PASS" in r.output and "w^(1)" in r.output


def test_json_holds_the_figures():
    r = invoke("gradcheck", ROOT / "configs" / "iris.yaml", "--json", "--examples", "3")
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert data["status"] == "pass" and data["settings"]["eps"] == 1e-5
    assert len(data["tensors"]) == 4 and data["global_ratio"] < 1e-7


def test_planted_bug_exit_1_with_diagnosis(tmp_path):
    f = tmp_path / "mine.py"
    f.write_text(BUGGY)
    r = invoke("gradcheck", "--backward", f"{f}:no_factor_two")
    assert r.exit_code == 1, r.output
    assert "FAIL" in r.output and "½" in r.output
    assert "gradient check: your backward vs central differences" in r.output  # not "backprop"
    assert "gradient check: backprop vs central differences" in invoke("gradcheck").output
    r = invoke("gradcheck", "--backward", f"{f}:no_factor_two", "--json")
    tensors = json.loads(r.stdout)["tensors"]
    assert len(tensors) == 4  # every tensor, the single-entry output bias included, is named ×½
    assert all(t["status"] == "fail" and "½" in " ".join(t["diagnosis"]) for t in tensors)
    r = invoke("gradcheck", "--backward", f"{f}:no_factor_two", "--mode", "fast", "--json")
    assert r.exit_code == 1 and json.loads(r.stdout)["status"] == "fail"


def test_usage_errors_exit_2(tmp_path):
    assert invoke("gradcheck", "--eps", "0").exit_code == 2
    r = invoke("gradcheck", "--backward", tmp_path / "nope.py:f")
    assert r.exit_code == 2 and "Traceback" not in r.output
    r = invoke("gradcheck", "--mode", "slow")
    assert r.exit_code == 2


def test_model_from_train_and_float32_cast(tmp_path):
    out = tmp_path / "run"
    assert invoke("train", "--epochs", "20", "--out", out, "--quiet",
                  "--set", "training.dtype=float32").exit_code == 0
    r = invoke("gradcheck", "--model", out / "model.npz")
    assert r.exit_code == 0, r.output
    assert "float64" in r.output


def test_inconclusive_exit_3_at_relu_kinks(tmp_path):
    """A ReLU unit with z = 0 exactly for inputs of both signs: every step on its
    incoming weights crosses the kink from one side or the other."""
    cfg = load_config(None, {"network.activation": "relu", "network.output_activation": "sigmoid",
                             "data.dataset": "circles", "data.n_samples": 40})
    exp = prepare(cfg)
    net = exp.net
    net.weights[0][0] = 0.0
    net.biases[0][0] = 0.0
    save_model(tmp_path / "kink.npz", net, cfg)
    r = invoke("gradcheck", "--model", tmp_path / "kink.npz", "--examples", "8", "--json")
    assert r.exit_code == 3, r.output
    data = json.loads(r.stdout)
    assert data["status"] == "inconclusive" and data["n_kinks"] > 0 and data["n_failed"] == 0


@pytest.mark.parametrize("extra", [[], ["--convergence"], ["--json"]])
def test_a_model_whose_cost_overflows_is_one_line_exit_2(tmp_path, extra):
    """A linear output with a bias of 1e160: the cost of the checked rows is inf, so there is
    nothing to check; the error names the model file (it used to report NaN entries under a
    global ratio of 0, "excellent")."""
    cfg = load_config(None, {"data.dataset": "sine", "data.n_samples": 40, "network.layers": [1, 4, 1],
                             "network.activation": "tanh", "network.output_activation": "linear",
                             "cost": "half_squared_error"})
    exp = prepare(cfg)
    exp.net.biases[-1][:] = 1e160
    save_model(tmp_path / "huge.npz", exp.net, cfg)
    r = invoke("gradcheck", "--model", tmp_path / "huge.npz", *extra)
    assert r.exit_code == 2, r.output
    lines = r.stderr.strip().splitlines()
    assert lines[0].startswith(f"error: {tmp_path / 'huge.npz'}: the cost of the 4 checked examples is inf")
    assert len(lines) == 2 and lines[1].startswith("hint:")
    if "--json" in extra:  # the refusal as an object on stdout too, for scripts: the model's fault, "input"
        assert json.loads(r.stdout) == {"status": "error", "source": "input", "error": lines[0].removeprefix("error: "),
                                        "hint": lines[1].removeprefix("hint: ")}
    else:
        assert r.stdout == ""


def test_convergence_sweep():
    r = invoke("gradcheck", "--convergence", "--json")
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert data["passed"] and 1.5 < data["order"] < 2.5


@pytest.mark.parametrize("name", ["spirals", "xor_relu", "circles", "digits", "iris", "sine", "hand_worked"])
def test_convergence_sweep_passes_every_shipped_config(name, shipped_sweep):
    """Each shipped network's backprop is correct, so its sweep must say so (spirals used to
    fail: its first kink-free ε is already at rounding level, and the slope of noise read as
    "levels off")."""
    r = shipped_sweep(name)
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["passed"]


@pytest.mark.parametrize("name", ["spirals", "xor_relu"])
def test_convergence_verdict_names_the_smallest_step_that_crosses_a_kink(name, shipped_sweep):
    """The verdict's "steps of ε ≥ E cross ReLU kinks" must agree with the table's crossing
    counts: every ε ≥ E crosses and E is the smallest that does (xor_relu's best ε, 1e-2, crosses
    too; the verdict said ε ≥ 1e-1). Its main sentence said "larger steps cross ReLU kinks" after
    naming xor_relu's 1e-2, which crosses itself: it names the steps, once."""
    d = json.loads(shipped_sweep(name).stdout)
    crossing = [e for e, c in zip(d["eps_values"], d["kink_crossings"]) if c]
    assert crossing and f"steps of ε ≥ {min(crossing):.0e} cross ReLU kinks" in d["verdict"], d["verdict"]
    assert "larger steps" not in d["verdict"] and d["verdict"].count("cross ReLU kinks") == 1, d["verdict"]


def test_the_table_fits_a_pipe_without_cutting_a_figure(monkeypatch):
    """Piped output is 80 columns wide: every number, entry label and status stays whole."""
    monkeypatch.setenv("COLUMNS", "80")
    for args in ([ROOT / "configs" / "xor_relu.yaml", "--eps", "0.5"],  # long statuses: at kinks
                 [ROOT / "configs" / "spirals.yaml", "--mode", "fast"]):  # long "checked" cells
        r = invoke("gradcheck", *args)
        assert r.exit_code in (0, 3), r.output
        table = r.output.split("gradient check:")[1].split("╭")[0]
        assert "…" not in table, table
        assert max(len(line) for line in table.splitlines()) <= 80, table
        assert "inconclusive" in table or "pass" in table
        assert "max abs err" in table and "narrow console" not in table


def test_a_status_with_kinks_that_does_not_fit_puts_the_kinks_under_it(monkeypatch, checked_once):
    """b^(1) with 7 units at z = 0: 'pass (7 at kinks)' made the table 82 columns wide, and rich
    broke the cell anywhere ('pass (7 at' over 'kinks)'). Where the one-line cell does not fit,
    the kink count stands whole on the line under the status."""
    sets = ("--set", "network.biases=[[0,0,0,0,0,0,0,0.1],[0]]")
    for width in (80, 60, 45, 40):
        monkeypatch.setenv("COLUMNS", str(width))
        r = invoke("gradcheck", ROOT / "configs" / "xor_relu.yaml", *sets)
        assert r.exit_code == 0, r.output
        table = r.output.split("gradient check:")[1].split("╭")[0]
        lines = table.splitlines()
        assert max(len(line) for line in lines) <= width, table
        row = next(i for i, line in enumerate(lines) if line.strip().startswith("b^(1)"))
        assert lines[row].rstrip().endswith("pass"), table
        assert lines[row + 1].strip() == "(7 at kinks)", table
    monkeypatch.setenv("COLUMNS", "100")  # room for it: one line
    r = invoke("gradcheck", ROOT / "configs" / "xor_relu.yaml", *sets)
    assert "pass (7 at kinks)" in r.output, r.output


def test_a_narrow_console_drops_whole_columns_instead_of_cutting_cells(monkeypatch, checked_once):
    """A projector's large font: fewer columns, each whole, and the caption says which went."""
    for width, gone in ((60, ["max abs err"]), (50, ["max abs err", "shape", "checked"])):
        monkeypatch.setenv("COLUMNS", str(width))
        r = invoke("gradcheck", ROOT / "configs" / "spirals.yaml")
        assert r.exit_code == 0, r.output
        table = r.output.split("gradient check:")[1].split("╭")[0]
        assert "…" not in table and max(len(line) for line in table.splitlines()) <= width, table
        head = next(line for line in table.splitlines() if "tensor" in line)
        assert all(name not in head for name in gone) and "max rel err" in head and "status" in head
        assert f"narrow console: {', '.join(gone)} not shown" in " ".join(table.split())
        assert "w^(2)[" in table and "pass" in table


def test_the_failing_entries_fit_a_projector_too(monkeypatch, tmp_path):
    """The details of a failure (its worst entries: both values, the errors), negative values
    included: at 60 columns no absolute error, at 80 (a pipe) both errors (and as many
    significant digits as fit: entries_table), nothing cut either way."""
    f = tmp_path / "mine.py"
    f.write_text(BUGGY)
    for width in (60, 80):
        monkeypatch.setenv("COLUMNS", str(width))
        r = invoke("gradcheck", "--backward", f"{f}:no_factor_two")
        assert r.exit_code == 1, r.output
        details = r.output.split("failing ─")[1]
        assert "…" not in details and max(len(line) for line in details.splitlines()) <= width, details
        head = next(line for line in details.splitlines() if line.startswith("│ entry ") and "analytic" in line)
        assert ("abs error" in head) == (width == 80) and "rel err" in head and "status" in head


def test_the_verdict_panel_breaks_between_phrases_not_inside_a_formula_or_a_band(monkeypatch, tmp_path, checked_once):
    """At 60 columns (a projector) the verdict panel read `rtol·max(|a|,` over `|n|)`, `= 3.333e-01
    almost` over `surely a bug` and `≤1e-03` over `suspicious`; at 80 (a pipe) `rtol 1e-05, atol`
    over `1e-08`, and at 100 `likely a` over `bug`. Each line now breaks between its phrases:
    the pass rule, the tolerances, the step, a band and its name are each whole on one line."""
    f = tmp_path / "mine.py"
    f.write_text(BUGGY)
    whole = ["|a − n| ≤ atol + rtol·max(|a|, |n|):", "rtol 1e-05, atol auto = 9.8e-11", "ε = 1e-05", "4 examples",
             "≤1e-07 excellent", "≤1e-05 good", "≤1e-03 suspicious", "≤1e-02 likely a bug",
             ">1e-02 almost surely a bug", "failed 13", "at kinks 0"]
    for width in (50, 60, 80, 100, 120):
        monkeypatch.setenv("COLUMNS", str(width))
        r = invoke("gradcheck", "--backward", f"{f}:no_factor_two")
        assert r.exit_code == 1, r.output
        panel = r.output.split("gradcheck: FAIL")[1].split("╰")[0]
        lines = [line.strip("│ ") for line in panel.splitlines()[1:]]
        assert max(len(line) for line in panel.splitlines()) <= width, panel
        for phrase in whole + ["almost surely a bug"]:
            assert any(phrase in line for line in lines), (width, phrase, panel)
        assert any(line.endswith("3.333e-01") or line.endswith("3.333e-01  almost surely a bug") for line in lines), panel


def test_a_failing_tensor_says_how_many_of_its_failing_entries_it_lists(monkeypatch, tmp_path):
    """w^(1) 3×2 with a factor 2 missing: the panel's title counts 6 failing entries and listed
    5 (the worst) with no word about the sixth, so a learner looked for it. When fewer rows than
    failing entries are listed, a line says which: the worst R of the N. The four tensors share
    the ×½ diagnosis, so one panel holds them: its title counts the failing entries of the tensors
    it names, and its line says whose are the worst few (w^(1)'s)."""
    import re
    f = tmp_path / "mine.py"
    f.write_text(BUGGY)
    monkeypatch.setenv("COLUMNS", "100")
    data = json.loads(invoke("gradcheck", "--backward", f"{f}:no_factor_two", "--json").stdout)
    r = invoke("gradcheck", "--backward", f"{f}:no_factor_two")
    assert r.exit_code == 1, r.output
    panels = [p.split("╰")[0] for p in r.output.split("╭─ ")[1:]]
    truncated = 0
    for t in data["tensors"]:
        panel = next(p for p in panels if re.search(rf"(^|, ){re.escape(t['name'])}[ ,:]", p.splitlines()[0]))
        named = re.findall(r"[wb]\^\(\d\)", panel.splitlines()[0].split(":")[0])
        n_failed = sum(u["n_failed"] for u in data["tensors"] if u["name"] in named)
        assert f": {n_failed} failing" in panel.splitlines()[0]
        rows = [line for line in panel.splitlines() if line.startswith(f"│ {t['name']}[")]
        assert 1 <= len(rows) <= t["n_failed"]
        prose = " ".join(line.strip("│ ") for line in panel.splitlines())
        said = (f"the {len(rows)} worst of the {t['n_failed']} failing entries (by |a − n| over its tolerance)"
                if len(named) == 1 else f"the {len(rows)} worst of {t['name']}'s {t['n_failed']}") in prose
        assert said == (len(rows) < t["n_failed"]), panel
        truncated += len(rows) < t["n_failed"]
    assert truncated  # w^(1): 6 failing, 5 listed


def test_the_failing_entries_of_a_deeper_net_keep_every_cell_and_one_notation(monkeypatch, tmp_path, checked_once):
    """2-5-4-3-1: labels such as w^(3)[2,3] and negative values. At 60-72 columns the table
    inside the panel cut its last column ('statu'); and each value column mixed notations and
    precisions ('7.2594e-05' over '0.00014519', '-3.417e-05'). Now every cell is whole and
    both value columns hold one form, d.ddde±xx, with the same number of digits."""
    import re
    f = tmp_path / "mine.py"
    f.write_text(BUGGY)
    for width in (60, 72, 80, 100):
        monkeypatch.setenv("COLUMNS", str(width))
        r = invoke("gradcheck", "--backward", f"{f}:no_factor_two", "--set", "network.layers=[2,5,4,3,1]")
        assert r.exit_code == 1, r.output
        for panel in r.output.split("failing ─")[1:]:
            lines = panel.split("╰")[0].splitlines()
            assert max(len(line) for line in lines) <= width, panel
            head = next(line for line in lines if line.startswith("│ entry "))
            assert head.rstrip(" │").endswith("status"), head
            rows = [line for line in lines if re.match(r"│ [wb]\^\(\d\)\[", line)]
            assert rows and all(line.rstrip(" │").endswith(" fail") for line in rows), panel
            values = [v for line in rows for v in line.split()[2:4]]
            assert all(re.fullmatch(r"-?\d\.\d+e[+-]\d\d", v) for v in values), values
            assert len({len(v.lstrip("-")) for v in values}) == 1, values


def test_forty_columns_keep_every_status_word_whole(monkeypatch):
    """The narrowest console we support: edges go, headers fold, and at last the worst entry,
    but a status ("pass", "inconclusive") is never cut."""
    monkeypatch.setenv("COLUMNS", "40")
    for args, status in (([ROOT / "configs" / "spirals.yaml"], "pass"),
                         ([ROOT / "configs" / "xor_relu.yaml", "--eps", "0.5"], "inconclusive")):
        r = invoke("gradcheck", *args)
        assert r.exit_code in (0, 3), r.output
        table = r.output.split("gradient check:")[1].split("╭")[0]
        assert "…" not in table and max(len(line) for line in table.splitlines()) <= 40, table
        assert status in table and "status" in table and "b^(2)" in table, table


def test_bad_steps_and_tolerances_are_named_as_typed(backprop):
    for args, says in ((["--eps", "-1"], "--eps: -1 is out of range; it must be a number greater than 0"),
                       (["--eps", "0"], "--eps: 0 is out of range; it must be a number greater than 0"),
                       (["--atol", "nan"], "--atol: nan is not a finite number; it must be auto or a number of at least 0"),
                       (["--rtol", "-0.5"], "--rtol: -0.5 is out of range; it must be a number of at least 0")):
        code, out, err = backprop("gradcheck", *args)
        assert code == 2 and out == "" and err.splitlines()[0] == f"error: {says}", err


def test_json_records_the_seed_and_the_rows_it_checked():
    r = invoke("gradcheck", ROOT / "configs" / "iris.yaml", "--seed", "5", "--json")
    assert r.exit_code == 0, r.output
    settings = json.loads(r.stdout)["settings"]
    text = invoke("gradcheck", ROOT / "configs" / "iris.yaml", "--seed", "5").output
    assert settings["seed"] == 5
    assert f"(rows {', '.join(map(str, settings['rows']))} of the training split)" in text
    assert len(settings["rows"]) == settings["n_examples"] == 4


def test_the_header_says_when_fewer_examples_exist_than_asked_and_params_needs_sample_mode():
    r = invoke("gradcheck", "--examples", "100")
    assert r.exit_code == 0, r.output
    assert "4 examples (rows 0, 1, 2, 3: the whole training split, which has fewer than --examples 100)" \
        in " ".join(r.output.split())
    r = invoke("gradcheck", ROOT / "configs" / "iris.yaml", "--examples", "1000")
    head = " ".join(r.output.split("gradient check:")[0].split())
    assert "120 examples (rows 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, … 119: the whole training split" in head
    r = invoke("gradcheck", "--params", "5")
    assert r.exit_code == 2 and "--params 5: applies to --mode sample only" in r.output
    assert invoke("gradcheck", "--params", "5", "--mode", "sample").exit_code == 0


def test_ctrl_c_during_a_check_says_interrupted_exit_130(monkeypatch):
    """Ctrl-C in a long check (KeyboardInterrupt inside the core): one word on stderr and the
    shell's 130, not typer's silent exit."""
    from backprop_cli import gradcheck

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(gradcheck, "check_gradients", interrupted)
    r = invoke("gradcheck")
    assert r.exit_code == 130
    assert r.stderr.strip() == "interrupted" and "Traceback" not in r.output


LEARNER_ERRORS = '''
import numpy as np
import json

def ok_shapes(weights, biases, X, Y, config):
    return [np.zeros_like(w) for w in weights], [np.zeros_like(b) for b in biases]

def transposed(weights, biases, X, Y, config):
    return [np.zeros_like(w).T for w in weights], [np.zeros_like(b) for b in biases]

def none_entry(weights, biases, X, Y, config):
    dw, db = ok_shapes(weights, biases, X, Y, config)
    dw[0] = None
    return dw, db

def triple(weights, biases, X, Y, config):
    return ok_shapes(weights, biases, X, Y, config) + (0,)

def dw_alone(weights, biases, X, Y, config):
    return ok_shapes(weights, biases, X, Y, config)[0]

def db_alone(weights, biases, X, Y, config):
    return tuple(ok_shapes(weights, biases, X, Y, config)[1])

def no_return(weights, biases, X, Y, config):
    dw, db = ok_shapes(weights, biases, X, Y, config)
'''


def test_errors_in_a_learners_backward_name_the_file_and_the_mistake(tmp_path):
    """Every error about what FILE.py:FUNCTION returned names the file (it said 'backward
    transposed: …', the function's name twice over), and says what is wrong in words a learner
    can act on: a transposed ∂C/∂w, an entry left None, a missing return, three values, dw or
    db alone."""
    f = tmp_path / "mine.py"
    f.write_text(LEARNER_ERRORS)
    expect = {
        "transposed": "transposed; ∂C/∂w^(1) has the shape of w^(1)",
        "none_entry": "dw[0] (∂C/∂w^(1)) is None",
        "triple": "returned a tuple of 3 values",
        "no_return": "returned None (no return statement?)",
        # dw alone, 2 arrays for the 2-3-1 default, was read as the pair: "dw has 3 arrays, expected 2"
        "dw_alone": "returned dw (2 arrays shaped as w^(1) and w^(2)) alone; expected a pair (dw, db)",
        "db_alone": "returned db (2 arrays shaped as b^(1) and b^(2)) alone; expected a pair (dw, db)",
    }
    for name, words in expect.items():
        for extra in ((), ("--convergence",)):
            r = invoke("gradcheck", "--backward", f"{f}:{name}", *extra)
            assert r.exit_code == 2, (name, r.output)
            out = " ".join(r.output.split())
            assert f"backward {f}:{name}: " in out, (name, r.output)
            assert words in out and "Traceback" not in out, (name, r.output)


def test_function_left_out_or_import_failing_is_one_line_with_the_fix(tmp_path):
    """FILE.py without :FUNCTION lists the file's defs (read, not run); an import that
    fails names the file's line, as a raise in the function does."""
    f = tmp_path / "my back.py"  # a space in the path, too
    f.write_text("import numpy as np\n\ndef helper(z):\n    return z\n\ndef backward(w, b, X, Y, c):\n    pass\n")
    r = invoke("gradcheck", "--backward", str(f))
    assert r.exit_code == 2
    assert (f"must look like FILE.py:FUNCTION, e.g. {f}:backward (the one function defined there that can be a backward, "
            "taking (weights, biases, X, Y, config))") in " ".join(r.output.split())
    # the example is the function that takes (weights, biases, X, Y, config), not merely the last
    # one: a file ending in a helper was told 'e.g. mybp.py:plot_losses'
    h = tmp_path / "mybp.py"
    h.write_text("def sig(z):\n    return z\n\ndef my_backprop(w, b, X, Y, c):\n    pass\n\n"
                 "def plot_losses(history):\n    pass\n")
    r = invoke("gradcheck", "--backward", str(h))
    assert r.exit_code == 2
    assert (f"e.g. {h}:my_backprop (the one function defined there that can be a backward, taking (weights, biases, X, Y, "
            "config))") in " ".join(r.output.split())
    # a default after the five (it can be called so), not a function needing more than five
    h.write_text("def backprop(w, b, X, Y, c, verbose=False):\n    pass\n\n"
                 "def plot(a, b, c, d, e, f, *rest):\n    pass\n\ndef report(w, b, X, Y, c, *, ax):\n    pass\n")
    r = invoke("gradcheck", "--backward", str(h))
    assert r.exit_code == 2
    assert (f"e.g. {h}:backprop (the one function defined there that can be a backward, taking (weights, biases, X, Y, "
            "config))") in " ".join(r.output.split())
    g = tmp_path / "bad.py"
    g.write_text("import numpy as np\nimport not_a_module_anywhere_xyz\n\ndef backward(w, b, X, Y, c):\n    pass\n")
    r = invoke("gradcheck", "--backward", f"{g}:backward")
    assert r.exit_code == 2 and "Traceback" not in r.output
    assert "No module named 'not_a_module_anywhere_xyz' at bad.py:2" in " ".join(r.output.split())


def test_a_shape_mismatch_in_a_learners_code_recalls_the_shapes(tmp_path):
    """w where wᵀ belongs on a non-square layer is a numpy ValueError in the learner's code:
    one line with their file's line and the shapes of w, b, a and δ, not numpy's gufunc text alone."""
    f = tmp_path / "mine.py"
    f.write_text(BUGGY.replace("delta = (delta @ weights[l])", "delta = (delta @ weights[l].T)"))
    r = invoke("gradcheck", "--backward", f"{f}:no_factor_two")
    out = " ".join(r.output.split())
    assert r.exit_code == 2 and "Traceback" not in out, r.output
    assert "at mine.py:20" in out and "for this 2-3-1 network on 4 examples, w^(l) is (n_l, n_{l−1})" in out, out


@pytest.mark.parametrize("where", ["import", "call"])
def test_a_backward_that_calls_sys_exit_is_one_line_exit_2(tmp_path, where):
    """sys.exit() in the learner's file, at import or in the function: one line naming it,
    exit 2, not a silent exit with the user's code (SystemExit is not an Exception)."""
    body = ("import sys\nsys.exit(3)\ndef backward(w, b, X, Y, config):\n    return None\n" if where == "import"
            else "import sys\ndef backward(w, b, X, Y, config):\n    sys.exit('stop here')\n")
    (tmp_path / "quits.py").write_text(body)
    r = invoke("gradcheck", "--backward", f"{tmp_path / 'quits.py'}:backward")
    assert r.exit_code == 2, r.output
    assert "SystemExit" in r.stderr and "quits.py" in r.stderr and "Traceback" not in r.output


@pytest.mark.parametrize("where", ["import", "call"])
def test_sigterm_while_a_backward_runs_is_the_tools_exit_143(tmp_path, where):
    """SIGTERM (kill, timeout) while the learner's file is imported or its function runs: the
    tool's handler says `terminated` and exits 143, as anywhere else; its SystemExit was caught
    as the user's own sys.exit and said `error: backward …: raised SystemExit: 143`, exit 2."""
    import signal

    from backprop_cli import _say_terminated

    kill = "import os, signal\nos.kill(os.getpid(), signal.SIGTERM)\n"
    body = (f"{kill}def backward(w, b, X, Y, config):\n    return None\n" if where == "import"
            else f"def backward(w, b, X, Y, config):\n    {kill.replace(chr(10), chr(10) + '    ').rstrip()}\n")
    (tmp_path / "killed.py").write_text(body)
    previous = signal.getsignal(signal.SIGTERM)
    _say_terminated()  # what the console script installs
    try:
        if signal.getsignal(signal.SIGTERM) is previous:
            pytest.skip("the SIGTERM handler cannot be installed here (not the main thread)")
        r = invoke("gradcheck", "--backward", f"{tmp_path / 'killed.py'}:backward")
    finally:
        signal.signal(signal.SIGTERM, previous)
    assert r.exit_code == 128 + signal.SIGTERM, r.output
    assert r.stderr == "terminated\n", r.output


def test_the_tools_own_signal_exits_pass_through_a_backward_a_users_sys_exit_does_not(tmp_path):
    """SIGHUP's (train's handlers, 129) and a second SIGTERM's are SignalExit too: through."""
    from backprop_cli.commands.train import _StopAtOnce
    from backprop_cli.errors import BackwardError, SignalExit
    from backprop_cli.gradcheck import load_user_backward
    from backprop_cli.network import Network

    assert issubclass(_StopAtOnce, SignalExit)
    (tmp_path / "stops.py").write_text("import sys\nfrom backprop_cli.errors import SignalExit\n"
                                       "def hup(w, b, X, Y, config):\n    raise SignalExit(129)\n"
                                       "def own(w, b, X, Y, config):\n    sys.exit(129)\n")
    net = Network([2, 2, 1], seed=0)
    X, Y = np.zeros((2, 2)), np.zeros((2, 1))
    with pytest.raises(SignalExit) as info:
        load_user_backward(f"{tmp_path / 'stops.py'}:hup")(net.weights, net.biases, X, Y, None)
    assert info.value.code == 129
    with pytest.raises(BackwardError, match=r"raised SystemExit: 129 at .*stops\.py:6"):
        load_user_backward(f"{tmp_path / 'stops.py'}:own")(net.weights, net.biases, X, Y, None)


# a TA's students' files (session 26's audit): seed 001's backprop with examples as rows; each
# variant below is one student's change to it
STUDENT = """import numpy as np

def sig(z):
    return 1.0 / (1.0 + np.exp(-z))

def sig_prime(z):
    s = sig(z)
    return s * (1 - s)

def backward(weights, biases, X, Y, config):
    n = X.shape[0]
    a = [X]; zs = [None]
    for W, b in zip(weights, biases):
        z = a[-1] @ W.T + b
        zs.append(z); a.append(sig(z))
    L = len(weights)
    dw = [None] * L; db = [None] * L
    delta = 2 * (a[L] - Y) * sig_prime(zs[L])
    for l in range(L, 0, -1):
        dw[l-1] = delta.T @ a[l-1] / n
        db[l-1] = delta.sum(axis=0) / n
        if l > 1:
            delta = (delta @ weights[l-1]) * sig_prime(zs[l-1])
    return dw, db
"""
STUDENT_CHANGES = {
    "correct": ("", ""),
    "syntax": ("config):", "config)"),  # line 10
    "missing": ("def backward(", "def backprop("),
    "raises": ("delta.sum(axis=0) / n", "delta.sum(axis=0) / m"),  # a NameError at line 21
    "swapped": ("return dw, db", "return db, dw"),
    "reversed": ("return dw, db", "return dw[::-1], db[::-1]"),
    "bias_row": ("delta.sum(axis=0) / n", "delta.sum(axis=0, keepdims=True) / n"),
    "bias_column": ("delta.sum(axis=0) / n", "delta.sum(axis=0).reshape(-1, 1) / n"),
    # seed 001 updates w inside backprop: w^(l) changed before δ^(l) @ w^(l) hands the error back
    "in_place": ("db[l-1] = delta.sum(axis=0) / n\n", "db[l-1] = delta.sum(axis=0) / n; weights[l-1] -= 0.5 * dw[l-1]\n"),
    "complex": ("return dw, db", "return [d + 5j for d in dw], db"),  # the right gradient, + 5j
    "closes_stdout": ("return dw, db", "import sys; sys.stdout.close(); return dw, db"),
    "closes_own_stdout": ("return dw, db", "import sys; sys.__stdout__.close(); return dw, db"),
    "times_one": ("delta = 2 * (a[L] - Y) * sig_prime(zs[L])",  # in place, but no value changed
                  "delta = 2 * (a[L] - Y) * sig_prime(zs[L]); [W.__imul__(1.0) for W in weights]"),
}
DEEPER = ("--set", "network.layers=[2,3,3,1]")  # xor's 2-3-3-1: no two layers shaped alike but w^(2)


def student(folder: Path, change: str) -> Path:
    old, new = STUDENT_CHANGES[change]
    assert old in STUDENT
    f = folder / f"{change}.py"
    f.write_text(STUDENT.replace(old, new, 1))
    return f


@pytest.mark.parametrize("extra", [[], ["--convergence"]], ids=["check", "convergence"])
def test_a_refused_backward_prints_a_json_object_naming_its_source(tmp_path, extra):
    """A TA's loop over students' files with --json got nothing on stdout and exit 2 alike when a
    student's code was broken and when the TA's own command was wrong. Now stdout has one object,
    "source": "backward" for the student's code (with its file, and the line when known) and "input"
    for the rest; the error line on stderr and the exit stay."""
    xor = ROOT / "configs" / "xor.yaml"
    expected = {"syntax": {"line": 10}, "missing": {}, "raises": {"line": 21}, "swapped": {}, "bias_row": {}}
    for change, more in expected.items():
        f = student(tmp_path, change)
        r = invoke("gradcheck", xor, *DEEPER, "--backward", f"{f}:backward", "--json", *extra)
        assert r.exit_code == 2, (change, r.output)
        lines = r.stderr.splitlines()
        assert len(lines) == 1 and lines[0].startswith("error: backward"), (change, r.stderr)
        assert json.loads(r.stdout) == {"status": "error", "source": "backward", "error": lines[0][7:],
                                        "file": str(f), **more}, change
    ok = student(tmp_path, "correct")
    for args, words in (((xor, "--backward", f"{tmp_path / 'gone.py'}:backward"), "not found"),
                        ((xor, "--backward", str(ok)), "must look like FILE.py:FUNCTION"),
                        ((tmp_path / "nope.yaml", "--backward", f"{ok}:backward"), "config file not found"),
                        ((xor, "--backward", f"{ok}:backward", "--set", "network.layers=[2,x,1]"), "network.layers")):
        r = invoke("gradcheck", *args, "--json", *extra)
        assert r.exit_code == 2, (args, r.output)
        data = json.loads(r.stdout)
        assert data["status"] == "error" and data["source"] == "input" and words in data["error"], data
        assert r.stderr.splitlines()[0] == f"error: {data['error']}"
    r = invoke("gradcheck", xor, "--backward", f"{ok}:backward", "--json", *extra)  # and when it passes: the report
    assert r.exit_code == 0 and json.loads(r.stdout)["passed"] is True, r.output


def test_a_complex_gradient_is_refused_not_passed_with_a_numpy_warning(tmp_path):
    """The right gradient + 5j got 'gradcheck: PASS', exit 0, under numpy's 'ComplexWarning: Casting
    complex values to real discards the imaginary part' (gradcheck.py's line on stderr); now the
    refusal a broken return gets: one line, exit 2, and --json's "source": "backward"."""
    f = student(tmp_path, "complex")
    r = invoke("gradcheck", ROOT / "configs" / "xor.yaml", *DEEPER, "--backward", f"{f}:backward", "--json")
    assert r.exit_code == 2, r.output
    said = (f"backward {f}:backward: dw[0] (∂C/∂w^(1)) is complex; return real arrays (its imaginary parts, up "
            "to 5, would be dropped)")
    assert r.stderr == f"error: {said}\n"
    assert json.loads(r.stdout) == {"status": "error", "source": "backward", "error": said, "file": str(f)}


@pytest.mark.parametrize("extra", [[], ["--json"]], ids=["report", "json"])
def test_a_backward_that_closes_stdout_is_told_so_in_one_line(tmp_path, extra):
    """sys.stdout.close() in a student's backward ended in a traceback, 'ValueError: I/O operation on
    closed file' from the report's first write, exit 1 (under --json, where its prints go to stderr, it
    closed stderr). Now one line naming the file, exit 2; stdout and stderr stay open for it."""
    f = student(tmp_path, "closes_stdout")
    r = invoke("gradcheck", ROOT / "configs" / "xor.yaml", *DEEPER, "--backward", f"{f}:backward", *extra)
    said = (f"backward {f}:backward: closed sys.stdout (standard output); leave it open: gradcheck writes its "
            "report and errors there")
    assert r.exit_code == 2 and r.stderr == f"error: {said}\n", r.output
    if extra:
        assert json.loads(r.stdout) == {"status": "error", "source": "backward", "error": said, "file": str(f)}
    else:
        assert r.stdout == ""


@pytest.mark.parametrize("extra", [[], ["--json"]], ids=["report", "json"])
def test_a_backward_that_closes_the_process_stdout_is_told_so_in_one_line(tmp_path, extra, monkeypatch):
    """sys.__stdout__.close() (the process's own stdout, which the report is written to) ended in a
    traceback from commands/common.py's _until_done, 'ValueError: I/O operation on closed file', exit 1.
    Now one line as for sys.stdout.close(), exit 2, and sys.__stdout__ is the same stream afterwards."""
    import io

    own = io.TextIOWrapper(io.BytesIO())  # in-process: not the test process's real stdout
    monkeypatch.setattr(sys, "__stdout__", own)
    f = student(tmp_path, "closes_own_stdout")
    r = invoke("gradcheck", ROOT / "configs" / "xor.yaml", *DEEPER, "--backward", f"{f}:backward", *extra)
    said = (f"backward {f}:backward: closed sys.__stdout__ (standard output); leave it open: gradcheck writes its "
            "report and errors there")
    assert r.exit_code == 2 and r.stderr == f"error: {said}\n", r.output
    assert sys.__stdout__ is own and not own.closed
    if extra:
        assert json.loads(r.stdout) == {"status": "error", "source": "backward", "error": said, "file": str(f)}

def test_a_refused_backwards_file_is_named_as_typed_whatever_refused_it(tmp_path, monkeypatch):
    """`--backward ../st/mine.py:backward`: a missing function's object gave "file": "../st/mine.py",
    a swapped return's "/x/repo/../st/mine.py": a grading loop grouping by file saw two students."""
    (tmp_path / "st").mkdir()
    (tmp_path / "repo").mkdir()
    monkeypatch.chdir(tmp_path / "repo")
    for change in ("swapped", "missing", "raises"):
        typed = f"../st/{student(tmp_path / 'st', change).name}"
        name = "nothere" if change == "missing" else "backward"
        r = invoke("gradcheck", ROOT / "configs" / "xor.yaml", *DEEPER, "--backward", f"{typed}:{name}", "--json")
        assert r.exit_code == 2 and json.loads(r.stdout)["file"] == typed, (change, r.output)

def test_an_option_refused_while_parsing_gradcheck_json_is_an_input_object(monkeypatch, capsys):
    """`gradcheck --json --mode bogus` is refused by the command line's parser, before the command
    runs: the same object, "source": "input", with the hint stderr has."""
    from backprop_cli import cli

    monkeypatch.setattr(sys, "argv", ["backprop", "gradcheck", "--json", "--mode", "bogus"])
    with pytest.raises(SystemExit) as info:
        cli.main()
    out, err = capsys.readouterr()
    assert info.value.code == 2 and err.splitlines() == ["error: --mode: bogus is not one of: full, sample, fast",
                                                         "hint: see backprop gradcheck --help"]
    assert json.loads(out) == {"status": "error", "source": "input", "hint": "see backprop gradcheck --help",
                               "error": "--mode: bogus is not one of: full, sample, fast"}
    monkeypatch.setattr(sys, "argv", ["backprop", "gradcheck", "--mode", "bogus"])  # without --json: none
    with pytest.raises(SystemExit):
        cli.main()
    assert capsys.readouterr().out == ""


def test_a_backward_that_updates_the_weights_it_is_given_is_told_so(tmp_path):
    """Seed 001 updates w inside backprop, so students write weights[l-1] -= η·dw[l-1] before the
    hand-back δ^(l) @ w^(l): it got only "likely a bug" and "no simple pattern". The change is
    seen (the arrays handed in against the network's after the call) and said under the header
    and in --json's "warnings" (test_gradcheck: the check still perturbs the weights as they were)."""
    xor = ROOT / "configs" / "xor.yaml"
    f = student(tmp_path, "in_place")
    r = invoke("gradcheck", xor, *DEEPER, "--backward", f"{f}:backward")
    assert r.exit_code == 1, r.output
    said = ("warning: your backward changed weights[0], weights[1] and weights[2] (w^(1), w^(2), w^(3)) in place: "
            "an error handed back after such an update (δ^(l) @ w^(l)) uses the updated w; compute all gradients before any "
            "update (and update outside the backward)")
    assert said in " ".join(r.stdout.split()), r.stdout
    assert r.stdout.splitlines()[1].startswith("warning: your backward changed"), r.stdout  # under the header
    mine = json.loads(invoke("gradcheck", xor, *DEEPER, "--backward", f"{f}:backward", "--json").stdout)
    assert len(mine["warnings"]) == 1 and mine["warnings"][0].startswith(said[len("warning: "):])
    right = json.loads(invoke("gradcheck", xor, *DEEPER, "--backward", f"{student(tmp_path, 'correct')}:backward",
                              "--json").stdout)
    assert right["warnings"] == [] and right["passed"] is True
    assert [t["status"] for t in mine["tensors"]] == ["fail"] * 4 + ["pass"] * 2  # w^(3), b^(3): used before
    sweep = json.loads(invoke("gradcheck", xor, *DEEPER, "--backward", f"{f}:backward", "--json",
                              "--convergence").stdout)
    assert sweep["warnings"] == mine["warnings"]
    same = invoke("gradcheck", xor, *DEEPER, "--backward", f"{student(tmp_path, 'times_one')}:backward", "--json")
    assert same.exit_code == 0 and json.loads(same.stdout)["warnings"] == []  # written to, but unchanged


@pytest.mark.parametrize("change, words", [
    ("swapped", "dw[0] (∂C/∂w^(1)) has shape (3,), expected (3, 2); it looks like (db, dw): return dw, db, in that "
                "order"),
    ("reversed", "dw[0] (∂C/∂w^(1)) has shape (1, 3), expected (3, 2); the layers look reversed (layer 3 first): "
                 "return dw and db from layer 1 to 3, e.g. dw[::-1], db[::-1]"),
    ("bias_row", "db[0] (∂C/∂b^(1)) has shape (1, 3), expected (3,): a row, as sum(axis=0, keepdims=True) gives: "
                 "sum without keepdims, or .ravel() it (b^(l) is 1-D here)"),
    ("bias_column", "db[0] (∂C/∂b^(1)) has shape (3, 1), expected (3,): a column, as in the column-vector "
                    "convention: .ravel() it (b^(l) is 1-D here, and δ^(l) has one row per example: "
                    "delta.mean(axis=0), or delta.sum(axis=0) if your δ already carries the mean's 1/n)"),
])
def test_a_backward_returning_its_arrays_laid_out_otherwise_gets_the_fix(tmp_path, change, words):
    """(db, dw) for (dw, db), the layers from L down to 1, a bias gradient kept 2-D (keepdims, or
    the column-vector convention's (n, 1)): refused as before, one line, exit 2, now saying what
    to change."""
    f = student(tmp_path, change)
    r = invoke("gradcheck", ROOT / "configs" / "xor.yaml", *DEEPER, "--backward", f"{f}:backward")
    assert r.exit_code == 2 and r.stdout == "", r.output
    assert r.stderr.splitlines() == [f"error: backward {f}:backward: {words}"]


def test_a_function_named_like_an_emoji_code_is_printed_as_written(tmp_path):
    """Errors name FILE.py:FUNCTION followed by ':'; rich's emoji codes must not turn
    'mine.py:fire: …' into 'mine.py🔥 …' (function names such as bug, fire, zap, one)."""
    (tmp_path / "mine.py").write_text("def fire(weights, biases, X, Y, config):\n    return 1, 2, 3\n")
    r = invoke("gradcheck", "--backward", f"{tmp_path / 'mine.py'}:fire")
    assert r.exit_code == 2, r.output
    assert "mine.py:fire: returned a tuple of 3 values" in " ".join(r.stderr.split()), r.stderr


def test_the_convergence_table_keeps_every_number_whole_on_a_projector(monkeypatch, checked_once, shipped_sweep):
    """At 60 columns the ε sweep's figures were cut to '1.851e…': now the headers and the band's
    words wrap, and each figure stays whole."""
    data = json.loads(shipped_sweep("spirals").stdout)
    for width in (60, 72):
        monkeypatch.setenv("COLUMNS", str(width))
        r = invoke("gradcheck", ROOT / "configs" / "spirals.yaml", "--convergence")
        assert r.exit_code == 0, r.output
        head, _, table = r.output.split("╭")[0].partition("\n")  # the header: one line in a pipe, as ever
        assert head.startswith("checking backprop on 2-64-64-3 "), r.output
        assert "…" not in table and max(len(line) for line in table.splitlines()) <= width, table
        for key in ("max_rel_errors", "median_rel_errors", "global_ratios"):
            for v in data[key]:
                assert f"{v:.3e}" in table, (key, v, table)
        assert "kinks" in table and "crossed" in table, table  # a correct gradient's large ε: 'kinks crossed'


def test_a_correct_gradients_sweep_calls_its_large_steps_truncation_not_a_bug():
    """`gradcheck --convergence` on a correct backprop labelled ε = 0.1 'likely a bug' and 0.01 'suspicious'
    above 'convergence: PASS … the gradient is correct': those errors are the central difference's own,
    falling as ε². Above the best ε of a passing sweep they say so; a failing sweep keeps its bands."""
    r = invoke("gradcheck", "--convergence")
    assert r.exit_code == 0, r.output
    rows = {line.split()[0]: " ".join(line.split()[4:]) for line in r.stdout.splitlines()
            if re.match(r"^ *1e-0[1-8] ", line)}
    assert rows["1e-01"] == rows["1e-02"] == rows["1e-03"] == "truncation (ε²)", rows
    assert rows["1e-05"] == "excellent" and "bug" not in " ".join(rows.values()), rows


def test_a_flat_error_in_a_passing_sweep_keeps_its_band(tmp_path):
    """A gradient off by a factor 1 + 1e-6 passed (rtol 1e-5), and its ratio stays at ~5e-7 from ε = 1e-3
    down: every row above the best ε read 'truncation (ε²)', an error that does not fall at all. Only a
    row whose ratio falls as ε² to the next says so; the flat ones keep their band. That flat ratio is now
    a floor, not rounding (at ε = 1e-3 the costs' rounding is ~1e-11): the sweep fails it, exit 1, and
    its rows keep their bands all the more."""
    (tmp_path / "mine.py").write_text(
        "import numpy as np\nfrom backprop_cli import Network\n\n"
        "def close(weights, biases, X, Y, config):\n"
        "    net = Network.from_config(config)\n"
        "    net.weights, net.biases = [np.array(w) for w in weights], [np.array(b) for b in biases]\n"
        "    dw, db = net.gradients(X, Y)\n"
        "    return [g * (1 + 1e-6) for g in dw], [g * (1 + 1e-6) for g in db]\n")
    r = invoke("gradcheck", "--convergence", "--backward", f"{tmp_path / 'mine.py'}:close")
    assert r.exit_code == 1, r.output
    assert "a floor, not rounding" in " ".join(r.stdout.split()), r.output
    rows = {line.split()[0]: " ".join(line.split()[4:]) for line in r.stdout.splitlines()
            if re.match(r"^ *1e-0[1-8] ", line)}
    assert rows["1e-04"] == rows["1e-05"] == rows["1e-03"] == "good", rows
    assert "truncation (ε²)" not in rows.values(), rows
    # 1 + 1e-7 floors at ~5e-8, within rounding level (1e-7): a PASS, whose rows above the floor that fall as
    # ε² to the next say truncation, 1e-3's 1.5e-7 too (its excess over the floor falls to 1e-4's)
    (tmp_path / "closer.py").write_text((tmp_path / "mine.py").read_text().replace("1e-6", "1e-7"))
    r = invoke("gradcheck", "--convergence", "--backward", f"{tmp_path / 'closer.py'}:close")
    assert r.exit_code == 0, r.output
    rows = {line.split()[0]: " ".join(line.split()[4:]) for line in r.stdout.splitlines()
            if re.match(r"^ *1e-0[1-8] ", line)}
    assert rows["1e-01"] == rows["1e-02"] == rows["1e-03"] == "truncation (ε²)", rows
    assert rows["1e-04"] == rows["1e-05"] == "excellent", rows


def test_the_convergence_verdict_keeps_a_step_with_its_value_on_a_projector(monkeypatch, checked_once):
    """The sweep's panel was wrapped by rich at any space: at 80 columns its last line read
    'smallest ratio 2.113e-11 at ε =' over '1e-05', at 72 the verdict '… down to 3.158e-11 at ε ='
    over '1e-05, below which …'. It now breaks between words, never inside 'ε = 1e-05'."""
    for width in (60, 72, 80):
        monkeypatch.setenv("COLUMNS", str(width))
        for extra in ((), ("--layer", "2"), ("--layer", "1")):
            r = invoke("gradcheck", "--convergence", *extra)
            assert r.exit_code == 0, r.output
            panel = [line.strip("│ ") for line in r.output[r.output.index("╭"):].splitlines()[1:-1]]
            lines = r.output.splitlines()
            assert lines[0].startswith("checking backprop on 2-3-1 ")  # one line in a pipe
            assert all(len(line) <= width for line in lines[1:]), (width, r.output)
            assert not any(line.endswith(("ε =", " ε")) for line in panel), (width, panel)
            assert any("ε = 1e-05" in line for line in panel[-2:]), (width, panel)


def test_fast_mode_says_1_entry_located_not_1_entries(tmp_path):
    f = tmp_path / "mine.py"
    f.write_text(BUGGY)
    r = invoke("gradcheck", "--mode", "fast", "--backward", f"{f}:no_factor_two")
    assert r.exit_code == 1, r.output
    text = " ".join(r.output.split())
    assert "1 entry located" in text and "1 entries" not in text


def test_a_step_too_large_for_some_entries_is_judged_at_one_that_suits_them():
    """--eps 0.1 on the default network: the truncation (~1e-3) failed all 13 correct entries with
    exit 1. Now they are judged at a step that suits them, counted, and --fixed-eps keeps ε alone."""
    result = invoke("gradcheck", "--eps", "0.1")
    assert result.exit_code == 0, result.output
    said = " ".join(result.output.replace("│", " ").split())  # the panel's sentence wraps where it will
    assert "at another step 13" in result.output and "had an ε too large or too small for it" in said, said
    data = json.loads(invoke("gradcheck", "--eps", "0.1", "--json").output)
    assert data["n_stepped"] == 13 and data["n_unresolved"] == 0 and data["settings"]["adapt_step"] is True
    worst = data["tensors"][0]["worst"]
    assert worst["status"] == "step-ok" and 0 < worst["step"] < 0.1
    fixed = invoke("gradcheck", "--eps", "0.1", "--fixed-eps")
    assert fixed.exit_code == 1 and "at another step" not in fixed.output
    refused = invoke("gradcheck", "--convergence", "--fixed-eps")
    assert refused.exit_code == 2 and "--fixed-eps" in refused.output


def _table_rows(output: str) -> dict[str, list[str]]:
    """The tensor table's lines, by tensor: its row and the lines under it (stacked notes)."""
    table = output.split("gradient check:")[1].split("╭")[0]
    rows: dict[str, list[str]] = {}
    for line in table.splitlines():
        name = line.split()[0] if line.split() else ""
        if name[:2] in ("w^", "b^"):
            rows[name] = [line]
        elif rows and line.strip().startswith("("):
            rows[list(rows)[-1]].append(line)
    return rows


@pytest.mark.parametrize("args,field,word", [(["--eps", "0.1"], "n_stepped", "re-judged"),
                                             (["--rtol", "1e-12", "--atol", "0"], "n_unresolved", "unresolved")])
def test_each_tensor_says_how_many_of_its_entries_were_re_judged_or_left_unresolved(monkeypatch, args, field, word,
                                                                                   checked_once):
    """--eps 0.1: all 13 entries are judged at another step, and only the verdict panel said so
    ("at another step 13"); each row read a bare "pass". --rtol 1e-12: 13 unresolved, each row a
    bare "inconclusive". Now each row counts its own, as it counts its kinks: on one line where it
    fits (120 columns), under the status at 80 and 60, every figure whole and, at 80, every column
    kept. The JSON's per-tensor counts are the same figures and add up to the report's."""
    data = json.loads(invoke("gradcheck", *args, "--json").stdout)
    assert sum(t[field] for t in data["tensors"]) == data[field] == 13
    for width in (120, 80, 60):
        monkeypatch.setenv("COLUMNS", str(width))
        r = invoke("gradcheck", *args)
        assert r.exit_code in (0, 3), r.output
        table = r.output.split("gradient check:")[1].split("╭")[0]
        assert "…" not in table and max(len(line) for line in table.splitlines()) <= width, table
        head = next(line for line in table.splitlines() if "tensor" in line)
        assert ("max abs err" in head) == (width >= 80), table
        rows = _table_rows(r.output)
        for t in data["tensors"]:
            note = f"({t[field]} {word})"
            if width == 120:
                assert rows[t["name"]][0].rstrip().endswith(f"{t['status']} {note}"), table
            else:
                assert rows[t["name"]][0].rstrip().endswith(t["status"]) and rows[t["name"]][1].strip() == note, table


def test_the_re_judged_counts_stay_whole_in_ascii_without_colour():
    """An ASCII locale with NO_COLOR, in a pipe of 80 columns: the notes as in UTF-8, ASCII only."""
    import os
    import re
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k not in ("LC_ALL", "LANG", "PYTHONUTF8", "PYTHONIOENCODING")}
    r = subprocess.run([sys.executable, "-m", "backprop_cli", "gradcheck", "--eps", "0.1"], capture_output=True,
                       env={**env, "LC_ALL": "C", "PYTHONUTF8": "0", "NO_COLOR": "1", "COLUMNS": "80"}, timeout=60)
    assert r.returncode == 0, r.stderr
    out = r.stdout.decode("ascii")
    table = out.split("gradient check:")[1].split("+---")[1:-1]
    lines = [line for part in table for line in part.splitlines()]
    assert max(len(line) for line in lines) <= 80 and "max abs err" in out, out
    for n in (6, 3, 1):
        assert re.search(rf"\|\({n} re-judged\) *\|", out), out
    assert "\x1b[" not in out and "re-judged at another step 13" in " ".join(out.replace("|", " ").split())


def test_the_progress_bar_shows_the_look_at_other_steps_as_a_bar_of_its_own(monkeypatch):
    """--eps 0.1: the 13 entries' look at other steps (~10 evaluations each now, 46 before) ran
    after the one bar had reached 100%, which then sat there. It has a bar of its own now,
    "re-judging 13", and both end at 100%, every figure whole at 80 columns."""
    import io
    import re

    from rich.console import Console

    from backprop_cli import render
    from backprop_cli.commands import gradcheck as command

    buf = io.StringIO()
    monkeypatch.setattr(command, "stderr", lambda: Console(file=buf, force_terminal=True, width=80, color_system=None))
    monkeypatch.setattr(render, "animated", lambda console: True)
    r = invoke("gradcheck", "--eps", "0.1")
    assert r.exit_code == 0, r.output
    frames = [line for line in re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "\n", buf.getvalue()).splitlines() if line.strip()]
    last = {line.split("━")[0].split()[0]: line for line in frames}
    assert "re-judging 13" in last["re-judging"] and " 100% " in last["re-judging"], frames
    assert " 100% " in last["finite"] and "Ctrl-C stops" in last["finite"], frames
    assert all("…" not in line and len(line) <= 80 for line in frames), frames


def test_a_long_check_into_a_log_says_how_far_it_is_every_few_seconds(monkeypatch):
    """Into a pipe or a file (a CI log, `2>&1 | tee`), gradcheck printed nothing until its report: 784-1024-10
    on 16 examples sat silent for 39 s. It now writes a plain line on stderr every LOG_EVERY seconds,
    done of total, elapsed and about how long is left; a check shorter than that writes none."""
    import io

    from rich.console import Console

    from backprop_cli.commands import gradcheck as command

    buf = io.StringIO()
    monkeypatch.setattr(command, "stderr", lambda: Console(file=buf, width=80, color_system=None))
    r = invoke("gradcheck", "--eps", "0.1")
    assert r.exit_code == 0 and buf.getvalue() == "", buf.getvalue()  # under 10 s: no line
    monkeypatch.setattr(command, "LOG_EVERY", 0.0)
    r = invoke("gradcheck", "--eps", "0.1", "--json")
    assert r.exit_code == 0 and json.loads(r.stdout)["status"] == "pass", r.output  # stdout stays the JSON
    lines = buf.getvalue().splitlines()
    assert len(lines) > 5, lines
    for line in lines:
        m = re.fullmatch(r"gradcheck: finite differences (\d+(?:\.\d)?)% \(([\d,]+) of ([\d,]+) cost evaluations\), "
                         r"\d:\d\d:\d\d elapsed, about \d:\d\d:\d\d left(; re-judging \d+ entries at other steps)?", line)
        assert m, line
        done, total = (int(g.replace(",", "")) for g in m.group(2, 3))
        assert 0 < done < total and float(m.group(1)) < 100, line
    assert any("re-judging 13 entries" in line for line in lines), lines
    buf.truncate(0), buf.seek(0)  # --convergence too: a sweep of a large network was silent for minutes
    r = invoke("gradcheck", "--convergence", "--json")
    assert r.exit_code == 0 and json.loads(r.stdout)["status"] == "pass", r.output
    sweep = buf.getvalue().splitlines()
    assert sweep and all(line.startswith("gradcheck: finite differences ") for line in sweep), sweep
    # the time left is the rate so far: a fake clock, 10 s per call
    ticks = iter(range(0, 1000, 10))
    command_lines = io.StringIO()
    progress = command._logged(Console(file=command_lines, width=200), clock=lambda: float(next(ticks)))
    progress(250, 1000, None)  # 10 s for 250: 30 s for the 750 left
    progress(1000, 1000, None)  # done: the report follows, no line
    assert command_lines.getvalue() == ("gradcheck: finite differences 25% (250 of 1,000 cost evaluations), "
                                        "0:00:10 elapsed, about 0:00:30 left\n")


@pytest.mark.parametrize("width", [60, 72])
def test_the_progress_bars_keep_their_times_whole_on_a_projector(monkeypatch, width):
    """At 60 columns the bars read 'finite differences ━ 100% … elapsed · 0… left · Ctrl-C stops':
    rich cut the times to make room for the tail. The times stay whole, and below 80 columns the
    tail is 'left' alone."""
    import io
    import re

    from rich.console import Console

    from backprop_cli import render
    from backprop_cli.commands import gradcheck as command

    buf = io.StringIO()
    monkeypatch.setattr(command, "stderr", lambda: Console(file=buf, force_terminal=True, width=width,
                                                           color_system=None))
    monkeypatch.setattr(render, "animated", lambda console: True)
    r = invoke("gradcheck", "--eps", "0.1")
    assert r.exit_code == 0, r.output
    frames = [line for line in re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "\n", buf.getvalue()).splitlines() if line.strip()]
    last = {line.split("━")[0].split()[0]: line for line in frames}
    for name in ("finite", "re-judging"):
        assert re.search(r" 100% \d:\d\d:\d\d elapsed · \d:\d\d:\d\d left *$", last[name]), frames
    assert all("…" not in line and len(line) <= width for line in frames), frames


def test_a_dead_relu_network_passes_without_a_bug_band_beside_it(tmp_path):
    """Seed 001's network with a hidden z of exactly 0 printed 'gradcheck: PASS' over 'global
    ratio … = 1.000e+00  almost surely a bug' and max rel errors of 1.00e+00."""
    (tmp_path / "one.csv").write_text("x,y\n2,3\n")
    (tmp_path / "c.yaml").write_text(
        "path: one.csv\ntarget: y\ntask: regression\ntest_fraction: 0\nlayers: [1, 1, 1]\n"
        "activation: ReLU\nweights: [[[0.5]], [[1.5]]]\nbiases: [[-1], [0]]\nloss: half_squared_error\n")
    r = invoke("gradcheck", tmp_path / "c.yaml")
    assert r.exit_code == 0, r.output
    text = " ".join(r.output.replace("│", " ").split())
    assert "PASS" in text and "= 1.000e+00" not in text and "1.00e+00" not in text, r.output
    assert "(‖a‖ + ‖n‖) = — no entry, analytic or numeric, reaches atol = 1.6e-09" in text, r.output


def test_help_names_leaky_relu_kinks_and_the_ratio_over_entries_of_at_least_atol(monkeypatch):
    """--help said 'ReLU entries whose step crosses z = 0 are marked kink', where leaky_relu's
    are re-checked too (as the README says), and gave the ratio without the atol it now follows."""
    monkeypatch.setenv("COLUMNS", "200")
    text = " ".join(invoke("gradcheck", "--help").output.replace("│", " ").split())
    assert "relu and leaky_relu entries whose step crosses z = 0" in text, text
    assert "over the entries of at least atol" in text, text
    validate = " ".join(invoke("config", "validate", "--help").output.replace("│", " ").split())
    assert "'-' reads it from standard input" in validate, validate


@pytest.mark.parametrize("activation", ["relu", "silu", "linear"])
def test_an_overflowing_forward_pass_names_its_layer(tmp_path, activation):
    """Weights of 1e200: z^(2) overflows. The refusal said only 'the forward pass overflows';
    it now says where, as explain does."""
    r = runner.invoke(app, ["gradcheck", str(extreme_config(tmp_path, activation, "1e200"))])
    assert r.exit_code == 2 and "Traceback" not in r.output
    assert "the forward pass overflows at layer 2 of 2: z_0^(2) = " in r.output, r.output
    assert "for checked example 1, row 1 of the training split), so there is no gradient to check" in r.output


@pytest.mark.parametrize("cost", ["squared_error", "half_squared_error"])
def test_a_cost_that_overflows_at_the_output_says_so_as_explain_does(tmp_path, cost):
    """Weights of 1e80, linear: z^(2) = 2e160 is finite, its square is not. The refusal read 'the
    forward pass overflows in the cost'; it now says the cost overflows at the output and how
    large the output and target are, in explain's words for the same example."""
    config = extreme_config(tmp_path, "linear", "1e80", cost)
    r = runner.invoke(app, ["gradcheck", str(config)])
    assert r.exit_code == 2 and "Traceback" not in r.output, r.output
    assert (f"is inf at these parameters (the cost {cost} of checked example 1, row 1 of the training split, "
            "overflows at the output: |a^(2)| up to 2e+160, |y| up to 1), so there is no gradient to check"
            in r.output), r.output
    assert "forward pass" not in r.output and "in the cost" not in r.output, r.output
    assert "hint: check a model whose cost is finite" in r.output, r.output
    r = runner.invoke(app, ["explain", str(config), "--layer", "L", "--example", "1"])
    assert r.exit_code == 2 and "it overflows at the output (|a^(2)| up to 2e+160, |y| up to 1)" in r.output


def test_an_overflowing_forward_pass_names_the_row_it_checked(tmp_path):
    """The CLI checks rows it draws from the training split (--seed): 'checked example 1' alone
    named no row a user can find; the row is said too, as the report's header says its rows."""
    path = tmp_path / "c.yaml"
    path.write_text("seed: 0\ndata: {dataset: circles}\nnetwork: {layers: [2, 2, 1], activation: relu, "
                    "weights: [[[1e200, 0], [0, 0]], [[1e200, 0]]], biases: [[0, 0], [0]]}\n")
    r = runner.invoke(app, ["gradcheck", str(path), "--seed", "3"])
    assert r.exit_code == 2, r.output
    said = re.search(r"z_0\^\(2\) = inf for checked example (\d), row (\d+) of the training split\)", r.output)
    assert said, r.output
    train_x = prepare(load_config(path)).train.X
    rows = np.sort(np.random.default_rng(3).choice(len(train_x), 4, replace=False))  # the CLI's draw
    assert rows[int(said[1])] == int(said[2])
    assert train_x[int(said[2]), 0] > 0 and all(train_x[r, 0] <= 0 for r in rows[:int(said[1])])


@pytest.mark.parametrize("mode", ["full", "fast"])
@pytest.mark.parametrize("activation,cost", [("tanh", "squared_error"), ("sigmoid", "cross_entropy")])
def test_weights_too_large_for_any_step_are_unresolved_not_failed(tmp_path, activation, cost, mode):
    """w = 1e300: w ± ε rounds back to w, so every step is grown to ε·|w| (1e295), across which
    tanh and σ are flat: the quotients of 2ε and ε/2 agreed, near 0, and backprop's correct
    −0.5 was judged a failure (exit 1). A grown step cannot judge: unresolved, exit 3. In fast
    mode the random direction failed, and the tensor with it, though bisection located the
    error only on such entries (and said it was 'spread thinly over many entries')."""
    r = runner.invoke(app, ["gradcheck", str(extreme_config(tmp_path, activation, "1e300", cost)), "--json",
                            "--mode", mode])
    assert r.exit_code == 3, r.output
    data = json.loads(r.stdout)
    assert data["status"] == "inconclusive" and data["n_failed"] == 0, data


@pytest.mark.parametrize("mode", ["full", "fast"])
@pytest.mark.parametrize("cost", ["squared_error", "half_squared_error"])
def test_a_bias_behind_weights_of_1e155_is_unresolved_not_failed(tmp_path, cost, mode):
    """σ, every weight ±1e155: ∂C/∂b^(1) = δ^(2)·w^(2)·σ'(0) ≈ ±1.6e153 (correct), but a move of
    ~1e-155 in b^(1) saturates z^(2), so every step's cost change is the same and its quotient is
    ∝ 1/h (3.95e4 at 3.2e-6, 1.25e4 at 1e-5): no step measures that slope. The quotients' range
    stood for the slope, a lay far outside it, and the check said FAIL (exit 1), 'the analytic
    values are backprop's own (correct) gradient, which fails these entries too'."""
    r = runner.invoke(app, ["gradcheck", str(extreme_config(tmp_path, "sigmoid", "1e155", cost)), "--json",
                            "--mode", mode])
    assert r.exit_code == 3, r.output
    data = json.loads(r.stdout)
    assert data["status"] == "inconclusive" and data["n_failed"] == 0, data
    b1 = data["tensors"][1]
    assert b1["name"] == "b^(1)" and b1["status"] == "inconclusive", b1
    if mode == "full":
        assert [e["status"] for e in b1["kinks"]] == ["unresolved", "unresolved"], b1
        assert abs(b1["kinks"][0]["analytic"]) == pytest.approx(1.5625e153 / (2 if cost.startswith("half") else 1))
    text = invoke("gradcheck", extreme_config(tmp_path, "sigmoid", "1e155", cost), "--mode", mode).output
    assert "which fails these entries too" not in " ".join(text.replace("│", " ").split())


@pytest.mark.parametrize("mode", ["full", "sample", "fast"])
def test_unresolved_notes_give_the_reason_no_step_judges_and_advice_that_can_work(tmp_path, mode):
    """σ, weights ±1e155 (XOR 2-2-1, zero biases; backprop correct): each inconclusive tensor's note
    said its quotients 'disagree', 'judge by --convergence, or loosen --rtol/--atol', where
    --convergence itself answers CANNOT JUDGE (pointing back at this check) and no tolerance helps a
    relative error of 1.0. The note now says why, per reason with counts: b^(1)'s cost changes by the
    same amount at ε and the steps below it (a near-step), w^(2)'s steps had to be grown to move θ at
    all (a fast-mode direction: bent by the tensor's rounding), and advises weights nearer 1. The
    global ratio's "—" no longer reads as if a lower --atol were the fix: the 4 unresolved are out."""
    path = extreme_config(tmp_path, "sigmoid", "1e155")
    r = runner.invoke(app, ["gradcheck", str(path), "--mode", mode, "--json"])
    assert r.exit_code == 3, r.output
    b1, w2 = (t for t in json.loads(r.stdout)["tensors"] if t["name"] in ("b^(1)", "w^(2)"))
    if mode == "fast":  # the directions cannot judge either; tensors this small are then checked entry by entry
        assert (b1["directional"]["reason"], w2["directional"]["reason"]) == ("near-step", "bent"), (b1, w2)
    assert b1["unresolved_reasons"] == {"near-step": 2} and w2["unresolved_reasons"] == {"grown": 2}, (b1, w2)
    assert [e["reason"] for e in b1["kinks"] + w2["kinks"]] == ["near-step"] * 2 + ["grown"] * 2
    r = runner.invoke(app, ["gradcheck", str(path), "--mode", mode], env={"COLUMNS": "100"})
    assert r.exit_code == 3, r.output
    text = " ".join(r.output.replace("│", " ").split())
    notes = text.split("gradcheck: INCONCLUSIVE", 1)[1]
    assert "--convergence" not in notes and "loosen" not in notes and "lower --atol" not in text, text
    assert notes.count("Try weights nearer 1 (a fresh init, standardized inputs)") == 2, text
    assert "change the cost by the same amount at ε and the next steps below it" in notes, text
    assert "(|θ| up to 1e+155) had to be grown to ε·|θ| to move θ at all (θ ± ε rounds back to θ)" in notes, text
    readme = " ".join((ROOT / "README.md").read_text(encoding="utf-8").split())
    assert '"unresolved_reasons": {reason: int}' in readme and '"status", "step", "reason"}' in readme
    unjudged = "the 2 directions not judged" if mode == "fast" else "the 4 unresolved"
    assert f"(such {'directions' if mode == 'fast' else 'entries'} pass on atol); {unjudged} are not in the ratio" in text


def test_a_slope_only_the_smallest_steps_begin_to_follow_is_a_near_step_too(tmp_path):
    """σ, weights ±1e10: b^(1)'s cost changes by the same 0.12 at ε and down to 3e-9, and only steps
    of 1e-11 begin to follow its slope of 1.6e8, never to the tolerance. The note sent the user to
    --convergence, which cannot judge it either (it says so, exit 3): now a near-step, weights nearer 1."""
    path = extreme_config(tmp_path, "sigmoid", "1e10")
    r = runner.invoke(app, ["gradcheck", str(path), "--json"])
    assert r.exit_code == 3, r.output
    b1 = json.loads(r.stdout)["tensors"][1]
    assert b1["name"] == "b^(1)" and b1["unresolved_reasons"] == {"near-step": 2}, b1
    assert invoke("gradcheck", path, "--convergence").exit_code == 3


def test_fast_mode_steps_the_weights_round_away_are_no_verdict(tmp_path):
    """tanh, weights ±1e10: a unit in their last place is 1.9e-6, so a direction moved by 1e-5
    is bent by 20% in w^(2), and by 1e-7 not moved at all: both costs equal, quotients of 0 that
    two steps 'agreed' on, and vᵀ∇C = −0.26 failed (exit 1) where --mode full, whose entries are
    divided by the step actually taken, passes. Such steps are no evidence: the direction is
    unresolved (it was then inconclusive, exit 3), and w^(2)'s two entries, checked one by one as
    full mode checks them, pass it, as full mode does: exit 0."""
    path = extreme_config(tmp_path, "tanh", "1e10")
    assert invoke("gradcheck", path).exit_code == 0
    r = runner.invoke(app, ["gradcheck", str(path), "--json", "--mode", "fast"])
    assert r.exit_code == 0, r.output
    w2 = json.loads(r.stdout)["tensors"][2]
    assert w2["name"] == "w^(2)" and w2["status"] == "pass" and w2["n_checked"] == 2, w2
    assert w2["directional"]["status"] == "unresolved" and w2["directional"]["reason"] == "bent", w2


@pytest.mark.parametrize("activation, w, eps, mode", [
    ("sigmoid", "1e5", "1e-12", "full"), ("sigmoid", "1e10", "1e-12", "sample"),
    ("sigmoid", "1e10", "1e-13", "full"), ("sigmoid", "1e10", "1e-14", "full")])
def test_a_tiny_eps_on_steep_weights_does_not_fail_a_correct_backprop(tmp_path, activation, w, eps, mode):
    """The forward pass rounds far above the cost's u·|C| there: σ(h) = ½ + h/4 is kept to an ulp
    of ½ and weights of 1e10 multiply that by 1e10, so b^(1)'s quotient at ε = 1e-12 is off by 1e-4.
    It FAILED (exit 1) two ways in full and sample mode: n at ε/2 and 2ε carry the same rounding as
    n at ε (a step × 2 keeps its mantissa), so ε 'suited' it; and below 3e-16 the costs do not
    change at all, a pair of 0s that bounded how far the slope lay beyond every quotient. Now the
    first look steps by 3 and such 0s bound nothing: exit 0 or 3. (Fast mode's directions can still
    see two rungs agree by chance within that rounding: README.)"""
    path = extreme_config(tmp_path, activation, w)
    r = runner.invoke(app, ["gradcheck", str(path), "--eps", eps, "--mode", mode, "--json"])
    assert r.exit_code in (0, 3), r.output
    assert all(t["n_failed"] == 0 for t in json.loads(r.stdout)["tensors"])


def test_a_planted_bug_on_steep_weights_still_fails_at_a_small_eps(tmp_path):
    """The rounding the tiny-ε fix allows for does not hide a wrong gradient where ε resolves it:
    σ, weights ±1e5, b^(1) × 1.01 (a user backward; w^(1) is 0 there, saturated) fails at the
    default ε and at 1e-6 and 1e-8."""
    path = extreme_config(tmp_path, "sigmoid", "1e5")
    code = tmp_path / "wrong.py"
    code.write_text(
        "from backprop_cli.network import Network\n"
        "def backward(weights, biases, X, Y, config):\n"
        "    net = Network([2, 2, 1], 'sigmoid')\n"
        "    for mine, given in zip(list(net.weights) + list(net.biases), weights + biases):\n"
        "        mine[...] = given\n"
        "    dw, db = net.gradients(X, Y)\n"
        "    db[0] = db[0] * 1.01\n"
        "    return dw, db\n")
    for eps in ("1e-5", "1e-6", "1e-8"):
        assert invoke("gradcheck", path, "--eps", eps, "--backward", f"{code}:backward").exit_code == 1


@pytest.mark.parametrize("cost", ["squared_error", "half_squared_error"])
def test_convergence_cannot_judge_a_slope_no_step_measures(tmp_path, cost):
    """σ, every weight ±1e155 (the case above): the sweep's error is 1.000 at every ε, and it said
    FAIL, 'the analytic gradient is wrong, and no choice of ε will fix it' (exit 1), of a correct
    backprop. Its quotients never settle: w's steps had to be grown to ε·|θ|, and b^(1)'s cost
    changes by the same amount at every ε (quotients ∝ 1/ε). It cannot judge: exit 3, with why,
    and no band beside the ratios ("almost surely a bug" eight times above a verdict withheld)."""
    path = extreme_config(tmp_path, "sigmoid", "1e155", cost)
    r = runner.invoke(app, ["gradcheck", str(path), "--convergence", "--json"])
    assert r.exit_code == 3, r.output
    data = json.loads(r.stdout)
    assert data["status"] == "inconclusive" and not data["passed"], data
    assert "grown to ε·|θ|" in data["verdict"] and "grow ∝ 1/ε" in data["verdict"], data["verdict"]
    r = invoke("gradcheck", path, "--convergence")
    text = " ".join(r.output.replace("│", " ").split())
    assert r.exit_code == 3 and "convergence: CANNOT JUDGE" in text, text
    assert "cannot say it is wrong (or right)" in text and "Try weights nearer 1" in text, text
    assert "is wrong," not in text and "almost surely a bug" not in text and " band " not in text, text


def test_convergence_on_extreme_weights_never_fails_a_correct_backprop(tmp_path):
    """XOR 2-2-1, every weight ±w, zero biases: 40 of these configs (sigmoid from 1e10, tanh,
    softplus, silu, linear from 1e20, relu and leaky ReLU already at 1, whose unit at z = 0 every
    step crosses) got FAIL, exit 1, from --convergence with our correct backprop. Now each either
    passes, is refused (a cost that overflows, exit 2) or cannot be judged (exit 3)."""
    codes, out = {}, {}
    for activation in ("sigmoid", "tanh", "relu", "leaky_relu", "elu", "softplus", "silu", "linear"):
        for w in ("1", "1e10", "1e20", "1e50", "1e155", "1e300"):
            r = invoke("gradcheck", extreme_config(tmp_path, activation, w), "--convergence", "--json")
            codes[activation, w], out[activation, w] = r.exit_code, r.stdout
            if r.exit_code == 3:
                assert json.loads(r.stdout)["status"] == "inconclusive", r.stdout
    assert 1 not in codes.values(), codes
    assert codes["relu", "1"] == codes["tanh", "1e20"] == codes["sigmoid", "1e10"] == 3, codes
    assert codes["tanh", "1"] == codes["elu", "1"] == 0, codes
    relu = json.loads(out["relu", "1"])
    assert "cross ReLU kinks at every ε (a unit at z = 0)" in relu["verdict"], relu
    assert "Try units off z = 0 (nonzero biases)" in relu["verdict"], relu


@pytest.mark.parametrize("w", ["1e3", "1e5"])
def test_convergence_still_fails_a_planted_bug_on_large_weights(tmp_path, monkeypatch, w):
    """One layer's gradient ×1.5 (a planted bug) must fail the sweep as before, on large weights
    too: the quotients there settle, and away from the analytic value. An ELU network's every step
    crosses its bend at z = 0, where σ' is continuous: its quotients converge (as ε), so they count."""
    from backprop_cli.network import Network

    correct = Network.gradients

    def planted(self, X, Y):
        dw, db = correct(self, X, Y)
        return dw[:-1] + [dw[-1] * 1.5], db[:-1] + [db[-1] * 1.5]

    monkeypatch.setattr(Network, "gradients", planted)
    for activation in ("sigmoid", "tanh", "elu", "softplus", "silu", "linear"):
        r = invoke("gradcheck", extreme_config(tmp_path, activation, w), "--convergence", "--json")
        assert r.exit_code == 1, (activation, r.output)
        assert json.loads(r.stdout)["status"] == "fail", r.stdout
    r = invoke("gradcheck", ROOT / "configs" / "xor.yaml", "--convergence")
    assert r.exit_code == 1 and "convergence: FAIL" in r.output, r.output


def test_a_diagnosis_does_not_break_inside_its_reference_or_formula(monkeypatch, tmp_path, checked_once):
    """At 60 columns (a projector) the diagnosis under a failing tensor read `(seed 000,` over
    `eq. 4)`, and a narrow table's caption `(--json has every` over `figure)`: a line now breaks
    between words outside a formula and a short bracket; the words are those rich printed."""
    import backprop_cli.render as render

    f = tmp_path / "mine.py"
    f.write_text(BUGGY)
    for width in (40, 60, 80, 100, 120):
        monkeypatch.setenv("COLUMNS", str(width))
        r = invoke("gradcheck", "--backward", f"{f}:no_factor_two")
        assert r.exit_code == 1, r.output
        lines = [line.strip().strip("│").strip() for line in r.output.splitlines()]
        split = ("(seed 000,", "(seed", "2(a −") + ("(--json has every",) * (width >= 50)  # a bracket up to half the line
        assert not any(line.endswith(split) for line in lines), (width, r.output)
        # one panel for the four tensors that share the diagnosis (it was said four times)
        assert sum("(seed 000, eq. 4)" in line for line in lines) == 1, (width, r.output)
        assert sum("∂C/∂a = 2(a − y)" in line for line in lines) == 1, (width, r.output)
        with monkeypatch.context() as m:
            m.setattr(render, "prose_broken", lambda text, width: text, raising=False)
            richs = invoke("gradcheck", "--backward", f"{f}:no_factor_two")
        assert " ".join(re.sub("[│╭╮╰╯─]", " ", r.output).split()) == \
            " ".join(re.sub("[│╭╮╰╯─]", " ", richs.output).split()), width


# --- a learner's backward with one of seed 001's mistakes, or with one no rule names --------------

LEARNER = '''
import numpy as np


def _sigmoid_net(weights, biases, X, Y, bug):
    """Sigmoid units, C = (a − y)² (the default config), as a learner writes it, with ``bug``."""
    L, n = len(weights), len(X)
    a, z = [X], [X]
    for w, b in zip(weights, biases):
        z.append(a[-1] @ w.T + b)
        a.append(1 / (1 + np.exp(-z[-1])))
    dw, db = [None] * L, [None] * L
    delta = 2 * (a[L] - Y) / n
    for l in range(L, 0, -1):
        if bug == "prime_of_a":  # σ'(a) for σ'(z): σ applied twice
            s = 1 / (1 + np.exp(-a[l]))
            delta = delta * s * (1 - s)
        elif not (bug == "no_prime_out" and l == L):
            delta = delta * a[l] * (1 - a[l])
        inp = z[l - 1] if bug == "z_input" or (bug == "z_input_last" and l == L) else a[l - 1]
        if bug == "sqrt_input" and l == L:
            inp = np.sqrt(inp)
        dw[l - 1], db[l - 1] = delta.T @ inp, delta.sum(axis=0)
        delta = delta @ weights[l - 1]
    if bug == "no_db_out":
        db[L - 1] = np.zeros_like(db[L - 1])
    if bug == "db1_times3":
        db[0] = 3 * db[0]
    return dw, db


def _relu_net(weights, biases, X, Y, bug):
    """ReLU hidden units and a linear output, C = ½(ŷ − y)² (configs/xor_relu.yaml), with ``bug``."""
    L, n = len(weights), len(X)
    a, z = [X], [X]
    for l, (w, b) in enumerate(zip(weights, biases), 1):
        z.append(a[-1] @ w.T + b)
        a.append(z[-1] if l == L else np.maximum(z[-1], 0))
    delta = (a[L] - Y) / n
    if bug == "relu_prime_out":  # seed 001's E_o = (ŷ − y) · R'(Z_o), for its ReLU output
        delta = delta * (z[L] > 0)
    if bug == "scaled_rows":  # δ^(L) off by a factor that varies from example to example
        delta = delta * (1 + X[:, :1])
    dw, db = [None] * L, [None] * L
    for l in range(L, 0, -1):
        dw[l - 1], db[l - 1] = delta.T @ a[l - 1], delta.sum(axis=0)
        delta = (delta @ weights[l - 1]) * (z[l - 1] > 0)
    return dw, db


def no_prime_out(w, b, X, Y, config): return _sigmoid_net(w, b, X, Y, "no_prime_out")
def prime_of_a(w, b, X, Y, config): return _sigmoid_net(w, b, X, Y, "prime_of_a")
def z_input(w, b, X, Y, config): return _sigmoid_net(w, b, X, Y, "z_input")
def z_input_last(w, b, X, Y, config): return _sigmoid_net(w, b, X, Y, "z_input_last")
def sqrt_input(w, b, X, Y, config): return _sigmoid_net(w, b, X, Y, "sqrt_input")
def no_db_out(w, b, X, Y, config): return _sigmoid_net(w, b, X, Y, "no_db_out")
def db1_times3(w, b, X, Y, config): return _sigmoid_net(w, b, X, Y, "db1_times3")
def good_sigmoid(w, b, X, Y, config): return _sigmoid_net(w, b, X, Y, None)
def relu_prime_out(w, b, X, Y, config): return _relu_net(w, b, X, Y, "relu_prime_out")
def scaled_rows(w, b, X, Y, config): return _relu_net(w, b, X, Y, "scaled_rows")
def good_relu(w, b, X, Y, config): return _relu_net(w, b, X, Y, None)
'''
XOR_RELU = ROOT / "configs" / "xor_relu.yaml"


def _diagnoses(tmp_path, function, *args):
    """{tensor: its diagnosis} of the failing tensors of `gradcheck ARGS --backward mine.py:FUNCTION
    --json`, LEARNER's code in mine.py (exit 1 asserted)."""
    f = tmp_path / "mine.py"
    f.write_text(LEARNER)
    r = invoke("gradcheck", *args, "--backward", f"{f}:{function}", "--json")
    assert r.exit_code == 1, r.output
    return {t["name"]: t["diagnosis"] for t in json.loads(r.stdout)["tensors"] if t["status"] == "fail"}


def test_seed_001s_relu_prime_copied_onto_a_linear_output_is_named(tmp_path):
    """Seed 001's E_o = (ŷ − y) · R'(Z_o) is for its ReLU output; copied onto xor_relu.yaml's linear
    output it read 'constant ratio ×-1.83399 … a constant factor is missing' (seed 0), 'the analytic
    gradient is exactly 0 … δ^(2) never reached layer 2' (seed 1, every z^(2) < 0) and 'only 2 of
    16 … local' (seed 3): every failing tensor now names it. With seed 1 (R'(z^(2)) = 0 on every row,
    so layer 1's gradient is all 0) R' of the wrong layer at every hand-back gives layer 1 those zeros
    too, and w^(1), b^(1) say why it is not that mistake."""
    words = ("the analytic values match backprop with δ^(2) = ∂C/∂a^(2) ⊙ R'(z^(2)): ReLU's derivative "
             "applied at the output, whose activation is linear (σ' = 1); seed 001 writes E_o = (ŷ − y) · R'(Z_o) "
             "for its own ReLU output")
    not_before_w = ("not R'(z^(l)) where R'(z^(l−1)) belongs in passing the error back from layer l: that gives "
                    "these same values, but not the analytic values of w^(2) and b^(2)")
    for seed in (0, 1, 3):
        found = _diagnoses(tmp_path, "relu_prime_out", XOR_RELU, "--set", f"seed={seed}")
        assert set(found) == {"w^(1)", "b^(1)", "w^(2)", "b^(2)"}, (seed, found)
        assert all(d == ([words, not_before_w] if seed == 1 and name.endswith("(1)") else [words])
                   for name, d in found.items()), (seed, found)
    # the same code without the mistake passes: the mistake is all there is to name
    for function, config in (("good_relu", XOR_RELU), ("good_sigmoid", ROOT / "configs" / "xor.yaml")):
        assert invoke("gradcheck", config, "--backward", f"{tmp_path / 'mine.py'}:{function}").exit_code == 0


def test_z_for_a_in_bp4_is_named_at_one_layer_and_at_every_layer(tmp_path):
    """Seed 001: "Input refers to the activation from the previous layer, not the weighted input, Z".
    z^(l−1) in ∂C/∂w^(l) read 'no simple pattern'. At the one layer l ≥ 2 of a 2-3-1 net, at every
    one of a 2-3-2-1 (the single-layer mistake, which gives w^(2)'s values too, ruled out by w^(3)),
    or at its last layer only (the every-layer one ruled out: it would change w^(2), which passes)."""
    assert _diagnoses(tmp_path, "z_input") == {"w^(2)": [
        "the analytic values match backprop with z^(1) where a^(1) belongs in ∂C/∂w^(2) (BP4: ∂C/∂w^(2) = "
        "δ^(2) (a^(1))ᵀ, the layer's input is the previous layer's activation a^(1) = σ(z^(1)), not its "
        "weighted input z^(1))"]}
    deeper = ("--set", "network.layers=[2,3,2,1]")
    every = ("the analytic values match backprop with z^(l−1) where a^(l−1) belongs in every ∂C/∂w^(l), "
             "l = 2…3 (BP4:")
    found = _diagnoses(tmp_path, "z_input", *deeper)
    assert set(found) == {"w^(2)", "w^(3)"}, found
    assert found["w^(2)"][0].startswith(every) and found["w^(3)"][0].startswith(every), found
    assert found["w^(2)"][1] == ("not z^(1) where a^(1) belongs in ∂C/∂w^(2): that gives these same values, "
                                 "but not the analytic values of w^(3)"), found
    found = _diagnoses(tmp_path, "z_input_last", *deeper)
    assert found == {"w^(3)": [
        "the analytic values match backprop with z^(2) where a^(2) belongs in ∂C/∂w^(3) (BP4: ∂C/∂w^(3) = "
        "δ^(3) (a^(2))ᵀ, the layer's input is the previous layer's activation a^(2) = σ(z^(2)), not its "
        "weighted input z^(2))",
        "not z^(l−1) where a^(l−1) belongs in every ∂C/∂w^(l), l = 2…3: that gives these same values, but "
        "would change w^(2), which passes"]}


def test_a_failing_w_with_no_pattern_whose_b_passes_points_at_the_layer_input(tmp_path):
    """√a^(1) for a^(1) in BP4 matches no classic mistake: 'no simple pattern' said nothing more,
    though b^(2) passing shows δ^(2) right, which leaves the input a^(1) BP4 multiplies it by."""
    found = _diagnoses(tmp_path, "sqrt_input")
    assert list(found) == ["w^(2)"], found
    pattern, b_passes = found["w^(2)"]
    assert pattern.startswith("no simple pattern: all 3 checked entries fail; analytic/numeric ranges "), pattern
    assert b_passes == ("b^(2) passes, so δ^(2) is right (BP3: ∂C/∂b^(2) is δ^(2) averaged over the examples): "
                        "look at the layer input a^(1) used in BP4, ∂C/∂w^(2) = δ^(2) (a^(1))ᵀ")


def test_mistakes_that_give_the_same_values_are_told_apart_by_the_other_tensors(tmp_path):
    """σ' left out of δ^(2) alone gives w^(2) and b^(2) the values that σ' left out of every δ^(l)
    gives: both were named. w^(1) and b^(1) tell them apart; with --layer 2 leaving them out, both
    are named, and the diagnosis says which check tells them apart. w^(1) and b^(1) get the values of
    ∂C/∂a^(2) handed back for δ^(2) as well, which w^(2) and b^(2) rule out."""
    alone = ("the analytic values match backprop with σ'(z^(2)) left out of δ^(2) (BP1: δ^(2) = ∂C/∂a^(2) "
             "⊙ σ'(z^(2)))")
    every = "σ'(z^(l)) left out of every δ^(l), l = 1…2"
    found = _diagnoses(tmp_path, "no_prime_out")
    assert found["w^(1)"] == found["b^(1)"] == [alone, "not ∂C/∂a^(2) handed back to layer 1 in place of δ^(2): "
                                                "that gives these same values, but not the analytic values of "
                                                "w^(2) and b^(2)"], found
    for name in ("w^(2)", "b^(2)"):
        assert found[name] == [alone, f"not {every}: that gives these same values, but not the analytic values "
                                      f"of w^(1) and b^(1)"], found
    found = _diagnoses(tmp_path, "no_prime_out", "--layer", "2")
    for name in ("w^(2)", "b^(2)"):
        assert found[name][0] == alone and found[name][1].startswith(
            f"the analytic values match backprop with {every} (BP1 and BP2"), found
        assert found[name][2] == (f"both mistakes give the same {name} here; w^(1) and b^(1), not checked, "
                                  f"tell them apart: check layer 1 too"), found


def test_the_error_entering_through_delta_is_worded_for_the_bias_in_its_box(tmp_path):
    """δ^(2) off by a factor that varies per example (xor_relu's 8 hidden units recover δ^(2) from
    BP4): b^(2)'s box said '∂C/∂w^(2) keeps the form δᵀ a^(1) of BP4', of another tensor."""
    found = _diagnoses(tmp_path, "scaled_rows", XOR_RELU)
    assert found["w^(2)"] == ["the error enters through δ^(2): ∂C/∂w^(2) keeps the form δᵀ a^(1) of BP4 with a "
                              "wrong δ^(2) (its ∂C/∂a^(2) or σ'(z^(2)) factor), not a wrong a^(1)"], found
    assert found["b^(2)"] == ["the error enters through δ^(2): ∂C/∂b^(2) is δ^(2) averaged over the examples "
                              "(BP3), and w^(2)'s failure keeps the form δᵀ a^(1) of BP4 with a wrong δ^(2) "
                              "(its ∂C/∂a^(2) or σ'(z^(2)) factor)"], found


def test_a_diagnosis_counts_one_and_two_entries_in_words(tmp_path):
    """'exactly 0 on all 1 checked entries', 'analytic/numeric = 3 on all 2 entries'."""
    (zero,) = _diagnoses(tmp_path, "no_db_out")["b^(2)"]
    assert zero.startswith("the analytic gradient is exactly 0 on the 1 checked entry while the numeric one "
                           "is not"), zero
    found = _diagnoses(tmp_path, "db1_times3", "--set", "network.layers=[2,2,1]")
    assert list(found) == ["b^(1)"] and found["b^(1)"][0] == (
        "constant ratio ×3: analytic/numeric = 3 on both entries: a constant factor is missing or extra"), found
    # a factor on b^(1) alone, w^(1) passing: BP3 is where it entered (a line since the ratio rule got it)
    assert found["b^(1)"][1:] == ["w^(1) passes, so δ^(1) is right (BP4: ∂C/∂w^(1) = δ^(1) (a^(0))ᵀ): look at "
                                  "BP3, ∂C/∂b^(1) = δ^(1): layer 1's own error, each example's δ^(1) averaged "
                                  "over the examples (the rows), one value per unit"], found


# --- a TA's audit of learners' backwards (session 26): wrong or missing diagnoses -----------------

# One sigmoid / squared_error backward with each learner's line of BP2 or BP3 as the audit found it.
AUDIT = """
import numpy as np

def sig(z):
    return 1.0 / (1.0 + np.exp(-z))

def sig_prime(z):
    return sig(z) * (1 - sig(z))

def _sigmoid(weights, biases, X, Y, bug):
    n = X.shape[0]
    a = [X]; zs = [None]
    for W, b in zip(weights, biases):
        z = a[-1] @ W.T + b
        zs.append(z); a.append(sig(z))
    L = len(weights)
    dw = [None] * L; db = [None] * L
    delta = 2 * (a[L] - Y) * sig_prime(zs[L])
    da = None
    for l in range(L, 0, -1):
        dw[l-1] = delta.T @ a[l-1] / n
        db[l-1] = delta.sum(axis=0) / n
        if bug == "bias_from_wrong_delta":
            db[l-1] = (delta @ weights[l-1] if l > 1 else delta).sum(axis=0)[:biases[l-1].size] / n
        if bug == "div0":
            with np.errstate(divide="ignore"):
                db[l-1] = delta.sum(axis=0) / (n - 4)
        if l > 1:
            da = delta @ weights[l-1]  # dC/da^(l-1)
            if bug == "handback_dCda":  # t10: 2(a - y) handed back, not delta^(L)
                delta = ((2 * (a[L] - Y) if l == L else delta) @ weights[l-1]) * sig_prime(zs[l-1])
            elif bug == "handback_dCda_hidden":  # the same one layer lower: dC/da^(l) for delta^(l), l = L - 1
                delta = ((da_above if l == L - 1 else delta) @ weights[l-1]) * sig_prime(zs[l-1])
            elif bug == "transposed":  # s01
                delta = (delta @ weights[l-1].T) * sig_prime(zs[l-1])
            elif bug == "a_times_1_minus_a_wrong":  # s15
                delta = (delta @ weights[l-1]) * a[l-1] * (1 - a[l])
            elif bug == "row_sum":  # s18
                delta = (delta @ weights[l-1]).sum(axis=1, keepdims=True) * sig_prime(zs[l-1])
            elif bug == "EoEh_mix":  # s09: sigma' of the output's z at every layer
                delta = (delta @ weights[l-1]) * sig_prime(zs[L])
            else:
                delta = (delta @ weights[l-1]) * sig_prime(zs[l-1])
            da_above = da
    return dw, db

def _relu(weights, biases, X, Y, bug):
    n = X.shape[0]
    a = [X]; zs = [None]
    L = len(weights)
    for l, (W, b) in enumerate(zip(weights, biases), start=1):
        z = a[-1] @ W.T + b
        zs.append(z); a.append(z if l == L else np.maximum(0, z))
    dw = [None] * L; db = [None] * L
    delta = (a[L] - Y)   # E_o
    for l in range(L, 0, -1):
        dw[l-1] = delta.T @ a[l-1] / n
        db[l-1] = delta.sum(axis=0) / n
        if l > 1:
            if bug == "Rprime_before_W":  # r09
                delta = (delta * (zs[l] > 0)) @ weights[l-1]
            elif bug == "sigmoid_prime":  # r05: a(1 - a) for R'
                delta = (delta @ weights[l-1]) * a[l-1] * (1 - a[l-1])
            else:
                delta = (delta @ weights[l-1]) * (zs[l-1] > 0)
    return dw, db

def handback_dCda(w, b, X, Y, config): return _sigmoid(w, b, X, Y, "handback_dCda")
def handback_dCda_hidden(w, b, X, Y, config): return _sigmoid(w, b, X, Y, "handback_dCda_hidden")
def transposed(w, b, X, Y, config): return _sigmoid(w, b, X, Y, "transposed")
def a_times_1_minus_a_wrong(w, b, X, Y, config): return _sigmoid(w, b, X, Y, "a_times_1_minus_a_wrong")
def row_sum(w, b, X, Y, config): return _sigmoid(w, b, X, Y, "row_sum")
def EoEh_mix(w, b, X, Y, config): return _sigmoid(w, b, X, Y, "EoEh_mix")
def bias_from_wrong_delta(w, b, X, Y, config): return _sigmoid(w, b, X, Y, "bias_from_wrong_delta")
def div0(w, b, X, Y, config): return _sigmoid(w, b, X, Y, "div0")
def good(w, b, X, Y, config): return _sigmoid(w, b, X, Y, None)
def Rprime_before_W(w, b, X, Y, config): return _relu(w, b, X, Y, "Rprime_before_W")
def sigmoid_prime(w, b, X, Y, config): return _relu(w, b, X, Y, "sigmoid_prime")
def good_relu(w, b, X, Y, config): return _relu(w, b, X, Y, None)
"""
XOR = ROOT / "configs" / "xor.yaml"


def _audit(tmp_path, function, *args):
    """{tensor: its diagnosis} of the failing tensors of `gradcheck ARGS --backward audit.py:FUNCTION --json`."""
    f = tmp_path / "audit.py"
    f.write_text(AUDIT)
    r = invoke("gradcheck", *args, "--backward", f"{f}:{function}", "--json")
    assert r.exit_code == 1, r.output
    return {t["name"]: t["diagnosis"] for t in json.loads(r.stdout)["tensors"] if t["status"] == "fail"}


def test_dC_da_handed_back_for_delta_is_named_not_a_sigma_prime_left_out_of_delta_L(tmp_path):
    """t10: `((2*(a[L] - Y) if l == L else delta) @ W) * σ'(z)`. w^(2), b^(2) pass, w^(1), b^(1) fail, and
    the diagnosis was 'σ'(z^(2)) left out of δ^(2)', which would fail w^(2) and b^(2). A mistake that would
    change a passing tensor is ruled out; the one named is ∂C/∂a^(2) handed back in place of δ^(2). One
    layer lower (2-3-3-1, ∂C/∂a^(2) handed to layer 1) it is named at layer 2."""
    found = _audit(tmp_path, "handback_dCda", XOR)
    # the same code without the mistake passes: the mistake is all there is to name
    for function, config in (("good", XOR), ("good_relu", ROOT / "configs" / "xor_relu.yaml")):
        assert invoke("gradcheck", config, "--backward", f"{tmp_path / 'audit.py'}:{function}").exit_code == 0
    assert set(found) == {"w^(1)", "b^(1)"}, found
    for d in found.values():
        assert d == [
            "the analytic values match backprop with ∂C/∂a^(2) = 2(a − y) handed back to layer 1 in place of δ^(2) = "
            "∂C/∂a^(2) ⊙ σ'(z^(2)): the error passed back through w^(2) lacks σ'(z^(2)) (BP2: δ^(1) = (w^(2))ᵀ δ^(2) "
            "⊙ σ'(z^(1)); seed 001's E_h = E_1 = E_2 · W_2 · σ'(Z_1) takes E_o = E_2 = C'(ŷ) · σ'(Z_2) = "
            "2(ŷ − y) · σ'(Z_2): C'(ŷ) times σ'(Z_2), not C'(ŷ) alone)",
            "not σ'(z^(2)) left out of δ^(2): that gives these same values, but would change w^(2) and b^(2), "
            "which pass"], found
    found = _audit(tmp_path, "handback_dCda_hidden", XOR, "--set", "layers=[2,3,3,1]")
    assert set(found) == {"w^(1)", "b^(1)"}, found
    for d in found.values():
        assert d[0].startswith("the analytic values match backprop with ∂C/∂a^(2) = (w^(3))ᵀ δ^(3) handed back to "
                               "layer 1 in place of δ^(2) = ∂C/∂a^(2) ⊙ σ'(z^(2)): the error passed back through "
                               "w^(2) lacks σ'(z^(2))"), d
        assert d[1] == ("not σ'(z^(2)) left out of δ^(2): that gives these same values, but would change w^(2) and "
                        "b^(2), which pass"), d


def test_a_wrong_line_of_bp2_or_bp3_with_no_named_mistake_is_located_by_the_tensors_that_pass(tmp_path):
    """s15 (a^(l−1)(1 − a^(l)) for σ'), s18 (δ summed over its units): w^(1), b^(1) fail under a layer 2
    that passes, and said 'no simple pattern' alone: the error handed back to layer 1, BP2, is wrong.
    s19 (∂C/∂b^(l) from δ^(l) w^(l)): w^(l) passes and b^(l) fails, BP3; b^(3)'s one ratio read
    'ranges -0.51 … -0.51'."""
    bp2 = ("layer 2 passes, so δ^(2) is right: the error handed back to layer 1 is wrong. Look at BP2, δ^(1) = "
           "((w^(2))ᵀ δ^(2)) ⊙ σ'(z^(1)), factor by factor: (w^(2))ᵀ, δ^(2) (its σ'(z^(2)) included), σ' at layer "
           "1's own z^(1), element-wise; seed 001: E_h = E_1 = E_2 · W_2 · σ'(Z_1)")
    for function in ("a_times_1_minus_a_wrong", "row_sum"):
        found = _audit(tmp_path, function, XOR)
        assert set(found) == {"w^(1)", "b^(1)"}, found
        for d in found.values():
            assert d[0].startswith("no simple pattern: all ") and d[1:] == [bp2], (function, found)
    found = _audit(tmp_path, "bias_from_wrong_delta", XOR, "--set", "layers=[2,3,3,1]")
    assert set(found) == {"b^(2)", "b^(3)"}, found
    for l, d in ((2, found["b^(2)"]), (3, found["b^(3)"])):
        assert d[1:] == [f"w^({l}) passes, so δ^({l}) is right (BP4: ∂C/∂w^({l}) = δ^({l}) (a^({l - 1}))ᵀ): look "
                         f"at BP3, ∂C/∂b^({l}) = δ^({l}): layer {l}'s own error, each example's δ^({l}) averaged "
                         f"over the examples (the rows), one value per unit"], d
    assert found["b^(3)"][0] == "no simple pattern: the 1 checked entry fails; analytic/numeric = -0.51", found


def test_a_transposed_w_at_every_hand_back_is_named_at_every_layer_below(tmp_path):
    """s01 on iris 4-3-3-3 (w^(2), w^(3) square): layer 2 got 'w^(3) where (w^(3))ᵀ belongs', layer 1 'no
    simple pattern'; the loop's one line transposes at both hand-backs, and every failing tensor says so."""
    found = _audit(tmp_path, "transposed", ROOT / "configs" / "iris.yaml", "--set", "layers=[4,3,3,3]",
                   "--set", "network.activation=sigmoid", "--set", "network.output_activation=sigmoid",
                   "--set", "cost=squared_error")
    assert set(found) == {"w^(1)", "b^(1)", "w^(2)", "b^(2)"}, found
    every = ("the analytic values match backprop with w^(l) where (w^(l))ᵀ belongs in passing the error back from "
             "every layer l = 2, 3 (BP2: δ^(l−1) = (w^(l))ᵀ δ^(l) ⊙ σ'(z^(l−1)))")
    assert found["w^(1)"] == found["b^(1)"] == [every], found
    assert found["w^(2)"] == found["b^(2)"] == [every, "not w^(3) where (w^(3))ᵀ belongs in passing the error back: "
                                                "that gives these same values, but not the analytic values of "
                                                "w^(1) and b^(1)"], found


def test_sigma_prime_of_the_wrong_layer_in_bp2_and_a_sigmoid_prime_in_a_relu_net_are_named(tmp_path):
    """r09 (R'(z^(l)) before w^(l)) read 'constant ratio ×-1.83399 … on all 6 entries not near 0', though 8
    entries of w^(1) were exactly 0 where numeric was up to 0.448; s09 (σ'(z^(L)) at every layer, the same
    values with one output unit) and r05 (a(1 − a) as a ReLU's σ') read 'no simple pattern'."""
    found = _audit(tmp_path, "Rprime_before_W", ROOT / "configs" / "xor_relu.yaml")
    assert set(found) == {"w^(1)", "b^(1)"}, found
    assert found["w^(1)"] == found["b^(1)"] == [
        "the analytic values match backprop with R'(z^(l)), of the layer handing the error back, where R'(z^(l−1)), "
        "of the layer it is handed to, belongs (BP2: δ^(l−1) = ((w^(l))ᵀ δ^(l)) ⊙ σ'(z^(l−1)); seed 001's E_h = "
        "E_1 = E_2 · W_2 · σ'(Z_1) takes σ' at the receiving layer's own Z_1, not at Z_2)"], found
    found = _audit(tmp_path, "EoEh_mix", XOR)
    assert set(found) == {"w^(1)", "b^(1)"}, found
    assert all(d[0].startswith("the analytic values match backprop with σ'(z^(l)), of the layer handing the error "
                               "back, where σ'(z^(l−1))") for d in found.values()), found
    found = _audit(tmp_path, "sigmoid_prime", ROOT / "configs" / "xor_relu.yaml")
    assert set(found) == {"w^(1)", "b^(1)"}, found
    assert found["w^(1)"] == found["b^(1)"] == [
        "the analytic values match backprop with σ'(z) computed as a(1 − a), the sigmoid's derivative, for relu's "
        "R'(z) = 1 if z > 0 else 0 (in every relu layer's δ)"], found


def test_one_nan_entry_is_counted_in_the_singular(tmp_path):
    found = _audit(tmp_path, "div0", XOR)
    assert found["b^(1)"] == ["the analytic gradient has 3 NaN or infinite entries: an overflow or a division by "
                              "zero in the backward pass"], found
    assert found["b^(2)"] == ["the analytic gradient has 1 NaN or infinite entry: an overflow or a division by "
                              "zero in the backward pass"], found


# --- a class's 1-1-1-1 chain (seed 000's picture): the panel's letters, δ, one box per diagnosis ---


CHAIN_BACKWARDS = '''
import numpy as np

def sig(z):
    return 1 / (1 + np.exp(-z))

def _backward(weights, biases, X, Y, two, hidden_prime):
    A, Z = [np.asarray(X, float)], []
    for W, b in zip(weights, biases):
        Z.append(A[-1] @ W.T + b)
        A.append(sig(Z[-1]))
    E = two * (A[-1] - Y) * sig(Z[-1]) * (1 - sig(Z[-1]))
    dw, db = [None] * len(weights), [None] * len(weights)
    for l in range(len(weights) - 1, -1, -1):
        dw[l], db[l] = E.T @ A[l] / len(X), E.sum(0) / len(X)
        if l:
            E = (E @ weights[l]) * (sig(Z[l - 1]) * (1 - sig(Z[l - 1])) if hidden_prime else 1)
    return dw, db

def backward(weights, biases, X, Y, config):  # seed 001's E_o = (yhat - y) * sigma'(Z_o): the 2 left out
    return _backward(weights, biases, X, Y, 1, True)

def backward_nosp(weights, biases, X, Y, config):  # the 2, but no sigma' at the hidden layers
    return _backward(weights, biases, X, Y, 2, False)
'''


def _chain(tmp_path: Path) -> tuple[Path, Path]:
    (tmp_path / "student.py").write_text(CHAIN_BACKWARDS)
    return chain_config(tmp_path), tmp_path / "student.py"


def _panel(output: str, title: str) -> list[str]:
    return [line.strip("│ ") for line in output.split(title, 1)[1].split("╰", 1)[0].splitlines()[1:]]


def test_the_verdict_panel_says_a_is_the_analytic_value_and_n_the_numeric_one(monkeypatch, tmp_path, checked_once):
    """`‖a − n‖ / (‖a‖ + ‖n‖)` and `|a − n| ≤ atol + rtol·max(|a|, |n|)`: only --help said what a and
    n are, and in class a is the activation. The panel says it once, on its numeric line, whose
    analytic side is backprop or your backward, within 80 columns (60 on a projector) and unbroken
    inside its brackets: at 60 its separator's comma made the line one wider than the panel."""
    config, student = _chain(tmp_path)
    for width in (60, 80, 100):
        monkeypatch.setenv("COLUMNS", str(width))
        for args, whose in (((), "backprop"), (("--backward", f"{student}:backward"), "your backward")):
            r = invoke("gradcheck", config, *args)
            assert r.exit_code in (0, 1), r.output
            lines = _panel(r.output, "gradcheck: ")
            text = " ".join(lines)
            assert text.count("a: analytic") == 1 and f"a: analytic ({whose})" in text, (width, lines)
            assert text.count("n: numeric (central differences)") == 1, (width, lines)
            assert not any(line.endswith(("(central", "(your")) for line in lines), (width, lines)
            assert max(len(line) for line in r.output.split("gradcheck: ", 1)[1].split("╰")[0].splitlines()) <= width


def test_a_phrased_line_keeps_room_for_the_separator_it_ends_with():
    from backprop_cli.render import phrased

    assert phrased(["aaaa", "bbbb", "cc"], ", ", 10).plain == "aaaa,\nbbbb, cc"  # "aaaa, bbbb," is 11
    assert phrased(["aaaa", "bbbb"], ", ", 10).plain == "aaaa, bbbb"  # the last unit ends with nothing
    assert phrased(["aaaa", "bbbb", "cc"], " · ", 11, lead=True).plain == "aaaa · bbbb\n· cc"


def test_a_diagnosis_citing_delta_and_bp2_says_once_what_they_are(monkeypatch, tmp_path):
    """σ' left out at the hidden layers named `(BP2: δ^(l) = (w^(l+1))ᵀ δ^(l+1) ⊙ σ'(z^(l)))`, but BP2
    and δ are defined only in the README's Notation. One line under the boxes says what δ^(l) is, in
    seed 001's E too, and where BP1–BP4 are; not where no diagnosis cites them (the ×½)."""
    config, student = _chain(tmp_path)
    monkeypatch.setenv("COLUMNS", "80")
    r = invoke("gradcheck", config, "--backward", f"{student}:backward_nosp")
    assert r.exit_code == 1, r.output
    assert "BP2: δ^(l) = (w^(l+1))ᵀ δ^(l+1) ⊙ σ'(z^(l))" in r.output.replace("│", "")  # the cited rule, as before
    after = " ".join(r.output.rsplit("╯", 1)[1].split())
    assert after == ("δ^(l) = ∂C/∂z^(l), the error of layer l, seed 001's E_l: E_o = E_3 = C'(ŷ) · σ'(Z_3) = "
                     "2(ŷ − y) · σ'(Z_3) at the output, E_h = E_l = E_(l+1) · W_(l+1) · σ'(Z_l) at a hidden layer "
                     "(σ = sigmoid); BP1–BP4, the four equations of backprop: README, Notation; w^(l)[j,k] is the "
                     "seeds' w_jk^(l), from neuron k of layer l−1 to neuron j of layer l"), r.output
    assert r.output.count("δ^(l) = ∂C/∂z^(l)") == 1 and max(len(line) for line in r.output.splitlines()[1:]) <= 80
    plain = invoke("gradcheck", config, "--backward", f"{student}:backward")
    assert "∂C/∂z^(l)" not in plain.output and "README, Notation" not in plain.output
    assert "∂C/∂z^(l)" not in invoke("gradcheck", config).output  # a pass cites nothing


def _library_bug(name: str, returned: str) -> str:
    """A --backward file whose FUNCTION ``name`` takes the library's own gradients and returns ``returned``
    (an expression of dw and db): a planted bug whatever the network."""
    return f"""
from backprop_cli import Network

def {name}(weights, biases, X, Y, config):
    n = config.network
    net = Network(n.layers, activation=n.activation, output_activation=n.resolved_output_activation, cost=config.cost)
    net.weights, net.biases = [w.copy() for w in weights], [b.copy() for b in biases]
    dw, db = net.gradients(X, Y)
    return {returned}
"""


FLIP_LAYER_1 = _library_bug("flip_layer1", "[-dw[0], *dw[1:]], [-db[0], *db[1:]]")


@pytest.mark.parametrize("config, says", [
    # the default squared_error: seed 000's C0 = (a − y)² gives the 2 that "(ŷ − y) ⊙ R'(Z_o)" dropped
    (None, "E_o = E_2 = C'(ŷ) · σ'(Z_2) = 2(ŷ − y) · σ'(Z_2) at the output, E_h = E_1 = E_2 · W_2 · σ'(Z_1) at "
           "the hidden layer (σ = sigmoid)"),
    ("hand_worked.yaml", "E_o = E_2 = C'(ŷ) · σ'(Z_2) = (ŷ − y) · σ'(Z_2) at the output, E_h = E_1 = E_2 · W_2 · "
                         "σ'(Z_1) at the hidden layer (σ = sigmoid)"),
    ("xor_relu.yaml", "E_o = E_2 = C'(ŷ) · σ'(Z_2) = (ŷ − y) · σ'(Z_2) at the output (σ = linear), E_h = E_1 = "
                      "E_2 · W_2 · σ'(Z_1) at the hidden layer (σ = relu)"),
    ("iris.yaml", "E_o = E_2 = C'(Z_2) = ŷ − y at the output, E_h = E_1 = E_2 · W_2 · σ'(Z_1) at the hidden "
                  "layer (σ = tanh)"),  # softmax + cross-entropy: the one fused rule, as explain writes it
    ("circles.yaml", "E_o = E_2 = C'(Z_2) = ŷ − y at the output, E_h = E_1"),  # sigmoid + cross-entropy
])
def test_the_delta_legend_writes_seed_001_s_errors_for_the_network_s_cost_and_activations(config, says, tmp_path):
    """The line under the boxes read seed 001's E_o = (ŷ − y) ⊙ R'(Z_o) whatever the network: on the default
    squared_error a learner copying it drops the 2 the ×½ diagnosis names. It writes E_o and E_h as explain
    does, for the network's cost and output activation, and names each σ."""
    (tmp_path / "flip.py").write_text(FLIP_LAYER_1)
    args = [ROOT / "configs" / config] if config else []
    r = invoke("gradcheck", *args, "--backward", f"{tmp_path / 'flip.py'}:flip_layer1")
    assert r.exit_code == 1, r.output
    after = " ".join(r.output.rsplit("╯", 1)[1].split())
    assert after.startswith(f"δ^(l) = ∂C/∂z^(l), the error of layer l, seed 001's E_l: {says}"), after
    assert "R'(Z_o)" not in after, after


def test_the_delta_legend_names_each_hidden_layer_s_activation_by_its_layer(tmp_path):
    """Per-layer hidden activations relu, tanh, relu, elu printed '(σ = relu, tanh, elu)': the repeat
    dropped, read as layers 1-3. Each is named by its layer; one activation everywhere keeps '(σ = …)'."""
    (tmp_path / "flip.py").write_text(FLIP_LAYER_1)
    r = invoke("gradcheck", "--set", "network.layers=[2,3,3,3,3,1]", "--set",
               "network.activation=[relu,tanh,relu,elu,sigmoid]", "--backward", f"{tmp_path / 'flip.py'}:flip_layer1")
    assert r.exit_code == 1, r.output
    after = " ".join(r.output.rsplit("╯", 1)[1].split())
    assert ("at a hidden layer (σ_1 = relu, σ_2 = tanh, σ_3 = relu, σ_4 = elu)" in after
            and "at the output (σ = sigmoid)" in after), after
    r = invoke("gradcheck", "--set", "network.layers=[2,3,3,1]", "--backward", f"{tmp_path / 'flip.py'}:flip_layer1")
    after = " ".join(r.output.rsplit("╯", 1)[1].split())
    assert "at a hidden layer (σ = sigmoid)" in after and "σ_1" not in after, after


HALF_ALL = _library_bug("half_all", "[d / 2 for d in dw], [d / 2 for d in db]")


@pytest.mark.parametrize("mode", [["--mode", "sample", "--params", "100"], ["--mode", "fast"], []])
def test_an_entry_unjudged_at_a_kink_counts_as_checked_when_a_bug_is_called_local(tmp_path, mode):
    """Sample mode drawing all of w^(1) (fast mode checking it whole) with one entry unjudged at a ReLU kink said
    'the other 4 agree, but the other 1 were not drawn' (fast: 'its share … is not known: the rest of it lies in
    … the 1 entries not checked one by one'): the unjudged entry was checked one by one. Full mode's words stand."""
    (tmp_path / "kink.csv").write_text("x1,x2,y\n0.0,1.0,1.0\n1e-6,0.5,0.0\n-1e-6,0.3,0.5\n0.7,0.2,0.2\n")
    (tmp_path / "kink.yaml").write_text(
        "data: {path: kink.csv, target: y, task: regression, test_fraction: 0, standardize: false}\n"
        "network: {layers: [2, 3, 1], activation: relu, output_activation: linear,\n"
        "  weights: [[[1.0, 0.0], [0.5, -0.3], [-0.2, 0.8]], [[1.0, -1.0, 0.5]]], biases: [[0.0, 0.1, 0.1], [0.0]]}\n"
        "cost: half_squared_error\n")
    (tmp_path / "bug.py").write_text(_library_bug("w21", "[dw[0] * [[1, 1], [1, 1], [1, 1.5]], *dw[1:]], db"))
    r = invoke("gradcheck", tmp_path / "kink.yaml", "--backward", f"{tmp_path / 'bug.py'}:w21", *mode)
    assert r.exit_code == 1, r.output
    text = " ".join(r.output.replace("│", " ").split())
    assert ("only 1 of 5 checked entries fails (w^(1)[2,1], analytic/numeric = 1.5); the others agree: a bug local "
            "to this entry") in text, text
    assert "not drawn" not in text and "not checked one by one" not in text, text


def test_a_failing_weight_s_entries_are_said_to_be_the_seeds_w_jk(monkeypatch, tmp_path):
    """A failing weight's entries are named as numpy indexes them, w^(1)[1,0], where the seeds and
    explain write w_10^(1): a line under the boxes says which is which, only where a weight's
    entries are shown (not for failing biases alone)."""
    monkeypatch.setenv("COLUMNS", "100")
    legend = "w^(l)[j,k] is the seeds' w_jk^(l), from neuron k of layer l−1 to neuron j of layer l"
    (tmp_path / "bugs.py").write_text(_library_bug("weight", "[dw[0] + [[0, 0], [0.05, 0], [0, 0]], *dw[1:]], db")
                                      + _library_bug("bias", "dw, [db[0] * 2, *db[1:]]"))
    r = invoke("gradcheck", "--backward", f"{tmp_path / 'bugs.py'}:weight")
    assert r.exit_code == 1, r.output
    assert "w^(1)[1,0]" in r.output and legend in " ".join(r.output.rsplit("╯", 1)[1].split()), r.output
    r = invoke("gradcheck", "--backward", f"{tmp_path / 'bugs.py'}:bias")
    assert r.exit_code == 1 and "b^(1)" in r.output, r.output
    assert "w^(l)[j,k]" not in r.output, r.output
    help_text = " ".join(invoke("gradcheck", "--help").output.split())
    assert "an entry w^(l)[j,k] is the seeds' w_jk^(l)" in help_text, help_text  # not rich markup


def test_a_failing_sweep_s_verdict_and_diagnosis_count_their_entries_in_the_same_terms(tmp_path):
    """xor_relu.yaml with every gradient halved: the verdict said 'in all 30 checked entries' and the
    diagnosis under it 'on all 28 entries not near 0 (of 33 checked)'. 33 were checked; 3 (weights whose input is 0
    wherever their unit is active: a gradient of 0) reach atol at no ε, and 2 more are near 0 for the ratio: each count says what it is of."""
    (tmp_path / "half.py").write_text(HALF_ALL)
    r = invoke("gradcheck", ROOT / "configs" / "xor_relu.yaml", "--convergence", "--json",
               "--backward", f"{tmp_path / 'half.py'}:half_all")
    assert r.exit_code == 1, r.output
    out = json.loads(r.stdout)
    assert "off by about 5e-01 relative in all 30 entries that reach atol (of 33 checked)" in out["verdict"], out
    assert "checked entries" not in out["verdict"], out["verdict"]
    assert out["diagnosis"][0].startswith(
        "×½: analytic/numeric = 0.5 on all 28 entries not near 0 (of 33 checked; near 0: |n| under atol or under "
        "1e-3 of the largest |n|, at ε = 1e-05)"), out["diagnosis"]


HANDBACK = """
import numpy as np
def handback_grad_a(weights, biases, X, Y, config):
    s = lambda z: 1 / (1 + np.exp(-z))
    (W1, W2), (b1, b2), n = weights, biases, len(X)
    a1 = s(X @ W1.T + b1); a2 = s(a1 @ W2.T + b2)
    g = 2 * (a2 - Y); d2 = g * a2 * (1 - a2)
    d1 = (g @ W2) * a1 * (1 - a1)  # hands back dC/da in place of delta
    return [d1.T @ X / n, d2.T @ a1 / n], [d1.mean(0), d2.mean(0)]
def prime_before_w(weights, biases, X, Y, config):
    s = lambda z: 1 / (1 + np.exp(-z))
    (W1, W2), (b1, b2), n = weights, biases, len(X)
    a1 = s(X @ W1.T + b1); a2 = s(a1 @ W2.T + b2)
    d2 = 2 * (a2 - Y) * a2 * (1 - a2)
    d1 = (d2 * a2 * (1 - a2)) @ W2  # sigma' of layer 2 where layer 1's belongs
    return [d1.T @ X / n, d2.T @ a1 / n], [d1.mean(0), d2.mean(0)]
"""


@pytest.mark.parametrize("function", ["handback_grad_a", "prime_before_w"])
def test_a_diagnosis_quotes_seed_001_s_errors_as_the_legend_under_it_writes_them(function, tmp_path):
    """The legend under the boxes writes seed 001's E_o for the network's cost (2(ŷ − y) · σ'(Z_2) for
    squared_error), while the diagnoses above it quoted 'seed 001's E_h = (E_o · W_o) ⊙ R'(Z_h) takes
    E_o = (ŷ − y) ⊙ R'(Z_o)': two different seed 001's E_o in one output. Each is now the legend's."""
    (tmp_path / "b.py").write_text(HANDBACK)
    r = invoke("gradcheck", "--backward", f"{tmp_path / 'b.py'}:{function}")
    assert r.exit_code == 1, r.output
    boxes, legend = r.output.rsplit("╯", 1)
    boxes, legend = " ".join(re.sub(r"[│╭╮╰╯─]", " ", boxes).split()), " ".join(legend.split())
    e_o, e_h = "E_o = E_2 = C'(ŷ) · σ'(Z_2) = 2(ŷ − y) · σ'(Z_2)", "E_h = E_1 = E_2 · W_2 · σ'(Z_1)"
    assert e_o in legend and e_h in legend, legend
    assert "seed 001's " + e_h in boxes, boxes
    assert "R'(Z_o)" not in boxes and "E_o · W_o" not in boxes and "R'(Z_h)" not in boxes, boxes
    if function == "handback_grad_a":
        assert f"takes {e_o}" in boxes, boxes


def test_one_mistake_failing_every_tensor_alike_is_told_once_with_each_tensors_entries(monkeypatch, tmp_path):
    """A factor 2 missing on the 1-1-1-1 chain printed six boxes saying the same ×½, ~45 lines at
    80 columns. The tensors that share a diagnosis (their counts aside) share one box: their names in
    its title, the diagnosis once, every failing entry in one table. --json keeps one diagnosis per
    tensor, in its own words ("on its entry")."""
    config, student = _chain(tmp_path)
    monkeypatch.setenv("COLUMNS", "80")
    r = invoke("gradcheck", config, "--backward", f"{student}:backward")
    assert r.exit_code == 1, r.output
    boxes = r.output.split("╭─ ")[1:]
    assert len(boxes) == 1 and boxes[0].startswith("w^(1), b^(1), w^(2), b^(2), w^(3), b^(3): 6 failing ─"), r.output
    box = boxes[0].split("╰")[0]
    assert box.count("×½") == 1 and "analytic/numeric = 0.5 on every entry" in box, box
    for name in ("w^(1)[0,0]", "b^(1)[0]", "w^(2)[0,0]", "b^(2)[0]", "w^(3)[0,0]", "b^(3)[0]"):
        assert sum(line.startswith(f"│ {name} ") and line.rstrip(" │").endswith("fail") for line in box.splitlines()) == 1
    box_lines, after = boxes[0].rsplit("╯", 1)
    assert len(box_lines.splitlines()) <= 14 and max(len(line) for line in r.output.splitlines()[1:]) <= 80
    assert " ".join(after.split()) == ("w^(l)[j,k] is the seeds' w_jk^(l), from neuron k of layer l−1 to neuron j of "
                                       "layer l"), after
    tensors = json.loads(invoke("gradcheck", config, "--backward", f"{student}:backward", "--json").stdout)["tensors"]
    assert [t["diagnosis"] for t in tensors] == [[
        "×½: analytic/numeric = 0.5 on its entry: a cost-derivative or averaging bug, a factor 2 missing — for "
        "squared_error ∂C/∂a = 2(a − y) (seed 000, eq. 4)"]] * 6
    # one finding, whatever each tensor rules out: σ' left out at the hidden layers, which w^(2), b^(2) alone would
    # take for σ' left out of δ^(2) alone, ruled out by w^(1), b^(1) (it was a second box saying the finding again)
    r = invoke("gradcheck", config, "--backward", f"{student}:backward_nosp")
    titles = [box.splitlines()[0] for box in r.output.split("╭─ ")[1:]]
    assert [t.split(" ─")[0] for t in titles] == ["w^(1), b^(1), w^(2), b^(2): 4 failing"], titles
    assert r.output.count("left out of δ^(l) at") == 1, r.output


def test_a_shared_diagnosis_keeps_each_tensors_counts_and_fast_modes_directions(monkeypatch, tmp_path):
    """2-3-1 with the 2 left out: ×½ on all 6 entries of w^(1), 3 of b^(1) and w^(2), 1 of b^(2) is one
    finding; w^(1)'s worst 5 of 6 are said to be so. In fast mode each tensor keeps its direction v and
    its entries under its own title, in the one box."""
    from backprop_cli.gradcheck import shared_diagnosis

    assert shared_diagnosis(["×½: analytic/numeric = 0.5 on all 6 entries: a", "x on all 6 entries"]) == (
        "×½: analytic/numeric = 0.5 on every entry: a", "x on all 6 entries")
    assert shared_diagnosis(["sign flip: analytic/numeric = -1 on both entries not near 0 (of 3 checked), …",
                             "analytic/numeric = 2 on its only entry not near 0 (of 1,024 checked)"]) == (
        "sign flip: analytic/numeric = -1 on every entry not near 0, …", "analytic/numeric = 2 on every entry not near 0")
    f = tmp_path / "mine.py"
    f.write_text(BUGGY)
    monkeypatch.setenv("COLUMNS", "80")
    r = invoke("gradcheck", "--backward", f"{f}:no_factor_two")
    boxes = r.output.split("╭─ ")[1:]
    assert len(boxes) == 1 and boxes[0].startswith("w^(1), b^(1), w^(2), b^(2): 13 failing ─"), r.output
    text = " ".join(line.strip("│ ") for line in boxes[0].splitlines())
    assert "the 5 worst of w^(1)'s 6 (by |a − n| over its tolerance); every failing entry of the others:" in text
    r = invoke("gradcheck", "--backward", f"{f}:no_factor_two", "--mode", "fast")
    boxes = r.output.split("╭─ ")[1:]
    assert len(boxes) == 1 and boxes[0].count("×½") == 1, r.output
    lines = [line.strip("│ ") for line in boxes[0].splitlines()]
    assert [line for line in lines if re.fullmatch(r"[wb]\^\(\d\) [\d×]+: \d+ failing", line)] == [
        "w^(1) 3×2: 6 failing", "b^(1) 3: 3 failing", "w^(2) 1×3: 3 failing", "b^(2) 1: 1 failing"]
    assert sum(line.startswith("direction v:") for line in lines) == 4


_SCI = re.compile(r"-?\d+\.?\d*e[+-]?\d*")  # a number in d.ddde±xx form, whole or cut ('2.09e-', '-3.88e')
_WHOLE = re.compile(r"-?\d(\.\d+)?e[+-]\d\d")  # 2.0895e-02, 1e-05
_LABEL = re.compile(r"[wb]\^\(\d\)\[[\d,]+\]")


def _shown_equals(shown: str, value: float) -> bool:
    """Whether ``shown`` (d.ddde±xx, whole) is ``value`` rounded to the digits it shows."""
    if not re.fullmatch(r"-?\d\.\d+e[+-]\d\d", shown):
        return False
    digits = len(shown.split("e")[0].split(".")[1])
    return shown == f"{value:.{digits}e}"


def _every_number_whole(output: str, width: int, data: dict) -> None:
    """No line wider than ``width`` but the header (one line in a pipe, as ever), no '…', every
    d.ddde±xx figure whole, and each failing entry's values and errors those of --json, rounded."""
    head, _, rest = output.partition("\n")
    assert head.startswith("checking "), output
    assert "…" not in rest and max(len(line) for line in rest.splitlines()) <= width, (width, rest)
    assert all(_WHOLE.fullmatch(t) for t in _SCI.findall(rest)), (width, _SCI.findall(rest))
    assert f"{data['global_ratio']:.3e}" in rest
    details = " ".join(line.strip("│ ") for line in rest.split("failing ─", 1)[1].splitlines())
    details = re.split(r"direction v|\d+ failing|worst of", details)  # not the next tensor's own lines
    text = " ".join(details)
    listed = 0
    for t in data["tensors"]:
        for e in t["failures"]:
            start = text.index(e["label"] + (":" if e["label"] + ":" in text else " "))
            segment = text[start + len(e["label"]):]
            nxt = _LABEL.search(segment)
            segment = segment[:nxt.start()] if nxt else segment
            segment = re.split(r"direction v|\d+ failing|worst of", segment)[0]
            numbers = _SCI.findall(segment)
            assert len(numbers) >= 3, (e["label"], segment)
            assert _shown_equals(numbers[0], e["analytic"]) and _shown_equals(numbers[1], e["numeric"]), (
                width, e, segment)
            assert all(_shown_equals(n, e["abs_error"]) or _shown_equals(n, e["rel_error"]) for n in numbers[2:]), (
                width, e, segment)
            assert re.search(rf"(^|\s){e['status']}(\s|$)", segment), (width, e, segment)
            listed += 1
    assert listed == sum(len(t["failures"]) for t in data["tensors"]) > 0


@pytest.mark.parametrize("mode", ["full", "fast"])
def test_the_failing_entries_are_stacked_whole_on_a_projector(monkeypatch, tmp_path, mode, checked_once):
    """At 40-56 columns (a projector's large font) the table of a failing tensor's worst entries,
    inside its box, was cut by rich: 'w^(1)[…', '2.09e-…', '-3.88e…', and the status column gone.
    Below the width where the table fits, each entry is stacked (its label, analytic over numeric,
    then its errors and status) with as many digits as fit: every figure whole and the one --json
    has, rounded; at 60 the table, as before. Both in full and fast mode."""
    f = tmp_path / "mine.py"
    f.write_text(BUGGY)
    args = ("gradcheck", "--backward", f"{f}:no_factor_two", "--mode", mode)
    data = json.loads(invoke(*args, "--json").stdout)
    for width in (40, 46, 50, 60):
        monkeypatch.setenv("COLUMNS", str(width))
        r = invoke(*args)
        assert r.exit_code == 1, r.output
        _every_number_whole(r.output, width, data)
        stacked = "analytic " in r.output and "numeric " in r.output and " · rel " in r.output
        assert stacked == (width < 60), (width, r.output)


def test_the_entries_not_judged_are_stacked_whole_at_forty_columns(monkeypatch, checked_once):
    """xor_relu at ε = 0.5: the entries at a kink, listed under 'not judged', read 'w^(1)[…
    -9.38e-…' at 40 columns; now each is whole, status 'kink' included."""
    args = ("gradcheck", ROOT / "configs" / "xor_relu.yaml", "--eps", "0.5")
    data = json.loads(invoke(*args, "--json").stdout)
    kinks = [e for t in data["tensors"] for e in t["kinks"]]
    assert kinks
    for width in (40, 50):
        monkeypatch.setenv("COLUMNS", str(width))
        r = invoke(*args)
        assert r.exit_code == 3, r.output
        rest = r.output.partition("\n")[2]
        assert "…" not in rest and max(len(line) for line in rest.splitlines()) <= width, rest
        flat = " ".join(line.strip("│ ") for line in rest.splitlines())
        for e in kinks:
            segment = flat[flat.index(e["label"] + ":"):].split(" kink")[0]
            a, n = _SCI.findall(segment)[:2]
            assert _shown_equals(a, e["analytic"]) and _shown_equals(n, e["numeric"]), (width, e, segment)


@pytest.mark.parametrize("config,backward", [("spirals.yaml", False), (None, True)])
def test_the_convergence_sweep_is_stacked_whole_on_a_projector(monkeypatch, tmp_path, config, backward,
                                                               checked_once, shipped_sweep):
    """At 40-53 columns the sweep's table cut its figures ('5.000e-…', '3.331e-…'), dropped its band
    at 40 and broke the band's words at 46 ('almos' / 'surel' / 'a bug'). Below the width where
    its folded table fits, each ε is stacked: 'max …, median …' over 'ratio … · band · steps
    across a kink', every figure whole and --json's, every band word whole."""
    f = tmp_path / "mine.py"
    f.write_text(BUGGY)
    args = ["gradcheck", "--convergence"] + ([ROOT / "configs" / config] if config else []) + (
        ["--backward", f"{f}:no_factor_two"] if backward else [])
    data = json.loads((shipped_sweep(config.removesuffix(".yaml")) if config else invoke(*args, "--json")).stdout)
    band_words = {w for _, name in __import__("backprop_cli.gradcheck", fromlist=["RATIO_BANDS"]).RATIO_BANDS
                  for w in name.split()} | {"truncation", "kinks", "kink", "crossed"}
    for width in (40, 46, 50, 60):
        monkeypatch.setenv("COLUMNS", str(width))
        r = invoke(*args)
        assert r.exit_code == (1 if backward else 0), r.output
        rest = r.output.partition("\n")[2]
        table = rest.split("╭")[0]
        assert "…" not in rest and max(len(line) for line in rest.splitlines()) <= width, (width, rest)
        assert all(_WHOLE.fullmatch(t) for t in _SCI.findall(table)), (width, table)
        for key in ("max_rel_errors", "median_rel_errors", "global_ratios"):
            for v in data[key]:
                assert f"{v:.3e}" in table, (width, key, v, table)
        words = set(re.findall(r"[a-z]+", _SCI.sub(" ", table)))
        cut = {w for w in words for b in band_words if b.startswith(w) and w != b and w not in band_words}
        assert not cut and ("almost" if backward else "kinks" if config else "truncation") in words, (width, cut, table)


def test_a_stacked_entry_breaks_its_errors_between_phrases_never_inside_a_figure():
    """A long status ('unresolved') or a long label: the stacked entry's errors line breaks before
    a '·', its values go under the label where they do not fit beside it; no line is wider than
    the room given and every figure is whole."""
    from rich.console import Console

    from backprop_cli.gradcheck import EntryResult
    from backprop_cli.render.gradcheck import entries_stacked

    entries = (EntryResult(3, "w", (12, 127), -1.234567891234e-05, 2.5e-3, 2.512345e-3, 0.99, "unresolved"),
               EntryResult(1, "b", (0,), 0.5, 0.25, 0.25, 0.5, "kink-ok"))
    for width in (24, 30, 36, 44):
        out = Console(width=width, record=True, file=__import__("io").StringIO())
        out.print(entries_stacked(entries, width))
        text = out.export_text()
        assert max(len(line) for line in text.splitlines()) <= width, (width, text)
        flat = " ".join(text.split())
        assert all(_WHOLE.fullmatch(t) for t in _SCI.findall(flat)), (width, text)
        numbers = _SCI.findall(flat)
        assert _shown_equals(numbers[0], -1.234567891234e-05) and _shown_equals(numbers[1], 2.5e-3), text
        assert "unresolved" in text.split() and "kink-ok" in text.split(), text
        beside = "w^(3)[12,127]: analytic" in text
        assert beside == (width >= 36), (width, text)  # 5 digits beside it there


def test_layers_returned_in_reverse_are_named_where_the_shapes_let_them_through(tmp_path):
    """A list filled in as backprop goes, layer L first: on 2-3-1 its shapes gave it away, but on seed 001's
    2-2-2 (configs/hand_worked.yaml) every shape fits and the failure read 'no simple pattern'; on 2-3-3-2
    dw reversed has the transposed shapes and was called 'transposed' alone."""
    (tmp_path / "rev.py").write_text(
        "import numpy as np\nfrom backprop_cli import Network\n\n"
        "def _grads(w, b, X, Y, c):\n"
        "    net = Network.from_config(c)\n"
        "    net.weights, net.biases = [np.array(x) for x in w], [np.array(x) for x in b]\n"
        "    return net.gradients(X, Y)\n\n"
        "def both(w, b, X, Y, c):\n    dw, db = _grads(w, b, X, Y, c)\n    return dw[::-1], db[::-1]\n\n"
        "def only_w(w, b, X, Y, c):\n    dw, db = _grads(w, b, X, Y, c)\n    return dw[::-1], db\n")
    r = invoke("gradcheck", ROOT / "configs" / "hand_worked.yaml", "--backward", f"{tmp_path / 'rev.py'}:both")
    assert r.exit_code == 1, r.output
    text = " ".join(r.stdout.replace("│", " ").split())
    assert ("the analytic values match backprop with dw and db in reverse order, layer L first (a list filled in "
            "as backprop goes): return dw and db from layer 1 to 2, e.g. dw[::-1], db[::-1]") in text, text
    r = invoke("gradcheck", "--set", "network.layers=[2,3,3,2]", "--set", "data.dataset=spirals",
               "--backward", f"{tmp_path / 'rev.py'}:only_w")
    assert r.exit_code == 2 and "either the layers are reversed (layer 3 first: dw[::-1]) or each ∂C/∂w^(l) is " \
                                "transposed" in " ".join(r.stderr.split()), r.output


def test_a_file_without_function_and_a_missing_function_list_the_same_candidates(tmp_path):
    """bw.py alone listed the functions in file order with an example; bw.py:nosuch listed them sorted
    (the underscore ones first) with none: both now name the same candidates, in the file's order."""
    f = tmp_path / "bw.py"
    f.write_text("def sig(z):\n    return z\n\ndef my_backprop(w, b, X, Y, c):\n    pass\n\n"
                 "def _helper():\n    pass\n\ndef Plot(h):\n    pass\n")
    tails = []
    for spec in (str(f), f"{f}:", f"{f}:nosuch"):
        r = invoke("gradcheck", "--backward", spec)
        assert r.exit_code == 2, r.output
        line = " ".join(r.stderr.split())
        tails.append(line[line.index(", e.g. "):])
    # the file read, not run, names its defs; the imported module, its functions
    assert tails[0] == tails[1] == (f", e.g. {f}:my_backprop (the one function defined there that can be a "
                                    "backward, taking (weights, biases, X, Y, config))"), tails
    assert tails[2] == tails[0].replace("the one function defined there", "the one function there"), tails


def test_a_mistyped_function_is_told_the_nearest_backward_never_the_slip_by_its_place(tmp_path):
    """examples/backward.py:backwards (or :Backward, or the file alone) was told 'e.g.
    examples/backward.py:backward_without_the_2', the README's deliberate slip, as the last function
    taking five arguments: the name typed is matched among the functions that can be a backward, and
    with none near, or none typed, those are listed, said to be such, in the file's order."""
    f = ROOT / "examples" / "backward.py"
    fits = ("(the functions there that can be a backward, taking (weights, biases, X, Y, config): backward, "
            "backward_without_the_2)")
    defs = fits.replace("the functions there", "the functions defined there")
    for spec, tail in ((f"{f}:backwards", "has no function backwards (did you mean backward?)"),
                       (f"{f}:Backward", "has no function Backward (did you mean backward?)"),
                       (f"{f}:backward_without_the2", "(did you mean backward_without_the_2?)"),
                       (f"{f}:sigmoid", f"has no function sigmoid {fits}"),  # _sigmoid takes one argument
                       (str(f), f"must look like FILE.py:FUNCTION {defs}"),  # read, not run: its defs
                       (f"{f}:", f"must look like FILE.py:FUNCTION {defs}")):
        r = invoke("gradcheck", "--backward", spec)
        assert r.exit_code == 2, (spec, r.output)
        line = " ".join(r.stderr.split())
        assert line.endswith(tail) and len(r.stderr.strip().splitlines()) == 1, (spec, r.stderr)
        assert "e.g." not in line, (spec, r.stderr)
    # no function there can be a backward: the file's functions, said to be none of them
    g = tmp_path / "bw.py"
    g.write_text("def sig(z):\n    return z\n\ndef backprop(w, b, X, Y):\n    pass\n")
    for spec, what in ((str(g), "function defined"), (f"{g}:nosuch", "function")):
        r = invoke("gradcheck", "--backward", spec)
        assert r.exit_code == 2, r.output
        assert " ".join(r.stderr.split()).endswith(
            f"(no {what} there can be a backward, taking (weights, biases, X, Y, config); "
            f"{what.replace('function', 'functions')} there: sig, backprop)"), r.stderr
    # a name near one of them: that one, and why it cannot be a backward
    r = invoke("gradcheck", "--backward", f"{g}:backward")
    assert r.exit_code == 2 and " ".join(r.stderr.split()).endswith(
        "has no function backward (did you mean backprop? it takes only (w, b, X, Y); a backward is called with "
        "five positional arguments (weights, biases, X, Y, config))"), r.stderr
    # functions the file's top level does not show (made by exec): read from the import, in the same words
    g.write_text("exec('def sig(z):\\n    return z\\n\\ndef backward(w, b, X, Y, c):\\n    pass\\n')\n")
    r = invoke("gradcheck", "--backward", f"{g}:backwards")
    assert r.exit_code == 2 and " ".join(r.stderr.split()).endswith(
        "has no function backwards (did you mean backward?)"), r.stderr
    r = invoke("gradcheck", "--backward", f"{g}:nosuch")
    assert r.exit_code == 2 and " ".join(r.stderr.split()).endswith(
        f"has no function nosuch, e.g. {g}:backward (the one function there that can be a backward, taking "
        "(weights, biases, X, Y, config))"), r.stderr


def test_the_candidates_are_the_imported_modules_namespace_lambdas_and_imports_too(tmp_path):
    """The candidates were the file's top-level defs, read without running it: a backward imported
    into it or a lambda was never named ('no function there can be a backward …; functions there:
    plot' for a file whose my_backward runs). They are the module's namespace now, for FILE.py alone
    too, but for what the standard library or an installed package defines (zeros_like, Callable:
    callable with five arguments, no one's backward)."""
    (tmp_path / "lam_backward_beside.py").write_text((ROOT / "examples" / "backward.py").read_text(encoding="utf-8"))
    f = tmp_path / "lam.py"
    f.write_text("from typing import Callable\nfrom numpy import zeros_like\nimport numpy as np\n"
                 "from lam_backward_beside import backward as my_backward\n\ndef plot(h):\n    pass\n\n"
                 "other_backward = lambda weights, biases, X, Y, config: ...\n")
    fits = ("(the functions there that can be a backward, taking (weights, biases, X, Y, config): my_backward, "
            "other_backward)")
    for spec, tail in ((f"{f}:my_backwards", "has no function my_backwards (did you mean my_backward?)"),
                       (f"{f}:other_backwards", "has no function other_backwards (did you mean other_backward?)"),
                       (f"{f}:nosuch", f"has no function nosuch {fits}"),
                       # the file alone is read, not run (a mistyped option ran its prints and exits): the
                       # functions it defines, a lambda too
                       (str(f), f"must look like FILE.py:FUNCTION, e.g. {f}:other_backward (the one function "
                                "defined there that can be a backward, taking (weights, biases, X, Y, config))")):
        r = invoke("gradcheck", "--backward", spec)
        assert r.exit_code == 2, (spec, r.output)
        assert " ".join(r.stderr.split()).endswith(tail), (spec, r.stderr)
    # a file that cannot be imported, given alone: its top-level defs, read
    g = tmp_path / "bad.py"
    g.write_text("import not_a_module_anywhere_xyz\n\ndef backward(w, b, X, Y, c):\n    pass\n")
    r = invoke("gradcheck", "--backward", str(g))
    assert r.exit_code == 2 and " ".join(r.stderr.split()).endswith(
        f"must look like FILE.py:FUNCTION, e.g. {g}:backward (the one function defined there that can be a backward, "
        "taking (weights, biases, X, Y, config))"), r.stderr


def test_a_name_nearest_a_function_that_cannot_be_a_backward_is_told_why(tmp_path):
    """:backwards beside backward(weights, biases, X, Y, *, config) and backward2(*args) was told 'did
    you mean backward2?': the nearest name is the one meant, and why it cannot be a backward is said.
    A private helper that cannot be one is matched only for a name typed with its '_'; one that can
    be is a candidate like any."""
    f = tmp_path / "kw.py"
    f.write_text("def backward(weights, biases, X, Y, *, config):\n    pass\n\ndef backward2(*args):\n    pass\n\n"
                 "def six(w, b, X, Y, c, d):\n    pass\n\ndef _helper(z):\n    pass\n\n"
                 "def _private_backward(w, b, X, Y, c):\n    pass\n")
    five = "a backward is called with five positional arguments (weights, biases, X, Y, config))"
    fits = ("(the functions there that can be a backward, taking (weights, biases, X, Y, config): backward2, "
            "_private_backward)")
    defs = fits.replace("the functions there", "the functions defined there")
    for spec, tail in ((f"{f}:backwards", f"(did you mean backward? it takes config as keyword-only; {five}"),
                       (f"{f}:backward_2", "(did you mean backward2?)"),
                       (f"{f}:sixx", f"(did you mean six? it needs 6 arguments (w, b, X, Y, c, d); {five}"),
                       (f"{f}:_helpr", f"(did you mean _helper? it takes only (z); {five}"),
                       (f"{f}:helper", f"has no function helper {fits}"),
                       (f"{f}:private_backwards", "(did you mean _private_backward?)"),
                       (str(f), f"must look like FILE.py:FUNCTION {defs}")):
        r = invoke("gradcheck", "--backward", spec)
        assert r.exit_code == 2, (spec, r.output)
        line = " ".join(r.stderr.split())
        assert line.endswith(tail) and len(r.stderr.strip().splitlines()) == 1, (spec, r.stderr)


def test_a_kink_crossed_by_a_too_large_step_suggests_a_smaller_eps_naming_the_entries():
    """xor_relu at --eps 0.5: no z is exactly 0, the step crosses the kink both ways. The hint said
    'try other examples (another seed)', which does not help; a smaller --eps does, and the entries
    are named, with a step below the distance to their nearest kink (it was ε/100 = 0.005 whatever the distance)."""
    d = json.loads(invoke("gradcheck", ROOT / "configs" / "xor_relu.yaml", "--eps", "0.5", "--json").stdout)
    b1 = next(t for t in d["tensors"] if t["name"] == "b^(1)")
    text = " ".join(b1["diagnosis"])
    labels = [e["label"] for e in b1["kinks"] if e["status"] == "kink"]
    assert labels and f"try a smaller --eps for {', '.join(labels[:3])}" in text, text
    assert "e.g. --eps 0.001 (the nearest kink is about 0.01 away in θ)" in text, text
    assert "another seed" not in text, text
    assert invoke("gradcheck", ROOT / "configs" / "xor_relu.yaml", "--eps", "0.001").exit_code == 0


def test_a_unit_exactly_at_z_0_is_said_to_need_other_examples_not_a_smaller_eps(tmp_path):
    cfg = load_config(None, {"network.activation": "relu", "network.output_activation": "sigmoid",
                             "data.dataset": "circles", "data.n_samples": 40})
    exp = prepare(cfg)
    exp.net.weights[0][0] = 0.0
    exp.net.biases[0][0] = 0.0
    save_model(tmp_path / "kink.npz", exp.net, cfg)
    d = json.loads(invoke("gradcheck", "--model", tmp_path / "kink.npz", "--examples", "8", "--json").stdout)
    text = " ".join(next(t for t in d["tensors"] if t["name"] == "w^(1)")["diagnosis"])
    assert "exactly at 0, which no smaller --eps avoids: try other examples (another --seed)" in text, text


def test_the_sweep_s_order_dash_says_why_beside_its_verdict():
    """xor_relu's sweep measures no order (its smallest ratio is at 1e-2, the larger ε cross kinks):
    the panel said 'order —' with no reason, and a failing sweep without an order said 'slope 0.0'."""
    r = invoke("gradcheck", ROOT / "configs" / "xor_relu.yaml", "--convergence")
    out = " ".join(r.output.split("convergence: PASS")[1].replace("│", " ").split())
    assert ("order (slope of log ratio vs log ε) — (none measured: the ratio is smallest already at ε = 1e-02, "
            "and the larger ε cross kinks, so no slope leads to it)") in out, out
    from backprop_cli.gradcheck import _sweep_verdict

    passed, verdict = _sweep_verdict(None, 0.6, 1e-1, False)
    assert not passed and "slope 0.0" not in verdict and "no slope leads to it (order —)" in verdict, verdict


def test_a_failing_sweep_with_no_order_says_why_once_and_names_the_pattern(monkeypatch):
    """The README's slip without the 2: the sweep's panel said 'smallest already at ε = 1e-01 … so no slope
    leads to it' in its verdict and again on its order line, and never named the ×½ the plain check names."""
    monkeypatch.setenv("COLUMNS", "100")
    r = invoke("gradcheck", "--convergence", "--backward", f"{ROOT / 'examples' / 'backward.py'}:backward_without_the_2")
    assert r.exit_code == 1, r.output
    panel = " ".join(r.output.split("convergence: FAIL")[1].replace("│", " ").split())
    assert panel.count("no slope leads to it") == 1, panel
    assert "order (slope of log ratio vs log ε) —; smallest ratio" in panel, panel
    assert ("• ×½: analytic/numeric = 0.5 on all 13 entries: a cost-derivative or averaging bug, a factor 2 missing "
            "— for squared_error ∂C/∂a = 2(a − y) (seed 000, eq. 4)") in panel, panel


@pytest.mark.parametrize("extra", [[], ["--convergence"]])
def test_the_header_and_json_settings_name_the_l2_term_checked(extra):
    """training.l2: 0.5 makes the checked cost C + (λ/2) Σ ||w||², but the header read 'squared_error'
    alone and --json's settings had no λ: a learner whose backward forgot λ·w could not see why."""
    r = invoke("gradcheck", "--set", "training.l2=0.5", *extra)
    assert r.exit_code == 0, r.output
    assert r.output.startswith("checking backprop on 2-3-1 sigmoid/sigmoid, squared_error + L2 (λ = 0.5), "), r.output
    d = json.loads(invoke("gradcheck", "--set", "training.l2=0.5", "--json", *extra).stdout)
    assert d["settings"]["l2"] == 0.5
    plain = invoke("gradcheck", *extra)
    assert "L2" not in plain.output.splitlines()[0]
    assert json.loads(invoke("gradcheck", "--json", *extra).stdout)["settings"]["l2"] == 0.0


def _cancelling_config(tmp_path):
    """XOR 2-2-1, a linear hidden layer of weights 1e20 and a σ output under cross-entropy: both hidden
    units equal, so z^(2) = 1e20·a_0^(1) − 1e20·a_1^(1) sums terms of ±1e40 to ~0, which the forward
    pass rounds to ~1e23-1e24 (the true ∂C/∂b^(1) is 0)."""
    path = tmp_path / "cancel.yaml"
    path.write_text(
        "seed: 0\ndata: {dataset: xor, test_fraction: 0}\n"
        "network: {layers: [2, 2, 1], activation: linear, output_activation: sigmoid, "
        "weights: [[[1e20, 1e20], [1e20, 1e20]], [[1e20, -1e20]]], biases: [[0, 0], [0]]}\n"
        "cost: cross_entropy\ntraining: {learning_rate: 1, epochs: 1}\n")
    return path


@pytest.mark.parametrize("mode", ["full", "sample", "fast"])
def test_a_difference_the_forward_pass_rounding_swamps_is_unresolved_not_failed(tmp_path, mode):
    """Weights of 1e20 behind a linear hidden layer: z^(2) is the rounding of terms of 1e40, and b^(1)'s
    moves are rounded away in z^(1) = 1e20 + h for three examples of four. Every step's quotient read
    1.25e19, the steps 'agreed', and backprop's correct b^(1) FAILED (exit 1, 'the tolerance is finer than
    central differences resolve'). The forward pass's rounding of its terms (u·Σ|w_jk a_k| carried to C
    by |δ|) explains the whole miss: b^(1) is unresolved, reason 'terms', named with the size of the
    terms, and the check is inconclusive (exit 3); --convergence cannot judge it either."""
    path = _cancelling_config(tmp_path)
    r = runner.invoke(app, ["gradcheck", str(path), "--mode", mode, "--json"])
    assert r.exit_code == 3, r.output
    data = json.loads(r.stdout)
    assert data["status"] == "inconclusive" and data["n_failed"] == 0, data
    b1 = data["tensors"][1]
    assert b1["name"] == "b^(1)" and b1["status"] == "inconclusive" and b1["unresolved_reasons"] == {"terms": 2}, b1
    assert [e["reason"] for e in b1["kinks"]] == ["terms", "terms"], b1
    r = runner.invoke(app, ["gradcheck", str(path), "--mode", mode], env={"COLUMNS": "120"})
    text = " ".join(r.output.replace("│", " ").split())
    assert r.exit_code == 3 and "gradcheck: INCONCLUSIVE" in text, text
    assert ("its steps give quotients that miss a by no more than the forward pass's own rounding can shift them: "
            "z = w a + b sums terms |w_jk a_k| up to 4e+40, rounded to ~u·Σ_k |w_jk a_k| however much they cancel"
            in text.replace("their steps", "its steps")), text
    if mode == "full":
        r = runner.invoke(app, ["gradcheck", str(path), "--convergence"], env={"COLUMNS": "120"})
        text = " ".join(r.output.replace("│", " ").split())
        assert r.exit_code == 3 and "convergence: CANNOT JUDGE" in text, text
        assert "the steps of 2 entries give quotients that miss a by no more than the forward pass's own" in text


WRONG_AT_1E20 = """from backprop_cli.network import Network
def _own(weights, biases, X, Y):
    net = Network([2, 2, 1], 'linear', output_activation='sigmoid', cost='cross_entropy')
    net.weights, net.biases = weights, biases
    return net.gradients(X, Y)
def shifted(weights, biases, X, Y, config):
    dw, db = _own(weights, biases, X, Y)
    db[0] = db[0] + 1e30
    return dw, db
def doubled(weights, biases, X, Y, config):
    dw, db = _own(weights, biases, X, Y)
    return dw, [2 * d for d in db]
"""


def test_a_wrong_gradient_beyond_the_forward_pass_rounding_still_fails_at_weights_of_1e20(tmp_path):
    """What the forward pass's rounding cannot explain is still a failure on the same 1e20 network: b^(1)
    off by 1e30 (that rounding reaches ~1e29 there) fails with the 4 XOR examples, and ∂C/∂b doubled fails
    b^(1) and b^(2) on the example x = (0, 0), where nothing cancels (backprop's own passes there)."""
    path = _cancelling_config(tmp_path)
    code = tmp_path / "wrong.py"
    code.write_text(WRONG_AT_1E20)
    r = runner.invoke(app, ["gradcheck", str(path), "--backward", f"{code}:shifted", "--json"])
    assert r.exit_code == 1, r.output
    assert [t["status"] for t in json.loads(r.stdout)["tensors"]][1] == "fail", r.stdout
    r = runner.invoke(app, ["gradcheck", str(path), "--backward", f"{code}:doubled", "--x", "0,0", "--y", "1", "--json"])
    assert r.exit_code == 1, r.output
    assert {t["name"]: t["status"] for t in json.loads(r.stdout)["tensors"]} == {
        "w^(1)": "pass", "b^(1)": "fail", "w^(2)": "pass", "b^(2)": "fail"}, r.stdout
    assert invoke("gradcheck", path, "--x", "0,0", "--y", "1").exit_code == 0


HUGE_RELU = ["--set", "network.layers=[2,2,1]", "--set", "network.activation=relu", "--set",
             "network.output_activation=sigmoid", "--set",
             "network.weights=[[[1e308,-1e308],[-1e308,1e308]],[[1e308,1e308]]]", "--set", "network.biases=[[0,0],[0]]"]


def test_fast_mode_leaves_a_direction_below_atol_out_of_max_rel_err_as_full_mode_does():
    """Fast mode showed b^(1)'s 'max rel err 1.00e+00' beside 'pass', unexplained: its random direction's
    vᵀ∇C and quotient (~1e-12) are both below atol, so that relative error is rounding noise, which full mode
    shows as '—' for the same tensor. Fast mode now shows '—' too, and its caption says why."""
    rows = {}
    for mode in ("full", "fast"):
        r = invoke("gradcheck", *HUGE_RELU, "--mode", mode, "--json")
        assert r.exit_code == 0, r.output
        rows[mode] = {t["name"]: t for t in json.loads(r.stdout)["tensors"]}
    assert rows["full"]["b^(1)"]["max_rel_error"] is None
    b1 = rows["fast"]["b^(1)"]
    assert b1["max_rel_error"] is None and b1["n_below_atol"] == 1 and b1["max_rel_below_atol"] == pytest.approx(1.0)
    assert b1["directional"]["rel_error"] == pytest.approx(1.0)  # the direction's own figure is kept
    out = invoke("gradcheck", *HUGE_RELU, "--mode", "fast").output
    row = next(line for line in out.splitlines() if line.strip().startswith("b^(1)"))
    assert "1.00e+00" not in row and "—" in row, out
    assert "max rel err — where vᵀ∇C and its quotient are below atol" in " ".join(out.split()), out


def test_a_sweep_that_judges_no_entry_at_any_eps_says_so_not_that_the_ratio_is_smallest_at_the_largest():
    """Every entry below atol at every ε (an output weight of 1e308 saturates tanh): the sweep showed
    '0.000e+00 excellent' at every ε and 'order — (none measured: the ratio is smallest already at ε = 1e-01, the
    largest ε, so no slope leads to it)'. No ratio was measured at all: the rows say none is judged, and so
    does the order's reason."""
    r = invoke("gradcheck", "--set", "network.weights=[[[1,1],[1,1],[1,1]],[[1e308,1e308,1]]]", "--set",
               "network.activation=tanh", "--convergence")
    assert r.exit_code == 0, r.output
    out = " ".join(line.strip("│ ") for line in r.output.splitlines())
    assert "smallest already" not in out and "excellent" not in out and "0.000e+00" not in out, r.output
    assert out.count("none reaches atol") == 8, r.output
    assert "order (slope of log ratio vs log ε) — (none measured: no entry reaches atol at any ε" in out, r.output
    data = json.loads(invoke("gradcheck", "--set", "network.weights=[[[1,1],[1,1],[1,1]],[[1e308,1e308,1]]]", "--set",
                             "network.activation=tanh", "--convergence", "--json").stdout)
    assert data["n_judged"] == [0] * 8



def test_a_sweep_that_judges_no_entry_says_so_in_its_title_and_in_the_plain_checks_words():
    """Every entry below atol at every ε: the panel was titled 'convergence: PASS' over rows reading 'none
    judged', and its verdict said 'none is judged' where the plain check on the same config said 'every entry
    judged … is below atol'. Both now say 'no entry, analytic or numeric, reaches atol', each passes on atol
    (exit 0 in both, as before), and the sweep's title says it passed on atol, not on a measured order."""
    args = ("--set", "network.weights=[[[1,1],[1,1],[1,1]],[[1e308,1e308,1]]]", "--set", "network.activation=tanh")
    sweep, plain = invoke("gradcheck", *args, "--convergence"), invoke("gradcheck", *args)
    assert (sweep.exit_code, plain.exit_code) == (0, 0), sweep.output + plain.output
    out, text = (" ".join(line.strip("│ ") for line in r.output.splitlines()) for r in (sweep, plain))
    assert "convergence: PASS on atol " in out, sweep.output
    assert "judged" not in out and "judged" not in text, sweep.output + plain.output
    for said in (out, text):
        assert "analytic or numeric, reaches atol" in said and "each passes on atol" in said, said
        assert "nothing to judge beyond that" in said, said


def test_the_plain_check_that_judges_no_entry_is_titled_pass_on_atol_as_the_sweep_and_its_json_has_no_errors():
    """--atol 1 on xor: the sweep was titled 'convergence: PASS on atol' (as the plain check, its commit said)
    while the plain check, full or fast, stayed 'gradcheck: PASS'; and the sweep's --json gave errors and
    ratios of 0.0 and best_eps 0.1 where its rows show '—': nothing was measured. Both titles now say it passed
    on atol (exit 0 as before); the JSON has null there, best_eps null, and a check that judges entries keeps
    its plain PASS."""
    xor = ROOT / "configs" / "xor.yaml"
    for mode in ("full", "fast"):
        r = invoke("gradcheck", xor, "--atol", "1", "--mode", mode)
        assert r.exit_code == 0 and "gradcheck: PASS on atol " in r.output, r.output
    r = invoke("gradcheck", xor)
    assert r.exit_code == 0 and "gradcheck: PASS " in r.output and "on atol " not in r.output, r.output
    data = json.loads(invoke("gradcheck", xor, "--atol", "1", "--convergence", "--json").stdout)
    assert data["status"] == "pass" and data["n_judged"] == [0] * 8
    for key in ("max_rel_errors", "median_rel_errors", "global_ratios"):
        assert data[key] == [None] * 8, data[key]
    assert data["best_eps"] is None and data["best_error"] is None, data
    judged = json.loads(invoke("gradcheck", xor, "--convergence", "--json").stdout)
    assert None not in judged["global_ratios"] and judged["best_eps"] in judged["eps_values"], judged
    plain = json.loads(invoke("gradcheck", xor, "--atol", "1", "--json").stdout)  # as the README says
    assert (plain["status"], plain["global_ratio"], plain["band"]) == ("pass", None, "below atol"), plain


def test_a_sweep_with_an_entry_no_eps_resolves_exits_3_as_the_plain_check(tmp_path):
    """A 2-1 linear net, x = (1, 1e-6), y = 1e6 (C ≈ 1e12), correct backprop: the plain check marks ∂C/∂w_01 = −2
    unresolved (exit 3), the costs' rounding blurring it at every step; --convergence said 'PASS … the gradient is
    correct' (exit 0) on the other two entries. It now cannot judge (exit 3), naming the entry; JSON says so."""
    (tmp_path / "lin.csv").write_text("x1,x2,y\n1,1e-6,1e6\n")
    (tmp_path / "c.yaml").write_text(
        "data: {path: lin.csv, target: y, task: regression, test_fraction: 0}\n"
        "network: {layers: [2, 1], activation: linear, weights: [[[1.0, 1.0]]], biases: [[0.0]]}\n"
        "cost: squared_error\n")
    plain, sweep = invoke("gradcheck", tmp_path / "c.yaml"), invoke("gradcheck", tmp_path / "c.yaml", "--convergence")
    assert (plain.exit_code, sweep.exit_code) == (3, 3), plain.output + sweep.output
    out = " ".join(line.strip("│ ") for line in sweep.output.splitlines())
    assert "convergence: CANNOT JUDGE" in out and "(w^(1)[0,1]) cannot be judged at any ε" in out, sweep.output
    assert "; the gradient is correct" not in out and ": the gradient is correct" not in out, sweep.output
    data = json.loads(invoke("gradcheck", tmp_path / "c.yaml", "--convergence", "--json").stdout)
    assert data["status"] == "inconclusive" and data["unresolved_entries"] == {"w^(1)": 1}, data


ROW_WRONG = """from backprop_cli.network import Network
def _own(weights, biases, X, Y, config):
    net = Network.from_config(config)
    net.weights, net.biases = [w.copy() for w in weights], [b.copy() for b in biases]
    return net.gradients(X, Y)
def row_wrong(weights, biases, X, Y, config):
    dw, db = _own(weights, biases, X, Y, config)
    dw[0][1] = dw[0][1] * 1.5
    return dw, db
def row_mixed(weights, biases, X, Y, config):
    dw, db = _own(weights, biases, X, Y, config)
    dw[0][1] = dw[0][1] * [1.5, 2.0, 0.7, 3.0]
    return dw, db
"""


def test_one_row_scaled_by_1_5_is_diagnosed_alike_in_full_and_fast_mode_row_and_factor(tmp_path):
    """Row 1 of ∂C/∂w^(1) times 1.5 on iris: full mode said 'every failing entry is in row j = 1 … look at BP4'
    and never named the ×1.5; fast mode said 'constant ratio ×1.5' with the whole tensor's 'look at a^(0)', and
    no row. Both now name the row and the factor, and the row's passing bias; fast mode names the row of its
    located entries where they are all in one row whatever their ratios."""
    code = tmp_path / "row.py"
    code.write_text(ROW_WRONG)
    cfg = ROOT / "configs" / "iris.yaml"
    for mode in ("full", "fast"):
        r = invoke("gradcheck", cfg, "--backward", f"{code}:row_wrong", "--mode", mode, "--json")
        assert r.exit_code == 1, r.output
        w1 = next(t for t in json.loads(r.stdout)["tensors"] if t["name"] == "w^(1)")
        text = " ".join(w1["diagnosis"])
        assert "is in row j = 1" in text and "analytic/numeric = 1.5" in text and "×1.5 on this row alone" in text, text
        assert "b^(1)[1] passes" in text and "look at BP4 for this row" in text, text
        assert "a constant factor is missing or extra" not in text, text  # not the whole tensor's factor
    r = invoke("gradcheck", cfg, "--backward", f"{code}:row_mixed", "--mode", "fast", "--json")
    w1 = next(t for t in json.loads(r.stdout)["tensors"] if t["name"] == "w^(1)")
    assert w1["diagnosis"][0].startswith("every failing entry located is in row j = 1"), w1["diagnosis"]


def test_the_eps_suggested_for_steps_that_cross_a_kink_is_one_that_crosses_none():
    """A ReLU unit at z = ±1e-7 across the examples: the steps of ε = 1e-5 cross its kink both ways. The note
    suggested ε/100 = 1e-07 whatever the distance, which still crossed it (exit 3, then a suggestion of 1e-09). The
    suggestion now comes from the distance to the kink, |z| / |∂z/∂θ|, with a margin: one suggestion suffices."""
    args = ["--set", "network.layers=[2,1,1]", "--set", "network.activation=relu", "--set",
            "network.output_activation=sigmoid", "--set", "network.weights=[[[-2e-7,0]],[[1]]]",
            "--set", "network.biases=[[1e-7],[0]]"]
    cfg = ROOT / "configs" / "xor.yaml"
    for mode in ("full", "fast"):
        r = invoke("gradcheck", cfg, *args, "--mode", mode)
        assert r.exit_code == 3, r.output
        out = " ".join(line.strip("│ ") for line in r.output.splitlines())
        suggested = set(re.findall(r"e\.g\. --eps (\S+) \(the nearest kink is about 1e-07 away in θ\)", out))
        assert suggested == {"1e-08"}, out
        again = invoke("gradcheck", cfg, *args, "--mode", mode, "--eps", suggested.pop())
        assert again.exit_code == 0, again.output


@pytest.mark.parametrize("config, sets", [("xor", ()), ("xor_relu", ()), ("sine", ("training.l2=0.1",)),
                                          ("hand_worked", ())])
def test_the_shipped_example_backward_passes_and_its_slip_is_diagnosed(config, sets):
    """--help's example named mybackprop.py, which nobody had: examples/backward.py ships, written from
    seed 000's equations, and passes; its backward_without_the_2 gets the ×½ box the README describes."""
    example = ROOT / "examples" / "backward.py"
    setting = [a for s in sets for a in ("--set", s)]
    r = invoke("gradcheck", ROOT / "configs" / f"{config}.yaml", "--backward", f"{example}:backward", *setting)
    assert r.exit_code == 0, r.output
    if config == "hand_worked":  # σ' from σ: e^(800) / (1 + e^(800))² was inf / inf = nan at z = −800
        r = invoke("gradcheck", ROOT / "configs" / "hand_worked.yaml", "--backward", f"{example}:backward",
                   "--set", "network.biases=[[-800,-800],[0.6,0.6]]")
        assert r.exit_code == 0 and "nan" not in r.output and "RuntimeWarning" not in r.output, r.output
    if config == "xor":
        r = invoke("gradcheck", ROOT / "configs" / "xor.yaml", "--backward", f"{example}:backward_without_the_2")
        said = " ".join(r.output.replace("│", " ").split())
        assert r.exit_code == 1 and "×½: analytic/numeric = 0.5 on every entry" in said, r.output
        assert "for squared_error ∂C/∂a = 2(a − y)" in said, r.output



@pytest.mark.parametrize("slip, head", [
    ("backward_without_the_2", "×½: (analytic − λw)/(numeric − λw) = 0.5 on every entry (λw: the L2 term, 0 for b^(1), "
                               "b^(2)): a cost-derivative or averaging bug, a factor 2 missing"),
    ("negated", "sign flip: (analytic − λw)/(numeric − λw) = -1 on every entry (λw: the L2 term, 0 for b^(1), b^(2)), "
                "analytic − λw = −(numeric − λw): e.g. y − a written for a − y"),
])
def test_a_slip_in_dC_da_under_l2_is_one_box(tmp_path, monkeypatch, slip, head):
    """Under training.l2 the README's slip without the 2 printed three boxes, w^(1); b^(1), b^(2); w^(2): each w named
    its own layer in '(analytic − λ w^(1))/(numeric − λ w^(1))', so no two texts matched. λw is the box's own w's,
    0 for a bias: one box. With every δ negated, the biases offered 'or a step taken up the gradient', which would
    negate λw too, where every w shows λw as it is: not said."""
    monkeypatch.setenv("COLUMNS", "250")
    example = ROOT / "examples" / "backward.py"
    (tmp_path / "bw.py").write_text(example.read_text() + "\n\ndef negated(w, b, X, Y, c):\n"
                                    "    return backward(w, b, X, Y, c, factor=-2.0)\n")
    r = invoke("gradcheck", "--backward", f"{tmp_path / 'bw.py'}:{slip}", "--set", "training.l2=0.1")
    said = " ".join(r.output.replace("│", " ").split())
    assert r.exit_code == 1 and said.count("failing ─") == 1, r.output
    assert "w^(1), b^(1), w^(2), b^(2): 13 failing" in said and f"• {head}" in said, r.output
    assert "taken up the gradient" not in said and "negated for the update" not in said, r.output


def test_a_w_whose_whole_values_show_the_ratio_is_not_boxed_with_ones_read_with_l2_taken_out():
    """Under training.l2 a w^(l) read with λw taken out shares its box with the biases (λw 0 there), but a w^(l) whose
    whole values, λw too, show the same ratio is another finding: its own box, not '(analytic − λw)/… on every entry'."""
    from types import SimpleNamespace

    from backprop_cli.render.gradcheck import _grouped

    def t(kind, l, said):
        return SimpleNamespace(kind=kind, layer=l, label=f"{kind}^({l})", status="fail", diagnosis=(said,))
    tail = ": a cost-derivative or averaging bug, a factor 2 missing"
    report = SimpleNamespace(tensors=[t("w", 1, f"×½: (analytic − λw)/(numeric − λw) = 0.5 on all 6 entries{tail}"),
                                      t("b", 1, f"×½: analytic/numeric = 0.5 on all 3 entries{tail}"),
                                      t("w", 2, f"×½: analytic/numeric = 0.5 on all 3 entries{tail}")])
    assert [[x.label for x in g] for g in _grouped(report)] == [["w^(1)", "b^(1)"], ["w^(2)"]]

def test_a_ratio_known_to_1e_3_on_one_tensor_and_to_a_spread_on_another_is_one_box():
    """A ratio blurred by the costs' rounding on b^(1) ('(to ±2%: …)') and known to 1e-3 on w^(1), whose entries near 0
    are left out, is one finding: one box, saying which tensor's ratio is known to ±2% (they had a box each)."""
    from types import SimpleNamespace

    from backprop_cli.gradcheck import shared_words
    from backprop_cli.render.gradcheck import _grouped

    def t(kind, l, said):
        return SimpleNamespace(kind=kind, layer=l, label=f"{kind}^({l})", status="fail", diagnosis=(said,))
    blur = " (to ±2%: the costs' rounding blurs quotients of gradients this small)"
    tail = ": a cost-derivative or averaging bug, a factor 2 missing"
    report = SimpleNamespace(tensors=[
        t("w", 1, f"×½: (analytic − λw)/(numeric − λw) = 0.5 on all 5 entries not near 0 (of 6 checked){tail}"),
        t("b", 1, f"×½: analytic/numeric = 0.5 on all 3 entries{blur}{tail}"),
        t("b", 2, f"×½: analytic/numeric = 0.5 on the 1 entry{tail}")])
    groups = _grouped(report)
    assert [[x.label for x in g] for g in groups] == [["w^(1)", "b^(1)", "b^(2)"]]
    shared = ("×½: (analytic − λw)/(numeric − λw) = 0.5 on every entry not near 0 (λw: the L2 term, 0 for b^(1), b^(2)) "
              f"(to ±2% on b^(1): the costs' rounding blurs quotients of gradients this small){tail}")
    assert shared_words([x.diagnosis for x in groups[0]], [x.label for x in groups[0]]) == (shared,)


DEAD_UNIT_CONFIG = """seed: 0
data: {path: data.csv, target: y, task: regression, test_fraction: 0}
network: {layers: [2, 2, 1], activation: relu, output_activation: linear,
  weights: [[[0.0, 0.0], [0.5, -0.3]], [[1.0, 1.0]]], biases: [[-1.0, 0.2], [0.0]]}
cost: half_squared_error
"""


def test_a_dead_relu_units_zero_gradient_passes_on_a_cost_of_7e5(monkeypatch, tmp_path):
    """A correct backprop whose dead ReLU unit (w^(1)[0,·] = 0, b^(1)[0] = −1) has gradients of exactly 0, on
    targets of ~1e3 (C ≈ 7e5): the cost does not move at ε, so those 0s were re-judged, and no pair of steps
    agreed to half the tolerance: INCONCLUSIVE (exit 3), 'Try weights nearer 1'. The largest step, h = 0.1,
    bounds the slope to u·|C|/h ≈ 2e-9 < atol: PASS (exit 0), and the panel says why those entries were
    judged at another step (they matched at ε), not that they failed at ε."""
    monkeypatch.setenv("COLUMNS", "100")
    (tmp_path / "data.csv").write_text("x1,x2,y\n1,2,1500\n-1,0.5,900\n0.3,-1,1100\n2,1,1300\n")
    (tmp_path / "config.yaml").write_text(DEAD_UNIT_CONFIG)
    r = invoke("gradcheck", tmp_path / "config.yaml")
    assert r.exit_code == 0 and "gradcheck: PASS" in r.output, r.output
    text = " ".join(_panel(r.output, "gradcheck: PASS"))
    assert ("4 entries matched at ε only because the cost did not move there (its rounding, ~u·|C|/ε, is above "
            "the tolerance): judged at the step") in text, text
    assert "failed at ε" not in text and "unresolved" not in r.output, r.output
    # --convergence agrees: its quotients of exactly 0 are bounded by the costs' spacing, ~u·|C|/ε (2e-9 at
    # ε = 0.1), as the step ladder reads them, not by 16 ulps of C (1.3e-8 > atol: CANNOT JUDGE, exit 3)
    r = invoke("gradcheck", tmp_path / "config.yaml", "--convergence")
    assert r.exit_code == 0 and "convergence: PASS" in r.output and "CANNOT JUDGE" not in r.output, r.output


def test_a_seed_given_to_gradcheck_says_it_does_not_pick_the_network(tmp_path):
    """explain --seed 1 explains the network drawn from seed 1; gradcheck --seed 1 checked seed 0's
    network on other rows, with nothing saying so: a learner cross-checking the two looked at two
    networks. A note says it where the network is drawn from the config's seed and --seed differs."""
    def noted(*args):
        r = invoke("gradcheck", *args)
        assert r.exit_code == 0, r.output
        notes = [line for line in r.stderr.splitlines() if line.startswith("note: --seed")]
        assert len(notes) <= 1, r.stderr
        return notes[0] if notes else None

    iris = ROOT / "configs" / "iris.yaml"  # 120 training rows, 4 checked
    assert noted(iris, "--seed", "1") == (
        "note: --seed 1 picks the examples checked, not the network: its weights are drawn from the config's seed 0 "
        "(explain's and train's --seed draw the network; here that is --set seed=1)")
    # what it picks follows the mode, the rows and --x/--y; in full mode with every row or --x and --y, nothing
    assert noted(iris, "--seed", "1", "--mode", "sample").startswith(
        "note: --seed 1 picks the examples and entries checked,")
    assert noted(iris, "--seed", "1", "--mode", "fast").startswith(
        "note: --seed 1 picks the examples and directions checked,")
    assert noted("--seed", "1") == (  # xor: its 4 rows are the 4 examples checked
        "note: --seed 1 is not used here (every row of the training split is checked, and every entry is "
        "checked), and it does not pick the network: its weights are drawn from the config's seed 0 (explain's and "
        "train's --seed draw the network; here that is --set seed=1)")
    assert noted("--seed", "1", "--mode", "fast").startswith("note: --seed 1 picks the directions checked,")
    # sample mode draws entries only from a tensor larger than --params (xor's largest has 6, the default is 10)
    assert noted("--seed", "1", "--mode", "sample", "--params", "5", "--x", "0,1", "--y", "1").startswith(
        "note: --seed 1 picks the entries checked, not the network:")
    assert noted("--seed", "1", "--mode", "sample", "--x", "0,1", "--y", "1").startswith(
        "note: --seed 1 is not used here (--x and --y give the example, and every entry is checked)")
    assert noted(iris, "--seed", "1", "--mode", "sample", "--params", "1000", "--examples", "1000").startswith(
        "note: --seed 1 is not used here (every row of the training split is checked, and every entry is checked)")
    assert noted("--seed", "1", "--x", "0,1", "--y", "1").startswith(
        "note: --seed 1 is not used here (--x and --y give the example, and every entry is checked), and it "
        "does not pick the network: its weights are drawn from the config's seed 0")
    # given weights beside biases init normal draws: the seed draws the biases (init auto's are constants)
    cfg = tmp_path / "w.yaml"
    cfg.write_text("seed: 0\ndata: {dataset: xor, test_fraction: 0}\nnetwork:\n  layers: [2, 2, 1]\n"
                   "  init: normal\n  weights: [[[0.1, 0.2], [0.3, -0.4]], [[0.5, -0.6]]]\n")
    assert "its biases are drawn from the config's seed 0" in noted(cfg, "--seed", "1")
    assert not noted(cfg, "--seed", "1", "--set", "network.init=auto")
    r = invoke("gradcheck", "--seed", "2", "--set", "seed=5")
    assert "its weights are drawn from the config's seed 5 (" in r.stderr and "here that is --set seed=2)" in r.stderr
    assert not noted()  # the default --seed
    assert not noted("--seed", "0")  # the config's own seed: it picks that network too
    assert not noted("--seed", "3", "--set", "seed=3")
    assert not noted(ROOT / "configs" / "hand_worked.yaml", "--seed", "3")  # given weights: no seed draws them
    r = invoke("gradcheck", "--seed", "1", "--json")
    assert r.exit_code == 0 and r.stderr == "", r.stderr  # --json: stderr stays clean, as for its other notes
    run = tmp_path / "run"
    assert invoke("train", "--epochs", "2", "--quiet", "--out", run).exit_code == 0
    assert not noted("--model", run, "--seed", "1")  # a trained model: its weights are the run's


def test_a_ratio_shared_with_failing_layers_above_is_not_placed_in_the_lowest_layer_alone(tmp_path):
    """δ^(2) halved (w and b of layers 1 and 2 at ×½ under a passing layer 3) had layer 1 told 'a factor 2 missing
    in layer 1's own formulas', which are right: the slip in δ^(2) reaches δ^(1) through BP2. Layer 1's box now
    names layer 2's formulas too; layer 2's, with no failing layer above it, its own."""
    (tmp_path / "half.py").write_text(_library_bug("half_l12", "[dw[0] / 2, dw[1] / 2, *dw[2:]], "
                                                               "[db[0] / 2, db[1] / 2, *db[2:]]"))
    r = invoke("gradcheck", "--set", "network.layers=[2,3,3,1]", "--backward", f"{tmp_path / 'half.py'}:half_l12")
    assert r.exit_code == 1, r.output
    boxes = {box.split(":", 1)[0]: " ".join(box.replace("│", " ").split()) for box in r.output.split("╭─ ")[1:]}
    assert ("a factor 2 missing in layer 1's own formulas or those of layer 2, which fails too (one in ∂C/∂a would "
            "fail layer 3 too, which passes): in δ^(k) as BP2 hands it back for a layer k from 1 to 2") in \
        boxes["w^(1), b^(1)"], boxes
    assert "a factor 2 missing in layer 2's own formulas (one in ∂C/∂a" in boxes["w^(2), b^(2)"], boxes


@pytest.mark.parametrize("layers, returned", [
    # layers 1 and 3 halved, layer 2 passing between them: δ^(2) is right, so nothing above reaches δ^(1)
    ("[2,3,3,3,1]", "[dw[0] / 2, dw[1], dw[2] / 2, dw[3]], [db[0] / 2, db[1], db[2] / 2, db[3]]"),
    # layer 2's b passes (δ^(2) right), its w halved
    ("[2,3,3,1]", "[dw[0] / 2, dw[1] / 2, dw[2]], [db[0] / 2, db[1], db[2]]"),
    # layer 2 flipped: a slip in δ^(2) would have given it ×½ too
    ("[2,3,3,1]", "[dw[0] / 2, -dw[1], dw[2]], [db[0] / 2, -db[1], db[2]]"),
])
def test_a_layer_above_is_named_with_a_ratio_only_where_it_fails_with_that_ratio_throughout(layers, returned,
                                                                                           tmp_path):
    """Layer 1's ×½ named 'those of layers 2-3, which fail too' with layer 2 passing, and 'layer 2' where b^(2)
    passes or layer 2's ratio is another: a layer above is named only while every tensor of it fails with the
    same ratio."""
    (tmp_path / "bug.py").write_text(_library_bug("bug", returned))
    r = invoke("gradcheck", "--set", f"network.layers={layers}", "--backward", f"{tmp_path / 'bug.py'}:bug")
    assert r.exit_code == 1, r.output
    box = " ".join(r.output.split("╭─ w^(1)", 1)[1].split("╰", 1)[0].replace("│", " ").split())
    assert "a factor 2 missing in layer 1's own formulas (one in ∂C/∂a would fail" in box, box
    assert "or those of" not in box, box


def test_a_partner_ratio_is_shown_to_the_digits_that_tell_it_apart(tmp_path):
    """w^(1) at ×−1 beside b^(1) at ×−1.0015 read 'would give b^(1) this ratio too, where it shows ×-1': the
    two differ by more than the 0.1% that splits them, so the partner's is shown as its own box shows it."""
    (tmp_path / "bug.py").write_text(_library_bug("bug", "[-dw[0], *dw[1:]], [-1.0015 * db[0], *db[1:]]"))
    r = invoke("gradcheck", "--backward", f"{tmp_path / 'bug.py'}:bug")
    assert r.exit_code == 1, r.output
    said = " ".join(r.output.replace("│", " ").split())
    assert "would give b^(1) this ratio too, where it shows ×-1.0015)" in said, said


def test_a_file_given_without_its_function_is_read_not_run(tmp_path):
    """backprop gradcheck --backward pr.py (no :FUNCTION) imported pr.py to name its candidates: its
    prints reached stdout, a sleep delayed the error, os._exit ended the command with no message."""
    f, ran = tmp_path / "pr.py", tmp_path / "ran"
    f.write_text(f"print('HELLO from import')\nopen({str(ran)!r}, 'w').close()\n\n"
                 "def backward(weights, biases, X, Y, config):\n    return None\n")
    r = invoke("gradcheck", "--backward", str(f))
    assert r.exit_code == 2 and r.stdout == "" and not ran.exists(), r.output
    assert " ".join(r.stderr.split()).endswith(f"e.g. {f}:backward (the one function defined there that can be a backward, taking "
                                               "(weights, biases, X, Y, config))"), r.stderr


def test_a_callable_whose_signature_cannot_be_read_is_no_traceback(tmp_path):
    """inspect.signature raising TypeError (a __signature__ of 1, a __call__ of 5) came out of the
    hint's check as UnboundLocalError, and of a named function's check as a TypeError traceback."""
    f = tmp_path / "odd.py"
    f.write_text("class C:\n    __call__ = 5\nthing = C()\ndef backward(weights, biases, X, Y, config):\n    pass\n"
                 "def backwardz(a):\n    pass\nbackwardz.__signature__ = 1\n")
    r = invoke("gradcheck", "--backward", f"{f}:backwards")
    assert r.exit_code == 2 and "Traceback" not in r.output and "(did you mean backward" in r.stderr, r.output
    r = invoke("gradcheck", "--backward", f"{f}:backwardz")
    assert r.exit_code == 2 and "Traceback" not in r.output, r.output
    assert "backwardz() takes 1 positional argument but 5 were given" in " ".join(r.stderr.split()), r.stderr


def _assert_read_hints(tmp_path, cases: dict[str, tuple[str, str]]) -> None:
    """Each file NAME: SOURCE given to --backward without :FUNCTION ends its one-line error in TAIL
    ({f}: the file's path)."""
    for name, (source, tail) in cases.items():
        f = tmp_path / name
        f.write_text(source)
        r = invoke("gradcheck", "--backward", str(f))
        assert r.exit_code == 2 and " ".join(r.stderr.split()).endswith(tail.format(f=f)), (name, r.stderr)


def test_a_file_read_for_its_functions_names_lambdas_imports_and_defs_in_blocks(tmp_path):
    """Read, not run: a lambda and a def inside a top-level if/try are functions it defines; where
    none can be a backward, its imports are named as not read (a learner's 'from mine import backward
    as my_backward' was 'no def there can be a backward'); a declared encoding is honoured; a
    missing file is said to be missing."""
    cases = {
        "lam.py": ("from mine import mine as my_backward\nbw = lambda w, b, X, Y, c: None\ndef plot(h): pass\n",
                   "e.g. {f}:bw (the one function defined there that can be a backward, taking (weights, biases, "
                   "X, Y, config))"),
        "imp.py": ("from mine import mine as my_backward\ndef plot(h): pass\n",
                   "(no function defined there can be a backward, taking (weights, biases, X, Y, config); "
                   "functions defined there: plot; imported there, not read: my_backward)"),
        "blocks.py": ("try:\n    import numpy\n    def backward(w, b, X, Y, c): pass\nexcept ImportError:\n    pass\n"
                      "if True:\n    def bw(w, b, X, Y, c): pass\n",
                      "(the functions defined there that can be a backward, taking (weights, biases, X, Y, config): "
                      "backward, bw)"),
    }
    _assert_read_hints(tmp_path, cases)
    latin = tmp_path / "latin.py"
    latin.write_bytes(b"# -*- coding: latin-1 -*-\n# caf\xe9\ndef backward(w, b, X, Y, c):\n    pass\n")
    r = invoke("gradcheck", "--backward", str(latin))
    assert r.exit_code == 2 and f"e.g. {latin}:backward" in " ".join(r.stderr.split()), r.stderr
    r = invoke("gradcheck", "--backward", str(tmp_path / "missing.py"))  # (a long path is shown shortened)
    line = " ".join(r.stderr.split())
    assert r.exit_code == 2 and "must look like FILE.py:FUNCTION; there is no file " in line, r.stderr
    assert line.endswith("missing.py either"), r.stderr


def test_a_file_read_for_its_functions_skips_what_an_import_does_not_run(tmp_path):
    """A def under `if __name__ == "__main__":` was offered, and FILE.py:backward then had no such
    function; an annotated lambda is a function defined there; __future__ and typing imports are no
    one's backward; a def in both arms of a try is one function; a folder is said to be one."""
    cases = {
        "main.py": ("def helper(x):\n    return x\nif __name__ == '__main__':\n    def backward(weights, biases, X, Y, "
                    "config):\n        return None\n",
                    "(no function defined there can be a backward, taking (weights, biases, X, Y, config); "
                    "functions defined there: helper)"),
        "ann.py": ("from __future__ import annotations\nfrom typing import Callable\n"
                   "backward: Callable = lambda weights, biases, X, Y, config: None\n",
                   "e.g. {f}:backward (the one function defined there that can be a backward, taking (weights, "
                   "biases, X, Y, config))"),
        "dup.py": ("try:\n    def backward(w, b, X, Y, c): pass\nexcept ImportError:\n    def backward(w, b, X, Y, c): "
                   "pass\n", "e.g. {f}:backward (the one function defined there that can be a backward, taking "
                             "(weights, biases, X, Y, config))"),
        "future.py": ("from __future__ import annotations\nfrom typing import Any\ndef helper(x: Any):\n    pass\n",
                      "(no function defined there can be a backward, taking (weights, biases, X, Y, config); "
                      "functions defined there: helper)"),
    }
    _assert_read_hints(tmp_path, cases)
    folder = tmp_path / "dir.py"
    folder.mkdir()
    r = invoke("gradcheck", "--backward", str(folder))
    assert r.exit_code == 2 and " ".join(r.stderr.split()).endswith("is a folder, not a file"), r.stderr


def test_a_backward_path_that_is_there_but_no_regular_file_is_said_to_be_what_it_is(tmp_path, monkeypatch):
    """FILE.py:FUNCTION on a folder, a FIFO or a device said `file … not found`, which it was not;
    FILE.py alone on a FIFO read it, waiting for ever for a writer."""
    import os

    monkeypatch.chdir(tmp_path)
    folder, fifo = Path("d.py"), Path("f.py")
    folder.mkdir()
    cases = {f"{folder}:backward": f"error: backward: {folder} is a folder, not a file"}
    if hasattr(os, "mkfifo"):
        os.mkfifo(fifo)
        cases[f"{fifo}:backward"] = f"error: backward: {fifo} is a FIFO (named pipe), not a regular file"
        cases[str(fifo)] = (f"error: backward: {fifo} must look like FILE.py:FUNCTION; {fifo} is a FIFO (named pipe), "
                            "not a regular file")
    if Path(os.devnull).exists() and os.devnull == "/dev/null":
        cases["/dev/null:backward"] = "error: backward: /dev/null is a device, not a regular file"
    for spec, line in cases.items():
        r = invoke("gradcheck", "--backward", spec, "--json")
        assert r.exit_code == 2 and " ".join(r.stderr.split()) == line, (spec, r.stderr)
        assert json.loads(r.stdout)["source"] == "input", (spec, r.stdout)


def test_a_backward_file_that_is_a_broken_link_is_said_to_be_one(tmp_path, monkeypatch):
    """`--backward b.py:backward` where b.py is a link to a file since removed said `file b.py not
    found`, and `--backward b.py` `there is no file b.py either`: b.py is there, in `ls` too. It is
    said to be a broken link, as a model.npz that is one is, with the file it points to."""
    import os

    monkeypatch.chdir(tmp_path)
    os.symlink("gone.py", "b.py")
    link = "b.py is a broken link (to gone.py, which does not exist)"
    r = invoke("gradcheck", "--backward", "b.py:backward", "--json")
    assert r.exit_code == 2 and r.stderr.splitlines() == [
        f"error: backward: {link}", "hint: restore the file it pointed to, or give the Python file itself"], r.stderr
    assert json.loads(r.stdout)["source"] == "input", r.stdout
    for spec in ("b.py", "b.py:"):
        r = invoke("gradcheck", "--backward", spec)
        assert r.exit_code == 2 and " ".join(r.stderr.split()) == (
            f"error: backward: {shown(spec)} must look like FILE.py:FUNCTION; {link}"), (spec, r.stderr)


def test_a_link_to_a_broken_link_names_the_chain_to_the_missing_file(tmp_path, monkeypatch):
    """c.py → mid.py → gone.py: it said 'c.py is a broken link (to mid.py, which does not exist)' of a
    mid.py that is there (a link itself); the chain is named to the missing name, for --backward as for
    a model.npz (the targets read as the links hold them, each relative to its own link's folder)."""
    import os

    monkeypatch.chdir(tmp_path)
    os.symlink("mid.py", "c.py")
    os.symlink("gone.py", "mid.py")
    r = invoke("gradcheck", "--backward", "c.py:backward")
    assert r.exit_code == 2 and r.stderr.splitlines()[0] == (
        "error: backward: c.py is a broken link (to mid.py → gone.py, which does not exist)"), r.stderr
    (tmp_path / "sub").mkdir()
    os.symlink(os.path.join("sub", "m.npz"), "model.npz")
    os.symlink(os.path.join("..", "none.npz"), os.path.join("sub", "m.npz"))
    r = invoke("predict", "model.npz", "x.csv")
    chain = f"{os.path.join('sub', 'm.npz')} → {os.path.join('..', 'none.npz')}"
    assert r.exit_code == 2 and f"is a broken link (to {chain}, which does not exist)" in r.stderr, r.stderr


def test_tensors_with_one_finding_share_a_box_whatever_mistakes_each_rules_out(tmp_path, monkeypatch):
    """σ'(a) for σ'(z) in every layer fails w^(1), b^(1), w^(2) and b^(2), and w^(2), b^(2) alone would fit the slip
    made at layer 2 only, which w^(1) and b^(1) rule out: they had a box of their own, the finding said again
    under a bullet 'not σ'(z) computed as σ(a)(1 − σ(a)) (in δ^(2) alone, layer 2's): that gives these same
    values, but …' (with σ' left out of every hidden δ^(l) of a 3-4-3-2 ReLU net, three such bullets). One box
    now says the finding once and the mistakes ruled out in one line; --json keeps each in its own words."""
    monkeypatch.setenv("COLUMNS", "100")
    f = tmp_path / "mine.py"
    f.write_text(LEARNER)
    alone = "not σ'(z) computed as σ(a)(1 − σ(a)) (in δ^(2) alone, layer 2's): that gives these same values"
    for function, ruled in (
            ("prime_of_a", ("taken alone, w^(2) and b^(2) would fit 1 other mistake too, which w^(1) and b^(1) "
                            "rule out (--json names it)")),
            ("no_prime_out", ("taken alone, w^(1) and b^(1) would fit 1 other mistake too, which w^(2) and b^(2) "
                              "rule out; w^(2) and b^(2) would fit 1 other mistake too, which w^(1) and b^(1) rule "
                              "out (--json names them)"))):
        r = invoke("gradcheck", "--backward", f"{f}:{function}")
        assert r.exit_code == 1, r.output
        boxes = [line for line in r.output.splitlines() if line.startswith("╭─ ")]
        assert len(boxes) == 1 and boxes[0].startswith("╭─ w^(1), b^(1), w^(2), b^(2): 13 failing "), r.output
        bullets = [b.strip() for b in " ".join(line.strip("│ ") for line in r.output.splitlines()
                                               if line.startswith("│")).split("• ")[1:]]
        assert len(bullets) == 2 and bullets[1].startswith(ruled), bullets
        assert "that gives these same values" not in r.output, r.output
    found = _diagnoses(tmp_path, "prime_of_a")
    assert found["w^(2)"][1].startswith(alone) and found["b^(2)"][1].startswith(alone), found
    assert len(found["w^(1)"]) == len(found["b^(1)"]) == 1, found


def test_a_passing_checks_footnote_gives_entries_below_atol_their_difference_not_a_relative_error(tmp_path):
    """A ReLU unit at z = 0 gives ∂C/∂w and ∂C/∂b an analytic 0 against a quotient of ~3e-11, below atol:
    the check passes, and its footnote said 'w^(1) 1 below atol, rel err up to 1.0e+00', a figure that reads
    as a failure. It now gives what judges such entries, |a − n| (against the atol it names)."""
    (tmp_path / "chain.csv").write_text("x,y\n0.7,1.0\n")
    config = tmp_path / "kink.yaml"
    config.write_text(
        "seed: 0\n"
        "data: {path: chain.csv, target: y, task: regression, test_fraction: 0, standardize: false}\n"
        "network: {layers: [1, 2, 1], activation: relu, output_activation: linear, weights: [[[1.0],[2.0]], "
        "[[0.5, -1.0]]], biases: [[-0.7, 0.1],[0.0]]}\n"
        "cost: half_squared_error\n")
    r = invoke("gradcheck", config)
    assert r.exit_code == 0, r.output
    data = json.loads(invoke("gradcheck", config, "--json").stdout)
    below = [t for t in data["tensors"] if t["n_below_atol"] and t["max_rel_below_atol"] == 1.0]
    assert [t["name"] for t in below] == ["w^(1)", "b^(1)"], data["tensors"]
    text = " ".join(r.output.split())
    assert "rel err up to" not in text, r.output
    for t in below:
        assert f"{t['name']} 1 below atol, |a − n| up to " in text, r.output
    atol = data["settings"]["atol"]
    said = re.findall(r"below atol, \|a − n\| up to (\S+?)[;\s]", text + " ")
    assert len(said) == 2 and all(float(x) <= atol for x in said), (said, atol)


@pytest.mark.parametrize("width", ["40", "44", "50", "100"])
def test_the_global_ratio_line_never_ends_with_its_equals(monkeypatch, width):
    """At 40 and 44 columns the summary read 'global ratio ‖a − n‖ / (‖a‖ + ‖n‖) =' over '2.796e-11': rich
    broke the line after its '='. Where it does not fit, '= 2.796e-11' starts the next line, its band beside it."""
    monkeypatch.setenv("COLUMNS", width)
    monkeypatch.setenv("NO_COLOR", "1")
    r = invoke("gradcheck", ROOT / "configs" / "iris.yaml")
    assert r.exit_code == 0, r.output
    lines = [line.strip("│ ") for line in r.stdout.splitlines()]
    assert not any(line.endswith("=") for line in lines), r.stdout
    at = next(i for i, line in enumerate(lines) if line.startswith("global ratio"))
    ratio = lines[at] if "= " in lines[at] else lines[at + 1]
    assert re.search(r"= \d\.\d{3}e[-+]\d\d", ratio), (lines[at], lines[at + 1])
    if int(width) < 50:
        assert lines[at] == "global ratio ‖a − n‖ / (‖a‖ + ‖n‖)" and lines[at + 1].endswith("excellent"), lines[at:at + 2]


@pytest.mark.parametrize("width", ["56", "60", "61", "62"])
def test_the_global_ratios_band_never_stands_alone_on_a_line(monkeypatch, width):
    """At 60 columns the verdict read 'global ratio ‖a − n‖ / (‖a‖ + ‖n‖) = 3.158e-11' over a lone
    'excellent': where the band does not fit beside the value, the value goes down with it."""
    monkeypatch.setenv("COLUMNS", width)
    monkeypatch.setenv("NO_COLOR", "1")
    r = invoke("gradcheck")
    assert r.exit_code == 0, r.output
    lines = [line.strip("│ ").rstrip() for line in r.stdout.splitlines()]
    at = next(i for i, line in enumerate(lines) if line.startswith("global ratio"))
    assert "excellent" not in lines[at + 1:at + 2] and lines[at + 1] != "excellent", lines[at:at + 2]
    # the ratio's digits are rounding noise (3.158e-11 with numpy 2, 2.490e-11 with 1.23): 11 characters either way
    value = re.search(r"= (\d\.\d{3}e-\d\d)  excellent", " ".join(lines[at:at + 2]))
    assert value, lines[at:at + 2]
    whole = f"global ratio ‖a − n‖ / (‖a‖ + ‖n‖) = {value[1]}  excellent"
    if int(width) >= 61:  # it fits, one line
        assert lines[at] == whole, lines[at]
    else:
        assert lines[at:at + 2] == ["global ratio ‖a − n‖ / (‖a‖ + ‖n‖)", f"= {value[1]}  excellent"], lines[at:at + 2]


@pytest.mark.parametrize("factor", ["1.0001", "0.9999", "1.5"])
def test_one_factor_near_1_on_every_entry_is_a_constant_ratio_in_one_box(factor, tmp_path):
    """Every dw and db × 1.0001 said 'no simple pattern: all 12 checked entries fail; analytic/numeric ranges
    1.0000999996 … 1.0001000005' (a factor within 1e-3 of 1 was never read as one), and b^(2), the one output's
    bias, had a box of its own ('no simple pattern: the 1 checked entry fails; analytic/numeric = 1.0001', ×1.5
    too): one shared ratio, named as the other constant ratios are, in one box."""
    (tmp_path / "bug.py").write_text(_library_bug("bug", f"[d * {factor} for d in dw], [d * {factor} for d in db]"))
    r = invoke("gradcheck", "--mode", "full", "--backward", f"{tmp_path / 'bug.py'}:bug")
    assert r.exit_code == 1, r.output
    said = " ".join(r.output.replace("│", " ").split())
    assert r.output.count("╭─ ") == 1 and "╭─ w^(1), b^(1), w^(2), b^(2): 13 failing ─" in r.output, r.output
    assert (f"• constant ratio ×{factor}: analytic/numeric = {factor} on every entry: a constant factor is missing "
            f"or extra") in said, said
    assert "no simple pattern" not in said, said


@pytest.mark.parametrize("returned, said", [
    ("[float(d[0, 0]) for d in dw], db", ("dw[0] (∂C/∂w^(1)) has shape (), expected (1, 1): a plain number where a "
                                          "1×1 matrix is expected (w^(l) is (n_l, n_{l−1}), a matrix even for one "
                                          "unit and one input): wrap it as np.array([[v]])")),
    ("[d.ravel() for d in dw], db", ("dw[0] (∂C/∂w^(1)) has shape (1,), expected (1, 1): a 1-D array of one number "
                                     "where a 1×1 matrix is expected (w^(l) is (n_l, n_{l−1}), a matrix even for one "
                                     "unit and one input): .reshape(1, 1) it")),
    ("dw, [float(d[0]) for d in db]", ("db[0] (∂C/∂b^(1)) has shape (), expected (1,): a plain number where a 1-D "
                                       "array of one is expected (b^(l) is (n_l,), 1-D): wrap it as np.array([v])")),
])
def test_a_plain_number_for_a_1x1_gradient_is_told_what_to_wrap_it_in(returned, said, tmp_path):
    """Seed 000's 1-1-1-1 chain worked by hand gives plain numbers: a float returned for a 1×1 ∂C/∂w^(1) said only
    'dw[0] (∂C/∂w^(1)) has shape (), expected (1, 1)'; the (1, 1) bias says '.ravel() it', this says what to wrap it
    in. Network's weights and biases say the same."""
    (tmp_path / "bug.py").write_text(_library_bug("bug", returned))
    r = invoke("gradcheck", "--set", "network.layers=[1,1,1]", "--set", "data.dataset=sine", "--backward",
               f"{tmp_path / 'bug.py'}:bug")
    assert r.exit_code == 2 and r.stdout == "", r.output
    assert " ".join(r.stderr.split()) == f"error: backward {tmp_path / 'bug.py'}:bug: {said}", r.stderr
    from backprop_cli import Network
    from backprop_cli.errors import InputError

    net = Network([1, 1, 1])
    with pytest.raises(InputError, match=re.escape("weights[0] (layer 1): shape (), expected (1, 1): a plain number "
                                                   "where a 1×1 matrix is expected")):
        net.weights[0] = 0.5
    with pytest.raises(InputError, match=re.escape(": wrap it as np.array([v])")):
        net.biases[1] = 0.5


@pytest.mark.parametrize("args, kinked, zero_biases", [
    (["configs/xor.yaml", "--set", "training.l2=0.1"], False, True),  # sigmoid, init auto's biases of 0
    (["configs/xor_relu.yaml"], True, False),  # relu hidden units, their biases 0.01
    (["configs/xor_relu.yaml", "--layer", "L"], True, True),  # the checked layer's one bias is 0
    (["configs/xor.yaml", "--set", "network.init=normal"], False, False),  # normal draws the biases
])
def test_json_says_whether_the_network_is_kinked_and_every_checked_bias_is_0(args, kinked, zero_biases):
    """GradcheckReport.kinked (ReLU-like kinks: 'suspicious' is fine near them, the bands line says) and zero_biases
    (every bias checked is 0: under L2 a λb wrongly added to ∂C/∂b cannot show, the panel says) were in the Python API
    alone: a script reading --json could not tell why the panel said either. Both are there, false where they do not
    hold."""
    args = ["gradcheck", str(ROOT / args[0]), *args[1:]]
    r = runner.invoke(app, [*args, "--json"])
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert data["kinked"] is kinked and data["zero_biases"] is zero_biases, data
    plain = " ".join(runner.invoke(app, args, env={"COLUMNS": "200"}).output.replace("│", " ").split())
    assert ("suspicious (fine near kinks)" in plain) is kinked, plain
    if "training.l2=0.1" in args:
        assert ("every bias is 0" in plain) is zero_biases, plain
