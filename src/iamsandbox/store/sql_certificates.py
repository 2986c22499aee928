"""SSH public keys, signing certificates and server certificates in SQL (schema version 8).

A server certificate's private key is sealed (``crypto.SecretBox``) with the certificate's id
as associated data and opened only when read; it is never stored in the clear. SSH keys and
signing certificates are public material, kept as uploaded. None of these changes what a
policy decides (no policy set is about them), so no write bumps the policy generation,
except deleting a server certificate, whose tags go with it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, insert, select, update

from . import schema as s
from .crypto import Secret, new_unique_id, random_base32
from .interface import KeyStatus, ServerCertificate, SigningCertificate, SshPublicKey
from .sql_base import QueryBase, now

_ssh = s.ssh_public_keys
_sign = s.signing_certificates
_server = s.server_certificates


def _server_arn(account_id: str, path: str, name: str) -> str:
    return f"arn:aws:iam::{account_id}:server-certificate{path}{name}"


def _ssh_key(row: Any) -> SshPublicKey:
    return SshPublicKey(
        key_id=row.key_id,
        account_id=row.account_id,
        user_id=row.user_id,
        body=row.body,
        fingerprint=row.fingerprint,
        status=row.status,
        uploaded=row.uploaded,
    )


def _signing(row: Any) -> SigningCertificate:
    return SigningCertificate(
        certificate_id=row.certificate_id,
        account_id=row.account_id,
        user_id=row.user_id,
        body=row.body,
        fingerprint=row.fingerprint,
        status=row.status,
        uploaded=row.uploaded,
    )


class CertificateQueries(QueryBase):
    # --- SSH public keys -----------------------------------------------------------------

    def create_ssh_public_key(self, account_id: str, user_id: str, body: str, fingerprint: str) -> SshPublicKey:
        # "APKA" and 16 upper-case base32 characters, as AWS's SSH public key ids.
        created = SshPublicKey("APKA" + random_base32(16), account_id, user_id, body, fingerprint, "Active", now())
        self._run(
            insert(_ssh).values(
                key_id=created.key_id,
                account_id=account_id,
                user_id=user_id,
                body=body,
                fingerprint=fingerprint,
                status=created.status,
                uploaded=created.uploaded,
            )
        )
        return created

    def get_ssh_public_key(self, key_id: str) -> SshPublicKey | None:
        row = self._one(select(_ssh).where(_ssh.c.key_id == key_id))
        return _ssh_key(row) if row else None

    def list_ssh_public_keys(self, user_id: str) -> list[SshPublicKey]:
        rows = self._conn.execute(
            select(_ssh).where(_ssh.c.user_id == user_id).order_by(_ssh.c.uploaded, _ssh.c.key_id)
        )
        return [_ssh_key(row) for row in rows]

    def set_ssh_public_key_status(self, key_id: str, status: KeyStatus) -> bool:
        return bool(self._run(update(_ssh).where(_ssh.c.key_id == key_id).values(status=status)).rowcount)

    def delete_ssh_public_key(self, key_id: str) -> bool:
        return bool(self._run(delete(_ssh).where(_ssh.c.key_id == key_id)).rowcount)

    # --- signing certificates ------------------------------------------------------------

    def create_signing_certificate(
        self, account_id: str, user_id: str | None, body: str, fingerprint: str
    ) -> SigningCertificate:
        # 32 upper-case base32 characters (the model asks for at least 24; AWS's length is
        # unconfirmed).
        created = SigningCertificate(random_base32(32), account_id, user_id, body, fingerprint, "Active", now())
        self._run(
            insert(_sign).values(
                certificate_id=created.certificate_id,
                account_id=account_id,
                user_id=user_id,
                body=body,
                fingerprint=fingerprint,
                status=created.status,
                uploaded=created.uploaded,
            )
        )
        return created

    def get_signing_certificate(self, certificate_id: str) -> SigningCertificate | None:
        row = self._one(select(_sign).where(_sign.c.certificate_id == certificate_id))
        return _signing(row) if row else None

    def list_signing_certificates(self, account_id: str, user_id: str | None) -> list[SigningCertificate]:
        owner = _sign.c.user_id.is_(None) if user_id is None else _sign.c.user_id == user_id
        rows = self._conn.execute(
            select(_sign)
            .where(_sign.c.account_id == account_id, owner)
            .order_by(_sign.c.uploaded, _sign.c.certificate_id)
        )
        return [_signing(row) for row in rows]

    def find_signing_certificate(self, account_id: str, fingerprint: str) -> SigningCertificate | None:
        row = self._one(select(_sign).where(_sign.c.account_id == account_id, _sign.c.fingerprint == fingerprint))
        return _signing(row) if row else None

    def set_signing_certificate_status(self, certificate_id: str, status: KeyStatus) -> bool:
        result = self._run(update(_sign).where(_sign.c.certificate_id == certificate_id).values(status=status))
        return bool(result.rowcount)

    def delete_signing_certificate(self, certificate_id: str) -> bool:
        return bool(self._run(delete(_sign).where(_sign.c.certificate_id == certificate_id)).rowcount)

    # --- server certificates -------------------------------------------------------------

    def _server_certificate(self, row: Any) -> ServerCertificate:
        return ServerCertificate(
            id=row.id,
            account_id=row.account_id,
            name=row.name,
            path=row.path,
            arn=row.arn,
            body=row.body,
            chain=row.chain,
            private_key=self._box.open_secret(row.private_key, row.id),
            uploaded=row.uploaded,
            expiration=row.expiration,
        )

    def create_server_certificate(
        self,
        account_id: str,
        name: str,
        path: str,
        body: str,
        chain: str | None,
        private_key: Secret,
        expiration: datetime,
    ) -> ServerCertificate:
        created = ServerCertificate(
            id=new_unique_id("ASCA"),
            account_id=account_id,
            name=name,
            path=path,
            arn=_server_arn(account_id, path, name),
            body=body,
            chain=chain,
            private_key=private_key,
            uploaded=now(),
            expiration=expiration,
        )
        self._run(
            insert(_server).values(
                id=created.id,
                account_id=account_id,
                name=name,
                name_key=name.lower(),
                path=path,
                arn=created.arn,
                body=body,
                chain=chain,
                # INVARIANT: the private key is stored sealed, bound to the certificate's id.
                private_key=self._box.seal_secret(private_key, created.id),
                uploaded=created.uploaded,
                expiration=expiration,
            )
        )
        return created

    def get_server_certificate(self, account_id: str, name: str) -> ServerCertificate | None:
        row = self._one(select(_server).where(_server.c.account_id == account_id, _server.c.name_key == name.lower()))
        return self._server_certificate(row) if row else None

    def list_server_certificates(self, account_id: str, path_prefix: str = "/") -> list[ServerCertificate]:
        query = select(_server).where(_server.c.account_id == account_id)
        if path_prefix != "/":
            query = query.where(_server.c.path.startswith(path_prefix, autoescape=True))
        rows = self._conn.execute(query.order_by(_server.c.name_key))
        return [self._server_certificate(row) for row in rows]

    def rename_server_certificate(
        self, certificate_id: str, name: str | None = None, path: str | None = None
    ) -> ServerCertificate | None:
        row = self._one(select(_server).where(_server.c.id == certificate_id))
        if row is None:
            return None
        new_name = row.name if name is None else name
        new_path = row.path if path is None else path
        self._run(
            update(_server)
            .where(_server.c.id == certificate_id)
            .values(
                name=new_name,
                name_key=new_name.lower(),
                path=new_path,
                arn=_server_arn(row.account_id, new_path, new_name),
            )
        )
        found = self._one(select(_server).where(_server.c.id == certificate_id))
        return self._server_certificate(found) if found else None

    def delete_server_certificate(self, certificate_id: str) -> bool:
        """Delete a server certificate and its tags."""
        row = self._one(select(_server.c.account_id).where(_server.c.id == certificate_id))
        if row is None:
            return False
        self._drop_tags(certificate_id)
        self._run(delete(_server).where(_server.c.id == certificate_id))
        self.bump_policy_generation(row.account_id)  # its tags went away with it
        return True
