"""Saving and loading models as ``.npz`` (no pickle), and atomic file writes.

A model file holds: ``format_version`` (int), ``config_yaml`` (the resolved config
as text), ``w1``…``wL`` and ``b1``…``bL`` (weights[l-1] is ``w{l}``), and when
present ``x_mean``/``x_scale`` (the standardization of the inputs),
``class_names``, and the data's column names and kind: ``feature_names`` (one per
input, the CSV columns ``backprop predict`` reads), ``target_names`` and ``task``
(files written before these three existed still load; the fields are then None), and for data
read from a file ``data_digest`` (``data.data_digest``: ``backprop evaluate`` refuses to rebuild
the test split from a file that has changed since); ``data_source`` for a model saved from Python
without a config (``FROM_ARRAYS``: trained on arrays, no data section to rebuild).
Every array is plain numbers or unicode text, so the file loads with
``np.load(..., allow_pickle=False)``.
"""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import numpy as np
from numpy.typing import NDArray

from .config import DATASET_TASKS, Config, config_from_dict, parse_yaml
from .data import (
    Standardizer,
    file_problem,
    modern_label_names,
    npz_kind,
    read_data_digest,
)
from .errors import BackpropError, ConfigError, ModelFileError
from .names import shown
from .network import Network
from .wording import NOT_REGULAR, looks_transposed, not_a_file, plural

FORMAT_VERSION = 1


def _umask() -> int:
    mask = os.umask(0)  # reading the umask means setting it; put it straight back
    os.umask(mask)
    return mask


def write_target(path: Path, label: str | None = None, hint: str | None = None) -> Path:
    """The file that writing ``path`` atomically replaces: ``path`` with its symlinks resolved,
    so a write goes through a link to the file it points to (as the shell's ``>`` does) and
    leaves the link in place.

    ``label`` is what messages call the path (e.g. ``--out p.csv``; default: the path), ``hint``
    the hint line of the error.

    Raises:
        ConfigError: the target exists and is not a regular file (a folder, a FIFO, a device such
            as /dev/stdout, a socket): replacing it would swap it for a file, not write into it;
            or ``path`` is a link to a file in a folder that does not exist (the write would fail
            naming its temporary file, after a command's other files were written).
    """
    path = Path(path)
    target = Path(os.path.realpath(path))
    try:
        mode = os.stat(path).st_mode  # through every link (/dev/stdout's too, to a pipe or terminal)
    except OSError:  # not there yet (made by the write), or the write will say why not
        if path.is_symlink() and not target.parent.is_dir():  # the write could only fail, after other work
            raise ConfigError(f"{label or path}: is a link to {target}, in a folder that does not exist; "
                              f"refusing to write through it", hint) from None
        return target
    if stat.S_ISREG(mode):
        return target
    kind = next((what for test, what in NOT_REGULAR if test(mode)), "not a regular file")
    via = f" (a link to {target})" if path.is_symlink() and target.exists() else ""
    raise ConfigError(f"{label or path}: is {kind}{via}, not a regular file; refusing to replace it", hint)


def atomic_write(path: Path, write: Callable[[IO[bytes]], None], replace: bool = True) -> None:
    """Write ``path`` through a temporary file in the same folder, then ``os.replace``.

    A crash at any moment leaves either the old file or the new one, never half a file. A
    symlink is written through to its target (``write_target``), which keeps its permissions;
    a target that exists and is not a regular file is refused (ConfigError).

    ``replace`` False: a file that exists at the end is left alone and FileExistsError raised
    (another program wrote it meanwhile): the temporary file is hard-linked to the name, which
    fails if the name is taken, then removed; where the file system has no hard links, the name
    is claimed with O_EXCL and then replaced by the temporary file.
    """
    path = Path(path)
    target = write_target(path)
    try:
        mode = stat.S_IMODE(os.stat(target).st_mode)  # replacing a file: keep its permissions
    except OSError:
        mode = 0o666 & ~_umask()  # a new file: the permissions any new file gets
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as e:  # no room for even an empty file, or no folder: name the file meant
        e.filename = str(path)
        raise
    try:
        with os.fdopen(fd, "wb") as f:
            write(f)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, mode)  # mkstemp makes the file private (0600)
        if replace:
            os.replace(tmp, target)
        else:
            _link_new(tmp, target)
    except BaseException as e:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        if isinstance(e, OSError) and e.filename in (None, tmp):  # e.g. a full disk: name the file
            e.filename = str(path)  # meant, not the temporary one (the CLI's last-resort message shows it)
        raise


def _link_new(tmp: str, target: Path) -> None:
    """``tmp`` under the name ``target``, which must not exist (FileExistsError, ``tmp`` left for
    the caller to remove); ``tmp`` is gone after."""
    import errno

    try:
        os.link(tmp, target)  # atomic, and refused when the name is taken
    except FileExistsError:
        raise
    except OSError as e:
        if e.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV, errno.EMLINK, errno.ENOSYS):
            raise
        # no hard links here (FAT, some network shares): claim the name, then fill it
        os.close(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        os.replace(tmp, target)
        return
    os.unlink(tmp)


def atomic_write_text(path: Path, text: str, replace: bool = True) -> None:
    atomic_write(path, lambda f: f.write(text.encode("utf-8")), replace)


@dataclass(frozen=True)
class SavedModel:
    """A model as ``load_model`` reads it (``backprop train --out``'s ``model.npz``).

    ``net`` is the trained Network; ``standardizer`` the input scaling it was trained with (None
    without ``data.standardize``): ``net`` expects *scaled* inputs, so for raw rows (a CSV's
    numbers) use ``predict``, which scales them first as ``backprop predict`` does. ``config`` is
    the run's resolved config, ``class_names`` the class of each output column (of a 0 and a 1 for
    a single output; None for regression), ``feature_names`` the input columns in the network's
    order, ``target_names`` and ``task`` the data's target column(s) and kind (None in files
    written before they were stored), ``data_digest`` a fingerprint of a training data file.
    ``has_data`` is False for a model saved from Python without a config (``save_model(path,
    net)``): trained on arrays, it has no data of its own (its ``config``'s data section is the
    default and means nothing), so ``backprop evaluate`` needs ``--data``.
    """

    net: Network
    config: Config
    standardizer: Standardizer | None
    class_names: tuple[str, ...] | None
    path: Path
    feature_names: tuple[str, ...] | None = None  # one per input (net.sizes[0])
    target_names: tuple[str, ...] | None = None  # the data's target column(s)
    task: str | None = None  # "classification" or "regression"
    data_digest: str | None = None  # data.data_digest of the training data file, when from a file
    has_data: bool = True  # False: saved from Python without a config (no data to rebuild; ``save_model``)

    def predict(self, X: Any) -> NDArray[np.floating]:
        """The outputs a^(L) for raw inputs X, shape (n_samples, n_inputs) with the columns in
        ``feature_names`` order (or (n_inputs,) for one example): shape (n_samples, n_outputs),
        in the model's dtype. Inputs are first scaled with the stored x_mean and x_scale when the
        model was trained on standardized inputs, exactly as ``backprop predict`` does (in
        float64); ``net.predict`` would take them as already scaled. X is checked and refused
        (InputError, naming X) as ``Network.predict`` refuses it; NaN or infinite values are
        let through as there (see ``Network.forward``), where ``backprop predict`` refuses them.

        The predicted class of row i is ``class_names[data.class_indices(A)[i]]``: the argmax of
        the outputs, or for one output the second class where a > 0.5."""
        X = self.net._as_input(X, np.float64)
        if self.standardizer is not None:
            X = self.standardizer.transform(X)
        return self.net.predict(X)


#: The ``data_source`` of a model saved from Python without a config: trained on arrays.
FROM_ARRAYS = "arrays"


def save_model(
    path: Path | str,
    net: Network,
    config: Config | None = None,
    standardizer: Standardizer | None = None,
    class_names: tuple[str, ...] | None = None,
    *,
    feature_names: tuple[str, ...] | None = None,
    target_names: tuple[str, ...] | None = None,
    task: str | None = None,
    data_digest: str | None = None,
) -> None:
    """Save ``net`` and what is needed to use it again, atomically.

    ``feature_names`` (one per input), ``target_names`` and ``task`` let the model
    be applied to a CSV file by column name later (``backprop predict``). ``net`` must be
    the network ``config`` describes (``Network.from_config(config)``, trained or not): the
    file keeps the config and rebuilds the network from it, so a ConfigError names the first
    thing that differs (layers, activations, cost, dtype, L2 λ) instead of writing a file
    that fails to load or loads as another network. TypeError for a ``config`` that is not a
    ``Config``.

    Without ``config`` (a network trained on your own arrays): the file records the network
    alone and that it was trained from arrays (``data_source``; ``SavedModel.has_data`` False),
    with no data section a command would rebuild: ``backprop evaluate`` then needs ``--data
    FILE.csv``, and ``backprop predict`` reads the columns ``feature_names`` (default ``x0``,
    ``x1``, …); ``task`` defaults to ``"classification"`` with ``class_names`` (one per output,
    or two for one 0/1 output), else ``"regression"`` (a UserWarning when the output layer is
    sigmoid or softmax, a classifier's: ``task="regression"`` says it is meant), and
    ``target_names`` to ``y`` (``y0``, ``y1``, … for several regression outputs).

    ``target_names`` must name one column per output, or for a classifier one label column (a
    ConfigError otherwise, as for ``feature_names`` and ``class_names``).
    """
    if not isinstance(net, Network):  # it ended in "'str' object has no attribute 'activations'"
        raise TypeError(f"net: a {type(net).__name__}; expected a backprop_cli.Network")
    if standardizer is not None:  # a file whose x_mean or x_scale load_model refuses keeps the weights from anyone
        if not (hasattr(standardizer, "mean") and hasattr(standardizer, "scale")):
            raise TypeError(f"standardizer: a {type(standardizer).__name__}; expected a backprop_cli.data.Standardizer "
                            "(Standardizer(mean=…, scale=…), or a Dataset's fitted one)")
        n_in = net.sizes[0]
        for name in ("mean", "scale"):
            v = np.asarray(getattr(standardizer, name))
            if v.shape != (n_in,):
                raise ConfigError(f"save_model: standardizer.{name} has shape {v.shape} for a network of "
                                  f"{plural(n_in, 'input')}; give one per input, so that load_model can read the "
                                  "file back")
            if v.dtype.kind not in "iuf" or not np.isfinite(v).all() or (name == "scale" and not (v > 0).all()):
                raise ConfigError(f"save_model: standardizer.{name} holds a value that is not a finite number"
                                  f"{' above 0' if name == 'scale' else ''}; load_model would refuse the file")
    from_arrays = config is None
    if config is None:
        config, feature_names, target_names, task = _array_model(net, class_names, feature_names, target_names, task)
    elif not all(hasattr(config, f) for f in ("network", "cost", "training", "seed", "to_yaml")):
        raise TypeError(f"config: a {type(config).__name__}; expected a backprop_cli.config.Config (load_config(path), "
                        "or config_from_dict(d, '<dict>', Path.cwd()) for a dict d of a config's sections), or None "
                        "for a network trained on your own arrays")
    _check_matches(net, config)
    if target_names is not None:  # a file that names other columns than its outputs: blamed on the CSV later
        expected = target_names_expected(len(target_names), net.sizes[-1], task)
        if expected is not None:
            raise ConfigError(f"save_model: {plural(len(target_names), 'target name')} for "
                              f"{plural(net.sizes[-1], 'output')}; expected {expected}")
    arrays: dict[str, Any] = {
        "format_version": np.array(FORMAT_VERSION),
        "config_yaml": np.array(config.to_yaml()),
    }
    if from_arrays:
        arrays["data_source"] = np.array(FROM_ARRAYS)
    for l, (w, b) in enumerate(zip(net.weights, net.biases), start=1):
        arrays[f"w{l}"] = w
        arrays[f"b{l}"] = b
    if standardizer is not None:
        arrays["x_mean"] = standardizer.mean
        arrays["x_scale"] = standardizer.scale
    for key, names in (("class_names", class_names), ("feature_names", feature_names), ("target_names", target_names)):
        # as stored: a numpy text array drops each name's trailing NULs ('a\x00' is stored as 'a')
        problem = None if names is None else names_problem(key, tuple(str(n) for n in np.array(
            [str(n) for n in names], dtype=str)))
        if problem is not None:  # a file load_model would refuse
            raise ConfigError(f"save_model: {problem}; load_model would refuse the file")
    if class_names is not None:
        arrays["class_names"] = np.array(list(class_names), dtype=str)
    for key, names in (("feature_names", feature_names), ("target_names", target_names)):
        if names is not None:
            arrays[key] = np.array(list(names), dtype=str)
    if task is not None:
        arrays["task"] = np.array(task, dtype=str)
    if data_digest is not None:
        arrays["data_digest"] = np.array(data_digest, dtype=str)
    atomic_write(Path(path), lambda f: np.savez(f, **arrays))


def no_data_message(path: Path, purpose: str) -> str:
    """What a command says of a model saved from arrays (``SavedModel.has_data`` False) when it
    would rebuild the model's data ``purpose`` ("to evaluate on")."""
    return (f"{path}: was saved from Python without a config (save_model(path, net)), trained on arrays: it "
            f"has no data of its own {purpose}")


def _array_model(net: Network, class_names: tuple[str, ...] | None, feature_names: tuple[str, ...] | None,
                 target_names: tuple[str, ...] | None, task: str | None
                 ) -> tuple[Config, tuple[str, ...], tuple[str, ...], str]:
    """For ``save_model`` without a config: a config of ``net`` alone (its layers, activations,
    init, cost, dtype and λ; the data section left at its default, which ``data_source`` says not
    to use), and the names and task to store, defaults filled in as a ``Dataset``'s are."""
    hidden = [a.name for a in net.activations[:-1]]
    out = net.activations[-1].name
    activation: Any = hidden[0] if hidden and len(set(hidden)) == 1 else (hidden or out)
    config = config_from_dict({
        "network": {"layers": list(net.sizes), "activation": activation, "output_activation": out,
                    "init": net.init},
        "cost": net.cost_name,
        "training": {"dtype": net.dtype.name, "l2": net.l2},
    }, "save_model (a network trained on arrays)", Path.cwd())
    n_in, n_out = net.sizes[0], net.sizes[-1]
    if task is None:
        task = "classification" if class_names is not None else "regression"
        if class_names is None and out in ("sigmoid", "softmax"):  # a classifier's outputs, saved as regression
            import warnings

            classes = ("two, the class of an output of 0 and of 1" if n_out == 1 else
                       f"one for each of the {n_out} outputs, in their order")
            warnings.warn(f"save_model: no class_names, so the network is saved as a regression model, though a "
                          f"{out} output layer is most often a classifier's: backprop evaluate will want numbers "
                          f"for its target, and backprop predict gives its outputs, not classes. Give class_names="
                          f"(…) ({classes}) to save a classifier, or task=\"regression\" to keep it a regression "
                          "model without this warning",
                          UserWarning, stacklevel=3)
    if task not in ("classification", "regression"):
        raise ConfigError(f"save_model: task {shown(task)} is not one of: classification, regression")
    if task == "classification" and class_names is None:
        which = '("0", "1") for the single 0/1 output' if n_out == 1 else f"one per output ({n_out})"
        raise ConfigError(f"save_model: task 'classification' needs class_names: {which}")
    if class_names is not None and len(class_names) != (2 if n_out == 1 else n_out):
        raise ConfigError(f"save_model: {plural(len(class_names), 'class name')} for {plural(n_out, 'output')}; "
                          f"expected {2 if n_out == 1 else n_out}" + (" (the class of a 0 and of a 1)" if n_out == 1 else ""))
    features = tuple(feature_names) if feature_names is not None else tuple(f"x{j}" for j in range(n_in))
    if len(features) != n_in:
        raise ConfigError(f"save_model: {plural(len(features), 'feature name')} for {plural(n_in, 'input')}")
    if target_names is None:
        target_names = tuple(f"y{j}" for j in range(n_out)) if task == "regression" and n_out > 1 else ("y",)
    return config, features, tuple(target_names), task


def target_names_expected(n_targets: int, n_out: int, task: str | None) -> str | None:
    """How many target column names a network of ``n_out`` outputs doing ``task`` (None: not known,
    a file from before it was stored) names, when ``n_targets`` is not that many; None when it is.
    A regression model names one column per output, a classifier one label column or one (one-hot)
    column per output."""
    if n_targets == n_out or (n_targets == 1 and task != "regression"):
        return None
    if n_out == 1:
        return "1"
    if task == "regression":
        return f"{n_out} (one per output)"
    return f"1 (the label column) or {n_out} (one-hot columns, one per output)"


def network_differences(net: Network, config: Config) -> list[tuple[str, Any, Any]]:
    """(what, ``net``'s value, the config's value) for each part of the network that ``net`` and
    the network ``config`` describes do not share: layers, activations, cost, dtype, L2 λ (in
    that order; empty when ``net`` is the config's network, trained or not)."""
    # The config's network with every layer but the output one a single unit: its activations,
    # cost, dtype and λ as Network resolves them, without drawing a second set of the config's
    # weights (a 2-4000-4000-1 net: 128 MB and half a second more at every save).
    n = config.network
    layers = [int(size) for size in n.layers]
    built = Network([1] * (len(layers) - 1) + layers[-1:], activation=n.activation,
                    output_activation=n.output_activation, cost=config.cost, seed=0,
                    dtype=config.training.dtype, init=n.init, l2=config.training.l2)
    return [(what, have, want) for what, have, want in (
        ("network.layers", net.sizes, layers),
        ("activations (network.activation, network.output_activation)",
         [a.name for a in net.activations], [a.name for a in built.activations]),
        ("cost", net.cost_name, built.cost_name),
        ("training.dtype", net.dtype.name, built.dtype.name),
        ("training.l2", net.l2, built.l2),
    ) if have != want]


def _check_matches(net: Network, config: Config) -> None:
    for what, have, want in network_differences(net, config)[:1]:
        raise ConfigError(f"save_model: the network's {what} is {shown(have)} but the config's is {shown(want)}; "
                          "the model file rebuilds the network from the config, so they must agree "
                          "(build the network with Network.from_config(config))")


_NOT_NPZ = {
    "empty": "is empty",
    "npy": "holds a single array (numpy.save), not an .npz archive",
    "pickle": "is a Python pickle, which is never loaded",
    "other": "is not an .npz archive (it does not start like one)",
}


def read_npz(path: Path, what: str = "model file") -> dict[str, np.ndarray]:
    """Every array of an ``.npz`` file, loaded with ``allow_pickle=False``.

    ``what`` names the file in messages ("model file", "checkpoint").

    Raises:
        ModelFileError: one line naming the file (and the array): not an archive, truncated or
            corrupt, or an array of pickled Python objects.
    """
    try:
        kind = npz_kind(path)
    except OSError as e:
        raise ModelFileError(f"{path}: cannot be read ({e.strerror or e})") from None
    if kind != "zip":
        raise ModelFileError(f"{path}: {_NOT_NPZ[kind]}; expected a {what} written by backprop train --out")
    arrays: dict[str, np.ndarray] = {}
    with open(path, "rb") as f:  # ours to close: numpy leaves its own open on a corrupt archive
        try:
            archive = np.load(f, allow_pickle=False)
        except Exception as e:  # noqa: BLE001 - numpy/zipfile raise many kinds on a corrupt archive
            raise ModelFileError(f"{path}: not a readable {what} (truncated or corrupt: {_one_line(e)})") from None
        with archive:
            for key in archive.files:
                try:
                    arrays[key] = archive[key]
                except ValueError as e:
                    if "pickle" in str(e).lower() or "object arrays" in str(e).lower():
                        raise ModelFileError(
                            f"{path}: array {key!r} holds pickled Python objects, which are never loaded"
                        ) from None
                    raise ModelFileError(f"{path}: array {key!r} cannot be read (corrupt: {_one_line(e)})") from None
                except Exception as e:  # noqa: BLE001 - zlib/zipfile errors of a damaged member
                    raise ModelFileError(
                        f"{path}: array {key!r} cannot be read (truncated or corrupt: {_one_line(e)})"
                    ) from None
    return arrays


def check_format(arrays: dict[str, np.ndarray], path: Path, what: str = "model") -> str:
    """The file's ``format_version`` must be one this version reads; returns ``config_yaml``'s text.

    Raises:
        ModelFileError: no version or config (not ours), a version that is not a whole number,
            newer than :data:`FORMAT_VERSION` (hint: upgrade) or below 1.
    """
    if "format_version" not in arrays or "config_yaml" not in arrays:
        raise ModelFileError(f"{path}: not a backprop-cli {what} (no format_version/config_yaml)")
    v = arrays["format_version"]
    if v.shape != () or v.dtype.kind not in "iu":
        raise ModelFileError(f"{path}: format_version is {_shown(v)}; a whole number is expected "
                             f"(the file is damaged or not a backprop-cli {what})")
    version = int(v)
    if version > FORMAT_VERSION:
        raise ModelFileError(
            f"{path}: {what} format version {version} is newer than this backprop-cli reads "
            f"({FORMAT_VERSION})",
            "upgrade backprop-cli to load it",
        )
    if version < 1:
        raise ModelFileError(f"{path}: {what} format version {version} does not exist; this "
                             f"backprop-cli reads versions 1 to {FORMAT_VERSION}")
    text = arrays["config_yaml"]
    if text.shape != () or text.dtype.kind != "U":
        raise ModelFileError(f"{path}: config_yaml is {_shown(text)}; the stored config must be text")
    return str(text)


def stored_config(arrays: dict[str, np.ndarray], path: Path, what: str = "model") -> Config:
    """The validated config stored in a model or checkpoint file."""
    where = f"{path} (stored config)"
    try:
        raw = parse_yaml(check_format(arrays, path, what), where)
        data = raw.get("data") if isinstance(raw, dict) else None
        builtin = data.get("dataset") if isinstance(data, dict) else None
        if isinstance(builtin, str) and builtin in DATASET_TASKS and data.get("task") != DATASET_TASKS[builtin]:
            data["task"] = "auto"  # saved before Dec 2026 checked it: a built-in set's task was ignored
        return config_from_dict(raw, where, Path.cwd())
    except ModelFileError:
        raise
    except BackpropError as e:  # the message starts with `where`, which names the file
        raise ModelFileError(e.message, e.hint) from None


def _subfolders(path: Path) -> list[Path]:
    """The folders directly in ``path`` (none where it cannot be listed)."""
    try:
        return [sub for sub in path.iterdir() if sub.is_dir()]
    except OSError:
        return []


def runs_inside_hint(path: Path, marks: tuple[str, ...] = ("model.npz",)) -> str | None:
    """For a folder given where a run was wanted (``runs``, the folder ``train --out runs/iris``
    made): the hint naming the runs in it, its subfolders holding one of ``marks`` (``it holds a
    run: runs/iris; give it``); None when it holds none."""
    runs = sorted(str(sub) for sub in _subfolders(path) if any((sub / mark).is_file() for mark in marks))
    if not runs:
        return None
    return (f"it holds {'a run' if len(runs) == 1 else 'runs'}: {', '.join(runs[:4])}"
            f"{f', … ({len(runs)} in all)' if len(runs) > 4 else ''}; give {'it' if len(runs) == 1 else 'one of them'}")


def missing_run_hint(path: Path, marks: tuple[str, ...] = ("model.npz",)) -> str | None:
    """For a run folder or model file not found (``predict runs/housee``): ``did you mean runs/house?``, the
    nearest name beside it (:func:`names.nearest_name`) that is a run (a folder holding one of ``marks``)
    or, for a name ending .npz, a model file; a run folder's model.npz whose folder is mistyped
    (``runs/housee/model.npz``) is offered as ``runs/house/model.npz``. None where nothing is near.
    Shared by ``load_model`` and ``plot``."""
    from .names import nearest_name

    inner = None
    if path.name == "model.npz" and not os.path.lexists(path.parent) and path.parent != path.parent.parent:
        path, inner = path.parent, path.name  # runs/housee/model.npz: the run's folder is the name mistyped
    folder = path.parent
    try:
        if not folder.is_dir():
            return None
        near = [sub.name for sub in folder.iterdir()
                if sub.name != path.name and (any((sub / mark).is_file() for mark in marks)
                                              or (inner is None and path.suffix.lower() == ".npz"
                                                  and sub.suffix.lower() == ".npz" and sub.is_file()))]
    except OSError:  # a folder that cannot be listed
        return None
    def stem(name: str) -> str:  # by the names before .npz, as a config's are by theirs: the shared '.npz'
        return name[:-4] if name.lower().endswith(".npz") else name  # made no_such_model.npz near empty_model.npz

    stems = {stem(name): name for name in near}
    close = stems.get(nearest_name(stem(path.name), stems) or "")
    if close is None:
        return None
    offered = folder / close if str(folder) != "." else Path(close)
    return f"did you mean {offered / inner if inner else offered}?"


def model_folder_hint(path: Path) -> str | None:
    """For a folder whose model.npz is a folder that is a run or holds runs (``train --out DIR/model.npz``:
    ``model_file`` and ``not_a_model_file`` pass it as such): the hint naming that run (``it holds a run:
    DIR/model.npz; give it``) or the runs in it; None otherwise. Shared by ``load_model`` and ``plot``."""
    inner = path / "model.npz"
    if not inner.is_dir() or not _run_like(inner):
        return None
    return runs_inside_hint(inner) or f"it holds a run: {inner}; give it"


def model_folder_kind(path: Path) -> str | None:
    """What ``path``'s model.npz is where ``model_folder_hint`` names it (a folder that is a run or holds
    runs): "a run's folder" or "a folder of runs", for a message that does not call it missing; None
    otherwise."""
    inner = path / "model.npz"
    if not inner.is_dir() or not _run_like(inner):
        return None
    return "a folder of runs" if runs_inside_hint(inner) else "a run's folder"


def model_file(path: Path) -> Path:
    """The model file ``path`` names: itself, or for a run folder (``train --out DIR``) the
    ``model.npz`` in it, as ``plot DIR`` reads it (whatever that name holds: a folder or a broken
    link there is said to be one by ``load_model``, under its own name), except a folder so named
    that is a run or holds runs (``train --out DIR/model.npz``): ``DIR`` is then the folder of a
    run, said as such by ``load_model``, not a run whose model is ``DIR/model.npz/model.npz``. The
    same path again gives the same path (the commands resolve it, then ``load_model`` does)."""
    inner = path / "model.npz"
    if not path.is_dir() or not os.path.lexists(inner) or (inner.is_dir() and _run_like(inner)):
        return path
    return inner


def load_model(path: Path | str) -> SavedModel:
    """Load a model saved by ``save_model`` (or the one of a run folder, :func:`model_file`);
    every problem is a one-line ModelFileError.

    Nothing is unpickled; the stored config is validated, and every array is checked against
    it (names, shapes, finite numbers) before a network is built.
    """
    if str(path) == "-" and not Path("-").exists():  # `predict - rows.csv`: '-' is standard input for rows only
        raise ModelFileError("-: a model cannot be read from standard input ('-' reads it only for a CSV of rows, "
                             "predict's INPUT_CSV and evaluate --data, and for a CONFIG); give the model's file or "
                             "its run folder", "backprop train CONFIG --out DIR makes one: give DIR (or DIR/model.npz)")
    path = model_file(Path(path))
    problem = file_problem(path)
    odd = not_a_model_file(path)
    if odd is not None:  # a run folder's model.npz that is a folder or a broken link (it was named 'a folder,
        # expected a model .npz file'), a FIFO (which numpy would wait on for ever)
        raise ModelFileError(f"{path}: is {odd}, not a model .npz file", odd_model_hint(path, odd))
    if problem == "no such file":
        import shlex

        # as plot's 'run folder not found (make one with: …)': a run folder or its model.npz, which
        # `train --out DIR` writes; an other.npz is saved from Python (save_model)
        out = path.parent if path.name == "model.npz" else None if path.suffix.lower() == ".npz" else path
        if out is not None and path.name == "model.npz" and out.is_dir():
            from .runs import unfinished_run_hint  # (runs imports this module)

            # the model.npz of a run being trained, interrupted or diverged: what to do with that run,
            # as for its folder (it said 'make one with: backprop train CONFIG --out runs/unf' of a
            # run whose checkpoint a --resume finishes)
            if (unfinished := unfinished_run_hint(out)) is not None:
                raise ModelFileError(f"{path}: model file not found", unfinished)
        make = f" (make one with: backprop train CONFIG --out {shlex.quote(str(out))})" if out is not None else ""
        raise ModelFileError(f"{path}: model file not found{make}", missing_run_hint(path))
    if problem is not None and path.is_dir():
        from .runs import unfinished_run_hint  # (runs imports this module)

        hint = unfinished_run_hint(path)  # being trained, diverged or interrupted: what to do
        if hint is None:  # `--model runs`: the folder of the runs, not a run
            hint = runs_inside_hint(path)
        if hint is None:  # `train --out DIR/model.npz` (model_file)
            hint = model_folder_hint(path)
        raise ModelFileError(f"{path}: is a folder, expected a model .npz file (or a run folder holding model.npz)",
                             hint)
    if problem is not None:
        raise ModelFileError(f"{path}: {problem}")
    try:
        arrays = read_npz(path, "model file")
    except ModelFileError as e:
        if e.hint is None:
            e.hint = _not_a_model_hint(path)
        raise
    kind = arrays.get("kind")
    if kind is not None and kind.shape == () and str(kind) == "checkpoint":
        model = path.with_name("model.npz")
        from .runs import unfinished_run_hint

        hint = (f"use {model}, written beside it at the end of the run" if model.is_file() else
                unfinished_run_hint(path.parent) or "a run's model is model.npz in its --out folder; a checkpoint "
                "resumes a run: backprop train CONFIG --out DIR --resume")
        raise ModelFileError(f"{path}: is a training checkpoint, not a model", hint)
    return _from_arrays(arrays, path)


def not_a_model_file(path: Path) -> str | None:
    """What ``path``, given for a model file (a run folder's ``model.npz``), is when it is there but
    no regular file (``not_a_file``), to be said as such: None for a regular file, for nothing there,
    for a folder not named model.npz (a folder given for a model) and for a folder named model.npz
    that is a run or holds runs (``train --out x/model.npz``, said to be a run's folder). Shared by
    ``load_model`` and ``plot``, which must tell the same."""
    odd = not_a_file(path)
    if odd is not None and odd.startswith("a folder") and (path.name != "model.npz" or _run_like(path)):
        return None
    return odd


def _run_like(folder: Path) -> bool:
    """Whether a folder named model.npz is a run's (``train --out x/model.npz``: its model.npz, or
    being trained, interrupted or diverged) or holds runs: said as such, not as a model.npz that is
    a folder."""
    from .runs import unfinished_run_hint  # (runs imports this module)

    return ((folder / "model.npz").is_file() or unfinished_run_hint(folder) is not None
            or runs_inside_hint(folder, ("model.npz", "checkpoint.npz", "metrics.csv")) is not None)


def odd_model_hint(path: Path, odd: str) -> str | None:
    """The hint for a model path that holds no regular file (``not_a_model_file``'s ``odd``): a broken link's
    way back; for a run folder's model.npz, that train writes a file there (and refuses the name as it
    is), with the run's way on: ``--resume`` from its checkpoint (which writes model.npz even when no
    epochs are left), or a new run."""
    if odd.startswith("a broken link"):
        return "restore the file it pointed to, or give the model's file itself"
    folder = path.parent
    if path.name != "model.npz" or not any((folder / name).is_file() for name in ("checkpoint.npz", "metrics.csv",
                                                                                  "config.yaml")):
        return None
    import shlex

    cleared = "remove it (backprop train writes model.npz as a file)"
    config = shlex.quote(str(folder / "config.yaml")) if (folder / "config.yaml").is_file() else "CONFIG"
    if (folder / "checkpoint.npz").is_file():
        return f"{cleared}, then finish the run: backprop train {config} --out {shlex.quote(str(folder))} --resume"
    return f"{cleared}, then train the run again: backprop train {config} --out {shlex.quote(str(folder))} --overwrite"


def _not_a_model_hint(path: Path) -> str | None:
    """The hint for a file given for a model that is no .npz archive: another file of a run folder
    (its config.yaml, metrics.csv) names the run's model; a YAML config, its run or the train that makes one."""
    folder = path.parent
    if path.name != "model.npz" and (folder / "model.npz").is_file():
        return f"the model of that run is {folder / 'model.npz'}: give it, or the run folder {folder}"
    if path.name != "model.npz" and (folder / "metrics.csv").is_file():  # a run with no model yet
        from .runs import unfinished_run_hint

        hint = unfinished_run_hint(folder)
        if hint is not None:
            return hint
    if path.suffix.lower() in (".yaml", ".yml"):
        return _config_given_hint(path)
    return None


def _config_given_hint(path: Path) -> str:
    """A YAML config given for a model: the run of it that runs/NAME (or runs/NAME-2, …) already holds,
    where that run's stored config is this config's; else the train that makes one, into the first of
    those folders that is free (train refuses one that holds a run)."""
    import shlex

    from .config import load_config
    from .runs import CHECKPOINT, RUN_LOCK, RUN_PICTURES  # (runs imports this module)

    run_marks = ("model.npz", CHECKPOINT, "metrics.csv", "metrics.jsonl", "config.yaml", *RUN_PICTURES, RUN_LOCK)
    try:
        mine: dict[str, Any] | None = load_config(path).to_dict()
    except (BackpropError, OSError):
        mine = None  # train will say what is wrong with it
    taken = None  # why runs/NAME was passed over, said after the train command
    near = None  # a run of it with train's own options, given where no run of it exactly is found
    for n in range(1, 21):
        out = Path("runs") / (path.stem if n == 1 else f"{path.stem}-{n}")
        try:  # as train's --out takes it: no run's file in it, nor another train's lock
            free = not out.exists() or (out.is_dir() and not any((out / name).exists() for name in run_marks))
        except OSError:
            free = False
        if free:
            if near is not None:
                return near
            train = (f"a config is not a model; train it first: backprop train {shlex.quote(str(path))} "
                     f"--out {shlex.quote(str(out))}, then give {out}")
            return train if taken is None else f"{train} ({taken})"
        stored = None  # the config of the run out holds, where it can be read
        if mine is not None and (out / "model.npz").is_file():
            try:
                stored = load_model(out).config.to_dict()
            except (BackpropError, OSError, ValueError):
                stored = None  # unreadable: not claimed to be a run of it, nor of another config
        if stored is not None and mine is not None:  # data.path resolved alike: a run of this very config, or of
            # it with a command line's own values (train --seed 3, --epochs, --lr), which answers the user as well
            changed = _changed_fields(mine, stored)
            if not changed:
                return f"a config is not a model; {out} holds a run of it: give {out}"
            if set(changed) <= _COMMAND_LINE_FIELDS:
                if near is None:  # an exact run of it, in a later folder, is named first
                    said = ", ".join(f"{name} {'null' if changed[name] is None else changed[name]}"
                                     for name in sorted(changed))
                    near = f"a config is not a model; {out} holds a run of it (with {said}): give {out}"
                continue
        if taken is None:
            taken = f"{out} holds a run of another config" if stored is not None else f"{out} already holds a run"
    return near if near is not None else (
        f"a config is not a model; train it first: backprop train {shlex.quote(str(path))} --out DIR, then give DIR")


#: Fields train's options give on the command line (--seed, --epochs, --lr, --checkpoint-every) and a
#: run's log setting: a run that differs from a config in these alone is a run of that config.
_COMMAND_LINE_FIELDS = {"seed", "training.epochs", "training.learning_rate", "training.checkpoint_every",
                        "training.log_every"}


def _changed_fields(mine: dict[str, Any], stored: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """The dotted fields whose values differ between two configs' dicts, with the stored one's value."""
    changed: dict[str, Any] = {}
    for key in mine.keys() | stored.keys():
        a, b = mine.get(key), stored.get(key)
        if isinstance(a, dict) and isinstance(b, dict):
            changed.update(_changed_fields(a, b, f"{prefix}{key}."))
        elif a != b:
            changed[f"{prefix}{key}"] = b
    return changed


def _from_arrays(arrays: dict[str, np.ndarray], path: Path) -> SavedModel:
    config = stored_config(arrays, path)
    sizes = list(config.network.layers)
    _check_parameters(arrays, sizes, path)
    net = Network.from_config(config)
    net.weights = [arrays[f"w{l}"] for l in range(1, net.L + 1)]
    net.biases = [arrays[f"b{l}"] for l in range(1, net.L + 1)]
    try:
        scaler = None
        if "x_mean" in arrays or "x_scale" in arrays:
            for key in ("x_mean", "x_scale"):
                if key not in arrays:
                    raise ModelFileError(f"{path}: array {key!r} is missing (the input standardization "
                                         "needs both x_mean and x_scale)")
                _check_numbers(arrays, key, (sizes[0],), path, "(one per input)")
            scale = arrays["x_scale"]
            if not (scale > 0).all():  # x / 0: Standardizer's own message named neither the array nor the value
                at = int(np.flatnonzero(~(scale > 0))[0])
                raise ModelFileError(f"{path}: array 'x_scale' at [{at}] is {scale[at]}; the input standardizer's "
                                     "scales (the training columns' standard deviations, 1 for a constant column) "
                                     "must be numbers above 0")
            scaler = Standardizer(mean=arrays["x_mean"], scale=arrays["x_scale"])
        names = _names(arrays, "class_names")
        if names is not None:  # "2.0", "2.5" from before Dec 2026: "2", "2.5" as the data name them now
            names = modern_label_names(names)
        if names is not None and len(names) != (2 if sizes[-1] == 1 else sizes[-1]):
            raise ValueError(f"class_names has {plural(len(names), 'name')} for {plural(sizes[-1], 'output')} "
                             f"(expected {2 if sizes[-1] == 1 else sizes[-1]})")
        features = _names(arrays, "feature_names")
        if features is not None and len(features) != sizes[0]:
            raise ValueError(f"feature_names has {plural(len(features), 'name')} for {plural(sizes[0], 'input')}")
        targets = _names(arrays, "target_names")
        task = _text(arrays, "task")
        if targets is not None and task in (None, "classification", "regression"):
            expected = target_names_expected(len(targets), sizes[-1], task)
            if expected is not None:  # a file written by other means: evaluate blamed the CSV file it read
                raise ValueError(f"target_names has {plural(len(targets), 'name')} for {plural(sizes[-1], 'output')}; "
                                 f"expected {expected}")
        digest = _text(arrays, "data_digest")
        if digest is not None:  # one not as written was said to be data changed since training
            read = read_data_digest(digest)
            if read is None:
                raise ValueError(f"data_digest {shown(digest)} is not a data file's fingerprint (32 hex digits)")
            digest = read
        source = _text(arrays, "data_source")
        if task not in (None, "classification", "regression"):
            raise ValueError(f"task {task!r} is not classification or regression")
        if source not in (None, FROM_ARRAYS):
            raise ValueError(f"data_source {source!r} is not {FROM_ARRAYS!r}")
    except ValueError as e:
        raise ModelFileError(f"{path}: {getattr(e, 'message', e)}") from None
    except ModelFileError:
        raise
    except BackpropError as e:  # Standardizer's own checks (every scale > 0)
        raise ModelFileError(f"{path}: {e.message}") from None
    return SavedModel(net, config, scaler, names, path, features, targets, task, digest, has_data=source is None)


def _check_parameters(arrays: dict[str, np.ndarray], sizes: list[int], path: Path) -> None:
    """w1…wL and b1…bL must exist with the shapes the stored network.layers gives (and no
    more layers than it has), hold finite numbers, and nothing else is built before this."""
    L = len(sizes) - 1
    layers = f"the stored config's network.layers {sizes}"
    extra = sorted(k for k in arrays if k[:1] in "wb" and k[1:].isdigit() and not 1 <= int(k[1:]) <= L)
    if extra:
        raise ModelFileError(f"{path}: has array {extra[0]!r}, but {layers} has only {L} weight layers; "
                             "the file's weights do not match its config")
    for l in range(1, L + 1):
        for key, shape in ((f"w{l}", (sizes[l], sizes[l - 1])), (f"b{l}", (sizes[l],))):
            if key not in arrays:
                raise ModelFileError(f"{path}: array {key!r} is missing ({layers} needs w1…w{L} and b1…b{L})")
            _check_numbers(arrays, key, shape, path, f"for {layers}")


def _check_numbers(arrays: dict[str, np.ndarray], key: str, shape: tuple[int, ...], path: Path,
                   why: str) -> None:
    a = arrays[key]
    if a.dtype.kind not in "fiu":
        raise ModelFileError(f"{path}: array {key!r} has dtype {a.dtype}; real numbers are required")
    if a.shape != shape:
        rows, cols = shape if len(shape) == 2 else (0, 0)
        transposed = (f"; {looks_transposed(int(key[1:]), rows, cols)}: save its transpose (w.T)"
                      if rows != cols and a.shape == (cols, rows) and key[1:].isdigit() else "")
        raise ModelFileError(f"{path}: array {key!r} has shape {a.shape}, expected {shape} {why}{transposed}")
    if a.dtype.kind == "f" and not np.all(np.isfinite(a)):
        at = tuple(int(i) for i in np.argwhere(~np.isfinite(a))[0])
        raise ModelFileError(f"{path}: array {key!r} at {list(at)} is {a[at]}; a model's numbers must be "
                             "finite (was it saved after training diverged?)")


def _text(arrays: dict[str, np.ndarray], key: str) -> str | None:
    """A 0-d text array as a str (None when the file has no such array)."""
    if key not in arrays:
        return None
    a = arrays[key]
    if a.shape != () or a.dtype.kind != "U":
        raise ValueError(f"{key} must be text, got {a.dtype} of shape {a.shape}")
    return str(a)


def _one_line(e: Exception, limit: int = 120) -> str:
    text = " ".join(str(e).split()) or type(e).__name__
    return text if len(text) <= limit else text[:limit] + "..."


def _shown(a: np.ndarray) -> str:
    """A short description of an unexpected array for a message."""
    if a.size <= 4 and a.dtype.kind in "biufU":
        return shown(a.tolist())
    return f"an array of {a.dtype} with shape {a.shape}"


def _names(arrays: dict[str, np.ndarray], key: str) -> tuple[str, ...] | None:
    """A 1-D text array of names as a tuple (None when the file has no such array)."""
    if key not in arrays:
        return None
    a = arrays[key]
    if a.ndim != 1 or a.dtype.kind != "U":
        raise ValueError(f"{key} must be a 1-D text array, got {a.dtype} of shape {a.shape}")
    names = tuple(str(s) for s in a)
    problem = names_problem(key, names)
    if problem is not None:
        raise ValueError(problem)
    return names


#: What each name of a model's names is for, as an empty one is refused (``names_problem``).
_NAMED = {"feature_names": "input column", "class_names": "class", "target_names": "target column"}


def names_problem(key: str, names: tuple[str, ...]) -> str | None:
    """Why a model's ``key`` (feature_names, class_names, target_names) cannot be these ``names``:
    one empty or blank (a CSV header's names and a data file's labels are stripped, never empty: an
    empty class printed an empty label, a ``p_`` column, an empty confusion-matrix row), or one twice
    (the columns predict reads and writes by name: an empty or repeated input name was blamed on the
    CSV file, a repeated class wrote two columns, two JSON keys, of one name). None when they are fine."""
    for i, name in enumerate(names):
        if not name.strip():
            return f"{key}[{i}] is empty; every {_NAMED.get(key, 'name')} needs a name"
        if name in names[:i]:
            return f"{key} has {name!r} twice; the names must be unique"
    return None


METRICS_COLUMNS = (
    "epoch", "train_cost", "train_accuracy", "test_cost", "test_accuracy", "seconds",
    "learning_rate", "val_cost", "val_accuracy",
)


def metrics_csv(history: Any) -> str:
    """``metrics.csv`` text: one row per epoch; empty cells where a figure does not apply."""
    return "\n".join([",".join(METRICS_COLUMNS), *map(metrics_csv_row, history)]) + "\n"


def metrics_csv_row(s: Any) -> str:
    """One epoch's ``metrics.csv`` line (no newline)."""
    cells = [getattr(s, c) for c in METRICS_COLUMNS]
    # float(): a numpy scalar's repr is "np.float64(0.5)" since numpy 2; repr keeps every digit
    return ",".join("" if v is None else repr(float(v)) if isinstance(v, (float, np.floating))
                    else str(int(v)) if isinstance(v, (int, np.integer)) else str(v) for v in cells)


def save_run(out_dir: Path, experiment: Any, history: Any) -> None:
    """Write ``model.npz``, ``metrics.csv`` and the resolved ``config.yaml`` into ``out_dir``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    save_model(
        out_dir / "model.npz",
        experiment.net,
        experiment.config,
        experiment.standardizer,
        experiment.train.class_names,
        feature_names=experiment.train.feature_names,
        target_names=experiment.train.target_names,
        task=experiment.train.task,
        data_digest=experiment.data_digest,
    )
    atomic_write_text(out_dir / "metrics.csv", metrics_csv(history))
    atomic_write_text(out_dir / "config.yaml", experiment.config.to_yaml())
