"""The partition game's commands: ``fastscan partitions scan|show|intervals`` (each parses, calls
one function of :mod:`fastscan.partitions.commands` and prints what it returns)."""

from __future__ import annotations

import click

from . import options as opt
from .datasharing import privacy_options, profile_options

NOTION = click.Choice(["nash", "individual", "contractual", "core"])
SHOW_LIMIT = 20  # as fastscan.partitions.commands (not imported: --help stays fast)


@click.group()
def partitions() -> None:
    """Coalition structures: many coalitions at once (hedonic stability of every partition)."""


@partitions.command()
@profile_options
@click.option(
    "--alpha", help="number, list or START:STOP:NUM [default: -1:1:201 with --privacy power]"
)
@privacy_options(grid=True)
@click.option(
    "--sigma", default="0.05:1:100", show_default=True, help="number, list or START:STOP:NUM"
)
@click.option(
    "--notion",
    default="nash,individual,contractual",
    show_default=True,
    help="the notion dim: comma list of nash, individual, contractual, core (n <= 11)",
)
@click.option("--out", help="Zarr store: path or fsspec URL (file://, s3://...)")
@opt.storage_option
@opt.resume
@opt.overwrite
@opt.scheduler
@opt.threads
@opt.yes
@opt.quiet
@opt.stops_on_sigterm
@opt.kernels
def scan(
    costs,
    costs_file,
    family,
    alpha,
    privacy,
    p,
    f_file,
    sigma,
    notion,
    out,
    storage_option,
    quiet,
    **rest,
) -> None:
    """Scan every partition of profiles x alpha x sigma into a resumable Zarr cube."""
    from fastscan.datasharing.commands import FAMILY_PARAMS
    from fastscan.grids import flag
    from fastscan.partitions import commands

    params = {k: rest.pop(k) for k in FAMILY_PARAMS}
    closing = commands.scan(
        costs=costs,
        costs_file=costs_file,
        family=family,
        params=params,
        alpha=alpha,
        privacy=privacy,
        p=p,
        f_file=f_file,
        sigma=sigma,
        notion=notion,
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


@partitions.command()
@click.option("--costs", required=True, help="comma list of costs")
@click.option("--alpha", type=float, help="required with --privacy power")
@privacy_options(grid=False)
@click.option("--sigma", required=True, type=float)
@click.option("--notion", default="nash", show_default=True, type=NOTION)
@click.option("--partition", help="describe this partition (block labels, one per player) only")
@click.option(
    "--limit",
    default=SHOW_LIMIT,
    show_default=True,
    type=click.IntRange(min=0),
    help="describe at most this many stable partitions (0: all); the count is exact",
)
@opt.kernels
def show(costs, alpha, privacy, p, f_file, model, sigma, notion, partition, limit) -> None:
    """Every stable partition at one point: each player's burden and best move, blocked or not."""
    from fastscan.datasharing.commands import point_model
    from fastscan.grids import flag
    from fastscan.partitions import commands

    chosen = point_model(privacy, p, f_file, model, flag)
    click.echo(
        commands.show(
            costs, alpha, sigma, notion, partition, opt.echo_err, flag, limit=limit, model=chosen
        )
    )


@partitions.command()
@click.option("--costs", required=True, help="comma list of costs (n <= 10)")
@click.option("--alpha", type=float, help="required with --privacy power")
@privacy_options(grid=False)
@click.option(
    "--notion",
    default="nash,individual,contractual",
    show_default=True,
    help="comma list of nash, individual, contractual, core",
)
@click.option(
    "--format", "fmt", default="table", show_default=True, type=click.Choice(["table", "json"])
)
@opt.kernels
def intervals(costs, alpha, privacy, p, f_file, model, notion, fmt) -> None:
    """Exact sigma ranges [low, high) on which the stable partitions stay the same, and which."""
    from fastscan.datasharing.commands import point_model
    from fastscan.grids import flag
    from fastscan.partitions import commands

    chosen = point_model(privacy, p, f_file, model, flag)
    click.echo(commands.intervals(costs, alpha, notion, fmt, opt.echo_err, flag, model=chosen))


COMMANDS = [partitions]
