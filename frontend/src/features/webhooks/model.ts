/**
 * Outgoing and incoming webhooks: the API's shapes (decoded, never cast) and
 * the pages' pure logic (form checks, log filters, labels).
 */
import { arrayOf, bool, decoder, nullable, num, object, oneOf, str, type Reader } from '../../api';
import type { Role } from '../auth/model';

export interface Endpoint {
  readonly id: number;
  readonly team_id: number;
  readonly url: string;
  readonly description: string;
  readonly event_types: readonly string[];
  readonly enabled: boolean;
  readonly disabled_reason: string | null;
  readonly disabled_at: string | null;
  readonly failing_since: string | null;
  readonly previous_secret_expires_at: string | null;
  readonly created_at: string;
  readonly updated_at: string;
}

export interface EndpointWithSecret extends Endpoint {
  /** Shown once: at creation and after a rotation. */
  readonly secret: string;
}

export type MessageStatus = 'pending' | 'delivered' | 'failed';

export interface Message {
  readonly id: number;
  readonly msg_id: string;
  readonly event_id: string;
  readonly event_type: string;
  readonly status: MessageStatus;
  readonly attempts: number;
  readonly occurred_at: string;
  readonly created_at: string;
  readonly next_attempt_at: string | null;
  readonly last_status_code: number | null;
  readonly payload: string;
}

export interface Attempt {
  readonly id: number;
  readonly message_id: number;
  readonly msg_id: string;
  readonly event_type: string;
  readonly attempt: number;
  readonly attempted_at: string;
  readonly succeeded: boolean;
  readonly status_code: number | null;
  readonly duration_ms: number;
  readonly response_excerpt: string;
  readonly error: string | null;
}

export interface Page<T> {
  readonly items: readonly T[];
  readonly next_before: number | null;
}

export interface EventType {
  readonly type: string;
  readonly description: string;
}

export interface Catalogue {
  readonly event_types: readonly EventType[];
  readonly schedule: { readonly attempts: readonly number[]; readonly disable_after_seconds: number };
}

export interface IncomingHook {
  readonly url: string;
  readonly created_at: string;
}

export interface IncomingHookWithSecret extends IncomingHook {
  readonly secret: string;
}

const endpointShape = {
  id: num,
  team_id: num,
  url: str,
  description: str,
  event_types: arrayOf(str),
  enabled: bool,
  disabled_reason: nullable(str),
  disabled_at: nullable(str),
  failing_since: nullable(str),
  previous_secret_expires_at: nullable(str),
  created_at: str,
  updated_at: str,
};

export const readEndpoint: Reader<Endpoint> = object(endpointShape);
const readEndpointWithSecret: Reader<EndpointWithSecret> = object({ ...endpointShape, secret: str });

const readMessage: Reader<Message> = object({
  id: num,
  msg_id: str,
  event_id: str,
  event_type: str,
  status: oneOf('pending', 'delivered', 'failed'),
  attempts: num,
  occurred_at: str,
  created_at: str,
  next_attempt_at: nullable(str),
  last_status_code: nullable(num),
  payload: str,
});

const readAttempt: Reader<Attempt> = object({
  id: num,
  message_id: num,
  msg_id: str,
  event_type: str,
  attempt: num,
  attempted_at: str,
  succeeded: bool,
  status_code: nullable(num),
  duration_ms: num,
  response_excerpt: str,
  error: nullable(str),
});

function page<T>(item: Reader<T>): Reader<Page<T>> {
  return object({ items: arrayOf(item), next_before: nullable(num) });
}

const readCatalogue: Reader<Catalogue> = object({
  event_types: arrayOf(object({ type: str, description: str })),
  schedule: object({ attempts: arrayOf(num), disable_after_seconds: num }),
});

const incomingShape = { url: str, created_at: str };

export const decodeEndpoint = decoder(readEndpoint);
export const decodeEndpoints = decoder(arrayOf(readEndpoint));
export const decodeEndpointWithSecret = decoder(readEndpointWithSecret);
export const decodeMessage = decoder(readMessage);
export const decodeMessagePage = decoder(page(readMessage));
export const decodeAttemptPage = decoder(page(readAttempt));
export const decodeCatalogue = decoder(readCatalogue);
export const decodeIncoming = decoder(nullable(object(incomingShape)));
export const decodeIncomingWithSecret = decoder<IncomingHookWithSecret>(object({ ...incomingShape, secret: str }));

/** Owners and admins manage webhooks (the server checks it too). */
export function canManageWebhooks(role: Role): boolean {
  return role === 'owner' || role === 'admin';
}

export interface EndpointForm {
  readonly url: string;
  readonly description: string;
  /** Empty: every event type. */
  readonly eventTypes: readonly string[];
  readonly enabled: boolean;
}

export const EMPTY_FORM: EndpointForm = { url: '', description: '', eventTypes: [], enabled: true };

export function formOf(endpoint: Endpoint): EndpointForm {
  return {
    url: endpoint.url,
    description: endpoint.description,
    eventTypes: [...endpoint.event_types],
    enabled: endpoint.enabled,
  };
}

/**
 * What is wrong with the form before it is sent, or null. The server checks
 * everything again, including whether the address may be reached.
 */
export function formProblem(form: EndpointForm): string | null {
  const url = form.url.trim();
  if (url === '') {
    return 'Enter the URL that receives the webhooks.';
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'This is not a valid URL.';
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    return 'The URL must start with https:// (or http://).';
  }
  if (parsed.username !== '' || parsed.password !== '') {
    return 'Leave credentials out of the URL: deliveries are signed with the endpoint’s secret.';
  }
  if (parsed.hash !== '') {
    return 'The URL may not have a #fragment.';
  }
  if (url.length > 2000) {
    return 'The URL is longer than 2,000 characters.';
  }
  if (form.description.length > 500) {
    return 'The description has at most 500 characters.';
  }
  return null;
}

/** The body of a create or an update. */
export function formBody(form: EndpointForm): Record<string, unknown> {
  return {
    url: form.url.trim(),
    description: form.description.trim(),
    event_types: [...form.eventTypes].sort(),
    enabled: form.enabled,
  };
}

export function toggleType(selected: readonly string[], type: string): string[] {
  return selected.includes(type) ? selected.filter((t) => t !== type) : [...selected, type].sort();
}

/** "All events", or the chosen types in short. */
export function describeTypes(types: readonly string[]): string {
  if (types.length === 0) {
    return 'All events';
  }
  if (types.length <= 3) {
    return types.join(', ');
  }
  return `${types.slice(0, 2).join(', ')} and ${String(types.length - 2)} more`;
}

export type EndpointState = 'active' | 'failing' | 'disabled';

export function endpointState(endpoint: Endpoint): EndpointState {
  if (!endpoint.enabled) {
    return 'disabled';
  }
  return endpoint.failing_since === null ? 'active' : 'failing';
}

export interface LogFilters {
  readonly status: 'all' | 'succeeded' | 'failed';
  readonly eventType: string;
}

export const DEFAULT_LOG_FILTERS: LogFilters = { status: 'all', eventType: '' };

/** `/api/.../attempts?...` for the filters and the page (`before`). */
export function attemptsPath(teamId: number, endpointId: number, filters: LogFilters, before: number | null): string {
  const query = new URLSearchParams();
  if (filters.status !== 'all') {
    query.set('status', filters.status);
  }
  if (filters.eventType !== '') {
    query.set('event_type', filters.eventType);
  }
  if (before !== null) {
    query.set('before', String(before));
  }
  query.set('limit', '50');
  return `${endpointPath(teamId, endpointId)}/attempts?${query.toString()}`;
}

export function endpointsPath(teamId: number): string {
  return `/api/teams/${String(teamId)}/webhooks/endpoints`;
}

export function endpointPath(teamId: number, endpointId: number): string {
  return `${endpointsPath(teamId)}/${String(endpointId)}`;
}

/** "200 · 35 ms", "timed out after 10 s", "410 · 12 ms: the endpoint is gone". */
export function attemptSummary(attempt: Attempt): string {
  const status = attempt.status_code === null ? 'no answer' : String(attempt.status_code);
  const base = `${status} · ${formatDuration(attempt.duration_ms)}`;
  return attempt.error === null ? base : `${base} · ${attempt.error}`;
}

export function formatDuration(ms: number): string {
  if (ms < 1000) {
    return `${String(Math.round(ms))} ms`;
  }
  return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

/** "5 s", "5 min", "2 h", "1 d 3 h 35 min" for the schedule's offsets. */
export function formatSpan(seconds: number): string {
  if (seconds === 0) {
    return 'immediately';
  }
  const days = Math.floor(seconds / 86_400);
  const hours = Math.floor((seconds % 86_400) / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const rest = Math.round(seconds % 60);
  const parts = [
    days > 0 ? `${String(days)} d` : '',
    hours > 0 ? `${String(hours)} h` : '',
    minutes > 0 ? `${String(minutes)} min` : '',
    rest > 0 ? `${String(rest)} s` : '',
  ].filter((part) => part !== '');
  return parts.join(' ');
}

/** The JSON payload, indented for reading (or as sent when it is not JSON). */
export function prettyPayload(payload: string): string {
  try {
    return JSON.stringify(JSON.parse(payload) as unknown, null, 2);
  } catch {
    return payload;
  }
}
