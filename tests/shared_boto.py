"""One boto3 session for the whole test run.

A new session reads the service models from disk again: ~100-250 ms a client, against ~7 ms
from a shared one, and the suite makes thousands of clients. Each client keeps its own copy
of the session's event hooks, so a hook registered on one client stays on it.
"""

from __future__ import annotations

import threading
from typing import Any

import boto3

_SESSION = boto3.session.Session(region_name="us-east-1")
_LOCK = threading.Lock()  # a Session is not thread-safe; its clients are


def shared_client(service: str, **options: Any) -> Any:
    """``boto3.client(service, **options)`` from the shared session (Region us-east-1 unless
    ``region_name`` says otherwise)."""
    with _LOCK:
        return _SESSION.client(service, **options)
