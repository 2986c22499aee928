"""A local OpenID Connect issuer for the web identity tests: on 127.0.0.1 it serves
/.well-known/openid-configuration and a JWKS (RSA and EC P-256 keys; the published set can
rotate, and fetches are counted), and signs ID tokens with RS256 or ES256 (RFC 7515, 7518).
"""

from __future__ import annotations

import base64
import contextlib
import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _int(value: int, size: int | None = None) -> str:
    return _b64(value.to_bytes(size or (value.bit_length() + 7) // 8, "big"))


class Issuer:
    """An OIDC issuer on 127.0.0.1: openid-configuration, a JWKS that can rotate, tokens."""

    def __init__(self) -> None:
        self.keys: dict[str, Any] = {
            "rsa-1": rsa.generate_private_key(public_exponent=65537, key_size=2048),
            "ec-1": ec.generate_private_key(ec.SECP256R1()),
        }
        self.published = ["rsa-1", "ec-1"]
        self.fetches = 0
        issuer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server's name)
                if self.path == "/.well-known/openid-configuration":
                    body: dict[str, Any] = {"issuer": issuer.url, "jwks_uri": f"{issuer.url}/jwks"}
                elif self.path == "/jwks":
                    issuer.fetches += 1
                    body = {"keys": [issuer.jwk(kid) for kid in issuer.published]}
                else:
                    self.send_error(404)
                    return
                data = json.dumps(body).encode()
                self.send_response(200)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: Any) -> None:
                return

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.host = self.url.removeprefix("http://")
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def jwk(self, kid: str) -> dict[str, str]:
        key = self.keys[kid]
        if isinstance(key, rsa.RSAPrivateKey):
            numbers = key.public_key().public_numbers()
            return {"kty": "RSA", "kid": kid, "use": "sig", "n": _int(numbers.n), "e": _int(numbers.e)}
        point = key.public_key().public_numbers()
        return {"kty": "EC", "kid": kid, "crv": "P-256", "x": _int(point.x, 32), "y": _int(point.y, 32)}

    def token(self, kid: str = "rsa-1", *, signer: Any = None, **claims: Any) -> str:
        now = int(time.time())
        body = {
            "iss": self.url,
            "aud": "sts.amazonaws.com",
            "sub": "repo:octo/app:ref:main",
            "iat": now,
            "exp": now + 300,
        }
        body.update(claims)
        body = {name: value for name, value in body.items() if value is not None}
        key = signer or self.keys[kid]
        alg = "RS256" if isinstance(key, rsa.RSAPrivateKey) else "ES256"
        header = _b64(json.dumps({"alg": alg, "kid": kid, "typ": "JWT"}).encode())
        payload = _b64(json.dumps(body).encode())
        signing_input = f"{header}.{payload}".encode()
        if alg == "RS256":
            signature = key.sign(signing_input, padding.PKCS1v15(), hashes.SHA256())
        else:  # JWS ES256: r and s, 32 bytes each (RFC 7518 section 3.4)
            r, s = decode_dss_signature(key.sign(signing_input, ec.ECDSA(hashes.SHA256())))
            signature = r.to_bytes(32, "big") + s.to_bytes(32, "big")
        return f"{header}.{payload}.{_b64(signature)}"

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@contextlib.contextmanager
def serving() -> Iterator[Issuer]:
    """An issuer for the length of a test (each test module's ``issuer`` fixture)."""
    running = Issuer()
    try:
        yield running
    finally:
        running.close()
