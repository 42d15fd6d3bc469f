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
