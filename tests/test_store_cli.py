"""fastscan scan / info: the cube on disk, resume after a crash, refusals, bad options, clusters."""

from __future__ import annotations

import os
import shlex
import signal
import subprocess
import time

import numpy as np
import pytest
import xarray as xr
from helpers import fastscan_cli, spawn

import fastscan
from fastscan.cube import run_to_store
from fastscan.datasharing import profiles
from fastscan.datasharing.plan import build as build_plan
from fastscan.store import Store


def same(a: xr.Dataset, b: xr.Dataset) -> None:
    assert set(a.data_vars) == set(b.data_vars)
    for k in a.data_vars:
        x, y = a[k].values, b[k].values
        assert x.dtype == y.dtype, k
        assert np.array_equal(x, y, equal_nan=x.dtype.kind == "f"), k


def test_cli_cube_equals_in_memory_scan(tmp_path):
    out = tmp_path / "c.zarr"
    r = fastscan_cli(
        "scan --costs 3e-3,1e-3,2e-3,5e-3,4e-4 --alpha -1:1:9 --sigma 0.05,0.2,0.5,1 "
        f"--out {out} --quiet"
    )
    assert r.returncode == 0, r.stderr
    disk = xr.open_zarr(out).load()
    mem = fastscan.scan(
        [3e-3, 1e-3, 2e-3, 5e-3, 4e-4], np.linspace(-1, 1, 9), [0.05, 0.2, 0.5, 1.0]
    )
    same(disk, mem)
    assert disk.sigma.values.tolist() == [0.05, 0.2, 0.5, 1.0]
    assert "fastscan_config" in disk.attrs and "created" in disk.attrs
    assert disk.attrs["sets"] == "all" and "Bassily" in disk.attrs["paper"]
    info = fastscan_cli(f"info {out}")
    assert info.returncode == 0 and "1 of 1 chunks done (complete)" in info.stdout


@pytest.mark.parametrize(
    ("grid", "words"),
    [
        ("--sigma 0.05,0.5,0.2,1", ("--sigma", "ascending")),
        ("--sigma 0.5:0.05:4", ("--sigma", "ascending")),
        ("--alpha 0,1,1", ("--alpha", "1.0", "twice")),
        ("--sigma 0.2,0.2", ("--sigma", "twice")),
    ],
)
def test_grids_with_repeated_or_unordered_values_are_refused(tmp_path, grid, words):
    out = tmp_path / "c.zarr"
    base = {"--alpha": "--alpha 0", "--sigma": "--sigma 0.5"}
    other = next(v for k, v in base.items() if not grid.startswith(k))
    r = fastscan_cli(f"scan --costs 1e-3,2e-3 {other} {grid} --out {out}")
    assert r.returncode == 2 and len(r.stderr.strip().splitlines()) == 1, r.stderr
    assert all(w in r.stderr for w in words), r.stderr
    assert not out.exists()


def test_family_coordinates_and_downward(tmp_path):
    out = tmp_path / "g.zarr"
    r = fastscan_cli(
        "scan --family geometric --n 4:6:3 --cost 1e-4 --ratio 2,3 --sets downward "
        f"--alpha 0,1 --sigma 0.1:1:5 --out {out} --quiet"
    )
    assert r.returncode == 0, r.stderr
    ds = xr.open_zarr(out).load()
    assert ds.sizes["profile"] == 6
    assert ds.n.values.tolist() == [4, 4, 5, 5, 6, 6]
    assert ds.ratio.values.tolist() == [2.0, 3.0] * 3
    assert ds.where(ds.ratio == 3, drop=True).sizes["profile"] == 3
    row = ds.costs.values[5]
    np.testing.assert_allclose(row[:6], 1e-4 * 3.0 ** np.arange(6))
    ref = fastscan.scan(row[:6], [0.0, 1.0], np.linspace(0.1, 1, 5), sets="downward")
    np.testing.assert_array_equal(ds.stable_count.values[5], ref.stable_count.values[0])


def test_uniform_family_is_reproducible():
    a = profiles.from_family("uniform", {"n": "8", "low": "1e-4", "high": "1e-2", "seed": "3"})
    b = profiles.from_family("uniform", {"n": "8", "low": "1e-4", "high": "1e-2", "seed": "0:5:6"})
    np.testing.assert_array_equal(a.costs[0], b.costs[3])
    assert len(set(map(tuple, b.costs))) == 6


def test_costs_file_ragged_csv_and_npy(tmp_path):
    csv = tmp_path / "p.csv"
    csv.write_text("1e-3,2e-3,3e-3\n4e-3,1e-3\n")
    ps = profiles.from_file(str(csv))
    assert ps.costs.shape == (2, 3) and np.isnan(ps.costs[1, 2])
    npy = tmp_path / "p.npy"
    np.save(npy, ps.costs)
    np.testing.assert_array_equal(profiles.from_file(str(npy)).costs, ps.costs)
    out = tmp_path / "f.zarr"
    r = fastscan_cli(
        f"scan --costs-file {csv} --alpha 0 --sigma 0.3 --out {out} --quiet", fresh=True
    )
    assert r.returncode == 0, r.stderr
    assert xr.open_zarr(out).n_players.values.tolist() == [3, 2]


@pytest.mark.parametrize(
    "args, word",
    [
        (["--costs", "1e-3,x"], "--costs"),
        (["--costs", "1e-3,-2e-3"], "costs"),
        (["--costs", "1e-3,nan"], "costs"),
        (["--costs", "1e-3,2e-3", "--alpha", "0:1"], "--alpha"),
        (["--costs", "1e-3,2e-3", "--sigma", "0:1:0"], "--sigma"),
        (["--costs", "1e-3,2e-3", "--sigma", "0,1"], "sigma"),
        (["--family", "zipf", "--n", "3"], "--family"),
        (["--family", "uniform", "--n", "3", "--low", "1e-3", "--high", "1e-2"], "--seed"),
        (["--family", "identical", "--n", "3", "--cost", "1e-3", "--ratio", "2"], "--ratio"),
        (["--family", "identical", "--n", "2.5", "--cost", "1e-3"], "--n"),
        (["--costs-file", "/nonexistent/costs.csv"], "--costs-file"),
        (["--costs", "1e-3,2e-3", "--sets", "some"], "sets"),
        (["--costs", "1e-3,2e-3", "--scheduler", "tcp://127.0.0.1:9"], "--scheduler"),
        (["--costs", ",".join(["1e-3"] * 41)], "sets='downward'"),
    ],
)
def test_bad_options_exit_2_and_touch_nothing(tmp_path, args, word):
    out = tmp_path / "bad.zarr"
    r = fastscan_cli(f"scan {shlex.join(args)} --out {out} --quiet")
    assert r.returncode == 2, r.stderr
    assert r.stderr.count("\n") == 1 and "Traceback" not in r.stderr
    assert word in r.stderr
    assert not out.exists()


def test_usage_errors_are_one_line():
    r = fastscan_cli("scan --no-such-option")
    assert r.returncode == 2 and r.stderr.count("\n") == 1 and "--no-such-option" in r.stderr
    r = fastscan_cli("scan --alpha")
    assert r.returncode == 2 and r.stderr.count("\n") == 1 and "--alpha" in r.stderr


def test_unwritable_store_and_missing_out(tmp_path):
    r = fastscan_cli(f"scan --costs 1e-3,2e-3 --out {tmp_path}/no/such/c.zarr")
    assert r.returncode == 2 and "does not exist" in r.stderr
    r = fastscan_cli("scan --costs 1e-3,2e-3")
    assert r.returncode == 2 and "--out" in r.stderr


@pytest.mark.slow
def test_existing_store_refusals(tmp_path):
    out = tmp_path / "c.zarr"
    head = "scan --costs 1e-3,2e-3,3e-3 --alpha 0,1"
    base = f"{head} --sigma 0.1:1:4 --out {out} --quiet"
    assert fastscan_cli(base).returncode == 0
    stamp = {p: p.stat().st_mtime_ns for p in out.rglob("*")}
    r = fastscan_cli(base)
    assert r.returncode == 2 and "--resume" in r.stderr and "--overwrite" in r.stderr
    r = fastscan_cli(f"{head} --sigma 0.1:1:5 --out {out} --resume --quiet")
    assert r.returncode == 2 and "sigma" in r.stderr and "store has 4 values" in r.stderr
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*")} == stamp
    assert fastscan_cli(f"{base} --resume").returncode == 0  # nothing left: fine
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "zarr.json").write_text('{"zarr_format": 3, "node_type": "group"}')
    r = fastscan_cli(f"{head} --sigma 0.1:1:4 --out {tmp_path}/other --overwrite")
    assert r.returncode == 2 and "not a fastscan cube" in r.stderr
    r = fastscan_cli(f"{head} --sigma 0.1:1:5 --out {out} --overwrite --quiet")
    assert r.returncode == 0
    assert xr.open_zarr(out).sizes["sigma"] == 5


def test_second_writer_is_refused(tmp_path):
    out = tmp_path / "c.zarr"
    base = f"scan --costs 1e-3,2e-3,3e-3 --alpha 0 --sigma 0.3 --out {out} --quiet"
    assert fastscan_cli(base).returncode == 0
    for marker in (out / ".fastscan" / "done").iterdir():
        marker.unlink()  # unfinished again: a resume would write
    store = Store(str(out))
    store.acquire()  # this (live) process writes now
    try:
        r = fastscan_cli(f"{base} --resume", fresh=True)  # another process: refused
        assert r.returncode == 2 and "being written by another scan" in r.stderr
    finally:
        store.release()


def test_size_limit_needs_yes(tmp_path):
    out = tmp_path / "big.zarr"
    r = fastscan_cli(f"scan --costs 1e-3,2e-3 --alpha 0:1:4000 --sigma 0.1:1:4000 --out {out}")
    assert r.returncode == 2 and "--yes" in r.stderr and "plan:" in r.stderr
    assert not out.exists()


HEAVY = (
    "--family uniform --n 18 --low 1e-4 --high 1e-2 --seed 0:23:24 --alpha -1:1:33 "
    "--sigma 0.05:1:64"
)


def _kill_midway(out, sig):
    proc = spawn(
        f"scan {HEAVY} --out {out}", stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    done_dir = out / ".fastscan" / "done"
    deadline = time.time() + 120
    while time.time() < deadline and proc.poll() is None:
        if done_dir.exists() and len(os.listdir(done_dir)) >= 2:
            break
        time.sleep(0.02)
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=60)
    return proc.returncode, err


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGINT])
def test_resume_after_interruption_is_bitwise_identical(tmp_path, sig):
    out = tmp_path / "k.zarr"
    rc, err = _kill_midway(out, sig)
    total = len(
        build_plan(
            profiles.from_family(
                "uniform", {"n": "18", "low": "1e-4", "high": "1e-2", "seed": "0:23:24"}
            ),
            np.linspace(-1, 1, 33),
            np.linspace(0.05, 1, 64),
        ).chunk_list()
    )
    done = len(os.listdir(out / ".fastscan" / "done"))
    assert 0 < done < total, (done, total)
    if sig == signal.SIGINT:
        assert rc == 130 and "--resume" in err and "Traceback" not in err
    info = fastscan_cli(f"info {out}")
    assert "incomplete" in info.stdout
    r = fastscan_cli(f"scan {HEAVY} --out {out} --resume", fresh=True)
    assert r.returncode == 0, r.stderr
    assert f"{done} already done" in r.stderr
    ref = tmp_path / "ref.zarr"
    assert fastscan_cli(f"scan {HEAVY} --out {ref} --quiet").returncode == 0
    same(xr.open_zarr(out).load(), xr.open_zarr(ref).load())
    assert not (out / ".fastscan" / "lock").exists()


def test_blocks_resume_one_by_one(tmp_path):
    from fastscan.cube import CubeSink
    from fastscan.datasharing.plan import Split
    from fastscan.runner import block_task

    prof = profiles.explicit(np.array([3e-3, 1e-3, 2e-3, 5e-3, 4e-4, 7e-4, 9e-4]))
    plan = build_plan(prof, np.linspace(-1, 1, 5), np.linspace(0.05, 1, 16), split=Split(4))
    assert plan.blocks(plan.chunk_list()[0]) == 8
    store = Store(str(tmp_path / "b.zarr"))
    store.create(plan.layout())

    chunk = plan.chunk_list()[0]
    for b in (0, 3, 5):  # some blocks finished before a crash
        block_task(plan, chunk, b, CubeSink(store, plan))
    assert sorted(store.partials(chunk.name)) == [0, 3, 5]
    run_to_store(plan, store, "resume")
    assert store.partials(chunk.name) == {}
    same(
        xr.open_zarr(store.zarr_store()).load(),
        fastscan.scan(prof.costs[0], np.linspace(-1, 1, 5), np.linspace(0.05, 1, 16)),
    )


def test_memory_url_store():
    plan = build_plan(profiles.explicit([1e-3, 2e-3, 4e-3]), [0.0, 1.0], [0.1, 0.5])
    store = Store("memory://fastscan-test/cube.zarr")
    if store.fs.exists(store.root):
        store.fs.rm(store.root, recursive=True)
    run_to_store(plan, store, "new")
    ds = xr.open_zarr(store.zarr_store()).load()
    same(ds, fastscan.scan([1e-3, 2e-3, 4e-3], [0.0, 1.0], [0.1, 0.5]))


@pytest.mark.slow
def test_distributed_cluster_matches_threads(tmp_path):
    from distributed import Client, LocalCluster

    prof = profiles.from_family(
        "uniform", {"n": "9", "low": "1e-4", "high": "1e-2", "seed": "0:5:6"}
    )
    plan = build_plan(prof, np.linspace(-1, 1, 7), np.linspace(0.05, 1, 9), chunks=(2, 3, 4))
    threads = Store(str(tmp_path / "t.zarr"))
    run_to_store(plan, threads, "new")
    with (
        LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        Client(cluster) as client,
    ):
        cl = Store(str(tmp_path / "d.zarr"))
        run_to_store(plan, cl, "new", client=client)
        # the command line on the same cluster
        costs = ",".join(f"{c:.6g}" for c in prof.costs[0])
        out, address = tmp_path / "c.zarr", cluster.scheduler_address
        r = fastscan_cli(
            f"scan --costs {costs} --alpha -1:1:7 --sigma 0.05:1:9 --out {out} "
            f"--scheduler {address}"
        )
        assert r.returncode == 0, r.stderr
        assert "chunks (100%)" in r.stderr
    same(xr.open_zarr(threads.zarr_store()).load(), xr.open_zarr(cl.zarr_store()).load())
    one = fastscan.scan(
        [float(f"{c:.6g}") for c in prof.costs[0]], np.linspace(-1, 1, 7), np.linspace(0.05, 1, 9)
    )
    same(xr.open_zarr(tmp_path / "c.zarr").load(), one)
