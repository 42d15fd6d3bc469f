"""Exact decisions for the partition game: burdens in double-double from the blocks' members,
and every notion's full test of one partition at one exact ``s = sigma^2``.

A member ``j`` of a block ``C`` of ``k`` players bears ``b_j(C) = s/k + (A_C + 2 a_j) P_f(k)/k``
(Def. 5 with Lemma 2's selfish epsilon, docs/paper-notes.md "Coalition structures"), a player
alone bears ``s``. Blocks are bitmasks of players. Two burdens that agree to ``TIE`` (relative),
far below any float's resolution, are taken as equal: a player is then not strictly better off,
and a member is not worse off, the same way in every path (as :mod:`..datasharing.exact`).

The float walk (:mod:`.walk`) decides every grid point farther than its error bound from a
threshold; the points inside come here.
"""

from __future__ import annotations

import numpy as np

from .. import ddouble as dd
from .._numba import kernel
from .contracts import CORE, INDIVIDUAL, NASH

TIE = 1e-26


@kernel
def popcount(mask):
    count = 0
    while mask:
        mask &= mask - 1
        count += 1
    return count


@kernel
def burden(players, p_hi, p_lo, mask, j, sh, sl):
    """``b_j(C)`` in double-double for the block ``mask`` (containing ``j``), ``s = sh + sl``;
    ``p_hi, p_lo``: the model value's ``P_f(k)`` rows."""
    k = popcount(mask)
    if k == 1:
        return sh, sl
    ah, al = 2.0 * players.a_hi[j], 2.0 * players.a_lo[j]
    for i in range(players.a.size):
        if (mask >> i) & 1:
            ah, al = dd.add(ah, al, players.a_hi[i], players.a_lo[i])
    ph, pl = dd.mul(ah, al, p_hi[k], p_lo[k])
    ph, pl = dd.add(ph, pl, sh, sl)  # (s + (A + 2a_j) P) / k
    return dd.div(ph, pl, np.float64(k), 0.0)


@kernel
def compare(players, p_hi, p_lo, new, old, j, sh, sl):
    """Sign of ``b_j(new) - b_j(old)``: -1 (strictly better off in ``new``), 0 (equal to
    ``TIE``), 1 (worse off)."""
    xh, xl = burden(players, p_hi, p_lo, new, j, sh, sl)
    yh, yl = burden(players, p_hi, p_lo, old, j, sh, sl)
    dh, dl = dd.add(xh, xl, -yh, -yl)
    if abs(dh) <= TIE * (abs(xh) + abs(yh)):
        return 0
    return -1 if dh < 0.0 else 1


@kernel
def consents(players, p_hi, p_lo, new, old, sh, sl):
    """No member of ``old`` is worse off in ``new`` (every member of ``old`` is in ``new``, or
    ``new`` is ``old`` less one player; an empty ``old`` consents)."""
    for j in range(players.a.size):
        if (old >> j) & 1 and (new >> j) & 1:
            if compare(players, p_hi, p_lo, new, old, j, sh, sl) > 0:
                return False
    return True


@kernel
def move_blocked(code, players, p_hi, p_lo, masks, nb, i, c, sh, sl):
    """Whether every move of player ``i`` (in block ``c``) is blocked under ``code``: none
    strictly lowers its burden (nash), or none that does has the receiving block's consent
    (individual), or also the consent of the block it leaves (contractual)."""
    bit = np.int64(1) << i
    here = masks[c]
    stay = here & ~bit
    for d in range(nb + 1):  # nb: alone
        if d == c or (d == nb and stay == 0):
            continue
        there = masks[d] if d < nb else np.int64(0)
        if compare(players, p_hi, p_lo, there | bit, here, i, sh, sl) >= 0:
            continue
        if code == NASH:
            return False
        if not consents(players, p_hi, p_lo, there | bit, there, sh, sl):
            continue
        if code == INDIVIDUAL:
            return False
        if stay == 0 or consents(players, p_hi, p_lo, stay, here, sh, sl):
            return False
    return True


@kernel
def stable(code, players, p_hi, p_lo, labels, sh, sl):
    """The partition ``labels`` (a restricted-growth string) is stable under ``code`` at the
    exact ``s = sh + sl``: every definition checked member by member, move by move (or, for the
    core, coalition by coalition)."""
    return stable_into(code, players, p_hi, p_lo, labels, sh, sl, np.zeros(labels.size, np.int64))


@kernel
def stable_into(code, players, p_hi, p_lo, labels, sh, sl, masks):
    """:func:`stable` with the blocks' masks built in ``masks`` (no allocation: the walk's
    helpers count no references and may not allocate)."""
    n = labels.size
    nb = 0
    for i in range(n):
        nb = max(nb, labels[i] + 1)
    masks[:nb] = 0
    for i in range(n):
        masks[labels[i]] |= np.int64(1) << i
    if code == CORE:
        for T in range(1, 1 << n):
            blocks = True
            for i in range(n):
                if (T >> i) & 1 and compare(
                    players, p_hi, p_lo, np.int64(T), masks[labels[i]], i, sh, sl
                ) >= 0:
                    blocks = False
                    break
            if blocks:
                return False
        return True
    for i in range(n):
        if not move_blocked(code, players, p_hi, p_lo, masks, nb, i, labels[i], sh, sl):
            return False
    return True
