"""The authorization rows of AWS CloudTrail: operation -> action, resource and condition
keys, from the Service Authorization Reference ("Actions, resources, and condition keys for
AWS CloudTrail"): LookupEvents, "Grants permission to look up and retrieve metadata ... for
management events captured by CloudTrail", has no resource type ("*") and no condition key.

Only event history is served here; trails, event data stores and the other CloudTrail
operations are not.
"""

from __future__ import annotations

from .action_spec import STAR, ActionSpec

CLOUDTRAIL: dict[str, ActionSpec] = {
    "LookupEvents": ActionSpec("cloudtrail:LookupEvents", STAR),
}
