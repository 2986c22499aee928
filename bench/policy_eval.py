"""Median microseconds per policy decision (issue 2's benchmark).

Request: s3:GetObject on an object ARN with four context keys. Policy sets:
- "25": five identity policies, 25 statements in all (wildcards, NotAction, String,
  IpAddress, Bool and Numeric conditions), exactly one of which allows the request;
- "1000": the same plus 975 statements whose actions or resources do not apply, most
  of them s3 statements on other buckets (so an index by service prefix alone is not
  enough).

Each policy is parsed and compiled once, as the server caches compiled sets by policy
version; the figure is the per-request work. Run: ``make bench`` (or
``.venv/bin/python bench/policy_eval.py``).
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from iamsandbox.policy import (  # noqa: E402  (the path is set just above)
    CompiledSet,
    PolicyKind,
    PolicySet,
    PolicyType,
    Request,
    evaluate,
    parse_policy,
)

ACCOUNT = "111122223333"


def _policy(statements: list[dict[str, object]]) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": statements})


def base_policies() -> list[str]:
    """Five policies, 25 statements; only statement 'AllowReportsTls' allows the request."""
    return [
        _policy(
            [
                {"Effect": "Allow", "Action": ["ec2:Describe*", "ec2:Get*"], "Resource": "*"},
                {"Effect": "Allow", "Action": "cloudwatch:*", "Resource": "*"},
                {"Effect": "Allow", "Action": "s3:ListAllMyBuckets", "Resource": "*"},
                {"Effect": "Deny", "Action": "s3:DeleteBucket", "Resource": "*"},
                {"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": f"arn:aws:sqs:*:{ACCOUNT}:queue-*"},
            ]
        ),
        _policy(
            [
                {
                    "Sid": "AllowReportsTls",
                    "Effect": "Allow",
                    "Action": ["s3:GetObject", "s3:GetObjectVersion"],
                    "Resource": "arn:aws:s3:::reports-bucket/team-*/*",
                    "Condition": {
                        "Bool": {"aws:SecureTransport": "true"},
                        "IpAddress": {"aws:SourceIp": ["10.0.0.0/8", "192.0.2.0/24"]},
                        "StringEquals": {"aws:PrincipalTag/team": ["analytics", "finance"]},
                        "NumericLessThan": {"s3:max-keys": "1000"},
                    },
                },
                {"Effect": "Allow", "Action": "s3:PutObject", "Resource": "arn:aws:s3:::uploads/*"},
                {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::reports-bucket"},
                {
                    "Effect": "Deny",
                    "Action": "s3:*",
                    "Resource": "*",
                    "Condition": {"Bool": {"aws:SecureTransport": "false"}},
                },
                {"Effect": "Allow", "Action": "s3:Get*", "Resource": "arn:aws:s3:::archive-??/*"},
            ]
        ),
        _policy(
            [
                {"Effect": "Allow", "NotAction": ["iam:*", "organizations:*", "s3:*"], "Resource": "*"},
                {"Effect": "Deny", "Action": "iam:CreateUser", "Resource": "*"},
                {
                    "Effect": "Allow",
                    "Action": "iam:GetUser",
                    "Resource": f"arn:aws:iam::{ACCOUNT}:user/${{aws:username}}",
                },
                {"Effect": "Allow", "Action": "logs:*", "Resource": f"arn:aws:logs:*:{ACCOUNT}:log-group:/app/*"},
                {
                    "Effect": "Allow",
                    "Action": "kms:Decrypt",
                    "Resource": "*",
                    "Condition": {"StringLike": {"kms:ViaService": "s3.*.amazonaws.com"}},
                },
            ]
        ),
        _policy(
            [
                {"Effect": "Deny", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::secret-bucket/*"},
                {
                    "Effect": "Allow",
                    "Action": "dynamodb:GetItem",
                    "Resource": f"arn:aws:dynamodb:*:{ACCOUNT}:table/orders",
                },
                {
                    "Effect": "Allow",
                    "Action": "s3:GetObject",
                    "Resource": "arn:aws:s3:::public-*/*",
                    "Condition": {"StringEquals": {"aws:PrincipalTag/team": "web"}},
                },
                {"Effect": "Deny", "NotAction": "s3:*", "Resource": "arn:aws:s3:::*"},
                {"Effect": "Allow", "Action": "sns:Publish", "Resource": "*"},
            ]
        ),
        _policy(
            [
                {"Effect": "Allow", "Action": "lambda:InvokeFunction", "Resource": "*"},
                {
                    "Effect": "Deny",
                    "Action": "s3:GetObject",
                    "Resource": "*",
                    "Condition": {"NumericGreaterThan": {"s3:max-keys": "5000"}},
                },
                {"Effect": "Allow", "Action": "s3:GetObject*", "Resource": "arn:aws:s3:::reports-bucket/private/*"},
                {"Effect": "Allow", "Action": "ssm:GetParameter", "Resource": "*"},
                {"Effect": "Deny", "Action": "s3:PutBucketPolicy", "Resource": "*"},
            ]
        ),
    ]


def filler_statements(count: int) -> list[dict[str, object]]:
    """Statements that do not apply to the request: other buckets, other actions."""
    statements: list[dict[str, object]] = []
    for i in range(count):
        if i % 3 == 0:
            statements.append(
                {
                    "Effect": "Allow",
                    "Action": ["s3:GetObject", "s3:PutObject"],
                    "Resource": f"arn:aws:s3:::bucket-{i}/*",
                }
            )
        elif i % 3 == 1:
            statements.append(
                {
                    "Effect": "Allow",
                    "Action": "s3:Get*",
                    "Resource": [f"arn:aws:s3:::data-{i}", f"arn:aws:s3:::data-{i}/*"],
                }
            )
        else:
            statements.append(
                {
                    "Effect": "Allow",
                    "Action": "dynamodb:Query",
                    "Resource": f"arn:aws:dynamodb:us-east-1:{ACCOUNT}:table/t{i}",
                }
            )
    return statements


def policy_set(extra: int) -> PolicySet:
    texts = base_policies()
    filler = filler_statements(extra)
    # Spread the filler over policies of 40 statements (each within the 6,144-character quota).
    for start in range(0, len(filler), 40):
        texts.append(_policy(filler[start : start + 40]))
    policies = [
        (f"arn:aws:iam::{ACCOUNT}:policy/p{i}", parse_policy(t, PolicyKind.IDENTITY)) for i, t in enumerate(texts)
    ]
    return PolicySet(identity=CompiledSet(PolicyType.IDENTITY, policies))


def request(key: str = "2026/report.csv") -> Request:
    return Request.build(
        f"arn:aws:iam::{ACCOUNT}:user/alice",
        "s3:GetObject",
        f"arn:aws:s3:::reports-bucket/team-7/{key}",
        ACCOUNT,
        {
            "aws:SecureTransport": "true",
            "aws:SourceIp": "10.1.2.3",
            "aws:PrincipalTag/team": "analytics",
            "s3:max-keys": "100",
        },
    )


def measure(
    policies: PolicySet, distinct: bool = False, rounds: int = 30, per_round: int = 2000
) -> tuple[float, float]:
    """Median and minimum over rounds of the mean µs per decision within a round (the
    minimum is the figure least disturbed by other work on a shared machine). ``distinct``: every
    request names another object (5,000 keys in turn), so no per-resource memo helps."""
    requests = [request(f"{i}/report.csv") for i in range(5000)] if distinct else [request()] * per_round
    assert all(evaluate(r, policies).allowed for r in requests[:10])  # INVARIANT: it measures an allow
    for req in requests[:per_round]:
        evaluate(req, policies)  # warm the action index
    samples = []
    position = 0
    for _ in range(rounds):
        batch = requests[position : position + per_round]
        position = (position + per_round) % (len(requests) - per_round + 1)
        start = time.perf_counter_ns()
        for req in batch:
            evaluate(req, policies)
        samples.append((time.perf_counter_ns() - start) / len(batch) / 1000)
    return statistics.median(samples), min(samples)


def main() -> None:
    small = policy_set(0)
    large = policy_set(975)
    statements_small = len(small.identity or ())
    statements_large = len(large.identity or ())
    for label, policies, distinct in (
        (f"{statements_small} statements", small, False),
        (f"{statements_large} statements", large, False),
        (f"{statements_small} statements, a new object each request", small, True),
        (f"{statements_large} statements, a new object each request", large, True),
    ):
        median, best = measure(policies, distinct)
        print(f"{label}: median {median:.2f} µs, min {best:.2f} µs per decision")


if __name__ == "__main__":
    main()
