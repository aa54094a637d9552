/**
 * The repository page's sync status. The API says only when a sync last
 * finished (`synced_at`), so a requested sync counts as done when that moves,
 * or gives up waiting after {@link SYNC_WAIT_MS}.
 */
import type { SyncState } from './SyncStatus';

export const SYNC_WAIT_MS = 120_000;

/**
 * How often a page polls for a sync to finish when live updates cannot tell it
 * (the connection is down, or the channel is not subscribed).
 */
export const FALLBACK_POLL_MS = 10_000;

export interface SyncRequest {
  /** `synced_at` when "Sync now" was pressed. */
  readonly before: string | null;
  /** Epoch ms of the press. */
  readonly at: number;
}

export function syncState(syncedAt: string | null, request: SyncRequest | null, now: number): SyncState {
  if (request !== null && syncedAt === request.before && now - request.at < SYNC_WAIT_MS) {
    return 'queued';
  }
  return syncedAt === null ? 'syncing' : 'synced';
}

/**
 * How often the repository page refetches the repository while it waits for a
 * sync, or false. A first sync ends with a `repository.synced` event: with live
 * updates, no poll. A requested sync that finds nothing new announces nothing
 * (docs/events.md), so a "queued" sync is watched with the slow poll either way,
 * for at most {@link SYNC_WAIT_MS}.
 */
export function syncPollMs(state: SyncState, live: boolean): number | false {
  if (state === 'synced') {
    return false;
  }
  return state === 'queued' || !live ? FALLBACK_POLL_MS : false;
}
