"""The ``fastscan`` command line: thin, it parses, calls the library and prints."""

from __future__ import annotations

import sys

import click

FIG1_COSTS = (2.2e-4, 5.4e-4, 7e-4, 11e-4, 30e-4, 33e-4, 34e-4, 36e-4, 38e-4)


class _Group(click.Group):
    """Turns a library ``ValueError`` into one line on stderr and exit code 2."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except ValueError as err:
            click.echo(f"fastscan: error: {err}", err=True)
            sys.exit(2)


@click.group(cls=_Group)
@click.version_option(package_name="fastscan")
def main() -> None:
    """Where stable data-sharing coalitions exist (Bassily et al., 2026)."""


@main.command()
@click.option("--alpha", default=1.0, show_default=True, help="alpha of the demo instance")
@click.option("--points", default=96, show_default=True, help="sigma values in [0.05, 1]")
def demo(alpha: float, points: int) -> None:
    """Evaluate the paper's Fig. 1 profile and print where equilibria exist along sigma."""
    import numpy as np

    import fastscan

    if points < 2:
        raise ValueError(f"--points must be >= 2 (got {points})")
    sigma = np.linspace(0.05, 1.0, points)
    ds = fastscan.scan(FIG1_COSTS, alpha, sigma)
    click.echo(
        f"Fig. 1 profile (n = {len(FIG1_COSTS)}), alpha = {alpha:g}, "
        f"{points} sigma values in [0.05, 1], all {2 ** len(FIG1_COSTS)} subsets"
    )
    for notion in ("nash", "robust"):
        size = ds.max_size.sel(notion=notion).isel(profile=0, alpha=0).values
        click.echo(f"\n{notion}: max stable size along sigma ('.' = no equilibrium)")
        click.echo("  " + "".join(str(int(v)) if v else "." for v in size))
        click.echo(
            f"  equilibria at {np.count_nonzero(size)} of {points} sigma values; "
            f"none on {_ranges(sigma, size == 0)}"
        )
    pos = ds.pos_social_cost.sel(notion="nash").isel(profile=0, alpha=0).values
    click.echo(f"\nPrice of Stability (social cost, nash): {pos.min():.4f} .. {pos.max():.4f}")
    click.echo("\nLemma 3 instance (alpha = 1, sigma^2 = 0.25): coalition {1,2,3,4} of the paper")
    costs = [1.80e-3, 2.15e-3, 2.20e-3, 15e-3, 15.5e-3, 17e-3]
    click.echo(fastscan.describe_coalition(costs, 1.0, 0.5, (0, 1, 2, 3)).table())


def _ranges(sigma, mask) -> str:
    out, start = [], None
    for i, m in enumerate(list(mask) + [False]):
        if m and start is None:
            start = i
        elif not m and start is not None:
            out.append(f"[{sigma[start]:.3f}, {sigma[i - 1]:.3f}]")
            start = None
    return ", ".join(out) or "no sigma in the grid"


if __name__ == "__main__":
    main()
