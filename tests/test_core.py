"""The game-agnostic core: it imports no game, finds games through the registry, and runs a
second game (a toy shaped like the IXP game) through the same plan, runner, cube and query."""

from __future__ import annotations

import ast
import os
from pathlib import Path

import numpy as np
import pytest
import toygame

from fastscan import cube, game, runner
from fastscan.query import query_lines
from fastscan.store import Store

ROOT = Path(__file__).resolve().parents[1]


def _imports(path: Path, package: str = "fastscan") -> set[str]:
    """Every module a file of ``package`` imports, relative imports resolved."""
    out = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = package.rstrip(".").split(".")
            if node.level:
                base = base[: len(base) - node.level + 1]
            name = (
                ".".join([*base, node.module] if node.module else base)
                if node.level
                else node.module
            )
            out.add(name)
            out |= {f"{name}.{a.name}" for a in node.names}
    return out


def test_the_core_imports_no_game():
    core = [p for p in (ROOT / "fastscan").glob("*.py") if p.name not in ("__init__.py", "game.py")]
    assert len(core) >= 10
    for path in core:
        games = {m for m in _imports(path) if "datasharing" in m}
        assert not games, f"{path.name} imports {games}"
    kernels = _imports(ROOT / "kernels" / "_numba.py", "fastscan.kernels")
    assert not {m for m in kernels if "datasharing" in m}


def test_registry_and_protocol():
    ds = game.get("datasharing")
    for member in (
        "name",
        "paper",
        "title",
        "dims",
        "registry",
        "part_type",
        "provenance_keys",
        "config_defaults",
    ):
        assert hasattr(ds, member), member
    for method in ("plan", "compute_block", "merge", "compute_chunk", "warm_up", "estimate"):
        assert callable(getattr(ds, method)), method
    assert game.of_cube({}) is ds  # cubes made before the attr existed
    assert game.of_cube({game.GAME_ATTR: "datasharing"}) is ds
    with pytest.raises(ValueError, match="unknown game 'nope'.*datasharing"):
        game.of_cube({game.GAME_ATTR: "nope"})
    assert {c.name for c in ds.commands()} == {"scan", "coalitions", "intervals", "check"}


@pytest.fixture
def toy(monkeypatch):
    monkeypatch.setitem(game.GAMES, "toy", "toygame")
    rng = np.random.default_rng(3)
    weight = rng.uniform(0, 1, (5, 7))
    alpha = np.linspace(0.2, 2, 3)
    return toygame.GAME.plan(weight, alpha, chunks=(2, 2)), weight, alpha


def expected(weight, alpha):
    total = weight.sum(axis=1)[:, None] * alpha[None, :]
    joined = (alpha[None, :, None] * weight[:, None, :] > 0.5).astype(np.int32)
    return total, joined


def test_a_second_game_in_memory(toy):
    plan, weight, alpha = toy
    assert plan.n_chunks == 6 and plan.n_blocks == 12
    values = runner.compute(plan)
    total, joined = expected(weight, alpha)
    np.testing.assert_allclose(values["total"], total, rtol=1e-15)
    np.testing.assert_array_equal(values["assignment"], joined)


def test_a_second_game_in_a_cube_with_resume_info_and_query(toy, tmp_path):
    plan, weight, alpha = toy
    store = Store(str(tmp_path / "toy.zarr"))
    plan, state = cube.prepare(plan, store, "new")
    cube.run_to_store(plan, store, "new", status=state)
    ds = cube.open_cube(store.url).load()
    total, joined = expected(weight, alpha)
    np.testing.assert_allclose(ds.total.values, total, rtol=1e-15)
    assert ds.assignment.dims == ("instance", "alpha", "agent")
    np.testing.assert_array_equal(ds.assignment.values, joined)
    np.testing.assert_array_equal(ds.weight.values, weight)
    assert ds.attrs[game.GAME_ATTR] == "toy" and ds.attrs["title"] == "toy cube"
    # lose one chunk of both results: detected, refused to readers, recomputed by a resume
    os.remove(tmp_path / "toy.zarr" / "total" / "c" / "1" / "0")
    state = cube.status(store)
    assert not state.complete and set(state.damaged) == {"i1-a0"}
    with pytest.raises(ValueError, match="incomplete"):
        cube.open_cube(store.url)
    plan, state = cube.prepare(plan, store, "resume")
    assert state.damaged == {"i1-a0": ["total"]}
    cube.run_to_store(plan, store, "resume", status=state)
    np.testing.assert_allclose(cube.open_cube(store.url).total.values, total, rtol=1e-15)
    text, whole = cube.describe(store)
    assert whole and "game: toy" in text and "6 of 6 chunks done" in text
    lines = list(query_lines(store.url, "total", ["seed=20", "alpha=#1"], [], "csv"))
    assert lines[0] == "total" and float(lines[1]) == pytest.approx(total[2, 1], rel=1e-6)


def test_pyproject_lists_every_package():
    # setuptools' explicit package list: a subpackage left out is missing from the wheel
    import tomllib

    listed = set(
        tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]
    )
    found = set()
    for top, name in (
        ("fastscan", "fastscan"),
        ("kernels", "fastscan.kernels"),
        ("cli", "fastscan.cli"),
    ):
        for init in (ROOT / top).rglob("__init__.py"):
            parts = init.parent.relative_to(ROOT / top).parts
            found.add(".".join([name, *parts]))
    assert found == listed
