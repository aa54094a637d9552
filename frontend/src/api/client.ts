/**
 * A small typed fetch client for the HubDeck server's JSON endpoints.
 *
 * The server reports errors as `{"error": {"code": "...", "message": "..."}}`;
 * they surface here as {@link ApiError}. Response bodies are `unknown` until a
 * decoder (a function that checks the shape and throws otherwise) turns them
 * into a typed value: nothing is cast on trust.
 */
import { BACKGROUND_HEADER, isBackground, trackActivity } from './activity';
import { CSRF_HEADER, currentCsrfToken, fetchCsrfToken, isCsrfRefusal } from './csrf';

export class ApiError extends Error {
  override readonly name = 'ApiError';
  /** HTTP status, or 0 when no response arrived (network failure). */
  readonly status: number;
  /** The server's machine-readable error code, or one of ours (`network_error`, `invalid_response`, `http_<status>`). */
  readonly code: string;

  constructor(status: number, code: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.status = status;
    this.code = code;
  }
}

export type Decoder<T> = (value: unknown) => T;

export interface RequestOptions {
  readonly signal?: AbortSignal;
  /**
   * Statuses whose body is decoded as a result, besides 2xx. `/readyz` answers
   * 503 with the same body as 200 when a dependency is down.
   */
  readonly acceptStatus?: readonly number[];
  /** Replaceable for tests. */
  readonly fetch?: typeof fetch;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads `{"error": {"code", "message"}}`, or null if the body is not shaped so. */
export function parseErrorBody(body: unknown): { code: string; message: string } | null {
  if (!isRecord(body)) {
    return null;
  }
  const error = body['error'];
  if (!isRecord(error)) {
    return null;
  }
  const code = error['code'];
  const message = error['message'];
  if (typeof code !== 'string' || typeof message !== 'string') {
    return null;
  }
  return { code, message };
}

/** GETs `path` and decodes its JSON body. Throws {@link ApiError}. */
export async function getJson<T>(path: string, decode: Decoder<T>, options: RequestOptions = {}): Promise<T> {
  const { response, body } = await request(path, 'GET', undefined, options);
  return decodeBody(path, response, body, decode);
}

export type WriteMethod = 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * Sends `body` as JSON (none when undefined) and decodes the JSON answer.
 * The session cookie goes along; the browser adds the `Origin` header the
 * server checks on writes. Throws {@link ApiError}.
 */
export async function sendJson<T>(
  method: WriteMethod,
  path: string,
  body: unknown,
  decode: Decoder<T>,
  options: RequestOptions = {},
): Promise<T> {
  const result = await request(path, method, body, options);
  return decodeBody(path, result.response, result.body, decode);
}

/** Like {@link sendJson} for answers whose body does not matter (204, 202). */
export async function send(
  method: WriteMethod,
  path: string,
  body?: unknown,
  options: RequestOptions = {},
): Promise<void> {
  await request(path, method, body, options);
}

async function request(
  path: string,
  method: 'GET' | WriteMethod,
  payload: unknown,
  options: RequestOptions,
  retriedCsrf = false,
): Promise<{ response: Response; body: unknown }> {
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (payload !== undefined) {
    headers['Content-Type'] = 'application/json';
  }
  if (method === 'GET') {
    trackActivity();
    if (isBackground(Date.now())) {
      headers[BACKGROUND_HEADER] = '1';
    }
  } else {
    // Writes are the user's own actions, and must prove they come from HubDeck's page.
    const token = currentCsrfToken();
    if (token !== null) {
      headers[CSRF_HEADER] = token;
    }
  }
  let response: Response;
  try {
    response = await doFetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      ...(payload === undefined ? {} : { body: JSON.stringify(payload) }),
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    });
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') {
      throw cause;
    }
    throw new ApiError(0, 'network_error', 'The HubDeck server could not be reached.', { cause });
  }

  const body = await readJson(response);
  if (!response.ok) {
    const error = parseErrorBody(body);
    if (method !== 'GET' && !retriedCsrf && isCsrfRefusal(response.status, error)) {
      // A session from before CSRF tokens (no cookie yet): fetch the token once and retry.
      if ((await fetchCsrfToken(doFetch)) !== null) {
        return request(path, method, payload, options, true);
      }
    }
    if (error !== null) {
      throw new ApiError(response.status, error.code, error.message);
    }
    if (!(options.acceptStatus ?? []).includes(response.status)) {
      const statusText = response.statusText || 'request failed';
      throw new ApiError(response.status, `http_${response.status}`, `HTTP ${response.status}: ${statusText}`);
    }
  }
  return { response, body };
}

function decodeBody<T>(path: string, response: Response, body: unknown, decode: Decoder<T>): T {
  if (body === undefined) {
    throw new ApiError(response.status, 'invalid_response', `${path} did not return JSON.`);
  }
  try {
    return decode(body);
  } catch (cause) {
    const detail = cause instanceof Error ? cause.message : String(cause);
    throw new ApiError(response.status, 'invalid_response', `Unexpected response from ${path}: ${detail}`, {
      cause,
    });
  }
}

/** True for the 401 the server answers when there is no valid session. */
export function isUnauthenticated(error: unknown): boolean {
  return error instanceof ApiError && error.status === 401;
}

/** A one-line, human explanation of any error a query or mutation threw. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) {
    return error.message;
  }
  return error instanceof Error ? error.message : String(error);
}

/** The parsed JSON body, or undefined if there is none or it is not JSON. */
async function readJson(response: Response): Promise<unknown> {
  let text: string;
  try {
    text = await response.text();
  } catch (cause) {
    throw new ApiError(response.status, 'network_error', 'The response was interrupted.', { cause });
  }
  if (text.trim() === '') {
    return undefined;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
