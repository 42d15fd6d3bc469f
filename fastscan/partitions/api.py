"""The partition game in Python: ``fastscan.partitions.scan`` (an in-memory cube),
:func:`stable_partitions` and :func:`describe_partition` at one point."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

SHOW_LIMIT = 2**20  # partitions listed at one point, at most (the count is always exact)


def scan(
    costs: Any,
    alpha: Any = None,
    sigma: Any = None,
    *,
    privacy: str = "power",
    p: Any = None,
    f: Any = None,
    models: Any = None,
    notions: Any = ("nash", "individual", "contractual"),
    threads: int | None = None,
):
    """Every partition's stability at every (profile, alpha, sigma) cell, into a Dataset.

    Parameters
    ----------
    costs : array_like
        One profile (1-D) or profile x player (2-D, shorter rows NaN-padded at the end); at most
        14 players (11 with the core).
    alpha, sigma : float or 1-D array_like
        Grids, kept as given as the Dataset's coordinates.
    privacy, p, f, models
        The privacy-cost scaling ``f(|S|)`` as in :func:`fastscan.scan`.
    notions : sequence of {"nash", "individual", "contractual", "core"} or comma list
        The notion dim.
    threads : int, optional
        Threads running kernels side by side (default: all cores).

    Returns
    -------
    xarray.Dataset
        The variables of :data:`fastscan.partitions.variables.VARIABLES`.
    """
    from ..datasharing import validate
    from ..datasharing.privacy import of
    from ..datasharing.profiles import ProfileSet
    from ..runner import dataset
    from .plan import build

    if sigma is None:
        raise ValueError("sigma is required")
    threads = validate.check_threads(threads)
    model = of(privacy, alpha=alpha, p=p, f=f, names=models)
    padded = validate.check_profiles(costs, "downward")
    plan = build(ProfileSet(padded, {}, {"source": "costs"}), model, sigma, notions)
    return dataset(plan, threads)


@dataclass(frozen=True)
class Point:
    """One profile at one (model, sigma): what the point functions share."""

    costs: np.ndarray
    models: Any  # the kernels' privacy record of the one model value
    sigma: float
    notion: str

    @classmethod
    def of(cls, costs, alpha, sigma, notion, privacy="power", p=None, f=None, arg=str) -> Point:
        from ..datasharing import validate
        from ..datasharing.privacy import at_point
        from .plan import check_notions, check_players_for

        costs = validate.check_profile(costs, "downward", arg("costs"))
        (notion,) = check_notions([notion], arg("notion"))
        check_players_for(costs.size, (notion,), arg("costs"))
        model = at_point(costs.size, alpha, privacy, p, f, arg)
        sigma = float(validate.check_sigma(validate.check_scalar(sigma, arg("sigma")))[0])
        return cls(costs, model.kernel(), sigma, notion)

    def grid(self):
        from .compute import grid_of

        return grid_of(np.array([self.sigma]))[1]


def stable_partitions(
    costs: Any,
    alpha: Any,
    sigma: float,
    notion: str = "nash",
    *,
    privacy: str = "power",
    p: float | None = None,
    f: Any = None,
    limit: int = SHOW_LIMIT,
) -> list[tuple[int, ...]]:
    """Every partition stable under ``notion`` at one point, as restricted-growth strings over
    input positions (player ``i`` is in block ``s[i]``), in their order; the first ``limit``."""
    from .compute import stable_keys, strings

    pt = Point.of(costs, alpha, sigma, notion, privacy, p, f)
    _, keys = stable_keys(pt.costs, pt.models, pt.grid(), pt.notion, limit)
    n = pt.costs.size
    return [tuple(int(x) for x in row) for row in strings(keys, n, n)]


def count_stable(costs, alpha, sigma, notion="nash", **model) -> int:
    """How many partitions are stable under ``notion`` at one point (exact)."""
    from .compute import stable_keys

    pt = Point.of(costs, alpha, sigma, notion, **model)
    return stable_keys(pt.costs, pt.models, pt.grid(), pt.notion, 0)[0]
