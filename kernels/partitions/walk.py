"""Every partition of a profile, in restricted-growth order, with the sigma^2 grid points where
it is stable under each notion (docs/paper-notes.md, "Coalition structures").

Every condition of the four notions compares one player's burden in two blocks,
``s/x + b_X`` against ``s/y + b_Y`` (``b = (A + 2a_j) P_f(k)/k``, 0 alone): linear in
``s = sigma^2``, so it holds on a half-line with threshold ``t = (b_Y - b_X) xy/(y - x)`` (or,
when ``x = y``, everywhere or nowhere). A move (nash) is one condition, a consented move
(individual, contractual) an intersection of them, a blocking coalition (core) one per member:
each is active on an interval of ``s``, and a partition is stable off their union. The floats
give every threshold within ``e = err (b_X + b_Y)|w| + 4u|t|`` (``w = xy/(y - x)``;
``err`` bounds the burden terms' relative error, docs/exactness.md); so the walk keeps two
unions: of the deviations' intervals widened by ``e`` (a grid point outside them is surely
stable) and narrowed by ``e`` (a point inside one is surely not). Points in between are decided
by :func:`.exact.stable` in double-double. Conditions with ``x = y`` do not depend on ``s``:
an undecided one is settled at once by :func:`.exact.compare`.

Stable ranges of grid points go to :class:`~.contracts.Tables`: counts as difference arrays,
the best and worst stable partition per block count as segment trees (a range update is
``O(log G)``; :func:`finish` reads each point once).
"""

from __future__ import annotations

import math

import numpy as np

from .._numba import hot, inline, kernel
from .contracts import BITS, CONTRACTUAL, CORE, NASH
from .exact import compare, stable_into

U = 2.0**-53
INF = math.inf


@inline
def threshold(x, y, bx, by, err):
    """``(kind, t, e)`` of "``s/x + bx < s/y + by``": kind 1 holds iff ``s < t``, -1 iff
    ``s > t``, 0 iff ``0 < by - bx =: t`` (no ``s``); ``e`` bounds the float error of ``t``."""
    if x == y:
        return 0, by - bx, err * (bx + by)
    w = (x * y) / (y - x)
    t = (by - bx) * w
    e = err * (bx + by) * abs(w) + 4.0 * U * abs(t)
    return (1 if x < y else -1), t, e


@inline
def advance(labels, top, f):
    """The next restricted-growth string after ``labels`` with the same first ``f`` labels
    (``top[i] = max(labels[:i])`` kept up to date); False after the last."""
    n = labels.size
    i = n - 1
    while i >= max(f, 1) and labels[i] > top[i]:
        i -= 1
    if i < max(f, 1):
        return False
    labels[i] += 1
    labels[i + 1 :] = 0
    for j in range(i + 1, n + 1):
        top[j] = max(top[j - 1], labels[j - 1])
    return True


@kernel
def prefixes(f):
    """Every restricted-growth string of length ``f`` (rows), in order."""
    if f == 0:
        return np.zeros((1, 0), np.int64)
    labels = np.zeros(f, np.int64)
    top = np.full(f + 1, -1, np.int64)
    top[1:] = 0
    out = [labels.copy()]
    while advance(labels, top, 0):
        out.append(labels.copy())
    res = np.zeros((len(out), f), np.int64)
    for r in range(len(out)):
        res[r] = out[r]
    return res


@inline
def pack(labels):
    key = np.uint64(0)
    for i in range(labels.size):
        key = (key << np.uint64(BITS)) | np.uint64(labels[i])
    return key


@kernel
def unpack(key, n):
    """The restricted-growth string of ``key`` (``n`` players)."""
    out = np.zeros(n, np.int64)
    for i in range(n - 1, -1, -1):
        out[i] = np.int64(key & np.uint64(15))
        key = key >> np.uint64(BITS)
    return out


# --- ranges of grid points ---------------------------------------------------------------------
@inline
def first_at_least(s, x):
    return np.searchsorted(s, x, side="left")


@inline
def first_above(s, x):
    return np.searchsorted(s, x, side="right")


@inline
def settle(code, players, p_hi, p_lo, labels, grid, sure, ns, maybe, nm, out, masks):
    """The stable ranges: the ``sure`` ones, and each point of ``maybe`` outside them decided
    exactly (``sure`` within ``maybe``, both sorted and disjoint); returns how many into ``out``."""
    count = 0
    for i in range(ns):
        out[count, 0] = sure[i, 0]
        out[count, 1] = sure[i, 1]
        count += 1
    j = 0
    for i in range(nm):
        g = maybe[i, 0]
        while g < maybe[i, 1]:
            while j < ns and sure[j, 1] <= g:
                j += 1
            if j < ns and sure[j, 0] <= g:
                g = sure[j, 1]
                continue
            if stable_into(code, players, p_hi, p_lo, labels, grid.s_hi[g], grid.s_lo[g], masks):
                if count > 0 and out[count - 1, 1] == g and out[count - 1, 0] < g:
                    out[count - 1, 1] = g + 1
                else:
                    out[count, 0] = g
                    out[count, 1] = g + 1
                    count += 1
            g += 1
    return count


# --- one partition, one model value ------------------------------------------------------------
@hot
def nash_ranges(
    players, a, rows, t, labels, size, A, masks, nb, cur, grid, out, sure, maybe, scratch
):
    """Nash-stable grid ranges of the partition: each move is a half-line, so the stable set
    is one interval ``[lo, hi]`` (``lo`` from moves to smaller blocks, ``hi`` from larger)."""
    r, p_hi, p_lo, err = rows.r[t], rows.p_hi[t], rows.p_lo[t], rows.err[t]
    s = grid.s
    G = s.size
    s_first, s_last = s[0], s[G - 1]
    sure_lo, sure_hi, maybe_lo, maybe_hi = -INF, INF, -INF, INF
    for i in range(labels.size):
        c = labels[i]
        y = size[c]
        by = cur[i]
        ai = a[i]
        for d in range(nb + 1):
            if d == c or (d == nb and y == 1):
                continue
            if d < nb:
                x = size[d] + 1
                bx = (A[d] + 3.0 * ai) * r[x]
            else:
                x = 1
                bx = 0.0
            kind, t, e = threshold(x, y, bx, by, err)
            if kind == 1:  # moves while s < t: stable needs s >= t
                maybe_lo = max(maybe_lo, t - e)
                sure_lo = max(sure_lo, t + e)
            elif kind == -1:
                maybe_hi = min(maybe_hi, t + e)
                sure_hi = min(sure_hi, t - e)
            elif t > e:
                return 0  # strictly better off elsewhere at every s
            elif t >= -e:
                target = (masks[d] if d < nb else 0) | (np.int64(1) << i)
                if compare(players, p_hi, p_lo, target, masks[c], i, 0.0, 0.0) < 0:
                    return 0
            if maybe_lo > maybe_hi or maybe_lo > s_last or maybe_hi < s_first:
                return 0
    m0, m1 = first_at_least(s, maybe_lo), first_above(s, maybe_hi)
    if m0 >= m1:
        return 0
    s0, s1 = first_at_least(s, sure_lo), first_above(s, sure_hi)
    maybe[0, 0], maybe[0, 1] = m0, m1
    ns = 0
    if s0 < s1:
        sure[0, 0], sure[0, 1] = s0, s1
        ns = 1
    return settle(NASH, players, p_hi, p_lo, labels, grid, sure, ns, maybe, 1, out, scratch)


@inline
def narrow(kind, t, e, i0, i1, i2, i3):
    """A deviation's interval ``(maybe_lo, maybe_hi, sure_lo, sure_hi)`` cut by a condition's
    half-line (scalars in and out: arrays passed to inlined helpers count references)."""
    if kind == 1:
        return i0, min(i1, t + e), i2, min(i3, t - e)
    return max(i0, t - e), i1, max(i2, t + e), i3


@kernel
def settled(players, p_hi, p_lo, new, old, j, strict):
    """A condition with no ``s`` that the floats leave open: ``b_j(new) < b_j(old)``
    (``strict``) or ``<=``, exactly."""
    sign = compare(players, p_hi, p_lo, new, old, j, 0.0, 0.0)
    return sign < 0 if strict else sign <= 0


@inline
def collect(
    code, players, a, r, p_hi, p_lo, err, labels, size, A, masks, nb, cur, ext, low, high, ivs
):
    """Every live deviation of the partition within ``low <= s <= high``: rows of ``ivs``
    ``[maybe_lo, maybe_hi, sure_lo, sure_hi]`` (the interval where it is active, widened and
    narrowed by the error); returns how many, or -1 when one or two of them surely cover the
    whole window (nothing is stable there)."""
    n = labels.size
    m = 0
    h_left, l_right = -INF, INF  # surely covered from the left up to here, from the right down
    if code == CORE:
        subset = players.subset_sum
        full = (np.int64(1) << n) - 1
        for T in range(1, full + 1):
            k = 0
            for i in range(n):
                k += (T >> i) & 1
            base = subset[T] * r[k] if k >= 2 else 0.0
            twice = 2.0 * r[k] if k >= 2 else 0.0
            i0, i1, i2, i3 = -INF, INF, -INF, INF
            alive = True
            for i in range(n):
                if not (T >> i) & 1:
                    continue
                c = labels[i]
                if masks[c] == T:  # its own block: nobody is strictly better off
                    alive = False
                    break
                kind, t, e = threshold(k, size[c], base + twice * a[i], cur[i], err)
                if kind == 0:
                    if t > e:
                        continue
                    if t < -e or not settled(players, p_hi, p_lo, np.int64(T), masks[c], i, True):
                        alive = False
                        break
                else:
                    i0, i1, i2, i3 = narrow(kind, t, e, i0, i1, i2, i3)
                    if i0 >= i1 or i0 > high or i1 < low:
                        alive = False
                        break
            if alive:
                if i2 < low:
                    h_left = max(h_left, i3)
                if i3 > high:
                    l_right = min(l_right, i2)
                if l_right < h_left:
                    return -1  # some coalition blocks everywhere
                ivs[m, 0], ivs[m, 1], ivs[m, 2], ivs[m, 3] = i0, i1, i2, i3
                m += 1
        return m
    for i in range(n):
        c = labels[i]
        y = size[c]
        ai = a[i]
        bit = np.int64(1) << i
        stay = masks[c] & ~bit
        A_stay = 0.0
        for d in range(nb + 1):
            if d == c or (d == nb and y == 1):
                continue
            if d < nb:
                x = size[d] + 1
                A_x = A[d] + ai
                target = masks[d] | bit
            else:
                x = 1
                A_x = ai
                target = bit
            bx = (A_x + 2.0 * ai) * r[x] if x >= 2 else 0.0
            kind, t, e = threshold(x, y, bx, cur[i], err)
            i0, i1, i2, i3 = -INF, INF, -INF, INF
            if kind == 0:
                if t < -e or (
                    t <= e and not settled(players, p_hi, p_lo, target, masks[c], i, True)
                ):
                    continue
            else:
                i0, i1, i2, i3 = narrow(kind, t, e, i0, i1, i2, i3)
                if i0 >= i1 or i0 > high or i1 < low:
                    continue
            ok = True
            if d < nb and code != NASH:
                # the receiving block's consent: its extreme members bind (linear in a_j)
                kd = size[d]
                for j in (ext[d, 0], ext[d, 1]):
                    aj = a[j]
                    b_old = (A[d] + 2.0 * aj) * r[kd] if kd >= 2 else 0.0
                    kind, t, e = threshold(x, kd, (A_x + 2.0 * aj) * r[x], b_old, err)
                    if kind == 0:  # not worse off: b_new <= b_old
                        if t < -e or (
                            t <= e and not settled(players, p_hi, p_lo, target, masks[d], j, False)
                        ):
                            ok = False
                            break
                    else:
                        i0, i1, i2, i3 = narrow(kind, t, e, i0, i1, i2, i3)
            if ok and code == CONTRACTUAL and stay != 0:
                # the left block's consent: its extreme remaining members bind
                if A_stay == 0.0:
                    A_stay = _sum(a, stay)  # A_C - a_i could cancel
                lo_j, hi_j = ext[c, 0], ext[c, 1]
                if lo_j == i:
                    lo_j = ext[c, 2]
                if hi_j == i:
                    hi_j = ext[c, 3]
                for j in (lo_j, hi_j):
                    aj = a[j]
                    b_new = (A_stay + 2.0 * aj) * r[y - 1] if y - 1 >= 2 else 0.0
                    kind, t, e = threshold(y - 1, y, b_new, (A[c] + 2.0 * aj) * r[y], err)
                    if kind == 0:
                        if t < -e or (
                            t <= e and not settled(players, p_hi, p_lo, stay, masks[c], j, False)
                        ):
                            ok = False
                            break
                    else:
                        i0, i1, i2, i3 = narrow(kind, t, e, i0, i1, i2, i3)
            if not ok or i0 >= i1 or i0 > high or i1 < low:
                continue
            if i2 < low:
                h_left = max(h_left, i3)
            if i3 > high:
                l_right = min(l_right, i2)
            if l_right < h_left:
                return -1  # a move is made everywhere
            ivs[m, 0], ivs[m, 1], ivs[m, 2], ivs[m, 3] = i0, i1, i2, i3
            m += 1
    return m


@hot
def general_ranges(
    code,
    players,
    a,
    rows,
    t,
    labels,
    size,
    A,
    masks,
    nb,
    cur,
    ext,
    grid,
    out,
    work,
    ivs,
    sure,
    maybe,
    scratch,
):
    """Stable grid ranges under individual, contractual or core stability: the complement of
    the union of the deviations' intervals (:func:`collect`), widened (surely stable outside)
    and narrowed (surely not stable inside). The unions are taken in ``s`` (a sort of a few
    floats); only their gaps are looked up on the grid."""
    r, p_hi, p_lo, err = rows.r[t], rows.p_hi[t], rows.p_lo[t], rows.err[t]
    s = grid.s
    G = s.size
    m = collect(
        code,
        players,
        a,
        r,
        p_hi,
        p_lo,
        err,
        labels,
        size,
        A,
        masks,
        nb,
        cur,
        ext,
        s[0],
        s[G - 1],
        ivs,
    )
    if m < 0:
        return 0
    fa, fb, gaps = work[0], work[1], work[2:4].T
    k = gaps_of(ivs, 2, m, fa, fb, gaps)  # narrowed (open): outside them it may be stable
    nm = 0
    for q in range(k):
        lo, hi = first_at_least(s, gaps[q, 0]), first_above(s, gaps[q, 1])
        if lo < hi:
            maybe[nm, 0], maybe[nm, 1] = lo, hi
            nm += 1
    if nm == 0:
        return 0
    k = gaps_of(ivs, 0, m, fa, fb, gaps)  # widened (closed): outside them it surely is
    ns = 0
    for q in range(k):
        lo, hi = first_above(s, gaps[q, 0]), first_at_least(s, gaps[q, 1])
        if lo < hi:
            sure[ns, 0], sure[ns, 1] = lo, hi
            ns += 1
    return settle(code, players, p_hi, p_lo, labels, grid, sure, ns, maybe, nm, out, scratch)


@inline
def gaps_of(ivs, c, m, fa, fb, out):
    """The gaps between the intervals ``(ivs[q, c], ivs[q, c + 1])`` (``q < m``; empty ones
    skipped) as rows of ``out``, from -inf to inf; returns how many."""
    k = 0
    for q in range(m):
        a, b = ivs[q, c], ivs[q, c + 1]
        if b > a or (c == 0 and b == a):
            fa[k], fb[k] = a, b
            k += 1
    # Shell sort in place (no allocation: the callers count no references): a handful of
    # moves, or the core's coalitions, a few hundred
    gap = 1
    while gap < k // 3:
        gap = 3 * gap + 1
    while gap >= 1:
        for i in range(gap, k):
            a, b = fa[i], fb[i]
            j = i
            while j >= gap and fa[j - gap] > a:
                fa[j], fb[j] = fa[j - gap], fb[j - gap]
                j -= gap
            fa[j], fb[j] = a, b
        gap //= 3
    count = 0
    cur = -INF
    for q in range(k):
        if fa[q] > cur:
            out[count, 0], out[count, 1] = cur, fa[q]
            count += 1
        cur = max(cur, fb[q])
    if cur < INF:
        out[count, 0], out[count, 1] = cur, INF
        count += 1
    return count


@inline
def _sum(a, mask):
    """The float sum of ``a`` over ``mask`` in player order (``A_C - a_i`` could cancel)."""
    total = 0.0
    for i in range(a.size):
        if (mask >> i) & 1:
            total += a[i]
    return total
