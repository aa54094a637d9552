/**
 * Which cached queries an event makes stale. Pure: the pages' live hooks hand
 * the targets to the coalescing refresher (./refresher.ts).
 *
 * On `team:{id}` (the team's pages):
 *
 * | event | repository list and row | metrics (repository and team) | candidates |
 * | --- | --- | --- | --- |
 * | `repository.followed`, `repository.unfollowed` | yes | yes | yes |
 * | other `repository.*`, `commit.pushed` | yes | yes | |
 * | `pull_request.*`, `issue.*`, `comment.*`, `workflow_run.*`, `release.*` | | yes | |
 * | `github.event` (not modelled: no data changed) | | | |
 * | `team.*` (membership and roles) | | | |
 * | any other type (newer than this page) | yes | yes | |
 *
 * `team.*` events refresh the team's members, its audit log and the signed-in
 * user's own teams and roles (`/api/me`) instead. `dashboard.*`, `annotation.*`
 * and `custom_metric.*` change none of these (the dashboard pages follow their
 * own channels). Every event on the team's channel refreshes its activity feed.
 *
 * On `repo:{id}` (the repository page): the repository and its metrics, for
 * every event but `github.event`. The team-wide queries are the team channel's.
 */
import { metricsKeyPrefix } from '../metrics/queries';
import { candidatesKey, repositoriesKey, repositoryKey } from '../repositories/queries';
import { annotationsKey } from '../dashboards/annotations';
import { auditKeyPrefix, membersKey } from '../teams/members';
import { ME_QUERY_KEY } from '../../queryClient';
import type { LiveEvent } from '../../realtime';

export interface RefreshTarget {
  readonly queryKey: readonly unknown[];
  /** Only the query with exactly this key; otherwise every query whose key starts so. */
  readonly exact: boolean;
}

export type LiveScope =
  | { readonly kind: 'team'; readonly teamId: number }
  | { readonly kind: 'repository'; readonly teamId: number; readonly repositoryId: number };

interface Effects {
  readonly rows: boolean;
  readonly metrics: boolean;
  readonly candidates: boolean;
  readonly members?: boolean;
}

const NONE: Effects = { rows: false, metrics: false, candidates: false };
const ROWS_AND_METRICS: Effects = { rows: true, metrics: true, candidates: false };
const METRICS: Effects = { rows: false, metrics: true, candidates: false };
const MEMBERS: Effects = { rows: false, metrics: false, candidates: false, members: true };

const DATA_FAMILIES = ['pull_request', 'issue', 'comment', 'workflow_run', 'release'];
// HubDeck's own objects that the repository and metrics queries do not show.
const OWN_FAMILIES = ['dashboard', 'annotation', 'custom_metric', 'webhook_endpoint', 'session'];

export const activityKeyPrefix = (teamId: number) => ['teams', teamId, 'activity'] as const;

/** What kind of data an event type changes. */
export function eventEffects(type: string): Effects {
  if (type === 'repository.followed' || type === 'repository.unfollowed') {
    return { rows: true, metrics: true, candidates: true };
  }
  if (type === 'github.event') {
    return NONE;
  }
  const family = type.split('.', 1)[0] ?? '';
  if (family === 'team') {
    return MEMBERS;
  }
  if (OWN_FAMILIES.includes(family)) {
    return NONE;
  }
  if (family === 'repository' || type === 'commit.pushed') {
    return ROWS_AND_METRICS;
  }
  if (DATA_FAMILIES.includes(family)) {
    return METRICS;
  }
  return ROWS_AND_METRICS;
}

const exact = (queryKey: readonly unknown[]): RefreshTarget => ({ queryKey, exact: true });
const prefix = (queryKey: readonly unknown[]): RefreshTarget => ({ queryKey, exact: false });

/** The queries an event makes stale, seen from a channel of `scope`. */
export function refreshTargets(event: LiveEvent, scope: LiveScope): RefreshTarget[] {
  const effects = eventEffects(event.type);
  const { teamId } = scope;
  if (scope.kind === 'repository') {
    if (effects === NONE || (event.repositoryId !== null && event.repositoryId !== scope.repositoryId)) {
      return [];
    }
    return [
      exact(repositoryKey(teamId, scope.repositoryId)),
      prefix(metricsKeyPrefix(teamId, scope.repositoryId)),
    ];
  }
  const repositoryId = event.repositoryId;
  const targets: RefreshTarget[] = [];
  if (effects.rows) {
    targets.push(exact(repositoriesKey(teamId)));
    if (repositoryId !== null) {
      targets.push(exact(repositoryKey(teamId, repositoryId)));
    }
  }
  if (effects.metrics) {
    if (repositoryId === null) {
      // Not about one repository: any report may change.
      targets.push(prefix(['teams', teamId, 'metrics']));
    } else {
      targets.push(prefix(metricsKeyPrefix(teamId, repositoryId)), prefix(metricsKeyPrefix(teamId, null)));
    }
  }
  if (effects.candidates) {
    targets.push(exact(candidatesKey(teamId)));
  }
  if (effects.members === true) {
    targets.push(exact(membersKey(teamId)), prefix(auditKeyPrefix(teamId)), exact(ME_QUERY_KEY));
  }
  if (event.type.startsWith('annotation.')) {
    // The time-series charts' dashed lines (features/dashboards/annotations.ts).
    targets.push(exact(annotationsKey(teamId)));
  }
  targets.push(prefix(activityKeyPrefix(teamId)));
  return targets;
}

/** Everything a channel of `scope` keeps fresh: refetched when the stream cannot say what changed. */
export function resyncTargets(scope: LiveScope): RefreshTarget[] {
  if (scope.kind === 'repository') {
    return [
      exact(repositoryKey(scope.teamId, scope.repositoryId)),
      prefix(metricsKeyPrefix(scope.teamId, scope.repositoryId)),
    ];
  }
  return [
    // The list and every repository of the team.
    prefix(repositoriesKey(scope.teamId)),
    prefix(['teams', scope.teamId, 'metrics']),
    exact(candidatesKey(scope.teamId)),
    exact(membersKey(scope.teamId)),
    prefix(auditKeyPrefix(scope.teamId)),
    prefix(activityKeyPrefix(scope.teamId)),
  ];
}
