"""What an IXP scan computes: instances x alpha (x agent, facility, agent2), its chunks, its
coordinates and inputs, and the configuration a resume compares. No compute here."""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass

import numpy as np

from ..grids import parse_grid, plain
from ..plan import Chunk, Plan
from .model import Instance

NAME = "ixp"
DIMS = ("instance", "alpha")
FAMILIES = {"uniform": ("n", "m", "density", "ratio", "facility", "seed")}
# a parameter's name as an instance coordinate, where it would clash with a dimension
LABEL = {"facility": "facility_max"}
INTEGER = {"n", "m", "seed"}
TARGET_ASSIGNMENTS = 2**22  # assignments per chunk: a fraction of a second


@dataclass(frozen=True, eq=False)
class Instances:
    """Instances padded to the largest n and m (NaN), with their family parameters."""

    w_facility: np.ndarray  # (instance, agent, facility)
    w_pair: np.ndarray  # (instance, agent, agent2)
    facility_cost: np.ndarray  # (instance, facility)
    n_agents: np.ndarray
    n_facilities: np.ndarray
    labels: dict
    spec: dict

    def __len__(self) -> int:
        return int(self.n_agents.size)

    def instance(self, p: int) -> Instance:
        n, m = int(self.n_agents[p]), int(self.n_facilities[p])
        return Instance(
            self.w_facility[p, :n, :m], self.w_pair[p, :n, :n], self.facility_cost[p, :m]
        )

    @classmethod
    def from_list(cls, instances: list[Instance], labels=None, spec=None) -> Instances:
        n = np.array([i.n for i in instances], dtype=np.int64)
        m = np.array([i.m for i in instances], dtype=np.int64)
        wf = np.full((n.size, n.max(), m.max()), np.nan)
        wp = np.full((n.size, n.max(), n.max()), np.nan)
        fc = np.full((n.size, m.max()), np.nan)
        for p, inst in enumerate(instances):
            wf[p, : inst.n, : inst.m] = inst.w_facility
            wp[p, : inst.n, : inst.n] = inst.w_pair
            fc[p, : inst.m] = inst.facility_cost
        return cls(wf, wp, fc, n, m, dict(labels or {}), dict(spec or {"source": "instances"}))


def uniform(n: int, m: int, density: float, ratio: float, facility: float, seed: int) -> Instance:
    """w(i, f) ~ U(0, 1); w(i, j) ~ U(0, ratio) on pairs present with probability ``density``;
    c(f) ~ U(0, facility). The same parameters give the same instance."""
    rng = np.random.default_rng(int(seed))
    wf = rng.uniform(0.0, 1.0, (n, m))
    present = rng.uniform(size=(n, n)) < density
    wp = np.triu(rng.uniform(0.0, ratio, (n, n)) * present, 1)
    fc = rng.uniform(0.0, facility, m)
    return Instance(wf, wp + wp.T, fc)


def from_family(family: str, params: dict[str, str], arg=plain) -> Instances:
    """Every combination of the parameter grids of ``family`` (see :data:`FAMILIES`)."""
    if family not in FAMILIES:
        raise ValueError(f"{arg('family')} must be one of {', '.join(FAMILIES)} (got {family!r})")
    names = FAMILIES[family]
    missing = [k for k in names if params.get(k) is None]
    if missing:
        raise ValueError(f"{arg('family')} {family} needs {' '.join(map(arg, missing))}")
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
    made = [uniform(*(values[k][p] for k in names)) for p in range(values["n"].size)]
    labels = {LABEL.get(k, k): v for k, v in values.items()}
    spec = {"source": "family", "family": family, "params": {k: grids[k].tolist() for k in names}}
    return Instances.from_list(made, labels, spec)


@dataclass(frozen=True, eq=False)
class Scan:
    """The IXP game's :class:`~fastscan.plan.Spec`: instances and the alpha grid."""

    instances: Instances
    alpha: np.ndarray

    def sizes(self) -> dict[str, int]:
        i = self.instances
        n, m = int(i.n_agents.max()), int(i.n_facilities.max())
        return {
            "instance": len(i),
            "alpha": self.alpha.size,
            "agent": n,
            "facility": m,
            "agent2": n,
        }

    def coords(self) -> dict[str, np.ndarray]:
        s = self.sizes()
        return {
            "instance": np.arange(s["instance"]),
            "alpha": self.alpha,
            "agent": np.arange(s["agent"]),
            "facility": np.arange(s["facility"]),
            "agent2": np.arange(s["agent2"]),
        }

    def labels(self) -> dict[str, np.ndarray]:
        return dict(self.instances.labels)

    def inputs(self) -> dict[str, np.ndarray]:
        i = self.instances
        return {
            "w_facility": i.w_facility,
            "w_pair": i.w_pair,
            "facility_cost": i.facility_cost,
            "n_agents": i.n_agents,
            "n_facilities": i.n_facilities,
        }

    def attrs(self) -> dict:
        return {}

    def config(self) -> dict:
        digest = hashlib.sha256()
        for arr in self.inputs().values():
            digest.update(np.ascontiguousarray(arr).tobytes())
        return {
            "instances": self.instances.spec,
            "inputs_sha256": digest.hexdigest(),
            "n_instances": len(self.instances),
            "alpha": self.alpha.tolist(),
        }

    def blocks(self, chunk: Chunk) -> int:
        return 1

    def n_blocks(self, plan: Plan) -> int:
        return plan.n_chunks


def build(instances: Instances, alpha, chunks=None) -> Plan:
    """Validate the alpha grid and choose chunks: whole alpha grids, about TARGET_ASSIGNMENTS
    assignments per chunk of instances."""
    from .compute import MAX_ASSIGNMENTS, check_alpha

    alpha = check_alpha(alpha)
    per = (instances.n_facilities + 1.0) ** instances.n_agents
    worst = int(np.argmax(per))
    if per[worst] > MAX_ASSIGNMENTS:
        raise ValueError(
            f"instance {worst} has (m+1)^n = {per[worst]:.3g} assignments, more than 2^40 to "
            f"enumerate; use method 'optimum' for large instances"
        )
    if chunks is None:
        pc = int(np.clip(TARGET_ASSIGNMENTS // max(1.0, float(per.max())), 1, len(instances)))
        pc = math.ceil(len(instances) / math.ceil(len(instances) / pc))
        chunks = (pc, alpha.size)
    return Plan(NAME, DIMS, tuple(int(c) for c in chunks), Scan(instances, alpha))


def from_file(path: str, name: str = "instances") -> Instances:
    """Instances from JSON (a list of {w_facility, w_pair, facility_cost}) or ``.npz`` (arrays
    w_facility (I, n, m), w_pair (I, n, n), facility_cost (I, m))."""
    import json
    from pathlib import Path

    p = Path(path)
    if not p.is_file():
        raise ValueError(f"{name} {path!r} is not a file")
    keys = ("w_facility", "w_pair", "facility_cost")
    try:
        if p.suffix == ".npz":
            with np.load(p, allow_pickle=False) as z:
                missing = [k for k in keys if k not in z.files]
                if missing:
                    raise ValueError(f"{name} {path!r} lacks arrays {', '.join(missing)}")
                arrays = [z[k] for k in keys]
            rows = [dict(zip(keys, parts, strict=True)) for parts in zip(*arrays, strict=True)]
        else:
            rows = json.loads(p.read_text())
            if isinstance(rows, dict):
                rows = [rows]
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        raise ValueError(f"{name} {path!r} could not be read: {err}") from None
    made = []
    for k, row in enumerate(rows):
        try:
            made.append(Instance(*(row[key] for key in keys)))
        except (KeyError, TypeError):
            raise ValueError(f"{name} {path!r} instance {k} needs {', '.join(keys)}") from None
        except ValueError as err:
            raise ValueError(f"{name} {path!r} instance {k}: {err}") from None
    if not made:
        raise ValueError(f"{name} {path!r} holds no instances")
    return Instances.from_list(made, spec={"source": "file", "path": str(path)})
