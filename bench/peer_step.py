#!/usr/bin/env python3
"""peer_step.py — the GD step of bench_step.c, written the straightforward way in NumPy or
PyTorch (float64, the gradient by hand as the papers give it, no autograd, no tracking).

Usage: peer_step.py numpy|torch      read "SPEC SECONDS" lines from stdin (bench/peers.py)
       peer_step.py numpy|torch SPEC...
One line per case on stdout: "SPEC step_us LIBRARY-DETAILS". Exit status 3 when the
library cannot be imported (the driver reports it as skipped).

shallow:NxDxK:ACT   f = vᵀφ(W xᵢ) with fixed v = ±‖y‖/√(kn), [OS19b]:
    Z = W Xᵀ; Φ = φ(Z); D = φ'(Z); r = vᵀΦ − y; W −= η (v ⊙ D ⊙ r) X
lowrank:NxDxR       fᵢ = ⟨Xᵢ, ΘΘᵀ⟩, [OS19] Thm 4.2, the data as an n × d² matrix:
    r = X vec(ΘΘᵀ) − y; A = reshape(rᵀX); Θ −= η (A + Aᵀ)Θ   (two passes over X)
"""
import sys
import time


def main():
    lib = sys.argv[1] if len(sys.argv) > 1 else "numpy"
    try:
        if lib == "torch":
            import torch
            torch.set_grad_enabled(False)
            details = "torch-%s (%d threads)" % (torch.__version__.split("+")[0],
                                                 torch.get_num_threads())
        else:
            import numpy as np
            details = "numpy-%s" % np.__version__
            try:  # which BLAS, kernel and threads NumPy runs (Debian's: the system OpenBLAS)
                import ctypes
                np.dot(np.ones((64, 64)), np.ones((64, 64)))  # the BLAS is loaded now
                ob = ctypes.CDLL("libopenblas.so.0", mode=ctypes.RTLD_NOLOAD
                                 if hasattr(ctypes, "RTLD_NOLOAD") else 4)
                ob.openblas_get_corename.restype = ctypes.c_char_p
                details += " (openblas-%s, %d threads)" % (ob.openblas_get_corename().decode(),
                                                          ob.openblas_get_num_threads())
            except (OSError, AttributeError):
                pass
    except ImportError as e:
        print("peer_step.py: %s not available: %s" % (lib, e), file=sys.stderr)
        sys.exit(3)

    cache = {}

    def build(spec):
        parts = spec.split(":")
        if lib == "torch":
            import torch as T
            g = T.Generator().manual_seed(1)
            randn = lambda *s: T.randn(*s, generator=g, dtype=T.float64)
        else:
            import numpy as T
            rng = T.random.default_rng(1)
            randn = lambda *s: rng.standard_normal(s)
        if parts[0] == "shallow":
            n, d, k = (int(x) for x in parts[1].split("x"))
            act = parts[2]
            X = randn(n, d)
            X = X / ((X * X).sum(1) ** 0.5)[:, None]
            y = randn(n)
            a = float((y * y).sum() ** 0.5) / (k * n) ** 0.5
            v = randn(k) * 0 + a
            v[k // 2:] = -a
            W = randn(k, d)
            eta = 0.05
            if lib == "torch":
                import torch
                F = torch.nn.functional
                if act == "softplus":
                    def step(W):
                        Z = W @ X.T
                        r = v @ F.softplus(Z) - y
                        W -= eta * ((v[:, None] * torch.sigmoid(Z)) * r) @ X
                else:
                    def step(W):
                        Z = W @ X.T
                        r = v @ torch.relu(Z) - y
                        W -= eta * ((v[:, None] * (Z >= 0)) * r) @ X
            else:
                import numpy as np
                if act == "softplus":
                    def step(W):
                        Z = W @ X.T
                        r = v @ np.logaddexp(0.0, Z) - y
                        D = 1.0 / (1.0 + np.exp(-Z))
                        W -= eta * ((v[:, None] * D) * r) @ X
                else:
                    def step(W):
                        Z = W @ X.T
                        r = v @ np.maximum(Z, 0.0) - y
                        W -= eta * ((v[:, None] * (Z >= 0)) * r) @ X
            return step, W
        n, d, r = (int(x) for x in parts[1].split("x"))
        X = randn(n, d * d)
        y = randn(n)
        Th = randn(d, r) * (float((y * y).sum()) ** 0.25 / (r * n) ** 0.25 / d ** 0.5)
        eta = n ** 0.5 / (r * r * d * float((y * y).sum() ** 0.5))

        def step(Th):
            res = X @ (Th @ Th.T).reshape(-1) - y
            A = (res @ X).reshape(d, d)
            Th -= eta * ((A + A.T) @ Th)
        return step, Th

    def run(spec, seconds):
        if spec not in cache:
            cache[spec] = build(spec)
        step, state = cache[spec]
        batch = 1
        while True:  # warm up, size the batch to about 20 ms
            t0 = time.perf_counter()
            for _ in range(batch):
                step(state)
            dt = time.perf_counter() - t0
            if dt >= 0.02 or batch >= 1 << 22:
                break
            batch *= 2 if dt > 0.002 else 10
        samples = []
        end = time.perf_counter() + seconds
        while len(samples) < 201 and (len(samples) < 3 or time.perf_counter() < end):
            t0 = time.perf_counter()
            for _ in range(batch):
                step(state)
            samples.append((time.perf_counter() - t0) / batch)
        samples.sort()
        print("%s %.3f %s" % (spec, samples[len(samples) // 2] * 1e6, details), flush=True)

    if len(sys.argv) > 2:
        for spec in sys.argv[2:]:
            run(spec, 0.5)
        return
    for line in sys.stdin:
        f = line.split()
        if len(f) == 2:
            run(f[0], float(f[1]))


if __name__ == "__main__":
    main()
