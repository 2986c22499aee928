"""The ceiling of a Python HTTP server on this machine: an ASGI app that answers every
request with the same 200 and 1 KiB body, under uvicorn with uvloop and httptools (as
``iamsandbox serve`` runs). ``bench/server.py`` starts it next to iamsandbox and moto:

    .venv/bin/python bench/bare_asgi.py PORT [WORKERS]

With WORKERS (> 1), uvicorn's own worker processes, for comparing with ``iamsandbox serve
--workers``.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

BODY = b"x" * 1024
START = {
    "type": "http.response.start",
    "status": 200,
    "headers": [
        (b"content-type", b"application/octet-stream"),
        (b"content-length", str(len(BODY)).encode()),
        (b"etag", b'"0f343b0931126a20f133d67c2b018a3b"'),
    ],
}
DONE = {"type": "http.response.body", "body": BODY}


async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    if scope["type"] != "http":
        return
    await send(START)
    await send(DONE)


def main() -> None:
    import uvicorn

    port = int(sys.argv[1])
    workers = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    if workers > 1:  # uvicorn starts workers from an import string
        uvicorn.run(
            "bare_asgi:app",
            app_dir=str(Path(__file__).resolve().parent),
            host="127.0.0.1",
            port=port,
            workers=workers,
            loop="uvloop",
            http="httptools",
            log_level="warning",
        )
        return
    uvicorn.run(app, host="127.0.0.1", port=port, loop="uvloop", http="httptools", log_level="warning")


if __name__ == "__main__":
    main()
