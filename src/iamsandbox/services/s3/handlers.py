"""The S3 operations iamsandbox implements, by AWS operation name."""

from __future__ import annotations

from ..context import Handler
from . import buckets, listing, multipart, objects

HANDLERS: dict[str, Handler] = {
    "CreateBucket": buckets.create_bucket,
    "DeleteBucket": buckets.delete_bucket,
    "HeadBucket": buckets.head_bucket,
    "ListBuckets": buckets.list_buckets,
    "GetBucketLocation": buckets.get_bucket_location,
    "GetBucketTagging": buckets.get_bucket_tagging,
    "PutBucketTagging": buckets.put_bucket_tagging,
    "DeleteBucketTagging": buckets.delete_bucket_tagging,
    "GetBucketPolicy": buckets.get_bucket_policy,
    "PutBucketPolicy": buckets.put_bucket_policy,
    "DeleteBucketPolicy": buckets.delete_bucket_policy,
    "GetPublicAccessBlock": buckets.get_public_access_block,
    "PutPublicAccessBlock": buckets.put_public_access_block,
    "DeletePublicAccessBlock": buckets.delete_public_access_block,
    "GetBucketOwnershipControls": buckets.get_bucket_ownership_controls,
    "PutBucketOwnershipControls": buckets.put_bucket_ownership_controls,
    "DeleteBucketOwnershipControls": buckets.delete_bucket_ownership_controls,
    "PutObject": objects.put_object,
    "GetObject": objects.get_object,
    "HeadObject": objects.head_object,
    "DeleteObject": objects.delete_object,
    "DeleteObjects": objects.delete_objects,
    "CopyObject": objects.copy_object,
    "ListObjects": listing.list_objects,
    "ListObjectsV2": listing.list_objects_v2,
    "CreateMultipartUpload": multipart.create_multipart_upload,
    "UploadPart": multipart.upload_part,
    "CompleteMultipartUpload": multipart.complete_multipart_upload,
    "AbortMultipartUpload": multipart.abort_multipart_upload,
    "ListParts": multipart.list_parts,
    "ListMultipartUploads": multipart.list_multipart_uploads,
}
