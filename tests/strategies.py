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


WEIGHT_KINDS = ("decimals", "thirds", "floats")


@st.composite
def ixp_weighted_instances(draw, kind: str, max_n: int = 4, max_m: int = 2):
    """IXP instances whose weights are ``kind``: decimals (multiples of 0.1, whose sums tie
    only within rounding: 0.1 + 0.2 against 0.3), thirds (k / 3) or floats (uniform draws);
    zeros and sparse pairs as in :func:`ixp_instances`."""
    from fastscan.ixp.model import Instance

    n = draw(st.integers(2, max_n))
    m = draw(st.integers(1, max_m))
    size = n * m + n * n + m
    if kind == "floats":
        rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
        values = rng.random(size) * draw(st.sampled_from([1.0, 3.0, 10.0]))
        values[rng.random(size) < 0.2] = 0.0
    else:
        ints = np.array(draw(st.lists(st.integers(0, 12), min_size=size, max_size=size)), float)
        values = ints / (10.0 if kind == "decimals" else 3.0)  # the floats nearest k / 10, k / 3
    wf = values[: n * m].reshape(n, m)
    keep = np.array(draw(st.lists(st.booleans(), min_size=n * n, max_size=n * n))).reshape(n, n)
    wp = np.triu(values[n * m : n * m + n * n].reshape(n, n) * keep, 1)
    return Instance(wf, wp + wp.T, values[n * m + n * n :])
