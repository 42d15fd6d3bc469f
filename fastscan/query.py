"""Reading cubes: open, select (by value, index or family parameter), reduce, print."""

from __future__ import annotations

import contextlib
import json
import math
from collections.abc import Iterator

import numpy as np

REDUCTIONS = ("mean", "min", "max", "sum", "any", "all")
# derived variables users can ask for by name
DERIVED = {"exists": ("stable_count", "an equilibrium exists (stable_count > 0)")}


def open_cube(url: str, storage_options: dict | None = None, allow_incomplete: bool = False):
    """The Dataset of a fastscan cube; a clear error for anything else.

    A cube that is not finished (or lost chunk files) is refused unless ``allow_incomplete``:
    then every cell of an unfinished chunk reads as missing (NaN), never as a fill value.
    """
    from .store import Store, resume_command

    store = Store(url, storage_options)
    ds = store.open_dataset()
    status = store.status()
    if status.complete:
        return ds
    if not allow_incomplete:
        raise ValueError(
            f"{url!r} is incomplete ({status.summary()}); finish it with: "
            f"{resume_command(ds.attrs.get('command'))}; or add "
            f"--allow-incomplete to read the finished cells (the others as missing)"
        )
    return mask_unfinished(ds, tuple(store.config()["chunks"]), status.done)


def mask_unfinished(ds, chunks: tuple[int, int, int], done: set[str]):
    """``ds`` with every cell of a chunk not in ``done`` set to NaN (lazily, chunk by chunk)."""
    import dask.array as dsa
    import xarray as xr

    dims = ("profile", "alpha", "sigma")
    shape = tuple(ds.sizes[d] for d in dims)
    grid = tuple(-(-n // c) for n, c in zip(shape, chunks, strict=True))
    finished = np.zeros(grid, dtype=bool)
    for index in np.ndindex(*grid):
        finished[index] = "p{}-a{}-s{}".format(*index) in done

    def block(block_info=None):
        info = block_info[None]
        return np.full(info["chunk-shape"], finished[tuple(info["chunk-location"])])

    spec = tuple(
        tuple(min(c, n - i) for i in range(0, n, c)) for n, c in zip(shape, chunks, strict=True)
    )
    mask = xr.DataArray(dsa.map_blocks(block, chunks=spec, dtype=bool), dims=dims)
    out = ds.copy()
    for name, var in ds.data_vars.items():
        if var.dims[:3] == dims:
            out[name] = var.where(mask)
            out[name].attrs = var.attrs
    return out


@contextlib.contextmanager
def reading(url: str):
    """Turn a failure to read the cube's data (a truncated or corrupt chunk) into one line."""
    try:
        yield
    except (ValueError, MemoryError, BrokenPipeError):
        raise
    except Exception as err:
        raise ValueError(
            f"could not read {url!r} ({type(err).__name__}: {err}); the cube may be damaged: "
            f"check it with fastscan info --verify {url}"
        ) from None


def variable(ds, name: str):
    """A cube variable, or a derived one (:data:`DERIVED`)."""
    if name in DERIVED:
        base, desc = DERIVED[name]
        da = (ds[base] > 0).rename(name)
        if ds[base].dtype.kind == "f":  # an incomplete cube: unfinished cells stay missing
            da = da.astype(float).where(ds[base].notnull())
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


def _number(raw: str, name: str) -> float:
    try:
        v = float(raw)
    except ValueError:
        raise ValueError(f"--sel {name} needs a number (got {raw!r})") from None
    if not np.isfinite(v):
        raise ValueError(f"--sel {name} needs a finite number (got {raw!r})")
    return v


def _nearest(values: np.ndarray, v: float, name: str) -> int:
    lo, hi = float(np.min(values)), float(np.max(values))
    step = float(np.median(np.diff(np.sort(values)))) if values.size > 1 else 0.0
    slack = step / 2 if step > 0 else 1e-9 * max(abs(lo), 1.0)
    if v < lo - slack or v > hi + slack:
        raise ValueError(f"--sel {name}={v:g} is outside the cube's range [{lo:g}, {hi:g}]")
    return int(np.argmin(np.abs(values - v)))


def _position(values: np.ndarray, dim: str, raw: str) -> tuple[int, str]:
    """The index ``raw`` names along a coordinate: ``#INDEX``, nearest number, or a label."""
    if raw.startswith("#"):
        try:
            i = int(raw[1:])
        except ValueError:
            raise ValueError(f"--sel {dim}=#INDEX needs an integer (got {raw!r})") from None
        if not 0 <= i < values.size:
            raise ValueError(f"--sel {dim}=#{i}: index outside 0..{values.size - 1}")
        return i, _fmt(values[i])
    if values.dtype.kind in "fiu":
        i = _nearest(values.astype(float), _number(raw, dim), dim)
        return i, _fmt(values[i])
    allowed = [str(x) for x in values]
    if raw not in allowed:
        raise ValueError(f"--sel {dim} must be one of {', '.join(allowed)} (got {raw!r})")
    return allowed.index(raw), raw


def _profile_params(ds) -> list[str]:
    return [str(c) for c in ds.coords if ds[c].dims == ("profile",) and c != "profile"]


def select(ds, da, sels: list[str]):
    """Apply ``--sel DIM=VALUE`` items; returns the selection and what was fixed (for titles).

    Items on ``profile`` and on family parameters (``seed=3``, ``n=10``) are combined: the
    result holds exactly the profiles matching all of them, whatever their number and order.
    """
    fixed = []
    params = _profile_params(ds) if "profile" in da.dims else []
    profiles = np.ones(ds.sizes.get("profile", 0), dtype=bool)
    by_profile = False
    for item in sels:
        dim, raw = _parse(item, "--sel", "=")
        if dim == "profile" and "profile" in da.dims or dim in params:
            values = ds[dim].values
            if dim in params and raw.startswith("#"):
                raise ValueError(f"--sel {dim}=#INDEX: {dim} is a profile parameter; give a value")
            i, shown = _position(values, dim, raw)
            profiles &= values == values[i]
            by_profile = True
            fixed.append(f"{dim}={shown}")
        elif dim in da.dims:
            values = ds[dim].values if dim in ds.coords else np.arange(da.sizes[dim])
            i, shown = _position(values, dim, raw)
            da = da.isel({dim: i})
            fixed.append(f"{dim}={shown}")
        else:
            choices = sorted(set(map(str, da.dims)) | set(params))
            raise ValueError(
                f"--sel {dim!r} is not a dimension or profile parameter of "
                f"{da.name} (choose from {', '.join(choices) or 'nothing'})"
            )
    if by_profile:
        idx = np.flatnonzero(profiles)
        if idx.size == 0:
            raise ValueError(f"--sel {', '.join(fixed)}: no profile matches all of these")
        da = da.isel(profile=int(idx[0]) if idx.size == 1 else idx)
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
