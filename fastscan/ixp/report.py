"""One instance explained (``fastscan ixp solve``) and the paper's theorems checked on it
(``fastscan ixp check``): plain data a command prints as a table or JSON."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..kernels.ixp.rule import SOLVER_REL, at_most, below, tied
from .model import Instance, Q, alpha_star, is_stable, prices, social_cost

SOLVE_LIMIT = 2**24  # assignments enumerated by solve / check (about a second); else s* only


def enumerable(inst: Instance) -> bool:
    return (inst.m + 1) ** inst.n <= SOLVE_LIMIT


def _num(x) -> float | str | None:
    """A number for JSON: NaN as null, infinities as "inf" / "-inf" (strict JSON has neither)."""
    x = float(x)
    return None if math.isnan(x) else str(x) if math.isinf(x) else x


def solve(inst: Instance, alpha: np.ndarray, approx: bool = True) -> dict:
    """Everything about one instance: s* (by enumeration when small, else min cut / MILP),
    alpha*, Q, payments, prices, the process, Thm 5.1 / 5.2; per alpha the best and worst
    stable states (small instances); §7's LP 19, Algorithms 1 and 2, multi optimum."""
    from .compute import instance_values, optimum_values
    from .optima import optimum
    from .solve import process

    small = enumerable(inst)
    if small:
        values = instance_values(inst, alpha, inst.n)
        method = "exhaustive"
    else:
        method = "mincut" if inst.m <= 2 else "milp"
        values = optimum_values(inst, *optimum(inst, method), inst.n)
    s_opt = values["optimum_assignment"].astype(np.int64)
    end, trail = process(inst, s_opt)
    out = {
        "n": inst.n,
        "m": inst.m,
        "method": method,
        "optimum_assignment": s_opt.tolist(),
        "optimum_cost": float(values["optimum_cost"]),
        "optimum_alpha": _num(values["optimum_alpha"]),
        "Q": Q(inst, s_opt).tolist(),
        "delta": float(values["delta"]),
        "delta_ratio": float(values["delta_ratio"]),
        "prices": _prices(inst, s_opt, values["optimum_alpha"]),
        "process_assignment": end.tolist(),
        "process_cost": social_cost(inst, end),
        "process_steps": len(trail) - 1,
        "peering_stable": bool(values["peering_stable"]),
        "doubled_stable": bool(values["doubled_stable"]),
    }
    if small:
        out["alpha"] = [
            {
                "alpha": float(a),
                "stable_count": int(values["stable_count"][t]),
                "best_stable_cost": _num(values["best_stable_cost"][t]),
                "best_stable_assignment": values["best_stable_assignment"][t].tolist(),
                "worst_stable_cost": _num(values["worst_stable_cost"][t]),
                "pos": _num(values["pos"][t]),
                "poa": _num(values["poa"][t]),
            }
            for t, a in enumerate(alpha)
        ]
        out["thm53_slack"] = float(values["thm53_slack"])
    if approx:
        from .compute import approx_values

        out.update({k: float(v) for k, v in approx_values(inst, seed=0).items()})
    return out


def _prices(inst: Instance, s: np.ndarray, need: float) -> list[float] | None:
    """Budget-balanced prices that make s* stable at its alpha* (None when it never is)."""
    if not math.isfinite(float(need)):
        return None
    gamma = prices(inst, s, max(1.0, float(need)))
    return None if gamma is None else gamma.tolist()


@dataclass(frozen=True)
class Verdict:
    """One claim checked on one instance."""

    claim: str
    ok: bool
    detail: str


def check(inst: Instance, alpha: np.ndarray) -> list[Verdict]:
    """The paper's claims (ERRATA's corrected statements) on one instance; enumeration-based
    ones only where the instance is small enough to enumerate. Every comparison of costs is the
    game's one rule (``rule.py``: within tau); HiGHS's values (IP 18, LP 19) within its own
    accuracy, ``SOLVER_REL`` times the instance's total weight."""
    from .multi import algorithm1, lp_relaxation, multi_optimum
    from .optima import optimum
    from .solve import delta, potential, process, ratio

    out: list[Verdict] = []
    tol = inst.tol
    solver_tol = SOLVER_REL * inst.total
    small = enumerable(inst)
    s_opt, c_opt = optimum(inst, "exhaustive" if small else "auto")

    def add(claim, ok, detail):
        out.append(Verdict(claim, bool(ok), detail))

    if small:
        from .assignments import exhaustive

        grid = np.union1d([1.0, 2.0], alpha)
        values = exhaustive(inst, grid)
        best = values["best_stable_cost"]
        one = float(best[0])
        add(
            "Thm 4.3: a stable state exists, PoS <= 2",
            math.isfinite(one) and at_most(one, 2 * c_opt, tol),
            f"best stable {one:.6g} vs 2 c(s*) = {2 * c_opt:.6g}",
        )
        bound = np.maximum(1.0, 2.0 / np.minimum(grid, 2.0)) * c_opt
        worst = int(np.argmax(best - bound))
        add(
            "Thm 4.4 (ERRATA: 1 <= alpha <= 2): best alpha-stable <= max(1, 2/alpha) c(s*)",
            all(at_most(b, c, tol) for b, c in zip(best, bound, strict=True)),
            f"worst at alpha={grid[worst]:g}: {best[worst]:.6g} vs {bound[worst]:.6g}",
        )
    a_star = alpha_star(inst, s_opt)
    add(
        "Thm 4.4: s* is 2-stable (alpha* <= 2)",
        is_stable(inst, s_opt, 2.0),
        f"alpha*(s*) = {a_star:.6g}",
    )
    end, trail = process(inst, s_opt)
    falls = all(at_most(b, a, tol) for a, b in zip(trail, trail[1:], strict=False))
    add(
        "Thm 4.3: the process from s* ends stable within 2 c(s*), Phi never rising (Lemma 4.2.1)",
        is_stable(inst, end, 1.0) and at_most(social_cost(inst, end), 2 * c_opt, tol) and falls,
        f"{len(trail) - 1} steps, cost {social_cost(inst, end):.6g}, Phi "
        f"{trail[0]:.6g} -> {potential(inst, end):.6g}",
    )
    q = Q(inst, s_opt)
    short = [
        int(f)
        for f in np.unique(s_opt[s_opt >= 0])
        if below(np.maximum(q[s_opt == f], 0).sum(), inst.facility_cost[f], tol)
    ]
    add(
        "Lemma 5.2.1: at every open f, sum of max(0, Q_i(s*)) >= c(f)",
        not short,
        f"short facilities: {short}" if short else f"Delta = {delta(inst, s_opt):.6g}",
    )
    from .solve import doubled, peering_stable

    add("Thm 5.1: s* is stable with peering payments", peering_stable(inst, s_opt), "")
    add(
        "Thm 5.2: s* is stable once every w(i, j) is doubled",
        is_stable(doubled(inst), s_opt, 1.0),
        "",
    )
    if small:
        d = delta(inst, s_opt)
        slack = 1 - 0.4 * ratio(one, c_opt, tol) - (d / c_opt if c_opt > tol else 0.0)
        # 0.4 PoS + Delta / c(s*) <= 1 is 0.4 c(best stable) + Delta <= c(s*): costs, the rule
        add(
            "Thm 5.3: 0.4 PoS + Delta / c(s*) <= 1",
            at_most(0.4 * one + d, c_opt, tol),
            f"slack {slack:.6g}",
        )
    if inst.m <= 2:
        cut = optimum(inst, "mincut")[1]
        milp = optimum(inst, "milp")[1]
        add(
            "Thm 7.1 (ERRATA, m <= 2): min cut = MILP = optimum",
            tied(cut, c_opt, tol)
            and not below(milp, c_opt, tol)
            and at_most(milp, c_opt, solver_tol),
            f"{cut:.6g}, {milp:.6g}, {c_opt:.6g}",
        )
    lp = lp_relaxation(inst)
    multi = multi_optimum(inst)[1]
    add(
        "§7.2: LP 19 <= multi-facility optimum <= single-facility optimum",
        at_most(lp.value, multi, solver_tol) and at_most(multi, c_opt, solver_tol),
        f"{lp.value:.6g} <= {multi:.6g} <= {c_opt:.6g}",
    )
    a1 = algorithm1(inst, lp)[1]
    add(
        "Thm 7.2: Algorithm 1 within (m+1) LP 19",
        at_most(a1, (inst.m + 1) * lp.value, solver_tol),
        f"{a1:.6g} vs {(inst.m + 1) * lp.value:.6g}",
    )
    return out
