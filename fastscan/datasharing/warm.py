"""Every kernel the data-sharing commands need, compiled on tiny inputs (the steps of
:meth:`fastscan.game.Game.warm_steps`): the real library paths run, not a list of kernels, so
a new kernel or a new type signature on any of these paths is covered without a change here."""

from __future__ import annotations

from collections.abc import Callable

# the shapes the commands take: one profile, a batch of profiles of different sizes (padded),
# a profile split into blocks, every notion with and without the worst tables
ONE = "1e-3,2e-3,3e-3"
BATCH = [[1e-3, 2e-3, float("nan")], [1e-3, 2e-3, 3e-3]]
SPLIT = [1e-3, 2e-3, 3e-3, 4e-3]  # two blocks by its cheapest player, under the policy below
ALPHA = [-0.5, 0.5]
SIGMA = [0.1, 0.3]
NOTIONS = ("nash", "robust", "designer")


def _scan(costs: list, sets: str, split: bool = False) -> None:
    """``scan`` in memory, its estimate first (it times a piece of the plan), worst on and off."""
    from ..runner import compute
    from .estimate import estimate
    from .plan import Split, build
    from .profiles import ProfileSet
    from .validate import check_profiles

    profiles = ProfileSet(check_profiles(costs, sets), {}, {"source": "costs"})
    policy = {"split": Split(block_from=len(SPLIT) - 1, max_fixed=1)} if split else {}
    for worst in (False, True):
        plan = build(profiles, ALPHA, SIGMA, sets, notions=NOTIONS, worst=worst, **policy)
        estimate(plan, workers=1)
        compute(plan, workers=1)


def scan_batch() -> None:
    """``scan`` with sets=all: many small profiles in one kernel call (the demo, ``make run``)."""
    _scan(BATCH, "all")


def scan_split() -> None:
    """``scan`` with sets=all of a profile split into blocks that merge."""
    _scan(SPLIT, "all", split=True)


def scan_downward() -> None:
    """``scan`` with sets=downward."""
    _scan(BATCH[1:], "downward")


def points() -> None:
    """``coalitions`` and ``intervals``, every notion, both sets modes; and a privacy model
    other than the power law (the same kernels, plus its f and ln(1 - p) tables)."""
    from . import commands

    for sets in ("all", "downward"):
        commands.coalitions(ONE, ALPHA[1], SIGMA[1], notion="all", sets=sets)
        commands.intervals(ONE, ALPHA[1], notion="all", sets=sets)
    leakage = {"privacy": "leakage", "p": 0.1}
    commands.coalitions(ONE, None, SIGMA[1], notion="all", model=leakage)
    commands.intervals(ONE, None, notion="all", model=leakage)


def claims() -> None:
    """``check``: every statement of the paper on one random instance."""
    from .check import check

    check("all", profiles=1, n="2:4")


# measured cold, one after the other: 28 s, 15 s, 7 s, 5 s, under a second
STEPS: list[Callable[[], None]] = [scan_batch, scan_split, scan_downward, points, claims]
