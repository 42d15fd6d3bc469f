"""fastscan: a scan engine for coalition-formation games: where stable coalitions exist, how big
they are, what they cost, over huge grids, into resumable Zarr cubes.

The core (``plan``, ``runner``, ``cube``, ``variables``, ``query``, ``plotting``) knows no game;
games are plug-ins registered in :mod:`fastscan.game`. The first is the data-sharing game of
Bassily, Donahue, Sen, Zhao, Ziani (2026), ``fastscan.datasharing``, whose entry points are also
the top-level names below. Heavy modules (numba, xarray) load on first use, so ``import
fastscan`` and ``fastscan --help`` stay instant.
"""

from __future__ import annotations

from .lazy import attach

__version__ = "0.1.0"

_LAZY = {
    "scan": "fastscan.datasharing.api",
    "stable_coalitions": "fastscan.datasharing.coalitions",
    "stability_interval": "fastscan.datasharing.coalitions",
    "describe_coalition": "fastscan.datasharing.coalitions",
    "CoalitionReport": "fastscan.datasharing.coalitions",
    "equilibrium_ranges": "fastscan.datasharing.intervals",
    "VARIABLES": "fastscan.datasharing.variables",
}

__getattr__, __dir__, _names = attach(__name__, _LAZY)
__all__ = [*_names, "__version__"]
