"""Chunks and blocks: splitting the work never changes a value."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from strategies import cost_profiles, wide_alphas

import fastscan
from fastscan import engine, grids, plan


@given(costs=cost_profiles(min_n=3, max_n=9), alpha=wide_alphas, data=st.data())
def test_blocks_merge_exactly(costs, alpha, data):
    sigma = np.array(data.draw(st.lists(st.floats(0.005, 2.0), min_size=1, max_size=30)))
    whole = fastscan.scan(costs, [alpha, -alpha], sigma)
    fixed = data.draw(st.integers(1, len(costs) - 1))
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(engine, "BLOCK_FROM", 0)
        mp.setattr(engine, "MAX_FIXED", fixed)
        assert engine.fixed_players(len(costs), "all") == fixed
        split = fastscan.scan(costs, [alpha, -alpha], sigma)
    assert whole.equals(split)


def test_reused_kernel_tables_give_fresh_results():
    # a thread reuses scan_all's tables: the kernel must leave them clean for the next profile
    grid = engine.SigmaGrid.from_sigma(np.linspace(0.02, 1.0, 300))
    alpha = np.linspace(-1, 1, 5)
    rng = np.random.default_rng(5)
    first, second = (engine.Profile.from_costs(10 ** rng.uniform(-4, -2, 11)) for _ in range(2))
    engine._workspace.tables = None
    fresh = engine.compute_part(second, alpha, grid)
    engine.compute_part(first, alpha, grid)  # leaves its tables for the next call
    assert engine._workspace.tables is not None
    reused = engine.compute_part(second, alpha, grid)
    assert fresh.stable_count.sum() > 0
    for name in fresh._fields:
        np.testing.assert_array_equal(getattr(fresh, name), getattr(reused, name), err_msg=name)


def test_chunking_does_not_change_values():
    prof = grids.from_family(
        "uniform", {"n": "5,7", "low": "1e-4", "high": "1e-2", "seed": "0:3:4"}
    )
    alpha = np.linspace(-1, 1, 7)
    sigma = np.linspace(0.02, 0.8, 11)
    base = plan.Plan.build(prof, alpha, sigma)
    from fastscan.runner import MemorySink, execute

    results = []
    for chunks in [(8, 7, 11), (1, 1, 1), (3, 2, 4)]:
        p = plan.Plan(base.profiles, base.alpha, base.sigma, "all", chunks)
        sink = MemorySink(p)
        execute(p, sink)
        results.append(sink.arrays)
    for other in results[1:]:
        for name, arr in results[0].items():
            np.testing.assert_array_equal(arr, other[name])
