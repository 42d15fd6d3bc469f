"""One IXP instance solved exactly by enumeration (small n): the optimum s*, the stable states,
Thm 4.3's process, the payments that stabilize s* (Lemma 5.2.1, Thm 5.1, 5.2), and one
instance's cube values (:func:`analyse`). The scan kernels compute the same values in one pass.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..kernels.ixp.rule import at_most, below, first_least, tied
from .model import NONE, Instance, Q, alpha_bounds, alpha_star, is_stable, social_cost
from .optima import optimum as kernel_optimum  # the kernel's s*: instances past 2^20 too

MAX_ENUMERATED = 2**20  # assignments this module walks in Python; the kernels go further


def assignments(inst: Instance):
    """Every assignment in lexicographic order: agent 0 most significant, none < 0 < 1 < ..."""
    if (inst.m + 1) ** inst.n > MAX_ENUMERATED:
        raise ValueError(
            f"instance has (m+1)^n = {inst.m + 1}^{inst.n} assignments, more than "
            f"{MAX_ENUMERATED:,} to enumerate here"
        )
    for s in itertools.product(range(NONE, inst.m), repeat=inst.n):
        yield np.array(s, dtype=np.int64)


def optimum(inst: Instance) -> tuple[np.ndarray, float]:
    """s* by walking every assignment in Python (the slow reference :func:`analyse` uses; the
    public :func:`fastscan.ixp.optimum` runs the kernel): least c(s), ties (within tau) to the
    lexicographically first."""
    best, best_cost = None, math.inf
    for s in assignments(inst):
        c = social_cost(inst, s)
        if below(c, best_cost, inst.tol):
            best, best_cost = s, c
    return best, best_cost


def stable_states(inst: Instance, alpha: float = 1.0) -> list[np.ndarray]:
    """Every alpha-stable assignment (Def. 4.1), in lexicographic order."""
    return [s for s in assignments(inst) if is_stable(inst, s, alpha)]


def _best(dev: np.ndarray, i: int, s: np.ndarray, allowed, tau: float) -> tuple[int, float]:
    """Agent i's cheapest strategy among ``allowed`` (ascending) other than s_i; ties within
    tau: none < 0 < 1 ..."""
    xs = [x for x in allowed if x != s[i]]
    x = xs[first_least(np.array([dev[i, x + 1] for x in xs]), tau)]
    return x, float(dev[i, x + 1])


def process(inst: Instance, start: Any = None) -> tuple[np.ndarray, list[float]]:
    """Thm 4.3's process from ``start`` (default s*), deterministic: the lowest agent with a
    strictly improving move to none or an open facility takes its best; else the lowest open
    facility whose agents' Q sum below its cost closes, each of its agents moving to its best
    alternative; else stop (stable). Returns the final assignment and Phi along the way."""
    from .model import deviation_costs

    s = kernel_optimum(inst)[0] if start is None else inst.check_assignment(start).copy()
    tol = inst.tol
    trail = [potential(inst, s)]
    every = range(NONE, inst.m)
    for _ in range(10 * (inst.n + 1) * (inst.m + 1) ** 2 + 10**4):
        moved = False
        opened = sorted(set(int(f) for f in s[s >= 0]))
        dev = deviation_costs(inst, s)
        own = dev[np.arange(inst.n), s + 1]
        for i in range(inst.n):
            if s[i] == NONE and not opened:  # at none, every facility closed: no move
                continue
            x, c = _best(dev, i, s, [NONE, *opened], tol)
            if below(c, own[i], tol):
                s[i] = x
                moved = True
                break
        if not moved:
            # Q_i = m_i - c~_i (eq. 1), from the same deviation costs
            q = np.array([_best(dev, i, s, every, tol)[1] for i in range(inst.n)]) - own
            for f in opened:
                at = np.flatnonzero(s == f)
                if below(q[at].sum(), inst.facility_cost[f], tol):
                    new = s.copy()
                    for i in at:  # every agent of f to its best alternative in s (never f)
                        new[i] = _best(dev, int(i), s, every, tol)[0]
                    s, moved = new, True
                    break
        if not moved:
            return s, trail
        trail.append(potential(inst, s))
    raise RuntimeError("Thm 4.3's process did not stop")  # Phi falls, so it always stops


def potential(inst: Instance, s: Any) -> float:
    """Phi(s) = sum of c(f) over open f + sum of w(i, s_i) + sum over disconnected unordered
    pairs of w(i, j) (Thm 4.3's potential: each pair once)."""
    s = inst.check_assignment(s)
    conn = (s[:, None] == s[None, :]) & (s[:, None] >= 0)
    pairs = np.triu(np.where(conn, 0.0, inst.w_pair), 1).sum()
    wf = np.where(s >= 0, inst.w_facility[np.arange(inst.n), np.maximum(s, 0)], 0.0).sum()
    return float(inst.facility_cost[np.unique(s[s >= 0])].sum() + wf + pairs)


def delta(inst: Instance, s: Any) -> float:
    """Lemma 5.2.1's payments that stabilize ``s``: sum over agents of max(0, -Q_i(s)), a Q_i
    within tau of 0 being 0 (a tie between staying and leaving needs no payment)."""
    return float(sum(-q for q in Q(inst, s) if below(q, 0.0, inst.tol)))


def doubled(inst: Instance) -> Instance:
    """The instance with every w(i, j) doubled (Thm 5.2)."""
    return Instance(inst.w_facility, 2 * inst.w_pair, inst.facility_cost)


def peering_stable(inst: Instance, s: Any) -> bool:
    """Thm 5.1's network, per open facility f: agents at f pay f and pay each other at most
    w(i, j), each agent's payments out minus in equal to Q_i(s), f receiving at least c(f).
    Feasible iff sum Q_i >= c(f) and a maximum flow routes every positive Q_i: source -> i
    (Q_i > 0), i -> j (w(i, j)), i -> f (unbounded), i -> sink (-Q_i < 0), f -> sink (sum Q_i)."""
    from ..kernels.ixp.contracts import network
    from ..kernels.ixp.mincut import min_cut

    s = inst.check_assignment(s)
    q = Q(inst, s)
    tol = inst.tol
    for f in np.unique(s[s >= 0]):
        at = np.flatnonzero(s == f)
        qa = q[at]
        if below(qa.sum(), inst.facility_cost[f], tol):
            return False  # the facility cannot be paid
        k = at.size
        node = 3 + np.arange(k)  # 0 source, 1 sink, 2 the facility
        wp = inst.w_pair[np.ix_(at, at)]
        i, j = np.nonzero(wp > 0)
        pos, neg = qa > 0, qa < 0
        tails = [np.zeros(int(pos.sum()), np.int64), node[i], node, node[neg], [2]]
        heads = [node[pos], node[j], np.full(k, 2), np.ones(int(neg.sum()), np.int64), [1]]
        caps = [qa[pos], wp[i, j], np.full(k, np.inf), -qa[neg], [max(float(qa.sum()), 0.0)]]
        net = network(
            3 + k,
            np.concatenate(tails).astype(np.int64),
            np.concatenate(heads).astype(np.int64),
            np.concatenate(caps).astype(np.float64),
        )
        flow = min_cut(net, 0, 1, tol * 1e-3, np.zeros(3 + k, dtype=np.int64))
        if not at_most(qa[pos].sum(), flow, tol):  # some positive Q_i cannot be routed
            return False
    return True


@dataclass(frozen=True)
class Analysis:
    """One instance's cube values (the variables of the same names)."""

    alpha: np.ndarray
    stable_count: np.ndarray
    best_stable_cost: np.ndarray
    worst_stable_cost: np.ndarray
    best_stable_assignment: np.ndarray  # (alpha, agent); -2 where nothing is stable
    pos: np.ndarray
    poa: np.ndarray
    optimum_cost: float
    optimum_assignment: np.ndarray
    optimum_alpha: float
    delta: float
    delta_ratio: float
    thm53_slack: float
    doubled_stable: bool
    peering_stable: bool
    process_cost: float


def ratio(x: float, opt: float, tau: float = 0.0) -> float:
    """x / opt, exactly 1 where x ties opt within tau, inf where only opt is 0 within tau (the
    cube's convention for pos and poa: x / 0 = inf, 0 / 0 = 1)."""
    if tied(x, opt, tau):
        return 1.0
    if at_most(opt, 0.0, tau):
        return math.inf
    return x / opt


def analyse(inst: Instance, alpha: Any = 1.0) -> Analysis:
    """Every value the cube holds for one instance, by enumeration, over the alpha grid."""
    alpha = np.atleast_1d(np.asarray(alpha, dtype=np.float64))
    if not (np.isfinite(alpha).all() and (alpha >= 1).all()):
        raise ValueError(f"alpha must be finite numbers >= 1 (got {alpha.tolist()})")
    every = list(assignments(inst))
    tau = inst.tol
    costs = np.array([social_cost(inst, s) for s in every])
    need = np.array([alpha_bounds(inst, s)[0] for s in every])  # the rule's least alpha
    s_opt, c_opt = optimum(inst)
    count = np.zeros(alpha.size, dtype=np.int64)
    best = np.full(alpha.size, np.nan)
    worst = np.full(alpha.size, np.nan)
    best_s = np.full((alpha.size, inst.n), -2, dtype=np.int64)
    for t, a in enumerate(alpha):
        ok = np.flatnonzero(need <= a)
        count[t] = ok.size
        if ok.size:
            k = ok[first_least(costs[ok], tau)]  # ties within tau: the lexicographically first
            best[t], worst[t] = costs[k], costs[ok].max()
            best_s[t] = every[k]
    pos = [ratio(b, c_opt, tau) if c else np.nan for b, c in zip(best, count, strict=True)]
    poa = [ratio(w, c_opt, tau) if c else np.nan for w, c in zip(worst, count, strict=True)]
    d = delta(inst, s_opt)
    at1 = np.flatnonzero(need <= 1.0)
    pos1 = (
        ratio(float(costs[at1[first_least(costs[at1], tau)]]), c_opt, tau) if at1.size else math.inf
    )
    return Analysis(
        alpha=alpha,
        stable_count=count,
        best_stable_cost=best,
        worst_stable_cost=worst,
        best_stable_assignment=best_s,
        pos=np.array(pos),
        poa=np.array(poa),
        optimum_cost=c_opt,
        optimum_assignment=s_opt,
        optimum_alpha=alpha_star(inst, s_opt),
        delta=d,
        delta_ratio=d / c_opt if c_opt > tau else 0.0,
        thm53_slack=1 - 0.4 * pos1 - (d / c_opt if c_opt > tau else 0.0),
        doubled_stable=is_stable(doubled(inst), s_opt, 1.0),
        peering_stable=peering_stable(inst, s_opt),
        process_cost=social_cost(inst, process(inst, s_opt)[0]),
    )
