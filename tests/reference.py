"""Slow reference written from the paper's definitions, not from its closed forms.

Burdens are Definition 5; each player's epsilon is found by numerically minimizing its own burden
(Section 3.1: the best response, unique because the burden is convex in epsilon); Nash stability is
Definition 7 (the entrant re-optimizes its own epsilon, members keep theirs) and robust stability is
Definition 8 (everyone in S + {j} re-optimizes). Nothing here uses Lemma 2 or Claims 5 and 6.
The designer notion (issue 12) is Definition 7 with the epsilon that minimizes the social cost of
Definition 6 (Lemma 1's, found numerically here) announced for every coalition.
"""

from __future__ import annotations

import itertools
import math
from functools import cache

from scipy.optimize import minimize_scalar


@cache
def best_eps(c: float, k: int, alpha: float) -> float:
    """Epsilon minimizing a member's burden in a size-k coalition (others' epsilon fixed).

    Definition 5 makes the burden separable: only ``2/(k^2 eps^2) + c k^alpha eps`` depends on
    this player's epsilon, so the minimizer does not depend on the others' choices.
    """
    scale = c * float(k) ** alpha

    def own(t: float) -> float:
        return 2.0 / (k * k) * math.exp(-2.0 * t) + scale * math.exp(t)

    res = minimize_scalar(
        own, bounds=(-60.0, 60.0), method="bounded", options={"xatol": 1e-11, "maxiter": 2000}
    )
    # polish to machine precision: Newton on d(own)/dt, differentiated from Definition 5
    t = res.x
    for _ in range(6):
        d1 = -4.0 / (k * k) * math.exp(-2.0 * t) + scale * math.exp(t)
        d2 = 8.0 / (k * k) * math.exp(-2.0 * t) + scale * math.exp(t)
        t -= d1 / d2
    return math.exp(t)


@cache
def designer_eps(c: float, k: int, alpha: float) -> float:
    """Epsilon minimizing the social cost (Definition 6) of a size-k coalition: the cost is
    separable, this player's part is ``2/(k eps^2) + c k^alpha eps`` (proof of Lemma 1)."""
    scale = c * float(k) ** alpha

    def own(t: float) -> float:
        return 2.0 / k * math.exp(-2.0 * t) + scale * math.exp(t)

    res = minimize_scalar(
        own, bounds=(-60.0, 60.0), method="bounded", options={"xatol": 1e-11, "maxiter": 2000}
    )
    t = res.x
    for _ in range(6):
        d1 = -4.0 / k * math.exp(-2.0 * t) + scale * math.exp(t)
        d2 = 8.0 / k * math.exp(-2.0 * t) + scale * math.exp(t)
        t -= d1 / d2
    return math.exp(t)


def eps_of(cs: list[float], alpha: float, notion: str) -> list[float]:
    """Every member's epsilon: the designer's under ``designer``, else each one's best response."""
    k = len(cs)
    pick = designer_eps if notion == "designer" else best_eps
    return [pick(c, k, alpha) for c in cs]


def social_cost(costs: list[float], alpha: float, s: float, S, notion: str) -> float:
    """Definition 6: every burden summed, outsiders' sigma^2 included (``S`` empty: n s)."""
    cs = [costs[i] for i in S]
    if not cs:
        return len(costs) * s
    return sum(burdens(s, cs, eps_of(cs, alpha, notion), alpha)) + (len(costs) - len(cs)) * s


def variance(costs: list[float], alpha: float, s: float, S, notion: str) -> float:
    """The estimator's variance: the first two terms of Definition 5 (``S`` empty: s)."""
    cs = [costs[i] for i in S]
    if not cs:
        return s
    k = len(cs)
    return s / k + 2.0 / (k * k) * sum(1.0 / (e * e) for e in eps_of(cs, alpha, notion))


def burdens(s: float, costs: list[float], eps: list[float], alpha: float) -> list[float]:
    """Definition 5 for every member of a coalition with the given epsilon profile."""
    k = len(costs)
    acc = s / k + 2.0 / (k * k) * sum(1.0 / (e * e) for e in eps)
    return [acc + c * float(k) ** alpha * e for c, e in zip(costs, eps, strict=True)]


def _members_stay(s, cs, alpha):
    k = len(cs)
    eps = [best_eps(c, k, alpha) for c in cs]
    return all(b <= s for b in burdens(s, cs, eps, alpha)), eps


def is_stable(costs, alpha, s, S, notion) -> bool:
    """Definition 7 (``notion='nash'``) or 8 (``'robust'``) for coalition ``S`` at ``s``;
    ``'designer'``: Definition 7 with the designer's epsilon for ``S`` and for ``S + {j}``."""
    cs = [costs[i] for i in S]
    k = len(cs)
    if notion == "designer":
        if any(b > s for b in burdens(s, cs, eps_of(cs, alpha, notion), alpha)):
            return False
        for j in range(len(costs)):
            if j not in S:
                ce = cs + [costs[j]]
                if burdens(s, ce, eps_of(ce, alpha, notion), alpha)[-1] <= s:
                    return False  # j gains by joining
        return True
    stay, eps = _members_stay(s, cs, alpha)
    if not stay:
        return False
    for j in range(len(costs)):
        if j in S:
            continue
        if notion == "nash":
            ej = best_eps(costs[j], k + 1, alpha)
            if burdens(s, cs + [costs[j]], eps + [ej], alpha)[-1] <= s:
                return False  # j gains by joining alone
        else:
            if _members_stay(s, cs + [costs[j]], alpha)[0]:
                return False  # j can validly enter
    return True


def interval_s(costs, alpha, S, notion) -> tuple[float, float]:
    """``[L, U)`` in ``s = sigma^2`` on which ``S`` is stable, from the definitions.

    Every burden is ``s/m + C`` with ``C`` its value at ``s = 0`` (epsilon does not depend on s),
    so each condition ``burden <= s`` is ``s >= C m / (m - 1)``.
    """
    cs = [costs[i] for i in S]
    k = len(cs)
    eps = eps_of(cs, alpha, notion)
    L = max(b * k / (k - 1) for b in burdens(0.0, cs, eps, alpha))
    U = math.inf
    for j in range(len(costs)):
        if j in S:
            continue
        if notion == "designer":
            ce = cs + [costs[j]]
            C = burdens(0.0, ce, eps_of(ce, alpha, notion), alpha)[-1]
            U = min(U, C * (k + 1) / k)
        elif notion == "nash":
            ej = best_eps(costs[j], k + 1, alpha)
            C = burdens(0.0, cs + [costs[j]], eps + [ej], alpha)[-1]
            U = min(U, C * (k + 1) / k)
        else:
            ce = cs + [costs[j]]
            ee = [best_eps(c, k + 1, alpha) for c in ce]
            U = min(U, max(b * (k + 1) / k for b in burdens(0.0, ce, ee, alpha)))
    return L, U


def all_coalitions(n: int):
    """Every subset of ``range(n)`` of size >= 2, as sorted tuples."""
    for k in range(2, n + 1):
        yield from itertools.combinations(range(n), k)


def near(x: float, edge: float, rel: float = 1e-9) -> bool:
    """``x`` lies within rounding reach of a threshold."""
    return math.isfinite(edge) and abs(x - edge) <= rel * abs(edge)
