import { describe, expect, it } from 'vitest';

import { can, decodeMe } from './model';
import { safeNext, signInErrorText, signInHref } from './signin';

describe('decodeMe', () => {
  it('decodes the user and teams of /api/me', () => {
    const me = decodeMe({
      user: { id: 1, login: 'alice', name: null, avatar_url: 'https://avatars.example/u/1' },
      teams: [{ id: 3, slug: 'platform', name: 'Platform', github_org: null, role: 'owner' }],
    });
    expect(me.user.login).toBe('alice');
    expect(me.teams).toEqual([{ id: 3, slug: 'platform', name: 'Platform', github_org: null, role: 'owner' }]);
  });

  it('reads an unknown role as the least allowed one', () => {
    const me = decodeMe({
      user: { id: 1, login: 'a', name: 'A', avatar_url: null },
      teams: [{ id: 1, slug: 's', name: 'S', github_org: 'acme', role: 'auditor' }],
    });
    expect(me.teams[0]?.role).toBe('viewer');
  });

  it('rejects a body without a user', () => {
    expect(() => decodeMe({ teams: [] })).toThrow('$.user: expected an object');
  });
});

describe('can', () => {
  it('mirrors the server permission table', () => {
    expect(can('owner', 'invite')).toBe(true);
    expect(can('admin', 'manage')).toBe(true);
    expect(can('member', 'follow')).toBe(true);
    expect(can('member', 'invite')).toBe(false);
    expect(can('viewer', 'view')).toBe(true);
    expect(can('viewer', 'follow')).toBe(false);
  });
});

describe('sign-in links', () => {
  it('come back to the page that asked', () => {
    expect(signInHref('/teams/1/repositories?sort=ci')).toBe(
      '/auth/github/login?next=%2Fteams%2F1%2Frepositories%3Fsort%3Dci',
    );
  });

  it('only come back to local pages, never to the sign-in page itself', () => {
    expect(safeNext('https://evil.example/')).toBe('/');
    expect(safeNext('//evil.example/')).toBe('/');
    expect(safeNext('/\\evil')).toBe('/');
    expect(safeNext(null)).toBe('/');
    expect(safeNext('/signin?error=access_denied')).toBe('/');
    expect(safeNext('/join/abc')).toBe('/join/abc');
  });

  it('explain the ?error= reasons in words', () => {
    expect(signInErrorText('access_denied')).toMatch(/cancelled/);
    expect(signInErrorText('missing_code')).toMatch(/start again/);
    expect(signInErrorText('some_new_code')).toBe(
      'The sign-in did not complete (GitHub said “some new code”). Please try again.',
    );
  });
});
