"""Fixtures shared by the STS and S3 handler tests (defined in services_harness)."""

from services_harness import call, codec, shared, store

__all__ = ["call", "codec", "shared", "store"]
