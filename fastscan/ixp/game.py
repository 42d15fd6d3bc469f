"""The IXP group-formation game as a plug-in of the engine (what fastscan.game.Game asks for).
Whole instances per chunk for now (blocks by the first agents' labels are the kernel's, not yet
the plan's)."""

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
    dims = DIMS
    registry = REGISTRY
    part_type = Part
    provenance_keys = ("instances",)

    def plan(self, **config: Any) -> Plan:
        """:func:`fastscan.ixp.plan.build` (instances, alpha, chunks)."""
        from .plan import build

        return build(**config)

    def compute_block(self, plan: Plan, chunk: Chunk, block: int) -> Part:
        raise ValueError("the IXP plan does not split chunks into blocks")

    def merge(self, x: Part, y: Part) -> Part:
        raise ValueError("the IXP plan does not split chunks into blocks")

    def compute_chunk(self, plan: Plan, chunk: Chunk, merged: Part | None = None):
        from .compute import compute_chunk

        return compute_chunk(plan, chunk, merged)

    def warm_up(self, plan: Plan | None, notify: Callable[[str], None] | None = None) -> None:
        import numpy as np

        from ..kernels._numba import announce
        from .compute import exhaustive
        from .model import Instance

        with announce("ixp-exhaustive", notify or (lambda message: None)):
            exhaustive(Instance([[1.0], [2.0]], [[0, 1], [1, 0]], [1.0]), np.array([1.0]))

    def estimate(self, plan: Plan, workers: int, left: float = 1.0) -> float:
        per = (plan.spec.instances.n_facilities + 1.0) ** plan.spec.instances.n_agents
        return 1.0 + left * float(per.sum()) / 3e6 / workers  # measured: ~3e6 assignments/s

    def describe_plan(self, plan: Plan) -> list[str]:
        i = plan.spec.instances
        return [f"{len(i)} instances x {plan.spec.alpha.size} alpha"]

    def commands(self) -> list:
        from ..cli.ixp import COMMANDS

        return COMMANDS

    def __reduce__(self):  # one instance per process: pickled by name
        return (_game, ())


def _game() -> IXP:
    return GAME


GAME = IXP()
