"""Config loading and validation: every error names the field, the value and what is allowed."""

from __future__ import annotations

from pathlib import Path

import pytest

from backprop_cli.config import Config, config_from_dict, default_config_text, load_config, parse_yaml
from backprop_cli.errors import ConfigError

ROOT = Path(__file__).resolve().parents[1]
BASE = {"network": {"layers": [2, 3, 1]}}


def make(**sections):
    raw = {**BASE, **sections}
    return config_from_dict(raw, "test.yaml", Path("/tmp"))


def test_default_is_configs_xor_yaml():
    assert default_config_text() == (ROOT / "configs" / "xor.yaml").read_text(encoding="utf-8")
    cfg = load_config(None)
    assert cfg.network.layers == (2, 3, 1) and cfg.cost == "squared_error"
    assert cfg.data.dataset == "xor" and cfg.data.effective_test_fraction == 0.0


@pytest.mark.parametrize("path", sorted((ROOT / "configs").glob("*.yaml")), ids=lambda p: p.name)
def test_every_shipped_config_is_valid(path):
    cfg = load_config(path)
    assert isinstance(cfg, Config)


def test_defaults_filled_in():
    cfg = make()
    assert cfg.seed == 0 and cfg.network.activation == "sigmoid" and cfg.network.init == "auto"
    assert cfg.network.resolved_output_activation == "sigmoid"
    d = cfg.to_dict()
    assert d["training"]["batch_size"] == 32 and d["data"]["test_fraction"] == 0.0


def test_round_trip_through_yaml(tmp_path):
    cfg = make(training={"batch_size": "full", "learning_rate": 0.3}, data={"dataset": "circles"})
    p = tmp_path / "c.yaml"
    p.write_text(cfg.to_yaml())
    again = load_config(p)
    assert again.to_dict() == cfg.to_dict()


def test_yaml_12_floats_and_bom_crlf(tmp_path):
    p = tmp_path / "c.yaml"
    p.write_bytes(b"\xef\xbb\xbfnetwork:\r\n  layers: [2, 3, 1]\r\ntraining:\r\n  learning_rate: 1e-3\r\n")
    assert load_config(p).training.learning_rate == 0.001


def test_an_activation_list_with_one_more_name_gives_the_output_its_last():
    """`activation: [relu, sigmoid]` for 2-3-1, one name per layer as Keras lists them, was refused
    ("2 names for 1 hidden layer"); it is the config with output_activation: sigmoid, and writes
    itself out as that."""
    listed = make(network={"layers": [2, 4, 3, 1], "activation": ["relu", "tanh", "sigmoid"]})
    split = make(network={"layers": [2, 4, 3, 1], "activation": ["relu", "tanh"], "output_activation": "sigmoid"})
    assert listed == split and listed.network.resolved_output_activation == "sigmoid"
    assert listed.network.activation == ("relu", "tanh")
    assert config_from_dict(listed.to_dict(), "again.yaml", Path("/tmp")).network == listed.network
    alone = make(network={"layers": [4, 3], "activation": ["softmax"]}, cost="cross_entropy")
    assert alone.network.resolved_output_activation == "softmax"
    with pytest.raises(ConfigError, match=r"network\.activation\[0\]: softmax is not one of"):
        make(network={"layers": [2, 3, 3], "activation": ["softmax", "softmax"]}, cost="cross_entropy")


def test_an_activation_lists_output_entry_of_no_name_is_refused():
    """`activation: [relu, ~]` for 2-3-1 was taken as [relu] (the output silently relu, the last
    hidden one's) and `[~]` for 4-3 as a sigmoid output, where `[~, sigmoid]` is refused."""
    for layers, act in (([2, 3, 1], ["relu", None]), ([4, 3], [None])):
        with pytest.raises(ConfigError, match=rf"network\.activation\[{len(act) - 1}\] \(the output layer's\): "
                                              r"null is not one of"):
            make(network={"layers": layers, "activation": act})


def test_overrides_take_precedence():
    cfg = config_from_dict(BASE, "x", Path("."), {"training.epochs": 7, "seed": 3})
    assert cfg.training.epochs == 7 and cfg.seed == 3


def test_data_path_is_resolved_relative_to_the_config(tmp_path):
    (tmp_path / "sub").mkdir()
    p = tmp_path / "sub" / "c.yaml"
    p.write_text("network: {layers: [4, 3]}\ndata: {path: ../d.csv}\n")
    assert load_config(p).data.path == str((tmp_path / "d.csv").resolve())


@pytest.mark.parametrize(
    "raw,match",
    [
        ({"netwrk": {}}, r"netwrk: unknown key netwrk: did you mean network\?"),
        ({"network": {"layers": [2, 3, 1], "activaton": "relu"}}, r"network.activaton: .*did you mean activation\?"),
        ({"training": {"learnig_rate": 1}}, r"did you mean learning_rate\?"),
        ({"network": {"layers": "2,3,1"}}, r"network.layers: '2,3,1' must be a list"),
        ({"network": {"layers": [2, "3", 1]}}, r"network.layers\[1\]: '3' is not a whole number"),
        ({"network": {"layers": [2, 0, 1]}}, r"network.layers\[1\]: 0 must be at least 1"),
        ({"network": {"layers": [2]}}, r"needs at least 2 sizes"),
        ({"network": {"layers": 3}}, r"network.layers: 3 must be a list of sizes like \[2, 3, 1\], not an integer"),
        ({"network": 3}, r"network: must be a mapping of keys, not an integer \(3\)$"),
        ({"data": "xor"}, r"data: must be a mapping of keys, not a string \(xor\); "
                          r"did you mean data: \{dataset: xor\}\?"),
        ({"data": "data/iris.csv"}, r"did you mean data: \{path: data/iris.csv\}\?"),
        # the hint is YAML that reads back as meant: quoted where a plain scalar would not be
        ({"data": "runs: a, b.csv"}, r"did you mean data: \{path: 'runs: a, b.csv'\}\?"),
        ({"data": "1e3"}, r"did you mean data: \{path: '1e3'\}\?"),
        ({"data": "a\tb"}, r'data: must be a mapping of keys, not a string \("a\\tb"\)$'),
        ({"network": {}}, r"network.layers: missing"),
        ({"network": {"layers": [2, 3, 1], "activation": "relu6"}}, r"relu6 is not one of: elu, leaky_relu, linear, relu, sigmoid, silu, softplus, tanh"),
        ({"network": {"layers": [2, 3, 1], "activation": "softmax"}}, r"only as network.output_activation"),
        ({"network": {"layers": [2, 3, 2], "output_activation": "softmax"}}, r"needs cost cross_entropy"),
        ({"network": {"layers": [2, 3, 1], "output_activation": "tanh"}, "cost": "cross_entropy"}, r"cannot be used with cost"),
        ({"cost": "msr"}, r"cost: msr is not one of"),
        ({"training": {"learning_rate": 0}}, r"training.learning_rate: 0 must be greater than 0"),
        ({"training": {"learning_rate": -1}}, r"must be greater than 0"),
        ({"training": {"learning_rate": ".inf"}}, r"training.learning_rate: '.inf' is not a number"),
        ({"training": {"learning_rate": float("nan")}}, r"must be a finite number"),
        ({"training": {"learning_rate": "fast"}}, r"training.learning_rate: fast is not a number greater than 0 \(string\)"),
        ({"training": {"learning_rate": True}}, r"true is not a number greater than 0 \(boolean\)"),
        ({"training": {"epochs": 0}}, r"training.epochs: 0 must be at least 1"),
        ({"training": {"epochs": 2.5}}, r"training.epochs: 2.5 is not a whole number"),
        ({"training": {"epochs": 1e30}}, r"training.epochs: 1e30 is more than 1,000,000, the most allowed"),
        ({"training": {"epochs": 1_000_001}}, r"training.epochs: 1000001 is more than 1,000,000"),
        ({"training": {"batch_size": "all"}}, r"training.batch_size: all must be a positive whole number or \"full\""),
        ({"training": {"shuffle": "yes"}}, r"training.shuffle: 'yes' must be true or false"),
        ({"training": {"dtype": "float16"}}, r"training.dtype: float16 is not one of: float64, float32"),
        ({"data": {"dataset": "xorr"}}, r"data.dataset: xorr is not one of: .* \(did you mean xor\?\)"),
        ({"data": {"dataset": "xor", "path": "a.csv"}}, r"either data.dataset .* or data.path"),
        ({"data": {"test_fraction": 1.0}}, r"data.test_fraction: 1.0 must be in \[0, 1\)"),
        ({"data": {"noise": -0.1}}, r"data.noise: -0.1 must be at least 0"),
        ({"data": {"path": "a.csv", "n_samples": 10}}, r"data.n_samples: only used with a built-in"),
        ({"data": "xor"}, r"data: must be a mapping"),
        ({"seed": -1}, r"seed: -1 must be at least 0"),
    ],
)
def test_errors_name_field_value_and_allowed(raw, match):
    merged = {**BASE, **raw}
    with pytest.raises(ConfigError, match=match) as info:
        config_from_dict(merged, "my.yaml", Path("."))
    assert info.value.message.startswith("my.yaml: ")
    assert "\n" not in info.value.message


def test_softmax_with_the_default_cost_says_the_cost_is_the_default():
    """'softmax needs cost cross_entropy, not squared_error' named a cost the config never wrote:
    with no cost set (or the built-in default config's, which sets it) it now says squared_error
    is the default; a cost the config or --set gives is named as it is."""
    net = {"layers": [2, 3, 2], "output_activation": "softmax"}
    with pytest.raises(ConfigError) as info:
        config_from_dict({"network": net}, "my.yaml", Path("."))
    assert info.value.message == ("my.yaml: network.output_activation: softmax needs cost cross_entropy, not the "
                                  "default squared_error")
    for cost in ("squared_error", "half_squared_error"):
        with pytest.raises(ConfigError) as info:
            config_from_dict({"network": net, "cost": cost}, "my.yaml", Path("."))
        assert info.value.message == f"my.yaml: network.output_activation: softmax needs cost cross_entropy, not {cost}"
    softmax = {"network.layers": [2, 3, 2], "network.output_activation": "softmax"}
    with pytest.raises(ConfigError, match=r"softmax needs cost cross_entropy, not the default squared_error"):
        load_config(None, softmax)  # the built-in default config's cost
    with pytest.raises(ConfigError) as info:
        load_config(None, {**softmax, "cost": "squared_error"})
    assert info.value.message == ("--set network.output_activation=softmax --set cost=squared_error: "
                                  "network.output_activation: softmax needs cost cross_entropy, not squared_error")


@pytest.mark.parametrize(
    "text,match",
    [
        ("network:\n  layers: [2, 3, 1\n", r"YAML error \(line \d+, column \d+\)"),
        ("network:\n\tlayers: [2, 3, 1]\n", r"YAML error \(line 2, column 1\)"),
        ("seed: 1\nseed: 2\nnetwork: {layers: [2, 1]}\n", r"duplicate key seed \(first at line 1\)"),
        ("!!python/object:os.system {}\n", r"!!python/object are not allowed"),
    ],
)
def test_yaml_problems(text, match, tmp_path):
    p = tmp_path / "bad.yaml"
    p.write_text(text)
    with pytest.raises(ConfigError, match=match) as info:
        load_config(p)
    assert str(p) in info.value.message


@pytest.mark.parametrize(
    "text,expected",
    [  # PyYAML gives up at the end of the file or at the next key: the line named is where it opened
        ('network:\n  layers: [2, 3, 1]\ntraining:\n  optimizer: "sgd\n  epochs: 5\n',
         "(line 4, column 14): the quote '\"' opened here is never closed (the file ends inside it)"),
        ("training:\n  optimizer: 'sgd\n  epochs: 5\nnetwork:\n  layers: [2, 3, 1]\n",
         "(line 2, column 14): the quote \"'\" opened here is never closed (the file ends inside it)"),
        ('network: {layers: [2, 3, 1]}\ntraining:\n  optimizer: "sgd\n---\nseed: 1\n',
         "(line 3, column 14): the quote '\"' opened here is not closed before line 4, column 1 (found "
         "unexpected document separator)"),
        ("network:\n  layers: [2, 3, 1\ntraining:\n  epochs: 5\n",
         "(line 2, column 11): the '[' opened here is not closed before line 3, column 9 (expected ',' or "
         "']', but got ':')"),
        ("network: {layers: [2, 3, 1]\n", "(line 1, column 10): the '{' opened here is never closed (the file "
         "ends inside it)"),
    ],
)
def test_an_unclosed_quote_or_bracket_is_named_where_it_opens(text, expected, tmp_path):
    p = tmp_path / "bad.yaml"
    p.write_text(text)
    with pytest.raises(ConfigError) as info:
        load_config(p)
    assert info.value.message == f"{p}: YAML error {expected}"


@pytest.mark.parametrize(
    "text,expected,hint",
    [  # the bracket IS closed: a ',' is missing, said where PyYAML found it (it was called "not closed")
        ("training: {epochs: 5 lr: 1}\n", "(line 1, column 24): expected ',' or '}', but got ':'",
         "a ',' is missing before lr (line 1, column 22): without it YAML reads \"5 lr\" as one value"),
        ("network: {layers: [2, 3, 1],\n  activation: tanh\n  output_activation: linear}\n",
         "(line 3, column 20): expected ',' or '}', but got ':'",
         "a ',' is missing before output_activation (line 3, column 3): without it YAML reads \"tanh "
         "output_activation\" as one value"),
        ("network: {layers: [2, 3, 1] activation: tanh}\n", "(line 1, column 29): expected ',' or '}', but got "
         "'<scalar>'", "a ',' is missing before activation (line 1, column 29)"),
        ("network:\n  layers: [2, [3] 1]\n", "(line 2, column 19): expected ',' or ']', but got '<scalar>'",
         "a ',' is missing before 1 (line 2, column 19)"),
        # a ']' or '}' quoted or in a comment closes nothing; the one after it does
        ("training: {optimizer: 'a}' epochs: 5}\n", "(line 1, column 28): expected ',' or '}', but got '<scalar>'",
         "a ',' is missing before epochs (line 1, column 28)"),
        ("training: {epochs: 5 # }\n  lr: 1}\n", "(line 2, column 3): expected ',' or '}', but got '<scalar>'",
         "a ',' is missing before lr (line 2, column 3)"),
        # not closed at all, or by the other kind of bracket: named where it opens, as before
        ("training: {epochs: 5 # }\n", "(line 1, column 11): the '{' opened here is never closed (the file "
         "ends inside it)", None),
        ("network: [{layers: [2, 3, 1] ]\n", "(line 1, column 11): the '{' opened here is not closed before "
         "line 1, column 30 (expected ',' or '}', but got ']')", None),
    ],
)
def test_a_missing_comma_in_a_closed_bracket_is_not_called_unclosed(text, expected, hint, tmp_path):
    p = tmp_path / "bad.yaml"
    p.write_text(text)
    with pytest.raises(ConfigError) as info:
        load_config(p)
    assert (info.value.message, info.value.hint) == (f"{p}: YAML error {expected}", hint)


def test_a_missing_comma_in_a_set_value_is_said_in_the_value(monkeypatch):
    from backprop_cli.commands.common import parse_sets

    with pytest.raises(ConfigError) as info:
        parse_sets(["training={epochs: 5 lr: 1}"])
    assert info.value.message == "--set training: YAML error (line 1, column 14): expected ',' or '}', but got ':'"
    assert info.value.hint.startswith("a ',' is missing before lr (line 1, column 12)")


def test_top_level_must_be_mapping(tmp_path):
    p = tmp_path / "list.yaml"
    p.write_text("- 1\n- 2\n")
    with pytest.raises(ConfigError, match="top level must be a mapping"):
        load_config(p)


def test_empty_file_missing_file_and_folder(tmp_path):
    p = tmp_path / "empty.yaml"
    p.write_text("")
    with pytest.raises(ConfigError, match="the config is empty"):
        load_config(p)
    with pytest.raises(ConfigError, match="config file not found"):
        load_config(tmp_path / "nope.yaml")
    with pytest.raises(ConfigError, match="is a folder"):
        load_config(tmp_path)


def test_unknown_override_path_suggests():
    with pytest.raises(ConfigError, match=r"training.epoch: unknown key epoch: did you mean epochs\?"):
        config_from_dict(BASE, "x", Path("."), {"training.epoch": 3})
    # other tools' names for a setting close to ours but not exactly it, too far apart for a typo match
    # (training.lr and loss, which name exactly ours, are read as them: test_config_leniency.py)
    for given, meant in (("training.weight_decay", "l2"), ("training.lambda", "l2"), ("training.rate", "learning_rate")):
        with pytest.raises(ConfigError, match=rf"unknown key {given.split('.')[-1]}: did you mean {meant}\?"):
            config_from_dict(BASE, "x", Path("."), {given: 3})


def test_parse_yaml_is_safe():
    with pytest.raises(ConfigError):
        parse_yaml("!!python/object/apply:os.system ['echo hi']", "x")


def test_the_config_knows_each_built_in_data_sets_task():
    from backprop_cli.config import DATASET_TASKS, DATASETS
    from backprop_cli.data import GENERATORS

    assert set(DATASETS) == set(GENERATORS) == set(DATASET_TASKS)
    assert all(GENERATORS[name].task == task for name, task in DATASET_TASKS.items())


@pytest.mark.skipif(not hasattr(__import__("os"), "mkfifo"), reason="needs FIFOs")
def test_a_config_read_from_a_pipe_takes_relative_paths_from_the_current_folder(tmp_path, monkeypatch):
    """`backprop train <(sed … x.yaml)` reads /dev/fd/63, which resolves to /proc/<pid>/fd/pipe:[…]:
    data.path was looked for in /proc/<pid>/, while the hint said "read from the current folder"."""
    import os
    import threading

    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    here = tmp_path / "here"
    here.mkdir()
    monkeypatch.chdir(here)
    writer = threading.Thread(target=fifo.write_text, args=("data: {path: d.csv}\nnetwork: {layers: [2, 3, 1]}\n",))
    writer.start()
    try:
        cfg = load_config(fifo)
    finally:
        writer.join(timeout=10)
    assert cfg.data.path == str(here / "d.csv")


def test_a_zip_archive_given_as_a_config_is_not_called_a_numpy_file(tmp_path):
    """Only an .npz (or .npy) is a numpy file; an .xlsx or .zip is a zip archive too, and was
    reported as "a numpy file (.npz/.npy)" with the hint to give it as --model."""
    sheet = tmp_path / "settings.xlsx"
    sheet.write_bytes(b"PK\x03\x04" + bytes(40))
    with pytest.raises(ConfigError) as err:
        load_config(sheet)
    assert err.value.message == f"{sheet}: is a zip archive, not a YAML config (a text file)"
    assert err.value.hint is None
    model = tmp_path / "model.NPZ"
    model.write_bytes(b"PK\x03\x04" + bytes(40))
    with pytest.raises(ConfigError, match=r"is a numpy file \(\.npz/\.npy\), not a YAML config"):
        load_config(model)


def test_a_csv_data_file_given_as_a_config_is_called_one(tmp_path):
    """`train data/iris.csv` said 'the top level must be a mapping of sections …, not a string': a CSV
    is named so, by its name (.csv or .tsv, whatever it holds) or by its lines' cells (any suffix, and
    quoted cells that are no YAML), with where a data file goes; a config is never taken for one."""
    files = {"iris.csv": "sepal_length,sepal_width,species\n5.1,3.5,setosa\n4.9,3.0,setosa\n",
             "semi.csv": "a;b;y\n1;2;0\n", "one_line.CSV": "just words", "empty.tsv": "",
             "table.txt": "a;b;y\n1;2;0\n3;4;1\n", "quoted.dat": '"a","b","y"\n1,2,0\n'}
    for name, text in files.items():
        (tmp_path / name).write_text(text)
        with pytest.raises(ConfigError) as err:
            load_config(tmp_path / name)
        assert err.value.message == f"{tmp_path / name}: is a CSV data file, not a YAML config"
        assert err.value.hint == ("set it as data.path in a config: `backprop init mine.yaml` writes one, or copy "
                                  "configs/iris.yaml")
    prose = tmp_path / "prose.yaml"  # text of one line, no CSV: the old message
    prose.write_text("network layers 2 3 1\n")
    with pytest.raises(ConfigError, match="the top level must be a mapping of sections"):
        load_config(prose)
    broken = tmp_path / "broken.yaml"  # a config's own YAML error, lines of one comma each: no CSV
    broken.write_text("network: {layers: [2, 3]\ndata: {dataset: xor, n_samples: 4}\n")
    with pytest.raises(ConfigError) as err:
        load_config(broken)
    assert "CSV" not in err.value.message and "YAML error" in err.value.message, err.value.message
    flow = tmp_path / "flow.yaml"  # a flow mapping over lines of commas is a config
    flow.write_text("{network: {layers: [2, 3, 1]},\n data: {dataset: xor}}\n")
    assert tuple(load_config(flow).network.layers) == (2, 3, 1)


@pytest.mark.parametrize("value, says", [
    (-1, '-1 must be a positive whole number or "full"'), (0, '0 must be a positive whole number or "full"'),
    (1.5, '1.5 is not a positive whole number or "full"'), ("fulll", 'fulll must be a positive whole number or "full"'),
])
def test_a_batch_size_out_of_range_is_told_full_is_allowed_too(tmp_path, value, says):
    """`training.batch_size: -1` said 'must be at least 1', leaving out the "full" a typo of it (`fulll`) is
    told of: every refused batch size says what is allowed, in the same words, from a file or a --set."""
    config = tmp_path / "c.yaml"
    config.write_text(f"network: {{layers: [2, 3, 1]}}\ntraining: {{batch_size: {value}}}\n")
    with pytest.raises(ConfigError) as err:
        load_config(config)
    assert err.value.message.startswith(f"{config}: training.batch_size: {says}")
    with pytest.raises(ConfigError) as err:
        load_config(None, {"training.batch_size": value})
    assert err.value.message.startswith(f"--set training.batch_size={value}: {says}")


def test_a_quoted_batch_size_is_told_it_is_text(tmp_path):
    """`batch_size: "16"` said "'16' must be a positive whole number or "full"", nonsense of 16: the quotes are
    the problem. It is told as a quoted learning rate or epochs is, '… is not … (string)'; a word that is no
    number keeps its words, and a typo of full its did-you-mean."""
    config = tmp_path / "c.yaml"
    for value, says in (('"16"', "'16' is not a positive whole number or \"full\" (string)"),
                        ("'-1'", "'-1' is not a positive whole number or \"full\" (string)"),
                        ("all", 'all must be a positive whole number or "full"'),
                        ("fulll", 'fulll must be a positive whole number or "full" (did you mean full?)')):
        config.write_text(f"network: {{layers: [2, 3, 1]}}\ntraining: {{batch_size: {value}}}\n")
        with pytest.raises(ConfigError) as err:
            load_config(config)
        assert err.value.message == f"{config}: training.batch_size: {says}", err.value.message
