"""The IXP group-formation game (paper 003: agents choose facilities; stability with pricing,
PoS/PoA, payments, approximation algorithms) as a plug-in of the engine.

Modules: ``model`` (one instance and assignment: costs, Q, alpha*, stability, prices), ``solve``
(enumeration: optimum, stable states, Thm 4.3's process, payments, ``analyse``), ``compute`` (the
exhaustive kernel, blocks, a chunk of instances), ``variables``, ``plan`` (families, the scan's
spec), ``api`` (in-memory ``scan``), ``game``. Names load on first use.
"""

from __future__ import annotations

from ..lazy import attach

_LAZY = {
    "Instance": ".model",
    "social_cost": ".model",
    "Q": ".model",
    "alpha_star": ".model",
    "is_stable": ".model",
    "prices": ".model",
    "optimum": ".solve",
    "stable_states": ".solve",
    "process": ".solve",
    "analyse": ".solve",
    "scan": ".api",
    "GAME": ".game",
}

__getattr__, __dir__, __all__ = attach(__name__, _LAZY)
