"""Bodies that end before their Content-Length, or have none, against a real server.

AWS pages: "Amazon S3 never adds partial objects; if you receive a success response, Amazon
S3 added the entire object to the bucket" (PutObject, S3 API Reference); "Error responses"
(S3 API Reference): MissingContentLength, "You must provide the Content-Length HTTP
header", 411 Length Required; EntityTooLarge, "Your proposed upload exceeds the maximum
allowed object size", 400; IncompleteBody. A client that goes away mid-upload gets no
answer, and the object it was replacing stays as it was.
"""

from __future__ import annotations

import socket
import time
from typing import Any
from urllib.parse import urlsplit

from e2e_harness import A, Server, _client

ORIGINAL = b"a,b\n" * 1000


def _raw(server: Server, head: bytes, body: bytes = b"", *, read: bool = True) -> bytes:
    url = urlsplit(server.url)
    with socket.create_connection((url.hostname or "127.0.0.1", url.port or 80), timeout=10) as connection:
        connection.sendall(head + body)
        if not read:
            return b""
        connection.shutdown(socket.SHUT_WR)
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
        return answer


def _presigned_head(server: Server, s3: Any, operation: str, headers: dict[str, str], **params: Any) -> bytes:
    """The head of a presigned request (its body is UNSIGNED-PAYLOAD: no hash covers it)."""
    url = urlsplit(s3.generate_presigned_url(operation, Params=params, ExpiresIn=300))
    lines = [f"PUT {url.path}?{url.query} HTTP/1.1", f"Host: {url.netloc}"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def test_an_upload_cut_off_mid_body_stores_nothing(server: Server) -> None:
    keys = server.create_account(A)
    s3 = _client(server, "s3", keys)
    s3.create_bucket(Bucket="cut")
    s3.put_object(Bucket="cut", Key="report.csv", Body=ORIGINAL)
    length = {"Content-Length": str(len(ORIGINAL))}
    head = _presigned_head(server, s3, "put_object", length, Bucket="cut", Key="report.csv")
    _raw(server, head, b"x,y\n", read=False)  # 4 of 4,000 bytes, then the connection closes
    # A new key cut off the same way is not created either.
    head = _presigned_head(server, s3, "put_object", length, Bucket="cut", Key="new.csv")
    _raw(server, head, b"x,y\n", read=False)
    time.sleep(0.5)  # the server has seen the disconnect
    assert s3.get_object(Bucket="cut", Key="report.csv")["Body"].read() == ORIGINAL
    assert [o["Key"] for o in s3.list_objects_v2(Bucket="cut")["Contents"]] == ["report.csv"]
    # A part cut off the same way is not listed.
    upload = s3.create_multipart_upload(Bucket="cut", Key="big")["UploadId"]
    head = _presigned_head(
        server, s3, "upload_part", {"Content-Length": "5242880"}, Bucket="cut", Key="big", UploadId=upload, PartNumber=1
    )
    _raw(server, head, b"p" * 1000, read=False)
    time.sleep(0.5)
    assert s3.list_parts(Bucket="cut", Key="big", UploadId=upload).get("Parts", []) == []


def test_a_put_without_a_length_is_411(server: Server) -> None:
    s3 = _client(server, "s3", server.create_account(A))
    s3.create_bucket(Bucket="nolen")
    answer = _raw(server, _presigned_head(server, s3, "put_object", {}, Bucket="nolen", Key="k"))
    assert answer.startswith(b"HTTP/1.1 411 "), answer[:200]
    assert b"<Code>MissingContentLength</Code>" in answer
    assert b"<Message>You must provide the Content-Length HTTP header.</Message>" in answer
    assert "Contents" not in s3.list_objects_v2(Bucket="nolen")


def test_a_declared_length_over_5_gib_is_refused_before_the_body(server: Server) -> None:
    s3 = _client(server, "s3", server.create_account(A))
    s3.create_bucket(Bucket="huge")
    head = _presigned_head(server, s3, "put_object", {"Content-Length": str(6 * 1024**3)}, Bucket="huge", Key="k")
    answer = _raw(server, head, b"x" * 1024)  # the answer comes without the rest of 6 GiB
    assert answer.startswith(b"HTTP/1.1 400 "), answer[:200]
    assert b"<Code>EntityTooLarge</Code>" in answer
    assert b"<MaxSizeAllowed>5368709120</MaxSizeAllowed>" in answer
    assert b"\r\nconnection: close\r\n" in answer.lower()  # the rest of the body is no request
