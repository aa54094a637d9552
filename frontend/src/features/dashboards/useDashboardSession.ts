/**
 * One open dashboard: the snapshot, the co-editing client (./editing.ts), the
 * channel `dashboard:{id}` (operations, widget data, focus, presence), and
 * what the page shows about others (highlights, notices, focus outlines).
 */
import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useRef, useState, useSyncExternalStore } from 'react';

import { ApiError } from '../../api';
import { useChannel, useConnectionState, usePresence, useRealtimeConnection, type PresentUser } from '../../realtime';
import type { DashboardDoc, Op } from './document';
import { DashboardEditor, randomId, type Author, type EditNotice } from './editing';
import { decodePublication, type ChangedSince, type DashboardRole, type Snapshot, type UserRef } from './model';
import {
  failureKind,
  failureMessage,
  fetchSnapshot,
  markSeen,
  restoreRevision,
  sendBatch,
  widgetDataPrefix,
  type RpcClient,
} from './queries';

/** How long a change by someone else stays highlighted. */
export const HIGHLIGHT_MS = 4_000;
/** How long a notice stays unless dismissed. */
export const NOTICE_MS = 20_000;
const RETRY_MS = 2_000;

export const dashboardChannel = (id: number) => `dashboard:${id}`;

export interface Highlight {
  readonly by: Author | null;
  readonly at: number;
}

export interface ShownNotice {
  readonly id: number;
  readonly notice: EditNotice;
}

export interface Focus {
  readonly user: UserRef;
  readonly widgetId: string;
}

export type SessionStatus =
  | { readonly kind: 'loading' }
  | { readonly kind: 'error'; readonly error: unknown }
  | { readonly kind: 'deleted' }
  | { readonly kind: 'ready' };

interface Loaded {
  readonly editor: DashboardEditor;
  readonly first: Snapshot;
}

export interface DashboardSession {
  readonly status: SessionStatus;
  readonly doc: DashboardDoc | null;
  readonly version: number;
  readonly role: DashboardRole;
  readonly teamId: number | null;
  readonly owner: UserRef | null;
  /** What others changed since my last visit, as the first snapshot said. */
  readonly changedSince: ChangedSince | null;
  readonly highlights: ReadonlyMap<string, Highlight>;
  readonly notices: readonly ShownNotice[];
  /** Others' focus, by connection. */
  readonly focus: ReadonlyMap<string, Focus>;
  readonly present: readonly PresentUser[];
  readonly live: boolean;
  readonly edit: (ops: readonly Op[]) => boolean;
  readonly dismiss: (noticeId: number) => void;
  readonly setFocus: (widgetId: string | null) => void;
  readonly restore: (version: number, widgetId: string | null) => Promise<void>;
}

const NO_DOC = { subscribe: () => () => undefined, view: () => null };

export function useDashboardSession(id: number, me: UserRef | null): DashboardSession {
  const connection = useRealtimeConnection();
  const connectionState = useConnectionState();
  const queryClient = useQueryClient();
  const [tab] = useState(() => `tab-${randomId(8)}`);
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [status, setStatus] = useState<SessionStatus>({ kind: 'loading' });
  const [highlights, setHighlights] = useState<ReadonlyMap<string, Highlight>>(new Map());
  const [notices, setNotices] = useState<readonly ShownNotice[]>([]);
  const [focus, setFocusMap] = useState<ReadonlyMap<string, Focus>>(new Map());
  const editorRef = useRef<DashboardEditor | null>(null);
  /** Publications that came before the first snapshot. */
  const early = useRef<unknown[]>([]);
  const refetching = useRef(false);
  /** A resync was asked for before the first snapshot arrived. */
  const resyncWanted = useRef(false);
  const noticeId = useRef(0);
  const meId = me?.id ?? null;

  const rpcClient = useCallback((): RpcClient | null => {
    if (connection.getState().phase !== 'connected') {
      return null;
    }
    return { rpc: (method, data) => connection.client.rpc(method, data) };
  }, [connection]);

  const pushNotice = useCallback((notice: EditNotice) => {
    noticeId.current += 1;
    const shown = { id: noticeId.current, notice };
    setNotices((list) => [...list, shown]);
    setTimeout(() => {
      setNotices((list) => list.filter((item) => item !== shown));
    }, NOTICE_MS);
  }, []);

  const resync = useCallback(() => {
    const editor = editorRef.current;
    if (editor === null) {
      // The first snapshot may predate the subscription: fetch again once it is here.
      resyncWanted.current = true;
      return;
    }
    if (refetching.current) {
      return;
    }
    refetching.current = true;
    fetchSnapshot(id).then(
      (snapshot) => {
        refetching.current = false;
        editor.resync({ version: snapshot.version, doc: snapshot });
      },
      (error: unknown) => {
        refetching.current = false;
        if (error instanceof ApiError && error.status === 404) {
          setStatus({ kind: 'deleted' });
        }
      },
    );
  }, [id]);

  const handlePublication = useCallback(
    (raw: unknown) => {
      const editor = editorRef.current;
      if (editor === null) {
        early.current.push(raw);
        return;
      }
      const publication = decodePublication(raw);
      if (publication === null) {
        // Unreadable (a newer server?): the snapshot says where things stand.
        resync();
        return;
      }
      switch (publication.kind) {
        case 'ops':
          editor.receive(publication.batch);
          break;
        case 'widget_data':
          for (const widgetId of publication.widgetIds) {
            void queryClient.invalidateQueries({ queryKey: widgetDataPrefix(id, widgetId) });
          }
          break;
        case 'focus': {
          const { user, client, widgetId } = publication.focus;
          if (meId !== null && user.id === meId) {
            break;
          }
          setFocusMap((current) => {
            const next = new Map(current);
            if (widgetId === null) {
              next.delete(client);
            } else {
              next.set(client, { user, widgetId });
            }
            return next;
          });
          break;
        }
        case 'deleted':
          setStatus({ kind: 'deleted' });
          break;
      }
    },
    [id, meId, queryClient, resync],
  );

  // The first snapshot, and the editor built on it (the page is keyed by the id: a new id is a new session).
  useEffect(() => {
    const controller = new AbortController();
    fetchSnapshot(id, controller.signal).then(
      (snapshot) => {
        const editor = new DashboardEditor(
          { version: snapshot.version, doc: snapshot },
          {
            userId: meId,
            send: (batch) => {
              sendBatch(id, tab, batch, rpcClient()).then(
                (result) => {
                  editor.acknowledged(batch.clientOpId, result);
                },
                (error: unknown) => {
                  const kind = failureKind(error);
                  editor.failed(batch.clientOpId, kind, failureMessage(error));
                  if (kind === 'retry') {
                    setTimeout(() => {
                      editor.retry();
                    }, RETRY_MS);
                  }
                },
              );
            },
          },
        );
        editorRef.current = editor;
        setLoaded({ editor, first: snapshot });
        setStatus({ kind: 'ready' });
        markSeen(id, snapshot.version);
        const waiting = early.current;
        early.current = [];
        for (const raw of waiting) {
          handlePublication(raw);
        }
        if (resyncWanted.current) {
          resyncWanted.current = false;
          resync();
        }
      },
      (error: unknown) => {
        if (!controller.signal.aborted) {
          setStatus({ kind: 'error', error });
        }
      },
    );
    return () => {
      controller.abort();
      const editor = editorRef.current;
      if (editor !== null) {
        markSeen(id, editor.version);
      }
    };
    // The editor lives as long as the dashboard's id; the callbacks it uses read refs.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [id]);

  // What the editor says: notices, others' changes to highlight, gaps to fill.
  useEffect(() => {
    if (loaded === null) {
      return;
    }
    const timers: ReturnType<typeof setTimeout>[] = [];
    const release = loaded.editor.listen({
      onNotice: pushNotice,
      onGap: resync,
      onRemoteChange: (change) => {
        const at = Date.now();
        setHighlights((current) => {
          const next = new Map(current);
          for (const target of change.targets) {
            next.set(target, { by: change.author, at });
          }
          return next;
        });
        timers.push(
          setTimeout(() => {
            setHighlights((current) => {
              const next = new Map(current);
              for (const target of change.targets) {
                if (next.get(target)?.at === at) {
                  next.delete(target);
                }
              }
              return next;
            });
          }, HIGHLIGHT_MS),
        );
      },
    });
    return () => {
      release();
      timers.forEach(clearTimeout);
    };
  }, [loaded, pushNotice, resync]);

  const channel = useChannel(
    dashboardChannel(id),
    {
      onPublication: handlePublication,
      onResync: resync,
      onLeave: (client) => {
        setFocusMap((current) => {
          if (!current.has(client.client)) {
            return current;
          }
          const next = new Map(current);
          next.delete(client.client);
          return next;
        });
      },
    },
    { joinLeave: true },
  );
  const present = usePresence(dashboardChannel(id));

  // Back online: what waits goes out.
  useEffect(() => {
    if (connectionState.phase === 'connected') {
      loaded?.editor.retry();
    }
  }, [connectionState.phase, loaded]);

  const editor = loaded?.editor;
  const doc = useSyncExternalStore(
    useCallback(
      (onChange: () => void) => (editor === undefined ? NO_DOC.subscribe() : editor.listen({ onChange })),
      [editor],
    ),
    () => (editor === undefined ? NO_DOC.view() : editor.view()),
  );

  const edit = useCallback((ops: readonly Op[]) => editor?.edit(ops) ?? false, [editor]);
  const dismiss = useCallback((noticeIdToDismiss: number) => {
    setNotices((list) => list.filter((item) => item.id !== noticeIdToDismiss));
  }, []);
  const setFocus = useCallback(
    (widgetId: string | null) => {
      const rpc = rpcClient();
      if (rpc === null || loaded === null || loaded.first.role === 'viewer') {
        return;
      }
      rpc.rpc('dashboard.focus', { dashboard_id: id, widget_id: widgetId }).catch(() => undefined);
    },
    [id, loaded, rpcClient],
  );
  const restore = useCallback(
    async (version: number, widgetId: string | null) => {
      if (editor === undefined) {
        return;
      }
      const clientOpId = `restore-${randomId(12)}`;
      editor.trackOwn(clientOpId);
      const result = await restoreRevision(id, { baseVersion: editor.version, version, widgetId, clientOpId });
      editor.confirmedOwn(clientOpId, result);
    },
    [editor, id],
  );

  return {
    status,
    doc,
    version: editor?.version ?? 0,
    role: loaded?.first.role ?? 'viewer',
    teamId: loaded?.first.team_id ?? null,
    owner: loaded?.first.owner ?? null,
    changedSince: loaded?.first.changed_since_last_visit ?? null,
    highlights,
    notices,
    focus,
    present,
    live: channel.status === 'subscribed',
    edit,
    dismiss,
    setFocus,
    restore,
  };
}
