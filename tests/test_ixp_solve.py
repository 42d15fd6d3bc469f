"""One IXP instance solved by enumeration (fastscan.ixp.solve): the paper's examples as numbers,
and its theorems as properties over random instances (ties, zeros, sparse pairs)."""

from __future__ import annotations

import math

import numpy as np
import pytest
import reference_ixp as ref
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import ixp_instances

from fastscan.ixp import model, solve

EPS = 1e-3


def thm41(eps=EPS, w1=None):
    """Thm 4.1 (0-based): w(0, f) = 0, w(1, f) = 1 + eps (ERRATA), w(0, 1) = 1, c(f) = 0."""
    return model.Instance([[0.0], [1 + eps if w1 is None else w1]], [[0, 1], [1, 0]], [0.0])


def test_theorem_41_numbers():
    inst = thm41()
    a = solve.analyse(inst, [1.0])
    assert a.optimum_assignment.tolist() == [0, 0] and a.optimum_cost == pytest.approx(1 + EPS)
    assert {tuple(s) for s in solve.stable_states(inst)} == {(-1, -1), (0, -1)}
    assert a.best_stable_cost[0] == 2.0 and a.pos[0] == pytest.approx(2 / (1 + EPS))


def test_theorem_42_poa_unbounded():
    inst = model.Instance([[0.0], [0.0]], [[0, 1], [1, 0]], [0.0])
    a = solve.analyse(inst, [1.0])
    assert a.optimum_cost == 0 and a.worst_stable_cost[0] == 2.0 and a.poa[0] == math.inf
    assert a.pos[0] == 1.0  # 0 / 0 = 1: s* itself is stable


@pytest.mark.parametrize("alpha", [1.0, 1.25, 1.5, 1.9])
def test_theorem_44_tight(alpha):
    # agent 1's connection cost alpha (1 + eps): best alpha-stable = 2 c(s*) / (alpha (1 + eps))
    inst = thm41(w1=alpha * (1 + EPS))
    a = solve.analyse(inst, [alpha])
    assert a.best_stable_cost[0] == pytest.approx(2 * a.optimum_cost / (alpha * (1 + EPS)))


def test_lexicographic_ties_and_conventions():
    inst = model.Instance(np.zeros((2, 2)), np.zeros((2, 2)), [0.0, 0.0])
    s, c = solve.optimum(inst)
    assert c == 0 and s.tolist() == [-1, -1]  # every assignment costs 0: the first
    assert solve.ratio(0.0, 0.0) == 1.0 and solve.ratio(1.0, 0.0) == math.inf


@settings(deadline=None)
@given(ixp_instances(max_n=4, max_m=2), st.floats(1.0, 3.0))
def test_the_papers_theorems_hold(inst, alpha):
    a = solve.analyse(inst, [1.0, alpha])
    c_opt = a.optimum_cost
    every = list(solve.assignments(inst))
    assert c_opt == pytest.approx(min(model.social_cost(inst, s) for s in every))
    assert a.stable_count[0] >= 1 and a.pos[0] <= 2 + 1e-9  # Thm 4.3
    if alpha <= 2:  # Thm 4.4 (ERRATA: for 1 <= alpha <= 2)
        assert a.best_stable_cost[1] <= max(1.0, 2 / alpha) * c_opt + inst.tol
    assert a.optimum_alpha <= 2 + 1e-9
    final, phi = solve.process(inst)
    assert model.is_stable(inst, final)  # Thm 4.3's process ends stable, within 2 c(s*)
    assert a.process_cost <= 2 * c_opt + inst.tol
    assert all(y <= x + inst.tol for x, y in zip(phi, phi[1:], strict=False))  # Lemma 4.2.1
    assert a.peering_stable and a.doubled_stable  # Thm 5.1, 5.2
    q = model.Q(inst, a.optimum_assignment)
    for f in np.unique(a.optimum_assignment[a.optimum_assignment >= 0]):  # Lemma 5.2.1
        at = a.optimum_assignment == f
        assert np.maximum(0, q[at]).sum() >= inst.facility_cost[f] - inst.tol
    assert a.thm53_slack >= -1e-9  # Thm 5.3
    # s* with Lemma 5.2.1's payments max(0, -Q_i) is stable (the reference LP over Def. 3.4)
    pay = np.maximum(0.0, -q)
    assert pay.sum() == pytest.approx(a.delta)
    assert ref.stable_by_lp(
        inst.w_facility, inst.w_pair, inst.facility_cost, a.optimum_assignment, 1.0, pay + 1e-9
    )
