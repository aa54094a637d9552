/**
 * Pure state machine of the real-time connection, as the UI needs it.
 *
 * It is fed by the SDK's client events (`connecting`, `connected`,
 * `disconnected`) and by two events the SDK does not emit but that
 * {@link ./observableCentrifuge} reports: a reconnect attempt was scheduled
 * (with its delay) and a scheduled attempt started. No timers, no SDK imports:
 * everything here is deterministic and unit-tested.
 */

/** Codes of the SDK's `disconnected` event that the client itself produces. */
export const CLIENT_DISCONNECT_CALLED = 0;

export type ConnectionEvent =
  /** The client entered (or re-entered) the connecting state. */
  | { readonly type: 'connecting'; readonly code: number; readonly reason: string }
  /** The server accepted the session. */
  | { readonly type: 'connected'; readonly at: number }
  /** Terminal: the client will not reconnect by itself. */
  | { readonly type: 'disconnected'; readonly code: number; readonly reason: string }
  /** The SDK scheduled its next connection attempt `delayMs` after `at`. */
  | { readonly type: 'reconnect-scheduled'; readonly delayMs: number; readonly at: number }
  /** The SDK started a connection attempt (its timer fired, or the browser came back online). */
  | { readonly type: 'attempt-started' };

export type ConnectionState =
  | {
      readonly phase: 'connecting';
      /** Whether a connection was established before: then this is a *re*connect. */
      readonly established: boolean;
      /**
       * Epoch milliseconds at which the next attempt is due, or null while an
       * attempt is in flight (or its schedule is not known yet).
       */
      readonly retryAt: number | null;
      /** Why the previous connection or attempt ended, if known. */
      readonly lastReason: string | null;
    }
  | { readonly phase: 'connected'; readonly established: true; readonly since: number }
  | {
      readonly phase: 'disconnected';
      readonly established: boolean;
      readonly code: number;
      readonly reason: string;
    };

export const initialConnectionState: ConnectionState = {
  phase: 'connecting',
  established: false,
  retryAt: null,
  lastReason: null,
};

export function reduceConnection(state: ConnectionState, event: ConnectionEvent): ConnectionState {
  switch (event.type) {
    case 'connecting':
      return {
        phase: 'connecting',
        established: state.established,
        retryAt: null,
        // Code 0 is the SDK's "connect called": not a failure worth reporting.
        lastReason: event.code === 0 ? null : event.reason,
      };
    case 'connected':
      return { phase: 'connected', established: true, since: event.at };
    case 'disconnected':
      return {
        phase: 'disconnected',
        established: state.established,
        code: event.code,
        reason: event.reason,
      };
    case 'reconnect-scheduled':
      // A schedule only means something while the client is trying to connect.
      if (state.phase !== 'connecting') {
        return state;
      }
      return { ...state, retryAt: event.at + Math.max(0, event.delayMs) };
    case 'attempt-started':
      if (state.phase !== 'connecting' || state.retryAt === null) {
        return state;
      }
      return { ...state, retryAt: null };
  }
}
