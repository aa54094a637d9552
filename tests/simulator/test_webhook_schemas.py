"""Every webhook the simulator sends validates against GitHub's JSON Schema of its event/action
(octokit/webhooks, draft-07, ``$ref`` into ``common/``)."""

from __future__ import annotations

import json
import re
from collections import defaultdict
from functools import cache
from typing import Any
from urllib.parse import urlsplit

import httpx
from jsonschema import Draft7Validator, FormatChecker  # type: ignore[import-untyped]
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7

from .conftest import FIXTURES

SCHEMAS = FIXTURES / "webhook-schemas"
EXAMPLES = FIXTURES / "webhook-examples"

REQUIRED = {
    ("ping", None),
    ("push", None),
    ("pull_request", "opened"),
    ("pull_request", "closed"),
    ("pull_request", "reopened"),
    ("pull_request", "synchronize"),
    ("pull_request", "review_requested"),
    ("pull_request", "ready_for_review"),
    ("pull_request_review", "submitted"),
    ("issues", "opened"),
    ("issues", "closed"),
    ("issues", "reopened"),
    ("issues", "labeled"),
    ("issue_comment", "created"),
    ("star", "created"),
    ("fork", None),
    ("release", "published"),
    ("workflow_run", "requested"),
    ("workflow_run", "in_progress"),
    ("workflow_run", "completed"),
    ("repository", "created"),
    ("installation", "created"),
}

# The generator's actions that produce each event: a random walk covers most, these make sure.
PRODUCERS = {
    ("push", None): ["push_default"],
    ("pull_request", "opened"): ["open_pull"],
    ("pull_request", "closed"): ["close_pull"],
    ("pull_request", "reopened"): ["close_pull", "reopen_pull"],
    ("pull_request", "synchronize"): ["push_to_pull"],
    ("pull_request", "review_requested"): ["request_review"],
    ("pull_request", "ready_for_review"): ["ready_for_review"],
    ("pull_request_review", "submitted"): ["submit_review"],
    ("issues", "opened"): ["open_issue"],
    ("issues", "closed"): ["close_issue"],
    ("issues", "reopened"): ["close_issue", "reopen_issue"],
    ("issues", "labeled"): ["label_issue"],
    ("issue_comment", "created"): ["comment"],
    ("star", "created"): ["star"],
    ("fork", None): ["fork"],
    ("release", "published"): ["publish_release"],
    ("workflow_run", "requested"): ["push_default"],
    ("workflow_run", "in_progress"): ["progress_run"],
    ("workflow_run", "completed"): ["complete_run"],
    ("repository", "created"): ["create_repository"],
}

RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
FORMATS = FormatChecker(formats=())


def _date_time(value: object) -> bool:
    return not isinstance(value, str) or bool(RFC3339.match(value))


def _uri(value: object) -> bool:
    if not isinstance(value, str):
        return True
    parts = urlsplit(value)
    return bool(parts.scheme and parts.netloc)


FORMATS.checks("date-time")(_date_time)
FORMATS.checks("uri")(_uri)


@cache
def registry() -> Registry[Any]:
    resources = []
    for path in SCHEMAS.rglob("*.schema.json"):
        contents = json.loads(path.read_text(encoding="utf-8"))
        resources.append(
            (contents["$id"], Resource.from_contents(contents, default_specification=DRAFT7))
        )
    return Registry().with_resources(resources)


@cache
def validator(event: str, action: str | None) -> Draft7Validator:
    name = f"{action}.schema.json" if action else "event.schema.json"
    schema = json.loads((SCHEMAS / event / name).read_text(encoding="utf-8"))
    return Draft7Validator(schema, registry=registry(), format_checker=FORMATS)


def first_error(event: str, action: str | None, payload: dict[str, Any]) -> str | None:
    errors = sorted(
        validator(event, action).iter_errors(payload), key=lambda e: list(e.absolute_path)
    )
    if not errors:
        return None
    error = errors[0]
    detail = error.message[:300]
    if error.context:
        detail += " | " + "; ".join(sorted({c.message[:160] for c in error.context})[:3])
    return f"{event}.{action}: at {error.json_path}: {detail}"


def test_the_schemas_accept_githubs_own_examples() -> None:
    """Guards the registry wiring: real payloads must validate."""
    for path in sorted(EXAMPLES.rglob("*.json")):
        action = None if path.name == "payload.json" else path.name.split(".")[0]
        payload = json.loads(path.read_text(encoding="utf-8"))
        assert first_error(path.parent.name, action, payload) is None, path


def test_a_broken_payload_is_caught() -> None:
    example = json.loads(
        (EXAMPLES / "pull_request" / "opened.payload.json").read_text(encoding="utf-8")
    )
    del example["pull_request"]["head"]["sha"]
    example["pull_request"]["user"]["type"] = "Robot"
    error = first_error("pull_request", "opened", example)
    assert error is not None and "pull_request" in error


async def _produce_every_event(client: httpx.AsyncClient) -> list[dict[str, Any]]:
    assert (await client.post("/_simulator/webhook/ping")).status_code == 201
    assert (
        await client.post("/_simulator/installation", json={"sender": "alice"})
    ).status_code == 201
    response = await client.post(
        "/_simulator/activity/step", json={"count": 150, "advance_seconds": 30}
    )
    assert response.status_code == 200
    deliveries = (await client.get("/_simulator/deliveries")).json()
    produced = {(d["event"], d["action"]) for d in deliveries}
    for wanted, actions in PRODUCERS.items():
        if wanted not in produced:
            for action in actions:
                step = await client.post("/_simulator/activity/step", json={"action": action})
                assert step.json()["steps"][0]["performed"], (wanted, action)
    return list((await client.get("/_simulator/deliveries")).json())


async def test_every_event_validates_against_its_schema(client: httpx.AsyncClient) -> None:
    deliveries = await _produce_every_event(client)
    by_kind: dict[tuple[str, str | None], list[dict[str, Any]]] = defaultdict(list)
    for delivery in deliveries:
        by_kind[(delivery["event"], delivery["action"])].append(delivery["payload"])

    missing = REQUIRED - set(by_kind)
    assert not missing, f"never produced: {sorted(missing, key=str)}"

    failures = []
    for (event, action), payloads in sorted(by_kind.items(), key=str):
        # A few per kind keep the run short; they differ in state (draft, merged, failed...).
        for payload in payloads[:6]:
            error = first_error(event, action, payload)
            if error is not None:
                failures.append(error)
    assert not failures, "payloads that do not validate:\n" + "\n".join(failures)


async def test_payloads_carry_the_examples_top_level_keys(client: httpx.AsyncClient) -> None:
    """The simulator's payloads have the keys GitHub's examples have, bar ``installation`` (only
    GitHub App deliveries carry it) and the ping's ``repository`` (the simulator's hook is an
    organization hook, whose ping names no repository)."""
    deliveries = await _produce_every_event(client)
    ours = {(d["event"], d["action"]): d["payload"] for d in deliveries}
    for path in sorted(EXAMPLES.rglob("*.json")):
        action = None if path.name == "payload.json" else path.name.split(".")[0]
        key = (path.parent.name, action)
        if key not in ours:
            continue
        expected = set(json.loads(path.read_text(encoding="utf-8"))) - {"installation"}
        if key == ("ping", None):
            expected.discard("repository")
        assert expected <= set(ours[key]), (key, expected - set(ours[key]))
