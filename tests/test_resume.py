"""No run is lost: checkpoints, Ctrl-C, and resuming to bit-identical weights."""

from __future__ import annotations

import json
import shutil
import os
import shlex
import signal
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from backprop_cli.cli import app
from backprop_cli.config import load_config
from backprop_cli.experiment import prepare
from backprop_cli.model_io import load_model
from backprop_cli.training import StateError, Trainer
from helpers import run_on_one_hot_columns_as_numbers

ROOT = Path(__file__).resolve().parents[1]
runner = CliRunner()


def invoke(*args):
    return runner.invoke(app, [str(a) for a in args])


def trainer_for(cfg):
    exp = prepare(cfg)
    return Trainer(exp.net, exp.train, exp.test, cfg.training, exp.streams.shuffle, val_set=exp.val)


def resumed(trainer, cfg):
    """A new trainer for ``cfg`` loaded from a copy of ``trainer``'s state (as a checkpoint
    would hold it) and run to the end."""
    second = trainer_for(cfg)
    second.load_state_dict({k: np.array(v, copy=True) for k, v in trainer.state_dict().items()})
    second.run()
    return second


def assert_same_run(a, b):
    """The same weights bit for bit, and every figure of every epoch (not the wall times)."""
    for x, y in zip(a.net.weights + a.net.biases, b.net.weights + b.net.biases):
        assert np.array_equal(x, y)
    assert [s._replace(seconds=0) for s in a.history] == [s._replace(seconds=0) for s in b.history]


@pytest.fixture(scope="module")
def straight_iris(tmp_path_factory):
    """``straight_iris(epochs)``: the folder of configs/iris.yaml trained straight for that many epochs,
    trained once per number for the tests whose interrupted runs must end as it does."""
    folders = {}

    def folder(epochs: int) -> Path:
        if epochs not in folders:
            out = tmp_path_factory.mktemp("straight") / "run"
            r = invoke("train", ROOT / "configs" / "iris.yaml", "--epochs", epochs, "--out", out, "-q")
            assert r.exit_code == 0, r.output
            folders[epochs] = out
        return folders[epochs]

    return folder


@pytest.mark.parametrize("optimizer", ["sgd", "momentum", "adam"])
@pytest.mark.parametrize("stop_after", [1, 7, 23])
def test_interrupted_and_resumed_equals_uninterrupted(optimizer, stop_after):
    cfg = load_config(ROOT / "configs" / "iris.yaml", {
        "training.epochs": 4, "training.optimizer": optimizer, "training.early_stopping": True,
        "training.patience": 2, "data.validation_fraction": 0.2})
    whole = trainer_for(cfg)
    whole.run()
    first = trainer_for(cfg)
    calls = iter(range(10**6))
    result = first.run(should_stop=lambda: next(calls) + 1 >= stop_after)
    assert result.interrupted
    second = resumed(first, cfg)
    assert_same_run(whole, second)  # costs, accuracies, validation figures of every epoch
    assert all(s.train_accuracy is not None for s in second.history)


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("optimizer", ["sgd", "momentum", "adam"])
def test_with_l2_interrupted_and_resumed_equals_uninterrupted(optimizer, dtype, update_path, optimizer_path):
    """L2's own update paths (float64 SGD: the decay as the update product's β; momentum and
    Adam: λ w added by one BLAS pass), each way, resume to the same weights bit for bit; iris's
    150 rows in batches of 16 end in a short batch (its own prepared calls)."""
    cfg = load_config(ROOT / "configs" / "iris.yaml", {
        "training.epochs": 3, "training.optimizer": optimizer, "training.l2": 1e-3, "training.dtype": dtype})
    whole = trainer_for(cfg)
    whole.run()
    first = trainer_for(cfg)
    calls = iter(range(10**6))
    assert first.run(should_stop=lambda: next(calls) + 1 >= 13).interrupted
    assert_same_run(whole, resumed(first, cfg))


@pytest.mark.parametrize("optimizer", ["sgd", "adam"])
def test_a_finished_early_stopping_run_extended_equals_a_straight_run(optimizer):
    """The best epoch's weights are put back at the end of a run, but its checkpoint keeps the
    weights training stood at: a longer run resumed from it goes on from those, as a straight
    run does, and ends with the same best weights."""
    settings = {"training.optimizer": optimizer, "training.early_stopping": True, "training.patience": 10**6,
                "data.validation_fraction": 0.2, "training.learning_rate": 0.5}
    short = load_config(ROOT / "configs" / "iris.yaml", {**settings, "training.epochs": 40})
    long = load_config(ROOT / "configs" / "iris.yaml", {**settings, "training.epochs": 80})
    whole = trainer_for(long)
    whole.run()
    first = trainer_for(short)
    first.run()
    assert first.best_epoch < 40  # else putting the best weights back changed nothing
    second = resumed(first, long)
    assert_same_run(whole, second)
    assert second.best_epoch == whole.best_epoch
    # the same in one process: run() again with more epochs goes on from where training stood
    first.s = long.training
    first.run()
    for a, b in zip(whole.net.weights + whole.net.biases, first.net.weights + first.net.biases):
        assert np.array_equal(a, b)


def ctrl_c_during(trainer, epoch, batch):
    """A ``should_stop`` for ``trainer.run``: as if Ctrl-C came while batch ``batch`` (0-based,
    -1 for the last) of epoch ``epoch`` (1-based) was being trained on."""
    n_batches = -(-trainer.train_set.n_samples // trainer.batch_size)
    batch %= n_batches
    asked = []
    step = trainer._step

    def stepping(*args):
        step(*args)
        if trainer.epoch + 1 == epoch and trainer.batch == batch:  # before the loop counts it
            asked.append(True)

    trainer._step = stepping
    return lambda: bool(asked)


def test_a_stop_asked_during_the_last_batch_lets_the_run_finish():
    """Ctrl-C during the run's very last batch: the last epoch is still counted and reported,
    the run is not called interrupted, and early stopping's best weights are put back."""
    cfg = load_config(ROOT / "configs" / "iris.yaml", {
        "training.epochs": 3, "training.early_stopping": True, "training.patience": 10**6,
        "data.validation_fraction": 0.2})
    whole = trainer_for(cfg)
    whole.run()
    stopped = trainer_for(cfg)
    seen = []
    result = stopped.run(seen.append, should_stop=ctrl_c_during(stopped, 3, -1))
    assert not result.interrupted
    assert [s.epoch for s in seen] == [1, 2, 3] and result.epochs == 3
    for a, b in zip(whole.net.weights + whole.net.biases, stopped.net.weights + stopped.net.biases):
        assert np.array_equal(a, b)


@pytest.mark.parametrize("batch", [0, -1])
def test_a_stop_asked_during_an_epoch_resumes_identically(batch):
    """Ctrl-C during an epoch's first batch stops after it; during its last, after the epoch is
    counted and reported. Either way the resumed run ends as the uninterrupted one."""
    cfg = load_config(ROOT / "configs" / "iris.yaml", {"training.epochs": 3})
    whole = trainer_for(cfg)
    whole.run()
    first = trainer_for(cfg)
    seen = []
    result = first.run(seen.append, should_stop=ctrl_c_during(first, 1, batch))
    assert result.interrupted
    assert (first.epoch, first.batch) == ((0, 1) if batch == 0 else (1, 0))
    assert [s.epoch for s in seen] == list(range(1, first.epoch + 1))
    assert_same_run(whole, resumed(first, cfg))

@pytest.mark.parametrize("stop_after", [3, 30])
def test_float32_sgd_resumes_bit_identically_on_either_update_and_gather_path(update_path, gather_path, stop_after):
    """Plain SGD in float32 on iris, 7 epochs: the whole run casts the inputs once; resumed
    after 3 batches it still does, after 30 (epoch 5 or later) it casts per batch instead. The
    inputs are the same float32 numbers either way, and the update path (fused or not) is the
    same in both runs, so the weights must be equal bit for bit."""
    from backprop_cli.training import CAST_ONCE_EPOCHS

    cfg = load_config(ROOT / "configs" / "iris.yaml", {
        "training.epochs": CAST_ONCE_EPOCHS + 1, "training.optimizer": "sgd", "training.dtype": "float32"})
    whole = trainer_for(cfg)
    whole.run()
    first = trainer_for(cfg)
    calls = iter(range(10**6))
    assert first.run(should_stop=lambda: next(calls) + 1 >= stop_after).interrupted
    state = {k: np.array(v, copy=True) for k, v in first.state_dict().items()}
    second = trainer_for(cfg)
    second.load_state_dict(state)
    second.run()
    assert whole.net.weights[0].dtype == np.float32
    for a, b in zip(whole.net.weights + whole.net.biases, second.net.weights + second.net.biases):
        assert np.array_equal(a, b)
    assert [s.train_cost for s in whole.history] == [s.train_cost for s in second.history]


def test_resume_through_the_cli_extends_a_finished_run(tmp_path):
    out = tmp_path / "run"
    assert invoke("train", "--epochs", "30", "--out", out, "--quiet").exit_code == 0
    r = invoke("train", "--epochs", "60", "--out", out, "--resume", "--quiet")
    assert r.exit_code == 0, r.output
    straight = tmp_path / "straight"
    assert invoke("train", "--epochs", "60", "--out", straight, "--quiet").exit_code == 0
    a, b = load_model(out / "model.npz").net, load_model(straight / "model.npz").net
    assert all(np.array_equal(x, y) for x, y in zip(a.weights, b.weights))
    assert len((out / "metrics.jsonl").read_text().splitlines()) == 60


def test_a_resume_that_trains_notes_that_plots_pictures_are_of_the_run_before_it(tmp_path):
    """`backprop plot`'s pictures stayed in the folder of a resumed run, showing fewer epochs than
    it now had, with no word of it: a note on stderr names them and the command that redraws them."""
    out = tmp_path / "run"
    assert invoke("train", "--epochs", "20", "--out", out, "--quiet").exit_code == 0
    (out / "loss.png").write_bytes(b"drawn at epoch 20")
    r = invoke("train", "--epochs", "40", "--out", out, "--resume", "--quiet", "--json")
    assert r.exit_code == 0 and json.loads(r.stdout)["epochs"] == 40, r.output
    assert f"note: loss.png in {out} shows the run as it was before this resume; redraw it with: backprop plot " \
           f"{out}" in " ".join(r.stderr.split()), r.stderr
    assert (out / "loss.png").read_bytes() == b"drawn at epoch 20"
    r = invoke("train", "--epochs", "40", "--out", out, "--resume", "--quiet")  # nothing more to train
    assert r.exit_code == 0 and "loss.png" not in r.stderr, r.output


def test_resume_keeps_the_metrics_rows_and_goes_on_from_their_seconds(tmp_path):
    """The README's metrics.csv: rows of the checkpoint's epochs kept as they were, the rest
    appended; seconds never decrease across the resume; validation cells empty without a split."""
    import csv

    out = tmp_path / "run"
    assert invoke("train", "--epochs", "30", "--out", out, "--quiet").exit_code == 0
    before = (out / "metrics.csv").read_text()
    assert invoke("train", "--epochs", "50", "--out", out, "--resume", "--quiet").exit_code == 0
    after = (out / "metrics.csv").read_text()
    assert after.startswith(before)
    rows = list(csv.DictReader(after.splitlines()))
    assert [int(r["epoch"]) for r in rows] == list(range(1, 51))
    seconds = [float(r["seconds"]) for r in rows]
    assert all(b >= a for a, b in zip(seconds, seconds[1:]))
    assert all(r["val_cost"] == r["val_accuracy"] == r["test_cost"] == "" for r in rows)  # xor: no splits
    assert all(float(r["learning_rate"]) == 2.0 for r in rows)


def test_resume_refuses_fewer_epochs_than_the_run_has_trained(tmp_path):
    out = tmp_path / "run"
    epochs = load_config(None).training.epochs + 1  # one more than the default config asks for
    assert invoke("train", "--epochs", epochs, "--out", out, "--quiet").exit_code == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    r = invoke("train", "--epochs", "10", "--out", out, "--resume", "--quiet")
    assert r.exit_code == 2, r.output
    assert "--epochs 10" in r.output and f"already trained {epochs:,} epochs" in r.output
    r = invoke("train", "--out", out, "--resume", "--quiet")  # the default config's epochs
    assert r.exit_code == 2 and f"training.epochs is {epochs - 1}" in r.output, r.output
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before  # nothing rewritten
    assert invoke("train", "--epochs", epochs, "--out", out, "--resume", "--quiet").exit_code == 0


def test_resume_refuses_a_different_config(tmp_path):
    out = tmp_path / "run"
    assert invoke("train", "--epochs", "3", "--out", out, "--quiet").exit_code == 0
    r = invoke("train", "--epochs", "6", "--lr", "0.1", "--out", out, "--resume")
    assert r.exit_code == 2 and "training.learning_rate" in r.output
    assert "only training.epochs, log_every and checkpoint_every may change" in " ".join(r.output.split())
    r = invoke("train", "--epochs", "6", "--set", "training.log_every=2", "--checkpoint-every", "2",
               "--out", out, "--resume", "--quiet")
    assert r.exit_code == 0, r.output  # the hint's claim: these may change
    r = invoke("train", "--resume")
    assert r.exit_code == 2 and "--resume: needs --out" in r.output
    r = invoke("train", "--resume", "--out", tmp_path / "nothing")
    assert r.exit_code == 2 and "no checkpoint" in r.output


def test_resume_takes_config_shows_output_of_the_runs_config(tmp_path):
    """`config show` fills in the generator's defaults (moons: n_samples 200, noise 0.1): its
    output is the same config, yet resuming with it was refused ("data.noise (checkpoint None,
    now 0.1)"), as was resuming a run started from the shown config with the original file."""
    cfg = tmp_path / "moons.yaml"
    cfg.write_text("data: {dataset: moons}\nnetwork: {layers: [2, 4, 1]}\ntraining: {epochs: 3}\n")
    shown = tmp_path / "shown.yaml"
    r = invoke("config", "show", cfg)
    assert r.exit_code == 0 and "noise: 0.1" in r.stdout and "n_samples: 200" in r.stdout, r.output
    shown.write_text(r.stdout)
    for first, then in ((cfg, shown), (shown, cfg)):
        out = tmp_path / f"run-{first.stem}"
        assert invoke("train", first, "--out", out, "--quiet").exit_code == 0
        r = invoke("train", then, "--epochs", "5", "--out", out, "--resume", "--quiet")
        assert r.exit_code == 0, r.output
        straight = tmp_path / f"straight-{first.stem}"
        assert invoke("train", first, "--epochs", "5", "--out", straight, "--quiet").exit_code == 0
        a, b = load_model(out / "model.npz").net, load_model(straight / "model.npz").net
        assert all(np.array_equal(x, y) for x, y in zip(a.weights, b.weights))
    r = invoke("train", cfg, "--epochs", "6", "--set", "data.noise=0.2", "--out", tmp_path / "run-moons", "--resume")
    assert r.exit_code == 2 and "data.noise (checkpoint 0.1, now 0.2)" in r.output, r.output


def test_resume_refuses_a_data_file_changed_since_the_run_started(tmp_path):
    """The config names the same file, but one number in it changed: resuming would go on with
    other rows (and a standardization fit on them), so it is refused and nothing is written."""
    data = tmp_path / "iris.csv"
    data.write_text((ROOT / "data" / "iris.csv").read_text())
    out = tmp_path / "run"
    args = ("train", ROOT / "configs" / "iris.yaml", "--set", f"data.path={data}", "--out", out, "--quiet")
    assert invoke(*args, "--epochs", "3").exit_code == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    data.write_text(data.read_text().replace("\n4.6,3.1,", "\n4.61,3.1,", 1))
    r = invoke(*args, "--epochs", "6", "--resume")
    assert r.exit_code == 2, r.output
    assert r.stderr.splitlines() == [
        f"error: {out / 'checkpoint.npz'}: cannot resume: the data in {data} are not the ones it was trained "
        "on (the file has changed since)",
        "hint: resume with the data the run started with, or start a new run (--overwrite)"]
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    data.write_text((ROOT / "data" / "iris.csv").read_text())  # the same numbers again: it resumes
    assert invoke(*args, "--epochs", "6", "--resume").exit_code == 0


def test_a_run_moved_with_its_data_to_another_folder_resumes_by_the_datas_content(tmp_path):
    """The checkpoint stores data.path as the absolute path where the run started: a run copied to
    another clone or machine was refused ('the config differs … in data.path'), though its data
    were the same numbers, and no --set could help. The data are compared by their fingerprint
    instead: the copy resumes, and ends as the run resumed where it started; other numbers are
    still refused."""
    here, there = tmp_path / "here", tmp_path / "there"
    for d in (here, there):
        d.mkdir()
        (d / "iris.csv").write_text((ROOT / "data" / "iris.csv").read_text())
    args = ("train", ROOT / "configs" / "iris.yaml", "--quiet", "--epochs")
    assert invoke(*args, "3", "--set", f"data.path={here / 'iris.csv'}", "--out", here / "run").exit_code == 0
    shutil.copytree(here / "run", there / "run")
    straight = invoke(*args, "6", "--set", f"data.path={here / 'iris.csv'}", "--out", here / "run", "--resume")
    moved = invoke(*args, "6", "--set", f"data.path={there / 'iris.csv'}", "--out", there / "run", "--resume")
    assert straight.exit_code == 0 and moved.exit_code == 0, moved.output
    a, b = (np.load(d / "run" / "model.npz") for d in (here, there))
    assert all(np.array_equal(a[f"w{l}"], b[f"w{l}"]) for l in (1, 2))
    (there / "iris.csv").write_text((there / "iris.csv").read_text().replace("\n4.6,3.1,", "\n4.61,3.1,", 1))
    r = invoke(*args, "9", "--set", f"data.path={there / 'iris.csv'}", "--out", there / "run", "--resume")
    assert r.exit_code == 2 and "cannot resume: the data in" in r.output and "data.path" not in r.output, r.output


def test_checkpoints_are_written_during_training(tmp_path):
    out = tmp_path / "run"
    r = invoke("train", ROOT / "configs" / "iris.yaml", "--epochs", "6", "--checkpoint-every", "2",
               "--out", out, "--quiet")
    assert r.exit_code == 0
    with np.load(out / "checkpoint.npz", allow_pickle=False) as z:
        assert int(z["state_epoch"]) == 6 and str(z["kind"]) == "checkpoint"
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]


DIGITS_60 = [sys.executable, "-m", "backprop_cli", "train", str(ROOT / "configs" / "digits.yaml"), "--epochs", "60"]
WIDE_ENV = {**os.environ, "COLUMNS": "200"}


def _signalled_at_epoch_3(out: Path, signum: int) -> tuple[int, str]:
    """(exit status, stderr) of a 60-epoch digits run into ``out`` sent ``signum`` once its
    third epoch is reported."""
    args = [*DIGITS_60, "--out", str(out), "--quiet", "--set", "training.log_every=1"]
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=WIDE_ENV)
    assert proc.stdout is not None
    for line in proc.stdout:
        if line.startswith("epoch") and "3/60" in line:
            break
    proc.send_signal(signum)
    _, err = proc.communicate(timeout=60)
    return proc.returncode, err


@pytest.mark.waits
def test_ctrl_c_saves_a_checkpoint_and_resume_finishes_identically(tmp_path):
    env, out, common = WIDE_ENV, tmp_path / "run", DIGITS_60  # common[3:]: train CONFIG --epochs 60
    returncode, err = _signalled_at_epoch_3(out, signal.SIGINT)
    assert returncode == 130, err
    assert "checkpoint saved" in err and "Traceback" not in err
    # the command it prints, as printed: it must repeat --epochs 60 and the --set
    printed = [line for line in err.splitlines() if line.startswith("resume with: ")]
    assert len(printed) == 1, err
    words = shlex.split(printed[0].removeprefix("resume with: "))
    assert words[:2] == ["backprop", "train"] and words[-1] == "--resume", words
    r = subprocess.run([sys.executable, "-m", "backprop_cli", *words[1:]], capture_output=True, text=True,
                       env=env, timeout=120)
    assert r.returncode == 0, r.stderr
    straight = tmp_path / "straight"  # the run never stopped: in-process, as the process is not what it tests
    r = invoke(*common[3:], "--out", straight, "--json")
    assert r.exit_code == 0, r.output
    a, b = load_model(out / "model.npz").net, load_model(straight / "model.npz").net
    assert all(np.array_equal(x, y) for x, y in zip(a.weights + a.biases, b.weights + b.biases))
    assert json.loads(r.stdout)["epochs"] == 60


@pytest.mark.waits
def test_sigterm_saves_a_checkpoint_like_ctrl_c_and_exits_143(tmp_path):
    """`timeout`, `kill` or a job scheduler's time limit send SIGTERM: it ended the run at once,
    with no checkpoint of the epochs since the last one and temporary files left in --out."""
    out = tmp_path / "run"
    returncode, err = _signalled_at_epoch_3(out, signal.SIGTERM)
    assert returncode == 143, err
    lines = err.splitlines()
    assert len(lines) == 2 and lines[0].startswith("interrupted (") and "): SIGTERM received; checkpoint saved in " \
        in lines[0] and lines[1].startswith("resume with: ") and lines[1].endswith("--resume"), err
    with np.load(out / "checkpoint.npz", allow_pickle=False) as z:
        assert int(z["state_epoch"]) >= 3
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]


def test_written_files_get_ordinary_permissions(tmp_path):
    """Atomic writes go through a private temporary file; the result must not stay 0600."""
    import os

    mask = os.umask(0o022)
    try:
        out = tmp_path / "run"
        assert invoke("train", "--epochs", "2", "--out", out, "--quiet").exit_code == 0
        for name in ("model.npz", "checkpoint.npz", "metrics.csv", "metrics.jsonl", "config.yaml"):
            assert (out / name).stat().st_mode & 0o777 == 0o644, name
    finally:
        os.umask(mask)


def test_a_full_disk_names_the_file_and_leaves_no_temporary(tmp_path, monkeypatch):
    """ENOSPC while a file is written (raised without a file name, as a write() raises it):
    one line naming the file meant, exit 2, and no temporary file left behind."""
    import errno

    from typer.testing import CliRunner

    from backprop_cli import model_io
    from backprop_cli.cli import app

    real = model_io.os.fsync

    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(model_io.os, "fsync", full)
    r = CliRunner().invoke(app, ["train", "--epochs", "3", "--quiet", "--out", str(tmp_path / "run")])
    monkeypatch.setattr(model_io.os, "fsync", real)
    assert r.exit_code == 2, r.output
    line, hint = r.output.strip().splitlines()[-2:]  # the error line, then (since it says more) a hint
    assert line.startswith(f"error: {tmp_path / 'run'}") and ": No space left on device; " in line, r.output
    assert "Traceback" not in r.output and not list((tmp_path / "run").glob(".*.tmp"))
    # the folder, made for it, held its config.yaml: the same command was refused ('already holds a previous
    # run's config.yaml; refusing to overwrite it'), where the hint said 'start the run again'; it goes
    assert hint == (f"hint: no checkpoint was saved; {tmp_path / 'run'}, made for this run, was removed; free some "
                    "space and run the same command again"), r.output
    assert not (tmp_path / "run").exists()


def test_a_run_that_could_not_write_its_first_checkpoint_leaves_its_folder_as_it_was(tmp_path, monkeypatch):
    """`(ulimit -f 8; backprop train --out run)`: 'File too large', 'hint: no checkpoint was saved; free some
    space and start the run again', and the same command then refused: the run's config.yaml was left. It is
    removed, a folder that was there kept with the user's own files, and the hint names the file size limit."""
    import errno

    from backprop_cli import runs

    def too_large(*args, **kwargs):
        raise OSError(errno.EFBIG, "File too large", str(tmp_path / "run" / "checkpoint.npz"))

    (tmp_path / "run").mkdir()
    (tmp_path / "run" / "notes.txt").write_text("mine\n")
    monkeypatch.setattr(runs, "save_checkpoint", too_large)
    r = invoke("train", "--epochs", "3", "--quiet", "--out", tmp_path / "run")
    monkeypatch.undo()
    assert r.exit_code == 2 and r.stderr.splitlines() == [
        f"error: {tmp_path / 'run' / 'checkpoint.npz'}: File too large; training stopped after epoch 1 of 3",
        (f"hint: no checkpoint was saved; {tmp_path / 'run'} is kept, without the config.yaml this run wrote in it; "
         "allow larger files (ulimit -f) and run the same command again")], r.output
    assert sorted(p.name for p in (tmp_path / "run").iterdir()) == ["notes.txt"]
    assert invoke("train", "--epochs", "3", "--quiet", "--out", tmp_path / "run").exit_code == 0



def test_a_run_that_could_not_write_its_first_checkpoint_names_the_top_folder_it_made_and_removed(tmp_path,
                                                                                                 monkeypatch):
    """`--out n/a/b/c`, all four folders made for the run and removed, was said as 'n/a/b/c, made for this
    run, was removed', as if n, n/a and n/a/b were still there: the top one removed is named."""
    import errno

    from backprop_cli import runs

    def too_large(*args, **kwargs):
        raise OSError(errno.EFBIG, "File too large", str(tmp_path / "n" / "a" / "b" / "c" / "checkpoint.npz"))

    monkeypatch.setattr(runs, "save_checkpoint", too_large)
    r = invoke("train", "--epochs", "3", "--quiet", "--out", tmp_path / "n" / "a" / "b" / "c")
    assert r.exit_code == 2 and r.stderr.splitlines()[-1] == (
        f"hint: no checkpoint was saved; {tmp_path / 'n'}, made for this run, was removed; allow larger files "
        "(ulimit -f) and run the same command again"), r.output
    assert list(tmp_path.iterdir()) == []

def test_a_run_whose_model_could_not_be_written_leaves_its_folder_as_it_was(tmp_path, monkeypatch):
    """`(ulimit -f 8; backprop train digits.yaml --out fin --epochs 2 --checkpoint-every 5)`: model.npz
    'File too large', no checkpoint saved, yet fin/ kept the metrics.csv and metrics.jsonl written before
    it, and the same command was refused ('already holds a previous run's metrics.csv and metrics.jsonl').
    They go, as the config.yaml of a run whose first checkpoint failed does; the user's file stays."""
    import errno

    from backprop_cli import model_io

    def too_large(out, *args, **kwargs):
        raise OSError(errno.EFBIG, "File too large", str(out / "model.npz"))

    (tmp_path / "run").mkdir()
    (tmp_path / "run" / "notes.txt").write_text("mine\n")
    monkeypatch.setattr(model_io, "save_run", too_large)
    args = ("train", "--epochs", "2", "--checkpoint-every", "5", "--quiet", "--out", tmp_path / "run")
    r = invoke(*args)
    monkeypatch.undo()
    assert r.exit_code == 2 and r.stderr.splitlines() == [
        (f"error: {tmp_path / 'run' / 'model.npz'}: File too large; training had finished (2 epochs) but its files "
         "were not all written"),
        (f"hint: no checkpoint was saved; {tmp_path / 'run'} is kept, without the metrics.jsonl and metrics.csv this "
         "run wrote in it; allow larger files (ulimit -f) and run the same command again")], r.output
    assert sorted(p.name for p in (tmp_path / "run").iterdir()) == ["notes.txt"]
    assert invoke(*args).exit_code == 0

# -- --overwrite: a run folder always holds one run ----------------------------------------------

OLD_RUN = {"model.npz", "config.yaml", "metrics.csv", "metrics.jsonl", "checkpoint.npz"}


def _old_run_with_pictures(out: Path) -> None:
    r = invoke("train", ROOT / "configs" / "circles.yaml", "--epochs", "2", "--out", out, "--quiet")
    assert r.exit_code == 0, r.output
    for name in ("loss.png", "boundary.png", "notes.txt"):  # as `backprop plot` and the user left them
        (out / name).write_text(name)
    assert OLD_RUN < {p.name for p in out.iterdir()}


def _checkpoint_dataset(out: Path) -> str:
    from backprop_cli.runs import load_checkpoint

    return load_checkpoint(out / "checkpoint.npz")[0].data.dataset


def test_overwrite_then_diverge_leaves_only_the_new_runs_files(tmp_path):
    out = tmp_path / "run"
    _old_run_with_pictures(out)
    r = invoke("train", ROOT / "configs" / "xor_relu.yaml", "--lr", "100", "--checkpoint-every", "10",
               "--out", out, "--overwrite", "--quiet")
    assert r.exit_code == 1 and "diverged" in r.stderr, r.output
    # the new run's last good checkpoint and metrics; none of the circles run's files, the user's kept
    assert {p.name for p in out.iterdir()} == {"checkpoint.npz", "metrics.csv", "metrics.jsonl", "config.yaml",
                                               "notes.txt"}
    assert _checkpoint_dataset(out) == "xor"
    assert "dataset: xor" in (out / "config.yaml").read_text()  # the new run's, written with its checkpoint


def test_overwrite_then_ctrl_c_leaves_only_the_new_runs_files(tmp_path, monkeypatch):
    from backprop_cli.commands import train

    out = tmp_path / "run"
    _old_run_with_pictures(out)
    monkeypatch.setattr(train._StopOnSignal, "requested", lambda self: True)  # Ctrl-C in the first batch
    r = invoke("train", ROOT / "configs" / "spirals.yaml", "--epochs", "1000", "--out", out, "--overwrite",
               "--quiet")
    assert r.exit_code == 130 and "checkpoint saved" in r.stderr, r.output
    assert {p.name for p in out.iterdir()} == {"checkpoint.npz", "metrics.csv", "metrics.jsonl", "config.yaml",
                                               "notes.txt"}
    assert _checkpoint_dataset(out) == "spirals"
    assert "dataset: spirals" in (out / "config.yaml").read_text()  # the new run's, written with its checkpoint


def test_overwrite_keeps_the_old_run_when_the_new_config_is_refused(tmp_path):
    out = tmp_path / "run"
    _old_run_with_pictures(out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    r = invoke("train", ROOT / "configs" / "spirals.yaml", "--set", "network.activation=relu6", "--out", out,
               "--overwrite", "--quiet")
    assert r.exit_code == 2 and "relu6" in r.stderr, r.output
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


@pytest.mark.parametrize("pictures", [("loss.png", "boundary.png"), ("boundary.png",)])
def test_pictures_left_by_plot_are_a_previous_run(tmp_path, pictures):
    """A folder holding only `backprop plot`'s pictures (the model deleted, or copied in) was
    accepted, and the old pictures stayed beside the new run's files as if they were its own."""
    out = tmp_path / "run"
    out.mkdir()
    for name in (*pictures, "notes.txt"):
        (out / name).write_text(name)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    r = invoke("train", "--epochs", "2", "--out", out, "--quiet")
    them = "them" if len(pictures) == 2 else "it"
    assert r.exit_code == 2 and r.stderr.splitlines() == [
        f"error: --out {out}: already holds a previous run's {' and '.join(pictures)}; "
        f"refusing to leave {them} beside a new run",
        f"hint: pass --overwrite to remove {them}, or choose another folder"], r.output
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before  # nothing written, nothing removed
    r = invoke("train", "--epochs", "2", "--out", out, "--quiet", "--overwrite")
    assert r.exit_code == 0, r.output
    assert {p.name for p in out.iterdir()} == OLD_RUN | {"notes.txt"}


def test_a_folder_named_like_a_picture_is_not_a_previous_run(tmp_path):
    """A folder called loss.png is no picture of a run: it is not named as one (it was, and the
    hint to pass --overwrite led to 'loss.png: Is a directory')."""
    out = tmp_path / "run"
    (out / "loss.png").mkdir(parents=True)
    r = invoke("train", "--epochs", "2", "--out", out, "--quiet")
    assert r.exit_code == 0, r.output
    assert (out / "loss.png").is_dir() and OLD_RUN < {p.name for p in out.iterdir()}


def test_overwrite_leaves_a_folder_named_like_a_picture_and_replaces_the_run(tmp_path):
    """--overwrite on a run beside a folder called loss.png removed the old checkpoint, then
    stopped on 'loss.png: Is a directory', the run half cleared; the folder is no picture of it."""
    out = tmp_path / "run"
    assert invoke("train", "--epochs", "2", "--out", out, "--quiet").exit_code == 0
    (out / "loss.png").mkdir()
    (out / "loss.png" / "mine.txt").write_text("kept")
    r = invoke("train", "--epochs", "3", "--out", out, "--overwrite", "--quiet")
    assert r.exit_code == 0, r.output
    assert (out / "loss.png" / "mine.txt").read_text() == "kept" and OLD_RUN < {p.name for p in out.iterdir()}
    assert load_model(out / "model.npz").config.training.epochs == 3


IRIS_ADAM = ["--epochs", "20", "--set", "training.optimizer=adam", "--set", "training.early_stopping=true",
             "--set", "training.patience=50"]


@pytest.fixture(scope="module")
def iris_run(tmp_path_factory):
    """A finished iris run with adam and early stopping (so the checkpoint holds optimizer
    moments and best weights)."""
    out = tmp_path_factory.mktemp("iris") / "run"
    r = invoke("train", ROOT / "configs" / "iris.yaml", *IRIS_ADAM, "--out", out, "--quiet")
    assert r.exit_code == 0, r.output
    return out


def _edited(a, **changes):
    for k, v in changes.items():
        if v is None:
            del a[k]
        else:
            a[k] = v
    return a


BAD_CHECKPOINTS = {
    # id: (edit of the arrays, the parts of the error line after the file name)
    "param-shape": (lambda a: _edited(a, state_param0=np.zeros((8, 5))),
                    ["array 'state_param0' has shape (8, 5), expected (8, 4)", "network.layers [4, 8, 3]"]),
    "param-missing": (lambda a: _edited(a, state_param1=None), ["array 'state_param1' is missing"]),
    "param-extra": (lambda a: _edited(a, state_param4=np.zeros(3)), ["array 'state_param4' is one array too many"]),
    "param-complex": (lambda a: _edited(a, state_param0=np.zeros((8, 4), dtype=complex)),  # not 'numbers are required'
                      ["array 'state_param0' has dtype complex128; real numbers are required"]),
    "param-nan": (lambda a: _edited(a, state_param0=np.full((8, 4), np.nan)),
                  ["array 'state_param0' at [0, 0] is nan", "must be finite"]),
    "rng-no-state": (lambda a: _edited(a, state_rng_state=np.array('{"bit_generator": "PCG64"}')),
                     ["array 'state_rng_state' is not the JSON state of a PCG64 generator"]),
    "rng-not-json": (lambda a: _edited(a, state_rng_state=np.array("PCG64")),
                     ["array 'state_rng_state' is not the JSON state"]),
    "order-short": (lambda a: _edited(a, state_order=np.arange(5), state_batch=np.array(3)),
                    ["array 'state_order' is not an order of the 120 training rows", "5 entries"]),
    "order-repeats": (lambda a: _edited(a, state_order=np.zeros(120, dtype=np.int64), state_batch=np.array(3)),
                      ["array 'state_order' is not an order of the 120 training rows"]),
    "batch-too-big": (lambda a: _edited(a, state_batch=np.array(9)),
                      ["array 'state_batch' is 9; expected 0 to 8 (an epoch has 8 batches"]),
    "epoch-negative": (lambda a: _edited(a, state_epoch=np.array(-1)),
                       ["array 'state_epoch' is -1; expected a whole number >= 0"]),
    "epoch-text": (lambda a: _edited(a, state_epoch=np.array("ten")), ["array 'state_epoch' is ten;"]),
    # beyond the run's own epochs (1e9 was told 'pass --epochs 1000000000 or more', which training.epochs refuses)
    "epoch-beyond-config": (lambda a: _edited(a, state_epoch=np.array(10**9)),
                            [("array 'state_epoch' is 1000000000; expected at most 20, the epochs of the checkpoint's "
                              "own config (training.epochs): the file is damaged")]),
    "adam-moment-shape": (lambda a: _edited(a, state_opt_m0=np.zeros((4, 8))),
                          ["array 'state_opt_m0' has shape (4, 8), expected (8, 4)"]),
    "adam-negative-v": (lambda a: _edited(a, state_opt_v2=-np.ones(8)), ["array 'state_opt_v2' has a negative entry"]),
    "adam-step-missing": (lambda a: _edited(a, state_opt_t=None), ["array 'state_opt_t' is missing"]),
    "best-shape": (lambda a: _edited(a, state_best3=np.zeros(4)), ["array 'state_best3' has shape (4,), expected (3,)"]),
    "best-epoch-later": (lambda a: _edited(a, state_best_epoch=np.array(99)),
                         ["array 'state_best_epoch' is 99; expected -1 (none yet) or an epoch from 1 to 20"]),
    "history-short": (lambda a: _edited(a, state_hist_train_cost=np.zeros(3)),
                      ["array 'state_hist_train_cost' is ", "expected 20 numbers (one per finished epoch)"]),
    # a digest not as train writes it was said to be the data changed since the run started
    "digest-empty": (lambda a: _edited(a, data_digest=np.array("")),
                     ["array 'data_digest' is '', not a data file's fingerprint (32 hex digits); the file is damaged"]),
    "digest-not-hex": (lambda a: _edited(a, data_digest=np.array("g" * 32)),
                       [f"array 'data_digest' is {'g' * 32}, not a data file's fingerprint"]),
    "digest-long": (lambda a: _edited(a, data_digest=np.array(str(a["data_digest"]) + "0")),
                    ["array 'data_digest' is ", "0, not a data file's fingerprint (32 hex digits)"]),
}


@pytest.mark.parametrize("edit, needles", BAD_CHECKPOINTS.values(), ids=BAD_CHECKPOINTS.keys())
def test_resume_refuses_a_damaged_checkpoint_naming_the_array(iris_run, tmp_path, edit, needles):
    out = tmp_path / "run"
    shutil.copytree(iris_run, out)
    path = out / "checkpoint.npz"
    with np.load(path, allow_pickle=False) as z:
        np.savez(path, **edit(dict(z)))
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    r = invoke("train", ROOT / "configs" / "iris.yaml", *IRIS_ADAM[2:], "--epochs", "25", "--out", out,
               "--resume", "--quiet")
    assert r.exit_code == 2, r.output
    assert "Traceback" not in r.output and r.stdout == ""
    lines = r.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {path}: "), r.stderr
    for needle in needles:
        assert needle in lines[0], lines[0]
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before  # nothing rewritten


def test_an_untouched_checkpoint_of_that_run_resumes(iris_run, tmp_path):
    out = tmp_path / "run"
    shutil.copytree(iris_run, out)
    r = invoke("train", ROOT / "configs" / "iris.yaml", *IRIS_ADAM[2:], "--epochs", "25", "--out", out,
               "--resume", "--quiet")
    assert r.exit_code == 0, r.output


def test_a_checkpoint_whose_data_digest_is_in_capitals_resumes(iris_run, tmp_path):
    """The same 32 hex digits in capitals are the same fingerprint: not refused as damaged, nor as other data."""
    out = tmp_path / "run"
    shutil.copytree(iris_run, out)
    path = out / "checkpoint.npz"
    with np.load(path, allow_pickle=False) as z:
        np.savez(path, **_edited(dict(z), data_digest=np.array(str(z["data_digest"]).upper())))
    r = invoke("train", ROOT / "configs" / "iris.yaml", *IRIS_ADAM[2:], "--epochs", "25", "--out", out,
               "--resume", "--quiet")
    assert r.exit_code == 0, r.output


def test_a_refused_state_leaves_the_trainer_unchanged():
    cfg = load_config(ROOT / "configs" / "iris.yaml", {"training.epochs": 2})
    first = trainer_for(cfg)
    first.run()
    state = first.state_dict()
    state["param3"] = np.full(3, np.inf)
    second = trainer_for(cfg)
    weights = [w.copy() for w in second.net.weights]
    with pytest.raises(StateError) as info:
        second.load_state_dict(state)
    assert info.value.key == "param3"
    assert second.epoch == 0 and all(np.array_equal(a, b) for a, b in zip(weights, second.net.weights))


def test_a_checkpoint_of_an_epoch_whose_batches_are_all_done_resumes():
    """Before Dec 2026 a Ctrl-C during an epoch's last batch saved batch = the epoch's number of
    batches, the epoch not yet counted. Such a checkpoint still resumes, to the same run."""
    cfg = load_config(ROOT / "configs" / "iris.yaml", {"training.epochs": 3})
    whole = trainer_for(cfg)
    n_batches = -(-whole.train_set.n_samples // whole.batch_size)
    saved = []
    step = whole._step

    def stepping(*args):
        step(*args)
        if whole.epoch == 1 and whole.batch == n_batches - 1:  # epoch 2's last batch, just done
            whole.batch += 1  # as the old loop had counted it when it saved
            saved.append({k: np.array(v, copy=True) for k, v in whole.state_dict().items()})
            whole.batch -= 1  # (the loop counts it itself)

    whole._step = stepping
    whole.run()
    (state,) = saved
    second = trainer_for(cfg)
    second.load_state_dict(state)
    second.run()
    assert_same_run(whole, second)


def test_overwrite_removes_a_symlinked_run_file_through_its_link(tmp_path):
    """A run file that is a symlink: --overwrite removes the file it points to and keeps the
    link, so the new run writes through it and nothing of the old run is left there."""
    out, shared = tmp_path / "run", tmp_path / "shared"
    assert invoke("train", "--epochs", "6", "--out", out, "--quiet").exit_code == 0
    shared.mkdir()
    (out / "metrics.csv").rename(shared / "m.csv")
    (out / "metrics.csv").symlink_to(shared / "m.csv")
    assert invoke("train", "--epochs", "4", "--out", out, "--quiet", "--overwrite").exit_code == 0
    assert (out / "metrics.csv").is_symlink()
    assert len((shared / "m.csv").read_text().splitlines()) == 1 + 4  # the header and the new run's 4 epochs


def test_checkpointing_every_epoch_renders_each_epochs_metrics_once(tmp_path, monkeypatch):
    """Each checkpoint rewrote metrics.csv/.jsonl from the whole history, rendering every epoch
    again: with --checkpoint-every 1, 1,000 iris epochs took ~17 s against ~1 s."""
    import backprop_cli.model_io as model_io
    import backprop_cli.runs as runs

    calls = {"csv": 0, "jsonl": 0}
    csv_row, jsonl_row = model_io.metrics_csv_row, runs.metrics_jsonl_row

    def counted(kind, row):
        def f(s):
            calls[kind] += 1
            return row(s)
        return f

    monkeypatch.setattr(model_io, "metrics_csv_row", counted("csv", csv_row))
    monkeypatch.setattr(runs, "metrics_jsonl_row", counted("jsonl", jsonl_row))
    epochs = 10  # the old way's 1 + 2 + … + 10 renders would be 55, not 10
    r = runner.invoke(app, ["train", "--epochs", str(epochs), "--checkpoint-every", "1", "--out", str(tmp_path),
                            "--quiet"])
    assert r.exit_code == 0, r.output
    # once for the checkpoints, once more for model.npz's folder (save_run); not once per checkpoint
    assert calls == {"csv": 2 * epochs, "jsonl": epochs}
    history = load_checkpoint_history(tmp_path)
    assert (tmp_path / "metrics.csv").read_text() == model_io.metrics_csv(history)
    assert (tmp_path / "metrics.jsonl").read_text() == runs.metrics_jsonl(history)
    assert len(history) == epochs


def load_checkpoint_history(folder):
    from backprop_cli.runs import load_checkpoint
    from backprop_cli.training import STAT_FIELDS, EpochStats

    state = load_checkpoint(folder / "checkpoint.npz")[1]
    columns = [state[f"hist_{name}"] for name in STAT_FIELDS]
    return [EpochStats(*(None if np.isnan(v) else (int(v) if name == "epoch" else float(v))
                         for name, v in zip(STAT_FIELDS, row))) for row in zip(*columns)]


def test_the_metrics_writer_equals_the_whole_history_rendered_at_once(tmp_path):
    from backprop_cli.model_io import metrics_csv
    from backprop_cli.runs import MetricsWriter, metrics_jsonl
    from backprop_cli.training import EpochStats

    stats = [EpochStats(e, 1.0 / e, None if e % 2 else 0.5, 0.25, None, 0.1 * e, 0.5) for e in range(1, 8)]
    writer = MetricsWriter()
    for upto in (0, 1, 3, 7):
        writer.write(tmp_path, stats[:upto])
        assert (tmp_path / "metrics.csv").read_text() == metrics_csv(stats[:upto])
        assert (tmp_path / "metrics.jsonl").read_text() == metrics_jsonl(stats[:upto])
    other = [s._replace(train_cost=9.0) for s in stats[:5]]  # another history (shorter): rendered anew
    writer.write(tmp_path, other)
    assert (tmp_path / "metrics.csv").read_text() == metrics_csv(other)
    writer.write(tmp_path, stats[:6])  # the first history again, then one more epoch
    grown = stats[:6] + [other[0]._replace(epoch=7)]
    writer.write(tmp_path, grown)
    assert (tmp_path / "metrics.jsonl").read_text() == metrics_jsonl(grown)
    assert (tmp_path / "metrics.csv").read_text() == metrics_csv(grown)


def test_stop_signals_restore_a_handler_python_cannot_see_to_the_default(monkeypatch):
    """signal.signal returns None for a handler installed from C (a host embedding the tool);
    putting None back was a TypeError as training ended."""
    from backprop_cli.commands import train

    calls = []

    def fake_signal(signum, handler):
        calls.append((signum, handler))
        return None  # what signal.signal returns when the previous handler was not set from Python

    monkeypatch.setattr(train, "_ignored_hangup", lambda signum: False)  # as under nohup too: every signal
    monkeypatch.setattr(train.signal, "signal", fake_signal)
    with train._StopOnSignal():
        pass
    restored = calls[len(train.STOP_SIGNALS):]
    assert restored == [(s, signal.SIG_DFL) for s in train.STOP_SIGNALS]


# Each script first puts SIGHUP at its default, as a terminal's shell starts a command: a suite run
# under nohup (or anything else that ignores SIGHUP) passes that on to every child, and train rightly
# keeps an ignored SIGHUP ignored, so the SIGHUP tests ran another case.
_SIGNAL_WHILE_SAVING = """
import os, signal, sys
signal.signal(signal.SIGHUP, signal.SIG_DFL)
from backprop_cli import model_io, cli
real, signum = model_io.save_run, getattr(signal, sys.argv[1])
def save_run(*args, **kwargs):  # the stop signal arrives once the last epoch has ended
    os.kill(os.getpid(), signum)
    return real(*args, **kwargs)
model_io.save_run = save_run
sys.argv = ["backprop", *sys.argv[2:]]
cli.main()
"""


# the stop signal arrives once every file is written, as the summary is drawn
_SIGNAL_WHILE_SUMMING_UP = _SIGNAL_WHILE_SAVING.replace("model_io.save_run", "train.print_summary").replace(
    "from backprop_cli import model_io, cli", "from backprop_cli import cli\nfrom backprop_cli.render import train")


_HANG_UP_WHILE_SUMMING_UP = """
import os, signal, sys
signal.signal(signal.SIGHUP, signal.SIG_DFL)
from backprop_cli import cli
from backprop_cli.render import train
real = train.print_summary
def print_summary(*args, **kwargs):  # the terminal closes: SIGHUP, and stdout cannot be written any more
    os.kill(os.getpid(), signal.SIGHUP)
    os.close(1)
    return real(*args, **kwargs)
train.print_summary = print_summary
sys.argv = ["backprop", *sys.argv[1:]]
cli.main()
"""


@pytest.mark.waits
@pytest.mark.parametrize("with_out", [True, False])
def test_a_terminal_closed_while_the_summary_is_drawn_ends_as_the_run_stands(tmp_path, with_out):
    """A closed ssh session during the summary: SIGHUP, then stdout fails (EIO). It ended as a failed
    output, exit 2, though every file was written; with --out it ends 0 (the run is whole), without it 129."""
    out = tmp_path / "run"
    r = subprocess.run([sys.executable, "-c", _HANG_UP_WHILE_SUMMING_UP, "train", "--epochs", "5", "--quiet",
                        *(["--out", str(out)] if with_out else [])], capture_output=True, text=True, timeout=120)
    assert r.returncode == (0 if with_out else 129), (r.returncode, r.stderr)
    assert "cannot write" not in r.stderr and "Traceback" not in r.stderr, r.stderr
    if with_out:
        assert f"note: SIGHUP came as the run was finishing, so it finished; its files are in {out}" in r.stderr
        assert (out / "model.npz").is_file()


@pytest.mark.waits
@pytest.mark.parametrize("signame", ["SIGTERM", "SIGINT", "SIGHUP"])
def test_a_stop_signal_while_the_summary_is_drawn_is_told_and_the_run_ends_well(tmp_path, signame):
    """A signal in the ~20 ms the finished run's summary takes, its files all written: the run ended
    'terminated' (143), 'interrupted' (130) or silently (129), a scheduler marking a whole run failed.
    It is told in a note, the summary is drawn, and the exit is 0."""
    out = tmp_path / "run"
    r = subprocess.run([sys.executable, "-c", _SIGNAL_WHILE_SUMMING_UP, signame, "train", "--out", str(out),
                        "--epochs", "5", "--quiet"], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, (r.returncode, r.stderr)
    name = "Ctrl-C" if signame == "SIGINT" else signame
    assert f"note: {name} came as the run was finishing, so it finished; its files are in {out}" in r.stderr
    assert "training summary" in r.stdout and "interrupted" not in r.stderr + r.stdout, r.stdout
    assert (out / "model.npz").is_file()


@pytest.mark.waits
@pytest.mark.parametrize("signame", ["SIGTERM", "SIGINT"])
def test_a_stop_signal_while_the_finished_run_is_saved_lets_its_files_be_written(tmp_path, signame, straight_iris):
    """Ctrl-C or SIGTERM after the last epoch, while model.npz, metrics, checkpoint and
    config.yaml are written: SIGTERM killed the process at once (temporary files left, model.npz
    without config.yaml, the checkpoint and metrics of an earlier epoch), Ctrl-C said only
    `interrupted`. Like a stop in the last batch, it now lets the run finish: every file is
    written, all of the final epoch, and a note on stderr says the signal came."""
    out = tmp_path / "run"
    cfg = ROOT / "configs" / "iris.yaml"
    r = subprocess.run([sys.executable, "-c", _SIGNAL_WHILE_SAVING, signame, "train", str(cfg), "--out", str(out),
                        "--epochs", "5", "--checkpoint-every", "2", "--quiet"],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, (r.returncode, r.stderr)
    name = "Ctrl-C" if signame == "SIGINT" else signame  # said, so a scheduler's log shows it came
    assert f"note: {name} came as the run was finishing, so it finished; its files are in {out}" in r.stderr
    assert sorted(p.name for p in out.iterdir()) == [
        "checkpoint.npz", "config.yaml", "metrics.csv", "metrics.jsonl", "model.npz"]
    with np.load(out / "checkpoint.npz", allow_pickle=False) as z:
        assert int(z["state_epoch"]) == 5
    assert len((out / "metrics.jsonl").read_text().splitlines()) == 5
    straight = straight_iris(5)  # as `train CONFIG --out DIR --epochs 5 --quiet` trained it
    a, b = load_model(out / "model.npz").net, load_model(straight / "model.npz").net
    assert all(np.array_equal(x, y) for x, y in zip(a.weights + a.biases, b.weights + b.biases))


def test_resume_names_the_differing_fields_as_the_readme_says(tmp_path):
    """The README said the error 'names each differing field with both values'; it names the
    first three and counts the rest (a config of another data set differs in a dozen)."""
    import re

    readme = " ".join((ROOT / "README.md").read_text(encoding="utf-8").split())
    claim = re.search(r"an error names the differing fields with both values, the first (\w+) and how many more",
                      readme)
    assert claim, "README.md no longer says how a resume error names the differing fields"
    shown = {"two": 2, "three": 3, "four": 4, "five": 5}[claim[1]]
    out = tmp_path / "run"
    assert invoke("train", "--epochs", "3", "--out", out, "--quiet").exit_code == 0
    sets = ["training.learning_rate=0.7", "training.batch_size=2", "seed=4", "training.shuffle=true",
            "training.l2=0.01"]
    r = invoke("train", "--epochs", "6", "--out", out, "--resume", *[a for s in sets for a in ("--set", s)])
    assert r.exit_code == 2, r.output
    line = " ".join(r.stderr.split())
    named = re.findall(r"(\S+) \(checkpoint \S+, now \S+\)", line)
    assert len(named) == shown and f"and {len(sets) - shown} more" in line, line


# -- an interrupted run's folder is enough to resume it ------------------------------------------

def _interrupted(monkeypatch, *args, after=1):
    """``train *args`` stopped as by Ctrl-C once ``after`` stop checks have passed (one per batch)."""
    from backprop_cli.commands import train

    calls = iter(range(10**6))
    monkeypatch.setattr(train._StopOnSignal, "requested", lambda self: next(calls) + 1 >= after)
    r = runner.invoke(app, ["train", *[str(a) for a in args]])
    monkeypatch.undo()
    assert r.exit_code == 130 and "checkpoint saved" in r.stderr, r.output
    return r


def test_an_interrupted_run_from_stdin_keeps_its_config_and_resumes_with_it(tmp_path, monkeypatch, straight_iris):
    """The folder held only checkpoint.npz and the metrics: with the command that started it lost
    (a config piped in, `-`), nothing said how to resume it, and the hint for the folder as CONFIG
    named a config.yaml that was not there. The config is written with the first checkpoint, and
    the printed command names it."""
    out = tmp_path / "run"
    from backprop_cli.commands import common

    piped = tmp_path / "piped.yaml"  # what /dev/stdin would read: CliRunner's input has no file descriptor
    piped.write_text((ROOT / "configs" / "iris.yaml").read_text().replace("../data/iris.csv",
                                                                           str(ROOT / "data" / "iris.csv")))
    monkeypatch.setattr(common, "_stdin_config", lambda: piped)
    r = _interrupted(monkeypatch, "-", "--epochs", "5", "--out", out, "--quiet", after=20)
    assert (out / "config.yaml").is_file() and not (out / "model.npz").exists()
    printed = [line for line in r.stderr.splitlines() if line.startswith("resume with: ")]
    words = shlex.split(printed[0].removeprefix("resume with: "))
    assert words[2] == str(out / "config.yaml") and "-" not in words, words
    hint = " ".join(invoke("explain", out, "--layer", "L").stderr.split())
    assert f"give its config, {out / 'config.yaml'} (train {out / 'config.yaml'} --out {out} --resume" in hint, hint
    assert "--model" not in hint  # no model.npz yet
    r = invoke(*words[1:], "--quiet")
    assert r.exit_code == 0, r.output
    straight = straight_iris(5)
    a, b = load_model(out / "model.npz").net, load_model(straight / "model.npz").net
    assert all(np.array_equal(x, y) for x, y in zip(a.weights + a.biases, b.weights + b.biases))


def test_resume_without_config_points_at_the_runs_config_yaml(tmp_path, monkeypatch):
    """`train --out DIR --resume` with no CONFIG compared the run with the built-in default and
    listed a dozen differing fields: it says that no CONFIG was given and the command to use."""
    out = tmp_path / "run"
    _interrupted(monkeypatch, ROOT / "configs" / "iris.yaml", "--epochs", "5", "--out", out, "-q")
    r = invoke("train", "--out", out, "--resume", "-q")
    assert r.exit_code == 2 and "Traceback" not in r.output, r.output
    line = " ".join(r.stderr.split())
    assert f"--resume: no CONFIG given, and the run in {out} was not started from the built-in default" in line
    assert f"hint: resume with: backprop train {out / 'config.yaml'} --out {out} --resume" in line, line
    assert invoke("train", out / "config.yaml", "--out", out, "--resume", "-q").exit_code == 0


def test_a_full_disk_during_training_says_where_it_stopped_and_how_to_resume(tmp_path, monkeypatch, straight_iris):
    """ENOSPC while metrics.jsonl was written said only 'DIR/metrics.jsonl: No space left on
    device': it says where training stopped, that the last checkpoint is intact and the command
    that resumes it once space is freed, which ends as a straight run does."""
    import errno

    from backprop_cli import model_io, runs

    real, writes = runs.atomic_write_text, []

    def full(f):
        raise OSError(errno.ENOSPC, "No space left on device")  # as write() raises it: no file name

    def filling(path, text):
        writes.append(path.name)
        if writes.count("metrics.jsonl") == 2:  # the checkpoint of epoch 4 is written, its metrics are not
            return model_io.atomic_write(path, full)
        return real(path, text)

    monkeypatch.setattr(runs, "atomic_write_text", filling)
    out = tmp_path / "run"
    r = invoke("train", ROOT / "configs" / "iris.yaml", "--epochs", "10", "--checkpoint-every", "2", "--out", out, "-q")
    monkeypatch.undo()
    assert r.exit_code == 2 and "Traceback" not in r.output, r.output
    error, hint = " ".join(r.stderr.split()).split(" hint: ")
    assert error == f"error: {out / 'metrics.jsonl'}: No space left on device; training stopped after epoch 4 of 10"
    command = f"backprop train {ROOT / 'configs' / 'iris.yaml'} --epochs 10 --checkpoint-every 2 --out {out} --resume"
    assert hint == (f"the checkpoint of epoch 4 in {out / 'checkpoint.npz'} is intact; free some space, then resume "
                    f"with: {command}"), hint
    assert not list(out.glob(".*.tmp"))
    assert invoke(*shlex.split(command)[1:], "-q").exit_code == 0
    straight = straight_iris(10)
    a, b = load_model(out / "model.npz").net, load_model(straight / "model.npz").net
    assert all(np.array_equal(x, y) for x, y in zip(a.weights + a.biases, b.weights + b.biases))


@pytest.mark.parametrize("earlier", [True, False])
def test_a_second_ctrl_c_while_the_checkpoint_is_saved_tells_what_is_left(tmp_path, monkeypatch, earlier):
    """A second Ctrl-C while the interrupted run's checkpoint was written printed only
    'interrupted': it says whether an earlier checkpoint is intact, with the command that resumes
    it, or that none was saved (exit 130 either way)."""
    from backprop_cli import runs
    from backprop_cli.commands import train

    out, iris = tmp_path / "run", ROOT / "configs" / "iris.yaml"
    if earlier:
        assert invoke("train", iris, "--epochs", "3", "--out", out, "-q").exit_code == 0
    monkeypatch.setattr(train._StopOnSignal, "requested", lambda self: True)

    def ctrl_c_again(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(runs, "save_checkpoint", ctrl_c_again)
    r = invoke("train", iris, "--epochs", "10", "--out", out, "-q", *(["--resume"] if earlier else []))
    monkeypatch.undo()
    assert r.exit_code == 130 and "Traceback" not in r.output, r.output
    lines = [" ".join(line.split()) for line in r.stderr.strip().splitlines() if not line.startswith("resumed ")]
    batch = "epoch 4, after batch 1 of 8" if earlier else "epoch 1, after batch 1 of 8"  # iris: 120 rows, 16 a batch
    if earlier:
        assert lines == [f"interrupted again ({batch}) while its checkpoint was being saved; the checkpoint of "
                         f"epoch 3 in {out / 'checkpoint.npz'} is intact",
                         f"resume with: backprop train {iris} --epochs 10 --out {out} --resume"], lines
    else:
        assert lines == [f"interrupted again ({batch}) while its checkpoint was being saved; no checkpoint was "
                         "saved"], lines
        assert not (out / "checkpoint.npz").exists()


def _ctrl_c_in_steps(monkeypatch, *steps, signum=signal.SIGINT):
    """Ctrl-C as the stop handler of ``train`` receives it, during each 1-based batch step of ``steps``
    (iris: 8 a epoch), with the batch under way; a step listed twice has two Ctrl-Cs in it. The
    handler is driven directly: no signal, no sleep."""
    from backprop_cli.commands import train
    from backprop_cli.training import Trainer

    stops, real_init, real_step, calls = [], train._StopOnSignal.__init__, Trainer._step, iter(range(1, 10**6))

    def init(self):
        real_init(self)
        stops.append(self)

    def step(self, *args, **kwargs):
        k = next(calls)
        for _ in range(steps.count(k)):
            stops[0]._handler(signum, None)
        return real_step(self, *args, **kwargs)

    monkeypatch.setattr(train._StopOnSignal, "__init__", init)
    monkeypatch.setattr(Trainer, "_step", step)
    return stops


def test_a_first_ctrl_c_says_at_once_which_batch_it_waits_for(tmp_path, monkeypatch):
    """A first Ctrl-C printed nothing until its batch ended (seconds on a big net), and users pressed
    it again: it says at once the batch it waits for, counted as the line that follows counts it."""
    out, iris = tmp_path / "run", ROOT / "configs" / "iris.yaml"
    _ctrl_c_in_steps(monkeypatch, 11)  # batch 3 of epoch 2
    r = invoke("train", iris, "--epochs", "10", "--out", out, "-q")
    monkeypatch.undo()
    assert r.exit_code == 130, r.output
    assert r.stderr.splitlines() == [
        "Ctrl-C: stopping after this batch (batch 3 of 8 of epoch 2), then saving a checkpoint… press Ctrl-C "
        "again to stop at once",
        f"interrupted (epoch 2, after batch 3 of 8); checkpoint saved in {out / 'checkpoint.npz'}",
        f"resume with: backprop train {iris} --epochs 10 --out {out} --resume"], r.stderr


def test_a_first_ctrl_c_as_an_epoch_ends_or_in_the_last_batch_says_so(tmp_path, monkeypatch):
    """Between an epoch's last batch and the next one's first (its cost measured, its line printed, a
    checkpoint written) it waits for the end of the epoch; in the run's last batch the run finishes (and
    the note that the Ctrl-C came follows); once that last epoch has ended, nothing is waited for."""
    from backprop_cli.render import train as render

    out, iris, real, at = tmp_path / "run", ROOT / "configs" / "iris.yaml", render.TrainProgress.__call__, [2]
    stops = _ctrl_c_in_steps(monkeypatch)

    def progress(self, stats):  # the epoch's line: the Ctrl-C comes as it is printed
        if stats.epoch == at[0]:
            stops[-1]._handler(signal.SIGINT, None)
        return real(self, stats)

    monkeypatch.setattr(render.TrainProgress, "__call__", progress)
    r = invoke("train", iris, "--epochs", "3", "--out", out, "-q")
    assert r.exit_code == 130, r.output
    assert r.stderr.splitlines()[:2] == [
        "Ctrl-C: stopping at the end of epoch 2, then saving a checkpoint… press Ctrl-C again to stop at once",
        f"interrupted (after epoch 2); checkpoint saved in {out / 'checkpoint.npz'}"], r.stderr
    at[0] = 3  # the run's last epoch: no line, the note says it came
    r = invoke("train", iris, "--epochs", "3", "--out", out, "-q", "--overwrite")
    assert r.exit_code == 0, r.output
    assert r.stderr.splitlines() == [f"note: Ctrl-C came as the run was finishing, so it finished; its files are in "
                                     f"{out}"], r.stderr
    monkeypatch.undo()
    _ctrl_c_in_steps(monkeypatch, 24)  # the run's last batch
    r = invoke("train", iris, "--epochs", "3", "--out", out, "-q", "--overwrite")
    monkeypatch.undo()
    assert r.exit_code == 0 and (out / "model.npz").is_file(), r.output
    assert r.stderr.splitlines() == [
        "Ctrl-C: this is the run's last batch (batch 8 of 8 of epoch 3): it finishes and writes its files… press "
        "Ctrl-C again to stop at once",
        f"note: Ctrl-C came as the run was finishing, so it finished; its files are in {out}"], r.stderr


def test_a_first_ctrl_c_between_an_epochs_last_step_and_the_next_ones_first_is_announced_as_it_stops(
        tmp_path, monkeypatch):
    """Two moments the first Ctrl-C's line got wrong: during the next epoch's shuffle it said 'stopping at
    the end of epoch 2' and stopped after batch 1 of epoch 3; between epoch 2's last step and its count it
    said 'stopping after this batch (batch 9 of 8 of epoch 2)'. The handler is driven from inside them."""
    from backprop_cli import training

    out, iris, again = tmp_path / "run", ROOT / "configs" / "iris.yaml", "press Ctrl-C again to stop at once"
    stops, real_order, orders = _ctrl_c_in_steps(monkeypatch), training.epoch_order, []

    def order(*args):  # the shuffle at the top of each epoch (iris: 8 batches, shuffled)
        orders.append(1)
        if len(orders) == 3:
            stops[-1]._handler(signal.SIGINT, None)
        return real_order(*args)

    monkeypatch.setattr(training, "epoch_order", order)
    r = invoke("train", iris, "--epochs", "10", "--out", out, "-q")
    assert r.exit_code == 130, r.output
    assert r.stderr.splitlines()[:2] == [
        f"Ctrl-C: stopping after this batch (batch 1 of 8 of epoch 3), then saving a checkpoint… {again}",
        f"interrupted (epoch 3, after batch 1 of 8); checkpoint saved in {out / 'checkpoint.npz'}"], r.stderr
    monkeypatch.setattr(training, "epoch_order", real_order)
    real_count, at = Trainer._count_correct, [2]

    def count(self, done):  # epoch `at`'s steps done, it is counted: epoch and batch not yet moved on
        if done == self.train_set.n_samples and self.epoch == at[0] - 1:
            stops[-1]._handler(signal.SIGINT, None)
        return real_count(self, done)

    monkeypatch.setattr(Trainer, "_count_correct", count)
    r = invoke("train", iris, "--epochs", "10", "--out", out, "-q", "--overwrite")
    assert r.exit_code == 130, r.output
    assert r.stderr.splitlines()[:2] == [
        f"Ctrl-C: stopping at the end of epoch 2, then saving a checkpoint… {again}",
        f"interrupted (after epoch 2); checkpoint saved in {out / 'checkpoint.npz'}"], r.stderr
    at[0] = 3  # the run's last epoch: nothing is waited for, it finishes
    r = invoke("train", iris, "--epochs", "3", "--out", out, "-q", "--overwrite")
    monkeypatch.undo()
    assert r.exit_code == 0, r.output
    assert r.stderr.splitlines() == [f"note: Ctrl-C came as the run was finishing, so it finished; its files are in "
                                     f"{out}"], r.stderr


def test_a_second_ctrl_c_in_a_batch_names_the_intact_checkpoint_and_how_to_resume(tmp_path, monkeypatch,
                                                                                     straight_iris):
    """A second Ctrl-C in a batch (a slow one, while the first waited for it) said only 'interrupted':
    it names the checkpoint left intact, what was trained since, and the command that resumes it,
    which ends as a straight run does."""
    out, iris = tmp_path / "run", ROOT / "configs" / "iris.yaml"
    _ctrl_c_in_steps(monkeypatch, 19, 19)  # in batch 3 of epoch 3; checkpoints every 2 epochs
    r = invoke("train", iris, "--epochs", "5", "--checkpoint-every", "2", "--out", out, "-q")
    monkeypatch.undo()
    assert r.exit_code == 130 and "Traceback" not in r.output, r.output
    command = f"backprop train {iris} --epochs 5 --checkpoint-every 2 --out {out} --resume"
    assert r.stderr.splitlines()[1:] == [
        f"interrupted again (epoch 3, after batch 2 of 8); the checkpoint of epoch 2 in {out / 'checkpoint.npz'} is "
        "intact; the 2 batches trained since are lost",
        f"resume with: {command}"], r.stderr
    assert sorted(p.name for p in out.iterdir()) == ["checkpoint.npz", "config.yaml", "metrics.csv", "metrics.jsonl"]
    assert invoke(*shlex.split(command)[1:], "-q").exit_code == 0
    a, b = load_model(out / "model.npz").net, load_model(straight_iris(5) / "model.npz").net
    assert all(np.array_equal(x, y) for x, y in zip(a.weights + a.biases, b.weights + b.biases))


def test_a_second_sigterm_in_a_batch_says_what_was_kept_too(tmp_path, monkeypatch):
    """A second SIGTERM (`kill` twice) ended the run at once with exit 143 and nothing said."""
    out, iris = tmp_path / "run", ROOT / "configs" / "iris.yaml"
    _ctrl_c_in_steps(monkeypatch, 11, 11, signum=signal.SIGTERM)  # in batch 3 of epoch 2
    r = invoke("train", iris, "--epochs", "5", "--out", out, "-q")
    monkeypatch.undo()
    assert r.exit_code == 143 and "Traceback" not in r.output, r.output
    assert r.stderr.splitlines() == [  # no line at once: SIGTERM comes from a program, not a key
        f"interrupted again (epoch 2, after batch 2 of 8); the checkpoint of epoch 1 in {out / 'checkpoint.npz'} is "
        "intact; the 2 batches trained since are lost",
        f"resume with: backprop train {iris} --epochs 5 --out {out} --resume"], r.stderr


@pytest.mark.parametrize("where", ["made", "there", "none"])
def test_a_second_ctrl_c_before_the_first_checkpoint_says_what_was_lost(tmp_path, monkeypatch, where):
    """With no checkpoint yet, a second Ctrl-C said 'interrupted' and the --out folder made for the
    run was removed without a word: it says that no checkpoint was saved, what was lost, and whether
    the folder went (made for the run, left empty) or stays."""
    out = tmp_path / "runs" / "run"
    if where == "there":
        out.mkdir(parents=True)
    _ctrl_c_in_steps(monkeypatch, 11, 11)  # in batch 3 of epoch 2; the first checkpoint: after epoch 5
    r = invoke("train", ROOT / "configs" / "iris.yaml", "--epochs", "10", "-q",
               *(["--out", out, "--checkpoint-every", "5"] if where != "none" else []))
    monkeypatch.undo()
    assert r.exit_code == 130 and "Traceback" not in r.output, r.output
    lost = ("interrupted again (epoch 2, after batch 2 of 8); no checkpoint was saved: 1 epoch and 2 batches of "
            "epoch 2 lost")
    said = r.stderr.splitlines()[1:]
    if where == "made":
        # runs/ and runs/run were both made for it: the top one is named (it said 'runs/run, … was removed')
        assert said == [f"{lost}; {tmp_path / 'runs'}, made for this run, was removed"], said
        assert not (tmp_path / "runs").exists()
    elif where == "there":
        assert said == [f"{lost}; {out} is kept"], said
        assert out.is_dir() and not list(out.iterdir())
    else:
        assert said == [lost], said
    _ctrl_c_in_steps(monkeypatch, 1, 1)  # both in the first batch: nothing was trained
    r = invoke("train", ROOT / "configs" / "iris.yaml", "-q")
    monkeypatch.undo()
    assert r.exit_code == 130 and r.stderr.splitlines()[1:] == [
        "interrupted again (in the first batch); no checkpoint was saved: no batch had finished"], r.stderr


def test_a_second_ctrl_c_while_a_checkpoint_is_written_leaves_the_last_one_whole(tmp_path, monkeypatch):
    """The README: checkpoints are written atomically, so an interruption at any moment leaves the
    last good one readable. A second Ctrl-C inside the write of epoch 4's checkpoint (the first having
    come in that epoch's last batch) leaves epoch 2's and no temporary file, and says so."""
    from backprop_cli import model_io

    out, iris = tmp_path / "run", ROOT / "configs" / "iris.yaml"
    stops, real, writes = _ctrl_c_in_steps(monkeypatch, 32), model_io.os.fsync, []

    def fsync(fd):
        writes.append(fd)
        if stops[0].requested():  # the checkpoint of epoch 4: Ctrl-C again as it reaches the disk
            stops[0]._handler(signal.SIGINT, None)
        return real(fd)

    monkeypatch.setattr(model_io.os, "fsync", fsync)
    r = invoke("train", iris, "--epochs", "10", "--checkpoint-every", "2", "--out", out, "-q")
    monkeypatch.undo()
    assert r.exit_code == 130 and "Traceback" not in r.output, r.output
    assert r.stderr.splitlines()[1:] == [
        f"interrupted again (after epoch 4); the checkpoint of epoch 2 in {out / 'checkpoint.npz'} is intact; the "
        "2 epochs trained since are lost",
        f"resume with: backprop train {iris} --epochs 10 --checkpoint-every 2 --out {out} --resume"], r.stderr
    assert not [p.name for p in out.iterdir() if p.name.endswith(".tmp")]
    with np.load(out / "checkpoint.npz", allow_pickle=False) as z:
        assert int(z["state_epoch"]) == 2


@pytest.mark.parametrize("during", ["metrics", "checkpoint", "resumed"])
def test_a_second_ctrl_c_as_the_finished_runs_files_are_written_says_what_was_saved(tmp_path, monkeypatch,
                                                                                     straight_iris, during):
    """Two Ctrl-Cs as a finished run's files were written (model.npz, then its metrics) said 'the checkpoint
    of epoch 8 … is intact; the 2 epochs trained since are lost' beside a model.npz of all 10 epochs. The
    metrics are written first, then model.npz, then the checkpoint: before model.npz, the epochs since the
    checkpoint are lost and no model.npz is there; after it, model.npz and the metrics are said saved and
    only the checkpoint behind. Either resume command ends as a straight run does."""
    from backprop_cli import runs

    out, iris = tmp_path / "run", ROOT / "configs" / "iris.yaml"
    if during == "resumed":  # a run of 5 epochs resumed for 10: its model.npz stays until the new one is written
        assert invoke("train", iris, "--epochs", "5", "--out", out, "-q").exit_code == 0
    stops = _ctrl_c_in_steps(monkeypatch)
    real_metrics, real_checkpoint = runs.MetricsWriter.write, runs.save_checkpoint

    def twice():
        stops[-1]._handler(signal.SIGINT, None)
        stops[-1]._handler(signal.SIGINT, None)

    def metrics(self, folder, history):
        if during != "checkpoint" and len(history) == 10:
            twice()
        return real_metrics(self, folder, history)

    def checkpoint(folder, cfg, state, *args):
        if during == "checkpoint" and int(state["epoch"]) == 10:
            twice()
        return real_checkpoint(folder, cfg, state, *args)

    monkeypatch.setattr(runs.MetricsWriter, "write", metrics)
    monkeypatch.setattr(runs, "save_checkpoint", checkpoint)
    every = [] if during == "resumed" else ["--checkpoint-every", "4"]  # resumed: a checkpoint every epoch
    r = invoke("train", iris, "--epochs", "10", *every, "--out", out, "-q", *(["--resume"] if every == [] else []))
    monkeypatch.undo()
    assert r.exit_code == 130 and "Traceback" not in r.output, r.output
    command = f"backprop train {iris} --epochs 10 {' '.join(every + [''])}--out {out} --resume"
    head = "interrupted again (after epoch 10) as the run's files were written"
    intact = f"the checkpoint of epoch {9 if during == 'resumed' else 8} in {out / 'checkpoint.npz'} is intact"
    if during == "resumed":  # the checkpoint of epoch 10 is written after the new model.npz, not before it: one
        # beside the old model.npz made --resume find 'nothing to train' and keep it
        assert r.stderr.splitlines()[1:] == [
            f"{head}; {intact}; the epoch trained since is lost; {out / 'model.npz'} is still the one from before "
            "this resume",
            f"resume with: {command}"], r.stderr
    elif during == "metrics":
        assert r.stderr.splitlines() == [
            f"{head}; {intact}; the 2 epochs trained since are lost; model.npz was not written",
            f"resume with: {command}"], r.stderr
        assert not (out / "model.npz").exists()
    else:
        assert r.stderr.splitlines() == [
            f"{head}; model.npz and the metrics of its 10 epochs are saved in {out}; {intact}, the last one written",
            f"to bring the checkpoint up to epoch 10 (training epochs 9–10 again): {command}"], r.stderr
        assert len((out / "metrics.jsonl").read_text().splitlines()) == 10
        a, b = load_model(out / "model.npz").net, load_model(straight_iris(10) / "model.npz").net
        assert all(np.array_equal(x, y) for x, y in zip(a.weights + a.biases, b.weights + b.biases))
    with np.load(out / "checkpoint.npz", allow_pickle=False) as z:
        assert int(z["state_epoch"]) == (9 if during == "resumed" else 8)
    assert invoke(*shlex.split(command)[1:], "-q").exit_code == 0
    a, b = load_model(out / "model.npz").net, load_model(straight_iris(10) / "model.npz").net
    assert all(np.array_equal(x, y) for x, y in zip(a.weights + a.biases, b.weights + b.biases))


@pytest.mark.parametrize("made", [True, False])
def test_a_second_ctrl_c_in_the_first_checkpoint_removes_the_config_the_run_wrote(tmp_path, monkeypatch, made):
    """Two Ctrl-Cs as the first checkpoint was written left the config.yaml written just before it ('r9 is
    kept (with only its config.yaml)'), and the same command then refused the folder ('already holds a
    previous run's config.yaml'): what the new run wrote goes, and the folder made for it, and the same
    command runs again."""
    from backprop_cli import runs

    out, iris = tmp_path / "r9", ROOT / "configs" / "iris.yaml"
    if not made:
        out.mkdir()
    stops, real = _ctrl_c_in_steps(monkeypatch), runs.save_checkpoint

    def checkpoint(*args, **kwargs):  # the first one, of epoch 2
        stops[-1]._handler(signal.SIGINT, None)
        stops[-1]._handler(signal.SIGINT, None)
        return real(*args, **kwargs)

    monkeypatch.setattr(runs, "save_checkpoint", checkpoint)
    args = ("train", iris, "--epochs", "6", "--checkpoint-every", "2", "--out", out, "-q")
    r = invoke(*args)
    monkeypatch.undo()
    assert r.exit_code == 130 and "Traceback" not in r.output, r.output
    lost = "interrupted again (after epoch 2); no checkpoint was saved: 2 epochs lost"
    if made:
        assert r.stderr.splitlines()[1:] == [f"{lost}; {out}, made for this run, was removed"], r.stderr
        assert not out.exists()
    else:
        assert r.stderr.splitlines()[1:] == [f"{lost}; {out} is kept, without the config.yaml this run wrote in it"], \
            r.stderr
        assert out.is_dir() and not list(out.iterdir())
    r = invoke(*args)
    assert r.exit_code == 0 and (out / "model.npz").is_file(), r.output


def test_a_ctrl_c_escaping_the_trainer_alone_is_reported_too(tmp_path, monkeypatch):
    """A KeyboardInterrupt with no first Ctrl-C before it (here from the progress callback) says the
    same, without 'again'."""
    from backprop_cli.render import train as render

    real = render.TrainProgress.__call__

    def progress(self, stats):
        if stats.epoch == 2:
            raise KeyboardInterrupt
        return real(self, stats)

    monkeypatch.setattr(render.TrainProgress, "__call__", progress)
    out = tmp_path / "run"
    r = invoke("train", "--epochs", "10", "--checkpoint-every", "1", "--out", out, "-q")
    monkeypatch.undo()
    assert r.exit_code == 130, r.output
    assert r.stderr.splitlines() == [
        f"interrupted (after epoch 2); the checkpoint of epoch 1 in {out / 'checkpoint.npz'} is intact; the epoch "
        "trained since is lost",
        f"resume with: backprop train --epochs 10 --checkpoint-every 1 --out {out} --resume"], r.stderr


@pytest.mark.parametrize("left", [("metrics.csv",), ("metrics.jsonl", "config.yaml"),
                                  ("metrics.csv", "metrics.jsonl", "config.yaml", "loss.png")])
def test_a_previous_runs_metrics_or_config_alone_are_a_previous_run(tmp_path, left):
    """A run whose model.npz and checkpoint.npz were deleted to save space: its metrics and config
    were replaced by a new run's without --overwrite (while its loss.png alone was refused)."""
    out = tmp_path / "run"
    assert invoke("train", "--epochs", "2", "--out", out, "--quiet").exit_code == 0
    (out / "loss.png").write_bytes(b"drawn by backprop plot")
    for p in out.iterdir():
        if p.name not in left:
            p.unlink()
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    r = invoke("train", "--epochs", "3", "--out", out, "--quiet")
    them = "them" if len(left) > 1 else "it"
    listed = left[0] if len(left) == 1 else f"{', '.join(left[:-1])} and {left[-1]}"
    assert r.exit_code == 2 and r.stderr.splitlines() == [
        f"error: --out {out}: already holds a previous run's {listed}; refusing to overwrite {them}",
        f"hint: pass --overwrite to replace {them}, or choose another folder"], r.output
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before  # nothing written, nothing removed
    r = invoke("train", "--epochs", "3", "--out", out, "--quiet", "--overwrite")
    assert r.exit_code == 0 and {p.name for p in out.iterdir()} == OLD_RUN, r.output


def test_resume_hints_the_runs_own_epochs_and_says_where_it_resumed(tmp_path, monkeypatch):
    """Resumed without --epochs, a 300-epoch run was told 'pass --epochs 251 or more': the hint
    gives the run's own 300. Resumed, plain progress began at a later epoch with no word that the
    run was resumed, or from where: one line on stderr says so."""
    out, iris = tmp_path / "run", ROOT / "configs" / "iris.yaml"
    _interrupted(monkeypatch, iris, "--epochs", "300", "--out", out, "-q", after=8 * 250 + 3)  # 8 asked an epoch
    r = invoke("train", iris, "--out", out, "--resume", "-q")  # iris.yaml's 200 epochs
    assert r.exit_code == 2, r.output
    assert f"hint: pass --epochs 300 (the run's own; at least 251), or resume from its own config, " \
           f"{out / 'config.yaml'}, which has them" in " ".join(r.stderr.split()), r.stderr
    assert "epochs: 300" in (out / "config.yaml").read_text()  # what the hint points at has the run's 300
    r = invoke("train", iris, "--epochs", "300", "--out", out, "--resume", "-q")
    assert r.exit_code == 0, r.output
    assert r.stderr.splitlines()[0] == f"resumed at epoch 251 of 300, after batch 3 of 8, from {out / 'checkpoint.npz'}", r.stderr
    r = invoke("train", iris, "--epochs", "1200", "--out", out, "--resume", "-q")  # from the finished run's
    assert r.exit_code == 0 and r.stderr.splitlines()[0] == \
        f"resumed after epoch 300 of 1,200, from {out / 'checkpoint.npz'}", r.stderr


def test_resuming_a_finished_run_with_its_epochs_says_there_is_nothing_to_train(tmp_path):
    """It rewrote every file and exited 0 with no word; a note says the run already has its epochs
    and the files stay as they were."""
    out = tmp_path / "run"
    assert invoke("train", "--epochs", "30", "--out", out, "-q").exit_code == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    r = invoke("train", "--epochs", "30", "--out", out, "--resume", "-q")
    assert r.exit_code == 0, r.output
    assert r.stderr.splitlines()[0] == (f"note: nothing to train: the run in {out} already has its 30 epochs; its "
                                        "files are left as they are (a larger --epochs continues it)"), r.stderr
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    # and the summary's last line agrees: it said "saved model.npz, checkpoint.npz, … in RUN"
    assert r.stdout.rstrip().splitlines()[-1] == f"nothing saved: the run's files in {out} are left as they were"
    assert "saved model.npz" not in r.stdout
    import json

    r = invoke("train", "--epochs", "30", "--out", out, "--resume", "-q", "--json")  # and for scripts
    assert r.exit_code == 0 and json.loads(r.stdout)["saved"] is False, r.output
    r = invoke("train", "--epochs", "31", "--out", out, "--resume", "-q", "--json")
    assert r.exit_code == 0 and json.loads(r.stdout)["saved"] is True, r.output
    assert json.loads(invoke("train", "--epochs", "2", "-q", "--json").stdout)["saved"] is False  # no --out


def test_resume_of_a_finished_run_whose_checkpoint_was_removed_says_so(tmp_path):
    """'train once with --out first', for a folder holding a run's model.npz: finished runs keep
    their checkpoint, so it was removed, and the run cannot be continued."""
    out = tmp_path / "run"
    assert invoke("train", "--epochs", "3", "--out", out, "-q").exit_code == 0
    (out / "checkpoint.npz").unlink()
    r = invoke("train", "--epochs", "6", "--out", out, "--resume", "-q")
    assert r.exit_code == 2 and "Traceback" not in r.output, r.output
    line = " ".join(r.stderr.split())
    assert "holds a finished run's model.npz, but its checkpoint.npz (which a finished run keeps) is gone" in line
    assert "train once with --out first" not in line


def test_a_resume_on_the_other_update_path_gets_a_note(tmp_path, monkeypatch):
    """OpenBLAS's fused updates and numpy's agree to rounding, not bit for bit (L2 runs by ~1e-13):
    the checkpoint records the path that trained it, and a resume on the other one is told so."""
    from backprop_cli import runs

    out = tmp_path / "run"
    monkeypatch.setattr(runs, "update_path", lambda: "numpy")
    assert invoke("train", "--epochs", "3", "--out", out, "-q").exit_code == 0
    r = invoke("train", "--epochs", "6", "--out", out, "-q", "--resume")
    assert r.exit_code == 0 and "update path" not in r.stderr, r.output  # the same path: nothing to say
    monkeypatch.setattr(runs, "update_path", lambda: "OpenBLAS")
    r = invoke("train", "--epochs", "9", "--out", out, "-q", "--resume")
    assert r.exit_code == 0, r.output
    assert ("note: the checkpoint was trained on the numpy update path and this resume runs on the OpenBLAS one "
            "(BACKPROP_CLI_NO_BLAS): the weights can differ from an uninterrupted run's in their last bits") \
        in " ".join(r.stderr.split()), r.stderr


def test_a_resumed_run_keeps_the_warning_that_training_made_it_worse(tmp_path):
    """adam at η = 2 takes the default xor from 0.2747 to 0.5: the straight run warned, the same run
    resumed from a checkpoint said nothing (the cost before training was not known to it). The
    checkpoint records it."""
    import json

    straight = invoke("train", "--set", "training.optimizer=adam", "--epochs", "60", "-q", "--json")
    out = tmp_path / "run"
    assert invoke("train", "--set", "training.optimizer=adam", "--epochs", "30", "--out", out, "-q").exit_code == 0
    resumed = invoke("train", out / "config.yaml", "--epochs", "60", "--out", out, "-q", "--resume", "--json")
    assert straight.exit_code == resumed.exit_code == 0, resumed.output
    a, b = json.loads(straight.stdout), json.loads(resumed.stdout)
    # the same warning, its --lr advice said to be a new run's (a resume keeps the run's η)
    new_run = "; a resume keeps the run's settings: change them in a new run (--overwrite)"
    assert a["warnings"] and [w + new_run for w in a["warnings"]] == b["warnings"], (a["warnings"], b["warnings"])
    assert b["cost_before_training"] == a["cost_before_training"] == pytest.approx(0.2747, abs=1e-4)


def test_a_resume_in_other_arithmetic_is_told_what_changed(tmp_path, monkeypatch):
    """Another OpenBLAS kernel (OPENBLAS_CORETYPE), thread count, numpy or CPU changes a sum's last bits
    (spirals' weights by ~1e-12): a run resumed so matched neither straight run and nothing was said.
    The checkpoint records them; a resume that differs names what changed."""
    from backprop_cli import runs

    out, real = tmp_path / "run", runs.run_environment
    here = {"numpy": "2.1.0", "update path": "OpenBLAS", "OPENBLAS_CORETYPE": "HASWELL",
            "BLAS threads": "2", "CPU": "AMD EPYC"}
    monkeypatch.setattr(runs, "run_environment", lambda: dict(here))
    assert invoke("train", "--epochs", "3", "--out", out, "-q").exit_code == 0
    r = invoke("train", "--epochs", "6", "--out", out, "-q", "--resume")
    assert r.exit_code == 0 and "arithmetic" not in r.stderr, r.output  # the same: nothing to say
    monkeypatch.setattr(runs, "run_environment", lambda: {**here, "OPENBLAS_CORETYPE": "auto", "BLAS threads": "1"})
    r = invoke("train", "--epochs", "9", "--out", out, "-q", "--resume")
    assert r.exit_code == 0, r.output
    assert ("note: the checkpoint was written with other arithmetic than this resume runs with (OPENBLAS_CORETYPE "
            "HASWELL → auto; BLAS threads 2 → 1): the weights can differ from an uninterrupted run's "
            "in their last bits") in " ".join(r.stderr.split()), r.stderr
    # what is the same arithmetic is not called a change: the kernel in any case, threads asked or by default
    monkeypatch.setattr(runs, "run_environment", real)
    monkeypatch.delenv("OMP_NUM_THREADS", raising=False)
    for env in ({"OPENBLAS_CORETYPE": "haswell", "OPENBLAS_NUM_THREADS": ""},
                {"OPENBLAS_CORETYPE": "Haswell", "OPENBLAS_NUM_THREADS": str(os.cpu_count() or 1)}):
        monkeypatch.setattr(runs, "_ENVIRONMENT", {})
        for k, v in env.items():
            monkeypatch.setenv(k, v)
        seen = runs.run_environment()
        assert (seen["OPENBLAS_CORETYPE"], seen["BLAS threads"]) == ("HASWELL", str(os.cpu_count() or 1)), seen
    monkeypatch.setattr(runs, "_ENVIRONMENT", {})
    monkeypatch.setenv("OPENBLAS_NUM_THREADS", str(10 * (os.cpu_count() or 1)))  # OpenBLAS runs one per core
    assert runs.run_environment()["BLAS threads"] == str(os.cpu_count() or 1)
    # a checkpoint written before these were normalized: the same arithmetic, no change named
    older = {**runs.run_environment(), "OPENBLAS_CORETYPE": "Haswell", "BLAS threads": f"auto ({os.cpu_count()} cores)"}
    assert runs.environment_change(older, runs.run_environment()) is None


def test_a_config_read_once_is_resumed_from_the_runs_copy(tmp_path):
    """`train <(sed … circles.yaml) --out X`, interrupted, said 'resume with: backprop train /dev/fd/63 …',
    a pipe gone with the shell that made it ('config file not found'); without --out the folder was
    runs/63-interrupted-…, and for a config piped to '-', runs/--interrupted-…. A config that cannot
    be read twice is resumed from the run's config.yaml, and its folder is runs/stdin-interrupted-…."""
    import os

    from backprop_cli.commands.train import _fresh_folder, _resume_command

    fifo = tmp_path / "cfg.yaml"
    os.mkfifo(fifo)
    out = tmp_path / "X"
    for config in (Path("/dev/fd/63"), Path("-"), fifo):
        assert _resume_command(config, {"--epochs": 9}, None)(out) == \
            f"backprop train {out / 'config.yaml'} --epochs 9 --out {out} --resume"
        assert _fresh_folder(config).name.startswith("stdin-interrupted-")
    mine = tmp_path / "mine.yaml"
    assert _resume_command(mine, {}, ["network.activation=relu"])(out) == \
        f"backprop train {mine} --set network.activation=relu --out {out} --resume"
    assert _fresh_folder(mine).name.startswith("mine-interrupted-")


def test_sigterm_before_training_says_terminated_and_exits_143():
    """Ctrl-C during start-up says 'interrupted' (exit 130); SIGTERM then ended the process with
    nothing said."""
    code = ("import os, signal, backprop_cli, backprop_cli.cli as cli; "
            "cli.main = lambda: os.kill(os.getpid(), signal.SIGTERM); backprop_cli.run()")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert r.returncode == 143 and r.stderr == "terminated\n", (r.returncode, r.stderr)


def test_a_config_named_config_yaml_in_its_own_out_folder_is_not_replaced(tmp_path):
    """`backprop train proj/config.yaml --out proj`: the folder's config.yaml was called "a previous
    run's" and --overwrite replaced the user's commented file with the resolved YAML. It is the
    CONFIG itself: refused, with or without --overwrite, naming another folder; a run's own folder
    (its model beside its config.yaml) still retrains from it with --overwrite."""
    proj = tmp_path / "proj"
    proj.mkdir()
    text = "# my notes\n" + (ROOT / "configs" / "xor.yaml").read_text()
    (proj / "config.yaml").write_text(text)
    for extra in ([], ["--overwrite"]):
        r = invoke("train", proj / "config.yaml", "--out", proj, "--epochs", "5", "--quiet", *extra)
        assert r.exit_code == 2, r.output
        assert f"--out {proj}: its config.yaml is the CONFIG being trained" in r.stderr
        assert f"--out {proj / 'run'}" in r.stderr
        assert (proj / "config.yaml").read_text() == text and sorted(p.name for p in proj.iterdir()) == ["config.yaml"]
    run = tmp_path / "run"
    assert invoke("train", ROOT / "configs" / "xor.yaml", "--out", run, "--epochs", "5", "--quiet").exit_code == 0
    again = invoke("train", run / "config.yaml", "--out", run, "--epochs", "5", "--quiet", "--overwrite")
    assert again.exit_code == 0, again.output


# --- a run that diverges: what it leaves to plot ---------------------------------------------------

SINE = ROOT / "configs" / "sine.yaml"  # at η = 1 it diverges in epoch 13 (cost up to 3.6e+291 at epoch 12)


def _diverged_at(stderr: str) -> int:
    import re

    return int(re.search(r"training diverged at epoch (\d+)", stderr).group(1))


def test_a_run_that_diverges_before_its_first_checkpoint_keeps_its_metrics_to_plot(tmp_path):
    """It left no folder at all (the first checkpoint due at epoch 50), and `backprop plot` said
    'run folder not found (make one with: backprop train CONFIG --out DIR)', what the user had run."""
    from backprop_cli.commands.plot import read_metrics

    out = tmp_path / "runs" / "divd"
    r = invoke("train", SINE, "--lr", "1", "--out", out, "--quiet")
    assert r.exit_code == 1, r.output
    diverged = _diverged_at(r.stderr)
    assert diverged > 2
    assert sorted(p.name for p in out.iterdir()) == ["config.yaml", "metrics.csv", "metrics.jsonl"]
    costs = read_metrics(out / "metrics.csv")
    assert costs["epoch"] == list(range(1, diverged + 1))  # every epoch trained, the diverging one last
    assert all(np.isfinite(c) for c in costs["train_cost"][:-1]) and not np.isfinite(costs["train_cost"][-1])
    assert costs["test_cost"][-1] is None and costs["test_cost"][-2] is not None  # never measured in that epoch
    rows = [json.loads(line) for line in (out / "metrics.jsonl").read_text().splitlines()]
    assert [row["epoch"] for row in rows] == costs["epoch"] and rows[-1]["train_cost"] is None  # JSON: null
    assert load_config(out / "config.yaml").training.learning_rate == 1
    hint = r.stderr.splitlines()[-1]
    assert hint.startswith("hint: try a smaller learning rate than 1 (e.g. --lr 0.1), with --overwrite"), hint
    assert f"saved metrics.csv and metrics.jsonl (epochs 1 to {diverged}) and config.yaml in {out}" in hint
    assert "not the diverged network" in hint and f"backprop plot {out} draws the curve" in hint
    # the folder is a run's: a new one goes in with --overwrite, as the hint says
    assert invoke("train", SINE, "--lr", "0.1", "--epochs", "3", "--out", out, "--quiet").exit_code == 2
    r = invoke("train", SINE, "--lr", "0.1", "--epochs", "3", "--out", out, "--quiet", "--overwrite")
    assert r.exit_code == 0 and len(read_metrics(out / "metrics.csv")["epoch"]) == 3, r.output


def test_plot_draws_a_run_that_diverged_before_its_first_checkpoint(tmp_path):
    pytest.importorskip("matplotlib")
    out = tmp_path / "divd"
    assert invoke("train", SINE, "--lr", "1", "--out", out, "--quiet").exit_code == 1
    r = invoke("plot", out)
    assert r.exit_code == 0 and (out / "loss.png").is_file(), r.output


def test_a_diverged_runs_metrics_beyond_its_checkpoint_do_not_confuse_resume(tmp_path):
    """The checkpoint of epoch 10 stays the last good one; the metrics go on to the divergence.
    A resume goes on from the checkpoint, and its own history replaces the later rows."""
    from backprop_cli.commands.plot import read_metrics
    from backprop_cli.runs import load_checkpoint

    out = tmp_path / "run"
    r = invoke("train", SINE, "--lr", "1", "--out", out, "--quiet", "--checkpoint-every", "5")
    assert r.exit_code == 1, r.output
    diverged = _diverged_at(r.stderr)
    assert diverged > 11 and not (out / "model.npz").exists()
    checkpoint = (out / "checkpoint.npz").read_bytes()
    assert int(load_checkpoint(out / "checkpoint.npz")[1]["epoch"]) == 10
    first = read_metrics(out / "metrics.csv")
    assert first["epoch"] == list(range(1, diverged + 1))
    hint = r.stderr.splitlines()[-1]
    assert f"the last good checkpoint is kept in {out / 'checkpoint.npz'}; saved metrics.csv" in hint, hint
    # resumed as it was, it diverges again at the same epoch: the checkpoint untouched, the metrics the same
    r = invoke("train", SINE, "--lr", "1", "--out", out, "--quiet", "--resume")
    assert r.exit_code == 1 and _diverged_at(r.stderr) == diverged, r.output
    assert (out / "checkpoint.npz").read_bytes() == checkpoint
    again = read_metrics(out / "metrics.csv")
    assert again["epoch"] == first["epoch"] and again["train_cost"][:-1] == first["train_cost"][:-1]
    # resumed to 11 epochs: it finishes, and its metrics are those 11 epochs, not the diverged rows after
    r = invoke("train", SINE, "--lr", "1", "--out", out, "--quiet", "--resume", "--epochs", "11")
    assert r.exit_code == 0 and (out / "model.npz").is_file(), r.output
    done = read_metrics(out / "metrics.csv")
    assert done["epoch"] == list(range(1, 12)) and done["train_cost"] == first["train_cost"][:11]
    assert len((out / "metrics.jsonl").read_text().splitlines()) == 11


def _run_on_one_hot_columns_as_numbers(tmp_path):
    return run_on_one_hot_columns_as_numbers(tmp_path, invoke)


def test_a_run_trained_on_one_hot_columns_as_numbers_before_resumes_and_plots_as_trained(tmp_path):
    """Its data read as classes now: --resume said 'the data in d.npz are not the ones it was trained on (the file
    has changed since)' and plot 'no boundary.png: … (the file has changed since)', both false. Read as numbers, as
    trained, it resumes (a note says why) and keeps resuming; plot finds the model's regression data."""
    config, run = _run_on_one_hot_columns_as_numbers(tmp_path)
    r = invoke("train", config, "--out", run, "--resume", "--epochs", "3", "--json")
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["task"] == "regression" and json.loads(r.stdout)["epochs"] == 3
    assert "note: the run in" in r.stderr and "fit them as numbers: it resumes so" in r.stderr, r.stderr
    assert "task: auto" in (run / "config.yaml").read_text()  # as the run's checkpoint has it: resumable again
    again = invoke("train", config, "--out", run, "--resume", "--epochs", "4", "--quiet")
    assert again.exit_code == 0 and "changed since" not in again.output, again.output
    r = invoke("plot", run)
    assert r.exit_code == 0 and "changed since" not in r.output, r.output
    assert "no boundary.png: decision regions need classification data (this is regression)" in r.output, r.output
    # the same file changed since is still refused
    np.savez(tmp_path / "d.npz", X=np.zeros((30, 2)), y=np.eye(3)[np.arange(30) % 3])
    r = invoke("train", config, "--out", run, "--resume", "--epochs", "5", "--quiet")
    assert r.exit_code == 2 and "the file has changed since" in r.output, r.output


@pytest.mark.parametrize("early", [False, True])
def test_a_finished_checkpoint_beside_an_earlier_model_writes_the_runs_files_from_it(tmp_path, early):
    """A resumed run whose output failed at its last epoch (`… --resume | head -4`, SIGHUP) saved that epoch's
    checkpoint beside the model.npz of before the resume; --resume then said 'nothing to train' and kept the
    stale model for good (evaluate and predict used 10 epochs where metrics.csv and the summary said 20). The
    weights the run ends with (with early stopping the best epoch's, which the checkpoint keeps beside where
    training stood) are compared with model.npz's: where they differ, the run's files are written from it."""
    out, iris = tmp_path / "run", ROOT / "configs" / "iris.yaml"
    sets = ["--set", "training.early_stopping=true", "--set", "training.patience=5"] if early else []
    epochs = ["--epochs", "400"] if early else ["--epochs", "20"]
    assert invoke("train", iris, "--epochs", "10", "--out", out, "-q", *sets).exit_code == 0
    earlier = (out / "model.npz").read_bytes()
    r = invoke("train", iris, *epochs, "--out", out, "--resume", "-q", *sets)
    assert r.exit_code == 0 and (not early or "stopped early" in r.stdout), r.output
    finished = (out / "model.npz").read_bytes()
    assert finished != earlier
    r = invoke("train", iris, *epochs, "--out", out, "--resume", "-q", *sets)  # the run's own model: nothing to do
    assert r.exit_code == 0 and "note: nothing to train: " in r.stderr, r.output
    (out / "model.npz").write_bytes(earlier)  # the state the failed output left: the finished checkpoint, model of 10
    r = invoke("train", iris, *epochs, "--out", out, "--resume", "-q", *sets)
    assert r.exit_code == 0, r.output
    resumed = [line for line in r.stderr.splitlines() if line.startswith("resumed ")]
    assert len(resumed) == 1 and resumed[0].endswith(
        f", from {out / 'checkpoint.npz'}; nothing is left to train: the run's files are written from it (the "
        "model.npz there is an earlier one of this run)"), r.stderr
    assert early or resumed[0].startswith("resumed after epoch 20 of 20, "), r.stderr
    assert (out / "model.npz").read_bytes() == finished
    assert "saved model.npz" in r.stdout
    r = invoke("train", iris, *epochs, "--out", out, "--resume", "-q", *sets)  # and now it is the run's own
    assert r.exit_code == 0 and "note: nothing to train: " in r.stderr, r.output


def test_a_second_ctrl_c_before_the_first_checkpoint_of_an_overwrite_says_the_replaced_run_is_gone(tmp_path,
                                                                                                  monkeypatch):
    """`--overwrite` removes the earlier run's files before training; two Ctrl-Cs before the new run's first
    checkpoint left the folder holding neither run, and the line said only what this run lost."""
    from backprop_cli import runs

    out, iris = tmp_path / "r9", ROOT / "configs" / "iris.yaml"
    assert invoke("train", iris, "--epochs", "2", "--out", out, "-q").exit_code == 0
    stops, real = _ctrl_c_in_steps(monkeypatch), runs.save_checkpoint

    def checkpoint(*args, **kwargs):
        stops[-1]._handler(signal.SIGINT, None)
        stops[-1]._handler(signal.SIGINT, None)
        return real(*args, **kwargs)

    monkeypatch.setattr(runs, "save_checkpoint", checkpoint)
    r = invoke("train", iris, "--epochs", "6", "--checkpoint-every", "2", "--out", out, "--overwrite", "-q")
    monkeypatch.undo()
    assert r.exit_code == 130, r.output
    assert r.stderr.splitlines()[1:] == [
        f"interrupted again (after epoch 2); no checkpoint was saved: 2 epochs lost; {out} is kept, without the "
        "config.yaml this run wrote in it; the run it replaced was removed by --overwrite"], r.stderr


def test_a_full_disk_in_a_resumed_runs_final_writes_says_its_model_is_still_the_earlier_one(tmp_path, monkeypatch):
    """A resumed run that trained to its end but could not write model.npz left the model of before the resume
    (evaluate and predict used it, while metrics.csv said 5 epochs): the hint says so, beside how to resume."""
    import errno

    from backprop_cli import model_io

    out = tmp_path / "run"
    assert invoke("train", "--epochs", "3", "--out", out, "-q").exit_code == 0

    def full(folder, *args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device", str(folder / "model.npz"))

    monkeypatch.setattr(model_io, "save_run", full)
    r = invoke("train", "--epochs", "5", "--out", out, "--resume", "-q")
    monkeypatch.undo()
    assert r.exit_code == 2, r.output
    line, hint = r.stderr.strip().splitlines()[-2:]
    assert line == (f"error: {out / 'model.npz'}: No space left on device; training had finished (5 epochs) but its "
                    "files were not all written"), r.stderr
    assert hint.endswith(f"; until then {out / 'model.npz'} is the one from before this resume"), hint
    earlier = (out / "model.npz").read_bytes()
    r = invoke("train", "--epochs", "5", "--out", out, "--resume", "-q")  # the resume the hint gives mends it
    assert r.exit_code == 0 and "saved model.npz" in r.stdout and (out / "model.npz").read_bytes() != earlier, r.output


@pytest.mark.parametrize("damage", ["empty", "npy", "another config's"])
def test_a_finished_runs_model_that_cannot_be_read_is_written_again_and_another_configs_is_left(tmp_path, damage):
    """A model.npz that load_model refuses (empty: numpy's EOFError ended the run with 'aborted'; a .npy under
    that name: a traceback) is written again from the finished checkpoint; another config's model is left as
    it is, as before (nothing says it is this run's)."""
    out, iris = tmp_path / "run", ROOT / "configs" / "iris.yaml"
    assert invoke("train", iris, "--epochs", "10", "--out", out, "-q").exit_code == 0
    own = (out / "model.npz").read_bytes()
    if damage == "empty":
        (out / "model.npz").write_bytes(b"")
    elif damage == "npy":
        with open(out / "model.npz", "wb") as f:
            np.save(f, np.zeros(3))
    else:
        other = tmp_path / "other"
        assert invoke("train", iris, "--epochs", "10", "--out", other, "-q", "--set", "training.batch_size=8").exit_code == 0
        shutil.copy(other / "model.npz", out / "model.npz")
    before = (out / "model.npz").read_bytes()
    r = invoke("train", iris, "--epochs", "10", "--out", out, "--resume", "-q")
    assert r.exit_code == 0 and "Traceback" not in r.output, r.output
    if damage == "another config's":
        assert "note: nothing to train: " in r.stderr and (out / "model.npz").read_bytes() == before, r.output
    else:
        assert r.stderr.splitlines()[0].endswith("nothing is left to train: the run's files are written from it (the "
                                                 "model.npz there cannot be read)"), r.stderr
        assert (out / "model.npz").read_bytes() == own


def test_a_stale_model_is_written_again_when_resumed_with_a_copy_of_the_config_and_data(tmp_path):
    """A resume may take a copy of the run's config and data elsewhere (the data is checked by content): the
    model.npz's stored data.path then differs from the config's, which took a stale model for another config's
    and kept it ('nothing to train'). A dangling symlink in its place is no model there."""
    out, iris = tmp_path / "run", ROOT / "configs" / "iris.yaml"
    assert invoke("train", iris, "--epochs", "10", "--out", out, "-q").exit_code == 0
    earlier = (out / "model.npz").read_bytes()
    assert invoke("train", iris, "--epochs", "20", "--out", out, "--resume", "-q").exit_code == 0
    finished = (out / "model.npz").read_bytes()
    copy = tmp_path / "copy"
    (copy / "configs").mkdir(parents=True)
    (copy / "data").mkdir()
    shutil.copy(iris, copy / "configs" / "iris.yaml")
    shutil.copy(ROOT / "data" / "iris.csv", copy / "data" / "iris.csv")
    (out / "model.npz").write_bytes(earlier)
    r = invoke("train", copy / "configs" / "iris.yaml", "--epochs", "20", "--out", out, "--resume", "-q")
    assert r.exit_code == 0 and "the model.npz there is an earlier one of this run" in r.stderr, r.output
    (tmp_path / "finished.npz").write_bytes(finished)  # the same weights (its config_yaml names the copy's data)
    with np.load(out / "model.npz") as now, np.load(tmp_path / "finished.npz") as straight:
        assert all(np.array_equal(now[k], straight[k]) for k in ("w1", "b1", "w2", "b2"))
    (out / "model.npz").unlink()
    (out / "model.npz").symlink_to(tmp_path / "nowhere.npz")
    r = invoke("train", iris, "--epochs", "20", "--out", out, "--resume", "-q")
    assert r.exit_code == 0 and "(no model.npz is there)" in r.stderr, r.output
