"""What a data-sharing scan computes: profiles x alpha x sigma (x notion, player), its chunk and
block policy (in this one place), its coordinates, inputs and the configuration a resume compares.
No compute here: :mod:`.compute` evaluates a plan's chunks and blocks.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass, replace
from typing import NamedTuple

import numpy as np

from ..plan import Chunk, Plan
from . import validate
from .privacy import DESCRIPTIONS, Model, check_players, power
from .profiles import ProfileSet
from .variables import DEFAULT_NOTIONS, DOWNWARD_BOUNDS, WORST_VARIABLES

NAME = "datasharing"
DIMS = ("profile", "alpha", "sigma")  # the chunked dims of a power scan, in the cube's order
MAX_CELLS = 2**18  # (profile, alpha, sigma) cells per chunk: ~40 MB of output
TARGET_WORK = 2**24  # coalition evaluations per chunk or block: a fraction of a second
SIGMA_CHUNK = 4096
# past this many players a profile splits into blocks: disjoint tasks that threads share without
# enumerating anything twice (2 cores, n = 22: 1.5-1.7x over 1 thread, 1.25x with alpha chunks);
# 2^MAX_FIXED blocks at most per profile on this machine's threads, up to 2^MAX_SPLIT on a cluster
# (:func:`fit`): a block keeps >= 2^BLOCK_FROM coalitions, so its work stays large
BLOCK_FROM = 20
MAX_FIXED = 6
MAX_SPLIT = 20
# tasks per worker a cluster scan asks for: blocks of a profile differ in work (filters prune
# some more), so a few per worker even out the last wave; many more would only add scheduler
# load (~0.2-1 ms per task) and stored block parts (docs/performance.md, Clusters)
TASKS_PER_WORKER = 4


def coalitions(n: int, sets: str) -> int:
    """Coalitions of size >= 2 that ``sets`` evaluates for ``n`` players."""
    return 2**n - n - 1 if sets == "all" else n - 1


class Split(NamedTuple):
    """The block policy: profiles of more than ``block_from`` players split by their cheapest
    players' membership into at most ``2^max_fixed`` blocks (sets="all" only): ``n -
    block_from`` players, at most ``max_fixed``. A cube's config records ``players(n_max)``,
    which gives back ``max_fixed`` for every profile (:meth:`pinned`)."""

    block_from: int = BLOCK_FROM
    max_fixed: int = MAX_FIXED

    def players(self, n: int, sets: str) -> int:
        """How many cheapest players split a profile of ``n`` players into ``2^k`` blocks."""
        if sets != "all" or n <= self.block_from:
            return 0
        return min(n - self.block_from, self.max_fixed)

    def pinned(self, players: int) -> Split:
        """The split a cube recorded as ``players`` (of its largest profile): min(n -
        block_from, players) is this policy's players for every n up to the largest."""
        return self._replace(max_fixed=int(players))


SPLIT = Split()  # the policy every scan uses unless told otherwise


@dataclass(frozen=True)
class Scan:
    """The data-sharing game's :class:`~fastscan.plan.Spec`: profiles, the privacy model's
    values (alpha, p or named tables: :mod:`.privacy`), sigma, sets."""

    profiles: ProfileSet
    privacy: Model
    sigma: np.ndarray
    sets: str
    split: Split = SPLIT
    notions: tuple[str, ...] = DEFAULT_NOTIONS
    worst: bool = False
    auto: bool = False  # chunks and split are the policy's (not given): :func:`fit` may change

    # --- shape of the work ---------------------------------------------------------------------
    def sizes(self) -> dict[str, int]:
        return {
            "profile": len(self.profiles),
            **({self.privacy.dim: self.privacy.size} if self.privacy.dim else {}),
            "sigma": self.sigma.size,
            "notion": len(self.notions),
            "player": self.profiles.width,
        }

    @property
    def cells(self) -> int:
        return len(self.profiles) * self.privacy.size * self.sigma.size

    @property
    def evaluations(self) -> int:
        """Evaluated (profile, alpha, sigma, coalition) cells."""
        n, count = np.unique(self.profiles.n_players, return_counts=True)
        per = sum(coalitions(int(k), self.sets) * int(c) for k, c in zip(n, count, strict=True))
        return per * self.privacy.size * self.sigma.size

    def blocks(self, chunk: Chunk) -> int:
        """Blocks of the chunk's (single) profile; 1 when it is not split."""
        n = self.profiles.n_players[chunk["profile"]]
        return 2 ** self.split.players(int(n.max()), self.sets) if n.size == 1 else 1

    def n_blocks(self, plan: Plan) -> int:
        most = 2 ** self.split.players(int(self.profiles.n_players.max()), self.sets)
        if most == 1 or plan.chunks[0] != 1:
            return plan.n_chunks
        n, counts = np.unique(self.profiles.n_players, return_counts=True)
        per = np.array([1 << self.split.players(int(k), self.sets) for k in n])  # 2^players
        return int(np.sum(per * counts)) * (plan.n_chunks // len(self.profiles))

    def fit(self, plan: Plan, workers: int) -> Plan:
        """``plan`` for ``workers`` (a cluster's threads): :func:`fit`."""
        return fit(plan, workers)

    def adopt(self, config: dict) -> Scan:
        """This scan with the split a cube's ``config`` recorded: a resume merges blocks of the
        split they were made with, whatever the workers now (every split gives the same bits)."""
        if "split_players" not in config:
            return self
        return replace(self, split=self.split.pinned(config["split_players"]), auto=False)

    # --- the cube ------------------------------------------------------------------------------
    def coords(self) -> dict[str, np.ndarray]:
        return {
            "profile": np.arange(len(self.profiles)),
            **({self.privacy.dim: self.privacy.coord()} if self.privacy.dim else {}),
            "sigma": self.sigma,
            "notion": np.array(self.notions, dtype=object),
            "player": np.arange(self.profiles.width),
        }

    def labels(self) -> dict[str, np.ndarray]:
        return dict(self.profiles.coords)

    def inputs(self) -> dict[str, np.ndarray]:
        return {"costs": self.profiles.costs, "n_players": self.profiles.n_players}

    def attrs(self) -> dict:
        return {"sets": self.sets}

    def omits(self) -> tuple[str, ...]:
        """Variables this scan does not write: the worst equilibrium unless asked for."""
        return () if self.worst else WORST_VARIABLES

    @property
    def dims(self) -> tuple[str, ...]:
        """The chunked dims: profile, the model's dim (none for the constant model), sigma."""
        if self.privacy.dim is None:
            return ("profile", "sigma")
        return ("profile", self.privacy.dim, "sigma")

    def models(self, chunk: Chunk | None = None, plan: Plan | None = None):
        """The kernels' privacy record of a chunk's model values (``chunk``), of a first chunk
        (``plan``: for timing a piece), or of all of them."""
        where = slice(None)
        if self.privacy.dim is not None:
            if chunk is not None:
                where = chunk[self.privacy.dim]
            elif plan is not None:
                where = slice(0, plan.chunks[plan.dims.index(self.privacy.dim)])
        return self.privacy.kernel(where)

    def annotate(self, registry):
        """The registry as this scan's cube describes it: the model's dim in place of alpha,
        and over downward-closed sets, which variables are bounds and which way."""
        if self.privacy.dim is None:
            registry = registry.renamed("alpha", None)
        elif self.privacy.dim != "alpha":
            registry = registry.renamed("alpha", self.privacy.dim, DESCRIPTIONS[self.privacy.dim])
        return registry.bounded(DOWNWARD_BOUNDS) if self.sets == "downward" else registry

    def config(self) -> dict:
        """Everything that determines the cube's values (compared on resume, ``profiles``
        excepted: how they were given is provenance, their costs are compared by content)."""
        return {
            **profiles_config(self.profiles),
            **self.privacy.config(),
            "sigma": self.sigma.tolist(),
            "sets": self.sets,
            # how huge profiles split into blocks: a resume must merge blocks of the same split
            "split_players": self.split.players(int(self.profiles.n_players.max()), self.sets),
            # only when asked for: cubes made before the designer notion and worst tables resume
            **({"notions": list(self.notions)} if self.notions != DEFAULT_NOTIONS else {}),
            **({"worst": True} if self.worst else {}),
        }


def profiles_config(profiles: ProfileSet) -> dict:
    """How a scan's profiles enter its config: as given (provenance), and by content (the
    costs' and labels' hashes, their number), which a resume compares."""
    digest = hashlib.sha256(np.ascontiguousarray(profiles.costs).tobytes()).hexdigest()
    coords = hashlib.sha256()
    for name, values in sorted(profiles.coords.items()):
        coords.update(name.encode() + np.ascontiguousarray(values).tobytes())
    return {
        "profiles": profiles.spec,
        "costs_sha256": digest,
        "coords_sha256": coords.hexdigest(),
        "n_profiles": len(profiles),
    }


def build(
    profiles: ProfileSet,
    alpha,
    sigma,
    sets: str = "all",
    chunks: tuple[int, int, int] | None = None,
    name: str = "costs",
    split: Split = SPLIT,
    notions=DEFAULT_NOTIONS,
    worst: bool = False,
    arg=str,
) -> Plan:
    """Validate everything (nothing is written before this passes) and choose chunks;
    ``alpha`` is the privacy model (a :class:`~.privacy.Model`) or the power law's alpha
    values, ``name`` names the profiles in errors, ``split`` is the block policy, ``notions``
    the stability notions of the cube's notion dim, ``worst`` adds the worst equilibrium."""
    validate.check_sets(sets)
    notions = validate.check_notions(notions, arg("notion"))
    if profiles.family is None:
        validate.check_profiles(profiles.costs, sets, name)
    else:  # its costs were checked from its parameters when it was made
        validate.check_players(profiles.width, sets, name)
    n_max = int(profiles.n_players.max())
    if isinstance(alpha, Model):
        model = alpha
        if model.kind == "power":
            model = power(model.values, n_max, arg)
        check_players(model, n_max, arg)
    else:
        model = power(alpha, n_max, arg)
    sigma = validate.check_sigma(sigma)
    auto = chunks is None and split == SPLIT  # the policy's own: a cluster may refine it
    spec = Scan(profiles, model, sigma, sets, split, notions, bool(worst), auto)
    if chunks is None:
        chunks = choose_chunks(profiles.n_players, model.size, sigma.size, sets, split)
        if model.dim is None:  # the constant model: no dim of its own
            chunks = (chunks[0], chunks[2])
    from .game import GAME  # the game object itself, held by the plan

    return Plan(GAME, spec.dims, tuple(int(c) for c in chunks), spec)


def choose_chunks(
    n_players: np.ndarray, n_alpha: int, n_sigma: int, sets: str, policy: Split = SPLIT
) -> tuple[int, int, int]:
    """Chunks of about TARGET_WORK evaluations, whole profiles of more than BLOCK_FROM players
    alone in their chunk (they split into blocks)."""
    sc = min(n_sigma, SIGMA_CHUNK)
    n_max = int(n_players.max())
    split = policy.players(n_max, sets)
    # one profile, one more alpha: the kernels enumerate coalitions once for many alphas, so an
    # extra alpha costs about a quarter of an enumeration (measured), plus the sigma tables
    per_alpha = coalitions(n_max, sets) / 2**split / (4 if sets == "all" else 1) + 8 * sc
    ac = int(np.clip(TARGET_WORK // per_alpha, 1, n_alpha))
    ac = max(1, min(ac, MAX_CELLS // sc))
    ac = math.ceil(n_alpha / math.ceil(n_alpha / ac))  # equal chunks: 16 -> 8 + 8, not 15 + 1
    if split:
        return 1, ac, sc
    pc = int(np.clip(TARGET_WORK // (per_alpha * ac), 1, len(n_players)))
    pc = max(1, min(pc, MAX_CELLS // (sc * ac)))
    pc = math.ceil(len(n_players) / math.ceil(len(n_players) / pc))  # equal chunks
    return pc, ac, sc


def fit(plan: Plan, workers: int) -> Plan:
    """``plan`` for ``workers`` threads (in memory only; a resume takes the cube's split).

    Where a profile is split and the plan has fewer than ``TASKS_PER_WORKER`` tasks per worker,
    its alphas go into one chunk (the kernels enumerate the coalitions once for all of them: an
    extra alpha costs a quarter of an enumeration, a chunk of its own a whole one) and it splits
    by more of its cheapest players, up to ``2^MAX_SPLIT`` blocks, until there are enough.
    Chunks or a split given by the caller are kept; :func:`spread` may split alphas after.
    """
    scan = plan.spec
    want = TASKS_PER_WORKER * workers
    n_max = int(scan.profiles.n_players.max())
    top = min(MAX_SPLIT, n_max - scan.split.block_from)
    if not scan.auto or scan.sets != "all" or top <= scan.split.max_fixed:
        return plan
    if plan.n_blocks >= want:  # this machine's threads: 2^MAX_FIXED blocks are plenty
        return plan
    sc = plan.chunks[-1]
    ac = min(scan.privacy.size, max(1, MAX_CELLS // sc))
    chunks = (1, sc) if scan.privacy.dim is None else (1, ac, sc)
    for players in range(scan.split.max_fixed + 1, top + 1):
        spec = replace(scan, split=scan.split._replace(max_fixed=players))
        fitted = replace(plan, spec=spec).with_chunks(chunks)
        if fitted.n_blocks >= want:
            break
    return fitted


def spread(plan: Plan, workers: int) -> Plan:
    """Smaller alpha chunks when there are fewer tasks than workers (in memory only).

    Each alpha chunk enumerates the coalitions again, so it splits only until every worker has a
    task (a split profile's blocks count as tasks), and never below 4 alphas per chunk: measured
    on 2 cores, n = 20 and 24 with 16 alphas, one more split costs 20-40 % more than it saves.
    """
    if len(plan.chunks) == 2:  # no model dim to split
        return plan
    pc, ac, sc = plan.chunks
    while ac > 4 and plan.n_blocks < workers:
        ac = (ac + 1) // 2
        plan = plan.with_chunks((pc, ac, sc))
    return plan
