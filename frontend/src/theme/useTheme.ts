import { useCallback, useEffect, useState } from 'react';

import { toggleTheme, type Theme } from './theme';
import { THEME_CHANGED_EVENT, THEME_CHOSEN_EVENT, applyTheme, rememberTheme } from './themeStore';

/**
 * The current theme, as applied on <html> (main.tsx applies the initial one
 * before the first render), and a toggle that applies and remembers it. A theme
 * adopted from another device (see themeStore `adoptTheme`) shows here too.
 */
export function useTheme(): { theme: Theme; toggle: () => void } {
  const [theme, setTheme] = useState<Theme>(() =>
    document.documentElement.dataset['theme'] === 'dark' ? 'dark' : 'light',
  );
  useEffect(() => {
    const onChanged = (event: Event) => {
      const detail: unknown = event instanceof CustomEvent ? event.detail : null;
      if (detail === 'dark' || detail === 'light') {
        setTheme(detail);
      }
    };
    window.addEventListener(THEME_CHANGED_EVENT, onChanged);
    return () => {
      window.removeEventListener(THEME_CHANGED_EVENT, onChanged);
    };
  }, []);
  const toggle = useCallback(() => {
    const next = toggleTheme(theme);
    applyTheme(next);
    rememberTheme(next);
    setTheme(next);
    window.dispatchEvent(new CustomEvent<Theme>(THEME_CHOSEN_EVENT, { detail: next }));
  }, [theme]);
  return { theme, toggle };
}
