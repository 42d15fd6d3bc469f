"""fastscan partitions scan | show | intervals as a user runs them: a cube the in-memory scan
agrees with bit for bit, resumed, queried and plotted by the core's commands; a split profile
whose blocks merge; one point's table; and bad input in one line, exit 2, nothing written."""

from __future__ import annotations

import numpy as np
import pytest
import xarray as xr
from helpers import fastscan_cli

from fastscan import partitions as P

COSTS = "0.01,0.02,0.05,0.03,0.012"


def ok(command: str):
    r = fastscan_cli(command)
    assert r.returncode == 0, r.stderr
    return r


def test_scan_cube_is_the_in_memory_scan_and_resumes_queries_and_plots(tmp_path):
    out = tmp_path / "p.zarr"
    notions = "nash,individual,contractual,core"
    ok(
        f"partitions scan --costs {COSTS} --alpha -1:1:5 --sigma 0.05:1:30 --notion {notions} "
        f"--out {out} --quiet"
    )
    disk = xr.open_zarr(out)
    mem = P.scan(
        [0.01, 0.02, 0.05, 0.03, 0.012],
        alpha=np.linspace(-1, 1, 5),
        sigma=np.linspace(0.05, 1, 30),
        notions=notions,
    )
    for name in mem.data_vars:
        assert disk[name].dims == mem[name].dims, name
        assert disk[name].values.tobytes() == mem[name].values.tobytes(), name
    assert disk.attrs["fastscan_game"] == "partitions"
    info = ok(f"info {out}").stdout
    assert "game: partitions" in info and "complete" in info
    r = ok(
        f"partitions scan --costs {COSTS} --alpha -1:1:5 --sigma 0.05:1:30 --notion {notions} "
        f"--out {out} --resume"
    )
    assert "nothing to do" in r.stderr
    q = ok(f"query {out} --var exists --sel alpha=0.5 --sel sigma=0.6 --format csv").stdout
    assert q.splitlines()[0] == "profile,notion,exists" and len(q.splitlines()) == 5
    png = tmp_path / "blocks.png"
    ok(f"plot {out} --var blocks --x sigma --y alpha --sel notion=nash --out {png}")
    assert png.stat().st_size > 10_000


def test_a_large_profile_splits_into_blocks_that_merge(tmp_path):
    """Eleven players: the partitions split by their first players' labels, one task each."""
    costs = "0.004,0.02,0.0071,0.03,0.011,0.05,0.013,0.017,0.024,0.009,0.04"
    out = tmp_path / "big.zarr"
    r = ok(
        f"partitions scan --costs {costs} --alpha 0,1 --sigma 0.1:0.6:8 --notion nash --out {out}"
    )
    assert "in 2 blocks" in r.stderr, r.stderr
    disk = xr.open_zarr(out).isel(profile=0)
    values = [float(x) for x in costs.split(",")]
    for a in (0.0, 1.0):
        for s in disk.sigma.values[::3]:
            want = P.stable_partitions(values, a, float(s), "nash")
            assert int(disk.stable_count.sel(alpha=a, sigma=s, notion="nash")) == len(want)


def test_show_lists_each_stable_partition_with_its_table():
    r = ok("partitions show --costs 0.01,0.02,0.05,0.03 --alpha 0.5 --sigma 0.61 --notion nash")
    assert r.stdout.startswith("nash: 1 stable partition at alpha=0.5, sigma=0.61")
    assert "partition 0,0,1,0: stable under nash" in r.stdout
    assert "stays: no gain" in r.stdout
    r = ok(
        "partitions show --costs 0.01,0.02,0.05,0.03 --alpha 0.5 --sigma 0.61 "
        "--notion individual --partition 0,1,2,3"
    )
    assert "not stable under individual" in r.stdout


def test_intervals_table_and_json():
    r = ok("partitions intervals --costs 0.01,0.02,0.05,0.03 --alpha 0.5 --notion nash")
    rows = r.stdout.splitlines()
    assert rows[0].startswith("nash        [1e-150, ")
    assert any("no stable partition" in row for row in rows)
    r = ok(
        "partitions intervals --costs 0.01,0.02,0.05,0.03 --alpha 0.5 --notion core --format json"
    )
    assert '"partitions"' in r.stdout


@pytest.mark.parametrize(
    "command, words",
    [
        ("partitions scan --costs " + ",".join(["0.01"] * 15) + " --out {out}", ["n <= 14"]),
        (
            "partitions scan --costs " + ",".join(["0.01"] * 12) + " --notion core --out {out}",
            ["n <= 11", "core"],
        ),
        ("partitions scan --costs 0.01,0.02 --notion robust --out {out}", ["--notion", "robust"]),
        ("partitions scan --costs 0.01,0.02 --p 0.1 --out {out}", ["--p"]),
        ("partitions scan --alpha 0 --out {out}", ["--costs"]),
        ("partitions scan --costs 0.01,-1 --out {out}", ["costs", "> 0"]),
        ("partitions scan --costs 0.01,0.02 --sigma 0 --out {out}", ["sigma"]),
        ("partitions scan --costs 0.01,0.02 --out memory://x", ["memory://"]),
        ("partitions intervals --costs " + ",".join(["0.01"] * 11) + " --alpha 0", ["n <= 10"]),
        (
            "partitions show --costs 0.01,0.02,0.03 --alpha 0 --sigma 1 --partition 0,1",
            ["--partition", "one block label per player"],
        ),
        ("partitions show --costs 0.01,0.02,0.03 --sigma 1", ["--alpha"]),
    ],
)
def test_bad_input_is_one_line_exit_2_and_writes_nothing(tmp_path, command, words):
    out = tmp_path / "bad.zarr"
    r = fastscan_cli(command.format(out=out))
    assert r.returncode == 2 and len(r.stderr.strip().splitlines()) == 1, r.stderr
    assert all(w in r.stderr for w in words), r.stderr
    assert not out.exists()


def test_privacy_models_give_the_cube_their_dim(tmp_path):
    """--privacy leakage: a p dim in place of alpha, the same cells as the in-memory scan."""
    out = tmp_path / "leak.zarr"
    ok(
        f"partitions scan --costs {COSTS} --privacy leakage --p 0.05:0.5:4 --sigma 0.05:1:12 "
        f"--notion nash,core --out {out} --quiet"
    )
    disk = xr.open_zarr(out)
    assert "alpha" not in disk.dims and disk.stable_count.dims[:3] == ("profile", "p", "sigma")
    mem = P.scan(
        [0.01, 0.02, 0.05, 0.03, 0.012],
        sigma=np.linspace(0.05, 1, 12),
        privacy="leakage",
        p=np.linspace(0.05, 0.5, 4),
        notions="nash,core",
    )
    for name in mem.data_vars:
        assert disk[name].values.tobytes() == mem[name].values.tobytes(), name
    p, sigma = float(disk.p.values[1]), float(disk.sigma.values[7])
    for notion in ("nash", "core"):
        at = P.count_stable(
            [0.01, 0.02, 0.05, 0.03, 0.012], None, sigma, notion, privacy="leakage", p=p
        )
        cell = disk.stable_count.isel(profile=0).sel(p=p, sigma=sigma, notion=notion)
        assert int(cell) == at
