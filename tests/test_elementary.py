"""The CPU-independent elementary functions against 50-digit decimals (software arithmetic, the
same on every machine): each within its stated error, exact where the answer is a double."""

from __future__ import annotations

import decimal
import math
from decimal import Decimal

import numpy as np
from fastscan.kernels import elementary as el
from hypothesis import example, given
from hypothesis import strategies as st

CTX = decimal.Context(prec=50, Emax=10**8, Emin=-(10**8))


def ulps(got: float, exact: Decimal) -> float:
    """``|got - exact|`` in units of the last place of ``exact`` rounded to a double."""
    unit = Decimal(math.ulp(float(exact)))
    return float(abs(CTX.subtract(Decimal(got), exact)) / unit)


finite = {"allow_nan": False, "allow_infinity": False}


@given(st.floats(-745.0, 709.7, **finite))
@example(0.0)
@example(1e-300)
@example(-1e-300)
@example(709.78)
@example(-708.3)
@example(0.34657359027997264)  # ln(2) / 2: the reduction's edge
def test_exp_within_half_an_ulp(x):
    exact = CTX.exp(Decimal(x))
    if exact < Decimal("2.3e-308"):  # subnormal results: an absolute error of one subnormal ulp
        assert abs(Decimal(el.exp(x)) - exact) <= Decimal(5e-324)
    else:
        assert ulps(el.exp(x), exact) <= 0.51


@given(st.floats(5e-324, 1.7e308, **finite))
@example(1.0)
@example(2.0)
@example(0.7071067811865476)
@example(1.0000000000000002)
@example(0.9999999999999999)
def test_log_within_one_ulp(x):
    got = el.log(x)
    if x == 1.0:
        assert got == 0.0
    else:
        assert ulps(got, CTX.ln(Decimal(x))) < 1.0


@given(st.floats(5e-324, 1.7e308, **finite))
@example(27.0)
@example(0.125)
@example(2.0**-1074)
def test_cbrt_within_half_an_ulp(x):
    exact = CTX.power(Decimal(x), Decimal(1) / Decimal(3))
    assert ulps(el.cbrt(x), exact) <= 0.51
    assert el.cbrt(-x) == -el.cbrt(x)


@given(st.integers(-340, 340))
def test_cbrt_exact_on_cubes(j):
    assert el.cbrt(8.0**j) == 2.0**j
    assert el.cbrt(27.0) == 3.0 and el.cbrt(1000.0) == 10.0


@given(st.floats(0.01, 100.0, **finite), st.integers(0, 2**20))
def test_powi_within_half_an_ulp(x, n):
    exact = CTX.power(Decimal(x), n)
    got = el.powi(x, n)
    if exact > Decimal("1.7e308"):
        assert got == math.inf
    elif exact < Decimal("2.3e-308"):
        assert abs(Decimal(got) - exact) <= Decimal(5e-324)
    else:
        assert ulps(got, exact) <= 0.51


@given(st.floats(0.5, 4.0, **finite), st.integers(1, 400))
def test_powers_are_the_powers(x, n):
    got = el.powers(x, n)
    assert got[0] == 1.0
    for j in {n // 2, n - 1}:
        assert ulps(float(got[j]), CTX.power(Decimal(x), j)) <= 0.51


@given(st.integers(2, 10**7), st.floats(-1.0, 1.0, **finite))
@example(21238, 0.6931471803691238)
def test_pow_within_its_bound(k, y):
    """``k^y`` as ``exp(y log k)``: below ``0.51 + 3 |y log k|`` ulps (the roundings of ``log k``
    and ``y log k`` carried through exp; a draw found 8.0 ulps where ``|y log k|`` = 6.9)."""
    exact = CTX.exp(CTX.multiply(CTX.ln(Decimal(k)), Decimal(y)))
    assert ulps(el.pow(float(k), y), exact) <= 0.51 + 3.0 * abs(y * math.log(k))


def test_special_values():
    assert math.isnan(el.exp(math.nan)) and el.exp(1000.0) == math.inf and el.exp(-1000.0) == 0.0
    assert el.log(0.0) == -math.inf and math.isnan(el.log(-1.0)) and el.log(math.inf) == math.inf
    assert el.cbrt(0.0) == 0.0 and el.cbrt(math.inf) == math.inf and math.isnan(el.cbrt(math.nan))
    assert el.powi(2.0, 1100) == math.inf and el.powi(0.5, 1100) == 0.0 and el.powi(3.0, 0) == 1.0
    assert el.powi(2.0, 1023) == 2.0**1023 and el.pow(5.0, 0.0) == 1.0


@given(st.integers(0, 2**32), st.floats(-1e3, 1e3, **finite), st.floats(0.0, 1e3, **finite))
def test_uniform_is_numpys_uniform_bit_for_bit(seed, low, width):
    high = low + width
    want = np.random.default_rng(seed).uniform(low, high, 50)
    got = el.uniform(np.random.default_rng(seed), low, high, 50)
    assert want.tobytes() == got.tobytes()
