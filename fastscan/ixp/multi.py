"""§7.2: the multi-facility model (an agent may use several facilities; i and j are connected
when they share one), IP 18 and its relaxation LP 19 by HiGHS, and the LP roundings of
Algorithm 1 (Thm 7.2) and Algorithm 2 (Thm 7.3, with ERRATA's corrected rounding). IP 18 with
"at most one facility per agent" is the single-facility optimum (``optimum(method='milp')``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..kernels import elementary
from .model import Instance


@dataclass(frozen=True)
class Program:
    """IP 18 / LP 19 of one instance in HiGHS form: variables x_ik (n*m, agent-major), x_k
    (m), then per pair (i < j) with w(i, j) > 0: x_ij, then x_ijk (pair-major). The objective
    is ``cost * unit``: ``cost`` is divided by ``unit``, the power of 2 at the largest input,
    because HiGHS's tolerances are absolute (so its answers do not depend on the input's scale)."""

    cost: np.ndarray
    unit: float
    a_ub: Any  # scipy.sparse matrix: a_ub @ x <= b_ub
    b_ub: np.ndarray
    n: int
    m: int
    pairs: np.ndarray  # (P, 2)


def program(inst: Instance, single: bool = False) -> Program:
    """IP 18's objective and constraints (eq. 18); ``single`` adds sum_k x_ik <= 1."""
    from scipy import sparse

    n, m = inst.n, inst.m
    i, j = np.triu_indices(n, 1)
    keep = inst.w_pair[i, j] > 0  # a pair without disconnection cost changes nothing
    i, j = i[keep], j[keep]
    p = i.size
    x_ik = np.arange(n * m).reshape(n, m)
    x_k = n * m + np.arange(m)
    x_ij = n * m + m + np.arange(p)
    x_ijk = n * m + m + p + np.arange(p * m).reshape(p, m)
    size = n * m + m + p + p * m
    cost = np.concatenate(
        [inst.w_facility.ravel(), inst.facility_cost, 2 * inst.w_pair[i, j], np.zeros(p * m)]
    )
    unit = math.ldexp(1.0, math.frexp(float(cost.max(initial=0.0)) or 1.0)[1])  # exact division
    rows, cols, vals, rhs = [], [], [], []
    r = 0

    def add(col_sets, coefs, b):  # one block of rows: row t has the t-th entry of each column set
        nonlocal r
        count = np.asarray(col_sets[0]).size
        for c, v in zip(col_sets, coefs, strict=True):
            rows.append(r + np.arange(count))
            cols.append(np.asarray(c).ravel())
            vals.append(np.full(count, float(v)))
        rhs.append(np.full(count, float(b)))
        r += count

    add([x_ijk, x_ik[i]], [1, -1], 0)  # x_ijk <= x_ik
    add([x_ijk, x_ik[j]], [1, -1], 0)  # x_ijk <= x_jk
    add([x_ij] + [x_ijk[:, k] for k in range(m)], [-1] + [-1] * m, -1)  # 1 - x_ij <= sum_k x_ijk
    add([x_ik, np.broadcast_to(x_k, (n, m))], [1, -1], 0)  # x_k >= x_ik
    if single:
        add([x_ik[:, k] for k in range(m)], [1] * m, 1)  # one facility per agent
    a_ub = sparse.csr_array(
        (np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))), shape=(r, size)
    )
    return Program(cost / unit, unit, a_ub, np.concatenate(rhs), n, m, np.stack([i, j], axis=1))


def multi_cost(inst: Instance, uses: Any) -> float:
    """The multi-facility social cost of ``uses`` (n x m, bool: agent i uses facility k): its
    connection costs, every open facility's cost, and 2 w(i, j) for every pair sharing none."""
    x = np.asarray(uses, dtype=bool)
    if x.shape != (inst.n, inst.m):
        raise ValueError(f"uses must have shape {(inst.n, inst.m)} (got {x.shape})")
    shared = (x.astype(np.int64) @ x.T.astype(np.int64)) > 0
    apart = np.where(shared, 0.0, inst.w_pair).sum()  # each unordered pair twice: 2 w(i, j)
    return float(inst.w_facility[x].sum() + inst.facility_cost[x.any(axis=0)].sum() + apart)


def uses_of(s: Any, m: int) -> np.ndarray:
    """A single-facility assignment as multi-facility uses (none: no facility)."""
    s = np.asarray(s, dtype=np.int64)
    return (s[:, None] == np.arange(m)[None, :]) & (s[:, None] >= 0)


@dataclass(frozen=True)
class Relaxation:
    """LP 19's optimum: its value and x*_ik (n x m), x*_k (m)."""

    value: float
    x_agent: np.ndarray
    x_facility: np.ndarray


def lp_relaxation(inst: Instance) -> Relaxation:
    """LP 19 (eq. 19) by HiGHS: a lower bound on the multi-facility optimum."""
    from scipy.optimize import linprog

    prog = program(inst)
    res = linprog(prog.cost, A_ub=prog.a_ub, b_ub=prog.b_ub, bounds=(0, 1), method="highs")
    if res.status != 0:  # always feasible (all zero but x_ij = 1) and bounded
        raise RuntimeError(f"HiGHS could not solve LP 19: {res.message}")
    nm = prog.n * prog.m
    return Relaxation(
        float(res.fun) * prog.unit,
        res.x[:nm].reshape(prog.n, prog.m),
        res.x[nm : nm + prog.m].copy(),
    )


def solve_ip(inst: Instance, single: bool) -> np.ndarray:
    """IP 18 (``single``: with one facility per agent) by HiGHS's MILP: the optimal uses."""
    from scipy.optimize import Bounds, LinearConstraint, milp

    prog = program(inst, single)
    res = milp(
        prog.cost,
        constraints=LinearConstraint(prog.a_ub, -np.inf, prog.b_ub),
        integrality=np.ones(prog.cost.size),
        bounds=Bounds(0, 1),
        options={"mip_rel_gap": 0.0},
    )
    if res.status != 0:
        raise RuntimeError(f"HiGHS could not solve IP 18: {res.message}")
    return res.x[: prog.n * prog.m].reshape(prog.n, prog.m) > 0.5


def multi_optimum(inst: Instance) -> tuple[np.ndarray, float]:
    """The multi-facility optimum (IP 18): the uses (n x m, bool) and their cost; never above
    the single-facility optimum, never below LP 19."""
    uses = solve_ip(inst, single=False)
    return uses, multi_cost(inst, uses)


def algorithm1(inst: Instance, relaxation: Relaxation | None = None) -> tuple[np.ndarray, float]:
    """Algorithm 1: agent i uses k where x*_ik >= 1/(m+1) (HiGHS's 1e-9 feasibility slack
    allowed); cost at most (m+1) LP 19 (Thm 7.2). Returns the uses and their cost."""
    lp = relaxation or lp_relaxation(inst)
    uses = lp.x_agent >= 1.0 / (inst.m + 1) - 1e-9
    return uses, multi_cost(inst, uses)


def runs(n: int) -> int:
    """Algorithm 2's rounds: ceil(4 ln 10n)."""
    return math.ceil(4 * elementary.log(10.0 * n))  # CPU-independent log: the count never moves


def algorithm2(
    inst: Instance, seed: int = 0, relaxation: Relaxation | None = None
) -> tuple[np.ndarray, float]:
    """Algorithm 2 (ERRATA's rounding): in each of ceil(4 ln 10n) runs, one U ~ U[0, 1) per
    facility k and x_ik = [U < x*_ik] (correlated over agents); agent i uses k if some run
    says so. The cost is the rounded uses' own (pairs connected where they share a facility),
    never above the IP value of the paper's returned vector. Returns the uses and their cost."""
    lp = relaxation or lp_relaxation(inst)
    u = np.random.default_rng(int(seed)).random((runs(inst.n), inst.m))
    uses = u.min(axis=0)[None, :] < lp.x_agent  # some run's U below x*_ik
    return uses, multi_cost(inst, uses)
