"""Where a cube's bytes live: a local path or fsspec URL, and the file operations a cube's life
is made of (atomic create and overwrite by renames, region writes, markers, partials, lock).

Layout: the Dataset's arrays (plain ``xarray.open_zarr`` reads them) plus a ``.fastscan/`` folder
that Zarr ignores: ``done/<chunk>`` markers (written only after the chunk's data), block partials
``partial/<chunk>/<block>.npz`` of split chunks, and ``lock`` while a scan writes. What these
mean for a cube (complete? resumable? whose?) is :mod:`fastscan.cube`'s business.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import json
import os
import socket
import uuid
import warnings
from functools import lru_cache
from typing import Any

import numpy as np

META = ".fastscan"
CREATING = "creating"  # object stores: written first, deleted last; the cube is visible without it


def _split(url: str, storage_options: dict | None):
    import fsspec

    from .redact import redact_url

    shown = redact_url(url)
    try:
        fs, root = fsspec.core.url_to_fs(url, **(storage_options or {}))
    except ImportError as err:
        raise ValueError(
            f"{shown!r} needs a package that is not installed ({err}); install it, e.g. "
            f"pip install s3fs for s3://"
        ) from None
    except (ValueError, TypeError) as err:
        raise ValueError(f"{shown!r} is not a usable store location: {redact_url(err)}") from None
    except OSError as err:  # a server that refuses, a host that does not resolve
        raise ValueError(f"{shown!r} could not be reached: {redact_url(err)}") from None
    if root not in ("/", ""):
        root = root.rstrip("/")
    if not _is_local(fs) and hasattr(fs, "dircache"):
        # object stores: no listing cache, or a marker or lock written a moment ago (by this
        # process or a worker) would look absent, and one deleted would look present
        fs.dircache.use_listings_cache = False
    return fs, root


def _is_local(fs) -> bool:
    return "file" in (fs.protocol if isinstance(fs.protocol, tuple) else (fs.protocol,))


class Store:
    """A cube at a local path or fsspec URL (``file://``, ``memory://``, ``s3://``...)."""

    def __init__(self, url: str, storage_options: dict | None = None, name: str = "store"):
        from .redact import redact_url

        self._url = str(url)  # as given, credentials too: only for opening the store
        self.url = redact_url(self._url)  # what messages show: never a password
        self.name = name  # how errors call this location (the caller's argument name)
        self.storage_options = dict(storage_options or {})
        self.fs, self.root = _split(self._url, self.storage_options)
        if self.storage_options and self.local:
            raise ValueError(
                f"storage options (--storage-option) are for remote stores; {name} {self.url!r} "
                "is a local path, where they would be ignored"
            )
        self._uid: str | None = None

    # --- paths -----------------------------------------------------------------------------
    def _p(self, *parts: str) -> str:
        return "/".join((self.root, *parts))

    @property
    def local(self) -> bool:
        return _is_local(self.fs)

    def zarr_store(self):
        """The zarr store object for this location."""
        import zarr

        if self.local:
            return zarr.storage.LocalStore(self.root)
        return zarr.storage.FsspecStore.from_url(self._url, storage_options=self.storage_options)

    def _put(self, path: str, data: bytes) -> None:
        parent = path.rsplit("/", 1)[0]
        if self.local:
            self.fs.makedirs(parent, exist_ok=True)
        try:
            self.fs.pipe(path, data)
        except OSError:
            raise
        except Exception as err:  # a backend's own error (an endpoint that refuses): an OSError
            raise OSError(f"{type(err).__name__}: {err}") from None

    def exists(self) -> bool:
        """A Zarr group is here (whatever wrote it); on an object store, not one still being
        created (its ``.fastscan/creating`` marker is deleted last)."""
        if self.local:
            return self.fs.exists(self._p("zarr.json"))
        try:  # the first look at a remote location: an endpoint or credentials that fail
            self.fs.info(self._p("zarr.json"))  # (exists() would say False for those)
            return not self.fs.exists(self._p(META, CREATING))
        except FileNotFoundError:
            return False
        except Exception as err:  # noqa: BLE001 - every backend raises its own kinds
            from .redact import redact_url

            raise ValueError(
                f"{self.name} {self.url!r} could not be reached: {type(err).__name__}: "
                f"{redact_url(err)}"
            ) from None

    def is_cube(self) -> bool:
        """A fastscan cube is here."""
        return self.exists() and "fastscan_config" in self.attrs()

    def attrs(self) -> dict:
        with self.fs.open(self._p("zarr.json"), "rb") as fh:
            return json.load(fh).get("attributes", {})

    def array_names(self) -> set[str]:
        """The names of the cube's arrays (variables and coordinates)."""
        import zarr

        return set(zarr.open_group(self.zarr_store(), mode="r", zarr_format=3).array_keys())

    def open_dataset(self):
        """The cube as an xarray Dataset; a clear error when there is none or it is no cube."""
        import xarray as xr

        if not self.exists():
            if self.fs.isfile(self.root):
                raise ValueError(f"{self.name} {self.url!r} is a file, not a fastscan cube")
            if self.fs.isdir(self.root):
                raise ValueError(f"{self.name} {self.url!r} is a folder but not a fastscan cube")
            raise ValueError(f"{self.name} {self.url!r} does not exist")
        if not self.is_cube():
            raise ValueError(f"{self.name} {self.url!r} is a Zarr store but not a fastscan cube")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return xr.open_zarr(self.zarr_store())

    def config(self) -> dict:
        return json.loads(self.attrs()["fastscan_config"])

    # --- creation ----------------------------------------------------------------------------
    def check_target(self, mode: str) -> None:
        """Fail early (before anything is written) when ``mode`` ("new", "resume",
        "overwrite") cannot write here."""
        if self.root in ("", "/"):
            raise ValueError(
                f"{self.name} {self.url!r} is not a store location (give a folder path)"
            )
        if not self.local:
            self.exists()  # one line naming the store when its endpoint or credentials fail
        if self.fs.isfile(self.root):
            raise ValueError(f"{self.name} {self.url!r} exists and is a file, not a store")
        half_made = not self.local and self.fs.exists(self._p(META, CREATING))
        if (
            self.fs.isdir(self.root)
            and not self.exists()
            and self.fs.ls(self.root)
            and not half_made
        ):
            raise ValueError(
                f"{self.name} {self.url!r} is a folder of other files (no fastscan cube); "
                f"refusing to write there"
            )
        if not self.local:
            return
        parent = os.path.dirname(os.path.abspath(self.root))
        if not os.path.isdir(parent):
            raise ValueError(f"{self.name} {self.url!r}: folder {parent!r} does not exist")
        # a new cube and an overwrite rename folders in the parent; a resume writes inside
        needs = [parent] if mode != "resume" or not self.exists() else []
        if self.exists():
            needs += [self.root] + [
                p for p in (self._p(META), self._p(META, "done")) if os.path.isdir(p)
            ]
        for folder in needs:
            if not os.access(folder, os.W_OK | os.X_OK):
                raise ValueError(f"{self.name} {self.url!r}: folder {folder!r} is not writable")

    def _parent_name(self) -> tuple[str, str]:
        if "/" not in self.root:
            return ".", self.root
        parent, name = self.root.rsplit("/", 1)
        return parent or "/", name

    def _sibling(self, kind: str) -> str:
        parent, name = self._parent_name()
        return f"{parent.rstrip('/')}/.{name}.fastscan-{kind}-{os.getpid()}-{uuid.uuid4().hex[:8]}"

    def _siblings(self, kind: str) -> list[str]:
        parent, name = self._parent_name()
        prefix = f".{name}.fastscan-{kind}-"
        try:
            entries = self.fs.ls(parent, detail=False)
        except (FileNotFoundError, OSError):
            return []
        return [e for e in entries if e.rstrip("/").rsplit("/", 1)[-1].startswith(prefix)]

    def recover(self) -> None:
        """Finish what a killed create or overwrite left: an old cube renamed aside comes back
        when no new one took its place; half-made new cubes of dead processes are removed."""
        old = self._siblings("old")
        if old and not self.fs.exists(self.root):
            self._rename(old[0], self.root)
            old = old[1:]
        for path in old:
            self.fs.rm(path, recursive=True)
        for path in self._siblings("new"):
            pid = path.rsplit("/", 1)[-1].split("-")[-2]
            if not pid.isdigit() or not _alive(int(pid)):
                self.fs.rm(path, recursive=True)

    def create(self, layout, replace: bool = False) -> None:
        """Make the cube atomically: metadata, coordinates, inputs and this process's lock are
        written aside, then renamed into place; an existing cube there (overwrite) is renamed
        aside first and deleted only after the new one is in place. A kill at any moment
        leaves the old cube or a new one that ``--resume`` completes."""
        from . import layout as cube_layout

        layout.attrs["fastscan_store_id"] = uuid.uuid4().hex
        if not self.local:
            return self._create_in_place(layout, replace)
        staging = Store(self._rooted(self._sibling("new")), self.storage_options, self.name)
        try:
            cube_layout.write(layout, staging.zarr_store())
        except BaseException:
            staging.fs.rm(staging.root, recursive=True)
            raise
        staging._put(staging._p(META, "lock"), json.dumps(_me()).encode())
        aside = None
        try:
            if self.exists() or (self.fs.isdir(self.root) and self.fs.ls(self.root)):
                if not replace:
                    raise ValueError(
                        f"{self.name} {self.url!r} was created meanwhile by another scan"
                    )
                aside = self._sibling("old")
                self._rename(self.root, aside)
            elif self.fs.isdir(self.root):  # an empty folder made for the cube: take its place
                self.fs.rmdir(self.root)
            self._rename(staging.root, self.root)
        except BaseException:
            if aside is not None and not self.fs.exists(self.root):
                self._rename(aside, self.root)
            staging.fs.rm(staging.root, recursive=True)
            raise
        if aside is not None:
            self.fs.rm(aside, recursive=True)

    def _create_in_place(self, layout, replace: bool) -> None:
        """Object stores have no atomic rename (fsspec's move copies, then deletes): the cube is
        written in place between a ``creating`` marker and its removal, so it is visible (see
        :meth:`exists`) only once whole. A kill midway leaves an invisible half-made cube that
        the next scan removes; an overwrite deletes the old cube first (a kill then loses it)."""
        from . import layout as cube_layout

        creating = self._p(META, CREATING)
        if self.exists():
            if not replace:
                raise ValueError(f"{self.name} {self.url!r} was created meanwhile by another scan")
        elif self.fs.exists(self.root) and self.fs.ls(self.root) and not self.fs.exists(creating):
            raise ValueError(
                f"{self.name} {self.url!r} is a folder of other files (no fastscan cube); "
                f"refusing to write there"
            )
        self.check_lock()  # a live scan creating or writing here is refused
        if self.fs.exists(self.root):
            self.fs.rm(self.root, recursive=True)  # the old cube, or a half-made one
        self._put(creating, b"")
        self.acquire()
        cube_layout.write(layout, self.zarr_store(), mode="a")
        self.fs.rm(creating)

    def _rename(self, src: str, dst: str) -> None:
        if self.local:
            os.rename(src, dst)  # atomic; fails rather than moving into an existing folder
        else:
            self.fs.mv(src, dst, recursive=True)

    def repair(self, layout, names: list[str]) -> None:
        """Rewrite damaged coordinate and input arrays from the plan's own values."""
        import zarr

        group = zarr.open_group(self.zarr_store(), mode="r+", zarr_format=3)
        for name in names:
            data = layout.array(name).data
            if data.dtype.kind == "O":
                data = data.astype(str)
            group[name].with_config({"write_empty_chunks": True})[...] = data

    def _rooted(self, path: str) -> str:
        """``path`` of this store's file system as a URL of the same protocol."""
        if self.local:
            return path
        protocol = self._url.split("://", 1)[0]
        return f"{protocol}://{path.lstrip('/')}" if protocol != self._url else path

    # --- data and markers --------------------------------------------------------------------
    def write_regions(self, arrays: dict[str, tuple[tuple[slice, ...], np.ndarray]]) -> None:
        """Write each array's data into its region: ``{name: (region, data)}``."""
        if self._uid is None:
            self._uid = self.attrs()["fastscan_store_id"]
        from zarr.core.sync import sync

        group = _open_group(self._url, json.dumps(self.storage_options, sort_keys=True), self._uid)
        writes = [group.array(name).setitem(where, data) for name, (where, data) in arrays.items()]

        async def write_all() -> None:
            # all arrays at once: their chunks compress and land side by side (2x on 2 cores)
            await asyncio.gather(*writes)

        sync(write_all())

    def mark_done(self, chunk: str) -> None:
        self._put(self._p(META, "done", chunk), b"")

    def is_marked(self, chunk: str) -> bool:
        """Whether ``chunk``'s done marker exists (written after its data)."""
        return bool(self.fs.exists(self._p(META, "done", chunk)))

    def unmark(self, chunks) -> None:
        for chunk in chunks:
            path = self._p(META, "done", chunk)
            if self.fs.exists(path):
                self.fs.rm(path)

    def marked(self) -> set[str]:
        """Chunks whose done marker exists (written after their data)."""
        path = self._p(META, "done")
        if not self.fs.exists(path):
            return set()
        if self.local:  # 5x faster than fsspec's ls on 10^6 markers
            return set(os.listdir(path))
        return {p.rsplit("/", 1)[-1] for p in self.fs.ls(path, detail=False)}

    def save_partial(self, chunk: str, block: int, part: dict[str, np.ndarray]) -> None:
        buf = io.BytesIO()
        np.savez(buf, **part)
        tmp = self._p(META, "partial", chunk, f"b{block}.tmp")
        self._put(tmp, buf.getvalue())
        self.fs.mv(tmp, self._p(META, "partial", chunk, f"b{block}.npz"))  # whole or absent

    def partials(self, chunk: str) -> dict[int, str]:
        path = self._p(META, "partial", chunk)
        if not self.fs.exists(path):
            return {}
        out = {}
        for p in self.fs.ls(path, detail=False):
            name = p.rsplit("/", 1)[-1]
            if name.endswith(".npz"):
                out[int(name[1:-4])] = p
        return out

    def load_partial(self, path: str) -> dict[str, np.ndarray]:
        with self.fs.open(path, "rb") as fh:
            with np.load(io.BytesIO(fh.read())) as z:
                return {k: z[k] for k in z.files}

    def drop_partials(self, chunk: str) -> None:
        path = self._p(META, "partial", chunk)
        if self.fs.exists(path):
            self.fs.rm(path, recursive=True)

    def drop_stray_partials(self) -> int:
        """Delete the ``*.partial`` files a write killed midway leaves beside the chunks (the
        store writes each chunk aside, then renames it); only while no live scan writes here.
        Returns how many."""
        try:
            self.check_lock()
        except ValueError:
            return 0  # a live writer may be renaming one of them right now
        found = [p for p in self.fs.find(self.root) if p.endswith(".partial")]
        for path in found:
            self.fs.rm(path)
        return len(found)

    # --- one writer at a time ----------------------------------------------------------------
    def acquire(self) -> None:
        """Refuse when another live scan writes here; take over a lock left by a dead one. On
        an object store the lock is a conditional write (create only if absent), so of two
        scans starting at once one gets it and the other is refused."""
        self.check_lock()
        path, me = self._p(META, "lock"), json.dumps(_me()).encode()
        if self.local:
            self._put(path, me)
            return
        try:
            self.fs.pipe_file(path, me, mode="create")
        except FileExistsError:
            self.check_lock()  # another live scan took it just now: refused here
            self._put(path, me)  # ours already, or a dead writer's: taken over
        except (TypeError, NotImplementedError):  # no conditional writes on this file system
            self._put(path, me)

    def check_lock(self) -> None:
        """Refuse (before anything is written) when another live scan holds the lock."""
        path = self._p(META, "lock")
        me = _me()
        if self.fs.exists(path):
            try:
                other = json.loads(self.fs.cat(path))
                pid, host = int(other["pid"]), str(other["host"])
            except (ValueError, OSError, KeyError, TypeError):
                raise ValueError(
                    f"{self.name} {self.url!r} has an unreadable write lock {path!r}; if no scan "
                    f"is writing there, delete that file and resume"
                ) from None
            if host == me["host"] and pid == me["pid"]:
                pass
            elif host == me["host"] and not _alive(pid):
                pass  # its writer died (crash, SIGKILL): the markers say what is finished
            elif host == me["host"]:
                raise ValueError(
                    f"{self.name} {self.url!r} is being written by another scan (pid {pid}); wait "
                    f"for it or stop it, then resume"
                )
            else:
                raise ValueError(
                    f"{self.name} {self.url!r} is locked by a scan on host {host!r} (pid {pid}); "
                    f"if no scan is writing there any more, delete {path!r} and resume"
                )

    def release(self) -> None:
        path = self._p(META, "lock")
        with contextlib.suppress(FileNotFoundError):
            self.fs.rm(path)


def _me() -> dict:
    return {"host": socket.gethostname(), "pid": os.getpid()}


def _alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class _OpenGroup:
    """An open Zarr group and its arrays' async handles, opened once (metadata read once)."""

    def __init__(self, group: Any):
        self.group = group
        self._arrays: dict[str, Any] = {}

    def array(self, name: str) -> Any:
        if name not in self._arrays:
            # every chunk lands in its own file, even one equal to the fill value, so a missing
            # file always means a lost chunk (fastscan.integrity)
            array = self.group[name].async_array
            self._arrays[name] = array.with_config({"write_empty_chunks": True})
        return self._arrays[name]


@lru_cache(maxsize=16)
def _open_group(url: str, options_json: str, uid: str) -> _OpenGroup:
    """One open Zarr group per process and store (workers reuse it for every chunk); ``uid``
    tells apart a store re-created at the same place."""
    import zarr

    store = Store(url, json.loads(options_json)).zarr_store()
    return _OpenGroup(zarr.open_group(store, mode="r+", zarr_format=3))


def settle_writes(timeout: float = 30.0) -> None:
    """Wait for the chunk writes zarr still runs in its background loop after one of them
    failed (a full disk): a failed region write returns at its first error while its sibling
    writes go on, and those would otherwise be destroyed pending at exit (asyncio's "Task was
    destroyed but it is pending!" after fastscan's one-line error). Their own errors are
    collected here; none of them marks a chunk done."""
    from zarr.core import sync

    loop = sync.loop[0]
    if loop is None or loop.is_closed() or not loop.is_running():
        return

    async def others() -> None:
        me = asyncio.current_task()
        tasks = [t for t in asyncio.all_tasks() if t is not me]
        if tasks:
            await asyncio.wait(tasks, timeout=timeout)
        for t in tasks:
            if t.done() and not t.cancelled():
                t.exception()  # retrieved: no "exception was never retrieved" at exit

    with contextlib.suppress(Exception):
        asyncio.run_coroutine_threadsafe(others(), loop).result(timeout + 5)


def unreachable(url: str, storage_options: dict | None) -> str | None:
    """Why this process cannot use the store at ``url`` (credentials, network), or None; run on
    each worker of a cluster before a scan (a worker is another machine, with its own
    credentials). A store not there yet is fine: it is made before the workers write."""
    from .redact import redact_url

    try:
        fs, root = _split(url, storage_options)
        try:
            fs.info(root)
        except FileNotFoundError:
            pass
    except Exception as err:  # noqa: BLE001 - any failure is the answer, in one line
        return f"{type(err).__name__}: {redact_url(str(err).splitlines()[0] if str(err) else '')}"
    return None
