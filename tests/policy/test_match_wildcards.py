"""Wildcard patterns match as globs, and a value cannot make matching blow up.

AWS pages: "IAM JSON policy elements: Resource" ("multi-character match wildcards (*) and
single-character match wildcards (?)") and "Condition operators" (StringLike: "*" and "?"
anywhere in the string). A pattern with several "*" matched by a backtracking regex took
time growing as a power of the value's length: ``bucket/*a*a*a*a*b`` against a key of 300
"a" held the whole server 18 s (a security review); any account can write such a pattern
in its own bucket policy.
"""

from __future__ import annotations

from fnmatch import fnmatchcase

from hypothesis import given, settings
from hypothesis import strategies as st

from iamsandbox.policy.match import compile_glob, compile_resource


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="ab*?:/", max_size=10), st.text(alphabet="ab:/", max_size=12))
def test_string_like_is_a_glob(pattern: str, value: str) -> None:
    # fnmatch's "*" and "?" are the same wildcards ("[" would be a class there: not drawn).
    assert compile_glob(pattern, arn=False)(value, {}) is fnmatchcase(value, pattern)


def test_many_stars_against_a_long_key_end() -> None:
    stars = "*a" * 8 + "*b"
    resource = compile_resource(f"arn:aws:s3:::bucket/{stars}", variables=False)
    assert resource("arn:aws:s3:::bucket/" + "a" * 1024, {}) is False  # no "b": no match, and an answer
    assert resource("arn:aws:s3:::bucket/" + "a" * 1023 + "b", {}) is True
    assert compile_glob(stars, arn=False)("a" * 1024, {}) is False
    assert compile_glob(stars, arn=False, ignore_case=True)("A" * 1023 + "B", {}) is True
