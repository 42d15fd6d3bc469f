"""Shared test settings: the hypothesis profiles and the ``slow`` marker.

``make test`` runs everything with the ``fastscan`` profile; ``HYPOTHESIS_PROFILE=thorough``
draws ten times more examples, and ``pytest -m "not slow"`` leaves out the tests that take
seconds (fresh processes, kills, clusters) for a quick loop while editing.
"""

from __future__ import annotations

import os

from hypothesis import settings

# deadline=None: the first example of a test compiles (or loads) kernels
settings.register_profile("fastscan", deadline=None, max_examples=40, print_blob=True)
settings.register_profile("thorough", deadline=None, max_examples=400, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "fastscan"))
