/**
 * Notifications as the server sends them (`/api/notifications`, the `user:{id}`
 * channel), their kinds and levels, and the preferences (a channel per kind).
 * Mirrors `hubdeck.core.notifications`.
 */
import {
  arrayOf,
  decoder,
  nullable,
  num,
  object,
  oneOf,
  recordOf,
  str,
  withDefault,
  type Reader,
} from '../../api';

export const KINDS = [
  'review_requested',
  'pull_merged',
  'pull_closed',
  'pull_approved',
  'changes_requested',
  'mentioned',
  'workflow_failed',
  'dashboard_shared',
  'team_invitation',
  'pool_low',
  'pool_dry',
  'webhook_disabled',
  'new_device',
  'credential_revoked',
  'digest',
] as const;

export type KnownKind = (typeof KINDS)[number];

/** What each kind is called in filters and preferences; unknown (newer) kinds show as they are. */
const KIND_LABELS: Record<KnownKind, string> = {
  review_requested: 'Review requested',
  pull_merged: 'Pull request merged',
  pull_closed: 'Pull request closed',
  pull_approved: 'Pull request approved',
  changes_requested: 'Changes requested',
  mentioned: 'Mentioned',
  workflow_failed: 'Workflow failed',
  dashboard_shared: 'Dashboard shared',
  team_invitation: 'Team invitation',
  pool_low: 'GitHub quota running low',
  pool_dry: 'GitHub quota used up',
  webhook_disabled: 'Webhook disabled',
  new_device: 'Sign-in from a new device',
  credential_revoked: 'GitHub credential revoked',
  digest: 'Digest',
};

export function kindLabel(kind: string): string {
  return (KIND_LABELS as Record<string, string | undefined>)[kind] ?? kind.replaceAll('_', ' ');
}

export const LEVELS = ['info', 'warning', 'error'] as const;
export type Level = (typeof LEVELS)[number];

export const LEVEL_LABELS: Record<Level, string> = { info: 'Info', warning: 'Warning', error: 'Error' };

export interface Notification {
  readonly id: number;
  /** One of {@link KINDS}, or a newer one. */
  readonly kind: string;
  readonly level: Level;
  /** For a collapsed one (`count > 1`) it already says how many. */
  readonly title: string;
  readonly body: string;
  /** A HubDeck path, e.g. `/teams/3/repositories/7?pull=42`. */
  readonly link: string;
  readonly subject: string;
  readonly actor: string | null;
  readonly team_id: number | null;
  readonly repository_id: number | null;
  readonly group_key: string;
  /** How many similar ones it stands for. */
  readonly count: number;
  readonly created_at: string;
  /** The list is ordered by it; a collapsed one moves up when it gets another occurrence. */
  readonly updated_at: string;
  readonly read_at: string | null;
  readonly archived_at: string | null;
}

/** Unknown levels read as info: a newer server must not break the list. */
const level: Reader<Level> = (value, path) => {
  const text = str(value, path);
  return text === 'warning' || text === 'error' ? text : 'info';
};

export const readNotification: Reader<Notification> = object({
  id: num,
  kind: str,
  level,
  title: str,
  body: withDefault(str, ''),
  link: withDefault(str, ''),
  subject: withDefault(str, ''),
  actor: nullable(str),
  team_id: nullable(num),
  repository_id: nullable(num),
  group_key: withDefault(str, ''),
  count: withDefault(num, 1),
  created_at: str,
  updated_at: str,
  read_at: nullable(str),
  archived_at: nullable(str),
});

/** One page of `GET /api/notifications`, newest first (by `updated_at`). */
export interface NotificationPage {
  readonly items: readonly Notification[];
  /** Opaque; null on the last page. */
  readonly next_cursor: string | null;
  /** The user's unread notifications, whatever the filters. */
  readonly unread_count: number;
}

export const decodeNotificationPage = decoder<NotificationPage>(
  object({ items: arrayOf(readNotification), next_cursor: nullable(str), unread_count: num }),
);

/** The answer of `POST /api/notifications/read` and `/archive`. */
export interface UnreadCount {
  readonly unread_count: number;
}

export const decodeUnreadCount = decoder<UnreadCount>(object({ unread_count: num }));

/** Where a kind of notification goes: nowhere, the list and badge, or also a browser notification. */
export type Channel = 'off' | 'in_app' | 'browser';

export const CHANNELS: readonly Channel[] = ['off', 'in_app', 'browser'];

export const CHANNEL_LABELS: Record<Channel, string> = {
  off: 'Off',
  in_app: 'In HubDeck',
  browser: 'In HubDeck and the browser',
};

/**
 * Kinds that cannot be turned off (only down to in-app) nor muted: a new device concerns the
 * account; digests are switched by their schedule, their channel only says whether they ring the browser.
 */
export const ALWAYS_DELIVERED: readonly string[] = ['new_device', 'digest'];

/** The digest: a notification on a schedule summing up what is still unread. */
export const DIGEST_KIND = 'digest';

export type DigestFrequency = 'off' | 'daily' | 'weekly';

export const DIGEST_FREQUENCIES: readonly DigestFrequency[] = ['off', 'daily', 'weekly'];

export const DIGEST_FREQUENCY_LABELS: Record<DigestFrequency, string> = {
  off: 'Off',
  daily: 'Every day',
  weekly: 'Every week',
};

/** Monday first, as the server counts them (0–6). */
export const WEEKDAYS: readonly string[] = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

export interface DigestSchedule {
  readonly frequency: DigestFrequency;
  /** 0–23, in `time_zone`. */
  readonly hour: number;
  /** For weekly digests: 0 (Monday) to 6 (Sunday). */
  readonly weekday: number;
  /** An IANA name; null is UTC. */
  readonly time_zone: string | null;
}

export const DEFAULT_DIGEST: DigestSchedule = { frequency: 'off', hour: 8, weekday: 0, time_zone: null };

const digestSchedule: Reader<DigestSchedule> = object({
  frequency: oneOf('off', 'daily', 'weekly'),
  hour: num,
  weekday: withDefault(num, 0),
  time_zone: nullable(str),
});

/** The channels a kind may be set to. */
export function channelsFor(kind: string): readonly Channel[] {
  return ALWAYS_DELIVERED.includes(kind) ? CHANNELS.filter((channel) => channel !== 'off') : CHANNELS;
}

export interface Preferences {
  /** Kind → channel, for every kind. */
  readonly channels: Readonly<Record<string, Channel>>;
  readonly muted_teams: readonly number[];
  readonly digest: DigestSchedule;
  /** What `channels` is without any choice. */
  readonly defaults: Readonly<Record<string, Channel>>;
}

const channel: Reader<Channel> = oneOf('off', 'in_app', 'browser');

export const decodePreferences = decoder<Preferences>(
  object({
    channels: recordOf(channel),
    muted_teams: arrayOf(num),
    digest: withDefault(digestSchedule, DEFAULT_DIGEST),
    defaults: withDefault(recordOf(channel), {}),
  }),
);

/** The body of `PUT /api/notifications/preferences`. */
export interface PreferencesUpdate {
  readonly channels: Readonly<Record<string, Channel>>;
  readonly muted_teams: readonly number[];
  readonly digest: DigestSchedule;
}

/**
 * The kinds to list in the preferences: the known ones in order, then any newer ones the server sent.
 * Not the digest: it has a section of its own.
 */
export function preferenceKinds(preferences: Preferences): string[] {
  const known: readonly string[] = KINDS;
  const extra = [...Object.keys(preferences.channels), ...Object.keys(preferences.defaults)].filter(
    (kind) => !known.includes(kind),
  );
  return [...KINDS, ...new Set(extra)].filter((kind) => kind !== DIGEST_KIND);
}
