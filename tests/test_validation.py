"""Bad input: a ValueError that names the argument and the allowed range."""

from __future__ import annotations

import math
import subprocess
import sys

import numpy as np
import pytest
from helpers import fastscan_cli

import fastscan

GOOD = [1e-3, 2e-3, 3e-3]


@pytest.mark.parametrize(
    "costs, match",
    [
        ([1e-3, np.nan, 2e-3], r"costs.*finite and > 0.*position 1"),
        ([1e-3, np.inf], r"costs.*finite and > 0"),
        ([1e-3, 0.0], r"costs.*finite and > 0"),
        ([1e-3, -1.0], r"costs.*finite and > 0"),
        ([1e-3], r"costs.*at least 2 players"),
        ([[1e-3, np.nan, 2e-3]], r"NaN may only pad the end"),
        ([["a", "b"]], r"costs must be numbers"),
        (np.zeros((2, 2, 2)) + 1, r"1-D or 2-D"),
    ],
)
def test_bad_costs(costs, match):
    with pytest.raises(ValueError, match=match):
        fastscan.scan(costs, 0.0, 0.5)


def test_too_many_players_for_all_points_to_downward():
    costs = np.linspace(1e-3, 2e-3, 41)
    with pytest.raises(ValueError, match=r"n=41.*n <= 40.*sets='downward'"):
        fastscan.scan(costs, 0.0, 0.5)
    with pytest.raises(ValueError, match=r"sets='downward'"):
        fastscan.stable_coalitions(costs, 0.0, 0.5)
    assert fastscan.scan(costs, 0.0, 0.5, sets="downward").n_players.item() == 41


@pytest.mark.parametrize("sigma", [0.0, -1.0, math.nan, math.inf, 1e-200, 1e200])
def test_bad_sigma(sigma):
    with pytest.raises(ValueError, match=r"sigma must be finite and > 0"):
        fastscan.scan(GOOD, 0.0, [0.5, sigma])
    with pytest.raises(ValueError, match=r"sigma must be finite and > 0"):
        fastscan.stable_coalitions(GOOD, 0.0, sigma)


@pytest.mark.parametrize("alpha", [math.nan, math.inf, -math.inf])
def test_bad_alpha(alpha):
    with pytest.raises(ValueError, match=r"alpha must be finite"):
        fastscan.scan(GOOD, [0.0, alpha], 0.5)


def test_bad_options():
    with pytest.raises(ValueError, match=r"sets must be one of 'all', 'downward'"):
        fastscan.scan(GOOD, 0.0, 0.5, sets="some")
    with pytest.raises(ValueError, match=r"notion must be one of 'nash', 'robust'"):
        fastscan.stable_coalitions(GOOD, 0.0, 0.5, notion="core")
    with pytest.raises(ValueError, match=r"members must name at least 2"):
        fastscan.describe_coalition(GOOD, 0.0, 0.5, [1])
    with pytest.raises(ValueError, match=r"members must be positions in 0..2"):
        fastscan.stability_interval(GOOD, 0.0, [0, 3])
    with pytest.raises(ValueError, match=r"members must be distinct"):
        fastscan.stability_interval(GOOD, 0.0, [0, 0, 1])
    with pytest.raises(ValueError, match=r"alpha must be a number or a non-empty"):
        fastscan.scan(GOOD, [], 0.5)


def test_any_alpha_is_accepted_and_costs_in_any_order():
    ds = fastscan.scan([3e-3, 1e-3, 2e-3], [-5.0, 7.5], 0.3)
    assert ds.sizes["alpha"] == 2
    assert fastscan.stable_coalitions([3e-3, 1e-3, 2e-3], 0.0, 1.0, notion="robust") == [(0, 1, 2)]


def test_cli_default_scan_is_the_demo_and_reruns(tmp_path):
    first = fastscan_cli("scan", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    assert "plan:" in first.stderr and "nash: an equilibrium exists" in first.stdout
    assert (tmp_path / "fastscan-demo.zarr" / ".fastscan" / "done").exists()
    again = fastscan_cli("scan", cwd=tmp_path)
    assert again.returncode == 0 and "nothing to do" in again.stderr
    assert again.stdout == first.stdout  # the same summary, from the same cube


def test_help_does_not_import_heavy_modules():
    code = (
        "import sys; from fastscan.cli.main import main; "
        "print(any(m in sys.modules for m in ('numba', 'xarray', 'dask')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
