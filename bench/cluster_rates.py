"""The per-block numbers of docs/performance.md's Clusters section (issue 23), on one thread.

``python bench/cluster_rates.py rate``: a block's time and rate (coalitions x alpha per second)
for 16 alpha x 4096 sigma at n = 24..30, a block's fixed cost (n = 26 split by 12 players), and a
block part's size. ``python bench/cluster_rates.py exact``: 2^16 blocks of one n = 22 profile
merge to the whole profile's part, bit for bit; and blocks of n = 24 split by 20 players run.
"""

from __future__ import annotations

import io
import sys
import time
import zlib
from functools import reduce

import numpy as np

from fastscan.datasharing.compute import Profile, SigmaGrid, compute_part, merge_parts

ALPHA = np.linspace(-1, 1, 16)
GRID = SigmaGrid.from_sigma(np.linspace(0.05, 1, 4096))
RNG = np.random.default_rng(0)


def profile(n: int) -> Profile:
    return Profile.from_costs(RNG.uniform(1e-4, 1e-2, n))


def rate() -> None:
    """Time the first 3 blocks of each (n, k) and print the rate and a part's bytes."""
    part = None
    for n, k in ((24, 4), (26, 6), (26, 12), (30, 10)):
        p = profile(n)
        start = time.perf_counter()
        for b in range(3):
            part = compute_part(p, ALPHA, GRID, k, b)
        dt = (time.perf_counter() - start) / 3
        per = (2**n - n - 1) / 2**k
        print(
            f"n={n} k={k}: {dt * 1e3:.1f} ms/block, {per:.3g} coalitions/block, "
            f"{per * ALPHA.size / dt:.3g} coalitions*alpha/s"
        )
    buf = io.BytesIO()
    np.savez(buf, **part._asdict())
    raw = buf.getvalue()
    print(f"a part: {len(raw)} bytes as npz, {len(zlib.compress(raw, 1))} after zlib level 1")


def exact() -> None:
    """Blocks merge exactly, however many (n_fixed up to 20 in the kernel)."""
    grid, alpha = SigmaGrid.from_sigma(np.linspace(0.05, 1, 8)), np.array([-0.5, 0.5])
    p = profile(22)
    whole = compute_part(p, alpha, grid, 0, 0)
    start = time.perf_counter()
    merged = reduce(merge_parts, (compute_part(p, alpha, grid, 16, b) for b in range(2**16)))
    same = all(getattr(whole, f).tobytes() == getattr(merged, f).tobytes() for f in whole._fields)
    print(f"n=22, 2^16 blocks merged == whole: {same} ({time.perf_counter() - start:.1f} s)")
    p = profile(24)
    counts = [int(compute_part(p, alpha, grid, 20, b).stable_count.sum()) for b in (0, 2**20 - 1)]
    print(f"n=24, n_fixed=20: blocks 0 and 2^20-1 run, stable counts {counts}")


if __name__ == "__main__":
    compute_part(profile(8), ALPHA, GRID, 0, 0)  # compile or load the kernel first
    {"rate": rate, "exact": exact}[sys.argv[1] if len(sys.argv) > 1 else "rate"]()
