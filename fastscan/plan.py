"""What a scan will compute: its grids, its chunks and blocks, its size and its configuration."""

from __future__ import annotations

import hashlib
import json
import math
import time
from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np

from . import validate
from .engine import fixed_players
from .grids import ProfileSet
from .layout import ArraySpec, Layout
from .variables import COORDS, PAPER, PROFILE_PARAMS, VARIABLES

MAX_CELLS = 2**18  # (profile, alpha, sigma) cells per chunk: ~40 MB of output
TARGET_WORK = 2**24  # coalition evaluations per chunk or block: a fraction of a second
SIGMA_CHUNK = 4096
# the store's codec: zstd level 1 makes cubes as small as zarr's default level, written 1.5x faster
ZSTD_LEVEL = 1


def coalitions(n: int, sets: str) -> int:
    """Coalitions of size >= 2 that ``sets`` evaluates for ``n`` players."""
    return 2**n - n - 1 if sets == "all" else n - 1


@dataclass(frozen=True)
class Chunk:
    """A Zarr-aligned region of the cube and its name among the store's markers."""

    index: tuple[int, int, int]
    p: slice
    a: slice
    s: slice

    @property
    def name(self) -> str:
        return "p{}-a{}-s{}".format(*self.index)


@dataclass(frozen=True)
class Plan:
    """A validated scan: profiles x alpha x sigma in chunks of ``chunks`` cells."""

    profiles: ProfileSet
    alpha: np.ndarray
    sigma: np.ndarray
    sets: str
    chunks: tuple[int, int, int]

    @classmethod
    def build(
        cls,
        profiles: ProfileSet,
        alpha,
        sigma,
        sets: str = "all",
        chunks: tuple[int, int, int] | None = None,
        name: str = "costs",
    ) -> Plan:
        """Validate everything (nothing is written before this passes) and choose chunks;
        ``name`` names the profiles in errors."""
        validate.check_sets(sets)
        if profiles.family is None:
            validate.check_profiles(profiles.costs, sets, name)
        else:  # its costs were checked from its parameters when it was made
            validate.check_players(profiles.width, sets, name)
        alpha = validate.check_alpha(alpha, int(profiles.n_players.max()))
        sigma = validate.check_sigma(sigma)
        if chunks is None:
            chunks = _choose_chunks(profiles.n_players, alpha.size, sigma.size, sets)
        return cls(profiles, alpha, sigma, sets, tuple(int(c) for c in chunks))

    # --- shape of the work -----------------------------------------------------------------
    @property
    def cells(self) -> int:
        return len(self.profiles) * self.alpha.size * self.sigma.size

    @property
    def evaluations(self) -> int:
        """Evaluated (profile, alpha, sigma, coalition) cells."""
        n, count = np.unique(self.profiles.n_players, return_counts=True)
        per = sum(coalitions(int(k), self.sets) * int(c) for k, c in zip(n, count, strict=True))
        return per * self.alpha.size * self.sigma.size

    def chunk_list(self) -> list[Chunk]:
        pc, ac, sc = self.chunks
        out = []
        for i, p0 in enumerate(range(0, len(self.profiles), pc)):
            for j, a0 in enumerate(range(0, self.alpha.size, ac)):
                for k, s0 in enumerate(range(0, self.sigma.size, sc)):
                    out.append(
                        Chunk((i, j, k), slice(p0, p0 + pc), slice(a0, a0 + ac), slice(s0, s0 + sc))
                    )
        return out

    @property
    def n_chunks(self) -> int:
        """Chunks of the plan (without listing them)."""
        sizes = (len(self.profiles), self.alpha.size, self.sigma.size)
        return math.prod(-(-n // c) for n, c in zip(sizes, self.chunks, strict=True))

    @property
    def n_blocks(self) -> int:
        """Tasks the chunks split into: a split profile's blocks count one each."""
        split = 2 ** fixed_players(int(self.profiles.n_players.max()), self.sets)
        if split == 1 or self.chunks[0] != 1:
            return self.n_chunks
        per = 2 ** np.array(
            [fixed_players(int(n), self.sets) for n in np.unique(self.profiles.n_players)]
        )
        counts = np.unique(self.profiles.n_players, return_counts=True)[1]
        return int(np.sum(per * counts)) * (self.n_chunks // len(self.profiles))

    def blocks(self, chunk: Chunk) -> int:
        """Blocks of the chunk's (single) profile; 1 when it is not split."""
        n = self.profiles.n_players[chunk.p]
        return 2 ** fixed_players(int(n.max()), self.sets) if n.size == 1 else 1

    def nbytes(self) -> int:
        """Uncompressed size of the cube's arrays."""
        sizes = self.sizes()
        return sum(
            v.dtype.itemsize * math.prod(sizes[d] for d in v.dims) for v in VARIABLES.values()
        )

    def sizes(self) -> dict[str, int]:
        return {
            "profile": len(self.profiles),
            "alpha": self.alpha.size,
            "sigma": self.sigma.size,
            "notion": 2,
            "player": self.profiles.width,
        }

    # --- identity ----------------------------------------------------------------------------
    def config(self) -> dict:
        """Everything that determines the cube's values (compared on resume)."""
        digest = hashlib.sha256(np.ascontiguousarray(self.profiles.costs).tobytes()).hexdigest()
        coords = hashlib.sha256()
        for name, values in sorted(self.profiles.coords.items()):
            coords.update(name.encode() + np.ascontiguousarray(values).tobytes())
        return {
            "profiles": self.profiles.spec,
            "costs_sha256": digest,
            "coords_sha256": coords.hexdigest(),
            "n_profiles": len(self.profiles),
            "alpha": self.alpha.tolist(),
            "sigma": self.sigma.tolist(),
            "sets": self.sets,
            "chunks": list(self.chunks),
            # how huge profiles split into blocks: a resume must merge blocks of the same split
            "split_players": fixed_players(int(self.profiles.n_players.max()), self.sets),
        }

    def layout(self, provenance: dict | None = None) -> Layout:
        """The cube's arrays (results empty, coordinates and inputs with their values) and
        attributes, for creating the store; ``provenance``: extra attrs (the command line)."""
        from . import __version__

        sizes = self.sizes()
        pc, ac, sc = self.chunks
        chunk_of = {"profile": pc, "alpha": ac, "sigma": sc, "notion": 2, "player": sizes["player"]}
        inputs = {
            "costs": self.profiles.costs,
            "n_players": self.profiles.n_players.astype(VARIABLES["n_players"].dtype),
        }
        arrays = [
            ArraySpec(
                name,
                var.dims,
                var.dtype,
                tuple(sizes[d] for d in var.dims),
                var.attrs(),
                inputs.get(name),
                tuple(min(chunk_of[d], sizes[d]) for d in var.dims),
                var.fill,
                zstd_level=ZSTD_LEVEL,
            )
            for name, var in VARIABLES.items()
        ]
        coords = {**self.coords(), **self.profile_coords()}
        for name, values in coords.items():
            dims = (name,) if name in COORDS else ("profile",)
            description = COORDS.get(name) or PROFILE_PARAMS.get(name, f"family parameter {name}")
            arrays.append(
                ArraySpec(
                    name,
                    dims,
                    values.dtype,
                    values.shape,
                    {"description": description},
                    values,
                    coord=True,
                )
            )
        attrs = {
            "title": "fastscan stability cube",
            "sets": self.sets,
            "paper": PAPER,
            "fastscan_version": __version__,
            "fastscan_config": json.dumps(self.config()),
            "created": datetime.now(UTC).isoformat(timespec="seconds"),
            "versions": json.dumps(_versions()),
            **(provenance or {}),
        }
        return Layout(arrays, attrs)

    def coords(self) -> dict[str, np.ndarray]:
        return {
            "profile": np.arange(len(self.profiles)),
            "alpha": self.alpha,
            "sigma": self.sigma,
            "notion": np.array(["nash", "robust"], dtype=object),
            "player": np.arange(self.profiles.width),
        }

    def profile_coords(self) -> dict[str, np.ndarray]:
        return dict(self.profiles.coords)


def _versions() -> dict[str, str]:
    """Versions of Python and the libraries a cube's values and format depend on."""
    import platform
    from importlib.metadata import PackageNotFoundError, version

    out = {"python": platform.python_version()}
    for name in ("fastscan", "numpy", "numba", "xarray", "zarr", "dask", "numcodecs"):
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            out[name] = "not installed"
    return out


def _choose_chunks(
    n_players: np.ndarray, n_alpha: int, n_sigma: int, sets: str
) -> tuple[int, int, int]:
    sc = min(n_sigma, SIGMA_CHUNK)
    n_max = int(n_players.max())
    split = fixed_players(n_max, sets)
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


# wall-clock terms of the estimate, measured on the 2-core development machine against whole
# `fastscan scan` runs (README's uniform n = 12 and 16 cubes, one profile of 23 players: within
# 15 %): two busy threads run at ~0.6 of twice one; each chunk adds its write and bookkeeping
PARALLEL_EFFICIENCY = 0.6
CHUNK_OVERHEAD = 0.02
STARTUP = 1.0  # loading xarray and zarr, creating the store, starting the thread pool


def estimate(plan: Plan, workers: int, left: float = 1.0) -> float:
    """Estimated wall seconds for the ``left`` share of the plan on ``workers`` threads."""
    work = calibrate(plan)
    chunks = plan.n_chunks
    return STARTUP + left * (work / PARALLEL_EFFICIENCY + CHUNK_OVERHEAD * chunks) / workers


def calibrate(plan: Plan, budget: float = 0.3) -> float:
    """Estimated seconds of work (summed over threads) for the whole plan, timed on a small
    piece of it with warm kernels: its coalitions, and compressing its output for the store.

    The piece has a chunk's alpha values: the kernels share one enumeration among them, so one
    alpha alone would overstate the cost of each. It is timed once, and again only while the
    timing stays under ``budget`` and under 2 % of the estimate (small plans plan instantly).
    """
    from numcodecs import Zstd

    from .engine import Profile, SigmaGrid, compute_batch, compute_profile, with_pos

    row = plan.profiles.row(int(np.argmax(plan.profiles.n_players)))
    cap = 18 if plan.sets == "all" else 10**5
    prof = Profile.from_costs(row[:cap])
    grid = SigmaGrid.from_sigma(np.sort(plan.sigma[: plan.chunks[2]]))
    alpha = plan.alpha[: plan.chunks[1]]
    evals = 0
    start = time.perf_counter()
    while True:
        if plan.sets == "all" and plan.n_blocks == plan.n_chunks:  # the kernel chunks run
            values = compute_batch(prof.costs[None, :], np.array([prof.n]), alpha, grid)
            values = {k: v[0] for k, v in values.items()}
        else:
            values = compute_profile(prof, alpha, grid, plan.sets)
        evals += coalitions(prof.n, plan.sets) * grid.s.size * alpha.size
        spent = time.perf_counter() - start
        if spent > min(budget, 0.02 * spent / evals * plan.evaluations):
            break
    per_eval = spent / max(evals, 1)
    # writing is mostly compression with the store's codec
    arrays = list(with_pos(values).values())
    start = time.perf_counter()
    for arr in arrays:
        Zstd(level=ZSTD_LEVEL).encode(np.ascontiguousarray(arr))
    per_byte = (time.perf_counter() - start) / max(sum(a.nbytes for a in arrays), 1)
    return per_eval * plan.evaluations + per_byte * plan.nbytes()
