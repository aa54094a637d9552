import { describe, expect, it } from 'vitest';

import { applyOp, applyOps, type Op } from './document';
import {
  DashboardEditor,
  type Author,
  type EditNotice,
  type OutgoingBatch,
  type RemoteChange,
  type ServerBatch,
} from './editing';
import { SimulatedServer, dashboard, seeded, widget } from './testing/simulation';

const alice: Author = { id: 1, login: 'alice', name: 'Alice' };
const bob: Author = { id: 2, login: 'bob', name: null };

function ids(prefix: string) {
  let n = 0;
  return () => {
    n += 1;
    return `${prefix}${n}`;
  };
}

function editorFor(
  author: Author,
  doc = dashboard([widget('w1'), widget('w2')]),
  version = 1,
): {
  editor: DashboardEditor;
  sent: OutgoingBatch[];
  notices: EditNotice[];
  changes: RemoteChange[];
  gaps: number[];
} {
  const sent: OutgoingBatch[] = [];
  const notices: EditNotice[] = [];
  const changes: RemoteChange[] = [];
  const gaps: number[] = [];
  const editor = new DashboardEditor(
    { version, doc },
    { userId: author.id, send: (batch) => sent.push(batch), newId: ids(`${author.login}-`) },
  );
  editor.listen({
    onNotice: (notice) => notices.push(notice),
    onRemoteChange: (change) => changes.push(change),
    onGap: () => gaps.push(editor.version),
  });
  return { editor, sent, notices, changes, gaps };
}

const rename = (title: string): Op => ({ op: 'set', target: 'dashboard', path: 'title', value: title });

describe('applyOp', () => {
  it('moves, resizes and sets nested properties without touching the rest', () => {
    const doc = dashboard([widget('w1')]);
    const moved = applyOps(doc, [
      { op: 'move_widget', widget_id: 'w1', x: 4, y: 2 },
      { op: 'resize_widget', widget_id: 'w1', w: 6, h: 3 },
      { op: 'set', target: 'w1', path: 'config.metric', value: 'open_issues' },
    ]);
    expect(moved.widgets[0]?.layout).toEqual({ x: 4, y: 2, w: 6, h: 3 });
    expect(moved.widgets[0]?.config).toEqual({ ...widget('w1').config, metric: 'open_issues' });
    expect(doc.widgets[0]?.layout).toEqual({ x: 0, y: 0, w: 3, h: 2 });
  });

  it('drops operations on a widget that is not there, and a second add of one id', () => {
    const doc = dashboard([widget('w1')]);
    expect(applyOp(doc, { op: 'move_widget', widget_id: 'gone', x: 1, y: 1 })).toBeNull();
    expect(applyOp(doc, { op: 'set', target: 'gone', path: 'title', value: 'x' })).toBeNull();
    expect(applyOp(doc, { op: 'remove_widget', widget_id: 'gone' })).toBeNull();
    expect(applyOp(doc, { op: 'add_widget', widget: widget('w1') })).toBeNull();
  });

  it('refuses paths that are not properties', () => {
    const doc = dashboard([widget('w1')]);
    expect(applyOp(doc, { op: 'set', target: 'dashboard', path: 'widgets', value: [] })).toBeNull();
    expect(applyOp(doc, { op: 'set', target: 'w1', path: 'id', value: 'w9' })).toBeNull();
    expect(applyOp(doc, { op: 'set', target: 'w1', path: 'config..metric', value: 'x' })).toBeNull();
  });

  it('restores a deleted widget as it was', () => {
    const doc = dashboard([widget('w1', { title: 'PRs' }), widget('w2')]);
    const removed = applyOps(doc, [{ op: 'remove_widget', widget_id: 'w1' }]);
    const restored = applyOps(removed, [{ op: 'restore_widget', widget: widget('w1', { title: 'PRs' }) }]);
    expect(restored.widgets.map((w) => w.title)).toEqual(['Widget w2', 'PRs']);
  });
});

describe('DashboardEditor', () => {
  it('applies an edit at once and sends it with the version it was based on', () => {
    const { editor, sent } = editorFor(alice);
    editor.edit([rename('Ops')]);
    expect(editor.view().title).toBe('Ops');
    expect(editor.confirmed.title).toBe('Team overview');
    expect(sent).toEqual([{ clientOpId: 'alice-1', baseVersion: 1, ops: [rename('Ops')] }]);
  });

  it('keeps one batch in flight and merges the edits made meanwhile', () => {
    const { editor, sent } = editorFor(alice);
    editor.edit([rename('A')]);
    editor.edit([{ op: 'move_widget', widget_id: 'w1', x: 1, y: 1 }]);
    editor.edit([{ op: 'move_widget', widget_id: 'w2', x: 5, y: 1 }]);
    expect(sent).toHaveLength(1);
    editor.acknowledged('alice-1', { version: 2, ops: [rename('A')], dropped: [], overwritten: [] });
    expect(sent).toHaveLength(2);
    expect(sent[1]).toEqual({
      clientOpId: 'alice-2',
      baseVersion: 2,
      ops: [
        { op: 'move_widget', widget_id: 'w1', x: 1, y: 1 },
        { op: 'move_widget', widget_id: 'w2', x: 5, y: 1 },
      ],
    });
    expect(editor.version).toBe(2);
    expect(editor.view().widgets[1]?.layout.x).toBe(5);
  });

  it('keeps both of two concurrent edits of different properties', () => {
    const { editor, changes } = editorFor(alice);
    editor.edit([rename('Renamed')]);
    editor.receive({
      version: 2,
      baseVersion: 1,
      clientOpId: 'bob-1',
      author: bob,
      overwritten: null,
      ops: [{ op: 'move_widget', widget_id: 'w1', x: 6, y: 0 }],
    });
    expect(editor.view().title).toBe('Renamed');
    expect(editor.view().widgets[0]?.layout.x).toBe(6);
    expect(changes).toEqual([{ version: 2, author: bob, targets: ['w1'] }]);
  });

  it('lets a later edit of the same property win and tells the one overwritten', () => {
    const a = editorFor(alice);
    a.editor.edit([rename('From Alice')]);
    // Alice's arrives first (version 2); Bob's, based on version 1, second.
    a.editor.receive({
      version: 2,
      baseVersion: 1,
      clientOpId: 'alice-1',
      author: alice,
      overwritten: null,
      ops: [rename('From Alice')],
    });
    a.editor.receive({
      version: 3,
      baseVersion: 1,
      clientOpId: 'bob-1',
      author: bob,
      overwritten: null,
      ops: [rename('From Bob')],
    });
    expect(a.editor.view().title).toBe('From Bob');
    expect(a.notices).toEqual([{ kind: 'overwritten', target: 'dashboard', path: 'title', by: bob }]);

    // Bob, whose edit came later, sees his own and is told nothing.
    const b = editorFor(bob);
    b.editor.edit([rename('From Bob')]);
    b.editor.receive({
      version: 2,
      baseVersion: 1,
      clientOpId: 'alice-1',
      author: alice,
      overwritten: null,
      ops: [rename('From Alice')],
    });
    expect(b.editor.view().title).toBe('From Bob');
    b.editor.receive({
      version: 3,
      baseVersion: 1,
      clientOpId: 'bob-1',
      author: bob,
      overwritten: null,
      ops: [rename('From Bob')],
    });
    expect(b.editor.view().title).toBe('From Bob');
    expect(b.notices).toEqual([]);
  });

  it("uses the server's list of overwritten changes when the publication has one", () => {
    const { editor, notices } = editorFor(alice);
    editor.edit([rename('Mine'), { op: 'move_widget', widget_id: 'w1', x: 2, y: 2 }]);
    editor.acknowledged('alice-1', {
      version: 2,
      ops: [rename('Mine'), { op: 'move_widget', widget_id: 'w1', x: 2, y: 2 }],
      dropped: [],
      overwritten: [],
    });
    editor.receive({
      version: 3,
      baseVersion: null,
      clientOpId: 'bob-1',
      author: bob,
      ops: [rename('Theirs'), { op: 'move_widget', widget_id: 'w1', x: 4, y: 0 }],
      overwritten: [
        { target: 'dashboard', path: 'title', user: alice, version: 2 },
        { target: 'w1', path: 'position', user: alice, version: 2 },
        { target: 'w2', path: 'title', user: { id: 3, login: 'carol', name: null }, version: 1 },
      ],
    });
    expect(editor.view().title).toBe('Theirs');
    expect(notices).toEqual([
      { kind: 'overwritten', target: 'dashboard', path: 'title', by: bob },
      { kind: 'overwritten', target: 'w1', path: 'position', by: bob },
    ]);
  });

  it('cuts a widget at the right edge of the grid the way the server does', () => {
    const { editor } = editorFor(alice);
    editor.edit([{ op: 'resize_widget', widget_id: 'w1', w: 6, h: 2 }]);
    editor.edit([{ op: 'move_widget', widget_id: 'w1', x: 9, y: 0 }]);
    expect(editor.view().widgets[0]?.layout).toEqual({ x: 9, y: 0, w: 3, h: 2 });
  });

  it('does not call an edit overwritten when its author had seen it', () => {
    const { editor, notices } = editorFor(alice);
    editor.edit([rename('First')]);
    editor.acknowledged('alice-1', { version: 2, ops: [rename('First')], dropped: [], overwritten: [] });
    editor.receive({
      version: 3,
      baseVersion: 2,
      clientOpId: 'bob-1',
      author: bob,
      overwritten: null,
      ops: [rename('Second')],
    });
    expect(editor.view().title).toBe('Second');
    expect(notices).toEqual([]);
  });

  it('drops pending edits of a widget someone deleted, and says who', () => {
    const { editor, notices, sent } = editorFor(alice);
    editor.edit([{ op: 'set', target: 'w1', path: 'title', value: 'Mine' }]);
    editor.receive({
      version: 2,
      baseVersion: 1,
      clientOpId: 'bob-1',
      author: bob,
      overwritten: null,
      ops: [{ op: 'remove_widget', widget_id: 'w1' }],
    });
    expect(editor.view().widgets.map((w) => w.id)).toEqual(['w2']);
    expect(notices).toEqual([{ kind: 'dropped', by: bob, widgetId: 'w1' }]);
    // The server drops it too: the reply says so and the batch is gone.
    editor.acknowledged(sent[0]?.clientOpId ?? '', {
      version: 2,
      ops: [],
      dropped: [{ reason: 'widget_removed', widgetId: 'w1', by: bob }],
      overwritten: [],
    });
    expect(editor.hasPending()).toBe(false);
  });

  it('applies batches in version order and ignores repeats', () => {
    const { editor, gaps } = editorFor(alice);
    const third: ServerBatch = {
      version: 3,
      baseVersion: 2,
      clientOpId: 'b2',
      author: bob,
      overwritten: null,
      ops: [rename('Third')],
    };
    const second: ServerBatch = {
      version: 2,
      baseVersion: 1,
      clientOpId: 'b1',
      author: bob,
      overwritten: null,
      ops: [rename('Second')],
    };
    editor.receive(third);
    expect(editor.version).toBe(1);
    expect(gaps).toEqual([1]);
    editor.receive(second);
    expect(editor.version).toBe(3);
    expect(editor.view().title).toBe('Third');
    editor.receive(second);
    editor.receive(third);
    expect(editor.version).toBe(3);
    expect(editor.view().title).toBe('Third');
  });

  it('treats the reply and the channel copy of its own batch as one, in either order', () => {
    for (const replyFirst of [true, false]) {
      const { editor, changes } = editorFor(alice);
      editor.edit([{ op: 'add_widget', widget: widget('w3') }]);
      const ops: Op[] = [{ op: 'add_widget', widget: widget('w3') }];
      const copy: ServerBatch = {
        version: 2,
        baseVersion: 1,
        clientOpId: 'alice-1',
        author: alice,
        overwritten: null,
        ops,
      };
      if (replyFirst) {
        editor.acknowledged('alice-1', { version: 2, ops, dropped: [], overwritten: [] });
        editor.receive(copy);
      } else {
        editor.receive(copy);
        editor.acknowledged('alice-1', { version: 2, ops, dropped: [], overwritten: [] });
      }
      expect(editor.hasPending()).toBe(false);
      expect(editor.view().widgets.map((w) => w.id)).toEqual(['w1', 'w2', 'w3']);
      expect(changes).toEqual([]);
    }
  });

  it('waits for earlier versions before applying its own acknowledged batch', () => {
    const { editor } = editorFor(alice);
    editor.edit([rename('Mine')]);
    editor.acknowledged('alice-1', { version: 3, ops: [rename('Mine')], dropped: [], overwritten: [] });
    expect(editor.version).toBe(1);
    expect(editor.view().title).toBe('Mine');
    editor.receive({
      version: 2,
      baseVersion: 1,
      clientOpId: 'bob-1',
      author: bob,
      overwritten: null,
      ops: [rename('Theirs')],
    });
    expect(editor.version).toBe(3);
    expect(editor.view().title).toBe('Mine');
    expect(editor.hasPending()).toBe(false);
  });

  it('undoes a refused batch and says why', () => {
    const { editor, notices, sent } = editorFor(alice);
    editor.edit([rename('Nope')]);
    editor.failed(sent[0]?.clientOpId ?? '', 'refused', 'viewers cannot edit');
    expect(editor.view().title).toBe('Team overview');
    expect(notices).toEqual([{ kind: 'refused', message: 'viewers cannot edit' }]);
  });

  it('sends again after a retryable failure and after a stale one once resynced', () => {
    const { editor, sent, gaps } = editorFor(alice);
    editor.edit([rename('Again')]);
    editor.failed('alice-1', 'retry');
    editor.retry();
    expect(sent.map((batch) => batch.clientOpId)).toEqual(['alice-1', 'alice-1']);
    editor.failed('alice-1', 'stale');
    expect(gaps).toHaveLength(1);
    editor.resync({ version: 7, doc: dashboard([widget('w1')], 'Fresh') });
    expect(sent.at(-1)).toEqual({ clientOpId: 'alice-1', baseVersion: 7, ops: [rename('Again')] });
    expect(editor.view().title).toBe('Again');
    expect(editor.confirmed.title).toBe('Fresh');
  });

  it('replays pending edits on a snapshot and ignores an older snapshot', () => {
    const { editor } = editorFor(alice);
    editor.edit([{ op: 'move_widget', widget_id: 'w2', x: 9, y: 9 }]);
    editor.resync({ version: 5, doc: dashboard([widget('w2'), widget('w4')], 'Later') });
    expect(editor.view().title).toBe('Later');
    expect(editor.view().widgets.find((w) => w.id === 'w2')?.layout.x).toBe(9);
    editor.resync({ version: 4, doc: dashboard([], 'Older') });
    expect(editor.view().title).toBe('Later');
  });

  it('asks again when a snapshot still leaves versions missing', () => {
    const { editor, gaps } = editorFor(alice);
    editor.receive({
      version: 5,
      baseVersion: null,
      clientOpId: 'b',
      author: bob,
      overwritten: null,
      ops: [rename('Five')],
    });
    expect(gaps).toHaveLength(1);
    editor.resync({ version: 3, doc: dashboard([widget('w1')], 'Three') });
    expect(gaps).toHaveLength(2);
    editor.resync({ version: 4, doc: dashboard([widget('w1')], 'Four') });
    expect(gaps).toHaveLength(2);
    expect(editor.version).toBe(5);
    expect(editor.view().title).toBe('Five');
  });

  it('leaves out an edit of a widget that is already gone', () => {
    const { editor, sent } = editorFor(alice);
    expect(editor.edit([{ op: 'move_widget', widget_id: 'nope', x: 1, y: 1 }])).toBe(false);
    expect(sent).toEqual([]);
  });
});

/** Random edits by several clients, delivered in random interleavings, end the same everywhere. */
describe('convergence', () => {
  interface Client {
    readonly author: Author;
    readonly editor: DashboardEditor;
    readonly outbox: OutgoingBatch[];
    /** Channel publications, in order. */
    readonly channel: ServerBatch[];
    /** Replies to its own batches, in order. */
    readonly replies: { clientOpId: string; result: ReturnType<SimulatedServer['submit']>['result'] }[];
    added: number;
  }

  function randomOp(random: () => number, client: Client, knownIds: readonly string[]): Op {
    const view = client.editor.view();
    const pick = <T>(items: readonly T[]): T | undefined => items[Math.floor(random() * items.length)];
    const target = pick([...view.widgets.map((w) => w.id), ...knownIds]) ?? 'w1';
    const roll = random();
    if (roll < 0.15) {
      return rename(`${client.author.login}-${Math.floor(random() * 1000)}`);
    }
    if (roll < 0.3) {
      return { op: 'move_widget', widget_id: target, x: Math.floor(random() * 12), y: Math.floor(random() * 12) };
    }
    if (roll < 0.4) {
      return {
        op: 'resize_widget',
        widget_id: target,
        w: 1 + Math.floor(random() * 6),
        h: 1 + Math.floor(random() * 4),
      };
    }
    if (roll < 0.55) {
      const path = pick(['title', 'config.metric', 'config.range', 'type', 'config.filters']) ?? 'title';
      return { op: 'set', target, path, value: `${client.author.login}-${Math.floor(random() * 100)}` };
    }
    if (roll < 0.7) {
      client.added += 1;
      return { op: 'add_widget', widget: widget(`${client.author.login}-new-${client.added}`) };
    }
    if (roll < 0.85) {
      return { op: 'remove_widget', widget_id: target };
    }
    return { op: 'restore_widget', widget: widget(target, { title: `restored by ${client.author.login}` }) };
  }

  function run(seed: number): number {
    const random = seeded(seed);
    const start = dashboard([widget('w1'), widget('w2'), widget('w3')]);
    const server = new SimulatedServer(start, 1);
    const clients: Client[] = [alice, bob, { id: 3, login: 'carol', name: null }].map((author) => {
      const outbox: OutgoingBatch[] = [];
      const editor = new DashboardEditor(
        { version: 1, doc: start },
        { userId: author.id, send: (batch) => outbox.push(batch), newId: ids(`${author.login}-`) },
      );
      return { author, editor, outbox, channel: [], replies: [], added: 0 };
    });
    const knownIds = ['w1', 'w2', 'w3', 'ghost'];

    const deliverToServer = (client: Client) => {
      const batch = client.outbox.shift();
      if (batch === undefined) {
        return;
      }
      const { result, broadcast } = server.submit(client.author, batch);
      client.replies.push({ clientOpId: batch.clientOpId, result });
      if (broadcast !== null) {
        for (const other of clients) {
          other.channel.push(broadcast);
        }
      }
    };

    const step = (client: Client, roll: number) => {
      if (roll < 0.35) {
        client.editor.edit(
          Array.from({ length: 1 + Math.floor(random() * 2) }, () => randomOp(random, client, knownIds)),
        );
      } else if (roll < 0.6) {
        deliverToServer(client);
      } else if (roll < 0.8) {
        const batch = client.channel.shift();
        if (batch !== undefined) {
          client.editor.receive(batch);
        }
      } else if (roll < 0.97) {
        const reply = client.replies.shift();
        if (reply !== undefined) {
          client.editor.acknowledged(reply.clientOpId, reply.result);
        }
      } else {
        // A lost stretch of the channel: the page refetches the dashboard.
        client.channel.splice(0, client.channel.length);
        client.editor.resync(server.snapshot());
      }
    };

    for (let i = 0; i < 120; i += 1) {
      const client = clients[Math.floor(random() * clients.length)];
      if (client !== undefined) {
        step(client, random());
      }
    }
    // Everyone stops editing; everything in flight arrives.
    for (let round = 0; round < 1000; round += 1) {
      let moved = false;
      for (const client of clients) {
        if (client.outbox.length > 0) {
          deliverToServer(client);
          moved = true;
        }
        const reply = client.replies.shift();
        if (reply !== undefined) {
          client.editor.acknowledged(reply.clientOpId, reply.result);
          moved = true;
        }
        const batch = client.channel.shift();
        if (batch !== undefined) {
          client.editor.receive(batch);
          moved = true;
        }
      }
      if (!moved) {
        break;
      }
    }

    for (const client of clients) {
      expect(client.editor.hasPending(), `seed ${seed}: ${client.author.login} still has edits pending`).toBe(false);
      expect(client.editor.version, `seed ${seed}: ${client.author.login}'s version`).toBe(server.version);
      expect(client.editor.view(), `seed ${seed}: ${client.author.login}'s dashboard`).toEqual(server.doc);
    }
    return server.log.length;
  }

  it('converges for 300 random interleavings of three clients', () => {
    let ordered = 0;
    for (let seed = 1; seed <= 300; seed += 1) {
      ordered += run(seed);
    }
    // The cases are not trivial: thousands of batches were ordered in all.
    expect(ordered).toBeGreaterThan(3000);
  });
});
