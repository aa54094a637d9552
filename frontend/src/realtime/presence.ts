/**
 * Who is subscribed to a channel, from the SDK's `presence()` snapshot and the
 * join/leave pushes that follow it. Pure, no SDK import.
 *
 * The snapshot is asked for after each subscribe. Pushes that arrive while
 * it is on its way are kept and replayed over it: a join the snapshot already
 * had changes nothing, a leave it still had removes the client.
 */

/** The SDK's ClientInfo, as far as HubDeck reads it. */
export interface PresenceClient {
  /** The connection's id. */
  readonly client: string;
  /** The user id (a string in the protocol); empty for anonymous connections. */
  readonly user: string;
  readonly connInfo?: unknown;
  readonly chanInfo?: unknown;
}

/** One person looking at the channel, with all their tabs. */
export interface PresentUser {
  readonly user: string;
  /** Their connections (tabs), by client id. */
  readonly clients: readonly PresenceClient[];
}

interface Change {
  readonly kind: 'join' | 'leave';
  readonly info: PresenceClient;
}

export class PresenceTracker {
  private readonly byClient = new Map<string, PresenceClient>();
  /** Changes seen since the snapshot in flight was asked for, or null when none is. */
  private pendingChanges: Change[] | null = null;
  private request = 0;

  /** Call when asking for a snapshot; hand the number to {@link snapshot}. */
  beginSnapshot(): number {
    this.pendingChanges = [];
    this.request += 1;
    return this.request;
  }

  /** The snapshot asked for as `request`. Returns whether it was applied (a newer one may be on its way). */
  snapshot(request: number, clients: Readonly<Record<string, PresenceClient>>): boolean {
    if (request !== this.request || this.pendingChanges === null) {
      return false;
    }
    this.byClient.clear();
    for (const [id, info] of Object.entries(clients)) {
      this.byClient.set(info.client === '' ? id : info.client, info);
    }
    for (const change of this.pendingChanges) {
      this.apply(change);
    }
    this.pendingChanges = null;
    return true;
  }

  /** A snapshot could not be had: the pushes seen meanwhile apply to what is known. */
  snapshotFailed(request: number): void {
    if (request === this.request) {
      this.pendingChanges = null;
    }
  }

  join(info: PresenceClient): void {
    this.record({ kind: 'join', info });
  }

  leave(info: PresenceClient): void {
    this.record({ kind: 'leave', info });
  }

  clear(): void {
    this.byClient.clear();
    this.pendingChanges = null;
    this.request += 1;
  }

  /** Users present, each once with their connections, ordered by user id; anonymous ones left out. */
  users(): PresentUser[] {
    const byUser = new Map<string, PresenceClient[]>();
    for (const info of this.byClient.values()) {
      if (info.user === '') {
        continue;
      }
      const list = byUser.get(info.user);
      if (list === undefined) {
        byUser.set(info.user, [info]);
      } else {
        list.push(info);
      }
    }
    return [...byUser]
      .map(([user, clients]) => ({ user, clients }))
      .sort((a, b) => compareIds(a.user, b.user));
  }

  private record(change: Change): void {
    this.pendingChanges?.push(change);
    this.apply(change);
  }

  private apply(change: Change): void {
    if (change.kind === 'join') {
      this.byClient.set(change.info.client, change.info);
    } else {
      this.byClient.delete(change.info.client);
    }
  }
}

/** Numeric ids in numeric order, others after them in text order. */
function compareIds(a: string, b: string): number {
  const x = Number(a);
  const y = Number(b);
  if (Number.isFinite(x) && Number.isFinite(y)) {
    return x - y;
  }
  return a.localeCompare(b);
}
