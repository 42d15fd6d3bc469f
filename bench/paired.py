"""Ratios from interleaved rounds: on a shared, noisy machine, two variants timed in alternation
see the same background load, so their ratio is steadier than that of two separate cases."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def paired(benchmark, measured: Callable[[], object], reference: Callable[[], object], rounds: int):
    """Time ``measured`` with pytest-benchmark and ``reference`` just before each of its rounds;
    record the reference's median and ``measured / reference`` in ``extra_info``."""
    ref_times: list[float] = []

    def setup():
        start = time.perf_counter()
        reference()
        ref_times.append(time.perf_counter() - start)

    benchmark.pedantic(measured, setup=setup, rounds=rounds, iterations=1, warmup_rounds=0)
    if not benchmark.disabled:
        ref = statistics.median(ref_times)
        benchmark.extra_info.update(
            reference_median_s=ref, ratio=benchmark.stats.stats.median / ref
        )
