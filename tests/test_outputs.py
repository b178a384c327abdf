"""Where output goes: files written atomically through symlinks, never over a FIFO or a device,
`-o -` as standard output, and a failed write to standard output named as such."""

from __future__ import annotations

import importlib.util
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from backprop_cli.cli import app
from backprop_cli.errors import ConfigError
from backprop_cli.model_io import atomic_write_text

ROOT = Path(__file__).resolve().parents[1]
IRIS_CSV = ROOT / "data" / "iris.csv"
runner = CliRunner()
needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")


def invoke(*args):
    return runner.invoke(app, [str(a) for a in args])


@pytest.fixture(scope="module")
def model(tmp_path_factory):
    out = tmp_path_factory.mktemp("runs") / "iris"
    r = invoke("train", ROOT / "configs" / "iris.yaml", "--epochs", "5", "--out", out, "--quiet")
    assert r.exit_code == 0, r.output
    return out / "model.npz"


def test_atomic_write_goes_through_a_symlink_and_keeps_the_targets_permissions(tmp_path):
    target = tmp_path / "real.csv"
    target.write_text("old\n")
    target.chmod(0o640)
    link = tmp_path / "link.csv"
    link.symlink_to(target.name)  # relative, as `ln -s real.csv link.csv` makes it
    atomic_write_text(link, "new\n")
    assert link.is_symlink() and os.readlink(link) == "real.csv"
    assert target.read_text() == "new\n" and stat.S_IMODE(target.stat().st_mode) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.csv", "real.csv"]  # no temporary left


@needs_fifo
def test_atomic_write_never_replaces_a_fifo(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(ConfigError, match="is a FIFO"):
        atomic_write_text(fifo, "x\n")
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_predict_out_writes_through_a_symlink(model, tmp_path):
    target = tmp_path / "predictions.csv"
    target.write_text("old\n")
    link = tmp_path / "link.csv"
    link.symlink_to(target)
    r = invoke("predict", model, IRIS_CSV, "-o", link, "--overwrite")
    assert r.exit_code == 0, r.output
    assert link.is_symlink() and target.read_text() == invoke("predict", model, IRIS_CSV).stdout


@needs_fifo
@pytest.mark.parametrize("through_link", [False, True], ids=["fifo", "link-to-fifo"])
def test_predict_refuses_an_out_that_is_not_a_regular_file(model, tmp_path, through_link):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    out = fifo
    if through_link:
        out = tmp_path / "out.csv"
        out.symlink_to(fifo)
    r = invoke("predict", model, IRIS_CSV, "-o", out, "--overwrite")
    assert r.exit_code == 2 and r.stdout == "", r.output
    lines = r.stderr.splitlines()
    assert lines[0].startswith(f"error: --out {out}: is a FIFO (named pipe)")
    assert lines[0].endswith("not a regular file; refusing to replace it") and len(lines) == 2
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode) and (not through_link or out.is_symlink())


def test_predict_out_dash_is_standard_output(model, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for extra in ([], ["--json"]):
        r = invoke("predict", model, IRIS_CSV, "-o", "-", *extra)
        assert r.exit_code == 0, r.output
        assert r.stdout == invoke("predict", model, IRIS_CSV, *extra).stdout
    assert list(tmp_path.iterdir()) == []  # no file named '-'


@needs_fifo
def test_train_refuses_a_fifo_among_its_run_files_before_training(tmp_path):
    out = tmp_path / "run"
    assert invoke("train", "--epochs", "3", "--out", out, "--quiet").exit_code == 0
    (out / "metrics.jsonl").unlink()
    os.mkfifo(out / "metrics.jsonl")
    before = (out / "checkpoint.npz").read_bytes()
    r = invoke("train", "--epochs", "6", "--out", out, "--resume", "--quiet")
    assert r.exit_code == 2 and r.stdout == "", r.output
    assert r.stderr.startswith(f"error: --out {out}: metrics.jsonl: is a FIFO (named pipe), not a regular file")
    assert (out / "checkpoint.npz").read_bytes() == before


@needs_fifo
def test_init_refuses_to_replace_a_fifo(tmp_path):
    fifo = tmp_path / "mine.yaml"
    os.mkfifo(fifo)
    r = invoke("init", fifo, "--force")
    assert r.exit_code == 2 and f"{fifo}: is a FIFO (named pipe), not a regular file" in r.stderr, r.output
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize("args", [["predict", "MODEL", str(IRIS_CSV)], ["predict", "MODEL", str(IRIS_CSV), "--json"],
                                  ["config", "show"]], ids=["predict", "predict-json", "config-show"])
def test_a_full_standard_output_is_named(model, args):
    with open("/dev/full", "w") as full:
        r = subprocess.run([sys.executable, "-m", "backprop_cli", *[str(model) if a == "MODEL" else a for a in args]],
                           stdout=full, stderr=subprocess.PIPE, text=True)
    assert r.returncode == 2
    assert r.stderr.splitlines() == ["error: <stdout>: cannot write: No space left on device"]


@pytest.mark.parametrize("args", [["config", "show"], ["train", "--epochs", "3", "--quiet"]])
def test_a_closed_standard_output_is_one_error_line_without_a_traceback(args):
    """`backprop … >&-`: Python sets sys.stdout to None; the output went nowhere with exit 0. It is
    now refused before any work, one line and exit 2, as a stdout that cannot be written is."""
    r = subprocess.run([sys.executable, "-m", "backprop_cli", *args], stderr=subprocess.PIPE, text=True,
                       preexec_fn=lambda: os.close(1), timeout=60)
    assert r.returncode == 2, r.stderr
    assert r.stderr.splitlines() == ["error: <stdout>: cannot write: it is closed (>&-); send the output to a "
                                     "file (> out.txt), or to /dev/null to discard it"]


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_training_into_a_full_standard_output_keeps_the_run(tmp_path):
    """`backprop train … --out DIR > /dev/full`: one line naming stdout, exit 2, and the run
    checkpointed with the command that resumes it (as for Ctrl-C or a closed pipe)."""
    out = tmp_path / "run"
    with open("/dev/full", "w") as full:
        r = subprocess.run([sys.executable, "-m", "backprop_cli", "train", "--epochs", "50", "--set",
                            "training.log_every=1", "--out", str(out)], stdout=full, stderr=subprocess.PIPE,
                           text=True, timeout=60)
    assert r.returncode == 2, r.stderr
    assert "standard output cannot be written; checkpoint saved in" in r.stderr
    assert "error: <stdout>: cannot write" in r.stderr and "Traceback" not in r.stderr
    assert (out / "checkpoint.npz").is_file()
    assert invoke("train", "--epochs", "50", "--out", out, "--resume", "--quiet").exit_code == 0


def test_standard_input_is_read_from_where_it_stands(tmp_path):
    """`{ read -r first; backprop predict model.npz -; } < rows.csv`: the rows a shell already
    read are not read again (a regular file is counted, then put back where it was)."""
    from backprop_cli.data import read_csv_columns

    path = tmp_path / "rows.csv"
    path.write_text("not, the, header\nx0\n1.5\n2.5\n")
    with path.open("rb") as f:
        f.readline()
        X, _, lines = read_csv_columns(f, ["x0"], name="<stdin>")
    assert X.ravel().tolist() == [1.5, 2.5]


_C_LOCALE, _LATIN_1 = {"LC_ALL": "C", "PYTHONUTF8": "0"}, {"PYTHONIOENCODING": "latin-1"}


@pytest.mark.waits
@pytest.mark.parametrize("env,args", [
    *[(_C_LOCALE, args) for args in (["--help"], ["train", "--epochs", "20"], ["gradcheck"],
                                     ["explain", "--layer", "L"], ["explain", "--layer", "9"])],
    (_LATIN_1, ["train", "--epochs", "20"]), (_LATIN_1, ["explain", "--layer", "L"]),  # the same path
])  # (each case is a process start, ~0.5 s: Latin-1 takes the same code path as ASCII)
def test_an_encoding_without_the_symbols_gets_ascii_look_alikes_not_a_traceback(env, args):
    """σ, ∂, δ, −, braille and box lines cannot be encoded in ASCII or Latin-1: each becomes one
    ASCII character (tables stay aligned), and the command exits as it would in UTF-8."""
    full_env = {k: v for k, v in os.environ.items()
                if k not in ("LC_ALL", "LANG", "PYTHONUTF8", "PYTHONIOENCODING")}
    r = subprocess.run([sys.executable, "-m", "backprop_cli", *args], capture_output=True,
                       env={**full_env, **env}, timeout=60)
    assert b"Traceback" not in r.stderr, r.stderr.decode("latin-1")
    assert r.returncode == (2 if args[-1] == "9" else 0), r.stderr.decode("latin-1")
    out = r.stdout.decode("latin-1")
    # on the bytes: no byte string decodes to σ or ∂ as Latin-1, so a check on ``out`` could not fail
    assert "σ".encode() not in r.stdout and "∂".encode() not in r.stdout
    if env.get("LC_ALL") == "C":
        r.stdout.decode("ascii")  # an ASCII stream gets ASCII only
    err = r.stderr.decode("latin-1")
    # each command's own symbols, as look-alikes (not '?': a blanket replacement passes the above)
    if args == ["--help"]:
        assert "dC/dW" in out  # ∂C/∂W
    if args[0] == "gradcheck":
        assert "|a - n| / (|a| + |n|)" in out  # ‖a − n‖ / (‖a‖ + ‖n‖)
    if args[-1] == "9":
        assert "L or L-1, or a number from 1 to 2" in err  # L−1
    if args[0] == "explain" and r.returncode == 0:
        assert "dC0/dw_jk^(2) = dz_j^(2)/dw_jk^(2)" in out
    if args[0] == "train":
        assert "sgd eta = 2" in out  # η = 2
        widths = {len(line) for line in out.splitlines() if line.startswith(("+", "|"))}
        assert len(widths) == 1, out  # the summary table's lines stay one width


# --- plain lines wider than the console wrap between words, never inside one ----------------

DEEP = ("--set", "network.layers=[2,5,4,3,1]")


def _on_a_terminal(monkeypatch, width: int, *args: str, stream: str = "stdout") -> str:
    """The output as a terminal of ``width`` columns gets it (FORCE_COLOR makes rich treat
    the runner's stdout as one, and its isatty() says it is one), its style codes removed.
    ``stream="stderr"``: what a command says on stderr (init's "wrote …"), as a terminal shows it."""
    import re

    from backprop_cli import render
    from backprop_cli.commands import common

    monkeypatch.setenv("COLUMNS", str(width))
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.setenv("NO_COLOR", "1")
    with monkeypatch.context() as m:
        m.setattr(common._Stdout, "isatty", lambda self: True, raising=False)
        if stream == "stderr":
            m.setattr(render, "_isatty", lambda file: True)
        r = invoke(*args)
    assert r.exit_code == 0, r.output
    return re.sub(r"\x1b\[[0-9;]*m", "", getattr(r, stream))  # stdout's stderr: the progress bar


def _lines_within(text: str, width: int) -> list[str]:
    lines = text.splitlines()
    assert max(len(line.rstrip()) for line in lines) <= width, text
    return lines


def test_gradchecks_header_line_wraps_at_spaces_on_a_narrow_terminal(monkeypatch):
    """'checking backprop on 2-5-4-3-1 sigmoid/…' was one 125-character soft-wrapped line: a
    60-column terminal cut it mid-token. A pipe still gets it on one line."""
    said = ("checking backprop on 2-5-4-3-1 sigmoid/sigmoid/sigmoid/sigmoid, squared_error, "
            "4 examples (rows 0, 1, 2, 3 of the training split)")
    head = _on_a_terminal(monkeypatch, 60, "gradcheck", *DEEP).split("gradient check:")[0]
    _lines_within(head, 60)
    assert len(head.splitlines()) > 1 and " ".join(head.split()) == said
    monkeypatch.delenv("FORCE_COLOR")
    assert said in invoke("gradcheck", *DEEP).output.splitlines()


def test_gradchecks_header_breaks_between_its_parts_on_a_narrow_terminal(monkeypatch):
    """With --layer the header read 'training split); layer' over '2 (L) only: …' at 60 columns:
    the network, the examples and the layers checked now each start a line where they must break."""
    iris = str(ROOT / "configs" / "iris.yaml")
    head = _on_a_terminal(monkeypatch, 60, "gradcheck", iris, "--layer", "L", "--mode", "sample")
    lines = [line.rstrip() for line in _lines_within(head.split("gradient check:")[0], 60) if line.strip()]
    assert lines == ["checking backprop on 4-8-3 tanh/softmax, cross_entropy,",
                     "4 examples (rows 32, 60, 75, 99 of the training split);",
                     "layer 2 (L) only: w^(2), b^(2); layer 1 (L-1) not checked"], head


def test_trains_last_line_breaks_between_its_parts_on_a_narrow_terminal(monkeypatch):
    """The 'network … · 2000 epochs · sgd η = 2 · batch full · 0.05 s' line: each part kept
    whole where a break between parts will do, the continuation starting with the separator."""
    out = _on_a_terminal(monkeypatch, 60, "train", *DEEP, "--epochs", "20", "--quiet",
                         "--set", "training.optimizer=momentum", "--set", "training.nesterov=true")
    tail = out[out.index("network 2-5-4-3-1"):]
    lines = _lines_within(tail, 60)
    assert any("20 epochs" in line and "momentum (Nesterov) η = 2" in line for line in lines), tail
    assert lines[-1].startswith("· ") and lines[-1].rstrip().endswith(" s"), tail
    assert " ".join(tail.split()).startswith("network 2-5-4-3-1 sigmoid/sigmoid/sigmoid/sigmoid, squared_error · "
                                             "20 epochs · momentum (Nesterov) η = 2 · batch full · ")
    out = _on_a_terminal(monkeypatch, 100, "train", "--epochs", "20", "--quiet")  # where it fits: one line
    assert [line for line in out.splitlines() if line.startswith("network 2-3-1")][0].endswith(" s")


def test_plain_progress_lines_wrap_between_figures_on_a_terminal_and_stay_whole_in_a_log():
    """--quiet on a 60-column terminal: 'val' / 'acc 50.0%' was split; a pipe keeps one line
    per epoch for grep."""
    import io

    from rich.console import Console

    from backprop_cli.render.train import TrainProgress
    from backprop_cli.training import EpochStats

    s = EpochStats(epoch=1, train_cost=0.249515, train_accuracy=0.5, test_cost=0.249947, test_accuracy=0.375,
                   seconds=0.0, learning_rate=2.0, val_cost=0.249206, val_accuracy=0.5)
    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return terminal

    for terminal in (True, False):
        out = Tty()
        console = Console(file=out, width=60, force_terminal=terminal, no_color=True)
        TrainProgress(console, epochs=3, bar=False)(s)
        text = out.getvalue()
        if terminal:
            _lines_within(text, 60)
            assert all(line.startswith("  ") for line in text.splitlines()[1:]), text  # one record
            assert all(f in text.splitlines()[i] for i, f in
                       ((0, "train acc  50.0%"), (1, "val acc  50.0%"), (2, "test cost 0.249947"), (2, "test acc  37.5%")))
        else:
            assert len(text.splitlines()) == 1 and "val acc  50.0%  test cost" in text


def test_config_validate_and_init_lines_wrap_between_words_on_a_narrow_terminal(monkeypatch, tmp_path):
    """Their one-line reports (config validate's is 200+ characters) were soft-wrapped: a
    60-column terminal cut them mid-word. In a pipe each is still one line."""
    said = _on_a_terminal(monkeypatch, 60, "config", "validate", ROOT / "configs" / "iris.yaml")
    _lines_within(said, 60)
    assert "network 4-8-3 tanh/softmax, cross_entropy, 67 parameters;" in " ".join(said.split())
    said = _on_a_terminal(monkeypatch, 60, "init", tmp_path / "a" / "spirals.yaml", stream="stderr")
    _lines_within(said.replace(str(tmp_path), "T"), 60)
    assert "Three interleaved spirals: depth (two ReLU layers) and softmax." in " ".join(said.split())
    monkeypatch.delenv("FORCE_COLOR")
    assert len(invoke("config", "validate", ROOT / "configs" / "iris.yaml").stdout.splitlines()) == 1


NOTES = [  # (command, the note it says on stderr)
    (("gradcheck", "--set", "training.dtype=float32"),
     "note: the network trains in float32; the check runs in float64"),
    (("gradcheck", ROOT / "configs" / "iris.yaml", "--seed", "1"),
     "note: --seed 1 picks the examples checked, not the network: its weights are drawn from the "
     "config's seed 0 (explain's and train's --seed draw the network; here that is --set seed=1)"),
    (("train", "--epochs", "2", "--quiet", "--set", "training.momentum=0.5"),
     "note: training.momentum (0.5) is not used: only with training.optimizer: momentum (training.optimizer is sgd); "
     "PyTorch's SGD(momentum=0.5) is optimizer: momentum here"),
    (("config", "validate", ROOT / "configs" / "xor.yaml", "--set", "training.beta1=0.8"),
     "note: training.beta1 (0.8) is not used: only with training.optimizer: adam (training.optimizer is sgd)"),
]


@pytest.mark.parametrize("args, note", NOTES, ids=["gradcheck float32", "gradcheck seed", "train unused", "config validate unused"])
def test_notes_on_stderr_wrap_as_prose_on_a_terminal_and_stay_one_line_in_a_pipe(monkeypatch, args, note):
    """gradcheck's float32 note was wrapped by rich in a pipe (two lines at COLUMNS=60: a log's
    record cut in two), and train's and config validate's unused-setting notes were soft-wrapped, so
    a 60-column terminal cut them anywhere ('training.optimi' / 'zer'). Now: one line in a pipe; on
    a terminal broken between words, a short bracket whole."""
    monkeypatch.setenv("COLUMNS", "60")
    monkeypatch.setenv("CI", "true")  # no progress bar beside the note on the terminal
    r = runner.invoke(app, [str(a) for a in args])
    assert r.exit_code == 0, r.output
    assert note in r.stderr.splitlines(), r.stderr
    said = _on_a_terminal(monkeypatch, 60, *map(str, args), stream="stderr")
    lines = [line.rstrip() for line in _lines_within(said, 60) if line.strip()]
    assert " ".join(line.strip() for line in lines) == note, said
    assert all(line.startswith(" " * len("note: ")) for line in lines[1:]), said  # under its first word
    if "(training.optimizer is sgd)" in note:
        assert any("(training.optimizer is sgd)" in line for line in lines), said  # the bracket whole


def test_the_data_note_of_a_model_wraps_as_prose_on_a_terminal(monkeypatch, model):
    """explain --model with another seed: the note that the examples may differ was soft-wrapped,
    cut by a 60-column terminal wherever its edge fell."""
    said = _on_a_terminal(monkeypatch, 60, "explain", "--model", str(model), "--seed", "7", "--layer", "1",
                          stream="stderr")
    lines = [line.rstrip() for line in said.splitlines() if line.startswith("note:")]
    assert lines and lines[0].startswith("note: seed 7 (the model's: 0): the data") and len(lines[0]) <= 60, said


def test_forced_colours_in_a_pipe_keep_one_line_per_record(monkeypatch):
    """FORCE_COLOR (many CI jobs set it) makes rich take a pipe for a terminal of 80 columns:
    the --quiet progress lines and the 'network … · … s' line were broken in two in the log."""
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.setenv("NO_COLOR", "1")
    r = invoke("train", *DEEP, "--epochs", "3", "--quiet", "--set", "data.validation_fraction=0.25",
               "--set", "training.optimizer=momentum", "--set", "training.nesterov=true")
    assert r.exit_code == 0, r.output
    lines = r.stdout.splitlines()
    epochs = [line for line in lines if line.startswith("epoch ")]
    assert len(epochs) == 3 and all(line.rstrip().endswith("%") for line in epochs), r.stdout
    assert not any(line.startswith("  ") and "acc" in line for line in lines), r.stdout
    last = [line for line in lines if line.startswith("network 2-5-4-3-1")]
    assert len(last) == 1 and last[0].rstrip().endswith(" s") and len(last[0]) > 80, r.stdout
    said = invoke("config", "validate", ROOT / "configs" / "iris.yaml").stdout
    assert len(said.splitlines()) == 1


@pytest.mark.parametrize("name", ["exp[lr=0.1]", "a[/]b"])
def test_paths_with_square_brackets_are_printed_as_given(tmp_path, monkeypatch, name):
    """rich read a path's [...] as markup: `--out runs/exp[lr=0.1]` was reported as saved "in
    runs/exp", and a path holding [/] ended the finished run, the Ctrl-C that saves a checkpoint,
    and `plot` in a traceback (exit 1, not 0 or 130)."""
    from backprop_cli.commands import train

    out = tmp_path / name
    r = invoke("train", "--epochs", "3", "--out", out, "--quiet")
    assert r.exit_code == 0 and "Traceback" not in r.output, r.output
    assert f"config.yaml in {out}\n" in r.stdout
    if importlib.util.find_spec("matplotlib") is not None:  # plot's optional extra
        r = invoke("plot", out)
        assert r.exit_code == 0, r.output
        assert f"wrote {out / 'loss.png'}\n" in r.stderr
    monkeypatch.setattr(train._StopOnSignal, "requested", lambda self: True)  # Ctrl-C in the first batch
    stopped = tmp_path / f"stopped-{name}"
    r = invoke("train", "--epochs", "1000", "--out", stopped, "--quiet")
    assert r.exit_code == 130 and "Traceback" not in r.output, r.output
    assert f"checkpoint saved in {stopped / 'checkpoint.npz'}\n" in r.stderr


def test_a_short_last_part_does_not_stand_alone_on_its_line(monkeypatch):
    """At 85 columns the default run's last line kept everything up to 'batch full' and left
    '· 0.05 s' alone on the next line; the part before it goes down with it."""
    import io

    from rich.console import Console

    import backprop_cli.render as render

    monkeypatch.setattr(render, "_isatty", lambda f: True)
    parts = ["network 2-3-1 sigmoid/sigmoid, squared_error", "20 epochs", "sgd η = 2", "batch full", "0.05 s"]
    for width, want in ((85, ["network 2-3-1 sigmoid/sigmoid, squared_error · 20 epochs · sgd η = 2",
                              "· batch full · 0.05 s"]),
                        (100, [" · ".join(parts)]),
                        (60, ["network 2-3-1 sigmoid/sigmoid, squared_error · 20 epochs",
                              "· sgd η = 2 · batch full · 0.05 s"])):
        out = io.StringIO()
        console = Console(file=out, width=width, force_terminal=True, color_system=None)
        render.print_parts(console, parts, highlight=False)
        assert out.getvalue().splitlines() == want, out.getvalue()


def test_prose_wraps_english_as_rich_does_and_formulas_whole():
    """``Prose`` breaks a paragraph as rich's Text does wherever there is no formula or bracket
    (byte for byte), keeps a formula or a short bracket on one line where it fits, breaks a formula
    wider than the line before its operators, and keeps every style where it was."""
    import io

    from rich.console import Console
    from rich.text import Text

    from backprop_cli.render import Prose

    def printed(renderable, width: int, color: bool = False) -> str:
        out = io.StringIO()
        Console(file=out, width=width, force_terminal=color, color_system="standard" if color else None,
                highlight=False).print(renderable)
        return out.getvalue()

    english = ("It replaces the cost's derivative for every layer before the last one; the trainer's "
               "backward pass computes each layer's error once and hands it down the same way.")
    for width in range(12, 120, 7):
        assert printed(Prose(Text(english)), width) == printed(Text(english), width), width
    note = "• seed 001's convention C = ½(ŷ − y)², so ∂C0/∂a_j = a_j − y_j (seed 000 has no ½ and gets 2(a − y))"
    for width in (30, 40, 50, 60, 70, 80):
        lines = printed(Prose(Text(note)), width).splitlines()
        assert any("C = ½(ŷ − y)²," in line for line in lines) and any("∂C0/∂a_j = a_j − y_j" in line for line in lines)
        assert max(map(len, lines)) <= width and " ".join(" ".join(lines).split()) == note, (width, lines)
    product = "x = " + " · ".join(f"a_{i}^(1)" for i in range(12))
    lines = printed(Prose(Text(product)), 30).splitlines()
    assert len(lines) > 1 and all(line.startswith("· ") for line in lines[1:]), lines
    assert max(map(len, lines)) <= 30 and " ".join(" ".join(lines).split()) == product
    styled = Text("so ", style="dim")
    styled.append("∂C0/∂w^(1) = δ^(1) (a^(0))ᵀ", style="bold cyan")
    styled.append(" = 0 whatever the error (try --example)")

    def styles(renderable, width: int) -> list[tuple[str, object]]:  # each printed character and its style
        console = Console(file=io.StringIO(), width=width)
        return [(ch, seg.style) for seg in console.render(renderable) for ch in seg.text if not ch.isspace()]

    assert printed(Prose(styled), 30).splitlines()[1:] == ["= 0 whatever the error ", "(try --example)"]
    assert printed(styled, 30).splitlines()[1:] == ["= 0 whatever the error (try ", "--example)"]  # rich's
    for width in range(16, 60, 3):
        assert styles(Prose(styled), width) == styles(styled, width), width


def test_a_link_into_a_missing_folder_is_refused_before_anything_is_written(tmp_path, model):
    """`ln -s /gone/b.png RUN/boundary.png`: plot wrote loss.png, then failed (exit 2) naming its
    temporary file, `error: /gone/.b.png.tkup7ush.tmp: No such file or directory`; predict --out
    named the same temporary. Such a link is refused up front, naming it."""
    pytest.importorskip("matplotlib")
    run = tmp_path / "run"
    assert invoke("train", ROOT / "configs" / "xor.yaml", "--epochs", "3", "--out", run, "--quiet").exit_code == 0
    (run / "boundary.png").symlink_to(tmp_path / "gone" / "b.png")
    r = invoke("plot", run)
    assert r.exit_code == 2, r.output
    assert r.stderr.splitlines() == [f"error: {run / 'boundary.png'}: is a link to {tmp_path / 'gone' / 'b.png'}, "
                                     f"in a folder that does not exist; refusing to write through it"]
    assert not (run / "loss.png").exists() and ".tmp" not in r.stderr
    out = tmp_path / "p.csv"
    out.symlink_to(tmp_path / "gone" / "p.csv")
    r = invoke("predict", model, IRIS_CSV, "--out", out)
    assert r.exit_code == 2 and f"--out {out}: is a link to" in r.stderr and ".tmp" not in r.stderr, r.output


def test_a_temporary_file_that_cannot_be_made_is_named_as_the_file_meant(tmp_path, monkeypatch):
    import errno
    import tempfile

    def full(prefix, suffix, dir):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), os.path.join(dir, f"{prefix}x1y2{suffix}"))

    monkeypatch.setattr(tempfile, "mkstemp", full)
    with pytest.raises(OSError) as e:
        atomic_write_text(tmp_path / "p.csv", "x\n")
    assert e.value.filename == str(tmp_path / "p.csv")


def test_gradchecks_header_breaks_between_phrases_not_inside_one_on_a_projector(monkeypatch):
    """At 60 columns the header of a check of fewer examples than --examples read '(row 0: the whole
    training' over 'split, which …', and at 40-50 '… fewer than --examples' over '4); layer 1 …' and
    'layer 2 (L)' over 'not checked': a part too wide for the line now breaks between its phrases,
    each whole. A pipe still gets the header on one line (a record for grep and logs)."""
    hand = str(ROOT / "configs" / "hand_worked.yaml")
    phrases = ["checking backprop on", "2-2-2 sigmoid/sigmoid,", "half_squared_error,", "1 example",
               "(row 0:", "the whole training split,", "which has fewer than --examples 4);",
               "layer 1 (L-1) only: w^(1), b^(1);", "layer 2 (L) not checked"]
    for width in (40, 50, 60, 72):
        head = _on_a_terminal(monkeypatch, width, "gradcheck", hand, "--layer", "L-1").split("gradient check:")[0]
        lines = [line.rstrip() for line in _lines_within(head, width) if line.strip()]
        assert " ".join(lines) == " ".join(phrases), (width, head)
        for phrase in phrases:
            assert any(phrase in line for line in lines), (width, phrase, head)
    monkeypatch.delenv("FORCE_COLOR")
    monkeypatch.setenv("COLUMNS", "60")
    assert invoke("gradcheck", hand, "--layer", "L-1").output.splitlines()[0] == " ".join(phrases)
