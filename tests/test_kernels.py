"""Kernel building blocks against their obvious versions."""

from __future__ import annotations

import numpy as np
import pytest
from fastscan.kernels.datasharing import privacy
from fastscan.kernels.datasharing.central import central_optimum
from fastscan.kernels.datasharing.formulas import (
    C_SC_CENTRAL,
    C_VAR_CENTRAL,
    coefficients,
    prefix_fold,
)
from fastscan.kernels.datasharing.grid import locate_many
from hypothesis import given
from hypothesis import strategies as st
from strategies import wide_alphas

from fastscan.datasharing import model
from fastscan.datasharing.compute import Profile

positive = st.floats(1e-12, 1e12, allow_nan=False, allow_infinity=False)


@given(grid=st.lists(positive, min_size=1, max_size=300), probes=st.lists(positive, max_size=50))
def test_locate_is_searchsorted(grid, probes):
    s = np.sort(np.array(grid))
    xs = np.concatenate([s, np.nextafter(s, 0), np.nextafter(s, np.inf), probes, [np.inf]])
    np.testing.assert_array_equal(locate_many(s, xs), np.searchsorted(s, xs, "left"))


@given(
    seed=st.integers(0, 2**32 - 1),
    n=st.integers(2, 200),
    alpha=wide_alphas,
    spread=st.floats(0.0, 4.0),
)
def test_central_envelope_is_brute_force(seed, n, alpha, spread):
    rng = np.random.default_rng(seed)
    costs = 10.0 ** rng.uniform(-3 - spread, -3, n)
    prof = Profile.from_costs(costs)
    s = np.sort(10.0 ** rng.uniform(-6, 2, 64))
    C = coefficients(n, (privacy.power([alpha]), 0))
    size = np.empty(64, dtype=np.int32)
    sc = np.empty(64)
    var = np.empty(64)
    central_optimum(n, prefix_fold(prof.a), C[C_SC_CENTRAL], C[C_VAR_CENTRAL], s, size, sc, var)
    for j in range(64):
        k, want, _ = model.central_optimum(costs, s[j], alpha)
        assert sc[j] == pytest.approx(want, rel=1e-12)
        if size[j] != k:
            c = np.sort(costs)
            other = n * s[j] if size[j] == 0 else model.social_cost_c(c, size[j], n, s[j], alpha)
            assert other == pytest.approx(want, rel=1e-12)
