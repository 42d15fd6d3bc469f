import strategies  # noqa: F401  (registers the hypothesis profile: deadline=None for JIT)
