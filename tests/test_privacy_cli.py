"""fastscan scan | coalitions | intervals --privacy: cubes with a p or model dim (or none), the
same cells as the in-memory scan, resume, query and plot by the model's dim, and bad models
refused in one line before anything is written."""

from __future__ import annotations

import numpy as np
import pytest
import xarray as xr
from helpers import fastscan_cli

import fastscan

COSTS = "1,2,3,5,8"
SIGMA = "0.5:4:60"


def ok(command: str):
    r = fastscan_cli(command)
    assert r.returncode == 0, r.stderr
    return r


def same_cells(disk: xr.Dataset, mem: xr.Dataset) -> None:
    assert set(disk.data_vars) == set(mem.data_vars)
    for name in mem.data_vars:
        assert disk[name].dims == mem[name].dims, name
        assert disk[name].values.tobytes() == mem[name].values.tobytes(), name


def test_leakage_cube_has_a_p_dim_resumes_and_answers_queries(tmp_path):
    out = tmp_path / "leak.zarr"
    ok(f"scan --costs {COSTS} --privacy leakage --p 0.01:0.5:6 --sigma {SIGMA} --out {out} --quiet")
    disk = xr.open_zarr(out)
    assert disk.p.values.tolist() == np.linspace(0.01, 0.5, 6).tolist()
    assert "alpha" not in disk.dims and disk.stable_count.dims[:3] == ("profile", "p", "sigma")
    assert "leakage" in disk.p.attrs["description"]
    mem = fastscan.scan(
        [1, 2, 3, 5, 8],
        sigma=np.linspace(0.5, 4, 60),
        privacy="leakage",
        p=np.linspace(0.01, 0.5, 6),
    )
    same_cells(disk[list(mem.data_vars)], mem)
    # a resume of a finished cube with the same model is accepted; another model is refused
    leak = f"--privacy leakage --p 0.01:0.5:6 --sigma {SIGMA}"
    ok(f"scan --costs {COSTS} {leak} --out {out} --resume")
    r = fastscan_cli(f"scan --costs {COSTS} --sigma {SIGMA} --out {out} --resume")
    assert r.returncode == 2 and "privacy: store has leakage, this scan has power" in r.stderr
    other = f"--privacy leakage --p 0.02:0.5:6 --sigma {SIGMA}"
    r = fastscan_cli(f"scan --costs {COSTS} {other} --out {out} --resume")
    assert r.returncode == 2 and "p: store has 6 values" in r.stderr, r.stderr
    q = ok(f"query {out} --var max_size --sel p=0.5 --sel notion=robust --reduce max:sigma")
    assert "# selected p=0.5" in q.stderr and q.stdout.strip().splitlines()[-1].split()[-1] == "5"
    png = tmp_path / "phase.png"
    ok(f"plot {out} --var max_size --x sigma --y p --sel notion=robust --out {png}")
    assert png.stat().st_size > 10_000


def test_table_cube_has_a_model_dim_labelled_by_the_header(tmp_path):
    f = tmp_path / "f.csv"
    f.write_text("secagg,local\n1,1\n0.5,1\n0.3333333333333333,1\n0.25,1\n0.2,1\n")
    out = tmp_path / "table.zarr"
    ok(f"scan --costs {COSTS} --f-file {f} --sigma {SIGMA} --out {out} --quiet")
    disk = xr.open_zarr(out)
    assert disk.model.values.tolist() == ["secagg", "local"]
    table = np.array([[1, 0.5, 1 / 3, 0.25, 0.2], [1, 1, 1, 1, 1]])
    mem = fastscan.scan(
        [1, 2, 3, 5, 8], sigma=np.linspace(0.5, 4, 60), f=table, models=["secagg", "local"]
    )
    same_cells(disk[list(mem.data_vars)], mem)
    q = ok(f"query {out} --var stable_count --sel model=secagg --sel notion=nash --format csv")
    assert q.stdout.count("\n") > 50


def test_constant_cube_has_no_model_dim_and_is_alpha_zero(tmp_path):
    out = tmp_path / "const.zarr"
    ok(f"scan --costs {COSTS} --privacy constant --sigma {SIGMA} --out {out} --quiet")
    disk = xr.open_zarr(out)
    assert "alpha" not in disk.dims and disk.stable_count.dims == ("profile", "sigma", "notion")
    power = fastscan.scan([1, 2, 3, 5, 8], [0.0], np.linspace(0.5, 4, 60)).isel(alpha=0)
    for name in power.data_vars:
        assert disk[name].values.tobytes() == power[name].values.tobytes(), name


def test_one_point_commands_take_the_model(tmp_path):
    r = ok(f"coalitions --costs {COSTS} --privacy leakage --p 0.3 --sigma 2.2 --notion robust")
    assert "at p=0.3" in r.stdout
    mine = fastscan.stable_coalitions(
        [1, 2, 3, 5, 8], sigma=2.2, notion="robust", privacy="leakage", p=0.3
    )
    assert f"robust: {len(mine)} stable coalition" in r.stdout
    text = ok(f"intervals --costs {COSTS} --privacy leakage --p 0.3 --notion robust").stdout
    first = next(line for line in text.splitlines() if "no equilibrium" not in line)
    low = float(first.split("[")[1].split(",")[0])
    assert fastscan.stable_coalitions(
        [1, 2, 3, 5, 8], sigma=low, notion="robust", privacy="leakage", p=0.3
    )
    assert not fastscan.stable_coalitions(
        [1, 2, 3, 5, 8], sigma=np.nextafter(low, 0), notion="robust", privacy="leakage", p=0.3
    )
    png = tmp_path / "fig1.png"
    ok(f"intervals --costs {COSTS} --privacy leakage --p 0.05 --plot {png}")
    assert png.stat().st_size > 10_000


@pytest.mark.parametrize(
    ("options", "words"),
    [
        ("--privacy leakage --p 0,0.5", ("--p", "[1e-100, 1)", "0.0")),
        ("--privacy leakage --p 0.5,1", ("--p", "1.0")),
        ("--privacy leakage --p -0.1", ("--p",)),
        ("--privacy leakage", ("--privacy leakage needs --p",)),
        ("--p 0.3", ("--p is not a parameter of --privacy power",)),
        (
            "--privacy leakage --p 0.3 --alpha 1",
            ("--alpha is not a parameter of --privacy leakage",),
        ),
        ("--privacy constant --alpha 1", ("--alpha", "constant")),
        ("--f-file {few}", ("--f-file", "k = 1..3", "5 players")),
        ("--f-file {zero}", ("--f-file", "k=3", "'b'")),
        ("--f-file {nan}", ("--f-file", "nan")),
        ("--f-file {noheader}", ("--f-file", "first line")),
        ("--f-file {blank}", ("--f-file", "name every column")),
    ],
)
def test_bad_models_are_one_line_exit_2_and_write_nothing(tmp_path, options, words):
    files = {
        "few": "a\n1\n1\n1\n",
        "zero": "a,b\n1,1\n1,1\n1,0\n1,1\n1,1\n",
        "nan": "a\n1\n1\nnan\n1\n1\n",
        "noheader": "1,2\n1,1\n1,1\n1,1\n1,1\n",
        "blank": "a,\n1,1\n1,1\n1,1\n1,1\n1,1\n",
    }
    paths = {}
    for name, text in files.items():
        paths[name] = tmp_path / f"{name}.csv"
        paths[name].write_text(text)
    out = tmp_path / "c.zarr"
    r = fastscan_cli(f"scan --costs {COSTS} {options.format(**paths)} --sigma 0.5 --out {out}")
    assert r.returncode == 2 and len(r.stderr.strip().splitlines()) == 1, r.stderr
    assert all(w in r.stderr for w in words), r.stderr
    assert not out.exists()


def test_check_privacy_runs_what_holds_for_any_f_and_says_what_it_skipped(tmp_path):
    r = ok("check --privacy leakage --profiles 10 --n 2:4")
    for name in ("claim1", "claim5", "claim6", "claim8", "lemma6", "thm2"):
        assert f"PASS {name}" in r.stdout, r.stdout
    assert "skipped under leakage: claim2-printed, claim2, claim3" in r.stdout
    assert "f(k) = k^alpha" in r.stdout
    # k^2 f(k) drops (f = k^-3): Claim 1 fails as expected, with the command that shows it
    f = tmp_path / "cube.csv"
    f.write_text("cube\n1\n0.125\n0.037037037037037035\n0.015625\n0.008\n")
    r = fastscan_cli(f"check --claims claim1 --privacy table --f-file {f} --profiles 3000 --n 3:4")
    assert r.returncode == 0, r.stderr
    assert "FAIL claim1" in r.stdout and "expected to fail: k^2 f(k) drops" in r.stdout
    show = r.stdout.split("show: fastscan ")[1].splitlines()[0]
    nash = ok(show.replace("--notion all", "--notion nash")).stdout
    robust = ok(show.replace("--notion all", "--notion robust")).stdout
    assert nash.count("\ncoalition ") > robust.count("\ncoalition ")
    r = fastscan_cli("check --privacy leakage --cube c.zarr")
    assert r.returncode == 2 and "--cube" in r.stderr
