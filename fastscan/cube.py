"""A cube's whole life, for every game: check the target, create it atomically (or replace it
safely), say what is left, write chunks and keep block partials, finalise, describe, open.

Guarantees (the store mechanics are :mod:`fastscan.store`'s): a cube appears only whole (made
aside, renamed in); an overwrite deletes the old cube only after the new one is in place; a
chunk is marked done only after its data; a resume verifies every chunk file and recomputes the
damaged ones; one writer at a time; readers refuse an unfinished or damaged cube unless asked.
"""

from __future__ import annotations

import json
import shlex
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .game import Game, of_cube
from .grids import plain
from .plan import Chunk, Plan, differences
from .runner import MissingBlocks, execute, pending
from .store import META, Store
from .variables import region

# the store's codec: zstd level 1 makes cubes as small as zarr's default level, written 1.5x faster
ZSTD_LEVEL = 1
MODES = ("new", "resume", "overwrite")


@dataclass
class Status:
    """How complete a cube is: chunks (by marker name) done, damaged, and damaged inputs."""

    total: int
    done: set[str]
    damaged: dict[str, list[str]] = field(default_factory=dict)  # chunk -> arrays
    inputs: list[str] = field(default_factory=list)  # damaged coordinate / input arrays

    @property
    def complete(self) -> bool:
        return len(self.done) == self.total and not self.inputs

    def summary(self) -> str:
        text = f"{len(self.done)} of {self.total} chunks done"
        if self.damaged:
            text += f", {len(self.damaged)} damaged or missing (recomputed on resume)"
        if self.inputs:
            text += f"; damaged inputs: {', '.join(self.inputs)} (rewritten on resume)"
        return text


def game_of(store: Store) -> Game:
    """The game that made the cube in ``store``."""
    return of_cube(store.attrs())


def chunk_dims(store: Store) -> tuple[str, ...]:
    """The dims the cube in ``store`` was chunked along."""
    config = store.config()
    return tuple(config.get("chunk_dims") or game_of(store).dims)


def status(store: Store, verify: bool = False) -> Status:
    """What is finished and what is lost: every chunk file of every array is looked for (a
    cheap listing); with ``verify`` each one is also read and decoded."""
    from .integrity import survey

    return survey(store, chunk_dims(store), verify, store.config().get("partial_results", ()))


def resume_command(command: str | None, game: Game | None = None) -> str:
    """The command that finishes a cube of ``game`` made by ``command`` (its ``command``
    attr; without one, the game's scan command)."""
    if not command:
        made = game.scan_command + " ..." if game is not None else "the command that made it"
        return f"{made} --resume (with the parameters it was made with)"
    from .redact import redact_argv

    # credentials left out even where an older cube stored them
    words = [w for w in redact_argv(shlex.split(command)) if w != "--overwrite"]
    return shlex.join(words + ([] if "--resume" in words else ["--resume"]))


# --- the cube's life --------------------------------------------------------------------------
class Cube:
    """One cube's whole life: its store, the plan it is scanned with (on resume, with the store's
    chunks) and what is finished, surveyed once (:meth:`prepare`), then kept up to date here, so
    nothing asks the store again before writing."""

    def __init__(self, store: Store, plan: Plan, status: Status | None = None):
        self.store = store
        self.plan = plan
        self.status = status  # None: a new (or replaced) cube, nothing finished

    @classmethod
    def prepare(cls, plan: Plan, store: Store, mode: str, arg=plain) -> Cube:
        """Check ``store`` against ``mode`` ("new", "resume", "overwrite") before anything is
        written: on resume the store's chunks and its verified status (damaged or missing
        chunks are recomputed). ``arg`` names the modes in errors."""
        if mode not in MODES:
            raise ValueError(f"mode must be one of {', '.join(MODES)} (got {mode!r})")
        store.check_target(mode)
        store.recover()
        if not store.exists():
            return cls(store, plan)
        if mode == "new":
            raise ValueError(
                f"{store.name} {store.url!r} already exists; add {arg('resume')} to finish it or "
                f"{arg('overwrite')} to replace it"
            )
        if not store.is_cube():
            raise ValueError(
                f"{store.name} {store.url!r} is not a fastscan cube; refusing to touch it"
            )
        store.check_lock()
        if mode == "overwrite":
            return cls(store, plan)
        old = store.config()
        if game_of(store).name != plan.game.name:
            raise ValueError(
                f"{arg('resume')}: {store.url!r} is a cube of the {game_of(store).name} game, "
                f"not {plan.game.name}"
            )
        game = plan.game
        plan = plan.resumed(old)  # its chunks and split, whatever the workers now
        diff = differences(old, plan.config(), game.provenance_keys, game.config_defaults)
        if diff:
            raise ValueError(
                f"{arg('resume')}: {store.url!r} was scanned with other parameters: "
                + "; ".join(diff)
            )
        state = status(store, verify=True)
        missing = sorted(set(plan.registry()) - store.array_names())
        if missing and not state.complete:  # made by an older fastscan: it cannot write these
            shown = ", ".join(missing[:6]) + (" ..." if len(missing) > 6 else "")
            raise ValueError(
                f"{arg('resume')}: {store.url!r} was made by an older fastscan and lacks {shown}; "
                f"finish it with that version, or start anew with {arg('overwrite')}"
            )
        return cls(store, plan, state)

    @property
    def done(self) -> set[str]:
        return set() if self.status is None else set(self.status.done)

    def sink(self) -> CubeSink:
        """Where the runner writes: chunks and block parts into this cube."""
        return CubeSink(self.store, self.plan, self.done)

    def todo(self) -> int:
        """Progress units a run will do: all of a new cube, what a resumed one lacks."""
        if self.status is None:
            return self.plan.units(self.plan.chunk_list(), {})
        return self.plan.units(*pending(self.plan, self.sink(), self.done))

    def begin(self, mode: str, provenance: dict | None = None) -> None:
        """Create the cube (atomically; replacing an old one safely) as ``mode`` says, or on
        resume take the lock and repair what the survey found damaged."""
        plan, store, state = self.plan, self.store, self.status

        def layout():
            return plan.layout(ZSTD_LEVEL, provenance)

        if mode == "resume" and store.exists():
            store.acquire()
            store.drop_stray_partials()
            if state is not None:
                store.unmark(state.damaged)
                if state.inputs:
                    store.repair(layout(), state.inputs)
            return
        if store.exists():
            store.acquire()  # refuses while another scan writes there
        store.create(layout(), replace=mode == "overwrite")
        self.status = None  # a new cube: nothing finished

    def run(self, mode: str, client=None, progress=None, provenance: dict | None = None) -> None:
        """Begin (create or repair), compute every unfinished chunk into the cube, finalise."""
        self.begin(mode, provenance)
        try:
            execute(self.plan, self.sink(), progress=progress, client=client)
        finally:
            self.store.release()  # markers say what is finished


def prepare(plan: Plan, store: Store, mode: str, arg=plain) -> tuple[Plan, Status | None]:
    """:meth:`Cube.prepare` as ``(plan, status)``."""
    cube = Cube.prepare(plan, store, mode, arg)
    return cube.plan, cube.status


def run_to_store(
    plan: Plan,
    store: Store,
    mode: str,
    client=None,
    progress=None,
    status: Status | None = None,
    provenance: dict | None = None,
) -> None:
    """:meth:`Cube.run` for a plan already prepared (``status``: what :func:`prepare` found)."""
    Cube(store, plan, status).run(mode, client, progress, provenance)


class CubeSink:
    """Writes chunks into a cube, each followed by its done marker; block parts persist in the
    store until their chunk is merged, so a resumed scan redoes only missing blocks. ``done``:
    the chunks finished when the run began (surveyed when not given)."""

    def __init__(self, store: Store, plan: Plan, done: set[str] | None = None):
        self.store = store
        self.plan = plan
        self.variables = plan.registry()
        self.part_type = plan.game.part_type
        self._done = done

    def done(self) -> set[str]:
        return status(self.store).done if self._done is None else self._done

    def keep_part(self, chunk: Chunk, block: int, part) -> None:
        self.store.save_partial(chunk.name, block, part._asdict())

    def kept(self, chunk: Chunk) -> set[int]:
        return set(self.store.partials(chunk.name))

    def finished(self, chunk: Chunk) -> bool:
        if not self.store.is_marked(chunk.name):
            return False
        self.store.drop_partials(chunk.name)  # blocks recomputed for a task run twice
        return True

    def parts(self, chunk: Chunk, parts):
        found = self.store.partials(chunk.name)
        want = set(range(self.plan.blocks(chunk)))
        if set(found) != want:  # a block lost with its worker: never merge without it
            missing = sorted(want - set(found))
            shown = ", ".join(map(str, missing[:8])) + (" ..." if len(missing) > 8 else "")
            raise MissingBlocks(
                f"chunk {chunk.name}: block part(s) {shown} missing (lost with a worker); "
                "nothing of the chunk was written"
            )
        # one at a time: the merge holds two parts, not every block's
        return (self.part_type(**self.store.load_partial(found[b])) for b in sorted(want))

    def write(self, chunk: Chunk, values: dict[str, np.ndarray]) -> None:
        where = chunk.region
        self.store.write_regions(
            {name: (region(self.variables[name], where), v) for name, v in values.items()}
        )
        self.store.mark_done(chunk.name)  # only after the data
        self.store.drop_partials(chunk.name)


# --- reading ---------------------------------------------------------------------------------
def open_cube(
    url: str,
    storage_options: dict | None = None,
    allow_incomplete: bool = False,
    name: str = "store",
    allow_name: str = "allow_incomplete",
):
    """The Dataset of a fastscan cube; a clear error for anything else.

    A cube that is not finished (or lost chunk files) is refused unless ``allow_incomplete``:
    then every cell of an unfinished chunk reads as missing (NaN), never as a fill value.
    ``name``, ``allow_name``: how errors call the location and the permission.
    """
    store = Store(url, storage_options, name)
    ds = store.open_dataset()
    state = status(store)
    if state.complete:
        return ds
    if not allow_incomplete:
        raise ValueError(
            f"{store.url!r} is incomplete ({state.summary()}); finish it with: "
            f"{resume_command(ds.attrs.get('command'), game_of(store))}; or add "
            f"{allow_name} to read the finished cells (the others as missing)"
        )
    cfg = store.config()
    partial = cfg.get("partial_results", ())
    return mask_unfinished(ds, chunk_dims(store), tuple(cfg["chunks"]), state.done, partial)


def mask_unfinished(ds, dims: tuple[str, ...], chunks: tuple[int, ...], done: set[str], partial=()):
    """``ds`` with every cell of a chunk not in ``done`` set to NaN (lazily, chunk by chunk);
    ``partial``: results along leading chunked dims only, NaN unless all their cells are done."""
    import dask.array as dsa
    import xarray as xr

    from .integrity import markers
    from .plan import chunk_sizes, grid_shape

    shape = tuple(ds.sizes[d] for d in dims)
    grid = grid_shape(shape, chunks)
    finished = np.zeros(grid, dtype=bool)
    finished[tuple(markers(done, tuple(dims), grid)[1].T)] = True  # no Python step per chunk

    def block(block_info=None):
        info = block_info[None]
        return np.full(info["chunk-shape"], finished[tuple(info["chunk-location"])])

    spec = chunk_sizes(shape, chunks)
    mask = xr.DataArray(dsa.map_blocks(block, chunks=spec, dtype=bool), dims=dims)
    out = ds.copy()
    for name, var in ds.data_vars.items():
        if var.dims[: len(dims)] == tuple(dims):
            out[name] = var.where(mask)
            out[name].attrs = var.attrs
        elif name in partial:
            out[name] = var.where(mask.all([d for d in dims if d not in var.dims]))
            out[name].attrs = var.attrs
    return out


def _span(values: np.ndarray) -> str:
    """A label's values in brief: [least .. largest] (NaN aside), or its distinct strings."""
    if values.dtype.kind in "OUST":
        return "{" + ", ".join(dict.fromkeys(map(str, values))) + "}"
    real = values[~np.isnan(values)] if values.dtype.kind == "f" else values
    return f"[{real.min():g} .. {real.max():g}]" if real.size else "[NaN]"


def describe(store: Store, verify: bool = False) -> tuple[str, bool]:
    """``fastscan info``: game, dims and coordinate ranges, variables, configuration,
    completeness (every chunk file looked for; with ``verify`` decoded too). Returns the text
    and whether the cube is whole."""
    ds = store.open_dataset()
    cfg = store.config()
    game = game_of(store)
    extra = "".join(f"{k}={ds.attrs[k]}, " for k in game.info_attrs if k in ds.attrs)
    lines = [
        f"{store.url}: fastscan cube ({extra}fastscan {ds.attrs.get('fastscan_version')}, "
        f"created {ds.attrs.get('created')})",
        f"game: {game.name}; paper: {ds.attrs.get('paper')}",
        "",
        "dimensions:",
    ]
    for dim, size in ds.sizes.items():
        if dim in ds.coords and ds[dim].dtype.kind == "f":
            vals = ds[dim].values
            lines.append(f"  {dim:8} {size:>8}  [{vals.min():g} .. {vals.max():g}]")
        elif dim in ds.coords and ds[dim].dtype.kind in "OUT":
            lines.append(f"  {dim:8} {size:>8}  {', '.join(map(str, ds[dim].values))}")
        else:
            lines.append(f"  {dim:8} {size:>8}")
    labels = [c for c in ds.coords if c not in ds.dims]
    if labels:
        lines.append(
            f"{game.registry.label_dim} coordinates: "
            + ", ".join(f"{c} {_span(ds[c].values)}" for c in labels)
        )
    lines += ["", "variables:"]
    for name, var in ds.data_vars.items():
        units = var.attrs.get("units")
        lines.append(
            f"  {name:20} ({', '.join(var.dims)}) {var.dtype}"
            f"{f' [{units}]' if units else ''}: {var.attrs.get('description', '')}"
        )
    stray = store.drop_stray_partials() if verify else 0
    state = status(store, verify=verify)
    if state.complete:
        whole = "complete" + (", every chunk verified" if verify else "")
    else:
        whole = f"incomplete: resume with {resume_command(ds.attrs.get('command'), game)}"
    lines.append("")
    for key in game.provenance_keys:
        if key in cfg:
            lines.append(f"{key}: {json.dumps(cfg[key])[:200]}")
    lines.append(f"chunks: {state.summary()} ({whole})")
    if stray:
        lines.append(f"  removed {stray} unfinished write(s) (*.partial) left by a killed scan")
    for chunk, arrays in sorted(state.damaged.items())[:10]:
        lines.append(f"  damaged or missing: chunk {chunk} of {', '.join(arrays)}")
    if len(state.damaged) > 10:
        lines.append(f"  ... and {len(state.damaged) - 10} more damaged chunks")
    if "command" in ds.attrs:
        from .redact import redact_argv

        lines.append(f"command: {shlex.join(redact_argv(shlex.split(ds.attrs['command'])))}")
    if "versions" in ds.attrs:
        lines.append(f"versions: {ds.attrs['versions']}")
    if store.fs.exists(store._p(META, "lock")):
        lines.append("a scan holds the write lock (or died holding it)")
    return "\n".join(lines), state.complete


def open_store(url: str, storage_options: dict | None = None, name: str = "store") -> Any:
    """A :class:`~fastscan.store.Store` for ``url`` (errors call it ``name``)."""
    return Store(url, storage_options, name)
