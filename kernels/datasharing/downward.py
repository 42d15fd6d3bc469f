"""Only the downward-closed coalitions ``S_k`` (the ``k`` cheapest players), ``k = 2..n``.

``n`` can be in the tens of millions, so nothing here is quadratic: per alpha one pass over ``k``
(coefficients computed on the fly, prefix folds shared), and each ``S_k`` touches only the grid
points inside its stability interval. For robust stability ``U(S_k) = L(S_{k+1})`` (Claim 6 with the
cheapest outsider ``k+1``), so robust intervals tile the axis, and Nash intervals lie inside them
(Claim 1): the total work stays near ``n + n_sigma`` per alpha for ordinary profiles.
"""

from __future__ import annotations

import numpy as np

from .. import elementary
from .._numba import kernel
from . import exact, privacy
from .central import central_optimum
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
    DESIGNER,
    coefficient_row,
    log_table,
    lower_s,
    lower_s_designer,
    prefix_fold,
    row_for,
    sc_rows,
    social_cost,
    store_optimum,
    upper_s_designer,
    upper_s_nash,
    upper_s_robust,
)
from .grid import build_index, locate


@kernel
def scan_downward(a, inprefix, priv, s, outs, given):
    """Aggregate ``S_2 .. S_n`` of one profile for each privacy model ``t`` of ``priv``
    (:class:`.privacy.Privacy`) and sorted ``s[j]``.

    ``a`` holds ``(c^2/2)^(1/3)`` ascending; ``inprefix[k]`` is the input-position bitmask of
    ``S_k`` (zeros when ``n > 64``).
    ``outs`` is a :class:`.contracts.CellOutputs` of zeros (its notion axis says how many
    notions: nash, robust[, designer]); sigma ascending. ``given`` (a
    :class:`.contracts.Given`): the costs and sigma as given, for the exact decisions (each
    threshold's grid index is settled in double-double where a grid point lies within the float
    formula's error band, :mod:`.exact`).
    """
    sigma, c = given.sigma, given.c
    count, max_size, min_size = outs.stable_count, outs.max_size, outs.min_size
    grand = outs.grand_stable
    n_notion = count.shape[2]
    n = a.shape[0]
    ns = s.shape[0]
    smax = s[ns - 1]
    kind_lo = np.empty(n_notion, dtype=np.int64)
    kind_hi = np.empty(n_notion, dtype=np.int64)
    for nu in range(n_notion):
        kind_lo[nu], kind_hi[nu] = exact.kinds(nu)
    sp, gt, gb, gs = build_index(s)
    lg = log_table(n)
    Afold = prefix_fold(a)
    cs = np.zeros(n + 1)
    cv = np.zeros(n + 1)
    fs = np.zeros(n + 1)
    fv = np.zeros(n + 1)
    best_sc = np.empty((ns, n_notion))
    best_k = np.zeros((ns, n_notion), dtype=np.int64)
    worst_sc = np.empty((ns, n_notion))
    worst_k = np.zeros((ns, n_notion), dtype=np.int64)
    L = np.empty(n_notion)
    U = np.empty(n_notion)
    opt = (outs.opt_size, outs.opt_social_cost, outs.opt_variance, outs.opt_members)
    bad = (outs.worst_size, outs.worst_social_cost, outs.worst_variance, outs.worst_members)
    for t in range(priv.x.shape[0]):
        pf = (priv, t)
        # the power law's exponents once per alpha, its P and Q inline: the loop it always ran
        power = priv.kind == privacy.POWER
        e, f = privacy.exponents(priv.x[t])
        cnt = count[t]
        mx = max_size[t]
        mn = min_size[t]
        best_sc[:] = np.inf
        best_k[:] = 0
        worst_sc[:] = -np.inf
        worst_k[:] = 0
        if power:
            P1, Q1 = elementary.exp(e * lg[2]), elementary.exp(f * lg[2])
        else:
            P1, Q1 = privacy.pq(pf, 2, lg[2])
        cL = 0.0
        for k in range(2, n + 1):
            # P(k), Q(k) are last step's P(k+1), Q(k+1): the same expressions, the same bits
            P, Q = P1, Q1
            if power:
                P1, Q1 = elementary.exp(e * lg[k + 1]), elementary.exp(f * lg[k + 1])
            else:
                P1, Q1 = privacy.pq(pf, k + 1, lg[k + 1])
            row = coefficient_row(np.float64(k), P, P1, Q, Q1)
            cL, cS = row[C_LOWER], row[C_SC]
            cN1, cN2, cR = row[C_NASH_OUT], row[C_NASH_IN], row[C_ROBUST]
            cs[k] = row[C_SC_CENTRAL]
            cv[k] = row[C_VAR_CENTRAL]
            fs[k] = cS
            fv[k] = row[C_VAR]
            A = Afold[k]
            M = a[k - 1]
            fk = np.float64(k)
            w = privacy.band_of(priv.kind, priv.x[t], priv.h[t], k)
            s_top = smax * (1.0 + 2.0 * w)  # no threshold within the band above the grid
            L[0] = lower_s(A, M, cL)
            L[1] = L[0]
            if n_notion == 3:
                L[2] = lower_s_designer(A, M, fk, row[C_DESIGNER_LOWER])
            if L.min() > s_top:
                continue
            if k == n:
                U[:] = np.inf
            else:
                m_out = a[k]
                U[0] = upper_s_nash(A, m_out, cN1, cN2)
                U[1] = upper_s_robust(A, M, m_out, cR)
                if n_notion == 3:
                    U[2] = upper_s_designer(A, m_out, fk, row[C_DESIGNER_UPPER])
            for nu in range(n_notion):
                if L[nu] > s_top:
                    continue
                lo = locate(sp, gt, gb, gs, L[nu])
                if exact.near(sp, lo, L[nu], w * L[nu]):
                    lo = exact.settle_prefix(sigma, c, lo, kind_lo[nu], k, pf)
                # empty on the grid even with U's band (2w also covers s[lo]'s rounding)
                if lo >= ns or U[nu] * (1.0 + 2.0 * w) <= s[lo]:
                    continue
                c_sc = cS if nu != DESIGNER else cs[k]
                hi = locate(sp, gt, gb, gs, U[nu])
                if U[nu] < np.inf and exact.near(sp, hi, U[nu], w * U[nu]):
                    hi = exact.settle_prefix(sigma, c, hi, kind_hi[nu], k, pf)
                for j in range(lo, hi):
                    cnt[j, nu] += 1
                    mx[j, nu] = k
                    if mn[j, nu] == 0:
                        mn[j, nu] = k
                    sc = social_cost(n, k, s[j], A, c_sc)
                    if sc < best_sc[j, nu]:  # strict: a tie keeps the smaller size
                        best_sc[j, nu] = sc
                        best_k[j, nu] = k
                    if sc >= worst_sc[j, nu]:  # a tie goes to the larger size
                        worst_sc[j, nu] = sc
                        worst_k[j, nu] = k
        for j in range(ns):
            for nu in range(n_notion):
                c_row = sc_rows(nu)[1]
                k = best_k[j, nu]
                c_var = row_for(k, pf)[c_row] if k > 0 else 0.0
                best = (k, best_sc[j, nu], Afold[k], inprefix[k])
                store_optimum(opt, (t, j, nu), n, s[j], best, c_var)
                k = worst_k[j, nu]
                c_var = row_for(k, pf)[c_row] if k > 0 else 0.0
                worst = (k, worst_sc[j, nu], Afold[k], inprefix[k])
                store_optimum(bad, (t, j, nu), n, s[j], worst, c_var)
            L_n = lower_s(Afold[n], a[n - 1], cL)
            w = exact.band(n, pf) * L_n
            grand[t, j] = exact.decide_prefix(sigma[j], s[j], L_n, w, exact.LOWER, c, n, pf)
        central_optimum(
            n,
            Afold,
            cs,
            cv,
            s,
            outs.central_size[t],
            outs.central_social_cost[t],
            outs.central_variance[t],
        )
        # forced participation: the best coalition of each size is S_k (eq. 6 grows with A)
        central_optimum(
            n,
            Afold,
            fs,
            fv,
            s,
            outs.forced_size[t],
            outs.forced_social_cost[t],
            outs.forced_variance[t],
        )
        for j in range(ns):
            k = outs.central_size[t, j]
            if k == 0:
                outs.central_ir[t, j] = True  # vacuously: no member
            else:
                cD = row_for(k, pf)[C_DESIGNER_LOWER]
                LD = lower_s_designer(Afold[k], a[k - 1], np.float64(k), cD)
                w = exact.band(k, pf) * LD
                kind = exact.DESIGNER_LOWER
                outs.central_ir[t, j] = exact.decide_prefix(sigma[j], s[j], LD, w, kind, c, k, pf)
