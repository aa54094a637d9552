/** Path of the server's Centrifuge WebSocket endpoint (client protocol v2, JSON). */
export const WEBSOCKET_PATH = '/connection/websocket';

/**
 * The WebSocket URL of the server that served this page: same host and port,
 * `wss:` when the page was loaded over HTTPS, `ws:` otherwise. In development
 * Vite's dev server proxies `/connection` to the Python server.
 */
export function websocketUrl(location: Pick<Location, 'protocol' | 'host'>): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}${WEBSOCKET_PATH}`;
}
