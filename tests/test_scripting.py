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
