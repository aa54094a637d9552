/**
 * Whether a request comes from the user's own action or from the page refreshing by itself.
 *
 * A session's idle timeout slides only with the user's actions: requests made when the user
 * has not touched the page for a while (live refetches, polling, a wall screen) carry
 * `X-HubDeck-Background: 1`, which the server does not count as activity.
 */

export const BACKGROUND_HEADER = 'X-HubDeck-Background';
/** A request within this long of the last keypress, click or touch counts as the user's. */
export const ACTIVE_WINDOW_MS = 60_000;

let lastInteraction = Date.now();
let listening = false;

function markInteraction(): void {
  lastInteraction = Date.now();
}

/** Starts listening for the user's input (once; a no-op outside a browser). */
export function trackActivity(target?: Pick<Window, 'addEventListener'>): void {
  if (listening) {
    return;
  }
  const where = target ?? (typeof window === 'undefined' ? undefined : window);
  if (where === undefined) {
    return;
  }
  listening = true;
  for (const type of ['pointerdown', 'keydown', 'wheel', 'touchstart']) {
    where.addEventListener(type, markInteraction, { passive: true, capture: true });
  }
}

/** Whether a request made at `now` is background work. Pure given its arguments. */
export function isBackground(now: number, last: number = lastInteraction): boolean {
  return now - last > ACTIVE_WINDOW_MS;
}
