"""Kernels of the coalition-structure (partition) game."""
