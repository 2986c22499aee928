"""Service-linked roles: CreateServiceLinkedRole, DeleteServiceLinkedRole,
GetServiceLinkedRoleDeletionStatus (IAM API reference; "Create a service-linked role" and
"Using service-linked roles" in the IAM User Guide).

A service-linked role lives at the path ``/aws-service-role/SERVICE/``, trusts the service
principal with sts:AssumeRole, and carries the service's AWS managed permissions policy.
Each service names its role (AWSServiceRoleForAutoScaling, ...): ``service_linked_catalog``
holds the names, policies and default descriptions AWS answered for 71 services (recorded),
``_KNOWN`` a few more taken from each service's "Using service-linked roles" page; any other
``*.amazonaws.com`` service gets ``AWSServiceRoleFor`` + its first label capitalized and no
policy (a fallback of our own, unconfirmed: AWS refuses services that have no service-linked
role). CustomSuffix appends ``_SUFFIX`` to the name; the services AWS was recorded refusing
it answer InvalidInput "Custom suffix is not allowed for SERVICE" (others accept it).

Users may not change them with the ordinary operations: DeleteRole, Put/DeleteRolePolicy,
Attach/DetachRolePolicy, UpdateAssumeRolePolicy and the permissions boundary operations
answer UnmodifiableEntity "Cannot perform the operation on the protected role 'NAME' -
this role is only modifiable by AWS" (observed for DeleteRole, DeleteRolePolicy,
PutRolePolicy and DetachRolePolicy: rebuy-de/aws-nuke#331, #441, gruntwork-io/cloud-nuke#880,
perkbox/cloud-access-bot#11; the other operations by analogy, unconfirmed). Their
description may be edited ("Editing a service-linked role").

Deletion happens at once; the DeletionTaskId is
``task/aws-service-role/SERVICE/NAME/UUID`` and GetServiceLinkedRoleDeletionStatus answers
SUCCEEDED for a well-formed task of a role that no longer exists (the tasks themselves are
not stored: a made-up UUID for a deleted role also answers SUCCEEDED), NoSuchEntity else.

Authorization: iam:CreateServiceLinkedRole with iam:AWSServiceName on the role's ARN
``arn:aws:iam::ACCOUNT:role/aws-service-role/SERVICE/NAME`` (the ARN AWS's policy examples
name), and iam:GetServiceLinkedRoleDeletionStatus on the task's role, are checked here.
"""

from __future__ import annotations

import json
import re
import uuid
from typing import Any

from ...errors import InvalidInput, NoSuchEntity, UnmodifiableEntity
from ...store.interface import Identity, Role
from ..context import CallContext
from . import common
from .service_linked_catalog import DEFAULT_DESCRIPTIONS, NO_CUSTOM_SUFFIX, RECORDED

PATH_PREFIX = "/aws-service-role/"
_POLICY_PREFIX = "arn:aws:iam::aws:policy/aws-service-role/"
# service principal -> (role name, permissions policy name under aws-service-role/); the
# recorded catalog first, these where it has none.
_KNOWN: dict[str, tuple[str, str]] = {
    "organizations.amazonaws.com": ("AWSServiceRoleForOrganizations", "AWSOrganizationsServiceTrustPolicy"),
    "guardduty.amazonaws.com": ("AWSServiceRoleForAmazonGuardDuty", "AmazonGuardDutyServiceRolePolicy"),
    "trustedadvisor.amazonaws.com": ("AWSServiceRoleForTrustedAdvisor", "AWSTrustedAdvisorServiceRolePolicy"),
    "support.amazonaws.com": ("AWSServiceRoleForSupport", "AWSSupportServiceRolePolicy"),
    "spot.amazonaws.com": ("AWSServiceRoleForEC2Spot", "AWSEC2SpotServiceRolePolicy"),
    "spotfleet.amazonaws.com": ("AWSServiceRoleForEC2SpotFleet", "AWSEC2SpotFleetServiceRolePolicy"),
} | RECORDED
_SERVICE = re.compile(r"[a-z0-9][a-z0-9.-]*\.amazonaws\.com")
_TASK = re.compile(r"task/aws-service-role/([^/]+)/([^/]+)/([0-9a-f-]{36})")


def is_service_linked(role: Identity) -> bool:
    return isinstance(role, Role) and role.path.startswith(PATH_PREFIX)


def protect(role: Identity) -> None:
    """UnmodifiableEntity for a service-linked role (see the module docstring)."""
    if is_service_linked(role):
        raise UnmodifiableEntity(
            f"Cannot perform the operation on the protected role '{role.name}' - this role is only modifiable by AWS"
        )


def role_name(service: str, suffix: str | None) -> str:
    known = _KNOWN.get(service)
    base = known[0] if known else "AWSServiceRoleFor" + service.split(".")[0].capitalize()
    return f"{base}_{suffix}" if suffix else base


def _trust(service: str) -> str:
    """As AWS's GetRole answers it: single strings, not lists (recorded from AWS, LocalStack's
    test_iam snapshot, every service-linked role of test_service_role_lifecycle)."""
    statement = {"Effect": "Allow", "Principal": {"Service": service}, "Action": "sts:AssumeRole"}
    return json.dumps({"Version": "2012-10-17", "Statement": [statement]})


def _created_trust(service: str) -> str:
    """The trust policy as CreateServiceLinkedRole's own answer writes it: one-element lists,
    members in the order Action, Effect, Principal (the AWS CLI Command Reference's example,
    create-service-linked-role for lex.amazonaws.com, and answers of AWS shown in the EC2 Auto
    Scaling and OpenSearch guides and a 2024 walkthrough for ecs.amazonaws.com), where GetRole
    later answers single strings (``_trust``)."""
    statement = {"Action": ["sts:AssumeRole"], "Effect": "Allow", "Principal": {"Service": [service]}}
    return json.dumps({"Version": "2012-10-17", "Statement": [statement]})


def create_service_linked_role(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    service = params["AWSServiceName"]
    if not _SERVICE.fullmatch(service):
        raise InvalidInput(f"Invalid service name: {service}")  # unconfirmed wording
    suffix = params.get("CustomSuffix")
    if suffix is not None and service in NO_CUSTOM_SUFFIX:
        # Recorded from AWS (LocalStack's test_iam snapshot, custom-suffix-not-allowed).
        raise InvalidInput(f"Custom suffix is not allowed for {service}")
    name = role_name(service, suffix)
    path = f"{PATH_PREFIX}{service}/"
    arn = f"arn:aws:iam::{ctx.account_id}:role{path}{name}"
    ctx.authorize("iam:CreateServiceLinkedRole", arn, {"iam:AWSServiceName": service})
    if ctx.tx.get_role(ctx.account_id, name) is not None:
        # Recorded from AWS (LocalStack's test_iam snapshot, test_service_role_already_exists).
        raise InvalidInput(f"Service role name {name} has been taken in this account, please try a different suffix.")
    description = params.get("Description") or DEFAULT_DESCRIPTIONS.get(service)
    role = ctx.tx.create_role(ctx.account_id, name, _trust(service), path=path, description=description)
    known = _KNOWN.get(service)
    if known is not None and ctx.shared.managed_policies.get(_POLICY_PREFIX + known[1]) is not None:
        ctx.tx.attach_policy(role.id, _POLICY_PREFIX + known[1])
    # The answer is CreateRole's (no MaxSessionDuration, no Description although one was
    # given: the same four answers of AWS) with the trust policy as it was created.
    out = common.role_out(ctx.tx, role, full=False, description=False)
    out["AssumeRolePolicyDocument"] = common.encode_document(_created_trust(service))
    return {"Role": out}


def delete_service_linked_role(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    role = common.role(ctx, params["RoleName"])
    if not is_service_linked(role):
        raise InvalidInput(f"Role {role.name} is not a service-linked role.")  # unconfirmed wording
    for policy in ctx.tx.list_inline_policies(role.id):
        ctx.tx.delete_inline_policy(role.id, policy.name)
    for arn in ctx.tx.list_attached_policies(role.id):
        ctx.tx.detach_policy(role.id, arn)
    ctx.tx.delete_identity(role.id)
    service = role.path[len(PATH_PREFIX) :].strip("/")
    return {"DeletionTaskId": f"task/aws-service-role/{service}/{role.name}/{uuid.uuid4()}"}


def get_service_linked_role_deletion_status(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    task = params["DeletionTaskId"]
    found = _TASK.fullmatch(task)
    if found is None:
        raise InvalidInput(f"Invalid deletion task id: {task}")  # unconfirmed wording
    service, name = found.group(1), found.group(2)
    arn = f"arn:aws:iam::{ctx.account_id}:role{PATH_PREFIX}{service}/{name}"
    ctx.authorize("iam:GetServiceLinkedRoleDeletionStatus", arn, {})
    if ctx.tx.get_role(ctx.account_id, name) is not None:
        raise NoSuchEntity(f"Deletion task {task} cannot be found.")  # unconfirmed wording
    return {"Status": "SUCCEEDED"}
