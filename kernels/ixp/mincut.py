"""A minimum s-t cut on float capacities (Dinic's blocking flows), for the m <= 2 optimum:
the arcs of a :class:`~.contracts.Network` in CSR order, residual capacities updated in place."""

from __future__ import annotations

import numpy as np

from .._numba import kernel


@kernel
def _levels(net, source, eps, level, queue):
    """Breadth-first distances from ``source`` over arcs with residual above ``eps``."""
    level[:] = -1
    level[source] = 0
    lo, hi = 0, 1
    queue[0] = source
    while lo < hi:
        u = queue[lo]
        lo += 1
        for e in range(net.start[u], net.start[u + 1]):
            v = net.head[e]
            if level[v] < 0 and net.capacity[e] > eps:
                level[v] = level[u] + 1
                queue[hi] = v
                hi += 1


@kernel
def min_cut(net, source, sink, eps, side):
    """The maximum flow from ``source`` to ``sink``; ``side[v]`` = 1 for the nodes on the
    source's side of a minimum cut (reachable in the residual network), else 0."""
    nodes = net.start.shape[0] - 1
    level = np.empty(nodes, dtype=np.int64)
    queue = np.empty(nodes, dtype=np.int64)
    cursor = np.empty(nodes, dtype=np.int64)
    path = np.empty(nodes, dtype=np.int64)
    flow = 0.0
    while True:
        _levels(net, source, eps, level, queue)
        if level[sink] < 0:
            break
        cursor[:] = net.start[:-1]
        while True:  # augmenting paths along rising levels until the level graph is blocked
            u, depth = source, 0
            while u != sink:
                advanced = False
                while cursor[u] < net.start[u + 1]:
                    e = cursor[u]
                    v = net.head[e]
                    if net.capacity[e] > eps and level[v] == level[u] + 1:
                        path[depth] = e
                        depth += 1
                        u = v
                        advanced = True
                        break
                    cursor[u] += 1
                if not advanced:
                    if u == source:
                        break
                    level[u] = -1  # a dead end: never again in this phase
                    depth -= 1
                    u = net.head[net.reverse[path[depth]]]
                    cursor[u] += 1
            if u != sink:
                break
            push = np.inf
            for k in range(depth):
                push = min(push, net.capacity[path[k]])
            for k in range(depth):
                e = path[k]
                net.capacity[e] -= push
                net.capacity[net.reverse[e]] += push
            flow += push
    _levels(net, source, eps, level, queue)
    for v in range(nodes):
        side[v] = 1 if level[v] >= 0 else 0
    return flow
