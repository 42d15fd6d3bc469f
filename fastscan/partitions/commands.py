"""What the ``fastscan partitions`` commands do, one library call each (the CLI prints it)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..grids import parse_grid, plain

SHOW_LIMIT = 20  # partitions described in full at one point (the count is always exact)


def _quiet(message: str) -> None:
    pass


def scan(
    *,
    costs: str | None = None,
    costs_file: str | None = None,
    family: str | None = None,
    params: dict[str, str | None] | None = None,
    alpha: str | None = None,
    sigma: str = "0.05:1:100",
    privacy: str = "power",
    p: str | None = None,
    f_file: str | None = None,
    notion: str = "nash,individual,contractual",
    out: str | None = None,
    resume: bool = False,
    overwrite: bool = False,
    say: Callable[[str], None] | None = None,
    arg: Callable[[str], str] = plain,
    **run_options: Any,
) -> str:
    """``fastscan partitions scan``: profiles x alpha x sigma into a resumable cube; returns the
    closing line. ``run_options`` go to :func:`fastscan.job.run`."""
    from .. import job
    from ..datasharing.commands import profiles, scan_model
    from .plan import build

    found, name = profiles(costs, costs_file, family, params, arg)
    if found is None:
        raise ValueError(
            f"give the players: {arg('costs')}, {arg('costs_file')} or {arg('family')}"
        )
    mode = job.mode_of(out, resume, overwrite, arg)
    plan = build(
        found,
        scan_model(privacy, alpha, p, f_file, arg),
        parse_grid(sigma, arg("sigma")),
        notion,
        name=name,
        arg=arg,
    )
    return job.run(plan, out, mode, say=say, arg=arg, **run_options)


def show(
    costs: str,
    alpha: float | None,
    sigma: float,
    notion: str = "nash",
    partition: str | None = None,
    notify: Callable[[str], None] = _quiet,
    arg=plain,
    limit: int = SHOW_LIMIT,
    model: dict | None = None,
) -> str:
    """``fastscan partitions show``: every stable partition at one point with each player's
    burden and best move, blocked or not (the first ``limit``; 0: all), or the one
    ``partition`` asked for, stable or not."""
    from ..datasharing.profiles import from_text
    from ..kernels._numba import announce
    from .api import SHOW_LIMIT as MOST
    from .api import Point
    from .compute import stable_keys, strings
    from .describe import describe_partition

    costs = from_text(costs, arg("costs")).costs[0]
    model = dict(model or {})
    pt = Point.of(costs, alpha, sigma, notion, arg=arg, **model)  # errors named as the CLI's
    with announce("partitions-show", notify):
        if partition is not None:
            return describe_partition(
                costs, alpha, sigma, partition, notion, arg=arg, **model
            ).table()
        total, keys = stable_keys(
            pt.costs, pt.models, pt.grid(), pt.notion, min(limit or MOST, MOST)
        )
        shown = strings(keys, pt.costs.size, pt.costs.size)
    at = f"alpha={alpha:g}, " if alpha is not None else ""
    lines = [
        f"{notion}: {total:,} stable partition{'s' if total != 1 else ''} at {at}sigma={sigma:g}",
        "",
    ]
    for labels in shown:
        lines += [describe_partition(costs, alpha, sigma, labels, notion, **model).table(), ""]
    if len(shown) < total:
        lines.append(
            f"... {total - len(shown):,} more not shown (the first {len(shown):,} of {total:,}); "
            f"see more with {arg('limit')} {total} (or {arg('limit')} 0)"
        )
    return "\n".join(lines).rstrip()


def intervals(
    costs: str,
    alpha: float | None,
    notion: str = "nash,individual,contractual",
    fmt: str = "table",
    notify: Callable[[str], None] = _quiet,
    arg=plain,
    model: dict | None = None,
) -> str:
    """``fastscan partitions intervals``: the exact sigma ranges ``[low, high)`` on which the
    set of stable partitions is constant, per notion, as a table or JSON."""
    import json

    from ..datasharing.profiles import from_text
    from ..kernels._numba import announce
    from .intervals import partition_intervals
    from .plan import check_notions

    costs = from_text(costs, arg("costs")).costs[0]
    ranges = []
    with announce("partitions-intervals", notify):
        for nu in check_notions(notion, arg("notion")):
            ranges += partition_intervals(costs, alpha, nu, arg=arg, **(model or {}))
    if fmt == "json":
        return json.dumps([r.to_dict() for r in ranges], indent=1)
    lines = []
    for r in ranges:
        # full precision: the ends are the first floats of each range (paste one to check it)
        hi = "inf" if r.high is None else repr(r.high)
        listed = "; ".join(",".join(map(str, p)) for p in r.partitions[:4])
        more = f" (+{len(r.partitions) - 4} more)" if len(r.partitions) > 4 else ""
        count = f"{len(r.partitions)} stable" if r.partitions else "no stable partition"
        lines.append(f"{r.notion:11} [{r.low!r}, {hi})  {count:>10}  {listed}{more}")
    return "\n".join(lines)
