"""Issue 21: a privacy model costs what an alpha costs. The leakage and table models against the
power model over the same number of values (16), each pair from interleaved rounds (``paired``):
all subsets (n = 24, 4096 sigma) and downward (n = 10^6, 1024 sigma); the target is ratio <= 1.10.

The same costs and sigma on both sides; leakage over 16 p in [0.05, 0.95], table over 16 rows
``f(k) = k^alpha`` for the power side's 16 alpha. The all-subsets kernel's work depends on the
values, not on the model: small f (p near 0: f(k) ~ (k - 1) p) keeps more coalitions stable
somewhere on the grid, so p down to 1e-3 costs 2.5x the power law's alpha in [-1, 1], and a
table holding those same f values costs the same as that leakage scan (measured; the notes of
issue 21).
"""

from __future__ import annotations

import numpy as np
import pytest
from cases import Case
from paired import paired

import fastscan

CASES = {
    "n24": Case("privacy-n24", "all", 24, 16, 4096),
    "downward-n1e6": Case("privacy-downward-n1e6", "downward", 10**6, 16, 1024),
}
PAIRS = {
    f"privacy-{model}-{key}": (model, case)
    for key, case in CASES.items()
    for model in ("leakage", "table")
}


@pytest.fixture(scope="module", autouse=True)
def warm_up():
    from fastscan.datasharing.compute import warm_up

    warm_up()


def _runner(case: Case, privacy: str, smoke: bool):
    costs, alpha, sigma = case.inputs()
    if smoke:
        costs = costs[:12]
    kw: dict = {"sets": case.sets, "threads": case.threads}
    if privacy == "leakage":
        kw.update(privacy="leakage", p=np.linspace(0.05, 0.95, case.n_alpha))
    elif privacy == "table":
        k = np.arange(1, costs.size + 1, dtype=np.float64)
        kw.update(privacy="table", f=k[None, :] ** alpha[:, None])
    else:
        kw.update(alpha=alpha)
    return lambda: fastscan.scan(costs, sigma=sigma, **kw)


@pytest.mark.parametrize("name", list(PAIRS))
def test_privacy_ratio(benchmark, name):
    model, case = PAIRS[name]
    smoke = benchmark.disabled
    paired(benchmark, _runner(case, model, smoke), _runner(case, "power", smoke), rounds=7)
