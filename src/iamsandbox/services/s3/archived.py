"""Objects in S3's archived storage classes: their bytes cannot be read until restored.

AWS pages: "Restoring an archived object" (S3 User Guide): "Amazon S3 objects that are
stored in the S3 Glacier Flexible Retrieval or S3 Glacier Deep Archive storage classes are
not immediately accessible. To access an object in these storage classes, you must restore
a temporary copy"; GetObject (S3 API Reference): "If the object you are retrieving is stored
in the S3 Glacier Flexible Retrieval storage class, the S3 Glacier Deep Archive storage
class, ... before you can retrieve the object you must first restore a copy using
RestoreObject. Otherwise, this operation returns an InvalidObjectState error", HTTP 403 with
the members StorageClass and AccessTier (botocore's InvalidObjectState shape). CopyObject:
"you must restore a copy of this object before you can use it as a source object for the
copy operation"; UploadPartCopy copies from the same source.

- GLACIER and DEEP_ARCHIVE are archived; GLACIER_IR (Glacier Instant Retrieval) is read in
  real time, as every other class.
- GetObject (``check_readable``): 403 InvalidObjectState, "The operation is not valid for
  the object's storage class", with StorageClass. HeadObject, GetObjectAttributes, the
  tagging and ACL reads and DeleteObject still answer: they do not read the bytes.
- A copy source (``check_copy_source``; CopyObject, UploadPartCopy, a copy in place that
  would change the storage class included): 403 InvalidObjectState, "Operation is not valid
  for the source object's storage class", with StorageClass.
  Both messages as production S3 answers them (quoted in users' reports, e.g. the Hadoop S3A
  troubleshooting guide for the copy) and as LocalStack records them from AWS; that the check
  comes before the conditional headers (If-Match...) follows LocalStack (unconfirmed).

Known gaps: RestoreObject is not implemented (it answers NotImplemented), so an archived
object stays unreadable and x-amz-restore is never answered. Objects never move to
S3 Intelligent-Tiering's Archive Access tiers here (nor do lifecycle transitions run), so
AccessTier is never answered.
"""

from __future__ import annotations

from ...errors import InvalidObjectState
from ...store.interface import S3Object

ARCHIVED = frozenset({"GLACIER", "DEEP_ARCHIVE"})


def check_readable(found: S3Object) -> None:
    """GetObject of ``found``: refused while it is archived."""
    if found.headers.storage_class in ARCHIVED:
        raise InvalidObjectState(StorageClass=found.headers.storage_class)


def check_copy_source(source: S3Object) -> None:
    """``source`` named by x-amz-copy-source: refused while it is archived."""
    if source.headers.storage_class in ARCHIVED:
        raise InvalidObjectState(
            "Operation is not valid for the source object's storage class",
            StorageClass=source.headers.storage_class,
        )
