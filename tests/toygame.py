"""A toy game for the core's tests, shaped like the IXP game: dims instance x alpha, a variable
with a dim beyond the chunked ones (an assignment per agent), chunks split into blocks by agent
label that merge exactly. total[i, a] = alpha[a] * sum of instance i's weights; assignment[i, a,
j] = 1 where alpha[a] * weight[i, j] > 1/2, else 0."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from fastscan.plan import Chunk, Plan
from fastscan.variables import Registry, variable

BLOCKS = 2  # agents j with j % BLOCKS == b make block b

REGISTRY = Registry(
    {
        v.name: v
        for v in [
            variable("total", ("instance", "alpha"), "float64", np.nan, "alpha * sum of weights"),
            variable("assignment", ("instance", "alpha", "agent"), "int32", -1, "1 if joined"),
            variable("weight", ("instance", "agent"), "float64", np.nan, "the input weights"),
        ]
    },
    {"instance": "instance index", "alpha": "alpha", "agent": "agent index"},
    {"seed": "seed of the instance"},
    label_dim="instance",
)


class Part(NamedTuple):
    total: np.ndarray  # (instance, alpha): a block's agents only


@dataclass(frozen=True)
class Spec:
    weight: np.ndarray
    alpha: np.ndarray

    def sizes(self):
        n, k = self.weight.shape
        return {"instance": n, "alpha": self.alpha.size, "agent": k}

    def coords(self):
        n, k = self.weight.shape
        return {"instance": np.arange(n), "alpha": self.alpha, "agent": np.arange(k)}

    def labels(self):
        return {"seed": 10 * np.arange(self.weight.shape[0])}

    def inputs(self):
        return {"weight": self.weight}

    def config(self):
        digest = hashlib.sha256(self.weight.tobytes()).hexdigest()
        return {"weight_sha256": digest, "alpha": self.alpha.tolist()}

    def attrs(self):
        return {}

    def blocks(self, chunk: Chunk) -> int:
        return BLOCKS

    def n_blocks(self, plan: Plan) -> int:
        return BLOCKS * plan.n_chunks


class Toy:
    name = "toy"
    paper = "a toy for the tests"
    title = "toy cube"
    scan_command = "toy scan"
    info_attrs = ()
    dims = ("instance", "alpha")
    registry = REGISTRY
    part_type = Part
    provenance_keys = ()
    config_defaults: dict = {}

    def plan(self, weight, alpha, chunks=(2, 2)) -> Plan:
        spec = Spec(np.asarray(weight, dtype=float), np.asarray(alpha, dtype=float))
        return Plan(self, self.dims, tuple(chunks), spec)

    def compute_block(self, plan: Plan, chunk: Chunk, block: int) -> Part:
        w = plan.spec.weight[chunk["instance"]][:, block::BLOCKS]
        return Part(w.sum(axis=1)[:, None] * plan.spec.alpha[chunk["alpha"]][None, :])

    def merge(self, x: Part, y: Part) -> Part:
        return Part(x.total + y.total)

    def compute_chunk(self, plan: Plan, chunk: Chunk, merged=None):
        w = plan.spec.weight[chunk["instance"]]
        alpha = plan.spec.alpha[chunk["alpha"]]
        joined = alpha[None, :, None] * w[:, None, :] > 0.5
        return {"total": merged.total, "assignment": joined.astype(np.int32)}

    def warm_up(self, plan, notify=None) -> None:
        pass

    def warm_steps(self) -> list:
        return []

    def estimate(self, plan, workers, left=1.0) -> float:
        return 0.1 * left

    def describe_plan(self, plan) -> list[str]:
        return [f"{plan.spec.weight.shape[0]} instances x {plan.spec.alpha.size} alpha"]

    def commands(self) -> list:
        return []


GAME = Toy()
