"""Clusters (issue 23): one huge profile spreads over as many workers as a cluster has, a cube
made that way resumes on any number of workers, and ``fastscan info`` on a cube of very many
chunks answers from one listing (``bench/test_bench_cluster.py`` times it at 10^6 chunks)."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import xarray as xr
from helpers import fastscan_cli

from fastscan.cube import Cube
from fastscan.datasharing.commands import profiles, scan_model
from fastscan.datasharing.plan import MAX_FIXED, MAX_SPLIT, TASKS_PER_WORKER, build
from fastscan.grids import parse_grid
from fastscan.store import Store

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
from wide_cube import wide_cube  # noqa: E402


def plan_of(costs: str, alpha: str, sigma: str):
    """The plan ``fastscan scan --costs COSTS --alpha ALPHA --sigma SIGMA`` makes."""
    found, name = profiles(costs)
    return build(
        found, scan_model("power", alpha, None, None), parse_grid(sigma, "sigma"), name=name
    )


def test_a_40_player_profile_splits_for_a_thousand_cores_not_for_two_threads():
    costs = ",".join(f"{c:.6g}" for c in np.random.default_rng(0).uniform(1e-4, 1e-2, 40))
    plan = plan_of(costs, "-1:1:16", "0.05:1:4096")
    here = plan.fitted(2)  # this machine: as before, 2^MAX_FIXED blocks per chunk
    assert here == plan and here.config()["split_players"] == MAX_FIXED
    cluster = plan.fitted(1000)  # alphas together, the profile split by 12 players
    assert cluster.chunks == (1, 16, 4096)
    assert cluster.n_blocks == 4096 >= TASKS_PER_WORKER * 1000
    assert cluster.config()["split_players"] == 12
    assert plan.fitted(10**6).n_blocks == 2**MAX_SPLIT  # at most 2^20: 2^20 coalitions a block


def test_a_cube_split_for_a_cluster_resumes_here_with_its_own_split(tmp_path):
    costs = ",".join(f"{c:.6g}" for c in np.random.default_rng(1).uniform(1e-4, 1e-2, 27))
    args = f"scan --costs {costs} --alpha 0.5 --sigma 0.002:0.01:3"  # small sigma: quick
    right = tmp_path / "right.zarr"
    assert fastscan_cli(f"{args} --out {right} --quiet").returncode == 0
    # what `fastscan scan ... --scheduler` starts for 64 workers (2^7 blocks), stopped after
    # 5 blocks: their parts are kept in the cube
    out = tmp_path / "cluster.zarr"
    plan = plan_of(costs, "0.5", "0.002:0.01:3").fitted(64)
    assert plan.config()["split_players"] == 7
    cube = Cube.prepare(plan, Store(str(out)), "new")
    cube.begin("new", {"command": f"fastscan {args} --out {out}"})
    chunk, sink = plan.chunk_list()[0], cube.sink()
    for block in range(5):
        sink.keep_part(chunk, block, plan.game.compute_block(plan, chunk, block))
    cube.store.release()
    assert "0 of 1 chunks done" in fastscan_cli(f"info {out}").stdout
    r = fastscan_cli(f"{args} --out {out} --resume")  # 2 threads here: it keeps 2^7 blocks
    assert r.returncode == 0, r.stderr
    assert "in 128 blocks" in r.stderr + r.stdout
    assert "complete, every chunk verified" in fastscan_cli(f"info {out} --verify").stdout
    want, got = xr.open_zarr(right).load(), xr.open_zarr(out).load()
    for name in want.data_vars:  # the same bits however many blocks
        assert want[name].values.tobytes() == got[name].values.tobytes(), name


def test_info_on_a_cube_of_many_chunks_names_the_damaged_ones(tmp_path):
    out = tmp_path / "wide.zarr"
    assert wide_cube(str(out), 50, 40, lose=2) == 2000
    r = fastscan_cli(f"info {out}")
    assert r.returncode == 0, r.stderr
    assert "1998 of 2000 chunks done, 2 damaged or missing" in r.stdout
    assert "damaged or missing: chunk p49-a0-s39 of stable_count" in r.stdout
