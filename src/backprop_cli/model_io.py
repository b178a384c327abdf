"""Saving and loading models as ``.npz`` (no pickle), and atomic file writes.

A model file holds: ``format_version`` (int), ``config_yaml`` (the resolved config
as text), ``w1``…``wL`` and ``b1``…``bL`` (weights[l-1] is ``w{l}``), and when
present ``x_mean``/``x_scale`` (the standardization of the inputs),
``class_names``, and the data's column names and kind: ``feature_names`` (one per
input, the CSV columns ``backprop predict`` reads), ``target_names`` and ``task``
(files written before these three existed still load; the fields are then None).
Every array is plain numbers or unicode text, so the file loads with
``np.load(..., allow_pickle=False)``.
"""

from __future__ import annotations

import os
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import numpy as np

from .config import Config, config_from_dict, parse_yaml
from .data import Standardizer
from .errors import BackpropError, ModelFileError
from .network import Network

FORMAT_VERSION = 1


def atomic_write(path: Path, write: Callable[[IO[bytes]], None]) -> None:
    """Write ``path`` through a temporary file in the same folder, then ``os.replace``.

    A crash at any moment leaves either the old file or the new one, never half a file.
    """
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            write(f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def atomic_write_text(path: Path, text: str) -> None:
    atomic_write(path, lambda f: f.write(text.encode("utf-8")))


@dataclass(frozen=True)
class SavedModel:
    net: Network
    config: Config
    standardizer: Standardizer | None
    class_names: tuple[str, ...] | None
    path: Path
    feature_names: tuple[str, ...] | None = None  # one per input (net.sizes[0])
    target_names: tuple[str, ...] | None = None  # the data's target column(s)
    task: str | None = None  # "classification" or "regression"


def save_model(
    path: Path,
    net: Network,
    config: Config,
    standardizer: Standardizer | None = None,
    class_names: tuple[str, ...] | None = None,
    *,
    feature_names: tuple[str, ...] | None = None,
    target_names: tuple[str, ...] | None = None,
    task: str | None = None,
) -> None:
    """Save ``net`` and what is needed to use it again, atomically.

    ``feature_names`` (one per input), ``target_names`` and ``task`` let the model
    be applied to a CSV file by column name later (``backprop predict``).
    """
    arrays: dict[str, Any] = {
        "format_version": np.array(FORMAT_VERSION),
        "config_yaml": np.array(config.to_yaml()),
    }
    for l, (w, b) in enumerate(zip(net.weights, net.biases), start=1):
        arrays[f"w{l}"] = w
        arrays[f"b{l}"] = b
    if standardizer is not None:
        arrays["x_mean"] = standardizer.mean
        arrays["x_scale"] = standardizer.scale
    if class_names is not None:
        arrays["class_names"] = np.array(list(class_names), dtype=str)
    for key, names in (("feature_names", feature_names), ("target_names", target_names)):
        if names is not None:
            arrays[key] = np.array(list(names), dtype=str)
    if task is not None:
        arrays["task"] = np.array(task, dtype=str)
    atomic_write(Path(path), lambda f: np.savez(f, **arrays))


def load_model(path: Path | str) -> SavedModel:
    """Load a model saved by ``save_model``; every problem is a one-line ModelFileError."""
    path = Path(path)
    if not path.exists():
        raise ModelFileError(f"{path}: model file not found")
    if path.is_dir():
        hint = f"did you mean {path / 'model.npz'}?" if (path / "model.npz").exists() else None
        raise ModelFileError(f"{path}: is a folder, expected a model .npz file", hint)
    try:
        with np.load(path, allow_pickle=False) as z:
            arrays = {k: z[k] for k in z.files}
    except ValueError as e:
        if "pickle" in str(e).lower():
            raise ModelFileError(f"{path}: holds pickled Python objects, which are never loaded") from None
        raise ModelFileError(f"{path}: not a readable model file ({e})") from None
    except (OSError, zipfile.BadZipFile, EOFError) as e:
        raise ModelFileError(f"{path}: not a readable model file (truncated or corrupt: {e})") from None
    return _from_arrays(arrays, path)


def _from_arrays(arrays: dict[str, np.ndarray], path: Path) -> SavedModel:
    if "format_version" not in arrays or "config_yaml" not in arrays:
        raise ModelFileError(f"{path}: not a backprop-cli model (no format_version/config_yaml)")
    version = int(arrays["format_version"])
    if version > FORMAT_VERSION:
        raise ModelFileError(
            f"{path}: model format version {version} is newer than this backprop-cli reads "
            f"({FORMAT_VERSION})",
            "upgrade backprop-cli to load it",
        )
    try:
        raw = parse_yaml(str(arrays["config_yaml"]), f"{path} (stored config)")
        config = config_from_dict(raw, f"{path} (stored config)", Path.cwd())
        net = Network.from_config(config)
        net.weights = [arrays[f"w{l}"] for l in range(1, net.L + 1)]
        net.biases = [arrays[f"b{l}"] for l in range(1, net.L + 1)]
        scaler = None
        if "x_mean" in arrays:
            scaler = Standardizer(mean=arrays["x_mean"], scale=arrays["x_scale"])
            if scaler.mean.shape != (net.sizes[0],):
                raise ValueError(f"x_mean has shape {scaler.mean.shape}, expected ({net.sizes[0]},)")
        names = tuple(str(s) for s in arrays["class_names"]) if "class_names" in arrays else None
        features = _names(arrays, "feature_names")
        if features is not None and len(features) != net.sizes[0]:
            raise ValueError(f"feature_names has {len(features)} names for {net.sizes[0]} inputs")
        targets = _names(arrays, "target_names")
        task = str(arrays["task"]) if "task" in arrays else None
        if task not in (None, "classification", "regression"):
            raise ValueError(f"task {task!r} is not classification or regression")
    except KeyError as e:
        raise ModelFileError(f"{path}: array {e.args[0]} is missing") from None
    except ValueError as e:
        raise ModelFileError(f"{path}: {e}") from None
    except BackpropError as e:
        raise ModelFileError(f"{path}: {e.message}") from None
    return SavedModel(net, config, scaler, names, path, features, targets, task)


def _names(arrays: dict[str, np.ndarray], key: str) -> tuple[str, ...] | None:
    """A 1-D text array of names as a tuple (None when the file has no such array)."""
    if key not in arrays:
        return None
    a = arrays[key]
    if a.ndim != 1 or a.dtype.kind != "U":
        raise ValueError(f"{key} must be a 1-D text array, got {a.dtype} of shape {a.shape}")
    return tuple(str(s) for s in a)


METRICS_COLUMNS = (
    "epoch", "train_cost", "train_accuracy", "test_cost", "test_accuracy", "seconds",
    "learning_rate", "val_cost", "val_accuracy",
)


def metrics_csv(history: Any) -> str:
    """``metrics.csv`` text: one row per epoch; empty cells where a figure does not apply."""
    lines = [",".join(METRICS_COLUMNS)]
    for s in history:
        cells = [getattr(s, c) for c in METRICS_COLUMNS]
        lines.append(",".join("" if v is None else repr(v) if isinstance(v, float) else str(v) for v in cells))
    return "\n".join(lines) + "\n"


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
    )
    atomic_write_text(out_dir / "metrics.csv", metrics_csv(history))
    atomic_write_text(out_dir / "config.yaml", experiment.config.to_yaml())
