import { describe, expect, it } from 'vitest';

import { ApiError } from './api';
import { shouldRetry } from './queryClient';

describe('shouldRetry', () => {
  it('retries network and server errors up to the limit', () => {
    const network = new ApiError(0, 'network_error', 'down');
    expect(shouldRetry(0, network, 1)).toBe(true);
    expect(shouldRetry(1, network, 1)).toBe(false);
    expect(shouldRetry(0, new ApiError(503, 'http_503', 'busy'), 2)).toBe(true);
  });

  it('never retries client errors: the same request would fail again', () => {
    for (const status of [401, 403, 404, 409, 422]) {
      expect(shouldRetry(0, new ApiError(status, 'x', 'x'), 3)).toBe(false);
    }
  });
});
