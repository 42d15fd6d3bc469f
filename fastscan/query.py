"""Reading cubes: open, select (by value, index or family parameter), reduce, print."""

from __future__ import annotations

import json
import math
from collections.abc import Iterator

import numpy as np

REDUCTIONS = ("mean", "min", "max", "sum", "any", "all")
# derived variables users can ask for by name
DERIVED = {"exists": ("stable_count", "an equilibrium exists (stable_count > 0)")}


def open_cube(url: str, storage_options: dict | None = None):
    """The Dataset of a fastscan cube; a clear error for anything else."""
    from .store import Store

    return Store(url, storage_options).open_dataset()


def variable(ds, name: str):
    """A cube variable, or a derived one (:data:`DERIVED`)."""
    if name in DERIVED:
        base, desc = DERIVED[name]
        da = (ds[base] > 0).rename(name)
        da.attrs = {"description": desc}
        return da
    if name not in ds.data_vars:
        names = ", ".join(sorted(list(ds.data_vars) + list(DERIVED)))
        raise ValueError(f"--var {name!r} is not a variable of the cube (variables: {names})")
    return ds[name]


def _parse(item: str, option: str, sep: str) -> tuple[str, str]:
    if sep not in item:
        raise ValueError(
            f"{option} must be {'DIM=VALUE' if sep == '=' else 'OP:DIM'} (got {item!r})"
        )
    a, b = item.split(sep, 1)
    return a.strip(), b.strip()


def _nearest(values: np.ndarray, v: float, name: str) -> int:
    lo, hi = float(np.min(values)), float(np.max(values))
    step = float(np.median(np.diff(np.sort(values)))) if values.size > 1 else 0.0
    slack = step / 2 if step > 0 else 1e-9 * max(abs(lo), 1.0)
    if v < lo - slack or v > hi + slack:
        raise ValueError(f"--sel {name}={v:g} is outside the cube's range [{lo:g}, {hi:g}]")
    return int(np.argmin(np.abs(values - v)))


def select(ds, da, sels: list[str]):
    """Apply ``--sel DIM=VALUE`` items; returns the selection and what was fixed (for titles)."""
    fixed = []
    for item in sels:
        dim, raw = _parse(item, "--sel", "=")
        if dim in da.dims and raw.startswith("#"):
            try:
                i = int(raw[1:])
            except ValueError:
                raise ValueError(f"--sel {dim}=#INDEX needs an integer (got {raw!r})") from None
            if not 0 <= i < da.sizes[dim]:
                raise ValueError(f"--sel {dim}=#{i}: index outside 0..{da.sizes[dim] - 1}")
            da = da.isel({dim: i})
            fixed.append(f"{dim}={_fmt(da[dim].values) if dim in da.coords else i}")
        elif dim in da.dims and dim in ds.coords:
            values = ds[dim].values
            if values.dtype.kind in "fiu":
                try:
                    v = float(raw)
                except ValueError:
                    raise ValueError(f"--sel {dim} needs a number (got {raw!r})") from None
                i = _nearest(values.astype(float), v, dim)
                da = da.isel({dim: i})
                fixed.append(f"{dim}={_fmt(values[i])}")
            else:
                allowed = [str(x) for x in values]
                if raw not in allowed:
                    raise ValueError(
                        f"--sel {dim} must be one of {', '.join(allowed)} (got {raw!r})"
                    )
                da = da.isel({dim: allowed.index(raw)})
                fixed.append(f"{dim}={raw}")
        elif dim in ds.coords and ds[dim].dims == ("profile",) and "profile" in da.dims:
            try:
                v = float(raw)
            except ValueError:
                raise ValueError(f"--sel {dim} needs a number (got {raw!r})") from None
            values = ds[dim].values.astype(float)
            i = _nearest(values, v, dim)
            idx = np.flatnonzero(values == values[i])
            da = da.isel(profile=int(idx[0]) if idx.size == 1 else idx)
            fixed.append(f"{dim}={_fmt(values[i])}")
        else:
            dims = sorted(
                set(da.dims)
                | {c for c in ds.coords if ds[c].dims == ("profile",) and "profile" in da.dims}
            )
            raise ValueError(
                f"--sel {dim!r} is not a dimension or profile parameter of "
                f"{da.name} (choose from {', '.join(dims) or 'nothing'})"
            )
        if da.size == 0:
            raise ValueError(f"--sel {item} selects nothing")
    return da, fixed


def reduce(da, reductions: list[str]):
    """Apply ``--reduce OP:DIM`` items in order."""
    done = []
    for item in reductions:
        op, dim = _parse(item, "--reduce", ":")
        if op not in REDUCTIONS:
            raise ValueError(
                f"--reduce {op!r} is not a reduction (choose from {', '.join(REDUCTIONS)})"
            )
        if dim not in da.dims:
            raise ValueError(
                f"--reduce {op}:{dim}: {dim!r} is not a dimension left "
                f"(dimensions: {', '.join(da.dims) or 'none'})"
            )
        attrs, name = da.attrs, da.name
        if op in ("any", "all") and da.dtype != bool:
            da = da != 0
        da = getattr(da, op)(dim)
        da.attrs, da.name = attrs, name
        done.append(f"{op} over {dim}")
    return da, done


def _fmt(x) -> str:
    if isinstance(x, (float, np.floating)):
        return f"{float(x):.6g}"
    return str(x.item() if hasattr(x, "item") else x)


def rows(da, block: int = 65536) -> Iterator[list[str]]:
    """The selection as rows (coordinates..., value), computed a block at a time."""
    if da.ndim == 0:
        yield [_fmt(da.values)]
        return
    first = da.dims[0]
    coords = {d: (da[d].values if d in da.coords else np.arange(da.sizes[d])) for d in da.dims}
    per = max(1, block // max(1, int(np.prod([da.sizes[d] for d in da.dims[1:]]))))
    for start in range(0, da.sizes[first], per):
        part = da.isel({first: slice(start, start + per)}).values
        for idx in np.ndindex(part.shape):
            key = [coords[first][start + idx[0]]] + [
                coords[d][i] for d, i in zip(da.dims[1:], idx[1:], strict=True)
            ]
            yield [_fmt(k) for k in key] + [_fmt(part[idx])]


def header(da) -> list[str]:
    return [*da.dims, str(da.name)]


def to_json(da) -> str:
    """``DataArray.to_dict()`` layout, with NaN as null."""

    def clean(x):
        if isinstance(x, float) and math.isnan(x):
            return None
        if isinstance(x, dict):
            return {k: clean(v) for k, v in x.items()}
        if isinstance(x, (list, tuple)):
            return [clean(v) for v in x]
        if isinstance(x, np.generic):
            return clean(x.item())
        return x

    return json.dumps(clean(da.load().to_dict()), indent=1)
