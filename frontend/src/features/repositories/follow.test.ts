import { describe, expect, it } from 'vitest';

import type { Candidate } from './model';
import { setFollowed } from './queries';
import { SYNC_WAIT_MS, syncState } from './syncState';

const candidate = (github_id: number, followed: boolean): Candidate => ({
  github_id,
  full_name: `acme/r${github_id}`,
  private: false,
  description: null,
  stars: 0,
  language: null,
  pushed_at: null,
  followed,
});

describe('setFollowed', () => {
  it('marks only the given candidate, so a rollback does not undo other rows', () => {
    const list = [candidate(1, false), candidate(2, true)];
    const optimistic = setFollowed(list, 1, true);
    expect(optimistic?.map((c) => c.followed)).toEqual([true, true]);
    expect(list[0]?.followed).toBe(false);
    // Row 2 was unfollowed meanwhile; rolling back row 1 keeps that.
    const both = setFollowed(optimistic, 2, false);
    expect(setFollowed(both, 1, false)?.map((c) => c.followed)).toEqual([false, false]);
    expect(setFollowed(undefined, 1, true)).toBeUndefined();
  });
});

describe('syncState', () => {
  const now = 1_000_000;

  it('is "syncing" before the first sync, "synced" after', () => {
    expect(syncState(null, null, now)).toBe('syncing');
    expect(syncState('2026-11-01T00:00:00Z', null, now)).toBe('synced');
  });

  it('is "queued" after "Sync now" until synced_at moves, or for at most SYNC_WAIT_MS', () => {
    const request = { before: '2026-11-01T00:00:00Z', at: now };
    expect(syncState('2026-11-01T00:00:00Z', request, now + 1000)).toBe('queued');
    expect(syncState('2026-11-01T00:05:00Z', request, now + 1000)).toBe('synced');
    expect(syncState('2026-11-01T00:00:00Z', request, now + SYNC_WAIT_MS)).toBe('synced');
  });
});
