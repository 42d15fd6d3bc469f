"""Stability of coalitions at one point (alpha, sigma): the per-point path of the public API.

Deliberately plain: every subset is checked on its own against Claims 5 and 6 with the same
coefficients and fold as the grid kernels, so it doubles as a check of their range bookkeeping.
"""

from __future__ import annotations

import numpy as np

from .._numba import inline, kernel
from .formulas import (
    C_DESIGNER_LOWER,
    C_DESIGNER_UPPER,
    C_LOWER,
    C_NASH_IN,
    C_NASH_OUT,
    C_ROBUST,
    DESIGNER,
    NASH,
    coefficients,
    exponents,
    lower_s,
    lower_s_designer,
    row_for,
    upper_s_designer,
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
    """``(L, U_nash, U_robust, L_designer, U_designer)`` in ``s`` for one coalition
    (``member[i]`` on ascending ``a``)."""
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
    LD = lower_s_designer(A, M, np.float64(k), row[C_DESIGNER_LOWER])
    if z < 0:
        return L, np.inf, np.inf, LD, np.inf
    UN = upper_s_nash(A, a[z], row[C_NASH_OUT], row[C_NASH_IN])
    UR = upper_s_robust(A, M, a[z], row[C_ROBUST])
    UD = upper_s_designer(A, a[z], np.float64(k), row[C_DESIGNER_UPPER])
    return L, UN, UR, LD, UD


@inline
def _range(A, M, a, z, C, k, notion):
    """``(L, U)`` in ``s`` of Claim 5 (nash), Claim 6 (robust) or Def. 7 under the designer's
    epsilon; ``U = inf`` without outsider."""
    if notion == DESIGNER:
        L = lower_s_designer(A, M, np.float64(k), C[C_DESIGNER_LOWER, k])
    else:
        L = lower_s(A, M, C[C_LOWER, k])
    if z < 0:
        return L, np.inf
    if notion == NASH:
        return L, upper_s_nash(A, a[z], C[C_NASH_OUT, k], C[C_NASH_IN, k])
    if notion == DESIGNER:
        return L, upper_s_designer(A, a[z], np.float64(k), C[C_DESIGNER_UPPER, k])
    return L, upper_s_robust(A, M, a[z], C[C_ROBUST, k])


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
        L, U = _range(A, M, a, z, C, k, notion)
        if not (L <= s and s < U):
            continue
        if cnt == out.shape[0]:
            grown = np.empty(2 * cnt, dtype=np.uint64)
            grown[:cnt] = out
            out = grown
        out[cnt] = mask
        cnt += 1
    return out[:cnt]


@kernel
def bounds_downward(a, alpha):
    """``(L, U_nash, U_robust, L_designer, U_designer)`` in ``s`` of ``S_k`` for ``k = 2..n``
    (column ``k - 2``)."""
    n = a.shape[0]
    e, f = exponents(alpha)
    out = np.empty((5, n - 1))
    A = a[0]
    for k in range(2, n + 1):
        A = A + a[k - 1]
        M = a[k - 1]
        row = row_for(k, e, f)
        fk = np.float64(k)
        out[0, k - 2] = lower_s(A, M, row[C_LOWER])
        out[3, k - 2] = lower_s_designer(A, M, fk, row[C_DESIGNER_LOWER])
        if k == n:
            out[1, k - 2] = np.inf
            out[2, k - 2] = np.inf
            out[4, k - 2] = np.inf
        else:
            out[1, k - 2] = upper_s_nash(A, a[k], row[C_NASH_OUT], row[C_NASH_IN])
            out[2, k - 2] = upper_s_robust(A, M, a[k], row[C_ROBUST])
            out[4, k - 2] = upper_s_designer(A, a[k], fk, row[C_DESIGNER_UPPER])
    return out


@kernel
def stable_sizes_downward(a, alpha, s, notion):
    """Sizes ``k`` of the downward-closed coalitions ``S_k`` stable at ``s``."""
    b = bounds_downward(a, alpha)
    lo = 3 if notion == DESIGNER else 0
    hi = 4 if notion == DESIGNER else (1 if notion == NASH else 2)
    out = np.empty(a.shape[0], dtype=np.int64)
    cnt = 0
    for i in range(b.shape[1]):
        if b[lo, i] <= s and s < b[hi, i]:
            out[cnt] = i + 2
            cnt += 1
    return out[:cnt]


@kernel
def nonempty_all(a, alpha, notion):
    """``(masks, L, U)`` in ``s`` of the coalitions of size >= 2 stable on a non-empty range
    ``L <= s < U`` under ``notion``: memory follows their number, not ``2^n``."""
    n = a.shape[0]
    C = coefficients(n, alpha)
    count = 0
    for mask in range(3, 1 << n):
        k, A, M, z = _fold(a, mask)
        if k >= 2:
            L, U = _range(A, M, a, z, C, k, notion)
            if L < U:
                count += 1
    masks = np.empty(count, dtype=np.uint64)
    out = np.empty((2, count))
    i = 0
    for mask in range(3, 1 << n):
        k, A, M, z = _fold(a, mask)
        if k < 2:
            continue
        L, U = _range(A, M, a, z, C, k, notion)
        if L < U:
            masks[i] = mask
            out[0, i] = L
            out[1, i] = U
            i += 1
    return masks, out
