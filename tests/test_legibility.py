"""Legible on a projector's light background, to a colour-blind reader and through a screen reader:
no yellow or cyan text (~1.1-2.5:1 on white), dim only for decoration and plain under NO_COLOR,
an ASCII fallback that keeps the maths' meaning, curves and legends that show what they say."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from backprop_cli.cli import app
from test_cli_gradcheck import BUGGY

ROOT = Path(__file__).resolve().parents[1]
runner = CliRunner()
SGR = re.compile(r"\x1b\[([0-9;]*)m")
#: SGR foregrounds that vanish on white: yellow (33, 93; 256-colour 3, 11) and cyan (36, 96; 6, 14)
_PALE = {"33", "93", "36", "96"}
_PALE_256 = {"3", "11", "6", "14"}


def _coloured(monkeypatch, *args: str) -> tuple[int, str]:
    """``args``' exit code and stdout + stderr as a colour terminal of 80 columns gets them."""
    from backprop_cli import render
    from backprop_cli.commands import common

    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.setenv("TERM", "xterm-256color")
    monkeypatch.delenv("NO_COLOR", raising=False)
    with monkeypatch.context() as m:
        m.setattr(common._Stdout, "isatty", lambda self: True, raising=False)
        m.setattr(render, "_isatty", lambda file: True)
        r = runner.invoke(app, [str(a) for a in args])
    return r.exit_code, r.stdout + r.stderr


def _pale_text(out: str) -> list[str]:
    """The pieces of text (not box lines) printed in a yellow or cyan foreground."""
    found = []
    pieces = SGR.split(out)  # text, codes, text, codes, …
    for codes, text in zip(pieces[1::2], pieces[2::2]):
        parts = codes.split(";")
        pale = any(p in _PALE for p in parts) or any(
            parts[i:i + 2] == ["38", "5"] and i + 2 < len(parts) and parts[i + 2] in _PALE_256
            for i in range(len(parts)))
        if pale and any(ch.isalnum() or ch in "⚠?✓✗=·" for ch in text):
            found.append(text)
    return found


def _model_at_kinks(tmp_path: Path) -> Path:
    from test_cli_explain import _model_at_kinks as made

    return made(tmp_path)


def test_no_yellow_or_cyan_text_in_explain_gradcheck_or_train(monkeypatch, tmp_path):
    """explain's results (z_j, a_j, every `= 0.146979`, the products) were bold yellow and its symbols
    bold cyan; train's warnings bold yellow; gradcheck's `almost surely a bug`, `unresolved`, `kink`
    yellow, under a red FAIL. Now results are bold in the terminal's own colour, warnings magenta,
    failures red: legible on white and on black."""
    (tmp_path / "mine.py").write_text(BUGGY)
    model = _model_at_kinks(tmp_path)
    runs = {
        "explain": ("explain", "--layer", "L"),
        "explain all": ("explain", "--all-layers", "--set", "network.layers=[2,3,3,1]"),
        "explain expand": ("explain", ROOT / "configs" / "hand_worked.yaml", "--layer", "1", "--expand", "--weight", "0,0"),
        "explain kink": ("explain", "--model", model, "--layer", "L-1"),
        "gradcheck fail": ("gradcheck", "--backward", f"{tmp_path / 'mine.py'}:no_factor_two"),
        "gradcheck kink": ("gradcheck", "--model", model),
        "train warning": ("train", ROOT / "configs" / "sine.yaml", "--set", "network.output_activation=sigmoid",
                          "--set", "training.epochs=2", "--quiet"),
    }
    printed = {}
    for name, args in runs.items():
        code, out = printed[name] = _coloured(monkeypatch, *args)
        assert code in (0, 1, 3), (name, out)
        assert SGR.search(out), name  # coloured at all: the check is not vacuous
        assert _pale_text(out) == [], (name, _pale_text(out)[:5])
    code, out = printed["gradcheck fail"]
    assert re.search(r"\x1b\[[0-9;]*31[0-9;]*m[^\x1b]*almost surely a bug", out) or \
        re.search(r"\x1b\[[0-9;]*31[0-9;]*m[^\x1b]*likely a bug", out), out  # red, as its FAIL
    code, out = printed["train warning"]
    assert "\x1b[1;35mwarning:" in out, out


def _dim_text(out: str) -> list[str]:
    """The pieces of text (not frames) printed dim (SGR 2)."""
    pieces = SGR.split(out)
    return [text for codes, text in zip(pieces[1::2], pieces[2::2])
            if "2" in codes.split(";") and any(ch.isalnum() for ch in text)]


def test_dim_is_decoration_only_and_plain_under_no_color(monkeypatch, tmp_path):
    """The chain-rule expansion `= ∂z_0^(2)/∂w_00^(2) · …`, the labels `forward:`, `weight:`, the seed
    000 factor-2 note, gradcheck's `failing entries: the 5 worst of …` and its `bands:` legend were dim,
    faint on a projector; and NO_COLOR kept dim (rich drops colours only). Now dim is for frames and
    axes only, and under NO_COLOR nothing is dim."""
    (tmp_path / "mine.py").write_text(BUGGY)
    brief = ("explain", "--layer", "L", "--brief")
    failing = ("gradcheck", "--backward", f"{tmp_path / 'mine.py'}:no_factor_two", "--set", "network.layers=[2,8,1]")
    for args in (brief, failing, ("explain", "--all-layers")):
        code, out = _coloured(monkeypatch, *args)
        assert code in (0, 1), out
        assert _dim_text(out) == [], (args, _dim_text(out)[:5])
    code, out = _coloured(monkeypatch, *brief)
    plain = SGR.sub("", out)
    assert "= ∂z_0^(2)/∂w_00^(2) · ∂a_0^(2)/∂z_0^(2) · ∂C0/∂a_0^(2)" in plain and "forward: " in plain
    monkeypatch.setenv("NO_COLOR", "1")
    from backprop_cli import render
    from backprop_cli.commands import common

    for args in (brief, failing, ("train", "--epochs", "3", "--quiet")):
        with monkeypatch.context() as m:
            m.setattr(common._Stdout, "isatty", lambda self: True, raising=False)
            m.setattr(render, "_isatty", lambda file: True)
            r = runner.invoke(app, [str(a) for a in args])
        out = r.stdout + r.stderr
        assert SGR.search(out), args  # bold stays
        assert not [codes for codes in SGR.findall(out) if "2" in codes.split(";")], (args, out)


def test_the_ascii_fallback_keeps_the_maths_meaning_and_the_borders_in_place():
    """Under LC_ALL=C the look-alikes read ½ as `?`, ² as `2` ("times 2", the very factor the seeds
    differ by), ⚠ as `?` (the mark of "cannot judge"), ✓ as `+` (arithmetic), δ and ∂ both as `d`.
    Now ½ → 1/2, ² → ^2, ⚠ → !, ✓ → v, δ → D; a wider stand-in takes its columns from the line's
    padding, so a panel's right border stays where it was."""
    import codecs

    from backprop_cli import _ascii_replace

    codecs.register_error("backprop_ascii", _ascii_replace)

    def ascii(text: str) -> str:
        return text.encode("ascii", "backprop_ascii").decode("ascii")

    assert ascii("C = ½(ŷ − y)²") == "C = (1/2)(yhat - y)^2"  # was 1/2(O - y)^2: 1/(2(O − y)²)
    assert ascii("a³") == "a^3"
    assert ascii("⚠ layer 1") == "! layer 1" and ascii("✓ 0 / 3e-10") == "v 0 / 3e-10"
    assert ascii("δ_j = ∂C0/∂z_j") == "D_j = dC0/dz_j"
    # the pass rule is ≤, not a strict <; η is not n, the numeric gradient (or the example count)
    assert ascii("|a − n| ≤ atol") == "|a - n| <= atol" and ascii("≥ 6×") == ">= 6x"
    assert ascii("sgd η = 2") == "sgd eta = 2"
    assert ascii("✗ FAIL") == "X FAIL" and ascii("σ'(z)") == "s'(z)"  # one for one as before
    # the arrows were < and >: an update read "W is less than …", a path 0 → 0 → 2 a false inequality;
    # one-letter stand-ins read as other quantities: λ as l (the layer), β1 as b1 (a bias), √ and ∇ as V
    assert ascii("W ← W − η ∂C/∂W") == "W <- W - eta dC/dW" and ascii("0 → 0 → 2") == "0 -> 0 -> 2"
    assert ascii("sgd η = 0.05, λ = 0.01") == "sgd eta = 0.05, lambda = 0.01"
    assert ascii("adam β1 = 0.9, β2 = 0.999") == "adam beta1 = 0.9, beta2 = 0.999"
    assert ascii("√C") == "sqrtC" and ascii("∇C") == "gradC" and ascii("E_2ᵀ") == "E_2^T"
    line = "│ cost: C0 = Σ_j (a_j − y_j)²        │\n│ next ½ line │"
    top, bottom = ascii(line).split("\n")
    assert top == "| cost: C0 = sum_j (a_j - y_j)^2     |" and len(top) == len(line.split("\n")[0])
    assert bottom == "| next (1/2) line |"  # no padding to give: one line four columns wider
    assert ascii("é ²  x") == "e ^2 x"  # the character after is mapped too
    assert "½ é ² v" == "½ é ² ✓".encode("latin-1", "backprop_ascii").decode("latin-1")  # Latin-1 has ½, é, ²


def test_the_validation_curve_early_stopping_watches_is_never_hidden_and_the_kept_epoch_is_marked():
    """spirals with a validation split: after ~epoch 45 the test's • covered every ○ they shared a
    cell with, so the curve early stopping watches vanished. Now the validation marker is drawn on
    top, ◉ where both fall, and ▲ on the x axis marks the kept epoch, each said above the legend."""
    import numpy as np

    from backprop_cli.render.plots import BEST_GLYPH, BOTH_GLYPH, TEST_GLYPH, VAL_GLYPH, loss_curve

    train = np.linspace(1.0, 0.2, 40)
    val = np.linspace(1.0, 0.4, 40)
    lines = [line.rstrip() for line in loss_curve(train, val, width=40, height=10, validation=val,
                                                  best_epoch=30, columns=80).plain.split("\n")]
    body = "\n".join(lines[2:12])
    assert TEST_GLYPH not in body and body.count(BOTH_GLYPH) >= 15  # the same cells: both, never • alone
    legend = "\n".join(lines[14:])
    assert "◉ validation and test in one cell   ▲ best epoch 30 (kept)" in legend
    assert legend.rstrip().endswith("(last epoch)")  # the series' values, last
    axis = lines[12]
    assert axis.count(BEST_GLYPH) == 1
    assert axis.index(BEST_GLYPH) - axis.index("└") - 1 == round(29 * 79 / 39) // 2  # epoch 30's column
    apart = loss_curve(train, val + 0.3, width=40, height=10, validation=val).plain
    assert BOTH_GLYPH not in apart and "one cell" not in apart and BEST_GLYPH not in apart
    assert TEST_GLYPH in apart and VAL_GLYPH in apart

    r = runner.invoke(app, ["train", str(ROOT / "configs" / "spirals.yaml"), "--set", "training.early_stopping=true",
                            "--set", "data.validation_fraction=0.2", "--set", "training.patience=5"],
                      env={"COLUMNS": "80"})
    assert r.exit_code == 0, r.output
    kept = re.search(r"kept the weights of epoch (\d+)", r.stdout).group(1)
    assert f"▲ best epoch {kept} (kept)" in r.stdout


def test_the_decision_regions_legend_breaks_between_items_and_shows_the_blank_texture():
    """At 80 columns spirals' legend ended `(background: predicted class, glyph: true ` with `class)`
    alone at column 0, and class 0's texture sample was a blank, so `● 0` showed no texture. Now
    the legend breaks between its items and each texture sample is in brackets: `[  ] ● 0`."""
    for columns in (60, 80):
        r = runner.invoke(app, ["train", str(ROOT / "configs" / "spirals.yaml"), "--show-boundary", "--quiet",
                                "--set", "training.epochs=5"], env={"COLUMNS": str(columns)})
        assert r.exit_code == 0, r.output
        lines = r.stdout.splitlines()
        at = next(i for i, line in enumerate(lines) if "[  ] ● 0" in line)
        legend = lines[at:next(i for i in range(at, len(lines)) if "training accuracy" in lines[i])]
        assert all(line.startswith("      ") and len(line.rstrip()) <= columns for line in legend), legend
        assert "[··] ✕ 1" in legend[0] and "[::] ▲ 2" in legend[0]
        assert "(background: predicted class, glyph: true class)" in " ".join(" ".join(legend).split())


def test_the_readme_says_how_to_read_the_output_without_colour_or_sight():
    """The accessible forms are documented where the output notes are, and exist as documented."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Colour, projectors and screen readers")[1].split("\n## ")[0]
    for said in ("NO_COLOR=1", "TERM=dumb", "explain --format markdown", "--json", "train --quiet", "metrics.csv"):
        assert said in section, said
    r = runner.invoke(app, ["explain", "--layer", "L", "--brief", "--format", "markdown"])
    assert r.exit_code == 0 and "## Layer 2 (L)" in r.stdout and "┃" not in r.stdout and "│" not in r.stdout


def test_the_progress_bar_is_not_red_and_its_finished_frame_is_not_the_empty_tracks_grey():
    """rich's own bar was pink while running, bright red (91) in 16 colours, where red means a
    failure, and its green finished bar became the track's grey (90) there: the final frame,
    `3000/3000`, read as a bar that never started. Now the part done is bold in the terminal's own
    colour while running and green once finished, the track the palette's grey, in any colours."""
    import io

    from backprop_cli.commands.common import _Console as Console  # the commands' console, its theme
    from backprop_cli.render.train import TrainProgress
    from backprop_cli.training import EpochStats

    def stats(epoch: int) -> EpochStats:
        return EpochStats(epoch=epoch, train_cost=0.5 / epoch, train_accuracy=None, test_cost=None,
                          test_accuracy=None, seconds=0.0, learning_rate=1.0)

    for system in ("standard", "256", "truecolor"):
        file = io.StringIO()
        console = Console(file=file, force_terminal=True, color_system=system, width=80)
        with TrainProgress(console, epochs=10, bar=True) as progress:
            progress(stats(5))
            progress.progress.refresh()  # a frame of the run half done
            running = file.getvalue().rsplit("\r", 1)[-1]
            for epoch in range(6, 11):
                progress(stats(epoch))
        final = file.getvalue().rstrip().rsplit("\r", 1)[-1]
        codes = set(SGR.findall(file.getvalue()))
        assert codes <= {"0", "1", "32", "90"}, (system, codes)  # bold, green, grey: no red, no rgb pink
        assert re.search(r"\x1b\[1m━+", running) and re.search(r"\x1b\[90m━+", running), (system, running)
        assert "10/10" in final and re.search(r"\x1b\[32m━+", final) and "\x1b[90m━" not in final, (system, final)


def test_gradchecks_progress_bar_and_trains_counts_use_no_colour_that_means_a_verdict():
    """gradcheck's bar kept rich's own colours: bright red (91) while running in 16 colours, a
    magenta percentage (a warning's colour here); train's M/N count was green (a pass's)."""
    import io

    from rich.progress import Progress

    from backprop_cli.commands.common import _Console as Console
    from backprop_cli.commands.gradcheck import _bar_columns
    from backprop_cli.render.train import TrainProgress
    from backprop_cli.training import EpochStats

    for system in ("standard", "256", "truecolor"):
        file = io.StringIO()
        console = Console(file=file, force_terminal=True, color_system=system, width=100)
        columns, tail = _bar_columns(100)
        with Progress(*columns, console=console, transient=False) as bar:
            task = bar.add_task("finite differences", total=40, tail=tail)
            bar.update(task, completed=17)
            bar.refresh()
            bar.update(task, completed=40)
        codes = set(SGR.findall(file.getvalue()))
        assert codes <= {"0", "1", "32", "90"}, (system, codes)  # bold, green (the finished bar), grey
        assert "42%" in file.getvalue() and re.search(r"\x1b\[1m━+", file.getvalue()), system  # 17 of 40, running

        file = io.StringIO()
        console = Console(file=file, force_terminal=True, color_system=system, width=100)
        with TrainProgress(console, epochs=10, bar=True) as progress:
            progress(EpochStats(epoch=4, train_cost=0.5, train_accuracy=None, test_cost=None, test_accuracy=None,
                                seconds=0.0, learning_rate=1.0))
            progress.progress.refresh()
        count = re.search(r"(\x1b\[[0-9;]*m)*4/10", file.getvalue())
        assert count is not None and "32" not in SGR.findall(count.group(0)), (system, count)


def test_pythonioencoding_ascii_asks_for_the_look_alikes_on_a_utf8_terminal():
    """The README's way to get ASCII on a projector whose font lacks ∂ or braille: the same output, each
    symbol as its look-alike, no UnicodeEncodeError."""
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k not in ("LC_ALL", "LANG", "PYTHONUTF8", "NO_COLOR")}
    r = subprocess.run([sys.executable, "-m", "backprop_cli", "train", "-q"], capture_output=True, timeout=60,
                       env={**env, "LANG": "C.UTF-8", "PYTHONIOENCODING": "ascii", "NO_COLOR": "1", "COLUMNS": "80"})
    assert r.returncode == 0, r.stderr
    out = r.stdout.decode("ascii")  # raises on any byte above 127
    assert "sgd eta = 2 . batch full" in out and "|" in out, out


def test_the_rows_that_detail_another_are_italic_not_dim(monkeypatch, tmp_path):
    """train's and evaluate's `of which L2 penalty` row and evaluate's `macro avg` row were dim: their
    figures washed out on a projector's white, against the README's "dim is only for frames and axis
    lines". They are italic now."""
    iris = str(Path(__file__).resolve().parents[1] / "configs" / "iris.yaml")
    code, out = _coloured(monkeypatch, "train", iris, "--set", "training.l2=0.01", "--epochs", "3", "--quiet",
                          "--out", tmp_path / "run")
    assert code == 0 and "of which L2 penalty" in SGR.sub("", out), out
    assert _dim_text(out) == [], _dim_text(out)[:5]
    assert "of which L2 penalty" in _italic_text(out) and re.search(r"0\.\d{4}", _italic_text(out)), out
    code, out = _coloured(monkeypatch, "evaluate", tmp_path / "run")
    assert code == 0 and "macro avg" in SGR.sub("", out), out
    assert _dim_text(out) == [], _dim_text(out)[:5]
    assert "macro avg" in _italic_text(out) and "of which L2 penalty" in _italic_text(out), out


def _italic_text(out: str) -> str:
    """The pieces of text printed italic (SGR 3), joined."""
    pieces = SGR.split(out)
    return " ".join(text for codes, text in zip(pieces[1::2], pieces[2::2]) if "3" in codes.split(";"))


def test_the_ascii_look_alikes_take_their_columns_from_their_own_cell():
    """`Σ + b_j` → `sum + b_j` took its two columns from the spaces after it on the line, the next cell's,
    so a table's headers slid against their columns (`|   sum + b_j |  s(z_j) |` over `|  0.540203 |`).
    Each cell now gives back its own padding: every line of a table keeps its borders in place."""
    from backprop_cli import fit_to_encoding

    table = ("│ j │ z_j^(1) = │ a_j^(1) = │\n"
             "│   │   Σ + b_j │    σ(z_j) │\n"
             "│ 0 │      0.01 │      0.01 │\n"
             "│ λ, ŷ, ½ and √ here │ x │")
    lines = fit_to_encoding(table, "ascii").split("\n")
    assert lines[:3] == ["| j | z_j^(1) = | a_j^(1) = |", "|   | sum + b_j |    s(z_j) |", "| 0 |      0.01 |      0.01 |"]
    assert lines[3] == "| lambda, yhat, (1/2) and sqrt here | x |"  # no padding to give: wider, never cut
    coloured = "│\x1b[1m Σ \x1b[0m     │"  # escape sequences are skipped, never cut
    assert fit_to_encoding(coloured, "ascii") == "|\x1b[1m sum \x1b[0m   |"
    assert fit_to_encoding("½ é ² ✓", "latin-1") == "½ é ² v"  # what the encoding holds stays
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k not in ("LC_ALL", "LANG", "PYTHONUTF8", "NO_COLOR")}
    r = subprocess.run([sys.executable, "-m", "backprop_cli", "explain", str(ROOT / "configs" / "xor_relu.yaml"),
                        "--layer", "1"], capture_output=True, timeout=60,
                       env={**env, "LANG": "C.UTF-8", "PYTHONIOENCODING": "ascii", "NO_COLOR": "1", "COLUMNS": "80"})
    out = r.stdout.decode("ascii").splitlines()
    i = next(i for i, line in enumerate(out) if "sum + b_j |" in line)
    assert len(out[i]) == len(out[i - 1]) == len(out[i + 2]), out[i - 1:i + 3]
    assert [m.start() for m in re.finditer(r"\|", out[i])] == [m.start() for m in re.finditer(r"\|", out[i + 2])]


def test_the_l2_penalty_row_keeps_its_figures_in_line_in_ascii(tmp_path):
    """`of which L2 penalty (λ/2)Σ‖w‖²` is 7 columns wider as `(lambda/2)sum|w|^2`: train's summary
    table pushed its right border and figures out past the rows above, and evaluate's borderless
    table started the figure 8 columns right of the cost's. Each is measured as it is written now."""
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k not in ("LC_ALL", "LANG", "PYTHONUTF8", "NO_COLOR")}
    env = {**env, "LANG": "C.UTF-8", "PYTHONIOENCODING": "ascii", "NO_COLOR": "1", "COLUMNS": "80"}
    run = tmp_path / "run"
    r = subprocess.run([sys.executable, "-m", "backprop_cli", "train", str(ROOT / "configs" / "sine.yaml"), "--set",
                        "training.l2=0.01", "--epochs", "2", "--quiet", "--out", str(run)],
                       capture_output=True, timeout=60, env=env)
    assert r.returncode == 0, r.stderr
    out = r.stdout.decode("ascii").splitlines()
    i = next(i for i, line in enumerate(out) if "of which L2 penalty (lambda/2)sum|w|^2" in line)
    assert len(out[i]) == len(out[i - 1]) == len(out[i + 1]), out[i - 2:i + 2]
    borders = re.compile(r"^\||(?<= )\|(?= )|\|$")  # not the |w| of the label
    assert [m.start() for m in borders.finditer(out[i])] == [m.start() for m in borders.finditer(out[i - 1])]
    r = subprocess.run([sys.executable, "-m", "backprop_cli", "evaluate", str(run)], capture_output=True,
                       timeout=60, env=env)
    assert r.returncode == 0, r.stderr
    out = r.stdout.decode("ascii").splitlines()
    i = next(i for i, line in enumerate(out) if line.startswith("of which L2 penalty (lambda/2)sum|w|^2"))
    assert out[i - 1].startswith("cost (half_squared_error + L2)")
    figure = re.compile(r"  +(\S+) *$")  # the right column's figure, after the label's padding
    assert figure.search(out[i]).end(1) == figure.search(out[i - 1]).end(1), out[i - 1:i + 1]


def _ascii_terminal(monkeypatch, width: int):
    """A terminal ``width`` columns wide whose stream takes ASCII alone (PYTHONIOENCODING=ascii), writing
    the ASCII stand-ins (η → eta, R² → R^2) as the command's streams do: (console, its bytes)."""
    import codecs
    import io

    from rich.console import Console

    from backprop_cli import _ascii_replace, render

    codecs.register_error("backprop_ascii", _ascii_replace)
    raw = io.BytesIO()
    file = io.TextIOWrapper(raw, encoding="ascii", errors="backprop_ascii", newline="\n")
    monkeypatch.setattr(render, "_isatty", lambda f: True)
    return Console(file=file, force_terminal=True, color_system=None, width=width), raw


@pytest.mark.parametrize("width", [33, 34, 35, 36, 38, 40])
def test_trains_last_line_fits_an_ascii_terminal_with_eta_written_out(monkeypatch, width):
    """With PYTHONIOENCODING=ascii train's last line ('… · sgd eta = 0.1') was a column wider than the
    terminal at 35-40 columns: its parts were measured with η, one column, and written 'eta'."""
    from backprop_cli.render import print_parts

    console, raw = _ascii_terminal(monkeypatch, width)
    parts = ["network 4-8-3 tanh/softmax, cross_entropy", "200 epochs", "sgd η = 0.1", "batch 16", "0.11 s"]
    print_parts(console, parts, highlight=False)
    console.file.flush()
    lines = raw.getvalue().decode("ascii").splitlines()
    assert max(map(len, lines)) <= width and "sgd eta = 0.1" in "\n".join(lines), lines


@pytest.mark.parametrize("width", range(36, 46))
def test_evaluates_per_output_table_fits_an_ascii_terminal_with_r2_written_out(monkeypatch, width):
    """The per-output table's R² header is R^2 on an ASCII stream, a column wider than measured: the
    borderless table's last column ran a column beyond the terminal's edge (e17eca3 lays it out as written)."""
    import numpy as np

    from backprop_cli.evaluation import Evaluation, regression_metrics
    from backprop_cli.render.evaluate import print_evaluation

    Y = np.array([[0.1], [0.3], [0.7]])
    outputs = regression_metrics(Y, Y + np.array([[0.0131054], [-0.2], [0.1]]), ("y",))
    ev = Evaluation(model="m.npz", network="1-8-1", cost_name="half_squared_error", data="d.csv", split="test",
                    n_samples=3, task="regression", cost=0.0155123, regression=outputs)
    console, raw = _ascii_terminal(monkeypatch, width)
    print_evaluation(console, ev)
    console.file.flush()
    text = raw.getvalue().decode("ascii")
    assert max(map(len, text.splitlines())) <= width and "R^2" in text, text
