"""Fixtures of the end-to-end tests (defined in e2e_harness, and policy_examples_harness for
the policy-example modules: one server per module)."""

from e2e_harness import server
from policy_examples_harness import worlds

__all__ = ["server", "worlds"]
