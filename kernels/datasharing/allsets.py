"""Every coalition of size >= 2 of one cost profile, over grids of alpha and sigma.

For each alpha and each size ``k`` the ``C(n, k)`` coalitions are enumerated in lexicographic
order with a running prefix fold, so each costs O(1): its stability interval ``[L, U)`` in
``s = sigma^2`` (Claims 5, 6) is mapped to a range of grid indices, counted with a difference array
and offered to a "reverse sparse table" that keeps the cheapest coalition of size ``k`` on every
grid point in O(1) per range. The sigma axis is only touched once per (alpha, k), so the cost does
not grow with the number of sigma values the way a per-sigma loop does.
"""

from __future__ import annotations

import numpy as np

from .._numba import inline, kernel
from . import exact
from .central import central_optimum
from .contracts import CellOutputs, Given, Tables
from .formulas import (
    C_DESIGNER_LOWER,
    C_DESIGNER_UPPER,
    C_LOWER,
    C_NASH_IN,
    C_NASH_OUT,
    C_ROBUST,
    C_SC,
    C_SC_CENTRAL,
    C_VAR,
    C_VAR_CENTRAL,
    N_COEF,
    coefficients,
    lower_s,
    lower_s_designer,
    prefix_fold,
    sc_rows,
    social_cost,
    store_optimum,
    upper_s_designer,
    upper_s_nash,
    upper_s_robust,
)
from .grid import bits_float, build_index, float_bits, floor_log2_table, locate, lowest_bit

# an empty table entry: the bit pattern of +inf, above that of every finite positive A
EMPTY = 0x7FF0000000000000


@inline
def _offer(T, nu, lev, i, key, m):
    """Keep the smaller ``(A, members)`` pair at one table entry: A orders SC_d within a size
    (eq. 6), the bitmask breaks ties. Branch-free: which pair wins is a coin toss to the CPU."""
    ta = T[nu, lev, i, 0]
    tm = T[nu, lev, i, 1]
    better = (key < ta) | ((key == ta) & (m < tm))
    T[nu, lev, i, 0] = key if better else ta
    T[nu, lev, i, 1] = m if better else tm


@inline
def _add_range(tables, log2, nu, lo, hi, key, m):
    """Count ``[lo, hi)`` and offer it to the sparse table: two entries of level log2(length)."""
    T, cdiff, span = tables.entries, tables.cdiff, tables.span
    cdiff[nu, lo] += 1
    cdiff[nu, hi] -= 1
    lev = log2[hi - lo]
    _offer(T, nu, lev, lo, key, m)
    _offer(T, nu, lev, hi - (1 << lev), key, m)
    # the finish only visits the levels and grid span that were touched
    span[nu, 0] = max(span[nu, 0], lev)
    span[nu, 1] = min(span[nu, 1], lo)
    span[nu, 2] = max(span[nu, 2], hi)


@inline
def _finish_size(tables, part, cell, n, k, s, c_sc):
    """Fold the ranges of size ``k`` in table slot ``slot`` into ``part``'s aggregates of alpha
    ``t`` and notion ``nu`` (``cell = (t, slot, nu, worst)``), then clear the slot. A worst
    slot holds ``(-bits of A, -members)``: its least entry is the greatest coalition."""
    t, slot, nu, worst = cell
    T, cdiff, span = tables.entries, tables.cdiff, tables.span
    count, max_size, min_size = part.stable_count[t], part.max_size[t], part.min_size[t]
    best_sc, best_k, best_A = part.best_sc[t], part.best_k[t], part.best_A[t]
    best_m = part.best_members[t]
    worst_sc, worst_k, worst_A = part.worst_sc[t], part.worst_k[t], part.worst_A[t]
    worst_m = part.worst_members[t]
    top, first, end = span[slot, 0], span[slot, 1], span[slot, 2]
    if top < 0:
        return
    for lev in range(top, 0, -1):
        half = 1 << (lev - 1)
        for i in range(first, end - (1 << lev) + 1):
            key = T[slot, lev, i, 0]
            m = T[slot, lev, i, 1]
            _offer(T, slot, lev - 1, i, key, m)
            _offer(T, slot, lev - 1, i + half, key, m)
            T[slot, lev, i, 0] = EMPTY
    running = 0
    for j in range(first, end):
        running += cdiff[slot, j]
        cdiff[slot, j] = 0
        if running > 0 and worst:
            A = bits_float(-T[slot, 0, j, 0])
            sc = social_cost(n, k, s[j], A, c_sc)
            if sc >= worst_sc[j, nu]:  # sizes ascend: a tie goes to the larger size
                worst_sc[j, nu] = sc
                worst_k[j, nu] = k
                worst_A[j, nu] = A
                worst_m[j, nu] = np.uint64(-T[slot, 0, j, 1])
        elif running > 0:
            count[j, nu] += running
            max_size[j, nu] = k
            if min_size[j, nu] == 0:
                min_size[j, nu] = k
            A = bits_float(T[slot, 0, j, 0])
            sc = social_cost(n, k, s[j], A, c_sc)
            if sc < best_sc[j, nu]:  # strict: a tie keeps the smaller size
                best_sc[j, nu] = sc
                best_k[j, nu] = k
                best_A[j, nu] = A
                best_m[j, nu] = np.uint64(T[slot, 0, j, 1])
        T[slot, 0, j, 0] = EMPTY
    cdiff[slot, end] = 0
    span[slot, 0] = -1
    span[slot, 1] = s.shape[0]
    span[slot, 2] = 0


# alphas filtered together, one bit each of a uint64
LANES = 64


@inline
def _lanes(t0, t1, coal, rows, bounds, designer):
    """Bit ``t - t0`` set for each alpha ``t`` of ``[t0, t1)`` on which the coalition ``coal =
    (A, M, m_out, k, grand)`` may be stable somewhere on the grid (any notion): exactly the
    alphas on which :func:`_sizes`' body does anything, so skipping the others changes nothing.

    Straight-line arithmetic over the contiguous per-alpha rows, the same expressions as the
    body's: the compiler evaluates several alphas per instruction (SIMD). Most (coalition,
    alpha) pairs miss the grid (their interval lies above or below it), and only the set bits
    go on to the lookups and table writes.
    """
    A, M, m_out, fk, grand_ = coal
    s_top, s0, s_bottom = bounds
    B = A + 2.0 * M
    hit = np.uint64(0)
    # rows[r, t], not views rows[r] (a view costs atomic reference counts per coalition); t
    # unsigned: no negative-index wrap, so the rows load as vectors (signed, they were gathered)
    for t in range(np.uint64(t0), np.uint64(t1)):
        L = B * rows[0, t]
        UN = upper_s_nash(A, m_out, rows[1, t], rows[2, t])
        U = max(UN, upper_s_robust(A, M, m_out, rows[3, t]))
        h = (L <= s_top) & (grand_ | ((U > L) & (U > s0)))
        if designer:
            w = rows[6, t]
            LD = lower_s_designer(A, M, fk, rows[4, t])
            UD = np.inf if grand_ else upper_s_designer(A, m_out, fk, rows[5, t])
            h = h | ((LD <= s_top) & (UD * (1.0 + w) > LD * (1.0 - w)) & (UD > s_bottom))
        hit |= np.uint64(h) << (t - np.uint64(t0))
    return hit


@inline
def _below_grid(A, M, m_out, fk, caps, bounds, designer):
    """Whether a coalition (not the grand one) is stable on no grid point for any alpha of the
    group, by its upper ends alone: each alpha's U (:func:`_lanes`' expressions) is at most the
    same expression with the group's largest coefficients ``caps``, since rounding is monotone.
    """
    s0, s_bottom = bounds
    c_out, c_in, c_robust, c_designer = caps
    U = max(upper_s_nash(A, m_out, c_out, c_in), upper_s_robust(A, M, m_out, c_robust))
    if U > s0:
        return False
    return not designer or upper_s_designer(A, m_out, fk, c_designer) <= s_bottom


@inline
def _lowest_zero(mask):
    z = 0
    while (mask >> np.uint64(z)) & np.uint64(1):
        z += 1
    return z


@inline
def _sizes(a, inbit, s, n, n_fixed, fixed, g0, g1, coef, tables, log2, index, prefix, part, given):
    """Enumerate every coalition of every size once for the alphas ``g0..g1-1``.

    Each threshold's grid index is the float lookup, settled exactly (:mod:`.exact`) where a
    grid point lies within the float formula's error band; the filters that skip coalitions
    keep that band as a margin, so they never skip one the exact decision would keep.

    ``fixed``: ``(q, fold0, mask0, inmask0, max0)`` of the pattern's fixed players; ``coef``:
    ``(Ctab, rows)``, the coefficient table and this size's rows per alpha (``rows[r, t]``: nash
    and robust's four, then the designer's two);
    ``prefix``: ``(p, ps, mk, im)``, the enumeration's positions, folds and masks by depth.
    Table slots per alpha (``tables.layout``): best nash, robust[, designer], then the same
    notions' worst when asked for.
    """
    q, fold0, mask0, inmask0, max0 = fixed
    Ctab, rows, priv = coef
    cL, cN1, cN2, cR, cDL, cDU = rows[0], rows[1], rows[2], rows[3], rows[4], rows[5]
    wd = rows[6]  # exact.band per alpha of this size
    sigma, c = given.sigma, given.c
    p, ps, mk, im = prefix
    sp, gt, gb, gs = index
    n_notion = tables.layout[0]
    worst = tables.layout[1] != 0
    designer = n_notion == 3
    per = n_notion * (2 if worst else 1)
    ns = s.shape[0]
    s0 = s[0]
    smax = s[ns - 1]
    one = np.uint64(1)
    for k in range(max(2, q), q + n - n_fixed + 1):
        for t in range(g0, g1):
            cL[t] = Ctab[t, C_LOWER, k]
            # the upper ends come out raised by 3 bands (a margin folded into the coefficients:
            # the filter below is then the plain U > L); their own band is then 5 w
            up = 1.0 + 3.0 * exact.band(k, (priv, t))
            cN1[t] = Ctab[t, C_NASH_OUT, k] * up
            cN2[t] = Ctab[t, C_NASH_IN, k] * up
            cR[t] = Ctab[t, C_ROBUST, k] * up
            cDL[t] = Ctab[t, C_DESIGNER_LOWER, k]
            cDU[t] = Ctab[t, C_DESIGNER_UPPER, k]
            wd[t] = exact.band(k, (priv, t))
        cL_min = cL[g0:g1].min()
        cDL_min = cDL[g0:g1].min()
        # the largest upper coefficients: a coalition's U on every alpha is at most its U with
        # these (rounding is monotone), so one scalar test rejects what lies below the grid
        caps = (cN1[g0:g1].max(), cN2[g0:g1].max(), cR[g0:g1].max(), cDU[g0:g1].max())
        wide = wd[g0:g1].max()
        s_top = smax * (1.0 + 2.0 * wide)  # no threshold within the band above the grid
        s_bottom = s0 * (1.0 - 2.0 * wide)
        fk = np.float64(k)
        r = k - q  # members among the free players n_fixed..n-1
        ps[0] = fold0
        mk[0] = mask0
        im[0] = inmask0
        for d in range(r - 1):
            p[d] = n_fixed + d
            ps[d + 1] = ps[d] + a[p[d]]
            mk[d + 1] = mk[d] | (one << np.uint64(p[d]))
            im[d + 1] = im[d] | inbit[p[d]]
        while True:
            pre = max(r - 1, 0)
            base = ps[pre]
            pim = im[pre]
            z = _lowest_zero(mk[pre])  # cheapest player outside prefix and pattern
            first = p[r - 2] + 1 if r >= 2 else n_fixed
            # r = 0: the pattern's players alone, one coalition; else one per `last`
            for it in range(1 if r == 0 else n - first):
                if r == 0:
                    A, M, members, grand_, m_out = base, max0, pim, False, a[z]
                    smask = mk[pre]
                else:
                    last = first + it
                    A = base + a[last]
                    M = a[last]
                    members = pim | inbit[last]
                    grand_ = k == n
                    m_out = 0.0 if grand_ else (a[z] if z < last else a[last + 1])
                    smask = mk[pre] | (one << np.uint64(last))
                B = A + 2.0 * M
                key = float_bits(A)  # positive floats order like their bit patterns
                mem = np.int64(members)
                if B * cL_min > s_top and not (designer and (A + 2.0 * fk * M) * cDL_min <= s_top):
                    break  # above the grid for every alpha and notion; A and M only grow
                if not grand_ and _below_grid(A, M, m_out, fk, caps, (s0, s_bottom), designer):
                    continue
                coal = (A, M, m_out, fk, grand_)
                for t0 in range(g0, g1, LANES):
                    t1 = min(g1, t0 + LANES)
                    hit = _lanes(t0, t1, coal, rows, (s_top, s0, s_bottom), designer)
                    # the body stays in the loop: a helper call costs 5x in reference counting
                    while hit:
                        t = t0 + lowest_bit(hit)
                        hit &= hit - one
                        slot = per * (t - g0)
                        w = wd[t]
                        L = B * cL[t]  # lower_s(A, M, cL[t]), the same expression
                        if L <= s_top and grand_:
                            lo = locate(sp, gt, gb, gs, L)
                            if exact.near(sp, lo, L, w * L):
                                lo = exact.settle_mask(sigma, c, lo, exact.LOWER, smask, (priv, t))
                            if lo < ns:  # L may lie above the grid, within the band
                                _add_range(tables, log2, slot, lo, ns, key, mem)
                                _add_range(tables, log2, slot + 1, lo, ns, key, mem)
                                if worst:
                                    w_slot = slot + n_notion
                                    _add_range(tables, log2, w_slot, lo, ns, -key, -mem)
                                    _add_range(tables, log2, w_slot + 1, lo, ns, -key, -mem)
                        elif L <= s_top:
                            # raised: at least the exact U (Claims 5, 6), within 5 w of it
                            UN = upper_s_nash(A, m_out, cN1[t], cN2[t])
                            UR = upper_s_robust(A, M, m_out, cR[t])
                            U = max(UN, UR)
                            if U > L and U > s0:  # else stable on no grid point, either notion
                                # independent lookups, so their memory latencies overlap;
                                # hi > lo exactly when the grid point at lo lies below U
                                lo = locate(sp, gt, gb, gs, L)
                                hi = locate(sp, gt, gb, gs, UR)
                                if exact.near(sp, lo, L, w * L):
                                    lo = exact.settle_mask(
                                        sigma, c, lo, exact.LOWER, smask, (priv, t)
                                    )
                                if exact.near(sp, hi, UR, 5.0 * w * UR):
                                    kind = exact.ROBUST_UPPER
                                    hi = exact.settle_mask(sigma, c, hi, kind, smask, (priv, t))
                                if UN > L:  # rare: Nash ranges are mostly empty
                                    hn = locate(sp, gt, gb, gs, UN)
                                    if exact.near(sp, hn, UN, 5.0 * w * UN):
                                        kind = exact.NASH_UPPER
                                        hn = exact.settle_mask(sigma, c, hn, kind, smask, (priv, t))
                                    if hn > lo:
                                        _add_range(tables, log2, slot, lo, hn, key, mem)
                                        if worst:
                                            w_slot = slot + n_notion
                                            _add_range(tables, log2, w_slot, lo, hn, -key, -mem)
                                if hi > lo:
                                    _add_range(tables, log2, slot + 1, lo, hi, key, mem)
                                    if worst:
                                        w_slot = slot + n_notion + 1
                                        _add_range(tables, log2, w_slot, lo, hi, -key, -mem)
                        if designer:
                            LD = lower_s_designer(A, M, fk, cDL[t])
                            UD = np.inf if grand_ else upper_s_designer(A, m_out, fk, cDU[t])
                            if LD <= s_top and UD * (1.0 + w) > LD * (1.0 - w) and UD > s_bottom:
                                lo = locate(sp, gt, gb, gs, LD)
                                if exact.near(sp, lo, LD, w * LD):
                                    kind = exact.DESIGNER_LOWER
                                    lo = exact.settle_mask(sigma, c, lo, kind, smask, (priv, t))
                                hi = ns
                                if not grand_:
                                    hi = locate(sp, gt, gb, gs, UD)
                                    if exact.near(sp, hi, UD, w * UD):
                                        kind = exact.DESIGNER_UPPER
                                        hi = exact.settle_mask(sigma, c, hi, kind, smask, (priv, t))
                                if hi > lo:
                                    _add_range(tables, log2, slot + 2, lo, hi, key, mem)
                                    if worst:
                                        w_slot = slot + n_notion + 2
                                        _add_range(tables, log2, w_slot, lo, hi, -key, -mem)
            # next prefix p[0..r-2] in lexicographic order
            d = r - 2
            while d >= 0 and p[d] >= n - r + d:
                d -= 1
            if d < 0:
                break
            p[d] += 1
            for e in range(d + 1, r - 1):
                p[e] = p[e - 1] + 1
            for e in range(d, r - 1):
                ps[e + 1] = ps[e] + a[p[e]]
                mk[e + 1] = mk[e] | (one << np.uint64(p[e]))
                im[e + 1] = im[e] | inbit[p[e]]
        for t in range(g0, g1):
            for lane in range(per):
                nu = lane % n_notion
                c_sc = Ctab[t, sc_rows(nu)[0], k]
                cell = (t, per * (t - g0) + lane, nu, lane >= n_notion)
                _finish_size(tables, part, cell, n, k, s, c_sc)


def tables_shape(
    n: int, n_alpha: int, n_s: int, n_notion: int = 2, worst: bool = False
) -> tuple[int, int, int]:
    """``(slots, levels, n_s)`` of the sparse tables: one slot per (alpha, notion[, worst]) of
    a group.

    Every coalition is enumerated once for a group of alphas: all of them when coalitions
    outnumber the tables' work, else groups whose tables stay in cache.
    """
    per = n_notion * (2 if worst else 1)
    levels = max(n_s, 1).bit_length()
    per_alpha = per * levels * n_s * 16
    big = 2.0**n >= 4.0 * n_s * levels
    group = n_alpha if big else max(1, min(n_alpha, (4 << 20) // per_alpha))
    return per * group, levels, n_s


def new_tables(n: int, n_alpha: int, n_s: int, n_notion: int = 2, worst: bool = False) -> Tables:
    """A clean workspace for :func:`scan_all`: best stable coalitions of ``n_notion`` notions
    (nash, robust[, designer]), and their worst ones when ``worst``."""
    slots, levels, ns = tables_shape(n, n_alpha, n_s, n_notion, worst)
    # (A, members) side by side, A as its bit pattern: one cache line per entry, integer compares
    T = np.zeros((slots, levels, ns, 2), dtype=np.int64)
    T[:, :, :, 0] = EMPTY
    cdiff = np.zeros((slots, ns + 1), dtype=np.int64)
    span = np.empty((slots, 3), dtype=np.int64)  # (top level, first, end) touched
    span[:, 0] = -1
    span[:, 1] = ns
    span[:, 2] = 0
    return Tables(np.array([n_notion, int(worst)], dtype=np.int64), T, cdiff, span)


@kernel
def scan_all(a, inbit, priv, s, n_fixed, pattern, part, tables, given):
    """Aggregate the coalitions of one profile in which the ``n_fixed`` cheapest players are in
    or out as bit ``i`` of ``pattern`` says (``n_fixed = 0``: every coalition), for each
    privacy model ``t`` of ``priv`` (a :class:`.privacy.Privacy`; "alpha" below: any model's
    value) and ascending ``s[j]``.

    ``a`` holds ``(c^2/2)^(1/3)`` ascending, ``inbit[i]`` the input-position bit of the ``i``-th
    cheapest player. ``part`` is a :class:`.contracts.Part` of zeros; parts of different patterns
    merge exactly (:func:`fastscan.datasharing.compute.merge_parts`): counts add, sizes take
    max / min, and the optimum is the least ``(social cost, size, A, members)``.

    ``tables`` is a clean workspace from :func:`new_tables` for ``(n, len(priv.x), len(s))``; it
    is left clean, so one thread can reuse it for every block of a profile. ``given`` (a
    :class:`.contracts.Given`): the costs ascending and the ascending sigma with ``s =
    fl(sigma^2)``, for the exact decisions.
    """
    best_sc, best_k, grand = part.best_sc, part.best_k, part.grand_stable
    n = a.shape[0]
    ns = s.shape[0]
    index = build_index(s)
    log2 = floor_log2_table(ns)
    na = priv.x.shape[0]
    T, cdiff = tables.entries, tables.cdiff
    if T.shape[1] < log2[ns] + 1 or T.shape[2] != ns or cdiff.shape[1] != ns + 1:
        raise ValueError("scan_all: tables do not fit this sigma grid (use new_tables)")
    layout = tables.layout
    n_notion = layout[0]
    if part.stable_count.shape[2] != n_notion or T.shape[0] % (n_notion * (1 + layout[1])):
        raise ValueError("scan_all: tables and part disagree on the notions (use new_tables)")
    group = T.shape[0] // (n_notion * (1 + layout[1]))
    Ctab = np.empty((na, N_COEF, n + 1))
    for t in range(na):
        Ctab[t] = coefficients(n, (priv, t))
    rows = np.empty((7, na))
    p = np.empty(n, dtype=np.int64)
    ps = np.zeros(n + 1)
    mk = np.zeros(n + 1, dtype=np.uint64)
    im = np.zeros(n + 1, dtype=np.uint64)
    Afold = prefix_fold(a)
    one = np.uint64(1)
    # the fixed cheapest players: their fold comes first (ascending order), like every kernel's
    q = 0
    fold0 = 0.0
    mask0 = np.uint64(0)
    inmask0 = np.uint64(0)
    max0 = 0.0
    for i in range(n_fixed):
        if (pattern >> np.uint64(i)) & one:
            q += 1
            fold0 = fold0 + a[i]
            mask0 |= one << np.uint64(i)
            inmask0 |= inbit[i]
            max0 = a[i]
    best_sc[:] = np.inf
    best_k[:] = 0
    part.worst_sc[:] = -np.inf
    part.worst_k[:] = 0
    for g0 in range(0, na, group):
        g1 = min(na, g0 + group)
        _sizes(
            a,
            inbit,
            s,
            n,
            n_fixed,
            (q, fold0, mask0, inmask0, max0),
            g0,
            g1,
            (Ctab, rows, priv),
            tables,
            log2,
            index,
            (p, ps, mk, im),
            part,
            given,
        )
    every = (one << np.uint64(n)) - one if n < 64 else ~np.uint64(0)
    for t in range(na):
        C = Ctab[t]
        L = lower_s(Afold[n], a[n - 1], C[C_LOWER, n])
        w = exact.band(n, (priv, t)) * L
        for j in range(ns):
            grand[t, j] = exact.decide(
                given.sigma[j], s[j], L, w, exact.LOWER, given.c, every, (priv, t)
            )
        central_optimum(
            n,
            Afold,
            C[C_SC_CENTRAL],
            C[C_VAR_CENTRAL],
            s,
            part.central_size[t],
            part.central_social_cost[t],
            part.central_variance[t],
        )
        forced_and_ir(n, a, Afold, C, s, part, t, given, (priv, t))


@kernel
def forced_and_ir(n, a, Afold, C, s, part, t, given, pf):
    """Forced participation (the least SC_d over every coalition, the empty one included: the
    k cheapest are the best of size k, eq. 6 grows with A) and whether ``S_{k*}`` is
    individually rational under Lemma 1's epsilon (vacuously true for ``k* = 0``), model ``t``
    (``pf = (priv, t)``)
    (``C``: its coefficient table)."""
    central_optimum(
        n,
        Afold,
        C[C_SC],
        C[C_VAR],
        s,
        part.forced_size[t],
        part.forced_social_cost[t],
        part.forced_variance[t],
    )
    for j in range(s.shape[0]):
        k = part.central_size[t, j]
        if k == 0:
            part.central_ir[t, j] = True
        else:
            L = lower_s_designer(Afold[k], a[k - 1], np.float64(k), C[C_DESIGNER_LOWER, k])
            w = exact.band(k, pf) * L
            prefix = (np.uint64(1) << np.uint64(k)) - np.uint64(1)  # S_k: the k cheapest
            kind = exact.DESIGNER_LOWER
            part.central_ir[t, j] = exact.decide(
                given.sigma[j], s[j], L, w, kind, given.c, prefix, pf
            )


@kernel
def finish_optimum(n, priv, s, part, outs):
    """Turn the merged optima of ``part`` (a :class:`Part`) into ``opt_*`` and ``worst_*`` of
    ``outs`` (a :class:`CellOutputs`)."""
    best_sc, best_k, best_A, best_m = part.best_sc, part.best_k, part.best_A, part.best_members
    worst_sc, worst_k, worst_A = part.worst_sc, part.worst_k, part.worst_A
    opt = (outs.opt_size, outs.opt_social_cost, outs.opt_variance, outs.opt_members)
    bad = (outs.worst_size, outs.worst_social_cost, outs.worst_variance, outs.worst_members)
    for t in range(priv.x.shape[0]):
        C = coefficients(n, (priv, t))
        for j in range(s.shape[0]):
            for nu in range(best_k.shape[2]):
                c_var = sc_rows(nu)[1]
                k = best_k[t, j, nu]
                best = (k, best_sc[t, j, nu], best_A[t, j, nu], best_m[t, j, nu])
                store_optimum(opt, (t, j, nu), n, s[j], best, C[c_var, k])
                k = worst_k[t, j, nu]
                worst = (k, worst_sc[t, j, nu], worst_A[t, j, nu], part.worst_members[t, j, nu])
                store_optimum(bad, (t, j, nu), n, s[j], worst, C[c_var, k])


@kernel
def scan_batch(a, inbit, n_players, priv, s, part, outs, tables, given):
    """:func:`scan_all` then :func:`finish_optimum` for each profile ``p`` of a batch: row ``p``
    of ``a`` and ``inbit`` (first ``n_players[p]`` entries) into row ``p`` of each array of
    ``outs`` (a :class:`CellOutputs` with a leading profile dim).

    One call for a chunk of many small profiles: the per-profile work is then a few
    microseconds, not the ~100 us of a Python round trip. ``part`` is one profile's workspace
    (a :class:`Part`), zeroed here before each profile. ``given``: a :class:`.contracts.Given`
    whose ``c`` holds the batch's ascending costs as rows, like ``a``.
    """
    for p in range(a.shape[0]):
        n = n_players[p]
        part.stable_count[:] = 0
        part.max_size[:] = 0
        part.min_size[:] = 0
        part.best_sc[:] = 0.0
        part.best_k[:] = 0
        part.best_A[:] = 0.0
        part.best_members[:] = 0
        part.grand_stable[:] = False
        part.central_size[:] = 0
        part.central_social_cost[:] = 0.0
        part.central_variance[:] = 0.0
        part.worst_A[:] = 0.0
        part.worst_members[:] = 0
        one = Given(given.c[p, :n], given.sigma)
        # n_fixed typed int64 as from Python, not the literal 0: one compilation serves both
        scan_all(a[p, :n], inbit[p, :n], priv, s, np.int64(0), np.uint64(0), part, tables, one)
        o = CellOutputs(
            outs.stable_count[p],
            outs.max_size[p],
            outs.min_size[p],
            outs.opt_size[p],
            outs.opt_social_cost[p],
            outs.opt_variance[p],
            outs.opt_members[p],
            outs.grand_stable[p],
            outs.central_size[p],
            outs.central_social_cost[p],
            outs.central_variance[p],
            outs.worst_size[p],
            outs.worst_social_cost[p],
            outs.worst_variance[p],
            outs.worst_members[p],
            outs.forced_size[p],
            outs.forced_social_cost[p],
            outs.forced_variance[p],
            outs.central_ir[p],
        )
        o.stable_count[:] = part.stable_count
        o.max_size[:] = part.max_size
        o.min_size[:] = part.min_size
        o.grand_stable[:] = part.grand_stable
        o.central_size[:] = part.central_size
        o.central_social_cost[:] = part.central_social_cost
        o.central_variance[:] = part.central_variance
        o.forced_size[:] = part.forced_size
        o.forced_social_cost[:] = part.forced_social_cost
        o.forced_variance[:] = part.forced_variance
        o.central_ir[:] = part.central_ir
        finish_optimum(n, priv, s, part, o)
