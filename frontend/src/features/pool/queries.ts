import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';

import { getJson, send, sendJson } from '../../api';
import { decodeOverview, type NewCredential } from './model';

export const poolKey = (teamId: number) => ['teams', teamId, 'pool'] as const;

export function poolQuery(teamId: number) {
  return queryOptions({
    queryKey: poolKey(teamId),
    queryFn: ({ signal }) => getJson(`/api/teams/${teamId}/pool`, decodeOverview, { signal }),
    // Quota moves with every request: refetched on each live update, and slowly without.
    refetchInterval: 30_000,
  });
}

export function useAddCredential(teamId: number) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: NewCredential) =>
      sendJson('POST', `/api/teams/${teamId}/pool/credentials`, body, (value) => value),
    onSettled: () => client.invalidateQueries({ queryKey: poolKey(teamId) }),
  });
}

export function useRemoveCredential(teamId: number) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (credentialId: number) => send('DELETE', `/api/teams/${teamId}/pool/credentials/${credentialId}`),
    onSettled: () => client.invalidateQueries({ queryKey: poolKey(teamId) }),
  });
}
