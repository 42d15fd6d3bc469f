"""How exact the decisions are, and how often they need double-double (issue 20).

Two measurements, printed as tables (``python bench/exactness.py [--instances N]``):

1. **Against a 100-digit reference** (``tests/reference_mp.py``, written from Definitions 5-8):
   random profiles (n = 3..6, costs 10^U(-5, -1), alpha in [-1.5, 1.5], every notion); at every
   range end ``equilibrium_ranges`` reports and one and two ulps on either side, the coalitions
   ``stable_coalitions`` finds against the reference's. Every mismatch is counted.
2. **Share of grid cells decided in double-double** on the README tour's grids: a cell (profile,
   alpha, sigma) needs it when some coalition's threshold lies within the float formula's error
   band (:func:`fastscan.kernels.datasharing.exact.band`) of its sigma^2; thresholds from
   :func:`~fastscan.kernels.datasharing.point.nonempty_all` (every coalition whose range may be
   non-empty: the others never reach a lookup that could need it).
"""

from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from fastscan.kernels.datasharing import privacy  # noqa: E402
from fastscan.kernels.datasharing.exact import band  # noqa: E402
from fastscan.kernels.datasharing.point import nonempty_all  # noqa: E402

import fastscan  # noqa: E402
from fastscan.datasharing.compute import Profile  # noqa: E402
from fastscan.datasharing.intervals import equilibrium_ranges  # noqa: E402
from fastscan.datasharing.profiles import from_family  # noqa: E402

NOTIONS = ("nash", "robust", "designer")
OFFSETS = (-2, -1, 0, 1, 2)


def _step(x: float, k: int) -> float:
    for _ in range(abs(k)):
        x = math.nextafter(x, math.inf if k > 0 else 0.0)
    return x


def against_reference(instances: int, seed: int = 0) -> dict[int, list[int]]:
    """``{offset: [points, mismatches]}`` over every range end of random instances."""
    import reference_mp as R

    rng = np.random.default_rng(seed)
    counts = {k: [0, 0] for k in OFFSETS}
    for i in range(instances):
        n = int(rng.integers(3, 7))
        costs = [float(10.0 ** rng.uniform(-5, -1)) for _ in range(n)]
        alpha = float(rng.uniform(-1.5, 1.5))
        notion = NOTIONS[i % 3]
        for r in equilibrium_ranges(costs, alpha, notion=notion)[1:]:
            for k in OFFSETS:
                sigma = _step(r.low, k)
                got = fastscan.stable_coalitions(costs, alpha, sigma, notion=notion)
                counts[k][0] += 1
                counts[k][1] += got != R.stable_coalitions(costs, alpha, sigma, notion)
    return counts


TOUR = {  # README's tour (alpha x sigma grids as printed there); profiles as given
    "demo (Fig. 1 profile)": ("fig1", np.linspace(-1, 1, 41), np.linspace(0.05, 1, 200)),
    "cube.zarr (n = 3)": (
        np.array([[2.2e-4, 5.4e-4, 7e-4]]),
        np.linspace(-1, 1, 201),
        np.linspace(0.05, 1, 400),
    ),
    "mc.zarr (uniform n = 12, 100 seeds)": (
        "uniform",
        np.linspace(-1, 1, 41),
        np.linspace(0.05, 1, 200),
    ),
}


def _profiles(what) -> np.ndarray:
    if isinstance(what, np.ndarray):
        return what
    if what == "fig1":
        return np.array([[2.2e-4, 5.4e-4, 7e-4, 11e-4, 30e-4, 33e-4, 34e-4, 36e-4, 38e-4]])
    params = {"n": "12", "low": "1e-4", "high": "1e-2", "seed": "0:99:100"}
    return from_family("uniform", params).costs


def share_in_double_double(profiles: np.ndarray, alphas: np.ndarray, sigmas: np.ndarray):
    """``(cells, cells needing double-double)`` over every notion's thresholds."""
    s = sigmas * sigmas
    cells = needing = 0
    for costs in profiles:
        prof = Profile.from_costs(costs[~np.isnan(costs)])
        for alpha in alphas:
            hit = np.zeros(s.size, dtype=bool)
            for code in range(3):
                _, T = nonempty_all(prof.a, prof.c, (privacy.power([alpha]), 0), code)
                for row in (0, 2):
                    t = T[row][np.isfinite(T[row])]
                    k_bound = band(prof.n, (privacy.power([alpha]), 0))  # the widest band here
                    lo = np.searchsorted(s, t * (1 - k_bound), side="left")
                    hi = np.searchsorted(s, t * (1 + k_bound), side="right")
                    for a, b in zip(lo[hi > lo], hi[hi > lo], strict=True):
                        hit[a:b] = True
            cells += s.size
            needing += int(hit.sum())
    return cells, needing


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--instances", type=int, default=60)
    args = parser.parse_args()
    counts = against_reference(args.instances)
    print("| sigma at a range end | points | differ from the 100-digit reference |")
    print("|---|---:|---:|")
    for k in OFFSETS:
        label = "on the end" if k == 0 else f"{k:+d} ulp"
        print(f"| {label} | {counts[k][0]:,} | {counts[k][1]} |")
    print()
    print("| tour grid | cells (x 3 notions' thresholds) | decided in double-double | share |")
    print("|---|---:|---:|---:|")
    for name, (what, alphas, sigmas) in TOUR.items():
        cells, needing = share_in_double_double(_profiles(what), alphas, sigmas)
        print(f"| {name} | {cells:,} | {needing:,} | {needing / cells:.2e} |")


if __name__ == "__main__":
    main()
