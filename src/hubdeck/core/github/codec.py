"""GitHub values to and from JSON-compatible dicts, for storage and comparison."""

from __future__ import annotations

from typing import Any, Final, TypeVar

from pydantic import TypeAdapter

from hubdeck.core.github.models import (
    Comment,
    Commit,
    Issue,
    PullRequest,
    Release,
    Repository,
    Review,
    WorkflowRun,
)

# Kinds of stored object, with the value type of each.
KINDS: Final[dict[str, type[Any]]] = {
    "issue": Issue,
    "pull": PullRequest,
    "review": Review,
    "comment": Comment,
    "run": WorkflowRun,
    "commit": Commit,
    "release": Release,
}

T = TypeVar("T")

_ADAPTERS: dict[type[Any], TypeAdapter[Any]] = {
    cls: TypeAdapter(cls) for cls in (*KINDS.values(), Repository)
}


def dump(value: object) -> dict[str, Any]:
    data: dict[str, Any] = _ADAPTERS[type(value)].dump_python(value, mode="json")
    return data


def load(cls: type[T], data: dict[str, Any]) -> T:
    value: T = _ADAPTERS[cls].validate_python(data)
    return value


def object_key(value: object) -> str:
    """The identity of a stored object within its repository and kind."""
    if isinstance(value, Issue | PullRequest):
        return str(value.number)
    if isinstance(value, Commit):
        return value.sha
    if isinstance(value, Review | Comment | WorkflowRun | Release):
        return str(value.github_id)
    raise TypeError(f"not a stored GitHub object: {type(value).__name__}")


def kind_of(value: object) -> str:
    for kind, cls in KINDS.items():
        if type(value) is cls:
            return kind
    raise TypeError(f"not a stored GitHub object: {type(value).__name__}")
