import { describe, expect, it } from 'vitest';

import type { ConnectionState } from './connectionState';
import { bannerDeadline, offlineBanner, OFFLINE_BANNER_DELAY_MS } from './offline';
import { sessionEnded, sessionMismatch, shouldReconnect } from './session';

const connected: ConnectionState = { phase: 'connected', established: true, since: 0 };
const reconnecting: ConnectionState = { phase: 'connecting', established: true, retryAt: 5_000, lastReason: 'transport closed' };

describe('offlineBanner', () => {
  it('stays hidden while connected, and during a short reconnect', () => {
    expect(offlineBanner(connected, false, true)).toBeNull();
    expect(offlineBanner(reconnecting, false, true)).toBeNull();
  });

  it('says updates are paused once the connection has been down long enough', () => {
    const banner = offlineBanner(reconnecting, true, true);
    expect(banner?.reason).toBe('server');
    expect(banner?.text).toMatch(/paused.*catch up/);
  });

  it('shows at once when the browser is offline', () => {
    expect(offlineBanner(reconnecting, false, false)).toMatchObject({ reason: 'browser' });
    expect(offlineBanner(connected, false, false)?.text).toMatch(/offline.*paused.*catch up/);
  });

  it('says live updates are off after a terminal disconnect', () => {
    const banner = offlineBanner({ phase: 'disconnected', established: true, code: 3500, reason: 'invalid token' }, true, true);
    expect(banner).toMatchObject({ reason: 'stopped' });
    expect(banner?.text).toContain('invalid token');
  });

  it('treats a disconnect of the page itself (a reconnect in progress) as paused', () => {
    expect(
      offlineBanner({ phase: 'disconnected', established: true, code: 0, reason: 'disconnect called' }, true, true),
    ).toMatchObject({ reason: 'server' });
  });
});

describe('bannerDeadline', () => {
  it('is the delay after the connection went down', () => {
    expect(bannerDeadline(null)).toBeNull();
    expect(bannerDeadline(10_000)).toBe(10_000 + OFFLINE_BANNER_DELAY_MS);
  });
});

describe('sessionMismatch', () => {
  it('waits until both sides are known', () => {
    expect(sessionMismatch(undefined, 1)).toBe(false);
    expect(sessionMismatch('1', undefined)).toBe(false);
  });

  it('compares the connection user with the signed-in one', () => {
    expect(sessionMismatch('1', 1)).toBe(false);
    expect(sessionMismatch(null, null)).toBe(false);
    expect(sessionMismatch(null, 1)).toBe(true); // signed in after the connection was made
    expect(sessionMismatch('1', null)).toBe(true); // signed out
    expect(sessionMismatch('1', 2)).toBe(true); // another user
  });
});

describe('shouldReconnect', () => {
  const ended: ConnectionState = { phase: 'disconnected', established: true, code: 3500, reason: 'session expired' };
  const stopped: ConnectionState = { phase: 'disconnected', established: true, code: 3501, reason: 'bad request' };

  it('reconnects a connection of someone else', () => {
    expect(shouldReconnect(connected, '1', null)).toBe(true);
    expect(shouldReconnect(connected, '1', 1)).toBe(false);
    expect(shouldReconnect(reconnecting, '1', null)).toBe(false);
  });

  it('reconnects a connection ended for its session once the page knows the user changed', () => {
    expect(sessionEnded(ended)).toBe(true);
    expect(sessionEnded(stopped)).toBe(false);
    expect(shouldReconnect(ended, '1', 1)).toBe(false);
    expect(shouldReconnect(ended, '1', null)).toBe(true);
    expect(shouldReconnect(stopped, '1', null)).toBe(false);
  });
});
