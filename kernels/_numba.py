"""The one place that decides how kernels are compiled.

Every kernel is nopython and releases the GIL (Dask threads run kernels side by side); kernels are
serial (``parallel=False``): the only parallelism is across chunks. Compiled code is cached on
disk by default, so only the first command after an install or upgrade compiles (~15 s):

- the cache lives in the platform's user cache folder (``~/.cache/fastscan`` on Linux,
  ``~/Library/Caches/fastscan`` on macOS, ``%LOCALAPPDATA%\\fastscan`` on Windows);
  ``FASTSCAN_CACHE_DIR`` moves it, ``FASTSCAN_NUMBA_CACHE=0`` turns it off;
- never stale: the folder is named after a hash of every kernel source file (subfolders too),
  the Numba and Python versions, since Numba checks only a kernel's own file;
- safe when processes compile at once: Numba writes each cache file aside and renames it.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sys
from pathlib import Path

import numba

CACHE = os.environ.get("FASTSCAN_NUMBA_CACHE", "1").lower() not in {"0", "false", "no", "off"}
FIRST_COMPILE = "fastscan: compiling kernels once, ~15 s (cached for later runs)"


def _user_cache() -> str:
    if sys.platform == "darwin":
        return os.path.join(os.path.expanduser("~"), "Library", "Caches")
    if os.name == "nt":
        return os.environ.get("LOCALAPPDATA") or os.path.expanduser("~")
    return os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")


def _cache_dir() -> str:
    """A cache folder named after the kernels' sources and the compiler's versions."""
    digest = hashlib.sha256(f"{numba.__version__} {sys.version}".encode())
    here = Path(__file__).parent
    for path in sorted(here.rglob("*.py")):
        digest.update(str(path.relative_to(here)).encode() + path.read_bytes())
    base = os.environ.get("FASTSCAN_CACHE_DIR") or os.path.join(_user_cache(), "fastscan")
    return os.path.join(base, f"kernels-{digest.hexdigest()[:16]}")


CACHE_DIR = _cache_dir() if CACHE else ""


def is_cached(what: str) -> bool:
    """Whether the kernels for ``what`` were compiled into the cache before (or caching is off,
    where there is nothing to announce beyond the usual)."""
    return not CACHE or os.path.exists(os.path.join(CACHE_DIR, f"warm-{what}"))


def mark_cached(what: str) -> None:
    if CACHE:
        with contextlib.suppress(OSError):
            os.makedirs(CACHE_DIR, exist_ok=True)
            Path(CACHE_DIR, f"warm-{what}").touch()


@contextlib.contextmanager
def announce(what: str, notify):
    """``notify(FIRST_COMPILE)`` before a block that compiles the kernels of ``what`` for the
    first time (nothing once they are cached); marks them cached after the block."""
    if not is_cached(what):
        notify(FIRST_COMPILE)
    yield
    mark_cached(what)


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
    """``numba.njit`` with the project policy: nogil, serial, cached."""
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
