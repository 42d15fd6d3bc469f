"""Input checks shared by every entry point: one clear ``ValueError`` naming the argument."""

from __future__ import annotations

from typing import Any

import numpy as np

MAX_ALL_PLAYERS = 40
# sigma^2 must stay a normal float64 for the thresholds of Claims 5/6 to be compared exactly
SIGMA_MIN = 1e-150
SIGMA_MAX = 1e150
SETS = ("all", "downward")
NOTIONS = ("nash", "robust")


def check_sets(sets: str) -> str:
    """Return ``sets`` if it is one of ``"all"``, ``"downward"``."""
    if sets not in SETS:
        raise ValueError(f"sets must be one of {', '.join(map(repr, SETS))} (got {sets!r})")
    return sets


def check_notion(notion: str) -> str:
    """Return ``notion`` if it is one of ``"nash"``, ``"robust"``."""
    if notion not in NOTIONS:
        raise ValueError(f"notion must be one of {', '.join(map(repr, NOTIONS))} (got {notion!r})")
    return notion


def _float_array(value: Any, name: str) -> np.ndarray:
    try:
        arr = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be numbers (got {value!r})") from None
    return arr


def check_profile(costs: Any, sets: str, name: str = "costs") -> np.ndarray:
    """One cost profile: 1-D, at least 2 players, every cost finite and > 0."""
    arr = _float_array(costs, name)
    if arr.ndim != 1:
        raise ValueError(f"{name} must be one cost profile (1-D), got {arr.ndim}-D")
    _check_row(arr, name, sets)
    return arr


def _check_row(row: np.ndarray, name: str, sets: str) -> None:
    bad = np.flatnonzero(~(np.isfinite(row) & (row > 0)))
    if bad.size:
        i = int(bad[0])
        raise ValueError(f"{name} must be finite and > 0 (got {row[i]!r} at position {i})")
    n = row.shape[0]
    if n < 2:
        raise ValueError(f"{name} must hold at least 2 players (got {n})")
    if sets == "all" and n > MAX_ALL_PLAYERS:
        raise ValueError(
            f"{name} has n={n} players but sets='all' enumerates 2^n coalitions and accepts "
            f"n <= {MAX_ALL_PLAYERS}; use sets='downward' for larger n"
        )


def check_profiles(costs: Any, sets: str) -> list[np.ndarray]:
    """Profiles from 1-D costs (one profile) or 2-D (profile x player, NaN-padded at the end)."""
    arr = _float_array(costs, "costs")
    if arr.ndim == 1:
        return [check_profile(arr, sets)]
    if arr.ndim != 2 or arr.shape[0] == 0:
        raise ValueError(f"costs must be 1-D or 2-D with at least one row (got shape {arr.shape})")
    rows = []
    for p, row in enumerate(arr):
        finite_end = row.shape[0]
        nan = np.flatnonzero(np.isnan(row))
        if nan.size:
            finite_end = int(nan[0])
            if not np.isnan(row[finite_end:]).all():
                raise ValueError(
                    f"costs row {p} has NaN at position {finite_end} before a cost; NaN may "
                    "only pad the end of a row"
                )
        r = row[:finite_end]
        _check_row(r, f"costs row {p}", sets)
        rows.append(r)
    return rows


def check_alpha(alpha: Any) -> np.ndarray:
    """Alpha values: a scalar or 1-D, all finite (the paper studies [-1, 1])."""
    arr = np.atleast_1d(_float_array(alpha, "alpha"))
    if arr.ndim != 1 or arr.size == 0:
        raise ValueError(
            f"alpha must be a number or a non-empty 1-D sequence (got shape {arr.shape})"
        )
    if not np.isfinite(arr).all():
        bad = arr[~np.isfinite(arr)][0]
        raise ValueError(f"alpha must be finite (got {bad!r})")
    return arr


def check_sigma(sigma: Any) -> np.ndarray:
    """Sigma values (standard deviation of the data): scalar or 1-D, finite, > 0."""
    arr = np.atleast_1d(_float_array(sigma, "sigma"))
    if arr.ndim != 1 or arr.size == 0:
        raise ValueError(
            f"sigma must be a number or a non-empty 1-D sequence (got shape {arr.shape})"
        )
    ok = np.isfinite(arr) & (arr >= SIGMA_MIN) & (arr <= SIGMA_MAX)
    if not ok.all():
        bad = arr[~ok][0]
        raise ValueError(
            f"sigma must be finite and > 0, within [{SIGMA_MIN:g}, {SIGMA_MAX:g}] (got {bad!r})"
        )
    return arr


def check_members(members: Any, n: int) -> tuple[int, ...]:
    """A coalition as distinct input positions ``0..n-1``, at least 2 of them."""
    try:
        out = tuple(sorted(int(i) for i in members))
    except (TypeError, ValueError):
        raise ValueError(f"members must be player positions (got {members!r})") from None
    if len(set(out)) != len(out):
        raise ValueError(f"members must be distinct (got {members!r})")
    if len(out) < 2:
        raise ValueError(f"members must name at least 2 players (got {len(out)})")
    if out[0] < 0 or out[-1] >= n:
        raise ValueError(f"members must be positions in 0..{n - 1} (got {members!r})")
    return out
