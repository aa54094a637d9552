import { describe, expect, it } from 'vitest';

import { PresenceTracker, type PresenceClient } from './presence';

const tab = (client: string, user: string): PresenceClient => ({ client, user });
const users = (tracker: PresenceTracker) => tracker.users().map((user) => `${user.user}×${user.clients.length}`);

describe('PresenceTracker', () => {
  it('lists each user once with their tabs, without anonymous connections, by id', () => {
    const tracker = new PresenceTracker();
    const request = tracker.beginSnapshot();
    expect(
      tracker.snapshot(request, {
        a: tab('a', '10'),
        b: tab('b', '2'),
        c: tab('c', '10'),
        d: tab('d', ''),
      }),
    ).toBe(true);
    expect(users(tracker)).toEqual(['2×1', '10×2']);
  });

  it('follows joins and leaves', () => {
    const tracker = new PresenceTracker();
    tracker.join(tab('a', '1'));
    tracker.join(tab('b', '2'));
    tracker.join(tab('c', '2'));
    tracker.leave(tab('b', '2'));
    expect(users(tracker)).toEqual(['1×1', '2×1']);
    tracker.leave(tab('c', '2'));
    expect(users(tracker)).toEqual(['1×1']);
  });

  it('replays pushes that arrived while the snapshot was on its way', () => {
    const tracker = new PresenceTracker();
    tracker.join(tab('stale', '9'));
    const request = tracker.beginSnapshot();
    tracker.join(tab('b', '2')); // after the server took the snapshot
    tracker.leave(tab('a', '1')); // the snapshot still has a
    expect(tracker.snapshot(request, { a: tab('a', '1'), x: tab('x', '3') })).toBe(true);
    expect(users(tracker)).toEqual(['2×1', '3×1']);
  });

  it('ignores an outdated snapshot', () => {
    const tracker = new PresenceTracker();
    const first = tracker.beginSnapshot();
    const second = tracker.beginSnapshot();
    expect(tracker.snapshot(first, { a: tab('a', '1') })).toBe(false);
    expect(tracker.snapshot(second, { b: tab('b', '2') })).toBe(true);
    expect(users(tracker)).toEqual(['2×1']);
  });

  it('forgets everyone when cleared', () => {
    const tracker = new PresenceTracker();
    tracker.join(tab('a', '1'));
    const request = tracker.beginSnapshot();
    tracker.clear();
    expect(tracker.snapshot(request, { b: tab('b', '2') })).toBe(false);
    expect(users(tracker)).toEqual([]);
  });
});
