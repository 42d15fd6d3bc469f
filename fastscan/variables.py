"""The one registry of cube variables: what each is, its dims, dtype, fill value and units.

Every Dataset fastscan returns or stores is built by :func:`build_dataset`, which checks the data
against this table and writes each description into the variable's attrs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

PAPER = (
    "Bassily, Donahue, Sen, Zhao, Ziani: Data Sharing with Endogenous Choices over "
    "Differential Privacy Levels (2026)"
)
NOTION_VALUES = ("nash", "robust")
GRID = ("profile", "alpha", "sigma", "notion")
CELL = ("profile", "alpha", "sigma")


@dataclass(frozen=True)
class Variable:
    """A cube variable: name, dims, dtype, fill value, description and units."""

    name: str
    dims: tuple[str, ...]
    dtype: np.dtype
    fill: Any
    description: str
    units: str | None = None

    def attrs(self) -> dict[str, str]:
        out = {"description": self.description, "long_name": self.description.split(";")[0]}
        if self.units is not None:
            out["units"] = self.units
        return out


def _v(name, dims, dtype, fill, description, units=None) -> Variable:
    return Variable(name, dims, np.dtype(dtype), fill, description, units)


_NONE = "; the empty coalition (size 0) when none is stable (paper's convention, Section 6)"

VARIABLES: dict[str, Variable] = {
    v.name: v
    for v in [
        _v(
            "stable_count",
            GRID,
            "int64",
            -1,
            "number of stable coalitions of size >= 2 (Claim 5 for nash, Claim 6 for robust)",
            "coalitions",
        ),
        _v(
            "max_size",
            GRID,
            "int32",
            -1,
            "size of the largest stable coalition; 0 when none is stable",
            "players",
        ),
        _v(
            "min_size",
            GRID,
            "int32",
            -1,
            "size of the smallest stable coalition; 0 when none is stable",
            "players",
        ),
        _v(
            "opt_size",
            GRID,
            "int32",
            -1,
            "size of the stable coalition of least social cost (ties: smaller size, then smaller "
            "bitmask)" + _NONE,
            "players",
        ),
        _v(
            "opt_social_cost",
            GRID,
            "float64",
            np.nan,
            "social cost SC_d (eq. 6) of the stable coalition of least social cost; n*sigma^2 when "
            "none is stable (the empty coalition)",
            "sigma_units^2",
        ),
        _v(
            "opt_variance",
            GRID,
            "float64",
            np.nan,
            "estimator variance Var_d (eq. 5) of the stable coalition of least social cost; "
            "sigma^2 when none is stable (the empty coalition)",
            "sigma_units^2",
        ),
        _v(
            "opt_members",
            GRID,
            "uint64",
            0,
            "members of the stable coalition of least social cost as a bitmask over input "
            "positions (bit i = player i); 0 when none is stable or when n > 64",
        ),
        _v(
            "pos_social_cost",
            GRID,
            "float64",
            np.nan,
            "Price of Stability in social cost: opt_social_cost / central_social_cost (Section 6)",
            "1",
        ),
        _v(
            "pos_variance",
            GRID,
            "float64",
            np.nan,
            "Price of Stability in variance: opt_variance / central_variance (Section 6)",
            "1",
        ),
        _v(
            "grand_stable",
            CELL,
            "bool",
            False,
            "the grand coalition of all players is stable (Nash and robust agree on it)",
        ),
        _v(
            "central_size",
            CELL,
            "int32",
            -1,
            "k*, the coalition size the central designer chooses (eq. 4); 0 when no coalition "
            "beats the empty one",
            "players",
        ),
        _v(
            "central_social_cost",
            CELL,
            "float64",
            np.nan,
            "social cost SC_c(k*) of the centralized optimum (eq. 3); n*sigma^2 when k* = 0",
            "sigma_units^2",
        ),
        _v(
            "central_variance",
            CELL,
            "float64",
            np.nan,
            "estimator variance Var_c(k*) of the centralized optimum (eq. 2); sigma^2 when k* = 0",
            "sigma_units^2",
        ),
        _v(
            "costs",
            ("profile", "player"),
            "float64",
            np.nan,
            "privacy cost c_i of each player in input order; NaN pads shorter profiles",
            "sigma_units^2",
        ),
        _v("n_players", ("profile",), "int64", -1, "number of players n of the profile", "players"),
    ]
}

COORDS: dict[str, str] = {
    "profile": "index of the cost profile",
    "alpha": "alpha: privacy cost scales with coalition size as |S|^alpha (Section 3)",
    "sigma": "sigma: standard deviation of the players' data (variance sigma^2)",
    "notion": "stability notion: nash (Definition 7, Claim 5) or robust (Definition 8, Claim 6)",
    "player": "player position in the input cost profile (0-based)",
}

PROFILE_PARAMS: dict[str, str] = {
    "n": "family parameter: number of players",
    "cost": "family parameter: the (first) privacy cost",
    "ratio": "family parameter: ratio of consecutive costs (geometric)",
    "low": "family parameter: lowest cost",
    "high": "family parameter: highest cost",
    "seed": "family parameter: random seed (uniform; the same seed gives the same profile)",
}


def build_dataset(
    data: dict[str, Any],
    coords: dict[str, np.ndarray],
    attrs: dict[str, Any],
    profile_coords: dict[str, np.ndarray] | None = None,
):
    """Build and validate a fastscan Dataset from arrays named as in :data:`VARIABLES`.

    Arrays may be NumPy or Dask; ``profile_coords`` are family parameters along ``profile``.
    """
    import xarray as xr

    missing = set(VARIABLES) - set(data)
    extra = set(data) - set(VARIABLES)
    if missing or extra:
        raise ValueError(
            f"dataset variables differ from the registry: missing {sorted(missing)}, "
            f"unexpected {sorted(extra)}"
        )
    sizes = {d: len(c) for d, c in coords.items()}
    ds_vars = {}
    for name, var in VARIABLES.items():
        arr = data[name]
        if not hasattr(arr, "dtype"):
            arr = np.asarray(arr)
        shape = tuple(sizes[d] for d in var.dims)
        if arr.shape != shape:
            raise ValueError(f"{name} has shape {arr.shape}, expected {shape} for dims {var.dims}")
        if arr.dtype != var.dtype:
            raise ValueError(f"{name} has dtype {arr.dtype}, expected {var.dtype}")
        ds_vars[name] = xr.Variable(var.dims, arr, attrs=var.attrs())
    xr_coords = {}
    for dim, values in coords.items():
        values = np.asarray(values, dtype=object) if dim == "notion" else np.asarray(values)
        xr_coords[dim] = xr.Variable((dim,), values, attrs={"description": COORDS[dim]})
    for name, values in (profile_coords or {}).items():
        desc = PROFILE_PARAMS.get(name, f"family parameter {name} of the profile")
        xr_coords[name] = xr.Variable(("profile",), np.asarray(values), attrs={"description": desc})
    return xr.Dataset(ds_vars, coords=xr_coords, attrs=dict(attrs))
