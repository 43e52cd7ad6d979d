#!/usr/bin/env python3
"""peers.py — gdpath's GD step against NumPy, PyTorch and the floor, in one run (issue 10).

Usage: python3 bench/peers.py [--build DIR] [--rounds R] [--seconds S] [--quick] [CASE...]

Starts three workers and keeps them alive: bench/bench_step (gdpath's step, its products
alone and its elementwise work alone) and bench/peer_step.py under NumPy and under PyTorch.
Every case is timed by every worker in each of R rounds, the workers' order rotating from
round to round, so that drift on a shared machine (other processes, clock changes) falls on
all of them alike; the table gives the median over the rounds of each worker's median.
A peer whose library does not import is skipped with a message.

The floor of a shallow step is its two GEMMs alone through the same CBLAS plus its
elementwise work alone; of a low-rank step, the two passes over the n × d² data (dgemv
and its transpose) that a step needs when it reads the data as NumPy does.
"""
import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time

CASES = [
    "shallow:100x20x20:softplus", "shallow:100x20x20:relu",
    "shallow:100x24x24:softplus", "shallow:100x24x24:relu",
    "shallow:1000x100x100:softplus", "shallow:1000x100x100:relu",
    "shallow:1000x100x1000:softplus", "shallow:1000x100x1000:relu",
    "shallow:5000x784x512:softplus", "shallow:5000x784x512:relu",
    "lowrank:50x100x4", "lowrank:200x100x4",
]
QUICK = [c for c in CASES if "5000x" not in c and "x1000:" not in c]


class Worker:
    def __init__(self, name, argv):
        self.name, self.argv, self.details = name, argv, ""
        self.p = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True, bufsize=1)

    def ask(self, case, seconds):
        """Fields after the case name, or None if the worker has gone."""
        try:
            self.p.stdin.write("%s %g\n" % (case, seconds))
            self.p.stdin.flush()
            line = self.p.stdout.readline()
        except BrokenPipeError:
            line = ""
        f = line.split()
        if not f or f[0] != case:
            return None
        return f[1:]

    def close(self):
        try:
            self.p.stdin.close()
        except BrokenPipeError:
            pass
        self.p.wait(timeout=30)
        return self.p.stderr.read().strip()


def machine():
    cpu = "?"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    load = " ".join("%.2f" % x for x in os.getloadavg())
    return "%s, %d cores (%s), load average %s" % (platform.node() or "?", os.cpu_count() or 0,
                                                   cpu, load)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--build", default=os.path.dirname(here), help="build directory")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--seconds", type=float, default=0.3, help="per measurement")
    ap.add_argument("--quick", action="store_true", help="only the small shapes")
    ap.add_argument("cases", nargs="*")
    a = ap.parse_args()
    cases = a.cases or (QUICK if a.quick else CASES)

    step = os.path.join(a.build, "bench", "bench_step")
    if not os.access(step, os.X_OK):
        sys.exit("peers.py: %s is not built: run 'make bench' (or make bench/bench_step)" % step)
    # Debian's numpy and torch live under the system interpreter.
    py = "/usr/bin/python3" if os.access("/usr/bin/python3", os.X_OK) else sys.executable
    workers = [Worker("gdpath", [step])]
    for lib in ("numpy", "torch"):
        w = Worker(lib, [py, os.path.join(here, "peer_step.py"), lib])
        workers.append(w)

    print("gdpath GD step against NumPy, PyTorch and the floor (bench/peers.py)")
    print("date:    %s" % time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()))
    print("machine: %s" % machine())
    print("OPENBLAS_CORETYPE=%s" % os.environ.get("OPENBLAS_CORETYPE", "(unset)"))
    print("rounds:  %d, %.2f s per measurement, workers rotating each round" %
          (a.rounds, a.seconds))
    res = {}  # (worker, case) -> list of field lists
    live = list(workers)
    for rnd in range(a.rounds):
        order = live[rnd % len(live):] + live[:rnd % len(live)]
        for case in cases:
            for w in order:
                if w not in live:
                    continue
                f = w.ask(case, a.seconds)
                if f is None:
                    live.remove(w)
                    err = w.close()
                    print("skipped: %s (%s)" % (w.name, err.splitlines()[-1] if err else
                                                "it stopped"))
                    continue
                res.setdefault((w.name, case), []).append(f)
                w.details = " ".join(f[5:-2] if w.name == "gdpath" else f[1:])
        print("round %d done" % (rnd + 1), file=sys.stderr)
    for w in live:
        w.close()

    def med(name, case, i):
        rows = res.get((name, case))
        if not rows:
            return None
        return statistics.median(float(r[i]) for r in rows)

    print()
    for w in workers:
        if w.details:
            print("%-7s %s" % (w.name + ":", w.details))
    print()
    hdr = ("case", "gdpath", "numpy", "torch", "gemm", "elt", "floor", "numpy/", "torch/",
           "gdpath/", "spectrum", "BLAS")
    print("%-31s %9s %9s %9s %9s %9s %9s %7s %7s %7s %9s %5s" % hdr)
    print("%-31s %9s %9s %9s %9s %9s %9s %7s %7s %7s %9s %5s" %
          ("", "us/step", "us/step", "us/step", "us", "us", "us", "gdpath", "gdpath", "floor",
           "share", "thr"))
    for case in cases:
        g = med("gdpath", case, 0)
        if g is None:
            continue
        gemm, elt = med("gdpath", case, 1), med("gdpath", case, 2)
        floor = gemm + (elt if case.startswith("shallow") else 0.0)
        nump, torch = med("numpy", case, 0), med("torch", case, 0)
        every = med("gdpath", case, 3)
        spec_us = med("gdpath", case, 4)
        share = "n/a" if not every else "%.1f%%" % (100 * spec_us / every / g)
        thr = res[("gdpath", case)][-1][-2].lstrip("(")  # "(2 threads)" -> "2"

        def fmt(x, f="%9.1f"):
            return f % x if x is not None else "%9s" % "-"

        def ratio(x):
            return "%7.2f" % (x / g) if x is not None else "%7s" % "-"
        print("%-31s %s %s %s %s %s %s %s %s %7.2f %9s %5s" %
              (case, fmt(g), fmt(nump), fmt(torch), fmt(gemm), fmt(elt), fmt(floor),
               ratio(nump), ratio(torch), g / floor, share, thr))
    print()
    print("numpy/gdpath, torch/gdpath: how many times faster gdpath's step is (> 1: faster).")
    print("gdpath/floor: the step over its floor (1 = nothing but the floor's work).")
    print("spectrum share: one automatic spectrum (alpha, beta) every N steps, as a share of")
    print("the steps' time ('n/a' where it is too large to time here).")
    print("BLAS thr: gdpath's BLAS threads for the case (blas_fit: 1 below 4e7 flops a product).")


if __name__ == "__main__":
    main()
