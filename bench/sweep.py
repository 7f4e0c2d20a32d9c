"""What-if sweep throughput: VGG-16 under a width multiplier x resolution grid.

symcnn compiles the symbolic totals once (lambdify to NumPy) and evaluates the
grid vectorised.  The comparison, measured in the same run, is what a user
would otherwise do: derive the network again for each design point (here with
symcnn's own exact derivation, far faster than building a PyTorch model per
point, so the ratio is a lower bound).

    python bench/sweep.py [--points 1000000]
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import sympy as sp

import symcnn
from symcnn.whatif import whatif


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--points", type=int, default=1_000_000)
    ap.add_argument("--rederive", type=int, default=20, help="design points re-derived one by one")
    args = ap.parse_args()

    t0 = time.perf_counter()
    w = whatif("vgg16", width="alpha", resolution="R")
    t_symbolic = time.perf_counter() - t0

    side = round(args.points ** 0.5)
    alphas = np.linspace(0.25, 2.0, side)
    rs = np.arange(64, 64 + side)
    t0 = time.perf_counter()
    data = w.sweep({"alpha": alphas, "R": rs}, quantities=("params", "macs", "activations"))
    t_sweep = time.perf_counter() - t0
    n = len(data["params"])
    rate = n / t_sweep

    a, R = w.symbol("alpha"), w.symbol("R")
    rng = np.random.default_rng(0)
    t0 = time.perf_counter()
    for _ in range(args.rederive):
        alpha = sp.Rational(int(rng.integers(4, 32)), 16)
        r = int(rng.integers(64, 512))
        symcnn.derive(w.network.subs({a: alpha, R: r}))
    per_point = (time.perf_counter() - t0) / args.rederive
    naive_rate = 1 / per_point

    print(f"symbolic VGG-16 (alpha, R) derived once: {t_symbolic:.3f} s")
    print(f"sweep: {n:,} design points x 3 totals in {t_sweep:.3f} s = {rate:,.0f} points/s "
          f"(target: >= 1,000,000 points/s)")
    print(f"re-deriving per point: {naive_rate:,.1f} points/s ({args.rederive} points)")
    print(f"ratio sweep / re-derive: {rate / naive_rate:,.0f}x")


if __name__ == "__main__":
    main()
