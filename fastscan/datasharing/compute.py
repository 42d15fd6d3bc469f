"""The data-sharing game's compute: a whole chunk of (profile, alpha, sigma) in the caller's
sigma order (sort -> kernels -> merge -> finish -> PoS -> unsort), and the blocks of a huge profile.

With ``sets="all"`` and many players a chunk's one profile splits into blocks by the membership
of its cheapest players (the policy is :mod:`.plan`'s); each block's partial result merges
exactly with the others (:func:`merge_parts`).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import reduce

import numpy as np

from ..kernels.datasharing import contracts
from ..kernels.datasharing.contracts import CellOutputs, Given, Part
from ..plan import Chunk, Plan
from .model import a_values
from .plan import SPLIT, Scan, Split
from .variables import NOTION_VALUES, VARIABLES

_workspace = threading.local()  # per thread: the sparse tables of scan_all, reused


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

    @property
    def c(self) -> np.ndarray:
        """The costs ascending (``a``'s order): what the exact decisions start from."""
        return np.ascontiguousarray(self.costs[self.order], dtype=np.float64)

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
    ascending: bool  # the caller's sigma values were already ascending (no reordering)
    sorted: np.ndarray  # sigma ascending: s = fl(sorted^2), the exact decisions use sorted

    @classmethod
    def from_sigma(cls, sigma: np.ndarray) -> SigmaGrid:
        order = np.argsort(sigma, kind="stable")
        srt = np.ascontiguousarray(sigma[order], dtype=np.float64)
        ascending = bool(np.all(order == np.arange(order.size)))
        # one correctly rounded IEEE product per value: the same bits on every CPU
        return cls(sigma, order, np.ascontiguousarray(srt * srt), ascending, srt)

    def given(self, c: np.ndarray) -> Given:
        """The kernels' :class:`~fastscan.kernels.datasharing.contracts.Given` for costs ``c``
        (ascending; one profile, or rows of a batch)."""
        return Given(np.ascontiguousarray(c, dtype=np.float64), self.sorted)

    def unsort(self, arr: np.ndarray, axis: int) -> np.ndarray:
        """Put the sigma axis of a kernel output back into the caller's order."""
        if self.ascending:
            return arr
        out = np.empty_like(arr)
        index = [slice(None)] * arr.ndim
        index[axis] = self.order
        out[tuple(index)] = arr
        return out


OUTPUT_DTYPES = {name: VARIABLES[name].dtype for name in CellOutputs._fields}


@dataclass(frozen=True)
class Lanes:
    """What the kernels keep per cell: the first ``n_notion`` notions of
    :data:`~fastscan.datasharing.variables.NOTION_VALUES` (2: nash, robust; 3: and designer),
    and the worst stable coalitions too when ``worst``."""

    n_notion: int = 2
    worst: bool = False

    @classmethod
    def of(cls, scan: Scan) -> Lanes:
        # nash and robust always: the kernels compute them together (one lane alone would
        # have them write the robust lane out of bounds)
        return cls(max(2, max(NOTION_VALUES.index(nu) for nu in scan.notions) + 1), scan.worst)


DEFAULT_LANES = Lanes()


def records(models):
    """The kernels' privacy record: ``models`` itself (a
    :class:`~fastscan.kernels.datasharing.privacy.Privacy`) or the power law over alpha values."""
    from ..kernels.datasharing import privacy

    if isinstance(models, privacy.Privacy):
        return models
    return privacy.power(np.asarray(models, dtype=np.float64))


def _outputs(n_alpha: int, n_s: int, lead: tuple[int, ...] = (), lanes: Lanes = DEFAULT_LANES):
    return contracts.zeros(CellOutputs, OUTPUT_DTYPES, n_alpha, n_s, lead, lanes.n_notion)


def _tables(n: int, n_alpha: int, n_s: int, lanes: Lanes):
    """This thread's clean kernel workspace (tens of MB, reused: the kernel leaves it clean)."""
    from ..kernels.datasharing.allsets import new_tables, tables_shape

    tables = getattr(_workspace, "tables", None)
    want = tables_shape(n, n_alpha, n_s, lanes.n_notion, lanes.worst)
    if (
        tables is None
        or tables.entries.shape[:3] != want
        or tuple(tables.layout) != (lanes.n_notion, int(lanes.worst))
    ):
        tables = new_tables(n, n_alpha, n_s, lanes.n_notion, lanes.worst)
    _workspace.tables = None  # not reusable if the kernel stops half-way
    return tables


def compute_part(
    profile: Profile,
    models,
    grid: SigmaGrid,
    n_fixed: int = 0,
    pattern: int = 0,
    lanes: Lanes = DEFAULT_LANES,
) -> Part:
    """The coalitions whose ``n_fixed`` cheapest players follow ``pattern`` (sets="all")."""
    from ..kernels.datasharing.allsets import scan_all

    priv = records(models)
    na = priv.x.size
    part = contracts.zeros(Part, contracts.PART_DTYPES, na, grid.s.size, n_notion=lanes.n_notion)
    tables = _tables(profile.n, na, grid.s.size, lanes)
    scan_all(
        profile.a,
        profile.inbit,
        priv,
        grid.s,
        n_fixed,
        np.uint64(pattern),
        part,
        tables,
        grid.given(profile.c),
    )
    _workspace.tables = tables
    return part


def merge_parts(x: Part, y: Part) -> Part:
    """Combine two blocks' parts exactly: counts add, sizes take max / min (0 = none), and the
    optimum is the least (social cost, size, A, members), the order every kernel uses, and the
    worst stable coalition the greatest."""
    lo = np.minimum(x.min_size, y.min_size)
    kx, ky = x.best_k, y.best_k
    sx, sy = x.best_sc, y.best_sc
    ax, ay = x.best_A, y.best_A
    mx, my = x.best_members, y.best_members
    take_y = (sy < sx) | (
        (sy == sx) & ((ky < kx) | ((ky == kx) & ((ay < ax) | ((ay == ax) & (my < mx)))))
    )
    take_y &= ky > 0  # size 0: nothing stable in that block
    wx, wy = x.worst_k, y.worst_k
    ux, uy = x.worst_sc, y.worst_sc
    bx, by = x.worst_A, y.worst_A
    nx, ny = x.worst_members, y.worst_members
    worse_y = (uy > ux) | (
        (uy == ux) & ((wy > wx) | ((wy == wx) & ((by > bx) | ((by == bx) & (ny > nx)))))
    )
    worse_y &= wy > 0
    return x._replace(
        worst_sc=np.where(worse_y, uy, ux),
        worst_k=np.where(worse_y, wy, wx),
        worst_A=np.where(worse_y, by, bx),
        worst_members=np.where(worse_y, ny, nx),
        stable_count=x.stable_count + y.stable_count,
        max_size=np.maximum(x.max_size, y.max_size),
        min_size=np.where(x.min_size == 0, y.min_size, np.where(y.min_size == 0, x.min_size, lo)),
        best_sc=np.where(take_y, sy, sx),
        best_k=np.where(take_y, ky, kx),
        best_A=np.where(take_y, ay, ax),
        best_members=np.where(take_y, my, mx),
    )


def finish_part(profile: Profile, models, grid: SigmaGrid, part: Part) -> dict[str, np.ndarray]:
    """Cube values (sigma ascending) from a profile's merged part."""
    from ..kernels.datasharing.allsets import finish_optimum

    priv = records(models)
    empty = _outputs(priv.x.size, grid.s.size, lanes=Lanes(part.best_k.shape[2]))
    out = empty._replace(
        **{name: getattr(part, name) for name in CellOutputs._fields if name in Part._fields}
    )
    finish_optimum(profile.n, priv, grid.s, part, out)
    return out._asdict()


def compute_batch(
    costs: np.ndarray,
    n_players: np.ndarray,
    models,
    grid: SigmaGrid,
    lanes: Lanes = DEFAULT_LANES,
) -> dict[str, np.ndarray]:
    """Cube values (sigma ascending) of many unsplit profiles (sets="all", NaN-padded rows of
    ``costs``) in one kernel call, with leading dim profile; bit-identical to
    :func:`compute_profile` of each row."""
    from ..kernels.datasharing.allsets import scan_batch

    order = np.argsort(costs, axis=1, kind="stable")  # NaN padding sorts last
    c = np.take_along_axis(costs, order, axis=1)
    a = np.ascontiguousarray(a_values(c))
    inbit = np.ascontiguousarray(np.left_shift(np.uint64(1), order.astype(np.uint64)))
    priv = records(models)
    na, ns = priv.x.size, grid.s.size
    part = contracts.zeros(Part, contracts.PART_DTYPES, na, ns, n_notion=lanes.n_notion)
    outs = _outputs(na, ns, (costs.shape[0],), lanes)
    tables = _tables(int(n_players.max()), na, ns, lanes)
    scan_batch(
        a,
        inbit,
        n_players.astype(np.int64),
        priv,
        grid.s,
        part,
        outs,
        tables,
        grid.given(c),
    )
    _workspace.tables = tables
    return outs._asdict()


def compute_downward(
    profile: Profile, models, grid: SigmaGrid, lanes: Lanes = DEFAULT_LANES
) -> dict[str, np.ndarray]:
    """Cube values (sigma ascending) of the downward-closed coalitions of one profile (the
    worst ones are always kept: no tables, a few compares)."""
    from ..kernels.datasharing.downward import scan_downward

    priv = records(models)
    out = _outputs(priv.x.size, grid.s.size, lanes=lanes)
    inprefix = np.zeros(profile.n + 1, dtype=np.uint64)
    if profile.n <= 64:
        inprefix[1:] = np.bitwise_or.accumulate(profile.inbit)
    scan_downward(profile.a, inprefix, priv, grid.s, out, grid.given(profile.c))
    return out._asdict()


def compute_profile(
    profile: Profile,
    models,
    grid: SigmaGrid,
    sets: str,
    split: Split = SPLIT,
    lanes: Lanes = DEFAULT_LANES,
) -> dict[str, np.ndarray]:
    """Cube values (sigma ascending) of one profile, all its blocks in turn."""
    if sets == "downward":
        return compute_downward(profile, models, grid, lanes)
    priv = records(models)
    n_fixed = split.players(profile.n, sets)
    parts = (compute_part(profile, priv, grid, n_fixed, b, lanes) for b in range(2**n_fixed))
    return finish_part(profile, priv, grid, reduce(merge_parts, parts))


def with_pos(values: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Add the Price of Stability (Section 6), its split into the price of selfish epsilon
    (forced / central) and of stability (best stable / forced), and the Price of Anarchy."""
    out = dict(values)
    central_sc = values["central_social_cost"][..., None]
    central_var = values["central_variance"][..., None]
    out["pos_social_cost"] = values["opt_social_cost"] / central_sc
    out["pos_variance"] = values["opt_variance"] / central_var
    out["pos_eps_factor"] = values["forced_social_cost"] / values["central_social_cost"]
    out["pos_stability_factor"] = (
        values["opt_social_cost"] / values["forced_social_cost"][..., None]
    )
    out["poa_social_cost"] = values["worst_social_cost"] / central_sc
    out["poa_variance"] = values["worst_variance"] / central_var
    return out


def select(values: dict[str, np.ndarray], scan: Scan, axis: int) -> dict[str, np.ndarray]:
    """The scan's notions (the kernels computed the first few of NOTION_VALUES) and variables
    (``scan.omits()`` left out); ``axis`` is the notion axis of per-notion arrays."""
    keep = [NOTION_VALUES.index(nu) for nu in scan.notions]
    n_notion = values["stable_count"].shape[axis]
    omit = set(scan.omits())
    out = {}
    for name, arr in values.items():
        if name in omit:
            continue
        if keep != list(range(n_notion)) and VARIABLES[name].dims[-1] == "notion":
            arr = np.take(arr, keep, axis=axis)
        out[name] = arr
    return out


def compute_block(plan: Plan, chunk: Chunk, block: int) -> Part:
    """Block ``block`` of the chunk's one profile (the game's block task)."""
    scan = plan.spec
    profile = Profile.from_costs(scan.profiles.row(chunk["profile"].start))
    grid = SigmaGrid.from_sigma(scan.sigma[chunk["sigma"]])
    n_fixed = scan.split.players(profile.n, scan.sets)
    priv = scan.models(chunk)
    return compute_part(profile, priv, grid, n_fixed, block, Lanes.of(scan))


def compute_chunk(plan: Plan, chunk: Chunk, merged: Part | None = None) -> dict[str, np.ndarray]:
    """Every result variable over the chunk (leading dim profile, sigma in the caller's order):
    from ``merged`` blocks of its one profile, else computed whole."""
    scan = plan.spec
    grid = SigmaGrid.from_sigma(scan.sigma[chunk["sigma"]])  # one sort shared by the profiles
    priv = scan.models(chunk)
    first, stop = chunk["profile"].start, min(chunk["profile"].stop, len(scan.profiles))
    lanes = Lanes.of(scan)
    if merged is None and scan.sets == "all":
        # many small profiles: one kernel call for the whole chunk
        values = compute_batch(
            scan.profiles.costs[first:stop],
            scan.profiles.n_players[first:stop],
            priv,
            grid,
            lanes,
        )
        values = select(with_pos(values), scan, axis=3)
        return _own_dims(scan, {k: grid.unsort(v, axis=2) for k, v in values.items()})
    rows = []
    for p in range(first, stop):
        profile = Profile.from_costs(scan.profiles.row(p))
        if merged is not None:
            values = finish_part(profile, priv, grid, merged)
        else:
            values = compute_downward(profile, priv, grid, lanes)
        values = select(with_pos(values), scan, axis=2)
        rows.append({k: grid.unsort(v, axis=1) for k, v in values.items()})
    return _own_dims(scan, {k: np.stack([r[k] for r in rows]) for k in rows[0]})


def _own_dims(scan: Scan, values: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """The kernels' arrays with the cube's dims: without the model axis (axis 1, after profile)
    where the model has no dim (constant: one value)."""
    if scan.privacy.dim is not None:
        return values
    return {k: v[:, 0] if v.ndim >= 3 else v for k, v in values.items()}


def warm_up(sets: str | None = None, notify=None, split: bool = True) -> None:
    """Compile (or load from the on-disk cache) the kernels a scan of ``sets`` needs, every
    kernel when ``sets`` is None; with ``split=False`` (no profile splits into blocks) not the
    block kernels (loading one costs ~0.4 s). ``notify(message)`` hears once when compiling
    will be slow."""
    from ..kernels._numba import announce

    prof = Profile.from_costs(np.array([1e-3, 2e-3, 3e-3]))
    grid = SigmaGrid.from_sigma(np.array([0.1, 0.5]))
    alpha = np.array([0.0])
    what = f"scan-{sets or 'every'}{'' if split else '-unsplit'}"
    with announce(what, notify or (lambda message: None)):
        if sets in (None, "all"):
            compute_batch(prof.costs[None, :], np.array([prof.n]), alpha, grid)
            if split:
                compute_profile(prof, alpha, grid, "all")
        if sets in (None, "downward"):
            compute_downward(prof, alpha, grid)
        # the notion count and worst tables are values, not types: one compilation serves all
