"""End to end: ``fastscan scan`` into a local Zarr store against the bare kernels, same grid."""

from __future__ import annotations

import os
import resource
import shutil
import tempfile
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest
from paired import paired

from fastscan.cube import run_to_store
from fastscan.datasharing import profiles
from fastscan.datasharing.compute import Profile, SigmaGrid, compute_profile, warm_up
from fastscan.datasharing.plan import build as build_plan
from fastscan.datasharing.variables import REGISTRY
from fastscan.runner import cpus
from fastscan.store import Store

SPEC = {"n": "16", "low": "1e-4", "high": "1e-2", "seed": "0:199:200"}
ALPHA = np.linspace(-1, 1, 101)
SIGMA = np.linspace(0.05, 1, 200)


@pytest.fixture(scope="module")
def plan():
    warm_up()
    spec = dict(SPEC, seed="0:3:4") if os.environ.get("FASTSCAN_BENCH_SMOKE") else SPEC
    return build_plan(profiles.from_family("uniform", spec), ALPHA, SIGMA)


def bare(plan):
    grid = SigmaGrid.from_sigma(plan.spec.sigma)
    with ThreadPoolExecutor(cpus()) as pool:
        list(
            pool.map(
                lambda r: compute_profile(Profile.from_costs(r), plan.spec.models(), grid, "all"),
                plan.spec.profiles.costs,
            )
        )


def to_store(plan):
    folder = tempfile.mkdtemp(prefix="fastscan-bench-")
    try:
        run_to_store(plan, Store(os.path.join(folder, "cube.zarr")), "new")
    finally:
        shutil.rmtree(folder)


def test_end_to_end(benchmark, plan):
    # scan-to-zarr is timed; the bare kernels run just before each of its rounds (paired.py)
    paired(benchmark, lambda: to_store(plan), lambda: bare(plan), rounds=5)
    if not benchmark.disabled:
        benchmark.extra_info.update(
            cells=plan.spec.cells,
            evaluations=plan.spec.evaluations,
            cube_bytes=plan.nbytes(REGISTRY),
            peak_rss_mib=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        )
