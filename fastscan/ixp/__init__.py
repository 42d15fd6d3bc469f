"""The IXP group-formation game (paper 003: agents choose facilities; stability with pricing,
PoS/PoA, payments, approximation algorithms) as a plug-in of the engine.

Modules: ``model`` (one instance and assignment: costs, Q, alpha*, stability, prices), ``solve``
(enumeration: stable states, Thm 4.3's process, payments, ``analyse``), ``optima`` (s* by
enumeration, min cut or MILP), ``multi`` (§7: IP 18, LP 19, Algorithms 1 and 2), ``compute`` (the
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
    "optimum": ".optima",
    "stable_states": ".solve",
    "process": ".solve",
    "analyse": ".solve",
    "scan": ".api",
    "lp_relaxation": ".multi",
    "algorithm1": ".multi",
    "algorithm2": ".multi",
    "multi_optimum": ".multi",
    "GAME": ".game",
}

__getattr__, __dir__, __all__ = attach(__name__, _LAZY)
