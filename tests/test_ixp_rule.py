"""Issue 18: the IXP game's one decision rule (``kernels/ixp/rule.py``: every comparison within
tau = 1e-12 times the instance's total weight) in every path: ``analyse``, the kernel (whole
and in blocks), ``stable_states``, ``is_stable``, ``ixp solve``'s values, ``ixp check``, the
in-memory scan, and an exact reference (fractions on the given floats, ties by the stated
rule), right at every assignment's alpha*(s), and unchanged when every input is scaled."""

from __future__ import annotations

import math

import numpy as np
import pytest
import reference_ixp as ref
from fastscan.kernels.ixp import rule
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import WEIGHT_KINDS, ixp_weighted_instances

from fastscan.ixp import api, commands, compute, families, model, report, solve

SCALES = (1e-13, 3.0, 1e13)
kinds = st.sampled_from(WEIGHT_KINDS)


def scaled(inst: model.Instance, k: float) -> model.Instance:
    return model.Instance(inst.w_facility * k, inst.w_pair * k, inst.facility_cost * k)


def thm41(k: float = 1.0, eps: float = 1e-3) -> model.Instance:
    """Thm 4.1's instance (ERRATA: w(1, f) = 1 + eps), every input times k."""
    return scaled(families.thm41(eps), k)


def star_grid(inst: model.Instance) -> np.ndarray:
    """1 and every finite alpha*(s) as the paths report it: the grid they must agree on."""
    stars = {model.alpha_star(inst, s) for s in solve.assignments(inst)}
    return np.array(sorted({1.0} | {a for a in stars if math.isfinite(a)}))


def decisions(inst: model.Instance, grid: np.ndarray) -> dict:
    """Every path's decisions over ``grid``, checked equal to each other; returns one copy."""
    a = solve.analyse(inst, grid)
    whole = compute.exhaustive(inst, grid)
    blocks = compute.exhaustive(inst, grid, split=1)
    told = report.solve(inst, grid, approx=False)  # what `fastscan ixp solve` prints
    rows = told["alpha"]
    for kernel in (whole, blocks):
        np.testing.assert_array_equal(kernel["stable_count"], a.stable_count)
        np.testing.assert_array_equal(kernel["best_stable_assignment"], a.best_stable_assignment)
        np.testing.assert_array_equal(kernel["optimum_assignment"], a.optimum_assignment)
        np.testing.assert_allclose(kernel["best_stable_cost"], a.best_stable_cost, rtol=1e-12)
    assert [r["stable_count"] for r in rows] == a.stable_count.tolist()
    assert [r["best_stable_assignment"] for r in rows] == a.best_stable_assignment.tolist()
    np.testing.assert_allclose(
        [np.nan if r["pos"] is None else float(r["pos"]) for r in rows], a.pos
    )
    assert told["optimum_assignment"] == a.optimum_assignment.tolist()
    assert told["optimum_alpha"] == a.optimum_alpha or told["optimum_alpha"] == "inf"
    assert told["peering_stable"] == a.peering_stable
    assert told["doubled_stable"] == a.doubled_stable
    every = list(solve.assignments(inst))
    need = {tuple(s): model.alpha_bounds(inst, s)[0] for s in every}
    for t, alpha in enumerate(grid):
        states = {tuple(s) for s in solve.stable_states(inst, alpha)}
        assert states == {s for s in need if alpha >= need[s]}
        assert len(states) == a.stable_count[t]
    return {
        "count": a.stable_count.tolist(),
        "best": a.best_stable_assignment.tolist(),
        "optimum": a.optimum_assignment.tolist(),
        "stable": {s: [bool(alpha >= need[s]) for alpha in grid] for s in need},
        "process": told["process_assignment"],
        "peering": a.peering_stable,
        "doubled": a.doubled_stable,
        "ratios": [a.pos, a.poa, a.optimum_alpha, a.delta_ratio, a.thm53_slack],
    }


@settings(max_examples=25, deadline=None)
@given(kinds.flatmap(lambda k: ixp_weighted_instances(k, max_n=4, max_m=2)))
def test_every_path_and_the_exact_reference_agree_at_every_alpha_star(inst):
    grid = star_grid(inst)
    got = decisions(inst, grid)
    # the exact reference: the rule in exact arithmetic on the given floats
    for s, stable in got["stable"].items():
        assert stable == [ref.exact_stable(inst, s, alpha) for alpha in grid], s
        star = model.alpha_star(inst, s)
        exact = ref.exact_alpha_star(inst, s)
        assert star == pytest.approx(float(exact), rel=1e-9)
        if math.isfinite(star):
            assert model.is_stable(inst, s, star) and ref.exact_stable(inst, s, star)
            if star > 1 + 1e-6:  # just below alpha*: unstable in every path and exactly
                below = star * (1 - 1e-6)
                assert not model.is_stable(inst, s, below)
                assert not ref.exact_stable(inst, s, below)
    assert got["optimum"] == ref.exact_optimum(inst)[0]
    assert all(v.ok for v in report.check(inst, grid)), report.check(inst, grid)


@settings(max_examples=20, deadline=None)
@given(kinds.flatmap(lambda k: ixp_weighted_instances(k, max_n=4, max_m=2)))
def test_scaling_every_input_changes_no_decision(inst):
    grid = star_grid(inst)
    want = decisions(inst, grid)
    verdicts = [v.ok for v in report.check(inst, grid)]
    for k in SCALES:
        big = scaled(inst, k)
        got = decisions(big, grid)
        for key in ("count", "best", "optimum", "stable", "process", "peering", "doubled"):
            assert got[key] == want[key], (k, key)
        for x, y in zip(got["ratios"], want["ratios"], strict=True):
            np.testing.assert_allclose(x, y, rtol=1e-9, atol=1e-12)
        assert [v.ok for v in report.check(big, grid)] == verdicts


@settings(max_examples=8, deadline=None)
@given(
    st.lists(
        kinds.flatmap(lambda k: ixp_weighted_instances(k, max_n=3, max_m=2)),
        min_size=2,
        max_size=4,
    )
)
def test_the_in_memory_scan_agrees_at_every_alpha_star(many):
    grid = np.array(sorted(set().union(*(star_grid(inst).tolist() for inst in many))))
    ds = api.scan(many, grid, threads=1)
    for p, inst in enumerate(many):
        a = solve.analyse(inst, grid)
        row = ds.isel(instance=p)
        np.testing.assert_array_equal(row.stable_count.values, a.stable_count)
        got = row.best_stable_assignment.values[:, : inst.n]
        np.testing.assert_array_equal(got, a.best_stable_assignment)
        assert row.optimum_assignment.values[: inst.n].tolist() == a.optimum_assignment.tolist()
        np.testing.assert_allclose(row.pos.values, a.pos, rtol=1e-12)
        assert row.optimum_alpha.item() == a.optimum_alpha
        assert bool(row.peering_stable) == a.peering_stable
        assert bool(row.doubled_stable) == a.doubled_stable


def test_thm44_at_its_own_alpha_star():
    # the issue: `ixp solve --family planted --name thm44 --eps 0 --alpha 1.2` printed
    # alpha*(s*) = 1.2 but left s* out of the stable states at alpha = 1.2
    inst = families.thm44(0.0, 1.2)
    a = solve.analyse(inst, [1.2])
    assert a.optimum_alpha == pytest.approx(1.2) and model.is_stable(inst, [0, 0], 1.2)
    assert a.stable_count.tolist() == [3] and a.pos.tolist() == [1.0]
    got = decisions(inst, np.array([1.0, 1.2]))
    assert got["count"] == [2, 3] and got["best"][1] == [0, 0]
    text = commands.solve(family="planted", params={"name": "thm44", "eps": "0"}, alpha="1.2")
    assert "alpha*(s*) = 1.2" in text and "1.2          3        1.2  [0, 0]" in text


@pytest.mark.parametrize("k", [1e-13, 1.0, 3.0, 1e13])
def test_thm41_at_any_scale(k):
    # the issue: scaled by 1e-13 it gave s* = [-1, -1], PoS 0.5005 and 4 stable states
    inst = thm41(k)
    a = solve.analyse(inst, [1.0])
    assert a.optimum_assignment.tolist() == [0, 0]
    assert a.pos[0] == pytest.approx(2 / 1.001, rel=1e-12)
    assert {tuple(s) for s in solve.stable_states(inst)} == {(-1, -1), (0, -1)}
    assert decisions(inst, star_grid(inst))["count"] == [2, 3]  # alpha*([0, 0]) = 1.001
    verdicts = report.check(inst, np.array([1.0, 1.5, 2.0]))
    assert all(v.ok for v in verdicts)
    assert model.alpha_star(inst, [0, 0]) == pytest.approx(1.001, rel=1e-12)


def test_ties_in_cost_are_ties():
    # c([0, 0]) = 0.1 + 0.2 = 0.30000000000000004 and c([1, 1]) = 0.3 + 0: tied, so s* is the
    # lexicographically first, [0, 0], at every scale, in every path
    inst = model.Instance([[0.1, 0.3], [0.2, 0.0]], [[0, 10], [10, 0]], [0.0, 0.0])
    assert model.social_cost(inst, [0, 0]) > model.social_cost(inst, [1, 1])
    for k in (1.0, *SCALES):
        big = scaled(inst, k)
        got = decisions(big, np.array([1.0, 2.0]))
        assert got["optimum"] == [0, 0] and got["best"][0] == [0, 0]
        assert solve.analyse(big, [1.0]).pos[0] == 1.0
        assert ref.exact_optimum(big)[0] == [0, 0]


def test_the_rule_itself():
    tau = rule.tolerance(0.6)
    assert rule.at_most(0.1 + 0.2, 0.3, tau) and not rule.below(0.3, 0.1 + 0.2, tau)
    assert rule.alpha_needed(1.0, 1.0 + 1e-15, tau) == 1.0  # holds at 1 within tau
    assert rule.alpha_needed(1.0, tau / 2, tau) == math.inf  # b is 0 within tau
    assert rule.alpha_ratio(1.2, 1.0, tau) == 1.2 > rule.alpha_needed(1.2, 1.0, tau)
    assert rule.first_least(np.array([0.1 + 0.2, 0.3, 0.2]), tau) == 2
    assert rule.first_least(np.array([0.1 + 0.2, 0.3]), tau) == 0
    inst = thm41()
    assert scaled(inst, 1e-13).tol == pytest.approx(1e-13 * inst.tol, rel=1e-15)
    assert model.Instance(np.zeros((2, 1)), np.zeros((2, 2)), [0.0]).tol == 0.0
