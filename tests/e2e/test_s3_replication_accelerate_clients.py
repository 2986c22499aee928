"""Bucket replication and Transfer Acceleration settings through a real server, with boto3
and the ``aws`` CLI: kept and read back, refused where AWS refuses them.

AWS pages and recordings: Amazon S3 API Reference, PutBucketReplication ("A replication
configuration must include at least one rule, and can contain a maximum of 1,000"; "When you
add the Filter element in the configuration, you must also add the following elements:
DeleteMarkerReplication, Status, and Priority"; "the user or role performing the action must
have the iam:PassRole permission"), GetBucketReplication, DeleteBucketReplication ("you must
have permissions to perform the s3:PutReplicationConfiguration action"),
PutBucketAccelerateConfiguration ("must not contain periods"); S3 User Guide, "Requirements
and considerations for replication" (both buckets versioning-enabled). AWS's answers as
recorded in LocalStack's snapshots (Apache-2.0): test_s3.py TestS3BucketReplication
(ReplicationConfigurationNotFoundError, the two InvalidRequest messages, MalformedXML for no
rule, 204 for Delete), test_s3_api.py TestS3BucketAccelerateConfiguration. The 409 for
suspending versioning under replication is AWS's answer as quoted in hashicorp/terraform#22491.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError
from e2e_harness import A, Server, _client, aws_cli

SOURCE = "replicated-source"
DESTINATION = "replica-destination"
ROLE_ARN = f"arn:aws:iam::{A}:role/replication-role"


def _error(raised: pytest.ExceptionInfo[ClientError]) -> tuple[int, str, str]:
    response: Any = raised.value.response
    return response["ResponseMetadata"]["HTTPStatusCode"], response["Error"]["Code"], response["Error"]["Message"]


def _configuration(destination: str = DESTINATION) -> dict[str, Any]:
    return {
        "Role": ROLE_ARN,
        "Rules": [
            {
                "ID": "tax-documents",
                "Priority": 1,
                "Status": "Enabled",
                "Filter": {"Prefix": "Tax"},
                "DeleteMarkerReplication": {"Status": "Disabled"},
                "Destination": {"Bucket": f"arn:aws:s3:::{destination}", "StorageClass": "STANDARD"},
            }
        ],
    }


def test_replication_is_kept_with_versioning_on_both_buckets(server: Server, tmp_path: Path) -> None:
    root = server.create_account(A)
    s3 = _client(server, "s3", root)
    s3.create_bucket(Bucket=SOURCE)
    s3.create_bucket(Bucket=DESTINATION)

    with pytest.raises(ClientError) as raised:
        s3.get_bucket_replication(Bucket=SOURCE)
    assert _error(raised) == (
        404,
        "ReplicationConfigurationNotFoundError",
        "The replication configuration was not found",
    )

    # The source's versioning first, then the destination's (a missing destination is
    # answered in the same words as an unversioned one).
    with pytest.raises(ClientError) as raised:
        s3.put_bucket_replication(Bucket=SOURCE, ReplicationConfiguration=_configuration())
    assert _error(raised) == (
        400,
        "InvalidRequest",
        "Versioning must be 'Enabled' on the bucket to apply a replication configuration",
    )
    s3.put_bucket_versioning(Bucket=SOURCE, VersioningConfiguration={"Status": "Enabled"})
    for destination in (DESTINATION, "no-such-destination-bucket"):
        with pytest.raises(ClientError) as raised:
            s3.put_bucket_replication(Bucket=SOURCE, ReplicationConfiguration=_configuration(destination))
        assert _error(raised) == (400, "InvalidRequest", "Destination bucket must have versioning enabled.")
    with pytest.raises(ClientError) as raised:
        s3.put_bucket_replication(Bucket=SOURCE, ReplicationConfiguration={"Role": ROLE_ARN, "Rules": []})
    assert _error(raised)[:2] == (400, "MalformedXML")
    s3.put_bucket_versioning(Bucket=DESTINATION, VersioningConfiguration={"Status": "Enabled"})

    # A Filter without DeleteMarkerReplication is the old schema's rule with the new one's
    # element: refused.
    no_marker = _configuration()
    del no_marker["Rules"][0]["DeleteMarkerReplication"]
    with pytest.raises(ClientError) as raised:
        s3.put_bucket_replication(Bucket=SOURCE, ReplicationConfiguration=no_marker)
    status, code, message = _error(raised)
    assert (status, code) == (400, "InvalidRequest")
    assert message.startswith("DeleteMarkerReplication must be specified for this version of Cross Region Replication")

    # Put with the CLI, read back with the CLI and boto3.
    def s3api(*args: str) -> subprocess.CompletedProcess[str]:
        return aws_cli(server, tmp_path, root, "s3api", *args, "--bucket", SOURCE, "--output", "json")

    put = s3api("put-bucket-replication", "--replication-configuration", json.dumps(_configuration()))
    assert put.returncode == 0, put.stderr
    got = s3api("get-bucket-replication")
    assert got.returncode == 0, got.stderr
    assert json.loads(got.stdout) == {"ReplicationConfiguration": _configuration()}
    assert s3.get_bucket_replication(Bucket=SOURCE)["ReplicationConfiguration"] == _configuration()

    # While replication is set, the source's versioning cannot be suspended.
    with pytest.raises(ClientError) as raised:
        s3.put_bucket_versioning(Bucket=SOURCE, VersioningConfiguration={"Status": "Suspended"})
    status, code, message = _error(raised)
    assert (status, code) == (409, "InvalidBucketState")
    assert message.startswith("A replication configuration is present on this bucket")
    assert s3.get_bucket_versioning(Bucket=SOURCE)["Status"] == "Enabled"

    # A rule without an ID is given one.
    unnamed = _configuration()
    del unnamed["Rules"][0]["ID"]
    s3.put_bucket_replication(Bucket=SOURCE, ReplicationConfiguration=unnamed)
    assert s3.get_bucket_replication(Bucket=SOURCE)["ReplicationConfiguration"]["Rules"][0]["ID"]

    # Delete answers 204, also when there is none; then versioning can be suspended.
    deleted = s3.delete_bucket_replication(Bucket=SOURCE)
    assert deleted["ResponseMetadata"]["HTTPStatusCode"] == 204
    assert s3.delete_bucket_replication(Bucket=SOURCE)["ResponseMetadata"]["HTTPStatusCode"] == 204
    with pytest.raises(ClientError) as raised:
        s3.get_bucket_replication(Bucket=SOURCE)
    assert _error(raised)[1] == "ReplicationConfigurationNotFoundError"
    s3.put_bucket_versioning(Bucket=SOURCE, VersioningConfiguration={"Status": "Suspended"})


def test_replication_rules_follow_their_schema(server: Server) -> None:
    """A rule has Prefix (the first schema) or Filter (the second): neither is MalformedXML
    (AWS's answer in crossplane-contrib/provider-aws#554); a Filter rule's Priority is answered
    ("The response also returns those elements", GetBucketReplication), 0 when not given; "If
    your Filter includes a Tag element, the DeleteMarkerReplication Status must be set to
    Disabled" (DeleteMarkerReplication, S3 API Reference); first-schema rules share one
    destination ("Number of distinct destination bucket ARNs cannot exceed 1", as AWS's users
    met it, terraform-aws-modules/terraform-aws-s3-bucket#104)."""
    root = server.create_account(A)
    s3 = _client(server, "s3", root)
    for bucket in (SOURCE, DESTINATION, "second-destination"):
        s3.create_bucket(Bucket=bucket)
        s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})

    def rule(**members: Any) -> dict[str, Any]:
        return {"Status": "Enabled", "Destination": {"Bucket": f"arn:aws:s3:::{DESTINATION}"}, **members}

    def put(*rules: dict[str, Any]) -> None:
        s3.put_bucket_replication(Bucket=SOURCE, ReplicationConfiguration={"Role": ROLE_ARN, "Rules": list(rules)})

    with pytest.raises(ClientError) as raised:
        put(rule(ID="no-schema"))
    assert _error(raised)[:2] == (400, "MalformedXML")

    put(rule(ID="no-priority", Filter={"Prefix": "logs/"}, DeleteMarkerReplication={"Status": "Disabled"}))
    assert s3.get_bucket_replication(Bucket=SOURCE)["ReplicationConfiguration"]["Rules"][0]["Priority"] == 0

    tagged = rule(ID="tagged", Priority=1, Filter={"Tag": {"Key": "k", "Value": "v"}})
    with pytest.raises(ClientError) as raised:
        put({**tagged, "DeleteMarkerReplication": {"Status": "Enabled"}})
    assert _error(raised)[:2] == (400, "InvalidRequest")
    put({**tagged, "DeleteMarkerReplication": {"Status": "Disabled"}})

    elsewhere = {"Bucket": "arn:aws:s3:::second-destination"}
    with pytest.raises(ClientError) as raised:
        put(rule(ID="a", Prefix="a/"), rule(ID="b", Prefix="b/", Destination=elsewhere))
    assert _error(raised) == (400, "InvalidRequest", "Number of distinct destination bucket ARNs cannot exceed 1")
    put(rule(ID="a", Prefix="a/"), rule(ID="b", Prefix="b/"))
    # Filter rules may go to several destinations ("Replicating objects to more than one
    # destination bucket", S3 User Guide).
    marker = {"DeleteMarkerReplication": {"Status": "Disabled"}}
    put(
        rule(ID="a", Priority=1, Filter={"Prefix": "a/"}, **marker),
        rule(ID="b", Priority=2, Filter={"Prefix": "b/"}, Destination=elsewhere, **marker),
    )
    assert len(s3.get_bucket_replication(Bucket=SOURCE)["ReplicationConfiguration"]["Rules"]) == 2


def test_replication_needs_its_actions_and_pass_role(server: Server) -> None:
    """A user allowed s3:PutReplicationConfiguration but not iam:PassRole on the role is
    denied, naming iam:PassRole; with PassRole (limited by iam:PassedToService to S3) it
    works; GetBucketReplication needs s3:GetReplicationConfiguration."""
    root = server.create_account(A)
    s3 = _client(server, "s3", root)
    for bucket in (SOURCE, DESTINATION):
        s3.create_bucket(Bucket=bucket)
        s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
    iam = _client(server, "iam", root)
    iam.create_user(UserName="operator")
    put_only = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Action": "s3:PutReplicationConfiguration", "Resource": f"arn:aws:s3:::{SOURCE}"}
        ],
    }
    iam.put_user_policy(UserName="operator", PolicyName="replication", PolicyDocument=json.dumps(put_only))
    key = iam.create_access_key(UserName="operator")["AccessKey"]
    operator = _client(server, "s3", {"AccessKeyId": key["AccessKeyId"], "SecretAccessKey": key["SecretAccessKey"]})
    user_arn = f"arn:aws:iam::{A}:user/operator"

    with pytest.raises(ClientError) as raised:
        operator.put_bucket_replication(Bucket=SOURCE, ReplicationConfiguration=_configuration())
    assert _error(raised) == (
        403,
        "AccessDenied",
        f"User: {user_arn} is not authorized to perform: iam:PassRole on resource: {ROLE_ARN} "
        "because no identity-based policy allows the iam:PassRole action",
    )
    with pytest.raises(ClientError) as raised:
        s3.get_bucket_replication(Bucket=SOURCE)
    assert _error(raised)[1] == "ReplicationConfigurationNotFoundError"  # nothing was kept

    pass_role = {
        "Effect": "Allow",
        "Action": "iam:PassRole",
        "Resource": ROLE_ARN,
        "Condition": {"StringEquals": {"iam:PassedToService": "s3.amazonaws.com"}},
    }
    put_only["Statement"].append(pass_role)
    iam.put_user_policy(UserName="operator", PolicyName="replication", PolicyDocument=json.dumps(put_only))
    operator.put_bucket_replication(Bucket=SOURCE, ReplicationConfiguration=_configuration())
    assert s3.get_bucket_replication(Bucket=SOURCE)["ReplicationConfiguration"] == _configuration()

    with pytest.raises(ClientError) as raised:
        operator.get_bucket_replication(Bucket=SOURCE)
    assert _error(raised)[:2] == (403, "AccessDenied")
    assert "s3:GetReplicationConfiguration" in _error(raised)[2]
    operator.delete_bucket_replication(Bucket=SOURCE)  # s3:PutReplicationConfiguration
    with pytest.raises(ClientError) as raised:
        s3.get_bucket_replication(Bucket=SOURCE)
    assert _error(raised)[1] == "ReplicationConfigurationNotFoundError"


def test_transfer_acceleration_is_kept(server: Server) -> None:
    root = server.create_account(A)
    s3 = _client(server, "s3", root)
    s3.create_bucket(Bucket="accelerated")
    s3.create_bucket(Bucket="dotted.bucket")

    assert "Status" not in s3.get_bucket_accelerate_configuration(Bucket="accelerated")
    s3.put_bucket_accelerate_configuration(Bucket="accelerated", AccelerateConfiguration={"Status": "Enabled"})
    assert s3.get_bucket_accelerate_configuration(Bucket="accelerated")["Status"] == "Enabled"
    s3.put_bucket_accelerate_configuration(Bucket="accelerated", AccelerateConfiguration={"Status": "Suspended"})
    assert s3.get_bucket_accelerate_configuration(Bucket="accelerated")["Status"] == "Suspended"

    for status in ("enabled", "Fast"):
        with pytest.raises(ClientError) as raised:
            s3.put_bucket_accelerate_configuration(Bucket="accelerated", AccelerateConfiguration={"Status": status})
        assert _error(raised)[:2] == (400, "MalformedXML")
    assert s3.get_bucket_accelerate_configuration(Bucket="accelerated")["Status"] == "Suspended"
    with pytest.raises(ClientError) as raised:
        s3.put_bucket_accelerate_configuration(Bucket="dotted.bucket", AccelerateConfiguration={"Status": "Enabled"})
    assert _error(raised) == (
        400,
        "InvalidRequest",
        "S3 Transfer Acceleration is not supported for buckets with periods (.) in their names",
    )
