"""Exact sigma ranges of equilibrium existence, from the stability thresholds (no grid)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from . import validate
from .compute import Profile
from .privacy import at_point

MAX_ALL_INTERVALS = 22
# what one answer may hold: beyond this a listing is no use to read (robust stability at
# alpha = 1 and n = 20 makes ~10^6 coalitions stable somewhere and 2 * 10^6 ranges)
MAX_RANGES = 100_000
MAX_LISTED = 2_000_000


@dataclass(frozen=True)
class SigmaRange:
    """A maximal ``[low, high)`` of sigma on which the set of stable coalitions is constant."""

    notion: str
    low: float
    high: float | None  # None: unbounded
    max_size: int
    coalitions: list[tuple[int, ...]]

    def to_dict(self) -> dict:
        return {
            "notion": self.notion,
            "low": self.low,
            "high": self.high,
            "max_size": self.max_size,
            "coalitions": [list(c) for c in self.coalitions],
        }


def coalition_intervals(
    prof: Profile, pf: tuple, notion: str, sets: str
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The coalitions stable on a non-empty sigma range, with their exact sigma intervals
    ``[low, high)``: as bitmasks over ascending costs (sets="all") or sizes of ``S_k``. The
    ends are the first floats at which the exact decision changes (thresholds in
    double-double: README, "Exact decisions")."""
    from ..kernels.datasharing.point import nonempty_all, sigma_first_many, thresholds_downward

    code = validate.NOTIONS.index(notion)  # the kernels' NASH, ROBUST, DESIGNER
    if sets == "downward":
        T = thresholds_downward(prof.c, pf)
        lower, upper = {"nash": (0, 1), "robust": (0, 2), "designer": (3, 4)}[notion]
        keys = np.arange(2, prof.n + 1)
        L, U = T[lower], T[upper]
        low = sigma_first_many(np.ascontiguousarray(L[:, 0]), np.ascontiguousarray(L[:, 1]))
        high = sigma_first_many(np.ascontiguousarray(U[:, 0]), np.ascontiguousarray(U[:, 1]))
    else:
        keys, T = nonempty_all(prof.a, prof.c, pf, code)
        low, high = sigma_first_many(T[0], T[1]), sigma_first_many(T[2], T[3])
    keep = np.flatnonzero(low < high)
    return keys[keep], low[keep], high[keep]


def _members(prof: Profile, keys: np.ndarray, sets: str) -> list[tuple[int, ...]]:
    """Input positions of each coalition of :func:`coalition_intervals`."""
    if sets == "downward":
        return [tuple(np.sort(prof.order[:k]).tolist()) for k in keys]
    order = prof.order.tolist()
    return [tuple(sorted(order[i] for i in range(prof.n) if (int(m) >> i) & 1)) for m in keys]


def equilibrium_ranges(
    costs: Any,
    alpha: float | None = None,
    *,
    notion: str = "nash",
    sets: str = "all",
    privacy: str = "power",
    p: Any = None,
    f: Any = None,
    models: Any = None,
) -> list[SigmaRange]:
    """Split sigma > 0 into maximal ranges on which the stable coalitions do not change.

    Exact: a coalition is listed on a range if and only if :func:`fastscan.stable_coalitions`
    reports it at every sigma of the range, and each range starts at the first float at which
    the exact decision changes (README, "Exact decisions"). Ranges without equilibria are
    included.
    """
    validate.check_notion(notion)
    validate.check_sets(sets)
    costs = validate.check_profile(costs, sets)
    pf = at_point(costs.size, alpha, privacy, p, f, models=models).pf()
    if sets == "all" and costs.shape[0] > MAX_ALL_INTERVALS:
        raise ValueError(
            f"costs has n={costs.shape[0]} players; intervals with sets='all' "
            f"lists every coalition and accepts n <= {MAX_ALL_INTERVALS}; use "
            f"sets='downward'"
        )
    prof = Profile.from_costs(costs)
    keys, low, high = coalition_intervals(prof, pf, notion, sets)
    edges = np.unique(np.concatenate([[0.0], low, high[np.isfinite(high)]]))
    first = np.searchsorted(edges, low)
    last = np.searchsorted(edges, high)  # inf -> len(edges): open to the right
    listed = int(np.sum(last - first))
    if edges.size > MAX_RANGES or listed > MAX_LISTED:
        raise ValueError(
            f"{keys.size:,} coalitions are {notion}-stable on some sigma range here, splitting "
            f"sigma into {edges.size:,} ranges with {listed:,} (range, coalition) entries; at "
            f"most {MAX_RANGES:,} ranges and {MAX_LISTED:,} entries are listed. Ask for less: "
            f"another notion or alpha, sets='downward', or a sigma grid (fastscan scan)"
        )
    members = _members(prof, keys, sets)
    rank = sorted(range(len(members)), key=lambda i: (len(members[i]), members[i]))
    active: list[list[int]] = [[] for _ in range(edges.size)]
    for i in rank:  # each range lists its coalitions by (size, members)
        for j in range(first[i], last[i]):
            active[j].append(i)
    out: list[SigmaRange] = []
    for j, edge in enumerate(edges):
        found = [members[i] for i in active[j]]
        hi = float(edges[j + 1]) if j + 1 < edges.size else None
        if out and out[-1].coalitions == found:
            last = out[-1]
            out[-1] = SigmaRange(notion, last.low, hi, last.max_size, found)
        else:
            biggest = max((len(members[i]) for i in active[j]), default=0)
            out.append(SigmaRange(notion, float(edge), hi, biggest, found))
    return out
