"""The centralized optimum ``k*`` of eq. (4) on a sorted grid of ``s = sigma^2``.

``SC_c(k) - (n+1) s = c_k A_k - k s`` is a line in ``s`` with slope ``-k``, so ``k*`` for all grid
points is a walk along the lower envelope of ``n - 1`` lines: ``O(n + n_sigma)``, not
``O(n * n_sigma)``.
"""

from __future__ import annotations

import numpy as np

from .._numba import kernel
from .formulas import social_cost, variance


@kernel
def central_optimum(n, A, cs, cv, s, out_size, out_sc, out_var):
    """Fill ``k*``, ``SC_c(k*)`` and ``Var_c(k*)`` for every ``s`` (ascending).

    ``cs``, ``cv`` are the ``C_SC_CENTRAL``, ``C_VAR_CENTRAL`` coefficients by size.
    ``A[k]`` is the fold of the ``k`` cheapest ``a`` (Lemma 1: the best coalition of size ``k`` is
    ``S_k``). Ties in ``SC_c`` go to the smaller ``k``; a tie with the empty coalition goes to the
    coalition (eq. 4 uses ``<=``). ``k* = 0`` gives ``n s`` and ``s``.
    """
    hull = np.empty(n + 1, dtype=np.int64)
    h = 0
    for k in range(2, n + 1):
        b3 = cs[k] * A[k]
        while h >= 2:
            k1 = hull[h - 2]
            k2 = hull[h - 1]
            b1 = cs[k1] * A[k1]
            b2 = cs[k2] * A[k2]
            # drop k2 when it is nowhere strictly lowest: x(k1, k) <= x(k1, k2)
            if (b3 - b1) * (k2 - k1) <= (b2 - b1) * (k - k1):
                h -= 1
            else:
                break
        hull[h] = k
        h += 1
    p = 0
    for j in range(s.shape[0]):
        sj = s[j]
        while p + 1 < h:
            ka = hull[p]
            kb = hull[p + 1]
            if social_cost(n, kb, sj, A[kb], cs[kb]) < social_cost(n, ka, sj, A[ka], cs[ka]):
                p += 1
            else:
                break
        k = hull[p]
        sc = social_cost(n, k, sj, A[k], cs[k])
        if sc <= n * sj:
            out_size[j] = k
            out_sc[j] = sc
            out_var[j] = variance(k, sj, A[k], cv[k])
        else:
            out_size[j] = 0
            out_sc[j] = n * sj
            out_var[j] = sj
