"""Exact stability decisions: the float thresholds with a rigorous error bound, and double-double
where ``sigma^2`` lies inside that bound (docs/exactness.md derives the bound).

Every decision is "``sigma^2 >= T``" for a threshold ``T`` of Claims 5, 6 or Def. 7 under the
designer's epsilon, on the exact real values of the given floats (the costs, the privacy
model's parameter or table and sigma;
``sigma^2`` unrounded). The kernels compute ``T`` as a float ``T^`` (:mod:`.formulas`) with
``|T^ - T| <= band(k, pf) T^``; a grid point farther than that from ``T^`` is decided by the
floats, one inside by :func:`at_least` on ``T`` in double-double, built here from the costs by
the same closed forms in exact terms:

- ``L = (A + 2M) P(k) / (k - 1)`` (Claims 5, 6: no member leaves),
- ``U_nash = 3m P(k+1) / k + A P(k) / (k + 1)`` (Claim 5: the cheapest outsider stays out),
- ``U_robust = (A + m + 2 max(M, m)) P(k+1) / k`` (Claim 6: no valid entry),
- ``L_designer = (A + 2kM) Q(k) / (k - 1)``, ``U_designer = (A + (2k+3)m) Q(k+1) / k``,

with ``a_j = (c_j^2 / 2)^(1/3)``, ``A`` the members' sum, ``M`` the largest member's ``a``, ``m``
the cheapest outsider's, ``P(k) = k^((2 alpha + 1)/3)``, ``Q(k) = k^((2 alpha - 1)/3)`` (``P_f``,
``Q_f`` for any other privacy model ``pf``, :mod:`.privacy`). Where
``sigma^2`` and ``T`` agree to ``TIE`` (relative), far below any float's resolution, they are
taken as equal: the definitions' weak inequalities (a member stays when its burden equals
``sigma^2``) then decide, the same way in every path.
"""

from __future__ import annotations

import numpy as np

from .. import ddouble as dd
from .. import elementary
from .._numba import inline, kernel
from . import privacy
from .formulas import DESIGNER, NASH

LOWER = 0
NASH_UPPER = 1
ROBUST_UPPER = 2
DESIGNER_LOWER = 3
DESIGNER_UPPER = 4

TIE = 1e-26


band = privacy.band


@kernel
def a_dd(c):
    """``(c^2 / 2)^(1/3)`` in double-double (``c^2`` exact by ``two_prod``, halving exact)."""
    h, lo = elementary.two_prod(c, c)
    return dd.cbrt_dd(0.5 * h, 0.5 * lo)


pq = privacy.pq_dd


@kernel
def pq_table(n, pf):
    """Rows ``k = 0..n+1`` of :func:`pq` (rows 0 and 1 unused by the thresholds: 1 and 1)."""
    out = np.ones((n + 2, 4))
    out[:, 1] = 0.0
    out[:, 3] = 0.0
    for k in range(2, n + 2):
        out[k, 0], out[k, 1], out[k, 2], out[k, 3] = pq(k, pf)
    return out


@kernel
def threshold_parts(kind, A, M, m, k, here, above):
    """``T`` of ``kind`` in double-double from the members' ``A`` and ``M``, the cheapest
    outsider's ``m`` (pairs; ``m`` unused by the lower ends) and :func:`pq` of ``k``
    (``here``) and ``k + 1`` (``above``)."""
    Ah, Al = A
    Mh, Ml = M
    mh, ml = m
    ph, pl, qh, ql = here
    p1h, p1l, q1h, q1l = above
    fk = np.float64(k)
    if kind == LOWER:
        bh, bl = dd.add(Ah, Al, 2.0 * Mh, 2.0 * Ml)
        xh, xl = dd.mul(bh, bl, ph, pl)
        return dd.div(xh, xl, fk - 1.0, 0.0)
    if kind == NASH_UPPER:
        xh, xl = dd.mul_d(mh, ml, 3.0)  # not (3 mh, 3 ml): 3 mh rounds
        xh, xl = dd.mul(xh, xl, p1h, p1l)
        xh, xl = dd.div(xh, xl, fk, 0.0)
        yh, yl = dd.mul(Ah, Al, ph, pl)
        yh, yl = dd.div(yh, yl, fk + 1.0, 0.0)
        return dd.add(xh, xl, yh, yl)
    if kind == ROBUST_UPPER:
        bh, bl = dd.add(Ah, Al, mh, ml)
        if dd.less(Mh, Ml, mh, ml):
            bh, bl = dd.add(bh, bl, 2.0 * mh, 2.0 * ml)
        else:
            bh, bl = dd.add(bh, bl, 2.0 * Mh, 2.0 * Ml)
        xh, xl = dd.mul(bh, bl, p1h, p1l)
        return dd.div(xh, xl, fk, 0.0)
    if kind == DESIGNER_LOWER:
        wh, wl = dd.mul_d(Mh, Ml, 2.0 * fk)
        bh, bl = dd.add(Ah, Al, wh, wl)
        xh, xl = dd.mul(bh, bl, qh, ql)
        return dd.div(xh, xl, fk - 1.0, 0.0)
    wh, wl = dd.mul_d(mh, ml, 2.0 * fk + 3.0)
    bh, bl = dd.add(Ah, Al, wh, wl)
    xh, xl = dd.mul(bh, bl, q1h, q1l)
    return dd.div(xh, xl, fk, 0.0)


@kernel
def threshold(kind, A, M, m, k, pf):
    """:func:`threshold_parts` with ``P`` and ``Q`` computed here."""
    return threshold_parts(kind, A, M, m, k, pq(k, pf), pq(k + 1, pf))


@kernel
def at_least(sigma, th, tl):
    """``sigma^2 >= T`` on the exact ``sigma^2`` (``two_prod``); within ``TIE``: equal, so true."""
    sh, sl = elementary.two_prod(sigma, sigma)
    dh, dl = dd.add(sh, sl, -th, -tl)
    return dh >= -TIE * th


@kernel
def sums_of_mask(c, mask):
    """``(A, M, m, k)`` of the coalition ``mask`` over ascending costs ``c`` in double-double
    (``A`` folded in ascending order; ``m = (0, 0)`` when it has no outsider)."""
    Ah, Al = 0.0, 0.0
    Mh, Ml = 0.0, 0.0
    mh, ml = 0.0, 0.0
    k = 0
    outsider = False
    for i in range(c.shape[0]):
        if (np.uint64(mask) >> np.uint64(i)) & np.uint64(1):
            xh, xl = a_dd(c[i])
            Ah, Al = dd.add(Ah, Al, xh, xl)
            Mh, Ml = xh, xl  # ascending: the last member is the largest
            k += 1
        elif not outsider:
            mh, ml = a_dd(c[i])
            outsider = True
    return (Ah, Al), (Mh, Ml), (mh, ml), k


@kernel
def a_table(c):
    """:func:`a_dd` of every cost: rows ``(hi, lo)``."""
    out = np.empty((c.shape[0], 2))
    for i in range(c.shape[0]):
        out[i, 0], out[i, 1] = a_dd(c[i])
    return out


@kernel
def sums_of_members(ad, member):
    """``(A, M, m, k)`` of the members ``member[i]`` (booleans over ascending players) from
    :func:`a_table` rows ``ad``, as :func:`sums_of_mask` (any ``n``)."""
    Ah, Al = 0.0, 0.0
    Mh, Ml = 0.0, 0.0
    mh, ml = 0.0, 0.0
    k = 0
    outsider = False
    for i in range(ad.shape[0]):
        if member[i]:
            Ah, Al = dd.add(Ah, Al, ad[i, 0], ad[i, 1])
            Mh, Ml = ad[i, 0], ad[i, 1]
            k += 1
        elif not outsider:
            mh, ml = ad[i, 0], ad[i, 1]
            outsider = True
    return (Ah, Al), (Mh, Ml), (mh, ml), k


@kernel
def threshold_of_mask(kind, c, mask, pf):
    """``T`` of ``kind`` for the coalition ``mask`` (bits over ascending costs ``c``)."""
    A, M, m, k = sums_of_mask(c, mask)
    return threshold(kind, A, M, m, k, pf)


@kernel
def threshold_of_prefix(kind, c, k, pf):
    """``T`` of ``kind`` for ``S_k``, the ``k`` cheapest players (no bitmask: any ``n``)."""
    Ah, Al = 0.0, 0.0
    Mh, Ml = 0.0, 0.0
    for i in range(k):
        Mh, Ml = a_dd(c[i])
        Ah, Al = dd.add(Ah, Al, Mh, Ml)
    m = a_dd(c[k]) if k < c.shape[0] else (0.0, 0.0)
    return threshold(kind, (Ah, Al), (Mh, Ml), m, k, pf)


@inline
def near(sp, lo, x, width):
    """Whether a grid point next to ``lo = locate(x)`` lies within ``width`` of ``x`` (``sp`` is
    the padded grid: ``sp[ns]`` is inf)."""
    return (lo > 0 and sp[lo - 1] >= x - width) or sp[lo] <= x + width


@kernel
def settle(sigma, lo, th, tl):
    """The first grid index whose exact ``sigma^2`` is at least ``T``, from a float guess ``lo``
    (the exact set is a suffix of the ascending grid: step over the few points in the band)."""
    ns = sigma.shape[0]
    while lo > 0 and at_least(sigma[lo - 1], th, tl):
        lo -= 1
    while lo < ns and not at_least(sigma[lo], th, tl):
        lo += 1
    return lo


@kernel
def settle_mask(sigma, c, lo, kind, mask, pf):
    """:func:`settle` for the threshold ``kind`` of the coalition ``mask`` (the rare path of the
    all-subsets kernel: the double-double threshold is built only here)."""
    th, tl = threshold_of_mask(kind, c, mask, pf)
    return settle(sigma, lo, th, tl)


@inline
def by_floats(s, x, width):
    """``sigma^2 >= T`` as the floats decide it: 1 or 0 where ``s = fl(sigma^2)`` is farther
    than ``width`` from ``x = T^``, -1 inside the band (double-double decides)."""
    if x == np.inf:
        return 0
    if s - x > width:
        return 1
    if x - s > width:
        return 0
    return -1


@kernel
def decide(sigma, s, x, width, kind, c, mask, pf):
    """``sigma^2 >= T`` for one point: :func:`by_floats`, else the double-double ``T`` of the
    coalition ``mask``."""
    verdict = by_floats(s, x, width)
    if verdict >= 0:
        return verdict == 1
    th, tl = threshold_of_mask(kind, c, mask, pf)
    return at_least(sigma, th, tl)


@kernel
def settle_prefix(sigma, c, lo, kind, k, pf):
    """:func:`settle` for the threshold ``kind`` of ``S_k`` (the downward kernel's rare path)."""
    th, tl = threshold_of_prefix(kind, c, k, pf)
    return settle(sigma, lo, th, tl)


@kernel
def decide_prefix(sigma, s, x, width, kind, c, k, pf):
    """:func:`decide` for ``S_k``, the ``k`` cheapest players (no bitmask: any ``n``)."""
    verdict = by_floats(s, x, width)
    if verdict >= 0:
        return verdict == 1
    th, tl = threshold_of_prefix(kind, c, k, pf)
    return at_least(sigma, th, tl)


@inline
def kinds(notion):
    """The threshold kinds ``(lower, upper)`` of a notion (:mod:`.formulas`' codes)."""
    if notion == DESIGNER:
        return DESIGNER_LOWER, DESIGNER_UPPER
    if notion == NASH:
        return LOWER, NASH_UPPER
    return LOWER, ROBUST_UPPER


@kernel
def sigma_first(th, tl):
    """The smallest float ``sigma > 0`` with ``sigma^2 >= T`` exactly (``T <= 0``: 0; ``inf``:
    inf): the correctly rounded ``sqrt`` of ``T^``, moved by ulps."""
    if th == np.inf:
        return np.inf
    if th <= 0.0:
        return 0.0
    r = np.sqrt(th)
    while not at_least(r, th, tl):
        r = np.nextafter(r, np.inf)
    while True:
        below = np.nextafter(r, 0.0)
        if below > 0.0 and at_least(below, th, tl):
            r = below
        else:
            return r
