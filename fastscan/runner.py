"""Scheduling only, for any game: a Dask graph of chunk tasks (each after its blocks), run on
local threads or a dask.distributed Client, results handed to a :class:`Sink`.

What a task computes is its game's business (:mod:`fastscan.game`); where results go is the
sink's (memory here, a Zarr cube in :mod:`fastscan.cube`).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from contextvars import ContextVar
from functools import reduce
from typing import Any, Protocol

import numpy as np

from .plan import Chunk, Plan
from .variables import region


def cpus() -> int:
    """The CPUs this process may run on: its affinity (``taskset``, a container's cpuset) where
    the OS tells it, else every CPU of the machine; the default number of local threads."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except (AttributeError, OSError):  # macOS and Windows have no affinity call
        return os.cpu_count() or 1


# threads of a local run, set by :func:`local_threads` for the code that reaches :func:`execute`
# through callers that do not pass ``workers`` (the cube's :func:`~fastscan.cube.run_to_store`)
_THREADS: ContextVar[int | None] = ContextVar("fastscan_threads", default=None)


@contextlib.contextmanager
def local_threads(threads: int | None) -> Iterator[None]:
    """Within the block, local runs use ``threads`` threads (None: :func:`cpus`)."""
    token = _THREADS.set(threads)
    try:
        yield
    finally:
        _THREADS.reset(token)


class Sink(Protocol):
    """Where finished chunks go, and where a split chunk's blocks wait for their merge."""

    def done(self) -> set[str]:
        """Chunks already finished (by name)."""

    def kept(self, chunk: Chunk) -> set[int]:
        """Blocks of ``chunk`` already kept."""

    def finished(self, chunk: Chunk) -> bool:
        """Whether ``chunk`` is already written and marked (a task run again after its worker
        died between writing and reporting must not write it a second time)."""

    def keep_part(self, chunk: Chunk, block: int, part: Any) -> Any:
        """Keep a block's part until its chunk merges; returns what the chunk task receives."""

    def parts(self, chunk: Chunk, parts: tuple) -> Any:
        """Every part of ``chunk``, each block exactly once (``parts``: what this run's block
        tasks returned); raises :class:`MissingBlocks` rather than give fewer."""

    def write(self, chunk: Chunk, values: dict[str, np.ndarray]) -> None:
        """Store a chunk's values (each variable by its own dims)."""


def block_task(plan: Plan, chunk: Chunk, block: int, sink: Sink) -> Any:
    """One block of a split chunk; kept by the sink until its chunk merges."""
    part = plan.game.compute_block(plan, chunk, block)
    return sink.keep_part(chunk, block, part)


class MissingBlocks(RuntimeError):
    """A split chunk's merge found blocks missing (lost with a worker): nothing of it is written."""


def chunk_task(plan: Plan, chunk: Chunk, sink: Sink, *parts) -> str:
    """Compute one chunk (or merge its blocks) and write it; returns the chunk's name."""
    if sink.finished(chunk):
        return chunk.name
    game = plan.game
    merged = reduce(game.merge, sink.parts(chunk, parts)) if plan.blocks(chunk) > 1 else None
    sink.write(chunk, game.compute_chunk(plan, chunk, merged))
    return chunk.name


class MemorySink:
    """Fills in-memory arrays of every result variable of the cube (threads share them)."""

    def __init__(self, plan: Plan):
        registry = plan.registry()
        sizes = plan.spec.sizes()
        inputs = plan.spec.inputs()
        self.variables = {k: v for k, v in registry.items() if k not in inputs}
        self.arrays = {
            name: np.full(tuple(sizes[d] for d in var.dims), var.fill, var.dtype)
            for name, var in self.variables.items()
        }

    def done(self) -> set[str]:
        return set()

    def keep_part(self, chunk: Chunk, block: int, part):
        return part

    def kept(self, chunk: Chunk) -> set[int]:
        return set()

    def finished(self, chunk: Chunk) -> bool:
        return False

    def parts(self, chunk: Chunk, parts):
        return parts

    def write(self, chunk: Chunk, values: dict[str, np.ndarray]) -> None:
        for name, v in values.items():
            self.arrays[name][region(self.variables[name], chunk.region)] = v


def graph(plan: Plan, sink: Sink, chunks: list[Chunk], kept: dict[str, set[int]]):
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
    plan: Plan, sink: Sink, done: set[str] | None = None
) -> tuple[list[Chunk], dict[str, set[int]]]:
    """Chunks the sink has not finished (``done``: when already known), and the blocks of them
    it already keeps."""
    finished = sink.done() if done is None else done
    chunks = [c for c in plan.chunk_list() if c.name not in finished]
    kept = {c.name: sink.kept(c) for c in chunks if plan.blocks(c) > 1}
    return chunks, kept


def _warm_up(plan: Plan) -> None:
    plan.game.warm_up(plan)


def execute(plan: Plan, sink: Sink, progress=None, client=None, workers: int | None = None) -> None:
    """Run every chunk the sink has not finished; ``client``: a dask.distributed Client."""
    from dask.callbacks import Callback

    chunks, kept = pending(plan, sink)
    tasks, counted = graph(plan, sink, chunks, kept)
    if not tasks:
        return
    if client is None:
        _warm_up(plan)
        keys = {t.key for t in counted}

        class Tick(Callback):
            def _posttask(self, key, result, dsk, state, worker_id):
                if progress is not None and key in keys:
                    progress.advance()

        from dask.threaded import get as threaded_get

        dsk = {}
        for t in tasks:
            dsk.update(t.__dask_graph__())
        threads = workers or _THREADS.get() or cpus()
        with Tick():
            # the threaded scheduler itself: dask.compute would import distributed (0.3 s) to
            # look for a client, and a small command must start in about a second
            threaded_get(dsk, [t.key for t in tasks], num_workers=threads)
        return
    from distributed import as_completed

    client.run(_warm_up, plan)
    chunk_keys = {t.key for t in tasks}
    counted_keys = {t.key for t in counted}
    futures = client.compute(tasks)
    # blocks share keys with the chunks' dependencies, so the cluster computes them once
    ticks = client.compute([t for t in counted if t.key not in chunk_keys]) + [
        f for f, t in zip(futures, tasks, strict=True) if t.key in counted_keys
    ]
    try:
        _watch(client, as_completed(ticks, loop=client.loop), progress)
        client.gather(futures)
    except BaseException:
        client.cancel(futures + ticks)
        raise


NO_WORKERS_TIMEOUT = float(os.environ.get("FASTSCAN_NO_WORKERS_TIMEOUT", "60"))


class NoWorkers(RuntimeError):
    """Every worker of the cluster is gone, for longer than :data:`NO_WORKERS_TIMEOUT`."""


def _watch(client, done, progress) -> None:
    """Advance ``progress`` for each task that finished (a failed or cancelled one is no
    progress), and stop when the cluster has had no worker for ``NO_WORKERS_TIMEOUT`` s
    rather than wait forever."""
    import time

    alone_since = None
    while not done.is_empty():
        batch = done.next_batch(block=False)
        for future in batch:
            if future.status == "finished" and progress is not None:
                progress.advance()
        if batch:
            continue
        if client.scheduler_info().get("workers"):
            alone_since = None
        else:
            alone_since = alone_since or time.monotonic()
            if time.monotonic() - alone_since > NO_WORKERS_TIMEOUT:
                raise NoWorkers(
                    f"the cluster has had no worker for {NO_WORKERS_TIMEOUT:g} s "
                    "(start one with: dask worker ADDRESS)"
                )
        time.sleep(0.1)


def compute(plan: Plan, workers: int | None = None) -> dict[str, np.ndarray]:
    """Every result variable of ``plan`` in memory, computed on ``workers`` threads."""
    sink = MemorySink(plan)
    execute(plan, sink, workers=workers)
    return sink.arrays


def dataset(plan: Plan, workers: int | None = None):
    """``plan`` computed in memory into its xarray Dataset: results, inputs (in the registry's
    dtypes), coordinates, labels and attrs (every game's in-memory ``scan`` ends here)."""
    from .variables import build_dataset

    registry = plan.registry()
    inputs = {
        k: np.asarray(v).astype(registry[k].dtype, copy=False)
        for k, v in plan.spec.inputs().items()
    }
    data = {**compute(plan, workers=workers or cpus()), **inputs}
    spec = plan.spec
    return build_dataset(registry, data, spec.coords(), plan.attrs(stored=False), spec.labels())


def connect(address: str, name: str = "scheduler"):
    """A dask.distributed Client for ``address``; a clear error when it cannot be reached."""
    try:
        from distributed import Client

        return Client(address, timeout="10s", set_as_default=False)
    except (OSError, TimeoutError, ValueError) as err:
        raise ValueError(f"{name} {address!r} could not be reached: {err}") from None
