"""Fixtures of the end-to-end tests (defined in e2e_harness)."""

from e2e_harness import server

__all__ = ["server"]
