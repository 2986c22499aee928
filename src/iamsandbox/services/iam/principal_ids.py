"""Resource-based policies follow the principals they name by identity, not by name.

"AWS JSON policy elements: Principal" (IAM User Guide), IAM role and user principals:
"When you save the policy, AWS transforms the ARN to a unique principal ID ... If you
delete and recreate a user or role referenced in a trust policy's Principal element, you
must edit the role to replace the ARN": the stored policy then shows the deleted
principal's unique ID, and a new user or role of the same name is not trusted. This helps
"mitigate the risk of someone escalating their privileges by removing and recreating the
role or user".

iamsandbox keeps the ARN in the stored document (so GetRole and GetBucketPolicy show it, as
AWS shows it while the principal exists) and rewrites the role trust policies and bucket
policies that name a principal when that principal changes:
- deleted (DeleteUser, DeleteRole): its ARN becomes its unique ID, which matches no caller
  (``policy.validate.RETIRED_PRINCIPAL``);
- renamed or moved (UpdateUser's NewUserName, NewPath): the old ARN becomes the new one, as
  AWS, holding the ID, shows the current name.
Only the Principal and NotPrincipal elements change; a condition on aws:PrincipalArn keeps
its text, as AWS's does.
"""

from __future__ import annotations

import json
from typing import Any

from ...store.interface import Transaction


def retire(tx: Transaction, arn: str, unique_id: str) -> None:
    """A user or role was deleted: the policies naming ``arn`` name ``unique_id`` instead."""
    _replace_everywhere(tx, arn, unique_id)


def rename(tx: Transaction, old_arn: str, new_arn: str) -> None:
    """A user's name or path changed: the policies naming ``old_arn`` name ``new_arn``."""
    if old_arn != new_arn:
        _replace_everywhere(tx, old_arn, new_arn)


def _replace_everywhere(tx: Transaction, old: str, new: str) -> None:
    for kind, key, document in tx.resource_policies_naming(old):
        rewritten = replace_principal(document, old, new, compact=kind == "bucket")
        if rewritten is None:
            continue
        if kind == "role":
            tx.update_role(key, trust_policy=rewritten)
        else:
            tx.set_bucket_attribute(key, "policy", rewritten)


def replace_principal(document: str, old: str, new: str, *, compact: bool = False) -> str | None:
    """``document`` with each AWS principal equal to ``old`` replaced by ``new``, or None
    when none is (or the stored text is not a JSON object: left as it is). ``compact``: written
    without spaces, as S3 keeps and answers a bucket policy (``s3.buckets._as_stored``)."""
    try:
        policy = json.loads(document)
    except ValueError:
        return None
    if not isinstance(policy, dict):
        return None
    statements = policy.get("Statement")
    changed = False
    for statement in statements if isinstance(statements, list) else [statements]:
        if not isinstance(statement, dict):
            continue
        for element in ("Principal", "NotPrincipal"):
            principal = statement.get(element)
            if isinstance(principal, dict) and "AWS" in principal:
                principal["AWS"], replaced = _replaced(principal["AWS"], old, new)
                changed = changed or replaced
    if not changed:
        return None
    return json.dumps(policy, separators=(",", ":") if compact else None, ensure_ascii=False)


def _replaced(value: Any, old: str, new: str) -> tuple[Any, bool]:
    if value == old:
        return new, True
    if isinstance(value, list) and old in value:
        return [new if item == old else item for item in value], True
    return value, False
