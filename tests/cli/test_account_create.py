"""``iamsandbox account create``, run as a user would, against a data directory."""

from __future__ import annotations

import base64
import json
import os
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


def test_every_account_has_an_email_address(tmp_path: Path) -> None:
    """Every AWS account has one, which Organizations answers (Account.Email,
    MasterAccountEmail) and finds an invited account by (InviteAccountToOrganization's
    Target Type EMAIL): --email, else ACCOUNT_ID@iamsandbox.invalid. One address, one
    account; Organizations' Email pattern and 6 to 64 characters (CreateAccount)."""
    made = _run("--id", "111111111111", "--data", str(tmp_path), "--json")
    assert json.loads(made.stdout)["Email"] == "111111111111@iamsandbox.invalid"
    given = _run("--id", "222222222222", "--email", "Dev@Example.com", "--data", str(tmp_path), "--json")
    assert json.loads(given.stdout)["Email"] == "Dev@Example.com"
    taken = _run("--id", "333333333333", "--email", "dev@example.com", "--data", str(tmp_path))
    assert taken.returncode == 1 and "another account has the email" in taken.stderr
    for bad in ("not-an-email", "a b@c.de", "x@y.z"):
        refused = _run("--id", "444444444444", "--email", bad, "--data", str(tmp_path))
        assert refused.returncode == 2 and "--email" in refused.stderr
    store = open_store(sqlite_url(tmp_path / "iamsandbox.db"), load_master_keys(tmp_path))
    try:
        with store.read() as tx:
            assert [(a.account_id, a.email) for a in tx.list_accounts()] == [
                ("111111111111", "111111111111@iamsandbox.invalid"),
                ("222222222222", "Dev@Example.com"),
            ]
    finally:
        store.close()


def test_another_master_key_is_refused_in_one_line(tmp_path: Path) -> None:
    # The store's secrets were sealed with the data directory's key file; a command given
    # another key in the environment stops before touching the store, with no traceback.
    assert _run("--id", "111111111111", "--data", str(tmp_path)).returncode == 0
    other = base64.b64encode(os.urandom(32)).decode()
    env = {**os.environ, "IAMSANDBOX_SECRET_KEY": other}
    for command in (COMMAND, [COMMAND[0], "serve", "--port", "0"]):
        done = subprocess.run(
            [*command, "--data", str(tmp_path)], capture_output=True, text=True, timeout=60, check=False, env=env
        )
        assert done.returncode == 1, done.stderr
        assert "the master key does not open this store's secrets" in done.stderr
        assert "Traceback" not in done.stderr and other not in done.stderr
    store = open_store(sqlite_url(tmp_path / "iamsandbox.db"), load_master_keys(tmp_path))
    try:
        with store.read() as tx:
            assert [account.account_id for account in tx.list_accounts()] == ["111111111111"]  # nothing added
    finally:
        store.close()


def test_a_new_data_directory_is_the_owners_alone(tmp_path: Path) -> None:
    # The database names every account's users, policies and objects: a data directory the
    # command makes is 0700, so other local users cannot read the files in it.
    data = tmp_path / "new" / "data"
    assert _run("--id", "111111111111", "--data", str(data)).returncode == 0
    assert data.stat().st_mode & 0o077 == 0
    assert (data / "iamsandbox.db").exists()


def test_a_database_that_cannot_be_opened_is_one_line_without_its_password(tmp_path: Path) -> None:
    # No traceback for a bad --database-url (an unreachable server, a missing directory, an
    # unknown driver); the URL is shown without its password.
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path / "xdg")}  # the key file goes here, not in $HOME
    for url, reason in (
        ("postgresql+psycopg://user:hunter2@127.0.0.1:1/db", "connection"),
        (f"sqlite:///{tmp_path}/missing/dir/x.db", "unable to open database file"),
        ("nosuchdriver://x", "nosuchdriver"),
        # A driver SQLAlchemy knows but this installation lacks (MySQLdb, psycopg2).
        ("mysql://user:hunter2@127.0.0.1/db", "No module named"),
        ("postgresql+psycopg2://user:hunter2@127.0.0.1/db", "No module named"),
    ):
        done = subprocess.run(
            [*COMMAND, "--database-url", url], capture_output=True, text=True, timeout=60, check=False, env=env
        )
        assert done.returncode == 1
        assert done.stderr.startswith("iamsandbox account: cannot open ") and reason in done.stderr
        assert "Traceback" not in done.stderr and "hunter2" not in done.stderr
        assert len(done.stderr.strip().splitlines()) == 1
    # A store that did not open leaves no data directory and no new master key behind.
    assert not (tmp_path / "xdg").exists()


def test_a_key_that_does_not_open_the_store_leaves_no_key_file(tmp_path: Path) -> None:
    # A store sealed with IAMSANDBOX_SECRET_KEY, opened without it: refused in one line, and
    # no unrelated secret.key is written beside it.
    data = tmp_path / "data"
    sealed = {**os.environ, "IAMSANDBOX_SECRET_KEY": base64.b64encode(b"k" * 32).decode()}
    made = subprocess.run(
        [*COMMAND, "--data", str(data)], capture_output=True, text=True, timeout=60, check=False, env=sealed
    )
    assert made.returncode == 0, made.stderr
    unsealed = {name: value for name, value in os.environ.items() if name != "IAMSANDBOX_SECRET_KEY"}
    done = subprocess.run(
        [*COMMAND, "--data", str(data)], capture_output=True, text=True, timeout=60, check=False, env=unsealed
    )
    assert done.returncode == 1 and "does not open this store's secrets" in done.stderr, done.stderr
    assert not (data / "secret.key").exists()


def test_an_unusable_master_key_is_one_line(tmp_path: Path) -> None:
    # The same one line, exit 1, for a key file its group may read (refused as ssh refuses
    # such a private key), a key file that is not a key, and a bad IAMSANDBOX_SECRET_KEY.
    data = tmp_path / "data"
    made = subprocess.run([*COMMAND, "--data", str(data)], capture_output=True, text=True, timeout=60, check=False)
    assert made.returncode == 0, made.stderr
    key_file = data / "secret.key"
    cases = []
    key_file.chmod(0o640)
    cases.append(({}, "may be read or written by its group or others (mode 640)"))
    env_key = {"IAMSANDBOX_SECRET_KEY": "notbase64!"}
    cases.append((env_key, "IAMSANDBOX_SECRET_KEY is not base64"))
    for extra, reason in cases:
        done = subprocess.run(
            [*COMMAND, "--data", str(data)],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
            env={**os.environ, **extra},
        )
        assert done.returncode == 1, done.stderr
        assert reason in done.stderr and "Traceback" not in done.stderr
        assert len(done.stderr.strip().splitlines()) == 1
    key_file.chmod(0o600)
    key_file.write_text("garbage\n")
    done = subprocess.run([*COMMAND, "--data", str(data)], capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 1 and f"{key_file} is not base64" in done.stderr and "Traceback" not in done.stderr
