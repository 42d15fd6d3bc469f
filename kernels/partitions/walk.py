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

from .._numba import inline, kernel
from .contracts import BITS, CONTRACTUAL, CORE, NASH
from .exact import compare, stable

U = 2.0**-53
INF = math.inf


@inline
def beta(A, aj, k, r):
    """The ``s``-free part of a member's burden in a block of ``k`` with sum ``A``."""
    if k == 1:
        return 0.0
    return (A + 2.0 * aj) * r[k]


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


@kernel
def prefixes(f):
    """Every restricted-growth string of length ``f`` (rows), in order."""
    if f == 0:
        return np.zeros((1, 0), np.int64)
    out = [np.zeros(f, np.int64)]
    cur = np.zeros(f, np.int64)
    while True:
        i = f - 1
        while i >= 1:
            top = 0
            for j in range(i):
                top = max(top, cur[j])
            if cur[i] <= top:
                break
            i -= 1
        if i < 1:
            break
        cur[i] += 1
        cur[i + 1 :] = 0
        out.append(cur.copy())
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


@kernel
def uncovered(starts, ends, m, G, out):
    """The ranges of ``[0, G)`` that none of ``[starts[i], ends[i])`` (``i < m``) covers,
    into ``out`` (rows ``(lo, hi)``); returns how many. Sorts the inputs by start."""
    for i in range(1, m):  # insertion sort: a handful of ranges
        a, b = starts[i], ends[i]
        j = i - 1
        while j >= 0 and starts[j] > a:
            starts[j + 1] = starts[j]
            ends[j + 1] = ends[j]
            j -= 1
        starts[j + 1] = a
        ends[j + 1] = b
    count = 0
    cur = 0
    for i in range(m):
        if starts[i] > cur:
            out[count, 0] = cur
            out[count, 1] = starts[i]
            count += 1
        cur = max(cur, ends[i])
    if cur < G:
        out[count, 0] = cur
        out[count, 1] = G
        count += 1
    return count


@kernel
def settle(code, players, p_hi, p_lo, labels, grid, sure, ns, maybe, nm, out):
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
            if stable(code, players, p_hi, p_lo, labels, grid.s_hi[g], grid.s_lo[g]):
                if count > 0 and out[count - 1, 1] == g and out[count - 1, 0] < g:
                    out[count - 1, 1] = g + 1
                else:
                    out[count, 0] = g
                    out[count, 1] = g + 1
                    count += 1
            g += 1
    return count


# --- one partition, one model value ------------------------------------------------------------
@kernel
def nash_ranges(players, r, p_hi, p_lo, err, labels, size, A, masks, nb, cur, grid, out):
    """Nash-stable grid ranges of the partition: each move is a half-line, so the stable set
    is one interval ``[lo, hi]`` (``lo`` from moves to smaller blocks, ``hi`` from larger)."""
    s = grid.s
    G = s.size
    a = players.a
    sure_lo, sure_hi, maybe_lo, maybe_hi = -INF, INF, -INF, INF
    for i in range(labels.size):
        c = labels[i]
        y = size[c]
        by = cur[i]
        bit = np.int64(1) << i
        for d in range(nb + 1):
            if d == c or (d == nb and y == 1):
                continue
            if d < nb:
                x = size[d] + 1
                bx = beta(A[d] + a[i], a[i], x, r)
                target = masks[d] | bit
            else:
                x = 1
                bx = 0.0
                target = bit
            kind, t, e = threshold(x, y, bx, by, err)
            if kind == 1:  # moves while s < t: stable needs s >= t
                maybe_lo = max(maybe_lo, t - e)
                sure_lo = max(sure_lo, t + e)
            elif kind == -1:
                maybe_hi = min(maybe_hi, t + e)
                sure_hi = min(sure_hi, t - e)
            elif t > e or (
                t >= -e and compare(players, p_hi, p_lo, target, masks[c], i, 0.0, 0.0) < 0
            ):
                return 0  # strictly better off elsewhere at every s
            if maybe_lo > maybe_hi or maybe_lo > s[G - 1] or maybe_hi < s[0]:
                return 0
    m0, m1 = first_at_least(s, maybe_lo), first_above(s, maybe_hi)
    if m0 >= m1:
        return 0
    s0, s1 = first_at_least(s, sure_lo), first_above(s, sure_hi)
    maybe = np.empty((1, 2), np.int64)
    maybe[0, 0], maybe[0, 1] = m0, m1
    sure = np.empty((1, 2), np.int64)
    ns = 0
    if s0 < s1:
        sure[0, 0], sure[0, 1] = s0, s1
        ns = 1
    return settle(NASH, players, p_hi, p_lo, labels, grid, sure, ns, maybe, 1, out)


@inline
def narrow(kind, t, e, iv):
    """Intersect a deviation's interval ``iv = [maybe_lo, maybe_hi, sure_lo, sure_hi]`` with a
    condition's half-line."""
    if kind == 1:
        iv[1] = min(iv[1], t + e)
        iv[3] = min(iv[3], t - e)
    else:
        iv[0] = max(iv[0], t - e)
        iv[2] = max(iv[2], t + e)


@kernel
def holds(kind, t, e, players, p_hi, p_lo, new, old, j, strict):
    """A condition with no ``s`` (``kind`` 0): ``b_j(new) < b_j(old)`` (``strict``) or ``<=``."""
    if t > e:
        return True
    if t < -e:
        return False
    sign = compare(players, p_hi, p_lo, new, old, j, 0.0, 0.0)
    return sign < 0 if strict else sign <= 0


@kernel
def consent(players, r, p_hi, p_lo, err, iv, new, old, knew, kold, A_new, A_old, j):
    """Narrow ``iv`` by "member ``j`` of ``old`` is not worse off in ``new``"; False when that
    fails at every ``s``."""
    a = players.a
    # not worse off, b_new <= b_old: the same half-line as strictly better off, boundary aside
    # (points near it are decided exactly)
    kind, t, e = threshold(knew, kold, beta(A_new, a[j], knew, r), beta(A_old, a[j], kold, r), err)
    if kind == 0:
        return holds(0, t, e, players, p_hi, p_lo, new, old, j, False)
    narrow(kind, t, e, iv)
    return True


@kernel
def collect(
    code, players, r, p_hi, p_lo, err, labels, size, A, masks, nb, cur, ext, low, high, ivs
):
    """Every live deviation of the partition within ``low <= s <= high``: rows of ``ivs``
    ``[maybe_lo, maybe_hi, sure_lo, sure_hi]`` (the interval where it is active, widened and
    narrowed by the error); returns how many, or -1 when one or two of them surely cover the
    whole window (nothing is stable there)."""
    a = players.a
    n = labels.size
    m = 0
    iv = ivs[ivs.shape[0] - 1]  # scratch: the last row is never a deviation
    h_left, l_right = -INF, INF  # surely covered from the left up to here, from the right down
    if code == CORE:
        full = (np.int64(1) << n) - 1
        for T in range(1, full + 1):
            k = 0
            for i in range(n):
                k += (T >> i) & 1
            AT = players.subset_sum[T]
            iv[0], iv[1], iv[2], iv[3] = -INF, INF, -INF, INF
            alive = True
            for i in range(n):
                if not (T >> i) & 1:
                    continue
                c = labels[i]
                if masks[c] == T:  # its own block: nobody is strictly better off
                    alive = False
                    break
                kind, t, e = threshold(k, size[c], beta(AT, a[i], k, r), cur[i], err)
                if kind == 0:
                    if not holds(0, t, e, players, p_hi, p_lo, np.int64(T), masks[c], i, True):
                        alive = False
                        break
                else:
                    narrow(kind, t, e, iv)
                    if iv[0] >= iv[1] or iv[0] > high or iv[1] < low:
                        alive = False
                        break
            if alive:
                if iv[2] < low:
                    h_left = max(h_left, iv[3])
                if iv[3] > high:
                    l_right = min(l_right, iv[2])
                if l_right < h_left:
                    return -1  # some coalition blocks everywhere
                ivs[m, :] = iv
                m += 1
    else:
        for i in range(n):
            c = labels[i]
            y = size[c]
            bit = np.int64(1) << i
            stay = masks[c] & ~bit
            for d in range(nb + 1):
                if d == c or (d == nb and y == 1):
                    continue
                iv[0], iv[1], iv[2], iv[3] = -INF, INF, -INF, INF
                if d < nb:
                    x = size[d] + 1
                    A_x = A[d] + a[i]
                    target = masks[d] | bit
                else:
                    x = 1
                    A_x = a[i]
                    target = bit
                kind, t, e = threshold(x, y, beta(A_x, a[i], x, r), cur[i], err)
                if kind == 0:
                    if not holds(0, t, e, players, p_hi, p_lo, target, masks[c], i, True):
                        continue
                else:
                    narrow(kind, t, e, iv)
                    if iv[0] >= iv[1] or iv[0] > high or iv[1] < low:
                        continue
                ok = True
                # the receiving block's consent: its extreme members bind (linear in a_j)
                if d < nb and code != NASH:
                    for j in (ext[d, 0], ext[d, 1]):
                        if not consent(
                            players,
                            r,
                            p_hi,
                            p_lo,
                            err,
                            iv,
                            target,
                            masks[d],
                            x,
                            size[d],
                            A_x,
                            A[d],
                            j,
                        ):
                            ok = False
                            break
                if ok and code == CONTRACTUAL and stay != 0:
                    lo_j, hi_j = ext[c, 0], ext[c, 1]
                    if lo_j == i:
                        lo_j = ext[c, 2]
                    if hi_j == i:
                        hi_j = ext[c, 3]
                    for j in (lo_j, hi_j):
                        if not consent(
                            players,
                            r,
                            p_hi,
                            p_lo,
                            err,
                            iv,
                            stay,
                            masks[c],
                            y - 1,
                            y,
                            _sum(a, stay),
                            A[c],
                            j,
                        ):
                            ok = False
                            break
                if not ok or iv[0] >= iv[1] or iv[0] > high or iv[1] < low:
                    continue
                if iv[2] < low:
                    h_left = max(h_left, iv[3])
                if iv[3] > high:
                    l_right = min(l_right, iv[2])
                if l_right < h_left:
                    return -1  # a move is made everywhere
                ivs[m, :] = iv
                m += 1
    return m


@kernel
def general_ranges(
    code,
    players,
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
    grid,
    out,
    work,
    ivs,
    sure,
    maybe,
):
    """Stable grid ranges under individual, contractual or core stability: the complement of
    the union of the deviations' intervals (:func:`collect`), widened (surely stable outside)
    and narrowed (surely not stable inside)."""
    s = grid.s
    G = s.size
    m = collect(
        code, players, r, p_hi, p_lo, err, labels, size, A, masks, nb, cur, ext, s[0], s[G - 1], ivs
    )
    if m < 0:
        return 0
    lo_w, hi_w, lo_n, hi_n = work[0], work[1], work[2], work[3]
    m_w = 0
    m_n = 0
    for q in range(m):
        m_w, m_n = _record(ivs[q], s, lo_w, hi_w, lo_n, hi_n, m_w, m_n)
    ns = uncovered(lo_w, hi_w, m_w, G, sure)
    nm = uncovered(lo_n, hi_n, m_n, G, maybe)
    if nm == 0:
        return 0
    return settle(code, players, p_hi, p_lo, labels, grid, sure, ns, maybe, nm, out)


@inline
def _sum(a, mask):
    """The float sum of ``a`` over ``mask`` in player order (``A_C - a_i`` could cancel)."""
    total = 0.0
    for i in range(a.size):
        if (mask >> i) & 1:
            total += a[i]
    return total


@inline
def _record(iv, s, lo_w, hi_w, lo_n, hi_n, m_w, m_n):
    """A live deviation: its widened interval covers the points ``maybe_lo <= s <= maybe_hi``
    (not surely stable), its narrowed one the points strictly inside (surely not stable)."""
    a0, a1 = first_at_least(s, iv[0]), first_above(s, iv[1])
    if a0 < a1:
        lo_w[m_w], hi_w[m_w] = a0, a1
        m_w += 1
    if iv[2] < iv[3]:
        b0, b1 = first_above(s, iv[2]), first_at_least(s, iv[3])
        if b0 < b1:
            lo_n[m_n], hi_n[m_n] = b0, b1
            m_n += 1
    return m_w, m_n
