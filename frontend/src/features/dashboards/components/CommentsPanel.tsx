import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useLayoutEffect, useRef, useState, type SyntheticEvent } from 'react';

import { ErrorNotice, Loading } from '../../../components/PageState';
import { useChannel } from '../../../realtime';
import { membersQuery } from '../../teams/members';
import {
  commentsKey,
  commentsQuery,
  completeMention,
  mentionAt,
  mentionCandidates,
  threadsOf,
  useCommentMutations,
  type Comment,
  type Thread,
} from '../comments';

/**
 * Threads of comments on the dashboard and its widgets, live on the
 * dashboard's channel. `focusComment` (from `?comment=`) opens on that
 * comment's thread. Test ids: `comments-panel`, `comment-thread`
 * (`data-thread`, `data-widget`), `comment` (`data-comment`), `comment-body`,
 * `comment-input`, `comment-anchor`, `comment-send`, `mention-option`,
 * `comment-reply`, `comment-resolve`.
 */
export function CommentsPanel({
  dashboardId,
  teamId,
  meId,
  canModerate,
  widgets,
  focusComment,
  onClose,
}: {
  readonly dashboardId: number;
  readonly teamId: number | null;
  readonly meId: number | null;
  readonly canModerate: boolean;
  readonly widgets: readonly { readonly id: string; readonly label: string }[];
  readonly focusComment: number | null;
  readonly onClose: () => void;
}) {
  const queryClient = useQueryClient();
  const comments = useQuery(commentsQuery(dashboardId));
  const members = useQuery({ ...membersQuery(teamId ?? 0), enabled: teamId !== null });
  const logins = members.data?.map((member) => member.login) ?? [];
  const mutations = useCommentMutations(dashboardId);
  const [anchor, setAnchor] = useState<string>('');

  // Live: whatever happens to a comment, the list is fetched again (coalesced by TanStack Query).
  useChannel(`dashboard:${dashboardId}`, {
    onEvent: (event) => {
      if (event.type.startsWith('comment.')) {
        void queryClient.invalidateQueries({ queryKey: commentsKey(dashboardId) });
      }
    },
    onResync: () => {
      void queryClient.invalidateQueries({ queryKey: commentsKey(dashboardId) });
    },
  });

  const threads = threadsOf(comments.data?.comments ?? []);
  const labelOf = (widgetId: string | null) =>
    widgetId === null ? 'the dashboard' : (widgets.find((w) => w.id === widgetId)?.label ?? 'a removed widget');

  return (
    <aside className="side-panel" data-testid="comments-panel" aria-label="Comments">
      <div className="side-panel__header">
        <h2>Comments</h2>
        <button type="button" className="button button--small button--quiet" onClick={onClose} data-testid="panel-close">
          Close
        </button>
      </div>
      <div className="side-panel__body">
        <Composer
          logins={logins}
          placeholder="Comment… (@ to mention a teammate; Markdown)"
          pending={mutations.post.isPending}
          onSend={(body, done) => {
            mutations.post.mutate({ body, widget_id: anchor === '' ? null : anchor }, { onSuccess: done });
          }}
        >
          <label className="small">
            On{' '}
            <select
              className="select select--compact"
              value={anchor}
              data-testid="comment-anchor"
              onChange={(event) => {
                setAnchor(event.target.value);
              }}
            >
              <option value="">the whole dashboard</option>
              {widgets.map((widget) => (
                <option key={widget.id} value={widget.id}>
                  {widget.label}
                </option>
              ))}
            </select>
          </label>
        </Composer>
        {mutations.post.isError && <ErrorNotice error={mutations.post.error} prefix="Not sent" />}
        {comments.isPending && <Loading label="Loading the comments…" />}
        {comments.isError && <ErrorNotice error={comments.error} />}
        {comments.isSuccess && threads.length === 0 && <p className="muted small">No comments yet.</p>}
        {threads.map((thread) => (
          <ThreadView
            key={thread.root.id}
            thread={thread}
            on={labelOf(thread.root.widget_id)}
            logins={logins}
            meId={meId}
            canModerate={canModerate}
            focused={
              focusComment !== null &&
              (thread.root.id === focusComment || thread.replies.some((reply) => reply.id === focusComment))
            }
            mutations={mutations}
          />
        ))}
      </div>
    </aside>
  );
}

type Mutations = ReturnType<typeof useCommentMutations>;

function ThreadView({
  thread,
  on,
  logins,
  meId,
  canModerate,
  focused,
  mutations,
}: {
  readonly thread: Thread;
  readonly on: string;
  readonly logins: readonly string[];
  readonly meId: number | null;
  readonly canModerate: boolean;
  readonly focused: boolean;
  readonly mutations: Mutations;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const [replying, setReplying] = useState(false);
  const resolved = thread.root.resolved_at !== null;
  useEffect(() => {
    if (focused) {
      ref.current?.scrollIntoView({ block: 'center' });
    }
  }, [focused]);
  const mayResolve = canModerate || thread.root.author?.id === meId;

  return (
    <div
      ref={ref}
      className={`comment-thread${focused ? ' comment-thread--focused' : ''}${resolved ? ' comment-thread--resolved' : ''}`}
      data-testid="comment-thread"
      data-thread={thread.root.id}
      data-widget={thread.root.widget_id ?? ''}
    >
      <p className="muted small">
        On {on}
        {resolved && ` · resolved by ${thread.root.resolved_by?.login ?? 'someone'}`}
      </p>
      {[thread.root, ...thread.replies].map((comment) => (
        <CommentView key={comment.id} comment={comment} mine={comment.author?.id === meId} mutations={mutations} />
      ))}
      <div className="comment-thread__actions">
        <button
          type="button"
          className="button button--small button--quiet"
          data-testid="comment-reply"
          onClick={() => {
            setReplying((value) => !value);
          }}
        >
          Reply
        </button>
        {mayResolve && (
          <button
            type="button"
            className="button button--small button--quiet"
            data-testid="comment-resolve"
            onClick={() => {
              mutations.resolve.mutate({ id: thread.root.id, resolved: !resolved });
            }}
          >
            {resolved ? 'Reopen' : 'Resolve'}
          </button>
        )}
      </div>
      {replying && (
        <Composer
          logins={logins}
          placeholder="Reply…"
          pending={mutations.post.isPending}
          onSend={(body, done) => {
            mutations.post.mutate(
              { body, thread_id: thread.root.id },
              {
                onSuccess: () => {
                  done();
                  setReplying(false);
                },
              },
            );
          }}
        />
      )}
    </div>
  );
}

function CommentView({
  comment,
  mine,
  mutations,
}: {
  readonly comment: Comment;
  readonly mine: boolean;
  readonly mutations: Mutations;
}) {
  const [editing, setEditing] = useState(false);
  if (comment.deleted) {
    return (
      <p className="comment comment--deleted muted small" data-testid="comment" data-comment={comment.id}>
        Deleted comment
      </p>
    );
  }
  return (
    <div className="comment" data-testid="comment" data-comment={comment.id}>
      <p className="comment__meta small">
        <strong>{comment.author?.name ?? comment.author?.login ?? 'Someone'}</strong>{' '}
        <time className="muted" dateTime={comment.created_at}>
          {new Date(comment.created_at).toLocaleString()}
        </time>
        {comment.edited_at !== null && <span className="muted"> · edited</span>}
      </p>
      {editing ? (
        <Composer
          logins={[]}
          initial={comment.body}
          placeholder="Edit…"
          pending={mutations.edit.isPending}
          onSend={(body, done) => {
            mutations.edit.mutate(
              { id: comment.id, body },
              {
                onSuccess: () => {
                  done();
                  setEditing(false);
                },
              },
            );
          }}
        />
      ) : (
        // body_html is the server's rendering, which lets no HTML of the author's through
        // (raw HTML off, safe link schemes only: core/comments/render.py).
        <div className="comment__body" data-testid="comment-body" dangerouslySetInnerHTML={{ __html: comment.body_html }} />
      )}
      {mine && !editing && (
        <p className="small">
          <button
            type="button"
            className="button button--small button--quiet"
            onClick={() => {
              setEditing(true);
            }}
          >
            Edit
          </button>
          <button
            type="button"
            className="button button--small button--quiet"
            onClick={() => {
              if (window.confirm('Delete this comment?')) {
                mutations.remove.mutate(comment.id);
              }
            }}
          >
            Delete
          </button>
        </p>
      )}
    </div>
  );
}

function Composer({
  logins,
  placeholder,
  pending,
  initial = '',
  onSend,
  children,
}: {
  readonly logins: readonly string[];
  readonly placeholder: string;
  readonly pending: boolean;
  readonly initial?: string;
  readonly onSend: (body: string, done: () => void) => void;
  readonly children?: React.ReactNode;
}) {
  const [text, setText] = useState(initial);
  const [caret, setCaret] = useState(initial.length);
  const input = useRef<HTMLTextAreaElement>(null);
  // Where the caret goes once a completed mention is in the box: placed in the same commit as
  // the new text, before the browser handles the next key (a frame later would be too late).
  const placeCaret = useRef<number | null>(null);
  useLayoutEffect(() => {
    const at = placeCaret.current;
    if (at !== null) {
      placeCaret.current = null;
      input.current?.focus();
      input.current?.setSelectionRange(at, at);
    }
  });
  const at = mentionAt(text, caret);
  const options = at === null ? [] : mentionCandidates(logins, at.prefix);

  const choose = (login: string) => {
    const next = completeMention(text, caret, login);
    placeCaret.current = next.caret;
    setText(next.text);
    setCaret(next.caret);
  };
  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    if (text.trim() !== '') {
      onSend(text, () => {
        setText('');
        setCaret(0);
      });
    }
  };

  return (
    <form className="comment-composer" onSubmit={submit}>
      {children}
      <textarea
        ref={input}
        className="input"
        rows={3}
        value={text}
        placeholder={placeholder}
        aria-label={placeholder}
        data-testid="comment-input"
        onChange={(event) => {
          setText(event.target.value);
          setCaret(event.target.selectionStart);
        }}
        onSelect={(event) => {
          setCaret(event.currentTarget.selectionStart);
        }}
      />
      {options.length > 0 && (
        <ul className="mention-options" role="listbox" aria-label="Mention a teammate">
          {options.map((login) => (
            <li key={login}>
              <button
                type="button"
                className="button button--small button--quiet"
                role="option"
                aria-selected={false}
                data-testid="mention-option"
                onMouseDown={(event) => {
                  event.preventDefault();
                  choose(login);
                }}
              >
                @{login}
              </button>
            </li>
          ))}
        </ul>
      )}
      <button type="submit" className="button button--small" disabled={pending || text.trim() === ''} data-testid="comment-send">
        Send
      </button>
    </form>
  );
}
