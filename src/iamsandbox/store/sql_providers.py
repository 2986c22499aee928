"""IAM identity providers in SQL: OpenID Connect providers and SAML providers (schema
version 17), keyed by ARN; their tags live in ``tags`` by ARN."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, insert, select, update

from . import schema as s
from .crypto import random_base32
from .interface import OidcProvider, SamlPrivateKey, SamlProvider
from .sql_base import QueryBase, now

_oidc = s.oidc_providers
_saml = s.saml_providers


class ProviderQueries(QueryBase):
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
