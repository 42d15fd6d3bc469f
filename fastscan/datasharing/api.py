"""The data-sharing game's in-memory scan: ``fastscan.scan(costs, alpha, sigma)``."""

from __future__ import annotations

from typing import Any


def scan(
    costs: Any,
    alpha: Any,
    sigma: Any,
    *,
    sets: str = "all",
    notions: Any = ("nash", "robust"),
    worst: bool = False,
    threads: int | None = None,
):
    """Evaluate every (profile, alpha, sigma) cell and notion into an in-memory Dataset.

    Parameters
    ----------
    costs : array_like
        One profile (1-D) or profile x player (2-D, shorter rows NaN-padded at the end).
    alpha, sigma : float or 1-D array_like
        Grids, kept exactly as given as the Dataset's coordinates.
    sets : {"all", "downward"}
        Every coalition of size >= 2 (n <= 40), or only ``S_k``, the ``k`` cheapest players.
    notions : sequence of {"nash", "robust", "designer"} or comma list
        The notion dim (``designer``: Lemma 1's epsilon announced, players only join or leave).
    worst : bool
        Also the worst equilibrium and the Price of Anarchy (``worst_*``, ``poa_*``).
    threads : int, optional
        Threads running kernels side by side (default: all cores).

    Returns
    -------
    xarray.Dataset
        The variables of :data:`fastscan.datasharing.variables.VARIABLES`.
    """
    from ..runner import compute, cpus
    from ..variables import build_dataset
    from . import validate
    from .game import GAME
    from .plan import build, spread
    from .profiles import ProfileSet

    validate.check_sets(sets)
    threads = validate.check_threads(threads)
    padded = validate.check_profiles(costs, sets)
    profiles = ProfileSet(padded, {}, {"source": "costs"})
    plan = build(profiles, alpha, sigma, sets, notions=notions, worst=worst)
    plan = spread(plan, threads or cpus())
    data = {**compute(plan, workers=threads), **plan.spec.inputs()}
    data["n_players"] = data["n_players"].astype(GAME.registry["n_players"].dtype)
    attrs = plan.attrs(GAME, stored=False)
    return build_dataset(plan.registry(GAME), data, plan.spec.coords(), attrs)
