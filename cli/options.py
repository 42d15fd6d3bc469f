"""Options shared by the commands of every game, defined once (click decorators)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import click

INCOMPLETE_HELP = "read an unfinished or damaged cube: cells not computed yet are missing (NaN)"
SEL_HELP = "DIM=VALUE (nearest for floats), DIM=#INDEX, or a profile parameter like seed=3"

storage_option = click.option(
    "--storage-option", multiple=True, help="KEY=VALUE passed to fsspec (repeatable)"
)
allow_incomplete = click.option("--allow-incomplete", is_flag=True, help=INCOMPLETE_HELP)
sel = click.option("--sel", multiple=True, help=SEL_HELP)
reduce = click.option(
    "--reduce", "reductions", multiple=True, help="OP:DIM, OP in mean min max sum any all"
)
resume = click.option(
    "--resume", is_flag=True, help="finish an interrupted scan of the same parameters"
)
overwrite = click.option("--overwrite", is_flag=True, help="replace an existing store")
scheduler = click.option(
    "--scheduler",
    envvar="FASTSCAN_SCHEDULER",
    help="dask.distributed address (or FASTSCAN_SCHEDULER); default: threads on this machine",
)
yes = click.option("--yes", is_flag=True, help="run plans over 2 GiB too")
quiet = click.option("--quiet", is_flag=True, help="no plan, no progress")


def storage_options(items: tuple[str, ...]) -> dict:
    """``--storage-option KEY=VALUE`` items as a dict."""
    out = {}
    for item in items:
        if "=" not in item:
            raise click.BadParameter(
                f"must be KEY=VALUE (got {item!r})", param_hint="--storage-option"
            )
        k, v = item.split("=", 1)
        out[k] = v
    return out


def provenance() -> dict[str, str]:
    """The running command line as given (a cube's ``command`` attr) and the command that
    resumes it (quoted when interrupted), for :func:`fastscan.job.run`."""
    import shlex

    from fastscan.cube import resume_command
    from fastscan.redact import redact_argv

    # credentials left out (options kept named): the attr and every hint are shown to people
    argv = redact_argv(click.get_current_context().meta["fastscan.argv"])
    command = shlex.join(["fastscan", *argv])
    return {"command": command, "resume_command": resume_command(command)}


def echo_err(message: str) -> None:
    """A line for the log (stderr)."""
    click.echo(message, err=True)


def kernels(command: Callable[..., Any]) -> Callable[..., Any]:
    """Marks a command that runs kernels: it first compiles every game's kernels when the cache
    is cold (:func:`fastscan.warm.compile_kernels`), so that only the first command after an
    install waits, once, whichever it is. Goes under the click decorators."""

    @functools.wraps(command)
    def run(*args: Any, **kwargs: Any) -> Any:
        from fastscan.warm import compile_kernels

        compile_kernels(None if kwargs.get("quiet") else echo_err)
        return command(*args, **kwargs)

    return run
