"""A software WebAuthn authenticator for tests: a P-256 key pair, "none" attestation, real ECDSA
signatures over real authenticator data. It answers the options Ruta renders, as a browser and a
security key would, so the server-side verification (py_webauthn) runs for real."""

from __future__ import annotations

import hashlib
import html
import json
import os
import re
from typing import Any

import cbor2
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from webauthn.helpers import bytes_to_base64url

ORIGIN = "http://testserver"  # Django's test client

UP, UV, AT = 0x01, 0x04, 0x40


def page_options(content: bytes | str) -> dict[str, Any]:
    """The ceremony options a page rendered in its data-options attribute."""
    text = content.decode() if isinstance(content, bytes) else content
    match = re.search(r'data-options="([^"]+)"', text)
    assert match, "the page offers no security-key ceremony"
    return dict(json.loads(html.unescape(match.group(1))))


class SoftAuthenticator:
    def __init__(self, *, sign_count: int = 0) -> None:
        self.private_key = ec.generate_private_key(ec.SECP256R1())
        self.credential_id = os.urandom(32)
        self.sign_count = sign_count

    @property
    def id(self) -> str:
        return bytes_to_base64url(self.credential_id)

    def _cose_public_key(self) -> bytes:
        numbers = self.private_key.public_key().public_numbers()
        return bytes(
            cbor2.dumps({1: 2, 3: -7, -1: 1, -2: numbers.x.to_bytes(32, "big"), -3: numbers.y.to_bytes(32, "big")})
        )

    @staticmethod
    def _client_data(kind: str, challenge: str, origin: str) -> bytes:
        return json.dumps({"type": kind, "challenge": challenge, "origin": origin, "crossOrigin": False}).encode()

    def register(self, options: dict[str, Any], *, origin: str = ORIGIN, rp_id: str | None = None) -> str:
        """The JSON answer to ``navigator.credentials.create(options)``."""
        rp = rp_id or options["rp"]["id"]
        client_data = self._client_data("webauthn.create", options["challenge"], origin)
        auth_data = (
            hashlib.sha256(rp.encode()).digest()
            + bytes([UP | UV | AT])
            + self.sign_count.to_bytes(4, "big")
            + bytes(16)  # AAGUID: none
            + len(self.credential_id).to_bytes(2, "big")
            + self.credential_id
            + self._cose_public_key()
        )
        attestation = cbor2.dumps({"fmt": "none", "attStmt": {}, "authData": auth_data})
        return json.dumps(
            {
                "id": self.id,
                "rawId": self.id,
                "type": "public-key",
                "response": {
                    "clientDataJSON": bytes_to_base64url(client_data),
                    "attestationObject": bytes_to_base64url(attestation),
                    "transports": ["usb"],
                },
                "clientExtensionResults": {},
                "authenticatorAttachment": "cross-platform",
            }
        )

    def authenticate(
        self,
        options: dict[str, Any],
        *,
        origin: str = ORIGIN,
        rp_id: str | None = None,
        sign_count: int | None = None,
    ) -> str:
        """The JSON answer to ``navigator.credentials.get(options)``; the counter grows by one unless
        ``sign_count`` is given."""
        self.sign_count = self.sign_count + 1 if sign_count is None else sign_count
        rp = rp_id or options["rpId"]
        client_data = self._client_data("webauthn.get", options["challenge"], origin)
        auth_data = hashlib.sha256(rp.encode()).digest() + bytes([UP | UV]) + self.sign_count.to_bytes(4, "big")
        signature = self.private_key.sign(auth_data + hashlib.sha256(client_data).digest(), ec.ECDSA(hashes.SHA256()))
        return json.dumps(
            {
                "id": self.id,
                "rawId": self.id,
                "type": "public-key",
                "response": {
                    "authenticatorData": bytes_to_base64url(auth_data),
                    "clientDataJSON": bytes_to_base64url(client_data),
                    "signature": bytes_to_base64url(signature),
                },
                "clientExtensionResults": {},
                "authenticatorAttachment": "cross-platform",
            }
        )
