"""The packed size of session policies and session tags: an approximation.

AWS packs the inline session policy, the managed session policy ARNs and the session tags
into the session token in a binary form it does not document, and refuses the call with
``PackedPolicyTooLarge`` ("Packed policy consumes N% of allotted space, please use smaller
policy.") when they take more than their space; the answer's ``PackedPolicySize`` is that
percentage ("AssumeRole" in the STS API reference).

The model here: the policy counts its characters once minified (JSON without
insignificant whitespace), each ARN its characters, each tag its key and value plus 8;
the allotted space is 1,100 such units. Fitted to two public observations of AWS's
answers: a 1,690-character policy of 42 actions took 157% (1,690 / 1,100 = 154%), and a
736-character policy with three session tags 82% (a public report,
"Packed policy consumes 118%/157% of allotted space", in projects that vend session
policies). Real packing compresses well-known action names better than this does, so
some policies AWS accepts near the limit are refused here, and the other way round.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence

from ...errors import PackedPolicyTooLarge

ALLOTTED = 1100
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


def packed_percent(policy: str | None, arns: Sequence[str], tags: Sequence[tuple[str, str]]) -> int:
    units = len(minified(policy)) if policy else 0
    units += sum(len(arn) for arn in arns)
    units += sum(len(key) + len(value) + _TAG_OVERHEAD for key, value in tags)
    return math.ceil(units * 100 / ALLOTTED)


def check(policy: str | None, arns: Sequence[str], tags: Sequence[tuple[str, str]]) -> int:
    """The packed percentage of a new session; ``PackedPolicyTooLarge`` over 100, in the
    tags' words when the tags alone are over."""
    percent = packed_percent(policy, arns, tags)
    if percent > 100:
        alone = packed_percent(None, (), tags)
        if alone > 100:
            raise PackedPolicyTooLarge(TAGS_MESSAGE.format(percent=alone))
        raise PackedPolicyTooLarge(MESSAGE.format(percent=percent))
    return percent
