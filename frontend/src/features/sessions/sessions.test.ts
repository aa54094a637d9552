import { describe, expect, it } from 'vitest';

import { isBackground, ACTIVE_WINDOW_MS } from '../../api/activity';
import { csrfFromCookies, isCsrfRefusal } from '../../api/csrf';
import {
  activeElsewhere,
  dashboardOf,
  decodeAccountEvent,
  decodeSessions,
  deviceLabel,
  isRevocation,
  teamOfDashboard,
} from './model';

const session = {
  id: 'a'.repeat(24),
  current: false,
  browser: 'Firefox 128',
  os: 'Linux',
  device_type: 'desktop',
  ip: '127.0.0.1',
  created_at: '2026-11-26T03:00:00Z',
  last_seen_at: '2026-11-26T03:05:00Z',
  connections: 1,
};

describe('devices', () => {
  it('decodes the session list and finds the devices live elsewhere', () => {
    const { sessions } = decodeSessions({ sessions: [{ ...session, current: true }, session, { ...session, connections: 0 }] });
    expect(sessions).toHaveLength(3);
    expect(activeElsewhere(sessions)).toEqual([session]);
    expect(deviceLabel(session)).toBe('Firefox 128 on Linux');
  });

  it('reads the account events of the user channel and ignores the rest', () => {
    expect(decodeAccountEvent({ type: 'session:revoked', data: { sessions: ['x'] } })).toEqual({
      type: 'session:revoked',
      sessions: ['x'],
    });
    expect(decodeAccountEvent({ type: 'preferences:updated', data: { theme: 'dark', last_dashboard: null } })).toEqual({
      type: 'preferences:updated',
      preferences: { theme: 'dark', last_dashboard: null },
    });
    expect(decodeAccountEvent({ type: 'session:signed_out', data: { sessions: ['y'] } })).toEqual({
      type: 'session:signed_out',
      sessions: ['y'],
    });
    expect(decodeAccountEvent({ type: 'created', data: {} })).toBeNull();
    expect(decodeAccountEvent({ type: 'session:revoked', data: { sessions: 'x' } })).toBeNull();
  });

  it('tells a revocation from other terminal disconnects', () => {
    expect(isRevocation(3503, 'session revoked')).toBe(true);
    expect(isRevocation(3503, 'force disconnect')).toBe(false);
    expect(isRevocation(3500, 'session revoked')).toBe(false);
  });
});

describe('last dashboard', () => {
  it('names the team dashboard of a page and reads it back', () => {
    expect(dashboardOf('/teams/3/repositories/9')).toBe('/teams/3');
    expect(dashboardOf('/teams/3')).toBe('/teams/3');
    expect(dashboardOf('/teams/new')).toBeNull();
    expect(dashboardOf('/settings/devices')).toBeNull();
    expect(teamOfDashboard('/teams/3')).toBe(3);
    expect(teamOfDashboard('/teams/x')).toBeNull();
    expect(teamOfDashboard(null)).toBeNull();
  });
});

describe('csrf and activity', () => {
  it('reads the token from either cookie name', () => {
    expect(csrfFromCookies('a=1; hubdeck_csrf=abc; b=2')).toBe('abc');
    expect(csrfFromCookies('__Host-hubdeck_csrf=xyz')).toBe('xyz');
    expect(csrfFromCookies('other=1')).toBeNull();
  });

  it('retries only refusals for the token', () => {
    expect(isCsrfRefusal(403, { code: 'permission_denied', message: 'missing or wrong CSRF token' })).toBe(true);
    expect(isCsrfRefusal(403, { code: 'permission_denied', message: 'owners only' })).toBe(false);
    expect(isCsrfRefusal(401, null)).toBe(false);
  });

  it('marks requests long after the last interaction as background', () => {
    expect(isBackground(1_000 + ACTIVE_WINDOW_MS, 1_000)).toBe(false);
    expect(isBackground(1_001 + ACTIVE_WINDOW_MS, 1_000)).toBe(true);
  });
});
