"""Authentication: SigV4 (header and presigned), S3 payload modes, session tokens."""
