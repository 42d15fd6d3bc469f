"""The one place that decides how kernels are compiled.

Every kernel is nopython and releases the GIL (Dask threads run kernels side by side); kernels are
serial (``parallel=False``): the only parallelism is across chunks. On-disk caching of compiled
code is opt-in with ``FASTSCAN_NUMBA_CACHE=1`` because a cache shared between installs can go stale.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from pathlib import Path

import numba

CACHE = os.environ.get("FASTSCAN_NUMBA_CACHE", "0").lower() in {"1", "true", "yes", "on"}


def _cache_dir() -> str:
    """A cache folder named after the kernels' sources: Numba only checks a kernel's own file,
    so code cached before an edit of a helper it inlines would be reused (and can crash)."""
    digest = hashlib.sha256()
    for path in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(path.name.encode() + path.read_bytes())
    xdg = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    base = os.environ.get("NUMBA_CACHE_DIR") or os.path.join(xdg, "fastscan")
    return os.path.join(base, f"kernels-{digest.hexdigest()[:16]}")


CACHE_DIR = _cache_dir() if CACHE else ""


@contextlib.contextmanager
def _our_cache():
    # Numba fixes a function's cache folder when it is decorated: point it at ours, then restore
    old = numba.config.CACHE_DIR
    numba.config.CACHE_DIR = CACHE_DIR or old
    try:
        yield
    finally:
        numba.config.CACHE_DIR = old


def kernel(func=None, **kwargs):
    """``numba.njit`` with the project policy: nogil, serial, cache opt-in."""
    if func is None:  # used as @kernel(option=...)
        return lambda f: kernel(f, **kwargs)
    opts = {"nogil": True, "cache": CACHE, "error_model": "numpy"}
    opts.update(kwargs)
    with _our_cache():
        return numba.njit(**opts)(func)


def inline(func):
    """A small helper that kernels share; inlined into its callers at compile time."""
    with _our_cache():
        return numba.njit(inline="always", nogil=True, cache=CACHE, error_model="numpy")(func)
