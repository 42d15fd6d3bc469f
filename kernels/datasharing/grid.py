"""Where a threshold falls on the sorted grid of ``s = sigma^2`` values.

Positive float64 values order like their bit patterns, and the top bits of a bit pattern are a
piecewise-linear logarithm. A small table over those bits sends a threshold straight to (almost)
its grid index, so a lookup is a shift and a couple of compares instead of a binary search.
"""

from __future__ import annotations

import numpy as np
from llvmlite import ir
from numba.core import types
from numba.extending import intrinsic

from .._numba import inline, kernel

MAX_PER_BUCKET = 4


@intrinsic
def float_bits(typingctx, x):
    """The IEEE-754 bit pattern of a float64 as int64 (a register move, no memory)."""
    sig = types.int64(types.float64)

    def codegen(context, builder, signature, args):
        return builder.bitcast(args[0], ir.IntType(64))

    return sig, codegen


@intrinsic
def bits_float(typingctx, x):
    """The float64 whose IEEE-754 bit pattern is the int64 ``x`` (inverse of :func:`float_bits`)."""
    sig = types.float64(types.int64)

    def codegen(context, builder, signature, args):
        return builder.bitcast(args[0], ir.DoubleType())

    return sig, codegen


@intrinsic
def lowest_bit(typingctx, x):
    """The index of the lowest set bit of a nonzero uint64 (one ``tzcnt``)."""
    sig = types.int64(types.uint64)

    def codegen(context, builder, signature, args):
        return builder.cttz(args[0], ir.Constant(ir.IntType(1), 1))

    return sig, codegen


@kernel
def build_index(s):
    """``(padded, table, base, shift)`` for :func:`locate` on ascending positive ``s``.

    ``table[b]`` is the first grid index whose bits reach bucket ``b``; the shift is lowered until
    no bucket holds more than ``MAX_PER_BUCKET`` grid points (or the table outgrows 64 per point).
    ``padded`` is ``s`` followed by ``MAX_PER_BUCKET`` infinities, so a lookup reads past a bucket
    without a bounds test.
    """
    ns = s.shape[0]
    padded = np.full(ns + MAX_PER_BUCKET, np.inf)
    padded[:ns] = s
    base = float_bits(s[0])
    span = float_bits(s[ns - 1]) - base
    shift = 62
    # start coarse (a small table stays in cache), then refine until buckets are small
    while shift > 0 and (span >> shift) < ns // MAX_PER_BUCKET:
        shift -= 1
    while True:
        nb = (span >> shift) + 2
        table = np.empty(nb, dtype=np.int32)
        b = 0
        worst = 0
        for j in range(ns):
            bj = (float_bits(s[j]) - base) >> shift
            while b <= bj:
                table[b] = j
                b += 1
        while b < nb:
            table[b] = ns
            b += 1
        for b in range(nb - 1):
            worst = max(worst, table[b + 1] - table[b])
        if worst <= MAX_PER_BUCKET or shift == 0 or nb > 64 * ns:
            return padded, table, base, shift
        shift -= 1


@inline
def locate(padded, table, base, shift, x):
    """First index ``j`` with ``s[j] >= x`` (``numpy.searchsorted(s, x, 'left')``)."""
    # clamped, branch-free bucket: below the grid -> 0, above it -> the last bucket (= len(s))
    b = min(max((float_bits(x) - base) >> shift, 0), table.shape[0] - 1)
    j = table[b]
    # a bucket holds at most MAX_PER_BUCKET points: count them without branches (sorted grid)
    j += (
        np.int64(padded[j] < x)
        + np.int64(padded[j + 1] < x)
        + np.int64(padded[j + 2] < x)
        + np.int64(padded[j + 3] < x)
    )
    ns = padded.shape[0] - MAX_PER_BUCKET
    while j < ns and padded[j] < x:  # only where the table gave up on small buckets
        j += 1
    return j


@kernel
def locate_many(s, xs):
    """:func:`locate` for an array of thresholds (for tests and benchmarks)."""
    padded, table, base, shift = build_index(s)
    out = np.empty(xs.shape[0], dtype=np.int64)
    for i in range(xs.shape[0]):
        out[i] = locate(padded, table, base, shift, xs[i])
    return out


@kernel
def floor_log2_table(n):
    """``t[m] = floor(log2(m))`` for ``m = 1..n`` (``t[0] = 0``), for O(1) range updates."""
    t = np.zeros(n + 1, dtype=np.int64)
    for m in range(2, n + 1):
        t[m] = t[m >> 1] + 1
    return t
