"""The data-sharing game's cube variables, coordinates and family parameters: one registry.

Every Dataset of this game (in memory or stored) is built from :data:`REGISTRY` by
:func:`fastscan.variables.build_dataset`, which checks it and writes each description into attrs.
"""

from __future__ import annotations

import numpy as np

from ..variables import Registry, Variable, variable

PAPER = (
    "Bassily, Donahue, Sen, Zhao, Ziani: Data Sharing with Endogenous Choices over "
    "Differential Privacy Levels (2026)"
)
NOTION_VALUES = ("nash", "robust")
GRID = ("profile", "alpha", "sigma", "notion")
CELL = ("profile", "alpha", "sigma")
_v = variable

_NONE = "; the empty coalition (size 0) when none is stable (paper's convention, Section 6)"

VARIABLES: dict[str, Variable] = {
    v.name: v
    for v in [
        _v(
            "stable_count",
            GRID,
            "int64",
            -1,
            "number of stable coalitions of size >= 2 (Claim 5 for nash, Claim 6 for robust)",
            "coalitions",
        ),
        _v(
            "max_size",
            GRID,
            "int32",
            -1,
            "size of the largest stable coalition; 0 when none is stable",
            "players",
        ),
        _v(
            "min_size",
            GRID,
            "int32",
            -1,
            "size of the smallest stable coalition; 0 when none is stable",
            "players",
        ),
        _v(
            "opt_size",
            GRID,
            "int32",
            -1,
            "size of the stable coalition of least social cost (ties: smaller size, then smaller "
            "bitmask)" + _NONE,
            "players",
        ),
        _v(
            "opt_social_cost",
            GRID,
            "float64",
            np.nan,
            "social cost SC_d (eq. 6) of the stable coalition of least social cost; n*sigma^2 when "
            "none is stable (the empty coalition)",
            "sigma_units^2",
        ),
        _v(
            "opt_variance",
            GRID,
            "float64",
            np.nan,
            "estimator variance Var_d (eq. 5) of the stable coalition of least social cost; "
            "sigma^2 when none is stable (the empty coalition)",
            "sigma_units^2",
        ),
        _v(
            "opt_members",
            GRID,
            "uint64",
            0,
            "members of the stable coalition of least social cost as a bitmask over input "
            "positions (bit i = player i); 0 when none is stable or when n > 64",
        ),
        _v(
            "pos_social_cost",
            GRID,
            "float64",
            np.nan,
            "Price of Stability in social cost: opt_social_cost / central_social_cost (Section 6)",
            "1",
        ),
        _v(
            "pos_variance",
            GRID,
            "float64",
            np.nan,
            "Price of Stability in variance: opt_variance / central_variance (Section 6)",
            "1",
        ),
        _v(
            "grand_stable",
            CELL,
            "bool",
            False,
            "the grand coalition of all players is stable (Nash and robust agree on it)",
        ),
        _v(
            "central_size",
            CELL,
            "int32",
            -1,
            "k*, the coalition size the central designer chooses (eq. 4); 0 when no coalition "
            "beats the empty one",
            "players",
        ),
        _v(
            "central_social_cost",
            CELL,
            "float64",
            np.nan,
            "social cost SC_c(k*) of the centralized optimum (eq. 3); n*sigma^2 when k* = 0",
            "sigma_units^2",
        ),
        _v(
            "central_variance",
            CELL,
            "float64",
            np.nan,
            "estimator variance Var_c(k*) of the centralized optimum (eq. 2); sigma^2 when k* = 0",
            "sigma_units^2",
        ),
        _v(
            "costs",
            ("profile", "player"),
            "float64",
            np.nan,
            "privacy cost c_i of each player in input order; NaN pads shorter profiles",
            "sigma_units^2",
        ),
        _v("n_players", ("profile",), "int64", -1, "number of players n of the profile", "players"),
    ]
}

COORDS: dict[str, str] = {
    "profile": "index of the cost profile",
    "alpha": "alpha: privacy cost scales with coalition size as |S|^alpha (Section 3)",
    "sigma": "sigma: standard deviation of the players' data (variance sigma^2)",
    "notion": "stability notion: nash (Definition 7, Claim 5) or robust (Definition 8, Claim 6)",
    "player": "player position in the input cost profile (0-based)",
}

PROFILE_PARAMS: dict[str, str] = {
    "n": "family parameter: number of players",
    "cost": "family parameter: the (first) privacy cost",
    "ratio": "family parameter: ratio of consecutive costs (geometric)",
    "low": "family parameter: lowest cost",
    "high": "family parameter: highest cost",
    "seed": "family parameter: random seed (uniform; the same seed gives the same profile)",
}

# asked for by name in query and plot: true where the base variable is > 0
DERIVED = {"exists": ("stable_count", "an equilibrium exists (stable_count > 0)")}

REGISTRY = Registry(VARIABLES, COORDS, PROFILE_PARAMS, label_dim="profile", derived=DERIVED)
