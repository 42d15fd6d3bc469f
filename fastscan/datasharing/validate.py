"""Input checks shared by every entry point: one clear ``ValueError`` naming the argument."""

from __future__ import annotations

import operator
from typing import Any

import numpy as np

MAX_ALL_PLAYERS = 40
# costs stay where a_j = (c_j^2 / 2)^(1/3) and every threshold built from it is an ordinary float
COST_MIN = 1e-100
COST_MAX = 1e100
# sigma^2 must stay a normal float64 for the thresholds of Claims 5/6 to be compared exactly
SIGMA_MIN = 1e-150
SIGMA_MAX = 1e150
SETS = ("all", "downward")
NOTIONS = ("nash", "robust", "designer")  # the kernels' order (formulas.NASH, ROBUST, DESIGNER)


def check_sets(sets: str) -> str:
    """Return ``sets`` if it is one of ``"all"``, ``"downward"``."""
    if sets not in SETS:
        raise ValueError(f"sets must be one of {', '.join(map(repr, SETS))} (got {sets!r})")
    return sets


def check_notion(notion: str, name: str = "notion") -> str:
    """Return ``notion`` if it is one of ``"nash"``, ``"robust"``, ``"designer"``."""
    if notion not in NOTIONS:
        raise ValueError(f"{name} must be one of {', '.join(map(repr, NOTIONS))} (got {notion!r})")
    return notion


def check_notions(notions: Any, name: str = "notions") -> tuple[str, ...]:
    """Distinct notions (a comma list or a sequence) in the kernels' order."""
    if isinstance(notions, str):
        notions = [x.strip() for x in notions.split(",")]
    given = list(notions)
    if not given:
        raise ValueError(f"{name} must name at least one of {', '.join(map(repr, NOTIONS))}")
    for notion in given:
        check_notion(notion, name)
    if len(set(given)) != len(given):
        raise ValueError(f"{name} names a notion twice (got {','.join(given)})")
    return tuple(nu for nu in NOTIONS if nu in given)


def _float_array(value: Any, name: str) -> np.ndarray:
    try:
        arr = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be numbers (got {value!r})") from None
    return arr


def check_profile(costs: Any, sets: str, name: str = "costs") -> np.ndarray:
    """One cost profile: 1-D, at least 2 players, every cost finite and within
    [COST_MIN, COST_MAX]."""
    arr = _float_array(costs, name)
    if arr.ndim != 1:
        raise ValueError(f"{name} must be one cost profile (1-D), got {arr.ndim}-D")
    check_profiles(arr, sets, name)
    return arr


def check_profiles(costs: Any, sets: str, name: str = "costs") -> np.ndarray:
    """Profiles from 1-D costs (one profile) or 2-D (profile x player, NaN-padded at the end);
    returned 2-D. Vectorized: a million profiles are checked in well under a second."""
    arr = _float_array(costs, name)
    single = arr.ndim == 1  # one profile: no padding, every entry is a cost
    if single:
        arr = arr[None, :]
    if arr.ndim != 2 or arr.shape[0] == 0 or arr.shape[1] == 0:
        raise ValueError(f"{name} must be 1-D or 2-D with at least one row (got shape {arr.shape})")
    one = arr.shape[0] == 1

    def where(p: int) -> str:
        return name if one else f"{name} row {p}"

    nan = np.isnan(arr) & (not single)
    n = arr.shape[1] - np.count_nonzero(nan, axis=1)
    padding = np.arange(arr.shape[1])[None, :] >= n[:, None]
    gap = np.flatnonzero((nan != padding).any(axis=1))
    if gap.size:
        p = int(gap[0])
        i = int(np.flatnonzero(nan[p])[0])
        raise ValueError(
            f"{where(p)} has a missing cost (NaN) at position {i} before a cost; NaN may only "
            "pad the end of a row"
        )
    with np.errstate(invalid="ignore"):
        bad = ~padding & ~((arr >= COST_MIN) & (arr <= COST_MAX))
    rows = np.flatnonzero(bad.any(axis=1))
    if rows.size:
        p = int(rows[0])
        i = int(np.flatnonzero(bad[p])[0])
        raise ValueError(
            f"{where(p)} must be finite and > 0, within [{COST_MIN:g}, {COST_MAX:g}] "
            f"(got {float(arr[p, i]):g} at position {i})"
        )
    few = np.flatnonzero(n < 2)
    if few.size:
        raise ValueError(f"{where(int(few[0]))} must hold at least 2 players (got {n[few[0]]})")
    many = np.flatnonzero(n > MAX_ALL_PLAYERS) if sets == "all" else []
    if len(many):
        check_players(int(n[many[0]]), sets, where(int(many[0])))
    return arr


def check_players(n: int, sets: str, name: str = "costs") -> int:
    """A profile's number of players: ``sets="all"`` enumerates ``2^n`` coalitions."""
    if sets == "all" and n > MAX_ALL_PLAYERS:
        raise ValueError(
            f"{name} has n={n} players but sets='all' enumerates 2^n coalitions and accepts "
            f"n <= {MAX_ALL_PLAYERS}; use sets='downward' for larger n"
        )
    return n


def alpha_limit(n: int) -> float:
    """The largest ``|alpha|`` at which ``k^((2 alpha + 1) / 3)`` for ``k <= n + 1`` stays within
    [1e-100, 1e100], so every threshold of Claims 5/6 is an ordinary float (no overflow to inf,
    no underflow to 0)."""
    from ..kernels.elementary import log  # lazy: --help must not load Numba

    return (3.0 * 100.0 * log(10.0) / log(n + 1.0) - 1.0) / 2.0


def float_values(value: Any, name: str) -> np.ndarray:
    """A number or a non-empty 1-D sequence of finite numbers."""
    arr = np.atleast_1d(_float_array(value, name))
    if arr.ndim != 1 or arr.size == 0:
        raise ValueError(
            f"{name} must be a number or a non-empty 1-D sequence (got shape {arr.shape})"
        )
    if not np.isfinite(arr).all():
        bad = arr[~np.isfinite(arr)][0]
        raise ValueError(f"{name} must be finite (got {float(bad):g})")
    return arr


def check_alpha(alpha: Any, n: int | None = None, name: str = "alpha") -> np.ndarray:
    """Alpha values: a scalar or 1-D, all finite, and ``|alpha| <= alpha_limit(n)``."""
    arr = float_values(alpha, name)
    if n is not None:
        limit = alpha_limit(n)
        if np.abs(arr).max() > limit:
            raise ValueError(
                f"{name} must be within [-{limit:.4g}, {limit:.4g}] for n={n} players, where "
                f"the powers k^((2 alpha +- 1)/3) of Claims 5/6 stay exact floats "
                f"(got {float(arr[np.argmax(np.abs(arr))]):g})"
            )
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
            f"sigma must be finite and > 0, within [{SIGMA_MIN:g}, {SIGMA_MAX:g}] "
            f"(got {float(bad):g})"
        )
    return arr


def check_scalar(value: Any, name: str) -> float:
    """One number (a 0-d or one-element value is fine; a longer sequence is refused)."""
    arr = _float_array(value, name)
    if arr.size != 1:
        raise ValueError(f"{name} must be one number (got {arr.size} values)")
    return float(arr.reshape(()))


def check_threads(threads: Any) -> int | None:
    """``None`` (every core) or a positive whole number of threads."""
    if threads is None:
        return None
    try:
        t = operator.index(threads)
    except TypeError:
        raise ValueError(f"threads must be a whole number >= 1 (got {threads!r})") from None
    if t < 1:
        raise ValueError(f"threads must be a whole number >= 1 (got {t})")
    return t


def check_members(members: Any, n: int) -> tuple[int, ...]:
    """A coalition as distinct input positions ``0..n-1``, at least 2 of them."""
    try:
        if isinstance(members, str) or any(isinstance(i, bool | np.bool_) for i in members):
            raise TypeError
        out = tuple(sorted(operator.index(i) for i in members))
    except TypeError:
        raise ValueError(
            f"members must be whole-number player positions (got {members!r})"
        ) from None
    if len(set(out)) != len(out):
        raise ValueError(f"members must be distinct (got {members!r})")
    if len(out) < 2:
        raise ValueError(f"members must name at least 2 players (got {len(out)})")
    if out[0] < 0 or out[-1] >= n:
        raise ValueError(f"members must be positions in 0..{n - 1} (got {members!r})")
    return out
