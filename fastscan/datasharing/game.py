"""The data-sharing game as a plug-in of the engine: what :class:`fastscan.game.Game` asks for.

Imports stay light (no Numba, no xarray) so that ``fastscan --help`` lists its commands at once.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..kernels.datasharing.contracts import Part
from ..plan import Chunk, Plan
from .plan import DEFAULT_NOTIONS, DIMS, NAME
from .variables import PAPER, REGISTRY


class DataSharing:
    """Bassily et al.'s data-sharing game: Nash and robust stability over profiles, alpha, sigma."""

    name = NAME
    paper = PAPER
    title = "fastscan stability cube"
    scan_command = "fastscan scan"
    info_attrs = ("sets",)
    dims = DIMS
    registry = REGISTRY
    part_type = Part
    provenance_keys = ("profiles",)
    # stored only when asked for (cubes made before them resume): the defaults they stand for
    config_defaults = {"notions": list(DEFAULT_NOTIONS), "worst": False, "privacy": "power"}

    def plan(self, **config: Any) -> Plan:
        """:func:`fastscan.datasharing.plan.build` (profiles, alpha, sigma, sets, chunks)."""
        from .plan import build

        return build(**config)

    def compute_block(self, plan: Plan, chunk: Chunk, block: int) -> Part:
        from .compute import compute_block

        return compute_block(plan, chunk, block)

    def merge(self, x: Part, y: Part) -> Part:
        from .compute import merge_parts

        return merge_parts(x, y)

    def compute_chunk(self, plan: Plan, chunk: Chunk, merged: Part | None = None):
        from .compute import compute_chunk

        return compute_chunk(plan, chunk, merged)

    def warm_up(self, plan: Plan | None, notify: Callable[[str], None] | None = None) -> None:
        from .compute import warm_up

        if plan is None:
            warm_up(None, notify)
        else:
            warm_up(plan.spec.sets, notify, split=plan.split)

    def warm_steps(self) -> list[Callable[[], None]]:
        from .warm import STEPS

        return STEPS

    def estimate(self, plan: Plan, workers: int, left: float = 1.0) -> float:
        from .estimate import estimate

        return estimate(plan, workers, left)

    def describe_plan(self, plan: Plan) -> list[str]:
        scan = plan.spec
        cost = "about 20 % more time on sigma grids" if scan.sets == "all" else "no extra time"
        worst = (
            f"worst equilibrium and PoA: on (--worst, {cost})"
            if scan.worst
            else f"worst equilibrium and PoA: off (--worst adds them, {cost})"
        )
        model = scan.privacy
        axis = "" if model.kind == "constant" else f" x {model.size} {model.dim}"
        return [
            f"{len(scan.profiles)} profiles{axis} x {scan.sigma.size} "
            f"sigma = {scan.cells:,} cells; {scan.evaluations:,} coalition evaluations "
            f"(sets={scan.sets})",
            f"notions: {', '.join(scan.notions)}; {worst}",
            *([] if model.kind == "power" else [f"privacy cost scaling: {model.describe()}"]),
        ]

    def commands(self) -> list:
        from ..cli.datasharing import COMMANDS

        return COMMANDS

    def __reduce__(self):  # one instance per process: pickled by name
        return (_game, ())


def _game() -> DataSharing:
    return GAME


GAME = DataSharing()
