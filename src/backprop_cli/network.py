"""A fully-connected network, its forward pass and its backward pass (backpropagation).

Notation (seed 000; the README's "Notation" section). Layer 0 is the input, layer L the output.

    z^(l) = w^(l) a^(l−1) + b^(l)          (seed 000, eq. 2)
    a^(l) = σ(z^(l))                        (eq. 1)

``weights[l-1]`` is w^(l), shape (n_l, n_{l-1}); entry [j, k] is w_jk^(l), from neuron
k of layer l−1 to neuron j of layer l. ``biases[l-1]`` is b^(l), shape (n_l,).

Layout: public arrays hold one example per row, X (n_samples, n_inputs), and so do
the cached z^(l) and a^(l): shape (n_samples, n_l). For a whole mini-batch the
column-vector formula z = w a + b becomes one matrix product, Z = A_prev wᵀ + b.

Backward pass, the four equations (BP1–BP4) with δ^(l) = ∂C/∂z^(l), the layer error
(seed 001's E; E_o for the output layer, E_h for a hidden one):

    BP1  δ^(L) = ∂C/∂a^(L) ⊙ σ'(z^(L))                       (seed 000 eqs. 4, 5)
    BP2  δ^(l) = ((w^(l+1))ᵀ δ^(l+1)) ⊙ σ'(z^(l))            (eq. 8, the sum over j)
    BP3  ∂C/∂b^(l) = δ^(l)                                   (eq. 7, ∂z/∂b = 1)
    BP4  ∂C/∂w^(l) = δ^(l) (a^(l−1))ᵀ                        (eqs. 3, 6)

Each δ is computed once and handed to the layer before: the seeds' memoization.
The cost of a batch is the mean of the per-example costs C_i, so δ carries the
factor 1/n_samples and BP3/BP4 sum over the examples.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import math

import numpy as np
from numpy.typing import NDArray

from .activations import ACTIVATIONS, Activation, get_activation
from .arrays import real_array
from .costs import COSTS as COST_NAMES
from .costs import Cost, beyond_unit_message, check_pair, cost_name, first_target_beyond_unit, get_cost
from .names import choose, shown
from .errors import ConfigError, InputError

if TYPE_CHECKING:  # network.py does not import config at run time (DESIGN.md, section 2)
    from .config import Config

Array = NDArray[np.floating]
#: What ``dtype`` may be (README, Python API): "float64" or "float32" in any letter case, or what
#: numpy reads as one of them (np.float32, float, np.dtype("float64"), "f8"); others: ConfigError.
DTypeName = str | type | np.dtype[Any]

INITS = ("auto", "normal", "uniform")
# ReLU biases start slightly positive (CS231n): a unit whose z ≤ 0 for every input gets no gradient
# ("dead ReLU"), and 0.01 tips the units near the edge to active. It does not keep every unit alive
# (spirals' 2-64-64-3 starts with 3 of its 64 second-layer units at z ≤ 0 on every training row).
# Every kinked activation (relu, leaky_relu) gets it: an input row of zeros (xor's (0, 0)) would
# otherwise put every first-layer z exactly on the kink, where no finite difference judges.
RELU_BIAS0 = 0.01
DTYPES = ("float64", "float32")


class _Default(int):
    """The default ``seed`` of ``Network``: 0 (shown as 0 by help()), but told apart from a
    ``seed=0`` given, which ``rng=`` beside it makes ambiguous (refused)."""


_DEFAULT_SEED = _Default(0)

#: The rounding of one computed cost C, in units of u·|C| (u = 2^-52), that a difference of two
#: costs allows for: gradcheck's and explain's finite differences.
NOISE_ULPS = 16.0


@dataclass
class ForwardCache:
    """What the forward pass keeps for the backward pass.

    ``a[l]`` is a^(l) for l = 0..L (a[0] is the input X), shape (n_samples, n_l).
    ``z[l]`` is z^(l) for l = 1..L, same shape; ``z[0]`` is None (the input has no z).
    """

    z: list[Array | None]
    a: list[Array]

    @property
    def output(self) -> Array:
        """a^(L), shape (n_samples, n_outputs)."""
        return self.a[-1]


@dataclass
class BackwardResult:
    """Everything the backward pass computes, indexed by layer l (index 0 unused: None).

    ``delta[l]``  δ^(l) = ∂C/∂z^(l), shape (n_samples, n_l); row i is example i's
                  share of the gradient of the mean cost (it includes the 1/n).
    ``grad_a[l]`` ∂C/∂a^(l), same shape and scaling.
    ``dw[l-1]``   ∂C/∂w^(l), shape (n_l, n_{l-1});  ``db[l-1]`` ∂C/∂b^(l), shape (n_l,).
    """

    delta: list[Array | None]
    grad_a: list[Array | None]
    dw: list[Array]
    db: list[Array]


class Network:
    """A fully-connected feed-forward network.

    Example (a 1-1-1 sigmoid network, reproducing a hand calculation)::

        net = Network([1, 1, 1], activation="sigmoid", cost="squared_error")
        net.weights = [np.array([[0.5]]), np.array([[-1.0]])]
        net.biases = [np.array([0.0]), np.array([0.25])]
        dw, db = net.gradients(np.array([[1.0]]), np.array([[0.0]]))

    ``activation`` is one name for every hidden layer or a list with one name per
    hidden layer; ``output_activation`` defaults to ``activation`` (the last entry
    when it is a list). ``init``: ``auto`` (He normal for ReLU-family layers: relu,
    leaky_relu, elu, softplus, silu; Glorot uniform otherwise; biases 0, or 0.01 for relu and
    leaky_relu layers, so fewer units start dead and none on its kink for an input row of zeros), ``normal`` (w, b ~ N(0, 1)), ``uniform`` (w, b ~ U(−1, 1)).
    """

    def __init__(
        self,
        layers: Sequence[int],
        activation: str | Sequence[str] = "sigmoid",
        output_activation: str | None = None,
        cost: str = "squared_error",
        seed: int | np.integer[Any] | None = _DEFAULT_SEED,
        dtype: DTypeName = "float64",
        init: str = "auto",
        rng: np.random.Generator | None = None,
        l2: float | np.floating[Any] = 0.0,
    ) -> None:
        items = None if isinstance(layers, (str, bytes)) or not hasattr(layers, "__iter__") else list(layers)
        if items is None or not all(isinstance(n, (int, np.integer)) and not isinstance(n, (bool, np.bool_))
                                    for n in items):
            raise ConfigError(f"network.layers: {shown(layers)} must be a list of whole numbers (layer sizes, "
                              "input first), e.g. [2, 3, 1]")
        sizes = [int(n) for n in items]
        if len(sizes) < 2 or any(n < 1 for n in sizes):
            raise ConfigError(
                f"network.layers: {shown(list(layers))} must list at least 2 positive sizes (input first)"
            )
        dtype = _dtype_name(dtype, "dtype")
        init = choose(init, "network.init", INITS)
        n_hidden = len(sizes) - 2
        if not isinstance(activation, (str, list, tuple)):
            raise ConfigError(f"network.activation: {shown(activation)} must be an activation name or a list of "
                              f"one per hidden layer, e.g. sigmoid")
        from_list = False  # the output's name is the last of activation's one per layer
        if isinstance(activation, str):
            hidden_names = [activation] * n_hidden
            default_out = activation
        else:
            hidden_names = list(activation)
            if len(hidden_names) == n_hidden + 1 and output_activation is None:
                # one name per layer, the output's last, as a config's list may give them
                hidden_names, output_activation = hidden_names[:-1], hidden_names[-1]
                from_list = True
            if len(hidden_names) != n_hidden:
                from .wording import plural

                raise ConfigError(
                    f"network.activation: {plural(len(hidden_names), 'name')} for "
                    f"{plural(n_hidden, 'hidden layer')}; give one name, one per hidden layer ({n_hidden}), "
                    f"or one per layer, the output's last ({n_hidden + 1}), without output_activation"
                )
            default_out = hidden_names[-1] if hidden_names else "sigmoid"
        out_name = output_activation if output_activation is not None else default_out
        hidden = [
            get_activation(n, f"network.activation[{i}]" if not isinstance(activation, str)
                           else "network.activation", hidden=True)
            for i, n in enumerate(hidden_names)
        ]
        out = get_activation(out_name, "network.output_activation")
        if cost is None:  # Python's None, not YAML's null (whose message speaks of YAML)
            raise ConfigError(f"cost: None is not one of: {', '.join(sorted(COST_NAMES))}; leave cost out for its "
                              "default, squared_error")
        self.cost_fn: Cost = get_cost(cost_name(cost, "cost", out.name, sizes[-1]))
        try:
            check_pair(self.cost_fn, out.name, sizes[-1])
        except ConfigError as e:
            if e.hint is None and " cannot be used with " in e.message and self.cost_fn.outputs is not None:
                e.hint = _outputs_hint(self.cost_fn, out.name, sizes[-1],
                                       None if output_activation is not None or not n_hidden else activation,
                                       hidden_names if from_list else None)
            if from_list and e.message.startswith("network.output_activation:"):  # the list's last name, as a config's
                raise ConfigError(f"network.activation[{n_hidden}] (the output layer's):"
                                  f"{e.message.removeprefix('network.output_activation:')}", e.hint) from None
            raise

        self.sizes: list[int] = sizes
        self.activations: list[Activation] = hidden + [out]  # activations[l-1] is σ of layer l
        self.dtype = np.dtype(dtype)
        self.init = init
        if isinstance(l2, (bool, np.bool_)) or not isinstance(l2, (int, float, np.integer, np.floating)) \
                or not (l2 >= 0 and np.isfinite(l2)):
            raise ConfigError(f"training.l2: {shown(l2)} must be a finite number, 0 or more")
        self.l2 = float(l2)  # λ of the L2 penalty (λ/2) Σ_l ||w^(l)||² added to the cost
        if rng is not None and not isinstance(rng, np.random.Generator):
            raise ConfigError(f"rng: {shown(rng)} must be a numpy Generator (np.random.default_rng(seed)) or None; "
                              "pass a whole-number seed as seed=")
        if rng is not None and seed is not _DEFAULT_SEED and seed is not None:  # which draws? refused, not guessed
            raise TypeError(f"Network: seed={shown(seed)} and rng= given together; the weights are drawn from one of "
                            "them: give seed= (np.random.default_rng(seed)) or rng=, not both")
        if rng is None and seed is not None and (isinstance(seed, (bool, np.bool_))
                                                 or not isinstance(seed, (int, np.integer)) or seed < 0):
            raise ConfigError(f"seed: {shown(seed)} must be a whole number ≥ 0, or None (a fresh random start)")
        rng = rng if rng is not None else np.random.default_rng(seed)
        weights, biases = [], []
        for l in range(1, len(sizes)):
            w, b = _init_layer(sizes[l - 1], sizes[l], self.activations[l - 1].name, init, rng)
            weights.append(w.astype(self.dtype))
            biases.append(b.astype(self.dtype))
        self._adopt(weights, biases)

    # -- parameters --------------------------------------------------------------
    @property
    def L(self) -> int:
        """Number of the output layer (the number of weight matrices)."""
        return len(self.sizes) - 1

    @property
    def weights(self) -> list[Array]:
        """w^(1) … w^(L); ``weights[l-1]`` has shape (n_l, n_{l-1})."""
        return self._weights

    @weights.setter
    def weights(self, values: Sequence[Any]) -> None:
        self._weights = self._parameters("weights", self._checked(values, "weights", self._weight_shape))

    @property
    def biases(self) -> list[Array]:
        """b^(1) … b^(L); ``biases[l-1]`` has shape (n_l,)."""
        return self._biases

    @biases.setter
    def biases(self, values: Sequence[Any]) -> None:
        self._biases = self._parameters("biases", self._checked(values, "biases", self._bias_shape))

    def _weight_shape(self, l: int) -> tuple[int, int]:
        return (self.sizes[l], self.sizes[l - 1])

    def _bias_shape(self, l: int) -> tuple[int]:
        return (self.sizes[l],)

    def _parameters(self, name: str, arrays: Sequence[Array]) -> Parameters:
        """``arrays`` (already checked, in ``self.dtype``) as ``weights`` or ``biases``: a list
        whose items are checked when assigned (``Parameters``)."""
        shape_of = self._weight_shape if name == "weights" else self._bias_shape
        return Parameters(arrays, name, [shape_of(l) for l in range(1, len(self.sizes))], self.dtype)

    def _adopt(self, weights: Sequence[Array], biases: Sequence[Array]) -> None:
        """Hold these arrays (already checked, in ``self.dtype``) as the parameters."""
        self._weights = self._parameters("weights", weights)
        self._biases = self._parameters("biases", biases)

    def _checked(self, values: Sequence[Any], name: str, shape_of: Any) -> list[Array]:
        """Copies of ``values`` in ``self.dtype``; InputError (a ValueError) for the wrong count,
        shapes, non-numbers or NaN/inf (a network with them computes nothing meaningful)."""
        if isinstance(values, (str, bytes)) or not hasattr(values, "__iter__"):
            raise InputError(f"{name}: a {type(values).__name__}; expected a list of {self.L} arrays "
                             f"(layers 1 to {self.L})")
        values = list(values)
        if len(values) != self.L:
            bare = self._bare_matrix(values) if name == "weights" and self.L == 1 else ""
            expected = "1 array (layer 1)" if self.L == 1 else f"{self.L} arrays (layers 1 to {self.L})"
            raise InputError(f"{name}: expected {expected}, got {len(values)}{bare}")
        return [checked_parameter(v, f"{name}[{l - 1}] (layer {l})", shape_of(l), self.dtype, l)
                for l, v in enumerate(values, start=1)]

    def _bare_matrix(self, values: list[Any]) -> str:
        """What the count's message adds of a one-layer network's w^(1) given bare, not in the list of one
        array per layer (its rows counted as the layers): to wrap it, ``[w]``, or, of its transpose's shape
        (seed 001's W, Z = XW), that it looks transposed and ``[w.T]``, as a config's weights are told."""
        try:
            arr = np.asarray(values, dtype=np.float64)
        except (ValueError, TypeError):  # ragged, or not numbers: the count is all there is to say
            return ""
        rows, cols = self._weight_shape(1)
        given = f", the {arr.shape[0]} rows of one {arr.shape[0]}×{arr.shape[-1]} matrix" if arr.ndim == 2 else ""
        if arr.shape == (rows, cols):
            return f"{given}: pass it in a list, [w]"
        if arr.shape == (cols, rows) and rows != cols:
            from .wording import looks_transposed

            return f"{given}; {looks_transposed(1, rows, cols)}: pass its transpose in a list, [w.T]"
        return ""

    @property
    def cost_name(self) -> str:
        """The canonical name of the cost, e.g. "squared_error" (what a config's ``cost`` reads as)."""
        return self.cost_fn.name

    @property
    def n_params(self) -> int:
        """The number of trainable parameters: every weight and bias, Σ_l n_l (n_(l−1) + 1)."""
        return sum(w.size + b.size for w, b in zip(self._weights, self._biases))

    def _share(self, weights: list[Array], biases: list[Array]) -> None:
        """Adopt these arrays (views into a trainer's buffers) as the parameters, no copy.

        Internal: the trainer's engine keeps [w | b]ᵀ of each layer in one array so that a
        single matrix product gives both gradients; ``weights`` and ``biases`` then view it
        (the weights as a transposed, column-major view).
        """
        for l, (w, b) in enumerate(zip(weights, biases), start=1):
            if w.shape != (self.sizes[l], self.sizes[l - 1]) or b.shape != (self.sizes[l],):
                raise ValueError(f"layer {l}: cannot share arrays of shapes {w.shape}, {b.shape}")
        self._adopt(weights, biases)

    def copy(self) -> Network:
        """An independent copy (same architecture, copied parameters)."""
        new = object.__new__(Network)
        new.__dict__.update(self.__dict__)
        new.sizes, new.activations = list(self.sizes), list(self.activations)
        new._adopt([w.copy() for w in self._weights], [b.copy() for b in self._biases])
        return new

    def astype(self, dtype: DTypeName) -> Network:
        """A copy whose parameters and arithmetic use ``dtype`` ("float32" or "float64", or
        np.float32 / np.float64); ConfigError for any other."""
        new = self.copy()
        new.dtype = np.dtype(_dtype_name(dtype, "dtype"))
        new._adopt([w.astype(new.dtype) for w in self._weights], [b.astype(new.dtype) for b in self._biases])
        return new

    # -- forward -----------------------------------------------------------------
    def _as_input(self, X: Any, dtype: Any = None) -> Array:
        """X checked (real numbers, (n_samples, n_inputs) or one example (n_inputs,)) as a 2-D
        array in ``dtype`` (default: the network's); InputError naming X otherwise."""
        X = real_array(X, "X", self.dtype if dtype is None else dtype, f"(n_samples, {self.sizes[0]})")
        shape = X.shape  # as given, for the message (not the (1, n) a 1-D X becomes)
        if X.ndim == 1:
            X = X.reshape(1, -1)
        if X.ndim != 2 or X.shape[1] != self.sizes[0]:
            raise InputError(f"X: shape {shape}, expected (n_samples, {self.sizes[0]}), or ({self.sizes[0]},) "
                             f"for one example{one_example_hint(shape, self.sizes[0])}")
        return X

    def _as_target(self, Y: Any, n: int) -> Array:
        k = self.sizes[-1]
        expected = f"({n}, {k})"
        Y = real_array(Y, "Y", self.dtype, expected)
        shape = Y.shape
        if Y.ndim == 1 and n > 0 and Y.size == n * k and (n == 1 or k == 1):
            Y = Y.reshape(n, k)  # one target per example (one output), or one example's targets
        if Y.shape != (n, k):
            raise InputError(f"Y: shape {shape}, expected {expected} (one row of {k} "
                             f"target{'s' if k != 1 else ''} per example of X){flat_targets_hint(shape, n, k)}")
        return Y

    def forward(self, X: Any) -> ForwardCache:
        """Run X (n_samples, n_inputs) through the network, keeping every z^(l) and a^(l).

        X: an array or nested lists of real numbers (any int/float dtype, any memory layout;
        never modified), or one example of shape (n_inputs,). Computed in ``self.dtype``.
        NaN or infinite inputs, or inputs so large that the arithmetic overflows, are not refused
        and raise no numpy warning (``cost`` and ``gradients`` refuse them): they give NaN or
        infinite outputs in their own rows, or finite ones where an activation saturates
        (tanh(∞) = 1): check ``np.isfinite(X)`` first where inputs may hold them.
        Raises InputError for anything else that is not such an array."""
        a = self._as_input(X)
        zs: list[Array | None] = [None]
        activations: list[Array] = [a]
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            for w, b, act in zip(self._weights, self._biases, self.activations):
                z = a @ w.T + b  # eq. 2: z^(l) = w^(l) a^(l−1) + b^(l), one row per example
                # act.fn without its own errstate, which this one makes redundant (~1.5 µs a layer)
                a = act.into(z, np.empty_like(z))  # eq. 1: a^(l) = σ(z^(l))
                zs.append(z)
                activations.append(a)
        return ForwardCache(zs, activations)

    def predict(self, X: Any) -> Array:
        """The output a^(L), shape (n_samples, n_outputs) (1 row for a 1-D X), a new array
        in ``self.dtype``. See ``forward`` for what X may be."""
        return self.forward(X).output

    # -- cost --------------------------------------------------------------------
    def example_costs(self, cache: ForwardCache, Y: Any) -> Array:
        """C_i for every example, shape (n_samples,); Y (n_samples, n_outputs) as in ``cost``."""
        self._check_cache(cache)
        return self._example_costs(cache, self._as_target(Y, cache.output.shape[0]))

    def _example_costs(self, cache: ForwardCache, Y: Array) -> Array:
        rule = self.cost_fn.fused.get(self.activations[-1].name)
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            if rule is not None:
                return rule.fn_z(cache.z[-1], Y)  # exact from z, even where a rounds to 0 or 1
            return self.cost_fn.fn(cache.output, Y)

    def cost(self, X: Any, Y: Any) -> float:
        """The mean over the examples of C_i, plus the L2 penalty when λ > 0 (a Python float).

        X (n_samples, n_inputs), Y (n_samples, n_outputs); a 1-D X is one example, a 1-D Y
        one target per example (one output) or one example's targets. Raises InputError (a
        ValueError) for zero examples (a mean over none is undefined), NaN or infinite values
        in X or Y (as ``gradients`` does), or arrays that are not real numbers of those shapes."""
        cache = self.forward(X)
        _some_examples(cache)
        Y_given, Y = Y, self._as_target(Y, cache.output.shape[0])
        cost = float(np.mean(self._example_costs(cache, Y))) + self.penalty()
        # Loops of cost() (finite differences) should not pay for a pass over X: a NaN or inf in Y
        # always reaches the cost, one in X always reaches z^(1) (n × n_1, far smaller than X) but
        # not the cost when σ saturates (sigmoid(inf) = 1): so X is checked only when either is not finite.
        if not math.isfinite(cost) or not np.isfinite(cache.z[1]).all():
            _finite(cache.a[0], "X", X)
            _finite(Y, "Y", Y_given)
        self._check_target_domain(Y)
        return cost

    def _check_target_domain(self, Y: Array) -> None:
        """InputError naming the first row of Y holding a target where cross-entropy's "cost" is not
        one: outside [0, 1] under a sigmoid output, below 0 under softmax (``costs.first_target_beyond_unit``)."""
        row = first_target_beyond_unit(self.cost_fn.name, Y, self.activations[-1].name)
        if row is not None:
            raise InputError(beyond_unit_message(f"Y: row {row}", Y, row, self.activations[-1].name))

    def penalty(self) -> float:
        """(λ/2) Σ_l ||w^(l)||², 0.0 without L2 regularization."""
        if self.l2 == 0.0:
            return 0.0
        return 0.5 * self.l2 * float(sum(np.vdot(w, w) for w in self._weights))

    # -- backward ----------------------------------------------------------------
    def output_error(self, cache: ForwardCache, Y: Array) -> Array:
        """Per-example δ^(L) = ∂C_i/∂z^(L), shape (n_samples, n_outputs) (no 1/n)."""
        out = self.activations[-1]
        rule = self.cost_fn.fused.get(out.name)
        if rule is not None:
            return rule.delta(cache.output, Y)  # sigmoid/softmax + cross-entropy: δ = a − y (costs.py)
        z, a = cache.z[-1], cache.output
        return self.cost_fn.grad_a(a, Y) * out.slope(z, a)  # BP1 (eqs. 4, 5)

    def _check_cache(self, cache: Any) -> None:
        if not isinstance(cache, ForwardCache):
            raise TypeError(f"cache: a {type(cache).__name__}; expected the ForwardCache that "
                            "this network's forward(X) returned")
        shapes = [getattr(a, "shape", ()) for a in cache.a]  # not np.shape: cost() loops run this
        if len(shapes) != self.L + 1 or any(len(s) != 2 or s[1] != n for s, n in zip(shapes, self.sizes)):
            raise InputError(f"cache: activations of shapes {shapes} are not those of this "
                             f"{'-'.join(map(str, self.sizes))} network's forward(X)")

    def backward(self, cache: ForwardCache, Y: Any) -> BackwardResult:
        """Backpropagate from the cached forward pass (``forward(X)``'s cache) with targets
        Y (n_samples, n_outputs); gradients are of the mean cost (see ``BackwardResult``)."""
        self._check_cache(cache)
        return self._backward(cache, self._as_target(Y, cache.output.shape[0]))

    def _backward(self, cache: ForwardCache, Y: Array) -> BackwardResult:
        n = cache.output.shape[0]
        L = self.L
        delta_of: list[Array | None] = [None] * (L + 1)
        grad_a_of: list[Array | None] = [None] * (L + 1)
        dw: list[Array] = [np.empty(0)] * L
        db: list[Array] = [np.empty(0)] * L
        rule = self.cost_fn.fused.get(self.activations[-1].name)
        grad_a = rule.grad_a if rule is not None else self.cost_fn.grad_a
        # −y/a: a may be 0 or subnormal; overflow from huge inputs shows as inf/NaN, no warning
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            grad_a_of[L] = grad_a(cache.output, Y) / n  # ∂C/∂a^(L) (eq. 4), for reports
            delta = self.output_error(cache, Y) / n  # BP1, with the 1/n of the mean
            for l in range(L, 0, -1):
                delta_of[l] = delta
                dw[l - 1] = delta.T @ cache.a[l - 1]  # BP4: ∂C/∂w^(l) = δ^(l) (a^(l−1))ᵀ
                if self.l2:
                    dw[l - 1] += self.l2 * self._weights[l - 1]  # + λ w^(l), from (λ/2)||w||²
                db[l - 1] = delta.sum(axis=0)  # BP3: ∂C/∂b^(l) = δ^(l)
                if l > 1:
                    grad_a = delta @ self._weights[l - 1]  # eq. 8: ∂C/∂a_k^(l−1) = Σ_j w_jk δ_j
                    grad_a_of[l - 1] = grad_a
                    z, a = cache.z[l - 1], cache.a[l - 1]
                    delta = grad_a * self.activations[l - 2].slope(z, a)  # BP2: ⊙ σ'(z^(l−1))
        return BackwardResult(delta_of, grad_a_of, dw, db)

    def gradients(self, X: Any, Y: Any) -> tuple[list[Array], list[Array]]:
        """(dw, db): the gradient of ``cost(X, Y)``, shaped like ``weights`` / ``biases``,
        in ``self.dtype``. X and Y as for ``cost``, refused as ``cost`` refuses them."""
        cache = self.forward(X)
        _some_examples(cache)
        Y_given, Y = Y, self._as_target(Y, cache.output.shape[0])
        _finite(cache.a[0], "X", X)
        _finite(Y, "Y", Y_given)
        self._check_target_domain(Y)
        result = self._backward(cache, Y)  # cache and Y checked above
        return result.dw, result.db

    # -- construction --------------------------------------------------------------
    @classmethod
    def from_config(cls, config: Config, rng: np.random.Generator | None = None) -> Network:
        """Build from a ``Config`` (see ``config.py``). Its initial weights are those every
        ``backprop`` command starts from for this config: ``network.weights`` and
        ``network.biases`` where the config gives them, the rest as ``init`` draws them from
        ``rng`` if given, else from the ``init`` stream of ``config.seed`` (:func:`seed_stream`).

        ``init`` draws every layer as usual and the given values then replace its draws, so
        a config with ``weights`` alone keeps exactly the biases it has without them (and
        vice versa); the other streams (data, split, shuffle) are never touched here.
        TypeError for anything but a ``Config`` (a dict: ``config.config_from_dict``)."""
        if not all(hasattr(config, f) for f in ("network", "cost", "training", "seed")):
            raise TypeError(f"config: a {type(config).__name__}; expected a backprop_cli.config.Config: "
                            "load_config(path) for a YAML file, or config_from_dict(d, '<dict>', Path.cwd()) "
                            "for a dict d of a config's sections")
        n = config.network
        net = cls(
            n.layers,
            activation=n.activation,
            output_activation=n.output_activation,
            cost=config.cost,
            dtype=config.training.dtype,
            init=n.init,
            rng=rng if rng is not None else seed_stream(config.seed, "init"),
            l2=config.training.l2,
        )
        if n.weights is not None:
            net.weights = [np.array(m, dtype=np.float64) for m in n.weights]
        if n.biases is not None:
            net.biases = [np.array(b, dtype=np.float64) for b in n.biases]
        return net

    def describe(self) -> str:
        """A one-line architecture summary, e.g. ``2-3-1 sigmoid/sigmoid, squared_error``."""
        acts = "/".join(a.name for a in self.activations)
        return f"{'-'.join(map(str, self.sizes))} {acts}, {self.cost_fn.name}"

    def __repr__(self) -> str:
        l2 = f", l2={self.l2:g}" if self.l2 else ""  # two nets that differ only in λ printed alike
        return f"Network({self.describe()}, dtype={self.dtype.name}{l2})"


#: The independent random streams a config's seed is split into, in spawn order: data
#: generation, the train/test split, weight initialisation, shuffling. Changing one of them (say,
#: the data set's size) leaves the others alone.
SEED_STREAMS = ("data", "split", "init", "shuffle")


def seed_stream(seed: int, name: str) -> np.random.Generator:
    """The generator of stream ``name`` (one of :data:`SEED_STREAMS`) of a config's ``seed``:
    child ``SEED_STREAMS.index(name)`` of ``np.random.SeedSequence(seed)``, fresh at each call."""
    child = np.random.SeedSequence(seed).spawn(len(SEED_STREAMS))[SEED_STREAMS.index(name)]
    return np.random.default_rng(child)


class Parameters(list):  # type: ignore[type-arg]
    """``net.weights`` or ``net.biases``: one array per layer (index l−1 for layer l).

    Assigning an item, ``net.weights[0] = w`` (or a slice of them), checks and copies it as
    assigning the whole list does: the shape, real finite numbers, converted to the network's
    dtype; InputError (a ValueError) otherwise, the list unchanged. The list cannot grow, shrink
    or be reordered (TypeError): it has one array per layer. Slicing gives a plain list.
    """

    __slots__ = ("name", "shapes", "dtype", "replaced")

    def __init__(self, arrays: Sequence[Array], name: str, shapes: list[tuple[int, ...]], dtype: Any) -> None:
        super().__init__(arrays)
        self.name, self.shapes, self.dtype = name, shapes, np.dtype(dtype)
        self.replaced = False  # an item assigned since: a trainer's engine no longer holds it

    def __reduce__(self) -> Any:  # copy.deepcopy and pickle: rebuilt whole (append is refused)
        return (Parameters, (list(self), self.name, self.shapes, self.dtype))

    def __setitem__(self, index: Any, value: Any) -> None:
        if isinstance(index, slice):
            positions = range(len(self))[index]
            values = None if isinstance(value, (str, bytes)) or not hasattr(value, "__iter__") else list(value)
            if values is None or len(values) != len(positions):
                got = f"a value of type {type(value).__name__}" if values is None else f"{len(values)} arrays"
                where = ":".join("" if v is None else str(v) for v in (index.start, index.stop, index.step))
                raise InputError(f"{self.name}[{where.rstrip(':') or ':'}]: {got} given for {len(positions)} "
                                 f"layer{'s' if len(positions) != 1 else ''}; the network keeps one array per layer")
            checked = [self._checked(i, v) for i, v in zip(positions, values)]
            for i, arr in zip(positions, checked):
                super().__setitem__(i, arr)
            self.replaced = True
            return
        shown_index = index.item() if isinstance(index, np.generic) else index  # not np.int64(5)
        try:
            i = range(len(self))[index]
        except TypeError:
            raise TypeError(f"{self.name}[{shown_index!r}]: the index must be a whole number (a layer l − 1) "
                            "or a slice") from None
        except IndexError:
            raise IndexError(f"{self.name}[{shown_index!r}]: the network has {len(self)} layers, "
                             f"{self.name}[0] to {self.name}[{len(self) - 1}]") from None
        super().__setitem__(i, self._checked(i, value))
        self.replaced = True

    def _checked(self, i: int, value: Any) -> Array:
        return checked_parameter(value, f"{self.name}[{i}] (layer {i + 1})", self.shapes[i], self.dtype, i + 1)

    def _refuse(self, *_: Any, **__: Any) -> Any:
        raise TypeError(f"{self.name}: holds one array per layer ({len(self)}); its items can be replaced "
                        f"({self.name}[0] = ...) but not added, removed or reordered")

    append = extend = insert = pop = remove = clear = sort = reverse = _refuse
    __delitem__ = __iadd__ = __imul__ = _refuse


def _outputs_hint(cost: Cost, out: str, n_out: int, copied: str | Sequence[str] | None,
                  listed: Sequence[str] | None = None) -> str:
    """The hint for an output activation ``out`` that ``cost`` (cross_entropy) refuses, as a config's says it
    ('cross_entropy takes ln a, so the outputs must lie in (0, 1): make it network.output_activation: sigmoid; …'),
    in the Python API's words: the output_activation= that fits, or the cost= that keeps ``out``. ``copied``: the
    activation= the output copied, which the hidden layers keep (None where output_activation= was given).
    ``listed``: the hidden layers' names where the output's was the last of activation='s one per layer, whose
    last name is then the one to change (an output_activation= beside that list is refused)."""
    fits = sorted((name for name in cost.outputs or () if name != "softmax" or n_out > 1), key=lambda n: n != "softmax")
    notes = {"softmax": " (one class per row)", "sigmoid": " (labels that may be 1 together)"} if len(fits) > 1 else {}
    given = ", or ".join(f'output_activation="{name}"{notes.get(name, "")}' for name in fits)
    named = f'"{copied}"' if isinstance(copied, str) else repr(list(copied or ()))
    change = (f"give the output its own, {given}; activation={named} stays the hidden layers'"
              if copied is not None else f"make it {given}")
    if listed is not None:  # activation=["relu", "relu"]: its last name is the output's
        change = "make activation's last name, the output's, " + " or ".join(
            f'"{name}"{notes.get(name, "")}: activation=[{", ".join(chr(34) + n + chr(34) for n in (*listed, name))}]'
            for name in fits)
    return (f"{cost.name} takes ln a, so the outputs must lie in (0, 1): {change}; or keep {out} with "
            f'cost="squared_error", which takes any output')


def checked_parameter(value: Any, where: str, shape: tuple[int, ...], dtype: Any, layer: int | None = None) -> Array:
    """A copy of ``value`` in ``dtype``, or InputError naming ``where``: not real numbers, not of
    ``shape`` (a weight matrix of its transpose's shape said to look transposed, w^(``layer``)), NaN/inf
    (a network with them computes nothing meaningful) or beyond ``dtype``'s range."""
    dtype = np.dtype(dtype)
    arr = np.array(real_array(value, where, dtype, str(shape)), dtype=dtype)
    if arr.shape != shape:
        from .wording import looks_transposed, one_number_hint

        rows, cols = shape if len(shape) == 2 else (0, 0)
        transposed = (f"; {looks_transposed(layer if layer is not None else 'l', rows, cols)}: pass its transpose "
                      f"(w.T)" if rows != cols and arr.shape == (cols, rows) else "")
        raise InputError(f"{where}: shape {arr.shape}, expected {shape}{transposed or one_number_hint(arr.shape, shape)}")
    if not np.isfinite(arr).all():
        if _beyond_dtype(value, arr):
            raise InputError(f"{where}: holds values beyond {dtype.name}'s range (|x| above "
                             f"{np.finfo(dtype).max:.3g}); this network computes in {dtype.name}")
        raise InputError(f"{where}: holds NaN or infinite values; finite numbers are required")
    return arr


def _init_layer(
    fan_in: int, fan_out: int, activation: str, init: str, rng: np.random.Generator
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Initial w (fan_out, fan_in) and b (fan_out,) for one layer."""
    if init == "normal":
        return rng.standard_normal((fan_out, fan_in)), rng.standard_normal(fan_out)
    if init == "uniform":
        return rng.uniform(-1.0, 1.0, (fan_out, fan_in)), rng.uniform(-1.0, 1.0, fan_out)
    he = ACTIVATIONS[activation].he_init
    if he is not None:  # He et al. 2015: keeps the variance of z through ReLU-family layers
        w = rng.normal(0.0, np.sqrt(he / fan_in), (fan_out, fan_in))
    else:  # Glorot & Bengio 2010, uniform
        limit = np.sqrt(6.0 / (fan_in + fan_out))
        w = rng.uniform(-limit, limit, (fan_out, fan_in))
    return w, np.full(fan_out, RELU_BIAS0 if ACTIVATIONS[activation].kink else 0.0)


def _dtype_name(dtype: Any, field: str = "training.dtype") -> str:
    """"float32" or "float64" for those names and for what numpy reads as one of them
    (np.float32, np.dtype("float32"), Python's float, "f8", "double", "single");
    ConfigError naming ``field`` for anything else (float16, None, ...): a config's
    ``training.dtype``, or the Python argument ``dtype`` (then None is shown as None, not
    YAML's null). Names are read as in a config (``names.canonical_name``: "Float32", "FLOAT64")."""
    from .names import canonical_name

    name = canonical_name(dtype, DTYPES)
    if name is not None:
        return name
    if dtype is not None and (isinstance(dtype, (str, np.dtype)) or isinstance(dtype, type)):
        try:
            name = np.dtype(dtype).name
        except TypeError:  # not a dtype numpy knows ("float 64", a class of another kind)
            pass
    if name not in DTYPES:
        given = "None" if dtype is None and field == "dtype" else shown(dtype)
        raise ConfigError(f"{field}: {given} is not one of: {', '.join(DTYPES)}")
    return name


def one_example_hint(shape: tuple[int, ...], n_inputs: int) -> str:
    """For a 1-D X of several values given to a one-input network: a 1-D X is one example, so
    say how to pass one example per value instead ("" otherwise)."""
    if n_inputs != 1 or len(shape) != 1 or shape[0] < 2:
        return ""
    return f" (a 1-D X is one example; for {shape[0]} examples of one input each pass X.reshape(-1, 1))"


def flat_targets_hint(shape: tuple[int, ...], n: int, k: int) -> str:
    """For a 1-D Y of n·k values for n > 1 examples and k > 1 outputs: a 1-D Y is one target per
    example (one output) or one example's targets; n·k values in a row could be laid out either
    way (rows or columns one after the other), so they are refused with how to say which ("" otherwise)."""
    if len(shape) != 1 or n < 2 or k < 2 or shape[0] != n * k:
        return ""
    return (f"; a 1-D Y is one target per example (one output) or one example's targets: for {n} rows of "
            f"{k} given one after the other pass Y.reshape({n}, {k})")


def norm(x: Any) -> float:
    """‖x‖ (Euclidean; Frobenius for a matrix) without overflow in the squares: scaled by
    max |x| first, so gradients of 1e160 have a norm, not inf. NaN if x holds NaN."""
    x = np.asarray(x, dtype=np.float64)
    if x.size == 0:
        return 0.0
    big = float(np.max(np.abs(x)))
    if big == 0.0 or not math.isfinite(big):
        return big
    return big * float(np.linalg.norm(x / big))


def _some_examples(cache: ForwardCache) -> None:
    if cache.output.shape[0] == 0:
        raise InputError("X: no examples; the cost is a mean over at least one")


def _beyond_dtype(given: Any, cast: Array) -> bool:
    """Whether ``given`` is finite where ``cast`` (it in a float32 network's dtype) is not: its
    numbers overflowed the cast, rather than being NaN or infinite already."""
    if cast.dtype == np.float64:
        return False
    with np.errstate(over="ignore", invalid="ignore"):
        return bool(np.isfinite(np.asarray(given, dtype=np.float64)).all())


def finite_rows(values: Array, name: str, dtype: Any = None) -> None:
    """InputError naming the first row of ``values`` (n_samples, n) that holds NaN or ±inf, or,
    with ``dtype`` (float32) narrower than theirs, values beyond its range."""
    if dtype is None or values.dtype == dtype:
        _finite(values, name)
        return
    with np.errstate(over="ignore"):
        cast = values.astype(dtype)
    _finite(cast, name, given=values)


def _finite(values: Array, name: str, given: Any = None) -> None:
    """InputError naming the first row of ``values`` (n_samples, n) holding NaN or ±inf;
    ``given``: what the caller passed, before the cast to a float32 network's dtype (an
    overflow of that cast is named as such)."""
    with np.errstate(over="ignore", invalid="ignore"):  # finite 1e308s overflow the sum; inf − inf
        total = values.sum()  # one pass, no temporary (a sum that overflows: checked below)
    if math.isfinite(total):
        return
    bad = ~np.isfinite(values).all(axis=1)
    if bad.any():
        r = int(np.argmax(bad))
        k = int(np.count_nonzero(bad))
        more = f" ({k} rows do)" if k > 1 else ""
        if given is not None and _beyond_dtype(np.reshape(given, values.shape)[r], values[r]):
            top = np.finfo(values.dtype).max
            raise InputError(f"{name}: row {r} holds values beyond {values.dtype.name}'s range (|x| above "
                             f"{top:.3g}){more}; this network computes in {values.dtype.name}")
        raise InputError(f"{name}: row {r} holds NaN or an infinite value{more}; the cost and its "
                         "gradient need finite numbers")
