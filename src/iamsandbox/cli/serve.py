"""``iamsandbox serve``: every service on one port (IAM, STS, S3), over one store.

``--host`` / ``IAMSANDBOX_HOST`` (default 127.0.0.1), ``--port`` / ``IAMSANDBOX_PORT``
(default 4599), ``--workers`` / ``IAMSANDBOX_WORKERS`` (default 1), ``--demo``, and the store
flags of ``config.py``. uvicorn serves the ASGI app on uvloop with httptools.

With ``--workers N`` (N > 1) the app is built once, then N processes forked from it accept
on the one listening socket (the kernel hands each connection to one of them) and share the
store as replicas do: each opens its own database connections, and what a process keeps in
memory (compiled policies, opened session tokens, the row cache) is checked against the
store's versions on every request, so a write through one worker is seen by the next
request to any. The first process only supervises: it passes SIGINT and SIGTERM on, and
stops the others and exits 1 if a worker dies.

The listening socket is bound first, before the heavier imports and the app are built:
the port accepts connections at once and they wait in the backlog until the app is ready,
so a client (or a test) that starts the server and connects right away is not refused.
"""

from __future__ import annotations

import argparse
import gc
import os
import signal
import socket
import sys
from typing import TYPE_CHECKING, Any

from .config import add_store_arguments, not_empty

if TYPE_CHECKING:
    from ..server.app import App

DEFAULT_PORT = 4599
MAX_WORKERS = 64
_STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


def port_number(text: str) -> int:
    """A TCP port, 0 to 65535 (0: any free port), from --port or IAMSANDBOX_PORT."""
    try:
        port = int(text)
    except ValueError:
        port = -1
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number (0 to 65535)")
    return port


def worker_count(text: str) -> int:
    """A number of server processes, 1 to MAX_WORKERS, from --workers or IAMSANDBOX_WORKERS."""
    try:
        workers = int(text)
    except ValueError:
        workers = 0
    if not 1 <= workers <= MAX_WORKERS:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of workers (1 to {MAX_WORKERS})")
    return workers


def register(commands: Any) -> None:
    serve = commands.add_parser("serve", help="run the server: IAM, STS, S3, Organizations and CloudTrail on one port")
    serve.add_argument(
        "--host",
        type=not_empty,  # "" would listen on every interface
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
    serve.add_argument(
        "--workers",
        type=worker_count,
        default=os.environ.get("IAMSANDBOX_WORKERS", "1"),
        help="server processes sharing the port and the store (env IAMSANDBOX_WORKERS; default 1)",
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
    if args.workers > 1 and not hasattr(os, "fork"):
        print("iamsandbox serve: --workers above 1 needs fork(), which this system lacks", file=sys.stderr)
        return 1
    try:
        sock = _listen(args.host, args.port)
    except OSError as error:  # taken, not an address of this host, no such name
        print(
            f"iamsandbox serve: cannot listen on {args.host} port {args.port}: {error.strerror or error}",
            file=sys.stderr,
        )
        return 1

    from ..server.app import App
    from ..store import load_master_keys
    from .config import StoreConfig

    port = sock.getsockname()[1]  # the one the system chose for --port 0
    try:
        config = StoreConfig.from_args(args)
        store = config.open()
    except BaseException:
        sock.close()
        raise
    if args.demo:
        from .demo import set_up

        try:
            print(set_up(store, port, args.host))
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
    processes = f", {args.workers} worker processes" if args.workers > 1 else ""
    if args.workers > 1:
        _banner(host, port, config.database_url, processes)
        return _serve_forked(app, sock, args.workers)
    # uvicorn stops gracefully on SIGINT and SIGTERM, then raises the signal again under the
    # handler it found ("re-raise" since uvicorn 0.29): with Python's, a SIGTERM killed the
    # process (exit 143) and a Ctrl-C printed a KeyboardInterrupt traceback (exit 130). This
    # handler ends the run instead, so that a stopped server exits 0, as a CI script's
    # `kill; wait` expects; set before the banner, it also stops a server signalled before
    # uvicorn has taken the signals over (nothing was served yet).
    for signum in _STOP_SIGNALS:
        signal.signal(signum, _stopped)
    try:
        _banner(host, port, config.database_url, processes)
        _uvicorn_server(app).run(sockets=[sock])
    except _Stopped:
        pass
    finally:
        store.close()
    return 0


def _banner(host: str, port: int, database_url: str, processes: str) -> None:
    services = "IAM, STS, S3, Organizations and CloudTrail"
    print(f"iamsandbox: serving {services} on http://{host}:{port} (store: {database_url}{processes})")
    sys.stdout.flush()


class _Stopped(BaseException):
    """Raised by the stop signals' handler: the server is to end (``run``)."""


def _stopped(_signum: int, _frame: Any) -> None:
    raise _Stopped


def _uvicorn_server(app: App) -> Any:
    import uvicorn

    return uvicorn.Server(uvicorn.Config(app, loop="uvloop", http="httptools", log_level="warning", access_log=False))


def _serve_forked(app: App, sock: socket.socket, workers: int) -> int:
    """Fork ``workers`` processes that serve ``app`` on ``sock``, and supervise them."""
    # A database connection must not cross fork() ("Do not open an SQLite database
    # connection, then fork(), then try to use that database connection in the child
    # process", sqlite.org "How To Corrupt An SQLite Database File"): each worker opens its own.
    app.store.release_connections()
    children: set[int] = set()
    stopping = False

    def stop(signum: int, _frame: Any) -> None:
        nonlocal stopping
        stopping = True
        for pid in children:
            _signal(pid, signal.SIGTERM)

    # Blocked while forking: a signal between a fork and its handler must neither kill the
    # supervisor (leaving the workers behind) nor reach a worker's handler before uvicorn's.
    signal.pthread_sigmask(signal.SIG_BLOCK, _STOP_SIGNALS)
    try:
        for _ in range(workers):
            supervisor = os.getpid()
            pid = os.fork()
            if pid == 0:
                _worker(app, sock, supervisor)  # never returns
            children.add(pid)
        for signum in _STOP_SIGNALS:
            signal.signal(signum, stop)
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, _STOP_SIGNALS)
    status = 0
    while children:
        try:
            pid, code = os.wait()
        except ChildProcessError:
            break
        children.discard(pid)
        if not stopping:
            # A worker gone on its own (killed, out of memory): stop the rest and say so,
            # rather than serve on with fewer workers than asked for.
            print(f"iamsandbox serve: worker {pid} exited ({_described(code)}); stopping", file=sys.stderr)
            stop(signal.SIGTERM, None)
            status = 1
    sock.close()
    app.store.close()
    return status


def _worker(app: App, sock: socket.socket, supervisor: int) -> None:
    """A forked worker: serve until SIGINT or SIGTERM, then write what the app keeps in
    memory (the lifespan's shutdown) and leave without running the supervisor's exit code.
    A supervisor that dies without passing a signal on (``kill -9``) sends its workers
    SIGTERM (Linux's parent-death signal), so none is left serving the port."""
    code = 1
    try:
        for signum in _STOP_SIGNALS:
            signal.signal(signum, signal.SIG_DFL)
        _stop_with_parent()
        if os.getppid() != supervisor:  # it died before the parent-death signal was set
            os._exit(1)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, _STOP_SIGNALS)
        try:
            _uvicorn_server(app).run(sockets=[sock])
            code = 0
        finally:
            app.store.close()
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


_PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def _stop_with_parent() -> None:
    """Ask Linux to send this process SIGTERM when its parent dies (prctl(2),
    PR_SET_PDEATHSIG); elsewhere nothing (the supervisor's signals still reach workers)."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(_PR_SET_PDEATHSIG, int(signal.SIGTERM), 0, 0, 0)


def _signal(pid: int, signum: int) -> None:
    try:
        os.kill(pid, signum)
    except ProcessLookupError:
        pass  # already gone


def _described(status: int) -> str:
    if os.WIFSIGNALED(status):
        return f"signal {os.WTERMSIG(status)}"
    return f"exit code {os.waitstatus_to_exitcode(status)}"
