"""The IXP exhaustive kernel (one pass over every assignment, alpha* bucketed on the alpha grid)
against solve.analyse (every assignment walked in Python from the definitions), whole and split
into blocks by the first agents' labels."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import ixp_instances

from fastscan.ixp import compute, model, solve

ALPHA = np.array([1.0, 1.1, 1.25, 1.5, 2.0, 3.0])


def same_as_analyse(inst, values, alpha):
    a = solve.analyse(inst, alpha)
    np.testing.assert_array_equal(values["stable_count"], a.stable_count)
    np.testing.assert_array_equal(values["best_stable_cost"], a.best_stable_cost)
    np.testing.assert_array_equal(values["worst_stable_cost"], a.worst_stable_cost)
    np.testing.assert_array_equal(values["best_stable_assignment"], a.best_stable_assignment)
    assert values["optimum_cost"] == a.optimum_cost
    np.testing.assert_array_equal(values["optimum_assignment"], a.optimum_assignment)


@settings(deadline=None)
@given(ixp_instances(), st.integers(0, 2))
def test_kernel_equals_enumeration_whole_or_in_blocks(inst, split):
    split = min(split, inst.n)
    same_as_analyse(inst, compute.exhaustive(inst, ALPHA, split=split), ALPHA)


@settings(deadline=None)
@given(ixp_instances(max_n=4), st.data())
def test_alpha_right_at_thresholds(inst, data):
    # the grid holds alpha* of some assignments exactly: they count as stable there
    every = list(solve.assignments(inst))
    stars = sorted({model.alpha_star(inst, s) for s in every} - {np.inf})
    picked = data.draw(st.lists(st.sampled_from(stars), min_size=1, max_size=4, unique=True))
    alpha = np.array(sorted(set(picked) | {1.0}))
    same_as_analyse(inst, compute.exhaustive(inst, alpha), alpha)


def test_float_weights_and_refusals():
    rng = np.random.default_rng(1)
    wp = np.triu(rng.uniform(0, 1, (6, 6)), 1)
    inst = model.Instance(rng.uniform(0, 1, (6, 2)), wp + wp.T, rng.uniform(0, 1, 2))
    values = compute.exhaustive(inst, ALPHA)
    a = solve.analyse(inst, ALPHA)
    np.testing.assert_array_equal(values["stable_count"], a.stable_count)
    np.testing.assert_allclose(values["best_stable_cost"], a.best_stable_cost, rtol=1e-12)
    assert values["optimum_cost"] == pytest.approx(a.optimum_cost, rel=1e-12)
    big = model.Instance(np.zeros((41, 1)), np.zeros((41, 41)), [0.0])
    with pytest.raises(ValueError, match="2\\^40.*optimum"):
        compute.exhaustive(big, [1.0])
    with pytest.raises(ValueError, match="alpha"):
        compute.exhaustive(inst, [0.5])
