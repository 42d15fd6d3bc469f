"""Elementary functions whose bits do not depend on the CPU.

NumPy picks SIMD code for ``exp``, ``log``, ``power``, ``cbrt`` at run time (its AVX-512 results
differ from AVX2 ones in the last bits), and glibc's scalar ``exp``, ``log`` and ``pow`` have FMA
variants chosen at load time that differ from the baseline ones too. Every value that reaches a
cube or an answer is computed here instead, from IEEE-754 ``+ - * /`` (correctly rounded, so the
same on every CPU; Numba does not fuse them into FMAs without ``fastmath``) and the exact
``frexp``/``ldexp``: a table-driven ``exp`` (error < 0.51 ulp), fdlibm's ``log`` (< 1 ulp), a cube
root refined on its exact residual (< 0.51 ulp), ``powi`` by squaring in double-double (< 0.51 ulp
for exponents below 2^20) and ``pow(x, y) = exp(y log x)`` (below ``0.51 + 3 |y log x|`` ulp: the
roundings of ``log x`` and of the product, carried through ``exp``).
"""

from __future__ import annotations

import decimal
import math

import numpy as np

from ._numba import inline, kernel

# exp: x = (128 m + j) ln2/128 + r, |r| <= ln2/256; e^x = 2^m 2^(j/128) e^r with 2^(j/128) in
# double-double (from Python's decimal at import: software arithmetic, the same everywhere) and
# e^r - 1 by its Taylor polynomial of degree 5 (truncation below r^6/720 < 6e-19)
EXP_N = 128
INV_LN2_N = 184.6649652337873  # 128 / ln 2
ROUND = 6755399441055744.0  # 1.5 * 2^52: (z + ROUND) - ROUND rounds z to an integer, exactly
EXP_MAX = 7.09782712893383973096e02  # above: overflow
EXP_MIN = -7.45133219101941108420e02  # below: underflow to 0


def _exp_tables() -> tuple[float, float, np.ndarray, np.ndarray]:
    """``ln2/128`` split as ``hi`` (34 bits, so ``kd * hi`` is exact for ``|kd| < 2^19``) + ``lo``,
    and ``2^(j/128)`` as ``hi + lo``, all from 50-digit decimals."""
    with decimal.localcontext() as ctx:
        ctx.prec = 50
        ln2 = decimal.Decimal(2).ln()
        step = ln2 / EXP_N
        mantissa, exponent = math.frexp(float(step))
        step_hi = math.ldexp(math.floor(math.ldexp(mantissa, 34)), exponent - 34)
        step_lo = float(step - decimal.Decimal(step_hi))
        hi, lo = np.empty(EXP_N), np.empty(EXP_N)
        for j in range(EXP_N):
            v = (j * step).exp()
            hi[j] = float(v)
            lo[j] = float(v - decimal.Decimal(hi[j]))
    return step_hi, step_lo, hi, lo


LN2_N_HI, LN2_N_LO, EXP_T_HI, EXP_T_LO = _exp_tables()
POW2 = np.array([math.ldexp(1.0, m) for m in range(-1022, 1024)])  # exact powers of two
LN2_HI = 6.93147180369123816490e-01  # fdlibm's ln 2 split (log): k * LN2_HI is exact
LN2_LO = 1.90821492927058770002e-10
# fdlibm e_log.c: log(1+f) = f - f^2/2 + s (f^2/2 + R(s^2)), s = f / (2 + f)
LG1 = 6.666666666666735130e-01
LG2 = 3.999999999940941908e-01
LG3 = 2.857142874366239149e-01
LG4 = 2.222219843214978396e-01
LG5 = 1.818357216161805012e-01
LG6 = 1.531383769920937332e-01
LG7 = 1.479819860511658591e-01
SQRT_HALF = 0.7071067811865476
POWERS_BIG = 2.0**900
POWERS_TINY = 2.0**-900
SPLITTER = 134217729.0  # 2^27 + 1: Veltkamp's split of a double into two 26-bit halves


@inline
def exp(x):
    """``e^x``, error below 0.51 ulp (table-driven: ``x = (128 m + j) ln2/128 + r``)."""
    if x != x:
        return x
    if x > EXP_MAX:
        return math.inf
    if x < EXP_MIN:
        return 0.0
    kd = (x * INV_LN2_N + ROUND) - ROUND
    r = (x - kd * LN2_N_HI) - kd * LN2_N_LO  # the first difference is exact (Sterbenz)
    ki = int(kd)
    j = ki & (EXP_N - 1)
    p = r + (r * r) * (0.5 + r * (1.0 / 6.0 + r * (1.0 / 24.0 + r * (1.0 / 120.0))))
    th = EXP_T_HI[j]
    y = th + (EXP_T_LO[j] + th * p)
    m = (ki - j) >> 7  # floor((ki - j) / 128), exact
    if -1022 <= m <= 1023:  # 2^m is a normal double: one multiplication scales exactly
        return y * POW2[m + 1022]
    return math.ldexp(y, m)  # over- and underflow edges


@inline
def log(x):
    """Natural logarithm, error below 1 ulp (fdlibm's algorithm: ``x = 2^k (1 + f)`` with
    ``sqrt(2)/2 <= 1 + f < sqrt(2)``)."""
    if x != x or x == math.inf:
        return x
    if x <= 0.0:
        return -math.inf if x == 0.0 else math.nan
    m, k = math.frexp(x)  # x = m 2^k, 0.5 <= m < 1 (subnormals too)
    if m < SQRT_HALF:
        m = 2.0 * m
        k -= 1
    f = m - 1.0  # exact (Sterbenz)
    s = f / (2.0 + f)
    z = s * s
    w = z * z
    t1 = w * (LG2 + w * (LG4 + w * LG6))
    t2 = z * (LG1 + w * (LG3 + w * (LG5 + w * LG7)))
    R = t2 + t1
    hfsq = 0.5 * f * f
    dk = np.float64(k)
    return dk * LN2_HI - ((hfsq - (s * (hfsq + R) + dk * LN2_LO)) - f)


# e^x - 1 = x sum_i x^i / (i + 1)!, i = 0..16 (|x| < 0.5: the remainder is below 2^-70)
EXPM1_COEF = np.array([1.0 / math.factorial(i + 1) for i in range(17)])


@inline
def expm1(x):
    """``e^x - 1`` for ``x <= 0``, relative error below ``6u`` (``u = 2^-53``) however small
    ``|x|`` is: for ``x > -0.5``, ``x q`` with ``q = (e^x - 1)/x`` in ``[0.78, 1]`` by Horner's
    rule (each step's two roundings, at most ``1.95u`` absolute, damped by ``|x|^i <= 2^-i``:
    below ``3.9u`` absolute, ``5u`` relative, then the product's ``u``); else ``e^x - 1``
    (``e^x < 0.61``: its 0.51 ulp become at most 1.6 ulp of the difference, plus a rounding)."""
    if x > -0.5:
        q = EXPM1_COEF[16]
        for i in range(15, -1, -1):
            q = EXPM1_COEF[i] + x * q
        return x * q
    return exp(x) - 1.0


@inline
def pow(x, y):  # noqa: A001 - the paper's x^y, shadowing the builtin on purpose
    """``x^y`` for ``x > 0`` as ``exp(y log x)``: error below ``0.51 + 3 |y log x|`` ulp (``log x``
    within 1 ulp and the product within half an ulp give a relative error of ``1.5 |y log x|``
    units of 2^-52 in the exponent, at most ``3 |y log x|`` ulp of the result)."""
    if x == 1.0 or y == 0.0:
        return 1.0
    return exp(y * log(x))


@inline
def _split(a):
    c = SPLITTER * a
    hi = c - (c - a)
    return hi, a - hi


@inline
def two_prod(a, b):
    """``(p, e)`` with ``p = fl(a b)`` and ``a b = p + e`` exactly (Dekker, no FMA needed)."""
    p = a * b
    ah, al = _split(a)
    bh, bl = _split(b)
    return p, ((ah * bh - p) + ah * bl + al * bh) + al * bl


@inline
def two_sum(a, b):
    """``(s, e)`` with ``s = fl(a + b)`` and ``a + b = s + e`` exactly (Knuth)."""
    s = a + b
    bb = s - a
    return s, (a - (s - bb)) + (b - bb)


@inline
def dd_mul(ah, al, bh, bl):
    """The double-double product ``(ah + al)(bh + bl)``, renormalized."""
    p, e = two_prod(ah, bh)
    e += ah * bl + al * bh
    s = p + e
    return s, e - (s - p)


@inline
def cbrt(x):
    """Cube root, error below 0.51 ulp: Newton's iteration, then one step on the exact residual."""
    if x != x or x == 0.0 or x == math.inf or x == -math.inf:
        return x
    if x < 0.0:
        return -cbrt_positive(-x)
    return cbrt_positive(x)


@inline
def cbrt_positive(x):
    m, e = math.frexp(x)  # x = m 2^e
    r = e % 3  # Python semantics: 0 <= r < 3
    m = m * (1 << r)  # m in [0.5, 4), x = m 2^(e - r), e - r divisible by 3
    y = 0.6 + 0.25 * m  # within 12 % of m^(1/3) on [0.5, 4)
    for _ in range(5):  # relative error squares each step: 0.12 -> ~1e-17
        y = (2.0 * y + m / (y * y)) / 3.0
    # one more Newton step on m - y^3 computed exactly (y^2 = p + pe; y^3 = t + te + y pe)
    p, pe = two_prod(y, y)
    t, te = two_prod(y, p)
    residual = ((m - t) - te) - y * pe  # m - t is exact: t is within a factor 2 of m
    y = y + residual / (3.0 * (y * y))
    return math.ldexp(y, (e - r) // 3)


@inline
def powi(x, n):
    """``x^n`` for an integer ``n >= 0`` by squaring in double-double, one final rounding.

    Mantissas are kept in [0.5, 1) and exponents apart, so nothing overflows on the way."""
    if n == 0:
        return 1.0
    if x == 0.0 or x != x or x == math.inf or x == -math.inf:
        return powi_plain(1.0, x, n)
    bh, be = math.frexp(x)
    bl = 0.0
    rh, rl, re = 1.0, 0.0, 0
    while n > 0:
        if n & 1:
            rh, rl = dd_mul(rh, rl, bh, bl)
            re += be
            rh, rl, re = _normalize(rh, rl, re)
        n >>= 1
        if n > 0:
            bh, bl = dd_mul(bh, bl, bh, bl)
            be *= 2
            bh, bl, be = _normalize(bh, bl, be)
    return math.ldexp(rh + rl, re)


@inline
def _normalize(h, lo, e):
    m, shift = math.frexp(h)
    return m, math.ldexp(lo, -shift), e + shift


@inline
def powi_plain(r, b, n):
    while n > 0:
        if n & 1:
            r = r * b
        n >>= 1
        if n > 0:
            b = b * b
    return r


@kernel
def powers(x, n):
    """``x^0, x^1, ..., x^(n-1)``: a running double-double product, each rounded once (error
    below 0.51 ulp for ``n < 2^40``); plain doubles beyond ``2^(+-900)`` (no overflow there)."""
    out = np.empty(n)
    ph, pl = 1.0, 0.0
    for j in range(n):
        out[j] = ph + pl
        if POWERS_TINY < abs(ph) < POWERS_BIG:
            ph, pl = dd_mul(ph, pl, x, 0.0)
        else:
            ph, pl = (ph + pl) * x, 0.0
    return out


def uniform(
    rng: np.random.Generator, low: float, high: float, size: int | tuple[int, ...]
) -> np.ndarray:
    """``rng.uniform(low, high, size)``, bit for bit, written out as ``low + (high - low) u``
    (``u`` an exact multiple of 2^-53): two correctly rounded operations that no compiler fuses
    into an FMA, so the draws are the same on every CPU and architecture."""
    return low + (high - low) * rng.random(size)


@kernel
def cbrt_array(x):
    """:func:`cbrt` of every element of a 1-D array."""
    out = np.empty(x.shape[0])
    for i in range(x.shape[0]):
        out[i] = cbrt(x[i])
    return out


@kernel
def pow_array(x, y):
    """:func:`pow` of matching 1-D arrays ``x > 0`` and ``y``."""
    out = np.empty(x.shape[0])
    for i in range(x.shape[0]):
        out[i] = pow(x[i], y[i])
    return out


@kernel
def powi_array(x, n):
    """:func:`powi` of matching 1-D arrays ``x`` and integers ``n >= 0``."""
    out = np.empty(x.shape[0])
    for i in range(x.shape[0]):
        out[i] = powi(x[i], n[i])
    return out
