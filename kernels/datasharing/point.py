"""Stability of coalitions at one point (pf, sigma): the per-point path of the public API.

Deliberately plain: every subset is checked on its own against Claims 5 and 6 with the same
coefficients and fold as the grid kernels, so it doubles as a check of their range bookkeeping.
"""

from __future__ import annotations

import numpy as np

from .._numba import inline, kernel
from . import exact
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
def coalition_thresholds(c, member, pf):
    """``(L, U_nash, U_robust, L_designer, U_designer)`` in ``s`` for one coalition
    (``member[i]`` over ascending costs ``c``), exact: rows ``(hi, lo)`` in double-double
    (:mod:`.exact`); the upper ends are inf for the grand coalition."""
    A, M, m, k = exact.sums_of_members(exact.a_table(c), member)
    here, above = exact.pq(k, pf), exact.pq(k + 1, pf)
    out = np.empty((5, 2))
    for kind in range(5):
        out[kind, 0], out[kind, 1] = exact.threshold_parts(kind, A, M, m, k, here, above)
    if k == c.shape[0]:
        for kind in (exact.NASH_UPPER, exact.ROBUST_UPPER, exact.DESIGNER_UPPER):
            out[kind, 0], out[kind, 1] = np.inf, 0.0
    return out


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
def stable_masks_all(a, c, pf, sigma, notion):
    """Bitmasks (over ascending ``a``, ``c``) of every coalition stable at ``sigma``, decided
    exactly (:func:`.exact.decide`); ``n <= 62``."""
    n = a.shape[0]
    C = coefficients(n, pf)
    s = sigma * sigma
    width = np.empty(n + 1)
    for k in range(2, n + 1):
        width[k] = exact.band(k, pf)
    low, high = exact.kinds(notion)
    out = np.empty(16, dtype=np.uint64)
    cnt = 0
    for mask in range(3, 1 << n):
        k, A, M, z = _fold(a, mask)
        if k < 2:
            continue
        L, U = _range(A, M, a, z, C, k, notion)
        m = np.uint64(mask)
        if not exact.decide(sigma, s, L, width[k] * L, low, c, m, pf):
            continue
        if exact.decide(sigma, s, U, width[k] * U, high, c, m, pf):
            continue
        if cnt == out.shape[0]:
            grown = np.empty(2 * cnt, dtype=np.uint64)
            grown[:cnt] = out
            out = grown
        out[cnt] = mask
        cnt += 1
    return out[:cnt]


@kernel
def bounds_downward(a, pf):
    """``(L, U_nash, U_robust, L_designer, U_designer)`` in ``s`` of ``S_k`` for ``k = 2..n``
    (column ``k - 2``)."""
    n = a.shape[0]
    out = np.empty((5, n - 1))
    A = a[0]
    for k in range(2, n + 1):
        A = A + a[k - 1]
        M = a[k - 1]
        row = row_for(k, pf)
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
def stable_sizes_downward(a, c, pf, sigma, notion):
    """Sizes ``k`` of the downward-closed coalitions ``S_k`` stable at ``sigma`` (exact)."""
    b = bounds_downward(a, pf)
    s = sigma * sigma
    lo = 3 if notion == DESIGNER else 0
    hi = 4 if notion == DESIGNER else (1 if notion == NASH else 2)
    low, high = exact.kinds(notion)
    out = np.empty(a.shape[0], dtype=np.int64)
    cnt = 0
    for i in range(b.shape[1]):
        k = i + 2
        w = exact.band(k, pf)
        if not exact.decide_prefix(sigma, s, b[lo, i], w * b[lo, i], low, c, k, pf):
            continue
        if exact.decide_prefix(sigma, s, b[hi, i], w * b[hi, i], high, c, k, pf):
            continue
        out[cnt] = k
        cnt += 1
    return out[:cnt]


@kernel
def thresholds_downward(c, pf):
    """:func:`coalition_thresholds` of ``S_k`` for ``k = 2..n`` (column ``k - 2``): shape
    ``(5, n - 1, 2)``, one running fold and one :func:`.exact.pq` per size."""
    n = c.shape[0]
    out = np.empty((5, n - 1, 2))
    Ah, Al = exact.a_dd(c[0])
    above = exact.pq(2, pf)
    for k in range(2, n + 1):
        Mh, Ml = exact.a_dd(c[k - 1])
        Ah, Al = exact.dd.add(Ah, Al, Mh, Ml)
        here = above
        above = exact.pq(k + 1, pf)
        m = exact.a_dd(c[k]) if k < n else (0.0, 0.0)
        for kind in range(5):
            th, tl = exact.threshold_parts(kind, (Ah, Al), (Mh, Ml), m, k, here, above)
            out[kind, k - 2, 0] = th
            out[kind, k - 2, 1] = tl
        if k == n:
            for kind in (exact.NASH_UPPER, exact.ROBUST_UPPER, exact.DESIGNER_UPPER):
                out[kind, k - 2, 0] = np.inf
                out[kind, k - 2, 1] = 0.0
    return out


@kernel
def nonempty_all(a, c, pf, notion):
    """``(masks, T)`` of the coalitions of size >= 2 that may be stable on a non-empty range
    ``L <= s < U`` under ``notion`` (the floats with :func:`.exact.band`'s margin), with
    ``T[:, i] = (L_hi, L_lo, U_hi, U_lo)`` exact in double-double: memory follows their
    number, not ``2^n``."""
    n = a.shape[0]
    C = coefficients(n, pf)
    ad = exact.a_table(c)
    pqs = exact.pq_table(n, pf)
    width = np.empty(n + 1)
    for k in range(2, n + 1):
        width[k] = exact.band(k, pf)
    low, high = exact.kinds(notion)
    count = 0
    for mask in range(3, 1 << n):
        k, A, M, z = _fold(a, mask)
        if k >= 2:
            L, U = _range(A, M, a, z, C, k, notion)
            if L * (1.0 - width[k]) < U * (1.0 + width[k]):
                count += 1
    masks = np.empty(count, dtype=np.uint64)
    out = np.empty((4, count))
    member = np.zeros(n, dtype=np.bool_)
    i = 0
    for mask in range(3, 1 << n):
        k, A, M, z = _fold(a, mask)
        if k < 2:
            continue
        L, U = _range(A, M, a, z, C, k, notion)
        if L * (1.0 - width[k]) < U * (1.0 + width[k]):
            for j in range(n):
                member[j] = (mask >> j) & 1
            sA, sM, sm, _ = exact.sums_of_members(ad, member)
            here = (pqs[k, 0], pqs[k, 1], pqs[k, 2], pqs[k, 3])
            above = (pqs[k + 1, 0], pqs[k + 1, 1], pqs[k + 1, 2], pqs[k + 1, 3])
            masks[i] = mask
            out[0, i], out[1, i] = exact.threshold_parts(low, sA, sM, sm, k, here, above)
            if z < 0:
                out[2, i], out[3, i] = np.inf, 0.0
            else:
                out[2, i], out[3, i] = exact.threshold_parts(high, sA, sM, sm, k, here, above)
            i += 1
    return masks, out


@kernel
def sigma_first_many(th, tl):
    """:func:`.exact.sigma_first` elementwise."""
    out = np.empty(th.shape[0])
    for i in range(th.shape[0]):
        out[i] = exact.sigma_first(th[i], tl[i])
    return out
