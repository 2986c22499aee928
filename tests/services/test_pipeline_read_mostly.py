"""Assuming a role is a read: RoleLastUsed ("the date and time ... that the role was last
used", tracked with a delay, IAM API Reference, RoleLastUsed) is written after the call in a
unit of its own, and only when it is due, so an AssumeRole takes no write lock. A long write
elsewhere on the same store (another process's, here a held ``BEGIN IMMEDIATE``) no longer
holds AssumeRole up.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from pathlib import Path
from typing import Any

from inprocess_harness import client, open_app, user_keys

from iamsandbox.server.app import App

A = "111111111111"
ROLE_ARN = f"arn:aws:iam::{A}:role/reader"


def _app_with_role(tmp_path: Path) -> tuple[App, Any, Any]:
    app = open_app(tmp_path, A)
    alice = user_keys(app, A, "alice")
    trust = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{A}:user/alice"}, "Action": "sts:AssumeRole"}
        ],
    }
    with app.store.transaction() as tx:
        role = tx.create_role(A, "reader", json.dumps(trust))
        user = tx.get_user(A, "alice")
        assert user is not None and role is not None
        tx.put_inline_policy(
            user.id,
            "assume",
            json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}),
        )
    return app, client(app, "sts", alice), client(app, "iam", alice)


def test_the_first_assume_role_records_role_last_used(tmp_path: Path) -> None:
    app, sts, iam = _app_with_role(tmp_path)
    assert "LastUsedDate" not in iam.get_role(RoleName="reader")["Role"].get("RoleLastUsed", {})
    sts.assume_role(RoleArn=ROLE_ARN, RoleSessionName="s1")
    used = iam.get_role(RoleName="reader")["Role"]["RoleLastUsed"]
    assert used["Region"] == "us-east-1"
    assert used["LastUsedDate"] is not None


def test_assume_role_answers_while_another_connection_holds_the_write_lock(tmp_path: Path) -> None:
    app, sts, _iam = _app_with_role(tmp_path)
    sts.assume_role(RoleArn=ROLE_ARN, RoleSessionName="s1")  # RoleLastUsed and the key's last use: now recorded
    holder = sqlite3.connect(tmp_path / "store.db", isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # the database's one writer, until it ends
    results: list[Any] = []
    worker = threading.Thread(target=lambda: results.append(sts.assume_role(RoleArn=ROLE_ARN, RoleSessionName="s2")))
    try:
        worker.start()
        worker.join(timeout=10)  # a write unit would wait for the lock (busy_timeout 30 s)
        assert not worker.is_alive(), "AssumeRole waited for the write lock"
    finally:
        holder.execute("ROLLBACK")
        holder.close()
        worker.join()
    assert results[0]["AssumedRoleUser"]["Arn"] == f"arn:aws:sts::{A}:assumed-role/reader/s2"
