"""Accounts and IAM identities in SQL: users, groups, roles and group membership.

Policies and attachments are in ``sql_policies``, instance profiles in
``sql_instance_profiles``, OIDC and SAML providers in ``sql_providers``."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Row, bindparam, delete, func, insert, or_, select, update

from . import schema as s
from .crypto import new_unique_id
from .interface import (
    Account,
    Group,
    Identity,
    NotFound,
    PasswordPolicy,
    Role,
    ServiceAccess,
    User,
)
from .sql_base import QueryBase, iam_arn, now

_ID_PREFIX = {"user": "AIDA", "group": "AGPA", "role": "AROA"}
_ident = s.identities
_seen = s.service_last_accessed


def _account(row: Row[Any]) -> Account:
    return Account(
        account_id=row.account_id,
        name=row.name,
        email=row.email,
        alias=row.alias,
        created=row.created,
        root_password_hash=row.root_password_hash,
        policy_generation=int(row.policy_generation),
    )


_POLICY_FIELDS = {f.name for f in dataclasses.fields(PasswordPolicy)}


def _password_policy(text: str | None) -> PasswordPolicy | None:
    """The stored JSON of a password policy; members this version does not know are
    left out rather than refused."""
    if not text:
        return None
    loaded = json.loads(text)
    assert isinstance(loaded, dict)
    return PasswordPolicy(**{key: value for key, value in loaded.items() if key in _POLICY_FIELDS})


def identity_of(row: Any) -> Identity:
    common = {
        "id": row.id,
        "account_id": row.account_id,
        "name": row.name,
        "path": row.path,
        "arn": row.arn,
        "created": row.created,
    }
    if row.kind == "user":
        return User(**common, permissions_boundary=row.permissions_boundary)
    if row.kind == "group":
        return Group(**common)
    return Role(
        **common,
        trust_policy=row.trust_policy,
        description=row.description,
        max_session_duration=row.max_session_duration,
        permissions_boundary=row.permissions_boundary,
        last_used=row.last_used,
        last_used_region=row.last_used_region,
    )


# Request-path statements, built once (see sql_base).
# When a password was last used (version 14) is read on its own (``passwords_last_used``),
# by the few operations that answer it: the identity and account reads, which the request
# path makes, leave it out.
IDENT_READ = [column for column in _ident.c if column.name != "password_last_used"]
_ACCOUNT_READ = [column for column in s.accounts.c if column.name != "root_password_last_used"]
_ROLE_BY_ARN = select(*IDENT_READ).where(_ident.c.arn == bindparam("arn"), _ident.c.kind == "role")
_IDENTITY_BY_ID = select(*IDENT_READ).where(_ident.c.id == bindparam("id"))
_IDENTITY_BY_NAME = select(*IDENT_READ).where(
    _ident.c.account_id == bindparam("account_id"),
    _ident.c.kind == bindparam("kind"),
    _ident.c.name_key == bindparam("key"),
)
# How many users, groups and roles an account has (the per-account quotas CreateUser,
# CreateGroup and CreateRole check): a statement built once, as on the request path.
_IDENTITY_COUNTS = (
    select(_ident.c.kind, func.count().label("count"))
    .where(_ident.c.account_id == bindparam("account_id"))
    .group_by(_ident.c.kind)
)
# Every column but password_last_used given (``_create_identity``).
_INSERT_IDENTITY = insert(_ident).values({column.name: bindparam(column.name) for column in IDENT_READ})


class IamQueries(QueryBase):
    # --- accounts --------------------------------------------------------------------

    def create_account(self, account_id: str, name: str, email: str | None = None) -> Account:
        created = now()
        self._run(
            insert(s.accounts).values(
                account_id=account_id, name=name, email=email, policy_generation=0, created=created
            )
        )
        return Account(account_id=account_id, name=name, email=email, alias=None, created=created)

    def get_account(self, account_id: str) -> Account | None:
        row = self._one(select(*_ACCOUNT_READ).where(s.accounts.c.account_id == account_id))
        return _account(row) if row else None

    def get_account_by_alias(self, alias: str) -> Account | None:
        row = self._one(select(*_ACCOUNT_READ).where(s.accounts.c.alias == alias))
        return _account(row) if row else None

    def list_accounts(self) -> list[Account]:
        return [_account(row) for row in self._conn.execute(select(*_ACCOUNT_READ).order_by(s.accounts.c.account_id))]

    def set_account_alias(self, account_id: str, alias: str | None) -> None:
        self._update_account(account_id, alias=alias)

    def set_root_password(self, account_id: str, password_hash: str | None) -> None:
        self._update_account(account_id, root_password_hash=password_hash)

    def get_password_policy(self, account_id: str) -> PasswordPolicy | None:
        row = self._one(select(s.accounts.c.password_policy).where(s.accounts.c.account_id == account_id))
        return _password_policy(row.password_policy) if row else None

    def set_password_policy(self, account_id: str, policy: PasswordPolicy | None) -> None:
        """Replace the account's password policy (None deletes it). Its
        AllowUsersToChangePassword grants iam:ChangePassword, so the generation moves."""
        stored = json.dumps(dataclasses.asdict(policy), separators=(",", ":")) if policy is not None else None
        self._update_account(account_id, password_policy=stored)
        self.bump_policy_generation(account_id)

    def _update_account(self, account_id: str, **values: Any) -> None:
        result = self._run(update(s.accounts).where(s.accounts.c.account_id == account_id).values(**values))
        if result.rowcount == 0:
            raise NotFound(f"account {account_id}")

    # --- identities ------------------------------------------------------------------

    def _create_identity(self, kind: str, account_id: str, name: str, path: str, **extra: Any) -> Identity:
        values = {
            "id": new_unique_id(_ID_PREFIX[kind]),
            "account_id": account_id,
            "kind": kind,
            "name": name,
            "name_key": name.lower(),
            "path": path,
            "arn": iam_arn(account_id, kind, path, name),
            "created": now(),
            "permissions_boundary": None,
            "trust_policy": None,
            "description": None,
            "max_session_duration": None,
            "last_used": None,
            "last_used_region": None,
            **extra,
        }
        self._write(_INSERT_IDENTITY, values)
        # No policy generation bump: a new identity has a new unique id and no policies
        # yet, so no compiled set cached under the generation can be about it (its
        # boundary, tags and policies, when given, are written, and bump, on their own).
        return identity_of(_FakeRow(values))

    def create_user(self, account_id: str, name: str, path: str = "/") -> User:
        user = self._create_identity("user", account_id, name, path)
        assert isinstance(user, User)
        return user

    def create_group(self, account_id: str, name: str, path: str = "/") -> Group:
        group = self._create_identity("group", account_id, name, path)
        assert isinstance(group, Group)
        return group

    def create_role(
        self,
        account_id: str,
        name: str,
        trust_policy: str,
        path: str = "/",
        description: str | None = None,
        max_session_duration: int = 3600,
        permissions_boundary: str | None = None,
    ) -> Role:
        role = self._create_identity(
            "role",
            account_id,
            name,
            path,
            trust_policy=trust_policy,
            description=description,
            max_session_duration=max_session_duration,
            permissions_boundary=permissions_boundary,
        )
        assert isinstance(role, Role)
        return role

    def _get_named(self, kind: str, account_id: str, name: str) -> Identity | None:
        key = name.lower()
        return self._memo(("named", kind, account_id, key), lambda: self._read_named(kind, account_id, key))

    def _read_named(self, kind: str, account_id: str, key: str) -> Identity | None:
        row = self._fetch_first(_IDENTITY_BY_NAME, {"account_id": account_id, "kind": kind, "key": key}, cache=False)
        return identity_of(row) if row else None

    def get_user(self, account_id: str, name: str) -> User | None:
        found = self._get_named("user", account_id, name)
        return found if isinstance(found, User) else None

    def get_group(self, account_id: str, name: str) -> Group | None:
        found = self._get_named("group", account_id, name)
        return found if isinstance(found, Group) else None

    def get_role(self, account_id: str, name: str) -> Role | None:
        found = self._get_named("role", account_id, name)
        return found if isinstance(found, Role) else None

    def get_role_by_arn(self, arn: str) -> Role | None:
        return self._memo(("role_by_arn", arn), lambda: self._read_role_by_arn(arn))

    def _read_role_by_arn(self, arn: str) -> Role | None:
        row = self._fetch_first(_ROLE_BY_ARN, {"arn": arn}, cache=False)
        found = identity_of(row) if row else None
        return found if isinstance(found, Role) else None

    def get_identity(self, identity_id: str) -> Identity | None:
        return self._memo(("identity", identity_id), lambda: self._read_identity(identity_id))

    def _read_identity(self, identity_id: str) -> Identity | None:
        row = self._fetch_first(_IDENTITY_BY_ID, {"id": identity_id}, cache=False)
        return identity_of(row) if row else None

    def _list(self, kind: str, account_id: str, path_prefix: str) -> list[Identity]:
        query = select(*IDENT_READ).where(_ident.c.account_id == account_id, _ident.c.kind == kind)
        if path_prefix != "/":
            query = query.where(_ident.c.path.startswith(path_prefix, autoescape=True))
        return [identity_of(row) for row in self._conn.execute(query.order_by(_ident.c.name_key))]

    def list_users(self, account_id: str, path_prefix: str = "/") -> list[User]:
        return [found for found in self._list("user", account_id, path_prefix) if isinstance(found, User)]

    def list_groups(self, account_id: str, path_prefix: str = "/") -> list[Group]:
        return [found for found in self._list("group", account_id, path_prefix) if isinstance(found, Group)]

    def list_roles(self, account_id: str, path_prefix: str = "/") -> list[Role]:
        return [found for found in self._list("role", account_id, path_prefix) if isinstance(found, Role)]

    def rename_identity(self, identity_id: str, name: str | None = None, path: str | None = None) -> Identity | None:
        current = self.get_identity(identity_id)
        if current is None:
            return None
        new_name = current.name if name is None else name
        new_path = current.path if path is None else path
        kind = "user" if isinstance(current, User) else "group" if isinstance(current, Group) else "role"
        self._run(
            update(_ident)
            .where(_ident.c.id == identity_id)
            .values(
                name=new_name,
                name_key=new_name.lower(),
                path=new_path,
                arn=iam_arn(current.account_id, kind, new_path, new_name),
            )
        )
        self.bump_policy_generation(current.account_id)
        return self.get_identity(identity_id)

    def update_role(
        self,
        role_id: str,
        *,
        trust_policy: str | None = None,
        description: str | None = None,
        max_session_duration: int | None = None,
    ) -> Role | None:
        values: dict[str, Any] = {}
        if trust_policy is not None:
            values["trust_policy"] = trust_policy
        if description is not None:
            values["description"] = description
        if max_session_duration is not None:
            values["max_session_duration"] = max_session_duration
        role = self.get_identity(role_id)
        if not isinstance(role, Role):
            return None
        if values:
            self._run(update(_ident).where(_ident.c.id == role_id).values(**values))
            self.bump_policy_generation(role.account_id)
        found = self.get_identity(role_id)
        return found if isinstance(found, Role) else None

    def resource_policies_naming(self, text: str) -> list[tuple[str, str, str]]:
        """(kind, key, document) of each role trust policy ("role", the role's id) and bucket
        policy ("bucket", its name) whose text contains ``text``, or any JSON escape (which
        may spell the same string: the caller parses the candidates), in any account: a
        scan, for the rare writes that retire or rename a principal."""
        trust, policy = _ident.c.trust_policy, s.buckets.c.policy
        roles = select(_ident.c.id, trust).where(
            or_(trust.contains(text, autoescape=True), trust.contains("\\", autoescape=True))
        )
        buckets = select(s.buckets.c.name, policy).where(
            or_(policy.contains(text, autoescape=True), policy.contains("\\", autoescape=True))
        )
        found = [("role", row.id, row.trust_policy) for row in self._conn.execute(roles)]
        found += [("bucket", row.name, row.policy) for row in self._conn.execute(buckets)]
        return found

    def set_permissions_boundary(self, identity_id: str, policy_arn: str | None) -> None:
        account_id = self._account_of(identity_id)
        self._run(update(_ident).where(_ident.c.id == identity_id).values(permissions_boundary=policy_arn))
        self.bump_policy_generation(account_id)

    def record_role_used(self, role_id: str, when: datetime, region: str) -> None:
        self._run(update(_ident).where(_ident.c.id == role_id).values(last_used=when, last_used_region=region))

    def record_service_access(self, accesses: Sequence[ServiceAccess]) -> None:
        """Keep, per entity, service and action, the latest of ``accesses`` and of what is
        stored. Accesses of a user or role that no longer exists (deleted since) are dropped:
        its rows went with it (``delete_identity``). Read, then written, in one write unit
        (writers queue on both backends), so two flushes never race on a row."""
        latest: dict[tuple[str, str, str], ServiceAccess] = {}
        for access in accesses:
            key = (access.entity_id, access.service, access.action)
            kept = latest.get(key)
            if kept is None or access.when > kept.when:
                latest[key] = access
        if not latest:
            return
        entity_ids = sorted({entity_id for entity_id, _, _ in latest})
        accounts = {
            row.id: row.account_id
            for row in self._conn.execute(select(_ident.c.id, _ident.c.account_id).where(_ident.c.id.in_(entity_ids)))
        }
        stored = {
            (row.entity_id, row.service, row.action): row.last_accessed
            for row in self._conn.execute(
                select(_seen.c.entity_id, _seen.c.service, _seen.c.action, _seen.c.last_accessed).where(
                    _seen.c.entity_id.in_(list(accounts))
                )
            )
        }
        inserts: list[dict[str, Any]] = []
        updates: list[dict[str, Any]] = []
        for key, access in latest.items():
            if access.entity_id not in accounts:
                continue
            before = stored.get(key)
            # Parameter names that are no column's: Core reserves those for VALUES and SET.
            values: dict[str, Any] = {"e": access.entity_id, "sv": access.service, "ac": access.action}
            values.update(at=access.when, rg=access.region)
            if before is None:
                inserts.append({**values, "acct": accounts[access.entity_id]})
            elif access.when > before:
                updates.append(values)
        if inserts:
            self._run(
                insert(_seen).values(
                    entity_id=bindparam("e"),
                    service=bindparam("sv"),
                    action=bindparam("ac"),
                    account_id=bindparam("acct"),
                    last_accessed=bindparam("at"),
                    region=bindparam("rg"),
                ),
                inserts,
            )
        if updates:
            self._run(
                update(_seen)
                .where(
                    _seen.c.entity_id == bindparam("e"),
                    _seen.c.service == bindparam("sv"),
                    _seen.c.action == bindparam("ac"),
                )
                .values(last_accessed=bindparam("at"), region=bindparam("rg")),
                updates,
            )

    def list_service_access(self, entity_ids: Sequence[str]) -> list[ServiceAccess]:
        """The stored accesses of these users and roles, by entity, service and action."""
        if not entity_ids:
            return []
        rows = self._conn.execute(
            select(_seen)
            .where(_seen.c.entity_id.in_(list(entity_ids)))
            .order_by(_seen.c.entity_id, _seen.c.service, _seen.c.action)
        )
        return [ServiceAccess(row.entity_id, row.service, row.action, row.last_accessed, row.region) for row in rows]

    def passwords_last_used(self, account_id: str) -> dict[str | None, datetime]:
        """When each user of the account (by id; None: the root user) last signed in with
        its password, for those that have."""
        found: dict[str | None, datetime] = {}
        root = self._one(select(s.accounts.c.root_password_last_used).where(s.accounts.c.account_id == account_id))
        if root is not None and root.root_password_last_used is not None:
            found[None] = root.root_password_last_used
        rows = self._conn.execute(
            select(_ident.c.id, _ident.c.password_last_used).where(
                _ident.c.account_id == account_id, _ident.c.password_last_used.is_not(None)
            )
        )
        found.update({row.id: row.password_last_used for row in rows})
        return found

    def record_password_used(self, account_id: str, user_id: str | None, when: datetime) -> None:
        """A console sign-in with the password of ``user_id`` (None: the root user's)."""
        if user_id is None:
            accounts = s.accounts
            self._run(update(accounts).where(accounts.c.account_id == account_id).values(root_password_last_used=when))
        else:
            self._run(update(_ident).where(_ident.c.id == user_id).values(password_last_used=when))

    def delete_identity(self, identity_id: str) -> bool:
        """Delete a user, group or role. Its memberships, keys, inline policies,
        attachments and login profile must be gone first (``Conflict`` otherwise), as
        AWS answers ``DeleteConflict``; its tags and its service last accessed data go with it."""
        row = self._one(select(_ident.c.account_id).where(_ident.c.id == identity_id))
        if row is None:
            return False
        self._drop_tags(identity_id)
        self._run(delete(_seen).where(_seen.c.entity_id == identity_id))
        self._run(delete(_ident).where(_ident.c.id == identity_id))
        self.bump_policy_generation(row.account_id)
        return True

    def count_identities(self, account_id: str) -> dict[str, int]:
        counts = {"user": 0, "group": 0, "role": 0}
        rows = self._fetch(_IDENTITY_COUNTS, {"account_id": account_id}, cache=False)
        counts.update({row.kind: int(row.count) for row in rows})
        return counts

    # --- groups ------------------------------------------------------------------------

    def add_user_to_group(self, group_id: str, user_id: str) -> bool:
        exists = self._one(
            select(s.group_members.c.user_id).where(
                s.group_members.c.group_id == group_id, s.group_members.c.user_id == user_id
            )
        )
        if exists:
            return False
        self._run(insert(s.group_members).values(group_id=group_id, user_id=user_id))
        self.bump_policy_generation(self._account_of(group_id))
        return True

    def remove_user_from_group(self, group_id: str, user_id: str) -> bool:
        result = self._run(
            delete(s.group_members).where(s.group_members.c.group_id == group_id, s.group_members.c.user_id == user_id)
        )
        if result.rowcount:
            self.bump_policy_generation(self._account_of(group_id))
        return bool(result.rowcount)

    def list_groups_for_user(self, user_id: str) -> list[Group]:
        rows = self._conn.execute(
            select(*IDENT_READ)
            .join(s.group_members, s.group_members.c.group_id == _ident.c.id)
            .where(s.group_members.c.user_id == user_id)
            .order_by(_ident.c.name_key)
        )
        return [group for group in map(identity_of, rows) if isinstance(group, Group)]

    def list_group_members(self, group_id: str) -> list[User]:
        rows = self._conn.execute(
            select(*IDENT_READ)
            .join(s.group_members, s.group_members.c.user_id == _ident.c.id)
            .where(s.group_members.c.group_id == group_id)
            .order_by(_ident.c.name_key)
        )
        return [user for user in map(identity_of, rows) if isinstance(user, User)]


class _FakeRow:
    """Attribute access over a dict, so a freshly inserted row converts like a read one."""

    def __init__(self, values: dict[str, Any]) -> None:
        self.__dict__.update(values)
