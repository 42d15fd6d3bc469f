"""A cube's arrays before they hold results: names, dims, types, chunks, attributes, and the
values of its coordinates and inputs; written to a Zarr v3 group as xarray would write them.

Writing with Zarr directly keeps xarray and pandas out of ``fastscan scan`` (0.5 s of imports
for a one-second command); the conventions followed are xarray's, so plain ``xr.open_zarr``
reads the cube exactly as if xarray had written it (checked by the tests):
float arrays carry ``_FillValue`` (base64 of the fill's bytes), data variables list the
non-dimension coordinates they share dims with in ``coordinates``, coordinates use Zarr's
default codec, and the group's metadata is consolidated.
"""

from __future__ import annotations

import base64
import warnings
from dataclasses import dataclass, field
from typing import Any

import numpy as np


@dataclass(frozen=True)
class ArraySpec:
    """One array of the cube; ``data`` None: created empty (results, written chunk by chunk)."""

    name: str
    dims: tuple[str, ...]
    dtype: np.dtype
    shape: tuple[int, ...]
    attrs: dict[str, Any]
    data: np.ndarray | None = None
    chunks: tuple[int, ...] | None = None  # None: one chunk (a coordinate)
    fill: Any = None  # None: xarray's default for the dtype
    coord: bool = False
    zstd_level: int | None = None  # None: Zarr's default codec


@dataclass(frozen=True)
class Layout:
    """Every array of a cube and the cube's attributes."""

    arrays: list[ArraySpec]
    attrs: dict[str, Any] = field(default_factory=dict)

    def array(self, name: str) -> ArraySpec:
        return next(a for a in self.arrays if a.name == name)


def _default_fill(dtype: np.dtype) -> Any:
    if dtype.kind == "f":
        return np.nan
    if dtype.kind == "b":
        return False
    if dtype.kind in "OUT":
        return ""
    return 0


def _attributes(spec: ArraySpec, coords: list[ArraySpec]) -> dict[str, Any]:
    attrs = dict(spec.attrs)
    if not spec.coord:
        shared = sorted(c.name for c in coords if set(c.dims) <= set(spec.dims))
        if shared:
            attrs["coordinates"] = " ".join(shared)
    if spec.dtype.kind == "f":
        fill = _default_fill(spec.dtype) if spec.fill is None else spec.fill
        attrs["_FillValue"] = base64.standard_b64encode(
            np.array(fill, dtype=spec.dtype).tobytes()
        ).decode()
    return attrs


def write(layout: Layout, target, mode: str = "w-") -> None:
    """Create the Zarr v3 group ``target`` (a zarr store) holding ``layout``: coordinates and
    inputs with their values, results with no chunk written (``mode="a"``: beside objects
    already there, an object store's creating marker and lock)."""
    import zarr
    from zarr.codecs import ZstdCodec

    # string labels also as a group attribute: TensorStore and other Zarr v3 readers that have
    # no string data type read them there (README, "Reading a cube"); xarray decodes the array
    labels = {
        a.name: [str(v) for v in a.data.tolist()]
        for a in layout.arrays
        if a.coord and a.dtype.kind in "OUT" and a.data is not None
    }
    attrs = {**layout.attrs, "fastscan_labels": labels} if labels else layout.attrs
    group = zarr.open_group(target, mode=mode, zarr_format=3, attributes=attrs)
    # non-dimension coordinates (family parameters along profile) that data variables name
    extra = [a for a in layout.arrays if a.coord and a.dims != (a.name,)]
    for spec in layout.arrays:
        string = spec.dtype.kind in "OUT"
        array = group.create_array(
            spec.name,
            shape=spec.shape,
            dtype=str if string else spec.dtype,
            chunks=spec.chunks or spec.shape,
            fill_value=_default_fill(spec.dtype) if spec.fill is None else spec.fill,
            compressors="auto" if spec.zstd_level is None else ZstdCodec(level=spec.zstd_level),
            dimension_names=spec.dims,
            attributes=_attributes(spec, extra),
            config={"write_empty_chunks": True},
        )
        if spec.data is not None:
            array[...] = spec.data.astype(str) if string else spec.data
    with warnings.catch_warnings():  # zarr's note that consolidation is not in the v3 spec
        warnings.filterwarnings("ignore", message=".*[Cc]onsolidated metadata.*")
        # fastscan's own .fastscan folder (an object store's marker and lock) is no Zarr node
        warnings.filterwarnings("ignore", message=".*not recognized as a component of a Zarr")
        zarr.consolidate_metadata(target, zarr_format=3)
