"""The console's policy summary ("Policy summary (list of services)" and "Access levels in
policy summaries", IAM User Guide): one row per service and effect, "Full access" when every
action of the service is granted, else "Full: ..." and "Limited: ..." by access level
(List, Read, Tagging, Write, Permissions management, as the Service Authorization
Reference classifies each action), the resources and the request conditions."""

from __future__ import annotations

import json
from typing import Any

from iamsandbox.cli.catalog import Catalog
from iamsandbox.console.policy_summary import ServiceRow, summarize, summary_of
from iamsandbox.policy import parse_policy
from iamsandbox.services.iam.managed_policies import ManagedPolicies

CATALOG = Catalog()


def _summary(*statements: dict[str, Any]) -> Any:
    return summarize(parse_policy(json.dumps({"Version": "2012-10-17", "Statement": list(statements)})), CATALOG)


def test_the_reference_workflows_policy_is_limited_write_on_sts() -> None:
    # sts:AssumeRole is a Write action (Service Authorization Reference for AWS STS): one of
    # several, so "Limited: Write", on the one role named.
    role = "arn:aws:iam::111111111111:role/my-s3-x-account-role"
    summary = _summary({"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": role})
    assert summary.allow == (ServiceRow("AWS Security Token Service", "Limited: Write", role, "None"),)
    assert summary.deny == () and summary.unrecognized == ()


def test_full_access_for_every_action_of_a_service_and_all_services_for_star() -> None:
    # "Full access: ... Access to all actions within the IAM service" (the page's example).
    summary = _summary(
        {"Effect": "Allow", "Action": "iam:*", "Resource": "*"},
        {"Effect": "Deny", "Action": "*", "Resource": "*", "Condition": {"Bool": {"aws:SecureTransport": "false"}}},
    )
    assert summary.allow == (
        ServiceRow("AWS Identity and Access Management (IAM)", "Full access", "All resources", "None"),
    )
    assert summary.deny == (
        ServiceRow("All services", "Full access", "All resources", "aws:SecureTransport (Bool): false"),
    )


def test_levels_granted_in_full_and_in_part() -> None:
    # "Full: List, Read Limited: Write" form (the page's EC2 example): every S3 List action
    # (s3:List*), one Write action.
    summary = _summary({"Effect": "Allow", "Action": ["s3:List*", "s3:PutObject"], "Resource": "*"})
    (row,) = summary.allow
    assert row.service == "Amazon S3" and row.access_level == "Full: List Limited: Write"


def test_unrecognized_services_and_multiple_resources() -> None:
    # "If IAM does not recognize a service, the service is included in the Unrecognized
    # services section" ("Policy summary (list of services)"); differing statements of one
    # service read "Multiple".
    summary = _summary(
        {"Effect": "Allow", "Action": "nosuchservice:Do", "Resource": "*"},
        {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::a/*"},
        {"Effect": "Allow", "Action": "s3:PutObject", "Resource": "arn:aws:s3:::b/*"},
    )
    assert summary.unrecognized == ("nosuchservice",)
    (row,) = summary.allow
    assert (row.access_level, row.resource) == ("Limited: Read, Write", "Multiple")


def test_not_action_grants_the_other_services() -> None:
    # PowerUserAccess: NotAction iam:*, organizations:*, account:* allows every other
    # service in full; its other statements grant some IAM actions.
    document = ManagedPolicies().get("arn:aws:iam::aws:policy/PowerUserAccess").document
    rows = {row.service: row.access_level for row in summarize(parse_policy(document), CATALOG).allow}
    assert rows["All other services"] == "Full access"
    assert rows["AWS Identity and Access Management (IAM)"].startswith("Limited: ")


def test_no_summary_for_a_policy_iam_refuses() -> None:
    assert summary_of('{"Version": "2012-10-17", "Statement": [') is None


def test_multiple_resources_or_conditions_in_one_statement_read_multiple() -> None:
    # The guide's example: Deny s3:* on a bucket and its objects, Resource "Multiple".
    summary = _summary(
        {"Effect": "Deny", "Action": "s3:*", "Resource": ["arn:aws:s3:::customer", "arn:aws:s3:::customer/*"]},
        {
            "Effect": "Allow",
            "Action": "sts:AssumeRole",
            "Resource": "*",
            "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}, "IpAddress": {"aws:SourceIp": "10.0.0.0/8"}},
        },
    )
    assert [(row.resource, row.condition) for row in summary.deny] == [("Multiple", "None")]
    assert [(row.resource, row.condition) for row in summary.allow] == [("All resources", "Multiple")]


def test_not_action_star_grants_nothing_and_long_policies_are_summed_up() -> None:
    assert _summary({"Effect": "Allow", "NotAction": "*", "Resource": "*"}).allow == ()
    # An AWS managed policy longer than a customer managed policy's quota (6,144 characters)
    # still has its summary on its page.
    long = ManagedPolicies().get("arn:aws:iam::aws:policy/AWSBackupFullAccess").document
    assert len(long) > 6144
    summary = summary_of(long)
    assert summary is not None and summary.allow
