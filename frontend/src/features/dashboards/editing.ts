/**
 * The co-editing client of one open dashboard. Pure, no I/O: the page hands it
 * what the server said (snapshots, the channel's operation batches, replies to
 * its own batches) and gives it a `send` function.
 *
 * - **Optimistic.** The user's edits apply at once: what the page shows is the
 *   last dashboard the server confirmed (`confirmed`, at `version`) with the
 *   pending edits replayed on top.
 * - **Server order.** The server orders every batch (version + 1) and applies
 *   it to what it has then. Replaying the batches in version order, and the
 *   pending ones after them, gives what the server will compute: a pending
 *   edit reaches the server after every batch already ordered, so on the same
 *   property it wins there too, and on a widget deleted meanwhile it is
 *   dropped there too.
 * - **One batch in flight.** Edits made while one is on its way wait, merged
 *   into one batch, and go with the newest version known as `base_version`.
 * - **At most once.** Batches are applied by version: a repeated or old one is
 *   ignored, one that comes early waits for those before it; the reply to a
 *   batch and its copy on the channel are the same version.
 * - **Gaps.** When versions are missing the page refetches the dashboard
 *   ({@link DashboardEditor.resync}); pending edits are replayed on it.
 */
import { applyOp, applyOps, findWidget, opKeys, opWidgetId, propertyKey, type DashboardDoc, type Op } from './document';

/** Who made a change, as far as the client shows it. */
export interface Author {
  readonly id: number;
  readonly login: string;
  readonly name: string | null;
}

/** Someone's change that a later batch replaced (docs/dashboards.md, "overwritten"). */
export interface Overwrite {
  readonly target: string;
  readonly path: string;
  /** Whose change was replaced. */
  readonly user: Author | null;
  readonly version: number | null;
}

/** An operation of one's own batch that the server did not apply. */
export interface DroppedOp {
  /** `widget_removed`, `widget_missing` or `widget_exists`. */
  readonly reason: string;
  readonly widgetId: string | null;
  /** Who removed the widget, for `widget_removed`. */
  readonly by: Author | null;
}

/** A batch as the server ordered it (the channel's `dashboard.ops`, or the reply to one's own batch). */
export interface ServerBatch {
  readonly version: number;
  /** The version its author had seen; null when the server did not say. */
  readonly baseVersion: number | null;
  readonly clientOpId: string | null;
  readonly author: Author | null;
  /** The operations as the server applied them (dropped ones left out). */
  readonly ops: readonly Op[];
  /** Changes of others it replaced; null when the server did not say. */
  readonly overwritten: readonly Overwrite[] | null;
}

/** What the server answered to one's own batch. */
export interface BatchResult {
  /** The new version; unchanged when every operation was dropped. */
  readonly version: number;
  readonly ops: readonly Op[];
  readonly dropped: readonly DroppedOp[];
  /** Edits of others this batch replaced (their pages tell them). */
  readonly overwritten: readonly Overwrite[];
}

export interface OutgoingBatch {
  readonly clientOpId: string;
  readonly baseVersion: number;
  readonly ops: readonly Op[];
}

/** Something the user must be told. */
export type EditNotice =
  /** Someone else's concurrent edit of the same property replaced ours. */
  | {
      readonly kind: 'overwritten';
      readonly target: string;
      readonly path: string;
      readonly by: Author | null;
    }
  /** Our edits of a widget someone else deleted were dropped. */
  | { readonly kind: 'dropped'; readonly by: Author | null; readonly widgetId: string | null }
  /** The server refused a batch (no permission, invalid): it was undone. */
  | { readonly kind: 'refused'; readonly message: string };

/** A change by someone else, to highlight briefly. */
export interface RemoteChange {
  readonly version: number;
  readonly author: Author | null;
  /** Widgets changed (ids); `dashboard` when the title or description changed. */
  readonly targets: readonly string[];
}

export interface EditorListener {
  readonly onChange?: () => void;
  readonly onNotice?: (notice: EditNotice) => void;
  readonly onRemoteChange?: (change: RemoteChange) => void;
  /** Versions are missing: refetch the dashboard and hand it to {@link DashboardEditor.resync}. */
  readonly onGap?: () => void;
}

export interface EditorOptions {
  readonly userId: number | null;
  /** Sends a batch; the page reports the answer with `acknowledged` or `failed`. */
  readonly send: (batch: OutgoingBatch) => void;
  /** A unique id for each batch. */
  readonly newId?: () => string;
}

type BatchState = 'queued' | 'sent' | 'acked';

interface PendingBatch {
  readonly clientOpId: string;
  ops: Op[];
  state: BatchState;
  /** The server's version of it, once acknowledged. */
  version: number | null;
}

/** How the failure of a sent batch is handled. */
export type FailureKind =
  /** Try again later (network, server busy): the batch stays. */
  | 'retry'
  /** The server needs a fresher base: refetch, then the batch goes again. */
  | 'stale'
  /** Refused for good (403, 422): the batch is undone. */
  | 'refused';

/** A random id of `length` characters from `A-Z a-z 0-9` (widget ids, batch ids). */
export function randomId(length = 10): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  const bytes = new Uint8Array(length);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (byte) => alphabet[byte % alphabet.length] ?? 'x').join('');
}

function defaultId(): string {
  return `op-${randomId(16)}`;
}

/** How long remembered own edits count for overwrite notices, in versions. */
const OWN_EDIT_MEMORY = 200;

export class DashboardEditor {
  private confirmedDoc: DashboardDoc;
  private confirmedVersion: number;
  private readonly pending: PendingBatch[] = [];
  /** Batches that arrived before the ones preceding them, by version. */
  private readonly early = new Map<number, ServerBatch>();
  /** Own confirmed edits: property key → the version that wrote it. */
  private readonly ownEdits = new Map<string, number>();
  private readonly listeners = new Set<EditorListener>();
  /** Batches of this page sent outside the queue (restores): not someone else's change. */
  private readonly ownIds = new Set<string>();
  private readonly options: EditorOptions;
  private readonly newId: () => string;
  private cachedView: DashboardDoc | null = null;

  constructor(snapshot: { readonly version: number; readonly doc: DashboardDoc }, options: EditorOptions) {
    this.confirmedDoc = snapshot.doc;
    this.confirmedVersion = snapshot.version;
    this.options = options;
    this.newId = options.newId ?? defaultId;
  }

  /** The dashboard as the user sees it: confirmed, with the pending edits on top. */
  view(): DashboardDoc {
    this.cachedView ??= applyOps(
      this.confirmedDoc,
      this.pending.flatMap((batch) => batch.ops),
    );
    return this.cachedView;
  }

  /** The last version the server confirmed. */
  get version(): number {
    return this.confirmedVersion;
  }

  get confirmed(): DashboardDoc {
    return this.confirmedDoc;
  }

  /** Whether edits wait for the server's confirmation. */
  hasPending(): boolean {
    return this.pending.length > 0;
  }

  listen(listener: EditorListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /**
   * Applies the user's edit at once and sends it. Operations that do not apply
   * to what the user sees (a widget just deleted) are left out; returns whether
   * any was kept.
   */
  edit(ops: readonly Op[]): boolean {
    let doc = this.view();
    const kept: Op[] = [];
    for (const op of ops) {
      const next = applyOp(doc, op);
      if (next !== null) {
        doc = next;
        kept.push(op);
      }
    }
    if (kept.length === 0) {
      return false;
    }
    const last = this.pending.at(-1);
    if (last?.state === 'queued') {
      last.ops.push(...kept);
    } else {
      this.pending.push({ clientOpId: this.newId(), ops: kept, state: 'queued', version: null });
    }
    this.changed();
    this.flush();
    return true;
  }

  /** A batch from the channel (anyone's, one's own included). */
  receive(batch: ServerBatch): void {
    if (batch.version <= this.confirmedVersion) {
      return;
    }
    this.early.set(batch.version, batch);
    this.advance();
    this.flush();
    if (this.early.size > 0) {
      this.emit((listener) => listener.onGap?.());
    }
  }

  /** The server's answer to one's own batch `clientOpId`. */
  acknowledged(clientOpId: string, result: BatchResult): void {
    const batch = this.pending.find((candidate) => candidate.clientOpId === clientOpId);
    const told = new Set<string>();
    for (const dropped of result.dropped) {
      // Removed by someone else: say who, once per widget (a removal of our own says nothing new).
      const key = dropped.widgetId ?? '';
      if (dropped.reason !== 'widget_removed' || told.has(key) || this.isSelf(dropped.by)) {
        continue;
      }
      told.add(key);
      this.emit((listener) => listener.onNotice?.({ kind: 'dropped', by: dropped.by, widgetId: dropped.widgetId }));
    }
    if (batch === undefined) {
      return; // already confirmed through the channel, or by a snapshot
    }
    if (result.ops.length === 0 || result.version <= this.confirmedVersion) {
      // Nothing applied (all dropped), or a snapshot already holds it.
      this.remove(batch);
      this.changed();
      this.flush();
      return;
    }
    batch.state = 'acked';
    batch.version = result.version;
    this.early.set(result.version, {
      version: result.version,
      baseVersion: null,
      clientOpId,
      author: null,
      ops: result.ops,
      overwritten: [],
    });
    this.advance();
    this.flush();
    if (this.early.size > 0) {
      this.emit((listener) => listener.onGap?.());
    }
  }

  /** Sending `clientOpId` failed. */
  failed(clientOpId: string, kind: FailureKind, message = ''): void {
    const batch = this.pending.find((candidate) => candidate.clientOpId === clientOpId);
    if (batch?.state !== 'sent') {
      return;
    }
    if (kind === 'refused') {
      this.remove(batch);
      this.changed();
      this.emit((listener) => listener.onNotice?.({ kind: 'refused', message }));
      this.flush();
      return;
    }
    batch.state = 'queued';
    if (kind === 'stale') {
      this.emit((listener) => listener.onGap?.());
    }
  }

  /**
   * A batch this page sent by other means (a restore): when it arrives it is
   * not shown as someone else's change.
   */
  trackOwn(clientOpId: string): void {
    this.ownIds.add(clientOpId);
  }

  /** The answer to a batch registered with {@link trackOwn}. */
  confirmedOwn(clientOpId: string, result: BatchResult): void {
    if (result.ops.length === 0 || result.version <= this.confirmedVersion) {
      return;
    }
    this.receive({
      version: result.version,
      baseVersion: null,
      clientOpId,
      author: null,
      ops: result.ops,
      overwritten: [],
    });
  }

  /** Sends what waits, e.g. when the connection is back after a `retry` failure. */
  retry(): void {
    this.flush();
  }

  /** A fresh snapshot (after a gap, a reconnect or a `stale` failure). */
  resync(snapshot: { readonly version: number; readonly doc: DashboardDoc }): void {
    if (snapshot.version < this.confirmedVersion) {
      return; // older than what is known
    }
    this.confirmedDoc = snapshot.doc;
    this.confirmedVersion = snapshot.version;
    for (const version of [...this.early.keys()]) {
      if (version <= snapshot.version) {
        this.early.delete(version);
      }
    }
    for (const batch of [...this.pending]) {
      if (batch.version !== null && batch.version <= snapshot.version) {
        this.remove(batch);
      }
    }
    this.advance();
    this.changed();
    this.flush();
    if (this.early.size > 0) {
      // Still missing some versions between the snapshot and what arrived.
      this.emit((listener) => listener.onGap?.());
    }
  }

  private advance(): void {
    let applied = false;
    for (;;) {
      const batch = this.early.get(this.confirmedVersion + 1);
      if (batch === undefined) {
        break;
      }
      this.early.delete(batch.version);
      this.apply(batch);
      applied = true;
    }
    if (applied) {
      this.changed();
    }
  }

  private apply(batch: ServerBatch): void {
    const own = batch.clientOpId === null ? undefined : this.pending.find((p) => p.clientOpId === batch.clientOpId);
    const before = this.confirmedDoc;
    this.confirmedDoc = applyOps(before, batch.ops);
    this.confirmedVersion = batch.version;
    this.forgetOldEdits();
    if (own !== undefined || (batch.clientOpId !== null && this.ownIds.delete(batch.clientOpId))) {
      if (own !== undefined) {
        this.remove(own);
      }
      for (const op of batch.ops) {
        for (const key of opKeys(op)) {
          this.ownEdits.set(key, batch.version);
        }
      }
      return;
    }
    this.noticeConflicts(batch, before);
    const targets = new Set<string>();
    for (const op of batch.ops) {
      targets.add(opWidgetId(op) ?? 'dashboard');
    }
    if (targets.size > 0) {
      this.emit((listener) =>
        listener.onRemoteChange?.({ version: batch.version, author: batch.author, targets: [...targets] }),
      );
    }
  }

  /** Tells the user when someone else's batch won over theirs, or deleted what they were editing. */
  private noticeConflicts(batch: ServerBatch, before: DashboardDoc): void {
    const pendingWidgets = new Set(this.pending.flatMap((p) => p.ops.map(opWidgetId)));
    const removedByOthers = new Set<string>();
    for (const op of batch.ops) {
      if (
        op.op === 'remove_widget' &&
        pendingWidgets.has(op.widget_id) &&
        findWidget(before, op.widget_id) !== undefined
      ) {
        removedByOthers.add(op.widget_id);
      }
    }
    for (const widgetId of removedByOthers) {
      this.emit((listener) => listener.onNotice?.({ kind: 'dropped', by: batch.author, widgetId }));
    }
    for (const { target, path } of this.overwrittenHere(batch)) {
      this.emit((listener) => listener.onNotice?.({ kind: 'overwritten', target, path, by: batch.author }));
    }
  }

  /**
   * Our own confirmed edits that `batch` replaced: from the server's list when
   * it gives one (entries naming this user, for properties this page set),
   * otherwise from the version its author had seen.
   */
  private overwrittenHere(batch: ServerBatch): { target: string; path: string }[] {
    const found = new Map<string, { target: string; path: string }>();
    const take = (key: string, target: string, path: string) => {
      this.ownEdits.delete(key);
      found.set(key, { target, path });
    };
    if (batch.overwritten !== null) {
      for (const entry of batch.overwritten) {
        if (entry.user === null || !this.isSelf(entry.user)) {
          continue;
        }
        const key = propertyKey(entry.target, entry.path);
        if (this.ownEdits.has(key)) {
          take(key, entry.target, entry.path);
        }
      }
      return [...found.values()];
    }
    if (batch.baseVersion === null) {
      return [];
    }
    for (const op of batch.ops) {
      for (const key of opKeys(op)) {
        const ownVersion = this.ownEdits.get(key);
        // Ours was ordered after what they had seen: they did not see it, theirs replaced it.
        if (ownVersion !== undefined && ownVersion > batch.baseVersion && !key.endsWith(':*')) {
          const separator = key.indexOf(':');
          take(key, key.slice(0, separator), key.slice(separator + 1));
        }
      }
    }
    return [...found.values()];
  }

  private isSelf(author: Author | null): boolean {
    return author !== null && this.options.userId !== null && author.id === this.options.userId;
  }

  private forgetOldEdits(): void {
    for (const [key, version] of this.ownEdits) {
      if (version < this.confirmedVersion - OWN_EDIT_MEMORY) {
        this.ownEdits.delete(key);
      }
    }
  }

  private flush(): void {
    if (this.pending.some((batch) => batch.state === 'sent')) {
      return;
    }
    const next = this.pending.find((batch) => batch.state === 'queued');
    if (next === undefined) {
      return;
    }
    next.state = 'sent';
    const outgoing: OutgoingBatch = {
      clientOpId: next.clientOpId,
      baseVersion: this.confirmedVersion,
      ops: [...next.ops],
    };
    this.options.send(outgoing);
  }

  private remove(batch: PendingBatch): void {
    const index = this.pending.indexOf(batch);
    if (index >= 0) {
      this.pending.splice(index, 1);
    }
  }

  private changed(): void {
    this.cachedView = null;
    this.emit((listener) => listener.onChange?.());
  }

  private emit(call: (listener: EditorListener) => void): void {
    for (const listener of [...this.listeners]) {
      try {
        call(listener);
      } catch (error) {
        console.error('HubDeck: a dashboard editor listener failed', error);
      }
    }
  }
}
