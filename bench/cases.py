"""The table of benchmark cases, shared by the benchmarks and their smoke run in ``make test``."""

from __future__ import annotations

import time
from dataclasses import dataclass

import baseline
import numpy as np


@dataclass(frozen=True)
class Case:
    """One scan: ``n`` players (random costs in [1e-4, 1e-2]), an alpha grid and a sigma grid."""

    name: str
    sets: str
    n: int
    n_alpha: int
    n_sigma: int
    threads: int | None = None
    worst: bool = False  # the worst equilibrium's tables too (issue 12)
    notions: tuple[str, ...] = ("nash", "robust")

    def inputs(self):
        rng = np.random.default_rng(2026)
        costs = 10.0 ** rng.uniform(-4.0, -2.0, self.n)
        alpha = np.linspace(-1.0, 1.0, self.n_alpha)
        # one sigma is the top of the grid, where the most coalitions are checked
        sigma = np.array([1.0]) if self.n_sigma == 1 else np.linspace(0.02, 1.0, self.n_sigma)
        return costs, alpha, sigma

    @property
    def coalitions(self) -> int:
        return 2**self.n - self.n - 1 if self.sets == "all" else self.n - 1

    @property
    def evaluations(self) -> int:
        """Coalitions x alpha values evaluated (the unit of throughput)."""
        return self.coalitions * self.n_alpha

    def baseline_seconds(self, budget: float = 2.0) -> float:
        """The NumPy baseline's time for the whole case, from a timed sample of it.

        The baseline does the same work for every coalition, alpha and sigma, so the time of a
        sample of coalitions (one alpha, every sigma) scales linearly to the case.
        """
        costs, alpha, sigma = self.inputs()
        fn = baseline.scan_all if self.sets == "all" else baseline.scan_downward
        total = 2**self.n if self.sets == "all" else self.n + 1
        stop = 2**10
        while True:
            start = time.perf_counter()
            fn(costs, alpha[:1], sigma, stop=stop)
            took = time.perf_counter() - start
            if took > budget / 4 or stop >= total:
                break
            stop *= 4
        return took * (total / min(stop, total)) * self.n_alpha


CASES = [
    *(Case(f"all-n{n}-sigma{ns}", "all", n, 16, ns) for n in (16, 20, 24) for ns in (1, 256, 4096)),
    Case("all-n20-sigma1024", "all", 20, 16, 1024),
    Case("downward-n1e4-64x1024", "downward", 10**4, 64, 1024),
    Case("downward-n1e6-64x1024", "downward", 10**6, 64, 1024),
    Case("threads1-n22-sigma4096", "all", 22, 16, 4096, threads=1),
    Case("threads2-n22-sigma4096", "all", 22, 16, 4096, threads=2),
]
