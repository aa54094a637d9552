/**
 * The repository page's sync status. The API says only when a sync last
 * finished (`synced_at`), so a requested sync counts as done when that moves,
 * or gives up waiting after {@link SYNC_WAIT_MS}.
 */
import type { SyncState } from './SyncStatus';

export const SYNC_WAIT_MS = 120_000;

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
