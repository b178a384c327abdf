"""Saving and loading models as ``.npz`` (no pickle), and atomic file writes.

A model file holds: ``format_version`` (int), ``config_yaml`` (the resolved config
as text), ``w1``…``wL`` and ``b1``…``bL`` (weights[l-1] is ``w{l}``), and when
present ``x_mean``/``x_scale`` (the standardization of the inputs) and
``class_names``. Every array is plain numbers or unicode text, so the file loads
with ``np.load(..., allow_pickle=False)``.
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


def save_model(
    path: Path,
    net: Network,
    config: Config,
    standardizer: Standardizer | None = None,
    class_names: tuple[str, ...] | None = None,
) -> None:
    """Save ``net`` and what is needed to use it again, atomically."""
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
    except KeyError as e:
        raise ModelFileError(f"{path}: array {e.args[0]} is missing") from None
    except ValueError as e:
        raise ModelFileError(f"{path}: {e}") from None
    except BackpropError as e:
        raise ModelFileError(f"{path}: {e.message}") from None
    return SavedModel(net, config, scaler, names, path)


METRICS_COLUMNS = ("epoch", "train_cost", "train_accuracy", "test_cost", "test_accuracy", "seconds")


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
    )
    atomic_write_text(out_dir / "metrics.csv", metrics_csv(history))
    atomic_write_text(out_dir / "config.yaml", experiment.config.to_yaml())
