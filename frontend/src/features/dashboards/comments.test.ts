import { describe, expect, it } from 'vitest';

import { completeMention, mentionAt, mentionCandidates, threadsOf, type Comment } from './comments';

function comment(id: number, thread: number, at: string, resolved = false): Comment {
  return {
    id,
    dashboard_id: 1,
    thread_id: thread,
    widget_id: null,
    author: { id: 1, login: 'alice', name: null },
    body: 'x',
    body_html: '<p>x</p>',
    created_at: at,
    edited_at: null,
    deleted: false,
    resolved_at: resolved ? at : null,
    resolved_by: null,
  };
}

describe('comments', () => {
  it('groups replies under their thread: open threads first, latest activity first', () => {
    const threads = threadsOf([
      comment(1, 1, '2026-11-26T10:00:00Z'),
      comment(2, 2, '2026-11-26T10:01:00Z'),
      comment(3, 1, '2026-11-26T10:02:00Z'),
      comment(4, 4, '2026-11-26T10:03:00Z', true),
    ]);
    expect(threads.map((t) => [t.root.id, t.replies.map((r) => r.id)])).toEqual([
      [1, [3]],
      [2, []],
      [4, []],
    ]);
  });

  it('finds the mention being typed and completes it', () => {
    expect(mentionAt('hi @bo', 6)).toEqual({ start: 3, prefix: 'bo' });
    expect(mentionAt('@', 1)).toEqual({ start: 0, prefix: '' });
    expect(mentionAt('mail me@bo', 10)).toBeNull();
    expect(mentionAt('hi @bob and', 11)).toBeNull();
    expect(completeMention('hi @bo, see', 6, 'bob')).toEqual({ text: 'hi @bob , see', caret: 8 });
    expect(mentionCandidates(['alice', 'Bob', 'bobby', 'carol'], 'bo')).toEqual(['Bob', 'bobby']);
  });
});
