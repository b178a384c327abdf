"""From a validated config to everything a command needs: data, splits, network.

Randomness: one ``np.random.SeedSequence(config.seed)`` is split into independent
streams for data generation, the train/test split, weight initialisation and
shuffling, so changing one of them (say, the data set size) leaves the others alone.

Memory: before any large array exists, ``prepare`` estimates what the command will
allocate (:func:`training_footprint`, or a command's own such as
:func:`gradcheck_footprint`, :func:`explain_footprint`) and refuses, naming the field, the estimate and the limit,
when it exceeds :data:`MEMORY_FRACTION` of the machine's memory. It checks twice: from the
config alone before the data is loaded or generated (a built-in set's split sizes follow from it,
:func:`split_rows`; a file's are unknown), and again with the real split sizes.
"""

from __future__ import annotations

import os
import re
from decimal import Decimal
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any
from pathlib import Path

import numpy as np

from .config import Config, _a_cause, blame
from .costs import rows_outside_domain
from .data import (DATA_SUFFIXES, GENERATORS, Dataset, Standardizer, class_indices, data_digest, file_problem,
                   generate, held_out_rows, load_file, train_test_split)
from .errors import ConfigError, DataError
from .names import shown
from .network import SEED_STREAMS, Network, seed_stream
from .wording import plural

#: A run is refused when its estimated memory is above this share of the machine's memory
#: (the estimate leaves out the data set itself, Python and numpy's own overhead).
MEMORY_FRACTION = 0.5
#: Assumed when the machine's memory cannot be read (no ``os.sysconf``, e.g. on Windows).
FALLBACK_MEMORY = 8 * 2**30


@dataclass(frozen=True)
class Streams:
    data: np.random.Generator
    split: np.random.Generator
    init: np.random.Generator
    shuffle: np.random.Generator

    @classmethod
    def from_seed(cls, seed: int) -> Streams:
        return cls(**{name: seed_stream(seed, name) for name in SEED_STREAMS})


@dataclass(frozen=True)
class Experiment:
    """A config made concrete: the (standardized) splits and a fresh network."""

    config: Config
    train: Dataset
    test: Dataset | None
    standardizer: Standardizer | None
    net: Network
    streams: Streams
    val: Dataset | None = None  # held out of the training split for early stopping
    # data.digest of the whole data set read from data.path (prepare(digest=True)); None for a
    # built-in generator, which the config and seed determine
    data_digest: str | None = None


def _path_hint(config: Config, path: Path, problem: str, given: bool) -> str | None:
    """The hint on a data.path that cannot be read: where a relative one is read from; for an absolute one
    (or one from ~), read as written, the first of its folders that does not exist, or the data files in
    its folder."""
    written = getattr(config, "path_as_written", None)
    if written is None or (_stored(config.source) and not given) or not Path(written).expanduser().is_absolute():
        return _relative_hint(config.source, given)
    if problem != "no such file":
        return None
    home = written.split("/", 1)[0]
    how = f"{home} is the home folder {Path(home).expanduser()}" if written.startswith("~") else \
        "an absolute data.path is read as written"
    try:
        missing = path
        while missing.parent != missing and not missing.parent.exists():
            missing = missing.parent
        if missing != path:
            return f"{how}, and the folder {missing} does not exist"
        files = sorted(p.name for p in path.parent.iterdir() if p.suffix.lower() in DATA_SUFFIXES and p.is_file())
    except OSError:
        return None
    if not files:
        return f"{how}; {path.parent} holds no data file ({', '.join(DATA_SUFFIXES)})"
    shown_files = ", ".join(files[:6]) + (f", … ({len(files)} files)" if len(files) > 6 else "")
    return f"{how}; the data files in {path.parent}: {shown_files}"


def _stored(source: str) -> bool:
    """Is ``source`` a model's stored config: ``run/model.npz (stored config)``, or ``… (stored config,
    changed by --set)`` under a --set or option (``… changed by the command's options``)?"""
    return re.search(r" \(stored config(, changed by [^()]*)?\)$", source) is not None


def _relative_hint(source: str, given: bool = False) -> str:
    if given:  # by a --set: typed on the command line
        return f"a relative data.path given with --set is read from the current folder ({Path.cwd()})"
    if _stored(source):  # a model's: its data.path was stored resolved
        return ("a model stores the absolute path of the file it was trained on; the file has moved or "
                "been removed since")
    if not Path(source).is_file():  # the built-in default, a model's stored config
        return f"a relative data.path is read from the current folder ({Path.cwd()})"
    return (f"a relative data.path is read from the config file's folder ({Path(source).resolve().parent}), "
            "one given with --set from the current folder")


def load_dataset(config: Config, rng: np.random.Generator) -> Dataset:
    """The whole data set the config names (built-in generator or file).

    ``data.path`` was resolved relative to the config file; a missing file is reported
    with that resolved path and the config it came from.
    """
    d = config.data
    if d.path is not None:
        path = Path(d.path)
        problem = file_problem(path)
        if problem is not None:
            given = "data.path" in dict(getattr(config, "given_by", ()))
            raise blame(config, DataError(f"data.path: {path}: {problem}", _path_hint(config, path, problem, given)),
                        "data.path")
        if path.suffix.lower() not in DATA_SUFFIXES:  # as load_file would say, naming the config and field
            what = f"files ending in {path.suffix!r} are not supported" if path.suffix else \
                "the name has no suffix to tell the file's kind"
            raise blame(config, DataError(f"data.path: {path}: {what}; use one of: {', '.join(DATA_SUFFIXES)}"),
                        "data.path")
        try:
            return load_file(path, target=list(d.target) if d.target else None, task=d.task,
                             features=list(d.features) if d.features else None)
        except DataError as e:  # a column data.target or data.features names, data.task's reading of it: their --set
            field = _file_field(e)
            if field is None:
                inputs = _input_field(config, e)
                if inputs is None:
                    raise
                # a text column read as an input because data.target (or data.features) made it one: that --set,
                # where without it the column would not be one (not --set data.target=y, the config's own target)
                raise blame(config, e, inputs, config_named=False,
                            same=None if inputs == "data.features" else _still_an_input(config, e)) from None
            also = ("data.path", "data.task") if field == "data.target" and getattr(e, "target_choice", False) else \
                tuple(f for f in _DATA_FIELDS[True] if f != field)
            raise blame(config, e, field, also, config_named=False) from None
    assert d.dataset is not None  # validated: one of dataset/path is set
    try:
        return generate(d.dataset, rng, n_samples=d.n_samples, noise=d.noise, classes=d.classes)
    except DataError as e:  # a data.* field the built-in set cannot take: name the config, or the --set
        field = e.message.split(":", 1)[0]
        raise blame(config, e, field if field.startswith("data.") else None, _DATA_FIELDS[False]) from None


#: The fields that decide the data (for a file, [True]; a built-in set, [False]): their --set, named with
#: the config when the data do not fit the config's other fields (``blame``).
_DATA_FIELDS = {True: ("data.path", "data.target", "data.features", "data.task"),
                False: ("data.dataset", "data.n_samples", "data.noise", "data.classes")}


def _an_input(config: Config, column: str, header: tuple[str, ...]) -> bool:
    """Is ``column`` of a data file with the columns ``header`` an input in ``config``: one data.features
    lists, else one no target is (data.target's, else the last column)?"""
    d = config.data
    if d.features is not None:
        return column in {f.strip() for f in d.features}
    return column not in ({t.strip() for t in d.target} if d.target is not None else set(header[-1:]))


def _still_an_input(config: Config, error: DataError) -> Callable[[Config], bool]:
    """``blame``'s ``same`` for the text column of a data file's ``error``: is it an input of that file
    in another config too (one without a --set data.target)?"""
    column, header, path = error.text_column, getattr(error, "columns", ()), config.data.path  # type: ignore[attr-defined]
    return lambda other: other.data.path == path and _an_input(other, column, header)


def _input_field(config: Config, error: DataError) -> str | None:
    """The field that made the text or empty column of a data file's ``error`` an input: data.features
    where it lists the column, else data.target where it is given, leaves the column out and the column
    would not be an input under another target the user chose: none (the last column is the default
    target: ``data.target: sepal_length`` on iris makes species an input), or the config's own where a
    --set data.target changed it (``target: name`` in ``name,a,b,y`` under ``--set data.target=y``);
    else None (every such choice makes the column an input: ``target: y`` there, with or without ``--set
    data.target=y``; or the column holds numbers but in a few rows, which want fixing)."""
    column = getattr(error, "text_column", None)
    d = config.data
    if column is None or getattr(error, "mostly_numbers", False):
        return None
    if d.features is not None:
        return "data.features" if column in {f.strip() for f in d.features} else None
    if d.target is None or column in {t.strip() for t in d.target}:
        return None
    if getattr(error, "columns", ())[-1:] == (column,):  # the target without one
        return "data.target"
    # an input without a target too: data.target is to blame where a --set of it is a cause (blame's check)
    given = dict(getattr(config, "given_by", ()))
    return "data.target" if "data.target" in given and _a_cause(config, "data.target", _still_an_input(config, error)) \
        else None


def _file_field(error: DataError) -> str | None:
    """The data field a data file's error is about (``target column foo (data.target) not found``,
    ``column pixel_0: the target has only one class``, marked ``target_choice`` where it is raised:
    data.target), None for one about the file's own rows or format."""
    message = error.message
    if "(data.target) not found" in message or getattr(error, "target_choice", False):
        return "data.target"
    if "(data.features) not found" in message or " is in data.features and is " in message:
        return "data.features"
    if "(task regression needs numeric targets)" in message:
        return "data.task"
    return None


def _data_fields(config: Config, shape: bool = False) -> tuple[str, ...]:
    """The fields that decide ``config``'s data (``shape``: its inputs and outputs, which a built-in
    set's size and noise leave alone)."""
    fields = _DATA_FIELDS[config.data.path is not None]
    return tuple(f for f in fields if f not in ("data.n_samples", "data.noise")) if shape else fields


def _output_fields(config: Config) -> tuple[str, ...]:
    """The cost and the field that gives the output activation (network.activation where the output
    copies it)."""
    return ("cost", "network.output_activation" if config.network.output_activation is not None
            else "network.activation")


def _outputs_for_two_classes(config: Config, ds: Dataset) -> Dataset:
    """Two classes in one label column, shaped to the network's outputs. CSV labels come
    one-hot and the built-in two-class sets as one 0/1 column; a network with one output gets
    the 0/1 column (y = 1 for the second class, as the classes are sorted), one with two outputs
    the one-hot pair [1 − y, y] (softmax over two classes)."""
    if not (ds.task == "classification" and ds.class_names is not None and len(ds.class_names) == 2
            and len(ds.target_names) == 1):
        return ds
    if ds.n_outputs == 2 and config.network.layers[-1] == 1:
        return replace(ds, Y=np.ascontiguousarray(ds.Y[:, 1:]))
    if ds.n_outputs == 1 and config.network.layers[-1] == 2:
        return replace(ds, Y=np.hstack([1.0 - ds.Y, ds.Y]))
    return ds


def _one_row_csv(n_in: int, n_out: int) -> tuple[str, str, str]:
    """A one-example CSV for a network of n_in inputs and n_out outputs, as a hint writes it: its header
    (``x1,x2,y1,y2``; ``x,y`` for one of each), its row (seed 001's 0.05,0.10,0.01,0.99 for 2-…-2, targets
    summing to 1 for more outputs, which softmax with cross_entropy takes;
    ``then 794 numbers`` past a few columns) and data.target for it (``y``, ``[y1, y2]``)."""
    def names(stem: str, n: int) -> list[str]:
        return [stem] if n == 1 else [f"{stem}{i}" for i in range(1, n + 1)]
    xs, ys = names("x", n_in), names("y", n_out)
    target = ys[0] if n_out == 1 else f"[{', '.join(ys)}]" if n_out <= 4 else f"[{ys[0]}, {ys[1]}, …, {ys[-1]}]"
    if n_in + n_out > 6:
        def cut(v: list[str]) -> list[str]:
            return v if len(v) <= 3 else [v[0], v[1], "…", v[-1]]
        return ",".join(cut(xs) + cut(ys)), f"{n_in + n_out} numbers", target
    x_values = [0.7] if n_in == 1 else [0.05 * (i + 1) for i in range(n_in)]  # 0.05, 0.1, 0.15, …
    # seed 001's 0.01, 0.99 for two outputs; for more, a row that sums to 1, as softmax with cross_entropy needs
    y_values = [0.9] if n_out == 1 else [0.01, round(1 - 0.01 * (n_out - 1), 2)] + [0.01] * (n_out - 2)
    row = ",".join(f"{v:g}" for v in x_values + y_values)
    return ",".join(xs + ys), row, target


#: The data fields that decide the data's inputs ([0]) and outputs ([-1]), which network.layers[0] and
#: network.layers[-1] must match: a --set of one is named with the layers' (one of the others changed
#: nothing there: data.features under outputs that do not fit, data.classes under inputs).
_SHAPE_FIELDS = (("data.path", "data.features", "data.target", "data.dataset"),
                 ("data.path", "data.target", "data.task", "data.dataset", "data.classes"))


def check_shapes(config: Config, ds: Dataset) -> None:
    """network.layers must start with the data's inputs and end with its outputs."""
    layers = config.network.layers
    what = f"{ds.source} has {plural(ds.n_inputs, 'input')} and {plural(ds.n_outputs, 'output')}"
    id_target = _id_target_hint(config, ds)
    own_data = None
    if (config.data.path is None and config.data.dataset == "xor" and config.network.weights is not None
            and not getattr(config, "data_named", True) and (layers[0], layers[-1]) != (2, 1)):
        # a hand-made network (seed 000's 1-1-1-1 chain, its weights given) in a config with no data: xor was used, and
        # "use layers: [2, …, 1]" told the learner to change the network rather than give its data
        sine = " (data.dataset: sine has 1 input and 1 output)" if (layers[0], layers[-1]) == (1, 1) else ""
        header, row, target = _one_row_csv(layers[0], layers[-1])
        own_data = ("xor is the data when a config names none; for your own example give a CSV "
                    f"with a header row and your rows (one is enough: {header} then {row}) as data: {{path: one.csv, "
                    f"target: {target}, task: regression, test_fraction: 0, standardize: false}}, or a built-in "
                    f"set{sine}; explain and gradcheck need no data for an example given with --x and --y")
    if layers[0] != ds.n_inputs:
        raise ConfigError(
            f"network.layers[0]: {layers[0]} does not match the data: {what}; "
            f"use layers: [{ds.n_inputs}, …, {ds.n_outputs}]", id_target or own_data,
            depends_on=_SHAPE_FIELDS[0],
        )
    if layers[-1] != ds.n_outputs:
        use = f"use layers: [{ds.n_inputs}, …, {ds.n_outputs}]"
        if (ds.task == "classification" and ds.class_names is not None and 2 < len(ds.class_names) <= 10
                and len(ds.target_names) == 1):  # a stray 'Cat' beside 'cat', a 'NA': seen with their rows
            counts = np.bincount(class_indices(ds.Y), minlength=len(ds.class_names)).tolist()
            use += (f" ({len(ds.class_names)} classes: "
                    + ", ".join(f"{shown(c)} {plural(k, 'row')}" for c, k in zip(ds.class_names, counts)) + ")")
        if (ds.task == "classification" and ds.class_names is not None and len(ds.class_names) == 2
                and len(ds.target_names) == 1):  # either works (_outputs_for_two_classes)
            use = (f"use layers: [{ds.n_inputs}, …, 1] for one 0/1 output, or [{ds.n_inputs}, …, 2] for the "
                   f"one-hot pair (2 classes: {', '.join(ds.class_names)})")
        hint = id_target or own_data
        if hint is not None:
            pass  # the last column, an id, is the target: neither regression nor its classes would help
        elif (config.data.task == "auto" and config.data.path is not None and ds.task == "classification"
                and ds.class_names is not None and len(ds.target_names) == 1 and layers[-1] == 1
                and len(ds.class_names) > 2 and all(_numeric(c) for c in ds.class_names)):
            # whole-number targets (prices, counts, 1.5e+200) are read as labels: with one output
            # asked for, they were most likely meant as a quantity, and [n, …, k] would be wrong
            hint = (f"the target column {shown(ds.target_names[0])} was read as {len(ds.class_names)} class labels "
                    f"(data.task: auto reads text and whole numbers as classes); to predict it as a "
                    f"number, set data.task: regression (--set data.task=regression)")
        elif config.data.task == "classification" and config.data.path is not None and _quantity_as_classes(ds):
            # a price read as classes because the config says so: [n, …, 120] would train 120 "classes"
            # of one row each (0% test accuracy), the advice the message alone gave
            assert ds.class_names is not None
            k = len(ds.class_names)
            hint = (f"the target column {shown(ds.target_names[0])} has {k:,} distinct values in "
                    f"{plural(ds.n_samples, 'row')} (read as {k:,} classes by data.task: classification); "
                    f"for a numeric target, set data.task: regression (--set data.task=regression)")
        elif config.data.path is not None and (per_row := class_per_row(ds)) is not None:
            # text labels (formatted numbers, ids, names) with a class for nearly every row: [n, …, 60]
            # for 60 rows was advised with no word that such a column is no label
            hint = per_row
        raise ConfigError(
            f"network.layers[-1]: {layers[-1]} does not match the data: {what}; "
            f"{use}", hint, depends_on=_SHAPE_FIELDS[-1],
        )
    if ds.n_samples:
        _check_target_domain(config, ds)


def layers_misfit(data: object, network: object, seed: int, source: str) -> ConfigError | None:
    """The ``check_shapes`` error of network.layers against the data the config names, for a config
    whose validation stopped at a rule about the output layer's width (softmax over 1 output): the
    data's outputs decide that width, so a mismatch with them is the real problem (iris, 3 classes,
    with --set network.layers=[4,8,1] was told softmax needs 2 or more outputs, for two classes).
    ``data``, ``network``: the validated config sections; None when the layers fit the data, or the data
    cannot be loaded (within the memory limit) here: the caller's own error stands then. The first
    mismatch found is returned (network.layers[0]'s, whose advice names the outputs too) only when the
    outputs do not fit."""
    from types import SimpleNamespace

    from .errors import BackpropError

    config: Any = SimpleNamespace(data=data, network=network, seed=seed, source=source)
    try:
        n = _generated_rows(config)
        check_memory(config, data_footprint(config, n, n))
        ds = _outputs_for_two_classes(config, load_dataset(config, Streams.from_seed(seed).data))
        if ds.n_outputs == config.network.layers[-1]:  # the width rule's advice stands (xor: [..., 2])
            return None
        check_shapes(config, ds)
    except ConfigError as e:
        if e.message.startswith("network.layers["):
            e.depends_on = ()  # config_from_dict names the --sets it depends on (_partners), not the config's data
            return e
        return None
    except (BackpropError, OSError, MemoryError):
        return None
    return None


def _quantity_as_classes(ds: Dataset) -> bool:
    """One target column of numbers read as classes that looks like a quantity: (nearly) a class
    per row (at least half as many classes as rows, and more than 2), or many (10 or more)
    classes that are not whole numbers (1.25, 0.733)."""
    names = ds.class_names
    if ds.task != "classification" or names is None or len(ds.target_names) != 1 or len(names) <= 2:
        return False
    if not all(_numeric(c) for c in names):
        return False
    fractional = sum(1 for c in names if not float(c).is_integer())
    return 2 * len(names) >= ds.n_samples or fractional >= 10


def _id_target_hint(config: Config, ds: Dataset) -> str | None:
    """When the target is a file's last column by default (no data.target) and its name says it
    holds ids (``id``, ``row_id``): the hint to name the target (label,a,b,c,id was told to use
    layers [4, …, 60], or data.task: regression, which trains on the id). None otherwise."""
    from .data import id_like

    if config.data.path is None or config.data.target is not None or len(ds.target_names) != 1:
        return None
    if not id_like(ds.target_names[0]):
        return None
    inputs = [f for f in ds.feature_names if not id_like(f)]
    return (f"the target is the last column, {shown(ds.target_names[0])}, as data.target is not given, and its name "
            f"says it holds ids; name the column to predict with data.target (and the inputs with data.features, "
            f"from {shown(inputs)})")


def class_per_row(ds: Dataset, n_rows: int | None = None) -> str | None:
    """When one target column read as classes has (nearly) a class per row (more than 2 classes, at
    least half as many as rows), what to say of it: such a column is a quantity or an id, not labels
    (without data.task: regression a price written as text, "1 100", trained one "class" per row
    with 0% test accuracy). ``n_rows``: the rows of the whole data set when ``ds`` is a split of it.
    None otherwise."""
    names = ds.class_names
    n = ds.n_samples if n_rows is None else n_rows
    if ds.task != "classification" or names is None or len(ds.target_names) != 1 or len(names) <= 2:
        return None
    if 2 * len(names) < n:
        return None
    from .data import id_like

    numeric = all(_numeric(c) for c in names) and not id_like(ds.target_names[0])
    return (f"the target column {shown(ds.target_names[0])} has {len(names):,} distinct values in "
            f"{plural(n, 'row')}, nearly a class per row: it looks like a quantity or an id, not class "
            f"labels; {'for a numeric target set data.task: regression' if numeric else 'check its cells'}, "
            "or name the label column with data.target")


def _numeric(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _check_target_domain(config: Config, ds: Dataset) -> None:
    """Targets beyond the cost's domain (``costs.rows_outside_domain``) are refused, naming the
    first such row, rather than trained on a "cost" that is not one (sine's targets in [−1, 1]
    under sigmoid + cross-entropy trained to −204) or, for softmax, on a gradient a − y that
    is not their cost's (multi-label 0/1 targets, scores)."""
    output = config.network.resolved_output_activation
    found = rows_outside_domain(config.cost, output, ds.Y)
    if found is None or not found[0].any():
        return
    mask, rule = found
    bad = np.flatnonzero(mask)
    i = int(bad[0])
    Y = np.asarray(ds.Y, dtype=np.float64)
    row = f"{ds.row_name(i)} is ({_row(Y[i])})" + (f", summing to {Y[i].sum():.6g}" if output == "softmax" else "")
    hint = ("use one-hot or probability targets, or sigmoid outputs (network.output_activation: sigmoid) "
            "for targets that are not one class per row") if output == "softmax" else (
            "for other targets use cost squared_error with a linear output (network.output_activation: "
            "linear), or scale the targets into [0, 1]")
    raise blame(config, DataError(f"{rule}, but {len(bad)} of {plural(len(Y), 'row')} of {ds.source} are not: "
                                  f"{row}", hint), also=(*_output_fields(config), *_data_fields(config)))


#: The costs that take any finite target (a regression's): beyond its output activation's range, a
#: target is legal but out of the network's reach (``target_range_warning``).
_UNBOUNDED_COSTS = ("squared_error", "half_squared_error")


def _beyond_output_range(config: Config, Y: Any) -> tuple[Any, str, str] | None:
    """The targets of ``Y`` (a mask) strictly beyond the closed range of the output activation
    (``activations.outside_range``) under a squared-error cost, with that range for a message
    (``the output activation sigmoid's range [0, 1]``, naming network.activation where the output
    copies it) and the advice; None where there are none, or the cost or activation sets no such
    range."""
    from .activations import ACTIVATIONS, outside_range

    if config.cost not in _UNBOUNDED_COSTS:
        return None
    name = config.network.resolved_output_activation
    act = ACTIVATIONS[name]
    if not act.bounded:
        return None
    bad = outside_range(act, Y)
    if not bad.any():
        return None
    if config.output_listed:  # one name per layer, the output's last: network.output_activation may not
        # be set beside it
        return (bad, f"the output activation {name}'s range {act.range_text} (the last name of network.activation, "
                "the output layer's)", "for regression, make the last name of network.activation linear")
    if config.network.output_activation is not None:
        return bad, f"the output activation {name}'s range {act.range_text}", _RANGE_ADVICE
    if len(config.network.layers) == 2:  # [1, 1] with activation: tanh: the name written is the output's own
        return (bad, f"the output activation {name}'s range {act.range_text} (network.activation: there is no "
                "hidden layer)", "for regression, set network.activation: linear")
    return (bad, f"the output activation {name}'s range {act.range_text} (copied from network.activation, as "
            "network.output_activation is not set)", _RANGE_ADVICE)


#: What ``target_range_warning`` and ``own_target_range_warning`` advise.
_RANGE_ADVICE = "for regression, set network.output_activation: linear"


def target_range_warning(config: Config, ds: Dataset) -> str | None:
    """A warning (without "warning: ") when targets of ``ds`` (the training split) lie strictly
    beyond the closed range of the output activation (``activations.outside_range``) under a
    squared-error cost, else None. Legal, and it can be meant (clipped targets), but the outputs
    cannot reach them: reg.csv's prices under the default sigmoid output trained to a cost of
    4.67 where a linear output gets 0.013, with no word of why. Cross-entropy's targets beyond
    [0, 1] are refused instead (``_check_target_domain``)."""
    found = _beyond_output_range(config, ds.Y) if ds.n_samples else None
    if found is None:
        return None
    bad, where, advice = found
    n = int(np.count_nonzero(bad))
    columns = ""
    if len(ds.target_names) == ds.Y.shape[1]:
        named = [ds.target_names[j] for j in np.flatnonzero(bad.any(axis=0))]
        columns = (f" (column {shown(named[0])})" if len(named) == 1 else
                   f" (columns {', '.join(shown(c) for c in named[:6])}{', …' if len(named) > 6 else ''})")
    return (f"{n:,} of {ds.Y.size:,} training targets{columns} lie outside {where}: the network cannot "
            f"reach them; {advice}")


def own_target_range_warning(config: Config, y: Any, option: str = "--y") -> str | None:
    """``target_range_warning`` for one example's target ``y`` given on the command line (``--y``):
    ``--y: y = (-3) lies outside the output activation sigmoid's range [0, 1]: …``. explain's C0
    of such a y has a floor the network cannot get under (13.56 for y = -3), which it showed
    without a word."""
    y = np.asarray(y, dtype=np.float64).reshape(-1)
    found = _beyond_output_range(config, y)
    if found is None:
        return None
    bad, where, advice = found
    values = f"y = ({', '.join(f'{v:g}' for v in y)})"
    n = int(np.count_nonzero(bad))
    what = (f"{values} lies" if y.size == 1 else
            f"{n} of the {y.size} targets of {values} {'lies' if n == 1 else 'lie'}")
    return f"{option}: {what} outside {where}: the network cannot reach {'it' if n == 1 else 'them'}; {advice}"


#: The output activations whose outputs read as class probabilities.
_PROBABILITY_OUTPUTS = ("sigmoid", "softmax")


def class_per_row_note(exp: Experiment) -> str | None:
    """:func:`class_per_row` for a run whose network.layers fit such a column's classes (60 outputs
    for 60 rows validated and trained without a word), of a data file's target with 10 classes or more."""
    if exp.config.data.path is None or exp.train.class_names is None or len(exp.train.class_names) < 10:
        return None  # a toy file of a few rows, a class each, is left alone
    n = sum(d.n_samples for d in (exp.train, exp.test, exp.val) if d is not None)
    return class_per_row(exp.train, n)


def auto_classes_note(config: Config, ds: Dataset) -> str | None:
    """A note (without "note: ") when ``data.task: auto`` read a file's target of whole numbers as
    class labels (the README's "Targets" rule) and the output activation is not one that gives
    probabilities (sigmoid, softmax): -1/+1 labels under a tanh output, or prices 100/200 under a
    linear one, were trained as 0/1 with no word of it, and predict printed ``score_1``. None when
    the recoding changes no value (labels 0 and 1 in one 0/1 column) or the task was chosen."""
    names = ds.class_names
    if (config.data.task != "auto" or config.data.path is None or ds.task != "classification"
            or names is None or len(ds.target_names) != 1 or not all(_numeric(c) for c in names)):
        return None
    output = config.network.resolved_output_activation
    if output in _PROBABILITY_OUTPUTS:
        return None
    k = len(names)
    if ds.n_outputs == 1:  # two classes in one 0/1 column
        if names == ("0", "1"):
            return None
        how = f"{names[0]} → 0, {names[1]} → 1"
    else:
        listed = ", ".join(names[:10]) + (", …" if k > 10 else "")
        how = f"{listed}; one 0/1 output each"
    return (f"data.target {shown(ds.target_names[0])}: whole numbers read as {k:,} classes ({how}) under "
            f"data.task: auto; with a {output} output, write data.task: regression to train on the values "
            "as written (data.task: classification keeps the classes)")


def one_hot_note(config: Config, ds: Dataset) -> str | None:
    """A note (without "note: ") when ``data.task: auto`` read a file's several target columns as
    classes, every row being one-hot (``data.one_hot_rows``): an .npz's ``y = np.eye(3)[labels]``, or a
    CSV's ``target: [setosa, versicolor, virginica]`` of 0s and 1s, were fit as numbers with no accuracy
    and no word of it. None otherwise (one target column, the task chosen, a built-in set)."""
    if (config.data.task != "auto" or config.data.path is None or ds.task != "classification"
            or len(ds.target_names) < 2 or ds.class_names is None):
        return None
    k = len(ds.class_names)
    where = (f"data.target [{', '.join(ds.target_names)}]" if config.data.target is not None
             else f"the targets of {ds.source} ({', '.join(ds.target_names[:4])}{', …' if k > 4 else ''})")
    classes = ", ".join(ds.class_names[:10]) + (", …" if k > 10 else "")
    return (f"{where}: every row is one-hot (a single 1, the rest 0), so data.task: auto reads the {k} columns as "
            f"{k} classes ({classes}), with accuracy and a stratified split; set data.task: regression to fit "
            "them as numbers")


def _check_target_size(config: Config, ds: Dataset) -> None:
    """Targets so large that the cost overflows even at an output of 0 (|y| near 1e154 squared;
    the trainer sums the costs of a batch and an epoch, so the sum over all rows counts) are
    refused, naming the largest: training them "diverged at epoch 1" whatever the learning rate,
    and the hint to lower it could not help."""
    from .costs import get_cost

    cost = get_cost(config.cost)
    if cost.name not in ("squared_error", "half_squared_error"):  # the others' targets are in [0, 1]
        return
    Y = np.asarray(ds.Y, dtype=np.float64)
    with np.errstate(over="ignore", invalid="ignore"):
        per_row = cost.fn(np.zeros_like(Y), Y)
        total = float(np.sum(per_row))
    if np.isfinite(total):
        return
    i, j = (int(t) for t in np.unravel_index(int(np.argmax(np.abs(Y))), Y.shape))
    name = ds.target_names[j] if j < len(ds.target_names) else f"y{j}"
    raise blame(config, DataError(
        f"the targets of {ds.source} are too large for the cost {config.cost}: summed over "
        f"its {plural(len(Y), 'row')} it overflows even for outputs of 0 (column {shown(name)} holds "
        f"{Y[i, j]:g}), so training could only diverge",
        "scale the target column down, e.g. divide it by a power of ten until |y| is far below 1e+150",
    ), also=("cost", *_data_fields(config)))


def _check_fits(config: Config, ds: Dataset, dtype: str) -> None:
    """A DataError naming the column when the split ``ds`` holds a number beyond ``dtype``'s range
    (float32: ±3.4e38), which the cast would turn into inf: it was refused as 'train_set.Y: row 0
    holds NaN or an infinite value', the Python API's name, after numpy's overflow warning."""
    top = float(np.finfo(dtype).max)
    for arr, names, what in ((ds.X, ds.feature_names, "input"), (ds.Y, ds.target_names, "target")):
        a = np.asarray(arr)
        if a.size == 0 or a.dtype == np.dtype(dtype):
            continue
        if not (float(a.max()) > top or float(a.min()) < -top):  # two reductions, no copy of a big X
            continue
        big = np.abs(a) > top
        if big.any():
            i, j = (int(t) for t in np.argwhere(big)[0])
            name = names[j] if j < len(names) else f"{what} {j}"
            scale = ("" if what == "target" or not config.data.standardize else
                     " (after standardization)")
            raise blame(config, DataError(
                f"training.dtype: {dtype} cannot hold {ds.source}'s {what} column "
                f"{shown(name)}: it has {a[i, j]:g}{scale}, beyond {dtype}'s ±{top:.3g}",
                "use training.dtype: float64, or scale the column down",
            ), "training.dtype", (*_data_fields(config), "data.standardize"))


def _row(y: np.ndarray) -> str:
    shown = ", ".join(f"{v:g}" for v in y[:6])
    return shown + (", …" if len(y) > 6 else "")


def prepare(
    config: Config,
    net: Network | None = None,
    standardizer: Standardizer | None = None,
    footprint: Footprint | None = None,
    training_dtype: bool = False,
    digest: bool = False,
    own_example: bool = False,
    trained_on: Callable[[str, Dataset], None] | None = None,
) -> Experiment:
    """Load the data, split, standardize, build the net (or use ``net``).

    Standardization statistics come from the training split only, or are
    ``standardizer`` when given (a trained model's own scaling).

    ``training_dtype``: hold the splits in ``training.dtype`` (what ``backprop train``
    does), each cast once after standardizing in float64; otherwise they stay float64. It also
    refuses targets whose squared error overflows summed over the rows (``_check_target_size``):
    training them could only diverge, while explain and gradcheck judge the rows they take.

    ``digest``: fingerprint data read from a file (``Experiment.data_digest``), which model
    files and checkpoints store.

    ``own_example``: the command takes an example given on its command line (--x and --y), not
    the data's; network.layers not fitting the data the config names is refused still, and the
    hint says why (:func:`example_only` is the example of a config that names no data).

    ``trained_on``: for a trained network's stored config (a model's, a checkpoint's), called with the
    fingerprint of the data file read and the data where network.layers does not fit them, before that
    is refused: it raises where the file has changed since training (``runs.trained_on``).

    ``footprint`` estimates the memory of what the caller will do with the experiment
    (default: :func:`training_footprint` when a fresh network is built, and only the data to
    generate, :func:`data_footprint`, for a given ``net``). It is checked before the data is
    loaded and again, with the real split sizes, before the network is built. An estimate over
    the limit from the config alone is held back until the data is loaded (when the data alone
    fits) and checked against network.layers: a layer size that does not fit the data is the
    more specific error, and is reported first; the estimate is then made again with the rows
    read (a file's, unknown before), and reported only if that one is over the limit too.

    Raises:
        ConfigError: the estimate is above the memory limit (:func:`check_memory`), or
            network.layers does not fit the data.
    """
    if footprint is None:  # a trained net is given: only its data is still to be made
        footprint = training_footprint if net is None else data_footprint
    n = _generated_rows(config)
    too_big: ConfigError | None = None
    try:
        check_memory(config, footprint(config, *split_rows(config, n)))
    except ConfigError as e:
        # Held back until the data is loaded, when the data alone fits: a layer size that does
        # not fit the data (network.layers=[10**9, 1] for xor's 2 inputs) is the more specific
        # mistake, and its message says what to use instead. Nothing of the network's size is
        # built meanwhile.
        try:
            check_memory(config, data_footprint(config, n, n))
        except ConfigError:
            raise e from None  # the data cannot be made: the whole estimate, as it was
        too_big = e
    streams = Streams.from_seed(config.seed)
    ds = _outputs_for_two_classes(config, load_dataset(config, streams.data))
    try:
        check_shapes(config, ds)
    except ConfigError as e:
        if trained_on is not None and config.data.path is not None:  # changed since: said so, not layers to change
            trained_on(data_digest(ds), ds)
        # a --set of the data's shape at the end that does not fit is named with one of the
        # layers (the two sides of it), where it changed that end's data fields
        e.depends_on = tuple(f for f in e.depends_on if f in _data_fields(config))
        if own_example:
            e.hint = (f"{e.hint}; " if e.hint else "") + own_example_held(config)
        raise blame(config, e, "network.layers", e.depends_on) from None
    if too_big is not None:  # again with the rows read: a file's split sizes were unknown (gradcheck --examples
        # 100000000 on digits' 1,438 training rows was refused for caches of 100000000 examples)
        check_memory(config, footprint(config, *split_rows(config, ds.n_samples)))
    if training_dtype and net is None and ds.n_samples:
        # a fresh network, to train (train, config validate); explain and gradcheck judge the
        # examples they take (one row of y = 1e200 leaves the others to explain), and a model's
        # evaluate names the row
        _check_target_size(config, ds)
    rows = ds.n_samples
    try:
        train, test = train_test_split(ds, config.data.effective_test_fraction, streams.split)
    except DataError as e:  # name the config (or the --set), as every other data.* problem does: with the --sets
        # of the data where they made its rows too few (--set data.n_samples=1), not where it has as few without them
        e.depends_on = _data_fields(config)
        raise blame(config, e, "data.test_fraction", e.depends_on, same=lambda other: (
            other.data.effective_test_fraction > 0 and _rows_of(other, config, rows) == rows)) from None
    digested = data_digest(ds) if digest and config.data.path is not None else None
    del ds  # the splits are copies: let the whole set go before anything else is allocated
    val = None
    vf = config.data.validation_fraction
    if vf > 0:
        if train.n_samples < 2:  # train_test_split would blame data.test_fraction
            after = (f" left after data.test_fraction {shown(config.data.effective_test_fraction)} took "
                     f"{plural(test.n_samples, 'test row')}" if test is not None else "")
            # with the --sets of data.test_fraction and the data without which the training split is not as small
            # (--set data.n_samples=2; not --set data.test_fraction=0.1 where the config's 0.2 takes as many rows)
            fields = ("data.test_fraction", *_data_fields(config))
            left = train.n_samples
            raise blame(config, DataError(
                f"data.validation_fraction: {shown(vf)} asks for a validation set, but the "
                f"training split of {train.source} has only {plural(train.n_samples, 'row')}{after}; "
                f"use 0{', a smaller data.test_fraction,' if test is not None else ''} or more data", depends_on=fields),
                "data.validation_fraction", fields, same=lambda other: (
                    other.data.validation_fraction > 0 and _training_rows(other, config, rows) == left))
        train, val = train_test_split(train, vf, streams.split)
    largest = max(d.n_samples for d in (train, test, val) if d is not None)
    check_memory(config, footprint(config, train.n_samples, largest))
    scaler = None
    if config.data.standardize:
        scaler = standardizer if standardizer is not None else Standardizer.fit(train.X)
        train, test, val = (_scaled(d, scaler) for d in (train, test, val))
    if training_dtype:
        # A float32 run then holds no float64 data and casts nothing per batch; its numbers
        # do not change (every batch was cast to float32 before). One split at a time, so
        # only one float64 split and its copy coexist.
        dt = config.training.dtype
        for d in (train, test, val):
            if d is not None:
                _check_fits(config, d, dt)
        train = train.astype(dt)
        test = None if test is None else test.astype(dt)
        val = None if val is None else val.astype(dt)
    if net is None:
        net = Network.from_config(config, rng=streams.init)
    return Experiment(config, train, test, scaler, net, streams, val, digested)


def own_example_held(config: Config) -> str:
    """The hint of the data a config names that does not fit its network, for an example given with
    --x and --y: why that data is read (and held to the network) all the same."""
    named = "data.path" if config.data.path is not None else "data.dataset"
    units = ("its units (data.standardize scales it as the training split was)" if config.data.standardize
             else "its units")
    if config.source == "<built-in default>":  # no CONFIG: the default names xor, which the user never wrote
        return (f"--x and --y are held to the built-in default's data (xor) as to a config's, as --x is in "
                f"{units} and --y may name its classes; a config file that names no data (neither data.path "
                "nor data.dataset) needs none for them")
    return (f"--x and --y are held to the data the config names ({named}), as --x is in {units} and --y may "
            "name its classes; a config that names no data (neither data.path nor data.dataset) needs none "
            "for them")


#: The source of an example given on the command line with no data read (``example_only``).
OWN_EXAMPLE = "--x and --y"


def example_only(config: Config, footprint: Footprint | None = None, net: Network | None = None,
                 standardizer: Standardizer | None = None, model: Any = None) -> Experiment:
    """The experiment of an example given on the command line (explain's and gradcheck's --x and --y)
    where there is no data to read: a config that names none (``Config.data_named``: the built-in xor
    it would default to is the data of training and of --example, not of this example, and a network
    of other sizes was refused as not fitting it), or ``model``, a SavedModel saved from arrays (its
    ``net``, ``standardizer``, names, classes and task). The splits hold no rows, only the names of the
    network's inputs and outputs; the network is the config's, drawn from its seed as ``prepare``
    draws it. A config's data.standardize has no training split to scale --x as: refused."""
    from .config import DataConfig

    if model is None and config.data.standardize:
        raise blame(config, ConfigError(
            "data.standardize: true scales --x as the data's training split was, but the config names no data "
            "(data.path or data.dataset) to take its mean and scale from",
            "name the data, or leave data.standardize out to feed --x to the network as given"), "data.standardize")
    sizes = config.network.layers
    if footprint is None:
        footprint = training_footprint if net is None else data_footprint
    check_memory(config, footprint(replace(config, data=DataConfig(dataset=None)), 1, 1))  # no data to make
    task = getattr(model, "task", None) or "regression"
    classes = getattr(model, "class_names", None) if task == "classification" else None
    ds = Dataset(np.zeros((0, sizes[0])), np.zeros((0, sizes[-1])), task, classes,
                 tuple(getattr(model, "feature_names", None) or ()), tuple(getattr(model, "target_names", None) or ()),
                 OWN_EXAMPLE)
    streams = Streams.from_seed(config.seed)
    if net is None:
        net = Network.from_config(config, rng=streams.init)
    return Experiment(config, ds, None, standardizer, net, streams)


def _scaled(ds: Dataset | None, scaler: Standardizer) -> Dataset | None:
    return None if ds is None else replace(ds, X=scaler.transform(ds.X))


# --- memory --------------------------------------------------------------------------------


@dataclass(frozen=True)
class MemoryEstimate:
    """What a command will allocate: ``parts`` are (what, config field to blame, bytes)."""

    what: str  # e.g. "training"
    parts: tuple[tuple[str, str, int], ...]
    #: whether training.dtype: float32 would shrink it much (not for gradcheck and explain, which
    #: work in float64 whatever the dtype, nor for a run in float32 already): the refusal's hint
    #: suggests it only then
    float32_helps: bool = True
    #: (field, the value in effect, the total at another value) where a smaller value of that field
    #: shrinks the estimate (training.batch_size, gradcheck's --examples): a refusal that blames the field
    #: names the largest value that fits (:func:`check_memory`); the last, where float32 would shrink it, the
    #: total at another value in float32 (the hint's float32 alternative gives its own largest value)
    fewer: tuple[str, int, Callable[[int], int], Callable[[int], int] | None] | None = None

    @property
    def total(self) -> int:
        return sum(b for _, _, b in self.parts)


#: ``footprint(config, n_train, n_eval)``: the memory a command needs; ``n_train`` (rows of the
#: training split) and ``n_eval`` (rows of the largest split) are None while unknown.
Footprint = Callable[[Config, "int | None", "int | None"], MemoryEstimate]


def split_rows(config: Config, n: int | None) -> tuple[int | None, int | None]:
    """(rows of the training split, rows of the largest split) that ``prepare`` splits ``n`` rows
    into, as ``train_test_split`` sizes them (data.test_fraction, then data.validation_fraction of
    the training split); (None, None) for ``n`` None (a file's rows, before it is read)."""
    if n is None:
        return None, None

    def cut(rows: int, fraction: float) -> tuple[int, int]:  # (kept, held out), as train_test_split
        if not 0 < fraction < 1 or rows < 2:  # none held out, or refused later with the split's own error
            return rows, 0
        held = held_out_rows(rows, fraction)
        return rows - held, held

    train, test = cut(n, config.data.effective_test_fraction)
    train, val = cut(train, config.data.validation_fraction)
    return train, max(train, test, val)


def _n_params(sizes: tuple[int, ...]) -> int:
    """Weights and biases of layers 1..L: Σ n_l (n_{l-1} + 1)."""
    return sum(sizes[l] * (sizes[l - 1] + 1) for l in range(1, len(sizes)))


def _layers_field(config: Config) -> str:
    layers = list(config.network.layers)
    shown = layers if len(layers) <= 8 else [*layers[:4], "…", *layers[-2:]]
    return f"network.layers [{', '.join(map(_size, shown))}]"


def _size(n: int | str) -> str:
    """A layer size as the memory messages write it: 1e+308 as that, not its 309 digits."""
    if isinstance(n, str) or n < 10**15:
        return str(n)
    try:
        return f"{float(n):g}"
    except OverflowError:  # 10**400 typed as a whole number
        return f"{Decimal(n):.6g}"


def _generated_rows(config: Config) -> int | None:
    """Rows of a built-in data set (known before it is made), None for a file."""
    d = config.data
    if d.dataset is None:
        return None
    n = d.n_samples if d.n_samples is not None else GENERATORS[d.dataset].default_n_samples
    return 4 if n is None else n


def _rows_of(other: Config, config: Config, n: int) -> int | None:
    """Rows of ``other``'s data, where known without making or reading it: a built-in set's, or ``n``
    (``config``'s data's) for the same file; else None."""
    if other.data.path is None:
        return _generated_rows(other)
    return n if other.data.path == config.data.path else None


def _training_rows(other: Config, config: Config, n: int) -> int | None:
    """Rows of ``other``'s training split before a validation set is taken from it, ``prepare``'s split of
    ``_rows_of``; None where they are unknown, or its test split would be refused."""
    rows = _rows_of(other, config, n)
    fraction = other.data.effective_test_fraction
    if rows is None or fraction == 0:
        return rows
    return rows - held_out_rows(rows, fraction) if rows >= 2 else None


def _generated_data(config: Config) -> list[tuple[str, str, int]]:
    """A built-in data set's arrays, in 3 copies (all rows, then the train and test splits)."""
    n = _generated_rows(config)
    if n is None:
        return []
    d = config.data
    inputs = 1 if d.dataset == "sine" else 2
    outputs = d.classes if d.dataset == "spirals" and d.classes and d.classes > 2 else 1
    return [(f"the generated data ({n} rows)", "data.n_samples", 3 * n * (inputs + outputs) * 8)]


def data_footprint(config: Config, n_train: int | None = None, n_eval: int | None = None
                   ) -> MemoryEstimate:
    """Memory of the data alone (a built-in generator's; a file's is its own size)."""
    return MemoryEstimate("making the data", tuple(_generated_data(config)))


def training_footprint(config: Config, n_train: int | None = None, n_eval: int | None = None, *,
                       batch_size: int | None = None) -> MemoryEstimate:
    """Memory ``backprop train`` allocates: parameters, gradients and optimizer state in the
    training dtype, the trainer's per-batch buffers (z, a, δ, σ' per layer, and the input),
    the epoch's order, the training targets and classes put in it and the predicted classes,
    the inputs with a ones column when the trainer gathers batches from such a copy,
    when the training dtype is not float64 (the data's as loaded) the copy of the largest
    split being cast to it (``prepare(training_dtype=True)``; the float64 split is dropped
    after), the float64 forward pass that measures the final cost on the largest split, and,
    for a built-in generator, the data it makes. A batch holds at most the training split's rows.
    ``batch_size``: in place of training.batch_size (the refusal's search for one that fits)."""
    sizes = config.network.layers
    t = config.training
    item = np.dtype(t.dtype).itemsize
    P = _n_params(sizes)
    units = sum(sizes[1:])
    layers = _layers_field(config)
    asked = t.batch_size if batch_size is None else batch_size
    rows = asked if asked is not None else (n_train or 1)
    batch = f"a batch of {rows} rows"
    if n_train is not None and (asked is None or asked > n_train):  # the whole split, not the batch_size asked
        rows = n_train
        batch = (f"a batch of {rows} rows (training.batch_size: full, the whole training split)" if asked is None else
                 f"a batch of {rows} rows (the whole training split; training.batch_size is {asked})")
    # momentum's v and adam's m and v, each with one scratch array the size of the weights (optimizers.py):
    # counted without it, [2, 10000, 10000, 1] under adam peaked 25% above the estimate (4.0 GB, not 3.2)
    state = {"sgd": 0, "momentum": 2, "adam": 3}.get(t.optimizer, 3) + (1 if t.early_stopping else 0)
    parts = [
        ("parameters", layers, P * item),
        ("gradients", layers, P * item),
        (f"optimizer state ({t.optimizer}{', early stopping' if t.early_stopping else ''})",
         "training.optimizer", state * P * item),
        # rows × units, blamed on whichever of the two is the larger: a batch of 4 rows through
        # [2, 10**9, 1] is the layers' fault, and no smaller batch_size would fit it; the input
        # units count too (a batch of 4 rows of [10**9, 1] was blamed on the batch size)
        (f"activations of {batch}",
         "training.batch_size" if rows > units + sizes[0] else layers,
         rows * (4 * units + sizes[0] + 1) * item),
    ]
    rows_field = "data.n_samples" if _generated_rows(config) is not None else "data.path"
    if n_train is not None:  # Trainer._follow; the order, its copy, the classes as indices (and predictions)
        from .training import ones_copy_bytes

        parts.append((f"the order, targets and classes of {n_train} rows in each epoch's order", rows_field,
                      n_train * (sizes[-1] * item + 5 * 8)))
        parts.append((f"the inputs of {n_train} rows beside a ones column, [X 1], that batches are gathered from",
                      rows_field, ones_copy_bytes(n_train, sizes, rows, t.dtype)))
    if n_eval is not None and t.dtype != "float64":
        parts.append((f"the {t.dtype} copy of a split of {n_eval} rows", "training.dtype",
                      n_eval * (sizes[0] + sizes[-1]) * item))
    if n_eval is not None:  # rows × units, EVAL_ROWS rows at a time: blamed on the larger of the two
        from .training import EVAL_ROWS

        chunk = min(n_eval, EVAL_ROWS)  # (counted whole it refused 60M circles rows at 14.8 GiB: 30M ran in 2 GB)
        parts.append((f"the forward pass measuring the cost of {n_eval} rows, {chunk} at a time",
                      rows_field if chunk > units else layers, 2 * chunk * units * 8))
    parts.extend(_generated_data(config))
    return MemoryEstimate("training", tuple(p for p in parts if p[2] > 0), float32_helps=t.dtype != "float32",
                          fewer=("training.batch_size", rows,
                                 lambda k: training_footprint(config, n_train, n_eval, batch_size=k).total,
                                 None if t.dtype == "float32" else lambda k: training_footprint(
                                     replace(config, training=replace(t, dtype="float32")), n_train, n_eval,
                                     batch_size=k).total))


def gradcheck_footprint(config: Config, n_train: int | None = None, n_eval: int | None = None, *,
                        examples: int = 4, mode: str = "full", params: int | None = None
                        ) -> MemoryEstimate:
    """Memory ``backprop gradcheck`` allocates: the network, its float64 copy and analytic
    gradients, about 100 bytes of results per checked entry (fast mode: its random directions,
    up to 8 per tensor), forward caches for the examples, and the batched finite differences,
    which are evaluated in chunks of ``gradcheck.CHUNK_ELEMENTS`` values."""
    from .gradcheck import CHUNK_ELEMENTS, DEFAULT_SAMPLE, MAX_BRANCHES

    sizes = config.network.layers
    item = np.dtype(config.training.dtype).itemsize
    P = _n_params(sizes)
    largest = max(sizes[l] * sizes[l - 1] for l in range(1, len(sizes)))
    rows = examples if n_train is None else min(examples, n_train)
    layers = _layers_field(config)
    if mode == "sample":
        checked = ("results of the sampled entries",
                   min(P, 2 * (len(sizes) - 1) * (params or DEFAULT_SAMPLE)) * 100)
    elif mode == "fast":
        checked = ("random directions", 2 * MAX_BRANCHES * largest * 8)
    else:
        checked = ("results of every entry", P * 100)
    parts = [
        ("parameters", layers, P * item),
        ("their float64 copy and gradients", layers, 2 * P * 8),
        (checked[0], layers, checked[1]),
        (f"forward caches of {rows} examples" + (f" (the whole training split; --examples is {examples})"
                                                  if rows < examples else ""),
         f"--examples {examples}" if rows > sum(sizes) else layers,
         2 * rows * sum(sizes) * 8),
        ("batched finite differences", layers, 4 * CHUNK_ELEMENTS * 8),
    ]
    parts.extend(_generated_data(config))
    return MemoryEstimate("the gradient check", tuple(parts), float32_helps=False,
                          fewer=("--examples", rows, lambda k: gradcheck_footprint(
                              config, n_train, n_eval, examples=k, mode=mode, params=params).total, None))


def explain_footprint(config: Config, n_train: int | None = None, n_eval: int | None = None) -> MemoryEstimate:
    """Memory ``backprop explain`` allocates: the network, and in float64 its copy, the gradients
    and the copies its finite-difference checks perturb (measured: ~5 P·8 bytes peak for
    [2, 10**7, 1]), and, for a built-in generator, the data it makes. It neither trains nor
    holds a batch: the training estimate (and its batch_size hint) does not apply."""
    sizes = config.network.layers
    P = _n_params(sizes)
    layers = _layers_field(config)
    parts = [
        ("parameters", layers, P * np.dtype(config.training.dtype).itemsize),
        ("their float64 copy, gradients and the copies the checks perturb", layers, 4 * P * 8),
        *_generated_data(config),
    ]
    return MemoryEstimate("explaining this network", tuple(parts), float32_helps=False)


def machine_memory() -> tuple[int, str]:
    """(bytes, description) of the memory this process can use: physical memory
    (``os.sysconf``), lowered by a container's cgroup limit when one is set; when neither
    can be read, :data:`FALLBACK_MEMORY` is assumed and the description says so."""
    try:
        total = int(os.sysconf("SC_PAGE_SIZE")) * int(os.sysconf("SC_PHYS_PAGES"))
    except (AttributeError, ValueError, OSError):
        total = 0
    described = f"this machine's {format_bytes(total)}"
    if total <= 0:
        total = FALLBACK_MEMORY
        described = f"an assumed {format_bytes(total)} (this machine's memory could not be read)"
    limit = _cgroup_limit()
    if limit is not None and limit < total:
        return limit, f"this container's limit of {format_bytes(limit)}"
    return total, described


def _cgroup_limit() -> int | None:
    for path in ("/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"):
        try:
            text = Path(path).read_text().strip()
        except OSError:
            continue
        if text.isdigit() and int(text) < 2**60:  # "max" or a huge number: no limit
            return int(text)
    return None


def check_memory(config: Config, estimate: MemoryEstimate) -> None:
    """Refuse an estimate above :data:`MEMORY_FRACTION` of :func:`machine_memory`, naming the
    field that contributes most, the estimate with its parts, and the limit."""
    total, described = machine_memory()
    limit = int(total * MEMORY_FRACTION)
    if estimate.total <= limit:
        return
    largest = max(estimate.parts, key=lambda p: p[2])  # not empty: the total is above 0
    field = largest[1]
    parts = ", ".join(f"{what} {format_bytes(b)}" for what, _, b in estimate.parts
                      if 100 * b >= estimate.total)  # the parts that matter (whole numbers: layers of 1e308)
    share = "half" if MEMORY_FRACTION == 0.5 else f"{MEMORY_FRACTION:.0%}"
    hint = _MEMORY_HINTS.get(field.split(" ")[0], _MEMORY_HINTS["network.layers"])
    if field == "training.optimizer" and "early stopping" in largest[0]:  # its copy of the best weights stays under sgd
        hint = hint.replace("), or", "; early stopping keeps one more, the best epoch's), or")
    if largest[0] == "results of every entry" and estimate.total - largest[2] < limit:
        # gradcheck's full mode, and what the network itself needs fits: the modes that check fewer entries do
        hint = "--mode sample or --mode fast checks fewer entries (or --layer L one layer); or use fewer or smaller layers"
    if estimate.fewer is not None and estimate.fewer[0] == field.split(" ")[0]:
        hint = _fewer_hint(estimate, limit, hint)
    # named by the --set that gave the field (--set network.layers=[2,1000000000,1]), else by the config with
    # the --sets of the other parts' fields; not a --set dtype=float32, which only halves the estimate
    others = tuple(f for f in dict.fromkeys(p[1].split(" ")[0] for p in estimate.parts if p[1] != field)
                   if not (f == "training.dtype" and config.training.dtype == "float32"))
    error = ConfigError(
        f"{field}: {estimate.what} would need about {format_bytes(estimate.total)} "
        f"of memory ({parts}), more than the limit of {format_bytes(limit)} ({share} of {described})",
        hint if estimate.float32_helps else hint.replace(_FLOAT32_HINT, ""),
    )
    if field.startswith("--"):  # a command's option (--examples 100000000): named alone, as its other errors name it
        raise error
    raise blame(config, error, field.split(" ")[0], others, label=field)


def _fewer_hint(estimate: MemoryEstimate, limit: int, hint: str) -> str:
    """The hint of a refusal that blames ``estimate.fewer``'s field: the largest value of it that fits
    (found by bisection, the total growing with it), ``use training.batch_size: 40000 or less …``, and
    float32 as the alternative it is: on its own where it fits at the value asked, else with its own
    largest value (``…, or 80000 or less with training.dtype: float32``); where even 1 does not fit, that it
    alone cannot, and the hint of the largest other part."""
    assert estimate.fewer is not None
    name, value, total_at, total_at_float32 = estimate.fewer
    option = name.startswith("--")
    if value > 1 and total_at(1) <= limit:
        most = _most_that_fit(total_at, value, limit)
        said = f"{name} {most} or fewer (the most that fit)" if option else f"{name}: {most} or less (the largest that fits)"
        if total_at_float32 is None:
            return f"use {said}"
        if total_at_float32(value) <= limit:
            return f"use {said}{_FLOAT32_HINT}"
        return f"use {said}, or {_most_that_fit(total_at_float32, value, limit)} or less with training.dtype: float32"
    rest = max((p for p in estimate.parts if p[1].split(" ")[0] != name), key=lambda p: p[2], default=None)
    other = _MEMORY_HINTS["network.layers"] if rest is None else \
        _MEMORY_HINTS.get(rest[1].split(" ")[0], _MEMORY_HINTS["network.layers"])
    return f"even {name}{' ' if option else ': '}1 would not fit; {other}"


def _most_that_fit(total_at: Callable[[int], int], value: int, limit: int) -> int:
    """The largest k below ``value`` whose ``total_at(k)`` fits under ``limit``, ``total_at(1)`` fitting
    and ``total_at`` growing with k."""
    lo, hi = 1, value - 1
    while lo < hi:
        mid = (lo + hi + 1) // 2
        lo, hi = (mid, hi) if total_at(mid) <= limit else (lo, mid - 1)
    return lo


_FLOAT32_HINT = ", or training.dtype: float32"
_MEMORY_HINTS = {
    "data.n_samples": "use a smaller data.n_samples",
    "network.layers": f"use fewer or smaller layers{_FLOAT32_HINT}",
    # the optimizer's state is the largest part (adam's three arrays the size of the weights; momentum's two)
    "training.optimizer": f"use training.optimizer: sgd (adam keeps three arrays the size of the weights, momentum "
                          f"two), or fewer "
                          f"or smaller layers{_FLOAT32_HINT}",
}


def format_bytes(n: float) -> str:
    """1536 -> '1.5 KiB'; from a million TiB on, '1.2e+16 TiB' (exact for whole numbers beyond
    floats: layers of 1e308)."""
    if abs(n) >= 10**6 * 1024**4:
        return f"{Decimal(int(n)) / 1024**4:.1e} TiB"
    for unit in ("B", "KiB", "MiB", "GiB", "TiB"):
        if abs(n) < 1024 or unit == "TiB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n:.1f} TiB"  # pragma: no cover
