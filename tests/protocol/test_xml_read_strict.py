"""S3 request bodies that break the schema are MalformedXML, and change nothing.

AWS page: "Error responses" (S3 API Reference): MalformedXML, "The XML you provided was not
well-formed or did not validate against our published schema". A value holding elements and
a member given twice do not validate; which of two values S3 would keep, no schema says (they
used to be taken silently: the last Status, the text outside the elements).
"""

from __future__ import annotations

from typing import Any

import pytest

from iamsandbox.errors import MalformedXML
from iamsandbox.protocol.model import ServiceModels
from iamsandbox.protocol.xml_read import from_xml, read_xml

S3 = ServiceModels().service("s3")


def _payload(operation: str) -> Any:
    shape = S3.operation_model(operation).input_shape
    return shape.members[shape.serialization["payload"]]


def _read(operation: str, text: str) -> Any:
    return from_xml(_payload(operation), read_xml(text.encode()))


TAGGING = "<Tagging><TagSet><Tag><Key>team</Key><Value>{}</Value></Tag></TagSet></Tagging>"


def test_a_well_formed_body_reads_as_before() -> None:
    assert _read("PutBucketTagging", TAGGING.format("red")) == {"TagSet": [{"Key": "team", "Value": "red"}]}
    block = (
        "<PublicAccessBlockConfiguration><BlockPublicPolicy>true</BlockPublicPolicy></PublicAccessBlockConfiguration>"
    )
    assert _read("PutPublicAccessBlock", block) == {"BlockPublicPolicy": True}


@pytest.mark.parametrize(
    ("operation", "text"),
    [
        ("PutBucketTagging", TAGGING.format("x<b>y</b>z")),  # elements inside a value
        ("PutBucketTagging", TAGGING.format('<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="x"/>')),
        ("PutBucketTagging", "<Tagging><TagSet><Tag><Key>a</Key><Key>b</Key><Value>v</Value></Tag></TagSet></Tagging>"),
        ("PutBucketTagging", "<Tagging><TagSet/><TagSet/></Tagging>"),
        (
            "PutBucketVersioning",
            "<VersioningConfiguration><Status>Enabled</Status><Status>Suspended</Status></VersioningConfiguration>",
        ),
        (
            "PutPublicAccessBlock",
            "<PublicAccessBlockConfiguration><BlockPublicPolicy>TRUE</BlockPublicPolicy>"
            "<BlockPublicPolicy>false</BlockPublicPolicy></PublicAccessBlockConfiguration>",
        ),
    ],
)
def test_a_body_that_does_not_follow_the_schema_is_malformed_xml(operation: str, text: str) -> None:
    with pytest.raises(MalformedXML):
        _read(operation, text)
