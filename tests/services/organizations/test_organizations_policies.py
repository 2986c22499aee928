"""SCPs and RCPs (AWS Organizations API Reference: CreatePolicy, UpdatePolicy, DeletePolicy,
ListPolicies, AttachPolicy, DetachPolicy, ListPoliciesForTarget, ListTargetsForPolicy,
EnablePolicyType; "SCP evaluation", "RCP evaluation", "SCP syntax", "Quotas for AWS
Organizations", Organizations User Guide), and what the store then answers the authorizer
(org_membership, org_policy_documents)."""

from __future__ import annotations

import json
import re

import pytest
from orgs_harness import DENY_S3, MANAGEMENT, MEMBER, Orgs

from iamsandbox.errors import MalformedPolicyDocumentException
from iamsandbox.services.organizations.errors import (
    ConstraintViolationException,
    DuplicatePolicyAttachmentException,
    DuplicatePolicyException,
    InvalidInputException,
    PolicyInUseException,
    PolicyNotAttachedException,
    PolicyNotFoundException,
    PolicyTypeNotEnabledException,
    TargetNotFoundException,
)

SCP = "SERVICE_CONTROL_POLICY"
RCP = "RESOURCE_CONTROL_POLICY"
FULL = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}


def _scp(orgs: Orgs, name: str = "deny-s3", content: str = DENY_S3) -> str:
    out = orgs("CreatePolicy", Content=content, Description="d", Name=name, Type=SCP)["Policy"]
    policy_id: str = out["PolicySummary"]["Id"]
    return policy_id


def _enabled(orgs: Orgs, *types: str) -> tuple[str, str]:
    org_id, root = orgs.organization()
    for policy_type in types:
        orgs("EnablePolicyType", RootId=root, PolicyType=policy_type)
    return org_id, root


def test_create_policy(orgs: Orgs) -> None:
    """CreatePolicy answers the Policy: summary (Id "p-" + 8 or more, ARN
    arn:aws:organizations::MGMT:policy/o-x/service_control_policy/p-x, AwsManaged false) and
    Content; the same name again is DuplicatePolicyException."""
    org_id, _ = orgs.organization()
    out = orgs("CreatePolicy", Content=DENY_S3, Description="no S3", Name="deny-s3", Type=SCP)["Policy"]
    summary = out["PolicySummary"]
    assert re.fullmatch(r"p-[0-9a-zA-Z_]{8,128}", summary["Id"])
    assert (
        summary["Arn"] == f"arn:aws:organizations::{MANAGEMENT}:policy/{org_id}/service_control_policy/{summary['Id']}"
    )
    assert (summary["Name"], summary["Description"], summary["Type"], summary["AwsManaged"]) == (
        "deny-s3",
        "no S3",
        SCP,
        False,
    )
    assert out["Content"] == DENY_S3
    assert orgs("DescribePolicy", PolicyId=summary["Id"])["Policy"] == out
    with pytest.raises(DuplicatePolicyException):
        _scp(orgs)


def test_content_is_validated(orgs: Orgs) -> None:
    """ "SCP syntax": an SCP has no Principal (MalformedPolicyDocumentException, "The provided
    policy document doesn't meet the requirements of the specified policy type"); "Quotas":
    an SCP is at most 5,120 characters (ConstraintViolationException
    POLICY_CONTENT_LIMIT_EXCEEDED)."""
    orgs.organization()
    with_principal = (
        '{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"*","Resource":"*"}]}'
    )
    with pytest.raises(MalformedPolicyDocumentException):
        _scp(orgs, content=with_principal)
    with pytest.raises(MalformedPolicyDocumentException):
        _scp(orgs, content="{not json")
    big = json.dumps(
        {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": ["s3:" + "x" * 5200], "Resource": "*"}]}
    )
    with pytest.raises(ConstraintViolationException) as raised:
        _scp(orgs, content=big)
    assert raised.value.fields == {"Reason": "POLICY_CONTENT_LIMIT_EXCEEDED"}


def test_enabling_scps_attaches_full_aws_access_everywhere(orgs: Orgs) -> None:
    """ "SCP evaluation": FullAWSAccess "is automatically attached to the organization root,
    every OU, and every account" when SCPs are enabled; it is AWS managed
    (arn:aws:organizations::aws:policy/service_control_policy/p-FullAWSAccess)."""
    org_id, root = orgs.organization()
    orgs.join(MEMBER)
    unit = orgs("CreateOrganizationalUnit", ParentId=root, Name="Prod")["OrganizationalUnit"]["Id"]
    orgs("EnablePolicyType", RootId=root, PolicyType=SCP)
    for target in (root, unit, MANAGEMENT, MEMBER):
        (policy,) = orgs("ListPoliciesForTarget", TargetId=target, Filter=SCP)["Policies"]
        assert policy["Id"] == "p-FullAWSAccess"
        assert policy["AwsManaged"] is True
        assert policy["Arn"] == "arn:aws:organizations::aws:policy/service_control_policy/p-FullAWSAccess"
    targets = orgs("ListTargetsForPolicy", PolicyId="p-FullAWSAccess")["Targets"]
    assert {t["TargetId"]: t["Type"] for t in targets} == {
        root: "ROOT",
        unit: "ORGANIZATIONAL_UNIT",
        MANAGEMENT: "ACCOUNT",
        MEMBER: "ACCOUNT",
    }
    content = json.loads(orgs("DescribePolicy", PolicyId="p-FullAWSAccess")["Policy"]["Content"])
    assert content == FULL
    # A new OU gets it too (every OU has at least one SCP: DetachPolicy).
    later = orgs("CreateOrganizationalUnit", ParentId=root, Name="Dev")["OrganizationalUnit"]["Id"]
    assert [p["Id"] for p in orgs("ListPoliciesForTarget", TargetId=later, Filter=SCP)["Policies"]] == [
        "p-FullAWSAccess"
    ]


def test_list_policies_shows_the_aws_managed_one(orgs: Orgs) -> None:
    """ListPolicies Filter SERVICE_CONTROL_POLICY lists FullAWSAccess (AwsManaged) and the
    organization's own."""
    orgs.organization()
    mine = _scp(orgs)
    listed = orgs("ListPolicies", Filter=SCP)["Policies"]
    assert [(p["Id"], p["AwsManaged"]) for p in listed] == [("p-FullAWSAccess", True), (mine, False)]


def test_attach_and_detach(orgs: Orgs) -> None:
    """AttachPolicy needs the type enabled (PolicyTypeNotEnabledException); twice is
    DuplicatePolicyAttachmentException; DetachPolicy of one not attached
    PolicyNotAttachedException; "Every root, OU, and account must have at least one SCP
    attached" (ConstraintViolationException MIN_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED)."""
    _, root = orgs.organization()
    orgs.join(MEMBER)
    deny = _scp(orgs)
    with pytest.raises(PolicyTypeNotEnabledException):
        orgs("AttachPolicy", PolicyId=deny, TargetId=MEMBER)
    orgs("EnablePolicyType", RootId=root, PolicyType=SCP)
    assert orgs("AttachPolicy", PolicyId=deny, TargetId=MEMBER) == {}
    with pytest.raises(DuplicatePolicyAttachmentException):
        orgs("AttachPolicy", PolicyId=deny, TargetId=MEMBER)
    with pytest.raises(TargetNotFoundException):
        orgs("AttachPolicy", PolicyId=deny, TargetId="999999999999")
    with pytest.raises(PolicyNotFoundException):
        orgs("AttachPolicy", PolicyId="p-00000000", TargetId=MEMBER)
    with pytest.raises(PolicyNotAttachedException):
        orgs("DetachPolicy", PolicyId=deny, TargetId=root)
    # The allow-list strategy: attach the replacement first, then FullAWSAccess may go.
    orgs("DetachPolicy", PolicyId="p-FullAWSAccess", TargetId=MEMBER)
    with pytest.raises(ConstraintViolationException) as raised:
        orgs("DetachPolicy", PolicyId=deny, TargetId=MEMBER)
    assert raised.value.fields == {"Reason": "MIN_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED"}


def test_at_most_five_scps_on_a_target(orgs: Orgs) -> None:
    """ "Quotas for AWS Organizations": maximum SCPs attached to a root, OU or account, 5
    (ConstraintViolationException MAX_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED)."""
    _enabled(orgs, SCP)
    for n in range(4):
        orgs("AttachPolicy", PolicyId=_scp(orgs, f"p{n}"), TargetId=MANAGEMENT)
    with pytest.raises(ConstraintViolationException) as raised:
        orgs("AttachPolicy", PolicyId=_scp(orgs, "p5"), TargetId=MANAGEMENT)
    assert raised.value.fields == {"Reason": "MAX_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED"}


def test_aws_managed_policies_cannot_change(orgs: Orgs) -> None:
    """UpdatePolicy / DeletePolicy on an AWS managed policy: InvalidInputException
    IMMUTABLE_POLICY ("You specified a policy that is managed by AWS and can't be
    modified"); RCPFullAWSAccess "cannot" be detached ("RCP evaluation")."""
    _, root = _enabled(orgs, SCP, RCP)
    for operation, params in (("UpdatePolicy", {"Name": "mine"}), ("DeletePolicy", {})):
        with pytest.raises(InvalidInputException) as raised:
            orgs(operation, PolicyId="p-FullAWSAccess", **params)
        assert raised.value.fields == {"Reason": "IMMUTABLE_POLICY"}
    with pytest.raises(InvalidInputException):
        orgs("DetachPolicy", PolicyId="p-RCPFullAWSAccess", TargetId=root)


def test_update_and_delete(orgs: Orgs) -> None:
    """UpdatePolicy replaces what is given; DeletePolicy of an attached policy is
    PolicyInUseException ("You must detach it from all roots, OUs, and accounts")."""
    _enabled(orgs, SCP)
    deny = _scp(orgs)
    allow_all = json.dumps(FULL)
    out = orgs("UpdatePolicy", PolicyId=deny, Name="renamed", Content=allow_all)["Policy"]
    assert out["PolicySummary"]["Name"] == "renamed"
    assert out["PolicySummary"]["Description"] == "d"
    assert out["Content"] == allow_all
    orgs("AttachPolicy", PolicyId=deny, TargetId=MANAGEMENT)
    with pytest.raises(PolicyInUseException):
        orgs("DeletePolicy", PolicyId=deny)
    orgs("DetachPolicy", PolicyId=deny, TargetId=MANAGEMENT)
    assert orgs("DeletePolicy", PolicyId=deny) == {}
    with pytest.raises(PolicyNotFoundException):
        orgs("DescribePolicy", PolicyId=deny)


def test_disabling_a_type_detaches_its_policies(orgs: Orgs) -> None:
    """DisablePolicyType: "all policies of that type are detached" from the root's entities."""
    _, root = _enabled(orgs, SCP)
    deny = _scp(orgs)
    orgs("AttachPolicy", PolicyId=deny, TargetId=MANAGEMENT)
    orgs("DisablePolicyType", RootId=root, PolicyType=SCP)
    assert orgs("ListTargetsForPolicy", PolicyId=deny)["Targets"] == []


def test_what_the_authorizer_reads(orgs: Orgs) -> None:
    """The store's answers for SCP evaluation ("SCP evaluation": the policies of the root,
    each OU on the path, and the account): the member's path root -> OU -> account, the
    enabled types, and each level's documents in attachment order, FullAWSAccess with
    AWS's content."""
    org_id, root = _enabled(orgs, SCP)
    orgs.join(MEMBER)
    unit = orgs("CreateOrganizationalUnit", ParentId=root, Name="Prod")["OrganizationalUnit"]["Id"]
    orgs("MoveAccount", AccountId=MEMBER, SourceParentId=root, DestinationParentId=unit)
    deny = _scp(orgs)
    orgs("AttachPolicy", PolicyId=deny, TargetId=unit)
    with orgs.store.read() as tx:
        membership = tx.org_membership(MEMBER)
        assert membership is not None
        assert membership.org_id == org_id
        assert membership.org_arn == f"arn:aws:organizations::{MANAGEMENT}:organization/{org_id}"
        assert membership.management_account_id == MANAGEMENT
        assert membership.path == (root, unit, MEMBER)
        assert membership.enabled_types == frozenset({SCP})
        documents = tx.org_policy_documents(org_id, membership.path, SCP)
        assert tx.org_membership("333333333333") is None
    assert [pid for pid, _ in documents[root]] == ["p-FullAWSAccess"]
    assert json.loads(documents[root][0][1]) == FULL
    assert documents[unit] == [("p-FullAWSAccess", documents[root][0][1]), (deny, DENY_S3)]
    assert [pid for pid, _ in documents[MEMBER]] == ["p-FullAWSAccess"]


def test_writes_move_every_members_policy_generation(orgs: Orgs) -> None:
    """Attaching a policy changes what applies: the generation of every account of the
    organization moves (interface.py: every write that can change a decision bumps it)."""
    _, root = _enabled(orgs, SCP)
    orgs.join(MEMBER)
    deny = _scp(orgs)
    with orgs.store.read() as tx:
        before = tx.policy_generations([MANAGEMENT, MEMBER])
    orgs("AttachPolicy", PolicyId=deny, TargetId=root)
    with orgs.store.read() as tx:
        after = tx.policy_generations([MANAGEMENT, MEMBER])
    assert all(after[account] > before[account] for account in (MANAGEMENT, MEMBER))


@pytest.mark.parametrize("policy_type", ["TAG_POLICY", "BACKUP_POLICY", "AISERVICES_OPT_OUT_POLICY"])
def test_other_policy_types_are_not_implemented_by_name(orgs: Orgs, policy_type: str) -> None:
    """The model's other policy types (PolicyType) are not built here: README's "Not yet".
    They answer 501 NotImplemented naming the type, never a failure of the server."""
    from iamsandbox import errors

    orgs.organization()
    with pytest.raises(errors.NotImplemented, match=policy_type):
        orgs("CreatePolicy", Content=json.dumps(FULL), Description="d", Name="n", Type=policy_type)
