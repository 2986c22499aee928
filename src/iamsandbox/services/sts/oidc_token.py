"""Verifying an OpenID Connect ID token for AssumeRoleWithWebIdentity.

AWS's pages: "AssumeRoleWithWebIdentity" (STS API reference), "OIDC federation" and
"Create an OpenID Connect (OIDC) identity provider in IAM" (IAM User Guide), "Available
keys for AWS OIDC federation" (IAM condition keys).

- The token is a JWS in compact form; "Tokens must be signed using either RSA keys (RS256,
  RS384, or RS512) or ECDSA keys (ES256, ES384, or ES512)" (WebIdentityToken): all six are
  checked with ``cryptography``. The header's ``kid`` picks the key (without one, every key
  of the set is tried).
- Its ``iss`` must be the URL of an IAM OIDC provider in the role's account (the provider's
  URL is the issuer without ``https://``); otherwise InvalidIdentityToken "No OpenIDConnect
  provider found in your account for <iss>" (AWS's words, quoted in
  aws-actions/configure-aws-credentials#721 and mozilla-iam/mozilla-aws-cli#127).
- The keys come from the issuer: ``{iss}/.well-known/openid-configuration`` names the
  ``jwks_uri``, which serves the JSON Web Key Set. They are cached per issuer for
  ``JWKS_TTL`` seconds, and fetched again at once when a token names an unknown ``kid``
  (a rotated key), at most once per ``JWKS_MIN_REFRESH`` seconds per issuer (so that
  tokens naming made-up kids cannot make the server fetch on every request). An issuer
  that cannot be reached answers IDPCommunicationError (its message is unconfirmed); one
  that answers without usable keys, InvalidIdentityToken
  "Couldn't retrieve verification key from your identity provider,  please reference
  AssumeRoleWithWebIdentity documentation for requirements" (AWS's words, two spaces,
  quoted in awslabs/aws-sdk-rust#827 and aws/aws-sdk-php#1725).
- ``exp``: "IAM provides a five-minute window beyond the expiration time specified in the
  JWT to account for clock skew" ("OIDC federation"); past it, ExpiredTokenException
  "Token expired: current date/time N must be before the expiration date/time M" (AWS's
  words, quoted in aws/aws-sdk-java-v2#5709; older reports show no space before M).
- ``aud`` must be among the provider's client IDs: InvalidIdentityToken "Incorrect token
  audience" (awslabs/amazon-eks-irsa-cfn#18); a token without ``aud``: "Missing a required
  claim: aud" (aws/aws-sdk-ruby#2698).

A local sandbox: besides ``https://`` issuers, an ``http://`` issuer is accepted only when
its host is a loopback address (127.0.0.0/8, ::1, localhost), so a test or a CI job can
run its own issuer on 127.0.0.1; AWS itself accepts ``https://`` only. The provider's
thumbprints are stored but not checked against the issuer's certificate (AWS no longer
relies on them for well-known issuers; here no TLS pinning is done).

Known gaps: OAuth 2.0 access tokens (ProviderId, www.amazon.com and graph.facebook.com)
are refused; ``nbf`` and ``iat`` are not checked.
"""

from __future__ import annotations

import base64
import binascii
import concurrent.futures
import http.client
import ipaddress
import json
import math
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

from ...errors import ExpiredTokenException, IDPCommunicationError, InvalidIdentityToken

JWKS_TTL = 300.0  # seconds a fetched key set is reused
JWKS_MIN_REFRESH = 10.0  # seconds between two fetches of one issuer's keys for an unknown kid
FETCH_TIMEOUT = 3.0  # seconds for each socket operation of a request to the issuer
FETCH_DEADLINE = 5.0  # seconds for a whole request to the issuer, answer read
MAX_DOCUMENT = 1 << 20  # bytes read from the issuer at most
CLOCK_SKEW = 300  # "a five-minute window beyond the expiration time" ("OIDC federation")

NO_KEY = (
    "Couldn't retrieve verification key from your identity provider,  please reference"
    " AssumeRoleWithWebIdentity documentation for requirements"
)
# AWS's answer to a token that is not a JWT, as remembered from public reports (unconfirmed).
MALFORMED = "The ID Token provided is not a valid JWT. (You may see this error if you sent an Access Token)"
BAD_SIGNATURE = "The ID token signature could not be verified."  # unconfirmed wording
UNREACHABLE = "Couldn't reach your identity provider, please retry the request."  # unconfirmed wording
INCORRECT_AUDIENCE = "Incorrect token audience"

_HASHES: dict[str, Callable[[], hashes.HashAlgorithm]] = {
    "256": hashes.SHA256,
    "384": hashes.SHA384,
    "512": hashes.SHA512,
}
_EC_CURVES = {"ES256": ("P-256", 32), "ES384": ("P-384", 48), "ES512": ("P-521", 66)}
_CURVES: dict[str, Callable[[], ec.EllipticCurve]] = {
    "P-256": ec.SECP256R1,
    "P-384": ec.SECP384R1,
    "P-521": ec.SECP521R1,
}


@dataclass(frozen=True)
class IdToken:
    """A token taken apart (not yet verified)."""

    header: Mapping[str, Any]
    claims: Mapping[str, Any]
    signing_input: bytes
    signature: bytes

    @property
    def issuer(self) -> str:
        return str(self.claims.get("iss", ""))


def _b64(part: str) -> bytes:
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def parse_token(token: str) -> IdToken:
    """The token's header, claims and signature; InvalidIdentityToken if it is not a JWS."""
    parts = token.split(".")
    if len(parts) != 3:
        raise InvalidIdentityToken(MALFORMED)
    try:
        header = json.loads(_b64(parts[0]))
        claims = json.loads(_b64(parts[1]))
        signature = _b64(parts[2])
    except (ValueError, binascii.Error, RecursionError):  # RecursionError: JSON nested too deep
        raise InvalidIdentityToken(MALFORMED) from None
    if not isinstance(header, dict) or not isinstance(claims, dict) or not isinstance(claims.get("iss"), str):
        raise InvalidIdentityToken(MALFORMED)
    return IdToken(header, claims, f"{parts[0]}.{parts[1]}".encode("ascii", "replace"), signature)


def provider_url(issuer: str) -> str | None:
    """The IAM provider URL an issuer maps to (the issuer without its scheme), or None
    for an issuer this sandbox does not accept (see the module docstring)."""
    try:
        split = urlsplit(issuer)
        host = split.hostname
    except ValueError:  # e.g. "https://[abc/x": not a URL
        return None
    if split.scheme == "https" and host:
        return issuer[len("https://") :]
    if split.scheme == "http" and host and is_loopback(host):
        return issuer[len("http://") :]
    return None


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


Fetch = Callable[[str], Any]


def _fetch_json(url: str) -> Any:
    """GET ``url`` and parse it as JSON: IDPCommunicationError when the issuer cannot be
    reached or does not answer within ``FETCH_DEADLINE`` seconds in all, InvalidIdentityToken
    when it answers with something else.

    The fetch runs in a thread of its own, and the request waits for it at most the deadline:
    an issuer that answers a byte at a time (each within the socket timeout) held the whole
    server, since a request's work runs on the event loop (a security review). The fetching
    thread stops reading at the deadline too."""
    if not _fetchable(url):
        raise InvalidIdentityToken(NO_KEY)
    deadline = FETCH_DEADLINE
    future = _FETCHERS.submit(_download, url, time.monotonic() + deadline)
    try:
        body = future.result(timeout=deadline)
    except concurrent.futures.TimeoutError:
        raise IDPCommunicationError(UNREACHABLE) from None
    try:
        return json.loads(body)
    except (ValueError, RecursionError):
        raise InvalidIdentityToken(NO_KEY) from None


def _download(url: str, deadline: float) -> bytes:
    request = urllib.request.Request(url, headers={"Accept": "application/json"})
    try:
        with _OPENER.open(request, timeout=FETCH_TIMEOUT) as response:
            body = bytearray()
            while len(body) <= MAX_DOCUMENT:
                if time.monotonic() > deadline:
                    raise TimeoutError("the issuer's answer took too long")
                chunk = response.read1(65536)
                if not chunk:
                    return bytes(body)
                body.extend(chunk)
            return bytes(body[:MAX_DOCUMENT])
    except urllib.error.HTTPError:  # an error status, or a redirect (not followed)
        raise InvalidIdentityToken(NO_KEY) from None
    except (OSError, ValueError, http.client.HTTPException):  # refused, timed out, unresolvable, cut off
        raise IDPCommunicationError(UNREACHABLE) from None


# Threads that fetch from issuers; a fetch that outlives its deadline keeps one until its
# socket times out or its own deadline check stops it, so there are a few.
_FETCHERS = concurrent.futures.ThreadPoolExecutor(max_workers=4, thread_name_prefix="oidc-fetch")


def _fetchable(url: str) -> bool:
    """An https URL, or http on a loopback host (the module docstring)."""
    try:
        split = urlsplit(url)
        host = split.hostname or ""
    except ValueError:
        return False
    return split.scheme == "https" or (split.scheme == "http" and is_loopback(host))


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """Redirects are not followed: the scheme and host rule is checked on the URL the
    discovery document names, and a redirect would step around it (to an internal host)."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_OPENER = urllib.request.build_opener(_NoRedirects)


@dataclass
class JwksCache:
    """The key sets of issuers, fetched on demand and kept ``ttl`` seconds. Owned by the
    app (``Shared``); shared by the request threads, hence the lock."""

    ttl: float = JWKS_TTL
    min_refresh: float = JWKS_MIN_REFRESH
    fetch: Fetch = _fetch_json
    clock: Callable[[], float] = time.monotonic
    _sets: dict[str, tuple[float, list[dict[str, Any]]]] = field(default_factory=dict, repr=False)
    _attempts: dict[str, float] = field(default_factory=dict, repr=False)  # last fetch started, by issuer
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def keys(self, issuer: str, *, refresh: bool = False) -> list[dict[str, Any]]:
        now = self.clock()
        with self._lock:
            cached = self._sets.get(issuer)
            if cached is not None and now - cached[0] < (self.min_refresh if refresh else self.ttl):
                return cached[1]
            last = self._attempts.get(issuer)
            if last is not None and now - last < self.min_refresh:
                # A fetch began a moment ago and failed (or is under way in another
                # thread): not again until min_refresh has passed, whatever the tokens say.
                if cached is not None:
                    return cached[1]
                raise IDPCommunicationError(UNREACHABLE)
            self._attempts[issuer] = now  # before fetching: a failed fetch counts too
        keys = self._load(issuer)
        with self._lock:
            self._sets[issuer] = (now, keys)
        return keys

    def _load(self, issuer: str) -> list[dict[str, Any]]:
        config = self.fetch(issuer.rstrip("/") + "/.well-known/openid-configuration")
        jwks_uri = config.get("jwks_uri") if isinstance(config, dict) else None
        if not isinstance(jwks_uri, str):
            raise InvalidIdentityToken(NO_KEY)
        jwks = self.fetch(jwks_uri)
        keys = jwks.get("keys") if isinstance(jwks, dict) else None
        if not isinstance(keys, list):
            raise InvalidIdentityToken(NO_KEY)
        return [key for key in keys if isinstance(key, dict)]


def _int(value: Any) -> int:
    return int.from_bytes(_b64(str(value)), "big")


def _verify_with(key: Mapping[str, Any], alg: str, token: IdToken) -> bool:
    """Whether ``key`` (a JWK) verifies the token's signature with ``alg``."""
    digest = _HASHES.get(alg[2:])
    if digest is None:
        return False
    try:
        if alg.startswith("RS") and key.get("kty") == "RSA":
            public = rsa.RSAPublicNumbers(_int(key["e"]), _int(key["n"])).public_key()
            public.verify(token.signature, token.signing_input, padding.PKCS1v15(), digest())
            return True
        if alg in _EC_CURVES and key.get("kty") == "EC":
            curve_name, size = _EC_CURVES[alg]
            if key.get("crv") != curve_name or len(token.signature) != 2 * size:
                return False
            numbers = ec.EllipticCurvePublicNumbers(_int(key["x"]), _int(key["y"]), _CURVES[curve_name]())
            r = int.from_bytes(token.signature[:size], "big")
            s = int.from_bytes(token.signature[size:], "big")
            numbers.public_key().verify(encode_dss_signature(r, s), token.signing_input, ec.ECDSA(digest()))
            return True
    except (InvalidSignature, KeyError, ValueError, TypeError, binascii.Error):
        return False
    return False


def verify_signature(jwks: JwksCache, token: IdToken) -> None:
    """Check the signature against the issuer's keys; InvalidIdentityToken if it fails."""
    alg = str(token.header.get("alg", ""))
    if alg not in ("RS256", "RS384", "RS512", "ES256", "ES384", "ES512"):
        raise InvalidIdentityToken(BAD_SIGNATURE)
    kid = token.header.get("kid")
    keys = jwks.keys(token.issuer)
    if kid is not None and not any(key.get("kid") == kid for key in keys):
        keys = jwks.keys(token.issuer, refresh=True)  # the issuer may have rotated its keys
        if not any(key.get("kid") == kid for key in keys):
            raise InvalidIdentityToken(NO_KEY)
    candidates = [key for key in keys if kid is None or key.get("kid") == kid]
    if not any(_verify_with(key, alg, token) for key in candidates):
        raise InvalidIdentityToken(BAD_SIGNATURE)


def check_expiry(token: IdToken, now: datetime) -> None:
    exp = token.claims.get("exp")
    if not isinstance(exp, int | float) or isinstance(exp, bool) or not math.isfinite(exp):
        raise InvalidIdentityToken("Missing a required claim: exp")  # unconfirmed wording
    current = int(now.timestamp())
    if current > int(exp) + CLOCK_SKEW:
        raise ExpiredTokenException(
            f"Token expired: current date/time {current} must be before the expiration date/time {int(exp)}"
        )


def audiences(token: IdToken) -> list[str]:
    aud = token.claims.get("aud")
    if isinstance(aud, str):
        return [aud]
    if isinstance(aud, list):
        return [str(value) for value in aud]
    return []


def check_audience(token: IdToken, client_ids: tuple[str, ...]) -> str:
    """The audience the provider accepts (among ``aud``, or ``azp`` when present)."""
    found = audiences(token)
    if not found:
        raise InvalidIdentityToken("Missing a required claim: aud")
    azp = token.claims.get("azp")
    for value in ([str(azp)] if isinstance(azp, str) else []) + found:
        if value in client_ids:
            return value
    raise InvalidIdentityToken(INCORRECT_AUDIENCE)
