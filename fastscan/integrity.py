"""Is a cube whole? Its chunk files listed (and, to verify, decoded) against its chunk grid.

For any game: a scan chunk (``p{i}-a{j}-s{k}`` over dims profile, alpha, sigma) is done when its
marker exists and every array whose leading dims are the chunked dims has its Zarr chunk files
``c/i/j/k[/...]``; coordinates and inputs (arrays of other dims) must have every chunk. Arrays
are written with ``write_empty_chunks``, so a missing file is always a lost chunk, never a chunk
that equals the fill value.
"""

from __future__ import annotations

import itertools
import math
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .cube import Status
    from .store import Store


def _grid(shape, chunks) -> list[range]:
    from .plan import grid_shape

    return [range(k) for k in grid_shape(shape, chunks)]


def _present(store: Store, name: str) -> set[str]:
    """Chunk keys (``c/0/1/...``) of array ``name`` that have a non-empty file."""
    base = store._p(name, "c")
    if not store.fs.exists(base):
        return set()
    found = store.fs.find(base, detail=True)
    prefix = len(store._p(name)) + 1
    return {
        path[prefix:] if path.startswith(store._p(name)) else path.split(f"/{name}/", 1)[-1]
        for path, info in found.items()
        if info.get("size", 1) > 0
    }


def _decodes(array, index: tuple[int, ...]) -> bool:
    try:
        array.get_block_selection(index)
    except Exception:  # any decode failure (truncated, corrupt) makes the chunk damaged
        return False
    return True


def _index(name: str, dims: tuple[str, ...]) -> tuple[int, ...] | None:
    """The chunk index of marker ``name`` (``p0-a1-s2``), None if it is no chunk of ``dims``."""
    parts = name.split("-")
    if len(parts) != len(dims):
        return None
    if any(p[:1] != d[0] or not p[1:].isdigit() for p, d in zip(parts, dims, strict=True)):
        return None
    return tuple(int(p[1:]) for p in parts)


def _shared(dims: tuple[str, ...], cell_dims: tuple[str, ...]) -> int:
    """How many leading dims ``dims`` shares with the chunked dims."""
    j = 0
    while j < min(len(dims), len(cell_dims)) and dims[j] == cell_dims[j]:
        j += 1
    return j


def survey(store: Store, dims: tuple[str, ...], verify: bool = False, partial=()) -> Status:
    """The cube's :class:`~fastscan.cube.Status` for a scan chunked along ``dims``;
    ``verify`` decodes every chunk too; ``partial``: results along the leading chunked dims
    only (a missing chunk of one damages every cell it covers)."""
    import zarr

    from .cube import Status

    group = zarr.open_group(store.zarr_store(), mode="r", zarr_format=3)
    marked = store.marked()
    # cubes written before every chunk was stored (no "versions" attr) skipped chunks equal to
    # the fill value: for them a missing file is no loss, only markers and decoding count
    strict = "versions" in group.attrs
    cell_dims, k = tuple(dims), len(dims)
    cells: dict[tuple[int, ...], list[str]] = {}
    prefixes: list[tuple[tuple[int, ...], str]] = []  # partial results' lost chunks
    inputs: list[str] = []
    checks = []  # (array, index, chunk or None, name) to decode when verifying
    total_grid: list[range] | None = None
    for name, array in group.arrays():
        dims = tuple(array.metadata.dimension_names or ())
        grid = _grid(array.shape, array.chunks)
        present = _present(store, name)
        if dims[:k] == cell_dims:
            total_grid = grid[:k]
        j = _shared(dims, cell_dims) if name in partial else 0
        for index in itertools.product(*grid):
            key = "c/" + "/".join(map(str, index)) if index else "c"
            cell = index[:k] if dims[:k] == cell_dims else index[:j] if j else None
            if key not in present:
                if not strict:
                    continue
                if cell is None:
                    inputs.append(name)
                else:
                    cells.setdefault(cell, []).append(name)
            elif verify:
                checks.append((array, index, cell, name))
    if verify and checks:
        with ThreadPoolExecutor(8) as pool:
            ok = list(pool.map(lambda c: _decodes(c[0], c[1]), checks))
        for (_, _, cell, name), good in zip(checks, ok, strict=True):
            if good:
                continue
            if cell is None:
                inputs.append(name)
            else:
                cells.setdefault(cell, []).append(name)
    for cell in [c for c in cells if len(c) < k]:  # a partial result's chunk: all its cells
        prefixes += [(cell, name) for name in cells.pop(cell)]
    total = math.prod(len(r) for r in total_grid) if total_grid else 0
    done, damaged = set(), {}
    for chunk in marked:
        cell = _index(chunk, cell_dims)
        if cell is None:
            continue
        lost = cells.get(cell, []) + [n for p, n in prefixes if cell[: len(p)] == p]
        if lost:
            damaged[chunk] = sorted(set(lost))
        else:
            done.add(chunk)
    return Status(total, done, damaged, sorted(set(inputs)))
