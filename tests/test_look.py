"""query, coalitions, intervals, plot: answers and pictures out of cubes, and their errors."""

from __future__ import annotations

import json
import math
import shlex

import numpy as np
import pytest
from helpers import fastscan_cli
from hypothesis import given
from hypothesis import strategies as st
from strategies import cost_profiles, wide_alphas

import fastscan
from fastscan import query as q
from fastscan.cube import open_cube
from fastscan.datasharing.intervals import equilibrium_ranges

FIG1 = "2.2e-4,5.4e-4,7e-4,11e-4,30e-4,33e-4,34e-4,36e-4,38e-4"


@pytest.fixture(scope="module")
def cube(tmp_path_factory):
    out = tmp_path_factory.mktemp("look") / "mc.zarr"
    r = fastscan_cli(
        "scan --family uniform --n 6 --low 1e-4 --high 1e-2 --seed 0:3:4 --alpha -1:1:5 "
        f"--sigma 0.05:1:20 --out {out} --quiet"
    )
    assert r.returncode == 0, r.stderr
    return str(out)


@pytest.fixture(scope="module")
def fig1(tmp_path_factory):
    out = tmp_path_factory.mktemp("fig1") / "fig1.zarr"
    r = fastscan_cli(f"scan --costs {FIG1} --alpha 0,1 --sigma 0.05:1:96 --out {out} --quiet")
    assert r.returncode == 0, r.stderr
    return str(out)


def test_query_nearest_value_is_reported(cube):
    r = fastscan_cli(
        f"query {cube} --var max_size --sel alpha=0.4 --sel seed=2 --sel notion=robust --format csv"
    )
    assert r.returncode == 0, r.stderr
    assert "alpha=0.5" in r.stderr and "seed=2" in r.stderr
    lines = r.stdout.strip().splitlines()
    assert lines[0] == "sigma,max_size" and len(lines) == 21
    ds = open_cube(cube)
    want = ds.max_size.sel(notion="robust").isel(profile=2, alpha=3).values
    assert [int(x.split(",")[1]) for x in lines[1:]] == want.tolist()


def test_query_index_reduce_and_share(cube):
    r = fastscan_cli(
        f"query {cube} --var exists --sel notion=nash --sel 'alpha=#4' --reduce "
        "mean:profile --format csv"
    )
    assert r.returncode == 0, r.stderr
    ds = open_cube(cube)
    share = (ds.stable_count.sel(notion="nash").isel(alpha=4) > 0).mean("profile").values
    got = [float(x.split(",")[1]) for x in r.stdout.strip().splitlines()[1:]]
    np.testing.assert_allclose(got, share)
    r = fastscan_cli(
        f"query {cube} --var stable_count --reduce max:sigma --reduce any:profile --sel "
        "notion=robust"
    )
    assert r.returncode == 0 and r.stdout.splitlines()[0].split() == ["alpha", "stable_count"]


def test_query_json_is_to_dict_layout(cube):
    r = fastscan_cli(f"query {cube} --var central_size --sel seed=1 --sel alpha=1 --format json")
    assert r.returncode == 0, r.stderr
    d = json.loads(r.stdout)
    assert set(d) == {"dims", "coords", "data", "attrs", "name"}
    assert d["name"] == "central_size" and d["dims"] == ["sigma"]
    ds = open_cube(cube)
    assert d["data"] == ds.central_size.isel(profile=1, alpha=4).values.tolist()


def test_rows_stream_in_blocks(cube):
    ds = open_cube(cube)
    da = ds.opt_social_cost
    assert list(q.rows(da, block=7)) == list(q.rows(da, block=10**6))
    assert sum(1 for _ in q.rows(da, block=7)) == da.size


@pytest.mark.parametrize(
    "args, word",
    [
        (["--var", "nope"], "--var"),
        (["--var", "max_size", "--sel", "gamma=1"], "gamma"),
        (["--var", "max_size", "--sel", "alpha=3"], "outside"),
        (["--var", "max_size", "--sel", "notion=core"], "notion"),
        (["--var", "max_size", "--sel", "alpha=#99"], "index"),
        (["--var", "max_size", "--reduce", "median:sigma"], "--reduce"),
        (["--var", "max_size", "--reduce", "mean:beta"], "beta"),
        (["--var", "max_size", "--format", "xml"], "--format"),
        (["--var", "max_size", "--sel", "alpha"], "DIM=VALUE"),
    ],
)
def test_query_errors(cube, args, word):
    r = fastscan_cli(f"query {cube} {shlex.join(args)}")
    assert r.returncode == 2 and r.stderr.count("\n") == 1 and word in r.stderr
    assert "Traceback" not in r.stderr


def test_stores_that_are_not_cubes(tmp_path):
    for cmd in (["info"], ["query", "--var", "max_size"]):
        r = fastscan_cli(f"{cmd[0]} {str(tmp_path / 'missing.zarr')} {shlex.join(cmd[1:])}")
        assert r.returncode == 2 and "does not exist" in r.stderr
    (tmp_path / "z.zarr").mkdir()
    (tmp_path / "z.zarr" / "zarr.json").write_text('{"zarr_format": 3, "node_type": "group"}')
    r = fastscan_cli(f"info {str(tmp_path / 'z.zarr')}")
    assert r.returncode == 2 and "not a fastscan cube" in r.stderr


def test_coalitions_lemma3_table():
    r = fastscan_cli(
        "coalitions --costs 1.80e-3,2.15e-3,2.20e-3,15e-3,15.5e-3,17e-3 --alpha 1 "
        "--sigma 0.5 --notion nash"
    )
    assert r.returncode == 0, r.stderr
    for number in (
        "3.2624",
        "1.6091",
        "0.1727",
        "0.2457",
        "0.2535",
        "0.2629",
        "1.5917",
        "0.2489",
        "0.2510",
        "0.2636",
    ):
        assert number in r.stdout
    assert "2 stable coalitions" in r.stdout and "k* = 4" in r.stdout and "PoS(SC)" in r.stdout
    bad = fastscan_cli("coalitions --costs 1e-3,-1 --alpha 1 --sigma 0.5")
    assert bad.returncode == 2 and "costs" in bad.stderr


def test_intervals_lemma5_json():
    r = fastscan_cli(f"intervals --costs {FIG1} --alpha 1 --notion nash --format json")
    assert r.returncode == 0, r.stderr
    ranges = json.loads(r.stdout)
    keys = {"notion", "low", "high", "max_size", "coalitions"}
    assert all(set(x) == keys for x in ranges)
    assert ranges[0]["low"] == 0.0 and ranges[-1]["high"] is None
    for a, b in zip(ranges, ranges[1:], strict=False):
        assert a["high"] == b["low"] and a["coalitions"] != b["coalitions"]

    def at(sigma):
        return next(
            x for x in ranges if x["low"] <= sigma and (x["high"] is None or sigma < x["high"])
        )

    assert at(0.25)["coalitions"] and not at(0.4)["coalitions"]  # Lemma 5


@given(
    costs=cost_profiles(max_n=7),
    alpha=wide_alphas,
    notion=st.sampled_from(["nash", "robust"]),
    sets=st.sampled_from(["all", "downward"]),
)
def test_intervals_agree_with_every_grid_point(costs, alpha, notion, sets):
    ranges = equilibrium_ranges(costs, alpha, notion=notion, sets=sets)
    edges = [r.low for r in ranges[1:]]
    lo, hi = (min(edges) / 3, max(edges) * 3) if edges else (1e-3, 10.0)
    grid = list(np.geomspace(lo, hi, 400))
    for e in edges:  # on, and one ulp around, every boundary
        grid += [math.nextafter(e, 0.0), e, math.nextafter(e, math.inf)]
    for sigma in grid:
        r = next(x for x in ranges if x.low <= sigma and (x.high is None or sigma < x.high))
        stable = fastscan.stable_coalitions(costs, alpha, sigma, notion=notion, sets=sets)
        assert r.coalitions == stable, sigma
        assert r.max_size == max((len(c) for c in stable), default=0)


SLIVERY = (
    "2.770888e-3,5.056379e-4,2.636236e-4,8.151375e-3,9.136280e-3,6.105694e-3,7.322016e-3,"
    "5.481887e-3"
)


def test_thresholds_equal_in_exact_arithmetic_end_at_one_float():
    """Robust at alpha = 0.5: the upper end of S and the lower end of S + {j} are one real
    number (Claim 6) computed two ways; decided exactly, they are one edge, with no sliver range
    between them (the float formulas put them a few ulps apart)."""
    costs = [float(c) for c in SLIVERY.split(",")]
    ranges = equilibrium_ranges(costs, 0.5, notion="robust")
    for r in ranges[:-1]:
        assert r.high - r.low > 64 * np.spacing(r.low)
    for r in ranges[1:]:  # at each edge the coalitions change exactly there, both sides
        below = fastscan.stable_coalitions(costs, 0.5, math.nextafter(r.low, 0.0), notion="robust")
        assert fastscan.stable_coalitions(costs, 0.5, r.low, notion="robust") == r.coalitions
        assert below != r.coalitions
    r = fastscan_cli(f"intervals --costs {SLIVERY} --alpha 0.5 --notion robust")
    assert r.returncode == 0 and "merged" not in r.stdout


@pytest.mark.slow
def test_plot_fig1_and_phase_diagram(fig1, tmp_path):
    import matplotlib.image as mpimg

    out = tmp_path / "fig1.png"
    r = fastscan_cli(f"plot {fig1} --var max_size --x sigma --sel alpha=1 --out {out}")
    assert r.returncode == 0, r.stderr
    img = mpimg.imread(out)
    assert img.shape[0] > 200 and img.shape[1] > 400 and img.std() > 0.01
    for ext in ("svg", "pdf"):
        out = tmp_path / f"phase.{ext}"
        r = fastscan_cli(
            f"plot {fig1} --var max_size --x sigma --y alpha --sel notion=robust --out {out}"
        )
        assert r.returncode == 0, r.stderr
        assert out.stat().st_size > 1000


@pytest.mark.parametrize(
    "args, word",
    [
        (["--var", "max_size", "--x", "sigma", "--out", "OUT.png"], "fix the others"),
        (["--var", "max_size", "--x", "sigma", "--sel", "alpha=1", "--out", "OUT.gif"], ".png"),
        (["--var", "max_size", "--x", "gamma", "--sel", "alpha=1", "--out", "OUT.png"], "gamma"),
        (
            [
                "--var",
                "max_size",
                "--x",
                "sigma",
                "--sel",
                "alpha=1",
                "--out",
                "/nonexistent/dir/f.png",
            ],
            "does not exist",
        ),
    ],
)
def test_plot_errors(fig1, tmp_path, args, word):
    args = [a.replace("OUT", str(tmp_path / "p")) for a in args]
    r = fastscan_cli(f"plot {fig1} {shlex.join(args)}")
    assert r.returncode == 2 and r.stderr.count("\n") == 1 and word in r.stderr
