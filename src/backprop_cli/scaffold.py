"""Config text for people: the fully resolved config and the starter configs.

- :func:`resolved_yaml` is ``backprop config show``: every key of the schema with the value
  that will be used, generator defaults included (``n_samples: 200`` rather than ``null``).
- :data:`STARTERS` are ``backprop init``'s commented configs, one per built-in data set;
  each trains as written to a good result in a second or two (the tests check it).
- :func:`summary` is the one line ``backprop config validate`` prints.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

import yaml

from .wording import optimizer_name, plural, rate_text, settings_text

if TYPE_CHECKING:
    from .config import Config
    from .experiment import Experiment


def resolved_dict(config: Config) -> dict[str, Any]:
    """``config.to_dict()`` with the built-in generator's defaults filled in where the config
    leaves them to the generator (``data.n_samples``, ``data.noise``, ``data.classes``).

    The xor truth table keeps ``n_samples: null``: that is what asks for the 4 rows.
    """
    from .data import GENERATORS

    d = config.to_dict()
    data = d["data"]
    if config.data.dataset is not None:
        gen = GENERATORS[config.data.dataset]
        if data["n_samples"] is None and gen.default_n_samples is not None:
            data["n_samples"] = gen.default_n_samples
        if data["noise"] is None:
            data["noise"] = gen.default_noise
        if data["classes"] is None and gen.default_classes is not None:
            data["classes"] = gen.default_classes
    return d


@cache
def _dumper() -> type[yaml.SafeDumper]:
    from .config import Dumper

    class _Dumper(Dumper):
        """config.Dumper (strings our loader reads as numbers quoted) writing lists of plain
        values on one line: ``layers: [2, 3, 1]``, and a matrix of them too."""

    _Dumper.add_representer(list, _represent_list)
    return _Dumper


def _represent_list(dumper: yaml.SafeDumper, data: list[Any]) -> yaml.Node:
    from .config import matrix, plain_list

    flow = plain_list(data) or matrix(data)  # a weight matrix row by row: [[0.15, 0.2], [0.25, 0.3]]
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=flow)



#: What a null means for the fields whose default is worked out when the run starts.
NULL_MEANS = {
    "log_every": "about ten progress lines per run",
    "checkpoint_every": "with --out: about ten checkpoints per run",
    "n_samples": "the built-in data set's own size",
    "classes": "the built-in data set's own number",
    "weights": "drawn by network.init",
    "biases": "network.init's",
    "features": "every column but the target(s)",
}


def resolved_yaml(config: Config) -> str:
    """The resolved config as YAML, led by a comment naming its source; loads back unchanged.
    A null whose meaning is a default worked out at run time says what it means."""
    body = yaml.dump(resolved_dict(config), Dumper=_dumper(), sort_keys=False, allow_unicode=True)
    lines = []
    for line in body.splitlines():
        key, _, value = line.strip().partition(": ")
        data_key = key in ("n_samples", "classes")  # meaningful only for a built-in data set
        csv_key = key == "features"  # only for a CSV file
        if (value == "null" and key in NULL_MEANS and (not data_key or config.data.dataset is not None)
                and (not csv_key or config.data.path is not None)):
            line += f"  # {NULL_MEANS[key]}"
        lines.append(line)
    return f"# {config.source}, every default filled in (backprop config show)\n" + "\n".join(lines) + "\n"


def summary(exp: Experiment) -> str:
    """One line: the data, its split, the network and the training settings, e.g.
    ``circles (built-in): 400 examples (300 train, 100 test), 2 inputs, 1 output, classification
    (2 classes); network 2-8-1 tanh/sigmoid, cross_entropy, 33 parameters; 300 epochs, sgd η = 0.3,
    batch 16`` (``batch full`` where one batch holds the whole training split, as train says; then
    ``, float32`` for a float32 run, as train's summary line names it); the
    parameters are followed by ``(initial weights and biases from the config)``
    when ``network.weights`` or ``network.biases`` gives them."""
    ds, cfg = exp.train, exp.config
    parts = [f"{exp.train.n_samples:,} train"]
    val = getattr(exp, "val", None)
    if val is not None:
        parts.append(f"{val.n_samples:,} validation")
    if exp.test is not None:
        parts.append(f"{exp.test.n_samples:,} test")
    n = exp.train.n_samples + sum(d.n_samples for d in (val, exp.test) if d is not None)
    if len(parts) == 1:
        parts = ["all for training, no test split"]
    task = ds.task if ds.class_names is None else f"{ds.task} ({class_list(ds.class_names)})"
    t = cfg.training
    # as train's summary names them: momentum (Nesterov), η = 1 → 0.125 (step schedule), η at the last epoch,
    # then μ = 0.95, λ = 0.01 and the like when not their defaults
    from .optimizers import SCHEDULES

    schedule = SCHEDULES[t.schedule].rate(t.learning_rate, t.epochs, {"gamma": t.gamma, "step_size": t.step_size,
                                                                       "power_t": t.power_t})
    rate = f"{optimizer_name(t.optimizer, t.nesterov)} {rate_text(t.learning_rate, t.schedule, schedule)}" \
        + settings_text(t)  # μ, β1, β2, ε, λ when not their defaults
    given = [k for k in ("weights", "biases") if getattr(cfg.network, k, None) is not None]
    start = f" (initial {' and '.join(given)} from the config)" if given else ""
    return (
        f"{display_path(ds.source)}: {plural(n, 'example')} ({', '.join(parts)}), {plural(ds.n_inputs, 'input')}, "
        f"{plural(ds.n_outputs, 'output')}, {task}; network {exp.net.describe()}, "
        f"{plural(exp.net.n_params, 'parameter')}{start}; {plural(t.epochs, 'epoch')}, {rate}, "
        f"batch {'full' if t.batch_size is None or t.batch_size >= exp.train.n_samples else t.batch_size}"
        + (f", {t.dtype}" if t.dtype != "float64" else "")  # float32 named, as train's summary line names it
    )  # as train's summary line says it: a batch_size of 32 over xor's 4 rows trains on all of them at once


def class_list(names: tuple[str, ...], most: int = 10) -> str:
    """``2 classes: -1, 1``: the number of classes and, when there are at most ``most`` and their
    names are short, the names (in the outputs' order), so that labels read another way than meant
    (-1/1 as classes, a stray ``Cat`` beside ``cat``) show; else ``120 classes``."""
    from .names import shown

    listed = ", ".join(n if n.isprintable() and n and "," not in n else shown(n) for n in names)
    if len(names) > most or len(listed) > 100:
        return plural(len(names), "class", "classes")
    return f"{plural(len(names), 'class', 'classes')}: {listed}"


def display_path(source: str) -> str:
    """A data file's path relative to the working folder when it lies inside it."""
    from pathlib import Path

    try:
        return str(Path(source).relative_to(Path.cwd()))
    except ValueError:  # elsewhere, or not a path ("circles (built-in)")
        return source


@dataclass(frozen=True)
class Starter:
    """A starter config: a one-line description and the commented YAML text."""

    dataset: str
    description: str
    text: str


_HEADER = """\
# backprop-cli starter config: {dataset}. {description}
#
# Train it:               backprop train {{name}}
# Keep the model:         backprop train {{name}} --out runs/{dataset}
# Every key, resolved:    backprop config show {{name}}
#
# Every key is optional except network.layers; see the README's config reference.
"""

_XOR = """\
seed: 0                   # one seed: data, split, initial weights, shuffling
data:
  dataset: xor            # the 4-row truth table [0,0]->0 [0,1]->1 [1,0]->1 [1,1]->0
  test_fraction: 0        # 4 rows: train on all of them (there is nothing to hold out)
network:
  layers: [2, 4, 1]       # input first: 2 inputs, 4 hidden units, 1 output
  activation: tanh        # hidden: sigmoid, tanh, relu, leaky_relu, elu, softplus, silu, linear
  output_activation: sigmoid  # the output is P(y = 1)
cost: cross_entropy       # binary cross-entropy; with a sigmoid output, δ^(L) = a − y
training:
  learning_rate: 0.5      # η in W ← W − η ∂C/∂W
  epochs: 1000
  batch_size: full        # all 4 rows in every step
  shuffle: false
"""

_CIRCLES = """\
seed: 0                   # one seed: data, split, initial weights, shuffling
data:
  dataset: circles        # outer circle = class 0, inner circle = class 1
  n_samples: 400          # points to generate
  noise: 0.1              # standard deviation of the gaussian noise on each coordinate
  test_fraction: 0.25     # held out of training, stratified by class
network:
  layers: [2, 8, 1]       # input first: 2 coordinates, 8 hidden units, 1 output
  activation: tanh        # hidden: sigmoid, tanh, relu, leaky_relu, elu, softplus, silu, linear
  output_activation: sigmoid  # the output is P(inner circle)
cost: cross_entropy       # binary cross-entropy; with a sigmoid output, δ^(L) = a − y
training:
  learning_rate: 0.3      # η in W ← W − η ∂C/∂W
  epochs: 300
  batch_size: 16          # examples per gradient step ("full": the whole training split)
  shuffle: true           # reshuffle the training split every epoch
"""

_MOONS = """\
seed: 0                   # one seed: data, split, initial weights, shuffling
data:
  dataset: moons          # two interleaving half circles, one per class
  n_samples: 400          # points to generate
  noise: 0.1              # standard deviation of the gaussian noise on each coordinate
  test_fraction: 0.25     # held out of training, stratified by class
network:
  layers: [2, 16, 1]      # input first: 2 coordinates, 16 hidden units, 1 output
  activation: tanh        # hidden: sigmoid, tanh, relu, leaky_relu, elu, softplus, silu, linear
  output_activation: sigmoid  # the output is P(second moon)
cost: cross_entropy       # binary cross-entropy; with a sigmoid output, δ^(L) = a − y
training:
  learning_rate: 0.3      # η in W ← W − η ∂C/∂W
  epochs: 300
  batch_size: 16          # examples per gradient step ("full": the whole training split)
  shuffle: true           # reshuffle the training split every epoch
"""

_SPIRALS = """\
seed: 0                   # one seed: data, split, initial weights, shuffling
data:
  dataset: spirals        # interleaved spiral arms, one class per arm
  classes: 3              # arms (2: one 0/1 output, or 2 one-hot; more: one-hot outputs)
  n_samples: 600          # points to generate, split evenly between the arms
  noise: 0.2              # standard deviation of the noise on the angle
  test_fraction: 0.2      # held out of training, stratified by class
network:
  layers: [2, 64, 64, 3]  # input first: 2 coordinates, two hidden layers, one output per class
  activation: relu        # R(z) = max(0, z); R'(z) = 1 for z > 0, else 0
  output_activation: softmax  # the outputs are the class probabilities
cost: cross_entropy       # categorical cross-entropy; with softmax, δ^(L) = a − y
training:
  learning_rate: 0.1      # η in W ← W − η ∂C/∂W
  epochs: 400
  batch_size: 32          # examples per gradient step ("full": the whole training split)
  shuffle: true           # reshuffle the training split every epoch
"""

_SINE = """\
seed: 0                   # one seed: data, split, initial weights, shuffling
data:
  dataset: sine           # regression: y = sin(x) + noise, x uniform in [−π, π]
  n_samples: 300          # points to generate
  noise: 0.1              # standard deviation of the gaussian noise on y (MSE floor: 0.01)
  test_fraction: 0.2      # held out of training
network:
  layers: [1, 16, 1]      # input first: x, 16 hidden units, y
  activation: tanh        # hidden: sigmoid, tanh, relu, leaky_relu, elu, softplus, silu, linear
  output_activation: linear   # any real number can come out
cost: half_squared_error  # C = ½ (a − y)², ∂C/∂a = a − y
training:
  learning_rate: 0.05     # η in W ← W − η ∂C/∂W
  epochs: 500
  batch_size: 16          # examples per gradient step ("full": the whole training split)
  shuffle: true           # reshuffle the training split every epoch
"""


def _starter(dataset: str, description: str, body: str) -> Starter:
    header = _HEADER.format(dataset=dataset, description=description)
    return Starter(dataset, description, header + body)


STARTERS: dict[str, Starter] = {
    s.dataset: s
    for s in (
        _starter("xor", "The XOR truth table: no straight line separates it, one hidden layer "
                 "does.", _XOR),
        _starter("circles", "Two concentric circles: a curved, closed class boundary.", _CIRCLES),
        _starter("moons", "Two interleaving half moons: a curved class boundary.", _MOONS),
        _starter("spirals", "Three interleaved spirals: depth (two ReLU layers) and softmax.",
                 _SPIRALS),
        _starter("sine", "Regression: fit y = sin(x) + noise with a linear output.", _SINE),
    )
}


def starter_text(dataset: str, name: str) -> str:
    """The starter config for ``dataset`` (a key of :data:`STARTERS`), mentioning ``name``."""
    return STARTERS[dataset].text.replace("{name}", name)
