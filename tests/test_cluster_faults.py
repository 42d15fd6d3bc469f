"""Cluster use and faults mid-scan (issue 19, item 4): a relative ``--out`` with a cluster, the
progress bar counting only finished work, a cluster without workers, a store that fails
mid-scan, and ``*.partial`` files left by a kill."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
from types import SimpleNamespace

import pytest
import xarray as xr
from helpers import fastscan_cli, subprocess_env

from fastscan import runner
from fastscan.store import Store

SCAN = "scan --costs 1e-3,2e-3,3e-3,4e-3 --alpha -1:1:6 --sigma 0.1:1:40"
# three chunks of 200 profiles
CHUNKED = (
    "scan --family uniform --n 14 --low 1e-4 --high 1e-2 --seed 0:599:600 --alpha -1:1:16 "
    "--sigma 0.1:1:8"
)


def arrays(path) -> dict[str, bytes]:
    ds = xr.open_zarr(path).load()
    return {k: ds[k].values.tobytes() for k in ds.data_vars}


@pytest.mark.slow
def test_relative_out_on_a_cluster_whose_worker_runs_elsewhere(tmp_path):
    """The worker runs in another folder: the cube still lands where the user asked."""
    from distributed import LocalCluster

    here, elsewhere = tmp_path / "here", tmp_path / "elsewhere"
    here.mkdir(), elsewhere.mkdir()
    with LocalCluster(n_workers=0, processes=True, dashboard_address=None) as cluster:
        worker = subprocess.Popen(
            [sys.executable, "-m", "distributed.cli.dask_worker", cluster.scheduler_address,
             "--nthreads", "1", "--no-dashboard"],
            cwd=elsewhere, env=subprocess_env(), stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        try:
            from distributed import Client

            with Client(cluster.scheduler_address) as client:
                client.wait_for_workers(1, timeout=60)
            r = fastscan_cli(
                f"{SCAN} --out rel.zarr --scheduler {cluster.scheduler_address} --quiet", cwd=here
            )
        finally:
            worker.kill()
            worker.wait()
    assert r.returncode == 0, r.stderr
    assert not list(elsewhere.iterdir())  # no stray folder on the worker's side
    assert "complete" in fastscan_cli(f"info {here / 'rel.zarr'} --verify").stdout
    want = tmp_path / "local.zarr"
    assert fastscan_cli(f"{SCAN} --out {want} --quiet").returncode == 0
    assert arrays(here / "rel.zarr") == arrays(want)


def test_progress_counts_only_finished_tasks():
    ticks = []
    futures = [SimpleNamespace(status=s) for s in ("finished", "error", "cancelled", "finished")]

    class Done:
        def __init__(self):
            self.left = [futures[:2], futures[2:]]

        def is_empty(self):
            return not self.left

        def next_batch(self, block):
            return self.left.pop(0)

    runner._watch(None, Done(), SimpleNamespace(advance=lambda: ticks.append(1)))
    assert len(ticks) == 2


@pytest.mark.slow
def test_a_cluster_without_workers_stops_with_the_resume_command(tmp_path, monkeypatch):
    from distributed import LocalCluster

    monkeypatch.setattr(runner, "NO_WORKERS_TIMEOUT", 1.0)
    out = tmp_path / "c.zarr"
    with LocalCluster(n_workers=0, processes=False, dashboard_address=None) as cluster:
        r = fastscan_cli(f"{SCAN} --out {out} --scheduler {cluster.scheduler_address} --quiet")
    assert r.returncode == 1, r.stderr
    assert "no worker" in r.stderr and "Continue with:" in r.stderr and "--resume" in r.stderr
    assert "Traceback" not in r.stderr


def test_a_store_failing_mid_scan_stops_in_one_line_and_resumes_bitwise(tmp_path, monkeypatch):
    out, want = tmp_path / "c.zarr", tmp_path / "want.zarr"
    assert fastscan_cli(f"{CHUNKED} --out {want} --quiet").returncode == 0
    real = Store.write_regions
    calls = []

    def full_disk(self, regions):
        calls.append(1)
        if len(calls) > 1:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(self, regions)

    monkeypatch.setattr(Store, "write_regions", full_disk)
    r = fastscan_cli(f"{CHUNKED} --out {out}")
    monkeypatch.setattr(Store, "write_regions", real)
    assert r.returncode == 1, r.stderr
    last = r.stderr.strip().splitlines()[-1]
    assert "No space left on device" in last and "Continue with:" in last
    assert "Traceback" not in r.stderr
    done = out / ".fastscan" / "done"
    marked = len(os.listdir(done)) if done.exists() else 0
    assert marked < len(calls)  # only a chunk whose data was written is marked
    assert fastscan_cli(f"{CHUNKED} --out {out} --resume --quiet").returncode == 0
    assert arrays(out) == arrays(want)


def _file_size_limit(limit: int):
    """A ``preexec_fn``: the kernel refuses any write past ``limit`` bytes of a file (EFBIG,
    "File too large"), as a full disk refuses one past its last free block."""
    import resource
    import signal

    def limit_writes() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # the error, not the signal's kill
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return limit_writes


def test_a_real_write_refused_by_the_kernel_mid_scan_stops_and_resumes_bitwise(tmp_path):
    """No monkeypatch: the operating system refuses the chunk writes (RLIMIT_FSIZE) of a real
    ``fastscan scan`` process after its store was created (metadata is smaller than the limit,
    every result chunk larger): one line, the resume command, exit 1, no chunk marked done."""
    out, want = tmp_path / "c.zarr", tmp_path / "want.zarr"
    # in a fresh process first: the compiled kernels are then in the on-disk cache, which the
    # limited process only reads
    assert fastscan_cli(f"{CHUNKED} --out {want} --quiet", fresh=True).returncode == 0
    chunk_files = [p.stat().st_size for p in want.glob("pos_variance/c/**/*") if p.is_file()]
    limit = 60_000
    assert len(chunk_files) == 3 and min(chunk_files) > limit  # every chunk write is refused
    r = subprocess.run(
        [sys.executable, "-m", "fastscan.cli.main", *CHUNKED.split(), "--out", str(out)],
        capture_output=True,
        text=True,
        env=subprocess_env(),
        preexec_fn=_file_size_limit(limit),
        timeout=600,
    )
    assert r.returncode == 1, r.stderr
    last = r.stderr.strip().splitlines()[-1]
    assert "File too large" in last and "Continue with:" in last and "--resume" in last
    assert "Traceback" not in r.stderr
    done = out / ".fastscan" / "done"
    assert not done.exists() or not os.listdir(done)  # nothing half-marked
    r = fastscan_cli(f"{CHUNKED} --out {out} --resume --quiet", fresh=True)
    assert r.returncode == 0, r.stderr
    assert arrays(out) == arrays(want)


def test_partial_files_left_by_a_kill_are_cleaned(tmp_path):
    out = tmp_path / "c.zarr"
    assert fastscan_cli(f"{SCAN} --out {out} --quiet").returncode == 0
    stray = out / "max_size" / "c" / "0.abc123.partial"
    stray.parent.mkdir(parents=True, exist_ok=True)
    stray.write_bytes(b"\0" * 1000)
    r = fastscan_cli(f"info {out} --verify")
    assert r.returncode == 0 and "removed 1 unfinished write" in r.stdout
    assert not stray.exists()
    stray.write_bytes(b"\0" * 1000)
    next((out / ".fastscan" / "done").iterdir()).unlink()
    assert fastscan_cli(f"{SCAN} --out {out} --resume --quiet").returncode == 0
    assert not stray.exists()
