"""The IXP group-formation game (paper 003: agents choose facilities; stability with pricing,
PoS/PoA, payments, approximation algorithms). ``model``: the definitions for one instance."""
