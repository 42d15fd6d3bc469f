"""One point, one coalition: which coalitions are stable, on which sigma, and why."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from . import model, validate
from .compute import Profile
from .privacy import at_point


def stable_coalitions(
    costs: Any,
    alpha: float | None = None,
    sigma: float | None = None,
    *,
    notion: str = "nash",
    sets: str = "all",
    privacy: str = "power",
    p: Any = None,
    f: Any = None,
    models: Any = None,
) -> list[tuple[int, ...]]:
    """Every coalition stable at one ``(alpha, sigma)``; ``privacy`` with ``p`` or ``f``
    (instead of ``alpha``) asks another privacy-cost scaling (:mod:`.privacy`): ``"leakage"``
    with one ``p``, ``"constant"``, or ``f`` (``f(k)`` for ``k = 1..K``).

    Returns
    -------
    list of tuple of int
        Each coalition as sorted input positions, the list sorted by (size, members).
    """
    validate.check_notion(notion)
    validate.check_sets(sets)
    costs = validate.check_profile(costs, sets)
    pf = at_point(costs.size, alpha, privacy, p, f, models=models).pf()
    sigma = _sigma(sigma)
    from ..kernels.datasharing.point import stable_masks_all, stable_sizes_downward

    prof = Profile.from_costs(costs)
    code = validate.NOTIONS.index(notion)  # the kernels' NASH, ROBUST, DESIGNER
    if sets == "downward":
        sizes = stable_sizes_downward(prof.a, prof.c, pf, sigma, code)
        found = [tuple(np.sort(prof.order[:k]).tolist()) for k in sizes]
    else:
        masks = stable_masks_all(prof.a, prof.c, pf, sigma, code)
        found = [
            tuple(sorted(int(prof.order[i]) for i in range(prof.n) if (int(m) >> i) & 1))
            for m in masks
        ]
    return sorted(found, key=lambda c: (len(c), c))


def stability_interval(
    costs: Any,
    alpha: float | None = None,
    members: Any = None,
    *,
    notion: str = "nash",
    privacy: str = "power",
    p: Any = None,
    f: Any = None,
    models: Any = None,
) -> tuple[float, float] | None:
    """The sigma range ``[low, high)`` on which a coalition is stable, or None if empty.

    Exact: ``low`` and ``high`` are the first floats at which the exact decision on ``sigma^2``
    changes (README, "Exact decisions"), and every kernel reports the coalition stable at
    ``sigma`` if and only if ``low <= sigma < high``; ``high`` is ``inf`` for the grand coalition.
    """
    from ..kernels.datasharing.exact import sigma_first

    validate.check_notion(notion)
    costs = validate.check_profile(costs, "downward")
    pf = at_point(costs.size, alpha, privacy, p, f, models=models).pf()
    members = validate.check_members(members, costs.shape[0])
    T = _thresholds(Profile.from_costs(costs), pf, members)
    lower, upper = {"nash": (0, 1), "robust": (0, 2), "designer": (3, 4)}[notion]
    low = float(sigma_first(T[lower, 0], T[lower, 1]))
    high = float(sigma_first(T[upper, 0], T[upper, 1]))
    return (low, high) if low < high else None


def _sigma(sigma: Any) -> float:
    if sigma is None:
        raise ValueError("sigma is required")
    return float(validate.check_sigma(validate.check_scalar(sigma, "sigma"))[0])


def _thresholds(prof: Profile, pf: tuple, members: tuple[int, ...]) -> np.ndarray:
    """The coalition's five thresholds in ``s``, exact (rows ``(hi, lo)``)."""
    from ..kernels.datasharing.point import coalition_thresholds

    member = np.zeros(prof.n, dtype=np.bool_)
    rank = np.empty(prof.n, dtype=np.int64)
    rank[prof.order] = np.arange(prof.n)
    member[rank[list(members)]] = True
    return coalition_thresholds(prof.c, member, pf)


@dataclass(frozen=True)
class CoalitionReport:
    """One coalition at one point: the table of the proof of Lemmas 3 and 4.

    Arrays follow ``members`` and ``outsiders`` (input positions, ascending).
    """

    costs: np.ndarray
    alpha: float
    sigma: float
    members: tuple[int, ...]
    outsiders: tuple[int, ...]
    eps_selfish: np.ndarray  # Lemma 2
    eps_designer: np.ndarray  # Lemma 1, same coalition
    burdens: np.ndarray  # Definition 5 at the selfish levels
    variance: float  # eq. (5)
    social_cost: float  # eq. (6)
    outsider_burden: np.ndarray  # Definition 7: joining alone, members' epsilon fixed
    outsider_burden_reoptimized: np.ndarray  # Definition 8: own burden once all re-optimize
    outsider_valid_entry: np.ndarray  # Definition 8: nobody in S + {j} would then leave
    nash_stable: bool
    robust_stable: bool
    designer_stable: bool  # Def. 7 under Lemma 1's epsilon (the designer notion)
    model: str = ""  # the privacy model's value ("p=0.05", "model=secagg"; alpha: empty)

    def table(self) -> str:
        """A plain-text rendering of the report."""
        s2 = self.sigma * self.sigma
        lines = [
            f"coalition {list(self.members)} at {self.model or f'alpha={self.alpha:g}'}, "
            f"sigma={self.sigma:g} "
            f"(sigma^2={s2:.6g}): nash {'stable' if self.nash_stable else 'not stable'}, "
            f"robust {'stable' if self.robust_stable else 'not stable'}, "
            f"designer {'stable' if self.designer_stable else 'not stable'}",
            f"variance {self.variance:.6g}, social cost {self.social_cost:.6g}",
            f"{'player':>6} {'cost':>11} {'eps':>9} {'eps_designer':>12} {'burden':>9}",
        ]
        for i, p in enumerate(self.members):
            lines.append(
                f"{p:>6} {self.costs[p]:>11.4g} {self.eps_selfish[i]:>9.4f} "
                f"{self.eps_designer[i]:>12.4f} {self.burdens[i]:>9.4f}"
            )
        if self.outsiders:
            lines.append(
                f"{'outsider':>8} {'cost':>11} {'join alone':>11} {'re-optimized':>13} "
                f"{'valid entry':>11}"
            )
            for i, p in enumerate(self.outsiders):
                lines.append(
                    f"{p:>8} {self.costs[p]:>11.4g} {self.outsider_burden[i]:>11.4f} "
                    f"{self.outsider_burden_reoptimized[i]:>13.4f} "
                    f"{'yes' if self.outsider_valid_entry[i] else 'no':>11}"
                )
        return "\n".join(lines)


def describe_coalition(
    costs: Any,
    alpha: float | None = None,
    sigma: float | None = None,
    members: Any = None,
    *,
    privacy: str = "power",
    p: Any = None,
    f: Any = None,
    models: Any = None,
) -> CoalitionReport:
    """Each member's epsilon (selfish and designer's), burdens, the estimator variance and social
    cost, and each outsider's burden if it joined: the table in the proof of Lemmas 3 and 4
    (``privacy``, ``p``, ``f``: as :func:`stable_coalitions`)."""
    costs = validate.check_profile(costs, "downward")
    point = at_point(costs.size, alpha, privacy, p, f, models=models)
    pf = point.pf()
    alpha = point.scaling()
    sigma = _sigma(sigma)
    members = validate.check_members(members, costs.shape[0])
    from ..kernels.datasharing.exact import sigma_first

    def at_least(T: np.ndarray) -> bool:  # sigma^2 >= T, exactly (README, "Exact decisions")
        return bool(sigma >= sigma_first(T[0], T[1]))

    s = sigma * sigma
    prof = Profile.from_costs(costs)
    n = costs.shape[0]
    k = len(members)
    c_in = costs[list(members)]
    eps = model.eps_selfish(c_in, k, alpha)
    outsiders = tuple(i for i in range(n) if i not in set(members))
    alone, reopt, valid = [], [], []
    for j in outsiders:
        alone.append(model.entrant_burden(s, c_in, costs[j], alpha))
        c_new = np.append(c_in, costs[j])
        b_new = model.member_burdens(s, c_new, model.eps_selfish(c_new, k + 1, alpha), alpha)
        reopt.append(float(b_new[-1]))
        # valid entry: nobody in S + {j} leaves, i.e. sigma^2 >= L(S + {j}) (Claim 6)
        valid.append(at_least(_thresholds(prof, pf, (*members, j))[0]))
    L, UN, UR, LD, UD = _thresholds(prof, pf, members)
    return CoalitionReport(
        costs=costs,
        alpha=float(point.values[0]) if point.kind != "table" else float("nan"),
        model="" if point.kind == "power" else point.label(0),
        sigma=sigma,
        members=members,
        outsiders=outsiders,
        eps_selfish=eps,
        eps_designer=model.eps_designer(c_in, k, alpha),
        burdens=model.member_burdens(s, c_in, eps, alpha),
        variance=model.estimator_variance(s, eps),
        social_cost=float(np.sum(model.member_burdens(s, c_in, eps, alpha)) + (n - k) * s),
        outsider_burden=np.array(alone),
        outsider_burden_reoptimized=np.array(reopt),
        outsider_valid_entry=np.array(valid, dtype=bool),
        nash_stable=at_least(L) and not at_least(UN),
        robust_stable=at_least(L) and not at_least(UR),
        designer_stable=at_least(LD) and not at_least(UD),
    )


@dataclass(frozen=True)
class PointSummary:
    """One ``(alpha, sigma)``: per notion the best and worst stable coalitions with PoS and
    PoA, forced participation, and the centralized optimum ``k*`` with the designer's epsilon
    (Lemma 1) for its members."""

    optimum: dict[str, dict[str, float]]  # notion -> opt_size, ..., worst_size, ..., poa_*
    central_size: int
    central_social_cost: float
    central_variance: float
    central_members: tuple[int, ...]
    central_eps: np.ndarray
    central_ir: bool
    forced: dict[str, float]  # forced_size, forced_social_cost, forced_variance, pos_eps_factor

    def lines(self, notion: str) -> str:
        o = self.optimum[notion]
        return (
            f"{notion}: optimal stable coalition size {int(o['opt_size'])}, social cost "
            f"{o['opt_social_cost']:.6g}, variance {o['opt_variance']:.6g}; "
            f"PoS(SC) {o['pos_social_cost']:.6g}, PoS(Var) {o['pos_variance']:.6g}\n"
            f"{' ' * len(notion)}  worst equilibrium size {int(o['worst_size'])}, social cost "
            f"{o['worst_social_cost']:.6g}, variance {o['worst_variance']:.6g}; "
            f"PoA(SC) {o['poa_social_cost']:.6g}, PoA(Var) {o['poa_variance']:.6g}; "
            f"PoS split: selfish epsilon {self.forced['pos_eps_factor']:.6g} x stability "
            f"{o['pos_stability_factor']:.6g}"
        )

    def central(self) -> str:
        text = (
            f"centralized optimum (Lemma 1, eq. 4): k* = {self.central_size}, social cost "
            f"{self.central_social_cost:.6g}, variance {self.central_variance:.6g}; "
            f"individually rational under its epsilon: {'yes' if self.central_ir else 'no'}"
        )
        if self.central_size:
            text += "\n  designer's epsilon: " + ", ".join(
                f"player {i}: {e:.4f}"
                for i, e in zip(self.central_members, self.central_eps, strict=True)
            )
        f = self.forced
        text += (
            f"\nforced participation (Lemma 2's epsilon, any coalition): size "
            f"{int(f['forced_size'])}, social cost {f['forced_social_cost']:.6g}, variance "
            f"{f['forced_variance']:.6g}"
        )
        return text


def point_summary(
    costs: Any,
    alpha: float | None = None,
    sigma: float | None = None,
    *,
    sets: str = "all",
    privacy: str = "power",
    p: Any = None,
    f: Any = None,
    models: Any = None,
) -> PointSummary:
    """The cube's values at one point, every notion and the worst equilibria, from the same
    kernels as :func:`fastscan.scan` (no Dataset: a one-point command answers in about a
    second)."""
    from .compute import Lanes, SigmaGrid, compute_profile, with_pos
    from .variables import NOTION_VALUES

    validate.check_sets(sets)
    costs = validate.check_profile(costs, sets)
    point = at_point(costs.size, alpha, privacy, p, f, models=models)
    alpha = point.scaling()
    sigma = _sigma(sigma)
    prof = Profile.from_costs(costs)
    grid = SigmaGrid.from_sigma(np.array([sigma]))
    lanes = Lanes(len(NOTION_VALUES), worst=True)
    values = with_pos(compute_profile(prof, point.kernel(), grid, sets, lanes=lanes))
    names = [n for n, v in values.items() if v.ndim == 3]
    optimum = {
        nu: {name: float(values[name][0, 0, i]) for name in names}
        for i, nu in enumerate(NOTION_VALUES)
    }
    k = int(values["central_size"][0, 0])
    members = tuple(int(i) for i in prof.order[:k])
    forced = ("forced_size", "forced_social_cost", "forced_variance", "pos_eps_factor")
    return PointSummary(
        optimum,
        k,
        float(values["central_social_cost"][0, 0]),
        float(values["central_variance"][0, 0]),
        members,
        model.eps_designer(costs[list(members)], k, alpha) if k else np.array([]),
        bool(values["central_ir"][0, 0]),
        {name: float(values[name][0, 0]) for name in forced},
    )
