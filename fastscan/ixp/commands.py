"""The IXP game's commands as library calls: each takes the parsed options and returns what to
print (``arg`` names arguments in errors; the command line passes its flags)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..grids import parse_grid, plain
from .families import FAMILIES


def instances_from(family, params, instances, arg, alpha=None):
    """The instances a command names: a family's grids or a file (exactly one of them)."""
    from . import families

    params = params or {}
    given = [k for k, v in params.items() if v is not None]
    if (family is None) == (instances is None):
        raise ValueError(f"give one of {arg('family')} or {arg('instances')}")
    if instances is not None and given:
        raise ValueError(f"{arg(given[0])} needs {arg('family')}")
    if family is not None:
        extra = sorted(set(given) - set(FAMILIES.get(family, given)))
        if extra:
            raise ValueError(f"{arg('family')} {family} takes no {arg(extra[0])}")
        return families.from_family(family, params, arg, alpha)
    return families.from_file(instances, arg("instances"))


def scan(
    *,
    family: str | None = None,
    params: dict[str, str | None] | None = None,
    instances: str | None = None,
    alpha: str = "1",
    method: str = "exhaustive",
    approx: bool = False,
    out: str | None = None,
    resume: bool = False,
    overwrite: bool = False,
    say: Callable[[str], None] | None = None,
    arg: Callable[[str], str] = plain,
    **run_options: Any,
) -> str:
    """``fastscan ixp scan``: a family of instances (or a file of them) x alpha into a cube;
    returns the closing line. ``run_options`` go to :func:`fastscan.job.run`."""
    from .. import job
    from . import plan

    grid = parse_grid(alpha, arg("alpha"))
    found = instances_from(family, params, instances, arg, grid)
    if out is None:
        raise ValueError(f"{arg('out')} is required (a path or fsspec URL for the Zarr store)")
    if resume and overwrite:
        raise ValueError(f"give {arg('resume')} or {arg('overwrite')}, not both")
    scan_plan = plan.build(found, grid, method=method, approx=approx, arg=arg)
    mode = "resume" if resume else "overwrite" if overwrite else "new"
    return job.run(scan_plan, out, mode, say=say, arg=arg, **run_options)
