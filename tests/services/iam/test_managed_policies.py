"""The AWS managed policies shipped as package data, and the parser against all of them:
every document AWS publishes must parse and validate as an identity policy."""

from __future__ import annotations

from iamsandbox.policy import CompiledSet, PolicySet, PolicyType, Request, evaluate
from iamsandbox.services.iam.managed_policies import ManagedPolicies

POLICIES = ManagedPolicies()
S3_READ = "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"


def test_every_managed_policy_with_an_arn_is_there_and_parses() -> None:
    every = POLICIES.all()
    # 1,645 entries in the data (the shared README's count), each at its own ARN.
    assert len(every) == 1645
    for managed in every:
        assert managed.arn.endswith(managed.path + managed.name)
        assert POLICIES.policy(managed.arn) is not None


def test_paths_and_well_known_policies() -> None:
    assert POLICIES.get("arn:aws:iam::aws:policy/job-function/ViewOnlyAccess") is not None
    assert POLICIES.get("arn:aws:iam::aws:policy/job-function/ViewOnlyAccess").path == "/job-function/"  # type: ignore[union-attr]
    assert POLICIES.get(S3_READ) is not None
    assert POLICIES.get("arn:aws:iam::aws:policy/AWSSecurityTokenServiceFullAccess") is None  # no such policy


def test_s3_read_only_reads_and_does_not_write() -> None:
    # The reference workflow's role: "AmazonS3ReadOnlyAccess" allows s3:Get* and s3:List*.
    policy = POLICIES.policy(S3_READ)
    assert policy is not None
    identity = CompiledSet(PolicyType.IDENTITY, [(S3_READ, policy)])
    session = "arn:aws:sts::111111111111:assumed-role/my-s3-x-account-role/s"
    for action, allowed in (("s3:GetObject", True), ("s3:ListBucket", True), ("s3:PutObject", False)):
        request = Request.build(session, action, "arn:aws:s3:::bucket/key", "111111111111")
        assert evaluate(request, PolicySet(identity=identity)).allowed is allowed, action
