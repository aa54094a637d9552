/**
 * The live connection must belong to the signed-in user: the session cookie
 * only travels on the WebSocket handshake, so after a sign-in or sign-out (or
 * a session that expired) the connection is made again. Pure.
 */
import type { ConnectionState } from './connectionState';

/**
 * Close codes with which the server ends a connection for its session: 3500
 * (invalid or expired token or session), 3503 (signed out or revoked). The SDK
 * does not reconnect after them.
 */
export const SESSION_ENDED_CODES: readonly number[] = [3500, 3503];

/** Whether the server ended the connection because its session is over. */
export function sessionEnded(state: ConnectionState): boolean {
  return state.phase === 'disconnected' && SESSION_ENDED_CODES.includes(state.code);
}

/**
 * Whether the connection's user differs from the page's.
 * @param connected the user id of the connect reply (null: anonymous; undefined: not connected yet)
 * @param expected the user of `/api/me` (null: signed out; undefined: not known yet)
 */
export function sessionMismatch(connected: string | null | undefined, expected: number | null | undefined): boolean {
  if (connected === undefined || expected === undefined) {
    return false;
  }
  return (connected ?? '') !== (expected === null ? '' : String(expected));
}

/**
 * Whether to connect again for `expected`: when the connection is up as
 * someone else, or was ended for its session and the page's user changed
 * since (e.g. `/api/me` now says signed out: an anonymous connection works).
 */
export function shouldReconnect(
  state: ConnectionState,
  connected: string | null | undefined,
  expected: number | null | undefined,
): boolean {
  if (state.phase !== 'connected' && !sessionEnded(state)) {
    return false;
  }
  return sessionMismatch(connected, expected);
}
