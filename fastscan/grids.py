"""Grids of alpha and sigma, and sets of cost profiles: explicit, from a file, or from a family.

A grid is a number, a comma list, or ``START:STOP:NUM`` (NUM evenly spaced values, both ends
included). A family turns a grid of each of its parameters into one profile per combination; the
parameters become coordinates along ``profile`` so users can select and group by them.
"""

from __future__ import annotations

import csv
import itertools
from dataclasses import dataclass, field
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
            if num < 1:
                raise ValueError(f"{name}: NUM in START:STOP:NUM must be >= 1 (got {num})")
            values = np.linspace(start, stop, num)
        else:
            values = np.array([float(x) for x in text.split(",")], dtype=np.float64)
    except ValueError as err:
        if str(err).startswith(name):
            raise
        raise ValueError(f"{name} must be {allowed} (got {text!r})") from None
    if values.size == 0 or not np.isfinite(values).all():
        raise ValueError(f"{name} must be finite numbers: {allowed} (got {text!r})")
    if integer:
        rounded = np.round(values)
        if not np.allclose(values, rounded, rtol=0, atol=1e-9):
            raise ValueError(f"{name} must be whole numbers (got {text!r})")
        return rounded.astype(np.int64)
    return values


@dataclass(frozen=True)
class ProfileSet:
    """Cost profiles (rows NaN-padded at the end), their coordinates, and how they were made."""

    costs: np.ndarray
    coords: dict[str, np.ndarray] = field(default_factory=dict)
    spec: dict = field(default_factory=dict)

    @property
    def n_players(self) -> np.ndarray:
        return np.count_nonzero(~np.isnan(self.costs), axis=1)

    def __len__(self) -> int:
        return int(self.costs.shape[0])


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


def from_file(path: str) -> ProfileSet:
    """A CSV (one profile per row, ragged rows allowed) or ``.npy`` (1-D or 2-D, NaN-padded)."""
    p = Path(path)
    if not p.is_file():
        raise ValueError(f"--costs-file {path!r} is not a readable file")
    try:
        if p.suffix == ".npy":
            arr = np.load(p, allow_pickle=False).astype(np.float64)
            rows = [arr] if arr.ndim == 1 else [r[~np.isnan(r)] for r in arr]
        else:
            with p.open(newline="") as fh:
                rows = [
                    np.array([float(x) for x in row if x.strip() != ""])
                    for row in csv.reader(fh)
                    if any(x.strip() for x in row)
                ]
    except (OSError, ValueError) as err:
        raise ValueError(f"--costs-file {path!r} could not be read as costs: {err}") from None
    if not rows or any(r.ndim != 1 or r.size == 0 for r in rows):
        raise ValueError(f"--costs-file {path!r} must hold one profile of costs per row")
    costs = _pad(rows)
    return ProfileSet(costs, {}, {"source": "file", "path": str(path)})


def _family_costs(family: str, v: dict) -> np.ndarray:
    n = int(v["n"])
    if family == "identical":
        return np.full(n, v["cost"])
    if family == "geometric":
        return v["cost"] * v["ratio"] ** np.arange(n)
    if family == "linear":
        return np.linspace(v["low"], v["high"], n)
    return np.random.default_rng(int(v["seed"])).uniform(v["low"], v["high"], n)


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
            raise ValueError(f"--{k} must be > 0 (got {grids[k].min()})")
    if "seed" in grids and (grids["seed"] < 0).any():
        raise ValueError(f"--seed must be >= 0 (got {grids['seed'].min()})")
    combos = list(itertools.product(*(grids[k] for k in names)))
    rows = [_family_costs(family, dict(zip(names, c, strict=True))) for c in combos]
    coords = {k: np.array([c[i] for c in combos]) for i, k in enumerate(names)}
    spec = {"source": "family", "family": family, "params": {k: grids[k].tolist() for k in names}}
    return ProfileSet(_pad(rows), coords, spec)
