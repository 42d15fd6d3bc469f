"""Chunks and blocks: splitting the work never changes a value."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from strategies import cost_profiles, wide_alphas

from fastscan.datasharing import compute, profiles
from fastscan.datasharing.plan import Split, build
from fastscan.runner import compute as run_in_memory


@given(costs=cost_profiles(min_n=3, max_n=9), alpha=wide_alphas, data=st.data())
def test_blocks_merge_exactly(costs, alpha, data):
    sigma = np.array(data.draw(st.lists(st.floats(0.005, 2.0), min_size=1, max_size=30)))
    prof = profiles.explicit(costs)
    whole = run_in_memory(build(prof, [alpha, -alpha], sigma))
    fixed = data.draw(st.integers(1, len(costs) - 1))
    policy = Split(block_from=0, max_fixed=fixed)
    assert policy.players(len(costs), "all") == fixed
    plan = build(prof, [alpha, -alpha], sigma, split=policy)
    assert plan.n_blocks == 2**fixed
    split = run_in_memory(plan)
    for name, arr in whole.items():
        np.testing.assert_array_equal(arr, split[name], err_msg=name)


def test_reused_kernel_tables_give_fresh_results():
    # a thread reuses scan_all's tables: the kernel must leave them clean for the next profile
    grid = compute.SigmaGrid.from_sigma(np.linspace(0.02, 1.0, 300))
    alpha = np.linspace(-1, 1, 5)
    rng = np.random.default_rng(5)
    first, second = (compute.Profile.from_costs(10 ** rng.uniform(-4, -2, 11)) for _ in range(2))
    compute._workspace.tables = None
    fresh = compute.compute_part(second, alpha, grid)
    compute.compute_part(first, alpha, grid)  # leaves its tables for the next call
    assert compute._workspace.tables is not None
    reused = compute.compute_part(second, alpha, grid)
    assert fresh.stable_count.sum() > 0
    for name in fresh._fields:
        np.testing.assert_array_equal(getattr(fresh, name), getattr(reused, name), err_msg=name)


def test_chunking_does_not_change_values():
    prof = profiles.from_family(
        "uniform", {"n": "5,7", "low": "1e-4", "high": "1e-2", "seed": "0:3:4"}
    )
    alpha = np.linspace(-1, 1, 7)
    sigma = np.linspace(0.02, 0.8, 11)
    base = build(prof, alpha, sigma)
    results = [run_in_memory(base.with_chunks(c)) for c in [(8, 7, 11), (1, 1, 1), (3, 2, 4)]]
    for other in results[1:]:
        for name, arr in results[0].items():
            np.testing.assert_array_equal(arr, other[name])


@given(costs=cost_profiles(min_n=3, max_n=8), data=st.data())
def test_blocks_merge_exactly_under_every_privacy_model(costs, data):
    from fastscan.datasharing import privacy

    sigma = np.array(data.draw(st.lists(st.floats(0.005, 2.0), min_size=1, max_size=20)))
    prof = profiles.explicit(costs)
    n = len(costs)
    model = data.draw(
        st.sampled_from(
            [
                privacy.leakage([0.02, 0.6]),
                privacy.constant(),
                privacy.table(
                    np.vstack([np.arange(1.0, n + 1) ** -1, np.full(n, 3.0)]), ["a", "b"]
                ),
            ]
        )
    )
    whole = run_in_memory(build(prof, model, sigma, worst=True))
    fixed = data.draw(st.integers(1, n - 1))
    plan = build(prof, model, sigma, split=Split(block_from=0, max_fixed=fixed), worst=True)
    assert plan.n_blocks == 2**fixed * (plan.n_chunks // len(prof))
    split = run_in_memory(plan)
    for name, arr in whole.items():
        np.testing.assert_array_equal(arr, split[name], err_msg=name)
