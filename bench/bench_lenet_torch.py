#!/usr/bin/python3
"""bench_lenet_torch.py — the peer of bench_lenet.c: the same LeNet ([OS19] Sec. 6.1, the
TF-slim net) in PyTorch on the CPU in double precision, one Adam step (lr 1e-3) on a
minibatch of 100 random 28x28 images with the sum of squares against one-hot targets, on
the same number of threads as gdpath (one by default).

Usage: bench_lenet_torch.py [STEPS] [THREADS]   (defaults 10, 1)
Prints one line: steps=, median_ms=, min_ms=, torch=, threads=; or "skip=..." when torch
is missing (Debian's python3-torch is /usr/bin/python3's)."""
import sys
import time

try:
    import torch
    import torch.nn as nn
except ImportError as e:  # pragma: no cover
    print("skip=no-torch (%s)" % e)
    sys.exit(0)

steps = int(sys.argv[1]) if len(sys.argv) > 1 else 10
threads = int(sys.argv[2]) if len(sys.argv) > 2 else 1
torch.set_num_threads(threads)
torch.manual_seed(1)
net = nn.Sequential(
    nn.Conv2d(1, 32, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
    nn.Conv2d(32, 64, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
    nn.Flatten(), nn.Linear(7 * 7 * 64, 1024), nn.ReLU(), nn.Linear(1024, 10),
).double()
opt = torch.optim.Adam(net.parameters(), lr=1e-3)
x = torch.rand(100, 1, 28, 28, dtype=torch.float64)
y = nn.functional.one_hot(torch.randint(0, 10, (100,)), 10).double()
times = []
for s in range(steps + 1):
    t0 = time.perf_counter()
    opt.zero_grad()
    loss = 0.5 * ((net(x) - y) ** 2).sum()
    loss.backward()
    opt.step()
    if s > 0:
        times.append(time.perf_counter() - t0)
times.sort()
print("steps=%d median_ms=%.1f min_ms=%.1f torch=%s threads=%d"
      % (steps, 1e3 * times[len(times) // 2], 1e3 * times[0], torch.__version__, threads))
