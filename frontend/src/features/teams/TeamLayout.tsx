import { useEffect } from 'react';
import { Link, Outlet, useOutletContext, useParams } from 'react-router-dom';

import { useDocumentTitle } from '../../components/useDocumentTitle';
import type { Team } from '../auth/model';
import { useSignedIn } from '../auth/RequireUser';
import { useLiveTeam } from '../live/hooks';
import { parseId, rememberTeam } from './currentTeam';

/** Layout of `/teams/:teamId/*`: checks the user is in the team, remembers it, hands it to the page. */
export function TeamLayout() {
  const me = useSignedIn();
  const { teamId } = useParams();
  const id = parseId(teamId);
  const team = me.teams.find((candidate) => candidate.id === id);
  // Every page of the team stays fresh from the team's live channel.
  useLiveTeam(team?.id ?? null);

  useEffect(() => {
    if (team !== undefined) {
      rememberTeam(team.id);
    }
  }, [team]);

  if (team === undefined) {
    return <NotInTeam hasTeams={me.teams.length > 0} />;
  }
  return <Outlet context={team} />;
}

/** The team of the current `/teams/:teamId/*` page. */
export function useTeam(): Team {
  return useOutletContext<Team>();
}

function NotInTeam({ hasTeams }: { readonly hasTeams: boolean }) {
  useDocumentTitle('Team not found');
  return (
    <section className="page" data-testid="not-in-team">
      <div className="page__header">
        <h1>Team not found</h1>
        <p className="lead">This team does not exist, or you are not one of its members.</p>
      </div>
      <p>
        {hasTeams ? <Link to="/">Go to your team</Link> : <Link to="/teams/new">Create a team</Link>}
        {' · '}To join someone else&rsquo;s team, open the invitation link they sent you.
      </p>
    </section>
  );
}
