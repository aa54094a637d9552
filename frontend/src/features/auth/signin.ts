/** Pure helpers of the sign-in flow. */

/**
 * Where "Sign in with GitHub" goes: the server's login route, which comes back
 * to `next` afterwards. Only local paths are passed on (the server checks too).
 */
export function signInHref(next: string): string {
  return `/auth/github/login?${new URLSearchParams({ next: safeNext(next) }).toString()}`;
}

/** A local path to come back to, or "/" for anything else (other sites, `//host`, the sign-in page itself). */
export function safeNext(path: string | null | undefined): string {
  if (path === null || path === undefined || !path.startsWith('/') || path.startsWith('//') || path.includes('\\')) {
    return '/';
  }
  if (path === '/signin' || path.startsWith('/signin?') || path.startsWith('/signin/')) {
    return '/';
  }
  return path;
}

const reasons: Record<string, string> = {
  access_denied: 'You cancelled the sign-in on GitHub, or did not authorise HubDeck. Try again when you are ready.',
  missing_code: 'GitHub did not send back a sign-in code: the link was incomplete. Please start again.',
  redirect_uri_mismatch:
    'GitHub refused the sign-in because HubDeck’s callback address does not match its OAuth app settings. Ask your HubDeck administrator to check HUBDECK_PUBLIC_URL.',
  application_suspended: 'The GitHub OAuth app HubDeck uses has been suspended. Ask your HubDeck administrator.',
  incorrect_client_credentials:
    'HubDeck’s GitHub client ID or secret is wrong. Ask your HubDeck administrator to check its configuration.',
  expired: 'This sign-in link has expired or was already used. Please start again.',
  temporarily_unavailable: 'GitHub is temporarily unavailable. Please try again in a moment.',
  server_error: 'GitHub had a problem completing the sign-in. Please try again.',
};

/** The `?error=` reason of `/signin`, in words. */
export function signInErrorText(code: string): string {
  const known = reasons[code];
  if (known !== undefined) {
    return known;
  }
  return `The sign-in did not complete (GitHub said “${code.replace(/[_-]+/g, ' ')}”). Please try again.`;
}
