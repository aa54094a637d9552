import { describe, expect, it } from 'vitest';

import { ApiError } from '../../api';
import type { Me, Team } from '../auth/model';
import { TEAM_STORAGE_KEY, parseId, pickTeam, readRememberedTeam, rememberTeam, teamPath } from './currentTeam';
import { withTeam } from './queries';
import { teamCreateErrorText } from './TeamSetupPage';

const team = (id: number, name = `Team ${id}`): Team => ({ id, slug: `t${id}`, name, github_org: null, role: 'member' });

describe('parseId', () => {
  it('accepts positive integers only', () => {
    expect(parseId('12')).toBe(12);
    expect(parseId('new')).toBeNull();
    expect(parseId('0')).toBeNull();
    expect(parseId('-1')).toBeNull();
    expect(parseId('1e3')).toBeNull();
    expect(parseId(undefined)).toBeNull();
  });
});

describe('pickTeam', () => {
  const teams = [team(1), team(2), team(3)];

  it('prefers the team in the URL, then the remembered one, then the first', () => {
    expect(pickTeam(teams, 3, 2)?.id).toBe(3);
    expect(pickTeam(teams, null, 2)?.id).toBe(2);
    expect(pickTeam(teams, null, null)?.id).toBe(1);
  });

  it('ignores teams the user is not in', () => {
    expect(pickTeam(teams, 9, 8)?.id).toBe(1);
    expect(pickTeam([], 1, 1)).toBeNull();
  });
});

describe('remembering the team', () => {
  it('round-trips through storage and survives a storage that throws', () => {
    const store = new Map<string, string>();
    const storage = {
      getItem: (key: string) => store.get(key) ?? null,
      setItem: (key: string, value: string) => {
        store.set(key, value);
      },
    };
    rememberTeam(7, storage);
    expect(store.get(TEAM_STORAGE_KEY)).toBe('7');
    expect(readRememberedTeam(storage)).toBe(7);

    const blocked = {
      getItem: (): string => {
        throw new Error('denied');
      },
      setItem: () => {
        throw new Error('denied');
      },
    };
    expect(readRememberedTeam(blocked)).toBeNull();
    expect(() => {
      rememberTeam(1, blocked);
    }).not.toThrow();
  });
});

describe('teamPath', () => {
  it('keeps the page when switching team, dropping what belongs to the old team', () => {
    expect(teamPath('/teams/1', 2)).toBe('/teams/2');
    expect(teamPath('/teams/1/repositories', 2)).toBe('/teams/2/repositories');
    expect(teamPath('/teams/1/repositories/add', 2)).toBe('/teams/2/repositories/add');
    expect(teamPath('/teams/1/repositories/17', 2)).toBe('/teams/2/repositories');
    expect(teamPath('/status', 2)).toBe('/teams/2/repositories');
  });
});

describe('withTeam', () => {
  it('adds a new team to the cached /api/me, or replaces it', () => {
    const me: Me = { user: { id: 1, login: 'a', name: null, avatar_url: null }, teams: [team(1)] };
    expect(withTeam(me, team(2))?.teams.map((t) => t.id)).toEqual([1, 2]);
    expect(withTeam(me, team(1, 'Renamed'))?.teams).toEqual([team(1, 'Renamed')]);
    expect(withTeam(undefined, team(1))).toBeUndefined();
  });
});

describe('teamCreateErrorText', () => {
  it('explains a taken name, an invalid one and other failures', () => {
    expect(teamCreateErrorText(new ApiError(409, 'conflict', "a team named 'platform' already exists"), ' Platform ')).toBe(
      'A team named “Platform” already exists. Choose another name, or ask one of its owners for an invitation link.',
    );
    expect(teamCreateErrorText(new ApiError(422, 'invalid_input', 'a team name needs at least one letter or digit'), '!!')).toBe(
      'This name cannot be used: a team name needs at least one letter or digit.',
    );
    expect(teamCreateErrorText(new ApiError(0, 'network_error', 'The HubDeck server could not be reached.'), 'x')).toMatch(
      /could not be reached/,
    );
  });
});
