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
import socket
import uuid
import warnings
from functools import lru_cache
from typing import Any

import numpy as np

META = ".fastscan"


def _split(url: str, storage_options: dict | None):
    import fsspec

    fs, root = fsspec.core.url_to_fs(url, **(storage_options or {}))
    return fs, root.rstrip("/")


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
            raise ValueError(f"STORE {self.url!r} does not exist")
        if not self.is_cube():
            raise ValueError(f"STORE {self.url!r} is not a fastscan cube")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return xr.open_zarr(self.zarr_store())

    def config(self) -> dict:
        return json.loads(self.attrs()["fastscan_config"])

    # --- creation ----------------------------------------------------------------------------
    def check_writable(self) -> None:
        """Fail early (before anything is written) when the location cannot hold a store."""
        if self.local:
            parent = os.path.dirname(os.path.abspath(self.root)) or "."
            if not os.path.isdir(parent):
                raise ValueError(f"--out {self.url!r}: folder {parent!r} does not exist")
            if not os.access(parent, os.W_OK):
                raise ValueError(f"--out {self.url!r}: folder {parent!r} is not writable")
            if os.path.exists(self.root) and not os.path.isdir(self.root):
                raise ValueError(f"--out {self.url!r} exists and is not a folder")

    def create(self, template, encoding: dict) -> None:
        """Write metadata, coordinates and the small variables; never over an existing store."""
        import dask

        template.attrs["fastscan_store_id"] = uuid.uuid4().hex
        # metadata only; never hand this to a distributed client that may exist in the process
        with warnings.catch_warnings(), dask.config.set(scheduler="threads"):
            warnings.filterwarnings("ignore", message=".*[Cc]onsolidated metadata.*")
            template.to_zarr(
                self.zarr_store(),
                mode="w-",
                compute=False,
                zarr_format=3,
                encoding=encoding,
                write_empty_chunks=True,
            )

    def remove(self) -> None:
        if self.fs.exists(self.root):
            self.fs.rm(self.root, recursive=True)

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

    def done(self) -> set[str]:
        path = self._p(META, "done")
        if not self.fs.exists(path):
            return set()
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

    # --- one writer at a time ----------------------------------------------------------------
    def acquire(self) -> None:
        """Refuse when another live scan writes here; take over a lock left by a dead one."""
        path = self._p(META, "lock")
        me = {"host": socket.gethostname(), "pid": os.getpid()}
        if self.fs.exists(path):
            try:
                other = json.loads(self.fs.cat(path))
            except (ValueError, OSError):
                other = {}
            if other.get("host") == me["host"] and not _alive(int(other.get("pid", -1))):
                pass  # its writer died (crash, SIGKILL): the markers say what is finished
            elif other != me:
                raise ValueError(
                    f"--out {self.url!r} is being written by another scan "
                    f"(pid {other.get('pid')} on {other.get('host')}); wait for it "
                    f"or stop it, then resume"
                )
        self._put(path, json.dumps(me).encode())

    def release(self) -> None:
        path = self._p(META, "lock")
        if self.fs.exists(path):
            self.fs.rm(path)


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
            self._arrays[name] = self.group[name].async_array
        return self._arrays[name]


@lru_cache(maxsize=16)
def _open_group(url: str, options_json: str, uid: str) -> _OpenGroup:
    """One open Zarr group per process and store (workers reuse it for every chunk); ``uid``
    tells apart a store re-created at the same place."""
    import zarr

    store = Store(url, json.loads(options_json)).zarr_store()
    return _OpenGroup(zarr.open_group(store, mode="r+", zarr_format=3))


def describe(store: Store) -> str:
    """``fastscan info``: dims and coordinate ranges, variables, configuration, completeness."""
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
    total = 1
    pc, ac, sc = cfg["chunks"]
    for size, c in zip(
        (ds.sizes["profile"], ds.sizes["alpha"], ds.sizes["sigma"]), (pc, ac, sc), strict=True
    ):
        total *= -(-size // c)
    done = len(store.done())
    state = "complete" if done == total else "incomplete: resume with fastscan scan ... --resume"
    lines += [
        "",
        f"profiles: {json.dumps(cfg['profiles'])[:200]}",
        f"chunks: {done} of {total} done ({state})",
    ]
    if store.fs.exists(store._p(META, "lock")):
        lines.append("a scan holds the write lock (or died holding it)")
    return "\n".join(lines)
