import { describe, expect, it } from 'vitest';

import { websocketUrl } from './endpoint';

describe('websocketUrl', () => {
  it('uses ws: for a page served over http, keeping host and port', () => {
    expect(websocketUrl({ protocol: 'http:', host: '127.0.0.1:8000' })).toBe(
      'ws://127.0.0.1:8000/connection/websocket',
    );
  });

  it('uses wss: for a page served over https', () => {
    expect(websocketUrl({ protocol: 'https:', host: 'deck.example.org' })).toBe(
      'wss://deck.example.org/connection/websocket',
    );
  });

  it('keeps IPv6 hosts intact', () => {
    expect(websocketUrl({ protocol: 'http:', host: '[::1]:5173' })).toBe('ws://[::1]:5173/connection/websocket');
  });
});
