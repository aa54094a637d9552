import { useSyncExternalStore } from 'react';

import type { Theme } from './theme';

function subscribe(onChange: () => void): () => void {
  const observer = new MutationObserver(onChange);
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
  return () => {
    observer.disconnect();
  };
}

function snapshot(): Theme {
  return document.documentElement.dataset['theme'] === 'dark' ? 'dark' : 'light';
}

/** The theme applied on <html>, re-rendering when it changes (for canvases, which CSS cannot restyle). */
export function useAppliedTheme(): Theme {
  return useSyncExternalStore(subscribe, snapshot, () => 'light');
}
