/** Pure theme logic: which theme to start with, and what toggling does. */

export type Theme = 'light' | 'dark';

/** localStorage key remembering the user's explicit choice. */
export const THEME_STORAGE_KEY = 'hubdeck.theme';

export function parseTheme(value: string | null | undefined): Theme | null {
  return value === 'light' || value === 'dark' ? value : null;
}

/**
 * The stored choice wins; without one (or with an unknown value), the
 * operating system's `prefers-color-scheme`.
 */
export function initialTheme(stored: string | null | undefined, prefersDark: boolean): Theme {
  return parseTheme(stored) ?? (prefersDark ? 'dark' : 'light');
}

export function toggleTheme(theme: Theme): Theme {
  return theme === 'dark' ? 'light' : 'dark';
}
