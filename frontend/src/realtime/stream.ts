/**
 * Where a page stands in one channel's stream: which publications it applied,
 * and when it must reload its data over HTTP instead. Pure, no SDK import.
 *
 * - **At most once.** The SDK recovers missed publications after a reconnect;
 *   around a resubscribe, a recovery or a second subscription the same
 *   publication may arrive twice, or an older one after a newer one. Offsets
 *   increase by one per channel: anything at or below the last applied offset
 *   is dropped. Publications are also remembered by event id (a bounded set),
 *   which covers publications without an offset.
 * - **Resync.** The page's data comes from HTTP, the stream only says what
 *   changed since. When the stream cannot say (the first subscribe: the data
 *   may predate it; a subscribe that could not recover the gap; an offset that
 *   jumps), the page must refetch: {@link StreamTracker.subscribed} and
 *   {@link StreamTracker.check} say so with a {@link ResyncReason}.
 * - **Epochs.** A new epoch is a new stream (the server lost its history):
 *   offsets start again, the old ones mean nothing.
 */

/**
 * Why a page must refetch what it shows from the channel:
 * - `initial`: the channel's first subscribe; data loaded before it may have missed events;
 * - `unrecovered`: a resubscribe (after a reconnect, say) that could not recover what was missed;
 * - `gap`: a publication's offset jumped, so some were missed.
 */
export type ResyncReason = 'initial' | 'unrecovered' | 'gap';

export interface StreamPosition {
  readonly offset: number;
  readonly epoch: string;
}

/** What a `subscribed` event of the SDK says about the stream. */
export interface SubscribedInfo {
  readonly wasRecovering: boolean;
  readonly recovered: boolean;
  /** Present for recoverable (or positioned) channels. */
  readonly position: StreamPosition | null;
}

/** What to do with a publication. */
export type Verdict =
  /** Apply it. */
  | 'apply'
  /** Apply it, and refetch: publications before it were missed. */
  | 'apply-after-gap'
  /** Already applied, or older than what was: drop it. */
  | 'duplicate';

/** How many event ids are remembered per channel. */
export const REMEMBERED_EVENT_IDS = 500;

export class StreamTracker {
  private epoch: string | null = null;
  private last: number | null = null;
  private subscribedBefore = false;
  private readonly ids = new Set<string>();
  private readonly maxIds: number;

  constructor(maxIds = REMEMBERED_EVENT_IDS) {
    this.maxIds = Math.max(1, maxIds);
  }

  /** The last applied offset and its epoch, to subscribe again from there. */
  position(): StreamPosition | null {
    return this.last === null || this.epoch === null ? null : { offset: this.last, epoch: this.epoch };
  }

  /** Records a `subscribed` event; returns why the page must refetch, or null if it need not. */
  subscribed(info: SubscribedInfo): ResyncReason | null {
    const first = !this.subscribedBefore;
    this.subscribedBefore = true;
    const { position } = info;
    if (position !== null) {
      if (this.epoch !== null && position.epoch !== this.epoch) {
        // A new stream: its offsets restart, the ones applied before are no bound.
        this.last = null;
      }
      this.epoch = position.epoch;
    }
    if (info.recovered) {
      // The missed publications follow this event; they are above `last`.
      return null;
    }
    // The page refetches: what it loads covers everything up to the stream's top,
    // which the reply carries. Only later publications are news.
    if (position !== null) {
      this.last = position.offset;
    }
    return first && !info.wasRecovering ? 'initial' : 'unrecovered';
  }

  /**
   * Whether to apply a publication, recording it as applied if so.
   * @param offset its offset in the channel, if the channel has a history
   * @param id the event id, if it could be read
   */
  check(offset: number | null, id: string | null): Verdict {
    if (id !== null && this.ids.has(id)) {
      return 'duplicate';
    }
    let gap = false;
    if (offset !== null) {
      if (this.last !== null && offset <= this.last) {
        return 'duplicate';
      }
      gap = this.last !== null && offset > this.last + 1;
      this.last = offset;
    }
    if (id !== null) {
      this.remember(id);
    }
    return gap ? 'apply-after-gap' : 'apply';
  }

  private remember(id: string): void {
    this.ids.add(id);
    if (this.ids.size > this.maxIds) {
      // Sets iterate in insertion order: the first is the oldest.
      const oldest = this.ids.values().next();
      if (oldest.done !== true) {
        this.ids.delete(oldest.value);
      }
    }
  }
}
