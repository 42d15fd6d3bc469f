"""Stability of coalitions at one point (alpha, sigma): the per-point path of the public API.

Deliberately plain: every subset is checked on its own against Claims 5 and 6 with the same
coefficients and fold as the grid kernels, so it doubles as a check of their range bookkeeping.
"""

from __future__ import annotations

import numpy as np

from .._numba import inline, kernel
from .formulas import (
    C_LOWER,
    C_NASH_IN,
    C_NASH_OUT,
    C_ROBUST,
    NASH,
    coefficients,
    exponents,
    lower_s,
    row_for,
    upper_s_nash,
    upper_s_robust,
)


@inline
def _fold(a, mask):
    """``(k, A, M, z)`` of a bitmask over ascending ``a``: size, ascending fold, largest member's
    ``a``, cheapest outsider's index (-1 for the grand coalition)."""
    k = 0
    A = 0.0
    M = 0.0
    z = -1
    for i in range(a.shape[0]):
        if (mask >> i) & 1:
            k += 1
            A = A + a[i]
            M = a[i]
        elif z < 0:
            z = i
    return k, A, M, z


@kernel
def coalition_bounds(a, member, alpha):
    """``(L, U_nash, U_robust)`` in ``s`` for one coalition (``member[i]`` on ascending ``a``)."""
    n = a.shape[0]
    k = 0
    A = 0.0
    M = 0.0
    z = -1
    for i in range(n):
        if member[i]:
            k += 1
            A = A + a[i]
            M = a[i]
        elif z < 0:
            z = i
    e, f = exponents(alpha)
    row = row_for(k, e, f)
    L = lower_s(A, M, row[C_LOWER])
    if z < 0:
        return L, np.inf, np.inf
    UN = upper_s_nash(A, a[z], row[C_NASH_OUT], row[C_NASH_IN])
    UR = upper_s_robust(A, M, a[z], row[C_ROBUST])
    return L, UN, UR


@kernel
def stable_masks_all(a, alpha, s, notion):
    """Bitmasks (over ascending ``a``) of every coalition stable at ``s``; ``n <= 62``."""
    n = a.shape[0]
    C = coefficients(n, alpha)
    out = np.empty(16, dtype=np.uint64)
    cnt = 0
    for mask in range(3, 1 << n):
        k, A, M, z = _fold(a, mask)
        if k < 2:
            continue
        if not lower_s(A, M, C[C_LOWER, k]) <= s:
            continue
        if z >= 0:
            if notion == NASH:
                U = upper_s_nash(A, a[z], C[C_NASH_OUT, k], C[C_NASH_IN, k])
            else:
                U = upper_s_robust(A, M, a[z], C[C_ROBUST, k])
            if not s < U:
                continue
        if cnt == out.shape[0]:
            grown = np.empty(2 * cnt, dtype=np.uint64)
            grown[:cnt] = out
            out = grown
        out[cnt] = mask
        cnt += 1
    return out[:cnt]


@kernel
def stable_sizes_downward(a, alpha, s, notion):
    """Sizes ``k`` of the downward-closed coalitions ``S_k`` stable at ``s``."""
    n = a.shape[0]
    e, f = exponents(alpha)
    out = np.empty(n, dtype=np.int64)
    cnt = 0
    A = a[0]
    for k in range(2, n + 1):
        A = A + a[k - 1]
        M = a[k - 1]
        row = row_for(k, e, f)
        if not lower_s(A, M, row[C_LOWER]) <= s:
            continue
        if k < n:
            if notion == NASH:
                U = upper_s_nash(A, a[k], row[C_NASH_OUT], row[C_NASH_IN])
            else:
                U = upper_s_robust(A, M, a[k], row[C_ROBUST])
            if not s < U:
                continue
        out[cnt] = k
        cnt += 1
    return out[:cnt]


@kernel
def bounds_downward(a, alpha):
    """``(L, U_nash, U_robust)`` in ``s`` of ``S_k`` for ``k = 2..n`` (row ``k - 2``)."""
    n = a.shape[0]
    e, f = exponents(alpha)
    out = np.empty((3, n - 1))
    A = a[0]
    for k in range(2, n + 1):
        A = A + a[k - 1]
        M = a[k - 1]
        row = row_for(k, e, f)
        out[0, k - 2] = lower_s(A, M, row[C_LOWER])
        if k == n:
            out[1, k - 2] = np.inf
            out[2, k - 2] = np.inf
        else:
            out[1, k - 2] = upper_s_nash(A, a[k], row[C_NASH_OUT], row[C_NASH_IN])
            out[2, k - 2] = upper_s_robust(A, M, a[k], row[C_ROBUST])
    return out


@inline
def _upper(A, M, a, z, C, k, notion):
    """The upper end in ``s`` of Claim 5 (nash) or Claim 6 (robust); ``inf`` without outsider."""
    if z < 0:
        return np.inf
    if notion == NASH:
        return upper_s_nash(A, a[z], C[C_NASH_OUT, k], C[C_NASH_IN, k])
    return upper_s_robust(A, M, a[z], C[C_ROBUST, k])


@kernel
def nonempty_all(a, alpha, notion):
    """``(masks, L, U)`` in ``s`` of the coalitions of size >= 2 stable on a non-empty range
    ``L <= s < U`` under ``notion``: memory follows their number, not ``2^n``."""
    n = a.shape[0]
    C = coefficients(n, alpha)
    count = 0
    for mask in range(3, 1 << n):
        k, A, M, z = _fold(a, mask)
        if k >= 2 and lower_s(A, M, C[C_LOWER, k]) < _upper(A, M, a, z, C, k, notion):
            count += 1
    masks = np.empty(count, dtype=np.uint64)
    out = np.empty((2, count))
    i = 0
    for mask in range(3, 1 << n):
        k, A, M, z = _fold(a, mask)
        if k < 2:
            continue
        L = lower_s(A, M, C[C_LOWER, k])
        U = _upper(A, M, a, z, C, k, notion)
        if L < U:
            masks[i] = mask
            out[0, i] = L
            out[1, i] = U
            i += 1
    return masks, out
