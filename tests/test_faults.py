"""A block lost with its worker is never merged as if it were there (issue 19, item 1): a split
chunk merges only when every one of its blocks contributed exactly once, a chunk task run a
second time (its worker died between writing and reporting) writes nothing, and a real worker
killed mid-scan leaves either the bitwise-right cube or a one-line resume command."""

from __future__ import annotations

import os
import signal
import threading
import time

import numpy as np
import pytest
import xarray as xr
from helpers import fastscan_cli

from fastscan import runner
from fastscan.cube import CubeSink, run_to_store
from fastscan.datasharing import profiles
from fastscan.datasharing.plan import Split
from fastscan.datasharing.plan import build as build_plan
from fastscan.store import Store


def split_plan():
    """One profile of 6 players in 4 blocks (by its 2 cheapest players' membership)."""
    prof = profiles.ProfileSet(
        np.array([[1e-3, 1.3e-3, 2e-3, 2.2e-3, 3e-3, 4.1e-3]]), {}, {"source": "costs"}
    )
    plan = build_plan(
        prof, [-0.5, 0.5], np.linspace(0.05, 1, 12), "all", split=Split(block_from=4, max_fixed=2)
    )
    assert plan.blocks(plan.chunk_list()[0]) == 4
    return plan


def arrays(url) -> dict[str, bytes]:
    ds = xr.open_zarr(url).load()
    return {k: ds[k].values.tobytes() for k in ds.data_vars}


def scanned(tmp_path):
    """The split plan scanned into a cube: plan, store, its arrays, the chunk and a sink."""
    plan = split_plan()
    store = Store(str(tmp_path / "c.zarr"))
    run_to_store(plan, store, "new")
    return plan, store, arrays(store.zarr_store()), plan.chunk_list()[0], CubeSink(store, plan)


def test_a_chunk_task_run_again_after_its_chunk_was_written_writes_nothing(tmp_path):
    plan, store, want, chunk, sink = scanned(tmp_path)
    # the worker that ran the chunk died before reporting: the scheduler recomputes the blocks
    # whose results it held (here block 2 alone) and runs the chunk task again
    sink.keep_part(chunk, 2, plan.game.compute_block(plan, chunk, 2))
    assert runner.chunk_task(plan, chunk, sink) == chunk.name
    assert arrays(store.zarr_store()) == want
    assert store.partials(chunk.name) == {}  # the recomputed part is not left behind


def test_a_merge_with_a_block_missing_raises_and_writes_nothing(tmp_path):
    plan, store, want, chunk, sink = scanned(tmp_path)
    store.unmark([chunk.name])  # as if killed after the blocks, before the chunk was marked
    for b in (0, 1, 3):  # block 2 lost with its worker
        sink.keep_part(chunk, b, plan.game.compute_block(plan, chunk, b))
    with pytest.raises(runner.MissingBlocks, match=r"block part\(s\) 2 missing"):
        runner.chunk_task(plan, chunk, sink)
    assert chunk.name not in store.marked()
    store.acquire()
    store.release()
    # --resume computes the missing block only and gives the same bits
    run_to_store(plan.with_chunks(plan.chunks), store, "resume")
    assert arrays(store.zarr_store()) == want


def _kill_a_worker_after(client, seconds: float, killed: list) -> threading.Thread:
    def kill():
        time.sleep(seconds)
        pids = client.run(os.getpid)
        pid = sorted(pids.values())[0]
        os.kill(pid, signal.SIGKILL)
        killed.append(pid)

    t = threading.Thread(target=kill, daemon=True)
    t.start()
    return t


@pytest.mark.slow
@pytest.mark.parametrize("after", [0.5, 2.0])
def test_killed_worker_mid_block_split_scan_gives_the_right_cube_or_a_resume(tmp_path, after):
    from distributed import Client, LocalCluster

    args = (
        "scan --family uniform --n 22 --low 1e-4 --high 1e-2 --seed 0:3:4 --alpha -1:1:8 "
        "--sigma 0.05:1:32"
    )
    right = tmp_path / "right.zarr"
    assert fastscan_cli(f"{args} --out {right} --quiet").returncode == 0
    out = tmp_path / "cluster.zarr"
    with (
        LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        Client(cluster) as client,
    ):
        client.wait_for_workers(2)
        killed: list = []
        killer = _kill_a_worker_after(client, after, killed)
        r = fastscan_cli(f"{args} --out {out} --scheduler {cluster.scheduler_address}")
        killer.join()
        assert killed, "no worker was killed"
        if r.returncode != 0:  # stopped: one line naming how to go on, then the resume
            assert r.returncode == 1 and "Continue with:" in r.stderr, r.stderr
            assert "Traceback" not in r.stderr
            client.wait_for_workers(2)
            r = fastscan_cli(f"{args} --out {out} --scheduler {cluster.scheduler_address} --resume")
        assert r.returncode == 0, r.stderr
    assert "complete" in fastscan_cli(f"info {out} --verify").stdout
    assert arrays(out) == arrays(right)
