#!/usr/bin/python3
"""phase_numpy.py -- [OS19b] Sec. 4's phase-transition protocol in NumPy, the peer of
`gdpath --batch --sweep phase` in bench/phase.sh. Same protocol (x_i uniform on the
sphere, y ~ N(0,1), v fixed at +-|y|/sqrt(kn), W0 ~ N(0,1), plain GD on 1/2 sum (f-y)^2,
stop at the first step with |f-y|/|y| < tol or at max_steps; a misfit that is not finite
or above 1000 r0 counts as diverged), NumPy's own random numbers (so rates agree in
distribution, not bit for bit). One thread: run with OPENBLAS_NUM_THREADS=1.

usage: phase_numpy.py ACT N KS DS TRIALS [TOL MAX_STEPS SEED]   (KS, DS: a,b,c lists)
prints the CSV rows k,d,kd,trials,successes,diverged,rate,median_steps and, on stderr,
the seconds taken.
"""
import math
import sys
import time

import numpy as np


def trial(rng, act, n, k, d, eta, tol, max_steps):
    X = rng.standard_normal((n, d))
    X /= np.linalg.norm(X, axis=1, keepdims=True)
    y = rng.standard_normal(n)
    ynorm = np.linalg.norm(y)
    a = ynorm / math.sqrt(k * n)
    h = k // 2
    v = np.zeros(k)
    v[:h] = a
    v[h:2 * h] = -a
    W = rng.standard_normal((k, d))
    r0 = None
    for step in range(max_steps + 1):
        Z = W @ X.T
        if act == "relu":
            Phi = np.maximum(Z, 0.0)
            D = (Z >= 0).astype(float)
        else:
            Phi = np.logaddexp(0.0, Z)
            D = 0.5 * (1.0 + np.tanh(0.5 * Z))  # the logistic function, overflow-free
        r = v @ Phi - y
        res = np.linalg.norm(r)
        if step == 0:
            r0 = res
        if not math.isfinite(res) or res > 1000 * r0:
            return "diverged", step
        if res / ynorm < tol:
            return "success", step
        if step == max_steps:
            return "fail", step
        W -= eta * ((v[:, None] * D * r[None, :]) @ X)
    return "fail", max_steps


def main():
    act, n = sys.argv[1], int(sys.argv[2])
    ks = [int(s) for s in sys.argv[3].split(",")]
    ds = [int(s) for s in sys.argv[4].split(",")]
    trials = int(sys.argv[5])
    tol = float(sys.argv[6]) if len(sys.argv) > 6 else 2.5e-3
    max_steps = int(sys.argv[7]) if len(sys.argv) > 7 else 15000
    seed = int(sys.argv[8]) if len(sys.argv) > 8 else 1
    eta = 0.1 if act == "relu" else 0.15
    rng = np.random.default_rng(seed)
    t0 = time.perf_counter()
    print("k,d,kd,trials,successes,diverged,rate,median_steps")
    for k in ks:
        for d in ds:
            out = [trial(rng, act, n, k, d, eta, tol, max_steps) for _ in range(trials)]
            ok = [s for o, s in out if o == "success"]
            div = sum(o == "diverged" for o, _ in out)
            med = "" if not ok else "%g" % float(np.median(ok))
            print("%d,%d,%d,%d,%d,%d,%g,%s" % (k, d, k * d, trials, len(ok), div,
                                               len(ok) / trials, med), flush=True)
    print("seconds=%.3f" % (time.perf_counter() - t0), file=sys.stderr)


if __name__ == "__main__":
    main()
