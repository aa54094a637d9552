/** Webhook queries and mutations; every write refreshes what it changed. */
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';

import { getJson, send, sendJson } from '../../api';
import {
  attemptsPath,
  decodeAttemptPage,
  decodeCatalogue,
  decodeEndpoint,
  decodeEndpointWithSecret,
  decodeEndpoints,
  decodeIncoming,
  decodeIncomingWithSecret,
  decodeMessage,
  decodeMessagePage,
  endpointPath,
  endpointsPath,
  formBody,
  type EndpointForm,
  type LogFilters,
  type MessageStatus,
} from './model';

export const webhooksKey = (teamId: number) => ['webhooks', teamId] as const;
const endpointsKey = (teamId: number) => [...webhooksKey(teamId), 'endpoints'] as const;
const endpointKey = (teamId: number, id: number) => [...webhooksKey(teamId), 'endpoint', id] as const;
const logKey = (teamId: number, id: number) => [...webhooksKey(teamId), 'log', id] as const;
const incomingKey = (teamId: number) => [...webhooksKey(teamId), 'incoming'] as const;

// The log changes while the page is open (retries, replays): it refreshes by itself.
const LOG_REFRESH_MS = 5000;

export function useCatalogue() {
  return useQuery({
    queryKey: ['webhooks', 'catalogue'],
    queryFn: ({ signal }) => getJson('/api/webhooks/catalogue', decodeCatalogue, { signal }),
    staleTime: Infinity,
  });
}

export function useEndpoints(teamId: number) {
  return useQuery({
    queryKey: endpointsKey(teamId),
    queryFn: ({ signal }) => getJson(endpointsPath(teamId), decodeEndpoints, { signal }),
  });
}

export function useEndpoint(teamId: number, endpointId: number) {
  return useQuery({
    queryKey: endpointKey(teamId, endpointId),
    queryFn: ({ signal }) => getJson(endpointPath(teamId, endpointId), decodeEndpoint, { signal }),
    refetchInterval: LOG_REFRESH_MS,
  });
}

export function useAttempts(teamId: number, endpointId: number, filters: LogFilters, before: number | null) {
  return useQuery({
    queryKey: [...logKey(teamId, endpointId), 'attempts', filters, before],
    queryFn: ({ signal }) =>
      getJson(attemptsPath(teamId, endpointId, filters, before), decodeAttemptPage, { signal }),
    placeholderData: keepPreviousData,
    refetchInterval: LOG_REFRESH_MS,
  });
}

export function useMessages(teamId: number, endpointId: number, status: MessageStatus | 'all', eventType: string) {
  const query = new URLSearchParams({ limit: '50' });
  if (status !== 'all') {
    query.set('status', status);
  }
  if (eventType !== '') {
    query.set('event_type', eventType);
  }
  return useQuery({
    queryKey: [...logKey(teamId, endpointId), 'messages', status, eventType],
    queryFn: ({ signal }) =>
      getJson(`${endpointPath(teamId, endpointId)}/messages?${query.toString()}`, decodeMessagePage, { signal }),
    placeholderData: keepPreviousData,
    refetchInterval: LOG_REFRESH_MS,
  });
}

function useRefresh(teamId: number) {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: webhooksKey(teamId) });
}

export function useCreateEndpoint(teamId: number) {
  const refresh = useRefresh(teamId);
  return useMutation({
    mutationFn: (form: EndpointForm) => sendJson('POST', endpointsPath(teamId), formBody(form), decodeEndpointWithSecret),
    onSuccess: refresh,
  });
}

export function useUpdateEndpoint(teamId: number, endpointId: number) {
  const refresh = useRefresh(teamId);
  return useMutation({
    mutationFn: (changes: Record<string, unknown>) =>
      sendJson('PATCH', endpointPath(teamId, endpointId), changes, decodeEndpoint),
    onSuccess: refresh,
  });
}

export function useDeleteEndpoint(teamId: number, endpointId: number) {
  const refresh = useRefresh(teamId);
  return useMutation({
    mutationFn: () => send('DELETE', endpointPath(teamId, endpointId)),
    onSuccess: refresh,
  });
}

export function useRotateSecret(teamId: number, endpointId: number) {
  const refresh = useRefresh(teamId);
  return useMutation({
    mutationFn: (overlapHours: number) =>
      sendJson(
        'POST',
        `${endpointPath(teamId, endpointId)}/rotate-secret`,
        { overlap_hours: overlapHours },
        decodeEndpointWithSecret,
      ),
    onSuccess: refresh,
  });
}

export function useSendTest(teamId: number, endpointId: number) {
  const refresh = useRefresh(teamId);
  return useMutation({
    mutationFn: () => sendJson('POST', `${endpointPath(teamId, endpointId)}/test`, undefined, decodeMessage),
    onSuccess: refresh,
  });
}

export function useRedeliver(teamId: number, endpointId: number) {
  const refresh = useRefresh(teamId);
  return useMutation({
    mutationFn: (messageId: number) =>
      send('POST', `${endpointPath(teamId, endpointId)}/messages/${String(messageId)}/redeliver`),
    onSuccess: refresh,
  });
}

export function useIncoming(teamId: number) {
  return useQuery({
    queryKey: incomingKey(teamId),
    queryFn: ({ signal }) => getJson(`/api/teams/${String(teamId)}/webhooks/incoming`, decodeIncoming, { signal }),
  });
}

export function useSetupIncoming(teamId: number) {
  const refresh = useRefresh(teamId);
  return useMutation({
    mutationFn: () =>
      sendJson('POST', `/api/teams/${String(teamId)}/webhooks/incoming`, undefined, decodeIncomingWithSecret),
    onSuccess: refresh,
  });
}

export function useRemoveIncoming(teamId: number) {
  const refresh = useRefresh(teamId);
  return useMutation({
    mutationFn: () => send('DELETE', `/api/teams/${String(teamId)}/webhooks/incoming`),
    onSuccess: refresh,
  });
}
