"""The IXP game's compute: an instance (or a block of it: its first agents' labels fixed)
through the exhaustive kernel, blocks merged exactly, buckets accumulated over the alpha grid."""

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


def optimum_values(inst: Instance, s_opt: np.ndarray, c_opt: float, width: int) -> dict:
    """s*'s values: its payments (Lemma 5.2.1), alpha*, Thm 5.1's and 5.2's stability, where
    Thm 4.3's process stops."""
    from .model import alpha_star, is_stable, social_cost
    from .solve import delta, doubled, peering_stable, process

    optimum = np.full(width, -2, dtype=np.int32)
    optimum[: inst.n] = s_opt
    d = delta(inst, s_opt)
    return {
        "optimum_cost": np.float64(c_opt),
        "optimum_assignment": optimum,
        "optimum_alpha": np.float64(alpha_star(inst, s_opt)),
        "delta": np.float64(d),
        "delta_ratio": np.float64(d / c_opt if c_opt > inst.tol else 0.0),
        "doubled_stable": np.bool_(is_stable(doubled(inst), s_opt, 1.0)),
        "peering_stable": np.bool_(peering_stable(inst, s_opt)),
        "process_cost": np.float64(social_cost(inst, process(inst, s_opt)[0])),
    }


def instance_values(
    inst: Instance, alpha: np.ndarray, width: int, part: Part | None = None
) -> dict[str, np.ndarray]:
    """One instance's cube values over ``alpha`` (ascending), assignments padded to ``width``
    agents: the kernel's per-alpha values (``part``: its blocks merged over
    :func:`scan_grid`; else every assignment now), then s*'s payments, process and theorems."""
    from .solve import ratio

    grid = scan_grid(alpha)
    values = exhaustive(inst, grid) if part is None else finish(part)
    keep = np.searchsorted(grid, alpha)
    c_opt = float(values["optimum_cost"])
    pos = np.array([ratio(c, c_opt, inst.tol) for c in values["best_stable_cost"]])
    poa = np.array([ratio(c, c_opt, inst.tol) for c in values["worst_stable_cost"]])
    count = values["stable_count"]
    pos[count == 0] = np.nan
    poa[count == 0] = np.nan
    assignment = np.full((alpha.size, width), -2, dtype=np.int32)
    assignment[:, : inst.n] = values["best_stable_assignment"][keep]
    out = optimum_values(inst, values["optimum_assignment"], c_opt, width)
    return {
        "stable_count": count[keep],
        "best_stable_cost": values["best_stable_cost"][keep],
        "worst_stable_cost": values["worst_stable_cost"][keep],
        "best_stable_assignment": assignment,
        "pos": pos[keep],
        "poa": poa[keep],
        **out,
        "thm53_slack": np.float64(1 - 0.4 * pos[0] - out["delta_ratio"]),
    }


def approx_values(inst: Instance, seed: int) -> dict[str, np.ndarray]:
    """§7's values: LP 19, Algorithm 1's and 2's costs (``seed``), the multi-facility optimum."""
    from .multi import algorithm1, algorithm2, lp_relaxation, multi_optimum

    lp = lp_relaxation(inst)
    return {
        "lp19": np.float64(lp.value),
        "alg1_cost": np.float64(algorithm1(inst, lp)[1]),
        "alg2_cost": np.float64(algorithm2(inst, seed, lp)[1]),
        "multi_optimum_cost": np.float64(multi_optimum(inst)[1]),
    }


def compute_chunk(plan, chunk, merged: Part | None = None) -> dict[str, np.ndarray]:
    """Every result variable over a chunk of whole instances (leading dim instance); ``merged``:
    the chunk's one instance's blocks, merged."""
    from .optima import optimum

    scan = plan.spec
    alpha = scan.alpha[chunk["alpha"]] if "alpha" in chunk.dims else scan.alpha
    width = scan.sizes()["agent"]
    first, stop = chunk["instance"].start, min(chunk["instance"].stop, len(scan.instances))
    rows = []
    for p in range(first, stop):
        inst = scan.instances.instance(p)
        if scan.method == "optimum":
            row = optimum_values(inst, *optimum(inst, "auto"), width)
        else:
            row = instance_values(inst, alpha, width, merged)
        if scan.approx:
            row.update(approx_values(inst, seed=p))
        rows.append(row)
    return {k: np.stack([r[k] for r in rows]) for k in rows[0]}


def compute_plan_block(plan, chunk, block: int) -> Part:
    """Block ``block`` of a split chunk: its instance's assignments whose first agents carry
    the block's labels, over the kernel's alpha grid."""
    scan = plan.spec
    p, k, radix = scan.block_labels(chunk)
    grid = scan_grid(scan.alpha[chunk["alpha"]])
    return compute_block(scan.instances.instance(p), grid, block_labels(block, k, radix))
