/**
 * The "updates are paused" banner: shown when the browser says it is offline,
 * or when the live connection has been down for more than
 * {@link OFFLINE_BANNER_DELAY_MS} (a short reconnect does not flash it).
 * Pure: the hook in ./hooks.ts feeds it the state and the clock.
 */
import { CLIENT_DISCONNECT_CALLED, type ConnectionState } from './connectionState';

export const OFFLINE_BANNER_DELAY_MS = 3_000;

export interface OfflineBanner {
  /** `browser`: the device is offline; `server`: it cannot reach HubDeck; `stopped`: the connection ended for good. */
  readonly reason: 'browser' | 'server' | 'stopped';
  readonly text: string;
}

/**
 * @param downLongEnough whether the connection has been down since before
 *   {@link bannerDeadline} (see there)
 * @param browserOnline `navigator.onLine`
 */
export function offlineBanner(
  state: ConnectionState,
  downLongEnough: boolean,
  browserOnline: boolean,
): OfflineBanner | null {
  if (!browserOnline) {
    return {
      reason: 'browser',
      text: 'You are offline. Live updates are paused and will catch up when you are back online.',
    };
  }
  if (state.phase === 'connected' || !downLongEnough) {
    return null;
  }
  if (state.phase === 'disconnected' && state.code !== CLIENT_DISCONNECT_CALLED) {
    const reason = state.reason.trim() === '' ? `code ${state.code}` : state.reason;
    return {
      reason: 'stopped',
      text: `Live updates are off (${reason}). Reload the page to turn them back on.`,
    };
  }
  return {
    reason: 'server',
    text: 'Live updates are paused: the HubDeck server cannot be reached. They will catch up when the connection is back.',
  };
}

/** When a connection down since `downSince` (epoch ms, null: it is up) has been down long enough for the banner. */
export function bannerDeadline(downSince: number | null): number | null {
  return downSince === null ? null : downSince + OFFLINE_BANNER_DELAY_MS;
}
