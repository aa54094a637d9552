/**
 * A dashboard server in memory for the editing client's tests: it orders
 * batches as they arrive and applies them with the same rules as the real one
 * (./document.ts mirrors docs/dashboards.md).
 */
import { applyOp, opWidgetId, type DashboardDoc, type Op, type Widget } from '../document';
import type { Author, BatchResult, DroppedOp, OutgoingBatch, ServerBatch } from '../editing';

export class SimulatedServer {
  doc: DashboardDoc;
  version: number;
  readonly log: ServerBatch[] = [];

  constructor(doc: DashboardDoc, version = 1) {
    this.doc = doc;
    this.version = version;
  }

  /** Orders and applies a batch; returns the reply and, when something applied, the broadcast. */
  submit(author: Author, batch: OutgoingBatch): { result: BatchResult; broadcast: ServerBatch | null } {
    const applied: Op[] = [];
    const dropped: DroppedOp[] = [];
    for (const op of batch.ops) {
      const next = applyOp(this.doc, op);
      if (next === null) {
        dropped.push({ reason: 'widget_missing', widgetId: opWidgetId(op), by: null });
      } else {
        this.doc = next;
        applied.push(op);
      }
    }
    if (applied.length === 0) {
      return { result: { version: this.version, ops: [], dropped, overwritten: [] }, broadcast: null };
    }
    this.version += 1;
    const broadcast: ServerBatch = {
      version: this.version,
      baseVersion: batch.baseVersion,
      clientOpId: batch.clientOpId,
      author,
      ops: applied,
      overwritten: null,
    };
    this.log.push(broadcast);
    return { result: { version: this.version, ops: applied, dropped, overwritten: [] }, broadcast };
  }

  snapshot(): { version: number; doc: DashboardDoc } {
    return { version: this.version, doc: this.doc };
  }
}

export function widget(id: string, fields: Partial<Widget> = {}): Widget {
  return {
    id,
    type: 'number',
    title: `Widget ${id}`,
    config: { repositories: [], metric: 'merged_pulls', range: '30d', filters: {} },
    layout: { x: 0, y: 0, w: 3, h: 2 },
    ...fields,
  };
}

export function dashboard(widgets: readonly Widget[] = [], title = 'Team overview'): DashboardDoc {
  return { title, description: '', widgets };
}

/** A small seeded random generator (mulberry32), so a failing case can be replayed. */
export function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
