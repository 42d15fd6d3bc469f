"""The IXP game from its definitions (paper 003, §3-4), slow and obvious: a cost by walking the
agents, stability by asking an LP for budget-balanced prices (Def. 3.4 / 4.1), never via Q."""

from __future__ import annotations

import itertools
from fractions import Fraction

import numpy as np
from scipy.optimize import linprog


def agent_cost(w_facility, w_pair, s, i) -> float:
    """c~_i(s): connection cost plus a disconnection cost per agent not sharing i's facility."""
    total = float(w_facility[i, s[i]]) if s[i] >= 0 else 0.0
    for j in range(len(s)):
        if j != i and not (s[i] >= 0 and s[i] == s[j]):
            total += float(w_pair[i, j])
    return total


def social_cost(w_facility, w_pair, facility_cost, s) -> float:
    opened = {int(f) for f in s if f >= 0}
    agents = sum(agent_cost(w_facility, w_pair, s, i) for i in range(len(s)))
    return float(sum(facility_cost[f] for f in opened)) + agents


def stable_by_lp(w_facility, w_pair, facility_cost, s, alpha, payments=None) -> bool:
    """Is there gamma >= 0, sum over each open facility's agents = c(f), with
    c~_i(s) + gamma_i - payments_i <= alpha c~_i(s'_i, s_-i) for every agent and every other
    strategy (§5.1: a coordinator pays agent i payments_i to stay)?"""
    n, m = w_facility.shape
    s = list(s)
    payers = [i for i in range(n) if s[i] >= 0]
    a_ub, b_ub = [], []
    for i in range(n):
        own = agent_cost(w_facility, w_pair, s, i) - (0.0 if payments is None else payments[i])
        for x in range(-1, m):
            if x == s[i]:
                continue
            other = agent_cost(w_facility, w_pair, s[:i] + [x] + s[i + 1 :], i)
            if s[i] < 0:
                if own > alpha * other + 1e-9:
                    return False
                continue
            row = np.zeros(len(payers))
            row[payers.index(i)] = 1.0
            a_ub.append(row)
            b_ub.append(alpha * other - own)
    if not payers:
        return True
    a_eq, b_eq = [], []
    for f in sorted({s[i] for i in payers}):
        a_eq.append([1.0 if s[i] == f else 0.0 for i in payers])
        b_eq.append(float(facility_cost[f]))
    res = linprog(
        np.zeros(len(payers)),
        A_ub=np.array(a_ub) if a_ub else None,
        b_ub=np.array(b_ub) if b_ub else None,
        A_eq=np.array(a_eq),
        b_eq=np.array(b_eq),
        bounds=[(0, None)] * len(payers),
        method="highs",
    )
    return res.status == 0


def multi_cost(w_facility, w_pair, facility_cost, uses) -> float:
    """§7.2's cost of ``uses`` (agent i uses the facilities ``uses[i]``), walking agents."""
    n, m = w_facility.shape
    total = sum(float(facility_cost[k]) for k in range(m) if any(uses[i][k] for i in range(n)))
    for i in range(n):
        total += sum(float(w_facility[i, k]) for k in range(m) if uses[i][k])
        for j in range(n):
            if j != i and not any(uses[i][k] and uses[j][k] for k in range(m)):
                total += float(w_pair[i, j])
    return total


def multi_optimum(w_facility, w_pair, facility_cost) -> float:
    """The multi-facility optimum by trying every set of uses (tiny instances only)."""
    import itertools

    n, m = w_facility.shape
    best = float("inf")
    for bits in itertools.product((False, True), repeat=n * m):
        uses = [bits[i * m : (i + 1) * m] for i in range(n)]
        best = min(best, multi_cost(w_facility, w_pair, facility_cost, uses))
    return best


def peering_by_lp(w_pair, facility_cost, s, q) -> bool:
    """Thm 5.1 as an LP (HiGHS): per open facility f, payments v_ij in [0, w(i, j)] between its
    agents and v_if >= 0 to f with out - in = Q_i for every agent and sum v_if >= c(f)."""
    for f in sorted({int(x) for x in s if x >= 0}):
        at = [i for i in range(len(s)) if s[i] == f]
        pairs = [(i, j) for i in at for j in at if i != j and w_pair[i, j] > 0]
        nv = len(pairs) + len(at)
        a_eq = np.zeros((len(at), nv))
        for col, (i, j) in enumerate(pairs):
            a_eq[at.index(i), col] += 1.0
            a_eq[at.index(j), col] -= 1.0
        for r in range(len(at)):
            a_eq[r, len(pairs) + r] = 1.0
        a_ub = np.zeros((1, nv))
        a_ub[0, len(pairs) :] = -1.0
        res = linprog(
            np.zeros(nv),
            A_ub=a_ub,
            b_ub=[-facility_cost[f] + 1e-9],
            A_eq=a_eq,
            b_eq=[q[i] for i in at],
            bounds=[(0, w_pair[i, j]) for i, j in pairs] + [(0, None)] * len(at),
            method="highs",
        )
        if res.status != 0:
            return False
    return True


# --- exact arithmetic (fractions on the given floats), ties decided by the stated rule ---


def exact_agent_cost(inst, s, i, x) -> Fraction:
    """c~_i(x, s_-i) exactly: w(i, x) (0 at none) plus w(i, j) for every j not at x."""
    total = Fraction(float(inst.w_facility[i, x])) if x >= 0 else Fraction(0)
    for j in range(inst.n):
        if j != i and not (x >= 0 and s[j] == x):
            total += Fraction(float(inst.w_pair[i, j]))
    return total


def exact_social_cost(inst, s) -> Fraction:
    opened = {int(f) for f in s if f >= 0}
    fc = sum((Fraction(float(inst.facility_cost[f])) for f in opened), Fraction(0))
    return fc + sum((exact_agent_cost(inst, s, i, s[i]) for i in range(inst.n)), Fraction(0))


def exact_conditions(inst, s) -> list[tuple[Fraction, Fraction]]:
    """Def. 4.1's conditions a <= alpha b of ``s``: per agent (c~_i, m_i), per open facility
    (c(f) + sum c~_i, sum m_i)."""
    s = [int(x) for x in s]
    own = [exact_agent_cost(inst, s, i, s[i]) for i in range(inst.n)]
    alt = [
        min(exact_agent_cost(inst, s, i, x) for x in range(-1, inst.m) if x != s[i])
        for i in range(inst.n)
    ]
    out = list(zip(own, alt, strict=True))
    for f in sorted({x for x in s if x >= 0}):
        at = [i for i in range(inst.n) if s[i] == f]
        a = Fraction(float(inst.facility_cost[f])) + sum(own[i] for i in at)
        out.append((a, sum(alt[i] for i in at)))
    return out


def exact_stable(inst, s, alpha: float) -> bool:
    """The stated rule in exact arithmetic: a <= alpha b holds iff a <= b + tau, or b > tau and
    a <= alpha (b + tau); tau = inst.tol (the float, exactly)."""
    tau, al = Fraction(inst.tol), Fraction(float(alpha))
    return all(
        a <= b + tau or (b > tau and a <= al * (b + tau)) for a, b in exact_conditions(inst, s)
    )


def exact_alpha_star(inst, s) -> Fraction | float:
    """alpha*(s) exactly: the largest a / b of a condition failing at 1 beyond tau (inf where
    its b is 0 within tau), at least 1."""
    tau = Fraction(inst.tol)
    star: Fraction | float = Fraction(1)
    for a, b in exact_conditions(inst, s):
        if a <= b + tau:
            continue
        star = float("inf") if b <= tau else max(star, a / b)
    return star


def exact_optimum(inst) -> tuple[list[int], Fraction]:
    """s*: the lexicographically first assignment whose exact cost is within tau of the least."""
    every = [list(s) for s in itertools.product(range(-1, inst.m), repeat=inst.n)]
    costs = [exact_social_cost(inst, s) for s in every]
    least = min(costs)
    k = next(k for k, c in enumerate(costs) if c <= least + Fraction(inst.tol))
    return every[k], costs[k]
