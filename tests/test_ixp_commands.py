"""fastscan ixp scan / solve / check as a user types them: the planted examples' numbers, the
metric family, --method optimum against enumeration, --approx, and one-line refusals."""

from __future__ import annotations

import json

import numpy as np
import pytest
from helpers import fastscan_cli
from hypothesis import given, settings
from strategies import ixp_instances

from fastscan.cube import open_cube
from fastscan.ixp import families

EPS = 1e-3


def test_planted_family_numbers(tmp_path):
    out = tmp_path / "p.zarr"
    r = fastscan_cli(
        f"ixp scan --family planted --name thm41,thm42,thm44,hub --eps {EPS} "
        f"--alpha 1,1.25,1.5,1.9 --approx --out {out}"
    )
    assert r.returncode == 0, r.stderr
    ds = open_cube(str(out)).load()
    names = [str(x) for x in ds.planted.values]
    assert names == ["thm41", "thm42"] + ["thm44"] * 4 + ["hub"]
    t41 = ds.isel(instance=0)
    assert t41.optimum_cost.item() == pytest.approx(1 + EPS)
    assert t41.pos.sel(alpha=1.0).item() == pytest.approx(2 / (1 + EPS))
    assert ds.isel(instance=1).poa.sel(alpha=1.0).item() == np.inf  # Thm 4.2
    for p in range(2, 6):  # Thm 4.4 tight on its own alpha: best = 2 c(s*) / (alpha (1 + eps))
        row = ds.isel(instance=p)
        a = row.planted_alpha.item()
        want = 2 * row.optimum_cost.item() / (a * (1 + EPS))
        assert row.best_stable_cost.sel(alpha=a).item() == pytest.approx(want)
    hub = ds.isel(instance=6)
    assert hub.lp19.item() == pytest.approx(1.5) and hub.alg1_cost.item() == pytest.approx(3)
    assert hub.multi_optimum_cost.item() == pytest.approx(2)
    assert (ds.lp19 <= ds.multi_optimum_cost + 1e-9).all()
    assert (ds.multi_optimum_cost <= ds.optimum_cost + 1e-9).all()
    r = fastscan_cli(f"query {out} --var pos --sel planted=thm41 --sel alpha=1 --format csv")
    assert r.returncode == 0 and float(r.stdout.split()[-1]) == pytest.approx(2 / (1 + EPS))


def test_metric_family_is_reproducible_and_metric():
    params = dict(n="4,6", m="2", density="0.5", ratio="1", facility="1", seed="0:2:3")
    a = families.from_family("metric", params)
    b = families.from_family("metric", params)
    np.testing.assert_array_equal(a.w_facility, b.w_facility)
    wf = a.w_facility[~np.isnan(a.w_facility)]
    assert (wf >= 0).all() and (wf <= np.sqrt(2)).all()
    assert not np.array_equal(a.instance(0).w_facility, a.instance(1).w_facility)


def test_method_optimum_agrees_with_enumeration(tmp_path):
    args = "--family uniform --n 3:6:4 --m 1,2,3 --density 0.6 --ratio 1,2 --facility 1 --seed 0"
    ex, op = tmp_path / "e.zarr", tmp_path / "o.zarr"
    assert fastscan_cli(f"ixp scan {args} --alpha 1,2 --out {ex}").returncode == 0
    r = fastscan_cli(f"ixp scan {args} --alpha 1,2 --method optimum --out {op}")
    assert r.returncode == 0 and "method optimum" in r.stderr, r.stderr
    e, o = open_cube(str(ex)).load(), open_cube(str(op)).load()
    assert "pos" not in o and "stable_count" not in o and o.optimum_cost.dims == ("instance",)
    np.testing.assert_allclose(o.optimum_cost, e.optimum_cost, rtol=1e-12, atol=1e-12)
    same = (o.optimum_assignment == e.optimum_assignment).all("agent").values
    assert same.mean() > 0.5  # ties may differ; where s* is the same, so is all the rest
    for name in ("optimum_alpha", "delta", "process_cost", "peering_stable"):
        np.testing.assert_allclose(o[name].values[same], e[name].values[same], rtol=1e-9)
    assert fastscan_cli(f"info {op}").stdout.count("complete") >= 1


def test_large_instances_need_method_optimum(tmp_path):
    out = tmp_path / "big.zarr"
    big = "--family uniform --n 30 --m 3 --density 0.2 --ratio 1 --facility 1 --seed 0"
    r = fastscan_cli(f"ixp scan {big} --out {out}")
    assert r.returncode == 2 and "--method optimum" in r.stderr and not out.exists()
    r = fastscan_cli(f"ixp scan {big} --method optimum --out {out} --quiet")
    assert r.returncode == 0, r.stderr
    assert open_cube(str(out)).optimum_alpha.values.item() <= 2


def test_solve_explains_thm41():
    r = fastscan_cli(f"ixp solve --family planted --name thm41 --eps {EPS} --alpha 1,2")
    assert r.returncode == 0, r.stderr
    assert "optimum s* = [0, 0]" in r.stdout and "Thm 4.3's process" in r.stdout
    r = fastscan_cli(
        f"ixp solve --family planted --name thm41 --eps {EPS} --alpha 1,2 --format json"
    )
    doc = json.loads(r.stdout)[0]
    assert doc["optimum_cost"] == pytest.approx(1 + EPS) and doc["delta"] == pytest.approx(EPS)
    first = doc["alpha"][0]
    assert first["stable_count"] == 2 and first["best_stable_assignment"] == [-1, -1]
    assert doc["lp19"] == pytest.approx(1 + EPS)


def test_check_passes_on_files_and_fails_loudly(tmp_path, monkeypatch):
    path = tmp_path / "i.json"
    rng = np.random.default_rng(3)
    rows = []
    for _ in range(3):
        inst = families.uniform(5, 2, 0.7, 1.0, 1.0, int(rng.integers(1000)))
        rows.append(
            {k: getattr(inst, k).tolist() for k in ("w_facility", "w_pair", "facility_cost")}
        )
    path.write_text(json.dumps(rows))
    r = fastscan_cli(f"ixp check --instances {path}")
    assert r.returncode == 0, r.stdout + r.stderr
    assert "FAIL" not in r.stdout and r.stdout.strip().endswith("checks passed")
    r = fastscan_cli(f"ixp check --instances {path} --index 1 --format json")
    claims = json.loads(r.stdout)
    assert all(c["pass"] and c["instance"] == 1 for c in claims) and len(claims) >= 10

    from fastscan.ixp import report

    real = report.check
    monkeypatch.setattr(
        report, "check", lambda inst, a: [*real(inst, a), report.Verdict("made up", False, "x")]
    )
    r = fastscan_cli(f"ixp check --instances {path} --index 0")
    assert r.returncode == 1 and "FAIL  made up" in r.stdout


@pytest.mark.parametrize(
    "args, word",
    [
        ("scan --family planted --name thm9 --out X", "--name"),
        ("scan --family planted --name thm41 --out X", "--eps"),
        ("scan --family planted --name hub --n 3 --out X", "takes no --n"),
        (
            "scan --family uniform --n 3 --m 1 --density 0.5 --ratio 1 --facility 1 --seed 0 "
            "--alpha 2,1 --out X",
            "ascending",
        ),
        ("solve --instances nowhere.json", "--instances"),
        ("check --family planted --name hub --index 5", "--index"),
        ("solve --family planted --name hub --alpha 0.5", "--alpha"),
    ],
)
def test_bad_input_is_one_line(tmp_path, args, word):
    r = fastscan_cli("ixp " + args.replace("X", str(tmp_path / "x.zarr")))
    assert r.returncode == 2 and r.stderr.count("\n") == 1 and word in r.stderr, r.stderr
    assert not (tmp_path / "x.zarr").exists()


@settings(max_examples=25, deadline=None)
@given(ixp_instances(max_n=5, max_m=3))
def test_check_finds_every_claim_true_on_random_instances(inst):
    from fastscan.ixp import report

    verdicts = report.check(inst, np.linspace(1, 3, 9))
    assert all(v.ok for v in verdicts), [v for v in verdicts if not v.ok]


def test_readme_ixp_lines_run_verbatim(tmp_path, monkeypatch):
    """The README's planted, solve and query lines, as printed there."""
    import os

    text = open(os.path.join(os.path.dirname(__file__), "..", "README.md")).read()
    block = next(b for b in text.split("```")[1::2] if "fastscan ixp scan --family planted" in b)
    lines = [line.split("#")[0].strip() for line in block.splitlines()]
    wanted = ("ixp scan --family planted", "ixp solve --family planted", "query planted.zarr")
    monkeypatch.chdir(tmp_path)
    for line in lines:
        if any(w in line for w in wanted):
            r = fastscan_cli(line.replace("fastscan ", "", 1))
            assert r.returncode == 0, (line, r.stderr)
    assert "thm41" in r.stdout or "pos" in r.stdout
