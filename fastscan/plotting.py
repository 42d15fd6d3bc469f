"""Pictures of cubes: phase diagrams over two dimensions, and Fig. 1-style lines along one."""

from __future__ import annotations

import numpy as np


def _mpl():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _label(da, dim: str) -> str:
    return dim if dim not in da.coords else da[dim].attrs.get("description", dim).split(":")[0]


def _title(name: str, fixed: list[str], reduced: list[str]) -> str:
    parts = fixed + reduced
    return name + (f"  ({', '.join(parts)})" if parts else "")


def save(fig, out: str) -> None:
    """Write PNG, SVG or PDF (by extension); one clear error when that is not possible."""
    ext = out.rsplit(".", 1)[-1].lower() if "." in out else ""
    if ext not in ("png", "svg", "pdf"):
        raise ValueError(f"--out must end in .png, .svg or .pdf (got {out!r})")
    try:
        fig.savefig(out, dpi=150, bbox_inches="tight")
    except OSError as err:
        raise ValueError(f"--out {out!r} could not be written: {err.strerror or err}") from None
    finally:
        _mpl().close(fig)


def heatmap(da, x: str, y: str, fixed: list[str], reduced: list[str], out: str) -> None:
    """A phase diagram of ``da`` over ``(x, y)`` with a colour bar."""
    left = [d for d in da.dims if d not in (x, y)]
    if left or x not in da.dims or y not in da.dims:
        raise ValueError(
            f"--x {x} --y {y}: the selection has dimensions {', '.join(da.dims)}; "
            f"fix the others with --sel or --reduce"
        )
    plt = _mpl()
    da = da.transpose(y, x).load()
    data = da.values.astype(float)
    fig, ax = plt.subplots(figsize=(7, 5))
    xs = da[x].values if x in da.coords else np.arange(da.sizes[x])
    ys = da[y].values if y in da.coords else np.arange(da.sizes[y])
    mesh = ax.pcolormesh(xs, ys, data, shading="nearest", cmap="viridis")
    units = da.attrs.get("units")
    bar = fig.colorbar(mesh, ax=ax)
    bar.set_label(f"{da.name}" + (f" [{units}]" if units and units != "1" else ""))
    ax.set_xlabel(_label(da, x))
    ax.set_ylabel(_label(da, y))
    ax.set_title(_title(str(da.name), fixed, reduced), fontsize=10)
    save(fig, out)


def lines(da, x: str, fixed: list[str], reduced: list[str], out: str, exists=None) -> None:
    """``da`` along ``x``, one panel per notion (Nash left, robust right) when it has one;
    ``exists`` (same dims) shades where no equilibrium exists, as in Fig. 1."""
    panels = list(da["notion"].values) if "notion" in da.dims else [None]
    left = [d for d in da.dims if d not in (x, "notion")]
    if left or x not in da.dims:
        raise ValueError(
            f"--x {x}: the selection has dimensions {', '.join(da.dims)}; fix the "
            f"others with --sel or --reduce"
        )
    plt = _mpl()
    fig, axes = plt.subplots(
        1, len(panels), figsize=(5.5 * len(panels), 4), squeeze=False, sharey=True
    )
    xs = da[x].values if x in da.coords else np.arange(da.sizes[x])
    for ax, notion in zip(axes[0], panels, strict=True):
        sub = da.sel(notion=notion) if notion is not None else da
        ax.plot(xs, sub.values, drawstyle="steps-mid", color="C0")
        if exists is not None:
            ok = (exists.sel(notion=notion) if notion is not None else exists).values
            for lo, hi in _runs(xs, ~ok):
                ax.axvspan(lo, hi, color="0.85", zorder=0, lw=0)
        ax.set_xlabel(_label(da, x))
        ax.set_title(("Nash" if notion == "nash" else "robust") if notion else "", fontsize=10)
        ax.grid(alpha=0.3)
    units = da.attrs.get("units")
    axes[0][0].set_ylabel(f"{da.name}" + (f" [{units}]" if units and units != "1" else ""))
    shade = "; shaded: no equilibrium" if exists is not None else ""
    fig.suptitle(_title(str(da.name), fixed, reduced) + shade, fontsize=10)
    save(fig, out)


def _runs(xs: np.ndarray, mask: np.ndarray) -> list[tuple[float, float]]:
    """``(start, end)`` spans of x where ``mask`` holds, reaching halfway to the neighbours."""
    out = []
    edges = np.concatenate([[xs[0]], (xs[1:] + xs[:-1]) / 2, [xs[-1]]])
    i = 0
    while i < len(mask):
        if mask[i]:
            j = i
            while j + 1 < len(mask) and mask[j + 1]:
                j += 1
            out.append((edges[i], edges[j + 1]))
            i = j + 1
        else:
            i += 1
    return out
