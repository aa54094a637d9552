import { describe, expect, it, vi } from 'vitest';

import { ApiError, getJson, parseErrorBody } from './client';

function respond(status: number, body: string, statusText = ''): typeof fetch {
  return vi.fn<typeof fetch>(() =>
    Promise.resolve(new Response(body, { status, statusText, headers: { 'Content-Type': 'application/json' } })),
  );
}

const asNumber = (value: unknown): number => {
  if (typeof value !== 'number') {
    throw new TypeError('not a number');
  }
  return value;
};

async function failure(promise: Promise<unknown>): Promise<ApiError> {
  const error: unknown = await promise.then(
    () => new Error('expected a rejection'),
    (reason: unknown) => reason,
  );
  if (!(error instanceof ApiError)) {
    throw new Error(`expected an ApiError, got ${String(error)}`);
  }
  return error;
}

describe('parseErrorBody', () => {
  it('reads the server error envelope', () => {
    expect(parseErrorBody({ error: { code: 'not_found', message: 'No such page' } })).toEqual({
      code: 'not_found',
      message: 'No such page',
    });
  });

  it('rejects anything else', () => {
    expect(parseErrorBody(null)).toBeNull();
    expect(parseErrorBody({ error: 'boom' })).toBeNull();
    expect(parseErrorBody({ error: { code: 1, message: 'x' } })).toBeNull();
    expect(parseErrorBody([])).toBeNull();
  });
});

describe('getJson', () => {
  it('decodes a successful JSON body and sends a JSON GET', async () => {
    const fetchMock = respond(200, '42');
    await expect(getJson('/api/answer', asNumber, { fetch: fetchMock })).resolves.toBe(42);
    const [url, init] = vi.mocked(fetchMock).mock.calls[0] ?? [];
    expect(url).toBe('/api/answer');
    expect(init?.method).toBe('GET');
    expect(new Headers(init?.headers).get('Accept')).toBe('application/json');
  });

  it('turns the error envelope into an ApiError with status, code and message', async () => {
    const error = await failure(
      getJson('/api/x', asNumber, {
        fetch: respond(403, '{"error": {"code": "forbidden", "message": "Not allowed"}}'),
      }),
    );
    expect(error.status).toBe(403);
    expect(error.code).toBe('forbidden');
    expect(error.message).toBe('Not allowed');
  });

  it('reports a non-JSON error by its HTTP status', async () => {
    const error = await failure(getJson('/api/x', asNumber, { fetch: respond(502, '<html>', 'Bad Gateway') }));
    expect(error.code).toBe('http_502');
    expect(error.message).toBe('HTTP 502: Bad Gateway');
  });

  it('decodes a body of an accepted error status', async () => {
    await expect(getJson('/readyz', asNumber, { fetch: respond(503, '7'), acceptStatus: [503] })).resolves.toBe(7);
  });

  it('still reports an error envelope on an accepted status', async () => {
    const error = await failure(
      getJson('/readyz', asNumber, {
        fetch: respond(503, '{"error": {"code": "starting", "message": "Not ready"}}'),
        acceptStatus: [503],
      }),
    );
    expect(error.code).toBe('starting');
  });

  it('reports a body that does not match the expected shape', async () => {
    const error = await failure(getJson('/api/x', asNumber, { fetch: respond(200, '"text"') }));
    expect(error.code).toBe('invalid_response');
    expect(error.message).toContain('not a number');
  });

  it('reports a successful response that is not JSON', async () => {
    const error = await failure(getJson('/api/x', asNumber, { fetch: respond(200, '<!doctype html>') }));
    expect(error.code).toBe('invalid_response');
  });

  it('reports a network failure with status 0', async () => {
    const fetchMock = vi.fn<typeof fetch>(() => Promise.reject(new TypeError('Failed to fetch')));
    const error = await failure(getJson('/api/x', asNumber, { fetch: fetchMock }));
    expect(error.status).toBe(0);
    expect(error.code).toBe('network_error');
  });

  it('lets an abort through unchanged', async () => {
    const abort = new DOMException('aborted', 'AbortError');
    const fetchMock = vi.fn<typeof fetch>(() => Promise.reject(abort));
    await expect(getJson('/api/x', asNumber, { fetch: fetchMock })).rejects.toBe(abort);
  });
});
