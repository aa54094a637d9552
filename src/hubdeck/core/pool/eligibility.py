"""Which credentials may serve a request: within GitHub's terms and within what each sees."""

from __future__ import annotations

from hubdeck.core.pool.model import Credential, CredentialKind, Need


def eligible(credential: Credential, need: Need) -> bool:
    """A member's own token serves that member's requests only; a shared credential serves its
    team's requests for what it can see (public repositories, or private ones it reaches)."""
    if credential.kind is CredentialKind.member:
        return need.user_id is not None and credential.owner_id == need.user_id
    if need.own or credential.team_id is None or credential.team_id != need.team_id:
        return False
    if need.repository is None:
        return True
    return not need.private or credential.reach.covers(need.repository)
