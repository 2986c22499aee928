"""µs per SigV4 verification, in process: a header-signed STS request and a presigned S3 GET.

Both requests are signed once by botocore; the figure is the median (and min) of 30
rounds of 2,000 verifications with a warm signing-key cache, as a server has it.

    .venv/bin/python bench/sigv4_verify.py
"""

from __future__ import annotations

import statistics
import time
from urllib.parse import urlsplit

from botocore.auth import S3SigV4QueryAuth, SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from iamsandbox.auth import sigv4

KEY_ID = "AKIAIOSFODNN7EXAMPLE"
SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
ROUNDS, PER_ROUND = 30, 2000


def _wire(request: AWSRequest) -> tuple[str, str, str, list[tuple[str, str]], bytes]:
    prepared = request.prepare()
    url = urlsplit(prepared.url)
    headers = [(str(k), str(v)) for k, v in prepared.headers.items()] + [("Host", url.netloc)]
    body = prepared.body or b""
    return prepared.method, url.path, url.query, headers, body if isinstance(body, bytes) else body.encode()


def _sts() -> tuple[str, str, str, list[tuple[str, str]], bytes]:
    request = AWSRequest(
        "POST",
        "https://sts.amazonaws.com/",
        data="Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A111111111111%3Arole%2Fr"
        "&RoleSessionName=bench",
        headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8", "User-Agent": "Boto3/1.x"},
    )
    SigV4Auth(Credentials(KEY_ID, SECRET), "sts", "us-east-1").add_auth(request)
    return _wire(request)


def _s3_presigned() -> tuple[str, str, str, list[tuple[str, str]], bytes]:
    request = AWSRequest("GET", "https://examplebucket.s3.amazonaws.com/reports/2026/q3%20summary.csv")
    S3SigV4QueryAuth(Credentials(KEY_ID, SECRET), "s3", "us-east-1", expires=3600).add_auth(request)
    return _wire(request)


def measure(name: str, service: str, wire: tuple[str, str, str, list[tuple[str, str]], bytes]) -> None:
    method, path, query, headers, body = wire
    cache = sigv4.SigningKeyCache()
    keys = {KEY_ID: SECRET}
    now = time.time()
    verify = sigv4.verify_request
    assert verify(method, path, query, headers, service=service, lookup=keys.get, now=now, cache=cache, body=body)
    per_call = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        for _ in range(PER_ROUND):
            verify(method, path, query, headers, service=service, lookup=keys.get, now=now, cache=cache, body=body)
        per_call.append((time.perf_counter() - start) / PER_ROUND * 1e6)
    print(f"{name}: median {statistics.median(per_call):.1f} µs, min {min(per_call):.1f} µs per verification")


if __name__ == "__main__":
    measure("header-signed STS AssumeRole (POST, form body)", "sts", _sts())
    measure("presigned S3 GetObject", "s3", _s3_presigned())
