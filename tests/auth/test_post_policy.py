"""POST policies of browser-based uploads ("Creating a POST Policy", S3 API Reference):
conditions, expiration, the fields a policy must cover; and any form or policy text, however
malformed, answers with an S3 error, never an exception of another kind."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from iamsandbox.auth.post_policy import PostForm, check_policy
from iamsandbox.errors import AccessDenied, ServiceError
from iamsandbox.protocol.form_data import FormPart, form_parts

NOW = datetime(2026, 12, 4, 12, 0, tzinfo=UTC)


def _form(conditions: list[Any], expiration: str = "2026-12-04T13:00:00Z", **fields: str) -> PostForm:
    policy = base64.b64encode(json.dumps({"expiration": expiration, "conditions": conditions}).encode())
    parts = [FormPart(name, value.encode()) for name, value in fields.items()]
    return PostForm.read([*parts, FormPart("policy", policy), FormPart("file", b"data", "a.txt")])


def test_conditions_as_the_policy_page_gives_them() -> None:
    # The page's example: {"bucket": ...}, ["starts-with", "$key", "user/eric/"], {"acl": ...}.
    conditions = [{"bucket": "b"}, ["starts-with", "$key", "user/eric/"], {"acl": "public-read"}]
    check_policy(_form(conditions, key="user/eric/x", acl="public-read"), "b", "user/eric/x", NOW)
    refusals = [
        (_form(conditions, key="user/bob/x", acl="public-read"), "user/bob/x", '["starts-with", "$key", "user/eric/"]'),
        (_form(conditions, key="user/eric/x", acl="private"), "user/eric/x", '["eq", "$acl", "public-read"]'),
    ]
    for form, key, shown in refusals:
        with pytest.raises(AccessDenied) as raised:
            check_policy(form, "b", key, NOW)
        assert raised.value.message == f"Invalid according to Policy: Policy Condition failed: {shown}"
    with pytest.raises(AccessDenied, match="Condition failed"):
        check_policy(_form(conditions, key="user/eric/x", acl="public-read"), "other", "user/eric/x", NOW)


def test_every_field_but_a_few_needs_a_condition() -> None:
    conditions = [["starts-with", "$key", ""]]
    check_policy(_form(conditions, key="k", **{"x-ignore-note": "1"}), "b", "k", NOW)
    with pytest.raises(AccessDenied) as raised:
        check_policy(_form(conditions, key="k", **{"Content-Type": "text/plain"}), "b", "k", NOW)
    assert raised.value.message == "Invalid according to Policy: Extra input fields: content-type"


def test_expiration() -> None:
    with pytest.raises(AccessDenied) as raised:
        check_policy(_form([], "2026-12-04T11:59:59Z", key="k"), "b", "k", NOW)
    assert raised.value.message == "Invalid according to Policy: Policy expired."


def test_fields_after_the_file_are_ignored() -> None:
    # "The file or content must be the last field in the form. Any fields below it are ignored."
    form = PostForm.read([FormPart("key", b"k"), FormPart("file", b"x", "f"), FormPart("acl", b"public-read")])
    assert form.fields == {"key": "k"}


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 10**6) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=3),
    max_leaves=12,
)


@settings(max_examples=300, deadline=None)
@given(
    document=st.one_of(json_values, st.fixed_dictionaries({"expiration": json_values, "conditions": json_values})),
    fields=st.dictionaries(st.sampled_from(["key", "acl", "bucket", "Content-Type", "x-foo"]), st.text(max_size=10)),
    raw=st.booleans(),
)
def test_any_policy_answers_with_an_s3_error(document: Any, fields: dict[str, str], raw: bool) -> None:
    text = json.dumps(document).encode()
    policy = text if raw else base64.b64encode(text)
    parts = [FormPart(name, value.encode()) for name, value in fields.items()]
    form = PostForm.read([*parts, FormPart("policy", policy), FormPart("file", b"x", "f")])
    try:
        check_policy(form, "b", fields.get("key", "k"), NOW)
    except ServiceError:
        pass


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=300))
def test_any_body_gives_parts_or_none(body: bytes) -> None:
    for part in form_parts(b"--xyz\r\n" + body, b"xyz"):
        assert isinstance(part.name, str) and isinstance(part.data, bytes)


def test_repeated_fields_and_content_type_lists() -> None:
    # "If you have multiple fields with the same name, the values must be separated by
    # commas"; Content-Type values with commas are lists whose every type must match a
    # starts-with condition; a failed condition names the field as the policy spells it.
    policy = base64.b64encode(
        json.dumps(
            {
                "expiration": "2030-01-01T00:00:00Z",
                "conditions": [{"x-amz-meta-tag": "Ninja,Stallman"}, ["starts-with", "$Content-Type", "image/"]],
            }
        ).encode()
    )
    parts = [
        FormPart("x-amz-meta-tag", b"Ninja"),
        FormPart("x-amz-meta-tag", b"Stallman"),
        FormPart("Content-Type", b"image/jpg,text/plain"),
        FormPart("policy", policy),
        FormPart("file", b"x", "f"),
    ]
    form = PostForm.read(parts)
    assert form.fields["x-amz-meta-tag"] == "Ninja,Stallman"
    with pytest.raises(AccessDenied) as raised:
        check_policy(form, "b", "k", datetime.now(UTC))
    assert raised.value.message.endswith('["starts-with", "$Content-Type", "image/"]')
