"""Every assignment of an IXP instance in lexicographic order (agent 0 most significant, none <
0 < 1 ...), by depth-first search with one friend-weight table per depth (so no sum drifts):
F[d, i, x] = sum of w(i, j) over the agents j < d assigned to facility x. At a leaf, agent i's
cost at any strategy is then O(1): c~_i(x) = w(i, x) + W_i - F[i, x], c~_i(none) = W_i (§3).
The social cost of every prefix is kept too (C[d]: what agents 0..d-1 cost among themselves, with
their open facilities), so a leaf's c(s) is O(1) and its stability test stops at the first agent
that would leave at the largest alpha. Every decision (an assignment's alpha* bucket, the ties of
s* and of the best stable state) is :mod:`.rule`'s, the one every Python path uses.

One flat loop: every array is taken out of its record once, before the search, because Numba
reference-counts an array each time a helper or a record hands it over (measured: half the time).
"""

from __future__ import annotations

import numpy as np

from .._numba import kernel
from .rule import alpha_needed, at_most, below


@kernel
def scan_assignments(w, alphas, tol, fixed, part):
    """Every assignment whose first agents carry the labels ``fixed`` (a block; empty: all),
    into ``part`` (a :class:`~.contracts.Part` of ``new_part``); ``alphas`` ascending, >= 1."""
    wf, wp, fc, row, before = w.w_facility, w.w_pair, w.facility_cost, w.row_sum, w.prefix_sum
    counts, best_cost, best_rank = part.stable_count, part.best_cost, part.best_rank
    best_s, worst, opt, opt_s = (
        part.best_assignment,
        part.worst_cost,
        part.optimum,
        part.optimum_assignment,
    )
    n, m = wf.shape
    n_alpha = alphas.shape[0]
    top = alphas[n_alpha - 1]
    last = n - 1
    nf = fixed.shape[0]
    F = np.zeros((n + 1, n, m))  # F[d]: friend weights of the agents before d
    K = np.zeros((n + 1, m), dtype=np.int64)  # K[d, x]: agents before d at x
    C = np.zeros(n + 1)  # C[d]: the cost of agents 0..d-1 among themselves
    s = np.empty(n, dtype=np.int64)
    fac_cost, fac_alt = np.empty(m), np.empty(m)  # an open facility's sums of c~_i and m_i
    cand = np.empty((n, m))  # c~_i(x) without the last agent, per prefix
    v1, v2 = np.empty(n), np.empty(n)  # the two cheapest facilities other than s_i ...
    a1 = np.empty(n, dtype=np.int64)  # ... and the cheapest's index
    lab_lo = np.full(n, -1, dtype=np.int64)  # agent d's labels: lab_lo[d] .. lab_hi[d] - 1
    lab_hi = np.full(n, m, dtype=np.int64)
    for d in range(nf):  # a block: its first agents' labels fixed
        lab_lo[d], lab_hi[d] = fixed[d], fixed[d] + 1
    rank = 0  # the lexicographic index of the block's first assignment
    for d in range(n):
        rank = rank * (m + 1) + (lab_lo[d] + 1)
    d = 0
    s[0] = lab_lo[0] - 1
    while True:
        if d < last:  # advance agent d, push its tables, until every agent before `last` is set
            s[d] += 1
            if s[d] >= lab_hi[d]:
                if d == 0:
                    break
                d -= 1
                continue
            x = s[d]  # agent d joins x: C, K, F of depth d + 1 (fresh copies: no drift)
            add = 2.0 * before[d]
            if x >= 0:
                add = wf[d, x] + 2.0 * (before[d] - F[d, d, x])
                if K[d, x] == 0:
                    add += fc[x]
            C[d + 1] = C[d] + add
            for i in range(n):
                for y in range(m):
                    F[d + 1, i, y] = F[d, i, y]
            for y in range(m):
                K[d + 1, y] = K[d, y]
            if x >= 0:
                K[d + 1, x] += 1
                for i in range(n):
                    F[d + 1, i, x] += wp[i, d]
            d += 1
            if d < last:
                s[d] = lab_lo[d] - 1
                continue
        # --- agent `last`: every other agent's costs once for this prefix, then its leaves
        for i in range(last):
            base = row[i]
            v1[i], a1[i], v2[i] = np.inf, -1, np.inf
            for x in range(m):
                c = wf[i, x] + base - F[last, i, x]
                cand[i, x] = c
                if x == s[i]:
                    continue
                if c < v1[i]:
                    v2[i] = v1[i]
                    v1[i], a1[i] = c, x
                elif c < v2[i]:
                    v2[i] = c
        for sl in range(lab_lo[last], lab_hi[last]):
            s[last] = sl
            # c(s) = the prefix's cost + what the last agent adds: O(1)
            total = C[last] + 2.0 * before[last]
            if sl >= 0:
                total += wf[last, sl] - 2.0 * F[last, last, sl]
                if K[last, sl] == 0:
                    total += fc[sl]
            if below(total, opt[0], tol):  # least cost; ties within tol: the first (rule.py)
                opt[0] = total
                opt[1] = rank
                for i in range(n):
                    opt_s[i] = s[i]
            for x in range(m):
                fac_cost[x] = -1.0  # -1: closed
                fac_alt[x] = 0.0
            need = 1.0
            for i in range(n):  # every agent: c~_i <= alpha m_i; stop at the first beyond top
                si = s[i]
                base = row[i]
                extra = wp[i, last]
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
                        own = wf[i, si] + base - F[last, i, si]
                    for x in range(m):
                        if x != si:
                            alt = min(alt, wf[i, x] + base - F[last, i, x])
                if not at_most(own, alt, tol):  # c~_i <= alpha m_i binds: the one rule
                    need = max(need, alpha_needed(own, alt, tol))
                    if need > top:
                        break
                if si >= 0:
                    if fac_cost[si] < 0:
                        fac_cost[si] = 0.0
                    fac_cost[si] += own
                    fac_alt[si] += alt
            if need <= top:
                for x in range(m):  # every open facility: sum of (alpha m_i - c~_i) >= c(f)
                    if fac_cost[x] >= 0:
                        t_cost = fc[x] + fac_cost[x]
                        if not at_most(t_cost, fac_alt[x], tol):
                            need = max(need, alpha_needed(t_cost, fac_alt[x], tol))
            if need <= top:
                lo_t, hi_t = 0, n_alpha  # the first alpha >= need (alphas ascending)
                while lo_t < hi_t:
                    mid = (lo_t + hi_t) // 2
                    if alphas[mid] >= need:
                        hi_t = mid
                    else:
                        lo_t = mid + 1
                t = lo_t
                counts[t] += 1
                if below(total, best_cost[t], tol):  # ties within tol keep the earlier one
                    best_cost[t] = total
                    best_rank[t] = rank
                    for i in range(n):
                        best_s[t, i] = s[i]
                if total > worst[t]:
                    worst[t] = total
            rank += 1
        if last == 0:
            break
        d = last - 1  # back to the agent before the last
