"""``data.features``: the input columns of a CSV, by name and in order. Other columns (an id, a
name, notes) are not read, so their text never errors; everything built on the inputs follows
the list: the model's feature_names, predict and evaluate, explain and gradcheck's --x, resume,
the data's fingerprint."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from backprop_cli.cli import app
from backprop_cli.config import ConfigError, DataConfig, config_from_dict, load_config
from backprop_cli.data import DataError, data_digest, load_csv, load_file

runner = CliRunner()


def _rows(n: int = 40, seed: int = 0) -> str:
    """A regression CSV with a text id first and a note column that is text or empty:
    price = 2·size − age (temp unused)."""
    rng = np.random.default_rng(seed)
    lines = ["id,size,note,age,temp,price"]
    for i in range(n):
        size, age, temp = rng.uniform(-1, 1, 3)
        lines.append(f"row{i},{size:.4f},{'' if i % 3 else 'seen twice'},{age:.4f},{temp:.4f},{2 * size - age:.4f}")
    return "\n".join(lines) + "\n"


@pytest.fixture
def regid(tmp_path: Path) -> Path:
    path = tmp_path / "regid.csv"
    path.write_text(_rows())
    return path


def _config(tmp_path: Path, data: str, layers: str = "[2, 8, 1]", name: str = "c.yaml") -> Path:
    cfg = tmp_path / name
    cfg.write_text(f"seed: 1\ndata: {data}\nnetwork: {{layers: {layers}, activation: tanh, "
                   "output_activation: linear}\ntraining: {epochs: 40, learning_rate: 0.05, optimizer: adam}\n")
    return cfg


def _error(result) -> tuple[str, str | None]:
    """The error line and the hint line (None: no hint); exit 2, one or two lines."""
    assert result.exit_code == 2, result.output
    lines = result.stderr.splitlines()
    assert lines[0].startswith("error: ") and len(lines) <= 2, result.stderr
    hint = lines[1] if len(lines) == 2 else None
    assert hint is None or hint.startswith("hint: "), result.stderr
    return lines[0], hint


# --- loading ---------------------------------------------------------------------------------

def test_load_csv_reads_the_listed_columns_in_their_order_and_ignores_the_rest(regid: Path) -> None:
    ds = load_csv(regid, target="price", features=["age", "size"])
    assert ds.feature_names == ("age", "size") and ds.target_names == ("price",)
    assert ds.X.shape == (40, 2) and ds.task == "regression"
    first = _rows().splitlines()[1].split(",")
    assert ds.X[0].tolist() == [float(first[3]), float(first[1])]
    # one name alone, spaces around it dropped as a header's are; the default target is the last column
    assert load_csv(regid, features=" temp ").feature_names == ("temp",)
    assert load_file(regid, target=["price"], features=("size",)).feature_names == ("size",)


def test_without_features_a_text_column_is_refused_with_the_data_features_hint(regid: Path) -> None:
    with pytest.raises(DataError) as e:
        load_csv(regid, target="price")
    assert e.value.message == f"{regid} row 2, column id: row0 is not a number"
    assert e.value.hint == ("every column but data.target (price) is an input; to leave column id out (ids, names, "
                            "notes), list the inputs with data.features: [size, note, age, temp]")
    # the target left to its default: said so; an empty cell gets the hint too
    path = regid.with_name("notes.csv")
    path.write_text("size,note,age,price\n1,,2,3\n")
    with pytest.raises(DataError) as e:
        load_csv(path)
    assert e.value.message == f"{path} row 2, column note: the cell is empty; a number is required"
    assert e.value.hint == ("every column but the target (price, the last column) is an input; to leave column note "
                            "out (ids, names, notes), list the inputs with data.features: [size, age]")
    path.write_text("id,price\nr1,3\n")  # no other input to list
    with pytest.raises(DataError) as e:
        load_csv(path)
    assert e.value.hint == "every column but the target (price, the last column) is an input"


def test_one_missing_cell_in_a_column_of_numbers_is_told_to_fill_or_remove_its_row(tmp_path: Path) -> None:
    """One NA or empty cell in a column of numbers got the hint to leave the whole column out with
    data.features: the row wants fixing. A column mostly of text keeps the data.features hint."""
    rows = ["a,b,c,label"] + [f"{i / 10},{i % 7},{i % 3},{'cat' if i % 2 else 'dog'}" for i in range(20)]
    for cell, said, fix in (
            ("NA", "NA is not a number (it reads as a missing value)", "replace NA in row 7 with a number"),
            ("", "the cell is empty; a number is required", "put a number in the empty cell of row 7"),
            ("?", "'?' is not a number (it reads as a missing value)", "replace '?' in row 7 with a number"),
            # text: 'fill in the cell of row 7' read as if the cell were empty
            ("abc", "abc is not a number", "replace abc in row 7 with a number")):
        lines = list(rows)
        lines[6] = f"0.5,{cell},1,cat"
        path = tmp_path / "d.csv"
        path.write_text("\n".join(lines) + "\n")
        for features in (None, ["a", "b"]):
            with pytest.raises(DataError) as e:
                load_csv(path, features=features)
            assert e.value.message == f"{path} row 7, column b: {said}"
            assert e.value.hint == f"column b holds numbers in most rows: {fix} or remove the row"
    path.write_text("a,b,label\n1,x,cat\n2,y,dog\n3,4,cat\n")  # mostly text: the column is no input
    with pytest.raises(DataError) as e:
        load_csv(path)
    assert e.value.hint.endswith("list the inputs with data.features: [a]")


def test_the_cell_to_replace_is_shown_in_the_hint_as_its_error_shows_it(tmp_path: Path) -> None:
    """The hint showed the cell bare and stripped: 'replace 1 2 in row 7 with a number' (two cells?)
    and 'replace abc in row 7' where the error said 'abc '. The cell is shown in both alike, quoted
    where it has a blank in it or around it ("it's 1" in double quotes, as names.shown quotes it, not
    YAML's 'it''s 1', a doubled quote the file does not have)."""
    rows = ["a,b,c,label"] + [f"{i / 10},{i % 7},{i % 3},{'cat' if i % 2 else 'dog'}" for i in range(20)]
    for cell, as_shown in (("1 2", "'1 2'"), (" abc ", "'abc '"), ("not given", "'not given'"),
                           ("it's 1", '"it\'s 1"'), ("x: y", "'x: y'"), ("abc", "abc")):
        lines = list(rows)
        lines[6] = f"0.5,{cell},1,cat"
        path = tmp_path / "d.csv"
        path.write_text("\n".join(lines) + "\n")
        with pytest.raises(DataError) as e:
            load_csv(path)
        assert e.value.message == f"{path} row 7, column b: {as_shown} is not a number", cell
        assert e.value.hint == (f"column b holds numbers in most rows: replace {as_shown} in row 7 with a number or "
                                "remove the row"), cell


def test_the_data_features_hint_leaves_id_columns_out_and_names_the_labels_when_the_last_column_is_an_id(
        tmp_path: Path) -> None:
    """quoted.csv's hint kept its row id as an input (data.features: [id, a, b, c]); label,a,b,c,id
    read the id as the target and was told to leave the labels out. Columns whose name says they hold
    ids are left out of the list, and a text column beside an id target is offered as data.target."""
    path = tmp_path / "q.csv"
    path.write_text('id,"note, text",a,b,label\n0,"hello, world",1,2,dog\n1,"hi",3,4,cat\n')
    with pytest.raises(DataError) as e:
        load_csv(path)
    assert e.value.hint == ("every column but the target (label, the last column) is an input; to leave column "
                            "'note, text' out (ids, names, notes), and id too (its name says it holds ids), list the "
                            "inputs with data.features: [a, b]")
    path.write_text("label,a,b,c,row_id\ndog,1,2,3,1\ncat,4,5,6,2\n")
    with pytest.raises(DataError) as e:
        load_csv(path)
    assert e.value.message == f"{path} row 2, column label: dog is not a number"
    assert e.value.hint == ("the target is the last column, row_id, as data.target is not given, and its name says it "
                            "holds ids; if column label holds the labels, set data.target: label and data.features: "
                            "[a, b, c]")
    # all numbers: the id is read as 60 classes; the layers' error names data.target, not data.task: regression
    rows = ["y,a,b,c,id"] + [f"{i % 2},{i / 10},{i % 7},{i % 3},{i + 1}" for i in range(60)]
    path.write_text("\n".join(rows) + "\n")
    for layers in ("[3, 4, 1]", "[4, 4, 1]"):
        cfg = _config(tmp_path, "{path: q.csv}", layers)
        r = runner.invoke(app, ["config", "validate", str(cfg)])
        assert r.exit_code == 2 and "regression" not in r.stderr, r.output
        assert r.stderr.splitlines()[-1] == (
            "hint: the target is the last column, id, as data.target is not given, and its name says it holds ids; "
            "name the column to predict with data.target (and the inputs with data.features, from [y, a, b, c])")


def test_unread_columns_may_hold_quoted_text_and_numeric_names_are_a_header(tmp_path: Path) -> None:
    path = tmp_path / "notes.csv"
    path.write_text('id,x,note,y\nA-1,0.5,"long, with a comma\nand a line break",1\nB 2,1.5,,0\n')
    ds = load_csv(path, features=["x"], task="regression")
    assert ds.X.tolist() == [[0.5], [1.5]] and ds.Y.tolist() == [[1.0], [0.0]]
    path.write_text("2019,2020,id,2021\n1,2,a,3\n4,5,b,6\n")  # years as column names: the header holds them
    ds = load_csv(path, target="2021", features=["2020", "2019"])
    assert ds.feature_names == ("2020", "2019") and ds.X.tolist() == [[2.0, 1.0], [5.0, 4.0]]


def test_a_mistyped_number_or_nan_or_a_listed_column_gets_no_such_hint(tmp_path: Path) -> None:
    path = tmp_path / "semi.csv"
    path.write_text("a;b;y\n1,5;2;0\n2;3;1\n")  # a decimal comma keeps its own hint
    with pytest.raises(DataError) as e:
        load_csv(path)
    assert "this file uses ';' as separator" in e.value.message and e.value.hint is None
    path.write_text("a,b,y\nnan,2,0\n2,3,1\n")
    with pytest.raises(DataError) as e:
        load_csv(path)
    assert "NaN and infinite values are not supported" in e.value.message and e.value.hint is None
    path.write_text("id,a,b,y\nr1,x,2,0\nr2,2,3,1\n")
    with pytest.raises(DataError) as e:  # the user chose column a: no hint to leave it out
        load_csv(path, features=["a", "b"])
    assert e.value.message == f"{path} row 2, column a: x is not a number" and e.value.hint is None


def test_a_missing_listed_column_names_the_file_and_the_columns_there_are(regid: Path) -> None:
    with pytest.raises(DataError) as e:
        load_csv(regid, target="price", features=["size", "agee"])
    assert e.value.message == (f"{regid}: input column agee (data.features) not found; columns are: id, size, "
                               "note, age, temp, price")
    assert e.value.hint == "names must match exactly: the file has age for agee"
    with pytest.raises(DataError) as e:
        load_csv(regid, target="price", features=["Size", "tmp"])
    assert e.value.message.startswith(f"{regid}: input columns Size, tmp (data.features) not found")
    assert e.value.hint == "names must match exactly, letter case too: the file has size for Size, temp for tmp"


def test_a_column_both_input_and_target_is_refused(regid: Path) -> None:
    with pytest.raises(DataError) as e:
        load_csv(regid, features=["size", "price"])
    assert e.value.message == (f"{regid}: column price is in data.features and is the target (the last column, as "
                               "data.target is not given); a column is an input or a target, not both")
    assert e.value.hint == "name the target column with data.target"
    with pytest.raises(DataError, match=r"column size is in data.features and is a target \(data.target\)"):
        load_csv(regid, target=["size"], features=["size", "age"])


def test_bad_features_arguments_and_an_npz_file(tmp_path: Path, regid: Path) -> None:
    for bad in ([], [""], ["a", " a"], [1]):
        with pytest.raises(DataError, match="^data.features: "):
            load_csv(regid, features=bad)  # type: ignore[arg-type]
    npz = tmp_path / "d.npz"
    np.savez(npz, X=np.zeros((3, 2)), y=np.zeros(3))
    with pytest.raises(DataError, match=r"^data.features: \[a\] cannot be used with .*d.npz; an .npz file has no "
                                        r"named columns, its inputs are the array 'X'"):
        load_file(npz, features=["a"])


def test_the_fingerprint_is_of_the_columns_used(regid: Path, tmp_path: Path) -> None:
    """Ids and notes changed: the same data; a used column changed, or another order: other data."""
    base = data_digest(load_csv(regid, target="price", features=["size", "age"]))
    other = tmp_path / "other.csv"
    other.write_text(_rows().replace("row", "ID-").replace("seen twice", "x"))
    assert data_digest(load_csv(other, target="price", features=["size", "age"])) == base
    assert data_digest(load_csv(regid, target="price", features=["age", "size"])) != base
    assert data_digest(load_csv(regid, target="price", features=["size", "temp"])) != base


# --- the config -----------------------------------------------------------------------------

def _data(tmp_path: Path, **data: object) -> DataConfig:
    return config_from_dict({"data": data, "network": {"layers": [2, 1]}}, "my.yaml", tmp_path).data


@pytest.mark.parametrize("given, kept", [
    (["size", "age"], ("size", "age")),
    ("size", ("size",)),  # one name alone, as data.target takes it
    ([" size ", "age"], ("size", "age")),
])
def test_data_features_is_read_as_data_target_is(tmp_path: Path, given, kept) -> None:
    assert _data(tmp_path, path="x.csv", features=given).features == kept
    assert _data(tmp_path, path="x.csv").features is None


@pytest.mark.parametrize("data, message", [
    ({"features": []}, "data.features: [] must be a column name or a non-empty list of column names"),
    ({"features": 4}, "data.features: 4 must be a column name or a non-empty list of column names (the number "
                      "of inputs is network.layers[0])"),
    ({"features": True}, "data.features: true must be a column name or a non-empty list of column names (YAML "
                         "reads unquoted yes/no/on/off/true/false as booleans; quote a column name like \"yes\")"),
    ({"features": ["a", 2019]}, "data.features: [a, 2019] must be a column name or a non-empty list of column names "
                                "(data.features[1] is 2019, an integer; quote a column name that YAML reads as a "
                                "number or a boolean, like \"2019\")"),
    ({"features": ["a", None]}, "data.features: [a, null] must be a column name or a non-empty list of column names "
                                "(data.features[1] is null: YAML reads an empty entry, null and ~ as no value)"),
    ({"features": {"a": 1}}, "data.features: {a: 1} must be a column name or a non-empty list of column names"),
    ({"features": ["a", " "]}, "data.features[1]: ' ' is an empty name; give the names of the CSV header's input "
                               "columns"),
    ({"features": ""}, "data.features: '' is an empty name"),
    ({"features": ["a", "b", " a"]}, "data.features: [a, b, ' a'] names column a more than once; give each input "
                                     "column once"),
    ({"features": ["a", "y"], "target": "y"}, "data.features: [a, y] names column y, which data.target names too; "
                                             "a column is an input or a target, not both"),
    ({"features": ["a", "y"], "target": [" y"]}, "data.features: [a, y] names column y, which data.target names too"),
])
def test_bad_data_features_is_one_line_naming_the_field(tmp_path: Path, data, message) -> None:
    with pytest.raises(ConfigError) as e:
        config_from_dict({"data": {"path": "x.csv", **data}, "network": {"layers": [2, 1]}}, "my.yaml", tmp_path)
    assert e.value.message.startswith(f"my.yaml: {message}"), e.value.message


def test_data_features_is_refused_for_a_built_in_set_and_an_npz_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as e:
        _data(tmp_path, dataset="xor", features=["x0"])
    assert e.value.message == ("my.yaml: data.features: only used with data.path (a CSV file); the built-in data set "
                               "xor has its own inputs")
    with pytest.raises(ConfigError) as e:
        _data(tmp_path, path="d.npz", features=["a", "b"])
    assert e.value.message == (f"my.yaml: data.features: [a, b] cannot be used with an .npz file ({tmp_path / 'd.npz'}); "
                               "it has no named columns, its inputs are the array 'X', every column of it")


@pytest.mark.parametrize("key", ["inputs", "feature_columns", "featureColumns", "input_columns", "feature_names",
                                 "Features", "feature"])
def test_other_tools_names_for_the_input_columns(tmp_path: Path, key: str) -> None:
    for raw in ({"data": {"path": "x.csv", key: ["a", "b"]}}, {"data": {"path": "x.csv"}, key: ["a", "b"]}):
        cfg = config_from_dict({**raw, "network": {"layers": [2, 1]}}, "my.yaml", tmp_path)
        assert cfg.data.features == ("a", "b")
    with pytest.raises(ConfigError, match=r"data.features: given twice, as data.features and as data.inputs"):
        config_from_dict({"data": {"path": "x.csv", "features": ["a"], "inputs": ["b"]},
                          "network": {"layers": [1, 1]}}, "my.yaml", tmp_path)


def test_config_show_writes_the_list_and_loads_back(tmp_path: Path, regid: Path) -> None:
    cfg = _config(tmp_path, f"{{path: {regid.name}, target: price, inputs: [age, size]}}")
    out = runner.invoke(app, ["config", "show", str(cfg)]).stdout
    assert "  target: [price]\n  features: [age, size]\n" in out
    shown = tmp_path / "shown.yaml"
    shown.write_text(out)
    assert load_config(shown).data.features == load_config(cfg).data.features == ("age", "size")
    plain = runner.invoke(app, ["config", "show", str(_config(tmp_path, f"{{path: {regid.name}}}", name="p.yaml"))])
    assert "  features: null  # every column but the target(s)\n" in plain.stdout
    builtin = runner.invoke(app, ["config", "show"]).stdout
    assert "  features: null\n" in builtin  # no note: a built-in set has its own inputs


def test_set_dataset_over_a_csv_config_names_data_features_too(tmp_path: Path, regid: Path) -> None:
    cfg = _config(tmp_path, f"{{path: {regid.name}, target: price, features: [size, age]}}")
    _, hint = _error(runner.invoke(app, ["train", str(cfg), "--set", "data.dataset=xor"]))
    assert hint == ("hint: add --set data.path=null --set data.target=null --set data.features=null to replace the "
                    "config's data.path with the --set data.dataset")


# --- the CLI, end to end --------------------------------------------------------------------

def test_a_csv_with_an_id_column_trains_and_its_model_predicts_on_the_same_csv(tmp_path: Path, regid: Path) -> None:
    plain = _config(tmp_path, f"{{path: {regid.name}, target: price}}", name="plain.yaml")
    error, hint = _error(runner.invoke(app, ["train", str(plain)]))
    assert error == f"error: {regid} row 2, column id: row0 is not a number"
    assert hint == ("hint: every column but data.target (price) is an input; to leave column id out (ids, names, "
                    "notes), list the inputs with data.features: [size, note, age, temp]")

    cfg = _config(tmp_path, f"{{path: {regid.name}, target: price, features: [size, age], test_fraction: 0.25}}")
    run = tmp_path / "run"
    r = runner.invoke(app, ["train", str(cfg), "--out", str(run), "--quiet"])
    assert r.exit_code == 0, r.output
    with np.load(run / "model.npz") as z:
        assert z["feature_names"].tolist() == ["size", "age"] and z["target_names"].tolist() == ["price"]
    assert "features: [size, age]" in runner.invoke(app, ["config", "show", str(run / "config.yaml")]).stdout

    r = runner.invoke(app, ["predict", str(run), str(regid)])
    assert r.exit_code == 0, r.output
    lines = r.stdout.splitlines()
    assert lines[0] == "price" and len(lines) == 41
    r = runner.invoke(app, ["evaluate", str(run), "--data", str(regid)])  # every row, by column name
    assert r.exit_code == 0 and "evaluated on every row of" in r.stdout and "40 examples" in r.stdout, r.output
    r = runner.invoke(app, ["evaluate", str(run)])  # its test split, rebuilt from its config
    assert r.exit_code == 0 and "evaluated on the test split" in r.stdout and "10 examples" in r.stdout, r.output
    r = runner.invoke(app, ["config", "validate", str(cfg)])
    assert r.exit_code == 0 and "2 inputs, 1 output, regression" in r.stdout, r.output

    # explain's and gradcheck's own example: one number per listed column
    for command in (["explain", "--model", str(run), "--layer", "L"], ["gradcheck", "--model", str(run)]):
        error, _ = _error(runner.invoke(app, [*command, "--x", "1,2,3", "--y", "0.5"]))
        assert "--x: 3 numbers for 2 inputs (size, age); give 2" in error, error
        r = runner.invoke(app, [*command, "--x", "0.5,-0.5", "--y", "1.5"])
        assert r.exit_code == 0, r.output


def test_resume_compares_data_features(tmp_path: Path, regid: Path) -> None:
    cfg = _config(tmp_path, f"{{path: {regid.name}, target: price, features: [size, age]}}")
    run = tmp_path / "run"
    assert runner.invoke(app, ["train", str(cfg), "--out", str(run), "--quiet"]).exit_code == 0
    r = runner.invoke(app, ["train", str(cfg), "--out", str(run), "--resume", "--epochs", "50", "--quiet"])
    assert r.exit_code == 0, r.output
    error, _ = _error(runner.invoke(app, ["train", str(cfg), "--out", str(run), "--resume", "--epochs", "60",
                                          "--set", "data.features=[age, size]"]))
    assert "cannot resume: the config differs from the checkpoint's in data.features (checkpoint [size, age], " \
           "now [age, size])" in error


def test_evaluate_rebuilds_the_split_when_only_unused_columns_changed(tmp_path: Path, regid: Path) -> None:
    """The stored fingerprint is of the numbers used: ids rewritten leave the data the same; a used
    column changed is other data, refused."""
    cfg = _config(tmp_path, f"{{path: {regid.name}, target: price, features: [size, age]}}")
    run = tmp_path / "run"
    assert runner.invoke(app, ["train", str(cfg), "--out", str(run), "--quiet"]).exit_code == 0
    regid.write_text(_rows().replace("row", "ID-").replace("seen twice", "?"))
    r = runner.invoke(app, ["evaluate", str(run)])
    assert r.exit_code == 0, r.output
    regid.write_text(_rows(seed=1))
    assert runner.invoke(app, ["evaluate", str(run)]).exit_code == 2
