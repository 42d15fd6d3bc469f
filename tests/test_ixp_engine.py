"""The IXP game through the engine like the data-sharing one: a killed scan resumes to the same
bits, a huge instance splits into blocks that merge exactly (and resume block by block), and a
dask.distributed cluster writes what local threads write."""

from __future__ import annotations

import os
import signal
import subprocess
import time

import numpy as np
import pytest
import xarray as xr
from helpers import fastscan_cli, spawn

from fastscan.cube import CubeSink, run_to_store
from fastscan.ixp import api, families, plan
from fastscan.runner import block_task
from fastscan.store import Store

HEAVY = (
    "--family uniform --n 10 --m 3 --density 0.5 --ratio 1 --facility 1 --seed 0:23:24 "
    "--alpha 1:2:16"
)
HEAVY_PARAMS = dict(n="10", m="3", density="0.5", ratio="1", facility="1", seed="0:23:24")


def same(a: xr.Dataset, b: xr.Dataset) -> None:
    assert set(a.data_vars) == set(b.data_vars)
    for k in a.data_vars:
        x, y = a[k].values, b[k].values
        assert x.dtype == y.dtype, k
        assert np.array_equal(x, y, equal_nan=x.dtype.kind == "f"), k


@pytest.mark.slow
def test_killed_scan_resumes_to_the_same_bits(tmp_path):
    out = tmp_path / "k.zarr"
    proc = spawn(
        f"ixp scan {HEAVY} --out {out}", stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    done_dir = out / ".fastscan" / "done"
    deadline = time.time() + 120
    while time.time() < deadline and proc.poll() is None:
        if done_dir.exists() and len(os.listdir(done_dir)) >= 2:
            break
        time.sleep(0.02)
    proc.send_signal(signal.SIGKILL)
    proc.communicate(timeout=60)
    fam = families.from_family("uniform", HEAVY_PARAMS)
    total = plan.build(fam, np.linspace(1, 2, 16)).n_chunks
    done = len(os.listdir(done_dir))
    assert 0 < done < total, (done, total)
    assert "incomplete" in fastscan_cli(f"info {out}").stdout
    r = fastscan_cli(f"ixp scan {HEAVY} --out {out} --resume", fresh=True)
    assert r.returncode == 0, r.stderr
    assert f"{done} already done" in r.stderr
    same(xr.open_zarr(out).load(), api.scan(fam, np.linspace(1, 2, 16)))


def test_blocks_merge_exactly_and_resume_one_by_one(tmp_path):
    fam = families.from_family(
        "uniform", dict(n="6", m="2", density="0.6", ratio="1", facility="0,1", seed="0:1:2")
    )
    alpha = [1.0, 1.3, 2.0]
    split = plan.build(fam, alpha, block_from=100)
    assert split.n_chunks == 4 and split.n_blocks == 4 * 9 and split.split
    store = Store(str(tmp_path / "b.zarr"))
    store.create(split.layout())
    chunk = split.chunk_list()[1]
    for b in (0, 5, 8):  # some blocks finished before a crash
        block_task(split, chunk, b, CubeSink(store, split))
    assert sorted(store.partials(chunk.name)) == [0, 5, 8]
    run_to_store(split, store, "resume")
    assert store.partials(chunk.name) == {}
    same(xr.open_zarr(store.zarr_store()).load(), api.scan(fam, alpha))


@pytest.mark.slow
def test_distributed_cluster_matches_threads(tmp_path):
    from distributed import Client, LocalCluster

    fam = families.from_family(
        "metric", dict(n="3:6:4", m="1,2", density="0.5", ratio="1", facility="1", seed="0")
    )
    p = plan.build(fam, [1.0, 1.5, 2.0], chunks=(3, 3))
    threads = Store(str(tmp_path / "t.zarr"))
    run_to_store(p, threads, "new")
    with (
        LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        Client(cluster) as client,
    ):
        cl = Store(str(tmp_path / "d.zarr"))
        run_to_store(p, cl, "new", client=client)
    same(xr.open_zarr(threads.zarr_store()).load(), xr.open_zarr(cl.zarr_store()).load())
