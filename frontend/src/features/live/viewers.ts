/**
 * Who else is looking at a page, from the channel's presence. The server may
 * put the user's login and avatar in the connection's info (`conn_info`) or
 * the subscription's (`chan_info`); without them a viewer shows as "user #id".
 */
import type { PresentUser } from '../../realtime';

export interface Viewer {
  /** HubDeck user id. */
  readonly id: string;
  readonly login: string | null;
  readonly name: string | null;
  readonly avatarUrl: string | null;
  /** How many tabs they have open on it. */
  readonly tabs: number;
}

function field(info: unknown, names: readonly string[]): string | null {
  if (typeof info !== 'object' || info === null) {
    return null;
  }
  for (const name of names) {
    const value = (info as Record<string, unknown>)[name];
    if (typeof value === 'string' && value.trim() !== '') {
      return value;
    }
  }
  return null;
}

function first(user: PresentUser, names: readonly string[]): string | null {
  for (const client of user.clients) {
    const value = field(client.chanInfo, names) ?? field(client.connInfo, names);
    if (value !== null) {
      return value;
    }
  }
  return null;
}

/** The people present but `self`, in the presence's order. */
export function viewersOf(users: readonly PresentUser[], self: number | null): Viewer[] {
  return users
    .filter((user) => self === null || user.user !== String(self))
    .map((user) => ({
      id: user.user,
      login: first(user, ['login', 'username']),
      name: first(user, ['name']),
      avatarUrl: first(user, ['avatar_url', 'avatarUrl', 'avatar']),
      tabs: user.clients.length,
    }));
}

/** What to call a viewer. */
export function viewerLabel(viewer: Viewer): string {
  return viewer.login ?? viewer.name ?? `user #${viewer.id}`;
}

/** One or two letters for an avatar without a picture. */
export function viewerInitials(viewer: Viewer): string {
  const label = viewer.login ?? viewer.name;
  if (label === null) {
    return '?';
  }
  return label.slice(0, 2).toUpperCase();
}
