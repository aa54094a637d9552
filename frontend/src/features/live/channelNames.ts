/** HubDeck's channels (docs/realtime.md). */

/** Everything about a team's followed repositories and the team itself. */
export const teamChannel = (teamId: number) => `team:${teamId}`;

/** One repository; with presence (who is looking at it). */
export const repositoryChannel = (repositoryId: number) => `repo:${repositoryId}`;

/** One user's own events: their notifications. */
export const userChannel = (userId: number) => `user:${userId}`;
