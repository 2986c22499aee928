"""``iamsandbox serve``: every service on one port (IAM, STS, S3), over one store.

``--host`` / ``IAMSANDBOX_HOST`` (default 127.0.0.1), ``--port`` / ``IAMSANDBOX_PORT``
(default 4599), ``--demo``, and the store flags of ``config.py``. uvicorn serves the ASGI
app on uvloop with httptools.

The listening socket is bound first, before the heavier imports and the app are built:
the port accepts connections at once and they wait in the backlog until the app is ready,
so a client (or a test) that starts the server and connects right away is not refused.
"""

from __future__ import annotations

import argparse
import gc
import os
import socket
import sys
from typing import Any

from .config import add_store_arguments

DEFAULT_PORT = 4599


def port_number(text: str) -> int:
    """A TCP port, 0 to 65535 (0: any free port), from --port or IAMSANDBOX_PORT."""
    try:
        port = int(text)
    except ValueError:
        port = -1
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number (0 to 65535)")
    return port


def register(commands: Any) -> None:
    serve = commands.add_parser("serve", help="run the server: IAM, STS and S3 on one port")
    serve.add_argument(
        "--host",
        default=os.environ.get("IAMSANDBOX_HOST", "127.0.0.1"),
        help="address to listen on (env IAMSANDBOX_HOST; default 127.0.0.1)",
    )
    # A string default goes through ``type`` too: a bad IAMSANDBOX_PORT is a usage error of
    # serve (exit 2), not a crash of every command while the parser is built.
    serve.add_argument(
        "--port",
        type=port_number,
        default=os.environ.get("IAMSANDBOX_PORT", str(DEFAULT_PORT)),
        help=f"port to listen on (env IAMSANDBOX_PORT; default {DEFAULT_PORT})",
    )
    serve.add_argument("--demo", action="store_true", help="set up the reference workflow first (empty store)")
    add_store_arguments(serve)
    serve.set_defaults(handler=run)


def _listen(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


def run(args: argparse.Namespace) -> int:
    try:
        sock = _listen(args.host, args.port)
    except OSError as error:  # taken, not an address of this host, no such name
        print(
            f"iamsandbox serve: cannot listen on {args.host} port {args.port}: {error.strerror or error}",
            file=sys.stderr,
        )
        return 1

    import uvicorn

    from ..server.app import App
    from ..store import load_master_keys
    from .config import StoreConfig

    config = StoreConfig.from_args(args)
    store = config.open()
    if args.demo:
        from .demo import set_up

        try:
            print(set_up(store, args.port, args.host))
        except ValueError as error:
            print(f"iamsandbox serve --demo: {error}", file=sys.stderr)
            store.close()
            return 1
    app = App(store, load_master_keys(config.data_dir))
    # What start-up built (service models, the AWS managed policies, compiled plans) lives
    # as long as the server: frozen out of the collector's generations, so a full
    # collection no longer walks it on the request path (gc.freeze, "gc" in Python's docs).
    gc.collect()
    gc.freeze()
    host = f"[{args.host}]" if ":" in args.host else args.host  # an IPv6 address in a URL (RFC 3986)
    print(f"iamsandbox: serving IAM, STS and S3 on http://{host}:{args.port} (store: {config.database_url})")
    sys.stdout.flush()
    server = uvicorn.Server(uvicorn.Config(app, loop="uvloop", http="httptools", log_level="warning", access_log=False))
    try:
        server.run(sockets=[sock])
    finally:
        store.close()
    return 0
