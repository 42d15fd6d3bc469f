"""The demo's summary: what ``make run`` (``fastscan scan`` with no profile) prints."""

from __future__ import annotations

import shlex
import sys

import numpy as np

from .plan import coalitions


def summary(ds, url: str) -> str:
    """Where equilibria exist in a one-profile cube, and what to run next."""
    n = int(ds.n_players.values[0])
    a, s = ds.alpha.values, ds.sigma.values
    lines = [
        f"\nFig. 1 profile (n = {n}) over alpha in [{a.min():g}, {a.max():g}] x sigma in "
        f"[{s.min():g}, {s.max():g}], all {coalitions(n, ds.attrs.get('sets', 'all'))} "
        f"coalitions of size >= 2, stored in {url}"
    ]
    for notion in ("nash", "robust"):
        exists = (ds.stable_count.sel(notion=notion).isel(profile=0) > 0).values
        at1 = exists[int(np.argmin(np.abs(a - 1.0)))]
        lines.append(
            f"{notion:>7}: an equilibrium exists in {100 * exists.mean():.1f}% of (alpha, sigma) "
            f"cells; at alpha = 1 none for sigma in {_ranges(s, ~at1)}"
        )
    python = shlex.quote(sys.executable)
    code = (
        f"import xarray as xr; "
        f"print(xr.open_zarr({url!r}).max_size.sel(notion='robust', alpha=1.0))"
    )
    lines.append(f"\nnext:\n  fastscan info {shlex.quote(url)}\n  {python} -c {shlex.quote(code)}")
    return "\n".join(lines)


def _ranges(sigma: np.ndarray, mask: np.ndarray) -> str:
    out, start = [], None
    for i, m in enumerate(list(mask) + [False]):
        if m and start is None:
            start = i
        elif not m and start is not None:
            out.append(f"[{sigma[start]:.3f}, {sigma[i - 1]:.3f}]")
            start = None
    return ", ".join(out) or "no sigma of the grid"
