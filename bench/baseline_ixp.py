"""The IXP exhaustive scan in vectorized NumPy (issue 11 §7's baseline; issue 23: as a careful
user writes it, not a strawman): every assignment as a column of a block, costs by one matrix
product per block, every condition of Def. 4.1 by whole-array operations, no Python loop per
assignment.

An assignment is its index's digits in base m + 1 (agent 0 most significant, none = -1), so a
block of B consecutive assignments is built by integer arithmetic. Its facility membership is
a one-hot ``(n, m B)`` float matrix, and every agent's friend weight at every facility, F_i(x),
is one product ``w_pair @ onehot``: ``(n, n) @ (n, m B)``, a single BLAS call per block rather
than a batch of tiny ones. Layout (agent, facility, assignment): the assignment axis last and
contiguous, so each facility's slice is a plain ``(n, B)`` array and every min, max and sum
over the m facilities or the n agents is an elementwise operation on whole rows (SIMD), not
many short reductions. Blocks of 2^13 assignments keep a block's arrays in cache (measured:
faster than one array of all (m+1)^n at n = 10, and than 2^11 or 2^16).

The conditions are :mod:`kernels.ixp.rule`'s written out for arrays (``a <= b + tau``; the least
alpha ``a / (b + tau)``; inf when ``b <= tau``), so the counts agree with the kernel's. Float
math in another order than the kernel's: a baseline, its values never reach a cube.
"""

from __future__ import annotations

import ctypes
import glob
import os
import time
from contextlib import contextmanager

import numpy as np
from clock import Clock

BLOCK = 1 << 13  # assignments per block: (n, m, B) float64 arrays ~ 1 MB at n = 10, m = 3


@contextmanager
def one_blas_thread():
    """OpenBLAS on one thread inside the block: the kernel runs on one core, so the baseline is
    timed per core too (and BLAS threads fighting over a shared machine's cores made the tiny
    products 5-50x slower, measured: no help to the baseline either). numpy's own OpenBLAS is
    told through its C API; a build without it is left as it is."""
    found = glob.glob(os.path.join(os.path.dirname(np.__file__) + ".libs", "*openblas*"))
    if not found:
        yield
        return
    lib = ctypes.CDLL(found[0])
    get = getattr(lib, "scipy_openblas_get_num_threads64_", None)
    put = getattr(lib, "scipy_openblas_set_num_threads64_", None)
    if get is None or put is None:
        yield
        return
    before = get()
    put(1)
    try:
        yield
    finally:
        put(before)


def _least_alpha(a: np.ndarray, b: np.ndarray, tol: float) -> np.ndarray:
    """rule.alpha_needed for arrays: 1 where ``a <= b + tol``, inf where ``b <= tol``, else
    ``a / (b + tol)``."""
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = a / (b + tol)
    ratio[b <= tol] = np.inf
    ratio[a <= b + tol] = 1.0
    return ratio


def numpy_exhaustive(inst, alpha: np.ndarray, block: int = BLOCK, _clock=None):
    """Stable counts per alpha (Def. 4.1, cumulative as the kernel's) and the optimum cost."""
    clock = _clock or Clock(False)
    alpha = np.asarray(alpha, dtype=np.float64)
    n, m = inst.n, inst.m
    wp, fc, tol = inst.w_pair, inst.facility_cost, inst.tol
    total_w = wp.sum(axis=1)  # c~_i(none)
    base = (inst.w_facility + total_w[:, None])[:, :, None]  # (n, m, 1): w(i, x) + W_i
    at_none = total_w[:, None]
    powers = ((m + 1) ** np.arange(n - 1, -1, -1, dtype=np.int64))[:, None]
    labels = np.arange(m)[None, :, None]
    count = np.zeros(alpha.size + 1, dtype=np.int64)
    best = np.inf
    everything = (m + 1) ** n
    for start in range(0, everything, block):
        with clock("assignments"):
            index = np.arange(start, min(start + block, everything), dtype=np.int64)
            s = (index[None, :] // powers) % (m + 1) - 1  # (n, B): agent i's facility, -1 none
            B = index.size
        with clock("onehot"):
            member = s[:, None, :] == labels  # (n, m, B)
            onehot = member.astype(np.float64)
        with clock("matmul"):
            # F_i(x) for every agent, facility and assignment: one BLAS product
            friends = (wp @ onehot.reshape(n, m * B)).reshape(n, m, B)
        with clock("costs"):
            dev = base - friends  # c~_i(x) of every move: (n, m, B)
            connected = s >= 0
            own = np.where(connected, 0.0, at_none)  # c~_i(s_i)
            alt = np.where(connected, at_none, np.inf)  # m_i: none, if connected ...
            for x in range(m):
                here = member[:, x]
                own += np.where(here, dev[:, x], 0.0)  # one term per agent: exact
                np.minimum(alt, np.where(here, np.inf, dev[:, x]), out=alt)  # ... or x != s_i
            opened = member.any(axis=0)  # (m, B)
            cost = own.sum(axis=0) + fc @ opened
            best = min(best, float(cost.min()))
        with clock("stability"):
            need = _least_alpha(own, alt, tol).max(axis=0)  # every agent's condition
            # every facility's sums over its agents: rows added, not einsum (3x slower here)
            fac_own = (onehot * own[:, None, :]).sum(axis=0)
            fac_alt = (onehot * alt[:, None, :]).sum(axis=0)
            fac_need = _least_alpha(fc[:, None] + fac_own, fac_alt, tol)
            fac_need[~opened] = 1.0  # closed: no condition
            np.maximum(need, fac_need.max(axis=0), out=need)
        with clock("counting"):
            # the first alpha >= need: stable from there on (beyond the grid: never)
            count += np.bincount(np.searchsorted(alpha, need), minlength=alpha.size + 1)
    return np.cumsum(count[:-1]), best


def profile_baseline(inst, alpha, block: int = BLOCK) -> dict[str, float]:
    """Seconds of each stage of one :func:`numpy_exhaustive` call (``assignments``: the digits;
    ``onehot``; ``matmul``: F by BLAS; ``costs``: c~, m_i, c(s); ``stability``: the agents' and
    facilities' least alphas; ``counting``), ``total``, and ``rate`` (assignments a second);
    printed as a table, largest stage first."""
    clock = Clock(True)
    with one_blas_thread():
        start = time.perf_counter()
        numpy_exhaustive(inst, alpha, block, _clock=clock)
        out = dict(clock.seconds)
        out["total"] = time.perf_counter() - start
    out["rate"] = (inst.m + 1) ** inst.n / out["total"]
    for stage, sec in sorted(clock.seconds.items(), key=lambda kv: -kv[1]):
        print(f"{stage:12s} {sec:8.3f} s  {100 * sec / out['total']:5.1f} %")
    print(f"{'total':12s} {out['total']:8.3f} s  {out['rate']:.3g} assignments/s")
    return out
