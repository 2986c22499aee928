"""Instructions per request: the app's work counted by valgrind's callgrind, which counts
machine instructions, not seconds, and so gives the same figure on a busy machine as on an
idle one (this VM's timings swing by ±25 % between runs of the same code).

    .venv/bin/python bench/instructions.py                  # every operation, 200 calls each
    .venv/bin/python bench/instructions.py --only GetObject --calls 100

How: one process builds the store of ``pipeline.py`` (a user allowed everything, a role, a
bucket with a 1 KiB object and 100 keys) and has boto3 sign the requests of each operation,
keeping them instead of sending them. Then, per operation, a process under callgrind opens a
copy of that store, builds the ``App``, replays 20 of the requests to warm it, turns
instrumentation on, and replays the rest through ``itertools.starmap``: collection is on only
inside ``starmap_next`` (``--toggle-collect``), so the count is the app's own work on each
request (route, authenticate, parse, authorize, operate, serialize, the ASGI glue) and
nothing of boto3, the import or the set-up. The figure is Ir (instructions executed) per
request. Instructions are not time (a cache miss or an fsync costs no instructions), so this
complements ``pipeline.py`` and ``server.py``; it is the tool to tell whether a change to the
request path made it cheaper.
"""

from __future__ import annotations

import argparse
import collections
import dataclasses
import gc
import itertools
import os
import pickle
import re
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

import pipeline  # noqa: E402

WARM = 20
Request = tuple[str, str, pipeline.Headers, bytes]


class _Kept(Exception):
    """Raised from the send hook once a signed request is kept, so that boto3 sends nothing."""


def prepare(work: Path, calls: int) -> None:
    """Build the store in ``work`` and keep ``WARM + calls`` signed requests per operation."""
    runner, clients, role_arn = pipeline.build(work)
    ops = pipeline.operations(runner, clients, role_arn)
    kept: list[Request] = []

    def keep(method: str, url: str, headers: pipeline.Headers, body: bytes) -> tuple[int, Any, bytes]:
        kept.append((method, url, headers, body))
        raise _Kept

    runner.run = keep  # type: ignore[method-assign]
    requests: dict[str, list[Request]] = {}
    for name, op in ops.items():
        kept.clear()
        for i in range(WARM + calls):
            try:
                op(i)
            except _Kept:
                pass
        requests[name] = list(kept)
    runner.app.store.close()
    (work / "requests.pickle").write_bytes(pickle.dumps(requests))


def measure(work: Path, name: str) -> None:
    """Under callgrind: replay the kept requests of ``name`` against a new ``App``."""
    from iamsandbox.server.app import App
    from iamsandbox.services.cloudtrail.events import Trail
    from iamsandbox.services.iam.last_accessed import LastAccessed
    from iamsandbox.store import load_master_keys, open_store, sqlite_url

    requests: list[Request] = pickle.loads((work / "requests.pickle").read_bytes())[name]
    app = App(open_store(sqlite_url(work / "iamsandbox.db"), load_master_keys(work)), load_master_keys(work))
    # The service last accessed notes are written every few seconds of wall clock, which under
    # callgrind (and the more so on a busy machine) falls within the count a varying number of
    # times: they are written after the count instead, so that it depends on the requests alone.
    # Likewise the CloudTrail events (written every few seconds): the count is the request's own
    # note of its event; writing them is the same work later, per event, in a unit of its own.
    app.shared = dataclasses.replace(
        app.shared, last_accessed=LastAccessed(interval=timedelta(days=1)), trail=Trail(interval=timedelta(days=1))
    )
    runner = pipeline.InProcess(app)
    statuses = collections.Counter(runner.run(*request)[0] for request in requests[:WARM])
    gc.collect()
    gc.freeze()
    subprocess.run(["callgrind_control", "--instr=on", str(os.getpid())], check=True, capture_output=True)
    time.sleep(0.5)
    replies = list(itertools.starmap(runner.run, requests[WARM:]))
    statuses.update(reply[0] for reply in replies)
    print(dict(statuses), flush=True)


def count(work: Path, name: str) -> tuple[int, int, str]:
    """Instructions counted for ``name``'s requests, how many, and the statuses seen."""
    copy = Path(tempfile.mkdtemp(prefix="iamsandbox-instr-"))
    try:
        for path in work.iterdir():
            if path.is_file():
                shutil.copy2(path, copy / path.name)
        out = copy / "callgrind.out"
        result = subprocess.run(
            [
                "valgrind",
                "--tool=callgrind",
                "--instr-atstart=no",
                "--collect-atstart=no",
                "--toggle-collect=starmap_next",
                f"--callgrind-out-file={out}",
                sys.executable,
                __file__,
                "--measure",
                name,
                "--work",
                str(copy),
            ],
            capture_output=True,
            text=True,
            check=True,
        )
        totals = re.search(r"^(?:summary|totals): (\d+)", out.read_text(), re.M)
        assert totals, "callgrind wrote no totals"
        requests = len(pickle.loads((copy / "requests.pickle").read_bytes())[name]) - WARM
        return int(totals.group(1)), requests, result.stdout.strip().splitlines()[-1]
    finally:
        shutil.rmtree(copy, ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--calls", type=int, default=200, help="requests counted per operation")
    parser.add_argument("--only", action="append", help="count only these operations")
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    parser.add_argument("--work", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        measure(args.work, args.measure)
        return 0
    work = Path(tempfile.mkdtemp(prefix="iamsandbox-instr-"))
    try:
        prepare(work, args.calls)
        names = pickle.loads((work / "requests.pickle").read_bytes())
        for name in names:
            if args.only and name not in args.only:
                continue
            instructions, requests, statuses = count(work, name)
            print(f"{name:20s} {instructions / requests / 1e3:9.1f} k instructions per request ({statuses})")
        return 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
