"""``iamsandbox account create --root-password`` / ``--generate-root-password``: the root
user's console password (the console's root sign-in takes the account ID or alias and
this password; AWS's takes the account's email address, which iamsandbox accounts lack).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from iamsandbox.store import load_master_keys, open_store, sqlite_url
from iamsandbox.store.crypto import verify_password

COMMAND = [str(Path(sys.executable).parent / "iamsandbox"), "account", "create"]


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*COMMAND, *args], capture_output=True, text=True, timeout=60, check=False)


def _root_hash(data: Path, account_id: str) -> str | None:
    store = open_store(sqlite_url(data / "iamsandbox.db"), load_master_keys(data))
    try:
        with store.read() as tx:
            account = tx.get_account(account_id)
        assert account is not None
        return account.root_password_hash
    finally:
        store.close()


def test_a_generated_root_password_is_printed_once_and_stored_hashed(tmp_path: Path) -> None:
    done = _run("--id", "111111111111", "--data", str(tmp_path), "--json", "--generate-root-password")
    assert done.returncode == 0, done.stderr
    password = json.loads(done.stdout)["RootPassword"]
    assert len(password) >= 20
    stored = _root_hash(tmp_path, "111111111111")
    assert stored is not None and password not in stored and verify_password(password, stored)
    assert password.encode() not in (tmp_path / "iamsandbox.db").read_bytes()
    plain = _run("--id", "333333333333", "--data", str(tmp_path), "--generate-root-password")
    assert plain.returncode == 0 and "RootPassword: " in plain.stdout


def test_a_given_root_password_is_set_and_not_printed(tmp_path: Path) -> None:
    done = _run("--id", "222222222222", "--data", str(tmp_path), "--json", "--root-password", "Root-Console-9!")
    assert done.returncode == 0, done.stderr
    assert "RootPassword" not in json.loads(done.stdout)
    stored = _root_hash(tmp_path, "222222222222")
    assert stored is not None and verify_password("Root-Console-9!", stored)


def test_no_root_password_unless_asked_and_weak_or_both_refused(tmp_path: Path) -> None:
    done = _run("--id", "444444444444", "--data", str(tmp_path), "--json")
    assert done.returncode == 0 and "RootPassword" not in json.loads(done.stdout)
    assert _root_hash(tmp_path, "444444444444") is None
    weak = _run("--id", "555555555555", "--data", str(tmp_path), "--root-password", "short")
    assert weak.returncode == 2 and "at least 8 characters" in weak.stderr
    both = _run(
        "--id",
        "555555555555",
        "--data",
        str(tmp_path),
        "--root-password",
        "Root-Console-9!",
        "--generate-root-password",
    )
    assert both.returncode == 2 and "not allowed with" in both.stderr


def test_an_existing_account_gets_its_root_password_with_account_root_password(tmp_path: Path) -> None:
    # The quickstart's accounts are made without a root password; the console's root sign-in
    # needs one, which "account create" refuses to give an existing account.
    assert _run("--id", "222222222222", "--data", str(tmp_path), "--json").returncode == 0
    assert _root_hash(tmp_path, "222222222222") is None
    setter = [str(Path(sys.executable).parent / "iamsandbox"), "account", "root-password", "--data", str(tmp_path)]

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([*setter, *args], capture_output=True, text=True, timeout=60, check=False)

    weak = run("--id", "222222222222", "--root-password", "short")
    assert weak.returncode == 2 and "at least 8 characters" in weak.stderr
    assert run("--id", "999999999999", "--root-password", "Str0ng-enough!").returncode == 1  # no such account
    done = run("--id", "222222222222", "--root-password", "Str0ng-enough!")
    assert done.returncode == 0, done.stderr
    stored = _root_hash(tmp_path, "222222222222")
    assert stored is not None and verify_password("Str0ng-enough!", stored)
    generated = run("--id", "222222222222", "--generate-root-password")
    assert generated.returncode == 0 and generated.stdout.startswith("RootPassword: ")
    password = generated.stdout.split(": ", 1)[1].strip()
    stored = _root_hash(tmp_path, "222222222222")
    assert stored is not None and verify_password(password, stored)


def test_root_password_for_a_store_that_does_not_exist_makes_none(tmp_path: Path) -> None:
    """An operations review: `account root-password --data NEW` made the directory, the
    database and a master key, then said there was no such account."""
    new = tmp_path / "new"
    done = subprocess.run(
        [str(Path(sys.executable).parent / "iamsandbox"), "account", "root-password", "--data", str(new)]
        + ["--id", "222222222222", "--generate-root-password"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1
    assert done.stderr.strip() == "iamsandbox account root-password: no account 222222222222"
    assert not new.exists()
