"""Privacy-cost scalings beyond ``k**alpha`` (issue 21): ``leakage``, ``constant`` and ``table``
models against the 100-digit reference ``reference_mp`` (its ``Leakage`` and ``Table`` models),
at the first float of every threshold the kernels report and one ulp on either side, for every
notion; the constant model against ``alpha = 0`` bit for bit; model-axis slicing bit for bit;
and the input checks that name the bad parameter."""

from __future__ import annotations

import itertools
import math
import re

import mpmath
import numpy as np
import pytest
import reference_mp as R
from hypothesis import given, settings
from hypothesis import strategies as st
from mpmath import mpf
from strategies import cost_profiles

import fastscan

NOTIONS = ("nash", "robust", "designer")
SHAPES = ("increasing", "decreasing", "nonmonotone", "ties")
REL = 1e-12  # near-ties of social cost the float kernels may resolve either way
# examples per test scale with the loaded hypothesis profile (conftest.py: 40 under "fastscan",
# 400 under "thorough"); under "fastscan" the file takes about half a minute on 2 cores
EXAMPLES = settings.default.max_examples


def _examples(per_40: int) -> int:
    return max(1, EXAMPLES * per_40 // 40)


# ---------------------------------------------------------------- strategies


@st.composite
def exact_profiles(draw, min_n: int = 2, max_n: int = 5):
    """Costs whose ``a = (c^2/2)^(1/3)`` is exact (0.5 -> 0.5, 4 -> 2, 32 -> 8), with many equal
    costs: where burdens can equal sigma^2 exactly."""
    n = draw(st.integers(min_n, max_n))
    return np.array(draw(st.lists(st.sampled_from([0.5, 4.0, 32.0]), min_size=n, max_size=n)))


profiles = st.one_of(cost_profiles(max_n=5), exact_profiles())


@st.composite
def f_tables(draw, n: int, K: int | None = None, shape: str | None = None):
    """``f(k)`` for ``k = 1..K`` (``K`` in ``n..n+3`` unless given): increasing, decreasing,
    non-monotone (down-up for K = 4, down-up-down from K = 5; K = 3 has only f(2), f(3)) or
    with exact ties between sizes, values across 1e-6..1e6."""
    if K is None:
        K = draw(st.integers(n, n + 3))
    if shape is None:
        shape = draw(st.sampled_from(SHAPES))
    if shape == "ties":
        pool = draw(
            st.lists(
                st.one_of(
                    st.sampled_from([1.0, 2.0, 0.125, 8.0, 1e-6, 1e6]),
                    st.floats(-6, 6).map(lambda e: 10.0**e),
                ),
                min_size=1,
                max_size=2,
            )
        )
        values = draw(st.lists(st.sampled_from(pool), min_size=K, max_size=K))
        if K >= 3:
            values[2] = values[1]  # f(3) = f(2) exactly
    else:
        exps = draw(st.lists(st.floats(-6.0, 6.0), min_size=K, max_size=K))
        body = sorted(exps[1:])
        if shape == "decreasing":
            body.reverse()
        elif shape == "nonmonotone" and len(body) >= 2:
            body[-1], body[-2] = body[-2], body[-1]  # up, then down at the end
            if len(body) >= 3:
                body[0], body[1] = body[1], body[0]  # and down first
        values = [10.0**e for e in [exps[0], *body]]
    if draw(st.booleans()):
        values = [float(f"{v:.3g}") for v in values]  # short decimals
    return tuple(values)


leak_ps = st.one_of(
    st.sampled_from([1e-9, 1e-30, 1e-6, 0.01, 0.5, 0.9, 0.999, math.nextafter(1.0, 0.0)]),
    st.floats(1e-9, 0.999),
    st.floats(-12.0, -1.0).map(lambda e: 10.0**e),
)


def models(n: int):
    """A reference model valid for ``n`` players: a table or a leakage probability."""
    return st.one_of(f_tables(n).map(R.Table), leak_ps.map(R.Leakage))


def _kw(model) -> dict:
    """The same model as fastscan's keyword arguments."""
    if isinstance(model, R.Table):
        return {"privacy": "table", "f": list(model.values)}
    return {"privacy": "leakage", "p": model.p}


# ---------------------------------------------------------------- helpers


def _coalitions(n: int):
    for k in range(2, n + 1):
        yield from itertools.combinations(range(n), k)


def _down(x: float) -> float:
    return math.nextafter(x, 0.0)


def _up(x: float) -> float:
    return math.nextafter(x, math.inf)


def _around(sigma: float) -> list[float]:
    return [_down(sigma), sigma, _up(sigma)]


def _heads(costs: list[float]) -> set[tuple[int, ...]]:
    """Every ``S_k``: the ``k`` cheapest players, ties by position."""
    order = sorted(range(len(costs)), key=lambda i: (costs[i], i))
    return {tuple(sorted(order[:k])) for k in range(2, len(costs) + 1)}


def _log_between(lo: float, hi: float, u: float) -> float:
    return float(lo * (hi / lo) ** u)


def _check_interval(costs, model, S, notion) -> tuple[float, float] | None:
    """``fastscan.stability_interval`` against the reference's decisions: stable at ``low`` and
    at the float below ``high``, not at the float below ``low`` nor at ``high``; when None, the
    reference is stable at no float (checked at the first float of its lower threshold and the
    one below: above it, stability only ends)."""
    got = fastscan.stability_interval(costs, members=S, notion=notion, **_kw(model))
    if got is None:
        L, _ = R.thresholds_s(costs, model, S, notion)
        x = R.sigma_first_at_least(L)
        for sigma in (_down(x), x):
            assert not R.is_stable(costs, model, sigma, S, notion), (S, notion, sigma, got)
        return None
    low, high = got
    assert 0.0 < low < high, got
    assert R.is_stable(costs, model, low, S, notion), (S, notion, "at low", got)
    assert not R.is_stable(costs, model, _down(low), S, notion), (S, notion, "below low", got)
    if math.isfinite(high):
        assert R.is_stable(costs, model, _down(high), S, notion), (S, notion, "below high", got)
        assert not R.is_stable(costs, model, high, S, notion), (S, notion, "at high", got)
    else:
        assert len(S) == len(costs), (S, got)  # only the grand coalition has no outsider
    return got


def _kernel_edges(costs, kw: dict, notions=NOTIONS) -> list[float]:
    """Every finite end ``fastscan.stability_interval`` reports, over coalitions and notions."""
    out = set()
    for notion in notions:
        for S in _coalitions(len(costs)):
            got = fastscan.stability_interval(costs, members=S, notion=notion, **kw)
            if got is not None:
                out.update(x for x in got if math.isfinite(x))
    return sorted(out)


def _ref_social_cost(costs, model, sigma, S, notion) -> mpf:
    """Definition 6 from the reference's burdens: members' burdens at their epsilon (selfish,
    or the designer's under ``designer``) plus ``sigma^2`` for each outsider."""
    with mpmath.workdps(R.DPS):
        s = mpf(sigma) ** 2
        cs = [costs[i] for i in S]
        b = R.burdens(s, cs, R.eps_profile(cs, model, notion), model)
        return +(mpmath.fsum(b) + (len(costs) - len(S)) * s)


def _members(mask: int, n: int) -> tuple[int, ...]:
    assert 0 <= mask < 1 << n, mask
    return tuple(i for i in range(n) if mask >> i & 1)


def _close(x: float, want: mpf, rel: float = 1e-9) -> bool:
    return abs(mpf(x) - want) <= rel * abs(want)


def _check_optimum(cell, costs, model, sigma, want, notion, worst: bool) -> None:
    """``opt_*`` (and ``worst_*``): a stable coalition of least (most) reference social cost,
    to within the float near-tie ``REL``; the empty coalition when none is stable."""
    n = len(costs)
    s = mpf(sigma) ** 2
    for pre in ("opt", "worst") if worst else ("opt",):
        size = int(cell[f"{pre}_size"])
        mask = int(cell[f"{pre}_members"])
        sc = float(cell[f"{pre}_social_cost"])
        var = float(cell[f"{pre}_variance"])
        where = (pre, notion, sigma, want, size, mask)
        if not want:
            assert size == 0 and mask == 0, where
            assert _close(sc, n * s) and _close(var, s), (*where, sc, var)
            continue
        S = _members(mask, n)
        assert S in want and len(S) == size, where
        costs_of = {T: _ref_social_cost(costs, model, sigma, T, notion) for T in want}
        mine = costs_of[S]
        if pre == "opt":
            assert mine <= min(costs_of.values()) * (1 + REL), (*where, costs_of)
        else:
            assert mine >= max(costs_of.values()) * (1 - REL), (*where, costs_of)
        assert _close(sc, mine), (*where, sc, mine)
        cs = [costs[i] for i in S]
        assert _close(var, R.variance(cs, model, sigma, notion)), (*where, var)


def _check_central(cell, costs, model, sigma) -> None:
    """Eq. (4) for any ``f``: the ``S_k`` of least social cost at the designer's epsilon, or none
    when no coalition beats the empty one (``n sigma^2``), to within ``REL``."""
    n = len(costs)
    s = mpf(sigma) ** 2
    order = sorted(range(n), key=lambda i: (costs[i], i))
    sc = {k: _ref_social_cost(costs, model, sigma, order[:k], "designer") for k in range(2, n + 1)}
    sc[0] = n * s
    best = min(sc.values())
    k = int(cell.central_size)
    assert k in sc and sc[k] <= best * (1 + REL), (k, sigma, sc)
    assert _close(float(cell.central_social_cost), sc[k]), (k, sigma, sc)


# ---------------------------------------------------------------- 1. the point API


@settings(max_examples=_examples(120), deadline=None)
@given(costs=profiles, data=st.data())
def test_point_api_is_exact_at_every_kernel_threshold(costs, data):
    """For a table or leakage model and every notion: each coalition's ``stability_interval``
    ends are where the reference's decision changes, and ``stable_coalitions`` (all and
    downward) and ``describe_coalition`` equal the reference at drawn ends, one ulp either side
    and a random sigma."""
    costs = [float(c) for c in costs]
    n = len(costs)
    model = data.draw(models(n), label="model")
    kw = _kw(model)
    heads = _heads(costs)
    for notion in NOTIONS:
        edges = set()
        for S in _coalitions(n):
            got = _check_interval(costs, model, S, notion)
            if got is not None:
                edges.update(x for x in got if math.isfinite(x))
        edges = sorted(edges)
        assert edges  # the grand coalition is stable from some sigma on
        picked = data.draw(
            st.lists(st.sampled_from(edges), min_size=1, max_size=2, unique=True), label="edges"
        )
        u = data.draw(st.floats(0.0, 1.0), label="u")
        sigmas = [x for e in picked for x in _around(e)]
        sigmas.append(_log_between(edges[0] / 4, edges[-1] * 4, u))
        for sigma in sigmas:
            want = R.stable_coalitions(costs, model, sigma, notion)
            got = fastscan.stable_coalitions(costs, sigma=sigma, notion=notion, **kw)
            assert got == want, (notion, sigma, got, want)
            down = fastscan.stable_coalitions(
                costs, sigma=sigma, notion=notion, sets="downward", **kw
            )
            assert down == [S for S in want if S in heads], (notion, sigma, down, want)
        S = data.draw(st.sampled_from(list(_coalitions(n))), label="described")
        sigma = data.draw(st.sampled_from(sigmas), label="described sigma")
        report = fastscan.describe_coalition(costs, sigma=sigma, members=S, **kw)
        verdict = {
            "nash": report.nash_stable,
            "robust": report.robust_stable,
            "designer": report.designer_stable,
        }[notion]
        assert verdict == R.is_stable(costs, model, sigma, S, notion), (notion, S, sigma)


# ---------------------------------------------------------------- 2. the scan's grid


@settings(max_examples=_examples(60), deadline=None)
@given(costs=profiles, kind=st.sampled_from(["table", "leakage"]), data=st.data())
def test_scan_grid_agrees_with_reference(costs, kind, data):
    """Two models along the model dim, every notion, a sigma grid through drawn kernel
    thresholds and one ulp around: counts, sizes, grand_stable, the best and worst stable
    coalitions and the central optimum against the reference; downward against ``S_k``."""
    costs = [float(c) for c in costs]
    n = len(costs)
    if kind == "table":
        K = data.draw(st.integers(n, n + 3), label="K")
        tables = data.draw(st.lists(f_tables(n, K), min_size=2, max_size=2), label="f")
        ref = [R.Table(t) for t in tables]
        kw = {"privacy": "table", "f": np.array(tables), "models": ["m0", "m1"]}
    else:
        ps = data.draw(st.lists(leak_ps, min_size=2, max_size=2, unique=True), label="p")
        ref = [R.Leakage(p) for p in ps]
        kw = {"privacy": "leakage", "p": ps}
    edges = sorted({e for m in ref for e in _kernel_edges(costs, _kw(m))})
    picked = data.draw(
        st.lists(st.sampled_from(edges), min_size=1, max_size=3, unique=True), label="edges"
    )
    us = data.draw(st.lists(st.floats(0.0, 1.0), min_size=1, max_size=2), label="u")
    grid = {x for e in picked for x in _around(e)}
    grid.update(_log_between(edges[0] / 4, edges[-1] * 4, u) for u in us)
    grid = sorted(grid)
    cube = fastscan.scan(costs, sigma=grid, notions=NOTIONS, worst=True, threads=1, **kw)
    down = fastscan.scan(costs, sigma=grid, notions=NOTIONS, sets="downward", threads=1, **kw)
    dim = "model" if kind == "table" else "p"
    assert cube.stable_count.dims == ("profile", dim, "sigma", "notion")
    assert cube.sigma.values.tolist() == grid
    heads = _heads(costs)
    for t, model in enumerate(ref):
        for j, sigma in enumerate(grid):
            here = cube.isel(profile=0, sigma=j, **{dim: t})
            grand = tuple(range(n))
            assert bool(here.grand_stable) == R.is_stable(costs, model, sigma, grand, "nash")
            _check_central(here, costs, model, sigma)
            for notion in NOTIONS:
                want = R.stable_coalitions(costs, model, sigma, notion)
                cell = here.sel(notion=notion)
                where = (model, sigma, notion, want)
                assert int(cell.stable_count) == len(want), (*where, int(cell.stable_count))
                assert int(cell.max_size) == max(map(len, want), default=0), where
                assert int(cell.min_size) == min(map(len, want), default=0), where
                _check_optimum(cell, costs, model, sigma, want, notion, worst=True)
                heads_in = [S for S in want if S in heads]
                dcell = down.isel(profile=0, sigma=j, **{dim: t}).sel(notion=notion)
                where = ("downward", *where, heads_in)
                assert int(dcell.stable_count) == len(heads_in), (*where, int(dcell.stable_count))
                assert int(dcell.max_size) == max(map(len, heads_in), default=0), where
                assert int(dcell.min_size) == min(map(len, heads_in), default=0), where


# ---------------------------------------------------------------- 3. constant = alpha 0


def _same_bits(a, b) -> None:
    """Every variable and coordinate of two Datasets: same dims, dtype and bytes."""
    assert sorted(a.data_vars) == sorted(b.data_vars)
    assert sorted(a.coords) == sorted(b.coords)
    for name in [*a.data_vars, *a.coords]:
        x, y = a[name], b[name]
        assert x.dims == y.dims and x.dtype == y.dtype, (name, x.dims, y.dims, x.dtype, y.dtype)
        if x.dtype == object:
            assert x.values.tolist() == y.values.tolist(), name
        else:
            assert x.values.tobytes() == y.values.tobytes(), name


@settings(max_examples=_examples(30), deadline=None)
@given(costs=profiles, sets=st.sampled_from(["all", "downward"]), data=st.data())
def test_constant_is_alpha_zero_bit_for_bit(costs, sets, data):
    """``privacy="constant"`` is ``f = 1``: the cube of ``alpha = [0.0]`` to the last bit, with a
    sigma grid through its thresholds; the point API likewise; and the decisions of a table of
    ones (another path, the same real model) are the same."""
    costs = [float(c) for c in costs]
    n = len(costs)
    edges = _kernel_edges(costs, {"alpha": 0.0})
    picked = data.draw(st.lists(st.sampled_from(edges), min_size=1, max_size=3, unique=True))
    grid = sorted({x for e in picked for x in _around(e)} | {edges[0] / 3, edges[-1] * 3})
    args = {"sets": sets, "notions": NOTIONS, "worst": True, "threads": 1}
    const = fastscan.scan(costs, sigma=grid, privacy="constant", **args)
    power = fastscan.scan(costs, [0.0], grid, **args)
    assert power.sizes["alpha"] == 1
    if "alpha" in const.dims:  # an alpha dim of length 1, coordinate 0.0: the whole cube
        assert const.alpha.values.tolist() == [0.0]
        _same_bits(const, power)
    flat = const.squeeze("alpha", drop=True) if "alpha" in const.dims else const
    flat = flat.drop_vars("alpha", errors="ignore")  # no stray scalar alpha either
    _same_bits(flat, power.sel(alpha=0.0, drop=True))
    _same_bits(flat, power.squeeze("alpha", drop=True))
    ones = fastscan.scan(costs, sigma=grid, f=np.ones(n + 1), **args).isel(model=0, drop=True)
    for name in ("stable_count", "max_size", "min_size", "grand_stable"):
        assert ones[name].values.tolist() == flat[name].values.tolist(), name
    S = data.draw(st.sampled_from(list(_coalitions(n))))
    for notion in NOTIONS:
        for sigma in grid[:4]:
            got = fastscan.stable_coalitions(costs, sigma=sigma, notion=notion, privacy="constant")
            assert got == fastscan.stable_coalitions(costs, 0.0, sigma, notion=notion)
        got = fastscan.stability_interval(costs, members=S, notion=notion, privacy="constant")
        assert got == fastscan.stability_interval(costs, 0.0, S, notion=notion)
        assert got == fastscan.stability_interval(costs, members=S, notion=notion, f=[1.0] * n)


# ---------------------------------------------------------------- 4. model-axis slicing


def _padded(rows: list[list[float]]) -> np.ndarray:
    width = max(map(len, rows))
    return np.array([r + [math.nan] * (width - len(r)) for r in rows])


@settings(max_examples=_examples(20), deadline=None)
@given(
    rows=st.lists(cost_profiles(max_n=5), min_size=1, max_size=2),
    extra=st.integers(0, 2),
    data=st.data(),
)
def test_model_dim_slices_are_the_one_model_scans(rows, extra, data):
    """A table scan of several models is, model by model, the one-model scan to the last bit, with
    one thread and two (two threads split 9 models into chunks); likewise a leakage scan over
    ``p``. ``f(1)`` and the rows past the largest profile change no bit."""
    costs = _padded([[float(c) for c in r] for r in rows])
    n = int(np.sum(~np.isnan(costs), axis=1).max())
    K = n + extra
    tables = data.draw(st.lists(f_tables(n, K), min_size=9, max_size=9), label="f")
    f = np.array(tables)
    names = [f"m{i}" for i in range(9)]
    edges = _kernel_edges(costs[0][~np.isnan(costs[0])].tolist(), {"f": tables[0]})
    grid = sorted({x for e in edges[:3] for x in _around(e)} | {edges[-1] * 2})
    args = {"notions": NOTIONS, "worst": True}
    singles = [
        fastscan.scan(costs, sigma=grid, f=f[t : t + 1], models=[names[t]], threads=1, **args)
        for t in range(3)
    ]
    for threads in (1, 2):
        three = fastscan.scan(costs, sigma=grid, f=f[:3], models=names[:3], threads=threads, **args)
        for t in range(3):
            _same_bits(three.isel(model=[t]), singles[t])
    nine = fastscan.scan(costs, sigma=grid, f=f, models=names, threads=2, **args)
    _same_bits(nine.isel(model=[0, 1, 2]), three)
    for t in range(3, 9):
        one = fastscan.scan(costs, sigma=grid, f=f[t : t + 1], models=[names[t]], threads=1, **args)
        _same_bits(nine.isel(model=[t]), one)
    # f(1) is never used (k >= 2), nor f(k) for k > n: other values, the same bits
    g = f[:3].copy()
    g[:, 0] = 0.0
    g[:, n:] = 7.0
    _same_bits(fastscan.scan(costs, sigma=grid, f=g, models=names[:3], threads=1, **args), three)

    ps = data.draw(st.lists(leak_ps, min_size=2, max_size=2, unique=True), label="p")
    both = fastscan.scan(costs, sigma=grid, privacy="leakage", p=ps, threads=1, **args)
    assert both.p.values.tolist() == ps
    for t, p in enumerate(ps):
        alone = fastscan.scan(costs, sigma=grid, privacy="leakage", p=[p], threads=1, **args)
        _same_bits(both.isel(p=[t]), alone)
    many = sorted(set(ps) | {1e-9, 1e-3, 0.1, 0.5, 0.9, 0.999, math.nextafter(1.0, 0.0)})
    spread = fastscan.scan(costs, sigma=grid, privacy="leakage", p=many, threads=2, **args)
    for t, p in enumerate(many):
        if p in ps:
            _same_bits(spread.isel(p=[t]), both.isel(p=[ps.index(p)]))


# ---------------------------------------------------------------- 5. bad input

COSTS = [1e-3, 2e-3, 5e-3, 8e-3]
GRID = [0.05, 0.1]


def _every_entry(kw: dict):
    """The same (bad) model through every public entry point."""
    return [
        lambda: fastscan.scan(COSTS, sigma=GRID, threads=1, **kw),
        lambda: fastscan.stable_coalitions(COSTS, sigma=0.1, **kw),
        lambda: fastscan.stability_interval(COSTS, members=(0, 1), **kw),
        lambda: fastscan.describe_coalition(COSTS, sigma=0.1, members=(0, 1), **kw),
    ]


@pytest.mark.parametrize("k", [2, 3, 4])
@pytest.mark.parametrize("bad", [0.0, -1.0, -1e-300, math.nan, math.inf, -math.inf])
def test_bad_table_value_names_f_and_k(bad, k):
    """A table value that is not positive and finite at a size the profile needs is refused,
    naming ``f`` and the size."""
    f = [1.0, 1.5, 2.0, 2.5, 3.0]
    f[k - 1] = bad
    for call in _every_entry({"f": f}):
        with pytest.raises(ValueError, match=rf"\bf\b.*\bk\s*=\s*{k}\b"):
            call()
    with pytest.raises(ValueError, match=rf"\bf\b.*\bk\s*=\s*{k}\b"):
        fastscan.scan(COSTS, sigma=GRID, privacy="table", f=[[1.0] * 5, f], threads=1)


@pytest.mark.parametrize("p", [0.0, 1.0, -0.1, 1.5, math.nan, math.inf])
def test_bad_leakage_probability_names_p(p):
    for kw in ({"privacy": "leakage", "p": p}, {"privacy": "leakage", "p": [0.5, p]}):
        for call in _every_entry(kw)[: 4 if np.ndim(kw["p"]) == 0 else 1]:
            with pytest.raises(ValueError, match=r"\bp\b") as info:
                call()
            assert "alpha" not in str(info.value), str(info.value)


@pytest.mark.parametrize("K", [2, 3])
def test_short_table_names_rows_and_players(K):
    """A table with fewer rows than players: the message names both numbers."""
    f = [1.0 + k for k in range(K)]
    for call in _every_entry({"f": f}) + [
        lambda: fastscan.scan(COSTS, sigma=GRID, f=[f, f], threads=1),
        lambda: fastscan.scan(_padded([COSTS[:2], COSTS]), sigma=GRID, f=f, threads=1),
    ]:
        with pytest.raises(ValueError, match=r"\bf\b") as info:
            call()
        message = str(info.value)
        numbers = re.findall(r"\d+(?:\.\d+)?(?:e[+-]?\d+)?", message)  # "1..3": 1 and 3
        assert str(K) in numbers and str(len(COSTS)) in numbers, (K, message)


@pytest.mark.parametrize(
    ("kw", "name"),
    [
        ({"alpha": 0.5, "p": 0.1}, "p"),
        ({"alpha": 0.5, "privacy": "power", "p": 0.1}, "p"),
        ({"alpha": 0.5, "privacy": "leakage", "p": 0.1}, "alpha"),
        ({"alpha": 0.5, "privacy": "table", "f": [1.0] * 4}, "alpha"),
        ({"alpha": 0.5, "privacy": "constant"}, "alpha"),
        ({"privacy": "leakage", "p": 0.1, "f": [1.0] * 4}, "f"),
        ({"privacy": "leakage"}, "p"),
        ({"privacy": "table"}, "f"),
    ],
)
def test_parameter_of_another_model_is_named(kw, name):
    """``p`` with the power model and ``alpha`` with leakage (or with a table, or constant) are
    refused, naming the stray parameter; a model missing its parameter names that one."""
    kw = dict(kw)
    alpha = kw.pop("alpha", None)
    calls = [
        lambda: fastscan.scan(COSTS, alpha, GRID, threads=1, **kw),
        lambda: fastscan.stable_coalitions(COSTS, alpha, 0.1, **kw),
        lambda: fastscan.stability_interval(COSTS, alpha, (0, 1), **kw),
        lambda: fastscan.describe_coalition(COSTS, alpha, 0.1, (0, 1), **kw),
    ]
    for call in calls:
        with pytest.raises(ValueError, match=rf"\b{name}\b"):
            call()


def test_each_model_with_its_own_parameter_goes_through():
    """The counterpart of the refusals above: each model with its own parameter is accepted."""
    assert fastscan.scan(COSTS, sigma=GRID, privacy="leakage", p=0.1, threads=1).sizes["p"] == 1
    assert fastscan.scan(COSTS, [0.5], GRID, privacy="power", threads=1).sizes["alpha"] == 1
    assert fastscan.scan(COSTS, sigma=GRID, f=[1.0] * 4, threads=1).sizes["model"] == 1
    assert fastscan.scan(COSTS, sigma=GRID, privacy="constant", threads=1).sizes["sigma"] == 2
    assert fastscan.stable_coalitions(COSTS, sigma=0.1, privacy="leakage", p=0.1) is not None
