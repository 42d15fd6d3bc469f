"""What a scan will compute, for any game: N-dimensional chunks over the game's dims, the blocks
a chunk splits into, the cube's layout and attrs, and the configuration a resume compares.

A plan holds no compute. The game decides, in its own plan module, how large chunks are and
which chunks split into blocks (its :class:`Spec`); everything here is the same for every game.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any, Protocol

import numpy as np

from .layout import ArraySpec, Layout
from .variables import Registry


def grid_shape(shape, chunks) -> tuple[int, ...]:
    """Chunks along each dim of an array of ``shape`` chunked by ``chunks`` (none along a dim
    of size 0): the one place the chunk grid is counted (plan, survey, masks)."""
    return tuple(-(-int(n) // int(c)) if n else 0 for n, c in zip(shape, chunks, strict=True))


def chunk_sizes(shape, chunks) -> tuple[tuple[int, ...], ...]:
    """Each dim's chunk lengths, the last one short where it does not divide (Dask's spec)."""
    return tuple(
        tuple(min(c, n - i) for i in range(0, n, c)) for n, c in zip(shape, chunks, strict=True)
    )


def chunk_name(dims: tuple[str, ...], index: tuple[int, ...]) -> str:
    """A chunk's marker name: ``p0-a1-s2`` for dims (profile, alpha, sigma) and index (0, 1, 2)."""
    return "-".join(f"{d[0]}{i}" for d, i in zip(dims, index, strict=True))


@dataclass(frozen=True)
class Chunk:
    """A Zarr-aligned region of the cube (one slice per chunked dim) and its marker name."""

    dims: tuple[str, ...]
    index: tuple[int, ...]
    slices: tuple[slice, ...]

    @property
    def name(self) -> str:
        return chunk_name(self.dims, self.index)

    def __getitem__(self, dim: str) -> slice:
        return self.slices[self.dims.index(dim)]

    @property
    def region(self) -> dict[str, slice]:
        return dict(zip(self.dims, self.slices, strict=True))


class Spec(Protocol):
    """A game's description of one scan (its grids and inputs; picklable, no compute)."""

    def sizes(self) -> dict[str, int]:
        """Length of every dim of the cube (chunked or not)."""

    def coords(self) -> dict[str, np.ndarray]:
        """Dimension coordinates."""

    def labels(self) -> dict[str, np.ndarray]:
        """Non-dimension coordinates along the registry's ``label_dim``."""

    def inputs(self) -> dict[str, np.ndarray]:
        """Input variables and their values (written when the cube is created)."""

    def config(self) -> dict:
        """Everything that determines the cube's values (a resume compares it)."""

    def attrs(self) -> dict:
        """The game's own cube attrs."""

    def blocks(self, chunk: Chunk) -> int:
        """Blocks the chunk splits into (1: computed whole)."""

    def n_blocks(self, plan: Plan) -> int:
        """Tasks of the whole plan (a split chunk's blocks count one each), without listing."""

    # optional: ``fit(plan, workers) -> Plan``, the plan for that many workers (more blocks for
    # a cluster), and ``adopt(config) -> Spec``, the spec as a cube's config made it (a resume
    # merges blocks of the split they were made with); see :meth:`Plan.fitted`, :meth:`resumed`


@dataclass(frozen=True)
class Plan:
    """A validated scan of ``game`` (the :class:`~fastscan.game.Game` object itself, never its
    name to look up again): ``spec`` chunked along ``dims`` by ``chunks``."""

    game: Any
    dims: tuple[str, ...]
    chunks: tuple[int, ...]
    spec: Any  # the game's Spec

    @property
    def shape(self) -> tuple[int, ...]:
        sizes = self.spec.sizes()
        return tuple(sizes[d] for d in self.dims)

    def with_chunks(self, chunks) -> Plan:
        """The same scan chunked otherwise (a resume keeps the store's chunks)."""
        return replace(self, chunks=tuple(int(c) for c in chunks))

    def fitted(self, workers: int) -> Plan:
        """The plan for ``workers`` threads, as its spec's ``fit`` chooses (a cluster's many
        workers: more blocks); itself where the spec has none."""
        fit = getattr(self.spec, "fit", None)
        return fit(self, workers) if fit is not None else self

    def resumed(self, config: dict) -> Plan:
        """The plan as the cube of ``config`` was made: its chunks, and its spec's ``adopt``
        (the split its stored blocks belong to) where the spec has one."""
        adopt = getattr(self.spec, "adopt", None)
        plan = replace(self, spec=adopt(config)) if adopt is not None else self
        return plan.with_chunks(config["chunks"])

    # --- chunks and blocks -------------------------------------------------------------------
    def chunk_list(self) -> list[Chunk]:
        out = []
        for index in np.ndindex(*grid_shape(self.shape, self.chunks)):
            slices = tuple(
                slice(i * c, (i + 1) * c) for i, c in zip(index, self.chunks, strict=True)
            )
            out.append(Chunk(self.dims, tuple(int(i) for i in index), slices))
        return out

    @property
    def n_chunks(self) -> int:
        """Chunks of the plan (without listing them)."""
        return math.prod(grid_shape(self.shape, self.chunks))

    @property
    def n_blocks(self) -> int:
        """Tasks the chunks split into: a split chunk's blocks count one each."""
        return self.spec.n_blocks(self)

    def blocks(self, chunk: Chunk) -> int:
        """Blocks of ``chunk``; 1 when it is computed whole."""
        return self.spec.blocks(chunk)

    @property
    def split(self) -> bool:
        """Some chunk splits into blocks."""
        return self.n_blocks > self.n_chunks

    def units(self, chunks: list[Chunk], kept: dict[str, set[int]]) -> int:
        """Progress units still to do: each block of a split chunk not ``kept`` yet, each
        chunk computed whole."""
        out = 0
        for c in chunks:
            b = self.blocks(c)
            out += b - len(kept.get(c.name, ())) if b > 1 else 1
        return out

    # --- the cube ----------------------------------------------------------------------------
    def registry(self) -> Registry:
        """The game's variables this plan writes: all but those the spec ``omits()``, as the
        spec's ``annotate(registry)`` describes them (where it has one)."""
        omits = getattr(self.spec, "omits", None)
        registry = self.game.registry
        registry = registry.without(omits()) if omits else registry
        annotate = getattr(self.spec, "annotate", None)  # what the values mean in this cube
        return annotate(registry) if annotate else registry

    def nbytes(self, registry: Registry | None = None) -> int:
        """Uncompressed size of the cube's arrays (of ``registry``'s variables; default: the
        ones this plan writes)."""
        sizes = self.spec.sizes()
        registry = self.registry() if registry is None else registry
        return sum(
            v.dtype.itemsize * math.prod(sizes[d] for d in v.dims) for v in registry.values()
        )

    def config(self) -> dict:
        """The spec's configuration with the chunks (how a resume recognises its cube)."""
        config = {**self.spec.config(), "chunks": list(self.chunks), "chunk_dims": list(self.dims)}
        partial = self.partial_results()
        if partial:  # absent where every result spans the chunked dims (older cubes too)
            config["partial_results"] = partial
        return config

    def partial_results(self) -> list[str]:
        """Results along a leading part of the chunked dims only (per instance, not per alpha):
        a chunk writes them too, and the cube's survey must know them from inputs."""
        inputs = self.spec.inputs()
        return sorted(
            name
            for name, var in self.registry().items()
            if name not in inputs and tuple(var.dims[: len(self.dims)]) != self.dims
        )

    def attrs(self, provenance: dict | None = None, stored: bool = True) -> dict:
        """The cube's attrs, built here only: game, paper, version, the spec's own; for a stored
        cube also its configuration, creation time, library versions; ``provenance``: extra."""
        from . import __version__
        from .game import GAME_ATTR, first

        game = self.game
        attrs = {"title": game.title, **self.spec.attrs(), "paper": game.paper}
        attrs["fastscan_version"] = __version__
        if stored or game.name != first():
            attrs[GAME_ATTR] = game.name
        if stored:
            attrs["fastscan_config"] = json.dumps(self.config())
            attrs["created"] = datetime.now(UTC).isoformat(timespec="seconds")
            attrs["versions"] = json.dumps(versions())
        return {**attrs, **(provenance or {})}

    def layout(self, zstd_level: int | None = None, provenance: dict | None = None) -> Layout:
        """The cube's arrays (results empty, coordinates and inputs with their values) and
        attrs, for creating the store."""
        registry = self.registry()
        sizes = self.spec.sizes()
        chunk_of = dict(zip(self.dims, self.chunks, strict=True))
        inputs = self.spec.inputs()
        arrays = [
            ArraySpec(
                name,
                var.dims,
                var.dtype,
                tuple(sizes[d] for d in var.dims),
                var.attrs(),
                None if name not in inputs else inputs[name].astype(var.dtype, copy=False),
                tuple(min(chunk_of.get(d, sizes[d]), sizes[d]) for d in var.dims),
                var.fill,
                zstd_level=zstd_level,
            )
            for name, var in registry.items()
        ]
        clash = set(self.spec.labels()) & set(self.spec.coords())
        if clash:
            raise ValueError(f"labels {sorted(clash)} have the names of dimension coordinates")
        labelled = [(n, v, (n,), registry.coords[n]) for n, v in self.spec.coords().items()]
        labelled += [
            (n, v, (registry.label_dim,), registry.label(n)) for n, v in self.spec.labels().items()
        ]
        for name, values, dims, description in labelled:
            arrays.append(
                ArraySpec(
                    name,
                    dims,
                    values.dtype,
                    values.shape,
                    {"description": description},
                    values,
                    coord=True,
                )
            )
        return Layout(arrays, self.attrs(provenance))


def versions() -> dict[str, str]:
    """Versions of Python and the libraries a cube's values and format depend on."""
    import platform
    from importlib.metadata import PackageNotFoundError, version

    out = {"python": platform.python_version()}
    for name in ("fastscan", "numpy", "numba", "xarray", "zarr", "dask", "numcodecs"):
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            out[name] = "not installed"
    return out


def _short(values: list) -> str:
    def one(v):
        return f"{v:g}" if isinstance(v, int | float) and not isinstance(v, bool) else repr(v)

    return f"{len(values)} values [{one(values[0])} .. {one(values[-1])}]"


def differences(
    old: dict, new: dict, ignore: tuple[str, ...] = (), defaults: dict | None = None
) -> list[str]:
    """Which parts of two scan configurations differ, by content; chunks are the store's own
    business, ``ignore`` names provenance-only keys (how the inputs were given), and
    ``defaults`` stands in for a key one side lacks (an option stored only when not default)."""
    old, new = {**(defaults or {}), **old}, {**(defaults or {}), **new}
    out = []
    for key in sorted(set(old) | set(new)):
        if key in ("chunks", "chunk_dims", *ignore) or old.get(key) == new.get(key):
            continue
        if key not in old or key not in new:  # written by another fastscan version
            continue
        a, b = old.get(key), new.get(key)
        if isinstance(a, list) and isinstance(b, list) and (len(a) > 4 or len(b) > 4):
            a, b = _short(a), _short(b)
        out.append(f"{key}: store has {a}, this scan has {b}")
    return out
