import { QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { RouterProvider } from 'react-router-dom';

import { createQueryClient } from './queryClient';
import { RealtimeProvider, getRealtimeConnection } from './realtime';
import { createRouter } from './router';
import { applyTheme, detectInitialTheme } from './theme/themeStore';
import './styles.css';

// Before the first render, so the page never paints in the wrong theme.
applyTheme(detectInitialTheme());

// One Centrifuge client per tab, connected for the page's lifetime.
const realtime = getRealtimeConnection();
realtime.connect();

const rootElement = document.getElementById('root');
if (rootElement === null) {
  throw new Error('index.html has no #root element');
}

createRoot(rootElement).render(
  <StrictMode>
    <QueryClientProvider client={createQueryClient()}>
      <RealtimeProvider connection={realtime}>
        <RouterProvider router={createRouter()} />
      </RealtimeProvider>
    </QueryClientProvider>
  </StrictMode>,
);
