"""Sets of cost profiles: explicit, from a file, or from a family.

A family turns a grid of each of its parameters (:func:`fastscan.grids.parse_grid`) into one
profile per combination; the parameters become coordinates along ``profile`` so users can select
and group by them. Errors name arguments through ``arg`` (the command line passes its flags).
"""

from __future__ import annotations

import csv
import math
from functools import cached_property
from pathlib import Path

import numpy as np

from ..grids import parse_grid, plain

# family -> its parameters (in coordinate order) and which of them are integers
FAMILIES: dict[str, tuple[str, ...]] = {
    "identical": ("n", "cost"),
    "geometric": ("n", "cost", "ratio"),
    "linear": ("n", "low", "high"),
    "uniform": ("n", "low", "high", "seed"),
}
INTEGER_PARAMS = {"n", "seed"}
MAX_INPUT_BYTES = 2 * 2**30  # the profiles' costs, held in memory while planning


class ProfileSet:
    """Cost profiles (rows NaN-padded at the end), their coordinates, and how they were made.

    A family's costs are made only when first needed: planning (sizes, chunks, refusals) reads
    the players per profile from the parameters alone, so a million profiles plan in a second.
    """

    def __init__(
        self,
        costs: np.ndarray | None = None,
        coords: dict[str, np.ndarray] | None = None,
        spec: dict | None = None,
        *,
        family: str | None = None,
    ):
        if costs is None and family is None:
            raise ValueError("a ProfileSet needs costs or a family")
        self._costs = costs
        self.coords = dict(coords or {})
        self.spec = dict(spec or {})
        self.family = family

    @cached_property
    def costs(self) -> np.ndarray:
        if self._costs is None:
            self._costs = _family_table(self.family, self.coords)
        return self._costs

    @cached_property
    def n_players(self) -> np.ndarray:
        if self._costs is None:
            return self.coords["n"].astype(np.int64)
        return np.count_nonzero(~np.isnan(self._costs), axis=1)

    @property
    def width(self) -> int:
        """Players of the largest profile (the ``player`` dimension)."""
        if self._costs is not None:
            return int(self._costs.shape[1])
        return int(self.n_players.max())

    def row(self, p: int) -> np.ndarray:
        """Profile ``p``'s costs, without padding (a family makes just this one)."""
        if self._costs is None:
            return _family_costs(self.family, {k: v[p] for k, v in self.coords.items()})
        r = self._costs[p]
        return r[: int(self.n_players[p])]

    def __len__(self) -> int:
        if self._costs is None:
            return int(self.coords["n"].size)
        return int(self._costs.shape[0])


def _pad(rows: list[np.ndarray]) -> np.ndarray:
    width = max(len(r) for r in rows)
    out = np.full((len(rows), width), np.nan)
    for i, r in enumerate(rows):
        out[i, : len(r)] = r
    return out


def explicit(costs: list[float] | np.ndarray) -> ProfileSet:
    """One profile given by its costs."""
    arr = np.asarray(costs, dtype=np.float64)
    return ProfileSet(arr[None, :], {}, {"source": "costs", "costs": arr.tolist()})


def from_text(text: str, name: str = "costs") -> ProfileSet:
    """One profile from ``"1e-3,2e-3,..."``; ``name`` names it in errors."""
    try:
        values = [float(x) for x in text.split(",")]
    except ValueError:
        raise ValueError(f"{name} must be a comma list of numbers (got {text!r})") from None
    return explicit(values)


def _csv_rows(fh, path: str, name: str) -> list[np.ndarray]:
    """One profile per non-empty row; trailing empty fields pad a ragged row, an empty field
    between two costs is an error (never silently dropped)."""
    rows = []
    for line, row in enumerate(csv.reader(fh), start=1):
        fields = [x.strip() for x in row]
        while fields and fields[-1] == "":
            fields.pop()
        if not fields:
            continue
        if "" in fields:
            raise ValueError(
                f"{name} {path!r} line {line}: empty field at column "
                f"{fields.index('') + 1} between costs"
            )
        try:
            rows.append(np.array([float(x) for x in fields]))
        except ValueError:
            raise ValueError(
                f"{name} {path!r} line {line}: not a number in {','.join(row)!r}"
            ) from None
    return rows


def from_file(path: str, name: str = "costs_file") -> ProfileSet:
    """A CSV (one profile per row, ragged rows allowed) or ``.npy`` (1-D or 2-D, NaN-padded);
    ``name`` names the file in errors."""
    p = Path(path)
    if not p.exists():
        raise ValueError(f"{name} {path!r} does not exist")
    if not p.is_file():
        raise ValueError(f"{name} {path!r} is not a file")
    try:
        if p.suffix == ".npy":
            arr = np.load(p, allow_pickle=False)
            if arr.ndim not in (1, 2) or arr.size == 0:
                raise ValueError(
                    f"{name} {path!r} must hold a 1-D profile or a 2-D array of "
                    f"profiles x players (got shape {arr.shape})"
                )
            if arr.dtype.kind not in "fiu":
                raise ValueError(f"{name} {path!r} must hold numbers (got {arr.dtype})")
            arr = arr.astype(np.float64)
            return ProfileSet(
                arr[None, :] if arr.ndim == 1 else arr, {}, {"source": "file", "path": str(path)}
            )
        with p.open(newline="") as fh:
            rows = _csv_rows(fh, path, name)
    except ValueError as err:
        if str(err).startswith(name):
            raise
        raise ValueError(f"{name} {path!r} could not be read as costs: {err}") from None
    except (OSError, UnicodeDecodeError) as err:
        raise ValueError(f"{name} {path!r} could not be read: {err}") from None
    if not rows:
        raise ValueError(f"{name} {path!r} holds no costs (one profile per row)")
    return ProfileSet(_pad(rows), {}, {"source": "file", "path": str(path)})


def _family_costs(family: str, v: dict) -> np.ndarray:
    from ..kernels import elementary  # lazy: --help must not load Numba

    n = int(v["n"])
    if family == "identical":
        return np.full(n, v["cost"])
    if family == "geometric":
        return v["cost"] * elementary.powers(float(v["ratio"]), n)
    if family == "linear":
        return np.linspace(v["low"], v["high"], n)
    return elementary.uniform(np.random.default_rng(int(v["seed"])), v["low"], v["high"], n)


def _family_table(family: str, coords: dict[str, np.ndarray]) -> np.ndarray:
    """Every profile of the family, NaN-padded; each row made exactly as :func:`_family_costs`
    makes it alone (the same bits, so cubes never change with the batch they are made in)."""
    n = coords["n"]
    out = np.full((n.size, int(n.max())), np.nan)
    for p in range(n.size):
        out[p, : int(n[p])] = _family_costs(family, {k: v[p] for k, v in coords.items()})
    return out


def _check_family_range(family: str, coords: dict[str, np.ndarray], names, arg) -> None:
    """The smallest and largest cost of every profile, from its parameters, within the range
    :func:`.validate.check_profiles` accepts (the costs themselves are made later)."""
    from .validate import COST_MAX, COST_MIN

    if family == "identical":
        lo = hi = coords["cost"]
    elif family == "geometric":
        from ..kernels import elementary

        with np.errstate(over="ignore"):
            ratio = np.ascontiguousarray(coords["ratio"], dtype=np.float64)
            last = coords["cost"] * elementary.powi_array(ratio, coords["n"].astype(np.int64) - 1)
        lo, hi = np.minimum(coords["cost"], last), np.maximum(coords["cost"], last)
    else:
        lo, hi = coords["low"], coords["high"]
    bad = np.flatnonzero(~((lo >= COST_MIN) & (hi <= COST_MAX)))
    if bad.size:
        i = int(bad[0])
        shown = ", ".join(f"{k}={coords[k][i]:g}" for k in names)
        raise ValueError(
            f"{arg('family')} {family}: costs must lie within [{COST_MIN:g}, {COST_MAX:g}]; for "
            f"{shown} they reach [{lo[i]:g}, {hi[i]:g}]"
        )


def from_family(family: str, params: dict[str, str], arg=plain) -> ProfileSet:
    """Every combination of the parameter grids of ``family`` (see :data:`FAMILIES`);
    ``arg(name)``: how errors call the argument ``name``."""
    if family not in FAMILIES:
        raise ValueError(f"{arg('family')} must be one of {', '.join(FAMILIES)} (got {family!r})")
    names = FAMILIES[family]
    given = {k for k, v in params.items() if v is not None}
    missing = [k for k in names if k not in given]
    if missing:
        raise ValueError(
            f"{arg('family')} {family} needs {' '.join(map(arg, missing))} (its parameters: "
            f"{', '.join(names)})"
        )
    extra = sorted(given - set(names))
    if extra:
        raise ValueError(
            f"{arg('family')} {family} takes no {arg(extra[0])} (its parameters: "
            f"{', '.join(names)})"
        )
    grids = {k: parse_grid(params[k], arg(k), k in INTEGER_PARAMS) for k in names}
    if (grids["n"] < 2).any():
        raise ValueError(f"{arg('n')} must be >= 2 (got {grids['n'].min()})")
    for k in ("cost", "low", "high", "ratio"):
        if k in grids and (grids[k] <= 0).any():
            raise ValueError(f"{arg(k)} must be > 0 (got {grids[k].min():g})")
    if "seed" in grids and (grids["seed"] < 0).any():
        raise ValueError(f"{arg('seed')} must be >= 0 (got {grids['seed'].min()})")
    if "low" in grids and grids["low"].min() > grids["high"].max():
        raise ValueError(
            f"{arg('low')} must be <= {arg('high')} (got low {grids['low'].min():g} > high "
            f"{grids['high'].max():g})"
        )
    count = math.prod(g.size for g in grids.values())
    need = count * int(grids["n"].max()) * 8
    if need > MAX_INPUT_BYTES:
        raise ValueError(
            f"{arg('family')} {family}: {count:,} profiles of up to {int(grids['n'].max()):,} "
            f"players would take {need / 2**30:,.1f} GiB of costs (at most "
            f"{MAX_INPUT_BYTES / 2**30:g} GiB); use fewer or smaller profiles"
        )
    # one column per parameter, the last varying fastest (itertools.product order)
    mesh = np.meshgrid(*(grids[k] for k in names), indexing="ij")
    coords = {k: m.ravel() for k, m in zip(names, mesh, strict=True)}
    if "low" in coords:
        bad = np.flatnonzero(coords["low"] > coords["high"])
        if bad.size:
            i = int(bad[0])
            raise ValueError(
                f"{arg('low')} must be <= {arg('high')} (got low {coords['low'][i]:g} > high "
                f"{coords['high'][i]:g})"
            )
    _check_family_range(family, coords, names, arg)
    spec = {"source": "family", "family": family, "params": {k: grids[k].tolist() for k in names}}
    return ProfileSet(None, coords, spec, family=family)
