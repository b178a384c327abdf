"""The Python API as an engineer uses it: imports, type checking, a saved model, misuse.

(``test_network.py`` holds what ``Network`` computes and refuses; this file what an engineer
meets around it: ``from backprop_cli import ...``, mypy, ``load_model``, ``check_gradients``
and ``Trainer`` called with the wrong kind of argument.)
"""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
import textwrap
import warnings
from pathlib import Path

import numpy as np
import pytest

import backprop_cli
from backprop_cli import Network, check_gradients
from backprop_cli.config import TrainingConfig, load_config
from backprop_cli.data import Dataset
from backprop_cli.errors import ConfigError, DataError, InputError
from backprop_cli.training import Trainer

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "backprop_cli"
X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
Y = np.array([[0.0], [1.0], [1.0], [0.0]])


# --- imports and type checking ------------------------------------------------------------------

def test_the_package_says_it_is_typed_and_ships_the_marker():
    """Without py.typed (PEP 561) mypy refused to read the package ("module is installed, but
    missing library stubs or py.typed marker") and every name from it was Any."""
    assert (PACKAGE / "py.typed").is_file()
    assert '"py.typed"' in (ROOT / "pyproject.toml").read_text(encoding="utf-8")  # package-data: in the wheel


def test_type_checkers_see_the_lazily_imported_names():
    """``from backprop_cli import Network`` goes through the module's __getattr__, typed Any: mypy
    and pyright saw no method of Network, so ``net.predikt(X)`` passed their checks."""
    tree = ast.parse((PACKAGE / "__init__.py").read_text(encoding="utf-8"))
    imported = {alias.asname or alias.name
                for node in tree.body if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING"
                for stmt in node.body if isinstance(stmt, ast.ImportFrom) for alias in stmt.names}
    assert set(backprop_cli.__all__) <= imported


def test_dir_and_star_import_list_the_api():
    """dir() (and so tab completion in IPython and Jupyter) did not list Network or check_gradients."""
    assert {"Network", "check_gradients", "load_model"} <= set(dir(backprop_cli))
    namespace: dict[str, object] = {}
    exec("from backprop_cli import *", namespace)
    assert {"Network", "check_gradients", "load_model"} <= set(namespace)
    from backprop_cli.model_io import load_model

    assert backprop_cli.load_model is load_model


def test_importing_the_package_leaves_numpy_and_the_process_alone():
    """Every module imported in a fresh interpreter: nothing printed, numpy's print options, error
    state and global random state, the warning filters and the environment as they were; and
    ``import backprop_cli`` alone does not load numpy (the command line's start-up time)."""
    code = textwrap.dedent("""
        import importlib, os, pkgutil, sys, warnings
        import backprop_cli
        assert "numpy" not in sys.modules, "import backprop_cli loaded numpy"
        import numpy as np
        before = (np.get_printoptions(), np.geterr(), np.random.get_state()[1].tolist(), list(warnings.filters),
                  dict(os.environ), sys.stdout.errors, sys.stderr.errors)
        for m in pkgutil.walk_packages(backprop_cli.__path__, "backprop_cli."):
            if not m.name.endswith("__main__"):
                importlib.import_module(m.name)
        from backprop_cli import Network, check_gradients, load_model
        check_gradients(Network([2, 3, 1]), [[0.0, 1.0]], [[1.0]])
        after = (np.get_printoptions(), np.geterr(), np.random.get_state()[1].tolist(), list(warnings.filters),
                 dict(os.environ), sys.stdout.errors, sys.stderr.errors)
        assert before == after, [i for i, (b, a) in enumerate(zip(before, after)) if b != a]
    """)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "" and done.stderr == ""


def test_mypy_reads_our_annotations_in_a_users_script(tmp_path):
    """Where mypy is installed (it is not a test dependency): the README's calls type-check,
    dtype=np.float32 and a numpy seed included, and a typo or a wrong type is caught."""
    api = pytest.importorskip("mypy.api")
    script = tmp_path / "user.py"
    script.write_text(textwrap.dedent("""
        import numpy as np
        from backprop_cli import Network, check_gradients, load_model

        net = Network([2, 3, 1], activation="sigmoid", seed=np.int64(0), dtype=np.float32, l2=np.float32(0.01))
        X = np.array([[0.0, 1.0]]); Y = np.array([[1.0]])
        cost: float = net.cost(X, Y)
        dw, db = net.astype(float).gradients(X, Y)
        passed: bool = check_gradients(net, X, Y, rng=0).passed
        probabilities = load_model("model.npz").predict(X)
        wrong: str = net.cost(X, Y)
        net.predikt(X)
        where: str = load_model("model.npz").path
    """))
    out, err, status = api.run(["--strict", "--no-error-summary", "--cache-dir", str(tmp_path / "cache"),
                                str(script)])
    errors = [line for line in out.splitlines() if ": error:" in line]
    assert len(errors) == 3, out + err
    assert 'expression has type "float", variable has type "str"' in errors[0]
    assert '"Network" has no attribute "predikt"' in errors[1]
    assert 'expression has type "Path", variable has type "str"' in errors[2]  # load_model is typed too


# --- a model that `backprop train --out` saved --------------------------------------------------

@pytest.fixture(scope="module")
def iris_model(tmp_path_factory) -> Path:
    from typer.testing import CliRunner

    from backprop_cli.cli import app

    out = tmp_path_factory.mktemp("runs") / "iris"
    done = CliRunner().invoke(app, ["train", str(ROOT / "configs" / "iris.yaml"), "--out", str(out), "--quiet"])
    assert done.exit_code == 0, done.output
    return out / "model.npz"


def test_a_saved_model_predicts_raw_rows_as_backprop_predict_does(iris_model):
    """iris is trained on standardized inputs: ``saved.net.predict`` of a CSV's raw numbers called
    the first flower versicolor (0.92) where ``backprop predict`` says setosa (0.998), and nothing
    in the README or SavedModel said the inputs must be scaled first. ``saved.predict`` does it."""
    from typer.testing import CliRunner

    from backprop_cli import load_model
    from backprop_cli.cli import app

    saved = load_model(iris_model)
    raw = np.loadtxt(ROOT / "data" / "iris.csv", delimiter=",", skiprows=1, usecols=range(4))
    done = CliRunner().invoke(app, ["predict", str(iris_model), str(ROOT / "data" / "iris.csv"), "--json"])
    assert done.exit_code == 0, done.output
    rows = json.loads(done.stdout)  # one object per row
    cli = np.array([[row[f"p_{c}"] for c in saved.class_names] for row in rows])
    A = saved.predict(raw)
    assert A.shape == (150, 3)
    np.testing.assert_array_equal(A, cli)
    np.testing.assert_allclose(saved.predict(raw[0]), A[:1], rtol=1e-12)  # one example, 1-D (BLAS rounds per shape)
    assert saved.class_names[int(np.argmax(A[0]))] == "setosa"
    # the network alone takes scaled inputs: the README says it calls the first flower versicolor
    assert saved.class_names[int(np.argmax(saved.net.predict(raw[0])))] == "versicolor"
    with pytest.raises(InputError, match=r"X: shape \(2, 3\), expected \(n_samples, 4\)"):
        saved.predict(raw[:2, :3])


# --- misuse: clear errors of the documented kinds ------------------------------------------------

def test_check_gradients_refuses_bad_shapes_and_nan_as_network_cost_does():
    """check_gradients raised a plain DataError for X or Y of the wrong shape, which an
    ``except ValueError`` (what Network.cost's InputError is) missed, and 'gradcheck X, Y: contain
    NaN or infinite values' without saying which, nor where."""
    net = Network([2, 3, 1], seed=0)
    with pytest.raises(ValueError, match=r"gradcheck X: shape \(4, 3\)") as err:
        check_gradients(net, np.zeros((4, 3)), Y)
    assert isinstance(err.value, InputError) and isinstance(err.value, DataError)
    with pytest.raises(InputError, match=r"gradcheck Y: shape \(3, 1\), expected \(4, 1\)"):
        check_gradients(net, X, Y[:3])
    bad = X.copy()
    bad[2, 1] = np.nan
    with pytest.raises(InputError, match="gradcheck X: row 2 holds NaN or an infinite value"):
        check_gradients(net, bad, Y)
    with pytest.raises(InputError, match="gradcheck Y: row 0 holds NaN or an infinite value"):
        check_gradients(net, X, np.full((4, 1), np.inf))


def test_check_gradients_names_a_nan_weight_written_in_place():
    """``net.weights[1][0, 0] = nan`` (assigning refuses NaN; editing the array in place cannot)
    was reported as 'the forward pass overflows'."""
    net = Network([2, 3, 1], seed=0)
    net.weights[1][0, 0] = np.nan
    with pytest.raises(InputError, match=r"net\.weights\[1\] \(layer 2\): holds NaN or infinite values"):
        check_gradients(net, X, Y)


def _xor_set() -> Dataset:
    return Dataset(X, Y, "classification", ("0", "1"), ("x1", "x2"), ("y",), "xor")


def test_trainer_settings_must_be_a_training_config():
    """A dict of settings failed with "'dict' object has no attribute
    'optimizer'" from inside Trainer.__init__."""
    with pytest.raises(ConfigError, match=r"settings: a dict; expected a config.TrainingConfig.*TrainingConfig\(\*\*d\)"):
        Trainer(Network([2, 3, 1]), _xor_set(), None, {"learning_rate": 0.5, "epochs": 3}, np.random.default_rng(0))


@pytest.mark.parametrize("rng", [0, None, "seed"])
def test_a_trainer_that_shuffles_needs_a_generator(rng):
    """An int seed failed mid-run with "'int' object has no attribute 'permutation'" (from data.py);
    None trained in the data's order although shuffle was on."""
    settings = TrainingConfig(learning_rate=0.5, epochs=2, batch_size=2, shuffle=True)
    with pytest.raises(ConfigError, match=r"rng: .*training.shuffle is on \(batches of 2 of 4 examples\)"):
        Trainer(Network([2, 3, 1]), _xor_set(), None, settings, rng)
    # nothing to shuffle: no generator needed, as before
    for unshuffled in (TrainingConfig(epochs=2, batch_size=2, shuffle=False), TrainingConfig(epochs=2, batch_size=None)):
        assert Trainer(Network([2, 3, 1]), _xor_set(), None, unshuffled, rng).run().epochs == 2


def test_from_config_refuses_a_dict_with_the_way_to_make_a_config():
    """A parsed YAML dict failed with "'dict' object has no attribute 'network'"."""
    with pytest.raises(TypeError, match=r"config: a dict; expected a backprop_cli.config.Config: load_config"):
        Network.from_config({"network": {"layers": [2, 3, 1]}})
    assert Network.from_config(load_config(ROOT / "configs" / "xor.yaml")).sizes == [2, 3, 1]


@pytest.mark.parametrize("bad, what", [
    (["a", "b"], "holds text"),                                     # a list of strings
    (np.array([[1, "x"], [0, 1]], dtype=object), "holds Python objects"),
    ([["1", "0"], ["0", "1"]], "holds text"),                       # numpy would parse '1' silently
    ([[1, 0], [0]], r"not an array of numbers \(rows of different lengths\?\)"),
    ([[1 + 2j, 0], [0, 1]], "holds complex numbers"),               # numpy dropped the imaginary part
    (None, "None; expected an array of real numbers"),
])
def test_a_dataset_of_text_or_other_non_numbers_is_an_input_error_naming_x(bad, what):
    """``Dataset(X=["a", "b"], ...)`` raised numpy's bare 'could not convert string to float',
    text digits were parsed silently and complex numbers lost their imaginary part with only a
    warning; Network's methods refuse all of them with an InputError naming the argument."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(InputError, match=rf"^Dataset X: {what}"):
            Dataset(bad, [[0.0], [1.0]], "regression", None, ("x1", "x2"), ("y",), "mine")
        with pytest.raises(InputError, match=r"^Dataset Y: holds text; real numbers are required"):
            Dataset(X[:2], [["0"], ["1"]], "regression", None, ("x1", "x2"), ("y",), "mine")
    # numbers of any int/float dtype still work; float32 stays float32, Y follows X
    kept = Dataset(X.astype(np.float32), Y, "classification", ("0", "1"), ("x1", "x2"), ("y",), "mine")
    assert kept.X.dtype == kept.Y.dtype == np.float32


def test_a_regression_dataset_needs_no_class_names_nor_other_names():
    """``Dataset(X, Y, task="regression", feature_names=…, …)`` was a bare TypeError (missing
    class_names) until class_names=None was written out; a classification one without class_names
    says what to give, not "got None"."""
    ds = Dataset(X, Y, task="regression", feature_names=("a", "b"), target_names=("t",), source="mine")
    assert ds.class_names is None and ds.feature_names == ("a", "b") and ds.source == "mine"
    bare = Dataset(X, np.hstack([Y, Y]), task="regression")
    assert (bare.feature_names, bare.target_names, bare.source) == (("x0", "x1"), ("y0", "y1"), "arrays")
    net = Network([2, 3, 1], activation="tanh", output_activation="linear", seed=0)
    Trainer(net, Dataset(X, Y, "regression"), None, TrainingConfig(epochs=2, batch_size=2),
            np.random.default_rng(0)).run()
    with pytest.raises(ValueError, match=r"^Dataset: task 'classification' needs class_names: \("
                                         r"\"0\", \"1\"\), the class of a 0 and of a 1, for the single 0/1 column of Y$"):
        Dataset(X, Y, task="classification")
    with pytest.raises(ValueError, match=r"needs class_names: one per column of Y \(3\), in order$"):
        Dataset(X, np.eye(3)[[0, 1, 2, 0]], task="classification")
    assert Dataset(X, Y, "classification", ("0", "1")).target_names == ("y",)


@pytest.mark.parametrize("public", [
    "config.Config", "config.TrainingConfig", "config.DataConfig", "config.NetworkConfig",
    "network.Network.n_params", "network.Network.cost_name", "gradcheck.GradcheckReport.failing",
    "gradcheck.TensorResult.passed", "config.DataConfig.effective_test_fraction",
    "config.NetworkConfig.resolved_output_activation",
])
def test_what_an_engineer_reaches_with_help_has_a_docstring(public):
    """help(Config), help(TrainingConfig) showed only the signature dataclasses generate, and
    help() of Network.n_params, Network.cost_name, GradcheckReport.failing said nothing at all."""
    import importlib
    import inspect

    module, *path = public.split(".")
    obj = importlib.import_module(f"backprop_cli.{module}")
    for name in path:
        obj = inspect.getattr_static(obj, name)  # the property itself, not its value
    doc = inspect.getdoc(obj) or ""
    assert doc and not doc.startswith(f"{path[-1]}("), f"{public}: no docstring of its own"


def test_training_config_docstring_names_every_field_with_its_default():
    """The fields of TrainingConfig a notebook sets (README, Python API) were documented only in
    the README's config reference; its docstring now lists each one with its default."""
    from dataclasses import MISSING, fields

    doc = TrainingConfig.__doc__ or ""
    for f in fields(TrainingConfig):
        default = "None" if f.default is None else repr(f.default) if f.default is not MISSING else "?"
        # the first "(default …)" after the field's own line is its default
        assert re.search(rf"^\s*{f.name}\s.*?\(default {re.escape(default)}\)", doc, re.M | re.S), (f.name, default)


def test_predict_lets_nan_and_inf_through_row_by_row_as_the_readme_says(iris_model):
    """Pins the documented behaviour (README, Python API): predict refuses no NaN or inf, warns
    nothing, and a bad row leaves the other rows' outputs alone; an infinite input can come out
    finite (tanh saturates), which is why the README says to check np.isfinite first."""
    import warnings

    from backprop_cli import load_model

    saved = load_model(iris_model)
    good = np.array([[5.1, 3.5, 1.4, 0.2], [6.3, 3.3, 6.0, 2.5]])
    rows = np.vstack([good[:1], [[np.nan, 3.3, 6.0, 2.5]], good[1:]])
    net = Network([2, 3, 1], activation="tanh", output_activation="sigmoid", seed=0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        A = saved.predict(rows)
        out = net.predict([[np.inf, 0.0], [np.nan, 0.0], [0.5, 0.5]])
    assert np.isnan(A[1]).all() and np.isfinite(A[[0, 2]]).all()
    np.testing.assert_allclose(A[[0, 2]], saved.predict(good), rtol=1e-12)
    assert np.isfinite(out[0, 0]) and np.isnan(out[1, 0])
    np.testing.assert_allclose(out[2], net.predict([0.5, 0.5])[0], rtol=1e-12)


# --- targets a cost cannot take ------------------------------------------------------------------

def test_a_classification_dataset_holds_its_targets_to_what_the_loaders_make():
    """``Dataset(X, labels 0/1/2 in one column, task="classification", class_names=("0", "1"))``
    trained a cross-entropy net to a "cost" of −17.3 (label 2 counted as class 1), and softmax
    rows [1, 1, 0] or [0, 0, 0] trained silently: the CLI's loaders refuse both (one-hot rows;
    a single column of 0/1), and a Dataset built in Python now does too, naming the row."""
    X6 = np.random.default_rng(0).random((6, 2))
    labels = np.array([[0], [1], [2], [0], [1], [2]])
    with pytest.raises(InputError, match=r"^Dataset Y row 2: target 2 is not 0 or 1 \(2 rows hold other values\); "
                                         r"a single target column of task classification holds 0 .*\(np\.eye\(k\)\[labels\]"):
        Dataset(X6, labels, task="classification", class_names=("0", "1"))
    rows = np.array([[0, 0, 1], [0, 1, 0], [1, 1, 0], [1, 0, 0], [0, 0, 0], [0, 1, 0]])
    with pytest.raises(InputError, match=r"^Dataset Y row 2: targets \[1\.0, 1\.0, 0\.0\] are not one-hot; "
                                         r"with several target columns .* exactly one 1 and 0 elsewhere"):
        Dataset(X6, rows, task="classification", class_names=("a", "b", "c"))
    rows[2] = [0, 0, 1]
    with pytest.raises(InputError, match=r"^Dataset Y row 4: targets \[0\.0, 0\.0, 0\.0\] are not one-hot"):
        Dataset(X6, rows, task="classification", class_names=("a", "b", "c"))
    assert isinstance(InputError("x"), ValueError)
    # what the loaders make still passes: one 0/1 column, one-hot rows (np.eye(k)[labels])
    assert Dataset(X6, labels % 2, "classification", ("0", "1")).n_outputs == 1
    assert Dataset(X6, np.eye(3)[labels[:, 0]], "classification", ("a", "b", "c")).n_outputs == 3


def test_cross_entropy_refuses_targets_outside_0_1_from_python_and_keeps_soft_ones():
    """``Network([1, 1], cost="cross_entropy").cost([[3.0]], [[2.0]])`` returned −1.2075: beyond
    [0, 1] binary cross-entropy falls without end. cost, gradients and training refuse such a
    target, naming its row; probabilities inside [0, 1] and softmax rows of them (the general
    δ = a Σ y − y, README) still work."""
    net = Network([1, 1], cost="cross_entropy")
    for Y_bad, value in (([[2.0]], "2.0"), ([[-0.5]], "-0.5")):
        for method in (net.cost, net.gradients):
            with pytest.raises(InputError, match=rf"^Y: row 0 holds {value}; cross_entropy needs targets in \[0, 1\] "
                                                 r"\(0/1 labels or probabilities\): beyond, its cost is not one"):
                method([[3.0]], Y_bad)
    assert net.cost([[3.0], [0.0]], [[0.3], [1.0]]) > 0  # soft targets
    soft = Network([2, 3], output_activation="softmax", cost="cross_entropy", seed=0)
    X2 = [[1.0, 2.0], [3.0, -1.0], [0.0, 0.5]]
    for rows in ([[0.2, 0.3, 0.5], [0, 0, 1], [1, 0, 0]], [[1, 1, 0], [0, 0, 1], [0.5, 0.5, 0.5]]):
        assert soft.cost(X2, rows) > 0 and len(soft.gradients(X2, rows)[0]) == 1
    # under softmax a target above 1 keeps −Σ y ln a ≥ 0 (it was refused, "a target below 0 sends it below
    # 0", while [0.9, 0.9, 0.9] passed): the cost is linear in y, the gradient a Σ y − y's
    one_hot, doubled = [[0, 0, 1], [0, 1, 0], [1, 0, 0]], [[0, 0, 1], [0, 1, 0], [2, 0, 0]]
    by_row = [soft.cost(X2[i:i + 1], one_hot[i:i + 1]) for i in range(3)]
    assert soft.cost(X2, doubled) == pytest.approx((by_row[0] + by_row[1] + 2 * by_row[2]) / 3, rel=1e-12)
    with pytest.raises(InputError, match=r"^Y: row 2 holds -0\.5; cross_entropy with a softmax output needs "
                                         r"targets ≥ 0 \(one-hot rows or probabilities\): below 0, −Σ y ln a is not"):
        soft.cost(X2, [[0, 0, 1], [0, 1, 0], [-0.5, 1, 0.5]])
    # squared error takes any finite target, as before
    assert Network([1, 1]).cost([[3.0]], [[2.0]]) > 0


def test_training_refuses_cross_entropy_targets_outside_0_1_once_per_trainer(monkeypatch):
    """A regression Dataset of 0/1/2 trained under sigmoid + cross-entropy to −17.3 (c19); the
    Trainer now refuses it up front, naming the set and row, with one pass over the targets per
    Trainer, not per step."""
    import backprop_cli.training as training

    labels = Dataset(np.random.default_rng(0).random((6, 2)), [[0], [1], [2], [0], [1], [2]], "regression")
    with pytest.raises(InputError, match=r"^train_set: Y row 2 holds 2\.0; cross_entropy needs targets in \[0, 1\]"):
        training.train(Network([2, 3, 1], cost="cross_entropy"), labels, None, learning_rate=1, epochs=300,
                       batch_size=None, shuffle=False, rng=None)
    with pytest.raises(InputError, match=r"^test_set: Y row 2 holds 2\.0"):
        Trainer(Network([2, 3, 1], cost="cross_entropy"), _xor_set(), labels, TrainingConfig(epochs=1), None)
    calls = []
    real = training.first_target_beyond_unit
    monkeypatch.setattr(training, "first_target_beyond_unit", lambda *a: calls.append(1) or real(*a))
    result = Trainer(Network([2, 3, 1], cost="cross_entropy"), _xor_set(), _xor_set(),
                     TrainingConfig(epochs=5, batch_size=1, shuffle=False), None).run()
    assert result.epochs == 5 and len(calls) == 2  # train_set and test_set, once each


# --- reprs and arguments a notebook meets ---------------------------------------------------------

def test_a_train_results_repr_is_its_figures_not_every_epoch():
    """repr(TrainResult) after 2000 epochs was 389,223 characters (the dataclass repr listed every
    EpochStats); it is now the final figures and len(history), the fields unchanged."""
    from dataclasses import fields

    net = Network([2, 3, 1], activation="tanh", output_activation="sigmoid", seed=0)
    result = Trainer(net, _xor_set(), _xor_set(), TrainingConfig(learning_rate=0.5, epochs=2000, batch_size=4),
                     np.random.default_rng(0)).run()
    text = repr(result)
    assert len(text) < 300 and "\n" not in text and "EpochStats" not in text, text
    assert re.fullmatch(r"TrainResult\(epochs=2000, train_cost=[\d.e-]+, train_accuracy=1, test_cost=[\d.e-]+, "
                        r"test_accuracy=1, stopped_early=False, len\(history\)=2000\)", text), text
    assert f"train_cost={result.train_cost:.6g}," in text
    assert [f.name for f in fields(result)][:3] == ["history", "train_cost", "train_accuracy"]
    assert len(result.history) == 2000 and str(result) == text


def test_a_networks_repr_shows_its_l2_when_not_0():
    """Two nets differing only in λ printed alike."""
    assert repr(Network([2, 3, 1], l2=0.01)) == "Network(2-3-1 sigmoid/sigmoid, squared_error, dtype=float64, l2=0.01)"
    assert repr(Network([2, 3, 1])) == "Network(2-3-1 sigmoid/sigmoid, squared_error, dtype=float64)"


def test_a_seed_beside_an_rng_is_refused_and_each_alone_works():
    """``Network(seed=5, rng=gen)`` drew from rng and ignored seed=5 without a word."""
    import inspect

    for seed in (5, 0, np.int64(3)):
        with pytest.raises(TypeError, match=r"^Network: seed=\d and rng= given together; .* give seed= "
                                            r"\(np.random.default_rng\(seed\)\) or rng=, not both$"):
            Network([2, 1], seed=seed, rng=np.random.default_rng(0))
    drawn = Network([2, 1], rng=np.random.default_rng(0)).weights[0]
    np.testing.assert_array_equal(drawn, Network([2, 1]).weights[0])  # the default seed is 0
    np.testing.assert_array_equal(drawn, Network([2, 1], seed=0).weights[0])
    np.testing.assert_array_equal(drawn, Network([2, 1], seed=None, rng=np.random.default_rng(0)).weights[0])
    assert str(inspect.signature(Network).parameters["seed"]).endswith("= 0")  # help() shows seed=0


def test_help_of_the_package_shows_explain_gradcheck_training_and_saving_from_python_and_it_runs(tmp_path,
                                                                                               monkeypatch):
    """help(backprop_cli) named Network, check_gradients and load_model only: explain_layer,
    explain_all_layers, to_json, numeric_gradients, Dataset, train and save_model were to be found by
    reading the source. Its examples now show them, and run as written (given X, Y, x, y and net)."""
    doc = backprop_cli.__doc__ or ""
    for name in ("explain_layer", "explain_all_layers", "to_json", "numeric_gradients", "check_gradients",
                 "Dataset", "train", "save_model", "load_model"):
        assert re.search(rf"\b{name}\b", doc), name
    blocks = re.findall(r"::\n\n((?:    .*\n|\n)+)", doc)
    assert len(blocks) == 3, blocks
    monkeypatch.chdir(tmp_path)  # save_model("xor.npz", net) writes here
    namespace = {"np": np, "X": X, "Y": Y, "x": X[1], "y": Y[1],
                 "net": Network([2, 3, 1], activation="tanh", output_activation="sigmoid", seed=0)}
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # save_model warned of a sigmoid output saved without class_names
        for block in blocks[1:]:  # the first names a run folder of `backprop train --out`
            exec(compile(textwrap.dedent(block), "backprop_cli.__doc__", "exec"), namespace)
    assert (tmp_path / "xor.npz").is_file() and namespace["ex"].status == "pass"  # type: ignore[attr-defined]
    assert backprop_cli.load_model(tmp_path / "xor.npz").task == "classification"  # was saved as regression


# --- exceptions a notebook catches ------------------------------------------------------------------

def test_bad_arguments_and_data_are_value_errors_and_the_cli_still_says_them_in_one_line(backprop, tmp_path):
    """``except ValueError`` in a notebook missed Network(cost="mse") (a ConfigError) and a data
    file's DataError; both are ValueErrors now. The CLI catches them by their own class: a missing
    config is still its one line (it was read as a system error once ConfigError was a ValueError)."""
    assert issubclass(ConfigError, ValueError) and issubclass(DataError, ValueError)
    try:
        Network([2, 3, 1], cost="mse")
    except ValueError as e:
        assert isinstance(e, ConfigError) and str(e).startswith("cost: mse is not one of")
    code, out, err = backprop("train", tmp_path / "none.yaml")
    assert code == 2 and out == "" and err.startswith(f"error: {tmp_path / 'none.yaml'}: config file not found"), err


@pytest.mark.parametrize("x, y, says", [
    (np.zeros(5), np.zeros((5, 1)), r"^Dataset X: shape \(5,\), expected \(n_samples, n_inputs\), one row per example; "
                                    r"for 5 examples of one input each pass X\.reshape\(-1, 1\)"),
    (np.zeros((5, 1)), np.zeros(5), r"^Dataset Y: shape \(5,\), expected \(5, n_outputs\), one row per example of X; "
                                    r"for one target per example pass Y\.reshape\(-1, 1\)"),
    (np.zeros((3, 1)), np.zeros(6), r"^Dataset Y: shape \(6,\), .* pass Y\.reshape\(3, 2\), for 2 columns of 3 "
                                    r"Y\.reshape\(2, 3\)\.T$"),
    (np.zeros((5, 1)), np.zeros((4, 1)), r"^Dataset Y: 4 rows, but X has 5; one row of targets per example"),
])
def test_a_datasets_shape_errors_name_x_or_y_with_the_reshape_as_networks_do(x, y, says):
    """``ValueError: Dataset needs 2-D X and Y with equal rows, got (5, 1) and (5,)`` said neither
    which array nor what to do, where Network.cost names Y and the reshape (README: an InputError
    naming Dataset Y)."""
    with pytest.raises(InputError, match=says):
        Dataset(x, y, task="regression")


def test_networks_dtype_and_cost_errors_name_the_argument_not_the_config_field():
    """``Network(dtype="float16")`` said ``training.dtype: …`` (a config's field) and
    ``Network(cost=None)`` spoke of YAML's empty values; a config still gets its own wording."""
    with pytest.raises(ConfigError, match=r"^dtype: float16 is not one of: float64, float32$"):
        Network([2, 1], dtype="float16")
    with pytest.raises(ConfigError, match=r"^dtype: None is not one of"):
        Network([2, 1]).astype(None)
    with pytest.raises(ConfigError, match=r"^cost: None is not one of: cross_entropy, half_squared_error, "
                                          r"squared_error; leave cost out for its default, squared_error$"):
        Network([2, 1], cost=None)
    from backprop_cli.config import config_from_dict

    with pytest.raises(ConfigError, match=r"training\.dtype: float16 is not one of"):
        config_from_dict({"network": {"layers": [2, 1]}, "training": {"dtype": "float16"}}, "c.yaml", ROOT)


def test_a_label_column_with_more_class_names_is_told_to_be_one_hot():
    """Dataset(X, [[0], [1], [2], [1]], task="classification", class_names=("a", "b", "c")) said only
    "classification needs 2 class names, got ('a', 'b', 'c')", as if the names were wrong."""
    import numpy as np

    from backprop_cli.data import Dataset

    with pytest.raises(ValueError) as info:
        Dataset(np.zeros((4, 2)), [[0], [1], [2], [1]], task="classification", class_names=("a", "b", "c"))
    assert str(info.value) == ("Dataset: classification with 1 column of Y needs 2 class names, got ('a', 'b', 'c'): "
                               "with 3 classes Y has one column per class, one-hot, e.g. Y = np.eye(3)[labels] for "
                               "labels 0..2")
    labels = np.array([0, 1, 2, 1])
    assert Dataset(np.zeros((4, 2)), np.eye(3)[labels], task="classification", class_names=("a", "b", "c")).Y.shape == (4, 3)


def test_an_errors_hint_is_in_its_text_for_a_notebook():
    """`Network([2, 3, 2], cost="mse")` raised 'cost: mse is not one of: … (which squared error? see the
    hint)', and the hint (Keras' MSE is half_squared_error) was in ``e.hint`` alone, which a notebook's
    traceback never shows. str(e) carries it on a line of its own; ``e.message`` stays the one line."""
    from backprop_cli.errors import ConfigError

    with pytest.raises(ConfigError) as info:
        Network([2, 3, 2], cost="mse")
    e = info.value
    assert "see the hint" in e.message and "\n" not in e.message and e.hint
    assert str(e) == f"{e.message}\nhint: {e.hint}" and "half_squared_error" in str(e).split("\n")[1]
    assert str(ConfigError("no hint here")) == "no hint here"


def test_save_model_refuses_a_standardizer_that_does_not_fit_the_inputs(tmp_path):
    """save_model wrote a 3-input model with a 2-column standardizer, which load_model and predict then
    refused ('x_mean has shape (2,), expected (3,)'): the weights were stuck in a file nothing reads. It is
    refused before anything is written; a net of the wrong kind is a TypeError (was an AttributeError)."""
    from backprop_cli.data import Standardizer
    from backprop_cli.errors import ConfigError
    from backprop_cli.model_io import load_model, save_model

    net = Network([3, 4, 2])
    for n in (2, 4):
        with pytest.raises(ConfigError, match=rf"^save_model: standardizer.mean has shape \({n},\) for a network "
                                              r"of 3 inputs; give one per input"):
            save_model(tmp_path / "m.npz", net, standardizer=Standardizer(mean=np.zeros(n), scale=np.ones(n)))
    from types import SimpleNamespace  # an object of its own with the right fields: checked as load_model will

    with pytest.raises(ConfigError, match=r"^save_model: standardizer.scale has shape \(3, 3\)"):
        save_model(tmp_path / "m.npz", net, standardizer=SimpleNamespace(mean=np.zeros(3), scale=np.ones((3, 3))))
    with pytest.raises(ConfigError, match=r"^save_model: standardizer.scale holds a value that is not a finite "
                                          r"number above 0"):
        save_model(tmp_path / "m.npz", net, standardizer=SimpleNamespace(mean=np.zeros(3), scale=np.zeros(3)))
    with pytest.raises(ConfigError, match=r"^save_model: standardizer.mean holds a value that is not a finite"):
        save_model(tmp_path / "m.npz", net, standardizer=SimpleNamespace(mean=np.array([True, False, True]),
                                                                          scale=np.ones(3)))  # load_model: bool refused
    with pytest.raises(TypeError, match=r"^standardizer: a tuple; expected a backprop_cli.data.Standardizer"):
        save_model(tmp_path / "m.npz", net, standardizer=(np.zeros(3), np.ones(3)))
    assert not (tmp_path / "m.npz").exists()
    save_model(tmp_path / "m.npz", net, standardizer=Standardizer(mean=np.zeros(3), scale=np.ones(3)), task="regression")
    assert load_model(tmp_path / "m.npz").standardizer is not None
    with pytest.raises(TypeError, match=r"^net: a str; expected a backprop_cli.Network"):
        save_model(tmp_path / "n.npz", "net")


def test_save_model_refuses_names_load_model_refuses(tmp_path):
    """save_model wrote class_names ('a', '') or ('a', 'a'), which load_model refuses (an empty class was
    printed as an empty label): refused before anything is written, as load_model says it."""
    from backprop_cli.errors import ConfigError
    from backprop_cli.model_io import load_model, save_model

    net = Network([2, 3, 2], output_activation="softmax", cost="cross_entropy")
    for kwargs, said in (({"class_names": ("a", "")}, "class_names[1] is empty; every class needs a name"),
                         ({"class_names": ("  ", "b")}, "class_names[0] is empty; every class needs a name"),
                         ({"class_names": ("a", "a")}, "class_names has 'a' twice; the names must be unique"),
                         ({"class_names": ("a", "b"), "feature_names": ("x", "")},
                          "feature_names[1] is empty; every input column needs a name"),
                         ({"class_names": ("a", "b"), "target_names": (" ",)},
                          "target_names[0] is empty; every target column needs a name"),
                         # as stored: a text array drops trailing NULs, 'a\x00' is 'a' and '\x00' is ''
                         ({"class_names": ("a", "a\x00")}, "class_names has 'a' twice; the names must be unique"),
                         ({"class_names": ("\x00", "b")}, "class_names[0] is empty; every class needs a name")):
        with pytest.raises(ConfigError) as info:
            save_model(tmp_path / "m.npz", net, **kwargs)
        assert info.value.message == f"save_model: {said}; load_model would refuse the file", kwargs
    assert not (tmp_path / "m.npz").exists()
    save_model(tmp_path / "m.npz", net, class_names=("a", "b"))
    assert load_model(tmp_path / "m.npz").class_names == ("a", "b")


def test_a_trainer_refuses_a_training_dtype_its_network_does_not_have():
    """Trainer(Network([2, 3, 1]), …, TrainingConfig(dtype="float32")) trained in float64 without a word
    (a mismatched l2 was refused). A float32 training config needs a float32 network; the default float64
    says nothing, so a float32 network trains with it as before."""
    from backprop_cli.config import TrainingConfig
    from backprop_cli.errors import ConfigError
    from backprop_cli.training import Trainer

    with pytest.raises(ConfigError, match=r"^training.dtype: float32, but the network is float64, which is what is "
                                          r"trained: build it with Network\(\.\.\., dtype='float32'\)"):
        Trainer(Network([2, 3, 1]), _xor_set(), None, TrainingConfig(dtype="float32", epochs=2), None)
    assert Trainer(Network([2, 3, 1], dtype="float32"), _xor_set(), None, TrainingConfig(epochs=2), None).run().epochs == 2
    net32 = Network([2, 3, 1], dtype="float32")
    assert Trainer(net32, _xor_set(), None, TrainingConfig(dtype="float32", epochs=2), None).run().epochs == 2


def test_a_learners_backward_mistakes_get_a_fix_not_a_dump():
    """gradients=my_backward(...) (its result, not the function) printed every array of the result and
    "'tuple' object is not callable"; db not summed over the examples, shape (4, 3), got no fix; 'dw has 1
    arrays'."""
    from backprop_cli.errors import BackwardError

    net = Network([2, 3, 1], seed=0)
    X, Y = np.array([[0.0, 1], [1, 0], [1, 1], [0, 0]]), np.array([[1.0], [1], [0], [0]])

    def per_example(w, b, X, Y, c):
        dw, db = net.gradients(X, Y)
        return dw, [np.repeat(d[None, :], 4, axis=0) for d in db]

    def one(w, b, X, Y, c):
        dw, db = net.gradients(X, Y)
        return dw[:1], db

    with pytest.raises(BackwardError, match=r"^gradients: a tuple, not a function; pass the function itself"):
        check_gradients(net, X, Y, gradients=net.gradients(X, Y))
    with pytest.raises(BackwardError, match=r"has shape \(4, 3\), expected \(3,\): one row per example \(4\), not "
                                            r"averaged over them: delta\.mean\(axis=0\), or delta\.sum\(axis=0\) if your δ "
                                            r"already carries the mean's 1/n"):
        check_gradients(net, X, Y, gradients=per_example)
    with pytest.raises(BackwardError, match=r"dw has 1 array, expected 2 \(layers 1 to 2\)"):
        check_gradients(net, X, Y, gradients=one)

    def three_rows(w, b, X, Y, c):  # 3 rows for 4 examples: no 'one row per example' here
        dw, db = net.gradients(X, Y)
        return dw, [np.repeat(d[None, :], 3, axis=0) for d in db]

    with pytest.raises(BackwardError, match=r"has shape \(3, 3\), expected \(3,\)$"):
        check_gradients(net, X, Y, gradients=three_rows)
    with pytest.raises(BackwardError, match=r"has shape \(3, 3\), expected \(3,\): one row \(or column\) per "
                                            r"example \(3\), not averaged over them"):  # 3 examples, 3 units
        check_gradients(net, X[:3], Y[:3], gradients=lambda w, b, X, Y, c: three_rows(w, b, X[:3], Y[:3], c))
    from pathlib import Path

    with pytest.raises(BackwardError, match=r"^gradients: a path, mine.py, not a function"):
        check_gradients(net, X, Y, gradients=Path("mine.py"))
    with pytest.raises(BackwardError, match=r"^gradients: the text 'mine.py:backward', not a function; load a "
                                            r"FILE\.py:FUNCTION with gradcheck\.load_user_backward\(spec\)"):
        check_gradients(net, X, Y, gradients="mine.py:backward")


def test_reports_have_a_short_repr_for_a_notebook_cell():
    """explain_layer's result printed 14,714 characters for one layer of a 2-3-1 network (278,305 for every
    layer of a 4-16-16-3), a GradcheckReport 2.7K-7.6K: a notebook cell flooded, as TrainResult's once was."""
    from backprop_cli.explain import explain_all_layers, explain_layer
    from backprop_cli.gradcheck import convergence_sweep

    net = Network([2, 3, 1], seed=0)
    X, Y = np.array([[0.0, 1], [1, 0], [1, 1], [0, 0]]), np.array([[1.0], [1], [0], [0]])
    report = check_gradients(net, X, Y)
    assert repr(report).startswith("GradcheckReport(status='pass', checked=13, failed=0") and len(repr(report)) < 200
    sweep = convergence_sweep(net, X, Y)
    assert repr(sweep).startswith("ConvergenceReport(status='pass', order=2.00") and len(repr(sweep)) < 200
    ex = explain_layer(net, [0.0, 1.0], [1.0], layer=1)
    assert repr(ex).startswith("LayerExplanation(layer=1 (L-1) of 2-3-1 sigmoid/sigmoid") and len(repr(ex)) < 200
    big = explain_all_layers(Network([4, 16, 16, 3], seed=0), [1.0, 2.0, 3.0, 4.0], [0.0, 1.0, 0.0])
    assert len(repr(big)) < 1000


def test_a_dataset_built_wrong_is_an_input_error():
    """Dataset(X, one_hot, "classification") without class names raised a plain ValueError, where every
    other bad argument of the Python API is a ConfigError or InputError (ValueErrors too)."""
    from backprop_cli.errors import InputError

    with pytest.raises(InputError, match=r"^Dataset: task 'classification' needs class_names"):
        Dataset(np.zeros((3, 2)), np.eye(3), "classification")
    with pytest.raises(InputError, match=r"^Dataset: classification with 3 columns of Y needs 3 class names"):
        Dataset(np.zeros((3, 2)), np.eye(3), "classification", ("a",))


def test_the_cross_entropy_advice_for_a_list_of_one_activation_per_layer_changes_its_last_name():
    """activation=["relu", "relu"] (the output's the last) with cost="cross_entropy" was told 'make it
    output_activation="sigmoid"', which beside that list is refused ('2 names for 1 hidden layer'). The
    advice now changes the list's last name, and followed, it builds the network."""
    with pytest.raises(ConfigError) as e:
        Network([2, 3, 1], activation=["relu", "relu"], cost="cross_entropy")
    assert e.value.message == ("network.activation[1] (the output layer's): relu cannot be used with cost "
                               "cross_entropy; allowed: sigmoid, softmax"), e.value.message  # no output_activation=
    assert e.value.hint == ("cross_entropy takes ln a, so the outputs must lie in (0, 1): make activation's last name, "
                            'the output\'s, "sigmoid": activation=["relu", "sigmoid"]; or keep relu with '
                            'cost="squared_error", which takes any output')
    net = Network([2, 3, 1], activation=["relu", "sigmoid"], cost="cross_entropy")  # as the hint writes it
    assert [a.name for a in net.activations] == ["relu", "sigmoid"]
    with pytest.raises(ConfigError) as e:
        Network([2, 3, 3], activation=["tanh", "relu"], cost="cross_entropy")
    assert 'activation=["tanh", "softmax"] or "sigmoid"' in e.value.hint, e.value.hint
    assert [a.name for a in Network([2, 3, 3], activation=["tanh", "softmax"], cost="cross_entropy").activations] \
        == ["tanh", "softmax"]


def test_an_output_activation_that_cross_entropy_refuses_gets_the_configs_advice_in_the_calls_words():
    """Network([2, 3, 1], activation="relu", output_activation="relu", cost="cross_entropy") raised with no hint,
    where the config's network.output_activation: relu gets 'cross_entropy takes ln a, so the outputs must lie in
    (0, 1): make it network.output_activation: sigmoid; …'. The call gets that advice, in its own words."""
    head = "cross_entropy takes ln a, so the outputs must lie in (0, 1): "
    with pytest.raises(ConfigError) as e:
        Network([2, 3, 1], activation="relu", output_activation="relu", cost="cross_entropy")
    assert e.value.message == ("network.output_activation: relu cannot be used with cost cross_entropy; allowed: "
                               "sigmoid, softmax")
    assert e.value.hint == (f'{head}make it output_activation="sigmoid"; or keep relu with cost="squared_error", '
                            f"which takes any output")
    assert str(e.value).endswith(f"\nhint: {e.value.hint}")
    with pytest.raises(ConfigError) as e:
        Network([2, 3, 2], output_activation="tanh", cost="cross_entropy")
    assert e.value.hint == (f'{head}make it output_activation="softmax" (one class per row), or '
                            f'output_activation="sigmoid" (labels that may be 1 together); or keep tanh with '
                            f'cost="squared_error", which takes any output')
    with pytest.raises(ConfigError) as e:  # the output copied activation=: the hidden layers keep it
        Network([2, 3, 1], activation="relu", cost="cross_entropy")
    assert e.value.hint == (f'{head}give the output its own, output_activation="sigmoid"; activation="relu" stays the '
                            f"hidden layers'; or keep relu with cost=\"squared_error\", which takes any output")
