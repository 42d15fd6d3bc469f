"""The table of benchmark cases, shared by the benchmarks and their smoke run in ``make test``."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Case:
    """One scan: ``n`` players (random costs in [1e-4, 1e-2]), an alpha grid and a sigma grid."""

    name: str
    sets: str
    n: int
    n_alpha: int
    n_sigma: int

    def inputs(self):
        rng = np.random.default_rng(2026)
        costs = 10.0 ** rng.uniform(-4.0, -2.0, self.n)
        alpha = np.linspace(-1.0, 1.0, self.n_alpha)
        # one sigma is the top of the grid, where the most coalitions are checked
        sigma = np.array([1.0]) if self.n_sigma == 1 else np.linspace(0.02, 1.0, self.n_sigma)
        return costs, alpha, sigma

    @property
    def evaluations(self) -> int:
        """Coalitions x alpha values evaluated (the unit of throughput)."""
        coalitions = 2**self.n - self.n - 1 if self.sets == "all" else self.n - 1
        return coalitions * self.n_alpha


CASES = [
    Case("all-n20-sigma1", "all", 20, 16, 1),
    Case("all-n20-sigma4096", "all", 20, 16, 4096),
    Case("all-n24-sigma1", "all", 24, 16, 1),
    Case("all-n24-sigma4096", "all", 24, 16, 4096),
    Case("downward-n1e6-64x1024", "downward", 10**6, 64, 1024),
]
