"""AWS Organizations in SQL (schema version 18): organizations and their root, OUs, member
accounts, policies and attachments, handshakes and CreateAccount requests. Tags of
Organizations resources live in ``tags`` by ARN, with the management account as their
account.

The authorizer reads ``org_membership`` and ``org_policy_documents`` on every request:
their statements are built once and their answers kept in the lane's row cache
(``sql_base.RowCache``) until a table they read changes."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from sqlalchemy import bindparam, delete, func, insert, select, update

from . import schema as s
from .interface import (
    AWS_MANAGED_ORG_POLICIES,
    CreateAccountRequest,
    OrgAccount,
    Organization,
    OrgHandshake,
    OrgMembership,
    OrgPolicy,
    OrgUnit,
)
from .sql_base import QueryBase, now

_org = s.org_organizations
_unit = s.org_units
_member = s.org_accounts
_policy = s.org_policies
_attach = s.org_attachments
_shake = s.org_handshakes
_car = s.org_create_account_requests
_accounts = s.accounts

# The request path's reads, built once (``sql_base``: building a statement costs more than
# running it).
_MEMBERSHIP = (
    select(
        _member.c.org_id,
        _member.c.parent_id,
        _org.c.management_account_id,
        _org.c.root_id,
        _org.c.enabled_types,
        _unit.c.path,
    )
    .select_from(_member.join(_org, _org.c.id == _member.c.org_id).outerjoin(_unit, _unit.c.id == _member.c.parent_id))
    .where(_member.c.account_id == bindparam("account_id"))
)
_DOCUMENTS = (
    select(_attach.c.target_id, _attach.c.policy_id, _policy.c.content)
    .select_from(_attach.outerjoin(_policy, _policy.c.id == _attach.c.policy_id))
    .where(
        _attach.c.org_id == bindparam("org_id"),
        _attach.c.policy_type == bindparam("policy_type"),
        _attach.c.target_id.in_(bindparam("target_ids", expanding=True)),
    )
    .order_by(_attach.c.seq)
)
_MEMBER_READ = (
    select(
        _member.c.account_id,
        _member.c.org_id,
        _member.c.parent_id,
        _member.c.joined_method,
        _member.c.joined,
        _member.c.status,
        _accounts.c.name,
        _accounts.c.email,
    )
    .select_from(_member.join(_accounts, _accounts.c.account_id == _member.c.account_id))
    .order_by(_member.c.account_id)
)


class OrganizationQueries(QueryBase):
    # --- organizations ---------------------------------------------------------------------

    def create_organization(
        self, org_id: str, root_id: str, management_account_id: str, feature_set: str
    ) -> Organization:
        created = Organization(org_id, management_account_id, feature_set, root_id, "Root", (), now())
        self._run(
            insert(_org).values(
                id=org_id,
                management_account_id=management_account_id,
                feature_set=feature_set,
                root_id=root_id,
                root_name=created.root_name,
                enabled_types="[]",
                created=created.created,
            )
        )
        self.add_org_account(org_id, management_account_id, root_id, "INVITED")
        return created

    def get_organization(self, org_id: str) -> Organization | None:
        row = self._one(select(_org).where(_org.c.id == org_id))
        return _organization(row) if row else None

    def organization_of(self, account_id: str) -> Organization | None:
        statement = select(_org).join(_member, _member.c.org_id == _org.c.id).where(_member.c.account_id == account_id)
        row = self._one(statement)
        return _organization(row) if row else None

    def delete_organization(self, org_id: str) -> bool:
        org = self.get_organization(org_id)
        if org is None:
            return False
        members = self._org_account_ids(org_id)
        prefix = f"arn:aws:organizations::{org.management_account_id}:"
        self._run(
            delete(s.tags).where(
                s.tags.c.account_id == org.management_account_id, s.tags.c.resource_id.startswith(prefix)
            )
        )
        for table in (_attach, _policy, _shake, _car, _unit, _member):
            self._run(delete(table).where(table.c.org_id == org_id))
        self._run(delete(_org).where(_org.c.id == org_id))
        for account_id in members:
            self.bump_policy_generation(account_id)
        return True

    def set_enabled_policy_types(self, org_id: str, types: Sequence[str]) -> None:
        self._run(update(_org).where(_org.c.id == org_id).values(enabled_types=json.dumps(list(types))))
        self._bump_org(org_id)

    # --- organizational units ------------------------------------------------------------------

    def create_org_unit(self, org_id: str, unit_id: str, parent_id: str, name: str) -> OrgUnit:
        parent = self.get_org_unit(parent_id)
        path = (*(parent.path if parent is not None else (parent_id,)), unit_id)
        created = OrgUnit(unit_id, org_id, parent_id, name, path, now())
        self._run(
            insert(_unit).values(
                id=unit_id, org_id=org_id, parent_id=parent_id, name=name, path="/".join(path), created=created.created
            )
        )
        # A new OU holds no account yet: nothing cached can be about it.
        return created

    def get_org_unit(self, unit_id: str) -> OrgUnit | None:
        row = self._one(select(_unit).where(_unit.c.id == unit_id))
        return _org_unit(row) if row else None

    def list_org_units(self, parent_id: str) -> list[OrgUnit]:
        rows = self._conn.execute(
            select(_unit).where(_unit.c.parent_id == parent_id).order_by(_unit.c.created, _unit.c.id)
        )
        return [_org_unit(row) for row in rows]

    def rename_org_unit(self, unit_id: str, name: str) -> OrgUnit | None:
        if not self._run(update(_unit).where(_unit.c.id == unit_id).values(name=name)).rowcount:
            return None
        return self.get_org_unit(unit_id)

    def delete_org_unit(self, unit_id: str) -> bool:
        unit = self.get_org_unit(unit_id)
        if unit is None:
            return False
        org = self.get_organization(unit.org_id)
        self._run(delete(_attach).where(_attach.c.target_id == unit_id))
        if org is not None:
            self._drop_tags(f"arn:aws:organizations::{org.management_account_id}:ou/{org.id}/{unit_id}")
        self._run(delete(_unit).where(_unit.c.id == unit_id))
        self._bump_org(unit.org_id)
        return True

    # --- member accounts -------------------------------------------------------------------

    def add_org_account(self, org_id: str, account_id: str, parent_id: str, joined_method: str) -> OrgAccount:
        joined = now()
        self._run(
            insert(_member).values(
                account_id=account_id,
                org_id=org_id,
                parent_id=parent_id,
                joined_method=joined_method,
                joined=joined,
                status="ACTIVE",
            )
        )
        self._bump_org(org_id)
        found = self.get_org_account(account_id)
        assert found is not None  # INVARIANT: just written (the account row is its foreign key)
        return found

    def get_org_account(self, account_id: str) -> OrgAccount | None:
        row = self._one(_MEMBER_READ.where(_member.c.account_id == account_id))
        return _org_account(row) if row else None

    def list_org_accounts(self, org_id: str, parent_id: str | None = None) -> list[OrgAccount]:
        statement = _MEMBER_READ.where(_member.c.org_id == org_id)
        if parent_id is not None:
            statement = statement.where(_member.c.parent_id == parent_id)
        return [_org_account(row) for row in self._conn.execute(statement)]

    def move_org_account(self, account_id: str, parent_id: str) -> bool:
        member = self.get_org_account(account_id)
        if member is None:
            return False
        self._run(update(_member).where(_member.c.account_id == account_id).values(parent_id=parent_id))
        self._bump_org(member.org_id)
        return True

    def remove_org_account(self, account_id: str) -> bool:
        member = self.get_org_account(account_id)
        if member is None:
            return False
        org = self.get_organization(member.org_id)
        self._bump_org(member.org_id)  # before the row goes: the account itself is bumped too
        self._run(delete(_attach).where(_attach.c.target_id == account_id))
        if org is not None:
            self._drop_tags(f"arn:aws:organizations::{org.management_account_id}:account/{org.id}/{account_id}")
        self._run(delete(_member).where(_member.c.account_id == account_id))
        return True

    # --- policies and attachments -----------------------------------------------------------

    def create_org_policy(
        self, org_id: str, policy_id: str, policy_type: str, name: str, description: str, content: str
    ) -> OrgPolicy:
        created = OrgPolicy(policy_id, org_id, policy_type, name, description, content, now())
        self._run(
            insert(_policy).values(
                id=policy_id,
                org_id=org_id,
                type=policy_type,
                name=name,
                description=description,
                content=content,
                created=created.created,
            )
        )
        return created  # attached to nothing yet

    def get_org_policy(self, policy_id: str) -> OrgPolicy | None:
        row = self._one(select(_policy).where(_policy.c.id == policy_id))
        return _org_policy(row) if row else None

    def list_org_policies(self, org_id: str, policy_type: str) -> list[OrgPolicy]:
        statement = (
            select(_policy)
            .where(_policy.c.org_id == org_id, _policy.c.type == policy_type)
            .order_by(_policy.c.created, _policy.c.id)
        )
        return [_org_policy(row) for row in self._conn.execute(statement)]

    def update_org_policy(
        self, policy_id: str, name: str | None = None, description: str | None = None, content: str | None = None
    ) -> OrgPolicy | None:
        values = {
            key: value
            for key, value in (("name", name), ("description", description), ("content", content))
            if value is not None
        }
        current = self.get_org_policy(policy_id)
        if current is None:
            return None
        if values:
            self._run(update(_policy).where(_policy.c.id == policy_id).values(**values))
            if content is not None:
                self._bump_org(current.org_id)
        return self.get_org_policy(policy_id)

    def delete_org_policy(self, policy_id: str) -> bool:
        current = self.get_org_policy(policy_id)
        if current is None:
            return False
        org = self.get_organization(current.org_id)
        self._run(delete(_attach).where(_attach.c.policy_id == policy_id))
        if org is not None:
            kind = current.type.lower()
            self._drop_tags(f"arn:aws:organizations::{org.management_account_id}:policy/{org.id}/{kind}/{policy_id}")
        self._run(delete(_policy).where(_policy.c.id == policy_id))
        self._bump_org(current.org_id)
        return True

    def attach_org_policy(self, org_id: str, policy_id: str, policy_type: str, target_id: str) -> bool:
        exists = self._one(
            select(_attach.c.seq).where(_attach.c.target_id == target_id, _attach.c.policy_id == policy_id)
        )
        if exists is not None:
            return False
        seq = self._conn.execute(
            select(func.coalesce(func.max(_attach.c.seq), 0)).where(_attach.c.org_id == org_id)
        ).scalar_one()
        self._run(
            insert(_attach).values(
                target_id=target_id, policy_id=policy_id, org_id=org_id, policy_type=policy_type, seq=int(seq) + 1
            )
        )
        self._bump_org(org_id)
        return True

    def detach_org_policy(self, org_id: str, policy_id: str, target_id: str) -> bool:
        statement = delete(_attach).where(
            _attach.c.org_id == org_id, _attach.c.target_id == target_id, _attach.c.policy_id == policy_id
        )
        if not self._run(statement).rowcount:
            return False
        self._bump_org(org_id)
        return True

    def org_policies_for_target(self, target_id: str, policy_type: str) -> list[str]:
        statement = (
            select(_attach.c.policy_id)
            .where(_attach.c.target_id == target_id, _attach.c.policy_type == policy_type)
            .order_by(_attach.c.seq)
        )
        return [row.policy_id for row in self._conn.execute(statement)]

    def org_policy_targets(self, org_id: str, policy_id: str) -> list[str]:
        statement = (
            select(_attach.c.target_id)
            .where(_attach.c.org_id == org_id, _attach.c.policy_id == policy_id)
            .order_by(_attach.c.seq)
        )
        return [row.target_id for row in self._conn.execute(statement)]

    def detach_org_policies_of_type(self, org_id: str, policy_type: str) -> None:
        self._run(delete(_attach).where(_attach.c.org_id == org_id, _attach.c.policy_type == policy_type))
        self._bump_org(org_id)

    # --- handshakes and CreateAccount requests ------------------------------------------------

    def create_handshake(self, handshake: OrgHandshake) -> None:
        self._run(
            insert(_shake).values(
                id=handshake.id,
                org_id=handshake.org_id,
                action=handshake.action,
                state=handshake.state,
                party_type=handshake.party_type,
                party_id=handshake.party_id,
                account_id=handshake.account_id,
                notes=handshake.notes,
                requested=handshake.requested,
                expires=handshake.expires,
            )
        )

    def get_handshake(self, handshake_id: str) -> OrgHandshake | None:
        row = self._one(select(_shake).where(_shake.c.id == handshake_id))
        return _handshake(row) if row else None

    def list_handshakes(self, org_id: str | None = None, account_id: str | None = None) -> list[OrgHandshake]:
        statement = select(_shake).order_by(_shake.c.requested, _shake.c.id)
        if org_id is not None:
            statement = statement.where(_shake.c.org_id == org_id)
        if account_id is not None:
            statement = statement.where(_shake.c.account_id == account_id)
        return [_handshake(row) for row in self._conn.execute(statement)]

    def set_handshake_state(self, handshake_id: str, state: str) -> bool:
        return bool(self._run(update(_shake).where(_shake.c.id == handshake_id).values(state=state)).rowcount)

    def add_create_account_request(self, request: CreateAccountRequest) -> None:
        self._run(
            insert(_car).values(
                id=request.id,
                org_id=request.org_id,
                account_name=request.account_name,
                state=request.state,
                requested=request.requested,
                completed=request.completed,
                account_id=request.account_id,
                failure_reason=request.failure_reason,
            )
        )

    def get_create_account_request(self, request_id: str) -> CreateAccountRequest | None:
        row = self._one(select(_car).where(_car.c.id == request_id))
        return _create_account_request(row) if row else None

    def list_create_account_requests(self, org_id: str) -> list[CreateAccountRequest]:
        statement = select(_car).where(_car.c.org_id == org_id).order_by(_car.c.requested, _car.c.id)
        return [_create_account_request(row) for row in self._conn.execute(statement)]

    # --- the authorizer's reads ----------------------------------------------------------------

    def org_membership(self, account_id: str) -> OrgMembership | None:
        return self._memo(("org_membership", account_id), lambda: self._read_membership(account_id))

    def _read_membership(self, account_id: str) -> OrgMembership | None:
        row = self._fetch_first(_MEMBERSHIP, {"account_id": account_id}, cache=False)
        if row is None:
            return None
        above = tuple(row.path.split("/")) if row.path is not None else (row.root_id,)
        return OrgMembership(
            org_id=row.org_id,
            org_arn=f"arn:aws:organizations::{row.management_account_id}:organization/{row.org_id}",
            management_account_id=row.management_account_id,
            path=(*above, account_id),
            enabled_types=frozenset(json.loads(row.enabled_types)),
        )

    def org_policy_documents(
        self, org_id: str, target_ids: Sequence[str], policy_type: str
    ) -> dict[str, list[tuple[str, str]]]:
        targets = tuple(target_ids)
        found = self._memo(
            ("org_policy_documents", org_id, targets, policy_type),
            lambda: self._read_documents(org_id, targets, policy_type),
        )
        return {target: list(documents) for target, documents in found.items()}  # copies: the cache keeps its own

    def _read_documents(
        self, org_id: str, targets: tuple[str, ...], policy_type: str
    ) -> dict[str, tuple[tuple[str, str], ...]]:
        out: dict[str, list[tuple[str, str]]] = {}
        if targets:
            values = {"org_id": org_id, "policy_type": policy_type, "target_ids": list(targets)}
            for row in self._conn.execute(_DOCUMENTS, values):
                content = row.content if row.content is not None else _managed_content(row.policy_id)
                if content is not None:
                    out.setdefault(row.target_id, []).append((row.policy_id, content))
        return {target: tuple(documents) for target, documents in out.items()}

    # --- helpers -----------------------------------------------------------------------------

    def _org_account_ids(self, org_id: str) -> list[str]:
        rows = self._conn.execute(select(_member.c.account_id).where(_member.c.org_id == org_id))
        return [row.account_id for row in rows]

    def _bump_org(self, org_id: str) -> None:
        """Every account of the organization: what applies to one may have changed."""
        for account_id in self._org_account_ids(org_id):
            self.bump_policy_generation(account_id)


def _managed_content(policy_id: str) -> str | None:
    managed = AWS_MANAGED_ORG_POLICIES.get(policy_id)
    return managed[3] if managed is not None else None


def _organization(row: Any) -> Organization:
    return Organization(
        id=row.id,
        management_account_id=row.management_account_id,
        feature_set=row.feature_set,
        root_id=row.root_id,
        root_name=row.root_name,
        enabled_types=tuple(json.loads(row.enabled_types)),
        created=row.created,
    )


def _org_unit(row: Any) -> OrgUnit:
    return OrgUnit(row.id, row.org_id, row.parent_id, row.name, tuple(row.path.split("/")), row.created)


def _org_account(row: Any) -> OrgAccount:
    return OrgAccount(
        account_id=row.account_id,
        org_id=row.org_id,
        parent_id=row.parent_id,
        joined_method=row.joined_method,
        joined=row.joined,
        status=row.status,
        name=row.name,
        email=row.email,
    )


def _org_policy(row: Any) -> OrgPolicy:
    return OrgPolicy(row.id, row.org_id, row.type, row.name, row.description, row.content, row.created)


def _handshake(row: Any) -> OrgHandshake:
    return OrgHandshake(
        id=row.id,
        org_id=row.org_id,
        action=row.action,
        state=row.state,
        party_type=row.party_type,
        party_id=row.party_id,
        account_id=row.account_id,
        notes=row.notes,
        requested=row.requested,
        expires=row.expires,
    )


def _create_account_request(row: Any) -> CreateAccountRequest:
    return CreateAccountRequest(
        id=row.id,
        org_id=row.org_id,
        account_name=row.account_name,
        state=row.state,
        requested=row.requested,
        completed=row.completed,
        account_id=row.account_id,
        failure_reason=row.failure_reason,
    )
