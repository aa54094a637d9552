import { useQueryClient } from '@tanstack/react-query';
import { Link, NavLink, Outlet, useMatch } from 'react-router-dom';

import { isUnauthenticated } from '../api';
import { UserMenu } from '../features/auth/UserMenu';
import { useMe } from '../features/auth/queries';
import { NotificationCenter } from '../features/notifications/NotificationCenter';
import type { Team } from '../features/auth/model';
import { parseId, pickTeam, readRememberedTeam } from '../features/teams/currentTeam';
import { TeamSwitcher } from '../features/teams/TeamSwitcher';
import { ME_QUERY_KEY } from '../queryClient';
import { useRealtimeSession } from '../realtime';
import { ConnectionIndicator } from './ConnectionIndicator';
import { OfflineBanner } from './OfflineBanner';
import { ThemeToggle } from './ThemeToggle';
import { OtherDevices } from '../features/sessions/OtherDevices';
import { SignedOutScreen } from '../features/sessions/SignedOutScreen';
import { useSessionRevoked } from '../features/sessions/revoked';
import { useAcrossDevices } from '../features/sessions/useAcrossDevices';

interface NavItem {
  readonly to: string;
  readonly label: string;
  readonly end: boolean;
}

/** Only pages that exist are listed: the team's pages once there is a team. */
export function navigationFor(team: Team | null): NavItem[] {
  const status: NavItem = { to: '/status', label: 'System status', end: false };
  if (team === null) {
    return [{ to: '/', label: 'Overview', end: true }, status];
  }
  return [
    { to: `/teams/${team.id}`, label: 'Overview', end: true },
    { to: `/teams/${team.id}/repositories`, label: 'Repositories', end: false },
    { to: `/teams/${team.id}/activity`, label: 'Activity', end: false },
    { to: `/teams/${team.id}/settings`, label: 'Team', end: false },
    ...(team.role === 'owner' || team.role === 'admin'
      ? [{ to: `/teams/${team.id}/webhooks`, label: 'Webhooks', end: false }]
      : []),
    { to: '/dashboards', label: 'Dashboards', end: false },
    { to: `/teams/${team.id}/pool`, label: 'GitHub quota', end: false },
    status,
  ];
}

export function AppShell() {
  const me = useMe();
  const match = useMatch('/teams/:teamId/*');
  const teams = me.data?.teams ?? [];
  const team = pickTeam(teams, parseId(match?.params.teamId), readRememberedTeam());
  const navigation = navigationFor(me.isError ? null : team);
  const signedInUser = me.isError ? undefined : me.data?.user;
  const queryClient = useQueryClient();
  // The live connection follows sign-in and sign-out (its session travels on the handshake);
  // when the server ends it for its session, /api/me is asked whether the session is over.
  useRealtimeSession(me.isError && isUnauthenticated(me.error) ? null : me.data?.user.id, () => {
    void queryClient.invalidateQueries({ queryKey: ME_QUERY_KEY });
  });

  // Another device ended this one's session: only the signed-out screen is left to show.
  const revoked = useSessionRevoked();
  useAcrossDevices(signedInUser === undefined || revoked ? null : signedInUser.id);

  return (
    <div className="shell">
      <header className="topbar">
        <div className="topbar__inner">
          <Link to="/" className="brand">
            <img src="/favicon.svg" alt="" width="24" height="24" />
            <span>HubDeck</span>
          </Link>
          {team !== null && !me.isError && <TeamSwitcher teams={teams} current={team} />}
          <nav className="nav" aria-label="Main">
            {navigation.map((item) => (
              <NavLink
                key={item.to}
                to={item.to}
                end={item.end}
                className={({ isActive }) => (isActive ? 'nav__link nav__link--active' : 'nav__link')}
              >
                {item.label}
              </NavLink>
            ))}
          </nav>
          <div className="topbar__tools">
            <ConnectionIndicator />
            {signedInUser !== undefined && !revoked && <OtherDevices />}
            {signedInUser !== undefined && <NotificationCenter key={signedInUser.id} userId={signedInUser.id} />}
            <ThemeToggle />
            <UserMenu />
          </div>
        </div>
      </header>
      <OfflineBanner />
      <main className="content">{revoked ? <SignedOutScreen /> : <Outlet />}</main>
    </div>
  );
}
