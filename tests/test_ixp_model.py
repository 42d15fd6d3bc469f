"""The IXP game's definitions (fastscan.ixp.model) against the slow reference from the paper's
definitions: costs, and stability with prices decided by an LP (Def. 3.4 / 4.1), at random
instances with ties, zeros and sparse pairs, and right at the threshold alpha*(s)."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
import reference_ixp as ref
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from strategies import ixp_instances

from fastscan.ixp import model


@st.composite
def instance_and_assignment(draw):
    inst = draw(ixp_instances())
    s = draw(st.lists(st.integers(-1, inst.m - 1), min_size=inst.n, max_size=inst.n))
    return inst, np.array(s)


@given(instance_and_assignment())
def test_costs_match_the_definitions(case):
    inst, s = case
    costs = model.agent_costs(inst, s)
    for i in range(inst.n):
        assert costs[i] == pytest.approx(ref.agent_cost(inst.w_facility, inst.w_pair, s, i))
    want = ref.social_cost(inst.w_facility, inst.w_pair, inst.facility_cost, s)
    assert model.social_cost(inst, s) == pytest.approx(want)
    # Q_i = next best choice minus current cost (eq. 1), from the definitions
    for i in range(inst.n):
        others = [
            ref.agent_cost(inst.w_facility, inst.w_pair, [*s[:i], x, *s[i + 1 :]], i)
            for x in range(-1, inst.m)
            if x != s[i]
        ]
        assert model.Q(inst, s)[i] == pytest.approx(min(others) - costs[i])


@given(instance_and_assignment(), st.floats(1.0, 3.0))
def test_stability_matches_prices_from_an_lp(case, alpha):
    inst, s = case
    star = model.alpha_star(inst, s)
    assume(abs(alpha - star) > 1e-6 * max(1.0, star))  # off the threshold: no solver tolerance
    lp = ref.stable_by_lp(inst.w_facility, inst.w_pair, inst.facility_cost, s, alpha)
    assert model.is_stable(inst, s, alpha) == lp == (alpha >= star)


@given(instance_and_assignment())
def test_right_at_the_threshold(case):
    inst, s = case
    star = model.alpha_star(inst, s)
    assume(math.isfinite(star))
    assert model.is_stable(inst, s, star)
    assert ref.stable_by_lp(inst.w_facility, inst.w_pair, inst.facility_cost, s, star)
    gamma = model.prices(inst, s, star)
    # the prices are budget balanced, non-negative, zero at none, and stabilize every agent
    assert gamma is not None and (gamma >= 0).all() and (gamma[s < 0] == 0).all()
    for f in np.unique(s[s >= 0]):
        assert gamma[s == f].sum() == pytest.approx(inst.facility_cost[f])
    cost = model.agent_costs(inst, s)
    alt = model.best_alternative(inst, s)
    assert (cost + gamma <= star * alt + 1e-9 * max(1.0, star * alt.max())).all()
    if star > 1 + 1e-6:
        below = star * (1 - 1e-6)
        assert not model.is_stable(inst, s, below)
        assert not ref.stable_by_lp(inst.w_facility, inst.w_pair, inst.facility_cost, s, below)


@given(ixp_instances(max_n=4, max_m=2))
def test_a_stable_state_exists_within_twice_the_optimum(inst):
    # Thm 4.3: some stable state costs at most 2 c(s*); checked over every assignment
    every = [np.array(s) for s in itertools.product(range(-1, inst.m), repeat=inst.n)]
    costs = [model.social_cost(inst, s) for s in every]
    stable = [c for s, c in zip(every, costs, strict=True) if model.is_stable(inst, s)]
    assert stable and min(stable) <= 2 * min(costs) + inst.tol


def test_theorem_41_instance():
    # Thm 4.1 (and ERRATA: A.1's w must be 1 + eps): n = 2, m = 1, eps = 1e-3
    eps = 1e-3
    inst = model.Instance([[0.0], [1 + eps]], [[0.0, 1.0], [1.0, 0.0]], [0.0])
    assert model.social_cost(inst, [0, 0]) == pytest.approx(1 + eps)
    assert not model.is_stable(inst, [0, 0])
    assert model.is_stable(inst, [-1, -1]) and model.is_stable(inst, [0, -1])
    assert model.social_cost(inst, [-1, -1]) == model.social_cost(inst, [0, -1]) == 2.0
    assert model.alpha_star(inst, [0, 0]) == pytest.approx(1 + eps)


@pytest.mark.parametrize(
    "kwargs, word",
    [
        ({"w_facility": [[1.0]], "w_pair": [[0.0]], "facility_cost": [0.0]}, "n >= 2"),
        ({"w_facility": np.zeros((2, 0)), "w_pair": np.zeros((2, 2)), "facility_cost": []}, "m"),
        (
            {"w_facility": [[np.nan], [1]], "w_pair": np.zeros((2, 2)), "facility_cost": [0]},
            "w_facility",
        ),
        (
            {"w_facility": [[1], [1]], "w_pair": [[0, 1], [2, 0]], "facility_cost": [0]},
            "w_pair[0, 1]",
        ),
        ({"w_facility": [[1], [1]], "w_pair": [[1, 0], [0, 0]], "facility_cost": [0]}, "diagonal"),
        (
            {"w_facility": [[1], [1]], "w_pair": np.zeros((2, 2)), "facility_cost": [-1]},
            "facility_cost",
        ),
    ],
)
def test_bad_instances_name_the_argument(kwargs, word):
    with pytest.raises(ValueError, match=word.replace("[", r"\[").replace("]", r"\]")):
        model.Instance(**kwargs)


@settings(max_examples=80, deadline=None)
@given(instance_and_assignment())
def test_peering_flow_matches_an_lp(case):
    from fastscan.ixp import solve

    inst, s = case
    q = model.Q(inst, s)
    want = ref.peering_by_lp(inst.w_pair, inst.facility_cost, s, q)
    assert solve.peering_stable(inst, s) == want
