"""Every assignment of an IXP instance in lexicographic order (agent 0 most significant, none <
0 < 1 ...), by depth-first search over agents 0..n-2 with the last agent's m + 1 labels as the
leaves of each prefix. Agent i's cost at any strategy is c~_i(x) = w(i, x) + W_i - F_i(x),
c~_i(none) = W_i (§3), F_i(x) the weight of i's friends at x; the social cost of every prefix is
kept (C[d]: what agents 0..d-1 cost among themselves, with their open facilities), so a leaf's
c(s) is O(1). Every decision (an assignment's alpha* bucket, the ties of s* and of the best
stable state) is :mod:`.rule`'s, the one every Python path uses.

Where the time went, and why the walk is shaped so (n = 12, m = 3: 4 leaves a prefix):

- friend weights without copies: G[x, c] = w(., j) summed over the first c agents at x in the
  walk, so pushing an agent adds one column (O(n)) and popping it costs nothing; F_i(x) at a
  prefix is G[x, K[x], i]. Each sum is taken in agent order from 0, as a fresh table per depth
  takes it, so no sum drifts (a Gray walk adding and subtracting would drift, and change bits);
- an agent's two costs at every leaf of a prefix (c~_i and its best alternative m_i, hence its
  least alpha) are its "columns", one per last agent's label (only that label's c~_i(x) moves),
  made at once for the prefix, and only when asked: every agent is asked at all of a prefix's
  leaves together, and asking stops once every leaf is beyond the largest alpha (stable at no
  alpha, whichever agent says so), usually at the first agent;
- agents are asked in move-to-front order: the one that stopped the last prefix first, since
  neighbouring prefixes differ in one or two agents and usually fail alike;
- an agent's columns outlive its prefix while neither it nor any friend of it before the last
  agent is pushed again (the same sums, so the same bits): a walk's next prefix moves only the
  agent before the last, so agents that are not its friends are not made again;
- a prefix with a leaf that passes every agent sums its facilities for all its leaves at once,
  in agent order as :func:`.rule.state_alpha` does; each leaf then adds the last agent: O(m).
  (Making every agent's columns in loops the compiler vectorizes, after a prefix that passed,
  was measured: 18 % faster at pair density 1, 10 % slower at 0.5, where columns are reused.)

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
    wfr = np.empty((m, n))  # w(i, x) + W_i: c~_i(x)'s first addition, as (w + W) - F always
    wcol = np.empty((n, n))  # wcol[j, i] = w(i, j): agent j's column, contiguous
    for i in range(n):
        for x in range(m):
            wfr[x, i] = wf[i, x] + row[i]
        for j in range(n):
            wcol[j, i] = wp[i, j]
    Gf = np.zeros(m * n * n)  # G[x, c, i] at (x n + c) n + i: w(i, .) over the walk's first
    at = np.empty(m, dtype=np.int64)  # c agents at x; at[x]: F(x)'s offset at the prefix
    K = np.zeros((n + 1, m), dtype=np.int64)  # K[d, x]: agents before d at x
    C = np.zeros(n + 1)  # C[d]: the cost of agents 0..d-1 among themselves
    s = np.empty(n, dtype=np.int64)
    # per leaf (column sl + 1) of a prefix: facility x's sums of c~_i and m_i over agents < last
    fac_cost, fac_alt = np.empty((m, m + 1)), np.empty((m, m + 1))
    agents_need = np.empty(m + 1)  # ... and the least alpha over every agent's condition
    own = np.empty((m + 1, n))  # own[sl + 1, i]: c~_i at the leaf where the last agent is sl
    alt = np.empty((m + 1, n))  # ... m_i there
    need_of = np.empty((m + 1, n))  # ... the least alpha agent i's condition is decided true
    cand = np.empty((m, n))  # c~_i(x) at the prefix (inf at s_i: not an alternative)
    order = np.arange(n)  # agents in the order leaves ask them: move to front
    made = np.full(n, -1, dtype=np.int64)  # the prefix agent i's columns were made at
    pushed = np.zeros(n, dtype=np.int64)  # the prefix at which agent d was last pushed
    # moves[i]: the deepest agent < last whose push changes i's columns (i, or a friend of i);
    # pushing an agent pushes every deeper one again, so its push time covers them all
    moves = np.full(n, -1, dtype=np.int64)
    for i in range(n):
        for j in range(last):
            if j == i or wp[i, j] != 0.0:
                moves[i] = j
    lab_lo = np.full(n, -1, dtype=np.int64)  # agent d's labels: lab_lo[d] .. lab_hi[d] - 1
    lab_hi = np.full(n, m, dtype=np.int64)
    for d in range(nf):  # a block: its first agents' labels fixed
        lab_lo[d], lab_hi[d] = fixed[d], fixed[d] + 1
    lo_l, hi_l = lab_lo[last], lab_hi[last]  # the leaves' labels
    rank = 0  # the lexicographic index of the block's first assignment
    prefix = 0
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
            x = s[d]  # agent d joins x: C, K of depth d + 1 and x's next friend table
            pushed[d] = prefix + 1
            add = 2.0 * before[d]
            if x >= 0:
                kx = K[d, x]
                g = (x * n + kx) * n  # F(x) before agent d joins
                add = wf[d, x] + 2.0 * (before[d] - Gf[g + d])
                if kx == 0:
                    add += fc[x]
            C[d + 1] = C[d] + add
            for y in range(m):
                K[d + 1, y] = K[d, y]
            if x >= 0:
                K[d + 1, x] = kx + 1
                for i in range(n):
                    Gf[g + n + i] = Gf[g + i] + wcol[d, i]
            d += 1
            if d < last:
                s[d] = lab_lo[d] - 1
                continue
        # --- agent `last`: the prefix's leaves
        prefix += 1
        for x in range(m):
            at[x] = (x * n + K[last, x]) * n
        # every agent, in move-to-front order, at all of the prefix's leaves at once: the
        # least alpha of each leaf over agents so far; stop once every leaf is beyond top
        for y in range(m + 1):
            agents_need[y] = 1.0
        swept = True  # whether some leaf passed every agent
        for p in range(n):
            i = order[p]
            # its columns still hold unless it, or a friend of it before the last agent,
            # was pushed again since they were made: then its c~ and m_i are the same sums
            if made[i] < 0 or (moves[i] >= 0 and pushed[moves[i]] > made[i]):
                made[i] = prefix
                base = row[i]
                if i < last:
                    si = s[i]
                    o, b1, b2, k1 = base, np.inf, np.inf, -1
                    if si >= 0:
                        b1, b2 = base, base
                    for x in range(m):
                        c = wfr[x, i] - Gf[at[x] + i]
                        if x == si:
                            o, c = c, np.inf
                        cand[x, i] = c
                        if c < b1:
                            b2, b1, k1 = b1, c, x
                        else:
                            b2 = min(b2, c)
                    extra = wcol[last, i]
                    own[0, i] = o
                    alt[0, i] = b1
                    for y in range(m):
                        own[y + 1, i] = o - extra if si == y else o
                        alt[y + 1, i] = min(b2 if k1 == y else b1, cand[y, i] - extra)
                else:  # the last agent: its label is the leaf's
                    b1, b2, k1 = np.inf, np.inf, -1
                    for x in range(m):
                        c = wfr[x, i] - Gf[at[x] + i]
                        cand[x, i] = c
                        if c < b1:
                            b2, b1, k1 = b1, c, x
                        else:
                            b2 = min(b2, c)
                    own[0, i] = base
                    alt[0, i] = b1
                    for y in range(m):
                        own[y + 1, i] = cand[y, i]
                        alt[y + 1, i] = min(base, b2 if k1 == y else b1)
                o, b1 = own[0, i], alt[0, i]
                need_of[0, i] = alpha_needed(o, b1, tol)
                for y in range(1, m + 1):  # a leaf whose last agent leaves i as it was: same
                    if own[y, i] == o and alt[y, i] == b1:
                        need_of[y, i] = need_of[0, i]
                    else:
                        need_of[y, i] = alpha_needed(own[y, i], alt[y, i], tol)
            alive = False
            for y in range(m + 1):
                agents_need[y] = max(agents_need[y], need_of[y, i])
            for y in range(lo_l + 1, hi_l + 1):
                alive |= agents_need[y] <= top
            if not alive:  # unstable at every alpha: this agent is asked first next
                for q in range(p, 0, -1):
                    order[q] = order[q - 1]
                order[0] = i
                swept = False
                break
        if swept:  # facilities' sums at every leaf, in agent order: the last agent's last
            for x in range(m):
                for y in range(m + 1):
                    fac_cost[x, y] = 0.0
                    fac_alt[x, y] = 0.0
            for i in range(last):
                si = s[i]
                if si >= 0:
                    for y in range(m + 1):
                        fac_cost[si, y] += own[y, i]
                        fac_alt[si, y] += alt[y, i]
        for sl in range(lo_l, hi_l):
            s[last] = sl
            lane = sl + 1
            # c(s) = the prefix's cost + what the last agent adds: O(1)
            total = C[last] + 2.0 * before[last]
            if sl >= 0:
                total += wf[last, sl] - 2.0 * Gf[at[sl] + last]
                if K[last, sl] == 0:
                    total += fc[sl]
            if below(total, opt[0], tol):  # least cost; ties within tol: the first (rule.py)
                opt[0] = total
                opt[1] = rank
                for i in range(n):
                    opt_s[i] = s[i]
            need = agents_need[lane]  # every agent's condition (beyond top: not all asked)
            if need <= top:  # every open facility: sum of (alpha m_i - c~_i) >= c(f)
                for x in range(m):
                    if K[last, x] > 0 or x == sl:
                        f_cost, f_alt = fac_cost[x, lane], fac_alt[x, lane]
                        if x == sl:
                            f_cost += own[lane, last]
                            f_alt += alt[lane, last]
                        t_cost = fc[x] + f_cost
                        if not at_most(t_cost, f_alt, tol):
                            need = max(need, alpha_needed(t_cost, f_alt, tol))
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
