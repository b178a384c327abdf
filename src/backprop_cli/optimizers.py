"""Optimizers and learning-rate schedules, as registries.

Every optimizer updates the parameters in place from their gradients; η is passed
to each step so a schedule can change it. State (velocities, moments, the step
count) is exposed as a dict of arrays so checkpoints can save and restore it exactly.

- ``sgd``       θ ← θ − η g                                    (the seeds' rule)
- ``momentum``  v ← μ v + g;  θ ← θ − η v                       (heavy ball)
                Nesterov: θ ← θ − η (g + μ v)                   (look-ahead form)
- ``adam``      m ← β1 m + (1 − β1) g;  v ← β2 v + (1 − β2) g²
                θ ← θ − η m̂ / (√v̂ + ε), m̂ = m/(1 − β1^t), v̂ = v/(1 − β2^t)

Every step is written in place, through scratch arrays made once (``_scratch``), with as few
passes over memory as the formulas in the comments allow; the numbers are the formulas' up to
rounding (tests/test_optimizers.py holds them to a plain numpy transcription, float32 and
float64, with and without BLAS). The trainer calls ``relayout`` once its engine has made the
weights transposed views, so state and parameters are walked in the same order (mismatched, they
made float32 `wide` epochs take 441-525 ms with momentum and 618-644 ms with Adam, against 153-172
ms for plain SGD; benchmarks/README.md, Dec 2, 2026). Where numpy's OpenBLAS is there
(``blas.axpby``), y ← α x + β y is one pass instead of numpy's two or three; elsewhere, or with
``BACKPROP_CLI_NO_BLAS``, the same updates run on numpy (benchmarks/optimizers.py measures both).

Schedules give η for a 1-based epoch e:
- ``constant``  η0
- ``step``      η0 · γ^⌊(e − 1)/step_size⌋
- ``inverse``   η0 / e^power_t        (inverse scaling; e counts epochs, where scikit-learn's
                                      invscaling counts samples seen)
Where e^power_t overflows a float (2,000^94 > 1.8e308) η is worked out in log space, and is 0 where
it underflows too; γ^k underflows to 0 of itself.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from . import blas

Array = NDArray[np.floating]


class Optimizer:
    """Base: plain gradient descent. Subclasses keep per-parameter state."""

    name = "sgd"
    #: attributes holding one array per parameter (state and scratch), for ``relayout``
    per_param: tuple[str, ...] = ()

    def __init__(self, params: list[Array], **settings: Any) -> None:
        self.t = 0  # steps taken
        self._prepared_for: list[Array] = []  # the params and grads the calls in _calls were made for
        self._calls: list[Any] = []

    def _blas_calls(self, params: list[Array], grads: list[Array]) -> list[Any]:
        """Per parameter, ``_prepare``'s BLAS calls for it (None: numpy does its update), made
        again only when the step is given other arrays than last time (the trainer gives the same)."""
        arrays = params + grads
        if len(arrays) != len(self._prepared_for) or not all(map(operator.is_, arrays, self._prepared_for)):
            self._calls = [self._prepare(i, p, g) for i, (p, g) in enumerate(zip(params, grads))]
            self._prepared_for = arrays
        return self._calls

    def _prepare(self, i: int, p: Array, g: Array) -> Any:
        return None

    def relayout(self, params: list[Array]) -> None:
        """Lay every per-parameter array out like ``params`` again, values kept. The trainer's
        engine replaces the network's arrays with transposed views of its own; an update that
        mixes those with state made row-major walks one of them across rows: Momentum's step on
        `wide` took 1.8 ms instead of 0.2 (benchmarks/README.md)."""
        for name in self.per_param:
            remade = []
            for p, old in zip(params, getattr(self, name)):
                new = np.empty_like(p)
                new[...] = old
                remade.append(new)
            setattr(self, name, remade)
        self._prepared_for = []  # the BLAS calls held the old arrays

    def step(self, params: list[Array], grads: list[Array], lr: float) -> None:
        self.t += 1
        for p, g in zip(params, grads):
            p -= lr * g  # θ ← θ − η ∂C/∂θ

    def state(self) -> dict[str, Array]:
        return {"t": np.array(self.t)}

    def load_state(self, state: dict[str, Array]) -> None:
        self.t = int(state["t"])


def _scratch(params: list[Array]) -> list[Array]:
    """One array per parameter, laid out like it (a transposed view gets a transposed
    array, so the element-wise passes walk both in the same order)."""
    return [np.empty_like(p) for p in params]


class Momentum(Optimizer):
    name = "momentum"
    per_param = ("v", "_tmp")

    def __init__(self, params: list[Array], momentum: float = 0.9, nesterov: bool = False, **_: Any) -> None:
        super().__init__(params)
        self.mu = momentum
        self.nesterov = nesterov
        self.v = [np.zeros_like(p) for p in params]
        self._tmp = _scratch(params)

    def _prepare(self, i: int, p: Array, g: Array) -> Any:
        calls = (blas.axpby(g, self.v[i]), blas.axpby(self.v[i], p), blas.axpby(g, p))
        return None if None in calls else calls

    def step(self, params: list[Array], grads: list[Array], lr: float) -> None:
        self.t += 1
        mu = self.mu
        for p, g, v, tmp, calls in zip(params, grads, self.v, self._tmp, self._blas_calls(params, grads)):
            if calls is not None:  # one BLAS pass per line (axpby: y ← α x + β y)
                v_from_g, p_from_v, p_from_g = calls
                v_from_g(1.0, mu)  # v ← μ v + g
                if self.nesterov:  # θ ← θ − η (g + μ v) = θ − η g − ημ v
                    p_from_g(-lr, 1.0)
                    p_from_v(-lr * mu, 1.0)
                else:
                    p_from_v(-lr, 1.0)  # θ ← θ − η v
                continue
            v *= mu
            v += g  # v ← μ v + g
            if self.nesterov:  # θ ← θ − η (g + μ v)
                np.multiply(v, mu, out=tmp)
                tmp += g
                tmp *= lr
            else:  # θ ← θ − η v
                np.multiply(v, lr, out=tmp)
            p -= tmp

    def state(self) -> dict[str, Array]:
        return {**super().state(), **{f"v{i}": v for i, v in enumerate(self.v)}}

    def load_state(self, state: dict[str, Array]) -> None:
        super().load_state(state)
        for i, v in enumerate(self.v):
            v[...] = state[f"v{i}"]


class Adam(Optimizer):
    name = "adam"
    per_param = ("m", "v", "_t1")

    def __init__(
        self, params: list[Array], beta1: float = 0.9, beta2: float = 0.999, epsilon: float = 1e-8, **_: Any
    ) -> None:
        super().__init__(params)
        self.b1, self.b2, self.eps = beta1, beta2, epsilon
        self.m = [np.zeros_like(p) for p in params]
        self.v = [np.zeros_like(p) for p in params]
        self._t1 = _scratch(params)

    def _prepare(self, i: int, p: Array, g: Array) -> Any:
        t = self._t1[i]
        calls = (blas.axpby(g, self.m[i]), blas.axpby(t, self.v[i]), blas.axpby(t, p))
        return None if None in calls else calls

    def step(self, params: list[Array], grads: list[Array], lr: float) -> None:
        self.t += 1
        b1, b2 = self.b1, self.b2
        c1 = 1.0 - b1**self.t  # bias corrections: m̂ = m/c1, v̂ = v/c2
        c2 = 1.0 - b2**self.t
        # η m̂/(√v̂ + ε) = (η √c2/c1) · m/(√v + ε √c2): the corrections become two scalars, not two passes
        step, eps = lr * math.sqrt(c2) / c1, self.eps * math.sqrt(c2)
        for p, g, m, v, t1, calls in zip(params, grads, self.m, self.v, self._t1, self._blas_calls(params, grads)):
            if calls is not None:  # one BLAS pass each (axpby: y ← α x + β y)
                m_from_g, v_from_t, p_from_t = calls
                m_from_g(1.0 - b1, b1)  # m ← β1 m + (1 − β1) g
                np.multiply(g, g, out=t1)
                v_from_t(1.0 - b2, b2)  # v ← β2 v + (1 − β2) g²
            else:
                m *= b1
                np.multiply(g, 1.0 - b1, out=t1)
                m += t1  # m ← β1 m + (1 − β1) g
                v *= b2
                np.multiply(g, g, out=t1)
                t1 *= 1.0 - b2
                v += t1  # v ← β2 v + (1 − β2) g²
            np.sqrt(v, out=t1)
            t1 += eps
            np.divide(m, t1, out=t1)  # m/(√v + ε √c2)
            if calls is not None:
                p_from_t(-step, 1.0)  # θ ← θ − η m̂/(√v̂ + ε), one pass
            else:
                t1 *= step
                p -= t1  # θ ← θ − η m̂/(√v̂ + ε)

    def state(self) -> dict[str, Array]:
        return {
            **super().state(),
            **{f"m{i}": m for i, m in enumerate(self.m)},
            **{f"v{i}": v for i, v in enumerate(self.v)},
        }

    def load_state(self, state: dict[str, Array]) -> None:
        super().load_state(state)
        for i, (m, v) in enumerate(zip(self.m, self.v)):
            m[...] = state[f"m{i}"]
            v[...] = state[f"v{i}"]


OPTIMIZERS: dict[str, type[Optimizer]] = {o.name: o for o in (Optimizer, Momentum, Adam)}


@dataclass(frozen=True)
class Schedule:
    name: str
    rate: Callable[[float, int, dict[str, Any]], float]  # (η0, epoch, settings) -> η
    formula: str


def _inverse(lr: float, e: int, s: dict[str, Any]) -> float:
    """η0 / e^power_t; where e^power_t is beyond a float (power_t = 100 from e = 1,210), exp(ln η0 −
    power_t ln e), which underflows to 0: it raised OverflowError from the summary or the epoch it came to."""
    try:
        return lr / math.pow(e, s["power_t"])  # as it always was where it does not overflow: bit for bit
    except OverflowError:
        return math.exp(math.log(lr) - s["power_t"] * math.log(e))


SCHEDULES: dict[str, Schedule] = {
    s.name: s
    for s in (
        Schedule("constant", lambda lr, e, s: lr, "η0"),
        Schedule("step", lambda lr, e, s: lr * s["gamma"] ** ((e - 1) // s["step_size"]),
                 "η0 · γ^⌊(e − 1)/step_size⌋"),
        Schedule("inverse", _inverse, "η0 / e^power_t"),
    )
}
