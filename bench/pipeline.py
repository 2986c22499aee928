"""The server's per-request work in one process, without HTTP: boto3 signs each request as
usual, and a ``before-send`` hook hands it straight to the ASGI ``App`` (no socket, no
uvicorn, no event loop: the app's ``receive`` and ``send`` never wait, so the coroutine
runs to its end in one step). The figures are the app's own time per call, wall clock
and the process's CPU time (which leaves out waiting for a commit's fsync): route,
authenticate, parse, authorize, operate, serialize, and the ASGI glue of ``App.__call__``.
What uvicorn adds on top is measured by ``server.py`` (and is the bare endpoint's figure).

    .venv/bin/python bench/pipeline.py                 # µs per call, per operation
    .venv/bin/python bench/pipeline.py --profile OP    # cProfile of OP (CPU-time clock)

Operations: the four of issue 3 (AssumeRole, GetObject of 1 KiB, CreateRole,
ListObjectsV2 of 100 keys) plus a presigned GetObject. Median and min of rounds of calls.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import shutil
import statistics
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

import boto3
from botocore.awsrequest import AWSResponse
from botocore.config import Config

ACCOUNT = "111111111111"
BUCKET = "bench-bucket"
OBJECT = "object-1k"
ALLOW_ALL = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]})
CONFIG = Config(
    region_name="us-east-1",
    retries={"total_max_attempts": 1, "mode": "standard"},
    s3={"addressing_style": "path"},
    signature_version="s3v4",
)
ENDPOINT = "http://127.0.0.1:4599"
Headers = list[tuple[bytes, bytes]]


def trust(*principals: str) -> str:
    statement = {"Effect": "Allow", "Principal": {"AWS": [f"arn:aws:iam::{ACCOUNT}:root", *principals]}}
    return json.dumps({"Version": "2012-10-17", "Statement": [{**statement, "Action": "sts:AssumeRole"}]})


class _Raw:
    """What botocore reads a response body from."""

    def __init__(self, body: bytes) -> None:
        self._body = body

    def stream(self, **_kwargs: Any) -> Any:
        yield self._body

    def read(self, *_args: Any, **_kwargs: Any) -> bytes:
        body, self._body = self._body, b""
        return body


class InProcess:
    """Runs signed requests through the app; ``spent`` sums the app's own time."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.spent = 0.0
        self.cpu = 0.0
        self.calls = 0
        self.profile: cProfile.Profile | None = None  # enabled around the app only

    def run(self, method: str, url: str, headers: Headers, body: bytes) -> tuple[int, Headers, bytes]:
        parsed = urllib.parse.urlsplit(url)
        scope = {
            "type": "http",
            "method": method,
            "path": urllib.parse.unquote(parsed.path),
            "raw_path": parsed.path.encode(),
            "query_string": parsed.query.encode(),
            "headers": headers,
            "client": ("127.0.0.1", 50000),
        }
        sent: list[dict[str, Any]] = []

        async def receive() -> dict[str, Any]:
            return {"type": "http.request", "body": body, "more_body": False}

        async def send(message: dict[str, Any]) -> None:
            sent.append(message)

        if self.profile is not None:
            self.profile.enable()
        started, cpu_started = time.perf_counter(), time.process_time()
        coroutine = self.app(scope, receive, send)
        try:
            coroutine.send(None)
        except StopIteration:
            pass
        else:  # pragma: no cover - the app never waits here
            raise RuntimeError("the app suspended")
        self.spent += time.perf_counter() - started
        self.cpu += time.process_time() - cpu_started
        if self.profile is not None:
            self.profile.disable()
        self.calls += 1
        start = sent[0]
        payload = b"".join(m.get("body", b"") for m in sent[1:])
        return start["status"], start["headers"], payload

    def before_send(self, request: Any, **_kwargs: Any) -> AWSResponse:
        headers = [(k.lower().encode("latin-1"), _bytes(v)) for k, v in request.headers.items()]
        if not any(k == b"host" for k, _ in headers):
            headers.append((b"host", b"127.0.0.1:4599"))
        body = request.body or b""
        if hasattr(body, "read"):
            body = body.read()
        if isinstance(body, str):
            body = body.encode()
        status, out_headers, payload = self.run(request.method, request.url, headers, bytes(body))
        return AWSResponse(
            request.url,
            status,
            {k.decode("latin-1"): v.decode("latin-1") for k, v in out_headers},
            _Raw(payload),
        )


def _bytes(value: Any) -> bytes:
    return value if isinstance(value, bytes) else str(value).encode("latin-1")


def clients(runner: InProcess, key_id: str, secret: str, token: str | None = None) -> dict[str, Any]:
    session = boto3.Session(
        aws_access_key_id=key_id, aws_secret_access_key=secret, aws_session_token=token, region_name="us-east-1"
    )
    out = {}
    for service in ("iam", "sts", "s3"):
        client = session.client(service, endpoint_url=ENDPOINT, config=CONFIG)
        client.meta.events.register("before-send", runner.before_send)
        out[service] = client
    return out


def build(work: Path) -> tuple[InProcess, dict[str, Any], str]:
    from iamsandbox.server.app import App
    from iamsandbox.store import load_master_keys, open_store, sqlite_url

    store = open_store(sqlite_url(work / "iamsandbox.db"), load_master_keys(work))
    with store.transaction() as tx:
        tx.create_account(ACCOUNT, ACCOUNT)
        root = tx.create_access_key(ACCOUNT, None)
    runner = InProcess(App(store, load_master_keys(work)))
    admin = clients(runner, root.access_key_id, root.secret.reveal())
    user = admin["iam"].create_user(UserName="bench")["User"]
    admin["iam"].put_user_policy(UserName="bench", PolicyName="all", PolicyDocument=ALLOW_ALL)
    key = admin["iam"].create_access_key(UserName="bench")["AccessKey"]
    role = admin["iam"].create_role(RoleName="bench-target", AssumeRolePolicyDocument=trust(user["Arn"]))["Role"]
    admin["s3"].create_bucket(Bucket=BUCKET)
    admin["s3"].put_object(Bucket=BUCKET, Key=OBJECT, Body=b"o" * 1024)
    for i in range(100):
        admin["s3"].put_object(Bucket=BUCKET, Key=f"list/key-{i:03d}", Body=b"k")
    return runner, clients(runner, key["AccessKeyId"], key["SecretAccessKey"]), role["Arn"]


# What to undo after a round of an operation, outside the measured calls.
CLEANUPS: dict[Callable[[int], object], Callable[[], None]] = {}


def operations(runner: InProcess, c: dict[str, Any], role_arn: str) -> dict[str, Callable[[int], object]]:
    url = c["s3"].generate_presigned_url("get_object", Params={"Bucket": BUCKET, "Key": OBJECT}, ExpiresIn=3600)
    presigned_path = url[len(ENDPOINT) :]
    host = [(b"host", b"127.0.0.1:4599"), (b"user-agent", b"wrk"), (b"accept", b"*/*")]

    def assume_role(i: int) -> object:
        return c["sts"].assume_role(RoleArn=role_arn, RoleSessionName=f"s{i}")["Credentials"]

    def get_object(i: int) -> object:
        body = c["s3"].get_object(Bucket=BUCKET, Key=OBJECT)["Body"].read()
        assert len(body) == 1024
        return body

    made: list[str] = []

    def create_role(i: int) -> object:
        name = f"r-{time.monotonic_ns()}-{i}"
        made.append(name)
        return c["iam"].create_role(RoleName=name, AssumeRolePolicyDocument=trust())

    def delete_made_roles() -> None:
        # IAM's quota is 1,000 roles per account: each round's roles go before the next round.
        while made:
            c["iam"].delete_role(RoleName=made.pop())

    def list_objects(i: int) -> object:
        out = c["s3"].list_objects_v2(Bucket=BUCKET, Prefix="list/")
        assert out["KeyCount"] == 100, out["KeyCount"]
        return out

    def presigned(i: int) -> object:
        status, _headers, body = runner.run("GET", ENDPOINT + presigned_path, host, b"")
        assert status == 200 and len(body) == 1024, status
        return body

    CLEANUPS[create_role] = delete_made_roles
    return {
        "AssumeRole": assume_role,
        "GetObject": get_object,
        "CreateRole": create_role,
        "ListObjectsV2": list_objects,
        "presigned GetObject": presigned,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--calls", type=int, default=300, help="calls per round")
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--profile", metavar="OP", help="profile one operation instead")
    parser.add_argument("--callers", metavar="NAME", help="with --profile: who calls NAME (a pstats pattern)")
    parser.add_argument("--only", action="append", help="measure only these operations")
    args = parser.parse_args()
    measured = [args.profile] if args.profile else args.only or ["CreateRole"]
    if args.calls > 950 and "CreateRole" in measured:
        # A round's roles are deleted only after it: IAM's quota of 1,000 roles per account.
        parser.error("CreateRole makes --calls roles per round: at most 950 (IAM's 1,000 roles per account)")
    work = Path(tempfile.mkdtemp(prefix="iamsandbox-pipeline-"))
    try:
        runner, c, role_arn = build(work)
        ops = operations(runner, c, role_arn)
        if args.profile:
            op = ops[args.profile]
            for i in range(20):
                op(i)
            profile = runner.profile = cProfile.Profile(time.process_time)
            for i in range(args.calls):
                op(1000 + i)
            runner.profile = None
            stats = pstats.Stats(profile)
            stats.sort_stats("cumulative").print_stats(60)
            stats.sort_stats("tottime").print_stats(40)
            if args.callers:
                stats.print_callers(args.callers)
            return 0
        for name, op in ops.items():
            if args.only and name not in args.only:
                continue
            for i in range(20):
                op(i)
            if op in CLEANUPS:
                CLEANUPS[op]()
            wall, cpu = [], []
            for r in range(args.rounds):
                runner.spent, runner.cpu, runner.calls = 0.0, 0.0, 0
                for i in range(args.calls):
                    op(100_000 * (r + 1) + i)
                wall.append(runner.spent / runner.calls * 1e6)
                cpu.append(runner.cpu / runner.calls * 1e6)
                if op in CLEANUPS:
                    CLEANUPS[op]()
            print(
                f"{name:20s} app µs/call, wall: median {statistics.median(wall):7.1f} min {min(wall):7.1f}; "
                f"CPU: median {statistics.median(cpu):7.1f} min {min(cpu):7.1f}",
                flush=True,
            )
        return 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
