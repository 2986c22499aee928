"""S3: buckets, objects, listings and multipart uploads."""
