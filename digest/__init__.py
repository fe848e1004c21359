"""digest: a static site generator for an Indonesian election-security news digest."""

__version__ = "0.1.0"
