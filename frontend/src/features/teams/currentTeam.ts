/** Which team the pages show: the one in the URL, else the remembered choice, else the first. */
import type { Team } from '../auth/model';

/** localStorage key remembering the last team chosen. */
export const TEAM_STORAGE_KEY = 'hubdeck.team';

/** A route's `:teamId` as a team id, or null ("new", "abc", "0"). */
export function parseId(value: string | null | undefined): number | null {
  if (value === null || value === undefined || !/^[1-9]\d{0,15}$/.test(value)) {
    return null;
  }
  return Number(value);
}

export function pickTeam(teams: readonly Team[], fromUrl: number | null, remembered: number | null): Team | null {
  return (
    teams.find((team) => team.id === fromUrl) ??
    teams.find((team) => team.id === remembered) ??
    teams[0] ??
    null
  );
}

export function readRememberedTeam(storage?: Pick<Storage, 'getItem'>): number | null {
  try {
    // Reading `localStorage` itself throws where storage is blocked; absent outside browsers.
    const store = storage ?? (typeof localStorage === 'undefined' ? undefined : localStorage);
    return parseId(store?.getItem(TEAM_STORAGE_KEY));
  } catch {
    return null; // storage disabled
  }
}

export function rememberTeam(id: number, storage?: Pick<Storage, 'setItem'>): void {
  try {
    const store = storage ?? (typeof localStorage === 'undefined' ? undefined : localStorage);
    store?.setItem(TEAM_STORAGE_KEY, String(id));
  } catch {
    // Not remembered; the URL still says which team.
  }
}

/**
 * The same page for another team: `/teams/1/repositories/5` → `/teams/2/repositories`
 * (a repository belongs to one team), `/teams/1` → `/teams/2`.
 */
export function teamPath(pathname: string, teamId: number): string {
  const match = /^\/teams\/\d+(\/repositories)?(\/add)?/.exec(pathname);
  if (match === null) {
    return `/teams/${teamId}/repositories`;
  }
  return `/teams/${teamId}${match[1] ?? ''}${match[1] !== undefined && match[2] !== undefined ? match[2] : ''}`;
}
