"""The issuers' key sets (``oidc_token.JwksCache``): fetched at most once per
JWKS_MIN_REFRESH seconds per issuer, a failed fetch included, so that unsigned
AssumeRoleWithWebIdentity requests (anyone may send them) cannot make the server fetch
on every request while an issuer is down or when tokens name made-up kids. The errors are
those of "AssumeRoleWithWebIdentity" (STS API reference): IDPCommunicationError when the
issuer cannot be reached."""

from __future__ import annotations

from typing import Any

import pytest

from iamsandbox.errors import IDPCommunicationError
from iamsandbox.services.sts.oidc_token import JWKS_MIN_REFRESH, JWKS_TTL, JwksCache

ISSUER = "https://issuer.example"
CONFIG = {"jwks_uri": "https://issuer.example/keys"}
KEYS = {"keys": [{"kid": "k1", "kty": "RSA", "n": "AQAB", "e": "AQAB"}]}


class Issuer:
    def __init__(self) -> None:
        self.fetches = 0
        self.down = False

    def __call__(self, url: str) -> Any:
        self.fetches += 1
        if self.down:
            raise IDPCommunicationError("unreachable")
        return CONFIG if url.endswith("openid-configuration") else KEYS


def _cache(issuer: Issuer, now: list[float]) -> JwksCache:
    return JwksCache(fetch=issuer, clock=lambda: now[0])


def test_a_failing_issuer_is_asked_once_per_interval() -> None:
    issuer, now = Issuer(), [100.0]
    cache = _cache(issuer, now)
    issuer.down = True
    for _ in range(5):
        with pytest.raises(IDPCommunicationError):
            cache.keys(ISSUER, refresh=True)
    assert issuer.fetches == 1
    issuer.down = False
    now[0] += JWKS_MIN_REFRESH
    assert cache.keys(ISSUER)[0]["kid"] == "k1"
    assert issuer.fetches == 3  # the discovery document and the key set


def test_refresh_within_the_interval_answers_the_cached_set() -> None:
    issuer, now = Issuer(), [100.0]
    cache = _cache(issuer, now)
    cache.keys(ISSUER)
    for _ in range(5):
        assert cache.keys(ISSUER, refresh=True)[0]["kid"] == "k1"
    assert issuer.fetches == 2
    now[0] += JWKS_MIN_REFRESH
    cache.keys(ISSUER, refresh=True)
    assert issuer.fetches == 4


def test_an_expired_set_whose_refetch_fails_is_served_a_moment_longer() -> None:
    issuer, now = Issuer(), [100.0]
    cache = _cache(issuer, now)
    cache.keys(ISSUER)
    now[0] += JWKS_TTL
    issuer.down = True
    with pytest.raises(IDPCommunicationError):
        cache.keys(ISSUER)
    assert cache.keys(ISSUER)[0]["kid"] == "k1"  # within the interval: the last set, no fetch
    assert issuer.fetches == 3
