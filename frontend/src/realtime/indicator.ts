/**
 * Pure presentation of the connection state for the header indicator: which
 * `data-state`, which text and which tooltip. The DOM contract (tested
 * end-to-end) is:
 *
 * - `data-state="connected"`    text "Connected", or "Connected · 12 ms" once the
 *                               round trip was measured (see ./latency.ts)
 * - `data-state="connecting"`   text "Connecting…" (no connection was established yet),
 *                               "Reconnecting in Ns" (a lost connection, waiting for the
 *                               next attempt), "Reconnecting…" (that attempt is in flight)
 * - `data-state="disconnected"` text "Disconnected", the reason in the title
 */
import { CLIENT_DISCONNECT_CALLED, type ConnectionState } from './connectionState';
import { formatLatency } from './latency';

export type IndicatorState = 'connected' | 'connecting' | 'disconnected';

export interface IndicatorView {
  readonly state: IndicatorState;
  readonly text: string;
  readonly title: string;
}

/** Whole seconds left until `deadline`, rounded up; 0 once it has passed. */
export function secondsUntil(deadline: number, now: number): number {
  const remaining = deadline - now;
  return remaining > 0 ? Math.ceil(remaining / 1000) : 0;
}

/**
 * Milliseconds until {@link secondsUntil} changes its value, or null when it
 * already reached 0 and will not change any more.
 */
export function msUntilSecondsChange(deadline: number, now: number): number | null {
  const remaining = deadline - now;
  if (remaining <= 0) {
    return null;
  }
  // ceil(remaining / 1000) drops by one when remaining reaches the next lower
  // multiple of 1000 ms.
  return remaining - (Math.ceil(remaining / 1000) - 1) * 1000;
}

export function formatCountdown(seconds: number): string {
  return `Reconnecting in ${seconds}s`;
}

/**
 * @param secondsLeft whole seconds until the scheduled attempt (see
 *   {@link secondsUntil}); only used while `state.retryAt` is set.
 * @param latencyMs the last measured round trip, shown while connected.
 */
export function describeConnection(
  state: ConnectionState,
  secondsLeft: number | null,
  latencyMs: number | null = null,
): IndicatorView {
  switch (state.phase) {
    case 'connected': {
      const latency = latencyMs === null ? '' : formatLatency(latencyMs);
      return {
        state: 'connected',
        text: latency === '' ? 'Connected' : `Connected · ${latency}`,
        title:
          latency === ''
            ? 'Live updates are on: connected to the HubDeck server.'
            : `Live updates are on: connected to the HubDeck server (round trip ${latency}).`,
      };
    }
    case 'disconnected':
      return {
        state: 'disconnected',
        text: 'Disconnected',
        title: disconnectTitle(state.code, state.reason),
      };
    case 'connecting': {
      const waiting = state.retryAt !== null && secondsLeft !== null && secondsLeft > 0;
      if (!state.established) {
        return {
          state: 'connecting',
          text: 'Connecting…',
          title: waiting
            ? `Could not reach the HubDeck server yet; trying again in ${secondsLeft}s.`
            : 'Connecting to the HubDeck server.',
        };
      }
      const lost = state.lastReason ? `Connection lost (${state.lastReason}).` : 'Connection lost.';
      if (waiting) {
        return {
          state: 'connecting',
          text: formatCountdown(secondsLeft),
          title: `${lost} Next attempt in ${secondsLeft}s.`,
        };
      }
      return { state: 'connecting', text: 'Reconnecting…', title: `${lost} Reconnecting now.` };
    }
  }
}

function disconnectTitle(code: number, reason: string): string {
  if (code === CLIENT_DISCONNECT_CALLED) {
    return 'Disconnected by this page.';
  }
  const text = reason.trim() === '' ? 'The server ended the session' : reason;
  return `${text} (code ${code})`;
}
