import type { ReactNode } from 'react';

import type { RealtimeConnection } from './connection';
import { RealtimeContext } from './context';

export function RealtimeProvider({
  connection,
  children,
}: {
  readonly connection: RealtimeConnection;
  readonly children: ReactNode;
}) {
  return <RealtimeContext value={connection}>{children}</RealtimeContext>;
}
