"""Every decision exact on the given floats (issue 20): each path against a 100-digit reference
written from Definitions 5-8 (``reference_mp``), at the first float of every threshold and one
and two ulps on either side, for every notion, both coalition families and extreme inputs."""

from __future__ import annotations

import itertools
import math

import numpy as np
import reference_mp as R
from fastscan.kernels.datasharing import privacy
from hypothesis import example, given, settings
from hypothesis import strategies as st
from strategies import cost_profiles, wide_alphas

import fastscan
from fastscan.datasharing.compute import Profile
from fastscan.datasharing.intervals import equilibrium_ranges
from fastscan.datasharing.validate import alpha_limit


def _around(sigma: float) -> list[float]:
    """``sigma`` and its neighbours one and two ulps away."""
    down1 = math.nextafter(sigma, 0.0)
    up1 = math.nextafter(sigma, math.inf)
    return [math.nextafter(down1, 0.0), down1, sigma, up1, math.nextafter(up1, math.inf)]


def _edges(costs: list[float], alpha: float, notion: str) -> list[float]:
    """The first float of every finite threshold of every coalition, from the reference."""
    out = set()
    for k in range(2, len(costs) + 1):
        for S in itertools.combinations(range(len(costs)), k):
            for T in R.thresholds_s(costs, alpha, S, notion):
                if mpmath_finite(T) and T > 0:
                    out.add(R.sigma_first_at_least(T))
    return sorted(out)


def mpmath_finite(x) -> bool:
    import mpmath

    return bool(mpmath.isfinite(x))


def _prefixes(costs: list[float], found: list[tuple[int, ...]]) -> list[tuple[int, ...]]:
    """The coalitions of ``found`` that are some ``S_k`` (the k cheapest, ties by position)."""
    order = Profile.from_costs(np.array(costs)).order
    heads = {tuple(sorted(order[:k].tolist())) for k in range(2, len(costs) + 1)}
    return [S for S in found if S in heads]


def _check_point(costs, alpha, sigmas, notion) -> None:
    """Every path at each sigma against the reference: stable_coalitions (both families), the
    grid kernels (all and downward), intervals' ranges and describe_coalition's verdicts."""
    grid = sorted(set(sigmas))
    cube = {
        sets: fastscan.scan(costs, [alpha], grid, sets=sets, notions=[notion], threads=1)
        for sets in ("all", "downward")
    }
    ranges = equilibrium_ranges(costs, alpha, notion=notion)
    for j, sigma in enumerate(grid):
        want = R.stable_coalitions(costs, alpha, sigma, notion)
        got = fastscan.stable_coalitions(costs, alpha, sigma, notion=notion)
        assert got == want, (sigma, got, want)
        down = fastscan.stable_coalitions(costs, alpha, sigma, notion=notion, sets="downward")
        assert down == _prefixes(costs, want), sigma
        r = next(x for x in ranges if x.low <= sigma and (x.high is None or sigma < x.high))
        assert r.coalitions == want, sigma
        for sets, expect in (("all", want), ("downward", _prefixes(costs, want))):
            cell = cube[sets].isel(profile=0, alpha=0, sigma=j).sel(notion=notion)
            assert int(cell.stable_count) == len(expect), (sets, sigma)
            assert int(cell.max_size) == max(map(len, expect), default=0), (sets, sigma)
            assert int(cell.min_size) == min(map(len, expect), default=0), (sets, sigma)
        S = want[0] if want else tuple(range(len(costs)))
        report = fastscan.describe_coalition(costs, alpha, sigma, S)
        verdict = {"nash": report.nash_stable, "robust": report.robust_stable}
        verdict["designer"] = report.designer_stable
        assert verdict[notion] == R.is_stable(costs, alpha, sigma, S, notion), (S, sigma)


@settings(max_examples=30, deadline=None)
@given(
    costs=cost_profiles(max_n=5),
    alpha=wide_alphas,
    notion=st.sampled_from(["nash", "robust", "designer"]),
    data=st.data(),
)
def test_every_path_is_exact_at_thresholds_and_two_ulps_around(costs, alpha, notion, data):
    costs = [float(c) for c in costs]
    edges = _edges(costs, alpha, notion)
    picked = data.draw(st.lists(st.sampled_from(edges), min_size=1, max_size=2, unique=True))
    sigmas = [x for e in picked for x in _around(e)]
    _check_point(costs, alpha, sigmas, notion)


@settings(max_examples=12, deadline=None)
@given(
    exps=st.lists(st.sampled_from([-100.0, -60.0, -3.0, 0.0, 40.0, 100.0]), min_size=2, max_size=4),
    side=st.floats(-1.0, 1.0),
    notion=st.sampled_from(["nash", "robust", "designer"]),
    data=st.data(),
)
def test_extreme_inputs_are_exact_too(exps, side, notion, data):
    """Costs at the ends of the allowed range and alpha near its limit (powers of k near
    1e+-100), where the float formulas' error bound is widest."""
    costs = [10.0**e for e in exps]
    alpha = side * alpha_limit(len(costs)) * 0.999
    edges = [e for e in _edges(costs, alpha, notion) if 1e-150 <= e <= 1e150]
    if not edges:
        return
    e = data.draw(st.sampled_from(edges))
    _check_point(costs, alpha, _around(e), notion)


@given(n=st.integers(2, 5), alpha=st.sampled_from([1.0, 0.5, -0.5]))
@example(n=2, alpha=1.0)
def test_exact_ties_hold_weakly(n, alpha):
    """A real tie: cost 4 gives a = (16/2)^(1/3) = 2 exactly, and at alpha = 1, 0.5, -0.5 the
    power k^((2 alpha + 1)/3) is k, k^(2/3), 1. With n = 2, alpha = 1 the grand coalition's
    lower end is L = (2 + 2 + 4) 2 / 1 = 16 = 4^2: at sigma = 4 the members are exactly
    indifferent and stay (Definition 7's <=), one ulp below they leave."""
    costs = [4.0] * n
    if (n, alpha) == (2, 1.0):
        for notion in ("nash", "robust"):
            assert fastscan.stable_coalitions(costs, alpha, 4.0, notion=notion) == [(0, 1)]
            below = math.nextafter(4.0, 0.0)
            assert fastscan.stable_coalitions(costs, alpha, below, notion=notion) == []
            assert fastscan.stability_interval(costs, alpha, (0, 1), notion=notion)[0] == 4.0
    for notion in ("nash", "robust"):
        edges = _edges(costs, alpha, notion)
        _check_point(costs, alpha, [x for e in edges[:2] for x in _around(e)], notion)


def test_intervals_ends_are_the_references_first_floats():
    """Every end ``intervals`` reports is the first float at which the 100-digit reference's
    decision changes (the lowest range starts at 0)."""
    costs = [2.770888e-3, 5.056379e-4, 2.636236e-4, 8.151375e-3, 9.136280e-3, 6.105694e-3]
    for alpha, notion in ((0.5, "robust"), (1.0, "nash"), (-0.7, "designer")):
        ranges = equilibrium_ranges(costs, alpha, notion=notion)
        edges = set(_edges(costs, alpha, notion))
        for r in ranges[1:]:
            assert r.low in edges, (alpha, notion, r.low)
            before = R.stable_coalitions(costs, alpha, math.nextafter(r.low, 0.0), notion)
            assert R.stable_coalitions(costs, alpha, r.low, notion) == r.coalitions
            assert before != r.coalitions


@settings(max_examples=40, deadline=None)
@given(
    exps=st.lists(st.floats(-100.0, 100.0), min_size=2, max_size=6),
    alpha=st.floats(-20.0, 20.0),
    notion=st.sampled_from(["nash", "robust", "designer"]),
    data=st.data(),
)
def test_double_double_thresholds_are_within_1e_29_of_100_digits(exps, alpha, notion, data):
    """The double-double thresholds (what decides inside the band) against the 100-digit
    reference's, for costs across 1e+-100 and |alpha| up to 20: far inside the 1e-26 tie margin."""
    import mpmath
    from fastscan.kernels.datasharing import exact

    costs = sorted(10.0**e for e in exps)
    n = len(costs)
    if abs(alpha) > alpha_limit(n):
        return
    mask = data.draw(st.integers(0, (1 << n) - 1).filter(lambda m: bin(m).count("1") >= 2))
    members = [i for i in range(n) if mask >> i & 1]
    low, high = {"nash": (0, 1), "robust": (0, 2), "designer": (3, 4)}[notion]
    want = R.thresholds_s(costs, alpha, members, notion)
    for kind, T in zip((low, high), want, strict=True):
        if not mpmath_finite(T):
            continue
        th, tl = exact.threshold_of_mask(
            kind, np.array(costs), np.uint64(mask), (privacy.power([alpha]), 0)
        )
        with mpmath.workdps(R.DPS):  # the difference at the reference's precision
            assert abs(mpmath.mpf(th) + mpmath.mpf(tl) - T) <= mpmath.mpf(1e-29) * T, (kind, T)
