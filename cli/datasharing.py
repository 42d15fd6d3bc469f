"""The data-sharing game's commands: ``scan``, ``coalitions``, ``intervals`` (each parses, calls
one function of :mod:`fastscan.datasharing.commands` and prints what it returns)."""

from __future__ import annotations

import click

from . import options as opt

COALITION_LIMIT = 20  # as fastscan.datasharing.commands (not imported: --help stays fast)

NOTIONS = click.Choice(["nash", "robust", "designer", "both", "all"])
NOTION_HELP = "both: nash and robust; all: nash, robust and designer (Lemma 1's epsilon)"
SETS = click.Choice(["all", "downward"])
FAMILIES = click.Choice(["identical", "geometric", "linear", "uniform"])
PRIVACY = click.Choice(["power", "leakage", "constant", "table"])
PRIVACY_HELP = (
    "privacy cost scaling f(|S|): power k^alpha (--alpha), leakage 1-(1-p)^(k-1) (--p), "
    "constant 1, table (--f-file)"
)
F_FILE_HELP = "f(k) for k = 1..K: CSV with a header of model names, or .npy"


def privacy_options(grid: bool):
    """--privacy, --p, --f-file (and --model for one point)."""

    def wrap(f):
        f = click.option("--f-file", type=click.Path(), help=F_FILE_HELP)(f)
        if grid:
            f = click.option("--p", "p", help="leakage: number, list or START:STOP:NUM in (0, 1)")(
                f
            )
        else:
            f = click.option("--model", help="the --f-file column to use (when it has several)")(f)
            f = click.option("--p", "p", type=float, help="leakage probability in (0, 1)")(f)
        return click.option(
            "--privacy", default="power", show_default=True, type=PRIVACY, help=PRIVACY_HELP
        )(f)

    return wrap


def profile_options(f):
    """--costs, --costs-file, --family and the families' parameters (grids): the profiles of
    a scan, for every game over cost profiles."""
    options = [
        click.option("--costs", help="one profile: comma list of costs"),
        click.option("--costs-file", type=click.Path(), help="CSV or .npy, one profile per row"),
        click.option(
            "--family", type=FAMILIES, help="a family of profiles over grids of its parameters"
        ),
        click.option("--n", "n", help="family: players (grid)"),
        click.option("--cost", help="family: cost (grid)"),
        click.option("--ratio", help="family geometric: ratio of consecutive costs (grid)"),
        click.option("--low", help="family linear/uniform: lowest cost (grid)"),
        click.option("--high", help="family linear/uniform: highest cost (grid)"),
        click.option("--seed", help="family uniform: random seeds (grid)"),
    ]
    for option in reversed(options):
        f = option(f)
    return f


@click.command()
@profile_options
@click.option(
    "--alpha", help="number, list or START:STOP:NUM [default: -1:1:201 with --privacy power]"
)
@privacy_options(grid=True)
@click.option(
    "--sigma", default="0.05:1:400", show_default=True, help="number, list or START:STOP:NUM"
)
@click.option("--sets", default="all", show_default=True, type=SETS)
@click.option(
    "--notion",
    default="nash,robust",
    show_default=True,
    help="the notion dim: comma list of nash, robust, designer (Lemma 1's epsilon announced)",
)
@click.option(
    "--worst", is_flag=True, help="also the worst equilibrium and the Price of Anarchy (slower)"
)
@click.option("--out", help="Zarr store: path or fsspec URL (file://, memory://, s3://...)")
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
    sets,
    notion,
    worst,
    out,
    storage_option,
    quiet,
    **rest,
) -> None:
    """Scan profiles x alpha x sigma into a resumable Zarr cube (no profile: the demo)."""
    from fastscan.datasharing import commands
    from fastscan.grids import flag

    params = {k: rest.pop(k) for k in commands.FAMILY_PARAMS}
    closing, summary = commands.scan(
        costs=costs,
        costs_file=costs_file,
        family=family,
        params=params,
        alpha=alpha,
        privacy=privacy,
        p=p,
        f_file=f_file,
        sigma=sigma,
        sets=sets,
        notion=notion,
        worst=worst,
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
    if summary:
        click.echo(summary)


@click.command()
@click.option("--costs", required=True, help="comma list of costs")
@click.option("--alpha", type=float, help="required with --privacy power")
@privacy_options(grid=False)
@click.option("--sigma", required=True, type=float)
@click.option("--notion", default="both", show_default=True, type=NOTIONS, help=NOTION_HELP)
@click.option("--sets", default="all", show_default=True, type=SETS)
@click.option(
    "--limit",
    default=COALITION_LIMIT,
    show_default=True,
    type=click.IntRange(min=0),
    help="describe at most this many stable coalitions per notion (0: all); the count is exact",
)
@opt.kernels
def coalitions(costs, alpha, privacy, p, f_file, model, sigma, notion, sets, limit) -> None:
    """The stable coalitions at one point, the table of the proof of Lemmas 3/4, k* and PoS."""
    from fastscan.datasharing import commands
    from fastscan.grids import flag

    chosen = commands.point_model(privacy, p, f_file, model, flag)
    click.echo(
        commands.coalitions(
            costs, alpha, sigma, notion, sets, opt.echo_err, flag, limit=limit, model=chosen
        )
    )


@click.command()
@click.option("--costs", required=True, help="comma list of costs")
@click.option("--alpha", type=float, help="required with --privacy power")
@privacy_options(grid=False)
@click.option("--notion", default="both", show_default=True, type=NOTIONS, help=NOTION_HELP)
@click.option("--sets", default="all", show_default=True, type=SETS)
@click.option(
    "--format", "fmt", default="table", show_default=True, type=click.Choice(["table", "json"])
)
@click.option(
    "--plot", help="also draw the largest equilibrium against sigma, exact steps (.png/.svg/.pdf)"
)
@opt.kernels
def intervals(costs, alpha, privacy, p, f_file, model, notion, sets, fmt, plot) -> None:
    """Exact sigma ranges [low, high) on which equilibria exist, and which coalitions are stable."""
    from fastscan.datasharing import commands
    from fastscan.grids import flag

    chosen = commands.point_model(privacy, p, f_file, model, flag)
    text = commands.intervals(
        costs, alpha, notion, sets, fmt, opt.echo_err, flag, plot=plot, model=chosen
    )
    if text:
        click.echo(text)


@click.command()
@click.option(
    "--claims", default="all", show_default=True, help="all, or a comma list of statement names"
)
@click.option(
    "--profiles",
    type=int,
    help="random instances per statement [default: 100]; with --cube: at most this many cells, "
    "evenly spread [default: 100]",
)
@click.option("--n", "n", default="2:10", show_default=True, help="players: N or LOW:HIGH")
@click.option("--seed", default=0, show_default=True, type=int)
@click.option(
    "--cube", help="check cells of this cube (see --profiles) instead of random instances"
)
@click.option(
    "--privacy",
    default="power",
    show_default=True,
    type=PRIVACY,
    help="another f(|S|): run the statements that hold for any f (claim1, 5, 6, 8, lemma6, thm2)",
)
@click.option("--p", "p", help="leakage: p values to draw from [default: 10^U(-3, log10 0.9)]")
@click.option("--f-file", type=click.Path(), help=F_FILE_HELP + " (each instance draws a column)")
@opt.kernels
def check(claims, profiles, n, seed, cube, privacy, p, f_file) -> None:
    """The paper's statements as properties: PASS, or FAIL with the smallest counterexample and
    the command that shows it. Exit 1 when a statement that should hold fails. Long checks
    show their progress on stderr."""
    from fastscan.datasharing.check import check as run_check
    from fastscan.grids import flag

    text, status = run_check(
        claims, profiles, n, seed, cube, flag, privacy=privacy, p=p, f_file=f_file
    )
    click.echo(text)
    if status:
        raise SystemExit(status)


COMMANDS = [scan, coalitions, intervals, check]
