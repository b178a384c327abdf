"""``network.weights`` and ``network.biases``: a network's initial parameters given in the config
(to reproduce a hand calculation): what ``init`` does with the rest, the random streams they leave
alone, ``config show``/``validate``, ``--set``, and one error line naming the place of a bad value.
The shipped example is tested in ``test_hand_worked.py``.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import yaml
from typer.testing import CliRunner

from backprop_cli import Network
from backprop_cli.cli import app
from backprop_cli.config import load_config, unused_settings
from backprop_cli.experiment import prepare

ROOT = Path(__file__).resolve().parents[1]
runner = CliRunner()


def invoke(*args):
    return runner.invoke(app, [str(a) for a in args])


# --- what init does with the rest -----------------------------------------------------------

CIRCLES = {"seed": 3, "data": {"dataset": "circles", "n_samples": 40, "test_fraction": 0.25},
           "network": {"layers": [2, 3, 1], "activation": "tanh", "output_activation": "sigmoid"},
           "cost": "cross_entropy", "training": {"epochs": 4, "batch_size": 5, "learning_rate": 0.3}}
GIVEN_W = [[[0.1, -0.2], [0.3, 0.4], [-0.5, 0.6]], [[0.7, -0.8, 0.9]]]
GIVEN_B = [[0.01, 0.02, 0.03], [-0.04]]


def _config(tmp_path: Path, name: str, **network) -> Path:
    raw = json.loads(json.dumps(CIRCLES))
    raw["network"].update(network)
    path = tmp_path / f"{name}.yaml"
    path.write_text(yaml.safe_dump(raw))
    return path


@pytest.mark.parametrize("init", ["auto", "normal", "uniform"])
def test_weights_alone_keep_inits_biases_and_biases_alone_inits_weights(tmp_path, init):
    """Random biases too (normal, uniform): exactly those of the config without the key."""
    plain = Network.from_config(load_config(_config(tmp_path, "plain", init=init)))
    w_only = Network.from_config(load_config(_config(tmp_path, "w", init=init, weights=GIVEN_W)))
    b_only = Network.from_config(load_config(_config(tmp_path, "b", init=init, biases=GIVEN_B)))
    for l in range(2):
        np.testing.assert_array_equal(w_only.weights[l], GIVEN_W[l])
        np.testing.assert_array_equal(w_only.biases[l], plain.biases[l])
        np.testing.assert_array_equal(b_only.biases[l], GIVEN_B[l])
        np.testing.assert_array_equal(b_only.weights[l], plain.weights[l])
    assert not np.array_equal(plain.weights[0], GIVEN_W[0])


def test_given_weights_leave_the_data_split_and_shuffling_alone(tmp_path):
    plain_cfg = load_config(_config(tmp_path, "plain"))
    given_cfg = load_config(_config(tmp_path, "given", weights=GIVEN_W, biases=GIVEN_B))
    plain, given = prepare(plain_cfg), prepare(given_cfg)
    np.testing.assert_array_equal(plain.train.X, given.train.X)
    np.testing.assert_array_equal(plain.test.X, given.test.X)
    np.testing.assert_array_equal(plain.train.Y, given.train.Y)
    order = [plain.streams.shuffle.permutation(30).tolist() for _ in range(3)]
    assert order == [given.streams.shuffle.permutation(30).tolist() for _ in range(3)]
    # the init's own weights written into the config: the same run, bit for bit (so the
    # shuffled order of every epoch is the same too)
    init = Network.from_config(plain_cfg)
    same = _config(tmp_path, "same", weights=[w.tolist() for w in init.weights],
                   biases=[b.tolist() for b in init.biases])
    runs = []
    for path in (tmp_path / "plain.yaml", same):
        r = invoke("train", path, "--json")
        assert r.exit_code == 0, r.output
        runs.append({k: v for k, v in json.loads(r.stdout).items() if k not in ("config", "seconds")})
    assert runs[0] == runs[1]


def test_float32_training_casts_the_given_weights(tmp_path):
    path = _config(tmp_path, "f32", weights=GIVEN_W, biases=GIVEN_B)
    net = Network.from_config(load_config(path, {"training.dtype": "float32"}))
    assert net.weights[0].dtype == np.float32
    np.testing.assert_array_equal(net.weights[1], np.array(GIVEN_W[1], dtype=np.float32))


def test_init_is_noted_as_unused_only_when_everything_is_given(tmp_path):
    both = load_config(_config(tmp_path, "both", init="normal", weights=GIVEN_W, biases=GIVEN_B))
    assert unused_settings(both) == ["network.init (normal) is not used: network.weights and network.biases "
                                     "give every initial weight and bias"]
    assert unused_settings(load_config(_config(tmp_path, "w", init="normal", weights=GIVEN_W))) == []
    assert unused_settings(load_config(_config(tmp_path, "auto", weights=GIVEN_W, biases=GIVEN_B))) == []


# --- the config: show, validate, --set, the run's files -------------------------------------

def test_config_show_writes_the_matrices_row_by_row_and_reads_back(tmp_path):
    path = _config(tmp_path, "given", weights=GIVEN_W, biases=GIVEN_B)
    r = invoke("config", "show", path)
    assert r.exit_code == 0, r.output
    lines = r.stdout.splitlines()
    at = lines.index("  weights:")
    assert lines[at + 1:at + 4] == ["  - [[0.1, -0.2], [0.3, 0.4], [-0.5, 0.6]]", "  - [[0.7, -0.8, 0.9]]",
                                    "  biases: [[0.01, 0.02, 0.03], [-0.04]]"]
    shown = tmp_path / "shown.yaml"
    shown.write_text(r.stdout)
    again = load_config(shown).network
    assert again.weights == tuple(tuple(map(tuple, m)) for m in GIVEN_W)
    assert again.biases == tuple(map(tuple, GIVEN_B))
    default = invoke("config", "show").stdout.splitlines()
    assert "  weights: null  # drawn by network.init" in default and "  biases: null  # network.init's" in default


def test_config_validate_says_where_the_weights_come_from(tmp_path):
    r = invoke("config", "validate", _config(tmp_path, "given", weights=GIVEN_W))
    assert r.exit_code == 0, r.output
    assert "13 parameters (initial weights from the config)" in r.stdout
    r = invoke("config", "validate", _config(tmp_path, "both", weights=GIVEN_W, biases=GIVEN_B))
    assert "13 parameters (initial weights and biases from the config)" in r.stdout
    plain = invoke("config", "validate", _config(tmp_path, "plain"))
    assert plain.exit_code == 0 and "from the config" not in plain.stdout


def test_set_gives_weights_on_the_command_line():
    r = invoke("explain", "--layer", "1", "--format", "json", "--set", "network.layers=[2,1,1]",
               "--set", "network.weights=[[[0.5, -1]], [[2]]]", "--set", "network.biases=[[0.25], [0]]")
    assert r.exit_code == 0, r.output
    forward = json.loads(r.stdout)["forward"][0]
    assert forward["w"] == [0.5, -1.0] and forward["b"] == 0.25
    r = invoke("explain", "--layer", "1", "--set", "network.weights=[[[0.5, -1]], [[2]]]")
    assert r.exit_code == 2
    assert r.output.startswith("error: --set network.weights=[[[0.5, -1]], [[2]]] with the built-in default config: "
                               "network.weights[0]: 1 row, but layer 1 has 3 neurons")  # its layers, [2, 3, 1]
    assert "given on the command line" not in r.output and "<built-in default>" not in r.output


# --- bad values: one line naming the place --------------------------------------------------

BAD = [
    ("layers: [2, 3, 1]\n  weights: [[[1, 2]], [[1, 2, 3]], [[1]]]",
     "network.weights: 3 matrices, but network.layers [2, 3, 1] has 2 weight layers (w^(1) 3×2, w^(2) 1×3)"),
    ("layers: [2, 3, 1]\n  weights: 0.5",
     "network.weights: 0.5 must be a list of 2 matrices, one per layer, layer 1 first (w^(1) 3×2, w^(2) 1×3), "
     "not a number"),
    ("layers: [2, 3, 1]\n  weights: [[[1, 2], [3, 4]], [[1, 2, 3]]]",
     "network.weights[0]: 2 rows, but layer 1 has 3 neurons; w^(1) is 3×2 (n_1 × n_0): a list of 3 rows, one per "
     "neuron j of layer 1, each a list of 2 numbers w_jk, one per neuron k of layer 0, "
     "e.g. [[w_00, w_01], [w_10, w_11], [w_20, w_21]]"),
    ("layers: [1, 1, 1]\n  weights: [0.5, -1]",
     "network.weights[0]: 0.5 is a number, but w^(1) is a 1×1 matrix, a list of rows: write [[0.5]]"),
    ("layers: [1, 1, 1]\n  weights: [[0.5], [-1]]",
     "network.weights[0]: [0.5] is a list of numbers, but w^(1) is a 1×1 matrix, a list of rows: write [[0.5]]"),
    ("layers: [2, 2, 1]\n  weights: [[0.15, 0.2, 0.25, 0.3], [[0.4, 0.45]]]",
     "network.weights[0]: [0.15, 0.2, 0.25, 0.3] is a list of numbers, not of rows; w^(1) is 2×2"),
    ("layers: [2, 2, 1]\n  weights: [[[0.15, 0.2], [0.25, 0.3]], [[0.4, 0.45, 0.5]]]",
     "network.weights[1][0]: 3 numbers, but layer 1 has 2 neurons; row 0 of w^(2) holds w_0k^(2), one weight per "
     "neuron k of layer 1"),
    ("layers: [2, 2, 3]\n  weights: [[[1, 2], [3, 4]], [[1, 2], [3, 4], [5, abc]]]",
     "network.weights[1][2][1]: abc is not a number (string)"),
    ("layers: [2, 2, 3]\n  weights: [[[1, 2], [3, 4]], [[1, 2], [3, 4], [5, yes]]]",
     "network.weights[1][2][1]: true is not a number (boolean): YAML reads unquoted yes/no/on/off/true/false as "
     "booleans; write a number instead"),
    ("layers: [2, 2, 3]\n  weights: [[[1, 2], [3, 4]], [[1, 2], [3, 4], [5, null]]]",
     "network.weights[1][2][1]: null is not a number (YAML reads an empty value, null and ~ as no value)"),
    ("layers: [2, 2, 3]\n  weights: [[[1, 2], [3, 4]], [[1, 2], [3, 4], [5, .nan]]]",
     "network.weights[1][2][1]: .nan must be a finite number"),
    ("layers: [2, 2, 3]\n  weights: [[[1, 2], [3, -.inf]], [[1, 2], [3, 4], [5, 6]]]",
     "network.weights[0][1][1]: -.inf must be a finite number"),
    ("layers: [2, 2, 1]\n  weights: [[[1, 2], [3, 1e39]], [[1, 2]]]\ntraining: {dtype: float32}",
     "network.weights[0][1][1]: 1e39 is beyond float32's range (|x| up to 3.4e+38) and training.dtype is float32; "
     "give a smaller number, or training.dtype: float64"),
    ("layers: [2, 2, 1]\n  biases: [[0.35, 0.35]]",
     "network.biases: 1 list, but network.layers [2, 2, 1] has 2 weight layers (b^(1) 2 numbers, b^(2) 1 number)"),
    # four numbers were '4 lists' and '4 matrices', what they were not
    ("layers: [2, 3, 1]\n  biases: [0.1, 0.2, 0.3, 0.4]",
     "network.biases: a list of 4 numbers, but network.layers [2, 3, 1] has 2 weight layers (b^(1) 3 numbers, "
     "b^(2) 1 number); give one list per layer, layer 1 first: [[0.1, 0.2, 0.3], [0.4]]"),
    ("layers: [2, 3, 1]\n  biases: [0.1, 0.2, 0.3]",
     "network.biases: a list of 3 numbers, but network.layers [2, 3, 1] has 2 weight layers (b^(1) 3 numbers, "
     "b^(2) 1 number); give one list per layer, layer 1 first"),
    ("layers: [2, 3, 1]\n  biases: [[0.1, 0.2, 0.3], 0.4, abc]",
     "network.biases: 3 entries (1 list, 1 number, 1 string), but network.layers [2, 3, 1] has 2 weight layers"),
    ("layers: [2, 3, 1]\n  weights: [0.1, 0.2, 0.3, 0.4]",
     "network.weights: a list of 4 numbers, but network.layers [2, 3, 1] has 2 weight layers (w^(1) 3×2, "
     "w^(2) 1×3); give one matrix per layer, each a list of rows, layer 1 first"),
    ("layers: [2, 3, 1]\n  weights: [[1, 2], [3, 4], [5, 6]]",
     "network.weights: a list of 3 lists of numbers (rows, as of one matrix), but network.layers [2, 3, 1] has 2 "
     "weight layers (w^(1) 3×2, w^(2) 1×3); give one matrix per layer, each a list of rows, layer 1 first"),
    ("layers: [2, 1]\n  weights: [0.5, -1]",
     "network.weights: a list of 2 numbers, but network.layers [2, 1] has 1 weight layer (w^(1) 1×2); give one "
     "matrix per layer, each a list of rows, layer 1 first: write [[[0.5, -1]]]"),
    ("layers: [2, 2]\n  weights: [[1, 2], [3, 4]]",
     "network.weights: a list of 2 lists of numbers (rows, as of one matrix), but network.layers [2, 2] has 1 "
     "weight layer (w^(1) 2×2); give one matrix per layer, each a list of rows, layer 1 first: write "
     "[[[1, 2], [3, 4]]]"),
    ("layers: [2, 2, 1]\n  biases: [[0.35], [0.6]]",
     "network.biases[0]: 1 number, but layer 1 has 2 neurons; b^(1) is a list of 2 numbers b_j, one per neuron j "
     "of layer 1"),
    ("layers: [1, 1, 1]\n  biases: [0.35, 0.6]",
     "network.biases[0]: 0.35 is a number, but b^(1) is a list of 1 number: write [0.35]"),
    ("layers: [2, 2, 1]\n  biases: [[0.35, 0.35], [false]]",
     "network.biases[1][0]: false is not a number (boolean)"),
    ("layers: [2, 2, 1]\n  biases: [[0.35, 0.35], [1e39]]\ntraining: {dtype: float32}",
     "network.biases[1][0]: 1e39 is beyond float32's range"),
]


@pytest.mark.parametrize("network, expected", BAD, ids=[f"bad{i}" for i in range(len(BAD))])
def test_a_bad_weight_or_bias_is_one_line_naming_its_place(tmp_path, network, expected):
    path = tmp_path / "bad.yaml"
    path.write_text(f"data: {{dataset: xor}}\nnetwork:\n  {network}\n")
    for command in (["config", "validate", path], ["train", path], ["explain", path, "--layer", "1"]):
        r = invoke(*command)
        assert r.exit_code == 2, r.output
        lines = r.output.splitlines()
        assert len(lines) == 1 and lines[0].startswith(f"error: {path}: {expected}"), r.output


def test_weights_of_the_transposed_shape_are_said_to_look_transposed(tmp_path):
    """w^(1) of a 2-3-1 network given as 2×3, seed 001's W (Z = XW, inputs × outputs), was told '2 rows, but
    layer 1 has 3 neurons' and the layout, with no word that it is the transpose: the config, the Python API."""
    path = tmp_path / "tr.yaml"
    path.write_text("data: {dataset: xor}\nnetwork:\n  layers: [2, 3, 1]\n"
                    "  weights: [[[0.1, 0.2, 0.3], [0.4, 0.5, 0.6]], [[0.7], [0.8], [0.9]]]\n")
    r = invoke("config", "validate", path)
    assert r.exit_code == 2
    assert r.output.splitlines() == [
        f"error: {path}: network.weights[0]: 2 rows, but layer 1 has 3 neurons; w^(1) is 3×2 (n_1 × n_0): a list "
        "of 3 rows, one per neuron j of layer 1, each a list of 2 numbers w_jk, one per neuron k of layer 0, e.g. "
        "[[w_00, w_01], [w_10, w_11], [w_20, w_21]]",
        "hint: this 2×3 matrix looks transposed (inputs × outputs): w^(1)'s rows are the neurons j of layer 1, its "
        "columns the inputs k, from layer 0 (w_jk); seed 001's W (Z = XW) stores the transpose: give its "
        "transpose, [[0.1, 0.4], [0.2, 0.5], [0.3, 0.6]]; network.weights[1] looks transposed too"]
    r = invoke("config", "validate", path, "--set", "network.weights=[[[1, 2], [3, 4], [5, 6]], [[7], [8], [9]]]")
    assert r.exit_code == 2 and "network.weights[1]: 3 rows, but layer 2 has 1 neuron" in r.output
    assert r.output.splitlines()[-1].endswith("w^(2)'s rows are the neurons j of layer 2, its columns the inputs "
                                              "k, from layer 1 (w_jk); seed 001's W (Z = XW) stores the "
                                              "transpose: give its transpose, [[7, 8, 9]]")
    # not of the transpose's shape (4×2, 1×3 for 3×2): no such hint
    for weights in ("[[[1, 2], [3, 4], [5, 6], [7, 8]], [[1, 2, 3]]]", "[[[1, 2, 3]], [[1, 2, 3]]]"):
        r = invoke("config", "validate", path, "--set", f"network.weights={weights}")
        assert r.exit_code == 2 and "looks transposed" not in r.output and "hint" not in r.output, r.output
    net = Network([2, 3, 1])
    with pytest.raises(ValueError) as err:
        net.weights[0] = np.zeros((2, 3))
    assert str(err.value) == (
        "weights[0] (layer 1): shape (2, 3), expected (3, 2); this 2×3 matrix looks transposed (inputs × outputs): "
        "w^(1)'s rows are the neurons j of layer 1, its columns the inputs k, from layer 0 (w_jk); seed 001's W "
        "(Z = XW) stores the transpose: pass its transpose (w.T)")
    with pytest.raises(ValueError, match=r"weights\[1\] \(layer 2\): shape \(3, 1\), expected \(1, 3\); this 3×1 "):
        net.weights = [np.zeros((3, 2)), np.zeros((3, 1))]
    with pytest.raises(ValueError) as err:
        net.weights[0] = np.zeros((4, 2))
    assert "looks transposed" not in str(err.value)


def test_a_one_layer_networks_bare_matrix_of_the_transposed_shape_is_said_to_look_transposed(tmp_path):
    """layers [2, 3] with weights [[0.5, 0.6, 1], [2, 3, 4]]: seed 001's 2×3 W, not wrapped in the list of one
    matrix per layer, was told 'a list of 2 lists of numbers (rows, as of one matrix), but … 1 weight layer (w^(1)
    3×2)' and no more, where wrapped ([[[0.5, 0.6, 1], [2, 3, 4]]]) it was said to look transposed; a bare 3×2 is
    told 'write [[[…]]]'. Now the bare 2×3 gets the hint too, with its transpose in the list."""
    path = tmp_path / "bare.yaml"
    path.write_text("data: {dataset: spirals, classes: 3, n_samples: 30}\nnetwork:\n  layers: [2, 3]\n"
                    "  output_activation: softmax\n  weights: [[0.5, 0.6, 1], [2, 3, 4]]\ncost: cross_entropy\n")
    for command in (["config", "validate", path], ["train", path], ["explain", path, "--layer", "1"]):
        r = invoke(*command)
        assert r.exit_code == 2, r.output
        assert r.output.splitlines() == [
            (f"error: {path}: network.weights: a list of 2 lists of numbers (rows, as of one matrix), but "
             "network.layers [2, 3] has 1 weight layer (w^(1) 3×2); give one matrix per layer, each a list of rows, "
             "layer 1 first"),
            ("hint: this 2×3 matrix looks transposed (inputs × outputs): w^(1)'s rows are the neurons j of layer 1, "
             "its columns the inputs k, from layer 0 (w_jk); seed 001's W (Z = XW) stores the transpose: give its "
             "transpose, in a list (one matrix per layer): [[[0.5, 2], [0.6, 3], [1, 4]]]")], r.output
    # what the hint gives is taken
    r = invoke("config", "validate", path, "--set", "network.weights=[[[0.5, 2], [0.6, 3], [1, 4]]]")
    assert r.exit_code == 0, r.output
    # a bare one too large to write out is still said to look transposed, with no transpose to copy
    r = invoke("config", "validate", path, "--set", "network.layers=[5, 3]",
               "--set", "network.weights=[[1, 2, 3], [1, 2, 3], [1, 2, 3], [1, 2, 3], [1, 2, 3]]")
    assert r.exit_code == 2 and r.output.splitlines()[-1].startswith("hint: this 5×3 matrix looks transposed"), r.output
    assert r.output.endswith("give its transpose, in a list (one matrix per layer)\n"), r.output
    # a square one, or one of neither shape, cannot be told from its transpose: no such hint
    for layers, weights in (("[2, 2]", "[[1, 2], [3, 4], [5, 6]]"), ("[3, 3]", "[[1, 2, 3], [4, 5, 6]]")):
        r = invoke("config", "validate", path, "--set", f"network.layers={layers}",
                   "--set", f"network.weights={weights}")
        assert r.exit_code == 2 and "looks transposed" not in r.output and "hint" not in r.output, r.output


@pytest.mark.parametrize("array", [False, True])
def test_a_one_layer_networks_bare_matrix_assigned_in_python_is_told_to_wrap_it(array):
    """net.weights = w for a 2-3 network, w one matrix not in a list of one per layer: its rows were counted as the
    layers, 'weights: expected 1 arrays (layers 1 to 1), got 2', with no word of what was given; seed 001's 2×3 W
    is now said to look transposed, as net.weights[0] = W is, and a 3×2 is told to go in a list."""
    net = Network([2, 3])
    as_given = np.array if array else (lambda m: m)
    with pytest.raises(ValueError) as err:
        net.weights = as_given([[0.5, 0.6, 1], [2, 3, 4]])
    assert str(err.value) == (
        "weights: expected 1 array (layer 1), got 2, the 2 rows of one 2×3 matrix; this 2×3 matrix looks transposed "
        "(inputs × outputs): w^(1)'s rows are the neurons j of layer 1, its columns the inputs k, from layer 0 "
        "(w_jk); seed 001's W (Z = XW) stores the transpose: pass its transpose in a list, [w.T]")
    with pytest.raises(ValueError) as err:
        net.weights = as_given([[0.5, 2], [0.6, 3], [1, 4]])
    assert str(err.value) == "weights: expected 1 array (layer 1), got 3, the 3 rows of one 3×2 matrix: pass it in a " \
                             "list, [w]"
    net.weights = [np.array([[0.5, 0.6, 1], [2, 3, 4]]).T]  # what the message says to pass is taken
    assert net.weights[0].tolist() == [[0.5, 2], [0.6, 3], [1, 4]]
    with pytest.raises(ValueError) as err:  # of neither shape: the count alone
        net.weights = as_given([[1, 2, 3, 4]] * 4)
    assert str(err.value) == "weights: expected 1 array (layer 1), got 4"


def test_float64_takes_what_float32_cannot_hold(tmp_path):
    path = tmp_path / "big.yaml"
    path.write_text("data: {dataset: xor}\nnetwork:\n  layers: [2, 1, 1]\n  weights: [[[1e39, 0]], [[1]]]\n")
    assert load_config(path).network.weights[0][0][0] == 1e39
