"""IAM answers a black-box review of the entities' life cycle found different from AWS's.

- DeleteUser's DeleteConflict, in AWS's recorded words: a signing certificate "Cannot delete
  entity, must delete certificates first." (rebuy-de/aws-nuke#671), an SSH public key
  "Cannot delete entity, must remove referenced objects first." (aws-nuke#470, #522).
- PutUserPermissionsBoundary / PutRolePermissionsBoundary list PolicyNotAttachable: "AWS
  service role policies can only be attached to the service-linked role for that service"
  (IAM API Reference), as Attach* refuses them.
- "Tagging IAM resources": AWS's answer to duplicate keys says "Tag keys are case
  insensitive"; one TagPolicy request with keys that differ only in case is refused as a
  CreatePolicy with them is, while separate requests keep both (policy keys are case
  sensitive).
"""

from __future__ import annotations

import json

import pytest
from iam_harness import Iam

from iamsandbox import errors
from x509_material import certificate, rsa_key, ssh_rsa

DOCUMENT = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]})
SERVICE_ROLE_POLICY = "arn:aws:iam::aws:policy/aws-service-role/AWSSupportServiceRolePolicy"


def test_delete_user_names_what_is_left_as_aws_does(iam: Iam) -> None:
    iam("CreateUser", UserName="certified")
    iam("UploadSigningCertificate", UserName="certified", CertificateBody=certificate(rsa_key(), "certified"))
    with pytest.raises(errors.DeleteConflict, match="^Cannot delete entity, must delete certificates first.$"):
        iam("DeleteUser", UserName="certified")
    iam("CreateUser", UserName="keyed")
    iam("UploadSSHPublicKey", UserName="keyed", SSHPublicKeyBody=ssh_rsa(rsa_key()))
    with pytest.raises(errors.DeleteConflict, match="^Cannot delete entity, must remove referenced objects first.$"):
        iam("DeleteUser", UserName="keyed")


def test_a_service_role_policy_is_no_permissions_boundary(iam: Iam) -> None:
    iam("CreateUser", UserName="u1")
    with pytest.raises(errors.PolicyNotAttachable):
        iam("PutUserPermissionsBoundary", UserName="u1", PermissionsBoundary=SERVICE_ROLE_POLICY)
    with pytest.raises(errors.PolicyNotAttachable):
        iam("CreateUser", UserName="u2", PermissionsBoundary=SERVICE_ROLE_POLICY)
    assert "PermissionsBoundary" not in iam("GetUser", UserName="u1")["User"]


def test_one_requests_tag_keys_are_compared_in_any_case(iam: Iam) -> None:
    arn = iam("CreatePolicy", PolicyName="p", PolicyDocument=DOCUMENT)["Policy"]["Arn"]
    with pytest.raises(errors.InvalidInput, match="Tag keys are case insensitive"):
        iam("TagPolicy", PolicyArn=arn, Tags=[{"Key": "a", "Value": "1"}, {"Key": "A", "Value": "2"}])
    iam("TagPolicy", PolicyArn=arn, Tags=[{"Key": "a", "Value": "1"}])
    iam("TagPolicy", PolicyArn=arn, Tags=[{"Key": "A", "Value": "2"}])
    tags = {tag["Key"]: tag["Value"] for tag in iam("ListPolicyTags", PolicyArn=arn)["Tags"]}
    assert tags == {"a": "1", "A": "2"}
