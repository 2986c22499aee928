"""``iamsandbox account create``, run as a user would, against a data directory."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from iamsandbox.store import load_master_keys, open_store, sqlite_url

COMMAND = [str(Path(sys.executable).parent / "iamsandbox"), "account", "create"]


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*COMMAND, *args], capture_output=True, text=True, timeout=60, check=False)


def test_creates_the_account_and_a_root_key_the_store_can_open(tmp_path: Path) -> None:
    done = _run("--id", "111111111111", "--name", "trusting", "--data", str(tmp_path), "--json")
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert out["AccountId"] == "111111111111"
    assert out["AccessKeyId"].startswith("AKIA") and len(out["AccessKeyId"]) == 20
    assert len(out["SecretAccessKey"]) == 40
    store = open_store(sqlite_url(tmp_path / "iamsandbox.db"), load_master_keys(tmp_path))
    try:
        with store.read() as tx:
            account = tx.get_account("111111111111")
            key = tx.get_access_key(out["AccessKeyId"])
        assert account is not None and account.name == "trusting"
        assert key is not None and key.user_id is None  # the root user's key
        assert key.secret.reveal() == out["SecretAccessKey"]
    finally:
        store.close()
    # The secret is not in the database file in clear (it is sealed at rest).
    assert out["SecretAccessKey"].encode() not in (tmp_path / "iamsandbox.db").read_bytes()


def test_refuses_an_existing_or_malformed_id(tmp_path: Path) -> None:
    assert _run("--id", "222222222222", "--data", str(tmp_path)).returncode == 0
    again = _run("--id", "222222222222", "--data", str(tmp_path))
    assert again.returncode == 1 and "already exists" in again.stderr
    bad = _run("--id", "12345", "--data", str(tmp_path))
    assert bad.returncode == 2 and "12 digits" in bad.stderr
