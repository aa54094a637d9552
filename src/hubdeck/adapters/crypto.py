"""Encryption of secrets at rest (OAuth tokens, webhook secrets), keyed from the secret key."""

from __future__ import annotations

import base64

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF


class FernetSecretBox:
    """Fernet (AES-128-CBC + HMAC-SHA256, authenticated) with a key derived by HKDF, so the
    encryption key is never the raw secret key that also signs tokens."""

    def __init__(self, secret_key: str, purpose: bytes = b"hubdeck secrets at rest") -> None:
        derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose).derive(
            secret_key.encode()
        )
        self._fernet = Fernet(base64.urlsafe_b64encode(derived))

    def encrypt(self, plaintext: str) -> bytes:
        return self._fernet.encrypt(plaintext.encode())

    def decrypt(self, ciphertext: bytes) -> str:
        try:
            return self._fernet.decrypt(ciphertext).decode()
        except InvalidToken:
            raise ValueError("cannot decrypt: wrong secret key or damaged value") from None
