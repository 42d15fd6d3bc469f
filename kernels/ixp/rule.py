"""The IXP game's one decision rule, written once: the exhaustive kernel inlines these helpers
and every Python path (``model``, ``solve``, ``optima``, ``report``) calls them compiled.

Every decision of the game compares two costs, each a sum of the instance's inputs. Paths sum
in different orders (the kernel as ``w + sum w - F``, Python directly), so costs that are equal
in exact arithmetic differ by rounding; the rule decides within a tolerance tau that covers it:

- ``tau = REL * S``, S the instance's total weight (every w(i, f), every w(i, j) and every c(f)
  summed): each cost is a sum of at most S, and its rounding error in any order stays within a
  few ``n 2^-53 S`` (< 1e-14 S for the kernel's n <= 40), so ``REL = 1e-12`` covers it many
  times over while lying far below any difference of inputs given to 12 significant digits;
  relative to S, so scaling every input by any positive factor scales tau with it;
- ``a <= b`` is decided as ``a <= b + tau``, a strict improvement ``a < b`` as ``a < b - tau``,
  and ``|a - b| <= tau`` is a tie (the lexicographically first assignment wins);
- alpha-stability (Def. 4.1) asks ``a <= alpha b`` of every agent (a = c~_i, b = m_i) and every
  open facility (a = c(f) + sum c~_i, b = sum m_i); it is decided as ``a <= alpha (b + tau)``
  (the tolerance scales with the side alpha multiplies), so a condition that holds at alpha = 1
  within tau never binds, and one whose b is 0 within tau is never met: the least alpha a
  condition accepts is :func:`alpha_needed`, ``a / (b + tau)``, just below the plain ratio
  ``alpha*(s) = a / b`` the tables print (:func:`alpha_ratio`), so a state is stable at its own
  alpha*(s), and at any alpha within rounding of it, in every path.
"""

from __future__ import annotations

import numpy as np

from .._numba import inline, kernel

REL = 1e-12  # tau = REL * S: see the module docstring for why this size
# HiGHS's values (IP 18, LP 19) are compared within its own accuracy, SOLVER_REL * S: its gaps
# and tolerances are ~1e-6 on the objective normalized to the largest input (multi.py)
SOLVER_REL = 1e-6


@inline
def tolerance(total):
    """tau for an instance of total weight ``total`` (S)."""
    return REL * total


@inline
def at_most(a, b, tau):
    """``a <= b`` within tau (ties count)."""
    return a <= b + tau


@inline
def below(a, b, tau):
    """``a < b`` by more than tau: a strict improvement (ties are not)."""
    return a < b - tau


@inline
def tied(a, b, tau):
    """``|a - b| <= tau``: a tie (the lexicographically first assignment wins)."""
    return abs(a - b) <= tau


@inline
def alpha_needed(a, b, tau):
    """The least alpha at which ``a <= alpha b`` is decided true: 1 when it holds at alpha = 1
    within tau, inf when b is 0 within tau, else ``a / (b + tau)``."""
    if a <= b + tau:
        return 1.0
    if b <= tau:
        return np.inf
    return a / (b + tau)


@inline
def alpha_ratio(a, b, tau):
    """alpha*'s term for ``a <= alpha b`` as printed: 1, inf or the plain ratio ``a / b``
    (never below :func:`alpha_needed`)."""
    if a <= b + tau:
        return 1.0
    if b <= tau:
        return np.inf
    return a / b


@kernel
def state_alpha(own, alt, s, facility_cost, tau):
    """One assignment's (least alpha decided stable, alpha*(s)) from every agent's cost ``own``
    and best alternative ``alt``: the agents' conditions, then every open facility's, its sums
    taken in agent order as the exhaustive kernel takes them."""
    n, m = own.shape[0], facility_cost.shape[0]
    need, star = 1.0, 1.0
    fac_cost, fac_alt = np.full(m, -1.0), np.zeros(m)  # -1: closed
    for i in range(n):
        need = max(need, alpha_needed(own[i], alt[i], tau))
        star = max(star, alpha_ratio(own[i], alt[i], tau))
        if s[i] >= 0:
            if fac_cost[s[i]] < 0:
                fac_cost[s[i]] = 0.0
            fac_cost[s[i]] += own[i]
            fac_alt[s[i]] += alt[i]
    for x in range(m):
        if fac_cost[x] >= 0:
            a = facility_cost[x] + fac_cost[x]
            need = max(need, alpha_needed(a, fac_alt[x], tau))
            star = max(star, alpha_ratio(a, fac_alt[x], tau))
    return need, star


@kernel
def first_least(values, tau):
    """The kept index of a walk in order that replaces its choice only by a value below it by
    more than tau (the kernels' rule for s* and the best stable state): where values differ by
    rounding or by far more than tau, the first index within tau of the least."""
    best = 0
    for k in range(1, values.shape[0]):
        if below(values[k], values[best], tau):
            best = k
    return best


@inline
def better(cost_y, rank_y, cost_x, rank_x, tau):
    """Whether y (cost, lexicographic rank; rank -1: nothing) beats x as the least cost: below
    it by more than tau, or tied within tau and lexicographically first."""
    if below(cost_y, cost_x, tau):
        return True
    if below(cost_x, cost_y, tau):
        return False
    return 0 <= rank_y and (rank_x < 0 or rank_y < rank_x)


@kernel
def better_each(cost_y, rank_y, cost_x, rank_x, tau):
    """:func:`better` element by element (blocks' parts merged, buckets accumulated)."""
    out = np.empty(cost_y.shape[0], dtype=np.bool_)
    for t in range(cost_y.shape[0]):
        out[t] = better(cost_y[t], rank_y[t], cost_x[t], rank_x[t], tau)
    return out
