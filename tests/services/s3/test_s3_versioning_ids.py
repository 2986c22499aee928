"""Version IDs (services/s3/versioning.py): 32 characters of S3's alphabet that carry when
they were made, so that a listing can go on from a version deleted since; any other 32
characters (an earlier release's IDs, a made-up marker) carry no time and are no fault."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta

from iamsandbox.services.s3.common import sealed_version_id
from iamsandbox.services.s3.versioning import new_version_id, version_time


def test_an_id_carries_its_time_and_others_none() -> None:
    made = new_version_id()
    assert len(made) == 32 and "-" not in made
    when = version_time(made)
    assert when is not None and abs(datetime.now(UTC) - when) < timedelta(seconds=5)
    for other in ["_" * 32, "A" * 32, "null", "", *(secrets.token_urlsafe(24) for _ in range(200))]:
        found = version_time(other)
        assert found is None or datetime(2020, 1, 1, tzinfo=UTC) <= found


def test_an_id_is_sealed_and_a_changed_one_is_not() -> None:
    """S3 tells its IDs from changed or made-up ones (services/s3/common.py, recorded)."""
    made = new_version_id()
    assert sealed_version_id(made)
    for index in range(32):
        changed = made[:index] + ("A" if made[index] != "A" else "B") + made[index + 1 :]
        assert not sealed_version_id(changed)
    assert not any(sealed_version_id(secrets.token_urlsafe(24)) for _ in range(200))
    assert not sealed_version_id("Eyn7lxdGE1WU1SU6QTbW1X6cbSIIRY0R")  # refused by S3 (recorded)


def test_a_seal_is_read_strictly() -> None:
    """Base64 read leniently would skip characters outside its alphabet and read "-" as ".":
    such an ID is no ID of S3's (services/s3/common.py)."""
    made = new_version_id()
    while "." not in made:
        made = new_version_id()
    for changed in (made.replace(".", "-", 1), made[:5] + "!" + made[6:], made[:31] + "=", " " + made[1:]):
        assert not sealed_version_id(changed), changed
