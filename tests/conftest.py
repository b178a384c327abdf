import os
import stat
import sys
import tempfile
from pathlib import Path


def _private_pycache() -> str | None:
    """A bytecode cache of the tests' own, for where PYTHONDONTWRITEBYTECODE is set and
    PYTHONPYCACHEPREFIX is not. There every process compiled from source whatever had no bytecode
    beside it: each xdist worker rewrote the asserts of every test module (~4 s a worker: pytest
    keeps them only where it may write bytecode) and each `python -m backprop_cli` a test starts
    compiled the package (~0.15 s, some 70 a run). The bytecode goes instead to a folder of this
    user's under the temporary directory (sys.pycache_prefix; the workers and subprocesses get it
    as PYTHONPYCACHEPREFIX), never beside the sources; a changed source is compiled again as usual.
    None, and nothing changed, where that folder is not this user's alone."""
    if not sys.dont_write_bytecode or sys.pycache_prefix:
        return None
    uid = getattr(os, "getuid", lambda: None)()
    path = os.path.join(tempfile.gettempdir(), f"backprop-cli-tests-pycache-{uid}")
    try:
        os.makedirs(path, mode=0o700, exist_ok=True)
        st = os.lstat(path)
    except OSError:
        return None
    if not stat.S_ISDIR(st.st_mode) or st.st_mode & 0o077 or (uid is not None and st.st_uid != uid):
        return None
    return path


_PYCACHE = _private_pycache()
if _PYCACHE is not None:
    sys.pycache_prefix = os.environ["PYTHONPYCACHEPREFIX"] = _PYCACHE
    sys.dont_write_bytecode = False
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)  # the workers and subprocesses write to it too


def _memory_temp_root() -> str | None:
    """Where the tests' temporary folders go: /dev/shm (memory) where it has room. The suite writes
    some 5,000 files through model_io.atomic_write, each flushed to disk (os.fsync) before it is
    renamed into place; on our machine's ext4 that is 7.5 ms a file against 0.03 ms in memory, some
    15 s of a 78 s run (Dec 5, 2026, 2 cores). A flush's only effect is what survives a power cut,
    which no test can see. None, and the usual place kept, where TMPDIR or PYTEST_DEBUG_TEMPROOT
    says where, or /dev/shm is missing, not writable or has under 2 GiB free (a container's 64 MB
    one; a full run writes ~50 MB and pytest keeps the last three)."""
    if os.environ.get("TMPDIR") or os.environ.get("PYTEST_DEBUG_TEMPROOT"):
        return None
    path = "/dev/shm"
    try:
        free = os.statvfs(path)
    except (OSError, AttributeError):  # no /dev/shm, or no statvfs (Windows)
        return None
    if not os.path.isdir(path) or not os.access(path, os.W_OK | os.X_OK) or free.f_bavail * free.f_frsize < 2 * 2**30:
        return None
    return path


# The controller's choice reaches the xdist workers as their basetemp; the tests' own
# tempfile.mkdtemp() calls in each process follow it too. Subprocesses keep the usual TMPDIR.
tempfile.tempdir = _memory_temp_root() or tempfile.tempdir

import pytest  # noqa: E402
import typer.testing  # noqa: E402

# tests/reference.py (the independent scalar backprop) is imported as a plain module.
sys.path.insert(0, str(Path(__file__).parent))

# typer's CliRunner.invoke rebuilds the click command from the Typer app on every call (about
# 2.5 ms, some 2,300 times a run). The app is complete once imported and a click command keeps no
# state from one invocation to the next (each gets its own Context), so each app's command is
# built once per process and reused; tests that call typer.main.get_command themselves still get
# a fresh one.
_build_command = getattr(typer.testing, "_get_command", None)
_commands: dict[int, tuple[object, object]] = {}


def _get_command(app):
    if id(app) not in _commands:
        _commands[id(app)] = (app, _build_command(app))  # the app kept, so that its id stays its own
    return _commands[id(app)][1]


if _build_command is not None:  # typer 0.27-0.28's CliRunner looks it up here
    typer.testing._get_command = _get_command


def pytest_configure(config):
    # With `pytest -n N` (N ≥ 2) each worker's numpy would start one OpenBLAS thread per core: N
    # workers then ran 2N spinning threads on N cores, and a product could take 4x its time (a
    # 22 ms against 5 ms one was seen). The workers, started after this and with this environment,
    # run one BLAS thread each, unless OPENBLAS_NUM_THREADS is set already: the whole suite took
    # 62 s against 67-72 s (Dec 4, 2026, 2 cores). Plain `pytest` keeps OpenBLAS's own choice.
    workers = getattr(config.option, "numprocesses", None)  # xdist's -n, "auto" already a number here
    if isinstance(workers, int) and workers >= 2 and "OPENBLAS_NUM_THREADS" not in os.environ:
        os.environ["OPENBLAS_NUM_THREADS"] = "1"
    config.addinivalue_line("markers", "waits: spends its time waiting on subprocesses or a clock (a pipe left "
                                       "unread for 1.5 s, a run signalled at its third epoch); run first")


def pytest_collection_modifyitems(items):
    """Tests marked ``waits`` go first, the order of the rest kept: with ``pytest -n 2`` the two
    workers then end together, instead of one idling while the other waits out its last pipe."""
    items.sort(key=lambda item: item.get_closest_marker("waits") is None)


@pytest.fixture(params=["numpy", "fused"])
def update_path(request, monkeypatch):
    """Run a test with every layer's SGD update fused into its gradient product (one call to
    numpy's OpenBLAS, blas.py), or with numpy's product and subtraction, as where that OpenBLAS
    cannot be used (blas.subtract_product gives None)."""
    from backprop_cli import blas

    if request.param == "fused":
        if not blas.available():
            pytest.skip("numpy's bundled OpenBLAS is not available here: only the numpy path runs")
    else:
        monkeypatch.setattr(blas, "subtract_product", lambda c, a, b, scaled=False: None)
    return request.param


@pytest.fixture(params=["numpy", "blas"])
def optimizer_path(request, monkeypatch):
    """Run a test with momentum's and Adam's y ← α x + β y passes as OpenBLAS axpby calls
    (blas.axpby), or on numpy alone, as where that OpenBLAS cannot be used."""
    from backprop_cli import blas

    if request.param == "blas":
        if not blas.available():
            pytest.skip("numpy's bundled OpenBLAS is not available here: only the numpy path runs")
    else:
        monkeypatch.setattr(blas, "axpby", lambda x, y: None)
    return request.param


@pytest.fixture(params=["ones", "plain"])
def input_path(request, monkeypatch):
    """Run a test with the first layer of a gathered batch reading [x 1] (the ones column, as
    small first layers do), or a plain contiguous x with the bias apart (engine.PLAIN_INPUT_MIN_ELEMENTS = 0,
    as large first layers do)."""
    from backprop_cli import engine

    monkeypatch.setattr(engine, "PLAIN_INPUT_MIN_ELEMENTS", 0 if request.param == "plain" else 1 << 62)
    return request.param


@pytest.fixture(params=["ones copy", "ones", "plain"])
def gather_path(request, monkeypatch):
    """Run a trainer test with each way a mini-batch's inputs reach the first layer: rows of a
    copy [X 1] gathered whole (small first layers, small data), rows gathered and then copied
    in beside the ones column (training.ONES_COPY_MAX_BYTES exceeded), or a plain x gathered
    straight in (large first layers, engine.PLAIN_INPUT_MIN_ELEMENTS)."""
    from backprop_cli import engine, training

    monkeypatch.setattr(engine, "PLAIN_INPUT_MIN_ELEMENTS", 0 if request.param == "plain" else 1 << 62)
    monkeypatch.setattr(training, "ONES_COPY_MAX_BYTES", -1 if request.param == "ones" else 1 << 62)
    return request.param


@pytest.fixture
def backprop(monkeypatch, capsys):
    """The real entry point, in-process: ``backprop("train", "--epochs", "x")`` runs ``cli.main`` (where
    typer's usage errors become the one ``error:`` line and its hint; ``CliRunner(app)`` shows typer's
    own box) and returns (exit status, stdout, stderr)."""
    from backprop_cli import cli

    def run(*args):
        monkeypatch.setattr(sys, "argv", ["backprop", *map(str, args)])
        with pytest.raises(SystemExit) as info:
            cli.main()
        out = capsys.readouterr()
        return info.value.code, out.out, out.err

    return run
