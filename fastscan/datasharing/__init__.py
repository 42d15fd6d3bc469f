"""The data-sharing game (Bassily, Donahue, Sen, Zhao, Ziani, 2026) as a plug-in of the engine.

Modules: ``model`` (the paper's formulas in NumPy), ``validate`` (input checks), ``profiles``
(cost profiles: explicit, files, families), ``variables`` (the cube's registry), ``plan`` (dims,
coordinates, chunk and block policy, resume config), ``compute`` (a chunk or a block through the
kernels), ``estimate`` (time of a plan), ``api`` (in-memory ``scan``), ``coalitions`` and
``intervals`` (one point, exact sigma ranges), ``demo`` (``make run``'s summary), ``game`` (the
:class:`fastscan.game.Game` object). Names load on first use.
"""

from __future__ import annotations

from ..lazy import attach

_LAZY = {
    "scan": ".api",
    "stable_coalitions": ".coalitions",
    "stability_interval": ".coalitions",
    "describe_coalition": ".coalitions",
    "CoalitionReport": ".coalitions",
    "point_summary": ".coalitions",
    "equilibrium_ranges": ".intervals",
    "VARIABLES": ".variables",
    "REGISTRY": ".variables",
    "GAME": ".game",
}

__getattr__, __dir__, __all__ = attach(__name__, _LAZY)
