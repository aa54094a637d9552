import { createContext } from 'react';

import type { RealtimeConnection } from './connection';

export const RealtimeContext = createContext<RealtimeConnection | null>(null);
