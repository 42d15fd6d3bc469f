"""Throughput of scan() on the issue's sizes: ``make bench`` or ``pytest bench --benchmark-only``.

Each case records ``evaluations_per_s`` (coalitions x alpha per second) in ``extra_info``.
Kernels are compiled and warmed up on a small instance before timing.
"""

from __future__ import annotations

import pytest
from cases import CASES

import fastscan


@pytest.fixture(scope="module", autouse=True)
def warm_up():
    for sets in ("all", "downward"):
        fastscan.scan([1e-3, 2e-3, 3e-3, 4e-3], [0.0, 1.0], [0.1, 0.5], sets=sets)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_scan_throughput(benchmark, case):
    costs, alpha, sigma = case.inputs()
    ds = benchmark.pedantic(
        fastscan.scan,
        args=(costs, alpha, sigma),
        kwargs={"sets": case.sets},
        rounds=3,
        iterations=1,
    )
    assert ds.sizes["sigma"] == case.n_sigma
    if benchmark.stats is not None:
        median = benchmark.stats.stats.median
        benchmark.extra_info["evaluations_per_s"] = case.evaluations / median
        benchmark.extra_info["evaluations"] = case.evaluations
