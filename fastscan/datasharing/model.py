"""The paper's formulas, written plainly, for one coalition at one point.

Kernels evaluate the same closed forms in compiled loops
(``fastscan.kernels.datasharing.formulas``); the tests hold both to each other and to the
definitions. ``s`` is sigma^2, the data variance. Powers and roots come from
:mod:`fastscan.kernels.elementary` (never NumPy's or the C library's, whose last bits depend on
the CPU), so every answer printed from here is the same on every machine.
"""

from __future__ import annotations

import numpy as np

from ..kernels.elementary import cbrt, cbrt_array, pow


def _f64(c) -> np.ndarray:
    return np.asarray(c, dtype=np.float64)


def _cbrt(x: np.ndarray) -> np.ndarray:
    """The cube root of every element, any shape."""
    x = np.asarray(x, dtype=np.float64)
    return cbrt_array(np.ascontiguousarray(x).ravel()).reshape(x.shape)


def _f(alpha, k: int) -> float:
    """``f(k)``: ``k^alpha`` for a number ``alpha`` (the paper's model), else ``alpha(k)`` (any
    other privacy model, :meth:`fastscan.datasharing.privacy.Model.scaling`)."""
    return alpha(k) if callable(alpha) else pow(float(k), alpha)


def two_thirds(c) -> np.ndarray:
    """``c^(2/3)`` as ``cbrt(c)^2``."""
    r = _cbrt(c)
    return r * r


def a_values(costs: np.ndarray) -> np.ndarray:
    """``(c^2 / 2)^(1/3)``, the per-player quantity of Claims 5 and 6 (overflow-free form)."""
    c = _f64(costs)
    return _cbrt(0.5 * c) * _cbrt(c)


def eps_selfish(c: np.ndarray, k: int, alpha: float) -> np.ndarray:
    """Lemma 2: the privacy level a member of a size-``k`` coalition picks for itself."""
    if callable(alpha):
        return _cbrt(4.0 / (float(k) * float(k) * alpha(k) * _f64(c)))
    return _cbrt(4.0 / (pow(float(k), 2.0 + alpha) * _f64(c)))


def eps_designer(c: np.ndarray, k: int, alpha: float) -> np.ndarray:
    """Lemma 1: the privacy level the central designer assigns in a size-``k`` coalition."""
    if callable(alpha):
        return _cbrt(4.0 / (float(k) * alpha(k) * _f64(c)))
    return _cbrt(4.0 / (pow(float(k), 1.0 + alpha) * _f64(c)))


def estimator_variance(s: float, eps: np.ndarray) -> float:
    """Eq. (1): variance of the coalition's mean estimate given every member's epsilon."""
    eps = np.asarray(eps, dtype=np.float64)
    k = eps.shape[0]
    return s / k + 2.0 / (k * k) * float(np.sum(1.0 / (eps * eps)))


def member_burdens(s: float, c: np.ndarray, eps: np.ndarray, alpha: float) -> np.ndarray:
    """Definition 5: each member's burden, accuracy cost plus ``c_i |S|^alpha eps_i``."""
    c = np.asarray(c, dtype=np.float64)
    eps = np.asarray(eps, dtype=np.float64)
    k = c.shape[0]
    return estimator_variance(s, eps) + c * _f(alpha, k) * eps


def entrant_burden(s: float, c_in: np.ndarray, c_j: float, alpha: float) -> float:
    """Definition 7: outsider ``j``'s best burden joining alone, members' epsilon held fixed.

    The entrant's optimal epsilon is its Lemma 2 level at size ``k + 1`` (its burden is separable).
    """
    k = len(c_in)
    eps = np.append(eps_selfish(c_in, k, alpha), eps_selfish(np.array([c_j]), k + 1, alpha))
    c = np.append(c_in, c_j)
    return float(member_burdens(s, c, eps, alpha)[-1])


def designer_burdens(s: float, c: np.ndarray, alpha: float) -> np.ndarray:
    """Def. 5 at Lemma 1's epsilon, in closed form: ``B_i = s/k + A k^((2 alpha - 4)/3) +
    2 a_i k^((2 alpha - 1)/3)`` (the designer notion's member burdens)."""
    a = a_values(c)
    k = float(a.size)
    return (
        s / k
        + a.sum() * pow(k, (2.0 * alpha - 4.0) / 3.0)
        + 2.0 * a * pow(k, (2.0 * alpha - 1.0) / 3.0)
    )


def variance_d(c: np.ndarray, s: float, alpha: float) -> float:
    """Eq. (5): ``Var_d(S)`` with every member at its Lemma 2 level."""
    k = len(c)
    return s / k + pow(float(k), 2 * (alpha + 2) / 3) / cbrt(2.0) * float(np.sum(two_thirds(c))) / (
        k * k
    )


def social_cost_d(c: np.ndarray, n: int, s: float, alpha: float) -> float:
    """Eq. (6): ``SC_d(S)``, the burdens of members and of the ``n - k`` outsiders."""
    k = len(c)
    mean = float(np.sum(two_thirds(c))) / k
    return (n + 1) * s - (k * s - (k + 2) * pow(float(k), (2 * alpha + 1) / 3) * mean / cbrt(2.0))


def variance_c(c_sorted: np.ndarray, k: int, s: float, alpha: float) -> float:
    """Eq. (2): ``Var_c(k)`` of ``S_k``, the ``k`` cheapest players, at the designer's levels."""
    mean = float(np.sum(two_thirds(c_sorted[:k]))) / k
    return (s + pow(float(k), 2 * (alpha + 1) / 3) / cbrt(2.0) * mean) / k


def social_cost_c(c_sorted: np.ndarray, k: int, n: int, s: float, alpha: float) -> float:
    """Eq. (3): ``SC_c(k)``, the least social cost of any coalition of size ``k``."""
    mean = float(np.sum(two_thirds(c_sorted[:k]))) / k
    return (n + 1) * s - (k * s - 3 / cbrt(2.0) * pow(float(k), 2 * (alpha + 1) / 3) * mean)


def central_optimum(costs: np.ndarray, s: float, alpha: float) -> tuple[int, float, float]:
    """Eq. (4): ``(k*, SC_c(k*), Var_c(k*))``, or ``(0, n s, s)`` when no coalition beats none."""
    c = np.sort(np.asarray(costs, dtype=np.float64))
    n = c.shape[0]
    sc = [social_cost_c(c, k, n, s, alpha) for k in range(2, n + 1)]
    k = int(np.argmin(sc)) + 2
    if sc[k - 2] <= n * s:
        return k, sc[k - 2], variance_c(c, k, s, alpha)
    return 0, n * s, s


def price_of_stability(costs: np.ndarray, coalition, s: float, alpha: float) -> tuple[float, float]:
    """Section 6: ``(PoS(SC), PoS(Var))`` of a decentralized outcome against the optimum.

    ``coalition`` is the decentralized outcome (input positions) or None for the empty coalition,
    the paper's convention when nothing is stable (social cost ``n s``, variance ``s``).
    """
    c = np.asarray(costs, dtype=np.float64)
    n = c.shape[0]
    if coalition is None or len(coalition) == 0:
        sc_d, var_d = n * s, s
    else:
        c_in = c[list(coalition)]
        sc_d, var_d = social_cost_d(c_in, n, s, alpha), variance_d(c_in, s, alpha)
    _, sc_c, var_c = central_optimum(c, s, alpha)
    return sc_d / sc_c, var_d / var_c
