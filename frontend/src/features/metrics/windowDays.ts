/** The metrics window: the last 7, 30 or 90 days, in the URL as `?days=`. */
export const WINDOW_CHOICES = [7, 30, 90] as const;
export const DEFAULT_DAYS = 30;

export function parseDays(value: string | null): number {
  const days = Number(value);
  return (WINDOW_CHOICES as readonly number[]).includes(days) ? days : DEFAULT_DAYS;
}
