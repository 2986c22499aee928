"""``iamsandbox serve`` refuses what it cannot listen on in one line, never a traceback; a bad
IAMSANDBOX_PORT (or worker count) is serve's usage error and leaves the other commands alone."""

from __future__ import annotations

import os
import re
import signal
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
    # demo names serve's port in what it prints: the same variable, refused as serve refuses it
    # (it printed the default port's URLs instead).
    done = _run("demo", "--data", str(tmp_path / "demo"), env={"IAMSANDBOX_PORT": "abc"})
    assert done.returncode == 2 and "is not a port number (0 to 65535)" in done.stderr, done.stderr


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


def test_a_data_directory_that_cannot_be_made_is_one_line(tmp_path: Path) -> None:
    """A file where the data directory should be, or beneath a file: one line, exit 1 (found
    by an operations review: FileExistsError and NotADirectoryError tracebacks)."""
    in_the_way = tmp_path / "afile"
    in_the_way.write_text("x")
    for data in (in_the_way, in_the_way / "sub"):
        for command in (["serve", "--port", "0"], ["account", "create", "--json"]):
            done = _run(*command, "--data", str(data))
            assert done.returncode == 1, done.stderr
            assert done.stderr.startswith(f"iamsandbox {command[0]}: cannot make the data directory {data}: ")
            assert "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) == 1


def test_a_malformed_database_url_is_one_line_without_its_password(tmp_path: Path) -> None:
    for url in ("sqlite://", "postgresql+psycopg://postgres:SuperSecretPW@127.0.0.1:x/test"):
        done = _run("serve", "--port", "0", "--database-url", url, env={"IAMSANDBOX_DATA": str(tmp_path)})
        assert done.returncode == 1, done.stderr
        assert done.stderr.startswith("iamsandbox serve: cannot open ")
        assert "Traceback" not in done.stderr and "SuperSecretPW" not in done.stderr


def test_empty_settings_are_refused_not_replaced_by_defaults(tmp_path: Path) -> None:
    """An unset CI variable expands to "": --host "" would listen on every interface and an
    empty IAMSANDBOX_DATABASE_URL would give each replica a private SQLite store of its own."""
    for args, env in ((["--host", ""], {}), ([], {"IAMSANDBOX_HOST": ""}), (["--database-url", ""], {})):
        done = _run("serve", "--port", "0", *args, env={"IAMSANDBOX_DATA": str(tmp_path), **env})
        assert done.returncode == 2 and "must not be empty" in done.stderr, done.stderr
    for name in ("IAMSANDBOX_DATABASE_URL", "IAMSANDBOX_DATA"):
        done = _run("serve", "--port", "0", env={name: ""})
        assert done.returncode == 1, done.stderr
        assert done.stderr.strip() == f"iamsandbox serve: {name} is set but empty: unset it, or give it a value"


def test_port_zero_names_the_port_it_got_and_signals_stop_it_cleanly(tmp_path: Path) -> None:
    """--port 0 ("0: any free port") prints the port the system chose, so a script can find
    the server; SIGTERM and SIGINT stop it with exit 0 and no traceback (uvicorn raises the
    signal again once it has shut down: it exited 143, or 130 with a KeyboardInterrupt)."""
    for signum in (signal.SIGTERM, signal.SIGINT):
        process = subprocess.Popen(
            [COMMAND, "serve", "--port", "0", "--data", str(tmp_path)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            assert process.stdout is not None
            banner = process.stdout.readline()
            found = re.search(r"on http://127\.0\.0\.1:(\d+) ", banner)
            assert found is not None and found.group(1) != "0", banner
            with socket.create_connection(("127.0.0.1", int(found.group(1))), timeout=10):
                pass
            process.send_signal(signum)
            _out, err = process.communicate(timeout=30)
        finally:
            process.kill() if process.poll() is None else None
        assert process.returncode == 0, err
        assert "Traceback" not in err


def test_output_into_a_closed_pipe_is_no_traceback() -> None:
    """`iamsandbox coverage --json | head -c 100`: the reader goes away early."""
    done = subprocess.run(
        f"'{COMMAND}' coverage --json | head -c 100 >/dev/null", shell=True, capture_output=True, text=True, timeout=60
    )
    assert "Traceback" not in done.stderr and "BrokenPipeError" not in done.stderr, done.stderr


def test_a_new_sqlite_store_is_readable_by_its_owner_only(tmp_path: Path) -> None:
    """The database holds names, policies and objects (secrets are sealed): made 0600 also in
    a data directory that exists already with the usual mode (it was 0644 there)."""
    given = tmp_path / "given"
    given.mkdir(mode=0o755)
    done = _run("account", "create", "--json", "--data", str(given))
    assert done.returncode == 0, done.stderr
    assert (given / "iamsandbox.db").stat().st_mode & 0o777 == 0o600
