"""Pictures of cubes of any game: phase diagrams over two dimensions, and Fig. 1-style lines along
one (a panel per value of the game's panel dim, the notion, where the variable has one). Errors
name arguments through ``arg``."""

from __future__ import annotations

import numpy as np

from .grids import plain

MAX_TICKS = 12  # labels on a categorical axis at most (more overlap at the figure's width)


def _mpl():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _label(da, dim: str) -> str:
    if dim not in da.coords:
        return dim
    head, _, tail = da[dim].attrs.get("description", dim).partition(":")
    return f"{dim} ({tail.strip()})" if head == "family parameter" else head


def _title(name: str, fixed: list[str], reduced: list[str]) -> str:
    parts = fixed + reduced
    return name + (f"  ({', '.join(parts)})" if parts else "")


def check_folder(out: str, name: str) -> None:
    """One clear error, before any work, when the image ``out`` cannot be written there
    (``name``: the argument, as the caller spells it)."""
    import os

    _check_extension(out, name)
    folder = os.path.dirname(os.path.abspath(out))
    if not os.path.isdir(folder):
        raise ValueError(f"{name} {out!r}: folder {folder!r} does not exist")
    if not os.access(folder, os.W_OK):
        raise ValueError(f"{name} {out!r}: folder {folder!r} is not writable")


def _check_extension(out: str, name: str) -> None:
    ext = out.rsplit(".", 1)[-1].lower() if "." in out else ""
    if ext not in ("png", "svg", "pdf"):
        raise ValueError(f"{name} must end in .png, .svg or .pdf (got {out!r})")


def save(fig, out: str, arg=plain) -> None:
    """Write PNG, SVG or PDF (by extension); one clear error when that is not possible."""
    _check_extension(out, arg("out"))
    try:
        fig.savefig(out, dpi=150, bbox_inches="tight")
    except OSError as err:
        raise ValueError(
            f"{arg('out')} {out!r} could not be written: {err.strerror or err}"
        ) from None
    finally:
        _mpl().close(fig)


def heatmap(da, x: str, y: str, fixed: list[str], reduced: list[str], out: str, arg=plain) -> None:
    """A phase diagram of ``da`` over ``(x, y)`` with a colour bar."""
    left = [d for d in da.dims if d not in (x, y)]
    if left or x not in da.dims or y not in da.dims:
        raise ValueError(
            f"{arg('x')} {x} {arg('y')} {y}: the selection has dimensions "
            f"{', '.join(da.dims)}; fix the others with {arg('sel')} or {arg('reduce')}"
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
    save(fig, out, arg)


def lines(
    da,
    x: str,
    fixed: list[str],
    reduced: list[str],
    out: str,
    exists=None,
    arg=plain,
    panel: str | None = None,
    titles: dict | None = None,
    shaded: str = "",
) -> None:
    """``da`` along ``x``, one panel per value of the game's ``panel`` dim when it has one
    (Nash left, robust right, titled by ``titles``); ``exists`` (same dims) shades where it is
    false, as in Fig. 1 (``shaded`` says what that means)."""
    titles = titles or {}
    panels = list(da[panel].values) if panel in da.dims and x != panel else [None]
    left = [d for d in da.dims if d != x and not (d == panel and panels != [None])]
    if left or x not in da.dims:
        raise ValueError(
            f"{arg('x')} {x}: the selection has dimensions {', '.join(da.dims)}; fix the "
            f"others with {arg('sel')} or {arg('reduce')}"
        )
    plt = _mpl()
    fig, axes = plt.subplots(
        1, len(panels), figsize=(5.5 * len(panels), 4), squeeze=False, sharey=True
    )
    xs = da[x].values if x in da.coords else np.arange(da.sizes[x])
    labels = None
    if xs.dtype.kind not in "fiu":  # a categorical axis (notion): points at 0, 1, ...
        labels, xs = [str(v) for v in xs], np.arange(xs.size)
    for ax, value in zip(axes[0], panels, strict=True):
        sub = da.sel({panel: value}) if value is not None else da
        if labels is None:
            ax.plot(xs, sub.values, drawstyle="steps-mid", color="C0")
        else:
            ax.plot(xs, sub.values, "o", color="C0")
            every = -(-xs.size // MAX_TICKS)  # one label in ``every``: many would overlap
            ax.set_xticks(xs[::every], labels[::every])
            ax.set_xlim(-0.5, xs.size - 0.5)
        if exists is not None:
            ok = (exists.sel({panel: value}) if value is not None else exists).values
            for lo, hi in _runs(xs, ~ok):
                ax.axvspan(lo, hi, color="0.85", zorder=0, lw=0)
        if len(panels) == 1:
            ax.set_xlabel(_label(da, x))
        ax.set_title("" if value is None else titles.get(value, str(value)), fontsize=10)
        ax.grid(alpha=0.3)
    if da.dtype.kind in "iub":  # sizes and counts: whole-number ticks
        from matplotlib.ticker import MaxNLocator

        axes[0][0].yaxis.set_major_locator(MaxNLocator(integer=True))
    if len(panels) > 1:  # once under the panels: a long label under each ran into the next
        fig.supxlabel(_label(da, x), fontsize=10)
    units = da.attrs.get("units")
    axes[0][0].set_ylabel(f"{da.name}" + (f" [{units}]" if units and units != "1" else ""))
    shade = f"; shaded: {shaded}" if exists is not None and shaded else ""
    fig.suptitle(_title(str(da.name), fixed, reduced) + shade, fontsize=10)
    save(fig, out, arg)


def steps(
    panels: list[tuple[str, np.ndarray, np.ndarray, np.ndarray]],
    out: str,
    *,
    xlabel: str,
    ylabel: str,
    title: str,
    narrow: float = 0.01,
    arg=plain,
) -> list[str]:
    """Exact piecewise-constant values, a panel each: ``(title, low, high, value)`` with
    ``value`` on ``[low, high)`` (``high`` may be inf). Zero values are shaded; a range narrower
    than ``narrow`` of the axis (invisible as a step) is marked and labelled with its ends, so
    no range is lost to the picture's resolution. Returns the labels, ``panel: label``."""
    plt = _mpl()
    finite = [h for _, lo, hi, _ in panels for h in np.concatenate([lo, hi]) if np.isfinite(h)]
    right = 1.15 * max(finite) if finite else 1.0
    fig, axes = plt.subplots(
        1, len(panels), figsize=(5.5 * len(panels), 4.2), squeeze=False, sharey=True
    )
    top = max((float(np.max(v)) for _, _, _, v in panels if len(v)), default=1.0)
    labels: list[str] = []
    for ax, (name, low, high, value) in zip(axes[0], panels, strict=True):
        high = np.minimum(high, right)
        for lo, hi, v in zip(low, high, value, strict=True):
            if v == 0:
                ax.axvspan(lo, hi, color="0.85", zorder=0, lw=0)
        edges = np.append(low, high[-1]) if len(low) else np.array([0.0, right])
        ax.stairs(value, edges, color="C0", lw=1.6, baseline=None)
        marks = 0
        for lo, hi, v in zip(low, high, value, strict=True):
            if v > 0 and hi - lo < narrow * right:
                ax.plot([lo, hi], [v, v], color="C3", lw=4, solid_capstyle="butt")
                labels.append(f"{name}: {v:g} on [{lo:.6g}, {hi:.6g})")
                ax.annotate(
                    f"{v:g} on [{lo:.6g}, {hi:.6g})",
                    xy=((lo + hi) / 2, v),
                    xytext=(0, 14 + 12 * (marks % 3)),
                    textcoords="offset points",
                    ha="center",
                    fontsize=8,
                    color="C3",
                    arrowprops={"arrowstyle": "-", "color": "C3", "lw": 0.8},
                )
                marks += 1
        ax.set_xlim(0, right)
        ax.set_ylim(-0.3, top * 1.25 + 0.5)
        ax.set_xlabel(xlabel)
        ax.set_title(name, fontsize=10)
        ax.grid(alpha=0.3)
    from matplotlib.ticker import MaxNLocator

    axes[0][0].yaxis.set_major_locator(MaxNLocator(integer=True))
    axes[0][0].set_ylabel(ylabel)
    fig.suptitle(title + "; shaded: no equilibrium; red: ranges too narrow to see", fontsize=10)
    save(fig, out, arg)
    return labels


def _check_finite(da, var: str, note, arg=plain) -> None:
    """Say how many cells are inf or NaN (matplotlib leaves them out without a word), and
    refuse when none is left to draw: an empty figure would pass for a result."""
    if da.dtype.kind not in "fc":
        return
    values = np.asarray(da.values)
    n_inf, n_nan = int(np.isinf(values).sum()), int(np.isnan(values).sum())
    if not n_inf + n_nan:
        return
    bad = f"{n_inf:,} inf and {n_nan:,} NaN"
    if n_inf + n_nan == values.size:
        raise ValueError(
            f"{arg('var')} {var}: nothing to draw, every one of the {values.size:,} cells "
            f"selected is inf or NaN ({bad}); look at them with fastscan query"
        )
    if note is not None:
        note(
            f"fastscan: warning: {n_inf + n_nan:,} of {values.size:,} cells of {var} are not "
            f"drawn ({bad})"
        )


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


def _as_axis(da, dim: str, lab: str, arg=plain):
    """``da`` with a label (a family parameter ``n``, ``ratio``...) as the dimension in place of
    ``lab`` (``profile``), when the selected profiles differ in that label alone."""
    if da is None or dim in da.dims or lab not in da.dims or dim not in da.coords:
        return da
    if da[dim].dims != (lab,):
        return da
    values = da[dim].values
    if np.unique(values).size != values.size:
        others = [str(c) for c in da.coords if da[c].dims == (lab,) and c not in (dim,)]
        raise ValueError(
            f"{arg('x')}/{arg('y')} {dim}: several selected {lab}s share each value of {dim}; "
            f"fix the others with {arg('sel')} ({', '.join(others) or lab}=...) or "
            f"{arg('reduce')}"
        )
    return da.swap_dims({lab: dim}).sortby(dim)


def plot_cube(
    ds, var: str, x: str, y: str | None, sels, reductions, out: str, arg=plain, note=None
) -> None:
    """``fastscan plot``: a phase diagram (``y`` given) or lines along ``x`` of one variable.

    ``x`` and ``y`` are dimensions or family parameters of the profiles; dimensions of size
    one are dropped, and lines are drawn one panel per value of the game's panel dim, shaded
    where its ``shade`` variable is false (the registry's words: notion, exists). ``note``
    hears how many cells are not finite (left out of the figure); a selection with no finite
    cell is refused.
    """
    from . import query as q

    da, fixed = q.select(ds, q.variable(ds, var, arg), list(sels), arg)
    da, reduced = q.reduce(da, list(reductions), arg)
    from .game import of_cube

    registry = of_cube(ds.attrs).registry  # the game's words: its panel dim, what shades
    panel, name = registry.panel_dim, registry.shade
    exists = None
    derived = q._derived(ds)
    shade = name in derived and derived[name][0] in ds and var != name
    if y is None and not reductions and shade and panel in da.dims:
        exists, _ = q.select(ds, q.variable(ds, name), list(sels), arg)
    lab = q.label_dim(ds) or registry.label_dim
    for dim in (x, y):
        if dim is not None:
            da, exists = _as_axis(da, dim, lab, arg), _as_axis(exists, dim, lab, arg)
    keep = {x, y, panel}
    da = da.squeeze([d for d in da.dims if da.sizes[d] == 1 and d not in keep])
    for dim in (x, y):
        if dim is not None and dim not in da.dims:
            raise ValueError(
                f"{arg('x')}/{arg('y')} {dim!r} is not a dimension left "
                f"(dimensions: {', '.join(map(str, da.dims)) or 'none'})"
            )
    if x == y:
        raise ValueError(f"{arg('x')} and {arg('y')} must differ (both {x!r})")
    da = da.load()
    _check_finite(da, var, note, arg)
    if y is not None:
        heatmap(da, x, y, fixed, reduced, out, arg)
        return
    if exists is not None:
        exists = exists.squeeze([d for d in exists.dims if d not in da.dims])
    titles, caption = registry.panel_titles, registry.shade_caption
    lines(da, x, fixed, reduced, out, exists, arg, panel, titles, caption)


def plot_store(
    url: str,
    var: str,
    x: str,
    y: str | None,
    sels,
    reductions,
    out: str,
    *,
    allow_incomplete: bool = False,
    storage_options: dict | None = None,
    arg=plain,
    note=None,
) -> None:
    """``fastscan plot``: :func:`plot_cube` of the cube at ``url`` into the image ``out``
    (its folder checked before the cube is read); ``note`` hears warnings."""
    from . import query as q

    check_folder(out, arg("out"))
    ds = q.open_to_read(url, storage_options, allow_incomplete, arg)
    with q.reading(url):
        plot_cube(ds, var, x, y, sels, reductions, out, arg, note)
