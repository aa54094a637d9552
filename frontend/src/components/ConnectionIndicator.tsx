import {
  describeConnection,
  useConnectionState,
  useLatency,
  useSecondsUntil,
  type IndicatorView,
} from '../realtime';

/**
 * The header's live-connection indicator, driven by the tab's Centrifuge
 * client; while connected it shows the round trip of the `ping` RPC.
 */
export function ConnectionIndicator() {
  const state = useConnectionState();
  const secondsLeft = useSecondsUntil(state.phase === 'connecting' ? state.retryAt : null);
  const latency = useLatency();
  return <ConnectionIndicatorView view={describeConnection(state, secondsLeft, latency)} />;
}

const announcements: Record<IndicatorView['state'], string> = {
  connected: 'Live connection established',
  connecting: 'Live connection unavailable, retrying',
  disconnected: 'Live connection closed',
};

/**
 * DOM contract (end-to-end tests rely on it): the element with
 * `data-testid="connection-status"` has `data-state` connected | connecting |
 * disconnected, its text is exactly the view's text, its title the details.
 */
export function ConnectionIndicatorView({ view }: { readonly view: IndicatorView }) {
  return (
    <>
      <span
        className="connection"
        data-testid="connection-status"
        data-state={view.state}
        title={view.title}
      >
        <span className="connection__dot" aria-hidden="true" />
        {view.text}
      </span>
      {/* Screen readers hear state changes, not every tick of the countdown or latency. */}
      <span className="visually-hidden" role="status">
        {announcements[view.state]}
      </span>
    </>
  );
}
