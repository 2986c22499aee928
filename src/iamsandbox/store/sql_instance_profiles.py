"""IAM instance profiles in SQL, and the roles they hold."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import delete, func, insert, select

from . import schema as s
from .crypto import new_unique_id
from .interface import InstanceProfile
from .sql_base import QueryBase, iam_arn, now

_prof = s.instance_profiles
_held = s.instance_profile_roles


class InstanceProfileQueries(QueryBase):
    # --- instance profiles -------------------------------------------------------------

    def create_instance_profile(self, account_id: str, name: str, path: str = "/") -> InstanceProfile:
        created = InstanceProfile(
            id=new_unique_id("AIPA"),
            account_id=account_id,
            name=name,
            path=path,
            arn=iam_arn(account_id, "instance-profile", path, name),
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
