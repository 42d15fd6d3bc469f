"""The IXP group-formation game as a plug-in of the engine (what fastscan.game.Game asks for).
A chunk holds whole instances, or one huge instance split in blocks by its first agents' labels."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..kernels.ixp.contracts import Part
from ..plan import Chunk, Plan
from .plan import DIMS, NAME
from .variables import PAPER, REGISTRY


class IXP:
    """Agents choose facilities: exact pricing stability, PoS/PoA, payments (paper 003)."""

    name = NAME
    paper = PAPER
    title = "fastscan IXP group-formation cube"
    scan_command = "fastscan ixp scan"
    info_attrs = ()
    dims = DIMS
    registry = REGISTRY
    part_type = Part
    provenance_keys = ("instances",)
    config_defaults = {"method": "exhaustive", "approx": False}

    def plan(self, **config: Any) -> Plan:
        """:func:`fastscan.ixp.plan.build` (instances, alpha, chunks)."""
        from .plan import build

        return build(**config)

    def compute_block(self, plan: Plan, chunk: Chunk, block: int) -> Part:
        from .compute import compute_plan_block

        return compute_plan_block(plan, chunk, block)

    def merge(self, x: Part, y: Part) -> Part:
        from .compute import merge

        return merge(x, y)

    def compute_chunk(self, plan: Plan, chunk: Chunk, merged: Part | None = None):
        from .compute import compute_chunk

        return compute_chunk(plan, chunk, merged)

    def warm_up(self, plan: Plan | None, notify: Callable[[str], None] | None = None) -> None:
        import numpy as np

        from ..kernels._numba import announce
        from .assignments import exhaustive
        from .model import Instance
        from .optima import mincut

        tiny = Instance([[1.0], [2.0]], [[0, 1], [1, 0]], [1.0])
        with announce("ixp-exhaustive", notify or (lambda message: None)):
            exhaustive(tiny, np.array([1.0]))
            mincut(tiny)

    def warm_steps(self) -> list[Callable[[], None]]:
        from .warm import STEPS

        return STEPS

    def estimate(self, plan: Plan, workers: int, left: float = 1.0) -> float:
        i, scan = plan.spec.instances, plan.spec
        n, m = i.n_agents.astype(float), i.n_facilities.astype(float)
        if scan.method == "optimum":  # measured: min cut / MILP and peering LPs ~ n^2 (m+1)
            work = float((2e-5 * n**2 * (m + 1)).sum())
        else:  # measured: ~1e7 assignments/s (n = 12, m = 3, 16 alphas), ~3 ms an instance
            work = float(((m + 1) ** n).sum()) / 1e7 + 3e-3 * n.size
        if scan.approx:  # LP 19 and IP 18 by HiGHS
            work += float((3e-5 * n**2 * (m + 1)).sum())
        return 1.0 + left * work / workers

    def describe_plan(self, plan: Plan) -> list[str]:
        scan = plan.spec
        i = scan.instances
        lines = [f"{len(i)} instances x {scan.alpha.size} alpha"]
        if scan.method == "optimum":
            lines.append("method optimum: s* by min cut (m <= 2) or MILP, no enumeration")
        else:
            total = float(((i.n_facilities + 1.0) ** i.n_agents).sum())
            lines.append(f"{total:.3g} assignments x {scan.alpha.size} alpha, exhaustively")
        if scan.approx:
            lines.append("approx: LP 19, Algorithms 1 and 2, multi-facility optimum (HiGHS)")
        return lines

    def commands(self) -> list:
        from ..cli.ixp import COMMANDS

        return COMMANDS

    def __reduce__(self):  # one instance per process: pickled by name
        return (_game, ())


def _game() -> IXP:
    return GAME


GAME = IXP()
