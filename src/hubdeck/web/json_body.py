"""Answers already made of JSON types (dicts, lists, strings, numbers, None), serialized with
orjson as they are.

For a route declared to return ``dict[str, Any]``, FastAPI first validates the value against
that type (copying every nested list and dict) and then serializes the copy: for a dashboard and
its widgets' data, more CPU than reading them. Datetimes, should one slip in, come out as
pydantic writes them (UTC as ``Z``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import orjson
from fastapi import Response

_OPTIONS = orjson.OPT_NON_STR_KEYS | orjson.OPT_UTC_Z
# For the OpenAPI document: the answer is JSON, its shape given in docs/.
JSON_ANSWER: dict[int | str, dict[str, Any]] = {200: {"content": {"application/json": {}}}}


def json_response(content: Any, *, headers: Mapping[str, str] | None = None) -> Response:
    return Response(
        orjson.dumps(content, option=_OPTIONS), media_type="application/json", headers=headers
    )
