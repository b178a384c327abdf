"""blas.py: the fused C ← C − Aᵀ B update, against numpy, and every way it declines."""

from __future__ import annotations

import numpy as np
import pytest

from backprop_cli import blas


@pytest.fixture
def fresh_lookup():
    """Let a test redo the library lookup; the next test gets a clean one again."""
    blas._functions.cache_clear()
    yield
    blas._functions.cache_clear()


needs_blas = pytest.mark.skipif(not blas.available(), reason="numpy's bundled OpenBLAS is not available here")


@needs_blas
@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_subtract_product_equals_numpy_on_the_trainers_layouts(dtype):
    rng = np.random.default_rng(0)
    buf = np.ones((12, 9), dtype)  # an input buffer with its ones column, used for 7 rows
    buf[:, :-1] = rng.normal(size=(12, 8))
    a = buf[:7]
    b = rng.normal(size=(7, 5)).astype(dtype)
    c = rng.normal(size=(9, 5)).astype(dtype)
    want = c - a.T @ b
    call = blas.subtract_product(c, a, b)
    assert call is not None
    call()
    np.testing.assert_allclose(c, want, rtol=1e-12 if dtype == "float64" else 1e-5, atol=1e-6)
    call()  # the call keeps its arrays: a second one subtracts again
    np.testing.assert_allclose(c, want - a.T @ b, rtol=1e-12 if dtype == "float64" else 1e-5, atol=1e-5)


@needs_blas
def test_subtract_product_declines_what_one_gemm_cannot_do():
    a, b, c = np.ones((4, 3)), np.ones((4, 2)), np.ones((3, 2))
    assert blas.subtract_product(c, a, b) is not None
    assert blas.subtract_product(c.astype(np.float32), a, b) is None  # mixed dtypes
    assert blas.subtract_product(c.astype(np.int64), a.astype(np.int64), b.astype(np.int64)) is None
    assert blas.subtract_product(np.ones((2, 3)).T, a, b) is None  # c not row-major
    assert blas.subtract_product(c, np.ones((3, 4)).T, b) is None  # a not row-major
    assert blas.subtract_product(c, np.ones((4, 6))[:, ::2], b) is None  # a's elements strided
    assert blas.subtract_product(np.ones((3, 3)), a, b) is None  # shapes do not fit
    ro = c.copy()
    ro.flags.writeable = False
    assert blas.subtract_product(ro, a, b) is None


@needs_blas
@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_axpby_equals_numpy_on_the_engines_layouts(dtype):
    rng = np.random.default_rng(1)
    wt = rng.normal(size=(9, 5)).astype(dtype)  # [w | b]ᵀ: w is the transposed view of its rows
    for x, y in ((rng.normal(size=(5, 8)).astype(dtype, order="F"), wt[:-1].T), (rng.normal(size=5).astype(dtype), wt[-1])):
        want = 0.3 * x.astype(np.float64) - 0.7 * y.astype(np.float64)
        call = blas.axpby(x, y)
        assert call is not None
        call(0.3, -0.7)
        np.testing.assert_allclose(y, want, rtol=1e-12 if dtype == "float64" else 1e-5, atol=1e-6)
    assert wt.flags.c_contiguous  # written in place, through the views


@needs_blas
def test_axpby_declines_what_one_vector_cannot_do():
    x, y = np.ones((4, 3)), np.ones((4, 3))
    assert blas.axpby(x, y) is not None
    assert blas.axpby(x, y.astype(np.float32)) is None  # mixed dtypes
    assert blas.axpby(x.astype(np.int64), y.astype(np.int64)) is None
    assert blas.axpby(np.ones((3, 4)).T, y) is None  # the same shape, another element order
    assert blas.axpby(np.ones((4, 6))[:, ::2], np.ones((4, 6))[:, ::2]) is None  # strided
    assert blas.axpby(x, np.ones((3, 4))) is None
    ro = y.copy()
    ro.flags.writeable = False
    assert blas.axpby(x, ro) is None


@pytest.mark.parametrize("value", ["1", "yes"])
def test_the_environment_variable_switches_it_off(monkeypatch, fresh_lookup, value):
    monkeypatch.setenv("BACKPROP_CLI_NO_BLAS", value)
    assert not blas.available()
    assert blas.subtract_product(np.ones((3, 2)), np.ones((4, 3)), np.ones((4, 2))) is None
    assert blas.axpby(np.ones(3), np.ones(3)) is None


def test_a_library_that_disagrees_with_numpy_is_not_used(monkeypatch, fresh_lookup):
    monkeypatch.setattr(blas, "_agrees", lambda functions: False)
    assert not blas.available()


def test_without_numpys_openblas_nothing_is_used(monkeypatch, fresh_lookup):
    monkeypatch.setattr(blas, "_libraries", lambda: [])
    assert not blas.available()
    monkeypatch.setattr(blas, "_libraries", lambda: ["/nonexistent/libopenblas.so"])
    blas._functions.cache_clear()
    assert not blas.available()
