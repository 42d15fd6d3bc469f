"""The optimum by three methods (exhaustive, mincut, milp) and §7's multi-facility model: LP 19,
Algorithms 1 and 2, IP 18, against brute force from the definitions and the paper's examples."""

from __future__ import annotations

import numpy as np
import pytest
import reference_ixp as ref
from hypothesis import given, settings
from strategies import ixp_instances

from fastscan.ixp import (
    Instance,
    algorithm1,
    algorithm2,
    families,
    lp_relaxation,
    optimum,
    social_cost,
)
from fastscan.ixp.multi import multi_cost, multi_optimum, runs, uses_of


def hub() -> Instance:
    """§7's hub (issue 11 §6), as ``--family planted --name hub`` makes it."""
    inst = families.hub()
    free = [[k, (k + 1) % 3] for k in range(3)]  # facility k is free for agents k and k + 1
    assert all(inst.w_facility[i, k] == 0 for k in range(3) for i in free[k])
    assert inst.w_facility[3].tolist() == [0, 0, 0] and inst.w_pair[3, :3].tolist() == [100] * 3
    return inst


def two_worlds() -> Instance:
    """Agents 0, 1 free only at facility 0 resp. 1 (else 10), agent 2 free at both,
    w(0, 2) = w(1, 2) = 5 (ERRATA on Algorithm 2)."""
    wp = np.zeros((3, 3))
    wp[0, 2] = wp[2, 0] = wp[1, 2] = wp[2, 1] = 5.0
    return Instance([[0.0, 10.0], [10.0, 0.0], [0.0, 0.0]], wp, [0.0, 0.0])


def test_hub_numbers():
    inst = hub()
    lp = lp_relaxation(inst)
    assert lp.value == pytest.approx(1.5)
    assert multi_optimum(inst)[1] == pytest.approx(2.0)
    assert algorithm1(inst, lp)[1] == pytest.approx(3.0)
    assert ref.multi_optimum(inst.w_facility, inst.w_pair, inst.facility_cost) == 2.0


def test_multi_facility_optimum_below_single():
    inst = two_worlds()
    assert multi_optimum(inst)[1] == 0.0
    for method in ("exhaustive", "mincut", "milp"):
        assert optimum(inst, method)[1] == 10.0


@settings(max_examples=60, deadline=None)
@given(ixp_instances(max_n=6, max_m=2))
def test_mincut_milp_exhaustive_agree(inst):
    s, c = optimum(inst, "exhaustive")
    for method in ("mincut", "milp", "auto"):
        t, d = optimum(inst, method)
        assert d == pytest.approx(c, abs=1e-9) and social_cost(inst, t) == pytest.approx(d)


@settings(max_examples=30, deadline=None)
@given(ixp_instances(max_n=5, max_m=3))
def test_milp_agrees_with_exhaustive_for_three_facilities(inst):
    assert optimum(inst, "milp")[1] == pytest.approx(optimum(inst, "exhaustive")[1], abs=1e-9)


@settings(max_examples=40, deadline=None)
@given(ixp_instances(max_n=4, max_m=2))
def test_multi_facility_model_against_brute_force(inst):
    brute = ref.multi_optimum(inst.w_facility, inst.w_pair, inst.facility_cost)
    uses, best = multi_optimum(inst)
    assert best == pytest.approx(brute, abs=1e-9)
    assert multi_cost(inst, uses) == ref.multi_cost(
        inst.w_facility, inst.w_pair, inst.facility_cost, uses.tolist()
    )


@settings(max_examples=40, deadline=None)
@given(ixp_instances(max_n=5, max_m=3))
def test_lp_multi_single_and_the_roundings(inst):
    lp = lp_relaxation(inst)
    multi = multi_optimum(inst)[1]
    single = optimum(inst, "exhaustive")[1]
    tol = 1e-7 * max(1.0, single)
    assert lp.value <= multi + tol and multi <= single + tol  # LP 19 <= IP 18 <= single
    a1, c1 = algorithm1(inst, lp)
    assert multi - tol <= c1 <= (inst.m + 1) * lp.value + tol  # Thm 7.2
    assert c1 == pytest.approx(multi_cost(inst, a1))
    a2, c2 = algorithm2(inst, seed=7, relaxation=lp)
    assert c2 >= multi - tol and np.array_equal(a2, algorithm2(inst, seed=7, relaxation=lp)[0])


@settings(max_examples=40, deadline=None)
@given(ixp_instances(max_n=5, max_m=3))
def test_a_single_assignment_costs_the_same_in_both_models(inst):
    s = optimum(inst)[0]
    assert multi_cost(inst, uses_of(s, inst.m)) == pytest.approx(social_cost(inst, s))


def test_algorithm2_runs_ceil_4_ln_10n():
    assert [runs(n) for n in (1, 2, 10, 200)] == [10, 12, 19, 31]


def test_methods_refuse_what_they_cannot_do():
    inst = hub()
    with pytest.raises(ValueError, match="method 'mincut' needs m <= 2 facilities.*'milp'"):
        optimum(inst, "mincut")
    with pytest.raises(ValueError, match="method must be one of exhaustive, mincut, milp"):
        optimum(inst, "greedy")
