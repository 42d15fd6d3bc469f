"""The IXP game's speed (issue 11 §7): the exhaustive kernel's throughput (n = 12, m = 3; 1, 16
and 256 alphas), 256 against 16 alphas and 2 threads against 1 in interleaved pairs, the kernel
against vectorized NumPy (n = 10, m = 3), the engine against bare kernels (10^4 instances,
n = 8, m = 2), the m <= 2 optimum by min cut (n = 200) and LP 19 (n = 200, m = 5, density 0.1).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest
from baseline_ixp import numpy_exhaustive, one_blas_thread
from paired import paired

from fastscan.cube import run_to_store
from fastscan.ixp import compute, families, lp_relaxation, optimum, plan
from fastscan.runner import cpus
from fastscan.store import Store

SMOKE = bool(os.environ.get("FASTSCAN_BENCH_SMOKE"))
ALPHAS = {"ixp-n12-m3-1a": 1, "ixp-n12-m3-16a": 16, "ixp-n12-m3-256a": 256}


def grid(k: int) -> np.ndarray:
    return np.linspace(1, 2, k) if k > 1 else np.array([1.0])


@pytest.fixture(scope="module")
def instance():
    return families.uniform(6 if SMOKE else 12, 3, 0.5, 1.0, 1.0, 0)


@pytest.mark.parametrize("case", list(ALPHAS))
def test_ixp_exhaustive(benchmark, instance, case):
    alpha = grid(ALPHAS[case])
    compute.exhaustive(instance, alpha)  # compile or load the kernel
    values = benchmark.pedantic(compute.exhaustive, args=(instance, alpha), rounds=3)
    assert values["stable_count"][-1] >= 1  # Thm 4.3: a stable state exists at alpha = 1
    if not benchmark.disabled:
        per_s = (instance.m + 1) ** instance.n / benchmark.stats.stats.median
        benchmark.extra_info.update(assignments_per_s=per_s)


def test_ixp_alpha_axis(benchmark, instance):
    """256 alphas against 16, interleaved: the alpha axis is nearly free (alpha* bucketed)."""
    paired(
        benchmark,
        lambda: compute.exhaustive(instance, grid(256)),
        lambda: compute.exhaustive(instance, grid(16)),
        rounds=5,
    )


def test_ixp_numpy_baseline(benchmark):
    """The kernel against vectorized NumPy (:mod:`baseline_ixp`: blocks, one BLAS product per
    block, one BLAS thread: per core as the kernel) on the same instance (n = 10, m = 3, 16
    alphas), interleaved; both give the same stable counts and optimum. ``speedup_vs_numpy``:
    NumPy's median over the kernel's."""
    inst = families.uniform(5 if SMOKE else 10, 3, 0.5, 1.0, 1.0, 1)
    alpha = grid(16)

    def baseline():
        with one_blas_thread():
            return numpy_exhaustive(inst, alpha)

    counts, best = baseline()
    values = compute.exhaustive(inst, alpha)  # compile or load the kernel
    np.testing.assert_array_equal(values["stable_count"], counts)
    assert float(values["optimum_cost"]) == pytest.approx(best, rel=1e-12)
    paired(benchmark, lambda: compute.exhaustive(inst, alpha), baseline, rounds=3)
    if not benchmark.disabled:
        everything = (inst.m + 1) ** inst.n
        numpy_s = benchmark.extra_info["reference_median_s"]
        benchmark.extra_info.update(
            numpy_s=numpy_s,
            numpy_assignments_per_s=everything / numpy_s,
            assignments_per_s=everything / benchmark.stats.stats.median,
            speedup_vs_numpy=1.0 / benchmark.extra_info["ratio"],
        )


def test_ixp_threads(benchmark):
    """The same scan on 2 threads against 1, interleaved (8 instances, n = 11, m = 3)."""
    from fastscan.ixp import api

    fam = families.from_family(
        "uniform",
        dict(n="6" if SMOKE else "11", m="3", density="0.5", ratio="1", facility="1", seed="0:7:8"),
    )
    alpha = grid(16)
    paired(
        benchmark,
        lambda: api.scan(fam, alpha, threads=2),
        lambda: api.scan(fam, alpha, threads=1),
        rounds=3,
    )


def test_ixp_engine(benchmark):
    """``fastscan ixp scan``'s engine (Dask, Zarr, markers) against the same instances through
    compute alone on the same threads: 10^4 instances, n = 8, m = 2, 16 alphas."""
    count = 200 if SMOKE else 10_000
    fam = families.from_family(
        "uniform",
        dict(n="8", m="2", density="0.5", ratio="1", facility="1", seed=f"0:{count - 1}:{count}"),
    )
    alpha = grid(16)
    p = plan.build(fam, alpha)
    workers = cpus()  # as the engine: the process affinity

    def bare():
        with ThreadPoolExecutor(workers) as pool:
            list(pool.map(lambda c: compute.compute_chunk(p, c), p.chunk_list()))

    def engine():
        tmp = tempfile.mkdtemp()
        try:
            run_to_store(p, Store(os.path.join(tmp, "e.zarr")), "new")
        finally:
            shutil.rmtree(tmp)

    bare()  # warm
    paired(benchmark, engine, bare, rounds=3)


def test_ixp_mincut(benchmark):
    """s* for n = 200 agents, m = 2 facilities by min cut (one per set of open facilities)."""
    inst = families.uniform(40 if SMOKE else 200, 2, 0.5, 1.0, 2.0, 0)
    optimum(inst, "mincut")
    s, c = benchmark.pedantic(optimum, args=(inst, "mincut"), rounds=5)
    assert c == pytest.approx(optimum(inst, "milp")[1], rel=1e-9)


def test_ixp_lp19(benchmark):
    """LP 19 for n = 200 agents, m = 5 facilities, pair density 0.1 (HiGHS)."""
    inst = families.uniform(40 if SMOKE else 200, 5, 0.1, 1.0, 2.0, 0)
    lp = benchmark.pedantic(lp_relaxation, args=(inst,), rounds=3)
    assert lp.value <= optimum(inst, "milp")[1] + 1e-6 if SMOKE else lp.value > 0
