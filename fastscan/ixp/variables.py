"""The IXP game's cube variables, coordinates and family parameters: one registry (issue 11 §5).

Instances of a family differ in n and m: arrays over agents and facilities are padded (NaN for
weights, -2 for assignments) up to the largest; ``n_agents`` and ``n_facilities`` say how much
of each row is real. Assignments use -1 for "no facility" and -2 for "nothing" (no stable state).
"""

from __future__ import annotations

import numpy as np

from ..variables import Registry, Variable, variable

PAPER = "IXP group formation: stability with pricing, PoS/PoA, payments, approximation (paper 003)"
CELL = ("instance", "alpha")
ONE = ("instance",)
_v = variable

VARIABLES: dict[str, Variable] = {
    v.name: v
    for v in [
        _v("stable_count", CELL, "int64", -1, "number of alpha-stable assignments (Def. 4.1)"),
        _v(
            "best_stable_cost",
            CELL,
            "float64",
            np.nan,
            "least social cost c(s) of an alpha-stable assignment; NaN when none is stable",
        ),
        _v(
            "worst_stable_cost",
            CELL,
            "float64",
            np.nan,
            "largest social cost of an alpha-stable assignment; NaN when none is stable",
        ),
        _v(
            "best_stable_assignment",
            (*CELL, "agent"),
            "int32",
            -2,
            "facility of each agent in the best alpha-stable assignment (-1: none; ties: "
            "lexicographically first); -2 when none is stable or past n",
        ),
        _v(
            "pos",
            CELL,
            "float64",
            np.nan,
            "price of stability: best_stable_cost / optimum_cost (x/0 = inf, 0/0 = 1)",
            "1",
        ),
        _v(
            "poa",
            CELL,
            "float64",
            np.nan,
            "price of anarchy: worst_stable_cost / optimum_cost (x/0 = inf, 0/0 = 1)",
            "1",
        ),
        _v("optimum_cost", ONE, "float64", np.nan, "social cost c(s*) of the optimum assignment"),
        _v(
            "optimum_assignment",
            (*ONE, "agent"),
            "int32",
            -2,
            "s*: facility of each agent in the optimum (least c(s); ties: lexicographically "
            "first, none < 0 < 1); -2 past n",
        ),
        _v(
            "optimum_alpha",
            ONE,
            "float64",
            np.nan,
            "alpha*(s*): the least alpha at which the optimum is alpha-stable (Thm 4.4: <= 2)",
            "1",
        ),
        _v(
            "delta",
            ONE,
            "float64",
            np.nan,
            "payments that stabilize s*: sum of max(0, -Q_i(s*)) (Lemma 5.2.1)",
        ),
        _v("delta_ratio", ONE, "float64", np.nan, "delta / c(s*) (0 when c(s*) = 0)", "1"),
        _v(
            "thm53_slack",
            ONE,
            "float64",
            np.nan,
            "1 - 0.4 pos(alpha = 1) - delta / c(s*) (Thm 5.3: >= 0)",
            "1",
        ),
        _v(
            "doubled_stable",
            ONE,
            "bool",
            False,
            "s* is stable once every w(i, j) is doubled (Thm 5.2)",
        ),
        _v(
            "peering_stable",
            ONE,
            "bool",
            False,
            "s* is stable with peering payments between its agents (Thm 5.1)",
        ),
        _v(
            "process_cost",
            ONE,
            "float64",
            np.nan,
            "social cost where Thm 4.3's process from s* stops (<= 2 c(s*))",
        ),
        _v("lp19", ONE, "float64", np.nan, "--approx: value of LP 19, the relaxation of IP 18"),
        _v(
            "alg1_cost",
            ONE,
            "float64",
            np.nan,
            "--approx: multi-facility cost of Algorithm 1's rounding (Thm 7.2: <= (m+1) lp19)",
        ),
        _v(
            "alg2_cost",
            ONE,
            "float64",
            np.nan,
            "--approx: multi-facility cost of Algorithm 2's rounding (Thm 7.3; seed: the "
            "instance index)",
        ),
        _v(
            "multi_optimum_cost",
            ONE,
            "float64",
            np.nan,
            "--approx: optimum of the multi-facility model (IP 18): lp19 <= it <= optimum_cost",
        ),
        _v(
            "w_facility",
            ("instance", "agent", "facility"),
            "float64",
            np.nan,
            "connection cost w(i, f); NaN pads",
        ),
        _v(
            "w_pair",
            ("instance", "agent", "agent2"),
            "float64",
            np.nan,
            "disconnection cost w(i, j); NaN pads",
        ),
        _v(
            "facility_cost",
            ("instance", "facility"),
            "float64",
            np.nan,
            "facility cost c(f); NaN pads",
        ),
        _v("n_agents", ONE, "int64", -1, "number of agents n of the instance"),
        _v("n_facilities", ONE, "int64", -1, "number of facilities m of the instance"),
    ]
}

COORDS: dict[str, str] = {
    "instance": "index of the instance",
    "alpha": "alpha: approximate stability, no agent gains a factor alpha by deviating (Def. 4.1)",
    "agent": "agent index (0-based)",
    "facility": "facility index (0-based)",
    "agent2": "second agent index of a pair (0-based)",
}

FAMILY_PARAMS: dict[str, str] = {
    "n": "family parameter: number of agents",
    "m": "family parameter: number of facilities",
    "density": "family parameter: probability that a pair (i, j) has a disconnection cost",
    "ratio": "family parameter: largest disconnection cost (uniform on [0, ratio))",
    "facility_max": "family parameter --facility: largest facility cost (uniform on [0, it))",
    "seed": "family parameter: random seed (the same seed gives the same instance)",
    "planted": "planted family: the paper's example (thm41, thm42, thm44, hub)",
    "eps": "planted family: epsilon of thm41 / thm44 (NaN where unused)",
    "planted_alpha": "planted family: the alpha thm44's instance is built for (NaN elsewhere)",
}

# asked for by name in query and plot: true where the base variable is > 0 (exhaustive cubes;
# --method optimum enumerates nothing, so its cubes have no stable_count to derive it from)
DERIVED = {"exists": ("stable_count", "an alpha-stable assignment exists (stable_count > 0)")}

REGISTRY = Registry(VARIABLES, COORDS, FAMILY_PARAMS, label_dim="instance", derived=DERIVED)
