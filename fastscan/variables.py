"""The registry mechanism for cube variables, and :func:`build_dataset`, shared by every game.

A game declares its variables (name, dims, dtype, fill value, description, units), its dimension
coordinates and the parameters that may label one of its dims (family parameters along
``profile``, say) in one :class:`Registry`. Every Dataset fastscan returns or stores is checked
against its game's registry, and every description lands in the variable's attrs.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np


@dataclass(frozen=True)
class Variable:
    """A cube variable: name, dims, dtype, fill value, description and units."""

    name: str
    dims: tuple[str, ...]
    dtype: np.dtype
    fill: Any
    description: str
    units: str | None = None
    bound: str | None = None  # how the value relates to the exact one, where a scan restricts

    def attrs(self) -> dict[str, str]:
        out = {"description": self.description, "long_name": self.description.split(";")[0]}
        if self.units is not None:
            out["units"] = self.units
        if self.bound is not None:
            out["bound"] = self.bound
        return out


def variable(
    name: str, dims: tuple[str, ...], dtype: Any, fill: Any, description: str, units=None
) -> Variable:
    """A :class:`Variable` with ``dtype`` as a NumPy dtype."""
    return Variable(name, tuple(dims), np.dtype(dtype), fill, description, units)


@dataclass(frozen=True)
class Registry(Mapping):
    """A game's variables by name, plus what its coordinates mean.

    ``coords``: dimension coordinate -> description; ``labels``: a non-dimension coordinate
    along ``label_dim`` (a family parameter of each profile, say) -> description; ``derived``:
    a variable users may ask for by name -> (base variable, description), true where base > 0.
    How plots read the game's words: ``panel_dim`` is drawn one panel per value in line plots
    (its values titled by ``panel_titles``), and where the derived variable ``shade`` is false
    a line plot is shaded (the caption says what that means: ``shade_caption``).
    """

    variables: dict[str, Variable]
    coords: dict[str, str]
    labels: dict[str, str] = field(default_factory=dict)
    label_dim: str | None = None
    derived: dict[str, tuple[str, str]] = field(default_factory=dict)
    panel_dim: str | None = None
    shade: str | None = None
    panel_titles: dict[str, str] = field(default_factory=dict)
    shade_caption: str = ""

    def __getitem__(self, name: str) -> Variable:
        return self.variables[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self.variables)

    def __len__(self) -> int:
        return len(self.variables)

    def without(self, names) -> Registry:
        """The registry less the variables ``names`` (a scan that does not write them)."""
        names = set(names)
        kept = {k: v for k, v in self.variables.items() if k not in names}
        return replace(self, variables=kept)

    def bounded(self, bounds: Mapping[str, str]) -> Registry:
        """The registry with ``bounds[name]`` as the ``bound`` attr of each named variable (a
        scan over a restricted set of coalitions says which values are bounds, which way)."""
        kept = {
            k: replace(v, bound=bounds[k]) if k in bounds else v for k, v in self.variables.items()
        }
        return replace(self, variables=kept)

    def renamed(self, dim: str, new: str | None, description: str = "") -> Registry:
        """The registry with dim ``dim`` called ``new`` (described as ``description``) in every
        variable and coordinate, or dropped where ``new`` is None: a scan whose axis means
        something else (another parameter of a game's model), or has no such axis."""

        def dims(v: Variable) -> tuple[str, ...]:
            return tuple(new if d == dim else d for d in v.dims if d != dim or new is not None)

        kept = {k: replace(v, dims=dims(v)) for k, v in self.variables.items()}
        coords = {
            (new if k == dim else k): (description if k == dim else v)
            for k, v in self.coords.items()
            if k != dim or new is not None
        }
        return replace(self, variables=kept, coords=coords)

    def label(self, name: str) -> str:
        """What the non-dimension coordinate ``name`` means."""
        return self.labels.get(name, f"parameter {name} along {self.label_dim}")


def region(var: Variable, chunked: Mapping[str, slice]) -> tuple[slice, ...]:
    """Where a chunk lands in ``var``: the chunk's slice along chunked dims, all of the others
    (notion, player, agent, facility: a variable may have dims beyond the chunked ones)."""
    return tuple(chunked.get(d, slice(None)) for d in var.dims)


def build_dataset(
    registry: Registry,
    data: dict[str, Any],
    coords: dict[str, np.ndarray],
    attrs: dict[str, Any],
    labels: dict[str, np.ndarray] | None = None,
):
    """Build and validate a Dataset from arrays named as in ``registry`` (NumPy or Dask);
    ``labels`` are non-dimension coordinates along the registry's ``label_dim``."""
    import xarray as xr

    missing = set(registry) - set(data)
    extra = set(data) - set(registry)
    if missing or extra:
        raise ValueError(
            f"dataset variables differ from the registry: missing {sorted(missing)}, "
            f"unexpected {sorted(extra)}"
        )
    sizes = {d: len(c) for d, c in coords.items()}
    ds_vars = {}
    for name, var in registry.items():
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
        values = np.asarray(values)
        if values.dtype.kind in "OU":  # strings as variable-length (object) values
            values = values.astype(object)
        xr_coords[dim] = xr.Variable((dim,), values, attrs={"description": registry.coords[dim]})
    for name, values in (labels or {}).items():
        if name in xr_coords:
            raise ValueError(f"label {name!r} has the name of a dimension coordinate")
        xr_coords[name] = xr.Variable(
            (registry.label_dim,), np.asarray(values), attrs={"description": registry.label(name)}
        )
    return xr.Dataset(ds_vars, coords=xr_coords, attrs=dict(attrs))
