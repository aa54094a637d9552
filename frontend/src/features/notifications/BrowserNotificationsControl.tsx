import { useState } from 'react';

import { requestBrowserPermission, useBrowserPermission } from './browser';
import { browserOffer } from './decisions';

/**
 * "Enable browser notifications": asks for the permission on a click, never on
 * its own; hidden once granted. When the user blocked them, says so (the
 * browser will not ask again; its site settings can).
 * @param detailed also explain the granted and unsupported cases (the settings page)
 */
export function BrowserNotificationsControl({ detailed = false }: { readonly detailed?: boolean }) {
  const permission = useBrowserPermission();
  const [asking, setAsking] = useState(false);
  const offer = browserOffer(permission);

  if (offer === 'ask') {
    return (
      <div className="browser-notifs">
        <button
          type="button"
          className="button button--small"
          data-testid="enable-browser-notifications"
          disabled={asking}
          onClick={() => {
            setAsking(true);
            void requestBrowserPermission().finally(() => {
              setAsking(false);
            });
          }}
        >
          Enable browser notifications
        </button>
        {detailed && (
          <p className="muted small">
            For the kinds set to &ldquo;In HubDeck and the browser&rdquo;, while HubDeck is open in a tab you are not
            looking at.
          </p>
        )}
      </div>
    );
  }
  if (offer === 'denied') {
    return (
      <p className="muted small browser-notifs" data-testid="browser-notifications-denied">
        Browser notifications are blocked for HubDeck. To get them, allow notifications for this site in your
        browser&rsquo;s settings.
      </p>
    );
  }
  if (!detailed) {
    return null;
  }
  return offer === 'granted' ? (
    <p className="muted small browser-notifs" data-testid="browser-notifications-granted">
      Browser notifications are on in this browser.
    </p>
  ) : (
    <p className="muted small browser-notifs" data-testid="browser-notifications-unsupported">
      This browser cannot show notifications from HubDeck.
    </p>
  );
}
