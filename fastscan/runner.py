"""Execution: a Dask graph of chunk (and block) tasks, written to memory or to a Zarr store."""

from __future__ import annotations

import os
from typing import Any

import numpy as np

from .engine import (
    Profile,
    SigmaGrid,
    compute_batch,
    compute_part,
    compute_profile,
    finish_part,
    fixed_players,
    merge_parts,
    warm_up,
    with_pos,
)
from .kernels.contracts import CellOutputs, Part
from .plan import Chunk, Plan
from .store import Status, Store
from .variables import VARIABLES, build_dataset

VALUE_NAMES = CellOutputs._fields + ("pos_social_cost", "pos_variance")


def _profile(plan: Plan, p: int) -> Profile:
    return Profile.from_costs(plan.profiles.row(p))


def _grid(plan: Plan, chunk: Chunk) -> SigmaGrid:
    return SigmaGrid.from_sigma(plan.sigma[chunk.s])


def block_task(plan: Plan, chunk: Chunk, block: int, sink) -> Any:
    """One block of a huge profile's coalitions; kept by the sink until its chunk merges."""
    p = chunk.p.start
    prof = _profile(plan, p)
    part = compute_part(
        prof, plan.alpha[chunk.a], _grid(plan, chunk), fixed_players(prof.n, plan.sets), block
    )
    return sink.keep_part(chunk, block, part)


def chunk_task(plan: Plan, chunk: Chunk, sink, *parts) -> str:
    """Compute (or merge the blocks of) one chunk and write it; returns the chunk's name."""
    grid = _grid(plan, chunk)  # once per chunk: its sort is shared by every profile
    alpha = plan.alpha[chunk.a]
    if plan.sets == "all" and plan.blocks(chunk) == 1:
        # many small profiles: one kernel call for the whole chunk
        stop = min(chunk.p.stop, len(plan.profiles))
        values = compute_batch(
            plan.profiles.costs[chunk.p.start : stop],
            plan.profiles.n_players[chunk.p.start : stop],
            alpha,
            grid,
        )
        sink.write(chunk, {k: grid.unsort(v, axis=2) for k, v in with_pos(values).items()})
        return chunk.name
    rows = []
    for p in range(chunk.p.start, min(chunk.p.stop, len(plan.profiles))):
        prof = _profile(plan, p)
        if plan.blocks(chunk) > 1:
            merged = None
            for part in sink.parts(chunk, parts):
                merged = part if merged is None else merge_parts(merged, part)
            values = finish_part(prof, alpha, grid, merged)
        else:
            values = compute_profile(prof, alpha, grid, plan.sets)
        rows.append({k: grid.unsort(v, axis=1) for k, v in with_pos(values).items()})
    sink.write(chunk, {k: np.stack([r[k] for r in rows]) for k in VALUE_NAMES})
    return chunk.name


class MemorySink:
    """Fills in-memory arrays of the whole cube (threads share them)."""

    def __init__(self, plan: Plan):
        sizes = plan.sizes()
        self.arrays = {}
        for name in VALUE_NAMES:
            var = VARIABLES[name]
            self.arrays[name] = np.full(tuple(sizes[d] for d in var.dims), var.fill, var.dtype)

    def done(self) -> set[str]:
        return set()

    def keep_part(self, chunk: Chunk, block: int, part):
        return part

    def kept(self, chunk: Chunk) -> set[int]:
        return set()

    def parts(self, chunk: Chunk, parts):
        return parts

    def write(self, chunk: Chunk, values: dict[str, np.ndarray]) -> None:
        for name, v in values.items():
            self.arrays[name][
                (chunk.p, chunk.a, chunk.s)[: v.ndim - (v.ndim == 4)]
                + ((slice(None),) if v.ndim == 4 else ())
            ] = v


class StoreSink:
    """Writes chunks into a Zarr store, each followed by its done marker; block parts persist
    in the store until their chunk is merged, so a resumed scan redoes only missing blocks."""

    def __init__(self, store: Store):
        self.store = store

    def done(self) -> set[str]:
        return self.store.done()

    def keep_part(self, chunk: Chunk, block: int, part) -> None:
        self.store.save_partial(chunk.name, block, part._asdict())

    def kept(self, chunk: Chunk) -> set[int]:
        return set(self.store.partials(chunk.name))

    def parts(self, chunk: Chunk, parts):
        for path in self.store.partials(chunk.name).values():
            yield Part(**self.store.load_partial(path))

    def write(self, chunk: Chunk, values: dict[str, np.ndarray]) -> None:
        self.store.write_region((chunk.p, chunk.a, chunk.s), values)
        self.store.mark_done(chunk.name)  # only after the data
        self.store.drop_partials(chunk.name)


def units(plan: Plan, chunks: list[Chunk], kept: dict[str, set[int]]) -> int:
    """Progress units still to do: each block of a split chunk, each unsplit chunk."""
    return sum(
        plan.blocks(c) - len(kept.get(c.name, ())) if plan.blocks(c) > 1 else 1 for c in chunks
    )


def graph(plan: Plan, sink, chunks: list[Chunk], kept: dict[str, set[int]]):
    """Delayed chunk tasks (each depending on its missing blocks), and the tasks that count as
    one unit of progress (every block of a split chunk, every unsplit chunk)."""
    import dask

    dplan = dask.delayed(plan, pure=True, traverse=False)
    dsink = dask.delayed(sink, pure=True, traverse=False)
    out, counted = [], []
    for c in chunks:
        split = plan.blocks(c) > 1
        blocks = [
            dask.delayed(block_task, pure=True)(
                dplan, c, b, dsink, dask_key_name=f"block-{c.name}-{b}"
            )
            for b in range(plan.blocks(c))
            if split and b not in kept.get(c.name, set())
        ]
        task = dask.delayed(chunk_task, pure=True)(
            dplan, c, dsink, *blocks, dask_key_name=f"chunk-{c.name}"
        )
        out.append(task)
        counted += blocks if split else [task]
    return out, counted


def pending(
    plan: Plan, sink, done: set[str] | None = None
) -> tuple[list[Chunk], dict[str, set[int]]]:
    """Chunks the sink has not finished (``done``: when already known), and the blocks of them
    it already keeps."""
    finished = sink.done() if done is None else done
    chunks = [c for c in plan.chunk_list() if c.name not in finished]
    kept = {c.name: sink.kept(c) for c in chunks if plan.blocks(c) > 1}
    return chunks, kept


def execute(plan: Plan, sink, progress=None, client=None, workers: int | None = None) -> None:
    """Run every chunk the sink has not finished; ``client``: a dask.distributed Client."""
    from dask.callbacks import Callback

    chunks, kept = pending(plan, sink)
    tasks, counted = graph(plan, sink, chunks, kept)
    if not tasks:
        return
    if client is None:
        warm_up(plan.sets, split=plan.n_blocks > plan.n_chunks)
        keys = {t.key for t in counted}

        class Tick(Callback):
            def _posttask(self, key, result, dsk, state, worker_id):
                if progress is not None and key in keys:
                    progress.advance()

        from dask.threaded import get

        dsk = {}
        for t in tasks:
            dsk.update(t.__dask_graph__())
        with Tick():
            # the threaded scheduler itself: dask.compute would import distributed (0.3 s) to
            # look for a client, and a small command must start in about a second
            get(dsk, [t.key for t in tasks], num_workers=workers or os.cpu_count())
        return
    from distributed import as_completed

    client.run(warm_up, plan.sets)
    chunk_keys = {t.key for t in tasks}
    counted_keys = {t.key for t in counted}
    futures = client.compute(tasks)
    # blocks share keys with the chunks' dependencies, so the cluster computes them once
    ticks = client.compute([t for t in counted if t.key not in chunk_keys]) + [
        f for f, t in zip(futures, tasks, strict=True) if t.key in counted_keys
    ]
    try:
        for _ in as_completed(ticks, loop=client.loop):
            if progress is not None:
                progress.advance()
        client.gather(futures)
    except BaseException:
        client.cancel(futures + ticks)
        raise


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
    from . import __version__, validate
    from .grids import ProfileSet
    from .variables import PAPER

    validate.check_sets(sets)
    threads = validate.check_threads(threads)
    padded = validate.check_profiles(costs, sets)
    plan = Plan.build(ProfileSet(padded, {}, {"source": "costs"}), alpha, sigma, sets)
    plan = _spread(plan, threads or os.cpu_count() or 1)
    sink = MemorySink(plan)
    execute(plan, sink, workers=threads)
    data = dict(sink.arrays)
    data["costs"] = plan.profiles.costs
    data["n_players"] = plan.profiles.n_players.astype(np.int64)
    attrs = {
        "title": "fastscan stability cube",
        "sets": sets,
        "paper": PAPER,
        "fastscan_version": __version__,
    }
    return build_dataset(data, plan.coords(), attrs)


def _spread(plan: Plan, workers: int) -> Plan:
    """Smaller alpha chunks when there are fewer tasks than workers (in memory only).

    Each alpha chunk enumerates the coalitions again, so it splits only until every worker has a
    task (a split profile's blocks count as tasks), and never below 4 alphas per chunk: measured
    on 2 cores, n = 20 and 24 with 16 alphas, one more split costs 20-40 % more than it saves.
    """
    pc, ac, sc = plan.chunks

    def tasks(p: Plan) -> int:
        return sum(p.blocks(c) for c in p.chunk_list())

    while ac > 4 and tasks(plan) < workers:
        ac = (ac + 1) // 2
        plan = Plan(plan.profiles, plan.alpha, plan.sigma, plan.sets, (pc, ac, sc))
    return plan


def connect(address: str):
    """A dask.distributed Client for ``address``; a clear error when it cannot be reached."""
    try:
        from distributed import Client

        return Client(address, timeout="10s", set_as_default=False)
    except (OSError, TimeoutError, ValueError) as err:
        raise ValueError(f"--scheduler {address!r} could not be reached: {err}") from None


def differences(old: dict, new: dict) -> list[str]:
    """Which parts of two scan configurations differ, by content: chunks are the store's own
    business, and how the profiles were given (a file's path, say) is provenance only."""
    out = []
    for key in sorted(set(old) | set(new)):
        if key in ("chunks", "profiles") or old.get(key) == new.get(key):
            continue
        if key not in old or key not in new:  # written by another fastscan version
            continue
        a, b = old.get(key), new.get(key)
        if isinstance(a, list) and isinstance(b, list) and (len(a) > 4 or len(b) > 4):
            a, b = (
                f"{len(a)} values [{a[0]:g} .. {a[-1]:g}]",
                f"{len(b)} values [{b[0]:g} .. {b[-1]:g}]",
            )
        out.append(f"{key}: store has {a}, this scan has {b}")
    return out


def prepare(plan: Plan, store: Store, mode: str) -> tuple[Plan, Status | None]:
    """Check ``store`` against ``mode`` ("new", "resume", "overwrite") before anything is written;
    returns the plan to run (on resume with the store's chunks) and, on resume, the store's
    verified status (chunks done; damaged or missing ones are recomputed)."""
    store.check_target(mode)
    store.recover()
    if not store.exists():
        return plan, None
    if mode == "new":
        raise ValueError(
            f"--out {store.url!r} already exists; add --resume to finish it or "
            f"--overwrite to replace it"
        )
    if not store.is_cube():
        raise ValueError(f"--out {store.url!r} is not a fastscan cube; refusing to touch it")
    store.check_lock()
    if mode == "overwrite":
        return plan, None
    old = store.config()
    diff = differences(old, plan.config())
    if diff:
        raise ValueError(
            f"--resume: {store.url!r} was scanned with other parameters: " + "; ".join(diff)
        )
    plan = Plan(plan.profiles, plan.alpha, plan.sigma, plan.sets, tuple(old["chunks"]))
    return plan, store.status(verify=True)


def todo(plan: Plan, store: Store, status: Status | None) -> int:
    """Progress units a run will do: all of a new cube, what a resumed one lacks."""
    if status is None:
        return units(plan, plan.chunk_list(), {})
    return units(plan, *pending(plan, StoreSink(store), status.done))


def run_to_store(
    plan: Plan,
    store: Store,
    mode: str,
    client=None,
    progress=None,
    status: Status | None = None,
    provenance: dict | None = None,
) -> None:
    """Create (atomically, or replace) the cube as ``mode`` says, or repair what ``status``
    found damaged, then compute every missing chunk. ``provenance``: extra attrs."""
    if mode == "resume" and store.exists():
        store.acquire()
        if status is not None:
            store.unmark(status.damaged)
            if status.inputs:
                store.repair(plan.layout(provenance), status.inputs)
    else:
        if store.exists():
            store.acquire()  # refuses while another scan writes there
        store.create(plan.layout(provenance), replace=mode == "overwrite")
    try:
        execute(plan, StoreSink(store), progress=progress, client=client)
    finally:
        store.release()
