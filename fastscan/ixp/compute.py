"""The IXP game's compute: an instance (or a block of it: its first agents' labels fixed)
through the exhaustive kernel, blocks merged exactly, buckets accumulated over the alpha grid."""

from __future__ import annotations

import numpy as np

from ..kernels.ixp.contracts import Part, Weights, new_part
from .model import Instance

MAX_ASSIGNMENTS = 2**40  # (m+1)^n beyond this is refused: --method optimum does without


def weights(inst: Instance) -> Weights:
    """The kernel's view of an instance."""
    return Weights(
        np.ascontiguousarray(inst.w_facility),
        np.ascontiguousarray(inst.w_pair),
        np.ascontiguousarray(inst.facility_cost),
        inst.w_pair.sum(axis=1),
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
    return part


def merge(x: Part, y: Part, tol: float) -> Part:
    """Two blocks' parts combined: counts add, the best per bucket is the least (cost, rank),
    the worst the largest cost, the optimum the least cost (within ``tol``: the least rank)."""
    take = (y.best_cost < x.best_cost) | (
        (y.best_cost == x.best_cost) & (y.best_rank < x.best_rank) & (y.best_rank >= 0)
    )
    ox, oy = x.optimum, y.optimum
    if abs(oy[0] - ox[0]) <= tol:
        opt_y = 0 <= oy[1] < ox[1] or ox[1] < 0
    else:
        opt_y = oy[0] < ox[0]
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
    for t in range(1, best.size):
        prev_better = (best[t - 1] < best[t]) | (
            (best[t - 1] == best[t])
            & (rank[t - 1] >= 0)
            & ((rank[t] < 0) | (rank[t - 1] < rank[t]))
        )
        if prev_better:
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


def exhaustive(inst: Instance, alpha, split: int = 0) -> dict[str, np.ndarray]:
    """Every assignment of ``inst`` through the kernel, in ``(m+1)^split`` blocks by the labels
    of the first ``split`` agents (merged exactly): the per-alpha values and the optimum."""
    import itertools

    alpha = check_alpha(alpha)
    part = None
    for labels in itertools.product(range(-1, inst.m), repeat=split):
        p = compute_block(inst, alpha, labels)
        part = p if part is None else merge(part, p, inst.tol)
    return finish(part)


def instance_values(inst: Instance, alpha: np.ndarray, width: int) -> dict[str, np.ndarray]:
    """One instance's cube values over ``alpha`` (ascending), assignments padded to ``width``
    agents: the kernel's per-alpha values, then s*'s payments, process and theorems."""
    from .model import alpha_star, social_cost
    from .solve import delta, doubled, peering_stable, process, ratio

    grid = np.union1d([1.0], alpha)  # alpha = 1 too: Thm 5.3's slack uses pos(1)
    values = exhaustive(inst, grid)
    keep = np.searchsorted(grid, alpha)
    c_opt = float(values["optimum_cost"])
    s_opt = values["optimum_assignment"]
    d = delta(inst, s_opt)
    pos = np.array([ratio(c, c_opt) for c in values["best_stable_cost"]])
    poa = np.array([ratio(c, c_opt) for c in values["worst_stable_cost"]])
    count = values["stable_count"]
    pos[count == 0] = np.nan
    poa[count == 0] = np.nan
    assignment = np.full((alpha.size, width), -2, dtype=np.int32)
    assignment[:, : inst.n] = values["best_stable_assignment"][keep]
    optimum = np.full(width, -2, dtype=np.int32)
    optimum[: inst.n] = s_opt
    share = d / c_opt if c_opt > 0 else 0.0
    return {
        "stable_count": count[keep],
        "best_stable_cost": values["best_stable_cost"][keep],
        "worst_stable_cost": values["worst_stable_cost"][keep],
        "best_stable_assignment": assignment,
        "pos": pos[keep],
        "poa": poa[keep],
        "optimum_cost": np.float64(c_opt),
        "optimum_assignment": optimum,
        "optimum_alpha": np.float64(alpha_star(inst, s_opt)),
        "delta": np.float64(d),
        "delta_ratio": np.float64(share),
        "thm53_slack": np.float64(1 - 0.4 * pos[0] - share),
        "doubled_stable": np.bool_(alpha_star(doubled(inst), s_opt) <= 1.0),
        "peering_stable": np.bool_(peering_stable(inst, s_opt)),
        "process_cost": np.float64(social_cost(inst, process(inst, s_opt)[0])),
    }


def compute_chunk(plan, chunk, merged=None) -> dict[str, np.ndarray]:
    """Every result variable over a chunk of whole instances (leading dim instance)."""
    scan = plan.spec
    alpha = scan.alpha[chunk["alpha"]]
    width = scan.sizes()["agent"]
    first, stop = chunk["instance"].start, min(chunk["instance"].stop, len(scan.instances))
    rows = [instance_values(scan.instances.instance(p), alpha, width) for p in range(first, stop)]
    return {k: np.stack([r[k] for r in rows]) for k in rows[0]}
