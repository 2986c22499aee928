"""Fixtures of the store tests (defined in store_harness, a uniquely named module)."""

from store_harness import accounts, database, lite, store

__all__ = ["database", "store", "accounts", "lite"]
