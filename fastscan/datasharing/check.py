"""``fastscan check``: run the statements of :mod:`.claims` over random instances or over cells
of a cube (100 evenly spread unless ``--profiles`` asks for more), one line per statement, and
the exit status (1 when a statement that should hold fails)."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace

import numpy as np

from ..progress import Progress
from .claims import (
    BY_NAME,
    STATEMENTS,
    Instance,
    Statement,
    general,
    identical,
    near_claim2,
)
from .privacy import Scaling

# statements that do not use the power form, with what they rest on for any f > 0
# (docs/paper-notes.md, "What --privacy changes"): run under every --privacy model
ANY_F = ("claim1", "claim5", "claim6", "claim8", "lemma6", "thm2")
SKIPPED = "they are statements about f(k) = k^alpha (closed forms or bounds in alpha)"


@dataclass(frozen=True)
class Verdict:
    """What one statement came to: the instances tried and the simplest counterexample."""

    statement: Statement
    tried: int
    found: tuple[Instance, str] | None  # (instance, why) of the smallest key

    @property
    def ok(self) -> bool:
        """Not fatal: holds as it should, an erratum that fails, or an existence statement."""
        s = self.statement
        return s.exists or not s.holds or self.found is None

    def line(self) -> str:
        s = self.statement
        head = f"{s.name:18} {s.source}: {s.text}"
        if s.exists:
            if self.found is None:
                return f"NOT FOUND {head} (no witness in {self.tried} instances; not fatal)"
            inst, why = self.found
            # the witness is a pair of sigma ranges, not the sampled sigma: show the ranges
            return (
                f"PASS {head}\n     witness: {inst.text(sigma=False)}: {why}\n"
                f"     show: {inst.ranges_command()}"
            )
        if self.found is None:
            note = " (expected to fail: none found)" if not s.holds else ""
            return f"PASS {head} ({self.tried} instances){note}"
        inst, why = self.found
        expected = " (expected: an erratum, not fatal)" if not s.holds else ""
        return (
            f"FAIL {head}{expected}\n     smallest counterexample: {inst.text()}: {why}\n"
            f"     show: {inst.command()}"
        )


def select(claims: str, arg: Callable[[str], str] = str) -> list[Statement]:
    """``all`` or a comma list of statement names."""
    if claims.strip() == "all":
        return list(STATEMENTS)
    names = [c.strip() for c in claims.split(",") if c.strip()]
    unknown = [c for c in names if c not in BY_NAME]
    if unknown or not names:
        raise ValueError(
            f"{arg('claims')} must be 'all' or names from {', '.join(BY_NAME)} (got {claims!r})"
        )
    return [BY_NAME[c] for c in names]


def random_instances(
    statement: Statement,
    count: int,
    n_low: int,
    n_high: int,
    seed: int,
    models: Callable | None = None,
) -> Iterator[Instance]:
    """The statement's fixed instances, then ``count`` from its sampler (one stream per
    statement, so adding a statement does not change another's instances); ``models(rng)``
    draws another privacy model for each (then sigma is drawn across its thresholds)."""
    from .claims import _sigma_near_thresholds

    if models is None:
        for costs, alpha, sigma in statement.fixed:
            yield Instance(np.asarray(costs, dtype=float), float(alpha), float(sigma))
    rng = np.random.default_rng([seed, sum(map(ord, statement.name))])
    for _ in range(count):
        inst = statement.sampler(rng, n_low, n_high)
        if models is not None:
            scaling = models(rng)
            sigma = _sigma_near_thresholds(inst.costs, scaling, rng)
            inst = Instance(inst.costs, 0.0, sigma, scaling)
        yield inst


def model_sampler(
    privacy: str, p: str | None, f_file: str | None, n_high: int, arg=str
) -> tuple[Callable, str, bool]:
    """``(models(rng), what, claim1_holds)`` for ``check --privacy``: leakage draws p from
    ``--p`` (or log-uniform in [1e-3, 0.9]), a table one of ``--f-file``'s columns; Claim 1
    holds for every profile iff k^2 f(k) is nondecreasing (paper-notes), so for a table that
    breaks it Claim 1 is expected to fail."""
    from ..grids import parse_grid
    from ..kernels import elementary
    from . import privacy as pm

    if privacy == "leakage":
        grid = None if p is None else pm.leakage(parse_grid(p, arg("p")), arg).values

        def leak(rng) -> Scaling:
            if grid is not None:
                return Scaling("leakage", p=float(grid[rng.integers(grid.size)]))
            top = elementary.log(0.9) / elementary.log(10.0)  # log10 0.9, the same on every CPU
            u = float(elementary.uniform(rng, -3.0, top, 1)[0])
            return Scaling("leakage", p=float(elementary.pow(10.0, u)))

        where = "p from " + (p if p is not None else "10^U(-3, log10 0.9)")
        return leak, f"f(k) = 1 - (1 - p)^(k - 1), {where}", True
    if privacy == "constant":
        return (lambda rng: Scaling("constant")), "f(k) = 1", True
    if f_file is None:
        raise ValueError(f"{arg('privacy')} table needs {arg('f_file')}")
    f, names = pm.read_f_file(f_file, arg)
    table = pm.table(f, names, n_high, arg)
    cols = [tuple(float(v) for v in row) for row in table.f]

    def pick(rng) -> Scaling:
        t = int(rng.integers(len(cols)))
        return Scaling("table", f=cols[t], name=names[t], file=f_file)

    k = np.arange(1, table.f.shape[1] + 1, dtype=float)
    grows = bool(np.all(np.diff((k * k * table.f)[:, 1:n_high]) >= 0))
    return pick, f"f tabulated in {f_file} ({', '.join(names)})", grows


def _qualifies(statement: Statement, inst: Instance) -> bool:
    """Whether a cube's cell is an instance of the statement's kind (identical costs...)."""
    if statement.sampler is identical:
        return bool(np.all(inst.costs == inst.costs[0]))
    if statement.sampler not in (general, near_claim2):  # well-separated costs
        c = np.sort(inst.costs)
        return bool(np.all(c[1:] >= 2.0 * c[:-1]))
    return True


def cube_instances(ds, limit: int | None) -> list[Instance]:
    """Every (profile, alpha, sigma) cell of a cube, or ``limit`` of them evenly spread."""
    cells = [
        (p, a, s)
        for p in range(ds.sizes["profile"])
        for a in range(ds.sizes["alpha"])
        for s in range(ds.sizes["sigma"])
    ]
    if limit is not None and limit < len(cells):
        cells = [cells[i] for i in np.linspace(0, len(cells) - 1, limit).round().astype(int)]
    costs = ds.costs.values
    n = ds.n_players.values
    alpha, sigma = ds.alpha.values, ds.sigma.values
    return [Instance(costs[p, : n[p]], float(alpha[a]), float(sigma[s])) for p, a, s in cells]


MAX_LISTED_N = 14  # statements that list every stable coalition: 2^n subsets
MAX_POINT_N = 24  # statements that read the cube's values at one point
POINT = ("thm", "posvar")


CUBE_CELLS = 100  # cells of a cube checked unless --profiles says otherwise
PROGRESS_EVERY = 5.0  # seconds between plain progress lines


class Checking(Progress):
    """Progress of a check in instances: a bar on a terminal; elsewhere a plain line every
    ``every`` seconds, none at all for a check that ends sooner (most do)."""

    def __init__(self, total: int, stream=None, every: float | None = None):
        every = PROGRESS_EVERY if every is None else every
        super().__init__(total, "instances", stream=stream, every=every)
        self._last = self._start  # the first plain line after ``every`` seconds, not at once
        self._said = False

    def advance(self, n: int = 1) -> None:
        if self._bar is not None or self.total == 0:
            super().advance(n)
            return
        self.done += n
        now = time.monotonic()
        if now - self._last >= self.every or (self._said and self.done >= self.total):
            self._last, self._said = now, True
            self.stream.write(self.line() + "\n")
            self.stream.flush()


def run(
    statements: list[Statement],
    instances: Callable[[Statement], Iterator[Instance]],
    progress: Progress | None = None,
    sizes: Callable[[Statement], int] | None = None,
) -> list[Verdict]:
    """Each statement over its instances; the counterexample of smallest key is kept.
    ``progress`` hears of every instance (``sizes``: how many each statement has)."""
    out = []
    for statement in statements:
        tried = 0
        found = None
        seen = 0
        for inst in instances(statement):
            seen += 1
            if progress is not None:
                progress.advance()
            if inst.n > (MAX_POINT_N if statement.name.startswith(POINT) else MAX_LISTED_N):
                continue  # beyond what listing coalitions (or scanning a point) does quickly
            tried += 1
            why = statement.test(inst)
            if why is not None and (found is None or inst.key() < found[0].key()):
                found = (inst, why)
                if statement.exists:
                    break  # one witness is enough
        if progress is not None and sizes is not None and sizes(statement) > seen:
            progress.advance(sizes(statement) - seen)  # those a witness made unnecessary
        out.append(Verdict(statement, tried, found))
    return out


def check(
    claims: str = "all",
    profiles: int | None = None,
    n: str = "2:10",
    seed: int = 0,
    cube: str | None = None,
    arg: Callable[[str], str] = str,
    stream=None,
    privacy: str = "power",
    p: str | None = None,
    f_file: str | None = None,
) -> tuple[str, int]:
    """``fastscan check``: the report and the exit status (0 when every statement that should
    hold holds). ``profiles``: random instances per statement, or the most cells of ``cube``
    checked (default 100 either way, evenly spread over the cube); ``stream``: where progress
    goes (stderr)."""
    statements = select(claims, arg)
    n_low, n_high = _players(n, arg)
    models, skipped = None, []
    if privacy != "power":
        if cube is not None:
            raise ValueError(
                f"{arg('cube')} checks a cube of the paper's model; {arg('privacy')} {privacy} "
                f"checks random instances"
            )
        models, described, claim1 = model_sampler(privacy, p, f_file, n_high, arg)
        skipped = [s.name for s in statements if s.name not in ANY_F]
        statements = [
            replace(
                s,
                holds=claim1,
                text=s.text + ("" if claim1 else " (expected to fail: k^2 f(k) drops)"),
            )
            if s.name == "claim1"
            else s
            for s in statements
            if s.name in ANY_F
        ]
        if not statements:
            raise ValueError(
                f"{arg('privacy')} {privacy}: none of these statements applies ({SKIPPED}); "
                f"those that do: {', '.join(ANY_F)}"
            )
    elif p is not None or f_file is not None:
        raise ValueError(
            f"{arg('p') if p is not None else arg('f_file')} needs {arg('privacy')} "
            f"{'leakage' if p is not None else 'table'}"
        )
    if profiles is not None and profiles < 1:
        raise ValueError(f"{arg('profiles')} must be >= 1 (got {profiles})")
    if seed < 0:
        raise ValueError(f"{arg('seed')} must be >= 0 (got {seed})")
    if cube is None:
        count = 100 if profiles is None else profiles

        def instances(s: Statement) -> Iterator[Instance]:
            return random_instances(s, count, n_low, n_high, seed, models)

        def size(s: Statement) -> int:
            return (0 if models else len(s.fixed)) + count

        what = f"{count} random instances per statement, n in {n_low}..{n_high}, seed {seed}"
        if models is not None:
            what += f"; privacy {privacy}: {described}"
    else:
        from ..cube import open_cube

        ds = open_cube(cube, None, False, "CUBE", arg("allow_incomplete"))
        if ds.attrs.get("game", "datasharing") != "datasharing":
            raise ValueError(f"{arg('cube')} {cube!r} is not a data-sharing cube")
        whole = ds.sizes["profile"] * ds.sizes["alpha"] * ds.sizes["sigma"]
        # all 80,400 cells of a default scan take over 15 minutes: a sample unless asked
        cells = cube_instances(ds, CUBE_CELLS if profiles is None else profiles)
        qualifying = {s.name: [c for c in cells if _qualifies(s, c)] for s in statements}

        def instances(s: Statement) -> Iterator[Instance]:
            return iter(qualifying[s.name])

        def size(s: Statement) -> int:
            return len(qualifying[s.name])

        if len(cells) < whole:
            what = (
                f"{len(cells)} of the {whole} cells of {cube}, evenly spread "
                f"({arg('profiles')} N for more)"
            )
        else:
            what = f"all {whole} cells of {cube}"
    with Checking(sum(map(size, statements)), stream) as progress:
        verdicts = run(statements, instances, progress, size)
    failed = [v for v in verdicts if not v.ok]
    lines = [f"fastscan check: {len(statements)} statements over {what}", ""]
    lines += [v.line() for v in verdicts]
    if skipped:
        lines += ["", f"skipped under {privacy}: {', '.join(skipped)} ({SKIPPED})"]
    lines += [
        "",
        f"{len(failed)} statement{'s' if len(failed) != 1 else ''} that should hold failed"
        if failed
        else "every statement that should hold holds",
    ]
    return "\n".join(lines), 1 if failed else 0


def _players(text: str, arg) -> tuple[int, int]:
    try:
        low, _, high = text.partition(":")
        lo, hi = int(low), int(high or low)
    except ValueError:
        raise ValueError(f"{arg('n')} must be N or LOW:HIGH (got {text!r})") from None
    if not 2 <= lo <= hi <= 16:
        raise ValueError(f"{arg('n')} must lie in 2..16 with LOW <= HIGH (got {text!r})")
    return lo, hi
