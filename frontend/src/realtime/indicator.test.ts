import { describe, expect, it } from 'vitest';

import type { ConnectionState } from './connectionState';
import { describeConnection, formatCountdown, msUntilSecondsChange, secondsUntil } from './indicator';

describe('secondsUntil', () => {
  it('rounds up to whole seconds', () => {
    expect(secondsUntil(10_000, 0)).toBe(10);
    expect(secondsUntil(10_000, 1)).toBe(10);
    expect(secondsUntil(10_000, 999)).toBe(10);
    expect(secondsUntil(10_000, 1_000)).toBe(9);
    expect(secondsUntil(10_000, 9_999)).toBe(1);
  });

  it('is 0 at and after the deadline', () => {
    expect(secondsUntil(10_000, 10_000)).toBe(0);
    expect(secondsUntil(10_000, 12_345)).toBe(0);
  });
});

describe('msUntilSecondsChange', () => {
  it('waits until the displayed value drops', () => {
    expect(msUntilSecondsChange(2_500, 0)).toBe(500);
    expect(msUntilSecondsChange(3_000, 0)).toBe(1_000);
    expect(msUntilSecondsChange(3_000, 2_999)).toBe(1);
  });

  it('agrees with secondsUntil', () => {
    for (const now of [0, 1, 250, 999, 1_000, 1_001, 4_321]) {
      const wait = msUntilSecondsChange(5_000, now);
      expect(wait).not.toBeNull();
      const before = secondsUntil(5_000, now);
      expect(secondsUntil(5_000, now + (wait ?? 0) - 1)).toBe(before);
      expect(secondsUntil(5_000, now + (wait ?? 0))).toBe(before - 1);
    }
  });

  it('stops once the deadline passed', () => {
    expect(msUntilSecondsChange(1_000, 1_000)).toBeNull();
    expect(msUntilSecondsChange(1_000, 5_000)).toBeNull();
  });
});

describe('formatCountdown', () => {
  it('formats whole seconds', () => {
    expect(formatCountdown(7)).toBe('Reconnecting in 7s');
  });
});

describe('describeConnection', () => {
  const reconnecting: ConnectionState = {
    phase: 'connecting',
    established: true,
    retryAt: 5_000,
    lastReason: 'transport closed',
  };

  it('shows Connected', () => {
    expect(describeConnection({ phase: 'connected', established: true, since: 0 }, null)).toMatchObject({
      state: 'connected',
      text: 'Connected',
    });
  });

  it('shows Connecting… while no connection was ever established, even between retries', () => {
    const first = describeConnection(
      { phase: 'connecting', established: false, retryAt: null, lastReason: null },
      null,
    );
    expect(first).toMatchObject({ state: 'connecting', text: 'Connecting…' });
    const retrying = describeConnection(
      { phase: 'connecting', established: false, retryAt: 9_000, lastReason: 'transport closed' },
      4,
    );
    expect(retrying.text).toBe('Connecting…');
    expect(retrying.title).toContain('4s');
  });

  it('counts down to the next attempt after a lost connection', () => {
    const view = describeConnection(reconnecting, 3);
    expect(view).toMatchObject({ state: 'connecting', text: 'Reconnecting in 3s' });
    expect(view.title).toContain('transport closed');
  });

  it('shows Reconnecting… when the attempt is due or in flight', () => {
    expect(describeConnection(reconnecting, 0).text).toBe('Reconnecting…');
    expect(describeConnection({ ...reconnecting, retryAt: null }, null).text).toBe('Reconnecting…');
  });

  it('shows the server reason of a terminal disconnect in the title', () => {
    const view = describeConnection(
      { phase: 'disconnected', established: true, code: 3501, reason: 'session rejected' },
      null,
    );
    expect(view).toEqual({ state: 'disconnected', text: 'Disconnected', title: 'session rejected (code 3501)' });
  });

  it('explains a disconnect without reason and one the page asked for', () => {
    expect(
      describeConnection({ phase: 'disconnected', established: false, code: 4501, reason: '' }, null).title,
    ).toBe('The server ended the session (code 4501)');
    expect(
      describeConnection(
        { phase: 'disconnected', established: true, code: 0, reason: 'disconnect called' },
        null,
      ).title,
    ).toBe('Disconnected by this page.');
  });
});
