"""Every assignment of an IXP instance (or a block of them: its first agents' labels fixed)
through the exhaustive kernel, blocks merged exactly, buckets accumulated over the alpha grid.
The kernel's driver only: :mod:`.optima` and :mod:`.compute` build on it, it imports neither."""

from __future__ import annotations

import numpy as np

from ..kernels.ixp.contracts import Part, Weights, new_part
from ..kernels.ixp.rule import better, better_each
from .model import Instance

MAX_ASSIGNMENTS = 2**40  # (m+1)^n beyond this is refused: --method optimum does without


def weights(inst: Instance) -> Weights:
    """The kernel's view of an instance."""
    return Weights(
        np.ascontiguousarray(inst.w_facility),
        np.ascontiguousarray(inst.w_pair),
        np.ascontiguousarray(inst.facility_cost),
        inst.w_pair.sum(axis=1),
        np.tril(inst.w_pair, -1).sum(axis=1),
    )


def check_alpha(alpha) -> np.ndarray:
    """An alpha grid: finite, >= 1, ascending."""
    arr = np.atleast_1d(np.asarray(alpha, dtype=np.float64))
    if arr.ndim != 1 or arr.size == 0:
        raise ValueError(f"alpha must be a number or a 1-D grid (got shape {arr.shape})")
    if not (np.isfinite(arr).all() and (arr >= 1).all()):
        raise ValueError(f"alpha must be finite numbers >= 1 (got {arr.tolist()})")
    if (np.diff(arr) <= 0).any():
        raise ValueError("alpha must be strictly ascending")
    return arr


def compute_block(inst: Instance, alpha: np.ndarray, fixed=()) -> Part:
    """The assignments whose first agents carry the labels ``fixed`` (all when empty)."""
    from ..kernels.ixp.exhaustive import scan_assignments

    if (inst.m + 1) ** inst.n > MAX_ASSIGNMENTS:
        raise ValueError(
            f"an instance of n={inst.n} agents and m={inst.m} facilities has (m+1)^n = "
            f"{float((inst.m + 1) ** inst.n):.3g} assignments, more than 2^40 to enumerate; "
            f"use method 'optimum' for large instances"
        )
    part = new_part(alpha.size, inst.n)
    fixed = np.asarray(fixed, dtype=np.int64)
    scan_assignments(weights(inst), alpha, inst.tol, fixed, part)
    part.optimum[2] = inst.tol  # the merge's tie tolerance travels with the part
    return part


def merge(x: Part, y: Part) -> Part:
    """Two blocks' parts combined: counts add, the best per bucket and the optimum are the
    least cost (ties within tau: the least rank), the worst the largest cost."""
    tol = max(x.optimum[2], y.optimum[2])
    take = better_each(y.best_cost, y.best_rank, x.best_cost, x.best_rank, tol)
    ox, oy = x.optimum, y.optimum
    opt_y = better(oy[0], oy[1], ox[0], ox[1], tol)
    return Part(
        x.stable_count + y.stable_count,
        np.where(take, y.best_cost, x.best_cost),
        np.where(take, y.best_rank, x.best_rank),
        np.where(take[:, None], y.best_assignment, x.best_assignment),
        np.maximum(x.worst_cost, y.worst_cost),
        oy.copy() if opt_y else ox.copy(),
        y.optimum_assignment.copy() if opt_y else x.optimum_assignment.copy(),
    )


def finish(part: Part) -> dict[str, np.ndarray]:
    """Per-alpha values from per-bucket ones: an assignment stable at alpha[t] is stable at
    every larger alpha, so counts add up and the best and worst run over the buckets."""
    count = np.cumsum(part.stable_count)
    best = part.best_cost.copy()
    rank = part.best_rank.copy()
    assignment = part.best_assignment.copy()
    tol = part.optimum[2]
    for t in range(1, best.size):
        if better(best[t - 1], rank[t - 1], best[t], rank[t], tol):
            best[t], rank[t], assignment[t] = best[t - 1], rank[t - 1], assignment[t - 1]
    worst = np.maximum.accumulate(part.worst_cost)
    none = count == 0
    return {
        "stable_count": count,
        "best_stable_cost": np.where(none, np.nan, best),
        "worst_stable_cost": np.where(none, np.nan, worst),
        "best_stable_assignment": np.where(none[:, None], -2, assignment),
        "optimum_cost": np.float64(part.optimum[0]),
        "optimum_assignment": part.optimum_assignment,
    }


def block_labels(block: int, k: int, radix: int) -> np.ndarray:
    """Block ``block``'s labels of the first ``k`` agents (agent 0 most significant)."""
    digits = np.zeros(k, dtype=np.int64)
    for d in range(k - 1, -1, -1):
        block, digits[d] = divmod(block, radix)
    return digits - 1


def exhaustive(inst: Instance, alpha, split: int = 0) -> dict[str, np.ndarray]:
    """Every assignment of ``inst`` through the kernel, in ``(m+1)^split`` blocks by the labels
    of the first ``split`` agents (merged exactly): the per-alpha values and the optimum."""
    from functools import reduce

    alpha = check_alpha(alpha)
    radix = inst.m + 1
    parts = (compute_block(inst, alpha, block_labels(b, split, radix)) for b in range(radix**split))
    return finish(reduce(merge, parts))


def scan_grid(alpha: np.ndarray) -> np.ndarray:
    """The kernel's alpha grid: the scan's and 1 (Thm 5.3's slack uses pos at alpha = 1)."""
    return np.union1d([1.0], alpha)
