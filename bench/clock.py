"""Seconds per stage of a baseline, for its ``profile_baseline`` (shared by the NumPy baselines)."""

from __future__ import annotations

import time
from contextlib import contextmanager


class Clock:
    """Seconds per stage (a no-op unless ``on``): ``with clock("stage"): ...`` adds up."""

    def __init__(self, on: bool):
        self.on = on
        self.seconds: dict[str, float] = {}

    @contextmanager
    def __call__(self, stage: str):
        if not self.on:
            yield
            return
        start = time.perf_counter()
        yield
        self.seconds[stage] = self.seconds.get(stage, 0.0) + time.perf_counter() - start
