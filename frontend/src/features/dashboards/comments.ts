/**
 * Comments on a dashboard and its widgets (docs/comments.md): the queries, and
 * the pure parts of the panel: threads from the flat list, and the @mention
 * being typed and its completion.
 */
import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';

import { arrayOf, bool, decoder, getJson, nullable, num, object, send, sendJson, str } from '../../api';
import { dashboardKey } from './queries';

const readPerson = object({ id: num, login: nullable(str), name: nullable(str) });

const readComment = object({
  id: num,
  dashboard_id: num,
  thread_id: num,
  widget_id: nullable(str),
  author: nullable(readPerson),
  body: str,
  body_html: str,
  created_at: str,
  edited_at: nullable(str),
  deleted: bool,
  resolved_at: nullable(str),
  resolved_by: nullable(readPerson),
});
export type Comment = ReturnType<typeof readComment>;
const decodeComment = decoder(readComment);
const decodeComments = decoder(object({ comments: arrayOf(readComment) }));

export interface Thread {
  readonly root: Comment;
  readonly replies: readonly Comment[];
}

export const commentsKey = (dashboardId: number) => [...dashboardKey(dashboardId), 'comments'] as const;

export function commentsQuery(dashboardId: number) {
  return queryOptions({
    queryKey: commentsKey(dashboardId),
    queryFn: ({ signal }) => getJson(`/api/dashboards/${dashboardId}/comments`, decodeComments, { signal }),
  });
}

/** Threads, open ones first and the newest activity first; replies oldest first. */
export function threadsOf(comments: readonly Comment[]): Thread[] {
  const roots = new Map<number, Comment>();
  const replies = new Map<number, Comment[]>();
  for (const comment of comments) {
    if (comment.id === comment.thread_id) {
      roots.set(comment.id, comment);
    } else {
      replies.set(comment.thread_id, [...(replies.get(comment.thread_id) ?? []), comment]);
    }
  }
  const threads = [...roots.values()].map((root) => ({ root, replies: replies.get(root.id) ?? [] }));
  const last = (thread: Thread) => thread.replies.at(-1)?.created_at ?? thread.root.created_at;
  return threads.sort((a, b) => {
    const open = Number(a.root.resolved_at !== null) - Number(b.root.resolved_at !== null);
    return open !== 0 ? open : last(b).localeCompare(last(a));
  });
}

/** The `@prefix` being typed just before `caret`, or null. */
export function mentionAt(text: string, caret: number): { start: number; prefix: string } | null {
  const before = text.slice(0, caret);
  const match = /(^|[^\w`])@([A-Za-z0-9-]{0,39})$/.exec(before);
  if (match === null) {
    return null;
  }
  const prefix = match[2] ?? '';
  return { start: caret - prefix.length - 1, prefix };
}

/** `text` with the mention at `caret` completed to `login`, and where the caret goes. */
export function completeMention(text: string, caret: number, login: string): { text: string; caret: number } {
  const at = mentionAt(text, caret);
  if (at === null) {
    return { text, caret };
  }
  const inserted = `@${login} `;
  return { text: text.slice(0, at.start) + inserted + text.slice(caret), caret: at.start + inserted.length };
}

/** Logins that complete `prefix` (case-insensitive), at most `limit`. */
export function mentionCandidates(logins: readonly string[], prefix: string, limit = 6): string[] {
  const lower = prefix.toLowerCase();
  return logins.filter((login) => login.toLowerCase().startsWith(lower)).slice(0, limit);
}

export function useCommentMutations(dashboardId: number) {
  const queryClient = useQueryClient();
  const refresh = () => queryClient.invalidateQueries({ queryKey: commentsKey(dashboardId) });
  return {
    post: useMutation({
      mutationFn: (input: { body: string; widget_id?: string | null; thread_id?: number }) =>
        sendJson('POST', `/api/dashboards/${dashboardId}/comments`, input, decodeComment),
      onSettled: refresh,
    }),
    edit: useMutation({
      mutationFn: ({ id, body }: { id: number; body: string }) =>
        sendJson('PATCH', `/api/comments/${id}`, { body }, decodeComment),
      onSettled: refresh,
    }),
    remove: useMutation({
      mutationFn: (id: number) => send('DELETE', `/api/comments/${id}`),
      onSettled: refresh,
    }),
    resolve: useMutation({
      mutationFn: ({ id, resolved }: { id: number; resolved: boolean }) =>
        sendJson('POST', `/api/comments/${id}/${resolved ? 'resolve' : 'reopen'}`, undefined, decodeComment),
      onSettled: refresh,
    }),
  };
}
