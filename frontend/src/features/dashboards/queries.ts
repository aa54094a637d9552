/** The dashboards API's requests and their query keys (docs/dashboards.md). */
import { infiniteQueryOptions, queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';

import { ApiError, decoder, getJson, object, recordOf, send, sendJson } from '../../api';
import type { Widget } from './document';
import type { BatchResult, FailureKind, OutgoingBatch } from './editing';
import {
  decodeBatchResult,
  decodeCatalog,
  decodeCreatedLink,
  decodeDashboardList,
  decodeGrants,
  decodeLinks,
  decodeRevisionDetail,
  decodeRevisionPage,
  decodeSnapshot,
  decodeTemplates,
  decodeWidgetData,
  type DashboardRole,
  type Snapshot,
  type WidgetData,
} from './model';

export const dashboardsKey = ['dashboards'] as const;
export const dashboardKey = (id: number) => ['dashboards', id] as const;
/** Every configuration's data of one widget. */
export const widgetDataPrefix = (id: number, widgetId: string) => ['dashboards', id, 'widgets', widgetId] as const;
export const sharedKey = (token: string) => ['shared', token] as const;

export const dashboardListQuery = queryOptions({
  queryKey: dashboardsKey,
  queryFn: ({ signal }) => getJson('/api/dashboards', decodeDashboardList, { signal }),
});

export const templatesQuery = queryOptions({
  queryKey: ['dashboard-templates'] as const,
  queryFn: ({ signal }) => getJson('/api/dashboard-templates', decodeTemplates, { signal }),
  staleTime: Infinity,
});

export const catalogQuery = queryOptions({
  queryKey: ['dashboard-catalog'] as const,
  queryFn: ({ signal }) => getJson('/api/dashboard-catalog', decodeCatalog, { signal }),
  staleTime: Infinity,
});

export function fetchSnapshot(id: number, signal?: AbortSignal): Promise<Snapshot> {
  return getJson(`/api/dashboards/${id}`, decodeSnapshot, signal === undefined ? {} : { signal });
}

/** What a widget's data depends on besides its id: a change refetches. */
function configKey(widget: Widget): string {
  return JSON.stringify([widget.type, widget.config]);
}

/** Where a widget's data comes from: the dashboard's endpoint, or a share link's. */
export interface WidgetDataSource {
  readonly queryKey: readonly unknown[];
  readonly queryFn: (context: { readonly signal: AbortSignal }) => Promise<WidgetData>;
  readonly staleTime?: number;
  readonly refetchInterval?: number;
}

export function widgetDataQuery(dashboardId: number, widget: Widget): WidgetDataSource {
  return {
    queryKey: [...widgetDataPrefix(dashboardId, widget.id), configKey(widget)],
    // Batched: the widgets a page asks for in the same moment go out as one request.
    queryFn: () => batchedWidgetData(dashboardId, widget.id),
    // The channel says when it changes (dashboard.widget_data).
    staleTime: 60_000,
  };
}

interface Waiter {
  readonly resolve: (data: WidgetData) => void;
  readonly reject: (error: unknown) => void;
}

/** Per dashboard, the widget ids asked for since the last request went out. */
const waiting = new Map<number, Map<string, Waiter[]>>();
const decodeBatch = decoder(object({ widgets: recordOf((value: unknown) => value) }));
/** The server's limit on ids per request. */
const BATCH_MAX = 50;

/**
 * A widget's data, fetched with every other widget's data asked for in the
 * same macrotask: one `GET /api/dashboards/{id}/widgets/data?ids=…` for a
 * whole page load, or for all the widgets one change refreshes (one
 * authentication and access check on the server instead of one per widget).
 */
export function batchedWidgetData(dashboardId: number, widgetId: string): Promise<WidgetData> {
  return new Promise((resolve, reject) => {
    let queue = waiting.get(dashboardId);
    if (queue === undefined) {
      queue = new Map();
      waiting.set(dashboardId, queue);
      setTimeout(() => {
        void flushBatch(dashboardId);
      }, 0);
    }
    queue.set(widgetId, [...(queue.get(widgetId) ?? []), { resolve, reject }]);
  });
}

async function flushBatch(dashboardId: number): Promise<void> {
  const queue = waiting.get(dashboardId);
  waiting.delete(dashboardId);
  if (queue === undefined) {
    return;
  }
  const ids = [...queue.keys()];
  for (let start = 0; start < ids.length; start += BATCH_MAX) {
    const chunk = ids.slice(start, start + BATCH_MAX);
    try {
      const query = chunk.map(encodeURIComponent).join(',');
      const { widgets } = await getJson(`/api/dashboards/${dashboardId}/widgets/data?ids=${query}`, decodeBatch);
      for (const id of chunk) {
        const waiters = queue.get(id) ?? [];
        const raw = widgets[id];
        try {
          if (raw === undefined) {
            throw new ApiError(404, 'not_found', 'no such widget');
          }
          const data = decodeWidgetData(raw);
          waiters.forEach((waiter) => {
            waiter.resolve(data);
          });
        } catch (error) {
          waiters.forEach((waiter) => {
            waiter.reject(error);
          });
        }
      }
    } catch (error) {
      for (const id of chunk) {
        (queue.get(id) ?? []).forEach((waiter) => {
          waiter.reject(error);
        });
      }
    }
  }
}

export function sharedQuery(token: string) {
  return queryOptions({
    queryKey: sharedKey(token),
    queryFn: ({ signal }) => getJson(`/api/shared/${encodeURIComponent(token)}`, decodeSnapshot, { signal }),
    // Link viewers have no channel: the page polls.
    refetchInterval: 30_000,
  });
}

export function sharedWidgetDataQuery(token: string, widget: Widget): WidgetDataSource {
  return {
    queryKey: [...sharedKey(token), 'widgets', widget.id, configKey(widget)],
    queryFn: ({ signal }) =>
      getJson(
        `/api/shared/${encodeURIComponent(token)}/widgets/${encodeURIComponent(widget.id)}/data`,
        decodeWidgetData,
        { signal },
      ),
    refetchInterval: 30_000,
  };
}

export function revisionsQuery(id: number) {
  return infiniteQueryOptions({
    queryKey: [...dashboardKey(id), 'revisions'] as const,
    queryFn: ({ signal, pageParam }) =>
      getJson(
        `/api/dashboards/${id}/revisions?limit=30${pageParam === null ? '' : `&before=${pageParam}`}`,
        decodeRevisionPage,
        { signal },
      ),
    initialPageParam: null as number | null,
    getNextPageParam: (page) => page.next_before,
  });
}

export function revisionQuery(id: number, version: number) {
  return queryOptions({
    queryKey: [...dashboardKey(id), 'revisions', version] as const,
    queryFn: ({ signal }) => getJson(`/api/dashboards/${id}/revisions/${version}`, decodeRevisionDetail, { signal }),
    staleTime: Infinity,
  });
}

export const grantsKey = (id: number) => [...dashboardKey(id), 'grants'] as const;
export const linksKey = (id: number) => [...dashboardKey(id), 'links'] as const;

export function grantsQuery(id: number) {
  return queryOptions({
    queryKey: grantsKey(id),
    queryFn: ({ signal }) => getJson(`/api/dashboards/${id}/grants`, decodeGrants, { signal }),
  });
}

export function linksQuery(id: number) {
  return queryOptions({
    queryKey: linksKey(id),
    queryFn: ({ signal }) => getJson(`/api/dashboards/${id}/links`, decodeLinks, { signal }),
  });
}

export function useCreateDashboard() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { teamId: number; title: string; template: string | null }) =>
      sendJson(
        'POST',
        '/api/dashboards',
        { team_id: input.teamId, title: input.title, ...(input.template === null ? {} : { template: input.template }) },
        decodeSnapshot,
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: dashboardsKey }),
  });
}

export function useDeleteDashboard() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: number) => send('DELETE', `/api/dashboards/${id}`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: dashboardsKey }),
  });
}

export type GrantSubject = { readonly login: string } | { readonly team_id: number };

export function useGrantMutations(id: number) {
  const queryClient = useQueryClient();
  const refresh = () => queryClient.invalidateQueries({ queryKey: grantsKey(id) });
  const put = useMutation({
    mutationFn: (input: { subject: GrantSubject; role: DashboardRole }) =>
      send('PUT', `/api/dashboards/${id}/grants`, { ...input.subject, role: input.role }),
    onSuccess: refresh,
  });
  const remove = useMutation({
    mutationFn: (subject: { user_id: number } | { team_id: number }) => {
      const query = 'user_id' in subject ? `user_id=${subject.user_id}` : `team_id=${subject.team_id}`;
      return send('DELETE', `/api/dashboards/${id}/grants?${query}`);
    },
    onSuccess: refresh,
  });
  return { put, remove };
}

export function useLinkMutations(id: number) {
  const queryClient = useQueryClient();
  const refresh = () => queryClient.invalidateQueries({ queryKey: linksKey(id) });
  const create = useMutation({
    mutationFn: (expiresAt: string | null) =>
      sendJson(
        'POST',
        `/api/dashboards/${id}/links`,
        expiresAt === null ? {} : { expires_at: expiresAt },
        decodeCreatedLink,
      ),
    onSuccess: refresh,
  });
  const revoke = useMutation({
    mutationFn: (linkId: number) => send('DELETE', `/api/dashboards/${id}/links/${linkId}`),
    onSuccess: refresh,
  });
  return { create, revoke };
}

/** `POST …/seen`: I have seen the dashboard up to `version`. Failures do not matter. */
export function markSeen(id: number, version: number): void {
  send('POST', `/api/dashboards/${id}/seen`, { version }).catch(() => undefined);
}

/** `POST …/restore`: the whole dashboard, or one widget, as it was at `version`. */
export function restoreRevision(
  id: number,
  input: { baseVersion: number; version: number; widgetId: string | null; clientOpId: string },
): Promise<BatchResult> {
  return sendJson(
    'POST',
    `/api/dashboards/${id}/restore`,
    {
      base_version: input.baseVersion,
      version: input.version,
      client_op_id: input.clientOpId,
      ...(input.widgetId === null ? {} : { widget_id: input.widgetId }),
    },
    decodeBatchResult,
  );
}

/** What the socket's RPC rejects with. */
interface RpcError {
  readonly code: number;
  readonly message: string;
}

function isRpcError(error: unknown): error is RpcError {
  return (
    typeof error === 'object' &&
    error !== null &&
    typeof (error as { code?: unknown }).code === 'number' &&
    !(error instanceof ApiError)
  );
}

/** How to handle a failed batch, from the HTTP status or the RPC error code. */
export function failureKind(error: unknown): FailureKind {
  if (error instanceof ApiError) {
    if (error.status === 409) {
      return 'stale';
    }
    return error.status >= 400 && error.status < 500 && error.status !== 408 && error.status !== 429
      ? 'refused'
      : 'retry';
  }
  if (isRpcError(error)) {
    if (error.code === 1409) {
      return 'stale';
    }
    return error.code === 103 || error.code === 107 || error.code === 1404 || error.code === 104 ? 'refused' : 'retry';
  }
  return 'retry';
}

export function failureMessage(error: unknown): string {
  if (error instanceof Error || isRpcError(error)) {
    return error.message;
  }
  return String(error);
}

/** The part of the SDK client the transport needs. */
export interface RpcClient {
  rpc(method: string, data: unknown): Promise<{ data: unknown }>;
}

/**
 * Sends a batch over the socket when it is connected (one round trip, no new
 * request), over HTTP otherwise.
 */
export async function sendBatch(
  dashboardId: number,
  tab: string,
  batch: OutgoingBatch,
  rpc: RpcClient | null,
): Promise<BatchResult> {
  const body = { base_version: batch.baseVersion, client_op_id: batch.clientOpId, client: tab, ops: batch.ops };
  if (rpc !== null) {
    const reply = await rpc.rpc('dashboard.ops', { dashboard_id: dashboardId, ...body });
    return decodeBatchResult(reply.data);
  }
  return sendJson('POST', `/api/dashboards/${dashboardId}/ops`, body, decodeBatchResult);
}
