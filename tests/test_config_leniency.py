"""Forgiving where the intent is unambiguous, precise where it is not: enumerated names in any case
and with -, _ or spaces alike (or left out), a separator only at a word boundary; other libraries' names taken where they mean exactly ours and
explained where they do not; fields given at the top level or under other tools' key names, read
into their section. Whatever was read is the canonical, nested config everywhere afterwards."""

from __future__ import annotations

import copy
from dataclasses import replace
from pathlib import Path

import pytest
import typer
import yaml
from typer.testing import CliRunner

from backprop_cli import activations
from backprop_cli.cli import app
from backprop_cli.commands.common import name_parser
from backprop_cli.config import _SECTION_KEYS, config_from_dict, load_config
from backprop_cli.errors import ConfigError
from backprop_cli.network import Network

ROOT = Path(__file__).resolve().parents[1]
BASE = {"network": {"layers": [2, 3, 1]}}
runner = CliRunner()


def make(raw, overrides=None):
    return config_from_dict(raw, "my.yaml", Path("/tmp"), overrides)


def with_field(raw, path, value):
    raw = copy.deepcopy(raw)
    node = raw
    *sections, key = path.split(".")
    for s in sections:
        node = node.setdefault(s, {})
    node[key] = value
    return raw


def error_of(raw, overrides=None) -> ConfigError:
    with pytest.raises(ConfigError) as info:
        make(raw, overrides)
    assert info.value.message.startswith(("my.yaml: ", "--set ") if overrides else "my.yaml: ")
    assert "\n" not in info.value.message
    return info.value


# --- enumerated names: case, -, _ and spaces ---------------------------------------------

SPELLINGS = [
    ("network.activation", "ReLU", "relu"),
    ("network.activation", "RELU", "relu"),
    ("network.activation", "Tanh", "tanh"),
    ("network.activation", " Sigmoid ", "sigmoid"),
    ("network.output_activation", "Linear", "linear"),
    ("network.init", "Normal", "normal"),
    ("network.init", "AUTO", "auto"),
    ("cost", "Squared Error", "squared_error"),
    ("cost", "half-squared-error", "half_squared_error"),
    ("cost", "Half_Squared-Error", "half_squared_error"),
    ("data.dataset", "XOR", "xor"),
    ("data.dataset", "Circles", "circles"),
    ("data.task", "Classification", "classification"),
    ("training.dtype", "Float32", "float32"),
    ("training.dtype", "FLOAT-64", "float64"),
    ("training.optimizer", "Adam", "adam"),
    ("training.optimizer", "SGD", "sgd"),
    ("training.schedule", "Step", "step"),
    ("training.schedule", "INVERSE", "inverse"),
]


@pytest.mark.parametrize("path,given,canonical", SPELLINGS, ids=[f"{p}={g}" for p, g, _ in SPELLINGS])
def test_a_name_in_any_case_and_separator_is_read_as_the_canonical_one(path, given, canonical):
    cfg = make(with_field(BASE, path, given))
    d = cfg.to_dict()
    section, _, key = path.rpartition(".")
    assert (d[section] if section else d)[key] == canonical
    assert given not in cfg.to_yaml().replace(f" {canonical}\n", "") or given == canonical


@pytest.mark.parametrize("given", ["Cross Entropy", "cross-entropy", "CROSS_ENTROPY", "crossentropy", "Cross-Entropy"])
def test_cross_entropy_however_spelled(given):
    cfg = make({"network": {"layers": [2, 3, 1], "output_activation": "sigmoid"}, "cost": given})
    assert cfg.cost == "cross_entropy"


def test_names_in_a_list_and_full_batch_are_read_too():
    cfg = make({"network": {"layers": [2, 3, 3, 2], "activation": ["ReLU", "TanH"], "output_activation": "SoftMax"},
                "cost": "Cross Entropy", "training": {"batch_size": "Full"}})
    assert cfg.network.activation == ("relu", "tanh") and cfg.network.output_activation == "softmax"
    assert cfg.training.batch_size is None and cfg.to_dict()["training"]["batch_size"] == "full"


@pytest.mark.parametrize("given", ["Softmax", "SOFTMAX"])
def test_a_softmax_on_hidden_layers_is_refused_however_spelled(given):
    e = error_of({"network": {"layers": [2, 3, 2], "activation": given}})
    assert "network.activation:" in e.message and "only as network.output_activation" in e.message
    with pytest.raises(ConfigError, match="only as the output"):
        Network([2, 3, 2], activation=given)


def test_the_rule_holds_in_the_python_api_and_keeps_canonical_names():
    net = Network([2, 3, 1], activation="ReLU", output_activation="Logistic", cost="Half Squared Error", init="Normal")
    assert [a.name for a in net.activations] == ["relu", "sigmoid"]
    assert net.cost_fn.name == "half_squared_error" and net.init == "normal"
    assert Network([2, 3, 1], dtype="Float32").dtype == "float32"  # as training.dtype: Float32 reads
    assert Network([2, 3, 1], dtype="FLOAT64").dtype == "float64"


def test_config_show_and_a_runs_config_yaml_hold_the_canonical_names(tmp_path):
    text = ("data: {dataset: XOR, test_fraction: 0}\nnetwork: {layers: [2, 3, 1], activation: ReLU, "
            "output_activation: Logistic}\ncost: Cross Entropy\ntraining: {epochs: 2, optimizer: Adam, batch_size: FULL}\n")
    (tmp_path / "c.yaml").write_text(text)
    canonical = text.replace("XOR", "xor").replace("ReLU", "relu").replace("Logistic", "sigmoid") \
        .replace("Cross Entropy", "cross_entropy").replace("Adam", "adam").replace("FULL", "full")
    (tmp_path / "n.yaml").write_text(canonical)
    shown = runner.invoke(app, ["config", "show", str(tmp_path / "c.yaml")])
    expected = runner.invoke(app, ["config", "show", str(tmp_path / "n.yaml")])
    assert shown.exit_code == 0 and shown.stdout.splitlines()[1:] == expected.stdout.splitlines()[1:]
    r = runner.invoke(app, ["train", str(tmp_path / "c.yaml"), "--out", str(tmp_path / "run"), "--quiet"])
    assert r.exit_code == 0, r.output
    saved = yaml.safe_load((tmp_path / "run" / "config.yaml").read_text())
    assert saved == load_config(tmp_path / "n.yaml").to_dict()
    e = runner.invoke(app, ["explain", str(tmp_path / "c.yaml"), "--layer", "L-1", "--format", "json"])
    assert '"architecture": "2-3-1 relu/sigmoid, cross_entropy"' in e.stdout


# --- other libraries' names ------------------------------------------------------------------

ACCEPTED = [
    ({"activation": "logistic"}, None, "network.activation", "sigmoid"),
    ({"activation": "Identity", "output_activation": "sigmoid"}, None, "network.activation", "linear"),
    ({"output_activation": "identity"}, None, "network.output_activation", "linear"),
    ({"layers": [2, 3, 1], "output_activation": "sigmoid"}, "bce", "cost", "cross_entropy"),
    ({"layers": [2, 3, 1], "output_activation": "sigmoid"}, "binary_crossentropy", "cost", "cross_entropy"),
    ({"layers": [2, 3, 1], "output_activation": "sigmoid"}, "BCELoss", "cost", "cross_entropy"),
    ({"layers": [2, 3, 1], "output_activation": "sigmoid"}, "log_loss", "cost", "cross_entropy"),
    ({"layers": [2, 3, 3], "output_activation": "softmax"}, "categorical_crossentropy", "cost", "cross_entropy"),
    ({"layers": [2, 3, 3], "output_activation": "softmax"}, "CategoricalCrossentropy", "cost", "cross_entropy"),
    ({"layers": [2, 3, 3], "output_activation": "softmax"}, "CrossEntropyLoss", "cost", "cross_entropy"),
    ({"layers": [2, 3, 3], "output_activation": "softmax"}, "log-loss", "cost", "cross_entropy"),
]


@pytest.mark.parametrize("network,cost,path,canonical", ACCEPTED,
                         ids=[f"{c or list(n.values())[-1]}" for n, c, _, _ in ACCEPTED])
def test_another_librarys_name_for_exactly_ours_is_read_as_ours(network, cost, path, canonical):
    raw = {"network": {"layers": [2, 3, 1], **network}, **({"cost": cost} if cost else {})}
    if cost is None and network.get("output_activation", "sigmoid") != "linear":
        raw["cost"] = "squared_error"
    d = make(raw).to_dict()
    section, _, key = path.rpartition(".")
    assert (d[section] if section else d)[key] == canonical


@pytest.mark.parametrize("dtype,canonical", [("double", "float64"), ("fp32", "float32"), ("single", "float32")])
def test_numpys_dtype_names(dtype, canonical):
    assert make({**BASE, "training": {"dtype": dtype}}).training.dtype == canonical


# mean_squared was "did you mean half_squared_error?" (the nearest spelling), the one that is not it
MEAN_SQUARED = ["mse", "MSE", "mean_squared_error", "MeanSquaredError", "MSELoss", "mean_squared", "mean_square_error"]
SQUARED = [*MEAN_SQUARED, "l2", "quadratic", "sse"]


@pytest.mark.parametrize("name", MEAN_SQUARED)
def test_mean_squared_error_of_one_output_is_squared_error(name):
    # the mean over examples of (a − y)²: exactly C0 averaged, seed 000's squared_error
    assert make({"network": {"layers": [2, 3, 1]}, "cost": name}).cost == "squared_error"


@pytest.mark.parametrize("name,layers,outputs", [
    *[(n, [2, 3, 3], "3 outputs, Keras' and PyTorch's MSE is squared_error / 3") for n in SQUARED],
    # Nielsen's quadratic cost and TensorFlow's l2_loss carry a ½, an SSE no mean: never read as one of ours
    *[(n, [2, 3, 1], "with one output, Keras' and PyTorch's MSE is squared_error") for n in SQUARED
      if n not in MEAN_SQUARED]])
def test_another_librarys_squared_error_says_which_of_ours_is_which(name, layers, outputs):
    e = error_of({"network": {"layers": layers}, "cost": name})
    assert f"cost: {name} is not one of: cross_entropy, half_squared_error, squared_error" in e.message
    assert "did you mean" not in e.message  # never a guess
    assert "squared_error is C0 = Σ_j (a_j − y_j)² (seed 000)" in e.hint
    assert "half_squared_error is C = ½ Σ_j (a_j − y_j)² (seed 001)" in e.hint
    assert "divide by the number of outputs" in e.hint and outputs in e.hint
    assert ("training.l2 is the weight penalty" in e.hint) == (name == "l2")


REFUSED_CE = [
    ("bce", [2, 3, 2], "sigmoid", "average over them (1/2 of it)"),
    ("binary_crossentropy", [2, 3, 3], "softmax", "with the softmax output here cross_entropy is categorical"),
    ("categorical_crossentropy", [2, 3, 1], "sigmoid", "is cost: cross_entropy with network.output_activation: softmax"),
    ("cce", [2, 3, 2], "sigmoid", "with a sigmoid output cross_entropy is binary per output"),
    ("log_loss", [2, 3, 2], "sigmoid", "average over them"),
    ("bce", [2, 3, 1], "linear", "cross-entropy needs a sigmoid or softmax output"),
    # PyTorch's usual setup, a linear last layer (logits): it was told "for a sigmoid or softmax output
    # write cost: cross_entropy", and the note "not exactly cross_entropy here": no way out of the circle
    ("CrossEntropyLoss", [2, 3, 3], "linear", "PyTorch's CrossEntropyLoss applies softmax to linear outputs (logits) "
     "itself; here the softmax is the output layer's: write network.output_activation: softmax and cost: "
     "cross_entropy (the same numbers)"),
    ("BCEWithLogitsLoss", [2, 3, 1], "linear", "PyTorch's BCEWithLogitsLoss applies sigmoid to linear outputs "
     "(logits) itself; here the sigmoid is the output layer's: write network.output_activation: sigmoid and cost: "
     "cross_entropy (the same numbers)"),
    ("BCEWithLogitsLoss", [2, 3, 3], "linear", "cost: cross_entropy (summed over the 3 outputs, where it averages "
     "them: 3 times its value)"),
    ("cce", [2, 3, 3], "tanh", "and network.output_activation is tanh: write network.output_activation: sigmoid "
     "(binary per output) or softmax (categorical) and cost: cross_entropy"),
    # the name typed, not "PyTorch's BCELoss" for a BCEWithLogitsLoss
    ("BCEWithLogitsLoss", [2, 3, 2], "sigmoid", "; PyTorch's BCEWithLogitsLoss averages over them (1/2 of it)"),
    ("BCELoss", [2, 3, 2], "sigmoid", "; PyTorch's BCELoss averages over them (1/2 of it)"),
    ("binary_crossentropy", [2, 3, 2], "sigmoid", "; Keras' binary_crossentropy averages over them (1/2 of it)"),
    # names that had no hint at all ('did you mean cross_entropy?' at best)
    ("sparse_categorical_crossentropy", [2, 3, 3], "softmax", "sparse categorical cross-entropy is categorical "
     "cross-entropy on class labels (0, 1, 2, …): here write cost: cross_entropy with network.output_activation: "
     "softmax; a classification target column's labels are one-hot encoded by the tool itself"),
    ("SparseCategoricalCrossentropy", [2, 3, 3], "softmax", "one-hot encoded by the tool itself"),
    ("NLLLoss", [2, 3, 3], "softmax", "PyTorch's NLLLoss on log_softmax outputs is categorical cross-entropy: here "
     "write network.output_activation: softmax with cost: cross_entropy (the same numbers)"),
]


@pytest.mark.parametrize("name,layers,output,hint", REFUSED_CE, ids=[f"{c[0]}-{c[2]}-{c[1][-1]}" for c in REFUSED_CE])
def test_another_librarys_cross_entropy_that_is_not_exactly_ours_is_explained(name, layers, output, hint):
    e = error_of({"network": {"layers": layers, "output_activation": output}, "cost": name})
    assert f"cost: {name} is not one of" in e.message and "did you mean" not in e.message
    assert hint in e.hint


ELSEWHERE = ["gelu", "GELU", "SELU", "mish", "prelu", "hard-sigmoid"]


@pytest.mark.parametrize("name", ELSEWHERE)
def test_an_activation_of_another_library_is_named_not_available(name, monkeypatch):
    e = error_of({"network": {"layers": [2, 3, 1], "activation": name}})
    allowed = ", ".join(activations.HIDDEN_ACTIVATIONS)
    assert f"network.activation: {name} is not one of: {allowed} (" in e.message
    assert "is not available here)" in e.message and "did you mean" not in e.message  # elu: not 'relu'


def test_the_available_activations_come_from_the_registry(monkeypatch):
    """An activation another change adds (gelu, say) is accepted, not 'not available'."""
    added = {**activations.ACTIVATIONS, "gelu": replace(activations.ACTIVATIONS["relu"], name="gelu")}
    monkeypatch.setattr(activations, "ACTIVATIONS", added)
    monkeypatch.setattr(activations, "HIDDEN_ACTIVATIONS", tuple(sorted(added)))
    assert activations.activation_name("GELU", hidden=True) == "gelu"
    with pytest.raises(ConfigError, match=r"selu is not one of: elu, gelu, leaky_relu, .* \(selu is not available here\)"):
        activations.activation_name("selu", hidden=True)


@pytest.mark.parametrize("name,canonical", [("LeakyReLU", "leaky_relu"), ("ELU", "elu"), ("Softplus", "softplus"),
                                            ("SiLU", "silu"), ("swish", "silu")])
def test_the_relu_family_in_other_librarys_spelling(name, canonical):
    # Keras' swish is x·σ(x), PyTorch's SiLU: the same function
    assert activations.activation_name(name, hidden=True) == canonical


REFUSED = [
    ({"network": {"layers": [2, 3, 1], "activation": "none"}}, "network.activation: none is not one of",
     "write linear"),
    ({"network": {"layers": [2, 3, 1], "output_activation": "None"}}, "network.output_activation: None is",
     "leave it out"),
    ({**BASE, "training": {"optimizer": "nesterov"}}, "training.optimizer: nesterov is", "nesterov: true"),
    ({**BASE, "training": {"optimizer": "AdamW"}}, "training.optimizer: AdamW is", "adamw is not available"),
    ({**BASE, "training": {"optimizer": "rmsprop"}}, "is not one of: sgd, momentum, adam", "not available"),
    ({**BASE, "training": {"schedule": "invscaling"}}, "training.schedule: invscaling is", "counts epochs"),
    # "(not available here)" alone left unsaid what was not: it names the dtype, as for an optimizer
    ({**BASE, "training": {"dtype": "float16"}}, "training.dtype: float16 is not one of: float64, float32",
     "(float16 is not available here)"),
    ({**BASE, "training": {"dtype": "bf16"}}, "training.dtype: bf16 is not one of", "(bf16 is not available here)"),
    ({**BASE, "training": {"dtype": "float"}}, "training.dtype: float is", "write which"),
    ({"network": {"layers": [2, 3, 1], "init": "xavier"}}, "network.init: xavier is", "auto draws Glorot"),
    ({"network": {"layers": [2, 3, 1], "init": "He"}}, "network.init: He is", "He (Kaiming) normal"),
    ({"network": {"layers": [2, 3, 1], "init": "zeros"}}, "network.init: zeros is", "give network.weights"),
]


@pytest.mark.parametrize("raw,message,note", REFUSED, ids=[c[1].split(":")[0] + "-" + c[2][:12] for c in REFUSED])
def test_a_name_that_is_close_but_not_ours_is_explained_not_guessed(raw, message, note):
    e = error_of(raw)
    assert message in e.message and note in e.message and "did you mean" not in e.message


def test_a_short_name_for_an_activation_now_ours_suggests_it_not_relu():
    """'lrelu' is listed among other libraries' names as leaky_relu; once leaky_relu joined the
    registry the message fell back to the nearest spelling, "did you mean 'relu'?"."""
    e = error_of({"network": {"layers": [2, 3, 1], "activation": "lrelu"}})
    assert "(did you mean leaky_relu?)" in e.message and "relu?" not in e.message.replace("leaky_relu?", "")


def test_a_typo_still_gets_its_did_you_mean():
    assert "(did you mean relu?)" in error_of({"network": {"layers": [2, 3, 1], "activation": "Relu6"}}).message
    assert "(did you mean half_squared_error?)" in error_of({**BASE, "cost": "half_squared_eror"}).message


# --- keys: fields at the top level, other tools' key names -----------------------------------

FIELDS = [(sec, f) for sec, keys in _SECTION_KEYS.items() for f in keys]
RESOLVED = make({"network": {"layers": [2, 3, 1], "weights": [[[0.1, 0.2]] * 3, [[0.3, 0.4, 0.5]]],
                             "biases": [[0.0] * 3, [0.0]]}}).to_dict()


def _value(sec, f):
    return {"dataset": None, "path": None, "validation_fraction": 0.25,
            "epochs": 7, "learning_rate": 0.25}.get(f, RESOLVED[sec][f]) if sec != "network" or f != "layers" \
        else [2, 3, 1]


@pytest.mark.parametrize("sec,field", FIELDS, ids=[f"{s}.{f}" for s, f in FIELDS])
def test_every_field_may_be_given_at_the_top_level_and_reads_as_nested(sec, field):
    value = _value(sec, field)
    nested = with_field(BASE, f"{sec}.{field}", value)
    flat = {**({} if field == "layers" else BASE), field: value}
    assert make(flat).to_dict() == make(nested).to_dict()
    assert make(flat).to_yaml() == make(nested).to_yaml()


@pytest.mark.parametrize("sec,field", FIELDS, ids=[f"{s}.{f}" for s, f in FIELDS])
def test_a_field_given_at_the_top_level_and_in_its_section_is_an_error_naming_both(sec, field):
    value = _value(sec, field)
    e = error_of({**with_field(BASE, f"{sec}.{field}", value), field: value})
    assert e.message == (f"my.yaml: {sec}.{field}: given twice, as {sec}.{field} and as {field} at the top level; "
                         "give it once")


@pytest.mark.parametrize("sec,field", FIELDS, ids=[f"{s}.{f}" for s, f in FIELDS])
def test_a_field_under_another_section_says_where_it_belongs(sec, field):
    other = next(s for s in _SECTION_KEYS if s != sec)
    e = error_of(with_field(BASE, f"{other}.{field}", _value(sec, field)))
    assert f"my.yaml: {other}.{field}: unknown key {field}: it belongs under {sec}: → {sec}.{field}" == e.message
    e = error_of(BASE, {f"{other}.{field}": _value(sec, field)})  # --set
    assert f"{other}.{field}: unknown key {field}: it belongs under {sec}: → {sec}.{field}" in e.message


@pytest.mark.parametrize("sec,key,field", [("network", "cost", "cost"), ("network", "loss", "cost"),
                                           ("training", "seed", "seed"), ("data", "Random-Seed", "seed")])
def test_a_top_level_field_under_a_section_says_it_belongs_at_the_top_level(sec, key, field):
    """`network: {layers: …, cost: …}` (Keras keeps the loss with the model) listed network's keys
    only, where a field of another section says where it belongs."""
    e = error_of(with_field(BASE, f"{sec}.{key}", "cross_entropy" if field == "cost" else 1))
    assert e.message == f"my.yaml: {sec}.{key}: unknown key {key}: it belongs at the top level: → {field}"
    e = error_of(BASE, {f"{sec}.{key}": 1})  # --set
    assert f"{sec}.{key}: unknown key {key}: it belongs at the top level: → {field}" in e.message


TYPOS = [(sec, f, f[:2] + f[3:]) for sec, f in FIELDS if len(f) >= 6]


@pytest.mark.parametrize("sec,field,typo", TYPOS, ids=[t[2] for t in TYPOS])
def test_a_typo_of_a_field_at_the_top_level_names_its_section(sec, field, typo):
    e = error_of({**BASE, typo: 1})
    assert f"{typo}: unknown key {typo}: did you mean {sec}.{field}?" in e.message


SYNONYMS = [
    ("training", "lr", "learning_rate", 0.25), ("training", "eta", "learning_rate", 0.25),
    ("training", "η", "learning_rate", 0.25), ("training", "n_epochs", "epochs", 7),
    ("training", "num_epochs", "epochs", 7), ("training", "Learning-Rate", "learning_rate", 0.25),
    ("training", "batch", "batch_size", 2), ("training", "bs", "batch_size", 2),
    ("network", "sizes", "layers", [2, 4, 1]), ("network", "layer_sizes", "layers", [2, 4, 1]),
    ("network", "act", "activation", "tanh"), ("", "loss", "cost", "half_squared_error"),
]


@pytest.mark.parametrize("sec,key,field,value", SYNONYMS, ids=[s[1] for s in SYNONYMS])
def test_another_tools_key_name_for_exactly_our_field_is_read_as_it(sec, key, field, value):
    path = f"{sec}.{field}" if sec else field
    base = {} if field == "layers" else BASE
    expected = make(with_field(base, path, value)).to_dict()
    assert make(with_field(base, f"{sec}.{key}" if sec else key, value)).to_dict() == expected  # in its section
    assert make({**base, key: value}).to_dict() == expected  # at the top level
    assert make(BASE, {f"{sec}.{key}" if sec else key: value}).to_dict() == expected  # --set training.lr=…
    assert make(BASE, {key: value}).to_dict() == expected  # --set lr=…
    if sec:
        e = error_of(with_field(with_field(BASE, path, value), f"{sec}.{key}", value))
        assert f"{path}: given twice, as " in e.message and f"{sec}.{key}" in e.message and "give it once" in e.message


def test_a_flat_config_as_users_of_other_tools_write_it(tmp_path):
    p = tmp_path / "flat.yaml"
    p.write_text("layers: [2, 3, 1]\nactivation: sigmoid\nlearning_rate: 0.5\nepochs: 100\n")
    cfg = load_config(p)
    assert cfg.network.layers == (2, 3, 1) and cfg.training.learning_rate == 0.5 and cfg.training.epochs == 100
    assert cfg.to_dict() == make({"network": {"layers": [2, 3, 1], "activation": "sigmoid"},
                                  "training": {"learning_rate": 0.5, "epochs": 100}}).to_dict()
    r = runner.invoke(app, ["config", "validate", str(p)])
    assert r.exit_code == 0 and "valid (" in r.stdout


def test_the_same_field_twice_on_the_command_line_is_an_error_naming_both():
    r = runner.invoke(app, ["config", "show", "--set", "lr=0.5", "--set", "training.learning_rate=0.25"])
    assert r.exit_code == 2
    assert "--set training.learning_rate: given twice (lr=0.5, then training.learning_rate=0.25)" in r.stderr
    # a dedicated option wins over a --set of its field, however the --set names it
    r = runner.invoke(app, ["train", "--set", "lr=0.5", "--lr", "0.75", "--epochs", "1", "--quiet"])
    assert r.exit_code == 0 and "η = 0.75" in r.stdout


def test_set_reads_other_names_and_top_level_fields():
    r = runner.invoke(app, ["config", "show", "--set", "layers=[2,5,1]", "--set", "training.n_epochs=9",
                            "--set", "network.activation=ReLU", "--set", "cost=Half Squared Error"])
    assert r.exit_code == 0, r.output
    d = yaml.safe_load(r.stdout)
    assert d["network"]["layers"] == [2, 5, 1] and d["training"]["epochs"] == 9
    assert d["network"]["activation"] == "relu" and d["cost"] == "half_squared_error"


@pytest.mark.parametrize("path", sorted((ROOT / "configs").glob("*.yaml")), ids=lambda p: p.name)
def test_every_shipped_config_is_already_canonical(path):
    from backprop_cli.config import canonical_keys

    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert canonical_keys(raw) == raw
    cfg = load_config(path)
    assert make(cfg.to_dict()).to_dict() == cfg.to_dict()


# --- the command line's own names ----------------------------------------------------------

@pytest.mark.parametrize("args,out", [
    (["gradcheck", "--mode", "FULL", "--json"], '"mode": "full"'),
    (["gradcheck", "--mode", "Sample", "--params", "2", "--json"], '"mode": "sample"'),
    (["explain", "--layer", "L", "--format", "JSON"], '"label": "L"'),
    (["explain", "--layer", "L", "--format", "Markdown"], "## "),
])
def test_command_line_names_follow_the_same_rule(args, out):
    r = runner.invoke(app, args)
    assert r.exit_code == 0, r.output
    assert out in r.stdout


def test_command_line_names_still_refuse_what_is_not_one(tmp_path):
    r = runner.invoke(app, ["gradcheck", "--mode", "quick"])
    assert r.exit_code == 2 and "quick is not one of: full, sample, fast" in r.output
    help_text = runner.invoke(app, ["explain", "--help"]).stdout
    assert "<rich|markdown|json>" in help_text


@pytest.mark.parametrize("args,dataset", [(["Spirals.yaml"], "spirals"), (["x.yaml", "--dataset", "MOONS"], "moons"),
                                          (["y.yaml", "-d", "Sine"], "sine")])
def test_init_reads_data_set_names_by_the_same_rule(args, dataset, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    r = runner.invoke(app, ["init", *args])
    assert r.exit_code == 0, r.output
    assert load_config(tmp_path / args[0]).data.dataset == dataset


@pytest.mark.parametrize("name", MEAN_SQUARED)
def test_mse_of_two_outputs_is_named_as_exactly_half_squared_error_in_the_hint(name):
    """With 2 outputs Keras' and PyTorch's MSE, Σ_j (a_j − y_j)² / 2, is half_squared_error itself;
    the hint said only 'squared_error / 2', leaving the learner to see that it is one of ours."""
    e = error_of({"network": {"layers": [2, 3, 2]}, "cost": name})
    assert "2 outputs, Keras' and PyTorch's MSE is squared_error / 2, which is exactly half_squared_error" in e.hint


def test_eps_is_not_read_as_adams_epsilon():
    # `gradcheck --set eps=1e-3` meant the finite-difference step; read as training.epsilon it
    # silently changed Adam's ε while the report showed ε = 1e-05
    r = runner.invoke(app, ["gradcheck", "--set", "eps=1e-3"])
    assert r.exit_code == 2
    assert "did you mean training.epsilon? (Adam's ε; gradcheck's finite-difference step is its --eps option)" in r.output
    e = error_of({**BASE, "training": {"eps": 1e-7}})
    assert "training.eps: unknown key eps: did you mean epsilon?" in e.message


def test_a_section_given_whole_on_the_command_line_reads_its_keys_as_a_file_does():
    """``--set training={lr: 0.5}``: the section's keys are read as in a config file (it was
    "training.lr: unknown key 'lr'", and 'Learning-Rate' "did you mean 'learning_rate'?")."""
    assert make(BASE, {"training": {"lr": 0.5, "N-Epochs": 3}}).training.learning_rate == 0.5
    assert make(BASE, {"training": {"Learning-Rate": 0.25}}).training.learning_rate == 0.25
    assert make({}, {"network": {"sizes": [2, 4, 1]}}).network.layers == (2, 4, 1)
    r = runner.invoke(app, ["config", "show", "--set", "training={lr: 0.5, batch: full}"])
    assert r.exit_code == 0, r.output
    assert "learning_rate: 0.5" in r.stdout and "batch_size: full" in r.stdout


def test_a_section_given_on_the_command_line_is_merged_into_the_configs_section():
    """``--set network={layers: [4, 16, 3]}`` replaced the whole section: iris lost its tanh and
    softmax, circles' ``data={n_samples: 100}`` trained xor, ``training={lr: 0.5}`` lost the batch
    size. The keys named replace theirs (whatever the spelling of either), the others are kept."""
    raw = {"network": {"layers": [2, 3, 1], "activation": "tanh", "output_activation": "sigmoid"},
           "data": {"dataset": "circles", "noise": 0.1}, "cost": "cross_entropy",
           "training": {"lr": 0.3, "batch_size": 16, "epochs": 40}}
    cfg = make(raw, {"network": {"layers": [2, 8, 1]}, "data": {"n_samples": 100},
                     "training": {"Learning-Rate": 0.5, "n_epochs": 20}})
    assert cfg.network.layers == (2, 8, 1) and cfg.network.activation == "tanh"
    assert cfg.network.output_activation == "sigmoid"
    assert (cfg.data.dataset, cfg.data.noise, cfg.data.n_samples) == ("circles", 0.1, 100)
    assert (cfg.training.learning_rate, cfg.training.epochs, cfg.training.batch_size) == (0.5, 20, 16)
    assert cfg.written == {"training.learning_rate", "training.epochs", "training.batch_size"}
    r = runner.invoke(app, ["config", "show", str(ROOT / "configs" / "iris.yaml"), "--set",
                            "network={layers: [4, 16, 3]}", "--set", "training={lr: 0.5, epochs: 20}"])
    assert r.exit_code == 0, r.output
    shown = yaml.safe_load(r.stdout)
    assert shown["network"]["activation"] == "tanh" and shown["network"]["output_activation"] == "softmax"
    assert shown["training"]["batch_size"] == 16 and shown["training"]["learning_rate"] == 0.5
    assert shown["data"]["target"] == ["species"]


def test_a_merged_section_and_another_field_of_it_on_the_command_line_are_both_taken():
    """With sections merged, ``--set training={lr: 0.5} --set epochs=5`` (two fields) was still
    refused as overlapping, and two ``--set data={…}`` naming other keys as given twice; a field
    named by both (in any spelling, with another value) still is refused."""
    iris = str(ROOT / "configs" / "iris.yaml")

    def show(*sets: str) -> dict:
        r = runner.invoke(app, ["config", "show", iris, *(a for s in sets for a in ("--set", s))])
        assert r.exit_code == 0, r.output
        return yaml.safe_load(r.stdout)

    shown = show("training={lr: 0.5}", "epochs=5")
    assert (shown["training"]["learning_rate"], shown["training"]["epochs"], shown["training"]["batch_size"]) == (0.5, 5, 16)
    shown = show("training.epochs=5", "training={lr: 0.5}")
    assert (shown["training"]["learning_rate"], shown["training"]["epochs"]) == (0.5, 5)
    shown = show("data={test_fraction: 0.3}", "data={standardize: false}")
    assert (shown["data"]["test_fraction"], shown["data"]["standardize"], shown["data"]["target"]) == (0.3, False, ["species"])
    shown = show("training={learning_rate: 0.5}", "training={lr: 0.5}")  # one field in two spellings, one value
    assert shown["training"]["learning_rate"] == 0.5
    for sets, said in ((["training={lr: 0.5}", "lr=0.3"], "--set lr=0.3: overlaps --set training={lr: 0.5}"),
                       (["training={}", "training=null"], "given twice ({}, then null)"),  # (null won, unsaid)
                       (["data={test_fraction: 0.3}", "data={test_fraction: 0.2}"], "given twice"),
                       (["network=null", "network.layers=[4, 3]"], "overlaps --set network=null")):
        r = runner.invoke(app, ["config", "show", iris, *(a for s in sets for a in ("--set", s))])
        assert r.exit_code == 2 and said in r.output and "give each field once" in r.output, (sets, r.output)


def test_given_weights_kept_by_a_merged_network_section_say_where_they_came_from():
    """``--set network={layers: [2, 3, 2]}`` on hand_worked keeps its weights (the section is merged),
    which no longer fit: the error says they are the file's and how to drop them."""
    config = str(ROOT / "configs" / "hand_worked.yaml")
    r = runner.invoke(app, ["config", "validate", config, "--set", "network={layers: [2, 3, 2]}"])
    assert r.exit_code == 2
    assert "network.weights[0]: 2 rows, but layer 1 has 3 neurons" in r.output
    assert ("hint: network.weights and network.biases are the config file's (" in " ".join(r.output.split()))
    assert "add weights: null, biases: null to --set network={…} to have network.init draw new ones" in \
        " ".join(r.output.split())
    r = runner.invoke(app, ["config", "validate", config, "--set", "layers=[2, 3, 2]"])
    assert "add --set network.weights=null --set network.biases=null" in " ".join(r.output.split())
    r = runner.invoke(app, ["config", "validate", config, "--set",
                            "network={layers: [2, 3, 2], weights: null, biases: null}"])
    assert r.exit_code == 0, r.output
    assert "network 2-3-2 sigmoid/sigmoid" in r.output


def test_a_data_section_naming_a_file_where_the_config_names_a_built_in_set_says_how_to_drop_it():
    e = error_of({"network": {"layers": [2, 3, 1]}, "data": {"dataset": "circles", "noise": 0.1}},
                 {"data": {"path": "x.csv"}})
    assert e.message == ("--set data={…} with my.yaml: data: give either data.dataset (a built-in) or data.path (a "
                         "file), not both")
    assert e.hint == ("add dataset: null, noise: null to --set data={…} to replace the config's data.dataset "
                      "with the --set data.path")


def test_hidden_activation_is_read_only_beside_the_outputs_own():
    """``hidden_activation: relu`` was read as network.activation, which the output copies: circles'
    2-8-1 became relu/relu. It names the hidden layers' only: read beside output_activation, refused
    without it (the output would copy it)."""
    cfg = make({"network": {"layers": [2, 8, 1], "hiddenActivation": "relu", "output_activation": "sigmoid"}})
    assert (cfg.network.activation, cfg.network.resolved_output_activation) == ("relu", "sigmoid")
    flat = make({"layers": [2, 8, 1], "hidden_activation": "relu", "output_activation": "sigmoid"})
    assert flat.network == cfg.network
    e = error_of({"network": {"layers": [2, 8, 1], "hidden_activation": "relu"}})
    assert e.message.startswith("my.yaml: network.hidden_activation: relu is the hidden layers' only, but here "
                                "the output layer has no activation of its own")
    assert e.hint.startswith("add output_activation: sigmoid (softmax for several classes")
    e = error_of({"network": {"layers": [2, 8, 1], "hidden_activation": "relu", "activation": "tanh"}})
    assert "network.activation: given twice, as network.activation and as network.hidden_activation" in e.message
    # --set: either spelling replaces the other, merged or alone
    raw = {"network": {"layers": [2, 8, 1], "activation": "tanh", "output_activation": "sigmoid"}}
    assert make(raw, {"network": {"hidden_activation": "relu"}}).network.activation == "relu"
    assert make(raw, {"hidden_activation": "relu"}).network.activation == "relu"
    back = make({"network": {"layers": [2, 8, 1], "hidden_activation": "relu", "output_activation": "sigmoid"}},
                {"activation": "elu"})
    assert back.network.activation == "elu"
    r = runner.invoke(app, ["config", "validate", str(ROOT / "configs" / "xor.yaml"), "--set", "hidden_activation=relu"])
    assert r.exit_code == 2 and r.stderr.startswith("error: --set hidden_activation=relu: network.hidden_activation: "
                                                    "relu is the hidden layers' only"), r.output


def test_a_hidden_activation_of_a_wrong_name_is_told_so_before_it_needs_output_activation(tmp_path):
    """``hidden_activation: softmax`` (or ``reluu``) without output_activation was first the clash 'the output
    layer has no activation of its own', hinted 'or write activation: softmax for the output too' (not a hidden
    activation; reluu none at all), and config validate listed its own error after it; train stopped at the
    clash. Its own value is checked first: the clash only where that passes."""
    for name, own in (("softmax", "softmax is allowed only as network.output_activation (hidden layers: "),
                      ("reluu", "reluu is not one of: ")):
        e = error_of({"network": {"layers": [2, 3, 1], "hidden_activation": name}})
        assert e.message.startswith(f"my.yaml: network.hidden_activation: {own}"), e.message
        assert e.hint is None or f"write activation: {name}" not in e.hint, e.hint
        (tmp_path / "h.yaml").write_text(f"data: {{dataset: xor}}\nnetwork: {{layers: [2, 3, 1], hidden_activation: {name}}}\n")
        r = runner.invoke(app, ["config", "validate", str(tmp_path / "h.yaml")])
        assert r.exit_code == 2 and "is the hidden layers' only" not in r.stderr and "write activation" not in r.stderr
        assert r.stderr.startswith(f"error: {tmp_path / 'h.yaml'}: network.hidden_activation: {own}"), r.stderr
    # a valid name still meets the clash, with its hint
    e = error_of({"network": {"layers": [2, 3, 1], "hidden_activation": "ReLU"}})
    assert "is the hidden layers' only" in e.message and e.hint.endswith("or write activation: ReLU for the output too")


def test_an_unknown_network_key_lists_hidden_activation_with_its_condition():
    """network.activaton's error listed hidden_activation among the allowed keys, but alone it is refused: the
    listing says it is allowed with output_activation."""
    e = error_of({"network": {"layers": [2, 3, 1], "activaton": "tanh"}})
    assert e.message == ("my.yaml: network.activaton: unknown key activaton: did you mean activation? Allowed: layers, "
                         "activation, output_activation, init, weights, biases, hidden_activation (with "
                         "output_activation)")
    e = error_of({"network": {"layers": [2, 3, 1], 1: "tanh"}})
    assert e.message.endswith("; allowed: layers, activation, output_activation, init, weights, biases, "
                              "hidden_activation (with output_activation)")


def test_errors_in_hidden_activation_name_it_not_network_activation():
    """A wrong ``hidden_activation`` was reported as ``network.activation: 2 names for 1 hidden layer and
    network.output_activation is set; … or one per layer (the output's last) without it``: a field the
    user never wrote, and a way out (drop output_activation) that hidden_activation refuses."""
    out = {"output_activation": "sigmoid"}
    e = error_of({"network": {"layers": [2, 8, 1], "hidden_activation": ["relu", "tanh"], **out}})
    assert e.message == "my.yaml: network.hidden_activation: 2 names for 1 hidden layer; give one name"
    e = error_of({"network": {"layers": [2, 4, 4, 1], "hidden_activation": ["relu", "tanh", "elu"], **out}})
    assert e.message == ("my.yaml: network.hidden_activation: 3 names for 2 hidden layers; give one name, for all "
                         "of them, or one per hidden layer (2)")
    e = error_of({"network": {"layers": [2, 4, 4, 1], "hidden_activation": ["relu"], **out}})
    assert e.message == ("my.yaml: network.hidden_activation: 1 name for 2 hidden layers; give one name without "
                         "brackets (relu, for every hidden layer), or one per hidden layer (2)")
    # no hidden layer: nothing for it to set, as network.activation beside output_activation (iris.yaml with
    # --set network.layers=[4,3] keeps working whichever key it wrote); null unsets it
    assert make({"network": {"layers": [2, 1], "hidden_activation": "relu", **out}}).network.layers == (2, 1)
    raw = {"network": {"layers": [2, 4, 1], "hidden_activation": "relu", **out}}
    assert make(raw, {"network": {"hidden_activation": None}}).network.activation == "sigmoid"
    e = error_of({"network": {"layers": [2, 4, 4, 1], "hidden_activation": ["relu", "bogus"], **out}})
    assert e.message.startswith("my.yaml: network.hidden_activation[1]: bogus is not one of: elu, ")
    e = error_of({"network": {"layers": [2, 4, 1], "hidden_activation": "softmax", **out}})
    assert e.message.startswith("my.yaml: network.hidden_activation: softmax is allowed only as "
                                "network.output_activation")
    e = error_of({"network": {"layers": [2, 4, 1], "activation": ["relu", "tanh"], **out}})  # unchanged
    assert e.message.startswith("my.yaml: network.activation: 2 names for 1 hidden layer and "
                                "network.output_activation is set")


def test_an_output_activation_copied_from_activation_is_said_so_when_the_cost_refuses_it():
    """``activation: relu`` with ``cost: cross_entropy`` was told ``network.output_activation: relu
    cannot be used``, a field the user never wrote."""
    e = error_of({"network": {"layers": [2, 3, 1], "activation": "relu"}, "cost": "cross_entropy"})
    assert e.message == ("my.yaml: network.output_activation: relu (copied from network.activation, as "
                         "network.output_activation is not set) cannot be used with cost cross_entropy; allowed: "
                         "sigmoid, softmax")
    assert e.hint == ("give the output its own: network.output_activation: sigmoid; network.activation stays "
                      "the hidden layers'")
    e = error_of({"network": {"layers": [4, 8, 3], "activation": "tanh"}, "cost": "cross_entropy"})
    assert "network.output_activation: softmax (one class per row), or sigmoid" in e.hint
    # written: no note that it was copied, but a hint as the copied one's (there was none): the outputs that fit,
    # or the cost that keeps it
    e = error_of({"network": {"layers": [2, 3, 1], "activation": "relu", "output_activation": "relu"},
                  "cost": "cross_entropy"})
    assert e.message == ("my.yaml: network.output_activation: relu cannot be used with cost cross_entropy; allowed: "
                         "sigmoid, softmax")
    assert e.hint == ("cross_entropy takes ln a, so the outputs must lie in (0, 1): make it "
                      "network.output_activation: sigmoid; or keep relu with cost squared_error, which takes any output")
    e = error_of({"network": {"layers": [4, 8, 3], "activation": "relu", "output_activation": "tanh"},
                  "cost": "cross_entropy"})
    assert e.hint == ("cross_entropy takes ln a, so the outputs must lie in (0, 1): make it network.output_activation: "
                      "softmax (one class per row), or sigmoid (labels that may be 1 together); or keep tanh with cost "
                      "squared_error, which takes any output")
    e = error_of({"network": {"layers": [4, 8, 3], "activation": "relu", "output_activation": "softmax"},
                  "cost": "squared_error"})  # the message says what to do: no hint
    assert e.message.endswith("softmax needs cost cross_entropy, not squared_error") and e.hint is None


@pytest.mark.parametrize("layers, act, cost, message, hint", [
    ([2, 1], "relu", "cross_entropy", "network.activation: relu (the output layer's: there is no hidden layer) "
     "cannot be used with cost cross_entropy; allowed: sigmoid, softmax", "write network.activation: sigmoid"),
    ([4, 3], "tanh", "cross_entropy", "network.activation: tanh (the output layer's: there is no hidden layer) "
     "cannot be used with cost cross_entropy; allowed: sigmoid, softmax",
     "write network.activation: softmax (one class per row), or sigmoid (labels that may be 1 together)"),
    ([4, 3], "softmax", "squared_error", "network.activation: softmax (the output layer's: there is no hidden "
     "layer) needs cost cross_entropy, not squared_error", None),
])
def test_without_a_hidden_layer_a_refused_output_is_named_as_network_activation(layers, act, cost, message, hint):
    """With no hidden layer, network.activation is the output's own: the refusal named
    network.output_activation, 'copied from network.activation', and hinted that network.activation
    'stays the hidden layers'', of a network that has none."""
    e = error_of({"network": {"layers": layers, "activation": act}, "cost": cost})
    assert e.message == f"my.yaml: {message}"
    assert e.hint == hint
    e = error_of({"network": {"layers": layers, "activation": "sigmoid", "output_activation": act}, "cost": cost})
    assert e.message.startswith(f"my.yaml: network.output_activation: {act} ")  # written: named as written


def test_yaml_12_floats_are_numbers_and_sexagesimal_ones_text(tmp_path):
    """``learning_rate: 1:00.0`` was YAML 1.1's base-60 sixty (``1:30`` is refused as text); ``-.5``,
    ``+.5`` and ``.5e3`` were text while ``.5`` was a number."""
    from backprop_cli.config import parse_yaml

    assert parse_yaml("[-.5, +.5, .5e3, .5, 1.5e+3, 1.]", "x") == [-0.5, 0.5, 500.0, 0.5, 1500.0, 1.0]
    assert parse_yaml("[1:30.0, 1:30, ., -., .e3]", "x") == ["1:30.0", "1:30", ".", "-.", ".e3"]
    (tmp_path / "w.yaml").write_text("network:\n  layers: [2, 1]\n  weights: [[[-.5, .3]]]\n"
                                     "training:\n  learning_rate: 1:00.0\n")
    r = runner.invoke(app, ["config", "validate", str(tmp_path / "w.yaml")])
    assert r.exit_code == 2
    assert "training.learning_rate: '1:00.0' is not a number greater than 0 (string)" in r.output
    cfg = load_config(tmp_path / "w.yaml", {"training.learning_rate": parse_yaml("+.5e1", "x")})
    assert cfg.network.weights == (((-0.5, 0.3),),) and cfg.training.learning_rate == 5.0
    r = runner.invoke(app, ["config", "show", "--set", "lr=1:30.0"])
    assert r.exit_code == 2 and "'1:30.0' is not a number greater than 0 (string)" in r.output


def test_a_tab_that_only_separates_is_read_as_a_space_and_one_in_a_value_is_said_so(tmp_path):
    """``epochs: 5<TAB># note`` and ``[2,<TAB>3, 1]`` got "YAML indentation must use spaces, not tabs"
    though no line was indented with one: YAML allows such tabs (PyYAML does not), so they are read as
    spaces; a tab inside a value is said so, with where it is."""
    from backprop_cli.config import parse_yaml

    text = "network:\n  layers: [2,\t3,\t1]\t\n  activation:\ttanh\t# hidden\ntraining:\n  epochs: 5\t# note\n" \
           "  shuffle: false\n  dtype:\n  -\tfloat64\n"
    assert parse_yaml(text, "x") == {"network": {"layers": [2, 3, 1], "activation": "tanh"},
                                     "training": {"epochs": 5, "shuffle": False, "dtype": ["float64"]}}
    assert parse_yaml("a: 'x\ty'\nb: \"x\ty\"  # c\td\n", "x") == {"a": "x\ty", "b": "x\ty"}
    with pytest.raises(ConfigError) as e:
        parse_yaml("network:\n  activation: leaky\trelu\n", "my.yaml")
    assert e.value.message == "my.yaml: YAML error (line 2, column 20): found character '\\t' that cannot start any token"
    assert e.value.hint == ("the tab at line 2, column 20 is inside a value, between its words; write a space there, "
                            "or quote the value")
    with pytest.raises(ConfigError) as e:
        parse_yaml("network:\n\tlayers: [2, 1]\n", "my.yaml")
    assert e.value.hint == "YAML indentation must use spaces, not tabs"


def test_tabs_inside_a_plain_value_stay_refused_and_a_matrix_of_tabs_is_read():
    """The first reading of separating tabs turned one after any '-', ',' or ':' into a space, so
    ``path: my-<TAB>file.csv`` silently became 'my- file.csv'; and it parsed again once per tab (up to
    1,000), so a weights matrix of 1,200 tabs took 12 s and then blamed a separating tab."""
    from backprop_cli.config import parse_yaml

    for text, column in (("data:\n  path: my-\tfile.csv\n", 12), ("data:\n  path: a,\tb.csv\n", 11),
                         ("data:\n  path: x:\ty\n", None)):
        with pytest.raises(ConfigError) as e:
            parse_yaml(text, "my.yaml")
        if column is not None:  # (x:<TAB>y: a key's colon, as YAML 1.2 reads it: a mapping where a text goes)
            assert e.value.hint.startswith(f"the tab at line 2, column {column} is inside a value"), e.value
    row = ",\t".join(["0.5"] * 40)
    text = "network:\n  weights: [" + ",\t".join(f"[{row}]" for _ in range(30)) + "]\n"
    assert text.count("\t") >= 1199
    assert parse_yaml(text, "w.yaml") == {"network": {"weights": [[0.5] * 40] * 30}}
    assert parse_yaml("a: {b:\t1,\tc: 2}\nd: 'x\ty'\t# c\n", "x") == {"a": {"b": 1, "c": 2}, "d": "x\ty"}
    # an apostrophe inside a plain value opens no quote: the quoted value after it keeps its tab
    text = "data:\n  path: o-'neil.csv\n  target: 'key:\tv'\ntraining:\n  epochs: 5\t# x\n"
    assert parse_yaml(text, "x") == {"data": {"path": "o-'neil.csv", "target": "key:\tv"}, "training": {"epochs": 5}}
    assert parse_yaml("a: ['x\ty',\t'z']\nc:\n  - 'p\tq'\t# d\n", "x") == {"a": ["x\ty", "z"], "c": ["p\tq"]}
    # a quoted value after a tag, an anchor or a complex key's '? ' is quoted too: its tab stays
    for text, read in (("t: !!str 'a:\tb'\n", {"t": "a:\tb"}), ("t: &k 'a:\tb'\n", {"t": "a:\tb"}),
                       ("? 'a:\tb'\n: 1\n", {"a:\tb": 1}), ("t: {? 'a:\tb' : 1}\n", {"t": {"a:\tb": 1}})):
        assert parse_yaml(text + "x: 5\t# n\n", "x") == {**read, "x": 5}, text
    with pytest.raises(ConfigError):  # a bracket inside such a quote opens no flow collection
        parse_yaml("t: !!str 'a[b'\npath: a,\tb\n", "x")


@pytest.mark.parametrize("text, message, hint", [
    # alone in its section: YAML read the section as the text 'learning_rate:0.5'
    ("network:\n  layers: [2, 1]\ntraining:\n  learning_rate:0.5\n",
     "my.yaml: training: must be a mapping of keys, not a string ('learning_rate:0.5'); write a space after "
     "the colon: learning_rate: 0.5", None),
    ("epochs:5\n", "my.yaml: the top level must be a mapping of sections (seed, data, network, cost, training), "
     "not a string ('epochs:5')", "write a space after the colon: epochs: 5"),
    # with a line after it: PyYAML blamed the next line's colon, in its own words only
    ("network:\n  layers: [2, 1]\ntraining:\n  learning_rate:0.5\n  epochs: 5\n",
     "my.yaml: YAML error (line 5, column 9): mapping values are not allowed here",
     "line 4 has no space after its colon, so YAML reads it as text: write learning_rate: 0.5"),
    ("network:\n  layers: [2, 1]\ntraining:\n  epochs: 5\n  learning_rate:0.5\n",
     "my.yaml: YAML error (line 6, column 1): could not find expected ':'",
     "line 5 has no space after its colon, so YAML reads it as text: write learning_rate: 0.5"),
    ("network:\n  layers: [2, 1]\ntraining:\n  optimizer: adam\n    learning_rate: 0.01\n",
     "my.yaml: YAML error (line 5, column 18): mapping values are not allowed here",
     "line 5 is indented more than line 4, whose key already has its value: the keys of one mapping line up, "
     "and only a key ending in ':' takes a nested one"),
])
def test_a_key_without_its_space_or_a_line_indented_too_far_gets_a_hint_naming_its_line(tmp_path, text, message, hint):
    """``learning_rate:0.5`` and a stray indent got PyYAML's words, blaming the next line, and no hint."""
    from backprop_cli.config import parse_yaml

    with pytest.raises(ConfigError) as e:
        config_from_dict(parse_yaml(text, "my.yaml"), "my.yaml", tmp_path)
    assert (e.value.message, e.value.hint) == (message, hint)


def test_a_section_written_with_dashes_is_told_to_drop_them():
    """``network:\n  - layers: [2, 3, 1]\n  - activation: relu`` was told "did you mean network:
    {layers: [{layers: [2, 3, 1]}, {activation: relu}]}?"."""
    e = error_of({"network": [{"layers": [2, 3, 1]}, {"activation": "relu"}]})
    assert e.message == ("my.yaml: network: must be a mapping of keys, not a list ([{layers: [2, 3, 1]}, "
                         "{activation: relu}]); drop the dashes, a list's: did you mean network: {layers: [2, 3, 1], "
                         "activation: relu}?")
    e = error_of({**BASE, "training": [{"epochs": 5}, {"lr": 0.1}]})
    assert e.message.endswith("did you mean training: {epochs: 5, lr: 0.1}?")
    assert error_of({"network": [2, 3, 1]}).message.endswith("did you mean network: {layers: [2, 3, 1]}?")


def test_layers_separated_by_spaces_are_told_to_use_commas():
    """``layers: [2 3 1]`` is YAML's list of one text '2 3 1': it was told "needs at least 2 sizes"."""
    assert error_of({"network": {"layers": ["2 3 1"]}}).message == (
        "my.yaml: network.layers: [2 3 1] is a list of one text, 2 3 1 (YAML reads sizes separated by spaces as "
        "one text): separate them with commas, [2, 3, 1]")
    assert error_of({"network": {"layers": ["a"]}}).message.endswith("[a] needs at least 2 sizes (input and output)")


@pytest.mark.parametrize("section, key, meant", [
    ("data", "data_path", "path"), ("network", "weight_init", "init"), ("data", "labels", "target"),
    ("data", "dev_fraction", "validation_fraction"), ("training", "max_iter", "epochs"),
    ("training", "solver", "optimizer"), ("", "max_iter", "training.epochs"), ("", "dataPath", "data.path"),
])
def test_other_tools_keys_whose_nearest_spelling_misled_are_told_the_field(section, key, meant):
    """``data_path`` was "did you mean dataset?", ``weight_init`` "weights", ``dev_fraction``
    "test_fraction", ``labels``, ``max_iter`` and ``solver`` nothing."""
    raw = {**BASE, section: {key: 1}} if section else {**BASE, key: 1}
    if section == "network":
        raw = {"network": {"layers": [2, 3, 1], key: 1}}
    e = error_of(raw)
    assert f"unknown key {key}: did you mean {meant}? (" in e.message


# --- a separator stands only where the name has a word boundary ------------------------------
#
# `epo chs: 3` read as epochs and `cro ss_entropy` as cross_entropy: a separator anywhere was
# dropped. It may stand only where the name (ours, or another library's for it) has a word
# boundary, a `_` of it or where letters meet digits; it may still be left out, and case is free.

KEPT = [
    ("network.activation", "LeakyReLU", "leaky_relu"), ("network.activation", "Leaky ReLU", "leaky_relu"),
    ("network.activation", "leakyrelu", "leaky_relu"), ("network.activation", "leaky-relu", "leaky_relu"),
    ("network.activation", "SiLU", "silu"), ("network.activation", "TanH", "tanh"),
    ("network.activation", "Swish", "silu"), ("cost", "CrossEntropy", "cross_entropy"),
    ("cost", "crossentropy", "cross_entropy"), ("cost", "HalfSquaredError", "half_squared_error"),
    ("cost", "half squared error", "half_squared_error"), ("training.dtype", "Float 32", "float32"),
    ("training.dtype", "FLOAT-64", "float64"), ("training.dtype", "fp-32", "float32"),
    ("training.dtype", "FP32", "float32"), ("training.optimizer", "SGD", "sgd"),
]


@pytest.mark.parametrize("path,given,canonical", KEPT, ids=[g for _, g, _ in KEPT])
def test_separators_at_word_boundaries_left_out_or_in_camel_case_still_read(path, given, canonical):
    d = make(with_field(BASE, path, given)).to_dict()
    section, _, key = path.rpartition(".")
    assert (d[section] if section else d)[key] == canonical


BROKEN = [
    ("cost", "cro ss_entropy", "cross_entropy"), ("cost", "half_squ ared_error", "half_squared_error"),
    ("network.activation", "Leaky Re LU", "leaky_relu"), ("network.activation", "leaky_re_lu", "leaky_relu"),
    ("network.activation", "re-lu", "relu"), ("network.activation", "Si LU", "silu"),
    ("network.activation", "tan h", "tanh"), ("network.activation", "lo gistic", "sigmoid"),
    ("network.output_activation", "soft max", "softmax"), ("training.dtype", "float3-2", "float32"),
    ("training.dtype", "fp3 2", "float32"), ("training.dtype", "dou ble", "float64"),
    ("training.optimizer", "ada m", "adam"), ("training.schedule", "st ep", "step"),
    ("network.init", "nor mal", "normal"), ("data.dataset", "spi rals", "spirals"),
    ("data.task", "regr ession", "regression"),
]


@pytest.mark.parametrize("path,given,meant", BROKEN, ids=[g for _, g, _ in BROKEN])
def test_a_name_with_a_separator_inside_a_word_is_refused_with_did_you_mean(path, given, meant):
    e = error_of(with_field(BASE, path, given))
    assert e.message.startswith(f"my.yaml: {path}: {given} is not one of: "), e.message
    assert e.message.endswith(f" (did you mean {meant}?)"), e.message


def test_another_librarys_name_with_a_word_broken_is_refused_not_explained_as_not_exactly_ours():
    """binary_crossentropy with one sigmoid output is exactly cross_entropy; broken inside a word it
    is no name, and must not be told "not exactly cross_entropy here" with no hint."""
    sigmoid = {"network": {"layers": [2, 3, 1], "output_activation": "sigmoid"}}
    assert make({**sigmoid, "cost": "binary cross entropy"}).cost == "cross_entropy"
    e = error_of({**sigmoid, "cost": "binary_cross entro py"})
    assert e.message.endswith("cost: binary_cross entro py is not one of: cross_entropy, half_squared_error, "
                              "squared_error (did you mean cross_entropy?)") and e.hint is None


def test_a_full_batch_with_a_word_broken_is_refused():
    assert make(with_field(BASE, "training.batch_size", "FULL")).training.batch_size is None
    e = error_of(with_field(BASE, "training.batch_size", "fu ll"))
    assert e.message == 'my.yaml: training.batch_size: fu ll must be a positive whole number or "full" (did you mean full?)'


KEPT_KEYS = [("training", "learningRate", "learning_rate"), ("training", "learningrate", "learning_rate"),
             ("training", "learning rate", "learning_rate"), ("training", "nEpochs", "epochs"),
             ("training", "n epochs", "epochs"), ("training", "MiniBatchSize", "batch_size"),
             ("training", "minibatch_size", "batch_size"), ("training", "beta 1", "beta1"),
             ("training", "earlyStopping", "early_stopping"), ("", "RandomSeed", "seed")]


@pytest.mark.parametrize("sec,key,field", KEPT_KEYS, ids=[k for _, k, _ in KEPT_KEYS])
def test_keys_with_separators_at_word_boundaries_or_in_camel_case_still_read(sec, key, field):
    value = {"beta1": 0.5, "early_stopping": False, "seed": 3}.get(field, 2)
    path = f"{sec}.{field}" if sec else field
    expected = make(with_field(BASE, path, value)).to_dict()
    assert make(with_field(BASE, f"{sec}.{key}" if sec else key, value)).to_dict() == expected
    assert make({**BASE, key: value}).to_dict() == expected  # at the top level
    assert make(BASE, {key: value}).to_dict() == expected  # --set


BROKEN_KEYS = [
    ({**BASE, "training": {"epo chs": 3}}, "my.yaml: training.epo chs: unknown key epo chs: did you mean epochs? "),
    ({**BASE, "epo chs": 3}, "my.yaml: epo chs: unknown key epo chs: did you mean training.epochs? "),
    ({**BASE, "training": {"learn ing_rate": 0.5}},
     "my.yaml: training.learn ing_rate: unknown key learn ing_rate: did you mean learning_rate? "),
    ({**BASE, "training": {"be ta1": 0.5}}, "my.yaml: training.be ta1: unknown key be ta1: did you mean beta1? "),
    ({**BASE, "ran dom_seed": 3}, "my.yaml: ran dom_seed: unknown key ran dom_seed: did you mean seed? "),
    ({"net work": {"layers": [2, 3, 1]}}, "my.yaml: net work: unknown key net work: did you mean network? "),
]


@pytest.mark.parametrize("raw,message", BROKEN_KEYS, ids=[m.split(":")[1].strip() for _, m in BROKEN_KEYS])
def test_a_key_with_a_separator_inside_a_word_is_unknown_with_did_you_mean(raw, message):
    assert error_of(raw).message.startswith(message)


def test_set_and_command_line_names_refuse_a_word_broken_too(tmp_path, monkeypatch):
    r = runner.invoke(app, ["config", "show", "--set", "epo chs=3"])
    assert r.exit_code == 2 and r.stdout == ""
    assert r.stderr.startswith("error: --set epo chs: unknown key epo chs: did you mean training.epochs? ")
    assert len(r.stderr.splitlines()) == 1
    r = runner.invoke(app, ["config", "show", "--set", "cost=cro ss_entropy"])
    assert r.exit_code == 2 and "error: --set cost=cro ss_entropy: cro ss_entropy is not one of" in r.stderr and "(did you mean cross_entropy?)" in r.stderr
    for args in (["explain", "--layer", "L", "--format", "JS-ON"], ["gradcheck", "--mode", "Sam ple"]):
        r = runner.invoke(app, args)
        assert r.exit_code == 2 and r.stdout == "" and "Invalid value for" in r.stderr
    with pytest.raises(typer.BadParameter, match=r"^JS-ON is not one of: rich, markdown, json \(did you mean json\?\)$"):
        name_parser(("rich", "markdown", "json"))("JS-ON")
    with pytest.raises(typer.BadParameter, match=r"^Sam ple is not one of: full, sample, fast \(did you mean sample\?\)$"):
        name_parser(("full", "sample", "fast"))("Sam ple")
    assert name_parser(("rich", "markdown", "json"))("JSON") == "json"
    monkeypatch.chdir(tmp_path)
    r = runner.invoke(app, ["init", "x.yaml", "--dataset", "spi rals"])
    assert r.exit_code == 2 and "--dataset: spi rals is not one of: " in r.stderr and "(did you mean spirals?)" in r.stderr
    assert list(tmp_path.iterdir()) == []


def test_the_python_api_refuses_a_word_broken_name_too():
    with pytest.raises(ConfigError, match=r"^network.activation: Re LU is not one of: .* \(did you mean relu\?\)$"):
        Network([2, 3, 1], activation="Re LU")
    with pytest.raises(ConfigError, match=r"^dtype: float6 4 is not one of: float64, float32$"):
        Network([2, 3, 1], dtype="float6 4")
    assert Network([2, 3, 1], activation="Leaky ReLU", dtype="Float 64").activations[0].name == "leaky_relu"


# --- random documents: a Config, or one line naming the field --------------------------------

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from backprop_cli.config import _KEY_HINTS, _KEY_SYNONYMS  # noqa: E402

_NAMES = ["seed", "cost", "data", "network", "training", "Network", "loss", "random_seed"]
for _keys in _SECTION_KEYS.values():
    _NAMES += [*_keys, *(k.replace("_", "-").title() for k in _keys)]
_NAMES += [k for d in _KEY_SYNONYMS.values() for k in d] + list(_KEY_HINTS)
_NAMES += ["", "-", "_", " ", " layers", "🔥", "x" * 80, "a\x01b", "x\ny", "relu"]
_KEYS = st.one_of(st.sampled_from(_NAMES), st.integers(-2, 2), st.booleans(), st.none(), st.floats(width=16))
_LEAVES = st.one_of(
    st.none(), st.booleans(), st.integers(-3, 40), st.floats(), st.text(max_size=6),
    st.sampled_from(["relu", "Soft Max", "softmax", "xor", "adam", "full", "cross_entropy", "mse", "bce", "float32",
                     "-", "", "step", "data.npz"]),
    st.lists(st.integers(0, 4), max_size=4),
)
_VALUES = st.recursive(_LEAVES, lambda c: st.one_of(st.lists(c, max_size=3), st.dictionaries(_KEYS, c, max_size=4)),
                       max_leaves=10)
_DOCS = st.dictionaries(_KEYS, st.one_of(_VALUES, st.dictionaries(_KEYS, _VALUES, max_size=5)), max_size=6)
_SET_KEYS = st.one_of(st.sampled_from(_NAMES),
                      st.builds("{}.{}".format, st.sampled_from(_NAMES), st.sampled_from(_NAMES)))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(raw=st.one_of(_DOCS, st.builds(lambda doc: {"network": {"layers": [2, 3, 1]}, **doc}, _DOCS)),
       overrides=st.one_of(st.none(), st.dictionaries(_SET_KEYS, _VALUES, max_size=3)))
def test_random_documents_give_a_config_or_one_line_naming_the_field(raw, overrides):
    """Real field names, other tools' names and junk (numbers, booleans and nulls as keys, blanks,
    control characters, a newline), nested at random, in the file and as ``--set``: a valid Config or
    a ConfigError of one line that starts with the file or --set; never another exception (a newline
    in a --set key was printed raw, a second line of the error)."""
    try:
        make(raw, overrides)
    except ConfigError as e:
        assert "\n" not in e.message and (e.hint is None or "\n" not in e.hint), (e.message, e.hint)
        assert e.message.startswith(("my.yaml: ", "--set ")), e.message
        # the field (or key) the message is about comes next, then a colon
        assert ": " in e.message.removeprefix("my.yaml: ").removeprefix("--set "), e.message


KEY_NOTES = [  # other tools' keys with no one field here: what to write, or what the tool does instead
    ({**BASE, "training": {"betas": [0.9, 0.99]}},
     "training.betas: unknown key betas: Adam's (β1, β2) are two fields here: training.beta1 = 0.9 and "
     "training.beta2 = 0.99; allowed: "),
    ({**BASE, "betas": "0.9,0.99"}, "betas: unknown key betas: Adam's (β1, β2) are two fields here, training.beta1 "
     "and training.beta2; allowed: "),
    ({**BASE, "training": {"dampening": 0.1}}, "training.dampening: unknown key dampening: not supported: momentum "
     "here is v ← μ v + g, PyTorch's SGD with dampening 0 (its default)"),
    ({**BASE, "training": {"drop_last": True}}, "drop_last: not an option: an epoch's last, smaller batch is always "
     "kept, its step following the mean cost of its own rows (PyTorch's DataLoader with drop_last=False)"),
    ({**BASE, "restore_best_weights": True}, "restore_best_weights: not needed: with training.early_stopping: true "
     "the best epoch's weights are always the ones kept"),
    ({**BASE, "training": {"monitor": "val_loss"}}, "monitor: not an option: training.early_stopping watches the "
     "validation cost (data.validation_fraction above 0), else the test cost"),
    ({**BASE, "training": {"random_state": 1}}, "training.random_state: unknown key random_state: did you mean seed? "
     "(scikit-learn's random_state: here one whole number at the top level seeds the data, the split, the initial "
     "weights and the shuffling)"),
    ({**BASE, "random_state": 1}, "random_state: unknown key random_state: did you mean seed?"),
    ({**BASE, "training": {"kernel_regularizer": 0.01}}, "kernel_regularizer: did you mean l2? (λ of the penalty "
     "(λ/2) Σ‖w‖² on every layer's weights, not the biases; Keras' regularizers.L2(0.01) adds 0.01 Σ‖w‖², which "
     "is l2: 0.02)"),
    ({**BASE, "regularization": 0.01}, "regularization: did you mean training.l2? (λ of the penalty"),
    ({**BASE, "training": {"l2_reg": 0.01}}, "l2_reg: did you mean l2? (λ of the penalty"),
    ({**BASE, "training": {"l2Lambda": 0.01}}, "l2Lambda: did you mean l2? (λ of the penalty"),
    ({**BASE, "training": {"alpha": 1e-4}}, "alpha: did you mean l2? (λ of the penalty (λ/2) Σ‖w‖² on the weights, "
     "added to each batch's mean cost; scikit-learn's MLP alpha adds (alpha/2) Σ‖w‖² / n, n the batch's rows: "
     "l2 = alpha / batch_size where every batch is full; leaky_relu's and elu's α are fixed here)"),
]


@pytest.mark.parametrize("raw,message", KEY_NOTES, ids=[m.split(":")[0] for _, m in KEY_NOTES])
def test_another_tools_key_with_no_one_field_here_says_what_to_write_or_what_the_tool_does(raw, message):
    """betas, dampening, drop_last, restore_best_weights, monitor, random_state, kernel_regularizer,
    alpha …: 'unknown key' with at best a guess, or nothing; now each says what is done here."""
    e = error_of(raw)
    assert message in e.message, e.message


def test_betas_on_the_command_line_names_both_fields():
    r = runner.invoke(app, ["config", "validate", str(ROOT / "configs" / "xor.yaml"), "--set", "betas=[0.9, 0.99]"])
    assert r.exit_code == 2
    assert "--set betas: unknown key betas: Adam's (β1, β2) are two fields here: training.beta1 = 0.9 and " \
           "training.beta2 = 0.99" in r.output, r.output


@pytest.mark.parametrize("name", ["ExponentialLR", "exponential"])
def test_exponential_lr_is_told_as_the_step_schedule_with_step_size_1(name):
    e = error_of({**BASE, "training": {"schedule": name}})
    assert ("(PyTorch's ExponentialLR(gamma=γ), η0·γ^(e−1) in epoch e, is schedule: step with training.step_size: 1 "
            "and training.gamma: γ)") in e.message, e.message


def test_the_step_schedule_with_step_size_1_is_exponential_lr():
    """What the ExponentialLR hint promises: η0·γ^(e−1) in epoch e, as torch.optim.lr_scheduler.ExponentialLR
    (stepped once per epoch) gives η0, η0·γ, η0·γ², …"""
    from backprop_cli.optimizers import SCHEDULES

    cfg = make({**BASE, "training": {"schedule": "step", "step_size": 1, "gamma": 0.9, "learning_rate": 0.5}})
    t = cfg.training
    rule = SCHEDULES["step"]
    settings = {"gamma": t.gamma, "step_size": t.step_size}
    assert [rule.rate(t.learning_rate, e, settings) for e in (1, 2, 3, 4)] == pytest.approx(
        [0.5, 0.5 * 0.9, 0.5 * 0.9**2, 0.5 * 0.9**3], rel=1e-15)


def test_softmax_in_network_activation_is_the_outputs_where_there_is_no_hidden_layer(tmp_path):
    """layers: [2, 2] has no hidden layer, so activation: softmax is the output's, as Network reads
    it: validate, show and train take it (validate refused it as a hidden layer's own value); with
    a hidden layer validate says the refusal once."""
    config = tmp_path / "c.yaml"
    config.write_text("data: {dataset: xor}\nnetwork: {layers: [2, 2], activation: softmax}\ncost: cross_entropy\n"
                      "training: {epochs: 2}\n")
    r = runner.invoke(app, ["config", "validate", str(config)])
    assert r.exit_code == 0 and "network 2-2 softmax, cross_entropy" in r.stdout, r.output
    shown = yaml.safe_load(runner.invoke(app, ["config", "show", str(config)]).stdout)["network"]
    assert (shown["activation"], shown["output_activation"]) == ([], "softmax")
    assert runner.invoke(app, ["train", str(config), "--quiet"]).exit_code == 0
    config.write_text(config.read_text().replace("[2, 2]", "[2, 3, 2]"))
    r = runner.invoke(app, ["config", "validate", str(config)])
    assert r.exit_code == 2 and r.stderr.count("softmax is allowed only as network.output_activation") == 1, r.stderr


@pytest.mark.parametrize("network", [
    {"layers": [2, 3, 1], "activation": "softmaxx"},
    {"layers": [2, 3, 1], "hidden_activation": "sofmax", "output_activation": "sigmoid"},
    {"layers": [2, 1], "activation": "softmaxx"},
])
def test_a_hidden_layers_name_nearest_softmax_is_told_softmax_and_where_it_is_allowed(network):
    """'softmaxx' in a hidden layer's field got no "did you mean": the nearest name was looked for among
    the hidden layers' alone. It is told softmax, and that softmax is the output's only; a name near a
    hidden one is told that one as before."""
    field = "activation" if "activation" in network else "hidden_activation"
    e = error_of({"network": network})
    assert e.message == (f"my.yaml: network.{field}: {network[field]} is not one of: elu, leaky_relu, linear, relu, "
                         "sigmoid, silu, softplus, tanh (did you mean softmax? it is allowed only as the output "
                         "activation)")
    e = error_of({"network": {**network, field: "reluu"}})
    assert e.message.endswith("softplus, tanh (did you mean relu?)")
    e = error_of({"network": {**network, field: "xyzzy"}})
    assert e.message.endswith("softplus, tanh")


def test_a_cost_name_refused_beside_a_list_of_activations_advises_the_lists_last_name():
    """`activation: [relu, tanh]` (one per layer, the output's last) with `cost: binary_crossentropy` was told
    to write network.output_activation: sigmoid, which beside that list is refused ('2 names for 1 hidden
    layer and network.output_activation is set'); the hint names the list's last name, and following it
    gives a valid config."""
    e = error_of({"network": {"layers": [2, 3, 1], "activation": ["relu", "tanh"]}, "cost": "binary_crossentropy"})
    assert e.hint == ("cross-entropy needs a sigmoid or softmax output, and the output's activation (the last name "
                      "of network.activation) is tanh: make the last name of network.activation sigmoid (binary "
                      "per output) or softmax (categorical) and write cost: cross_entropy")
    make({"network": {"layers": [2, 3, 1], "activation": ["relu", "sigmoid"]}, "cost": "cross_entropy"})
    e = error_of({"network": {"layers": [2, 3, 1], "activation": "relu"}, "cost": "binary_crossentropy"})
    assert "write network.output_activation: sigmoid (binary per output)" in e.hint  # no list: as before


def test_a_cost_hint_beside_a_list_of_activations_never_names_network_output_activation():
    """683046e rewrote these hints by string replacement, which stops working unseen when a hint's wording
    changes; and NLLLoss's read 'here make the last name of network.activation softmax with cost:
    cross_entropy'. Every other library's name refused beside a list (one name per layer, the output's
    last), for each output: its hint names the list's last name, never network.output_activation (refused
    beside the list), where the same config with output_activation names that field."""
    from backprop_cli.costs import _OTHER_COSTS

    listed_hints = 0
    for name in _OTHER_COSTS:
        for out, n in (("tanh", 1), ("linear", 1), ("linear", 3), ("sigmoid", 1), ("sigmoid", 3), ("softmax", 3)):
            try:
                make({"network": {"layers": [2, 3, n], "activation": ["relu", out]}, "cost": name})
                continue
            except ConfigError as e:
                hint = e.hint or ""
            e = error_of({"network": {"layers": [2, 3, n], "activation": "relu", "output_activation": out},
                          "cost": name})
            assert "network.output_activation" not in hint, (name, out, n, hint)
            if "network.output_activation" in (e.hint or ""):  # the same hint, the list's last name for the field
                assert "last name of network.activation" in hint, (name, out, n, hint)
                listed_hints += 1
    assert listed_hints >= 10
    e = error_of({"network": {"layers": [2, 3, 3], "activation": ["relu", "tanh"]}, "cost": "NLLLoss"})
    assert e.hint == ("PyTorch's NLLLoss on log_softmax outputs is categorical cross-entropy: here write cost: "
                      "cross_entropy with softmax as the last name of network.activation (the same numbers)")
    make({"network": {"layers": [2, 3, 3], "activation": ["relu", "softmax"]}, "cost": "cross_entropy"})



def test_config_validate_lists_a_cost_hint_beside_a_list_of_activations_with_the_lists_last_name(tmp_path):
    """config validate lists every error, each field checked alone: there a cost refused beside a list of
    activations (the output's the last) was told 'write network.output_activation: softmax', which is
    refused beside the list, as train's single error no longer was. In the file and from a --set alike."""
    p = tmp_path / "c.yaml"
    p.write_text("data: {dataset: spirals}\nnetwork: {layers: [2, 8, 3], activation: [relu, tanh]}\n"
                 "cost: NLLLoss\ntraining: {epochs: -5}\n", encoding="utf-8")
    r = runner.invoke(app, ["config", "validate", str(p)])
    assert r.exit_code == 2, r.output
    assert "training.epochs: -5 must be at least 1" in r.stderr  # every error listed, not the cost's alone
    assert ("hint: PyTorch's NLLLoss on log_softmax outputs is categorical cross-entropy: here write cost: "
            "cross_entropy with softmax as the last name of network.activation (the same numbers)") in r.stderr
    r = runner.invoke(app, ["config", "validate", str(p), "--set", "cost=sparse_categorical_crossentropy"])
    assert r.exit_code == 2, r.output
    assert "network.output_activation" not in r.stderr, r.stderr
    assert "with softmax as the last name of network.activation" in r.stderr, r.stderr
