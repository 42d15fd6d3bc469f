"""The paper's checkable statements as properties, each with its sampler of instances.

Each :class:`Statement` draws random instances (costs, alpha, sigma) from its own sampler and says
for each whether it is a counterexample. Statements that should hold fail the command when one is
found; erratum statements (Claim 2 as printed, PoS(Var) >= 1) are expected to fail and are
reported, not fatal; existence statements (Lemma 5) pass when a witness turns up. The smallest
counterexample found (fewest players, then smallest sigma) is shown with the command that shows it.
"""

from __future__ import annotations

import math
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from ..kernels import elementary
from . import model
from .privacy import Scaling

SPECIAL_ALPHAS = (-1.0, -0.5, 0.0, 0.5, 1.0)
# PoS(Var) < 1: the witness of ERRATA.md (n = 10, alpha = -1)
POSVAR_WITNESS = (
    [5.87e-5, 1.06e-4, 0.101, 0.11, 0.235, 0.076, 0.0589, 0.109, 4.13e-6, 1.72e-4],
    -1.0,
    0.2303648,
)


@dataclass(frozen=True)
class Instance:
    """One point of the game: a cost profile, alpha and sigma; ``model`` another privacy-cost
    scaling instead of alpha (:class:`Scaling`; None: the paper's ``k^alpha``)."""

    costs: np.ndarray
    alpha: float
    sigma: float
    model: Scaling | None = None

    def at(self) -> dict:
        """The point's model as the library's keyword arguments (``alpha=`` or ``privacy=``...)."""
        return {"alpha": self.alpha} if self.model is None else self.model.kwargs()

    def _options(self) -> str:
        return f"--alpha {float(self.alpha)!r}" if self.model is None else self.model.options()

    @property
    def n(self) -> int:
        return int(self.costs.size)

    def key(self) -> tuple:
        """Smaller is simpler: fewer players, then smaller sigma."""
        return (self.n, self.sigma)

    def command(self) -> str:
        costs = ",".join(repr(float(c)) for c in self.costs)  # exact: the same instance
        return (
            f"fastscan coalitions --costs {costs} {self._options()} "
            f"--sigma {float(self.sigma)!r} --notion all"
        )

    def ranges_command(self) -> str:
        """The command that shows every sigma range of the instance (no single sigma): what an
        existence statement's witness is about."""
        costs = ",".join(repr(float(c)) for c in self.costs)
        return f"fastscan intervals --costs {costs} {self._options()} --notion all"

    def text(self, sigma: bool = True) -> str:
        costs = ", ".join(f"{c:.4g}" for c in self.costs)
        point = f" sigma={self.sigma:.9g}" if sigma else ""
        at = f"alpha={self.alpha:.6g}" if self.model is None else self.model.text()
        return f"n={self.n} costs [{costs}] {at}{point}"


# --- samplers: (rng, n_low, n_high) -> Instance ---------------------------------------------


def _pow10(u: np.ndarray) -> np.ndarray:
    """``10^u``, the same on every CPU (:mod:`fastscan.kernels.elementary`)."""
    return elementary.pow_array(np.full(u.shape[0], 10.0), np.ascontiguousarray(u))


def _alpha(rng) -> float:
    if rng.random() < 0.4:
        return float(rng.choice(SPECIAL_ALPHAS))
    return float(elementary.uniform(rng, -1.0, 1.0, 1)[0])


def _sigma_near_thresholds(costs: np.ndarray, alpha, rng) -> float:
    """Log-uniform sigma across the stability thresholds of the profile's S_k (``alpha``: a
    number, or a :class:`Scaling`)."""
    from ..kernels.datasharing.point import bounds_downward
    from ..kernels.datasharing.privacy import power

    a = np.sort(model.a_values(costs))
    pf = alpha.pf() if isinstance(alpha, Scaling) else (power([alpha]), 0)
    b = bounds_downward(a, pf)
    edges = b[np.isfinite(b) & (b > 0)]
    lo, hi = (edges.min() / 2, edges.max() * 2) if edges.size else (1e-4, 1.0)
    return float(math.sqrt(lo * elementary.pow(hi / lo, rng.random())))


def general(rng, n_low: int, n_high: int) -> Instance:
    """Costs 10^U(-5, -1), a tie now and then; sigma across the thresholds."""
    n = int(rng.integers(n_low, n_high + 1))
    costs = _pow10(elementary.uniform(rng, -5.0, -1.0, n))
    if n >= 3 and rng.random() < 0.3:
        costs[rng.integers(n)] = costs[rng.integers(n)]
    alpha = _alpha(rng)
    return Instance(costs, alpha, _sigma_near_thresholds(costs, alpha, rng))


def identical(rng, n_low: int, n_high: int) -> Instance:
    """Every player has the same cost (Claims 3, 4, Theorem 1's instances)."""
    n = int(rng.integers(max(n_low, 2), n_high + 1))
    costs = np.full(n, _pow10(elementary.uniform(rng, -5.0, -1.0, 1))[0])
    alpha = _alpha(rng)
    return Instance(costs, alpha, _sigma_near_thresholds(costs, alpha, rng))


def separated(rng, n_low: int, n_high: int) -> Instance:
    """Well-separated costs, c_i >= 2 c_{i-1} (Claim 7), in random input order."""
    n = int(rng.integers(n_low, n_high + 1))
    scale = _pow10(elementary.uniform(rng, -7.0, -5.0, 1))[0]
    costs = scale * np.cumprod(elementary.uniform(rng, 2.0, 4.0, n))
    costs = rng.permutation(costs)
    alpha = _alpha(rng)
    return Instance(costs, alpha, _sigma_near_thresholds(costs, alpha, rng))


def near_claim2(rng, n_low: int, n_high: int) -> Instance:
    """General costs, few players more often, sigma^2 a small multiple of Claim 2's scale
    4 a_n (where its ceiling matters)."""
    n = min(n_high, n_low + int(rng.geometric(0.4)) - 1)
    inst = general(rng, n, n)
    alpha = float(elementary.uniform(rng, -0.45, 1.0, 1)[0]) if rng.random() < 0.8 else inst.alpha
    spread = _pow10(elementary.uniform(rng, -0.1, 0.4, 1))[0]
    s = 4.0 * float(model.a_values(inst.costs).max()) * spread
    return Instance(inst.costs, alpha, math.sqrt(s))


# --- the statements ---------------------------------------------------------------------------


def _stable(inst: Instance, notion: str, sets: str = "all") -> list[tuple[int, ...]]:
    from .coalitions import stable_coalitions

    return stable_coalitions(inst.costs, sigma=inst.sigma, notion=notion, sets=sets, **inst.at())


def _ranks(inst: Instance) -> np.ndarray:
    return np.argsort(inst.costs, kind="stable")


def claim1(inst: Instance) -> str | None:
    extra = set(_stable(inst, "nash")) - set(_stable(inst, "robust"))
    return f"{sorted(extra)[0]} is Nash-stable, not robust-stable" if extra else None


def _by_definition(inst: Instance, S: tuple[int, ...], notion: str) -> tuple[bool, float]:
    """Definition 7 or 8 from :func:`.coalitions.describe_coalition`'s burdens (Def. 5 at
    Lemma 2's epsilon, not the closed forms), and how far sigma lies from the coalition's
    closed-form thresholds, relative (near 0: within rounding of one)."""
    from .coalitions import describe_coalition, stability_interval

    rep = describe_coalition(inst.costs, sigma=inst.sigma, members=S, **inst.at())
    s = inst.sigma * inst.sigma
    stay = bool(np.all(rep.burdens <= s))
    if notion == "nash":
        stable = stay and bool(np.all(rep.outsider_burden > s))
    else:
        stable = stay and not bool(np.any(rep.outsider_valid_entry))
    edges = [e for e in stability_interval(inst.costs, members=S, notion=notion, **inst.at()) or ()]
    margin = min((abs(inst.sigma - e) / inst.sigma for e in edges if math.isfinite(e)), default=1)
    return stable, margin


def _closed_forms(notion: str) -> Callable[[Instance], str | None]:
    def test(inst: Instance) -> str | None:
        got = set(_stable(inst, notion))
        rng = np.random.default_rng(zlib.crc32(inst.costs.tobytes()))  # subsets per instance
        subsets = [
            tuple(sorted(rng.choice(inst.n, size=int(rng.integers(2, inst.n + 1)), replace=False)))
            for _ in range(24)
        ] + list(got)
        for S in subsets:
            want, margin = _by_definition(inst, S, notion)
            if margin > 1e-9 and want != (S in got):
                return f"{S}: definition says {'stable' if want else 'not stable'}, closed form not"
        return None

    return test


def _grand(inst: Instance) -> bool:
    return tuple(range(inst.n)) in _stable(inst, "nash")


def claim2_printed(inst: Instance) -> str | None:
    """Claim 2 with the ceiling, both regimes of alpha."""
    return _claim2(inst, math.ceil)


def claim2_corrected(inst: Instance) -> str | None:
    """Claim 2 without the ceiling for alpha > -1/2 (ERRATA.md); as printed below -1/2."""
    return _claim2(inst, lambda x: x)


def _claim2(inst: Instance, rounding) -> str | None:
    alpha, s, n = inst.alpha, inst.sigma * inst.sigma, inst.n
    scale = 4.0 * float(model.a_values(inst.costs).max())
    if alpha == -0.5:
        return None  # the claim says nothing at alpha = -1/2
    with np.errstate(over="ignore"):  # alpha next to -1/2: huge powers are inf, fine here
        if alpha > -0.5:
            condition = n <= elementary.pow(float(rounding(s / scale)), 3.0 / (2.0 * alpha + 1.0))
        elif alpha < -0.5:
            bound = elementary.pow(float(math.ceil(scale / s)), -3.0 / (2.0 * alpha + 1.0))
            condition = n >= max(2.0, bound)
    if condition and not _grand(inst):
        need = scale * elementary.pow(float(n), (2.0 * alpha + 1.0) / 3.0)
        return (
            f"the condition holds (sigma^2 = {s / scale:.4g} x 4 a_n) but the grand coalition "
            f"is not stable (4 a_n n^((2 alpha + 1)/3) = {need / scale:.4g} x 4 a_n)"
        )
    return None


def _intermediate(inst: Instance, notion: str) -> set[int]:
    return {len(S) for S in _stable(inst, notion) if len(S) < inst.n}


def claim3(inst: Instance) -> str | None:
    sizes = _intermediate(inst, "nash")
    return f"Nash-stable coalitions of intermediate sizes {sorted(sizes)}" if sizes else None


def claim4(inst: Instance) -> str | None:
    sizes = _intermediate(inst, "robust")
    if inst.alpha <= -0.5 and sizes:
        return f"robust-stable coalitions of intermediate sizes {sorted(sizes)} at alpha <= -1/2"
    if len(sizes) > 1:
        return f"robust-stable coalitions of {len(sizes)} intermediate sizes {sorted(sizes)}"
    return None


def claim7(inst: Instance) -> str | None:
    ranks = _ranks(inst)
    for S in _stable(inst, "nash"):
        if set(S) != set(ranks[: len(S)].tolist()):
            return f"Nash-stable {S} is not downward-closed"
    return None


def claim8(inst: Instance) -> str | None:
    every = max((len(S) for S in _stable(inst, "robust")), default=0)
    down = max((len(S) for S in _stable(inst, "robust", "downward")), default=0)
    if every != down:
        return f"largest robust equilibrium has size {every}, the largest stable S_k {down}"
    return None


def _ranges(inst: Instance, notion: str):
    from .intervals import equilibrium_ranges

    try:
        return equilibrium_ranges(inst.costs, notion=notion, **inst.at())
    except ValueError:  # too many ranges to list: no verdict on this instance
        return []


def lemma5(inst: Instance) -> str | None:
    """A witness: a Nash equilibrium at some sigma and none at a larger one."""
    seen = None
    for r in _ranges(inst, "nash"):
        if r.max_size > 0 and seen is None:
            seen = r
        elif r.max_size == 0 and seen is not None:
            return (
                f"a Nash equilibrium at sigma in [{seen.low:.6g}, {seen.high:.6g}), none on "
                f"[{r.low:.6g}, {r.high:.6g})"
            )
    return None


def lemma6(inst: Instance) -> str | None:
    top = 0
    for r in _ranges(inst, "robust"):
        if r.max_size < top:
            return (
                f"a robust equilibrium of size {top} below sigma {r.low:.9g}, none of size "
                f">= {top} on [{r.low:.9g}, {r.high})"
            )
        top = max(top, r.max_size)
    return None


def _summary(inst: Instance):
    from .coalitions import point_summary

    return point_summary(inst.costs, sigma=inst.sigma, **inst.at())


def thm1(inst: Instance) -> str | None:
    """k* is nondecreasing in sigma (eq. 4), and with identical costs k* in {0, 2, n} for
    alpha <= 1/2 (SC_c - (n+1) s concave in k), k* = 0 or k* <= max(2, ceil(k0)) above."""
    k1 = _summary(inst).central_size
    k2 = _summary(Instance(inst.costs, inst.alpha, inst.sigma * 1.25)).central_size
    if k2 < k1:
        return f"k* = {k1} at sigma, {k2} at 1.25 sigma"
    if np.all(inst.costs == inst.costs[0]):
        n, a, s = inst.n, float(model.a_values(inst.costs[:1])[0]), inst.sigma * inst.sigma
        if inst.alpha <= 0.5 and k1 not in (0, 2, n):
            return f"identical costs, alpha <= 1/2: k* = {k1}, not 0, 2 or n"
        if inst.alpha > 0.5:
            k0 = elementary.pow(s / ((2.0 * inst.alpha + 2.0) * a), 3.0 / (2.0 * inst.alpha - 1.0))
            if k1 > max(2, math.ceil(k0)):
                return f"identical costs, alpha > 1/2: k* = {k1} above the vertex {k0:.4g}"
    return None


def thm2(inst: Instance) -> str | None:
    """Every stable coalition has SC <= n sigma^2 and Var <= sigma^2 (members are individually
    rational): Theorem 2's O(n) and O(1) at finite n, for the best and worst, every notion."""
    summary = _summary(inst)
    s, n = inst.sigma * inst.sigma, inst.n
    for notion, o in summary.optimum.items():
        for which in ("opt", "worst"):
            if o[f"{which}_social_cost"] > n * s * (1 + 1e-12):
                return f"{notion} {which}: social cost {o[f'{which}_social_cost']:.6g} > n s"
            if o[f"{which}_variance"] > s * (1 + 1e-12):
                return f"{notion} {which}: variance {o[f'{which}_variance']:.6g} > s"
    return None


def thm3(inst: Instance) -> str | None:
    """PoS(SC) >= 1, and below max(4/3, 2^(1/3) s / (3 c_min^(2/3))) for alpha in (1/2, 1]."""
    summary = _summary(inst)
    s = inst.sigma * inst.sigma
    bound = max(4.0 / 3.0, s / (3.0 * float(model.a_values(inst.costs).min())))
    for notion in ("nash", "robust"):
        pos = summary.optimum[notion]["pos_social_cost"]
        if pos < 1.0 - 1e-12:
            return f"{notion}: PoS(SC) = {pos:.9g} < 1"
        if 0.5 < inst.alpha <= 1.0 and pos >= bound:
            return f"{notion}: PoS(SC) = {pos:.6g} >= the bound {bound:.6g}"
    return None


def thm4(inst: Instance) -> str | None:
    """PoS(Var) <= sigma^2 / Var_c(k*), the finite-n form of Theorem 4's upper bounds."""
    summary = _summary(inst)
    cap = inst.sigma * inst.sigma / summary.central_variance
    for notion in ("nash", "robust"):
        pos = summary.optimum[notion]["pos_variance"]
        if pos > cap * (1 + 1e-12):
            return f"{notion}: PoS(Var) = {pos:.6g} > sigma^2 / Var_c(k*) = {cap:.6g}"
    return None


def posvar_at_least_1(inst: Instance) -> str | None:
    summary = _summary(inst)
    for notion in ("nash", "robust"):
        pos = summary.optimum[notion]["pos_variance"]
        if pos < 1.0 - 1e-12:
            return f"{notion}: PoS(Var) = {pos:.6g} < 1"
    return None


@dataclass(frozen=True)
class Statement:
    """One checkable statement: ``test(instance)`` names a counterexample (or, for an
    existence statement, a witness) or returns None."""

    name: str
    source: str
    text: str
    test: Callable[[Instance], str | None]
    sampler: Callable = general
    holds: bool = True  # False: an erratum, expected to fail (reported, not fatal)
    exists: bool = False  # an existence statement: passes when a witness is found
    fixed: tuple = field(default_factory=tuple)  # instances checked before the random ones


STATEMENTS = [
    Statement("claim1", "Claim 1", "every Nash-stable coalition is robust-stable", claim1),
    Statement(
        "claim2-printed",
        "Claim 2 as printed",
        "n <= ceil(s / 4a_n)^(3/(2a+1)) (a > -1/2) makes the grand coalition stable",
        claim2_printed,
        near_claim2,
        holds=False,
    ),
    Statement(
        "claim2",
        "Claim 2 corrected",
        "the same without the ceiling (a > -1/2); as printed for a < -1/2",
        claim2_corrected,
        near_claim2,
    ),
    Statement(
        "claim3",
        "Claim 3",
        "identical costs: no Nash-stable intermediate coalition",
        claim3,
        identical,
    ),
    Statement(
        "claim4",
        "Claim 4 (corrected: sizes)",
        "identical costs: no robust intermediate coalition for a <= -1/2, one size at most above",
        claim4,
        identical,
    ),
    Statement("claim5", "Claim 5", "its closed form is Definition 7 (Nash)", _closed_forms("nash")),
    Statement(
        "claim6", "Claim 6", "its closed form is Definition 8 (robust)", _closed_forms("robust")
    ),
    Statement(
        "claim7",
        "Claim 7",
        "well-separated costs: Nash-stable coalitions are S_k",
        claim7,
        separated,
    ),
    Statement(
        "claim8", "Claim 8", "the largest robust equilibrium size is reached by some S_k", claim8
    ),
    Statement(
        "lemma5",
        "Lemma 5",
        "a Nash equilibrium at sigma and none at some larger sigma (existence)",
        lemma5,
        exists=True,
    ),
    Statement(
        "lemma6", "Lemma 6", "the largest robust equilibrium never shrinks as sigma grows", lemma6
    ),
    Statement(
        "thm1",
        "Theorem 1 (finite n)",
        "k* nondecreasing in sigma; identical costs: k* in {0,2,n} (a <= 1/2), O(1) above",
        thm1,
    ),
    Statement(
        "thm1-identical", "Theorem 1 (finite n)", "the same on identical costs", thm1, identical
    ),
    Statement(
        "thm2",
        "Theorem 2 (finite n)",
        "stable coalitions cost SC <= n sigma^2 and Var <= sigma^2 (every notion)",
        thm2,
    ),
    Statement(
        "thm3",
        "Theorem 3 (finite n)",
        "PoS(SC) >= 1; below max(4/3, 2^(1/3) s/(3 c_min^(2/3))) for a in (1/2, 1]",
        thm3,
    ),
    Statement(
        "thm4",
        "Theorem 4 (finite n)",
        "PoS(Var) <= sigma^2 / Var_c(k*)",
        thm4,
    ),
    Statement(
        "posvar-at-least-1",
        "Section 3.2's reading",
        "PoS(Var) >= 1 (ERRATA.md: a witness below 1 exists)",
        posvar_at_least_1,
        holds=False,
        fixed=(POSVAR_WITNESS,),
    ),
]
BY_NAME = {s.name: s for s in STATEMENTS}
