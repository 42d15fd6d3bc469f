"""The partition game's compute: one profile's walk over every partition (whole, or one block of
them: the partitions whose first players' labels are one restricted-growth prefix), the exact
merge of blocks, and a chunk's cube values in the caller's sigma order.

Layers: :func:`walk_profile` (kernels in, :class:`Part` out) -> :func:`merge` (parts combined)
-> :func:`values` (a part read out into the cube's variables).
"""

from __future__ import annotations

from functools import reduce

import numpy as np

from ..datasharing.compute import SigmaGrid, records
from ..kernels.partitions import scan as K
from ..kernels.partitions.contracts import BITS, MAX_KEY, NOTIONS, Grid, Part, new_tables
from ..kernels.partitions.walk import prefixes
from ..plan import Chunk, Plan
from .variables import VARIABLES


def grid_of(sigma: np.ndarray) -> tuple[SigmaGrid, Grid]:
    """The kernels' ascending grid (``s`` rounded; the exact ``sigma^2`` as pairs)."""
    from ..kernels import elementary

    sg = SigmaGrid.from_sigma(np.asarray(sigma, dtype=np.float64))
    hi = np.empty_like(sg.sorted)
    lo = np.empty_like(sg.sorted)
    for g, x in enumerate(sg.sorted):
        hi[g], lo[g] = elementary.two_prod(float(x), float(x))
    return sg, Grid(sg.s, hi, lo)


def codes(notions) -> np.ndarray:
    """The kernels' numbers of ``notions`` (in the cube's order)."""
    return np.array([NOTIONS.index(nu) for nu in notions], dtype=np.int64)


def walk_profile(costs, models, grid: Grid, notions, prefix=None) -> Part:
    """Every partition of one profile (those starting with ``prefix``, when given) at every
    model value of ``models`` and grid point: the mergeable :class:`Part`."""
    costs = np.ascontiguousarray(costs, dtype=np.float64)
    priv = records(models)
    n = costs.size
    rows = K.model_rows(priv, n)
    players = K.players_of(costs, "core" in notions)
    want = codes(notions)
    tables = new_tables(want.size, priv.x.size, n, grid.s.size)
    start = np.zeros(0, np.int64) if prefix is None else np.asarray(prefix, dtype=np.int64)
    K.walk(players, rows, grid, want, start, tables, NOTHING)
    return K.finish(tables, grid.s)


NOTHING = np.zeros(0, np.uint64)


def stable_keys(costs, models, grid: Grid, notion: str, limit: int) -> tuple[int, np.ndarray]:
    """How many partitions are stable under ``notion`` at the one point of ``grid`` and the one
    model value, and the keys of the first ``limit`` of them (in restricted-growth order)."""
    costs = np.ascontiguousarray(costs, dtype=np.float64)
    priv = records(models)
    n = costs.size
    rows = K.model_rows(priv, n)
    players = K.players_of(costs, notion == "core")
    want = codes((notion,))
    tables = new_tables(1, 1, n, grid.s.size)
    found = np.zeros(limit + 1, np.uint64)
    K.walk(players, rows, grid, want, np.zeros(0, np.int64), tables, found)
    total = int(found[0])
    return total, found[1 : 1 + min(total, limit)]


def _least(x_sc, x_b, x_k, y_sc, y_b, y_k, greatest=False):
    """Where ``y`` beats ``x``: the least ``(sc, blocks, key)`` (``greatest``: the greatest
    ``sc``, then the least ``(blocks, key)``); a missing one (key ``MAX_KEY``) never beats."""
    better = (y_sc > x_sc) if greatest else (y_sc < x_sc)
    tie = (y_sc == x_sc) & ((y_b < x_b) | ((y_b == x_b) & (y_k < x_k)))
    return (y_k != MAX_KEY) & ((x_k == MAX_KEY) | better | tie)


def merge(x: Part, y: Part) -> Part:
    """Two blocks' parts combined exactly (associative and commutative: a total order on
    candidates, counts added)."""
    b = _least(x.best_sc, x.best_blocks, x.best_key, y.best_sc, y.best_blocks, y.best_key)
    w = _least(
        x.worst_sc, x.worst_blocks, x.worst_key, y.worst_sc, y.worst_blocks, y.worst_key, True
    )
    c = (y.central_w < x.central_w) | (
        (y.central_w == x.central_w) & (y.central_key < x.central_key)
    )
    return Part(
        x.count + y.count,
        x.single + y.single,
        np.where(b, y.best_sc, x.best_sc),
        np.where(b, y.best_blocks, x.best_blocks),
        np.where(b, y.best_key, x.best_key),
        np.where(w, y.worst_sc, x.worst_sc),
        np.where(w, y.worst_blocks, x.worst_blocks),
        np.where(w, y.worst_key, x.worst_key),
        np.where(c, y.central_w, x.central_w),
        np.where(c, y.central_key, x.central_key),
    )


def strings(keys: np.ndarray, n: int, width: int) -> np.ndarray:
    """Restricted-growth strings (int8, ``width`` players, -1 padded) from packed keys (last
    axis added; ``MAX_KEY``: all -1)."""
    keys = np.asarray(keys, dtype=np.uint64)
    out = np.full((*keys.shape, width), -1, dtype=np.int8)
    for i in range(n):
        shift = np.uint64(BITS * (n - 1 - i))
        out[..., i] = ((keys >> shift) & np.uint64(15)).astype(np.int8)
    out[keys == MAX_KEY] = -1
    return out


def values(part: Part, costs, models, sg: SigmaGrid, width: int) -> dict[str, np.ndarray]:
    """One profile's cube values from its merged part, per (value, sigma[, notion][, player]) in
    the caller's sigma order."""
    costs = np.ascontiguousarray(costs, dtype=np.float64)
    n = costs.size
    priv = records(models)
    rows = K.model_rows(priv, n)
    a = K.players_of(costs, False).a

    def tgw(arr):  # (notion, t, g) -> (t, g, notion)
        return np.ascontiguousarray(np.moveaxis(arr, 0, -1))

    best_key, worst_key = tgw(part.best_key), tgw(part.worst_key)
    best_blocks = tgw(part.best_blocks)
    largest, variance = K.describe_keys(best_key, n, a, rows.r, sg.s)
    c_sc, c_blocks, c_key = K.central_at(part.central_w, part.central_key, sg.s)
    social = tgw(part.best_sc)
    worst = tgw(part.worst_sc)
    with np.errstate(invalid="ignore", divide="ignore"):  # IEEE division: the same bits anywhere
        pos = social / c_sc[..., None]
        poa = worst / c_sc[..., None]
    out = {
        "stable_count": tgw(part.count),
        "single_block": tgw(part.single) > 0,
        "partition": strings(best_key, n, width),
        "social_cost": social,
        "variance": variance,
        "blocks": best_blocks,
        "largest_block": largest,
        "worst_partition": strings(worst_key, n, width),
        "worst_social_cost": worst,
        "worst_blocks": tgw(part.worst_blocks),
        "central_partition": strings(c_key, n, width),
        "central_social_cost": c_sc,
        "central_blocks": c_blocks,
        "pos_social_cost": pos,
        "poa_social_cost": poa,
    }
    return {k: sg.unsort(v.astype(VARIABLES[k].dtype, copy=False), 1) for k, v in out.items()}


# --- the engine's calls ------------------------------------------------------------------------
def _chunk_inputs(plan: Plan, chunk: Chunk):
    scan = plan.spec
    sigma = scan.sigma[chunk["sigma"]]
    sg, grid = grid_of(sigma)
    return scan, scan.models(chunk), sg, grid


def _profile(scan, p: int) -> np.ndarray:
    n = int(scan.profiles.n_players[p])
    return scan.profiles.costs[p, :n]


def compute_block(plan: Plan, chunk: Chunk, block: int) -> Part:
    """Block ``block`` of the chunk's one profile: the partitions with the ``block``-th prefix."""
    scan, models, _, grid = _chunk_inputs(plan, chunk)
    p = chunk["profile"].start
    costs = _profile(scan, p)
    prefix = prefixes(scan.split(costs.size))[block]
    return walk_profile(costs, models, grid, scan.notions, prefix)


def compute_chunk(plan: Plan, chunk: Chunk, merged: Part | None = None) -> dict[str, np.ndarray]:
    """Every variable over the chunk's region (each by its own dims)."""
    scan, models, sg, grid = _chunk_inputs(plan, chunk)
    width = scan.profiles.width
    rows = range(*chunk["profile"].indices(len(scan.profiles)))
    per = []
    for p in rows:
        costs = _profile(scan, p)
        part = merged if merged is not None else walk_profile(costs, models, grid, scan.notions)
        per.append(values(part, costs, models, sg, width))
    out = {k: np.stack([v[k] for v in per]) for k in per[0]}
    if scan.privacy.dim is None:  # the constant model: no dim of its own
        out = {k: v[:, 0] for k, v in out.items()}
    return out


def merge_all(parts) -> Part:
    return reduce(merge, parts)


def warm_up(notify=None) -> None:
    """Compile (or load) every kernel a scan and the point commands call, on a tiny profile."""
    from ..kernels._numba import announce

    with announce("partitions", notify or (lambda message: None)):
        sg, grid = grid_of(np.array([0.1, 0.5]))
        costs = np.array([0.01, 0.02, 0.03])
        part = walk_profile(costs, np.array([0.0]), grid, ("nash", "core"), prefix=[0, 0])
        values(merge(part, part), costs, np.array([0.0]), sg, 3)
