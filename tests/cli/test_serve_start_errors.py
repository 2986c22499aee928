"""``iamsandbox serve`` refuses what it cannot listen on in one line, never a traceback; a bad
IAMSANDBOX_PORT (or worker count) is serve's usage error and leaves the other commands alone."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

COMMAND = str(Path(sys.executable).parent / "iamsandbox")


def _run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [COMMAND, *args], capture_output=True, text=True, timeout=60, check=False, env={**os.environ, **(env or {})}
    )


def test_a_port_in_use_is_one_line(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        done = _run("serve", "--port", str(port), "--data", str(tmp_path))
    assert done.returncode == 1
    assert done.stderr.strip() == f"iamsandbox serve: cannot listen on 127.0.0.1 port {port}: Address already in use"


def test_bad_ports_are_usage_errors(tmp_path: Path) -> None:
    for args, env in ((["--port", "99999"], {}), ([], {"IAMSANDBOX_PORT": "abc"})):
        done = _run("serve", "--data", str(tmp_path), *args, env=env)
        assert done.returncode == 2, done.stderr
        assert "is not a port number (0 to 65535)" in done.stderr and "Traceback" not in done.stderr
    assert _run("coverage", env={"IAMSANDBOX_PORT": "abc"}).returncode == 0  # other commands unaffected


def test_bad_worker_counts_are_usage_errors(tmp_path: Path) -> None:
    for args, env in ((["--workers", "0"], {}), (["--workers", "65"], {}), ([], {"IAMSANDBOX_WORKERS": "two"})):
        done = _run("serve", "--data", str(tmp_path), *args, env=env)
        assert done.returncode == 2, done.stderr
        assert "is not a number of workers (1 to 64)" in done.stderr and "Traceback" not in done.stderr


def test_demo_names_the_port_serve_will_use(tmp_path: Path) -> None:
    done = _run("demo", "--data", str(tmp_path), env={"IAMSANDBOX_PORT": "4711"})
    assert done.returncode == 0, done.stderr
    assert "http://127.0.0.1:4711" in done.stdout and "4599" not in done.stdout
    # alice's console sign-in URL (the account filled in), next to her password.
    lines = done.stdout.splitlines()
    url = lines.index("  console sign-in URL: http://127.0.0.1:4711/console/signin?account=222222222222")
    assert lines[url + 1].startswith("  console password: ")
    # --port names the port of a server started otherwise (serve --port): it wins.
    done = _run("demo", "--data", str(tmp_path / "other"), "--port", "4712", env={"IAMSANDBOX_PORT": "4711"})
    assert done.returncode == 0, done.stderr
    assert "http://127.0.0.1:4712" in done.stdout and "4711" not in done.stdout


def test_demo_names_the_host_serve_will_listen_on(tmp_path: Path) -> None:
    # serve --demo --host 127.0.0.2 (or IAMSANDBOX_HOST) prints commands for that address; a
    # wildcard address is reached on the loopback one.
    done = _run("demo", "--data", str(tmp_path / "a"), "--port", "4713", env={"IAMSANDBOX_HOST": "127.0.0.2"})
    assert done.returncode == 0, done.stderr
    assert "export AWS_ENDPOINT_URL=http://127.0.0.2:4713" in done.stdout
    done = _run("demo", "--data", str(tmp_path / "b"), "--port", "4714", env={"IAMSANDBOX_HOST": "0.0.0.0"})
    assert "export AWS_ENDPOINT_URL=http://127.0.0.1:4714" in done.stdout
