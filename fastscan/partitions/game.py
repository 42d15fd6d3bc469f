"""Coalition structures of the data-sharing game as a plug-in of the engine (what
:class:`fastscan.game.Game` asks for). Imports stay light so ``fastscan --help`` is instant."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..kernels.partitions.contracts import Part
from ..plan import Chunk, Plan
from .plan import DIMS, NAME
from .variables import PAPER, REGISTRY

# measured on the 2-core development machine at n = 10, 16 alpha x 1024 sigma: seconds per
# partition x model value, by notion (the core's per coalition: 2^n of them)
SECONDS = {"nash": 1.0e-7, "individual": 1.8e-7, "contractual": 6.5e-7}
CORE_SECONDS = 5e-10  # x 2^n


class Partitions:
    """Many coalitions at once: the hedonic stability of every partition over profiles, alpha,
    sigma (paper 000's model, blocks sharing as its coalition does)."""

    name = NAME
    paper = PAPER + "; coalition structures (fastscan, docs/paper-notes.md)"
    title = "fastscan coalition-structure cube"
    scan_command = "fastscan partitions scan"
    info_attrs = ()
    dims = DIMS
    registry = REGISTRY
    part_type = Part
    provenance_keys = ("profiles",)
    config_defaults = {"privacy": "power"}

    def plan(self, **config: Any) -> Plan:
        """:func:`fastscan.partitions.plan.build` (profiles, alpha, sigma, notions, chunks)."""
        from .plan import build

        return build(**config)

    def compute_block(self, plan: Plan, chunk: Chunk, block: int) -> Part:
        from .compute import compute_block

        return compute_block(plan, chunk, block)

    def merge(self, x: Part, y: Part) -> Part:
        from .compute import merge

        return merge(x, y)

    def compute_chunk(self, plan: Plan, chunk: Chunk, merged: Part | None = None):
        from .compute import compute_chunk

        return compute_chunk(plan, chunk, merged)

    def warm_up(self, plan: Plan | None, notify: Callable[[str], None] | None = None) -> None:
        from .compute import warm_up

        warm_up(notify)

    def warm_steps(self) -> list[Callable[[], None]]:
        from .warm import STEPS

        return STEPS

    def estimate(self, plan: Plan, workers: int, left: float = 1.0) -> float:
        import numpy as np

        from .plan import bell

        scan = plan.spec
        n = scan.profiles.n_players.astype(int)
        per = sum(SECONDS.get(nu, 0.0) for nu in scan.notions)
        partitions = np.array([bell(k) for k in n], dtype=float)
        seconds = partitions * per
        if "core" in scan.notions:
            seconds += partitions * CORE_SECONDS * 2.0**n
        n_sigma_chunks = -(-scan.sigma.size // plan.chunks[-1])
        work = float(seconds.sum()) * scan.privacy.size * n_sigma_chunks
        return 0.5 + left * work / max(1, min(workers, plan.n_blocks))

    def describe_plan(self, plan: Plan) -> list[str]:
        scan = plan.spec
        model = scan.privacy
        axis = "" if model.kind == "constant" else f" x {model.size} {model.dim}"
        return [
            f"{len(scan.profiles)} profiles{axis} x {scan.sigma.size} sigma; "
            f"{scan.partitions:,} partitions{axis}, every one tested exactly",
            f"notions: {', '.join(scan.notions)}",
            *([] if model.kind == "power" else [f"privacy cost scaling: {model.describe()}"]),
        ]

    def commands(self) -> list:
        from ..cli.partitions import COMMANDS

        return COMMANDS

    def __reduce__(self):  # one instance per process: pickled by name
        return (_game, ())


def _game() -> Partitions:
    return GAME


GAME = Partitions()
