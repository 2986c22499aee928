"""How the store's request-path lookups scale: 10 roles against 10,000 roles and 50,000
customer managed policies, in a SQLite file.

Each figure is the median µs of one read unit as the request path would run it (``with
store.read() as tx:`` plus the lookup): an access key by id (with its secret opened), a
role by ARN, and the policies that apply to a role (its attachments and inline policies,
then the default versions of the customer managed ones). Run:

    .venv/bin/python bench/store_scale.py
"""

from __future__ import annotations

import json
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from iamsandbox.store import SqlStore, open_store, sqlite_url

ACCOUNT = "111111111111"
TRUST = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": {"AWS": "222222222222"}, "Action": "sts:AssumeRole"}],
    }
)


def document(i: int) -> str:
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": f"arn:aws:s3:::bucket-{i}/*"}],
        }
    )


def populate(store: SqlStore, roles: int, policies: int) -> tuple[list[str], list[str]]:
    """Roles (three customer managed policies and one AWS managed policy attached, one
    inline policy each), policies, and an access key per 10 roles' worth of users."""
    started = time.perf_counter()
    with store.transaction() as tx:
        tx.create_account(ACCOUNT, "bench")
        tx.create_account("222222222222", "trusted")
    arns: list[str] = []
    for start in range(0, policies, 5000):
        with store.transaction() as tx:
            for i in range(start, min(policies, start + 5000)):
                arns.append(tx.create_policy(ACCOUNT, f"policy-{i}", document(i)).arn)
    role_arns: list[str] = []
    key_ids: list[str] = []
    rng = random.Random(7)
    for start in range(0, roles, 2000):
        with store.transaction() as tx:
            for i in range(start, min(roles, start + 2000)):
                role = tx.create_role(ACCOUNT, f"role-{i}", TRUST, path="/bench/")
                for arn in rng.sample(arns, 3):
                    tx.attach_policy(role.id, arn)
                tx.attach_policy(role.id, "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess")
                tx.put_inline_policy(role.id, "inline", document(i))
                role_arns.append(role.arn)
                if i % 10 == 0:
                    user = tx.create_user(ACCOUNT, f"user-{i}")
                    key_ids.append(tx.create_access_key(ACCOUNT, user.id).access_key_id)
    print(f"  populated {roles} roles, {policies} policies in {time.perf_counter() - started:.1f} s")
    return role_arns, key_ids


def median_us(operation: Callable[[int], object], rounds: int = 3000) -> float:
    for i in range(200):  # warm the pool and the statement cache
        operation(i)
    samples = []
    for i in range(rounds):
        started = time.perf_counter_ns()
        operation(i)
        samples.append(time.perf_counter_ns() - started)
    return statistics.median(samples) / 1000


def measure(store: SqlStore, role_arns: list[str], key_ids: list[str]) -> dict[str, float]:
    rng = random.Random(1)
    roles = [rng.choice(role_arns) for _ in range(4096)]
    keys = [rng.choice(key_ids) for _ in range(4096)]
    role_ids: dict[str, str] = {}
    with store.read() as tx:
        for arn in set(roles):
            role = tx.get_role_by_arn(arn)
            assert role is not None
            role_ids[arn] = role.id

    def access_key(i: int) -> object:
        with store.read() as tx:
            key = tx.get_access_key(keys[i % 4096])
            assert key is not None
            return key

    def role_by_arn(i: int) -> object:
        with store.read() as tx:
            return tx.get_role_by_arn(roles[i % 4096])

    def attached(i: int) -> object:
        with store.read() as tx:
            applied = tx.principal_policies(role_ids[roles[i % 4096]])
            versions = tx.default_policy_versions(applied.attached_arns)
            assert len(versions) == 3
            return versions

    def generation(i: int) -> object:
        with store.read() as tx:
            return tx.policy_generation(ACCOUNT)

    return {
        "access key by id": median_us(access_key),
        "role by ARN": median_us(role_by_arn),
        "policies of a role": median_us(attached),
        "policy generation": median_us(generation),
    }


def main() -> None:
    results: dict[str, dict[str, float]] = {}
    sizes = {"10 roles": (10, 30), "10,000 roles, 50,000 policies": (10_000, 50_000)}
    with tempfile.TemporaryDirectory() as directory:
        for label, (roles, policies) in sizes.items():
            print(label)
            path = Path(directory) / f"{roles}.db"
            store = open_store(sqlite_url(path), [bytes(32)])
            try:
                role_arns, key_ids = populate(store, roles, policies)
                results[label] = measure(store, role_arns, key_ids)
            finally:
                store.close()
            print(f"  file: {path.stat().st_size / 2**20:.1f} MiB")
    small, large = results.values()
    print()
    print(f"| lookup (one read unit) | {' | '.join(results)} | ratio |")
    print("| --- | --- | --- | --- |")
    for name in small:
        print(f"| {name} | {small[name]:.1f} µs | {large[name]:.1f} µs | {large[name] / small[name]:.2f} |")


if __name__ == "__main__":
    main()
