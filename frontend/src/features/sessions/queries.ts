import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';

import { getJson, send, sendJson } from '../../api';
import { decodePreferences, decodeSessions, type Preferences } from './model';

export const SESSIONS_KEY = ['sessions'] as const;

export const sessionsQuery = queryOptions({
  queryKey: SESSIONS_KEY,
  queryFn: ({ signal }) => getJson('/api/sessions', decodeSessions, { signal }),
  // Other devices come and go: the header indicator looks again now and then.
  refetchInterval: 30_000,
  staleTime: 10_000,
});

export function useSessions(enabled = true) {
  return useQuery({ ...sessionsQuery, enabled });
}

export function useRevokeSession() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => send('DELETE', `/api/sessions/${encodeURIComponent(id)}`),
    onSettled: () => queryClient.invalidateQueries({ queryKey: SESSIONS_KEY }),
  });
}

export function useRevokeOthers() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => send('POST', '/api/sessions/revoke-others'),
    onSettled: () => queryClient.invalidateQueries({ queryKey: SESSIONS_KEY }),
  });
}

export function savePreferences(patch: Partial<Preferences>): Promise<Preferences> {
  return sendJson('PATCH', '/api/preferences', patch, decodePreferences);
}
