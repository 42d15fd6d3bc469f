"""The partition kernels' inputs and outputs by name (named tuples of arrays, as Numba compiles
them): one profile's players, the privacy model's rows, the sigma grid, the range tables a walk
fills and the part a block hands to the merge.

Notions are numbered in the kernels' order (:data:`NASH` ...); a scan asks for a subset of them
in the cube's order (its ``want`` array). ``s = sigma^2`` ascending; ``t`` indexes the model's
values (alpha, p or named tables); a partition's key packs its restricted-growth string, player 0
in the highest four bits, so keys order partitions as their strings do.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

NASH = 0
INDIVIDUAL = 1
CONTRACTUAL = 2
CORE = 3
NOTIONS = ("nash", "individual", "contractual", "core")  # the kernels' numbering
BITS = 4  # per player in a key: labels 0..15
MAX_KEY = np.uint64(2**64 - 1)  # no partition (larger than every key)


class Players(NamedTuple):
    """One profile in input order: ``a_j = (c_j^2/2)^(1/3)`` as floats and double-doubles,
    and (for the core) the float sum of ``a`` over every subset (bitmask; else empty)."""

    a: np.ndarray
    a_hi: np.ndarray
    a_lo: np.ndarray
    subset_sum: np.ndarray


class Rows(NamedTuple):
    """The privacy model's rows for sizes ``k = 0..n`` (rows 0 and 1 unused), per value ``t``:
    ``r[t, k] = P_f(k)/k`` (a member's burden is ``s/k + (A + 2a_i) r``), ``q3[t, k] =
    3 Q_f(k)`` (the designer's block costs ``s + A q3``), ``P_f(k)`` in double-double, and
    ``err[t]``, a bound on the relative error of every float burden term (docs/exactness.md)."""

    r: np.ndarray
    q3: np.ndarray
    p_hi: np.ndarray
    p_lo: np.ndarray
    err: np.ndarray


class Grid(NamedTuple):
    """The sigma grid: ``s = fl(sigma^2)`` ascending, and the exact ``sigma^2`` as a pair."""

    s: np.ndarray
    s_hi: np.ndarray
    s_lo: np.ndarray


class Tables(NamedTuple):
    """What a walk accumulates, per wanted notion ``w``, model value ``t``: difference arrays
    over the grid of stable partitions (``count``) and of those with exactly one block of two or
    more players (``single``); per block count ``b`` a segment tree over the grid of the least
    ``(W, key)`` (``best_*``) and greatest ``(W, -key)`` (``worst_*``) stable partition, where
    ``W`` is the social cost less ``s`` times the blocks; per ``(t, b)`` the designer's least
    ``(W, key)`` over all partitions (``central_*``)."""

    count: np.ndarray  # (N, T, G + 1) int64
    single: np.ndarray  # (N, T, G + 1) int64
    best_w: np.ndarray  # (N, T, n + 1, 2G) float64
    best_key: np.ndarray  # (N, T, n + 1, 2G) uint64
    worst_w: np.ndarray
    worst_key: np.ndarray
    central_w: np.ndarray  # (T, n + 1) float64
    central_key: np.ndarray  # (T, n + 1) uint64


class Part(NamedTuple):
    """A block's result per (notion, t, grid point), merged exactly across blocks: counts add,
    the best stable partition is the least ``(social_cost, blocks, key)``, the worst the greatest
    ``social_cost`` then the least ``(blocks, key)``; the designer's least ``(W, key)`` per
    ``(t, blocks)``."""

    count: np.ndarray
    single: np.ndarray
    best_sc: np.ndarray
    best_blocks: np.ndarray
    best_key: np.ndarray
    worst_sc: np.ndarray
    worst_blocks: np.ndarray
    worst_key: np.ndarray
    central_w: np.ndarray
    central_key: np.ndarray


def new_tables(n_want: int, n_t: int, n: int, n_s: int) -> Tables:
    """Empty :class:`Tables` for ``n`` players."""
    shape = (n_want, n_t, n + 1, 2 * n_s)
    return Tables(
        np.zeros((n_want, n_t, n_s + 1), np.int64),
        np.zeros((n_want, n_t, n_s + 1), np.int64),
        np.full(shape, np.inf),
        np.full(shape, MAX_KEY, np.uint64),
        np.full(shape, -np.inf),
        np.full(shape, MAX_KEY, np.uint64),
        np.full((n_t, n + 1), np.inf),
        np.full((n_t, n + 1), MAX_KEY, np.uint64),
    )


def tables_bytes(n_want: int, n_t: int, n: int, n_s: int) -> int:
    """Bytes of :func:`new_tables` (the trees dominate)."""
    return n_want * n_t * (n + 1) * 2 * n_s * 32 + n_want * n_t * (n_s + 1) * 16
