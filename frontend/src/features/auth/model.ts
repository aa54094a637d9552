/** Who is signed in, and their teams: `GET /api/me`. */
import { arrayOf, decoder, nullable, num, object, str, type Reader } from '../../api';

export type Role = 'owner' | 'admin' | 'member' | 'viewer';

export interface User {
  readonly id: number;
  readonly login: string;
  readonly name: string | null;
  readonly avatar_url: string | null;
}

export interface Team {
  readonly id: number;
  readonly slug: string;
  readonly name: string;
  readonly github_org: string | null;
  /** The signed-in user's role in it. Unknown roles read as "viewer" (the least allowed). */
  readonly role: Role;
}

export interface Me {
  readonly user: User;
  readonly teams: readonly Team[];
}

const role: Reader<Role> = (value, path) => {
  const text = str(value, path);
  return text === 'owner' || text === 'admin' || text === 'member' ? text : 'viewer';
};

export const readUser: Reader<User> = object({
  id: num,
  login: str,
  name: nullable(str),
  avatar_url: nullable(str),
});

export const readTeam: Reader<Team> = object({
  id: num,
  slug: str,
  name: str,
  github_org: nullable(str),
  role,
});

export const decodeMe = decoder<Me>(object({ user: readUser, teams: arrayOf(readTeam) }));
export const decodeTeam = decoder(readTeam);

/** What a role may do; mirrors the server's table (docs/teams.md). */
export type Permission = 'view' | 'follow' | 'invite' | 'manage';

const permissions: Record<Role, readonly Permission[]> = {
  owner: ['view', 'follow', 'invite', 'manage'],
  admin: ['view', 'follow', 'invite', 'manage'],
  member: ['view', 'follow'],
  viewer: ['view'],
};

export function can(role: Role, permission: Permission): boolean {
  return permissions[role].includes(permission);
}
