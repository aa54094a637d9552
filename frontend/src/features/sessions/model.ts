/** The user's sessions as devices (`GET /api/sessions`) and what their user channel says of them. */
import { arrayOf, bool, decoder, isRecord, nullable, num, object, str, type Reader } from '../../api';

export interface DeviceSession {
  readonly id: string;
  readonly current: boolean;
  readonly browser: string;
  readonly os: string;
  readonly device_type: string;
  readonly ip: string | null;
  readonly created_at: string;
  readonly last_seen_at: string;
  /** Open live connections (tabs) of that session, on every server process. */
  readonly connections: number;
}

const readDevice: Reader<DeviceSession> = object({
  id: str,
  current: bool,
  browser: str,
  os: str,
  device_type: str,
  ip: nullable(str),
  created_at: str,
  last_seen_at: str,
  connections: num,
});

export const decodeSessions = decoder(object({ sessions: arrayOf(readDevice) }));

export interface Preferences {
  readonly theme: 'light' | 'dark' | null;
  readonly last_dashboard: string | null;
}

const readTheme: Reader<'light' | 'dark' | null> = (value, path) => {
  const text = nullable(str)(value, path);
  return text === 'light' || text === 'dark' ? text : null;
};

export const readPreferences: Reader<Preferences> = object({ theme: readTheme, last_dashboard: nullable(str) });
export const decodePreferences = decoder(readPreferences);

export type AccountEvent =
  | { readonly type: 'session:revoked' | 'session:signed_out'; readonly sessions: readonly string[] }
  | { readonly type: 'preferences:updated'; readonly preferences: Preferences }
  | { readonly type: 'notification_preferences:updated' };

/** A publication on `user:{id}` about the account, or null for anything else. Pure. */
export function decodeAccountEvent(data: unknown): AccountEvent | null {
  if (!isRecord(data) || !isRecord(data['data'])) {
    return null;
  }
  if (data['type'] === 'notification_preferences:updated') {
    return { type: 'notification_preferences:updated' };
  }
  try {
    const type = data['type'];
    if (type === 'session:revoked' || type === 'session:signed_out') {
      const sessions = arrayOf(str)(data['data']['sessions'], '$.data.sessions');
      return { type, sessions };
    }
    if (data['type'] === 'preferences:updated') {
      return { type: 'preferences:updated', preferences: readPreferences(data['data'], '$.data') };
    }
  } catch {
    return null;
  }
  return null;
}

/** The devices other than this one that have a live connection now. Pure. */
export function activeElsewhere(sessions: readonly DeviceSession[]): DeviceSession[] {
  return sessions.filter((s) => !s.current && s.connections > 0);
}

/** "Firefox 128 on Linux" */
export function deviceLabel(session: Pick<DeviceSession, 'browser' | 'os'>): string {
  return `${session.browser} on ${session.os}`;
}

/** Close code and reason with which the server ends a revoked session's sockets. */
export const REVOKED_CODE = 3503;
export const REVOKED_REASON = 'session revoked';

export function isRevocation(code: number, reason: string): boolean {
  return code === REVOKED_CODE && reason === REVOKED_REASON;
}

/** The team dashboard a path is on (`/teams/3/repositories/9` → `/teams/3`), or null. Pure. */
export function dashboardOf(pathname: string): string | null {
  const match = /^\/teams\/([1-9]\d{0,15})(?:\/|$)/.exec(pathname);
  return match === null ? null : `/teams/${match[1] ?? ''}`;
}

/** The team id of a saved dashboard path, or null. Pure. */
export function teamOfDashboard(path: string | null): number | null {
  const match = path === null ? null : /^\/teams\/([1-9]\d{0,15})$/.exec(path);
  return match === null ? null : Number(match[1]);
}
