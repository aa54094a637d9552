import { describe, expect, it } from 'vitest';

import {
  applyEvent,
  compareTimes,
  countAfterEvent,
  countAfterRead,
  flattenPages,
  markRead,
  removeNotifications,
  SeenNotifications,
  upsertNotification,
  type ListData,
} from './cache';
import { browserOffer, browserTag, linkTarget, readPermission, shouldNotifyBrowser, shouldToast } from './decisions';
import { decodeNotificationEvent, type NotificationEvent } from './events';
import {
  DEFAULT_FILTERS,
  filtersOfKey,
  filtersToSearch,
  listPath,
  matchesFilters,
  parseFilters,
  type NotificationFilters,
} from './filters';
import { channelsFor, decodeNotificationPage, decodePreferences, kindLabel, preferenceKinds, type Notification } from './model';
import {
  channelOf,
  digestRingsBrowser,
  draftOf,
  isDirty,
  withChannel,
  withDefaults,
  withDigest,
  withMutedTeam,
} from './preferences';
import { listKey } from './queries';
import { MAX_TOASTS, TOAST_MS, dismissToast, expireToasts, nextExpiry, pushToast } from './toasts';

const T = (minute: number) => `2026-11-26T10:${String(minute).padStart(2, '0')}:00Z`;

function notification(id: number, minute: number, fields: Partial<Notification> = {}): Notification {
  return {
    id,
    kind: 'review_requested',
    level: 'info',
    title: `Review requested on acme/api#${id}`,
    body: '',
    link: `/teams/3/repositories/7?pull=${id}`,
    subject: `acme/api#${id}`,
    actor: 'bob',
    team_id: 3,
    repository_id: 7,
    group_key: `review_requested:acme/api#${id}`,
    count: 1,
    created_at: T(minute),
    updated_at: T(minute),
    read_at: null,
    archived_at: null,
    ...fields,
  };
}

function list(pages: (readonly Notification[])[], lastCursor: string | null = null): ListData {
  return {
    pages: pages.map((items, index) => ({
      items,
      next_cursor: index === pages.length - 1 ? lastCursor : `c${index + 1}`,
      unread_count: 0,
    })),
    pageParams: pages.map((_, index) => (index === 0 ? null : `c${index}`)),
  };
}

const ids = (data: ListData | undefined) => flattenPages(data).map((item) => item.id);

describe('model', () => {
  it('decodes a page, lenient about newer levels and missing optional fields', () => {
    const page = decodeNotificationPage({
      items: [
        { ...notification(1, 0), level: 'critical' },
        { id: 2, kind: 'new_device', level: 'warning', title: 'New sign-in', created_at: T(1), updated_at: T(1), read_at: null, archived_at: null },
      ],
      next_cursor: null,
      unread_count: 2,
    });
    expect(page.items[0]?.level).toBe('info');
    expect(page.items[1]).toMatchObject({ body: '', link: '', actor: null, team_id: null, count: 1 });
    expect(() => decodeNotificationPage({ items: [{ id: 'x' }], next_cursor: null, unread_count: 0 })).toThrow(
      /\$\.items\[0\]\.id/,
    );
  });

  it('names kinds, and never offers "off" for an always-delivered kind', () => {
    expect(kindLabel('review_requested')).toBe('Review requested');
    expect(kindLabel('something_newer')).toBe('something newer');
    expect(channelsFor('new_device')).toEqual(['in_app', 'browser']);
    expect(channelsFor('pull_merged')).toEqual(['off', 'in_app', 'browser']);
  });
});

describe('filters', () => {
  it('reads the URL, ignoring what it cannot read, and writes it back', () => {
    const filters = parseFilters(new URLSearchParams('unread=1&level=error&kind=workflow_failed&team=3'));
    expect(filters).toEqual({ unread: true, level: 'error', kind: 'workflow_failed', teamId: 3 });
    expect(filtersToSearch(filters).toString()).toBe('unread=1&level=error&kind=workflow_failed&team=3');
    expect(parseFilters(new URLSearchParams('unread=no&level=fatal&kind=DROP%20TABLE&team=-1'))).toEqual(DEFAULT_FILTERS);
    expect(filtersToSearch(DEFAULT_FILTERS).toString()).toBe('');
  });

  it('turns filters and a cursor into the API query', () => {
    expect(listPath(DEFAULT_FILTERS, null)).toBe('/api/notifications?limit=20&archived=false');
    expect(listPath({ unread: true, level: 'error', kind: 'workflow_failed', teamId: 3 }, 'abc+/=', 8)).toBe(
      '/api/notifications?limit=8&cursor=abc%2B%2F%3D&unread=true&level=error&kind=workflow_failed&team_id=3&archived=false',
    );
  });

  it('says whether a notification belongs in a filtered list', () => {
    const item = notification(1, 0, { level: 'error', kind: 'workflow_failed' });
    expect(matchesFilters(item, DEFAULT_FILTERS)).toBe(true);
    expect(matchesFilters(item, { ...DEFAULT_FILTERS, unread: true, level: 'error', teamId: 3 })).toBe(true);
    expect(matchesFilters({ ...item, read_at: T(2) }, { ...DEFAULT_FILTERS, unread: true })).toBe(false);
    expect(matchesFilters(item, { ...DEFAULT_FILTERS, level: 'info' })).toBe(false);
    expect(matchesFilters(item, { ...DEFAULT_FILTERS, kind: 'mentioned' })).toBe(false);
    expect(matchesFilters(item, { ...DEFAULT_FILTERS, teamId: 4 })).toBe(false);
    expect(matchesFilters({ ...item, archived_at: T(3) }, DEFAULT_FILTERS)).toBe(false);
  });

  it('finds the filters in a list query key', () => {
    const filters: NotificationFilters = { unread: true, level: null, kind: 'mentioned', teamId: null };
    expect(filtersOfKey(listKey(filters))).toEqual(filters);
    expect(filtersOfKey(['notifications', 'count'])).toBeNull();
    expect(filtersOfKey(['notifications', 'list', { unread: 'yes' }])).toBeNull();
  });
});

describe('live events', () => {
  const n = notification(12, 5);

  it('reads the four events, plain or wrapped as a domain event', () => {
    expect(
      decodeNotificationEvent({
        type: 'notification.created',
        ts: 1_764_000_000_000,
        data: { notification: n, unread_count: 5, browser: true },
      }),
    ).toEqual({ type: 'created', notification: n, unreadCount: 5, browser: true, publishedAt: 1_764_000_000_000 });
    expect(
      decodeNotificationEvent({
        type: 'notification.updated',
        data: { id: 'e1', type: 'notification.updated', data: { notification: n, unread_count: 5, browser: false } },
      }),
    ).toMatchObject({ type: 'updated', browser: false, unreadCount: 5 });
    expect(decodeNotificationEvent({ type: 'notification.read', data: { ids: [1, 2], unread_count: 3 } })).toEqual({
      type: 'read',
      ids: [1, 2],
      unreadCount: 3,
      publishedAt: null,
    });
    expect(decodeNotificationEvent({ type: 'notification.read', data: { all: true, unread_count: 0 } })).toMatchObject({
      type: 'read',
      ids: 'all',
      unreadCount: 0,
    });
    expect(decodeNotificationEvent({ type: 'notification.archived', data: { ids: [1], unread_count: 3 } })).toMatchObject({
      type: 'archived',
      ids: [1],
    });
  });

  it('reads nothing from other or broken publications', () => {
    expect(decodeNotificationEvent({ type: 'session.revoked', data: { session: 1 } })).toBeNull();
    expect(decodeNotificationEvent({ type: 'notification.created', data: { notification: { id: 'x' }, unread_count: 1 } })).toBeNull();
    expect(decodeNotificationEvent({ type: 'notification.read', data: { ids: ['1'], unread_count: 1 } })).toBeNull();
    expect(decodeNotificationEvent({ type: 'notification.archived', data: { unread_count: 1 } })).toBeNull();
    expect(decodeNotificationEvent(null)).toBeNull();
    // A missing or broken count: the count is left as it is.
    expect(decodeNotificationEvent({ type: 'notification.read', data: { ids: [1], unread_count: -1 } })).toMatchObject({
      unreadCount: null,
    });
  });
});

describe('cache: created and updated', () => {
  const base = list([[notification(3, 30), notification(2, 20)], [notification(1, 10)]], null);

  it('puts a new one at its place by updated_at, newest first', () => {
    expect(ids(upsertNotification(base, notification(4, 40), DEFAULT_FILTERS))).toEqual([4, 3, 2, 1]);
    expect(ids(upsertNotification(base, notification(5, 25), DEFAULT_FILTERS))).toEqual([3, 5, 2, 1]);
    // Older than all, and all loaded: last.
    expect(ids(upsertNotification(base, notification(0, 1), DEFAULT_FILTERS))).toEqual([3, 2, 1, 0]);
  });

  it('leaves one older than the loaded pages for "Load more"', () => {
    const partial = list([[notification(3, 30), notification(2, 20)]], 'c1');
    expect(upsertNotification(partial, notification(0, 1), DEFAULT_FILTERS)).toBe(partial);
  });

  it('moves a collapsed one that got another occurrence up, replacing it', () => {
    const bumped = notification(1, 50, { count: 12, title: '12 workflow runs failed in acme/api', read_at: null });
    const next = upsertNotification(base, bumped, DEFAULT_FILTERS);
    expect(ids(next)).toEqual([1, 3, 2]);
    expect(flattenPages(next)[0]?.count).toBe(12);
  });

  it('ignores duplicates and states older than the cached one (same object back)', () => {
    expect(upsertNotification(base, notification(2, 20), DEFAULT_FILTERS)).toBe(base);
    expect(upsertNotification(base, notification(3, 10), DEFAULT_FILTERS)).toBe(base);
    // Same time, a higher count: newer.
    expect(upsertNotification(base, notification(2, 20, { count: 2 }), DEFAULT_FILTERS)).not.toBe(base);
  });

  it('keeps filtered lists to what passes their filters', () => {
    const errors = { ...DEFAULT_FILTERS, level: 'error' as const };
    expect(ids(upsertNotification(base, notification(4, 40), errors))).toEqual([3, 2, 1]);
    expect(ids(upsertNotification(base, notification(4, 40, { level: 'error' }), errors))).toEqual([4, 3, 2, 1]);
    // One that no longer passes leaves the list.
    expect(ids(upsertNotification(base, notification(2, 45, { level: 'info' }), errors))).toEqual([3, 1]);
  });

  it('leaves a list that is not loaded alone', () => {
    expect(upsertNotification(undefined, notification(4, 40), DEFAULT_FILTERS)).toBeUndefined();
  });

  it('shows each notification once, even when pages overlap', () => {
    expect(ids(list([[notification(3, 30), notification(2, 20)], [notification(2, 20), notification(1, 10)]]))).toEqual([
      3, 2, 1,
    ]);
  });

  it('orders times by instant, then by their text (microseconds)', () => {
    expect(compareTimes('2026-11-26T10:00:00Z', '2026-11-26T10:00:00.000+00:00')).toBe(0);
    expect(compareTimes('2026-11-26T10:00:01Z', '2026-11-26T10:00:00Z')).toBe(1);
    expect(compareTimes('2026-11-26T10:00:00.000100+00:00', '2026-11-26T10:00:00.000200+00:00')).toBe(-1);
  });
});

describe('cache: read and archived', () => {
  const base = list([[notification(3, 30), notification(2, 20, { read_at: T(21) })], [notification(1, 10)]]);

  it('marks some, or all, read, keeping the ones read before as they were', () => {
    const some = markRead(base, [1, 2], T(40));
    expect(flattenPages(some).map((item) => item.read_at)).toEqual([null, T(21), T(40)]);
    const all = markRead(base, 'all', T(40));
    expect(flattenPages(all).map((item) => item.read_at)).toEqual([T(40), T(21), T(40)]);
    expect(markRead(base, [2, 99], T(40))).toBe(base);
    // Untouched pages stay the same objects.
    expect(some?.pages[0]).toBe(base.pages[0]);
  });

  it('takes archived ones out', () => {
    expect(ids(removeNotifications(base, [3, 1]))).toEqual([2]);
    expect(removeNotifications(base, [99])).toBe(base);
  });

  it('applies each event type to a list', () => {
    const at = T(59);
    const created: NotificationEvent = {
      type: 'created',
      notification: notification(4, 40),
      unreadCount: 3,
      browser: false,
      publishedAt: null,
    };
    expect(ids(applyEvent(base, DEFAULT_FILTERS, created, at))).toEqual([4, 3, 2, 1]);
    const read: NotificationEvent = { type: 'read', ids: [3], unreadCount: 1, publishedAt: null };
    expect(flattenPages(applyEvent(base, DEFAULT_FILTERS, read, at))[0]?.read_at).toBe(at);
    const archived: NotificationEvent = { type: 'archived', ids: [3], unreadCount: 1, publishedAt: null };
    expect(ids(applyEvent(base, DEFAULT_FILTERS, archived, at))).toEqual([2, 1]);
  });
});

describe('unread count', () => {
  const a = list([[notification(3, 30), notification(2, 20, { read_at: T(21) })]]);
  const b = list([[notification(3, 30), notification(1, 10)]]);

  it('goes down by the ones known unread, once each, never below zero', () => {
    expect(countAfterRead(5, [a, b], [3, 2, 1, 99])).toBe(3);
    expect(countAfterRead(1, [a, b], [3, 1])).toBe(0);
    expect(countAfterRead(5, [a, b], 'all')).toBe(0);
    expect(countAfterRead(undefined, [a], [3])).toBeUndefined();
  });

  it("takes the server's count from events when they carry one", () => {
    expect(countAfterEvent(4, { type: 'archived', ids: [1], unreadCount: 2, publishedAt: null })).toBe(2);
    expect(countAfterEvent(4, { type: 'archived', ids: [1], unreadCount: null, publishedAt: null })).toBe(4);
  });
});

describe('SeenNotifications', () => {
  it('says news once per state of a notification', () => {
    const seen = new SeenNotifications(2);
    expect(seen.accept(notification(1, 10))).toBe(true);
    expect(seen.accept(notification(1, 10))).toBe(false);
    expect(seen.accept(notification(1, 9))).toBe(false);
    expect(seen.accept(notification(1, 11, { count: 2 }))).toBe(true);
    expect(seen.accept(notification(2, 10))).toBe(true);
    expect(seen.accept(notification(3, 10))).toBe(true);
    // Bounded: the oldest (1) was forgotten.
    expect(seen.accept(notification(1, 11, { count: 2 }))).toBe(true);
  });
});

describe('toast and browser notification decisions', () => {
  const created: NotificationEvent = {
    type: 'created',
    notification: notification(1, 0),
    unreadCount: 1,
    browser: true,
    publishedAt: null,
  };
  const read: NotificationEvent = { type: 'read', ids: [1], unreadCount: 0, publishedAt: null };

  it('toasts news of created and updated notifications only', () => {
    expect(shouldToast(created, true)).toBe(true);
    expect(shouldToast({ ...created, type: 'updated' }, true)).toBe(true);
    expect(shouldToast(created, false)).toBe(false);
    expect(shouldToast(read, true)).toBe(false);
  });

  it('raises a browser notification only if asked, allowed, news, and the tab is hidden', () => {
    const input = { event: created, news: true, permission: 'granted', visibility: 'hidden' } as const;
    expect(shouldNotifyBrowser(input)).toBe(true);
    expect(shouldNotifyBrowser({ ...input, visibility: 'visible' })).toBe(false);
    expect(shouldNotifyBrowser({ ...input, permission: 'default' })).toBe(false);
    expect(shouldNotifyBrowser({ ...input, permission: 'denied' })).toBe(false);
    expect(shouldNotifyBrowser({ ...input, permission: 'unsupported' })).toBe(false);
    expect(shouldNotifyBrowser({ ...input, event: { ...created, browser: false } })).toBe(false);
    expect(shouldNotifyBrowser({ ...input, news: false })).toBe(false);
    expect(shouldNotifyBrowser({ ...input, event: read })).toBe(false);
  });

  it('offers the button only while the browser may still ask', () => {
    expect(readPermission(undefined)).toBe('unsupported');
    expect(readPermission({ permission: 'default' })).toBe('default');
    expect(readPermission({ permission: 'prompt' })).toBe('default');
    expect(browserOffer(readPermission({ permission: 'default' }))).toBe('ask');
    expect(browserOffer(readPermission({ permission: 'denied' }))).toBe('denied');
    expect(browserOffer(readPermission({ permission: 'granted' }))).toBe('granted');
    expect(browserTag(12, T(0))).toBe(`hubdeck-notification-12-${T(0)}`);
  });

  it('follows links to this app, to http(s) pages elsewhere, and nowhere else', () => {
    const origin = 'https://hubdeck.example.com';
    expect(linkTarget('/teams/3/repositories/7?pull=42', origin)).toEqual({
      kind: 'internal',
      path: '/teams/3/repositories/7?pull=42',
    });
    expect(linkTarget('https://hubdeck.example.com/teams/3?x=1#y', origin)).toEqual({ kind: 'internal', path: '/teams/3?x=1#y' });
    expect(linkTarget('https://github.com/acme/api/pull/42', origin)).toEqual({
      kind: 'external',
      url: 'https://github.com/acme/api/pull/42',
    });
    expect(linkTarget('javascript:alert(1)', origin)).toBeNull();
    expect(linkTarget('//evil.example.com/x', origin)).toBeNull();
    expect(linkTarget('', origin)).toBeNull();
  });
});

describe('toasts', () => {
  it('keeps the newest few, one per notification, each for a while', () => {
    let toasts = pushToast([], notification(1, 0), 1_000);
    toasts = pushToast(toasts, notification(2, 0), 2_000);
    toasts = pushToast(toasts, notification(1, 1, { count: 2 }), 3_000);
    expect(toasts.map((toast) => toast.key)).toEqual(['1', '2']);
    expect(toasts[0]?.notification.count).toBe(2);
    expect(nextExpiry(toasts)).toBe(2_000 + TOAST_MS);
    for (let id = 3; id < 10; id += 1) {
      toasts = pushToast(toasts, notification(id, 0), 4_000);
    }
    expect(toasts).toHaveLength(MAX_TOASTS);
    expect(toasts.map((toast) => toast.key)).toEqual(['9', '8', '7']);
  });

  it('expires and dismisses them', () => {
    const toasts = [...pushToast(pushToast([], notification(1, 0), 0), notification(2, 0), 1_000)];
    expect(expireToasts(toasts, TOAST_MS - 1)).toBe(toasts);
    expect(expireToasts(toasts, TOAST_MS).map((toast) => toast.key)).toEqual(['2']);
    expect(dismissToast(toasts, '2').map((toast) => toast.key)).toEqual(['1']);
    expect(dismissToast(toasts, '9')).toBe(toasts);
    expect(nextExpiry([])).toBeNull();
  });
});

describe('preferences', () => {
  const preferences = decodePreferences({
    channels: { review_requested: 'off', new_device: 'browser', pull_merged: 'in_app' },
    muted_teams: [3],
    defaults: { review_requested: 'browser', new_device: 'browser', pull_merged: 'in_app', later_kind: 'in_app' },
  });

  it('lists the known kinds in order, then newer ones', () => {
    const kinds = preferenceKinds(preferences);
    expect(kinds[0]).toBe('review_requested');
    expect(kinds.at(-1)).toBe('later_kind');
  });

  it('edits a draft and knows when it differs', () => {
    const draft = draftOf(preferences);
    expect(isDirty(draft, preferences)).toBe(false);
    const changed = withChannel(draft, 'review_requested', 'browser');
    expect(channelOf(changed, preferences, 'review_requested')).toBe('browser');
    expect(isDirty(changed, preferences)).toBe(true);
    expect(withChannel(draft, 'new_device', 'off')).toBe(draft);
    expect(channelOf(draft, preferences, 'later_kind')).toBe('in_app');
    const muted = withMutedTeam(withMutedTeam(draft, 1, true), 3, true);
    expect(muted.muted_teams).toEqual([1, 3]);
    expect(isDirty(muted, preferences)).toBe(true);
    expect(isDirty(withMutedTeam(muted, 1, false), preferences)).toBe(false);
    expect(withDefaults(changed, preferences).channels['review_requested']).toBe('browser');
    expect(isDirty(withDefaults(draftOf(preferences), preferences), preferences)).toBe(true);
  });
});

describe('digest preferences', () => {
  const preferences = decodePreferences({
    channels: { review_requested: 'browser', digest: 'browser' },
    muted_teams: [],
    defaults: { review_requested: 'browser', digest: 'browser' },
  });

  it('reads a server without digests as off, and one with them as sent', () => {
    expect(preferences.digest).toEqual({ frequency: 'off', hour: 8, weekday: 0, time_zone: null });
    const weekly = decodePreferences({
      channels: {},
      muted_teams: [],
      digest: { frequency: 'weekly', hour: 18, weekday: 4, time_zone: 'Europe/Paris' },
    });
    expect(weekly.digest).toEqual({ frequency: 'weekly', hour: 18, weekday: 4, time_zone: 'Europe/Paris' });
  });

  it('keeps the digest out of the per-kind table, and never offers it "off"', () => {
    expect(preferenceKinds(preferences)).not.toContain('digest');
    expect(channelsFor('digest')).toEqual(['in_app', 'browser']);
    expect(kindLabel('digest')).toBe('Digest');
  });

  it('turns digests on in the browser time zone, and knows the draft changed', () => {
    const draft = draftOf(preferences);
    const daily = withDigest(draft, { frequency: 'daily', hour: 7 }, 'America/New_York');
    expect(daily.digest).toEqual({ frequency: 'daily', hour: 7, weekday: 0, time_zone: 'America/New_York' });
    expect(isDirty(daily, preferences)).toBe(true);
    // A zone chosen before stays; off leaves the zone as it was.
    expect(withDigest(daily, { hour: 9 }, 'Asia/Tokyo').digest.time_zone).toBe('America/New_York');
    expect(withDigest(draft, { frequency: 'off' }, 'Asia/Tokyo').digest.time_zone).toBeNull();
    expect(isDirty(withDigest(draft, { frequency: 'off' }, 'Asia/Tokyo'), preferences)).toBe(false);
    // The defaults of the kinds leave the schedule alone.
    expect(withDefaults(daily, preferences).digest).toBe(daily.digest);
  });

  it('rings the browser per the digest channel', () => {
    const draft = draftOf(preferences);
    expect(digestRingsBrowser(draft, preferences)).toBe(true);
    expect(digestRingsBrowser(withChannel(draft, 'digest', 'in_app'), preferences)).toBe(false);
    expect(withChannel(draft, 'digest', 'off')).toBe(draft);
  });
});
