"""Who may change whose role or remove whom, and the audit export (pure code)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from hubdeck.core.audit import is_audited, to_csv
from hubdeck.core.errors import Conflict, PermissionDenied
from hubdeck.core.events import DomainEvent, shared_view
from hubdeck.core.teams import check_removal, check_role_change
from hubdeck.core.users import Role


@pytest.mark.parametrize("actor", [Role.member, Role.viewer])
def test_without_manage_nobody_changes_roles(actor: Role) -> None:
    with pytest.raises(PermissionDenied):
        check_role_change(actor, Role.viewer, Role.member, owners=1)
    with pytest.raises(PermissionDenied):
        check_removal(actor, Role.viewer, owners=1, self_removal=False)
    check_removal(actor, actor, owners=1, self_removal=True)  # anyone may leave


def test_only_owners_make_or_unmake_owners() -> None:
    with pytest.raises(PermissionDenied):
        check_role_change(Role.admin, Role.member, Role.owner, owners=1)
    with pytest.raises(PermissionDenied):
        check_role_change(Role.admin, Role.owner, Role.member, owners=2)
    with pytest.raises(PermissionDenied):
        check_removal(Role.admin, Role.owner, owners=2, self_removal=False)
    check_role_change(Role.owner, Role.member, Role.owner, owners=1)
    check_role_change(Role.admin, Role.member, Role.admin, owners=1)


def test_the_last_owner_stays() -> None:
    with pytest.raises(Conflict):
        check_role_change(Role.owner, Role.owner, Role.admin, owners=1)
    with pytest.raises(Conflict):
        check_removal(Role.owner, Role.owner, owners=1, self_removal=True)
    check_role_change(Role.owner, Role.owner, Role.admin, owners=2)
    check_removal(Role.owner, Role.owner, owners=2, self_removal=True)


def _event(type_: str, **data: object) -> DomainEvent:
    return DomainEvent(
        type=type_,
        occurred_at=datetime(2026, 11, 26, 10, 0, tzinfo=UTC),
        team_id=1,
        subject='=HYPERLINK("http://evil")',
        actor="alice",
        data=dict(data),
    )


def test_csv_export_neutralises_formulas_and_keeps_data() -> None:
    text = to_csv([_event("team.role_changed", to="admin", user_id=3)])
    header, row = text.split("\r\n")[:2]
    assert header == "occurred_at,type,actor,subject,data,id"
    assert row.startswith("2026-11-26T10:00:00+00:00,team.role_changed,alice,\"'=HYPERLINK(")
    assert '"{""to"":""admin"",""user_id"":3}"' in row


def test_audited_types_and_the_shared_view_of_an_invitation() -> None:
    assert is_audited("team.member_removed")
    assert is_audited("webhook_endpoint.disabled")
    assert not is_audited("pull_request.merged")
    invited = _event("team.invited", user_id=2, role="member", join_path="/join/secret")
    assert shared_view(invited).data == {"user_id": 2, "role": "member"}
    assert invited.data["join_path"] == "/join/secret"  # the notification still gets it
    merged = _event("pull_request.merged", number=1)
    assert shared_view(merged) is merged
