"""What rules know besides the event: who is concerned, filled by the caller from its stores.

Rules are pure and synchronous, so the caller loads everything first: ``needs(event)`` says
what one event requires, the caller reads it from its stores and builds a ``RuleContext``.
People appear in GitHub events by login (compared case-insensitively, as GitHub does);
notifications go to HubDeck user ids, and only to people the context lists: the members of the
teams concerned and the users named in ``users``. A login the context does not know (someone
outside those teams, a bot) receives nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from hubdeck.core.events import DomainEvent
from hubdeck.core.notifications.support import int_field, int_list, is_bot, same_login
from hubdeck.core.teams import Permission, allows
from hubdeck.core.users import Role


@dataclass(frozen=True, slots=True)
class Member:
    user_id: int
    login: str
    role: Role = Role.member

    @property
    def manages(self) -> bool:
        """Owners and admins: who hears about the team's pool and webhooks."""
        return allows(self.role, Permission.manage)


@dataclass(frozen=True, slots=True)
class TeamContext:
    id: int
    name: str
    members: tuple[Member, ...] = ()
    # Repository id → the branch whose failed runs alert the team (the repository's default).
    default_branches: Mapping[int, str] = field(default_factory=dict)

    def member(self, login: str) -> Member | None:
        if is_bot(login):
            return None
        return next((m for m in self.members if same_login(m.login, login)), None)


@dataclass(frozen=True, slots=True)
class Links:
    """HubDeck's pages, as paths the front end routes (``prefix`` for a sub-path deployment).

    Convention: a link without its query string is the page of its group (a repository).
    """

    prefix: str = ""

    def repository(self, team_id: int, repository_id: int) -> str:
        return f"{self.prefix}/teams/{team_id}/repositories/{repository_id}"

    def pull(self, team_id: int, repository_id: int, number: int) -> str:
        return f"{self.repository(team_id, repository_id)}?pull={number}"

    def issue(self, team_id: int, repository_id: int, number: int) -> str:
        return f"{self.repository(team_id, repository_id)}?issue={number}"

    def run(self, team_id: int, repository_id: int, run_id: int) -> str:
        return f"{self.repository(team_id, repository_id)}?run={run_id}"

    def dashboards(self, team_id: int) -> str:
        # One list of every dashboard one may see (mine, shared with me, my teams'), whatever
        # the team: the pages live at /dashboards.
        return f"{self.prefix}/dashboards"

    def dashboard(self, team_id: int, dashboard_id: int) -> str:
        return f"{self.dashboards(team_id)}/{dashboard_id}"

    def invitations(self) -> str:
        return f"{self.prefix}/invitations"

    def pool(self, team_id: int) -> str:
        return f"{self.prefix}/teams/{team_id}/pool"

    def webhooks(self, team_id: int) -> str:
        return f"{self.prefix}/teams/{team_id}/webhooks"

    def webhook_endpoint(self, team_id: int, endpoint_id: int) -> str:
        return f"{self.webhooks(team_id)}/{endpoint_id}"

    def sessions(self) -> str:
        return f"{self.prefix}/settings/sessions"


@dataclass(frozen=True, slots=True)
class RuleContext:
    # Every team the event concerns, by id: those following its repository, its own team, a
    # team it names (a dashboard shared with a team).
    teams: Mapping[int, TeamContext] = field(default_factory=dict)
    # The ids of the teams following the event's repository (each one is in ``teams``).
    following: tuple[int, ...] = ()
    # People the event addresses by user id who need not be in those teams (the invitee of a
    # team, the owner of a new session): user id → GitHub login.
    users: Mapping[int, str] = field(default_factory=dict)
    # Pull request number → its author's login, in the event's repository.
    pull_authors: Mapping[int, str] = field(default_factory=dict)
    links: Links = field(default_factory=Links)

    def team(self, team_id: int | None) -> TeamContext | None:
        return None if team_id is None else self.teams.get(team_id)

    def followers(self) -> list[TeamContext]:
        """The teams following the event's repository, by id (the first is the link's team)."""
        return [self.teams[t] for t in sorted(set(self.following)) if t in self.teams]

    def default_branch(self, team_id: int, repository_id: int) -> str | None:
        team = self.teams.get(team_id)
        return None if team is None else team.default_branches.get(repository_id)

    def pull_author(self, number: int) -> str | None:
        return self.pull_authors.get(number)

    def is_pull_author(self, number: int, login: str) -> bool:
        return same_login(self.pull_authors.get(number), login)

    def login_of(self, user_id: int) -> str | None:
        """The login of a user the context knows, or None: an unknown user gets nothing."""
        if user_id in self.users:
            return self.users[user_id]
        for team in self.teams.values():
            for member in team.members:
                if member.user_id == user_id:
                    return member.login
        return None

    def user_ids(self) -> frozenset[int]:
        """Everyone a draft may be addressed to."""
        members = {m.user_id for team in self.teams.values() for m in team.members}
        return frozenset(members | set(self.users))


@dataclass(frozen=True, slots=True)
class ContextNeeds:
    """What the caller loads for one event before running the rules."""

    # Load the teams following this repository (ids, names, members, default branches).
    followers_of: int | None = None
    # Load these teams too (the event's own team, a grantee team).
    team_ids: tuple[int, ...] = ()
    # Load these users' logins (people addressed by id).
    user_ids: tuple[int, ...] = ()
    # Load these pull requests' authors, in ``followers_of``.
    pull_numbers: tuple[int, ...] = ()


def needs(event: DomainEvent) -> ContextNeeds:
    """What to load for ``event``; the bus consumer skips events no rule handles first."""
    data = event.data
    teams = [t for t in (event.team_id, int_field(data, "grantee_team_id")) if t is not None]
    user = int_field(data, "user_id")
    pulls: list[int] = []
    if event.type == "pull_request.reviewed":
        number = int_field(data, "number")
        pulls = [] if number is None else [number]
    elif event.type == "workflow_run.failed":
        pulls = int_list(data, "pull_numbers")
    return ContextNeeds(
        followers_of=event.repository_id,
        team_ids=tuple(dict.fromkeys(teams)),
        user_ids=() if user is None else (user,),
        pull_numbers=tuple(dict.fromkeys(pulls)) if event.repository_id is not None else (),
    )
