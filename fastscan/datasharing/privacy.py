"""The privacy-cost scaling f(|S|) of a scan (Definition 5): which model, over which values.

- ``power``: the paper's ``f(k) = k^alpha`` over the ``alpha`` dim (the default; its cubes are
  the same bits as before models existed);
- ``leakage``: footnote 7's ``f(k) = 1 - (1 - p)^(k - 1)`` over a ``p`` dim (each of the other
  ``k - 1`` members leaks my data with probability ``p``; ``f(1) = 0`` is never used: ``k >= 2``);
- ``constant``: ``f(k) = 1`` (local DP), no dim of its own: the same as ``alpha = 0``;
- ``table``: ``f`` given for ``k = 1..K`` per named model, over a ``model`` dim.

The kernels take :meth:`Model.kernel` (a :class:`~fastscan.kernels.datasharing.privacy.Privacy`
record); the derivation of every closed form for any ``f`` is in docs/paper-notes.md.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from . import validate

MODELS = ("power", "leakage", "constant", "table")
DIMS = {"power": "alpha", "leakage": "p", "table": "model", "constant": None}
DESCRIPTIONS = {
    "alpha": "alpha: privacy cost scales with coalition size as |S|^alpha (Section 3)",
    "p": "p: leakage probability; privacy cost scales as f(|S|) = 1 - (1 - p)^(|S| - 1) "
    "(footnote 7: each other member leaks a player's data with probability p)",
    "model": "model: the name of a tabulated privacy-cost scaling f(|S|) (--f-file column)",
}
P_RANGE = (1e-100, 1.0)  # p within [1e-100, 1): f(2) = p keeps P_f a normal float
F_RANGE = (1e-100, 1e100)  # tabulated f(k) for k >= 2


@dataclass(frozen=True, eq=False)
class Model:
    """A scan's privacy model: ``kind`` (one of :data:`MODELS`), its ``values`` along the
    model dim (alpha, p, or the table's model names) and, for tables, ``f[t, k - 1] = f(k)``."""

    kind: str
    values: np.ndarray
    f: np.ndarray | None = None
    _kernel: list = field(default_factory=list, repr=False)  # the record, built once
    # Dask names tasks by hashing their arguments: a 128 MB table would be hashed per task
    _token: str = field(default_factory=lambda: uuid.uuid4().hex, repr=False)

    def __dask_tokenize__(self) -> tuple:
        return ("fastscan-privacy-model", self.kind, self._token)

    @property
    def dim(self) -> str | None:
        """The cube dim of the model's values (None: constant has one value and no dim)."""
        return DIMS[self.kind]

    @property
    def size(self) -> int:
        return int(self.values.size)

    def kernel(self, where: Any = slice(None)):
        """The kernels' record of the values ``where`` (a slice or index array): a
        :class:`~fastscan.kernels.datasharing.privacy.Privacy`."""
        from ..kernels.datasharing import privacy as kp  # lazy: --help must not load Numba

        if not self._kernel:
            if self.kind == "leakage":
                record = kp.leakage(self.values)
            elif self.kind == "table":
                record = kp.table(self.f)
            else:  # constant is alpha = 0: the same expressions, the same bits
                record = kp.power(self.values)
            self._kernel.append(record)
        return kp.take(self._kernel[0], where)

    def config(self) -> dict:
        """What a resume compares (a power scan's is what it always was: ``{"alpha": [...]}``)."""
        if self.kind == "power":
            return {"alpha": self.values.tolist()}
        out: dict[str, Any] = {"privacy": self.kind}
        if self.kind == "leakage":
            out["p"] = self.values.tolist()
        elif self.kind == "table":
            out["model"] = [str(v) for v in self.values]
            out["f_sha256"] = hashlib.sha256(np.ascontiguousarray(self.f).tobytes()).hexdigest()
        return out

    def coord(self) -> np.ndarray:
        """The model dim's coordinate values."""
        return self.values.astype(object) if self.kind == "table" else self.values

    def label(self, t: int) -> str:
        """``alpha=0.5``, ``p=0.01``, ``model=secagg``: value ``t`` as a user selects it."""
        if self.kind == "table":
            return f"model={self.values[t]}"
        if self.kind == "constant":
            return "f=1"
        return f"{self.dim}={float(self.values[t])!r}"

    def pf(self, t: int = 0) -> tuple:
        """The point kernels' ``(record, t)`` for value ``t``."""
        return (self.kernel(), t)

    def scaling(self, t: int = 0):
        """For :mod:`.model`'s plain formulas: alpha itself (power: the expressions of every
        power answer so far) or ``f`` as a function of ``k`` (floats from the kernels' own
        evaluation, CPU-independent)."""
        if self.kind in ("power", "constant"):
            return float(self.values[t])
        from ..kernels.datasharing.privacy import f_values

        cache: dict[int, np.ndarray] = {}

        def f(k: int) -> float:
            if k not in cache:
                cache[k] = f_values(self.pf(t), int(k))
            return float(cache[k][int(k)])

        return f

    def describe(self) -> str:
        """One line for plans and titles."""
        if self.kind == "constant":
            return "f(k) = 1"
        if self.kind == "leakage":
            return f"f(k) = 1 - (1 - p)^(k - 1), {self.size} p"
        if self.kind == "table":
            return f"f tabulated for k <= {self.f.shape[1]}, {self.size} models"
        return f"f(k) = k^alpha, {self.size} alpha"


def _f_name(arg) -> str:
    """How errors name ``f``: ``--f-file`` on the command line (where a table comes from a file),
    ``f`` in Python."""
    name = arg("f")
    return arg("f_file") if name.startswith("--") else name


def power(alpha: Any, n: int | None = None, arg=str) -> Model:
    """The paper's model over ``alpha`` (validated for ``n`` players)."""
    return Model("power", validate.check_alpha(alpha, n, arg("alpha")))


def constant() -> Model:
    """``f(k) = 1``: alpha = 0."""
    return Model("constant", np.array([0.0]))


def leakage(p: Any, arg=str) -> Model:
    """Footnote 7's model over ``p``, each in [1e-100, 1)."""
    name = arg("p")
    values = validate.float_values(p, name)
    lo, hi = P_RANGE
    bad = values[~((values >= lo) & (values < hi))]
    if bad.size:
        raise ValueError(
            f"{name} must be within [{lo:g}, 1) (a leakage probability; tiny p makes f(k) "
            f"underflow), got {float(bad[0])!r}"
        )
    return Model("leakage", values)


def table(f: Any, names: Any = None, n: int | None = None, arg=str) -> Model:
    """Tabulated models: ``f[t, k - 1] = f(k)`` for ``k = 1..K`` (rows: models named ``names``),
    every value for ``k >= 2`` finite and within [1e-100, 1e100]; ``n`` players need ``K >= n``."""
    name = _f_name(arg)
    try:
        arr = np.asarray(f, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be numbers: an array of shape (models, K)") from None
    if arr.ndim == 1:
        arr = arr[None, :]
    if arr.ndim != 2 or arr.shape[0] == 0 or arr.shape[1] < 2:
        raise ValueError(
            f"{name} must have shape (models, K) with K >= 2 rows k = 1..K, got {arr.shape}"
        )
    if names is None:
        names = [f"f{i}" for i in range(arr.shape[0])]
    names = [str(v) for v in names]
    if len(names) != arr.shape[0] or any(not v.strip() for v in names):
        raise ValueError(f"{name}: every model needs a non-empty name (got {names!r})")
    if len(set(names)) != len(names):
        raise ValueError(f"{name}: model names must differ (got {names!r})")
    body = arr[:, 1:]
    lo, hi = F_RANGE
    ok = np.isfinite(body) & (body >= lo) & (body <= hi)
    if not ok.all():
        t, j = np.argwhere(~ok)[0]
        raise ValueError(
            f"{name}: f(k) must be finite and within [{lo:g}, {hi:g}] for k >= 2, got "
            f"{float(body[t, j])!r} at k={j + 2} of model {names[t]!r}"
        )
    if n is not None:
        check_players(Model("table", np.array(names, dtype=object), arr), n, arg)
    return Model("table", np.array(names, dtype=object), np.ascontiguousarray(arr))


def check_players(model: Model, n: int, arg=str) -> None:
    """A table covers a profile of ``n`` players (rows k = 1..n)."""
    if model.kind == "table" and model.f.shape[1] < n:
        raise ValueError(
            f"{_f_name(arg)} has rows for k = 1..{model.f.shape[1]} but a profile has {n} players: "
            f"add rows up to k = {n}"
        )


def of(
    privacy: str = "power",
    *,
    alpha: Any = None,
    p: Any = None,
    f: Any = None,
    names: Any = None,
    n: int | None = None,
    arg=str,
) -> Model:
    """The model a user asked for: ``privacy`` and its one parameter (``alpha``, ``p`` or
    ``f``); a parameter of another model is refused, naming it."""
    if privacy not in MODELS:
        raise ValueError(f"{arg('privacy')} must be one of {', '.join(MODELS)}, got {privacy!r}")
    if f is not None and privacy == "power":
        privacy = "table"  # fastscan.scan(costs, sigma=..., f=array): the table is the model
    given = {"alpha": alpha, "p": p, "f": f}
    wants = {"power": "alpha", "leakage": "p", "table": "f", "constant": None}[privacy]

    def name(key: str) -> str:
        return _f_name(arg) if key == "f" else arg(key)

    for key, value in given.items():
        if value is not None and key != wants:
            raise ValueError(
                f"{name(key)} is not a parameter of {arg('privacy')} {privacy}"
                + (f" (it takes {name(wants)})" if wants else " (it has none)")
            )
    if wants and given[wants] is None:
        raise ValueError(f"{arg('privacy')} {privacy} needs {name(wants)}")
    if privacy == "power":
        return power(alpha, n, arg)
    if privacy == "leakage":
        return leakage(p, arg)
    if privacy == "table":
        return table(f, names, n, arg)
    return constant()


def at_point(
    n: int,
    alpha: Any = None,
    privacy: str = "power",
    p: Any = None,
    f: Any = None,
    arg=str,
    models: Any = None,
) -> Model:
    """One point's model for a profile of ``n`` players: one alpha, one p or one table column
    (``f`` of shape (K,), named ``models[0]``), each validated as :func:`of` does."""
    if privacy == "power" and alpha is None and f is None and p is None:
        raise ValueError(f"{arg('alpha')} is required (or another {arg('privacy')} model)")
    if alpha is not None:
        alpha = validate.check_scalar(alpha, arg("alpha"))
    if p is not None:
        p = validate.check_scalar(p, arg("p"))
    if f is not None:
        f = np.asarray(f, dtype=np.float64)
        if f.ndim == 2 and f.shape[0] == 1:
            f = f[0]
        if f.ndim != 1:
            raise ValueError(f"{_f_name(arg)} must be one model here: f(k) for k = 1..K (1-D)")
    return of(privacy, alpha=alpha, p=p, f=f, names=models if f is not None else None, n=n, arg=arg)


@dataclass(frozen=True)
class Scaling:
    """A privacy-cost scaling other than ``k^alpha`` at one value: ``kind`` leakage (``p``),
    constant, or table (``f`` for k = 1..K, column ``name`` of ``--f-file`` ``file``)."""

    kind: str
    p: float | None = None
    f: tuple[float, ...] | None = None
    name: str = ""
    file: str = ""

    def kwargs(self) -> dict:
        if self.kind == "leakage":
            return {"privacy": "leakage", "p": self.p}
        if self.kind == "table":
            return {"privacy": "table", "f": np.array(self.f)}
        return {"privacy": "constant"}

    def options(self) -> str:
        if self.kind == "leakage":
            return f"--privacy leakage --p {self.p!r}"
        if self.kind == "table":
            return f"--f-file {self.file} --model {self.name}"
        return "--privacy constant"

    def text(self) -> str:
        if self.kind == "leakage":
            return f"p={self.p:.6g}"
        return f"model={self.name}" if self.kind == "table" else "f=1"

    def pf(self):
        return at_point(len(self.f) if self.f else 2, **self.kwargs()).pf()


def read_f_file(path: str, arg=str) -> tuple[np.ndarray, list[str]]:
    """``--f-file``: a CSV (a header of model names, then rows k = 1..K) or a ``.npy`` array of
    shape (K,) or (K, models), columns named ``f0, f1, ...``; returns ``(f[models, K], names)``."""
    name = arg("f-file")
    try:
        if str(path).endswith(".npy"):
            arr = np.load(path, allow_pickle=False)
            arr = np.asarray(arr, dtype=np.float64)
            if arr.ndim == 1:
                arr = arr[:, None]
            return np.ascontiguousarray(arr.T), [f"f{i}" for i in range(arr.shape[1])]
        with open(path, encoding="utf-8") as fh:
            header = fh.readline().strip()
            names = [v.strip() for v in header.split(",")]
            if not header or any(not v for v in names):
                raise ValueError(f"{name} {path}: the first line must name every column")
            if all(_is_number(v) for v in names):
                raise ValueError(
                    f"{name} {path}: the first line must name the models (got numbers: {header})"
                )
            rows = [line for line in fh if line.strip()]
        arr = np.array([[float(v) for v in line.split(",")] for line in rows], dtype=np.float64)
    except OSError as exc:
        raise ValueError(f"{name} {path}: {exc.strerror or exc}") from None
    except ValueError as exc:
        if str(exc).startswith(name):
            raise
        raise ValueError(f"{name} {path}: not numbers under the header ({exc})") from None
    if arr.ndim != 2 or arr.shape[1] != len(names):
        raise ValueError(f"{name} {path}: every row needs {len(names)} values, one per model")
    return np.ascontiguousarray(arr.T), names


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True
