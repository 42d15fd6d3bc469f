"""Throughput of the IXP exhaustive kernel (issue 11 §7): assignments per second on one core,
n = 12, m = 3, a uniform instance, for 1, 16 and 256 alphas in [1, 2]."""

from __future__ import annotations

import numpy as np
import pytest

from fastscan.ixp import compute, families

ALPHAS = {"ixp-n12-m3-1a": 1, "ixp-n12-m3-16a": 16, "ixp-n12-m3-256a": 256}


@pytest.fixture(scope="module")
def instance(request):
    n = 6 if request.config.getoption("benchmark_disable") else 12  # smoke: the same code, small
    return families.uniform(n, 3, 0.5, 1.0, 1.0, 0)


@pytest.mark.parametrize("case", list(ALPHAS))
def test_ixp_exhaustive(benchmark, instance, case):
    alpha = np.linspace(1, 2, ALPHAS[case]) if ALPHAS[case] > 1 else np.array([1.0])
    compute.exhaustive(instance, alpha)  # compile or load the kernel
    values = benchmark.pedantic(compute.exhaustive, args=(instance, alpha), rounds=3)
    assert values["stable_count"][-1] >= 1  # Thm 4.3: a stable state exists at alpha = 1
    if not benchmark.disabled:
        per_s = (instance.m + 1) ** instance.n / benchmark.stats.stats.median
        benchmark.extra_info.update(assignments_per_s=per_s)
