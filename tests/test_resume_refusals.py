"""A resume refuses what it cannot honour (issue 19, item 5): every option that changes the
cube's variables or dims is compared, and a cube lacking variables this version writes is
refused with the reason. One line, exit 2, nothing written."""

from __future__ import annotations

import json
import shutil

import pytest
from helpers import fastscan_cli

SCAN = "scan --costs 1e-3,2e-3,3e-3 --alpha 0,1 --sigma 0.1:1:4"
IXP = (
    "ixp scan --family uniform --n 4 --m 2 --density 0.5 --ratio 0.5 --facility 1 --seed 0:1:2 "
    "--alpha 1,1.5"
)


def unfinished(command: str, out) -> None:
    """``command`` run to the end, then one chunk unmarked: a resume has work to do."""
    r = fastscan_cli(f"{command} --out {out} --quiet")
    assert r.returncode == 0, r.stderr
    next((out / ".fastscan" / "done").iterdir()).unlink()


def refused(command: str, *words: str) -> str:
    r = fastscan_cli(command)
    assert r.returncode == 2, r.stderr
    assert "Traceback" not in r.stderr and len(r.stderr.strip().splitlines()) == 1, r.stderr
    for word in words:
        assert word in r.stderr, r.stderr
    return r.stderr


@pytest.mark.parametrize(
    ("extra", "words"),
    [
        ("--notion nash,robust,designer", ("--resume", "notions", "designer")),
        ("--worst", ("--resume", "worst: store has False, this scan has True")),
    ],
)
def test_resume_with_another_notion_or_worst_is_refused(tmp_path, extra, words):
    out = tmp_path / "c.zarr"
    unfinished(SCAN, out)
    before = sorted(p.name for p in out.rglob("*"))
    refused(f"{SCAN} {extra} --out {out} --resume", *words)
    assert sorted(p.name for p in out.rglob("*")) == before  # nothing written
    # finished, the same refusal (not "nothing to do")
    assert fastscan_cli(f"{SCAN} --out {out} --resume --quiet").returncode == 0
    refused(f"{SCAN} {extra} --out {out} --resume", *words)


def test_resume_without_worst_of_a_worst_cube_is_refused(tmp_path):
    out = tmp_path / "c.zarr"
    unfinished(f"{SCAN} --worst --notion nash,robust,designer", out)
    refused(f"{SCAN} --out {out} --resume", "worst: store has True, this scan has False")


def test_ixp_resume_without_approx_names_it(tmp_path):
    out = tmp_path / "x.zarr"
    unfinished(f"{IXP} --approx", out)
    refused(f"{IXP} --out {out} --resume", "approx: store has True, this scan has False")


def test_a_cube_lacking_variables_of_this_version_is_refused_with_the_reason(tmp_path):
    out = tmp_path / "c.zarr"
    unfinished(SCAN, out)
    # as a cube of a fastscan before issue 12 would be: no forced_size, in its metadata neither
    shutil.rmtree(out / "forced_size")
    meta = json.loads((out / "zarr.json").read_text())
    meta.get("consolidated_metadata", {}).get("metadata", {}).pop("forced_size", None)
    (out / "zarr.json").write_text(json.dumps(meta))
    refused(f"{SCAN} --out {out} --resume", "older fastscan", "forced_size", "--overwrite")
