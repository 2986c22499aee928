"""How many hypothesis examples the slow tests run (``make test-slow``).

``IAMSANDBOX_SLOW_SCALE`` scales each slow test's example count (default 1, the full
runs); ``.ci/run`` sets a smaller scale so CI, which also runs the whole default suite,
stays within its time budget. The default suite's quick fuzz tests are not scaled."""

from __future__ import annotations

import os


def slow_examples(full: int) -> int:
    return max(1, round(full * float(os.environ.get("IAMSANDBOX_SLOW_SCALE", "1"))))
