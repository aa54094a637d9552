/**
 * The session's CSRF token, which every write carries in `X-CSRF-Token`.
 *
 * The server sets it at sign-in in a cookie the page can read (`__Host-hubdeck_csrf` over
 * https, `hubdeck_csrf` on http://localhost) and checks the header against the session;
 * `GET /api/auth/csrf` hands it out again (and sets the cookie) when it is missing.
 */

export const CSRF_HEADER = 'X-CSRF-Token';
const COOKIE_NAMES = ['__Host-hubdeck_csrf', 'hubdeck_csrf'];

let fetched: string | null = null;

/** The token in `cookies` (a `document.cookie` string), or null. Pure. */
export function csrfFromCookies(cookies: string): string | null {
  for (const part of cookies.split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name !== undefined && COOKIE_NAMES.includes(name)) {
      const value = rest.join('=');
      if (value !== '') {
        return decodeURIComponent(value);
      }
    }
  }
  return null;
}

/** The token to send now: the cookie's, else the one last fetched. */
export function currentCsrfToken(): string | null {
  const cookies = typeof document === 'undefined' ? '' : document.cookie;
  const fromCookie = csrfFromCookies(cookies);
  return fromCookie ?? fetched;
}

/** Whether a write was refused for its CSRF token (not for lack of permission). Pure. */
export function isCsrfRefusal(status: number, error: { code: string; message: string } | null): boolean {
  return status === 403 && (error?.message.includes('CSRF') ?? false);
}

/** Asks the server for the session's token; null when signed out or unreachable. */
export async function fetchCsrfToken(doFetch: typeof fetch): Promise<string | null> {
  try {
    const response = await doFetch('/api/auth/csrf', {
      headers: { Accept: 'application/json' },
      credentials: 'same-origin',
    });
    if (!response.ok) {
      return null;
    }
    const body = (await response.json()) as unknown;
    if (typeof body === 'object' && body !== null && 'token' in body && typeof body.token === 'string') {
      fetched = body.token;
      return fetched;
    }
  } catch {
    // No token: the caller reports the refusal it had.
  }
  return null;
}
