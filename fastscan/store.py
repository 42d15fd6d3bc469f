"""Zarr v3 cubes: created once, filled region by region, resumable from per-chunk markers.

Layout: the Dataset's arrays (plain ``xarray.open_zarr`` reads them) plus a ``.fastscan/`` folder
that Zarr ignores: ``done/<chunk>`` markers (written only after the chunk's data), block partials
``partial/<chunk>/<block>.npz`` for huge profiles, and ``lock`` while a scan writes.
"""

from __future__ import annotations

import asyncio
import io
import json
import os
import shlex
import socket
import uuid
import warnings
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np

META = ".fastscan"


def _split(url: str, storage_options: dict | None):
    import fsspec

    try:
        fs, root = fsspec.core.url_to_fs(url, **(storage_options or {}))
    except ImportError as err:
        raise ValueError(
            f"{url!r} needs a package that is not installed ({err}); install it, e.g. "
            f"pip install s3fs for s3://"
        ) from None
    except (ValueError, TypeError) as err:
        raise ValueError(f"{url!r} is not a usable store location: {err}") from None
    if root not in ("/", ""):
        root = root.rstrip("/")
    return fs, root


def _is_local(fs) -> bool:
    return "file" in (fs.protocol if isinstance(fs.protocol, tuple) else (fs.protocol,))


class Store:
    """A cube at a local path or fsspec URL (``file://``, ``memory://``, ``s3://``...)."""

    def __init__(self, url: str, storage_options: dict | None = None):
        self.url = str(url)
        self.storage_options = dict(storage_options or {})
        self.fs, self.root = _split(self.url, self.storage_options)
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
        return zarr.storage.FsspecStore.from_url(self.url, storage_options=self.storage_options)

    def _put(self, path: str, data: bytes) -> None:
        parent = path.rsplit("/", 1)[0]
        if self.local:
            self.fs.makedirs(parent, exist_ok=True)
        self.fs.pipe(path, data)

    def exists(self) -> bool:
        """A Zarr group is here (whatever wrote it)."""
        return self.fs.exists(self._p("zarr.json"))

    def is_cube(self) -> bool:
        """A fastscan cube is here."""
        return self.exists() and "fastscan_config" in self.attrs()

    def attrs(self) -> dict:
        with self.fs.open(self._p("zarr.json"), "rb") as fh:
            return json.load(fh).get("attributes", {})

    def open_dataset(self):
        """The cube as an xarray Dataset; a clear error when there is none or it is no cube."""
        import xarray as xr

        if not self.exists():
            if self.fs.isfile(self.root):
                raise ValueError(f"STORE {self.url!r} is a file, not a fastscan cube")
            if self.fs.isdir(self.root):
                raise ValueError(f"STORE {self.url!r} is a folder but not a fastscan cube")
            raise ValueError(f"STORE {self.url!r} does not exist")
        if not self.is_cube():
            raise ValueError(f"STORE {self.url!r} is a Zarr store but not a fastscan cube")
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
            raise ValueError(f"--out {self.url!r} is not a store location (give a folder path)")
        if self.fs.isfile(self.root):
            raise ValueError(f"--out {self.url!r} exists and is a file, not a store")
        if self.fs.isdir(self.root) and not self.exists() and self.fs.ls(self.root):
            raise ValueError(
                f"--out {self.url!r} is a folder of other files (no fastscan cube); refusing to "
                f"write there"
            )
        if not self.local:
            return
        parent = os.path.dirname(os.path.abspath(self.root))
        if not os.path.isdir(parent):
            raise ValueError(f"--out {self.url!r}: folder {parent!r} does not exist")
        # a new cube and an overwrite rename folders in the parent; a resume writes inside
        needs = [parent] if mode != "resume" or not self.exists() else []
        if self.exists():
            needs += [self.root] + [
                p for p in (self._p(META), self._p(META, "done")) if os.path.isdir(p)
            ]
        for folder in needs:
            if not os.access(folder, os.W_OK | os.X_OK):
                raise ValueError(f"--out {self.url!r}: folder {folder!r} is not writable")

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
        staging = Store(self._rooted(self._sibling("new")), self.storage_options)
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
                    raise ValueError(f"--out {self.url!r} was created meanwhile by another scan")
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
        protocol = self.url.split("://", 1)[0]
        return f"{protocol}://{path.lstrip('/')}" if protocol != self.url else path

    # --- data and markers --------------------------------------------------------------------
    def write_region(self, region: tuple[slice, ...], arrays: dict[str, np.ndarray]) -> None:
        """Write each array into ``region`` (leading dims profile, alpha, sigma)."""
        if self._uid is None:
            self._uid = self.attrs()["fastscan_store_id"]
        from zarr.core.sync import sync

        group = _open_group(self.url, json.dumps(self.storage_options, sort_keys=True), self._uid)
        writes = [
            group.array(name).setitem(region[: data.ndim], data) for name, data in arrays.items()
        ]

        async def write_all() -> None:
            # all arrays at once: their chunks compress and land side by side (2x on 2 cores)
            await asyncio.gather(*writes)

        sync(write_all())

    def mark_done(self, chunk: str) -> None:
        self._put(self._p(META, "done", chunk), b"")

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
        return {p.rsplit("/", 1)[-1] for p in self.fs.ls(path, detail=False)}

    def done(self) -> set[str]:
        """Chunks marked done whose data files are all present."""
        return self.status().done

    def status(self, verify: bool = False) -> Status:
        """What is finished and what is lost: every chunk file of every array is looked for
        (a cheap listing); with ``verify`` each one is also read and decoded."""
        from .integrity import survey

        return survey(self, verify)

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

    # --- one writer at a time ----------------------------------------------------------------
    def acquire(self) -> None:
        """Refuse when another live scan writes here; take over a lock left by a dead one."""
        self.check_lock()
        self._put(self._p(META, "lock"), json.dumps(_me()).encode())

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
                    f"--out {self.url!r} has an unreadable write lock {path!r}; if no scan is "
                    f"writing there, delete that file and resume"
                ) from None
            if host == me["host"] and pid == me["pid"]:
                pass
            elif host == me["host"] and not _alive(pid):
                pass  # its writer died (crash, SIGKILL): the markers say what is finished
            elif host == me["host"]:
                raise ValueError(
                    f"--out {self.url!r} is being written by another scan (pid {pid}); wait "
                    f"for it or stop it, then resume"
                )
            else:
                raise ValueError(
                    f"--out {self.url!r} is locked by a scan on host {host!r} (pid {pid}); if "
                    f"no scan is writing there any more, delete {path!r} and resume"
                )

    def release(self) -> None:
        path = self._p(META, "lock")
        if self.fs.exists(path):
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
            text += f", {len(self.damaged)} damaged or missing (recomputed by --resume)"
        if self.inputs:
            text += f"; damaged inputs: {', '.join(self.inputs)} (rewritten by --resume)"
        return text


class _OpenGroup:
    """An open Zarr group and its arrays' async handles, opened once (metadata read once)."""

    def __init__(self, group: Any):
        self.group = group
        self._arrays: dict[str, Any] = {}

    def array(self, name: str) -> Any:
        if name not in self._arrays:
            # every chunk lands in its own file, even one equal to the fill value, so a missing
            # file always means a lost chunk (Store.status)
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


def resume_command(command: str | None) -> str:
    """The command that finishes a cube made by ``command`` (its ``command`` attr)."""
    if not command:
        return "fastscan scan ... --resume (with the parameters it was made with)"
    words = [w for w in shlex.split(command) if w != "--overwrite"]
    return shlex.join(words + ([] if "--resume" in words else ["--resume"]))


def describe(store: Store, verify: bool = False) -> tuple[str, bool]:
    """``fastscan info``: dims and coordinate ranges, variables, configuration, completeness
    (every chunk file looked for; with ``verify`` decoded too). Returns the text and whether
    the cube is whole."""
    ds = store.open_dataset()
    cfg = store.config()
    lines = [
        f"{store.url}: fastscan cube (sets={ds.attrs.get('sets')}, "
        f"fastscan {ds.attrs.get('fastscan_version')}, created {ds.attrs.get('created')})",
        f"paper: {ds.attrs.get('paper')}",
        "",
        "dimensions:",
    ]
    for dim, size in ds.sizes.items():
        if dim in ds.coords and ds[dim].dtype.kind == "f":
            vals = ds[dim].values
            lines.append(f"  {dim:8} {size:>8}  [{vals.min():g} .. {vals.max():g}]")
        elif dim in ds.coords and dim == "notion":
            lines.append(f"  {dim:8} {size:>8}  {', '.join(map(str, ds[dim].values))}")
        else:
            lines.append(f"  {dim:8} {size:>8}")
    extra = [c for c in ds.coords if c not in ds.dims]
    if extra:
        lines.append(
            "profile coordinates: "
            + ", ".join(f"{c} [{ds[c].values.min():g} .. {ds[c].values.max():g}]" for c in extra)
        )
    lines += ["", "variables:"]
    for name, var in ds.data_vars.items():
        units = var.attrs.get("units")
        lines.append(
            f"  {name:20} ({', '.join(var.dims)}) {var.dtype}"
            f"{f' [{units}]' if units else ''}: {var.attrs.get('description', '')}"
        )
    status = store.status(verify=verify)
    if status.complete:
        state = "complete" + (", every chunk verified" if verify else "")
    else:
        state = f"incomplete: resume with {resume_command(ds.attrs.get('command'))}"
    lines += [
        "",
        f"profiles: {json.dumps(cfg['profiles'])[:200]}",
        f"chunks: {status.summary()} ({state})",
    ]
    for chunk, arrays in sorted(status.damaged.items())[:10]:
        lines.append(f"  damaged or missing: chunk {chunk} of {', '.join(arrays)}")
    if len(status.damaged) > 10:
        lines.append(f"  ... and {len(status.damaged) - 10} more damaged chunks")
    if "command" in ds.attrs:
        lines.append(f"command: {ds.attrs['command']}")
    if "versions" in ds.attrs:
        lines.append(f"versions: {ds.attrs['versions']}")
    if store.fs.exists(store._p(META, "lock")):
        lines.append("a scan holds the write lock (or died holding it)")
    return "\n".join(lines), status.complete
