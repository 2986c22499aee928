"""The bucket configuration reads that tools, consoles and security reviewers make, against
a real server: boto3 through the reference workflow's role, and the AWS CLI's s3api.

AWS pages: S3 User Guide "Controlling ownership of objects and disabling ACLs for your
bucket" and its "Troubleshooting" page (ACL reads show the bucket owner's full control;
ACL writes are AccessControlListNotSupported), "Setting default server-side encryption
behavior for Amazon S3 buckets" (SSE-S3 by default), "Blocking public access to your
Amazon S3 storage" (The meaning of "public"); the AmazonS3ReadOnlyAccess managed policy
grants s3:Get* and s3:List*.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from botocore.exceptions import ClientError
from e2e_harness import ROLE, ROLE_ARN, A, Server, _client, _set_up, aws_cli


def test_role_reads_the_trusting_accounts_bucket_configuration(server: Server) -> None:
    alice = _set_up(server)
    owner = _client(server, "s3", server.roots[A]).list_buckets()["Owner"]["ID"]
    credentials = _client(server, "sts", alice).assume_role(RoleArn=ROLE_ARN, RoleSessionName="alice")["Credentials"]
    keys = {"AccessKeyId": credentials["AccessKeyId"], "SecretAccessKey": credentials["SecretAccessKey"]}
    s3 = _client(server, "s3", keys, credentials["SessionToken"])

    acl = s3.get_bucket_acl(Bucket="shared-bucket")
    assert acl["Owner"]["ID"] == owner
    assert acl["Grants"] == [{"Grantee": {"ID": owner, "Type": "CanonicalUser"}, "Permission": "FULL_CONTROL"}]
    assert s3.get_object_acl(Bucket="shared-bucket", Key="report.csv")["Owner"]["ID"] == owner
    rules = s3.get_bucket_encryption(Bucket="shared-bucket")["ServerSideEncryptionConfiguration"]["Rules"]
    assert rules == [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}, "BucketKeyEnabled": False}]
    versioning = s3.get_bucket_versioning(Bucket="shared-bucket")
    assert "Status" not in versioning and "MFADelete" not in versioning
    assert s3.get_bucket_request_payment(Bucket="shared-bucket")["Payer"] == "BucketOwner"
    assert "LoggingEnabled" not in s3.get_bucket_logging(Bucket="shared-bucket")
    with pytest.raises(ClientError) as no_cors:
        s3.get_bucket_cors(Bucket="shared-bucket")
    assert no_cors.value.response["Error"]["Code"] == "NoSuchCORSConfiguration"
    assert no_cors.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404
    with pytest.raises(ClientError) as no_policy:
        s3.get_bucket_policy_status(Bucket="shared-bucket")
    assert no_policy.value.response["Error"]["Code"] == "NoSuchBucketPolicy"

    # A read-only role may not write an ACL, whatever the ACL.
    with pytest.raises(ClientError) as denied:
        s3.put_bucket_acl(Bucket="shared-bucket", ACL="public-read")
    assert denied.value.response["Error"]["Message"] == (
        f"User: arn:aws:sts::{A}:assumed-role/{ROLE}/alice is not authorized to perform: s3:PutBucketAcl on "
        'resource: "arn:aws:s3:::shared-bucket" because no identity-based policy allows the s3:PutBucketAcl action'
    )
    # The owner may, and S3 answers that the bucket does not allow ACLs.
    root = _client(server, "s3", server.roots[A])
    with pytest.raises(ClientError) as refused:
        root.put_object(Bucket="shared-bucket", Key="public.txt", Body=b"x", ACL="public-read")
    assert refused.value.response["Error"]["Code"] == "AccessControlListNotSupported"
    assert refused.value.response["Error"]["Message"] == "The bucket does not allow ACLs"
    assert refused.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    root.put_object(Bucket="shared-bucket", Key="shared.txt", Body=b"x", ACL="bucket-owner-full-control")
    # PutBucketVersioning is implemented (tests/e2e/test_s3_versioning_clients.py).
    root.put_bucket_versioning(Bucket="shared-bucket", VersioningConfiguration={"Status": "Enabled"})
    assert root.get_bucket_versioning(Bucket="shared-bucket")["Status"] == "Enabled"


def test_aws_cli_s3api_reads(server: Server, tmp_path: Path) -> None:
    root = server.create_account(A)
    s3 = _client(server, "s3", root)
    s3.create_bucket(Bucket="cli-config")
    owner = s3.list_buckets()["Owner"]["ID"]

    def s3api(*args: str) -> subprocess.CompletedProcess[str]:
        return aws_cli(server, tmp_path, root, "s3api", *args, "--bucket", "cli-config", "--output", "json")

    acl = s3api("get-bucket-acl")
    assert acl.returncode == 0, acl.stderr
    assert json.loads(acl.stdout)["Grants"] == [
        {"Grantee": {"ID": owner, "Type": "CanonicalUser"}, "Permission": "FULL_CONTROL"}
    ]
    encryption = s3api("get-bucket-encryption")
    assert encryption.returncode == 0, encryption.stderr
    rule = json.loads(encryption.stdout)["ServerSideEncryptionConfiguration"]["Rules"][0]
    assert rule["ApplyServerSideEncryptionByDefault"] == {"SSEAlgorithm": "AES256"}

    # A public policy needs Block Public Access off (BlockPublicPolicy is on by default).
    missing = s3api("get-bucket-policy-status")
    assert missing.returncode != 0 and "NoSuchBucketPolicy" in missing.stderr
    s3.delete_public_access_block(Bucket="cli-config")
    statement = {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::cli-config/*"}
    s3.put_bucket_policy(Bucket="cli-config", Policy=json.dumps({"Version": "2012-10-17", "Statement": [statement]}))
    status = s3api("get-bucket-policy-status")
    assert status.returncode == 0, status.stderr
    assert json.loads(status.stdout) == {"PolicyStatus": {"IsPublic": True}}
    statement["Condition"] = {"StringEquals": {"aws:SourceVpce": "vpce-1a2b3c4d"}}
    s3.put_bucket_policy(Bucket="cli-config", Policy=json.dumps({"Version": "2012-10-17", "Statement": [statement]}))
    assert json.loads(s3api("get-bucket-policy-status").stdout) == {"PolicyStatus": {"IsPublic": False}}

    refused = s3api("put-bucket-acl", "--acl", "public-read")
    assert refused.returncode != 0
    assert (
        "(AccessControlListNotSupported) when calling the PutBucketAcl operation: The bucket does not allow ACLs"
        in (refused.stderr)
    )


def test_bucket_owner_condition_with_the_cli(server: Server, tmp_path: Path) -> None:
    """S3 User Guide, "Verifying bucket ownership with bucket owner condition": its CLI
    example passes --expected-bucket-owner; a request naming another owner fails with
    Access Denied (403), and nothing is written."""
    root = server.create_account(A)
    _client(server, "s3", root).create_bucket(Bucket="owner-checked")
    (tmp_path / "f.txt").write_text("hello")

    def put(owner: str) -> subprocess.CompletedProcess[str]:
        return aws_cli(
            server, tmp_path, root, "s3api", "put-object", "--bucket", "owner-checked", "--key", "f.txt",
            "--body", str(tmp_path / "f.txt"), "--expected-bucket-owner", owner,
        )  # fmt: skip

    assert put(A).returncode == 0
    refused = put("222222222222")
    assert refused.returncode != 0
    assert "(AccessDenied) when calling the PutObject operation: Access Denied" in refused.stderr
    malformed = put("not-an-account")
    assert "(InvalidBucketOwnerAWSAccountID)" in malformed.stderr
    listed = _client(server, "s3", root).list_objects_v2(Bucket="owner-checked")
    assert [item["Key"] for item in listed["Contents"]] == ["f.txt"]


def test_object_lock_is_refused_rather_than_ignored(server: Server) -> None:
    """Object Lock is not modelled here: asking for it (CreateBucket's
    ObjectLockEnabledForBucket, a write's ObjectLockMode / RetainUntilDate / LegalHoldStatus)
    is S3's 501 NotImplemented naming the header ("A header you provided implies functionality
    that is not implemented", S3 "Error responses"), and nothing is made. Silently ignored,
    a COMPLIANCE write went through a bucket policy denying s3:object-lock-mode COMPLIANCE
    ("Bucket policy examples using condition keys") and the bucket kept nothing of it."""
    s3 = _client(server, "s3", server.create_account(A))
    with pytest.raises(ClientError) as bucket:
        s3.create_bucket(Bucket="locked", ObjectLockEnabledForBucket=True)
    error = bucket.value.response["Error"]
    assert (error["Code"], error["Header"]) == ("NotImplemented", "x-amz-bucket-object-lock-enabled")
    assert bucket.value.response["ResponseMetadata"]["HTTPStatusCode"] == 501
    assert "locked" not in [b["Name"] for b in s3.list_buckets()["Buckets"]]
    s3.create_bucket(Bucket="plain", ObjectLockEnabledForBucket=False)  # asks for nothing
    with pytest.raises(ClientError) as write:
        s3.put_object(
            Bucket="plain",
            Key="k",
            Body=b"x",
            ObjectLockMode="COMPLIANCE",
            ObjectLockRetainUntilDate="2031-01-01T00:00:00Z",
        )
    assert write.value.response["Error"]["Code"] == "NotImplemented"
    assert write.value.response["Error"]["Header"].startswith("x-amz-object-lock-")
    with pytest.raises(ClientError) as hold:
        s3.create_multipart_upload(Bucket="plain", Key="k", ObjectLockLegalHoldStatus="ON")
    assert hold.value.response["Error"]["Header"] == "x-amz-object-lock-legal-hold"
    assert "Contents" not in s3.list_objects_v2(Bucket="plain")
