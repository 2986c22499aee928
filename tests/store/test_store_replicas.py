"""Two replicas on one database (DESIGN.md, "Scale": several replicas against one
PostgreSQL): each write unit checks what it relies on (a quota not reached, a policy still
there) before it writes, so writes through different replicas must not interleave. Found by
a black-box review: on PostgreSQL two replicas let CreatePolicyVersion past the five versions
("A managed policy can have up to five versions", CreatePolicyVersion, IAM API Reference) and
let AttachUserPolicy attach a policy that DeletePolicy was removing ("you must first detach
the policy from all users, groups, and roles", DeletePolicy), which a later policy of the
same name then granted through."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from functools import partial
from typing import Any

import pytest
from botocore.exceptions import ClientError
from store_harness import MASTER_KEY, Database

from iamsandbox.server.app import App
from iamsandbox.store.sql import SqlTransaction
from services.inprocess_harness import client, root_keys  # tests/ is on the path (pyproject)

ACCOUNT = "111111111111"
DOCUMENT = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]})


@pytest.fixture
def replicas(database: Database, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Any, Any]]:
    # Widen the race: each write waits a little after its unit has read what it checks.
    for name in ("create_policy_version", "attach_policy"):
        monkeypatch.setattr(SqlTransaction, name, _after_a_pause(getattr(SqlTransaction, name)))
    stores = [database.open(), database.open()]
    with stores[0].transaction() as tx:
        tx.create_account(ACCOUNT, "replicas")
    apps = [App(store, [MASTER_KEY]) for store in stores]
    keys = root_keys(apps[0], ACCOUNT)
    try:
        yield client(apps[0], "iam", keys), client(apps[1], "iam", keys)
    finally:
        for store in stores:
            store.close()


def _after_a_pause(method: Callable[..., Any]) -> Callable[..., Any]:
    def paused(*args: Any, **kwargs: Any) -> Any:
        time.sleep(0.05)
        return method(*args, **kwargs)

    return paused


def _together(calls: list[Callable[[], object]]) -> list[str]:
    """Run ``calls`` at once, one thread each: "ok" or the error code of each."""
    barrier = threading.Barrier(len(calls))
    outcomes = [""] * len(calls)

    def run(index: int) -> None:
        barrier.wait()
        try:
            calls[index]()
            outcomes[index] = "ok"
        except ClientError as error:
            outcomes[index] = error.response["Error"]["Code"]

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def test_policy_versions_stay_at_five_across_replicas(replicas: tuple[Any, Any]) -> None:
    iams = replicas * 2
    for round_ in range(6):
        arn = iams[0].create_policy(PolicyName=f"p{round_}", PolicyDocument=DOCUMENT)["Policy"]["Arn"]
        for _ in range(2):
            iams[0].create_policy_version(PolicyArn=arn, PolicyDocument=DOCUMENT)
        calls = [partial(iam.create_policy_version, PolicyArn=arn, PolicyDocument=DOCUMENT) for iam in iams]
        outcomes = _together(calls)
        assert sorted(outcomes) == ["LimitExceeded", "LimitExceeded", "ok", "ok"]
        assert len(iams[1].list_policy_versions(PolicyArn=arn)["Versions"]) == 5


def test_a_policy_being_deleted_is_not_attached_across_replicas(replicas: tuple[Any, Any]) -> None:
    first, second = replicas
    for round_ in range(6):
        user = f"u{round_}"
        first.create_user(UserName=user)
        arn = first.create_policy(PolicyName=f"d{round_}", PolicyDocument=DOCUMENT)["Policy"]["Arn"]
        delete = partial(first.delete_policy, PolicyArn=arn)
        outcomes = _together([delete, partial(second.attach_user_policy, UserName=user, PolicyArn=arn)])
        attached = [p["PolicyArn"] for p in second.list_attached_user_policies(UserName=user)["AttachedPolicies"]]
        # Either the delete came first (NoSuchEntity for the attach) or the attach did
        # (DeleteConflict for the delete); never both done.
        assert outcomes in (["ok", "NoSuchEntity"], ["DeleteConflict", "ok"]), outcomes
        assert attached == ([] if outcomes[0] == "ok" else [arn])
