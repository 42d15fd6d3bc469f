"""The partition game's cube variables and coordinates: one registry
(docs/paper-notes.md, "Coalition structures", defines every quantity)."""

from __future__ import annotations

import numpy as np

from ..datasharing.variables import COORDS as DS_COORDS
from ..datasharing.variables import PAPER, PROFILE_PARAMS
from ..datasharing.variables import VARIABLES as DS_VARIABLES
from ..variables import Registry, Variable, variable

NOTION_VALUES = ("nash", "individual", "contractual", "core")  # the kernels' order
DEFAULT_NOTIONS = ("nash", "individual", "contractual")
GRID = ("profile", "alpha", "sigma", "notion")
CELL = ("profile", "alpha", "sigma")
PLAYERS = ("profile", "alpha", "sigma", "notion", "player")
_v = variable

_STRING = (
    "as a restricted-growth string over input positions (player i is in block value[i]; -1 "
    "pads shorter profiles and marks cells where no partition is stable)"
)
_SC = "social cost: the sum of all players' burdens (Def. 5 per block, sigma^2 alone)"
_TIES = "ties: fewer blocks, then the lexicographically first string"

VARIABLES: dict[str, Variable] = {
    v.name: v
    for v in [
        _v(
            "stable_count",
            GRID,
            "int64",
            -1,
            "number of stable partitions of the players (Bogomolnaia-Jackson notions of the "
            "hedonic game whose blocks share data as the paper's coalition)",
            "partitions",
        ),
        _v(
            "single_block",
            GRID,
            "bool",
            False,
            "some stable partition has exactly one block of two or more players (the paper's "
            "setting: one coalition, everyone else alone)",
        ),
        _v(
            "partition",
            PLAYERS,
            "int8",
            -1,
            f"the stable partition of least social cost ({_TIES}), {_STRING}",
        ),
        _v(
            "social_cost",
            GRID,
            "float64",
            np.nan,
            f"{_SC} of the best stable partition; NaN where none is stable",
            "sigma_units^2",
        ),
        _v(
            "variance",
            GRID,
            "float64",
            np.nan,
            "mean over players of their estimate's variance (eq. 5 per block, sigma^2 alone) "
            "in the best stable partition; NaN where none is stable",
            "sigma_units^2",
        ),
        _v(
            "blocks",
            GRID,
            "int32",
            -1,
            "blocks of the best stable partition, players alone included; 0 where none is stable",
            "blocks",
        ),
        _v(
            "largest_block",
            GRID,
            "int32",
            -1,
            "players in the largest block of the best stable partition; 0 where none is stable",
            "players",
        ),
        _v(
            "worst_partition",
            PLAYERS,
            "int8",
            -1,
            f"the stable partition of greatest social cost ({_TIES}), {_STRING}",
        ),
        _v(
            "worst_social_cost",
            GRID,
            "float64",
            np.nan,
            f"{_SC} of the worst stable partition; NaN where none is stable",
            "sigma_units^2",
        ),
        _v(
            "worst_blocks",
            GRID,
            "int32",
            -1,
            "blocks of the worst stable partition; 0 where none is stable",
            "blocks",
        ),
        _v(
            "central_partition",
            ("profile", "alpha", "sigma", "player"),
            "int8",
            -1,
            "the designer's optimum over partitions (each block's epsilon by Lemma 1, eq. 3 "
            f"per block; {_TIES}), {_STRING}",
        ),
        _v(
            "central_social_cost",
            CELL,
            "float64",
            np.nan,
            "social cost of the designer's optimum over partitions: sigma^2 per block plus "
            "3 A Q_f(k) per block of k >= 2 (eq. 3)",
            "sigma_units^2",
        ),
        _v(
            "central_blocks",
            CELL,
            "int32",
            -1,
            "blocks of the designer's optimum over partitions, players alone included",
            "blocks",
        ),
        _v(
            "pos_social_cost",
            GRID,
            "float64",
            np.nan,
            "Price of Stability over partitions: social_cost / central_social_cost; NaN where "
            "none is stable",
        ),
        _v(
            "poa_social_cost",
            GRID,
            "float64",
            np.nan,
            "Price of Anarchy over partitions: worst_social_cost / central_social_cost; NaN "
            "where none is stable",
        ),
    ]
}
VARIABLES.update({k: DS_VARIABLES[k] for k in ("costs", "n_players")})  # the same inputs

COORDS: dict[str, str] = {
    **{k: DS_COORDS[k] for k in ("profile", "alpha", "sigma", "player")},
    "notion": "stability notion of a partition (Bogomolnaia and Jackson 2002): nash (no player "
    "gains by moving to another block or alone), individual (nor with the receiving block's "
    "consent), contractual (nor with the consent of both blocks), core (no set of players all "
    "strictly better off together)",
}

DERIVED = {"exists": ("stable_count", "a stable partition exists (stable_count > 0)")}

REGISTRY = Registry(
    VARIABLES,
    COORDS,
    PROFILE_PARAMS,
    label_dim="profile",
    derived=DERIVED,
    panel_dim="notion",  # Fig. 1: one panel per notion, shaded where no equilibrium exists
    shade="exists",
    shade_caption="no stable partition",
    panel_titles={"nash": "Nash"},
)

__all__ = ["DEFAULT_NOTIONS", "NOTION_VALUES", "PAPER", "REGISTRY"]
