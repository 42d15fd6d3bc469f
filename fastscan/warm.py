"""One compile wait after an install: the first command that runs kernels compiles every
registered game's kernels into the on-disk cache (each game lists the steps that exercise them,
:meth:`fastscan.game.Game.warm_steps`), so no later command compiles, whichever it is.

The steps run here, one after the other. Measured cold on the 2-core development machine, that
is 59 s of CPU; two processes side by side took 105 s of CPU (each pays Numba's start and the
helpers both kernels use), so they would finish sooner only on idle cores, and later on a busy
machine: not worth a process pool.
"""

from __future__ import annotations

from collections.abc import Callable

from .game import all_games

WARM = "every-game"  # the cache folder's mark: every registered game's kernels are in it


def compile_kernels(notify: Callable[[str], None] | None = None) -> bool:
    """Compile every registered game's kernels into the on-disk cache, once after an install
    (every CLI command that runs kernels calls this first).

    Parameters
    ----------
    notify : callable, optional
        Hears one line before the wait, only when Numba actually compiles something, and a
        line for a step that failed.

    Returns
    -------
    bool
        Whether the steps ran now (False: the cache had them, or caching is off).
    """
    from .kernels._numba import announce, is_cached, mark_cached

    # one stat when cached: a warm command must not pay for importing every game
    if is_cached(WARM):
        return False
    notify = notify or (lambda message: None)
    with announce("every game", notify):
        for game in all_games():
            for index, step in enumerate(game.warm_steps()):
                try:
                    step()
                except Exception as err:  # a command must not fail for a step it may not need
                    notify(f"fastscan: could not compile ahead ({game.name} step {index}): {err}")
                    return True  # unmarked: the next command tries again
    mark_cached(WARM)
    return True
