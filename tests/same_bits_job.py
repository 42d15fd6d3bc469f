"""One CPU set-up's results, for ``test_same_bits.py``: run as ``python same_bits_job.py OUT.json``
in a fresh process (the set-up is its environment). Runs real scans of both games and the
printing commands through the CLI, and writes a SHA-256 of every array of every cube (decoded,
so file names and timestamps do not count) and of every printout."""

from __future__ import annotations

import hashlib
import json
import sys
import tempfile
from pathlib import Path

import numpy as np
import zarr

FIG1 = "2.2e-4,5.4e-4,7e-4,11e-4,30e-4,33e-4,34e-4,36e-4,38e-4"
BLOCKS = ",".join(repr(float(c)) for c in np.geomspace(1e-4, 1e-2, 23))  # 23 players: blocks
GRID = "--alpha -1:1:9 --sigma 0.05:1:24"
SCANS = {
    "all_notions_worst": f"scan --costs {FIG1} {GRID} --notion nash,robust,designer --worst",
    "blocks": f"scan --costs {BLOCKS} --alpha 0,0.5,1 --sigma 0.05:1:8",
    "downward": f"scan --costs {FIG1} --sets downward {GRID} --worst",
    "downward_large": "scan --family uniform --n 20000 --low 1e-4 --high 1e-2 --seed 3 "
    "--sets downward --alpha -1:1:5 --sigma 0.05:1:16",
    "identical": "scan --family identical --n 3:9:4 --cost 1e-3,3e-3 " + GRID,
    "geometric": "scan --family geometric --n 4:40:5 --cost 1e-4 --ratio 1.3,2 --sets downward "
    + GRID,
    "linear": "scan --family linear --n 5,8 --low 1e-4 --high 5e-3 " + GRID,
    "uniform": "scan --family uniform --n 6,9 --low 1e-4 --high 1e-2 --seed 0:3:4 " + GRID,
    "ixp_uniform": "ixp scan --family uniform --n 6 --m 2 --density 0.7 --ratio 0.5 "
    "--facility 1.5 --seed 0:3:4 --alpha 1:2.5:7",
    "ixp_metric_approx": "ixp scan --family metric --n 5 --m 3 --density 0.6 --ratio 0.3 "
    "--facility 1 --seed 0,1 --alpha 1,1.5,2 --approx",
    "ixp_optimum": "ixp scan --family uniform --n 14 --m 2 --density 0.5 --ratio 0.4 "
    "--facility 2 --seed 0,1 --method optimum --approx",
    "ixp_planted": "ixp scan --family planted --name thm41,thm44,hub --eps 0,0.1 --alpha 1,1.2,2",
}
PRINTOUTS = {
    "intervals": f"intervals --costs {FIG1} --alpha 0.3 --notion all",
    "intervals_json": f"intervals --costs {FIG1} --alpha -0.7 --format json",
    "coalitions": "coalitions --costs 2.2e-4,5.4e-4,7e-4,11e-4 --alpha 0.3 --sigma 0.2 "
    "--notion all",
    "check": "check --profiles 15 --n 2:6 --seed 4",
    "ixp_solve": "ixp solve --family planted --name thm44,hub --eps 0.25 --alpha 1,1.2,2",
    "ixp_solve_json": "ixp solve --family metric --n 5 --m 2 --density 0.5 --ratio 0.5 "
    "--facility 1 --seed 2 --alpha 1,1.5 --format json",
}


# read back from the cubes above (the store's path is filled in)
QUERIES = {
    "query_mean": "query {uniform} --var opt_social_cost --reduce mean:sigma --sel notion=robust "
    "--format csv",
    "query_table": "query {all_notions_worst} --var pos_social_cost --sel alpha=0.5 "
    "--sel notion=nash",
}


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def cube_digests(path: Path) -> dict[str, str]:
    """Every array of the store (data variables and coordinates), decoded."""
    group = zarr.open_group(str(path), mode="r")
    out = {}
    for name, array in sorted(group.arrays()):
        values = np.ascontiguousarray(array[...])
        out[name] = digest(str(values.dtype).encode() + values.tobytes())
    return out


def run(command: str) -> tuple[int, str, str]:
    import shlex

    from click.testing import CliRunner
    from fastscan.cli.main import main

    result = CliRunner().invoke(main, shlex.split(command), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def main(out: str) -> None:
    results: dict[str, object] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name, command in SCANS.items():
            store = Path(tmp) / f"{name}.zarr"
            code, text, err = run(f"{command} --out {store} --quiet")
            if code != 0:
                raise SystemExit(f"{name}: exit {code}: {text} {err}")
            results[name] = cube_digests(store)
        stores = {name: Path(tmp) / f"{name}.zarr" for name in SCANS}
        for name, command in QUERIES.items():
            code, text, _ = run(command.format(**stores))
            results[name] = {"exit": code, "stdout": digest(text.encode()), "text": text}
    for name, command in PRINTOUTS.items():
        code, text, _ = run(command)
        results[name] = {"exit": code, "stdout": digest(text.encode()), "text": text}
    Path(out).write_text(json.dumps(results, indent=1, sort_keys=True))


if __name__ == "__main__":
    main(sys.argv[1])
