import { describe, expect, it, vi } from 'vitest';

import { ApiError, errorMessage, isUnauthenticated, send, sendJson } from './client';

function respond(status: number, body: string | null): typeof fetch {
  return vi.fn<typeof fetch>(() =>
    Promise.resolve(new Response(body, { status, headers: { 'Content-Type': 'application/json' } })),
  );
}

const asName = (value: unknown): string => {
  if (typeof value !== 'object' || value === null || !('name' in value) || typeof value.name !== 'string') {
    throw new TypeError('no name');
  }
  return value.name;
};

describe('sendJson', () => {
  it('sends the body as JSON with the session cookie and decodes the answer', async () => {
    const fetchMock = respond(201, '{"name": "Platform"}');
    await expect(
      sendJson('POST', '/api/teams', { name: 'Platform', github_org: null }, asName, { fetch: fetchMock }),
    ).resolves.toBe('Platform');
    const [url, init] = vi.mocked(fetchMock).mock.calls[0] ?? [];
    expect(url).toBe('/api/teams');
    expect(init?.method).toBe('POST');
    expect(init?.credentials).toBe('same-origin');
    expect(init?.body).toBe('{"name":"Platform","github_org":null}');
    expect(new Headers(init?.headers).get('Content-Type')).toBe('application/json');
  });

  it('turns a 409 envelope into an ApiError', async () => {
    const fetchMock = respond(409, '{"error": {"code": "conflict", "message": "a team named \'x\' already exists"}}');
    const error: unknown = await sendJson('POST', '/api/teams', { name: 'x' }, asName, { fetch: fetchMock }).catch(
      (reason: unknown) => reason,
    );
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(409);
    expect((error as ApiError).code).toBe('conflict');
  });
});

describe('send', () => {
  it('accepts an answer without a body (204) and sends no body when given none', async () => {
    const fetchMock = respond(204, null);
    await expect(send('DELETE', '/api/teams/1/repositories/2', undefined, { fetch: fetchMock })).resolves.toBeUndefined();
    const [, init] = vi.mocked(fetchMock).mock.calls[0] ?? [];
    expect(init?.method).toBe('DELETE');
    expect(init?.body).toBeUndefined();
    expect(new Headers(init?.headers).has('Content-Type')).toBe(false);
  });

  it('still reports errors', async () => {
    const fetchMock = respond(401, '{"error": {"code": "unauthenticated", "message": "sign in first"}}');
    const error: unknown = await send('POST', '/api/auth/logout', undefined, { fetch: fetchMock }).catch(
      (reason: unknown) => reason,
    );
    expect(isUnauthenticated(error)).toBe(true);
    expect(errorMessage(error)).toBe('sign in first');
  });
});

describe('isUnauthenticated and errorMessage', () => {
  it('recognise only a 401 ApiError', () => {
    expect(isUnauthenticated(new ApiError(401, 'unauthenticated', 'x'))).toBe(true);
    expect(isUnauthenticated(new ApiError(403, 'permission_denied', 'x'))).toBe(false);
    expect(isUnauthenticated(new Error('x'))).toBe(false);
    expect(errorMessage('plain')).toBe('plain');
  });
});
