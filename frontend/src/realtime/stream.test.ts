import { describe, expect, it } from 'vitest';

import { StreamTracker, type Verdict } from './stream';

const at = (offset: number, epoch = 'e1') => ({ offset, epoch });

/** Feeds publications (offset, id) in order; returns the ids applied. */
function deliver(tracker: StreamTracker, publications: readonly [number | null, string | null][]): (string | null)[] {
  const applied: (string | null)[] = [];
  for (const [offset, id] of publications) {
    const verdict: Verdict = tracker.check(offset, id);
    if (verdict !== 'duplicate') {
      applied.push(id);
    }
  }
  return applied;
}

describe('StreamTracker.check: each publication at most once', () => {
  it('drops duplicated and out-of-order deliveries by offset', () => {
    const tracker = new StreamTracker();
    expect(tracker.subscribed({ wasRecovering: false, recovered: false, position: at(10) })).toBe('initial');
    const applied = deliver(tracker, [
      [11, 'a'],
      [12, 'b'],
      [12, 'b'], // the same publication again (e.g. a recovery overlapping the live stream)
      [11, 'a'],
      [13, 'c'],
      [12, 'b2'], // an older offset after a newer one: not applied
      [10, 'z'], // at the position the page loaded from: already in its data
      [14, 'd'],
    ]);
    expect(applied).toEqual(['a', 'b', 'c', 'd']);
    expect(tracker.position()).toEqual(at(14));
  });

  it('drops a repeated event id, also without offsets', () => {
    const tracker = new StreamTracker();
    expect(deliver(tracker, [[null, 'a'], [null, 'b'], [null, 'a'], [null, null], [null, null]])).toEqual([
      'a',
      'b',
      null,
      null,
    ]);
  });

  it('drops the same event delivered again under another offset', () => {
    const tracker = new StreamTracker();
    expect(deliver(tracker, [[1, 'a'], [2, 'a'], [3, 'b']])).toEqual(['a', 'b']);
  });

  it('remembers a bounded number of ids, oldest forgotten first', () => {
    const tracker = new StreamTracker(2);
    expect(deliver(tracker, [[null, 'a'], [null, 'b'], [null, 'c'], [null, 'b'], [null, 'a']])).toEqual([
      'a',
      'b',
      'c',
      'a',
    ]);
  });

  it('applies a publication after a gap, and says so', () => {
    const tracker = new StreamTracker();
    tracker.subscribed({ wasRecovering: false, recovered: false, position: at(5) });
    expect(tracker.check(6, 'a')).toBe('apply');
    expect(tracker.check(9, 'b')).toBe('apply-after-gap');
    expect(tracker.check(10, 'c')).toBe('apply');
  });

  it('knows no gap before its first position', () => {
    const tracker = new StreamTracker();
    expect(tracker.check(42, 'a')).toBe('apply');
    expect(tracker.check(43, 'b')).toBe('apply');
  });
});

describe('StreamTracker.subscribed: when to refetch', () => {
  it('asks for an initial refetch on the first subscribe', () => {
    const tracker = new StreamTracker();
    expect(tracker.subscribed({ wasRecovering: false, recovered: false, position: at(3) })).toBe('initial');
    expect(tracker.position()).toEqual(at(3));
  });

  it('asks for nothing when the missed publications were recovered, and applies them once', () => {
    const tracker = new StreamTracker();
    tracker.subscribed({ wasRecovering: false, recovered: false, position: at(3) });
    deliver(tracker, [[4, 'a'], [5, 'b']]);
    // Reconnected: the server recovers from 5; it replays 5 (overlap) and the missed 6, 7.
    expect(tracker.subscribed({ wasRecovering: true, recovered: true, position: at(5) })).toBeNull();
    expect(deliver(tracker, [[5, 'b'], [6, 'c'], [7, 'd'], [6, 'c']])).toEqual(['c', 'd']);
  });

  it('asks for a refetch when recovery was impossible, and then takes the new top as its position', () => {
    const tracker = new StreamTracker();
    tracker.subscribed({ wasRecovering: false, recovered: false, position: at(3) });
    deliver(tracker, [[4, 'a']]);
    expect(tracker.subscribed({ wasRecovering: true, recovered: false, position: at(90) })).toBe('unrecovered');
    // Up to 90 is in what the page refetches.
    expect(deliver(tracker, [[88, 'x'], [91, 'y']])).toEqual(['y']);
  });

  it('treats a resubscribe without recovery (a channel without history) as unrecovered', () => {
    const tracker = new StreamTracker();
    expect(tracker.subscribed({ wasRecovering: false, recovered: false, position: null })).toBe('initial');
    expect(tracker.subscribed({ wasRecovering: false, recovered: false, position: null })).toBe('unrecovered');
  });

  it('starts over in a new epoch: old offsets are no bound', () => {
    const tracker = new StreamTracker();
    tracker.subscribed({ wasRecovering: false, recovered: false, position: at(500, 'old') });
    deliver(tracker, [[501, 'a']]);
    expect(tracker.subscribed({ wasRecovering: true, recovered: false, position: at(2, 'new') })).toBe('unrecovered');
    expect(deliver(tracker, [[3, 'b'], [4, 'c']])).toEqual(['b', 'c']);
    expect(tracker.position()).toEqual(at(4, 'new'));
  });

  it('reports a first subscribe that tried to recover (from a given position) as unrecovered', () => {
    const tracker = new StreamTracker();
    expect(tracker.subscribed({ wasRecovering: true, recovered: false, position: at(8) })).toBe('unrecovered');
  });
});
