"""Which Host headers name a bucket (virtual-hosted style) and which are path style.

AWS page: S3 User Guide, "Virtual hosting of buckets" ("In a virtual-hosted–style URI, the
bucket name is part of the domain name in the URL", of the form
``https://bucket-name.s3.region-code.amazonaws.com/key-name``; "Legacy global endpoint":
``bucket-name.s3.amazonaws.com``; the dash form ``s3-Region`` of older Regions; dual-stack
endpoints ``s3.dualstack.region-code.amazonaws.com``). A name with a trailing dot is the
same DNS name, fully qualified.
"""

from __future__ import annotations

import pytest

from iamsandbox.protocol.model import ServiceModels
from iamsandbox.protocol.s3_routing import S3Router
from iamsandbox.server.app import DEFAULT_S3_HOSTS

ROUTER = S3Router(ServiceModels().service("s3"), DEFAULT_S3_HOSTS)


@pytest.mark.parametrize(
    ("host", "bucket"),
    [
        ("amzn-s3-demo-bucket.s3.us-west-2.amazonaws.com", "amzn-s3-demo-bucket"),  # the page's example
        ("amzn-s3-demo-bucket.s3.amazonaws.com", "amzn-s3-demo-bucket"),
        ("my.dotted.bucket.s3.us-east-1.amazonaws.com", "my.dotted.bucket"),
        ("bucket.s3-us-west-2.amazonaws.com", "bucket"),
        ("bucket.s3-external-1.amazonaws.com", "bucket"),
        ("bucket.s3.dualstack.eu-west-1.amazonaws.com", "bucket"),
        ("bucket.localhost:4566", "bucket"),
        ("bucket.localhost.:4566", "bucket"),
        ("bucket.s3.localhost", "bucket"),
    ],
)
def test_hosts_that_name_a_bucket(host: str, bucket: str) -> None:
    assert ROUTER.bucket_from_host(host) == bucket


@pytest.mark.parametrize(
    "host",
    [
        "s3.us-west-2.amazonaws.com",
        "s3.amazonaws.com",
        "s3-us-west-2.amazonaws.com",
        "localhost:4566",
        "localhost.:4566",
        "127.0.0.1:4566",
        "[::1]:4566",
        "iam.amazonaws.com",
        "sts.us-east-1.amazonaws.com",
    ],
)
def test_hosts_of_path_style_requests(host: str) -> None:
    assert ROUTER.bucket_from_host(host) is None
