"""One partition at one point, player by player: the Lemma 3 table for partitions. Each player's
block, burden, best move and whether that move is made, or who blocks it (every decision by
the exact tests of :mod:`fastscan.kernels.partitions.exact`; burdens shown as floats)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from .api import Point


@dataclass(frozen=True)
class Row:
    player: int
    cost: float
    block: int
    burden: float
    move: str  # "block 2", "alone" or "-" (nowhere to go)
    burden_there: float
    verdict: str


@dataclass(frozen=True)
class PartitionTable:
    """What :func:`describe_partition` returns: the rows, the verdict, the social cost."""

    partition: tuple[int, ...]
    notion: str
    stable: bool
    social_cost: float
    rows: list[Row]
    blocking: tuple[int, ...] | None = None  # core: a coalition all of whose members gain

    def table(self) -> str:
        head = (
            f"partition {','.join(map(str, self.partition))}: "
            f"{'stable' if self.stable else 'not stable'} under {self.notion}; "
            f"social cost {self.social_cost:.6g}"
        )
        lines = [head, "player  cost       block  burden     best move  burden there  verdict"]
        for r in self.rows:
            there = "-" if np.isnan(r.burden_there) else f"{r.burden_there:.6g}"
            lines.append(
                f"{r.player:6d}  {r.cost:<9.4g}  {r.block:5d}  {r.burden:<9.6g}  {r.move:9}  "
                f"{there:12}  {r.verdict}"
            )
        if self.notion == "core":
            lines.append(
                "blocked by the coalition {" + ",".join(map(str, self.blocking)) + "}: all of "
                "its members strictly better off"
                if self.blocking is not None
                else "no coalition makes all of its members strictly better off"
            )
        return "\n".join(lines)


def describe_partition(
    costs: Any,
    alpha: Any,
    sigma: float,
    partition: Any,
    notion: str = "nash",
    *,
    privacy: str = "power",
    p: float | None = None,
    f: Any = None,
    arg=str,
) -> PartitionTable:
    """Every player's burden and best move in ``partition`` (a restricted-growth string over
    input positions, or block labels to renumber) at one point, and whether it is stable."""
    from ..kernels import elementary
    from ..kernels.partitions import exact
    from ..kernels.partitions import scan as K
    from ..kernels.partitions.contracts import NOTIONS

    pt = Point.of(costs, alpha, sigma, notion, privacy, p, f, arg)
    n = pt.costs.size
    labels = canonical(partition, n, arg("partition"))
    players = K.players_of(pt.costs, False)
    rows = K.model_rows(pt.models, n)
    p_hi, p_lo = rows.p_hi[0], rows.p_lo[0]
    sh, sl = elementary.two_prod(pt.sigma, pt.sigma)
    nb = int(labels.max()) + 1
    masks = np.zeros(nb, np.int64)
    for i, b in enumerate(labels):
        masks[b] |= np.int64(1) << i

    def burden(mask: int, j: int) -> float:  # Def. 5 with Lemma 2's epsilon: the exact test's
        return float(exact.burden(players, p_hi, p_lo, np.int64(mask), j, sh, sl)[0])

    code = NOTIONS.index(pt.notion)
    out = []
    for i in range(n):
        here = int(masks[labels[i]])
        bit = 1 << i
        moves = [(int(masks[d]) | bit, f"block {d}", int(masks[d])) for d in range(nb)]
        moves = [m for m in moves if m[2] != here]
        if here != bit:
            moves.append((bit, "alone", 0))
        if not moves:
            out.append(
                Row(
                    i,
                    float(pt.costs[i]),
                    int(labels[i]),
                    burden(here, i),
                    "-",
                    np.nan,
                    "alone, nowhere to go",
                )
            )
            continue
        target, name, there = min(moves, key=lambda m: burden(m[0], i))
        gains = exact.compare(players, p_hi, p_lo, np.int64(target), np.int64(here), i, sh, sl) < 0
        verdict = (
            "stays: no gain"
            if not gains
            else _blocked(code, players, p_hi, p_lo, target, there, here, i, sh, sl)
        )
        out.append(
            Row(
                i,
                float(pt.costs[i]),
                int(labels[i]),
                burden(here, i),
                name,
                burden(target, i),
                verdict,
            )
        )
    stable = bool(exact.stable(code, players, p_hi, p_lo, labels, sh, sl))
    blocking = None
    if pt.notion == "core" and not stable:
        blocking = _blocking(players, p_hi, p_lo, masks, labels, sh, sl)
    total = sum(burden(int(masks[labels[i]]), i) for i in range(n))
    return PartitionTable(tuple(int(x) for x in labels), pt.notion, stable, total, out, blocking)


def _blocked(code, players, p_hi, p_lo, target, there, here, i, sh, sl) -> str:
    from ..kernels.partitions import exact
    from ..kernels.partitions.contracts import CONTRACTUAL, CORE, NASH

    if code == NASH:
        return "moves: strictly better off"
    receiving = exact.consents(players, p_hi, p_lo, np.int64(target), np.int64(there), sh, sl)
    if not receiving:
        return "gains, but the receiving block refuses (a member worse off)"
    stay = here & ~(1 << i)
    if (
        code == CONTRACTUAL
        and stay
        and not exact.consents(players, p_hi, p_lo, np.int64(stay), np.int64(here), sh, sl)
    ):
        return "gains, but its block refuses to let it go (a member worse off)"
    if code == CORE:
        return "gains by moving (the core asks more: see below)"
    return "moves: better off, and the blocks consent"


def _blocking(players, p_hi, p_lo, masks, labels, sh, sl) -> tuple[int, ...] | None:
    from ..kernels.partitions import exact

    n = labels.size
    for T in sorted(range(1, 1 << n), key=lambda m: (bin(m).count("1"), m)):
        if all(
            exact.compare(players, p_hi, p_lo, np.int64(T), masks[labels[i]], i, sh, sl) < 0
            for i in range(n)
            if (T >> i) & 1
        ):
            return tuple(i for i in range(n) if (T >> i) & 1)
    return None


def canonical(partition: Any, n: int, name: str = "partition") -> np.ndarray:
    """Block labels as a restricted-growth string (blocks numbered by first member)."""
    if isinstance(partition, str):
        partition = [x.strip() for x in partition.split(",")]
    try:
        given = [int(x) for x in partition]
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a comma list of block labels, one per player") from None
    if len(given) != n:
        raise ValueError(f"{name} must give one block label per player ({n}), got {len(given)}")
    first: dict[int, int] = {}
    return np.array([first.setdefault(b, len(first)) for b in given], dtype=np.int64)
