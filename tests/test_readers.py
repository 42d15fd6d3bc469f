"""Readers and outputs (issue 19, section 6): each test runs the user's command line."""

from __future__ import annotations

import json
import time

import numpy as np
import pytest
from helpers import fastscan_cli

from fastscan.cube import open_cube

FIG1 = "2.2e-4,5.4e-4,7e-4,11e-4,30e-4,33e-4,34e-4,36e-4,38e-4"
# sigma values that agree to 6 significant digits (0.359826) but are three grid points
SIGMAS = (0.359826, 0.35982600001, 0.35982600002)
NASH = "--sel notion=nash --sel profile=#0"
ONE = f"--sel alpha=0 {NASH}"  # a line along sigma


def ok(command: str):
    r = fastscan_cli(command)
    assert r.returncode == 0, r.stderr
    return r


@pytest.fixture(scope="module")
def close_sigmas(tmp_path_factory):
    out = tmp_path_factory.mktemp("readers") / "close.zarr"
    sigma = ",".join(map(repr, SIGMAS))
    ok(f"scan --costs {FIG1} --alpha 0,0.5 --sigma {sigma} --out {out} --quiet")
    return out


# --- 1. full precision -----------------------------------------------------------------------
def test_csv_keeps_every_digit(close_sigmas):
    r = ok(f"query {close_sigmas} --var opt_social_cost {ONE} --format csv")
    lines = r.stdout.strip().splitlines()
    assert lines[0] == "sigma,opt_social_cost"
    got = [tuple(float(x) for x in line.split(",")) for line in lines[1:]]
    ds = open_cube(close_sigmas)
    want = ds.opt_social_cost.sel(alpha=0.0, notion="nash").isel(profile=0).values
    # every row reads back to the very number stored: coordinates and values
    assert [s for s, _ in got] == list(SIGMAS)
    assert [v for _, v in got] == want.tolist()
    assert [line.split(",")[0] for line in lines[1:]] == [repr(s) for s in SIGMAS]


def test_table_keeps_every_digit_and_its_columns(close_sigmas):
    r = ok(f"query {close_sigmas} --var opt_social_cost {ONE}")
    lines = r.stdout.splitlines()
    assert lines[0].split() == ["sigma", "opt_social_cost"]
    rows = [line.split() for line in lines[1:]]
    assert [row[0] for row in rows] == [repr(s) for s in SIGMAS]
    ds = open_cube(close_sigmas)
    want = ds.opt_social_cost.sel(alpha=0.0, notion="nash").isel(profile=0).values
    assert [float(row[1]) for row in rows] == want.tolist()
    assert len({len(line) for line in lines}) == 1  # aligned columns


def test_json_keeps_every_digit(close_sigmas):
    r = ok(f"query {close_sigmas} --var opt_social_cost {ONE} --format json")
    d = json.loads(r.stdout)
    assert d["coords"]["sigma"]["data"] == list(SIGMAS)
    ds = open_cube(close_sigmas)
    want = ds.opt_social_cost.sel(alpha=0.0, notion="nash").isel(profile=0).values
    assert d["data"] == want.tolist()


def test_selection_by_value_names_the_value_picked_in_full(close_sigmas):
    r = ok(f"query {close_sigmas} --var max_size --sel sigma=0.35982600002 {NASH}")
    assert f"sigma={SIGMAS[2]!r}" in r.stderr, r.stderr
    r = ok(f"query {close_sigmas} --var max_size --sel sigma=0.359826000021 {NASH} --format csv")
    assert f"sigma={SIGMAS[2]!r}" in r.stderr, r.stderr  # the nearest, exactly as stored
    r = fastscan_cli(f"query {close_sigmas} --var max_size --sel sigma=0.36 {NASH}")
    assert r.returncode == 2
    assert f"outside the cube's range [{SIGMAS[0]!r}, {SIGMAS[2]!r}]" in r.stderr, r.stderr


# --- 3. check --cube: a sample unless asked, and its progress ---------------------------------
@pytest.fixture(scope="module")
def cells_121(tmp_path_factory):
    out = tmp_path_factory.mktemp("readers") / "c121.zarr"
    ok(f"scan --costs {FIG1} --alpha 0:1:11 --sigma 0.1:1:11 --out {out} --quiet")
    return out


def test_check_cube_checks_100_cells_by_default(cells_121):
    start = time.monotonic()
    r = fastscan_cli(f"check --cube {cells_121}")
    assert r.returncode in (0, 1), r.stderr
    assert f"over 100 of the 121 cells of {cells_121}, evenly spread" in r.stdout
    assert "--profiles N for more" in r.stdout
    assert time.monotonic() - start < 60
    assert r.stderr == ""  # a quick check prints no progress
    r = fastscan_cli(f"check --cube {cells_121} --profiles 500 --claims claim5")
    assert f"over all 121 cells of {cells_121}" in r.stdout, r.stdout


def test_check_help_tells_the_default(cells_121):
    r = ok("check --help")
    assert "with --cube: at most this many cells" in " ".join(r.stdout.split())


def test_long_check_shows_progress(cells_121, monkeypatch):
    from fastscan.datasharing import check

    monkeypatch.setattr(check, "PROGRESS_EVERY", 0.0)  # as if each instance took seconds
    r = fastscan_cli(f"check --cube {cells_121} --profiles 30 --claims claim5")
    lines = r.stderr.splitlines()
    assert lines and all(line.startswith("fastscan: ") for line in lines), r.stderr
    assert " instances (" in lines[0] and lines[-1].startswith("fastscan: 30/30 instances")


# --- 2. an unfinished cube read with plain xarray ---------------------------------------------
def test_plain_xarray_tells_unwritten_cells_by_the_documented_mask(tmp_path):
    """Booleans have no value left to mean "not computed": an unwritten central_ir or
    grand_stable reads False. The README's mask (central_size >= 0 per cell, stable_count >= 0
    per notion) marks exactly the cells written."""
    import shutil

    import xarray as xr

    from fastscan.cube import run_to_store
    from fastscan.datasharing import profiles
    from fastscan.datasharing.plan import build as build_plan
    from fastscan.store import Store

    plan = build_plan(profiles.explicit([1e-3, 2e-3, 4e-3]), [0.0, 1.0], np.linspace(0.1, 3, 6))
    store = Store(str(tmp_path / "p.zarr"))
    run_to_store(plan.with_chunks((1, 1, 6)), store, "new")
    # as if the scan had stopped before writing the chunk profile 0, alpha 1
    ds = xr.open_zarr(store.url)
    for name, var in ds.data_vars.items():
        if var.dims[:3] == ("profile", "alpha", "sigma"):
            shutil.rmtree(tmp_path / "p.zarr" / name / "c" / "0" / "1")
    store.unmark(["p0-a1-s0"])

    ds = xr.open_zarr(store.url)  # plain xarray: no fastscan involved
    unwritten = xr.zeros_like(ds.central_size, dtype=bool)
    unwritten[0, 1, :] = True
    assert bool(ds.grand_stable[0, 1].any()) is False  # indistinguishable from "not stable"
    assert bool(ds.grand_stable.where(~unwritten).any())  # ...though the cube has stable ones
    computed = ds.central_size >= 0
    assert (computed == ~unwritten).all()
    per_notion = ds.stable_count >= 0
    assert (per_notion == ~unwritten).all()
    # fastscan itself masks by its markers: the same cells missing
    masked = open_cube(store.url, allow_incomplete=True)
    assert (masked.central_ir.isnull() == unwritten).all()
