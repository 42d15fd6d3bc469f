"""The IXP game's commands: ``fastscan ixp scan`` (parses, calls one function of
:mod:`fastscan.ixp.commands`, prints what it returns)."""

from __future__ import annotations

import click

from . import options as opt


@click.group()
def ixp() -> None:
    """The IXP group-formation game: agents choose facilities (stability with pricing)."""


def family_options(f):
    """--family, --instances and the families' parameters (grids), shared by every command."""
    for option in reversed(
        [
            click.option(
                "--family",
                type=click.Choice(["uniform", "metric", "planted"]),
                help="random instances (uniform, metric) or the paper's examples (planted)",
            ),
            click.option(
                "--instances",
                type=click.Path(),
                help=(
                    "instances from a file. JSON: a list of objects (or one object) with keys "
                    "w_facility (n x m lists: agent i's cost at facility f), w_pair (n x n, "
                    "symmetric, zero diagonal: the cost of not being connected), facility_cost "
                    "(m); every number finite and >= 0. .npz: arrays w_facility (I, n, m), "
                    "w_pair (I, n, n), facility_cost (I, m) for I instances"
                ),
            ),
            click.option("--n", "n", help="uniform/metric: agents (grid)"),
            click.option("--m", "m", help="uniform/metric: facilities (grid)"),
            click.option("--density", help="uniform/metric: probability of a pair's w(i, j)"),
            click.option("--ratio", help="uniform/metric: largest w(i, j) (grid)"),
            click.option("--facility", help="uniform/metric: largest facility cost (grid)"),
            click.option("--seed", help="uniform/metric: random seeds (grid)"),
            click.option("--name", help="planted: thm41, thm42, thm44, hub (comma-separated)"),
            click.option("--eps", help="planted thm41/thm44: epsilon (grid)"),
        ]
    ):
        f = option(f)
    return f


PARAMS = ("n", "m", "density", "ratio", "facility", "seed", "name", "eps")


@ixp.command()
@family_options
@click.option("--alpha", default="1", show_default=True, help="ascending grid of alpha >= 1")
@click.option(
    "--method",
    type=click.Choice(["exhaustive", "optimum"]),
    default="exhaustive",
    show_default=True,
    help="every assignment, or s* alone (min cut for m <= 2, else MILP): large n",
)
@click.option("--approx", is_flag=True, help="also LP 19, Algorithms 1 and 2, multi optimum")
@click.option("--out", help="Zarr store: path or fsspec URL")
@opt.storage_option
@opt.resume
@opt.overwrite
@opt.scheduler
@opt.threads
@opt.yes
@opt.quiet
@opt.stops_on_sigterm
@opt.kernels
def scan(family, instances, alpha, method, approx, out, storage_option, quiet, **rest) -> None:
    """Scan instances x alpha exactly into a resumable Zarr cube."""
    from fastscan.grids import flag
    from fastscan.ixp import commands

    params = {k: rest.pop(k) for k in PARAMS}
    closing = commands.scan(
        family=family,
        params=params,
        instances=instances,
        alpha=alpha,
        method=method,
        approx=approx,
        out=out,
        storage_options=opt.storage_options(storage_option),
        quiet=quiet,
        say=opt.echo_err,
        **opt.provenance(),
        arg=flag,
        **rest,
    )
    if not quiet:
        opt.echo_err(closing)


def one_off(f):
    """--index, --alpha and --format of solve and check."""
    f = click.option(
        "--format",
        "output",
        type=click.Choice(["table", "json"]),
        default="table",
        show_default=True,
    )(f)
    return click.option("--index", type=int, help="one instance (0-based); default: all")(f)


@ixp.command()
@family_options
@one_off
@click.option("--alpha", default="1", show_default=True, help="ascending grid of alpha >= 1")
@opt.kernels
def solve(family, instances, index, alpha, output, **params) -> None:
    """Explain instances: s*, alpha*, Q, payments, prices, the process, stable states, §7."""
    from fastscan.grids import flag
    from fastscan.ixp import commands

    click.echo(
        commands.solve(
            family=family,
            params=params,
            instances=instances,
            index=index,
            alpha=alpha,
            output=output,
            arg=flag,
        )
    )


@ixp.command()
@family_options
@one_off
@click.option("--alpha", default="1:2:11", show_default=True, help="alpha grid for Thm 4.4")
@opt.kernels
def check(family, instances, index, alpha, output, **params) -> None:
    """Check the paper's theorems on instances: PASS/FAIL each, exit 1 on a failure."""
    from fastscan.grids import flag
    from fastscan.ixp import commands

    text, ok = commands.check(
        family=family,
        params=params,
        instances=instances,
        index=index,
        alpha=alpha,
        output=output,
        arg=flag,
    )
    click.echo(text)
    if not ok:
        raise SystemExit(1)


COMMANDS = [ixp]
