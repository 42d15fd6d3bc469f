"""Every kernel the IXP commands need, compiled on tiny instances (the steps of
:meth:`fastscan.game.Game.warm_steps`): the real library paths run, not a list of kernels, so
a new kernel or a new type signature on any of these paths is covered without a change here."""

from __future__ import annotations

from collections.abc import Callable

ALPHA = "1,1.5"
PLANTED = {"name": "thm41,thm42,thm44,hub", "eps": "1e-3"}
# m = 1, 2 (s* by min cut) and 3 (by MILP); n = 3 with m = 2 makes 27 assignments
RANDOM = {"n": "3", "m": "1,2,3", "density": "0.5", "ratio": "1", "facility": "1", "seed": "0"}


def everything() -> None:
    """``ixp scan`` in memory (both methods, with and without ``approx``, an instance split in
    blocks), ``ixp solve`` and ``ixp check`` (3 s cold: one step)."""
    from ..grids import parse_grid
    from ..runner import compute
    from . import commands
    from .families import from_family
    from .plan import build

    alpha = parse_grid(ALPHA, "alpha")
    planted = from_family("planted", PLANTED, alpha=alpha)
    small = from_family("uniform", RANDOM, alpha=alpha)
    for instances in (planted, small):
        for method in ("exhaustive", "optimum"):
            for approx in (False, True):
                compute(build(instances, alpha, method=method, approx=approx), workers=1)
    compute(build(small, alpha, block_from=8), workers=1)  # blocks of one instance, merged
    commands.solve(family="planted", params=PLANTED, alpha=ALPHA)
    commands.check(family="planted", params=PLANTED, alpha=ALPHA)


STEPS: list[Callable[[], None]] = [everything]
