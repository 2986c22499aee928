"""``iamsandbox validate-policy``: check a policy document before deploying it."""

from __future__ import annotations

import argparse
from typing import Any


def register(commands: Any) -> None:
    parser = commands.add_parser("validate-policy", help="validate a policy document")
    parser.add_argument("file")
    parser.add_argument("--type", default="identity", choices=["identity", "resource", "trust", "boundary", "scp"])
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    raise NotImplementedError
