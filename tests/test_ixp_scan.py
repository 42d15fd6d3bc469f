"""The IXP game through the engine: a family of instances scanned in memory and into a cube
(the same core as the data-sharing game) equals each instance solved from the definitions."""

from __future__ import annotations

import math

import numpy as np
import pytest
from helpers import fastscan_cli

from fastscan import cube
from fastscan.ixp import api, families, plan, solve
from fastscan.query import query_lines
from fastscan.store import Store

ALPHA = [1.0, 1.2, 1.5, 2.0]
PARAMS = {
    "n": "2:4:3",
    "m": "1,2",
    "density": "0.5",
    "ratio": "1",
    "facility": "0,2",
    "seed": "0:1:2",
}


@pytest.fixture(scope="module")
def family():
    return families.from_family("uniform", PARAMS)


def test_family_is_reproducible_and_labelled(family):
    again = families.from_family("uniform", PARAMS)
    np.testing.assert_array_equal(family.w_pair, again.w_pair)
    assert len(family) == 3 * 2 * 2 * 2
    assert family.labels["n"].tolist()[:8] == [2] * 8 and "facility_max" in family.labels
    with pytest.raises(ValueError, match="density"):
        families.from_family("uniform", {**PARAMS, "density": "1.5"})
    with pytest.raises(ValueError, match="family uniform needs seed"):
        families.from_family("uniform", {k: v for k, v in PARAMS.items() if k != "seed"})


def check(ds, family):
    for p in range(len(family)):
        inst = family.instance(p)
        a = solve.analyse(inst, ALPHA)
        row = ds.isel(instance=p)
        np.testing.assert_array_equal(row.stable_count.values, a.stable_count)
        np.testing.assert_allclose(row.best_stable_cost.values, a.best_stable_cost, rtol=1e-12)
        np.testing.assert_allclose(row.pos.values, a.pos, rtol=1e-12)
        np.testing.assert_allclose(row.poa.values, a.poa, rtol=1e-12)
        assert row.optimum_cost.item() == pytest.approx(a.optimum_cost, rel=1e-12)
        got = row.optimum_assignment.values
        assert got[: inst.n].tolist() == a.optimum_assignment.tolist()
        assert (got[inst.n :] == -2).all()
        for name in ("optimum_alpha", "delta", "delta_ratio", "thm53_slack", "process_cost"):
            want = getattr(a, name)
            assert row[name].item() == pytest.approx(want, rel=1e-9, abs=1e-12), name
        assert bool(row.doubled_stable) == a.doubled_stable
        assert bool(row.peering_stable) == a.peering_stable
        assert row.thm53_slack.item() >= -1e-9 and row.optimum_alpha.item() <= 2 + 1e-9
        assert math.isfinite(row.pos.values[0]) or a.optimum_cost == 0


def test_in_memory_scan_equals_the_definitions(family):
    ds = api.scan(family, ALPHA, threads=2)
    assert ds.attrs["fastscan_game"] == "ixp"
    assert ds.best_stable_assignment.dims == ("instance", "alpha", "agent")
    assert ds.w_pair.dims == ("instance", "agent", "agent2") and "seed" in ds.coords
    check(ds, family)


def test_cube_resume_info_and_query(family, tmp_path):
    p = plan.build(family, ALPHA, chunks=(5, 4))
    store = Store(str(tmp_path / "ixp.zarr"))
    p, state = cube.prepare(p, store, "new")
    cube.run_to_store(p, store, "new", status=state)
    ds = cube.open_cube(store.url).load()
    check(ds, family)
    text, whole = cube.describe(store)
    assert whole and "game: ixp" in text and "5 of 5 chunks done" in text
    (tmp_path / "ixp.zarr" / ".fastscan" / "done" / "i2-a0").unlink()
    p, state = cube.prepare(plan.build(family, ALPHA), store, "resume")
    assert p.chunks == (5, 4) and len(state.done) == 4
    cube.run_to_store(p, store, "resume", status=state)
    again = cube.open_cube(store.url).load()
    for name in ds.data_vars:
        np.testing.assert_array_equal(ds[name].values, again[name].values)
    lines = list(
        query_lines(store.url, "pos", ["n=3", "m=2", "facility_max=2", "seed=1"], [], "csv")
    )
    assert lines[0] == "alpha,pos" and len(lines) == 1 + len(ALPHA)


def test_command_line_scan_resume_and_errors(tmp_path, family):
    out = tmp_path / "i.zarr"
    args = "--family uniform --n 2:4:3 --m 1,2 --density 0.5 --ratio 1 --facility 0,2 --seed 0:1:2"
    r = fastscan_cli(f"ixp scan {args} --alpha 1,1.2,1.5,2 --out {out}")
    assert r.returncode == 0, r.stderr
    assert "plan: 24 instances x 4 alpha" in r.stderr
    check(cube.open_cube(str(out)).load(), family)
    r = fastscan_cli(f"ixp scan {args} --alpha 1,1.2,1.5,2 --out {out} --resume")
    assert r.returncode == 0 and "nothing to do" in r.stderr
    r = fastscan_cli(f"query {out} --var optimum_alpha --reduce max:instance --format csv")
    assert r.returncode == 0 and float(r.stdout.split()[-1]) <= 2
    for bad, word in [
        (f"{args} --density 2", "--density"),
        (f"{args} --instances x.json", "--family or --instances"),
        ("--family uniform --n 3", "--m"),
        (f"{args} --alpha 0.5", "alpha"),
    ]:
        r = fastscan_cli(f"ixp scan {bad} --out {tmp_path / 'bad.zarr'}")
        assert r.returncode == 2 and r.stderr.count("\n") == 1 and word in r.stderr, r.stderr
        assert not (tmp_path / "bad.zarr").exists()


def test_instances_from_files(tmp_path):
    import json

    from fastscan.ixp import model

    inst = model.Instance([[0.0], [1.001]], [[0, 1], [1, 0]], [0.0])
    path = tmp_path / "i.json"
    row = {k: getattr(inst, k).tolist() for k in ("w_facility", "w_pair", "facility_cost")}
    path.write_text(json.dumps([row, row]))
    got = families.from_file(str(path))
    assert len(got) == 2 and got.instance(1).w_facility.tolist() == [[0.0], [1.001]]
    npz = tmp_path / "i.npz"
    np.savez(npz, **{k: np.stack([v, v]) for k, v in row.items()})
    assert families.from_file(str(npz)).instance(0).w_pair.tolist() == [[0, 1], [1, 0]]
    path.write_text(json.dumps([{**row, "w_pair": [[0, 1], [2, 0]]}]))
    with pytest.raises(ValueError, match="instance 0: w_pair must be symmetric"):
        families.from_file(str(path))


def test_in_memory_scan_by_method_and_with_approx(family):
    ds = api.scan(family, ALPHA, method="optimum", approx=True, threads=2)
    assert "pos" not in ds and ds.optimum_cost.dims == ("instance",)
    assert (ds.lp19 <= ds.multi_optimum_cost + 1e-9).all()
    assert (ds.multi_optimum_cost <= ds.optimum_cost + 1e-9).all()
    full = api.scan(family, ALPHA, threads=2)
    np.testing.assert_allclose(ds.optimum_cost, full.optimum_cost, rtol=1e-12, atol=1e-12)
    with pytest.raises(ValueError, match="method must be one of exhaustive, optimum"):
        api.scan(family, ALPHA, method="greedy")
