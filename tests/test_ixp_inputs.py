"""Issue 19 §7, the IXP inputs as a user gives them: sums that would overflow, malformed
--instances files, the files' layout in --help, a memory:// cube, and --alpha errors. Each
refusal is one line on stderr naming the argument, exit 2, nothing written."""

from __future__ import annotations

import json

import numpy as np
import pytest
from helpers import fastscan_cli

from fastscan.ixp import model

RANDOM = "--family uniform --n 4 --m 2 --density 1 --seed 0"
ROW = {"w_facility": [[0.0], [1.0]], "w_pair": [[0.0, 1.0], [1.0, 0.0]], "facility_cost": [0.5]}


def refused(r, *words: str) -> bool:
    """One line on stderr holding every word, exit code 2."""
    return r.returncode == 2 and r.stderr.count("\n") == 1 and all(w in r.stderr for w in words)


# an overflow warning is an error here: the refusal must come before any sum overflows
@pytest.mark.filterwarnings("error")
@pytest.mark.parametrize(
    "command, word",
    [
        (
            "solve --family uniform --n 4 --m 1 --density 1 --ratio 1e308 --facility 1 --seed 0",
            "--ratio",
        ),
        (f"scan {RANDOM} --ratio 1 --facility 1.7e308 --out X", "--facility"),
        (f"scan {RANDOM} --ratio 1e300 --facility 1 --out X", "--ratio"),
    ],
)
def test_family_whose_sums_overflow_is_refused(tmp_path, command, word):
    out = tmp_path / "x.zarr"
    r = fastscan_cli("ixp " + command.replace("X", str(out)))
    assert refused(r, word, "overflow"), r.stderr
    assert not out.exists()


@pytest.mark.filterwarnings("error")
def test_instances_file_whose_sums_overflow_is_refused(tmp_path):
    path = tmp_path / "big.json"
    path.write_text(json.dumps([{**ROW, "w_pair": [[0.0, 1e308], [1e308, 0.0]]}]))
    r = fastscan_cli(f"ixp scan --instances {path} --out {tmp_path / 'x.zarr'}")
    assert refused(r, str(path), "instance 0", "w_pair is too large"), r.stderr
    assert not (tmp_path / "x.zarr").exists()
    with pytest.raises(ValueError, match="facility_cost is too large"):
        model.Instance([[0.0, 0.0], [1.0, 1.0]], ROW["w_pair"], [1e308, 1e308])


def _npz(path, **arrays):
    full = {k: np.array([v]) for k, v in ROW.items()}
    np.savez(path, **{**full, **arrays})


@pytest.mark.parametrize(
    "name, write, words",
    [
        ("number.json", lambda p: p.write_text("3"), ["JSON list", "int 3"]),
        ("text.json", lambda p: p.write_text('"abc"'), ["JSON list", "str"]),
        ("list.json", lambda p: p.write_text("[3]"), ["instance 0 must be an object"]),
        ("keys.json", lambda p: p.write_text("[{}]"), ["instance 0 needs w_facility"]),
        (
            "true.json",
            lambda p: p.write_text(json.dumps([{**ROW, "facility_cost": [True]}])),
            ["instance 0", "facility_cost", "true/false"],
        ),
        (
            "lengths.npz",
            lambda p: _npz(p, w_pair=np.zeros((2, 2, 2))),
            ["same number of instances", "w_pair 2"],
        ),
        (
            "shape.npz",
            lambda p: _npz(p, w_facility=np.zeros((2, 1))),
            ["w_facility (I, n, m)", "w_facility (2, 1)"],
        ),
        ("booleans.npz", lambda p: _npz(p, facility_cost=np.array([[True]])), ["true/false"]),
        ("text.npz", lambda p: p.write_text("not a zip"), ["could not be read"]),
    ],
)
def test_bad_instances_file_is_one_line_naming_it(tmp_path, name, write, words):
    path = tmp_path / name
    write(path)
    out = tmp_path / "x.zarr"
    r = fastscan_cli(f"ixp scan --instances {path} --out {out}")
    assert refused(r, "--instances", str(path), *words), r.stderr
    assert not out.exists()


def test_good_instances_file_still_reads(tmp_path):
    path = tmp_path / "one.json"
    path.write_text(json.dumps(ROW))
    r = fastscan_cli(f"ixp solve --instances {path} --format json")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)[0]["n"] == 2


def test_scan_help_gives_the_instances_file_layout():
    r = fastscan_cli("ixp scan --help")
    text = " ".join(r.stdout.split())  # click wraps the help text
    for key in ("w_facility", "w_pair", "facility_cost", ".npz", "(I, n, m)", "(I, m)"):
        assert key in text, key


def test_scan_refuses_a_memory_cube():
    r = fastscan_cli("ixp scan --family planted --name hub --out memory://ixp-test/x.zarr")
    assert refused(r, "--out", "memory://"), r.stderr


@pytest.mark.parametrize(
    "command",
    [
        "solve --family planted --name hub --alpha x",
        "solve --family planted --name hub --alpha 0.5",
        "check --family planted --name hub --alpha 2,1",
        "scan --family planted --name hub --alpha 0.5 --out X",
        "scan --family planted --name hub --alpha 2,1 --out X",
    ],
)
def test_alpha_errors_name_the_option_once(tmp_path, command):
    out = tmp_path / "x.zarr"
    r = fastscan_cli("ixp " + command.replace("X", str(out)))
    assert refused(r, "--alpha") and r.stderr.count("alpha") == 1, r.stderr
    assert not out.exists()
