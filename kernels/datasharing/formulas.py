"""Closed forms of the paper, as every kernel evaluates them.

Notation: ``a_j = (c_j^2 / 2)^(1/3)`` (Claims 5, 6), ``A = sum_{j in S} a_j`` folded in ascending
cost order, ``M = max_{j in S} a_j``, ``m = a`` of the cheapest outsider, ``k = |S|``,
``s = sigma^2``, ``P(k) = k^((2 alpha + 1) / 3)`` and ``Q(k) = k^((2 alpha - 1) / 3)`` for the
paper's ``f(k) = k^alpha``, ``P_f`` and ``Q_f`` of :mod:`.privacy` for any other ``f``.

Both stability conditions are linear in ``s``, so a coalition is stable exactly on a half-open
interval ``L <= s < U`` (Claims 5 and 6), and the minimum over outsiders in both claims is attained
at the cheapest outsider. Each formula is split into per-(alpha, k) coefficients, built once by
:func:`coefficients`, and a cheap per-coalition part; every kernel uses both, so the all-subsets,
downward and point kernels agree bit for bit on the same coalition.
"""

from __future__ import annotations

import numpy as np

from .. import elementary
from .._numba import inline, kernel
from . import privacy

NASH = 0
ROBUST = 1
DESIGNER = 2  # Lemma 1's epsilon announced by the designer; players only join or leave

# rows of the coefficient table
C_LOWER = 0  # L = (A + 2M) * c
C_NASH_OUT = 1  # U_nash = m * c1 + A * c2
C_NASH_IN = 2
C_ROBUST = 3  # U_robust = (A + m + 2 max(M, m)) * c
C_SC = 4  # SC_d = (n + 1 - k) s + A * c
C_VAR = 5  # Var_d = s / k + A * c
C_SC_CENTRAL = 6  # SC_c = (n + 1 - k) s + A_k * c
C_VAR_CENTRAL = 7  # Var_c = s / k + A_k * c
C_DESIGNER_LOWER = 8  # L_designer = (A + 2 k M) * c
C_DESIGNER_UPPER = 9  # U_designer = (A + (2k + 3) m) * c
N_COEF = 10


@inline
def coefficient_row(fk, P, P1, Q, Q1):
    """The ``C_*`` coefficients of size ``k`` from ``P(k)``, ``P(k+1)``, ``Q(k)``, ``Q(k+1)``.

    Claim 5: ``(k-1) s >= (A + 2M) P(k)`` and ``k(k+1) s < 3m (k+1) P(k+1) + A k P(k)``.
    Claim 6: ``k s < (A + m + 2 max(M, m)) P(k+1)``. Eq. (5), (6): ``Var_d = s/k + A P(k)/k``,
    ``SC_d = (n+1-k) s + (k+2) A P(k)/k``. Eq. (2), (3): ``Var_c = s/k + A Q(k)/k``,
    ``SC_c = (n+1-k) s + 3 A Q(k)``. Designer's epsilon (Lemma 1 in Def. 5): member burden
    ``B_i = s/k + A Q(k)/k + 2 a_i Q(k)``, so ``B_i <= s`` iff ``(k-1) s >= (A + 2k a_i) Q(k)``,
    and an outsider's ``B_j(S + j) > s`` iff ``k s < (A + (2k+3) a_j) Q(k+1)``.
    """
    return (
        P / (fk - 1.0),
        3.0 * P1 / fk,
        P / (fk + 1.0),
        P1 / fk,
        (fk + 2.0) * P / fk,
        P / fk,
        3.0 * Q,
        Q / fk,
        Q / (fk - 1.0),
        Q1 / fk,
    )


@kernel
def log_table(n):
    """``log(k)`` for ``k = 0..n+1`` (index 0 unused), shared by every alpha (CPU-independent:
    :mod:`fastscan.kernels.elementary`, as every power of ``k`` below)."""
    t = np.zeros(n + 2)
    for k in range(1, n + 2):
        t[k] = elementary.log(np.float64(k))
    return t


@inline
def row_for(k, pf):
    """The coefficient row of size ``k`` for the privacy model ``pf`` (:mod:`.privacy`)."""
    fk = np.float64(k)
    P, Q = privacy.pq(pf, k, elementary.log(fk))
    P1, Q1 = privacy.pq(pf, k + 1, elementary.log(fk + 1.0))
    return coefficient_row(fk, P, P1, Q, Q1)


@kernel
def coefficients(n, pf):
    """Per-size coefficients ``C[row, k]`` for ``k = 0..n`` (rows ``C_*``; ``k < 2`` unused)."""
    C = np.zeros((N_COEF, n + 1))
    for k in range(2, n + 1):
        row = row_for(k, pf)
        for r in range(N_COEF):
            C[r, k] = row[r]
    return C


@inline
def lower_s(A, M, c_lower):
    """Smallest ``s`` at which no member wants to leave (Claims 5 and 6, first condition)."""
    return (A + 2.0 * M) * c_lower


@inline
def upper_s_nash(A, m_out, c_out, c_in):
    """First ``s`` at which the cheapest outsider gains by joining alone (Claim 5, second)."""
    return m_out * c_out + A * c_in


@inline
def upper_s_robust(A, M, m_out, c_robust):
    """First ``s`` at which the cheapest outsider can validly enter (Claim 6, second)."""
    return (A + m_out + 2.0 * max(M, m_out)) * c_robust


@inline
def lower_s_designer(A, M, k, c):
    """Smallest ``s`` at which no member leaves under the designer's epsilon (Def. 7, first)."""
    return (A + 2.0 * k * M) * c


@inline
def upper_s_designer(A, m_out, k, c):
    """First ``s`` at which the cheapest outsider gains by joining under the epsilon announced
    for ``S + j`` (Def. 7, second)."""
    return (A + (2.0 * k + 3.0) * m_out) * c


@inline
def social_cost(n, k, s, A, c):
    """Social cost ``(n+1-k) s + A c``: eq. (6) with ``C_SC``, eq. (3) with ``C_SC_CENTRAL``."""
    return (n + 1.0 - k) * s + A * c


@inline
def variance(k, s, A, c):
    """Estimator variance ``s/k + A c``: eq. (5) with ``C_VAR``, eq. (2) with ``C_VAR_CENTRAL``."""
    return s / k + A * c


@inline
def store_optimum(dest, cell, n, s, best, c_var):
    """Write coalition ``best = (k, sc, A, members)`` of cell ``(t, j, nu)`` into ``dest``, the
    ``(size, social_cost, variance, members)`` arrays of the best or worst stable coalition;
    size 0 means none is stable, stored as the empty coalition (social cost ``n s``, variance
    ``s``: Section 6's convention)."""
    t, j, nu = cell
    k, sc, A, members = best
    size, social, var, mem = dest
    size[t, j, nu] = k
    if k > 0:
        social[t, j, nu] = sc
        var[t, j, nu] = variance(k, s, A, c_var)
        mem[t, j, nu] = members
    else:
        social[t, j, nu] = n * s
        var[t, j, nu] = s
        mem[t, j, nu] = 0


@inline
def sc_rows(nu):
    """The coefficient rows ``(social cost, variance)`` of notion ``nu``: a coalition costs
    SC_d / Var_d under nash and robust (eq. 5, 6), SC_c / Var_c under the designer's epsilon
    (eq. 2, 3)."""
    if nu == DESIGNER:
        return C_SC_CENTRAL, C_VAR_CENTRAL
    return C_SC, C_VAR


@kernel
def prefix_fold(a):
    """``A[k] = a[0] + ... + a[k-1]``, summed left to right (the fold every kernel uses)."""
    A = np.zeros(a.shape[0] + 1)
    acc = 0.0
    for i in range(a.shape[0]):
        acc = acc + a[i]
        A[i + 1] = acc
    return A
