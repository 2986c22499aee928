"""IAM policies in SQL: customer managed policies and their versions, inline policies,
attachments, and the policies that apply to a principal (the request path's read)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Row, and_, bindparam, delete, func, insert, select, update

from . import schema as s
from .crypto import new_unique_id
from .interface import Identity, InlinePolicy, ManagedPolicy, NotFound, PolicyVersion, PrincipalPolicies
from .sql_base import QueryBase, iam_arn, now
from .sql_iam import IDENT_READ, identity_of

_ident = s.identities
_pol = s.managed_policies
_ver = s.policy_versions


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


class PolicyQueries(QueryBase):
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
        arn = iam_arn(account_id, "policy", path, name)
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
            select(*IDENT_READ)
            .join(s.attachments, s.attachments.c.owner_id == _ident.c.id)
            .where(s.attachments.c.policy_arn == policy_arn)
            .order_by(_ident.c.kind, _ident.c.name_key)
        )
        return [identity_of(row) for row in rows]

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
