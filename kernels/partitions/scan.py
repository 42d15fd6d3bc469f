"""The partition game's scan kernels: the model's rows, the walk over every partition with a
given prefix (one block of a profile), and the tables read out into a mergeable part.

One level of parallelism: each call is serial and releases the GIL; Dask runs blocks side by side.
"""

from __future__ import annotations

import numpy as np

from .. import elementary
from .._numba import hot, inline, kernel
from ..datasharing import privacy
from ..datasharing.exact import a_dd
from .contracts import MAX_KEY, NASH, Part, Players, Rows
from .walk import INF, advance, collect, gaps_of, general_ranges, nash_ranges, pack, unpack


# --- inputs ----------------------------------------------------------------------------------
@kernel
def model_rows(priv, n):
    """:class:`Rows` of every model value for sizes ``0..n``: ``P_f(k)/k``, ``3 Q_f(k)`` as the
    data-sharing kernels compute them, ``P_f(k)`` in double-double, and the error bound: four
    times the thresholds' band of :func:`..datasharing.privacy.band` (which covers ``P_f``'s
    error, ``k`` summed terms and ``sigma^2``'s rounding) plus 32 units."""
    T = priv.x.size
    r = np.zeros((T, n + 1))
    q3 = np.zeros((T, n + 1))
    p_hi = np.zeros((T, n + 1))
    p_lo = np.zeros((T, n + 1))
    err = np.zeros(T)
    for t in range(T):
        pf = (priv, t)
        worst = 0.0
        for k in range(2, n + 1):
            P, Q = privacy.pq(pf, k, elementary.log(np.float64(k)))
            r[t, k] = P / k
            q3[t, k] = 3.0 * Q
            p_hi[t, k], p_lo[t, k], _, _ = privacy.pq_dd(k, pf)
            worst = max(worst, privacy.band(k, pf))
        err[t] = 4.0 * worst + 32.0 * 2.0**-53
    return Rows(r, q3, p_hi, p_lo, err)


@kernel
def players_of(costs, core):
    """:class:`Players` of one profile (``a`` as :func:`..datasharing.model.a_values`)."""
    n = costs.size
    a = np.empty(n)
    a_hi = np.empty(n)
    a_lo = np.empty(n)
    for i in range(n):
        c = costs[i]
        a[i] = elementary.cbrt(0.5 * c) * elementary.cbrt(c)
        a_hi[i], a_lo[i] = a_dd(c)
    subset = np.zeros((1 << n) if core else 0)
    if core:
        for T in range(1, 1 << n):
            low = 0
            while not (T >> low) & 1:
                low += 1
            subset[T] = subset[T & (T - 1)] + a[low]  # in player order: lowest bit added last
    return Players(a, a_hi, a_lo, subset)


# --- the walk ----------------------------------------------------------------------------------
@inline
def _tree_update(w_arr, k_arr, w, t, b, G, lo, hi, W, key, least):
    """Offer ``(W, key)`` to the ranges ``[lo, hi)`` of tree ``[w, t, b]`` (indexed, not
    sliced: a view per update would count references)."""
    lo += G
    hi += G
    while lo < hi:
        if lo & 1:
            _offer4(w_arr, k_arr, w, t, b, lo, W, key, least)
            lo += 1
        if hi & 1:
            hi -= 1
            _offer4(w_arr, k_arr, w, t, b, hi, W, key, least)
        lo >>= 1
        hi >>= 1


@inline
def _offer4(w_arr, k_arr, w, t, b, node, W, key, least):
    old = w_arr[w, t, b, node]
    if (W < old if least else W > old) or (W == old and key < k_arr[w, t, b, node]):
        w_arr[w, t, b, node] = W
        k_arr[w, t, b, node] = key


@kernel
def walk(players, rows, grid, want, prefix, tables, found):
    """Every partition whose restricted-growth string starts with ``prefix``, at every model
    value and wanted notion, into ``tables`` (:class:`~.contracts.Tables`); the keys of those
    stable somewhere under the first wanted notion into ``found[1:]`` (``found[0]`` counts
    them; an empty ``found`` lists nothing)."""
    a = players.a
    n = a.size
    f = prefix.size
    G = grid.s.size
    labels = np.zeros(n, np.int64)
    labels[:f] = prefix
    top = np.full(n + 1, -1, np.int64)  # top[i] = max(labels[:i])
    for i in range(1, n + 1):
        top[i] = max(top[i - 1], labels[i - 1])
    size = np.zeros(n + 1, np.int64)
    A = np.zeros(n + 1)
    masks = np.zeros(n + 1, np.int64)
    ext = np.zeros((n + 1, 4), np.int64)  # cheapest, costliest, and each's runner-up member
    cur = np.zeros(n)
    cls = np.zeros(n + 1)
    out = np.zeros((G + 2, 2), np.int64)
    scratch = np.zeros(n, np.int64)  # the exact test's block masks
    most = (n + 1) * (n + 1) + (1 << n) + 2  # deviations of one partition, at most
    work = np.zeros((4, most))  # float scratch: interval ends, their gaps
    ivs = np.zeros((most, 4))
    sure = np.zeros((most, 2), np.int64)
    maybe = np.zeros((most, 2), np.int64)
    T = rows.r.shape[0]
    # record fields read once: a field read (or a row sliced) in the loop counts a reference
    r_all, q3 = rows.r, rows.q3
    central_w, central_key = tables.central_w, tables.central_key
    while True:
        nb = blocks_of(a, labels, top[n] + 1, size, A, masks, ext)
        key = pack(labels)
        multi = 0
        for b in range(nb):
            multi += size[b] >= 2
        _by_size(a, labels, size, cls)
        for t in range(T):
            W = 0.0
            Wc = 0.0
            for k in range(2, n + 1):
                if cls[k] > 0.0:
                    W += (k + 2) * r_all[t, k] * cls[k]
                    Wc += q3[t, k] * cls[k]
            old = central_w[t, nb]
            if Wc < old or (Wc == old and key < central_key[t, nb]):
                central_w[t, nb] = Wc
                central_key[t, nb] = key
            for i in range(n):
                b = labels[i]
                cur[i] = (A[b] + 2.0 * a[i]) * r_all[t, size[b]] if size[b] >= 2 else 0.0
            for w in range(want.size):
                code = want[w]
                if code == NASH:
                    m = nash_ranges(
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
                        grid,
                        out,
                        sure,
                        maybe,
                        scratch,
                    )
                else:
                    m = general_ranges(
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
                    )
                if w == 0 and m > 0 and found.size > 0:
                    found[0] += np.uint64(1)
                    if found[0] < found.size:
                        found[found[0]] = key
                if m > 0:
                    apply_ranges(tables, out, m, w, t, nb, G, W, key, multi == 1)
        if not advance(labels, top, f):
            break


@hot
def apply_ranges(tables, out, m, w, t, nb, G, W, key, single):
    """A partition's stable grid ranges (``out[:m]``) into the tables: the counts' difference
    arrays, and ``(W, key)`` offered to the best and worst trees of its block count ``nb``."""
    for q in range(m):
        lo, hi = out[q, 0], out[q, 1]
        tables.count[w, t, lo] += 1
        tables.count[w, t, hi] -= 1
        if single:
            tables.single[w, t, lo] += 1
            tables.single[w, t, hi] -= 1
        _tree_update(tables.best_w, tables.best_key, w, t, nb, G, lo, hi, W, key, True)
        _tree_update(tables.worst_w, tables.worst_key, w, t, nb, G, lo, hi, W, key, False)


@inline
def blocks_of(a, labels, nb, size, A, masks, ext):
    """The partition's ``nb`` blocks: sizes, float sums of ``a`` (in player order), member
    masks and extreme members (:func:`_extremes`); returns ``nb``."""
    size[:nb] = 0
    A[:nb] = 0.0
    masks[:nb] = 0
    for i in range(labels.size):
        b = labels[i]
        size[b] += 1
        A[b] += a[i]
        masks[b] |= np.int64(1) << i
    _extremes(a, labels, nb, ext)
    return nb


@inline
def _by_size(a, labels, size, cls):
    """``cls[k]``: the sum of ``a`` over the players in blocks of ``k``, in player order. The
    social cost is ``s b + sum_k (k + 2) P_f(k)/k cls[k]`` (eq. 6 per block), so partitions
    that give every player a block of the same size get the same float: their exact ties
    (pairs {0,1},{2,3} and {0,2},{1,3}, say) stay ties, and the rule after them decides."""
    cls[:] = 0.0
    for i in range(labels.size):
        cls[size[labels[i]]] += a[i]


@inline
def _extremes(a, labels, nb, ext):
    """Per block: its cheapest and costliest member, and the runner-up of each (the member
    that binds when that one leaves; the same member again in a block of one)."""
    for b in range(nb):
        ext[b, 0] = -1
        ext[b, 1] = -1
    for i in range(labels.size):
        b = labels[i]
        if ext[b, 0] < 0 or a[i] < a[ext[b, 0]]:
            ext[b, 0] = i
        if ext[b, 1] < 0 or a[i] > a[ext[b, 1]]:
            ext[b, 1] = i
    for b in range(nb):
        ext[b, 2] = ext[b, 0]
        ext[b, 3] = ext[b, 1]
    for i in range(labels.size):
        b = labels[i]
        if i != ext[b, 0] and (ext[b, 2] == ext[b, 0] or a[i] < a[ext[b, 2]]):
            ext[b, 2] = i
        if i != ext[b, 1] and (ext[b, 3] == ext[b, 1] or a[i] > a[ext[b, 3]]):
            ext[b, 3] = i


# --- read out ----------------------------------------------------------------------------------
@kernel
def finish(tables, s):
    """The tables as a :class:`~.contracts.Part`: counts per grid point, and at each point the
    best and worst stable partition over block counts (social cost ``s b + W``)."""
    N, T, G1 = tables.count.shape
    G = G1 - 1
    nmax = tables.best_w.shape[2] - 1
    count = np.zeros((N, T, G), np.int64)
    single = np.zeros((N, T, G), np.int64)
    best_sc = np.full((N, T, G), np.nan)
    best_b = np.zeros((N, T, G), np.int64)
    best_k = np.full((N, T, G), MAX_KEY, np.uint64)
    worst_sc = np.full((N, T, G), np.nan)
    worst_b = np.zeros((N, T, G), np.int64)
    worst_k = np.full((N, T, G), MAX_KEY, np.uint64)
    for w in range(N):
        for t in range(T):
            c = 0
            o = 0
            for g in range(G):
                c += tables.count[w, t, g]
                o += tables.single[w, t, g]
                count[w, t, g] = c
                single[w, t, g] = o
                for b in range(1, nmax + 1):
                    bw, bk = _point(tables.best_w[w, t, b], tables.best_key[w, t, b], G, g, True)
                    if bk != MAX_KEY:
                        sc = s[g] * b + bw
                        if best_b[w, t, g] == 0 or sc < best_sc[w, t, g]:
                            best_sc[w, t, g], best_b[w, t, g], best_k[w, t, g] = sc, b, bk
                    ww, wk = _point(tables.worst_w[w, t, b], tables.worst_key[w, t, b], G, g, False)
                    if wk != MAX_KEY:
                        sc = s[g] * b + ww
                        if worst_b[w, t, g] == 0 or sc > worst_sc[w, t, g]:
                            worst_sc[w, t, g], worst_b[w, t, g], worst_k[w, t, g] = sc, b, wk
    return Part(
        count,
        single,
        best_sc,
        best_b,
        best_k,
        worst_sc,
        worst_b,
        worst_k,
        tables.central_w.copy(),
        tables.central_key.copy(),
    )


@inline
def _point(w_arr, k_arr, G, g, least):
    node = g + G
    W = w_arr[node]
    key = k_arr[node]
    node >>= 1
    while node >= 1:
        x = w_arr[node]
        if (x < W if least else x > W) or (x == W and k_arr[node] < key):
            W = x
            key = k_arr[node]
        node >>= 1
    return W, key


@kernel
def summary(key, n, a, r_row, s):
    """One partition's blocks, its largest block and its variance: the mean over players of
    their estimate's variance, ``s/k + A P_f(k)/k`` in a block of ``k`` (eq. 5), ``s`` alone."""
    labels = unpack(key, n)
    nb = 0
    for i in range(n):
        nb = max(nb, labels[i] + 1)
    size = np.zeros(nb, np.int64)
    for i in range(n):
        size[labels[i]] += 1
    cls = np.zeros(n + 1)
    _by_size(a, labels, size, cls)
    var = 0.0
    largest = 0
    for b in range(nb):
        largest = max(largest, size[b])
    for k in range(2, n + 1):
        if cls[k] > 0.0:
            var += k * r_row[k] * cls[k]
    return nb, largest, (s * nb + var) / n


@kernel
def describe_keys(keys, n, a, r, s):
    """Per cell ``(t, g, w)`` of ``keys`` (``MAX_KEY``: none): the partition's largest block and
    variance (:func:`summary`)."""
    T, G, N = keys.shape
    largest = np.zeros((T, G, N), np.int64)
    variance = np.full((T, G, N), np.nan)
    for t in range(T):
        for g in range(G):
            for w in range(N):
                if keys[t, g, w] != MAX_KEY:
                    _, largest[t, g, w], variance[t, g, w] = summary(
                        keys[t, g, w], n, a, r[t], s[g]
                    )
    return largest, variance


@kernel
def central_at(central_w, central_key, s):
    """The designer's optimum per ``(t, g)``: the least ``s b + W_b`` over block counts ``b``
    (ties: fewer blocks; within a count the least ``(W, key)`` is kept already)."""
    T, B1 = central_w.shape
    G = s.size
    sc = np.full((T, G), np.nan)
    blocks = np.zeros((T, G), np.int64)
    keys = np.full((T, G), MAX_KEY, np.uint64)
    for t in range(T):
        for g in range(G):
            for b in range(1, B1):
                if central_key[t, b] == MAX_KEY:
                    continue
                v = s[g] * b + central_w[t, b]
                if blocks[t, g] == 0 or v < sc[t, g]:
                    sc[t, g], blocks[t, g], keys[t, g] = v, b, central_key[t, b]
    return sc, blocks, keys


# --- exact sigma ranges (fastscan partitions intervals) ----------------------------------------
@kernel
def zones(code, players, rows, t, out_key, out_maybe, out_sure):
    """Every partition that may be stable under ``code`` somewhere (``s > 0``) at model value
    ``t``: its key, the pieces of ``s`` where it may be stable (outside every deviation's
    narrowed interval) and where it surely is (outside every widened one). Rows of
    ``out_maybe``/``out_sure``: ``(partition index, start, end)``; returns the three counts."""
    a = players.a
    n = a.size
    r, p_hi, p_lo, err = rows.r[t], rows.p_hi[t], rows.p_lo[t], rows.err[t]
    labels = np.zeros(n, np.int64)
    top = np.full(n + 1, -1, np.int64)
    for i in range(1, n + 1):
        top[i] = max(top[i - 1], labels[i - 1])
    size = np.zeros(n + 1, np.int64)
    A = np.zeros(n + 1)
    masks = np.zeros(n + 1, np.int64)
    ext = np.zeros((n + 1, 4), np.int64)
    cur = np.zeros(n)
    most = (n + 1) * (n + 1) + (1 << n) + 2
    ivs = np.zeros((most, 4))
    pieces = np.zeros((most + 1, 2))
    fa = np.zeros(most)
    fb = np.zeros(most)
    k_count = 0
    m_count = 0
    s_count = 0
    while True:
        nb = blocks_of(a, labels, top[n] + 1, size, A, masks, ext)
        for i in range(n):
            b = labels[i]
            cur[i] = (A[b] + 2.0 * a[i]) * r[size[b]] if size[b] >= 2 else 0.0
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
            0.0,
            INF,
            ivs,
        )
        if m >= 0:
            g = gaps_of(ivs, 2, m, fa, fb, pieces)  # narrowed: it may be stable outside them
            if g > 0 and m_count + g <= out_maybe.shape[0]:
                out_key[k_count] = pack(labels)
                for q in range(g):
                    out_maybe[m_count, 0] = k_count
                    out_maybe[m_count, 1], out_maybe[m_count, 2] = pieces[q, 0], pieces[q, 1]
                    m_count += 1
                g = gaps_of(ivs, 0, m, fa, fb, pieces)  # widened: surely stable outside them
                for q in range(g):
                    if s_count < out_sure.shape[0]:
                        out_sure[s_count, 0] = k_count
                        out_sure[s_count, 1], out_sure[s_count, 2] = pieces[q, 0], pieces[q, 1]
                        s_count += 1
                k_count += 1
        if not advance(labels, top, 0):
            break
    return k_count, m_count, s_count
