"""One writer per run folder (train's lock, init's atomic refusal), SIGHUP saving a checkpoint, and
what a run folder without model.npz is said to be (being trained, diverged, interrupted)."""

from __future__ import annotations

import errno
import os
import shlex
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from backprop_cli.cli import app
from backprop_cli.runs import RUN_LOCK, lock_run

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


# --- train: one writer at a time ---------------------------------------------------------------

@pytest.mark.parametrize("extra", [[], ["--overwrite"], ["--resume"]], ids=["new", "overwrite", "resume"])
def test_a_train_into_a_folder_another_train_is_writing_is_refused(tmp_path, extra, monkeypatch):
    """Two `train --out DIR` at once (make -j) both passed the 'previous run' check at their start
    and both said 'saved … in DIR': the last to finish replaced the other's files. The second is
    refused (exit 2, one line naming the writer's pid), whether it starts a run, replaces one or
    resumes one, and touches nothing; the folder stays the writer's."""
    from backprop_cli import runs

    out = tmp_path / "race"
    assert invoke("train", "--epochs", "2", "--out", out, "--quiet").exit_code == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    held = lock_run(out)  # a run writing the folder (flock: another open file description, as another process's)
    waits: list[float] = []
    monkeypatch.setattr(runs, "time", type("Clock", (), {"sleep": staticmethod(waits.append)}))  # not waited out
    try:
        r = invoke("train", "--epochs", "4", "--out", out, "--quiet", *extra)
        monkeypatch.undo()
        _one_error_line(r, f"--out {out}: another backprop train (pid {os.getpid()}) is writing this run folder; "
                           "wait for it to end, or train into another --out folder")
        assert waits, "refused at once"  # lock_run tried again after its short waits, as for a reader's look
        assert {p.name: p.read_bytes() for p in out.iterdir() if p.name != RUN_LOCK} == before
        assert (out / RUN_LOCK).is_file()  # the writer's, left alone
    finally:
        held.release()
    assert not (out / RUN_LOCK).exists()
    r = invoke("train", "--epochs", "4", "--out", out, "--quiet", *extra)  # once it has ended: the usual checks
    assert r.exit_code == (2 if extra == [] else 0), r.output
    assert extra != [] or "already holds a previous run; refusing to overwrite it" in r.stderr, r.stderr
    assert RUN_LOCK not in [p.name for p in out.iterdir()]


def test_a_real_second_process_is_refused_while_the_folder_is_locked(tmp_path):
    """The lock is the system's (flock), between processes: a `backprop train` started while this
    process holds the folder says so; the folder made by the first run is not removed by it."""
    out = tmp_path / "made" / "race"
    out.mkdir(parents=True)
    held = lock_run(out)
    try:
        r = subprocess.run([sys.executable, "-m", "backprop_cli", "train", "--epochs", "2", "--out", str(out), "-q"],
                           capture_output=True, text=True, timeout=120)
    finally:
        held.release()
    assert r.returncode == 2 and r.stderr.startswith(f"error: --out {out}: another backprop train (pid {os.getpid()})"), \
        (r.returncode, r.stderr)
    assert out.is_dir() and list(out.iterdir()) == []


def test_a_lock_left_by_a_killed_run_is_taken_over_with_a_note(tmp_path):
    """A run killed with kill -9 cannot remove its lock file; the system's lock went with it, so
    the next run takes the folder over, saying so, and leaves no lock file at its end."""
    out = tmp_path / "run"
    out.mkdir()
    (out / RUN_LOCK).write_text("4194000\n")  # no process holds it: what kill -9 leaves
    r = invoke("train", "--epochs", "2", "--out", out, "--quiet")
    assert r.exit_code == 0, r.output
    note = " ".join(r.stderr.split())
    assert (f"note: {out / RUN_LOCK} was left by a backprop train (pid 4194000) that ended without removing it "
            "(killed?); this run takes the folder over") in note, r.stderr
    assert sorted(p.name for p in out.iterdir()) == [
        "checkpoint.npz", "config.yaml", "metrics.csv", "metrics.jsonl", "model.npz"]


def test_temporary_files_a_killed_run_left_go_with_the_next_run_and_nothing_else(tmp_path):
    """kill -9 while a checkpoint was written left '.checkpoint.npz.jmd1tp98.tmp', which a later --overwrite
    (that says it removes the previous run's files) and --resume kept. The next run into the folder removes such
    files, with a note; a file of another name, a name of another pattern, and a link stay."""
    out = tmp_path / "run"
    assert invoke("train", "--epochs", "2", "--out", out, "--quiet").exit_code == 0
    stale = [".checkpoint.npz.jmd1tp98.tmp", ".metrics.csv.y0ib4q09.tmp", ".metrics.jsonl.u7aq3k0z.tmp"]
    others = [".checkpoint.npz.notmine.tmp", ".notes.txt.abcdefgh.tmp", "checkpoint.npz.abcdefgh.tmp"]
    for name in stale + others:
        (out / name).write_bytes(b"partial")
    (out / ".model.npz.abcdefgh.tmp").symlink_to(tmp_path / "mine.npz")
    (tmp_path / "mine.npz").write_bytes(b"mine")
    r = invoke("train", "--epochs", "3", "--out", out, "--resume", "--quiet")
    assert r.exit_code == 0, r.output
    # three names listed as a sentence lists them, 'a, b and c' (not 'a and b and c')
    assert (f"note: removed .checkpoint.npz.jmd1tp98.tmp, .metrics.csv.y0ib4q09.tmp and .metrics.jsonl.u7aq3k0z.tmp "
            f"from {out}: temporary files of a run killed while writing its files") in " ".join(r.stderr.split()), r.stderr
    kept = sorted(others + [".model.npz.abcdefgh.tmp"])
    assert sorted(p.name for p in out.iterdir() if p.name.endswith(".tmp")) == kept
    (out / ".model.npz.k2j4x_9a.tmp").write_bytes(b"partial")
    r = invoke("train", "--epochs", "2", "--out", out, "--overwrite", "--quiet")
    assert r.exit_code == 0 and "note: removed .model.npz.k2j4x_9a.tmp from" in r.stderr, r.output
    assert sorted(p.name for p in out.iterdir() if p.name.endswith(".tmp")) == kept
    assert (tmp_path / "mine.npz").read_bytes() == b"mine"


def test_the_lock_goes_however_the_run_ends(tmp_path, monkeypatch):
    """Finished, refused after the folder was locked, diverged, Ctrl-C: no lock file is left, and a
    folder made for a run that wrote nothing in it is removed again."""
    from backprop_cli.commands import train

    ok, missing, div, stopped = (tmp_path / name for name in ("ok", "missing", "div", "stopped"))
    assert invoke("train", "--epochs", "2", "--out", ok, "-q").exit_code == 0
    r = invoke("train", "--epochs", "2", "--out", missing / "deeper", "-q", "--resume")  # nothing to resume
    assert r.exit_code == 2 and "no checkpoint to resume from" in r.stderr, r.output
    assert not missing.exists()  # the folders made for it, gone with the lock
    r = invoke("train", SINE, "--lr", "1", "--out", div, "-q", "--checkpoint-every", "5")
    assert r.exit_code == 1 and "diverged" in r.stderr, r.output
    monkeypatch.setattr(train._StopOnSignal, "requested", lambda self: True)  # Ctrl-C in the first batch
    r = invoke("train", "--epochs", "2", "--out", stopped, "-q")
    assert r.exit_code == 130 and "checkpoint saved" in r.stderr, r.output
    for folder in (ok, div, stopped):
        assert folder.is_dir() and not (folder / RUN_LOCK).exists(), sorted(p.name for p in folder.iterdir())


def test_reading_a_run_being_written_is_not_blocked_and_says_so(tmp_path):
    """predict and evaluate never wait for the lock: a folder with its model reads as ever; one
    without (a first run still training) says a train is writing it, not that it was interrupted."""
    pytest.importorskip("fcntl")
    out = tmp_path / "run"
    assert invoke("train", "--epochs", "2", "--out", out, "-q").exit_code == 0
    (out / "model.npz").unlink()
    holds = ("import fcntl, os, sys, time; fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT); "
             "fcntl.flock(fd, fcntl.LOCK_EX); os.write(fd, f'{os.getpid()}\\n'.encode()); print('locked', flush=True); "
             "time.sleep(60)")
    writer = subprocess.Popen([sys.executable, "-c", holds, str(out / RUN_LOCK)], stdout=subprocess.PIPE, text=True)
    try:
        assert writer.stdout.readline() == "locked\n"  # the running train's lock, as lock_run holds it
        r = invoke("evaluate", out)
        assert r.exit_code == 2, r.output
        assert r.stderr.splitlines()[1] == (f"hint: a backprop train (pid {writer.pid}) is writing the run in {out} "
                                            "now; its model.npz comes when it ends"), r.stderr
    finally:
        writer.kill()
        writer.wait()
    r = invoke("evaluate", out)  # its writer gone: the checkpoint says it was interrupted
    assert "is an interrupted run's folder" in r.stderr, r.stderr
    # a lock file naming a process that is alive but holds no lock (its pid reused after a reboot, in a
    # container; here our own parent's): the run is not being written, as train's takeover says too
    (out / RUN_LOCK).write_text(f"{os.getppid()}\n")
    r = invoke("evaluate", out)
    assert "is an interrupted run's folder" in r.stderr and "is writing" not in r.stderr, r.stderr


def test_plot_of_a_first_run_before_its_first_checkpoint_says_a_train_is_writing_it(tmp_path):
    """A folder a train has just made holds only its lock: plot said "not a training run: no
    metrics.csv and no model.npz (a run folder is written by backprop train …)" while one ran."""
    pytest.importorskip("fcntl")
    out = tmp_path / "run"
    out.mkdir()
    holds = ("import fcntl, os, sys, time; fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT); "
             "fcntl.flock(fd, fcntl.LOCK_EX); os.write(fd, f'{os.getpid()}\\n'.encode()); print('locked', flush=True); "
             "time.sleep(60)")
    writer = subprocess.Popen([sys.executable, "-c", holds, str(out / RUN_LOCK)], stdout=subprocess.PIPE, text=True)
    try:
        assert writer.stdout.readline() == "locked\n"
        _one_error_line(invoke("plot", out), f"a backprop train (pid {writer.pid}) is writing this run and has "
                                             "saved no epochs yet")
    finally:
        writer.kill()
        writer.wait()
    _one_error_line(invoke("plot", out), "not a training run: no metrics.csv and no model.npz")


@pytest.mark.parametrize("kind", ["symlink", "dangling", "folder", "fifo"])
def test_a_lock_name_holding_no_lock_file_is_refused_and_never_followed(tmp_path, kind):
    """A .backprop-train.lock that was a symlink was opened through it: the file it pointed to was
    truncated and given the pid (exit 0, nothing said), and the link removed at the end. A folder or
    a FIFO there was 'cannot write into the folder: Is a directory' ('Invalid argument'). Each is
    refused (exit 2, one line naming the lock file, what it is and to remove it), nothing written."""
    if kind == "fifo" and not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs here")
    out = tmp_path / "run"
    out.mkdir()
    precious = tmp_path / "precious.txt"
    precious.write_text("precious\n")
    lock = out / RUN_LOCK
    if kind == "symlink":
        lock.symlink_to(precious)
        what = f"a symlink (to {precious}), not a lock file (train never writes through a link)"
    elif kind == "dangling":
        lock.symlink_to(tmp_path / "made-by-the-lock")
        what = f"a symlink (to {tmp_path / 'made-by-the-lock'}), not a lock file (train never writes through a link)"
    elif kind == "folder":
        lock.mkdir()
        what = "a folder, not a lock file"
    else:
        os.mkfifo(lock)
        what = "a FIFO (named pipe), not a lock file"
    r = invoke("train", "--epochs", "2", "--out", out, "--quiet")
    _one_error_line(r, f"--out {out}: {lock} is {what}: remove it (train makes its lock file there itself")
    assert precious.read_text() == "precious\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["precious.txt", "run"]  # no made-by-the-lock
    assert [p.name for p in out.iterdir()] == [RUN_LOCK] and (lock.is_symlink() or kind not in ("symlink", "dangling"))


def test_a_symlink_put_at_the_lock_name_after_the_check_is_not_followed(tmp_path, monkeypatch):
    """The name is opened without following a link (O_NOFOLLOW), and compared after locking with the
    name itself (lstat): a link put there between the check and the open is not written through."""
    from backprop_cli import runs

    if not runs._NOFOLLOW:
        pytest.skip("no O_NOFOLLOW here")
    out = tmp_path / "run"
    out.mkdir()
    precious = tmp_path / "precious.txt"
    precious.write_text("precious\n")
    (out / RUN_LOCK).symlink_to(precious)
    monkeypatch.setattr(runs, "_check_lock_name", lambda folder, path: None)  # as if the link came after it
    with pytest.raises(OSError):
        lock_run(out)
    assert precious.read_text() == "precious\n" and (out / RUN_LOCK).is_symlink()


def test_readers_of_a_run_folder_do_not_wait_on_a_fifo_at_the_lock_name(tmp_path):
    """evaluate, predict and plot look at the lock of a folder without model.npz: a FIFO there was
    opened to read, which waits for a writer, for ever. It is no lock: not opened, not waited on."""
    import threading

    from backprop_cli.runs import lock_holder

    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs here")
    out = tmp_path / "run"
    out.mkdir()
    os.mkfifo(out / RUN_LOCK)
    found: list[object] = []
    reader = threading.Thread(target=lambda: found.append(lock_holder(out)), daemon=True)
    reader.start()
    reader.join(5)
    if reader.is_alive():  # let it go (a writer's open ends the wait), then fail
        os.close(os.open(out / RUN_LOCK, os.O_WRONLY | os.O_NONBLOCK))
        reader.join(5)
        pytest.fail("lock_holder waited on the FIFO")
    assert found == [None]


@pytest.mark.parametrize("flock", [True, False], ids=["flock", "no-flock"])
def test_a_hard_link_at_the_lock_name_is_refused_not_written_through(tmp_path, monkeypatch, flock):
    """A .backprop-train.lock that is a hard link to another file was truncated and given the pid
    (exit 0): the other name's file lost its content. It is refused like a symlink, nothing written.
    Said as what it is, a file of 2 names: a lock a kill -9 left, given another by a backup (cp -al).
    Without flock the name's check alone refuses it (the O_EXCL way would take the name over)."""
    if not hasattr(os, "link"):
        pytest.skip("no hard links here")
    if not flock:
        monkeypatch.setitem(sys.modules, "fcntl", None)  # import fcntl: ImportError, as on Windows
    out = tmp_path / "hl"
    out.mkdir()
    precious = tmp_path / "p.txt"
    precious.write_text("precious\n")
    lock = out / RUN_LOCK
    os.link(precious, lock)
    r = invoke("train", "--epochs", "2", "--out", out, "--quiet")
    _one_error_line(r, f"--out {out}: {lock} has 2 names (a hard link: another name shares its content), not a "
                       "lock file (train never writes through a link): remove it (train makes its lock file there "
                       "itself")
    assert precious.read_text() == "precious\n" and [p.name for p in out.iterdir()] == [RUN_LOCK]


def test_a_hard_link_put_at_the_lock_name_after_the_check_is_not_written_through(tmp_path, monkeypatch):
    """The opened file's link count is looked at too: a hard link put there after the check is refused."""
    from backprop_cli import runs

    if not hasattr(os, "link"):
        pytest.skip("no hard links here")
    out = tmp_path / "hl"
    out.mkdir()
    precious = tmp_path / "p.txt"
    precious.write_text("precious\n")
    os.link(precious, out / RUN_LOCK)
    monkeypatch.setattr(runs, "_check_lock_name", lambda folder, path: None)  # as if the link came after it
    with pytest.raises(runs.ConfigError, match=r"has 2 names \(a hard link: another name shares its content\), "
                                               "not a lock file"):
        lock_run(out)
    assert precious.read_text() == "precious\n"


@pytest.mark.parametrize("flock", [True, False], ids=["flock", "no-flock"])
def test_the_lock_works_where_os_has_no_pread(tmp_path, monkeypatch, flock):
    """Windows has no os.pread: reading the pid in a lock file (lock_holder, for predict/evaluate/plot
    of a folder without model.npz, and train's lock where there is no flock) ended in AttributeError.
    Without it, the holder is still named, a busy folder refused naming it, a lock left behind taken
    over with its pid, and the new lock file holds this pid alone (the read leaves the offset at 0)."""
    from backprop_cli import runs
    from backprop_cli.runs import lock_holder

    monkeypatch.delattr(os, "pread", raising=False)
    if not flock:
        monkeypatch.setitem(sys.modules, "fcntl", None)  # import fcntl: ImportError, as on Windows
    out = tmp_path / "run"
    out.mkdir()
    alive = os.getppid()  # a process that runs, holding no flock
    (out / RUN_LOCK).write_text(f"{alive}\n")
    if not flock:
        assert lock_holder(out) == alive
        with pytest.raises(runs.RunBusyError, match=f"another backprop train \\(pid {alive}\\) is writing"):
            lock_run(out)
    (out / RUN_LOCK).write_text("4194000\n")  # no such process, no flock held: left by a run that ended
    assert lock_holder(out) is None
    held = lock_run(out)
    try:
        assert held.left_by == 4194000
        assert (out / RUN_LOCK).read_bytes() == f"{os.getpid()}\n".encode()
    finally:
        held.release()
    assert not (out / RUN_LOCK).exists()


@pytest.mark.parametrize("flock", [True, False], ids=["flock", "no-flock"])
def test_a_lock_file_that_cannot_be_written_leaves_no_lock_nor_the_folder_made_for_the_run(tmp_path, monkeypatch,
                                                                                           flock):
    """`(ulimit -f 0; backprop train --out u0)` said '--out u0: cannot write into the folder: File too
    large', no hint, and left u0/ made for the run holding an empty .backprop-train.lock. Both go (a
    folder that was there keeps the user's files), and the hint names the file size limit."""
    real_write = os.write

    def too_large(fd, data):
        if data == f"{os.getpid()}\n".encode():  # the lock's pid: the first byte the run writes
            raise OSError(errno.EFBIG, "File too large")
        return real_write(fd, data)

    if not flock:
        monkeypatch.setitem(sys.modules, "fcntl", None)  # import fcntl: ImportError, as on Windows
    monkeypatch.setattr(os, "write", too_large)
    r = invoke("train", "--epochs", "2", "--quiet", "--out", tmp_path / "u0" / "a")
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.txt").write_text("mine\n")
    kept = invoke("train", "--epochs", "2", "--quiet", "--out", tmp_path / "mine")
    monkeypatch.undo()
    for run, out in ((r, tmp_path / "u0" / "a"), (kept, tmp_path / "mine")):
        assert run.exit_code == 2 and run.stderr.splitlines() == [
            f"error: --out {out}: cannot write into the folder: File too large",
            "hint: allow larger files (ulimit -f) and run the same command again"], run.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine"]
    assert [p.name for p in (tmp_path / "mine").iterdir()] == ["notes.txt"]

def test_a_run_folder_hint_does_not_wait_on_a_fifo_for_metrics_or_config(tmp_path):
    """evaluate and predict of a folder without model.npz read its metrics.csv (a diverged run's last
    cost) and config.yaml (its learning rate) for the hint: a FIFO there was waited on for ever."""
    import threading

    from backprop_cli.runs import unfinished_run_hint

    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs here")
    out = tmp_path / "run"
    out.mkdir()
    for name in ("metrics.csv", "config.yaml"):
        os.mkfifo(out / name)
    found: list[object] = []
    reader = threading.Thread(target=lambda: found.append(unfinished_run_hint(out)), daemon=True)
    reader.start()
    reader.join(5)
    if reader.is_alive():
        for name in ("metrics.csv", "config.yaml"):
            try:
                os.close(os.open(out / name, os.O_WRONLY | os.O_NONBLOCK))
            except OSError:
                pass
        reader.join(5)
        pytest.fail("unfinished_run_hint waited on a FIFO")
    assert found == [None]


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


# --- SIGHUP: the terminal or ssh session went away ----------------------------------------------

@pytest.mark.parametrize("terminal", ["kept", "gone"])
def test_sighup_saves_a_checkpoint_and_exits_129(tmp_path, monkeypatch, terminal):
    """SIGHUP (a terminal closed, an ssh session dropped) killed train at once: exit 129, nothing
    said, the run's last periodic checkpoint up to a tenth of it behind. It stops as SIGTERM does:
    a checkpoint of where it stood, the resume command on stderr, exit 129; and with the terminal
    gone (writes fail with EIO after the signal), the save and the exit are the same."""
    from backprop_cli.commands import common

    previous = signal.signal(signal.SIGHUP, lambda *a: (_ for _ in ()).throw(SystemExit(99)))  # not the default kill
    hung = []
    real_to = common._write_to

    def write_to(stream, text, data):  # epoch 3's progress line: the terminal closes as it is written
        if not hung and text.startswith("epoch") and " 3/50 " in text:
            hung.append(text)
            os.kill(os.getpid(), signal.SIGHUP)
        if hung and terminal == "gone":
            raise OSError(errno.EIO, "Input/output error")
        return real_to(stream, text, data)

    monkeypatch.setattr(common, "_write_to", write_to)
    out = tmp_path / "run"
    try:  # the periodic checkpoints come at epochs 20, 40 and 50
        r = invoke("train", ROOT / "configs" / "xor.yaml", "--epochs", "50", "--checkpoint-every", "20", "--out", out,
                   "--quiet", "--set", "training.log_every=1")
    finally:
        signal.signal(signal.SIGHUP, previous)
    assert hung and r.exit_code == 129, (r.exit_code, r.output)
    assert not (out / RUN_LOCK).exists() and not (out / "model.npz").exists()
    with __import__("numpy").load(out / "checkpoint.npz", allow_pickle=False) as z:
        assert int(z["state_epoch"]) == 3  # where it stopped
    if terminal == "kept":
        lines = r.stderr.splitlines()
        assert len(lines) == 2 and lines[0].startswith("interrupted (") and lines[0].endswith(
            f"): SIGHUP received (its terminal or ssh session closed); checkpoint saved in {out / 'checkpoint.npz'}"), \
            r.stderr
        words = shlex.split(lines[1].removeprefix("resume with: "))
        assert words[0] == "backprop" and words[-1] == "--resume", lines[1]
        assert invoke(*words[1:]).exit_code == 0


# --- a run folder without model.npz: diverged or interrupted ------------------------------------

@pytest.mark.parametrize("checkpoint_every", [None, 5], ids=["no-checkpoint", "checkpoint"])
def test_a_diverged_runs_folder_is_told_from_an_interrupted_one(tmp_path, checkpoint_every):
    """predict on a diverged run's folder said 'an interrupted run's folder … finish the run with
    backprop train CONFIG --out DIR --resume', which diverges again (a resume keeps the learning
    rate). It says the run diverged, at which epoch, and gives the command, with the folder's
    own config and a tenth of its learning rate, that trains it again; that command works."""
    out = tmp_path / "div"
    every = [] if checkpoint_every is None else ["--checkpoint-every", str(checkpoint_every)]
    assert invoke("train", SINE, "--lr", "1", "--out", out, "-q", *every).exit_code == 1
    for args in (["predict", out, ROOT / "data" / "iris.csv"], ["evaluate", out]):
        r = invoke(*args)
        assert r.exit_code == 2, r.output
        hint = r.stderr.splitlines()[1]
        assert hint.startswith(f"hint: the run in {out} diverged at epoch 13 (metrics.csv's last train_cost is inf), "
                               "so it has no model"), hint
        assert ("its last good checkpoint is kept, but --resume would go on at the same learning rate and diverge "
                "again" in hint) == (checkpoint_every is not None), hint
        assert "interrupted" not in hint and "CONFIG" not in hint and "DIR" not in hint
    command = f"backprop train {out / 'config.yaml'} --lr 0.1 --out {out} --overwrite"
    assert hint.endswith(f"train it again with a smaller learning rate than 1: {command}"), hint
    r = invoke(*shlex.split(command)[1:], "-q")
    assert r.exit_code == 0 and (out / "model.npz").is_file(), r.output


def test_an_interrupted_runs_hint_names_its_own_config_and_folder(tmp_path, monkeypatch):
    """The hint said `backprop train CONFIG --out DIR --resume`; the folder's config.yaml is the
    run's config, and the command given resumes it."""
    from backprop_cli.commands import train

    out = tmp_path / "my run"
    calls = iter(range(10**6))
    monkeypatch.setattr(train._StopOnSignal, "requested", lambda self: next(calls) >= 20)
    assert invoke("train", ROOT / "configs" / "xor.yaml", "--epochs", "40", "--out", out, "-q").exit_code == 130
    monkeypatch.undo()
    for target in (out, out / "checkpoint.npz"):
        r = invoke("predict", target, ROOT / "data" / "iris.csv")
        hint = r.stderr.splitlines()[1]
        command = shlex.join(["backprop", "train", str(out / "config.yaml"), "--out", str(out), "--resume"])
        assert hint == (f"hint: {out} is an interrupted run's folder: it has a checkpoint but no model yet; finish "
                        f"the run with: {command}"), hint
    r = invoke(*shlex.split(command)[1:], "-q")
    assert r.exit_code == 0 and (out / "model.npz").is_file(), r.output


def test_under_nohup_sighup_stays_ignored(tmp_path, monkeypatch):
    """`nohup backprop train …` ignores SIGHUP so the run outlives the terminal: stopping on it
    there would undo what nohup is for. The run finishes (exit 0) and SIGHUP is still ignored."""
    from backprop_cli.commands import common

    previous = signal.signal(signal.SIGHUP, signal.SIG_IGN)
    real_to, hung = common._write_to, []

    def write_to(stream, text, data):
        if not hung and text.startswith("epoch") and " 3/20 " in text:
            hung.append(text)
            os.kill(os.getpid(), signal.SIGHUP)
        return real_to(stream, text, data)

    monkeypatch.setattr(common, "_write_to", write_to)
    try:
        r = invoke("train", ROOT / "configs" / "xor.yaml", "--epochs", "20", "--out", tmp_path / "run", "--quiet",
                   "--set", "training.log_every=1")
        assert signal.getsignal(signal.SIGHUP) == signal.SIG_IGN
    finally:
        signal.signal(signal.SIGHUP, previous)
    assert hung and r.exit_code == 0 and (tmp_path / "run" / "model.npz").is_file(), r.output
