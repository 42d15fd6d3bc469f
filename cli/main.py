"""The ``fastscan`` command line: the group, and the commands that work on any game's cube
(``info``, ``query``, ``plot``). Each game adds its own commands (``fastscan.cli.datasharing``).
A command parses, calls one library function and prints what it returns; library errors are
one line on stderr and exit code 2."""

from __future__ import annotations

import sys

import click

from . import options as opt


class _Group(click.Group):
    """Turns a library ``ValueError`` or a usage error into one line on stderr and exit 2."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        ctx.meta["fastscan.argv"] = list(args)  # the command line as given (a cube's provenance)
        return super().parse_args(ctx, args)

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except click.UsageError as err:
            click.echo(f"fastscan: error: {err.format_message()}", err=True)
            sys.exit(2)
        except ValueError as err:
            click.echo(f"fastscan: error: {err}", err=True)
            sys.exit(2)
        except MemoryError:
            click.echo(
                "fastscan: error: not enough memory for this command; ask for less", err=True
            )
            sys.exit(2)
        except KeyboardInterrupt as err:
            click.echo(f"\nfastscan: {str(err) or 'interrupted'}", err=True)
            _leave_writes_unsaid()
            sys.exit(143 if opt.terminated() else 130)  # 128 + the signal, as the shell says
        except RuntimeError as err:
            from fastscan.job import Stopped

            if not isinstance(err, Stopped):
                raise
            click.echo(f"fastscan: {err}", err=True)
            _leave_writes_unsaid()
            sys.exit(1)


def _leave_writes_unsaid() -> None:
    """After a stopped scan's one line, the process ends with chunk writes still running in
    threads that began them before the stop (zarr's event loop); at exit asyncio would list each
    one ("Task was destroyed but it is pending!"). They mark nothing done (markers follow data),
    so there is nothing to say: asyncio's log is silenced for the rest of the process."""
    import logging

    logging.getLogger("asyncio").setLevel(logging.CRITICAL + 1)


@click.group(cls=_Group)
@click.version_option(package_name="fastscan")
def main() -> None:
    """Where stable coalitions exist: scans of coalition-formation games into Zarr cubes."""


@main.command()
@click.argument("store")
@click.option("--verify", is_flag=True, help="read and decode every chunk of every array")
@opt.storage_option
def info(store, verify, storage_option) -> None:
    """Dimensions, variables, provenance and completeness of a stored cube."""
    from fastscan.cube import describe, open_store

    where = open_store(store, opt.storage_options(storage_option), "STORE")
    text, whole = describe(where, verify=verify)
    click.echo(text)
    if verify and not whole:
        sys.exit(1)


@main.command()
@click.argument("store")
@click.option(
    "--var",
    "var",
    required=True,
    help="variable, or one its game derives (exists: stable_count > 0)",
)
@opt.sel
@opt.reduce
@click.option(
    "--format",
    "fmt",
    default="table",
    show_default=True,
    type=click.Choice(["table", "csv", "json"]),
)
@opt.allow_incomplete
@opt.storage_option
def query(store, var, sel, reductions, fmt, allow_incomplete, storage_option) -> None:
    """Print a selection of a cube (streamed), optionally reduced."""
    from fastscan.grids import flag
    from fastscan.query import query_lines

    lines = query_lines(
        store,
        var,
        list(sel),
        list(reductions),
        fmt,
        allow_incomplete=allow_incomplete,
        storage_options=opt.storage_options(storage_option),
        note=opt.echo_err,
        arg=flag,
    )
    for line in lines:
        click.echo(line)


@main.command(short_help="A phase diagram (--x and --y) or lines along --x.")
@click.argument("store")
@click.option("--var", "var", required=True, help="variable (or exists: stable_count > 0)")
@click.option("--x", "x", required=True, help="dimension along the x axis")
@click.option("--y", "y", help="second dimension: a heatmap (phase diagram)")
@opt.sel
@opt.reduce
@click.option("--out", required=True, help="image file: .png, .svg or .pdf")
@opt.allow_incomplete
@opt.storage_option
def plot(store, var, x, y, sel, reductions, out, allow_incomplete, storage_option) -> None:
    """A phase diagram (--x and --y) or Fig. 1-style lines (--x; Nash left, robust right)."""
    from fastscan.grids import flag
    from fastscan.plotting import plot_store

    plot_store(
        store,
        var,
        x,
        y,
        list(sel),
        list(reductions),
        out,
        allow_incomplete=allow_incomplete,
        storage_options=opt.storage_options(storage_option),
        arg=flag,
        note=opt.echo_err,
    )
    click.echo(out)


def _add_game_commands() -> None:
    from fastscan.game import all_games

    for game in all_games():
        for command in game.commands():
            main.add_command(command)


_add_game_commands()

if __name__ == "__main__":
    main()
