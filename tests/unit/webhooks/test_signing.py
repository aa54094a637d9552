"""Signatures agree with the independent ``standardwebhooks`` implementation both ways."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from hubdeck.core.webhooks.signing import (
    SignatureError,
    generate_secret,
    secret_key,
    sign,
    signed_headers,
    verify,
)


def test_a_generated_secret_is_whsec_base64_of_24_bytes() -> None:
    secret = generate_secret()
    assert secret.startswith("whsec_")
    assert len(secret_key(secret)) == 24
    assert generate_secret() != secret


@given(body=st.binary(max_size=500).map(lambda b: b.hex().encode()), msg=st.uuids())
def test_our_signature_verifies_with_the_reference(body: bytes, msg: object) -> None:
    secret = generate_secret()
    now = int(time.time())
    headers = signed_headers([secret], f"msg_{msg}", now, body).as_dict()
    assert Webhook(secret).verify(body, headers, json_parse=False) is None


def test_the_reference_signature_verifies_with_ours() -> None:
    secret = generate_secret()
    now = datetime.now(UTC).replace(microsecond=0)
    body = b'{"type":"annotation","text":"deploy","at":"2026-11-26T10:00:00Z"}'
    reference = Webhook(secret).sign("msg_1", now, body.decode())
    assert reference == sign(secret, "msg_1", int(now.timestamp()), body)
    headers = {
        "webhook-id": "msg_1",
        "webhook-timestamp": str(int(now.timestamp())),
        "webhook-signature": reference,
    }
    assert verify(secret, headers, body, now.timestamp()) == "msg_1"


def test_during_a_rotation_either_secret_verifies() -> None:
    old, new = generate_secret(), generate_secret()
    now = int(time.time())
    headers = signed_headers([new, old], "msg_2", now, b"{}").as_dict()
    assert len(headers["webhook-signature"].split(" ")) == 2
    for secret in (old, new):
        Webhook(secret).verify(b"{}", headers)
    with pytest.raises(WebhookVerificationError):
        Webhook(generate_secret()).verify(b"{}", headers)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"webhook-signature": "v1,AAAA"}, "no matching signature"),
        ({"webhook-timestamp": "100"}, "too old"),
        ({"webhook-timestamp": "soon"}, "not a Unix time"),
        ({"webhook-id": ""}, "missing"),
        ({"webhook-id": "msg_other"}, "no matching signature"),
    ],
)
def test_verify_refuses(change: dict[str, str], message: str) -> None:
    secret = generate_secret()
    now = int(time.time())
    headers = {**signed_headers([secret], "msg_3", now, b"{}").as_dict(), **change}
    with pytest.raises(SignatureError, match=message):
        verify(secret, headers, b"{}", now)


def test_a_tampered_body_is_refused() -> None:
    secret = generate_secret()
    now = int(time.time())
    headers = signed_headers([secret], "msg_4", now, b'{"value":1}').as_dict()
    with pytest.raises(SignatureError):
        verify(secret, headers, b'{"value":2}', now)
