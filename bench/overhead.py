"""Engine overhead: the same grid through bare kernels (threads, no storage) and through
``fastscan scan`` into a local Zarr store. Run: ``python bench/overhead.py [--n 16 --seeds 200
--alpha 101 --sigma 200]``; prints both wall times, their ratio, peak memory and cube size."""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--n", type=int, default=16)
    ap.add_argument("--seeds", type=int, default=200)
    ap.add_argument("--alpha", type=int, default=101)
    ap.add_argument("--sigma", type=int, default=200)
    ap.add_argument("--sets", default="all")
    args = ap.parse_args()
    cli_args = [
        "--family",
        "uniform",
        "--n",
        str(args.n),
        "--low",
        "1e-4",
        "--high",
        "1e-2",
        "--seed",
        f"0:{args.seeds - 1}:{args.seeds}",
        "--alpha",
        f"-1:1:{args.alpha}",
        "--sigma",
        f"0.05:1:{args.sigma}",
        "--sets",
        args.sets,
    ]

    from fastscan.datasharing import profiles
    from fastscan.datasharing.compute import Profile, SigmaGrid, compute_profile, warm_up
    from fastscan.datasharing.plan import build as build_plan
    from fastscan.datasharing.variables import REGISTRY
    from fastscan.runner import cpus

    prof = profiles.from_family(
        "uniform",
        {
            "n": str(args.n),
            "low": "1e-4",
            "high": "1e-2",
            "seed": f"0:{args.seeds - 1}:{args.seeds}",
        },
    )
    plan = build_plan(
        prof, np.linspace(-1, 1, args.alpha), np.linspace(0.05, 1, args.sigma), args.sets
    )
    # the command first: a child's peak RSS counts the parent's pages at fork time
    out = tempfile.mkdtemp(prefix="fastscan-overhead-")
    store = os.path.join(out, "cube.zarr")
    cmd = [
        sys.executable,
        "-m",
        "fastscan.cli.main",
        "scan",
        *cli_args,
        "--out",
        store,
        "--yes",
        "--quiet",
    ]
    # twice with a fresh on-disk kernel cache: the first run compiles, the second loads
    env = dict(os.environ, FASTSCAN_CACHE_DIR=os.path.join(out, "numba"))
    walls = []
    for _ in range(2):
        shutil.rmtree(store, ignore_errors=True)
        start = time.perf_counter()
        subprocess.run(cmd, check=True, env=env)
        walls.append(time.perf_counter() - start)
    child_rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    size = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(store) for f in fs)
    shutil.rmtree(out)
    warm_up()
    grid = SigmaGrid.from_sigma(plan.spec.sigma)
    models = plan.spec.models()
    start = time.perf_counter()
    with ThreadPoolExecutor(cpus()) as pool:
        list(
            pool.map(
                lambda r: compute_profile(Profile.from_costs(r), models, grid, args.sets),
                prof.costs,
            )
        )
    bare = time.perf_counter() - start
    bare_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    scan = plan.spec
    print(
        f"grid: {len(scan.profiles)} profiles x {scan.privacy.size} alpha x {scan.sigma.size} "
        f"sigma, {scan.evaluations:.3e} evaluated cells (sets={args.sets})"
    )
    print(f"bare kernels (threads, no storage): {bare:.2f} s, peak RSS {bare_rss:.0f} MiB")
    print(
        f"fastscan scan -> Zarr (whole command, incl. start-up, plan, calibration): "
        f"{walls[0]:.2f} s compiling the kernels, {walls[1]:.2f} s with them cached; "
        f"peak RSS {child_rss:.0f} MiB, cube {size / 2**20:.1f} MiB on disk "
        f"({plan.nbytes(REGISTRY) / 2**20:.0f} MiB uncompressed)"
    )
    print(f"ratio (cached command / bare kernels): {walls[1] / bare:.2f}")


if __name__ == "__main__":
    main()
