#!/usr/bin/python3
"""range_test_numpy.py -- the peer of `gdpath --batch --sweep eta --preset softplus`:
the same work in NumPy on one core: a shallow softplus net f(x) = v'softplus(Wx) with
n = 100 samples on the unit sphere of R^20, k = 20 hidden units, v fixed at +-|y|/sqrt(kn),
W0 iid N(0, 1); 25 step sizes log-spaced over 2/beta0^2 x [1/64, 4], 200 steps of plain
gradient descent each from the same W0, and the same verdicts. Prints the seconds the
sweep took (data set-up and beta0 included). Usage: range_test_numpy.py [K] [STEPS]"""
import sys
import time

import numpy as np

K = int(sys.argv[1]) if len(sys.argv) > 1 else 25
STEPS = int(sys.argv[2]) if len(sys.argv) > 2 else 200
n, d, k = 100, 20, 20

t0 = time.perf_counter()
rng = np.random.default_rng(1)
X = rng.standard_normal((n, d))
X /= np.linalg.norm(X, axis=1, keepdims=True)
y = rng.standard_normal(n)
a = np.linalg.norm(y) / np.sqrt(k * n)
v = np.array([a if l < k // 2 else -a for l in range(k)])
W0 = rng.standard_normal((k, d))


def softplus(z):
    return np.logaddexp(0.0, z)


def sigmoid(z):
    return 0.5 * (1.0 + np.tanh(0.5 * z))


def residual(W):
    return softplus(X @ W.T) @ v - y


def jacobian(W):
    # J[i, (l, j)] = v_l sigmoid(w_l . x_i) x_ij
    D = sigmoid(X @ W.T) * v            # n x k
    return (D[:, :, None] * X[:, None, :]).reshape(n, k * d)


beta0 = np.linalg.norm(jacobian(W0), 2)
thr = 2.0 / beta0 ** 2
etas = np.exp(np.linspace(np.log(thr / 64), np.log(thr * 4), K))
verdicts = []
for eta in etas:
    W = W0.copy()
    r = residual(W)
    r0 = np.linalg.norm(r)
    loss0 = 0.5 * r0 * r0
    prev, rises, counted, div = r0, 0, 0, -1
    for t in range(1, STEPS + 1):
        D = sigmoid(X @ W.T) * v        # n x k
        G = (D * r[:, None]).T @ X      # k x d, J'r
        W -= eta * G
        r = residual(W)
        m = np.linalg.norm(r)
        if not np.isfinite(m) or 0.5 * m * m > 1000 * loss0:
            div = t
            break
        if t > STEPS // 2:
            counted += 1
            rises += m > prev
        prev = m
    nm = np.linalg.norm(r) / r0
    verdicts.append("diverged" if div >= 0 else "converged" if nm <= 1e-6 else
                    "oscillating" if rises >= 0.1 * counted else "descending")
t1 = time.perf_counter()
print(f"{t1 - t0:.6f}")
sys.stderr.write(" ".join(v[:3] for v in verdicts) + "\n")
