"""Every error leaves as JSON: ``{"error": {"code": "...", "message": "..."}}``."""

from __future__ import annotations

from typing import Any

import structlog
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from hubdeck.core.errors import (
    BadRequest,
    Conflict,
    HubDeckError,
    InvalidInput,
    NotFound,
    PermissionDenied,
    Unauthenticated,
)

log = structlog.get_logger(__name__)

_STATUS = {
    NotFound: 404,
    PermissionDenied: 403,
    Unauthenticated: 401,
    Conflict: 409,
    InvalidInput: 422,
    BadRequest: 400,
}

_HTTP_CODES = {
    400: "bad_request",
    401: "unauthenticated",
    403: "permission_denied",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    415: "unsupported_media_type",
    422: "invalid_input",
    429: "too_many_requests",
}


def error_body(code: str, message: str, **extra: Any) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, **extra}}


async def _domain_error(_: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, HubDeckError)
    status = next((s for cls, s in _STATUS.items() if isinstance(error, cls)), 400)
    return JSONResponse(error_body(error.code, error.message), status_code=status)


async def _http_error(_: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, HTTPException)
    code = _HTTP_CODES.get(error.status_code, "error")
    message = error.detail if isinstance(error.detail, str) else code.replace("_", " ")
    return JSONResponse(
        error_body(code, message), status_code=error.status_code, headers=error.headers
    )


async def _validation_error(_: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, RequestValidationError)
    details = [
        {
            "location": ".".join(str(part) for part in item.get("loc", ())),
            "message": item.get("msg", "invalid"),
        }
        for item in error.errors()
    ]
    first = details[0] if details else {"location": "", "message": "invalid request"}
    message = f"{first['location']}: {first['message']}" if first["location"] else first["message"]
    return JSONResponse(error_body("invalid_input", message, details=details), status_code=422)


async def _unexpected(_: Request, error: Exception) -> JSONResponse:
    log.exception("http.unhandled_error", exc_info=error)
    return JSONResponse(
        error_body("internal", "internal server error; the request id is in the logs"),
        status_code=500,
    )


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(HubDeckError, _domain_error)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(Exception, _unexpected)
