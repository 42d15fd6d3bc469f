"""Self-checks of ``tests/reference_partitions.py`` (coalition structures), the reference only.

Bell numbers, the nesting nash => individual => contractual, Claim 5's members-stay condition
against ``reference_mp``, and a two-player example worked by hand.
"""

from __future__ import annotations

import math

import mpmath
import numpy as np
import pytest
import reference_mp as R
import reference_partitions as P
from mpmath import mpf

MOVE_NOTIONS = ("nash", "individual", "contractual")


def _profiles(seed: int, count: int, n: int):
    """Costs log-uniform in [1e-4, 1e-1], alpha in [-1, 1], and sigma with ``s`` from 0.1 to
    10 times the typical s-independent burden term of a coalition of these players."""
    rng = np.random.default_rng(seed)
    for _ in range(count):
        costs = [float(c) for c in 10.0 ** rng.uniform(-4.0, -1.0, n)]
        alpha = float(rng.uniform(-1.0, 1.0))
        terms = [
            P.burden(costs, alpha, mpf(0), block, block[0])
            for block in [tuple(range(n)), (0, 1), (n - 2, n - 1)]
        ]
        typical = float(sorted(terms)[1])
        sigma = math.sqrt(typical * 10.0 ** rng.uniform(-1.0, 1.0))
        yield costs, alpha, sigma


def _rgs_with_block(n: int, S) -> tuple[int, ...]:
    """RGS of the partition with block ``S`` and every other player alone."""
    labels, rgs = {}, []
    for i in range(n):
        key = "S" if i in S else i
        labels.setdefault(key, len(labels))
        rgs.append(labels[key])
    return tuple(rgs)


def test_bell_numbers_and_rgs():
    assert [len(P.partitions(n)) for n in range(1, 8)] == [1, 2, 5, 15, 52, 203, 877]
    for n in range(1, 7):
        ps = P.partitions(n)
        assert ps == sorted(ps) and len(set(ps)) == len(ps)
        for p in ps:
            assert p[0] == 0
            assert all(p[i] <= max(p[:i]) + 1 for i in range(1, n))
            bl = P.blocks(p)
            assert sorted(i for B in bl for i in B) == list(range(n))
            assert all(p[i] == L for L, B in enumerate(bl) for i in B)
    assert P.blocks((0, 1, 0, 2, 1)) == [(0, 2), (1, 4), (3,)]


def test_burden_is_definition_5():
    costs, alpha = [3e-3, 2e-2, 7e-4], 0.4
    with mpmath.workdps(R.DPS):
        s = mpf(0.3) ** 2
        block = (0, 2)
        eps = [R.best_eps(costs[j], 2, alpha) for j in block]
        for p, i in enumerate(block):
            f2 = mpf(2) ** mpf(alpha)
            want = s / 2 + mpf(2) / 4 * sum(1 / e**2 for e in eps) + mpf(costs[i]) * f2 * eps[p]
            assert abs(P.burden(costs, alpha, s, block, i) - want) < mpf(10) ** -100
        assert P.burden(costs, alpha, s, (1,), 1) == s


@pytest.mark.parametrize("n,seed", [(4, 11), (5, 12), (6, 13)])
def test_nash_individual_contractual_nest(n, seed):
    strict = 0
    for costs, alpha, sigma in _profiles(seed, 4, n):
        sets = {nt: set(P.stable_partitions(costs, alpha, sigma, nt)) for nt in MOVE_NOTIONS}
        assert sets["nash"] <= sets["individual"] <= sets["contractual"]
        strict += sets["nash"] < sets["individual"] or sets["individual"] < sets["contractual"]
        for p in P.partitions(n):
            for nt in MOVE_NOTIONS:
                dev = P.deviations(costs, alpha, sigma, p, nt)
                assert (not dev) == (p in sets[nt]) == P.is_stable(costs, alpha, sigma, p, nt)
        # the designer's partition is never costlier than any decentralized one
        crgs, ccost = P.central(costs, alpha, sigma)
        assert all(ccost <= P.social_cost(costs, alpha, sigma, p) for p in P.partitions(n))
        for nt in MOVE_NOTIONS:
            best, worst = (f(costs, alpha, sigma, nt) for f in (P.best_stable, P.worst_stable))
            assert (best is None) == (worst is None) == (not sets[nt])
            if best is not None:
                assert best[0] in sets[nt] and worst[0] in sets[nt]
                assert ccost <= best[1] <= worst[1]
            want = any(sum(len(B) >= 2 for B in P.blocks(p)) == 1 for p in sets[nt])
            assert P.single_block(costs, alpha, sigma, nt) == want
    assert strict, "the profiles never separate the notions: the nesting check is vacuous"


@pytest.mark.parametrize("n,seed", [(4, 21), (5, 22)])
def test_claim5_members_stay(n, seed):
    """A member of ``S`` (others alone) prefers leaving alone iff reference_mp says ``S`` fails
    its members-stay condition; checked at the last float on either side of the threshold."""
    rng = np.random.default_rng(seed)
    for costs, alpha, sigma in _profiles(seed, 3, n):
        k = int(rng.integers(2, n + 1))
        S = tuple(sorted(int(x) for x in rng.choice(n, size=k, replace=False)))
        rgs = _rgs_with_block(n, S)
        L, _ = R.thresholds_s(costs, alpha, S, "nash")
        at = R.sigma_first_at_least(L)
        for sg in (sigma, at, math.nextafter(at, 0.0), 2 * at, at / 2):
            leave = {i for i, t in P.deviations(costs, alpha, sg, rgs, "nash") if t == -1}
            assert leave <= set(S)
            stay = R.members_stay(costs, alpha, sg, S, "nash")
            assert (not leave) == stay
            # member by member: i leaves iff its burden in S exceeds s (outside the tie band)
            with mpmath.workdps(R.DPS):
                s = mpf(sg) ** 2
            for i in S:
                b = P.burden(costs, alpha, s, S, i)
                assert (i in leave) == (b > s and abs(b - s) > R.TIE * s)
            # moving alone needs no consent under individual stability
            ind = {i for i, t in P.deviations(costs, alpha, sg, rgs, "individual") if t == -1}
            assert ind == leave
        assert R.members_stay(costs, alpha, at, S, "nash")
        assert not R.members_stay(costs, alpha, math.nextafter(at, 0.0), S, "nash")


PAIR, SPLIT = (0, 0), (0, 1)


@pytest.mark.parametrize("sigma", [1.9, 2.0, 2.1])
def test_two_players_by_hand(sigma):
    """Costs (1, 1), f = 1: eps = (4/(k^2 c))^(1/3) = 1, so b_i({0,1}) = s/2 + 2. The pair is
    stable iff s >= 4, the split iff s <= 4 (both at sigma = 2, tied)."""
    costs, alpha = [1.0, 1.0], 0.0
    with mpmath.workdps(R.DPS):
        s = mpf(sigma) ** 2
        want = s / 2 + 2
        for i in (0, 1):
            assert abs(P.burden(costs, alpha, s, (0, 1), i) - want) < mpf(10) ** -100
        assert abs(P.social_cost(costs, alpha, sigma, PAIR) - (s + 4)) < mpf(10) ** -100
        assert P.social_cost(costs, alpha, sigma, SPLIT) == 2 * s
        assert abs(P.variance(costs, alpha, sigma, PAIR) - (s / 2 + 1)) < mpf(10) ** -100
        assert P.variance(costs, alpha, sigma, SPLIT) == s
        # designer: eps^3 = 2, each member's part 1/eps^2 + eps = 3 * 2^(-2/3)
        crgs, ccost = P.central(costs, alpha, sigma)
        pair_total = s + 6 / mpf(2) ** (mpf(2) / 3)
        assert crgs == (PAIR if pair_total <= 2 * s else SPLIT)
        assert abs(ccost - min(pair_total, 2 * s)) < mpf(10) ** -100

    pair_ok, split_ok = sigma >= 2.0, sigma <= 2.0
    for notion in P.NOTIONS:
        assert P.is_stable(costs, alpha, sigma, PAIR, notion) == pair_ok, notion
        assert P.is_stable(costs, alpha, sigma, SPLIT, notion) == split_ok, notion
        want = [p for p, ok in ((PAIR, pair_ok), (SPLIT, split_ok)) if ok]
        assert P.stable_partitions(costs, alpha, sigma, notion) == want
        assert P.single_block(costs, alpha, sigma, notion) == pair_ok

    # exactly what breaks stability
    for notion in MOVE_NOTIONS:
        assert P.deviations(costs, alpha, sigma, PAIR, notion) == (
            [] if pair_ok else [(0, -1), (1, -1)]
        )
        assert P.deviations(costs, alpha, sigma, SPLIT, notion) == (
            [] if split_ok else [(0, 1), (1, 0)]
        )
    assert P.deviations(costs, alpha, sigma, PAIR, "core") == ([] if pair_ok else [(0,), (1,)])
    assert P.deviations(costs, alpha, sigma, SPLIT, "core") == ([] if split_ok else [(0, 1)])

    # best / worst: at sigma = 2 both are stable with cost 8 (tied): fewer blocks wins
    best = P.best_stable(costs, alpha, sigma, "nash")
    worst = P.worst_stable(costs, alpha, sigma, "nash")
    if sigma == 2.0:
        assert best[0] == worst[0] == PAIR
        assert abs(best[1] - 8) < mpf(10) ** -100
    else:
        assert best[0] == worst[0] == (PAIR if pair_ok else SPLIT)


def test_the_notions_separate_on_three_players():
    """Costs (1, 1, c3), f = 1. (a) c3 = 100, s = 40, partition {0,1},{2}: player 2 gains by
    joining {0,1} (nash deviation) but 0 and 1 would lose, so it is individually stable.
    (b) c3 = 5, s = 5, the grand coalition: player 2 gains alone (nash, individual, and the
    singleton {2} blocks in the core) but {0,1} left behind would lose: contractually stable."""
    alpha = 0.0

    costs, sigma = [1.0, 1.0, 100.0], math.sqrt(40.0)
    with mpmath.workdps(R.DPS):
        s = mpf(sigma) ** 2
        b = lambda B, i: P.burden(costs, alpha, s, B, i)  # noqa: E731
        assert b((0, 1, 2), 2) < b((2,), 2)
        assert b((0, 1, 2), 0) > b((0, 1), 0)
    rgs = (0, 0, 1)
    assert P.deviations(costs, alpha, sigma, rgs, "nash") == [(2, 0)]
    for nt in ("individual", "contractual", "core"):
        assert P.deviations(costs, alpha, sigma, rgs, nt) == [], nt

    costs, sigma = [1.0, 1.0, 5.0], math.sqrt(5.0)
    with mpmath.workdps(R.DPS):
        s = mpf(sigma) ** 2
        b = lambda B, i: P.burden(costs, alpha, s, B, i)  # noqa: E731
        assert b((2,), 2) < b((0, 1, 2), 2)
        assert b((0, 1), 0) > b((0, 1, 2), 0)
    rgs = (0, 0, 0)
    assert P.deviations(costs, alpha, sigma, rgs, "nash") == [(2, -1)]
    assert P.deviations(costs, alpha, sigma, rgs, "individual") == [(2, -1)]
    assert P.deviations(costs, alpha, sigma, rgs, "contractual") == []
    assert P.deviations(costs, alpha, sigma, rgs, "core") == [(2,)]


def test_core_n6_is_fast_enough():
    import time

    costs, alpha, sigma = next(_profiles(31, 1, 6))
    t0 = time.perf_counter()
    core = P.stable_partitions(costs, alpha, sigma, "core")
    assert time.perf_counter() - t0 < 10.0
    for p in core:
        assert P.deviations(costs, alpha, sigma, p, "core") == []
