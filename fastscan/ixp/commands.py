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
    mode = job.mode_of(out, resume, overwrite, arg)
    scan_plan = plan.build(found, grid, method=method, approx=approx, arg=arg)
    return job.run(scan_plan, out, mode, say=say, arg=arg, **run_options)


def _chosen(family, params, instances, index, alpha, arg):
    """The instances a one-off command looks at: all of them, or ``index`` alone."""
    found = instances_from(family, params, instances, arg, alpha)
    if index is None:
        return list(range(len(found))), found
    if not 0 <= index < len(found):
        raise ValueError(f"{arg('index')} must be within 0..{len(found) - 1} (got {index})")
    return [index], found


def _alpha(alpha: str, arg) -> Any:
    """The alpha grid of solve and check, its errors naming the option once."""
    from .plan import checked_alpha

    return checked_alpha(parse_grid(alpha, arg("alpha")), arg)


def solve(
    *,
    family=None,
    params=None,
    instances=None,
    index: int | None = None,
    alpha: str = "1",
    output: str = "table",
    arg=plain,
) -> str:
    """``fastscan ixp solve``: each chosen instance explained (see :func:`report.solve`)."""
    import json

    from . import report

    grid = _alpha(alpha, arg)
    chosen, found = _chosen(family, params, instances, index, grid, arg)
    rows = [{"instance": p, **report.solve(found.instance(p), grid)} for p in chosen]
    if output == "json":
        return json.dumps(rows, indent=1)
    return "\n\n".join(_solve_text(r) for r in rows)


def _solve_text(r: dict) -> str:
    def f(x):
        return "-" if x is None else f"{x:.6g}" if isinstance(x, float) else str(x)

    lines = [
        f"instance {r['instance']}: n={r['n']} agents, m={r['m']} facilities (s* by {r['method']})",
        f"  optimum s* = {r['optimum_assignment']}  c(s*) = {f(r['optimum_cost'])}  "
        f"alpha*(s*) = {f(r['optimum_alpha'])}",
        f"  Q(s*) = [{', '.join(f(q) for q in r['Q'])}]",
        f"  Delta = {f(r['delta'])} ({f(r['delta_ratio'])} of c(s*)); prices at alpha*: "
        f"{'-' if r['prices'] is None else '[' + ', '.join(f(g) for g in r['prices']) + ']'}",
        f"  Thm 4.3's process from s*: {r['process_assignment']} cost {f(r['process_cost'])} "
        f"after {r['process_steps']} steps",
        f"  peering stable (Thm 5.1): {r['peering_stable']}; doubled w(i, j) stable (Thm 5.2): "
        f"{r['doubled_stable']}",
    ]
    if "alpha" in r:
        lines.append("  alpha   stable  best cost  best assignment     worst cost   PoS     PoA")
        for a in r["alpha"]:
            lines.append(
                f"  {a['alpha']:<7g} {a['stable_count']:>6}  {f(a['best_stable_cost']):>9}  "
                f"{str(a['best_stable_assignment']):<19} {f(a['worst_stable_cost']):>10}  "
                f"{f(a['pos']):<7} {f(a['poa'])}"
            )
        lines.append(f"  Thm 5.3 slack: {f(r['thm53_slack'])}")
    else:
        lines.append("  (too many assignments to enumerate: no per-alpha stable states)")
    if "lp19" in r:
        lines.append(
            f"  §7: LP 19 {f(r['lp19'])}  multi optimum {f(r['multi_optimum_cost'])}  "
            f"Alg. 1 {f(r['alg1_cost'])}  Alg. 2 {f(r['alg2_cost'])}"
        )
    return "\n".join(lines)


def check(
    *,
    family=None,
    params=None,
    instances=None,
    index: int | None = None,
    alpha: str = "1:2:11",
    output: str = "table",
    arg=plain,
) -> tuple[str, bool]:
    """``fastscan ixp check``: the paper's claims on each chosen instance; returns the text and
    whether every claim held."""
    import json

    from . import report

    grid = _alpha(alpha, arg)
    chosen, found = _chosen(family, params, instances, index, grid, arg)
    rows = [(p, report.check(found.instance(p), grid)) for p in chosen]
    ok = all(v.ok for _, verdicts in rows for v in verdicts)
    if output == "json":
        doc = [
            {"instance": p, "claim": v.claim, "pass": v.ok, "detail": v.detail}
            for p, verdicts in rows
            for v in verdicts
        ]
        return json.dumps(doc, indent=1), ok
    lines = []
    for p, verdicts in rows:
        lines.append(f"instance {p}:")
        lines += [
            f"  {'PASS' if v.ok else 'FAIL'}  {v.claim}{f'  ({v.detail})' if v.detail else ''}"
            for v in verdicts
        ]
    failed = sum(not v.ok for _, verdicts in rows for v in verdicts)
    total = sum(len(verdicts) for _, verdicts in rows)
    lines.append(
        f"{total - failed} of {total} checks passed" + (f", {failed} FAILED" if failed else "")
    )
    return "\n".join(lines), ok
