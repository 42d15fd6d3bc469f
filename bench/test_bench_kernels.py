"""Throughput of scan() on the issue's sizes: ``make bench`` or ``pytest bench --benchmark-only``.

Each case records in ``extra_info``: ``evaluations_per_s`` (coalitions x alpha per second) and,
for the NumPy baseline of ``bench/baseline.py``, its estimated time and the speed-up over it.
Kernels are compiled and warmed up on a small instance before timing.
"""

from __future__ import annotations

import pytest
from cases import CASES

import fastscan


@pytest.fixture(scope="module", autouse=True)
def warm_up():
    from fastscan.datasharing.compute import warm_up

    warm_up()


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_scan_throughput(benchmark, case):
    costs, alpha, sigma = case.inputs()
    if benchmark.disabled:  # smoke run: the same code on a small piece
        costs = costs[: min(case.n, 12 if case.sets == "all" else 2000)]
    ds = benchmark.pedantic(
        fastscan.scan,
        args=(costs, alpha, sigma),
        kwargs={"sets": case.sets, "threads": case.threads},
        rounds=5,
        iterations=1,
    )
    assert ds.sizes["sigma"] == case.n_sigma
    if not benchmark.disabled:
        median = benchmark.stats.stats.median
        base = case.baseline_seconds()
        benchmark.extra_info.update(
            evaluations=case.evaluations,
            evaluations_per_s=case.evaluations / median,
            numpy_baseline_s=base,
            speedup_vs_numpy=base / median,
        )
