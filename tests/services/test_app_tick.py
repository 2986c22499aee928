"""An idle process writes what its requests noted (``App.tick``, run every second by the ASGI
lifespan): a review of ``serve --workers 2`` found a worker no client reached keep its last
calls' CloudTrail events unwritten for 26 s, so LookupEvents through the other worker did not
show them ("Viewing CloudTrail events with the AWS CLI": events appear in event history within
minutes of the call; here within seconds)."""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path
from typing import Any

from inprocess_harness import client, open_app, root_keys

from iamsandbox.server.app import App
from iamsandbox.store.interface import TrailQuery

A = "111111111111"


def _written(app: App) -> int:
    with app.store.read() as tx:
        return len(tx.lookup_trail_events(TrailQuery(account_id=A, region="us-east-1")))


def test_an_idle_process_writes_its_noted_events(tmp_path: Path) -> None:
    app = open_app(tmp_path, A)
    client(app, "iam", root_keys(app, A)).create_user(UserName="alice")
    assert _written(app) == 0  # noted, not yet due at the request's end

    async def serve_idle() -> int:
        sent: list[dict[str, Any]] = []
        messages: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        await messages.put({"type": "lifespan.startup"})

        async def send(message: dict[str, Any]) -> None:
            sent.append(message)

        lifespan = asyncio.create_task(app({"type": "lifespan"}, messages.get, send))
        await asyncio.sleep(2.5)  # no request: only the tick can write
        written = _written(app)
        await messages.put({"type": "lifespan.shutdown"})
        await lifespan
        assert [m["type"] for m in sent] == ["lifespan.startup.complete", "lifespan.shutdown.complete"]
        return written

    # In a thread of its own: another test's event loop may be running in this one.
    written: list[int] = []
    thread = threading.Thread(target=lambda: written.append(asyncio.run(serve_idle())))
    thread.start()
    thread.join(timeout=30)
    assert written == [1]
    app.store.close()
