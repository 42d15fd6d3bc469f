"""What an IXP scan computes: instances x alpha (x agent, facility, agent2), its chunks, its
coordinates and inputs, and the configuration a resume compares. No compute here."""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass, replace

import numpy as np

from ..plan import Chunk, Plan
from .model import Instance

NAME = "ixp"
DIMS = ("instance", "alpha")
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


METHODS = ("exhaustive", "optimum")
BLOCK_FROM = 2**25  # an instance with more assignments gets chunks of its own, split in blocks
# without enumeration there is nothing per alpha, nor pos(alpha = 1) for Thm 5.3's slack
ENUMERATED = (
    "stable_count",
    "best_stable_cost",
    "worst_stable_cost",
    "best_stable_assignment",
    "pos",
    "poa",
    "thm53_slack",
)
APPROX = ("lp19", "alg1_cost", "alg2_cost", "multi_optimum_cost")


@dataclass(frozen=True, eq=False)
class Scan:
    """The IXP game's :class:`~fastscan.plan.Spec`: instances, the alpha grid, the method
    (``exhaustive``: every assignment; ``optimum``: s* without enumeration), §7's values
    (``approx``), and per instance how many leading agents' labels split it into blocks."""

    instances: Instances
    alpha: np.ndarray
    method: str = "exhaustive"
    approx: bool = False
    split: np.ndarray | None = None  # (instance,) int: 0 = whole

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

    def omits(self) -> tuple[str, ...]:
        """The game's variables this scan does not write."""
        return (ENUMERATED if self.method == "optimum" else ()) + (() if self.approx else APPROX)

    def attrs(self) -> dict:
        return {"ixp_method": self.method}

    def config(self) -> dict:
        digest = hashlib.sha256()
        for arr in self.inputs().values():
            digest.update(np.ascontiguousarray(arr).tobytes())
        return {
            "instances": self.instances.spec,
            "inputs_sha256": digest.hexdigest(),
            "n_instances": len(self.instances),
            "alpha": self.alpha.tolist(),
            "method": self.method,
            "approx": self.approx,
        }

    def block_labels(self, chunk: Chunk) -> tuple[int, int, int]:
        """The chunk's instance when it splits into blocks, its leading agents fixed per block
        and the labels per agent (m + 1); (-1, 0, 1) when the chunk is computed whole."""
        if self.split is None or chunk["instance"].stop - chunk["instance"].start != 1:
            return -1, 0, 1
        p = chunk["instance"].start
        return p, int(self.split[p]), int(self.instances.n_facilities[p]) + 1

    def blocks(self, chunk: Chunk) -> int:
        _, k, radix = self.block_labels(chunk)
        return radix**k

    def n_blocks(self, plan: Plan) -> int:
        if self.split is None:
            return plan.n_chunks
        return sum(self.blocks(c) for c in plan.chunk_list())


def checked_alpha(alpha, arg) -> np.ndarray:
    """:func:`~fastscan.ixp.compute.check_alpha`, its errors naming the argument as ``arg``
    does (``--alpha`` on the command line)."""
    from .assignments import check_alpha

    try:
        return check_alpha(alpha)
    except ValueError as err:
        # its messages begin with the bare name "alpha": put the argument's name there, once
        raise ValueError(arg("alpha") + str(err).removeprefix("alpha")) from None


def build(
    instances: Instances,
    alpha,
    chunks=None,
    method: str = "exhaustive",
    approx: bool = False,
    arg=None,
    block_from: float = BLOCK_FROM,
) -> Plan:
    """Validate the alpha grid and method and choose chunks: whole alpha grids, about
    TARGET_ASSIGNMENTS assignments per chunk of instances; when an instance has more than
    ``block_from`` assignments, one instance per chunk, each split by its first agents' labels
    into blocks of about TARGET_ASSIGNMENTS."""
    from ..grids import plain
    from .assignments import MAX_ASSIGNMENTS

    arg = arg or plain
    alpha = checked_alpha(alpha, arg)
    if method not in METHODS:
        raise ValueError(f"{arg('method')} must be one of {', '.join(METHODS)} (got {method!r})")
    split = None
    if method == "optimum":
        pc = min(16, math.ceil(len(instances) / 64))  # seconds an instance: many chunks
    else:
        # (m+1)^n in Python integers: exact, no CPU-dispatched power decides the blocks
        pairs = list(zip(instances.n_facilities, instances.n_agents, strict=True))
        exact = [(int(m) + 1) ** int(n) for m, n in pairs]
        per = np.array([float(p) for p in exact])
        worst = int(np.argmax(per))
        if per[worst] > MAX_ASSIGNMENTS:
            raise ValueError(
                f"instance {worst} has (m+1)^n = {per[worst]:.3g} assignments, more than 2^40 "
                f"to enumerate; use {arg('method')} optimum for large instances"
            )
        if per.max() > block_from:
            pc = 1
            block = min(TARGET_ASSIGNMENTS, block_from)
            split = np.array(
                [
                    _fixed_agents(p, int(m) + 1, int(block), int(n))
                    for p, m, n in zip(
                        exact, instances.n_facilities, instances.n_agents, strict=True
                    )
                ],
                dtype=np.int64,
            )
        else:
            pc = int(np.clip(TARGET_ASSIGNMENTS // max(1.0, float(per.max())), 1, len(instances)))
            pc = math.ceil(len(instances) / math.ceil(len(instances) / pc))
    scan = Scan(instances, alpha, method, bool(approx), split)
    from .game import GAME  # the game object itself, held by the plan

    if method == "optimum":  # nothing varies with alpha: chunks of instances only
        return Plan(GAME, DIMS[:1], (pc,) if chunks is None else tuple(chunks)[:1], scan)
    if chunks is None:
        chunks = (pc, alpha.size)
    elif int(chunks[1]) != alpha.size:  # per-instance results: one writer per instance chunk
        raise ValueError(f"chunks must hold whole alpha grids ({alpha.size}), got {chunks[1]}")
    elif split is not None and int(chunks[0]) != 1:
        scan = replace(scan, split=None)  # chunks of several instances: each computed whole
    return Plan(GAME, DIMS, tuple(int(c) for c in chunks), scan)


def _fixed_agents(assignments: int, radix: int, block: int, n: int) -> int:
    """The fewest leading agents whose labels split ``assignments`` into blocks of at most
    ``block`` (at most ``n``): integers only, so every machine splits the same way."""
    k = 0
    while k < n and assignments > block * radix**k:
        k += 1
    return k
