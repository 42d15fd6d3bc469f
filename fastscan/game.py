"""The Game protocol, and the registry of games the engine knows.

A game is a plug-in: a package (``fastscan.datasharing``, ...) whose ``GAME`` object supplies
everything the game-agnostic core needs. The core (plan, runner, cube, query, plotting) never
imports a game: it asks this registry for one by name, and a cube names its game in the
``fastscan_game`` attr (absent: the first registered game, the only one before the attr existed).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from importlib import import_module
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np

if TYPE_CHECKING:
    from .plan import Chunk, Plan
    from .variables import Registry

GAME_ATTR = "fastscan_game"
# name -> module holding its GAME (imported on first use, so `fastscan --help` stays instant); the
# first made every cube before GAME_ATTR existed, and reads those (:func:`first`)
GAMES: dict[str, str] = {
    "datasharing": "fastscan.datasharing.game",
    "ixp": "fastscan.ixp.game",
    "partitions": "fastscan.partitions.game",
}


class Game(Protocol):
    """What a game supplies to the engine.

    Attributes
    ----------
    name, paper : str
        Registry name (the cube's ``fastscan_game`` attr) and the paper it implements.
    title : str
        The cube's ``title`` attr.
    dims : tuple of str
        The dims a scan is chunked along, in the cube's order (``profile, alpha, sigma``).
    registry : Registry
        Its variables, coordinates and labels.
    part_type : type
        The named tuple of arrays a block returns (what :meth:`merge` combines); block
        partials are stored by field name and read back into it.
    provenance_keys : tuple of str
        Keys of the plan's config that say how inputs were given (a file's path, say): shown
        by ``fastscan info``, not compared on resume (the inputs are, by content).
    config_defaults : dict
        The value a config key has where a cube's config lacks it (an option stored only when
        not at its default, or added by a later version), so a resume compares it too.
    scan_command : str
        The command that makes its cubes (``fastscan scan``): a resume hint for a cube that
        recorded no command.
    info_attrs : tuple of str
        The cube attrs ``fastscan info`` shows in its first line (``sets``, say).
    """

    name: str
    paper: str
    title: str
    dims: tuple[str, ...]
    registry: Registry
    part_type: type
    provenance_keys: tuple[str, ...]
    config_defaults: dict[str, Any]
    scan_command: str
    info_attrs: tuple[str, ...]

    def plan(self, **config: Any) -> Plan:
        """A validated plan from the game's parameters (nothing is computed)."""

    def compute_block(self, plan: Plan, chunk: Chunk, block: int) -> Any:
        """Block ``block`` of a chunk the plan splits: a ``part_type``."""

    def merge(self, x: Any, y: Any) -> Any:
        """Two blocks' parts combined exactly (associative and commutative)."""

    def compute_chunk(self, plan: Plan, chunk: Chunk, merged: Any = None) -> dict[str, np.ndarray]:
        """Every result variable over the chunk's region (each by its own dims), from the
        merged blocks when the plan splits the chunk, else computed whole."""

    def warm_up(self, plan: Plan | None, notify: Callable[[str], None] | None = None) -> None:
        """Compile (or load) the kernels ``plan`` needs (every kernel when None)."""

    def warm_steps(self) -> list[Callable[[], None]]:
        """Steps that together run every library path its commands take (each scan variant,
        the one-point commands, the checks) on tiny inputs, so that every kernel they call, in
        every type signature, is compiled into the on-disk cache (by
        :func:`fastscan.warm.compile_kernels`, once after an install)."""

    def estimate(self, plan: Plan, workers: int, left: float = 1.0) -> float:
        """Estimated wall seconds of the ``left`` share of ``plan`` on ``workers`` threads."""

    def describe_plan(self, plan: Plan) -> list[str]:
        """The plan's first lines for the user (sizes, work)."""

    def commands(self) -> Iterable[Any]:
        """Its click commands (the CLI adds them to the ``fastscan`` group)."""


def get(name: str) -> Game:
    """The game registered as ``name``."""
    if name not in GAMES:
        raise ValueError(f"unknown game {name!r} (known: {', '.join(sorted(GAMES))})")
    return import_module(GAMES[name]).GAME


def first() -> str:
    """The first registered game: cubes without :data:`GAME_ATTR` are its (in-memory ones too,
    which leave the attr out)."""
    return next(iter(GAMES))


def of_cube(attrs: Mapping[str, Any]) -> Game:
    """The game that made a cube with these attrs."""
    return get(attrs.get(GAME_ATTR, first()))


def all_games() -> list[Game]:
    """Every registered game (imports them)."""
    return [get(name) for name in GAMES]
