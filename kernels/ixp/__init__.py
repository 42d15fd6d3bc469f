"""Numba kernels of the IXP group-formation game (paper 003): exhaustive enumeration of
assignments; ``contracts`` names their inputs and outputs."""
