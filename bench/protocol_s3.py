"""µs per S3 request in the REST-XML protocol: route + parse of a GetObject, and
serialize of a ListObjectsV2 result with 100 keys. Median and minimum of rounds.

    .venv/bin/python bench/protocol_s3.py
"""

from __future__ import annotations

import datetime as dt
import statistics
import time
from collections.abc import Callable

from iamsandbox.protocol.http import HttpRequest
from iamsandbox.protocol.model import ServiceModels
from iamsandbox.protocol.s3 import S3Protocol


def _measure(action: Callable[[], object], calls: int, rounds: int = 15) -> tuple[float, float]:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        for _ in range(calls):
            action()
        times.append((time.perf_counter() - start) / calls * 1e6)
    return statistics.median(times), min(times)


def main() -> None:
    protocol = S3Protocol(ServiceModels().service("s3"), ("s3.localhost", "localhost"))
    headers = {
        "host": "reports.s3.localhost:4566",
        "x-amz-date": "20261127T204110Z",
        "x-amz-content-sha256": "UNSIGNED-PAYLOAD",
        "authorization": "AWS4-HMAC-SHA256 Credential=AKID/20261127/us-east-1/s3/aws4_request, ...",
        "range": "bytes=0-1023",
        "user-agent": "Boto3/1.40 md/Botocore#1.40",
    }
    get = HttpRequest("GET", "/team-7/2026/report%20final.csv", "", headers, b"", "reports.s3.localhost:4566")
    protocol.parse(get)  # compile the plan once, as a server does on its first request
    when = dt.datetime(2026, 11, 27, 20, 41, 10, tzinfo=dt.UTC)
    result = {
        "IsTruncated": False,
        "Contents": [
            {
                "Key": f"team-7/2026/object-{i:04d}.csv",
                "LastModified": when,
                "ETag": f'"{i:032x}"',
                "Size": 1024 + i,
                "StorageClass": "STANDARD",
            }
            for i in range(100)
        ],
        "Name": "reports",
        "Prefix": "team-7/",
        "MaxKeys": 1000,
        "KeyCount": 100,
    }
    protocol.serialize("ListObjectsV2", result)
    parse = _measure(lambda: protocol.parse(get), 5000)
    listing = _measure(lambda: protocol.serialize("ListObjectsV2", result), 300)
    print(f"route + parse GetObject (virtual host, 6 headers): {parse[0]:.1f} µs median, {parse[1]:.1f} µs min")
    print(f"serialize ListObjectsV2, 100 keys:                 {listing[0]:.1f} µs median, {listing[1]:.1f} µs min")


if __name__ == "__main__":
    main()
