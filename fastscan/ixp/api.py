"""The IXP game's in-memory scan: every instance x alpha into an xarray Dataset."""

from __future__ import annotations

from typing import Any


def scan(
    instances: Any,
    alpha: Any = 1.0,
    *,
    method: str = "exhaustive",
    approx: bool = False,
    threads: int | None = None,
):
    """Evaluate every (instance, alpha) exactly into an in-memory Dataset.

    Parameters
    ----------
    instances : Instance, list of Instance, or Instances
        The instances (a family: :func:`fastscan.ixp.plan.from_family`).
    alpha : float or 1-D array_like
        Ascending grid of alpha >= 1 (Def. 4.1).
    method : {"exhaustive", "optimum"}
        Every assignment (the per-alpha variables too), or s* alone without enumeration (min
        cut for m <= 2, else MILP): the per-instance variables only.
    approx : bool
        Also §7's LP 19, Algorithms 1 and 2 and the multi-facility optimum.
    threads : int, optional
        Threads running kernels side by side (default: all cores).
    """
    from ..runner import dataset
    from .model import Instance
    from .plan import Instances, build

    if isinstance(instances, Instance):
        instances = [instances]
    if not isinstance(instances, Instances):
        instances = Instances.from_list(list(instances))
    plan = build(instances, alpha, method=method, approx=approx)
    return dataset(plan, threads)
