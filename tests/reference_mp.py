"""Slow 100-digit reference written from the paper's definitions, not from its closed forms.

The exact-arithmetic twin of ``tests/reference.py``. Inputs are Python floats (costs ``c_i > 0``,
``sigma``) and a privacy model ``f``; every computation uses the *exact* real value of those
floats, carried at 110 significant digits with mpmath: ``s = sigma**2`` is exact, ``f(k)`` is
correct to 110 digits.

* ``f`` is any positive function of the coalition size (Section 2: the paper's game is defined for
  any ``f(|S|)``; ``k**alpha`` is only its running example). It is given as one of the hashable
  models :class:`Power` (``f(k) = k**alpha``), :class:`Leakage` (``f(k) = 1 - (1 - p)**(k - 1)``)
  or :class:`Table` (``f(k) = values[k - 1]``). Every public function's ``alpha`` argument takes
  such a model, or a plain float ``alpha`` meaning ``Power(alpha)`` (bit-identical results).
* Burdens are Definition 5 (members: ``s/k + 2/k^2 sum 1/eps_i^2 + c_i f(k) eps_i``).
* A member's epsilon is its best response (Section 3.1): the minimizer over ``eps > 0`` of its own
  burden. Definition 5 is separable, so only ``2/(k^2 eps^2) + c f(k) eps`` matters; it is found
  numerically (bisection on the sign of the derivative, then mpmath's Newton at 110 digits), never
  from Lemma 2.
* The designer (Section 3.2, issue 12) announces for each coalition the epsilon minimizing the
  social cost of Definition 6, whose part for player ``i`` is ``2/(k eps^2) + c f(k) eps``
  (proof of Lemma 1), again found numerically, never from Lemma 1 (misprinted, see ERRATA.md).
* ``nash`` is Definition 7 (an outsider joining alone faces ``f(k + 1)``), ``robust``
  Definition 8 (every member of ``S + {j}`` re-optimizes at size ``k + 1``), ``designer``
  Definition 7 with the designer's epsilon for ``S`` and for ``S + {j}``.

Comparisons with ``s`` are exact except for a tie band: ``|burden - s| <= 1e-80 s`` counts as
equality (``<=`` holds, ``>`` fails), far above the ~1e-105 error of the 110-digit arithmetic.
Precision is set with ``mpmath.workdps`` inside each function, so the global context is unchanged;
returned ``mpf`` values keep their 110-digit mantissas.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from fractions import Fraction
from functools import cache
from typing import Any

import mpmath
from mpmath import mpf

DPS = 110
"""Working precision in decimal digits (100 asked for, 10 guard digits)."""

TIE = mpf(10) ** -80
"""Relative tie band: ``|burden - s| <= TIE * s`` is treated as ``burden == s``."""

NOTIONS = ("nash", "robust", "designer")


def _size(k) -> int:
    """``k`` as a coalition size (an integer ``>= 1``)."""
    if isinstance(k, bool) or int(k) != k or k < 1:
        raise ValueError(f"coalition size must be an integer >= 1, got {k!r}")
    return int(k)


@dataclass(frozen=True)
class Power:
    """``f(k) = k**alpha`` for the exact float ``alpha`` (the paper's running example).

    Parameters
    ----------
    alpha : float
        Any finite exponent (the paper uses ``[-1, 1]``).
    """

    alpha: float

    def __post_init__(self):
        a = float(self.alpha)
        if not math.isfinite(a):
            raise ValueError(f"alpha must be finite, got {self.alpha!r}")
        object.__setattr__(self, "alpha", a)

    def f(self, k: int) -> mpf:
        """``k**alpha`` to 110 digits."""
        k = _size(k)
        with mpmath.workdps(DPS):
            return mpf(k) ** mpf(self.alpha)

    __call__ = f


@dataclass(frozen=True)
class Leakage:
    """Privacy leakage: ``f(k) = 1 - (1 - p)**(k - 1)``, the chance that one of the other
    ``k - 1`` members leaks, each independently with probability ``p``.

    Parameters
    ----------
    p : float
        Leak probability, ``0 < p <= 1`` (exact float value). ``f(1) = 0``, so only sizes
        ``k >= 2`` have a positive ``f``.
    """

    p: float

    def __post_init__(self):
        p = float(self.p)
        if not 0.0 < p <= 1.0:
            raise ValueError(f"p must be in (0, 1], got {self.p!r}")
        object.__setattr__(self, "p", p)

    def f(self, k: int) -> mpf:
        """``1 - (1 - p)**(k - 1)`` to 110 digits, without cancellation for tiny ``p``."""
        k = _size(k)
        if k == 1:
            return mpf(0)
        if self.p == 1.0:
            return mpf(1)
        with mpmath.workdps(DPS + 20):
            # -expm1((k - 1) log1p(-p)): relative accuracy whatever the size of p
            v = -mpmath.expm1((k - 1) * mpmath.log1p(-mpf(self.p)))
        with mpmath.workdps(DPS):
            return +v

    __call__ = f


@dataclass(frozen=True)
class Table:
    """Tabulated ``f``: ``f(k) = values[k - 1]`` for ``k = 1 .. len(values)``.

    Parameters
    ----------
    values : tuple of float
        Positive finite values (exact float values); ``f(k)`` beyond the table raises
        ``ValueError``.
    """

    values: tuple[float, ...]

    def __post_init__(self):
        vals = tuple(float(v) for v in self.values)
        if not vals or not all(math.isfinite(v) and v > 0.0 for v in vals):
            raise ValueError(f"values must be positive and finite, got {self.values!r}")
        object.__setattr__(self, "values", vals)

    def f(self, k: int) -> mpf:
        """``values[k - 1]``, exactly."""
        k = _size(k)
        if k > len(self.values):
            raise ValueError(f"f({k}) is beyond the table (sizes 1..{len(self.values)})")
        with mpmath.workdps(DPS):
            return mpf(self.values[k - 1])

    __call__ = f


@dataclass(frozen=True)
class Function:
    """Any ``f`` given as a Python callable ``k -> value`` (its value converted exactly; it
    should return an exact float, a Fraction, or an mpf computed to ``DPS`` digits)."""

    fn: Callable[[int], Any]

    def f(self, k: int) -> mpf:
        k = _size(k)
        with mpmath.workdps(DPS):
            v = self.fn(k)
            v = mpf(v.numerator) / mpf(v.denominator) if isinstance(v, Fraction) else mpf(v)
        if not (mpmath.isfinite(v) and v > 0):
            raise ValueError(f"f({k}) must be positive and finite, got {v}")
        return v

    __call__ = f


Model = Power | Leakage | Table | Function
"""A privacy model ``f``: any of the classes above."""


def as_model(alpha: float | Model | Callable) -> Model:
    """The privacy model given as ``alpha``: a model as is, a number ``a`` as ``Power(a)``, any
    other callable as :class:`Function`."""
    if isinstance(alpha, Power | Leakage | Table | Function):
        return alpha
    if callable(alpha):
        return Function(alpha)
    return Power(float(alpha))


def _own_cost_weight(k: int, kind: str) -> mpf:
    """Weight ``w`` of ``1/eps^2`` in the epsilon-dependent part ``w/eps^2 + c f(k) eps``.

    ``selfish``: the member's own burden (Definition 5), ``w = 2/k^2``.
    ``designer``: the player's share of the social cost (Definition 6), ``w = 2/k``.
    """
    k = mpf(k)
    return 2 / (k * k) if kind == "selfish" else 2 / k


@cache
def _minimize_eps(c: float, k: int, model: Model, kind: str) -> mpf:
    """Minimizer over ``eps > 0`` of ``w/eps^2 + c f(k) eps`` (``w`` from ``kind``, ``f`` the
    privacy model; cached, so ``model`` is hashable).

    Works in ``t = log eps``: ``h(t) = w e^{-2t} + a e^t`` is strictly convex, and
    ``h'(t) = -2 w e^{-2t} + a e^t`` is strictly increasing. The sign of ``h'`` is bisected at
    low precision for a starting point, then Newton (``mpmath.findroot``) polishes the root at
    110 digits. The bracket ``[-2000, 2000]`` (any float ``c`` with ``f`` far beyond
    ``1e-300 .. 1e300``) is doubled in the rare case it does not hold the root.
    """
    with mpmath.workdps(DPS):
        fk = model.f(k)
        if not fk > 0:
            raise ValueError(f"f({k}) = {fk} is not positive for {model!r}")
        if not (c > 0 and math.isfinite(c)):
            raise ValueError(f"cost must be positive and finite, got {c!r}")
        a = mpf(c) * fk
        w = _own_cost_weight(k, kind)

        def d1(t):
            # h'(t): the derivative of the epsilon-dependent part, in t = log eps
            return -2 * w * mpmath.exp(-2 * t) + a * mpmath.exp(t)

        def g(t):
            # h'(t) / (a e^t), same sign and root, O(1) near the root so findroot's
            # absolute tolerance means ~110 correct digits whatever the scale of a
            return 1 - 2 * w / a * mpmath.exp(-3 * t)

        def dg(t):
            return 6 * w / a * mpmath.exp(-3 * t)

        with mpmath.workdps(20):
            lo, hi = mpf(-2000), mpf(2000)
            steps = 70
            while not d1(lo) < 0:
                lo, steps = 2 * lo, steps + 1
            while not d1(hi) > 0:
                hi, steps = 2 * hi, steps + 1
            assert d1(lo) < 0 < d1(hi), (c, k, model)
            for _ in range(steps):
                mid = (lo + hi) / 2
                if d1(mid) < 0:
                    lo = mid
                else:
                    hi = mid
            t0 = float((lo + hi) / 2)
        t = mpmath.findroot(g, mpf(t0), solver="newton", df=dg)
        assert abs(g(t)) < mpf(10) ** (5 - DPS), (c, k, model, kind)
        # a minimum: h' changes sign from - to + at t
        step = mpf(10) ** -50
        assert d1(t - step) < 0 < d1(t + step), (c, k, model, kind)
        return +mpmath.exp(t)


def best_eps(c: float, k: int, alpha: float | Model) -> mpf:
    """Best-response epsilon of a member with cost ``c`` in a size-``k`` coalition.

    Parameters
    ----------
    c : float
        The member's cost (exact float value).
    k : int
        Coalition size.
    alpha : float or Power or Leakage or Table
        The privacy model ``f``; a float is the exponent of ``f(k) = k**alpha``.

    Returns
    -------
    mpf
        Minimizer of the member's own burden (Definition 5), to 110 digits.
    """
    return _minimize_eps(float(c), _size(k), as_model(alpha), "selfish")


def designer_eps(c: float, k: int, alpha: float | Model) -> mpf:
    """Designer's epsilon for a member with cost ``c`` in a size-``k`` coalition.

    Parameters
    ----------
    c : float
        The member's cost.
    k : int
        Coalition size.
    alpha : float or Power or Leakage or Table
        The privacy model ``f``; a float is the exponent of ``f(k) = k**alpha``.

    Returns
    -------
    mpf
        Minimizer of the social cost (Definition 6) in this member's epsilon, to 110 digits.
    """
    return _minimize_eps(float(c), _size(k), as_model(alpha), "designer")


def eps_profile(cs: list[float], alpha: float | Model, notion: str) -> list[mpf]:
    """Every member's epsilon in a coalition with costs ``cs``.

    Parameters
    ----------
    cs : list of float
        Members' costs; the coalition size is ``len(cs)``.
    alpha : float or Power or Leakage or Table
        The privacy model ``f`` (a float: ``Power(alpha)``).
    notion : str
        ``"designer"`` for the designer's epsilon, else (``"nash"``, ``"robust"``) best responses.

    Returns
    -------
    list of mpf
    """
    pick = designer_eps if notion == "designer" else best_eps
    alpha = as_model(alpha)
    return [pick(c, len(cs), alpha) for c in cs]


def burdens(s: mpf, cs: list[float], eps: list[mpf], alpha: float | Model) -> list[mpf]:
    """Definition 5 for every member of a coalition with the given epsilon profile.

    Parameters
    ----------
    s : mpf
        ``sigma**2`` (exact); ``0`` gives the ``s``-independent part ``C`` of each burden.
    cs : list of float
        Members' costs.
    eps : list of mpf
        Members' epsilons, in the order of ``cs``.
    alpha : float or Power or Leakage or Table
        The privacy model ``f`` (a float: ``Power(alpha)``).

    Returns
    -------
    list of mpf
        ``s/k + 2/k^2 sum 1/eps_i^2 + c_j f(k) eps_j`` for each member ``j``.
    """
    with mpmath.workdps(DPS):
        k = mpf(len(cs))
        fk = as_model(alpha).f(len(cs))
        acc = mpf(s) / k + 2 / (k * k) * mpmath.fsum(1 / (e * e) for e in eps)
        return [+(acc + mpf(c) * fk * e) for c, e in zip(cs, eps, strict=True)]


def variance(cs: list[float], alpha: float | Model, sigma: float, notion: str) -> mpf:
    """Estimator variance, equation (1): the first two terms of Definition 5.

    Parameters
    ----------
    cs : list of float
        Members' costs (size >= 2).
    alpha : float or Power or Leakage or Table
        The privacy model ``f`` (a float: ``Power(alpha)``).
    sigma : float
        The data's standard deviation.
    notion : str
        Which epsilon the members use (see :func:`eps_profile`).

    Returns
    -------
    mpf
    """
    with mpmath.workdps(DPS):
        k = mpf(len(cs))
        eps = eps_profile(cs, alpha, notion)
        return +(mpf(sigma) ** 2 / k + 2 / (k * k) * mpmath.fsum(1 / (e * e) for e in eps))


def _leq(b: mpf, s: mpf) -> bool:
    """``b <= s``, with ``|b - s| <= TIE * s`` counted as equality."""
    return b <= s or abs(b - s) <= TIE * abs(s)


def members_stay(
    costs: list[float],
    alpha: float | Model,
    sigma: float,
    members: Iterable[int],
    notion: str,
) -> bool:
    """The first condition of Definitions 7 and 8: no member wants to leave.

    Parameters
    ----------
    costs : list of float
        Every player's cost.
    alpha : float or Power or Leakage or Table
        The privacy model ``f`` (a float: ``Power(alpha)``).
    sigma : float
        The data's standard deviation.
    members : iterable of int
        0-based positions in ``costs`` (size >= 2).
    notion : str
        ``"nash"``, ``"robust"`` or ``"designer"`` (which epsilon the members use).

    Returns
    -------
    bool
        Every member's burden is ``<= sigma**2`` (within the tie band).
    """
    with mpmath.workdps(DPS):
        s = mpf(sigma) ** 2
        cs = [float(costs[i]) for i in sorted(set(members))]
        alpha = as_model(alpha)
        return all(_leq(b, s) for b in burdens(s, cs, eps_profile(cs, alpha, notion), alpha))


def is_stable(
    costs: list[float],
    alpha: float | Model,
    sigma: float,
    members: Iterable[int],
    notion: str,
) -> bool:
    """Whether coalition ``members`` is stable at ``sigma`` under ``notion``.

    Parameters
    ----------
    costs : list of float
        Every player's cost (positive).
    alpha : float or Power or Leakage or Table
        The privacy model ``f`` (a float: ``f(k) = k**alpha``); an outsider joining ``S`` faces
        ``f(|S| + 1)``.
    sigma : float
        The data's standard deviation (``s = sigma**2``).
    members : iterable of int
        0-based positions in ``costs``, at least two.
    notion : {"nash", "robust", "designer"}
        Definition 7, Definition 8, or Definition 7 with the designer's epsilon.

    Returns
    -------
    bool
    """
    if notion not in NOTIONS:
        raise ValueError(f"unknown notion {notion!r}")
    S = sorted(set(members))
    if len(S) < 2:
        raise ValueError("a coalition has at least two members")
    costs = [float(c) for c in costs]
    alpha = as_model(alpha)
    with mpmath.workdps(DPS):
        s = mpf(sigma) ** 2
        cs = [costs[i] for i in S]
        k = len(cs)
        alpha.f(k + 1 if len(costs) > k else k)  # f must be defined at every size used
        eps = eps_profile(cs, alpha, notion)
        if not all(_leq(b, s) for b in burdens(s, cs, eps, alpha)):
            return False  # a member wants to leave
        for j in range(len(costs)):
            if j in S:
                continue
            ce = cs + [costs[j]]
            if notion == "designer":
                if _leq(burdens(s, ce, eps_profile(ce, alpha, notion), alpha)[-1], s):
                    return False  # j gains by joining at the designer's announced epsilon
            elif notion == "nash":
                ej = best_eps(costs[j], k + 1, alpha)  # j re-optimizes, members keep theirs
                if _leq(burdens(s, ce, eps + [ej], alpha)[-1], s):
                    return False  # j gains by joining alone
            else:
                ee = eps_profile(ce, alpha, notion)  # everyone re-optimizes for size k + 1
                if all(_leq(b, s) for b in burdens(s, ce, ee, alpha)):
                    return False  # j can validly enter
        return True


def stable_coalitions(
    costs: list[float], alpha: float | Model, sigma: float, notion: str
) -> list[tuple[int, ...]]:
    """Every stable coalition of size >= 2, by brute force over subsets.

    Parameters
    ----------
    costs : list of float
        Every player's cost (fine for ``len(costs) <= 8``).
    alpha : float or Power or Leakage or Table
        The privacy model ``f`` (a float: ``Power(alpha)``).
    sigma : float
        The data's standard deviation.
    notion : {"nash", "robust", "designer"}

    Returns
    -------
    list of tuple of int
        Sorted 0-based tuples, ordered by ``(size, members)``.
    """
    n = len(costs)
    alpha = as_model(alpha)
    return [
        S
        for k in range(2, n + 1)
        for S in itertools.combinations(range(n), k)
        if is_stable(costs, alpha, sigma, S, notion)
    ]


def thresholds_s(
    costs: list[float], alpha: float | Model, members: Iterable[int], notion: str
) -> tuple[mpf, mpf]:
    """``[L, U)`` in ``s = sigma**2`` on which the coalition is stable, from the definitions.

    Epsilon does not depend on ``s``, so every burden in a size-``m`` coalition is ``s/m + C``
    with ``C`` its value at ``s = 0``; ``burden <= s`` is ``s >= C m / (m - 1)``.

    Parameters
    ----------
    costs : list of float
        Every player's cost.
    alpha : float or Power or Leakage or Table
        The privacy model ``f`` (a float: ``Power(alpha)``).
    members : iterable of int
        0-based positions, at least two.
    notion : {"nash", "robust", "designer"}

    Returns
    -------
    tuple of mpf
        ``(L, U)`` at 110 digits; ``U = +inf`` when there is no outsider. ``L >= U`` means the
        coalition is never stable.
    """
    if notion not in NOTIONS:
        raise ValueError(f"unknown notion {notion!r}")
    S = sorted(set(members))
    if len(S) < 2:
        raise ValueError("a coalition has at least two members")
    costs = [float(c) for c in costs]
    alpha = as_model(alpha)
    with mpmath.workdps(DPS):
        zero = mpf(0)
        cs = [costs[i] for i in S]
        k = len(cs)
        alpha.f(k + 1 if len(costs) > k else k)  # f must be defined at every size used
        eps = eps_profile(cs, alpha, notion)
        L = max(C * k / (k - 1) for C in burdens(zero, cs, eps, alpha))
        U = mpmath.inf
        for j in range(len(costs)):
            if j in S:
                continue
            ce = cs + [costs[j]]
            if notion == "designer":
                C = burdens(zero, ce, eps_profile(ce, alpha, notion), alpha)[-1]
                U = min(U, C * (k + 1) / k)  # j stays out iff s < this
            elif notion == "nash":
                ej = best_eps(costs[j], k + 1, alpha)
                C = burdens(zero, ce, eps + [ej], alpha)[-1]
                U = min(U, C * (k + 1) / k)
            else:
                ee = eps_profile(ce, alpha, notion)
                # valid entry iff s >= max over S + {j}; blocked iff s is below it
                U = min(U, max(C * (k + 1) / k for C in burdens(zero, ce, ee, alpha)))
        return +L, +U


def _square_at_least(x: float, T: mpf) -> bool:
    """Exact ``x**2 >= T`` (the square of a double is exact at 110 digits)."""
    with mpmath.workdps(DPS):
        return mpf(x) ** 2 >= T


def sigma_first_at_least(T: mpf) -> float:
    """Smallest float ``sigma > 0`` whose exact square is ``>= T``.

    Parameters
    ----------
    T : mpf
        Threshold in ``s``; ``+inf`` gives ``math.inf``, ``T <= 0`` the smallest positive float.

    Returns
    -------
    float
    """
    with mpmath.workdps(DPS):
        T = mpf(T)
        if T <= 0:
            return math.nextafter(0.0, 1.0)
        if mpmath.isinf(T):
            return math.inf
        x = float(mpmath.sqrt(T))
        if x == 0.0:
            x = math.nextafter(0.0, 1.0)
        while not _square_at_least(x, T):
            x = math.nextafter(x, math.inf)
        while True:
            below = math.nextafter(x, 0.0)
            if below <= 0.0 or not _square_at_least(below, T):
                return x
            x = below
