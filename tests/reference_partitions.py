"""Slow 110-digit reference for coalition *structures* (a hedonic game), from the definitions.

Builds on ``tests/reference_mp.py`` (one coalition) and reuses its machinery: the privacy models
(``Power``, ``Leakage``, ``Table``, ``Function``, ``as_model``), the numerically minimized
epsilons ``best_eps`` / ``designer_eps`` (never Lemma 1 or Lemma 2), ``burdens`` (Definition 5),
``DPS`` and ``TIE``.

Model
-----
Players ``0 .. n-1`` with costs ``c_i > 0``; a privacy model ``f`` (``alpha`` a float meaning
``f(k) = k**alpha``, or a reference_mp model); ``sigma > 0`` and ``s = sigma**2`` exactly (the
exact square of the float, carried at ``DPS`` digits).

A partition ``pi`` is a restricted-growth string (RGS) tuple: ``rgs[i]`` is the block label of
player ``i``, ``rgs[0] = 0`` and ``rgs[i] <= max(rgs[:i]) + 1``. Blocks are tuples of player
indices, listed by label.

Burden ``b_i(C)`` of player ``i`` in block ``C``:

* ``|C| = 1``: ``b_i = s``.
* ``|C| = k >= 2``: every member ``j`` plays its selfish epsilon ``best_eps(c_j, k, f)`` (the
  minimizer of its own Definition 5 burden, found numerically) and
  ``b_i = s/k + (2/k^2) sum_{j in C} 1/eps_j^2 + c_i f(k) eps_i`` (``reference_mp.burdens`` with
  ``reference_mp.eps_profile(.., "nash")``). A burden depends on the block only: whenever a
  block changes (someone joins or leaves) *every* member re-optimizes at the new size.

Comparisons (tie band as in reference_mp): ``a`` and ``b`` are *tied* when
``|a - b| <= TIE * max(|a|, |b|)``; ``new`` is *strictly better* than ``old`` when
``new < old`` and not tied; *not worse* when ``new <= old`` or tied.

Moves: player ``i`` in block ``C`` of ``pi`` moves to any other block ``D`` of ``pi`` (its new
block is ``D + {i}``; ``D`` may be a singleton ``{j}``, giving the pair ``{i, j}``), or alone
(``{i}``; a move only if ``|C| >= 2``). A move is written ``(i, target)`` with ``target`` the
label of ``D`` in the RGS, or ``-1`` for alone.

Stability notions (Bogomolnaia & Jackson 2002):

* ``"nash"``: no player has a move with ``b_i(new)`` strictly better than ``b_i(C)``.
* ``"individual"``: no strictly improving move to which the receiving block consents: every
  ``j in D`` has ``b_j(D + {i})`` not worse than ``b_j(D)`` (moving alone needs no consent).
* ``"contractual"`` (contractually individually stable): no strictly improving move that has
  the receiving block's consent (as above) *and* leaves no member of the block it leaves worse
  off: every ``j in C - {i}`` has ``b_j(C - {i})`` not worse than ``b_j(C)`` (nothing to check
  if ``C - {i}`` is empty). Hence nash-stable => individual-stable => contractual-stable.
* ``"core"``: no nonempty set ``T`` of players with ``b_i(T)`` strictly better than
  ``b_i(pi(i))`` for every ``i in T`` (``|T| = 1``: ``s`` strictly better than ``b_i(pi(i))``).

Social cost ``SC(pi) = sum_i b_i(pi(i))``. Variance of ``pi``: the mean over players of their
block's estimator variance, ``s`` for a singleton and ``s/k + (2/k^2) sum_{j in C} 1/eps_j^2``
(selfish epsilons) for a block of size ``k >= 2``.

Central optimum: the designer picks the partition and, in every block with ``|C| >= 2``, the
epsilons minimizing the block's total burden ``sum_{i in C} b_i`` (``reference_mp.designer_eps``,
numerically: each member's part is ``2/(k eps^2) + c_i f(k) eps``); singletons cost ``s``.
``central`` is the least such total over partitions.

Ties between partitions (``best_stable``, ``worst_stable``, ``central``): every partition whose
cost is tied (the band above) with the extreme cost is a candidate; among them the one with
fewer blocks wins, then the lexicographically first RGS.
"""

from __future__ import annotations

import itertools
import math
from functools import cache, lru_cache

import mpmath
import reference_mp as R
from mpmath import mpf

DPS = R.DPS
TIE = R.TIE

NOTIONS = ("nash", "individual", "contractual", "core")


# --------------------------------------------------------------------------- partitions


def partitions(n: int) -> list[tuple[int, ...]]:
    """Every partition of ``range(n)`` as an RGS tuple, in lexicographic order (Bell(n) of them).

    ``n = 0`` gives ``[()]`` (the empty partition).
    """
    if isinstance(n, bool) or int(n) != n or n < 0:
        raise ValueError(f"n must be an integer >= 0, got {n!r}")
    n = int(n)
    return list(_partitions(n))


@cache
def _partitions(n: int) -> tuple[tuple[int, ...], ...]:
    if n == 0:
        return ((),)
    out: list[tuple[int, ...]] = []

    def rec(prefix: list[int], top: int) -> None:
        if len(prefix) == n:
            out.append(tuple(prefix))
            return
        for label in range(top + 2):  # labels 0 .. max so far + 1, increasing: lex order
            prefix.append(label)
            rec(prefix, max(top, label))
            prefix.pop()

    rec([0], 0)
    return tuple(out)


def _check_rgs(rgs) -> tuple[int, ...]:
    rgs = tuple(int(x) for x in rgs)
    top = -1
    for x in rgs:
        if not 0 <= x <= top + 1:
            raise ValueError(f"not a restricted-growth string: {rgs!r}")
        top = max(top, x)
    return rgs


def blocks(rgs) -> list[tuple[int, ...]]:
    """The blocks of ``rgs``: ``blocks(rgs)[L]`` is the sorted tuple of players labelled ``L``."""
    rgs = _check_rgs(rgs)
    out: list[list[int]] = [[] for _ in range(max(rgs) + 1 if rgs else 0)]
    for i, label in enumerate(rgs):
        out[label].append(i)
    return [tuple(b) for b in out]


# --------------------------------------------------------------------------- burdens


def _setup(costs, alpha, sigma):
    """``(costs tuple of float, model, s)`` with ``s = sigma**2`` exact at ``DPS`` digits."""
    cs = tuple(float(c) for c in costs)
    if not all(c > 0 and math.isfinite(c) for c in cs):
        raise ValueError(f"costs must be positive and finite, got {costs!r}")
    sigma = float(sigma)
    if not (sigma > 0 and math.isfinite(sigma)):
        raise ValueError(f"sigma must be positive and finite, got {sigma!r}")
    with mpmath.workdps(DPS):
        s = mpf(sigma) ** 2  # exact: a double's square has <= 106 bits
    return cs, R.as_model(alpha), s


@lru_cache(maxsize=1 << 18)
def _block_burdens(costs: tuple, model, s: mpf, block: tuple) -> tuple:
    """``b_j(block)`` for each member ``j`` of the sorted tuple ``block``, in its order."""
    with mpmath.workdps(DPS):
        if len(block) == 1:
            return (+s,)
        cs = [costs[j] for j in block]
        eps = R.eps_profile(cs, model, "nash")  # each member's selfish best_eps at size k
        return tuple(R.burdens(s, cs, eps, model))


@lru_cache(maxsize=1 << 16)
def _block_total_designer(costs: tuple, model, s: mpf, block: tuple) -> mpf:
    """The block's least total burden (designer's epsilons); ``s`` for a singleton."""
    with mpmath.workdps(DPS):
        if len(block) == 1:
            return +s
        cs = [costs[j] for j in block]
        eps = R.eps_profile(cs, model, "designer")
        return +mpmath.fsum(R.burdens(s, cs, eps, model))


@lru_cache(maxsize=1 << 16)
def _block_variance(costs: tuple, model, s: mpf, block: tuple) -> mpf:
    with mpmath.workdps(DPS):
        if len(block) == 1:
            return +s
        k = mpf(len(block))
        eps = R.eps_profile([costs[j] for j in block], model, "nash")
        return +(s / k + 2 / (k * k) * mpmath.fsum(1 / (e * e) for e in eps))


def _b(costs, model, s, block, i) -> mpf:
    block = tuple(sorted(block))
    return _block_burdens(costs, model, s, block)[block.index(i)]


def burden(costs, alpha, s, block, i) -> mpf:
    """``b_i(block)``: player ``i``'s burden in ``block`` (selfish epsilons, Definition 5).

    Parameters
    ----------
    costs : sequence of float
        Every player's cost.
    alpha : float or reference_mp model
        The privacy model ``f``.
    s : mpf (or float)
        ``sigma**2``, its value taken as is.
    block : iterable of int
        Player indices, containing ``i``.
    i : int
    """
    cs = tuple(float(c) for c in costs)
    block = tuple(sorted(set(int(j) for j in block)))
    if i not in block:
        raise ValueError(f"player {i} is not in block {block}")
    with mpmath.workdps(DPS):
        s = mpf(s)
    return _b(cs, R.as_model(alpha), s, block, i)


# --------------------------------------------------------------------------- comparisons


def _tied(a: mpf, b: mpf) -> bool:
    with mpmath.workdps(DPS):
        return abs(a - b) <= TIE * max(abs(a), abs(b))


def _better(new: mpf, old: mpf) -> bool:
    """``new`` strictly better (smaller) than ``old``, outside the tie band."""
    return new < old and not _tied(new, old)


def _not_worse(new: mpf, old: mpf) -> bool:
    return new <= old or _tied(new, old)


# --------------------------------------------------------------------------- stability


def _deviations(cs, model, s, rgs, notion) -> list:
    bl = blocks(rgs)
    if notion == "core":
        n = len(cs)
        cur = [_b(cs, model, s, bl[rgs[i]], i) for i in range(n)]
        out = []
        for size in range(1, n + 1):
            for T in itertools.combinations(range(n), size):
                bt = _block_burdens(cs, model, s, T)
                if all(_better(bt[p], cur[i]) for p, i in enumerate(T)):
                    out.append(T)
        return out
    out = []
    for i in range(len(cs)):
        here = rgs[i]
        C = bl[here]
        old = _b(cs, model, s, C, i)
        rest = tuple(j for j in C if j != i)
        targets = ([-1] if len(C) >= 2 else []) + [d for d in range(len(bl)) if d != here]
        for t in targets:
            D = () if t == -1 else bl[t]
            new_block = tuple(sorted(D + (i,)))
            if not _better(_b(cs, model, s, new_block, i), old):
                continue
            if notion in ("individual", "contractual") and not all(
                _not_worse(_b(cs, model, s, new_block, j), _b(cs, model, s, D, j)) for j in D
            ):
                continue  # the receiving block refuses
            if notion == "contractual" and not all(
                _not_worse(_b(cs, model, s, rest, j), _b(cs, model, s, C, j)) for j in rest
            ):
                continue  # the block left behind refuses
            out.append((i, t))
    return out


def _notion(notion: str) -> str:
    if notion not in NOTIONS:
        raise ValueError(f"unknown notion {notion!r}; expected one of {NOTIONS}")
    return notion


def _rgs_for(cs, rgs) -> tuple[int, ...]:
    rgs = _check_rgs(rgs)
    if len(rgs) != len(cs):
        raise ValueError(f"partition of {len(rgs)} players for {len(cs)} costs")
    return rgs


def deviations(costs, alpha, sigma, rgs, notion) -> list:
    """What breaks the stability of ``rgs`` under ``notion``; empty iff stable.

    Move notions: ``(i, target)`` pairs, ``target`` the receiving block's label or ``-1`` for
    alone, sorted by player then target (``-1`` first). ``"core"``: the blocking sets ``T`` as
    sorted tuples, ordered by size then lexicographically.
    """
    cs, model, s = _setup(costs, alpha, sigma)
    return _deviations(cs, model, s, _rgs_for(cs, rgs), _notion(notion))


def is_stable(costs, alpha, sigma, rgs, notion) -> bool:
    """Whether ``rgs`` is stable under ``notion`` (no deviation)."""
    return not deviations(costs, alpha, sigma, rgs, notion)


def stable_partitions(costs, alpha, sigma, notion) -> list[tuple[int, ...]]:
    """Every stable partition (RGS tuples), in lexicographic order."""
    cs, model, s = _setup(costs, alpha, sigma)
    notion = _notion(notion)
    return [p for p in _partitions(len(cs)) if not _deviations(cs, model, s, p, notion)]


def _social_cost(cs, model, s, rgs) -> mpf:
    with mpmath.workdps(DPS):
        bl = blocks(rgs)
        return +mpmath.fsum(_b(cs, model, s, bl[rgs[i]], i) for i in range(len(cs)))


def social_cost(costs, alpha, sigma, rgs) -> mpf:
    """``SC(pi) = sum_i b_i(pi(i))`` with selfish epsilons."""
    cs, model, s = _setup(costs, alpha, sigma)
    return _social_cost(cs, model, s, _rgs_for(cs, rgs))


def variance(costs, alpha, sigma, rgs) -> mpf:
    """Mean over players of their block's estimator variance (selfish epsilons)."""
    cs, model, s = _setup(costs, alpha, sigma)
    rgs = _rgs_for(cs, rgs)
    bl = blocks(rgs)
    with mpmath.workdps(DPS):
        return +(
            mpmath.fsum(_block_variance(cs, model, s, bl[rgs[i]]) for i in range(len(cs))) / len(cs)
        )


def _pick(scored: list, worst: bool):
    """``(rgs, cost)`` with the extreme cost; ties: fewer blocks, then lexicographically first."""
    if not scored:
        return None
    costs = [c for _, c in scored]
    extreme = max(costs) if worst else min(costs)
    tied = [(p, c) for p, c in scored if c == extreme or _tied(c, extreme)]
    return min(tied, key=lambda pc: (max(pc[0]) + 1, pc[0]))


def best_stable(costs, alpha, sigma, notion):
    """``(rgs, social cost)`` of the cheapest stable partition, or ``None`` if none is stable."""
    cs, model, s = _setup(costs, alpha, sigma)
    notion = _notion(notion)
    scored = [
        (p, _social_cost(cs, model, s, p))
        for p in _partitions(len(cs))
        if not _deviations(cs, model, s, p, notion)
    ]
    return _pick(scored, worst=False)


def worst_stable(costs, alpha, sigma, notion):
    """``(rgs, social cost)`` of the costliest stable partition, or ``None`` if none is stable."""
    cs, model, s = _setup(costs, alpha, sigma)
    notion = _notion(notion)
    scored = [
        (p, _social_cost(cs, model, s, p))
        for p in _partitions(len(cs))
        if not _deviations(cs, model, s, p, notion)
    ]
    return _pick(scored, worst=True)


def central(costs, alpha, sigma):
    """``(rgs, cost)``: the designer's partition and epsilons minimizing the total burden."""
    cs, model, s = _setup(costs, alpha, sigma)
    scored = []
    for p in _partitions(len(cs)):
        with mpmath.workdps(DPS):
            total = mpmath.fsum(_block_total_designer(cs, model, s, B) for B in blocks(p))
        scored.append((p, +total))
    return _pick(scored, worst=False)


def single_block(costs, alpha, sigma, notion) -> bool:
    """Whether some stable partition has exactly one block of size >= 2 (others singletons)."""
    return any(
        sum(len(B) >= 2 for B in blocks(p)) == 1
        for p in stable_partitions(costs, alpha, sigma, notion)
    )
