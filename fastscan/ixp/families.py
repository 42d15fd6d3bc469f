"""Where IXP instances come from: random families (``uniform``, ``metric``), the paper's planted
examples (``planted``: Thm 4.1, 4.2, 4.4, the §7 hub) and files (.json, .npz). The same
parameters give the same instances."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import numpy as np

from ..grids import parse_grid, plain
from ..kernels.elementary import uniform as uniform_draws
from .model import MAX_TOTAL, Instance
from .plan import Instances

RANDOM = ("n", "m", "density", "ratio", "facility", "seed")
FAMILIES = {"uniform": RANDOM, "metric": RANDOM, "planted": ("name", "eps")}
PLANTED = ("thm41", "thm42", "thm44", "hub")
# a parameter's name as an instance coordinate, where it would clash with a dimension
LABEL = {"facility": "facility_max", "name": "planted"}
INTEGER = {"n", "m", "seed"}


def _pairs_and_costs(rng, n, m, density, ratio, facility):
    # draws written out as low + (high - low) u: the same bits on every CPU (elementary.uniform)
    present = rng.random((n, n)) < density
    wp = np.triu(uniform_draws(rng, 0.0, ratio, (n, n)) * present, 1)
    return wp + wp.T, uniform_draws(rng, 0.0, facility, m)


def uniform(n: int, m: int, density: float, ratio: float, facility: float, seed: int) -> Instance:
    """w(i, f) ~ U(0, 1); w(i, j) ~ U(0, ratio) on pairs present with probability ``density``;
    c(f) ~ U(0, facility)."""
    rng = np.random.default_rng(int(seed))
    wf = rng.random((int(n), int(m)))  # U(0, 1): the draws themselves
    wp, fc = _pairs_and_costs(rng, int(n), int(m), density, ratio, facility)
    return Instance(wf, wp, fc)


def metric(n: int, m: int, density: float, ratio: float, facility: float, seed: int) -> Instance:
    """Agents and facilities are random points of the unit square, w(i, f) their distance;
    w(i, j) and c(f) as in :func:`uniform`."""
    rng = np.random.default_rng(int(seed))
    agents, sites = rng.random((int(n), 2)), rng.random((int(m), 2))
    d = agents[:, None, :] - sites[None, :, :]
    wf = np.sqrt(d[..., 0] * d[..., 0] + d[..., 1] * d[..., 1])  # IEEE sqrt: correctly rounded
    wp, fc = _pairs_and_costs(rng, int(n), int(m), density, ratio, facility)
    return Instance(wf, wp, fc)


def _two_agents(w1: float) -> Instance:
    """One free facility: w(0, f) = 0, w(1, f) = w1, w(0, 1) = 1 (Thm 4.1, 4.2, 4.4)."""
    return Instance([[0.0], [w1]], [[0.0, 1.0], [1.0, 0.0]], [0.0])


def thm41(eps: float) -> Instance:
    """Thm 4.1's tight example (ERRATA: w(1, f) = 1 + eps): PoS = 2 / (1 + eps)."""
    return _two_agents(1.0 + eps)


def thm42() -> Instance:
    """Thm 4.2: both agents free at the facility; nobody connected is stable: PoA = inf."""
    return _two_agents(0.0)


def thm44(eps: float, alpha: float) -> Instance:
    """Thm 4.4 tight for 1 <= alpha < 2 / (1 + eps): w(1, f) = alpha (1 + eps), the best
    alpha-stable state costs 2 c(s*) / (alpha (1 + eps))."""
    return _two_agents(alpha * (1.0 + eps))


def hub() -> Instance:
    """§7's hub: facility k in 0..2 of cost 1 free for agents k, k+1 mod 3 (else 50); agent 3
    free anywhere with w(3, j) = 100 for j < 3. LP 19 = 1.5, multi optimum 2, Alg. 1 3."""
    wf = np.full((4, 3), 50.0)
    for k in range(3):
        wf[k, k] = wf[(k + 1) % 3, k] = 0.0
    wf[3] = 0.0
    wp = np.zeros((4, 4))
    wp[3, :3] = wp[:3, 3] = 100.0
    return Instance(wf, wp, np.ones(3))


def planted(names: list[str], eps: np.ndarray, alpha: np.ndarray) -> Instances:
    """The paper's examples: per name, one instance per eps (thm41), per eps and alpha of the
    scan (thm44), or one (thm42, hub: eps NaN); labels planted, eps, planted_alpha."""
    made, name_l, eps_l, alpha_l = [], [], [], []

    def add(inst, name, e=np.nan, a=np.nan):
        made.append(inst)
        name_l.append(name)
        eps_l.append(e)
        alpha_l.append(a)

    for name in names:
        if name == "thm41":
            for e in eps:
                add(thm41(e), name, e)
        elif name == "thm44":
            for e in eps:
                for a in alpha:
                    add(thm44(e, a), name, e, a)
        else:
            add(thm42() if name == "thm42" else hub(), name)
    labels = {
        "planted": np.array(name_l, dtype=object),
        "eps": np.array(eps_l),
        "planted_alpha": np.array(alpha_l),
    }
    spec = {"names": list(names), "eps": eps.tolist()}
    return Instances.from_list(made, labels, {"source": "family", "family": "planted", **spec})


def from_family(family: str, params: dict[str, str], arg=plain, alpha=None) -> Instances:
    """Every combination of the parameter grids of ``family`` (see :data:`FAMILIES`);
    ``alpha``: the scan's grid (planted thm44 makes one instance per alpha)."""
    if family not in FAMILIES:
        raise ValueError(f"{arg('family')} must be one of {', '.join(FAMILIES)} (got {family!r})")
    names = FAMILIES[family]
    required = ("name",) if family == "planted" else names  # eps: only where a name uses it
    missing = [k for k in required if params.get(k) is None]
    if missing:
        raise ValueError(f"{arg('family')} {family} needs {' '.join(map(arg, missing))}")
    if family == "planted":
        return _planted(params, arg, alpha)
    grids = {k: parse_grid(params[k], arg(k), k in INTEGER) for k in names}
    for k, lo in (("n", 2), ("m", 1), ("seed", 0)):
        if (grids[k] < lo).any():
            raise ValueError(f"{arg(k)} must be >= {lo} (got {grids[k].min()})")
    if ((grids["density"] < 0) | (grids["density"] > 1)).any():
        raise ValueError(f"{arg('density')} must be within [0, 1]")
    for k in ("ratio", "facility"):
        if (grids[k] < 0).any():
            raise ValueError(f"{arg(k)} must be >= 0 (got {grids[k].min():g})")
    mesh = np.meshgrid(*(grids[k] for k in names), indexing="ij")
    values = {k: v.ravel() for k, v in zip(names, mesh, strict=True)}
    _check_sums(values, arg)
    make = uniform if family == "uniform" else metric
    made = [make(*(values[k][p] for k in names)) for p in range(values["n"].size)]
    labels = {LABEL.get(k, k): v for k, v in values.items()}
    spec = {"source": "family", "family": family, "params": {k: grids[k].tolist() for k in names}}
    return Instances.from_list(made, labels, spec)


def _check_sums(values: dict[str, np.ndarray], arg) -> None:
    """Refuse a --ratio or --facility whose draws could sum past :data:`MAX_TOTAL` (the
    instance's total weight S): named here, before drawing, rather than by the instance."""
    n, m = values["n"].astype(float), values["m"].astype(float)
    # n (n - 1) pair weights below ratio, m facility costs below facility, each part held to a
    # quarter of MAX_TOTAL; the n m w(i, f) are at most sqrt(2), so S stays within MAX_TOTAL
    with np.errstate(over="ignore"):
        bounds = {"ratio": n * (n - 1) * values["ratio"], "facility": m * values["facility"]}
    what = {"ratio": ("n", "the w(i, j)"), "facility": ("m", "the facility costs")}
    for k, bound in bounds.items():
        worst = int(np.argmax(bound))
        if not bound[worst] <= MAX_TOTAL / 4:
            size, costs = what[k]
            raise ValueError(
                f"{arg(k)} {values[k][worst]:g} is too large for {arg(size)} "
                f"{values[size][worst]}: {costs} could sum to {bound[worst]:.3g}, more than "
                f"{MAX_TOTAL / 4:g} (sums would overflow)"
            )


def _planted(params, arg, alpha) -> Instances:
    names = [x.strip() for x in str(params["name"]).split(",") if x.strip()]
    unknown = [x for x in names if x not in PLANTED]
    if unknown or not names:
        raise ValueError(
            f"{arg('name')} must be names from {', '.join(PLANTED)} (got {params['name']!r})"
        )
    eps = np.array([np.nan])
    if {"thm41", "thm44"} & set(names) and params.get("eps") is None:
        raise ValueError(f"{arg('name')} thm41 and thm44 need {arg('eps')}")
    if params.get("eps") is not None:
        eps = parse_grid(params["eps"], arg("eps"))
        if (eps < 0).any():
            raise ValueError(f"{arg('eps')} must be >= 0 (got {eps.min():g})")
    alpha = np.array([1.0]) if alpha is None else np.atleast_1d(np.asarray(alpha, dtype=float))
    return planted(names, eps, alpha)


KEYS = ("w_facility", "w_pair", "facility_cost")


def _npz_rows(p: Path, where: str) -> list[dict]:
    with np.load(p, allow_pickle=False) as z:
        missing = [k for k in KEYS if k not in z.files]
        if missing:
            raise ValueError(f"{where} lacks arrays {', '.join(missing)}")
        arrays = [z[k] for k in KEYS]
    ndim = {k: a.ndim for k, a in zip(KEYS, arrays, strict=True)}
    if ndim != {"w_facility": 3, "w_pair": 3, "facility_cost": 2}:
        shapes = ", ".join(f"{k} {a.shape}" for k, a in zip(KEYS, arrays, strict=True))
        raise ValueError(
            f"{where} must hold w_facility (I, n, m), w_pair (I, n, n), "
            f"facility_cost (I, m) (got {shapes})"
        )
    lengths = [len(a) for a in arrays]
    if len(set(lengths)) > 1:
        raise ValueError(
            f"{where} arrays must hold the same number of instances (got w_facility "
            f"{lengths[0]}, w_pair {lengths[1]}, facility_cost {lengths[2]})"
        )
    return [dict(zip(KEYS, parts, strict=True)) for parts in zip(*arrays, strict=True)]


def _json_rows(p: Path, where: str) -> list:
    rows = json.loads(p.read_text())
    if isinstance(rows, dict):
        rows = [rows]
    if not isinstance(rows, list):
        raise ValueError(
            f"{where} must hold a JSON list of instances, objects with keys {', '.join(KEYS)} "
            f"(got {type(rows).__name__} {rows!r:.40})"
        )
    return rows


def from_file(path: str, name: str = "instances") -> Instances:
    """Instances from JSON (a list of {w_facility, w_pair, facility_cost}, or one) or ``.npz``
    (arrays w_facility (I, n, m), w_pair (I, n, n), facility_cost (I, m)): ``--instances``."""
    p = Path(path)
    where = f"{name} {path!r}"
    if not p.is_file():
        raise ValueError(f"{where} is not a file")
    try:
        rows = _npz_rows(p, where) if p.suffix == ".npz" else _json_rows(p, where)
    except (OSError, EOFError, UnicodeDecodeError, json.JSONDecodeError, zipfile.BadZipFile) as err:
        raise ValueError(f"{where} could not be read: {err}") from None
    except ValueError as err:
        if str(err).startswith(where):
            raise
        # np.load's own refusals (pickled or object arrays, not an .npz): name the file
        raise ValueError(f"{where} could not be read: {err}") from None
    made = []
    for k, row in enumerate(rows):
        if not isinstance(row, dict):
            raise ValueError(
                f"{where} instance {k} must be an object with keys {', '.join(KEYS)} "
                f"(got {type(row).__name__})"
            )
        missing = [key for key in KEYS if key not in row]
        if missing:
            raise ValueError(f"{where} instance {k} needs {', '.join(missing)}")
        try:
            made.append(Instance(*(row[key] for key in KEYS)))
        except ValueError as err:
            raise ValueError(f"{where} instance {k}: {err}") from None
    if not made:
        raise ValueError(f"{where} holds no instances")
    return Instances.from_list(made, spec={"source": "file", "path": str(path)})
