"""Accounts and IAM in SQL: identities, groups, policies, attachments, instance profiles."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Row, and_, bindparam, delete, func, insert, or_, select, update

from . import schema as s
from .crypto import new_unique_id, random_base32
from .interface import (
    Account,
    Group,
    Identity,
    InlinePolicy,
    InstanceProfile,
    ManagedPolicy,
    NotFound,
    OidcProvider,
    PasswordPolicy,
    PolicyVersion,
    PrincipalPolicies,
    Role,
    SamlPrivateKey,
    SamlProvider,
    ServiceAccess,
    User,
)
from .sql_base import QueryBase, now

_ID_PREFIX = {"user": "AIDA", "group": "AGPA", "role": "AROA"}
_ident = s.identities
_pol = s.managed_policies
_ver = s.policy_versions
_prof = s.instance_profiles
_held = s.instance_profile_roles
_oidc = s.oidc_providers
_saml = s.saml_providers
_seen = s.service_last_accessed


def _arn(account_id: str, kind: str, path: str, name: str) -> str:
    return f"arn:aws:iam::{account_id}:{kind}{path}{name}"


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


def _identity(row: Any) -> Identity:
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


def _version(row: Any) -> PolicyVersion:
    return PolicyVersion(
        policy_id=row.policy_id,
        policy_arn=row.arn,
        version_id=row.version_id,
        document=row.document,
        created=row.created,
        is_default=row.version_id == row.default_version,
    )


_VERSION_COLUMNS = (
    _ver.c.policy_id,
    _pol.c.arn,
    _ver.c.version_id,
    _ver.c.document,
    _ver.c.created,
    _pol.c.default_version,
)


# Request-path statements, built once (see sql_base).
# When a password was last used (version 14) is read on its own (``passwords_last_used``),
# by the few operations that answer it: the identity and account reads, which the request
# path makes, leave it out.
_IDENT_READ = [column for column in _ident.c if column.name != "password_last_used"]
_ACCOUNT_READ = [column for column in s.accounts.c if column.name != "root_password_last_used"]
_ROLE_BY_ARN = select(*_IDENT_READ).where(_ident.c.arn == bindparam("arn"), _ident.c.kind == "role")
_IDENTITY_BY_ID = select(*_IDENT_READ).where(_ident.c.id == bindparam("id"))
_IDENTITY_BY_NAME = select(*_IDENT_READ).where(
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
_INSERT_IDENTITY = insert(_ident).values({column.name: bindparam(column.name) for column in _IDENT_READ})
_GROUPS_OF = (
    select(s.group_members.c.group_id)
    .where(s.group_members.c.user_id == bindparam("id"))
    .order_by(s.group_members.c.group_id)
)
_ATTACHED_TO = select(s.attachments.c.owner_id, s.attachments.c.policy_arn, s.attachments.c.seq).where(
    s.attachments.c.owner_id.in_(bindparam("owners", expanding=True))
)
_INLINE_OF = select(s.inline_policies).where(s.inline_policies.c.owner_id.in_(bindparam("owners", expanding=True)))
_DEFAULT_VERSIONS = (
    select(*_VERSION_COLUMNS)
    .join(_pol, and_(_pol.c.id == _ver.c.policy_id, _pol.c.default_version == _ver.c.version_id))
    .where(_pol.c.arn.in_(bindparam("arns", expanding=True)))
)


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
            "arn": _arn(account_id, kind, path, name),
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
        return _identity(_FakeRow(values))

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
        return _identity(row) if row else None

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
        found = _identity(row) if row else None
        return found if isinstance(found, Role) else None

    def get_identity(self, identity_id: str) -> Identity | None:
        return self._memo(("identity", identity_id), lambda: self._read_identity(identity_id))

    def _read_identity(self, identity_id: str) -> Identity | None:
        row = self._fetch_first(_IDENTITY_BY_ID, {"id": identity_id}, cache=False)
        return _identity(row) if row else None

    def _list(self, kind: str, account_id: str, path_prefix: str) -> list[Identity]:
        query = select(*_IDENT_READ).where(_ident.c.account_id == account_id, _ident.c.kind == kind)
        if path_prefix != "/":
            query = query.where(_ident.c.path.startswith(path_prefix, autoescape=True))
        return [_identity(row) for row in self._conn.execute(query.order_by(_ident.c.name_key))]

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
                arn=_arn(current.account_id, kind, new_path, new_name),
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

    def _account_of(self, identity_id: str) -> str:
        account_id = self._conn.execute(select(_ident.c.account_id).where(_ident.c.id == identity_id)).scalar()
        if account_id is None:
            raise NotFound(f"identity {identity_id}")
        return str(account_id)

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
            select(*_IDENT_READ)
            .join(s.group_members, s.group_members.c.group_id == _ident.c.id)
            .where(s.group_members.c.user_id == user_id)
            .order_by(_ident.c.name_key)
        )
        return [group for group in map(_identity, rows) if isinstance(group, Group)]

    def list_group_members(self, group_id: str) -> list[User]:
        rows = self._conn.execute(
            select(*_IDENT_READ)
            .join(s.group_members, s.group_members.c.user_id == _ident.c.id)
            .where(s.group_members.c.group_id == group_id)
            .order_by(_ident.c.name_key)
        )
        return [user for user in map(_identity, rows) if isinstance(user, User)]

    # --- managed policies --------------------------------------------------------------

    def _policy_query(self) -> Any:
        versions = select(func.count()).select_from(_ver).where(_ver.c.policy_id == _pol.c.id).scalar_subquery()
        attached = (
            select(func.count())
            .select_from(s.attachments)
            .where(s.attachments.c.policy_arn == _pol.c.arn)
            .scalar_subquery()
        )
        return select(_pol, versions.label("version_count"), attached.label("attachment_count"))

    @staticmethod
    def _policy(row: Row[Any]) -> ManagedPolicy:
        return ManagedPolicy(
            id=row.id,
            account_id=row.account_id,
            arn=row.arn,
            name=row.name,
            path=row.path,
            description=row.description,
            default_version_id=row.default_version,
            created=row.created,
            updated=row.updated,
            version_count=int(row.version_count),
            attachment_count=int(row.attachment_count),
        )

    def create_policy(
        self, account_id: str, name: str, document: str, path: str = "/", description: str | None = None
    ) -> ManagedPolicy:
        policy_id = new_unique_id("ANPA")
        created = now()
        arn = _arn(account_id, "policy", path, name)
        self._run(
            insert(_pol).values(
                id=policy_id,
                account_id=account_id,
                arn=arn,
                name=name,
                name_key=name.lower(),
                path=path,
                description=description,
                default_version="v1",
                next_version=2,
                created=created,
                updated=created,
            )
        )
        self._run(insert(_ver).values(policy_id=policy_id, version_id="v1", document=document, created=created))
        self.bump_policy_generation(account_id)
        return ManagedPolicy(
            id=policy_id,
            account_id=account_id,
            arn=arn,
            name=name,
            path=path,
            description=description,
            default_version_id="v1",
            created=created,
            updated=created,
        )

    def get_policy(self, arn: str) -> ManagedPolicy | None:
        row = self._one(self._policy_query().where(_pol.c.arn == arn))
        return self._policy(row) if row else None

    def list_policies(self, account_id: str, path_prefix: str = "/") -> list[ManagedPolicy]:
        query = self._policy_query().where(_pol.c.account_id == account_id)
        if path_prefix != "/":
            query = query.where(_pol.c.path.startswith(path_prefix, autoescape=True))
        return [self._policy(row) for row in self._conn.execute(query.order_by(_pol.c.name_key))]

    def delete_policy(self, arn: str) -> bool:
        row = self._one(select(_pol.c.id, _pol.c.account_id).where(_pol.c.arn == arn))
        if row is None:
            return False
        self._run(delete(_ver).where(_ver.c.policy_id == row.id))
        self._drop_tags(row.id)
        self._run(delete(_pol).where(_pol.c.id == row.id))
        self.bump_policy_generation(row.account_id)
        return True

    def create_policy_version(self, arn: str, document: str, set_as_default: bool) -> PolicyVersion:
        """A new version ``v<next>``; the store does not count: the service checks
        ``version_count`` against AWS's five first (``LimitExceeded``)."""
        # FOR UPDATE (PostgreSQL) serializes two writers allocating version numbers.
        row = self._one(
            select(_pol.c.id, _pol.c.account_id, _pol.c.next_version, _pol.c.default_version)
            .where(_pol.c.arn == arn)
            .with_for_update()
        )
        if row is None:
            raise NotFound(f"policy {arn}")
        version_id = f"v{row.next_version}"
        created = now()
        self._run(insert(_ver).values(policy_id=row.id, version_id=version_id, document=document, created=created))
        values: dict[str, Any] = {"next_version": row.next_version + 1, "updated": created}
        if set_as_default:
            values["default_version"] = version_id
        self._run(update(_pol).where(_pol.c.id == row.id).values(**values))
        if set_as_default:
            self.bump_policy_generation(row.account_id)
        return PolicyVersion(
            policy_id=row.id,
            policy_arn=arn,
            version_id=version_id,
            document=document,
            created=created,
            is_default=set_as_default,
        )

    def get_policy_version(self, arn: str, version_id: str) -> PolicyVersion | None:
        row = self._one(
            select(*_VERSION_COLUMNS)
            .join(_pol, _pol.c.id == _ver.c.policy_id)
            .where(_pol.c.arn == arn, _ver.c.version_id == version_id)
        )
        return _version(row) if row else None

    def list_policy_versions(self, arn: str) -> list[PolicyVersion]:
        rows = self._conn.execute(
            select(*_VERSION_COLUMNS)
            .join(_pol, _pol.c.id == _ver.c.policy_id)
            .where(_pol.c.arn == arn)
            .order_by(_ver.c.created.desc(), func.length(_ver.c.version_id).desc(), _ver.c.version_id.desc())
        )
        return [_version(row) for row in rows]

    def set_default_policy_version(self, arn: str, version_id: str) -> bool:
        version = self.get_policy_version(arn, version_id)
        if version is None:
            return False
        # UpdateDate stays: "When a policy has more than one version, this field contains the
        # date and time when the most recent policy version was created" (Policy, IAM API
        # reference); switching the default creates none.
        result = self._run(update(_pol).where(_pol.c.arn == arn).values(default_version=version_id))
        account = self._conn.execute(select(_pol.c.account_id).where(_pol.c.arn == arn)).scalar_one()
        self.bump_policy_generation(account)
        return bool(result.rowcount)

    def delete_policy_version(self, arn: str, version_id: str) -> bool:
        """Delete a version; the service refuses the default one first (DeleteConflict)."""
        policy = self._one(select(_pol.c.id, _pol.c.created).where(_pol.c.arn == arn))
        if policy is None:
            return False
        result = self._run(delete(_ver).where(_ver.c.policy_id == policy.id, _ver.c.version_id == version_id))
        if not result.rowcount:
            return False
        # UpdateDate follows the versions left: "When a policy has only one version, this
        # field contains the date and time when the policy was created. When a policy has
        # more than one version, this field contains the date and time when the most recent
        # policy version was created" (Policy, IAM API reference).
        left = self._one(
            select(func.count().label("versions"), func.max(_ver.c.created).label("newest"))
            .select_from(_ver)
            .where(_ver.c.policy_id == policy.id)
        )
        assert left is not None  # an aggregate always has its row
        updated = policy.created if left.versions <= 1 or left.newest is None else left.newest
        self._run(update(_pol).where(_pol.c.id == policy.id).values(updated=updated))
        return True

    def default_policy_versions(self, arns: Sequence[str]) -> dict[str, PolicyVersion]:
        """The default version of each customer managed policy named (one query); ARNs
        that are not customer managed policies (AWS managed ones) are left out."""
        if not arns:
            return {}
        rows = self._conn.execute(_DEFAULT_VERSIONS, {"arns": list(arns)})
        return {row.arn: _version(row) for row in rows}

    # --- inline policies and attachments ---------------------------------------------------

    def put_inline_policy(self, owner_id: str, name: str, document: str) -> None:
        account_id = self._account_of(owner_id)
        table = s.inline_policies
        result = self._run(
            update(table).where(table.c.owner_id == owner_id, table.c.name == name).values(document=document)
        )
        if result.rowcount == 0:
            self._run(insert(table).values(owner_id=owner_id, name=name, document=document))
        self.bump_policy_generation(account_id)

    def get_inline_policy(self, owner_id: str, name: str) -> InlinePolicy | None:
        table = s.inline_policies
        row = self._one(select(table).where(table.c.owner_id == owner_id, table.c.name == name))
        return InlinePolicy(row.owner_id, row.name, row.document) if row else None

    def list_inline_policies(self, owner_id: str) -> list[InlinePolicy]:
        table = s.inline_policies
        rows = self._conn.execute(select(table).where(table.c.owner_id == owner_id).order_by(table.c.name))
        return [InlinePolicy(row.owner_id, row.name, row.document) for row in rows]

    def delete_inline_policy(self, owner_id: str, name: str) -> bool:
        table = s.inline_policies
        result = self._run(delete(table).where(table.c.owner_id == owner_id, table.c.name == name))
        if result.rowcount:
            self.bump_policy_generation(self._account_of(owner_id))
        return bool(result.rowcount)

    def attach_policy(self, owner_id: str, policy_arn: str) -> bool:
        table = s.attachments
        seqs = self._conn.execute(select(func.max(table.c.seq)).where(table.c.owner_id == owner_id)).scalar()
        exists = self._one(select(table.c.seq).where(table.c.owner_id == owner_id, table.c.policy_arn == policy_arn))
        if exists:
            return False
        self._run(insert(table).values(owner_id=owner_id, policy_arn=policy_arn, seq=(seqs or 0) + 1))
        self.bump_policy_generation(self._account_of(owner_id))
        return True

    def detach_policy(self, owner_id: str, policy_arn: str) -> bool:
        table = s.attachments
        result = self._run(delete(table).where(table.c.owner_id == owner_id, table.c.policy_arn == policy_arn))
        if result.rowcount:
            self.bump_policy_generation(self._account_of(owner_id))
        return bool(result.rowcount)

    def list_attached_policies(self, owner_id: str) -> list[str]:
        table = s.attachments
        rows = self._conn.execute(select(table.c.policy_arn).where(table.c.owner_id == owner_id).order_by(table.c.seq))
        return [row.policy_arn for row in rows]

    def list_entities_for_policy(self, policy_arn: str) -> list[Identity]:
        rows = self._conn.execute(
            select(*_IDENT_READ)
            .join(s.attachments, s.attachments.c.owner_id == _ident.c.id)
            .where(s.attachments.c.policy_arn == policy_arn)
            .order_by(_ident.c.kind, _ident.c.name_key)
        )
        return [_identity(row) for row in rows]

    def principal_policies(self, identity_id: str) -> PrincipalPolicies:
        """The policies that apply to a user (with its groups') or role: two queries."""
        group_ids = tuple(row.group_id for row in self._fetch(_GROUPS_OF, {"id": identity_id}))
        owners = [identity_id, *group_ids]
        rank = {owner: i for i, owner in enumerate(owners)}
        attached = self._conn.execute(_ATTACHED_TO, {"owners": owners}).all()
        attached = sorted(attached, key=lambda row: (rank[row.owner_id], row.seq))
        inline = self._conn.execute(_INLINE_OF, {"owners": owners}).all()
        inline = sorted(inline, key=lambda row: (rank[row.owner_id], row.name))
        return PrincipalPolicies(
            attached_arns=tuple(dict.fromkeys(row.policy_arn for row in attached)),
            inline=tuple(InlinePolicy(row.owner_id, row.name, row.document) for row in inline),
            group_ids=group_ids,
        )

    # --- instance profiles -------------------------------------------------------------

    def create_instance_profile(self, account_id: str, name: str, path: str = "/") -> InstanceProfile:
        created = InstanceProfile(
            id=new_unique_id("AIPA"),
            account_id=account_id,
            name=name,
            path=path,
            arn=_arn(account_id, "instance-profile", path, name),
            created=now(),
        )
        self._run(
            insert(_prof).values(
                id=created.id,
                account_id=account_id,
                name=name,
                name_key=name.lower(),
                path=path,
                arn=created.arn,
                created=created.created,
            )
        )
        # No policy generation bump: no policy set is about an instance profile.
        return created

    def get_instance_profile(self, account_id: str, name: str) -> InstanceProfile | None:
        row = self._one(select(_prof).where(_prof.c.account_id == account_id, _prof.c.name_key == name.lower()))
        return self._instance_profiles([row])[0] if row else None

    def list_instance_profiles(self, account_id: str, path_prefix: str = "/") -> list[InstanceProfile]:
        query = select(_prof).where(_prof.c.account_id == account_id)
        if path_prefix != "/":
            query = query.where(_prof.c.path.startswith(path_prefix, autoescape=True))
        return self._instance_profiles(self._conn.execute(query.order_by(_prof.c.name_key)).all())

    def list_instance_profiles_for_role(self, role_id: str) -> list[InstanceProfile]:
        rows = self._conn.execute(
            select(_prof)
            .join(_held, _held.c.profile_id == _prof.c.id)
            .where(_held.c.role_id == role_id)
            .order_by(_prof.c.name_key)
        ).all()
        return self._instance_profiles(rows)

    def count_instance_profiles(self, account_id: str) -> int:
        query = select(func.count()).select_from(_prof).where(_prof.c.account_id == account_id)
        return int(self._conn.execute(query).scalar_one())

    def add_role_to_instance_profile(self, profile_id: str, role_id: str) -> bool:
        """Whether the pair is new; the service decides AWS's one-role limit first."""
        exists = self._one(select(_held.c.role_id).where(_held.c.profile_id == profile_id, _held.c.role_id == role_id))
        if exists:
            return False
        self._run(insert(_held).values(profile_id=profile_id, role_id=role_id))
        return True

    def remove_role_from_instance_profile(self, profile_id: str, role_id: str) -> bool:
        result = self._run(delete(_held).where(_held.c.profile_id == profile_id, _held.c.role_id == role_id))
        return bool(result.rowcount)

    def delete_instance_profile(self, profile_id: str) -> bool:
        """Delete a profile and its tags; one that still holds a role is a ``Conflict``
        (the reference from ``instance_profile_roles``), as AWS answers DeleteConflict."""
        row = self._one(select(_prof.c.account_id).where(_prof.c.id == profile_id))
        if row is None:
            return False
        self._drop_tags(profile_id)
        self._run(delete(_prof).where(_prof.c.id == profile_id))
        self.bump_policy_generation(row.account_id)  # its tags went away with it
        return True

    def _instance_profiles(self, rows: Sequence[Any]) -> list[InstanceProfile]:
        """Rows of ``instance_profiles`` as values, with their roles (one more query)."""
        if not rows:
            return []
        held: dict[str, list[str]] = {}
        pairs = self._conn.execute(
            select(_held.c.profile_id, _held.c.role_id)
            .where(_held.c.profile_id.in_([row.id for row in rows]))
            .order_by(_held.c.role_id)
        )
        for pair in pairs:
            held.setdefault(pair.profile_id, []).append(pair.role_id)
        return [
            InstanceProfile(
                id=row.id,
                account_id=row.account_id,
                name=row.name,
                path=row.path,
                arn=row.arn,
                created=row.created,
                role_ids=tuple(held.get(row.id, ())),
            )
            for row in rows
        ]

    # --- OpenID Connect providers ---------------------------------------------------------

    def create_oidc_provider(
        self, account_id: str, arn: str, url: str, client_ids: Sequence[str], thumbprints: Sequence[str]
    ) -> OidcProvider:
        created = OidcProvider(arn, account_id, url, tuple(client_ids), tuple(thumbprints), now())
        self._run(
            insert(_oidc).values(
                arn=arn,
                account_id=account_id,
                url=url,
                client_ids=json.dumps(list(client_ids)),
                thumbprints=json.dumps(list(thumbprints)),
                created=created.created,
            )
        )
        # A new provider changes what a trust policy naming it decides: the provider is
        # read per request (not cached), so no generation bump is needed.
        return created

    def get_oidc_provider(self, arn: str) -> OidcProvider | None:
        row = self._one(select(_oidc).where(_oidc.c.arn == arn))
        return _oidc_provider(row) if row else None

    def list_oidc_providers(self, account_id: str) -> list[OidcProvider]:
        rows = self._conn.execute(select(_oidc).where(_oidc.c.account_id == account_id).order_by(_oidc.c.arn))
        return [_oidc_provider(row) for row in rows]

    def update_oidc_provider(
        self, arn: str, client_ids: Sequence[str] | None = None, thumbprints: Sequence[str] | None = None
    ) -> bool:
        values: dict[str, str] = {}
        if client_ids is not None:
            values["client_ids"] = json.dumps(list(client_ids))
        if thumbprints is not None:
            values["thumbprints"] = json.dumps(list(thumbprints))
        if not values:
            return self.get_oidc_provider(arn) is not None
        return bool(self._run(update(_oidc).where(_oidc.c.arn == arn).values(**values)).rowcount)

    def delete_oidc_provider(self, arn: str) -> bool:
        return self._delete_provider(_oidc, arn)

    def _delete_provider(self, table: Any, arn: str) -> bool:
        """Delete an identity provider (OIDC or SAML, keyed by ARN) and its tags."""
        row = self._one(select(table.c.account_id).where(table.c.arn == arn))
        if row is None:
            return False
        self._drop_tags(arn)
        self._run(delete(table).where(table.c.arn == arn))
        self.bump_policy_generation(row.account_id)  # its tags went away with it
        return True

    # --- SAML providers (schema version 17; their tags live in ``tags`` by ARN) -------------

    def create_saml_provider(
        self,
        account_id: str,
        arn: str,
        metadata: str,
        valid_until: datetime | None,
        encryption_mode: str,
        private_keys: Sequence[SamlPrivateKey],
    ) -> SamlProvider:
        # SAMLProviderUUID: 22 to 64 characters of [A-Z0-9] (the model's privateKeyIdType).
        created = SamlProvider(
            arn, account_id, random_base32(26), metadata, valid_until, encryption_mode, tuple(private_keys), now()
        )
        values = _saml_values(created)
        self._run(
            insert(_saml).values(**values, arn=arn, account_id=account_id, uuid=created.uuid, created=created.created)
        )
        return created

    def get_saml_provider(self, arn: str) -> SamlProvider | None:
        row = self._one(select(_saml).where(_saml.c.arn == arn))
        return _saml_provider(row) if row else None

    def list_saml_providers(self, account_id: str) -> list[SamlProvider]:
        rows = self._conn.execute(select(_saml).where(_saml.c.account_id == account_id).order_by(_saml.c.arn))
        return [_saml_provider(row) for row in rows]

    def count_saml_providers(self, account_id: str) -> int:
        statement = select(func.count()).select_from(_saml).where(_saml.c.account_id == account_id)
        return int(self._conn.execute(statement).scalar_one())

    def update_saml_provider(self, provider: SamlProvider) -> bool:
        statement = update(_saml).where(_saml.c.arn == provider.arn).values(**_saml_values(provider))
        return bool(self._run(statement).rowcount)

    def delete_saml_provider(self, arn: str) -> bool:
        return self._delete_provider(_saml, arn)


def _oidc_provider(row: Any) -> OidcProvider:
    return OidcProvider(
        arn=row.arn,
        account_id=row.account_id,
        url=row.url,
        client_ids=tuple(json.loads(row.client_ids)),
        thumbprints=tuple(json.loads(row.thumbprints)),
        created=row.created,
    )


def _saml_values(provider: SamlProvider) -> dict[str, Any]:
    """The columns an update writes (a create writes the ARN, account, UUID and date too)."""
    keys = [[key.key_id, key.uploaded.isoformat()] for key in provider.private_keys]
    return {
        "document": provider.metadata,
        "valid_until": provider.valid_until,
        "encryption_mode": provider.encryption_mode,
        "private_keys": json.dumps(keys),
    }


def _saml_provider(row: Any) -> SamlProvider:
    return SamlProvider(
        arn=row.arn,
        account_id=row.account_id,
        uuid=row.uuid,
        metadata=row.document,
        valid_until=row.valid_until,
        encryption_mode=row.encryption_mode,
        private_keys=tuple(
            SamlPrivateKey(key_id, datetime.fromisoformat(when)) for key_id, when in json.loads(row.private_keys)
        ),
        created=row.created,
    )


class _FakeRow:
    """Attribute access over a dict, so a freshly inserted row converts like a read one."""

    def __init__(self, values: dict[str, Any]) -> None:
        self.__dict__.update(values)
