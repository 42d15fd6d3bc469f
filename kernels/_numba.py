"""The one place that decides how kernels are compiled.

Every kernel is nopython and releases the GIL (Dask threads run kernels side by side); kernels are
serial (``parallel=False``): the only parallelism is across chunks. Compiled code is cached on
disk by default, so only the first command after an install or upgrade compiles (it compiles
every game's kernels at once: :func:`fastscan.warm.compile_kernels`):

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
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import numba
from numba.core import event

CACHE = os.environ.get("FASTSCAN_NUMBA_CACHE", "1").lower() not in {"0", "false", "no", "off"}
# every game's kernels, cold: ~115 s on the 2-core development machine (fastscan.warm; the
# partition game's ~26 s of it)
FIRST_COMPILE = "fastscan: compiling kernels once after an install, ~2 min (cached for later runs)"


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
    """Whether ``what`` was marked compiled into this cache folder before (or caching is off:
    then each process compiles what it runs, and there is nothing to do ahead)."""
    return not CACHE or os.path.exists(os.path.join(CACHE_DIR, f"warm-{what}"))


def mark_cached(what: str) -> None:
    """Marks ``what`` compiled into this cache folder (the folder's name changes with any
    kernel source, so the mark never outlives the code it vouches for)."""
    if CACHE:
        with contextlib.suppress(OSError):
            os.makedirs(CACHE_DIR, exist_ok=True)
            Path(CACHE_DIR, f"warm-{what}").touch()


class _FirstCompile(event.Listener):
    """Says :data:`FIRST_COMPILE` at Numba's first compilation in this process (a cache miss:
    loading a cached kernel raises no ``numba:compile`` event, so a warm cache says nothing)."""

    said = False  # once a process, however many blocks listen
    lock = threading.Lock()  # Dask threads may compile side by side

    def __init__(self, notify: Callable[[str], None]):
        self.say = notify  # not ``notify``: numba.core.event.Listener.notify is its dispatcher

    def on_start(self, event: event.Event) -> None:
        with _FirstCompile.lock:
            if _FirstCompile.said:
                return
            _FirstCompile.said = True
        self.say(FIRST_COMPILE)

    def on_end(self, event: event.Event) -> None:
        pass


@contextlib.contextmanager
def announce(what: str = "", notify: Callable[[str], None] | None = None) -> Iterator[None]:
    """``notify(FIRST_COMPILE)`` when Numba compiles anything inside the block, at most once a
    process, nothing when every kernel loads from the cache (or caching is off). ``what``
    names the block for the reader only."""
    if not CACHE or notify is None:
        yield
        return
    with event.install_listener("numba:compile", _FirstCompile(notify)):
        yield


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


def hot(func):
    """A helper the kernels call in their innermost loops with array arguments, compiled without
    reference counting: an ordinary call counts a reference per array argument (atomic, ~55 ns
    for five arrays, measured), which took 60-85 % of the partition walk; without it a call costs
    what an inlined one does (3 ns). It, and everything it calls, must not allocate."""
    with _our_cache():
        return numba.njit(nogil=True, cache=CACHE, error_model="numpy", _nrt=False)(func)


def inline(func):
    """A small helper that kernels share; inlined into its callers at compile time."""
    with _our_cache():
        return numba.njit(inline="always", nogil=True, cache=CACHE, error_model="numpy")(func)
