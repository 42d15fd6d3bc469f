"""Cubes on an object store (issue 19, item 2), against a real local S3 server (moto's server
mode on 127.0.0.1, s3fs): create, kill -9 mid-scan and resume bitwise equal to a local cube,
overwrite, a second writer refused, info --verify, query, plot, plain xarray; errors in one line.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time

import pytest
import xarray as xr
from conftest import CREDS
from helpers import fastscan_cli, subprocess_env

SCAN = "scan --costs 1e-3,2e-3,3e-3 --alpha 0,1 --sigma 0.1:1:4"
# a few seconds, in many chunks: killed midway
LONG = (
    "scan --family uniform --n 14 --low 1e-4 --high 1e-2 --seed 0:2399:2400 --alpha -1:1:16 "
    "--sigma 0.1:1:8"
)


def opt(endpoint: str) -> str:
    return f"--storage-option endpoint_url={endpoint}"


def objects(endpoint: str, prefix: str) -> list[str]:
    import s3fs

    fs = s3fs.S3FileSystem(client_kwargs={"endpoint_url": endpoint}, skip_instance_cache=True)
    return fs.find(f"bucket/{prefix}")


def values(url, **kw) -> dict[str, bytes]:
    ds = xr.open_zarr(url, **kw).load()
    return {k: ds[k].values.tobytes() for k in ds.data_vars}


def test_create_read_overwrite_and_second_writer(s3, tmp_path):
    url, so = "s3://bucket/y.zarr", opt(s3)
    local = tmp_path / "y.zarr"
    assert fastscan_cli(f"{SCAN} --out {local} --quiet").returncode == 0
    r = fastscan_cli(f"{SCAN} --out {url} {so} --quiet")
    assert r.returncode == 0, r.stderr
    assert not any(p.endswith(("/lock", "/creating")) for p in objects(s3, "y.zarr"))
    assert "every chunk verified" in fastscan_cli(f"info {url} {so} --verify").stdout
    assert fastscan_cli(f"query {url} {so} --var max_size --format csv").returncode == 0
    png = tmp_path / "p.png"
    plot = f"plot {url} {so} --var max_size --sel notion=nash --x alpha --y sigma"
    r = fastscan_cli(f"{plot} --out {png}")
    assert r.returncode == 0 and (tmp_path / "p.png").stat().st_size > 0, r.stderr
    remote = values(url, storage_options={"client_kwargs": {"endpoint_url": s3}})
    assert remote == values(local)
    # again without --resume/--overwrite: refused; --overwrite: replaced, no hidden copy left
    assert fastscan_cli(f"{SCAN} --out {url} {so}").returncode == 2
    r = fastscan_cli(f"{SCAN} --out {url} {so} --overwrite --quiet")
    assert r.returncode == 0, r.stderr
    assert [p for p in objects(s3, "") if ".fastscan-" in p] == []
    # a second writer while the lock is held by a live process (this one)
    from fastscan.store import Store

    store = Store(url, {"endpoint_url": s3})
    next(p for p in objects(s3, "y.zarr") if "/.fastscan/done/" in p)
    store.unmark(store.marked())
    store.acquire()
    try:
        r = fastscan_cli(f"{SCAN} --out {url} {so} --resume", fresh=True, env=CREDS)
        assert r.returncode == 2 and "being written by another scan" in r.stderr, r.stderr
    finally:
        store.release()


def test_kill_mid_scan_then_resume_is_bitwise_a_local_cube(s3, tmp_path):
    url, so = "s3://bucket/long.zarr", opt(s3)
    local = tmp_path / "long.zarr"
    assert fastscan_cli(f"{LONG} --out {local} --quiet").returncode == 0
    proc = subprocess.Popen(
        [sys.executable, "-m", "fastscan.cli.main", *f"{LONG} --out {url} {so}".split()],
        env=subprocess_env(**CREDS, AWS_DEFAULT_REGION="us-east-1"),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        if any("/.fastscan/done/" in p for p in objects(s3, "long.zarr")):
            break
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    r = fastscan_cli(f"{LONG} --out {url} {so} --resume --quiet")
    assert r.returncode == 0, r.stderr
    remote = values(url, storage_options={"client_kwargs": {"endpoint_url": s3}})
    assert remote == values(local)


def test_a_kill_while_creating_leaves_nothing_visible_and_the_next_scan_starts_anew(s3):
    url, so = "s3://bucket/half.zarr", opt(s3)
    from fastscan.store import CREATING, META, Store

    store = Store(url, {"endpoint_url": s3})
    store._put(store._p(META, CREATING), b"")  # as a scan killed while writing the layout
    store._put(store._p("zarr.json"), b'{"zarr_format": 3, "node_type": "group"}')
    assert not store.exists()
    r = fastscan_cli(f"info {url} {so}")
    assert r.returncode == 2
    r = fastscan_cli(f"{SCAN} --out {url} {so} --quiet")
    assert r.returncode == 0, r.stderr
    assert "complete" in fastscan_cli(f"info {url} {so}").stdout


@pytest.mark.parametrize(
    ("out", "endpoint", "words"),
    [
        ("s3://no-such-bucket/c.zarr", None, ("no-such-bucket",)),
        ("s3://bucket/c.zarr", "http://127.0.0.1:9", ("bucket/c.zarr",)),
    ],
)
def test_store_errors_are_one_line(s3, out, endpoint, words):
    r = fastscan_cli(f"{SCAN} --out {out} {opt(endpoint or s3)} --quiet")
    assert r.returncode == 2, r.stderr
    assert "Traceback" not in r.stderr and len(r.stderr.strip().splitlines()) == 1, r.stderr
    assert all(w in r.stderr for w in words), r.stderr


def test_a_worker_without_credentials_is_one_line_before_anything_is_written(s3):
    """A real ``dask worker`` process with no AWS credentials (this process has them): the scan
    is refused naming the store and the worker, exit 2, and the bucket stays empty."""
    from distributed import Client, LocalCluster

    blind = dict(
        subprocess_env(),
        AWS_ACCESS_KEY_ID="",  # empty is "not set" to botocore
        AWS_SECRET_ACCESS_KEY="",
        AWS_SESSION_TOKEN="",
        AWS_SHARED_CREDENTIALS_FILE="/nonexistent",
        AWS_CONFIG_FILE="/nonexistent",
        AWS_EC2_METADATA_DISABLED="true",
    )
    with LocalCluster(n_workers=0, processes=True, dashboard_address=None) as cluster:
        worker = subprocess.Popen(
            [sys.executable, "-m", "distributed.cli.dask_worker", cluster.scheduler_address,
             "--nthreads", "1", "--no-dashboard"],
            env=blind, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        try:
            with Client(cluster.scheduler_address) as client:
                client.wait_for_workers(1, timeout=60)
            r = fastscan_cli(
                f"{SCAN} --out s3://bucket/blind.zarr {opt(s3)} "
                f"--scheduler {cluster.scheduler_address} --quiet"
            )
        finally:
            worker.kill()
            worker.wait()
    assert r.returncode == 2, r.stderr
    assert "Traceback" not in r.stderr and len(r.stderr.strip().splitlines()) == 1, r.stderr
    assert "s3://bucket/blind.zarr" in r.stderr and "credentials" in r.stderr
    assert objects(s3, "blind.zarr") == []  # the bucket is shared by this module's tests
