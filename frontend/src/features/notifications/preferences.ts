/**
 * The preferences form: a draft of `PUT /api/notifications/preferences` made
 * from what the server answered, changed one choice at a time. Pure.
 */
import {
  ALWAYS_DELIVERED,
  channelsFor,
  DIGEST_KIND,
  type Channel,
  type DigestSchedule,
  type Preferences,
  type PreferencesUpdate,
} from './model';

/** The draft the form starts from: the user's current choices. */
export function draftOf(preferences: Preferences): PreferencesUpdate {
  return { channels: { ...preferences.channels }, muted_teams: [...preferences.muted_teams], digest: preferences.digest };
}

/**
 * Changes the digest schedule. Turning digests on without a time zone takes `localZone`
 * (the browser's), so the hour means what the user reads on their clock.
 */
export function withDigest(
  draft: PreferencesUpdate,
  change: Partial<DigestSchedule>,
  localZone: string | null,
): PreferencesUpdate {
  const next: DigestSchedule = { ...draft.digest, ...change };
  const zoned = next.frequency !== 'off' && next.time_zone === null ? { ...next, time_zone: localZone } : next;
  return { ...draft, digest: zoned };
}

/** Whether a digest also raises a browser notification (its channel is `browser`). */
export function digestRingsBrowser(draft: PreferencesUpdate, preferences: Preferences): boolean {
  return channelOf(draft, preferences, DIGEST_KIND) === 'browser';
}

/** The browser's time zone, if it names one. */
export function localTimeZone(): string | null {
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  return zone === '' ? null : zone;
}

function sameDigest(a: DigestSchedule, b: DigestSchedule): boolean {
  return a.frequency === b.frequency && a.hour === b.hour && a.weekday === b.weekday && a.time_zone === b.time_zone;
}

/** The channel of a kind in a draft (its default if the draft lacks it). */
export function channelOf(draft: PreferencesUpdate, preferences: Preferences, kind: string): Channel {
  return draft.channels[kind] ?? preferences.defaults[kind] ?? 'in_app';
}

/** Sets a kind's channel; one a kind cannot take (off for an always-delivered kind) is ignored. */
export function withChannel(draft: PreferencesUpdate, kind: string, channel: Channel): PreferencesUpdate {
  if (!channelsFor(kind).includes(channel) || draft.channels[kind] === channel) {
    return draft;
  }
  return { ...draft, channels: { ...draft.channels, [kind]: channel } };
}

/** Mutes or unmutes a team; the list stays sorted and without repeats. */
export function withMutedTeam(draft: PreferencesUpdate, teamId: number, muted: boolean): PreferencesUpdate {
  const others = draft.muted_teams.filter((id) => id !== teamId);
  const next = muted ? [...others, teamId].sort((a, b) => a - b) : others;
  return { ...draft, muted_teams: next };
}

/** Every kind back to its default channel; muted teams and the digest schedule stay as they are. */
export function withDefaults(draft: PreferencesUpdate, preferences: Preferences): PreferencesUpdate {
  return { ...draft, channels: { ...draft.channels, ...preferences.defaults } };
}

/** Whether saving the draft would change anything. */
export function isDirty(draft: PreferencesUpdate, preferences: Preferences): boolean {
  const kinds = new Set([...Object.keys(draft.channels), ...Object.keys(preferences.channels)]);
  for (const kind of kinds) {
    if (channelOf(draft, preferences, kind) !== (preferences.channels[kind] ?? preferences.defaults[kind] ?? 'in_app')) {
      return true;
    }
  }
  const before = [...preferences.muted_teams].sort((a, b) => a - b).join(',');
  const after = [...draft.muted_teams].sort((a, b) => a - b).join(',');
  return before !== after || !sameDigest(draft.digest, preferences.digest);
}

/** Whether a team may be muted for this kind: always-delivered kinds ignore mutes. */
export function ignoresMutes(kind: string): boolean {
  return ALWAYS_DELIVERED.includes(kind);
}
