"""The kernels against the slow reference written from Definitions 5-8."""

from __future__ import annotations

import math

import numpy as np
import pytest
from helpers import ALL_NOTIONS, reference_intervals, s_between_edges, ulp_neighbours
from hypothesis import given
from hypothesis import strategies as st
from reference import best_eps, is_stable, near
from strategies import cost_profiles, wide_alphas

import fastscan
from fastscan.datasharing import model


@given(
    costs=cost_profiles(),
    alpha=wide_alphas,
    u=st.floats(0.0, 1.0),
    notion=st.sampled_from(ALL_NOTIONS),
)
def test_stable_coalitions_match_definitions(costs, alpha, u, notion):
    ivs = reference_intervals(costs, alpha, notion)
    sigma = math.sqrt(s_between_edges(ivs, u))
    s = sigma * sigma
    got = set(fastscan.stable_coalitions(costs, alpha, sigma, notion=notion))
    c = [float(x) for x in costs]
    checked = 0
    for S, (L, U) in ivs.items():
        if near(s, L) or near(s, U):
            continue  # within rounding of a threshold: covered by the endpoint test
        want = is_stable(c, alpha, s, S, notion)
        assert (L <= s < U) == want, "reference thresholds disagree with its own definitions"
        assert (S in got) == want, (S, s, L, U)
        checked += 1
    assert checked >= len(ivs) - 4


@given(
    costs=cost_profiles(), alpha=wide_alphas, notion=st.sampled_from(ALL_NOTIONS), data=st.data()
)
def test_interval_endpoints_exact(costs, alpha, notion, data):
    n = len(costs)
    size = data.draw(st.integers(2, n))
    S = tuple(sorted(data.draw(st.permutations(range(n)))[:size]))
    L, U = reference_intervals(costs, alpha, notion)[S]
    iv = fastscan.stability_interval(costs, alpha, S, notion=notion)
    if L < U * (1 - 1e-9):
        assert iv is not None
    elif L > U * (1 + 1e-9):
        assert iv is None
    if iv is None:
        return
    low, high = iv
    # the kernel's thresholds are the definitions' to rounding
    assert low * low == pytest.approx(L, rel=1e-12)
    assert (math.isinf(high) and math.isinf(U)) or high * high == pytest.approx(U, rel=1e-12)
    c = [float(x) for x in costs]
    for edge in (low, high):
        if not math.isfinite(edge):
            continue
        for sigma in ulp_neighbours(edge):
            inside = low <= sigma < high
            stable = fastscan.stable_coalitions(costs, alpha, sigma, notion=notion)
            assert (S in stable) == inside, (sigma, low, high)
            s = sigma * sigma
            if not (near(s, L) or near(s, U)):
                assert is_stable(c, alpha, s, S, notion) == inside


@given(costs=cost_profiles(), alpha=wide_alphas, data=st.data())
def test_grid_at_endpoints_matches_points(costs, alpha, data):
    """scan() at sigma exactly on (and one ulp around) stability endpoints."""
    n = len(costs)
    sigmas = []
    for _ in range(3):
        size = data.draw(st.integers(2, n))
        S = tuple(sorted(data.draw(st.permutations(range(n)))[:size]))
        for notion in ALL_NOTIONS:
            iv = fastscan.stability_interval(costs, alpha, S, notion=notion)
            if iv:
                sigmas += [x for e in iv if math.isfinite(e) for x in ulp_neighbours(e)]
    if not sigmas:
        sigmas = [0.1]
    sigmas = data.draw(st.permutations(sigmas))
    ds = fastscan.scan(costs, alpha, sigmas, notions=ALL_NOTIONS)
    for j, sigma in enumerate(sigmas):
        for notion in ALL_NOTIONS:
            stable = fastscan.stable_coalitions(costs, alpha, sigma, notion=notion)
            cell = ds.isel(profile=0, alpha=0, sigma=j).sel(notion=notion)
            assert int(cell.stable_count) == len(stable)
            assert int(cell.max_size) == max((len(c) for c in stable), default=0)
            assert int(cell.min_size) == min((len(c) for c in stable), default=0)


@given(c=st.floats(1e-6, 10.0), k=st.integers(2, 50), alpha=wide_alphas)
def test_lemma2_epsilon_is_the_best_response(c, k, alpha):
    assert model.eps_selfish(np.array([c]), k, alpha)[0] == pytest.approx(
        best_eps(c, k, alpha), rel=1e-7
    )


@given(costs=cost_profiles(), alpha=wide_alphas, data=st.data())
def test_describe_matches_closed_forms(costs, alpha, data):
    n = len(costs)
    size = data.draw(st.integers(2, n))
    S = tuple(sorted(data.draw(st.permutations(range(n)))[:size]))
    sigma = data.draw(st.floats(0.01, 2.0))
    s = sigma * sigma
    rep = fastscan.describe_coalition(costs, alpha, sigma, S)
    c_in = costs[list(S)]
    assert rep.variance == pytest.approx(model.variance_d(c_in, s, alpha), rel=1e-10)
    assert rep.social_cost == pytest.approx(model.social_cost_d(c_in, n, s, alpha), rel=1e-10)
    # the designer's levels are the minimizers of the social cost (Lemma 1 proof)
    k = len(S)
    for ci, ed in zip(c_in, rep.eps_designer, strict=True):
        assert ed == pytest.approx((4.0 / (k ** (1 + alpha) * ci)) ** (1 / 3), rel=1e-12)
