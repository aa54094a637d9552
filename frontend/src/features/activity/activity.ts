/**
 * A team's activity feed: `GET /api/teams/{id}/activity`, newest first, a page
 * at a time (`before` the last item's time), filtered by event family.
 */
import { infiniteQueryOptions } from '@tanstack/react-query';

import { arrayOf, decoder, getJson, nullable, num, object, recordOf, str } from '../../api';
import type { LiveEvent } from '../../realtime';
import { activityKeyPrefix } from '../live/invalidation';

export const PAGE_SIZE = 30;

/** The filters offered: a label and the event families (type prefixes) it covers. */
export const FILTERS = [
  { id: 'all', label: 'Everything', types: [] },
  { id: 'code', label: 'Pull requests and pushes', types: ['pull_request', 'commit'] },
  { id: 'issues', label: 'Issues and comments', types: ['issue', 'comment'] },
  { id: 'ci', label: 'CI and releases', types: ['workflow_run', 'release'] },
  { id: 'dashboards', label: 'Dashboards and comments', types: ['dashboard', 'annotation'] },
  { id: 'team', label: 'Team and sharing', types: ['team', 'dashboard.shared', 'dashboard.unshared'] },
] as const;

export type FilterId = (typeof FILTERS)[number]['id'];

export function filterById(id: string | null): (typeof FILTERS)[number] {
  return FILTERS.find((filter) => filter.id === id) ?? FILTERS[0];
}

const readItem = object({
  id: str,
  type: str,
  occurred_at: str,
  subject: str,
  actor: nullable(str),
  repository_id: nullable(num),
  data: recordOf((value: unknown) => value),
});
const decodePage = decoder(object({ items: arrayOf(readItem), next_before: nullable(str) }));

/** The feed's path for a page: `before` is the previous page's `next_before`. */
export function activityPath(teamId: number, types: readonly string[], before: string | null): string {
  const params = new URLSearchParams({ limit: String(PAGE_SIZE) });
  for (const type of types) {
    params.append('type', type);
  }
  if (before !== null) {
    params.set('before', before);
  }
  return `/api/teams/${teamId}/activity?${params.toString()}`;
}

export function activityQuery(teamId: number, filter: FilterId) {
  const { types } = filterById(filter);
  return infiniteQueryOptions({
    queryKey: [...activityKeyPrefix(teamId), filter],
    queryFn: async ({ pageParam, signal }) => {
      const page = await getJson(activityPath(teamId, types, pageParam), decodePage, { signal });
      const items: LiveEvent[] = page.items.map((item) => ({
        id: item.id,
        type: item.type,
        occurredAt: item.occurred_at,
        teamId,
        repositoryId: item.repository_id,
        subject: item.subject,
        actor: item.actor,
        data: item.data,
        publishedAt: null,
      }));
      return { items, nextBefore: page.next_before };
    },
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextBefore,
  });
}
