"""The ``fastscan`` command line: thin, it parses, calls the library and prints."""

from __future__ import annotations

import os
import shlex
import sys
import time

import click

FIG1_COSTS = "2.2e-4,5.4e-4,7e-4,11e-4,30e-4,33e-4,34e-4,36e-4,38e-4"
DEMO_OUT = "fastscan-demo.zarr"
SIZE_LIMIT = 2 * 2**30  # bytes a plan may write without --yes


class _Group(click.Group):
    """Turns a library ``ValueError`` or a usage error into one line on stderr and exit 2."""

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
        except KeyboardInterrupt:
            click.echo("\nfastscan: interrupted", err=True)
            sys.exit(130)


@click.group(cls=_Group)
@click.version_option(package_name="fastscan")
def main() -> None:
    """Where stable data-sharing coalitions exist (Bassily et al., 2026)."""


def _stderr(message: str) -> None:
    click.echo(message, err=True)


def _storage_options(items: tuple[str, ...]) -> dict:
    out = {}
    for item in items:
        if "=" not in item:
            raise ValueError(f"--storage-option must be KEY=VALUE (got {item!r})")
        k, v = item.split("=", 1)
        out[k] = v
    return out


def _profiles(costs, costs_file, family, params):
    from fastscan import grids

    sources = [x for x in (costs, costs_file, family) if x is not None]
    if len(sources) > 1:
        raise ValueError("give one of --costs, --costs-file, --family")
    given = [k for k, v in params.items() if v is not None]
    if family is None and given:
        raise ValueError(f"--{given[0]} needs --family")
    if costs is not None:
        return grids.from_text(costs)
    if costs_file is not None:
        return grids.from_file(costs_file)
    if family is not None:
        return grids.from_family(family, params)
    return None


def _human(nbytes: float) -> str:
    for unit in ("B", "KiB", "MiB", "GiB", "TiB"):
        if nbytes < 1024 or unit == "TiB":
            return f"{nbytes:.1f} {unit}" if unit != "B" else f"{int(nbytes)} B"
        nbytes /= 1024
    return ""


@main.command()
@click.option("--costs", help="one profile: comma list of costs")
@click.option("--costs-file", type=click.Path(), help="CSV or .npy, one profile per row")
@click.option("--family", help="identical | geometric | linear | uniform")
@click.option("--n", "n", help="family: players (grid)")
@click.option("--cost", help="family: cost (grid)")
@click.option("--ratio", help="family geometric: ratio of consecutive costs (grid)")
@click.option("--low", help="family linear/uniform: lowest cost (grid)")
@click.option("--high", help="family linear/uniform: highest cost (grid)")
@click.option("--seed", help="family uniform: random seeds (grid)")
@click.option(
    "--alpha", default="-1:1:201", show_default=True, help="number, list or START:STOP:NUM"
)
@click.option(
    "--sigma", default="0.05:1:400", show_default=True, help="number, list or START:STOP:NUM"
)
@click.option("--sets", default="all", show_default=True, type=click.Choice(["all", "downward"]))
@click.option("--out", help="Zarr store: path or fsspec URL (file://, memory://, s3://...)")
@click.option("--storage-option", multiple=True, help="KEY=VALUE passed to fsspec (repeatable)")
@click.option("--resume", is_flag=True, help="finish an interrupted scan of the same parameters")
@click.option("--overwrite", is_flag=True, help="replace an existing store")
@click.option(
    "--scheduler",
    envvar="FASTSCAN_SCHEDULER",
    help="dask.distributed address (or FASTSCAN_SCHEDULER); default: threads on this machine",
)
@click.option("--yes", is_flag=True, help=f"run plans over {SIZE_LIMIT // 2**30} GiB too")
@click.option("--quiet", is_flag=True, help="no plan, no progress")
def scan(
    costs,
    costs_file,
    family,
    n,
    cost,
    ratio,
    low,
    high,
    seed,
    alpha,
    sigma,
    sets,
    out,
    storage_option,
    resume,
    overwrite,
    scheduler,
    yes,
    quiet,
) -> None:
    """Scan profiles x alpha x sigma into a resumable Zarr cube (no profile: the demo)."""
    from fastscan import grids
    from fastscan.plan import Plan
    from fastscan.runner import connect, prepare
    from fastscan.store import Store, resume_command

    params = {"n": n, "cost": cost, "ratio": ratio, "low": low, "high": high, "seed": seed}
    profiles = _profiles(costs, costs_file, family, params)
    demo = profiles is None
    if demo:
        profiles = grids.from_text(FIG1_COSTS)
        out = out or DEMO_OUT
        resume = resume or not overwrite
    if out is None:
        raise ValueError("--out is required (a path or fsspec URL for the Zarr store)")
    if resume and overwrite:
        raise ValueError("give --resume or --overwrite, not both")
    if out.startswith("memory://"):
        raise ValueError(
            "--out memory:// lives only inside this process and would be lost when fastscan "
            "exits; give a path or a shared URL (file://, s3://...)"
        )
    name = (
        "--costs"
        if costs is not None or demo
        else f"--costs-file {costs_file!r}"
        if costs_file is not None
        else f"--family {family}"
    )
    plan = Plan.build(
        profiles,
        grids.parse_grid(alpha, "--alpha"),
        grids.parse_grid(sigma, "--sigma"),
        sets,
        name=name,
    )
    store = Store(out, _storage_options(storage_option))
    client = connect(scheduler) if scheduler else None
    mode = "resume" if resume else "overwrite" if overwrite else "new"
    resume_cmd = resume_command(shlex.join(["fastscan", *sys.argv[1:]]))
    say = (lambda *a: None) if quiet else (lambda msg: click.echo(msg, err=True))
    try:
        plan, status = prepare(plan, store, mode)
        total = plan.n_chunks
        if status is not None and status.complete:
            say(f"{out}: complete ({total} of {total} chunks), nothing to do")
        else:
            _print_plan(plan, say, status, client, yes)
            _run(plan, store, mode, client, quiet, out, status)
    except KeyboardInterrupt:
        stored = store.exists() and store.is_cube()
        finished = len(store.marked()) if stored else 0
        click.echo(
            f"\nfastscan: interrupted; {finished} of {plan.n_chunks} chunks are "
            f"safely stored. Continue with: {resume_cmd}"
            if stored
            else "\nfastscan: interrupted before the cube was created; nothing was written",
            err=True,
        )
        sys.exit(130)
    finally:
        if client is not None:
            client.close()
    if demo:
        _demo_summary(store)


def _print_plan(plan, say, status, client, yes) -> None:
    from fastscan.engine import warm_up
    from fastscan.plan import estimate

    done = len(status.done) if status is not None else 0
    chunks, blocks = plan.n_chunks, plan.n_blocks
    say(
        f"plan: {len(plan.profiles)} profiles x {plan.alpha.size} alpha x {plan.sigma.size} "
        f"sigma = {plan.cells:,} cells; {plan.evaluations:,} coalition evaluations "
        f"(sets={plan.sets})"
    )
    block_note = f" in {blocks} blocks" if blocks > chunks else ""
    say(
        f"      {chunks:,} chunks of {' x '.join(map(str, plan.chunks))}{block_note}"
        f"{f', {done} already done' if done else ''}; output up to {_human(plan.nbytes())}"
    )
    if status is not None and (status.damaged or status.inputs):
        say(f"      the store had {status.summary()}")
    if plan.nbytes() > SIZE_LIMIT and not yes:
        raise ValueError(
            f"the cube would take up to {_human(plan.nbytes())} (limit "
            f"{_human(SIZE_LIMIT)}); add --yes to run it"
        )
    warm_up(plan.sets, notify=say, split=blocks > chunks)
    workers = (sum(client.nthreads().values()) if client is not None else os.cpu_count()) or 1
    eta = estimate(plan, workers, 1 - done / max(chunks, 1))
    say(
        f"      estimated {_seconds(eta)} on {workers} {'threads' if client is None else 'workers'}"
    )


def _seconds(t: float) -> str:
    if t < 1:
        return "under a second"
    if t < 120:
        return f"{t:.0f} s"
    if t < 7200:
        return f"{t / 60:.0f} min"
    return f"{t / 3600:.1f} h"


def _run(plan, store, mode, client, quiet, out, status) -> None:
    from fastscan.progress import Progress
    from fastscan.runner import run_to_store, todo

    split = plan.n_blocks > plan.n_chunks
    start = time.monotonic()
    progress = Progress(
        todo(plan, store, status), unit="blocks" if split else "chunks", quiet=quiet
    )
    command = shlex.join(["fastscan", *sys.argv[1:]])
    with progress:
        run_to_store(
            plan,
            store,
            mode,
            client=client,
            progress=progress,
            status=status,
            provenance={"command": command},
        )
    if not quiet:
        click.echo(
            f"done: {plan.n_chunks} chunks in {time.monotonic() - start:.1f} s -> {out}",
            err=True,
        )


def _demo_summary(store) -> None:
    from fastscan.demo import summary

    click.echo(summary(store.open_dataset(), store.url))


@main.command()
@click.argument("store")
@click.option("--verify", is_flag=True, help="read and decode every chunk of every array")
@click.option("--storage-option", multiple=True, help="KEY=VALUE passed to fsspec (repeatable)")
def info(store, verify, storage_option) -> None:
    """Dimensions, variables, provenance and completeness of a stored cube."""
    from fastscan.store import Store, describe

    text, whole = describe(Store(store, _storage_options(storage_option)), verify=verify)
    click.echo(text)
    if verify and not whole:
        sys.exit(1)


INCOMPLETE_HELP = "read an unfinished or damaged cube: cells not computed yet are missing (NaN)"
SEL_HELP = "DIM=VALUE (nearest for floats), DIM=#INDEX, or a profile parameter like seed=3"


@main.command()
@click.argument("store")
@click.option("--var", "var", required=True, help="variable (or 'exists': stable_count > 0)")
@click.option("--sel", multiple=True, help=SEL_HELP)
@click.option(
    "--reduce", "reductions", multiple=True, help="OP:DIM, OP in mean min max sum any all"
)
@click.option(
    "--format",
    "fmt",
    default="table",
    show_default=True,
    type=click.Choice(["table", "csv", "json"]),
)
@click.option("--allow-incomplete", is_flag=True, help=INCOMPLETE_HELP)
@click.option("--storage-option", multiple=True, help="KEY=VALUE passed to fsspec (repeatable)")
def query(store, var, sel, reductions, fmt, allow_incomplete, storage_option) -> None:
    """Print a selection of a cube (streamed), optionally reduced."""
    from fastscan import query as q

    ds = q.open_cube(store, _storage_options(storage_option), allow_incomplete)
    da, fixed = q.select(ds, q.variable(ds, var), list(sel))
    da, _ = q.reduce(da, list(reductions))
    if fixed:
        click.echo(f"# selected {', '.join(fixed)}", err=True)
    with q.reading(store):
        if fmt == "json":
            click.echo(q.to_json(da))
            return
        head = q.header(da)
        if fmt == "csv":
            click.echo(",".join(head))
            for row in q.rows(da):
                click.echo(",".join(row))
            return
        width = max(12, *(len(h) + 2 for h in head))
        click.echo("".join(h.rjust(width) for h in head))
        for row in q.rows(da):
            click.echo("".join(v.rjust(width) for v in row))


@main.command()
@click.option("--costs", required=True, help="comma list of costs")
@click.option("--alpha", required=True, type=float)
@click.option("--sigma", required=True, type=float)
@click.option(
    "--notion", default="both", show_default=True, type=click.Choice(["nash", "robust", "both"])
)
@click.option("--sets", default="all", show_default=True, type=click.Choice(["all", "downward"]))
def coalitions(costs, alpha, sigma, notion, sets) -> None:
    """The stable coalitions at one point, the table of the proof of Lemmas 3/4, k* and PoS."""
    from fastscan.kernels._numba import announce

    import fastscan
    from fastscan import grids, validate
    from fastscan.coalitions import point_summary

    costs = validate.check_profile(grids.from_text(costs).costs[0], sets, "--costs")
    notions = ("nash", "robust") if notion == "both" else (notion,)
    with announce(f"coalitions-{sets}", _stderr):
        summary = point_summary(costs, alpha, sigma, sets=sets)
        fastscan.stable_coalitions(costs, alpha, sigma, notion=notions[0], sets=sets)
        fastscan.describe_coalition(costs, alpha, sigma, (0, 1))
    for nu in notions:
        found = fastscan.stable_coalitions(costs, alpha, sigma, notion=nu, sets=sets)
        click.echo(
            f"{nu}: {len(found)} stable coalition{'s' if len(found) != 1 else ''} at "
            f"alpha={alpha:g}, sigma={sigma:g}"
        )
        for c in found:
            click.echo(fastscan.describe_coalition(costs, alpha, sigma, c).table())
            click.echo("")
        click.echo(summary.lines(nu) + "\n")
    click.echo(summary.central())


@main.command()
@click.option("--costs", required=True, help="comma list of costs")
@click.option("--alpha", required=True, type=float)
@click.option(
    "--notion", default="both", show_default=True, type=click.Choice(["nash", "robust", "both"])
)
@click.option("--sets", default="all", show_default=True, type=click.Choice(["all", "downward"]))
@click.option(
    "--format", "fmt", default="table", show_default=True, type=click.Choice(["table", "json"])
)
def intervals(costs, alpha, notion, sets, fmt) -> None:
    """Exact sigma ranges [low, high) on which equilibria exist, and which coalitions are stable."""
    import json

    from fastscan.kernels._numba import announce

    from fastscan import grids, validate
    from fastscan.intervals import equilibrium_ranges

    costs = validate.check_profile(grids.from_text(costs).costs[0], sets, "--costs")
    ranges = []
    with announce(f"intervals-{sets}", _stderr):
        for nu in ("nash", "robust") if notion == "both" else (notion,):
            ranges += equilibrium_ranges(costs, alpha, notion=nu, sets=sets)
    if fmt == "json":
        click.echo(json.dumps([r.to_dict() for r in ranges], indent=1))
        return
    for r in ranges:
        hi = "inf" if r.high is None else f"{r.high:.10g}"
        listed = "; ".join(",".join(map(str, c)) for c in r.coalitions[:6])
        more = f" (+{len(r.coalitions) - 6} more)" if len(r.coalitions) > 6 else ""
        click.echo(
            f"{r.notion:7} [{r.low:.10g}, {hi}) max size {r.max_size:2d}  "
            f"{listed or 'no equilibrium'}{more}"
        )


@main.command()
@click.argument("store")
@click.option("--var", "var", required=True, help="variable (or 'exists')")
@click.option("--x", "x", required=True, help="dimension along the x axis")
@click.option("--y", "y", help="second dimension: a heatmap (phase diagram)")
@click.option("--sel", multiple=True, help=SEL_HELP)
@click.option(
    "--reduce", "reductions", multiple=True, help="OP:DIM, OP in mean min max sum any all"
)
@click.option("--out", required=True, help="image file: .png, .svg or .pdf")
@click.option("--allow-incomplete", is_flag=True, help=INCOMPLETE_HELP)
@click.option("--storage-option", multiple=True, help="KEY=VALUE passed to fsspec (repeatable)")
def plot(store, var, x, y, sel, reductions, out, allow_incomplete, storage_option) -> None:
    """A phase diagram (--x and --y) or Fig. 1-style lines (--x; Nash left, robust right)."""
    import os

    from fastscan import plotting
    from fastscan import query as q

    folder = os.path.dirname(os.path.abspath(out))
    if not os.path.isdir(folder):
        raise ValueError(f"--out {out!r}: folder {folder!r} does not exist")
    if not os.access(folder, os.W_OK):
        raise ValueError(f"--out {out!r}: folder {folder!r} is not writable")
    ds = q.open_cube(store, _storage_options(storage_option), allow_incomplete)
    with q.reading(store):
        plotting.plot_cube(ds, var, x, y, sel, reductions, out)
    click.echo(out)


if __name__ == "__main__":
    main()
