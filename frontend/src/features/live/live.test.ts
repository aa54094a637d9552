import { QueryClient, QueryObserver } from '@tanstack/react-query';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import type { LiveEvent, PresentUser } from '../../realtime';
import { syncPollMs, FALLBACK_POLL_MS } from '../repositories/syncState';
import { describeLiveEvent, pushRecent, RECENT_EVENTS } from './describe';
import { eventEffects, refreshTargets, resyncTargets, type LiveScope } from './invalidation';
import { createQueryRefresher, resync, targetId } from './refresher';
import { viewerLabel, viewersOf } from './viewers';

function event(type: string, fields: Partial<LiveEvent> = {}): LiveEvent {
  return {
    id: `${type}-${Math.random()}`,
    type,
    occurredAt: '2026-11-26T10:00:00Z',
    teamId: null,
    repositoryId: 3,
    subject: 'acme/api#42',
    actor: 'alice',
    data: { repository: 'acme/api' },
    publishedAt: null,
    ...fields,
  };
}

const team: LiveScope = { kind: 'team', teamId: 1 };
const repository: LiveScope = { kind: 'repository', teamId: 1, repositoryId: 3 };
const allKeys = (targets: ReturnType<typeof refreshTargets>) =>
  targets.map((target) => `${target.exact ? '=' : '^'}${target.queryKey.join('/')}`);
// Every event on the team's channel also refreshes its activity feed (tested once, below).
const keys = (targets: ReturnType<typeof refreshTargets>) =>
  allKeys(targets).filter((key) => key !== '^teams/1/activity');

describe('event → queries to refresh', () => {
  it('refreshes the rows, the repository and the metrics on repository events (team channel)', () => {
    expect(keys(refreshTargets(event('repository.synced', { subject: 'acme/api' }), team))).toEqual([
      '=teams/1/repositories',
      '=teams/1/repositories/3',
      '^teams/1/metrics/3',
      '^teams/1/metrics/team',
    ]);
    expect(keys(refreshTargets(event('commit.pushed'), team))).toContain('=teams/1/repositories');
  });

  it('also refreshes the candidates when a repository is followed or unfollowed', () => {
    for (const type of ['repository.followed', 'repository.unfollowed']) {
      expect(keys(refreshTargets(event(type), team))).toEqual([
        '=teams/1/repositories',
        '=teams/1/repositories/3',
        '^teams/1/metrics/3',
        '^teams/1/metrics/team',
        '=teams/1/candidates',
      ]);
    }
  });

  it('refreshes only the metrics on pull request, issue, comment, CI and release events', () => {
    for (const type of [
      'pull_request.merged',
      'pull_request.reviewed',
      'issue.opened',
      'comment.created',
      'workflow_run.failed',
      'release.published',
    ]) {
      expect(keys(refreshTargets(event(type), team))).toEqual(['^teams/1/metrics/3', '^teams/1/metrics/team']);
    }
  });

  it('refreshes nothing for unmodelled GitHub events, and everything likely for unknown types', () => {
    expect(keys(refreshTargets(event('github.event'), team))).toEqual([]);
    expect(eventEffects('deployment.created')).toEqual({ rows: true, metrics: true, candidates: false });
    expect(keys(refreshTargets(event('deployment.created', { repositoryId: null, teamId: 1 }), team))).toEqual([
      '=teams/1/repositories',
      '^teams/1/metrics',
    ]);
  });

  it('refreshes only the activity feed on events of dashboards, annotations and custom metrics', () => {
    expect(allKeys(refreshTargets(event('annotation.created', { repositoryId: null, teamId: 1 }), team))).toEqual([
      '=teams/1/annotations',
      '^teams/1/activity',
    ]);
    for (const type of ['dashboard.edited', 'dashboard.commented', 'custom_metric.recorded']) {
      expect(allKeys(refreshTargets(event(type, { repositoryId: null, teamId: 1 }), team))).toEqual([
        '^teams/1/activity',
      ]);
    }
    expect(allKeys(refreshTargets(event('pull_request.merged'), team))).toContain('^teams/1/activity');
    expect(allKeys(refreshTargets(event('github.event'), team))).toEqual(['^teams/1/activity']);
  });

  it('refreshes the members, the audit log and my own roles on membership changes', () => {
    for (const type of ['team.role_changed', 'team.member_removed', 'team.member_joined']) {
      expect(keys(refreshTargets(event(type, { repositoryId: null, teamId: 1 }), team))).toEqual([
        '=teams/1/members',
        '^teams/1/audit',
        '=me',
      ]);
    }
  });

  it('refreshes the repository and its metrics on its own channel', () => {
    for (const type of ['pull_request.merged', 'repository.starred', 'commit.pushed', 'issue.closed']) {
      expect(keys(refreshTargets(event(type), repository))).toEqual(['=teams/1/repositories/3', '^teams/1/metrics/3']);
    }
    expect(refreshTargets(event('github.event'), repository)).toEqual([]);
    expect(refreshTargets(event('pull_request.merged', { repositoryId: 4 }), repository)).toEqual([]);
  });

  it('resyncs everything a channel keeps fresh', () => {
    expect(allKeys(resyncTargets(team))).toEqual([
      '^teams/1/repositories',
      '^teams/1/metrics',
      '=teams/1/candidates',
      '=teams/1/members',
      '^teams/1/audit',
      '^teams/1/activity',
    ]);
    expect(keys(resyncTargets(repository))).toEqual(['=teams/1/repositories/3', '^teams/1/metrics/3']);
  });
});

describe('createQueryRefresher', () => {
  let queryClient: QueryClient;

  beforeEach(() => {
    vi.useFakeTimers({ now: 1_000_000 });
    queryClient = new QueryClient({ defaultOptions: { queries: { retry: false, staleTime: 60_000 } } });
  });

  afterEach(() => {
    queryClient.clear();
    vi.useRealTimers();
  });

  /** An active query (as if on screen) answering after `delay` ms; returns how often it was fetched. */
  async function onScreen(queryKey: readonly unknown[], delay = 0): Promise<{ fetches: number }> {
    const counter = { fetches: 0 };
    const observer = new QueryObserver(queryClient, {
      queryKey,
      queryFn: () =>
        new Promise((resolve) => {
          counter.fetches += 1;
          setTimeout(() => {
            resolve({ at: Date.now() });
          }, delay);
        }),
    });
    observer.subscribe(() => undefined);
    await vi.advanceTimersByTimeAsync(delay);
    expect(counter.fetches).toBe(1);
    counter.fetches = 0;
    return counter;
  }

  it('turns a burst of 50 events into a handful of refetches per query', async () => {
    const metrics = await onScreen(['teams', 1, 'metrics', 3, 30, 'UTC', 'v1']);
    const teamMetrics = await onScreen(['teams', 1, 'metrics', 'team', 30, 'UTC', 'v1']);
    const other = await onScreen(['teams', 1, 'metrics', 4, 30, 'UTC', 'v1']);
    const refresher = createQueryRefresher(queryClient);
    for (let i = 0; i < 50; i += 1) {
      refresher.refresh(refreshTargets(event('pull_request.merged'), team));
      refresher.refresh(refreshTargets(event('pull_request.merged'), repository));
      await vi.advanceTimersByTimeAsync(20);
    }
    await vi.advanceTimersByTimeAsync(2_000);
    expect(metrics.fetches).toBeGreaterThanOrEqual(2);
    expect(metrics.fetches).toBeLessThanOrEqual(5);
    expect(teamMetrics.fetches).toBeLessThanOrEqual(5);
    expect(other.fetches).toBe(0);
    refresher.dispose();
  });

  it('does not cancel a slow refetch: the next one waits for it', async () => {
    const metrics = await onScreen(['teams', 1, 'metrics', 3], 1_000);
    const refresher = createQueryRefresher(queryClient);
    for (let i = 0; i < 100; i += 1) {
      refresher.refresh(refreshTargets(event('issue.opened'), repository));
      await vi.advanceTimersByTimeAsync(50);
    }
    await vi.advanceTimersByTimeAsync(5_000);
    // 5 s of events at one refetch per second at most (each takes 1 s), and each one completes.
    expect(metrics.fetches).toBeLessThanOrEqual(6);
    expect(queryClient.getQueryState(['teams', 1, 'metrics', 3])?.status).toBe('success');
    expect(queryClient.isFetching()).toBe(0);
    refresher.dispose();
  });

  it('on the first subscribe, refetches only data loaded before it', async () => {
    const early = await onScreen(['teams', 1, 'repositories']);
    await vi.advanceTimersByTimeAsync(1_000);
    const subscribedAt = Date.now();
    await vi.advanceTimersByTimeAsync(10);
    const late = await onScreen(['teams', 1, 'metrics', 'team']);
    const refresher = createQueryRefresher(queryClient);
    resync(refresher, resyncTargets(team), 'initial', subscribedAt);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(early.fetches).toBe(1);
    expect(late.fetches).toBe(0);

    resync(refresher, resyncTargets(team), 'unrecovered', Date.now());
    await vi.advanceTimersByTimeAsync(1_000);
    expect(late.fetches).toBe(1);
    refresher.dispose();
  });

  it('retries what failed, and only that', async () => {
    const fine = await onScreen(['teams', 1, 'repositories', 3]);
    let fail = true;
    let attempts = 0;
    const observer = new QueryObserver(queryClient, {
      queryKey: ['teams', 1, 'metrics', 3, 30],
      queryFn: () => {
        attempts += 1;
        return fail ? Promise.reject(new Error('server away')) : Promise.resolve({ ok: true });
      },
    });
    observer.subscribe(() => undefined);
    await vi.advanceTimersByTimeAsync(0);
    expect(queryClient.getQueryState(['teams', 1, 'metrics', 3, 30])?.status).toBe('error');
    fail = false;
    const refresher = createQueryRefresher(queryClient);
    refresher.retryFailed(resyncTargets(repository));
    await vi.advanceTimersByTimeAsync(1_000);
    expect(attempts).toBe(2);
    expect(queryClient.getQueryState(['teams', 1, 'metrics', 3, 30])?.status).toBe('success');
    expect(fine.fetches).toBe(0);
    refresher.dispose();
  });

  it('names targets by key and exactness', () => {
    expect(targetId({ queryKey: ['a', 1], exact: true })).not.toBe(targetId({ queryKey: ['a', 1], exact: false }));
  });
});

describe('describeLiveEvent', () => {
  const text = (type: string, fields: Partial<LiveEvent> = {}) => describeLiveEvent(event(type, fields));

  it('says who did what to which pull request or issue', () => {
    expect(text('pull_request.merged')).toBe('alice merged acme/api#42');
    expect(text('pull_request.merged', { actor: null })).toBe('acme/api#42 was merged');
    expect(text('pull_request.opened')).toBe('alice opened acme/api#42');
    expect(text('pull_request.closed', { actor: null })).toBe('acme/api#42 was closed');
    expect(text('issue.reopened')).toBe('alice reopened acme/api#42');
    expect(text('pull_request.ready_for_review')).toBe('acme/api#42 is ready for review');
    expect(text('pull_request.converted_to_draft')).toBe('acme/api#42 went back to draft');
    expect(text('comment.created', { actor: 'bob' })).toBe('bob commented on acme/api#42');
    expect(text('issue.labeled', { data: { labels: ['bug', 'p1'] } })).toBe('alice labeled acme/api#42 bug, p1');
  });

  it('describes reviews', () => {
    expect(text('pull_request.reviewed', { actor: 'carol', data: { state: 'approved' } })).toBe('carol approved acme/api#42');
    expect(text('pull_request.reviewed', { actor: null, data: { state: 'changes_requested', reviewer: 'dave' } })).toBe(
      'dave requested changes on acme/api#42',
    );
    expect(text('pull_request.reviewed', { data: { state: 'commented' } })).toBe('alice reviewed acme/api#42');
    expect(text('pull_request.review_requested', { data: { reviewers: ['bob', 'carol'] } })).toBe(
      'alice asked bob, carol to review acme/api#42',
    );
  });

  it('describes CI runs, pushes and releases by repository', () => {
    const run = { repository: 'acme/api', name: 'CI', branch: 'main', status: 'completed', conclusion: 'failure' };
    expect(text('workflow_run.failed', { subject: 'acme/api run 7', data: run })).toBe('CI failed on main in acme/api');
    expect(text('workflow_run.succeeded', { subject: 'acme/api run 7', data: { ...run, conclusion: 'success' } })).toBe(
      'CI passed on main in acme/api',
    );
    expect(text('workflow_run.updated', { data: { ...run, status: 'in_progress', conclusion: null } })).toBe(
      'CI started on main in acme/api',
    );
    expect(text('workflow_run.updated', { data: { ...run, conclusion: 'cancelled' } })).toBe('CI cancelled on main in acme/api');
    expect(text('commit.pushed', { subject: 'acme/api commits', data: { repository: 'acme/api', count: 3 } })).toBe(
      'alice pushed 3 commits to acme/api',
    );
    expect(
      text('commit.pushed', { actor: null, data: { repository: 'acme/api', count: 1, authors: ['bob'] } }),
    ).toBe('bob pushed 1 commit to acme/api');
    expect(text('release.published', { data: { repository: 'acme/api', tag: 'v1.2.0', name: null } })).toBe(
      'acme/api released v1.2.0',
    );
  });

  it('describes repository events, without showing user ids as names', () => {
    expect(text('repository.synced', { subject: 'acme/api' })).toBe('acme/api finished its first sync');
    expect(text('repository.starred', { data: { repository: 'acme/api', added: 2, stars: 12 } })).toBe(
      'acme/api gained 2 stars (12 now)',
    );
    expect(text('repository.updated', { data: { repository: 'acme/api', default_branch: 'trunk', topics: [] } })).toBe(
      'acme/api changed its default branch, topics',
    );
    expect(text('repository.followed', { actor: '5' })).toBe('acme/api is now followed');
    expect(text('github.event', { actor: 'bot', data: { repository: 'acme/api', event: 'deployment_status', action: 'created' } })).toBe(
      'bot: deployment status created on acme/api',
    );
    expect(text('something.new')).toBe('something.new · acme/api#42');
  });
});

describe('pushRecent', () => {
  it('keeps the newest first, each event once, at most five', () => {
    let list: LiveEvent[] = [];
    const events = Array.from({ length: 7 }, (_, i) => event('pull_request.merged', { id: `e${i}` }));
    for (const item of events) {
      list = pushRecent(list, item);
    }
    expect(list.map((item) => item.id)).toEqual(['e6', 'e5', 'e4', 'e3', 'e2']);
    expect(list).toHaveLength(RECENT_EVENTS);
    const fifth = events[4];
    if (fifth === undefined) {
      throw new Error('no fifth event');
    }
    const again = pushRecent(list, fifth);
    expect(again.map((item) => item.id)).toEqual(['e4', 'e6', 'e5', 'e3', 'e2']);
  });
});

describe('viewersOf', () => {
  const present: PresentUser[] = [
    { user: '1', clients: [{ client: 'a', user: '1', connInfo: { login: 'alice' } }] },
    {
      user: '2',
      clients: [
        { client: 'b', user: '2' },
        { client: 'c', user: '2', chanInfo: { login: 'bob', avatar_url: 'https://avatars.test/bob' } },
      ],
    },
    { user: '3', clients: [{ client: 'd', user: '3' }] },
  ];

  it('leaves the signed-in user out and reads logins and avatars from the infos', () => {
    const viewers = viewersOf(present, 1);
    expect(viewers.map((viewer) => viewer.id)).toEqual(['2', '3']);
    expect(viewers[0]).toEqual({ id: '2', login: 'bob', name: null, avatarUrl: 'https://avatars.test/bob', tabs: 2 });
    expect(viewers.map(viewerLabel)).toEqual(['bob', 'user #3']);
  });
});

describe('syncPollMs', () => {
  it('polls for a first sync only without live updates', () => {
    expect(syncPollMs('syncing', true)).toBe(false);
    expect(syncPollMs('syncing', false)).toBe(FALLBACK_POLL_MS);
    expect(syncPollMs('synced', false)).toBe(false);
  });

  it('watches a requested sync slowly either way: an uneventful one announces nothing', () => {
    expect(syncPollMs('queued', true)).toBe(FALLBACK_POLL_MS);
    expect(syncPollMs('queued', false)).toBe(FALLBACK_POLL_MS);
  });
});
