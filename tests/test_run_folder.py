"""One writer per run folder (train's lock, init's atomic refusal), SIGHUP saving a checkpoint, and
what a run folder without model.npz is said to be (being trained, diverged, interrupted)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from backprop_cli.cli import app

ROOT = Path(__file__).resolve().parents[1]
SINE = ROOT / "configs" / "sine.yaml"  # at η = 1 it diverges in epoch 13
runner = CliRunner()


def invoke(*args):
    return runner.invoke(app, [str(a) for a in args])


def _one_error_line(r, needle: str) -> None:
    assert r.exit_code == 2, r.output
    lines = r.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and needle in lines[0], r.stderr
    assert "Traceback" not in r.output


# --- init NAME: the last write refuses a file made meanwhile -----------------------------------

@pytest.mark.parametrize("force", [False, True])
def test_init_refuses_a_file_written_while_it_made_its_config(tmp_path, monkeypatch, force):
    """`init NAME` checked NAME at its start and replaced whatever was there at its end: a file
    written meanwhile (another init, make -j) was lost. It is refused atomically, unless --force."""
    from backprop_cli import scaffold

    path = tmp_path / "mine.yaml"
    real = scaffold.starter_text

    def meanwhile(*args, **kwargs):
        path.write_text("# someone else's\n")
        return real(*args, **kwargs)

    monkeypatch.setattr(scaffold, "starter_text", meanwhile)
    r = invoke("init", path, *(["--force"] if force else []))
    if force:
        assert r.exit_code == 0 and path.read_text().startswith("#") and "someone" not in path.read_text(), r.output
    else:
        assert r.exit_code == 2, r.output
        assert r.stderr.splitlines() == [
            f"error: {path}: already exists (written while this config was being made); refusing to overwrite it",
            "hint: pass --force (or --overwrite) to replace it"], r.stderr
        assert path.read_text() == "# someone else's\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine.yaml"]  # no temporary file left
