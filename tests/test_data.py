"""Tests of backprop_cli.data: generators, CSV/NPZ loading, splits, scaling, batches, accuracy."""

from __future__ import annotations

import json
import math
import re
import warnings
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backprop_cli.data import (
    GENERATORS,
    TASKS,
    Dataset,
    Standardizer,
    accuracy,
    class_indices,
    generate,
    load_csv,
    load_file,
    load_npz,
    minibatches,
    train_test_split,
)
from backprop_cli.errors import DataError

DATA = Path(__file__).resolve().parents[1] / "data"


def rng(seed: int = 0) -> np.random.Generator:
    return np.random.default_rng(seed)


def write(tmp_path: Path, text: str, name: str = "x.csv", newline: str = "\n") -> Path:
    path = tmp_path / name
    path.write_bytes(text.replace("\n", newline).encode("utf-8"))
    return path


def csv_error(path: Path, **kwargs: object) -> str:
    """Load and return the DataError message (failing if it loads), checking it is one line."""
    with pytest.raises(DataError) as info:
        load_csv(path, **kwargs)  # type: ignore[arg-type]
    message = info.value.message
    assert "\n" not in message
    assert path.name in message
    return message


# ---------------------------------------------------------------------------------- generators

GENERATOR_NAMES = sorted(GENERATORS)
DEFAULT_SHAPES = {
    "circles": ((200, 2), (200, 1)),
    "moons": ((200, 2), (200, 1)),
    "sine": ((200, 1), (200, 1)),
    "spirals": ((300, 2), (300, 1)),
    "xor": ((4, 2), (4, 1)),
}


def test_every_generator_has_a_shape_test() -> None:
    assert set(DEFAULT_SHAPES) == set(GENERATORS)


@pytest.mark.parametrize("name", GENERATOR_NAMES)
def test_generator_default_shapes_and_dtypes(name: str) -> None:
    ds = generate(name, rng())
    assert (ds.X.shape, ds.Y.shape) == DEFAULT_SHAPES[name]
    assert ds.X.dtype == np.float64 and ds.Y.dtype == np.float64
    assert ds.n_samples == ds.X.shape[0] and ds.n_inputs == ds.X.shape[1]
    assert ds.n_outputs == ds.Y.shape[1]
    assert ds.source == f"{name} (built-in)"
    assert len(ds.feature_names) == ds.n_inputs
    assert ds.task == GENERATORS[name].task
    assert np.all(np.isfinite(ds.X)) and np.all(np.isfinite(ds.Y))


@pytest.mark.parametrize("name", GENERATOR_NAMES)
def test_generator_is_deterministic_for_a_seed(name: str) -> None:
    a = generate(name, rng(7), n_samples=50)
    b = generate(name, rng(7), n_samples=50)
    c = generate(name, rng(8), n_samples=50)
    np.testing.assert_array_equal(a.X, b.X)
    np.testing.assert_array_equal(a.Y, b.Y)
    assert not np.array_equal(a.X, c.X)


@pytest.mark.parametrize("name", [n for n in GENERATOR_NAMES if GENERATORS[n].task == "classification"])
@pytest.mark.parametrize("n", [4, 101])
def test_classification_generators_are_balanced_and_shuffled(name: str, n: int) -> None:
    ds = generate(name, rng(1), n_samples=n)
    counts = np.bincount(class_indices(ds.Y), minlength=2)
    assert counts.sum() == n and counts.max() - counts.min() <= 1
    assert ds.class_names == ("0", "1")
    if n > 50:  # shuffled: the first half is not one class
        assert 0 < class_indices(ds.Y)[: n // 2].sum() < n // 2


def test_xor_truth_table_exactly() -> None:
    ds = generate("xor", rng(123))
    assert ds.X.tolist() == [[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]
    assert ds.Y.tolist() == [[0.0], [1.0], [1.0], [0.0]]
    assert ds.class_names == ("0", "1") and ds.task == "classification"


def test_xor_truth_table_with_noise_keeps_rows_and_labels() -> None:
    ds = generate("xor", rng(), noise=0.05)
    assert ds.Y.tolist() == [[0.0], [1.0], [1.0], [0.0]]
    assert np.all(np.abs(ds.X - [[0, 0], [0, 1], [1, 0], [1, 1]]) < 0.5)
    assert not np.array_equal(ds.X, [[0, 0], [0, 1], [1, 0], [1, 1]])


def test_xor_sampled_points_follow_the_sign_rule() -> None:
    ds = generate("xor", rng(2), n_samples=200)
    assert np.all(np.abs(ds.X) <= 1.0)
    np.testing.assert_array_equal(ds.Y[:, 0], (ds.X[:, 0] * ds.X[:, 1] < 0).astype(float))


def test_circles_radii_without_noise() -> None:
    ds = generate("circles", rng(), n_samples=40, noise=0.0)
    radius = np.hypot(ds.X[:, 0], ds.X[:, 1])
    np.testing.assert_allclose(radius[ds.Y[:, 0] == 1], 0.5)
    np.testing.assert_allclose(radius[ds.Y[:, 0] == 0], 1.0)


def test_moons_without_noise_lie_on_the_half_circles() -> None:
    ds = generate("moons", rng(), n_samples=40, noise=0.0)
    upper = ds.X[ds.Y[:, 0] == 0]
    lower = ds.X[ds.Y[:, 0] == 1]
    np.testing.assert_allclose(np.hypot(upper[:, 0], upper[:, 1]), 1.0)
    assert np.all(upper[:, 1] >= -1e-12)
    np.testing.assert_allclose(np.hypot(lower[:, 0] - 1.0, lower[:, 1] - 0.5), 1.0)


def test_spirals_with_more_classes_are_one_hot_and_balanced() -> None:
    ds = generate("spirals", rng(), n_samples=301, classes=4)
    assert ds.Y.shape == (301, 4)
    assert ds.class_names == ("0", "1", "2", "3")
    np.testing.assert_array_equal(ds.Y.sum(axis=1), 1.0)
    counts = ds.Y.sum(axis=0)
    assert counts.max() - counts.min() <= 1
    assert np.all(np.hypot(ds.X[:, 0], ds.X[:, 1]) <= 1.0 + 1e-12)


def test_sine_is_regression_on_minus_pi_to_pi() -> None:
    ds = generate("sine", rng(), n_samples=100, noise=0.0)
    assert ds.task == "regression" and ds.class_names is None
    assert np.all(np.abs(ds.X) <= np.pi)
    np.testing.assert_allclose(ds.Y, np.sin(ds.X))


@pytest.mark.parametrize(
    "kwargs, field",
    [
        ({"name": "foo"}, "data.dataset"),
        ({"name": "xor", "n_samples": 3}, "data.n_samples"),
        ({"name": "circles", "n_samples": 0}, "data.n_samples"),
        ({"name": "sine", "n_samples": -5}, "data.n_samples"),
        ({"name": "moons", "n_samples": 10.5}, "data.n_samples"),
        ({"name": "moons", "n_samples": True}, "data.n_samples"),
        ({"name": "spirals", "n_samples": 2, "classes": 3}, "data.n_samples"),
        ({"name": "moons", "noise": -0.1}, "data.noise"),
        ({"name": "moons", "noise": float("nan")}, "data.noise"),
        ({"name": "spirals", "classes": 1}, "data.classes"),
        ({"name": "circles", "classes": 3}, "data.classes"),
        ({"name": "sine", "classes": 2}, "data.classes"),
    ],
)
def test_generator_errors_name_the_field(kwargs: dict[str, object], field: str) -> None:
    with pytest.raises(DataError) as info:
        generate(rng=rng(), **kwargs)  # type: ignore[arg-type]
    assert info.value.message.startswith(f"{field}: ")


@pytest.mark.parametrize("name", GENERATOR_NAMES)
def test_noise_that_overflows_is_refused_naming_data_noise(name: str) -> None:
    # noise * N(0, 1) beyond the largest float made inf inputs (sine: targets) with a numpy
    # RuntimeWarning on stderr, and training then "diverged at epoch 1", hinting a smaller η
    # (spirals: an infinite angle, whose sine is NaN)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(DataError) as info:
            generate(name, rng(), n_samples=200, noise=1e308)
        assert np.isfinite(generate(name, rng(), n_samples=200, noise=1e300).X).all()
    assert info.value.message.startswith(f"data.noise: 1e308 is too large for {name}: ")
    assert "not finite" in info.value.message


def test_unknown_generator_message_lists_the_names() -> None:
    with pytest.raises(DataError, match="^data.dataset: foo is not one of: circles, moons, sine, "
                                        "spirals, xor$"):
        generate("foo", rng())


# ---------------------------------------------------------------------------------- CSV


def test_iris_loads_with_species_classes() -> None:
    ds = load_csv(DATA / "iris.csv")
    assert ds.X.shape == (150, 4) and ds.Y.shape == (150, 3)
    assert ds.task == "classification"
    assert ds.class_names == ("setosa", "versicolor", "virginica")
    assert ds.feature_names == ("sepal_length", "sepal_width", "petal_length", "petal_width")
    assert ds.target_names == ("species",)
    np.testing.assert_array_equal(ds.Y.sum(axis=0), [50, 50, 50])
    assert ds.X[0].tolist() == [5.1, 3.5, 1.4, 0.2]
    assert ds.source == str((DATA / "iris.csv").resolve())


def test_digits_loads_as_ten_classes() -> None:
    ds = load_file(DATA / "digits.csv")
    assert ds.X.shape == (1797, 64) and ds.Y.shape == (1797, 10)
    assert ds.class_names == tuple(str(d) for d in range(10))
    assert ds.feature_names[0] == "pixel_0" and ds.target_names == ("digit",)
    assert ds.X.min() == 0 and ds.X.max() == 16
    np.testing.assert_array_equal(ds.Y.sum(axis=1), 1.0)


def test_bom_and_crlf(tmp_path: Path) -> None:
    path = tmp_path / "bom.csv"
    path.write_bytes("\ufeffa,b,label\r\n1,2,x\r\n3,4,y\r\n".encode("utf-8"))
    ds = load_csv(path)
    assert ds.feature_names == ("a", "b")
    assert ds.X.tolist() == [[1.0, 2.0], [3.0, 4.0]]
    assert ds.class_names == ("x", "y")


def test_semicolon_and_tab_separated_files_load(tmp_path: Path) -> None:
    semi = load_csv(write(tmp_path, "a;b;y\n1.5;2;0\n3;4.25;1\n", "semi.csv"))
    tab = load_csv(write(tmp_path, "a\tb\ty\n1.5\t2\t0\n3\t4.25\t1\n", "tab.csv"))
    for ds in (semi, tab):
        assert ds.X.tolist() == [[1.5, 2.0], [3.0, 4.25]]
        assert ds.Y.tolist() == [[1.0, 0.0], [0.0, 1.0]]


def test_decimal_comma_in_semicolon_file_is_an_error(tmp_path: Path) -> None:
    path = write(tmp_path, "a;b;y\n5,1;2;0\n3;4;1\n", "euro.csv")
    message = csv_error(path)
    assert "row 2, column a" in message and "'5,1' is not a number" in message
    assert "';'" in message


def test_target_by_name_and_whitespace(tmp_path: Path) -> None:
    path = write(tmp_path, "y , a, b\n0, 1.0, 2\n1, 3, 4\n")
    ds = load_csv(path, target="y")
    assert ds.feature_names == ("a", "b") and ds.target_names == ("y",)
    assert ds.X.tolist() == [[1.0, 2.0], [3.0, 4.0]]


def test_auto_task_rules(tmp_path: Path) -> None:
    binary = load_csv(write(tmp_path, "a,y\n1,0\n2,1\n3,1\n", "bin.csv"))
    assert binary.task == "classification" and binary.Y.shape == (3, 2)
    assert binary.class_names == ("0", "1")
    numeric_sort = load_csv(write(tmp_path, "a,y\n1,10\n2,9\n3,2\n4,2.0\n", "num.csv"))
    assert numeric_sort.class_names == ("2", "9", "10")
    assert class_indices(numeric_sort.Y).tolist() == [2, 1, 0, 0]
    floats = load_csv(write(tmp_path, "a,y\n1,0.5\n2,1.25\n", "reg.csv"))
    assert floats.task == "regression" and floats.class_names is None
    assert floats.Y.tolist() == [[0.5], [1.25]]


def test_forced_tasks(tmp_path: Path) -> None:
    ints = write(tmp_path, "a,y\n1,0\n2,1\n3,5\n", "ints.csv")
    assert load_csv(ints, task="regression").Y.tolist() == [[0.0], [1.0], [5.0]]
    fractional = load_csv(write(tmp_path, "a,y\n1,0.5\n2,1.5\n3,0.5\n", "f.csv"), task="classification")
    assert fractional.class_names == ("0.5", "1.5") and fractional.Y.shape == (3, 2)
    text = write(tmp_path, "a,y\n1,cat\n2,dog\n", "text.csv")
    message = csv_error(text, task="regression")
    assert "row 2, column y" in message and ": cat is not a number" in message


def test_fractional_labels_forced_to_classification_are_numbers(tmp_path: Path) -> None:
    # 1.5 and 1.50 are one class (they were two, as text), and classes sort by value
    # ("10.5" after "2.5"), as whole-number labels and an .npz's labels do
    path = write(tmp_path, "a,y\n1,1.5\n2,1.50\n3,10.5\n4,2.5\n5,2.50\n", "f.csv")
    ds = load_csv(path, task="classification")
    assert ds.class_names == ("1.5", "2.5", "10.5")
    assert class_indices(ds.Y).tolist() == [0, 0, 2, 1, 1]


def test_several_target_columns(tmp_path: Path) -> None:
    path = write(tmp_path, "a,p,q\n1,1,0\n2,0,1\n3,0,1\n")
    regression = load_csv(path, target=["p", "q"], task="regression")
    assert regression.task == "regression" and regression.Y.shape == (3, 2)
    one_hot = load_csv(path, target=["p", "q"], task="classification")
    assert one_hot.class_names == ("p", "q")
    np.testing.assert_array_equal(one_hot.Y, [[1, 0], [0, 1], [0, 1]])
    # task auto: one-hot rows are classes, one per column (they were fit as numbers, with no accuracy)
    auto = load_csv(path, target=["p", "q"])
    assert auto.task == "classification" and auto.class_names == ("p", "q")
    np.testing.assert_array_equal(auto.Y, one_hot.Y)
    for other in ("a,p,q\n1,1,0\n2,1,1\n", "a,p,q\n1,1,0\n2,0.5,0.5\n", "a,p,q\n1,1,0\n2,0,0\n"):
        assert load_csv(write(tmp_path, other, "other.csv"), target=["p", "q"]).task == "regression", other
    not_one_hot = write(tmp_path, "a,p,q\n1,1,0\n2,1,1\n", "bad.csv")
    assert "row 3" in csv_error(not_one_hot, target=["p", "q"], task="classification")


@pytest.mark.parametrize(
    "text, expected",
    [
        ("", "empty"),
        ("\n\n  \n", "empty"),
        ("a,b,y\n", "no data rows"),
        ("a,b,y\n1,2,0\n3,4\n", "row 3 has 2 cells, the header has 3"),
        ("a,b,y\n1,2,0\n\n3,abc,1\n", "row 4, column b: abc is not a number"),
        ("a,b,y\n1,,0\n", "row 2, column b: the cell is empty"),
        ("a,b,y\n1,nan,0\n", "row 2, column b: nan is not allowed"),
        ("a,b,y\n1,2,0\n-inf,2,1\n", "row 3, column a: -inf is not allowed"),
        ("a,b,y\n1,1_0,0\n", "row 2, column b: '1_0' is not a number"),
        ("a,b,y\n1,2,0.5\n1,2,inf\n", "row 3, column y: inf is not allowed"),
        ("a,b,y\n1,2,cat\n1,2,\n", "row 3, column y: the target cell is empty"),
        ("a,a,y\n1,2,0\n", "column a more than once"),
        ("a,,y\n1,2,0\n", "row 1: column 2 has an empty name"),
        ("a,b,y\n1,2,cat\n3,4,cat\n", "column y: the target has only one class (cat)"),
        ("y\n1\n2\n", "no feature columns"),
        ("1,2,0\n3,4,1\n5,6,0\n", "row 1: the header row holds only numbers (1, 2, 0); the file seems to "
                                     "have no header row"),
        ("\n 5.1 ; 3 ;1e3\n3;4;1\n", "row 2: the header row holds only numbers (5.1, 3, 1e3)"),
        # two files joined with cat: was "row 3, column 'a': 'a' is not a number"
        ("a,b,y\n1,2,0\na, b ,y\n3,4,1\n", "row 3: repeats the header row; a CSV file has one header row"),
        # a quote left open swallows the rest of the file: was "row 4 has 1 cell, the header has 3"
        ('a,b,y\n1,2,0\n\n"3,4,1\n5,6,0\n', 'row 4: a quote (") opened in this row seems not to be closed: '
                                             "its cell runs on to row 5, so the row has 1 cell, the header has 3"),
        ('a;b;y\n1;2;0\n3;"4;1\n5;6;0\n', "row 3: a quote (\") opened in this row seems not to be closed"),
        # opened in a row's last cell, which keeps the row's count of cells: a target took the rest
        # of the file as one class label (trained on 2 rows, no error), a feature was blamed on row 5
        ('a,b,y\n0,0,0\n0,1,"1\n1,0,1\n1,1,0\n', 'row 3: a quote (") opened in this row seems not to be '
                                                  "closed: its cell runs on to row 5, in column y"),
        ('y,a,b\n0,0,0\n1,0,"1\n1,1,0\n0,1,1\n', "row 3: a quote (\") opened in this row seems not to be "
                                                  "closed: its cell runs on to row 5, in column b"),
        # a closed quoted cell holding a line break in a short row is only short; a row is named by
        # the line it starts on (it said "row 3", the line it ended on), with its lines
        ('a,b,y\n"1\n2",0\n', "row 2 (lines 2-3) has 2 cells, the header has 3"),
        ('a,b,y\n"1\n",x,0\n', "row 2, column b: x is not a number"),
    ],
)
def test_csv_errors_name_file_row_and_column(tmp_path: Path, text: str, expected: str) -> None:
    assert expected in csv_error(write(tmp_path, text, "bad.csv"))


def test_a_header_of_numbers_naming_the_asked_for_columns_is_a_header(tmp_path: Path) -> None:
    """Columns named 1 and 2 are legal (a model trained on 'header 1,2,y' has them as features):
    a numbers-only first row is taken for a missing header only when it does not hold the
    columns asked for by name (predict's input of a model's features, data.target)."""
    from backprop_cli.data import read_csv_columns

    path = write(tmp_path, "1,2\n0.5,0.25\n3,4\n", "features.csv")
    X, _, lines = read_csv_columns(path, ["1", "2"])
    assert X.tolist() == [[0.5, 0.25], [3.0, 4.0]] and lines == [2, 3]
    with pytest.raises(DataError, match="row 1: the header row holds only numbers"):
        read_csv_columns(path, ["x", "y"])
    path = write(tmp_path, "10,20,30\n1,2,0\n3,4,1\n", "years.csv")
    ds = load_csv(path, target="30")
    assert ds.feature_names == ("10", "20") and ds.target_names == ("30",) and ds.n_samples == 2
    assert "the header row holds only numbers" in csv_error(path)
    assert "the header row holds only numbers" in csv_error(path, target="y")


def test_row_numbers_count_file_lines_with_crlf(tmp_path: Path) -> None:
    path = write(tmp_path, "a,y\n1,0\n\n2,1\nx,1\n", "crlf.csv", newline="\r\n")
    assert "row 5, column a: x is not a number" in csv_error(path)


def test_missing_target_lists_the_columns(tmp_path: Path) -> None:
    message = csv_error(write(tmp_path, "a,b,y\n1,2,0\n"), target="label")
    assert "target column label (data.target) not found" in message and "a, b, y" in message


def test_too_many_whole_number_classes_under_auto(tmp_path: Path) -> None:
    rows = "".join(f"{i},{i * 1000}\n" for i in range(150))
    path = write(tmp_path, "a,price\n" + rows, "prices.csv")
    assert "data.task" in csv_error(path)
    assert load_csv(path, task="regression").Y.shape == (150, 1)


def test_not_utf8_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "latin1.csv"
    path.write_bytes("a,y\n1,caf\u00e9\n".encode("latin-1"))
    assert "UTF-8" in csv_error(path)
    # far down a file (past the decoder's first chunks), in a quoted cell spanning two lines:
    # the row (the cell's last line, as every row number counts file lines) and column are named
    path.write_bytes(b"a,y\r\n" + b"1,0\r\n" * 20000 + b'2,"x\ny\xe9"\r\n3,1\r\n')
    assert ("latin1.csv row 20003, column y: \"x\\ny\\xe9\" is not UTF-8 text (byte 0xe9 cannot be "
            "decoded); save it as UTF-8 CSV") in csv_error(path)
    path.write_bytes(b"a,\xff\n1,0\n")  # in the header
    assert "latin1.csv row 1, column 2: \"\\xff\" is not UTF-8 text" in csv_error(path)


def test_bad_task_and_target_arguments(tmp_path: Path) -> None:
    path = write(tmp_path, "a,y\n1,0\n2,1\n")
    with pytest.raises(DataError, match="^data.task: guess is not one of"):
        load_csv(path, task="guess")
    with pytest.raises(DataError, match="^data.target"):
        load_csv(path, target=[])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    content=st.one_of(
        st.binary(max_size=120),
        st.text(alphabet='0123456789.,;\t\n\r "ab-e_\ufeffnif', max_size=120).map(
            lambda s: s.encode("utf-8")
        ),
        st.lists(
            st.lists(st.sampled_from(["1", "2.5", "-3", "x", "", "nan", "0", "1"]), min_size=1, max_size=4),
            max_size=6,
        ).map(lambda rows: ("a,b,c\n" + "\n".join(",".join(r) for r in rows)).encode("utf-8")),
    ),
    task=st.sampled_from(TASKS),
)
def test_any_bytes_give_a_dataset_or_a_data_error(tmp_path: Path, content: bytes, task: str) -> None:
    path = tmp_path / "fuzz.csv"
    path.write_bytes(content)
    try:
        ds = load_csv(path, task=task)
    except DataError as err:
        assert "\n" not in err.message and "fuzz.csv" in err.message
        return
    assert isinstance(ds, Dataset)
    assert ds.X.shape[0] == ds.Y.shape[0] >= 1
    assert np.all(np.isfinite(ds.X)) and np.all(np.isfinite(ds.Y))
    if ds.task == "classification":
        np.testing.assert_array_equal(ds.Y.sum(axis=1), 1.0)


# ---------------------------------------------------------------------------------- NPZ and load_file


def test_npz_round_trip_classification_and_regression(tmp_path: Path) -> None:
    X = np.arange(12.0).reshape(6, 2)
    np.savez(tmp_path / "cls.npz", X=X, y=np.array([2, 0, 1, 2, 0, 1]))
    ds = load_npz(tmp_path / "cls.npz")
    np.testing.assert_array_equal(ds.X, X)
    assert ds.task == "classification" and ds.class_names == ("0", "1", "2")
    assert class_indices(ds.Y).tolist() == [2, 0, 1, 2, 0, 1]
    np.savez(tmp_path / "reg.npz", X=X, y=np.linspace(0, 1, 6))
    reg = load_file(tmp_path / "reg.npz")
    assert reg.task == "regression" and reg.Y.shape == (6, 1)
    np.savez(tmp_path / "multi.npz", X=X, y=np.eye(3)[[0, 1, 2, 0, 1, 2]])
    # y = np.eye(3)[labels] under task auto: the classes 0, 1, 2 (it was fit as 3 numbers, with no accuracy)
    auto = load_npz(tmp_path / "multi.npz")
    assert auto.task == "classification" and auto.class_names == ("0", "1", "2")
    assert class_indices(auto.Y).tolist() == [0, 1, 2, 0, 1, 2]
    assert load_npz(tmp_path / "multi.npz", task="regression").task == "regression"
    np.savez(tmp_path / "scores.npz", X=X, y=np.eye(3)[[0, 1, 2, 0, 1, 2]] * 0.9)  # not one-hot: numbers
    assert load_npz(tmp_path / "scores.npz").task == "regression"
    forced = load_npz(tmp_path / "multi.npz", task="classification")
    assert forced.Y.shape == (6, 3) and forced.class_names == ("0", "1", "2")
    np.savez(tmp_path / "text.npz", X=X, y=np.array(["b", "a"] * 3))
    assert load_npz(tmp_path / "text.npz").class_names == ("a", "b")


def test_npz_complex_arrays_are_refused_as_not_real_numbers(tmp_path: Path) -> None:
    """A complex X was refused with 'a numeric array is required': complex numbers are numbers."""
    X = np.zeros((4, 2), dtype=complex)
    np.savez(tmp_path / "cx.npz", X=X, y=np.array([0, 1, 0, 1]))
    with pytest.raises(DataError, match=r"cx\.npz: array 'X' has dtype complex128; an array of real numbers is "
                       r"required$"):
        load_npz(tmp_path / "cx.npz")
    np.savez(tmp_path / "cy.npz", X=X.real, y=np.array([0, 1, 0, 1], dtype=complex))
    with pytest.raises(DataError, match=r"has dtype complex128; an array of real numbers \(or of text labels\) is "
                       r"required$"):
        load_npz(tmp_path / "cy.npz")


def test_npz_text_labels_as_bytes_and_empty_labels(tmp_path: Path) -> None:
    X = np.ones((4, 2))
    # a bytes ('S') label array is UTF-8 text: 'é' crashed with a traceback (astype(str) is ASCII)
    np.savez(tmp_path / "b.npz", X=X, y=np.array(["caf\u00e9".encode(), b"tea", b"tea", b" tea "]))
    ds = load_npz(tmp_path / "b.npz")
    assert ds.class_names == ("caf\u00e9", "tea") and class_indices(ds.Y).tolist() == [0, 1, 1, 1]
    np.savez(tmp_path / "latin.npz", X=X, y=np.array([b"tea", b"caf\xe9", b"tea", b"tea"]))
    assert ("latin.npz: array 'y' row 1: \"caf\\xe9\" is not UTF-8 text (byte 0xe9 cannot be decoded); "
            "text labels must be UTF-8") in _npz_error(tmp_path / "latin.npz")
    # an empty label is a missing one (as an empty CSV target cell), not a class named ''
    np.savez(tmp_path / "empty.npz", X=X, y=np.array(["a", "b", " ", "a"]))
    assert "empty.npz: array 'y' row 2: the label is empty; every row needs a label" in \
        _npz_error(tmp_path / "empty.npz")


def test_npz_single_column_labels_forced_to_classification(tmp_path: Path) -> None:
    # y of shape (n, 1) holding labels: classes as a 1-D y gives them (it was refused as
    # "not one-hot ... with several target columns")
    np.savez(tmp_path / "col.npz", X=np.ones((4, 2)), y=np.array([[0], [1], [2], [1]]))
    ds = load_npz(tmp_path / "col.npz", task="classification")
    assert ds.class_names == ("0", "1", "2") and class_indices(ds.Y).tolist() == [0, 1, 2, 1]
    assert load_npz(tmp_path / "col.npz").task == "regression"  # auto: a 2-D y is targets


def _npz_error(path: Path, **kwargs: object) -> str:
    with pytest.raises(DataError) as info:
        load_npz(path, **kwargs)  # type: ignore[arg-type]
    assert path.name in info.value.message and "\n" not in info.value.message
    return info.value.message


def test_npz_errors_name_file_and_array(tmp_path: Path) -> None:
    X = np.ones((4, 2))
    np.savez(tmp_path / "noy.npz", X=X)
    assert "array 'y' is missing" in _npz_error(tmp_path / "noy.npz")
    np.savez(tmp_path / "nox.npz", y=np.zeros(4))
    assert "array 'X' is missing" in _npz_error(tmp_path / "nox.npz")
    np.savez(tmp_path / "rows.npz", X=X, y=np.zeros(3))
    assert "array 'y' has 3 rows but 'X' has 4" in _npz_error(tmp_path / "rows.npz")
    np.savez(tmp_path / "obj.npz", X=np.array([{"a": 1}] * 4, dtype=object), y=np.zeros(4))
    assert "array 'X'" in _npz_error(tmp_path / "obj.npz")
    np.savez(tmp_path / "flat.npz", X=np.ones(4), y=np.zeros(4))
    assert "array 'X' has shape (4,)" in _npz_error(tmp_path / "flat.npz")
    np.savez(tmp_path / "nan.npz", X=np.array([[1.0, np.nan]] * 4), y=np.zeros(4))
    assert "array 'X' at [0, 1]" in _npz_error(tmp_path / "nan.npz")
    np.savez(tmp_path / "one.npz", X=X, y=np.zeros(4, dtype=int))
    assert "only one class" in _npz_error(tmp_path / "one.npz")
    (tmp_path / "corrupt.npz").write_bytes(b"PK\x03\x04 definitely not a zip archive")
    assert "corrupt.npz" in _npz_error(tmp_path / "corrupt.npz")
    np.save(tmp_path / "single.npy", X)
    (tmp_path / "single.npy").rename(tmp_path / "single.npz")
    assert "not an .npz archive" in _npz_error(tmp_path / "single.npz")


def test_load_file_dispatch_errors(tmp_path: Path) -> None:
    (tmp_path / "notes.json").write_text("a,b\n1,2\n")
    with pytest.raises(DataError, match=r"notes.json: files ending in '.json' are not supported"):
        load_file(tmp_path / "notes.json")
    with pytest.raises(DataError, match="missing.csv: no such file"):
        load_file(tmp_path / "missing.csv")
    (tmp_path / "folder.csv").mkdir()
    with pytest.raises(DataError, match="folder.csv: is a folder"):
        load_file(tmp_path / "folder.csv")
    np.savez(tmp_path / "d.npz", X=np.ones((2, 1)), y=np.array([0, 1]))
    with pytest.raises(DataError, match="^data.target"):
        load_file(tmp_path / "d.npz", target="y")


# ---------------------------------------------------------------------------------- splits


def indexed(n: int, task: str = "classification", k: int = 3) -> Dataset:
    """A data set whose single feature is the row number, to track rows through a split."""
    X = np.arange(n, dtype=float).reshape(-1, 1)
    if task == "regression":
        return Dataset(X, X * 2, "regression", None, ("i",), ("y",), "test")
    Y = np.eye(k)[np.arange(n) % k]
    return Dataset(X, Y, "classification", tuple(map(str, range(k))), ("i",), ("y",), "test")


def test_split_is_stratified_and_a_partition() -> None:
    ds = load_csv(DATA / "iris.csv")
    train, test = train_test_split(ds, 0.2, rng(3))
    assert test is not None and (train.n_samples, test.n_samples) == (120, 30)
    np.testing.assert_array_equal(test.Y.sum(axis=0), [10, 10, 10])
    assert train.class_names == ds.class_names and test.feature_names == ds.feature_names
    rows = indexed(100)
    train, test = train_test_split(rows, 0.25, rng(3))
    assert test is not None
    together = np.concatenate([train.X[:, 0], test.X[:, 0]])
    assert sorted(together.tolist()) == list(range(100))


def test_split_keeps_a_training_row_of_every_class_when_it_can() -> None:
    # classes of 1, 1 and 8 rows, half for test: a tie of remainders sent the first
    # class's only row to the test split, so training never saw that class
    labels = np.array([0, 1] + [2] * 8)
    ds = Dataset(np.arange(10.0).reshape(-1, 1), np.eye(3)[labels], "classification", ("a", "b", "c"),
                 ("i",), ("y",), "test")
    for seed in range(5):
        train, test = train_test_split(ds, 0.5, rng(seed))
        assert test is not None and (train.n_samples, test.n_samples) == (5, 5)
        assert set(class_indices(train.Y).tolist()) == {0, 1, 2}
        assert np.bincount(class_indices(test.Y), minlength=3).tolist() == [0, 0, 5]
    # only when every training row is needed elsewhere does a class go wholly to test
    train, test = train_test_split(ds.subset(np.arange(3)), 0.5, rng(0))
    assert test is not None and train.n_samples == 1 and test.n_samples == 2


def test_split_sizes_and_edge_fractions() -> None:
    ds = indexed(10, "regression")
    train, test = train_test_split(ds, 0.0, rng())
    assert train is ds and test is None
    for fraction, n_test in [(0.01, 1), (0.3, 3), (0.99, 9)]:
        train, test = train_test_split(ds, fraction, rng())
        assert test is not None and (train.n_samples, test.n_samples) == (10 - n_test, n_test)
    a_train, _ = train_test_split(ds, 0.3, rng(5))
    b_train, _ = train_test_split(ds, 0.3, rng(5))
    np.testing.assert_array_equal(a_train.X, b_train.X)


@pytest.mark.parametrize("fraction", [-0.1, 1.0, 1.5, float("nan"), True])
def test_split_rejects_bad_fractions(fraction: float) -> None:
    with pytest.raises(DataError, match="^data.test_fraction"):
        train_test_split(indexed(10), fraction, rng())


def test_split_of_one_row_is_an_error() -> None:
    with pytest.raises(DataError, match="only 1 row"):
        train_test_split(indexed(1, "regression"), 0.5, rng())


# ---------------------------------------------------------------------------------- scaling, batches


def test_standardizer_zero_mean_unit_std_and_constant_column() -> None:
    X = np.column_stack([rng().normal(5.0, 3.0, 50), np.full(50, 0.1), np.arange(50.0)])
    scaler = Standardizer.fit(X)
    Z = scaler.transform(X)
    np.testing.assert_allclose(Z[:, [0, 2]].mean(axis=0), 0.0, atol=1e-12)
    np.testing.assert_allclose(Z[:, [0, 2]].std(axis=0), 1.0)
    assert scaler.scale[1] == 1.0
    np.testing.assert_allclose(Z[:, 1], 0.0, atol=1e-15)
    assert np.all(np.isfinite(Z)) and Z.shape == X.shape
    with pytest.raises(DataError, match="fit on 3 columns"):
        scaler.transform(np.ones((2, 2)))
    with pytest.raises(DataError, match="^standardizer"):  # e.g. read from a damaged model file
        Standardizer(mean=np.zeros(2), scale=np.array([1.0, 0.0]))


def test_standardizer_handles_magnitudes_whose_squares_overflow_or_underflow() -> None:
    """Columns around 1e300 and 1e-300 (finite, so a CSV may hold them): the same scaling as
    the column divided by a power of two, no warning, no internal error."""
    base = rng().normal(size=(40, 2))
    X = np.column_stack([base[:, 0] * 2.0**1000, base[:, 1] * 2.0**-1000, base[:, 0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        scaler = Standardizer.fit(X)
        Z = scaler.transform(X)
    want = Standardizer.fit(np.column_stack([base, base[:, 0]])).transform(np.column_stack([base, base[:, 0]]))
    np.testing.assert_allclose(Z, want, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("power", [-512, -520, -525, -530, -535])
def test_standardizer_is_exact_where_the_squares_are_subnormal_not_zero(power: int) -> None:
    """A column near 1e-155 … 1e-162: its squared deviations are subnormal, not 0, so its std
    kept few digits and was taken as it was (the z-scores were 1.3% off at 2^-535 ≈ 9e-162,
    where an outside check scaling such a column as the README says got unit variance)."""
    base = rng().normal(size=(40, 1))
    scaled = base * 2.0**power  # exact: a power of two
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        scaler = Standardizer.fit(scaled)
        Z = scaler.transform(scaled)
    z_by_hand = (base - base.mean()) / base.std()  # the same column at unit scale
    np.testing.assert_allclose(Z, z_by_hand, rtol=1e-12, atol=1e-12)
    assert scaler.scale[0] == pytest.approx(base.std() * 2.0**power, rel=1e-14)


def test_minibatches_cover_each_index_once() -> None:
    batches = list(minibatches(10, 3, rng(4)))
    assert [len(b) for b in batches] == [3, 3, 3, 1]
    assert sorted(np.concatenate(batches).tolist()) == list(range(10))
    assert all(b.dtype == np.intp for b in batches)
    again = list(minibatches(10, 3, rng(4)))
    assert all(np.array_equal(a, b) for a, b in zip(batches, again))
    assert np.concatenate(batches).tolist() != list(range(10))


def test_minibatches_without_rng_keep_order() -> None:
    assert [b.tolist() for b in minibatches(5, 2, None)] == [[0, 1], [2, 3], [4]]
    assert [b.tolist() for b in minibatches(3, 10, None)] == [[0, 1, 2]]
    assert list(minibatches(0, 4, None)) == []
    with pytest.raises(DataError, match="batch_size"):
        list(minibatches(5, 0, None))


# ---------------------------------------------------------------------------------- accuracy, subset


def test_accuracy_one_hot_and_single_column() -> None:
    Y = np.eye(3)[[0, 1, 2, 1]]
    A = np.array([[0.9, 0.1, 0.0], [0.2, 0.7, 0.1], [0.5, 0.4, 0.1], [0.0, 1.0, 0.0]])
    assert accuracy(Y, A) == pytest.approx(0.75)
    y = np.array([[0.0], [1.0], [1.0], [0.0]])
    a = np.array([[0.2], [0.8], [0.4], [0.6]])
    assert accuracy(y, a) == pytest.approx(0.5)
    assert accuracy(y.ravel(), y.ravel()) == 1.0
    assert math.isnan(accuracy(np.zeros((0, 1)), np.zeros((0, 1))))
    with pytest.raises(ValueError):
        accuracy(Y, A[:, :2])


def test_a_single_output_of_exactly_one_half_is_the_first_class() -> None:
    """README (Accuracy): for one output, the second class where a > 0.5. Exactly 0.5 (a sigmoid of
    z = 0, as an untrained network with zero weights gives) is the first class."""
    assert class_indices(np.array([[0.5], [0.5000001], [0.4999999]])).tolist() == [0, 1, 0]
    assert accuracy(np.array([[0.0], [1.0]]), np.array([[0.5], [0.5]])) == 0.5


def test_subset_keeps_metadata() -> None:
    ds = generate("spirals", rng(), n_samples=30, classes=3)
    part = ds.subset(np.array([0, 5, 7]))
    assert part.n_samples == 3 and part.class_names == ds.class_names and part.source == ds.source
    np.testing.assert_array_equal(part.X, ds.X[[0, 5, 7]])
    assert ds.subset(np.int64(4)).X.shape == (1, 2)


def test_dataset_keeps_float32_and_makes_everything_else_float64() -> None:
    """A float32 run holds its data in float32 (no float64 copy); other numbers become float64,
    and Y always has X's dtype."""
    names = dict(task="regression", class_names=None, feature_names=("a", "b"), target_names=("y",), source="t")
    X32 = np.arange(6, dtype=np.float32).reshape(3, 2)
    ds = Dataset(X32, np.ones((3, 1)), **names)
    assert ds.X.dtype == ds.Y.dtype == np.float32 and ds.X is X32
    for X in (np.arange(6).reshape(3, 2), np.arange(6, dtype=np.float16).reshape(3, 2), [[0, 1], [2, 3], [4, 5]]):
        ds = Dataset(X, np.ones((3, 1), dtype=np.float32), **names)
        assert ds.X.dtype == ds.Y.dtype == np.float64


def test_dataset_astype_casts_both_arrays_once() -> None:
    ds = generate("spirals", np.random.default_rng(0), n_samples=30, classes=3)
    assert ds.X.dtype == np.float64
    ds32 = ds.astype("float32")
    assert ds32.X.dtype == ds32.Y.dtype == np.float32
    assert np.array_equal(ds32.X, ds.X.astype(np.float32)) and np.array_equal(ds32.Y, ds.Y)
    assert (ds32.task, ds32.class_names, ds32.feature_names, ds32.source) == (ds.task, ds.class_names,
                                                                               ds.feature_names, ds.source)
    assert ds32.astype(np.float32) is ds32 and ds.astype("float64") is ds
    assert ds32.astype("float64").X.dtype == np.float64
    with pytest.raises(ValueError, match="float32 or float64"):
        ds.astype("int32")


def test_standardizer_of_a_constant_column_near_the_largest_float() -> None:
    """A constant column of 1e308 (or -1.7e308): its mean summed n values and overflowed to inf,
    so ``train`` refused the data with "standardizer: mean … must be … finite" (no file, no
    column). A constant column's mean is its value, its scale 1, and it maps to 0."""
    X = np.column_stack([np.full(20, 1e308), np.full(20, -1.7e308), np.arange(20.0)])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        scaler = Standardizer.fit(X)
        Z = scaler.transform(X)
    assert scaler.mean[:2].tolist() == [1e308, -1.7e308] and scaler.scale[:2].tolist() == [1.0, 1.0]
    assert np.all(Z[:, :2] == 0.0) and np.all(np.isfinite(Z))


def test_standardizer_transform_where_x_minus_mean_overflows() -> None:
    """x = ±1.7e308 with a mean of 0.68e308: x − mean overflowed to −inf (a RuntimeWarning on
    stderr, then "training diverged … try a smaller learning rate"). Scaled first, it is finite."""
    col = np.array([1.7e308] * 7 + [-1.7e308] * 3)
    X = np.column_stack([col, np.arange(10.0)])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        scaler = Standardizer.fit(X)
        Z = scaler.transform(X)
    assert np.all(np.isfinite(Z))
    want = Standardizer.fit(np.column_stack([col / 1e308, np.arange(10.0)])).transform(
        np.column_stack([col / 1e308, np.arange(10.0)]))
    np.testing.assert_allclose(Z, want, rtol=1e-12)


def test_a_corrupt_npz_leaves_no_file_open(tmp_path: Path) -> None:
    """numpy's np.load(path) leaves its file open when the archive is corrupt (BadZipFile): a
    ResourceWarning, an open descriptor per attempt in a long-lived process."""
    import gc
    import warnings

    from backprop_cli.errors import ModelFileError
    from backprop_cli.model_io import read_npz

    bad = tmp_path / "corrupt.npz"
    bad.write_bytes(b"PK\x03\x04 definitely not a zip archive")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert "corrupt.npz" in _npz_error(bad)
        with pytest.raises(ModelFileError):
            read_npz(bad)
        gc.collect()
    assert not [w for w in caught if issubclass(w.category, ResourceWarning)], [str(w.message) for w in caught]


def test_an_open_quote_in_a_column_not_read_is_named_where_it_swallowed_whole_rows(tmp_path):
    """predict reads the features by name and leaves an id column alone: a quote opened in that
    last cell read the following rows into it, and predict returned 1 prediction for 3 rows,
    exit 0. A quoted note with a line break and a separator of its own is still a note."""
    from backprop_cli.data import read_csv_columns

    head = "a,b,id\n"
    swallowed = tmp_path / "swallowed.csv"
    swallowed.write_text(head + '1,2,"x\n3,4,y\n5,6,z\n')
    with pytest.raises(DataError, match=r"row 2: a quote \(\"\) opened in this row seems not to be closed: "
                                        r"its cell runs on to row 4, in column id$"):
        read_csv_columns(swallowed, ["a", "b"])
    note = tmp_path / "note.csv"
    note.write_text(head + '1,2,"a note, with\na line break"\n3,4,y\n')
    X, _, lines = read_csv_columns(note, ["a", "b"])
    assert X.tolist() == [[1, 2], [3, 4]] and lines == [2, 4]


def test_a_single_whole_number_target_under_auto_hints_at_task_regression(tmp_path):
    """A hand-worked example's one row, x = 2 and y = 3, read under task auto as one class '3':
    'classification needs at least 2' said nothing of data.task, the one setting that fixes it.
    Text labels, which are classes whatever the task, get no such hint."""
    f = tmp_path / "one.csv"
    f.write_text("x,y\n2,3\n")
    with pytest.raises(DataError, match="only one class") as info:
        load_csv(f)
    assert info.value.hint is not None and "data.task: regression" in info.value.hint
    assert load_csv(f, task="regression").Y.tolist() == [[3.0]]
    g = tmp_path / "cats.csv"
    g.write_text("x,y\n1,cat\n2,cat\n")
    with pytest.raises(DataError, match="only one class") as info:
        load_csv(g)
    assert info.value.hint is None


@pytest.mark.parametrize("counts,n_test,shares", [
    ([1, 3, 10], 2, [0, 1, 1]),  # remainders 2/14, 6/14, 6/14: a tie, to the lower index
    ([1, 1, 8], 5, [0, 0, 5]),   # remainders 5/10, 5/10, 0: the one-row classes keep their row
    ([50, 50, 50], 30, [10, 10, 10]),
    ([2, 2, 2], 1, [1, 0, 0]),   # three equal remainders 1/3: the lowest index
    ([5, 5], 5, [3, 2]),
    ([1, 2], 2, [1, 1]),         # neither class can keep a row after its extra one: by remainder
    ([3, 7], 3, [1, 2]),         # remainders 9/10 and 1/10
    ([4, 4, 4, 4], 0, [0, 0, 0, 0]),
])
def test_stratified_shares_by_hand(counts, n_test, shares) -> None:
    """The largest-remainder apportionment, worked by hand. Classes of 1, 3 and 10 rows with 2
    test rows gave [0, 0, 2]: in floats 2·10/14 − 1 = 0.4285714285714286 beat 2·3/14 =
    0.42857142857142855, so rounding broke an exact tie, not the documented lower index."""
    from backprop_cli.data import stratified_shares

    assert stratified_shares(counts, n_test) == shares


def test_stratified_shares_add_up_and_stay_within_one_of_the_exact_share() -> None:
    from fractions import Fraction

    from backprop_cli.data import stratified_shares

    r = np.random.default_rng(0)
    for _ in range(3000):
        counts = r.integers(1, int(r.choice([3, 20, 1000])), size=int(r.integers(1, 9))).tolist()
        n = sum(counts)
        if n < 2:
            continue
        n_test = int(r.integers(0, n))
        shares = stratified_shares(counts, n_test)
        assert sum(shares) == n_test, (counts, n_test, shares)
        exact = [Fraction(n_test * c, n) for c in counts]
        for c, t, q in zip(counts, shares, exact):
            assert abs(t - q) <= 1 and 0 <= t <= c, (counts, n_test, shares)
        # strictly within 1 (the quota rule) unless a class had to be spared its last training row
        if all(math.floor(q) + 1 < c for c, q in zip(counts, exact)):
            assert all(abs(t - q) < 1 for t, q in zip(shares, exact)), (counts, n_test, shares)
        # equal classes get shares that differ by at most 1, the larger ones first
        for i in range(len(counts)):
            for j in range(i + 1, len(counts)):
                if counts[i] == counts[j]:
                    assert shares[i] - shares[j] in (0, 1), (counts, n_test, shares)


def test_the_split_of_classes_of_1_3_and_10_rows_breaks_its_tie_by_the_rule() -> None:
    labels = np.array([0] + [1] * 3 + [2] * 10)
    ds = Dataset(np.arange(14.0).reshape(-1, 1), np.eye(3)[labels], "classification", ("a", "b", "c"),
                 ("i",), ("y",), "test")
    for seed in range(3):
        train, test = train_test_split(ds, 2 / 14, rng(seed))
        assert test is not None
        assert np.bincount(class_indices(test.Y), minlength=3).tolist() == [0, 1, 1]


def test_a_class_given_no_test_rows_still_draws_its_permutation_as_the_readme_says() -> None:
    """Classes of 14, 1, 2 and 5 rows, 2 test rows: t = 1, 0, 0, 1. The README's rule draws
    permutation(rows of c)[:t_c] for every class, the two given 0 rows too; an outside
    reimplementation that skipped them drew other rows for class 3 (at seeds 0, 1 and 4 of 5)."""
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    assert "`permutation(rows of c, ascending)[:t_c]`, drawn for every class, one given t_c = 0" in readme
    labels = np.array([0] * 14 + [1] + [2] * 2 + [3] * 5)
    rng(9).shuffle(labels)
    ds = Dataset(np.arange(22.0).reshape(-1, 1), np.eye(4)[labels], "classification", ("a", "b", "c", "d"),
                 ("i",), ("y",), "test")
    for seed in range(5):
        _, test = train_test_split(ds, 0.1, rng(seed))
        by_hand = rng(seed)  # the README's draws, in order
        held = [by_hand.permutation(np.flatnonzero(labels == c))[:t] for c, t in enumerate([1, 0, 0, 1])]
        rest = np.setdiff1d(np.arange(22), np.concatenate(held))
        by_hand.permutation(rest)  # the training split's order
        want = by_hand.permutation(np.sort(np.concatenate(held)))
        assert test is not None and test.X[:, 0].astype(int).tolist() == want.tolist()


@pytest.mark.parametrize("content", [
    "a;b;y\n1;2;1,5\n2;3;2\n3;1;0,5\n",            # decimal commas beside a whole number, ';' file
    'a,b,y\n1,2,"1,5"\n2,3,"2,25"\n3,1,"0,5"\n',   # quoted in a ',' file
    "a;b;y\n1;2; -1,5e3 \n2;3;1,000\n3;1;7\n",     # a sign, an exponent, spaces, grouped digits
])
def test_a_target_of_numbers_with_decimal_commas_is_refused_under_auto(tmp_path, content) -> None:
    """Under task auto these were read as text classes ('0,5', '1,5', '2'): a regression target
    silently trained as a 3-class classifier. Refused, naming the first comma cell (row 2)."""
    path = tmp_path / "d.csv"
    path.write_text(content)
    with pytest.raises(DataError, match=r"d\.csv row 2, column y: .* is a number written with a comma; "
                                        r"data\.task auto would read the column as class labels"):
        load_csv(path, target="y")
    ds = load_csv(path, target="y", task="classification")  # labels when the user says so
    assert ds.task == "classification" and len(ds.class_names) == 3
    with pytest.raises(DataError, match="is not a number"):
        load_csv(path, target="y", task="regression")


@pytest.mark.parametrize("content,task,says", [
    ('a,y\n1,"1,000,000"\n2,"2,500,000"\n3,7\n', "auto", "Write it without ',' (1000000), or set data.task"),
    ('a,y\n1,"1,000,000"\n2,"2,500,000"\n3,7\n', "regression", "is not a number (write it without ',': 1000000)"),
    ("a;y\n1;1,000,000\n2;2,5\n3;7\n", "regression", "(this file uses ';' as separator; write it without ',')"),
    ('a,y\n1,"1,5"\n2,2\n3,7\n', "auto", "Write decimals with '.' (1.5), or set data.task"),
    ('a,y\n1,"-0,25e3"\n2,2\n3,7\n', "regression", "(write decimals with '.': -0.25e3)"),
    ('a,y\n1,"1,5,3"\n2,2\n3,7\n', "auto", "Write decimals with '.', or set data.task"),
])
def test_a_comma_number_is_told_the_number_it_means(tmp_path, content, task, says) -> None:
    """1,000,000 was told to write decimals with '.' as 1.000.000, which is no number: commas
    grouping digits in threes (more than one, so none is a decimal point) are left out instead;
    one comma is a decimal comma; other commas (1,5,3) get the words without a number."""
    path = tmp_path / "d.csv"
    path.write_text(content)
    with pytest.raises(DataError) as info:
        load_csv(path, target="y", task=task)
    assert says in info.value.message and "1.000" not in info.value.message, info.value.message


def test_text_labels_that_merely_contain_a_comma_stay_labels(tmp_path) -> None:
    path = tmp_path / "d.csv"
    path.write_text('a,b,y\n1,2,"1,5"\n2,3,cat\n3,1,"Smith, J."\n')
    ds = load_csv(path, target="y")
    assert ds.task == "classification" and ds.class_names == ("1,5", "Smith, J.", "cat")


@pytest.mark.parametrize("labels", [["2", "1,5", "0,5"], [b"2", b" 1,5 ", b"0,5"], ["3", "1,000,000", "7.5"]])
def test_npz_text_labels_that_are_comma_numbers_are_refused_under_auto(tmp_path, labels) -> None:
    """An .npz y of text such as '1,5' was read as class labels where the same cells in a CSV
    target column are refused under task auto: refused the same way, naming the array and the
    first such entry; data.task: classification keeps them as labels."""
    np.savez(tmp_path / "d.npz", X=np.zeros((3, 2)), y=np.array(labels))
    message = _npz_error(tmp_path / "d.npz")
    assert re.search(r"d\.npz: array 'y' row 1: '1,[\d,]+' is a number written with a comma; data\.task auto "
                     r"would read the array as class labels, not numbers\. Write (decimals with '\.' \(1\.5\)|"
                     r"it without ',' \(1000000\)) and save 'y' as numbers, or set data\.task: classification "
                     r"if these are labels$", message), message
    ds = load_npz(tmp_path / "d.npz", task="classification")
    assert ds.task == "classification" and len(ds.class_names) == 3
    with pytest.raises(DataError, match="only for classification"):
        load_npz(tmp_path / "d.npz", task="regression")


def test_npz_text_labels_not_all_numbers_stay_labels_with_their_digests(tmp_path) -> None:
    """Only an array whose every label is a number, one with a comma, is refused: labels that
    merely contain a comma, plain text and numbers load as before, to the same data digest
    (models and checkpoints store it), as does the comma array read under classification."""
    from backprop_cli.data import data_digest

    X = np.arange(8.0).reshape(4, 2)
    for y, task, names, digest in (
        (["b", "a", "b", "a"], "auto", ("a", "b"), "4c7ce9249b9e05a9c47c6d30c8f7434a"),
        (["1,5", "cat", "Smith, J.", "1,5"], "auto", ("1,5", "Smith, J.", "cat"), "7dc9d8b09edfdf229b79850ca5b9b518"),
        ([b"1,5", b"x", b"x", b"1,5"], "auto", ("1,5", "x"), "0bcdd2757eca5ee827ae12c82a518813"),
        (["1.5", "2", "0.5", "2"], "auto", ("0.5", "1.5", "2"), "300c04e36d56f37a188da1a5c90e12ec"),
        (["1,5", "2", "0,5", "1,5"], "classification", ("0,5", "1,5", "2"), "c60c8155ab43a0c2c240f6629e0f351a"),
    ):
        np.savez(tmp_path / "d.npz", X=X, y=np.array(y))
        ds = load_npz(tmp_path / "d.npz", task=task)
        assert (ds.class_names, data_digest(ds)) == (names, digest), y


def test_numeric_class_labels_are_named_as_written(tmp_path) -> None:
    from backprop_cli.data import label_name, legacy_label_names, modern_label_names

    ds = load_csv(write(tmp_path, "a,y\n1,2\n2,2.50\n3,2.0\n4,-1\n", "m.csv"), target="y", task="classification")
    assert ds.class_names == ("-1", "2", "2.5")  # was -1.0, 2.0, 2.5
    assert [label_name(v) for v in (2.0, 2.5, -0.0, 1e-05, 3)] == ["2", "2.5", "0", "1e-05", "3"]
    assert legacy_label_names(("2", "2.5")) == ("2.0", "2.5")
    assert legacy_label_names(("2", "3")) is None and legacy_label_names(("a", "2.5")) is None
    assert modern_label_names(("2.0", "2.5")) == ("2", "2.5")
    for names in (("2.0", "3.0"), ("2.0", "abc"), ("2.0", "2"), ("02.0", "2.5")):  # not the old form
        assert modern_label_names(names) == names


@pytest.mark.parametrize("counts,n_test", [([3, 4], 7), ([3, 4], 8), ([3, 4], -1), ([0, 3], 1), ([2, 0, 5], 3)])
def test_stratified_shares_refuses_what_it_cannot_apportion(counts, n_test) -> None:
    """n_test must leave a training row (n_test < n) and every class must have a row, as documented."""
    from backprop_cli.data import stratified_shares

    with pytest.raises(ValueError, match="must be in"):
        stratified_shares(counts, n_test)


def test_comma_number_is_a_number_with_a_comma_and_nothing_else() -> None:
    """Hand-picked cells: a decimal comma (',5' too: 0,5 with its 0 left out), comma-grouped digits,
    a sign and an exponent are comma numbers; plain numbers and text with a comma are not."""
    from backprop_cli.data import comma_number

    for text in ("1,5", ",5", " -0,25 ", "+1,000", "1,000,000", "2,5e3", "1,100.5", "-12,345,678.25", "1.234,5",
                 "1.234.567,89"):
        assert comma_number(text), text
    for text in ("15", "1.5", "-3", "1e5", "", ",", "1,", "Smith, J.", "1,5a", "1.000,5x", "1,10.5",
                 "12.34,5", "1,234.", "1.234,"):
        assert not comma_number(text), text


@pytest.mark.parametrize("cell,says", [
    ("123,456,789", "write it without ',' (123456789)"),     # a first group of three digits
    ("-100,000,000", "write it without ',' (-100000000)"),   # its sign is not one of the group's digits
    ("1,5,000", "write decimals with '.', or set"),          # not threes throughout: no number guessed
    ("12,34,567", "write decimals with '.', or set"),
])
def test_comma_grouped_digits_are_told_only_when_grouped_in_threes(tmp_path, cell, says) -> None:
    path = tmp_path / "d.csv"
    path.write_text(f'a,y\n1,"{cell}"\n2,2\n3,7\n')
    with pytest.raises(DataError) as info:
        load_csv(path, target="y")
    assert says in info.value.message.lower(), info.value.message


@pytest.mark.parametrize("content,task,says", [
    # thousands separators beside a decimal point: the column was 60 text classes for 60 rows
    ('a,y\n1,"1,100.5"\n2,"1,101.5"\n3,"1,102.5"\n', "auto",
     "d.csv row 2, column y: '1,100.5' is a number written with a comma; data.task auto would read the column as "
     "class labels, not numbers. Write it without ',' (1100.5), or set data.task: classification"),
    ('a,y\n1,"1.234,5"\n2,"2,5"\n3,3\n', "auto",
     "'1.234,5' is a number written with a comma; data.task auto would read the column as class labels, not "
     "numbers. Write thousands without '.' and decimals with '.' (1234.5), or set"),
    ('a,y\n1,"1,100.5"\n2,2\n', "regression", "'1,100.5' is not a number (write it without ',': 1100.5)"),
    ('a,b,y\n1,"1.234,5",x\n2,2,y\n', "auto",
     "row 2, column b: '1.234,5' is not a number (write thousands without '.' and decimals with '.': 1234.5)"),
    # one comma before three digits in a ',' file is most likely a thousands separator: 1,200 is 1200, and
    # "write decimals with '.': 1.200" made it 1.2; both readings are named, no number guessed
    ('a,y\n1,"1,200"\n2,"1,201"\n3,900\n', "auto",
     "'1,200' is a number written with a comma; data.task auto would read the column as class labels, not "
     "numbers. 1200 or 1.200? Write it as 1200 if ',' groups thousands, or 1.200 if it is a decimal comma, or set"),
    ('a,b,y\n1,"1,200",x\n2,2,y\n', "auto", "row 2, column b: '1,200' is not a number (1200 or 1.200? Write it as "
     "1200 if ',' groups thousands, or 1.200 if it is a decimal comma)"),
    ("a;b;y\n1;1,200;x\n2;2;y\n", "auto", "'1,200' is not a number (this file uses ';' as separator; write "
     "decimals with '.')"),  # a ';' file's comma is its decimal comma
    ("a;y\n1;1,200\n2;2,5\n", "auto", "Write decimals with '.' (1.200), or set"),
])
def test_thousands_separators_are_numbers_told_how_to_write_them(tmp_path, content, task, says) -> None:
    path = tmp_path / "d.csv"
    path.write_text(content)
    with pytest.raises(DataError) as info:
        load_csv(path, task=task)
    assert says in info.value.message, info.value.message


@pytest.mark.parametrize("marker", ["NA", "N/A", "?", "nan", "null", "None", "-", "#N/A", " na "])
@pytest.mark.parametrize("task", ["auto", "classification"])
def test_a_missing_value_marker_in_a_label_column_is_refused_not_a_class(tmp_path, marker, task) -> None:
    """NA, N/A, ?, nan, null, None, - in a target column were each a class of their own, and one NA in a
    column of 1/2/3 made it text (2 and 2.0 two classes): refused as an empty cell is, naming the row,
    whatever the task (a class literally named NA is rarer than a missing value written so)."""
    from backprop_cli.names import shown

    cell = shown(marker.strip())  # quoted where YAML would: '?', 'null', '-'
    for labels in (["cat", "dog", marker, "cat"], ["1", "2", marker, "2.0"]):
        path = tmp_path / "d.csv"
        path.write_text("a,y\n" + "".join(f"{i},{label}\n" for i, label in enumerate(labels)))
        with pytest.raises(DataError) as info:
            load_csv(path, task=task)
        assert info.value.message.endswith(
            f"d.csv row 4, column y: {cell} reads as a missing value, refused as an empty cell is; every row "
            "needs a target value: fill it in or remove the row") or marker == "nan", info.value.message
    np.savez(tmp_path / "d.npz", X=np.zeros((4, 1)), y=np.array(["cat", "dog", marker, "cat"]))
    message = _npz_error(tmp_path / "d.npz")
    assert f"d.npz: array 'y' row 2: {cell} reads as a missing value" in message, message


def test_labels_that_merely_look_like_markers_stay_labels(tmp_path) -> None:
    path = tmp_path / "d.csv"
    path.write_text("a,y\n1,NAN-1\n2,n.a.\n3,None of these\n4,-1x\n")
    assert load_csv(path).class_names == ("-1x", "NAN-1", "None of these", "n.a.")


@pytest.mark.parametrize("content,hint", [
    (",a,b,label\n0,1,2,dog\n1,3,4,cat\n", "a first column without a name is what pandas' DataFrame.to_csv() writes for "
     "the index: save with index=False (or name the column)"),
    ("a,b,label,\n1,2,dog,\n3,4,cat,\n", "the header ends with a separator: if every line does, remove the separator "
     "at the end of each line (or name the column)"),
    ("sep=,\na,b,label\n1,2,dog\n", "the first line is Excel's sep= line, which names the separator: remove it"),
    ("a,,label\n1,2,dog\n", None),  # a column between two: nothing to guess
])
def test_an_unnamed_column_is_told_where_it_likely_comes_from(tmp_path, content, hint) -> None:
    """pandas' index column, a separator ending every line and Excel's sep= line all stopped at
    'row 1: column N has an empty name' with no word of the cause."""
    path = tmp_path / "d.csv"
    path.write_text(content)
    with pytest.raises(DataError, match="has an empty name; every column needs a name") as info:
        load_csv(path)
    assert info.value.hint == hint


@pytest.mark.parametrize("content, row, n, why", [
    (",,,,\n5.1,3.5,1.4,0.2,setosa\n4.9,3.0,1.4,0.2,versicolor\n", 1, 5,  # was: the first row, its header
     "the line holds separators alone"),
    ("\n  \n;;\n1;2;x\n", 3, 3, "the line holds separators alone"),  # blank lines above it are skipped
    (",,\n,,\n1,,2\n3,4,5\n", 1, 3, "the line holds separators alone"),  # the first of them named
    (",,,\n", 1, 4, "the line holds separators alone"),  # no line after it
    (",,\n1;2;0\n3;4;1\n", 1, 3, "the line holds separators alone"),  # another separator's, above numbers
    ('"",""\n1,2\n', 1, 2, 'every name is empty: "" or spaces in quotes'),  # not separators alone
    ('\n" ", ""\na,b\n', 2, 2, 'every name is empty: "" or spaces in quotes'),
])
def test_a_header_line_of_separators_alone_above_a_row_of_numbers_is_refused(tmp_path, content, row, n,
                                                                             why) -> None:
    """`,,,,` as the first line, its next line a row of data, was skipped as blank: that row became the
    header (train: 'has a header but no data rows'; predict: the file's first row of numbers named as its
    columns). Its columns have empty names, said at its row; a header of quoted empty names `"",""` is
    told as such, not as separators alone; truly blank lines (empty, spaces, tabs) are still skipped."""
    from backprop_cli.data import read_csv_columns

    path = tmp_path / "d.csv"
    path.write_text(content)
    said = f"{path} row {row}: every column ({n}) has an empty name ({why}); every column needs a name in the header row"
    for read in (lambda: load_csv(path), lambda: read_csv_columns(path, ["a"], allow_no_rows=True)):
        with pytest.raises(DataError) as info:
            read()
        assert info.value.message == said
        assert info.value.hint.startswith("write the column names on that line or, if they are on a later one")
    path.write_text("\n \t \na\tb\ty\n\t\t\n1\t2\t0\n3\t4\t1\n")  # tab-separated: a line of tabs is blank
    assert load_csv(path).X.shape == (2, 2)


@pytest.mark.parametrize("content, names", [
    (",,\na,b,y\n1,2,0\n3,4,1\n", ("a", "b")),  # an Excel export's empty first row (521b0c9 refused it)
    (",,\n\n,,\n , \t, \na,b,y\n1,2,0\n,,\n3,4,1\n", ("a", "b")),  # several, blank lines; one after the header
    (",,,\nx1,x2,2,y\n1,2,3,0\n4,5,6,1\n", ("x1", "x2", "2")),  # a header with a number among its names
    (";;\na;b;y\n1.5;2;0\n3;4;1\n", ("a", "b")),
    (",,\na;b;y\n1.5;2;0\n3;4;1\n", ("a", "b")),  # another separator's: ',' was sniffed from it
    ("\t;\n,,\na;b;y\n1;2;0\n3;4;1\n", ("a", "b")),
])
def test_a_line_of_separators_alone_above_the_header_is_skipped(tmp_path, content, names) -> None:
    """Excel writes an empty row as `,,`: above a header of names it is skipped, as a blank line is; the
    separator is told by the header and first row, not by that line (`,,` above `a;b;y` read the file
    with ',', 'target column y not found; columns are: a;b;y')."""
    path = tmp_path / "d.csv"
    path.write_text(content)
    data = load_csv(path)
    assert data.feature_names == names and data.X.shape == (2, len(names))


def test_small_hints_unicode_minus_decimal_commas_splitting_a_row_and_an_npz_given_for_a_csv(tmp_path) -> None:
    """'−1.5' (a word processor's minus) was 'not a number' with the data.features hint; a one-column
    file of decimal commas 'row 2 has 2 cells, the header has 1' with no word why; an .npz read as a
    CSV was 'a zip archive (an .xlsx workbook or an .npz, for instance)' though its name says which."""
    from backprop_cli.data import read_csv_columns

    path = tmp_path / "d.csv"
    path.write_text("a,b,y\n1,\u22121.5,0\n2,3,1\n")
    with pytest.raises(DataError) as info:
        load_csv(path)
    assert info.value.message.endswith("row 2, column b: \u22121.5 is not a number (it uses the Unicode minus "
                                       "'\u2212'; write '-')") and info.value.hint is None, info.value
    path.write_text("x\n0,5\n1,25\n")
    with pytest.raises(DataError) as info:
        read_csv_columns(path, ["x"])
    assert info.value.message.endswith("d.csv row 2 has 2 cells, the header has 1")
    assert info.value.hint == ("0,5 reads as two cells, as a ',' separates them: a decimal comma? write decimals "
                               "with '.' (0.5), or quote the cell (\"0,5\")")
    path.write_text("a,b,y\n1,2,0\n3,4,1,9\n")  # a row one cell too long says nothing of commas
    with pytest.raises(DataError) as info:
        load_csv(path)
    assert info.value.hint is None
    np.savez(tmp_path / "in.npz", X=np.zeros((2, 2)))
    with pytest.raises(DataError) as info:
        read_csv_columns(tmp_path / "in.npz", ["x"])
    assert info.value.message.endswith("in.npz: is an .npz archive, not CSV text; a CSV file is plain text with a "
                                       "header row")


def test_a_data_file_without_a_suffix_is_told_so_not_files_ending_in_no_suffix(tmp_path) -> None:
    from backprop_cli.data import load_file

    (tmp_path / "data").write_text("a,y\n1,0\n2,1\n")
    with pytest.raises(DataError) as info:
        load_file(tmp_path / "data")
    assert info.value.message == f"{tmp_path / 'data'}: the name has no suffix to tell the file's kind; use one of: .csv, .npz, .tsv, .txt"
    cfg = tmp_path / "c.yaml"
    cfg.write_text("data: {path: data}\nnetwork: {layers: [1, 2, 1]}\n")
    from typer.testing import CliRunner

    from backprop_cli.cli import app

    r = CliRunner().invoke(app, ["config", "validate", str(cfg)])
    assert r.exit_code == 2 and "data: the name has no suffix to tell the file's kind; use one of: .csv, .npz, .tsv, .txt" in r.stderr


def test_tab_separated_tsv_and_txt_files_train_and_evaluate_as_a_csv_does(tmp_path) -> None:
    """Excel's "Text (Tab delimited)" saves .txt: predict read it, but train and evaluate --data
    refused it ("files ending in '.txt' are not supported"). The separator is detected as in a .csv."""
    from typer.testing import CliRunner

    from backprop_cli.cli import app

    rows = "x1\tx2\ty\n" + "".join(f"{i % 3}\t{(i * 7) % 5}\t{i % 2}\n" for i in range(12))
    for suffix in (".tsv", ".txt"):
        data = tmp_path / f"rows{suffix}"
        data.write_text(rows)
        cfg = tmp_path / f"c{suffix}.yaml"
        cfg.write_text(f"data: {{path: {data.name}, test_fraction: 0}}\nnetwork: {{layers: [2, 3, 1]}}\n"
                       "training: {epochs: 2}\n")
        run = tmp_path / f"run{suffix}"
        r = CliRunner().invoke(app, ["train", str(cfg), "--quiet", "--out", str(run)])
        assert r.exit_code == 0, r.output
        assert f"rows{suffix}: 12 examples" in CliRunner().invoke(app, ["config", "validate", str(cfg)]).stdout
        ev = CliRunner().invoke(app, ["evaluate", str(run), "--data", str(data), "--json"])
        assert ev.exit_code == 0, ev.output
        assert json.loads(ev.stdout)["n_samples"] == 12, ev.stdout


def test_a_decimal_comma_without_its_leading_zero_is_a_number_too(tmp_path) -> None:
    """',5' in a ';' file is 0,5 written short: the column is numbers, refused under auto like
    '0,5', naming the first such cell (row 3), not read as the classes ',5', '2', '7'."""
    path = tmp_path / "d.csv"
    path.write_text("a;y\n1;2\n2;,5\n3;7\n4;1,5\n")
    with pytest.raises(DataError, match=r"d\.csv row 3, column y: ',5' is a number written with a comma.*"
                                        r"Write decimals with '\.' \(\.5\)"):
        load_csv(path, target="y")


def test_fractional_class_labels_keep_every_digit(tmp_path) -> None:
    """Two labels that differ in their 7th significant digit stay two classes, named as written."""
    from backprop_cli.data import label_name

    assert label_name(0.1234567) == "0.1234567" and label_name(1234567.5) == "1234567.5"
    ds = load_csv(write(tmp_path, "a,y\n1,0.1234567\n2,0.1234568\n3,0.1234567\n"), target="y", task="classification")
    assert ds.class_names == ("0.1234567", "0.1234568")


@pytest.mark.parametrize("task", ["auto", "classification"])
def test_whole_number_labels_float64_cannot_tell_apart_are_refused_not_merged(tmp_path, task) -> None:
    """2^53 + 1 reads as 2^53 in float64: two ids beyond 2^53 (9007199254740993 and …992) were
    silently one class. Labels equal as numbers (1e16 and 10000000000000000, 2^53 + 2 written two
    ways) stay one class, as labels are read by value; 2^53 + 2 and 2^53 stay two."""
    merged = write(tmp_path, "a,y\n1,9007199254740992\n2,5\n3, 9007199254740993 \n")
    with pytest.raises(DataError, match=r"column y: the labels 9007199254740992 \(row 2\) and 9007199254740993 "
                                        r"\(row 4\) differ but are one float64, 9007199254740992"):
        load_csv(merged, target="y", task=task)
    same = write(tmp_path, "a,y\n1,1e16\n2,10000000000000000\n3,9007199254740994\n4,9.007199254740994e15\n"
                           "5,9007199254740992\n", name="same.csv")
    assert load_csv(same, target="y", task=task).class_names == (
        "9007199254740992", "9007199254740994", "10000000000000000")
    X = np.zeros((3, 1))
    np.savez(tmp_path / "ids.npz", X=X, y=np.array([2**53, 7, 2**53 + 1], dtype=np.int64))
    with pytest.raises(DataError, match=r"array 'y': the labels 9007199254740992 \(row 0\) and 9007199254740993 "
                                        r"\(row 2\) differ but are one float64"):
        load_npz(tmp_path / "ids.npz", task=task)
    np.savez(tmp_path / "apart.npz", X=X, y=np.array([2**53, 7, 2**53 + 2], dtype=np.int64))
    assert load_npz(tmp_path / "apart.npz", task=task).class_names == ("7", "9007199254740992", "9007199254740994")


def test_npz_comma_number_labels_name_the_array_as_saved(tmp_path) -> None:
    """An archive may name its labels 'Y': the refusal says to save 'Y' as numbers, not 'y'."""
    np.savez(tmp_path / "d.npz", X=np.zeros((2, 2)), Y=np.array(["1,5", "2"]))
    message = _npz_error(tmp_path / "d.npz")
    assert "array 'Y' row 0: '1,5' is a number written with a comma" in message, message
    assert "and save 'Y' as numbers" in message and "'y'" not in message, message


def test_names_and_labels_match_whatever_their_unicode_composition(tmp_path) -> None:
    """"é" is one character (NFC) or e + a combining accent (NFD, as macOS and some exports write
    it). A header or label written the other way than the config or the model's was refused with
    an error naming two identical-looking strings ("columns température not found … the file has:
    température"; "café is not a class the model knows (classes: …, café, …)"), or made two classes."""
    import unicodedata

    from typer.testing import CliRunner

    from backprop_cli.cli import app

    def nfd(text: str) -> str:
        return unicodedata.normalize("NFD", text)

    rows = [f"{i % 3},{(i * 7) % 5},{'café' if i % 2 else 'thé'}" for i in range(12)]
    rows[1] = nfd(rows[1])  # one café decomposed: the same class
    (tmp_path / "train.csv").write_text(nfd("température,größe,boisson\n") + "\n".join(rows) + "\n")
    cfg = tmp_path / "c.yaml"
    cfg.write_text("data: {path: train.csv, target: boisson, features: [température, größe], test_fraction: 0}\n"
                   "network: {layers: [2, 3, 2]}\ntraining: {epochs: 2}\n", encoding="utf-8")
    run = tmp_path / "run"
    r = CliRunner().invoke(app, ["train", str(cfg), "--quiet", "--out", str(run)])
    assert r.exit_code == 0, r.output
    assert "2 classes: café, thé" in CliRunner().invoke(app, ["config", "validate", str(cfg)]).stdout
    other = tmp_path / "other.csv"
    other.write_text("température,größe,boisson\n" + nfd("1,2,café\n0,4,thé\n"))  # the header NFC, labels NFD
    ev = CliRunner().invoke(app, ["evaluate", str(run), "--data", str(other), "--json"])
    assert ev.exit_code == 0, ev.output
    assert json.loads(ev.stdout)["n_samples"] == 2
    p = CliRunner().invoke(app, ["predict", str(run), str(other)])
    assert p.exit_code == 0, p.output
    assert p.stdout.splitlines()[0] == "boisson,p_café,p_thé"


def test_a_space_separated_file_is_told_so_not_that_every_column_is_a_target(tmp_path) -> None:
    """np.savetxt writes spaces between values: with .txt read as delimited text, its header was
    one column 'x1 x2 y', refused as "no feature columns left; every column (x1 x2 y) is a target"
    and, by predict, as "columns x0, x1 not found … the file has: x1 x2 y"."""
    import numpy as np

    from backprop_cli.data import read_csv_columns

    rows = np.random.default_rng(0).normal(size=(6, 3))
    np.savetxt(tmp_path / "sp.txt", rows, header="x1 x2 y", comments="")
    for load in (lambda: load_file(tmp_path / "sp.txt"), lambda: read_csv_columns(tmp_path / "sp.txt", ["x1", "x2"])):
        with pytest.raises(DataError) as info:
            load()
        assert info.value.hint is not None and info.value.hint.startswith(
            "the header is one column, x1 x2 y: the file looks separated by spaces"), info.value.hint
    np.savetxt(tmp_path / "ok.txt", rows, header="x1,x2,y", comments="", delimiter=",")
    assert load_file(tmp_path / "ok.txt").X.shape == (6, 2)


def test_a_wide_csv_is_parsed_in_blocks_of_bounded_cells(tmp_path, monkeypatch):
    """Blocks were 8,192 rows whatever the width: a file of 3,000 columns held 24.6M cells as
    Python strings at once (2.4 GB to read 145 MB); a block now holds at most CSV_BLOCK_CELLS
    cells (64 rows at least), and the data read is the same."""
    import numpy as np

    from backprop_cli import data as data_mod

    n_cols, n_rows = 2_000, 300
    rng = np.random.default_rng(0)
    X = rng.normal(size=(n_rows, n_cols)).round(3)
    path = tmp_path / "wide.csv"
    path.write_text(",".join([f"x{i}" for i in range(n_cols)] + ["y"]) + "\n"
                    + "".join(",".join(map(str, row)) + f",{i % 2}\n" for i, row in enumerate(X)))
    sizes = []
    real_add = data_mod._BlockParser.add
    monkeypatch.setattr(data_mod._BlockParser, "add", lambda self, block, lines: sizes.append(len(block))
                        or real_add(self, block, lines))
    ds = data_mod.load_csv(path, target="y", task="classification")
    assert max(sizes) == max(64, data_mod.CSV_BLOCK_CELLS // (n_cols + 1)) < n_rows and sum(sizes) == n_rows
    assert np.array_equal(ds.X, X)


@pytest.mark.parametrize("dataset", ["sine", "circles"])  # regression and stratified classification
@pytest.mark.parametrize("n, test_fraction, validation_fraction",
                         [(7, 0.2, 0.0), (300, 0.25, 0.1), (101, 0.5, 0.33), (40, 0.0, 0.2), (5, 0.6, 0.5)])
def test_the_memory_estimates_split_sizes_are_the_splits_prepare_makes(dataset, n, test_fraction,
                                                                        validation_fraction) -> None:
    """``split_rows`` sizes the splits before the data exists (a memory estimate from the config
    alone); it must give the rows ``prepare`` then really puts in each split."""
    from backprop_cli.config import load_config
    from backprop_cli.experiment import prepare, split_rows

    config = load_config(None, {"data.dataset": dataset, "data.n_samples": n, "data.test_fraction": test_fraction,
                                "data.validation_fraction": validation_fraction,
                                "network.layers": [1 if dataset == "sine" else 2, 3, 1]})
    exp = prepare(config)
    sizes = [d.n_samples for d in (exp.train, exp.test, exp.val) if d is not None]
    assert split_rows(config, n) == (exp.train.n_samples, max(sizes))


def test_a_line_of_separators_alone_above_a_row_naming_every_column_asked_for_is_skipped(tmp_path) -> None:
    """A header of numeric names (`1,2,label`) looks like data, so the `,,` line above it is refused, unless
    the columns asked for by name are all on that row: then it is the header, as asked."""
    path = tmp_path / "d.csv"
    path.write_text(",,\n1,2,label\n5,6,0\n7,8,1\n")
    data = load_csv(path, target="label", features=["1", "2"])
    assert data.X.shape == (2, 2) and data.feature_names == ("1", "2")
    with pytest.raises(DataError, match="row 1: every column"):
        load_csv(path)


HEADER_MISSING = ("the header row looks missing: most of the first row's cells are numbers, data rather than column "
                  "names; add a line with the column names above it")


def test_a_missing_header_row_above_a_text_column_is_named_in_the_hint(tmp_path):
    """A house-price file without its header row (`tail -n +2 house.csv`): its first row, an id and
    numbers, became the column names, and the error said only 'target column price (data.target) not
    found; columns are: h0, 0.0473, 0.2482, -0.1671, 1.0921'. Most of those cells are numbers: the hint
    says the header row looks missing, for data.target, data.features and a model's columns alike."""
    rows = ["h0,0.0473,0.2482,-0.1671,1.0921", "h1,1.3,-0.2,0.5,2.1", "h2,-0.7,0.1,0.9,-1.2"]
    headless = tmp_path / "house.csv"
    headless.write_text("\n".join(rows) + "\n")
    with pytest.raises(DataError) as err:
        load_csv(headless, target="price")
    assert err.value.message == (f"{headless}: target column price (data.target) not found; columns are: h0, 0.0473, "
                                 "0.2482, -0.1671, 1.0921")
    assert err.value.hint == HEADER_MISSING
    with pytest.raises(DataError) as err:
        load_csv(headless, features=["area", "rooms"])
    assert "(data.features) not found" in err.value.message and err.value.hint == HEADER_MISSING
    named = tmp_path / "named.csv"  # a header whose names are half numbers (2020, 2021) is no missing one
    named.write_text("region,2020,2021,growth\nnorth,1,2,3\n")
    with pytest.raises(DataError) as err:
        load_csv(named, target="price")
    assert err.value.hint is None


def test_a_text_cell_under_a_missing_header_row_is_told_the_header_looks_missing(tmp_path):
    """The same headless house file with the target left to be the last column: its second row's id, h1,
    is not a number in 'column h0', whose hint listed the numbers of the first row as the columns to give
    as data.features (['0.0473', '0.2482', …]); it says the header row looks missing instead."""
    headless = tmp_path / "house.csv"
    headless.write_text("h0,0.0473,0.2482,-0.1671,1.0921\nh1,1.3,-0.2,0.5,2.1\n")
    with pytest.raises(DataError) as err:
        load_csv(headless)
    assert err.value.message == f"{headless} row 2, column h0: h1 is not a number"
    assert err.value.hint == HEADER_MISSING


def test_a_header_that_names_columns_with_whole_numbers_is_not_called_missing(tmp_path):
    """`region,2019,2020,2021,Growth`, years naming columns (as the README allows): 3 of 5 names are numbers,
    and the header-missing hint replaced the letter-case hint ('the file has Growth for growth') and, for a
    text cell, the data.features one (['2019', '2020', '2021']). Whole numbers alone name columns; a header
    missing above data has decimals among its numbers (h0, 0.0473, …), which still get the hint."""
    years = tmp_path / "reg.csv"
    years.write_text("region,2019,2020,2021,Growth\nnorth,1.0,2.0,3.0,0.5\nsouth,2.0,3.0,4.0,0.6\n")
    with pytest.raises(DataError) as err:
        load_csv(years, target="growth")
    assert err.value.hint == "names must match exactly, letter case too: the file has Growth for growth"
    with pytest.raises(DataError) as err:
        load_csv(years, target="Growth")
    assert err.value.message == f"{years} row 2, column region: north is not a number"
    assert err.value.hint is not None and "data.features: ['2019', '2020', '2021']" in err.value.hint
    # a name near the one asked for wins over the header-missing hint, even under a header of decimals
    decimals = tmp_path / "d.csv"
    decimals.write_text("prize,0.5,0.25,1.5\n1,2,3,4\n")
    with pytest.raises(DataError) as err:
        load_csv(decimals, target="price")
    assert err.value.hint == "names must match exactly: the file has prize for price"
