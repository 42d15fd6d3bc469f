"""The NumPy baseline gives the kernels' answers (so the speed ratios compare like with like)."""

from __future__ import annotations

import baseline
import numpy as np
import pytest

import fastscan


@pytest.mark.parametrize("sets, n", [("all", 9), ("all", 12), ("downward", 300)])
def test_baseline_matches_kernels(sets, n):
    rng = np.random.default_rng(n)
    costs = 10.0 ** rng.uniform(-4, -2, n)
    alpha = np.linspace(-1, 1, 5)
    sigma = np.sort(rng.uniform(0.02, 1.0, 64))
    ref = (baseline.scan_all if sets == "all" else baseline.scan_downward)(costs, alpha, sigma)
    ds = fastscan.scan(costs, alpha, sigma, sets=sets).isel(profile=0)
    np.testing.assert_array_equal(ref["count"], ds.stable_count.values)
    np.testing.assert_array_equal(ref["max_size"], ds.max_size.values)
    np.testing.assert_array_equal(ref["min_size"], ds.min_size.values)
    np.testing.assert_allclose(ref["opt_sc"], ds.opt_social_cost.values, rtol=1e-12)
    assert ref["count"].sum() > 0  # the comparison saw stable coalitions
