"""``iamsandbox coverage``: per service, which operations of botocore's model have a handler.

An operation AWS has and iamsandbox does not answers NotImplemented naming it; this
command lists them, so a user knows before calling.
"""

from __future__ import annotations

import argparse
import json
from typing import Any


def implemented() -> dict[str, dict[str, Any]]:
    """The handler tables by service (``services/registry.py``)."""
    from ..services.registry import handler_tables

    return dict(handler_tables())


def register(commands: Any) -> None:
    coverage = commands.add_parser("coverage", help="which operations of each service are implemented")
    coverage.add_argument("--json", action="store_true", help="print a JSON object")
    coverage.add_argument("--missing", action="store_true", help="also list the operations not implemented")
    coverage.set_defaults(handler=run)


def table() -> dict[str, dict[str, list[str]]]:
    from ..protocol.model import ServiceModels

    models = ServiceModels()
    out: dict[str, dict[str, list[str]]] = {}
    for service, handlers in implemented().items():
        names = sorted(models.service(service).operation_names)
        out[service] = {
            "implemented": [n for n in names if n in handlers],
            "missing": [n for n in names if n not in handlers],
        }
    return out


def run(args: argparse.Namespace) -> int:
    found = table()
    if args.json:
        print(json.dumps(found, indent=2))
        return 0
    for service, parts in found.items():
        done, missing = parts["implemented"], parts["missing"]
        print(f"{service}: {len(done)} of {len(done) + len(missing)} operations")
        print("  implemented: " + ", ".join(done))
        if args.missing:
            print("  not implemented: " + ", ".join(missing))
    return 0
