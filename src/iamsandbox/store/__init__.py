"""The store: the one place that holds state, behind ``interface.Store``.

``open_store(url, master_keys)`` opens a SQLite file or a PostgreSQL database, applies
pending migrations, and returns a ``SqlStore``; units of work are ``store.transaction()``
(read-write) and ``store.read()``. Only this package imports SQLAlchemy.
"""

from __future__ import annotations

from .crypto import Secret, hash_password, load_master_keys, verify_password
from .interface import (
    AccessKey,
    Account,
    Bucket,
    Conflict,
    Group,
    Identity,
    InlinePolicy,
    LoginProfile,
    ManagedPolicy,
    MfaDevice,
    MultipartUpload,
    NotFound,
    Part,
    PolicyVersion,
    PrincipalPolicies,
    Role,
    S3Object,
    Store,
    StoreError,
    Transaction,
    User,
)
from .sql import SqlStore, StoreUnavailable, open_store, sqlite_url

__all__ = [
    "AccessKey",
    "Account",
    "Bucket",
    "Conflict",
    "Group",
    "Identity",
    "InlinePolicy",
    "LoginProfile",
    "ManagedPolicy",
    "MfaDevice",
    "MultipartUpload",
    "NotFound",
    "Part",
    "PolicyVersion",
    "PrincipalPolicies",
    "Role",
    "S3Object",
    "Secret",
    "SqlStore",
    "Store",
    "StoreError",
    "StoreUnavailable",
    "Transaction",
    "User",
    "hash_password",
    "load_master_keys",
    "open_store",
    "sqlite_url",
    "verify_password",
]
