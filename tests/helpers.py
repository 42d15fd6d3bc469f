"""Small helpers shared by the tests."""

from __future__ import annotations

import math

import numpy as np
from reference import all_coalitions, interval_s

from fastscan.datasharing import model

NOTIONS = ("nash", "robust")
ALL_NOTIONS = ("nash", "robust", "designer")  # with issue 12's designer notion


def reference_intervals(costs, alpha, notion):
    c = [float(x) for x in costs]
    return {S: interval_s(c, alpha, S, notion) for S in all_coalitions(len(c))}


def s_between_edges(intervals, u: float) -> float:
    """An ``s`` log-uniformly placed around every threshold of the profile (``u`` in [0, 1])."""
    edges = [x for iv in intervals.values() for x in iv if math.isfinite(x)]
    lo, hi = min(edges) * 0.5, max(edges) * 2.0
    return lo * (hi / lo) ** u


def ulp_neighbours(x: float) -> list[float]:
    return [math.nextafter(x, 0.0), x, math.nextafter(x, math.inf)]


def bitmask(coalition) -> int:
    return sum(1 << i for i in coalition)


def social_cost(costs, coalition, s, alpha) -> float:
    return model.social_cost_d(np.asarray(costs)[list(coalition)], len(costs), s, alpha)


def expected_optimum(costs, stable, s, alpha):
    """The stable coalition of least social cost, and every coalition tied with it (rel 1e-12)."""
    if not stable:
        return None, []
    sc = {S: social_cost(costs, S, s, alpha) for S in stable}
    best = min(sc.values())
    tied = [S for S in stable if sc[S] <= best * (1 + 1e-12)]
    return best, tied


def same_cost_multiset(costs, coalitions) -> bool:
    keys = {(len(S), tuple(sorted(float(costs[i]) for i in S))) for S in coalitions}
    return len(keys) == 1


def subprocess_env(**extra: str) -> dict:
    """The environment of a ``fastscan`` subprocess: compiled kernels shared through the
    on-disk cache, in the private folder ``conftest.py`` gives this process too."""
    import os

    return dict(os.environ, **extra)


def fastscan_cli(command: str, *, fresh: bool = False, cwd=None, env=None, timeout=600):
    """Run ``fastscan COMMAND`` (one string, split like a shell would); stdout, stderr and
    returncode as text. In this process through click's ``CliRunner``, or with ``fresh`` in a
    new process: for what needs one (signals, start-up time, the on-disk kernel cache, a second
    writer)."""
    import shlex

    args = shlex.split(command)
    if fresh:
        import subprocess
        import sys

        return subprocess.run(
            [sys.executable, "-m", "fastscan.cli.main", *args],
            capture_output=True,
            text=True,
            cwd=cwd,
            env=subprocess_env(**(env or {})),
            timeout=timeout,
        )
    import contextlib
    import os
    import traceback
    from types import SimpleNamespace

    from click.testing import CliRunner
    from fastscan.cli.main import main

    with contextlib.chdir(cwd or os.getcwd()):
        result = CliRunner().invoke(main, args, env=env, catch_exceptions=True)
    stderr = result.stderr
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        stderr += "".join(traceback.format_exception(*result.exc_info))  # a bug: show it
    return SimpleNamespace(returncode=result.exit_code, stdout=result.stdout, stderr=stderr)


def spawn(command: str, **kw):
    """``fastscan COMMAND`` started in a background process (for signals)."""
    import shlex
    import subprocess
    import sys

    return subprocess.Popen(
        [sys.executable, "-m", "fastscan.cli.main", *shlex.split(command)],
        env=subprocess_env(),
        **kw,
    )
