"""Property tests of the CLI's input boundary: whatever YAML or CSV bytes a user has, the
command line gives a clean result or one clean error, never a traceback.

- Random YAML documents (nested dicts/lists/scalars dumped with ``yaml.safe_dump``, configs
  built from the real schema's keys with random values, and plain random text) are fed to
  ``backprop config validate``.
- Random CSV files (random cells, separators, line endings, byte-order marks, and plain random
  bytes) are trained on with ``backprop train --epochs 1`` through a config pointing at them,
  and given to ``backprop predict``.
- The CSV loader parses rows in blocks into a preallocated array: random valid tables load to
  exactly their numbers whatever the block size, and even when the file has more rows than the
  first pass counted.

Every run must end with exit 0, or 2 with one ``error:`` line (plus at most one ``hint:``
line) on stderr; 1 only when training diverged. The machine's memory is fixed at 256 MiB
(``experiment.machine_memory``) so a random ``data.n_samples`` is refused quickly instead of
being generated.
"""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

import numpy as np
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from backprop_cli import data, experiment
from backprop_cli.cli import app
from backprop_cli.config import DataConfig, NetworkConfig, TrainingConfig

runner = CliRunner()
FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.fixture(scope="module", autouse=True)
def small_machine():
    saved = experiment.machine_memory
    experiment.machine_memory = lambda: (256 * 2**20, "this machine's 256.0 MiB")
    yield
    experiment.machine_memory = saved


@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    return tmp_path_factory.mktemp("properties")


def assert_clean(result, allow_diverged: bool = False, several: bool = False) -> None:
    """Exit 0; or 2 with one error line and at most one hint; 1 only for divergence. ``several``: 2 with
    one or more error lines, each followed by at most one hint (``config validate``'s every field error)."""
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    code = result.exit_code
    if code == 0:
        return
    lines = result.stderr.splitlines()
    if code == 1 and allow_diverged:
        assert any(line.startswith("error: training diverged") for line in lines), result.stderr
        return
    assert code == 2, (code, result.output)
    if several:
        assert lines and lines[0].startswith("error: "), result.stderr
        assert all(line.startswith("error: ") or line.startswith("hint: ") and lines[i - 1].startswith("error: ")
                   for i, line in enumerate(lines)), result.stderr
        return
    assert 1 <= len(lines) <= 2 and lines[0].startswith("error: "), result.stderr
    assert len(lines) == 1 or lines[1].startswith("hint: "), result.stderr


# --- YAML ----------------------------------------------------------------------------------

SECTION_KEYS = {section: [f.name for f in fields(cls)] for section, cls in
                (("data", DataConfig), ("network", NetworkConfig), ("training", TrainingConfig))}
words = st.sampled_from(["xor", "circles", "sine", "spirals", "moons", "relu", "tanh", "sigmoid",
                         "softmax", "linear", "adam", "sgd", "momentum", "full", "cross_entropy",
                         "squared_error", "float32", "auto", "regression", "yes", "no", "data.csv"])
scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-5, 400), st.sampled_from([0, 1, 2, 10**12, 2**63, -(10**30)]),
    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=12), words,
)
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4)
                      | st.dictionaries(st.text(max_size=8) | words, inner, max_size=3), max_leaves=8)
layers = st.lists(st.one_of(st.integers(-1, 40), scalars), min_size=0, max_size=4)


@st.composite
def schema_configs(draw):
    """A config from the real sections and keys, each with a random (often wrong) value."""
    doc = {}
    for section, keys in SECTION_KEYS.items():
        if draw(st.booleans()):
            chosen = draw(st.lists(st.sampled_from(keys), max_size=4, unique=True))
            doc[section] = {k: draw(layers if k == "layers" else values) for k in chosen}
    for key in ("seed", "cost"):
        if draw(st.booleans()):
            doc[key] = draw(values)
    if draw(st.booleans()):
        doc[draw(st.text(max_size=8))] = draw(values)
    return doc


documents = st.one_of(
    schema_configs().map(lambda d: yaml.safe_dump(d, allow_unicode=True)),
    values.map(lambda v: yaml.safe_dump(v, allow_unicode=True)),
    st.text(max_size=200),
    st.text(alphabet=" \t\n-:[]{},'\"#&*!|>%@`?0123456789.eEaxyz", max_size=120),
)


@FAST
@given(text=documents)
def test_any_yaml_document_gives_a_clean_result_or_one_clean_error(workdir, text):
    path = workdir / "random.yaml"
    path.write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["config", "validate", str(path)])
    assert_clean(result, several=True)
    if result.exit_code == 0:
        assert result.stdout.startswith(f"{path}: valid (")
    # the config read as train reads it (config show): one clean error, which validate lists too
    shown = runner.invoke(app, ["config", "show", str(path)])
    assert_clean(shown)
    if shown.exit_code != 0:
        assert result.exit_code == 2 and shown.stderr.splitlines()[0] in result.stderr.splitlines(), result.stderr


# --- CSV -----------------------------------------------------------------------------------

cells = st.one_of(
    st.sampled_from(["0", "1", "2", "0.5", "-3.25", "1e3", "1e400", "nan", "inf", "", " ", "x",
                     "cat", "1,5", '"q"', '"a,b"', "1_0", "\ufeff", "1e-320", "-0"]),
    st.floats(allow_nan=False, allow_infinity=False, width=32).map(repr),
    st.text(max_size=4),
)


@st.composite
def csv_files(draw):
    """A CSV-like file: a header and rows of random cells, a random separator and line ending,
    maybe a byte-order mark, maybe ragged; or plain random bytes."""
    if draw(st.integers(0, 5)) == 0:
        return draw(st.binary(max_size=200))
    sep = draw(st.sampled_from([",", ";", "\t", "|"]))
    end = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    n_cols = draw(st.integers(1, 4))
    header = draw(st.lists(st.sampled_from(["a", "b", "c", "y", "", "a "]), min_size=n_cols, max_size=n_cols))
    rows = draw(st.lists(st.lists(cells, min_size=max(1, n_cols - 1), max_size=n_cols + 1), max_size=12))
    text = end.join(sep.join(r) for r in [header, *rows]) + draw(st.sampled_from(["", end]))
    bom = "\ufeff" if draw(st.booleans()) else ""
    return (bom + text).encode("utf-8")


@FAST
@given(content=csv_files(), task=st.sampled_from(["auto", "regression"]), inputs=st.integers(1, 3))
def test_any_csv_trains_or_gives_one_clean_error(workdir, content, task, inputs):
    data = workdir / "random.csv"
    data.write_bytes(content)
    config = workdir / "random_csv.yaml"
    config.write_text(
        f"data: {{path: random.csv, task: {task}}}\n"
        f"network: {{layers: [{inputs}, 3, 1], activation: tanh, output_activation: linear}}\n"
        "cost: half_squared_error\ntraining: {batch_size: 4}\n"
    )
    result = runner.invoke(app, ["train", str(config), "--epochs", "1", "--quiet"])
    assert_clean(result, allow_diverged=True)


@FAST
@given(content=csv_files())
def test_any_csv_given_to_predict_gives_a_clean_result_or_one_clean_error(workdir, content, model):
    data = workdir / "predict.csv"
    data.write_bytes(content)
    result = runner.invoke(app, ["predict", str(model), str(data)])
    assert_clean(result)


@pytest.fixture(scope="module")
def model(workdir) -> Path:
    """A model reading columns 'a' and 'b' (the names the random CSVs use)."""
    (workdir / "ab.csv").write_text("a,b,y\n0,0,0\n0,1,1\n1,0,1\n1,1,0\n")
    (workdir / "ab.yaml").write_text("data: {path: ab.csv, test_fraction: 0}\nnetwork: {layers: [2, 3, 2], "
                                     "output_activation: softmax}\ncost: cross_entropy\n")
    out = workdir / "run"
    result = runner.invoke(app, ["train", str(workdir / "ab.yaml"), "--epochs", "2", "--out", str(out), "-q"])
    assert result.exit_code == 0, result.output
    return out / "model.npz"


# --- the block-wise CSV parser -----------------------------------------------------------------


@st.composite
def numeric_tables(draw):
    n = draw(st.integers(2, 30))
    k = draw(st.integers(1, 3))
    X = draw(st.lists(st.lists(st.floats(allow_nan=False, allow_infinity=False), min_size=k, max_size=k),
                      min_size=n, max_size=n))
    labels = draw(st.lists(st.sampled_from(["setosa", "virginica", "été", "7"]), min_size=n, max_size=n)
                  .filter(lambda ls: len(set(ls)) >= 2))  # one class is an error (tested elsewhere)
    return np.array(X, dtype=np.float64).reshape(n, k), labels


@FAST
@given(table=numeric_tables(), sep=st.sampled_from([",", ";", "\t"]), end=st.sampled_from(["\n", "\r\n", "\r"]),
       block=st.integers(1, 5), undercount=st.booleans(), blank_every=st.integers(0, 4))
def test_block_parsing_is_invisible(workdir, table, sep, end, block, undercount, blank_every):
    X, labels = table
    rows = [sep.join([*(repr(v) for v in x), label]) for x, label in zip(X.tolist(), labels)]
    if blank_every:
        rows = [r for i, row in enumerate(rows) for r in ([row, ""] if i % blank_every == 0 else [row])]
    header = sep.join([*(f"x{j}" for j in range(X.shape[1])), "label"])
    path = workdir / "table.csv"
    path.write_bytes((end.join([header, *rows]) + end).encode("utf-8"))
    saved_block, saved_capacity = data.CSV_BLOCK_ROWS, data._capacity
    data.CSV_BLOCK_ROWS = block
    if undercount:  # as if the file grew after its lines were counted, or were a pipe
        data._capacity = lambda f: 1
    try:
        ds = data.load_csv(path, task="classification")
    finally:
        data.CSV_BLOCK_ROWS, data._capacity = saved_block, saved_capacity
    np.testing.assert_array_equal(ds.X, X)
    classes = sorted(set(labels))
    assert ds.class_names == tuple(classes)
    assert [ds.class_names[i] for i in data.class_indices(ds.Y)] == labels
