/**
 * The publications of HubDeck's channels: one domain event each (docs/events.md),
 * in an envelope `{"type", "ts", "data": <event>}`.
 *
 * Decoding is lenient about what is optional (a missing `actor` is null) and
 * strict about what identifies an event (`id`, `type`): a publication that
 * cannot be read is dropped by the channel manager, never thrown at the SDK
 * (an exception in an SDK handler stops the client).
 */
import { isRecord } from '../api';

export interface LiveEvent {
  /** A UUID: consumers are idempotent by it. */
  readonly id: string;
  /** e.g. `pull_request.merged`; see docs/events.md. */
  readonly type: string;
  /** ISO 8601, when it happened (on GitHub, for GitHub data). */
  readonly occurredAt: string;
  readonly teamId: number | null;
  readonly repositoryId: number | null;
  /** What it is about, e.g. `acme/api#42`. */
  readonly subject: string;
  /** The GitHub login (or HubDeck user id) who caused it, when known. */
  readonly actor: string | null;
  /** The delta, not the whole object. */
  readonly data: Readonly<Record<string, unknown>>;
  /** When the server published it (epoch ms), if it said. */
  readonly publishedAt: number | null;
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

function integer(value: unknown): number | null {
  return typeof value === 'number' && Number.isInteger(value) ? value : null;
}

/** The event a publication carries, or null when it does not carry one. */
export function decodeLiveEvent(publication: unknown): LiveEvent | null {
  if (!isRecord(publication)) {
    return null;
  }
  const event = publication['data'];
  if (!isRecord(event)) {
    return null;
  }
  const id = text(event['id']);
  const type = text(event['type']) ?? text(publication['type']);
  if (id === null || type === null) {
    return null;
  }
  const data = event['data'];
  const ts = publication['ts'];
  return {
    id,
    type,
    occurredAt: text(event['occurred_at']) ?? '',
    teamId: integer(event['team_id']),
    repositoryId: integer(event['repository_id']),
    subject: typeof event['subject'] === 'string' ? event['subject'] : '',
    actor: text(event['actor']),
    data: isRecord(data) ? data : {},
    publishedAt: typeof ts === 'number' && Number.isFinite(ts) ? ts : null,
  };
}
