"""The IXP game's compute: a chunk of instances into the cube's values (the kernel's per-alpha
values by :mod:`.assignments`, then s*'s payments, process and theorems by :mod:`.solve`, §7 by
:mod:`.multi`), and a split chunk's blocks."""

from __future__ import annotations

import numpy as np

from ..kernels.ixp.contracts import Part
from .assignments import (  # noqa: F401 - the engine's merge, and the driver, named here too
    MAX_ASSIGNMENTS,
    block_labels,
    check_alpha,
    compute_block,
    exhaustive,
    finish,
    merge,
    scan_grid,
)
from .model import Instance, alpha_star, is_stable, social_cost
from .multi import algorithm1, algorithm2, lp_relaxation, multi_optimum
from .optima import optimum
from .solve import delta, doubled, peering_stable, process, ratio


def optimum_values(inst: Instance, s_opt: np.ndarray, c_opt: float, width: int) -> dict:
    """s*'s values: its payments (Lemma 5.2.1), alpha*, Thm 5.1's and 5.2's stability, where
    Thm 4.3's process stops."""
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
