"""The privacy-cost scaling ``f(|S|)`` of Definition 5, for every kernel: ``P_f`` and ``Q_f``.

Paper 000 defines a member's privacy cost as ``c_i f(|S|) eps_i`` for any positive ``f`` and
then works with ``f(k) = k^alpha``. Every closed form keeps its shape for any ``f`` with

    ``P_f(k) = k^(1/3) f(k)^(2/3)`` and ``Q_f(k) = k^(-1/3) f(k)^(2/3)``

in place of ``P(k) = k^((2 alpha + 1)/3)`` and ``Q(k) = k^((2 alpha - 1)/3)``
(docs/paper-notes.md, "General privacy scaling f(k)", derives each from the definitions).

A scan's models are one :class:`Privacy` record over its values (the cube's model dim); a kernel
works on value ``t`` through the pair ``pf = (priv, t)``. Kinds:

- ``POWER``: ``f(k) = k^x`` (``x`` = alpha), evaluated exactly as before this module existed
  (``exp(e log k)``), so power cubes keep their bits;
- ``LEAKAGE``: ``f(k) = 1 - (1 - x)^(k - 1)`` (``x`` = p, footnote 7's leakage), from
  ``-expm1((k - 1) ln(1 - p))`` with ``ln(1 - p)`` in double-double (``log_q``);
- ``TABLE``: ``f(k) = f[t, k - 1]``, values as given (beyond ``K`` the last value: read only as
  ``P_f(n + 1)`` of the grand coalition, which has no outsider and never uses it).

Float paths take ``P_f = exp((ln k + 2 ln f)/3)`` and ``Q_f = exp((2 ln f - ln k)/3)`` (one
``log`` and two table ``exp``: the power law's cost; a cube root costs 15 times an ``exp``), within
``7u + 2u (ln k + 2h)`` with ``h`` the model's largest ``|ln f(k)|`` (:func:`band` covers it);
the double-double path (:func:`pq_dd`) evaluates ``cbrt(k f^2)`` and ``cbrt(f^2 / k)`` in about
106 bits.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from .. import ddouble as dd
from .. import elementary
from .._numba import inline, kernel

POWER = 0
LEAKAGE = 1
TABLE = 2
UNIT = 2.0**-53
LN2 = 0.6931471805599454  # ln 2 rounded up (the band is an upper bound)
THIRD = 1.0 / 3.0  # a product, not a division, per exponent (its rounding is in the band)


class Privacy(NamedTuple):
    """A scan's privacy models: ``kind`` (one of :data:`POWER`, :data:`LEAKAGE`,
    :data:`TABLE`), its parameter per value ``x`` (alpha, p; 0 for tables), ``log_q[t]`` the
    double-double ``ln(1 - p)`` (leakage; zeros otherwise), ``f[t, k - 1]`` the tabulated
    ``f(k)`` for ``k = 1..K`` (tables; one column of zeros otherwise) and ``h[t]`` a bound on
    ``|ln f(k)|`` over ``k >= 2`` (leakage and tables: the error band's; 0 for power)."""

    kind: int
    x: np.ndarray
    log_q: np.ndarray
    f: np.ndarray
    h: np.ndarray


@kernel
def log_q_of(p):
    """``ln(1 - p)`` in double-double for each ``p`` (rows ``(hi, lo)``)."""
    out = np.zeros((p.shape[0], 2))
    for t in range(p.shape[0]):
        out[t, 0], out[t, 1] = dd.log1m(p[t])
    return out


@inline
def exponents(alpha):
    """``((2 alpha + 1) / 3, (2 alpha - 1) / 3)``: the powers of ``k`` in ``P`` and ``Q``."""
    return (2.0 * alpha + 1.0) / 3.0, (2.0 * alpha - 1.0) / 3.0


@kernel
def f_of(kind, x, k):
    """``f(k)`` in floats from the model's scalar ``x`` at ``k``: leakage ``x = ln(1 - p)``,
    ``-expm1((k - 1) x)`` (the product within 2u of the exact one, expm1 within 6u: 8u in
    all; footnote 7); a table's value ``x`` as given. Scalars only: a call with the record
    would count references to its arrays on every call of a hot loop."""
    if kind == LEAKAGE:
        return -elementary.expm1((k - 1.0) * x)
    return x


@inline
def model_scalar(pf, k):
    """What :func:`f_of` needs of the record at ``k``: ``ln(1 - p)`` or the table's ``f(k)``."""
    priv, t = pf
    if priv.kind == LEAKAGE:
        return priv.log_q[t, 0]
    return priv.f[t, min(k, priv.f.shape[1]) - 1]


@inline
def f_float(pf, k):
    """``f(k)`` in floats (leakage: within ``8u``; table: as given). Not for the power kind."""
    return f_of(pf[0].kind, model_scalar(pf, k), k)


@kernel
def pq_general(kind, x, k, lk):
    """``(P_f(k), Q_f(k))`` of a leakage or table model from :func:`model_scalar`'s ``x``."""
    lg = 2.0 * elementary.log(f_of(kind, x, k))
    return elementary.exp((lk + lg) * THIRD), elementary.exp((lg - lk) * THIRD)


@inline
def pq(pf, k, lk):
    """``(P_f(k), Q_f(k))`` in floats; ``lk = log(k)`` (:func:`elementary.log`), used by the
    power kind only, whose expressions are the ones every power cube was made with (inline, as
    they always were; the other kinds call :func:`pq_general` with scalars)."""
    priv, t = pf
    if priv.kind == POWER:
        e, f = exponents(priv.x[t])
        return elementary.exp(e * lk), elementary.exp(f * lk)
    return pq_general(priv.kind, model_scalar(pf, k), k, lk)


@kernel
def band_of(kind, x, h, k):
    """:func:`band` from scalars (``x``: alpha of the power law; ``h``: the other models' bound
    on ``|ln f|``)."""
    if kind == POWER:
        e, f = exponents(x)
        g = max(abs(e), abs(f))
        return 2.0 * (k + 12.0 + 6.0 * g * elementary.log(k + 1.0)) * UNIT
    # ln(k+1) < e ln 2 for k + 1 < 2^e: a bound is all a band needs, and it saves a log per
    # (value, k), the one the model's own ln f adds
    e = math.frexp(k + 1.0)[1]
    return 2.0 * (k + 16.0 + 6.0 * (LN2 * e + 2.0 * h)) * UNIT


@inline
def band(k, pf):
    """Relative bound on ``|T^ - T| / T^`` for every threshold of size ``k``, with sigma^2's own
    rounding (docs/exactness.md): power, twice ``(k + 12 + 6 g ln(k+1))`` units of 2^-53 (``g``
    the larger ``|exponent|``); tabulated and leakage models, twice
    ``(k + 16 + 6 (e ln 2 + 2h))`` with ``k + 1 < 2^e`` (their ``P_f``, ``Q_f`` are within
    ``7 + 2 (ln(k+1) + 2h)`` units: ``f`` within 8, its log within 1 ulp, the exponent's three
    roundings, the exp's 0.51 ulp). Inline: it reads the record's scalars and calls
    :func:`band_of` with them."""
    priv, t = pf
    return band_of(priv.kind, priv.x[t], priv.h[t], k)


@kernel
def exponents_dd(alpha):
    """``(2 alpha + 1) / 3`` and ``(2 alpha - 1) / 3`` in double-double (``2 alpha +- 1`` exact)."""
    h, lo = elementary.two_sum(2.0 * alpha, 1.0)
    eh, el = dd.div(h, lo, 3.0, 0.0)
    h, lo = elementary.two_sum(2.0 * alpha, -1.0)
    fh, fl = dd.div(h, lo, 3.0, 0.0)
    return eh, el, fh, fl


@kernel
def f_dd(pf, k):
    """``f(k)`` in double-double for the leakage and table kinds (a table's value is exact)."""
    priv, t = pf
    if priv.kind == LEAKAGE:
        yh, yl = dd.mul_d(priv.log_q[t, 0], priv.log_q[t, 1], k - 1.0)
        mh, ml = dd.expm1(yh, yl)
        return -mh, -ml
    return priv.f[t, min(k, priv.f.shape[1]) - 1], 0.0


@kernel
def pq_dd(k, pf):
    """``(P_f(k), Q_f(k))`` in double-double, as one 4-tuple ``(Ph, Pl, Qh, Ql)``."""
    priv, t = pf
    fk = np.float64(k)
    if priv.kind == POWER:
        eh, el, fh, fl = exponents_dd(priv.x[t])
        ph, pl = dd.pow_d(fk, eh, el)
        qh, ql = dd.pow_d(fk, fh, fl)
        return ph, pl, qh, ql
    gh, gl = f_dd(pf, k)
    g2h, g2l = elementary.dd_mul(gh, gl, gh, gl)
    xh, xl = dd.mul_d(g2h, g2l, fk)
    ph, pl = dd.cbrt_dd(xh, xl)
    xh, xl = dd.div(g2h, g2l, fk, 0.0)
    qh, ql = dd.cbrt_dd(xh, xl)
    return ph, pl, qh, ql


@kernel
def f_values(pf, K):
    """``f(k)`` in floats for ``k = 0..K`` (0 unused) as the kernels see it (the power law by
    ``elementary.pow``)."""
    priv, t = pf
    out = np.zeros(K + 1)
    for k in range(1, K + 1):
        if priv.kind == POWER:
            out[k] = elementary.pow(np.float64(k), priv.x[t])
        else:
            out[k] = f_float(pf, k)
    return out


@kernel
def largest_log(f, p):
    """``h[t]``: a bound on ``|ln f(k)|`` for ``k >= 2``: the table's largest (rows of ``f``,
    column ``k - 1``; from column 1), or ``-ln p`` for leakage (``p <= f(k) <= 1``), plus 1 for
    the float ``ln``'s own error."""
    out = np.zeros(p.shape[0])
    for t in range(p.shape[0]):
        if p[t] > 0.0:
            out[t] = -elementary.log(p[t]) + 1.0
        else:  # |ln f| is largest at the smallest or the largest f: two logs per model
            lo, hi = f[t, 1], f[t, 1]
            for k in range(2, f.shape[1]):
                lo = min(lo, f[t, k])
                hi = max(hi, f[t, k])
            out[t] = max(abs(elementary.log(lo)), abs(elementary.log(hi))) + 1.0
    return out


def power(alpha) -> Privacy:
    """The paper's ``f(k) = k^alpha`` over the values ``alpha``."""
    x = np.ascontiguousarray(alpha, dtype=np.float64).reshape(-1)
    return Privacy(POWER, x, np.zeros((x.size, 2)), np.zeros((x.size, 1)), np.zeros(x.size))


def leakage(p) -> Privacy:
    """Footnote 7's leakage model ``f(k) = 1 - (1 - p)^(k - 1)`` over the values ``p``."""
    x = np.ascontiguousarray(p, dtype=np.float64).reshape(-1)
    none = np.zeros((x.size, 1))
    return Privacy(LEAKAGE, x, log_q_of(x), none, largest_log(none, x))


def table(f) -> Privacy:
    """Tabulated ``f``: ``f[t, k - 1]`` is ``f(k)`` of model ``t`` for ``k = 1..K``."""
    f = np.ascontiguousarray(f, dtype=np.float64)  # no copy: 16 models of 10^6 sizes are 128 MB
    zero = np.zeros(f.shape[0])
    return Privacy(TABLE, zero, np.zeros((f.shape[0], 2)), f, largest_log(f, zero))


def take(priv: Privacy, where) -> Privacy:
    """The models ``where`` (a slice or index array) of ``priv``."""
    return Privacy(
        priv.kind,
        np.ascontiguousarray(priv.x[where]),
        np.ascontiguousarray(priv.log_q[where]),
        np.ascontiguousarray(priv.f[where]),
        np.ascontiguousarray(priv.h[where]),
    )
