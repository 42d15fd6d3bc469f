"""Reading cubes of any game: select (by value, index or a label such as a family parameter),
reduce, print. Opening (and refusing unfinished cubes) is :func:`fastscan.cube.open_cube`'s.
Errors name arguments through ``arg`` (the command line passes its flags)."""

from __future__ import annotations

import contextlib
import json
import math
from collections.abc import Iterator

import numpy as np

from .grids import plain

REDUCTIONS = ("mean", "min", "max", "sum", "any", "all")


def _derived(ds) -> dict[str, tuple[str, str]]:
    """The cube's game's derived variables: name -> (base variable, description of base > 0)."""
    from .game import of_cube

    return of_cube(ds.attrs).registry.derived


@contextlib.contextmanager
def reading(url: str):
    """Turn a failure to read the cube's data (a truncated or corrupt chunk) into one line."""
    try:
        yield
    except (ValueError, MemoryError, BrokenPipeError):
        raise
    except Exception as err:
        from .redact import redact_url

        url = redact_url(url)
        raise ValueError(
            f"could not read {url!r} ({type(err).__name__}: {redact_url(err)}); the cube may be "
            f"damaged: check it with fastscan info --verify {url}"
        ) from None


def open_to_read(url: str, storage_options=None, allow_incomplete: bool = False, arg=plain):
    """:func:`fastscan.cube.open_cube` for ``query`` and ``plot``: a cube refused as unfinished
    while another live scan holds its lock is being written now, so the refusal says so rather
    than offer a ``--resume`` that the lock would refuse."""
    from .cube import open_cube
    from .store import Store

    allow = arg("allow_incomplete")
    try:
        return open_cube(url, storage_options, allow_incomplete, "STORE", allow)
    except ValueError:
        if allow_incomplete:
            raise
        try:
            Store(url, storage_options, "STORE").check_lock()
        except ValueError:  # another scan holds the lock (or it cannot be read)
            from .redact import redact_url

            raise ValueError(
                f"STORE {redact_url(url)!r} is not finished: a scan is writing it now; wait for "
                f"it to finish, or add {allow} to read the cells finished so far (the others "
                f"as missing)"
            ) from None
        except Exception:  # noqa: BLE001 - the lock decides nothing here: the first refusal
            pass
        raise


def variable(ds, name: str, arg=plain):
    """A cube variable, or one its game derives (declared by the game's registry: the
    data-sharing game's ``exists`` is ``stable_count > 0``)."""
    derived = _derived(ds)
    if name in derived:
        base, desc = derived[name]
        if base not in ds.data_vars:  # a cube made without it (a method that counts nothing)
            raise ValueError(
                f"{arg('var')} {name!r} is derived from {base}, which this cube does not hold "
                f"(variables: {', '.join(sorted(ds.data_vars))})"
            )
        da = (ds[base] > 0).rename(name)
        if ds[base].dtype.kind == "f":  # an incomplete cube: unfinished cells stay missing
            da = da.astype(float).where(ds[base].notnull())
        da.attrs = {"description": desc}
        return da
    if name not in ds.data_vars:
        names = ", ".join(sorted(list(ds.data_vars) + list(derived)))
        raise ValueError(
            f"{arg('var')} {name!r} is not a variable of the cube (variables: {names})"
        )
    return ds[name]


def _parse(item: str, option: str, sep: str) -> tuple[str, str]:
    if sep not in item:
        raise ValueError(
            f"{option} must be {'DIM=VALUE' if sep == '=' else 'OP:DIM'} (got {item!r})"
        )
    a, b = item.split(sep, 1)
    return a.strip(), b.strip()


def _number(raw: str, name: str, sel: str) -> float:
    try:
        v = float(raw)
    except ValueError:
        raise ValueError(f"{sel} {name} needs a number (got {raw!r})") from None
    if not np.isfinite(v):
        raise ValueError(f"{sel} {name} needs a finite number (got {raw!r})")
    return v


def _nearest(values: np.ndarray, v: float, name: str, sel: str) -> int:
    lo, hi = float(np.min(values)), float(np.max(values))
    step = float(np.median(np.diff(np.sort(values)))) if values.size > 1 else 0.0
    slack = step / 2 if step > 0 else 1e-9 * max(abs(lo), 1.0)
    if v < lo - slack or v > hi + slack:
        raise ValueError(
            f"{sel} {name}={_fmt(v)} is outside the cube's range [{_fmt(lo)}, {_fmt(hi)}]"
        )
    return int(np.argmin(np.abs(values - v)))


def _position(values: np.ndarray, dim: str, raw: str, sel: str) -> tuple[int, str]:
    """The index ``raw`` names along a coordinate: ``#INDEX``, nearest number, or a label."""
    if raw.startswith("#"):
        try:
            i = int(raw[1:])
        except ValueError:
            raise ValueError(f"{sel} {dim}=#INDEX needs an integer (got {raw!r})") from None
        if not 0 <= i < values.size:
            raise ValueError(f"{sel} {dim}=#{i}: index outside 0..{values.size - 1}")
        return i, _fmt(values[i])
    if values.dtype.kind in "fiu":
        i = _nearest(values.astype(float), _number(raw, dim, sel), dim, sel)
        return i, _fmt(values[i])
    allowed = [str(x) for x in values]
    if raw not in allowed:
        raise ValueError(f"{sel} {dim} must be one of {', '.join(allowed)} (got {raw!r})")
    return allowed.index(raw), raw


def _registry(ds):
    """The registry of the game that made ``ds`` (its words: the label dim, say)."""
    from .game import of_cube

    return of_cube(ds.attrs).registry


def label_dim(ds) -> str | None:
    """The dim the cube's labels lie along (``profile``: family parameters), if it has any."""
    dims = {ds[c].dims[0] for c in ds.coords if ds[c].ndim == 1 and ds[c].dims[0] != c}
    return dims.pop() if len(dims) == 1 else None


def labels(ds) -> list[str]:
    """Non-dimension coordinates along :func:`label_dim` (family parameters of the profiles)."""
    dim = label_dim(ds)
    return [str(c) for c in ds.coords if dim is not None and ds[c].dims == (dim,) and c != dim]


def select(ds, da, sels: list[str], arg=plain):
    """Apply ``DIM=VALUE`` items; returns the selection and what was fixed (for titles).

    Items on the label dim (``profile``) and on its labels (family parameters ``seed=3``,
    ``n=10``) are combined: the result holds exactly the profiles matching all of them,
    whatever their number and order.
    """
    fixed = []
    sel = arg("sel")
    lab = label_dim(ds) or _registry(ds).label_dim
    params = labels(ds) if lab in da.dims else []
    profiles = np.ones(ds.sizes.get(lab, 0), dtype=bool)
    by_profile = False
    given: dict[str, str] = {}
    for item in sels:
        dim, raw = _parse(item, sel, "=")
        if dim in given:  # the first would have taken the dim away: "not a dimension" misleads
            raise ValueError(
                f"{sel} {dim} is selected twice ({dim}={given[dim]} and {dim}={raw}); "
                f"give one {sel} per dimension"
            )
        given[dim] = raw
        if dim == lab and lab in da.dims or dim in params:
            values = ds[dim].values
            if dim in params and raw.startswith("#"):
                raise ValueError(f"{sel} {dim}=#INDEX: {dim} is a {lab} label; give a value")
            i, shown = _position(values, dim, raw, sel)
            profiles &= values == values[i]
            by_profile = True
            fixed.append(f"{dim}={shown}")
        elif dim in da.dims:
            values = ds[dim].values if dim in ds.coords else np.arange(da.sizes[dim])
            i, shown = _position(values, dim, raw, sel)
            da = da.isel({dim: i})
            fixed.append(f"{dim}={shown}")
        else:
            choices = sorted(set(map(str, da.dims)) | set(params))
            raise ValueError(
                f"{sel} {dim!r} is not a dimension or {lab} parameter of "
                f"{da.name} (choose from {', '.join(choices) or 'nothing'})"
            )
    if by_profile:
        idx = np.flatnonzero(profiles)
        if idx.size == 0:
            raise ValueError(f"{sel} {', '.join(fixed)}: no {lab} matches all of these")
        da = da.isel({lab: int(idx[0]) if idx.size == 1 else idx})
    return da, fixed


def reduce(da, reductions: list[str], arg=plain):
    """Apply ``OP:DIM`` items in order."""
    done = []
    red = arg("reduce")
    for item in reductions:
        op, dim = _parse(item, red, ":")
        if op not in REDUCTIONS:
            raise ValueError(
                f"{red} {op!r} is not a reduction (choose from {', '.join(REDUCTIONS)})"
            )
        if dim not in da.dims:
            raise ValueError(
                f"{red} {op}:{dim}: {dim!r} is not a dimension left "
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
    """A value or coordinate as text that reads back to the same number: the shortest string
    that round-trips in its own precision (never rounded, so that rows a grid keeps apart stay
    apart and a value can be pasted into ``--sel``)."""
    if isinstance(x, np.floating) and x.dtype != np.float64:
        return str(x)  # NumPy's shortest round-trip repr of a float32 (0.1, not 0.100000001...)
    if isinstance(x, (float, np.floating)):
        return repr(float(x))
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


def query_lines(
    url: str,
    var: str,
    sels: list[str],
    reductions: list[str],
    fmt: str = "table",
    *,
    allow_incomplete: bool = False,
    storage_options: dict | None = None,
    note=None,
    arg=plain,
) -> Iterator[str]:
    """``fastscan query``: the lines of a selection of a cube (streamed), optionally reduced,
    as a table, CSV or JSON; ``note`` hears what the selection fixed."""
    ds = open_to_read(url, storage_options, allow_incomplete, arg)
    da, fixed = select(ds, variable(ds, var, arg), sels, arg)
    da, _ = reduce(da, reductions, arg)
    if fixed and note is not None:
        note(f"# selected {', '.join(fixed)}")
    with reading(url):
        if fmt == "json":
            yield to_json(da)
            return
        head = header(da)
        if fmt == "csv":
            yield ",".join(head)
            for row in rows(da):
                yield ",".join(row)
            return
        widths = _widths(da, head)
        yield _line(head, widths)
        for row in rows(da):
            yield _line(row, widths)


def _widths(da, head: list[str]) -> list[int]:
    """Column widths of the table: each coordinate's longest value (coordinates are small,
    known before streaming), the values' column as wide as a full-precision float64 needs."""
    widths = []
    for d in da.dims:
        values = da[d].values if d in da.coords else np.arange(da.sizes[d])
        widths.append(max([12, len(d) + 2] + [len(_fmt(v)) + 2 for v in values]))
    wide = da.dtype.kind == "f"  # repr of a float64 takes up to 24 characters
    widths.append(max(12, len(head[-1]) + 2, 25 if wide else 0))
    return widths


def _line(cells: list[str], widths: list[int]) -> str:
    # a value longer than its column still has a space before it, so columns never merge
    return "".join(
        c.rjust(w) if len(c) < w else " " + c for c, w in zip(cells, widths, strict=True)
    )
