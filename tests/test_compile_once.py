"""One compile wait after an install: the first command that runs kernels compiles every game's
kernels, announced once; no later command compiles anything, whichever it is."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import toygame
from fastscan.kernels import _numba

from fastscan import game, warm

COSTS = "2.2e-4,5.4e-4,7e-4"
LATER = [
    f"coalitions --costs {COSTS} --alpha 0.5 --sigma 0.3",
    f"intervals --costs {COSTS} --alpha 0.5",
    "ixp solve --family planted --name thm41 --eps 1e-3 --alpha 1,1.5,2",
    "check --profiles 5",
]


def _fresh(command: str, cache: Path) -> subprocess.CompletedProcess:
    """``fastscan COMMAND`` in a new process, kernels cached in ``cache``."""
    return subprocess.run(
        [sys.executable, "-m", "fastscan.cli.main", *shlex.split(command)],
        env=dict(os.environ, FASTSCAN_CACHE_DIR=str(cache)),
        capture_output=True,
        text=True,
        timeout=600,
    )


def _start(command: str, cache: Path) -> subprocess.Popen:
    """``fastscan COMMAND`` started in a new process, kernels cached in ``cache``."""
    return subprocess.Popen(
        [sys.executable, "-m", "fastscan.cli.main", *shlex.split(command)],
        env=dict(os.environ, FASTSCAN_CACHE_DIR=str(cache)),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _files(folder: Path) -> dict[str, tuple[int, int]]:
    """Every file under ``folder``: size and modification time (Numba writes an index and a
    data file for each kernel it compiles, and rewrites the index)."""
    return {
        str(p.relative_to(folder)): (p.stat().st_size, p.stat().st_mtime_ns)
        for p in folder.rglob("*")
        if p.is_file()
    }


@pytest.mark.slow
def test_only_the_first_commands_compile_and_at_once_they_are_safe(tmp_path):
    """Two first commands at once on a cold cache (Numba writes each file aside and renames it):
    both succeed and say so once; then no command compiles anything, whichever it is."""
    cache = tmp_path / "cache"
    coalitions = f"coalitions --costs {COSTS} --alpha 0.5 --sigma 0.3 --notion nash"
    firsts = [
        _start(f"scan --costs {COSTS} --alpha 0.5 --sigma 0.3 --out {tmp_path / 'c.zarr'}", cache),
        _start(coalitions, cache),
    ]
    outputs = [p.communicate(timeout=600) for p in firsts]
    for p, (_, err) in zip(firsts, outputs, strict=True):
        assert p.returncode == 0, err
        assert err.count(_numba.FIRST_COMPILE) == 1, err
    compiled = _files(cache)
    assert any(name.endswith(".nbi") for name in compiled)  # Numba's index, in the folder asked
    again = _fresh(coalitions, cache)
    assert again.returncode == 0 and again.stdout == outputs[1][0] and again.stderr == ""
    for command in LATER:
        r = _fresh(command, cache)
        assert r.returncode == 0, r.stderr
        assert "compiling" not in r.stderr, (command, r.stderr)
        new = sorted(set(_files(cache).items()) - set(compiled.items()))
        assert not new, f"`fastscan {command}` compiled: {new}"


@pytest.fixture
def toy_cache(monkeypatch, tmp_path):
    """A cache folder of its own, and the toy game alone in the registry."""
    monkeypatch.setattr(_numba, "CACHE", True)
    monkeypatch.setattr(_numba, "CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(game, "GAMES", {"toy": "toygame"})
    return tmp_path


def test_a_warm_cache_runs_nothing_and_says_nothing(toy_cache, monkeypatch):
    ran, said = [], []
    monkeypatch.setattr(toygame.Toy, "warm_steps", lambda self: [lambda: ran.append(1)])
    assert warm.compile_kernels(said.append)
    assert ran == [1] and said == []  # the toy compiles nothing: no announcement
    assert (toy_cache / f"warm-{warm.WARM}").exists()
    assert not warm.compile_kernels(said.append)
    assert ran == [1] and said == []


def test_a_failing_step_warns_and_leaves_the_cache_unmarked(toy_cache, monkeypatch):
    def broken():
        raise RuntimeError("no such kernel")

    said = []
    monkeypatch.setattr(toygame.Toy, "warm_steps", lambda self: [broken])
    assert warm.compile_kernels(said.append)
    assert len(said) == 1 and "could not compile ahead (toy step 0): no such kernel" in said[0]
    assert not (toy_cache / f"warm-{warm.WARM}").exists()  # the next command tries again


def test_said_at_a_compilation_only_and_once(monkeypatch):
    import numba

    monkeypatch.setattr(_numba, "CACHE", True)
    monkeypatch.setattr(_numba._FirstCompile, "said", False)
    said = []
    with _numba.announce("nothing compiles", said.append):
        pass
    assert said == []
    with _numba.announce("two compile", said.append):
        numba.njit(lambda x: x + 1)(1)
        numba.njit(lambda x: x - 1)(1)
    assert said == [_numba.FIRST_COMPILE]
    with _numba.announce("another", said.append):
        numba.njit(lambda x: x * 2)(1)
    assert said == [_numba.FIRST_COMPILE]  # once a process
