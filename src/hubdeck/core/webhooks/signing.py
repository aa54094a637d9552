"""Standard Webhooks signatures (https://www.standardwebhooks.com).

A secret is ``whsec_`` + base64 of random bytes; the signature is ``v1,`` + base64 of
HMAC-SHA256(key, ``{id}.{timestamp}.{body}``). Several signatures are separated by spaces: during
a secret rotation both the new and the previous secret sign, so receivers can switch at any time.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

SECRET_PREFIX = "whsec_"  # noqa: S105 (the prefix, not a secret)
# 24 random bytes (192 bits), as Svix generates them; the spec asks for 24 to 64.
_SECRET_BYTES = 24
# Receivers refuse timestamps further than this from their clock (the spec's default).
DEFAULT_TOLERANCE_SECONDS = 5 * 60


class SignatureError(ValueError):
    """The headers are missing or malformed, the timestamp is out of tolerance, or no
    signature matches."""


def generate_secret() -> str:
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(_SECRET_BYTES)).decode()


def secret_key(secret: str) -> bytes:
    """The HMAC key of a ``whsec_`` secret."""
    raw = secret.removeprefix(SECRET_PREFIX)
    try:
        key = base64.b64decode(raw, validate=True)
    except (binascii.Error, ValueError):
        raise ValueError("not a whsec_ secret") from None
    if not key:
        raise ValueError("empty secret")
    return key


def sign(secret: str, msg_id: str, timestamp: int, body: bytes) -> str:
    signed = f"{msg_id}.{timestamp}.".encode() + body
    digest = hmac.new(secret_key(secret), signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


@dataclass(frozen=True, slots=True)
class SignedHeaders:
    msg_id: str
    timestamp: int
    signature: str

    def as_dict(self) -> dict[str, str]:
        return {
            "webhook-id": self.msg_id,
            "webhook-timestamp": str(self.timestamp),
            "webhook-signature": self.signature,
        }


def signed_headers(
    signing_secrets: Sequence[str], msg_id: str, timestamp: int, body: bytes
) -> SignedHeaders:
    """Headers for one attempt, signed by every secret given (new first during a rotation)."""
    if not signing_secrets:
        raise ValueError("at least one secret signs")
    signature = " ".join(sign(s, msg_id, timestamp, body) for s in signing_secrets)
    return SignedHeaders(msg_id, timestamp, signature)


def verify(
    secret: str,
    headers: Mapping[str, str],
    body: bytes,
    now: float,
    tolerance: int = DEFAULT_TOLERANCE_SECONDS,
) -> str:
    """Check a signed request; return its ``webhook-id``. ``headers`` keys are lowercase."""
    msg_id = headers.get("webhook-id", "")
    raw_timestamp = headers.get("webhook-timestamp", "")
    signatures = headers.get("webhook-signature", "")
    if not (msg_id and raw_timestamp and signatures):
        raise SignatureError("missing webhook-id, webhook-timestamp or webhook-signature")
    if len(msg_id) > 200:
        raise SignatureError("webhook-id is too long")
    try:
        timestamp = int(raw_timestamp)
    except ValueError:
        raise SignatureError("webhook-timestamp is not a Unix time in seconds") from None
    if abs(now - timestamp) > tolerance:
        raise SignatureError("webhook-timestamp is too old or too far in the future")
    expected = sign(secret, msg_id, timestamp, body).encode()
    for candidate in signatures.split(" "):
        if hmac.compare_digest(candidate.encode(), expected):
            return msg_id
    raise SignatureError("no matching signature")
