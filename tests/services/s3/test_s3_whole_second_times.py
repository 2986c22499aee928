"""S3 writes its timestamps in whole seconds: "2009-10-12T17:50:30.000Z" in ListObjects' and
ListBuckets' examples (S3 API Reference), and the Last-Modified header is an HTTP date. A
listing's LastModified is the same second as the object's Last-Modified, which the AWS CLI
relies on: it sets a downloaded file's mtime from the header and `aws s3 sync
--exact-timestamps` compares it with the listing (aws/aws-cli#824)."""

from __future__ import annotations

import re
from pathlib import Path

from inprocess_harness import client, open_app, root_keys

A = "111111111111"
WHOLE_SECONDS = re.compile(rb"<(LastModified|CreationDate|Initiated)>[0-9T:-]+\.000Z</")
ANY_TIME = re.compile(rb"<(LastModified|CreationDate|Initiated)>[^<]*</")


def test_listings_and_headers_agree_to_the_second(tmp_path: Path) -> None:
    app = open_app(tmp_path, A)
    s3 = client(app, "s3", root_keys(app, A))
    raw: list[bytes] = []
    s3.meta.events.register("after-call", lambda http_response, **_: raw.append(http_response.content))
    s3.create_bucket(Bucket="bkt")
    s3.put_object(Bucket="bkt", Key="k", Body=b"x")
    s3.create_multipart_upload(Bucket="bkt", Key="upload")
    raw.clear()
    listed = s3.list_objects_v2(Bucket="bkt")["Contents"][0]["LastModified"]
    s3.list_objects(Bucket="bkt")
    s3.list_object_versions(Bucket="bkt")
    s3.list_buckets()
    s3.list_multipart_uploads(Bucket="bkt")
    bodies = b"".join(raw)
    assert len(ANY_TIME.findall(bodies)) >= 5
    assert ANY_TIME.findall(bodies) == WHOLE_SECONDS.findall(bodies)
    assert listed == s3.head_object(Bucket="bkt", Key="k")["LastModified"]
