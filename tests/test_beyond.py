"""Issue 12's variables against the definitions: the worst equilibrium, forced participation, the
designer notion's costs, central_ir, and the properties that tie them together."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from helpers import ALL_NOTIONS, bitmask, fastscan_cli, reference_intervals, ulp_neighbours
from hypothesis import given
from hypothesis import strategies as st
from reference import best_eps, burdens, designer_eps, social_cost, variance
from strategies import alphas, cost_profiles, wide_alphas

import fastscan
from fastscan.datasharing import model


@st.composite
def sigma_grids(draw, costs, alpha):
    """Random sigma plus exact designer endpoints (and one ulp around), unsorted."""
    ivs = reference_intervals(costs, alpha, "designer")
    edges = [x for iv in ivs.values() for x in iv if math.isfinite(x) and x > 0]
    lo, hi = min(edges) * 0.5, max(edges) * 2.0
    us = draw(st.lists(st.floats(0.0, 1.0), min_size=1, max_size=4))
    sigmas = [math.sqrt(lo * (hi / lo) ** u) for u in us]
    n = len(costs)
    size = draw(st.integers(2, n))
    S = tuple(sorted(draw(st.permutations(range(n)))[:size]))
    iv = fastscan.stability_interval(costs, alpha, S, notion="designer")
    if iv:
        sigmas += [x for e in iv if math.isfinite(e) for x in ulp_neighbours(e)]
    return draw(st.permutations(sigmas))


def _check_extreme(c, alpha, sigma, cell, notion, which):
    """``which`` = opt (least social cost) or worst (largest) over the stable coalitions."""
    s = sigma * sigma
    stable = fastscan.stable_coalitions(c, alpha, sigma, notion=notion)
    size = int(cell[f"{which}_size"])
    if not stable:
        assert size == 0 and int(cell[f"{which}_members"]) == 0
        assert float(cell[f"{which}_social_cost"]) == len(c) * s
        assert float(cell[f"{which}_variance"]) == s
        return
    sc = {S: social_cost(c, alpha, s, S, notion) for S in stable}
    target = (min if which == "opt" else max)(sc.values())
    tied = [S for S in stable if abs(sc[S] - target) <= 1e-9 * target]
    chosen = [S for S in tied if bitmask(S) == int(cell[f"{which}_members"])]
    assert chosen, f"{which}_members is not a stable coalition of extreme social cost"
    if len({(len(S), tuple(sorted(c[i] for i in S))) for S in tied}) == 1:
        # exact ties: worst takes the larger size then the larger bitmask
        pick = max if which == "worst" else min
        assert chosen[0] == pick(tied, key=lambda S: (len(S), bitmask(S)))
    S = chosen[0]
    assert size == len(S)
    assert float(cell[f"{which}_social_cost"]) == pytest.approx(sc[S], rel=1e-9)
    assert float(cell[f"{which}_variance"]) == pytest.approx(
        variance(c, alpha, s, S, notion), rel=1e-9
    )


@given(costs=cost_profiles(max_n=7), alpha=wide_alphas, data=st.data())
def test_worst_designer_forced_match_definitions(costs, alpha, data):
    sigmas = data.draw(sigma_grids(costs, alpha))
    ds = fastscan.scan(costs, alpha, sigmas, notions=ALL_NOTIONS, worst=True)
    c = [float(x) for x in costs]
    n = len(c)
    every = [S for k in range(n + 1) for S in itertools.combinations(range(n), k)]
    for j, sigma in enumerate(sigmas):
        cells = ds.isel(profile=0, alpha=0, sigma=j)
        for notion in ALL_NOTIONS:
            for which in ("opt", "worst"):
                _check_extreme(c, alpha, sigma, cells.sel(notion=notion), notion, which)
        # forced participation: least SC_d (selfish epsilon) over every coalition, empty too
        s = sigma * sigma
        forced = min(social_cost(c, alpha, s, S, "nash") for S in every if len(S) != 1)
        assert float(cells.forced_social_cost) == pytest.approx(forced, rel=1e-9)
        k = int(cells.forced_size)
        S_k = tuple(np.argsort(costs, kind="stable")[:k])
        assert social_cost(c, alpha, s, S_k, "nash") == pytest.approx(forced, rel=1e-9)
        assert float(cells.forced_variance) == pytest.approx(
            variance(c, alpha, s, S_k, "nash"), rel=1e-9
        )
        # S_k* individually rational under the designer's epsilon (Definition 5)
        k = int(cells.central_size)
        members = [c[i] for i in np.argsort(costs, kind="stable")[:k]]
        if k:
            b = burdens(s, members, [designer_eps(x, k, alpha) for x in members], alpha)
            if all(abs(x - s) > 1e-9 * s for x in b):
                assert bool(cells.central_ir) == all(x <= s for x in b)
        else:
            assert bool(cells.central_ir)


@given(costs=cost_profiles(), alpha=wide_alphas, sigma=st.floats(0.01, 3.0))
def test_designer_burden_closed_form(costs, alpha, sigma):
    """The issue's B_i(S) = s/k + A k^((2a-4)/3) + 2 a_i k^((2a-1)/3), rederived from Def. 5 at
    Lemma 1's epsilon, against burdens at the numerically optimal epsilon."""
    s = sigma * sigma
    c = [float(x) for x in costs]
    k = len(c)
    want = burdens(s, c, [designer_eps(x, k, alpha) for x in c], alpha)
    np.testing.assert_allclose(model.designer_burdens(s, costs, alpha), want, rtol=1e-9)
    # the designer's epsilon is Lemma 1's (as corrected in ERRATA.md)
    assert designer_eps(c[0], k, alpha) == pytest.approx(
        float(model.eps_designer(costs[:1], k, alpha)[0]), rel=1e-9
    )
    assert best_eps(c[0], k, alpha) < designer_eps(c[0], k, alpha)  # ERRATA: selfish is smaller


@given(costs=cost_profiles(max_n=9), alpha=alphas, data=st.data())
def test_properties_of_the_new_variables(costs, alpha, data):
    sigmas = data.draw(st.lists(st.floats(0.02, 3.0), min_size=1, max_size=8))
    ds = fastscan.scan(costs, alpha, sigmas, notions=ALL_NOTIONS, worst=True)
    tol = 1 + 1e-12
    assert (ds.worst_social_cost >= ds.opt_social_cost).all()
    assert (ds.poa_social_cost * tol >= ds.pos_social_cost).all()
    assert (ds.pos_social_cost * tol >= 1).all()
    selfish = ds.sel(notion=["nash", "robust"])
    assert (selfish.forced_social_cost <= selfish.opt_social_cost * tol).all()
    np.testing.assert_allclose(
        ds.pos_eps_factor * ds.pos_stability_factor, ds.pos_social_cost, rtol=1e-12
    )
    assert (ds.pos_eps_factor * tol >= 1).all()  # SC_d >= SC_c coalition by coalition
    # the designer's stable coalitions are individually rational: SC_c <= n s
    n = len(costs)
    s = ds.sigma**2
    assert (ds.sel(notion="designer").opt_social_cost <= n * s * tol).all()


@given(costs=cost_profiles(min_n=3, max_n=9), alpha=alphas, data=st.data())
def test_downward_bounds_on_the_right_side(costs, alpha, data):
    """Each bound attr of a sets="downward" cube, checked against the all-subsets cube."""
    sigmas = data.draw(st.lists(st.floats(0.02, 3.0), min_size=1, max_size=8))
    kw = {"notions": ALL_NOTIONS, "worst": True}
    full = fastscan.scan(costs, alpha, sigmas, **kw)
    down = fastscan.scan(costs, alpha, sigmas, sets="downward", **kw)
    tol = 1e-12
    for name in down.data_vars:
        bound = down[name].attrs.get("bound", "")
        d, f = down[name], full[name]
        if name in ("worst_social_cost", "poa_social_cost"):  # where S_k finds an equilibrium
            d, f = d.where(down.worst_size > 0), f.where(down.worst_size > 0)
        if name == "min_size":
            d, f = d.where(down.min_size > 0), f.where(down.min_size > 0)
        if bound.startswith("lower"):
            assert (d.fillna(0) <= f.fillna(0) * (1 + tol)).all(), name
        elif bound.startswith("upper"):
            assert (d.fillna(0) * (1 + tol) >= f.fillna(0)).all(), name
        elif bound.startswith("exact"):
            np.testing.assert_allclose(d, f, rtol=1e-12, err_msg=name)
    # Claim 8: the largest robust equilibrium is downward-closed, so max_size is exact there
    np.testing.assert_array_equal(
        down.max_size.sel(notion="robust"), full.max_size.sel(notion="robust")
    )
    assert "exact for robust" in down.max_size.attrs["bound"]
    assert "bound" not in full.max_size.attrs


def test_blocks_merge_worst_and_designer_exactly():
    """A profile split into blocks gives the same worst and designer values as one pass."""
    from fastscan.datasharing.compute import Lanes, Profile, SigmaGrid, compute_profile
    from fastscan.datasharing.plan import Split

    rng = np.random.default_rng(3)
    prof = Profile.from_costs(np.round(10 ** rng.uniform(-4, -1, 9), 4))
    grid = SigmaGrid.from_sigma(np.linspace(0.02, 1.5, 300))
    alpha = np.array([-1.0, 0.0, 0.7, 1.0])
    lanes = Lanes(3, worst=True)
    whole = compute_profile(prof, alpha, grid, "all", lanes=lanes)
    split = compute_profile(prof, alpha, grid, "all", Split(block_from=5, max_fixed=3), lanes)
    assert whole.keys() == split.keys()
    for name in whole:
        np.testing.assert_array_equal(whole[name], split[name], err_msg=name)
    assert (whole["worst_size"] > 0).any() and (whole["opt_size"][..., 2] > 0).any()


def test_notions_and_worst_from_the_cli(tmp_path):
    out = tmp_path / "d.zarr"
    r = fastscan_cli(
        f"scan --costs 0.001,0.002,0.004,0.03 --alpha 0,1 --sigma 0.1:1:9 "
        f"--notion designer,nash --worst --out {out} --quiet"
    )
    assert r.returncode == 0, r.stderr
    import xarray as xr

    ds = xr.open_zarr(out)
    assert list(ds.notion.values) == ["nash", "designer"]
    assert "worst_size" in ds and "poa_social_cost" in ds and "central_ir" in ds
    both = fastscan.scan([0.001, 0.002, 0.004, 0.03], [0, 1], np.linspace(0.1, 1, 9))
    assert "worst_size" not in both and list(both.notion.values) == ["nash", "robust"]
    np.testing.assert_array_equal(ds.max_size.sel(notion="nash"), both.max_size.sel(notion="nash"))
    r = fastscan_cli(f"scan --costs 0.1,0.2 --notion nash,selfish --out {tmp_path / 'x.zarr'}")
    assert r.returncode == 2
    assert "--notion must be one of 'nash', 'robust', 'designer' (got 'selfish')" in r.stderr
    assert not (tmp_path / "x.zarr").exists()


FIG1 = "2.2e-4,5.4e-4,7e-4,11e-4,30e-4,33e-4,34e-4,36e-4,38e-4"


def test_intervals_plot_shows_the_narrow_nash_window(tmp_path):
    """Fig. 1 from the exact ranges: the size-7 Nash window [0.359556, 0.359826), which a
    400-point grid misses, is drawn and labelled."""
    out = tmp_path / "fig1.png"
    r = fastscan_cli(f"intervals --costs {FIG1} --alpha 1 --plot {out}")
    assert r.returncode == 0, r.stderr
    assert out.stat().st_size > 10_000
    assert "nash: 7 on [0.359556, 0.359826)" in r.stderr
    grid = np.linspace(0.05, 1, 400)
    assert not ((grid >= 0.359556) & (grid < 0.359826)).any()  # the grid would miss it
    r = fastscan_cli(f"intervals --costs {FIG1} --alpha 1 --plot {tmp_path / 'nope' / 'f.png'}")
    assert r.returncode == 2 and "--plot" in r.stderr and "does not exist" in r.stderr


def test_check_defaults_pass_and_find_the_claim2_counterexample():
    r = fastscan_cli("check")
    assert r.returncode == 0, r.stdout + r.stderr
    assert "every statement that should hold holds" in r.stdout
    lines = r.stdout.splitlines()
    fail = [i for i, x in enumerate(lines) if x.startswith("FAIL claim2-printed")]
    assert fail, r.stdout
    show = lines[fail[0] + 2].split("show: ", 1)[1]
    assert show.startswith("fastscan coalitions")
    assert "PASS claim2 " in r.stdout and "PASS claim1 " in r.stdout
    # the command it prints shows the counterexample: the grand coalition is not Nash-stable
    shown = fastscan_cli(show.removeprefix("fastscan ").replace("--notion all", "--notion nash"))
    assert shown.returncode == 0
    words = show.split()
    costs = [float(c) for c in words[words.index("--costs") + 1].split(",")]
    alpha, sigma = (
        float(words[words.index("--alpha") + 1]),
        float(words[words.index("--sigma") + 1]),
    )
    grand = tuple(range(len(costs)))
    assert grand not in fastscan.stable_coalitions(costs, alpha, sigma, notion="nash")
    assert f"coalition {list(grand)} " not in shown.stdout


def test_check_refuses_bad_input_and_checks_a_cube(tmp_path):
    r = fastscan_cli("check --claims claim9")
    assert r.returncode == 2 and "--claims must be 'all' or names from" in r.stderr
    r = fastscan_cli("check --n 1:3")
    assert r.returncode == 2 and "--n must lie in 2..16" in r.stderr
    cube = tmp_path / "c.zarr"
    r = fastscan_cli(
        f"scan --costs 0.001,0.001,0.001,0.001 --alpha -1,0,1 --sigma 0.1:1:5 --out {cube}"
    )
    assert r.returncode == 0, r.stderr
    r = fastscan_cli(f"check --cube {cube} --claims claim3,claim4,thm2,lemma6")
    assert r.returncode == 0, r.stdout
    assert "15 cells of" in r.stdout and "PASS claim3" in r.stdout
