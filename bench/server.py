"""The server end to end, side by side in one run: ``iamsandbox serve``, moto's server with
its IAM enforcement on, and a bare ASGI endpoint (``bench/bare_asgi.py``, the ceiling of
a Python HTTP server here). Issue 3's benchmark. Run:

    python3 -m venv /tmp/motoenv && /tmp/motoenv/bin/pip install 'moto[server]'
    apt-get install -y wrk
    .venv/bin/python bench/server.py            # add --scale for 10,000 roles / 50,000 policies

The latencies of AssumeRole and GetObject are also taken before and after 10,000 more
AssumeRole calls on the same server (``--sessions``; 0 skips it).

For each server and operation (AssumeRole, GetObject of 1 KiB, CreateRole, ListObjectsV2
of 100 keys) one boto3 client makes N calls; the figures are calls per second, the median
client latency, and the server process's own CPU per call (utime+stime of
``/proc/PID/stat`` before and after, divided by N; boto3's own ~0.5 ms per call is not in
it). Then wrk (5 s, 2 threads, 16 connections) on a presigned GetObject URL against each
server in turn; the time from process start until the port accepts connections; the RSS
of each server after the runs. This script talks HTTP only: moto runs in its own
virtualenv (``--moto-server``), never in this project's.

Both iamsandbox and moto are driven by an IAM user with an inline ``*:*`` Allow policy
(so each request is authenticated and authorized as a non-root principal). moto starts
with ``INITIAL_NO_AUTH_ACTION_COUNT=0``; the user, its key, the role, the bucket and the
objects are created while ``/moto-api/reset-auth`` has lifted enforcement, which is then
set back to 0 before any measurement.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

import boto3
from botocore.config import Config

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
VENV_BIN = Path(sys.executable).parent
ACCOUNT = "111111111111"
MOTO_ACCOUNT = "123456789012"
CLK_TCK = os.sysconf("SC_CLK_TCK")
ALLOW_ALL = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]})
BUCKET = "bench-bucket"
OBJECT = "object-1k"
CONFIG = Config(
    region_name="us-east-1",
    retries={"total_max_attempts": 1, "mode": "standard"},
    s3={"addressing_style": "path"},
    signature_version="s3v4",
)


def trust(account: str, *principals: str) -> str:
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {"AWS": [f"arn:aws:iam::{account}:root", *principals]},
                    "Action": "sts:AssumeRole",
                }
            ],
        }
    )


# -- processes ---------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_port(port: int, started: float, timeout: float = 30.0) -> float:
    """Seconds from ``started`` until the port accepts a connection."""
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return time.perf_counter() - started
        except OSError:
            if time.perf_counter() - started > timeout:
                raise RuntimeError(f"port {port} did not open within {timeout} s") from None
            time.sleep(0.002)


class Server:
    def __init__(self, name: str, argv: list[str], port: int, env: dict[str, str] | None = None) -> None:
        self.name = name
        self.port = port
        self.endpoint = f"http://127.0.0.1:{port}"
        started = time.perf_counter()
        self.process = subprocess.Popen(
            argv, env={**os.environ, **(env or {})}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        self.port_open = wait_port(port, started)

    @property
    def pid(self) -> int:
        return self.process.pid

    def cpu_seconds(self) -> tuple[float, float]:
        """(user, sys) seconds of the whole process, all threads, reaped ones included."""
        fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return int(fields[11]) / CLK_TCK, int(fields[12]) / CLK_TCK  # utime, stime (fields 14, 15)

    def rss_mib(self) -> float:
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        return float("nan")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def iamsandbox_argv(data: Path, port: int, workers: int = 1) -> list[str]:
    argv = [str(VENV_BIN / "iamsandbox"), "serve", "--port", str(port), "--data", str(data)]
    return [*argv, "--workers", str(workers)] if workers > 1 else argv


def create_account(data: Path) -> dict[str, str]:
    out = subprocess.run(
        [str(VENV_BIN / "iamsandbox"), "account", "create", "--id", ACCOUNT, "--data", str(data), "--json"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return dict(json.loads(out))


# -- setup over HTTP ---------------------------------------------------------------------


class Clients:
    def __init__(self, endpoint: str, key_id: str, secret: str) -> None:
        self.key_id, self.secret = key_id, secret
        session = boto3.Session(aws_access_key_id=key_id, aws_secret_access_key=secret, region_name="us-east-1")
        self.iam = session.client("iam", endpoint_url=endpoint, config=CONFIG)
        self.sts = session.client("sts", endpoint_url=endpoint, config=CONFIG)
        self.s3 = session.client("s3", endpoint_url=endpoint, config=CONFIG)


def set_up(admin: Clients, account: str) -> tuple[str, str, str]:
    """The bench user (``*:*`` inline), its key, a role it may assume, the bucket, a 1 KiB
    object and 100 keys under ``list/``. The role trusts the account and the user by ARN
    (moto matches the trust policy's principal against the caller's ARN only). Returns (key id, secret, role ARN)."""
    user = admin.iam.create_user(UserName="bench")["User"]
    admin.iam.put_user_policy(UserName="bench", PolicyName="all", PolicyDocument=ALLOW_ALL)
    key = admin.iam.create_access_key(UserName="bench")["AccessKey"]
    role = admin.iam.create_role(RoleName="bench-target", AssumeRolePolicyDocument=trust(account, user["Arn"]))["Role"]
    admin.s3.create_bucket(Bucket=BUCKET)
    admin.s3.put_object(Bucket=BUCKET, Key=OBJECT, Body=b"o" * 1024)
    for i in range(100):
        admin.s3.put_object(Bucket=BUCKET, Key=f"list/key-{i:03d}", Body=b"k")
    return key["AccessKeyId"], key["SecretAccessKey"], role["Arn"]


def moto_auth(server: Server, count: str) -> None:
    request = urllib.request.Request(
        f"{server.endpoint}/moto-api/reset-auth",
        data=count.encode(),
        method="POST",
        headers={"Content-Type": "text/plain"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        response.read()


# -- measurements ------------------------------------------------------------------------


def operations(c: Clients, role_arn: str, tag: str) -> dict[str, Callable[[int], object]]:
    def assume_role(i: int) -> object:
        return c.sts.assume_role(RoleArn=role_arn, RoleSessionName=f"s{i}")["Credentials"]

    def get_object(i: int) -> object:
        body = c.s3.get_object(Bucket=BUCKET, Key=OBJECT)["Body"].read()
        assert len(body) == 1024
        return body

    def create_role(i: int) -> object:
        return c.iam.create_role(RoleName=f"r-{tag}-{i}", AssumeRolePolicyDocument=ALLOW_TRUST)

    def list_objects(i: int) -> object:
        out = c.s3.list_objects_v2(Bucket=BUCKET, Prefix="list/")
        assert out["KeyCount"] == 100, out["KeyCount"]
        return out

    return {
        "AssumeRole": assume_role,
        "GetObject 1 KiB": get_object,
        "CreateRole": create_role,
        "ListObjectsV2 100 keys": list_objects,
    }


ALLOW_TRUST = trust(ACCOUNT)
# IAM's quota of 1,000 roles per account ("IAM and AWS STS quotas", enforced since
# 2026-12-04): the set-up's role and the 10 warm-up calls come first.
CREATE_ROLE_CALLS = 900


def measure(server: Server, operation: Callable[[int], object], calls: int, offset: int) -> dict[str, float]:
    for i in range(10):  # warm: connection, plans, caches
        operation(offset + 100_000 + i)
    latencies = []
    cpu_before = server.cpu_seconds()
    started = time.perf_counter()
    for i in range(calls):
        t = time.perf_counter()
        operation(offset + i)
        latencies.append(time.perf_counter() - t)
    elapsed = time.perf_counter() - started
    cpu_after = server.cpu_seconds()
    user, system = cpu_after[0] - cpu_before[0], cpu_after[1] - cpu_before[1]
    return {
        "calls_per_s": calls / elapsed,
        "median_ms": statistics.median(latencies) * 1e3,
        "server_cpu_us": (user + system) / calls * 1e6,
        "server_sys_us": system / calls * 1e6,
    }


def run_wrk(url: str, seconds: int) -> dict[str, Any]:
    out = subprocess.run(
        ["wrk", "-t2", "-c16", f"-d{seconds}s", url], check=True, capture_output=True, text=True
    ).stdout
    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    total = re.search(r"(\d+) requests in", out)
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    errors = re.search(r"Socket errors:.*", out)
    return {
        "rps": float(rps.group(1)) if rps else 0.0,
        "requests": int(total.group(1)) if total else 0,
        "non_2xx": int(bad.group(1)) if bad else 0,
        "socket_errors": errors.group(0) if errors else "",
    }


def status_of(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            response.read()
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


# -- scale -------------------------------------------------------------------------------


# IAM's quotas ("IAM and AWS STS quotas"): 1,000 roles per account by default (5,000 at
# most), 1,500 customer managed policies (5,000 at most). The scale's roles and policies are
# spread over accounts of their own, at most these many each, so the bench account keeps
# room for the benchmark's own role under its quota.
SCALE_ROLES_PER_ACCOUNT = 1000
SCALE_POLICIES_PER_ACCOUNT = 5000


def populate(data: Path, roles: int, policies: int) -> float:
    """Roles and customer managed policies straight through the store API (the server is
    not running on this data directory yet), in accounts 100000000000 and on: each role
    with three of its account's policies attached."""
    from iamsandbox.store import load_master_keys, open_store, sqlite_url

    started = time.perf_counter()
    store = open_store(sqlite_url(data / "iamsandbox.db"), load_master_keys(data))
    accounts = max(-(-roles // SCALE_ROLES_PER_ACCOUNT), -(-policies // SCALE_POLICIES_PER_ACCOUNT), 1)
    try:
        for n in range(accounts):
            account = f"{100_000_000_000 + n:012d}"
            first_policy, last_policy = n * policies // accounts, (n + 1) * policies // accounts
            first_role, last_role = n * roles // accounts, (n + 1) * roles // accounts
            with store.transaction() as tx:
                tx.create_account(account, f"scale-{n}")
                arns: list[str] = []
                for i in range(first_policy, last_policy):
                    document = json.dumps(
                        {
                            "Version": "2012-10-17",
                            "Statement": [
                                {"Effect": "Allow", "Action": "s3:GetObject", "Resource": f"arn:aws:s3:::b-{i}/*"}
                            ],
                        }
                    )
                    arns.append(tx.create_policy(account, f"scale-policy-{i}", document).arn)
                for i in range(first_role, last_role):
                    role = tx.create_role(account, f"scale-role-{i}", ALLOW_TRUST, path="/scale/")
                    for k in range(3):
                        if arns:
                            tx.attach_policy(role.id, arns[(i * 3 + k) % len(arns)])
    finally:
        store.close()
    return time.perf_counter() - started


# -- main --------------------------------------------------------------------------------


def fmt_table(results: dict[str, dict[str, dict[str, float]]], names: list[str]) -> str:
    lines = [
        "| operation | " + " | ".join(f"{n}: calls/s, median ms, server CPU µs/call (of it sys)" for n in names) + " |"
    ]
    lines.append("| --- |" + " --- |" * len(names))
    for op in next(iter(results.values())):
        cells = []
        for n in names:
            r = results.get(n, {}).get(op)
            cells.append(
                f"{r['calls_per_s']:.0f}, {r['median_ms']:.2f}, {r['server_cpu_us']:.0f} ({r['server_sys_us']:.0f})"
                if r
                else "–"
            )
        lines.append(f"| {op} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--calls", type=int, default=300, help="calls per operation against moto")
    parser.add_argument("--iamsandbox-calls", type=int, default=1000, help="calls per operation against iamsandbox")
    parser.add_argument("--moto-server", default="/tmp/motoenv/bin/moto_server")
    parser.add_argument("--wrk-seconds", type=int, default=5)
    parser.add_argument("--no-moto", action="store_true")
    parser.add_argument(
        "--workers", type=int, default=2, help="also wrk against serve --workers N and the bare endpoint's N (1: skip)"
    )
    parser.add_argument("--scale", action="store_true", help="also 10 roles vs 10,000 roles / 50,000 policies")
    parser.add_argument("--scale-roles", type=int, default=10_000)
    parser.add_argument("--scale-policies", type=int, default=50_000)
    parser.add_argument(
        "--sessions", type=int, default=10_000, help="AssumeRole calls between the before and after latencies (0: skip)"
    )
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="iamsandbox-bench-"))
    servers: list[Server] = []
    try:
        data = work / "small"
        root = create_account(data)
        port = free_port()
        sandbox = Server("iamsandbox", iamsandbox_argv(data, port), port)
        servers.append(sandbox)
        print(f"iamsandbox pid {sandbox.pid}, port open after {sandbox.port_open * 1e3:.0f} ms", flush=True)
        bare_port = free_port()
        bare = Server("bare ASGI", [sys.executable, str(HERE / "bare_asgi.py"), str(bare_port)], bare_port)
        servers.append(bare)
        moto = None
        if not args.no_moto:
            moto_port = free_port()
            moto = Server(
                "moto", [args.moto_server, "-p", str(moto_port)], moto_port, {"INITIAL_NO_AUTH_ACTION_COUNT": "0"}
            )
            servers.append(moto)
            print(f"moto pid {moto.pid}, port open after {moto.port_open * 1e3:.0f} ms", flush=True)

        # set up the bench user on each
        clients: dict[str, tuple[Server, Clients, str, int]] = {}
        key_id, secret, role_arn = set_up(
            Clients(sandbox.endpoint, root["AccessKeyId"], root["SecretAccessKey"]), ACCOUNT
        )
        clients["iamsandbox"] = (sandbox, Clients(sandbox.endpoint, key_id, secret), role_arn, args.iamsandbox_calls)
        if moto is not None:
            moto_auth(moto, "1000000")
            key_id, secret, role_arn = set_up(Clients(moto.endpoint, "AKIAIOSFODNN7EXAMPLE", "x" * 40), MOTO_ACCOUNT)
            moto_auth(moto, "0")
            mc = Clients(moto.endpoint, key_id, secret)
            try:  # enforcement really on: an unknown key is refused
                Clients(moto.endpoint, "AKIAUNKNOWNKEY000000", "y" * 40).s3.list_objects_v2(Bucket=BUCKET)
                print("WARNING: moto accepted an unknown access key: enforcement is off")
            except Exception as error:  # noqa: BLE001
                print(f"moto enforcement check: unknown key refused ({type(error).__name__})")
            clients["moto"] = (moto, mc, role_arn, args.calls)

        results: dict[str, dict[str, dict[str, float]]] = {}
        for name, (server, c, arn, calls) in clients.items():
            results[name] = {}
            for op, fn in operations(c, arn, name).items():
                n = min(calls, CREATE_ROLE_CALLS) if op == "CreateRole" else calls
                results[name][op] = r = measure(server, fn, n, 0)
                print(
                    f"{name:10s} {op:24s} {n:5d} calls: {r['calls_per_s']:7.0f} calls/s, "
                    f"median {r['median_ms']:6.2f} ms, server CPU {r['server_cpu_us']:7.0f} µs/call "
                    f"(sys {r['server_sys_us']:.0f})",
                    flush=True,
                )
        # bare endpoint through boto3 (GetObject answered with the fixed 1 KiB body)
        bc = Clients(bare.endpoint, "AKIAIOSFODNN7EXAMPLE", "x" * 40)
        results["bare ASGI"] = {}
        r = measure(
            bare, lambda i: bc.s3.get_object(Bucket=BUCKET, Key=OBJECT)["Body"].read(), args.iamsandbox_calls, 0
        )
        results["bare ASGI"]["GetObject 1 KiB"] = r
        print(
            f"{'bare ASGI':10s} {'GetObject 1 KiB':24s} {args.iamsandbox_calls:5d} calls: {r['calls_per_s']:7.0f} "
            f"calls/s, median {r['median_ms']:6.2f} ms, server CPU {r['server_cpu_us']:7.0f} µs/call "
            f"(sys {r['server_sys_us']:.0f})",
            flush=True,
        )

        # presigned GetObject under wrk, one server at a time
        wrk: dict[str, dict[str, Any]] = {}
        urls = {
            name: c.s3.generate_presigned_url("get_object", Params={"Bucket": BUCKET, "Key": OBJECT}, ExpiresIn=3600)
            for name, (_, c, _, _) in clients.items()
        }
        urls["bare ASGI"] = f"{bare.endpoint}/{BUCKET}/{OBJECT}"
        for name, url in urls.items():
            status = status_of(url)
            wrk[name] = w = run_wrk(url, args.wrk_seconds)
            print(
                f"wrk {name:10s}: first GET {status}, {w['rps']:8.0f} req/s, {w['requests']} requests, "
                f"{w['non_2xx']} non-2xx {w['socket_errors']}",
                flush=True,
            )

        if args.workers > 1:
            ratio = workers_wrk(args, data, clients["iamsandbox"][1], servers)
            print(f"wrk --workers {args.workers}: iamsandbox {ratio:.1%} of the bare endpoint's {args.workers} workers")

        rss = {s.name: s.rss_mib() for s in servers}
        print("RSS after the runs: " + ", ".join(f"{n} {v:.0f} MiB" for n, v in rss.items()))

        # iamsandbox restarts: time until the port accepts connections
        opens = [sandbox.port_open]
        for _ in range(4):
            p = free_port()
            extra = Server("iamsandbox", iamsandbox_argv(data, p), p)
            opens.append(extra.port_open)
            extra.stop()
        print(
            "iamsandbox port open (ms): "
            + ", ".join(f"{t * 1e3:.0f}" for t in opens)
            + f"; median {statistics.median(opens) * 1e3:.0f}"
        )

        if args.sessions:
            sessions(args, sandbox, clients["iamsandbox"])
        if args.scale:
            scale(args, work, sandbox, clients["iamsandbox"])

        print()
        print(fmt_table(results, list(results)))
        return 0
    finally:
        for s in servers:
            s.stop()
        shutil.rmtree(work, ignore_errors=True)


def workers_wrk(args: argparse.Namespace, data: Path, small: Clients, servers: list[Server]) -> float:
    """wrk on a presigned GetObject against ``serve --workers N`` (a second server on the
    same data directory) and against the bare endpoint with N uvicorn workers: the share
    of the bare endpoint's requests per second, each side with N processes."""
    port = free_port()
    sandbox = Server(f"iamsandbox x{args.workers}", iamsandbox_argv(data, port, args.workers), port)
    servers.append(sandbox)
    bare_port = free_port()
    argv = [sys.executable, str(HERE / "bare_asgi.py"), str(bare_port), str(args.workers)]
    bare = Server(f"bare ASGI x{args.workers}", argv, bare_port)
    servers.append(bare)
    c = Clients(sandbox.endpoint, small.key_id, small.secret)
    urls = {
        sandbox.name: c.s3.generate_presigned_url(
            "get_object", Params={"Bucket": BUCKET, "Key": OBJECT}, ExpiresIn=3600
        ),
        bare.name: f"{bare.endpoint}/{BUCKET}/{OBJECT}",
    }
    rps = {}
    for name, url in urls.items():
        status = status_of(url)
        w = run_wrk(url, args.wrk_seconds)
        rps[name] = w["rps"]
        print(
            f"wrk {name:10s}: first GET {status}, {w['rps']:8.0f} req/s, {w['requests']} requests, "
            f"{w['non_2xx']} non-2xx {w['socket_errors']}",
            flush=True,
        )
    return rps[sandbox.name] / rps[bare.name] if rps[bare.name] else 0.0


def sessions(args: argparse.Namespace, server: Server, small_clients: tuple[Server, Clients, str, int]) -> None:
    """Latency and server CPU of AssumeRole and GetObject before and after ``--sessions``
    more AssumeRole calls on the same server (each a new session with its own name)."""
    _, c, arn, calls = small_clients
    ops = operations(c, arn, "sessions")

    def report(label: str) -> None:
        for op in ("AssumeRole", "GetObject 1 KiB"):
            r = measure(server, ops[op], calls // 2, 700_000)
            print(
                f"sessions {label:28s} {op:16s}: median {r['median_ms']:.2f} ms, "
                f"server CPU {r['server_cpu_us']:.0f} µs/call (sys {r['server_sys_us']:.0f})",
                flush=True,
            )

    report("before")
    started = time.perf_counter()
    for i in range(args.sessions):
        c.sts.assume_role(RoleArn=arn, RoleSessionName=f"many-{i}")
    took = time.perf_counter() - started
    print(f"sessions: {args.sessions} AssumeRole calls in {took:.1f} s; RSS {server.rss_mib():.0f} MiB", flush=True)
    report(f"after {args.sessions} sessions")


def scale(args: argparse.Namespace, work: Path, small: Server, small_clients: tuple[Server, Clients, str, int]) -> None:
    data = work / "large"
    root = create_account(data)
    took = populate(data, args.scale_roles, args.scale_policies)
    print(f"populated {args.scale_roles} roles, {args.scale_policies} policies in {took:.1f} s", flush=True)
    port = free_port()
    large = Server("iamsandbox-large", iamsandbox_argv(data, port), port)
    try:
        key_id, secret, role_arn = set_up(
            Clients(large.endpoint, root["AccessKeyId"], root["SecretAccessKey"]), ACCOUNT
        )
        lc = Clients(large.endpoint, key_id, secret)
        _, sc, small_arn, calls = small_clients
        for label, (server, c, arn) in {
            "10 roles": (small, sc, small_arn),
            f"{args.scale_roles} roles": (large, lc, role_arn),
            "10 roles (again)": (small, sc, small_arn),
            f"{args.scale_roles} roles (again)": (large, lc, role_arn),
        }.items():
            ops = operations(c, arn, "scale")
            for op in ("AssumeRole", "GetObject 1 KiB"):
                r = measure(server, ops[op], calls // 2, 500_000)
                print(
                    f"scale {label:22s} {op:16s}: median {r['median_ms']:.2f} ms, "
                    f"server CPU {r['server_cpu_us']:.0f} µs/call (sys {r['server_sys_us']:.0f})",
                    flush=True,
                )
        print(f"RSS iamsandbox at {args.scale_roles} roles: {large.rss_mib():.0f} MiB")
    finally:
        large.stop()


if __name__ == "__main__":
    sys.exit(main())
