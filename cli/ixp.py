"""The IXP game's commands: ``fastscan ixp scan`` (parses, calls one function of
:mod:`fastscan.ixp.commands`, prints what it returns)."""

from __future__ import annotations

import click

from . import options as opt


@click.group()
def ixp() -> None:
    """The IXP group-formation game: agents choose facilities (stability with pricing)."""


@ixp.command()
@click.option("--family", type=click.Choice(["uniform"]), help="a family of random instances")
@click.option("--instances", type=click.Path(), help="instances from a .json or .npz file")
@click.option("--n", "n", help="family: agents (grid)")
@click.option("--m", "m", help="family: facilities (grid)")
@click.option("--density", help="family: probability of a pair's disconnection cost (grid)")
@click.option("--ratio", help="family: largest disconnection cost (grid)")
@click.option("--facility", help="family: largest facility cost (grid)")
@click.option("--seed", help="family: random seeds (grid)")
@click.option("--alpha", default="1", show_default=True, help="ascending grid of alpha >= 1")
@click.option("--out", help="Zarr store: path or fsspec URL")
@opt.storage_option
@opt.resume
@opt.overwrite
@opt.scheduler
@opt.yes
@opt.quiet
def scan(family, instances, alpha, out, storage_option, quiet, **rest) -> None:
    """Scan instances x alpha exactly into a resumable Zarr cube."""
    from fastscan.grids import flag
    from fastscan.ixp import commands

    params = {k: rest.pop(k) for k in ("n", "m", "density", "ratio", "facility", "seed")}
    closing = commands.scan(
        family=family,
        params=params,
        instances=instances,
        alpha=alpha,
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


COMMANDS = [ixp]
