"""Exact sigma ranges of equilibrium existence, from the stability thresholds (no grid)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from . import validate
from .compute import Profile

MAX_ALL_INTERVALS = 22
# what one answer may hold: beyond this a listing is no use to read (robust stability at
# alpha = 1 and n = 20 makes ~10^6 coalitions stable somewhere and 2 * 10^6 ranges)
MAX_RANGES = 100_000
MAX_LISTED = 2_000_000
# thresholds that are equal in exact arithmetic (the robust upper end of S and the lower end of
# S + {j}) come out of different float expressions a few ulps apart: edges this close are one
SLIVER_ULPS = 16


@dataclass(frozen=True)
class SigmaRange:
    """A maximal ``[low, high)`` of sigma on which the set of stable coalitions is constant."""

    notion: str
    low: float
    high: float | None  # None: unbounded
    max_size: int
    coalitions: list[tuple[int, ...]]
    merged: int = 0  # sliver ranges (a few ulps wide) merged into this one's lower edge

    def to_dict(self) -> dict:
        return {
            "notion": self.notion,
            "low": self.low,
            "high": self.high,
            "max_size": self.max_size,
            "coalitions": [list(c) for c in self.coalitions],
            "merged_slivers": self.merged,
        }


def snap(edges: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sorted unique ``edges`` grouped where consecutive ones lie within SLIVER_ULPS ulps (one
    threshold computed two ways): each edge's representative (its group's lowest) and how many
    edges each representative absorbed."""
    small = np.diff(edges) <= SLIVER_ULPS * np.spacing(edges[1:])
    group = np.concatenate([[0], np.cumsum(~small)])
    first = np.flatnonzero(np.concatenate([[True], ~small]))
    return edges[first][group], np.bincount(group) - 1


def sigma_at_least(s: np.ndarray) -> np.ndarray:
    """Smallest float ``sigma`` with ``sigma * sigma >= s``, elementwise (``inf`` stays ``inf``).

    The kernels compare ``fl(sigma * sigma)`` with thresholds in ``s``; this is its exact preimage.
    """
    s = np.asarray(s, dtype=np.float64)
    with np.errstate(over="ignore"):  # the largest float squared, next to sigma = inf
        return _preimage(s)


def _preimage(s: np.ndarray) -> np.ndarray:
    s = np.maximum(s, 0.0)  # a threshold <= 0 holds for every sigma > 0: its preimage is 0
    r = np.sqrt(s)
    finite = np.isfinite(r) & (s > 0.0)
    while True:
        low = finite & (r * r < s)
        if not low.any():
            break
        r = np.where(low, np.nextafter(r, np.inf), r)
    while True:
        below = np.nextafter(r, 0.0)
        down = finite & (below * below >= s)
        if not down.any():
            return r
        r = np.where(down, below, r)


def coalition_intervals(
    prof: Profile, alpha: float, notion: str, sets: str
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The coalitions stable on a non-empty sigma range, with their exact sigma intervals
    ``[low, high)``: as bitmasks over ascending costs (sets="all") or sizes of ``S_k``."""
    from ..kernels.datasharing.point import bounds_downward, nonempty_all

    code = validate.NOTIONS.index(notion)  # the kernels' NASH, ROBUST, DESIGNER
    if sets == "downward":
        b = bounds_downward(prof.a, alpha)
        lower, upper = {"nash": (0, 1), "robust": (0, 2), "designer": (3, 4)}[notion]
        keys, low, high = np.arange(2, prof.n + 1), b[lower], b[upper]
    else:
        keys, b = nonempty_all(prof.a, alpha, code)
        low, high = b
    low, high = sigma_at_least(low), sigma_at_least(high)
    keep = np.flatnonzero(low < high)
    return keys[keep], low[keep], high[keep]


def _members(prof: Profile, keys: np.ndarray, sets: str) -> list[tuple[int, ...]]:
    """Input positions of each coalition of :func:`coalition_intervals`."""
    if sets == "downward":
        return [tuple(np.sort(prof.order[:k]).tolist()) for k in keys]
    order = prof.order.tolist()
    return [tuple(sorted(order[i] for i in range(prof.n) if (int(m) >> i) & 1)) for m in keys]


def equilibrium_ranges(
    costs: Any, alpha: float, *, notion: str = "nash", sets: str = "all"
) -> list[SigmaRange]:
    """Split sigma > 0 into maximal ranges on which the stable coalitions do not change.

    Exact: a coalition is listed on a range if and only if :func:`fastscan.stable_coalitions`
    reports it at every sigma of the range, but for slivers: edges within SLIVER_ULPS ulps of each
    other are one threshold computed two ways and are merged into the lowest (``merged`` counts
    them). Ranges without equilibria are included.
    """
    validate.check_notion(notion)
    validate.check_sets(sets)
    costs = validate.check_profile(costs, sets)
    alpha = float(validate.check_alpha(validate.check_scalar(alpha, "alpha"), costs.size)[0])
    if sets == "all" and costs.shape[0] > MAX_ALL_INTERVALS:
        raise ValueError(
            f"costs has n={costs.shape[0]} players; intervals with sets='all' "
            f"lists every coalition and accepts n <= {MAX_ALL_INTERVALS}; use "
            f"sets='downward'"
        )
    prof = Profile.from_costs(costs)
    keys, low, high = coalition_intervals(prof, alpha, notion, sets)
    edges = np.unique(np.concatenate([[0.0], low, high[np.isfinite(high)]]))
    rep, absorbed = snap(edges)
    low = rep[np.searchsorted(edges, low)]
    finite = np.isfinite(high)
    high = high.copy()
    high[finite] = rep[np.searchsorted(edges, high[finite])]
    keep = low < high  # a coalition stable only on a sliver is stable nowhere once it is merged
    keys, low, high = keys[keep], low[keep], high[keep]
    merged = dict(zip(np.unique(rep).tolist(), absorbed.tolist(), strict=True))
    edges = np.unique(rep)
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
            out[-1] = SigmaRange(
                notion, last.low, hi, last.max_size, found, last.merged + merged[float(edge)]
            )
        else:
            biggest = max((len(members[i]) for i in active[j]), default=0)
            out.append(SigmaRange(notion, float(edge), hi, biggest, found, merged[float(edge)]))
    return out
