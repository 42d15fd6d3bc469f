"""Is a cube whole? Its chunk files listed (and, to verify, decoded) against its chunk grid.

For any game: a scan chunk (``p{i}-a{j}-s{k}`` over dims profile, alpha, sigma) is done when its
marker exists and every array whose leading dims are the chunked dims has its Zarr chunk files
``c/i/j/k[/...]``; coordinates and inputs (arrays of other dims) must have every chunk. Arrays
are written with ``write_empty_chunks``, so a missing file is always a lost chunk, never a chunk
that equals the fill value.

The survey costs one listing per array and one of the markers, then array arithmetic: no Python
step per chunk, so a cube of 10^6 chunks answers in seconds (``bench/test_bench_cluster.py``).
"""

from __future__ import annotations

import functools
import math
import os
import re
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from .cube import Status
    from .store import Store


def _keys(store: Store, name: str) -> list[str]:
    """Chunk keys (``c/0/1/...``) of array ``name`` that have a non-empty file."""
    base = store._p(name, "c")
    if store.local:
        return _local_keys(base)
    if not store.fs.exists(base):
        return []
    found = store.fs.find(base, detail=True)
    prefix = len(store._p(name)) + 1
    return [
        path[prefix:] if path.startswith(store._p(name)) else path.split(f"/{name}/", 1)[-1]
        for path, info in found.items()
        if info.get("size", 1) > 0
    ]


def _local_keys(base: str) -> list[str]:
    """:func:`_keys` on a local disk: ``os.scandir`` and one ``stat`` per file (fsspec's
    ``find`` builds a dict per file), the top folders walked side by side: opening the folders
    (one per chunk of a 4-d array) is the cost, ~18 us each on the 2-core VM, in the kernel."""
    if not os.path.isdir(base):  # a 0-d array's one chunk is the file "c" itself
        return ["c"] if os.path.isfile(base) and os.path.getsize(base) > 0 else []
    with os.scandir(base) as entries:
        top = [(e.path, f"c/{e.name}", e.is_dir(follow_symlinks=False)) for e in entries]
    files = [key for path, key, folder in top if not folder and os.path.getsize(path) > 0]
    folders = [(path, key) for path, key, folder in top if folder]
    with ThreadPoolExecutor(min(32, 4 * (os.cpu_count() or 1))) as pool:
        for found in pool.map(_walk, folders):
            files += found
    return files


def _walk(where: tuple[str, str]) -> list[str]:
    out: list[str] = []
    stack = [where]
    while stack:
        folder, key = stack.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    stack.append((entry.path, f"{key}/{entry.name}"))
                elif entry.stat(follow_symlinks=False).st_size > 0:
                    out.append(f"{key}/{entry.name}")
    return out


def _present(keys: list[str], grid: tuple[int, ...]) -> np.ndarray:
    """A boolean array over the chunk ``grid``: which chunk keys are in ``keys``."""
    have = np.zeros(grid, dtype=bool)
    if not grid:  # a 0-d array: one chunk, key "c"
        have[()] = "c" in keys
        return have
    depth = len(grid)
    ok = [k[2:] for k in keys if k.count("/") == depth and k[2:].replace("/", "").isdigit()]
    # every chunk there, the common case: nothing to parse (keys are unique, and none lies
    # outside the grid: zarr names them from it)
    if len(ok) == have.size:
        have[...] = True
        return have
    if ok:
        index = np.array("/".join(ok).split("/"), dtype=np.int64).reshape(-1, depth)
        inside = np.all(index < np.array(grid), axis=1)
        have[tuple(index[inside].T)] = True
    return have


def _decodes(array, index: tuple[int, ...]) -> bool:
    try:
        array.get_block_selection(index)
    except Exception:  # any decode failure (truncated, corrupt) makes the chunk damaged
        return False
    return True


def markers(marked, dims: tuple[str, ...], grid: tuple[int, ...]) -> tuple[list[str], np.ndarray]:
    """The markers that name a chunk of ``grid`` over ``dims`` and their indices ``(m, k)``."""
    pattern = re.compile("-".join(f"{d[0]}[0-9]+" for d in dims))
    names = [m for m in marked if pattern.fullmatch(m)]
    if not names:
        return [], np.zeros((0, len(dims)), dtype=np.int64)
    index = np.array(re.findall(r"[0-9]+", "-".join(names)), dtype=np.int64)
    index = index.reshape(len(names), len(dims))
    inside = np.all(index < np.array(grid), axis=1)
    return [n for n, ok in zip(names, inside, strict=True) if ok], index[inside]


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
    from .plan import grid_shape

    group = zarr.open_group(store.zarr_store(), mode="r", zarr_format=3)
    marked = store.marked()
    # cubes written before every chunk was stored (no "versions" attr) skipped chunks equal to
    # the fill value: for them a missing file is no loss, only markers and decoding count
    strict = "versions" in group.attrs
    cell_dims, k = tuple(dims), len(dims)
    lost: dict[str, tuple[int, np.ndarray]] = {}  # array -> (leading dims j, lost over them)
    inputs: list[str] = []
    cell_grid: tuple[int, ...] | None = None
    for name, array in group.arrays():
        dims = tuple(array.metadata.dimension_names or ())
        grid = grid_shape(array.shape, array.chunks)
        if dims[:k] == cell_dims:
            cell_grid = grid[:k]
        j = k if dims[:k] == cell_dims else _shared(dims, cell_dims) if name in partial else 0
        have = _present(_keys(store, name), grid)
        if not strict:
            have[...] = True
        if verify:
            where = np.argwhere(have)
            with ThreadPoolExecutor(8) as pool:
                ok = list(pool.map(functools.partial(_decodes, array), map(tuple, where.tolist())))
            failed = where[~np.array(ok, dtype=bool)]
            if len(failed):
                have[tuple(failed.T)] = False
        if have.all():
            continue
        if j == 0:
            inputs.append(name)
        else:  # a cell is lost when any chunk of the array within it is
            lost[name] = (j, (~have).any(axis=tuple(range(j, have.ndim))))
    total = math.prod(cell_grid) if cell_grid else 0
    names, index = markers(marked, cell_dims, cell_grid or (0,) * k)
    bad = np.zeros(len(names), dtype=bool)
    hit: dict[str, np.ndarray] = {}
    for name, (j, grid_lost) in lost.items():
        hit[name] = grid_lost[tuple(index[:, :j].T)]
        bad |= hit[name]
    done = {n for n, b in zip(names, bad, strict=True) if not b}
    damaged = {names[i]: sorted(name for name in hit if hit[name][i]) for i in np.flatnonzero(bad)}
    return Status(total, done, damaged, sorted(set(inputs)))
