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
NOTION_VALUES = ("nash", "robust", "designer")  # every notion, in the kernels' order
DEFAULT_NOTIONS = ("nash", "robust")  # the notion dim unless a scan asks for more
GRID = ("profile", "alpha", "sigma", "notion")
CELL = ("profile", "alpha", "sigma")
_v = variable

_NONE = "; the empty coalition (size 0) when none is stable (paper's convention, Section 6)"
_SC = "SC_d (eq. 6) under nash and robust, SC_c (eq. 3) under designer"
_VAR = "Var_d (eq. 5) under nash and robust, Var_c (eq. 2) under designer"

VARIABLES: dict[str, Variable] = {
    v.name: v
    for v in [
        _v(
            "stable_count",
            GRID,
            "int64",
            -1,
            "number of stable coalitions of size >= 2 (Claim 5 for nash, Claim 6 for robust, "
            "Def. 7 with Lemma 1's epsilon for designer)",
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
            f"social cost ({_SC}) of the stable coalition of least social cost; n*sigma^2 when "
            "none is stable (the empty coalition)",
            "sigma_units^2",
        ),
        _v(
            "opt_variance",
            GRID,
            "float64",
            np.nan,
            f"estimator variance ({_VAR}) of the stable coalition of least social cost; "
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
            "worst_size",
            GRID,
            "int32",
            -1,
            "size of the worst equilibrium, the stable coalition of largest social cost (ties: "
            "larger size, then larger bitmask)" + _NONE,
            "players",
        ),
        _v(
            "worst_social_cost",
            GRID,
            "float64",
            np.nan,
            f"social cost ({_SC}) of the worst equilibrium; n*sigma^2 when none is stable",
            "sigma_units^2",
        ),
        _v(
            "worst_variance",
            GRID,
            "float64",
            np.nan,
            f"estimator variance ({_VAR}) of the worst equilibrium; sigma^2 when none is stable",
            "sigma_units^2",
        ),
        _v(
            "worst_members",
            GRID,
            "uint64",
            0,
            "members of the worst equilibrium as a bitmask over input positions; 0 when none is "
            "stable or when n > 64",
        ),
        _v(
            "poa_social_cost",
            GRID,
            "float64",
            np.nan,
            "Price of Anarchy in social cost: worst_social_cost / central_social_cost",
            "1",
        ),
        _v(
            "poa_variance",
            GRID,
            "float64",
            np.nan,
            "Price of Anarchy in variance: worst_variance / central_variance",
            "1",
        ),
        _v(
            "forced_size",
            CELL,
            "int32",
            -1,
            "size of the forced-participation optimum: the coalition the designer picks when its "
            "members then choose epsilon selfishly (Lemma 2), least SC_d over every coalition, "
            "stable or not, the empty one included (ties as eq. 4); 0 when the empty one wins",
            "players",
        ),
        _v(
            "forced_social_cost",
            CELL,
            "float64",
            np.nan,
            "social cost SC_d (eq. 6) of the forced-participation optimum; n*sigma^2 when empty",
            "sigma_units^2",
        ),
        _v(
            "forced_variance",
            CELL,
            "float64",
            np.nan,
            "estimator variance Var_d (eq. 5) of the forced-participation optimum; sigma^2 when "
            "empty",
            "sigma_units^2",
        ),
        _v(
            "pos_eps_factor",
            CELL,
            "float64",
            np.nan,
            "the price of selfish epsilon: forced_social_cost / central_social_cost (the first "
            "factor of pos_social_cost)",
            "1",
        ),
        _v(
            "pos_stability_factor",
            GRID,
            "float64",
            np.nan,
            "the price of stability proper: opt_social_cost / forced_social_cost, so that "
            "pos_social_cost = pos_eps_factor * pos_stability_factor (to rounding)",
            "1",
        ),
        _v(
            "central_ir",
            CELL,
            "bool",
            False,
            "the centralized optimum S_k* is individually rational under Lemma 1's epsilon: "
            "every member's burden <= sigma^2 (true when k* = 0: no member)",
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
    "notion": "stability notion: nash (Definition 7, Claim 5), robust (Definition 8, Claim 6) or "
    "designer (Definition 7 with Lemma 1's epsilon announced for every coalition)",
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

# the worst equilibrium's tables: written only when a scan asks for them (--worst)
WORST_VARIABLES = (
    "worst_size",
    "worst_social_cost",
    "worst_variance",
    "worst_members",
    "poa_social_cost",
    "poa_variance",
)

_LOWER = "lower bound: over the downward-closed coalitions S_k only; the value over all is >= this"
_UPPER = "upper bound: over the downward-closed coalitions S_k only; the value over all is <= this"
_EXACT = "exact: S_k is the best coalition of size k (Lemma 1's argument)"
# what a sets="downward" cube's values are (the attr "bound" of each)
DOWNWARD_BOUNDS = {
    "stable_count": _LOWER,
    "max_size": _LOWER + "; exact for robust (Claim 8: the largest robust equilibrium is S_k)",
    "min_size": _UPPER + " where > 0 (0: no S_k is stable, some other coalition may be)",
    "opt_size": "not a bound: the size of the best stable S_k",
    "opt_social_cost": _UPPER + " (a stable coalition costs at most n*sigma^2)",
    "opt_variance": "not a bound: the variance of the best stable S_k",
    "opt_members": "not a bound: the best stable S_k",
    "pos_social_cost": _UPPER,
    "pos_variance": "not a bound: from the best stable S_k",
    "pos_stability_factor": _UPPER,
    "worst_size": "not a bound: the size of the worst stable S_k",
    "worst_social_cost": _LOWER + " where worst_size > 0",
    "worst_variance": "not a bound: the variance of the worst stable S_k",
    "worst_members": "not a bound: the worst stable S_k",
    "poa_social_cost": _LOWER + " where worst_size > 0",
    "poa_variance": "not a bound: from the worst stable S_k",
    "forced_size": _EXACT,
    "forced_social_cost": _EXACT,
    "forced_variance": _EXACT,
    "pos_eps_factor": _EXACT,
    "grand_stable": "exact: the grand coalition is S_n",
    "central_size": _EXACT + " (eq. 4)",
    "central_social_cost": _EXACT,
    "central_variance": _EXACT,
    "central_ir": _EXACT,
}

# asked for by name in query and plot: true where the base variable is > 0
DERIVED = {"exists": ("stable_count", "an equilibrium exists (stable_count > 0)")}

REGISTRY = Registry(
    VARIABLES,
    COORDS,
    PROFILE_PARAMS,
    label_dim="profile",
    derived=DERIVED,
    panel_dim="notion",  # Fig. 1: one panel per notion, shaded where no equilibrium exists
    shade="exists",
    shade_caption="no equilibrium",
    panel_titles={"nash": "Nash"},
)
