"""The IXP exhaustive scan in vectorized NumPy (issue 11 §7's baseline): every assignment as a
row, every agent's cost and best alternative by whole-array operations, alpha* per row."""

from __future__ import annotations

import itertools

import numpy as np


def numpy_exhaustive(inst, alpha: np.ndarray) -> tuple[np.ndarray, float]:
    """Stable counts per alpha (Def. 4.1) and the optimum cost, every assignment at once."""
    n, m = inst.n, inst.m
    s = np.array(list(itertools.product(range(-1, m), repeat=n)), dtype=np.int64)  # (A, n)
    wf, wp = inst.w_facility, inst.w_pair
    total_w = wp.sum(axis=1)
    # F[:, i, x] = sum of w(i, j) over agents j at x
    onehot = (s[:, :, None] == np.arange(m)[None, None, :]).astype(np.float64)  # (A, n, m)
    friends = np.einsum("ij,ajx->aix", wp, onehot)
    dev = np.concatenate(
        [
            np.broadcast_to(total_w, (len(s), n))[:, :, None],
            wf[None] + total_w[None, :, None] - friends,
        ],
        axis=2,
    )  # (A, n, m + 1): c~_i(x, s_-i), column 0 none
    own = np.take_along_axis(dev, (s + 1)[:, :, None], axis=2)[:, :, 0]
    np.put_along_axis(dev, (s + 1)[:, :, None], np.inf, axis=2)
    alt = dev.min(axis=2)
    opened = onehot.any(axis=1)  # (A, m)
    cost = own.sum(axis=1) + (opened * inst.facility_cost).sum(axis=1)
    tol = inst.tol
    with np.errstate(divide="ignore", invalid="ignore"):
        agent_need = np.where(own > alt + tol, np.where(alt > 0, own / alt, np.inf), 1.0)
        fac_cost = inst.facility_cost + np.einsum("ai,aix->ax", own, onehot)
        fac_alt = np.einsum("ai,aix->ax", alt, onehot)
        fac_need = np.where(
            opened & (fac_cost > fac_alt + tol),
            np.where(fac_alt > 0, fac_cost / fac_alt, np.inf),
            1.0,
        )
    need = np.maximum(agent_need.max(axis=1), fac_need.max(axis=1))
    counts = np.array([(need <= a).sum() for a in alpha])
    return counts, float(cost.min())
