"""The IXP group-formation game (paper 003, §3-4) for one instance and one assignment, in NumPy.

Facilities are 0-based, ``-1`` is "no facility". Agents i and j are connected iff
``s_i = s_j >= 0``; an agent pays its connection cost ``w(i, s_i)`` (0 at none) and, for every
agent it is not connected to, the disconnection cost ``w(i, j)`` (§3). These are the plain
definitions; kernels evaluate the same closed forms in compiled loops. Every decision (alpha-
stability, ties) is the one rule of :mod:`kernels.ixp.rule`, within the instance's ``tol``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

NONE = -1


# an instance's total weight S at most this: every path's sums stay below S, and this leaves
# headroom for its scalings (the LP's power-of-two unit above the largest cost overflowed at
# 2^1023 before), which would otherwise reach inf and surface as unrelated errors
MAX_TOTAL = 1e300


def _has_bool(value: Any) -> bool:
    """Whether ``value`` holds a boolean anywhere (JSON ``true`` would silently become 1.0)."""
    if isinstance(value, np.ndarray):
        if value.dtype.kind == "b":
            return True
        return value.dtype == object and any(_has_bool(v) for v in value.flat)
    if isinstance(value, (bool, np.bool_)):
        return True
    return isinstance(value, (list, tuple)) and any(_has_bool(v) for v in value)


def _finite_nonnegative(value: Any, name: str, shape: tuple[int, ...] | None) -> np.ndarray:
    if _has_bool(value):
        raise ValueError(f"{name} must be numbers, not true/false")
    try:
        arr = np.array(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be numbers (got {value!r})") from None
    if shape is not None and arr.shape != shape:
        raise ValueError(f"{name} must have shape {shape} (got {arr.shape})")
    bad = ~np.isfinite(arr) | (arr < 0)
    if bad.any():
        where = tuple(int(i) for i in np.argwhere(bad)[0])
        raise ValueError(f"{name} must be finite and >= 0 (got {arr[where]!r} at {where})")
    return arr


@dataclass(frozen=True, eq=False)
class Instance:
    """One instance: ``w_facility`` (n x m) connection costs, ``w_pair`` (n x n, symmetric, zero
    diagonal) disconnection costs, ``facility_cost`` (m); every entry a finite number >= 0 (not
    a boolean), their total at most :data:`MAX_TOTAL`."""

    w_facility: np.ndarray
    w_pair: np.ndarray
    facility_cost: np.ndarray

    def __post_init__(self) -> None:
        wf = _finite_nonnegative(self.w_facility, "w_facility", None)
        if wf.ndim != 2:
            raise ValueError(f"w_facility must be 2-D, agents x facilities (got shape {wf.shape})")
        n, m = wf.shape
        if n < 2:
            raise ValueError(f"w_facility must have n >= 2 agents (got {n})")
        if m < 1:
            raise ValueError(f"w_facility must have m >= 1 facilities (got {m})")
        wp = _finite_nonnegative(self.w_pair, "w_pair", (n, n))
        diag = np.flatnonzero(np.diag(wp))
        if diag.size:
            i = int(diag[0])
            raise ValueError(f"w_pair must have a zero diagonal (w_pair[{i}, {i}] = {wp[i, i]!r})")
        asym = np.argwhere(wp != wp.T)
        if asym.size:
            i, j = (int(x) for x in asym[0])
            raise ValueError(
                f"w_pair must be symmetric (w_pair[{i}, {j}] = {wp[i, j]!r} but "
                f"w_pair[{j}, {i}] = {wp[j, i]!r})"
            )
        fc = _finite_nonnegative(self.facility_cost, "facility_cost", (m,))
        for name, arr in (("w_facility", wf), ("w_pair", wp), ("facility_cost", fc)):
            arr.setflags(write=False)
            object.__setattr__(self, name, arr)
        with np.errstate(over="ignore"):  # an overflow is the refusal below, not a warning
            sums = {"w_facility": wf.sum(), "w_pair": wp.sum(), "facility_cost": fc.sum()}
            total = float(sum(sums.values()))
        if not total <= MAX_TOTAL:
            # every agent's cost and every social cost is at most S: bounding S bounds them all
            largest = max(sums, key=lambda k: sums[k])
            raise ValueError(
                f"{largest} is too large: an instance's total weight (every w(i, f), w(i, j) "
                f"both ways and c(f)) must be at most {MAX_TOTAL:g} so that no sum overflows "
                f"(got {total:.3g})"
            )
        from ..kernels.ixp.rule import tolerance  # lazy: importing the CLI must not load Numba

        object.__setattr__(self, "_total", total)
        object.__setattr__(self, "_tol", float(tolerance(total)))

    @property
    def n(self) -> int:
        return int(self.w_facility.shape[0])

    @property
    def m(self) -> int:
        return int(self.w_facility.shape[1])

    @property
    def total(self) -> float:
        """S, the instance's total weight: every w(i, f), w(i, j) (both orders) and c(f)."""
        return self._total

    @property
    def tol(self) -> float:
        """tau, the one tolerance of every decision and tie: 1e-12 times the instance's total
        weight (:mod:`kernels.ixp.rule`), so it scales with the inputs."""
        return self._tol

    def check_assignment(self, s: Any, name: str = "s") -> np.ndarray:
        """An assignment: one facility in ``-1..m-1`` per agent."""
        try:
            arr = np.array(s, dtype=np.int64)
        except (TypeError, ValueError):
            raise ValueError(f"{name} must be whole numbers (got {s!r})") from None
        if arr.shape != (self.n,):
            raise ValueError(f"{name} must give one facility per agent, {self.n} (got {arr.shape})")
        if ((arr < NONE) | (arr >= self.m)).any():
            raise ValueError(
                f"{name} must hold facilities in -1..{self.m - 1} (got {arr.tolist()})"
            )
        return arr


def connected(s: np.ndarray) -> np.ndarray:
    """``[i, j]``: agents i and j share a facility (none shares nothing)."""
    return (s[:, None] == s[None, :]) & (s[:, None] >= 0)


def agent_costs(inst: Instance, s: Any) -> np.ndarray:
    """c~_i(s) = w(i, s_i) + sum of w(i, j) over agents j not connected to i (§3)."""
    s = inst.check_assignment(s)
    conn = connected(s)
    np.fill_diagonal(conn, True)  # an agent is never charged for itself (w(i, i) = 0 anyway)
    wf = np.where(s >= 0, inst.w_facility[np.arange(inst.n), np.maximum(s, 0)], 0.0)
    return wf + np.where(conn, 0.0, inst.w_pair).sum(axis=1)


def open_facilities(inst: Instance, s: Any) -> np.ndarray:
    """The facilities some agent uses in ``s``."""
    s = inst.check_assignment(s)
    return np.unique(s[s >= 0])


def social_cost(inst: Instance, s: Any) -> float:
    """c(s) = sum of c(f) over open facilities + sum of c~_i(s) (§3)."""
    s = inst.check_assignment(s)
    return float(inst.facility_cost[open_facilities(inst, s)].sum() + agent_costs(inst, s).sum())


def deviation_costs(inst: Instance, s: Any) -> np.ndarray:
    """``[i, x + 1]`` = c~_i(x, s_-i) for every strategy x in -1..m-1 (column 0: none)."""
    s = inst.check_assignment(s)
    total = inst.w_pair.sum(axis=1)  # at none, i is connected to nobody
    # the w(i, j) of the agents j at x, per x: plain row sums, not a matrix product (OpenBLAS
    # picks its kernels by CPU, and their roundings differ)
    at = np.stack([np.where(s[None, :] == x, inst.w_pair, 0.0).sum(axis=1) for x in range(inst.m)])
    # at x: w(i, x) + every w(i, j) but those of the agents j at x (w(i, i) = 0: i itself)
    out = np.empty((inst.n, inst.m + 1))
    out[:, 0] = total
    out[:, 1:] = inst.w_facility + total[:, None] - at.T
    return out


def best_alternative(inst: Instance, s: Any) -> np.ndarray:
    """m_i(s) = min over x != s_i of c~_i(x, s_-i): the cost of i's next best choice."""
    s = inst.check_assignment(s)
    dev = deviation_costs(inst, s)
    dev[np.arange(inst.n), s + 1] = np.inf
    return dev.min(axis=1)


def Q(inst: Instance, s: Any) -> np.ndarray:
    """Q_i(s) = m_i(s) - c~_i(s) (eq. 1): what agent i would pay to keep using s_i."""
    return best_alternative(inst, s) - agent_costs(inst, s)


def alpha_bounds(inst: Instance, s: Any) -> tuple[float, float]:
    """(the least alpha at which ``s`` is decided alpha-stable, alpha*(s)) by the rule of
    :mod:`kernels.ixp.rule`: every agent needs c~_i <= alpha m_i, every open f needs the sum
    over its agents of (alpha m_i - c~_i) >= c(f) (Def. 4.1), each decided within tau."""
    from ..kernels.ixp.rule import state_alpha

    s = inst.check_assignment(s)
    need, star = state_alpha(
        agent_costs(inst, s), best_alternative(inst, s), s, inst.facility_cost, inst.tol
    )
    return float(need), float(star)


def alpha_star(inst: Instance, s: Any) -> float:
    """alpha*(s): the least alpha >= 1 at which ``s`` is alpha-stable (Def. 4.1; alpha = 1:
    Def. 3.4), inf when none is; the plain ratio of its binding condition. ``s`` is stable at
    alpha*(s) and at any alpha within rounding below it (:func:`is_stable`)."""
    return alpha_bounds(inst, s)[1]


def is_stable(inst: Instance, s: Any, alpha: float = 1.0) -> bool:
    """Some budget-balanced prices make ``s`` alpha-stable (Def. 4.1), decided by the one rule
    every path uses (:mod:`kernels.ixp.rule`; the kernels bucket the same threshold)."""
    if not (math.isfinite(alpha) and alpha >= 1):
        raise ValueError(f"alpha must be a finite number >= 1 (got {alpha!r})")
    return bool(alpha >= alpha_bounds(inst, s)[0])


def prices(inst: Instance, s: Any, alpha: float = 1.0) -> np.ndarray | None:
    """Budget-balanced prices gamma_i >= 0 (0 for agents at none) that make ``s`` alpha-stable,
    each open facility's cost shared in proportion to its agents' slack alpha m_i - c~_i; None
    when ``s`` is not alpha-stable."""
    if not is_stable(inst, s, alpha):
        return None
    s = inst.check_assignment(s)
    slack = np.maximum(alpha * best_alternative(inst, s) - agent_costs(inst, s), 0.0)
    gamma = np.zeros(inst.n)
    for f in open_facilities(inst, s):
        at = s == f
        total = slack[at].sum()
        share = slack[at] / total if total > 0 else np.full(int(at.sum()), 1.0 / at.sum())
        gamma[at] = inst.facility_cost[f] * share
    return gamma
