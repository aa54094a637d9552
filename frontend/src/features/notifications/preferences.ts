/**
 * The preferences form: a draft of `PUT /api/notifications/preferences` made
 * from what the server answered, changed one choice at a time. Pure.
 */
import { ALWAYS_DELIVERED, channelsFor, type Channel, type Preferences, type PreferencesUpdate } from './model';

/** The draft the form starts from: the user's current choices. */
export function draftOf(preferences: Preferences): PreferencesUpdate {
  return { channels: { ...preferences.channels }, muted_teams: [...preferences.muted_teams] };
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

/** Every kind back to its default channel; muted teams stay as they are. */
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
  return before !== after;
}

/** Whether a team may be muted for this kind: always-delivered kinds ignore mutes. */
export function ignoresMutes(kind: string): boolean {
  return ALWAYS_DELIVERED.includes(kind);
}
