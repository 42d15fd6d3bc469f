"""The issue's ratio targets, each from interleaved rounds of its two variants (``paired``).

- the sigma axis: 4096 sigma values against 1 (n = 16, 20, 24; 16 alpha);
- threads: 2 threads against 1 (n = 22, 16 alpha, 4096 sigma), reported as ``1 / ratio``;
- issue 12's extra tables: the worst equilibrium (``worst=True``) and the designer notion against
  the default scan, all subsets (1 and 4096 sigma) and downward.
"""

from __future__ import annotations

import pytest
from cases import Case
from paired import paired

import fastscan

PAIRS = {
    **{
        f"sigma-axis-n{n}": (Case("m", "all", n, 16, 4096), Case("r", "all", n, 16, 1))
        for n in (16, 20, 24)
    },
    "threads-n22": (
        Case("m", "all", 22, 16, 4096, threads=2),
        Case("r", "all", 22, 16, 4096, threads=1),
    ),
    **{
        f"worst-n{n}-sigma{ns}": (
            Case("m", "all", n, 16, ns, worst=True),
            Case("r", "all", n, 16, ns),
        )
        for n, ns in ((20, 4096), (24, 1), (24, 4096))
    },
    "worst-downward-n1e6": (
        Case("m", "downward", 10**6, 64, 1024, worst=True),
        Case("r", "downward", 10**6, 64, 1024),
    ),
    "designer-n20-sigma4096": (
        Case("m", "all", 20, 16, 4096, notions=("nash", "robust", "designer")),
        Case("r", "all", 20, 16, 4096),
    ),
}


@pytest.fixture(scope="module", autouse=True)
def warm_up():
    from fastscan.datasharing.compute import warm_up

    warm_up()


def _runner(case: Case, smoke: bool):
    costs, alpha, sigma = case.inputs()
    if smoke:
        costs = costs[:12]
    kw = {"sets": case.sets, "threads": case.threads, "worst": case.worst, "notions": case.notions}
    return lambda: fastscan.scan(costs, alpha, sigma, **kw)


@pytest.mark.parametrize("name", list(PAIRS))
def test_paired_ratio(benchmark, name):
    measured, reference = PAIRS[name]
    smoke = benchmark.disabled
    paired(benchmark, _runner(measured, smoke), _runner(reference, smoke), rounds=7)
