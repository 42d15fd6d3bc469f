"""scan(): aggregates against the per-point path, downward against all, the Dataset contract."""

from __future__ import annotations

import math

import numpy as np
import pytest
from helpers import (
    NOTIONS,
    bitmask,
    expected_optimum,
    reference_intervals,
    s_between_edges,
    same_cost_multiset,
    social_cost,
    ulp_neighbours,
)
from hypothesis import given
from hypothesis import strategies as st
from strategies import alphas, cost_profiles, wide_alphas

import fastscan
from fastscan.datasharing import model


@st.composite
def sigma_grids(draw, costs, alpha):
    """Random sigma around the thresholds plus exact endpoints, unsorted, with a duplicate."""
    ivs = reference_intervals(costs, alpha, "robust")
    us = draw(st.lists(st.floats(0.0, 1.0), min_size=1, max_size=6))
    sigmas = [math.sqrt(s_between_edges(ivs, u)) for u in us]
    n = len(costs)
    size = draw(st.integers(2, n))
    S = tuple(sorted(draw(st.permutations(range(n)))[:size]))
    for notion in NOTIONS:
        iv = fastscan.stability_interval(costs, alpha, S, notion=notion)
        if iv:
            sigmas += [x for e in iv if math.isfinite(e) for x in ulp_neighbours(e)]
    sigmas.append(sigmas[0])
    return draw(st.permutations(sigmas))


def check_cell(costs, alpha, sigma, cell, notion, sets="all"):
    stable = fastscan.stable_coalitions(costs, alpha, sigma, notion=notion, sets=sets)
    s = sigma * sigma
    n = len(costs)
    assert int(cell.stable_count) == len(stable)
    assert int(cell.max_size) == max((len(c) for c in stable), default=0)
    assert int(cell.min_size) == min((len(c) for c in stable), default=0)
    best, tied = expected_optimum(costs, stable, s, alpha)
    if best is None:
        assert int(cell.opt_size) == 0 and int(cell.opt_members) == 0
        assert float(cell.opt_social_cost) == n * s and float(cell.opt_variance) == s
        return
    chosen = [S for S in tied if bitmask(S) == int(cell.opt_members)]
    assert chosen, "opt_members is not a stable coalition of least social cost"
    if same_cost_multiset(costs, tied):
        # exact ties: smaller size, then smaller bitmask over input positions
        assert chosen[0] == min(tied, key=lambda S: (len(S), bitmask(S)))
    S = chosen[0]
    assert int(cell.opt_size) == len(S)
    assert float(cell.opt_social_cost) == pytest.approx(social_cost(costs, S, s, alpha), rel=1e-12)
    c_in = np.asarray(costs)[list(S)]
    assert float(cell.opt_variance) == pytest.approx(model.variance_d(c_in, s, alpha), rel=1e-12)


def check_central(costs, alpha, sigma, cell):
    s = sigma * sigma
    k, sc, var = model.central_optimum(costs, s, alpha)
    assert float(cell.central_social_cost) == pytest.approx(sc, rel=1e-12)
    got = int(cell.central_size)
    if got == k:
        assert float(cell.central_variance) == pytest.approx(var, rel=1e-9)
        return
    # only a float tie may differ: between two sizes, or a size and the empty coalition (eq. 4)
    c = np.sort(costs)
    other = len(c) * s if got == 0 else model.social_cost_c(c, got, len(c), s, alpha)
    assert other == pytest.approx(sc, rel=1e-12)


@given(costs=cost_profiles(), alpha=wide_alphas, data=st.data())
def test_scan_matches_points(costs, alpha, data):
    sigmas = data.draw(sigma_grids(costs, alpha))
    ds = fastscan.scan(costs, [alpha, 0.5 * alpha], sigmas)
    np.testing.assert_array_equal(ds.sigma.values, sigmas)
    for j, sigma in enumerate(sigmas):
        grand = tuple(range(len(costs)))
        for t, a in enumerate(ds.alpha.values):
            cells = ds.isel(profile=0, alpha=t, sigma=j)
            for notion in NOTIONS:
                check_cell(costs, a, sigma, cells.sel(notion=notion), notion)
                stable = fastscan.stable_coalitions(costs, a, sigma, notion=notion)
                assert bool(cells.grand_stable) == (grand in stable)
            check_central(costs, a, sigma, cells)
    pos = ds.opt_social_cost / ds.central_social_cost
    np.testing.assert_array_equal(ds.pos_social_cost.values, pos.values)
    np.testing.assert_array_equal(
        ds.pos_variance.values, (ds.opt_variance / ds.central_variance).values
    )


def _downward_sets(costs):
    order = np.argsort(costs, kind="stable")
    return {tuple(sorted(int(i) for i in order[:k])) for k in range(2, len(costs) + 1)}


@given(costs=cost_profiles(max_n=9), alpha=wide_alphas, data=st.data())
def test_downward_equals_all_restricted(costs, alpha, data):
    sigmas = data.draw(sigma_grids(costs, alpha))
    down = _downward_sets(costs)
    ds_all = fastscan.scan(costs, alpha, sigmas, sets="all")
    ds_down = fastscan.scan(costs, alpha, sigmas, sets="downward")
    for name in ("grand_stable", "central_size", "central_social_cost", "central_variance"):
        np.testing.assert_array_equal(ds_all[name].values, ds_down[name].values)
    for j, sigma in enumerate(sigmas):
        for notion in NOTIONS:
            every = fastscan.stable_coalitions(costs, alpha, sigma, notion=notion)
            only = fastscan.stable_coalitions(costs, alpha, sigma, notion=notion, sets="downward")
            assert only == [c for c in every if c in down]
            cell = ds_down.isel(profile=0, alpha=0, sigma=j).sel(notion=notion)
            check_cell(costs, alpha, sigma, cell, notion, sets="downward")


@pytest.mark.slow
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(65, 400), alpha=alphas)
def test_downward_large_n_matches_points(seed, n, alpha):
    rng = np.random.default_rng(seed)
    costs = 10.0 ** rng.uniform(-4, -2, n)
    sigmas = np.sqrt(np.geomspace(1e-4, 10.0, 40))
    ds = fastscan.scan(costs, alpha, sigmas, sets="downward")
    assert int(ds.opt_members.max()) == 0  # no bitmask beyond 64 players
    for j, sigma in enumerate(sigmas):
        cells = ds.isel(profile=0, alpha=0, sigma=j)
        for notion in NOTIONS:
            stable = fastscan.stable_coalitions(costs, alpha, sigma, notion=notion, sets="downward")
            cell = cells.sel(notion=notion)
            assert int(cell.stable_count) == len(stable)
            assert int(cell.max_size) == max((len(c) for c in stable), default=0)
            best, tied = expected_optimum(costs, stable, sigma * sigma, alpha)
            if best is not None:
                assert int(cell.opt_size) in {len(S) for S in tied}
        check_central(costs, alpha, sigma, cells)


def test_many_profiles_padded():
    rows = np.array([[3e-3, 1e-3, 2e-3, np.nan], [1e-3, 4e-3, 2e-3, 5e-3]])
    sig = [0.3, 0.1, 0.2]
    ds = fastscan.scan(rows, [-0.5, 1.0], sig)
    assert ds.sizes == {"profile": 2, "alpha": 2, "sigma": 3, "notion": 2, "player": 4}
    np.testing.assert_array_equal(ds.n_players.values, [3, 4])
    for p, row in enumerate(rows):
        one = fastscan.scan(row[~np.isnan(row)], [-0.5, 1.0], sig)
        for name in ("stable_count", "opt_members", "opt_social_cost", "central_size"):
            np.testing.assert_array_equal(
                ds[name].isel(profile=p).values, one[name].isel(profile=0).values
            )
    assert np.isnan(ds.costs.values[0, 3])


def test_dataset_contract():
    ds = fastscan.scan([1e-3, 2e-3, 5e-3], 0.0, [0.5, 0.1])
    grid = ("profile", "alpha", "sigma", "notion")
    worst = {n for n in fastscan.VARIABLES if n.startswith(("worst_", "poa_"))}
    assert set(ds.data_vars) == set(fastscan.VARIABLES) - worst  # the worst ones: --worst
    assert worst <= set(fastscan.scan([1e-3, 2e-3], 0.0, 0.5, worst=True).data_vars)
    for name, var in fastscan.VARIABLES.items():
        if name in worst:
            continue
        assert ds[name].dims == var.dims
        assert ds[name].dtype == var.dtype
        assert ds[name].attrs["description"] == var.description
    assert ds.stable_count.dims == grid
    assert list(ds.notion.values) == ["nash", "robust"]
    assert ds.sigma.values.tolist() == [0.5, 0.1]  # as given, not sorted
    assert ds.attrs["sets"] == "all" and "Bassily" in ds.attrs["paper"]
    assert ds.sel(notion="robust").stable_count.shape == (1, 1, 2)


def test_threads_do_not_change_results():
    rng = np.random.default_rng(3)
    costs = 10.0 ** rng.uniform(-4, -2, 12)
    a = np.linspace(-1, 1, 7)
    sig = np.linspace(0.02, 0.6, 50)
    one = fastscan.scan(costs, a, sig, threads=1)
    two = fastscan.scan(costs, a, sig, threads=2)
    assert one.equals(two)


@given(costs=cost_profiles(), alpha=alphas, sigma=st.floats(0.01, 2.0))
def test_pos_matches_model(costs, alpha, sigma):
    ds = fastscan.scan(costs, alpha, sigma)
    for notion in NOTIONS:
        cell = ds.isel(profile=0, alpha=0, sigma=0).sel(notion=notion)
        members = [i for i in range(len(costs)) if (int(cell.opt_members) >> i) & 1] or None
        k, sc, _ = model.central_optimum(costs, sigma * sigma, alpha)
        if int(cell.central_size) != k:
            continue  # a float tie between optima (checked in test_scan_matches_points)
        pos_sc, pos_var = model.price_of_stability(costs, members, sigma * sigma, alpha)
        assert float(cell.pos_social_cost) == pytest.approx(pos_sc, rel=1e-10)
        assert float(cell.pos_variance) == pytest.approx(pos_var, rel=1e-9)
