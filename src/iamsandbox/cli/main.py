"""``iamsandbox``: the command-line entry point; dispatches to one module per command."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from . import account, coverage, demo, explore, serve, simulate, validate_policy
from .config import StoreOpenError


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="iamsandbox", description="A local, multi-account AWS whose IAM is real.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    simulate.register(commands)
    validate_policy.register(commands)
    account.register(commands)
    serve.register(commands)
    demo.register(commands)
    coverage.register(commands)
    explore.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        result: int = args.handler(args)
    except StoreOpenError as error:
        print(f"iamsandbox {args.command}: {error}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        # The output's reader went away (`iamsandbox coverage | head`): no traceback, and
        # nothing more written to the closed pipe when Python flushes at exit ("Note on
        # SIGPIPE", the signal module's documentation).
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    return result


if __name__ == "__main__":
    sys.exit(main())
