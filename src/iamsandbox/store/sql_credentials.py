"""Credentials in SQL: access keys, login profiles, virtual MFA devices, service-specific
credentials.

Secret access keys, MFA seeds and service-specific credentials' passwords are sealed
(``crypto.SecretBox``) with the row's key id, serial number or credential id as associated
data; they are opened only when read. A login profile keeps
when its password was set and the hashes of the earlier ones (never a password), for the
account password policy's MaxPasswordAge and PasswordReusePrevention.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import Row, bindparam, delete, insert, or_, select, update

from . import schema as s
from .crypto import Secret, new_access_key_id, new_secret_access_key, random_base32
from .interface import (
    PREVIOUS_PASSWORDS_KEPT,
    AccessKey,
    KeyStatus,
    LoginProfile,
    MfaDevice,
    ServiceSpecificCredential,
)
from .sql_base import QueryBase, iam_arn, now

# Request-path statement, built once (see sql_base).
_KEY_BY_ID = select(s.access_keys).where(s.access_keys.c.access_key_id == bindparam("key_id"))
_ssc = s.service_specific_credentials


def _hashes(stored: str | None) -> list[str]:
    """The stored JSON list of earlier password hashes."""
    if not stored:
        return []
    loaded = json.loads(stored)
    assert isinstance(loaded, list)
    return [str(item) for item in loaded]


class CredentialQueries(QueryBase):
    # --- access keys -------------------------------------------------------------------

    def _access_key(self, row: Any) -> AccessKey:
        return AccessKey(
            access_key_id=row.access_key_id,
            account_id=row.account_id,
            user_id=row.user_id,
            secret=self._box.open_secret(row.secret, row.access_key_id),
            status=row.status,
            created=row.created,
            last_used=row.last_used,
            last_used_service=row.last_used_service,
            last_used_region=row.last_used_region,
        )

    def create_access_key(self, account_id: str, user_id: str | None) -> AccessKey:
        key_id = new_access_key_id("AKIA", account_id)
        secret = new_secret_access_key()
        created = now()
        self._run(
            insert(s.access_keys).values(
                access_key_id=key_id,
                account_id=account_id,
                user_id=user_id,
                # INVARIANT: the secret is stored sealed, bound to its key id.
                secret=self._box.seal_secret(secret, key_id),
                status="Active",
                created=created,
            )
        )
        return AccessKey(key_id, account_id, user_id, secret, "Active", created)

    def get_access_key(self, access_key_id: str) -> AccessKey | None:
        return self._memo(("access_key", access_key_id), lambda: self._read_access_key(access_key_id))

    def _read_access_key(self, access_key_id: str) -> AccessKey | None:
        row = self._fetch_first(_KEY_BY_ID, {"key_id": access_key_id}, cache=False)
        return self._access_key(row) if row else None

    def list_access_keys(self, account_id: str, user_id: str | None) -> list[AccessKey]:
        table = s.access_keys
        owner = table.c.user_id.is_(None) if user_id is None else table.c.user_id == user_id
        rows = self._conn.execute(
            select(table).where(table.c.account_id == account_id, owner).order_by(table.c.created)
        )
        return [self._access_key(row) for row in rows]

    def set_access_key_status(self, access_key_id: str, status: KeyStatus) -> bool:
        table = s.access_keys
        result = self._run(update(table).where(table.c.access_key_id == access_key_id).values(status=status))
        return bool(result.rowcount)

    def record_access_key_used(self, access_key_id: str, when: datetime, service: str, region: str) -> None:
        table = s.access_keys
        self._run(
            update(table)
            .where(table.c.access_key_id == access_key_id)
            .values(last_used=when, last_used_service=service, last_used_region=region)
        )

    def delete_access_key(self, access_key_id: str) -> bool:
        table = s.access_keys
        return bool(self._run(delete(table).where(table.c.access_key_id == access_key_id)).rowcount)

    # --- login profiles ------------------------------------------------------------------

    def set_login_profile(
        self, user_id: str, password_hash: str, reset_required: bool, when: datetime | None = None
    ) -> None:
        """Create the profile, or update it. A hash other than the stored one is a new
        password: it is dated ``when`` (default now) and the old hash joins the history."""
        table = s.login_profiles
        when = when or now()
        row = self._one(select(table.c.password_hash, table.c.previous_passwords).where(table.c.user_id == user_id))
        if row is None:
            self._run(
                insert(table).values(
                    user_id=user_id,
                    password_hash=password_hash,
                    reset_required=reset_required,
                    created=when,
                    password_changed=when,
                )
            )
            return
        values: dict[str, Any] = {"reset_required": reset_required}
        if password_hash != row.password_hash:
            history = [row.password_hash, *_hashes(row.previous_passwords)][:PREVIOUS_PASSWORDS_KEPT]
            values.update(
                password_hash=password_hash,
                password_changed=when,
                previous_passwords=json.dumps(history, separators=(",", ":")),
            )
        self._run(update(table).where(table.c.user_id == user_id).values(**values))

    def get_login_profile(self, user_id: str) -> LoginProfile | None:
        table = s.login_profiles
        row = self._one(select(table).where(table.c.user_id == user_id))
        if row is None:
            return None
        return LoginProfile(
            row.user_id,
            row.password_hash,
            bool(row.reset_required),
            row.created,
            password_changed=row.password_changed or row.created,
            previous_hashes=tuple(_hashes(row.previous_passwords)),
        )

    def delete_login_profile(self, user_id: str) -> bool:
        table = s.login_profiles
        return bool(self._run(delete(table).where(table.c.user_id == user_id)).rowcount)

    # --- virtual MFA devices ---------------------------------------------------------------

    def _mfa(self, row: Row[Any]) -> MfaDevice:
        return MfaDevice(
            serial_number=row.serial_number,
            account_id=row.account_id,
            name=row.name,
            path=row.path,
            seed=self._box.open_secret(row.seed, row.serial_number),
            created=row.created,
            user_id=row.user_id,
            enabled=row.enabled,
            last_counter=row.last_counter,
        )

    def create_mfa_device(self, account_id: str, name: str, seed: Secret, path: str = "/") -> MfaDevice:
        serial = iam_arn(account_id, "mfa", path, name)
        created = now()
        self._run(
            insert(s.mfa_devices).values(
                serial_number=serial,
                account_id=account_id,
                name=name,
                name_key=name.lower(),
                path=path,
                # INVARIANT: the seed is stored sealed, bound to its serial number.
                seed=self._box.seal_secret(seed, serial),
                created=created,
            )
        )
        return MfaDevice(serial, account_id, name, path, seed, created)

    def get_mfa_device(self, serial_number: str) -> MfaDevice | None:
        table = s.mfa_devices
        row = self._one(select(table).where(table.c.serial_number == serial_number))
        return self._mfa(row) if row else None

    def list_mfa_devices(self, account_id: str) -> list[MfaDevice]:
        table = s.mfa_devices
        rows = self._conn.execute(select(table).where(table.c.account_id == account_id).order_by(table.c.name_key))
        return [self._mfa(row) for row in rows]

    def enable_mfa_device(self, serial_number: str, user_id: str | None, when: datetime) -> bool:
        """Assign the device to a user (or, with None, the root user) if it is free."""
        table = s.mfa_devices
        result = self._run(
            update(table)
            .where(table.c.serial_number == serial_number, table.c.enabled.is_(None))
            .values(user_id=user_id, enabled=when)
        )
        return bool(result.rowcount)

    def disable_mfa_device(self, serial_number: str) -> bool:
        table = s.mfa_devices
        result = self._run(
            update(table)
            .where(table.c.serial_number == serial_number, table.c.enabled.is_not(None))
            .values(user_id=None, enabled=None, last_counter=None)
        )
        return bool(result.rowcount)

    def accept_mfa_counter(self, serial_number: str, counter: int) -> bool:
        """Record a TOTP time step as used, atomically; False if it (or a later one) was
        already used, so a code is accepted once."""
        table = s.mfa_devices
        result = self._run(
            update(table)
            .where(
                table.c.serial_number == serial_number,
                or_(table.c.last_counter.is_(None), table.c.last_counter < counter),
            )
            .values(last_counter=counter)
        )
        return bool(result.rowcount)

    def delete_mfa_device(self, serial_number: str) -> bool:
        table = s.mfa_devices
        self._drop_tags(serial_number)
        return bool(self._run(delete(table).where(table.c.serial_number == serial_number)).rowcount)

    # --- service-specific credentials ------------------------------------------------------

    def _service_credential(self, row: Row[Any]) -> ServiceSpecificCredential:
        return ServiceSpecificCredential(
            credential_id=row.credential_id,
            account_id=row.account_id,
            user_id=row.user_id,
            service_name=row.service_name,
            service_user_name=row.service_user_name,
            password=self._box.open_secret(row.password, row.credential_id),
            status=row.status,
            created=row.created,
        )

    def create_service_specific_credential(
        self, account_id: str, user_id: str, service_name: str, service_user_name: str, password: Secret
    ) -> ServiceSpecificCredential:
        # "ACCA" and 17 upper-case base32 characters, as AWS's ids (ACCAQFODXMPL4YFHP7DZE in
        # the AWS CLI's list-service-specific-credentials example), IAM's unique ids' length.
        created = ServiceSpecificCredential(
            "ACCA" + random_base32(17), account_id, user_id, service_name, service_user_name, password, "Active", now()
        )
        self._run(
            insert(_ssc).values(
                credential_id=created.credential_id,
                account_id=account_id,
                user_id=user_id,
                service_name=service_name,
                service_user_name=service_user_name,
                # INVARIANT: the password is stored sealed, bound to its credential id.
                password=self._box.seal_secret(password, created.credential_id),
                status=created.status,
                created=created.created,
            )
        )
        return created

    def get_service_specific_credential(self, credential_id: str) -> ServiceSpecificCredential | None:
        row = self._one(select(_ssc).where(_ssc.c.credential_id == credential_id))
        return self._service_credential(row) if row else None

    def list_service_specific_credentials(
        self, account_id: str, user_id: str | None = None, service_name: str | None = None
    ) -> list[ServiceSpecificCredential]:
        query = select(_ssc).where(_ssc.c.account_id == account_id)
        if user_id is not None:
            query = query.where(_ssc.c.user_id == user_id)
        if service_name is not None:
            query = query.where(_ssc.c.service_name == service_name)
        rows = self._conn.execute(query.order_by(_ssc.c.created, _ssc.c.credential_id))
        return [self._service_credential(row) for row in rows]

    def set_service_specific_credential_status(self, credential_id: str, status: KeyStatus) -> bool:
        result = self._run(update(_ssc).where(_ssc.c.credential_id == credential_id).values(status=status))
        return bool(result.rowcount)

    def reset_service_specific_credential(self, credential_id: str, password: Secret) -> bool:
        sealed = self._box.seal_secret(password, credential_id)
        result = self._run(update(_ssc).where(_ssc.c.credential_id == credential_id).values(password=sealed))
        return bool(result.rowcount)

    def delete_service_specific_credential(self, credential_id: str) -> bool:
        return bool(self._run(delete(_ssc).where(_ssc.c.credential_id == credential_id)).rowcount)
