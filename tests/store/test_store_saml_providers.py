"""IAM SAML providers in the store (schema version 17), on every backend; a database of
version 16 upgrades with its OIDC providers intact.

What is stored is what the IAM API reference's SAML provider operations answer: one provider
per ARN (``arn:aws:iam::ACCOUNT:saml-provider/NAME``, so one per name in an account), its
SAMLProviderUUID, the metadata document as uploaded (up to 10,000,000 characters), the
metadata's validUntil, AssertionEncryptionMode and the private keys' ids and upload times
(GetSAMLProvider's PrivateKeyList); its tags by ARN, gone with it.
"""

from __future__ import annotations

import dataclasses
import re
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from store_harness import ACCOUNT, OTHER, Database

from iamsandbox.store import Conflict, SqlStore
from iamsandbox.store.interface import SamlPrivateKey

ARN = f"arn:aws:iam::{ACCOUNT}:saml-provider/ExampleCorpIdP"
DOCUMENT = '<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata"/>' + " " * 1000


def test_a_version_16_database_upgrades_and_keeps_its_oidc_providers(database: Database) -> None:
    old = database.open(target_version=16)
    try:
        with old.transaction() as tx:
            tx.create_account(ACCOUNT, "from version 16")
            tx.create_oidc_provider(
                ACCOUNT, f"arn:aws:iam::{ACCOUNT}:oidc-provider/token.example.com", "token.example.com", ["a"], []
            )
    finally:
        old.close()
    engine = database.raw()
    assert not sa.inspect(engine).has_table("saml_providers")
    engine.dispose()

    new = database.open()
    try:
        assert new.schema_version() >= 17
        with new.transaction() as tx:
            assert [p.url for p in tx.list_oidc_providers(ACCOUNT)] == ["token.example.com"]
            tx.create_saml_provider(ACCOUNT, ARN, DOCUMENT, None, "Allowed", ())
            assert [p.arn for p in tx.list_saml_providers(ACCOUNT)] == [ARN]
    finally:
        new.close()


def test_create_get_list_update_delete(accounts: SqlStore) -> None:
    until = datetime(2031, 6, 30, 12, 0, tzinfo=UTC)
    key = SamlPrivateKey("K" * 26, datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC))
    big = DOCUMENT + "x" * 2_000_000  # documents run to megabytes (the model allows 10,000,000)
    with accounts.transaction() as tx:
        created = tx.create_saml_provider(ACCOUNT, ARN, big, until, "Required", (key,))
        tx.create_saml_provider(ACCOUNT, f"arn:aws:iam::{ACCOUNT}:saml-provider/Azure", DOCUMENT, None, "Allowed", ())
        tx.create_saml_provider(OTHER, f"arn:aws:iam::{OTHER}:saml-provider/Other", DOCUMENT, None, "Allowed", ())
    assert re.fullmatch(r"[A-Z0-9]{22,64}", created.uuid) and created.name == "ExampleCorpIdP"
    assert "x" * 100 not in repr(created)  # the document stays out of a repr
    with accounts.read() as tx:
        found = tx.get_saml_provider(ARN)
        assert found == created
        assert found is not None and found.metadata == big and found.valid_until == until
        assert found.private_keys == (key,) and found.encryption_mode == "Required"
        assert [p.name for p in tx.list_saml_providers(ACCOUNT)] == ["Azure", "ExampleCorpIdP"]
        assert [p.name for p in tx.list_saml_providers(OTHER)] == ["Other"]
        assert (tx.count_saml_providers(ACCOUNT), tx.count_saml_providers(OTHER)) == (2, 1)
    changed = dataclasses.replace(
        created, metadata=DOCUMENT, valid_until=None, encryption_mode="Allowed", private_keys=()
    )
    with accounts.transaction() as tx:
        assert tx.update_saml_provider(changed)
        assert not tx.update_saml_provider(dataclasses.replace(changed, arn=ARN + "-missing"))
    with accounts.read() as tx:
        assert tx.get_saml_provider(ARN) == changed
    with accounts.transaction() as tx:
        tx.set_tags(ACCOUNT, ARN, {"team": "ci"})
        assert tx.delete_saml_provider(ARN)
        assert not tx.delete_saml_provider(ARN)
    with accounts.read() as tx:
        assert tx.get_saml_provider(ARN) is None
        assert tx.get_tags(ARN) == {}  # the tags went with it


def test_one_provider_per_arn(accounts: SqlStore) -> None:
    with accounts.transaction() as tx:
        tx.create_saml_provider(ACCOUNT, ARN, DOCUMENT, None, "Allowed", ())
    with pytest.raises(Conflict), accounts.transaction() as tx:
        tx.create_saml_provider(ACCOUNT, ARN, DOCUMENT, None, "Allowed", ())
