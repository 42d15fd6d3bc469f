"""The data-sharing game's in-memory scan: ``fastscan.scan(costs, alpha, sigma)``."""

from __future__ import annotations

from typing import Any


def scan(
    costs: Any,
    alpha: Any = None,
    sigma: Any = None,
    *,
    privacy: str = "power",
    p: Any = None,
    f: Any = None,
    models: Any = None,
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
        Grids, kept exactly as given as the Dataset's coordinates (``alpha``: the power law
        ``f(|S|) = |S|^alpha`` of the paper, the default privacy model).
    privacy : {"power", "leakage", "constant", "table"}
        The privacy-cost scaling ``f(|S|)`` of Definition 5: ``leakage`` is
        ``1 - (1 - p)^(|S| - 1)`` over ``p`` (a ``p`` dim), ``constant`` is 1 (no dim of its
        own; the same as alpha = 0), ``table`` is ``f`` given.
    p : float or 1-D array_like
        The leakage model's probabilities, in (0, 1).
    f : array_like, shape (models, K) or (K,)
        ``f[t, k - 1] = f(k)`` for ``k = 1..K`` (``K`` at least the players of every profile;
        values > 0 and finite for ``k >= 2``): a ``model`` dim labelled by ``models`` (default
        ``f0, f1, ...``). Giving ``f`` implies ``privacy="table"``.
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
    from ..runner import cpus, dataset
    from . import validate
    from .plan import build, spread
    from .privacy import of
    from .profiles import ProfileSet

    validate.check_sets(sets)
    if sigma is None:
        raise ValueError("sigma is required")
    threads = validate.check_threads(threads)
    model = of(privacy, alpha=alpha, p=p, f=f, names=models)
    padded = validate.check_profiles(costs, sets)
    profiles = ProfileSet(padded, {}, {"source": "costs"})
    plan = build(profiles, model, sigma, sets, notions=notions, worst=worst)
    workers = threads or cpus()
    return dataset(spread(plan.fitted(workers), workers), threads)  # as job.run fits it
