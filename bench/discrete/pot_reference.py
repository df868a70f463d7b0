#!/usr/bin/env python3
"""Reference timings for bench/discrete: POT's network simplex and a chunked
NumPy energy distance on the inputs written by the Swift benchmark suite.

Usage: pot_reference.py DIR   (DIR holds swift_results.txt and the CSV inputs)
Skips POT gracefully when it is not installed (pip install pot).
Set SKIP_NUMPY_ENERGY=1 to skip the (slow) NumPy energy distance.
"""
import os
import re
import sys
import time
import warnings

try:
    import numpy as np
except ImportError:
    print("numpy is not installed; nothing to compare against")
    sys.exit(0)
try:
    import ot
except ImportError:
    ot = None


def parse_results(path):
    rows = []
    if not os.path.exists(path):
        return rows
    for line in open(path):
        kind, *fields = line.split()
        rows.append((kind, dict(f.split("=", 1) for f in fields)))
    return rows


def load(directory, name):
    return np.loadtxt(os.path.join(directory, name), delimiter=",", ndmin=2)


def energy_numpy(x, y, chunk=256):
    """V-statistic, exact, chunked over rows (O(chunk * n) memory)."""
    def mean_dist(a, b):
        total = 0.0
        bb = (b * b).sum(1)
        for s in range(0, len(a), chunk):
            blk = a[s:s + chunk]
            d2 = (blk * blk).sum(1)[:, None] + bb[None, :] - 2 * blk @ b.T
            total += np.sqrt(np.maximum(d2, 0)).sum()
        return total / (len(a) * len(b))
    return 2 * mean_dist(x, y) - mean_dist(x, x) - mean_dist(y, y)


def main():
    directory = sys.argv[1] if len(sys.argv) > 1 else "/tmp/ncf-bench-discrete"
    results = parse_results(os.path.join(directory, "swift_results.txt"))
    if not results:
        print(f"no Swift results in {directory}; run bench/discrete/run.sh first")
        return
    print(f"numpy {np.__version__}, POT {ot.__version__ if ot else 'not installed'}")
    for kind, r in results:
        if kind == "exact":
            n = int(r["n"])
            ours = float(r["solve_s"])
            line = f"exact OT n={n}: ours {ours:.3f} s (cost matrix {float(r['build_s']):.3f} s), cost {float(r['cost']):.12g}, pivots {r['pivots']}"
            if ot is None:
                print(line + "; POT not installed")
                continue
            x, y = load(directory, f"ot_x_{n}.csv"), load(directory, f"ot_y_{n}.csv")
            M = ot.dist(x, y)  # squared Euclidean
            a = np.full(n, 1.0 / n)
            for label, cap in (("default numItermax", 100000), ("numItermax=1e8", 100000000)):
                with warnings.catch_warnings(record=True) as caught:
                    warnings.simplefilter("always")
                    t0 = time.perf_counter()
                    cost = ot.emd2(a, a, M, numItermax=cap)
                    t = time.perf_counter() - t0
                warned = any("numItermax" in str(w.message) for w in caught)
                rel = (float(r["cost"]) - cost) / cost
                print(f"{line}\n    POT {label}: {t:.3f} s, cost {cost:.12g}{' (WARNING: not converged)' if warned else ''}; "
                      f"ratio ours/POT {ours / t:.2f}; relative cost difference {rel:+.2e}")
                line = " " * 4 + "(same problem)"
        elif kind == "energy":
            ours = float(r["v_s"])
            print(f"energy distance n={r['n']} d={r['d']} (V): ours {ours:.2f} s, value {float(r['v']):.12g}")
            if os.environ.get("SKIP_NUMPY_ENERGY"):
                continue
            x, y = load(directory, "energy_x.csv"), load(directory, "energy_y.csv")
            t0 = time.perf_counter()
            v = energy_numpy(x, y)
            t = time.perf_counter() - t0
            print(f"    NumPy chunked: {t:.2f} s, value {v:.12g}; ratio ours/NumPy {ours / t:.3f}; "
                  f"relative difference {(float(r['v']) - v) / v:+.2e}")
        elif kind in ("energy_u", "energy_float", "energy_sliced", "sinkhorn"):
            print(f"{kind}: " + " ".join(f"{k}={v}" for k, v in r.items()))


if __name__ == "__main__":
    main()
