"""``iamsandbox serve --workers N``: N forked processes on one port and one store.

What must hold, whichever worker a connection reaches: a write made through one is what
the next request to any other reads and is authorized by (an attached Deny refuses the very
next call, on a new connection); SIGTERM stops every worker and flushes what each kept in
memory (the service last accessed notes, written at shutdown); a worker that dies stops
the server with exit status 1 rather than leaving it serving short of workers; a supervisor
that is killed outright (SIGKILL: nothing is passed on) takes its workers with it, so none
is left holding the port.
"""

from __future__ import annotations

import http.client
import json
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest
from botocore.exceptions import ClientError
from e2e_harness import A, Server, _client, _spawn, _wait_ready, start

DENY_ALL = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "*", "Resource": "*"}]})
ALLOW_IAM = json.dumps(
    {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iam:*", "Resource": "*"}]}
)


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:  # field 4, the parent's pid
                found.append(int(entry.name))
    return sorted(found)


def _workers(pid: int, expected: int = 2) -> list[int]:
    """The supervisor's workers, once it has forked them (it says it serves just before:
    connections already wait in the backlog)."""
    deadline = time.monotonic() + 20
    found = _children(pid)
    while len(found) < expected and time.monotonic() < deadline:
        time.sleep(0.02)
        found = _children(pid)
    return found


def _cpu_ticks(pid: int) -> int:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


def _port(server: Server) -> int:
    return int(server.url.rsplit(":", 1)[1])


def _fresh_client(server: Server, service: str, keys: dict[str, str]) -> object:
    """A client with a connection of its own: a new connection may reach any worker."""
    return _client(server, service, keys)


@pytest.fixture
def workers(tmp_path: Path) -> tuple[subprocess.Popen[bytes], Server]:
    process, running = start(tmp_path, "--workers", "2")
    yield process, running
    if process.poll() is None:
        process.terminate()
        process.wait(timeout=20)
    print(running.log.read_text())


def test_two_workers_serve_the_port_and_share_the_store(workers: tuple[subprocess.Popen[bytes], Server]) -> None:
    process, server = workers
    children = _workers(process.pid)
    assert len(children) == 2, children
    root = server.create_account(A)
    iam = _client(server, "iam", root)
    iam.create_user(UserName="alice")
    iam.put_user_policy(UserName="alice", PolicyName="iam", PolicyDocument=ALLOW_IAM)
    alice = iam.create_access_key(UserName="alice")["AccessKey"]

    # Many new connections, each accepted by one worker: both take their share.
    before = {pid: _cpu_ticks(pid) for pid in children}
    for _ in range(300):
        connection = http.client.HTTPConnection("127.0.0.1", _port(server), timeout=10)
        connection.request("GET", "/?Action=GetUser&Version=2010-05-08")
        response = connection.getresponse()
        assert response.status == 403  # unsigned: MissingAuthenticationToken
        response.read()
        connection.close()
    assert all(_cpu_ticks(pid) > before[pid] for pid in children), (before, [_cpu_ticks(p) for p in children])

    # A write through one worker is read, and decides, on the next request to any worker.
    for attempt in range(6):
        name = f"user-{attempt}"
        _fresh_client(server, "iam", root).create_user(UserName=name)
        for _ in range(3):
            found = _fresh_client(server, "iam", alice).get_user(UserName=name)
            assert found["User"]["UserName"] == name
    for _ in range(3):
        iam.attach_user_policy(UserName="alice", PolicyArn="arn:aws:iam::aws:policy/AWSDenyAll")
        for _ in range(3):
            with pytest.raises(ClientError) as denied:
                _fresh_client(server, "iam", alice).list_users()
            assert denied.value.response["Error"]["Code"] == "AccessDenied"
            assert "with an explicit deny in an identity-based policy" in denied.value.response["Error"]["Message"]
        iam.detach_user_policy(UserName="alice", PolicyArn="arn:aws:iam::aws:policy/AWSDenyAll")
        for _ in range(3):
            _fresh_client(server, "iam", alice).list_users()


def test_sigterm_stops_every_worker_and_keeps_what_they_noted(workers: tuple[subprocess.Popen[bytes], Server]) -> None:
    process, server = workers
    children = _workers(process.pid)
    root = server.create_account(A)
    iam = _client(server, "iam", root)
    arn = iam.create_user(UserName="bob")["User"]["Arn"]
    iam.put_user_policy(UserName="bob", PolicyName="iam", PolicyDocument=ALLOW_IAM)
    bob = iam.create_access_key(UserName="bob")["AccessKey"]
    _fresh_client(server, "iam", bob).list_users()  # noted in one worker's memory

    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=20) == 0
    assert not [pid for pid in children if Path(f"/proc/{pid}").exists()]

    # The notes were written at shutdown: a new server on the same store reports the access.
    again, restarted = _spawn(server.data.parent)  # the same data directory
    _wait_ready(again, restarted)
    try:
        restarted.roots[A] = root
        iam = _client(restarted, "iam", root)
        job = iam.generate_service_last_accessed_details(Arn=arn)["JobId"]
        deadline = time.monotonic() + 20
        details = iam.get_service_last_accessed_details(JobId=job)
        while details["JobStatus"] == "IN_PROGRESS" and time.monotonic() < deadline:
            time.sleep(0.1)
            details = iam.get_service_last_accessed_details(JobId=job)
        used = {s["ServiceNamespace"]: s for s in details["ServicesLastAccessed"] if "LastAuthenticated" in s}
        assert "iam" in used, details["ServicesLastAccessed"]
    finally:
        again.terminate()
        again.wait(timeout=20)


def test_a_worker_that_dies_stops_the_server(workers: tuple[subprocess.Popen[bytes], Server]) -> None:
    process, server = workers
    first, second = _workers(process.pid)
    os.kill(first, signal.SIGKILL)
    assert process.wait(timeout=20) == 1
    assert not Path(f"/proc/{second}").exists() or Path(f"/proc/{second}/stat").read_text().split()[2] == "Z"
    assert f"iamsandbox serve: worker {first} exited (signal 9); stopping" in server.log.read_text()


def _gone(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except OSError:
        return True


def test_a_killed_supervisor_takes_its_workers_with_it(workers: tuple[subprocess.Popen[bytes], Server]) -> None:
    process, server = workers
    children = _workers(process.pid)
    assert len(children) == 2
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=20)
    deadline = time.monotonic() + 20
    while not all(_gone(pid) for pid in children) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert all(_gone(pid) for pid in children), children
    # The port is free again: a new server can listen on it.
    with pytest.raises(OSError):
        http.client.HTTPConnection("127.0.0.1", _port(server), timeout=2).request("GET", "/")
