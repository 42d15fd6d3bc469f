"""Interleaved A/B timing of two git revisions (refactors: "no slowdown beyond noise").

Each revision is exported with ``git archive`` into a package folder laid out as the installed
package (``fastscan/``, ``fastscan/kernels``, ``fastscan/cli``) and run with ``PYTHONPATH`` set to
it, each with its own compiled-kernel cache. Rounds alternate the two revisions, so both see the
same background load; the script prints each case's medians and their ratio.

Usage: ``python bench/compare_revisions.py REV_A REV_B [--rounds 4] [--cases a,b]``; the ``cmd-*``
cases time whole commands in fresh processes.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

CASES = {  # costs, alpha, sigma, threads, sets
    "all-n24-16a-1s": "rng.uniform(1e-4, 1e-2, 24), np.linspace(-1, 1, 16), [0.5], None, 'all'",
    "all-n24-16a-4096s": (
        "rng.uniform(1e-4, 1e-2, 24), np.linspace(-1, 1, 16), np.linspace(0.05, 1, 4096), None, "
        "'all'"
    ),
    "all-n22-4096s-1thread": (
        "rng.uniform(1e-4, 1e-2, 22), np.linspace(-1, 1, 16), np.linspace(0.05, 1, 4096), 1, 'all'"
    ),
    "many-n12-profiles": (
        "rng.uniform(1e-4, 1e-2, (400, 12)), np.linspace(-1, 1, 21), np.linspace(0.05, 1, 50), "
        "None, 'all'"
    ),
    "downward-n1e6-64a": (
        "rng.uniform(1e-4, 1e-2, 10**6), np.linspace(-1, 1, 64), np.linspace(0.02, 1, 1024), "
        "None, 'downward'"
    ),
    "downward-n1e5": (
        "rng.uniform(1e-4, 1e-2, 10**5), np.linspace(-1, 1, 16), np.linspace(0.05, 1, 1024), "
        "None, 'downward'"
    ),
}
FIG1 = "2.2e-4,5.4e-4,7e-4,11e-4,30e-4,33e-4,34e-4,36e-4,38e-4"
# whole commands in a fresh process (kernels cached by a first, untimed run): what users wait for
COMMANDS = {
    "cmd-scan-fig1": (
        f"scan --costs {FIG1} --alpha -1:1:41 --sigma 0.05:1:300 --out {{out}} --quiet"
    ),
    "cmd-coalitions": f"coalitions --costs {FIG1} --alpha 1 --sigma 0.25",
    "cmd-intervals": f"intervals --costs {FIG1} --alpha 1",
    "cmd-1e5-profiles": (
        "scan --family uniform --n 4 --seed 0:99999:100000 --low 1e-4 --high 1e-2 --alpha 0.5 "
        "--sigma 0.1:1:10 --out {out} --quiet"
    ),
}
PROGRAM = """
import time
import numpy as np
import fastscan
rng = np.random.default_rng(0)
costs, alpha, sigma, threads, sets = {args}
fastscan.scan(costs, alpha, sigma, threads=threads, sets=sets)  # compile or load the kernels
times = []
for _ in range(3):
    start = time.perf_counter()
    fastscan.scan(costs, alpha, sigma, threads=threads, sets=sets)
    times.append(time.perf_counter() - start)
print(min(times))
"""


def export(rev: str, folder: str) -> str:
    """``rev``'s sources as an importable ``fastscan`` package under ``folder``."""
    src = os.path.join(folder, "src")
    os.makedirs(src)
    archive = subprocess.run(["git", "archive", rev], capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", src], input=archive, check=True)
    pkg = os.path.join(folder, "pkg")
    shutil.copytree(os.path.join(src, "fastscan"), os.path.join(pkg, "fastscan"))
    shutil.copytree(os.path.join(src, "kernels"), os.path.join(pkg, "fastscan", "kernels"))
    shutil.copytree(os.path.join(src, "cli"), os.path.join(pkg, "fastscan", "cli"))
    return pkg


def command(pkg: str, cache: str, case: str, warm: bool) -> float:
    """Seconds of one fresh ``fastscan`` process running ``case`` (a first run compiles)."""
    env = dict(os.environ, PYTHONPATH=pkg, FASTSCAN_CACHE_DIR=cache)
    with tempfile.TemporaryDirectory() as out:
        args = COMMANDS[case].format(out=os.path.join(out, "c.zarr")).split()
        for _ in range(1 + warm):
            shutil.rmtree(os.path.join(out, "c.zarr"), ignore_errors=True)
            start = time.perf_counter()
            done = subprocess.run(
                [sys.executable, "-m", "fastscan.cli.main", *args], capture_output=True, env=env
            )
            spent = time.perf_counter() - start
            if done.returncode:
                raise SystemExit(done.stderr.decode())
    return spent


def run(pkg: str, cache: str, case: str, first: bool = False) -> float:
    if case in COMMANDS:
        return command(pkg, cache, case, warm=first)
    env = dict(os.environ, PYTHONPATH=pkg, FASTSCAN_CACHE_DIR=cache)
    code = PROGRAM.format(args=CASES[case])
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    if out.returncode:
        raise SystemExit(out.stderr)
    return float(out.stdout.split()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("rev_a")
    parser.add_argument("rev_b")
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument(
        "--cases", default=",".join(CASES), help="comma list of " + ", ".join([*CASES, *COMMANDS])
    )
    opts = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        pkgs = {
            opts.rev_a: export(opts.rev_a, os.path.join(tmp, "a")),
            opts.rev_b: export(opts.rev_b, os.path.join(tmp, "b")),
        }
        caches = {rev: os.path.join(tmp, f"cache-{i}") for i, rev in enumerate(pkgs)}
        print(f"| case | {opts.rev_a} | {opts.rev_b} | ratio |\n|---|---|---|---|")
        for case in opts.cases.split(","):
            times: dict[str, list[float]] = {rev: [] for rev in pkgs}
            for i in range(opts.rounds):
                for rev, pkg in pkgs.items():
                    times[rev].append(run(pkg, caches[rev], case, first=i == 0))
            a, b = (statistics.median(times[rev]) for rev in (opts.rev_a, opts.rev_b))
            print(f"| {case} | {a:.3f} s | {b:.3f} s | {b / a:.3f} |")


if __name__ == "__main__":
    main()
