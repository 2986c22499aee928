"""Readers for the SigV4 suites in ``tests/data/sigv4`` (see its README for sources)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "data" / "sigv4"
AWS4 = DATA / "aws4_testsuite"
CRT = DATA / "aws-signing-test-suite" / "v4"
SMITHY = DATA / "smithy-rs-extra" / "v4"
S3_EXAMPLES = DATA / "s3-examples" / "s3-sigv4-examples.json"

SUITE_KEY_ID = "AKIDEXAMPLE"
SUITE_SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
S3_KEY_ID = "AKIAIOSFODNN7EXAMPLE"
S3_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"


@dataclass
class RawRequest:
    method: str
    path: str
    query: str
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b""

    def header(self, name: str) -> str | None:
        for key, value in self.headers:
            if key.lower() == name.lower():
                return value
        return None


def parse_http(text: str) -> RawRequest:
    """A request as the suites write it: request line, headers (folded lines continue
    the previous value, as RFC 7230 obs-fold), a blank line, the body."""
    text = text.replace("\r\n", "\n")
    head, sep, body = text.partition("\n\n")
    lines = head.split("\n")
    request_line = lines[0]
    method, _, rest = request_line.partition(" ")
    target = rest.rsplit(" HTTP/", 1)[0]
    path, _, query = target.partition("?")
    headers: list[tuple[str, str]] = []
    for line in lines[1:]:
        if line[:1] in (" ", "\t") and headers:
            name, value = headers[-1]
            headers[-1] = (name, value + " " + line.strip())
            continue
        name, _, value = line.partition(":")
        headers.append((name, value))
    return RawRequest(method, path, query, headers, body.encode("utf-8") if sep else b"")


def aws4_cases() -> list[Path]:
    """Every case folder of the botocore copy of the AWS suite (34)."""
    return sorted(p.parent for p in AWS4.rglob("*.sreq"))


def crt_cases() -> list[Path]:
    return sorted(p for p in CRT.iterdir() if p.is_dir())


def crt_context(case: Path) -> dict[str, object]:
    context: dict[str, object] = json.loads((case / "context.json").read_text())
    return context


def s3_examples() -> dict[str, object]:
    examples: dict[str, object] = json.loads(S3_EXAMPLES.read_text())
    return examples
