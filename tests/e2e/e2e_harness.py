"""A real ``iamsandbox serve`` on a free loopback port, for the end-to-end tests.

The server runs as a subprocess with its own data directory; the fixture waits until the
port answers and shows the server's output when a test fails.
"""

from __future__ import annotations

import atexit
import contextlib
import io
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from botocore.config import Config

from iamsandbox.cli.main import main as cli_main
from shared_boto import shared_client

BIN = Path(sys.executable).parent
A, B = "111111111111", "222222222222"
ROLE = "my-s3-x-account-role"
ROLE_ARN = f"arn:aws:iam::{A}:role/{ROLE}"


@dataclass
class Server:
    url: str
    data: Path
    log: Path
    roots: dict[str, dict[str, str]] = field(default_factory=dict)  # root keys by account

    def create_account(self, account_id: str) -> dict[str, str]:
        """``iamsandbox account create --id ID --data DIR --json`` against the running
        server's store, run in this process (the command's own code, without a second
        interpreter's start-up; tests/cli runs it as a subprocess)."""
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            status = cli_main(["account", "create", "--id", account_id, "--data", str(self.data), "--json"])
        assert status == 0, out.getvalue()
        created: dict[str, str] = json.loads(out.getvalue())
        self.roots[account_id] = created
        return created


def aws_cli(
    server: Server, home: Path, keys: dict[str, str], *args: str, timeout: int = 120
) -> subprocess.CompletedProcess[str]:
    """The ``aws`` command (PyPI awscli) against ``server`` with ``keys``, from an empty
    home (no profile, no session token of the environment)."""
    env = {
        **os.environ,
        "AWS_ACCESS_KEY_ID": keys["AccessKeyId"],
        "AWS_SECRET_ACCESS_KEY": keys["SecretAccessKey"],
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_ENDPOINT_URL": server.url,
        "HOME": str(home),
        "PYTHONIOENCODING": "utf-8",
    }
    env.pop("AWS_SESSION_TOKEN", None)
    env.pop("AWS_PROFILE", None)
    aws = str(BIN / "aws")
    return subprocess.run([aws, *args], capture_output=True, text=True, env=env, timeout=timeout, check=False)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _spawn(directory: Path, *extra: str) -> tuple[subprocess.Popen[bytes], Server]:
    """``iamsandbox serve`` on a free port with its data in ``directory``, not yet waited for."""
    port = _free_port()
    log = directory / "server.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [str(BIN / "iamsandbox"), "serve", "--port", str(port), "--data", str(directory / "data"), *extra],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    return process, Server(f"http://127.0.0.1:{port}", directory / "data", log)


def _wait_ready(process: subprocess.Popen[bytes], server: Server) -> None:
    """Until the port answers and the server says it serves."""
    port = int(server.url.rsplit(":", 1)[1])
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                pass
            # The port opens before the app is built (connections wait in the backlog);
            # the "serving" line says the app is ready and --demo's output is written.
            while "iamsandbox: serving" not in server.log.read_text() and time.monotonic() < deadline:
                if process.poll() is not None:
                    pytest.fail(f"the server exited:\n{server.log.read_text()}")
                time.sleep(0.02)
            return
        except OSError:
            if process.poll() is not None:
                pytest.fail(f"the server exited:\n{server.log.read_text()}")
            time.sleep(0.05)
    process.kill()
    pytest.fail(f"the server did not open its port:\n{server.log.read_text()}")


# One server started ahead, with an empty store of its own, for the next test that asks
# for a plain one: its ~1 s of start-up (imports, the store's creation) runs on the
# other core while the current test runs. Each test still gets a server no other test used.
_spare: tuple[subprocess.Popen[bytes], Server] | None = None
_spare_dirs: list[Path] = []


def _stop_spare() -> None:
    if _spare is not None:
        _spare[0].kill()
        _spare[0].wait(timeout=10)
    for directory in _spare_dirs:
        shutil.rmtree(directory, ignore_errors=True)


atexit.register(_stop_spare)


def start(tmp_path: Path, *extra: str) -> tuple[subprocess.Popen[bytes], Server]:
    """Start ``iamsandbox serve`` on a free port and wait until it serves (a plain server
    is the one started ahead, when there is one; another is started ahead for the next test)."""
    global _spare
    if extra:
        process, running = _spawn(tmp_path, *extra)
    else:
        process, running = _spare if _spare is not None else _spawn(tmp_path)
        _spare_dirs.append(Path(tempfile.mkdtemp(prefix="iamsandbox-e2e-")))
        _spare = _spawn(_spare_dirs[-1])
    _wait_ready(process, running)
    return process, running


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    process, running = start(tmp_path)
    try:
        yield running
    finally:
        process.terminate()
        process.wait(timeout=10)
        print(running.log.read_text())  # shown by pytest when the test failed


def _client(
    server: Server, service: str, keys: dict[str, str], token: str | None = None, signature_version: str | None = None
) -> Any:
    config = Config(signature_version=signature_version) if signature_version else None
    return shared_client(
        service,
        endpoint_url=server.url,
        config=config,
        aws_access_key_id=keys["AccessKeyId"],
        aws_secret_access_key=keys["SecretAccessKey"],
        aws_session_token=token,
    )


def _set_up(server: Server) -> dict[str, str]:
    root_a, root_b = server.create_account(A), server.create_account(B)
    iam_a = _client(server, "iam", root_a)
    trust = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{B}:root"}, "Action": "sts:AssumeRole"}],
    }
    iam_a.create_role(RoleName=ROLE, AssumeRolePolicyDocument=json.dumps(trust))
    iam_a.attach_role_policy(RoleName=ROLE, PolicyArn="arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess")
    s3_a = _client(server, "s3", root_a)
    s3_a.create_bucket(Bucket="shared-bucket")
    s3_a.put_object(Bucket="shared-bucket", Key="report.csv", Body=b"a,b\n1,2\n")

    iam_b = _client(server, "iam", root_b)
    policy = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": ROLE_ARN}],
    }
    arn = iam_b.create_policy(PolicyName="my-s3-x-account-policy", PolicyDocument=json.dumps(policy))["Policy"]["Arn"]
    iam_b.create_user(UserName="alice")
    iam_b.attach_user_policy(UserName="alice", PolicyArn=arn)
    key = iam_b.create_access_key(UserName="alice")["AccessKey"]
    iam_b.create_user(UserName="bob")  # no policy
    bob = iam_b.create_access_key(UserName="bob")["AccessKey"]
    return {
        "AccessKeyId": key["AccessKeyId"],
        "SecretAccessKey": key["SecretAccessKey"],
        "BobKeyId": bob["AccessKeyId"],
        "BobSecret": bob["SecretAccessKey"],
    }


def policy_document(*statements: dict[str, Any]) -> str:
    """A policy document of ``statements`` (Version 2012-10-17), as JSON text."""
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def administrator(server: Server, account: str, name: str = "admin") -> dict[str, str]:
    """An IAM user ``name`` with AdministratorAccess in ``account`` (made by its root user),
    and its access key."""
    iam = _client(server, "iam", server.roots[account])
    iam.create_user(UserName=name)
    iam.attach_user_policy(UserName=name, PolicyArn="arn:aws:iam::aws:policy/AdministratorAccess")
    key = iam.create_access_key(UserName=name)["AccessKey"]
    return {"AccessKeyId": key["AccessKeyId"], "SecretAccessKey": key["SecretAccessKey"]}
