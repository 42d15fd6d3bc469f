"""Where a threshold falls on the sorted grid of ``s = sigma^2`` values."""

from __future__ import annotations

import numpy as np

from ._numba import inline, kernel


@inline
def locate(s, x):
    """First index ``j`` with ``s[j] >= x`` (``numpy.searchsorted(s, x, 'left')``)."""
    lo = 0
    hi = s.shape[0]
    while lo < hi:
        mid = (lo + hi) >> 1
        if s[mid] < x:
            lo = mid + 1
        else:
            hi = mid
    return lo


@kernel
def floor_log2_table(n):
    """``t[m] = floor(log2(m))`` for ``m = 1..n`` (``t[0] = 0``), for O(1) range updates."""
    t = np.zeros(n + 1, dtype=np.int64)
    for m in range(2, n + 1):
        t[m] = t[m >> 1] + 1
    return t
