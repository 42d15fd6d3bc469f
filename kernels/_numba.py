"""The one place that decides how kernels are compiled.

Every kernel is nopython and releases the GIL (Dask threads run kernels side by side); kernels are
serial (``parallel=False``): the only parallelism is across chunks. On-disk caching of compiled
code is opt-in with ``FASTSCAN_NUMBA_CACHE=1`` because a cache shared between installs can go stale.
"""

from __future__ import annotations

import os

import numba

CACHE = os.environ.get("FASTSCAN_NUMBA_CACHE", "0").lower() in {"1", "true", "yes", "on"}


def kernel(*args, **kwargs):
    """``numba.njit`` with the project policy: nogil, serial, cache opt-in."""
    opts = {"nogil": True, "cache": CACHE, "error_model": "numpy"}
    opts.update(kwargs)
    if args and callable(args[0]):
        return numba.njit(**opts)(args[0])
    return numba.njit(*args, **opts)


def inline(func):
    """A small helper that kernels share; inlined into its callers at compile time."""
    return numba.njit(inline="always", nogil=True, cache=CACHE, error_model="numpy")(func)
