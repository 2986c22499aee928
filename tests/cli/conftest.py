"""Fixtures of the cli tests (defined in cli_harness, a uniquely named module)."""

from cli_harness import run_cli, s3_read_only, simulate

__all__ = ["run_cli", "simulate", "s3_read_only"]
