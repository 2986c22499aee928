"""ListMultipartUploads: the last page still answers NextKeyMarker and NextUploadIdMarker.

AWS pages: ListMultipartUploads (S3 API Reference): NextKeyMarker, "When a list is
truncated, this element specifies the value that should be used for the key-marker request
parameter in a subsequent request", NextUploadIdMarker likewise. What a page that is not
truncated answers is recorded from AWS in LocalStack's test_s3_list_operations snapshot
(test_list_multiparts_next_marker: "list-multiparts-all" names the last upload,
"list-multiparts-empty" and "list-multiparts-next-key-last" answer "" for both;
test_list_multiparts_with_prefix_and_delimiter: only CommonPrefixes, "" for both).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from inprocess_harness import client, open_app, root_keys

A = "111111111111"


def test_last_page_markers(tmp_path: Path) -> None:
    app = open_app(tmp_path, A)
    s3: Any = client(app, "s3", root_keys(app, A))
    s3.create_bucket(Bucket="bkt")
    empty = s3.list_multipart_uploads(Bucket="bkt")
    assert (empty["NextKeyMarker"], empty["NextUploadIdMarker"]) == ("", "")
    first = s3.create_multipart_upload(Bucket="bkt", Key="a")["UploadId"]
    last = s3.create_multipart_upload(Bucket="bkt", Key="b")["UploadId"]
    s3.create_multipart_upload(Bucket="bkt", Key="dir/c")
    out = s3.list_multipart_uploads(Bucket="bkt")
    assert out["IsTruncated"] is False
    assert [upload["UploadId"] for upload in out["Uploads"]][:2] == [first, last]
    assert out["NextKeyMarker"] == "dir/c"
    rolled = s3.list_multipart_uploads(Bucket="bkt", Prefix="dir", Delimiter="/")  # only "dir/"
    assert (rolled["NextKeyMarker"], rolled["NextUploadIdMarker"]) == ("", "")
    grouped = s3.list_multipart_uploads(Bucket="bkt", Delimiter="/")
    assert grouped["CommonPrefixes"] == [{"Prefix": "dir/"}]
    assert (grouped["NextKeyMarker"], grouped["NextUploadIdMarker"]) == ("b", last)
    after = s3.list_multipart_uploads(Bucket="bkt", KeyMarker="dir/c")
    assert "Uploads" not in after and (after["NextKeyMarker"], after["NextUploadIdMarker"]) == ("", "")
