"""Clusters (issue 23): ``fastscan info`` on a cube of very many chunks, and the plan of one
huge profile for a cluster's cores.

- ``info`` on a cube of 10^6 chunks (``FASTSCAN_BENCH_CHUNKS``, default 10^5; the smoke run
  10^3): one listing of each array's chunk files and of the markers, then array arithmetic
  (before issue 23, a Python step per chunk and array). The cube is made once per session by
  :func:`wide_cube.wide_cube` (10^6 chunks: ~5 min of file creation on the 2-core VM).
- planning n = 40, 16 alpha, 4096 sigma for 1,000 cores: the split and its 4096 blocks.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile

import numpy as np
import pytest
from wide_cube import wide_cube


@pytest.fixture(scope="module")
def cube(benchmark_disabled):
    chunks = 10**3 if benchmark_disabled else int(os.environ.get("FASTSCAN_BENCH_CHUNKS", 10**5))
    folder = tempfile.mkdtemp(prefix="fastscan-bench-cluster-")
    side = int(round(chunks**0.5))
    path = os.path.join(folder, "wide.zarr")
    wide_cube(path, side, chunks // side)
    yield path, side * (chunks // side)
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="module")
def benchmark_disabled(request):
    return bool(os.environ.get("FASTSCAN_BENCH_SMOKE")) or request.config.getoption(
        "benchmark_disable", False
    )


def _info(path: str, chunks: int) -> None:
    r = subprocess.run(
        [sys.executable, "-m", "fastscan.cli.main", "info", path], capture_output=True, text=True
    )
    assert r.returncode == 0, r.stderr
    assert f"{chunks} of {chunks} chunks done" in r.stdout


def test_info_on_many_chunks(benchmark, cube):
    path, chunks = cube
    benchmark.extra_info["chunks"] = chunks
    benchmark.pedantic(_info, args=(path, chunks), rounds=1 if benchmark.disabled else 3)


def test_plan_n40_for_1000_cores(benchmark):
    from fastscan.datasharing.commands import profiles, scan_model
    from fastscan.datasharing.plan import build
    from fastscan.grids import parse_grid

    costs = ",".join(f"{c:.6g}" for c in np.random.default_rng(0).uniform(1e-4, 1e-2, 40))

    def plan():
        found, name = profiles(costs)
        model = scan_model("power", "-1:1:16", None, None)
        return build(found, model, parse_grid("0.05:1:4096", "sigma"), name=name).fitted(1000)

    fitted = benchmark.pedantic(plan, rounds=1 if benchmark.disabled else 5)
    assert fitted.n_blocks == 4096
    benchmark.extra_info["blocks"] = fitted.n_blocks
