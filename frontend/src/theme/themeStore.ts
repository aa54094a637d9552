/**
 * The browser side of theming: reads and remembers the choice in
 * localStorage and applies it as `data-theme` on <html>, where the CSS
 * variables of `styles.css` pick it up.
 */
import { THEME_STORAGE_KEY, initialTheme, type Theme } from './theme';

/** The parts of `window` theming reads; a plain object in tests. */
export type ThemeEnvironment = Pick<Window, 'matchMedia' | 'localStorage'>;

function readStored(env: ThemeEnvironment): string | null {
  try {
    // Reading `localStorage` itself throws where storage is blocked.
    return env.localStorage.getItem(THEME_STORAGE_KEY);
  } catch {
    // Storage can be disabled (privacy settings): fall back to the OS preference.
    return null;
  }
}

export function detectInitialTheme(env: ThemeEnvironment = window): Theme {
  const prefersDark = env.matchMedia('(prefers-color-scheme: dark)').matches;
  return initialTheme(readStored(env), prefersDark);
}

export function applyTheme(theme: Theme, root: HTMLElement = document.documentElement): void {
  root.dataset['theme'] = theme;
}

export function rememberTheme(theme: Theme, env: Pick<Window, 'localStorage'> = window): void {
  try {
    env.localStorage.setItem(THEME_STORAGE_KEY, theme);
  } catch {
    // Not remembered across reloads, but still applied for this page.
  }
}

/** Fired on window with the theme as detail when it was changed elsewhere (another device). */
export const THEME_CHANGED_EVENT = 'hubdeck:theme-changed';
/** Fired on window with the theme as detail when the user picked one on this page. */
export const THEME_CHOSEN_EVENT = 'hubdeck:theme-chosen';

/** Applies and remembers a theme chosen on another device, and tells this page's toggles. */
export function adoptTheme(theme: Theme): void {
  applyTheme(theme);
  rememberTheme(theme);
  window.dispatchEvent(new CustomEvent<Theme>(THEME_CHANGED_EVENT, { detail: theme }));
}
