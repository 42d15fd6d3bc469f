"""A batch scan as its user sees it, for any game: the plan and its estimate first, a refusal when
the cube would be too large, a progress bar, the run into the cube, and when interrupted, what is
safe and the command that resumes."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from concurrent.futures import CancelledError

from .cube import Cube
from .grids import plain
from .plan import Plan
from .store import Store, settle_writes, unreachable

SIZE_LIMIT = 2 * 2**30  # bytes a plan may write without ``yes``
TIME_LIMIT = 4 * 3600.0  # estimated seconds a plan may run without ``yes``


class Interrupted(KeyboardInterrupt):
    """Ctrl-C during a scan, with what was kept and how to go on."""


class Stopped(RuntimeError):
    """A scan that could not finish (a block lost with its worker), with what was kept and how
    to go on: one line, no traceback."""


def human(nbytes: float) -> str:
    """``1536`` -> ``"1.5 KiB"``."""
    for unit in ("B", "KiB", "MiB", "GiB", "TiB"):
        if nbytes < 1024 or unit == "TiB":
            return f"{nbytes:.1f} {unit}" if unit != "B" else f"{int(nbytes)} B"
        nbytes /= 1024
    return ""


def seconds(t: float) -> str:
    """A duration for people: ``"under a second"``, ``"12 s"``, ``"3 min"``, ``"1.5 h"``."""
    if t < 1:
        return "under a second"
    if t < 120:
        return f"{t:.0f} s"
    if t < 7200:
        return f"{t / 60:.0f} min"
    return f"{t / 3600:.1f} h"


def run(
    plan: Plan,
    url: str,
    mode: str = "new",
    *,
    storage_options: dict | None = None,
    scheduler: str | None = None,
    say: Callable[[str], None] | None = None,
    quiet: bool = False,
    yes: bool = False,
    command: str | None = None,
    resume_command: str | None = None,
    arg: Callable[[str], str] = plain,
    threads: int | None = None,
) -> str:
    """Scan ``plan`` into the cube at ``url`` (``mode``: new, resume or overwrite); returns the
    closing line. ``say`` hears the plan (nothing when ``quiet``), ``command`` is stored as the
    cube's provenance, ``resume_command`` is quoted when interrupted; ``arg`` names arguments
    in errors; ``threads``: of a local run (None: :func:`~fastscan.runner.cpus`)."""
    from .redact import redact_url
    from .runner import MissingBlocks, NoWorkers, connect, cpus, local_threads

    if threads is not None and scheduler:
        raise ValueError(
            f"{arg('threads')} is for a run on this machine, not with {arg('scheduler')}"
        )

    refuse_memory(url, arg)  # every game's batch scan: a memory:// cube would vanish at exit
    say = (lambda message: None) if quiet or say is None else say
    if scheduler and _local(url):  # workers would resolve a relative path in their own folder
        url = os.path.abspath(url.removeprefix("file://"))
    store = Store(url, storage_options, arg("out"))
    client = connect(scheduler, arg("scheduler")) if scheduler else None
    start = time.monotonic()
    try:
        if client is not None and _local(url):
            _check_workers_see(client, os.path.dirname(url), arg("out"))
        elif client is not None:
            _check_workers_reach(client, url, storage_options, arg("out"))
        local = threads or cpus()
        workers = (sum(client.nthreads().values()) if client is not None else local) or 1
        # blocks enough for every worker (a resume takes the cube's own split instead)
        cube = Cube.prepare(plan.fitted(workers), store, mode, arg)  # the one survey of the store
        plan, state = cube.plan, cube.status
        if state is not None and state.complete:
            return (
                f"{store.url}: complete ({plan.n_chunks} of {plan.n_chunks} chunks), nothing to do"
            )
        done = len(state.done) if state is not None else 0
        for line in describe(plan, done, state, workers, client is None, yes, say, arg):
            say(line)
        with local_threads(threads):
            _fill(cube, mode, client, quiet, command)
    except KeyboardInterrupt:
        settle_writes(timeout=10.0)
        raise Interrupted(_kept(store, plan, "interrupted", resume_command)) from None
    except (MissingBlocks, NoWorkers) as err:
        raise Stopped(_kept(store, plan, f"stopped: {err}", resume_command)) from None
    except CancelledError:  # the cluster dropped the scan's tasks (its scheduler went away)
        why = "stopped: the cluster cancelled the scan's tasks (its scheduler was lost?)"
        raise Stopped(_kept(store, plan, why, resume_command)) from None
    except OSError as err:  # a full disk, a read-only store, the scheduler lost: markers
        # follow their data, so what is marked is whole and the rest is redone on resume
        why = f"{type(err).__name__}: {redact_url(err)}"
        settle_writes()
        if not _cube_there(store):  # the store could not even be made: a bad location
            raise ValueError(f"{arg('out')} {store.url!r}: {why}; nothing was written") from None
        raise Stopped(_kept(store, plan, f"stopped: {why}", resume_command)) from None
    finally:
        if client is not None:
            client.close()
    return f"done: {plan.n_chunks} chunks in {time.monotonic() - start:.1f} s -> {store.url}"


def mode_of(
    out: str | None, resume: bool, overwrite: bool, arg: Callable[[str], str] = plain
) -> str:
    """The mode (new, resume, overwrite) a scan command's ``--out``, ``--resume`` and
    ``--overwrite`` ask for, checked before anything else (every game's scan command)."""
    if out is None:
        raise ValueError(f"{arg('out')} is required (a path or fsspec URL for the Zarr store)")
    if resume and overwrite:
        raise ValueError(f"give {arg('resume')} or {arg('overwrite')}, not both")
    return "resume" if resume else "overwrite" if overwrite else "new"


def refuse_memory(url: str, arg: Callable[[str], str] = plain) -> None:
    """Refuse a command's ``memory://`` cube: it would vanish when fastscan exits (:func:`run`
    checks it for every game's scan command)."""
    if url.startswith("memory://"):
        raise ValueError(
            f"{arg('out')} memory:// lives only inside this process and would be lost when "
            f"fastscan exits; give a path or a shared URL (file://, s3://...)"
        )


def _cube_there(store: Store) -> bool:
    try:
        return store.exists() and store.is_cube()
    except OSError:
        return False


def _local(url: str) -> bool:
    return "://" not in url or url.startswith("file://")


def _check_workers_see(client, folder: str, name: str) -> None:
    """Refuse a local ``--out`` whose folder some worker does not see (another machine)."""
    try:
        seen = client.run(os.path.isdir, folder)
    except Exception:  # noqa: BLE001 - a check that cannot run decides nothing
        return
    blind = sorted(w for w, ok in seen.items() if not ok)
    if blind:
        raise ValueError(
            f"{name} {folder!r} is a local folder that {len(blind)} of {len(seen)} workers do not "
            f"see (e.g. {blind[0]}); give a folder every worker shares, or an object store URL"
        )


def _check_workers_reach(client, url: str, storage_options: dict | None, name: str) -> None:
    """Refuse an object store some worker cannot use (no credentials there, no route), before
    anything is written: else every chunk fails on the workers, each with a traceback."""
    from .redact import redact_url

    try:
        why = client.run(unreachable, url, storage_options)
    except Exception:  # noqa: BLE001 - a check that cannot run decides nothing
        return
    blind = sorted((w, y) for w, y in why.items() if y is not None)
    if blind:
        worker, reason = blind[0]
        raise ValueError(
            f"{name} {redact_url(url)!r}: {len(blind)} of {len(why)} workers cannot use it "
            f"(e.g. {worker}: {reason}); give every worker the store's credentials and access"
        )


def _kept(store: Store, plan: Plan, why: str, resume_command: str | None) -> str:
    """What a scan that ends early says: why, what is safely stored, and how to go on."""
    try:
        if not (store.exists() and store.is_cube()):
            return f"{why} before the cube was created; nothing was written"
        finished = len(store.marked())
    except OSError:  # the store itself is out of reach now
        return f"{why}; the store could not be read now. Continue with: {resume_command}"
    return (
        f"{why}; {finished} of {plan.n_chunks} chunks are safely stored. Continue with: "
        f"{resume_command}"
    )


def describe(plan, done, state, workers, local, yes, say, arg=plain):
    """The plan's lines, one at a time (the estimate last: it warms and calibrates kernels);
    refuses a cube over :data:`SIZE_LIMIT` unless ``yes``."""
    game = plan.game
    first = game.describe_plan(plan)
    yield "plan: " + first[0]
    for line in first[1:]:
        yield "      " + line
    chunks, blocks, nbytes = plan.n_chunks, plan.n_blocks, plan.nbytes()
    block_note = f" in {blocks} blocks" if blocks > chunks else ""
    yield (
        f"      {chunks:,} chunks of {' x '.join(map(str, plan.chunks))}{block_note}"
        f"{f', {done} already done' if done else ''}; output up to {human(nbytes)}"
    )
    if state is not None and (state.damaged or state.inputs):
        yield f"      the store had {state.summary()}"
    if nbytes > SIZE_LIMIT and not yes:
        raise ValueError(
            f"the cube would take up to {human(nbytes)} (limit {human(SIZE_LIMIT)}); add "
            f"{arg('yes')} to run it"
        )
    game.warm_up(plan, notify=say)
    eta = game.estimate(plan, workers, 1 - done / max(chunks, 1))
    unit = ("thread" if local else "worker") + ("" if workers == 1 else "s")
    yield f"      estimated {seconds(eta)} on {workers} {unit}"
    if eta > TIME_LIMIT and not yes:
        raise ValueError(
            f"the scan would take about {seconds(eta)} (a plan of more than {seconds(TIME_LIMIT)} "
            f"is run only when asked); add {arg('yes')} to run it"
        )


def _fill(cube: Cube, mode: str, client, quiet: bool, command: str | None) -> None:
    from .progress import Progress

    unit = "blocks" if cube.plan.split else "chunks"
    with Progress(cube.todo(), unit=unit, quiet=quiet) as progress:
        cube.run(mode, client, progress, {"command": command} if command else None)
