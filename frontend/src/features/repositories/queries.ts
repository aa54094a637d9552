import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';

import { getJson, send, sendJson } from '../../api';
import { metricsKeyPrefix } from '../metrics/queries';
import { decodeCandidates, decodeRepositories, decodeRepository, type Candidate, type Repository } from './model';
import { FALLBACK_POLL_MS } from './syncState';

export const repositoriesKey = (teamId: number) => ['teams', teamId, 'repositories'] as const;
export const repositoryKey = (teamId: number, repositoryId: number) =>
  [...repositoriesKey(teamId), repositoryId] as const;
export const candidatesKey = (teamId: number) => ['teams', teamId, 'candidates'] as const;

/**
 * @param live whether the team's live channel is subscribed: then its
 *   `repository.synced` events say when a first sync finished, and nothing is
 *   polled. Without it, a slow poll watches for them.
 */
export function repositoriesQuery(teamId: number, live = false) {
  return queryOptions({
    queryKey: repositoriesKey(teamId),
    queryFn: ({ signal }) => getJson(`/api/teams/${teamId}/repositories`, decodeRepositories, { signal }),
    refetchInterval: (query) =>
      !live && query.state.data?.some((repository) => repository.synced_at === null) === true
        ? FALLBACK_POLL_MS
        : false,
  });
}

export function repositoryQuery(teamId: number, repositoryId: number) {
  return queryOptions({
    queryKey: repositoryKey(teamId, repositoryId),
    queryFn: ({ signal }) =>
      getJson(`/api/teams/${teamId}/repositories/${repositoryId}`, decodeRepository, { signal }),
  });
}

export function candidatesQuery(teamId: number) {
  return queryOptions({
    queryKey: candidatesKey(teamId),
    queryFn: ({ signal }) => getJson(`/api/teams/${teamId}/candidates`, decodeCandidates, { signal }),
    // Asks GitHub: not on every visit.
    staleTime: 60_000,
  });
}

/** The candidates with one marked followed or not (the optimistic update and its rollback). */
export function setFollowed(
  candidates: readonly Candidate[] | undefined,
  githubId: number,
  followed: boolean,
): readonly Candidate[] | undefined {
  return candidates?.map((candidate) =>
    candidate.github_id === githubId ? { ...candidate, followed } : candidate,
  );
}

export interface FollowChange {
  readonly fullName: string;
  /** Known for a candidate; absent when following by name. */
  readonly githubId?: number;
  readonly follow: boolean;
  /** The followed repository's id, needed to unfollow. */
  readonly repositoryId?: number;
}

/**
 * Follow or unfollow, optimistic: the candidate shows its new state at once,
 * and goes back if the server refuses. One per row, so rows do not share a
 * pending state.
 */
export function useFollow(teamId: number) {
  const queryClient = useQueryClient();
  const mutationKey = ['teams', teamId, 'follow'];
  return useMutation({
    mutationKey,
    mutationFn: async (change: FollowChange): Promise<Repository | null> => {
      if (change.follow) {
        return sendJson('POST', `/api/teams/${teamId}/repositories`, { full_name: change.fullName }, decodeRepository);
      }
      if (change.repositoryId === undefined) {
        throw new Error(`${change.fullName} is not followed by this team.`);
      }
      await send('DELETE', `/api/teams/${teamId}/repositories/${change.repositoryId}`);
      return null;
    },
    onMutate: async (change) => {
      const { githubId } = change;
      if (githubId === undefined) {
        return;
      }
      await queryClient.cancelQueries({ queryKey: candidatesKey(teamId) });
      queryClient.setQueryData<readonly Candidate[]>(candidatesKey(teamId), (list) =>
        setFollowed(list, githubId, change.follow),
      );
    },
    onError: (_error, change) => {
      const { githubId } = change;
      if (githubId !== undefined) {
        queryClient.setQueryData<readonly Candidate[]>(candidatesKey(teamId), (list) =>
          setFollowed(list, githubId, !change.follow),
        );
      }
    },
    onSuccess: (repository, change) => {
      queryClient.setQueryData<readonly Repository[]>(repositoriesKey(teamId), (list) => {
        if (list === undefined) {
          return list;
        }
        if (repository !== null) {
          return [...list.filter((r) => r.id !== repository.id), repository];
        }
        return list.filter((r) => r.id !== change.repositoryId);
      });
    },
    onSettled: () => {
      // The last of several concurrent changes refreshes from the server.
      if (queryClient.isMutating({ mutationKey }) <= 1) {
        void queryClient.invalidateQueries({ queryKey: candidatesKey(teamId) });
        void queryClient.invalidateQueries({ queryKey: repositoriesKey(teamId), exact: true });
        void queryClient.invalidateQueries({ queryKey: metricsKeyPrefix(teamId, null) });
      }
    },
  });
}

/** `POST …/sync`: queued on the server (202). */
export function useSyncNow(teamId: number, repositoryId: number) {
  return useMutation({
    mutationFn: () => send('POST', `/api/teams/${teamId}/repositories/${repositoryId}/sync`),
  });
}
