"""What a new user hit (issue 9): each test runs the user's command line and checks the answer."""

from __future__ import annotations

import json
import os
import shlex
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
import xarray as xr
from helpers import fastscan_cli, spawn

import fastscan

FIG1 = "2.2e-4,5.4e-4,7e-4,11e-4,30e-4,33e-4,34e-4,36e-4,38e-4"


def ok(command: str, **kw):
    r = fastscan_cli(command, **kw)
    assert r.returncode == 0, r.stderr
    return r


def refused(command: str, *words: str, **kw):
    """Exit 2 with one line on stderr naming what was wrong, and no traceback."""
    r = fastscan_cli(command, **kw)
    assert r.returncode == 2, (r.returncode, r.stderr)
    assert r.stderr.count("\n") == 1 and "Traceback" not in r.stderr, r.stderr
    for w in words:
        assert w in r.stderr, r.stderr
    return r


def load(path) -> dict[str, np.ndarray]:
    ds = xr.open_zarr(path)
    return {k: ds[k].values for k in ds.data_vars}


def same_values(a: dict, b: dict) -> None:
    assert a.keys() == b.keys()
    for k in a:
        assert a[k].dtype == b[k].dtype and np.array_equal(a[k], b[k], equal_nan=True), k


def _cube(factory, name: str, args: str):
    out = factory.mktemp(name) / f"{name}.zarr"
    ok(f"scan {args} --out {out} --quiet")
    return out


@pytest.fixture(scope="module")
def geometric(tmp_path_factory):
    args = "--family geometric --n 4:8:5 --cost 1e-4 --ratio 2,3 --sets downward"
    return _cube(tmp_path_factory, "g", args + " --alpha -1:1:5 --sigma 0.05:1:12")


@pytest.fixture(scope="module")
def uniform(tmp_path_factory):
    args = "--family uniform --n 4,5 --low 1e-4 --high 1e-2 --seed 0:9:10"
    return _cube(tmp_path_factory, "u", args + " --alpha -1:1:3 --sigma 0.1:1:6")


# --- 1. selections ---------------------------------------------------------------------------
@pytest.mark.parametrize("order", [("ratio=3", "n=6"), ("n=6", "ratio=3")])
def test_two_profile_selections_in_any_order(geometric, order):
    sel = " ".join(f"--sel {s}" for s in order)
    r = ok(f"query {geometric} --var n_players {sel} --format json")
    assert json.loads(r.stdout)["data"] == 6
    r = ok(f"query {geometric} --var costs {sel} --sel player=#5 --format json")
    assert json.loads(r.stdout)["data"] == pytest.approx(1e-4 * 3**5)


def test_profile_selection_with_dims_and_many_matches(uniform):
    r = ok(f"query {uniform} --var n_players --sel n=5 --sel seed=7 --format json")
    assert json.loads(r.stdout)["data"] == 5
    r = ok(f"query {uniform} --var costs --sel n=5 --sel player=#4 --sel seed=2 --format json")
    assert json.loads(r.stdout)["data"] == pytest.approx(
        np.random.default_rng(2).uniform(1e-4, 1e-2, 5)[4]
    )
    r = ok(f"query {uniform} --var max_size --sel alpha=1 --sel n=5 --sel sigma=#0 --format csv")
    rows = r.stdout.strip().splitlines()[1:]
    assert len(rows) == 10 * 2  # ten profiles of n = 5, two notions
    ds = xr.open_zarr(uniform)
    r = ok(f"query {uniform} --var max_size --sel seed=3 --sel n=4 --sel alpha=0 --format json")
    p = int(np.flatnonzero((ds.seed.values == 3) & (ds.n.values == 4))[0])
    want = ds.max_size.isel(profile=p).sel(alpha=0.0).values.tolist()
    assert json.loads(r.stdout)["data"] == want


@pytest.mark.parametrize("value", ["nan", "inf"])
def test_selection_needs_a_finite_number(uniform, value):
    refused(f"query {uniform} --var max_size --sel alpha={value}", "finite number")


# --- 2. incomplete and damaged cubes ---------------------------------------------------------
@pytest.fixture
def fig1_cube(tmp_path):
    out = tmp_path / "c.zarr"
    ok(f"scan --costs {FIG1} --alpha -1:1:9 --sigma 0.05:1:40 --out {out} --quiet")
    return out


@pytest.mark.slow
def test_missing_chunk_file_is_seen_and_recomputed(fig1_cube):
    before = load(fig1_cube)
    os.remove(fig1_cube / "max_size" / "c" / "0" / "0" / "0" / "0")
    info = ok(f"info {fig1_cube}")
    assert "incomplete" in info.stdout and "max_size" in info.stdout
    refused(f"query {fig1_cube} --var max_size --reduce mean:sigma", "incomplete", "--resume")
    r = ok(f"query {fig1_cube} --var max_size --allow-incomplete --sel notion=nash --format csv")
    values = [row.rsplit(",", 1)[1] for row in r.stdout.splitlines()[1:]]
    assert values and set(values) == {"nan"}  # missing, never the fill value -1
    ok(f"scan --costs {FIG1} --alpha -1:1:9 --sigma 0.05:1:40 --out {fig1_cube} --resume --quiet")
    same_values(load(fig1_cube), before)
    assert "complete" in ok(f"info {fig1_cube} --verify").stdout


@pytest.mark.slow
def test_truncated_chunk_is_found_by_verify_and_repaired(fig1_cube):
    before = load(fig1_cube)
    chunk = fig1_cube / "opt_social_cost" / "c" / "0" / "0" / "0" / "0"
    chunk.write_bytes(chunk.read_bytes()[:10])
    r = fastscan_cli(f"info {fig1_cube} --verify")
    assert r.returncode == 1 and "damaged" in r.stdout and "opt_social_cost" in r.stdout
    refused(f"query {fig1_cube} --var opt_social_cost --reduce mean:sigma", "damaged")
    ok(f"scan --costs {FIG1} --alpha -1:1:9 --sigma 0.05:1:40 --out {fig1_cube} --resume --quiet")
    same_values(load(fig1_cube), before)


@pytest.mark.slow
def test_unfinished_chunks_read_as_missing(tmp_path):
    from fastscan.cube import run_to_store
    from fastscan.datasharing import profiles
    from fastscan.datasharing.plan import build as build_plan
    from fastscan.store import Store

    plan = build_plan(profiles.explicit([1e-3, 2e-3, 4e-3]), [0.0, 1.0], np.linspace(0.1, 1, 6))
    plan = plan.with_chunks((1, 1, 6))
    store = Store(str(tmp_path / "p.zarr"))
    run_to_store(plan, store, "new")
    store.unmark(["p0-a1-s0"])  # as if the scan had died before finishing alpha = 1
    refused(f"query {store.url} --var exists", "incomplete")
    r = ok(f"query {store.url} --var exists --allow-incomplete --sel notion=robust --format json")
    data = json.loads(r.stdout)["data"][0]  # profile 0: alpha x sigma
    assert None not in data[0] and data[1] == [None] * 6
    r = ok(f"query {store.url} --var exists --allow-incomplete --reduce mean:sigma --format json")
    assert json.loads(r.stdout)["data"][0][1] == [None, None]  # alpha = 1: unknown, not "none"
    r = ok(f"query {store.url} --var max_size --allow-incomplete --reduce mean:sigma --format json")
    assert json.loads(r.stdout)["data"][0][1] == [None, None]


# --- 3. creation is atomic, overwrite keeps the old cube until the new one is in place -------
def test_failed_creation_leaves_nothing(tmp_path, monkeypatch):
    from fastscan import layout, store
    from fastscan.cube import run_to_store
    from fastscan.datasharing import profiles
    from fastscan.datasharing.plan import build as build_plan

    def broken(*args):
        raise OSError("disk full")

    plan = build_plan(profiles.explicit([1e-3, 2e-3, 4e-3]), [0.0], [0.5])
    monkeypatch.setattr(layout, "write", broken)
    with pytest.raises(OSError):
        run_to_store(plan, store.Store(str(tmp_path / "n.zarr")), "new")
    assert os.listdir(tmp_path) == []


def test_kill_between_overwrite_renames_keeps_the_old_cube(fig1_cube):
    before = load(fig1_cube)
    aside = fig1_cube.parent / f".{fig1_cube.name}.fastscan-old-99999999-abcd1234"
    os.rename(fig1_cube, aside)  # the overwrite died after moving the old cube aside
    half = fig1_cube.parent / f".{fig1_cube.name}.fastscan-new-99999999-abcd1234"
    half.mkdir()  # and a half-made new cube of the dead process
    ok(f"scan --costs {FIG1} --alpha -1:1:9 --sigma 0.05:1:40 --out {fig1_cube} --resume --quiet")
    same_values(load(fig1_cube), before)
    assert sorted(p.name for p in fig1_cube.parent.iterdir()) == [fig1_cube.name]


def test_overwrite_of_a_partial_cube_counts_every_chunk(tmp_path):
    out = tmp_path / "two.zarr"
    cmd = f"scan --costs 1e-3,2e-3,4e-3,8e-3 --alpha -1:1:101 --sigma 0.05:1:4096 --out {out}"
    ok(cmd + " --quiet")
    markers = sorted((out / ".fastscan" / "done").iterdir())
    assert len(markers) == 2  # two chunks of alpha
    markers[0].unlink()  # a partial cube: one chunk left to do
    r = ok(cmd + " --overwrite")
    assert "2/2 chunks" in r.stderr and "1/1 chunks" not in r.stderr  # the new cube's chunks
    assert sorted(p.name for p in tmp_path.iterdir()) == [out.name]
    assert len(list((out / ".fastscan" / "done").iterdir())) == 2


@pytest.mark.slow
def test_kill_while_creating_then_resume(tmp_path):
    """SIGKILL at random moments of a scan that creates a cube: --resume always finishes it."""
    out = tmp_path / "k.zarr"
    cmd = (
        "scan --family uniform --n 8 --low 1e-4 --high 1e-2 --seed 0:59:60 --alpha -1:1:9 "
        f"--sigma 0.02:1:50 --out {out}"
    )
    for delay in (0.6, 1.2, 2.0, 3.0):
        p = spawn(cmd + " --overwrite", stderr=subprocess.DEVNULL)
        time.sleep(delay)
        p.send_signal(signal.SIGKILL)
        p.wait()
        if out.exists():  # never half-created: --resume always finishes it
            ok(cmd + " --resume --quiet")
            assert "complete" in ok(f"info {out}").stdout
    fresh = tmp_path / "fresh.zarr"
    ok(cmd.replace(str(out), str(fresh)) + " --quiet")
    assert out.exists()
    same_values(load(out), load(fresh))
    assert sorted(x.name for x in tmp_path.iterdir()) == ["fresh.zarr", "k.zarr"]


# --- 7. no hangs: refused with the range where results are exact ----------------------------
@pytest.mark.parametrize(
    "command, words",
    [
        ("intervals --costs 5e-324,5e-324 --alpha 0", ["--costs", "1e-100"]),
        ("intervals --costs 1e-3,2e-3 --alpha -2000", ["alpha must be within"]),
        ("coalitions --costs 1e-3,2e-3,3e-3 --alpha 700 --sigma 1e150", ["alpha"]),
    ],
)
def test_extreme_inputs_refused_not_hung(command, words):
    refused(command, *words, timeout=60)


def test_zero_threshold_has_preimage_zero():
    from fastscan.kernels.datasharing.exact import sigma_first

    assert [sigma_first(t, 0.0) for t in (0.0, -1.0, np.inf)] == [0.0, 0.0, np.inf]
    with pytest.raises(ValueError, match="costs"):
        fastscan.stability_interval([5e-324, 5e-324], 0, (0, 1))


# --- 8. the README's xarray lines, verbatim ---------------------------------------------------
def _readme_block(marker: str) -> str:
    text = open(os.path.join(os.path.dirname(__file__), "..", "README.md")).read()
    blocks = text.split("```")
    return next(b for b in blocks[1::2] if marker in b).split("\n", 1)[1]


def test_readme_family_lines_work_on_plain_open_zarr(tmp_path):
    shell = _readme_block("fastscan scan --family geometric --n 4:20:17")
    command = next(line for line in shell.splitlines() if "--family geometric" in line)
    ok(command.split("#")[0].replace("fastscan ", "", 1) + " --quiet", cwd=tmp_path)
    code = _readme_block('xr.open_zarr("g.zarr")')
    scope: dict = {}
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        exec(code, scope)
    finally:
        os.chdir(cwd)
    assert set(scope["by_n"].n.values) == set(range(4, 21))
    assert (scope["ratio2"].ratio.values == 2).all()


# --- 9. every variable plots; notion and family parameters as axes ----------------------------
@pytest.mark.parametrize(
    "args",
    [
        "--var central_size --x sigma --sel alpha=1",
        "--var max_size --x notion --sel alpha=1 --sel sigma=0.5",
        "--var n_players --x profile",
    ],
)
def test_plots_of_any_variable(fig1_cube, tmp_path, args):
    import matplotlib.image as mpimg

    out = tmp_path / "p.png"
    ok(f"plot {fig1_cube} {args} --out {out}")
    assert mpimg.imread(out).shape[0] > 100


def test_family_parameter_as_axis(geometric, tmp_path):
    import matplotlib.image as mpimg

    out = tmp_path / "n.png"
    ok(
        f"plot {geometric} --var max_size --x n --sel ratio=2 --sel alpha=1 --sel sigma=0.5 "
        f"--out {out}"
    )
    assert mpimg.imread(out).shape[0] > 100
    refused(
        f"plot {geometric} --var max_size --x n --sel alpha=1 --sel sigma=0.5 --out {out}",
        "ratio",
    )


# --- 10, 11. one line, exit 2, nothing written ------------------------------------------------
@pytest.mark.parametrize(
    "command, words",
    [
        ("scan --costs 1e-3,2e-3 --sigma 0.1:1:100000000000 --out OUT", ["--sigma", "NUM"]),
        ("scan --family identical --n 1e10 --cost 1e-3 --out OUT", ["--family identical", "GiB"]),
        ("scan --costs 1e-3,2e-3 --out /", ["not a store location"]),
        # no credentials here (s3fs is a test extra): one line naming the store
        ("scan --costs 1e-3,2e-3 --out s3://bucket/c.zarr", ["s3://bucket/c.zarr"]),
        ("scan --costs 1e-3,-1e-3 --out OUT", ["--costs must be finite", "-0.001"]),
        ("scan --costs 1e-3,2e-3 --alpha 0 --sigma 0.5 --out memory://x.zarr", ["memory://"]),
        ("scan --family uniform --n 4 --low 1e-4 --high 1e-2 --seed 1e30 --out OUT", ["--seed"]),
        (
            "scan --family uniform --n 4 --low 1e-2 --high 1e-4 --seed 1 --out OUT",
            ["--low", "--high"],
        ),
        (
            "scan --family geometric --n 400 --cost 1 --ratio 10 --sets downward --out OUT",
            ["ratio=10"],
        ),
        ("scan --costs-file MISSING --out OUT", ["does not exist"]),
        ("info MISSING", ["does not exist"]),
        ("info FILE", ["is a file"]),
    ],
)
def test_bad_input_one_line(tmp_path, command, words):
    (tmp_path / "file.txt").write_text("not a cube")
    command = (
        command.replace("OUT", str(tmp_path / "o.zarr"))
        .replace("MISSING", str(tmp_path / "missing.csv"))
        .replace("FILE", str(tmp_path / "file.txt"))
    )
    refused(command, *words)
    assert not (tmp_path / "o.zarr").exists()
    assert not os.path.exists("/.fastscan")


def test_bad_cost_files(tmp_path):
    np.save(tmp_path / "zero.npy", np.array(1e-3))
    np.save(tmp_path / "cube.npy", np.ones((2, 2, 2)) * 1e-3)
    (tmp_path / "gap.csv").write_text("1e-3,,3e-3\n")
    (tmp_path / "ragged.csv").write_text("1e-3,2e-3,\n1e-3,2e-3,3e-3\n")
    for name, words in (
        ("zero.npy", "shape ()"),
        ("cube.npy", "shape (2, 2, 2)"),
        ("gap.csv", "empty field"),
    ):
        refused(f"scan --costs-file {tmp_path / name} --out {tmp_path / 'o.zarr'}", words)
    ok(
        f"scan --costs-file {tmp_path / 'ragged.csv'} --alpha 0 --sigma 0.5 "
        f"--out {tmp_path / 'r.zarr'} --quiet"
    )
    assert xr.open_zarr(tmp_path / "r.zarr").n_players.values.tolist() == [2, 3]


def test_folder_of_user_files_is_refused(tmp_path):
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.txt").write_text("keep me")
    refused(f"scan --costs 1e-3,2e-3 --out {tmp_path / 'mine'}", "folder of other files")
    assert os.listdir(tmp_path / "mine") == ["notes.txt"]


def test_read_only_store(tmp_path, monkeypatch):
    """--resume and --overwrite of a store the user may not write: one line, nothing touched.
    Root writes through permissions, so as root the folders are made immutable instead."""
    cube = tmp_path / "c.zarr"
    ok(f"scan --costs 1e-3,2e-3,4e-3 --alpha 0 --sigma 0.5 --out {cube} --quiet")
    folders = [tmp_path, cube] + [p for p in cube.rglob("*") if p.is_dir()]
    immutable = (
        shutil.which("chattr") is not None
        and subprocess.run(["chattr", "-i", str(tmp_path)], capture_output=True).returncode == 0
    )
    if os.geteuid() == 0 and not immutable:
        # root on a file system without immutable folders: the same check, in this process
        from fastscan.store import Store

        real = os.access
        monkeypatch.setattr(
            os, "access", lambda p, m: real(p, m) and tmp_path not in Path(p).parents
        )
        for mode in ("resume", "overwrite"):
            with pytest.raises(ValueError, match="not writable"):
                Store(str(cube)).check_target(mode)
        return

    def lock(on: bool) -> None:
        for folder in folders:
            if os.geteuid() == 0:
                subprocess.run(["chattr", "+i" if on else "-i", str(folder)], check=True)
            else:
                os.chmod(folder, 0o555 if on else 0o755)

    lock(True)
    try:
        for mode in ("--resume", "--overwrite"):
            refused(
                f"scan --costs 1e-3,2e-3,4e-3 --alpha 0 --sigma 0.5 --out {cube} {mode}",
                "not writable",
            )
    finally:
        lock(False)
    assert xr.open_zarr(cube).stable_count.size == 2


def test_python_api_refuses_misread_input():
    with pytest.raises(ValueError, match="alpha must be one number"):
        fastscan.stable_coalitions([1e-3, 2e-3], [0.0, 1.0], 0.5)
    with pytest.raises(ValueError, match="whole-number"):
        fastscan.stability_interval([1e-3, 2e-3, 3e-3], 0.0, (0, 1.5))
    with pytest.raises(ValueError, match="threads must be"):
        fastscan.scan([1e-3, 2e-3], 0.0, 0.5, threads=-1)
    with pytest.raises(ValueError, match="nan at position 2"):
        fastscan.stable_coalitions([1e-3, 2e-3, np.nan], 0.0, 0.5)


# --- 12. the smaller things -------------------------------------------------------------------
def test_resume_command_is_shell_quoted_and_attrs_have_provenance(tmp_path):
    out = tmp_path / "with space.zarr"
    cmd = f"scan --costs {FIG1} --alpha 0,1 --sigma 0.1:1:5 --out {shlex.quote(str(out))}"
    ok(cmd + " --quiet")
    attrs = xr.open_zarr(out).attrs
    assert shlex.split(attrs["command"])[1:] == shlex.split(cmd + " --quiet")
    assert {"numpy", "numba", "xarray", "zarr", "python"} <= set(json.loads(attrs["versions"]))
    # the same costs through a file: the content matches, so the resume is accepted
    (tmp_path / "c.csv").write_text(FIG1 + "\n")
    r = ok(
        f"scan --costs-file {tmp_path / 'c.csv'} --alpha 0,1 --sigma 0.1:1:5 "
        f"--out {shlex.quote(str(out))} --resume"
    )
    assert "nothing to do" in r.stderr


def test_corrupt_lock_says_how_to_clear_it(fig1_cube):
    (fig1_cube / ".fastscan" / "lock").write_text("{broken")
    refused(
        f"scan --costs {FIG1} --alpha -1:1:9 --sigma 0.05:1:40 --out {fig1_cube} --overwrite",
        "delete",
    )
    (fig1_cube / ".fastscan" / "lock").write_text(json.dumps({"host": "elsewhere", "pid": 1}))
    refused(
        f"scan --costs {FIG1} --alpha -1:1:9 --sigma 0.05:1:40 --out {fig1_cube} --overwrite",
        "elsewhere",
        "delete",
    )


def test_early_ctrl_c_prints_no_click_abort(tmp_path):
    """Ctrl-C while the plan is being made (before any cube exists): one message, exit 130."""
    cmd = f"scan --costs {FIG1} --alpha -1:1:2001 --sigma 0.05:1:4000 --out {tmp_path / 'x.zarr'}"
    p = spawn(cmd, stderr=subprocess.PIPE, text=True)
    first = p.stderr.readline()  # the plan's first line: calibration and creation follow
    p.send_signal(signal.SIGINT)
    err = first + p.communicate(timeout=120)[1]
    assert first.startswith("plan:")
    assert p.returncode == 130, err
    assert "interrupted" in err and "Aborted!" not in err and "Traceback" not in err


def test_demo_counts_its_coalitions(tmp_path):
    r = ok("scan", cwd=tmp_path)
    assert "502 coalitions" in r.stdout and sys.executable in r.stdout


# --- 5, 6. many profiles in one kernel call; intervals over all subsets at n = 22 ------------
def test_batched_chunks_equal_profile_by_profile():
    from fastscan.datasharing.compute import Profile, SigmaGrid, compute_batch, compute_profile

    rng = np.random.default_rng(5)
    rows = [rng.uniform(1e-4, 1e-2, n) for n in (2, 3, 7, 9, 12)]
    rows[2][3] = rows[2][5]  # a tie
    costs = np.full((len(rows), 12), np.nan)
    for i, r in enumerate(rows):
        costs[i, : r.size] = r
    alpha, grid = np.linspace(-1, 1, 5), SigmaGrid.from_sigma(np.linspace(0.05, 1, 33))
    batch = compute_batch(costs, np.array([r.size for r in rows]), alpha, grid)
    for i, r in enumerate(rows):
        one = compute_profile(Profile.from_costs(r), alpha, grid, "all")
        for k, v in one.items():
            assert np.array_equal(batch[k][i], v, equal_nan=True), k


def test_plan_counts_blocks_without_listing_chunks():
    from fastscan.datasharing import profiles
    from fastscan.datasharing.plan import build as build_plan

    for costs in ([1e-3] * 23, [1e-3] * 8):
        plan = build_plan(profiles.explicit(costs), np.linspace(-1, 1, 40), np.linspace(0.1, 1, 9))
        chunks = plan.chunk_list()
        assert plan.n_chunks == len(chunks)
        assert plan.n_blocks == sum(plan.blocks(c) for c in chunks)


@pytest.mark.slow
def test_intervals_at_n22_exact_or_refused_with_why():
    costs = np.random.default_rng(0).uniform(1e-4, 1e-2, 22)
    text = ",".join(repr(float(c)) for c in costs)
    r = ok(f"intervals --costs {text} --alpha 1 --notion nash --format json")
    ranges = json.loads(r.stdout)
    assert ranges[0]["low"] == 0 and ranges[-1]["high"] is None
    for a, b in zip(ranges, ranges[1:], strict=False):
        assert a["high"] == b["low"]
    for rg in ranges[1:-1:3]:
        mid = (rg["low"] + rg["high"]) / 2
        found = fastscan.stable_coalitions(costs, 1.0, mid, notion="nash")
        assert [list(c) for c in found] == rg["coalitions"]
    refused(f"intervals --costs {text} --alpha 1 --notion robust", "ranges", "sets='downward'")


# --- 4. compiled kernels cached by default; processes compiling at once: test_compile_once.py ---


def test_empty_folder_made_for_the_cube_is_used(tmp_path):
    (tmp_path / "c.zarr").mkdir()
    ok(f"scan --costs 1e-3,2e-3 --alpha 0 --sigma 0.5 --out {tmp_path / 'c.zarr'} --quiet")
    assert "complete" in ok(f"info {tmp_path / 'c.zarr'}").stdout
