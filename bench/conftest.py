"""Benchmarks' settings: ``bench/`` on the import path, and under ``make test``'s smoke run
(``FASTSCAN_BENCH_SMOKE=1``) the test suite's private kernel cache, compiled moments before."""

import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
if os.environ.get("FASTSCAN_BENCH_SMOKE"):  # before anything imports fastscan
    os.environ.setdefault(
        "FASTSCAN_CACHE_DIR", os.path.join(tempfile.gettempdir(), f"fastscan-test-{os.getuid()}")
    )
