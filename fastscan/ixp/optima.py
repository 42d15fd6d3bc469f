"""The single-facility optimum s* by three methods: ``exhaustive`` (the kernel over every
assignment; ties to the lexicographically first), ``mincut`` (m <= 2: one minimum s-t cut per
set of open facilities, ERRATA on Thm 7.1) and ``milp`` (IP 18 with one facility per agent, by
HiGHS). All three give the least cost; where several assignments reach it, mincut and milp give
one of them, not necessarily the lexicographically first.
"""

from __future__ import annotations

import itertools
import math

import numpy as np

from ..kernels.ixp.rule import below
from .assignments import exhaustive
from .model import NONE, Instance, social_cost

METHODS = ("exhaustive", "mincut", "milp")


def optimum(inst: Instance, method: str = "exhaustive") -> tuple[np.ndarray, float]:
    """s* and c(s*) by ``method`` (one of :data:`METHODS`; ``auto``: mincut for m <= 2, else
    milp)."""
    if method == "auto":
        method = "mincut" if inst.m <= 2 else "milp"
    if method == "exhaustive":
        values = exhaustive(inst, np.array([1.0]))
        return values["optimum_assignment"].astype(np.int64), float(values["optimum_cost"])
    if method == "mincut":
        return mincut(inst)
    if method == "milp":
        from .multi import solve_ip

        uses = solve_ip(inst, single=True)
        s = np.where(uses.any(axis=1), uses.argmax(axis=1), NONE).astype(np.int64)
        return s, social_cost(inst, s)
    raise ValueError(f"method must be one of {', '.join(METHODS)}, auto (got {method!r})")


def _chains(m: int) -> list[list[int]]:
    """The label orders, one per set of open facilities: none alone, (none, a), and
    (a, none, b), the order that makes the pair costs Monge (ERRATA on Thm 7.1)."""
    out = [[NONE]]
    out += [[NONE, a] for a in range(m)]
    out += [[a, NONE, b] for a, b in itertools.combinations(range(m), 2)]
    return out


def _energy_cut(inst: Instance, labels: list[int]) -> np.ndarray:
    """The least sum of c~_i over assignments using only ``labels`` (a Monge chain), by one
    minimum cut: node (i, k) on the source side iff agent i's label index is >= k."""
    from ..kernels.ixp.contracts import network
    from ..kernels.ixp.mincut import min_cut

    n, k = inst.n, len(labels)
    lab = np.array(labels)
    if k == 1:
        return np.full(n, labels[0], dtype=np.int64)
    theta = np.where(lab[None, :] >= 0, inst.w_facility[:, np.maximum(lab, 0)], 0.0)  # (n, K)
    apart = 1.0 - ((lab[:, None] == lab[None, :]) & (lab[:, None] >= 0))  # E / 2w, (K, K)
    d = apart[1:, 1:] - apart[:-1, 1:] - apart[1:, :-1] + apart[:-1, :-1]  # (K-1, K-1), <= 0
    unary = np.diff(theta, axis=1)  # node (i, k): theta_i(k) - theta_i(k - 1)
    i, j = np.triu_indices(n, 1)
    w = inst.w_pair[i, j]
    keep = w > 0
    i, j, w2 = i[keep], j[keep], 2 * w[keep]
    np.add.at(unary, i, np.outer(w2, np.diff(apart[:, 0])))  # E(x, 0) along x
    np.add.at(unary, j, np.outer(w2, np.diff(apart[0, :])))  # E(0, y) along y
    node = 2 + np.arange(n * (k - 1)).reshape(n, k - 1)
    tails, heads, caps = [], [], []
    for a, b in zip(*np.nonzero(d < 0), strict=True):  # D u_ia u_jb = D u_ia + |D| u_ia (1 - u_jb)
        np.add.at(unary[:, a], i, d[a, b] * w2)
        tails.append(node[i, a])
        heads.append(node[j, b])
        caps.append(-d[a, b] * w2)
    flat = unary.ravel()
    pos, neg = flat > 0, flat < 0
    tails += [node.ravel()[pos], np.zeros(int(neg.sum()), dtype=np.int64)]
    heads += [np.ones(int(pos.sum()), dtype=np.int64), node.ravel()[neg]]
    caps += [flat[pos], -flat[neg]]
    if k > 2:  # u_i,k+1 <= u_i,k: an uncuttable arc (i, k+1) -> (i, k)
        tails.append(node[:, 1:].ravel())
        heads.append(node[:, :-1].ravel())
        caps.append(np.full(n * (k - 2), np.inf))
    nodes = 2 + n * (k - 1)
    net = network(
        nodes, np.concatenate(tails), np.concatenate(heads), np.concatenate(caps).astype(float)
    )
    side = np.zeros(nodes, dtype=np.int64)
    min_cut(net, 0, 1, inst.tol, side)
    return lab[side[node].sum(axis=1)].astype(np.int64)


def mincut(inst: Instance) -> tuple[np.ndarray, float]:
    """s* for m <= 2 facilities: per set of open facilities, the least cost of assignments
    using only those, by one minimum cut; the least over the sets."""
    if inst.m > 2:
        raise ValueError(
            f"method 'mincut' needs m <= 2 facilities (got m={inst.m}); use method 'milp'"
        )
    best, best_cost = None, math.inf
    for labels in _chains(inst.m):
        s = _energy_cut(inst, labels)
        c = social_cost(inst, s)
        if below(c, best_cost, inst.tol):  # ties within tau: the first chain's (rule.py)
            best, best_cost = s, c
    return best, best_cost
