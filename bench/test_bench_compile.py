"""The compile wait after an install (issue 23, target 5): every data-sharing kernel compiled
in a fresh process with an empty kernel cache, and the first command's one wait for every game.

Each round is a new Python process pointed at a new, empty cache folder, so nothing is loaded
from an earlier round. The smoke run (``make test``) runs the same code once against a warm
cache (it then times loading, not compiling: a cold compile is minutes of CPU there).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile

import pytest

STEPS = {
    # every kernel a data-sharing scan, `coalitions` or `intervals` can run
    "compile-datasharing": "from fastscan.datasharing.compute import warm_up; warm_up()",
    # what the first command after an install waits for: every registered game's kernels
    "compile-every-game": "from fastscan.warm import compile_kernels; compile_kernels()",
}
TIMED = "import time; t = time.perf_counter(); {step}; print(time.perf_counter() - t)"


def _cold(step: str, cold: bool) -> float:
    env = dict(os.environ)
    folder = None
    if cold:  # a new, empty cache folder each round
        folder = tempfile.mkdtemp(prefix="fastscan-cold-")
        env["FASTSCAN_CACHE_DIR"] = folder
    try:
        r = subprocess.run(
            [sys.executable, "-c", TIMED.format(step=step)],
            capture_output=True,
            text=True,
            env=env,
        )
        assert r.returncode == 0, r.stderr
        return float(r.stdout.split()[-1])
    finally:
        if folder:
            shutil.rmtree(folder, ignore_errors=True)


@pytest.mark.parametrize("name", list(STEPS))
def test_cold_compile(benchmark, name):
    smoke = benchmark.disabled
    took = benchmark.pedantic(_cold, args=(STEPS[name], not smoke), rounds=1, iterations=1)
    assert took > 0
    if not smoke:
        benchmark.extra_info.update(seconds_in_process=took)
