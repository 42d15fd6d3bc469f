"""The baseline a user would otherwise write: plain vectorized NumPy, chunked to fit in memory.

Same quantities as the kernels (per alpha, sigma and notion: the number of stable coalitions, the
largest and smallest stable size, the least social cost of a stable coalition), straight from Claims
5 and 6 and eq. (6): every coalition is tested at every sigma, ``O(coalitions x n_sigma)``.
"""

from __future__ import annotations

import numpy as np


def _a(costs: np.ndarray) -> np.ndarray:
    c = np.sort(np.asarray(costs, dtype=np.float64))
    return np.cbrt(0.5 * c) * np.cbrt(c)


def _thresholds(k, A, M, m, grand, alpha):
    e = (2 * alpha + 1) / 3
    kf = k.astype(np.float64)
    P, P1 = kf**e, (kf + 1) ** e
    L = (A + 2 * M) * P / (kf - 1)
    UN = (3 * m * (kf + 1) * P1 + A * kf * P) / (kf * (kf + 1))
    UR = (A + m + 2 * np.maximum(M, m)) * P1 / kf
    UN = np.where(grand, np.inf, UN)
    UR = np.where(grand, np.inf, UR)
    sc_coef = (kf + 2) * P / kf
    return L, UN, UR, sc_coef


def _accumulate(out, t, k, L, Us, sc_coef, A, s, n):
    for nu, U in enumerate(Us):
        stable = (L[:, None] <= s[None, :]) & (s[None, :] < U[:, None])
        out["count"][t, :, nu] += stable.sum(axis=0)
        kk = np.where(stable, k[:, None], 0)
        out["max_size"][t, :, nu] = np.maximum(out["max_size"][t, :, nu], kk.max(axis=0))
        kk = np.where(stable, k[:, None], np.iinfo(np.int64).max)
        out["min_size"][t, :, nu] = np.minimum(out["min_size"][t, :, nu], kk.min(axis=0))
        sc = (n + 1 - k[:, None]) * s[None, :] + (A * sc_coef)[:, None]
        best = np.where(stable, sc, np.inf).min(axis=0)
        out["opt_sc"][t, :, nu] = np.minimum(out["opt_sc"][t, :, nu], best)


def _empty(n_alpha, ns):
    return {
        "count": np.zeros((n_alpha, ns, 2), np.int64),
        "max_size": np.zeros((n_alpha, ns, 2), np.int64),
        "min_size": np.full((n_alpha, ns, 2), np.iinfo(np.int64).max),
        "opt_sc": np.full((n_alpha, ns, 2), np.inf),
    }


def _finish(out, s, n):
    out["min_size"][out["min_size"] == np.iinfo(np.int64).max] = 0
    none = ~np.isfinite(out["opt_sc"])
    out["opt_sc"] = np.where(none, n * s[None, :, None], out["opt_sc"])
    return out


def scan_all(costs, alphas, sigma, chunk: int = 2**14, stop: int | None = None):
    """Every coalition of size >= 2, ``chunk`` coalitions at a time (bitmasks below ``stop``:
    a sample for timing; the work per coalition is the same for all of them)."""
    a = _a(costs)
    n = a.size
    s = np.asarray(sigma, dtype=np.float64) ** 2
    out = _empty(len(alphas), s.size)
    bit = 1 << np.arange(n, dtype=np.int64)
    stop = 2**n if stop is None else min(stop, 2**n)
    for start in range(0, stop, chunk):
        masks = np.arange(start, min(start + chunk, stop), dtype=np.int64)
        member = (masks[:, None] & bit[None, :]) != 0
        k = member.sum(axis=1)
        keep = k >= 2
        member, k = member[keep], k[keep]
        A = member @ a
        M = np.where(member, a[None, :], 0.0).max(axis=1)
        m = np.where(member, np.inf, a[None, :]).min(axis=1)
        grand = k == n
        m = np.where(grand, 0.0, m)
        for t, alpha in enumerate(alphas):
            L, UN, UR, sc_coef = _thresholds(k, A, M, m, grand, alpha)
            _accumulate(out, t, k, L, (UN, UR), sc_coef, A, s, n)
    return _finish(out, s, n)


def scan_downward(costs, alphas, sigma, chunk: int = 2**12, stop: int | None = None):
    """Only ``S_k`` (the ``k`` cheapest), ``chunk`` sizes at a time (``k < stop``: a sample)."""
    a = _a(costs)
    n = a.size
    s = np.asarray(sigma, dtype=np.float64) ** 2
    out = _empty(len(alphas), s.size)
    Afold = np.concatenate([[0.0], np.cumsum(a)])
    stop = n + 1 if stop is None else min(stop, n + 1)
    for start in range(2, stop, chunk):
        k = np.arange(start, min(start + chunk, stop))
        A = Afold[k]
        M = a[k - 1]
        grand = k == n
        m = np.where(grand, 0.0, a[np.minimum(k, n - 1)])
        for t, alpha in enumerate(alphas):
            L, UN, UR, sc_coef = _thresholds(k, A, M, m, grand, alpha)
            _accumulate(out, t, k, L, (UN, UR), sc_coef, A, s, n)
    return _finish(out, s, n)
