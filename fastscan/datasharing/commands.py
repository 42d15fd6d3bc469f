"""The data-sharing game's commands as library calls: each takes the parsed options and returns
what to print, so ``fastscan.cli.datasharing`` only parses and prints. ``arg`` names arguments
in errors (the command line passes its flags)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from ..grids import parse_grid, plain

FIG1_COSTS = "2.2e-4,5.4e-4,7e-4,11e-4,30e-4,33e-4,34e-4,36e-4,38e-4"
DEMO_OUT = "fastscan-demo.zarr"
FAMILY_PARAMS = ("n", "cost", "ratio", "low", "high", "seed")


def profiles(costs=None, costs_file=None, family=None, params=None, arg=plain):
    """The profiles given by exactly one of ``costs``, ``costs_file``, ``family`` (None: none
    given) and the name errors call them by."""
    from . import profiles as ps

    params = params or {}
    sources = [x for x in (costs, costs_file, family) if x is not None]
    if len(sources) > 1:
        raise ValueError(f"give one of {arg('costs')}, {arg('costs_file')}, {arg('family')}")
    given = [k for k, v in params.items() if v is not None]
    if family is None and given:
        raise ValueError(f"{arg(given[0])} needs {arg('family')}")
    if costs is not None:
        return ps.from_text(costs, arg("costs")), arg("costs")
    if costs_file is not None:
        return ps.from_file(costs_file, arg("costs_file")), f"{arg('costs_file')} {costs_file!r}"
    if family is not None:
        return ps.from_family(family, params, arg), f"{arg('family')} {family}"
    return None, arg("costs")


def scan(
    *,
    costs: str | None = None,
    costs_file: str | None = None,
    family: str | None = None,
    params: dict[str, str | None] | None = None,
    alpha: str | None = None,
    sigma: str = "0.05:1:400",
    privacy: str = "power",
    p: str | None = None,
    f_file: str | None = None,
    sets: str = "all",
    notion: str = "nash,robust",
    worst: bool = False,
    out: str | None = None,
    resume: bool = False,
    overwrite: bool = False,
    say: Callable[[str], None] | None = None,
    arg: Callable[[str], str] = plain,
    **run_options: Any,
) -> tuple[str, str]:
    """``fastscan scan``: profiles x alpha x sigma into a resumable cube; with no profile the
    demo (the Fig. 1 profile into ``fastscan-demo.zarr``, resumed, then summarized). Returns
    the closing line (for the log) and the demo's summary (empty for other scans);
    ``run_options`` go to :func:`fastscan.job.run`."""
    from .. import job
    from .demo import summary
    from .plan import build

    found, name = profiles(costs, costs_file, family, params, arg)
    demo = found is None
    if demo:
        found, name = profiles(FIG1_COSTS, arg=arg)
        out = out or DEMO_OUT
        resume = resume or not overwrite
    mode = job.mode_of(out, resume, overwrite, arg)
    plan = build(
        found,
        scan_model(privacy, alpha, p, f_file, arg),
        parse_grid(sigma, arg("sigma")),
        sets,
        name=name,
        notions=notion,
        worst=worst,
        arg=arg,
    )
    closing = job.run(plan, out, mode, say=say, arg=arg, **run_options)
    if not demo:
        return closing, ""
    from ..store import Store

    return closing, summary(Store(out).open_dataset(), out)


ALPHA_GRID = "-1:1:201"  # --alpha's default under --privacy power


def scan_model(privacy: str, alpha: str | None, p: str | None, f_file: str | None, arg=plain):
    """The privacy model of a scan from its options: ``--alpha`` (default ``-1:1:201``),
    ``--p`` or ``--f-file``, each only with its ``--privacy``."""
    from . import privacy as pm

    if privacy == "power" and alpha is None and f_file is None:
        alpha = ALPHA_GRID
    f, names = pm.read_f_file(f_file, arg) if f_file is not None else (None, None)
    return pm.of(
        privacy,
        alpha=None if alpha is None else parse_grid(alpha, arg("alpha")),
        p=None if p is None else parse_grid(p, arg("p")),
        f=f,
        names=names,
        arg=arg,
    )


def point_model(
    privacy: str, p: float | None, f_file: str | None, model: str | None, arg=plain
) -> dict:
    """The keyword arguments of one point's privacy model (``privacy``, ``p``, ``f``) from a
    one-point command's options; ``--model`` picks a column of a many-column ``--f-file``."""
    from . import privacy as pm

    out: dict[str, Any] = {"privacy": privacy, "p": p}
    if model is not None and f_file is None:
        raise ValueError(f"{arg('model')} picks a column of {arg('f_file')}: give that too")
    if f_file is not None:
        f, names = pm.read_f_file(f_file, arg)
        if model is None and len(names) > 1:
            raise ValueError(
                f"{arg('f_file')} {f_file} has {len(names)} models ({', '.join(names)}): pick "
                f"one with {arg('model')}"
            )
        if model is not None and model not in names:
            raise ValueError(
                f"{arg('model')} {model!r} is not a column of {f_file} ({', '.join(names)})"
            )
        column = names.index(model) if model is not None else 0
        out["f"], out["models"] = f[column], [names[column]]
        if privacy == "power":
            out["privacy"] = "table"
    return out


def _quiet(message: str) -> None:
    pass


def point_notions(notion: str) -> tuple[str, ...]:
    """The notions a one-point command shows: ``both`` is nash and robust, ``all`` adds the
    designer's."""
    from .variables import NOTION_VALUES

    return {"both": ("nash", "robust"), "all": NOTION_VALUES}.get(notion, (notion,))


COALITION_LIMIT = 20  # coalitions described per notion by default (a table of n + 3 lines each)


def coalitions(
    costs: str,
    alpha: float | None,
    sigma: float,
    notion: str = "both",
    sets: str = "all",
    notify: Callable[[str], None] = _quiet,
    arg=plain,
    limit: int = COALITION_LIMIT,
    model: dict | None = None,
) -> str:
    """``fastscan coalitions``: the stable coalitions at one point with the table of the proof
    of Lemmas 3/4 for each (the first ``limit`` per notion; 0: all), the optimum per notion, k*
    and the designer's epsilon. ``notify`` hears once when the kernels must be compiled
    first."""
    from ..kernels._numba import announce
    from . import validate
    from .coalitions import describe_coalition, point_summary, stable_coalitions
    from .profiles import from_text

    costs = validate.check_profile(from_text(costs, arg("costs")).costs[0], sets, arg("costs"))
    model = _point(costs.size, alpha, model or {}, arg)
    notions = point_notions(notion)
    with announce(f"coalitions-{sets}", notify):  # every kernel this command uses, once
        summary = point_summary(costs, alpha, sigma, sets=sets, **model)
        stable_coalitions(costs, alpha, sigma, notion=notions[0], sets=sets, **model)
        describe_coalition(costs, alpha, sigma, (0, 1), **model)
    lines = []
    for nu in notions:
        found = stable_coalitions(costs, alpha, sigma, notion=nu, sets=sets, **model)
        lines.append(
            f"{nu}: {len(found)} stable coalition{'s' if len(found) != 1 else ''} at "
            f"{_at(alpha, model)}, sigma={sigma:g}"
        )
        shown = found if limit == 0 else found[:limit]
        for c in shown:
            lines += [describe_coalition(costs, alpha, sigma, c, **model).table(), ""]
        if len(shown) < len(found):
            # equal costs make C(n, k) coalitions stable at once: a million tables otherwise
            lines += [
                f"... {len(found) - len(shown):,} more {nu} stable coalitions not shown (the "
                f"first {len(shown):,} of {len(found):,}); see them all with "
                f"{arg('limit')} {len(found)} (or {arg('limit')} 0)",
                "",
            ]
        lines.append(summary.lines(nu) + "\n")
    lines.append(summary.central())
    return "\n".join(lines)


def intervals(
    costs: str,
    alpha: float,
    notion: str = "both",
    sets: str = "all",
    fmt: str = "table",
    notify: Callable[[str], None] = _quiet,
    arg=plain,
    plot: str | None = None,
    model: dict | None = None,
) -> str:
    """``fastscan intervals``: the exact sigma ranges [low, high) on which equilibria exist,
    as a table or JSON; ``plot``: also an image of the largest equilibrium's size against sigma,
    exact steps a panel per notion (Fig. 1 without a grid). ``notify`` hears once when the
    kernels must be compiled first."""
    from ..kernels._numba import announce
    from . import validate
    from .intervals import equilibrium_ranges
    from .profiles import from_text

    costs = validate.check_profile(from_text(costs, arg("costs")).costs[0], sets, arg("costs"))
    model = _point(costs.size, alpha, model or {}, arg)
    ranges = []
    with announce(f"intervals-{sets}", notify):
        for nu in point_notions(notion):
            ranges += equilibrium_ranges(costs, alpha, notion=nu, sets=sets, **model)
    if plot is not None:
        labels = _plot_ranges(
            ranges, point_notions(notion), costs, _at(alpha, model, "="), sets, plot, arg
        )
        notify(
            f"wrote {plot}: the largest equilibrium on exact sigma ranges"
            + (f"; labelled as too narrow to see: {'; '.join(labels)}" if labels else "")
        )
    if fmt == "json":
        return json.dumps([r.to_dict() for r in ranges], indent=1)
    lines = []
    for r in ranges:
        # full precision (shortest round trip): the ends are the first floats of each range,
        # so a sigma pasted from here is decided as the range says
        hi = "inf" if r.high is None else repr(r.high)
        listed = "; ".join(",".join(map(str, c)) for c in r.coalitions[:6])
        more = f" (+{len(r.coalitions) - 6} more)" if len(r.coalitions) > 6 else ""
        lines.append(
            f"{r.notion:7} [{r.low!r}, {hi}) max size {r.max_size:2d}  "
            f"{listed or 'no equilibrium'}{more}"
        )
    return "\n".join(lines)


def _point(n: int, alpha: float | None, model: dict, arg) -> dict:
    """Validate one point's model up front (errors name the command's options)."""
    from .privacy import at_point

    at_point(n, alpha, model.get("privacy", "power"), model.get("p"), model.get("f"), arg)
    return model


def _at(alpha: float | None, model: dict, eq: str = "=") -> str:
    """``alpha=0.5``, ``p=0.05``, ``f=table``, ``f=1``: the point's model as printed."""
    kind = model.get("privacy", "power")
    if kind == "leakage":
        return f"p{eq}{model['p']:g}"
    if kind == "constant":
        return f"f{eq}1"
    if kind == "table":
        return f"model{eq}{(model.get('models') or ['table'])[0]}"
    return f"alpha{eq}{alpha:g}"


def _plot_ranges(ranges, notions, costs, at: str, sets: str, out: str, arg=plain) -> list[str]:
    """The largest equilibrium's size on each exact range, one step panel per notion; returns
    the labels of ranges too narrow to see."""
    import numpy as np

    from ..plotting import check_folder, steps

    check_folder(out, arg("plot"))
    names = {"nash": "nash", "robust": "robust", "designer": "designer"}
    panels = []
    for nu in notions:
        low, high, size = [], [], []
        for r in (r for r in ranges if r.notion == nu):
            if size and size[-1] == r.max_size:  # a step is where the largest size changes
                high[-1] = np.inf if r.high is None else r.high
            else:
                low.append(r.low)
                high.append(np.inf if r.high is None else r.high)
                size.append(r.max_size)
        panels.append((names[nu], np.array(low), np.array(high), np.array(size)))
    shown = ",".join(f"{c:g}" for c in costs)
    at = at.replace("alpha=", "α=")
    title = f"largest equilibrium, exact σ ranges: costs {shown}, {at}" + (
        ", downward-closed sets" if sets == "downward" else ""
    )
    return steps(panels, out, xlabel="σ", ylabel="max_size [players]", title=title, arg=arg)
