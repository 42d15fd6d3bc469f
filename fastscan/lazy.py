"""Names of a package that load their module on first use (``import fastscan`` and ``fastscan
--help`` stay instant): one mechanism for the top level and every game package."""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from typing import Any


def attach(package: str, names: dict[str, str]) -> tuple[Callable, Callable, list[str]]:
    """``__getattr__``, ``__dir__`` and ``__all__`` for ``package`` whose ``names`` map a name
    to the module (absolute, or relative to ``package``) that defines it."""
    public = sorted(names)

    def __getattr__(name: str) -> Any:
        if name in names:
            return getattr(import_module(names[name], package), name)
        raise AttributeError(f"module {package!r} has no attribute {name!r}")

    def __dir__() -> list[str]:
        return public

    return __getattr__, __dir__, public
