"""Grids, blocks and threads: runs the kernels over (profile, alpha) blocks into one Dataset."""

from __future__ import annotations

import math
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import numpy as np

from . import validate
from .model import a_values
from .variables import PAPER, build_dataset

GRID_OUTPUTS = (
    "stable_count",
    "max_size",
    "min_size",
    "opt_size",
    "opt_social_cost",
    "opt_variance",
    "opt_members",
)
CELL_OUTPUTS = ("grand_stable", "central_size", "central_social_cost", "central_variance")


@dataclass(frozen=True)
class Profile:
    """One cost profile prepared for the kernels: ascending ``a`` and the input-position bits."""

    costs: np.ndarray
    order: np.ndarray  # order[i] = input position of the i-th cheapest player
    a: np.ndarray
    inbit: np.ndarray  # 1 << order[i] when n <= 64, else 0

    @property
    def n(self) -> int:
        return int(self.costs.shape[0])

    @classmethod
    def from_costs(cls, costs: np.ndarray) -> Profile:
        order = np.argsort(costs, kind="stable")
        a = np.ascontiguousarray(a_values(costs[order]))
        inbit = np.zeros(costs.shape[0], dtype=np.uint64)
        if costs.shape[0] <= 64:
            inbit = np.left_shift(np.uint64(1), order.astype(np.uint64))
        return cls(costs, order, a, inbit)


@dataclass(frozen=True)
class SigmaGrid:
    """Sigma values as given, and the ascending ``s = sigma^2`` the kernels work on."""

    sigma: np.ndarray
    order: np.ndarray
    s: np.ndarray

    @classmethod
    def from_sigma(cls, sigma: np.ndarray) -> SigmaGrid:
        order = np.argsort(sigma, kind="stable")
        srt = sigma[order]
        return cls(sigma, order, np.ascontiguousarray(srt * srt))

    def unsort(self, arr: np.ndarray, axis: int) -> np.ndarray:
        """Put the sigma axis of a kernel output back into the caller's order."""
        out = np.empty_like(arr)
        index = [slice(None)] * arr.ndim
        index[axis] = self.order
        out[tuple(index)] = arr
        return out


def allocate(n_alpha: int, n_s: int) -> dict[str, np.ndarray]:
    """Kernel output buffers for one profile (sigma axis in ascending order)."""
    from .variables import VARIABLES

    out = {}
    for name in GRID_OUTPUTS:
        out[name] = np.zeros((n_alpha, n_s, 2), dtype=VARIABLES[name].dtype)
    for name in CELL_OUTPUTS:
        out[name] = np.zeros((n_alpha, n_s), dtype=VARIABLES[name].dtype)
    return out


def run_block(
    profile: Profile, alpha: np.ndarray, grid: SigmaGrid, sets: str, out: dict[str, np.ndarray]
) -> None:
    """Evaluate one profile for a block of alpha values into ``out`` (views are fine)."""
    from .kernels.allsets import scan_all
    from .kernels.downward import scan_downward

    outs = tuple(out[name] for name in GRID_OUTPUTS + CELL_OUTPUTS)
    alpha = np.ascontiguousarray(alpha, dtype=np.float64)
    if sets == "all":
        scan_all(profile.a, profile.inbit, alpha, grid.s, outs)
    else:
        inprefix = np.zeros(profile.n + 1, dtype=np.uint64)
        if profile.n <= 64:
            inprefix[1:] = np.bitwise_or.accumulate(profile.inbit)
        scan_downward(profile.a, inprefix, alpha, grid.s, outs)


def _blocks(n_profiles: int, n_alpha: int, workers: int) -> list[tuple[int, slice]]:
    # enough tasks per worker that uneven alpha (pruning differs) still balances
    per_profile = max(1, min(n_alpha, math.ceil(8 * workers / n_profiles)))
    size = math.ceil(n_alpha / per_profile)
    return [
        (p, slice(b, min(b + size, n_alpha)))
        for p in range(n_profiles)
        for b in range(0, n_alpha, size)
    ]


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
        The variables of :data:`fastscan.variables.VARIABLES`.
    """
    validate.check_sets(sets)
    rows = validate.check_profiles(costs, sets)
    alpha = validate.check_alpha(alpha)
    sigma = validate.check_sigma(sigma)
    profiles = [Profile.from_costs(r) for r in rows]
    grid = SigmaGrid.from_sigma(sigma)
    workers = threads or os.cpu_count() or 1
    outs = [allocate(alpha.size, sigma.size) for _ in profiles]
    tasks = _blocks(len(profiles), alpha.size, workers)

    def work(task: tuple[int, slice]) -> None:
        p, b = task
        run_block(profiles[p], alpha[b], grid, sets, {k: v[b] for k, v in outs[p].items()})

    if workers == 1 or len(tasks) == 1:
        for task in tasks:
            work(task)
    else:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            list(pool.map(work, tasks))
    return assemble(profiles, alpha, grid, outs, sets)


def assemble(
    profiles: list[Profile],
    alpha: np.ndarray,
    grid: SigmaGrid,
    outs: list[dict[str, np.ndarray]],
    sets: str,
):
    """Stack per-profile kernel outputs into the registry's Dataset (sigma back in given order)."""
    data = {}
    for name in GRID_OUTPUTS:
        data[name] = grid.unsort(np.stack([o[name] for o in outs]), axis=2)
    for name in CELL_OUTPUTS:
        data[name] = grid.unsort(np.stack([o[name] for o in outs]), axis=2)
    data["pos_social_cost"] = data["opt_social_cost"] / data["central_social_cost"][..., None]
    data["pos_variance"] = data["opt_variance"] / data["central_variance"][..., None]
    width = max(p.n for p in profiles)
    costs = np.full((len(profiles), width), np.nan)
    for i, p in enumerate(profiles):
        costs[i, : p.n] = p.costs
    data["costs"] = costs
    data["n_players"] = np.array([p.n for p in profiles], dtype=np.int64)
    coords = {
        "profile": np.arange(len(profiles)),
        "alpha": alpha,
        "sigma": grid.sigma,
        "notion": np.array(["nash", "robust"], dtype=object),
        "player": np.arange(width),
    }
    from . import __version__

    attrs = {
        "title": "fastscan stability cube",
        "sets": sets,
        "sets_description": (
            "every coalition of size >= 2"
            if sets == "all"
            else "downward-closed coalitions S_k of the k cheapest players only"
        ),
        "paper": PAPER,
        "fastscan_version": __version__,
    }
    return build_dataset(data, coords, attrs)
