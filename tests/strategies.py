"""Hypothesis strategies shared by the tests (the profiles are registered in ``conftest.py``)."""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st


@st.composite
def cost_profiles(draw, min_n: int = 2, max_n: int = 8):
    """Unsorted costs spanning several decades, with ties drawn on purpose."""
    n = draw(st.integers(min_n, max_n))
    exps = draw(st.lists(st.floats(-5.0, -1.0), min_size=n, max_size=n))
    costs = [10.0**e for e in exps]
    if n >= 3 and draw(st.booleans()):
        i, j = draw(st.integers(0, n - 1)), draw(st.integers(0, n - 1))
        costs[i] = costs[j]  # a tie
    if draw(st.booleans()):
        costs = [float(np.float64(c).round(8)) or 1e-8 for c in costs]
    return np.array(costs)


alphas = st.floats(-1.0, 1.0, allow_nan=False)
wide_alphas = st.floats(-3.0, 3.0, allow_nan=False)


@st.composite
def ixp_instances(draw, max_n: int = 5, max_m: int = 3):
    """IXP instances with integer weights (exact costs, real ties), zeros and sparse pairs;
    n 2..max_n, m 1..max_m."""
    from fastscan.ixp.model import Instance

    n = draw(st.integers(2, max_n))
    m = draw(st.integers(1, max_m))
    top = draw(st.sampled_from([1, 3, 10]))
    ints = st.integers(0, top)
    wf = np.array(draw(st.lists(ints, min_size=n * m, max_size=n * m)), float).reshape(n, m)
    upper = np.array(draw(st.lists(ints, min_size=n * n, max_size=n * n)), float).reshape(n, n)
    keep = np.array(draw(st.lists(st.booleans(), min_size=n * n, max_size=n * n))).reshape(n, n)
    wp = np.triu(upper * keep, 1)
    fc = np.array(draw(st.lists(st.integers(0, 3 * top), min_size=m, max_size=m)), float)
    return Instance(wf, wp + wp.T, fc)
