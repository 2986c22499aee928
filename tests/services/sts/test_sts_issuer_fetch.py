"""Fetching an OIDC issuer's documents is bounded in time as a whole.

AWS page: "Create an OpenID Connect (OIDC) identity provider in IAM" (IAM User Guide): IAM
fetches the issuer's configuration and keys; an issuer that cannot be reached answers
IDPCommunicationError. An issuer that answers one byte at a time, each within the socket
timeout, held the whole server for as long as it liked (a security review: an unsigned
AssumeRoleWithWebIdentity names the issuer). A real local server here trickles its answer.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator

import pytest

from iamsandbox.errors import IDPCommunicationError
from iamsandbox.services.sts import oidc_token


@pytest.fixture
def tarpit() -> Iterator[str]:
    """An HTTP server that sends its headers, then one byte of body every 0.2 s for 20 s."""
    listener = socket.create_server(("127.0.0.1", 0))
    stop = threading.Event()

    def serve() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                connection, _ = listener.accept()
            except TimeoutError:
                continue
            with connection:
                connection.recv(65536)
                connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n")
                for _ in range(100):
                    if stop.wait(0.2):
                        return
                    try:
                        connection.sendall(b" ")
                    except OSError:
                        return

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}/.well-known/openid-configuration"
    stop.set()
    thread.join(5)
    listener.close()


def test_an_issuer_that_trickles_its_answer_is_unreachable(tarpit: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(oidc_token, "FETCH_DEADLINE", 1.0)
    with pytest.raises(IDPCommunicationError):  # not the 20 s later InvalidIdentityToken of 100 spaces
        oidc_token._fetch_json(tarpit)
