"""A backward pass written straight from seed 000's equations, for `backprop gradcheck --backward`.

    backprop gradcheck --backward examples/backward.py:backward                      # passes
    backprop gradcheck --backward examples/backward.py:backward_without_the_2        # a learner's slip

Copy it and change it: gradcheck calls FUNCTION(weights, biases, X, Y, config) and expects (dw, db),
the gradient of the mean cost over the rows of X, layer 1 first. weights[l-1] is w^(l), shaped
(n_l, n_(l-1)), so z^(l) = w^(l) a^(l-1) + b^(l); each row of X is one example's a^(0).
Only numpy is needed; the hidden and output activations and the cost are read from the config.
"""
import numpy as np

def _sigmoid(z):
    """σ(z) = 1 / (1 + e^(−z)), written so that no e^(±z) overflows (z = −800 gave inf/inf = nan)."""
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))


# σ and σ' by name (seed 000: ∂a/∂z = σ'(z)); sigmoid's σ'(z) = σ(z)(1 − σ(z))
SIGMA = {
    "sigmoid": (_sigmoid, lambda z: _sigmoid(z) * (1 - _sigmoid(z))),
    "tanh": (np.tanh, lambda z: 1 - np.tanh(z) ** 2),
    "relu": (lambda z: np.maximum(z, 0), lambda z: (z > 0).astype(float)),
    "linear": (lambda z: z, lambda z: np.ones_like(z)),
}


def _activations(config):
    """One activation name per layer, 1 to L."""
    hidden = config.network.activation
    n_hidden = len(config.network.layers) - 2
    hidden = [hidden] * n_hidden if isinstance(hidden, str) else list(hidden)
    names = hidden + [config.network.resolved_output_activation]
    for name in names:
        if name not in SIGMA:
            raise ValueError(f"this example knows {', '.join(SIGMA)}; the config uses {name}")
    return names


def _dC_da(a, y, cost):
    """∂C0/∂a^(L) for one example: seed 000's C0 = (a − y)² gives 2(a − y); seed 001's ½(ŷ − y)², ŷ − y."""
    if cost == "squared_error":
        return 2 * (a - y)
    if cost == "half_squared_error":
        return a - y
    raise ValueError(f"this example knows squared_error and half_squared_error; the config uses {cost}")


def backward(weights, biases, X, Y, config, factor=2.0):
    names = _activations(config)
    L = len(weights)
    n = len(X)
    dw = [np.zeros_like(w) for w in weights]
    db = [np.zeros_like(b) for b in biases]
    for x, y in zip(X, Y):  # one example at a time, as the seeds derive it
        a, z = [x], [None]
        for l in range(1, L + 1):  # forward: z^(l) = w^(l) a^(l-1) + b^(l), a^(l) = σ(z^(l))
            z.append(weights[l - 1] @ a[l - 1] + biases[l - 1])
            a.append(SIGMA[names[l - 1]][0](z[l]))
        dC_da = _dC_da(a[L], y, config.cost) * (factor / 2)  # ∂C0/∂a^(L)
        for l in range(L, 0, -1):
            delta = SIGMA[names[l - 1]][1](z[l]) * dC_da  # δ^(l) = σ'(z^(l)) ⊙ ∂C0/∂a^(l)
            dw[l - 1] += np.outer(delta, a[l - 1])  # ∂C0/∂w_jk = a_k^(l-1) σ'(z_j) ∂C0/∂a_j
            db[l - 1] += delta  # ∂C0/∂b_j = σ'(z_j) ∂C0/∂a_j
            dC_da = weights[l - 1].T @ delta  # ∂C0/∂a_k^(l-1) = Σ_j w_jk σ'(z_j) ∂C0/∂a_j: reused below
    lam = config.training.l2
    dw = [d / n + lam * w for d, w in zip(dw, weights)]  # the mean cost; L2 adds λ·w
    db = [d / n for d in db]
    return dw, db


def backward_without_the_2(weights, biases, X, Y, config):
    """A learner's slip: ∂C0/∂a^(L) written (a − y) for seed 000's C0 = (a − y)², the 2 left out
    (for squared_error; half_squared_error's ∂C0/∂a is a − y already, which this has no slip in)."""
    if config.cost != "squared_error":
        raise ValueError(f"this slip is squared_error's; the config's cost is {config.cost}")
    return backward(weights, biases, X, Y, config, factor=1.0)
