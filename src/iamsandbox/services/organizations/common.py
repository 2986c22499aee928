"""What the Organizations handlers share: the caller's organization, the management-account
check, new ids, containers (roots and OUs), tags and pages.

Who may call what (Organizations API reference, each operation's page): most operations
"can be called only from the organization's management account" (or a delegated
administrator, which iamsandbox does not have); a member account calling one is answered
AccessDeniedException. An account in no organization is answered
AWSOrganizationsNotInUseException, except by the operations that make sense outside one
(CreateOrganization, the invited account's handshake operations)."""

from __future__ import annotations

import base64
import binascii
import secrets
import string
from collections.abc import Mapping, Sequence
from typing import Any, TypeVar

from ...store.interface import Organization, OrgUnit
from ..context import CallContext
from .errors import (
    AccessDeniedException,
    AWSOrganizationsNotInUseException,
    ConstraintViolationException,
    InvalidInputException,
)

T = TypeVar("T")
_ALPHABET = string.ascii_lowercase + string.digits
MAX_TAGS = 50  # "Quotas for AWS Organizations": tags per resource


def new_id(prefix: str, length: int) -> str:
    """``prefix`` and ``length`` random lowercase letters and digits (the model's id patterns)."""
    return prefix + "".join(secrets.choice(_ALPHABET) for _ in range(length))


def caller_org(ctx: CallContext) -> Organization:
    org = ctx.tx.organization_of(ctx.account_id)
    if org is None:
        raise AWSOrganizationsNotInUseException()
    return org


def management_org(ctx: CallContext) -> Organization:
    """The caller's organization, when the caller is its management account."""
    org = caller_org(ctx)
    if org.management_account_id != ctx.account_id:
        raise AccessDeniedException()
    return org


def container(ctx: CallContext, org: Organization, parent_id: str) -> Organization | OrgUnit | None:
    """The root (the organization itself stands for it) or OU ``parent_id`` of ``org``."""
    if parent_id == org.root_id:
        return org
    unit = ctx.tx.get_org_unit(parent_id)
    return unit if unit is not None and unit.org_id == org.id else None


def tags_of(params: Mapping[str, Any], name: str = "Tags") -> dict[str, str]:
    """The request's tags as a map; a key given twice is InvalidInputException
    DUPLICATE_TAG_KEY, more than 50 ConstraintViolationException MAX_TAG_LIMIT_EXCEEDED."""
    tags: dict[str, str] = {}
    for tag in params.get(name) or ():
        key = str(tag["Key"])
        if key in tags:
            raise InvalidInputException("DUPLICATE_TAG_KEY", "You provided duplicate tag keys.")
        tags[key] = str(tag.get("Value", ""))
    check_tag_count(tags)
    return tags


def check_tag_count(tags: Mapping[str, str]) -> None:
    if len(tags) > MAX_TAGS:
        raise ConstraintViolationException(
            "MAX_TAG_LIMIT_EXCEEDED", "You have exceeded the number of tags allowed on this resource."
        )


def page(items: Sequence[T], params: Mapping[str, Any]) -> tuple[list[T], str | None]:
    """One page of ``items`` from the request's NextToken, at most MaxResults (all when not
    given), and the token of the next page. A token this service did not give is
    InvalidInputException INVALID_NEXT_TOKEN.

    The token names the next page's first item (its Id) as well as its place: a listing
    resumes at that item wherever it is now, so deleting what was already listed (an OU, an
    account removed, a policy) skips nothing; only when that very item went does the place
    decide."""
    start = 0
    token = params.get("NextToken")
    if token:
        start = _resume(items, str(token))
    limit = params.get("MaxResults")
    end = len(items) if limit is None else min(len(items), start + int(limit))
    following = None
    if end < len(items):
        following = base64.urlsafe_b64encode(f"{end}:{_item_id(items[end])}".encode()).decode()
    return list(items[start:end]), following


def _item_id(item: Any) -> str:
    if isinstance(item, Mapping):
        return str(item.get("Id") or item.get("TargetId") or "")  # ListTargetsForPolicy's TargetId
    return ""


def _resume(items: Sequence[Any], token: str) -> int:
    invalid = InvalidInputException("INVALID_NEXT_TOKEN", "You specified an invalid value for nextToken.")
    try:
        place, _, item_id = base64.urlsafe_b64decode(token.encode()).decode().partition(":")
        start = int(place)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise invalid from None
    if not 0 <= start <= len(items) and not item_id:
        raise invalid
    if item_id:
        if start < len(items) and _item_id(items[start]) == item_id:
            return start
        for index, item in enumerate(items):
            if _item_id(item) == item_id:
                return index
    return min(max(start, 0), len(items))


def paged(key: str, items: Sequence[Any], params: Mapping[str, Any]) -> dict[str, Any]:
    """The output of a list operation: ``key`` and, when more remain, NextToken."""
    chosen, following = page(items, params)
    out: dict[str, Any] = {key: chosen}
    if following is not None:
        out["NextToken"] = following
    return out
