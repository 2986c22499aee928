"""Compiled policy sets cached by what identifies a policy version.

A policy's compiled form depends only on its text, so a cache keyed by the policy's ARN
and version id (or a hash of an inline policy's text) is never stale: a new version gets a
new key. The owner (the server app) holds one ``CompileCache``; nothing here is global.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

Value = TypeVar("Value")


class CompileCache(Generic[Value]):
    """A bounded least-recently-used map from a version key to a compiled value."""

    def __init__(self, capacity: int = 4096) -> None:
        self.capacity = capacity
        self._items: OrderedDict[Hashable, Value] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, key: Hashable, build: Callable[[], Value]) -> Value:
        """The value for ``key``, built by ``build()`` on first use."""
        with self._lock:
            value = self._items.get(key)
            if value is not None:
                self._items.move_to_end(key)
                self.hits += 1
                return value
        value = build()  # outside the lock: compiling may take a while
        with self._lock:
            self.misses += 1
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.capacity:
                self._items.popitem(last=False)
        return value

    def __len__(self) -> int:
        return len(self._items)

    def __repr__(self) -> str:
        return f"CompileCache({len(self._items)}/{self.capacity}, hits={self.hits}, misses={self.misses})"
