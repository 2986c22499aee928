"""The Organizations tables (schema version 18): the tree, attachments, and the two reads
the authorizer makes on every request, which must follow every write (the row cache) and
move the policy generation of every account of the organization ("SCP evaluation",
Organizations User Guide: the root's, each OU's and the account's SCPs apply)."""

from __future__ import annotations

from collections.abc import Callable

from store_harness import ACCOUNT, OTHER

from iamsandbox.store import SqlStore
from iamsandbox.store.interface import AWS_MANAGED_ORG_POLICIES, Transaction

SCP = "SERVICE_CONTROL_POLICY"
DENY = '{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"s3:*","Resource":"*"}]}'


def _org(store: SqlStore) -> None:
    with store.transaction() as tx:
        tx.create_organization("o-aaaaaaaaaa", "r-abcd", ACCOUNT, "ALL")
        tx.create_org_unit("o-aaaaaaaaaa", "ou-abcd-11111111", "r-abcd", "Prod")
        tx.create_org_unit("o-aaaaaaaaaa", "ou-abcd-22222222", "ou-abcd-11111111", "Web")
        tx.add_org_account("o-aaaaaaaaaa", OTHER, "ou-abcd-22222222", "INVITED")


def test_membership_path_runs_from_the_root_to_the_account(accounts: SqlStore) -> None:
    _org(accounts)
    with accounts.read() as tx:
        member = tx.org_membership(OTHER)
        management = tx.org_membership(ACCOUNT)
        unit = tx.get_org_unit("ou-abcd-22222222")
    assert member is not None and management is not None and unit is not None
    assert member.path == ("r-abcd", "ou-abcd-11111111", "ou-abcd-22222222", OTHER)
    assert management.path == ("r-abcd", ACCOUNT)
    assert member.org_arn == f"arn:aws:organizations::{ACCOUNT}:organization/o-aaaaaaaaaa"
    assert member.enabled_types == frozenset()
    assert unit.path == ("r-abcd", "ou-abcd-11111111", "ou-abcd-22222222")


def test_reads_follow_writes(accounts: SqlStore) -> None:
    """The cached answers change with moves, type changes and attachments (one lane reads
    before and after each write)."""
    _org(accounts)
    with accounts.read() as tx:
        assert tx.org_membership(OTHER) is not None
        assert tx.org_policy_documents("o-aaaaaaaaaa", ["r-abcd", OTHER], SCP) == {}
    with accounts.transaction() as tx:
        tx.move_org_account(OTHER, "r-abcd")
        tx.set_enabled_policy_types("o-aaaaaaaaaa", [SCP])
        tx.attach_org_policy("o-aaaaaaaaaa", "p-FullAWSAccess", SCP, "r-abcd")
        tx.create_org_policy("o-aaaaaaaaaa", "p-11111111", SCP, "deny", "", DENY)
        tx.attach_org_policy("o-aaaaaaaaaa", "p-11111111", SCP, OTHER)
        tx.attach_org_policy("o-aaaaaaaaaa", "p-FullAWSAccess", SCP, OTHER)
    with accounts.read() as tx:
        member = tx.org_membership(OTHER)
        assert member is not None
        assert member.path == ("r-abcd", OTHER)
        assert member.enabled_types == frozenset({SCP})
        documents = tx.org_policy_documents("o-aaaaaaaaaa", member.path, SCP)
    full = AWS_MANAGED_ORG_POLICIES["p-FullAWSAccess"][3]
    assert documents == {
        "r-abcd": [("p-FullAWSAccess", full)],
        OTHER: [("p-11111111", DENY), ("p-FullAWSAccess", full)],  # attachment order
    }
    with accounts.transaction() as tx:
        tx.update_org_policy("p-11111111", content=full)
        tx.remove_org_account(OTHER)
    with accounts.read() as tx:
        assert tx.org_membership(OTHER) is None
        assert tx.org_policy_documents("o-aaaaaaaaaa", ["r-abcd", OTHER], SCP) == {
            "r-abcd": [("p-FullAWSAccess", full)]
        }
        assert tx.org_policies_for_target(OTHER, SCP) == []


def test_writes_bump_every_account_of_the_organization(accounts: SqlStore) -> None:
    _org(accounts)
    steps: list[Callable[[Transaction], object]] = [
        lambda tx: tx.set_enabled_policy_types("o-aaaaaaaaaa", [SCP]),
        lambda tx: tx.attach_org_policy("o-aaaaaaaaaa", "p-FullAWSAccess", SCP, "r-abcd"),
        lambda tx: tx.detach_org_policy("o-aaaaaaaaaa", "p-FullAWSAccess", "r-abcd"),
        lambda tx: tx.move_org_account(OTHER, "r-abcd"),
        lambda tx: tx.delete_org_unit("ou-abcd-22222222"),
        lambda tx: tx.detach_org_policies_of_type("o-aaaaaaaaaa", SCP),
    ]
    for step in steps:
        with accounts.read() as tx:
            before = tx.policy_generations([ACCOUNT, OTHER])
        with accounts.transaction() as tx:
            step(tx)
        with accounts.read() as tx:
            after = tx.policy_generations([ACCOUNT, OTHER])
        assert after[ACCOUNT] > before[ACCOUNT] and after[OTHER] > before[OTHER]


def test_accounts_units_policies_and_requests(accounts: SqlStore) -> None:
    _org(accounts)
    with accounts.transaction() as tx:
        org = tx.organization_of(OTHER)
        assert org is not None and org.id == "o-aaaaaaaaaa" and org.root_name == "Root"
        assert [m.account_id for m in tx.list_org_accounts(org.id)] == [ACCOUNT, OTHER]
        assert [m.account_id for m in tx.list_org_accounts(org.id, "ou-abcd-22222222")] == [OTHER]
        assert [u.id for u in tx.list_org_units("r-abcd")] == ["ou-abcd-11111111"]
        renamed = tx.rename_org_unit("ou-abcd-11111111", "Production")
        assert renamed is not None and renamed.name == "Production"
        tx.create_org_policy(org.id, "p-11111111", SCP, "deny", "d", DENY)
        assert [p.id for p in tx.list_org_policies(org.id, SCP)] == ["p-11111111"]
        assert tx.attach_org_policy(org.id, "p-11111111", SCP, "r-abcd")
        assert not tx.attach_org_policy(org.id, "p-11111111", SCP, "r-abcd")
        assert tx.org_policy_targets(org.id, "p-11111111") == ["r-abcd"]
        assert tx.delete_org_policy("p-11111111")
        assert tx.org_policy_targets(org.id, "p-11111111") == []
        tx.remove_org_account(OTHER)
        tx.delete_org_unit("ou-abcd-22222222")
        tx.delete_org_unit("ou-abcd-11111111")
        assert tx.delete_organization(org.id)
        assert tx.organization_of(ACCOUNT) is None
