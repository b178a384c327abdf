"""Arrays a user hands the Python API, checked once: real numbers, or a one-line ``InputError``.

``network.py`` (X, Y, weights, biases) and ``data.py`` (``Dataset``) both read user arrays;
this module, below both (numpy and errors only), words the refusal the same way for each:
``X: holds text; real numbers are required (shape (n_samples, 2))``.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
from numpy.typing import NDArray

from .errors import InputError

Array = NDArray[np.floating]

_KINDS = {"c": "complex numbers", "U": "text", "S": "text", "O": "Python objects", "M": "dates",
          "m": "time spans", "V": "raw records"}


def real_array(values: Any, name: str, dtype: Any = np.float64, expected: str = "") -> Array:
    """``values`` (an array, nested lists, a number) as an array of real numbers in ``dtype``
    (no copy when it already is one), or an ``InputError`` naming ``name``: None, text (even
    '1.5': numpy would parse it silently), complex numbers (numpy would drop the imaginary
    part with a warning), ragged rows or other objects. ``expected``, e.g. "(n_samples, 2)",
    is the shape quoted in the message. Booleans and integers become ``dtype``."""
    if type(values) is np.ndarray and values.dtype.kind in "biuf":  # the common case, fast (loops call
        return values if values.dtype == dtype else _cast(values, dtype)  # cost() per parameter)
    shape = f" (shape {expected})" if expected else ""
    if values is None:
        raise InputError(f"{name}: None; expected an array of real numbers{shape}")
    ragged = InputError(f"{name}: not an array of numbers (rows of different lengths?); expected an "
                        f"array of real numbers{shape}")
    try:
        with warnings.catch_warnings():  # numpy < 1.24 makes ragged rows an object array, with a warning
            warnings.simplefilter("ignore")
            raw = np.asarray(values)
    except (ValueError, TypeError):  # ragged rows (numpy ≥ 1.24)
        raise ragged from None
    if raw.dtype.kind == "O" and any(isinstance(v, (list, tuple, np.ndarray)) for v in raw.flat):
        raise ragged
    if raw.dtype.kind not in "biuf":
        what = _KINDS.get(raw.dtype.kind, f"values of type {raw.dtype}")
        raise InputError(f"{name}: holds {what}; real numbers are required{shape}")
    return _cast(raw, dtype)


def _cast(values: Array, dtype: Any) -> Array:
    # a float32 network: numbers beyond its range become ±inf, refused by whoever needs them
    # finite (the cost, the gradients, the weights) with the reason; no numpy warning
    with np.errstate(over="ignore"):
        return values.astype(dtype, copy=False)
