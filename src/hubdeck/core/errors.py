"""Domain errors. The web layer turns them into JSON errors with a code and a message.

HubDeckError
├── NotFound            the thing does not exist, or the caller may not know it does
├── PermissionDenied    the caller is known but may not do this
├── Unauthenticated     no valid session or token
├── Conflict            the change clashes with the current state (duplicate, stale version)
└── InvalidInput        the request is well-formed but its values make no sense
"""

from __future__ import annotations


class HubDeckError(Exception):
    code = "error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFound(HubDeckError):
    code = "not_found"


class PermissionDenied(HubDeckError):
    code = "permission_denied"


class Unauthenticated(HubDeckError):
    code = "unauthenticated"


class Conflict(HubDeckError):
    code = "conflict"


class InvalidInput(HubDeckError):
    code = "invalid_input"


class BadRequest(HubDeckError):
    code = "bad_request"
