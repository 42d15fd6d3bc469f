"""The kernels' inputs and outputs by name: named tuples of arrays (Numba compiles them as
arguments, with attribute access), defined once and shared by the kernels and the engine.

Per-notion arrays have shape ``(n_alpha, n_s, n_notion)`` (notion last: nash, robust[,
designer]), the others ``(n_alpha, n_s)``; ``s = sigma^2`` ascending.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np


class CellOutputs(NamedTuple):
    """One profile's cube values (the variables of the same names)."""

    stable_count: np.ndarray
    max_size: np.ndarray
    min_size: np.ndarray
    opt_size: np.ndarray
    opt_social_cost: np.ndarray
    opt_variance: np.ndarray
    opt_members: np.ndarray
    grand_stable: np.ndarray
    central_size: np.ndarray
    central_social_cost: np.ndarray
    central_variance: np.ndarray
    worst_size: np.ndarray
    worst_social_cost: np.ndarray
    worst_variance: np.ndarray
    worst_members: np.ndarray
    forced_size: np.ndarray
    forced_social_cost: np.ndarray
    forced_variance: np.ndarray
    central_ir: np.ndarray


class Part(NamedTuple):
    """A block's partial result: what merges exactly across blocks (counts add, sizes take
    max / min, the optimum is the least ``(best_sc, best_k, best_A, best_members)``), and the
    per-cell values every block computes alike. The worst stable coalition is the greatest
    ``(worst_sc, worst_k, worst_A, worst_members)``."""

    stable_count: np.ndarray
    max_size: np.ndarray
    min_size: np.ndarray
    best_sc: np.ndarray
    best_k: np.ndarray
    best_A: np.ndarray
    best_members: np.ndarray
    grand_stable: np.ndarray
    central_size: np.ndarray
    central_social_cost: np.ndarray
    central_variance: np.ndarray
    worst_sc: np.ndarray
    worst_k: np.ndarray
    worst_A: np.ndarray
    worst_members: np.ndarray
    forced_size: np.ndarray
    forced_social_cost: np.ndarray
    forced_variance: np.ndarray
    central_ir: np.ndarray


class Given(NamedTuple):
    """The floats as given, where the exact decisions start (:mod:`.exact`): one profile's
    costs ascending (``a``'s order) and the sigma grid ascending (``s = fl(sigma^2)``)."""

    c: np.ndarray
    sigma: np.ndarray


class Tables(NamedTuple):
    """The all-subsets kernel's reusable workspace (see ``allsets.new_tables``)."""

    layout: np.ndarray  # (n_notion, worst): the table slots per alpha and what they keep

    entries: np.ndarray  # (slot, level, n_s, 2): sparse table of (bits of A, members)
    cdiff: np.ndarray  # (slot, n_s + 1): difference arrays of the stable counts
    span: np.ndarray  # (slot, 3): top level, first and end index touched


# dtypes and whether an array has the notion axis: one table for allocating both contracts
PER_NOTION = {
    "stable_count": True,
    "max_size": True,
    "min_size": True,
    "opt_size": True,
    "opt_social_cost": True,
    "opt_variance": True,
    "opt_members": True,
    "best_sc": True,
    "best_k": True,
    "best_A": True,
    "best_members": True,
    "grand_stable": False,
    "central_size": False,
    "central_social_cost": False,
    "central_variance": False,
    "worst_size": True,
    "worst_social_cost": True,
    "worst_variance": True,
    "worst_members": True,
    "worst_sc": True,
    "worst_k": True,
    "worst_A": True,
    "forced_size": False,
    "forced_social_cost": False,
    "forced_variance": False,
    "central_ir": False,
}
PART_DTYPES = {
    "stable_count": np.int64,
    "max_size": np.int32,
    "min_size": np.int32,
    "best_sc": np.float64,
    "best_k": np.int32,
    "best_A": np.float64,
    "best_members": np.uint64,
    "grand_stable": np.bool_,
    "central_size": np.int32,
    "central_social_cost": np.float64,
    "central_variance": np.float64,
    "worst_sc": np.float64,
    "worst_k": np.int32,
    "worst_A": np.float64,
    "worst_members": np.uint64,
    "forced_size": np.int32,
    "forced_social_cost": np.float64,
    "forced_variance": np.float64,
    "central_ir": np.bool_,
}


def zeros(
    kind: type, dtypes: dict, n_alpha: int, n_s: int, lead: tuple[int, ...] = (), n_notion: int = 2
):
    """A ``kind`` (:class:`CellOutputs` or :class:`Part`) of zeros, with leading dims ``lead``."""
    return kind(
        **{
            name: np.zeros(
                lead + ((n_alpha, n_s, n_notion) if PER_NOTION[name] else (n_alpha, n_s)),
                dtype=dtypes[name],
            )
            for name in kind._fields
        }
    )
