"""The IXP kernels' inputs and outputs by name (named tuples of arrays, compiled by Numba as
arguments with attribute access), defined once for the kernels and their callers."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np


class Weights(NamedTuple):
    """One instance: ``w_facility`` (n, m), ``w_pair`` (n, n), ``facility_cost`` (m), each
    agent's total pair weight ``row_sum`` (n) (its cost at none) and its weight to the agents
    before it, ``prefix_sum`` (n): sum of w(d, j) over j < d."""

    w_facility: np.ndarray
    w_pair: np.ndarray
    facility_cost: np.ndarray
    row_sum: np.ndarray
    prefix_sum: np.ndarray


class Part(NamedTuple):
    """A block's result (the assignments whose first agents carry the block's labels), per
    alpha bucket ``t`` (the assignments whose alpha* falls in (alpha[t-1], alpha[t]]): merged
    exactly across blocks, then accumulated over buckets into the cube's per-alpha values."""

    stable_count: np.ndarray  # (n_alpha,) int64
    best_cost: np.ndarray  # (n_alpha,) float64, +inf when empty
    best_rank: np.ndarray  # (n_alpha,) int64: lexicographic index of the best assignment
    best_assignment: np.ndarray  # (n_alpha, n) int64
    worst_cost: np.ndarray  # (n_alpha,) float64, -inf when empty
    optimum: np.ndarray  # (3,) float64: least cost, its rank (a float: exact below 2^53), tol
    optimum_assignment: np.ndarray  # (n,) int64


def new_part(n_alpha: int, n: int) -> Part:
    """An empty part: nothing stable, no optimum yet."""
    return Part(
        np.zeros(n_alpha, dtype=np.int64),
        np.full(n_alpha, np.inf),
        np.full(n_alpha, -1, dtype=np.int64),
        np.full((n_alpha, n), -2, dtype=np.int64),
        np.full(n_alpha, -np.inf),
        np.array([np.inf, -1.0, 0.0]),
        np.full(n, -2, dtype=np.int64),
    )


class Network(NamedTuple):
    """A flow network in CSR order: node u's arcs are ``start[u]:start[u + 1]``, arc e goes to
    ``head[e]`` with residual ``capacity[e]`` (updated in place); ``reverse[e]`` is its twin."""

    start: np.ndarray  # (nodes + 1,) int64
    head: np.ndarray  # (arcs,) int64
    capacity: np.ndarray  # (arcs,) float64
    reverse: np.ndarray  # (arcs,) int64


def network(nodes: int, tail: np.ndarray, head: np.ndarray, capacity: np.ndarray) -> Network:
    """The network of arcs ``tail -> head`` (each with a twin of capacity 0), in CSR order."""
    k = tail.size
    tails = np.concatenate([tail, head]).astype(np.int64)
    heads = np.concatenate([head, tail]).astype(np.int64)
    caps = np.concatenate([capacity, np.zeros(k)]).astype(np.float64)
    twin = np.concatenate([np.arange(k, 2 * k), np.arange(k)])
    order = np.argsort(tails, kind="stable")
    where = np.empty_like(order)
    where[order] = np.arange(order.size)
    start = np.zeros(nodes + 1, dtype=np.int64)
    np.add.at(start, tails + 1, 1)
    return Network(np.cumsum(start), heads[order], caps[order], where[twin[order]])
