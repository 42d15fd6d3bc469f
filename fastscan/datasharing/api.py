"""The data-sharing game's in-memory scan: ``fastscan.scan(costs, alpha, sigma)``."""

from __future__ import annotations

import os
from typing import Any


def scan(costs: Any, alpha: Any, sigma: Any, *, sets: str = "all", threads: int | None = None):
    """Evaluate every (profile, alpha, sigma) cell and both notions into an in-memory Dataset.

    Parameters
    ----------
    costs : array_like
        One profile (1-D) or profile x player (2-D, shorter rows NaN-padded at the end).
    alpha, sigma : float or 1-D array_like
        Grids, kept exactly as given as the Dataset's coordinates.
    sets : {"all", "downward"}
        Every coalition of size >= 2 (n <= 40), or only ``S_k``, the ``k`` cheapest players.
    threads : int, optional
        Threads running kernels side by side (default: all cores).

    Returns
    -------
    xarray.Dataset
        The variables of :data:`fastscan.datasharing.variables.VARIABLES`.
    """
    from ..runner import compute
    from ..variables import build_dataset
    from . import validate
    from .game import GAME
    from .plan import build, spread
    from .profiles import ProfileSet

    validate.check_sets(sets)
    threads = validate.check_threads(threads)
    padded = validate.check_profiles(costs, sets)
    plan = build(ProfileSet(padded, {}, {"source": "costs"}), alpha, sigma, sets)
    plan = spread(plan, threads or os.cpu_count() or 1)
    data = {**compute(plan, workers=threads), **plan.spec.inputs()}
    data["n_players"] = data["n_players"].astype(GAME.registry["n_players"].dtype)
    attrs = plan.attrs(GAME, stored=False)
    return build_dataset(GAME.registry, data, plan.spec.coords(), attrs)
