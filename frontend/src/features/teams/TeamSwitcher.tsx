import { useId } from 'react';
import { useLocation, useNavigate } from 'react-router-dom';

import type { Team } from '../auth/model';
import { rememberTeam, teamPath } from './currentTeam';

/** The header's team: a switcher with several teams, a label with one. */
export function TeamSwitcher({ teams, current }: { readonly teams: readonly Team[]; readonly current: Team }) {
  const navigate = useNavigate();
  const { pathname } = useLocation();
  const id = useId();
  if (teams.length < 2) {
    return (
      <span className="team-label" data-testid="team-label" title="Your team">
        {current.name}
      </span>
    );
  }
  return (
    <>
      <label htmlFor={id} className="visually-hidden">
        Team
      </label>
      <select
        id={id}
        className="select select--compact"
        data-testid="team-switcher"
        value={current.id}
        onChange={(event) => {
          const teamId = Number(event.target.value);
          rememberTeam(teamId);
          void navigate(teamPath(pathname, teamId));
        }}
      >
        {[...teams]
          .sort((a, b) => a.name.localeCompare(b.name))
          .map((team) => (
            <option key={team.id} value={team.id}>
              {team.name}
            </option>
          ))}
      </select>
    </>
  );
}
