"""A cube of very many chunks, made cheaply for timing ``fastscan info`` and the survey on it
(issue 23, clusters): a real data-sharing plan of tiny profiles chunked one cell per chunk, its
layout with one result array (``stable_count``), every chunk file and done marker written
directly as copies of one real chunk (scanning 10^6 chunks through the engine would take hours
of bookkeeping; what ``info`` reads, the listing and the markers, is the same)."""

from __future__ import annotations

import os

import numpy as np

RESULT = "stable_count"  # the one result array kept: (profile, alpha, sigma, notion)


def wide_cube(path: str, profiles: int, sigmas: int, lose: int = 0) -> int:
    """Write at ``path`` a finished cube of ``profiles x 1 alpha x sigmas`` chunks (one cell
    each); the last ``lose`` chunks keep their marker but lose their file (damaged). Returns
    the number of chunks."""
    from fastscan.cube import ZSTD_LEVEL
    from fastscan.datasharing.plan import build
    from fastscan.datasharing.profiles import ProfileSet
    from fastscan.layout import Layout
    from fastscan.store import META, Store

    rng = np.random.default_rng(0)
    costs = np.sort(rng.uniform(1e-4, 1e-2, (profiles, 3)), axis=1)
    prof = ProfileSet(costs, {}, {"source": "costs"})
    plan = build(prof, [0.5], np.linspace(0.05, 1, sigmas), chunks=(1, 1, 1))
    layout = plan.layout(ZSTD_LEVEL, {"command": f"fastscan scan ... --out {path}"})
    keep = [a for a in layout.arrays if a.data is not None or a.name == RESULT]
    store = Store(path)
    store.create(Layout(keep, layout.attrs))
    cell = (slice(0, 1), slice(0, 1), slice(0, 1), slice(None))
    store.write_regions({RESULT: (cell, np.ones((1, 1, 1, 2), dtype=np.int64))})
    with open(os.path.join(path, RESULT, "c", "0", "0", "0", "0"), "rb") as fh:
        data = fh.read()
    done = os.path.join(path, META, "done")
    os.makedirs(done, exist_ok=True)
    n = profiles * sigmas
    for p in range(profiles):
        folder = os.path.join(path, RESULT, "c", str(p), "0")
        for s in range(sigmas):
            os.makedirs(os.path.join(folder, str(s)), exist_ok=True)
            if p * sigmas + s < n - lose:
                _put(os.path.join(folder, str(s), "0"), data)
            _put(os.path.join(done, f"p{p}-a0-s{s}"), b"")
    store.release()
    return n


def _put(path: str, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        os.write(fd, data)
    finally:
        os.close(fd)
