"""Marker package: if it is importable, pip installed it from the test's own index."""

NAME = "s2i-index-probe"
__version__ = "1.0.0"
