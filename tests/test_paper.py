"""The paper's worked examples and structural results, as tests."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from strategies import alphas, cost_profiles

import fastscan

FIG1 = [2.2e-4, 5.4e-4, 7.0e-4, 11e-4, 30e-4, 33e-4, 34e-4, 36e-4, 38e-4]
LEMMA3 = [1.80e-3, 2.15e-3, 2.20e-3, 15e-3, 15.5e-3, 17e-3]


@pytest.mark.parametrize(
    "members, eps, var, burdens, outside",
    [
        (
            (0, 1, 2, 3),
            [3.2624, 3.0748, 3.0513, 1.6091],
            0.1492,
            [0.1727, 0.1756, 0.1760, 0.2457],
            [0.2535, 0.2629],
        ),
        (
            (0, 1, 2, 4),
            [3.2624, 3.0748, 3.0513, 1.5917],
            0.1502,
            [0.1737, 0.1767, 0.1771, 0.2489],
            [0.2510, 0.2636],
        ),
    ],
)
def test_lemma3_table(members, eps, var, burdens, outside):
    rep = fastscan.describe_coalition(LEMMA3, 1.0, 0.5, members)  # sigma^2 = 0.25
    np.testing.assert_allclose(rep.eps_selfish, eps, atol=5e-5)
    assert rep.variance == pytest.approx(var, abs=5e-5)
    np.testing.assert_allclose(rep.burdens, burdens, atol=5e-5)
    np.testing.assert_allclose(rep.outsider_burden, outside, atol=5e-5)
    assert rep.nash_stable and rep.robust_stable


def test_lemma3_lemma4_multiplicity_and_non_monotonicity():
    nash = fastscan.stable_coalitions(LEMMA3, 1.0, 0.5)
    assert (0, 1, 2, 3) in nash and (0, 1, 2, 4) in nash  # two equilibria (Lemma 3)
    assert (0, 1, 2, 4) in nash and 3 not in (0, 1, 2, 4)  # 4 in, cheaper 3 out (Lemma 4)
    robust = fastscan.stable_coalitions(LEMMA3, 1.0, 0.5, notion="robust")
    assert set(nash) <= set(robust)


def test_lemma5_fig1_nash_existence_not_monotone():
    assert fastscan.stable_coalitions(FIG1, 1.0, 0.25) != []
    assert fastscan.stable_coalitions(FIG1, 1.0, 0.4) == []
    ds = fastscan.scan(FIG1, 1.0, [0.25, 0.4])
    assert ds.stable_count.sel(notion="nash").values.ravel().tolist()[0] > 0
    assert ds.stable_count.sel(notion="nash").values.ravel().tolist()[1] == 0


def test_lemma6_fig1_robust_max_size_never_decreases():
    sigma = np.linspace(0.05, 1.0, 2000)
    ds = fastscan.scan(FIG1, [1.0, 0.5, 0.0, -0.5, -1.0], sigma)
    size = ds.max_size.sel(notion="robust").isel(profile=0).values
    assert (np.diff(size, axis=-1) >= 0).all()
    nash = ds.max_size.sel(notion="nash").isel(profile=0, alpha=0).values
    assert (np.diff(nash) < 0).any()  # Nash is not monotone on the same grid (Fig. 1, left)


@given(costs=cost_profiles(max_n=9), alpha=alphas)
def test_lemma6_robust_monotone_in_sigma(costs, alpha):
    sigma = np.geomspace(1e-3, 3.0, 300)
    size = fastscan.scan(costs, alpha, sigma).max_size.sel(notion="robust").values.ravel()
    assert (np.diff(size) >= 0).all()


@given(costs=cost_profiles(), alpha=alphas, sigma=st.floats(1e-3, 2.0))
def test_claim1_nash_is_robust(costs, alpha, sigma):
    nash = fastscan.stable_coalitions(costs, alpha, sigma, notion="nash")
    robust = fastscan.stable_coalitions(costs, alpha, sigma, notion="robust")
    assert set(nash) <= set(robust)


@pytest.mark.parametrize("n", [3, 6, 9])
def test_claims3_4_identical_costs(n):
    alpha = np.linspace(-1, 1, 21)
    sigma = np.geomspace(1e-3, 10.0, 400)
    ds = fastscan.scan([2e-3] * n, alpha, sigma)
    nash = ds.sel(notion="nash").isel(profile=0)
    # Claim 3: only the grand coalition can be Nash-stable
    assert set(np.unique(nash.max_size.values)) <= {0, n}
    assert (nash.min_size.values == nash.max_size.values).all()
    robust = ds.sel(notion="robust").isel(profile=0)
    for t, a in enumerate(alpha):
        for j, sg in enumerate(sigma):
            sizes = {len(c) for c in fastscan.stable_coalitions([2e-3] * n, a, sg, notion="robust")}
            inner = sizes - {n}
            if a <= -0.5:
                assert not inner  # Claim 4, first part
            else:
                assert len(inner) <= 1  # Claim 4, second part: at most one intermediate size
            assert int(robust.max_size[t, j]) == max(sizes, default=0)


@st.composite
def well_separated(draw):
    n = draw(st.integers(2, 8))
    ratios = draw(st.lists(st.floats(2.0, 4.0), min_size=n - 1, max_size=n - 1))
    c = [10.0 ** draw(st.floats(-6, -4))]
    for r in ratios:
        c.append(c[-1] * r)
    return np.array(draw(st.permutations(c)))


@given(costs=well_separated(), alpha=alphas, sigma=st.floats(1e-3, 3.0))
def test_claim7_well_separated_nash_is_downward_closed(costs, alpha, sigma):
    order = np.argsort(costs)
    down = {tuple(sorted(int(i) for i in order[:k])) for k in range(2, len(costs) + 1)}
    for c in fastscan.stable_coalitions(costs, alpha, sigma, notion="nash"):
        assert c in down


@given(costs=cost_profiles(), alpha=alphas, sigma=st.floats(1e-3, 3.0))
def test_claim8_largest_robust_has_downward_closed_member(costs, alpha, sigma):
    robust = fastscan.stable_coalitions(costs, alpha, sigma, notion="robust")
    if not robust:
        return
    k = max(len(c) for c in robust)
    cheapest = sorted(float(x) for x in np.sort(costs)[:k])
    # downward-closed up to ties: the k cheapest costs
    assert any(sorted(float(costs[i]) for i in c) == cheapest for c in robust if len(c) == k)


def test_theorem1_regimes_of_k_star():
    rng = np.random.default_rng(0)
    big = 10.0 ** rng.uniform(-3, -2, 4000)
    ds = fastscan.scan(big, [-1.0, -0.5, 0.0, 0.25], [0.5, 1.0], sets="downward")
    assert (ds.central_size.values == 4000).all()  # alpha < 1/2: the grand coalition
    # alpha > 1/2 with identical costs: k* is a constant independent of n (or 0)
    ks = [
        int(fastscan.scan([0.015] * n, 1.0, 1.0, sets="downward").central_size.item())
        for n in (500, 5000, 50000)
    ]
    assert ks[0] == ks[1] == ks[2] and 2 <= ks[0] < 500
    assert fastscan.scan([0.5] * 1000, 1.0, 1.0, sets="downward").central_size.item() == 0
    # alpha = 1/2: SC_c is linear in k, so k* is n or 0 by the sign of the slope
    ks = fastscan.scan([0.015] * 300, 0.5, [0.1, 1.0], sets="downward").central_size.values
    assert ks.ravel().tolist() == [0, 300]


def test_theorem2_grand_coalition_for_alpha_below_minus_half():
    rng = np.random.default_rng(1)
    costs = 10.0 ** rng.uniform(-3, -2, 20000)
    ds = fastscan.scan(costs, [-1.0, -0.75], [0.5, 1.0], sets="downward")
    assert ds.grand_stable.values.all()
    assert (ds.max_size.values == 20000).all()


@given(costs=cost_profiles(), sets=st.sampled_from(["all", "downward"]))
def test_pos_social_cost_at_least_one(costs, sets):
    ds = fastscan.scan(costs, np.linspace(-1, 1, 9), np.geomspace(1e-3, 3.0, 60), sets=sets)
    assert (ds.pos_social_cost.values >= 1.0).all()


def test_huge_sigma_only_grand_coalition_is_robust():
    # members always stay and the cheapest outsider can always validly enter
    n = 7
    robust = fastscan.stable_coalitions(
        [1e-3 * (i + 1) for i in range(n)], 0.0, 1e6, notion="robust"
    )
    assert robust == [tuple(range(n))]
