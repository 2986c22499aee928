"""µs per parse and per serialize of the query protocol (IAM, STS), in process.

    .venv/bin/python bench/protocol_query.py

AssumeRole: a request with Tags, PolicyArns, an inline policy and DurationSeconds parsed and
validated from its form body (as botocore sends it); its result written as XML.
ListPolicies: the request parsed; a result of 100 policies written. Plans are compiled
before timing, as a server does at start. Figures: median and minimum of 30 rounds.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from botocore.serialize import create_serializer

from iamsandbox.protocol.model import ServiceModels
from iamsandbox.protocol.query import QueryProtocol

ROUNDS = 30


def measure(label: str, call: Callable[[], Any], per_round: int) -> None:
    figures = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        for _ in range(per_round):
            call()
        figures.append((time.perf_counter() - start) / per_round * 1e6)
    print(f"{label:<40} {statistics.median(figures):8.2f} µs median  {min(figures):8.2f} µs min")


def main() -> None:
    models = ServiceModels()
    sts = QueryProtocol.for_service(models, "sts")
    iam = QueryProtocol.for_service(models, "iam")
    sts.prepare()
    iam.prepare()
    serializer = create_serializer("query")

    assume_role = {
        "RoleArn": "arn:aws:iam::111111111111:role/my-s3-x-account-role",
        "RoleSessionName": "alice",
        "DurationSeconds": 3600,
        "ExternalId": "ext-123",
        "Policy": '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:Get*","Resource":"*"}]}',
        "PolicyArns": [{"arn": "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"}],
        "Tags": [{"Key": "project", "Value": "x"}, {"Key": "team", "Value": "blue"}],
        "TransitiveTagKeys": ["project"],
    }
    body = urlencode(serializer.serialize_to_request(assume_role, models.operation("sts", "AssumeRole"))["body"])
    now = datetime(2026, 11, 27, 20, 41, 10, tzinfo=UTC)
    assume_role_result = {
        "Credentials": {
            "AccessKeyId": "ASIAIOSFODNN7EXAMPLE",
            "SecretAccessKey": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY",
            "SessionToken": "A" * 600,
            "Expiration": now + timedelta(hours=1),
        },
        "AssumedRoleUser": {
            "AssumedRoleId": "AROA3XFRBF535PLBIFPI4:alice",
            "Arn": "arn:aws:sts::111111111111:assumed-role/my-s3-x-account-role/alice",
        },
        "PackedPolicySize": 6,
        "SourceIdentity": "alice",
    }
    list_body = urlencode(
        serializer.serialize_to_request({"Scope": "AWS", "MaxItems": 100}, models.operation("iam", "ListPolicies"))[
            "body"
        ]
    )
    policies = {
        "Policies": [
            {
                "PolicyName": f"Policy{i}",
                "PolicyId": f"ANPA{i:017d}",
                "Arn": f"arn:aws:iam::aws:policy/Policy{i}",
                "Path": "/",
                "DefaultVersionId": "v3",
                "AttachmentCount": 1,
                "PermissionsBoundaryUsageCount": 0,
                "IsAttachable": True,
                "CreateDate": now,
                "UpdateDate": now,
            }
            for i in range(100)
        ],
        "IsTruncated": True,
        "Marker": "bWFya2Vy",
    }
    request_id = "c0ffee00-0000-4000-8000-000000000000"

    measure("AssumeRole parse + validate", lambda: sts.parse(body), 2000)
    measure("AssumeRole serialize", lambda: sts.serialize("AssumeRole", assume_role_result, request_id), 2000)
    measure("ListPolicies parse + validate", lambda: iam.parse(list_body), 2000)
    measure("ListPolicies serialize (100 policies)", lambda: iam.serialize("ListPolicies", policies, request_id), 200)


if __name__ == "__main__":
    main()
