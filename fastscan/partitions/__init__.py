"""Coalition structures of the data-sharing game: many coalitions at once, the hedonic notions
(nash, individual, contractual, core) of every partition of the players, exhaustively.

Modules: ``variables`` (the cube's registry), ``plan`` (dims, chunk and block policy, resume
config), ``compute`` (a chunk or a block of partitions through the kernels, the exact merge),
``api`` (in-memory ``scan``, ``stable_partitions``), ``describe`` (one partition at one point),
``intervals`` (exact sigma ranges), ``commands`` (what the CLI calls), ``game`` (the
:class:`fastscan.game.Game` object). Names load on first use.
"""

from __future__ import annotations

from ..lazy import attach

_LAZY = {
    "scan": ".api",
    "stable_partitions": ".api",
    "count_stable": ".api",
    "describe_partition": ".describe",
    "partition_intervals": ".intervals",
    "VARIABLES": ".variables",
    "REGISTRY": ".variables",
    "GAME": ".game",
}

__getattr__, __dir__, __all__ = attach(__name__, _LAZY)
