"""How long a data-sharing scan will take: a calibration on a small piece of the plan, timed with
warm kernels, and the wall-clock terms measured against whole ``fastscan scan`` runs."""

from __future__ import annotations

import time

import numpy as np

from ..cube import ZSTD_LEVEL
from ..plan import Plan
from .plan import coalitions
from .variables import REGISTRY

# wall-clock terms of the estimate, measured on the 2-core development machine against whole
# `fastscan scan` runs (README's uniform n = 12 and 16 cubes, one profile of 23 players: within
# 15 %): two busy threads run at ~0.6 of twice one; each chunk adds its write and bookkeeping
PARALLEL_EFFICIENCY = 0.6
CHUNK_OVERHEAD = 0.02
STARTUP = 1.0  # loading xarray and zarr, creating the store, starting the thread pool


def estimate(plan: Plan, workers: int, left: float = 1.0) -> float:
    """Estimated wall seconds for the ``left`` share of the plan on ``workers`` threads."""
    work = calibrate(plan)
    return STARTUP + left * (work / PARALLEL_EFFICIENCY + CHUNK_OVERHEAD * plan.n_chunks) / workers


def calibrate(plan: Plan, budget: float = 0.3) -> float:
    """Estimated seconds of work (summed over threads) for the whole plan, timed on a small
    piece of it with warm kernels: its coalitions, and compressing its output for the store.

    The piece has a chunk's alpha values: the kernels share one enumeration among them, so one
    alpha alone would overstate the cost of each. It is timed once, and again only while the
    timing stays under ``budget`` and under 2 % of the estimate (small plans plan instantly).
    """
    from numcodecs import Zstd

    from .compute import Profile, SigmaGrid, compute_batch, compute_profile, with_pos

    scan = plan.spec
    row = scan.profiles.row(int(np.argmax(scan.profiles.n_players)))
    cap = 18 if scan.sets == "all" else 10**5
    prof = Profile.from_costs(row[:cap])
    grid = SigmaGrid.from_sigma(np.sort(scan.sigma[: plan.chunks[-1]]))
    models = scan.models(plan=plan)
    evals = 0
    start = time.perf_counter()
    while True:
        if scan.sets == "all" and not plan.split:  # the kernel chunks run
            values = compute_batch(prof.costs[None, :], np.array([prof.n]), models, grid)
            values = {k: v[0] for k, v in values.items()}
        else:
            values = compute_profile(prof, models, grid, scan.sets)
        evals += coalitions(prof.n, scan.sets) * grid.s.size * models.x.size
        spent = time.perf_counter() - start
        if spent > min(budget, 0.02 * spent / evals * scan.evaluations):
            break
    per_eval = spent / max(evals, 1)
    # writing is mostly compression with the store's codec
    arrays = list(with_pos(values).values())
    start = time.perf_counter()
    for arr in arrays:
        Zstd(level=ZSTD_LEVEL).encode(np.ascontiguousarray(arr))
    per_byte = (time.perf_counter() - start) / max(sum(a.nbytes for a in arrays), 1)
    return per_eval * scan.evaluations + per_byte * plan.nbytes(scan.annotate(REGISTRY))
