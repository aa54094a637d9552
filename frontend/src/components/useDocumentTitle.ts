import { useEffect } from 'react';

const PRODUCT = 'HubDeck';

/** Sets the tab title to "<page> · HubDeck" while the page is shown; null keeps "HubDeck". */
export function useDocumentTitle(page: string | null): void {
  useEffect(() => {
    document.title = page === null ? PRODUCT : `${page} · ${PRODUCT}`;
    return () => {
      document.title = PRODUCT;
    };
  }, [page]);
}
