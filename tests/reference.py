"""An independent, deliberately slow backprop written straight from seed 000's scalar equations.

Per example, per neuron, per weight, with Python floats and ``math``: nothing here
shares code with ``backprop_cli.network``. Used by the tests as the reference.

    z_j^(l) = Σ_k w_jk^(l) a_k^(l−1) + b_j^(l)                          (eq. 2)
    a_j^(l) = σ(z_j^(l))                                                (eq. 1)
    ∂C0/∂w_jk^(l) = ∂z_j/∂w_jk · ∂a_j/∂z_j · ∂C0/∂a_j = a_k^(l−1) σ'(z_j) ∂C0/∂a_j   (eqs. 3, 6)
    ∂C0/∂b_j^(l)  = 1 · σ'(z_j) · ∂C0/∂a_j                              (eq. 7)
    ∂C0/∂a_k^(l−1) = Σ_j w_jk^(l) σ'(z_j) ∂C0/∂a_j                      (eq. 8, multi-node)
"""

from __future__ import annotations

import math


def sigma(name: str, z: float) -> float:
    if name == "sigmoid":
        return 1.0 / (1.0 + math.exp(-z)) if z >= 0 else math.exp(z) / (1.0 + math.exp(z))
    if name == "relu":
        return z if z > 0 else 0.0
    if name == "tanh":
        return math.tanh(z)
    if name == "linear":
        return z
    if name == "leaky_relu":
        return z if z > 0 else 0.01 * z
    if name == "elu":
        return z if z > 0 else math.expm1(z)
    if name == "softplus":
        return z + math.log1p(math.exp(-z)) if z > 0 else math.log1p(math.exp(z))
    if name == "silu":
        return z * sigma("sigmoid", z)
    raise ValueError(name)


def sigma_prime(name: str, z: float) -> float:
    if name == "sigmoid":
        s = sigma("sigmoid", z)
        return s * (1.0 - s)
    if name == "relu":
        return 1.0 if z > 0 else 0.0
    if name == "tanh":
        return 1.0 - math.tanh(z) ** 2
    if name == "linear":
        return 1.0
    if name == "leaky_relu":
        return 1.0 if z > 0 else 0.01
    if name == "elu":
        return 1.0 if z > 0 else math.exp(z)
    if name == "softplus":
        return sigma("sigmoid", z)
    if name == "silu":
        s = sigma("sigmoid", z)
        return s * (1.0 + z * (1.0 - s))
    raise ValueError(name)


def forward(weights, biases, acts, x):
    """Lists of per-layer z and a (python floats); a[0] = x."""
    a_layers = [list(map(float, x))]
    z_layers = [None]
    for l, (w, b) in enumerate(zip(weights, biases), start=1):
        prev = a_layers[-1]
        z = [sum(float(w[j][k]) * prev[k] for k in range(len(prev))) + float(b[j]) for j in range(len(b))]
        if acts[l - 1] == "softmax":
            m = max(z)
            e = [math.exp(v - m) for v in z]
            a = [v / sum(e) for v in e]
        else:
            a = [sigma(acts[l - 1], v) for v in z]
        z_layers.append(z)
        a_layers.append(a)
    return z_layers, a_layers


def example_cost(cost: str, out_act: str, a, y) -> float:
    if cost == "squared_error":
        return sum((aj - yj) ** 2 for aj, yj in zip(a, y))
    if cost == "half_squared_error":
        return 0.5 * sum((aj - yj) ** 2 for aj, yj in zip(a, y))
    if cost == "cross_entropy" and out_act == "softmax":
        return -sum(yj * math.log(aj) for aj, yj in zip(a, y))
    if cost == "cross_entropy":
        return -sum(yj * math.log(aj) + (1 - yj) * math.log(1 - aj) for aj, yj in zip(a, y))
    raise ValueError(cost)


def cost_grad_a(cost: str, out_act: str, a, y):
    """∂C0/∂a_j for the output layer, from the cost's formula."""
    if cost == "squared_error":
        return [2.0 * (aj - yj) for aj, yj in zip(a, y)]  # eq. 4
    if cost == "half_squared_error":
        return [aj - yj for aj, yj in zip(a, y)]
    if cost == "cross_entropy" and out_act == "softmax":
        return [-yj / aj for aj, yj in zip(a, y)]
    if cost == "cross_entropy":
        return [-yj / aj + (1 - yj) / (1 - aj) for aj, yj in zip(a, y)]
    raise ValueError(cost)


def gradients(weights, biases, acts, cost, X, Y):
    """(dw, db) of the MEAN cost over the rows of X, as nested python lists."""
    L = len(weights)
    dw = [[[0.0] * len(w[0]) for _ in w] for w in weights]
    db = [[0.0] * len(b) for b in biases]
    n = len(X)
    for x, y in zip(X, Y):
        z, a = forward(weights, biases, acts, x)
        grad_a = cost_grad_a(cost, acts[-1], a[L], y)
        for l in range(L, 0, -1):
            n_l = len(biases[l - 1])
            if acts[l - 1] == "softmax":
                # Not element-wise: ∂C0/∂z_j = Σ_i ∂C0/∂a_i · a_i (δ_ij − a_j)
                s = a[l]
                dz = [sum(grad_a[i] * s[i] * ((i == j) - s[j]) for i in range(n_l)) for j in range(n_l)]
            else:
                dz = [sigma_prime(acts[l - 1], z[l][j]) * grad_a[j] for j in range(n_l)]
            for j in range(n_l):
                for k in range(len(a[l - 1])):
                    dw[l - 1][j][k] += a[l - 1][k] * dz[j] / n  # eq. 3: a_k^(l−1) σ'(z_j) ∂C0/∂a_j
                db[l - 1][j] += dz[j] / n  # eq. 7
            grad_a = [
                sum(float(weights[l - 1][j][k]) * dz[j] for j in range(n_l))  # eq. 8: the sum over j
                for k in range(len(a[l - 1]))
            ]
    return dw, db


def mean_cost(weights, biases, acts, cost, X, Y) -> float:
    return sum(
        example_cost(cost, acts[-1], forward(weights, biases, acts, x)[1][-1], y) for x, y in zip(X, Y)
    ) / len(X)
