"""The partition game's compile steps (run once after an install by
:func:`fastscan.warm.compile_kernels`): a scan with blocks, and the one-point commands."""

from __future__ import annotations


def scan_step() -> None:
    from .compute import warm_up

    warm_up()


def point_step() -> None:
    from .api import stable_partitions
    from .describe import describe_partition
    from .intervals import partition_intervals

    costs = [0.01, 0.02, 0.03]
    for notion in ("nash", "core"):
        stable_partitions(costs, 0.5, 0.3, notion)
        describe_partition(costs, 0.5, 0.3, "0,0,1", notion)
        partition_intervals(costs, 0.5, notion)


STEPS = [scan_step, point_step]
