import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

// The HubDeck Python server (uvicorn) listens here during development.
const backend = 'http://127.0.0.1:8000';

export default defineConfig({
  base: '/',
  plugins: [react()],
  build: {
    // The Python package serves these files at `/` (with a client-side routing
    // fallback to index.html). The folder is generated: never edit it by hand.
    outDir: '../src/hubdeck/web/static',
    emptyOutDir: true,
    assetsDir: 'assets',
    // The entry chunk is React, React Router, TanStack Query and Centrifuge (~460 kB of the
    // ~500 kB, 150 kB gzipped); Chart.js (~170 kB) is split off and loads with the dashboards.
    chunkSizeWarningLimit: 600,
    rolldownOptions: {
      output: {
        codeSplitting: {
          // Chart.js only loads with the dashboards (lazy routes), as a chunk named for what it is.
          groups: [{ name: 'charts', test: /node_modules[\\/](chart\.js|@kurkle)[\\/]/ }],
        },
      },
    },
  },
  server: {
    proxy: {
      '/api': backend,
      // Sign-in with GitHub: a full-page navigation to the server, which redirects to GitHub.
      '/auth': backend,
      '/healthz': backend,
      '/readyz': backend,
      // WebSocket endpoint of the Centrifuge protocol: /connection/websocket.
      '/connection': { target: backend, ws: true },
    },
  },
  test: {
    // Pure modules run in node; files that need a DOM opt in with a
    // `// @vitest-environment jsdom` comment at their top.
    environment: 'node',
    include: ['src/**/*.test.{ts,tsx}'],
    restoreMocks: true,
  },
});
