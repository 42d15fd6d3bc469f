"""fastscan: where stable data-sharing coalitions exist, how big they are, what they cost.

Implements Bassily, Donahue, Sen, Zhao, Ziani, "Data Sharing with Endogenous Choices over
Differential Privacy Levels" (2026). Heavy modules (numba, xarray) load on first use, so
``import fastscan`` and ``fastscan --help`` stay instant.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

__version__ = "0.1.0"

_LAZY = {
    "scan": "fastscan.runner",
    "stable_coalitions": "fastscan.coalitions",
    "stability_interval": "fastscan.coalitions",
    "describe_coalition": "fastscan.coalitions",
    "CoalitionReport": "fastscan.coalitions",
    "VARIABLES": "fastscan.variables",
}

__all__ = sorted(_LAZY) + ["__version__"]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'fastscan' has no attribute {name!r}")


def __dir__() -> list[str]:
    return __all__
