"""A real ``iamsandbox serve`` on a free loopback port, for the end-to-end tests.

The server runs as a subprocess with its own data directory; the fixture waits until the
port answers and shows the server's output when a test fails.
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

BIN = Path(sys.executable).parent


@dataclass
class Server:
    url: str
    data: Path
    log: Path

    def create_account(self, account_id: str) -> dict[str, str]:
        done = subprocess.run(
            [str(BIN / "iamsandbox"), "account", "create", "--id", account_id, "--data", str(self.data), "--json"],
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
        created: dict[str, str] = json.loads(done.stdout)
        return created


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def start(tmp_path: Path, *extra: str) -> tuple[subprocess.Popen[bytes], Server]:
    """Start ``iamsandbox serve`` on a free port and wait until the port answers."""
    port = _free_port()
    log = tmp_path / "server.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [str(BIN / "iamsandbox"), "serve", "--port", str(port), "--data", str(tmp_path / "data"), *extra],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return process, Server(f"http://127.0.0.1:{port}", tmp_path / "data", log)
        except OSError:
            if process.poll() is not None:
                pytest.fail(f"the server exited:\n{log.read_text()}")
            time.sleep(0.05)
    process.kill()
    pytest.fail(f"the server did not open its port:\n{log.read_text()}")


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    process, running = start(tmp_path)
    try:
        yield running
    finally:
        process.terminate()
        process.wait(timeout=10)
        print(running.log.read_text())  # shown by pytest when the test failed
