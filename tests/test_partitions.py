"""Coalition structures against the slow reference written from the definitions
(tests/reference_partitions.py: burdens with each epsilon found by numeric minimization, every
partition, every deviation listed): the stable partitions at a point, every variable of a scan,
the exact sigma ranges at and one ulp around their ends, blocks merging bit for bit, and the
relation between the paper's Nash coalition and a one-block partition."""

from __future__ import annotations

import numpy as np
import pytest
import reference_mp as R
import reference_partitions as RP
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from fastscan import partitions as P
from fastscan.partitions.compute import grid_of, merge_all, walk_profile
from fastscan.partitions.intervals import partition_intervals

EXAMPLES = settings.default.max_examples
NOTIONS = RP.NOTIONS
MOST = {"nash": 6, "individual": 6, "contractual": 6, "core": 5}


@st.composite
def instances(draw, most: int = 6):
    """A profile (sometimes with tied costs), alpha, and sigma near the burdens' scale."""
    n = draw(st.integers(2, most))
    cost = st.floats(1e-4, 1e-1).map(lambda x: float(f"{x:.3g}"))
    costs = draw(st.lists(cost, min_size=n, max_size=n))
    if draw(st.booleans()):  # ties: equal costs make many partitions cost the same
        costs = [costs[0]] * (n // 2) + costs[n // 2 :]
    alpha = draw(st.sampled_from([-1.0, -0.5, 0.0, 0.25, 0.5, 1.0]) | st.floats(-1, 1))
    a = max((c * c / 2) ** (1 / 3) for c in costs)
    sigma = float(np.sqrt(a * draw(st.floats(0.05, 20.0))))
    return costs, alpha, sigma


@settings(max_examples=EXAMPLES * 2, deadline=None)
@given(inst=instances(), notion=st.sampled_from(NOTIONS))
def test_stable_partitions_are_the_definitions(inst, notion):
    costs, alpha, sigma = inst
    assume(len(costs) <= MOST[notion])
    got = P.stable_partitions(costs, alpha, sigma, notion)
    assert got == RP.stable_partitions(costs, alpha, sigma, notion)
    assert P.count_stable(costs, alpha, sigma, notion) == len(got)


def _same_choice(costs, alpha, sigma, got, cost, want):
    """The cube's partition is the reference's, or ties it (social costs within the floats'
    rounding: the cube compares floats, the reference 110 digits)."""
    if want is None:
        assert got[0] == -1 and np.isnan(cost)
        return
    rgs, ref_cost = want
    assert cost == pytest.approx(float(ref_cost), rel=1e-12)
    if tuple(got) != tuple(rgs):
        mine = RP.social_cost(costs, alpha, sigma, tuple(got))
        assert float(mine) == pytest.approx(float(ref_cost), rel=1e-12)


@settings(max_examples=max(4, EXAMPLES // 4), deadline=None)
@given(inst=instances(most=5), data=st.data())
def test_every_scan_variable_is_the_definitions(inst, data):
    costs, alpha, sigma = inst
    alphas = sorted({alpha, data.draw(st.floats(-1, 1))})
    sigmas = np.array(sorted({sigma, sigma * data.draw(st.floats(0.3, 3.0))}))
    ds = P.scan(costs, alpha=alphas, sigma=sigmas, notions=NOTIONS).isel(profile=0)
    n = len(costs)
    for a in alphas:
        for s in sigmas:
            cell = ds.sel(alpha=a, sigma=s)
            central = RP.central(costs, a, float(s))
            _same_choice(
                costs,
                a,
                float(s),
                cell.central_partition.values[:n],
                float(cell.central_social_cost),
                central,
            )
            for notion in NOTIONS:
                c = cell.sel(notion=notion)
                stable = RP.stable_partitions(costs, a, float(s), notion)
                assert int(c.stable_count) == len(stable)
                assert bool(c.single_block) == RP.single_block(costs, a, float(s), notion)
                best = RP.best_stable(costs, a, float(s), notion)
                _same_choice(costs, a, float(s), c.partition.values[:n], float(c.social_cost), best)
                worst = RP.worst_stable(costs, a, float(s), notion)
                _same_choice(
                    costs,
                    a,
                    float(s),
                    c.worst_partition.values[:n],
                    float(c.worst_social_cost),
                    worst,
                )
                if best is not None:
                    rgs = tuple(int(x) for x in c.partition.values[:n])
                    assert int(c.blocks) == max(rgs) + 1
                    assert int(c.largest_block) == max(rgs.count(b) for b in set(rgs))
                    var = RP.variance(costs, a, float(s), rgs)
                    assert float(c.variance) == pytest.approx(float(var), rel=1e-12)
                    pos = float(c.social_cost) / float(cell.central_social_cost)
                    assert float(c.pos_social_cost) == pos >= 1 - 1e-12


@settings(max_examples=max(6, EXAMPLES // 3), deadline=None)
@given(inst=instances(most=5), notion=st.sampled_from(NOTIONS))
def test_range_ends_are_exact_to_one_ulp(inst, notion):
    """At each reported end the reference sees the new set, one float below it the old one."""
    costs, alpha, _ = inst
    ranges = partition_intervals(costs, alpha, notion)
    assert ranges[0].low == 1e-150 and ranges[-1].high is None
    for before, r in zip(ranges, ranges[1:], strict=False):
        assert before.high == r.low and before.partitions != r.partitions
        if not 1e-6 < r.low < 1e6:
            continue
        assert RP.stable_partitions(costs, alpha, r.low, notion) == r.partitions
        below = float(np.nextafter(r.low, 0.0))
        assert RP.stable_partitions(costs, alpha, below, notion) == before.partitions
        above = float(np.nextafter(r.low, np.inf))
        if r.high is None or above < r.high:
            assert RP.stable_partitions(costs, alpha, above, notion) == r.partitions


@pytest.mark.parametrize("f", [1, 2, 3])
def test_blocks_of_partitions_merge_bit_for_bit(f):
    """The partitions split by the labels of their first f players, merged in any order, give
    the whole walk's part exactly."""
    from fastscan.kernels.partitions.walk import prefixes

    costs = np.array([0.004, 0.02, 0.0071, 0.03, 0.011, 0.05])
    _, grid = grid_of(np.linspace(0.02, 0.6, 64))
    alphas = np.array([-1.0, 0.0, 0.7])
    notions = NOTIONS
    whole = walk_profile(costs, alphas, grid, notions)
    parts = [walk_profile(costs, alphas, grid, notions, p) for p in prefixes(f)]
    for merged in (merge_all(parts), merge_all(parts[::-1])):
        for name, a, b in zip(whole._fields, whole, merged, strict=True):
            assert np.array_equal(a, b, equal_nan=True), name


@settings(max_examples=EXAMPLES, deadline=None)
@given(inst=instances())
def test_notions_nest(inst):
    """Nash-stable implies individually stable implies contractually stable."""
    costs, alpha, sigma = inst
    sets = [set(P.stable_partitions(costs, alpha, sigma, nu)) for nu in NOTIONS[:3]]
    assert sets[0] <= sets[1] <= sets[2]


@settings(max_examples=EXAMPLES, deadline=None)
@given(inst=instances(), data=st.data())
def test_one_block_partition_and_the_papers_nash_coalition(inst, data):
    """The partition {S} + singletons against Claim 5 for S (docs/paper-notes.md, "Coalition
    structures"): a member's move alone is Claim 5's member condition exactly; a singleton
    joining S re-optimizes every epsilon at |S| + 1, which where k^2 f(k) does not drop
    (alpha >= -2) never tempts an outsider whom Claim 5's join (the members' epsilons kept)
    leaves out. So for alpha >= -2 a paper-Nash S is never joined in the hedonic game; and a
    Nash-stable {S} + singletons makes S robust (Claim 6) for every alpha."""
    costs, alpha, sigma = inst
    n = len(costs)
    k = data.draw(st.integers(2, n))
    members = tuple(sorted(data.draw(st.permutations(range(n)))[:k]))
    first: dict[int, int] = {}
    rgs = tuple(
        first.setdefault(members[0] if i in members else n + i, len(first)) for i in range(n)
    )
    moves = RP.deviations(costs, alpha, sigma, rgs, "nash")
    leaves = any(i in members and target == -1 for i, target in moves)
    assert leaves == (not R.members_stay(costs, alpha, sigma, members, "nash"))
    joins = any(i not in members and target == rgs[members[0]] for i, target in moves)
    if alpha >= -2 and R.is_stable(costs, alpha, sigma, members, "nash"):
        assert not joins
    if not moves:
        assert rgs in P.stable_partitions(costs, alpha, sigma, "nash")
        # the joiner's own burden is one a valid entry needs <= s: no gain, no valid entry
        assert R.is_stable(costs, alpha, sigma, members, "robust")


def test_a_nash_stable_partition_need_not_exist():
    """Between the all-alone partition's end and the first block's start no partition is
    Nash-stable (fastscan partitions intervals --costs 0.01,0.02,0.05,0.03 --alpha 0.5)."""
    ranges = partition_intervals([0.01, 0.02, 0.05, 0.03], 0.5, "nash")
    empty = [r for r in ranges if not r.partitions]
    assert empty, ranges
    sigma = (empty[0].low + empty[0].high) / 2
    assert RP.stable_partitions([0.01, 0.02, 0.05, 0.03], 0.5, sigma, "nash") == []
