"""Double-double arithmetic (about 106 bits) for the rare decisions that floats leave open.

A value is a pair ``(hi, lo)`` with ``hi = fl(hi + lo)``. Everything is built from IEEE-754
``+ - * /`` through the error-free :func:`~fastscan.kernels.elementary.two_sum` and
``two_prod``, so the bits are the same on every CPU. Relative errors (QD library's algorithms,
Hida, Li and Bailey 2001): ``add``, ``mul``, ``div`` below ``2^-103``; ``exp`` below
``|x| 2^-102 + 2^-100`` (the argument's own rounding dominates), ``expm1`` and ``log1m`` (of
small arguments) relative; ``log`` and ``cbrt`` below
``2^-100`` (one Newton step from a float within 1 ulp: the error squares). The stability
decisions use them with a tie margin of 1e-26 relative (:mod:`.datasharing.exact`), far above
these errors (below 1e-28 for every threshold the inputs' ranges allow).
"""

from __future__ import annotations

import decimal
import math
from fractions import Fraction

import numpy as np

from ._numba import inline, kernel
from .elementary import cbrt, log, two_prod, two_sum
from .elementary import dd_mul as mul  # (ah + al)(bh + bl): elementary's, not written again


def _pair(x: Fraction) -> tuple[float, float]:
    hi = float(x)
    return hi, float(x - Fraction(hi))


def _ln2() -> tuple[float, float]:
    with decimal.localcontext() as ctx:
        ctx.prec = 60
        return _pair(Fraction(decimal.Decimal(2).ln()))


LN2_HI, LN2_LO = _ln2()
INV_LN2 = 1.4426950408889634
# (e^r - 1) / r = sum_i r^i / (i + 1)!, i = 0..10: coefficient i is 1 / (i + 1)!
_COEF = [_pair(Fraction(1, math.factorial(i + 1))) for i in range(11)]
COEF_HI = np.array([c[0] for c in _COEF])
COEF_LO = np.array([c[1] for c in _COEF])
SQUARINGS = 10  # exp: r is scaled by 2^-10 before the series, then squared back
SCALE = 2.0**-SQUARINGS


@inline
def quick_two_sum(a, b):
    """``(s, e)`` with ``s + e = a + b`` exactly, for ``|a| >= |b|``."""
    s = a + b
    return s, b - (s - a)


@kernel
def add(ah, al, bh, bl):
    """``(ah + al) + (bh + bl)`` (the IEEE-style, accurate addition)."""
    s, e = two_sum(ah, bh)
    t, f = two_sum(al, bl)
    e += t
    s, e = quick_two_sum(s, e)
    e += f
    return quick_two_sum(s, e)


@kernel
def mul_d(ah, al, b):
    """``(ah + al) b`` for a double ``b``."""
    p, e = two_prod(ah, b)
    e += al * b
    return quick_two_sum(p, e)


@kernel
def div(ah, al, bh, bl):
    """``(ah + al) / (bh + bl)``: three quotient digits, each from the exact remainder."""
    q1 = ah / bh
    ph, pl = mul_d(bh, bl, q1)
    rh, rl = add(ah, al, -ph, -pl)
    q2 = rh / bh
    ph, pl = mul_d(bh, bl, q2)
    rh, rl = add(rh, rl, -ph, -pl)
    q3 = rh / bh
    q1, q2 = quick_two_sum(q1, q2)
    return add(q1, q2, q3, 0.0)


@kernel
def _expm1_reduced(rh, rl):
    """``e^r - 1`` for ``|r| <= ln2 / 2``: ``e^(r / 2^10) - 1`` by its Taylor series (11 terms:
    the remainder is below 2^-140), squared back ten times as ``t -> 2t + t^2`` (no
    cancellation, so the error stays relative however small ``r`` is)."""
    rh, rl = rh * SCALE, rl * SCALE  # exact: a power of two
    sh, sl = COEF_HI[10], COEF_LO[10]
    for i in range(9, -1, -1):
        sh, sl = mul(sh, sl, rh, rl)
        sh, sl = add(sh, sl, COEF_HI[i], COEF_LO[i])
    th, tl = mul(sh, sl, rh, rl)  # e^r - 1
    for _ in range(SQUARINGS):
        qh, ql = mul(th, tl, th, tl)
        th, tl = add(2.0 * th, 2.0 * tl, qh, ql)
    return th, tl


@kernel
def exp(xh, xl):
    """``e^x`` for ``|x| < 700``: ``x = m ln2 + r``, ``e^r`` from :func:`_expm1_reduced`, times
    ``2^m``."""
    m = np.floor(xh * INV_LN2 + 0.5)
    ph, pl = mul_d(LN2_HI, LN2_LO, m)
    rh, rl = add(xh, xl, -ph, -pl)
    th, tl = _expm1_reduced(rh, rl)
    th, tl = add(1.0, 0.0, th, tl)
    mi = int(m)
    return math.ldexp(th, mi), math.ldexp(tl, mi)


@kernel
def expm1(xh, xl):
    """``e^x - 1`` for ``x <= 0`` with a relative error below ``2^-100`` however small ``|x|``
    is: the reduced series itself for ``|x| <= ln2 / 2``, else ``e^x - 1`` (then ``e^x <=
    0.71``: the subtraction loses at most two bits). Below -700: -1."""
    if xh < -700.0:
        return -1.0, 0.0
    if xh >= -0.34657359027997264:  # ln2 / 2
        return _expm1_reduced(xh, xl)
    eh, el = exp(xh, xl)
    return add(eh, el, -1.0, 0.0)


@kernel
def log1m(p):
    """``ln(1 - p)`` for a double ``0 < p < 1`` with a relative error below ``2^-100``: for
    ``p >= 1/2``, ``1 - p`` is exact (Sterbenz) and ``|ln(1 - p)| >= ln 2``, so :func:`log_d`
    is accurate relative to it; below, ``ln(1 - p) = -2 atanh(z)``, ``z = p / (2 - p) <=
    1/3``, by its series ``z + z^3/3 + ...`` (positive terms, so no cancellation however small
    ``p`` is; 40 terms: the remainder is below ``9^-40 < 2^-126``)."""
    if p >= 0.5:
        return log_d(1.0 - p)
    dh, dl = two_sum(2.0, -p)
    zh, zl = div(p, 0.0, dh, dl)
    z2h, z2l = mul(zh, zl, zh, zl)
    sh, sl = zh, zl
    th, tl = zh, zl
    for i in range(1, 41):
        th, tl = mul(th, tl, z2h, z2l)
        qh, ql = div(th, tl, 2.0 * i + 1.0, 0.0)
        sh, sl = add(sh, sl, qh, ql)
    return -2.0 * sh, -2.0 * sl


@kernel
def log_d(x):
    """``ln x`` for a positive double: the float logarithm (within 1 ulp), then one Newton step
    ``y + x e^-y - 1`` in double-double."""
    y = log(x)
    eh, el = exp(-y, 0.0)
    zh, zl = mul_d(eh, el, x)
    wh, wl = add(zh, zl, -1.0, 0.0)
    return add(y, 0.0, wh, wl)


@kernel
def pow_d(k, eh, el):
    """``k^e`` for a positive double ``k`` and a double-double exponent ``e``."""
    lh, ll = log_d(k)
    ph, pl = mul(eh, el, lh, ll)
    return exp(ph, pl)


@kernel
def cbrt_dd(xh, xl):
    """Cube root of a positive double-double: the float root (0.51 ulp), then one Newton step
    on the residual ``y^3 - x``, computed exactly enough in double-double."""
    y = cbrt(xh)
    y2h, y2l = two_prod(y, y)
    y3h, y3l = mul_d(y2h, y2l, y)
    rh, rl = add(y3h, y3l, -xh, -xl)
    return quick_two_sum(y, -(rh / (3.0 * y * y)))


@inline
def less(ah, al, bh, bl):
    """``a < b`` for normalized pairs."""
    return ah < bh or (ah == bh and al < bl)
