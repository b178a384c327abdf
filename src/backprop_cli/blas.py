"""Two BLAS calls numpy does not offer: C ← β C − Aᵀ B in a single matrix product (GEMM), and
y ← α x + β y in a single pass (OpenBLAS's ``?axpby``, for the optimizers).

The trainer's plain-SGD update of a layer, [w | b]ᵀ ← [w | b]ᵀ − [a 1]ᵀ δ (η already in δ),
otherwise takes two passes: the product into a gradient buffer, then a subtraction that reads
the weights and the freshly written gradient again (half of which sits in the other core's
cache after a 2-thread product). On the ``wide`` benchmark layer (785 × 256) that subtraction
cost 25 µs (float32) and 50 µs (float64) per step, 3-4% of the step; on tiny layers the call
itself is the cost, and one prepared call (0.6 µs for 3 × 4) beats two numpy calls (1.2 µs).

Only numpy's own OpenBLAS is used, the copy its wheels ship (``scipy_cblas_?gemm64_``, 64-bit
integers, or ``scipy_cblas_?gemm``, 32-bit): the same library and thread pool as
``np.matmul``. It is found next to numpy, loaded with ctypes, and checked once against
``np.matmul`` on a small product; anything else (another BLAS, a failed check, the
environment variable ``BACKPROP_CLI_NO_BLAS`` set to anything but empty or ``0``) leaves
:func:`subtract_product` and :func:`axpby` returning None and the caller on its numpy path.

``axpby`` (``scipy_cblas_?axpby64_``, an OpenBLAS extension of level-1 BLAS) makes momentum's
v ← μ v + g and Adam's m ← β1 m + (1 − β1) g one pass each, where numpy takes three (scale, scale
into a scratch array, add); it also serves for θ ← θ − η v (β = 1) instead of ``?axpy``, which
OpenBLAS splits over its threads above 10,000 elements: on `wide`'s 785 × 256 layer that took
141 µs (float32) against 25 for ``axpby``, which runs on one thread (benchmarks/optimizers.py).
"""

from __future__ import annotations

import ctypes
import glob
import os
from collections.abc import Callable
from functools import lru_cache
from typing import Any

import numpy as np

_ROW_MAJOR, _NO_TRANS, _TRANS = 101, 111, 112

#: (symbol pattern, integer type): the names scipy-openblas gives cblas_?gemm in numpy's wheels
_SYMBOLS = (("scipy_cblas_{}gemm64_", ctypes.c_int64), ("scipy_cblas_{}gemm", ctypes.c_int32))
#: the same library's cblas_?axpby, by the same integer type: {gemm pattern: axpby pattern}
_AXPBY = {"scipy_cblas_{}gemm64_": "scipy_cblas_{}axpby64_", "scipy_cblas_{}gemm": "scipy_cblas_{}axpby"}
_TYPES = {np.dtype(np.float64): ("d", ctypes.c_double), np.dtype(np.float32): ("s", ctypes.c_float)}


def _libraries() -> list[str]:
    """numpy's bundled OpenBLAS: numpy.libs (Linux and Windows wheels) or numpy/.dylibs (macOS)."""
    here = os.path.dirname(np.__file__)
    found: list[str] = []
    for folder in (os.path.join(here, os.pardir, "numpy.libs"), os.path.join(here, ".dylibs")):
        found += sorted(glob.glob(os.path.join(folder, "*openblas*")))
    return found


def _bind(lib: ctypes.CDLL, pattern: str, int_t: Any) -> dict[np.dtype, Any] | None:
    """{dtype: (gemm, integer type, real type, axpby or None)}, or None when gemm is missing.

    The functions get no ``argtypes``: every call passes ctypes objects made once
    (``_args``), which ctypes hands over as they are. Converting 14 Python values through
    ``argtypes`` cost ~0.75 µs a call, more than a whole 4 × 3 product.
    """
    functions = {}
    for dtype, (letter, real) in _TYPES.items():
        try:
            fn = lib[pattern.format(letter)]  # a function object of our own (getattr's is shared)
        except AttributeError:
            return None
        fn.restype = None
        try:
            fn_axpby = lib[_AXPBY[pattern].format(letter)]
            fn_axpby.restype = None
        except AttributeError:  # another BLAS: only the GEMM update
            fn_axpby = None
        functions[dtype] = (fn, int_t, real, fn_axpby)
    return functions


def _agrees(functions: dict[np.dtype, Any]) -> bool:
    """The bound functions compute C − Aᵀ B like numpy, on a strided A, and α x + β y, in both
    dtypes (an axpby that disagrees is dropped, the GEMM kept)."""
    rng = np.random.default_rng(0)
    for dtype, (fn, int_t, real, fn_axpby) in list(functions.items()):
        a = rng.standard_normal((7, 6)).astype(dtype)[:5, :4]  # rows strided: lda 6 > 4
        b = rng.standard_normal((5, 3)).astype(dtype)
        c = rng.standard_normal((4, 3)).astype(dtype)
        want = c - a.T @ b
        fn(*_args(c, a, b, int_t, real))
        if not np.allclose(c, want, rtol=1e-5, atol=1e-5):
            return False
        if fn_axpby is not None:
            x, y = rng.standard_normal((2, 37)).astype(dtype)
            want = 0.25 * x - 1.5 * y
            fn_axpby(int_t(37), real(0.25), ctypes.c_void_p(x.ctypes.data), int_t(1), real(-1.5),
                     ctypes.c_void_p(y.ctypes.data), int_t(1))
            if not np.allclose(y, want, rtol=1e-5, atol=1e-5):
                functions[dtype] = (fn, int_t, real, None)
    return True


def _args(c: np.ndarray, a: np.ndarray, b: np.ndarray, int_t: Any, real: Any) -> tuple[Any, ...]:
    """cblas_?gemm's arguments for c ← −1 · aᵀ b + 1 · c, all row-major, as ctypes objects."""
    m, k = a.shape
    n = b.shape[1]
    enum, ptr = ctypes.c_int, ctypes.c_void_p
    return (enum(_ROW_MAJOR), enum(_TRANS), enum(_NO_TRANS), int_t(k), int_t(n), int_t(m), real(-1.0),
            ptr(a.ctypes.data), int_t(a.strides[0] // a.itemsize), ptr(b.ctypes.data),
            int_t(b.strides[0] // b.itemsize), real(1.0), ptr(c.ctypes.data), int_t(c.strides[0] // c.itemsize))


@lru_cache(maxsize=1)
def _functions() -> dict[np.dtype, Any] | None:
    if os.environ.get("BACKPROP_CLI_NO_BLAS", "") not in ("", "0"):
        return None
    for path in _libraries():
        try:
            lib = ctypes.CDLL(path)
        except OSError:
            continue
        for pattern, int_t in _SYMBOLS:
            functions = _bind(lib, pattern, int_t)
            if functions is not None:
                return functions if _agrees(functions) else None
    return None


def available() -> bool:
    """Whether :func:`subtract_product` can give a fused call here."""
    return _functions() is not None


def _blas_layout(x: np.ndarray) -> bool:
    """Rows of contiguous elements, aligned to the element size (what GEMM's lda describes)."""
    return (x.ndim == 2 and x.strides[1] == x.itemsize and x.strides[0] % x.itemsize == 0
            and x.strides[0] >= x.shape[1] * x.itemsize)


def subtract_product(c: np.ndarray, a: np.ndarray, b: np.ndarray, scaled: bool = False) -> Callable[..., None] | None:
    """A call that does c ← c − aᵀ b in one GEMM whenever it is called, or None. ``scaled``:
    the call takes a factor ``keep`` and does c ← keep · c − aᵀ b (GEMM's β; L2's weight decay).

    ``a`` (m, k) and ``b`` (m, n) are read and ``c`` (k, n) written at the addresses they have
    now (the call keeps the arrays alive; resizing them in place would break it). None when
    numpy's BLAS cannot be used here, the dtypes differ or are not float32 or float64, or a
    layout is not one GEMM can read (rows of contiguous elements).
    """
    functions = _functions()
    if functions is None or not (a.dtype == b.dtype == c.dtype) or c.dtype not in functions:
        return None
    if a.shape[0] != b.shape[0] or c.shape != (a.shape[1], b.shape[1]) or not c.flags.writeable:
        return None
    if not all(_blas_layout(x) for x in (a, b, c)):
        return None
    fn, int_t, real, _ = functions[c.dtype]
    args = _args(c, a, b, int_t, real)
    if scaled:
        before, after = args[:11], args[12:]  # β is argument 11

        def scaled_call(keep: float, _keep: tuple[np.ndarray, ...] = (c, a, b)) -> None:
            fn(*before, real(keep), *after)

        return scaled_call

    def call(_keep: tuple[np.ndarray, ...] = (c, a, b)) -> None:  # _keep: the memory stays alive
        fn(*args)

    return call


def axpby(x: np.ndarray, y: np.ndarray) -> Callable[[float, float], None] | None:
    """A call ``(alpha, beta)`` that does y ← alpha · x + beta · y in one pass, or None.

    ``x`` and ``y`` must have the same shape and the same strides, and each be one contiguous
    block (C or Fortran order, as a transposed view of a C array is): then element i of the
    one is element i of the other in memory order, and the pair is one BLAS vector each.
    Like :func:`subtract_product` the call works on the addresses the arrays have now and
    keeps them alive. None when numpy's OpenBLAS (or its axpby) cannot be used here, the dtypes
    differ or are not float32 or float64, or the layouts are not that.
    """
    functions = _functions()
    if functions is None or x.dtype != y.dtype or y.dtype not in functions:
        return None
    fn, int_t, real, fn_axpby = functions[y.dtype]
    if fn_axpby is None or x.shape != y.shape or x.strides != y.strides or not y.flags.writeable:
        return None
    if not (x.flags.aligned and y.flags.aligned and (x.flags.c_contiguous or x.flags.f_contiguous)):
        return None
    n, one = int_t(x.size), int_t(1)
    px, py = ctypes.c_void_p(x.ctypes.data), ctypes.c_void_p(y.ctypes.data)

    def call(alpha: float, beta: float, _keep: tuple[np.ndarray, ...] = (x, y)) -> None:
        fn_axpby(n, real(alpha), px, one, real(beta), py, one)

    return call
