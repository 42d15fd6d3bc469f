"""Numba kernels of the data-sharing game (Bassily et al.): closed forms of Claims 5/6 and Lemma 1,
the enumeration of every coalition (``allsets``) or the downward-closed ones (``downward``), and
per-point helpers (``point``); ``contracts`` names their inputs and outputs."""
