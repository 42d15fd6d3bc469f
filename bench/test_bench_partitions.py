"""The partition game's speed: the walk over every partition of a profile against the vectorized
NumPy program of ``bench/baseline_partitions.py`` (n = 10, nash, 16 alphas x 1024 sigma, in
interleaved pairs), and the kernel alone at n = 12 (nash, individual, contractual) and n = 9
(core), 16 alphas x 1024 sigma each. The unit of throughput is partitions x alpha per second.

The baseline and the kernel count the same Nash-stable partitions (checked here on random
profiles, outside the timings). The baseline's RGS array is built once, outside its rounds: its
generation is not per partition-alpha work (``extra_info`` reports it, and the baseline's time per
phase from ``profile_baseline``).
"""

from __future__ import annotations

import os

import numpy as np
import pytest
from baseline_partitions import nash_counts, profile_baseline, rgs
from paired import paired

from fastscan.partitions.compute import grid_of, walk_profile

SMOKE = bool(os.environ.get("FASTSCAN_BENCH_SMOKE"))
N_ALPHA, N_SIGMA = 16, 1024
KERNEL = {
    "partitions-n12-nash": (12, "nash"),
    "partitions-n12-individual": (12, "individual"),
    "partitions-n12-contractual": (12, "contractual"),
    "partitions-n9-core": (9, "core"),
}


def bell(n: int) -> int:
    """The number of partitions of ``n`` players (the Bell triangle)."""
    row = [1]
    for _ in range(n - 1):
        nxt = [row[-1]]
        for x in row:
            nxt.append(nxt[-1] + x)
        row = nxt
    return row[-1]


def inputs(n: int, n_alpha: int = N_ALPHA, n_sigma: int = N_SIGMA, seed: int = 2026):
    """Random costs in [1e-4, 1e-2] (as ``cases.Case``), alpha in [-1, 1], ascending sigma."""
    rng = np.random.default_rng(seed)
    costs = 10.0 ** rng.uniform(-4.0, -2.0, n)
    return costs, np.linspace(-1.0, 1.0, n_alpha), np.linspace(0.02, 1.0, n_sigma)


@pytest.fixture(scope="module", autouse=True)
def warm_up():
    from fastscan.partitions.compute import warm_up

    warm_up()


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_baseline_matches_kernel(seed):
    """The baseline's counts equal the kernel's: n = 5, 6, 7, 4 alphas, 32 ascending sigma (random
    costs, so no grid point sits on a threshold)."""
    rng = np.random.default_rng(seed)
    n = 5 + seed
    costs = 10.0 ** rng.uniform(-3.0, 0.0, n)
    alphas = np.sort(rng.uniform(-1.0, 1.0, 4))
    sigmas = np.sort(rng.uniform(0.01, 1.5, 32))
    _, grid = grid_of(sigmas)
    expected = walk_profile(costs, alphas, grid, ("nash",)).count[0]
    got = nash_counts(costs, alphas, sigmas)
    assert got.shape == expected.shape == (4, 32)
    np.testing.assert_array_equal(got, expected)


def test_partitions_numpy_pair(benchmark):
    """The kernel against the NumPy baseline, interleaved: n = 10, nash, 16 alphas x 1024
    sigma (smoke: n = 6)."""
    n = 6 if SMOKE else 10
    costs, alphas, sigmas = inputs(n)
    _, grid = grid_of(sigmas)
    partitions = rgs(n)

    def kernel():
        return walk_profile(costs, alphas, grid, ("nash",))

    def numpy():
        return nash_counts(costs, alphas, sigmas, partitions=partitions)

    np.testing.assert_array_equal(kernel().count[0], numpy())
    paired(benchmark, kernel, numpy, rounds=1 if SMOKE else 5)
    if not benchmark.disabled:
        work = bell(n) * alphas.size
        median = benchmark.stats.stats.median
        ref = benchmark.extra_info["reference_median_s"]
        phases = profile_baseline(costs, alphas, sigmas)
        benchmark.extra_info.update(
            partitions=bell(n),
            partitions_alpha_per_s=work / median,
            numpy_partitions_alpha_per_s=work / ref,
            speedup_vs_numpy=ref / median,
            numpy_phases_s={k: v for k, v in phases.items() if k != "rate"},
        )


@pytest.mark.parametrize("case", list(KERNEL))
def test_partitions_kernel(benchmark, case):
    """The kernel alone: every partition at 16 alphas x 1024 sigma (smoke: n = 6)."""
    n, notion = KERNEL[case]
    if SMOKE:
        n = 6
    costs, alphas, sigmas = inputs(n)
    _, grid = grid_of(sigmas)
    part = benchmark.pedantic(
        walk_profile, args=(costs, alphas, grid, (notion,)), rounds=3, iterations=1
    )
    count = part.count[0]
    assert count.shape == (N_ALPHA, N_SIGMA)
    assert 0 <= count.min() and count.max() <= bell(n)
    if not benchmark.disabled:
        work = bell(n) * N_ALPHA
        benchmark.extra_info.update(
            partitions=bell(n), partitions_alpha_per_s=work / benchmark.stats.stats.median
        )
