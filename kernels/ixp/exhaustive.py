"""Every assignment of an IXP instance in lexicographic order (agent 0 most significant, none <
0 < 1 ...), by depth-first search with one friend-weight table per depth (so no sum drifts):
F[d, i, x] = sum of w(i, j) over the agents j < d assigned to facility x. At a leaf, agent i's
cost at any strategy is then O(1): c~_i(x) = w(i, x) + W_i - F[i, x], c~_i(none) = W_i (§3)."""

from __future__ import annotations

import numpy as np

from .._numba import inline, kernel


@inline
def _bucket(alphas, need):
    """The first alpha grid index t with alphas[t] >= need (alphas ascending)."""
    lo, hi = 0, alphas.shape[0]
    while lo < hi:
        mid = (lo + hi) // 2
        if alphas[mid] >= need:
            hi = mid
        else:
            lo = mid + 1
    return lo


@inline
def _push(w, F, s, d):
    """The table of depth d + 1: depth d's, plus agent d's pair weights at its facility (a
    fresh copy per depth, so nothing is added and subtracted back: no drift)."""
    n, m = w.w_facility.shape
    for i in range(n):
        for x in range(m):
            F[d + 1, i, x] = F[d, i, x]
    if s[d] >= 0:
        for i in range(n):
            F[d + 1, i, s[d]] += w.w_pair[i, d]


@inline
def _prepare(w, F, s, tops):
    """Before the last agent's labels: every other agent's cost at each facility (without the
    last agent) and its two cheapest facilities other than its own, so a leaf is O(n + m)."""
    cand, v1, a1, v2 = tops
    n, m = w.w_facility.shape
    for i in range(n - 1):
        base = w.row_sum[i]
        v1[i], a1[i], v2[i] = np.inf, -1, np.inf
        for x in range(m):
            c = w.w_facility[i, x] + base - F[i, x]
            cand[i, x] = c
            if x == s[i]:
                continue
            if c < v1[i]:
                v2[i] = v1[i]
                v1[i], a1[i] = c, x
            elif c < v2[i]:
                v2[i] = c


@inline
def _leaf(w, grid, F, s, rank, part, scratch, tops):
    """Cost and alpha* of the complete assignment ``s`` (Def. 4.1), into ``part``; ``grid`` is
    ``(alphas, tol)``, ``scratch`` four work arrays (agents' costs and alternatives, open
    facilities' sums), ``tops`` what :func:`_prepare` found for this prefix."""
    alphas, tol = grid
    cost_of, alt_of, fac_cost, fac_alt = scratch
    cand, v1, a1, v2 = tops
    n, m = w.w_facility.shape
    last = n - 1
    sl = s[last]  # F holds agents 0..n-2: the last agent's weight is added where it sits
    for x in range(m):
        fac_cost[x] = -1.0  # -1: closed
        fac_alt[x] = 0.0
    total = 0.0
    for i in range(n):
        si = s[i]
        base = w.row_sum[i]
        extra = w.w_pair[i, last]
        own = base
        alt = np.inf if si < 0 else base  # leaving for none
        if i < last:  # the last agent joins column sl: only that column moves
            if si >= 0:
                own = cand[i, si] - (extra if si == sl else 0.0)
            alt = min(alt, v1[i] if a1[i] != sl else v2[i])
            if sl >= 0 and sl != si:
                alt = min(alt, cand[i, sl] - extra)
        else:
            if si >= 0:
                own = w.w_facility[i, si] + base - F[i, si]
            for x in range(m):
                if x != si:
                    alt = min(alt, w.w_facility[i, x] + base - F[i, x])
        cost_of[i] = own
        alt_of[i] = alt
        total += own
        if si >= 0:
            if fac_cost[si] < 0:
                fac_cost[si] = 0.0
                total += w.facility_cost[si]
            fac_cost[si] += own
            fac_alt[si] += alt
    if total < part.optimum[0] - tol:  # least cost; ties: the lexicographically first
        part.optimum[0] = total
        part.optimum[1] = rank
        for i in range(n):
            part.optimum_assignment[i] = s[i]
    top = alphas[alphas.shape[0] - 1]
    need = 1.0
    for i in range(n):  # every agent: c~_i <= alpha m_i
        if cost_of[i] > alt_of[i] + tol:
            need = max(need, cost_of[i] / alt_of[i] if alt_of[i] > 0 else np.inf)
            if need > top:
                return  # stable at no alpha of the grid
    for x in range(m):  # every open facility: sum of (alpha m_i - c~_i) >= c(f)
        if fac_cost[x] >= 0:
            t_cost = w.facility_cost[x] + fac_cost[x]
            if t_cost > fac_alt[x] + tol:
                need = max(need, t_cost / fac_alt[x] if fac_alt[x] > 0 else np.inf)
                if need > top:
                    return
    t = _bucket(alphas, need)
    part.stable_count[t] += 1
    if total < part.best_cost[t]:  # exact; ties keep the earlier (lexicographic) one
        part.best_cost[t] = total
        part.best_rank[t] = rank
        for i in range(n):
            part.best_assignment[t, i] = s[i]
    if total > part.worst_cost[t]:
        part.worst_cost[t] = total


@kernel
def scan_assignments(w, alphas, tol, fixed, part):
    """Every assignment whose first agents carry the labels ``fixed`` (a block; empty: all),
    into ``part`` (a :class:`~.contracts.Part` of ``new_part``); ``alphas`` ascending, >= 1."""
    n, m = w.w_facility.shape
    nf = fixed.shape[0]
    F = np.zeros((n + 1, n, m))
    s = np.empty(n, dtype=np.int64)
    scratch = (np.empty(n), np.empty(n), np.empty(m), np.empty(m))
    tops = (np.empty((n, m)), np.empty(n), np.empty(n, dtype=np.int64), np.empty(n))
    grid = (alphas, tol)
    radix = m + 1
    prefix_rank = 0
    for d in range(nf):
        s[d] = fixed[d]
        prefix_rank = prefix_rank * radix + (s[d] + 1)
        _push(w, F, s, d)
    rest = 1
    for _ in range(n - nf):
        rest *= radix
    rank = prefix_rank * rest
    if nf == n:
        _prepare(w, F[n - 1], s, tops)
        _leaf(w, grid, F[n - 1], s, rank, part, scratch, tops)
        return
    d = nf
    s[d] = -2
    while d >= nf:
        s[d] += 1
        if s[d] >= m:
            d -= 1  # every label of agent d done: back to agent d - 1
            continue
        if d + 1 == n:  # the leaf adds the last agent's weights itself: no table to fill
            if s[d] == -1:  # a new prefix: the other agents' costs once for its m + 1 leaves
                _prepare(w, F[d], s, tops)
            _leaf(w, grid, F[d], s, rank, part, scratch, tops)
            rank += 1
            continue
        _push(w, F, s, d)
        d += 1
        s[d] = -2
