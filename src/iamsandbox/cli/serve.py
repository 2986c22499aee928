"""``iamsandbox serve``: every service on one port (IAM, STS, S3), over one store.

``--host`` / ``IAMSANDBOX_HOST`` (default 127.0.0.1), ``--port`` / ``IAMSANDBOX_PORT``
(default 4599), and the store flags of ``config.py``. uvicorn serves the ASGI app on
uvloop with httptools.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

from ..store import load_master_keys
from .config import StoreConfig, add_store_arguments

DEFAULT_PORT = 4599


def register(commands: Any) -> None:
    serve = commands.add_parser("serve", help="run the server: IAM, STS and S3 on one port")
    serve.add_argument("--host", default=os.environ.get("IAMSANDBOX_HOST", "127.0.0.1"))
    serve.add_argument("--port", type=int, default=int(os.environ.get("IAMSANDBOX_PORT", DEFAULT_PORT)))
    serve.add_argument("--demo", action="store_true", help="set up the reference workflow first (empty store)")
    add_store_arguments(serve)
    serve.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    import uvicorn

    from ..server.app import App

    config = StoreConfig.from_args(args)
    store = config.open()
    if args.demo:
        from .demo import set_up

        try:
            print(set_up(store, args.port))
        except ValueError as error:
            print(f"iamsandbox serve --demo: {error}", file=sys.stderr)
            store.close()
            return 1
    app = App(store, load_master_keys(config.data_dir))
    print(f"iamsandbox: serving IAM, STS and S3 on http://{args.host}:{args.port} (store: {config.database_url})")
    sys.stdout.flush()
    try:
        uvicorn.run(app, host=args.host, port=args.port, loop="uvloop", http="httptools", log_level="warning")
    finally:
        store.close()
    return 0
