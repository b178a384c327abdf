"""A training run's folder: checkpoints, per-epoch metrics, resuming.

``checkpoint.npz`` holds ``format_version``, ``kind`` = "checkpoint", the resolved
``config_yaml`` and the trainer's exact state (``Trainer.state_dict()``: weights,
optimizer state, epoch/batch position, the epoch's shuffled order, the RNG state,
early-stopping bookkeeping, the history), ``update_path`` ("OpenBLAS" or "numpy") and
``environment`` (``run_environment()``: numpy's version, the BLAS kernel asked for and the threads
it runs, the CPU), which ``--resume`` compares, noting a change, and ``cost_before_training`` (the
cost and rows of ``training.cost_before_training``, for the summary's warning after a resume). Plain
arrays only: it loads with
``allow_pickle=False``. Loading checks every array against the config and the trainer
(shapes, ranges, finite numbers) before anything is restored. Every file is written
atomically, so a crash or Ctrl-C at any moment leaves the previous good checkpoint readable.
"""

from __future__ import annotations

import json
import math
import os
import stat
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np

from .config import Config, shown_value
from .data import file_problem, read_data_digest
from .errors import BackpropError, ConfigError, DataError, ModelFileError
from .model_io import FORMAT_VERSION, atomic_write, atomic_write_text, read_npz, stored_config
from .names import shown
from .training import StateError, Trainer, check_position

CHECKPOINT = "checkpoint.npz"
# Fields that may differ between the checkpoint's config and a resuming run's config.
RESUMABLE_CHANGES = ("training.epochs", "training.log_every", "training.checkpoint_every")


def save_checkpoint(out_dir: Path, config: Config, state: dict[str, Any], data_digest: str | None = None,
                    config_yaml: str | None = None, before: tuple[float, int] | None = None) -> Path:
    """Write ``out_dir/checkpoint.npz`` atomically; return its path. ``data_digest``: the
    training data file's fingerprint (``data.data_digest``), which ``--resume`` compares;
    ``config_yaml``: ``config.to_yaml()`` when the caller has it (~5 ms a call); ``before``: the
    run's ``cost_before_training`` (cost, rows measured), kept for the resumed run's summary."""
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / CHECKPOINT
    arrays = {
        "format_version": np.array(FORMAT_VERSION),
        "kind": np.array("checkpoint"),
        "config_yaml": np.array(config.to_yaml() if config_yaml is None else config_yaml),
        **{f"state_{k}": v for k, v in state.items()},
    }
    if data_digest is not None:
        arrays["data_digest"] = np.array(data_digest, dtype=str)
    arrays["update_path"] = np.array(update_path())
    arrays["environment"] = np.array(json.dumps(run_environment()))
    if before is not None:
        arrays["cost_before_training"] = np.array([float(before[0]), float(before[1])])
    atomic_write(path, lambda f: np.savez(f, **arrays))
    return path


_ENVIRONMENT: dict[str, str] = {}


def run_environment() -> dict[str, str]:
    """What a run's last bits depend on besides its config and data, as text: numpy's version, the
    update path, the OpenBLAS kernel asked for (``OPENBLAS_CORETYPE`` in capitals, as OpenBLAS reads it
    in any case; "auto" when unset: the CPU's), the threads it runs with (``OPENBLAS_NUM_THREADS`` or
    ``OMP_NUM_THREADS``, at most one per core, else one per core) and the CPU. The same config and
    seed give bit-identical weights where all of these are the same; another kernel or thread count
    can change the last bits (~1e-15, float32 ~1e-6) of a matrix product's sums. Read once per process."""
    if not _ENVIRONMENT:
        env = os.environ
        asked = (env.get("OPENBLAS_NUM_THREADS") or env.get("OMP_NUM_THREADS") or "").strip()
        # the number OpenBLAS runs with: the one asked for, else one per core ("2" either way on 2 cores)
        cores = os.cpu_count() or 1  # OpenBLAS runs at most one thread per core, whatever is asked
        threads = str(min(int(asked), cores)) if asked.isdigit() and int(asked) > 0 else str(cores)
        coretype = (env.get("OPENBLAS_CORETYPE") or "").strip().upper() or "auto"  # OpenBLAS ignores its case
        _ENVIRONMENT.update({"numpy": np.__version__, "update path": update_path(), "OPENBLAS_CORETYPE": coretype,
                             "BLAS threads": threads, "CPU": _cpu_model()})
    return dict(_ENVIRONMENT)


def _cpu_model() -> str:
    """The CPU's model name (Linux's /proc/cpuinfo), else what ``platform`` says."""
    import platform

    try:
        with open("/proc/cpuinfo", encoding="utf-8", errors="replace") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine() or "unknown"


def checkpoint_record(path: Path) -> tuple[dict[str, str] | None, tuple[float, int] | None]:
    """A checkpoint's ``environment`` and ``cost_before_training`` (None where it was written before
    they were recorded, or cannot be read: ``load_checkpoint`` reports that)."""
    try:
        with np.load(path, allow_pickle=False) as z:
            env = z["environment"] if "environment" in z.files else None
            before = z["cost_before_training"] if "cost_before_training" in z.files else None
    except Exception:  # noqa: BLE001 - a damaged file is load_checkpoint's to report
        return None, None
    found_env = None
    if env is not None and env.shape == () and env.dtype.kind == "U":
        try:
            loaded = json.loads(str(env))
        except ValueError:
            loaded = None
        if isinstance(loaded, dict) and all(isinstance(v, str) for v in loaded.values()):
            found_env = loaded
    found_before = None
    if before is not None and before.shape == (2,) and before.dtype.kind == "f" and np.isfinite(before).all() \
            and before[1] >= 1:
        found_before = (float(before[0]), int(before[1]))
    return found_env, found_before


def environment_change(then: dict[str, str] | None, now: dict[str, str]) -> str | None:
    """``OPENBLAS_CORETYPE HASWELL → auto; BLAS threads 2 → 1``: what differs between a
    checkpoint's environment and this process's; None when nothing does or it was not recorded."""
    if then is None:
        return None
    then = dict(then)  # as run_environment writes them now (a checkpoint of an earlier version: 'Haswell', 'auto (2 cores)')
    if "OPENBLAS_CORETYPE" in then and then["OPENBLAS_CORETYPE"] != "auto":
        then["OPENBLAS_CORETYPE"] = then["OPENBLAS_CORETYPE"].upper()
    threads = then.get("BLAS threads", "")
    if threads.startswith("auto (") and threads.endswith(" cores)"):
        then["BLAS threads"] = threads[len("auto ("):-len(" cores)")]
    changed = [f"{k} {then.get(k, 'not recorded')} → {v}" for k, v in now.items() if then.get(k) != v]
    return "; ".join(changed) or None


def update_path() -> str:
    """Which updates train here: "OpenBLAS" (numpy's own, fused calls, blas.py) or "numpy"
    (``BACKPROP_CLI_NO_BLAS``, another BLAS). Both are exact to rounding, but their last bits can
    differ (L2 runs by ~1e-13), so a run resumed on the other path is not bit for bit a straight one."""
    from . import blas

    return "OpenBLAS" if blas.available() else "numpy"


def checkpoint_update_path(path: Path) -> str | None:
    """The ``update_path`` a checkpoint was written on; None for one written before it was
    recorded, or that cannot be read (``load_checkpoint`` reports that)."""
    try:
        with np.load(path, allow_pickle=False) as z:
            if "update_path" not in z.files:
                return None
            a = z["update_path"]
    except Exception:  # noqa: BLE001 - a damaged file is load_checkpoint's to report
        return None
    return str(a) if a.shape == () and a.dtype.kind == "U" else None


def checkpoint_stopped_early(path: Path) -> int | None:
    """The epoch early stopping ended a run at, as its checkpoint says (a resume of it has nothing to
    train, whatever --epochs); None where it did not, or the checkpoint cannot be read (``load_checkpoint``
    reports that)."""
    try:
        with np.load(path, allow_pickle=False) as z:
            if "state_stopped_early" not in z.files or "state_epoch" not in z.files:
                return None
            stopped, epoch = z["state_stopped_early"], z["state_epoch"]
    except Exception:  # noqa: BLE001 - a damaged file is load_checkpoint's to report
        return None
    if stopped.shape != () or stopped.dtype.kind != "b" or not bool(stopped):
        return None
    return int(epoch) if epoch.shape == () and epoch.dtype.kind in "iu" and int(epoch) >= 1 else None


def load_checkpoint(path: Path) -> tuple[Config, dict[str, Any], str | None]:
    """(the checkpoint's config, the trainer state, the data's fingerprint or None) from
    ``path``; one-line errors."""
    problem = file_problem(path)
    if problem == "no such file":
        if (path.parent / "model.npz").is_file():  # a finished run keeps its checkpoint: this one was removed
            raise ModelFileError(f"{path}: no checkpoint to resume from: {path.parent} holds a finished run's "
                                 "model.npz, but its checkpoint.npz (which a finished run keeps) is gone, so "
                                 "the run cannot be continued",
                                 "start a new run with --epochs as many as wanted, in another --out folder or "
                                 "with --overwrite")
        raise ModelFileError(f"{path}: no checkpoint to resume from", "train once with --out first")
    if problem is not None:
        raise ModelFileError(f"{path}: {problem.replace('a data file', 'a checkpoint .npz file')}")
    arrays = read_npz(path, "checkpoint")
    kind = arrays.get("kind")
    if kind is None or kind.shape != () or kind.dtype.kind != "U" or str(kind) != "checkpoint":
        raise ModelFileError(f"{path}: not a backprop-cli checkpoint")
    config = stored_config(arrays, path, "checkpoint")
    state = {k[len("state_"):]: v for k, v in arrays.items() if k.startswith("state_")}
    try:
        epoch, _ = check_position(state)  # what --resume reads before the trainer exists (epochs left)
        if epoch > config.training.epochs:  # a run never finishes more epochs than its config asks
            # (1e9 was told 'pass --epochs 1000000000 or more', which training.epochs' limit refuses)
            raise StateError("epoch", f"is {epoch}; expected at most {config.training.epochs}, the epochs of the "
                                      "checkpoint's own config (training.epochs): the file is damaged")
    except StateError as e:
        raise _damaged(path, e) from None
    digest = arrays.get("data_digest")
    if digest is None:
        return config, state, None
    if digest.shape != () or digest.dtype.kind != "U":
        raise ModelFileError(f"{path}: array 'data_digest' is not text; the file is damaged")
    read = read_data_digest(str(digest))
    if read is None:  # it was said to be data changed since the run started
        raise ModelFileError(f"{path}: array 'data_digest' is {shown(str(digest))}, not a data file's fingerprint "
                             "(32 hex digits); the file is damaged")
    return config, state, read


def check_same_data(stored: str | None, current: str | None, source: str, what: str, path: Path,
                    hint: str, now: str = "") -> None:
    """The data a run or model was trained on must be the data read now (same fingerprint);
    nothing to compare when either has none (a built-in generator, a file from before Dec 2026).
    ``now``: what the data is now, after "the file has changed since".

    Raises:
        DataError: naming ``path`` (the model or checkpoint), ``what`` it cannot do, and the data.
    """
    if stored is not None and current is not None and stored != current:
        raise DataError(f"{path}: {what}: the data in {source} are not the ones it was trained on "
                        f"(the file has changed since{now})", hint)


def trained_on(stored: str | None, sizes: Iterable[int], what: str, path: Path, hint: str) -> Any:
    """``prepare``'s ``trained_on`` for a trained network (a model's, a checkpoint's) and its data's stored
    fingerprint: where network.layers does not fit the data read, data changed since training is said to be
    that (``check_same_data``, with the data's shape now), not 'network.layers[-1]: 3 does not match the data
    …; use layers: [4, …, 2]', which a trained network cannot follow. None where nothing is stored."""
    if stored is None:
        return None
    network = "-".join(map(str, sizes))

    def check(digest: str, ds: Any) -> None:
        now = (f": it now has {ds.n_inputs} {'input' if ds.n_inputs == 1 else 'inputs'} and {ds.n_outputs} "
               f"{'output' if ds.n_outputs == 1 else 'outputs'}, the network {network}")
        check_same_data(stored, digest, ds.source, what, path, hint, now)

    return check


def restore(trainer: Trainer, state: dict[str, Any], path: Path) -> None:
    """``trainer.load_state_dict(state)`` from the checkpoint ``path``: a state that does not fit
    the trainer (shapes, ranges, non-finite numbers) is a one-line ModelFileError naming the
    file and the array, and the trainer is left unchanged."""
    try:
        trainer.load_state_dict(state)
    except StateError as e:
        raise _damaged(path, e) from None


def _damaged(path: Path, e: StateError) -> ModelFileError:
    return ModelFileError(f"{path}: array 'state_{e.key}' {e.problem}")


def check_resumable(saved: Config, current: Config, path: Path, by_content: bool = False) -> None:
    """A run resumes only with the same config (``RESUMABLE_CHANGES``: training.epochs, log_every
    and checkpoint_every may change). Compared resolved, the built-in generator's defaults filled
    in: ``config show``'s output (``noise: 0.0`` where the file has none) is the same config.
    ``by_content``: the checkpoint holds its data file's fingerprint, compared after this
    (``check_same_data``), so ``data.path`` may differ: a run copied to another clone or machine,
    whose stored path is the absolute one of where it started, resumes with the same numbers."""
    from .scaffold import resolved_dict

    a, b = resolved_dict(saved), resolved_dict(current)
    diffs = [k for k in _diff(a, b) if k not in RESUMABLE_CHANGES and not (by_content and k == "data.path")]
    if diffs:
        shown = ", ".join(f"{k} (checkpoint {shown_value(_at(a, k))}, now {shown_value(_at(b, k))})" for k in diffs[:3])
        more = f" and {len(diffs) - 3} more" if len(diffs) > 3 else ""
        raise ConfigError(
            f"{path}: cannot resume: the config differs from the checkpoint's in {shown}{more}",
            "resume with the config and options the run started with (only training.epochs, log_every and "
            "checkpoint_every may change; "
            "the command printed at Ctrl-C repeats them), or start a new run",
        )


def _at(d: Any, dotted: str) -> Any:
    for part in dotted.split("."):
        d = d.get(part) if isinstance(d, dict) else None
    return d


def _diff(a: Any, b: Any, prefix: str = "") -> Iterable[str]:
    if isinstance(a, dict) and isinstance(b, dict):
        for k in sorted(set(a) | set(b), key=str):
            yield from _diff(a.get(k), b.get(k), f"{prefix}{k}.")
    elif a != b:
        yield prefix.rstrip(".")


def metrics_jsonl(history: Iterable[Any]) -> str:
    """One JSON object per epoch (``EpochStats`` fields; null where a figure does not apply)."""
    lines = [metrics_jsonl_row(s) for s in history]
    return "\n".join(lines) + ("\n" if lines else "")


def metrics_jsonl_row(s: Any) -> str:
    """One epoch's ``metrics.jsonl`` line (no newline): a figure that does not apply (NaN) or is
    not finite (an infinite test cost) is null, as JSON has no NaN or Infinity."""
    return json.dumps({k: (None if isinstance(v, float) and not math.isfinite(v) else v)
                       for k, v in s._asdict().items()})


class MetricsWriter:
    """``metrics.csv`` and ``metrics.jsonl`` of a run in progress, each rewritten whole and
    atomically at every checkpoint, with every epoch's lines rendered once: rendering the whole
    history at each checkpoint made ``--checkpoint-every 1`` quadratic in the epochs (iris,
    1,000 epochs: ~17 s against ~1 s without checkpoints)."""

    def __init__(self) -> None:
        self._seen: list[Any] = []  # the EpochStats rendered so far, in order
        self._csv: list[str] = []
        self._jsonl: list[str] = []

    def write(self, out_dir: Path, history: Iterable[Any]) -> None:
        from .model_io import METRICS_COLUMNS, metrics_csv_row

        history = list(history)
        n = len(self._seen)
        if len(history) < n or (n and history[n - 1] is not self._seen[-1]):  # not the history it began
            self._seen, self._csv, self._jsonl = [], [], []
            n = 0
        for s in history[n:]:
            self._seen.append(s)
            self._csv.append(metrics_csv_row(s))
            self._jsonl.append(metrics_jsonl_row(s))
        atomic_write_text(out_dir / "metrics.csv", "\n".join([",".join(METRICS_COLUMNS), *self._csv]) + "\n")
        atomic_write_text(out_dir / "metrics.jsonl", "".join(line + "\n" for line in self._jsonl))


# The pictures ``backprop plot`` draws into a run's folder. A folder describes one run: ``train --out``
# refuses a folder holding them (alone, they are an earlier run's), and ``--overwrite`` removes them with
# the run's files (``clear_run``, whose list of run files is the one commands/train.py's RUN_FILES
# checks before training) before a new run starts.
RUN_PICTURES = ("loss.png", "boundary.png")


def clear_run(out_dir: Path) -> list[str]:
    """Remove a previous run's files (and its pictures) from ``out_dir``; return their names.

    Called by ``train --overwrite`` once the new run's config is valid and training is about to
    start, so the folder never mixes two runs' files, whether the new run finishes, diverges or
    is interrupted. Other files in the folder are left alone; for a run file that is a symlink,
    the file it points to is removed and the link kept (atomic writes go through it). The
    checkpoint and the pictures go first and the model last, so a crash part-way leaves only the
    old run's files, never a checkpoint that ``--resume`` would continue beside a mismatched model.
    """
    removed = []
    for name in (CHECKPOINT, *RUN_PICTURES, "metrics.jsonl", "metrics.csv", "config.yaml", "model.npz"):
        path = out_dir / name
        if path.is_symlink():  # the run's file is the link's target: it goes, the link stays
            path = Path(os.path.realpath(path))  # (the new run writes through it again)
        if path.is_dir():  # a folder so named is no run's file (train refuses one in a file's place before)
            continue
        try:
            path.unlink()
        except FileNotFoundError:
            continue
        removed.append(name)
    return removed


#: The files ``train`` writes into a run folder (atomically: ``model_io.atomic_write``'s temporaries are named
#: ``.checkpoint.npz.k2j4x_9a.tmp``, ``mkstemp``'s 8 characters between the name and ``.tmp``).
_TRAIN_WRITES = (CHECKPOINT, "model.npz", "metrics.csv", "metrics.jsonl", "config.yaml")


def remove_stale_temporaries(out_dir: Path) -> list[str]:
    """Remove the temporary files a ``train`` killed while writing (``kill -9``, a power cut) left in
    ``out_dir``, and return their names: only regular files named as ``atomic_write`` names those of a
    run's own files (``.checkpoint.npz.XXXXXXXX.tmp``), never a link or any other file. For a run that
    holds the folder's lock (``lock_run``), so no other ``train`` is writing them. ``--overwrite`` said it
    removed the previous run's files and left them; ``--resume`` too."""
    import re

    own = re.compile(r"\.(?:" + "|".join(map(re.escape, _TRAIN_WRITES)) + r")\.[a-z0-9_]{8}\.tmp")
    removed = []
    try:
        names = sorted(os.listdir(out_dir))
    except OSError:
        return []
    for name in names:
        if not own.fullmatch(name):
            continue
        path = out_dir / name
        try:
            if not stat.S_ISREG(path.lstat().st_mode):
                continue
            path.unlink()
        except OSError:  # gone meanwhile, or not ours to remove: left as it is
            continue
        removed.append(name)
    return removed


def config_differences(a: Config, b: Config) -> list[tuple[str, Any, Any]]:
    """(field, value in ``a``, value in ``b``) for each dotted config field where two configs of
    what should be one run differ; the fields a resumed run may change are left out."""
    da, db = a.to_dict(), b.to_dict()
    return [(k, _at(da, k), _at(db, k)) for k in _diff(da, db) if k not in RESUMABLE_CHANGES]


# --- one writer at a time ----------------------------------------------------------------------

#: The lock file ``train --out DIR`` holds in DIR while it writes the run (removed when it ends).
#: Hidden, and no run file: ``--overwrite`` leaves it, ``--out``'s "previous run" check ignores it.
RUN_LOCK = ".backprop-train.lock"


class RunBusyError(BackpropError):
    """Another ``backprop train`` is writing the run folder (exit 2)."""


class RunLock:
    """The folder's lock, held by this process: ``release()`` removes the file, then lets it go.

    With ``fcntl`` (every POSIX system) the file is locked with ``flock``, which the system
    releases when the process ends however it ends (``kill -9``, a crash): a lock file left
    behind then holds no lock, and the next run takes it over (``left_by``: the pid in it). The
    name is checked to still be the locked file after locking (a holder that just removed it
    leaves its old file to whoever opened it before), so two runs never both hold it. Where
    there is no ``flock`` (Windows, a file system without locks) the file is created with
    O_CREAT|O_EXCL and a file whose pid is no longer running is taken over."""

    def __init__(self, path: Path, fd: int | None, left_by: int | None) -> None:
        self.path, self._fd, self.left_by = path, fd, left_by

    def release(self) -> None:
        if self._fd is None and not self.path.exists():
            return
        try:
            os.unlink(self.path)  # while still locked: nobody can take the file on its way out
        except OSError:
            pass
        if self._fd is not None:
            fd, self._fd = self._fd, None
            try:
                os.close(fd)
            except OSError:
                pass


def lock_run(folder: Path) -> RunLock:
    """Lock the run ``folder`` (which exists) for this process's ``train``.

    Raises:
        RunBusyError: another process holds it, naming its pid when the file says it.
        ConfigError: the lock's name holds a symlink (never followed), a hard link (a file of several names),
            a folder, a FIFO, a device or a socket (``_check_lock_name``).
        OSError: the lock file cannot be made (a read-only folder: the caller checked before).
    """
    path = folder / RUN_LOCK
    _check_lock_name(folder, path)
    try:
        import fcntl
    except ImportError:  # no flock: O_EXCL and the pid
        return _lock_exclusive(path)
    for _ in range(100):  # another round only when the file was replaced between open and lock
        try:  # never through a symlink (its target would get the pid, then lose it), never waiting on a FIFO
            fd = os.open(path, os.O_RDWR | os.O_CREAT | _NOFOLLOW | _NONBLOCK, 0o644)
        except OSError:
            _check_lock_name(folder, path)  # one put there since the check above: said as such
            raise
        opened = os.fstat(fd)
        if not stat.S_ISREG(opened.st_mode) or opened.st_nlink > 1:  # (a FIFO or hard link put there since)
            os.close(fd)
            _check_lock_name(folder, path)
            if stat.S_ISREG(opened.st_mode):
                raise _not_a_lock(folder, path, _names(opened.st_nlink), _NO_LINK)
            raise _not_a_lock(folder, path, "is not a regular file")
        try:
            for wait in (0.05, 0.1, 0.2, None):  # a reader's look at the lock (lock_holder) holds it for an instant
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if wait is None:
                        raise
                    time.sleep(wait)
        except BlockingIOError:
            holder = _pid_in(fd)
            os.close(fd)
            raise _busy(folder, holder) from None
        except OSError:  # ENOLCK, EOPNOTSUPP: a file system without locks (some network shares)
            os.close(fd)
            try:
                os.unlink(path)  # made here, empty: the O_EXCL way makes its own
            except OSError:
                pass
            return _lock_exclusive(path)
        try:  # the name itself (lstat): a symlink put in its place is not the file locked
            here, ours = os.lstat(path), os.fstat(fd)
            same = (here.st_dev, here.st_ino) == (ours.st_dev, ours.st_ino)
        except FileNotFoundError:
            same = False
        if not same:  # its holder removed it as we opened it: lock the name's new file
            os.close(fd)
            continue
        left_by = _pid_in(fd)  # a pid in a file nobody locked: a run that ended without removing it
        try:
            os.ftruncate(fd, 0)
            os.write(fd, f"{os.getpid()}\n".encode())
        except OSError:  # `ulimit -f 0`, a full disk: no lock file is left behind (nor the folder made for it)
            RunLock(path, fd, left_by).release()
            raise
        return RunLock(path, fd, left_by)
    raise _busy(folder, None)


_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)  # (not on Windows, where a link is no plain file to open anyway)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)  # a FIFO opens without waiting for a writer (refused after)


def _check_lock_name(folder: Path, path: Path) -> None:
    """Refuse a lock name that holds something other than a regular file (the lock file of a run
    that ended, or none): a symlink, which would be followed (its target truncated and given the pid,
    the link removed at the end), a hard link (a regular file with more than one name, whose content
    under every name would be truncated and given the pid too), a folder, a FIFO, a device or a socket.
    Without flock it is all that refuses a hard link (``_lock_exclusive`` takes a name that is there
    over); with flock, the opened file's link count is looked at again.

    Raises:
        ConfigError: naming the lock file, what it is, and that it is to be removed.
    """
    try:
        st = os.lstat(path)
    except OSError:  # none yet (the usual), or the open will say why not
        return
    mode = st.st_mode
    if stat.S_ISREG(mode):
        if st.st_nlink > 1:  # the other names' file would be truncated and given the pid
            raise _not_a_lock(folder, path, _names(st.st_nlink), _NO_LINK)
        return
    if stat.S_ISLNK(mode):
        try:
            to = os.readlink(path)
        except OSError:
            to = "?"
        raise _not_a_lock(folder, path, f"is a symlink (to {to})", _NO_LINK)
    from .wording import NOT_REGULAR

    kind = next((what for test, what in NOT_REGULAR if test(mode)), "not a regular file")
    raise _not_a_lock(folder, path, f"is {kind}")


_NO_LINK = " (train never writes through a link)"


def _names(links: int) -> str:
    """A lock file with ``links`` names: a hard link, say one a backup gave a lock a run killed with
    kill -9 left (``cp -al``, ``rsync --link-dest``), which writing it would change under every name."""
    return f"has {links} names (a hard link: another name shares its content)"


def _not_a_lock(folder: Path, path: Path, what: str, refusing: str = "") -> ConfigError:
    """``what``: what ``path`` is or has ("is a folder", "has 2 names (…)")."""
    return ConfigError(f"--out {folder}: {path} {what}, not a lock file{refusing}: remove it (train makes its "
                       "lock file there itself while it writes the run, and removes it when the run ends)")


def _lock_exclusive(path: Path) -> RunLock:
    left_by = None
    for _ in range(2):
        try:  # (O_EXCL never follows a symlink: the name is taken)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW, 0o644)
        except FileExistsError:
            holder = lock_holder(path.parent)
            if holder is not None or left_by is not None:
                raise _busy(path.parent, holder, f"if it is no longer running, remove {path}") from None
            left_by = _pid_in_file(path)
            try:
                os.unlink(path)  # its pid is no longer running: taken over
            except FileNotFoundError:
                pass
            continue
        try:
            os.write(fd, f"{os.getpid()}\n".encode())
        except OSError:  # `ulimit -f 0`, a full disk: no lock file is left behind (nor the folder made for it)
            os.close(fd)
            RunLock(path, None, left_by).release()
            raise
        os.close(fd)
        return RunLock(path, None, left_by)
    raise _busy(path.parent, None)


def _busy(folder: Path, pid: int | None, hint: str | None = None) -> RunBusyError:
    who = "another backprop train" + (f" (pid {pid})" if pid is not None else "")
    return RunBusyError(f"--out {folder}: {who} is writing this run folder; wait for it to end, or train "
                        "into another --out folder", hint)


def _pid_in(fd: int) -> int | None:
    """The pid at the start of the open lock file ``fd``; its offset is left where it was (the
    lock's owner writes its own pid at 0 after this)."""
    try:
        text = _read_head(fd, 64).decode("ascii", "replace")
    except OSError:
        return None
    return _pid_of(text)


def _read_head(fd: int, size: int) -> bytes:
    """The first ``size`` bytes of the file ``fd``: ``os.pread`` where there is one, else (Windows)
    a seek to 0, a read and a seek back, which leaves the offset as pread does."""
    if hasattr(os, "pread"):
        return os.pread(fd, size, 0)
    at = os.lseek(fd, 0, os.SEEK_CUR)
    os.lseek(fd, 0, os.SEEK_SET)
    try:
        return os.read(fd, size)
    finally:
        os.lseek(fd, at, os.SEEK_SET)


def _pid_in_file(path: Path) -> int | None:
    fd = _open_lock(path)
    if fd is None:
        return None
    try:
        return _pid_in(fd)
    finally:
        os.close(fd)


def _open_lock(path: Path) -> int | None:
    """The lock file ``path`` opened to read, when it is a regular file (not through a symlink, not a
    FIFO, which would wait for a writer); None otherwise."""
    try:
        fd = os.open(path, os.O_RDONLY | _NOFOLLOW | _NONBLOCK)
    except OSError:
        return None
    try:
        regular = stat.S_ISREG(os.fstat(fd).st_mode)
    except OSError:
        regular = False
    if not regular:
        os.close(fd)
        return None
    return fd


def _pid_of(text: str) -> int | None:
    word = text.strip()
    return int(word) if word.isdigit() and 0 < int(word) < 2**31 else None


def lock_holder(folder: Path) -> int | None:
    """The pid of the ``backprop train`` writing ``folder`` now, as its lock file says and the
    process still runs; None when none is (no lock file, or one left by a run that ended). For
    the commands that read a run folder, which never wait for the lock."""
    pid = _pid_in_file(folder / RUN_LOCK)
    if pid is None or pid == os.getpid():
        return None
    held = _flock_held(folder / RUN_LOCK)
    if held is not None:  # the lock itself says: a pid alive again (reused after a reboot, in a container) is not a run
        return pid if held else None
    if os.name == "nt":  # os.kill would end the process there: taken as running
        return pid
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return None
    except PermissionError:  # another user's process: running
        return pid
    except OSError:
        return None
    return pid


def _flock_held(path: Path) -> bool | None:
    """Whether a process holds ``path``'s flock now (a shared lock taken and let go at once cannot
    be had); None where flock cannot tell (no fcntl, no such file, a file system without locks)."""
    try:
        import fcntl
    except ImportError:
        return None
    fd = _open_lock(path)
    if fd is None:
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    except OSError:
        return None
    finally:
        os.close(fd)  # (closing lets a shared lock go)
    return False


def unfinished_run_hint(folder: Path) -> str | None:
    """What a run folder without ``model.npz`` is and what to do with it, for the commands that
    read a model (``predict``, ``evaluate``, ``plot``'s model): a run being trained now (its lock
    is held), a run that diverged (its metrics' last training cost is ``inf`` or ``nan``:
    resuming would diverge again, as ``--resume`` keeps the learning rate), or an interrupted run
    (a checkpoint), with the folder's own paths. None when it is none of these."""
    import shlex

    q = shlex.quote
    if (pid := lock_holder(folder)) is not None:
        return f"a backprop train (pid {pid}) is writing the run in {folder} now; its model.npz comes when it ends"
    config = folder / "config.yaml"
    diverged = _diverged_epoch(folder / "metrics.csv")
    if diverged is not None:
        epoch, cost = diverged
        lr = _learning_rate(config)
        from .training import smaller_rate

        smaller = f"--lr {smaller_rate(lr):g}" if lr is not None else "a smaller --lr"
        kept = ("; its last good checkpoint is kept, but --resume would go on at the same learning rate and "
                "diverge again") if (folder / CHECKPOINT).is_file() else ""
        if config.is_file():
            how = f"backprop train {q(str(config))} {smaller} --out {q(str(folder))} --overwrite"
        else:
            how = f"backprop train CONFIG {smaller} --out {q(str(folder))} --overwrite"
        rate = f" than {lr:g}" if lr is not None else ""
        return (f"the run in {folder} diverged at epoch {epoch:,} (metrics.csv's last train_cost is {cost}), "
                f"so it has no model{kept}; train it again with a smaller learning rate{rate}: {how}")
    if (folder / CHECKPOINT).is_file():
        named = q(str(config)) if config.is_file() else "CONFIG"
        return (f"{folder} is an interrupted run's folder: it has a checkpoint but no model yet; finish the run with: "
                f"backprop train {named} --out {q(str(folder))} --resume")
    return None


def _diverged_epoch(path: Path) -> tuple[int, str] | None:
    """(the epoch, the train_cost as written) of ``metrics.csv``'s last row when that cost is not
    finite (a diverged run's); None otherwise (a FIFO there too: it is not waited on)."""
    if not path.is_file():
        return None
    try:
        with open(path, encoding="utf-8") as f:
            lines = [line for line in f.read().splitlines() if line.strip()]
    except (OSError, UnicodeDecodeError):
        return None
    if len(lines) < 2:
        return None
    head, last = lines[0].split(","), lines[-1].split(",")
    try:
        written = last[head.index("train_cost")].strip()
        cost, epoch = float(written), int(last[head.index("epoch")])
    except (ValueError, IndexError):
        return None
    return None if math.isfinite(cost) else (epoch, written)


def _training_entry(config: Path, name: str) -> Any:
    """``training.<name>`` in a run's resolved ``config.yaml`` as written; None where it cannot be read."""
    import yaml

    if not config.is_file():  # (a FIFO is not waited on)
        return None
    try:
        return yaml.safe_load(config.read_text(encoding="utf-8"))["training"][name]
    except Exception:  # noqa: BLE001 - only a hint's number: none then
        return None


def _learning_rate(config: Path) -> float | None:
    """``training.learning_rate`` in a run's resolved ``config.yaml``; None where it cannot be read."""
    try:
        lr = float(_training_entry(config, "learning_rate"))
    except (TypeError, ValueError):
        return None
    return lr if math.isfinite(lr) and lr > 0 else None


def run_epochs(config: Path) -> int | None:
    """``training.epochs`` in a run's resolved ``config.yaml`` (the epochs it was last asked for), for a
    hint's ``--epochs N, N above the run's 300``; None where it cannot be read or is no whole number."""
    epochs = _training_entry(config, "epochs")
    return epochs if isinstance(epochs, int) and not isinstance(epochs, bool) and epochs > 0 else None
