"""Progress of long work: a live bar on a terminal, plain lines elsewhere, nothing when quiet."""

from __future__ import annotations

import sys
import time
from datetime import timedelta


class Progress:
    """Counts finished units (chunks, or blocks of a huge profile) out of ``total``."""

    def __init__(
        self, total: int, unit: str = "chunks", quiet: bool = False, stream=None, every: float = 5.0
    ):
        self.total, self.unit, self.quiet = total, unit, quiet
        self.stream = stream or sys.stderr
        self.every = every
        self.done = 0
        self._bar = None
        self._last = 0.0
        self._start = time.monotonic()

    def __enter__(self) -> Progress:
        if self.quiet or self.total == 0:
            return self
        if getattr(self.stream, "isatty", lambda: False)():
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                TextColumn,
                TimeElapsedColumn,
                TimeRemainingColumn,
            )
            from rich.progress import Progress as Bar

            self._bar = Bar(
                TextColumn("scan"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn(self.unit),
                TextColumn("{task.fields[rate]}"),
                TimeElapsedColumn(),
                TextColumn("ETA"),
                TimeRemainingColumn(),
                console=Console(file=self.stream),
                transient=False,
            )
            self._bar.start()
            self._task = self._bar.add_task("scan", total=self.total, rate="")
        return self

    def advance(self, n: int = 1) -> None:
        self.done += n
        if self.quiet or self.total == 0:
            return
        if self._bar is not None:
            rate = self.done / max(time.monotonic() - self._start, 1e-9)
            self._bar.update(self._task, completed=self.done, rate=f"{rate:.2f}/s")
            return
        now = time.monotonic()
        if now - self._last >= self.every or self.done == self.total:
            self._last = now
            self.stream.write(self.line() + "\n")
            self.stream.flush()

    def line(self) -> str:
        elapsed = time.monotonic() - self._start
        rate = self.done / elapsed if elapsed > 0 else 0.0
        eta = (self.total - self.done) / rate if rate > 0 else float("nan")
        eta_s = str(timedelta(seconds=round(eta))) if eta == eta else "?"
        return (
            f"fastscan: {self.done}/{self.total} {self.unit} "
            f"({100 * self.done / max(self.total, 1):.0f}%), {rate:.2f} {self.unit}/s, "
            f"ETA {eta_s}"
        )

    def __exit__(self, *exc) -> None:
        if self._bar is not None:
            self._bar.stop()
