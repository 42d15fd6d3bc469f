"""Grids of alpha and sigma, and sets of cost profiles: explicit, from a file, or from a family.

A grid is a number, a comma list, or ``START:STOP:NUM`` (NUM evenly spaced values, both ends
included). A family turns a grid of each of its parameters into one profile per combination; the
parameters become coordinates along ``profile`` so users can select and group by them.
"""

from __future__ import annotations

import csv
import math
from functools import cached_property
from pathlib import Path

import numpy as np

# family -> its parameters (in coordinate order) and which of them are integers
FAMILIES: dict[str, tuple[str, ...]] = {
    "identical": ("n", "cost"),
    "geometric": ("n", "cost", "ratio"),
    "linear": ("n", "low", "high"),
    "uniform": ("n", "low", "high", "seed"),
}
INTEGER_PARAMS = {"n", "seed"}
MAX_GRID = 10_000_000  # values in one grid (80 MB); larger grids are a typo, not a plan
MAX_INTEGER = 2**63 - 1  # seeds and n are stored as int64 coordinates
MAX_INPUT_BYTES = 2 * 2**30  # the profiles' costs, held in memory while planning


def parse_grid(text: str, name: str, integer: bool = False) -> np.ndarray:
    """``"0.5"``, ``"1,2,3"`` or ``"START:STOP:NUM"`` as a 1-D array (``name`` is for errors)."""
    text = str(text).strip()
    allowed = "a number, a comma list, or START:STOP:NUM"
    try:
        if ":" in text:
            parts = text.split(":")
            if len(parts) != 3:
                raise ValueError
            start, stop = float(parts[0]), float(parts[1])
            num = int(parts[2])
            if not 1 <= num <= MAX_GRID:
                raise ValueError(
                    f"{name}: NUM in START:STOP:NUM must be in 1..{MAX_GRID:,} (got {num:,})"
                )
            values = np.linspace(start, stop, num)
        else:
            items = text.split(",")
            if len(items) > MAX_GRID:
                raise ValueError(f"{name}: at most {MAX_GRID:,} values (got {len(items):,})")
            values = np.array([float(x) for x in items], dtype=np.float64)
    except ValueError as err:
        if str(err).startswith(name):
            raise
        raise ValueError(f"{name} must be {allowed} (got {text!r})") from None
    if values.size == 0 or not np.isfinite(values).all():
        raise ValueError(f"{name} must be finite numbers: {allowed} (got {text!r})")
    if integer:
        if (np.abs(values) > MAX_INTEGER).any():
            raise ValueError(f"{name} must be whole numbers within +-{MAX_INTEGER} (got {text!r})")
        rounded = np.round(values)
        if not np.allclose(values, rounded, rtol=0, atol=1e-9):
            raise ValueError(f"{name} must be whole numbers (got {text!r})")
        return rounded.astype(np.int64)
    return values


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


def from_text(text: str) -> ProfileSet:
    """``--costs 1e-3,2e-3,...``"""
    try:
        values = [float(x) for x in text.split(",")]
    except ValueError:
        raise ValueError(f"--costs must be a comma list of numbers (got {text!r})") from None
    return explicit(values)


def _csv_rows(fh, path: str) -> list[np.ndarray]:
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
                f"--costs-file {path!r} line {line}: empty field at column "
                f"{fields.index('') + 1} between costs"
            )
        try:
            rows.append(np.array([float(x) for x in fields]))
        except ValueError:
            raise ValueError(
                f"--costs-file {path!r} line {line}: not a number in {','.join(row)!r}"
            ) from None
    return rows


def from_file(path: str) -> ProfileSet:
    """A CSV (one profile per row, ragged rows allowed) or ``.npy`` (1-D or 2-D, NaN-padded)."""
    p = Path(path)
    if not p.exists():
        raise ValueError(f"--costs-file {path!r} does not exist")
    if not p.is_file():
        raise ValueError(f"--costs-file {path!r} is not a file")
    try:
        if p.suffix == ".npy":
            arr = np.load(p, allow_pickle=False)
            if arr.ndim not in (1, 2) or arr.size == 0:
                raise ValueError(
                    f"--costs-file {path!r} must hold a 1-D profile or a 2-D array of "
                    f"profiles x players (got shape {arr.shape})"
                )
            if arr.dtype.kind not in "fiu":
                raise ValueError(f"--costs-file {path!r} must hold numbers (got {arr.dtype})")
            arr = arr.astype(np.float64)
            return ProfileSet(
                arr[None, :] if arr.ndim == 1 else arr, {}, {"source": "file", "path": str(path)}
            )
        with p.open(newline="") as fh:
            rows = _csv_rows(fh, path)
    except ValueError as err:
        if str(err).startswith("--costs-file"):
            raise
        raise ValueError(f"--costs-file {path!r} could not be read as costs: {err}") from None
    except (OSError, UnicodeDecodeError) as err:
        raise ValueError(f"--costs-file {path!r} could not be read: {err}") from None
    if not rows:
        raise ValueError(f"--costs-file {path!r} holds no costs (one profile per row)")
    return ProfileSet(_pad(rows), {}, {"source": "file", "path": str(path)})


def _family_costs(family: str, v: dict) -> np.ndarray:
    n = int(v["n"])
    if family == "identical":
        return np.full(n, v["cost"])
    if family == "geometric":
        return v["cost"] * v["ratio"] ** np.arange(n)
    if family == "linear":
        return np.linspace(v["low"], v["high"], n)
    return np.random.default_rng(int(v["seed"])).uniform(v["low"], v["high"], n)


def _family_table(family: str, coords: dict[str, np.ndarray]) -> np.ndarray:
    """Every profile of the family, NaN-padded; each row made exactly as :func:`_family_costs`
    makes it alone (the same bits, so cubes never change with the batch they are made in)."""
    n = coords["n"]
    out = np.full((n.size, int(n.max())), np.nan)
    for p in range(n.size):
        out[p, : int(n[p])] = _family_costs(family, {k: v[p] for k, v in coords.items()})
    return out


def _check_family_range(family: str, coords: dict[str, np.ndarray], names) -> None:
    """The smallest and largest cost of every profile, from its parameters, within the range
    :func:`fastscan.validate.check_profiles` accepts (the costs themselves are made later)."""
    from .validate import COST_MAX, COST_MIN

    if family == "identical":
        lo = hi = coords["cost"]
    elif family == "geometric":
        with np.errstate(over="ignore"):
            last = coords["cost"] * coords["ratio"] ** (coords["n"] - 1).astype(float)
        lo, hi = np.minimum(coords["cost"], last), np.maximum(coords["cost"], last)
    else:
        lo, hi = coords["low"], coords["high"]
    bad = np.flatnonzero(~((lo >= COST_MIN) & (hi <= COST_MAX)))
    if bad.size:
        i = int(bad[0])
        shown = ", ".join(f"{k}={coords[k][i]:g}" for k in names)
        raise ValueError(
            f"--family {family}: costs must lie within [{COST_MIN:g}, {COST_MAX:g}]; for "
            f"{shown} they reach [{lo[i]:g}, {hi[i]:g}]"
        )


def from_family(family: str, params: dict[str, str]) -> ProfileSet:
    """Every combination of the parameter grids of ``family`` (see :data:`FAMILIES`)."""
    if family not in FAMILIES:
        raise ValueError(f"--family must be one of {', '.join(FAMILIES)} (got {family!r})")
    names = FAMILIES[family]
    given = {k for k, v in params.items() if v is not None}
    missing = [k for k in names if k not in given]
    if missing:
        raise ValueError(
            f"--family {family} needs --{' --'.join(missing)} (its parameters: {', '.join(names)})"
        )
    extra = sorted(given - set(names))
    if extra:
        raise ValueError(
            f"--family {family} takes no --{extra[0]} (its parameters: {', '.join(names)})"
        )
    grids = {k: parse_grid(params[k], f"--{k}", k in INTEGER_PARAMS) for k in names}
    if (grids["n"] < 2).any():
        raise ValueError(f"--n must be >= 2 (got {grids['n'].min()})")
    for k in ("cost", "low", "high", "ratio"):
        if k in grids and (grids[k] <= 0).any():
            raise ValueError(f"--{k} must be > 0 (got {grids[k].min():g})")
    if "seed" in grids and (grids["seed"] < 0).any():
        raise ValueError(f"--seed must be >= 0 (got {grids['seed'].min()})")
    if "low" in grids and grids["low"].min() > grids["high"].max():
        raise ValueError(
            f"--low must be <= --high (got low {grids['low'].min():g} > high "
            f"{grids['high'].max():g})"
        )
    count = math.prod(g.size for g in grids.values())
    need = count * int(grids["n"].max()) * 8
    if need > MAX_INPUT_BYTES:
        raise ValueError(
            f"--family {family}: {count:,} profiles of up to {int(grids['n'].max()):,} players "
            f"would take {need / 2**30:,.1f} GiB of costs (at most "
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
                f"--low must be <= --high (got low {coords['low'][i]:g} > high "
                f"{coords['high'][i]:g})"
            )
    _check_family_range(family, coords, names)
    spec = {"source": "family", "family": family, "params": {k: grids[k].tolist() for k in names}}
    return ProfileSet(None, coords, spec, family=family)
