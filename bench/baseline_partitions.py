"""The partition game's Nash-stable counts in vectorized NumPy: the honest baseline of the
partitions kernel (what a careful user writes, not a strawman).

Every partition of ``n <= 10`` players is one row of a restricted-growth-string (RGS) array; the
blocks' sizes and sums come from a one-hot membership tensor by matrix products; per alpha, every
player's stay and every move (to each other block present, and alone) is a line in ``s``; the
stable ``s``-interval of each partition is a max/min reduction over those lines; grid points inside
it are counted with ``searchsorted`` and a difference array (``np.bincount`` of the interval ends,
the fast form of ``np.add.at``). All of it batched over partitions, grouped by their number of
blocks so that the move axis is only as wide as the blocks present.

Burdens (``tests/reference_partitions.py``): ``a_i = (c_i^2 / 2)^(1/3)``; a member ``i`` of block
``C`` of size ``k >= 2`` bears ``s/k + (A_C + 2 a_i) P(k)/k`` with ``A_C`` the sum of ``a`` over
``C`` and ``P(k) = k^((2 alpha + 1)/3)``; alone it bears ``s``. Player ``i`` joining block ``D``
(size ``m``) bears ``s/(m+1) + (A_D + 3 a_i) P(m+1)/(m+1)``. Each comparison ``b' < b`` is
``s (u' - u) < v - v'``: a lower bound on ``s`` where ``u' > u``, an upper bound where ``u' < u``,
and, where ``u' = u`` (equal block sizes), unstable for every ``s`` iff ``v' < v``.

Float math, not exact: this is a baseline, its values never reach a cube; it agrees with the
kernel wherever no grid point lies within rounding of a threshold (random costs).
"""

from __future__ import annotations

import time

import numpy as np
from clock import Clock

BATCH = 1 << 16  # partitions per batch: (n, blocks, BATCH) float64 arrays <= 50 MB at n = 10


def rgs(n: int) -> np.ndarray:
    """Every RGS of length ``n`` as one ``(Bell(n), n)`` int64 array, in lexicographic order."""
    if n < 1:
        raise ValueError(f"n must be >= 1, got {n}")
    rows = np.zeros((1, 1), dtype=np.int64)
    top = np.zeros(1, dtype=np.int64)  # the largest label so far, per row
    for _ in range(1, n):
        fan = top + 2  # labels 0 .. top + 1
        parent = np.repeat(np.arange(rows.shape[0]), fan)
        start = np.cumsum(fan) - fan
        label = np.arange(parent.size) - np.repeat(start, fan)
        rows = np.concatenate([rows[parent], label[:, None]], axis=1)
        top = np.maximum(top[parent], label)
    return rows


def nash_counts(costs, alphas, sigmas, partitions=None, _clock=None) -> np.ndarray:
    """The number of Nash-stable partitions at every ``(alpha, sigma)``: ``(n_alpha, n_sigma)``
    int64. ``sigmas`` in any order (counted over the sorted ``sigma^2``, returned in the caller's
    order); ``partitions``: the RGS array when already built (its generation is not per
    partition-alpha work)."""
    clock = _clock or Clock(False)
    costs = np.asarray(costs, dtype=np.float64)
    alphas = np.atleast_1d(np.asarray(alphas, dtype=np.float64))
    sigmas = np.atleast_1d(np.asarray(sigmas, dtype=np.float64))
    n = costs.size
    with clock("rgs"):
        R = rgs(n) if partitions is None else np.asarray(partitions)
    order = np.argsort(sigmas, kind="stable")
    s = sigmas[order] ** 2
    G = s.size
    a = np.cbrt(costs * costs / 2.0)
    ks = np.arange(n + 2, dtype=np.float64)
    ks[0] = 1.0  # unused slot, kept finite
    # Q[alpha, k] = P(k)/k for k = 0 .. n + 1
    Q = ks[None, :] ** ((2.0 * alphas[:, None] + 1.0) / 3.0) / ks[None, :]
    diff = np.zeros((alphas.size, G + 1), dtype=np.int64)
    with clock("onehot"):
        # partitions grouped by their number of blocks: the label axis only as wide as needed
        nblocks = R.max(axis=1) + 1
        by_blocks = np.argsort(nblocks, kind="stable")
        edges = np.searchsorted(nblocks[by_blocks], np.arange(1, n + 2))
    batches = [
        (by_blocks[b0 : min(b0 + BATCH, edges[w])], w)
        for w in range(1, n + 1)
        for b0 in range(edges[w - 1], edges[w], BATCH)
    ]
    for rows, width in batches:
        # layout (player, block label, partition): the partition axis last and contiguous, so
        # every reduction over moves is an elementwise max/min of whole rows (SIMD), not
        # many short reductions
        with clock("onehot"):
            r = np.ascontiguousarray(R[rows].T)  # (n, B)
            B = r.shape[1]
            labels = np.arange(width)[:, None]  # (width, 1)
            M = (r[:, None, :] == labels).astype(np.float64)  # (n players, width labels, B)
            size = M.sum(axis=0)  # (width, B): every block's size
            total = (a @ M.reshape(n, -1)).reshape(width, B)  # A over each block
            k = np.take_along_axis(size, r, axis=0).astype(np.int64)  # (n, B): own size
            A = np.take_along_axis(total, r, axis=0)  # own block's A
            m1 = size.astype(np.int64) + 1  # size after joining
            # the alpha-free parts of every line: u = 1/k, u' = 1/(m + 1)
            d = 1.0 / m1[None, :, :] - 1.0 / k[:, None, :]  # (n, width, B): u' - u
            move = r[:, None, :] != labels  # every other block (all present in this group)
            inv_d = np.divide(1.0, d, out=np.zeros_like(d), where=move & (d != 0))
            grouped = k >= 2
            inv_alone = np.divide(1.0, 1.0 - 1.0 / k, out=np.zeros(k.shape), where=grouped)
            own_a = A + 2.0 * a[:, None]  # (n, B)
            join_a = total[None, :, :] + 3.0 * a[:, None, None]  # (n, width, B)
            # the move kinds as additive masks (0 where it applies, an infinity elsewhere): a
            # masked max/min is then one add and one plain reduction
            lo_mask = np.where(move & (d > 0), 0.0, -np.inf)  # lower bounds on s
            hi_mask = np.where(move & (d < 0), 0.0, np.inf)  # upper bounds
            level_mask = np.where(move & (d == 0), 0.0, -np.inf)  # equal sizes: only a sign
            x = np.empty_like(d)
            y = np.empty_like(d)
            flat = (n * width, B)
        for t in range(alphas.size):
            with clock("thresholds"):
                q = Q[t]
                v = np.where(grouped, own_a * q[k], 0.0)  # (n, B): stay
                np.multiply(join_a, q[m1][None, :, :], out=x)  # v' of every move
                np.subtract(v[:, None, :], x, out=x)  # v - v'
            with clock("reductions"):
                dead = np.add(x, level_mask, out=y).reshape(flat).max(axis=0) > 0
            with clock("thresholds"):
                np.multiply(x, inv_d, out=x)  # the threshold in s of every move with d != 0
            with clock("reductions"):
                lo = np.add(x, lo_mask, out=y).reshape(flat).max(axis=0)
                lo = np.maximum(lo, (v * inv_alone).max(axis=0))  # alone: s >= v / (1 - 1/k)
                hi = np.add(x, hi_mask, out=y).reshape(flat).min(axis=0)
                hi[dead] = -np.inf
            with clock("counting"):
                i0 = np.searchsorted(s, lo, side="left")  # first grid s >= lo
                i1 = np.searchsorted(s, hi, side="right")  # past the last grid s <= hi
                ok = i1 > i0
                diff[t] += np.bincount(i0[ok], minlength=G + 1)
                diff[t] -= np.bincount(i1[ok], minlength=G + 1)
    with clock("counting"):
        counts = np.cumsum(diff[:, :G], axis=1)
        out = np.empty_like(counts)
        out[:, order] = counts
    return out


def profile_baseline(costs, alphas, sigmas) -> dict[str, float]:
    """Seconds of each phase of one :func:`nash_counts` call: ``rgs`` (generation), ``onehot``
    (membership, matmuls and the alpha-free parts of the lines), ``thresholds``, ``reductions``
    and ``counting``; ``total``; and ``rate``, partitions x alpha per second excluding ``rgs``."""
    clock = Clock(True)
    start = time.perf_counter()
    R = None
    with clock("rgs"):
        R = rgs(np.asarray(costs).size)
    nash_counts(costs, alphas, sigmas, partitions=R, _clock=clock)
    out = dict(clock.seconds)
    out["total"] = time.perf_counter() - start
    work = out["total"] - out["rgs"]
    out["rate"] = R.shape[0] * np.atleast_1d(alphas).size / work
    return out
