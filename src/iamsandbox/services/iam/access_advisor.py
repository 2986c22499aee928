"""Service last accessed data, the IAM console's Access Advisor: GenerateServiceLastAccessedDetails,
GetServiceLastAccessedDetails and GetServiceLastAccessedDetailsWithEntities (IAM API
Reference), "Refine permissions in AWS using last accessed information" and "View last
accessed information for IAM" (IAM User Guide,
https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_last-accessed.html and
.../access_policies_last-accessed-view-data.html). ``last_accessed.py`` records the attempts.

- GenerateServiceLastAccessedDetails takes "The ARN of the IAM resource (user, group, role, or
  managed policy)" of the caller's account (an AWS managed policy too), and returns a JobId.
  The report is built at once: JobStatus COMPLETED, completed when created (AWS builds it in
  the background, IN_PROGRESS meanwhile; here no client has to wait), and kept in the store
  (``advisor_jobs.py``): the Get operations find it through any replica.
- The services listed: "For each service that the resource could access using permissions
  policies, the operation returns details about the most recent access attempt. If there was
  no attempt, the service is listed without details"; "Service last accessed data does not
  use other policy types ... resource-based policies, access control lists, Organizations
  policies, IAM permissions boundaries, and STS assume role policies". A policy allows a
  service when an Allow statement's Action or NotAction reaches one of its actions in the
  Service Authorization Reference (``service_access.py``'s reading); "By default, the list is
  sorted by service namespace".
- Whose attempts count, and LastAuthenticatedEntity: "User – Returns the user ARN ...; Group
  – Returns the ARN of the group member (user) that last attempted to access the service;
  Role – Returns the role ARN ...; Policy – Returns the ARN of the user or role that last used
  the policy". A policy's entities are the users and roles it is attached to, and the members
  of the groups it is attached to ("attached to at least one user, group with members, or
  role"). TotalAuthenticatedEntities counts those that attempted the service; 0 when none
  did, as the API reference's example answers for Amazon S3.
- ServiceName: the API reference's example names "AWS Identity and Access Management" and
  "Amazon Simple Storage Service"; other services as the Service Authorization Reference
  titles them (unconfirmed that IAM answers those titles).
- ACTION_LEVEL: "This includes the most recent access attempt for each tracked action within
  a service": for IAM and S3 (``last_accessed.TRACKED_SERVICES``), each tracked action the
  policies allow, with LastAccessedEntity, LastAccessedTime and LastAccessedRegion when
  attempted ("an action that you are expecting to see might not be returned in the list ...
  because the IAM identity does not have permissions for the action, or AWS does not yet track
  the action"). ActionName is the action's name without the service prefix ("CreateBucket";
  unconfirmed), in name order (unconfirmed).
- GetServiceLastAccessedDetailsWithEntities: "For a group report, this operation returns a
  list of users in the group ...; For a policy report, ... a list of entities (users or roles)
  that could have used the policy"; "You can also use this operation for users and roles,
  but it only returns information about that entity". Each EntityInfo, with LastAuthenticated
  when it attempted the service; "sorted by date, with the most recent access listed first"
  (the API reference's example lists an entity that never attempted it, without
  LastAuthenticated, after those that did). A namespace the report does not list has no
  entity (unconfirmed).
- Both Get operations page with MaxItems and Marker as the other IAM lists do.
- Unconfirmed: an unknown (or expired, or another principal's) JobId is NoSuchEntity, in
  words of this module's choosing; an ARN that names no user, group, role or policy is
  InvalidInput in the simulator's words (``simulation.entity_of``).

Known gaps: attempts are counted by entity and service, not by the policy a request was
allowed by: a group's or policy's report counts a member's or entity's attempts at a service
the group's or policy's policies allow, whichever of its policies the request used ("the
report returns only the service last accessed information for members that used the group's
policies"); and attempts made before the entity joined the group or got the policy count.
Tracking periods (400 days) do not apply: nothing recorded is forgotten.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from fnmatch import fnmatchcase
from typing import Any

from ...cli.catalog import Catalog
from ...errors import NoSuchEntity
from ...policy import Policy
from ...policy.match import compile_action
from ...store.interface import Group, Role, ServiceAccess, User
from ..context import CallContext
from . import advisor_jobs, common
from .advisor_jobs import Job, new_job_id, owner_of
from .last_accessed import TRACKED_SERVICES, tracked_actions
from .service_access import managed_policies, permission_policies
from .simulation import entity_of, policies_of

SERVICE_LEVEL = "SERVICE_LEVEL"
ACTION_LEVEL = "ACTION_LEVEL"
COMPLETED = "COMPLETED"
# The API reference's example of GetServiceLastAccessedDetails names these two so.
_SERVICE_NAMES = {"iam": "AWS Identity and Access Management", "s3": "Amazon Simple Storage Service"}


@dataclass(frozen=True)
class _Subject:
    """What a report is about: the permissions policies it reads, and the entities (users
    and roles) whose attempts it counts."""

    policies: tuple[Policy, ...]
    entities: tuple[User | Role, ...]


# --- what a report is about ---------------------------------------------------------------


def _subject(ctx: CallContext, arn: str) -> _Subject:
    if arn.startswith("arn:") and ":policy/" in arn:
        if common.policy_visible(ctx, arn) is None:  # another account's, or none
            raise NoSuchEntity(f"Policy {arn} was not found.")
        policies = tuple(policy for _arn, policy in managed_policies(ctx, [arn]))
        return _Subject(policies, _attached_to(ctx, arn))
    entity = entity_of(ctx, arn)
    found = tuple(policy for _described, policy in permission_policies(ctx, *policies_of(ctx, entity)))
    if isinstance(entity, Group):
        return _Subject(found, tuple(ctx.tx.list_group_members(entity.id)))
    return _Subject(found, (entity,))


def _attached_to(ctx: CallContext, arn: str) -> tuple[User | Role, ...]:
    """The users and roles of the caller's account a managed policy applies to: attached to
    them, or to a group they are members of (an AWS managed policy is attached in many
    accounts)."""
    found: dict[str, User | Role] = {}
    for identity in ctx.tx.list_entities_for_policy(arn):
        if identity.account_id != ctx.account_id:
            continue
        members = ctx.tx.list_group_members(identity.id) if isinstance(identity, Group) else [identity]
        for member in members:
            found.setdefault(member.id, member)
    # Users, then roles, each by name (unconfirmed: AWS's order of entities that never
    # attempted the service).
    return tuple(sorted(found.values(), key=lambda entity: (isinstance(entity, Role), entity.name.lower())))


# --- which services and actions the policies allow ------------------------------------------


def _service_part(pattern: str) -> tuple[str, str]:
    """("s3", "Get*") of "s3:Get*"; ("*", "*") of "*"."""
    service, colon, action = pattern.partition(":")
    return (service.lower(), action) if colon else (service.lower(), "*")


def _by_service(patterns: Iterable[str], services: frozenset[str]) -> dict[str, list[str]]:
    """The action patterns that can match actions of each service, by service."""
    out: dict[str, list[str]] = {}
    for pattern in patterns:
        prefix, _action = _service_part(pattern)
        if "*" in prefix or "?" in prefix:
            reached = [service for service in services if fnmatchcase(service, prefix)]
        else:
            reached = [prefix] if prefix in services else []
        for service in reached:
            out.setdefault(service, []).append(pattern)
    return out


def _all_actions(patterns: Iterable[str]) -> bool:
    """Whether one of ``patterns`` (of one service) matches its every action ("s3:*", "*")."""
    return any(_service_part(pattern)[1] == "*" for pattern in patterns)


def _matched(patterns: Iterable[str], service: str, actions: Sequence[str]) -> set[str]:
    """Which of ``actions`` (names, of ``service``) one of ``patterns`` matches."""
    matchers = [compile_action(pattern) for pattern in patterns]
    return {name for name in actions if any(m(f"{service}:{name}", {}) for m in matchers)}


def _allowed_actions(policies: Iterable[Policy], service: str, actions: Sequence[str]) -> set[str]:
    """Which of ``actions`` (names, of ``service``) an Allow statement of ``policies`` allows,
    by its Action or its NotAction (conditions and resources are not read)."""
    allowed: set[str] = set()
    for policy in policies:
        for statement in policy.statements:
            if not statement.allows:
                continue
            if statement.action is not None:
                allowed |= _matched(statement.action, service, actions)
            if statement.not_action is not None:
                allowed |= set(actions) - _matched(statement.not_action, service, actions)
    return allowed


def _allowed_services(policies: Sequence[Policy], catalog: Catalog) -> set[str]:
    """The services of the catalog an Allow statement of ``policies`` reaches. A pattern
    that matches all of a service's actions ("*", "s3:*") reaches it (or, in a NotAction,
    leaves it out) without reading its actions; the others are matched against them."""
    services = catalog.services
    allowed: set[str] = set()
    for policy in policies:
        for statement in policy.statements:
            if not statement.allows:
                continue
            if statement.action is not None:
                for service, patterns in _by_service(statement.action, services).items():
                    if service not in allowed and (
                        _all_actions(patterns) or _matched(patterns, service, _names(catalog, service))
                    ):
                        allowed.add(service)
            if statement.not_action is not None:
                excluded = _by_service(statement.not_action, services)
                for service in services - allowed:
                    left_out = excluded.get(service)
                    if left_out is None:
                        allowed.add(service)
                    elif not _all_actions(left_out):
                        names = _names(catalog, service)
                        if len(_matched(left_out, service, names)) < len(names):
                            allowed.add(service)
    return allowed


def _names(catalog: Catalog, service: str) -> list[str]:
    return [str(details["name"]) for details in catalog.actions(service).values()]


# --- the report ---------------------------------------------------------------------------------


def _report(ctx: CallContext, subject: _Subject, granularity: str) -> Job:
    catalog = ctx.shared.catalog
    arns = {entity.id: entity.arn for entity in subject.entities}
    by_service: dict[str, dict[str, ServiceAccess]] = {}  # service -> entity id -> its latest attempt
    by_action: dict[tuple[str, str], ServiceAccess] = {}  # (service, action) -> the latest attempt
    for access in ctx.tx.list_service_access(list(arns)):
        if not access.action:
            by_service.setdefault(access.service, {})[access.entity_id] = access
            continue
        key = (access.service, access.action)
        if key not in by_action or access.when > by_action[key].when:
            by_action[key] = access
    services: list[dict[str, Any]] = []
    for service in sorted(_allowed_services(subject.policies, catalog)):
        entry: dict[str, Any] = {
            "ServiceName": _SERVICE_NAMES.get(service) or catalog.service_names.get(service, service),
            "ServiceNamespace": service,
        }
        attempts = by_service.get(service, {})
        if attempts:
            latest = max(attempts.values(), key=lambda access: access.when)
            entry["LastAuthenticated"] = _whole_second(latest.when)
            entry["LastAuthenticatedEntity"] = arns[latest.entity_id]
            entry["LastAuthenticatedRegion"] = latest.region
        entry["TotalAuthenticatedEntities"] = len(attempts)
        if granularity == ACTION_LEVEL and service in TRACKED_SERVICES:
            tracked = _allowed_actions(subject.policies, service, tracked_actions(catalog, service))
            if tracked:
                entry["TrackedActionsLastAccessed"] = [
                    _tracked(name, by_action.get((service, name)), arns) for name in sorted(tracked)
                ]
        services.append(entry)
    accessed = {
        service: {entity_id: access.when for entity_id, access in attempts.items()}
        for service, attempts in by_service.items()
    }
    return Job(
        new_job_id(),
        ctx.account_id,
        owner_of(ctx.caller),
        granularity,
        ctx.now,
        ctx.now,
        tuple(services),
        tuple(_entity_info(entity) for entity in subject.entities),
        accessed,
    )


# The report answers whose dates keep their milliseconds (the IAM query protocol's
# ``keeps_milliseconds``): the AWS CLI Command Reference's get-service-last-accessed-details
# answers "JobCreationDate": "2019-10-01T03:50:35.929Z", where an attempt's time is whole:
# "LastAuthenticated": "2019-09-30T23:02:00Z" (``_whole_second``).
JOB_ANSWERS = frozenset(
    {"GetServiceLastAccessedDetails", "GetServiceLastAccessedDetailsWithEntities", "GetOrganizationsAccessReport"}
)


def _whole_second(when: datetime) -> datetime:
    return when.replace(microsecond=0)


def _tracked(name: str, access: ServiceAccess | None, arns: dict[str, str]) -> dict[str, Any]:
    entry: dict[str, Any] = {"ActionName": name}
    if access is not None:
        entry["LastAccessedEntity"] = arns[access.entity_id]
        entry["LastAccessedTime"] = _whole_second(access.when)
        entry["LastAccessedRegion"] = access.region
    return entry


def _entity_info(entity: User | Role) -> dict[str, str]:
    kind = "USER" if isinstance(entity, User) else "ROLE"
    return {"Arn": entity.arn, "Name": entity.name, "Type": kind, "Id": entity.id, "Path": entity.path}


def _job(ctx: CallContext, job_id: str) -> Job:
    job = advisor_jobs.find(ctx.tx, job_id, owner_of(ctx.caller), ctx.now)
    if job is None:
        raise NoSuchEntity(f"The job with ID {job_id} cannot be found.")  # unconfirmed wording
    return job


def _job_fields(job: Job) -> dict[str, Any]:
    return {"JobStatus": COMPLETED, "JobCreationDate": job.created, "JobCompletionDate": job.completed}


# --- the operations ------------------------------------------------------------------------------


def generate_service_last_accessed_details(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    granularity = params.get("Granularity") or SERVICE_LEVEL
    subject = _subject(ctx, params["Arn"])
    # The attempts noted in memory first, this call's own included: a report reads the store.
    ctx.shared.last_accessed.flush(ctx.tx)
    job = _report(ctx, subject, granularity)
    advisor_jobs.keep(ctx.tx, job)  # in the store: every replica finds it
    return {"JobId": job.job_id}


def get_service_last_accessed_details(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    job = _job(ctx, params["JobId"])
    out = {**_job_fields(job), "JobType": job.granularity}
    out.update(common.paginate(job.services, params, "ServicesLastAccessed"))
    return out


def get_service_last_accessed_details_with_entities(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    job = _job(ctx, params["JobId"])
    service = str(params["ServiceNamespace"]).lower()
    details: list[dict[str, Any]] = []
    if any(entry["ServiceNamespace"] == service for entry in job.services):
        attempts = job.accessed.get(service, {})
        for info in job.entities:
            detail: dict[str, Any] = {"EntityInfo": info}
            if info["Id"] in attempts:
                detail["LastAuthenticated"] = attempts[info["Id"]]
            details.append(detail)
        # The most recent first (by the exact time); those that never attempted it after
        # them, in their order. Then answered in whole seconds.
        details.sort(key=_recent_first)
        for detail in details:
            if "LastAuthenticated" in detail:
                detail["LastAuthenticated"] = _whole_second(detail["LastAuthenticated"])
    return {**_job_fields(job), **common.paginate(details, params, "EntityDetailsList")}


def _recent_first(detail: dict[str, Any]) -> tuple[bool, float]:
    when: datetime | None = detail.get("LastAuthenticated")
    return (when is None, -when.timestamp() if when is not None else 0.0)
