"""Exact sigma ranges of equilibrium existence, from the stability thresholds (no grid)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from . import validate
from .engine import Profile

MAX_ALL_INTERVALS = 22


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
    costs: np.ndarray, alpha: float, notion: str, sets: str
) -> tuple[list[tuple[int, ...]], np.ndarray, np.ndarray]:
    """Every coalition (input positions) and its exact sigma interval ``[low, high)``."""
    from .kernels.point import bounds_all, bounds_downward

    prof = Profile.from_costs(costs)
    row = 1 if notion == "nash" else 2
    if sets == "downward":
        b = bounds_downward(prof.a, alpha)
        coalitions = [tuple(np.sort(prof.order[:k]).tolist()) for k in range(2, prof.n + 1)]
    else:
        masks, b = bounds_all(prof.a, alpha)
        coalitions = [
            tuple(sorted(int(prof.order[i]) for i in range(prof.n) if (int(m) >> i) & 1))
            for m in masks
        ]
    return coalitions, sigma_at_least(b[0]), sigma_at_least(b[row])


def equilibrium_ranges(
    costs: Any, alpha: float, *, notion: str = "nash", sets: str = "all"
) -> list[SigmaRange]:
    """Split sigma > 0 into maximal ranges on which the stable coalitions do not change.

    Exact: a coalition is listed on a range if and only if :func:`fastscan.stable_coalitions`
    reports it at every sigma of the range. Ranges without equilibria are included.
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
    coalitions, low, high = coalition_intervals(costs, alpha, notion, sets)
    keep = np.flatnonzero(low < high)
    edges = np.unique(np.concatenate([[0.0], low[keep], high[keep][np.isfinite(high[keep])]]))
    # sweep: which coalitions are active from each edge on
    starts = {}
    ends = {}
    for i in keep:
        starts.setdefault(low[i], []).append(i)
        if np.isfinite(high[i]):
            ends.setdefault(high[i], []).append(i)
    active: set[int] = set()
    out: list[SigmaRange] = []
    for j, edge in enumerate(edges):
        active.difference_update(ends.get(edge, ()))
        active.update(starts.get(edge, ()))
        members = sorted((coalitions[i] for i in active), key=lambda c: (len(c), c))
        hi = float(edges[j + 1]) if j + 1 < edges.size else None
        if out and out[-1].coalitions == members:
            out[-1] = SigmaRange(notion, out[-1].low, hi, out[-1].max_size, members)
        else:
            out.append(
                SigmaRange(
                    notion, float(edge), hi, max((len(c) for c in members), default=0), members
                )
            )
    return out
