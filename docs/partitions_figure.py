"""docs/partitions_vs_coalition.png: the best stable partition against the paper's best
Nash-stable coalition, over (sigma, alpha), for eight identical players (run from the
repository root: ``python docs/partitions_figure.py``; about a minute)."""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np

import fastscan
from fastscan import partitions

costs = [0.002] * 8
alpha = np.linspace(-1, 1, 81)
sigma = np.linspace(0.05, 1.2, 231)
part = partitions.scan(costs, alpha=alpha, sigma=sigma, notions="nash,individual").isel(profile=0)
paper = fastscan.scan(costs, alpha=alpha, sigma=sigma).isel(profile=0).sel(notion="nash")
best = part.sel(notion="nash")


def coalitions(labels: np.ndarray) -> np.ndarray:
    """Blocks of two or more players per cell (-1: no stable partition)."""
    out = np.full(labels.shape[:-1], -1)
    for idx in np.ndindex(*out.shape):
        row = labels[idx]
        if row[0] >= 0:
            out[idx] = sum(np.count_nonzero(row == b) >= 2 for b in np.unique(row))
    return out


ratio = paper.opt_social_cost.values / best.social_cost.values  # paper: n sigma^2 if none
fig, axes = plt.subplots(1, 3, figsize=(15, 4.4), sharey=True, constrained_layout=True)
cmap = matplotlib.colormaps["viridis"].resampled(4).with_extremes(under="0.85")
for ax, notion in zip(axes[:2], ("nash", "individual"), strict=True):
    multi = coalitions(part.sel(notion=notion).partition.values)
    im = ax.pcolormesh(sigma, alpha, multi, cmap=cmap, vmin=-0.5, vmax=3.5, shading="nearest")
    ax.set_title(f"best {notion}-stable partition: coalitions in it", fontsize=10)
    print(
        notion,
        "cells with >= 2 coalitions:",
        int((multi >= 2).sum()),
        "of",
        multi.size,
        "; none stable:",
        int((multi < 0).sum()),
    )
cb = fig.colorbar(im, ax=axes[:2], ticks=[0, 1, 2, 3], extend="min", shrink=0.9)
cb.set_label("blocks of >= 2 players (grey: none stable)")
r = np.ma.masked_invalid(ratio)
im = axes[2].pcolormesh(
    sigma,
    alpha,
    r,
    cmap="magma_r",
    shading="nearest",
    vmin=1.0,
    vmax=float(np.nanpercentile(ratio, 99)),
)
axes[2].set_facecolor("0.85")
fig.colorbar(im, ax=axes[2]).set_label("paper's best Nash SC / best Nash partition's SC")
axes[2].set_title("social cost: one coalition (paper) over many (partitions)", fontsize=10)
for ax in axes:
    ax.set_xlabel("sigma")
axes[0].set_ylabel("alpha")
fig.suptitle(
    "8 players of cost 0.002: the best stable partition against the paper's best "
    "Nash-stable coalition",
    fontsize=11,
)
fig.savefig("docs/partitions_vs_coalition.png", dpi=100)
print("wrote docs/partitions_vs_coalition.png")
