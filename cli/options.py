"""Options shared by the commands of every game, defined once (click decorators)."""

from __future__ import annotations

import functools
import signal
import threading
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
threads = click.option(
    "--threads",
    type=click.IntRange(min=1),
    help="threads of a run on this machine [default: the CPUs this process may use]",
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


_terminated = False  # set by the SIGTERM handler: the exit status says which signal it was


def terminated() -> bool:
    """Whether the running command was stopped by SIGTERM (exit 143, not Ctrl-C's 130)."""
    return _terminated


def _on_sigterm(signum: int, frame: Any) -> None:
    global _terminated
    _terminated = True
    # a second SIGTERM (a supervisor that insists) ends the process at once, as by default
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    raise KeyboardInterrupt("terminated (SIGTERM)")


def stops_on_sigterm(command: Callable[..., Any]) -> Callable[..., Any]:
    """Marks a command that SIGTERM stops as Ctrl-C does (``kill``, a batch system's time
    limit): what is safely stored is kept and the resume command is printed, rather than the
    default of dying silently with status 143. Goes under the click decorators."""

    @functools.wraps(command)
    def run(*args: Any, **kwargs: Any) -> Any:
        global _terminated
        if threading.current_thread() is not threading.main_thread():
            return command(*args, **kwargs)  # only the main thread may handle signals
        _terminated = False
        previous = signal.signal(signal.SIGTERM, _on_sigterm)
        try:
            return command(*args, **kwargs)
        finally:
            signal.signal(signal.SIGTERM, previous)

    return run


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
