"""``iamsandbox simulate-custom-policy``: IAM's SimulateCustomPolicy, offline."""

from __future__ import annotations

import argparse
from typing import Any


def register(commands: Any) -> None:
    parser = commands.add_parser("simulate-custom-policy", help="simulate policies offline, as IAM's API does")
    parser.add_argument("--cli-input-json", required=True)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    raise NotImplementedError
