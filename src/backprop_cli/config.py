"""The YAML config: loading (safely), validation into frozen dataclasses, overrides.

Every error is a ``ConfigError`` whose message starts with the file and the field
path, names the bad value and says what is allowed, e.g.
``configs/x.yaml: network.activation: relu6 is not one of: elu, leaky_relu, linear, relu, sigmoid, silu,
softplus, tanh (did you mean relu?)``.

Loading is ``yaml.safe_load`` semantics (no Python objects; any tag such as
``!!python/object`` is refused naming it) with fixes for YAML 1.1 surprises: ``1e-3`` is
read as a number (YAML 1.1 would make it a string), as are ``-.5`` and ``.5e3``; whole numbers are read
as YAML 1.2 does (``010`` is ten, not octal eight; ``0o17`` and ``0x10`` are octal and hex; ``1:30`` and
``1:30.0`` are text, not ninety; ``0b11`` is text), except that ``1_000`` is a thousand, as in Python and
YAML 1.1 (YAML 1.2 would make it text), duplicate keys are an error
instead of silently keeping the last, tabs used for indentation get a plain explanation,
and an unquoted ``yes``/``no``/``on``/``off`` where a number or a name belongs is reported
as the boolean YAML made of it. Values are quoted in messages as YAML writes them
(``names.shown``: ``{a: 1}``, ``true``, ``null``), shortened, so a huge or self-referencing value
cannot flood the terminal.
"""

from __future__ import annotations

import copy
import difflib
import math
import os
import re
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field, replace
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from .activations import HIDDEN_ACTIVATIONS, activation_name, hidden_only_output
from .costs import COSTS, check_pair, cost_name
from .errors import BackpropError, ConfigError, ConfigErrors
from .names import READ_AS_BOOLEAN as _READ_AS_BOOLEAN
from .names import canonical_name, choose, did_you_mean, lookup, loose_key
from .names import shown as _shown
from .names import typed as _typed
from .wording import looks_transposed, not_a_file, plural

DATASETS = ("circles", "moons", "sine", "spirals", "xor")
#: each built-in data set's task (data.GENERATORS; a test keeps the two in step)
DATASET_TASKS = {"circles": "classification", "moons": "classification", "sine": "regression",
                 "spirals": "classification", "xor": "classification"}
TASKS = ("auto", "classification", "regression")
INITS = ("auto", "normal", "uniform")
DTYPES = ("float64", "float32")
DEFAULT_CONFIG_NAME = "default.yaml"


@dataclass(frozen=True)
class DataConfig:
    """The ``data`` section: a built-in ``dataset`` or a file ``path`` (CSV or .npz), how it is
    read, split and scaled. Every field, its default and allowed values: README, "Config reference"."""

    dataset: str | None = None
    path: str | None = None  # resolved to an absolute path when loaded from a file
    target: tuple[str, ...] | None = None
    #: the input columns of a CSV, in this order; None: every column but the target(s)
    features: tuple[str, ...] | None = None
    task: str = "auto"
    n_samples: int | None = None
    noise: float | None = None
    classes: int | None = None
    test_fraction: float | None = None  # None: 0.2, or 0 for the 4-row xor truth table
    validation_fraction: float = 0.0  # share of the training split held out for early stopping
    standardize: bool = False

    @property
    def effective_test_fraction(self) -> float:
        """The test share used: ``test_fraction``, or when unset 0.2 (0 for the 4-row xor truth table)."""
        if self.test_fraction is not None:
            return self.test_fraction
        if self.dataset == "xor" and self.n_samples is None:
            return 0.0
        return 0.2


@dataclass(frozen=True)
class NetworkConfig:
    """The ``network`` section: ``layers`` (sizes, input first), hidden ``activation`` (one name or
    one per hidden layer; a file's list with one more name gives the output's, last),
    ``output_activation`` (None: the last hidden one), ``init`` and optional given
    ``weights``/``biases``. Details: README, "Config reference"."""

    layers: tuple[int, ...]
    activation: str | tuple[str, ...] = "sigmoid"
    output_activation: str | None = None
    init: str = "auto"
    #: Initial weights given in the config (a hand-worked example): one matrix per layer
    #: l = 1..L, ``weights[l-1][j][k]`` = w_jk^(l), the layout of ``Network.weights``; None:
    #: ``init`` draws them.
    weights: tuple[tuple[tuple[float, ...], ...], ...] | None = None
    #: Initial biases, one tuple of n_l numbers per layer; None: ``init``'s.
    biases: tuple[tuple[float, ...], ...] | None = None

    @property
    def resolved_output_activation(self) -> str:
        """The output layer's activation: ``output_activation``, or when None the (last) hidden one."""
        if self.output_activation is not None:
            return self.output_activation
        if isinstance(self.activation, str):
            return self.activation
        return self.activation[-1] if self.activation else "sigmoid"


@dataclass(frozen=True)
class TrainingConfig:
    """The ``training`` section: how ``Trainer`` (and ``backprop train``) trains. The dataclass
    checks nothing itself; ``Trainer`` checks it as a config file's section is (``ConfigError``
    naming the field, e.g. ``training.learning_rate``). Counts are whole numbers.

    learning_rate   η, the step size; finite, > 0 (default 0.1)
    epochs          passes over the training split; 1 … 1,000,000 (default 100)
    batch_size      examples per step; ≥ 1, None for the whole training split (default 32)
    shuffle         a new order of the training rows every epoch, from the rng (default True)
    dtype           "float64" or "float32": the arithmetic and the data's dtype (default 'float64')
    log_every       a progress line every N epochs; None: about 10 lines (default None)
    optimizer       "sgd", "momentum" or "adam" (default 'sgd')
    momentum        μ of the momentum optimizer; 0 ≤ μ < 1 (default 0.9)
    nesterov        momentum: Nesterov's look-ahead form (default False)
    beta1           adam: decay of the first moment; 0 ≤ β1 < 1 (default 0.9)
    beta2           adam: decay of the second moment; 0 ≤ β2 < 1 (default 0.999)
    epsilon         adam: ε added to √v̂; > 0 (default 1e-08)
    l2              λ: the cost gets + (λ/2) Σ_l ||w^(l)||², weights only; ≥ 0, 0 or the network's
                    own ``l2`` (default 0.0)
    schedule        "constant", "step" (η·γ^⌊(e−1)/step_size⌋) or "inverse" (η/e^power_t), e the
                    epoch from 1 (default 'constant')
    step_size       step schedule: epochs between decays; ≥ 1 (default 100)
    gamma           step schedule: decay factor γ; 0 < γ ≤ 1 (default 0.5)
    power_t         inverse schedule: the power of e; ≥ 0 (default 0.5)
    early_stopping  stop when the validation (else test) cost stops improving, keep the best
                    weights; needs a val_set or test_set (default False)
    patience        early stopping: epochs without improvement before stopping; ≥ 1 (default 10)
    min_delta       early stopping: smallest decrease that counts as one; ≥ 0 (default 0.0)
    checkpoint_every  ``backprop train --out``: a checkpoint every N epochs and at the end; None:
                    about ten per run (default None)
    """

    learning_rate: float = 0.1
    epochs: int = 100
    batch_size: int | None = 32  # None means the full training set ("full")
    shuffle: bool = True
    dtype: str = "float64"
    log_every: int | None = None  # plain progress line every N epochs; None: about 10 lines
    optimizer: str = "sgd"  # sgd, momentum, adam (optimizers.OPTIMIZERS)
    momentum: float = 0.9  # μ, momentum only
    nesterov: bool = False  # momentum only
    beta1: float = 0.9  # adam only
    beta2: float = 0.999  # adam only
    epsilon: float = 1e-8  # adam only
    l2: float = 0.0  # λ: the cost gets + (λ/2) Σ_l ||w^(l)||² (weights, not biases)
    schedule: str = "constant"  # constant, step, inverse (optimizers.SCHEDULES)
    step_size: int = 100  # step schedule: epochs between decays
    gamma: float = 0.5  # step schedule: decay factor
    power_t: float = 0.5  # inverse schedule: η0 / epoch^power_t
    early_stopping: bool = False  # stop when the monitored cost stops improving, keep the best weights
    patience: int = 10  # epochs without improvement before stopping
    min_delta: float = 0.0  # smallest decrease that counts as an improvement
    checkpoint_every: int | None = None  # with --out: checkpoint every N epochs (None: about ten per run) and at the end


@dataclass(frozen=True)
class Config:
    """A whole resolved config: ``network``, ``data``, ``cost`` (squared_error, half_squared_error,
    cross_entropy), ``training`` and ``seed`` (one seed split into the data, split, init and
    shuffle streams), as ``load_config`` reads a YAML file, with every default filled in.
    ``source`` says where it came from (not part of the schema); ``to_dict()`` and ``to_yaml()``
    give it back with every default filled in. Frozen: change copies with ``dataclasses.replace``."""

    network: NetworkConfig
    data: DataConfig = field(default_factory=DataConfig)
    cost: str = "squared_error"
    training: TrainingConfig = field(default_factory=TrainingConfig)
    seed: int = 0
    source: str = "<built-in default>"  # where it was loaded from (not part of the schema)
    #: The training fields the user wrote, in the file or by --set (``training.momentum``), for
    #: ``unused_settings``: a field written at its default value was asked for too. Not part of the
    #: schema; a file that writes every training field (``config show``'s, a run's config.yaml) counts
    #: only its --set fields.
    written: frozenset[str] = field(default=frozenset(), compare=False, repr=False)
    #: Each field a --set or an option gave -> that --set or option as typed (``data.path`` ->
    #: ``--set data.path=nope.csv``, ``training.learning_rate`` -> ``--lr 0.5``), in the order given: an
    #: error found in such a field after the config is read (its data file is missing, its layers
    #: need too much memory) names it (``blame``). Not part of the schema, nor of equality.
    given_by: tuple[tuple[str, str], ...] = field(default=(), compare=False, repr=False)
    #: ``data.path`` as the file or --set wrote it, before it was resolved (``nope.csv``,
    #: ``/data/x.csv``): a missing file's hint says how it was read. Not part of the schema, nor of equality.
    path_as_written: str | None = field(default=None, compare=False, repr=False)
    #: The output's name is the last of a list in network.activation, one name per layer (``[relu, relu]`` for
    #: 2-3-1; the network section keeps it as output_activation): advice names that entry, network.output_activation
    #: not being allowed beside such a list. Not part of the schema, nor of equality.
    output_listed: bool = field(default=False, compare=False, repr=False)
    #: What the --sets and options were applied to, and them: (the config's sections before them, where,
    #: base, the overrides by field path, each field -> the override giving it), for ``blame`` to tell a
    #: --set that changed nothing, or not what the error depends on, from a cause (``without_sets``).
    #: None for a config no override changed. Not part of the schema, nor of equality.
    set_from: tuple[Any, ...] | None = field(default=None, compare=False, repr=False)
    #: The config names its data: data.path or data.dataset written in the file or by a --set (the built-in
    #: default, configs/xor.yaml, names xor). Without, data.dataset is xor by default, the data of training and
    #: of --example, which an example given with --x and --y does not need (explain, gradcheck). Not part
    #: of the schema, nor of equality; True for a Config made in Python.
    data_named: bool = field(default=True, compare=False, repr=False)

    def to_dict(self) -> dict[str, Any]:
        """The resolved config as plain YAML-able data, every default filled in."""
        d = asdict(self)
        d.pop("source")
        d.pop("written")
        d.pop("given_by")
        d.pop("path_as_written")
        d.pop("set_from")
        d.pop("output_listed")
        d.pop("data_named")
        data = d["data"]
        for key in ("target", "features"):
            if data[key] is not None:
                data[key] = list(data[key])
        data["test_fraction"] = self.data.effective_test_fraction
        net = d["network"]
        net["layers"] = list(net["layers"])
        if not isinstance(net["activation"], str):
            net["activation"] = list(net["activation"])
        net["output_activation"] = self.network.resolved_output_activation
        if self.network.weights is not None:
            net["weights"] = [[[float(v) for v in row] for row in m] for m in self.network.weights]
        if self.network.biases is not None:
            net["biases"] = [[float(v) for v in b] for b in self.network.biases]
        if d["training"]["batch_size"] is None:
            d["training"]["batch_size"] = "full"
        return {"seed": d["seed"], "data": data, "network": net, "cost": d["cost"], "training": d["training"]}

    def to_yaml(self) -> str:
        """The resolved config as YAML that :func:`parse_yaml` reads back to the same values."""
        return yaml.dump(self.to_dict(), Dumper=Dumper, sort_keys=False, allow_unicode=True)


#: Training fields read only with some setting: (fields, the setting's field, value(s) that use them).
_USED_ONLY_WITH = (
    (("momentum", "nesterov"), "optimizer", ("momentum",)),
    (("beta1", "beta2", "epsilon"), "optimizer", ("adam",)),
    (("step_size", "gamma"), "schedule", ("step",)),
    (("power_t",), "schedule", ("inverse",)),
    (("patience", "min_delta"), "early_stopping", (True,)),
)


def unused_settings(config: Config) -> list[str]:
    """Training fields the run will not read (say ``training.momentum`` with ``optimizer: sgd``) that
    the user wrote (``Config.written``: in the file or by --set, even at their default value) or that
    are away from their default, one note per group: what was set and why it is not used; and a
    ``network.init`` other than auto when the config gives every initial weight and bias. Such fields
    are allowed (``config show`` writes every one of them, and a ``--set`` may switch the optimizer of
    a config that tunes another), but not silently."""
    t = config.training
    notes = []
    for keys, setting, using in _USED_ONLY_WITH:
        value = getattr(t, setting)
        if value in using:
            continue
        changed = [k for k in keys if f"training.{k}" in config.written or getattr(t, k) != getattr(TrainingConfig, k)]
        if changed:
            needs = "training.early_stopping: true" if setting == "early_stopping" else \
                f"training.{setting}: {' or '.join(using)}"
            now = _shown(value)
            named = [f"training.{k} ({_shown(getattr(t, k))})" for k in changed]
            extra = ""
            if "momentum" in changed and value == "sgd":  # torch.optim.SGD(momentum=0.9) is momentum SGD
                extra = f"; PyTorch's SGD(momentum={_shown(t.momentum)}) is optimizer: momentum here"
            notes.append(f"{' and '.join(named)} {'is' if len(named) == 1 else 'are'} not used: "
                         f"only with {needs} (training.{setting} is {now}){extra}")
    n = config.network
    if n.weights is not None and n.biases is not None and n.init != NetworkConfig.init:
        notes.append(f"network.init ({n.init}) is not used: network.weights and network.biases give every "
                     "initial weight and bias")
    return notes


def early_stopping_note(config: Config) -> str | None:
    """With early stopping and no validation split the test cost is watched: the test figures then
    chose the epoch kept and are no longer held-out figures. The note that says so (None otherwise)."""
    if not config.training.early_stopping or config.data.validation_fraction > 0:
        return None
    return ("training.early_stopping watches the test cost, so the test figures choose the epoch kept and are "
            "not held out; data.validation_fraction: 0.2 watches a validation split instead")


# --- YAML loading -------------------------------------------------------------------

class _Loader(yaml.SafeLoader):
    """SafeLoader + YAML 1.2 floats (1e-3, -.5, not 1:30.0) and whole numbers (010, 1:30) + duplicate keys refused."""


_INT_TAG = "tag:yaml.org,2002:int"
#: YAML 1.1's "value key" '=': no loader constructs it, so a lone '=' (--set note==) was refused as
#: "'!!value': tags such as !!python/object are not allowed"; it is the text '=' here.
_VALUE_TAG = "tag:yaml.org,2002:value"
_FLOAT_TAG = "tag:yaml.org,2002:float"
_Loader.yaml_implicit_resolvers = {  # YAML 1.1's int and float rules (octal 010, sexagesimal 1:30, 1:30.0) dropped
    first: [(tag, rx) for tag, rx in resolvers if tag not in (_INT_TAG, _FLOAT_TAG, _VALUE_TAG)]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    _INT_TAG, re.compile(r"^(?:[-+]?[0-9][0-9_]*|0o[0-7]+|0x[0-9a-fA-F]+)$"), list("-+0123456789")
)
#: YAML 1.2's floats: 1e-3 and .5e3 (YAML 1.1 wants the exponent's sign), -.5 and +.5 (YAML 1.1 signs
#: only a float with digits before its point); not YAML 1.1's sexagesimal 1:30.0 (ninety), text as 1:30 is
_Loader.add_implicit_resolver(
    _FLOAT_TAG,
    re.compile(r"^(?:[-+]?(?:[0-9][0-9_]*\.[0-9_]*|\.[0-9][0-9_]*)(?:[eE][-+]?[0-9]+)?"
               r"|[-+]?[0-9][0-9_]*[eE][-+]?[0-9]+|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"),
    list("-+0123456789."),
)


#: The most digits a whole number may have: Python converts at most 4300 decimal digits to or
#: from text (sys.get_int_max_str_digits), and a longer one gave a traceback. An octal or
#: hexadecimal number is held to as many digits, so its decimal form stays within that limit.
MAX_WHOLE_DIGITS = 1000


def _construct_int(loader: _Loader, node: yaml.ScalarNode) -> int:
    """YAML 1.2 whole numbers: decimal (leading zeros allowed, ``_`` separators as YAML 1.1
    allowed them), ``0o`` octal, ``0x`` hexadecimal."""
    text = str(loader.construct_scalar(node)).replace("_", "")
    octal_or_hex = text[:2] in ("0o", "0x")
    digits = text[2:] if octal_or_hex else text.lstrip("+-").lstrip("0")
    if len(digits) > MAX_WHOLE_DIGITS:  # Python refuses to convert, or to print, such a number
        raise yaml.constructor.ConstructorError(
            None, None, f"a whole number of {len(digits):,} digits is too long (at most {MAX_WHOLE_DIGITS:,})",
            node.start_mark)
    if octal_or_hex:
        return int(text[2:], 8 if text[1] == "o" else 16)
    # without its leading zeros, as counted: int() refuses more than 4300 digits, zeros too
    return int(("-" if text.startswith("-") else "") + (digits or "0"), 10)


def _construct_mapping(loader: _Loader, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
    seen: dict[Any, tuple[int, Any, Any]] = {}  # key -> (its line, its node, the key) as first given

    def written(key_node: yaml.Node, key: Any) -> str:
        # a key that is not text as written (yes, ~, 1.0), not as Python shows it (True, None, 1.0)
        return key_node.value if isinstance(key_node, yaml.ScalarNode) and not isinstance(key, str) \
            else _shown(key)

    for key_node, _ in node.value:
        if key_node.tag == "tag:yaml.org,2002:merge":  # ``<<: *base`` merges, it is not a key
            continue
        key = loader.construct_object(key_node, deep=deep)
        try:
            duplicate = key in seen
        except TypeError:  # a list or mapping used as a key
            raise yaml.constructor.ConstructorError(
                None, None, f"{_a_type_name(key)} cannot be a key", key_node.start_mark
            ) from None
        if duplicate:  # (the message is made only then: every key of every file passes here)
            mark, (line, first_node, first_key) = key_node.start_mark, seen[key]
            this, first = written(key_node, key), written(first_node, first_key)
            # 1, 1.0 and true are one key of the mapping they become (Python's 1 == 1.0 == True)
            same = "" if first == this else f" (the same key as {first}, line {line + 1})"
            at = "" if same else f" (first at line {line + 1})"
            raise yaml.constructor.ConstructorError(None, None, f"duplicate key {this}{same}{at}", mark)
        seen[key] = (key_node.start_mark.line, key_node, key)
    return loader.construct_mapping(node, deep=deep)


class WrittenFloat(float):
    """A float read from a config with an exponent, which keeps its text (``written``) for messages where
    ``names.shown`` would write it otherwise:
    ``1e400`` (read as inf), ``1e-400`` (read as 0.0), ``1e9`` (1000000000.0), ``1e-3``. ``names.shown``
    quotes it so; the validated config holds plain floats (``float(v)``)."""

    written: str


def _construct_float(loader: _Loader, node: yaml.ScalarNode) -> float:
    value = loader.construct_yaml_float(node)
    text = str(node.value).strip()
    if "e" in text.lower() and "inf" not in text.lower() and len(text) <= 60 and _shown(value) != text:
        kept = WrittenFloat(value)
        kept.written = text
        return kept
    return value


def _represent_written_float(dumper: yaml.SafeDumper, data: WrittenFloat) -> yaml.Node:
    return dumper.represent_float(float(data))


_Loader.add_constructor(_INT_TAG, _construct_int)
_Loader.add_constructor(_FLOAT_TAG, _construct_float)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


class _FastLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """_Loader's reading (the same resolvers and constructors) on libyaml's parser where PyYAML has it:
    some 10x faster, and a config with a weight matrix is mostly numbers. Only a document it reads
    without an error is taken from it: one it refuses is read again by _Loader, whose messages
    (PyYAML's own, with their lines and columns) parse_yaml words. tests/test_config_yaml_parsers.py
    holds the two to the same values and the same refusals."""


_FastLoader.yaml_implicit_resolvers = {first: list(rs) for first, rs in _Loader.yaml_implicit_resolvers.items()}
_FastLoader.yaml_constructors = dict(_Loader.yaml_constructors)
_FastLoader.yaml_multi_constructors = dict(_Loader.yaml_multi_constructors)
_FAST = getattr(yaml, "__with_libyaml__", False) and hasattr(yaml, "CSafeLoader")
#: Where libyaml and PyYAML read a document differently, PyYAML (ours) alone reads it: tabs (libyaml
#: takes some PyYAML refuses; _separating_tabs reads those), '?', '!', '|' and '>' (libyaml takes
#: ``[0.0?1]``, a lone ``!`` and ``|#`` as text), a byte-order mark past the start, the line breaks
#: NEL, LS and PS, and every control character. Found by a differential fuzz of mutated configs and
#: test documents (tests/test_config_yaml_parsers.py; 600,000 documents, Dec 5, 2026).
_PYYAML_ONLY = re.compile("[\t?!|>\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufeff\u2028\u2029\ud800-\udfff\ufffe\uffff]"
                          "|^%|\r%", re.MULTILINE)  # a directive (libyaml takes '%YAML 1.2#', PyYAML does not)


def _fast_read(text: str) -> bool:
    """Whether libyaml may read ``text``: no character it reads otherwise than PyYAML, and too few
    places where a level can open for it to nest deep. Each level of a document opens at a '[', a
    '{', a block sequence's '- ' or a new line; libyaml 0.2.5 (PyYAML 6.0.1's wheels) composes
    levels by recursion in C with no limit of its own, and 100,000 of them overflowed the C stack
    (a crash, where PyYAML says "nested too deeply to read"). A weight matrix in flow style
    ([[0.1, -0.2], ...]) has one '[' a row."""
    if not _FAST or _PYYAML_ONLY.search(text):
        return False
    return text.count("[") + text.count("{") + text.count("- ") + text.count("\n") + text.count("\r") < 1000


class Dumper(yaml.SafeDumper):
    """SafeDumper that quotes every string our loader would read as a number: YAML 1.1's rules
    (which SafeDumper knows) and ours (``1e3`` and ``0o17`` are numbers here, text in YAML 1.1),
    so a column named ``1e3`` is written ``'1e3'`` and loads back as text."""


for _first, _resolvers in _Loader.yaml_implicit_resolvers.items():
    for _tag, _rx in _resolvers:
        if _tag in (_INT_TAG, "tag:yaml.org,2002:float"):
            Dumper.add_implicit_resolver(_tag, _rx, [_first])


def plain_list(data: list[Any]) -> bool:
    """A list of plain values (numbers, text, booleans, nulls), such as ``layers``."""
    return all(isinstance(v, (int, float, str, bool)) or v is None for v in data)


def matrix(data: list[Any]) -> bool:
    """A non-empty list of non-empty lists of plain values: a weight matrix, or the biases."""
    return bool(data) and all(isinstance(row, list) and row and plain_list(row) for row in data)


def _represent_list(dumper: yaml.SafeDumper, data: list[Any]) -> yaml.Node:
    """A matrix (``network.weights``' matrices, ``network.biases``) on one line, row by row as
    written by hand: ``[[0.15, 0.2], [0.25, 0.3]]``, not one number per line."""
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=True if matrix(data) else None)


Dumper.add_representer(list, _represent_list)
Dumper.add_representer(WrittenFloat, _represent_written_float)


#: A line's list dashes before a tab: ``-<TAB>float64``, ``- -<TAB>x``.
_DASHES = re.compile(r"^[ ]*(?:-[ \t]+)*-$")


def _starts_scalar(before: str, depth: int) -> bool:
    """Whether a quote after ``before`` (its line up to it) opens a quoted scalar: at the line's start,
    after a key's ``: `` or a list's ``- ``, or in a flow collection after ``[``, ``{`` or ``,``. Elsewhere
    (``o-'neil.csv``, ``it 's``) it is a plain value's character."""
    while (prop := _PROPERTY.search(before)) is not None:  # a tag or an anchor before the value: !!str 'x', &a 'x'
        before = before[:prop.start(2)]
    stripped = before.rstrip(" \t")
    if not stripped:
        return True
    key = stripped.endswith("?") and (len(stripped) == 1 or stripped[-2] in " \t[{,")  # a complex key: ? 'x'
    if before != stripped and (stripped.endswith(":") or key or _DASHES.match(stripped)):
        return True
    return depth > 0 and stripped[-1] in "[{,"


#: A node's tag or anchor (``!!str``, ``!x``, ``&a``) at the end of the text before a value, then blanks.
_PROPERTY = re.compile(r"(^|[ \t])([!&][^ \t]*[ \t]+)$")


def _separating_tabs(text: str) -> str:
    """``text`` with each tab that only separates read as a space: before a comment or the line's
    end (``epochs: 5<TAB># note``), after a key's colon (``activation:<TAB>tanh``) or a list's dash
    (``-<TAB>float64``), and in a flow collection after ``,``, ``[`` or ``{`` or before ``,``, ``]``
    or ``}`` (``[2,<TAB>3]``). YAML 1.2 allows tabs there; PyYAML refuses every tab it meets between
    tokens. Tabs in indentation, inside quotes or comments, and inside a plain value (``leaky<TAB>relu``,
    ``my-<TAB>file.csv``, ``a,<TAB>b`` outside brackets) are left as they are, for PyYAML to refuse
    or keep. One pass, the same length: every line and column stays where it was."""
    out = list(text)
    depth = 0  # flow collections open: [ { … ] }
    quote = ""  # the quote a quoted scalar is in
    line_start = 0
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if quote:
            if c == "\\" and quote == '"':
                i += 2
                continue
            if c == quote:
                if quote == "'" and i + 1 < n and text[i + 1] == "'":  # '' inside single quotes
                    i += 2
                    continue
                quote = ""
        elif c == "\n":
            line_start = i + 1
        elif c == "#" and (i == line_start or text[i - 1] in " \t"):  # a comment: to the line's end
            end = text.find("\n", i)
            i = n if end < 0 else end
            continue
        elif c in "'\"" and _starts_scalar(text[line_start:i], depth):
            quote = c
        elif c in "[{":
            depth += 1
        elif c in "]}":
            depth = max(0, depth - 1)
        elif c == "\t":
            before = text[line_start:i].rstrip(" \t")
            j = i
            while j < n and text[j] in " \t":
                j += 1
            after = text[j] if j < n else "\n"
            if before and (after in "#\r\n" or _DASHES.match(text[line_start:i].rstrip(" \t"))
                           or before[-1] == ":"
                           or depth > 0 and (before[-1] in ",[{" or after in ",]}")):
                out[i] = " "
        i += 1
    return "".join(out)


def _tab_hint(text: str, mark: Any) -> str:
    """Where a tab YAML refused is: in a line's indentation, or inside a value."""
    index = getattr(mark, "index", None)
    if not isinstance(index, int) or not 0 <= index < len(text) or text[index] != "\t":
        return "YAML indentation must use spaces, not tabs"
    start = text.rfind("\n", 0, index) + 1
    if not text[start:index].strip(" \t"):
        return "YAML indentation must use spaces, not tabs"
    return (f"the tab at line {mark.line + 1}, column {mark.column + 1} is inside a value, between its words; "
            "write a space there, or quote the value")


#: ``learning_rate:0.5``: a key and its value without the space YAML needs after the colon (YAML then
#: reads the whole line as one text)
_NO_SPACE_AFTER_COLON = re.compile(r"^(\s*(?:-\s+)?)([A-Za-z_][\w\- .]*?):([^\s:/\\#][^#]*?)\s*(?:#.*)?$")


def _no_space_fix(line: str) -> str | None:
    """``learning_rate: 0.5`` for the line ``  learning_rate:0.5``, or None."""
    m = _NO_SPACE_AFTER_COLON.match(line)
    return None if m is None else f"{m.group(2)}: {m.group(3)}"


def _mapping_line_hint(text: str, mark: Any, context: Any) -> str | None:
    """For PyYAML's "mapping values are not allowed here" and "could not find expected ':'", what the
    lines before the one it blames show: a ``key:value`` without its space (read as text running on
    into the next line), or a line indented more than the one above it, whose key has its value."""
    if mark is None:
        return None
    lines = text.splitlines()
    last = min(mark.line, len(lines) - 1)
    first = min(context.line, last) if context is not None else last
    for n in range(last, max(first - 20, -1), -1):  # the blamed line back over the text it continues
        fix = _no_space_fix(lines[n])
        if fix is not None:
            return f"line {n + 1} has no space after its colon, so YAML reads it as text: write {fix}"
        if n < first and (": " in lines[n] or lines[n].rstrip().endswith(":")):
            break
    line = lines[last] if 0 <= last < len(lines) else ""
    above = next((n for n in range(last - 1, -1, -1) if lines[n].strip() and not lines[n].lstrip().startswith("#")), None)
    if above is None or ":" not in line:
        return None
    indent = len(line) - len(line.lstrip(" "))
    above_indent = len(lines[above]) - len(lines[above].lstrip(" "))
    if indent > above_indent and not lines[above].rstrip().endswith(":"):
        return (f"line {last + 1} is indented more than line {above + 1}, whose key already has its value: the keys "
                "of one mapping line up, and only a key ending in ':' takes a nested one")
    return None


def _closer_of(text: str, index: int) -> int | None:
    """Where the '[' or '{' at ``index`` of ``text`` is closed by its matching ']' or '}', skipping
    what is quoted ('...', "...") or commented out (``# …``) and nested brackets; None when the text
    ends first or a bracket of the other kind closes it (``{a: 1]``)."""
    pairs = {"[": "]", "{": "}"}
    stack, i, n = [], index, len(text)
    while i < n:
        c = text[i]
        before = text[i - 1] if i > 0 else "\n"
        if c in pairs:
            stack.append(pairs[c])
        elif c in "]}":
            if not stack or stack.pop() != c:
                return None
            if not stack:
                return i
        elif c == "#" and before in " \t\n":
            end = text.find("\n", i)
            i = n if end < 0 else end
            continue
        elif c in "'\"" and before in " \t\n[{,:":  # a quoted text starts (``it's`` is plain text)
            i += 1
            while i < n:
                if text[i] == "\\" and c == '"':
                    i += 2
                    continue
                if text[i] == c:
                    if c == "'" and text[i + 1:i + 2] == "'":  # '' is a quote inside '...'
                        i += 2
                        continue
                    break
                i += 1
        i += 1
    return None


def _missing_comma(text: str, e: Any) -> str | None:
    """For PyYAML's "expected ',' or '}', but got ':'" (or ']', or "got '<scalar>'") inside a flow
    mapping or sequence that is closed, where the ',' it missed belongs: before the key YAML read as
    part of the value before it (``{epochs: 5 lr: 1}`` reads "5 lr"), or before the scalar that
    follows a quoted value or a closed bracket (``{a: [1, 2] b: 2}``). None when that is unclear."""
    problem, at = str(e.problem or ""), e.problem_mark
    index = getattr(at, "index", None)
    if at is None or not isinstance(index, int) or not 0 <= index < len(text) \
            or not re.match(r"expected ',' or '[\]}]', but got ", problem):
        return None
    if problem.endswith("got '<scalar>'"):
        start = index
    elif problem.endswith("got ':'") and text[index] == ":":
        end = index
        while end > 0 and text[end - 1] in " \t":
            end -= 1
        start = end
        while start > 0 and not text[start - 1].isspace() and text[start - 1] not in ",[]{}":
            start -= 1
        gap = start
        while gap > 0 and text[gap - 1].isspace():
            gap -= 1
        if start == end or gap == start or gap == 0 or text[gap - 1] in ",[]{}:":
            return None  # no word run on from a value before it: not a missing ','
    else:
        return None
    word = re.match(r"[^\s,:\[\]{}]+", text[start:])
    if word is None:
        return None
    line = text.count("\n", 0, start) + 1
    column = start - (text.rfind("\n", 0, start) + 1) + 1
    said = f"a ',' is missing before {_typed(word.group(0))} (line {line}, column {column})"
    if index == start:  # the scalar PyYAML found where a ',' belongs
        return said
    run = text[:end]  # the value ran on from just after its ': ' (or a ',', '[' or '{')
    first = max(m.end() for m in re.finditer(r"^|[,\[{]|:(?=\s)", run))
    return f'{said}: without it YAML reads "{" ".join(run[first:].split())}" as one value'


def _unclosed(text: str, e: Any, where: str) -> str | None:
    """For a quote, '[' or '{' that is never closed, the problem worded at its opening (PyYAML's
    context_mark), where its problem_mark is where it gave up: the end of the file, or the next
    line's key, lines below. None for any other error."""
    context, problem, opened, at = str(e.context or ""), str(e.problem or ""), e.context_mark, e.problem_mark
    if opened is None or at is None:
        return None
    if problem.endswith("end of stream") or "<stream end>" in problem:
        said = f"is never closed (the {'value' if where.startswith('--set ') else 'file'} ends inside it)"
    else:  # closed later, maybe, but not before what PyYAML found
        said = f"is not closed before line {at.line + 1}, column {at.column + 1} ({' '.join(problem.split())})"
    if context.startswith("while scanning a quoted scalar") and problem.startswith(
            ("found unexpected end of stream", "found unexpected document separator")):
        index = getattr(opened, "index", None)
        quote = text[index] if isinstance(index, int) and 0 <= index < len(text) and text[index] in "'\"" else None
        shown = "" if quote is None else f" '{quote}'" if quote == '"' else f' "{quote}"'
        return f"the quote{shown} opened here {said}"
    for kind, bracket in (("sequence", "["), ("mapping", "{")):
        if context.startswith(f"while parsing a flow {kind}") and problem.startswith("expected ','"):
            index = getattr(opened, "index", None)
            if isinstance(index, int) and text[index:index + 1] == bracket and _closer_of(text, index) is not None:
                return None  # closed further on: what is missing is a ',' (PyYAML's words and place stand)
            return f"the '{bracket}' opened here {said}"
    return None


def _nested_at_most(value: Any, depth: int) -> bool:
    """Whether no chain of lists and mappings in ``value`` is more than ``depth`` long, counted without
    recursion. Aliases share a list: its height is counted once, whichever path meets it first (an
    alias can make a value far deeper than its text); a list that holds itself is no answer (False)."""
    if not isinstance(value, (list, dict)):
        return True
    heights: dict[int, int] = {}
    on_path: set[int] = set()
    todo: list[tuple[Any, bool]] = [(value, False)]
    while todo:
        v, done = todo.pop()
        inside = [x for x in (v.values() if isinstance(v, dict) else v) if isinstance(x, (list, dict))]
        if done:
            height = 1 + max((heights[id(x)] for x in inside), default=0)
            if height > depth:
                return False
            heights[id(v)] = height
            on_path.discard(id(v))
        elif id(v) in on_path:
            return False
        elif id(v) not in heights:
            on_path.add(id(v))
            todo.append((v, True))
            todo.extend((x, False) for x in inside)
    return True


def parse_yaml(text: str, where: str) -> Any:
    """Parse YAML text safely; every problem becomes a one-line ConfigError with line and column. A tab
    that only separates (``epochs: 5<TAB># note``), which YAML allows and PyYAML refuses, is read as a
    space."""
    if _fast_read(text):
        try:
            value = yaml.load(text, Loader=_FastLoader)  # noqa: S506 - a CSafeLoader
        except Exception:  # noqa: BLE001 - whatever libyaml refuses is read again below, for PyYAML's own message
            pass
        else:
            if _nested_at_most(value, 100):  # PyYAML, and the code that reads a config, stop at Python's recursion limit
                return value
    try:
        try:
            return yaml.load(text, Loader=_Loader)  # noqa: S506 - _Loader is a SafeLoader
        except yaml.MarkedYAMLError as e:
            if "found character '\\t'" not in str(e.problem):
                raise
            text = _separating_tabs(text)  # once, and parsed again: a weights matrix has a tab per entry
        return yaml.load(text, Loader=_Loader)  # noqa: S506 - _Loader is a SafeLoader
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        pos = f" (line {mark.line + 1}, column {mark.column + 1})" if mark is not None else ""
        problem = " ".join(str(e.problem or e.context or "invalid YAML").split())
        if e.problem and e.context and str(e.context).startswith("expected"):
            problem = f"{e.context}, {problem}"  # "expected a single document ..., but found another"
        unclosed = _unclosed(text, e, where)
        if unclosed is not None:  # PyYAML blames where it gave up (the end of the file): name the opening
            mark = e.context_mark
            pos, problem = f" (line {mark.line + 1}, column {mark.column + 1})", unclosed
        hint = None
        if "\t" in text and "tab" in problem.lower() or "found character '\\t'" in str(e):
            hint = _tab_hint(text, mark)
        elif "expected <block end>, but found '<block mapping start>'" in problem and mark is not None:  # PyYAML's words for a misaligned line
            hint = (f"line {mark.line + 1} is indented differently from the lines above it: the keys of one "
                    "mapping line up, the keys of a nested one are indented further")
        elif "mapping values are not allowed here" in problem or "could not find expected ':'" in problem:
            hint = _mapping_line_hint(text, e.problem_mark, e.context_mark)
        elif unclosed is None and problem.startswith("expected ','"):
            hint = _missing_comma(text, e)
        tag = re.search(r"constructor for the tag '([^']*)'", problem)
        if tag:
            name = tag.group(1).replace("tag:yaml.org,2002:", "!!")
            problem = (f"{_shown(name)}: tags such as !!python/object are not allowed (the file is "
                       "loaded safely: plain numbers, text, lists and mappings only)")
        raise ConfigError(f"{where}: YAML error{pos}: {problem}", hint) from None
    except yaml.reader.ReaderError as e:  # a control character or invalid text
        line = text.count("\n", 0, e.position) + 1
        column = e.position - (text.rfind("\n", 0, e.position) + 1) + 1
        char = chr(e.character) if isinstance(e.character, int) else e.character
        raise ConfigError(f"{where}: YAML error (line {line}, column {column}): character "
                          f"{_shown(char)} is not allowed in YAML text") from None
    except yaml.YAMLError as e:
        raise ConfigError(f"{where}: YAML error: {' '.join(str(e).split())}") from None
    except RecursionError:
        raise ConfigError(f"{where}: YAML error: nested too deeply to read") from None
    except (ValueError, KeyError, AttributeError, TypeError) as e:  # "\U00110000" (chr() past the last
        raise ConfigError(f"{where}: YAML error{_value_error(text, e)}") from None  # character), 2001-13-01,
        # !!bool abc (KeyError), !!timestamp abc (AttributeError): PyYAML's own errors, not YAMLErrors


def _value_error(text: str, error: Exception) -> str:
    """Where and why PyYAML raised ``error`` (a ValueError or such, no YAML error) reading ``text``:
    `` (line 2, column 7): the escape \\U00110000 names no character …`` (its scanner's chr(), found by
    scanning again: it stops in the escape's digits), `` (line 1, column 7): 2001-13-01 reads as a
    date …`` (a scalar its constructor cannot make, found by making each again), else ``: `` and
    the error's own words."""
    loader = _Loader(text)
    try:
        try:
            root = loader.get_single_node()
        except ValueError:
            mark = loader.get_mark()
            escape = text[mark.index - 2:mark.index + 8]
            return (f" (line {mark.line + 1}, column {mark.column - 1}): the escape {escape} names no character "
                    "(the last is \\U0010FFFF)")
        todo, seen = [root], set()
        while todo:
            node = todo.pop()
            if node is None or id(node) in seen:
                continue
            seen.add(id(node))
            if isinstance(node, yaml.ScalarNode):
                try:
                    loader.construct_object(node)
                except (ValueError, KeyError, AttributeError, TypeError) as e:
                    at = f" (line {node.start_mark.line + 1}, column {node.start_mark.column + 1})"
                    tag = node.tag.replace("tag:yaml.org,2002:", "!!")
                    if tag == "!!timestamp" and isinstance(e, ValueError):
                        return (f"{at}: {node.value} reads as a date (YAML's year-month-day) but is none ({e}); "
                                "put it in quotes to give it as text")
                    return f"{at}: {_shown(node.value)} cannot be read as {tag}"
            elif isinstance(node, yaml.SequenceNode):  # (reversed: the first in the file is met first)
                todo.extend(reversed(node.value))
            elif isinstance(node, yaml.MappingNode):
                todo.extend(reversed([x for pair in node.value for x in pair]))
    except Exception:  # noqa: BLE001 - what the first reading met is told in its own words
        pass
    return f": {' '.join(str(error).split())}"


def default_config_text() -> str:
    """The embedded default config (the same file as configs/xor.yaml)."""
    return resources.files("backprop_cli").joinpath(DEFAULT_CONFIG_NAME).read_text(encoding="utf-8")


#: The most a config file may hold. Real configs are a few hundred bytes; the cap keeps an endless
#: source (``/dev/zero``, a device or a pipe that never ends) from being read until memory runs out.
MAX_CONFIG_BYTES = 10 * 2**20


def _missing_config_hint(path: Path, name: str | None) -> str | None:
    """Where a relative CONFIG was looked for, and how to get one: `backprop train configs/iris.yaml`
    typed outside the checkout used to say only 'config file not found'."""
    if name is not None:
        return None
    typed = str(path)
    if not path.exists() and path.parent == Path("."):  # a value that lost its option: `--set K=V 5`, `K=V`
        try:
            float(typed)
            return (f"{typed} is a number, not a file: CONFIG is a YAML file; an option's value goes right after "
                    "the option, and a --set value right after its = (--set KEY=VALUE, no space)")
        except ValueError:
            key, eq, _ = typed.partition("=")
            if eq and key and "." in key and not key.endswith((".yaml", ".yml")):
                return f"{typed} looks like a setting, not a file: give it as --set {typed}"

    def yaml_files(folder: Path) -> list[str]:
        return sorted(p.name for p in folder.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())

    def close_to(name: str, names: list[str]) -> list[str]:  # by the stems: '.yaml' made nothing.yaml near wrong.yaml
        stems = {Path(n).stem: n for n in names}
        return [stems[m] for m in difflib.get_close_matches(Path(name).stem, list(stems), n=1, cutoff=0.6)]

    try:
        folder = path.parent
        listing = None
        shipped = Path("configs")  # in the checkout, `backprop train iris.yaml` was told to run from the checkout
        in_shipped = (yaml_files(shipped) if not path.is_absolute() and folder != shipped and shipped.is_dir()
                      else [])
        checkout = None if in_shipped or path.is_absolute() else _checkout_configs()  # installed from a checkout
        shipped_there = (yaml_files(checkout)  # (pip install -e .): its configs/, by full path
                         if checkout is not None and checkout.resolve() != shipped.resolve() else [])
        # the very name only ('mine.yaml' is no typo of sine.yaml there), or its stem (`train iris`, as in the
        # checkout); before the current folder's list and look-alikes, as configs/'s own very name is
        def very_name(names: list[str]) -> str | None:
            return next((n for n in names if n == path.name or (path.suffix in ("", ".yaml", ".yml")
                                                                and Path(n).stem == path.stem)), None)

        very, very_here = very_name(shipped_there), very_name(in_shipped)  # `train iris` in the checkout too
        if folder.is_dir():  # a typo in the name ('configs/relu.yaml' beside xor_relu.yaml): say what is there
            there = yaml_files(folder)
            if there:
                close = close_to(path.name, there)
                listed = ", ".join(there[:12]) + (f" and {len(there) - 12} more" if len(there) > 12 else "")
                listing = f"{folder if str(folder) != '.' else 'the current folder'} has: {listed}"
                # Which name is offered, first to last: (1) the user's own file of the same stem here, only
                # the extension differing (iris.yml for iris.yaml, iris.yaml for `iris`), over the checkout's
                # iris.yaml; (2) in a folder named (experiments/iris.yaml), that folder's look-alike
                # (iris_v2.yaml): it was the folder given; (3) for a name alone, configs/'s or the checkout's
                # very name (or stem) over a look-alike here ('iris.yaml' was offered wrong.yaml once the folder
                # held one, iris2.yaml hid the checkout's iris.yaml); (4) the look-alike here
                same = bool(close) and path.suffix in ("", ".yaml", ".yml") and Path(close[0]).stem == path.stem
                theirs = very_here is not None or very is not None
                if close and (same or folder != Path(".") or not theirs):
                    return f"did you mean {folder / close[0]}? {listing}"
        if path.is_absolute():
            return listing
        here = Path.cwd()
        close = [very_here] if very_here is not None else close_to(path.name, in_shipped)
        if close:
            return (f"did you mean {shipped / close[0]}? a relative path is read from the current folder, {here}"
                    + (f"; {listing}" if listing else ""))
        if very is not None:
            return (f"did you mean {checkout / very}? a relative path is read from the current folder, "
                    f"{here}; the shipped examples are in the checkout this backprop is installed from"
                    + (f"; {listing}" if listing else ""))
        if listing:
            return listing
        if in_shipped:  # in the checkout already: 'run from the checkout' sent the user where they were
            listed = ", ".join(in_shipped[:12]) + (f" and {len(in_shipped) - 12} more" if len(in_shipped) > 12 else "")
            return (f"a relative path is read from the current folder, {here}; the shipped examples are in "
                    f"configs/ ({listed}), and `backprop init NAME` writes a starter config")
        if shipped_there:
            listed = ", ".join(shipped_there[:12]) + (f" and {len(shipped_there) - 12} more"
                                                      if len(shipped_there) > 12 else "")
            return (f"a relative path is read from the current folder, {here}; the shipped examples are in "
                    f"{checkout}{os.sep} ({listed}), and `backprop init NAME` writes a starter config")
    except OSError:  # the current folder was removed, or the folder cannot be listed
        return None
    return (f"a relative path is read from the current folder, {here}; the shipped examples are in the "
            "repository's configs/ (run from the checkout), and `backprop init NAME` writes a starter config")


def _csv_data(text: str, path: Path) -> bool:
    """Is this config file a CSV data file: named .csv or .tsv (whatever it holds), or two or more lines
    that one of the CSV separators (',', ';', tab) splits into the same number (> 1) of cells? Asked only
    of a file that is no mapping of sections, so a config is never taken for one."""
    if path.suffix.lower() in (".csv", ".tsv"):
        return True
    from .data import _DELIMITERS, _split_line

    lines = [line for line in text.splitlines()[:50] if line.strip()][:20]
    if len(lines) < 2 or re.search(r":(\s|$)|^\s*[-#{\[]", lines[0]):  # YAML's 'key: ', a flow or list, a comment:
        return False  # a config that is broken ('network: {layers: [2, 3]' above 'data: {dataset: xor, …}')
    return any(len({_split_line(line, d) for line in lines}) == 1 and _split_line(lines[0], d) > 1
               for d in _DELIMITERS)


def _csv_not_config(where: str) -> ConfigError:
    """``data/iris.csv: is a CSV data file, not a YAML config``, and where a data file goes."""
    return ConfigError(f"{where}: is a CSV data file, not a YAML config",
                       "set it as data.path in a config: `backprop init mine.yaml` writes one, or copy "
                       "configs/iris.yaml")


def _checkout_configs() -> Path | None:
    """The configs/ folder of the checkout this package runs from (``pip install -e .``, as the README
    installs it: src/backprop_cli/ beside pyproject.toml), or None (a wheel installed into site-packages
    ships no configs/)."""
    root = Path(__file__).resolve().parent.parent.parent
    if (root / "pyproject.toml").is_file() and (root / "configs").is_dir() and Path(__file__).parent.parent.name == "src":
        return root / "configs"
    return None


def _folder_hint(folder: Path) -> str | None:
    """What to give instead of a folder for CONFIG: a run folder's config.yaml or its model (``explain
    runs/iris``), or the YAML files a folder of configs holds (``train configs``); None otherwise."""
    try:
        if (folder / "model.npz").is_file() or (folder / "checkpoint.npz").is_file():
            import shlex

            model, config = folder / "model.npz", folder / "config.yaml"
            q = shlex.quote  # the commands are pasted: a folder named 'Clase de Año/run 1' is quoted
            # only the files it holds (an interrupted run has no model.npz yet)
            give = [f"its config, {config}" if config.is_file() else "",
                    f"its trained network to explain and gradcheck as --model {q(str(model))}" if model.is_file() else ""]
            given = ", or ".join(g for g in give if g)
            resume = (f"train {q(str(config))} --out {q(str(folder))} --resume" if config.is_file()
                      else f"train CONFIG --out {q(str(folder))} --resume, with the config it started with,")
            return (f"{folder} is a training run: give {given}" if given else f"{folder} is a training run") + \
                f" ({resume} continues the run)"
        there = sorted(p.name for p in folder.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())
    except OSError:  # a folder that cannot be listed
        return None
    if not there:
        return None
    listed = ", ".join(there[:12]) + (f" and {len(there) - 12} more" if len(there) > 12 else "")
    return f"give one of its configs, e.g. {folder / there[0]}; {folder} has: {listed}"


def read_config_file(path: Path, name: str | None = None) -> str:
    """The text of a config file; ``name``: what messages call it (``<stdin>`` for CONFIG '-')."""
    shown = path if name is None else name
    try:
        if not path.exists():
            if path.is_symlink():  # a broken link, there in `ls`: said as one, as a model's is
                odd = not_a_file(path) or "a broken link"
                raise ConfigError(f"{shown}: is {odd}, not a config file",
                                  "restore the file it pointed to, or give the config file itself"
                                  if odd.startswith("a broken link") else None)
            raise ConfigError(f"{shown}: config file not found", hint=_missing_config_hint(path, name))
        if path.is_dir():
            raise ConfigError(f"{shown}: is a folder, expected a YAML config file", hint=_folder_hint(path))
        with path.open("rb") as f:
            raw = f.read(MAX_CONFIG_BYTES + 1)
    except ConfigError:  # a ValueError too: not to be read as one of the system's below
        raise
    except (OSError, ValueError) as e:  # no permission, a name too long, a NUL character
        raise ConfigError(f"{shown}: cannot read: {getattr(e, 'strerror', None) or e}") from None
    if len(raw) > MAX_CONFIG_BYTES:
        raise ConfigError(f"{shown}: holds more than {MAX_CONFIG_BYTES // 2**20} MiB, too much for a config "
                          "file (a YAML config is a few hundred bytes); is it the right file?")
    zipped = raw.startswith(b"PK\x03\x04")  # an .npz is a zip archive, and so are .xlsx, .docx, .zip
    if raw.startswith(b"\x93NUMPY") or zipped and path.suffix.lower() == ".npz":  # `gradcheck runs/x/model.npz`
        raise ConfigError(f"{shown}: is a numpy file (.npz/.npy), not a YAML config",
                          "a trained model is given as --model FILE to gradcheck and explain, as MODEL to "
                          "predict and evaluate; a data file as data.path in a config")
    if zipped:
        raise ConfigError(f"{shown}: is a zip archive, not a YAML config (a text file)")
    if b"\x00" in raw[:4096]:  # UTF-16 without its BOM, a binary file: NULs are valid UTF-8, and YAML refused
        raise _not_utf8(raw, None, shown, path)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise _not_utf8(raw, e, shown, path) from None


_UTF8_BOM = b"\xef\xbb\xbf"


def _not_utf8(raw: bytes, e: UnicodeDecodeError | None, shown: str | Path, path: Path) -> ConfigError:
    """A config that is not UTF-8: where (line and column; 'byte 13' read as CR's code), the byte, and how
    to convert it: UTF-16 or -32 by its byte-order mark or, without one, by where its NULs are; else most
    often a Windows editor's Windows-1252. A file of NULs or a binary file is called so. The iconv command
    names the file as it was typed (``./-x.yaml`` kept: iconv read ``-x.yaml`` as options), and drops a
    UTF-8 byte-order mark that a file mixing encodings starts with (iconv would turn it into 'ï»¿')."""
    import shlex

    from .data import _BYTE_ORDER_MARKS, _wide_guess

    bom = 3 if raw.startswith(_UTF8_BOM) else 0  # utf-8-sig counted the error from after it
    wide = next((name for mark, name in _BYTE_ORDER_MARKS if raw.startswith(mark)), None)
    marked = wide is not None
    head = raw[bom:bom + 4096]
    if wide is None and b"\x00" in head:
        wide = _wide_guess(head)
        if wide is None:
            what = ("holds only NUL bytes (as a crash or a full disk can leave a file)" if not head.strip(b"\x00")
                    else "is a binary file (it holds NUL bytes)")
            return ConfigError(f"{shown}: {what}, not a YAML config (a text file)")
    at = (e.start if e is not None else 0) + bom
    # the bytes that are not UTF-8 (a valid sequence's own bytes left out: Ł is c5 81), and the text that is
    stray = [ord(c) - 0xDC00 for c in raw[bom:].decode("utf-8", "surrogateescape") if "\udc80" <= c <= "\udcff"]
    utf8_text = any(ord(c) > 0x7F and not 0xDC80 <= ord(c) <= 0xDCFF for c in raw[bom:].decode("utf-8", "surrogateescape"))
    undefined = any(b in (0x81, 0x8D, 0x8F, 0x90, 0x9D) for b in stray)  # no character in Windows-1252
    typed = "CONFIG.yaml" if str(shown).startswith("<") else str(shown)  # <stdin>
    if typed.startswith("-"):
        typed = f"./{typed}"
    target = Path(typed).with_name(Path(typed).stem + "-utf8" + (Path(typed).suffix or ".yaml"))
    out = shlex.quote(f"./{target}" if str(target).startswith("-") else str(target))
    source = shlex.quote(typed)
    if bom:
        source = f"<(tail -c +4 {source})"  # the UTF-8 mark first: iconv would keep it as 'ï»¿'
    if wide is not None:
        how = (f"it starts with {wide}'s byte-order mark" if marked
               else f"its bytes read as {wide} text, which has no byte-order mark")
        return ConfigError(f"{shown}: is {wide[:6]} text ({how}), not UTF-8; save the config as UTF-8",
                           f"convert it: iconv -f {wide} -t UTF-8 {source} > {out}")
    start = raw.rfind(b"\n", 0, at) + 1
    line = raw.count(b"\n", 0, at) + 1
    column = len(raw[max(start, bom):at].decode("utf-8", "replace")) + 1
    where = f"{shown}: line {line}, column {column}: byte 0x{raw[at]:02x}"
    if utf8_text:  # UTF-8 text with stray bytes of another encoding: iconv from either would garble one of them
        return ConfigError(f"{where} is not UTF-8 text, in a file whose other non-ASCII text is UTF-8 (two "
                           "encodings mixed); save the config as UTF-8",
                           "retype that character in an editor saving UTF-8 (converting the whole file from "
                           "Windows-1252 would garble its UTF-8 text)")
    if undefined:  # anywhere in the file: iconv -f WINDOWS-1252 stops at the first with half a file written
        odd = next(b for b in stray if b in (0x81, 0x8D, 0x8F, 0x90, 0x9D))
        return ConfigError(f"{where} is not UTF-8 text; save the config as UTF-8",
                           f"the file also holds byte 0x{odd:02x}, no character in Windows-1252 or Latin-1 (a "
                           f"Shift-JIS or GBK file?): save it as UTF-8 from the editor that wrote it, or drop "
                           f"such bytes: iconv -c -f WINDOWS-1252 -t UTF-8 {source} > {out}")
    return ConfigError(f"{where} is not UTF-8 text; save the config as UTF-8",
                       f"an editor's plain text is most often Windows-1252 (Latin-1): convert it: iconv -f "
                       f"WINDOWS-1252 -t UTF-8 {source} > {out}")


def load_config(
    path: Path | str | None = None, overrides: dict[str, Any] | None = None, name: str | None = None,
    checked: dict[str, str] | None = None, sets: dict[str, Any] | None = None,
    typed_as: dict[str, str] | None = None, every: bool = False,
) -> Config:
    """Load and validate a config file (None: the embedded default).

    ``overrides`` maps dotted field paths (``training.epochs``) to values that take
    precedence over the file (the command line's options); ``name``: what messages call the
    file instead of its path (``<stdin>``, whose relative paths are read from the current folder).
    ``checked``: the overrides given by an option of the command (their key -> the option as typed,
    ``--epochs 1``), whose field's value in the file is validated all the same, with ``sets`` (the
    --set overrides) alone applied: ``epochs: abc`` under ``--epochs 1`` is the file's error, as
    ``config validate`` calls it. ``typed_as``: how each override was typed, which its errors quote
    (``--set training.epochs=abc``; see ``config_from_dict``). ``every``: an invalid config raises every
    error of one field's own value found in one pass (``config validate``; see :func:`every_error`), not
    only the first.
    """
    if path is None:
        text, where, base = default_config_text(), "<built-in default>", Path.cwd()
    else:
        p = Path(path)
        text, where = read_config_file(p, name), str(p) if name is None else name
        # a file's paths are relative to its folder; a pipe's (`train <(sed … x.yaml)`, /dev/stdin)
        # to the current folder: /dev/fd/63 resolves to /proc/<pid>/fd/pipe:[…], no folder of the user's
        # (and a config given as '-' even when the shell redirected a file into it: `- < x.yaml`)
        base = p.resolve().parent if p.is_file() and name is None else Path.cwd()
    try:
        raw = parse_yaml(text, where)
    except ConfigError:
        if path is not None and _csv_data(text, Path(path)):  # `"a","b"` is no YAML either
            raise _csv_not_config(where) from None
        raise
    if not isinstance(raw, dict) and path is not None and _csv_data(text, Path(path)):
        raise _csv_not_config(where)  # `train data/iris.csv` said 'the top level must be a mapping …, not a string'
    if raw is None:
        raise ConfigError(f"{where}: the config is empty; it needs at least network.layers")
    try:
        if not (checked or sets) or path is None:  # (the built-in default is valid)
            return config_from_dict(raw, where, base, overrides, typed_as)
        config = config_from_dict(copy.deepcopy(raw), where, base, overrides, typed_as)
        _check_set_in_file(raw, where, sets or {})
        if checked:
            _check_replaced_in_file(raw, where, base, sets or {}, checked)
    except ConfigError as e:
        if not every:
            raise
        raise every_error(e, raw, where, overrides or {}, sets or {}, typed_as) from None
    return config


def _check_set_in_file(raw: Any, where: str, sets: dict[str, Any]) -> None:
    """The file's own value of each field a --set replaces, checked on its own: its type, range and allowed
    names, as a config file's is read (not against the other fields, which the --set may be there to fit):
    ``epochs: abc`` under ``--set training.epochs=3``, ``activation: sigmoidd`` under ``--set
    network.activation=tanh`` are the file's errors, named as ``config validate`` names them, with a hint
    naming the --set and the key as the file wrote it (``lr``, not training.learning_rate)."""
    for _, error in _set_in_file_errors(raw, where, sets):
        raise error


def _set_in_file_errors(raw: Any, where: str, sets: dict[str, Any]) -> list[tuple[str, ConfigError]]:
    """:func:`_check_set_in_file`'s errors, each with its field path, in the order of the --sets."""
    found: list[tuple[str, ConfigError]] = []
    try:
        file = canonical_keys(_copy_sections(raw)) if isinstance(raw, dict) else {}
    except ConfigError:  # pragma: no cover - the file read with the overrides said so first
        return found
    for key, value in sets.items():
        try:
            path = canonical_field_path(key)
            if path in _SECTIONS and isinstance(value, dict):
                given = [f"{path}.{k}" for k in _canonical_section(path, value)]
                typed = f"--set {key}={{…}}"
            else:
                given = [path]
                typed = f"--set {key}={_shown(value)}"
        except ConfigError:  # pragma: no cover - an unknown key: its own error came first
            continue
        for path in given:
            sec, _, name = path.partition(".")
            section = file.get(sec) if sec in _SECTIONS else file
            if not isinstance(section, dict) or (name or sec) not in section:
                continue
            try:
                _check_own(path, section[name or sec])  # (its hint is replaced below: no network needed)
            except ConfigError as e:
                for each in e.errors if isinstance(e, ConfigErrors) else (e,):  # each bad entry of a list
                    error = ConfigError(f"{where}: {each.message}", f"{typed} replaces it, but the config file's "
                                        f"value is checked still: correct it, or remove {_key_in_file(raw, path)} "
                                        "from the file")
                    error.field_message = each.message
                    found.append((path, error))
    return found


#: ``_check_own``: the fields a data field alone is checked with, where the data set xor (the default)
#: would refuse it (data.target is a CSV file's): a stand-in, not the file's own value.
_OWN_DATA_COMPANIONS = {"target": {"path": "data.csv"}, "features": {"path": "data.csv"},
                        "task": {"path": "data.csv"}}


def _check_own(path: str, value: Any, network: dict[str, Any] | None = None) -> None:
    """ConfigError where the field ``path`` holds a ``value`` no other field could make right: a wrong
    type, a number out of its range, a name that is no activation, cost, init, optimizer, … Rules
    between fields (layers vs network.weights, a cost vs the output activation, data.target without
    data.path) are not checked: a --set may be there to fit them. network.weights and network.biases,
    whose shapes are network.layers', are not checked. A list of activations: every entry that is
    none, as ConfigErrors where there are several, each named as ``_validate_network`` names it where
    ``network`` (the config's network section) says which entry is the output's (``_output_entry``); a
    cost's hint names that list's last name where it is the output's, not network.output_activation."""
    sec, _, name = path.partition(".")
    if path == "seed":
        _int(value, "seed", 0)
    elif path == "cost":  # a name that is a cost for some output layer (mse: for one output)
        errors = []
        # the hint names the list's last name beside [relu, tanh], not network.output_activation, refused there
        acts = network.get("activation") if isinstance(network, dict) else None
        listed = isinstance(acts, list) and _output_entry(acts, network) is True
        for out, n in (("sigmoid", 1), ("softmax", 3), ("linear", 1)):
            try:
                cost_name(value, "cost", out, n, output_listed=listed)
                return
            except ConfigError as e:
                errors.append(e)
        raise errors[0]
    elif sec == "training" and name in _SECTION_KEYS["training"]:
        _validate_training({name: value})
    elif sec == "data" and name in _SECTION_KEYS["data"]:
        _validate_data({**_OWN_DATA_COMPANIONS.get(name, {}), name: value}, Path.cwd())
    elif sec == "network" and name in ("activation", HIDDEN_ONLY) and isinstance(value, list):
        output = None if name == HIDDEN_ONLY else _output_entry(value, network)
        errors = []
        for i, a in enumerate(value):
            try:
                if output is True and i == len(value) - 1:  # one name per layer: the output's last
                    activation_name(a, f"network.activation[{i}] (the output layer's)")
                else:  # where the layers do not say, the last may be the output's (how many is theirs to say)
                    hidden = name == HIDDEN_ONLY or output is False or i < len(value) - 1
                    activation_name(a, f"network.{name}[{i}]", hidden=hidden)
            except ConfigError as e:
                errors.append(e)
        if errors:
            raise errors[0] if len(errors) == 1 else ConfigErrors(errors)
    elif sec == "network" and name in ("layers", "activation", HIDDEN_ONLY, "output_activation", "init"):
        # one name in network.activation may be softmax where the layers have no hidden layer: a rule of the two
        net: dict[str, Any] = {} if name == "layers" else {"layers": [1, 1] if name == "activation" else [1, 1, 1]}
        if name == HIDDEN_ONLY:
            net["output_activation"] = "sigmoid"
        _validate_network({**net, name: value})


def _output_entry(names: list[Any], network: dict[str, Any] | None) -> bool | None:
    """Is the last of network.activation's ``names`` the output layer's, as ``_validate_network`` reads
    it with the rest of ``network`` (the section): True for one name per layer without an
    output_activation, False for one per hidden layer, None where the layers do not say (a count that
    fits neither, said once by ``_validate_network``; no list of layers; hidden_activation also given).
    Layers' sizes need not be valid: how many there are says which entry is the output's."""
    if not isinstance(network, dict) or HIDDEN_ONLY in network:
        return None
    layers = network.get("layers")
    if not isinstance(layers, list) or len(layers) < 2:
        return None
    n_hidden = len(layers) - 2
    if len(names) == n_hidden:
        return False
    if len(names) == n_hidden + 1 and network.get("output_activation") is None:
        return True
    return None


def every_error(first: ConfigError, raw: Any, where: str, overrides: dict[str, Any], sets: dict[str, Any],
                typed_as: dict[str, str] | None) -> ConfigError:
    """``first`` (the error reading the config ``raw`` with ``overrides`` stopped at) with every other
    error of one field's own value: an unknown key, a wrong type, a number out of its range, a name that is
    no activation, cost, optimizer… (:func:`_check_own`), each field checked alone, never with another
    field set aside or replaced by its default (``cost: cross_entropy`` beside ``output_activation:
    softmaxx`` is not also told the default output does not fit the cost). A clash between fields is
    not looked for beyond ``first``: ``first`` is one only where every field it reads passed its own
    checks, so it is no consequence of another's bad value; a further clash could be. In the file's
    order, then the --sets' in the order given, each named as ``first`` would be (the file, or the
    --set). ``first`` itself where it is the only one; else :class:`ConfigErrors`, whose ``errors``
    they are."""
    found = _field_errors(raw, where, overrides, sets, typed_as)
    if not found:  # a YAML error, a key given twice, or none other
        return first
    from_set = not first.message.startswith(f"{where}: ")
    bare = first.field_message or (first.message.removeprefix(f"{where}: ") if not from_set else "")
    m = _FIELD_AT_START.match(bare)
    field = m.group(0) if m else None
    if not any(error.message == first.message for _, _, error in found):
        # the same field's own error, said as the whole config says it (the output's name last in
        # network.activation: 'network.activation[1] (the output layer's): …'), stands in for it; a clash
        # in that field ('data.target: only used with data.path') is another error. The twin may be named by
        # the other source: the file's bad name, said by ``first`` with the --set that changed the layers
        said = bare.partition(": ")[2]
        twins = [i for i, (_, f, error) in enumerate(found) if f == field and said
                 and (error.field_message or "").partition(": ")[2] == said]
        same = [i for i in twins if found[i][2].message.startswith(f"{where}: ") != from_set]
        twin = (same or twins or [None])[0]
        if twin is not None:
            found[twin] = (found[twin][0], field, first)
        else:  # a clash between fields, found first: where its field is, before that field's own error
            order, set_at = _orders(raw, overrides)
            found.insert(0, (set_at.get(field or "", (0, _position(order, field or ""), 0)), field or "", first))
    found.sort(key=lambda item: item[0])  # (stable: in the order found where the place is the same)
    errors = [error for _, _, error in found]
    return first if len(errors) == 1 else ConfigErrors(errors)


#: The field a bare message starts with: ``training.epochs``, ``network.layers`` of ``network.layers[1]: …``.
_FIELD_AT_START = re.compile(r"(?:seed|cost|data|network|training)(?:\.[A-Za-z_]\w*)?")


def _orders(raw: dict[Any, Any], overrides: dict[str, Any]) -> tuple[list[str], dict[str, tuple[int, int, int]]]:
    """The fields (and sections, and unknown keys) the file ``raw`` writes, as paths in its order; and each
    field a --set gives -> its place among the --sets (the --set's index, the key's index in a section's
    mapping: --set training={lr: -1, epochs: 0.5})."""
    order: list[str] = []
    for k, v in raw.items():
        f = _field_named(k, "")
        homes = _homes(k) if f is None else []
        if len(homes) == 1:  # a section's field at the top level
            order.append(f"{homes[0]}.{_field_named(k, homes[0])}")
        elif f in _SECTIONS:
            order.append(f)
            if isinstance(v, dict):
                order += [f"{f}.{_field_named(kk, f) or _key_text(kk)}" for kk in v]
        else:
            order.append(f if f is not None else _key_text(k))
    at: dict[str, tuple[int, int, int]] = {}
    for i, (key, value) in enumerate(overrides.items()):
        path = canonical_field_path(key)
        if path in _SECTIONS and isinstance(value, dict):
            try:
                at.update({f"{path}.{_key_text(k)}": (1, i, j) for j, k in enumerate(_canonical_section(path, value))})
            except ConfigError:  # a key given twice in it: its own error
                pass
        at.setdefault(path, (1, i, 0))
    return order, at


def _position(order: list[str], field: str) -> int:
    """Where ``field`` stands in the file's ``order`` (else its section; else after the file's fields)."""
    for name in (field, field.split(".")[0]):
        if name in order:
            return order.index(name)
    return len(order)


def _field_errors(raw: Any, where: str, overrides: dict[str, Any], sets: dict[str, Any],
                  typed_as: dict[str, str] | None) -> list[tuple[tuple[int, int, int], str, ConfigError]]:
    """Every error of one field's own value in the config ``raw`` with ``overrides`` applied (an unknown
    key, a section that is no mapping, a value :func:`_check_own` refuses), and in the file's own value of
    a field a --set replaces: (its place, the field, the error named as ``config_from_dict`` names it).
    Empty where the config cannot be read field by field (not a mapping, a key given twice). A --set into a
    section the file gives as no mapping (``training: 5``, ``--set training.learning_rate=-2``) is left out:
    the section's own error is listed, as without it."""
    if not isinstance(raw, dict):
        return []
    try:
        merged = canonical_keys(_copy_sections(raw))
        paths = [canonical_field_path(key) for key in overrides]
    except ConfigError:
        return []
    if len(set(paths)) < len(paths):  # a field given twice: that error alone
        return []
    canonical = dict(zip(paths, overrides.values()))
    order, set_at = _orders(raw, overrides)
    set_by: dict[str, str] = {}  # a field a --set gives -> the --set's key
    found: list[tuple[tuple[int, int, int], str, ConfigError]] = []
    for i, (key, value) in enumerate(canonical.items()):
        try:
            before = merged.get(key) if key in _SECTIONS else None
            set_path(merged, key, value, where)
            if key in _SECTIONS and isinstance(value, dict):  # merged into the file's section, as read
                patch = _canonical_section(key, value)
                if isinstance(before, dict) and key == "network":
                    before = {k: v for k, v in before.items()
                              if not (k == HIDDEN_ONLY and "activation" in patch or k == "activation" and HIDDEN_ONLY in patch)}
                merged[key] = {**before, **patch} if isinstance(before, dict) else patch
                set_by.update({f"{key}.{_key_text(k)}": key for k in patch})
            set_by[key] = key
        except ConfigError as e:
            if e.message.startswith(where):  # the file's section is no mapping: its own error (below); only
                continue                     # this --set into it is left out, the other fields still checked
            if key in _SECTIONS:  # a key given twice in a --set's mapping: that error alone
                return []
            found.append(((1, i, 0), key, ConfigError(f"--set {e.message}", e.hint)))  # an unknown key

    def add(path: str, e: ConfigError) -> None:
        if path in set_by:  # the --set's own value, named by the --set as typed
            key = set_by[path]
            by = _typed_override(key, canonical[key], typed_as)
            own = e.message.removeprefix(f"{key}: ") if by.startswith(f"--set {key}=") else e.message
            error = ConfigError(f"{by}: {own}", e.hint)
            place = set_at.get(path, set_at.get(key, (1, len(canonical), 0)))
        else:
            error, place = ConfigError(f"{where}: {e.message}", e.hint), (0, _position(order, path), 0)
        error.field_message = e.message
        found.append((place, path, error))

    for k, v in merged.items():
        try:
            if k not in _SCHEMA:
                _check_keys({k: v}, list(_SCHEMA), "")
            elif k in _TOP_FIELDS:
                _check_own(k, v, merged.get("network") if k == "cost" else None)  # a cost's hint: [relu, tanh]?
        except ConfigError as e:
            add(_key_text(k), e)
    for sec in _SECTIONS:
        section = merged.get(sec)
        if section is not None and not isinstance(section, dict):
            try:
                _section({sec: section}, sec)
            except ConfigError as e:
                add(sec, e)
            continue
        allowed = _SECTION_KEYS[sec] + ([HIDDEN_ONLY] if sec == "network" else [])
        for k, v in (section or {}).items():
            path = f"{sec}.{_key_text(k)}"
            try:
                if k in allowed:
                    _check_own(path, v, section if sec == "network" else None)
                else:
                    _check_keys({k: v}, allowed, f"{sec}.")
            except ConfigError as e:
                for each in e.errors if isinstance(e, ConfigErrors) else (e,):  # each bad entry of a list
                    add(path, each)
    for path, error in _set_in_file_errors(raw, where, sets):
        found.append(((0, _position(order, path), 0), path, error))
    return found


def _key_in_file(raw: Any, path: str) -> str:
    """The field ``path`` (``training.learning_rate``) as the file wrote its key: ``training.lr``, or
    ``lr (at the top level)``."""
    sec, _, name = path.partition(".")
    if not isinstance(raw, dict):  # pragma: no cover - refused before
        return path
    for k, v in raw.items():
        if not name and _field_named(k, "") == sec:
            return _key_text(k)
        if name and _field_named(k, "") == sec and isinstance(v, dict):
            written = next((kk for kk in v if _field_named(kk, sec) == name), None)
            if written is not None:
                return f"{_key_text(k)}.{_key_text(written)}"
        elif name and _field_named(k, "") is None and _homes(k) == [sec] and _field_named(k, sec) == name:
            return f"{_key_text(k)} (at the top level)"
    return path


def _check_replaced_in_file(raw: Any, where: str, base: Path, sets: dict[str, Any], checked: dict[str, str]) -> None:
    """The file's own value of each field an option replaces (``checked``), validated: the file read
    with the --set overrides alone and an error in one of those fields raised, naming the file and
    the field, with a hint naming the option. A field a --set also gives is the --set's to check."""
    fields = {canonical_field_path(k): typed for k, typed in checked.items()}
    try:
        config_from_dict(raw, where, base, sets)
    except ConfigError as e:
        if not e.message.startswith(f"{where}: "):  # a --set's error, checked by its caller
            return
        field = e.message.removeprefix(f"{where}: ").split(":", 1)[0]
        for path, typed in fields.items():
            if field == path or field.startswith((f"{path}[", f"{path}.")):
                raise ConfigError(e.message, f"{typed} replaces it, but the config file's value is checked "
                                  f"still: correct it, or remove {_key_in_file(raw, path)} from the file") from None


def _from_cwd(path: str) -> str:
    p = Path(path)
    return path if p.is_absolute() or path.startswith("~") else str(Path.cwd() / p)


def config_from_dict(
    raw: Any, where: str, base: Path, overrides: dict[str, Any] | None = None,
    typed_as: dict[str, str] | None = None, _blame: bool = True,
) -> Config:
    """Validate a parsed YAML document (with overrides applied) into a Config.

    An error in a field an override gives names the override as typed, not the config:
    ``--set training.learning_rate=-1: -1 must be greater than 0``; one that the config's own
    values make with some overrides (a cost that does not fit its output) names those overrides
    and the config: ``--set cost=squared_error with configs/iris.yaml: network.output_activation:
    …``. ``typed_as``: each override's field path -> how it was typed (``--lr 0.5``; by default
    ``--set KEY=VALUE``). ``_blame`` False: the error's bare message (the attribution's own trials).
    """
    if not isinstance(raw, dict):
        fix = _no_space_fix(raw) if isinstance(raw, str) and "\n" not in raw else None
        raise ConfigError(
            f"{where}: the top level must be a mapping of sections (seed, data, network, cost, "
            f"training), not {_a_type_name(raw)}" + (f" ({_shown(raw)})" if fix else ""),
            None if fix is None else f"write a space after the colon: {fix}"
        )
    try:
        raw = canonical_keys(_copy_sections(raw))
    except ConfigError as e:
        raise ConfigError(f"{where}: {e.message}", e.hint) from None
    typed: dict[str, str] = {}  # each override's field path -> the KEY given for it
    canonical: dict[str, Any] = {}
    for key, value in (overrides or {}).items():
        path = canonical_field_path(key)
        if path in canonical and key != typed[path]:
            raise ConfigError(f"--set {path}: given twice, as {typed[path]} and as {key}; give each field once")
        canonical[path], typed[path] = value, key
    overrides = canonical
    original = copy.deepcopy(raw) if overrides and _blame else None  # before the overrides: whose error is it?
    # data.path as written, before it is resolved: the file's, or (below) a --set's
    written_path = raw["data"].get("path") if isinstance(raw.get("data"), dict) else None
    section = raw.get("training")
    in_file = set(section) if isinstance(section, dict) else set()
    set_fields: set[str] = set()  # the field paths the overrides name (a section's mapping: each of its keys)
    set_by: dict[str, str] = {}  # each of those field paths -> the override giving it
    for key, value in overrides.items():
        if key == "data.path" and isinstance(value, str) and value and "\x00" not in value:
            value = _from_cwd(value)  # typed on the command line: relative to where it was typed
        try:
            before = raw.get(key) if key in _SECTIONS else None
            set_path(raw, key, value, where)
            if key in _SECTIONS and isinstance(value, dict):  # a whole section: its keys read as a file's are
                patch = _canonical_section(key, value)        # (--set training={lr: 0.5}), merged into the
                if isinstance(patch.get("path"), str) and key == "data" and patch["path"] and "\x00" not in patch["path"]:
                    patch["path"] = _from_cwd(patch["path"])
                if isinstance(before, dict) and key == "network":  # either spelling replaces the other
                    before = {k: v for k, v in before.items()
                              if not (k == HIDDEN_ONLY and "activation" in patch or k == "activation" and HIDDEN_ONLY in patch)}
                raw[key] = {**before, **patch} if isinstance(before, dict) else patch  # config's section:
                set_fields.update(f"{key}.{_key_text(k)}" for k in patch)  # the keys named replace, others kept
                set_by.update({f"{key}.{_key_text(k)}": key for k in patch})
            else:
                set_fields.add(key)
                set_by[key] = key
        except ConfigError as e:  # an unknown key: only --set can name one
            raise (e if e.message.startswith(where) else ConfigError(f"--set {e.message}", e.hint)) from None
    if "data.path" in set_by:
        key = set_by["data.path"]
        written_path = overrides[key] if key == "data.path" else _canonical_section("data", overrides[key]).get("path")
    try:
        # a cost the user never wrote (none in the config, or the built-in default config's and no
        # --set cost): 'softmax needs cost cross_entropy, not the default squared_error'
        default_cost = "cost" not in raw or (where == "<built-in default>" and "cost" not in overrides)
        config = _validate(raw, where, base, default_cost)
        given_by = tuple((f, _typed_override(set_by[f], overrides[set_by[f]], typed_as)) for f in set_by)
        data = raw.get("data") if isinstance(raw.get("data"), dict) else {}
        data_named = any(data.get(k) is not None for k in ("path", "dataset"))  # the built-in default's xor too
        return replace(config, written=_written(raw, in_file, set_fields), given_by=given_by,
                       path_as_written=written_path if isinstance(written_path, str) else None,
                       set_from=None if original is None else (original, where, base, overrides, set_by),
                       data_named=data_named)
    except ConfigError as e:
        if e.message.startswith(where) or not _blame:
            raise
        field = e.message.split(":", 1)[0]
        given = next((k for k in set_fields if field == k or field.startswith((f"{k}[", f"{k}."))), None)
        hint = e.hint
        if field == "data" and "not both" in e.message and hint is None:
            data = raw.get("data") if isinstance(raw.get("data"), dict) else {}
            for key, other in (("data.path", "data.dataset"), ("data.dataset", "data.path")):
                if key in set_fields and other not in set_fields:  # the config names the other one (the
                    # default: dataset xor) and the keys only the other one takes, which would be refused
                    # next: a file's target under a built-in set, a built-in's n_samples, noise, classes
                    only = ("target", "features") if key == "data.dataset" else ("n_samples", "noise", "classes")
                    extra = [f"data.{k}" for k in only if data.get(k) is not None and f"data.{k}" not in set_fields]
                    hint = f"{_unset_hint([other, *extra], overrides)} to replace the config's {other} with the --set {key}"
        net = raw.get("network") if isinstance(raw.get("network"), dict) else {}
        kept = [f"network.{k}" for k in ("weights", "biases") if net.get(k) is not None and f"network.{k}" not in set_fields]
        if hint is None and given is None and field.startswith(tuple(kept)) and "network.layers" in set_fields:
            # --set network={layers: …} merges: the file's weights stay, written for its own layers
            named = " and ".join(kept)
            hint = (f"{named} {'is' if len(kept) == 1 else 'are'} the config file's ({where}), for its own "
                    f"network.layers, not the --set ones; {_unset_hint(kept, overrides)} to have network.init "
                    "draw new ones (null unsets an optional field)")
        message = f"{where}: {e.message}"
        if given is not None:  # the override's own value: it is named, with the others its error depends on
            key = set_by[given]
            partners = _partners(e, key, set_by, original, where, base, overrides)
            by = " ".join(_typed_override(k, overrides[k], typed_as) for k in overrides if k == key or k in partners)
            own = e.message.removeprefix(f"{key}: ") if not partners and by.startswith(f"--set {key}=") else e.message
            # the config's own value of a field the error depends on (xor.yaml's cost under a --set softmax)
            mine = original is not None and any((f not in set_by or set_by[f] not in partners | {key})
                                                and _written_in(original, f) for f in e.depends_on)
            message = f"{by}{f' with {_config_named(where)}' if mine else ''}: {own}"
        elif original is not None:
            culprits = _culprits(original, where, base, overrides, e.message)
            if culprits:  # the config alone is valid, or says something else: the overrides made this
                by = " ".join(_typed_override(k, overrides[k], typed_as) for k in culprits)
                message = f"{by}{f' with {_config_named(where)}' if _written_in(original, field) else ''}: {e.message}"
        error = ConfigError(message, hint)
        error.field_message = e.message
        raise error from None


def _typed_override(key: str, value: Any, typed_as: dict[str, str] | None) -> str:
    """An override as the command line gave it: ``--lr 0.5``, ``--set training.epochs=abc``."""
    if typed_as and key in typed_as:
        return typed_as[key]
    return f"--set {key}={{…}}" if isinstance(value, dict) else f"--set {key}={_shown(value)}"


def _config_named(where: str) -> str:
    """The config as an error naming overrides with it says it: ``configs/iris.yaml``, ``the built-in
    default config``, ``run/model.npz's stored config`` (a --model run's: its --sets are listed after it)."""
    if where == "<built-in default>":
        return "the built-in default config"
    return re.sub(r" \(stored config, changed by [^()]*\)$", "'s stored config", where)


def blame(config: Any, error: BackpropError, field: str | None = None, also: tuple[str, ...] = (),
          label: str | None = None, config_named: bool = True,
          same: Callable[[Config], bool] | None = None) -> BackpropError:
    """``error``, found in ``config``'s values after it was read (its data do not fit them, or the
    memory they need is too much; its message as the field says it, ``data.path: …``), named as
    ``config_from_dict`` names its own: by the --set or option that gave ``field`` (``--set
    data.path=nope.csv: /home/me/nope.csv: no such file``, the field said once), with those that gave
    a field of its ``depends_on``; else by those that
    gave one of the fields ``also`` the error depends on: the config changed by them (``the built-in
    default config with --set data.dataset=sine: network.layers[0]: 2 does not match the data: …``: not
    ``--set … with …``, which says the --set is a cause, where nothing here checks that the config alone
    would pass), or those alone where they gave every such field; else by the config (``configs/x.yaml:
    …``). ``label``: how the message names ``field`` where not as ``field`` (``network.layers [2,
    1000000000, 1]``). Its ``field_message`` is the message as given.
    A --set or option is named only as a cause (``_a_cause``): one that changed nothing (``--set
    data.target=species`` on iris), or without which ``same`` says the error arises as it does, is not.
    ``config_named`` False: a message that names its own file (a data file's column) is left as it is
    where no --set or option is to blame. Its ``field`` is ``field`` (``config validate --json``'s)."""
    given = dict(getattr(config, "given_by", ()))
    message = error.message
    by = given.get(field) if field is not None else None
    if by is not None and not _a_cause(config, field, same):  # type: ignore[arg-type]
        by = None  # the config's own error: the --set left it as it was
    if by is not None:
        label = field if label is None else label
        # with those of the other fields it names as its partners (data.classes under data.n_samples), as given
        named = list(dict.fromkeys(given[f] for f in given if f == field or f in error.depends_on
                                   and given[f] != by and _a_cause(config, f, same)))
        own = message.removeprefix(f"{label}: ") if named == [by] and by.startswith(f"--set {field}=") else message
        message = f"{' '.join(named)}: {own}"
    else:
        set_here = [f for f in also if f in given and _a_cause(config, f, same)]
        culprits = list(dict.fromkeys(given[f] for f in given if f in set_here))  # as given, each once
        if culprits and (field is not None or len(set_here) < len(also)):  # the config's own values are part of it
            # the config, changed by those --sets: not "--set X with CONFIG", which says X is a cause, unchecked
            # here (--set noise=0.05 or a --set of the value the file has named where the file alone fails too)
            message = f"{_config_named(config.source)} with {' '.join(culprits)}: {message}"
        elif culprits:  # every field the error depends on given on the command line: theirs alone
            message = f"{' '.join(culprits)}: {message}"
        elif config_named:
            message = f"{config.source}: {message}"
        else:
            error.field = field
            return error
    blamed = type(error)(message, error.hint)
    blamed.field_message = error.message
    blamed.field = field
    return blamed


def without_sets(config: Any, fields: Iterable[str]) -> Config | None:
    """``config`` as it would be without the --sets (and options) that gave ``fields``: each whole (``--set
    data={…}`` gives several). None where it has none of them, or is no valid config without them."""
    origin = getattr(config, "set_from", None)
    if origin is None:
        return None
    raw, where, base, overrides, set_by = origin
    drop = {set_by[f] for f in fields if f in set_by}
    if not drop:
        return None
    try:
        return config_from_dict(copy.deepcopy(raw), where, base,
                                {k: v for k, v in overrides.items() if k not in drop}, _blame=False)
    except BackpropError:
        return None


def _value_of(config: Config, field: str) -> Any:
    """``field``'s value in ``config`` as ``config show`` gives it (defaults filled in, data.path resolved)."""
    value: Any = config.to_dict()
    for part in field.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value


def _a_cause(config: Config, field: str, same: Callable[[Config], bool] | None = None) -> bool:
    """Is the --set (or option) that gave ``field`` a cause of an error found in ``config``: without it
    would a field it gives have another value (``--set data.target=species`` on iris gives its own), and
    would the error not arise as it does (``same``: does it, in that config; unasked, any other value is
    a cause)? One whose absence cannot be told (no record of the --sets, or the config is not valid
    without it) is a cause."""
    other = without_sets(config, (field,))
    if other is None:
        return True
    key = config.set_from[4][field]  # type: ignore[index]
    # network.hidden_activation is network.activation where the output's is given (config show writes it so)
    fields = ["network.activation" if f == f"network.{HIDDEN_ONLY}" else f
              for f, k in config.set_from[4].items() if k == key]  # type: ignore[index]
    if all(_value_of(other, f) == _value_of(config, f) for f in fields):
        return False
    return same is None or not same(other)


def _partners(error: ConfigError, key: str, set_by: dict[str, str], original: dict[Any, Any] | None, where: str,
              base: Path, overrides: dict[str, Any]) -> set[str]:
    """The overrides other than ``key`` (which gave the field at fault) that ``error`` depends on:
    those giving a field it names as its partner (``depends_on``: --set data.test_fraction=0 under
    --set training.early_stopping=true) without which the config fails otherwise, or passes (not one
    that gives the config's own value: the built-in default's test_fraction is 0 too), and those
    without which the config passes."""
    named = {set_by[f] for f in error.depends_on if f in set_by} - {key}
    found = set()
    for other in overrides:
        if other == key or original is None:
            continue
        try:
            config_from_dict(copy.deepcopy(original), where, base,
                             {k: v for k, v in overrides.items() if k != other}, _blame=False)
        except ConfigError as e:
            if other in named and e.message != error.message:
                found.add(other)
            continue
        found.add(other)
    return found if original is not None else named


def _culprits(original: dict[Any, Any], where: str, base: Path, overrides: dict[str, Any],
              message: str) -> list[str]:
    """The overrides without which the config no longer fails with ``message``: those that make it
    (none: the config's own error, which each override left as it was). One without which it fails in
    another field first (--set data.dataset=null under --set data.path: 'not both') says nothing of this
    error, and is left out where others are found."""
    found, hiding = [], []
    field = message.split(":", 1)[0]
    for key in overrides:
        try:
            config_from_dict(copy.deepcopy(original), where, base,
                             {k: v for k, v in overrides.items() if k != key}, _blame=False)
        except ConfigError as e:
            if e.message == message:
                continue
            if e.message.split(":", 1)[0] != field:
                hiding.append(key)
                continue
        found.append(key)
    return found or hiding


def _written_in(raw: dict[Any, Any], field: str) -> bool:
    """Whether the config (before the overrides) writes ``field`` (``network.activation[2] (the
    output layer's)``: network.activation), or its section where the field is one (``data``)."""
    node: Any = raw
    for part in re.split(r"[\[ ]", field, maxsplit=1)[0].split("."):
        if not isinstance(node, dict) or node.get(part) is None:
            return False
        node = node[part]
    return True


def _unset_hint(fields: list[str], overrides: dict[str, Any]) -> str:
    """``add --set data.dataset=null`` (null unsets an optional field), or, where its section was
    given whole by --set (which a --set of one of its fields would overlap), ``add dataset: null to
    --set data={…}``."""
    section = fields[0].split(".")[0]
    if isinstance(overrides.get(section), dict):
        keys = ", ".join(f"{f.split('.', 1)[1]}: null" for f in fields)
        return f"add {keys} to --set {section}={{…}}"
    return f"add {' '.join(f'--set {f}=null' for f in fields)}"


def _written(raw: dict[Any, Any], in_file: set[Any], set_fields: set[str]) -> frozenset[str]:
    """The training fields the user wrote (``Config.written``): the file's and the --set ones. A file
    that writes every training field was written by the tool (``config show``, a run's config.yaml),
    not field by field: only its --set fields count (its others, where away from their default)."""
    section = raw.get("training")
    keys = set(section) if isinstance(section, dict) else set()
    fields = set(_SECTION_KEYS["training"])
    if fields <= in_file:
        keys = {k.split(".", 1)[1] for k in set_fields if k.startswith("training.")}
    return frozenset(f"training.{k}" for k in keys & fields)


# --- overrides ---------------------------------------------------------------------

def set_path(raw: dict[str, Any], dotted: str, value: Any, where: str) -> None:
    """Set ``raw[a][b] = value`` for ``dotted = "a.b"``, checking the path against the schema."""
    parts = dotted.split(".")
    if "" in parts:  # '.lr', 'training.', 'training..lr': said as '--set : unknown key ''
        raise ConfigError(f"{_shown(dotted)}: a key with an empty name; give a field's path, e.g. "
                          "training.epochs (or epochs)")
    schema: Any = _SCHEMA
    node = raw
    for i, part in enumerate(parts):
        here = ".".join(_key_text(p) for p in parts[: i + 1])
        if parts[:i] == ["network"] and part == HIDDEN_ONLY:  # _field_named's reading of hidden_activation
            schema = {part: None}
        if not isinstance(schema, dict) or part not in schema:
            options = list(schema) if isinstance(schema, dict) else []  # as a file's error lists them
            last = i == len(parts) - 1
            raise ConfigError(f"{here}: unknown key"
                              f"{_did_you_mean(part, options, parts[i - 1] if i else '', value if last else _NO_VALUE)}")
        schema = schema[part]
        if i == len(parts) - 1:
            if parts[:i] == ["network"] and part in ("activation", HIDDEN_ONLY):  # either spelling replaces the other
                node.pop(HIDDEN_ONLY if part == "activation" else "activation", None)
            node[part] = value
        elif not isinstance(schema, dict):  # seed.x, network.layers.x: nothing lies under a value
            raise ConfigError(f"{'.'.join(_key_text(p) for p in parts)}: {here} is a single value, not a section with keys; "
                              f"give {here}=VALUE")
        else:
            child = node.get(part)
            if child is None:
                child = node[part] = {}
            elif not isinstance(child, dict):  # the file's section is none: said as reading the file says it
                if i == 0 and part in _SECTIONS:
                    try:
                        _section({part: child}, part)
                    except ConfigError as e:
                        raise ConfigError(f"{where}: {e.message}", e.hint) from None
                raise ConfigError(f"{where}: {here}: must be a mapping, not {_a_type_name(child)}")
            node = child


# --- validation --------------------------------------------------------------------

_SECTION_KEYS = {
    "data": [f.name for f in DataConfig.__dataclass_fields__.values()],
    "network": [f.name for f in NetworkConfig.__dataclass_fields__.values()],
    "training": [f.name for f in TrainingConfig.__dataclass_fields__.values()],
}
#: The config's keys in ``config show``'s order, which the lists of allowed keys follow too.
_SCHEMA: dict[str, Any] = {
    "seed": None,
    **{sec: {k: None for k in keys} for sec, keys in _SECTION_KEYS.items() if sec != "training"},
    "cost": None,
    "training": dict.fromkeys(_SECTION_KEYS["training"]),
}


#: For other modules' messages: a value as a config error shows it (a huge list shortened).
shown_value = _shown


def field_paths() -> list[str]:
    """Every config field as --set names it, in ``config show``'s order: seed, data.dataset, …,
    cost, training.learning_rate, … (shell completion of --set)."""
    return [name if keys is None else f"{name}.{key}" for name, keys in _SCHEMA.items() for key in (keys or [None])]


# --- keys: other spellings, other tools' names, and fields given at the top level ------------
#
# A key is read as a field when it is the field's name under the rule of names.py (any case, with
# -, _ and spaces alike: ``Learning-Rate``), or another tool's name for exactly that setting
# (``lr``, ``n_epochs``, ``sizes``, ``loss``). A field of a section may be given at the top level
# (``layers: [2, 3, 1]`` beside ``epochs: 100``): every field name belongs to one section only.
# Whatever was read is the nested, canonical config from then on (config show, a run's
# config.yaml); a field given twice (``lr`` and ``learning_rate``; ``layers`` and
# ``network.layers``) is an error naming both.

#: Other tools' names for exactly our setting, per section ("" = top level), spelled with their word
#: boundaries (``n_epochs`` is read as n_epochs, nEpochs or nepochs; ``names.lookup``).
_KEY_SYNONYMS: dict[str, dict[str, str]] = {
    "": {"loss": "cost", "loss_function": "cost", "cost_function": "cost", "random_seed": "seed"},
    "data": {"num_samples": "n_samples", "n_sample": "n_samples", "targets": "target", "standardise": "standardize",
             "feature": "features", "inputs": "features", "input_columns": "features",
             "feature_columns": "features", "feature_names": "features"},
    "network": {"sizes": "layers", "layer_sizes": "layers", "layer": "layers", "act": "activation",
                "activations": "activation",
                "output_layer_activation": "output_activation", "out_activation": "output_activation",
                "initialization": "init", "initialisation": "init", "initializer": "init"},
    "training": {"lr": "learning_rate", "eta": "learning_rate", "η": "learning_rate", "n_epochs": "epochs",
                 "num_epochs": "epochs", "epochs_count": "epochs", "batch": "batch_size", "bs": "batch_size",
                 "mini_batch_size": "batch_size", "lr_schedule": "schedule",
                 "scheduler": "schedule"},
}
_L2_WHY = ("λ of the penalty (λ/2) Σ‖w‖² on every layer's weights, not the biases; Keras' "
           "regularizers.L2(0.01) adds 0.01 Σ‖w‖², which is l2: 0.02")
#: Other tools' names for a setting close to ours but not the same: never read as it; the
#: "did you mean" says how it differs.
_KEY_HINTS: dict[str, tuple[str, str, str]] = {
    "weight_decay": ("training", "l2", "λ of the penalty (λ/2) Σ‖w‖² on the weights only; PyTorch's "
                    "weight_decay also decays the biases"),
    "lambda": ("training", "l2", "λ of the penalty (λ/2) Σ‖w‖² on the weights"),
    **dict.fromkeys(("kernel_regularizer", "regularizer", "regularization", "l2_reg", "l2_lambda", "l2_penalty",
                     "l2_regularization"),
                    ("training", "l2", _L2_WHY)),
    "alpha": ("training", "l2", "λ of the penalty (λ/2) Σ‖w‖² on the weights, added to each batch's mean cost; "
              "scikit-learn's MLP alpha adds (alpha/2) Σ‖w‖² / n, n the batch's rows: l2 = alpha / batch_size "
              "where every batch is full; leaky_relu's and elu's α are fixed here"),
    "random_state": ("", "seed", "scikit-learn's random_state: here one whole number at the top level seeds the "
                     "data, the split, the initial weights and the shuffling"),
    "rate": ("training", "learning_rate", "η"),
    "normalize": ("data", "standardize", "zero mean and unit variance, from the training split"),
    "test_size": ("data", "test_fraction", "a share of the rows in [0, 1), not a count"),
    # not read as Adam's ε: `gradcheck --set eps=1e-3` meant the finite-difference step
    "eps": ("training", "epsilon", "Adam's ε; gradcheck's finite-difference step is its --eps option"),
    # the nearest spelling misled: data_path → dataset, weight_init → weights, dev_fraction → test_fraction
    **dict.fromkeys(("data_path", "data_file", "file_path", "csv_path"),
                    ("data", "path", "the data file, a CSV or .npz, relative to the config's folder")),
    **dict.fromkeys(("weight_init", "weights_init", "weight_initialization", "kernel_initializer"),
                    ("network", "init", "how the initial weights are drawn: auto, normal or uniform; "
                     "network.weights gives them")),
    **dict.fromkeys(("labels", "label", "label_column", "target_column", "y_column"),
                    ("data", "target", "the CSV's target column or columns, by name")),
    **dict.fromkeys(("dev_fraction", "val_fraction", "validation_split", "validation_size", "dev_split", "val_split"),
                    ("data", "validation_fraction", "the share of the training split held out, watched by "
                     "early stopping; data.test_fraction is the held-out test share")),
    "max_iter": ("training", "epochs", "scikit-learn's MLP max_iter counts epochs with its sgd and adam solvers"),
    "solver": ("training", "optimizer", "scikit-learn's MLP solver: sgd and adam are optimizers here, as is "
               "momentum; lbfgs is not"),
}
#: Other tools' keys for a setting that has no one field here: what the tool does instead.
_KEY_NOTES: dict[str, str] = {
    "betas": "Adam's (β1, β2) are two fields here, training.beta1 and training.beta2",
    "dampening": "not supported: momentum here is v ← μ v + g, PyTorch's SGD with dampening 0 (its default)",
    "drop_last": "not an option: an epoch's last, smaller batch is always kept, its step following the mean cost "
                 "of its own rows (PyTorch's DataLoader with drop_last=False)",
    "restore_best_weights": "not needed: with training.early_stopping: true the best epoch's weights are always "
                            "the ones kept",
    "monitor": "not an option: training.early_stopping watches the validation cost (data.validation_fraction "
               "above 0), else the test cost",
}
#: Other tools' key for the hidden layers' activation only (scikit-learn's ``activation``, Keras'
#: per-layer ones): network.activation is the output's too unless network.output_activation is given,
#: so it is read only beside network.output_activation (``_validate_network``).
HIDDEN_ONLY = "hidden_activation"
_TOP_FIELDS = ("seed", "cost")
_SECTIONS = ("data", "network", "training")


def _field_named(key: Any, section: str) -> str | None:
    """The field of ``section`` ("" = the top level: seed, cost and the sections) that ``key`` names."""
    if not isinstance(key, str):
        return None
    fields = list(_SCHEMA) if section == "" else _SECTION_KEYS[section]
    if key in fields:
        return key
    if section == "network" and canonical_name(key, (HIDDEN_ONLY, "hidden_activations")) is not None:
        return HIDDEN_ONLY  # not network.activation, which sets the output too: _validate_network reads it
    f = canonical_name(key, fields)
    return f if f is not None else lookup(key, _KEY_SYNONYMS[section])


def _homes(key: Any) -> list[str]:
    """The sections with a field that ``key`` names (``layers`` -> ['network'])."""
    return [sec for sec in _SECTIONS if _field_named(key, sec) is not None]


def _twice(first: str, second: str, field: str) -> ConfigError:
    return ConfigError(f"{field}: given twice, as {first} and as {second}; give it once")


def _canonical_section(name: str, sec: dict[Any, Any]) -> dict[Any, Any]:
    """The section with every key read as its field (unknown keys kept, for their error)."""
    out: dict[Any, Any] = {}
    given: dict[Any, str] = {}
    for k, v in sec.items():
        f = _field_named(k, name)
        key = f if f is not None else k
        if key in out:
            raise _twice(f"{name}.{given[key]}", f"{name}.{_key_text(k)}", f"{name}.{key}")
        out[key], given[key] = v, _key_text(k)
    return out


def canonical_keys(raw: dict[Any, Any]) -> dict[Any, Any]:
    """A parsed config with every key read as its field, and fields given at the top level moved into
    their section (see above). ``raw``'s sections are not changed: they are copied when changed."""
    out: dict[Any, Any] = {}
    given: dict[Any, str] = {}
    flat: list[tuple[str, str, Any, Any]] = []  # (section, field, key as given, value)
    for k, v in raw.items():
        f = _field_named(k, "")
        homes = _homes(k) if f is None else []
        if len(homes) == 1:
            flat.append((homes[0], _field_named(k, homes[0]), k, v))  # type: ignore[arg-type]
            continue
        key = f if f is not None else k
        if key in out:
            raise _twice(given[key], _key_text(k), str(key))
        out[key], given[key] = v, _key_text(k)
    for sec in _SECTIONS:
        if isinstance(out.get(sec), dict):
            out[sec] = _canonical_section(sec, out[sec])
    by_top: dict[tuple[str, str], str] = {}
    for sec, f, k, v in flat:
        section = out.get(sec)
        if section is None:
            section = out[sec] = {}
        elif not isinstance(section, dict):  # its own error first ('network: must be a mapping')
            continue
        if f in section:
            raise _twice(by_top.get((sec, f), f"{sec}.{f}"), f"{_key_text(k)} at the top level", f"{sec}.{f}")
        section[f], by_top[(sec, f)] = v, f"{_key_text(k)} at the top level"
    return out


def canonical_field_path(dotted: str) -> str:
    """``--set`` KEY as the field path it names: ``training.lr`` -> ``training.learning_rate``,
    ``layers`` -> ``network.layers``; ConfigError for an unknown key (with where it belongs)."""
    parts = dotted.split(".")
    top = _field_named(parts[0], "")
    if top is None and len(_homes(parts[0])) == 1:  # 'lr', and 'lr.x' (refused as a value's key, not as unknown)
        sec = _homes(parts[0])[0]
        return ".".join([sec, _field_named(parts[0], sec), *parts[1:]])  # type: ignore[list-item]
    if top is None:
        return dotted  # set_path names the unknown key
    if top in _SECTIONS and len(parts) > 1:
        f = _field_named(parts[1], top)
        return ".".join([top, f if f is not None else parts[1], *parts[2:]])
    return ".".join([top, *parts[1:]])


_NO_VALUE = object()


def _keys_listed(keys: list[str]) -> str:
    """The allowed keys as an error lists them, with the condition of one allowed only beside another:
    hidden_activation alone is refused (network.activation sets the output's too unless it has its own)."""
    return ", ".join(f"{k} (with output_activation)" if k == HIDDEN_ONLY else k for k in keys)


def _did_you_mean(word: str, options: list[str], section: str = "", value: Any = _NO_VALUE) -> str:
    """For an unknown key of ``section`` ("" = the top level): where it belongs (a field of another
    section), another tool's name for a setting, what the tool does instead, or the nearest key; then
    the allowed keys. ``value``: the key's value, where given (``betas: [0.9, 0.99]`` is told both)."""
    key = str(word)
    allowed = f"; allowed: {_keys_listed(options)}" if options else ""
    shown = _shown(key)
    top = _field_named(key, "")
    if section and top in _TOP_FIELDS:  # 'cost' (or 'loss') under network:, as some tools nest it
        return f" {shown}: it belongs at the top level: → {top}"
    homes = [sec for sec in _homes(key) if sec != section]
    if homes and section:
        at = [f"{sec}.{_field_named(key, sec)}" for sec in homes]
        return f" {shown}: it belongs under {homes[0]}: → {at[0]}" if len(at) == 1 else \
            f" {shown}: it belongs under one of {', '.join(at)}"
    hint = lookup(key, _KEY_HINTS)
    if hint is not None:
        sec, f, why = hint
        path = f if sec == section or not sec else f"{sec}.{f}"  # a top-level field by its name: seed
        return f" {shown}: did you mean {_shown(path)}? ({why}){allowed}"
    note = lookup(key, _KEY_NOTES)
    if note is not None:
        if lookup(key, {"betas": True}) and isinstance(value, list) and len(value) == 2 \
                and all(isinstance(b, (int, float)) and not isinstance(b, bool) for b in value):
            note = (f"Adam's (β1, β2) are two fields here: training.beta1 = {_shown(value[0])} and "
                    f"training.beta2 = {_shown(value[1])}")
        return f" {shown}: {note}{allowed}"
    fields = {f: f"{sec}.{f}" for sec in _SECTIONS if sec != section for f in _SECTION_KEYS[sec]}
    broken = _word_broken(key)
    if broken is not None:  # 'epo chs', 'ran dom_seed': a name with a separator inside a word
        sec, f = broken
        path = f if sec == section or sec == "" else f"{sec}.{f}"
        return f" {shown}: did you mean {_shown(path)}?{allowed.replace('; allowed', ' Allowed')}"
    if not section:  # the top level: a section, or any field ('daaset' is data.dataset, not data)
        close = difflib.get_close_matches(key, [*options, *fields], n=1, cutoff=0.6)
    else:  # a key of this section first, then another section's field (said with its section)
        close = difflib.get_close_matches(key, options, n=1, cutoff=0.6) or \
            difflib.get_close_matches(key, list(fields), n=1, cutoff=0.75)
    if close:  # "…?; allowed:" read as doubled punctuation
        return f" {shown}: did you mean {_shown(fields.get(close[0], close[0]))}?{allowed.replace('; allowed', ' Allowed')}"
    return f" {shown}{allowed}"


def _word_broken(key: str) -> tuple[str, str] | None:
    """(section, field) of the one field that ``key`` would name but for a separator inside a word
    (``epo chs``: ('training', 'epochs'); ``ran dom_seed``, another tool's name: ('', 'seed')), or None."""
    loose = loose_key(key)
    hits = {(sec, f) for sec in ("", *_SECTIONS) for f in (list(_SCHEMA) if sec == "" else _SECTION_KEYS[sec])
            if loose_key(f) == loose}
    hits |= {(sec, f) for sec, table in _KEY_SYNONYMS.items() for k, f in table.items() if loose_key(k) == loose}
    return hits.pop() if len(hits) == 1 else None


def _type_name(v: Any) -> str:
    return {bool: "boolean", int: "integer", float: "number", str: "string", list: "list",
            dict: "mapping", type(None): "null"}.get(type(v), type(v).__name__)


def _a_type_name(v: Any) -> str:
    """``an integer``, ``a list``: the type name with its article, for "…, not an integer"."""
    name = _type_name(v)
    return f"{'an' if name[:1] in 'aeiou' else 'a'} {name}"


def _key_text(k: Any) -> str:
    """A key as a field path shows it: a plain name as it is; a key YAML made a number, boolean or null
    as the YAML it was written as (``1``, ``true``, ``null``, not Python's ``True`` or ``None``); any
    other text quoted and shortened (empty, blank at either end, a control character, very long:
    written bare, ``--set`` printed an invisible ``\\x01`` and a raw newline into the message)."""
    if isinstance(k, str):
        plain = k.isprintable() and 0 < len(k) <= 60 and k == k.strip()
        return k if plain else _shown(k)
    return _shown(k)


def key_path_text(dotted: str) -> str:
    """A dotted ``--set`` key as a message shows it: each name as :func:`_key_text` does."""
    return ".".join(_key_text(p) for p in dotted.split("."))


def _not_text_key(k: Any) -> str:
    """Why a key YAML did not read as text is not a field, and how to write it as one."""
    if isinstance(k, bool):
        return f" ({_READ_AS_BOOLEAN}; quote the key)"
    if k is None:
        return " (YAML reads an unquoted null or ~ as no value; quote the key)"
    return f" ({_a_type_name(k)}; keys are names)"


def _check_keys(d: dict[str, Any], allowed: list[str], prefix: str) -> None:
    for k in d:
        if k not in allowed:
            path = f"{prefix}{_key_text(k)}"
            if not isinstance(k, str):  # a number, boolean or null: nothing it could be meant as
                raise ConfigError(f"{path}: unknown key {_shown(k)}{_not_text_key(k)}; "
                                  f"allowed: {_keys_listed(allowed)}")
            raise ConfigError(f"{path}: unknown key{_did_you_mean(k, allowed, prefix.rstrip('.'), d[k])}")


def _section(raw: dict[str, Any], name: str) -> dict[str, Any]:
    sec = raw.get(name)
    if sec is None:
        return {}
    if not isinstance(sec, dict):
        raise ConfigError(f"{name}: must be a mapping of keys, not {_a_type_name(sec)} ({_shown(sec)})"
                          f"{_section_shorthand_hint(name, sec)}")
    _check_keys(sec, _SECTION_KEYS[name] + ([HIDDEN_ONLY] if name == "network" else []), f"{name}.")
    return sec


def _flow_full(v: dict[Any, Any]) -> str:
    """A mapping in YAML's flow style, every key shown (``names.shown`` stops after six), each value as
    ``names.shown`` quotes it."""
    return "{" + ", ".join(f"{_shown(k)}: {_shown(x)}" for k, x in v.items()) + "}"


def _section_shorthand_hint(name: str, sec: Any) -> str:
    """For a section written as its most likely key's value (``data: xor``, ``network: [2, 3, 1]``),
    the mapping the user probably meant."""
    if name == "data" and isinstance(sec, str) and sec.isprintable() and 0 < len(sec) <= 80:
        key = "dataset" if sec in DATASETS else "path"  # quoted where YAML needs it: {path: 'a: b.csv'}
        meant = yaml.dump({key: sec}, Dumper=Dumper, default_flow_style=True, allow_unicode=True, width=10**9)
        return f"; did you mean data: {meant.strip()}?"
    if isinstance(sec, list) and sec and all(isinstance(item, dict) and item for item in sec):
        # '- layers: …' / '- activation: …': a list of one-key mappings, each line a dash too many
        keys = [k for item in sec for k in item]
        if len(set(map(str, keys))) == len(keys):
            merged = {k: v for item in sec for k, v in item.items()}
            return f"; drop the dashes, a list's: did you mean {name}: {_flow_full(merged)}?"
    if name == "network" and isinstance(sec, list):
        return f"; did you mean network: {{layers: {_shown(sec)}}}?"
    fix = _no_space_fix(sec) if isinstance(sec, str) and "\n" not in sec else None
    if fix is not None:  # 'learning_rate:0.5', the section's only line: YAML read it as text
        return f"; write a space after the colon: {fix}"
    key, eq, value = sec.partition("=") if isinstance(sec, str) else ("", "", "")
    if eq and key.strip() and value.strip() and "\n" not in sec:  # 'epochs = 5': another format's syntax
        shown_value = "…" if "=" in value else value.strip()  # 'epochs = 5 lr = 0.1': lines folded into one
        return f"; YAML writes a key and its value as {key.strip()}: {shown_value}, not with ="
    return ""


_NUMBER_WORD = re.compile(r"[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?")


#: A number written as text ("16", "-1", "1e3"): a quoted number where a number belongs.
_NUMBER_TEXT = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


def _not_a_number(v: Any, path: str, what: str) -> ConfigError:
    if isinstance(v, bool):
        return ConfigError(f"{path}: {_shown(v)} is not {what} (boolean): {_READ_AS_BOOLEAN}; "
                           "write a number instead")
    if v is None:  # '--set lr=', 'epochs:' left empty
        return ConfigError(f"{path}: null is not {what} (YAML reads an empty value, null and ~ as no value)")
    if isinstance(v, float):  # 3.5 for a whole number: "(number)" after it read as a contradiction
        return ConfigError(f"{path}: {_shown(v)} is not {what}")
    words = v.split() if isinstance(v, str) and path.endswith("]") else []  # a list's item
    if len(words) > 1 and all(_NUMBER_WORD.fullmatch(w) for w in words):  # '[2, 3 1]': YAML read '3 1' as text
        return ConfigError(f"{path}: {_shown(v)} is not {what} (string: a comma missing between "
                           f"{' and '.join(words) if len(words) == 2 else ', '.join(words)}?)")
    return ConfigError(f"{path}: {_shown(v)} is not {what} ({_type_name(v)})")


def _int(v: Any, path: str, minimum: int | None = None, maximum: int | None = None, why: str = "") -> int:
    if isinstance(v, float) and math.isinf(v) and v > 0:  # 1e400: a whole number too large for a float
        if maximum is not None:
            raise ConfigError(f"{path}: {_shown(v)} is more than {maximum:,}, the most allowed{why}")
        raise ConfigError(f"{path}: {_shown(v)} is too large (more than 1.8e308, the largest number)")
    if isinstance(v, float) and v == -math.inf and minimum is not None:  # -1e400, as -5
        raise ConfigError(f"{path}: {_shown(v)} must be at least {minimum}")
    if isinstance(v, bool) or not isinstance(v, (int, float)) or (isinstance(v, float) and not v.is_integer()):
        # the range said where it helps ('fast', null, true), not after a fraction, whose fault is the fraction
        at_least = "" if minimum is None or isinstance(v, float) else \
            f" from {minimum} to {maximum:,}" if maximum is not None else f" of at least {minimum}"
        raise _not_a_number(v, path, f"a whole number{at_least}")
    shown = _shown(v)  # as written: 1e30, not its 31 digits; a whole number of many digits shortened
    v = int(v)
    if minimum is not None and v < minimum:
        raise ConfigError(f"{path}: {shown} must be at least {minimum}")
    if maximum is not None and v > maximum:
        raise ConfigError(f"{path}: {shown} is more than {maximum:,}, the most allowed{why}")
    return v


MAX_EPOCHS = 1_000_000  # every epoch's figures stay in memory, the checkpoint and the metrics files


def _float(v: Any, path: str, allowed: str = "") -> float:
    """``v`` as a finite float; ``allowed``: the field's range in words ('greater than 0', 'in [0, 1)'),
    said when ``v`` is not a number at all, so one message tells what to write."""
    what = f"a number {allowed}" if allowed else "a number"
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        raise _not_a_number(v, path, what)
    given = v  # as written: 1e400, not the .inf it became
    try:
        v = float(v)
    except OverflowError:  # a whole number beyond float's range
        v = math.inf
    if not math.isfinite(v):
        raise ConfigError(f"{path}: {_shown(given)} must be a finite {what.removeprefix('a ')}")
    return v


def _bool(v: Any, path: str) -> bool:
    if not isinstance(v, bool):
        raise ConfigError(f"{path}: {_shown(v)} must be true or false")
    return v


def _choice(v: Any, path: str, allowed: tuple[str, ...] | list[str], aliases: dict[str, str] | None = None,
            elsewhere: dict[str, str] | None = None) -> str:
    """An enumerated value by ``names.choose``'s rule (``Float32``, ``Adam``); ``aliases``: other
    tools' names for exactly one of ours; ``elsewhere``: notes for names that are not (both spelled with
    their word boundaries, read by ``names.lookup``)."""
    def explain(value: str) -> tuple[str | None, str | None]:
        return lookup(value, elsewhere or {}), None

    return choose(v, path, allowed, aliases=aliases, explain=explain)


#: numpy's own names for the dtypes (np.dtype("double") is float64), read as them.
_DTYPE_ALIASES = {"double": "float64", "f8": "float64", "fp64": "float64", "single": "float32",
                  "f4": "float32", "fp32": "float32"}
_DTYPE_ELSEWHERE = {"float": "float is float64 in numpy and float32 in C: write which",
                    **{k: f"{k} is not available here" for k in ("float16", "half", "fp16", "f2", "bfloat16", "bf16")}}
_INIT_ELSEWHERE = {
    **{k: "auto draws Glorot (Xavier) uniform for sigmoid, tanh and linear layers and He (Kaiming) normal for "
          "the ReLU family (relu, leaky_relu, elu, softplus, silu)" for k in ("glorot", "xavier", "glorot_uniform", "xavier_uniform", "glorot_normal",
                                  "xavier_normal", "he", "kaiming", "he_normal", "kaiming_normal", "he_uniform",
                                  "kaiming_uniform", "lecun", "lecun_normal")},
    **{k: "not available: equal weights keep every hidden neuron alike; give network.weights to start from "
          "chosen values" for k in ("zeros", "zero", "ones", "constant")},
    **{k: "normal draws w, b ~ N(0, 1), uniform w, b ~ U(−1, 1)" for k in ("random", "randn", "gaussian")},
}
#: Data sets users name as built-ins: the two that ship as CSV files in the checkout's data/ (each
#: with its config in configs/, and its target column), and well-known ones that do not ship.
SHIPPED_CSVS = {"iris": "species", "digits": "digit"}
NOT_SHIPPED = ("mnist", "fashion_mnist", "cifar10", "cifar", "emnist", "kmnist", "wine", "breast_cancer",
               "boston", "california_housing", "diabetes", "titanic")
_DATASET_ELSEWHERE = {
    **{k: f"{k} ships as a CSV file: give data.path, the checkout's data/{k}.csv (relative to the config's folder), "
          f"and data.target: {t}, as configs/{k}.yaml does" for k, t in SHIPPED_CSVS.items()},
    **{k: f"{k} is not shipped and nothing is downloaded: give data.path, a CSV or .npz file of it"
       for k in NOT_SHIPPED},
}
_OPTIMIZER_ELSEWHERE = {
    "nesterov": "Nesterov's momentum is optimizer: momentum with training.nesterov: true",
    "nag": "Nesterov's momentum is optimizer: momentum with training.nesterov: true",
    **{k: f"{k} is not available here" for k in ("adamw", "rmsprop", "adagrad", "adadelta", "nadam", "adamax",
                                                   "lbfgs", "radam", "lion")},
}
_SCHEDULE_ELSEWHERE = {
    "inv_scaling": "scikit-learn's invscaling counts samples seen; inverse here counts epochs, η0 / e^power_t",
    **dict.fromkeys(("exponential", "exponential_lr"), "PyTorch's ExponentialLR(gamma=γ), η0·γ^(e−1) in epoch e, is "
                    "schedule: step with training.step_size: 1 and training.gamma: γ"),
    "exponential_decay": "Keras' ExponentialDecay decays with every batch step, η0·r^(t/decay_steps); schedule: step "
                         "decays by epochs, η0·γ^⌊(e−1)/step_size⌋, every epoch with step_size: 1",
    **{k: f"{k} is not available here" for k in ("cosine", "cosine_annealing", "plateau",
                                                   "reduce_lr_on_plateau", "one_cycle", "polynomial", "linear")},
}


def _output_fits(cost: str, n_out: int) -> list[str]:
    """The output activations ``cost`` takes, as a hint words them; [] when it takes any."""
    if COSTS[cost].outputs is None:
        return []
    fits = list(COSTS[cost].outputs)
    if "softmax" in fits and "sigmoid" in fits:
        fits = ["softmax (one class per row)", "sigmoid (labels that may be 1 together)"] if n_out > 1 else ["sigmoid"]
    return fits


def _output_listed(section: dict[str, Any], network: NetworkConfig) -> bool:
    """Is the output's activation of the valid ``network`` the last name of network.activation's list in
    the config's network ``section`` (one name per layer, network.output_activation not set)?"""
    act = section.get("activation")
    return (isinstance(act, list) and len(act) == len(network.layers) - 1
            and section.get("output_activation") is None)


def _validate(raw: dict[str, Any], where: str, base: Path, default_cost: bool = False) -> Config:
    """``default_cost``: the user did not write the cost (a message naming it calls it the default)."""
    _check_keys(raw, list(_SCHEMA), "")
    # every section's keys before any value: a field in the wrong section ('training: {layers: …}') is
    # said as that, not as the field missing where it belongs ('network.layers: missing')
    sections = {name: _section(raw, name) for name in _SECTIONS}
    seed = _int(raw.get("seed", 0), "seed", 0)
    data = _validate_data(sections["data"], base)
    network = _validate_network(sections["network"])
    # a hint names the list's last name beside [relu, tanh], not network.output_activation, refused there
    cost = cost_name(raw.get("cost", "squared_error"), "cost", network.resolved_output_activation, network.layers[-1],
                     output_listed=_output_listed(sections["network"], network))
    try:
        check_pair(COSTS[cost], network.resolved_output_activation, network.layers[-1], default_cost=default_cost)
    except ConfigError as e:  # [relu, softmax]: the output's name is the list's last, not output_activation
        if network.resolved_output_activation == "softmax" and network.layers[-1] == 1:
            from .experiment import layers_misfit  # the data's outputs decide the width: iris's 3 classes

            misfit = layers_misfit(data, network, seed, where)
            if misfit is not None:
                raise misfit from None
        n_hidden = len(network.layers) - 2
        if _output_listed(sections["network"], network):
            e.message = e.message.replace("network.output_activation:",
                                          f"network.activation[{n_hidden}] (the output layer's):", 1)
            fits = _output_fits(cost, network.layers[-1])  # network.output_activation may not be set beside it
            if e.hint is None and fits:
                e.hint = f"make the last name of network.activation {fits[0]}" + (
                    f", or {', '.join(fits[1:])}" if fits[1:] else "")
        elif (n_hidden == 0 and "activation" in sections["network"] and sections["network"].get("output_activation")
              is None and e.message.startswith("network.output_activation:")):
            # [2, 1] with activation: relu (or [4, 3] with softmax): no hidden layer, so the name written is the
            # output's own; 'copied … the hidden layers'' named a field and layers the user never had
            out = network.resolved_output_activation
            e.message = e.message.replace(f"network.output_activation: {_shown(out)}", f"network.activation: "
                                          f"{_shown(out)} (the output layer's: there is no hidden layer)", 1)
            fits = _output_fits(cost, network.layers[-1])
            if e.hint is None and fits:
                e.hint = f"write network.activation: {fits[0]}" + (f", or {', '.join(fits[1:])}" if fits[1:] else "")
        elif network.output_activation is None and e.message.startswith("network.output_activation:"):
            # activation: relu with cost cross_entropy: the output copied it, a field the user never wrote
            out = network.resolved_output_activation
            e.message = e.message.replace(
                f"network.output_activation: {_shown(out)}", f"network.output_activation: {_shown(out)} (copied "
                "from network.activation, as network.output_activation is not set)", 1)
            fits = _output_fits(cost, network.layers[-1])
            if e.hint is None and fits:
                e.hint = (f"give the output its own: network.output_activation: {fits[0]}"
                          + (f", or {', '.join(fits[1:])}" if fits[1:] else "")
                          + "; network.activation stays the hidden layers'")
        elif e.hint is None and " cannot be used with " in e.message and e.message.startswith("network.output_activation:"):
            # output_activation: relu written beside cost: cross_entropy: the copied case's hint, in the words of a
            # field the user wrote (the output to change to, or the cost that keeps it)
            out = network.resolved_output_activation
            fits = _output_fits(cost, network.layers[-1])
            if fits:
                e.hint = (f"{cost} takes ln a, so the outputs must lie in (0, 1): make it network.output_activation: "
                          + ", or ".join(fits) + f"; or keep {out} with cost squared_error, which takes any output")
        raise
    training = _validate_training(sections["training"])
    _check_dtype_range(network, training.dtype)
    if training.early_stopping and data.validation_fraction == 0 and data.effective_test_fraction == 0:
        raise ConfigError(
            "training.early_stopping: needs a held-out cost to watch; set data.validation_fraction "
            "or data.test_fraction above 0", depends_on=("data.validation_fraction", "data.test_fraction"))
    return Config(network=network, data=data, cost=cost, training=training, seed=seed, source=where,
                  output_listed=_output_listed(sections["network"], network))


def _file_name_in_locale(path: str, field: str) -> None:
    """A path read from a YAML file (UTF-8) that the file system's encoding cannot hold: an ASCII
    locale with Python's UTF-8 mode off (``LC_ALL=C PYTHONUTF8=0``) cannot name 'δata/íris.csv',
    which ended in a UnicodeEncodeError traceback at the first look at the file."""
    import os
    import sys

    try:
        os.fsencode(path)
    except UnicodeEncodeError as e:
        raise ConfigError(f"{field}: {_shown(path)} cannot be named in this locale: its file names are "
                          f"{sys.getfilesystemencoding()}, without U+{ord(path[e.start]):04X} ({path[e.start]})",
                          "use a UTF-8 locale (LC_ALL=C.UTF-8) or Python's UTF-8 mode (PYTHONUTF8=1)") from None


def _validate_data(d: dict[str, Any], base: Path) -> DataConfig:
    dataset, path = d.get("dataset"), d.get("path")
    if dataset is not None and path is not None:
        raise ConfigError("data: give either data.dataset (a built-in) or data.path (a file), not both")
    if dataset is None and path is None:
        dataset = "xor"
    if dataset is not None:
        dataset = _choice(dataset, "data.dataset", DATASETS, elsewhere=_DATASET_ELSEWHERE)
    resolved = None
    if path is not None:
        if not isinstance(path, str) or not path or "\x00" in path:
            raise ConfigError(f"data.path: {_shown(path)} must be a file path (a string)")
        _file_name_in_locale(path, "data.path")
        try:
            p = Path(path).expanduser()
        except RuntimeError:  # ~user whose home is unknown
            raise ConfigError(f"data.path: {_shown(path)}: cannot find the home folder of "
                              f"{_shown(path.split('/')[0])}") from None
        resolved = str(p if p.is_absolute() else (base / p).resolve())
    target = d.get("target")
    if target is not None:
        if isinstance(target, str):
            target = (target,)
        elif isinstance(target, list) and target and all(isinstance(t, str) for t in target):
            target = tuple(target)
        else:
            why = f" ({_READ_AS_BOOLEAN}; quote a column name like \"yes\")" if isinstance(target, bool) else ""
            raise ConfigError(f"data.target: {_shown(target)} must be a column name or a list of column "
                              f"names{why}")
        if dataset is not None:
            raise ConfigError("data.target: only used with data.path (a CSV file)", depends_on=("data.dataset",))
        names = [t.strip() for t in target]
        twice = next((t for i, t in enumerate(names) if t in names[:i]), None)
        if twice is not None:
            raise ConfigError(f"data.target: {_shown(list(target))} names column {_shown(twice)} more than once; "
                              "give each target column once")
        if resolved is not None and Path(resolved).suffix.lower() == ".npz":
            raise ConfigError(f"data.target: {_shown(list(target))} cannot be used with an .npz file ({resolved}); "
                              "it has no named columns, its targets are the array 'y'", depends_on=("data.path",))
    features = _features(d.get("features"), dataset, resolved, target)
    for key in ("n_samples", "noise", "classes"):
        if d.get(key) is not None and path is not None:
            raise ConfigError(f"data.{key}: only used with a built-in data.dataset, not with data.path",
                              depends_on=("data.path",))
    n_samples = _int(d["n_samples"], "data.n_samples", 1) if d.get("n_samples") is not None else None
    noise = _float(d["noise"], "data.noise", "of at least 0") if d.get("noise") is not None else None
    if noise is not None and noise < 0:
        raise ConfigError(f"data.noise: {_shown(d['noise'])} must be at least 0")
    classes = _int(d["classes"], "data.classes", 2) if d.get("classes") is not None else None
    tf = d.get("test_fraction")
    if tf is not None:
        tf = _float(given := tf, "data.test_fraction", "in [0, 1)")
        if not 0.0 <= tf < 1.0:
            raise ConfigError(f"data.test_fraction: {_shown(given)} must be in [0, 1)")
    vf = _float(given := d.get("validation_fraction", 0.0), "data.validation_fraction", "in [0, 1)")
    if not 0.0 <= vf < 1.0:
        raise ConfigError(f"data.validation_fraction: {_shown(given)} must be in [0, 1)")
    task = _choice(d.get("task", "auto"), "data.task", TASKS)
    if dataset is not None and task not in ("auto", DATASET_TASKS[dataset]):
        raise ConfigError(f"data.task: {_shown(task)} does not fit data.dataset {_shown(dataset)}, a "
                          f"{DATASET_TASKS[dataset]} set; leave data.task out (or give auto) for a built-in set",
                          depends_on=("data.dataset",))
    return DataConfig(
        dataset=dataset,
        path=resolved,
        target=target,
        features=features,
        task=task,
        n_samples=n_samples,
        noise=noise,
        classes=classes,
        test_fraction=tf,
        validation_fraction=vf,
        standardize=_bool(d.get("standardize", False), "data.standardize"),
    )


def _features(features: Any, dataset: str | None, path: str | None,
              target: tuple[str, ...] | None) -> tuple[str, ...] | None:
    """``data.features``: the CSV's input columns in order, read as ``data.target`` is (one name, or a
    list of names), each name given once, none empty, none a target column; CSV files only."""
    if features is None:
        return None
    if isinstance(features, str):
        names: list[Any] = [features]
    elif isinstance(features, list) and features and all(isinstance(f, str) for f in features):
        names = features
    else:
        why = f" ({_READ_AS_BOOLEAN}; quote a column name like \"yes\")" if isinstance(features, bool) else ""
        if isinstance(features, int) and not isinstance(features, bool):  # 'inputs: 4', the input layer's size
            why = " (the number of inputs is network.layers[0])"
        elif isinstance(features, list) and features:
            bad = next(i for i, f in enumerate(features) if not isinstance(f, str))
            item = features[bad]
            quote = isinstance(item, (bool, int, float))  # a header's '2019' or 'yes', unquoted in YAML
            why = f" (data.features[{bad}] is null: YAML reads an empty entry, null and ~ as no value)" if item is None \
                else f" (data.features[{bad}] is {_shown(item)}, {_a_type_name(item)}" + (
                "; quote a column name that YAML reads as a number or a boolean, like \"2019\")" if quote else ")")
        raise ConfigError(f"data.features: {_shown(features)} must be a column name or a non-empty list of column "
                          f"names{why}")
    stripped = [f.strip() for f in names]
    if dataset is not None:
        raise ConfigError(f"data.features: only used with data.path (a CSV file); the built-in data set {dataset} "
                          "has its own inputs", depends_on=("data.dataset",))
    empty = next((i for i, f in enumerate(stripped) if not f), None)
    if empty is not None:
        at = "data.features" if isinstance(features, str) else f"data.features[{empty}]"
        raise ConfigError(f"{at}: {_shown(names[empty])} is an empty name; give the names of the CSV header's "
                          "input columns")
    twice = next((f for i, f in enumerate(stripped) if f in stripped[:i]), None)
    if twice is not None:
        raise ConfigError(f"data.features: {_shown(list(names))} names column {_shown(twice)} more than once; "
                          "give each input column once")
    if path is not None and Path(path).suffix.lower() == ".npz":
        raise ConfigError(f"data.features: {_shown(list(names))} cannot be used with an .npz file ({path}); it "
                          "has no named columns, its inputs are the array 'X', every column of it",
                          depends_on=("data.path",))
    both = next((f for f in stripped if target is not None and f in {t.strip() for t in target}), None)
    if both is not None:
        raise ConfigError(f"data.features: {_shown(list(names))} names column {_shown(both)}, which data.target "
                          "names too; a column is an input or a target, not both", depends_on=("data.target",))
    return tuple(stripped)


def _validate_network(d: dict[str, Any]) -> NetworkConfig:
    if "layers" not in d:
        raise ConfigError("network.layers: missing; give the layer sizes, input first, e.g. [2, 3, 1]")
    layers = d["layers"]
    text = layers[0] if isinstance(layers, list) and len(layers) == 1 else None
    words = text.split() if isinstance(text, str) else []
    if len(words) > 1 and all(_NUMBER_WORD.fullmatch(w) for w in words):  # [2 3 1]: YAML read '2 3 1' as text
        raise ConfigError(f"network.layers: {_shown(layers)} is a list of one text, {_shown(text)} (YAML reads sizes "
                          f"separated by spaces as one text): separate them with commas, [{', '.join(words)}]")
    if not isinstance(layers, list):
        raise ConfigError(f"network.layers: {_shown(layers)} must be a list of sizes like [2, 3, 1], "
                          f"not {_a_type_name(layers)}")
    if len(layers) < 2:
        raise ConfigError(f"network.layers: {_shown(layers)} needs at least 2 sizes (input and output)")
    sizes = tuple(_int(n, f"network.layers[{i}]", 1) for i, n in enumerate(layers))
    n_hidden = len(sizes) - 2
    if HIDDEN_ONLY in d and d[HIDDEN_ONLY] is None:  # --set network.hidden_activation=null: unset, as KEY=null is
        d = {k: v for k, v in d.items() if k != HIDDEN_ONLY}
    given = set(d)
    clash = None
    if HIDDEN_ONLY in d:  # the hidden layers' only: read as network.activation where the output's is given
        if "activation" in d:
            raise _twice("network.activation", f"network.{HIDDEN_ONLY}", "network.activation")
        if d.get("output_activation") is None:  # raised once its value passed its own checks (below): a hint
            clash = ConfigError(                  # never says 'write activation: reluu' (or softmax)
                f"network.{HIDDEN_ONLY}: {_shown(d[HIDDEN_ONLY])} is the hidden layers' only, but here the output "
                "layer has no activation of its own: network.activation (the hidden layers') sets the output's "
                "too unless network.output_activation is given",
                "add output_activation: sigmoid (softmax for several classes, linear for regression), or write "
                f"activation: {_shown(d[HIDDEN_ONLY])} for the output too")
        d = {**{k: v for k, v in d.items() if k != HIDDEN_ONLY}, "activation": d[HIDDEN_ONLY]}
    field = f"network.{HIDDEN_ONLY if HIDDEN_ONLY in given else 'activation'}"  # errors name the key written
    act = d.get("activation", "sigmoid")
    out, out_field = d.get("output_activation"), "network.output_activation"
    listed_out = clash is None and isinstance(act, list) and len(act) == n_hidden + 1 and out is None
    if listed_out:
        # one name per layer, the output's last ([relu, sigmoid] for 2-3-1), as Keras lists its layers
        act, out, out_field = act[:-1], act[-1], f"network.activation[{n_hidden}] (the output layer's)"
    if isinstance(act, list):
        if len(act) != n_hidden:
            names = f"{field}: {plural(len(act), 'name')} for {plural(n_hidden, 'hidden layer')}"
            if field != "network.activation":  # the hidden layers' only: one name per hidden layer, no other way
                one = (f"one name without brackets ({_shown(act[0])}, for every hidden layer)"
                       if len(act) == 1 and isinstance(act[0], str) else
                       "one name, for all of them" if n_hidden > 1 else "one name")
                raise ConfigError(f"{names}; give {one}" + (f", or one per hidden layer ({n_hidden})"
                                                            if n_hidden > 1 else ""), depends_on=("network.layers",))
            if len(act) == n_hidden + 1:
                raise ConfigError(f"{names} and network.output_activation is set; give one per hidden layer "
                                  f"with it, or one per layer (the output's last) without it",
                                  depends_on=("network.layers", "network.output_activation"))
            one = (f"one name without brackets ({_shown(act[0])}, for every hidden layer)"
                   if len(act) == 1 and isinstance(act[0], str) else "one name")
            raise ConfigError(f"{names}; give {one}, one per hidden layer ({n_hidden}), or one per layer, "
                              f"the output's last ({n_hidden + 1})", depends_on=("network.layers",))
        activation: str | tuple[str, ...] = tuple(
            activation_name(a, f"{field}[{i}]", hidden=True) for i, a in enumerate(act)
        )
    elif hidden_only_output(act) and n_hidden == 0 and field == "network.activation":
        # no hidden layer: one name sets the output's alone, softmax too (as Network([4, 3], activation="softmax"))
        activation = ()
        if out is None:
            out, out_field = act, field
    else:
        if hidden_only_output(act):
            raise ConfigError(
                f"{field}: {_shown(act)} is allowed only as network.output_activation "
                f"(hidden layers: {', '.join(HIDDEN_ACTIVATIONS)})"
            )
        activation = activation_name(act, field, hidden=True)
    if clash is not None:
        raise clash
    if out is not None or listed_out:  # [relu, null]: an entry of no name, as [null, sigmoid]'s first
        out = activation_name(out, out_field)
    elif not isinstance(activation, str) and not activation:
        out = "sigmoid"
    return NetworkConfig(
        layers=sizes,
        activation=activation,
        output_activation=out,
        init=_choice(d.get("init", "auto"), "network.init", INITS, elsewhere=_INIT_ELSEWHERE),
        weights=None if d.get("weights") is None else _weights(d["weights"], sizes),
        biases=None if d.get("biases") is None else _biases(d["biases"], sizes),
    )


# --- network.weights and network.biases: a hand-worked example's parameters ---------------

def _layers_shown(sizes: tuple[int, ...]) -> str:
    shown = list(sizes) if len(sizes) <= 8 else [*sizes[:4], "…", *sizes[-2:]]
    return f"network.layers [{', '.join(map(str, shown))}]"


def _neurons(sizes: tuple[int, ...], l: int) -> str:
    """``layer 1 has 3 neurons``; layer 0 is the input."""
    return f"layer {l}{' (the input)' if l == 0 else ''} has {plural(sizes[l], 'neuron')}"


def _w_shape(sizes: tuple[int, ...], l: int) -> str:
    """``w^(1) is 3×2 (n_1 × n_0: a list of 3 rows, one per neuron j of layer 1, each of 2 numbers
    w_jk, one per neuron k of layer 0), e.g. [[w_00, w_01], …]``."""
    rows, cols = sizes[l], sizes[l - 1]
    text = (f"w^({l}) is {rows}×{cols} (n_{l} × n_{l - 1}): a list of {plural(rows, 'row')}, one per neuron j "
            f"of layer {l}, each a list of {plural(cols, 'number')} w_jk, one per neuron k of layer {l - 1}")
    if rows <= 3 and cols <= 3:
        example = ", ".join("[" + ", ".join(f"w_{j}{k}" for k in range(cols)) + "]" for j in range(rows))
        text += f", e.g. [{example}]"
    return text


def _numbers(values: list[Any]) -> str:
    return ", ".join(_shown(v) for v in values)


def _is_number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _entries(v: list[Any], noun: str, nouns: str | None = None) -> str:
    """What a list of the wrong count holds, for "…, but network.layers … has 2 weight layers":
    ``4 matrices`` (``noun``, each a list of lists; for the biases ``4 lists``), ``a list of 4
    numbers``, ``a list of 3 lists of numbers (rows, as of one matrix)`` (where matrices belong),
    ``3 entries (1 list, 2 numbers)``: '4 matrices' said of four numbers named them as what they were not."""
    def kind(x: Any) -> str:
        if _is_number(x):
            return "number"
        if isinstance(x, list):
            if noun == "matrix" and x and plain_list(x):
                return "list of numbers"
            return noun
        return _type_name(x)

    kinds = [kind(x) for x in v]
    if len(set(kinds)) == 1:
        if kinds[0] == noun:
            return plural(len(v), noun, nouns)
        if kinds[0] == "list of numbers":
            return f"a list of {plural(len(v), 'list of numbers', 'lists of numbers')} (rows, as of one matrix)"
        return f"a list of {plural(len(v), kinds[0])}"
    counts = {k: kinds.count(k) for k in dict.fromkeys(kinds)}
    return f"{plural(len(v), 'entry', 'entries')} (" + ", ".join(
        plural(n, k, nouns if k == noun else "lists of numbers" if k == "list of numbers" else None)
        for k, n in counts.items()) + ")"


def _transposed(m: Any, sizes: tuple[int, ...], l: int) -> list[list[Any]] | None:
    """w^(l) given with the shape of its transpose, n_{l-1} × n_l (inputs × outputs, the W of seed
    001's Z = XW): its transpose; None for any other shape (a square w^(l)'s transpose has its shape:
    nothing to tell it by)."""
    rows, cols = sizes[l], sizes[l - 1]
    if rows == cols or not isinstance(m, list) or len(m) != cols or not all(
            isinstance(r, list) and len(r) == rows for r in m):
        return None
    return [[r[j] for r in m] for j in range(rows)]


def _transposed_hint(v: list[Any], sizes: tuple[int, ...], l: int, unwrapped: bool = False) -> str | None:
    """That w^(l), ``v[l - 1]``, looks transposed, and its transpose to give where it is small; the
    same of the layers after it given so (seed 001's layout is every layer's). ``unwrapped``: ``v`` is
    the one matrix of a one-layer network given bare, not in the list of one matrix per layer, so the
    transpose to give is in that list."""
    t = _transposed(v[l - 1], sizes, l)
    if t is None:
        return None
    rows, cols = sizes[l], sizes[l - 1]
    hint = f"{looks_transposed(l, rows, cols)}: give its transpose"
    if unwrapped:
        hint += ", in a list (one matrix per layer)"
    if rows * cols <= 12:
        hint += (": " if unwrapped else ", ") + _shown([t] if unwrapped else t)
    later = [i for i in range(l + 1, len(sizes)) if _transposed(v[i - 1], sizes, i) is not None]
    if later:
        hint += "; " + " and ".join(f"network.weights[{i - 1}]" for i in later) + (
            " look" if len(later) > 1 else " looks") + " transposed too"
    return hint


def _weights(v: Any, sizes: tuple[int, ...]) -> tuple[tuple[tuple[float, ...], ...], ...]:
    """``network.weights``: one matrix per layer l = 1..L, ``[j][k]`` = w_jk^(l), n_l rows of
    n_{l-1} numbers each. Each error names the exact place (``network.weights[1][0][2]``)."""
    L = len(sizes) - 1
    shapes = ", ".join(f"w^({l}) {sizes[l]}×{sizes[l - 1]}" for l in range(1, min(L, 4) + 1)) + (", …" if L > 4 else "")
    if not isinstance(v, list):
        raise ConfigError(f"network.weights: {_shown(v)} must be a list of {plural(L, 'matrix', 'matrices')}, "
                          f"one per layer, layer 1 first ({shapes}), not {_a_type_name(v)}")
    if len(v) != L:
        given, fix, hint = _entries(v, "matrix", "matrices"), "", None
        if L == 1 and v and all(_is_number(x) for x in v) and sizes[1] == 1 and len(v) == sizes[0]:
            fix = f": write [[[{_numbers(v)}]]]"  # w^(1) of [2, 1] as its one row: two levels short
        elif L == 1 and matrix(v) and len(v) == sizes[1] and all(len(row) == sizes[0] for row in v):
            fix = f": write [{_shown(v)}]"  # the one matrix, not in a list of one matrix per layer
        elif L == 1 and matrix(v):  # the one matrix, bare, in seed 001's layout (Z = XW): n_0 × n_1
            hint = _transposed_hint([v], sizes, 1, unwrapped=True)
        raise ConfigError(f"network.weights: {given}, but {_layers_shown(sizes)} has {plural(L, 'weight layer')} "
                          f"({shapes}); give one matrix per layer, each a list of rows, layer 1 first{fix}",
                          hint, depends_on=("network.layers",))
    out = []
    for l, m in enumerate(v, start=1):
        path, rows, cols = f"network.weights[{l - 1}]", sizes[l], sizes[l - 1]
        flat = isinstance(m, list) and bool(m) and plain_list(m)  # numbers where rows belong
        number = isinstance(m, (int, float)) and not isinstance(m, bool)
        if rows == 1 and (number and cols == 1 or flat and len(m) == cols):  # one level short
            given = m if isinstance(m, list) else [m]
            raise ConfigError(f"{path}: {_shown(m)} is {'a list of numbers' if flat else _a_type_name(m)}, but "
                              f"w^({l}) is a {rows}×{cols} matrix, a list of rows: write [[{_numbers(given)}]]")
        if not isinstance(m, list) or flat:
            what = "a list of numbers, not of rows" if flat else f"not {_a_type_name(m)}"
            raise ConfigError(f"{path}: {_shown(m)} is {what}; {_w_shape(sizes, l)}")
        if len(m) != rows:
            raise ConfigError(f"{path}: {plural(len(m), 'row')}, but {_neurons(sizes, l)}; {_w_shape(sizes, l)}",
                              _transposed_hint(v, sizes, l), depends_on=("network.layers",))
        matrix_rows = []
        for j, row in enumerate(m):
            where = f"{path}[{j}]"
            if not isinstance(row, list):
                raise ConfigError(f"{where}: {_shown(row)} must be row {j} of w^({l}), a list of "
                                  f"{plural(cols, 'number')} (w_{j}k, one per neuron k of layer {l - 1}), "
                                  f"not {_a_type_name(row)}")
            if len(row) != cols:
                raise ConfigError(f"{where}: {plural(len(row), 'number')}, but {_neurons(sizes, l - 1)}; row {j} "
                                  f"of w^({l}) holds w_{j}k^({l}), one weight per neuron k of layer {l - 1}",
                                  depends_on=("network.layers",))
            matrix_rows.append(tuple(_float(x, f"{where}[{k}]") for k, x in enumerate(row)))
        out.append(tuple(matrix_rows))
    return tuple(out)


def _biases(v: Any, sizes: tuple[int, ...]) -> tuple[tuple[float, ...], ...]:
    """``network.biases``: one list of n_l numbers per layer l = 1..L."""
    L = len(sizes) - 1
    shapes = ", ".join(f"b^({l}) {plural(sizes[l], 'number')}" for l in range(1, min(L, 4) + 1)) + (
        ", …" if L > 4 else "")
    if not isinstance(v, list):
        raise ConfigError(f"network.biases: {_shown(v)} must be a list of {plural(L, 'list')} of numbers, "
                          f"one per layer, layer 1 first ({shapes}), not {_a_type_name(v)}")
    if len(v) != L:
        fix = ""
        if v and all(_is_number(x) for x in v) and len(v) == sum(sizes[1:]) and len(v) <= 12:
            # every bias of the network in one list: split it, layer by layer (b^(1) first, neuron j in order)
            starts = [sum(sizes[1:l]) for l in range(1, L + 2)]
            fix = ": " + _shown([v[starts[l]:starts[l + 1]] for l in range(L)])
        raise ConfigError(f"network.biases: {_entries(v, 'list')}, but {_layers_shown(sizes)} has "
                          f"{plural(L, 'weight layer')} ({shapes}); give one list per layer, layer 1 first{fix}",
                          depends_on=("network.layers",))
    out = []
    for l, b in enumerate(v, start=1):
        path, n = f"network.biases[{l - 1}]", sizes[l]
        if not isinstance(b, list):
            number = isinstance(b, (int, float)) and not isinstance(b, bool)
            fix = f"write [{_numbers([b])}]" if number and n == 1 else \
                f"give a list of {plural(n, 'number')}, one per neuron of layer {l}"
            raise ConfigError(f"{path}: {_shown(b)} is {_a_type_name(b)}, but b^({l}) is a list of "
                              f"{plural(n, 'number')}: {fix}")
        if len(b) != n:
            raise ConfigError(f"{path}: {plural(len(b), 'number')}, but {_neurons(sizes, l)}; b^({l}) is a list "
                              f"of {plural(n, 'number')} b_j, one per neuron j of layer {l}",
                              depends_on=("network.layers",))
        out.append(tuple(_float(x, f"{path}[{j}]") for j, x in enumerate(b)))
    return tuple(out)


def _check_dtype_range(network: NetworkConfig, dtype: str) -> None:
    """Given weights and biases must fit the training dtype: float32 holds |x| up to 3.4e38."""
    if dtype != "float32":
        return
    limit = 3.4028234663852886e38  # np.finfo(np.float32).max; beyond it a value rounds to inf
    for name, layers in (("weights", network.weights), ("biases", network.biases)):
        for l, layer in enumerate(layers or ()):
            for j, row in enumerate(layer):
                for k, x in enumerate(row if name == "weights" else [row]):
                    if abs(x) > limit:
                        at = f"[{l}][{j}][{k}]" if name == "weights" else f"[{l}][{j}]"
                        raise ConfigError(
                            f"network.{name}{at}: {_shown(x)} is beyond float32's range (|x| up to {limit:.3g}) and "
                            "training.dtype is float32; give a smaller number, or training.dtype: float64",
                            depends_on=("training.dtype",))


def _validate_training(d: dict[str, Any]) -> TrainingConfig:
    from .optimizers import OPTIMIZERS, SCHEDULES

    T = TrainingConfig
    lr = _float(given := d.get("learning_rate", T.learning_rate), "training.learning_rate", "greater than 0")
    if lr <= 0:
        raise ConfigError(f"training.learning_rate: {_shown(given)} must be greater than 0")
    bs = d.get("batch_size", T.batch_size)
    if isinstance(bs, str):
        if canonical_name(bs, ("full",)) is None:
            near = did_you_mean(bs, ("full",))
            if near is None and _NUMBER_TEXT.fullmatch(bs.strip()):  # "16", quoted: '… is not … (string)', as
                # every other field's number in quotes is told ('16' must be a positive whole number read as nonsense)
                raise _not_a_number(bs, "training.batch_size", 'a positive whole number or "full"')
            raise ConfigError(f"training.batch_size: {_shown(bs)} must be a positive whole number or \"full\""
                              f"{f' ({near})' if near else ''}")
        batch_size = None
    else:  # what is allowed said in the words a typo of full gets: '-1 must be at least 1' left "full" out
        allowed = 'a positive whole number or "full"'
        if isinstance(bs, bool) or not isinstance(bs, (int, float)) or (isinstance(bs, float) and not bs.is_integer()):
            raise _not_a_number(bs, "training.batch_size", allowed)
        if bs < 1:
            raise ConfigError(f"training.batch_size: {_shown(bs)} must be {allowed}")
        batch_size = _int(bs, "training.batch_size", 1)

    def opt_int(key: str, minimum: int) -> int | None:
        v = d.get(key, getattr(T, key))
        return None if v is None else _int(v, f"training.{key}", minimum)

    def num(key: str, low: float, high: float | None = None, low_open: bool = False,
            high_open: bool = True) -> float:
        if high is not None:
            rng = f"in {'(' if low_open else '['}{low:g}, {high:g}{')' if high_open else ']'}"
        else:
            rng = f"greater than {low:g}" if low_open else f"at least {low:g}"
        v = _float(given := d.get(key, getattr(T, key)), f"training.{key}", rng.replace("at least", "of at least"))
        too_low = v <= low if low_open else v < low
        too_high = high is not None and (v >= high if high_open else v > high)
        if too_low or too_high:
            raise ConfigError(f"training.{key}: {_shown(given)} must be {rng}")
        return v

    return TrainingConfig(
        learning_rate=lr,
        epochs=_int(d.get("epochs", T.epochs), "training.epochs", 1, MAX_EPOCHS,
                    " (each epoch's figures are kept, in memory and in the run's files)"),
        batch_size=batch_size,
        shuffle=_bool(d.get("shuffle", T.shuffle), "training.shuffle"),
        dtype=_choice(d.get("dtype", T.dtype), "training.dtype", DTYPES, _DTYPE_ALIASES, _DTYPE_ELSEWHERE),
        log_every=opt_int("log_every", 1),
        optimizer=_choice(d.get("optimizer", T.optimizer), "training.optimizer", tuple(OPTIMIZERS),
                          elsewhere=_OPTIMIZER_ELSEWHERE),
        momentum=num("momentum", 0.0, 1.0),
        nesterov=_bool(d.get("nesterov", T.nesterov), "training.nesterov"),
        beta1=num("beta1", 0.0, 1.0),
        beta2=num("beta2", 0.0, 1.0),
        epsilon=num("epsilon", 0.0, low_open=True),
        l2=num("l2", 0.0),
        schedule=_choice(d.get("schedule", T.schedule), "training.schedule", tuple(SCHEDULES),
                         elsewhere=_SCHEDULE_ELSEWHERE),
        step_size=_int(d.get("step_size", T.step_size), "training.step_size", 1),
        gamma=num("gamma", 0.0, 1.0, low_open=True, high_open=False),
        power_t=num("power_t", 0.0),
        early_stopping=_bool(d.get("early_stopping", T.early_stopping), "training.early_stopping"),
        patience=_int(d.get("patience", T.patience), "training.patience", 1),
        min_delta=num("min_delta", 0.0),
        checkpoint_every=opt_int("checkpoint_every", 1),
    )


def check_training(settings: TrainingConfig) -> TrainingConfig:
    """ConfigError for a ``TrainingConfig`` built in Python whose values a config file could not
    hold (η ≤ 0, a batch size of 0, an unknown optimizer, …), named as in a config file's
    ``training`` section: the dataclass itself checks nothing. ``dtype`` may be what
    ``Network(dtype=...)`` takes (np.float32, np.dtype("float32"), float). Returns the settings
    as a config file gives them: numpy numbers as Python's, a whole float where a count belongs
    (batch size 2.0) as the int, ``dtype`` by its name."""
    from dataclasses import fields

    from .network import _dtype_name

    raw = {}
    for f in fields(TrainingConfig):
        v = getattr(settings, f.name)
        # numpy scalars (not np.float32 itself, a class whose item() needs an instance)
        raw[f.name] = v.item() if hasattr(v, "item") and not isinstance(v, (str, bytes, type)) else v
    if raw["batch_size"] is None:
        raw["batch_size"] = "full"
    raw["dtype"] = _dtype_name(raw["dtype"])
    return _validate_training(raw)


def _copy_sections(raw: dict[Any, Any]) -> dict[Any, Any]:
    """A copy of the top level and of each section, the only levels overrides write to.

    Deeper values are shared, not copied: YAML aliases can make a document whose full
    copy would be exponentially large (or infinite, for a list that contains itself).
    """
    return {k: dict(v) if isinstance(v, dict) else v for k, v in raw.items()}


__all__ = [
    "BackpropError", "Config", "ConfigError", "DataConfig", "NetworkConfig", "TrainingConfig",
    "check_training", "config_from_dict", "default_config_text", "load_config", "parse_yaml", "set_path",
    "shown_value", "unused_settings", "early_stopping_note",
]
