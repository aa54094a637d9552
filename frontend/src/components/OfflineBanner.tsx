import { useOfflineBanner } from '../realtime';

/**
 * "Updates are paused" while the browser is offline or the live connection
 * has been down for a few seconds; gone once connected again. Test id
 * `offline-banner` (`data-reason` browser | server | stopped).
 */
export function OfflineBanner() {
  const banner = useOfflineBanner();
  if (banner === null) {
    return null;
  }
  return (
    <div className="offline-banner" role="status" data-testid="offline-banner" data-reason={banner.reason}>
      <span className="offline-banner__dot" aria-hidden="true" />
      {banner.text}
    </div>
  );
}
