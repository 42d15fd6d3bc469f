"""Exact sigma ranges on which each partition is stable, and which partitions are stable on each
range (no grid).

Every condition is linear in ``s = sigma^2``, so a partition is stable on one interval of ``s``
under ``nash`` and on a union of intervals under the others. The kernel
(:func:`fastscan.kernels.partitions.scan.zones`) gives, per partition, the pieces of ``s`` where
it surely is stable and where it may be (within the floats' error of a threshold); every end is
then found exactly: the first float sigma where :func:`fastscan.kernels.partitions.exact.stable`
changes its answer, by bisection over the floats of the uncertain piece (or by trying each of
them, when both sides of a piece agree and it could hide a sliver)."""

from __future__ import annotations

import math
import struct
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..datasharing.validate import SIGMA_MAX, SIGMA_MIN
from .api import Point

MAX_PLAYERS = 10  # Bell(10) = 115975 partitions at one model value
SCAN_FLOATS = 4096  # an uncertain piece with both sides alike: every float tried up to this many


@dataclass(frozen=True)
class PartitionRange:
    """A maximal ``[low, high)`` of sigma on which the set of stable partitions is constant."""

    notion: str
    low: float
    high: float | None  # None: unbounded
    partitions: list[tuple[int, ...]]

    def to_dict(self) -> dict:
        return {
            "notion": self.notion,
            "low": self.low,
            "high": self.high,
            "partitions": [list(p) for p in self.partitions],
        }


def _bits(x: float) -> int:
    return struct.unpack("<q", struct.pack("<d", x))[0]


def _float(b: int) -> float:
    return struct.unpack("<d", struct.pack("<q", b))[0]


def partition_intervals(
    costs: Any,
    alpha: Any,
    notion: str = "nash",
    *,
    privacy: str = "power",
    p: float | None = None,
    f: Any = None,
    arg=str,
) -> list[PartitionRange]:
    """The sigma line cut where the set of ``notion``-stable partitions changes: each range
    ``[low, high)`` (``low`` the first float sigma of the range) with the partitions stable on
    it (restricted-growth strings over input positions)."""
    from ..kernels import elementary
    from ..kernels.partitions import exact
    from ..kernels.partitions import scan as K
    from ..kernels.partitions.contracts import NOTIONS
    from .plan import bell

    pt = Point.of(costs, alpha, 1.0, notion, privacy, p, f, arg)
    n = pt.costs.size
    if n > MAX_PLAYERS:
        raise ValueError(
            f"{arg('costs')} has n={n} players; exact ranges try every partition and accept n <= "
            f"{MAX_PLAYERS} (a partitions scan takes up to 14 on a sigma grid)"
        )
    code = NOTIONS.index(pt.notion)
    players = K.players_of(pt.costs, pt.notion == "core")
    rows = K.model_rows(pt.models, n)
    most = 8 * bell(n) + 64
    keys = np.zeros(bell(n), np.uint64)
    maybe = np.zeros((most, 3))
    sure = np.zeros((most, 3))
    k, m, s = K.zones(code, players, rows, 0, keys, maybe, sure)
    if m >= most or s >= most:
        raise ValueError(f"{arg('costs')}: too many stable pieces to list ({m:,})")
    p_hi, p_lo = rows.p_hi[0], rows.p_lo[0]

    def status(labels, sigma: float) -> bool:
        sh, sl = elementary.two_prod(sigma, sigma)
        return bool(exact.stable(code, players, p_hi, p_lo, labels, sh, sl))

    lowest, highest = _bits(SIGMA_MIN), _bits(SIGMA_MAX)
    per: dict[tuple[int, ...], list[tuple[int, int]]] = {}
    # the kernel writes each partition's rows together, in partition order
    m_at = np.searchsorted(maybe[:m, 0], np.arange(k + 1))
    s_at = np.searchsorted(sure[:s, 0], np.arange(k + 1))
    for index in range(k):
        labels = K.unpack(keys[index], n)
        pieces = [(a, b) for _, a, b in maybe[m_at[index] : m_at[index + 1]]]
        cores = [(a, b) for _, a, b in sure[s_at[index] : s_at[index + 1]]]
        ranges = _exact_ranges(pieces, cores, lambda x, lab=labels: status(lab, x), lowest, highest)
        if ranges:
            per[tuple(int(x) for x in labels)] = ranges
    return _cut(per, pt.notion, lowest, highest)


def _sigma_bits(s: float, up: bool, lowest: int, highest: int) -> int:
    """The float sigma just outside (``up``: above) ``sqrt(s)``, as bits, clipped."""
    if s <= 0.0:
        return lowest
    if s == math.inf:
        return highest + 1
    b = _bits(math.sqrt(s)) + (2 if up else -2)  # sqrt is correctly rounded: 2 ulps spare
    return min(max(b, lowest), highest + 1)


def _exact_ranges(pieces, cores, stable, lowest: int, highest: int) -> list[tuple[int, int]]:
    """A partition's exact stable set as ``[lo, hi)`` ranges of float bits: stable in every
    ``core`` piece of ``s``, unstable outside every maybe ``piece``, the uncertain rest decided
    float by float (bisection where the two sides differ)."""
    # the s line as zones: 1 surely stable, 0 surely not, None uncertain (bits of sigma)
    edges: list[tuple[int, int, int]] = []  # (lo bits, hi bits, kind) sorted
    for a, b in pieces:
        lo, hi = _sigma_bits(a, False, lowest, highest), _sigma_bits(b, True, lowest, highest)
        inner = [
            (_sigma_bits(c, True, lowest, highest), _sigma_bits(d, False, lowest, highest))
            for c, d in cores
            if c >= a and d <= b
        ]
        cur = lo
        for c, d in sorted(inner):
            if c >= d:
                continue
            if c > cur:
                edges.append((cur, c, -1))
            edges.append((max(c, cur), d, 1))
            cur = max(cur, d)
        if cur < hi:
            edges.append((cur, hi, -1))
    out: list[list[int]] = []

    def add(lo: int, hi: int) -> None:
        if lo >= hi:
            return
        if out and out[-1][1] >= lo:
            out[-1][1] = max(out[-1][1], hi)
        else:
            out.append([lo, hi])

    for idx, (lo, hi, kind) in enumerate(edges):
        if kind == 1:
            add(lo, hi)
            continue
        left = idx > 0 and edges[idx - 1][2] == 1 and edges[idx - 1][1] == lo
        right = idx + 1 < len(edges) and edges[idx + 1][2] == 1 and edges[idx + 1][0] == hi
        hi = min(hi, highest + 1)
        if left != right and hi - lo <= 2**62:
            # one flip inside: the first float whose answer is the right side's
            a, b = lo, hi  # status(a) == left, status(b) == right (b may be outside: the zone)
            while b - a > 1:
                mid = (a + b) // 2
                if stable(_float(mid)) == right:
                    b = mid
                else:
                    a = mid
            if left:
                add(lo, b)
            else:
                add(b, hi)
        elif hi - lo <= SCAN_FLOATS:
            start = None
            for x in range(lo, hi):
                if stable(_float(x)):
                    start = x if start is None else start
                elif start is not None:
                    add(start, x)
                    start = None
            if start is not None:
                add(start, hi)
        elif left:  # both sides stable, too wide to try each float: the middle decides
            add(lo, hi)
    return [(lo, hi) for lo, hi in out]


def _cut(per: dict, notion: str, lowest: int, highest: int) -> list[PartitionRange]:
    """Elementary ranges between every partition's ends, with the partitions stable on each."""
    ends = sorted({lowest, *(e for rs in per.values() for r in rs for e in r)})
    ends = [e for e in ends if lowest <= e <= highest + 1]
    out = []
    for lo, hi in zip(ends, [*ends[1:], highest + 1], strict=True):
        if lo >= hi:
            continue
        here = sorted(p for p, rs in per.items() if any(a <= lo and hi <= b for a, b in rs))
        if out and out[-1].partitions == here:  # the same set: one range
            out[-1] = PartitionRange(notion, out[-1].low, _high(hi, highest), here)
            continue
        out.append(PartitionRange(notion, _float(lo), _high(hi, highest), here))
    return out


def _high(b: int, highest: int) -> float | None:
    return None if b > highest else _float(b)
