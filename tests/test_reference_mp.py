"""Checks of the 100-digit reference ``tests/reference_mp.py`` itself.

Against the float reference away from thresholds, at its own thresholds to the last float, and
on the paper's worked instances (Lemma 3, the PoS(Var) witness of ERRATA.md); the privacy models
``Power``, ``Leakage`` and ``Table`` (a float ``alpha`` is ``Power(alpha)``).
"""

from __future__ import annotations

import itertools
import math
import random
from fractions import Fraction

import mpmath
import pytest
import reference
import reference_mp as R
from mpmath import mpf

LEMMA3_COSTS = [1.80e-3, 2.15e-3, 2.20e-3, 15e-3, 15.5e-3, 17e-3]


def _instances(seed: int, count: int, n: int):
    rng = random.Random(seed)
    for _ in range(count):
        costs = [10 ** rng.uniform(-4.0, -1.0) for _ in range(n)]
        alpha = rng.choice([-1.0, -0.4, 0.0, 0.5, 1.0, rng.uniform(-1.0, 1.0)])
        yield costs, alpha


@pytest.mark.parametrize("notion", R.NOTIONS)
def test_eps_is_the_closed_form(notion):
    """Sanity only: the numerically found epsilon equals Lemma 2 / corrected Lemma 1."""
    with mpmath.workdps(R.DPS):
        for c, k, alpha in itertools.product([3e-7, 1.8e-3, 0.7], [2, 5, 9], [-1.0, 0.3, 1.0]):
            K, A, C = mpf(k), mpf(alpha), mpf(c)
            if notion == "designer":
                got, want = R.designer_eps(c, k, alpha), (4 / (K ** (1 + A) * C)) ** (mpf(1) / 3)
            else:
                got, want = R.best_eps(c, k, alpha), (4 / (K**2 * K**A * C)) ** (mpf(1) / 3)
            assert abs(got / want - 1) < mpf(10) ** -100


@pytest.mark.parametrize("notion", R.NOTIONS)
def test_agrees_with_float_reference_away_from_thresholds(notion):
    n = 5
    for costs, alpha in _instances(7, 3, n):
        coalitions = list(reference.all_coalitions(n))
        edges = set()
        for S in coalitions:
            L, U = reference.interval_s(costs, alpha, S, notion)
            Lm, Um = R.thresholds_s(costs, alpha, S, notion)
            assert abs(float(Lm) - L) <= 1e-9 * L
            assert (U == math.inf) == mpmath.isinf(Um)
            if U != math.inf:
                assert abs(float(Um) - U) <= 1e-9 * U
            edges.update(e for e in (L, U) if math.isfinite(e))
        edges = sorted(edges)
        # midpoints between neighbouring thresholds, plus one beyond each end
        samples = [edges[0] / 2, edges[-1] * 2]
        samples += [(a + b) / 2 for a, b in itertools.pairwise(edges) if b > a * (1 + 1e-6)]
        for s in samples[::2]:
            sigma = math.sqrt(s)
            want = [S for S in coalitions if reference.is_stable(costs, alpha, sigma**2, S, notion)]
            assert R.stable_coalitions(costs, alpha, sigma, notion) == want, (costs, alpha, s)


@pytest.mark.parametrize("notion", R.NOTIONS)
def test_thresholds_to_the_last_float(notion):
    n = 4
    checked = 0
    for costs, alpha in _instances(11, 2, n):
        for S in reference.all_coalitions(n):
            L, U = R.thresholds_s(costs, alpha, S, notion)
            lo = R.sigma_first_at_least(L)
            below = math.nextafter(lo, 0.0)
            with mpmath.workdps(R.DPS):
                assert mpf(lo) ** 2 >= L > mpf(below) ** 2
            # the member condition switches on exactly at L
            assert R.members_stay(costs, alpha, lo, S, notion)
            assert not R.members_stay(costs, alpha, below, S, notion)
            if L < U:
                assert R.is_stable(costs, alpha, lo, S, notion)
                assert not R.is_stable(costs, alpha, below, S, notion)
            if mpmath.isinf(U):
                continue
            hi = R.sigma_first_at_least(U)
            assert not R.is_stable(costs, alpha, hi, S, notion)  # [L, U): U itself is out
            last = math.nextafter(hi, 0.0)
            with mpmath.workdps(R.DPS):
                inside = L <= mpf(last) ** 2 < U
            assert R.is_stable(costs, alpha, last, S, notion) == inside
            checked += 1
    assert checked >= 6


def test_sigma_first_at_least():
    with mpmath.workdps(R.DPS):
        for T in [mpf("0.25"), mpf(2), mpf("1e-300"), mpf("0.0530679410790400047") / 3]:
            x = R.sigma_first_at_least(T)
            assert mpf(x) ** 2 >= T > mpf(math.nextafter(x, 0.0)) ** 2
        assert R.sigma_first_at_least(mpf(0.25)) == 0.5  # exact square: hits it
        assert R.sigma_first_at_least(mpmath.inf) == math.inf


def test_tie_band():
    with mpmath.workdps(R.DPS):
        s = mpf("0.25")
        assert R._leq(s * (1 + mpf(10) ** -85), s)
        assert not R._leq(s * (1 + mpf(10) ** -75), s)
        assert R._leq(s * (1 - mpf(10) ** -75), s)


def test_lemma3_instance():
    """Lemma 3's proof sketch: alpha = 1, sigma^2 = 0.25, U1 and U2 both (Nash/robust) stable."""
    c, alpha, sigma = LEMMA3_COSTS, 1.0, 0.5
    s = mpf(sigma) ** 2
    paper = {
        (0, 1, 2, 3): (
            [3.2624, 3.0748, 3.0513, 1.6091],
            0.1492,
            [0.1727, 0.1756, 0.1760, 0.2457],
            [0.2535, 0.2629],
        ),
        (0, 1, 2, 4): (
            [3.2624, 3.0748, 3.0513, 1.5917],
            0.1502,
            [0.1737, 0.1767, 0.1771, 0.2489],
            [0.2510, 0.2636],
        ),
    }
    for U, (eps_p, var_p, b_p, out_p) in paper.items():
        cs = [c[i] for i in U]
        eps = R.eps_profile(cs, alpha, "nash")
        assert [round(float(e), 4) for e in eps] == eps_p
        assert round(float(R.variance(cs, alpha, sigma, "nash")), 4) == var_p
        assert [round(float(b), 4) for b in R.burdens(s, cs, eps, alpha)] == b_p
        outs = [j for j in range(len(c)) if j not in U]
        got = [
            R.burdens(s, cs + [c[j]], eps + [R.best_eps(c[j], 5, alpha)], alpha)[-1] for j in outs
        ]
        assert [round(float(b), 4) for b in got] == out_p
    assert R.stable_coalitions(c, alpha, sigma, "nash") == list(paper)
    assert R.stable_coalitions(c, alpha, sigma, "robust") == list(paper)
    # ERRATA.md: the designer's epsilon of player 1 is 5.1787 (Lemma 1 as printed: 6.5247)
    assert round(float(R.designer_eps(c[0], 4, alpha)), 4) == 5.1787


def test_errata_pos_var_witness():
    """ERRATA.md: best stable {0,1,8,9} with Var 0.014155, SC 0.376801; designer's optimum has
    k* = 9, Var 0.015818, SC 0.374021."""
    c = [5.87e-5, 1.06e-4, 0.101, 0.11, 0.235, 0.076, 0.0589, 0.109, 4.13e-6, 1.72e-4]
    alpha, sigma = -1.0, 0.2303648
    n = len(c)
    with mpmath.workdps(R.DPS):
        s = mpf(sigma) ** 2

        def sc(S, notion):
            cs = [c[i] for i in S]
            return (
                mpmath.fsum(R.burdens(s, cs, R.eps_profile(cs, alpha, notion), alpha))
                + (n - len(S)) * s
            )

        assert R.stable_coalitions(c, alpha, sigma, "nash") == [(0, 1, 8, 9)]
        best = (0, 1, 8, 9)
        assert round(float(R.variance([c[i] for i in best], alpha, sigma, "nash")), 6) == 0.014155
        assert round(float(sc(best, "nash")), 6) == 0.376801
        opt = min(
            (S for k in range(2, n + 1) for S in itertools.combinations(range(n), k)),
            key=lambda S: sc(S, "designer"),
        )
        assert len(opt) == 9
        assert (
            round(float(R.variance([c[i] for i in opt], alpha, sigma, "designer")), 6) == 0.015818
        )
        assert round(float(sc(opt, "designer")), 6) == 0.374021


def test_global_precision_untouched():
    before = mpmath.mp.dps
    R.is_stable(LEMMA3_COSTS, 1.0, 0.5, (0, 1, 2, 3), "robust")
    R.thresholds_s(LEMMA3_COSTS, 1.0, (0, 1, 2, 3), "designer")
    assert mpmath.mp.dps == before


# ---- privacy models: f(k) other than k**alpha -------------------------------------------------

MODEL_COSTS = [2.0e-3, 7.5e-4, 1.3e-2, 4.1e-3, 3.3e-4]


def _same_mpf(xs, ys):
    return len(xs) == len(ys) and all(x._mpf_ == y._mpf_ for x, y in zip(xs, ys, strict=True))


@pytest.mark.parametrize("notion", R.NOTIONS)
def test_power_model_is_the_float_alpha(notion):
    """``Power(alpha)`` and a plain float ``alpha`` give bit-identical results."""
    for alpha in (-1.0, 0.3, 1.0):
        P = R.Power(alpha)
        for S in [(0, 1), (1, 2, 4), (0, 1, 2, 3)]:
            cs = [MODEL_COSTS[i] for i in S]
            eps = R.eps_profile(cs, alpha, notion)
            assert _same_mpf(R.eps_profile(cs, P, notion), eps)
            s = mpf(0.2) ** 2
            assert _same_mpf(R.burdens(s, cs, eps, P), R.burdens(s, cs, eps, alpha))
            assert R.variance(cs, P, 0.2, notion)._mpf_ == R.variance(cs, alpha, 0.2, notion)._mpf_
            L, U = R.thresholds_s(MODEL_COSTS, alpha, S, notion)
            Lp, Up = R.thresholds_s(MODEL_COSTS, P, S, notion)
            assert Lp._mpf_ == L._mpf_ and Up._mpf_ == U._mpf_
            for sigma in (0.05, 0.2, 0.6, R.sigma_first_at_least(L)):
                assert R.is_stable(MODEL_COSTS, P, sigma, S, notion) == R.is_stable(
                    MODEL_COSTS, alpha, sigma, S, notion
                )
    assert R.best_eps(1e-3, 4, 0.5)._mpf_ == R.best_eps(1e-3, 4, R.Power(0.5))._mpf_


def test_models_are_hashable_values():
    T = R.Table([1.0, 2.0, 3.5])  # a list is stored as a tuple of floats
    assert T == R.Table((1, 2.0, 3.5)) and hash(T) == hash(R.Table((1, 2.0, 3.5)))
    assert R.Power(1) == R.Power(1.0) and hash(R.Leakage(0.25)) == hash(R.Leakage(0.25))
    assert len({R.Power(0.5), R.Power(0.5), R.Leakage(0.5), R.Table((0.5,))}) == 3
    with mpmath.workdps(R.DPS):
        assert T.f(3) == mpf(3.5) and T(2) == 2
        assert R.Power(0.5)(4) == 2 and R.Leakage(0.5)(3) == mpf(3) / 4 and R.Leakage(0.5)(1) == 0


def test_leakage_is_exact():
    """``1 - (1 - p)**(k - 1)`` to 105 digits against exact rationals, tiny ``p`` included."""
    for p in (5e-324, 1e-300, 1e-12, 1e-6, 0.3, 0.999999, 1.0):
        for k in (2, 3, 7, 40):
            q = Fraction(p)
            exact = 1 - (1 - q) ** (k - 1)
            with mpmath.workdps(R.DPS + 30):
                got = R.Leakage(p).f(k)
                want = mpf(exact.numerator) / mpf(exact.denominator)
                assert abs(got / want - 1) < mpf(10) ** -105, (p, k)


# f values across 1e-6 .. 1e6, non-monotone; and leak probabilities tiny to large
CLOSED_FORM_MODELS = [
    R.Table((1.0, 1e-6, 3.7e5, 2.5e-3, 1e6, 0.9, 4.2e-6, 17.0, 1.0)),
    R.Leakage(0.3),
    R.Leakage(1e-9),
    R.Leakage(1.0),
]


@pytest.mark.parametrize("model", CLOSED_FORM_MODELS, ids=repr)
def test_eps_is_the_closed_form_for_other_models(model):
    """Independent confirmation of the numeric minimizer: selfish ``(4/(k^2 f(k) c))^(1/3)``,
    designer's ``(4/(k f(k) c))^(1/3)``, to 1e-90, for costs across the float range."""
    for c in (5e-324, 1e-12, 3e-7, 1.8e-3, 0.7, 1e6, 1.7e308):
        for k in (2, 3, 5, 9):
            with mpmath.workdps(R.DPS):
                K, F, C = mpf(k), model.f(k), mpf(c)
                want_s = (4 / (K**2 * F * C)) ** (mpf(1) / 3)
                want_d = (4 / (K * F * C)) ** (mpf(1) / 3)
                assert abs(R.best_eps(c, k, model) / want_s - 1) < mpf(10) ** -90, (c, k)
                assert abs(R.designer_eps(c, k, model) / want_d - 1) < mpf(10) ** -90, (c, k)


def test_minimizer_bracket_widens():
    """Roots outside the default ``t = log eps`` bracket [-2000, 2000] are still found."""
    with mpmath.workdps(R.DPS):
        for alpha in (3000.0, -3000.0):
            want = (4 / (mpf(81) * mpf(9) ** mpf(alpha))) ** (mpf(1) / 3)
            assert abs(R.best_eps(1.0, 9, alpha) / want - 1) < mpf(10) ** -90


@pytest.mark.parametrize("notion", R.NOTIONS)
def test_table_of_powers_agrees_with_power(notion):
    """A ``Table`` of ``k**alpha`` rounded to floats: same thresholds to ~1e-14, same stable sets
    at points far from every threshold."""
    n = 4
    costs = MODEL_COSTS[:n]
    for alpha in (-1.0, 0.5):
        T = R.Table(tuple(k**alpha for k in range(1, n + 1)))
        edges = set()
        for S in reference.all_coalitions(n):
            L, U = R.thresholds_s(costs, alpha, S, notion)
            Lt, Ut = R.thresholds_s(costs, T, S, notion)
            assert abs(Lt / L - 1) < 1e-14
            assert mpmath.isinf(Ut) == mpmath.isinf(U)
            if not mpmath.isinf(U):
                assert abs(Ut / U - 1) < 1e-14
            edges.update(float(e) for e in (L, U) if not mpmath.isinf(e))
        edges = sorted(edges)
        samples = [edges[0] / 2, edges[-1] * 2]
        samples += [(a + b) / 2 for a, b in itertools.pairwise(edges) if b > a * (1 + 1e-6)]
        for s in samples:
            sigma = math.sqrt(s)
            assert R.stable_coalitions(costs, T, sigma, notion) == R.stable_coalitions(
                costs, alpha, sigma, notion
            ), (alpha, s)


def test_bad_models_and_sizes_raise():
    T = R.Table((1.0, 2.0))
    for k in (0, 3, -1, 2.5):
        with pytest.raises(ValueError):
            T.f(k)
    with pytest.raises(ValueError):
        R.best_eps(0.1, 3, T)
    with pytest.raises(ValueError):
        R.designer_eps(0.1, 3, T)
    with pytest.raises(ValueError):  # outsider would face f(3), beyond the table
        R.is_stable([0.1, 0.2, 0.3], T, 0.5, (0, 1), "nash")
    with pytest.raises(ValueError):
        R.thresholds_s([0.1, 0.2, 0.3], T, (0, 1), "robust")
    with pytest.raises(ValueError):  # f(1) = 0: no best response
        R.best_eps(0.1, 1, R.Leakage(0.5))
    for bad in (lambda: R.Table(()), lambda: R.Table((1.0, 0.0)), lambda: R.Table((math.inf,))):
        with pytest.raises(ValueError):
            bad()
    for bad in (lambda: R.Leakage(0.0), lambda: R.Leakage(1.5), lambda: R.Power(math.nan)):
        with pytest.raises(ValueError):
            bad()


def test_any_python_callable_is_a_model_and_agrees_with_its_table():
    # f = 1/k (secure aggregation) as a plain function, and as the table of its exact values
    def secagg(k: int) -> Fraction:
        return Fraction(1, k)

    table = R.Table(tuple(float(Fraction(1, k)) for k in range(1, 6)))
    costs = [1.0, 2.0, 3.0, 5.0]
    for members in ((0, 1), (0, 1, 2), (1, 2, 3)):
        fn = R.thresholds_s(costs, secagg, members, "nash")
        tab = R.thresholds_s(costs, table, members, "nash")
        for x, y in zip(fn, tab, strict=True):
            if mpmath.isinf(x):
                assert mpmath.isinf(y)
            else:
                assert abs(x - y) <= abs(x) * mpmath.mpf(1e-15)  # 1/3, 1/5 rounded in the table
    with pytest.raises(ValueError, match="positive"):
        R.best_eps(1.0, 2, lambda k: 0)
