"""A value a message quotes is shown as YAML writes it, the form the user wrote or would write in a
config (``names.shown``): ``{a: 1}``, ``[1, 2]``, ``true``, ``null``, text bare or quoted as YAML
needs; never Python's ``{'a': 1}``, ``True``, ``None`` or ``np.float64(0.1)``."""

from __future__ import annotations

import datetime
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from backprop_cli.cli import app
from backprop_cli.config import TrainingConfig, check_training, load_config, parse_yaml
from backprop_cli.data import generate, train_test_split
from backprop_cli.errors import BackpropError, ConfigError
from backprop_cli.gradcheck import check_gradients
from backprop_cli.names import shown
from backprop_cli.network import Network
from backprop_cli.training import Trainer

runner = CliRunner()


def _load_error(tmp_path, yaml_text):
    """(path, message) of the ConfigError loading ``yaml_text`` (with a network added if it has none)."""
    p = tmp_path / "c.yaml"
    p.write_text(yaml_text + ("" if "layers" in yaml_text else "\nnetwork: {layers: [2, 3, 1]}") + "\n")
    with pytest.raises(ConfigError) as info:
        load_config(p)
    return p, info.value.message


@pytest.mark.parametrize("yaml_text,message", [
    # the three a user reported: a mapping, a boolean and a nested setting, as Python printed them
    ("training: {learning_rate: {a: 1}}", "training.learning_rate: {a: 1} is not a number greater than 0 (mapping)"),
    ("training: {epochs: true}", "training.epochs: true is not a whole number from 1 to 1,000,000 (boolean)"),
    ("training: {schedule: {kind: step}}", "training.schedule: {kind: step} is a mapping, not a name; give one "
                                           "of: constant, step, inverse"),
    ("training: {optimizer: {name: adam, lr: 0.01}}", "training.optimizer: {name: adam, lr: 0.01} is a mapping"),
    ("network: {activation: [relu, 'yes'], layers: [2, 3, 1]}", "network.activation[1] (the output layer's): 'yes' "
                                                                "is not one of"),
    ("network: {activation: [relu, 'yes', tanh], layers: [2, 3, 1]}", "network.activation: 3 names for 1 hidden layer"),
    ("cost: 'yes'", "cost: 'yes' is not one of"),  # text YAML would read as a boolean: quoted
    ("cost: ''", "cost: '' is not one of"),
    ("data: {dataset: '1e3'}", "data.dataset: '1e3' is not one of"),
    ("training: {shuffle: ~}", "training.shuffle: null must be true or false"),
    ("training: {learning_rate: [0.1, 0.2]}", "training.learning_rate: [0.1, 0.2] is not a number greater than 0 (list)"),
    ("training: {learning_rate: -1}", "training.learning_rate: -1 must be greater than 0"),  # as written, not -1.0
    ("training: {momentum: 1e-9, optimizer: momentum, beta1: 2}", "training.beta1: 2 must be in [0, 1)"),
    ("training: {epochs: 2000001}", "training.epochs: 2000001 is more than 1,000,000"),
    ("data: {noise: -1e-3}", "data.noise: -1e-3 must be at least 0"),  # as written, not -0.001
    ("training: {learning_rate: 1e400}", "training.learning_rate: 1e400 must be a finite number"),  # not .inf
    ("training: {learning_rate: 1e-400}", "training.learning_rate: 1e-400 must be greater than 0"),  # not 0.0
    ("training: {epochs: 1e9}", "training.epochs: 1e9 is more than 1,000,000"),  # not 1000000000.0
    # a value that is not a number is told the field's range as well: one message says what to write
    ("training: {momentum: fast, optimizer: momentum}", "training.momentum: fast is not a number in [0, 1) (string)"),
    ("training: {gamma: ~}", "training.gamma: null is not a number in (0, 1] (YAML reads"),
    ("training: {l2: [1]}", "training.l2: [1] is not a number of at least 0 (list)"),
    ("training: {epsilon: .nan}", "training.epsilon: .nan must be a finite number greater than 0"),
    ("data: {test_fraction: half}", "data.test_fraction: half is not a number in [0, 1) (string)"),
    ("data: {dataset: moons, noise: lots}", "data.noise: lots is not a number of at least 0 (string)"),
    ("training: {patience: many}", "training.patience: many is not a whole number of at least 1 (string)"),
    ("training: {epochs: 2.5}", "training.epochs: 2.5 is not a whole number"),  # the fraction is the fault
    ("training: {learning_rate: .inf}", "training.learning_rate: .inf must be a finite number"),
    ("data: {dataset: sine, task: classification}", "data.task: classification does not fit data.dataset sine"),
    ("network: {layers: [2, 3, 1], activation: \"re\\tlu6\"}", 'network.activation: "re\\tlu6" is not one of'),
])
def test_config_errors_quote_the_value_as_yaml(tmp_path, yaml_text, message):
    p, got = _load_error(tmp_path, yaml_text)
    assert got.startswith(f"{p}: {message}"), got
    for python in ("{'", "True", "False", "None", "np."):
        assert python not in got


@pytest.mark.parametrize("yaml_text,message", [
    ("seed: 1.5", "seed: 1.5 is not a whole number"),
    ("training: {epochs: 2.5}", "training.epochs: 2.5 is not a whole number"),
    ("network: {layers: [2, 3.5, 1]}", "network.layers[1]: 3.5 is not a whole number"),
])
def test_a_fraction_for_a_whole_number_is_said_without_its_type(tmp_path, yaml_text, message):
    """It said "2.5 is not a whole number (number)": the type, read after it, contradicted it."""
    p, got = _load_error(tmp_path, yaml_text)
    assert got == f"{p}: {message}"


@pytest.mark.parametrize("yaml_text,message", [
    ("network: {layers: [2, 3 1]}", "network.layers[1]: 3 1 is not a whole number of at least 1 (string: a comma missing "
                                    "between 3 and 1?)"),
    ("network: {layers: [2, 3 4 1]}", "network.layers[1]: 3 4 1 is not a whole number of at least 1 (string: a comma missing "
                                      "between 3, 4, 1?)"),
    # not a list's item, or not numbers: no comma to suggest
    ("training: {learning_rate: 0.1 0.2}", "training.learning_rate: 0.1 0.2 is not a number greater than 0 (string)"),
    ("network: {layers: [2, 3 units, 1]}", "network.layers[1]: 3 units is not a whole number of at least 1 (string)"),
])
def test_a_list_item_of_numbers_run_together_suggests_the_missing_comma(tmp_path, yaml_text, message):
    """`layers: [2, 3 1]` said "3 1 is not a whole number (string)": YAML's reading of a missing comma,
    unexplained."""
    p, got = _load_error(tmp_path, yaml_text)
    assert got == f"{p}: {message}"


@pytest.mark.parametrize("value,text", [
    (None, "null"), (True, "true"), (False, "false"), (3, "3"), (-1, "-1"), (0.1, "0.1"), (2.0, "2.0"),
    (1e-8, "1e-8"), (1e30, "1e30"), (-2.5e-300, "-2.5e-300"), (math.inf, ".inf"), (-math.inf, "-.inf"),
    (math.nan, ".nan"), ("relu6", "relu6"), ("Cross Entrop", "Cross Entrop"), ("it's", "it's"),
    ("yes", "'yes'"), ("No", "'No'"), ("null", "'null'"), ("~", "'~'"), ("1e3", "'1e3'"), ("0.5", "'0.5'"),
    ("010", "'010'"), ("", "''"), (" x", "' x'"), ("a, b", "'a, b'"), ("a: b", "'a: b'"), ("#x", "'#x'"),
    ("- x", "'- x'"), ("'1'", '"\'1\'"'), ("'a', b", '"\'a\', b"'), ("it's: x", '"it\'s: x"'), ("a\nb", '"a\\nb"'), ("a\tb", '"a\\tb"'), ("\x07", '"\\x07"'), ("é🔥", "é🔥"),
    ([1, "a"], "[1, a]"), ({"a": [1, 2], "b": {"c": None}}, "{a: [1, 2], b: {c: null}}"),
    ({True: 1, None: "x", 1.5: "y"}, "{true: 1, null: x, 1.5: y}"), ((1, 2), "[1, 2]"), ([], "[]"), ({}, "{}"),
    (np.float64(0.1), "0.1"), (np.float32(0.5), "0.5"), (np.int64(3), "3"), (np.bool_(True), "true"),
    (np.array([[1, 2], [3, 4]]), "[[1, 2], [3, 4]]"), (np.str_("x"), "x"), (np.float64(np.nan), ".nan"),
    (datetime.date(2024, 1, 2), "2024-01-02"), (float, "float"),
])
def test_shown_writes_values_as_yaml_flow_style(value, text):
    assert shown(value) == text


@pytest.mark.parametrize("value,text", [
    (np.float32(0.1), "0.1"), (np.float32(-1e-8), "-1e-8"), (np.float16(0.1), "0.1"), (np.longdouble(0.1), "0.1"),
    (np.array(np.float32(0.3)), "0.3"), (np.array([0.1, np.inf], dtype=np.float32), "[0.1, .inf]"),
    (np.float32(np.nan), ".nan"), (np.zeros((0, 3), dtype=np.float32), "[]"),
])
def test_shown_writes_floats_of_fewer_bits_by_their_own_digits(value, text):
    """np.float32(0.1) was shown as its float64 value, 0.10000000149011612."""
    assert shown(value) == text


def test_shown_converts_only_what_it_shows_of_a_large_array():
    """A message quoting an array converts the entries it shows, not all of them: tolist() on a
    broadcast array of 10**12 entries (no memory of its own) raised MemoryError."""
    huge = np.broadcast_to(np.float64(0.5), (10**12,))
    assert shown(huge) == "[0.5, 0.5, 0.5, 0.5, 0.5, 0.5, ...]"
    deep = np.broadcast_to(np.int8(1), (10**4,) * 3 + (10**3,))
    assert shown(deep) == shown(deep[:7, :7, :7, :1].tolist())


def test_shown_shortens_long_and_deep_values():
    assert shown("x" * 10_000) == "x" * 28 + "..." + "x" * 29
    assert shown(list(range(100))) == "[0, 1, 2, 3, 4, 5, ...]"
    assert shown({f"k{i}": i for i in range(10)}) == "{k0: 0, k1: 1, k2: 2, k3: 3, k4: 4, k5: 5, ...}"
    loop: list = [1]
    loop.append(loop)
    assert shown(loop) == "[1, [1, [1, [...]]]]"
    assert shown(10**5000 + 7) == "1" + "0" * 17 + "..." + "0" * 17 + "7"  # Python writes out no more than 4300
    assert shown(-(10**40)) == "-1" + "0" * 17 + "..." + "0" * 18


_LEAVES = st.one_of(st.none(), st.booleans(), st.integers(-10**15, 10**15), st.floats(allow_nan=False),
                    st.text(max_size=20))


def _nested(inner):
    keys = st.one_of(st.text(max_size=8), st.integers(-5, 5), st.booleans(), st.none())
    return st.one_of(st.lists(inner, max_size=4), st.dictionaries(keys, inner, max_size=4))


@settings(max_examples=400, deadline=None)
@given(st.one_of(_LEAVES, _nested(_LEAVES), _nested(_nested(_LEAVES)), _nested(_nested(_nested(_LEAVES)))))
def test_a_shown_value_reads_back_as_the_same_value(value):
    """What a message shows can be pasted into a config (or a --set) and means the value itself:
    any text (YAML's special words, numbers as text, flow punctuation, control characters), numbers
    to every digit, and lists and mappings of them, when nothing was shortened."""
    back = parse_yaml(shown(value), "x")
    assert back == value and type(back) is type(value), (value, shown(value), back)


@pytest.mark.parametrize("call,message", [
    (lambda: Network([2, 3, 1], l2=np.float64(-0.1)), "training.l2: -0.1 must be a finite number, 0 or more"),
    # a float32 λ by its own digits, as the user wrote it (not its float64 value, -0.10000000149011612)
    (lambda: Network([2, 3, 1], l2=np.float32(-0.1)), "training.l2: -0.1 must be a finite number, 0 or more"),
    (lambda: Network(np.array([2.5, 3, 1], dtype=np.float32)),
     "network.layers: [2.5, 3.0, 1.0] must be a list of whole numbers"),
    (lambda: Network([2, 3, 1], seed=np.float64(1.5)), "seed: 1.5 must be a whole number ≥ 0"),
    (lambda: Network(np.array([2, 0, 1])), "network.layers: [2, 0, 1] must list at least 2 positive sizes"),
    (lambda: Network([2, 3, 1], activation=np.float64(1.0)), "network.activation: 1.0 must be an activation name"),
    (lambda: Network([2, 3, 1], dtype=np.float16), "dtype: float16 is not one of: float64, float32"),
    (lambda: Network([2, 3, 1], dtype=None), "dtype: None is not one of: float64, float32"),
    (lambda: check_training(TrainingConfig(learning_rate=np.float64(-0.5))),
     "training.learning_rate: -0.5 must be greater than 0"),
    (lambda: generate("circles", np.random.default_rng(0), noise=np.float64(-1.0)),
     "data.noise: -1.0 is not allowed; use a number >= 0"),
    (lambda: generate("spirals", np.random.default_rng(0), classes=np.float64(2.5)),
     "data.classes: 2.5 is not allowed; use a whole number >= 2"),
    (lambda: train_test_split(generate("xor", np.random.default_rng(0)), np.float64(1.5), np.random.default_rng(0)),
     "data.test_fraction: 1.5 is not allowed"),
    (lambda: check_gradients(Network([2, 3, 1]), np.zeros((1, 2)), np.zeros((1, 1)), eps=np.float64(-1e-5)),
     "gradcheck.eps: -1e-5 must be a finite number > 0"),
    (lambda: check_gradients(Network([2, 3, 1]), np.zeros((1, 2)), np.zeros((1, 1)), mode="sample",
                             params=np.float64(2.0)), "gradcheck.params: 2.0 must be an integer ≥ 1"),
])
def test_numpy_numbers_in_the_python_api_are_shown_as_the_numbers_they_are(call, message):
    with pytest.raises(BackpropError) as info:
        call()
    assert info.value.message.startswith(message), info.value.message
    assert "np." not in info.value.message and "array(" not in info.value.message


def test_set_values_and_csv_cells_are_quoted_the_same_way(tmp_path):
    r = runner.invoke(app, ["config", "show", "--set", "training={lr: {a: 1}}"])
    assert r.exit_code == 2 and r.stderr == ("error: --set training={lr: {a: 1}}: training.learning_rate: {a: 1} is not "
                                             "a number greater than 0 (mapping)\n")
    r = runner.invoke(app, ["config", "show", "--set", "epochs=no"])
    assert r.exit_code == 2 and "training.epochs: false is not a whole number from 1 to 1,000,000 (boolean)" in r.stderr
    r = runner.invoke(app, ["config", "show", "--set", "training.learning_rate=0.5", "--set",
                            "training.learning_rate= 0.25"])
    assert r.exit_code == 2 and "--set training.learning_rate: given twice (0.5, then ' 0.25')" in r.stderr
    (tmp_path / "d.csv").write_text("a,b,y\n1,2,0\n3,yes,1\n4, ,0\n")
    (tmp_path / "c.yaml").write_text("data: {path: d.csv}\nnetwork: {layers: [2, 3, 1]}\n")
    r = runner.invoke(app, ["config", "validate", str(tmp_path / "c.yaml")])
    assert r.exit_code == 2 and "d.csv row 3, column b: 'yes' is not a number" in r.stderr, r.stderr
    # one error line, and the hint that column b may be one to leave out with data.features
    assert r.stderr.count("\n") == 2 and r.stderr.splitlines()[1].startswith("hint: every column but the target")


def test_trainer_names_a_numpy_seed_given_for_rng_by_its_number():
    """Trainer's rng check quoted Python's repr, "rng: np.int64(3), but training.shuffle is on"."""
    with pytest.raises(ConfigError) as info:
        Trainer(Network([2, 3, 1]), generate("xor", np.random.default_rng(0)), None,
                TrainingConfig(epochs=1, batch_size=2), np.int64(3))
    assert info.value.message.startswith("rng: 3, but training.shuffle is on (batches of 2 of 4 examples)"), \
        info.value.message


@pytest.mark.parametrize("file_text,set_arg,listed", [
    ("netwrok: {layers: [2, 3, 1]}\n", "x=1", "seed, data, network, cost, training"),
    ("training: {foo: 1}\n", "training.foo=1", "learning_rate, epochs, batch_size, shuffle, dtype, log_every"),
])
def test_unknown_keys_list_the_allowed_keys_in_config_show_order_from_a_file_and_from_set(
        tmp_path, file_text, set_arg, listed):
    """The same mistake listed the keys alphabetically under --set and in another order in a file;
    both now follow `backprop config show`, where a user looks the keys up."""
    p = tmp_path / "c.yaml"
    p.write_text(file_text)
    from_file = runner.invoke(app, ["config", "show", str(p)])
    from_set = runner.invoke(app, ["config", "show", "--set", set_arg])
    shown_keys = [line.split(":")[0] for line in runner.invoke(app, ["config", "show"]).stdout.splitlines()
                  if line and not line.startswith(("#", " "))]
    assert shown_keys == ["seed", "data", "network", "cost", "training"]
    for r in (from_file, from_set):
        assert r.exit_code == 2 and listed in r.stderr, r.stderr
