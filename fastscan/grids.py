"""Grids of numbers from text, for every game: a number, a comma list, or ``START:STOP:NUM``
(NUM evenly spaced values, both ends included)."""

from __future__ import annotations

import numpy as np

MAX_GRID = 10_000_000  # values in one grid (80 MB); larger grids are a typo, not a plan
MAX_INTEGER = 2**63 - 1  # seeds and n are stored as int64 coordinates


def plain(name: str) -> str:
    """How library errors call an argument by default: by its own name (the command line
    passes a function that gives its flag, ``--name``)."""
    return name


def flag(name: str) -> str:
    """The command line's name of argument ``name``: ``costs_file`` -> ``--costs-file``."""
    return "--" + name.replace("_", "-")


def _check_ascending(values: np.ndarray, name: str, text: str) -> None:
    """A grid is a set of distinct values in ascending order: a repeated value would compute
    the same cells twice, and an order the user did not intend would be kept silently."""
    step = np.diff(values)
    if (step == 0).any():
        twice = values[1:][step == 0][0]
        raise ValueError(f"{name} lists {twice!r} twice; give each value once (got {text!r})")
    if (step < 0).any():
        raise ValueError(f"{name} must be in ascending order (got {text!r})")


def parse_grid(text: str, name: str, integer: bool = False) -> np.ndarray:
    """``"0.5"``, ``"1,2,3"`` or ``"START:STOP:NUM"`` as a 1-D array (``name`` is for errors)."""
    text = str(text).strip()
    allowed = "a number, a comma list, or START:STOP:NUM"
    try:
        if ":" in text:
            parts = text.split(":")
            if len(parts) != 3:
                raise ValueError
            start, stop = float(parts[0]), float(parts[1])
            num = int(parts[2])
            if not 1 <= num <= MAX_GRID:
                raise ValueError(
                    f"{name}: NUM in START:STOP:NUM must be in 1..{MAX_GRID:,} (got {num:,})"
                )
            values = np.linspace(start, stop, num)
        else:
            items = text.split(",")
            if len(items) > MAX_GRID:
                raise ValueError(f"{name}: at most {MAX_GRID:,} values (got {len(items):,})")
            values = np.array([float(x) for x in items], dtype=np.float64)
    except ValueError as err:
        if str(err).startswith(name):
            raise
        raise ValueError(f"{name} must be {allowed} (got {text!r})") from None
    if values.size == 0 or not np.isfinite(values).all():
        raise ValueError(f"{name} must be finite numbers: {allowed} (got {text!r})")
    _check_ascending(values, name, text)
    if integer:
        if (np.abs(values) > MAX_INTEGER).any():
            raise ValueError(f"{name} must be whole numbers within +-{MAX_INTEGER} (got {text!r})")
        rounded = np.round(values)
        if not np.allclose(values, rounded, rtol=0, atol=1e-9):
            raise ValueError(f"{name} must be whole numbers (got {text!r})")
        return rounded.astype(np.int64)
    return values
