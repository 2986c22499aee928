"""The packed size of session policies and session tags: an approximation.

AWS packs the inline session policy, the managed session policy ARNs and the session tags
into the session token in a binary form it does not document, and refuses the call with
``PackedPolicyTooLarge`` ("Packed policy consumes N% of allotted space, please use smaller
policy.") when they take more than their space; the answer's ``PackedPolicySize`` is that
percentage ("AssumeRole" in the STS API reference).

The model here: the policy counts its characters once minified (JSON without
insignificant whitespace) and 21 more, each ARN its characters, against an allotted space
of 1,090;
the session tags count each tag's key and value plus 8, against a space of their own,
470 ("Packed size of session tags consumes n%" is a share of the tags' own space). The
percentage answered is the sum of the two shares. Fitted to public observations of AWS's
answers: a 1,690-character policy of 42 actions took 157% ((1,690 + 21) / 1,090 = 157%),
a 153-character one with one action and one resource 16% (recorded from AWS in February
2026, LocalStack's test_sts snapshot, test_assume_role_with_policy: (153 + 21) / 1,090 =
16%; 1,100 without the 21 gave 14% and 154%); nine
tags T1..T9 whose values are 250 "a" took 498% of the tags' space, as an AWS maintainer
reproduced it with ``aws sts assume-role --tags`` (aws-actions/configure-aws-credentials
#1898: 9 x (2 + 250 + 8) / 470 = 498%); the six tags EKS Pod Identity adds took 74%
(aws/containers-roadmap#2413, about 350 units here), and with an application's own tags
(37%) 112%, refused in the tags' words: the tag shares add up. A 736-character policy with
three session tags took 82% (a public report). Real packing compresses well-known action
names better than this does, so some policies AWS accepts near the limit are refused here,
and the other way round.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence

from ...errors import PackedPolicyTooLarge

ALLOTTED = 1090
_POLICY_OVERHEAD = 21  # what an inline session policy takes beyond its characters
ALLOTTED_TAGS = 470
_TAG_OVERHEAD = 8
MESSAGE = "Packed policy consumes {percent}% of allotted space, please use smaller policy."
# When the session tags alone are too large ("Packed size of session tags consumes n% of
# allotted space.", the two messages of re:Post's "iam-role-aws-sts-error"; the tag one as
# answered in aws-actions/configure-aws-credentials#1803).
TAGS_MESSAGE = "Packed size of session tags consumes {percent}% of allotted space."


def minified(policy: str) -> str:
    try:
        return json.dumps(json.loads(policy), separators=(",", ":"), ensure_ascii=False)
    except ValueError:
        return policy


def _policy_share(policy: str | None, arns: Sequence[str]) -> float:
    units = len(minified(policy)) + _POLICY_OVERHEAD if policy else 0
    units += sum(len(arn) for arn in arns)
    return units * 100 / ALLOTTED


def _tags_share(tags: Sequence[tuple[str, str]]) -> float:
    return sum(len(key) + len(value) + _TAG_OVERHEAD for key, value in tags) * 100 / ALLOTTED_TAGS


def packed_percent(policy: str | None, arns: Sequence[str], tags: Sequence[tuple[str, str]]) -> int:
    return math.ceil(_policy_share(policy, arns) + _tags_share(tags))


def check(policy: str | None, arns: Sequence[str], tags: Sequence[tuple[str, str]]) -> int:
    """The packed percentage of a new session; ``PackedPolicyTooLarge`` over 100, in the
    tags' words when the tags alone are over."""
    percent = packed_percent(policy, arns, tags)
    if percent > 100:
        alone = math.ceil(_tags_share(tags))
        if alone > 100:
            raise PackedPolicyTooLarge(TAGS_MESSAGE.format(percent=alone))
        raise PackedPolicyTooLarge(MESSAGE.format(percent=percent))
    return percent
