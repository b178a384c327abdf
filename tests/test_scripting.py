"""The command line as scripts, Makefiles and CI jobs drive it: what goes to stdout and what to
stderr, progress in logs, locales, closed pipes (CliRunner; a subprocess only where the
behaviour lives outside the process's Python objects: the locale, a closed pipe)."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import refusal_object
from typer.testing import CliRunner

from backprop_cli.cli import app

ROOT = Path(__file__).resolve().parents[1]
runner = CliRunner()


def invoke(*args, **kwargs):
    return runner.invoke(app, [str(a) for a in args], **kwargs)


@pytest.fixture(scope="module")
def xor_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("runs") / "xor"
    r = invoke("train", "--epochs", "5", "--out", out, "--quiet")
    assert r.exit_code == 0, r.output
    return out


# --- stdout is data or the report; "wrote …" is status, on stderr ---------------------------


def test_commands_that_write_files_leave_stdout_empty(xor_run, tmp_path):
    """`plot`, `predict --out` and `init` said "wrote …" (and init "next: …") on stdout, so
    `backprop predict m.npz x.csv --out p.csv | …` or `$(backprop init x.yaml)` got a status line
    as data; it goes to stderr, where a terminal still shows it."""
    csv = tmp_path / "in.csv"
    csv.write_text("x0,x1\n0,1\n1,1\n")
    runs = [("predict", xor_run / "model.npz", csv, "--out", tmp_path / "p.csv"),
            ("init", tmp_path / "mine.yaml")]
    if importlib.util.find_spec("matplotlib") is not None:  # plot's optional extra
        runs.append(("plot", xor_run, "--out", tmp_path / "pictures"))
    said = {}
    for args in runs:
        r = invoke(*args)
        assert r.exit_code == 0, r.output
        assert r.stdout == "", (args[0], r.stdout)
        assert r.stderr.startswith("wrote "), (args[0], r.stderr)
        said[args[0]] = r.stderr
    assert "next: backprop train" in said["init"]
    assert (tmp_path / "p.csv").read_text().startswith("label,p_0,p_1\n")


# --- progress in logs ---------------------------------------------------------------------

HIDE_CURSOR = "\x1b[?25l"  # what a rich progress bar writes first


@pytest.mark.parametrize("env, tty, bar", [
    ({"FORCE_COLOR": "1"}, False, False),  # coloured CI logs: a pipe rich is told to colour
    ({"FORCE_COLOR": "1", "CI": "true"}, True, False),  # a CI job's pseudo-terminal
    ({"FORCE_COLOR": "1", "TERM": "dumb"}, True, False),  # Emacs' shell: the bar appeared only at the end
    ({"FORCE_COLOR": "1", "CI": "", "TERM": "xterm"}, True, True),  # a terminal: the bar
], ids=["FORCE_COLOR pipe", "CI=true tty", "TERM=dumb tty", "terminal"])
def test_progress_bars_only_on_a_real_terminal(monkeypatch, env, tty, bar):
    """FORCE_COLOR=1 made rich treat a pipe as a terminal, so `train` and `gradcheck` drew
    their live bars (cursor codes, redrawn lines) into CI logs; so did a CI job's pseudo-
    terminal, and TERM=dumb showed a bar only once training had ended. Plain lines instead."""
    from backprop_cli import render

    monkeypatch.setattr(render, "_isatty", lambda file: tty)
    env = {"CI": None, "TERM": "xterm", **env}
    r = invoke("train", "--epochs", "20", env=env)
    assert r.exit_code == 0, r.output
    assert (HIDE_CURSOR in r.stdout) == bar, r.stdout[:300]
    assert ("epoch 20/20  train cost" in r.stdout) == (not bar), r.stdout[:300]
    r = invoke("gradcheck", env=env)
    assert r.exit_code == 0, r.output
    assert (HIDE_CURSOR in r.stderr) == bar, r.stderr[:300]


# --- locales and closed pipes (subprocesses: the process's own streams) ---------------------


def _backprop(*args, env=None, **kwargs):
    return subprocess.run([sys.executable, "-m", "backprop_cli", *map(str, args)],
                          capture_output=True, env={**os.environ, "COLUMNS": "80", **(env or {})}, **kwargs)


ASCII_LOCALE = {"LC_ALL": "C", "LANG": "C", "PYTHONUTF8": "0", "PYTHONIOENCODING": ""}


@pytest.fixture(scope="module")
def accented_model(tmp_path_factory):
    """A classifier whose classes and target column are not ASCII (sétosa, σ-versicolor)."""
    folder = tmp_path_factory.mktemp("accented")
    text = (ROOT / "data" / "iris.csv").read_text().replace("species", "espèce")
    (folder / "iris.csv").write_text(text.replace("setosa", "sétosa").replace("versicolor", "σ-versicolor"),
                                     encoding="utf-8")
    cfg = folder / "iris.yaml"
    cfg.write_text("data: {path: iris.csv, target: espèce, standardize: true}\nnetwork: {layers: [4, 3], "
                   "output_activation: softmax}\ncost: cross_entropy\ntraining: {epochs: 2}\n", encoding="utf-8")
    r = invoke("train", cfg, "--out", folder / "run", "--quiet")
    assert r.exit_code == 0, r.output
    return folder


@pytest.mark.waits
def test_data_on_stdout_is_utf8_in_an_ascii_locale(accented_model):
    """Under LC_ALL=C (PYTHONUTF8=0) the ASCII look-alikes meant for tables (σ → s, é → e) were
    applied to data too: `predict > p.csv` named the classes 'setosa' and 's-versicolor' while
    `predict --out p.csv` wrote 'sétosa' and 'σ-versicolor', and `config show > x.yaml` changed
    the target column's name. Data is written as UTF-8, the bytes --out writes."""
    model, csv = accented_model / "run" / "model.npz", accented_model / "iris.csv"
    out = accented_model / "p.csv"
    r = _backprop("predict", model, csv, "--out", out, "--overwrite", env=ASCII_LOCALE)
    assert r.returncode == 0, r.stderr
    r = _backprop("predict", model, csv, env=ASCII_LOCALE)
    assert r.returncode == 0 and r.stdout == out.read_bytes(), r.stdout[:200]
    assert r.stdout.startswith("espèce,p_sétosa,".encode())
    r = _backprop("predict", model, csv, "--json", env=ASCII_LOCALE)
    records = json.loads(r.stdout)
    assert r.returncode == 0 and {"sétosa", "σ-versicolor"} <= {rec["espèce"] for rec in records}
    r = _backprop("config", "show", accented_model / "iris.yaml", env=ASCII_LOCALE)
    assert r.returncode == 0 and "  target: [espèce]\n".encode() in r.stdout, r.stdout
    r = _backprop("config", "validate", accented_model / "iris.yaml", env=ASCII_LOCALE)  # text: look-alikes
    assert r.returncode == 0 and r.stdout.isascii() and b"Traceback" not in r.stderr, r.stdout


def test_explains_markdown_is_utf8_in_an_ascii_locale():
    """`explain --format markdown > notes.md` is a document for Obsidian or Jupyter: under LC_ALL=C
    (PYTHONUTF8=0) it was given the look-alikes meant for terminal tables (σ(z) → s(z), ✓ → ?),
    a different file than in any UTF-8 locale. It is data: UTF-8 whatever the locale."""
    r = _backprop("explain", "--layer", "L", "--format", "markdown", env=ASCII_LOCALE)
    assert r.returncode == 0, r.stderr
    assert "Activation sigmoid: σ(z) = 1 / (1 + e^(−z)); σ'(z)".encode() in r.stdout, r.stdout[:400]
    assert "✓".encode() in r.stdout


def test_a_closed_pipe_is_exit_141_with_pythonunbuffered(tmp_path):
    """With PYTHONUNBUFFERED=1 (many CI images), stdout's raw file took part of predict's large
    output when the reader left and the text layer dropped the rest without an error:
    `backprop predict … | head -1` ended with exit 0, as if every row had been read."""
    run = tmp_path / "run"
    assert invoke("train", "--epochs", "2", "--out", run, "--quiet").exit_code == 0
    csv = tmp_path / "rows.csv"
    csv.write_text("x0,x1\n" + "0.25,0.75\n" * 5000)  # ~300 kB of predictions: more than a pipe holds
    p = subprocess.Popen([sys.executable, "-m", "backprop_cli", "predict", str(run / "model.npz"), str(csv)],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    assert p.stdout is not None and p.stderr is not None
    assert p.stdout.readline() == b"label,p_0,p_1\n"
    p.stdout.close()
    err = p.stderr.read().decode()
    assert p.wait(timeout=60) == 141, err
    assert "Traceback" not in err and "Broken pipe" not in err and "Exception ignored" not in err


def test_a_data_path_the_locale_cannot_name_is_one_line(tmp_path):
    """LC_ALL=C with Python's UTF-8 mode off: a config's non-ASCII data.path ('δata/íris.csv',
    read from the UTF-8 YAML) cannot be a file name there, and `config validate`, `train`, …
    ended in a UnicodeEncodeError traceback. One line naming the field, and the way out."""
    cfg = tmp_path / "c.yaml"
    cfg.write_text("data: {path: δata/íris.csv}\nnetwork: {layers: [4, 3]}\n", encoding="utf-8")
    for command in (["config", "validate"], ["train"]):
        r = _backprop(*command, cfg, env=ASCII_LOCALE)
        err = r.stderr.decode("ascii")
        assert r.returncode == 2 and r.stdout == b"" and "Traceback" not in err, err
        assert err.startswith(f"error: {cfg}: data.path: ") and "U+03B4" in err and "PYTHONUTF8=1" in err, err


def test_init_writes_a_config_whose_file_name_is_not_utf8(tmp_path):
    """A file name in another encoding (b'caf\\xe9.yaml', a Latin-1 system's): the name goes into
    the starter's comments, and writing them as UTF-8 failed with a UnicodeEncodeError traceback."""
    name = tmp_path / os.fsdecode(b"caf\xe9.yaml")
    r = invoke("init", name, "-d", "xor")
    assert r.exit_code == 0 and r.exception is None, r.output
    text = name.read_bytes().decode("utf-8")  # still a UTF-8 file
    assert "backprop train" in text and "caf\ufffd.yaml" in text
    # printed on a strict UTF-8 stdout (en_US.UTF-8's; PYTHONIOENCODING=utf-8 gives the same), the
    # name was a UnicodeEncodeError traceback; it is written back as its own bytes, as ls does
    r = _backprop("config", "validate", name, env={"PYTHONIOENCODING": "utf-8"})
    assert r.returncode == 0 and r.stdout.startswith(os.fsencode(name) + b": valid ("), r.stderr


def test_plot_draws_a_run_whose_folder_name_is_not_utf8(xor_run, tmp_path):
    """The run folder's name is the picture's title: matplotlib refused a name with undecodable
    bytes (b'r\\xe9', surrogates in Python) with a TypeError traceback."""
    pytest.importorskip("matplotlib")
    import shutil

    run = tmp_path / os.fsdecode(b"r\xe9")
    shutil.copytree(xor_run, run)
    r = invoke("plot", run)
    assert r.exit_code == 0 and r.exception is None, r.output
    assert (run / "loss.png").is_file()


@pytest.mark.parametrize("args", [["--help"], ["--version"], ["train", "--help"]], ids=" ".join)
def test_help_and_version_into_a_closed_pipe_are_exit_141(args):
    """`backprop --help | head -1`: typer's rich console and its echo exited 1 (a failed check's
    status) when the reader had gone; every other output stops with 141 (README, Exit status)."""
    read, write = os.pipe()
    os.close(read)  # the reader is gone before anything is written: every write is refused
    try:
        p = subprocess.run([sys.executable, "-m", "backprop_cli", *args], stdout=write, stderr=subprocess.PIPE,
                           timeout=60)
    finally:
        os.close(write)
    assert p.returncode == 141 and p.stderr == b"", p.stderr


@pytest.mark.parametrize("args", [["train", "nope.yaml", "--json"], ["gradcheck", "nope.yaml", "--json"],
                                  ["train", "--bogus", "--json"], ["config", "validate", "nope.yaml", "--json"],
                                  ["config", "validate", "--bogus", "--json"]], ids=" ".join)
def test_a_json_refusal_into_a_closed_pipe_keeps_its_error_line_and_exit_2(args, tmp_path):
    """`backprop train nope.yaml --json | true`: the refusal's object went first, into the closed pipe, and
    the run ended with exit 141 and no word; without --json it says its error line, exit 2. The object
    is left out (stdout cannot take it); the error line and exit stay as without --json."""
    read, write = os.pipe()
    os.close(read)
    try:
        p = subprocess.run([sys.executable, "-m", "backprop_cli", *args], stdout=write, stderr=subprocess.PIPE,
                           timeout=60, cwd=tmp_path)
    finally:
        os.close(write)
    plain = subprocess.run([sys.executable, "-m", "backprop_cli", *args[:-1]], capture_output=True, timeout=60,
                           cwd=tmp_path)
    assert plain.returncode == 2 and plain.stderr.startswith(b"error: "), plain.stderr
    assert (p.returncode, p.stderr) == (2, plain.stderr)


def test_a_backwards_print_into_a_closed_pipe_is_exit_141_as_the_tools_own_output(tmp_path):
    """`gradcheck --backward f.py:g | head -1` where g (or f.py as it is imported) prints: the print hit the
    closed pipe and the run ended 'error: backward f.py:g: raised BrokenPipeError: [Errno 32] Broken pipe
    at f.py:4' (or 'importing f.py raised …'), exit 2, blaming the learner's code. The reader went away: exit 141, nothing said, as for
    the tool's own output; with --json (their prints on stderr) a closed stderr likewise. A BrokenPipeError
    their code raises itself, stdout and stderr still read, stays theirs (exit 2)."""
    f, loads = tmp_path / "talks.py", tmp_path / "loads.py"
    f.write_text("from examples_backward import backward as _backward\n\n"
                 "def g(weights, biases, X, Y, config):\n    print('computing')\n"
                 "    return _backward(weights, biases, X, Y, config)\n\n"
                 "def own(weights, biases, X, Y, config):\n    raise BrokenPipeError(32, 'their own pipe')\n")
    loads.write_text("from examples_backward import backward\nprint('loading')\n")
    (tmp_path / "examples_backward.py").write_text((ROOT / "examples" / "backward.py").read_text())
    for args, stream in (((f"{f}:g",), "stdout"), ((f"{loads}:backward",), "stdout"),
                         ((f"{f}:g", "--json"), "stderr")):
        read, write = os.pipe()
        os.close(read)  # the reader is gone before anything is written
        try:
            p = subprocess.run([sys.executable, "-m", "backprop_cli", "gradcheck", "--backward", *args], check=False,
                               timeout=60, **({"stdout": write, "stderr": subprocess.PIPE} if stream == "stdout"
                                              else {"stdout": subprocess.PIPE, "stderr": write}))
        finally:
            os.close(write)
        assert p.returncode == 141, (args, p.returncode, p.stdout, p.stderr)
        assert (p.stderr if stream == "stdout" else p.stdout) == b"", (args, p.stdout, p.stderr)
    p = _backprop("gradcheck", "--backward", f"{f}:own")
    assert p.returncode == 2 and p.stderr.decode().startswith(
        f"error: backward {f}:own: raised BrokenPipeError: [Errno 32] their own pipe"), p.stderr


def test_init_takes_overwrite_as_train_and_predict_do(tmp_path):
    """A script replacing its outputs passes --overwrite to train and predict; init only knew
    --force, so the same word was a usage error (exit 2) there."""
    target = tmp_path / "x.yaml"
    assert invoke("init", target, "-d", "xor").exit_code == 0
    r = invoke("init", target, "-d", "sine")
    assert r.exit_code == 2 and "--overwrite" in r.stderr and "dataset: xor" in target.read_text(), r.output
    r = invoke("init", target, "-d", "sine", "--overwrite")
    assert r.exit_code == 0 and "dataset: sine" in target.read_text(), r.output


def _strict_json(text: str):
    def refuse(name):
        raise AssertionError(f"{name} is not JSON")
    return json.loads(text, parse_constant=refuse)


def test_every_json_output_is_one_strict_document_and_stable(xor_run, tmp_path):
    """The README's promise for scripts: each --json is one JSON document on stdout (no NaN or
    Infinity), and two identical runs give identical objects but for train's "seconds"."""
    csv = tmp_path / "in.csv"
    csv.write_text("x0,x1,label\n0,1,1\n1,1,0\n")
    for args in (["train", "--epochs", "3", "--json"], ["gradcheck", "--json"],
                 ["gradcheck", "--json", "--convergence"], ["explain", "--layer", "1", "--format", "json"],
                 ["evaluate", xor_run / "model.npz", "--json"], ["evaluate", xor_run / "model.npz", "--data", csv,
                                                                  "--json"],
                 ["predict", xor_run / "model.npz", csv, "--json"]):
        first, second = (invoke(*args) for _ in range(2))
        assert first.exit_code == 0, first.output
        a, b = _strict_json(first.stdout), _strict_json(second.stdout)
        if args[0] == "train":
            assert a.pop("seconds") >= 0 and b.pop("seconds") >= 0
        assert a == b, args


def test_a_standard_error_that_cannot_be_written_loses_only_its_lines(tmp_path):
    """`backprop train c.yaml --json 2>/dev/full` (a full log disk): the first progress line
    failed, the run ended with exit 1 (a failed check's status) and no JSON; a bad config also
    gave 1, not 2. The lines that cannot be written are dropped; the work and the status stand."""
    bad = tmp_path / "bad.yaml"
    bad.write_text("network: {layers: [2, x]}\n")
    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full here")
    with open("/dev/full", "w") as full:
        ok = subprocess.run([sys.executable, "-m", "backprop_cli", "train", "--epochs", "3", "--json"],
                            stdout=subprocess.PIPE, stderr=full, timeout=60)
        refused = subprocess.run([sys.executable, "-m", "backprop_cli", "train", str(bad)],
                                 stdout=subprocess.PIPE, stderr=full, timeout=60)
    assert ok.returncode == 0 and _strict_json(ok.stdout.decode())["epochs"] == 3
    assert refused.returncode == 2 and refused.stdout == b""


@pytest.mark.parametrize("extra", [[], ["--convergence"]], ids=["check", "convergence"])
def test_prints_in_your_backward_do_not_corrupt_gradchecks_json(tmp_path, extra):
    """A learner's backward with a debugging print() (at import and in the call) wrote it into
    `gradcheck --backward mine.py:grads --json`'s stdout, before the object: `| jq` failed.
    Their prints go to stderr under --json."""
    mine = tmp_path / "mine.py"
    mine.write_text("import numpy as np\nprint('loading mine')\n\n"
                    "def grads(weights, biases, X, Y, config):\n    print('computing', X.shape)\n"
                    "    return [np.zeros_like(w) for w in weights], [np.zeros_like(b) for b in biases]\n")
    r = invoke("gradcheck", "--backward", f"{mine}:grads", "--json", *extra)
    assert r.exit_code == 1, r.output  # zero gradients: a failed check
    assert _strict_json(r.stdout)["passed"] is False
    assert "loading mine" in r.stderr and "computing (4, 2)" in r.stderr


def test_init_dash_writes_the_starter_to_stdout(tmp_path, monkeypatch):
    """`backprop init -` made a file named '-.yaml'; like CONFIG '-' and predict's '-', it is
    standard output now: `backprop init - -d xor | sed … | backprop train -`."""
    monkeypatch.chdir(tmp_path)
    r = invoke("init", "-", "-d", "xor")
    assert r.exit_code == 0 and r.stderr == "", r.output
    assert r.stdout.startswith("# backprop-cli starter config: xor.") and "dataset: xor" in r.stdout
    assert list(tmp_path.iterdir()) == []
    (tmp_path / "piped.yaml").write_text(r.stdout)  # CONFIG '-' reads the real stdin, which CliRunner keeps
    r = invoke("train", tmp_path / "piped.yaml", "--epochs", "2", "--json")
    assert r.exit_code == 0 and _strict_json(r.stdout)["layers"][0] == 2, r.output


def test_a_columns_of_zero_does_not_silence_the_output(tmp_path):
    """Some CI runners export COLUMNS=0 (the size of a terminal they do not have): rich took it
    as a width of 0 and every command printed nothing, reports and error lines alike."""
    bad = tmp_path / "bad.yaml"
    bad.write_text("network: {layers: [2, x]}\n")
    env = {"COLUMNS": "0", "LINES": "0"}
    r = invoke("gradcheck", env=env)
    assert r.exit_code == 0 and "gradient check" in r.stdout, r.stdout
    r = invoke("train", "--epochs", "2", env=env)
    assert r.exit_code == 0 and "network 2-3-1" in r.stdout, r.output
    r = invoke("train", bad, env=env)
    assert r.exit_code == 2 and "is not a whole number" in r.stderr, r.output


def test_a_symlinked_configs_data_path_is_relative_to_the_file_it_points_to(tmp_path):
    """As the README says: `ln -s …/configs/iris.yaml mine.yaml` still finds ../data/iris.csv."""
    link = tmp_path / "mine.yaml"
    link.symlink_to(ROOT / "configs" / "iris.yaml")
    r = invoke("config", "show", link)
    assert r.exit_code == 0 and f"path: {ROOT / 'data' / 'iris.csv'}\n" in r.stdout, r.output


def _into_a_non_blocking_pipe(args, stream="stdout"):
    """Run backprop with ``stream`` a pipe made non-blocking (as node-based CI steps make theirs)
    that nobody reads for 1.5 s, so it fills: (exit status, the bytes the pipe got, the other
    stream's bytes)."""
    import fcntl

    read, write = os.pipe()
    fcntl.fcntl(write, fcntl.F_SETFL, fcntl.fcntl(write, fcntl.F_GETFL) | os.O_NONBLOCK)
    ends = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE, stream: write}
    p = subprocess.Popen([sys.executable, "-m", "backprop_cli", *map(str, args)], **ends,
                         env={**os.environ, "COLUMNS": "80"})
    os.close(write)
    try:
        p.wait(timeout=1.5)  # nobody reads yet: the pipe fills and the writer must wait, not give up
    except subprocess.TimeoutExpired:
        pass
    with os.fdopen(read, "rb") as f:
        got = f.read()
    out, err = p.communicate(timeout=60)
    return p.returncode, got, err if stream == "stdout" else out


@pytest.mark.waits
def test_data_reaches_a_non_blocking_stdout_whole(tmp_path):
    """A stdout pipe another program made non-blocking (node-based CI steps do): predict wrote the
    first 64 KiB, then stopped with 'cannot write: write could not complete without blocking',
    exit 2. It waits for room instead, and every row arrives."""
    run = tmp_path / "run"
    assert invoke("train", "--epochs", "2", "--out", run, "--quiet").exit_code == 0
    csv = tmp_path / "rows.csv"
    csv.write_text("x0,x1\n" + "0.25,0.75\n" * 5000)  # ~300 kB of predictions: more than a pipe holds
    want = invoke("predict", run / "model.npz", csv).stdout.encode()
    code, got, err = _into_a_non_blocking_pipe(["predict", run / "model.npz", csv])
    assert code == 0, err
    assert got == want


@pytest.mark.waits
def test_a_report_reaches_a_non_blocking_stdout_whole():
    """The rich reports went to a non-blocking stdout through Python's text layer: `explain
    --all-layers` stopped after 54 of its 112 kB with exit 0 and nothing said, a log cut short.
    They are written as data is, waiting for room."""
    args = ["explain", "--all-layers", "--full", "--set", "network.layers=[2,8,8,8,1]"]
    want = invoke(*args).stdout.encode()
    assert len(want) > 100_000  # more than a pipe holds
    code, got, err = _into_a_non_blocking_pipe(args)
    assert code == 0, err
    assert got == want, (len(got), len(want))


@pytest.mark.waits
def test_progress_reaches_a_non_blocking_stderr_whole():
    """train --json's epoch lines go to stderr; on a non-blocking stderr every line that came while
    the pipe was full was dropped as a write error (65 of 116 kB arrived, exit 0). They wait for room."""
    code, got, out = _into_a_non_blocking_pipe(["train", "--epochs", "1500", "--set", "training.log_every=1",
                                                "--json"], "stderr")  # ~90 kB of epoch lines
    assert code == 0 and json.loads(out)["epochs"] == 1500
    epochs = [line.split()[1] for line in got.decode().splitlines() if line.startswith("epoch ")]
    assert epochs == [f"{e}/1500" for e in range(1, 1501)], (len(epochs), epochs[-3:])


def test_an_infinite_test_cost_is_null_in_train_json_and_metrics_jsonl(tmp_path):
    """A test row of huge inputs (x = 1e160) overflows the test cost while the training split
    trains: `train --json` printed `"test_cost": Infinity` and metrics.jsonl `Infinity` each epoch,
    which jq and strict parsers refuse. They are null now; the table and metrics.csv keep `inf`."""
    (tmp_path / "d.csv").write_text("x,y\n" + "".join(f"{i / 10},{i / 5}\n" for i in range(19)) + "1e160,1\n")
    for seed in range(30):  # a seed whose split puts the huge row in the test split (else: diverged, exit 1)
        (tmp_path / "c.yaml").write_text(f"seed: {seed}\ndata: {{path: d.csv, test_fraction: 0.2}}\n"
                                         "network: {layers: [1, 1], activation: linear}\n"
                                         "training: {epochs: 3, learning_rate: 0.01}\n")
        out = tmp_path / f"run{seed}"
        r = invoke("train", tmp_path / "c.yaml", "--json", "--out", out)
        if r.exit_code == 0:
            break
    assert r.exit_code == 0, r.output
    summary = _strict_json(r.stdout)
    assert summary["test_cost"] is None and summary["train_cost"] > 0
    rows = [_strict_json(line) for line in (out / "metrics.jsonl").read_text().splitlines()]
    assert len(rows) == 3 and all(row["test_cost"] is None and row["train_cost"] > 0 for row in rows)
    assert (out / "metrics.csv").read_text().splitlines()[1].split(",")[3] == "inf"


def test_the_warning_under_trains_table_is_on_stdout_as_the_readme_says():
    """The README's scripts section said every warning goes to stderr; the warning under train's
    summary (a cost that grew) is part of the report on stdout, and in --json its `warnings`."""
    readme = " ".join((ROOT / "README.md").read_text(encoding="utf-8").split())
    assert ("the `warning:` under its table (a cost that grew, targets beyond the output's range: in `--json`, "
            "its `warnings`)") in readme
    assert "Other notes and warnings, errors and hints" in readme
    r = invoke("train", ROOT / "configs" / "xor_relu.yaml", "--lr", "5", "--epochs", "50")
    assert r.exit_code == 0, r.output
    assert "warning: the training cost grew" in r.stdout and "warning" not in r.stderr
    r = invoke("train", ROOT / "configs" / "xor_relu.yaml", "--lr", "5", "--epochs", "50", "--json")
    assert _strict_json(r.stdout)["warnings"][0].startswith("the training cost grew") and "warning" not in r.stderr


CLOSED = "error: <stdout>: cannot write: it is closed (>&-); send the output to a file (> out.txt), or to /dev/null to discard it"


@pytest.mark.parametrize("args, refused", [
    (["predict", "M", "R"], True), (["evaluate", "M", "--json"], True), (["train", "C", "--json"], True),
    (["config", "show", "C"], True), (["predict", "M", "R", "--out", "-"], True), (["init", "-"], True),
    (["predict", "M", "R", "--out", "p.csv"], False), (["predict", "M", "R", "-op.csv"], False),
    (["predict", "M", "R", "--out=p.csv"], False), (["plot", "RUN"], False), (["init", "mine.yaml"], False),
    # click takes the last --out: the first one is overridden
    (["predict", "M", "R", "--out", "p.csv", "--out", "-"], True), (["predict", "M", "R", "--out", "-", "-op.csv"], False),
    # a run folder is train's result (its progress and summary are lost, as before); --json needs stdout
    (["train", "C", "--out", "runs/a"], False), (["train", "C", "-o", "runs/a", "--json"], True), (["train", "C"], True),
])
def test_a_closed_stdout_is_one_error_line_and_exit_2_before_any_work(monkeypatch, capsys, args, refused):
    """`backprop predict runs/iris data/iris.csv >&-` (and evaluate --json, train --json, config
    show) printed nothing with exit 0: Python sets sys.stdout to None and the output went nowhere.
    The README promises one error line and exit 2 when stdout cannot be written; commands whose
    results go to files (predict --out FILE, plot, init NAME) are not refused."""
    import backprop_cli

    monkeypatch.setattr(sys, "stdout", None)
    if refused:
        with pytest.raises(SystemExit) as e:
            backprop_cli._refuse_closed_stdout(args)
        assert e.value.code == 2
        instead = ", or give predict --out FILE" if args[0] == "predict" else ""
        assert capsys.readouterr().err == CLOSED + instead + "\n"
    else:
        backprop_cli._refuse_closed_stdout(args)
        assert capsys.readouterr().err == ""


def test_train_out_with_a_closed_stdout_still_saves_its_run_folder(tmp_path):
    """`backprop train … --out DIR >&-` was refused once closed stdouts were: its results are the
    run folder's files (before, it ran and saved them, exit 0)."""
    out = tmp_path / "run"
    p = subprocess.run([sys.executable, "-m", "backprop_cli", "train", "--epochs", "3", "--out", str(out)],
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, preexec_fn=lambda: os.close(1), timeout=60)
    assert p.returncode == 0, p.stderr.decode()
    assert (out / "model.npz").is_file() and (out / "metrics.csv").is_file()


def test_a_closed_stdout_file_descriptor_is_refused_before_training(tmp_path):
    """The process's own fd 1 closed (`>&-`): no run folder is made, exit 2, one line."""
    out = tmp_path / "run"
    p = subprocess.run([sys.executable, "-m", "backprop_cli", "train", "--epochs", "3", "--out", str(out), "--json"],
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, preexec_fn=lambda: os.close(1), timeout=60)
    assert p.returncode == 2 and p.stderr.decode() == CLOSED + "\n"
    assert not out.exists()


@pytest.mark.parametrize("args, what", [
    (["train", "-"], "CONFIG '-' reads a YAML config"),
    (["predict", "MODEL", "-"], "INPUT_CSV '-' reads a CSV"),
    (["evaluate", "MODEL", "--data", "-"], "--data '-' reads a CSV"),
])
def test_a_closed_stdin_is_said_to_be_closed_not_a_terminal(args, what, xor_run):
    """`backprop train - <&-` said 'standard input is a terminal', as predict's and evaluate's '-' did; a closed
    stdout is already said to be closed (>&-)."""
    args = [str(xor_run / "model.npz") if a == "MODEL" else a for a in args]
    p = subprocess.run([sys.executable, "-m", "backprop_cli", *args], capture_output=True, check=False,
                       preexec_fn=lambda: os.close(0), timeout=60)
    assert p.returncode == 2 and p.stdout == b"", p.stderr.decode()
    assert p.stderr.decode().splitlines()[0] == (f"error: {what} from standard input, but standard input is closed "
                                                 "(<&-)"), p.stderr.decode()


@pytest.mark.parametrize("command", ["train", "config validate", "config show", "gradcheck", "explain"])
def test_a_closed_stdins_hint_names_the_command_run(command, monkeypatch):
    """`backprop config validate - <&-` (config show, gradcheck, explain) was told 'pipe one in: cat
    configs/xor.yaml | backprop train -', another command than the one run."""
    from backprop_cli.commands import common

    monkeypatch.setattr(common, "_stdin_unusable", lambda: "closed (<&-)")  # as os.close(0) makes it, in-process
    monkeypatch.setattr(sys, "argv", ["backprop"])  # the program as installed (python -m pytest: python -m …)
    r = invoke(*command.split(), "-")
    assert r.exit_code == 2 and r.stderr.splitlines() == [
        "error: CONFIG '-' reads a YAML config from standard input, but standard input is closed (<&-)",
        f"hint: pipe one in: cat configs/xor.yaml | backprop {command} -"], r.output

def test_commands_in_hints_quote_a_path_with_spaces(xor_run, tmp_path):
    """A teacher's folder 'Clase de Año/run 1': the hints' commands named it bare (train …/run 1/config.yaml
    --out …/run 1 --resume), which the shell splits into other arguments. Pasted, each command now works."""
    import shlex
    import shutil

    run = tmp_path / "Clase de Año" / "run 1"
    shutil.copytree(xor_run, run)
    r = invoke("train", run)
    assert r.exit_code == 2, r.output
    hint = r.stderr.splitlines()[1]
    resume = hint.split("(train ", 1)[1].split(" continues the run)")[0]
    assert shlex.split(resume) == [str(run / "config.yaml"), "--out", str(run), "--resume"], hint
    assert f"--model {shlex.quote(str(run / 'model.npz'))}" in hint, hint
    rows = tmp_path / "my rows.csv"
    rows.write_text("x0,x1\n0,1\n")
    r = invoke("predict", rows, run / "model.npz")  # the two swapped
    assert r.exit_code == 2 and "hint: the model comes first: backprop predict " in r.stderr, r.output
    pasted = r.stderr.split("the model comes first: backprop predict ")[1].strip()
    assert shlex.split(pasted) == [str(run / "model.npz"), str(rows)], r.stderr
    r = invoke("plot", tmp_path / "Clase de Año" / "run 2")
    error, hint = r.stderr.splitlines()  # the hint offers run 1, beside it
    assert r.exit_code == 2 and shlex.split(error.split("backprop train CONFIG ")[1].rstrip().rstrip(")"))[-1] == \
        str(tmp_path / "Clase de Año" / "run 2"), r.stderr
    assert hint == f"hint: did you mean {run}?", r.stderr


# --- a refused run under --json: one error object on stdout ---------------------------------


def _main(monkeypatch, capsys, *args):
    """``backprop ARGS`` as a shell runs it (``cli.main``: usage errors are worded there): (exit status,
    stdout, stderr)."""
    from backprop_cli import cli

    monkeypatch.setattr(sys, "argv", ["backprop", *map(str, args)])
    with pytest.raises(SystemExit) as info:
        cli.main()
    out, err = capsys.readouterr()
    return info.value.code, out, err


def _refusals(tmp: Path, run: Path) -> list[tuple[str, ...]]:
    """For each command with a JSON output: a refusal of its file or config, then of its command line
    (an unknown option, a bad value, a missing argument or value); explain's --format json too."""
    rows = tmp / "rows.csv"
    rows.write_text("x0,x1\n0,1\n")
    return [
        ("train", tmp / "nope.yaml", "--json"),
        ("train", "--epochs", "1", "--out", run, "--json"),  # a previous run there: an error with a hint
        ("train", "--bogus", "--json"),
        ("train", "--epochs", "x", "--json"),
        ("explain", tmp / "nope.yaml", "--layer", "1", "--json"),
        ("explain", tmp / "nope.yaml", "--layer", "1", "--format", "json"),
        ("explain", "--layer", "9", "--format=JSON"),
        ("explain", "--bogus", "--format", "json"),
        ("explain", "--json", "--layer"),  # --layer's value missing
        ("evaluate", tmp / "nope", "--json"),
        ("evaluate", run, "--data", tmp / "nope.csv", "--json"),
        ("evaluate", "--json"),
        ("predict", tmp / "nope.npz", rows, "--json"),
        ("predict", rows, run / "model.npz", "--json"),  # the two swapped: an error with a hint
        ("predict", run, rows, "--json", "--keep"),
    ]


def test_a_refused_run_with_json_prints_one_error_object_beside_its_error_line(xor_run, tmp_path, monkeypatch,
                                                                                 capsys):
    """`backprop train nope.yaml --json | jq …` got empty input (gradcheck and config validate alone printed
    their refusal as JSON): a script could not tell a refusal from a crash. Each command with a JSON output,
    refused with exit 2 (its config or file, or its command line), prints one object on stdout, its "error"
    the error line's message and its "hint" the hint line's; the stderr lines and the exit stay, and without
    --json stdout stays empty."""
    for args in _refusals(tmp_path, xor_run):
        code, out, err = _main(monkeypatch, capsys, *args)
        assert code == 2, (args, out, err)
        assert len(err.splitlines()) <= 2, (args, err)  # its error line, and a hint line where it has one
        assert _strict_json(out) == refusal_object(err), (args, out, err)
        assert out.count("\n") == 1, (args, out)  # one line: one object, nothing else
        plain = [a for a in args if a not in ("--json", "--format", "json", "--format=JSON")]
        if plain[:3] == ["explain", "--layer", "9"]:
            plain.append("--format=rich")
        code, out, again = _main(monkeypatch, capsys, *plain)
        assert code == 2 and out == "" and again == err, (plain, out, again, err)


def test_a_refused_predict_with_out_file_leaves_stdout_empty_under_json(xor_run, tmp_path, monkeypatch, capsys):
    """predict --out FILE writes its predictions to FILE and nothing on stdout: a refusal leaves stdout
    empty too, with --json (its object would be the only output there); --out - is stdout, and gets it."""
    rows = tmp_path / "rows.csv"
    rows.write_text("x0,x1\n0,1\n")
    for args in (("predict", tmp_path / "nope.npz", rows, "--json", "--out", tmp_path / "p.json"),
                 ("predict", xor_run, rows, "--json", "-o", tmp_path / "p.json", "--bogus")):
        code, out, err = _main(monkeypatch, capsys, *args)
        assert code == 2 and out == "" and err.startswith("error: "), (args, out, err)
    code, out, err = _main(monkeypatch, capsys, "predict", tmp_path / "nope.npz", rows, "--json", "--out", "-")
    assert code == 2 and _strict_json(out)["error"] == err.splitlines()[0].removeprefix("error: ")


def test_a_refusal_after_the_json_result_is_written_adds_no_second_document(monkeypatch, capsys):
    """stdout holds one document: where a run were refused after its --json result was written, the error
    line and exit 2 say so, and no error object follows the result."""
    from backprop_cli.commands import explain as command
    from backprop_cli.errors import ConfigError

    def written_then_refused(text, **kwargs):
        command_echo(text, **kwargs)
        raise ConfigError("refused after the result")

    command_echo = command.echo
    monkeypatch.setattr(command, "echo", written_then_refused)
    code, out, err = _main(monkeypatch, capsys, "explain", "--layer", "L", "--json")
    assert code == 2 and err == "error: refused after the result\n", err
    assert _strict_json(out)["layer"] == 2, out


def test_a_run_that_fails_in_training_or_is_interrupted_prints_no_object_under_json(tmp_path, monkeypatch, capsys):
    """Only a refusal (exit 2) prints the error object: a diverged run (exit 1) prints nothing on stdout, as
    the README's train --json schema says, and its stderr says why."""
    hot = tmp_path / "hot.yaml"
    hot.write_text("data: {dataset: sine}\nnetwork: {layers: [1, 8, 1], activation: relu, "
                   "output_activation: linear}\ntraining: {learning_rate: 1.0e6, epochs: 20}\n")
    code, out, err = _main(monkeypatch, capsys, "train", hot, "--json")
    assert code == 1 and out == "" and "diverged at epoch" in err, (out, err)


def test_a_json_refusal_into_an_unwritable_stdout_keeps_its_error_line(tmp_path):
    """`backprop gradcheck --bogus --json > /dev/full` ended in a traceback and exit 1, and a refused
    config's error line was replaced by '<stdout>: cannot write': the object is left out (stdout cannot
    take it) and the refusal's own line and exit 2 stand."""
    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full here")
    missing = f"error: {tmp_path / 'nope.yaml'}: config file not found"
    for args, said in ((["gradcheck", "--bogus", "--json"], "error: No such option: --bogus"),
                       (["train", "--bogus", "--json"], "error: No such option: --bogus"),
                       (["train", str(tmp_path / "nope.yaml"), "--json"], missing),
                       (["gradcheck", str(tmp_path / "nope.yaml"), "--json"], missing)):
        with open("/dev/full", "w") as full:
            p = subprocess.run([sys.executable, "-m", "backprop_cli", *args], stdout=full, stderr=subprocess.PIPE,
                               timeout=60, check=False)
        err = p.stderr.decode()
        assert p.returncode == 2 and err.splitlines()[0].startswith(said) and "Traceback" not in err, (args, err)


def test_the_last_resort_refusals_print_the_error_object_too(xor_run, monkeypatch, capsys):
    """Out of memory and a system error (exit 2, said by the boundary's last resorts) are refusals like
    any other: under --json their one object is on stdout too, as the error and hint lines say them."""
    from backprop_cli import model_io

    for error in (MemoryError("Unable to allocate 3 GiB"), PermissionError(13, "Permission denied", "m.npz")):
        def load_model(path, error=error):
            raise error

        monkeypatch.setattr(model_io, "load_model", load_model)
        code, out, err = _main(monkeypatch, capsys, "evaluate", xor_run, "--json")
        assert code == 2 and _strict_json(out) == refusal_object(err), (out, err)
        assert err.startswith(("error: ran out of memory (Unable to allocate 3 GiB)\nhint: ",
                               "error: m.npz: Permission denied\n")), err
        code, out, again = _main(monkeypatch, capsys, "evaluate", xor_run)
        assert code == 2 and out == "" and again == err
