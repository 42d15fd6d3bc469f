"""What a partition scan computes: profiles x model values x sigma (x notion, player), its chunk
and block policy (in this one place), its coordinates, inputs and the configuration a resume
compares. No compute here: :mod:`.compute` evaluates a plan's chunks and blocks.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..datasharing import validate
from ..datasharing.plan import profiles_config
from ..datasharing.privacy import DESCRIPTIONS, Model, check_players, power
from ..datasharing.profiles import ProfileSet
from ..kernels.partitions.contracts import tables_bytes
from ..plan import Chunk, Plan
from .variables import DEFAULT_NOTIONS, NOTION_VALUES

NAME = "partitions"
DIMS = ("profile", "alpha", "sigma")
MAX_PLAYERS = 14  # nash, individual, contractual: Bell(14) = 1.9e8 partitions
MAX_CORE_PLAYERS = 11  # the core also tries every coalition against each partition
SIGMA_CHUNK = 1024
TABLE_BYTES = 2**26  # a task's range tables (segment trees per block count): 64 MiB at most
TARGET_WORK = 2**21  # partitions x model values per chunk or block
MAX_CELLS = 2**16  # (profile, value, sigma) cells per chunk: the partition strings are per player
BELL = (1, 1, 2, 5, 15, 52, 203, 877, 4140, 21147, 115975, 678570, 4213597, 27644437, 190899322)


def bell(n: int) -> int:
    """Partitions of ``n`` players."""
    return BELL[n]


def check_notions(notions: Any, name: str = "notions") -> tuple[str, ...]:
    """Distinct notions (a comma list or a sequence) in the kernels' order."""
    if isinstance(notions, str):
        notions = [x.strip() for x in notions.split(",")]
    given = list(notions)
    allowed = ", ".join(map(repr, NOTION_VALUES))
    if not given:
        raise ValueError(f"{name} must name at least one of {allowed}")
    for notion in given:
        if notion not in NOTION_VALUES:
            raise ValueError(f"{name} must be one of {allowed} (got {notion!r})")
    if len(set(given)) != len(given):
        raise ValueError(f"{name} names a notion twice (got {','.join(given)})")
    return tuple(nu for nu in NOTION_VALUES if nu in given)


def max_players(notions: tuple[str, ...]) -> int:
    """The largest profile the notions allow."""
    return MAX_CORE_PLAYERS if "core" in notions else MAX_PLAYERS


def check_players_for(n: int, notions: tuple[str, ...], name: str = "costs") -> int:
    """Refuse a profile too large to enumerate for ``notions``, naming the largest allowed."""
    most = max_players(notions)
    if n > most:
        why = "with core" if "core" in notions else "for nash, individual and contractual"
        raise ValueError(
            f"{name} has n={n} players but a partition scan enumerates all Bell(n) partitions "
            f"and accepts n <= {most} {why}"
        )
    return n


def split_players(n: int, notions: tuple[str, ...]) -> int:
    """How many first players' labels split a profile of ``n`` players into blocks (one block per
    restricted-growth prefix): none below 11 players (9 with the core)."""
    start = 9 if "core" in notions else 11
    return 0 if n < start else min(n - start + 2, 5)


@dataclass(frozen=True)
class Scan:
    """The partition game's :class:`~fastscan.plan.Spec`: profiles, the privacy model's
    values, sigma, notions."""

    profiles: ProfileSet
    privacy: Model
    sigma: np.ndarray
    notions: tuple[str, ...] = DEFAULT_NOTIONS

    def sizes(self) -> dict[str, int]:
        return {
            "profile": len(self.profiles),
            **({self.privacy.dim: self.privacy.size} if self.privacy.dim else {}),
            "sigma": self.sigma.size,
            "notion": len(self.notions),
            "player": self.profiles.width,
        }

    @property
    def dims(self) -> tuple[str, ...]:
        if self.privacy.dim is None:
            return ("profile", "sigma")
        return ("profile", self.privacy.dim, "sigma")

    @property
    def partitions(self) -> int:
        """Partitions of every profile together."""
        return sum(bell(int(n)) for n in self.profiles.n_players)

    def split(self, n: int) -> int:
        return split_players(n, self.notions)

    def blocks(self, chunk: Chunk) -> int:
        n = self.profiles.n_players[chunk["profile"]]
        return bell(self.split(int(n.max()))) if n.size == 1 else 1

    def n_blocks(self, plan: Plan) -> int:
        if plan.chunks[0] != 1:
            return plan.n_chunks
        per = sum(bell(self.split(int(n))) for n in self.profiles.n_players)
        return per * (plan.n_chunks // len(self.profiles))

    def models(self, chunk: Chunk | None = None):
        """The kernels' privacy record of a chunk's model values (all of them without one)."""
        where = slice(None)
        if self.privacy.dim is not None and chunk is not None:
            where = chunk[self.privacy.dim]
        return self.privacy.kernel(where)

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
        return {}

    def annotate(self, registry):
        """The model's dim in place of alpha (none for the constant model)."""
        if self.privacy.dim is None:
            return registry.renamed("alpha", None)
        if self.privacy.dim != "alpha":
            return registry.renamed("alpha", self.privacy.dim, DESCRIPTIONS[self.privacy.dim])
        return registry

    def config(self) -> dict:
        n_max = int(self.profiles.n_players.max())
        return {
            **profiles_config(self.profiles),
            **self.privacy.config(),
            "sigma": self.sigma.tolist(),
            "notions": list(self.notions),
            "split_players": self.split(n_max),  # a resume merges blocks of the same split
        }


def build(
    profiles: ProfileSet,
    alpha,
    sigma,
    notions=DEFAULT_NOTIONS,
    chunks: tuple[int, ...] | None = None,
    name: str = "costs",
    arg=str,
) -> Plan:
    """Validate everything (nothing is written before this passes) and choose chunks;
    ``alpha`` is a privacy :class:`~fastscan.datasharing.privacy.Model` or the power law's
    alpha values, ``name`` names the profiles in errors."""
    notions = check_notions(notions, arg("notion"))
    if profiles.family is None:
        validate.check_profiles(profiles.costs, "downward", name)
    n_max = int(profiles.n_players.max())
    if n_max < 2:
        raise ValueError(f"{name} must hold at least 2 players (got {n_max})")
    check_players_for(n_max, notions, name)
    if isinstance(alpha, Model):
        model = power(alpha.values, n_max, arg) if alpha.kind == "power" else alpha
        check_players(model, n_max, arg)
    else:
        model = power(alpha, n_max, arg)
    sigma = validate.check_sigma(sigma)
    spec = Scan(profiles, model, sigma, notions)
    if chunks is None:
        chunks = choose_chunks(spec)
    from .game import GAME

    return Plan(GAME, spec.dims, tuple(int(c) for c in chunks), spec)


def choose_chunks(spec: Scan) -> tuple[int, ...]:
    """Whole sigma grids up to SIGMA_CHUNK (a sigma chunk enumerates the partitions again),
    model values up to the range tables' budget, and as many profiles as make TARGET_WORK."""
    n_max = int(spec.profiles.n_players.max())
    n_t = spec.privacy.size
    sc = min(spec.sigma.size, SIGMA_CHUNK)
    per_value = tables_bytes(len(spec.notions), 1, n_max, sc)
    ac = int(np.clip(TABLE_BYTES // per_value, 1, n_t))
    ac = max(1, min(ac, MAX_CELLS // sc))
    ac = math.ceil(n_t / math.ceil(n_t / ac))  # equal chunks: 16 -> 8 + 8, not 15 + 1
    if spec.split(n_max):
        pc = 1
    else:
        work = bell(n_max) * ac
        pc = int(np.clip(TARGET_WORK // work, 1, len(spec.profiles)))
        pc = max(1, min(pc, MAX_CELLS // (sc * ac)))
        pc = math.ceil(len(spec.profiles) / math.ceil(len(spec.profiles) / pc))
    if spec.privacy.dim is None:
        return pc, sc
    return pc, ac, sc
