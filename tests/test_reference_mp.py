"""Checks of the 100-digit reference ``tests/reference_mp.py`` itself.

Against the float reference away from thresholds, at its own thresholds to the last float, and
on the paper's worked instances (Lemma 3, the PoS(Var) witness of ERRATA.md).
"""

from __future__ import annotations

import itertools
import math
import random

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
